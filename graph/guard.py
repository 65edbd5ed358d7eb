"""What a query must pass before it runs on a read-only surface (the console, the UI), on both engines.

The engines refuse writes themselves (FalkorDB's GRAPH.RO_QUERY; Neo4j's EXPLAIN
query type, checked in graph/neo4j_graph.py).  These checks refuse, with one
message on both engines, what a read-only run would still allow or report
obscurely: several statements in one, LOAD CSV (it reads files and URLs), any
procedure outside a short allow-list, and Neo4j's USE clause (another database).

They read the query's code only: string literals and comments are blanked
first, so a title that says "LOAD CSV" or holds a ';' is just text.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from graph.base import QueryRefused

# Procedures that only describe the graph.  Compared case-insensitively.
READ_PROCEDURES = {
    "falkordb": frozenset({
        "db.labels", "db.relationshiptypes", "db.propertykeys",
        "db.indexes", "db.constraints",        # FalkorDB lists its schema through these
        "db.idx.fulltext.querynodes",          # a full-text search reads an index
    }),
    "neo4j": frozenset({
        "db.labels", "db.relationshiptypes", "db.propertykeys",
        "db.schema.visualization", "db.schema.nodetypeproperties", "db.schema.reltypeproperties",
        "dbms.components",
    }),
}

_LOAD_CSV = re.compile(r"\bLOAD\s+CSV\b", re.IGNORECASE)
# `CALL name(` or `CALL name` (Neo4j allows the parentheses to be left out), not `CALL {`.
_CALL = re.compile(r"\bCALL\s+(?!\{)([\w.]+)", re.IGNORECASE)
# USE opens a query, a subquery or a UNION branch.
_USE = re.compile(r"(?:^|[{;]|\bUNION(?:\s+ALL)?)\s*USE\s+[\w`]", re.IGNORECASE)
_PLAIN_NAME = re.compile(r"^[\w.]+$")
# Schema and administration commands: refused by the engines too, but with messages
# that differ by engine (FalkorDB: "Invalid constraint command ...").
_SCHEMA = re.compile(r"\b(?:CREATE|DROP)\s+(?:(?:RANGE|TEXT|POINT|LOOKUP|FULLTEXT|VECTOR|BTREE)\s+)?"
                     r"(?:INDEX|CONSTRAINT)\b"
                     r"|\b(?:CREATE|DROP|ALTER|RENAME)\s+(?:USER|ROLE|DATABASE|COMPOSITE|ALIAS|SERVER)\b"
                     r"|^\s*(?:ALTER|GRANT|DENY|REVOKE|TERMINATE|START|STOP|ENABLE|DEALLOCATE|REALLOCATE)\b",
                     re.IGNORECASE)

MULTIPLE_STATEMENTS = "Only one statement can run at a time: remove the ';' and what follows it."
LOAD_CSV = ("LOAD CSV is not allowed here: the console reads the graph, not files or URLs "
            "(load exports with `python -m loader load`).")
USE_CLAUSE = "USE is not allowed here: the console reads the configured database only."
WRITES = "This query would change the graph; only read queries are allowed here."
SCHEMA = ("Schema and administration commands (indexes, constraints, users, databases) are not "
          "allowed here; only read queries are.")


def code_only(cypher: str) -> str:
    """The query with string literals and comments blanked out.

    A backquoted name keeps its text when it is a plain (dotted) name, so
    CALL `db.labels`() is still seen as db.labels; any other backquoted name
    becomes underscores, which no allow-list holds.
    """
    out: list[str] = []
    i, n = 0, len(cypher)
    while i < n:
        ch = cypher[i]
        if ch in "'\"":
            j = i + 1
            while j < n and cypher[j] != ch:
                j += 2 if cypher[j] == "\\" else 1
            out.append(ch + ch)          # an empty string: the content is data, not code
            i = j + 1
        elif cypher.startswith("//", i):
            j = cypher.find("\n", i)
            i = n if j < 0 else j
            out.append(" ")
        elif cypher.startswith("/*", i):
            j = cypher.find("*/", i + 2)
            i = n if j < 0 else j + 2
            out.append(" ")
        elif ch == "`":
            j = cypher.find("`", i + 1)
            j = n if j < 0 else j
            name = cypher[i + 1:j]
            out.append(name if _PLAIN_NAME.match(name) else "_" * max(len(name), 1))
            i = j + 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def procedures_called(cypher: str) -> list[str]:
    """The names of the procedures a query CALLs, as written."""
    return [re.sub(r"\s+", "", name) for name in _CALL.findall(code_only(cypher))]


# Kept per text: the saved queries send the same text on every call, and reading it character
# by character costs about a millisecond for a long one, as much as a small query's whole run.
# A refusal is not kept (it raises), so a refused text is checked afresh each time.
@lru_cache(maxsize=512)
def check_read_query(cypher: str, engine: str) -> None:
    """Raise QueryRefused when a query may not run on a read-only surface of `engine`."""
    code = code_only(cypher)
    if ";" in code.rstrip().rstrip(";"):
        raise QueryRefused(MULTIPLE_STATEMENTS)
    if _LOAD_CSV.search(code):
        raise QueryRefused(LOAD_CSV)
    if _SCHEMA.search(code):
        raise QueryRefused(SCHEMA)
    if engine == "neo4j" and _USE.search(code):
        raise QueryRefused(USE_CLAUSE)
    for name in procedures_called(cypher):
        refuse_procedure(name, engine)


def refuse_procedure(name: str, engine: str) -> None:
    allowed = READ_PROCEDURES[engine]
    if name.lower() not in allowed:
        raise QueryRefused(f"Procedure {name} is not allowed here; the console may call only "
                           f"{', '.join(sorted(allowed))}.")


# -- Neo4j execution plans (EXPLAIN) ---------------------------------------------------------------

def plan_operators(plan: Mapping[str, Any] | None) -> Iterator[Mapping[str, Any]]:
    """Every operator of a Neo4j plan tree (the driver's `summary.plan`), depth first."""
    if not plan:
        return
    yield plan
    for child in plan.get("children") or ():
        yield from plan_operators(child)


def plan_procedure(operator: Mapping[str, Any]) -> str | None:
    """The procedure a ProcedureCall operator runs, from its details ("db.labels() :: ...");
    None when the operator calls no procedure.  An unreadable one gives "?" (refused)."""
    if not str(operator.get("operatorType", "")).startswith("ProcedureCall"):
        return None
    args = operator.get("args") or operator.get("arguments") or {}
    for key in ("Details", "details", "Signature", "signature"):
        match = re.match(r"\s*([\w.`]+)\s*\(", str(args.get(key, "")))
        if match:
            return match[1].replace("`", "")
    return "?"


def check_plan(plan: Mapping[str, Any] | None) -> None:
    """Refuse a Neo4j plan that loads CSV or calls a procedure outside the allow-list.
    The plan names the procedure the engine resolved, however the text spelt it."""
    for operator in plan_operators(plan):
        kind = str(operator.get("operatorType", ""))
        if kind.startswith("LoadCSV"):
            raise QueryRefused(LOAD_CSV)
        procedure = plan_procedure(operator)
        if procedure is not None:
            refuse_procedure(procedure, "neo4j")
