"""One measured task in its own process: `python -m bench.worker` reads a JSON task on stdin.

    {"task": "parse", "paths": [...]}
    {"task": "load", "paths": [...], "data_dir": "...", "graph": "bench", "batch_size": 2000}

and prints one JSON line: seconds (taken after the imports and the connection),
records, skipped, and the process's peak resident set in MiB.  `load` is the
loader's own `load_paths`: files to graph with every aggregate rebuilt.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from bench.measure import peak_rss_mb


def parse(paths: list[str]) -> dict:
    from loader.formats import read_records
    from loader.records import Skip

    records = skipped = 0
    started = time.perf_counter()
    for path in paths:
        for item in read_records(Path(path)):
            if isinstance(item, Skip):
                skipped += 1
            else:
                records += 1
    return {"seconds": time.perf_counter() - started, "records": records, "skipped": skipped}


def load(paths: list[str], data_dir: str, graph_name: str, batch_size: int) -> dict:
    from graph.falkor import FalkorGraph
    from loader.pipeline import load_paths

    graph = FalkorGraph.embedded(Path(data_dir), graph_name)
    try:
        started = time.perf_counter()
        summary = load_paths(graph, [Path(p) for p in paths], batch_size=batch_size)
        seconds = time.perf_counter() - started
    finally:
        graph.close()
    errors = [f.error for f in summary.files if f.error]
    return {"seconds": seconds, "records": summary.total("read"), "new": summary.total("new"),
            "duplicate": summary.total("duplicate"),
            "skipped": sum(sum(f.skipped.values()) for f in summary.files), "errors": errors}


def main() -> None:
    task = json.load(sys.stdin)
    if task["task"] == "parse":
        result = parse(task["paths"])
    elif task["task"] == "load":
        result = load(task["paths"], task["data_dir"], task["graph"], task["batch_size"])
    else:
        raise SystemExit(f"unknown task {task['task']!r}: expected parse or load")
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
