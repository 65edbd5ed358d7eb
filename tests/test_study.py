"""The study, reproduced: the calibrated demo dataset, loaded through the ordinary loader into a
real embedded FalkorDB, gives every value of ../shared/study/series.csv and institutions.csv
through the saved queries.  The expected numbers are read from ../shared/study, never copied here.
"""
from __future__ import annotations

import csv

import pytest

from cypher import runner
from loader.demo.generate import write_demo
from loader.pipeline import load_paths
from tests.conftest import study_file

KINDS = {"paper": "paper", "patent": "patent"}


@pytest.fixture(scope="module")
def study_graph(falkor_session, tmp_path_factory):
    """The demo dataset loaded once for this module."""
    falkor_session.clear()
    falkor_session.apply_schema()
    paths = write_demo(tmp_path_factory.mktemp("demo"))
    summary = load_paths(falkor_session, paths)
    assert summary.ok, [f.error for f in summary.files]
    yield falkor_session
    falkor_session.clear()


def read_csv(name: str) -> list[dict]:
    with open(study_file(name), encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def series(kind: str) -> list[dict]:
    return [row for row in read_csv("series.csv") if row["kind"] == kind]


@pytest.mark.parametrize("kind", ["paper", "patent"])
def test_closeness_series_matches_the_study(study_graph, kind):
    expected = series(kind)
    years = [int(r["year"]) for r in expected]
    rows = runner.run(study_graph, "closeness",
                      {"a": "CN", "b": "US", "kind": kind, "from": min(years), "to": max(years)}).rows
    got = {row["year"]: row for row in rows}
    assert sorted(got) == years
    for want in expected:
        row = got[int(want["year"])]
        assert (row["n_ab"], row["n_a"], row["n_b"]) == (
            int(want["n_cn_us"]), int(want["n_cn"]), int(want["n_us"])), want["year"]
        # The CSV gives four decimals.
        assert round(row["closeness"], 4) == pytest.approx(float(want["closeness"]), abs=1e-9), want["year"]
        assert round(row["share_a"], 4) == pytest.approx(float(want["share_cn"]), abs=1e-9), want["year"]
        assert round(row["share_b"], 4) == pytest.approx(float(want["share_us"]), abs=1e-9), want["year"]


def test_institution_shares_match_the_study(study_graph):
    expected = read_csv("institutions.csv")
    for year in sorted({int(r["year"]) for r in expected}):
        names = [r["institution"] for r in expected if int(r["year"]) == year]
        rows = runner.run(study_graph, "institution_shares",
                          {"a": "CN", "b": "US", "year": year, "rollup": True, "names": names}).rows
        got = {row["institution"]: row for row in rows}
        for want in (r for r in expected if int(r["year"]) == year):
            row = got[want["institution"]]
            assert row["country"] == want["country"]
            assert row["name_zh"] == want["name_zh"]
            assert (row["n_ab"], row["n_intl"]) == (int(want["n_cn_us"]), int(want["n_intl"])), (want, row)
            assert round(row["share"], 4) == pytest.approx(float(want["share"]), abs=1e-9)


def test_rollup_matters(study_graph):
    """Counted alone, a parent loses the records only its institutes or campuses are named on."""
    params = {"a": "CN", "b": "US", "year": 2019,
              "names": ["Chinese Academy of Sciences", "University of California System"]}
    rolled = {r["institution"]: r["n_intl"] for r in
              runner.run(study_graph, "institution_shares", {**params, "rollup": True}).rows}
    alone = {r["institution"]: r["n_intl"] for r in
             runner.run(study_graph, "institution_shares", {**params, "rollup": False}).rows}
    # Web of Science's C3 usually names the parent beside an institute, so roll-up can only add.
    assert all(alone.get(name, 0) <= rolled[name] for name in params["names"])
    assert any(alone.get(name, 0) < rolled[name] for name in params["names"])


def test_top_ten_institutions_are_the_studys(study_graph):
    expected = {r["institution"]: r["country"] for r in read_csv("institutions.csv")}
    rows = runner.run(study_graph, "top_institutions",
                      {"a": "CN", "b": "US", "from": 2007, "to": 2022, "limit": 10}).rows
    assert {r["institution"] for r in rows} == set(expected)
    by_country = [r["country"] for r in rows]
    assert by_country.count("CN") == 6 and by_country.count("US") == 4
    cn = runner.run(study_graph, "top_institutions",
                    {"a": "CN", "b": "US", "from": 2007, "to": 2022, "country": "CN", "limit": 6}).rows
    assert {r["institution"] for r in cn} == {n for n, c in expected.items() if c == "CN"}


def test_institution_compare_and_the_small_year_rule(study_graph):
    expected = {(r["institution"], int(r["year"])): r for r in read_csv("institutions.csv")}
    base = {"a": "CN", "b": "US", "year1": 2019, "year2": 2022, "from": 2007, "to": 2022, "limit": 10}
    plain = {r["institution"]: r for r in runner.run(study_graph, "institution_compare", base).rows}
    assert len(plain) == 10
    for (name, year), want in expected.items():
        if year not in (2019, 2022):
            continue
        col = "1" if year == 2019 else "2"
        assert plain[name][f"n_ab_{col}"] == int(want["n_cn_us"])
        assert plain[name][f"n_intl_{col}"] == int(want["n_intl"])
    zju = "Zhejiang University"
    # With the rule on, only the too-small year moves: Zhejiang's 2019 becomes the mean of its
    # 2018 and 2020 numerator and denominator.
    ruled = {r["institution"]: r for r in
             runner.run(study_graph, "institution_compare", {**base, "min_intl": 10}).rows}
    before, after = expected[(zju, 2018)], expected[(zju, 2020)]
    mean_ab = (int(before["n_cn_us"]) + int(after["n_cn_us"])) / 2
    mean_intl = (int(before["n_intl"]) + int(after["n_intl"])) / 2
    assert ruled[zju]["adjusted_1"] is True
    assert ruled[zju]["n_ab_1"] == pytest.approx(mean_ab)
    assert ruled[zju]["n_intl_1"] == pytest.approx(mean_intl)
    assert ruled[zju]["share_1"] == pytest.approx(mean_ab / mean_intl)
    assert ruled[zju]["delta_n_ab"] == pytest.approx(int(expected[(zju, 2022)]["n_cn_us"]) - mean_ab)
    untouched = [n for n in ruled if n != zju]
    assert all(ruled[n]["adjusted_1"] is False and ruled[n]["n_ab_1"] == plain[n]["n_ab_1"] for n in untouched)


@pytest.mark.parametrize("institution", ["Tsinghua University", "Chinese Academy of Sciences", "清华大学"])
def test_partners_in_the_us(study_graph, institution):
    rows = runner.run(study_graph, "partners",
                      {"institution": institution, "partner_country": "US", "from": 2007, "to": 2022}).rows
    countries = [r for r in rows if r["level"] == "country"]
    partners = [r for r in rows if r["level"] == "institution"]
    assert len(countries) == 1 and countries[0]["country"] == "US"
    assert partners and all(r["country"] == "US" for r in partners)
    # No partner can share more records than the institution has with the US as a whole.
    assert max(r["records"] for r in partners) <= countries[0]["records"]
    # Ordered by records.
    counts = [r["records"] for r in partners]
    assert counts == sorted(counts, reverse=True)
