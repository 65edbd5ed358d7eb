"""What new records add to the aggregates: pure arithmetic, no graph.

The graph keeps, per kind, role, country and year, a CountryYear tally (records, and
international records: N_i of the study), and per year a collaboration edge between
every pair of countries (N_ij, with its fractional weight).  A batch of new records adds
to them; `Increments` sums the additions per key, so the single statement that applies
them (loader/writes/*/count_new.cypher) sends each key once.

For the institution views the graph keeps the same per *unit* (an institution as counted
under a roll-up mode), for both modes and for each institute on its own: UnitYear tallies,
the unit's records with each pair of countries and with each country, and unit-to-unit
links.  These are many more keys per record, but far fewer per load than per batch (a
unit-year recurs in every batch), so `UnitIncrements` gathers a whole load's and the writer
sends them at its end (loader/writes/common/apply_units.cypher).

The country numbers also come out of a full recount in Cypher (loader/writes/*/
tally_countries.cypher, pair_countries.cypher); the unit numbers are recounted by
reading the records back (loader/writes/*/unit_records.cypher) and adding them up here
again.  Tests load a dataset incrementally and check it against a recount.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import combinations

from loader.records import APPLICANT, INVENTOR, PAPER

AUTHOR_ROLE = "author"
ROLLUPS = (False, True)
# The third mode: an institute (an institution with a parent) seen on its own while everything else
# is rolled up, as the drill-down shows an institute under roll-up.  Its tallies and links are kept
# beside the two roll-up modes, under this value where they hold `rollup`.
INSTITUTE = "institute"


def tally_uid(kind: str, role: str, code: str, year: int) -> str:
    return f"{kind}|{role}|{code}|{year}"


def _mode(rollup: bool | str) -> str:
    # 'false', 'true' or 'institute': how the keys below spell a mode (toString($rollup) in Cypher).
    return str(rollup).lower()


def unit_year_uid(kind: str, rollup: bool | str, unit: str, year: int) -> str:
    return f"{kind}|{_mode(rollup)}|{unit}|{year}"


def pair_key(kind: str, rollup: bool | str, a: str, b: str) -> str:
    """A country pair's series of PairYear nodes.  The saved queries build the same key
    (institution_shares, top_institutions, institution_compare, institution_series): keep them in step."""
    return f"{kind}|{_mode(rollup)}|{a}|{b}"


def pair_year_uid(kind: str, rollup: bool | str, year: int, a: str, b: str) -> str:
    return f"{pair_key(kind, rollup, a, b)}|{year}"


def series_slot(kind: str, rollup: bool | str, year: int) -> int:
    """UnitYear.slot: kind, mode and year in one indexed number, so a year range of one series is a
    single index range (the saved queries compute the same): papers 1, 2, 5 and patents 3, 4, 6
    without roll-up, rolled up, and an institute on its own."""
    if rollup == INSTITUTE:
        series = 5 if kind == PAPER else 6
    else:
        series = (1 if kind == PAPER else 3) + (1 if rollup else 0)
    return series * 10_000 + year


def link_type(kind: str, rollup: bool | str) -> str:
    """The relationship type of a unit link: one per kind and mode, so a view walks only its own."""
    base = "SHARED_PAPERS" if kind == PAPER else "SHARED_PATENTS"
    return base + {False: "", True: "_ROLLED", INSTITUTE: "_INSTITUTE"}[rollup]


def units_of(institutions: Iterable[str], parent_of: Mapping[str, str | None], rollup: bool) -> list[str]:
    """The record's units under a roll-up mode: each institution, or its parent when rolled up."""
    return sorted({(parent_of.get(uid) or uid) if rollup else uid for uid in institutions})


def institute_views(institutions: list[str],
                    parent_of: Mapping[str, str | None]) -> Iterator[tuple[str, list[str]]]:
    """Each institute on a record (an institution with a parent) with the record's units as that
    institute sees them: itself, and every other institution rolled up.  A sibling institute makes the
    parent a partner; the institute's own parent is not one otherwise."""
    for uid in sorted(set(institutions)):
        if parent_of.get(uid):
            others = {parent_of.get(other) or other for other in institutions if other != uid}
            yield uid, [uid, *sorted(others - {uid})]


def unit_name(uid: str) -> tuple[str, str]:
    # An institution's uid is "<country>:<canonical name>" (country '' when unknown), so the
    # unit's country and name travel with the tally and the views need not visit the node.
    country, _, name = uid.partition(":")
    return country, name


def _pair():
    return [0, 0.0]


@dataclass
class UnitIncrements:
    """The institution-view aggregates of some records, for both roll-up modes and for each
    institute on its own under roll-up (`INSTITUTE`, see `institute_views`).

    Whole counting adds 1 per record.  Fractional counting splits a record over its m units:
    each unit is credited 1/m (tallies, pairs of countries, partner countries), and each pair
    of units on it 1/(m - 1), the country rule (Perianes-Rodriguez et al. 2016) at the
    institution level.  `countries` are the countries that make a record international:
    authors' for papers, inventors' for patents."""

    kind: str
    years: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0.0, 0.0]))  # (rollup, unit, year)
    pairs: dict = field(default_factory=lambda: defaultdict(_pair))       # (rollup, year, a, b, unit)
    countries: dict = field(default_factory=lambda: defaultdict(_pair))   # (rollup, unit, year, partner code)
    links: dict = field(default_factory=lambda: defaultdict(_pair))       # (rollup, u, v, year)

    def add(self, year: int | None, institutions: Iterable[str], countries: Iterable[str],
            parent_of: Mapping[str, str | None]) -> None:
        if year is None:
            return   # a record without a year belongs to no year series
        institutions = list(institutions)
        codes = sorted(set(countries))
        international = len(codes) > 1
        for rollup in ROLLUPS:
            units = units_of(institutions, parent_of, rollup)
            for unit in units:
                self._add_unit(rollup, unit, year, len(units), codes, international)
            if len(units) > 1:
                share = 1.0 / (len(units) - 1)
                for u, v in combinations(units, 2):
                    _add(self.links[(rollup, u, v, year)], share)
        for institute, units in institute_views(institutions, parent_of):
            self._add_unit(INSTITUTE, institute, year, len(units), codes, international)
            if len(units) > 1:
                share = 1.0 / (len(units) - 1)
                for partner in units[1:]:
                    # Directed, institute first: the partner is a unit of the rolled-up network.
                    _add(self.links[(INSTITUTE, institute, partner, year)], share)

    def _add_unit(self, rollup: bool | str, unit: str, year: int, m: int, codes: list[str],
                  international: bool) -> None:
        """One record for one of its m units."""
        credit = 1.0 / m
        tally = self.years[(rollup, unit, year)]
        tally[0] += 1
        tally[2] += credit
        if international:
            tally[1] += 1
            tally[3] += credit
            pairs = self.pairs
            for a, b in combinations(codes, 2):
                counts = pairs[(rollup, year, a, b, unit)]
                counts[0] += 1
                counts[1] += credit
        # Partner countries only: a unit's own country (its uid's prefix) is never its partner.
        own = unit.partition(":")[0]
        countries = self.countries
        for code in codes:
            if code != own:
                counts = countries[(rollup, unit, year, code)]
                counts[0] += 1
                counts[1] += credit

    def __len__(self) -> int:
        return len(self.years) + len(self.pairs) + len(self.countries) + len(self.links)

    def clear(self) -> None:
        for table in (self.years, self.pairs, self.countries, self.links):
            table.clear()

    def drop_years(self, years: set[int]) -> None:
        """Forget the increments of these years (they are being recounted from the records)."""
        for table, at in ((self.years, 2), (self.pairs, 1), (self.countries, 2), (self.links, 3)):
            for key in [key for key in table if key[at] in years]:
                del table[key]

    def statements(self, chunk: int) -> Iterable[dict]:
        """apply_units.cypher's parameters, at most `chunk` rows a statement: tallies first, as
        the pair and country counts hang off them.  Made a statement at a time, so a load's
        increments are never in memory twice (as keys and as rows)."""
        rows = self._rows()
        empty = {name: [] for name in rows}
        for name, made in rows.items():
            batch = []
            for row in made:
                batch.append(row)
                if len(batch) == chunk:
                    yield empty | {name: batch}
                    batch = []
            if batch:
                yield empty | {name: batch}

    def params(self) -> dict:
        return {name: list(made) for name, made in self._rows().items()}

    def _rows(self) -> dict[str, Iterable[dict]]:
        # Unsorted: every key is one row, applied on its own, so the order of the rows changes
        # nothing in the graph (and sorting a load's keys took longer than making the rows).
        k = self.kind
        unit_years = ({"uid": unit_year_uid(k, rollup, unit, year), "unit": unit, "name": name,
                       "country": country, "kind": k, "rollup": rollup, "year": year,
                       "slot": series_slot(k, rollup, year), "records": records, "intl": intl,
                       "records_frac": records_frac, "intl_frac": intl_frac}
                      for (rollup, unit, year), (records, intl, records_frac, intl_frac) in self.years.items()
                      for country, name in (unit_name(unit),))
        unit_pairs = ({"uid": pair_year_uid(k, rollup, year, a, b), "pair": pair_key(k, rollup, a, b), "year": year,
                       "unit_year": unit_year_uid(k, rollup, unit, year), "records": n, "frac": w}
                      for (rollup, year, a, b, unit), (n, w) in self.pairs.items())
        unit_countries = ({"unit_year": unit_year_uid(k, rollup, unit, year), "code": code, "records": n, "frac": w}
                          for (rollup, unit, year, code), (n, w) in self.countries.items())
        unit_links = ({"u": u, "v": v, "type": link_type(k, rollup), "year": year, "records": n, "frac": w}
                      for (rollup, u, v, year), (n, w) in self.links.items())
        return {"unit_years": unit_years, "unit_pairs": unit_pairs, "unit_countries": unit_countries,
                "unit_links": unit_links}


def _add(counts: list, weight: float) -> None:
    counts[0] += 1
    counts[1] += weight


def histogram(by_k: Mapping[int, int]) -> list[int]:
    """Records by number of countries as the graph keeps them: hist[k] = the records with k
    countries, up to the largest k present ([] when none).  A list, so both engines can store it."""
    top = max((k for k, n in by_k.items() if n), default=0)
    return [by_k.get(k, 0) for k in range(top + 1)] if top else []


@dataclass
class Increments:
    """What new records add to the CountryYear tallies and the country pair edges.

    Besides the counts, both keep a histogram of international records by their number of
    countries k (`hist`, see `histogram`), so that closeness_records can be answered from
    them: a year's records with k countries split into has a / has b by inclusion-exclusion
    (docs/model.md, "Country tallies")."""

    kind: str
    records: Counter = field(default_factory=Counter)      # (role, code, year) -> records
    intl: Counter = field(default_factory=Counter)         # (role, code, year) -> international records
    pairs: Counter = field(default_factory=Counter)        # (a, b, year, role) -> records
    pair_frac: Counter = field(default_factory=Counter)    # (a, b, year, role) -> sum of 1 / (k - 1)
    hist: dict = field(default_factory=lambda: defaultdict(Counter))       # (role, code, year) -> {k: records}
    pair_hist: dict = field(default_factory=lambda: defaultdict(Counter))  # (a, b, year, role) -> {k: records}

    def add(self, p) -> None:
        """Add one prepared record (loader.prepare.Prepared)."""
        year = p.record.year
        if year is None:
            return   # a record without a year belongs to no year series
        roles = [AUTHOR_ROLE] if self.kind == PAPER else [INVENTOR, APPLICANT]
        for role in roles:
            codes = sorted({code for code, r in p.countries if r == role})
            international = len(codes) > 1
            k = len(codes)
            for code in codes:
                self.records[(role, code, year)] += 1
                self.intl[(role, code, year)] += international
                if international:
                    self.hist[(role, code, year)][k] += 1
            for a, b in combinations(codes, 2):
                self.pairs[(a, b, year, role)] += 1
                self.pair_frac[(a, b, year, role)] += 1.0 / (k - 1)
                self.pair_hist[(a, b, year, role)][k] += 1

    def params(self, uids: list[str]) -> dict:
        tallies = [
            {"uid": tally_uid(self.kind, role, code, year), "kind": self.kind, "role": role, "code": code,
             "year": year, "records": n, "intl": self.intl[(role, code, year)],
             "hist": histogram(self.hist.get((role, code, year), {}))}
            for (role, code, year), n in sorted(self.records.items())
        ]
        pairs = [{"a": a, "b": b, "year": year, "role": role, "n": n, "frac": self.pair_frac[(a, b, year, role)],
                  "hist": histogram(self.pair_hist[(a, b, year, role)])}
                 for (a, b, year, role), n in sorted(self.pairs.items())]
        if self.kind == PAPER:
            for pair in pairs:
                del pair["role"]
        return {"uids": uids, "tallies": tallies, "pairs": pairs}


def add_prepared(units: UnitIncrements, p, parent_of: Mapping[str, str | None]) -> None:
    """Add a prepared record to the unit increments; `parent_of` maps an institution uid to
    its parent's uid (or None), for the roll-up."""
    role = AUTHOR_ROLE if units.kind == PAPER else INVENTOR
    units.add(p.record.year, (uid for uid, _role in p.institutions),
              (code for code, r in p.countries if r == role), parent_of)


def add_read_back(units: UnitIncrements, rows: Iterable[Mapping]) -> None:
    """Add records read back from the graph (loader/writes/*/unit_records.cypher: year,
    institutions [{uid, parent}], countries)."""
    for row in rows:
        parent_of = {inst["uid"]: inst["parent"] for inst in row["institutions"]}
        units.add(row["year"], parent_of, row["countries"], parent_of)
