"""Load export files into the graph: read → prepare → write in batches → rebuild aggregates.

Streaming end to end: records flow from the parser in batches of `batch_size`;
nothing holds a whole file.  A file that fails half-way keeps what was read
before the fault (those batches are written), the error names the file and the
place, and the other files still load.  New records are counted into the
aggregates as they are written; years whose counted records a load changed are
recounted once, at the end (see loader/writer.py), so the aggregates are right
after every load.

Parsing and preparing can run in worker processes (loader/parallel.py) while this
process only writes: the writes keep the in-process order exactly (files in
order, batches in order), so the graph, the summaries and the duplicates found
are the same whatever the number of workers.
"""
from __future__ import annotations

import gc
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from graph import Graph
from graph.falkor_bulk import BUILD_SUFFIX
from loader.bulk_writer import BulkWriter
from loader.formats import read_records
from loader.parallel import OrderedWorkers
from loader.prepare import InstitutionRow, Prepared, Preparer, merge_duplicates
from loader.records import KINDS, ExportError, Record, Skip
from loader.writer import GraphWriter

DEFAULT_BATCH = 2000
# Below this much input a load stays in-process.  A worker costs ~0.35 s of CPU to start;
# the writing process saves ~0.19 ms a record it no longer parses: even at ~2,000 records,
# 3 MB of Web of Science text.  8 MB (~5,000 records) leaves a margin (docs/scaling.md).
PARALLEL_MIN_BYTES = 8_000_000
# From this much input a first load into an empty FalkorDB graph is a bulk build
# (loader/bulk_writer.py): its fixed cost (the schema made and checked, the rename) is a
# fraction of a second, and a statement load of this size takes several.
BULK_MIN_BYTES = 8_000_000


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


def record_batches(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    """Batches of `size` records, never cut between rows of one record: a patent family's rows
    follow one another in an export, and rows in one batch are merged before anything is
    written, while a row met again in a later batch changes a record already written (its years
    are recounted at the end of the load, docs/model.md)."""
    batch: list[Record] = []
    for record in records:
        if len(batch) >= size and record.uid != batch[-1].uid:
            yield batch
            batch = []
        batch.append(record)
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
    workers: int | None = None,
    bulk: bool | None = None,
) -> LoadSummary:
    """Load every file; never raises for a bad file (its summary carries the error).

    Hong Kong and Macau addresses count as China, as the study counted them, unless
    `split_hk_macau` (default: the COLLAB_SPLIT_HK_MACAU setting) keeps them apart.

    `workers` processes parse and prepare the files while this one writes; 0 or 1 does
    everything in-process.  None chooses: COLLAB_LOAD_WORKERS, else up to 2 (the CPUs
    allowing), and in-process for less than PARALLEL_MIN_BYTES of input.

    `bulk` builds the graph by bulk insert, for a first load into an empty FalkorDB graph
    (loader/bulk_writer.py); False writes statements.  None chooses: COLLAB_BULK_LOAD=0 never,
    else a bulk build when the graph is empty and the input is BULK_MIN_BYTES or more."""
    if split_hk_macau is None:
        split_hk_macau = os.environ.get("COLLAB_SPLIT_HK_MACAU", "").lower() in ("1", "true", "yes")
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    paths = list(paths)
    workers = _worker_count(workers, paths)
    bulk = _bulk_chosen(graph, bulk, paths)
    if not bulk:
        graph.apply_schema()      # a bulk build makes it on the new graph
        if hasattr(graph, "bulk_build"):
            # A bulk build that died left its half-built graph beside this one: free its memory.
            graph.drop_key(graph.name + BUILD_SUFFIX)
    preparer = preparer or Preparer()
    writer = BulkWriter(graph) if bulk else GraphWriter(graph)
    summary = LoadSummary()
    seen: dict[str, set[str]] = {k: set() for k in KINDS}
    # Years to recount at the end: those a crashed load left marked, and those this load changes.
    dirty: dict[str, set[int]] = {k: writer.dirty_years(k) for k in KINDS}
    write = _Writer(writer, seen, dirty)
    task = _FileTask(kind, split_hk_macau, batch_size, preparer)
    # A load makes millions of small objects and keeps many (the uids seen, the pending unit
    # increments), next to none in a reference cycle: the cyclic collector would only walk them
    # over and over (a third of this process's CPU time at 20,000 records).  It is off for the
    # whole process meanwhile (the UI's threads too), and back on when the load ends.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if workers:
            _load_in_workers(paths, task, workers, write, summary, on_progress)
        else:
            _load_in_process(paths, task, write, summary, on_progress)
    finally:
        try:
            # Even after a failure what was read is written, and the aggregates must match it.
            if bulk:
                write.finish_bulk(graph)
            for k in KINDS:
                write.writer.rebuild_aggregates(k, dirty[k])
            graph.persist()
        finally:
            if collecting:
                gc.enable()
    summary.unresolved_institutions = len(preparer.unresolved)
    return summary


def _bulk_chosen(graph: Graph, bulk: bool | None, paths: list) -> bool:
    if bulk is False:
        return False
    able = hasattr(graph, "bulk_build")
    if bulk:
        if not able:
            raise ValueError("a bulk build needs FalkorDB (graph/falkor_bulk.py); Neo4j loads by statements")
        if graph.has_nodes():
            raise ValueError("a bulk build makes a new graph: this one holds nodes already")
        return True
    setting = os.environ.get("COLLAB_BULK_LOAD", "").strip().lower()
    if setting in ("0", "false", "no"):
        return False
    return able and _total_bytes(paths) >= BULK_MIN_BYTES and not graph.has_nodes()


def _worker_count(workers: int | None, paths: list) -> int:
    """Worker processes to start; 0: load in-process."""
    if workers is None:
        setting = os.environ.get("COLLAB_LOAD_WORKERS", "").strip()
        if setting and not setting.isdigit():
            raise ValueError(f"COLLAB_LOAD_WORKERS must be a whole number (0 or 1: load in-process), "
                             f"not {setting!r}")
        workers = int(setting) if setting else min(2, os.cpu_count() or 1)
        if _total_bytes(paths) < PARALLEL_MIN_BYTES:
            return 0
    # Even one file is worth a worker: it parses while this process writes.
    return min(workers, len(paths)) if workers > 1 else 0


def _total_bytes(paths: list) -> int:
    total = 0
    for path in paths:
        try:
            total += os.path.getsize(path)
        except OSError:
            pass    # the load reports it, naming the file
    return total


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


class _Part(NamedTuple):
    """One kind's share of a batch, prepared: what one `GraphWriter.write` call takes."""

    kind: str
    records: int          # records read, before duplicates within the batch were merged
    prepared: list[Prepared]
    institutions: dict[str, InstitutionRow]
    countries: set[str]


def _prepare(batch: list[Record], preparer: Preparer) -> Iterator[_Part]:
    """Lazy, so in-process each kind is written before the next is prepared."""
    by_kind: dict[str, list[Record]] = {}
    for rec in batch:
        by_kind.setdefault(rec.kind, []).append(rec)
    for k, records in by_kind.items():
        prepared, institutions, countries = preparer.prepare(list(merge_duplicates(records)))
        yield _Part(k, len(records), prepared, institutions, countries)


@dataclass
class _Writer:
    """Writes prepared parts and keeps the load's bookkeeping: the uids seen, the dirty years, and
    the records a bulk build leaves to the statement writer."""

    writer: GraphWriter | BulkWriter
    seen: dict[str, set[str]]
    dirty: dict[str, set[int]]
    deferred: list[tuple[_Part, FileSummary]] = field(default_factory=list)

    def __call__(self, part: _Part, fs: FileSummary) -> None:
        k = part.kind
        outcome = self.writer.write(k, part.prepared, part.institutions, part.countries, self.seen[k], self.dirty[k])
        fs.new += outcome.new
        fs.duplicate += outcome.duplicate + (part.records - len(part.prepared))
        self.dirty[k] |= outcome.dirty_years
        if outcome.deferred:
            self.deferred.append((part._replace(records=len(outcome.deferred), prepared=outcome.deferred), fs))

    def finish_bulk(self, graph: Graph) -> None:
        """Put the bulk build in place, then write what it left through statements, in load order."""
        self.writer.finish()
        self.writer = GraphWriter(graph)
        deferred, self.deferred = self.deferred, []
        for part, fs in deferred:
            self(part, fs)


@dataclass
class _FileTask:
    """How to read and prepare any file of this load (sent to each worker once)."""

    kind: str | None
    split_hk_macau: bool
    batch_size: int
    preparer: Preparer

    def batches(self, path, fs: FileSummary) -> Iterator[list[Record]]:
        """The file's records in batches; a fault ends them normally, noted in `fs`."""
        # read_records is lazy: detection and reading faults surface in _records_only.
        records = _records_only(read_records(Path(path), self.kind, split_hk_macau=self.split_hk_macau), fs)
        return record_batches(records, self.batch_size)


@dataclass
class _Batch:
    parts: list[_Part]
    read: int                              # the file's records in this batch and those before
    unresolved: dict[tuple[str, str], int]  # names this batch could not resolve, with counts


# -- in this process, or in workers ------------------------------------------------------------


def _load_in_process(paths: list, task: _FileTask, write: _Writer, summary: LoadSummary,
                     on_progress: Callable[[str, int], None] | None) -> None:
    for path in paths:
        fs = FileSummary(str(path))
        summary.files.append(fs)
        done = 0     # the records written (fs.read may count one read ahead: record_batches)
        for batch in task.batches(path, fs):
            for part in _prepare(batch, task.preparer):
                write(part, fs)
            done += len(batch)
            if on_progress:
                on_progress(str(path), done)


def _read_and_prepare(task: _FileTask, path) -> Iterator[_Batch | FileSummary]:
    """Runs in a worker: one file's prepared batches, then its summary (read, skipped, error)."""
    # A worker lives for one load and makes millions of small objects, next to none in a cycle:
    # the cyclic collector is off, as in the loading process (load_paths).  Walking them took 14%
    # of a worker's CPU time.
    gc.disable()
    preparer = task.preparer
    fs = FileSummary(str(path))
    done = 0
    for batch in task.batches(path, fs):
        preparer.unresolved = {}
        parts = list(_prepare(batch, preparer))
        for part in parts:
            _drop_prepared_text(part.prepared)
        done += len(batch)
        yield _Batch(parts, done, preparer.unresolved)
    yield fs


def _drop_prepared_text(prepared: list[Prepared]) -> None:
    """What only preparing reads: the text the branches were tagged from and the organisations
    as spelled (resolved into `Prepared.institutions`).  No writer reads them, and a batch sent
    without them is half the size: pickled and unpickled in half the time (11 s of the two
    processes' time at 1,000,000 records)."""
    for p in prepared:
        rec = p.record
        rec.orgs, rec.keywords, rec.abstract, rec.subjects = [], [], "", []


def _load_in_workers(paths: list, task: _FileTask, workers: int, write: _Writer, summary: LoadSummary,
                     on_progress: Callable[[str, int], None] | None) -> None:
    preparer = task.preparer
    with OrderedWorkers(_read_and_prepare, task, paths, workers) as results:
        for index, result in results:
            if index == len(summary.files):
                summary.files.append(FileSummary(str(paths[index])))
            fs = summary.files[index]
            if isinstance(result, FileSummary):
                fs.read, fs.skipped, fs.error = result.read, result.skipped, result.error
                continue
            # Merged in load order, so the names (and their order) are those an in-process load finds.
            for name, count in result.unresolved.items():
                preparer.unresolved[name] = preparer.unresolved.get(name, 0) + count
            fs.read = result.read
            for part in result.parts:
                write(part, fs)
            if on_progress:
                on_progress(str(paths[index]), fs.read)
