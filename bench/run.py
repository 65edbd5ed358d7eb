"""One benchmark size, start to end: generate, build the baseline, parse, load, ask, compare.

Every graph answer is checked against the pandas answer before it is reported;
a disagreement raises `Mismatch` and stops the run.  The engine is an embedded
FalkorDB of its own under `<out>/engine-<size>` (graph `bench`), started for the
size and removed after it, so the user's ./data graph is never touched and the
engine's peak memory belongs to this size alone.
"""
from __future__ import annotations

import os
import shutil
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from bench import baseline
from bench.check import Mismatch, same_answer
from bench.measure import engine_memory, falkordb_version, run_worker, timed, wait_for_saves
from bench.synth import Spec, write_exports
from bench.ui import measure_ui
from cypher import runner
from graph.falkor import FalkorGraph
from loader.formats import PARSERS
from loader.records import PATENT

GRAPH_NAME = "bench"
PAIR = ("CN", "US")
SHARES_YEAR = 2020
NETWORK_YEARS = (2018, 2020)
NETWORK_LIMIT = 200
QUERY_TIMEOUT_MS = 600_000    # measuring, not guarding: a slow answer is timed, not cut off


def queries(t: baseline.Tables) -> dict[str, dict]:
    """The timed questions: saved-query parameters, the pandas call, its ORDER BY and LIMIT."""
    a, b = PAIR
    largest = baseline.largest_institution(t)
    asked = {
        "closeness": {"params": {"a": a, "b": b},
                      "pandas": lambda: baseline.closeness(t, a, b), "order": ["year"], "limit": None},
        "institution_shares": {"params": {"a": a, "b": b, "year": SHARES_YEAR},
                               "pandas": lambda: baseline.institution_shares(t, a, b, SHARES_YEAR),
                               "order": ["n_ab", "institution"], "limit": 50},
        # Every partner country, and the 50 strongest partner institutions.
        "partners": {"params": {"institution": largest, "limit": 50},
                     "pandas": lambda: baseline.partners(t, largest),
                     "order": ["level", "records", "partner"], "limit": {"country": None, "institution": 50}},
        "network_institutions": {
            "params": {"from": NETWORK_YEARS[0], "to": NETWORK_YEARS[1], "limit": NETWORK_LIMIT},
            "pandas": lambda: baseline.network_institutions(t, *NETWORK_YEARS, limit=NETWORK_LIMIT),
            "order": ["weight", "source", "target"], "limit": None},
    }
    return {name: q for name, q in asked.items() if name in runner.saved_queries()}


def _ask(graph, name: str, params: dict):
    return runner.run(graph, name, params, timeout_ms=QUERY_TIMEOUT_MS, row_cap=None).rows


def _compare(name: str, rows: list[dict], expected, order: list[str], limit) -> int:
    """Like `same_answer`; a dict limit is a LIMIT per `level` (partners limits institutions only)."""
    if not isinstance(limit, dict):
        return same_answer(name, rows, expected, order, limit)
    compared = sum(same_answer(f"{name} ({level} rows)", [r for r in rows if r["level"] == level],
                               expected[expected["level"] == level], order, level_limit)
                   for level, level_limit in limit.items())
    if compared != len(rows):
        raise Mismatch(f"{name}: the graph returns rows of levels other than {sorted(limit)}")
    return compared


def time_queries(graph, t: baseline.Tables, runs: int, log: Callable[[str], None]) -> dict:
    results = {}
    for name, q in queries(t).items():
        graph_timing, rows = timed(lambda: _ask(graph, name, q["params"]), runs)
        pandas_timing, expected = timed(q["pandas"], runs)
        compared = _compare(name, rows, expected, q["order"], q["limit"])
        log(f"  {name}: graph {graph_timing.median * 1000:.1f} ms, pandas {pandas_timing.median * 1000:.1f} ms, "
            f"{compared} rows equal")
        results[name] = {"params": q["params"], "rows": compared,
                         "graph": asdict(graph_timing) | {"median": graph_timing.median},
                         "pandas": asdict(pandas_timing) | {"median": pandas_timing.median}}
    return results


def _check_closeness(graph, t: baseline.Tables, kind: str, when: str) -> str:
    params = {"a": PAIR[0], "b": PAIR[1], "kind": kind}
    same_answer(f"closeness ({kind}, {when})", _ask(graph, "closeness", params),
                baseline.closeness(t, *PAIR, kind=kind), ["year"])
    return f"closeness {kind} {when}"


def _load(paths: list[Path], engine_dir: Path, batch_size: int) -> dict:
    result = run_worker({"task": "load", "paths": [str(p) for p in paths], "data_dir": str(engine_dir),
                         "graph": GRAPH_NAME, "batch_size": batch_size})
    if result["errors"]:
        raise Mismatch(f"the loader reported errors on the synthetic exports: {result['errors'][:3]}")
    return result


def _summary(results: list[dict]) -> dict:
    seconds = [r["seconds"] for r in results]
    last = results[-1]
    return {"runs": seconds, "median": statistics.median(seconds), "records": last["records"], "skipped": last["skipped"], "new": last.get("new"),
            "duplicate": last.get("duplicate"), "peak_rss_mb": max(r["peak_rss_mb"] for r in results)}


def run_size(spec: Spec, out: Path, runs: int, query_runs: int, batch_size: int,
             log: Callable[[str], None], ui_runs: int = 0) -> dict:
    """`ui_runs` > 0: after the queries, time the explorer's pages that many times each (bench.ui)."""
    load_average = [os.getloadavg()[0]]
    exports = write_exports(out / "data", spec)
    log(f"{spec.records:,} records: exports in {exports.folder} "
        f"({'reused' if exports.cached else f'generated in {exports.seconds:.1f} s'})")
    patents = "patent-csv" in dict(PARSERS)
    paths = exports.papers + (exports.patents if patents else [])

    started = time.perf_counter()
    tables = baseline.build_tables(paths, exports.increment)
    build_s = time.perf_counter() - started
    before = tables.without_fresh()
    log(f"  pandas tables built in {build_s:.1f} s")

    parse = _summary([run_worker({"task": "parse", "paths": [str(p) for p in paths]}) for _ in range(runs)])
    log(f"  parse only: {parse['median']:.1f} s")

    engine_dir = out / f"engine-{spec.records}"
    shutil.rmtree(engine_dir, ignore_errors=True)
    graph = FalkorGraph.embedded(engine_dir, GRAPH_NAME)
    loads, increments, checks, snapshot_waits = [], [], [], []
    explorer = None
    try:
        for run in range(runs):
            graph.clear()
            loads.append(_load(paths, engine_dir, batch_size))
            snapshot_waits.append(wait_for_saves(graph))
            log(f"  load {run + 1}/{runs}: {loads[-1]['seconds']:.1f} s")
            if run == runs - 1:
                answers = time_queries(graph, before, query_runs, log)
                checks.append(_check_closeness(graph, before, "paper", "after the load"))
                if patents:
                    checks.append(_check_closeness(graph, before, PATENT, "after the load"))
                if ui_runs:
                    log(f"  the explorer in headless Chromium, {ui_runs} visit(s) of each page, cold and warm")
                    explorer = measure_ui(engine_dir, GRAPH_NAME, ui_runs, log, out / f"ui-{spec.records}.log")
            # The explorer's visits take minutes: the engine's periodic snapshot may have begun meanwhile.
            wait_for_saves(graph)
            increments.append(_load(exports.increment, engine_dir, batch_size))
            wait_for_saves(graph)
            log(f"  incremental {run + 1}/{runs}: {increments[-1]['seconds']:.1f} s")
        checks.append(_check_closeness(graph, tables, "paper", "after the incremental load"))
        engine = engine_memory(graph)
        version = falkordb_version(graph)
        counts = graph.counts()
        graph.clear()
    finally:
        graph.close()
    shutil.rmtree(engine_dir, ignore_errors=True)
    return {
        "records": spec.records, "spec": asdict(spec),
        "generation": {"seconds": exports.seconds, "cached": exports.cached, "bytes": exports.bytes,
                       "counts": exports.counts, "files": len(paths)},
        "patents_loaded": patents, "baseline_build_s": build_s,
        "parse": parse, "load": _summary(loads) | {"snapshot_wait_s": max(snapshot_waits)},
        "increment": _summary(increments), "queries": answers, "checks": checks + sorted(answers),
        "engine": engine, "falkordb": version, "graph_counts": counts, "batch_size": batch_size,
        "runs": runs, "query_runs": query_runs, "load_average": load_average + [os.getloadavg()[0]],
        **({"ui": explorer} if explorer else {}),
    }
