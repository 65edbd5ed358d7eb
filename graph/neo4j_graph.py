"""Neo4j 5 (server, Aura or cluster) through the official `neo4j` driver."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import neo4j
from neo4j.exceptions import AuthError, ClientError, Neo4jError, ServiceUnavailable

from graph.base import READ_ROW_CAP, READ_TIMEOUT_MS, GraphError, QueryRefused, QueryResult

SCHEMA_FILE = Path(__file__).parent / "schema" / "neo4j.cypher"
# Query types Neo4j reports from EXPLAIN: only "r" (read) may run from a read-only surface.
_READ_ONLY_TYPES = {"r"}


class Neo4jGraph:
    engine = "neo4j"

    def __init__(self, driver: neo4j.Driver, database: str | None, description: str):
        self._driver = driver
        self._database = database
        self.description = description

    @classmethod
    def connect(cls, url: str, *, user: str, password: str, database: str | None) -> "Neo4jGraph":
        driver = neo4j.GraphDatabase.driver(url, auth=(user, password))
        try:
            driver.verify_connectivity()
        except AuthError as exc:
            raise GraphError(f"Neo4j at {url} refused the credentials: set NEO4J_USER and NEO4J_PASSWORD") from exc
        except (ServiceUnavailable, OSError) as exc:
            raise GraphError(
                f"Cannot reach Neo4j at {url} — is `docker compose up neo4j` running? ({exc})"
            ) from exc
        return cls(driver, database, f"Neo4j at {url}")

    def write(self, cypher: str, params: dict[str, Any] | None = None) -> QueryResult:
        try:
            records, summary, keys = self._driver.execute_query(
                cypher, params or {}, database_=self._database, routing_=neo4j.RoutingControl.WRITE
            )
        except Neo4jError as exc:
            raise GraphError(f"Neo4j refused a write: {exc.message}") from exc
        counters = summary.counters
        stats = {
            "nodes_created": counters.nodes_created,
            "relationships_created": counters.relationships_created,
            "properties_set": counters.properties_set,
        }
        return QueryResult(list(keys), [r.data() for r in records], False, stats)

    def read(
        self,
        cypher: str,
        params: dict[str, Any] | None = None,
        *,
        timeout_ms: int = READ_TIMEOUT_MS,
        row_cap: int | None = READ_ROW_CAP,
    ) -> QueryResult:
        params = params or {}
        self._refuse_writes(cypher, params)
        query = neo4j.Query(cypher, timeout=timeout_ms / 1000)
        rows: list[dict[str, Any]] = []
        truncated = False
        try:
            with self._driver.session(database=self._database, default_access_mode=neo4j.READ_ACCESS) as session:
                result = session.run(query, params)
                keys = list(result.keys())
                for record in result:
                    if row_cap is not None and len(rows) >= row_cap:
                        truncated = True
                        break
                    rows.append(record.data())
                result.consume()
        except ClientError as exc:
            if "Timeout" in (exc.code or ""):
                raise GraphError(f"The query took longer than {timeout_ms / 1000:g} s and was stopped.") from exc
            raise GraphError(f"Neo4j: {exc.message}") from exc
        except Neo4jError as exc:
            raise GraphError(f"Neo4j: {exc.message}") from exc
        return QueryResult(keys, rows, truncated)

    def _refuse_writes(self, cypher: str, params: dict[str, Any]) -> None:
        """A READ session alone does not stop every write: ask the planner what the query is."""
        try:
            with self._driver.session(database=self._database, default_access_mode=neo4j.READ_ACCESS) as session:
                summary = session.run("EXPLAIN " + cypher, params).consume()
        except Neo4jError as exc:
            raise GraphError(f"Neo4j: {exc.message}") from exc
        if summary.query_type not in _READ_ONLY_TYPES:
            raise QueryRefused("This query would change the graph; only read queries are allowed here.")
        plan = str(summary.plan or "")
        if "LoadCSV" in plan:
            raise QueryRefused("LOAD CSV is not allowed here.")

    def apply_schema(self) -> None:
        for statement in _statements(SCHEMA_FILE.read_text()):
            self.write(statement)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self.read("MATCH (n) RETURN labels(n)[0] AS label, count(n) AS n", row_cap=None).rows:
            counts[f"nodes:{row['label']}"] = row["n"]
        for row in self.read("MATCH ()-[r]->() RETURN type(r) AS type, count(r) AS n", row_cap=None).rows:
            counts[f"rels:{row['type']}"] = row["n"]
        return counts

    def persist(self) -> None:
        """Neo4j commits are durable."""

    def clear(self) -> None:
        # IN TRANSACTIONS needs an auto-commit transaction, hence session.run.
        with self._driver.session(database=self._database) as session:
            session.run("MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()

    def close(self) -> None:
        self._driver.close()

    def __enter__(self) -> "Neo4jGraph":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _statements(text: str) -> list[str]:
    lines = [line for line in text.splitlines() if not line.strip().startswith("//")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
