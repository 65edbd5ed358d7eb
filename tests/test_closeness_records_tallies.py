"""closeness_records reads the histograms the country tallies keep (records by number of
countries k, per CountryYear and per country pair edge) instead of visiting every international
record.  Its rows must be exactly those of counting the records: the record-counting query is
kept in tests/oracles/closeness_records.cypher and both are asked the same questions, after an
incremental load and after a recount, and once by hand on tests/data/small_wos.txt.
"""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from cypher import runner
from loader.aggregates import histogram
from loader.demo.generate import write_demo
from loader.pipeline import load_paths
from loader.writer import GraphWriter, statement
from tests.test_aggregates import recount_everything

ORACLE = (Path(__file__).parent / "oracles" / "closeness_records.cypher").read_text(encoding="utf-8")
SMALL = Path(__file__).parent / "data" / "small_wos.txt"

HISTOGRAMS = [
    "MATCH (t:CountryYear) RETURN t.uid AS key, t.hist AS hist ORDER BY key",
    "MATCH (a:Country)-[r:CO_AUTHORED|CO_INVENTED]->(b:Country) RETURN a.code + '-' + b.code + ' ' + "
    "toString(r.year) + ' ' + coalesce(r.role, '') AS key, r.hist AS hist ORDER BY key",
]
# Demo pairs: the study's pair both ways round; a == b; a code no record has; and pairs with no
# shared record where one country is missing in some years (NO_SHARED; test_the_grid_asks_hard_questions
# checks that they are).
PAIRS = [("CN", "US"), ("US", "CN"), ("GB", "JP"), ("CN", "CN"), ("CN", "ZZ"), ("VN", "NZ"), ("SE", "FI"),
         ("KR", "GB")]
NO_SHARED = [("paper", "inventor", "VN", "NZ"), ("patent", "inventor", "SE", "FI"),
             ("patent", "applicant", "KR", "GB")]
KIND_ROLES = [("paper", "inventor"), ("patent", "inventor"), ("patent", "applicant")]
YEARS = [(None, None), (2015, 2019), (2020, None), (None, 2010)]
# Every combination without a branch (the histograms), and a branch (counted from the records)
# for every kind and pair.
GRID = [*itertools.product(KIND_ROLES, YEARS, PAIRS, [None]),
        *itertools.product(KIND_ROLES, YEARS[:1], PAIRS, ["FPGA"])]


def ask(graph, text: str, a: str, b: str, kind: str = "paper", role: str = "inventor", year_from=None,
        year_to=None, branch=None) -> list[dict]:
    params = runner.get("closeness_records").bind(
        {"a": a, "b": b, "kind": kind, "role": role, "from": year_from, "to": year_to, "branch": branch})
    return graph.read(text, params, row_cap=None).rows


def compare_grid(graph) -> int:
    """Ask the query and the oracle every question of the grid; the number of non-empty answers."""
    answered = 0
    query = runner.get("closeness_records").text
    for (kind, role), (year_from, year_to), (a, b), branch in GRID:
        question = dict(a=a, b=b, kind=kind, role=role, year_from=year_from, year_to=year_to, branch=branch)
        expected = ask(graph, ORACLE, **question)
        assert ask(graph, query, **question) == expected, question
        answered += bool(expected)
    return answered


def cell(year: int, has_a: bool, has_b: bool, k: int, records: int) -> dict:
    return {"year": year, "has_a": has_a, "has_b": has_b, "n_countries": k, "records": records}


def histograms(graph) -> list:
    return [graph.read(q, row_cap=None).rows for q in HISTOGRAMS]


@pytest.fixture(scope="module")
def demo(falkor_session, tmp_path_factory):
    """The demo data in two loads: half the paper files, then everything (the other half and the
    patents counted into the tallies the first load made), in small batches."""
    falkor_session.clear()
    falkor_session.apply_schema()
    files = write_demo(tmp_path_factory.mktemp("demo"))
    papers = [f for f in files if f.suffix == ".txt"]
    assert len(papers) >= 2
    assert load_paths(falkor_session, papers[: len(papers) // 2], batch_size=97).ok
    assert load_paths(falkor_session, files, batch_size=97).ok
    yield falkor_session
    falkor_session.clear()


def test_histogram_is_dense_by_number_of_countries():
    # Index k holds the records with k countries; nothing is kept past the largest k.
    assert histogram({2: 3, 4: 1}) == [0, 0, 3, 0, 1]
    assert histogram({3: 2, 5: 0}) == [0, 0, 0, 2]
    assert histogram({}) == []


def test_the_grid_asks_hard_questions(demo):
    for kind, role, a, b in NO_SHARED:
        rows = ask(demo, ORACLE, a, b, kind=kind, role=role)
        assert rows and not any(r["has_a"] and r["has_b"] for r in rows), (kind, a, b)
        years_a = {r["year"] for r in rows if r["has_a"]}
        years_b = {r["year"] for r in rows if r["has_b"]}
        assert years_a != years_b and years_a and years_b
    assert not any(r["has_b"] for r in ask(demo, ORACLE, "CN", "ZZ"))


def test_after_an_incremental_load_the_tallies_answer_as_the_records_do(demo):
    assert compare_grid(demo) > len(GRID) // 2


def test_a_recount_keeps_the_same_histograms_and_answers(demo):
    kept = histograms(demo)
    assert any(row["hist"] for row in kept[0]) and all(row["hist"] for row in kept[1])
    recount_everything(demo)
    assert histograms(demo) == kept
    compare_grid(demo)


def test_tallies_without_histograms_fall_back_to_the_records(demo):
    """A graph loaded before the tallies kept histograms: the query counts the records."""
    query = runner.get("closeness_records").text
    expected = ask(demo, ORACLE, "CN", "US")
    demo.write("MATCH (t:CountryYear {uid: 'paper|author|CN|2019'}) REMOVE t.hist")
    try:
        assert ask(demo, query, "CN", "US") == expected
        # A year range without that tally reads the histograms again, and agrees.
        assert ask(demo, query, "CN", "US", year_from=2020) == ask(demo, ORACLE, "CN", "US", year_from=2020)
    finally:
        GraphWriter(demo).rebuild_aggregates("paper", {2019})
    assert ask(demo, query, "CN", "US") == expected


def test_small_file_by_hand(graph, tmp_path):
    """tests/data/small_wos.txt, international papers with a year (see test_counting_views.py):
    001 2019 CN US, 002 2019 CN JP, 003 2019 US GB, 005 2020 CN US JP, 009 2020 CN US,
    007 2021 CN US (004 2019 is CN only, 008 has no year)."""
    assert load_paths(graph, [SMALL]).ok
    query = runner.get("closeness_records").text
    # CN-US 2019: 003 US only, 002 CN only, 001 both; 2020: 009 (k=2) and 005 (k=3) both;
    # 2021: 007 both.
    assert ask(graph, query, "CN", "US") == [
        cell(2019, False, True, 2, 1), cell(2019, True, False, 2, 1), cell(2019, True, True, 2, 1),
        cell(2020, True, True, 2, 1), cell(2020, True, True, 3, 1), cell(2021, True, True, 2, 1)]
    # JP-GB never share a record, GB has none after 2019: 2019 001 neither, 003 GB, 002 JP;
    # 2020 009 neither, 005 JP (k=3); 2021 007 neither.
    assert ask(graph, query, "JP", "GB", year_from=2019, year_to=2021) == [
        cell(2019, False, False, 2, 1), cell(2019, False, True, 2, 1), cell(2019, True, False, 2, 1),
        cell(2020, False, False, 2, 1), cell(2020, True, False, 3, 1), cell(2021, False, False, 2, 1)]
    # Kept: CN 2019 = 001, 002 (k=2; 004 is domestic); CN 2020 = 009 (k=2), 005 (k=3);
    # CN-US 2020 the same two.
    hist = {r["key"]: r["hist"] for r in graph.read(HISTOGRAMS[0], row_cap=None).rows}
    assert hist["paper|author|CN|2019"] == [0, 0, 2]
    assert hist["paper|author|CN|2020"] == [0, 0, 1, 1]
    assert hist["paper|author|GB|2019"] == [0, 0, 1]
    pairs = {r["key"]: r["hist"] for r in graph.read(HISTOGRAMS[1], row_cap=None).rows}
    assert pairs["CN-US 2020 "] == [0, 0, 1, 1]
    # The answer comes from those: with the records' country counts gone, it stays the same
    # (counting the records would now find no international record).
    graph.write("MATCH (p:Paper) WHERE p.year = 2020 REMOVE p.n_countries")
    assert ask(graph, ORACLE, "CN", "US", year_from=2020, year_to=2020) == []
    assert ask(graph, query, "CN", "US", year_from=2020, year_to=2020) == [
        cell(2020, True, True, 2, 1), cell(2020, True, True, 3, 1)]
    GraphWriter(graph).rebuild_aggregates("paper", {2020})

    # 002 again with a US address as well: a changed record, its year recounted.  2019 is now
    # 003 US only (k=2), 001 both (k=2), 002 both (k=3).
    changed = tmp_path / "changed.txt"
    changed.write_text(SMALL.read_text().replace(
        "   [Sato, K] Univ Tokyo, Grad Sch Informat Sci & Technol, Tokyo 1138656, Japan.",
        "   [Sato, K] Univ Tokyo, Grad Sch Informat Sci & Technol, Tokyo 1138656, Japan.\n"
        "   [Moore, J] Harvard Univ, Sch Engn & Appl Sci, Cambridge, MA 02138 USA."))
    assert load_paths(graph, [changed]).ok
    assert ask(graph, query, "CN", "US", year_to=2019) == [
        cell(2019, False, True, 2, 1), cell(2019, True, True, 2, 1), cell(2019, True, True, 3, 1)]
    hist = {r["key"]: r["hist"] for r in graph.read(HISTOGRAMS[0], row_cap=None).rows}
    assert hist["paper|author|US|2019"] == [0, 0, 2, 1]


def test_increments_sent_without_histograms_leave_the_tally_without_one(graph):
    """Increments from a loader that sends no histogram (one started before they were kept, still
    running) must not fail the batch nor leave a histogram that misses records: the tally loses
    its histogram and the query counts the records."""
    assert load_paths(graph, [SMALL]).ok
    graph.write("MATCH (c:Country {code: 'CN'}), (u:Country {code: 'US'}) "
                "CREATE (p:Paper {uid: 'WOS:X', year: 2019, n_countries: 2, counted: false}) "
                "CREATE (p)-[:FROM_COUNTRY]->(c) CREATE (p)-[:FROM_COUNTRY]->(u)")
    tallies = [{"uid": f"paper|author|{code}|2019", "kind": "paper", "role": "author", "code": code, "year": 2019,
                "records": 1, "intl": 1} for code in ("CN", "US")]
    pairs = [{"a": "CN", "b": "US", "year": 2019, "n": 1, "frac": 1.0}]
    graph.write(statement("papers/count_new"), {"uids": ["WOS:X"], "tallies": tallies, "pairs": pairs})
    hist = {r["key"]: r["hist"] for r in graph.read(HISTOGRAMS[0], row_cap=None).rows}
    assert hist["paper|author|CN|2019"] is None and hist["paper|author|JP|2019"] == [0, 0, 1]
    # 2019 by hand: 003 US only, 002 CN only, 001 and X both.
    assert ask(graph, runner.get("closeness_records").text, "CN", "US", year_to=2019) == [
        cell(2019, False, True, 2, 1), cell(2019, True, False, 2, 1), cell(2019, True, True, 2, 2)]
