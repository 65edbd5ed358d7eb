"""Graph engines behind one small interface.

Everything above this package receives a `Graph` object and never knows which
engine it talks to.  `open_graph()` picks one from the environment:

- nothing set: an embedded FalkorDB under ``COLLAB_DATA_DIR`` (default ``./data``),
  started on demand and stopped when the last process using it exits;
- ``COLLAB_GRAPH=bolt://…`` / ``neo4j://…`` (+ ``NEO4J_USER``, ``NEO4J_PASSWORD``,
  optional ``NEO4J_DATABASE``): Neo4j 5 through the official driver;
- ``COLLAB_GRAPH=redis://…`` / ``rediss://…``: an external FalkorDB.
"""
from __future__ import annotations

import os
from pathlib import Path

from graph.base import Graph, GraphError, QueryRefused, QueryResult

__all__ = ["Graph", "GraphError", "QueryRefused", "QueryResult", "open_graph", "data_dir"]

GRAPH_NAME = "collabgraph"


def data_dir() -> Path:
    """The project's data folder: embedded engine files, generated demo exports, uploads."""
    return Path(os.environ.get("COLLAB_DATA_DIR", "data")).resolve()


def open_graph(url: str | None = None) -> Graph:
    """Connect to the configured engine (see the module docstring)."""
    url = url if url is not None else os.environ.get("COLLAB_GRAPH", "")
    name = os.environ.get("COLLAB_GRAPH_NAME", GRAPH_NAME)
    if url.startswith(("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")):
        from graph.neo4j_graph import Neo4jGraph

        return Neo4jGraph.connect(
            url,
            user=os.environ.get("NEO4J_USER", "neo4j"),
            password=os.environ.get("NEO4J_PASSWORD", ""),
            database=os.environ.get("NEO4J_DATABASE") or None,
        )
    from graph.falkor import FalkorGraph

    if url.startswith(("redis://", "rediss://", "unix://")):
        return FalkorGraph.from_url(url, name)
    if url:
        raise GraphError(
            f"COLLAB_GRAPH={url!r} is not a graph address: use bolt:// or neo4j:// for Neo4j, "
            "redis:// for an external FalkorDB, or leave it unset for the embedded engine"
        )
    return FalkorGraph.embedded(data_dir(), name)
