"""Neo4j 5 (server, Aura or cluster) through the official `neo4j` driver.

A read (`read()`) is checked before it runs: the text by graph/guard.py, then the
plan: Neo4j EXPLAINs it (planning only, nothing runs) and the query type must be
"r", no operator may load CSV and every procedure called must be on the
allow-list.  It then runs in a READ session with a transaction timeout, and
rows are streamed and cut at the row cap.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import neo4j
from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable

from graph import guard
from graph.base import (READ_ROW_CAP, READ_TIMEOUT_MS, RESULT_ROWS_MAX, GraphError, QueryRefused, QueryResult,
                        count_graph, count_properties)

SCHEMA_FILE = Path(__file__).parent / "schema" / "neo4j.cypher"
# A query typed with its own EXPLAIN / PROFILE is planned without it (EXPLAIN EXPLAIN is an error).
_PLAN_PREFIX = re.compile(r"^\s*(?:EXPLAIN|PROFILE)\b", re.IGNORECASE)
# Query types Neo4j reports from EXPLAIN: only "r" (read) may run from a read-only surface
# ("rw" and "w" write, "s" changes the schema).
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
        seconds = f"{timeout_ms / 1000:g}"
        guard.check_read_query(cypher, self.engine)
        self._refuse_writes(cypher, params, timeout_ms)
        query = neo4j.Query(cypher, timeout=max(timeout_ms, 1) / 1000)
        # As on FalkorDB, no read returns more than RESULT_ROWS_MAX rows, cap or no cap.
        cap = RESULT_ROWS_MAX if row_cap is None else min(row_cap, RESULT_ROWS_MAX)
        rows: list[dict[str, Any]] = []
        truncated = False
        try:
            with self._driver.session(database=self._database, default_access_mode=neo4j.READ_ACCESS) as session:
                result = session.run(query, params)
                keys = list(result.keys())
                # Records arrive in batches (the driver's fetch size): stopping at the cap
                # never holds more than the cap plus one batch.
                for record in result:
                    if len(rows) >= cap:
                        truncated = True
                        break
                    rows.append(record.data())
                result.consume()
        except Neo4jError as exc:
            raise _read_error(exc, seconds) from exc
        except DriverError as exc:
            raise GraphError(f"Lost the connection to {self.description}: {exc}") from exc
        return QueryResult(keys, rows, truncated)

    def _refuse_writes(self, cypher: str, params: dict[str, Any], timeout_ms: int) -> None:
        """A READ session alone does not stop every write (procedures, LOAD CSV): ask the
        planner what the query is before it runs."""
        try:
            with self._driver.session(database=self._database, default_access_mode=neo4j.READ_ACCESS) as session:
                explain = neo4j.Query("EXPLAIN " + _PLAN_PREFIX.sub("", cypher, count=1),
                                      timeout=max(timeout_ms, 1) / 1000)
                summary = session.run(explain, params).consume()
        except Neo4jError as exc:
            raise _read_error(exc, f"{timeout_ms / 1000:g}") from exc
        except DriverError as exc:
            raise GraphError(f"Lost the connection to {self.description}: {exc}") from exc
        if summary.query_type not in _READ_ONLY_TYPES:
            raise QueryRefused(guard.WRITES)
        guard.check_plan(summary.plan)

    def apply_schema(self) -> None:
        for statement in _statements(SCHEMA_FILE.read_text()):
            self.write(statement)

    def counts(self) -> dict[str, int]:
        return count_graph(self)

    def property_counts(self) -> dict[str, int]:
        return count_properties(self)

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


def _read_error(exc: Neo4jError, seconds: str) -> GraphError:
    code = exc.code or ""
    if "Timeout" in code or "TransactionTimedOut" in code:
        return GraphError(f"The query took longer than {seconds} s and was stopped; narrow it "
                          "(a LIMIT, a year range) and run it again.")
    if "MemoryPoolOutOfMemory" in code:
        return GraphError("The query needed more memory than one query may use and was stopped; "
                          "narrow it (a LIMIT, a year range) and run it again.")
    if "WriteOnReadOnlyAccessDb" in code or "Forbidden" in code or "AccessMode" in code:
        return QueryRefused(guard.WRITES)
    return GraphError(f"Neo4j: {exc.message}")


def _statements(text: str) -> list[str]:
    lines = [line for line in text.splitlines() if not line.strip().startswith("//")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
