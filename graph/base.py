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


# The model's labels and relationship types (docs/model.md), each with its count statement.
# Counted one by one they cost a lookup each, where one pass over every relationship of a
# million-record graph takes seconds.
NODE_COUNTS = {
    "Paper": "MATCH (n:Paper) RETURN count(n) AS n",
    "Patent": "MATCH (n:Patent) RETURN count(n) AS n",
    "Institution": "MATCH (n:Institution) RETURN count(n) AS n",
    "Country": "MATCH (n:Country) RETURN count(n) AS n",
    "Branch": "MATCH (n:Branch) RETURN count(n) AS n",
    "CountryYear": "MATCH (n:CountryYear) RETURN count(n) AS n",
    "UnitYear": "MATCH (n:UnitYear) RETURN count(n) AS n",
    "PairYear": "MATCH (n:PairYear) RETURN count(n) AS n",
    "Dirty": "MATCH (n:Dirty) RETURN count(n) AS n",
}
RELATIONSHIP_COUNTS = {
    "AFFILIATED_WITH": "MATCH ()-[r:AFFILIATED_WITH]->() RETURN count(r) AS n",
    "ASSIGNED_TO": "MATCH ()-[r:ASSIGNED_TO]->() RETURN count(r) AS n",
    "INVENTED_AT": "MATCH ()-[r:INVENTED_AT]->() RETURN count(r) AS n",
    "FROM_COUNTRY": "MATCH ()-[r:FROM_COUNTRY]->() RETURN count(r) AS n",
    "IN_BRANCH": "MATCH ()-[r:IN_BRANCH]->() RETURN count(r) AS n",
    "PART_OF": "MATCH ()-[r:PART_OF]->() RETURN count(r) AS n",
    "LOCATED_IN": "MATCH ()-[r:LOCATED_IN]->() RETURN count(r) AS n",
    "CO_AUTHORED": "MATCH ()-[r:CO_AUTHORED]->() RETURN count(r) AS n",
    "CO_INVENTED": "MATCH ()-[r:CO_INVENTED]->() RETURN count(r) AS n",
    "HAS_YEAR": "MATCH ()-[r:HAS_YEAR]->() RETURN count(r) AS n",
    "HAS_UNIT_YEAR": "MATCH ()-[r:HAS_UNIT_YEAR]->() RETURN count(r) AS n",
    "HAS_UNIT": "MATCH ()-[r:HAS_UNIT]->() RETURN count(r) AS n",
    "WITH_COUNTRY": "MATCH ()-[r:WITH_COUNTRY]->() RETURN count(r) AS n",
    "SHARED_PAPERS": "MATCH ()-[r:SHARED_PAPERS]->() RETURN count(r) AS n",
    "SHARED_PAPERS_ROLLED": "MATCH ()-[r:SHARED_PAPERS_ROLLED]->() RETURN count(r) AS n",
    "SHARED_PATENTS": "MATCH ()-[r:SHARED_PATENTS]->() RETURN count(r) AS n",
    "SHARED_PATENTS_ROLLED": "MATCH ()-[r:SHARED_PATENTS_ROLLED]->() RETURN count(r) AS n",
    "SHARED_PAPERS_INSTITUTE": "MATCH ()-[r:SHARED_PAPERS_INSTITUTE]->() RETURN count(r) AS n",
    "SHARED_PATENTS_INSTITUTE": "MATCH ()-[r:SHARED_PATENTS_INSTITUTE]->() RETURN count(r) AS n",
}


def count_graph(graph: Graph) -> dict[str, int]:
    """`Graph.counts()` for any engine: {"nodes:Paper": 12, "rels:AFFILIATED_WITH": 30, ...}."""
    labels = {row["label"] for row in graph.read("CALL db.labels() YIELD label RETURN label", row_cap=None).rows}
    types = {row["relationshipType"] for row in
             graph.read("CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType", row_cap=None).rows}
    if not (labels <= NODE_COUNTS.keys() and types <= RELATIONSHIP_COUNTS.keys()):
        return _tally(graph, _COUNTS)    # a graph this project did not write: count it the slow way
    # One statement each: both engines answer a lone count from their own statistics, not from a
    # UNION of them.
    queries = {f"nodes:{label}": NODE_COUNTS[label] for label in NODE_COUNTS if label in labels}
    queries |= {f"rels:{rel}": RELATIONSHIP_COUNTS[rel] for rel in RELATIONSHIP_COUNTS if rel in types}
    counts = {name: int(graph.read(query, timeout_ms=MAINTENANCE_TIMEOUT_MS).rows[0]["n"])
              for name, query in queries.items()}
    # A label that lost its last node can still be listed: leave it out, as the slow count does.
    return {name: n for name, n in counts.items() if n}


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
