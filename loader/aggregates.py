"""What new records add to the aggregates: pure arithmetic, no graph.

The graph keeps, per kind, role, country and year, a CountryYear tally (records, and
international records: N_i of the study), and per year a collaboration edge between
every pair of countries and every pair of institutions (N_ij).  A batch of new records
adds to them; `Increments` sums those additions per key, so the single statement
that applies them (loader/writes/*/count_new.cypher) sends each key once.

The same numbers come out of a full recount (loader/writes/*/tally_countries.cypher,
pair_*.cypher): tests load a dataset incrementally and check it against a recount.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations

from loader.prepare import Prepared
from loader.records import APPLICANT, INVENTOR, PAPER

AUTHOR_ROLE = "author"


def tally_uid(kind: str, role: str, code: str, year: int) -> str:
    return f"{kind}|{role}|{code}|{year}"


@dataclass
class Increments:
    kind: str
    records: Counter = field(default_factory=Counter)      # (role, code, year) -> records
    intl: Counter = field(default_factory=Counter)         # (role, code, year) -> international records
    pairs: Counter = field(default_factory=Counter)        # (a, b, year, role) -> records
    inst_pairs: Counter = field(default_factory=Counter)   # (i, j, year) -> records

    def add(self, p: Prepared) -> None:
        year = p.record.year
        if year is None:
            return   # a record without a year belongs to no year series
        roles = [AUTHOR_ROLE] if self.kind == PAPER else [INVENTOR, APPLICANT]
        for role in roles:
            codes = sorted({code for code, r in p.countries if r == role})
            international = len(codes) > 1
            for code in codes:
                self.records[(role, code, year)] += 1
                self.intl[(role, code, year)] += international
            for a, b in combinations(codes, 2):
                self.pairs[(a, b, year, role)] += 1
        institutions = sorted({uid for uid, _role in p.institutions})
        for i, j in combinations(institutions, 2):
            self.inst_pairs[(i, j, year)] += 1

    def params(self, uids: list[str]) -> dict:
        tallies = [
            {"uid": tally_uid(self.kind, role, code, year), "kind": self.kind, "role": role, "code": code,
             "year": year, "records": n, "intl": self.intl[(role, code, year)]}
            for (role, code, year), n in sorted(self.records.items())
        ]
        pairs = [{"a": a, "b": b, "year": year, "role": role, "n": n}
                 for (a, b, year, role), n in sorted(self.pairs.items())]
        if self.kind == PAPER:
            for pair in pairs:
                del pair["role"]
        inst_pairs = [{"i": i, "j": j, "year": year, "n": n} for (i, j, year), n in sorted(self.inst_pairs.items())]
        return {"uids": uids, "tallies": tallies, "pairs": pairs, "inst_pairs": inst_pairs}
