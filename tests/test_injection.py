"""No Cypher injection: values travel as parameters, and hostile values round-trip exactly.

Three layers: a source scan (no query text is built from values anywhere in
loader/, cypher/, ui/, graph/), every saved query run with hostile strings in
every string parameter (the graph is unchanged), and hostile titles and
organisation names loaded from a WoS export and through the writer (read back
exactly as written).
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from cypher import runner
from loader.pipeline import load_paths

REPO = Path(__file__).resolve().parents[1]
SCANNED = ("loader", "cypher", "ui", "graph")

HOSTILE = [
    "x'}) DETACH DELETE n //",
    'x"}) DETACH DELETE n //',
    "`) DETACH DELETE n //",
    "\\' OR 1=1 //",
    "ends with a backslash \\",
    "line1\nline2\r\nMATCH (n) DETACH DELETE n",
    "清华大学 }{ ; // /* */ 北京",
    "$a $b {a} %s {0} ${x} %(x)s",
    "CYPHER a=1 MATCH (n) DELETE n",
    "\\u0027 \\x27 \\n",
    "Ünïcødé – “quotes” ‘single’ 🙂 \u2028",
]

# -- 1. the source scan ---------------------------------------------------------------------------

# Text that is Cypher: a clause keyword (our Cypher is upper case) where a query would have it.
_CYPHER = re.compile(
    r"\b(?:OPTIONAL MATCH|MATCH|MERGE|CREATE|DETACH DELETE)\s*\(|\bRETURN\s+[\w$({*]|\bUNWIND\s+[\w$\[]"
    r"|\bCALL\s+[\w{]|\bSET\s+\w+\.|\bWHERE\s+\w+[.:]|\bLOAD CSV\b|\bEXPLAIN\s|\bGRAPH\.(?:RO_)?QUERY\b")
# A label or type written from a value: "(n:" or "[:" right before an interpolation.
_LABEL_SLOT = re.compile(r"(?:\(\w*|\[\w*):`?$")
# Methods that send query text to an engine, called on something that is one (a file's
# .write() is not).
_SENDERS = {"read", "write", "query", "ro_query", "run", "execute_query", "explain", "profile", "Query"}
_ENGINES = re.compile(r"graph|session|driver|\btx\b|\bdb\b|reader|neo4j|falkor", re.IGNORECASE)
# The one place query text is built: Neo4j's EXPLAIN before the query being checked, which
# is the caller's whole query, not a value put into one.
ALLOWED = {("graph/neo4j_graph.py", "EXPLAIN ")}


def _constant_parts(node: ast.AST) -> list[str]:
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    return []


def query_building(source: str, path: str = "<text>") -> list[str]:
    """Places in Python source where Cypher text is built from values: f-strings, % and
    .format() on Cypher text, + onto Cypher text, and anything but a plain expression
    as the query argument of read/write/query/run.  Returns 'path:line: what' strings."""
    found = []

    def flag(node: ast.AST, what: str, constants: list[str] = ()) -> None:
        if any((path, c) in ALLOWED for c in constants):
            return
        found.append(f"{path}:{node.lineno}: {what}")

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr):
            parts = _constant_parts(node)
            text = "".join(parts)
            pieces = node.values
            label_slot = any(isinstance(a, ast.Constant) and isinstance(a.value, str) and _LABEL_SLOT.search(a.value)
                             and isinstance(b, ast.FormattedValue) for a, b in zip(pieces, pieces[1:]))
            if _CYPHER.search(text) or label_slot:
                flag(node, "f-string builds Cypher", parts)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
            parts = _constant_parts(node.left) + _constant_parts(node.right)
            if any(_CYPHER.search(p) for p in parts):
                flag(node, "% or + builds Cypher", parts)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ("format", "format_map", "replace") and _CYPHER.search(
                    "".join(_constant_parts(node.func.value))):
                flag(node, f".{node.func.attr}() builds Cypher")
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            receiver = ast.unparse(node.func.value) if isinstance(node.func, ast.Attribute) else name
            if (name in _SENDERS and _ENGINES.search(receiver) and node.args
                    and isinstance(node.args[0], (ast.JoinedStr, ast.BinOp))):
                first = node.args[0]
                parts = _constant_parts(first.left) + _constant_parts(first.right) if isinstance(
                    first, ast.BinOp) else _constant_parts(first)
                flag(node, f"query text for .{name}() is built, not a plain string", parts)
    return found


def test_the_scan_finds_every_way_of_building_query_text():
    # The scanner must fail on each of these, or the scan below proves nothing.
    bad = '''
graph.read(f"MATCH (n:Paper {{uid: '{uid}'}}) RETURN n")
graph.write("MATCH (n) WHERE n.name = '%s' RETURN n" % name)
text = "MATCH (n) WHERE n.name = '{}' RETURN n".format(name)
graph.read("MATCH (n) RETURN n.x AS x " + suffix)
graph.read(prefix + suffix)
session.run(f"{prefix} LIMIT {n}")
q = f"(n:{label})"
q = "MATCH (n) RETURN n LIMIT $n".replace("$n", str(n))
'''
    found = query_building(bad)
    lines = sorted({int(f.split(":")[1]) for f in found})
    assert lines == [2, 3, 4, 5, 6, 7, 8, 9]
    good = '''
graph.read(statement("papers/existing"), {"uids": uids})
graph.read("MATCH (n) WHERE n.name = $name RETURN n", {"name": name})
raise GraphError(f"The query took longer than {seconds} s")
console.print(f"{n} institution names matched no alias")
'''
    assert query_building(good) == []


def test_no_query_text_is_built_from_values_anywhere():
    found = []
    for folder in SCANNED:
        for path in sorted((REPO / folder).rglob("*.py")):
            rel = path.relative_to(REPO).as_posix()
            found += query_building(path.read_text(encoding="utf-8"), rel)
    assert found == []


def test_query_files_hold_no_python_placeholders():
    # .cypher files are sent as they are; a "{name}" or "%s" in one would mean someone fills it in.
    files = sorted((REPO / "cypher").glob("*.cypher")) + sorted((REPO / "loader" / "writes").rglob("*.cypher"))
    assert len(files) > 20
    for path in files:
        code = "\n".join(line.split("//", 1)[0] for line in path.read_text(encoding="utf-8").splitlines())
        assert not re.search(r"\{[A-Za-z_]\w*\}|%s|%\(|\{\d*\}", code), path


# -- 2. every saved query with hostile parameters --------------------------------------------------

# Each parameter's type, read from the query's header as a person would: the default's type;
# a list where the help shows one ("e.g. ['CN', 'US']"); a number where it speaks of years or
# counts.  Every text parameter gets the hostile value, every list parameter a list holding it.
YEARS = {"from": 2015, "to": 2020}


def hostile_params(query: runner.SavedQuery, value: str) -> dict:
    params = {}
    for p in query.params:
        default = None if p.required else p.default
        if isinstance(default, (bool, int)):
            params[p.name] = default
        elif isinstance(default, str):
            params[p.name] = value
        elif "[" in p.help or "a list" in p.help:
            params[p.name] = [value]
        elif re.search(r"\byear\b|e\.g\. \d|than this|how many|rows", p.help):
            params[p.name] = YEARS.get(p.name, 2019)
        else:
            params[p.name] = value
    return params


HOSTILE_WOS = """FN Clarivate Analytics Web of Science
VR 1.0
PT J
AU Wang, L
TI {title}
SO JOURNAL
DT Article
C1 [Wang, L] Tsinghua Univ, Dept Comp Sci, Beijing 100084, Peoples R China.
   [Smith, J] Univ Calif Berkeley, Dept EECS, Berkeley, CA 94720 USA.
C3 {c3}
PY 2019
UT WOS:000000000000901
ER

PT J
AU Li, M
TI A plain title
SO JOURNAL
DT Article
C1 [Li, M] {c1_org}, Dept Phys, Shanghai 200433, Peoples R China.
   [Brown, A] Stanford Univ, Dept Elect Engn, Stanford, CA 94305 USA.
PY 2019
UT WOS:000000000000902
ER

EF
"""
# WoS holds a field on one line (continuation lines are joined with a space), splits C3 on
# "; " and takes a C1 organisation up to its first comma: the values avoid those three.
TITLE = "x'}) DETACH DELETE n // `tick` \\ \"dq\" 清华 }{ MERGE (m) RETURN m;CREATE (:X) $a"
C3_NAME = "Univ `x'}) DETACH DELETE n //;x\\ \"q\" 北京 $b"
C1_ORG = "Inst \"}) MATCH (n) DELETE n // `b` \\ 上海 {c}"


@pytest.fixture(scope="module")
def hostile_graph(falkor_session, tmp_path_factory):
    """tests/data/small_wos.txt plus two records whose title and organisations are hostile."""
    graph = falkor_session
    graph.clear()
    graph.apply_schema()
    export = tmp_path_factory.mktemp("hostile") / "hostile_wos.txt"
    export.write_text(HOSTILE_WOS.format(title=TITLE, c3=C3_NAME, c1_org=C1_ORG), encoding="utf-8")
    summary = load_paths(graph, [REPO / "tests" / "data" / "small_wos.txt", export])
    assert summary.ok, [f.error for f in summary.files]
    assert summary.files[1].new == 2
    yield graph
    graph.clear()


def test_hostile_values_loaded_from_an_export_round_trip_exactly(hostile_graph):
    title = hostile_graph.read("MATCH (p:Paper {uid: $uid}) RETURN p.title AS t",
                               {"uid": "WOS:000000000000901"}).rows
    assert title == [{"t": TITLE}]
    # The C3 name names the institution of record 901 (not in the alias table, so its raw
    # name is kept as written); record 902 has no C3, so its C1 organisation is used.
    for uid, raw in (("WOS:000000000000901", C3_NAME), ("WOS:000000000000902", C1_ORG)):
        rows = hostile_graph.read(
            "MATCH (p:Paper {uid: $uid})-[:AFFILIATED_WITH]->(i:Institution) WHERE $raw IN i.raw_names "
            "RETURN i.name AS name, i.raw_names AS raw", {"uid": uid, "raw": raw}).rows
        assert len(rows) == 1, (uid, raw)
        assert rows[0]["name"] == raw      # no doubled spaces or trailing dots: tidy() keeps it


@pytest.mark.parametrize("name", sorted(runner.saved_queries()))
def test_every_saved_query_takes_hostile_strings_as_values(hostile_graph, name):
    query = runner.get(name)
    before = (hostile_graph.counts(), hostile_graph.property_counts())
    for value in HOSTILE:
        result = runner.run(hostile_graph, name, hostile_params(query, value))
        assert list(result.columns) == list(query.returns) or not result.rows, name
    assert (hostile_graph.counts(), hostile_graph.property_counts()) == before


def test_a_hostile_search_finds_the_hostile_institution(hostile_graph):
    if "institution_search" not in runner.saved_queries():
        pytest.skip("no institution_search query")
    rows = runner.run(hostile_graph, "institution_search", {"q": C1_ORG}).rows
    assert any(C1_ORG == row.get("name") for row in rows), rows


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_parameters_come_back_exactly(hostile_graph, value):
    row = hostile_graph.read("RETURN $x AS x, size($x) AS n, [$x] AS l, {k: $x} AS m", {"x": value}).rows[0]
    assert row["x"] == value and row["n"] == len(value)
    assert row["l"] == [value] and row["m"] == {"k": value}


def test_hostile_values_in_json_round_trip_through_the_loader(graph, tmp_path):
    # JSON carries what no WoS line can (newlines, tabs, every quote): one OpenAlex work per
    # hostile value, its title and its institution's name set to it.
    import json

    works = [{"id": f"https://openalex.org/W{900 + i}", "display_name": value, "publication_year": 2020,
              "type": "article",
              "authorships": [{"institutions": [{"display_name": f"Org {value}", "country_code": "CN"}]},
                              {"institutions": [{"display_name": "Stanford University", "country_code": "US"}]}]}
             for i, value in enumerate(HOSTILE)]
    export = tmp_path / "works.jsonl"
    export.write_text("\n".join(json.dumps(w, ensure_ascii=False) for w in works) + "\n", encoding="utf-8")
    summary = load_paths(graph, [export])
    assert summary.ok, summary.files[0].error
    assert summary.files[0].new == len(HOSTILE)
    for i, value in enumerate(HOSTILE):
        rows = graph.read("MATCH (p:Paper {uid: $uid})-[:AFFILIATED_WITH]->(i:Institution {country: 'CN'}) "
                          "RETURN p.title AS title, i.raw_names AS raw", {"uid": f"OPENALEX:W{900 + i}"}).rows
        # The loader strips the raw organisation name (leading/trailing blanks are not part of a name).
        assert rows == [{"title": value, "raw": [f"Org {value}".strip()]}], value
