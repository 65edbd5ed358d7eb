"""Whole and fractional counting of a country pair's records.

Both read the same per-year counts of record types (cypher/closeness_records.cypher): how
many international records of a year have country a or not, b or not, and k countries.

- whole counting (the study's): a record counts 1 for every country and pair on it;
- fractional counting (Perianes-Rodriguez, van Eck & Waltman 2016): a record with k
  countries gives each of its countries one unit of collaboration, split equally over
  its k - 1 partners, so a pair on it gets 1 / (k - 1).  N_a stays the number of a's
  international records (a's partner weights add up to exactly that), N_ab shrinks by
  what the record's other partners take.  docs/uncertainty.md explains the choice.

Institutions are counted the same way one level down (a record with m institutions credits
each 1/m); `institution_reconciliation` shows, institution by institution, what that changes.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis import AnalysisError
from analysis.indices import closeness_ratios
from cypher import runner
from graph import Graph

WHOLE = "whole"
FRACTIONAL = "fractional"
COUNTINGS = (WHOLE, FRACTIONAL)
CELL_COLUMNS = ["year", "has_a", "has_b", "n_countries", "records"]
PAIR_COLUMNS = ["year", "n_ab", "n_a", "n_b", "closeness", "share_a", "share_b", "n_intl"]


def check_counting(counting: str) -> str:
    if counting not in COUNTINGS:
        raise AnalysisError(f"counting {counting!r} is not known: use 'whole' or 'fractional'")
    return counting


def check_pair(a: str, b: str) -> None:
    if not a or not b:
        raise AnalysisError("give two country codes, e.g. --a CN --b US")
    if a == b:
        raise AnalysisError(f"a and b are both {a}: a pair needs two different countries")


def query_params(*, kind: str = "paper", role: str = "inventor", year_from: int | None = None,
                 year_to: int | None = None, branch: str | None = None) -> dict[str, Any]:
    """The filters every pair query shares, named as the saved queries name them."""
    if kind not in ("paper", "patent"):
        raise AnalysisError(f"kind {kind!r} is not known: use 'paper' or 'patent'")
    return {"kind": kind, "role": role, "from": year_from, "to": year_to, "branch": branch}


def fetch_cells(graph: Graph, a: str, b: str, **filters: Any) -> pd.DataFrame:
    """The pair's record types per year (columns CELL_COLUMNS), one row per type present."""
    check_pair(a, b)
    df = runner.run_df(graph, "closeness_records", {"a": a, "b": b, **query_params(**filters)}, row_cap=None)
    return df.astype({"year": int, "has_a": bool, "has_b": bool, "n_countries": int, "records": int})


def pair_weights(n_countries: np.ndarray, counting: str) -> np.ndarray:
    """What one record with that many countries adds to N_ab under the counting."""
    k = np.asarray(n_countries, dtype=float)
    if check_counting(counting) == WHOLE:
        return np.ones_like(k)
    return 1.0 / np.maximum(k - 1.0, 1.0)


class YearCells:
    """One year's record types as arrays, and the pair's counts from any record counts."""

    def __init__(self, cells: pd.DataFrame, counting: str):
        self.records = cells["records"].to_numpy(dtype=float)
        self.in_a = cells["has_a"].to_numpy(dtype=float)
        self.in_b = cells["has_b"].to_numpy(dtype=float)
        self.ab_weight = self.in_a * self.in_b * pair_weights(cells["n_countries"].to_numpy(), counting)

    def counts(self, records: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """n_ab (under the counting), n_a, n_b and n_intl for record counts of the year's cells:
        the observed ones, or a matrix of resampled ones (one resample per row)."""
        r = self.records if records is None else records
        return {"n_ab": r @ self.ab_weight, "n_a": r @ self.in_a, "n_b": r @ self.in_b, "n_intl": r.sum(axis=-1)}


def by_year(cells: pd.DataFrame):
    """(year, that year's cells) in year order."""
    return cells.groupby("year", sort=True)


def pair_table(cells: pd.DataFrame, counting: str = WHOLE) -> pd.DataFrame:
    """Per year: closeness's columns under the counting, plus n_intl (all international
    records that year).  Years with no international record of a or of b are left out, as
    the closeness query leaves them out."""
    rows = []
    for year, group in by_year(cells):
        c = YearCells(group, counting).counts()
        if c["n_a"] == 0 and c["n_b"] == 0:
            continue
        rows.append({"year": int(year), "n_ab": c["n_ab"], "n_a": int(c["n_a"]), "n_b": int(c["n_b"]),
                     "n_intl": int(c["n_intl"])})
    df = pd.DataFrame(rows, columns=["year", "n_ab", "n_a", "n_b", "n_intl"])
    if counting == WHOLE:
        df["n_ab"] = df["n_ab"].astype(int)
    return closeness_ratios(df)[PAIR_COLUMNS]


def reconciliation(cells: pd.DataFrame) -> pd.DataFrame:
    """Why whole and fractional counts differ, year by year.

    n_a and n_b are the same under both countings (every international record of a counts
    once for a).  What differs is how a's unit is shared among partners: whole counting gives
    every partner 1, so a's links add up to links_a_whole = the sum of (k - 1) over its
    records, more than n_a as soon as a record has three countries; fractional counting
    gives each 1 / (k - 1), so they add up to n_a.  For the pair, n_ab_whole - n_ab_fractional
    is the sum of 1 - 1/(k - 1) over the joint records: 0 for the ab_k2 records, 1/2 for each
    ab_k3 record, and ab_k4plus_discount for the rest.
    """
    rows = []
    for year, g in by_year(cells):
        if not (g["has_a"] | g["has_b"]).any():
            continue
        k = g["n_countries"]
        ab = g[g["has_a"] & g["has_b"]]
        ab_k = ab["n_countries"]
        in_a = g[g["has_a"]]
        big = ab[ab_k >= 4]
        rows.append({
            "year": int(year),
            "n_a": int(g.loc[g["has_a"], "records"].sum()), "n_b": int(g.loc[g["has_b"], "records"].sum()),
            "links_a_whole": int(((in_a["n_countries"] - 1) * in_a["records"]).sum()),
            "links_a_fractional": int(in_a["records"].sum()),
            "n_ab_whole": int(ab["records"].sum()),
            "n_ab_fractional": float((ab["records"] / (ab_k - 1)).sum()),
            "ab_k2": int(ab.loc[ab_k == 2, "records"].sum()),
            "ab_k3": int(ab.loc[ab_k == 3, "records"].sum()),
            "ab_k4plus": int(big["records"].sum()),
            "ab_k4plus_discount": float((big["records"] * (1 - 1 / (big["n_countries"] - 1))).sum()),
            "intl_k2": int(g.loc[k == 2, "records"].sum()),
            "intl_k3": int(g.loc[k == 3, "records"].sum()),
            "intl_k4plus": int(g.loc[k >= 4, "records"].sum()),
        })
    return pd.DataFrame(rows, columns=["year", "n_a", "n_b", "links_a_whole", "links_a_fractional",
                                       "n_ab_whole", "n_ab_fractional", "ab_k2", "ab_k3", "ab_k4plus",
                                       "ab_k4plus_discount", "intl_k2", "intl_k3", "intl_k4plus"])


# -- Institutions ---------------------------------------------------------------------------------
# A record with m institutions (units, as the roll-up counts them) counts 1 for each under whole
# counting and 1/m under fractional counting (loader/aggregates.py, the institution queries'
# $counting).  N_a of a country stays a record count, but an institution's totals do not: every
# record it shares with others is split.

TYPE_COLUMNS = ["uid", "institution", "name_zh", "country", "m", "records", "intl", "n_ab"]
INSTITUTION_COLUMNS = ["uid", "institution", "name_zh", "country", "records_whole", "records_fractional",
                       "m1", "m2", "m3plus", "m3plus_discount", "mean_m", "intl_whole", "intl_fractional",
                       "n_ab_whole", "n_ab_fractional"]


def fetch_institution_types(graph: Graph, names: list[str], *, a: str | None = None, b: str | None = None,
                            kind: str = "paper", year_from: int | None = None, year_to: int | None = None,
                            branch: str | None = None, rollup: bool = True) -> pd.DataFrame:
    """The institutions' records by the number of institutions on them (TYPE_COLUMNS, one row per
    institution and m), from cypher/institution_record_types.cypher.  `names` are English or
    Chinese names; a and b, when given, add the a–b records."""
    if not names:
        raise AnalysisError("name at least one institution, e.g. --institution 'Tsinghua University'")
    if (a is None) != (b is None):
        raise AnalysisError("give both countries of the pair (e.g. --a CN --b US) or neither")
    params = query_params(kind=kind, year_from=year_from, year_to=year_to, branch=branch)
    del params["role"]            # institutions count inventors' countries, as the institution views do
    df = runner.run_df(graph, "institution_record_types",
                       {"names": list(names), "a": a, "b": b, "rollup": rollup, **params}, row_cap=None)
    return df.astype({"m": int, "records": int, "intl": int, "n_ab": int})


def institution_reconciliation(types: pd.DataFrame) -> pd.DataFrame:
    """Why an institution's whole and fractional totals differ (INSTITUTION_COLUMNS, one row per
    institution, most records first).

    records_whole counts its records, records_fractional adds 1/m for each.  m1, m2 and m3plus
    are its records with the institution alone, with one other institution and with two or more
    others; the first count the same under both countings, each m2 record loses 1/2, and the rest
    lose m3plus_discount = the sum of 1 - 1/m over them, so every row satisfies
        records_whole - records_fractional = m2 / 2 + m3plus_discount.
    mean_m is the mean number of institutions on its records.  intl_* and n_ab_* are the same
    two totals of its international and its a–b records (institution_shares' n_intl and n_ab).
    """
    rows = []
    for uid, g in types.groupby("uid", sort=False):
        m, records = g["m"].to_numpy(dtype=float), g["records"].to_numpy(dtype=float)
        big = m >= 3
        first = g.iloc[0]
        rows.append({
            "uid": uid, "institution": first["institution"], "name_zh": first["name_zh"],
            "country": first["country"],
            "records_whole": int(records.sum()), "records_fractional": float((records / m).sum()),
            "m1": int(records[m == 1].sum()), "m2": int(records[m == 2].sum()), "m3plus": int(records[big].sum()),
            "m3plus_discount": float((records[big] * (1 - 1 / m[big])).sum()),
            "mean_m": float((records * m).sum() / records.sum()),
            "intl_whole": int(g["intl"].sum()), "intl_fractional": float((g["intl"] / m).sum()),
            "n_ab_whole": int(g["n_ab"].sum()), "n_ab_fractional": float((g["n_ab"] / m).sum()),
        })
    table = pd.DataFrame(rows, columns=INSTITUTION_COLUMNS)
    return table.sort_values(["records_whole", "institution", "uid"], ascending=[False, True, True],
                             ignore_index=True)
