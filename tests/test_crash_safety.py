"""A load killed anywhere, then run again, gives exactly the graph of an uninterrupted load.

The export is the 12 citespace-homework pieces from ../shared/data/real/wos (one
6,000-record Web of Science export).  `python -m loader load` runs as a
subprocess and is killed with SIGKILL at seeded random moments; in a second
chain the embedded redis-server itself is killed mid-load.  After a final,
complete run the graph is compared with a reference load: node, relationship
and property counts, every paper, affiliation, tally and collaboration edge,
and the closeness and institution_shares answers.  Last, what a load wrote is
still there after the server is killed the moment the load returns.  The reference
is a bulk build (loader/bulk_writer.py), the kill chains load by statements; a bulk
build killed mid-way (the loader, then the server) leaves the graph empty and a
rerun builds it whole.
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cypher import runner
from graph.falkor import FalkorGraph
from graph.falkor_bulk import BUILD_SUFFIX

REPO = Path(__file__).resolve().parents[1]
REAL = REPO.parent / "shared" / "data" / "real"
GRAPH = "crash"
BATCH = 250            # 24 transactions' worth of batches: kills land between and inside them
SEED = 20241127


@pytest.fixture(scope="module")
def export_files() -> list[Path]:
    files = sorted((REAL / "wos").glob("citespace-homework-savedrecs*.txt"))
    if len(files) != 12:
        pytest.skip("../shared/data/real is absent (real export samples are not part of the repo)")
    return files


def start_load(data_dir: Path, files: list[Path], bulk: bool = False) -> subprocess.Popen:
    """The loader on `files`.  Into an empty graph these 31 MB would be a bulk build, which
    writes the graph at its end; `bulk=False` makes it write statements, batch by batch, as a
    load into a graph with data does, so a kill can land between and inside its transactions."""
    env = {**os.environ, "COLLAB_DATA_DIR": str(data_dir), "COLLAB_GRAPH_NAME": GRAPH, "COLUMNS": "300",
           "COLLAB_BULK_LOAD": "1" if bulk else "0"}
    return subprocess.Popen([sys.executable, "-m", "loader", "load", "--batch-size", str(BATCH),
                             *map(str, files)], cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen, timeout: float = 120) -> tuple[int, str]:
    _out, err = proc.communicate(timeout=timeout)
    assert "Traceback" not in err, err
    return proc.returncode, err


def full_load(data_dir: Path, files: list[Path], bulk: bool = False) -> float:
    started = time.monotonic()
    code, err = finish(start_load(data_dir, files, bulk))
    assert code == 0, err
    return time.monotonic() - started


def fingerprint(graph) -> dict:
    """Everything a load writes, in a comparable form."""
    def rows(query: str) -> list[tuple]:
        return sorted(tuple(r.values()) for r in graph.read(query, row_cap=None, timeout_ms=120_000).rows)

    closeness = runner.run(graph, "closeness", {"a": "CN", "b": "US"}).rows
    years = [row["year"] for row in closeness]
    return {
        "counts": graph.counts(),
        "properties": graph.property_counts(),
        "papers": rows("MATCH (p:Paper) RETURN p.uid, p.year, p.title, p.doi, p.counted, p.n_countries"),
        "affiliations": rows("MATCH (p:Paper)-[:AFFILIATED_WITH]->(i:Institution) RETURN p.uid, i.uid"),
        "countries": rows("MATCH (p:Paper)-[:FROM_COUNTRY]->(c:Country) RETURN p.uid, c.code"),
        "tallies": rows("MATCH (t:CountryYear) RETURN t.uid, t.records, t.intl"),
        "country_pairs": rows("MATCH (a:Country)-[r:CO_AUTHORED]->(b:Country) RETURN a.code, b.code, r.year, r.papers"),
        "institution_links": rows("MATCH (a:Institution)-[r:SHARED_PAPERS|SHARED_PAPERS_ROLLED]->(b:Institution) "
                                  "RETURN a.uid, b.uid, type(r), r.year, r.records"),
        "unit_tallies": rows("MATCH (y:UnitYear) RETURN y.uid, y.records, y.intl"),
        "closeness": closeness,
        "shares": {year: runner.run(graph, "institution_shares",
                                    {"a": "CN", "b": "US", "year": year, "limit": 1000}).rows for year in years},
    }


def fingerprint_of(data_dir: Path) -> dict:
    graph = FalkorGraph.embedded(data_dir, GRAPH)
    try:
        return fingerprint(graph)
    finally:
        graph.close()


def assert_same(found: dict, expected: dict) -> None:
    for key in expected:        # one key at a time: a failure names what differs
        assert found[key] == expected[key], key


@pytest.fixture(scope="module")
def reference(export_files, tmp_path_factory) -> tuple[dict, float]:
    """The graph of one uninterrupted load, and how long that load took: a bulk build, so every
    test below also compares the statement writer's graph with the bulk writer's."""
    data_dir = tmp_path_factory.mktemp("reference")
    seconds = full_load(data_dir, export_files, bulk=True)
    expected = fingerprint_of(data_dir)
    # 12 pieces of 500 records, no UT in two of them: 6,000 papers.
    assert expected["counts"]["nodes:Paper"] == 6000
    assert expected["closeness"], "the export has CN–US papers"
    return expected, seconds


def running(pid: int) -> bool:
    """Alive and not a zombie (a killed server stays one until its parent reaps it)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1][0] not in "ZX"
    except (OSError, IndexError):
        return False


def server_pid(data_dir: Path, exclude: set[int], timeout: float = 30) -> int:
    """The embedded server's pid: from redis.pid as soon as it starts (server.json comes
    only once it answers, after replaying its files)."""
    deadline = time.monotonic() + timeout
    home = data_dir / "falkordb"
    while time.monotonic() < deadline:
        for name in ("redis.pid", "server.json"):
            try:
                text = (home / name).read_text()
                pid = json.loads(text)["pid"] if name == "server.json" else int(text.strip())
            except (OSError, ValueError, KeyError):
                continue
            if pid not in exclude and running(pid):
                return pid
        time.sleep(0.02)
    raise AssertionError(f"no embedded server started under {home} within {timeout} s")


def papers(graph) -> int:
    return graph.counts().get("nodes:Paper", 0)     # 0 also before the graph exists


def kill_when(proc: subprocess.Popen, watcher, target: int, victim: int) -> int:
    """SIGKILL `victim` once the graph holds `target` papers (a point in the load that does not
    depend on the machine's speed); returns the papers counted at the kill."""
    deadline = time.monotonic() + 120
    while (found := papers(watcher)) < target:
        assert proc.poll() is None, f"the load ended before {target} papers ({found})"
        assert time.monotonic() < deadline, f"no {target} papers after 120 s ({found})"
        time.sleep(0.03)
    os.kill(victim, signal.SIGKILL)
    return found


def test_loads_killed_at_random_moments_then_rerun_equal_an_uninterrupted_load(export_files, reference,
                                                                               tmp_path):
    expected, _seconds = reference
    rng = random.Random(SEED)
    data_dir = tmp_path / "data"
    # The test holds the server, as a running UI would: a killed loader leaves it up.
    watcher = FalkorGraph.embedded(data_dir, GRAPH)
    try:
        # Three kills at random points of the 6,000 papers (before the last batch of 250 goes
        # in), each run starting over the last one's remains; the last kill comes after every
        # paper is in, as the load finishes.
        for target in sorted(rng.sample(range(1, 6000 - BATCH), 2)) + [6000]:
            proc = start_load(data_dir, export_files)
            found = kill_when(proc, watcher, target, proc.pid)
            proc.communicate(timeout=30)
            assert proc.returncode == -signal.SIGKILL
            if target < 6000:
                # Killed part-way: the graph the rerun starts from is not the reference one.
                assert found < 6000 and fingerprint(watcher) != expected
        code, err = finish(start_load(data_dir, export_files))
        assert code == 0, err
        assert_same(fingerprint(watcher), expected)
    finally:
        watcher.close()


def test_the_server_killed_mid_load_then_rerun_equals_an_uninterrupted_load(export_files, reference, tmp_path):
    expected, _seconds = reference
    rng = random.Random(SEED + 1)
    data_dir = tmp_path / "data"
    # First mid-load, at a random point; then again as the restarted server replays its
    # append-only file: a crash during recovery must be recoverable too.
    proc = start_load(data_dir, export_files)
    watcher = FalkorGraph.embedded(data_dir, GRAPH)
    first = watcher.server.endpoint.pid
    try:
        kill_when(proc, watcher, rng.randrange(1, 6000), first)
        assert_stopped_clearly(proc)
    finally:
        watcher.close()
    proc = start_load(data_dir, export_files)
    server = server_pid(data_dir, {first})
    time.sleep(0.2)
    os.kill(server, signal.SIGKILL)
    assert_stopped_clearly(proc)
    code, err = finish(start_load(data_dir, export_files))
    assert code == 0, err
    assert_same(fingerprint_of(data_dir), expected)


def assert_stopped_clearly(proc: subprocess.Popen) -> None:
    code, err = finish(proc)
    # One clear line, no traceback (checked in finish()): the server died under the load
    # (exit 1) or while it replayed its files at start (exit 2).
    assert (code, err.count("error:")) in ((1, 1), (2, 1)), err
    # (The loss may come in the middle of any step, the schema's too, which names its command first.)
    assert ("Lost the connection to embedded FalkorDB" in err
            or "error: the embedded FalkorDB did not start (exit -9); see " in err), err


def test_what_a_load_wrote_survives_the_server_killed_right_after(export_files, reference, tmp_path):
    expected, _seconds = reference
    data_dir = tmp_path / "data"
    holder = FalkorGraph.embedded(data_dir, GRAPH)      # keeps the server up after the loader exits
    full_load(data_dir, export_files)
    # A write the loader never made, with no snapshot after it: only the append-only
    # file, fsynced on every write (appendfsync always), can bring it back.
    holder.write("MERGE (m:Marker {uid: 'written-last'})")
    os.kill(holder.server.endpoint.pid, signal.SIGKILL)
    reopened = FalkorGraph.embedded(data_dir, GRAPH)    # finds the dead server, starts a new one
    try:
        assert reopened.server.endpoint.pid != holder.server.endpoint.pid
        assert reopened.read("MATCH (m:Marker) RETURN m.uid AS uid").rows == [{"uid": "written-last"}]
        reopened.write("MATCH (m:Marker) DELETE m")
        assert_same(fingerprint(reopened), expected)
    finally:
        holder.close()       # the dead server's user leaves: the new server must stay up
        assert reopened.read("MATCH (p:Paper) RETURN count(p) AS n").rows == [{"n": 6000}]
        reopened.close()


def building(watcher) -> bool:
    return GRAPH + BUILD_SUFFIX in watcher.command("GRAPH.LIST")


def kill_while_building(proc: subprocess.Popen, watcher, victim: int) -> None:
    """SIGKILL `victim` as soon as the bulk build's key exists: the build is under way."""
    deadline = time.monotonic() + 120
    while not building(watcher):
        assert proc.poll() is None, "the load ended without a bulk build"
        assert time.monotonic() < deadline, "no bulk build after 120 s"
        time.sleep(0.005)
    os.kill(victim, signal.SIGKILL)


def test_a_bulk_build_killed_leaves_the_graph_empty_and_a_rerun_builds_it_whole(export_files, reference,
                                                                                tmp_path):
    expected, _seconds = reference
    data_dir = tmp_path / "data"
    watcher = FalkorGraph.embedded(data_dir, GRAPH)
    try:
        proc = start_load(data_dir, export_files, bulk=True)
        kill_while_building(proc, watcher, proc.pid)
        proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        assert papers(watcher) == 0 and building(watcher)      # the half-built graph is apart
        code, err = finish(start_load(data_dir, export_files))  # statements would do: the graph is empty
        assert code == 0, err
        assert not building(watcher)
        assert_same(fingerprint(watcher), expected)
    finally:
        watcher.close()


def test_the_server_killed_mid_build_then_rerun_equals_an_uninterrupted_load(export_files, reference, tmp_path):
    expected, _seconds = reference
    data_dir = tmp_path / "data"
    proc = start_load(data_dir, export_files, bulk=True)
    watcher = FalkorGraph.embedded(data_dir, GRAPH)
    try:
        kill_while_building(proc, watcher, watcher.server.endpoint.pid)
        assert_stopped_clearly(proc)
    finally:
        watcher.close()
    code, err = finish(start_load(data_dir, export_files, bulk=True))
    assert code == 0, err
    rebuilt = FalkorGraph.embedded(data_dir, GRAPH)
    try:
        assert not building(rebuilt)
        assert_same(fingerprint(rebuilt), expected)
    finally:
        rebuilt.close()
