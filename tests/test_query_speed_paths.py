"""The faster paths of the saved queries give the answers the slower ones gave.

- data_summary reads each label once and counts the records' own values before unwinding their
  source lists: counted here by hand on small_wos.txt plus a Scopus export;
- network_institutions enumerates the pairs of its top units by position in a list sorted by uid:
  compared with its record-counting oracle (tests/oracles/) at the benchmark's parameter shape
  (a year range, a limit that cuts and one that does not);
- the read-only check is kept per query text and engine: a saved query is checked once, a
  refused text is refused every time.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from cypher import runner
from graph import guard
from graph.base import QueryRefused
from loader.pipeline import load_paths
from tests.test_sources_graph import scopus_file
# The demo data, loaded once for this module into the session graph: the tests that empty that
# graph (`graph`) come before the ones that read the demo.
from tests.test_unit_aggregates import demo  # noqa: F401

SMALL = Path(__file__).parent / "data" / "small_wos.txt"
ORACLES = Path(__file__).parent / "oracles"


def test_data_summary_counts_each_source_year_and_demo(graph, tmp_path):
    scopus = scopus_file(tmp_path, [
        # The same DOI as WOS:...001 (2019): one paper, read from both sources.
        {"Title": "An FPGA accelerator for sparse convolutional networks", "Year": "2019",
         "DOI": "10.1109/TC.2019.0001", "EID": "2-s2.0-1", "Document Type": "Article",
         "Affiliations": "Tsinghua University, Beijing, China; University of California, Berkeley, CA, United States"},
        # New, and under the demo DOI prefix.
        {"Title": "A brand new ASIC", "Year": "2021", "DOI": "10.99999/demo.2021.1", "EID": "2-s2.0-3",
         "Document Type": "Article",
         "Affiliations": "Fudan University, Shanghai, China; Stanford University, Stanford, CA, United States"},
    ])
    assert load_paths(graph, [SMALL, scopus]).ok
    rows = runner.run(graph, "data_summary").rows
    # small_wos.txt: UT 001-004 have PY 2019; UT 005 (twice, one paper) and 009 have PY 2020;
    # UT 007 has no PY but its early-access year EY 2021; UT 008 has neither (year null, ordered
    # last).  Scopus adds its source to 001 and brings the 2021 demo paper.
    assert [(r["kind"], r["source"], r["year"], r["records"], r["demo"]) for r in rows] == [
        ("paper", "scopus", 2019, 1, 0),
        ("paper", "scopus", 2021, 1, 1),
        ("paper", "wos", 2019, 4, 0),
        ("paper", "wos", 2020, 2, 0),
        ("paper", "wos", 2021, 1, 0),
        ("paper", "wos", None, 1, 0),
    ]
    # Whole numbers, as count() gave them (the engine sums integers as floats).
    assert all(type(r["records"]) is int and type(r["demo"]) is int for r in rows)


def test_data_summary_of_an_empty_graph_has_its_columns(graph):
    graph.write("CREATE (:Country {code: 'CN'})")      # the graph exists, but holds no records
    df = runner.run_df(graph, "data_summary")
    assert df.empty and list(df.columns) == ["kind", "source", "year", "records", "demo"]


@pytest.mark.parametrize("params", [
    {"from": 2018, "to": 2020, "limit": 200},                       # the benchmark's question
    {"from": 2018, "to": 2020, "limit": 12},                        # a limit that cuts the units
    {"from": 2019, "to": 2019, "limit": 40, "rollup": False, "min_weight": 2},
    {"from": 2016, "to": 2022, "limit": 25, "kind": "patent"},
    {"from": 2020, "to": 2020, "limit": 1},                          # one node: no pairs at all
    {"from": 2090, "to": 2091, "limit": 50},                         # no records: no rows
])
def test_network_institutions_equals_counting_the_records(demo, params):
    oracle = (ORACLES / "network_institutions.cypher").read_text(encoding="utf-8")
    bound = runner.get("network_institutions").bind(params)
    expected = demo.read(oracle, {k: v for k, v in bound.items() if k != "counting"}, row_cap=None).rows
    got = runner.run(demo, "network_institutions", params, row_cap=None).rows
    assert got == expected
    if params["from"] < 2090:
        nodes = [r for r in got if r["source"] == r["target"]]
        assert 0 < len(nodes) <= params["limit"]
    # Links once per pair, the lower uid first.
    assert all(r["source"] <= r["target"] for r in got)


def test_read_check_is_kept_per_text_and_engine():
    text = "MATCH (n:Paper) RETURN count(n) AS papers_kept_check"
    before = guard.check_read_query.cache_info()
    guard.check_read_query(text, "falkordb")
    guard.check_read_query(text, "falkordb")
    after = guard.check_read_query.cache_info()
    assert (after.misses - before.misses, after.hits - before.hits) == (1, 1)
    # The engine is part of the key: USE is refused on Neo4j only, whichever was asked first.
    use = "USE other MATCH (n) RETURN n"
    guard.check_read_query(use, "falkordb")
    with pytest.raises(QueryRefused, match="USE is not allowed"):
        guard.check_read_query(use, "neo4j")
    # A refusal is never remembered as a pass.
    for _ in range(2):
        with pytest.raises(QueryRefused, match="one statement"):
            guard.check_read_query("MATCH (n) RETURN n; MATCH (m) DETACH DELETE m", "falkordb")


# One record whose institution no alias names: the unresolved-names tab has a row.
UNKNOWN_RECORD = """FN Clarivate Analytics Web of Science
VR 1.0
PT J
AU Doe, J
TI A widget nobody has heard of
SO TEST JOURNAL
DT Article
C1 [Doe, J] Reykjavik Widget Laboratory, Reykjavik 101, Iceland.
PY 2020
UT WOS:000000000077777
ER
EF
"""


@pytest.fixture(scope="module")
def app_graph(tmp_path_factory):
    """small_wos.txt in a data folder of its own, found by the app as `python -m ui` finds it."""
    from graph.falkor import FalkorGraph

    folder = tmp_path_factory.mktemp("speed-ui")
    unknown = folder / "unknown.txt"
    unknown.write_text(UNKNOWN_RECORD, encoding="utf-8")
    graph = FalkorGraph.embedded(folder / "data", "speed-ui")
    assert load_paths(graph, [SMALL, unknown]).ok
    with pytest.MonkeyPatch.context() as env:
        env.delenv("COLLAB_GRAPH", raising=False)
        env.setenv("COLLAB_DATA_DIR", str(folder / "data"))
        env.setenv("COLLAB_GRAPH_NAME", "speed-ui")
        yield graph
    graph.clear()
    graph.close()


def data_page(tab: str | None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "ui" / "app.py"), default_timeout=180)
    if tab is not None:
        at.session_state["data_tab"] = tab
    at.run()
    at.switch_page("views/data.py").run()
    assert not at.exception and not at.error, [e.value for e in [*at.exception, *at.error]]
    return at


def test_data_page_runs_the_open_tabs_table_only(app_graph):
    # The first columns of the tables the page shows: the records per year under the chart,
    # then the open tab's table; the upload tab's widgets are always there.
    opened = data_page(None)
    assert [list(df.value.columns)[:2] for df in opened.dataframe] == [["kind", "source"], ["name", "name_zh"]]
    assert opened.file_uploader(key="uploads") is not None
    unresolved = data_page("Unresolved names")
    assert [list(df.value.columns)[:2] for df in unresolved.dataframe] == [["kind", "source"], ["name", "country"]]
    # The one name no alias matches, from its record's C1 address, on its one record.
    shown = unresolved.dataframe[1].value
    assert [(r["name"], r["country"], r["records"]) for r in shown.to_dict("records")] == \
        [("Reykjavik Widget Laboratory", "IS", 1)]
