"""Bootstrap intervals, the size-only expectation and the small-count flag.

Cells are the per-year record types cypher/closeness_records.cypher returns (has_a, has_b,
n_countries, records); the tests build them by hand where the answer can be worked out.
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from analysis import AnalysisError
from analysis.uncertainty import (CI_COLUMNS, closeness_ci, expected_n_ab, intervals, small_counts,
                                  year_intervals)
from cypher import runner
from loader.pipeline import load_paths

SMALL = Path(__file__).parent / "data" / "small_wos.txt"


def cells(year: int, *rows: tuple[bool, bool, int, int]) -> pd.DataFrame:
    """Rows of (has_a, has_b, n_countries, records) for one year."""
    return pd.DataFrame([(year, *row) for row in rows], columns=["year", "has_a", "has_b", "n_countries", "records"])


# 160 records with both, 240 with a only, 240 with b only: share_a = 160/400 = 0.4.
MIDDLE = cells(2020, (True, True, 2, 160), (True, False, 2, 240), (False, True, 2, 240))


def test_same_seed_same_interval_other_seed_other_interval():
    first = intervals(MIDDLE, seed=7)
    assert first.equals(intervals(MIDDLE, seed=7))
    other = intervals(MIDDLE, seed=8)
    assert (first["closeness_lo"].iloc[0], first["closeness_hi"].iloc[0]) != \
        (other["closeness_lo"].iloc[0], other["closeness_hi"].iloc[0])


def test_a_years_interval_does_not_depend_on_the_other_years_asked_for():
    both_years = pd.concat([MIDDLE, cells(2021, (True, True, 2, 30), (True, False, 2, 50))])
    alone = intervals(MIDDLE).set_index("year")
    together = intervals(both_years).set_index("year")
    assert together.loc[2020, "closeness_lo"] == alone.loc[2020, "closeness_lo"]
    assert together.loc[2020, "share_b_hi"] == alone.loc[2020, "share_b_hi"]


def test_interval_width_matches_the_binomial_standard_error():
    """share_a is a proportion of about 400 records: its standard error is
    sqrt(0.4 * 0.6 / 400) = 0.0245, so a 95% interval is about 2 * 1.96 * 0.0245 = 0.096 wide."""
    row = intervals(MIDDLE, resamples=2000).iloc[0]
    assert row["share_a"] == pytest.approx(0.4)
    assert row["share_a_hi"] - row["share_a_lo"] == pytest.approx(0.096, rel=0.15)
    assert row["share_a_lo"] < 0.4 < row["share_a_hi"]


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_intervals_contain_the_point_estimate(seed):
    year = cells(2019, (True, True, 2, 60), (True, True, 3, 12), (True, False, 2, 200), (False, True, 2, 310),
                 (False, False, 2, 40), (True, False, 4, 9))
    row = intervals(year, seed=seed).iloc[0]
    for stat in ("closeness", "share_a", "share_b", "observed_expected"):
        assert row[f"{stat}_lo"] <= row[stat] <= row[f"{stat}_hi"], stat


def test_a_degenerate_year_has_a_zero_width_interval():
    """Every international record of a or b has both (N_ab = N_a = N_b = 5): any resample of
    them gives closeness 1 and both shares 1.  A record with neither country only changes how
    many joint records a resample holds, never the ratios (a resample without any is left out)."""
    for year in (cells(2021, (True, True, 2, 5)), cells(2021, (True, True, 2, 5), (False, False, 2, 1))):
        row = intervals(year).iloc[0]
        for stat in ("closeness", "share_a", "share_b"):
            assert row[stat] == 1.0
            assert row[f"{stat}_lo"] == row[f"{stat}_hi"] == 1.0, stat


def test_two_records_worked_by_hand():
    """One record with both (a and b) and one with a only.  A resample draws B ~ Binomial(2, 1/2)
    joint records: n_a is always 2, n_b = B.  share_a = B/2 takes 0, 1/2 and 1 (a quarter of the
    resamples are 0 and a quarter 1), so its 95% interval is [0, 1]; share_b = B/B is 1 whenever
    defined; closeness = sqrt(B/2) is 0.7071 or 1 where defined, its interval [0.7071, 1]."""
    row = intervals(cells(2019, (True, True, 2, 1), (True, False, 2, 1))).iloc[0]
    assert (row["share_a_lo"], row["share_a_hi"]) == (0.0, 1.0)
    assert (row["share_b_lo"], row["share_b_hi"]) == (1.0, 1.0)
    assert row["closeness_lo"] == pytest.approx(math.sqrt(0.5))
    assert row["closeness_hi"] == pytest.approx(1.0)


def test_fractional_intervals_weight_multilateral_records():
    """One joint record with three countries and one with two: n_ab = 1/2 + 1 = 1.5, and a
    resample with two copies of the three-country record has n_ab = 1, of the other 2."""
    year = cells(2020, (True, True, 3, 1), (True, True, 2, 1))
    row = intervals(year, counting="fractional").iloc[0]
    assert row["n_ab"] == pytest.approx(1.5) and row["closeness"] == pytest.approx(0.75)
    assert (row["closeness_lo"], row["closeness_hi"]) == (0.5, 1.0)
    assert bool(row["small_counts"])       # the rule reads record counts: 2 joint records


def test_expected_joint_records_and_the_ratio():
    # 10 and 40 international records among 100: independence expects 10 * 40 / 100 = 4.
    assert expected_n_ab(10, 40, 100) == pytest.approx(4.0)
    year = cells(2018, (True, True, 2, 5), (True, False, 2, 5), (False, True, 2, 35), (False, False, 2, 55))
    row = intervals(year).iloc[0]
    assert row["n_intl"] == 100 and row["expected_n_ab"] == pytest.approx(4.0)
    assert row["observed_expected"] == pytest.approx(1.25)


@pytest.mark.parametrize("n_ab, n_a, n_b, flagged", [
    (9, 100, 100, True),      # too few joint records
    (10, 30, 30, False),      # exactly at both thresholds: readable
    (10, 29, 100, True),      # a has too few international records
    (50, 400, 29, True),
])
def test_small_count_rule(n_ab, n_a, n_b, flagged):
    assert bool(small_counts(n_ab, n_a, n_b)) is flagged


def test_bad_arguments_are_refused():
    with pytest.raises(AnalysisError, match="resamples"):
        intervals(MIDDLE, resamples=0)
    with pytest.raises(AnalysisError, match="level"):
        intervals(MIDDLE, level=95)
    with pytest.raises(AnalysisError, match="fractional"):
        intervals(MIDDLE, counting="half")


def test_year_intervals_keys():
    assert set(year_intervals(MIDDLE, 2020)) == {f"{s}_{end}" for s in
                                                 ("closeness", "share_a", "share_b", "observed_expected")
                                                 for end in ("lo", "hi")}


def test_closeness_ci_on_the_small_export(graph):
    """small_wos.txt, CN-US: closeness's columns unchanged; 2019 expects 2 * 2 / 3 joint records
    (three international records), observes 1: ratio 0.75; 2021 holds one record, so every
    resample is that record and the interval has zero width; every year is too small to read."""
    load_paths(graph, [SMALL])
    ci = closeness_ci(graph, "CN", "US", resamples=200)
    assert list(ci.columns) == CI_COLUMNS
    closeness = runner.run_df(graph, "closeness", {"a": "CN", "b": "US"})
    for column in ("year", "n_ab", "n_a", "n_b"):
        assert ci[column].tolist() == closeness[column].tolist()
    for column in ("closeness", "share_a", "share_b"):
        assert ci[column].tolist() == pytest.approx(closeness[column].tolist())
    by_year = ci.set_index("year")
    assert by_year.loc[2019, "expected_n_ab"] == pytest.approx(4 / 3)
    assert by_year.loc[2019, "observed_expected"] == pytest.approx(0.75)
    assert by_year.loc[2021, "closeness_lo"] == by_year.loc[2021, "closeness_hi"] == 1.0
    assert by_year["small_counts"].all()
