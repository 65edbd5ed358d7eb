"""`python -m analysis`: once through the real entry point (a process of its own), the other
commands through the same Typer app in this process.  Both find the test's loaded graph
through COLLAB_DATA_DIR / COLLAB_GRAPH_NAME, as every command line does."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from analysis.cli import app
from loader.pipeline import load_paths

REPO = Path(__file__).resolve().parents[1]
SMALL = REPO / "tests" / "data" / "small_wos.txt"
COMMANDS = ["closeness-ci", "indices", "reconcile", "reconcile-institutions", "matrix", "change", "export"]
DOCS = ["docs/uncertainty.md", "docs/indices.md"]


@pytest.fixture
def loaded(graph, falkor_data_dir, monkeypatch):
    """small_wos.txt in the session's graph, and the environment pointing at it."""
    load_paths(graph, [SMALL])
    monkeypatch.delenv("COLLAB_GRAPH", raising=False)
    monkeypatch.setenv("COLLAB_DATA_DIR", str(falkor_data_dir))
    monkeypatch.setenv("COLLAB_GRAPH_NAME", graph.name)
    return graph


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_every_command_has_help_and_is_documented():
    docs = "".join((REPO / d).read_text(encoding="utf-8") for d in DOCS)
    top = run("--help")[1]
    for command in COMMANDS:
        assert re.search(rf"\b{command}\b", top), f"analysis --help does not list {command}"
        code, text, _ = run(command, "--help")
        assert code == 0 and text.strip()
        assert f"python -m analysis {command}" in docs, f"{' / '.join(DOCS)} do not document `{command}`"


def test_closeness_ci_through_the_entry_point(loaded):
    """CN-US on small_wos.txt: 2019 n_ab 1 of 2 and 2 (closeness 0.5), 2020 2 of 2 and 2, 2021 1 of 1
    and 1; the one record of 2021 gives a zero-width interval."""
    proc = subprocess.run([sys.executable, "-m", "analysis", "closeness-ci", "--a", "CN", "--b", "US",
                           "--resamples", "200", "--format", "json"], cwd=REPO, env=dict(os.environ),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert [(r["year"], r["n_ab"], r["n_a"], r["n_b"]) for r in rows] == [(2019, 1, 2, 2), (2020, 2, 2, 2),
                                                                          (2021, 1, 1, 1)]
    assert rows[0]["closeness"] == pytest.approx(0.5)
    assert rows[2]["closeness_lo"] == rows[2]["closeness_hi"] == 1.0
    assert all(r["small_counts"] for r in rows)
    assert {"expected_n_ab", "observed_expected", "share_b_hi"} <= set(rows[0])


def test_fractional_indices_as_csv(loaded):
    code, text, err = run("indices", "--a", "cn", "--b", "us", "--counting", "fractional", "--from", "2020",
                          "--to", "2020", "--format", "csv")
    assert code == 0, err
    header, row = text.splitlines()
    values = dict(zip(header.split(","), row.split(",")))
    # 005 (three countries) gives 1/2, 009 gives 1.
    assert float(values["n_ab"]) == pytest.approx(1.5) and float(values["closeness"]) == pytest.approx(0.75)


def test_reconcile_and_change(loaded):
    code, text, _ = run("reconcile", "--a", "CN", "--b", "US", "--format", "json")
    assert code == 0
    assert {r["year"]: r["ab_k3"] for r in json.loads(text)} == {2019: 0, 2020: 1, 2021: 0}
    code, text, _ = run("change", "--from1", "2019", "--to1", "2019", "--from2", "2020", "--to2", "2020",
                        "--level", "country", "--format", "json")
    assert code == 0
    assert {(r["source"], r["target"]): r["change"] for r in json.loads(text)}[("CN", "US")] == "grew"


def test_matrix_and_export(loaded, tmp_path):
    code, text, err = run("matrix", "--codes", "CN,US,JP,XX", "--format", "json")
    assert code == 0
    assert json.loads(text)["CN"]["US"] == pytest.approx(0.8)      # 4 joint of 5 and 5 (test_analysis_matrix.py)
    assert "XX" in err
    out = tmp_path / "countries.gexf"
    code, text, err = run("export", "--format", "gexf", "--level", "country", "--from", "2019", "--to", "2019",
                          "--out", str(out))
    assert code == 0, err
    g = nx.read_gexf(out)
    assert set(g.nodes) == {"CN", "US", "JP", "GB"} and g.number_of_edges() == 3
    code, text, err = run("export", "--format", "bundle", "--level", "country", "--out", str(tmp_path / "b.zip"))
    assert code == 0, err
    assert (tmp_path / "b.zip").stat().st_size > 0


def test_bad_requests_fail_clearly(loaded):
    code, _, err = run("closeness-ci", "--a", "CN", "--b", "CN")
    assert code == 2 and "two different countries" in err
    code, _, err = run("matrix", "--codes", "CN")
    assert code == 2 and "at least two" in err
    code, _, err = run("export", "--format", "gexf", "--from", "1990", "--to", "1991", "--out", "x.gexf")
    assert code == 2 and "empty" in err
