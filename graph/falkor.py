"""FalkorDB, embedded (the default) or external (``COLLAB_GRAPH=redis://…``).

Writes go through the main connection.  Reads (`read()`: the console, the UI, the
saved queries) go through their own connections: as the read-only user on the
embedded server (see graph/embedded.py); on an external server as the user of
``COLLAB_READER_URL`` when it is set, else with the main connection's credentials
(still GRAPH.RO_QUERY, but then only the engine's own check stops a write).
"""
from __future__ import annotations

import os
import re
import shlex
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import redis
from falkordb import FalkorDB
from falkordb import Graph as FalkorDBGraph
from redis.backoff import NoBackoff
from redis.retry import Retry

from graph import guard
from graph.base import (MAINTENANCE_TIMEOUT_MS, READ_ROW_CAP, READ_TIMEOUT_MS, GraphError, QueryRefused,
                        QueryResult, count_graph, count_properties)
from graph.embedded import MODULE_SETTINGS, EmbeddedServer
from graph.params import params_header

SCHEMA_FILE = Path(__file__).parent / "schema" / "falkordb.schema"
WRITE_TIMEOUT_MS = 600_000
# persist(): rewrite the append-only log once what was added since the last rewrite is this
# share of its snapshot (a restart replays the rest; see persist).
REWRITE_SHARE = 0.25
# Replies that mean "this schema object exists already": re-running the schema is a no-op.
_ALREADY = ("already indexed", "already exists", "constraint already")
_INDEX_LINE = re.compile(r"CREATE INDEX FOR \(n:(?P<label>\w+)\) ON \(n\.(?P<prop>\w+)\)")
_CONSTRAINT_LINE = re.compile(r"UNIQUE NODE (?P<label>\w+) PROPERTIES 1 (?P<prop>\w+)")
# The engine stops a query at its timeout between rows, but not inside one long expression
# (reduce() over a huge list): past the timeout and this grace the reader stops waiting,
# so a caller always gets an answer.
READ_GRACE_MS = 2_000
_READERS_KEPT = 4        # connections per distinct timeout; the UI uses one or two

ReaderFactory = Callable[[float], redis.Redis]


class FalkorGraph:
    engine = "falkordb"

    def __init__(self, db: FalkorDB, name: str, description: str, server: EmbeddedServer | None = None,
                 reader: ReaderFactory | None = None, resultset_size: int | None = None):
        self._db = db
        self._name = name
        self._graph = _ClientGraph(db, name)
        self._server = server
        self.description = description
        # reader(socket_timeout_s) -> a connection for read(); one per distinct timeout.
        self._reader_factory = reader
        self._readers: dict[float, FalkorDBGraph] = {}
        self._readers_lock = threading.Lock()
        # The engine cuts results at RESULTSET_SIZE rows without saying so: a result
        # of exactly that many rows is reported as truncated.
        self._resultset_size = resultset_size

    @property
    def name(self) -> str:
        """The graph's key on the server."""
        return self._name

    @property
    def server(self) -> EmbeddedServer | None:
        """The embedded server behind this graph (None for an external one)."""
        return self._server

    # -- construction ----------------------------------------------------------------------

    @classmethod
    def embedded(cls, data_dir: Path, name: str) -> "FalkorGraph":
        server = EmbeddedServer(data_dir)
        endpoint = server.acquire()
        if endpoint.socket:
            db = FalkorDB(unix_socket_path=endpoint.socket, password=endpoint.password)
        else:
            db = FalkorDB(host="127.0.0.1", port=endpoint.port, password=endpoint.password)

        def reader(socket_timeout: float) -> redis.Redis:
            return endpoint.reader_client(socket_timeout=socket_timeout, decode_responses=True,
                                          retry=Retry(NoBackoff(), 0))

        return cls(db, name, f"embedded FalkorDB in {data_dir}", server, reader,
                   MODULE_SETTINGS["RESULTSET_SIZE"])

    @classmethod
    def from_url(cls, url: str, name: str, reader_url: str | None = None) -> "FalkorGraph":
        """An external FalkorDB; reads use `reader_url` (default: ``COLLAB_READER_URL``,
        else `url` itself)."""
        db = FalkorDB.from_url(url)
        try:
            db.connection.ping()
        except redis.RedisError as exc:
            raise GraphError(f"Cannot reach FalkorDB at {_redact(url)}: {exc} — is the server running?") from exc
        read_url = reader_url or os.environ.get("COLLAB_READER_URL") or url

        def reader(socket_timeout: float) -> redis.Redis:
            return redis.from_url(read_url, socket_timeout=socket_timeout, decode_responses=True,
                                  retry=Retry(NoBackoff(), 0))

        graph = cls(db, name, f"FalkorDB at {_redact(url)}", None, reader)
        graph._resultset_size = graph._setting("RESULTSET_SIZE")
        return graph

    # -- queries ---------------------------------------------------------------------------------

    def write(self, cypher: str, params: dict[str, Any] | None = None) -> QueryResult:
        try:
            result = self._graph.query(cypher, params or {}, timeout=WRITE_TIMEOUT_MS)
        except redis.ResponseError as exc:
            raise GraphError(f"FalkorDB refused a write: {exc}") from exc
        except redis.RedisError as exc:
            raise GraphError(f"Lost the connection to {self.description}: {exc}") from exc
        except (ValueError, TypeError) as exc:
            raise GraphError(f"A parameter cannot be sent to FalkorDB: {exc}") from exc
        return _result(result, None)

    def read(
        self,
        cypher: str,
        params: dict[str, Any] | None = None,
        *,
        timeout_ms: int = READ_TIMEOUT_MS,
        row_cap: int | None = READ_ROW_CAP,
    ) -> QueryResult:
        guard.check_read_query(cypher, self.engine)
        timeout_ms = max(1, int(timeout_ms))     # 0 would mean the engine's maximum
        seconds = f"{timeout_ms / 1000:g}"
        try:
            # GRAPH.RO_QUERY: the engine itself refuses anything that writes.
            result = self._reader(timeout_ms).ro_query(cypher, params or {}, timeout=timeout_ms)
        except redis.ResponseError as exc:
            raise _read_error(str(exc), seconds) from exc
        except redis.TimeoutError as exc:
            raise GraphError(f"The query took longer than {seconds} s and was abandoned; narrow it "
                             "(a LIMIT, a year range) and run it again.") from exc
        except redis.AuthenticationError as exc:
            raise GraphError(f"{self.description} refused the reader's credentials (COLLAB_READER_URL "
                             f"for an external server): {exc}") from exc
        except redis.ConnectionError as exc:
            if self._alive():
                # The server closes a reader whose reply passes the limit (see embedded.REPLY_LIMIT).
                raise GraphError("The result was too large to send and was refused; return fewer or "
                                 "smaller columns, or add a LIMIT.") from exc
            raise GraphError(f"Lost the connection to {self.description}: {exc}") from exc
        except (ValueError, TypeError) as exc:
            # The client writes parameters into the query text and refuses what it cannot write.
            raise GraphError(f"A parameter cannot be sent to FalkorDB: {exc}") from exc
        return _result(result, row_cap, self._resultset_size)

    def _reader(self, timeout_ms: int) -> FalkorDBGraph:
        """The read connection for this timeout: the socket waits the timeout plus a grace."""
        if self._reader_factory is None:
            return self._graph
        socket_timeout = (timeout_ms + READ_GRACE_MS) / 1000
        with self._readers_lock:
            graph = self._readers.get(socket_timeout)
            if graph is None:
                if len(self._readers) >= _READERS_KEPT:
                    # Dropped, not closed: another thread may be reading through it.
                    self._readers.pop(next(iter(self._readers)))
                graph = _ClientGraph(self._reader_factory(socket_timeout), self._name)
                self._readers[socket_timeout] = graph
            return graph

    def explain(self, cypher: str, params: dict[str, Any] | None = None) -> str:
        """The execution plan (GRAPH.EXPLAIN): plans the query without running it."""
        try:
            return str(self._graph.explain(cypher, params or {}))
        except redis.ResponseError as exc:
            raise GraphError(f"FalkorDB: {exc}") from exc

    # -- maintenance -------------------------------------------------------------------------------

    def apply_schema(self, key: str | None = None, *, indexes: bool = True, constraints: bool = True) -> None:
        """The indexes and constraints of graph/schema/falkordb.schema, on this graph or on the
        graph at `key` (a bulk build's, graph/falkor_bulk.py, which makes its indexes first and
        its constraints last)."""
        key = key or self._name
        # Skip what exists: a failing schema command is still appended to the AOF and
        # replayed, noisily, at every start.
        indexed, constrained = self._schema_present(key)
        for line in SCHEMA_FILE.read_text().splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            index = _INDEX_LINE.search(line)
            constraint = _CONSTRAINT_LINE.search(line)
            if (index and (not indexes or (index["label"], index["prop"]) in indexed)) or (
                constraint and (not constraints or (constraint["label"], constraint["prop"]) in constrained)
            ):
                continue
            args = [part.replace("{graph}", key) for part in shlex.split(line)]
            try:
                self.command(*args)
            except GraphError as exc:
                if not any(marker in str(exc).lower() for marker in _ALREADY):
                    raise GraphError(f"Schema command failed: {line}: {exc}") from exc

    def _schema_present(self, key: str) -> tuple[set, set]:
        if key != self._name:
            return set(), set()   # a bulk build's new graph: no schema yet
        try:
            indexes = {(row["label"], prop)
                       for row in self.read("CALL db.indexes()", row_cap=None, timeout_ms=MAINTENANCE_TIMEOUT_MS).rows
                       for prop in row["properties"]}
            constraints = {(row["label"], prop)
                           for row in self.read("CALL db.constraints()", row_cap=None,
                                                timeout_ms=MAINTENANCE_TIMEOUT_MS).rows
                           for prop in row["properties"]}
        except GraphError:
            return set(), set()   # no graph yet
        return indexes, constraints

    def counts(self) -> dict[str, int]:
        return count_graph(self) if self._exists() else {}

    def property_counts(self) -> dict[str, int]:
        return count_properties(self) if self._exists() else {}

    def _exists(self) -> bool:
        """A graph nothing was written to yet has no key: reads of it fail."""
        return self._name in self.command("GRAPH.LIST")

    def has_nodes(self) -> bool:
        """False for a graph that does not exist yet or holds only its schema."""
        if not self._exists():
            return False
        return bool(self.read("MATCH (n) RETURN 1 AS one LIMIT 1", row_cap=None,
                              timeout_ms=MAINTENANCE_TIMEOUT_MS).rows)

    def bulk_build(self):
        """A new graph to be built by bulk insert and put in place of this one (graph/falkor_bulk.py)."""
        from graph.falkor_bulk import BulkBuild

        return BulkBuild(self)

    def drop_key(self, key: str) -> None:
        """Delete the graph at `key` if there is one (a bulk build's leftover)."""
        if key in self.command("GRAPH.LIST"):
            self.command("GRAPH.DELETE", key)

    def command(self, *args) -> Any:
        """A server command on the main connection; its errors as GraphError."""
        try:
            return self._db.connection.execute_command(*args)
        except redis.ResponseError as exc:
            raise GraphError(f"FalkorDB: {exc}") from exc
        except redis.RedisError as exc:
            raise GraphError(f"Lost the connection to {self.description}: {exc}") from exc

    def _alive(self) -> bool:
        try:
            return bool(self._db.connection.ping())
        except redis.RedisError:
            return False

    def config(self, key: str) -> Any:
        """A FalkorDB module setting (``GRAPH.CONFIG GET``)."""
        reply = self.command("GRAPH.CONFIG", "GET", key)
        return reply[1] if reply and not isinstance(reply[0], list) else reply

    def _setting(self, key: str) -> int | None:
        try:
            return int(self.config(key))
        except (GraphError, TypeError, ValueError):
            return None     # a server that does not say: no truncation hint

    def persist(self) -> None:
        # Every write is already fsynced to the append-only file.  Rewriting it into a
        # snapshot keeps restarts fast: otherwise a restart replays every load query.  A
        # rewrite serialises the whole graph (seconds at a million records), so after a load
        # that added little to a big graph the log is left for a later rewrite: replaying a
        # log under REWRITE_SHARE of the snapshot costs a restart less than the rewrite costs
        # this load.  Nothing is less durable either way.
        connection = self._db.connection
        try:
            if not self._rewrite_worthwhile(connection.info("persistence")):
                return
            connection.execute_command("BGREWRITEAOF")
        except redis.ResponseError as exc:
            if "in progress" not in str(exc) and "scheduled" not in str(exc):
                raise GraphError(f"Could not save the graph: {exc}") from exc
        except redis.ConnectionError as exc:
            raise GraphError(f"Lost the connection to {self.description}: {exc}") from exc
        except redis.RedisError:
            return   # an external server may forbid it: its own persistence applies
        # Wait for the rewrite, so a stop right after a load does not abort it.
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            try:
                info = connection.info("persistence")
            except redis.RedisError as exc:
                raise GraphError(f"Lost the connection to {self.description}: {exc}") from exc
            if not info.get("aof_rewrite_in_progress") and not info.get("aof_rewrite_scheduled"):
                return
            time.sleep(0.05)

    @staticmethod
    def _rewrite_worthwhile(info: dict) -> bool:
        base, current = info.get("aof_base_size"), info.get("aof_current_size")
        if not info.get("aof_enabled") or not base or current is None:
            return True     # no append-only log to measure: take the snapshot
        return current - base >= REWRITE_SHARE * base

    def clear(self) -> None:
        try:
            self._graph.delete()
        except redis.ResponseError as exc:
            if "empty key" not in str(exc).lower() and "invalid graph" not in str(exc).lower():
                raise GraphError(f"FalkorDB: {exc}") from exc
        except redis.RedisError as exc:
            raise GraphError(f"Lost the connection to {self.description}: {exc}") from exc

    def close(self) -> None:
        with self._readers_lock:
            for graph in self._readers.values():
                graph.client.close()
            self._readers.clear()
        self._db.connection.close()
        if self._server is not None:
            self._server.release()
            self._server = None

    def __enter__(self) -> "FalkorGraph":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _ClientGraph(FalkorDBGraph):
    """The client's graph handle, writing the parameters with params_header: the client builds
    every command's text (query, ro_query, explain, profile) with this one method."""

    def _build_params_header(self, params: dict | None) -> str:
        return params_header(params)


def _read_error(text: str, seconds: str) -> GraphError:
    """The engine's refusal of a read, as a message that says what to do."""
    lower = text.lower()
    if "read-only" in lower or "ro_query" in lower or "no permissions" in lower:
        return QueryRefused(guard.WRITES)
    if "timed out" in lower:
        return GraphError(f"The query took longer than {seconds} s and was stopped; narrow it "
                          "(a LIMIT, a year range) and run it again.")
    if "mem consumption exceeded" in lower:
        return GraphError("The query needed more memory than one query may use and was stopped; "
                          "narrow it (a LIMIT, a year range) and run it again.")
    if "empty key" in lower:
        return GraphError("The graph is empty: load exports first (`python -m loader load …` "
                          "or `python -m loader demo`).")
    if "max pending queries" in lower:
        return GraphError("The graph engine is busy (too many queries waiting); try again in a moment.")
    return GraphError(f"FalkorDB: {text}")


def _result(result, row_cap: int | None, resultset_size: int | None = None) -> QueryResult:
    columns = [name for _type, name in (result.header or [])]
    values = result.result_set or []
    truncated = row_cap is not None and len(values) > row_cap
    if truncated:
        values = values[:row_cap]
    elif resultset_size and len(values) >= resultset_size:
        truncated = True     # the engine's own cap: there may have been more
    stats = {
        "nodes_created": int(result.nodes_created or 0),
        "relationships_created": int(result.relationships_created or 0),
        "properties_set": int(result.properties_set or 0),
        "engine_ms": float(result.run_time_ms or 0.0),     # the engine's own time, queueing excluded
    }
    return QueryResult(columns, [dict(zip(columns, row)) for row in values], truncated, stats)


def _redact(url: str) -> str:
    if "@" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url
