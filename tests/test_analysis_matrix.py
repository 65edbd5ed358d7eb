"""Country matrices, worked by hand on tests/data/small_wos.txt (records in test_graph_load.py).

International records 2019-2021: 001 CN-US, 002 CN-JP, 003 US-GB (2019); 005 CN-US-JP, 009
CN-US (2020); 007 CN-US (2021).  So n_CN = 5 (001 002 005 009 007), n_US = 5 (001 003 005 009
007), n_JP = 2 (002 005), n_GB = 1 (003), N = 6; joint: CN-US 4, CN-JP 2, JP-US 1, GB-US 1,
CN-GB 0, GB-JP 0.
"""
from __future__ import annotations

import math
from pathlib import Path

import pytest

from analysis import AnalysisError
from analysis.matrix import cells_for_chart, country_matrix, missing_codes, parse_codes, square
from loader.pipeline import load_paths

SMALL = Path(__file__).parent / "data" / "small_wos.txt"


def test_parse_codes():
    assert parse_codes("cn, US,GB,,us") == ["CN", "US", "GB"]
    with pytest.raises(AnalysisError, match="at least two"):
        parse_codes("CN")


def test_matrix_counts_and_indices_worked_by_hand(graph):
    load_paths(graph, [SMALL])
    long = country_matrix(graph, ["CN", "US", "JP", "GB"], year_from=2019, year_to=2021)
    pairs = {(r.a, r.b): r for r in long.itertuples(index=False)}
    assert set(pairs) == {("CN", "GB"), ("CN", "JP"), ("CN", "US"), ("GB", "JP"), ("GB", "US"), ("JP", "US")}
    assert {k: (r.n_ab, r.n_a, r.n_b) for k, r in pairs.items()} == {
        ("CN", "US"): (4, 5, 5), ("CN", "JP"): (2, 5, 2), ("JP", "US"): (1, 2, 5),
        ("GB", "US"): (1, 1, 5), ("CN", "GB"): (0, 5, 1), ("GB", "JP"): (0, 1, 2)}
    assert set(long["n_intl"]) == {6}
    assert pairs[("CN", "US")].closeness == pytest.approx(4 / 5)
    assert pairs[("CN", "US")].association_strength == pytest.approx(4 * 6 / 25)
    assert pairs[("CN", "JP")].inclusion == pytest.approx(1.0)           # both of Japan's are with China
    assert pairs[("CN", "JP")].jaccard == pytest.approx(2 / 5)
    assert pairs[("CN", "GB")].closeness == 0.0


def test_a_year_range_narrows_the_sums(graph):
    load_paths(graph, [SMALL])
    long = country_matrix(graph, "CN,US", year_from=2020, year_to=2020)
    row = long.iloc[0]
    assert (row.a, row.b, row.n_ab, row.n_a, row.n_b, row.n_intl) == ("CN", "US", 2, 2, 2, 2)


def test_square_matrix_is_symmetric_with_an_empty_diagonal(graph):
    load_paths(graph, [SMALL])
    codes = ["US", "CN", "JP", "XX"]
    long = country_matrix(graph, codes, year_from=2019, year_to=2021)
    matrix = square(long, "closeness", codes)
    assert list(matrix.index) == list(matrix.columns) == ["US", "CN", "JP"]     # XX has no records
    assert matrix.loc["CN", "US"] == matrix.loc["US", "CN"] == pytest.approx(0.8)
    assert matrix.loc["JP", "US"] == pytest.approx(1 / math.sqrt(10))
    assert all(math.isnan(matrix.loc[c, c]) for c in matrix.index)
    assert missing_codes(long, codes) == ["XX"]
    counts = square(long, "n_ab", codes)
    assert counts.loc["JP", "CN"] == 2
    with pytest.raises(AnalysisError, match="no column"):
        square(long, "cosine")


def test_chart_cells_hold_both_halves(graph):
    load_paths(graph, [SMALL])
    long = country_matrix(graph, ["CN", "US", "JP"], year_from=2019, year_to=2021)
    chart = cells_for_chart(long, "closeness")
    assert len(chart) == 2 * len(long)
    flipped = chart[(chart["a"] == "US") & (chart["b"] == "CN")].iloc[0]
    assert (flipped["n_a"], flipped["n_b"], flipped["value"]) == (5, 5, pytest.approx(0.8))
    jp_us = chart[(chart["a"] == "US") & (chart["b"] == "JP")].iloc[0]
    assert (jp_us["n_a"], jp_us["n_b"]) == (5, 2)
