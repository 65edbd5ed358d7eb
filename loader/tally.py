"""Reference counts in plain Python, with no graph in between.

The graph's Cypher answers the study's questions; this module answers the same
questions straight from parsed Records, so the two can be checked against each
other (tests) and timed against each other (benchmark).  Counting is whole
counting, as in the study: a record counts once for every country and every
institution on it, and once only however many of its addresses share one.
"""
from __future__ import annotations

import math
from collections import defaultdict
from typing import Iterable, Protocol

from loader.formats.patent_csv import merge_family_rows
from loader.records import PAPER, Record


class Resolved(Protocol):
    name: str
    country: str | None
    parent: str | None


class Resolver(Protocol):
    def resolve(self, raw: str, country: str | None) -> Resolved: ...


def unique_records(records: Iterable[Record]) -> list[Record]:
    """One record per uid (patent family rows and repeated UTs merged)."""
    return merge_family_rows(records)


def closeness_table(records: Iterable[Record], a: str, b: str, kind: str,
                    year_from: int | None = None, year_to: int | None = None) -> list[dict]:
    """Per year: N_ab, N_a, N_b, closeness N_ab/sqrt(N_a*N_b) and the two shares.

    N_a counts records of country `a` with at least one other country.  A year
    appears when it has an international record of `a` or of `b`.  A ratio whose
    denominator is zero is None: there is nothing to divide.
    """
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for record in unique_records(records):
        if record.kind != kind or record.year is None or len(record.countries) < 2:
            continue
        if (year_from is not None and record.year < year_from) or \
                (year_to is not None and record.year > year_to):
            continue
        has_a, has_b = a in record.countries, b in record.countries
        if not (has_a or has_b):
            continue
        row = counts[record.year]
        row[0] += has_a and has_b
        row[1] += has_a
        row[2] += has_b
    return [_closeness_row(year, *counts[year]) for year in sorted(counts)]


def _closeness_row(year: int, n_ab: int, n_a: int, n_b: int) -> dict:
    return {
        "year": year, "n_ab": n_ab, "n_a": n_a, "n_b": n_b,
        "closeness": n_ab / math.sqrt(n_a * n_b) if n_a and n_b else None,
        "share_a": n_ab / n_a if n_a else None,
        "share_b": n_ab / n_b if n_b else None,
    }


def institution_shares(records: Iterable[Record], a: str, b: str, year: int,
                       table: Resolver, rollup: bool, kind: str = PAPER) -> list[dict]:
    """Per institution, for one year: its a–b records, its international records, the share.

    Names are the table's canonical names.  With `rollup`, a record also counts
    for every parent of its institutions (a CAS institute for CAS, a campus for
    its university system), once even when two children are on it.  Rows are
    sorted by n_ab, then n_intl, largest first.
    """
    n_ab: dict[str, int] = defaultdict(int)
    n_intl: dict[str, int] = defaultdict(int)
    countries: dict[str, str | None] = {}
    for record in unique_records(records):
        if record.kind != kind or record.year != year or len(record.countries) < 2:
            continue
        names: set[str] = set()
        for org in record.orgs:
            for resolved in _chain(table, org.name, org.country, rollup):
                names.add(resolved.name)
                countries.setdefault(resolved.name, resolved.country or org.country)
        both = a in record.countries and b in record.countries
        for name in names:
            n_intl[name] += 1
            n_ab[name] += both
    rows = [{"institution": name, "country": countries[name], "n_ab": n_ab[name],
             "n_intl": n_intl[name], "share": n_ab[name] / n_intl[name]} for name in n_intl]
    return sorted(rows, key=lambda row: (-row["n_ab"], -row["n_intl"], row["institution"]))


def _chain(table: Resolver, raw: str, country: str | None, rollup: bool) -> list[Resolved]:
    """The institution itself and, with roll-up, its parents up to the top.  (The table remembers
    its answers: a demo year repeats names thousands of times.)"""
    found = [table.resolve(raw, country)]
    seen = {found[0].name}
    while rollup and found[-1].parent and found[-1].parent not in seen:
        parent = table.resolve(found[-1].parent, found[-1].country)
        if parent.name in seen:
            break
        seen.add(parent.name)
        found.append(parent)
    return found
