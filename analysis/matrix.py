"""Country × country matrices of closeness or any other index, for a year or a year range."""
from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from analysis import AnalysisError
from analysis.counting import FRACTIONAL, WHOLE, check_counting, query_params
from analysis.indices import INDICES, add_indices
from analysis.series import international_totals
from cypher import runner
from graph import Graph

LONG_COLUMNS = ["a", "b", "n_ab", "n_a", "n_b", "n_intl", *INDICES]


def parse_codes(codes: str | Iterable[str]) -> list[str]:
    """'CN,US, gb' or ['CN', 'US'] -> ['CN', 'US', 'GB'] (upper case, order kept, no repeats)."""
    items = codes.split(",") if isinstance(codes, str) else list(codes)
    found = list(dict.fromkeys(c.strip().upper() for c in items if c and c.strip()))
    if len(found) < 2:
        raise AnalysisError(f"a matrix needs at least two country codes (got {found or 'none'}), "
                            "e.g. --codes CN,US,GB,JP,DE")
    return found


def country_matrix(graph: Graph, codes: str | Iterable[str], *, kind: str = "paper", role: str = "inventor",
                   year_from: int | None = None, year_to: int | None = None, branch: str | None = None,
                   counting: str = WHOLE, totals: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per pair of the countries (a < b) with records in the range: the counts summed
    over the range's years, n_intl (all international records of the range) and every index.
    Under fractional counting n_ab is the pair's fractional count; n_a, n_b and n_intl stay
    record counts (analysis.counting)."""
    wanted = parse_codes(codes)
    params = query_params(kind=kind, role=role, year_from=year_from, year_to=year_to, branch=branch)
    pairs = runner.run_df(graph, "country_matrix", {"codes": wanted, "counting": check_counting(counting), **params},
                          row_cap=None)
    if totals is None:      # international_totals for the same filters, unless the caller has it
        totals = international_totals(graph, **params)
    pairs["n_intl"] = int(totals["intl"].sum())
    n_ab = float if counting == FRACTIONAL else int
    return add_indices(pairs.astype({"n_ab": n_ab, "n_a": int, "n_b": int}))[LONG_COLUMNS]


def square(long: pd.DataFrame, value: str = "closeness", codes: Iterable[str] | None = None) -> pd.DataFrame:
    """The long table as a symmetric matrix of `value` (rows and columns in `codes`' order,
    else alphabetical); the diagonal, a country with itself, is left empty."""
    if value not in long.columns:
        raise AnalysisError(f"no column {value!r} to put in the matrix: use one of {', '.join(LONG_COLUMNS[2:])}")
    present = sorted(set(long["a"]) | set(long["b"]))
    order = [c for c in codes if c in present] if codes is not None else present
    matrix = pd.DataFrame(np.nan, index=order, columns=order)
    for row in long.itertuples(index=False):
        if row.a in matrix.index and row.b in matrix.index:
            matrix.loc[row.a, row.b] = matrix.loc[row.b, row.a] = getattr(row, value)
    matrix.index.name = None
    return matrix


def missing_codes(long: pd.DataFrame, codes: Iterable[str]) -> list[str]:
    """The asked-for countries that have no record in the range (so no row in the matrix)."""
    present = set(long["a"]) | set(long["b"])
    return [c for c in codes if c not in present]


def cells_for_chart(long: pd.DataFrame, value: str = "closeness") -> pd.DataFrame:
    """Both halves of the matrix as rows (a, b, value, n_ab), for a heatmap."""
    both = pd.concat([long, long.rename(columns={"a": "b", "b": "a", "n_a": "n_b", "n_b": "n_a"})],
                     ignore_index=True)
    return both.assign(value=both[value])[["a", "b", "value", "n_ab", "n_a", "n_b"]]

