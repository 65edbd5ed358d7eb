"""The Indices and Change pages through Streamlit's AppTest, on tests/data/small_wos.txt in the
session's graph (found through COLLAB_DATA_DIR / COLLAB_GRAPH_NAME, as the app finds it)."""
from __future__ import annotations

import math
from pathlib import Path

import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from analysis.change import Period, Scope, compare_periods
from analysis.uncertainty import closeness_ci
from tests.test_analysis_cli import loaded  # noqa: F401  (the fixture: small_wos.txt, environment set)

REPO = Path(__file__).resolve().parents[1]


def page(name: str, **state) -> AppTest:
    at = AppTest.from_file(str(REPO / "ui" / "views" / f"{name}.py"), default_timeout=120)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def chart_rows(at: AppTest, index: int):
    chart = at.get("vega_lite_chart")[index]
    return [convert_arrow_bytes_to_pandas_df(d.data.data) for d in chart.proto.datasets]


def test_indices_page_draws_the_intervals_and_the_matrix(loaded):
    at = page("indices")
    expected = closeness_ci(loaded, "CN", "US", year_from=2019, year_to=2021)
    table = at.dataframe[0].value
    assert table["year"].tolist() == expected["year"].tolist() == [2019, 2020, 2021]
    assert table["closeness_hi"].tolist() == pytest.approx(expected["closeness_hi"].tolist())
    assert any(set(d.columns) >= {"closeness_lo", "closeness_hi", "expected_n_ab"} for d in chart_rows(at, 0))
    # The matrix's table: CN-US 4 joint records of 5 and 5 (test_analysis_matrix.py).
    matrix = at.dataframe[-1].value
    row = matrix[(matrix["a"] == "CN") & (matrix["b"] == "US")].iloc[0]
    assert (row["n_ab"], row["n_a"], row["n_b"]) == (4, 5, 5) and math.isclose(row["closeness"], 0.8)
    # Fractional counting and Chinese labels: 2020's joint records weigh 1.5.
    at = page("indices", idx_counting="fractional", lang="zh")
    assert at.title[0].value == "指数与不确定性"
    assert at.dataframe[0].value.set_index("year").loc[2020, "n_ab"] == pytest.approx(1.5)


def test_change_page_lists_the_classified_links_on_one_layout(loaded):
    at = page("change", chg_level="country", chg_p1=(2019, 2019), chg_p2=(2020, 2021), chg_min_weight=1)
    expected = compare_periods(loaded, Period(2019, 2019), Period(2020, 2021), Scope(level="country"), limit=30)
    # 2020-2021 against 2019: CN-US 3 (005, 009, 007) from 1, GB-US gone, JP-US new, CN-JP 1 and 1.
    shown = at.dataframe[0].value
    assert dict(zip(zip(shown["source"], shown["target"]), shown["change"])) == {
        ("China", "United States"): "grew", ("United Kingdom", "United States"): "disappeared",
        ("Japan", "United States"): "appeared", ("China", "Japan"): "same"}
    assert len(shown) == len(expected.links)
    # Both periods and the single year are drawn on the same positions.
    positions = [d for i in range(3) for d in chart_rows(at, i) if {"id", "x", "y"} <= set(d.columns)]
    assert len(positions) == 3
    first = positions[0].set_index("id")[["x", "y"]].sort_index()
    for other in positions[1:]:
        assert other.set_index("id")[["x", "y"]].sort_index().equals(first)
    # Moving the year slider redraws the year on the same layout.
    at.select_slider(key="chg_year").set_value(2020).run()
    assert not at.exception
    year = [d for d in chart_rows(at, 2) if {"id", "x", "y"} <= set(d.columns)][0]
    assert year.set_index("id")[["x", "y"]].sort_index().equals(first)
