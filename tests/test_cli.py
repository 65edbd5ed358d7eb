"""The command lines, through their real entry points (`python -m loader`, `python -m cypher`),
each process starting and stopping its own embedded engine in a temporary data folder."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SMALL = REPO / "tests" / "data" / "small_wos.txt"
LOADER_COMMANDS = ["load", "demo", "institutions", "reset"]
CYPHER_COMMANDS = ["run", "list"]


@pytest.fixture
def env(tmp_path):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("COLLAB_", "NEO4J_"))}
    environ["COLLAB_DATA_DIR"] = str(tmp_path / "data")
    return environ


def cli(env, *args, check=True) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=300)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


@pytest.mark.parametrize("module,commands", [("loader", LOADER_COMMANDS), ("cypher", CYPHER_COMMANDS)])
def test_every_command_has_help_and_is_in_the_readme(env, module, commands):
    readme = (REPO / "README.md").read_text()
    top = cli(env, module, "--help").stdout
    for command in commands:
        assert re.search(rf"\b{command}\b", top), f"{module} --help does not list {command}"
        assert cli(env, module, command, "--help").stdout.strip()
        assert f"python -m {module} {command}" in readme, f"README does not document `{module} {command}`"


def test_load_then_closeness_as_json_and_csv(env):
    out = cli(env, "loader", "load", str(SMALL))
    assert "small_wos.txt" in out.stderr
    rows = json.loads(cli(env, "cypher", "run", "closeness", "-p", "a=CN", "-p", "b=US",
                          "--format", "json").stdout)
    assert [(r["year"], r["n_ab"], r["n_a"], r["n_b"]) for r in rows] == [
        (2019, 1, 2, 2), (2020, 2, 2, 2), (2021, 1, 1, 1)]
    csv_text = cli(env, "cypher", "run", "closeness", "-p", "a=CN", "-p", "b=US", "-p", "from=2020",
                   "--format", "csv").stdout
    assert csv_text.splitlines()[0] == "year,n_ab,n_a,n_b,closeness,share_a,share_b"
    assert len(csv_text.splitlines()) == 3   # header + 2020 + 2021
    # The embedded engine was stopped when each command exited.
    assert not (Path(env["COLLAB_DATA_DIR"]) / "falkordb" / "server.json").exists()


def test_list_shows_parameters_and_columns(env):
    out = cli(env, "cypher", "list").stdout
    assert "closeness:" in out
    assert "--param kind=" in out and "returns: year, n_ab, n_a, n_b, closeness, share_a, share_b" in out


def test_missing_parameter_is_refused_with_exit_2(env):
    proc = cli(env, "cypher", "run", "closeness", "-p", "a=CN", check=False)
    assert proc.returncode == 2
    assert "missing parameter $b" in proc.stderr


def test_a_file_that_is_not_an_export_fails_clearly(env, tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("these are my notes, not an export\n")
    proc = cli(env, "loader", "load", str(SMALL), str(bad), check=False)
    assert proc.returncode == 1
    assert "notes.txt" in proc.stderr and "line 1" in proc.stderr
    # The good file before it is loaded all the same.
    rows = json.loads(cli(env, "cypher", "run", "closeness", "-p", "a=CN", "-p", "b=US",
                          "--format", "json").stdout)
    assert len(rows) == 3


def test_truncated_export_keeps_the_records_before_the_fault(env, tmp_path):
    text = SMALL.read_text()
    cut = text.index("UT WOS:000000000000003")   # the third record loses its UT and ER
    truncated = tmp_path / "truncated.txt"
    truncated.write_text(text[:cut])
    proc = cli(env, "loader", "load", str(truncated), check=False)
    assert proc.returncode == 1
    assert "truncated.txt" in proc.stderr and "line" in proc.stderr
    rows = json.loads(cli(env, "cypher", "run", "closeness", "-p", "a=CN", "-p", "b=US",
                          "--format", "json").stdout)
    # Records 001 (CN-US) and 002 (CN-JP) of 2019 were read before the fault.
    assert [(r["year"], r["n_ab"], r["n_a"], r["n_b"]) for r in rows] == [(2019, 1, 2, 1)]
