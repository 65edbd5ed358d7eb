"""The console's `graph.read()` is read-only and bounded, on both engines.

Every hostile query is refused or cut off with a message that says so, and the
graph's node, relationship and property counts are the same afterwards.  The
same table runs on FalkorDB (always) and Neo4j (when NEO4J_URI is set).
"""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from graph import GraphError, QueryRefused
from graph import guard
from graph.base import RESULT_ROWS_MAX
from loader.pipeline import load_paths

SMALL = Path(__file__).parent / "data" / "small_wos.txt"

# (id, query, the message it must be refused with).  Statements one engine does not know
# (DROP INDEX ON :L(p) is FalkorDB's, DROP INDEX name Neo4j's) are refused on both.
REFUSED = [
    ("create", "CREATE (:X {a: 1})", guard.WRITES),
    ("merge", "MERGE (c:Country {code: 'XX'}) RETURN c.code", guard.WRITES),
    ("set", "MATCH (c:Country) SET c.name = 'hacked' RETURN count(c)", guard.WRITES),
    ("delete", "MATCH (p:Paper) DELETE p", guard.WRITES),
    ("detach-delete", "MATCH (n) DETACH DELETE n", guard.WRITES),
    ("remove", "MATCH (c:Country) REMOVE c.name RETURN count(c)", guard.WRITES),
    ("foreach", "MATCH (c:Country) FOREACH (x IN [1] | SET c.x = x)", guard.WRITES),
    ("write-in-subquery", "MATCH (c:Country) CALL { WITH c CREATE (:X) } RETURN count(c)", guard.WRITES),
    ("explain-prefix", "EXPLAIN CREATE (:X)", guard.WRITES),   # FalkorDB would run it (see PORTABILITY)
    ("create-index", "CREATE INDEX FOR (p:Paper) ON (p.title)", guard.SCHEMA),
    ("drop-index-falkordb", "DROP INDEX ON :Paper(uid)", guard.SCHEMA),
    ("drop-index-neo4j", "DROP INDEX paper_year", guard.SCHEMA),
    ("create-constraint", "CREATE CONSTRAINT paper_title IF NOT EXISTS FOR (p:Paper) REQUIRE p.title IS UNIQUE",
     guard.SCHEMA),
    ("create-constraint-old", "CREATE CONSTRAINT ON (p:Paper) ASSERT p.title IS UNIQUE", guard.SCHEMA),
    ("drop-constraint", "DROP CONSTRAINT paper_uid", guard.SCHEMA),
    ("create-user", "CREATE USER mallory SET PASSWORD 'x'", guard.SCHEMA),
    ("load-csv-file", "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row", guard.LOAD_CSV),
    ("load-csv-http", "LOAD CSV WITH HEADERS FROM 'http://127.0.0.1:9/x.csv' AS row RETURN row", guard.LOAD_CSV),
    ("load-csv-hidden", "MATCH (c:Country) WITH c /* x */ load\n csv FROM 'file:///etc/passwd' AS row RETURN row",
     guard.LOAD_CSV),
    ("multiple-statements", "MATCH (n) RETURN n; CREATE (:X)", guard.MULTIPLE_STATEMENTS),
    ("multiple-reads", "MATCH (n) RETURN count(n); MATCH (n) RETURN count(n)", guard.MULTIPLE_STATEMENTS),
]
# CALL of procedures that write or administer: refused by name, on both engines.
WRITE_PROCEDURES = [
    "CALL db.idx.fulltext.createNodeIndex('Paper', 'title')",
    "CALL db.idx.fulltext.drop('Paper')",
    "CALL db.createLabel('X')",
    "CALL db.createProperty('x')",
    "CALL dbms.security.createUser('mallory', 'secret', false)",
    "CALL dbms.setConfigValue('db.logs.query.enabled', 'OFF')",
    "CALL apoc.cypher.runWrite('CREATE (:X)', {})",
    "CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DETACH DELETE n', {})",
    "CALL `apoc.cypher.doIt`('CREATE (:X)', {}) YIELD value RETURN value",
    "CALL apoc.load.json('file:///etc/passwd')",
    "CALL db.clearQueryCaches",   # Neo4j: a CALL without parentheses
]


@pytest.fixture(scope="module", params=["falkordb", "neo4j"])
def loaded(request):
    """The small WoS export loaded once per engine; every test leaves it as it was."""
    if request.param == "falkordb":
        graph = request.getfixturevalue("falkor_session")
    else:
        graph = request.getfixturevalue("neo4j_graph")
    graph.clear()
    graph.apply_schema()
    summary = load_paths(graph, [SMALL])
    assert summary.ok and summary.total("new") == 8
    before = (graph.counts(), graph.property_counts())
    yield graph
    assert (graph.counts(), graph.property_counts()) == before
    graph.clear()


def fingerprint(graph) -> tuple[dict, dict]:
    return graph.counts(), graph.property_counts()


def test_the_fixture_graph_is_what_small_wos_holds(loaded):
    # tests/data/small_wos.txt holds 9 records, one UT twice: 8 papers.  The countries are
    # CN (Tsinghua, Peking, Fudan ...), US, JP and GB: 4 Country nodes.
    counts = loaded.counts()
    assert counts["nodes:Paper"] == 8
    assert counts["nodes:Country"] == 4
    # Every paper has a uid and a title: the property counts see them.
    props = loaded.property_counts()
    assert props["nodes:Paper.uid"] == 8 and props["nodes:Paper.title"] == 8


@pytest.mark.parametrize("name, query, message", REFUSED, ids=[r[0] for r in REFUSED])
def test_hostile_query_is_refused_with_a_clear_message(loaded, name, query, message):
    before = fingerprint(loaded)
    with pytest.raises(QueryRefused) as refused:
        loaded.read(query)
    assert str(refused.value) == message
    assert fingerprint(loaded) == before


def test_use_clause_is_refused_on_neo4j_and_unknown_on_falkordb(loaded):
    query = "USE system MATCH (n) RETURN count(n)"
    before = fingerprint(loaded)
    if loaded.engine == "neo4j":
        with pytest.raises(QueryRefused, match="USE is not allowed here"):
            loaded.read(query)
    else:
        # FalkorDB has no USE clause: a syntax error, still nothing runs.
        with pytest.raises(GraphError, match="FalkorDB: .*USE|Invalid input"):
            loaded.read(query)
    assert fingerprint(loaded) == before


@pytest.mark.parametrize("query", WRITE_PROCEDURES)
def test_procedures_outside_the_allow_list_are_refused(loaded, query):
    before = fingerprint(loaded)
    with pytest.raises(QueryRefused, match=r"^Procedure \S+ is not allowed here; the console may call only db\."):
        loaded.read(query)
    assert fingerprint(loaded) == before


def test_allow_listed_procedures_and_text_that_only_looks_hostile_run(loaded):
    # db.labels is on both engines' allow-list; the Paper label is there after the load.
    labels = {row["label"] for row in loaded.read("CALL db.labels()").rows}
    assert "Paper" in labels
    # A ';', "LOAD CSV" or "CREATE" inside a string, and a comment, are data, not code.
    row = loaded.read("RETURN 'a;b' AS s, 'LOAD CSV FROM x' AS t, \"CREATE (:X)\" AS u /* ; DELETE */").rows[0]
    assert row == {"s": "a;b", "t": "LOAD CSV FROM x", "u": "CREATE (:X)"}
    # A trailing ';' is one statement.
    assert loaded.read("MATCH (p:Paper) RETURN count(p) AS n;").rows == [{"n": 8}]


def test_a_cartesian_product_that_never_ends_is_stopped_by_the_timeout(loaded):
    # 8 papers + 16 institutions + ... = 53 nodes: 53^6 ≈ 2·10^10 rows to count.
    before = fingerprint(loaded)
    started = time.monotonic()
    with pytest.raises(GraphError, match=r"^The query took longer than 1 s and was (stopped|abandoned); narrow it"):
        loaded.read("MATCH (a), (b), (c), (d), (e), (f) RETURN count(*) AS n", timeout_ms=1000)
    # The engine's timeout, or at worst the reader's grace (2 s) after it.
    assert time.monotonic() - started < 1 + 2 + 1
    assert fingerprint(loaded) == before


def test_ten_million_rows_are_cut_at_the_row_cap(loaded):
    result = loaded.read("UNWIND range(1, 10000000) AS i RETURN i", row_cap=500)
    assert result.truncated is True
    assert [row["i"] for row in result.rows] == list(range(1, 501))


def test_without_a_row_cap_the_engine_maximum_still_applies(loaded):
    # FalkorDB cuts at RESULTSET_SIZE, Neo4j's reader at the same RESULT_ROWS_MAX; either
    # way the result says it was truncated and holds exactly that many rows.
    result = loaded.read("UNWIND range(1, 10000000) AS i RETURN i", row_cap=None, timeout_ms=60_000)
    assert result.truncated is True
    assert len(result.rows) == RESULT_ROWS_MAX
    assert result.rows[-1]["i"] == RESULT_ROWS_MAX


def test_a_result_under_the_cap_is_not_marked_truncated(loaded):
    result = loaded.read("UNWIND range(1, 100) AS i RETURN i", row_cap=100)
    assert result.truncated is False and len(result.rows) == 100


# -- FalkorDB only: limits the engine cannot keep by itself ---------------------------------------

@pytest.fixture
def falkor(loaded):
    if loaded.engine != "falkordb":
        pytest.skip("FalkorDB's reply size limit and reader deadline")
    return loaded


def test_a_reply_too_large_to_send_is_refused_not_loaded_into_memory(falkor):
    # 20,000 rows of a 25,000-character string: 500 MB, past the server's 128 MB reply limit
    # for a client; the server closes the reader instead of sending it.
    query = ("WITH reduce(s = '', i IN range(1, 1000) | s + 'xxxxxxxxxxxxxxxxxxxxxxxxx') AS s "
             "UNWIND range(1, 20000) AS i RETURN s")
    with pytest.raises(GraphError, match="^The result was too large to send and was refused"):
        falkor.read(query, row_cap=None)
    # The reader reconnects: the next query runs.
    assert falkor.read("MATCH (p:Paper) RETURN count(p) AS n").rows == [{"n": 8}]


def test_an_expression_the_engine_cannot_interrupt_is_abandoned_at_the_deadline(falkor):
    # FalkorDB checks its timeout between rows, not inside one expression: this reduce()
    # builds a 1.25 MB string by 50,000 copies (quadratic) and runs for seconds past a
    # 0.3 s timeout.  The reader stops waiting at timeout + READ_GRACE_MS (2 s).
    query = "RETURN size(reduce(s = '', i IN range(1, 50000) | s + 'xxxxxxxxxxxxxxxxxxxxxxxxx')) AS n"
    started = time.monotonic()
    try:
        falkor.read(query, timeout_ms=300)
    except GraphError as exc:
        assert str(exc).startswith("The query took longer than 0.3 s and was")
    else:
        pytest.fail("a query that runs for seconds returned within a 0.3 s timeout")
    assert time.monotonic() - started < 0.3 + 2 + 1


def test_an_unsendable_parameter_is_a_graph_error(falkor):
    # The FalkorDB client writes parameters into the query text and cannot write a map key
    # with a backtick: that is an error the caller can show, not a crash.
    with pytest.raises(GraphError, match="^A parameter cannot be sent to FalkorDB"):
        falkor.read("RETURN $m AS m", {"m": {"a`b": 1}})


# -- FalkorDB: the read-only user and the server's settings ---------------------------------------

def test_reads_run_as_the_read_only_user_which_can_do_nothing_else(falkor):
    import redis

    endpoint = falkor.server.endpoint
    reader = endpoint.reader_client(decode_responses=True)
    assert endpoint.reader_password and endpoint.reader_password != endpoint.password
    assert reader.ping()
    before = fingerprint(falkor)
    name = falkor.name
    # Straight to the server, past every check in graph.read(): the ACL refuses each command.
    for command in [
        ("GRAPH.QUERY", name, "CREATE (:X)"),
        ("GRAPH.DELETE", name),
        ("GRAPH.CONSTRAINT", "DROP", name, "UNIQUE", "NODE", "Paper", "PROPERTIES", "1", "uid"),
        ("GRAPH.CONFIG", "SET", "TIMEOUT_MAX", "0"),
        ("GRAPH.UDF", "LOAD", "lib", "function f() { return 1; }"),
        ("GRAPH.COPY", name, "stolen"),
        ("FLUSHALL",),
        ("CONFIG", "SET", "appendfsync", "no"),
        ("ACL", "SETUSER", "collab_reader", "+@all"),
        ("SHUTDOWN", "NOSAVE"),
        ("KEYS", "*"),
        ("EVAL", "return 1", "0"),
    ]:
        with pytest.raises(redis.exceptions.NoPermissionError, match="has no permissions to run"):
            reader.execute_command(*command)
    # GRAPH.RO_QUERY is allowed, and the engine refuses a write in it.
    with pytest.raises(redis.ResponseError, match="read-only queries"):
        reader.execute_command("GRAPH.RO_QUERY", name, "CREATE (:X)")
    # LOAD CSV reads only the (empty) import folder, whatever the path says.
    for uri in ("file:///etc/passwd", "file://../../../../../../etc/passwd"):
        with pytest.raises(redis.ResponseError, match="Error opening CSV URI"):
            reader.execute_command("GRAPH.RO_QUERY", name, f"LOAD CSV FROM '{uri}' AS row RETURN row")
    assert fingerprint(falkor) == before


def test_the_embedded_server_runs_with_the_guard_rail_settings(falkor):
    from graph.embedded import MODULE_SETTINGS

    # Read back from the running server, not from our constant only.
    for key, value in MODULE_SETTINGS.items():
        assert int(falkor.config(key)) == value, key
    # TIMEOUT_MAX is enforced: no read may ask for more.
    with pytest.raises(GraphError, match="cannot exceed the TIMEOUT_MAX"):
        falkor.read("MATCH (p:Paper) RETURN count(p) AS n", timeout_ms=MODULE_SETTINGS["TIMEOUT_MAX"] + 1)
    import_dir = Path(falkor.config("IMPORT_FOLDER"))
    assert import_dir.is_dir() and list(import_dir.iterdir()) == []
    admin = falkor.server.endpoint.client(decode_responses=True)
    assert admin.config_get("appendonly") == {"appendonly": "yes"}
    assert admin.config_get("appendfsync") == {"appendfsync": "always"}
    assert admin.config_get("bind")["bind"] == "127.0.0.1"
    # 128 MB = 134217728 bytes, hard and soft, for normal clients.
    assert "normal 134217728 134217728 0" in admin.config_get("client-output-buffer-limit")[
        "client-output-buffer-limit"]


def test_the_embedded_server_is_reachable_by_its_owner_only(falkor):
    import stat

    import psutil

    server = falkor.server
    endpoint = server.endpoint
    # A unix socket (the test data folder's path is short enough) and no TCP port at all.
    assert endpoint.socket and endpoint.port is None
    listening = [c for c in psutil.Process(endpoint.pid).net_connections(kind="inet")
                 if c.status == psutil.CONN_LISTEN]
    assert listening == []
    assert stat.S_IMODE(Path(endpoint.socket).stat().st_mode) & 0o077 == 0
    assert stat.S_IMODE(server.home.stat().st_mode) == 0o700
    assert stat.S_IMODE(server.state_file.stat().st_mode) == 0o600
    # The state file holds both passwords; nobody else can read it.
    import json

    state = json.loads(server.state_file.read_text())
    assert state["password"] == endpoint.password and state["reader_password"] == endpoint.reader_password


def test_an_external_server_reads_as_the_user_of_collab_reader_url(falkor, monkeypatch):
    # The embedded server stands in for an external one, reached by URL.
    from urllib.parse import quote

    from graph.falkor import FalkorGraph

    endpoint = falkor.server.endpoint
    main = f"unix://{endpoint.socket}?password={quote(endpoint.password)}"
    reader = f"unix://collab_reader@{endpoint.socket}?password={quote(endpoint.reader_password)}"
    monkeypatch.setenv("COLLAB_READER_URL", reader)
    external = FalkorGraph.from_url(main, falkor.name)
    try:
        assert external.read("MATCH (p:Paper) RETURN count(p) AS n").rows == [{"n": 8}]
        # The engine's row ceiling is read from the server, so a cut result says so here too.
        assert external.read("UNWIND range(1, 200000) AS i RETURN i", row_cap=None).truncated is True
    finally:
        external.close()
    # Reads really go through COLLAB_READER_URL: with a wrong password there, they fail.
    monkeypatch.setenv("COLLAB_READER_URL", reader.replace(quote(endpoint.reader_password), "wrong"))
    external = FalkorGraph.from_url(main, falkor.name)
    try:
        with pytest.raises(GraphError, match="refused the reader's credentials"):
            external.read("MATCH (p:Paper) RETURN count(p) AS n")
    finally:
        external.close()


# -- the guard's own rules, without an engine ------------------------------------------------------

@pytest.mark.parametrize("query, code", [
    ("RETURN 'a;b' AS s", "RETURN '' AS s"),
    ('RETURN "it\\"s; LOAD CSV" AS s', 'RETURN "" AS s'),
    ("MATCH (n) // ; DELETE n\nRETURN n", "MATCH (n)  \nRETURN n"),
    ("MATCH (n) /* ; */ RETURN n", "MATCH (n)   RETURN n"),
    ("CALL `db.labels`()", "CALL db.labels()"),
    ("RETURN n.`odd;name`", "RETURN n.________"),
])
def test_code_only_blanks_strings_and_comments(query, code):
    assert guard.code_only(query) == code


@pytest.mark.parametrize("query, names", [
    ("CALL db.labels() YIELD label RETURN label", ["db.labels"]),
    ("CALL db.clearQueryCaches", ["db.clearQueryCaches"]),
    ("MATCH (n) CALL { WITH n RETURN 1 AS x } RETURN x", []),
    ("CALL\n  apoc.cypher.runWrite('x', {})", ["apoc.cypher.runWrite"]),
    ("RETURN 'CALL db.createLabel(1)' AS s", []),
])
def test_procedures_called_finds_every_call_outside_strings(query, names):
    assert guard.procedures_called(query) == names


def _operator(kind: str, details: str = "", *children: dict) -> dict:
    # The shape of the Neo4j driver's `summary.plan`: Bolt's PLAN metadata.
    return {"operatorType": kind, "identifiers": [], "args": {"Details": details} if details else {},
            "children": list(children)}


def test_neo4j_plans_with_a_write_procedure_or_load_csv_are_refused():
    reads = _operator("ProduceResults@neo4j", "label",
                      _operator("ProcedureCall@neo4j", "db.labels() :: (label :: STRING)"))
    guard.check_plan(reads)      # allowed: returns quietly
    hidden = _operator("ProduceResults@neo4j", "x",
                       _operator("Apply@neo4j", "",
                                 _operator("AllNodesScan@neo4j", "n"),
                                 _operator("ProcedureCall@neo4j", "apoc.cypher.doIt($q, {}) :: (value :: MAP)")))
    with pytest.raises(QueryRefused, match="^Procedure apoc.cypher.doIt is not allowed here"):
        guard.check_plan(hidden)
    load = _operator("ProduceResults@neo4j", "row", _operator("LoadCSV@neo4j", "row"))
    with pytest.raises(QueryRefused, match="^LOAD CSV is not allowed here"):
        guard.check_plan(load)
    # A procedure call whose name cannot be read is refused, not let through.
    with pytest.raises(QueryRefused, match=r"^Procedure \? is not allowed here"):
        guard.check_plan(_operator("ProcedureCall@neo4j"))


def test_the_compose_file_keeps_neo4j_local_bounded_and_without_a_default_password():
    # Read as text (no YAML parser among the dependencies): the settings the read path relies on.
    text = (Path(__file__).resolve().parents[1] / "docker-compose.yml").read_text()
    ports = re.findall(r'^\s*-\s*"([^"]+:\d+:\d+)"', text, re.MULTILINE)
    assert ports and all(p.startswith("127.0.0.1:") for p in ports), ports
    assert 'NEO4J_AUTH: "neo4j/${NEO4J_PASSWORD:?' in text            # no password, no start
    assert 'NEO4J_PASSWORD: "${NEO4J_PASSWORD:?' in text
    for setting in ('NEO4J_db_transaction_timeout: "60s"',
                    'NEO4J_dbms_security_allow__csv__import__from__file__urls: "false"',
                    'NEO4J_internal_dbms_cypher__ip__blocklist: "0.0.0.0/0,::/0"',
                    'NEO4J_db_memory_transaction_max: "512m"'):
        assert setting in text, setting
