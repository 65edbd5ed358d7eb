"""The benchmark harness: its generator, its pandas baseline, its comparison, and one small run.

The baseline is checked on five hand-made papers whose answers are worked out
in the comments; the smoke run then checks the graph against that baseline on
2,000 generated records, through `python -m bench` itself.
"""
from __future__ import annotations

import json
import math
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from bench import baseline
from bench.check import Mismatch, same_answer
from bench.synth import Spec, write_exports
from loader.formats import read_records
from loader.prepare import Preparer
from loader.records import PAPER, PATENT, Org, Record

REPO = Path(__file__).resolve().parents[1]


def paper(uid: str, year: int | None, countries: set[str], *orgs: tuple[str, str]) -> Record:
    return Record(kind=PAPER, uid=uid, source="wos", year=year, countries=set(countries),
                  orgs=[Org(name, country) for name, country in orgs])


ICT = ("Institute of Computing Technology, CAS", "CN")    # both CAS institutes: parent
IA = ("Institute of Automation, CAS", "CN")               # "Chinese Academy of Sciences"
TSINGHUA, UNIV_X, Y_INST = ("Tsinghua University", "CN"), ("Univ X", "US"), ("Y Institute", "DE")


@pytest.fixture(scope="module")
def tables() -> baseline.Tables:
    builder = baseline._Builder(Preparer())
    builder.add([
        paper("W1", 2019, {"CN", "US"}, TSINGHUA, UNIV_X),
        paper("W2", 2019, {"CN", "DE"}, TSINGHUA, Y_INST),
        paper("W3", 2019, {"US"}, UNIV_X),
        paper("W4", 2020, {"CN", "US"}, ICT, UNIV_X),
        paper("W5", 2019, {"CN", "US"}, IA, ICT, UNIV_X),
        paper("W1", 2019, {"CN", "US"}, TSINGHUA, UNIV_X),      # the same UT again: one paper
    ], fresh=False)
    return builder.tables()


def records(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    return [tuple(row) for row in frame[columns].itertuples(index=False, name=None)]


def test_baseline_tables_hold_raw_rows_only(tables):
    # One row per paper (W1, read twice, once) with its year; the link rows name a paper and a
    # country or an institution and nothing derived: W1 has CN and US once each.
    assert records(tables.papers, ["uid", "year"]) == [
        ("W1", 2019), ("W2", 2019), ("W3", 2019), ("W4", 2020), ("W5", 2019)]
    assert list(tables.paper_countries.columns) == ["paper", "code"]
    assert list(tables.paper_insts.columns) == ["paper", "inst"]
    w1 = tables.paper_countries[tables.paper_countries["paper"] == 0]
    assert sorted(w1["code"].astype(str)) == ["CN", "US"]
    # W5 names two CAS institutes: two rows (roll-up is the answers' work, not the table's).
    w5 = tables.paper_insts[tables.paper_insts["paper"] == 4]
    assert sorted(tables.units["name"].to_numpy()[w5["inst"]]) == [
        "Institute of Automation, CAS", "Institute of Computing Technology, CAS", "Univ X"]


def test_baseline_tables_before_the_incremental_load():
    # The five papers, then an incremental batch: W6 (2020, CN-US) and W7 (CN-US, no year).
    builder = baseline._Builder(Preparer())
    builder.add([paper("W1", 2019, {"CN", "US"}, TSINGHUA, UNIV_X), paper("W2", 2019, {"CN", "DE"}, TSINGHUA, Y_INST),
                 paper("W3", 2019, {"US"}, UNIV_X), paper("W4", 2020, {"CN", "US"}, ICT, UNIV_X),
                 paper("W5", 2019, {"CN", "US"}, IA, ICT, UNIV_X)], fresh=False)
    builder.add([paper("W6", 2020, {"CN", "US"}, TSINGHUA, UNIV_X), paper("W7", None, {"CN", "US"}, UNIV_X)],
                fresh=True)
    after = builder.tables()
    before = after.without_fresh()
    assert records(after.papers, ["uid", "year", "fresh"])[5:] == [("W6", 2020, True), ("W7", baseline.NO_YEAR, True)]
    assert len(before.papers) == 5 and set(before.paper_insts["paper"]) == {0, 1, 2, 3, 4}
    # After: 2020 has W4 and W6 (CN-US both) -> 2, 2, 2; W7 has no year and is in no year.
    # Before: 2020 has W4 alone -> 1, 1, 1.  2019 is the same in both: 2, 3, 2.
    cols = ["year", "n_ab", "n_a", "n_b"]
    assert records(baseline.closeness(after, "CN", "US"), cols) == [(2019, 2, 3, 2), (2020, 2, 2, 2)]
    assert records(baseline.closeness(before, "CN", "US"), cols) == [(2019, 2, 3, 2), (2020, 1, 1, 1)]
    # Tsinghua's 2020 CN-US papers: W6 after the incremental load, none before.
    assert records(baseline.institution_shares(after, "CN", "US", 2020), ["institution", "n_ab", "n_intl"]) == [
        ("Univ X", 2, 2), ("Chinese Academy of Sciences", 1, 1), ("Tsinghua University", 1, 1)]
    assert "Tsinghua University" not in set(baseline.institution_shares(before, "CN", "US", 2020)["institution"])


def patent(uid: str, year: int | None, inventor_countries: set[str]) -> Record:
    return Record(kind=PATENT, uid=uid, source="generic", year=year, countries=set(inventor_countries))


def test_baseline_closeness_of_patent_families_merged_across_batches():
    # F1 is read in two batches: 2019 with a CN inventor, then 2018 with a US one.  Merged as the
    # graph merges it: the earliest year, 2018, and inventors from CN and US (international).
    # F2 (2018, CN only) is not international; F3 (2018, US and DE) is.
    # 2018: n_CN = 1 (F1), n_US = 2 (F1, F3), n_CN,US = 1 -> closeness 1/sqrt(2).  No 2019 row.
    builder = baseline._Builder(Preparer())
    builder.add([patent("F1", 2019, {"CN"}), patent("F2", 2018, {"CN"})], fresh=False)
    builder.add([patent("F1", 2018, {"US"}), patent("F3", 2018, {"US", "DE"})], fresh=False)
    t = builder.tables()
    assert records(t.patents, ["uid", "year"]) == [("F1", 2018), ("F2", 2018), ("F3", 2018)]
    assert list(t.patent_countries.columns) == ["patent", "code"] and len(t.patent_countries) == 5
    out = baseline.closeness(t, "CN", "US", kind=PATENT)
    assert records(out, ["year", "n_ab", "n_a", "n_b"]) == [(2018, 1, 1, 2)]
    assert out["closeness"].tolist() == pytest.approx([1 / math.sqrt(2)])
    assert baseline.closeness(t, "CN", "US").empty        # no papers at all


def test_baseline_closeness_counts_international_papers(tables):
    # 2019: international W1 (CN,US), W2 (CN,DE), W5 (CN,US); W3 is US only.
    #   n_CN = 3, n_US = 2, n_CN,US = 2 -> closeness 2/sqrt(6) = 0.8165, shares 2/3 and 1.
    # 2020: W4 alone -> 1, 1, 1 -> closeness 1.
    out = baseline.closeness(tables, "CN", "US")
    assert records(out, ["year", "n_ab", "n_a", "n_b"]) == [(2019, 2, 3, 2), (2020, 1, 1, 1)]
    assert out["closeness"].tolist() == pytest.approx([2 / math.sqrt(6), 1.0])
    assert out["share_a"].tolist() == pytest.approx([2 / 3, 1.0])


def test_baseline_pair_of_a_country_with_itself_has_no_joint_records(tables):
    # CN with CN: n_a = n_b = CN's international papers (2019: W1, W2, W5; 2020: W4), n_ab = 0,
    # as the graph has no CN-CN pair edge; no institution has a CN-CN record either.
    out = baseline.closeness(tables, "CN", "CN")
    assert records(out, ["year", "n_ab", "n_a", "n_b"]) == [(2019, 0, 3, 3), (2020, 0, 1, 1)]
    assert baseline.institution_shares(tables, "CN", "CN", 2019).empty


def test_baseline_institution_shares_roll_institutes_up_once(tables):
    # 2019 international papers: W1 {Tsinghua, Univ X}, W2 {Tsinghua, Y Institute},
    # W5 {CAS (two institutes, counted once), Univ X}; W1 and W5 have CN and US.
    # Univ X 2 of 2; CAS 1 of 1; Tsinghua 1 of 2; Y Institute has no CN-US paper (and is DE).
    out = baseline.institution_shares(tables, "CN", "US", 2019)
    assert records(out, ["institution", "n_ab", "n_intl"]) == [
        ("Univ X", 2, 2), ("Chinese Academy of Sciences", 1, 1), ("Tsinghua University", 1, 2)]
    assert out["share"].tolist() == pytest.approx([1.0, 1.0, 0.5])


def test_baseline_partners_of_a_parent_include_its_institutes(tables):
    # CAS with its institutes is on W4 and W5; both also have Univ X and the US.
    out = baseline.partners(tables, "Chinese Academy of Sciences")
    assert records(out, ["level", "partner", "country", "records"]) == [
        ("country", "United States", "US", 2), ("institution", "Univ X", "US", 2)]


def test_baseline_network_counts_nodes_and_pairs(tables):
    # 2019 papers: W1 {Tsinghua, Univ X}, W2 {Tsinghua, Y}, W3 {Univ X}, W5 {CAS, Univ X}.
    # Nodes: Univ X 3, Tsinghua 2, CAS 1, Y 1.  Links: each pair above once.
    out = baseline.network_institutions(tables, 2019, 2019, limit=200)
    assert records(out, ["source", "target", "weight"]) == [
        ("US:Univ X", "US:Univ X", 3),
        ("CN:Tsinghua University", "CN:Tsinghua University", 2),
        ("CN:Chinese Academy of Sciences", "CN:Chinese Academy of Sciences", 1),
        ("CN:Chinese Academy of Sciences", "US:Univ X", 1),
        ("CN:Tsinghua University", "DE:Y Institute", 1),
        ("CN:Tsinghua University", "US:Univ X", 1),
        ("DE:Y Institute", "DE:Y Institute", 1),
    ]
    # With two nodes only, Univ X and Tsinghua: their two self rows and W1's link.
    top2 = baseline.network_institutions(tables, 2019, 2019, limit=2)
    assert records(top2, ["source", "target", "weight"]) == [
        ("US:Univ X", "US:Univ X", 3), ("CN:Tsinghua University", "CN:Tsinghua University", 2),
        ("CN:Tsinghua University", "US:Univ X", 1)]


def test_baseline_largest_institution(tables):
    assert baseline.largest_institution(tables) == "Univ X"     # on W1, W3, W4, W5


EXPECTED = pd.DataFrame({"name": ["a", "b", "c", "d"], "n": [5, 3, 3, 1]})


@pytest.mark.parametrize("graph_rows, limit", [
    ([("a", 5), ("b", 3), ("c", 3), ("d", 1)], None),
    ([("a", 5), ("c", 3), ("b", 3), ("d", 1)], None),     # tied rows in either order
    ([("a", 5), ("c", 3)], 2),                             # a limit cutting a tie keeps either
])
def test_same_answer_accepts_what_the_order_leaves_open(graph_rows, limit):
    rows = [{"name": name, "n": n} for name, n in graph_rows]
    assert same_answer("q", rows, EXPECTED, ["n"], limit) == len(rows)


@pytest.mark.parametrize("graph_rows, limit", [
    ([("a", 5), ("b", 3), ("c", 2), ("d", 1)], None),     # one count off
    ([("a", 5), ("b", 3), ("c", 3)], None),                # a row missing
    ([("b", 3), ("a", 5), ("c", 3), ("d", 1)], None),      # out of order
    ([("a", 5), ("d", 1)], 2),                             # the wrong row kept under the limit
])
def test_same_answer_refuses_a_wrong_answer(graph_rows, limit):
    rows = [{"name": name, "n": n} for name, n in graph_rows]
    with pytest.raises(Mismatch):
        same_answer("q", rows, EXPECTED, ["n"], limit)


def test_synthetic_exports_are_repeatable_and_shaped_like_real_ones(tmp_path):
    spec = Spec(2000, seed=7, increment=100)
    first, again = write_exports(tmp_path / "a", spec), write_exports(tmp_path / "b", spec)
    assert [p.read_bytes() for p in first.papers + first.patents] == \
        [p.read_bytes() for p in again.papers + again.patents]
    assert write_exports(tmp_path / "a", spec).cached
    assert len(first.papers) == 2 and len(first.increment) == 1     # 1,000 records to a file

    papers = [r for path in first.papers for r in read_records(path) if isinstance(r, Record)]
    assert len(papers) == 2000
    unique = {r.uid: r for r in papers}
    assert len(unique) == 2000 - first.counts["duplicates"] and first.counts["duplicates"] > 0
    per_country = Counter(c for r in unique.values() for c in r.countries)
    assert [code for code, _ in per_country.most_common(2)] == ["CN", "US"]
    international = sum(len(r.countries) > 1 for r in unique.values()) / len(unique)
    assert 0.25 < international < 0.35
    addresses = sum(len(r.orgs) for r in unique.values()) / len(unique)
    assert 2.3 < addresses < 3.3
    fresh = [r for r in read_records(first.increment[0]) if isinstance(r, Record)]
    assert len(fresh) == 100 and not {r.uid for r in fresh} & set(unique)


@pytest.mark.slow
def test_bench_smoke_run_equals_pandas(tmp_path):
    out = tmp_path / "bench"
    proc = subprocess.run([sys.executable, "-m", "bench", "--sizes", "2000", "--runs", "1", "--query-runs", "1",
                           "--out", str(out)], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads((out / "results.json").read_text())["2000"]
    assert {"closeness", "institution_shares", "partners", "network_institutions"} <= set(result["checks"])
    assert result["load"]["records"] == result["parse"]["records"] > 2000     # papers and patent rows
    assert result["increment"]["new"] == 200
    report = (out / "BENCHMARKS.md").read_text()
    assert "## 2,000 records" in report and "Not measured yet" in report
