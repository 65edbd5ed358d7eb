"""How far to trust a year's closeness and shares: bootstrap intervals, a size-only
expectation and a small-count flag (docs/uncertainty.md).

The bootstrap resamples a year's international records with replacement.  Records of the
same type (with a or not, with b or not, k countries) are interchangeable for every count
here, so drawing the type counts from a multinomial with the observed proportions is
exactly resampling records, and costs the same for ten records or a million.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis import AnalysisError
from analysis.counting import WHOLE, YearCells, by_year, check_counting, fetch_cells, pair_table
from analysis.indices import association_strength, ratio, salton
from graph import Graph

RESAMPLES = 1000
SEED = 7
LEVEL = 0.95
# The small-count rule: below 10 joint records a count's relative standard error passes 30%
# (1/sqrt(10)); below 30 international records a share's 95% interval spans some ±18 points.
MIN_N_AB = 10
MIN_N = 30
STATS = ("closeness", "share_a", "share_b", "observed_expected")
CI_COLUMNS = ["year", "n_ab", "n_a", "n_b", "closeness", "share_a", "share_b",
              "closeness_lo", "closeness_hi", "share_a_lo", "share_a_hi", "share_b_lo", "share_b_hi",
              "n_intl", "expected_n_ab", "observed_expected", "observed_expected_lo", "observed_expected_hi",
              "small_counts"]


def expected_n_ab(n_a, n_b, n_intl):
    """Joint records if a and b met in proportion to their international output only:
    N_a * N_b / N, N = all international records of the year."""
    return ratio(np.asarray(n_a, dtype=float) * np.asarray(n_b, dtype=float), n_intl)


def small_counts(n_ab, n_a, n_b) -> np.ndarray:
    """True where the year has too few records to read: N_ab < MIN_N_AB or min(N_a, N_b) < MIN_N
    (record counts, whatever the counting)."""
    return (np.asarray(n_ab) < MIN_N_AB) | (np.minimum(np.asarray(n_a), np.asarray(n_b)) < MIN_N)


def statistics(counts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    n_ab, n_a, n_b, n = counts["n_ab"], counts["n_a"], counts["n_b"], counts["n_intl"]
    return {"closeness": salton(n_ab, n_a, n_b), "share_a": ratio(n_ab, n_a), "share_b": ratio(n_ab, n_b),
            "observed_expected": association_strength(n_ab, n_a, n_b, n)}


def percentile_interval(values: np.ndarray, level: float = LEVEL) -> tuple[float, float]:
    """The percentile interval of the resampled values that are defined (a resample without
    any record of a has no share_a: it says nothing about the share, so it is left out)."""
    defined = values[~np.isnan(values)]
    if defined.size == 0:
        return float("nan"), float("nan")
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(defined, [tail, 100 - tail])
    return float(low), float(high)


def year_intervals(cells: pd.DataFrame, year: int, *, counting: str = WHOLE, resamples: int = RESAMPLES,
                   seed: int = SEED, level: float = LEVEL) -> dict[str, float]:
    """`{stat}_lo`, `{stat}_hi` for one year's cells.  The generator is seeded with (seed,
    year), so a year's interval does not depend on which other years are asked for."""
    year_cells = YearCells(cells, counting)
    n = int(year_cells.records.sum())
    rng = np.random.default_rng([seed, int(year)])
    draws = rng.multinomial(n, year_cells.records / n, size=resamples).astype(float)
    stats = statistics(year_cells.counts(draws))
    out = {}
    for name in STATS:
        out[f"{name}_lo"], out[f"{name}_hi"] = percentile_interval(stats[name], level)
    return out


def intervals(cells: pd.DataFrame, *, counting: str = WHOLE, resamples: int = RESAMPLES, seed: int = SEED,
              level: float = LEVEL) -> pd.DataFrame:
    """Per year: closeness's columns under the counting, their bootstrap intervals, the
    expectation, observed / expected with its interval, and the small-count flag."""
    check_counting(counting)
    if resamples < 1:
        raise AnalysisError(f"resamples must be at least 1 (got {resamples}); 1,000 is the default")
    if not 0 < level < 1:
        raise AnalysisError(f"level must be between 0 and 1 (got {level}), e.g. 0.95")
    table = pair_table(cells, counting)
    if table.empty:
        return pd.DataFrame(columns=CI_COLUMNS)
    groups = dict(list(by_year(cells)))
    ci = pd.DataFrame([{"year": year, **year_intervals(groups[year], year, counting=counting, resamples=resamples,
                                                        seed=seed, level=level)}
                       for year in table["year"]])
    table = table.merge(ci, on="year")
    table["expected_n_ab"] = expected_n_ab(table["n_a"], table["n_b"], table["n_intl"])
    table["observed_expected"] = ratio(table["n_ab"], table["expected_n_ab"])
    records = pair_table(cells, WHOLE)
    table["small_counts"] = small_counts(records["n_ab"], records["n_a"], records["n_b"])
    return table[CI_COLUMNS]


def closeness_ci(graph: Graph, a: str, b: str, *, counting: str = WHOLE, resamples: int = RESAMPLES,
                 seed: int = SEED, level: float = LEVEL, **filters: Any) -> pd.DataFrame:
    """The `closeness-ci` answer for a pair: `filters` as in analysis.counting.query_params."""
    return intervals(fetch_cells(graph, a, b, **filters), counting=counting, resamples=resamples, seed=seed,
                     level=level)
