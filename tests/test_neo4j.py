"""The same loader and saved queries on Neo4j 5 (run when NEO4J_URI is set, skipped otherwise).

    NEO4J_URI=bolt://localhost:7687 NEO4J_USER=neo4j NEO4J_PASSWORD=… ./run.sh test -k neo4j
"""
from __future__ import annotations

from pathlib import Path

import pytest

from cypher import runner
from loader.pipeline import load_paths
from tests.test_cypher_files import SAMPLE_VALUES

SMALL = Path(__file__).parent / "data" / "small_wos.txt"


@pytest.fixture
def neo4j(neo4j_graph):
    neo4j_graph.clear()
    neo4j_graph.apply_schema()
    return neo4j_graph


def test_closeness_on_neo4j_matches_the_hand_worked_values(neo4j):
    """The values of tests/test_graph_load.py, worked out by hand from small_wos.txt."""
    summary = load_paths(neo4j, [SMALL])
    assert summary.ok and summary.files[0].new == 8
    rows = {r["year"]: r for r in runner.run(neo4j, "closeness", {"a": "CN", "b": "US"}).rows}
    assert {y: (r["n_ab"], r["n_a"], r["n_b"]) for y, r in rows.items()} == {
        2019: (1, 2, 2), 2020: (2, 2, 2), 2021: (1, 1, 1)}
    assert rows[2019]["closeness"] == pytest.approx(0.5)
    before = neo4j.counts()
    load_paths(neo4j, [SMALL])
    assert neo4j.counts() == before


def test_same_answers_on_both_engines(neo4j, graph):
    load_paths(neo4j, [SMALL])
    load_paths(graph, [SMALL])
    for name, query in runner.saved_queries().items():
        params = {p.name: SAMPLE_VALUES.get(p.name, "x") for p in query.params if p.required}
        on_neo4j = runner.run(neo4j, name, params).rows
        on_falkor = runner.run(graph, name, params).rows
        assert _rounded(on_neo4j) == _rounded(on_falkor), name


def _rounded(rows):
    def value(v):
        if isinstance(v, float):
            return round(v, 9)
        if isinstance(v, list):
            return sorted(map(str, v))
        return v
    return [{k: value(v) for k, v in row.items()} for row in rows]
