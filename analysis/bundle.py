"""One zip with everything behind a set of figures: their data, the saved queries that
produced them with the parameters they ran with, and a fingerprint of the loaded data, so a
figure can be checked or redrawn later and its data told apart from another load's."""
from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd

from analysis import AnalysisError, series, uncertainty
from analysis import counting as cnt
from cypher import runner
from graph import Graph

PAGE = 50_000
FINGERPRINT_TIMEOUT_MS = 120_000       # a page of a million-record graph reads in seconds, not minutes


@dataclass(frozen=True)
class QueryCall:
    """A saved query and the parameters it ran with (every declared one, defaults filled)."""

    name: str
    params: dict[str, Any]

    @classmethod
    def bound(cls, name: str, params: dict[str, Any]) -> "QueryCall":
        return cls(name, runner.get(name).bind(params))


@dataclass(frozen=True)
class Figure:
    """One figure's data and the queries it was computed from."""

    name: str
    data: pd.DataFrame
    queries: tuple[QueryCall, ...] = field(default_factory=tuple)
    note: str = ""


def fingerprint(graph: Graph, page: int = PAGE) -> dict[str, Any]:
    """The graph's node and relationship counts, the number of papers and patents, and a
    SHA-256 of their uids and years in uid order (cypher/data_fingerprint.cypher, read a page
    at a time): the same records give the same hash whatever order they were loaded in."""
    digest = hashlib.sha256()
    records = {}
    for kind in ("paper", "patent"):
        after, seen = "", 0
        while True:
            rows = runner.run(graph, "data_fingerprint", {"kind": kind, "after": after, "limit": page},
                              timeout_ms=FINGERPRINT_TIMEOUT_MS, row_cap=None).rows
            for row in rows:
                digest.update(f"{kind}\t{row['uid']}\t{row['year']}\n".encode("utf-8"))
            seen += len(rows)
            if len(rows) < page:
                break
            after = rows[-1]["uid"]
        records[kind] = seen
    return {"engine": graph.engine, "counts": dict(sorted(graph.counts().items())), "records": records,
            "sha256": digest.hexdigest()}


def write_bundle(out: Path | BinaryIO, figures: list[Figure], data_fingerprint: dict[str, Any]) -> None:
    """The zip: manifest.json, and per figure `<name>.csv`, and per query behind it
    `<name>.<query>.cypher` (the saved query's text) and `<name>.<query>.params.json`."""
    names = [f.name for f in figures]
    if len(set(names)) != len(names):
        raise AnalysisError(f"two figures share a name in {names}: the files would overwrite each other")
    manifest = {"created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "fingerprint": data_fingerprint, "figures": []}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for figure in figures:
            zf.writestr(f"{figure.name}.csv", figure.data.to_csv(index=False))
            entry = {"name": figure.name, "data": f"{figure.name}.csv", "rows": len(figure.data),
                     "columns": list(figure.data.columns), "note": figure.note, "queries": []}
            for call in figure.queries:
                stem = f"{figure.name}.{call.name}"
                zf.writestr(f"{stem}.cypher", runner.get(call.name).text)
                zf.writestr(f"{stem}.params.json", json.dumps(call.params, ensure_ascii=False, indent=2))
                entry["queries"].append({"query": call.name, "text": f"{stem}.cypher",
                                         "params": f"{stem}.params.json"})
            manifest["figures"].append(entry)
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))


def bundle_bytes(figures: list[Figure], data_fingerprint: dict[str, Any]) -> bytes:
    """The same zip in memory (a download button's payload)."""
    buf = io.BytesIO()
    write_bundle(buf, figures, data_fingerprint)
    return buf.getvalue()


def standard_figures(graph: Graph, nodes: pd.DataFrame, edges: pd.DataFrame, network: QueryCall, a: str, b: str,
                     *, counting: str = cnt.WHOLE, **filters: Any) -> list[Figure]:
    """What `python -m analysis export --format bundle` puts in: the network view (nodes and
    edges), and the pair's closeness with intervals and its indices, for the same filters
    (kind, year_from, year_to, branch) and counting."""
    how = f"{cnt.check_counting(counting)} counting"
    params = cnt.query_params(**filters)
    pair = {"a": a, "b": b, **params}
    method = (f"{uncertainty.RESAMPLES} bootstrap resamples, seed {uncertainty.SEED}, percentile "
              f"{uncertainty.LEVEL:.0%} interval, {how}; see docs/uncertainty.md")
    # Whole counting reads the closeness query itself; fractional counting weights the record types.
    indices_from = ((QueryCall.bound("closeness", pair), QueryCall.bound("international_totals", params))
                    if counting == cnt.WHOLE else (QueryCall.bound("closeness_records", pair),))
    return [
        Figure("network_nodes", nodes, (network,), note=how),
        Figure("network_edges", edges, (network,), note=how),
        Figure(f"closeness_ci_{a}_{b}", uncertainty.closeness_ci(graph, a, b, counting=counting, **filters),
               (QueryCall.bound("closeness_records", pair),), note=method),
        Figure(f"indices_{a}_{b}", series.indices_table(graph, a, b, counting=counting, **filters), indices_from,
               note=how),
    ]
