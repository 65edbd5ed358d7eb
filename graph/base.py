"""The interface every engine implements, and the errors it raises."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

# Defaults for read queries coming from the UI and the console: a query that
# runs longer or returns more is stopped or cut, and says so.
READ_TIMEOUT_MS = 15_000
READ_ROW_CAP = 10_000
# The most rows any read returns, even with row_cap=None (FalkorDB's RESULTSET_SIZE is set to it).
RESULT_ROWS_MAX = 100_000
# Whole-graph reads the tools run (counts, schema listing): longer than a UI query may take.
MAINTENANCE_TIMEOUT_MS = 120_000


class GraphError(Exception):
    """The engine could not be reached or refused a query; the message says what to do."""


class QueryRefused(GraphError):
    """A read-only query tried to write, change the schema or load files."""


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool = False          # more rows existed than the cap allowed
    stats: dict[str, Any] = field(default_factory=dict)


class Graph(Protocol):
    """What the loader, the query runner and the UI need from an engine."""

    engine: str                      # "falkordb" or "neo4j"
    description: str                 # where it lives, for messages ("embedded FalkorDB in ./data")

    def write(self, cypher: str, params: dict[str, Any] | None = None) -> QueryResult:
        """Run a write query in one transaction (all or nothing)."""

    def read(
        self,
        cypher: str,
        params: dict[str, Any] | None = None,
        *,
        timeout_ms: int = READ_TIMEOUT_MS,
        row_cap: int | None = READ_ROW_CAP,
    ) -> QueryResult:
        """Run a query that must not write; refused before it runs if it would."""

    def apply_schema(self) -> None:
        """Create the uniqueness constraints and indexes the loader relies on (idempotent)."""

    def counts(self) -> dict[str, int]:
        """Node and relationship counts per label / type: the graph's fingerprint."""

    def property_counts(self) -> dict[str, int]:
        """How many nodes of each label (relationships of each type) carry each property:
        a finer fingerprint, which tells a half-written load from a whole one."""

    def persist(self) -> None:
        """Make everything written so far durable (a snapshot where the engine needs one)."""

    def clear(self) -> None:
        """Delete the whole graph (tests and `loader reset`)."""

    def close(self) -> None:
        """Release the connection (and the embedded server if this was its last user)."""


# (nodes, relationships): one row per label / type (per property), its name and count.
_COUNTS = ("MATCH (n) RETURN labels(n)[0] AS name, count(n) AS n",
           "MATCH ()-[r]->() RETURN type(r) AS name, count(r) AS n")
_PROPERTY_COUNTS = ("MATCH (n) UNWIND keys(n) AS key RETURN labels(n)[0] + '.' + key AS name, count(*) AS n",
                    "MATCH ()-[r]->() UNWIND keys(r) AS key RETURN type(r) + '.' + key AS name, count(*) AS n")


def count_graph(graph: Graph) -> dict[str, int]:
    """`Graph.counts()` for any engine: {"nodes:Paper": 12, "rels:AFFILIATED_WITH": 30, ...}."""
    return _tally(graph, _COUNTS)


def count_properties(graph: Graph) -> dict[str, int]:
    """`Graph.property_counts()` for any engine: {"nodes:Paper.title": 12, "rels:CO_AUTHORED.papers": 4, ...}."""
    return _tally(graph, _PROPERTY_COUNTS)


def _tally(graph: Graph, queries: tuple[str, str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for prefix, query in zip(("nodes", "rels"), queries):
        for row in graph.read(query, row_cap=None, timeout_ms=MAINTENANCE_TIMEOUT_MS).rows:
            counts[f"{prefix}:{row['name']}"] = int(row["n"])
    return counts


def rows_from(columns: list[str], values: list[list[Any]]) -> list[dict[str, Any]]:
    return [dict(zip(columns, row)) for row in values]
