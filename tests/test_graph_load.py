"""Loader + closeness against a real embedded FalkorDB, on a small export worked out by hand.

tests/data/small_wos.txt holds nine records (CN = China, US = United States):
  001 2019 Tsinghua (CN) + UC Berkeley (US)              -> CN-US
  002 2019 Peking (CN) + Tokyo (JP)                      -> CN international, not US
  003 2019 Stanford (US) + Cambridge (GB, "England")     -> US international, not CN
  004 2019 Tsinghua + Fudan (both CN)                    -> domestic: counts for neither
  005 2020 Tsinghua (CN) + MIT (US) + Tokyo (JP)         -> CN-US
  005 again (same UT twice in the file)                  -> one paper
  007 no PY, EY 2021: CAS (CN) + UT Austin (US)          -> CN-US in 2021
  008 no PY, no EY: Zhejiang (CN) + Purdue (US)          -> loaded, in no year
  009 2020, no C1: RP addresses Tsinghua (CN) + Stanford (US) -> CN-US
So for a=CN, b=US:
  2019: n_a = 2 (001, 002), n_b = 2 (001, 003), n_ab = 1 -> closeness 1/sqrt(2*2) = 0.5, shares 0.5
  2020: n_a = 2 (005, 009), n_b = 2, n_ab = 2 -> closeness 1.0
  2021: n_a = n_b = n_ab = 1 (007) -> closeness 1.0
"""
from __future__ import annotations

import math
from pathlib import Path

import pytest

from cypher import runner
from loader.pipeline import load_paths

SMALL = Path(__file__).parent / "data" / "small_wos.txt"


def closeness_rows(graph, **params):
    params = {"a": "CN", "b": "US", **params}
    return {row["year"]: row for row in runner.run(graph, "closeness", params).rows}


def test_closeness_per_year_worked_by_hand(graph):
    summary = load_paths(graph, [SMALL])
    assert summary.ok, summary.files[0].error
    assert summary.files[0].read == 9
    assert summary.files[0].new == 8
    assert summary.files[0].duplicate == 1

    rows = closeness_rows(graph)
    assert sorted(rows) == [2019, 2020, 2021]
    assert (rows[2019]["n_ab"], rows[2019]["n_a"], rows[2019]["n_b"]) == (1, 2, 2)
    assert rows[2019]["closeness"] == pytest.approx(0.5)
    assert rows[2019]["share_a"] == pytest.approx(0.5)
    assert rows[2019]["share_b"] == pytest.approx(0.5)
    assert (rows[2020]["n_ab"], rows[2020]["n_a"], rows[2020]["n_b"]) == (2, 2, 2)
    assert rows[2020]["closeness"] == pytest.approx(1.0)
    assert (rows[2021]["n_ab"], rows[2021]["n_a"], rows[2021]["n_b"]) == (1, 1, 1)


def test_year_range_and_reverse_pair(graph):
    load_paths(graph, [SMALL])
    assert sorted(closeness_rows(graph, **{"from": 2020, "to": 2020})) == [2020]
    # Swapping a and b swaps the shares and keeps the closeness.
    rows = closeness_rows(graph, a="US", b="CN")
    assert rows[2019]["n_a"] == 2 and rows[2019]["n_ab"] == 1
    # CN-JP: 002 in 2019 and 005 in 2020.
    jp = {r["year"]: r for r in runner.run(graph, "closeness", {"a": "CN", "b": "JP"}).rows}
    assert jp[2019]["n_ab"] == 1 and jp[2020]["n_ab"] == 1
    assert jp[2019]["n_b"] == 1  # Japan's one international paper in 2019
    assert jp[2019]["closeness"] == pytest.approx(1 / math.sqrt(2 * 1))


def test_model_nodes_and_edges(graph):
    load_paths(graph, [SMALL])
    counts = graph.counts()
    assert counts["nodes:Paper"] == 8
    # A paper with no year is loaded.
    no_year = graph.read("MATCH (p:Paper {uid: 'WOS:000000000000008'}) RETURN p.year AS year").rows
    assert no_year == [{"year": None}]
    # The paper's country set and its institutions.
    row = graph.read(
        "MATCH (p:Paper {uid: 'WOS:000000000000001'}) "
        "RETURN [(p)-[:FROM_COUNTRY]->(c:Country) | c.code] AS countries, "
        "[(p)-[:AFFILIATED_WITH]->(i:Institution) | i.name] AS institutions"
    ).rows[0]
    assert sorted(row["countries"]) == ["CN", "US"]
    assert "Tsinghua University" in row["institutions"]
    assert "University of California Berkeley" in row["institutions"]
    # Country-level co-authorship edge CN-US in 2020: 005 and 009.
    pair = graph.read(
        "MATCH (:Country {code: 'CN'})-[r:CO_AUTHORED {year: 2020}]->(:Country {code: 'US'}) RETURN r.papers AS n"
    ).rows
    assert pair == [{"n": 2}]
    # Institution-level link Tsinghua - MIT in 2020: paper 005 only, which has three institutions
    # (Tsinghua, MIT, Tokyo), so fractional counting gives the pair 1 / (3 - 1) = 0.5.  No parent
    # is involved, so both roll-up modes agree.
    inst_pair = graph.read(
        "MATCH (a:Institution)-[r:SHARED_PAPERS|SHARED_PAPERS_ROLLED]-(b:Institution) "
        "WHERE r.year = 2020 AND a.name = 'Tsinghua University' "
        "AND b.name CONTAINS 'Massachusetts' RETURN type(r) AS mode, r.records AS n, r.frac AS frac "
        "ORDER BY mode"
    ).rows
    assert inst_pair == [{"mode": "SHARED_PAPERS", "n": 1, "frac": 0.5},
                         {"mode": "SHARED_PAPERS_ROLLED", "n": 1, "frac": 0.5}]


def test_loading_twice_changes_nothing(graph):
    load_paths(graph, [SMALL])
    before = graph.counts()
    first = closeness_rows(graph)
    again = load_paths(graph, [SMALL])
    assert again.files[0].new == 0 and again.files[0].duplicate == 9
    assert graph.counts() == before
    assert closeness_rows(graph) == first


def test_load_in_small_batches_gives_the_same_graph(graph):
    load_paths(graph, [SMALL])
    whole = (graph.counts(), closeness_rows(graph))
    graph.clear()
    load_paths(graph, [SMALL], batch_size=2)
    assert (graph.counts(), closeness_rows(graph)) == whole


def test_branch_parameter_counts_only_that_branch(graph):
    """FPGA records in small_wos.txt: 001 ('An FPGA accelerator…', 2019, CN-US) and 009
    ('Field programmable gate array placement…', 2020, CN-US); no other record names FPGA."""
    load_paths(graph, [SMALL])
    rows = closeness_rows(graph, branch="FPGA")
    assert {y: (r["n_ab"], r["n_a"], r["n_b"]) for y, r in rows.items()} == {2019: (1, 1, 1), 2020: (1, 1, 1)}
    # Without the branch the same query reads the tallies: 2019 has two CN and two US records.
    assert closeness_rows(graph)[2019]["n_a"] == 2
    tsinghua = runner.run(graph, "partners", {"institution": "Tsinghua University", "branch": "FPGA"}).rows
    # Tsinghua's FPGA records: 001 (with UC Berkeley, US) and 009 (with Stanford, US; RP addresses).
    assert {(r["level"], r["partner"], r["records"]) for r in tsinghua if r["level"] == "country"} == {
        ("country", "United States", 2)}


def test_partners_limit_applies_to_institutions_only(graph):
    """Tsinghua's partners in small_wos.txt: countries US (001, 005, 009) and JP (005); five
    partner institutions.  A limit of 1 keeps both countries and the strongest institution."""
    load_paths(graph, [SMALL])
    rows = runner.run(graph, "partners", {"institution": "Tsinghua University", "limit": 1}).rows
    assert [(r["level"], r["country"], r["records"]) for r in rows if r["level"] == "country"] == [
        ("country", "US", 3), ("country", "JP", 1)]
    assert len([r for r in rows if r["level"] == "institution"]) == 1


def test_hong_kong_counts_as_china_unless_split(graph, tmp_path):
    """A Hong Kong + US paper (Web of Science writes Hong Kong addresses '…, Peoples R China'):
    CN-US by default, as the study counted; HK-US with the split switch."""
    text = SMALL.read_text().replace(
        "C1 [Wang, Li] Tsinghua Univ, Dept Comp Sci & Technol, Beijing 100084, Peoples R China.",
        "C1 [Wang, Li] Hong Kong Univ Sci & Technol, Dept Elect & Comp Engn, Kowloon, Hong Kong, "
        "Peoples R China.")
    export = tmp_path / "hk.txt"
    export.write_text(text)
    load_paths(graph, [export])
    assert closeness_rows(graph)[2019]["n_ab"] == 1      # paper 001 counts for CN-US
    graph.clear()
    load_paths(graph, [export], split_hk_macau=True)
    assert closeness_rows(graph)[2019]["n_ab"] == 0
    hk = {r["year"]: r for r in runner.run(graph, "closeness", {"a": "HK", "b": "US"}).rows}
    assert hk[2019]["n_ab"] == 1
