"""Writes prepared records to the graph and keeps the aggregates right.

Every statement is a file under `loader/writes/` (linted like the query files),
sent with `UNWIND $rows` batches.  Nodes and links are MERGEd on stable keys, so
writing the same batch twice changes nothing.  The aggregates (CountryYear
tallies, CO_AUTHORED / CO_INVENTED edges) are rebuilt by aggregation for every
year a load touched: counting again is idempotent by construction, where
incrementing would double-count a re-run.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from graph import Graph
from loader.prepare import Prepared, country_rows
from loader.records import APPLICANT, INVENTOR, PAPER, PATENT

WRITES = Path(__file__).parent / "writes"
FOLDER = {PAPER: "papers", PATENT: "patents"}


@cache
def statement(name: str) -> str:
    """The text of `loader/writes/<name>.cypher`."""
    return (WRITES / f"{name}.cypher").read_text(encoding="utf-8")


@dataclass
class BatchOutcome:
    new: int = 0
    duplicate: int = 0
    years: set[int] = field(default_factory=set)


class GraphWriter:
    def __init__(self, graph: Graph):
        self.graph = graph
        self._known_countries: set[str] = set()
        self._known_branches: set[str] = set()

    def write(self, kind: str, prepared: list[Prepared], institutions: dict, countries: set[str],
              seen: set[str]) -> BatchOutcome:
        """Write one batch of one kind.  `seen` holds uids met earlier in this load (updated)."""
        folder = FOLDER[kind]
        outcome = BatchOutcome()
        if not prepared:
            return outcome
        self._ensure_countries(countries)
        self._ensure_branches({b for p in prepared for b in p.branches})
        if institutions:
            rows = [row.as_param() for row in institutions.values()]
            self.graph.write(statement("common/upsert_institutions"), {"rows": rows})
            links = [{"uid": r.uid, "parent_uid": r.parent_uid} for r in institutions.values() if r.parent_uid]
            if links:
                self.graph.write(statement("common/link_parents"), {"rows": links})

        if kind == PAPER:
            self._adopt_existing_dois(prepared)
        uids = [p.record.uid for p in prepared]
        existing = self.graph.read(statement(f"{folder}/existing"), {"uids": uids}, row_cap=None, timeout_ms=600_000).rows
        old_years = {row["uid"]: row["year"] for row in existing}
        for p in prepared:
            uid = p.record.uid
            if uid in old_years or uid in seen:
                outcome.duplicate += 1
            else:
                outcome.new += 1
            seen.add(uid)
            if p.record.year is not None:
                outcome.years.add(p.record.year)
        outcome.years |= {y for y in old_years.values() if y is not None}

        self.graph.write(statement(f"{folder}/upsert"), {"rows": [_node_row(p) for p in prepared]})
        country_links = [{"uid": p.record.uid, "code": c, "role": role} for p in prepared for c, role in p.countries]
        if kind == PAPER:
            country_links = [{"uid": r["uid"], "code": r["code"]} for r in country_links]
        if country_links:
            self.graph.write(statement(f"{folder}/link_countries"), {"rows": country_links})
        self._link_institutions(kind, prepared)
        branch_links = [{"uid": p.record.uid, "branch": b} for p in prepared for b in p.branches]
        if branch_links:
            self.graph.write(statement(f"{folder}/link_branches"), {"rows": branch_links})
        return outcome

    def rebuild_aggregates(self, kind: str, years: set[int]) -> None:
        """Recount the tallies and collaboration edges of these years from the records."""
        if not years:
            return
        folder = FOLDER[kind]
        params = {"years": sorted(years)}
        for name in ("clear_aggregates", "clear_pairs", "count_countries", "tally_countries",
                     "pair_countries", "pair_institutions"):
            self.graph.write(statement(f"{folder}/{name}"), params)

    # -- helpers -------------------------------------------------------------------------------

    def _ensure_countries(self, codes: set[str]) -> None:
        missing = codes - self._known_countries
        if missing:
            self.graph.write(statement("common/upsert_countries"), {"rows": country_rows(missing)})
            self._known_countries |= missing

    def _ensure_branches(self, names: set[str]) -> None:
        missing = names - self._known_branches
        if missing:
            self.graph.write(statement("common/upsert_branches"), {"rows": [{"name": n} for n in sorted(missing)]})
            self._known_branches |= missing

    def _link_institutions(self, kind: str, prepared: list[Prepared]) -> None:
        by_role: dict[str, list[dict]] = {}
        for p in prepared:
            for inst, role in p.institutions:
                by_role.setdefault(role, []).append({"uid": p.record.uid, "inst": inst})
        if kind == PAPER:
            names = {role: "papers/link_institutions" for role in by_role}
        else:
            names = {APPLICANT: "patents/link_applicants", INVENTOR: "patents/link_inventor_institutions"}
        for role, rows in by_role.items():
            if role in names:
                self.graph.write(statement(names[role]), {"rows": rows})

    def _adopt_existing_dois(self, prepared: list[Prepared]) -> None:
        """A paper already loaded from another source (same DOI; or no DOI and the same
        normalised title and year) is the same paper: take its uid, so it remembers both
        sources instead of being counted twice."""
        dois = sorted({p.record.doi for p in prepared if p.record.doi})
        title_keys = sorted({title_key(p.record) for p in prepared if not p.record.doi and title_key(p.record)})
        if not dois and not title_keys:
            return
        found = self.graph.read(statement("papers/by_identity"), {"dois": dois, "title_keys": title_keys},
                                row_cap=None, timeout_ms=600_000).rows
        owner = {(row["by"], row["key"]): row for row in found}
        for p in prepared:
            rec = p.record
            hit = owner.get(("doi", rec.doi)) if rec.doi else owner.get(("title", title_key(rec)))
            # Only across sources (uids are namespaced "WOS:", "SCOPUS:" ...): two records of
            # one source are two records even when they share a DOI.
            if hit and _namespace(hit["uid"]) != _namespace(rec.uid):
                rec.uid = hit["uid"]


def _namespace(uid: str) -> str:
    return uid.split(":", 1)[0]


def title_key(rec) -> str | None:
    """Normalised title + year: letters and digits only (any script), lower case."""
    if not rec.title or rec.year is None:
        return None
    letters = "".join(ch for ch in rec.title.casefold() if ch.isalnum())
    return f"{letters}|{rec.year}" if len(letters) >= 12 else None


def _node_row(p: Prepared) -> dict:
    rec = p.record
    row = {"uid": rec.uid, "year": rec.year, "title": rec.title, "source": rec.source}
    if rec.kind == PAPER:
        row.update(doi=rec.doi, doc_type=rec.doc_type, title_key=title_key(rec))
    else:
        row.update(family_id=rec.family_id, office=rec.office)
    return row
