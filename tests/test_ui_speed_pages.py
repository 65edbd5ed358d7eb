"""What the pages ask first, and the Indices page's year totals, read from tallies and cached
cells instead of counted from every record: the same numbers as the record-counting queries,
and those queries no longer run on the pages.

tests/data/small_wos.txt (see test_analysis_indices.py for the records): the international
records are 001 (CN-US), 002 (CN-JP), 003 (US-GB) in 2019, 005 (CN-US-JP) and 009 (CN-US) in
2020, 007 (CN-US) in 2021; 004 (2019) is CN only.  So N = 3, 2, 1 for 2019, 2020, 2021, whatever
the pair whose cells are summed.  FPGA records are 001 (2019) and 009 (2020): N = 1, 1.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analysis.counting import fetch_cells, query_params
from analysis.series import international_from_cells, international_totals
from cypher import runner
from graph.falkor import FalkorGraph
from loader.pipeline import load_paths

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "ui" / "app.py"
SMALL = Path(__file__).parent / "data" / "small_wos.txt"
GRAPH_NAME = "ui-speed-indices"


@pytest.mark.parametrize("pair", [("CN", "US"), ("JP", "GB"), ("DE", "FR")])
@pytest.mark.parametrize("filters, expected", [
    ({}, {2019: 3, 2020: 2, 2021: 1}),
    ({"year_from": 2020, "year_to": 2021}, {2020: 2, 2021: 1}),
    ({"branch": "FPGA"}, {2019: 1, 2020: 1}),
])
def test_any_pairs_cells_sum_to_the_years_international_records(graph, pair, filters, expected):
    # DE and FR are on no record: their cells are all "neither", and still every record.
    load_paths(graph, [SMALL])
    totals = international_from_cells(fetch_cells(graph, *pair, **filters))
    assert list(totals.columns) == ["year", "intl"]
    assert dict(zip(totals["year"], totals["intl"])) == expected
    # The record-counting query agrees (it also lists years without an international record, at 0).
    scanned = international_totals(graph, **query_params(**filters))
    assert dict(zip(scanned["year"], scanned["intl"])) == expected


def test_no_cells_no_years(graph):
    load_paths(graph, [SMALL])
    totals = international_from_cells(fetch_cells(graph, "CN", "US", year_from=1990, year_to=1991))
    assert totals.empty and list(totals.columns) == ["year", "intl"]


# -- the same against the calibrated demo data: patents, both roles, branches, many years ----------

@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    try:
        from loader.demo.generate import write_demo
    except ImportError:
        pytest.skip("the demo generator (loader/demo/generate.py) is not there")
    folder = tmp_path_factory.mktemp("ui-speed")
    files = [p for p in write_demo(folder / "demo") if p.name != "README.txt"]
    graph = FalkorGraph.embedded(folder / "data", GRAPH_NAME)
    graph.clear()
    summary = load_paths(graph, files)
    assert summary.ok, [f.error for f in summary.files if f.error]
    yield graph, folder / "data"
    graph.close()


FILTERS = [dict(kind="paper"), dict(kind="paper", year_from=2010, year_to=2015), dict(kind="patent"),
           dict(kind="patent", role="applicant"), dict(kind="paper", branch="FPGA"),
           dict(kind="patent", branch="FPGA", year_from=2012)]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: "-".join(str(v) for v in f.values()))
def test_cells_give_the_record_counting_totals_on_the_demo_data(demo, filters):
    graph, _ = demo
    scanned = international_totals(graph, **query_params(**filters))
    scanned = scanned[scanned["intl"] > 0]
    assert len(scanned) > 0, "the demo data has international records under these filters"
    for pair in [("CN", "US"), ("GB", "JP")]:
        summed = international_from_cells(fetch_cells(graph, *pair, **filters))
        pd.testing.assert_frame_equal(summed.reset_index(drop=True),
                                      scanned[["year", "intl"]].reset_index(drop=True), check_dtype=False)


def open_page(demo, monkeypatch, page: str, **state) -> tuple[AppTest, list[str]]:
    """The page against the demo graph, and the saved queries it ran (caches emptied first)."""
    _, data_dir = demo
    monkeypatch.delenv("COLLAB_GRAPH", raising=False)
    monkeypatch.setenv("COLLAB_DATA_DIR", str(data_dir))
    monkeypatch.setenv("COLLAB_GRAPH_NAME", GRAPH_NAME)
    st.cache_data.clear()
    asked = []
    real_run = runner.run
    monkeypatch.setattr(runner, "run", lambda g, name, *a, **k: asked.append(name) or real_run(g, name, *a, **k))
    at = AppTest.from_file(str(APP), default_timeout=180)
    for key, value in state.items():
        at.session_state[key] = value
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at, asked


@pytest.mark.parametrize("page, slider", [("trends", "years"), ("indices", "years"), ("change", "chg_p2")])
def test_pages_offer_the_loaded_years_without_reading_every_record(demo, monkeypatch, page, slider):
    graph, _ = demo
    at, asked = open_page(demo, monkeypatch, page)
    assert "data_summary" not in asked and "loaded_years" in asked
    # Every demo record names a country: the years offered are data_summary's years.
    summary = runner.run_df(graph, "data_summary")
    years = sorted({int(y) for y in summary.loc[(summary["kind"] == "paper") & summary["year"].notna(), "year"]})
    widget = at.slider(key=slider)
    assert (widget.min, widget.max) == (years[0], years[-1])
    # The demo banner, as data_summary's demo column says.
    assert int(summary["demo"].sum()) > 0
    assert any("Calibrated demo data" in w.value for w in at.warning)


def test_indices_page_shows_the_record_counting_totals_without_running_that_query(demo, monkeypatch):
    graph, _ = demo
    at, asked = open_page(demo, monkeypatch, "indices")
    assert "international_totals" not in asked and "closeness_records" in asked
    year_from, year_to = at.slider(key="years").value
    scanned = international_totals(graph, kind="paper", role="inventor", **{"from": year_from, "to": year_to})
    intl = dict(zip(scanned["year"], scanned["intl"]))
    pairs = at.dataframe[1].value
    assert len(pairs) > 0
    for row in pairs.itertuples():
        assert row.n_intl == intl[row.year], (row.pair, row.year)
    matrix = at.dataframe[2].value
    assert len(matrix) > 0 and (matrix["n_intl"] == sum(intl.values())).all()


@pytest.mark.parametrize("kind", ["paper", "patent"])
def test_the_country_choices_are_the_country_networks_nodes(demo, monkeypatch, kind):
    """The pair pages' countries, most records first, as the country network's nodes over every
    year list them (network_countries, which the pages asked before), read from the tallies."""
    graph, _ = demo
    at, asked = open_page(demo, monkeypatch, "trends", kind=kind)
    assert "network_countries" not in asked and "country_list" in asked
    nodes = runner.run_df(graph, "network_countries", {"kind": kind, "min_weight": 2**31 - 1, "limit": 100_000})
    codes = [s for s, t in zip(nodes["source"], nodes["target"]) if s == t]
    assert len(codes) > 2
    offered = [re.search(r"\((\w+)\)$", label).group(1) for label in at.selectbox(key="country_a").options]
    assert offered == codes
