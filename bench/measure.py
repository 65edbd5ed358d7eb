"""Timing, memory and the machine: what the benchmark reports besides the answers.

Loads and parse-only passes run in a fresh worker process (`python -m bench.worker`):
the loader's peak memory is then its own (ru_maxrss of that process), not the
benchmark's DataFrames, and the time is taken inside it, after the imports.
The engine's peak memory is the redis-server's VmHWM (peak resident set, from
/proc) and its allocator's own `used_memory_peak`.
"""
from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
QUERY_BUDGET_S = 60.0     # repeats of one slow query stop once they have taken this long


class WorkerError(RuntimeError):
    """A worker process failed; the message carries its error output."""


@dataclass
class Timing:
    runs: list[float] = field(default_factory=list)   # seconds, warm-up excluded

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


def timed(fn: Callable[[], Any], runs: int, budget_s: float = QUERY_BUDGET_S) -> tuple[Timing, Any]:
    """Call `fn` once to warm up (its result is returned), then up to `runs` timed times;
    repeats stop early once they have used `budget_s`, after at least one."""
    result = fn()
    timing = Timing()
    spent = 0.0
    while len(timing.runs) < runs and (not timing.runs or spent < budget_s):
        started = time.perf_counter()
        fn()
        timing.runs.append(time.perf_counter() - started)
        spent += timing.runs[-1]
    return timing, result


def run_worker(task: dict) -> dict:
    """Run one task in a fresh `python -m bench.worker`; returns its JSON answer."""
    proc = subprocess.run([sys.executable, "-m", "bench.worker"], input=json.dumps(task), text=True,
                          capture_output=True, cwd=REPO)
    if proc.returncode != 0:
        raise WorkerError(f"bench worker ({task['task']}) failed with exit {proc.returncode}:\n"
                          f"{proc.stderr.strip()[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def peak_rss_mb() -> float:
    """This process's peak resident set (Linux reports ru_maxrss in KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- the engine ---------------------------------------------------------------------------------

def _redis(graph):
    # The benchmark reads server statistics the Graph interface does not offer.
    return graph._db.connection


def engine_memory(graph) -> dict:
    """The redis-server's peak and current resident set, and its allocator's peak."""
    client = _redis(graph)
    pid = client.info("server")["process_id"]
    memory = client.info("memory")
    status = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmHWM", "VmRSS"):
            status[name] = int(value.split()[0]) / 1024          # kB -> MiB
    return {"pid": pid, "vmhwm_mb": status.get("VmHWM"), "vmrss_mb": status.get("VmRSS"),
            "used_memory_peak_mb": memory["used_memory_peak"] / 2**20,
            "used_memory_mb": memory["used_memory"] / 2**20}


def wait_for_saves(graph, timeout_s: float = 1800.0) -> float:
    """Wait until no snapshot or log rewrite runs (a load ends with BGSAVE): a query timed
    while one runs would share the two cores with it.  Returns the seconds waited."""
    client = _redis(graph)
    started = time.perf_counter()
    while time.perf_counter() - started < timeout_s:
        info = client.info("persistence")
        if not (info.get("rdb_bgsave_in_progress") or info.get("aof_rewrite_in_progress")
                or info.get("module_fork_in_progress")):
            break
        time.sleep(0.1)
    return time.perf_counter() - started


def falkordb_version(graph) -> str:
    for module in _redis(graph).execute_command("MODULE", "LIST"):
        fields = dict(zip(module[::2], module[1::2]))
        if fields.get("name") in ("graph", b"graph"):
            ver = int(fields["ver"])
            return f"{ver // 10000}.{ver // 100 % 100}.{ver % 100}"
    return "unknown"


# -- the machine --------------------------------------------------------------------------------

def machine() -> dict:
    """What the figures were measured on."""
    cpu = "unknown"
    mem_gib = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gib = int(line.split()[1]) / 2**20
    except OSError:
        pass
    import pandas

    return {"nproc": os.cpu_count(), "cpu": cpu, "memory_gib": mem_gib, "python": platform.python_version(),
            "pandas": pandas.__version__, "os": platform.platform(),
            "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "code": code_version()}


def code_version() -> str:
    """The commit measured, and the loader/query files changed since it (figures move with them)."""
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, timeout=30).stdout
        except (OSError, subprocess.SubprocessError):
            return ""

    commit = git("rev-parse", "--short", "HEAD").strip() or "unknown"
    changed = [line[3:] for line in git("status", "--porcelain", "--", "loader", "graph", "cypher").splitlines()]
    return commit + (f" with uncommitted changes to {', '.join(changed)}" if changed else "")
