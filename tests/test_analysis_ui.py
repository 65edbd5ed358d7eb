"""The explorer's analyses through Streamlit's AppTest — intervals, the counting switch, other
indices, change between periods, exports and bundles — on tests/data/small_wos.txt in the
session's graph (found through COLLAB_DATA_DIR / COLLAB_GRAPH_NAME, as the app finds it), whose
few records let every expected value be worked out by hand.

The records with a year (008 has none, so no year range holds it):
  2019  001 CN US · 002 CN JP · 003 US GB · 004 CN (domestic)
  2020  005 CN US JP (exported twice, loaded once) · 009 CN US
  2021  007 CN US
"""
from __future__ import annotations

import io
import json
import math
import zipfile
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from analysis.change import Period, Scope, compare_periods
from analysis.exports import VOS_COLUMNS
from cypher import runner
from tests.test_analysis_cli import loaded  # noqa: F401  (the fixture: small_wos.txt, environment set)

REPO = Path(__file__).resolve().parents[1]
CLOSENESS_COLUMNS = ["year", "n_ab", "n_a", "n_b", "closeness", "share_a", "share_b"]


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


@pytest.fixture
def downloads(monkeypatch):
    """The files the pages offer, by file name.  The pages make a file only when its button is
    clicked (a deferred download): Streamlit keeps the function that makes it, and this keeps
    it too, to call it as a click would."""
    offered = {}
    register = MediaFileManager.add_deferred

    def keep(self, make, mimetype, coordinates, file_name=None, **kwargs):
        offered[file_name] = make
        return register(self, make, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    return offered


def by_year(df: pd.DataFrame) -> pd.DataFrame:
    return df.set_index("year")


def test_trends_intervals_and_expectation(loaded):
    at = page("trends")
    table = by_year(at.dataframe[0].value)
    # 2019: 3 international records (001, 002, 003); CN on 2, US on 2, both on 1.
    #   closeness 1/sqrt(2*2) = 0.5; expected joint 2*2/3 = 4/3; observed/expected 1/(4/3) = 0.75.
    row = table.loc[2019]
    assert (row["n_ab"], row["n_a"], row["n_b"], row["n_intl"]) == (1, 2, 2, 3)
    assert row["closeness"] == pytest.approx(0.5)
    assert row["expected_n_ab"] == pytest.approx(4 / 3) and row["observed_expected"] == pytest.approx(0.75)
    assert row["closeness_lo"] <= 0.5 <= row["closeness_hi"]
    # 2020 (005, 009) and 2021 (007): every international record of CN or US has both, so every
    # resample gives closeness 1 and shares 1: intervals of zero width.
    for year in (2020, 2021):
        assert table.loc[year, "closeness_lo"] == table.loc[year, "closeness_hi"] == 1.0
        assert table.loc[year, "share_a_lo"] == table.loc[year, "share_b_hi"] == 1.0
    # Every year has fewer than 10 joint records: all flagged, and the page says so.
    assert table["small_counts"].all()
    assert any("2019–2021" in c.value for c in at.caption)
    # The band is drawn from the same rows: a dataset of the trend chart carries the interval.
    band = [d for d in chart_rows(at, 0) if "closeness_lo" in d.columns]
    assert band and by_year(band[0]).loc[2019, "closeness_hi"] == row["closeness_hi"]
    # The shares' table lists the shares' intervals too.
    assert {"share_a_lo", "share_a_hi", "share_b_lo", "share_b_hi"} <= set(at.dataframe[1].value.columns)


def test_trends_fractional_counting_and_reconciliation(loaded):
    whole = by_year(page("trends", counting="whole").dataframe[0].value)
    at = page("trends", counting="fractional")
    fractional = by_year(at.dataframe[0].value)
    # 2020: 005 has three countries, so the CN-US pair gets 1/(3-1) = 1/2 of it, 009 two, so 1:
    #   n_ab 1.5 (whole 2); n_a and n_b stay 2; closeness 1.5 / sqrt(2 * 2) = 0.75.
    assert whole.loc[2020, "n_ab"] == 2 and whole.loc[2020, "closeness"] == pytest.approx(1.0)
    assert fractional.loc[2020, "n_ab"] == pytest.approx(1.5)
    assert (fractional.loc[2020, "n_a"], fractional.loc[2020, "n_b"]) == (2, 2)
    assert fractional.loc[2020, "closeness"] == pytest.approx(0.75)
    # Resampling 005 and 009: two 005s give n_ab 1 (closeness 0.5, chance 1/4), one of each 1.5,
    # two 009s 2 (closeness 1, chance 1/4): the 95% interval runs from 0.5 to 1.
    assert (fractional.loc[2020, "closeness_lo"], fractional.loc[2020, "closeness_hi"]) == (0.5, 1.0)
    # 2019 and 2021 have two-country records only: the same as whole counting.
    for year in (2019, 2021):
        assert fractional.loc[year, "n_ab"] == whole.loc[year, "n_ab"]
    # The chart draws the fractional rows.
    assert by_year(chart_rows(at, 0)[0]).loc[2020, "n_ab"] == pytest.approx(1.5)
    # The reconciliation: CN's 2020 records 005 (k = 3) and 009 (k = 2) link it 2 + 1 = 3 times
    # whole, 2 times fractional; the joint records are one of two countries and one of three.
    reconciliation = by_year(at.dataframe[1].value)
    assert reconciliation.loc[2020, ["n_a", "links_a_whole", "links_a_fractional", "n_ab_whole", "ab_k2",
                                     "ab_k3", "ab_k4plus", "intl_k2", "intl_k3"]].tolist() == [2, 3, 2, 2, 1, 1, 0,
                                                                                                1, 1]
    assert reconciliation.loc[2020, "n_ab_fractional"] == pytest.approx(1.5)


def test_indices_page_draws_the_intervals_and_the_matrix(loaded):
    at = page("indices")
    table = at.dataframe[0].value
    assert table["year"].tolist() == [2019, 2020, 2021]
    assert any(set(d.columns) >= {"closeness_lo", "closeness_hi", "expected_n_ab"} for d in chart_rows(at, 0))
    # The matrix's table over 2019-2021 (008 has no year): CN-US 001, 005, 007, 009 = 4 joint
    # records; CN's international records 001, 002, 005, 007, 009 = 5, the US's 001, 003, 005,
    # 007, 009 = 5; closeness 4 / sqrt(5 * 5) = 0.8.
    matrix = at.dataframe[-1].value
    row = matrix[(matrix["a"] == "CN") & (matrix["b"] == "US")].iloc[0]
    assert (row["n_ab"], row["n_a"], row["n_b"]) == (4, 5, 5) and math.isclose(row["closeness"], 0.8)
    # The pairs' chart under Jaccard: CN-US 2019 is 1 / (2 + 2 - 1) = 1/3.
    at = page("indices", idx_index="jaccard", idx_pairs=["CN–US"])
    pairs = at.dataframe[1].value
    assert pairs.loc[pairs["year"] == 2019, "value"].item() == pytest.approx(1 / 3)
    assert any("N_{ab}" in x.value for x in at.get("latex")), "the index's formula is shown"
    # Fractional counting and Chinese labels: 2020's joint records weigh 1.5.
    at = page("indices", counting="fractional", lang="zh")
    assert at.title[0].value == "指数与不确定性"
    assert at.dataframe[0].value.set_index("year").loc[2020, "n_ab"] == pytest.approx(1.5)


def test_change_page_lists_the_classified_links_on_one_layout(loaded, downloads):
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
    # The second period's network downloads: CN-US 3, CN-JP 1 (005), JP-US 1 (005); GB has no
    # record then, so no link.
    g = nx.read_graphml(io.BytesIO(downloads["network-country-2020-2021.graphml"]()))
    assert sorted((*sorted((g.nodes[u]["label"], g.nodes[v]["label"])), w) for u, v, w in g.edges(data="weight")) \
        == [("China", "Japan", 1.0), ("China", "United States", 3.0), ("Japan", "United States", 1.0)]
    # In Chinese the changes are named in Chinese (the analyses name them in English).
    zh = page("change", chg_level="country", chg_p1=(2019, 2019), chg_p2=(2020, 2021), chg_min_weight=1, lang="zh")
    assert set(zh.dataframe[0].value["change"]) == {"增长", "消失", "新出现", "不变"}


def test_network_view_downloads_in_every_format(loaded, downloads):
    """The country network of 2019-2021: CN on 6 records (001 002 004 005 007 009), the US on 5,
    JP on 2, GB on 1; links CN-US 4 (001 005 007 009), CN-JP 2 (002 005), JP-US 1, GB-US 1."""
    at = page("network", net_level="country", net_min_weight=1)
    records = {"China": 6, "United States": 5, "Japan": 2, "United Kingdom": 1}
    links = {("China", "United States"): 4, ("China", "Japan"): 2, ("Japan", "United States"): 1,
             ("United Kingdom", "United States"): 1}
    files = {name: make() for name, make in downloads.items() if name.startswith("network-country-2019-2021")}
    assert set(files) == {"network-country-2019-2021.graphml", "network-country-2019-2021.gexf",
                          "network-country-2019-2021.net", "network-country-2019-2021-vosviewer.zip",
                          "network-country-2019-2021-csv.zip"}
    assert all(files.values())

    def named(g: nx.Graph, label: str = "label") -> tuple[dict, dict]:
        nodes = {g.nodes[n][label]: g.nodes[n] for n in g}
        edges = {tuple(sorted((g.nodes[u][label], g.nodes[v][label]))): w for u, v, w in g.edges(data="weight")}
        return nodes, edges

    for name in ("network-country-2019-2021.graphml", "network-country-2019-2021.gexf"):
        reader = nx.read_graphml if name.endswith("graphml") else nx.read_gexf
        nodes, edges = named(reader(io.BytesIO(files[name])))
        assert {n: d["records"] for n, d in nodes.items()} == records, name
        assert edges == links, name
    # Pajek numbers the vertices and keeps each label as the node's name.
    pajek = nx.read_pajek(io.BytesIO(files["network-country-2019-2021.net"]))
    assert set(pajek) == set(records)
    assert {tuple(sorted((u, v))): w for u, v, w in pajek.edges(data="weight")} == links
    with zipfile.ZipFile(io.BytesIO(files["network-country-2019-2021-vosviewer.zip"])) as zf:
        map_lines = zf.read("network-country-2019-2021_map.txt").decode("utf-8").splitlines()
        network_lines = zf.read("network-country-2019-2021_network.txt").decode("utf-8").splitlines()
    assert map_lines[0].split("\t") == VOS_COLUMNS
    label_of = {line.split("\t")[0]: line.split("\t")[1] for line in map_lines[1:]}
    assert {label_of[i]: float(docs) for i, *_, docs in (line.split("\t") for line in map_lines[1:])} == records
    assert {tuple(sorted((label_of[i], label_of[j]))): float(w)
            for i, j, w in (line.split("\t") for line in network_lines)} == links
    with zipfile.ZipFile(io.BytesIO(files["network-country-2019-2021-csv.zip"])) as zf:
        nodes = pd.read_csv(zf.open("network-country-2019-2021_nodes.csv"))
        edges = pd.read_csv(zf.open("network-country-2019-2021_edges.csv"))
    assert dict(zip(nodes["label"], nodes["records"])) == records
    assert len(edges) == 4 and sorted(edges["weight"]) == [1, 1, 2, 4]
    # The nodes table under the drawing lists the same network.
    assert dict(zip(at.dataframe[0].value["name"], at.dataframe[0].value["records"])) == records


def test_trends_bundle_holds_the_data_queries_and_fingerprint(loaded, downloads):
    page("trends")
    with zipfile.ZipFile(io.BytesIO(downloads["trends-CN-US-paper-2019-2021.zip"]())) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        data = pd.read_csv(zf.open("trends_CN_US.csv"))
        closeness_text = zf.read("trends_CN_US.closeness.cypher").decode("utf-8")
        params = json.loads(zf.read("trends_CN_US.closeness_records.params.json"))
    # Eight papers: nine records, 005 twice.
    assert manifest["fingerprint"]["records"] == {"paper": 8, "patent": 0}
    assert manifest["fingerprint"]["counts"]["nodes:Paper"] == 8
    assert data["year"].tolist() == [2019, 2020, 2021] and data["closeness"].tolist() == pytest.approx([0.5, 1, 1])
    assert {"closeness_lo", "expected_n_ab", "small_counts"} <= set(data.columns)
    assert closeness_text == runner.get("closeness").text
    assert (params["a"], params["b"], params["from"], params["to"]) == ("CN", "US", 2019, 2021)
