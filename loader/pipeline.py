"""Load export files into the graph: read → prepare → write in batches → rebuild aggregates.

Streaming end to end: records flow from the parser in batches of `batch_size`;
nothing holds a whole file.  A file that fails half-way keeps what was read
before the fault (those batches are written), the error names the file and the
place, and the other files still load.  New records are counted into the
aggregates as they are written; years whose counted records a load changed are
recounted once, at the end (see loader/writer.py), so the aggregates are right
after every load.
"""
from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from graph import Graph
from loader.formats import read_records
from loader.prepare import Preparer, merge_duplicates
from loader.records import KINDS, ExportError, Record, Skip
from loader.writer import GraphWriter

DEFAULT_BATCH = 2000


@dataclass
class FileSummary:
    path: str
    read: int = 0
    new: int = 0
    duplicate: int = 0
    skipped: Counter = field(default_factory=Counter)   # reason -> count
    error: str | None = None


@dataclass
class LoadSummary:
    files: list[FileSummary] = field(default_factory=list)
    unresolved_institutions: int = 0

    @property
    def ok(self) -> bool:
        return all(f.error is None for f in self.files)

    def total(self, attr: str) -> int:
        return sum(getattr(f, attr) for f in self.files)


def chunks(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def load_paths(
    graph: Graph,
    paths: Iterable[Path],
    *,
    kind: str | None = None,
    batch_size: int = DEFAULT_BATCH,
    preparer: Preparer | None = None,
    on_progress: Callable[[str, int], None] | None = None,
    split_hk_macau: bool | None = None,
) -> LoadSummary:
    """Load every file; never raises for a bad file (its summary carries the error).

    Hong Kong and Macau addresses count as China, as the study counted them, unless
    `split_hk_macau` (default: the COLLAB_SPLIT_HK_MACAU setting) keeps them apart."""
    if split_hk_macau is None:
        split_hk_macau = os.environ.get("COLLAB_SPLIT_HK_MACAU", "").lower() in ("1", "true", "yes")
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    graph.apply_schema()
    preparer = preparer or Preparer()
    writer = GraphWriter(graph)
    summary = LoadSummary()
    seen: dict[str, set[str]] = {k: set() for k in KINDS}
    # Years to recount at the end: those a crashed load left marked, and those this load changes.
    dirty: dict[str, set[int]] = {k: writer.dirty_years(k) for k in KINDS}
    try:
        for path in paths:
            fs = FileSummary(str(path))
            summary.files.append(fs)
            # read_records is lazy: detection and reading faults surface in _records_only.
            records = _records_only(read_records(Path(path), kind, split_hk_macau=split_hk_macau), fs)
            for batch in chunks(records, batch_size):
                _write_batch(batch, preparer, writer, fs, seen, dirty)
                if on_progress:
                    on_progress(str(path), fs.read)
    finally:
        # Even after a failure the aggregates must match what was written.
        for k in KINDS:
            writer.rebuild_aggregates(k, dirty[k])
        graph.persist()
    summary.unresolved_institutions = len(preparer.unresolved)
    return summary


def _records_only(items: Iterator[Record | Skip], fs: FileSummary) -> Iterator[Record]:
    """Records only (skips are counted).  A fault in the file ends the stream *normally*,
    noted in the summary, so the batch read before it is still written."""
    try:
        for item in items:
            if isinstance(item, Skip):
                fs.skipped[item.reason] += 1
                continue
            fs.read += 1
            yield item
    except ExportError as exc:
        fs.error = str(exc)
    except (OSError, UnicodeError) as exc:
        fs.error = f"{fs.path}: cannot read the file: {exc}"


def _write_batch(batch, preparer, writer, fs, seen, dirty) -> None:
    by_kind: dict[str, list[Record]] = {}
    for rec in batch:
        by_kind.setdefault(rec.kind, []).append(rec)
    for k, records in by_kind.items():
        prepared, institutions, countries = preparer.prepare(list(merge_duplicates(records)))
        outcome = writer.write(k, prepared, institutions, countries, seen[k], dirty[k])
        fs.new += outcome.new
        fs.duplicate += outcome.duplicate + (len(records) - len(prepared))
        dirty[k] |= outcome.dirty_years
