"""The numbers the demo dataset must reproduce (targets.csv beside this module).

Rows without an institution are the study's yearly series (papers 2007-2022,
patents 2007-2021): n_cn_us, n_cn, n_us.  Rows with an institution give that
institution's China–US and international papers for one year, counted with
its children.  `origin` says where a number comes from: `series` for the
study's calibrated series, `demo` for the years the series leaves open, filled
in so the ten stay the top ten.  `published` names the values the study's text
states.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

TARGETS_CSV = Path(__file__).resolve().parent / "targets.csv"


@dataclass(frozen=True)
class National:
    n_cn_us: int
    n_cn: int      # China's international records
    n_us: int      # the US's international records


@dataclass(frozen=True)
class Institutional:
    n_cn_us: int
    n_intl: int


@dataclass(frozen=True)
class Targets:
    national: dict[tuple[str, int], National]           # (kind, year)
    institutions: dict[tuple[str, int], Institutional]  # (institution, year), papers
    countries: dict[str, str]                            # institution -> CN or US

    def years(self, kind: str) -> list[int]:
        return sorted(year for k, year in self.national if k == kind)

    def institution_names(self) -> list[str]:
        return list(dict.fromkeys(name for name, _ in self.institutions))


def load_targets(path: Path = TARGETS_CSV) -> Targets:
    national, institutions, countries = {}, {}, {}
    with open(path, encoding="utf-8", newline="") as fp:
        for row in csv.DictReader(fp):
            year = int(row["year"])
            if row["institution"]:
                name = row["institution"]
                institutions[(name, year)] = Institutional(int(row["n_cn_us"]), int(row["n_intl"]))
                countries[name] = row["country"]
            else:
                national[(row["kind"], year)] = National(
                    int(row["n_cn_us"]), int(row["n_cn"]), int(row["n_us"]))
    return Targets(national, institutions, countries)
