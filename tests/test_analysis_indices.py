"""Similarity indices: the formulas on hand-worked numbers, and per year from a real graph.

tests/data/small_wos.txt, for a = CN, b = US (see test_graph_load.py for the records):
  2019: international records 001 (CN-US), 002 (CN-JP), 003 (US-GB); 004 is CN only.
        n_ab = 1, n_a = 2, n_b = 2, N = 3.
  2020: 005 (CN-US-JP) and 009 (CN-US): n_ab = 2, n_a = 2, n_b = 2, N = 2.
  2021: 007 (CN-US): n_ab = n_a = n_b = N = 1.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from analysis import AnalysisError
from analysis.indices import (add_indices, association_strength, check_index, closeness_ratios, inclusion, jaccard,
                              salton, INDEX_COLUMNS)
from analysis.series import indices_table, international_totals, pair_series, pairs_table, series_of
from cypher import runner
from loader.pipeline import load_paths
import pandas as pd

SMALL = Path(__file__).parent / "data" / "small_wos.txt"


@pytest.mark.parametrize("n_ab, n_a, n_b, n, expected", [
    # N_a = N_b = 2, N_ab = 1, N = 3: Salton 1/sqrt(4); Jaccard 1/(2+2-1); AS 1*3/(2*2); inclusion 1/2.
    (1, 2, 2, 3, {"salton": 0.5, "jaccard": 1 / 3, "association_strength": 0.75, "inclusion": 0.5}),
    # 5 joint of 10 and 40, N = 100: 5/sqrt(400); 5/45; 500/400; 5/min(10, 40).
    (5, 10, 40, 100, {"salton": 0.25, "jaccard": 5 / 45, "association_strength": 1.25, "inclusion": 0.5}),
    # All of a's records are with b: inclusion 1 whatever b's size; Jaccard 3/(3+12-3).
    (3, 3, 12, 20, {"salton": 0.5, "jaccard": 0.25, "association_strength": 60 / 36, "inclusion": 1.0}),
    # No joint record: every index 0 (not undefined: both countries have records).
    (0, 4, 9, 10, {"salton": 0.0, "jaccard": 0.0, "association_strength": 0.0, "inclusion": 0.0}),
])
def test_index_formulas_worked_by_hand(n_ab, n_a, n_b, n, expected):
    assert salton(n_ab, n_a, n_b) == pytest.approx(expected["salton"])
    assert jaccard(n_ab, n_a, n_b) == pytest.approx(expected["jaccard"])
    assert association_strength(n_ab, n_a, n_b, n) == pytest.approx(expected["association_strength"])
    assert inclusion(n_ab, n_a, n_b) == pytest.approx(expected["inclusion"])


def test_a_zero_denominator_is_undefined_not_zero():
    # b has no international record: nothing to divide by.
    assert math.isnan(salton(0, 5, 0))
    assert math.isnan(inclusion(0, 5, 0))
    assert math.isnan(association_strength(0, 5, 0, 10))
    assert math.isnan(jaccard(0, 0, 0))
    # Arrays: only the undefined element is NaN.
    values = salton(np.array([1, 0]), np.array([4, 3]), np.array([1, 0]))
    assert values[0] == pytest.approx(0.5) and math.isnan(values[1])


def test_add_indices_and_closeness_ratios_on_a_table():
    df = pd.DataFrame({"n_ab": [1, 5], "n_a": [2, 10], "n_b": [2, 40], "n_intl": [3, 100]})
    out = add_indices(closeness_ratios(df))
    assert list(out["jaccard"]) == pytest.approx([1 / 3, 5 / 45])
    assert list(out["share_a"]) == pytest.approx([0.5, 0.5])
    assert list(out["share_b"]) == pytest.approx([0.5, 0.125])
    assert list(out["closeness"]) == pytest.approx([0.5, 0.25])


def test_unknown_index_is_refused_with_the_known_ones():
    with pytest.raises(AnalysisError, match="jaccard"):
        check_index("cosine")


def test_indices_per_year_from_the_graph(graph):
    load_paths(graph, [SMALL])
    table = indices_table(graph, "CN", "US").set_index("year")
    assert list(table.index) == [2019, 2020, 2021]
    assert list(table["n_intl"]) == [3, 2, 1]
    # 2019: as the first hand-worked row above.
    assert table.loc[2019, "jaccard"] == pytest.approx(1 / 3)
    assert table.loc[2019, "association_strength"] == pytest.approx(0.75)
    assert table.loc[2019, "inclusion"] == pytest.approx(0.5)
    # 2020: n_ab = n_a = n_b = N = 2, so every index is 1.
    assert table.loc[2020, ["closeness", "jaccard", "association_strength", "inclusion"]].tolist() == \
        pytest.approx([1, 1, 1, 1])
    # The closeness columns keep the saved query's values.
    closeness = runner.run_df(graph, "closeness", {"a": "CN", "b": "US"}).set_index("year")
    assert table["closeness"].tolist() == pytest.approx(closeness["closeness"].tolist())
    assert table["n_ab"].tolist() == closeness["n_ab"].tolist()


def test_fractional_indices_on_small_wos(graph):
    """2020 under fractional counting: 005 has three countries, so CN-US gets 1/(3-1) from it,
    and 009 (two countries) gives 1: n_ab = 1.5 with n_a = n_b = 2.  Closeness 1.5/2 = 0.75,
    Jaccard 1.5/(2+2-1.5) = 0.6, association strength 1.5*2/4 = 0.75.  2019 and 2021 have only
    two-country records and stay as under whole counting."""
    load_paths(graph, [SMALL])
    table = indices_table(graph, "CN", "US", counting="fractional").set_index("year")
    assert table.loc[2020, "n_ab"] == pytest.approx(1.5)
    assert table.loc[2020, "closeness"] == pytest.approx(0.75)
    assert table.loc[2020, "jaccard"] == pytest.approx(0.6)
    assert table.loc[2020, "association_strength"] == pytest.approx(0.75)
    assert table.loc[2019, "jaccard"] == pytest.approx(1 / 3)
    assert table.loc[2021, "closeness"] == pytest.approx(1.0)


def test_international_totals_count_each_record_once(graph):
    """2019 has four records with a year of which three are international (004 is CN only);
    005 appears twice in the file and is one record."""
    load_paths(graph, [SMALL])
    totals = international_totals(graph).set_index("year")
    assert totals.loc[2019, "records"] == 4 and totals.loc[2019, "intl"] == 3
    assert totals.loc[2020, "records"] == 2 and totals.loc[2020, "intl"] == 2
    # A branch restricts the totals too: FPGA records are 001 (2019) and 009 (2020).
    fpga = international_totals(graph, branch="FPGA").set_index("year")
    assert fpga["intl"].to_dict() == {2019: 1, 2020: 1}


def test_several_pairs_in_one_long_table(graph):
    """CN-JP: 002 in 2019 (n_a 2, n_b 1) and 005 in 2020 (n_a 2, n_b 1): closeness 1/sqrt(2)."""
    load_paths(graph, [SMALL])
    series = pair_series(graph, [("CN", "US"), ("CN", "JP")], index="closeness")
    assert set(series["pair"]) == {"CN–US", "CN–JP"}
    jp = series[series["pair"] == "CN–JP"].set_index("year")
    assert jp.loc[2019, "value"] == pytest.approx(1 / math.sqrt(2))
    assert jp.loc[2020, "value"] == pytest.approx(1 / math.sqrt(2))
    us = series[series["pair"] == "CN–US"].set_index("year")
    assert us.loc[2019, "value"] == pytest.approx(0.5)


def test_pairs_table_holds_every_index_and_counts_the_totals_once(graph, monkeypatch):
    """Switching the index reads the same table (no query); the year totals, the same for every
    pair, are counted once per table, and totals handed in are used as they are."""
    load_paths(graph, [SMALL])
    pairs = [("CN", "US"), ("CN", "JP"), ("US", "JP")]
    asked = []
    real_run_df = runner.run_df
    monkeypatch.setattr(runner, "run_df", lambda g, name, *a, **k: asked.append(name) or real_run_df(g, name, *a, **k))
    table = pairs_table(graph, pairs)
    assert asked.count("international_totals") == 1 and asked.count("closeness") == 3
    for index in INDEX_COLUMNS:
        expected = pair_series(graph, pairs, index=index)
        pd.testing.assert_frame_equal(series_of(table, index), expected)
    # 2019 has 3 international records (see above): association strength of CN-JP in 2019 is
    # n_ab * N / (n_a * n_b) = 1 * 3 / (2 * 1).
    jp = series_of(table, "association_strength").query("pair == 'CN–JP'").set_index("year")
    assert jp.loc[2019, "value"] == pytest.approx(1.5)
    asked.clear()
    doubled = international_totals(graph).assign(intl=lambda t: t["intl"] * 2)
    given = pairs_table(graph, pairs, totals=doubled)
    assert "international_totals" not in asked[1:]
    assert (given["n_intl"] == table["n_intl"] * 2).all()
