"""From raw records to rows the graph writer can send: canonical institutions, countries, branches.

Pure: no graph here.  Raw names are kept (they become `raw_names` on the
Institution node), so an analyst can always see what the export said.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from loader.normalise.countries import country_name, country_name_zh
from loader.records import APPLICANT, INVENTOR, PAPER, Record

UNKNOWN_COUNTRY = ""   # an institution whose country the export does not give


def alias_files() -> list[Path]:
    """The analyst's own institution spellings, which extend the built-in alias table:
    `<data dir>/institution_aliases.csv` and any files listed in COLLAB_ALIASES."""
    from graph import data_dir

    user = data_dir() / "institution_aliases.csv"
    extra = [Path(p) for p in os.environ.get("COLLAB_ALIASES", "").split(os.pathsep) if p]
    return [p for p in [user, *extra] if p.exists()]


def institution_uid(name: str, country: str | None) -> str:
    """Institutions are keyed by country and name: the same name in two countries is two places."""
    return f"{country or '--'}:{name}"


@dataclass
class InstitutionRow:
    uid: str
    name: str
    country: str
    name_zh: str | None
    resolved: bool
    raw_names: set[str] = field(default_factory=set)
    parent_uid: str | None = None

    def as_param(self) -> dict:
        return {
            "uid": self.uid,
            "name": self.name,
            "country": self.country,
            "name_zh": self.name_zh,
            "resolved": self.resolved,
            "raw_names": sorted(self.raw_names),
        }


@dataclass
class Prepared:
    """One record, resolved, ready to write."""

    record: Record
    countries: list[tuple[str, str]]          # (code, role); papers use role "author"
    institutions: list[tuple[str, str]]       # (institution uid, role)
    branches: list[str]


class Preparer:
    """Resolves institutions and branches with the project's tables (loaded once)."""

    def __init__(self, alias_files: Iterable[Path] = ()):
        from loader.normalise.branches import BranchTagger
        from loader.normalise.institutions import InstitutionTable

        self.table = InstitutionTable.load(list(alias_files))
        self.tagger = BranchTagger.load()
        # ROR ids (OpenAlex gives them) name a listed institution whatever the spelling.
        self.by_ror = {row["ror"].rstrip("/").rpartition("/")[2]: row["name"]
                       for row in self.table.canonical_rows() if row.get("ror")}
        self.unresolved: dict[tuple[str, str], int] = {}

    def prepare(self, records: list[Record]) -> tuple[list[Prepared], dict[str, InstitutionRow], set[str]]:
        """Resolve a batch.  Returns the prepared records, the institutions they name
        (parents included, so roll-up links can be drawn) and the country codes they use."""
        institutions: dict[str, InstitutionRow] = {}
        countries: set[str] = set()
        prepared = []
        for rec in records:
            codes = [(c, _country_role(rec)) for c in sorted(rec.countries)]
            codes += [(c, APPLICANT) for c in sorted(rec.applicant_countries)]
            insts: list[tuple[str, str]] = []
            for org in rec.orgs:
                name = self.by_ror.get(org.ror, org.name) if org.ror else org.name
                row = self._institution(name, org.country, institutions, raw=org.name)
                if row is None:
                    continue
                if (row.uid, org.role) not in insts:
                    insts.append((row.uid, org.role))
            countries.update(code for code, _ in codes)
            branches = sorted(self.tagger.tag(rec.title, rec.keywords, rec.abstract, rec.subjects))
            prepared.append(Prepared(rec, codes, insts, branches))
        countries.update(row.country for row in institutions.values() if row.country)
        return prepared, institutions, countries

    def _institution(self, name: str, country: str | None, acc: dict[str, InstitutionRow],
                     raw: str | None = None) -> InstitutionRow | None:
        name = (name or "").strip()
        raw = (raw or name).strip()
        if not name:
            return None
        res = self.table.resolve(name, country)
        if not res.matched and country:
            # The table knows where a listed institution is; an export's country for it can be
            # wrong (a WoS C3 name matched to another author's address), the table's is not.
            anywhere = self.table.resolve(name, None)
            if anywhere.matched:
                res = anywhere
        row = self._row(res.name, res.country or country, res.name_zh, res.matched, acc)
        row.raw_names.add(raw)
        if not res.matched:
            key = (raw, country or "")
            self.unresolved[key] = self.unresolved.get(key, 0) + 1
        # Link each level to its parent (campus -> system) so the roll-up link can be drawn.
        child = row
        for ancestor in self.table.lineage(res.name)[1:] if res.matched else []:
            info = self.table.resolve(ancestor, None)
            parent_row = self._row(info.name, info.country or child.country, info.name_zh, True, acc)
            child.parent_uid = parent_row.uid
            child = parent_row
        return row

    @staticmethod
    def _row(name, country, name_zh, matched, acc) -> InstitutionRow:
        uid = institution_uid(name, country)
        row = acc.get(uid)
        if row is None:
            row = acc[uid] = InstitutionRow(uid, name, country or UNKNOWN_COUNTRY, name_zh, matched)
        return row


def _country_role(rec: Record) -> str:
    return "author" if rec.kind == PAPER else INVENTOR


def country_rows(codes: Iterable[str]) -> list[dict]:
    return [{"code": c, "name": country_name(c), "name_zh": country_name_zh(c)} for c in sorted(codes)]


def merge_duplicates(records: Iterable[Record]) -> Iterator[Record]:
    """Within one batch, records sharing a uid become one (union of countries and orgs,
    earliest year): the same UT twice in a file, or a patent family's several rows."""
    merged: dict[str, Record] = {}
    for rec in records:
        first = merged.get(rec.uid)
        if first is None:
            merged[rec.uid] = rec
            continue
        first.countries |= rec.countries
        first.applicant_countries |= rec.applicant_countries
        first.orgs += [o for o in rec.orgs if o not in first.orgs]
        first.keywords += [k for k in rec.keywords if k not in first.keywords]
        first.subjects += [s for s in rec.subjects if s not in first.subjects]
        if rec.year is not None and (first.year is None or rec.year < first.year):
            first.year = rec.year
        first.title = first.title or rec.title
        first.doi = first.doi or rec.doi
    yield from merged.values()
