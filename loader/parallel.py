"""Ordered work in worker processes: results stream back in the order of the items.

`OrderedWorkers(produce, state, items, workers)` runs `produce(state, item)` — a
generator function defined at module level — for every item in worker processes
and hands the caller each item's results in item order, as `(index, result)`
pairs, whatever order the workers finish in.  Items are dealt round-robin (item i
to worker i % workers), so the caller reads item i from one known worker and
never waits on a result it cannot use yet.  A worker runs at most `backlog`
results ahead of the caller (besides the one it is making and the one in the
pipe); the rest of its work waits, unread, in its files.

An exception raised by `produce` is raised again in the caller at the same place
in the stream (the results before it are delivered first).  Leaving the `with`
block — normally, by an exception or by Ctrl-C — stops every worker; a worker
whose caller was killed exits at its next result.

How workers start: each is a fresh interpreter (`python -c`), the 'spawn' way,
never a fork: the caller may hold a graph client's sockets and other threads (the
UI server's, the client's), and a forked child would inherit their locks in
whatever state those threads left them.  Not multiprocessing's own 'spawn' or
'forkserver' though: both re-run the caller's main script in every worker, which
under Streamlit (its `__main__` is the app page) would run the page there, and in
a script without an `if __name__ == "__main__"` guard would start the load again.
A worker here imports only what `produce` and `state` need.  The protocol is
pickles over the worker's stdin (the task) and a private copy of its stdout (the
results; its own stdout goes to stderr, so a stray print cannot garble it).
"""
from __future__ import annotations

import gc
import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from typing import Any

BACKLOG = 4           # results a worker may hold ready for the caller (a batch: ~1 kB a record)
STOP_SECONDS = 5.0    # how long a stopping worker gets before it is killed

_RESULT, _END, _FAIL = "result", "end", "fail"
_LENGTH = struct.Struct("<Q")   # each message: its length, then the pickle
# argv[1]: the backlog.  The worker imports the caller's way (same sys.path), SIGINT ignored.
_BOOT = ("import signal, sys, pickle; signal.signal(signal.SIGINT, signal.SIG_IGN); "
         "sys.path[:] = pickle.load(sys.stdin.buffer); "
         "from loader.parallel import serve; serve(int(sys.argv[1]))")


class WorkerError(RuntimeError):
    """A worker process stopped without finishing its items or saying why."""


class OrderedWorkers:
    def __init__(self, produce: Callable[[Any, Any], Iterator[Any]], state: Any, items: Sequence[Any],
                 workers: int, backlog: int = BACKLOG):
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        self.items = list(items)
        count = min(workers, len(self.items))
        self._tasks = [(produce, state, self.items[n::count]) for n in range(count)]
        self._backlog = backlog
        self._processes: list[subprocess.Popen] = []

    def __enter__(self) -> OrderedWorkers:
        try:
            # Start every interpreter before sending any task, so they boot side by side.
            for _ in self._tasks:
                self._processes.append(subprocess.Popen([sys.executable, "-c", _BOOT, str(self._backlog)],
                                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE))
            for process, task in zip(self._processes, self._tasks):
                try:
                    pickle.dump(sys.path, process.stdin)
                    pickle.dump(task, process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
                    process.stdin.close()
                except BrokenPipeError:
                    raise WorkerError(f"a loader worker process could not start (exit code {process.wait()}); "
                                      "its error is printed above") from None
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def __iter__(self) -> Iterator[tuple[int, Any]]:
        """(item index, result) for every result, items in order."""
        count = len(self._processes)
        for index in range(len(self.items)):
            while True:
                kind, payload = self._receive(self._processes[index % count])
                if kind == _END:
                    break
                if kind == _FAIL:
                    raise payload
                yield index, payload

    def stop(self) -> None:
        """Stop every worker still running (those that finished have exited) and wait for it."""
        for process in self._processes:
            if process.poll() is None:
                process.terminate()
        for process in self._processes:
            try:
                process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            for pipe in (process.stdin, process.stdout):
                if pipe and not pipe.closed:
                    pipe.close()

    @staticmethod
    def _receive(process: subprocess.Popen) -> tuple[str, Any]:
        data = _read_message(process.stdout)
        if data is None:
            code = process.wait()
            raise WorkerError(f"a loader worker process ({process.pid}) stopped with exit code {code} before "
                              "finishing its files: its error is printed above, if it had one (if not: killed, "
                              "or out of memory?).  Load again: nothing written so far will be duplicated.")
        # A batch is tens of thousands of small objects, none of them in a cycle: the collector
        # would walk them again and again while they are made (half the time of the unpickling).
        enabled = gc.isenabled()
        gc.disable()
        try:
            return pickle.loads(data)
        finally:
            if enabled:
                gc.enable()


def _read_message(stream) -> bytes | None:
    """One message, or None when the worker's output ended before all of it (it stopped)."""
    header = stream.read(_LENGTH.size)
    if len(header) < _LENGTH.size:
        return None
    size = _LENGTH.unpack(header)[0]
    data = stream.read(size)
    return data if len(data) == size else None


def _message(kind: str, payload: Any) -> bytes:
    data = pickle.dumps((kind, payload), protocol=pickle.HIGHEST_PROTOCOL)
    return _LENGTH.pack(len(data)) + data


# -- the worker's side ---------------------------------------------------------------------------


def serve(backlog: int) -> None:
    """A worker's main: read the task from stdin, send every result, then exit."""
    results = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)    # print() and the like now go to stderr, not into the results
    outbox: queue.Queue = queue.Queue(maxsize=backlog)
    sender = threading.Thread(target=_send_all, args=(outbox, results), daemon=True)
    sender.start()
    try:
        produce, state, items = pickle.load(sys.stdin.buffer)
        for item in items:
            for result in produce(state, item):
                # Pickled here, so a result that cannot be is this worker's error, not a hang.
                outbox.put(_message(_RESULT, result))
            outbox.put(_message(_END, None))
    except BaseException as exc:   # noqa: BLE001 — every failure goes back to the caller
        outbox.put(_message(_FAIL, _portable(exc)))
    outbox.put(None)
    sender.join()


def _send_all(outbox: queue.Queue, results) -> None:
    """Write results while the main thread prepares the next ones."""
    while (message := outbox.get()) is not None:
        try:
            results.write(message)
            results.flush()
        except OSError:
            # The caller is gone (killed, not stopped): nothing will read this worker's work.
            os._exit(1)
    results.close()


def _portable(exc: BaseException) -> BaseException:
    """The exception itself where it survives pickling, else a WorkerError naming it;
    either way with the worker's traceback attached as a note."""
    note = "in a loader worker process:\n" + "".join(traceback.format_exception(exc)).rstrip()
    try:
        exc.add_note(note)
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:   # noqa: BLE001 — an exception whose arguments do not round-trip
        error = WorkerError(f"{type(exc).__name__}: {exc}")
        error.add_note(note)
        return error
