"""The explorer's pages through Streamlit's AppTest, against a real loaded graph.

The graph holds the calibrated demo data when its generator is there (else
tests/data/small_wos.txt), plus one record whose institution is named like an
attack (`<script>…`), to check that names are escaped wherever they are drawn.
The app finds the graph through COLLAB_DATA_DIR / COLLAB_GRAPH_NAME, exactly as
`python -m ui` does.
"""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from analysis.change import CHANGES
from analysis.counting import COUNTINGS
from analysis.indices import INDEX_COLUMNS
from cypher import runner
from graph.falkor import FalkorGraph
from loader.pipeline import load_paths

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "ui" / "app.py"
SMALL = Path(__file__).parent / "data" / "small_wos.txt"
GRAPH_NAME = "ui-tests"
HOSTILE = "<script>alert('owned')</script> Lab"
CLOSENESS_COLUMNS = ["year", "n_ab", "n_a", "n_b", "closeness", "share_a", "share_b"]
PAGES = ["trends", "institutions", "indices", "network", "change", "drilldown", "console", "data"]

HOSTILE_RECORD = f"""FN Clarivate Analytics Web of Science
VR 1.0
PT J
AU Doe, J
   Wang, L
TI An FPGA design named to test escaping
SO TEST JOURNAL
DT Article
C1 [Doe, J] {HOSTILE}, Reykjavik 101, Iceland.
   [Wang, L] Tsinghua Univ, Dept Comp Sci, Beijing 100084, Peoples R China.
C3 {HOSTILE}; Tsinghua University
PY 2020
UT WOS:000000000099999
ER

EF
"""


def export_files(folder: Path) -> tuple[list[Path], bool]:
    """The demo exports when the generator exists (True), else the small hand-checked file."""
    try:
        from loader.demo.generate import write_demo
    except ImportError:
        return [SMALL], False
    written = write_demo(folder / "demo")
    return [p for p in written if p.name != "README.txt"], True


def load_graph(tmp_path_factory, name: str = GRAPH_NAME):
    """A data folder with a loaded graph; yields (graph, data_dir, demo?).  The caller's open
    connection keeps the embedded server running for the app."""
    folder = tmp_path_factory.mktemp("ui-graph")
    files, demo = export_files(folder)
    hostile = folder / "hostile.txt"
    hostile.write_text(HOSTILE_RECORD, encoding="utf-8")
    graph = FalkorGraph.embedded(folder / "data", name)
    graph.clear()
    summary = load_paths(graph, [*files, hostile])
    assert summary.ok, [f.error for f in summary.files if f.error]
    return graph, folder / "data", demo


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    graph, data_dir, demo = load_graph(tmp_path_factory)
    with pytest.MonkeyPatch.context() as env:
        env.delenv("COLLAB_GRAPH", raising=False)
        env.setenv("COLLAB_DATA_DIR", str(data_dir))
        env.setenv("COLLAB_GRAPH_NAME", GRAPH_NAME)
        yield graph, demo, data_dir
    graph.close()


def open_page(page: str, **state) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=180)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    if page != "trends":
        at.switch_page(f"views/{page}.py").run()
    return at


def chart_data(at: AppTest, index: int) -> list[pd.DataFrame]:
    """The datasets a chart was sent with (the rows it draws)."""
    chart = at.get("vega_lite_chart")[index]
    return [convert_arrow_bytes_to_pandas_df(d.data.data) for d in chart.proto.datasets]


def same_rows(shown: pd.DataFrame, expected: list[dict]) -> None:
    want = pd.DataFrame(expected, columns=list(shown.columns))
    assert len(shown) == len(want)
    for column in shown.columns:
        for got, exp in zip(shown[column], want[column]):
            if isinstance(exp, float) or isinstance(got, float):
                assert (pd.isna(got) and pd.isna(exp)) or math.isclose(got, exp, rel_tol=1e-9), column
            else:
                assert got == exp, column


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_errors(loaded, page):
    at = open_page(page)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title, f"{page} has no title"


def test_demo_data_is_labelled_on_every_page(loaded):
    _, demo, _ = loaded
    if not demo:
        pytest.skip("the demo generator (loader/demo/generate.py) is not there: no demo records to label")
    for page in PAGES:
        at = open_page(page)
        assert any("Calibrated demo data" in w.value for w in at.warning), page


def test_trend_chart_draws_the_closeness_rows(loaded):
    graph, *_ = loaded
    at = open_page("trends")
    slider = at.slider(key="years")
    year_from, year_to = slider.value
    expected = runner.run(graph, "closeness", {"a": "CN", "b": "US", "kind": "paper", "role": "inventor",
                                               "from": year_from, "to": year_to}).rows
    assert expected, "the loaded graph has China–US rows"
    drawn = chart_data(at, 0)[0]
    assert list(drawn.columns) == CLOSENESS_COLUMNS
    same_rows(drawn, expected)
    # The table under it lists the same rows, then the intervals' columns.
    same_rows(at.dataframe[0].value[CLOSENESS_COLUMNS], expected)
    # Without the intervals, the query's rows alone.
    at.toggle(key="uncertainty").set_value(False).run()
    same_rows(at.dataframe[0].value, expected)
    same_rows(chart_data(at, 0)[0], expected)
    # A narrower year range asks again.
    at.slider(key="years").set_value((year_to - 1, year_to)).run()
    assert list(chart_data(at, 0)[0]["year"]) == [r["year"] for r in expected if r["year"] >= year_to - 1]


@pytest.mark.parametrize("kind", ["paper", "patent"])
def test_trend_intervals_contain_the_estimates(loaded, kind):
    at = open_page("trends", kind=kind)
    table = at.dataframe[0].value
    assert not table.empty
    for value in ("closeness", "share_a", "share_b"):
        inside = (table[f"{value}_lo"] <= table[value] + 1e-12) & (table[value] <= table[f"{value}_hi"] + 1e-12)
        assert inside.all(), table.loc[~inside, ["year", value, f"{value}_lo", f"{value}_hi"]]
    # docs/uncertainty.md: expected joint records N_a * N_b / N; small = N_ab < 10 or min(N_a, N_b) < 30.
    for row in table.itertuples():
        assert row.expected_n_ab == pytest.approx(row.n_a * row.n_b / row.n_intl)
        assert row.observed_expected == pytest.approx(row.n_ab / row.expected_n_ab)
        assert row.small_counts == (row.n_ab < 10 or min(row.n_a, row.n_b) < 30)
    flagged = table.loc[table["small_counts"], "year"].tolist()
    warned = [c.value for c in at.caption if "Too few records" in c.value]
    assert bool(warned) == bool(flagged)
    if flagged:
        # Runs of years are written first–last: the first and last flagged years are named.
        assert str(flagged[0]) in warned[0] and str(flagged[-1]) in warned[0]


def test_fractional_counting_keeps_each_countrys_records(loaded):
    whole = open_page("trends").dataframe[0].value.set_index("year")
    at = open_page("trends", counting="fractional")
    fractional = at.dataframe[0].value.set_index("year")
    reconciliation = at.dataframe[1].value.set_index("year")
    assert list(fractional.index) == list(whole.index)
    assert (fractional["n_a"] == whole["n_a"]).all() and (fractional["n_b"] == whole["n_b"]).all()
    # Only the joint records shrink, by 1/2 per three-country record and more for larger ones.
    year = 2020 if 2020 in whole.index else whole.index[-1]
    assert reconciliation.loc[year, "n_ab_whole"] == whole.loc[year, "n_ab"]
    assert fractional.loc[year, "n_ab"] == pytest.approx(
        whole.loc[year, "n_ab"] - reconciliation.loc[year, "ab_k3"] / 2
        - reconciliation.loc[year, "ab_k4plus_discount"])
    if reconciliation.loc[year, "ab_k3"] + reconciliation.loc[year, "ab_k4plus"] > 0:
        assert fractional.loc[year, "closeness"] < whole.loc[year, "closeness"]


def test_indices_page_compares_the_default_pairs(loaded):
    at = open_page("indices")
    codes = set(data_countries(at))
    shown = set(at.dataframe[1].value["pair"])
    assert shown == {p for p in ("CN–US", "CN–GB", "US–GB", "US–JP") if set(p.split("–")) <= codes}
    matrix = at.dataframe[2].value
    present = [c for c in ("CN", "US", "GB", "JP", "DE") if c in codes]
    assert len(matrix) == len(present) * (len(present) - 1) // 2


def data_countries(at: AppTest) -> list[str]:
    """The country codes the pair selector offers ("China (CN)" -> "CN")."""
    return [re.search(r"\((\w\w)\)$", option).group(1) for option in at.selectbox(key="country_a").options]


def test_institutions_table_is_institution_compare(loaded):
    graph, *_ = loaded
    at = open_page("institutions")
    year1, year2 = at.selectbox(key="year1").value, at.selectbox(key="year2").value
    params = {"a": "CN", "b": "US", "kind": "paper", "year1": year1, "year2": year2, "rollup": True,
              "limit": 10, "min_intl": 10}
    expected = runner.run(graph, "institution_compare", params).rows
    assert expected
    same_rows(at.dataframe[0].value, expected)
    # Without the small-year rule nothing is adjusted.
    at.toggle(key="small_rule").set_value(False).run()
    assert not at.dataframe[0].value["adjusted_1"].any()
    same_rows(at.dataframe[0].value, runner.run(graph, "institution_compare", {**params, "min_intl": None}).rows)


def test_console_refuses_a_write_and_changes_nothing(loaded):
    graph, *_ = loaded
    before = graph.counts()
    at = open_page("console")
    at.text_area(key="console_text").set_value("CREATE (n:X {name: 'should not exist'})").run()
    at.button(key="console_run").click().run()
    assert any("Refused" in e.value for e in at.error), [e.value for e in at.error]
    assert not at.exception
    assert graph.counts() == before


def test_console_runs_a_saved_query_from_its_form(loaded):
    graph, *_ = loaded
    at = open_page("console")
    at.selectbox(key="console_example").set_value("closeness").run()
    assert at.text_area(key="console_text").value == runner.get("closeness").text
    # Defaults prefilled from the header; the two countries are required.
    assert at.text_input(key="console_param_kind").value == '"paper"'
    at.text_input(key="console_param_a").set_value("CN")
    at.text_input(key="console_param_b").set_value("US").run()
    at.button(key="console_run").click().run()
    assert not at.error, [e.value for e in at.error]
    expected = runner.run(graph, "closeness", {"a": "CN", "b": "US"}).rows
    same_rows(at.dataframe[0].value, expected)


def test_console_truncates_and_draws_graph_values(loaded):
    at = open_page("console")
    at.text_area(key="console_text").set_value(
        "MATCH (i:Institution)-[r:PART_OF]->(p:Institution) RETURN i, r, p ORDER BY i.uid").run()
    at.number_input(key="console_row_cap").set_value(2).run()
    at.button(key="console_run").click().run()
    assert any("first 2 rows" in w.value for w in at.warning)
    table = at.dataframe[0].value
    assert list(table.columns) == ["i", "r", "p"] and len(table) == 2
    assert '"_type": "PART_OF"' in json.dumps(eval_cell(table.iloc[0]["r"]))
    frames = at.get("iframe")
    assert frames, "the nodes and relationships are drawn as a small graph"


def eval_cell(text: str) -> dict:
    # Cells holding maps are shown as their Python text.
    import ast
    return ast.literal_eval(text)


def test_chinese_interface(loaded):
    at = open_page("trends", lang="zh")
    assert at.title[0].value == json.loads((REPO / "ui" / "i18n" / "zh.json").read_text("utf-8"))["trends.title"]
    country = at.selectbox(key="country_a")
    assert "中国 (CN)" in country.options and "美国 (US)" in country.options
    at = open_page("institutions", lang="zh")
    chart = chart_data(at, 0)[0]
    assert "清华大学" in set(chart["label"])


def test_hostile_names_are_escaped_in_the_network(loaded):
    at = open_page("drilldown", drill_search="script")
    assert not at.exception and not at.error
    assert at.selectbox(key="drill_pick").value == HOSTILE
    page = at.get("iframe")[0].proto.srcdoc
    assert "alert('owned')" not in page and "<script>alert" not in page
    assert "&lt;script&gt;alert" in page.replace("\\u0026", "&")


def test_upload_loads_into_the_graph_and_leaves_no_file(loaded):
    graph, _, data_dir = loaded
    with pytest.MonkeyPatch.context() as env:
        env.setenv("COLLAB_GRAPH_NAME", "ui-upload")      # an empty graph of its own
        at = open_page("data")
        assert not at.error and not at.exception, [e.value for e in [*at.error, *at.exception]]
        assert at.info, "an empty graph says how to load data"
        at.file_uploader(key="uploads").upload("small_wos.txt", SMALL.read_bytes(), "text/plain").run()
        at.button(key="load").click().run()
        assert not at.exception, [e.value for e in at.exception]
        summary = at.dataframe[-1].value
        # small_wos.txt: nine records, one of them a repeat (see test_graph_load.py).
        assert (summary.loc[0, "read"], summary.loc[0, "new"], summary.loc[0, "duplicate"]) == (9, 8, 1)
        assert summary.loc[0, "file"] == "small_wos.txt"
        uploads = data_dir / "uploads"
        assert not any(uploads.iterdir()), "uploaded files are deleted after loading"
        upload_graph = FalkorGraph.embedded(data_dir, "ui-upload")
        try:
            assert upload_graph.counts()["nodes:Paper"] == 8
        finally:
            upload_graph.clear()
            upload_graph.close()


def test_translation_tables_cover_every_label():
    en = json.loads((REPO / "ui" / "i18n" / "en.json").read_text("utf-8"))
    zh = json.loads((REPO / "ui" / "i18n" / "zh.json").read_text("utf-8"))
    assert set(en) == set(zh)
    used = set()
    for source in (REPO / "ui").rglob("*.py"):
        used |= set(re.findall(r"""\bt\(["']([\w.]+)["']""", source.read_text("utf-8")))
    assert used - set(en) == set()
    # Keys built at run time: t(f"kind.{kind}") and the like.
    for family, values in {"kind": ["paper", "patent"], "role": ["inventor", "applicant"],
                           "net.level": ["institution", "country"], "counting": list(COUNTINGS),
                           "idx": INDEX_COLUMNS, "idx.reads": INDEX_COLUMNS, "change": list(CHANGES)}.items():
        assert {f"{family}.{v}" for v in values} <= set(en)
    # Every placeholder of the English text is in the Chinese text too.
    for key, text in en.items():
        assert set(re.findall(r"{(\w+)}", text)) == set(re.findall(r"{(\w+)}", zh[key])), key


def test_chart_images_render_without_a_browser():
    import altair as alt
    from ui.components.panels import image

    chart = alt.Chart(pd.DataFrame({"year": [2019, 2020], "n": [1, 2]})).mark_bar().encode(x="year:O", y="n:Q")
    assert image(chart, "png").startswith(b"\x89PNG")
    assert b"<svg" in image(chart, "svg")


def test_trends_branch_filter_equals_the_query(loaded):
    """Choosing a technology branch on the trends page draws closeness for that branch."""
    graph, *_ = loaded
    at = open_page("trends", trends_branch="FPGA", uncertainty=False)
    assert not at.exception, [e.value for e in at.exception]
    year_from, year_to = at.slider(key="years").value
    expected = runner.run(graph, "closeness", {"a": "CN", "b": "US", "branch": "FPGA",
                                               "from": year_from, "to": year_to}).rows
    all_branches = runner.run(graph, "closeness", {"a": "CN", "b": "US", "from": year_from, "to": year_to}).rows
    assert expected and expected != all_branches
    same_rows(chart_data(at, 0)[0], expected)
