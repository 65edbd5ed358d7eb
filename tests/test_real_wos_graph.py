"""Real Web of Science exports (../shared/data/real) loaded into a real embedded FalkorDB."""
from __future__ import annotations

import pytest

from cypher import runner
from loader.pipeline import load_paths
from tests.conftest import real_file


def closeness(graph, a="CN", b="US"):
    return {r["year"]: r for r in runner.run(graph, "closeness", {"a": a, "b": b}).rows}


def test_biblio_ai_ep_closeness_worked_by_hand(graph):
    """Biblio_AI_EP-savedrecs.txt, read by eye (country = last part of each C1 address):
    2018  China's international papers: 000431495200011 (China, USA, England),
          000436774300054 (China, Netherlands), 000445165600036 (China + nine European countries
          and Canada); the USA's: 000418283800004 (Netherlands, USA), 000418716800002 (USA, South
          Korea, Singapore) and 000431495200011.  Both: 000431495200011 alone.
          -> n_a = 3, n_b = 3, n_ab = 1, closeness 1/3.
    2019  000459454900004 (China, USA) and 000480361800001 (England, China, USA)
          -> n_a = n_b = n_ab = 2, closeness 1.
    """
    summary = load_paths(graph, [real_file("wos", "Biblio_AI_EP-savedrecs.txt")])
    assert summary.ok
    assert summary.files[0].read == 188 and summary.files[0].new == 188
    rows = closeness(graph)
    assert (rows[2018]["n_a"], rows[2018]["n_b"], rows[2018]["n_ab"]) == (3, 3, 1)
    assert rows[2018]["closeness"] == pytest.approx(1 / 3)
    assert (rows[2019]["n_a"], rows[2019]["n_b"], rows[2019]["n_ab"]) == (2, 2, 2)
    paper = graph.read(
        "MATCH (p:Paper {uid: 'WOS:000431495200011'}) "
        "RETURN p.year AS year, [(p)-[:FROM_COUNTRY]->(c:Country) | c.code] AS countries, "
        "[(p)-[:AFFILIATED_WITH]->(i:Institution) | i.name] AS institutions"
    ).rows[0]
    assert paper["year"] == 2018
    assert sorted(paper["countries"]) == ["CN", "GB", "US"]
    # C3 names: Zhejiang University; Cleveland Clinic Foundation; University of London; University College London
    assert "Zhejiang University" in paper["institutions"]
    assert "Cleveland Clinic Foundation" in paper["institutions"]


def test_plain_text_and_tab_delimited_give_the_same_graph(graph):
    """wosfile's 50 records exist as plain text and as tab-delimited UTF-8 (with a trailing tab)."""
    load_paths(graph, [real_file("wos", "wosfile-wos_plaintext.txt")])
    plain = graph.counts()
    plain_rows = closeness(graph, "US", "GB")
    graph.clear()
    load_paths(graph, [real_file("wos-tab", "wosfile-wos_tab_delimited_win_utf8.txt")])
    assert graph.counts() == plain
    assert closeness(graph, "US", "GB") == plain_rows
    assert plain["nodes:Paper"] == 50
    # Both files together: the same 50 papers, nothing doubled.
    load_paths(graph, [real_file("wos", "wosfile-wos_plaintext.txt")])
    assert graph.counts() == plain


def test_export_cut_into_pieces_loads_as_one(graph):
    """The citespace-homework export is one search cut into 500-record files (6,000 UTs, counted
    with grep '^UT ')."""
    paths = [real_file("wos", f"citespace-homework-savedrecs{suffix}.txt")
             for suffix in ["", "1", "2", "4", "5", "6", "7", "8", "9", "10", "11", "12"]]
    uts = {line[3:].strip() for p in paths for line in p.open(encoding="utf-8-sig") if line.startswith("UT ")}
    summary = load_paths(graph, paths, batch_size=1000)
    assert summary.ok
    assert graph.counts()["nodes:Paper"] == len(uts)
    assert summary.total("new") == len(uts)
