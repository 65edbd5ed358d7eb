"""FalkorDB's bulk insert (``GRAPH.BULK``): a new graph built from binary blocks of nodes and edges.

Statements pay for parsing, planning and a MERGE's index lookup on every row; the bulk insert
only appends, so a first load writes through it (loader/bulk_writer.py).  It cannot add to a
graph that exists, so the graph is built under a key of its own, given the schema, and renamed
onto the graph's key once complete: a build that dies leaves the graph as it was, and the next
build drops what it left.  Both the blocks and the rename go to the append-only log.

The wire format (FalkorDB's "GRAPH.BULK endpoint specification"): a command carries its node
count, edge count, the number of node blocks and of edge blocks, then the blocks, nodes first.
A block is one label or relationship type: its name and property names (NUL-terminated, the
count as a 4-byte integer), then per entity (an edge starting with its two 8-byte node ids) one
type byte and value per property.  A node's id is its place in creation order, from 0.  A null
value leaves the property unset, as SET to null does.
"""
from __future__ import annotations

import struct
import time
from array import array
from concurrent.futures import Future, ThreadPoolExecutor
from collections.abc import Iterable, Sequence
from typing import Any

from graph.base import GraphError

_NULL, _BOOL, _DOUBLE, _STRING, _LONG, _ARRAY = (bytes([code]) for code in range(6))
_FALSE, _TRUE = _BOOL + b"\0", _BOOL + b"\1"
_DOUBLE_VALUE = struct.Struct("<cd")
_LONG_VALUE = struct.Struct("<cq")
_ARRAY_HEAD = struct.Struct("<cQ")
_ENDPOINTS = struct.Struct("<QQ")
_COUNT = struct.Struct("<I")
# A command stays well under the server's 512 MB argument and 1 GB query limits, and small
# enough that the engine's copy of it does not add much to its peak memory.
COMMAND_BYTES = 32 * 1024 * 1024
BUILD_SUFFIX = "~build"
_READY_STATUS = "OPERATIONAL"


class UnsendableValue(ValueError):
    """A value the bulk format cannot carry (a string with a NUL character, a map)."""


def encode(value: Any) -> bytes:
    """One property: a type byte, then the value."""
    if value is None:
        return _NULL
    if value is True:
        return _TRUE
    if value is False:
        return _FALSE
    if type(value) is int:
        return _LONG_VALUE.pack(_LONG, value)
    if type(value) is float:
        return _DOUBLE_VALUE.pack(_DOUBLE, value)
    if type(value) is str:
        data = value.encode()
        if b"\0" in data:
            raise UnsendableValue(f"a string with a NUL character: {value[:40]!r}")
        return _STRING + data + b"\0"
    if isinstance(value, (list, tuple)):
        return _ARRAY_HEAD.pack(_ARRAY, len(value)) + b"".join(map(encode, value))
    raise UnsendableValue(f"a {type(value).__name__} cannot be a property: {value!r}")


def encode_all(values: Iterable[Any]) -> bytes:
    return b"".join(map(encode, values))


def _name(text: str) -> bytes:
    return text.encode() + b"\0"


def _header(name: str, properties: Sequence[str]) -> bytes:
    return _name(name) + _COUNT.pack(len(properties)) + b"".join(map(_name, properties))


class _Block:
    """One label's or type's entities waiting to be sent, with one property list for all."""

    def __init__(self, name: str, properties: Sequence[str]):
        self.header = _header(name, properties)
        self.key = (name, tuple(properties))
        self.parts: list[bytes] = []
        self.count = 0
        self.size = 0

    def add(self, data: bytes, count: int) -> None:
        self.parts.append(data)
        self.count += count
        self.size += len(data)

    def take(self) -> bytes:
        data = self.header + b"".join(self.parts)
        self.parts, self.count, self.size = [], 0, 0
        return data


class BulkBuild:
    """A new graph made by bulk insert under `<name>~build`, put in place by `finish`.

    Nodes get ids in the order they are added (`add_node` returns it); edges name their ends by
    those ids.  Blocks are sent whenever COMMAND_BYTES are waiting; nodes added after edges send
    the edges' command first, as a command holds its nodes before its edges.

    A command is sent from a thread of its own while the next one is made, one at a time and in
    order, so the engine inserts while Python encodes; its failure is raised by the next `send`."""

    def __init__(self, graph):
        self.graph = graph
        self.key = graph.name + BUILD_SUFFIX
        self._began = False
        self.nodes_made = 0
        # Blocks in the order they were started: the engine numbers nodes in the order it reads
        # them, so a node block is never added to once another has started after it.
        self._nodes: list[_Block] = []
        self._edges: list[_Block] = []
        self._waiting = 0
        self._sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk-insert")
        self._in_flight: Future | None = None
        graph.drop_key(self.key)      # left by a build that died

    # -- adding ------------------------------------------------------------------------------

    def add_node(self, label: str, properties: Sequence[str], values: Sequence[Any]) -> int:
        """One node; its id.  `values` in the order of `properties`."""
        return self.add_encoded_node(label, properties, encode_all(values))

    def add_encoded_node(self, label: str, properties: Sequence[str], data: bytes) -> int:
        if self._edges:
            self.send()
        block = self._block(self._nodes, label, properties)
        block.add(data, 1)
        self._grew(len(data))
        node_id = self.nodes_made
        self.nodes_made += 1
        return node_id

    def add_edges(self, kind: str, properties: Sequence[str], rows: Iterable[tuple]) -> None:
        """Edges as (source id, target id, *values in the order of `properties`)."""
        pack = _ENDPOINTS.pack
        for source, target, *values in rows:
            data = pack(source, target) + encode_all(values)
            # The block is looked up for every edge: a send in between starts a new one.
            self._block(self._edges, kind, properties).add(data, 1)
            self._grew(len(data))

    def add_encoded_edges(self, kind: str, properties: Sequence[str], data: bytes, count: int) -> None:
        """`count` edges already encoded: each its two ids (8-byte unsigned), then its values."""
        self._block(self._edges, kind, properties).add(data, count)
        self._grew(len(data))

    def add_plain_edges(self, kind: str, ends: array) -> None:
        """Edges without properties: `ends` holds source, target, source, target ... as 8-byte
        unsigned integers, which is the wire format of such edges as it stands."""
        if ends.typecode != "Q" or ends.itemsize != 8:
            raise ValueError("plain edges are an array('Q') of source, target pairs")
        step = COMMAND_BYTES // 16
        for start in range(0, len(ends) // 2, step):
            block = self._block(self._edges, kind, ())
            chunk = ends[2 * start:2 * (start + step)]
            block.add(chunk.tobytes(), len(chunk) // 2)
            self._grew(len(chunk) * 8)

    @staticmethod
    def _block(blocks: list[_Block], name: str, properties: Sequence[str]) -> _Block:
        """The last block if it is this label's or type's, else a new one after it."""
        if not blocks or blocks[-1].key != (name, tuple(properties)):
            blocks.append(_Block(name, properties))
        return blocks[-1]

    def _grew(self, size: int) -> None:
        self._waiting += size
        if self._waiting >= COMMAND_BYTES:
            self.send()

    # -- sending -----------------------------------------------------------------------------

    def send(self) -> None:
        """Send everything waiting as one command."""
        nodes = [block for block in self._nodes if block.count]
        edges = [block for block in self._edges if block.count]
        self._nodes, self._edges = [], []
        if not nodes and not edges and self._began:
            return
        node_count = sum(block.count for block in nodes)
        edge_count = sum(block.count for block in edges)
        blobs = [block.take() for block in nodes] + [block.take() for block in edges]
        first = not self._began
        args = ["GRAPH.BULK", self.key] + (["BEGIN"] if first else [])
        args += [node_count, edge_count, len(nodes), len(edges), *blobs]
        self._began = True
        self._waiting = 0
        self._collect()
        self._in_flight = self._sender.submit(self._insert, args, node_count, edge_count, first)

    def _insert(self, args: list, node_count: int, edge_count: int, first: bool) -> None:
        reply = self.graph.command(*args)
        text = reply.decode() if isinstance(reply, bytes) else str(reply)
        if not text.startswith(f"{node_count} nodes created, {edge_count} edges created"):
            raise GraphError(f"FalkorDB's bulk insert answered {text!r} for {node_count} nodes "
                             f"and {edge_count} edges")
        if first:
            # The indexes as soon as the new graph exists: the bulk insert adds every later node
            # to them as it goes, while the loader works, where built at the end they cost the
            # load a wait with the loader idle (7.8 s at 1,000,000 records, 1.1 s this way).
            self.graph.apply_schema(key=self.key, constraints=False)

    def flush(self) -> None:
        """Send everything waiting and wait until the engine has inserted it."""
        self.send()
        self._collect()

    def _collect(self) -> None:
        """Wait for the command in flight; its error, if any, is raised here."""
        in_flight, self._in_flight = self._in_flight, None
        if in_flight is not None:
            in_flight.result()

    def finish(self, timeout_s: float = 3600) -> None:
        """Send the rest, give the new graph its constraints (its indexes came with its first
        command), wait for the indexes and constraints, and put it in place of the graph (which
        must hold no nodes: a first load's)."""
        self.send()
        try:
            self._collect()
        finally:
            self._sender.shutdown()
        self.graph.apply_schema(key=self.key, indexes=False)
        self._wait_for_schema(timeout_s)
        # One loader at a time builds: had another written to the graph meanwhile, the rename
        # would replace its data.  (Its key may exist with the schema only.)
        if self.graph.has_nodes():
            raise GraphError(f"The graph {self.graph.name!r} received data while this load built it anew; "
                             "nothing of this load was written: run it again")
        self.graph.command("RENAME", self.key, self.graph.name)

    def _wait_for_schema(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while True:
            indexes = self.graph.command("GRAPH.QUERY", self.key, "CALL db.indexes() YIELD status RETURN status")
            constraints = self.graph.command("GRAPH.QUERY", self.key,
                                             "CALL db.constraints() YIELD status, label, properties "
                                             "RETURN status, label, properties")
            states = [_text(row[0]) for row in indexes[1]] + [_text(row[0]) for row in constraints[1]]
            failed = [row for row in constraints[1] if _text(row[0]) == "FAILED"]
            if failed:
                label, props = _text(failed[0][1]), _text(failed[0][2])
                raise GraphError(f"The new graph breaks its uniqueness constraint on {label} {props}: "
                                 "two nodes share a key the loader meant to be unique")
            if all(state == _READY_STATUS for state in states):
                return
            if time.monotonic() > deadline:
                raise GraphError(f"The new graph's indexes were not ready after {timeout_s:.0f} s")
            time.sleep(0.05)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
