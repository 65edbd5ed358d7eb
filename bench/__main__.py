"""`python -m bench` — how fast CollabGraph loads and answers at 10k, 100k and 1M records.

    python -m bench                                   # the full set: 10k, 100k, 1M records, 3 runs each
    python -m bench --sizes 10000,100000 --runs 3 --out /tmp/bench --report BENCHMARKS.md
    python -m bench --sizes 2000 --runs 1 --out /tmp/smoke
    python -m bench --sizes 100000 --runs 1 --query-runs 3 --ui     # the explorer's pages too

Generated exports are kept under <out>/data and reused by later runs of the same
size and seed; each size's results are merged into <out>/results.json, and the
report is written from all sizes measured there.
"""
from __future__ import annotations

import argparse
import shlex
import sys
import time
from pathlib import Path

from bench.check import Mismatch
from bench.measure import WorkerError, machine
from bench.report import load_results, save_results, write_report
from bench.run import run_size
from bench.synth import Spec
from bench.ui import UIBenchError, require_browser
from cypher.runner import QueryError
from graph import GraphError
from loader.pipeline import DEFAULT_BATCH

DEFAULT_SIZES = "10000,100000,1000000"
DEFAULT_OUT = Path(__file__).resolve().parent / "out"
INCREMENT = 10_000


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"--sizes takes record counts separated by commas, not {text!r}")
    if not sizes or min(sizes) < 10:
        raise argparse.ArgumentTypeError("--sizes: every size must be at least 10 records")
    return sizes


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=_sizes, default=_sizes(DEFAULT_SIZES),
                        help=f"record counts, comma-separated (default {DEFAULT_SIZES})")
    parser.add_argument("--runs", type=int, default=3, help="runs of each load; the median is reported (default 3)")
    parser.add_argument("--query-runs", type=int, default=5,
                        help="timed calls of each query and pandas answer, after one warm-up; with --ui, "
                             "also the cold and the warm visits of each page (default 5)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="folder for the exports, the engine and results.json (default bench/out)")
    parser.add_argument("--report", type=Path, default=None,
                        help="where to write the report (default <out>/BENCHMARKS.md)")
    parser.add_argument("--seed", type=int, default=2024, help="generator seed (default 2024)")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH,
                        help=f"records per loader transaction (default {DEFAULT_BATCH})")
    parser.add_argument("--file-records", type=int, default=1000,
                        help="records per export file (default 1000, Web of Science's most per export)")
    parser.add_argument("--increment", type=int, default=INCREMENT,
                        help=f"new records in the incremental load; at most a tenth of the size (default {INCREMENT})")
    parser.add_argument("--ui", action="store_true",
                        help="after the queries, time each page of the explorer (`python -m ui`) in headless "
                             "Chromium (/usr/bin/chromium): first render and a filter change (bench/ui.py)")
    parser.add_argument("--report-only", action="store_true",
                        help="measure nothing: rewrite the report from <out>/results.json")
    args = parser.parse_args(argv)
    if min(args.runs, args.query_runs, args.file_records, args.batch_size) < 1:
        parser.error("--runs, --query-runs, --file-records and --batch-size must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    report = args.report or out / "BENCHMARKS.md"
    results_file = out / "results.json"
    results = load_results(results_file)
    command = "python -m bench " + " ".join(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))
    started = time.monotonic()
    if args.report_only:
        write_report(report, results)
        return 0

    if args.ui:
        try:
            require_browser()
        except UIBenchError as exc:
            print(f"--ui: {exc}", file=sys.stderr)
            return 2

    def log(text: str) -> None:
        print(f"[{time.monotonic() - started:7.1f} s] {text}", file=sys.stderr, flush=True)

    for size in args.sizes:
        spec = Spec(size, seed=args.seed, file_records=args.file_records,
                    increment=min(args.increment, max(1, size // 10)))
        measured_on = machine()     # before the run: the code it measured, not what came after
        try:
            result = run_size(spec, out, args.runs, args.query_runs, args.batch_size, log,
                              ui_runs=args.query_runs if args.ui else 0)
        except Mismatch as exc:
            print(f"MISMATCH at {size:,} records: {exc}", file=sys.stderr)
            return 1
        except (WorkerError, GraphError, QueryError, UIBenchError) as exc:
            print(f"error at {size:,} records: {exc}", file=sys.stderr)
            return 2
        result["machine"] = measured_on
        result["command"] = command.strip()
        results[size] = result
        save_results(results_file, results)
        write_report(report, results)
        log(f"{size:,} records done; report: {report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
