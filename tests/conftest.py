"""Shared fixtures: a real embedded FalkorDB, the real export samples, Neo4j when configured."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REAL = SHARED / "data" / "real"
STUDY = SHARED / "study"


def real_file(*parts: str) -> Path:
    """A real export sample from ../shared, or skip: the samples are not part of the repo."""
    path = REAL.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (real export samples live in ../shared, not in the repo)")
    return path


def study_file(name: str) -> Path:
    path = STUDY / name
    if not path.exists():
        pytest.skip(f"{path} is absent (the study's series live in ../shared/study)")
    return path


@pytest.fixture(scope="session")
def falkor_data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("collab-data")


@pytest.fixture(scope="session")
def falkor_session(falkor_data_dir):
    """One embedded FalkorDB server for the whole test session."""
    from graph.falkor import FalkorGraph

    graph = FalkorGraph.embedded(falkor_data_dir, "tests")
    yield graph
    graph.close()


@pytest.fixture
def graph(falkor_session):
    """An empty graph on the embedded engine, schema applied."""
    falkor_session.clear()
    falkor_session.apply_schema()
    yield falkor_session
    falkor_session.clear()


@pytest.fixture(scope="session")
def neo4j_graph():
    """Neo4j 5 when NEO4J_URI is set (bolt://… or neo4j://…), else skipped."""
    url = os.environ.get("NEO4J_URI")
    if not url:
        pytest.skip("NEO4J_URI is not set: Neo4j tests run against a live Neo4j 5 only")
    from graph.neo4j_graph import Neo4jGraph

    graph = Neo4jGraph.connect(url, user=os.environ.get("NEO4J_USER", "neo4j"),
                               password=os.environ.get("NEO4J_PASSWORD", ""),
                               database=os.environ.get("NEO4J_DATABASE") or None)
    graph.clear()
    graph.apply_schema()
    yield graph
    graph.clear()
    graph.close()
