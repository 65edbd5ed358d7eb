"""The counting switch on every page that counts records, through Streamlit's AppTest.

On the calibrated demo graph (tests/test_ui_apptest.py's, with its hostile record): each page
renders under both countings, says which counting its numbers are in, explains under
fractional counting why the totals differ, and shows the saved query's rows with
counting='fractional' — as tests/test_ui_apptest.py checks whole counting.  On
tests/data/small_wos.txt, whose few records can be counted by hand, one institution's partners
and the reconciliation of their totals.
"""
from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis.change import Period, Scope, compare_periods
from cypher import runner
from tests.test_analysis_cli import loaded as small  # noqa: F401  (small_wos.txt in the session's graph)
from tests.test_ui_apptest import REPO, open_page, same_rows
from tests.test_ui_apptest import loaded as demo_loaded  # noqa: F401  (the demo graph, environment set)

WHY = "Why whole and fractional counts differ"
# page (a name of ui/views, and the level it counts) -> the state that opens it there
PAGES = {
    "institutions": {},
    "drilldown": {},
    "network": {"net_level": "institution"},
    "network-country": {"net_level": "country"},
    "change": {"chg_level": "institution"},
    "change-country": {"chg_level": "country"},
    "indices": {},
    "trends": {},
}
TOTALS = ("total", "whole", "fractional", "difference")
# Columns that tell each page's tables apart.
COMPARE = ("institution", "n_ab_1", "adjusted_1")
SERIES = ("year", "n_ab", "n_intl", "share")
NODES = ("name", "records", "links")
LINKS = ("source", "target", "weight")
PARTNERS = ("partner", "partner_zh", "records")
MATRIX = ("a", "b", "n_ab", "closeness")


@pytest.fixture
def demo(demo_loaded):
    return demo_loaded[0]


def shown(at: AppTest, *columns: str):
    """The one table on the page that has these columns (AppTest keeps no key for a table)."""
    found = [d for d in at.dataframe if set(columns) <= set(d.value.columns)]
    assert len(found) == 1, (columns, [list(d.value.columns) for d in at.dataframe])
    return found[0]


def table(at: AppTest, *columns: str) -> pd.DataFrame:
    return shown(at, *columns).value


def headers(element) -> dict[str, str]:
    """The headers a table shows for its columns, where the page names them."""
    config = json.loads(element.proto.columns) if element.proto.columns else {}
    return {column: spec["label"] for column, spec in config.items() if spec.get("label")}


def totals(at: AppTest) -> pd.DataFrame:
    """The table of totals under both countings in the "why totals differ" expander."""
    return table(at, *TOTALS).set_index("total")


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def counted_page(name: str, counting: str, **state) -> AppTest:
    page = name.split("-")[0]
    return ok(open_page(page, counting=counting, **PAGES[name], **state))


def query_rows(graph, name: str, params: dict) -> list[dict]:
    rows = runner.run(graph, name, params, row_cap=None).rows
    assert rows, f"{name} has rows on the demo graph"
    return rows


@pytest.mark.parametrize("counting", ["whole", "fractional"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_and_says_its_counting(demo, name, counting):
    at = counted_page(name, counting)
    assert at.radio(key="counting").value == counting
    said = {"whole": "whole count", "fractional": "fractional count"}[counting]
    other = {"whole": "fractional count", "fractional": "whole count"}[counting]
    # The reconciliation's own headers name both countings: the page's other tables, one.
    labels = [label for d in at.dataframe if "difference" not in d.value.columns for label in headers(d).values()]
    assert any(said in label.lower() for label in labels), (name, labels)
    assert not any(other in label.lower() for label in labels), (name, labels)
    expanders = [e.label for e in at.expander]
    assert (WHY in expanders) == (counting == "fractional"), expanders


def test_labels_follow_the_language(demo):
    at = counted_page("institutions", "fractional", lang="zh")
    assert headers(shown(at, *COMPARE))["n_ab_1"] == "n_ab_1（分数计数）"
    assert "整数计数与分数计数为何不同" in [e.label for e in at.expander]


def test_institutions_table_is_institution_compare_under_fractional_counting(demo):
    at = counted_page("institutions", "fractional")
    year1, year2 = at.selectbox(key="year1").value, at.selectbox(key="year2").value
    params = {"a": "CN", "b": "US", "kind": "paper", "year1": year1, "year2": year2, "rollup": True,
              "limit": 10, "min_intl": 10}
    fractional = query_rows(demo, "institution_compare", {**params, "counting": "fractional"})
    whole = query_rows(demo, "institution_compare", params)
    # The demo has records with three or more institutions: fractional counts are smaller.
    assert sum(r["total_ab"] for r in fractional) < sum(r["total_ab"] for r in whole)
    rows = table(at, *COMPARE)
    same_rows(rows, fractional)
    assert headers(shown(at, *COMPARE))["n_ab_1"] == "n_ab_1 (fractional count)"
    # The one institution's series below it, under the same counting.
    picked = at.selectbox(key="series_institution").value
    series = query_rows(demo, "institution_series", {"institution": picked, "a": "CN", "b": "US", "kind": "paper",
                                                      "rollup": True, "counting": "fractional"})
    same_rows(table(at, *SERIES), series)
    # The reconciliation: each institution shown, in both years, its a–b and international records
    # under both countings — as institution_shares counts them, the one year's query.
    explained = table(at, "records_whole", "records_fractional", "m3plus_discount")
    assert set(explained["institution"]) == set(rows["institution"]) and set(explained["year"]) == {year1, year2}
    for counting in ("whole", "fractional"):
        shares = query_rows(demo, "institution_shares", {"a": "CN", "b": "US", "year": year1, "kind": "paper",
                                                         "rollup": True, "names": list(rows["institution"]),
                                                         "limit": len(rows), "counting": counting})
        first = explained[explained["year"] == year1].set_index("institution")
        for row in shares:
            assert first.loc[row["institution"], f"n_ab_{counting}"] == pytest.approx(row["n_ab"])
            assert first.loc[row["institution"], f"intl_{counting}"] == pytest.approx(row["n_intl"])


@pytest.mark.parametrize("level", ["institution", "country"])
def test_network_tables_are_the_network_query_under_fractional_counting(demo, level):
    at = counted_page("network" if level == "institution" else "network-country", "fractional", net_min_weight=1)
    year_from, year_to = at.slider(key="years").value
    name = "network_institutions" if level == "institution" else "network_countries"
    params = {"kind": "paper", "from": year_from, "to": year_to, "limit": 100, "min_weight": 1}
    rows = pd.DataFrame(query_rows(demo, name, {**params, "counting": "fractional"}))
    whole = pd.DataFrame(query_rows(demo, name, params))
    own = rows["source"] == rows["target"]
    nodes, links = table(at, *NODES), table(at, *LINKS)
    assert sorted(nodes["records"]) == pytest.approx(sorted(rows.loc[own, "weight"]))
    assert sorted(links["weight"]) == pytest.approx(sorted(rows.loc[~own, "weight"]))
    # Records with three or more institutions (countries) weigh less on every link.
    assert rows.loc[~own, "weight"].sum() < whole.loc[whole["source"] != whole["target"], "weight"].sum()
    assert headers(shown(at, *NODES))["records"] == "records (fractional count)"
    # The reconciliation counts the nodes drawn both ways: fractional never more than whole.
    sums = totals(at)
    assert (sums["fractional"] <= sums["whole"]).all()
    assert sums["fractional"].iloc[0] == pytest.approx(float(rows.loc[own, "weight"].sum()))


def test_drilldown_partners_and_series_under_fractional_counting(demo):
    at = counted_page("drilldown", "fractional")
    picked = at.selectbox(key="drill_pick").value
    year_from, year_to = at.slider(key="years").value
    span = {"from": year_from, "to": year_to}
    partners = pd.DataFrame(query_rows(demo, "partners", {"institution": picked, "kind": "paper", "rollup": True,
                                                          "limit": 100_000, "counting": "fractional", **span}))
    institutions = partners[partners["level"] == "institution"].drop(columns=["level"])
    same_rows(table(at, *PARTNERS), institutions.to_dict("records"))
    assert headers(shown(at, *PARTNERS))["records"] == "records (fractional count)"
    ego = pd.DataFrame(query_rows(demo, "ego_network", {"institution": picked, "kind": "paper", "limit": 25,
                                                        "min_weight": 0, "counting": "fractional", **span}))
    own = ego["source"] == ego["target"]
    assert sorted(table(at, *NODES)["records"]) == pytest.approx(sorted(ego.loc[own, "weight"]))
    partner_country = at.selectbox(key="drill_partner_country").value
    home = [r for r in runner.run(demo, "institution_search", {"q": picked}).rows if r["name"] == picked][0]["country"]
    series = query_rows(demo, "institution_series", {"institution": picked, "a": home, "b": partner_country,
                                                      "kind": "paper", "rollup": True, "counting": "fractional",
                                                      **span})
    same_rows(table(at, *SERIES), series)


def test_change_links_are_the_fractional_comparison(demo):
    at = counted_page("change", "fractional")
    p1, p2 = at.slider(key="chg_p1").value, at.slider(key="chg_p2").value
    expected = compare_periods(demo, Period(*p1), Period(*p2), Scope(level="institution", counting="fractional"),
                               limit=30, min_weight=5)
    links_shown = shown(at, "weight_1", "weight_2", "change")
    assert len(links_shown.value) == len(expected.links) > 0
    assert sorted(links_shown.value["weight_2"]) == pytest.approx(sorted(expected.links["weight_2"]))
    # The comparison counts each period's links with network_edges under the same counting.
    ids = sorted(expected.nodes["id"])
    edges = pd.DataFrame(query_rows(demo, "network_edges", {"ids": ids, "kind": "paper", "from": p2[0], "to": p2[1],
                                                            "counting": "fractional"}))
    links = edges[edges["source"] != edges["target"]]
    strong = links[links["weight"] >= 5]
    assert set(zip(strong["source"], strong["target"])) <= set(zip(expected.links["source"], expected.links["target"]))
    assert headers(links_shown)["weight_2"] == "weight_2 (fractional count)"


def test_matrix_takes_the_counting_and_a_branch(demo):
    at = counted_page("indices", "fractional", idx_branch="FPGA")
    year_from, year_to = at.slider(key="years").value
    codes = at.multiselect(key="idx_matrix").value
    params = {"codes": codes, "kind": "paper", "from": year_from, "to": year_to, "branch": "FPGA",
              "counting": "fractional"}
    expected = query_rows(demo, "country_matrix", params)
    all_branches = query_rows(demo, "country_matrix", {**params, "branch": None})
    assert [r["n_ab"] for r in expected] != [r["n_ab"] for r in all_branches]
    matrix = shown(at, *MATRIX)
    same_rows(matrix.value[["a", "b", "n_ab", "n_a", "n_b"]], expected)
    assert headers(matrix)["n_ab"] == "n_ab (fractional count)"
    assert "n_a" not in headers(matrix), "a country's records are records under both countings"
    assert any("Fractional count; technology branch: FPGA" in c.value for c in at.caption)


def test_one_institutions_partners_counted_by_hand(small):
    """Tsinghua's records with a year in small_wos.txt, institutions rolled up:
      001 (2019) Tsinghua, University of California System (Berkeley rolls up)   m = 2   CN US
      004 (2019) Tsinghua, Fudan University                                       m = 2   CN
      005 (2020) Tsinghua, MIT, University of Tokyo (loaded once of two copies)    m = 3   CN US JP
      009 (2020) Tsinghua, Stanford University (from its reprint addresses)        m = 2   CN US
    Fractional: a partner institution gets 1/(m - 1) — UC System 1, Fudan 1, Stanford 1, MIT 1/2,
    Tokyo 1/2, together 4 = Tsinghua's four records with a partner (whole: 5); a partner country
    1/m — the US 1/2 + 1/3 + 1/2 = 4/3, Japan 1/3, together 5/3 (whole: US 3, Japan 1 = 4)."""
    at = AppTest.from_file(str(REPO / "ui" / "views" / "drilldown.py"), default_timeout=120)
    at.session_state["counting"] = "fractional"
    at.session_state["drill_search"] = "Tsinghua"
    ok(at.run())
    partners = table(at, *PARTNERS).set_index("partner")["records"]
    assert partners.to_dict() == pytest.approx({
        "University of California System": 1.0, "Fudan University": 1.0, "Stanford University": 1.0,
        "Massachusetts Institute of Technology (MIT)": 0.5, "University of Tokyo": 0.5})
    sums = totals(at)
    institutions = sums.loc["Records shared with partner institutions (summed over the partners)"]
    countries = sums.loc["Records shared with partner countries (summed over the countries)"]
    assert (institutions["whole"], institutions["fractional"]) == pytest.approx((5, 4))
    assert (countries["whole"], countries["fractional"]) == pytest.approx((4, 5 / 3))
    assert countries["difference"] == pytest.approx(4 - 5 / 3)
