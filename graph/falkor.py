"""FalkorDB, embedded (the default) or external (``COLLAB_GRAPH=redis://…``)."""
from __future__ import annotations

import re
import shlex
import time
from pathlib import Path
from typing import Any

import redis
from falkordb import FalkorDB

from graph.base import READ_ROW_CAP, READ_TIMEOUT_MS, GraphError, QueryRefused, QueryResult
from graph.embedded import EmbeddedServer

SCHEMA_FILE = Path(__file__).parent / "schema" / "falkordb.schema"
WRITE_TIMEOUT_MS = 600_000
# Replies that mean "this schema object exists already": re-running the schema is a no-op.
_ALREADY = ("already indexed", "already exists", "constraint already")
_INDEX_LINE = re.compile(r"CREATE INDEX FOR \(n:(?P<label>\w+)\) ON \(n\.(?P<prop>\w+)\)")
_CONSTRAINT_LINE = re.compile(r"UNIQUE NODE (?P<label>\w+) PROPERTIES 1 (?P<prop>\w+)")


class FalkorGraph:
    engine = "falkordb"

    def __init__(self, db: FalkorDB, name: str, description: str, server: EmbeddedServer | None = None):
        self._db = db
        self._name = name
        self._graph = db.select_graph(name)
        self._server = server
        self.description = description

    # -- construction ----------------------------------------------------------------------

    @classmethod
    def embedded(cls, data_dir: Path, name: str) -> "FalkorGraph":
        server = EmbeddedServer(data_dir)
        endpoint = server.acquire()
        if endpoint.socket:
            db = FalkorDB(unix_socket_path=endpoint.socket, password=endpoint.password)
        else:
            db = FalkorDB(host="127.0.0.1", port=endpoint.port, password=endpoint.password)
        return cls(db, name, f"embedded FalkorDB in {data_dir}", server)

    @classmethod
    def from_url(cls, url: str, name: str) -> "FalkorGraph":
        db = FalkorDB.from_url(url)
        try:
            db.connection.ping()
        except redis.RedisError as exc:
            raise GraphError(f"Cannot reach FalkorDB at {_redact(url)}: {exc} — is the server running?") from exc
        return cls(db, name, f"FalkorDB at {_redact(url)}")

    # -- queries ---------------------------------------------------------------------------------

    def write(self, cypher: str, params: dict[str, Any] | None = None) -> QueryResult:
        try:
            result = self._graph.query(cypher, params or {}, timeout=WRITE_TIMEOUT_MS)
        except redis.ResponseError as exc:
            raise GraphError(f"FalkorDB refused a write: {exc}") from exc
        except redis.ConnectionError as exc:
            raise GraphError(f"Lost the connection to {self.description}: {exc}") from exc
        return _result(result, None)

    def read(
        self,
        cypher: str,
        params: dict[str, Any] | None = None,
        *,
        timeout_ms: int = READ_TIMEOUT_MS,
        row_cap: int | None = READ_ROW_CAP,
    ) -> QueryResult:
        try:
            # GRAPH.RO_QUERY: the engine itself refuses anything that writes.
            result = self._graph.ro_query(cypher, params or {}, timeout=timeout_ms)
        except redis.ResponseError as exc:
            text = str(exc)
            if "read-only" in text or "RO_QUERY" in text:
                raise QueryRefused(
                    "This query would change the graph; only read queries are allowed here."
                ) from exc
            if "timed out" in text.lower():
                raise GraphError(f"The query took longer than {timeout_ms / 1000:g} s and was stopped.") from exc
            raise GraphError(f"FalkorDB: {text}") from exc
        except redis.ConnectionError as exc:
            raise GraphError(f"Lost the connection to {self.description}: {exc}") from exc
        return _result(result, row_cap)

    def explain(self, cypher: str, params: dict[str, Any] | None = None) -> str:
        """The execution plan (GRAPH.EXPLAIN): plans the query without running it."""
        try:
            return str(self._graph.explain(cypher, params or {}))
        except redis.ResponseError as exc:
            raise GraphError(f"FalkorDB: {exc}") from exc

    # -- maintenance -------------------------------------------------------------------------------

    def apply_schema(self) -> None:
        # Skip what exists: a failing schema command is still appended to the AOF and
        # replayed, noisily, at every start.
        indexes, constraints = self._schema_present()
        for line in SCHEMA_FILE.read_text().splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            index = _INDEX_LINE.search(line)
            constraint = _CONSTRAINT_LINE.search(line)
            if (index and (index["label"], index["prop"]) in indexes) or (
                constraint and (constraint["label"], constraint["prop"]) in constraints
            ):
                continue
            args = [part.replace("{graph}", self._name) for part in shlex.split(line)]
            try:
                self._db.connection.execute_command(*args)
            except redis.ResponseError as exc:
                if not any(marker in str(exc).lower() for marker in _ALREADY):
                    raise GraphError(f"Schema command failed: {line}: {exc}") from exc

    def _schema_present(self) -> tuple[set, set]:
        try:
            indexes = {(row["label"], prop) for row in self.read("CALL db.indexes()", row_cap=None).rows
                       for prop in row["properties"]}
            constraints = {(row["label"], prop) for row in self.read("CALL db.constraints()", row_cap=None).rows
                           for prop in row["properties"]}
        except GraphError:
            return set(), set()   # no graph yet
        return indexes, constraints

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self.read("MATCH (n) RETURN labels(n)[0] AS label, count(n) AS n", row_cap=None).rows:
            counts[f"nodes:{row['label']}"] = row["n"]
        for row in self.read("MATCH ()-[r]->() RETURN type(r) AS type, count(r) AS n", row_cap=None).rows:
            counts[f"rels:{row['type']}"] = row["n"]
        return counts

    def config(self, key: str) -> Any:
        """A FalkorDB module setting (``GRAPH.CONFIG GET``)."""
        reply = self._db.connection.execute_command("GRAPH.CONFIG", "GET", key)
        return reply[1] if reply and not isinstance(reply[0], list) else reply

    def persist(self) -> None:
        # Every write is already fsynced to the append-only file.  Rewriting it into a
        # snapshot keeps restarts fast: otherwise a restart replays every load query.
        connection = self._db.connection
        try:
            connection.execute_command("BGREWRITEAOF")
        except redis.ResponseError as exc:
            if "in progress" not in str(exc) and "scheduled" not in str(exc):
                raise GraphError(f"Could not save the graph: {exc}") from exc
        except redis.RedisError:
            return   # an external server may forbid it: its own persistence applies
        # Wait for the rewrite, so a stop right after a load does not abort it.
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            info = connection.info("persistence")
            if not info.get("aof_rewrite_in_progress") and not info.get("aof_rewrite_scheduled"):
                return
            time.sleep(0.05)

    def clear(self) -> None:
        try:
            self._graph.delete()
        except redis.ResponseError as exc:
            if "empty key" not in str(exc).lower() and "invalid graph" not in str(exc).lower():
                raise

    def close(self) -> None:
        self._db.connection.close()
        if self._server is not None:
            self._server.release()
            self._server = None

    def __enter__(self) -> "FalkorGraph":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _result(result, row_cap: int | None) -> QueryResult:
    columns = [name for _type, name in (result.header or [])]
    values = result.result_set or []
    truncated = row_cap is not None and len(values) > row_cap
    if truncated:
        values = values[:row_cap]
    stats = {
        "nodes_created": int(result.nodes_created or 0),
        "relationships_created": int(result.relationships_created or 0),
        "properties_set": int(result.properties_set or 0),
    }
    return QueryResult(columns, [dict(zip(columns, row)) for row in values], truncated, stats)


def _redact(url: str) -> str:
    if "@" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url
