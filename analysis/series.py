"""A country pair's year series from the graph, under either counting, with every index; and
several pairs in one table for one chart."""
from __future__ import annotations

from typing import Any

import pandas as pd

from analysis import counting as cnt
from analysis.indices import add_indices, check_index
from cypher import runner
from graph import Graph

SERIES_COLUMNS = ["pair", "a", "b", "year", "n_ab", "n_a", "n_b", "n_intl", "value"]


def international_totals(graph: Graph, **params: Any) -> pd.DataFrame:
    """Per year: records and international records (cypher/international_totals.cypher)."""
    df = runner.run_df(graph, "international_totals", params, row_cap=None)
    return df.astype({"year": int, "records": int, "intl": int})


def international_from_cells(cells: pd.DataFrame) -> pd.DataFrame:
    """Per year: international records (year, intl), from any pair's record types under the same
    filters (analysis.counting.fetch_cells): every international record of a year falls in one
    of its cells, whichever the pair.  The same `intl` as international_totals for every year
    with an international record, without its scan of every record (0.4 s at 1M papers against
    a few ms: the pair's cells read the tallies); years with none have no row, where
    international_totals has intl 0.  No `records` column: cells hold international records only."""
    intl = cells.groupby("year", sort=True)["records"].sum()
    return pd.DataFrame({"year": intl.index.astype(int), "intl": intl.to_numpy(dtype=int)})


def indices_table(graph: Graph, a: str, b: str, *, counting: str = "whole", totals: pd.DataFrame | None = None,
                  **filters: Any) -> pd.DataFrame:
    """Per year: closeness's columns, n_intl and the four indices.

    Whole counting reads the closeness query itself (its columns unchanged) and the
    international totals (`totals`: international_totals's answer for the same filters, when the
    caller has it already); fractional counting weights the records' types (analysis.counting).
    """
    cnt.check_counting(counting)
    cnt.check_pair(a, b)
    params = cnt.query_params(**filters)
    if counting == cnt.FRACTIONAL:
        table = cnt.pair_table(cnt.fetch_cells(graph, a, b, **filters), counting)
    else:
        closeness = runner.run_df(graph, "closeness", {"a": a, "b": b, **params}, row_cap=None)
        if totals is None:
            totals = international_totals(graph, **params)
        table = closeness.merge(totals[["year", "intl"]].rename(columns={"intl": "n_intl"}), on="year", how="left")
        table["n_intl"] = table["n_intl"].fillna(0).astype(int)
    return add_indices(table)


def pairs_table(graph: Graph, pairs: list[tuple[str, str]], *, counting: str = "whole",
                totals: pd.DataFrame | None = None, **filters: Any) -> pd.DataFrame:
    """Several pairs' indices_table in one long table: pair ('CN–US'), a, b, then its columns
    (every index).  Choosing another index needs no query: see series_of.  `totals`:
    international_totals's answer for the same filters, when the caller has it already."""
    # The totals are the same for every pair: counted once (they scan the year's records).
    if totals is None and pairs and cnt.check_counting(counting) == cnt.WHOLE:
        totals = international_totals(graph, **cnt.query_params(**filters))
    frames = []
    for a, b in pairs:
        table = indices_table(graph, a, b, counting=counting, totals=totals, **filters)
        table.insert(0, "pair", f"{a}–{b}")
        table.insert(1, "a", a)
        table.insert(2, "b", b)
        frames.append(table)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=SERIES_COLUMNS)


def series_of(table: pd.DataFrame, index: str) -> pd.DataFrame:
    """pairs_table's rows with the chosen index as `value`, in SERIES_COLUMNS."""
    check_index(index)
    if table.empty:
        return pd.DataFrame(columns=SERIES_COLUMNS)
    return table.assign(value=table[index])[SERIES_COLUMNS]


def pair_series(graph: Graph, pairs: list[tuple[str, str]], *, index: str = "closeness",
                counting: str = "whole", **filters: Any) -> pd.DataFrame:
    """Several pairs' index by year in one long table: pair ('CN–US'), a, b, year, n_ab, n_a,
    n_b, n_intl, value (the chosen index) — ready for one chart with a line per pair."""
    check_index(index)
    return series_of(pairs_table(graph, pairs, counting=counting, **filters), index)
