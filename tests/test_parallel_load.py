"""Loading with worker processes (loader/parallel.py) gives what an in-process load gives.

The in-process load is the reference: the same files loaded with workers=1 and with
workers=2 must leave the same graph, the same file summaries, the same progress calls
and the same unresolved names.  The machinery is also tested on its own: results in
item order, a worker never far ahead of the caller, failures raised at their place,
and no worker left running after an error, a kill or Ctrl-C.
"""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from cypher import runner
from loader.demo import write_demo
from loader.parallel import BACKLOG, OrderedWorkers, WorkerError
from loader.pipeline import load_paths
from loader.prepare import Preparer
from loader.records import ExportError
from tests.test_bad_input import HEAD, wos

PROC = Path("/proc")


def worker_processes() -> list[int]:
    """This process's children that run a loader worker (read from /proc: no spying on the code)."""
    if not (PROC / "self" / "stat").exists():
        pytest.skip("needs Linux /proc to see child processes")
    me, found = os.getpid(), []
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue     # gone meanwhile
        if ppid == me and b"loader.parallel" in cmdline:
            found.append(int(entry.name))
    return found


def contents(graph) -> dict[str, list[str]]:
    """Every node and relationship with all its properties, per label and type, in a fixed order:
    equal contents mean the same graph, aggregates included, value for value."""
    labels = [row["label"] for row in graph.read("CALL db.labels() YIELD label RETURN label").rows]
    types = [row["relationshipType"] for row in
             graph.read("CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType").rows]
    found = {}
    for label in labels:
        rows = graph.read(f"MATCH (n:`{label}`) RETURN properties(n) AS p", row_cap=None).rows
        found[label] = sorted(repr(sorted(row["p"].items())) for row in rows)
    for kind in types:
        rows = graph.read(f"MATCH (a)-[r:`{kind}`]->(b) RETURN coalesce(a.uid, a.code, a.name) AS a, "
                          "coalesce(b.uid, b.code, b.name) AS b, properties(r) AS p", row_cap=None).rows
        found[kind] = sorted(repr((row["a"], row["b"], sorted(row["p"].items()))) for row in rows)
    return found


def fresh(graph) -> None:
    graph.clear()
    graph.apply_schema()


def load(graph, paths, workers: int, **options) -> dict:
    """Load into an emptied graph; everything a caller can observe, for comparison."""
    fresh(graph)
    preparer, progress, during = Preparer(), [], set()

    def on_progress(path: str, read: int) -> None:
        progress.append((Path(path).name, read))
        during.update(worker_processes())

    summary = load_paths(graph, paths, workers=workers, preparer=preparer, on_progress=on_progress, **options)
    return {
        "files": [(Path(f.path).name, f.read, f.new, f.duplicate, dict(f.skipped), f.error) for f in summary.files],
        "progress": progress,
        "unresolved": list(preparer.unresolved.items()),
        "unresolved_count": summary.unresolved_institutions,
        "counts": graph.counts(),
        "properties": graph.property_counts(),
        "contents": contents(graph),
        "workers_seen": len(during),
        "workers_left": worker_processes(),
    }


# -- load_paths with and without workers ----------------------------------------------------------

def test_the_demo_data_loads_the_same_with_two_workers(graph, tmp_path):
    paths = write_demo(tmp_path / "demo")

    def answers() -> dict:
        closeness = runner.run(graph, "closeness", {"a": "CN", "b": "US"}).rows
        patents = runner.run(graph, "closeness", {"a": "CN", "b": "US", "kind": "patent"}).rows
        years = [row["year"] for row in closeness]
        shares = {year: runner.run(graph, "institution_shares", {"a": "CN", "b": "US", "year": year}).rows
                  for year in (years[0], years[-1])}
        return {"closeness": closeness, "patents": patents, "shares": shares}

    # 500 records a batch: two batches per 1,000-record file, so each worker has several
    # batches in flight and the writes must be put back in order.
    alone = load(graph, paths, workers=1, batch_size=500)
    alone_answers = answers()
    shared = load(graph, paths, workers=2, batch_size=500)
    assert alone["workers_seen"] == 0
    assert shared["workers_seen"] == 2, "the two-worker load must really run in two worker processes"
    assert shared["workers_left"] == []
    for key in ("files", "progress", "unresolved", "unresolved_count", "counts", "properties", "contents"):
        assert shared[key] == alone[key], key
    assert answers() == alone_answers
    # Not vacuous: the demo is 11,959 papers in 12 files (two batches each, the last 500 + 459)
    # and names some institutions the table does not know.
    assert len(alone["files"]) == 13 and alone["progress"][:2] == [(paths[0].name, 500), (paths[0].name, 1000)]
    assert alone["counts"]["nodes:Paper"] > 11_000 and alone["unresolved"]
    assert alone_answers["closeness"] and all(alone_answers["shares"].values())


def test_bad_files_among_good_ones_give_the_same_summaries_in_both_modes(graph, tmp_path):
    files = {
        "a.txt": HEAD + wos(1) + wos(2),
        # a record without UT (skipped), then WOS:1 again (a duplicate of a.txt's)
        "b.txt": HEAD + wos(3) + wos(2, ut=False) + wos(1) + wos(4),
        # cut off inside its third record: 2 header lines + 2 records of 9 lines -> line 21
        "c.txt": HEAD + wos(5) + wos(6) + "PT J\nAU Li, M\nTI Cut off in the mid",
        "d.txt": None,     # binary, below
        # WOS:7 twice in one file: merged, counted once as a duplicate
        "e.txt": HEAD + wos(7) + wos(7) + wos(8),
    }
    paths = []
    for name, text in files.items():
        path = tmp_path / name
        if text is None:
            path.write_bytes(b"\x00\x01\x02 binary")
        else:
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    paths.append(tmp_path / "missing.txt")

    # Two records a batch, so c.txt's fault comes after a whole batch and a half-read one.
    alone = load(graph, paths, workers=1, batch_size=2)
    shared = load(graph, paths, workers=2, batch_size=2)
    # (Whether its workers are still running at a progress call depends on timing here: files
    # this small can be done before the first write.  The demo test checks that workers ran.)
    assert shared["workers_left"] == []
    for key in ("files", "progress", "counts", "properties", "contents"):
        assert shared[key] == alone[key], key

    by_name = {row[0]: row for row in shared["files"]}
    # (name, read, new, duplicate, skipped, error), worked out from the files above.
    assert by_name["a.txt"] == ("a.txt", 2, 2, 0, {}, None)
    assert by_name["b.txt"] == ("b.txt", 3, 2, 1, {"record has no UT (accession number)": 1}, None)
    assert by_name["c.txt"][1:5] == (2, 2, 0, {})
    assert by_name["c.txt"][5].startswith(str(paths[2]))
    assert "record starting at line 21: record is truncated" in by_name["c.txt"][5]
    assert by_name["d.txt"][1:3] == (0, 0) and by_name["d.txt"][5].startswith(str(paths[3]))
    assert by_name["e.txt"] == ("e.txt", 3, 2, 1, {}, None)
    assert by_name["missing.txt"][1] == 0 and by_name["missing.txt"][5].startswith(str(paths[5]))
    assert shared["counts"]["nodes:Paper"] == 8      # WOS:1 .. WOS:8


class FailingPreparer(Preparer):
    """Fails on one record, as a fault in preparing would (not an export fault: it is raised)."""

    def prepare(self, records):
        if any(rec.uid == "WOS:000000000000005" for rec in records):
            raise ValueError("cannot prepare WOS:000000000000005")
        return super().prepare(records)


@pytest.mark.parametrize("workers", [1, 2])
def test_an_exception_while_preparing_is_raised_after_the_batches_before_it(graph, tmp_path, workers):
    paths = []
    for n, first in enumerate((1, 3, 5, 7)):
        paths.append(tmp_path / f"{n}.txt")
        paths[-1].write_text(HEAD + wos(first) + wos(first + 1), encoding="utf-8")
    with pytest.raises(ValueError, match="cannot prepare WOS:000000000000005"):
        load_paths(graph, paths, workers=workers, batch_size=2, preparer=FailingPreparer())
    # The two files before the fault were written (WOS:1-4), nothing after it.
    assert graph.counts()["nodes:Paper"] == 4
    assert worker_processes() == []


def busy_files(tmp_path) -> list[Path]:
    """4 files of 200 records: in batches of 5, far more than a worker can send ahead (its
    backlog and the pipe's 64 kB), so both workers are still at work at the first write."""
    paths = []
    for n in range(4):
        paths.append(tmp_path / f"{n}.txt")
        paths[-1].write_text(HEAD + "".join(wos(n * 1000 + i) for i in range(1, 201)), encoding="utf-8")
    return paths


@pytest.mark.parametrize("setting, threshold, expected", [
    ("2", None, 0),       # 4 files of ~48 kB: far below PARALLEL_MIN_BYTES, in-process
    ("2", 1, 2),          # the same files above a lowered threshold: two workers
    ("0", 1, 0),          # the setting says in-process
    ("1", 1, 0),
])
def test_the_number_of_workers_is_chosen_from_the_setting_and_the_input_size(
        graph, tmp_path, monkeypatch, setting, threshold, expected):
    from loader import pipeline

    monkeypatch.setenv("COLLAB_LOAD_WORKERS", setting)
    if threshold is not None:
        monkeypatch.setattr(pipeline, "PARALLEL_MIN_BYTES", threshold)
    paths = busy_files(tmp_path)
    seen = []
    summary = load_paths(graph, paths, batch_size=5,
                         on_progress=lambda path, read: seen.append(len(worker_processes())))
    assert seen[0] == expected
    assert summary.total("new") == 800


def test_a_setting_that_is_not_a_number_is_refused_with_its_name(graph, tmp_path, monkeypatch):
    monkeypatch.setenv("COLLAB_LOAD_WORKERS", "two")
    with pytest.raises(ValueError, match="COLLAB_LOAD_WORKERS must be a whole number .* not 'two'"):
        load_paths(graph, busy_files(tmp_path))


@pytest.mark.parametrize("stop", [RuntimeError, KeyboardInterrupt])
def test_an_error_in_the_writing_process_stops_the_workers(graph, tmp_path, stop):
    paths = busy_files(tmp_path)
    running = []

    def on_progress(path: str, read: int) -> None:
        running.extend(worker_processes())
        if stop is KeyboardInterrupt:
            os.kill(os.getpid(), signal.SIGINT)    # what Ctrl-C sends
            time.sleep(5)                          # interrupted before this ends
        raise stop("the graph went away")

    with pytest.raises(stop):
        load_paths(graph, paths, workers=2, batch_size=5, on_progress=on_progress)
    assert len(running) == 2
    assert worker_processes() == []
    for pid in running:
        assert not PROC.joinpath(str(pid)).exists(), f"worker {pid} outlived the load"
    # The first batch (5 records) was written before the error; the aggregates still match it.
    assert graph.counts()["nodes:Paper"] == 5


# -- the machinery on its own ----------------------------------------------------------------------

def numbered(state, item):
    """Item n gives n results: (item, k, the worker's pid)."""
    for k in range(item):
        yield item, k, os.getpid()


def test_results_come_back_in_item_order_from_round_robin_workers():
    items = [3, 0, 5, 1, 4, 2, 6]
    with OrderedWorkers(numbered, None, items, workers=3) as results:
        got = list(results)
    assert [(index, item, k) for index, (item, k, _) in got] == [
        (index, item, k) for index, item in enumerate(items) for k in range(item)]
    pid_of = {index: pid for index, (_, _, pid) in got}
    assert len(set(pid_of.values())) == 3 and os.getpid() not in pid_of.values()
    # index i went to worker i % 3 (index 1 is item 0: no results, so no pid)
    assert pid_of[0] == pid_of[3] == pid_of[6] and pid_of[2] == pid_of[5]
    assert worker_processes() == []


def logged_blocks(log, item):
    """Results of 200 kB, each noted in `log` as it is made, before it is handed over."""
    for k in range(50):
        with open(log, "a", encoding="utf-8") as fp:
            fp.write(f"{k}\n")
        yield bytes(200_000)


def test_a_worker_runs_at_most_its_backlog_ahead(tmp_path):
    log = tmp_path / "made.txt"

    def made() -> int:
        return len(log.read_text(encoding="utf-8").split()) if log.exists() else 0

    with OrderedWorkers(logged_blocks, str(log), ["only"], workers=1) as results:
        stream = iter(results)
        next(stream)
        deadline = time.monotonic() + 30
        while made() < BACKLOG + 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.0)      # time to run further ahead, if it could
        # One read by the caller, one being written to the pipe (200 kB does not fit its 64 kB),
        # BACKLOG queued, one made and waiting for room: BACKLOG + 3 of the 50.
        assert BACKLOG + 2 <= made() <= BACKLOG + 3
        assert sum(1 for _ in stream) == 49
    assert made() == 50


def failing(fail_at, item):
    yield item
    if item == fail_at:
        raise ValueError(f"bad item {item}")


def test_an_exception_in_a_worker_is_raised_at_its_place_in_the_stream():
    got = []
    with pytest.raises(ValueError, match="bad item 2") as caught:
        with OrderedWorkers(failing, 2, [0, 1, 2, 3], workers=2) as results:
            got.extend(result for _, result in results)
    assert got == [0, 1, 2]
    assert any("in a loader worker process" in note for note in caught.value.__notes__)
    assert worker_processes() == []


def failing_export(state, item):
    yield item
    raise ExportError(item, "line 3", "no UT field", "export it again")


def test_an_exception_that_cannot_travel_becomes_a_worker_error_naming_it():
    # ExportError's arguments do not survive pickling: the caller gets its type and message.
    with pytest.raises(WorkerError, match="ExportError: x.txt line 3: no UT field — export it again"):
        with OrderedWorkers(failing_export, None, ["x.txt"], workers=1) as results:
            list(results)


def slow_after_first(state, item):
    yield os.getpid()
    time.sleep(60)
    yield "never reached"


def test_a_killed_worker_is_an_error_not_a_hang():
    started = time.monotonic()
    with pytest.raises(WorkerError, match="stopped with exit code -9"):
        with OrderedWorkers(slow_after_first, None, ["only"], workers=1) as results:
            for _, pid in results:
                os.kill(pid, signal.SIGKILL)
    assert time.monotonic() - started < 30
    assert worker_processes() == []
