"""Where a load spends its time: `python -m bench.hotspots --records 20000 [--cprofile]`.

Three passes over the same synthetic exports as the benchmark:

1. parse only (read_records) -> the parsers' rate;
2. parse + prepare (institution resolution, branch tagging), no graph -> prepare's rate;
3. the real load into a fresh embedded engine, every graph call timed by the
   statement it sends (loader/writes/*.cypher): the wall time the loader waited and
   the engine's own execution time; optionally under cProfile for the Python side.

The machine may be shared: besides wall times it reports the CPU seconds this
process and the engine spent, which other work on the machine disturbs far less.

The output is Markdown, for a report or an issue.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path

from bench.synth import Spec, write_exports
from graph.falkor import FalkorGraph
from loader.formats import PARSERS, read_records
from loader.pipeline import DEFAULT_BATCH, chunks, load_paths
from loader.prepare import Preparer, merge_duplicates
from loader.records import Record
from loader.writer import WRITES

DEFAULT_OUT = Path(__file__).resolve().parent / "out"


def _statement_names() -> dict[str, str]:
    return {path.read_text(encoding="utf-8"): str(path.relative_to(WRITES).with_suffix(""))
            for path in WRITES.rglob("*.cypher")}


class TimedGraph:
    """A graph whose writes are timed per statement; everything else passes through."""

    def __init__(self, graph):
        self.graph = graph
        self.names = _statement_names()
        self.stats: dict[str, list] = defaultdict(lambda: [0, 0, 0.0, 0.0])   # calls, rows, seconds, engine s

    def write(self, cypher, params=None):
        return self._timed(self.graph.write, cypher, params)

    def read(self, cypher, params=None, **options):
        # The loader reads too (which records exist already); those count as its statements.
        return self._timed(self.graph.read, cypher, params, **options)

    def _timed(self, method, cypher, params, **options):
        name = self.names.get(cypher) or "other: " + " ".join(cypher.split())[:50]
        started = time.perf_counter()
        result = method(cypher, params, **options)
        entry = self.stats[name]
        entry[0] += 1
        entry[1] += next((len(v) for v in (params or {}).values() if isinstance(v, list)), 0)
        entry[2] += time.perf_counter() - started
        entry[3] += result.stats.get("engine_ms", 0.0) / 1000
        return result

    def __getattr__(self, attr):
        return getattr(self.graph, attr)


def _records(paths):
    for path in paths:
        yield from (item for item in read_records(path) if isinstance(item, Record))


def parse_rate(paths) -> tuple[int, float]:
    started = time.perf_counter()
    count = sum(1 for _ in _records(paths))
    return count, time.perf_counter() - started


def prepare_rate(paths, batch_size: int) -> tuple[int, float]:
    """Seconds inside Preparer.prepare alone (parsing excluded)."""
    preparer, spent, count = Preparer(), 0.0, 0
    for batch in chunks(_records(paths), batch_size):
        started = time.perf_counter()
        preparer.prepare(list(merge_duplicates(batch)))
        spent += time.perf_counter() - started
        count += len(batch)
    return count, spent


def _cpu_seconds(pid: int) -> float:
    """CPU time of a process and of its children that ended (the engine's snapshot writer)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")     # no /proc: reported as unknown
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def profile_load(paths, engine_dir: Path, batch_size: int, use_cprofile: bool,
                 workers: int | None = None) -> tuple[dict, TimedGraph, str]:
    shutil.rmtree(engine_dir, ignore_errors=True)
    graph = TimedGraph(FalkorGraph.embedded(engine_dir, "hotspots"))
    engine_pid = graph.server.endpoint.pid
    profiler = cProfile.Profile() if use_cprofile else None
    try:
        started, cpu, engine_cpu = time.perf_counter(), time.process_time(), _cpu_seconds(engine_pid)
        if profiler:
            profiler.enable()
        load_paths(graph, paths, batch_size=batch_size, workers=workers)
        if profiler:
            profiler.disable()
        seconds = {"wall": time.perf_counter() - started, "cpu": time.process_time() - cpu,
                   "engine_cpu": _cpu_seconds(engine_pid) - engine_cpu}
        graph.clear()
    finally:
        graph.close()
        shutil.rmtree(engine_dir, ignore_errors=True)
    text = ""
    if profiler:
        buffer = io.StringIO()
        stats = pstats.Stats(profiler, stream=buffer)
        # Own time finds the hot functions; cumulative time, the project's stages they sit under.
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(r"/(loader|graph)/", 25)
        text = buffer.getvalue()
    return seconds, graph, text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.hotspots", description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=20_000, help="records to generate and load (default 20000)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for exports and the engine")
    parser.add_argument("--cprofile", action="store_true", help="also profile the load's Python side")
    parser.add_argument("--workers", type=int, default=None,
                        help="worker processes for the load (default: the loader's own choice; 0: in-process)")
    parser.add_argument("--data", type=Path, default=None,
                        help="folder of the synthetic exports (default: <out>/data); reused when present")
    args = parser.parse_args(argv)

    out = args.out.resolve()     # the engine's config names its files by absolute path
    exports = write_exports((args.data or out / "data").resolve(), Spec(args.records, seed=args.seed))
    paths = exports.papers + (exports.patents if "patent-csv" in dict(PARSERS) else [])
    count, parse_s = parse_rate(paths)
    _, prepare_s = prepare_rate(paths, args.batch_size)
    load, graph, profile = profile_load(paths, out / "engine-hotspots", args.batch_size, args.cprofile, args.workers)
    load_s = load["wall"]
    writes = sum(entry[2] for entry in graph.stats.values())
    engine = sum(entry[3] for entry in graph.stats.values())

    print(f"# Load profile: {count:,} records ({len(paths)} files), batch size {args.batch_size}\n")
    print("| stage | seconds | records/s | share of the load |\n|---|---|---|---|")
    print(f"| whole load (load_paths) | {load_s:.2f} | {count / load_s:,.0f} | 100% |")
    for label, seconds in (("parse (read_records), measured alone", parse_s),
                           ("prepare (institutions, branches), measured alone", prepare_s),
                           ("graph calls, all statements (waited)", writes),
                           ("graph calls, the engine's execution time", engine)):
        print(f"| {label} | {seconds:.2f} | {count / seconds:,.0f} | {seconds / load_s:.0%} |")
    print(f"\nCPU seconds during the load: this process {load['cpu']:.2f}, the engine {load['engine_cpu']:.2f}.")
    print("\n| statement | calls | rows sent | seconds | engine s | rows/s | share of the load |\n"
          "|---|---|---|---|---|---|---|")
    for name, (calls, rows, seconds, engine_s) in sorted(graph.stats.items(), key=lambda item: -item[1][2]):
        rate = f"{rows / seconds:,.0f}" if rows else "—"
        print(f"| {name} | {calls} | {rows:,} | {seconds:.2f} | {engine_s:.2f} | {rate} | {seconds / load_s:.1%} |")
    if profile:
        print("\n```\n" + profile.strip() + "\n```")
    return 0


if __name__ == "__main__":
    sys.exit(main())
