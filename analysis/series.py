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


def indices_table(graph: Graph, a: str, b: str, *, counting: str = "whole", **filters: Any) -> pd.DataFrame:
    """Per year: closeness's columns, n_intl and the four indices.

    Whole counting reads the closeness query itself (its columns unchanged) and the
    international totals; fractional counting weights the records' types (analysis.counting).
    """
    cnt.check_counting(counting)
    cnt.check_pair(a, b)
    params = cnt.query_params(**filters)
    if counting == cnt.FRACTIONAL:
        table = cnt.pair_table(cnt.fetch_cells(graph, a, b, **filters), counting)
    else:
        closeness = runner.run_df(graph, "closeness", {"a": a, "b": b, **params}, row_cap=None)
        totals = international_totals(graph, **params)[["year", "intl"]].rename(columns={"intl": "n_intl"})
        table = closeness.merge(totals, on="year", how="left")
        table["n_intl"] = table["n_intl"].fillna(0).astype(int)
    return add_indices(table)


def pair_series(graph: Graph, pairs: list[tuple[str, str]], *, index: str = "closeness",
                counting: str = "whole", **filters: Any) -> pd.DataFrame:
    """Several pairs' index by year in one long table: pair ('CN–US'), a, b, year, n_ab, n_a,
    n_b, n_intl, value (the chosen index) — ready for one chart with a line per pair."""
    check_index(index)
    frames = []
    for a, b in pairs:
        table = indices_table(graph, a, b, counting=counting, **filters)
        table.insert(0, "pair", f"{a}–{b}")
        table.insert(1, "a", a)
        table.insert(2, "b", b)
        table["value"] = table[index]
        frames.append(table[SERIES_COLUMNS])
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=SERIES_COLUMNS)
