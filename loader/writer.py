"""Writes prepared records to the graph and keeps the aggregates right.

Every statement is a file under `loader/writes/` (linted like the query files),
sent with `UNWIND $rows` batches.  Nodes and links are MERGEd on stable keys, so
writing the same batch twice changes nothing.

The aggregates (CountryYear tallies, CO_AUTHORED / CO_INVENTED edges between countries, and the
institution views' UnitYear / PairYear tallies and UNIT_LINK edges) stay right in two ways:

- a record new to the graph is *counted*: one statement marks it counted and adds
  its increments (loader/aggregates.py), all or nothing, so it is never counted
  twice, whatever is re-run or killed;
- a record already in the graph that a load changes (a new link, another year, or
  one left uncounted by a crash) makes its years *dirty*: they are written down
  (Dirty nodes) before the change, and recounted from the records at the end of
  the load.  A plain re-run changes nothing and recounts nothing.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from graph import Graph
from loader.aggregates import Increments, UnitIncrements, add_prepared, add_read_back
from loader.prepare import Prepared, country_rows
from loader.records import APPLICANT, INVENTOR, PAPER, PATENT

WRITES = Path(__file__).parent / "writes"
FOLDER = {PAPER: "papers", PATENT: "patents"}
LONG_MS = 600_000
# Unit increments kept in memory before they are sent (a few hundred MB at most).
PENDING_KEYS = 500_000
UNIT_ROWS_PER_STATEMENT = 20_000


@cache
def statement(name: str) -> str:
    """The text of `loader/writes/<name>.cypher`."""
    return (WRITES / f"{name}.cypher").read_text(encoding="utf-8")


@dataclass
class BatchOutcome:
    new: int = 0
    duplicate: int = 0
    dirty_years: set[int] = field(default_factory=set)
    # Records a bulk build leaves to the statement writer (loader/bulk_writer.py); not counted above.
    deferred: list[Prepared] = field(default_factory=list)


class GraphWriter:
    def __init__(self, graph: Graph):
        self.graph = graph
        self._known_countries: set[str] = set()
        self._known_branches: set[str] = set()
        # What this load wrote of each institution, so a batch sends only what changes the node:
        # uid -> [name_zh sent (None: not known), resolved, raw names sent]; roll-up links sent.
        self._institutions: dict[str, list] = {}
        self._parent_links: set[tuple[str, str]] = set()
        # The institution views' increments of this load, sent at its end (or when they grow
        # large); their years stay marked Dirty until then, so a load that dies is recounted.
        self._pending = {kind: UnitIncrements(kind) for kind in FOLDER}
        self._pending_years: dict[str, set[int]] = {kind: set() for kind in FOLDER}

    def write(self, kind: str, prepared: list[Prepared], institutions: dict, countries: set[str],
              seen: set[str], dirty: set[int]) -> BatchOutcome:
        """Write one batch of one kind.  `seen` holds uids met earlier in this load, `dirty`
        the years already marked for a recount (both updated)."""
        folder = FOLDER[kind]
        outcome = BatchOutcome()
        if not prepared:
            return outcome
        self._ensure_countries(countries)
        self._ensure_branches({b for p in prepared for b in p.branches})
        self._write_institutions(institutions)
        if kind == PAPER:
            self._adopt_existing_dois(prepared)

        uids = [p.record.uid for p in prepared]
        existing = {row["uid"]: row for row in
                    self.graph.read(statement(f"{folder}/existing"), {"uids": uids},
                                    row_cap=None, timeout_ms=LONG_MS).rows}
        new = [p for p in prepared if p.record.uid not in existing]
        old = [p for p in prepared if p.record.uid in existing]
        for p in prepared:
            outcome.duplicate += p.record.uid in existing or p.record.uid in seen
            seen.add(p.record.uid)
        outcome.new = len(prepared) - outcome.duplicate

        # Records already in the graph: their years are written down before anything changes.
        # So are the years of new records, whose unit increments wait for the end of the load.
        pending = self._pending_years[kind]
        old_years = {y for p in old for y in (p.record.year, existing[p.record.uid]["year"]) if y is not None}
        marked = old_years - dirty - pending
        new_years = {p.record.year for p in new if p.record.year is not None} - dirty - pending - marked
        if marked | new_years:
            self.graph.write(statement("common/mark_dirty"), {"kind": kind, "years": sorted(marked | new_years)})
        pending |= new_years

        self.graph.write(statement(f"{folder}/upsert"), {"rows": [_node_row(p) for p in prepared]})
        self._link(kind, new)
        changed = self._link(kind, old)
        changed |= any(not existing[p.record.uid]["counted"] or existing[p.record.uid]["year"] != p.record.year
                       for p in old)
        if new:
            increments = Increments(kind)
            parent_of = {uid: row.parent_uid for uid, row in institutions.items()}
            for p in new:
                increments.add(p)
                add_prepared(self._pending[kind], p, parent_of)
            self.graph.write(statement(f"{folder}/count_new"), increments.params([p.record.uid for p in new]))
            if len(self._pending[kind]) > PENDING_KEYS:
                self._send_units(self._pending[kind])
        if changed:
            outcome.dirty_years = old_years
        elif marked:
            self.graph.write(statement("common/clear_dirty"), {"kind": kind, "years": sorted(marked)})
        return outcome

    def dirty_years(self, kind: str) -> set[int]:
        """Years a previous load marked and did not get to recount."""
        rows = self.graph.read(statement("common/dirty_years"), {"kind": kind}, row_cap=None, timeout_ms=LONG_MS).rows
        return {row["year"] for row in rows}

    def rebuild_aggregates(self, kind: str, years: set[int]) -> None:
        """End of a load: send the unit increments it gathered, then recount the tallies and
        collaboration edges of these years from the records."""
        pending = self._pending[kind]
        pending.drop_years(years)    # recounted below
        self._send_units(pending)
        settled = sorted(self._pending_years[kind] - years)
        if settled:
            self.graph.write(statement("common/clear_dirty"), {"kind": kind, "years": settled})
        self._pending_years[kind] = set()
        if not years:
            return
        folder = FOLDER[kind]
        params = {"years": sorted(years)}
        for name in ("clear_aggregates", "clear_pairs", "count_countries", "tally_countries", "pair_countries"):
            self.graph.write(statement(f"{folder}/{name}"), params)
        # The institution views' aggregates are added up in Python from the records read back,
        # by the same arithmetic that counts new records in (loader/aggregates.py).
        self.graph.write(statement("common/clear_units"), {"kind": kind, **params})
        # A year at a time: a year of a million-record graph is tens of thousands of records.
        for year in sorted(years):
            units = UnitIncrements(kind)
            add_read_back(units, self.graph.read(statement(f"{folder}/unit_records"), {"years": [year]},
                                                 row_cap=None, timeout_ms=LONG_MS).rows)
            self._send_units(units)
        self.graph.write(statement("common/clear_dirty"), {"kind": kind, "years": params["years"]})

    # -- helpers -------------------------------------------------------------------------------

    def _send_units(self, units: UnitIncrements) -> None:
        for params in units.statements(UNIT_ROWS_PER_STATEMENT):
            self.graph.write(statement("common/apply_units"), params)
        units.clear()

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

    def _write_institutions(self, institutions: dict) -> None:
        """Upsert the batch's institutions, leaving out those that would change nothing: every
        batch names the same large institutions again.  upsert_institutions keeps a non-null
        name_zh, sets `resolved` and adds raw names not yet there, so a row with no new raw name,
        the same `resolved` and a null or unchanged name_zh is a no-op."""
        known = self._institutions
        changed = []
        for row in institutions.values():
            sent = known.get(row.uid)
            if (sent is None or row.resolved != sent[1] or not row.raw_names <= sent[2]
                    or (row.name_zh is not None and row.name_zh != sent[0])):
                changed.append(row)
        if changed:
            self.graph.write(statement("common/upsert_institutions"), {"rows": [row.as_param() for row in changed]})
            for row in changed:
                sent = known.get(row.uid)
                if sent is None:
                    known[row.uid] = [row.name_zh, row.resolved, set(row.raw_names)]
                else:
                    sent[0] = row.name_zh if row.name_zh is not None else sent[0]
                    sent[1] = row.resolved
                    sent[2] |= row.raw_names
        links = [(r.uid, r.parent_uid) for r in institutions.values()
                 if r.parent_uid and (r.uid, r.parent_uid) not in self._parent_links]
        if links:
            self.graph.write(statement("common/link_parents"), {"rows": [{"uid": uid, "parent_uid": parent}
                                                                       for uid, parent in links]})
            self._parent_links.update(links)

    def _link(self, kind: str, prepared: list[Prepared]) -> bool:
        """Link records to their countries, institutions and branches; True if any link was new."""
        folder = FOLDER[kind]
        created = 0
        countries = [{"uid": p.record.uid, "code": c, "role": role} for p in prepared for c, role in p.countries]
        if kind == PAPER:
            countries = [{"uid": r["uid"], "code": r["code"]} for r in countries]
        by_role: dict[str, list[dict]] = {}
        for p in prepared:
            for inst, role in p.institutions:
                by_role.setdefault(role, []).append({"uid": p.record.uid, "inst": inst})
        if kind == PAPER:
            inst_statements = {role: "papers/link_institutions" for role in by_role}
        else:
            inst_statements = {APPLICANT: "patents/link_applicants", INVENTOR: "patents/link_inventor_institutions"}
        batches = [(f"{folder}/link_countries", countries)]
        batches += [(inst_statements[role], rows) for role, rows in by_role.items() if role in inst_statements]
        batches.append((f"{folder}/link_branches",
                        [{"uid": p.record.uid, "branch": b} for p in prepared for b in p.branches]))
        for name, rows in batches:
            if rows:
                created += self.graph.write(statement(name), {"rows": rows}).stats["relationships_created"]
        return created > 0

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
            if hit and uid_namespace(hit["uid"]) != uid_namespace(rec.uid):
                rec.uid = hit["uid"]


def uid_namespace(uid: str) -> str:
    """The source a uid is namespaced by: "WOS" of "WOS:000…", "SCOPUS" of "SCOPUS:…"."""
    return uid.split(":", 1)[0]


def title_key(rec) -> str | None:
    """Normalised title + year (letters and digits only, any script, lower case), as a 64-bit
    digest: every paper carries it and it is indexed, and the digest is a fifth of a title's
    size.  The odds that any two of a million different titles share one are about 1 in 30 million."""
    if not rec.title or rec.year is None:
        return None
    letters = "".join(filter(str.isalnum, rec.title.casefold()))
    if len(letters) < 12:
        return None
    return hashlib.blake2b(f"{letters}|{rec.year}".encode(), digest_size=8).hexdigest()


def _node_row(p: Prepared) -> dict:
    rec = p.record
    row = {"uid": rec.uid, "year": rec.year, "title": rec.title, "source": rec.source}
    if rec.kind == PAPER:
        row.update(doi=rec.doi, doc_type=rec.doc_type, title_key=title_key(rec), n_countries=len(rec.countries))
    else:
        row.update(family_id=rec.family_id, office=rec.office, n_inventor_countries=len(rec.countries),
                   n_applicant_countries=len(rec.applicant_countries))
    return row
