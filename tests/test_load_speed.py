"""The load's fast paths write exactly what the plain ones wrote.

- Parameters go into the query text by way of JSON (graph/falkor.py `params_header`) instead
  of the falkordb client's own writer: every awkward value must come back from the engine as
  the client's text brings it back.
- A load sends an institution again only when that changes the node (loader/writer.py): the
  node must end as if every batch had sent all its institutions.

The references are the plain ways themselves, on the same real engine: the client's
stringify_param_value, and the writer's old institution upsert (kept below as an oracle, like
tests/oracles/ keeps old query versions).
"""
from __future__ import annotations

import math
from pathlib import Path

import pytest
from falkordb import Graph as ClientGraph

from graph import GraphError
from graph.falkor import WRITE_TIMEOUT_MS, _result
from graph.params import _cypher_value, params_header, sendable
from loader.demo import write_demo
from loader.pipeline import load_paths
from loader.prepare import InstitutionRow, Prepared
from loader.records import Record
from loader.writer import GraphWriter, statement
from tests.test_parallel_load import contents

# (value sent, value the engine gives back), worked out by hand from how FalkorDB reads its
# query text: strings unescaped, a NUL turned into U+FFFD (the text would end there), tuples
# as lists, whole numbers past 64 bits cut to the largest int64; and how it replies: floats
# with 15 significant digits.
AWKWARD = [
    ('say "hi"', 'say "hi"'),
    ("back\\slash and \\u0041 and \\n as text", "back\\slash and \\u0041 and \\n as text"),
    ("line\nbreak\r\n\ttab", "line\nbreak\r\n\ttab"),
    ("bell\x07 escape\x1b backspace\x08 formfeed\x0c del\x7f",
     "bell\x07 escape\x1b backspace\x08 formfeed\x0c del\x7f"),
    ("a NUL\x00 inside", "a NUL\ufffd inside"),
    ("清华大学 · Zürich · 😀 · \u2028", "清华大学 · Zürich · 😀 · \u2028"),
    ('{"uid":1} ,"uid": ":` backtick', '{"uid":1} ,"uid": ":` backtick'),
    ("", ""),
    (None, None),
    (True, True),
    (False, False),
    (0, 0),
    (-7, -7),
    (2**63 - 1, 2**63 - 1),
    (2**70, 2**63 - 1),
    (0.1, 0.1),
    (1 / 3, 0.333333333333333),      # the engine replies with 15 significant digits
    (-0.0, -0.0),
    (1e-300, 1e-300),
    (1.5e300, 1.5e300),
    ([], []),
    ((1, "two", None, [3.5, [False]]), [1, "two", None, [3.5, [False]]]),
    ({"a-b": 1, "@type": "x", "with space": [1], "é": None, "end": {"order": 2}},
     {"a-b": 1, "@type": "x", "with space": [1], "é": None, "end": {"order": 2}}),
    # Rows as the loader sends them, one with a quote in a value, one with a key the first lacks.
    ([{"uid": "CN:x", "raw_names": ['Univ "A"', "B,\"uid\":"], "n": 1},
      {"uid": "US:y", "raw_names": [], "n": 2, "extra": {"nested": [{"deep": "\\"}]}}],
     [{"uid": "CN:x", "raw_names": ['Univ "A"', "B,\"uid\":"], "n": 1},
      {"uid": "US:y", "raw_names": [], "n": 2, "extra": {"nested": [{"deep": "\\"}]}}]),
]


def _client(graph) -> ClientGraph:
    """The falkordb client's own graph handle on the same connection: its stringify_param_value
    writes the parameters (the way before params_header)."""
    return ClientGraph(graph._db, graph.name)


def _client_round_trip(graph, value):
    result = _client(graph).query("RETURN $v AS v", sendable({"v": value}), timeout=WRITE_TIMEOUT_MS)
    return _result(result, None).rows[0]["v"]


def _same(a, b) -> bool:
    """Equal, -0.0 told from 0.0, and dicts compared as plain dicts (the client gives OrderedDicts)."""
    if isinstance(a, float) and isinstance(b, float):
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("value, expected", AWKWARD, ids=[repr(v)[:30] for v, _ in AWKWARD])
def test_an_awkward_parameter_comes_back_as_the_clients_own_text_brings_it(graph, value, expected):
    graph.write("CREATE (:Probe)")     # a graph must exist before it can be read
    fast = graph.read("RETURN $v AS v", {"v": value}).rows[0]["v"]
    assert _same(fast, expected), (fast, expected)
    assert _same(fast, _client_round_trip(graph, value))
    # Also as a write's parameter and inside a row, as the loader sends it.
    written = graph.write("UNWIND $rows AS row RETURN row.v AS v", {"rows": [{"v": value}]}).rows[0]["v"]
    assert _same(written, expected)


def test_the_json_way_is_taken_for_the_loaders_rows_and_left_where_json_would_read_otherwise():
    # Not vacuous: the fast text is what the loader's rows really travel as ...
    rows = [{"uid": "paper|false|CN:Tsinghua University|2019", "rollup": False, "year": 2019, "frac": 0.5,
             "raw_names": ['Tsinghua Univ "Main"']}]
    assert _cypher_value(rows) == ('[{`uid`:"paper|false|CN:Tsinghua University|2019",`rollup`:false,'
                                   '`year`:2019,`frac`:0.5,`raw_names`:["Tsinghua Univ \\"Main\\""]}]')
    assert params_header({"uids": ["WOS:1"], "n": 3}) == 'CYPHER `uids`=["WOS:1"] `n`=3 '
    # ... and not where JSON's text would read differently: \uXXXX escapes (control characters,
    # a NUL) stay six characters in FalkorDB; keys JSON cannot leave unquoted; NaN.
    for odd in ("a\x01b", "a\x00b", [{"a": 1}, {"b": {"c`d": 1}}], {"": 1}, float("nan"), {1: 2}):
        assert _cypher_value(odd) is None, odd
    assert params_header({"v": "a\x00b"}) == 'CYPHER `v`="a\ufffdb" '


def test_the_graph_handle_writes_its_parameters_the_json_way(graph):
    # FalkorGraph's client handle builds its query text with params_header, reads and writes alike.
    assert graph._graph._build_params_header({"n": True}) == "CYPHER `n`=true "
    assert graph._reader(1000)._build_params_header({"n": True}) == "CYPHER `n`=true "


@pytest.mark.parametrize("value", [float("nan"), float("inf"), {"a`b": 1}])
def test_a_parameter_the_engine_cannot_read_is_refused_as_before(graph, value):
    graph.write("CREATE (:Probe)")
    with pytest.raises(GraphError):
        graph.read("RETURN $v AS v", {"v": value})
    with pytest.raises(GraphError):
        graph.write("RETURN $v AS v", {"v": value})


# -- institutions: sent again only when that changes the node -----------------------------------

class CountingGraph:
    """The real graph, counting the statements the writer sends (it changes nothing)."""

    def __init__(self, graph):
        self.graph = graph
        self.sent: list[tuple[str, int]] = []

    def write(self, cypher, params=None):
        self.sent.append((cypher, len((params or {}).get("rows", []))))
        return self.graph.write(cypher, params)

    def __getattr__(self, attr):
        return getattr(self.graph, attr)


def _paper(uid: str, insts: list[str]) -> Prepared:
    return Prepared(Record("paper", uid, "wos", 2019, title=f"Paper {uid} on chips"), [("CN", "author")],
                    [(inst, "author") for inst in insts], [])


def _inst(uid, name_zh=None, resolved=True, raw=(), parent=None) -> InstitutionRow:
    return InstitutionRow(uid, uid.split(":", 1)[1], uid.split(":", 1)[0], name_zh, resolved, set(raw), parent)


def test_an_institution_is_sent_again_only_with_something_new_and_ends_as_if_always_sent(graph):
    counting = CountingGraph(graph)
    writer = GraphWriter(counting)
    seen, dirty = set(), set()
    lab, cas = "CN:Lab of Chips", "CN:Chinese Academy of Sciences"
    batches = [
        # 1: first sight, no Chinese name, unresolved, one spelling
        {lab: _inst(lab, None, False, ["Lab Chips"])},
        # 2: the same again: nothing to send
        {lab: _inst(lab, None, False, ["Lab Chips"])},
        # 3: now resolved with a Chinese name and under a parent (the parent is new)
        {lab: _inst(lab, "芯片实验室", True, ["Lab Chips"], parent=cas),
         cas: _inst(cas, "中国科学院", True, ["CAS"])},
        # 4: a null Chinese name keeps the one the node has; no new spelling: nothing to send
        {lab: _inst(lab, None, True, ["Lab Chips"], parent=cas), cas: _inst(cas, None, True, ["CAS"])},
        # 5: a second spelling
        {lab: _inst(lab, None, True, ["Lab of Chips", "Lab Chips"], parent=cas)},
    ]
    for n, institutions in enumerate(batches, start=1):
        writer.write("paper", [_paper(f"WOS:{n}", list(institutions))], institutions, {"CN"}, seen, dirty)

    upserts = [rows for cypher, rows in counting.sent if cypher == statement("common/upsert_institutions")]
    parents = [rows for cypher, rows in counting.sent if cypher == statement("common/link_parents")]
    # By hand: batch 1 sends the lab, 2 nothing, 3 both (the lab changed, CAS is new), 4 nothing,
    # 5 the lab (a new spelling).  The PART_OF link once, in batch 3.
    assert upserts == [1, 2, 1]
    assert parents == [1]
    node = graph.read("MATCH (i:Institution {uid: $uid}) OPTIONAL MATCH (i)-[:PART_OF]->(p) "
                      "RETURN i.name_zh AS zh, i.resolved AS resolved, i.raw_names AS raw, p.uid AS parent",
                      {"uid": lab}).rows
    # raw_names in the order first sent: "Lab Chips" (batch 1), then "Lab of Chips" (batch 5).
    assert node == [{"zh": "芯片实验室", "resolved": True, "raw": ["Lab Chips", "Lab of Chips"], "parent": cas}]
    assert graph.read("MATCH (p:Paper)-[:AFFILIATED_WITH]->(:Institution {uid: $uid}) RETURN count(p) AS n",
                      {"uid": lab}).rows == [{"n": 5}]


# -- a whole load, fast and plain ----------------------------------------------------------------

class ClientTextGraph:
    """The real graph, but parameters travel as the falkordb client writes them (the way before
    params_header): the reference for the fast text."""

    def __init__(self, graph):
        self.graph = graph
        self.client = _client(graph)

    def write(self, cypher, params=None):
        result = self.client.query(cypher, sendable(params or {}), timeout=WRITE_TIMEOUT_MS)
        return _result(result, None)

    def read(self, cypher, params=None, *, timeout_ms=None, row_cap=None):
        result = self.client.ro_query(cypher, sendable(params or {}), timeout=WRITE_TIMEOUT_MS)
        return _result(result, row_cap)

    def __getattr__(self, attr):
        return getattr(self.graph, attr)


def _send_every_institution(self, institutions: dict) -> None:
    """The writer's institution upsert before it remembered what it sent (the oracle)."""
    if not institutions:
        return
    rows = [row.as_param() for row in institutions.values()]
    self.graph.write(statement("common/upsert_institutions"), {"rows": rows})
    links = [{"uid": r.uid, "parent_uid": r.parent_uid} for r in institutions.values() if r.parent_uid]
    if links:
        self.graph.write(statement("common/link_parents"), {"rows": links})


def test_a_load_writes_node_for_node_what_the_plain_way_writes(graph, tmp_path, monkeypatch):
    demo = write_demo(tmp_path / "demo")
    # Two paper files and the patents, in batches of 250: the same institutions in many batches.
    paths = [p for p in demo if p.suffix == ".txt"][:2] + [p for p in demo if p.suffix != ".txt"]

    graph.clear()
    graph.apply_schema()
    fast_summary = load_paths(graph, paths, workers=0, batch_size=250)
    fast = contents(graph)

    graph.clear()
    graph.apply_schema()
    with monkeypatch.context() as patched:
        patched.setattr(GraphWriter, "_write_institutions", _send_every_institution)
        plain_summary = load_paths(ClientTextGraph(graph), paths, workers=0, batch_size=250)
    plain = contents(graph)

    assert [(f.read, f.new, f.duplicate) for f in fast_summary.files] == \
           [(f.read, f.new, f.duplicate) for f in plain_summary.files]
    assert fast.keys() == plain.keys()
    for key in plain:
        assert fast[key] == plain[key], key
    # Not vacuous: papers and patents, institutions with raw names and roll-up links, unit tallies.
    assert len(paths) == 3 and fast_summary.total("new") > 1500
    assert {"Paper", "Patent", "Institution", "UnitYear", "PairYear", "PART_OF", "SHARED_PAPERS"} <= fast.keys()
    assert len(fast["PART_OF"]) > 0 and len(fast["UnitYear"]) > 100
