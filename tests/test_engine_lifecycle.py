"""The embedded server's life: shared by processes, stopped by the last, recovered after a crash.

Each test has its own data folder, so killing a server here never touches the
session's shared one.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph import open_graph
from graph.falkor import FalkorGraph

REPO = Path(__file__).resolve().parents[1]


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1][0] not in "ZX"
    except (OSError, IndexError):
        return False


def gone(pid: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while alive(pid) and time.monotonic() < deadline:
        try:
            os.waitpid(pid, os.WNOHANG)      # our child: reap it
        except ChildProcessError:
            pass
        time.sleep(0.02)
    return not alive(pid)


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("COLLAB_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COLLAB_GRAPH_NAME", "life")
    monkeypatch.delenv("COLLAB_GRAPH", raising=False)
    return tmp_path / "data"


def test_kill_9_leaves_state_and_socket_behind_and_open_graph_still_works(data_dir):
    graph = open_graph()
    graph.write("MERGE (:Country {code: 'CN'})")
    old = graph.server.endpoint
    os.kill(old.pid, signal.SIGKILL)
    assert gone(old.pid)
    home = data_dir / "falkordb"
    # What a crash leaves: the state file naming the dead pid, and the socket file.
    assert json.loads((home / "server.json").read_text())["pid"] == old.pid
    assert Path(old.socket).exists()
    again = open_graph()
    try:
        new = again.server.endpoint
        assert new.pid != old.pid and alive(new.pid)
        assert json.loads((home / "server.json").read_text())["pid"] == new.pid
        # The write before the crash is there (append-only file, fsynced on every write).
        assert again.read("MATCH (c:Country) RETURN c.code AS code").rows == [{"code": "CN"}]
        # The dead server's last user leaving must not stop the new server.
        graph.close()
        assert alive(new.pid)
        assert again.read("MATCH (c:Country) RETURN count(c) AS n").rows == [{"n": 1}]
    finally:
        again.close()
    assert gone(new.pid)


def test_a_server_that_hangs_is_replaced(data_dir):
    graph = open_graph()
    stuck = graph.server.endpoint.pid
    graph.write("MERGE (:Country {code: 'US'})")
    os.kill(stuck, signal.SIGSTOP)        # alive, a redis-server, but answering nothing
    try:
        started = time.monotonic()
        again = open_graph()
        try:
            assert time.monotonic() - started < 15
            assert again.server.endpoint.pid != stuck
            assert gone(stuck)             # the hung one was killed, not left holding the files
            assert again.read("MATCH (c:Country) RETURN c.code AS code").rows == [{"code": "US"}]
        finally:
            again.close()
    finally:
        if alive(stuck):
            os.kill(stuck, signal.SIGKILL)
        graph.close()


def test_a_stale_pid_now_used_by_another_program_is_left_alone(data_dir):
    graph = open_graph()
    endpoint = graph.server.endpoint
    os.kill(endpoint.pid, signal.SIGKILL)
    assert gone(endpoint.pid)
    # The pid in server.json now belongs to some other program (here: a sleep we started).
    other = subprocess.Popen(["sleep", "30"])
    try:
        state = data_dir / "falkordb" / "server.json"
        record = json.loads(state.read_text())
        record["pid"] = other.pid
        state.write_text(json.dumps(record))
        again = open_graph()
        try:
            assert other.poll() is None, "a program that is not our server was killed"
            assert again.server.endpoint.pid not in (endpoint.pid, other.pid)
        finally:
            again.close()
    finally:
        other.kill()
        other.wait()
        graph.close()


def test_the_last_user_to_leave_stops_the_server_and_the_next_one_starts_it(data_dir):
    first = FalkorGraph.embedded(data_dir, "life")
    second = FalkorGraph.embedded(data_dir, "life")
    pid = first.server.endpoint.pid
    assert second.server.endpoint.pid == pid          # one server for both
    first.write("MERGE (:Branch {name: 'FPGA'})")
    first.close()
    assert alive(pid)                                  # the second still uses it
    assert second.read("MATCH (b:Branch) RETURN b.name AS name").rows == [{"name": "FPGA"}]
    second.close()
    assert gone(pid)
    assert not (data_dir / "falkordb" / "server.json").exists()
    third = FalkorGraph.embedded(data_dir, "life")     # a clean restart keeps the data
    try:
        assert third.read("MATCH (b:Branch) RETURN b.name AS name").rows == [{"name": "FPGA"}]
    finally:
        third.close()


def test_processes_starting_at_once_share_one_server(data_dir):
    # Four processes open the graph at the same moment; the start-up lock lets one start it.
    script = ("import sys, time; from graph import open_graph; g = open_graph(); "
              "print(g.server.endpoint.pid, flush=True); sys.stdin.read(); g.close()")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [subprocess.Popen([sys.executable, "-c", script], cwd=REPO, env=env, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True) for _ in range(4)]
    try:
        pids = {int(p.stdout.readline()) for p in procs}
        assert len(pids) == 1
    finally:
        for p in procs:
            p.communicate("", timeout=60)
    assert all(p.returncode == 0 for p in procs)
    assert gone(pids.pop())                            # the last to leave stopped it


def test_a_stale_user_leaving_never_touches_the_server_that_replaced_its_own(data_dir):
    # A user of a server that was killed; a new server started by a process that then died
    # too (kill -9: its registration is stale, so the new server has no live user).  When the
    # first user leaves, the new server's state file must stay: without it the next process
    # would start a second server on the same files.
    stale = open_graph()
    os.kill(stale.server.endpoint.pid, signal.SIGKILL)
    assert gone(stale.server.endpoint.pid)
    script = "from graph import open_graph; g = open_graph(); print(g.server.endpoint.pid, flush=True); input()"
    other = subprocess.Popen([sys.executable, "-c", script], cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    replacement = int(other.stdout.readline())
    other.kill()
    other.wait()
    stale.close()
    state = data_dir / "falkordb" / "server.json"
    assert alive(replacement)
    assert json.loads(state.read_text())["pid"] == replacement
    again = open_graph()                         # reuses the replacement, starts no other
    try:
        assert again.server.endpoint.pid == replacement
    finally:
        again.close()
    assert gone(replacement)


# -- the explorer under concurrent use while a load runs -------------------------------------------
#
# Twenty sessions, each a real Streamlit session: a websocket to /_stcore/stream, as a browser
# opens one, asking for page after page (BackMsg.rerun_script) and reading every ForwardMsg
# until the page's script finishes.  HTTP GETs of the app and its health endpoint go alongside.
# Everything is on 127.0.0.1, bounded in count (20 sessions x 6 pages) and time.

SESSIONS = 20
PAGES = ["trends", "institutions", "network", "drilldown", "console", "data"]


def browse(port: int, pages: list[str]) -> list[str]:
    """One session: every page in turn.  Returns the problems seen (empty when all is well)."""
    from streamlit.proto.Alert_pb2 import Alert
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    problems = []
    with connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], open_timeout=30,
                 max_size=None) as ws:
        for page in pages:
            ask = BackMsg()
            ask.rerun_script.page_name = page
            ws.send(ask.SerializeToString())
            elements = 0
            while True:
                msg = ForwardMsg()
                msg.ParseFromString(ws.recv(timeout=120))
                kind = msg.WhichOneof("type")
                if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                    element = msg.delta.new_element
                    elements += 1
                    if element.WhichOneof("type") == "exception":
                        problems.append(f"{page}: exception {element.exception.message}")
                    elif element.WhichOneof("type") == "alert" and element.alert.format == Alert.ERROR:
                        problems.append(f"{page}: error {element.alert.body}")
                elif kind == "script_finished":
                    if msg.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                        problems.append(f"{page}: finished with status {msg.script_finished}")
                    break
            if elements < 5:
                problems.append(f"{page}: only {elements} elements drawn")
    return problems


def test_twenty_browsing_sessions_while_a_load_runs_all_answer(tmp_path):
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    from loader.pipeline import load_paths
    from tests.test_bad_input import HEAD, wos
    from tests.test_ui_browser import free_port, wait_healthy

    pytest.importorskip("websockets.sync.client")
    # Imported here, once: twenty threads importing the protobuf modules at once race.
    import streamlit.proto.BackMsg_pb2  # noqa: F401
    import streamlit.proto.ForwardMsg_pb2  # noqa: F401
    if not (REPO / "ui" / "__main__.py").exists():
        pytest.skip("ui/__main__.py is not there yet: `python -m ui` cannot start")
    data = tmp_path / "data"
    graph = FalkorGraph.embedded(data, "browse")
    load_paths(graph, [REPO / "tests" / "data" / "small_wos.txt"])
    export = tmp_path / "more.txt"          # 3,000 generated CN-US records for the load that runs
    export.write_text(HEAD + "".join(wos(i) for i in range(100, 3100)), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "COLLAB_GRAPH"}
    env.update(COLLAB_DATA_DIR=str(data), COLLAB_GRAPH_NAME="browse", COLUMNS="300")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    app = subprocess.Popen([sys.executable, "-m", "ui", "--server.port", str(port)], cwd=REPO, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_healthy(url, app)
        started = time.monotonic()
        with ThreadPoolExecutor(SESSIONS + 2) as pool:
            sessions = [pool.submit(browse, port, PAGES[i % len(PAGES):] + PAGES[:i % len(PAGES)])
                        for i in range(SESSIONS)]
            load = subprocess.Popen([sys.executable, "-m", "loader", "load", "--batch-size", "200", str(export)],
                                    cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

            def poke() -> list[int]:
                codes = []
                while not all(s.done() for s in sessions) and len(codes) < 400:
                    for path in ("/", "/_stcore/health"):
                        with urllib.request.urlopen(url + path, timeout=30) as reply:
                            codes.append(reply.status)
                    time.sleep(0.05)
                return codes

            http = pool.submit(poke)
            _out, err = load.communicate(timeout=300)
            browsing_during_load = not all(s.done() for s in sessions)
            problems = [p for s in sessions for p in s.result(timeout=300)]
            codes = http.result(timeout=300)
        assert load.returncode == 0, err
        assert browsing_during_load, "the sessions ended before the load: nothing ran concurrently"
        assert problems == []
        assert codes and set(codes) == {200}
        assert time.monotonic() - started < 240
        assert graph.counts()["nodes:Paper"] == 8 + 3000
    finally:
        app.terminate()            # Streamlit stops on SIGTERM; a hang here fails the test
        app.wait(timeout=30)
        graph.close()
