"""Every .cypher file in the project: passes Neo4j's own linter, and FalkorDB can plan it."""
from __future__ import annotations

import json
import re
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from cypher import runner

REPO = Path(__file__).resolve().parents[1]
TOOLS = REPO / "tools"
CYPHER_FILES = sorted(
    [*REPO.glob("cypher/*.cypher"), *REPO.glob("loader/writes/*/*.cypher"), *REPO.glob("graph/schema/*.cypher")]
)
# Values for parameters a file requires, by name, so FalkorDB can plan the query.
SAMPLE_VALUES = {"a": "CN", "b": "US", "year": 2019, "year1": 2019, "year2": 2022,
                 "institution": "Tsinghua University", "rows": [], "uids": [], "dois": [], "years": [2019],
                 "kind": "paper"}


def linter_results() -> dict[str, dict]:
    if shutil.which("node") is None or not (TOOLS / "node_modules").exists():
        message = "Neo4j's linter is not installed (run ./run.sh test, which runs `npm ci` in tools/)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    proc = subprocess.run(["node", "lint_cypher.mjs", *map(str, CYPHER_FILES)], cwd=TOOLS,
                          capture_output=True, text=True, timeout=120)
    results = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    assert len(results) == len(CYPHER_FILES), proc.stderr
    return {r["file"]: r for r in results}


def test_there_are_query_files():
    assert len(CYPHER_FILES) > 20


def test_every_cypher_file_passes_the_neo4j_linter():
    results = linter_results()
    errors = {Path(f).relative_to(REPO).as_posix(): r["errors"] for f, r in results.items() if r["errors"]}
    assert errors == {}


def test_the_linter_catches_an_error(tmp_path):
    """The harness itself: a broken query and an undeclared parameter are reported."""
    bad = tmp_path / "bad.cypher"
    bad.write_text("// $x: declared\nMATCH (n) WHERE n.a = $x AND n.b = $undeclared RETRUN n\n")
    linter_results()   # skips like the others when the linter is absent
    proc = subprocess.run(["node", "lint_cypher.mjs", str(bad)], cwd=TOOLS, capture_output=True, text=True)
    result = json.loads(proc.stdout)
    assert proc.returncode == 1
    messages = " ".join(e["message"] for e in result["errors"])
    assert "undeclared" in messages


@pytest.mark.parametrize("name", sorted(runner.saved_queries()))
def test_saved_query_header_and_falkordb_plan(graph, name):
    query = runner.get(name)
    assert query.returns, f"{name}: the header must list the returned columns"
    declared = {p.name for p in query.params}
    used = set(re.findall(r"\$(\w+)", query.text.split("\n", 1)[1]))
    assert used <= declared, f"{name}: parameters used but not declared: {used - declared}"
    params = query.bind({p.name: SAMPLE_VALUES.get(p.name, "x") for p in query.params if p.required})
    graph.write("MERGE (:Country {code: 'CN'})")   # GRAPH.EXPLAIN needs an existing graph
    plan = graph.explain(query.text, params)
    assert "Results" in plan or "Project" in plan, plan


@pytest.mark.parametrize("path", [p for p in CYPHER_FILES if "writes" in p.parts], ids=lambda p: p.stem)
def test_loader_statements_plan_on_falkordb(graph, path):
    text = path.read_text()
    params = {name: SAMPLE_VALUES.get(name, []) for name in set(re.findall(r"\$(\w+)", text))}
    graph.write("MERGE (:Country {code: 'CN'})")
    assert graph.explain(text, params)
