"""The explorer in a headless browser: each page's first render and one filter change, timed.

`python -m ui` runs on a free loopback port against the benchmark's graph, and Debian's
Chromium (/usr/bin/chromium, through Playwright) visits every page.  Each visit is a new tab,
that is a new Streamlit session, which opens the explorer at the Cypher console (the page that
asks least; untimed) and then follows the page's link in the sidebar, as an analyst does.

- **cold first render**: just before the link is followed, the app's caches are emptied with
  Streamlit's own "Clear caches" command (every cached answer and analysis, and the
  connection).  Every query the page needs then runs, as for the first analyst to open the
  page after a load.  Timed from the click until the drawing is complete: the script run, the
  transfer and the drawing.  The issue's target (≤ 2 s) is checked against this figure.
- **warm first render**: the same without emptying the caches: the answers come from the
  server's cache, as for the next analyst who opens the page with the same settings.
- **filter change**: then, in the same session, one sidebar input is changed (`PAGES` says
  which), timed from the keystroke that sends the new value until the redraw is complete.
  Cold: the new value was not asked since the caches were emptied, so its queries run while
  the rest of the page's answers are cached, as in real use; warm: it was asked already.
  Target ≤ 1 s, checked on the cold figure.  Only inputs that send their value at once are
  used (select boxes, number inputs): a slider waits for the pointer to rest before it sends.
- **after start**: before all that, every page is visited once, cold, after the server
  started.  A page's first run in a server process also imports its Python modules (once per
  server, not per session): reported apart, not in the medians.
- **open**: opening the explorer in a new tab (its HTML, Streamlit's scripts from the
  browser's cache, the websocket and the console page's run): the same for every page and
  every graph size, so it is reported once, not added to the pages.

"Complete" is: the server has sent the end of the script run (read from the websocket), the
browser has taken it (no element stale, the running indicator gone or leaving), each visible
chart has its canvas, each visible table its cells, each visible network frame has drawn
(vis-network's afterDrawing; after a filter change, a newly loaded frame if the network
changed), and two animation frames have passed.  Vega redraws a chart whose data changed
asynchronously after that; that last step is not in the figures.

Every figure is the median of `runs` visits (all cold visits first, then the warm ones).  The
network views are read as well: how many nodes vis-network holds against the page's cap (its
"top" slider), and whether every node arrives with a precomputed position and physics off.
"""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.measure import REPO

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
VIEWPORT = {"width": 1440, "height": 900}     # a laptop screen; content below it is drawn all the same
FIRST_RENDER_TARGET_S = 2.0
FILTER_CHANGE_TARGET_S = 1.0
START_TIMEOUT_S = 120
RUN_TIMEOUT_S = 600          # one script run at most (the engine's longest query timeout)
DRAW_TIMEOUT_MS = 30_000     # drawing after the script run ended
POLL_MS = 5
SMALL_FRAME = 1024           # "script finished" is a few dozen bytes: larger frames are not decoded


class UIBenchError(RuntimeError):
    """The explorer could not be measured at all (no browser, the server did not start)."""


class PageError(RuntimeError):
    """One page failed: it showed an error, or did not finish drawing in time."""


@dataclass(frozen=True)
class Filter:
    what: str       # the input, as the report names it
    key: str        # the widget's key: Streamlit marks its container with the class st-key-<key>
    action: str     # NEXT_OPTION (the next option) or STEP_UP (one more)
    avoid: str | None = None   # NEXT_OPTION: skip the value this other select box holds


NEXT_OPTION, STEP_UP = "next option", "step up"
PARTNER = Filter("partner country", "country_b", NEXT_OPTION, avoid="country_a")


@dataclass(frozen=True)
class Page:
    name: str           # its link in the sidebar
    path: str           # its address under the server
    charts: int         # visible Vega charts when drawn (at least)
    network: bool       # draws a network frame
    filter: Filter | None
    cap: str | None = None     # the slider that caps the network's nodes


PAGES = (
    Page("Trends", "trends", 2, False, PARTNER),
    Page("Institutions", "institutions", 3, False, PARTNER),
    Page("Indices", "indices", 4, False, Filter("index", "idx_index", NEXT_OPTION)),
    Page("Network", "network", 0, True, Filter("minimum shared records", "net_min_weight", STEP_UP),
         cap="net_top"),
    Page("Change over time", "change", 3, False, Filter("minimum shared records", "chg_min_weight", STEP_UP)),
    Page("Drill-down", "drilldown", 0, True, Filter("institution", "drill_pick", NEXT_OPTION),
         cap="ego_size"),
    Page("Cypher console", "console", 0, False, None),
    Page("Data", "data", 1, False, None),
)

# In the page: is the drawing complete?  {ok}, {error: text} or {waiting: what is missing}.
CHECK_JS = """({charts, network}) => {
  const all = s => [...document.querySelectorAll(s)];
  const shown = s => all(s).filter(e => e.checkVisibility());
  const failed = all('[data-testid="stException"], [data-testid="stAlertContentError"]');
  if (failed.length) return {error: failed[0].innerText.slice(0, 600)};
  const status = document.querySelector('[data-testid="stStatusWidget"]');
  if (status && ![...status.classList].some(c => c.startsWith('StatusWidget-exit'))) return {waiting: 'running'};
  if (all('[data-stale="true"], [data-testid*="Skeleton"]').length) return {waiting: 'stale elements'};
  const vega = shown('[data-testid="stVegaLiteChart"]');
  if (vega.length < charts) return {waiting: `${vega.length} of ${charts} charts`};
  if (!vega.every(e => e.querySelector('canvas, svg.marks'))) return {waiting: 'a chart without its canvas'};
  if (!shown('[data-testid="stDataFrame"]').every(e => e.querySelector('[role=gridcell]')))
    return {waiting: 'a table without cells'};
  const frames = shown('iframe');
  if (network && !frames.length) return {waiting: 'no network frame'};
  for (const f of frames) {
    const body = f.contentDocument && f.contentDocument.body;
    if (!body || body.dataset.drawn !== 'yes') return {waiting: 'network not drawn'};
    if (body.dataset.benchSeen && f.srcdoc !== f.benchSrcdoc) return {waiting: 'network not redrawn'};
  }
  return {ok: true};
}"""
WAIT_JS = f"(arg) => {{ const r = ({CHECK_JS})(arg); return r.waiting ? null : r; }}"
# Before a filter change: remember each frame's document, to wait for the new one if it changes.
MARK_FRAMES_JS = """() => document.querySelectorAll('iframe').forEach(f => {
  f.benchSrcdoc = f.srcdoc;
  if (f.contentDocument && f.contentDocument.body) f.contentDocument.body.dataset.benchSeen = '1';
})"""
TWO_FRAMES_JS = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
# The visible network as vis-network holds it, and the slider that caps it.
NETWORK_JS = """(cap) => {
  const frame = [...document.querySelectorAll('iframe')].find(f => f.checkVisibility());
  const net = frame.contentWindow.network;
  const nodes = net.body.data.nodes.get();
  const slider = document.querySelector(`.st-key-${cap} input[type="range"]`);
  return {nodes: nodes.length, links: net.body.data.edges.length,
          precomputed_layout: nodes.every(n => n.physics === false && Number.isFinite(n.x) && Number.isFinite(n.y)),
          cap: Number(slider.value), cap_max: Number(slider.max)};
}"""


def require_browser() -> None:
    """Raise UIBenchError when this machine cannot drive the explorer."""
    if not CHROMIUM.exists():
        raise UIBenchError(f"{CHROMIUM} is absent: install Debian's chromium (apt-get install chromium) "
                           "to measure the explorer, or leave out --ui")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise UIBenchError("the playwright package is missing: pip install playwright (the browser itself "
                           f"is {CHROMIUM}, no download needed), or leave out --ui") from None


# -- the server ---------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def explorer(data_dir: Path, graph_name: str, log_path: Path) -> Iterator[str]:
    """`python -m ui` against the embedded graph in `data_dir`; yields its address."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k != "COLLAB_GRAPH"}
    env.update(COLLAB_DATA_DIR=str(data_dir), COLLAB_GRAPH_NAME=graph_name)
    # Developer toolbar mode: its "Clear caches" command (key C) is how the cold runs start.
    command = [sys.executable, "-m", "ui", "--server.port", str(port), "--client.toolbarMode", "developer"]
    with open(log_path, "w") as log:
        server = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
        try:
            wait_healthy(url, server, log_path)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def wait_healthy(url: str, server: subprocess.Popen, log_path: Path | None = None) -> None:
    """Wait until the explorer at `url` answers its health check (the browser tests use it too)."""
    see = f"; its output is in {log_path}" if log_path else ""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise UIBenchError(f"`python -m ui` exited with {server.returncode}{see}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise UIBenchError(f"the explorer did not answer at {url} within {START_TIMEOUT_S} s{see}")


# -- one session --------------------------------------------------------------------------------

class Session:
    """A new tab: a new Streamlit session (the browser's cache is shared between tabs, as in one
    analyst's browser).  Counts the script runs the server reports finished on its websocket."""

    def __init__(self, context):
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self._decode, self._early = ForwardMsg.FromString, ForwardMsg.FINISHED_EARLY_FOR_RERUN
        self.finished, self.finished_at = 0, 0.0
        self.tab = context.new_page()
        self.tab.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        if isinstance(payload, str) or len(payload) > SMALL_FRAME:
            return
        msg = self._decode(payload)
        if msg.WhichOneof("type") == "script_finished" and msg.script_finished != self._early:
            self.finished, self.finished_at = self.finished + 1, time.perf_counter()

    def close(self) -> None:
        self.tab.close()

    def _timed(self, page: Page, action: Callable[[], None]) -> tuple[float, float]:
        """Seconds from `action` until the page has drawn the script run it started, and until
        the server reported that run ended (the rest is transfer and drawing)."""
        runs_before = self.finished
        started = time.perf_counter()
        action()
        self.wait_drawn(page, runs_before)
        return time.perf_counter() - started, self.finished_at - started

    def wait_drawn(self, page: Page, runs_before: int) -> None:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        deadline = time.monotonic() + RUN_TIMEOUT_S
        while self.finished <= runs_before:
            if time.monotonic() > deadline:
                raise PageError(f"{page.name}: the script run did not end within {RUN_TIMEOUT_S} s")
            self.tab.wait_for_timeout(POLL_MS)
        arg = {"charts": page.charts, "network": page.network}
        try:
            result = self.tab.wait_for_function(WAIT_JS, arg=arg, timeout=DRAW_TIMEOUT_MS).json_value()
        except PlaywrightTimeout:
            missing = self.tab.evaluate(CHECK_JS, arg).get("waiting")
            notices = self.tab.locator('[data-testid="stAlertContentInfo"]').all_inner_texts()
            raise PageError(f"{page.name}: not drawn {DRAW_TIMEOUT_MS // 1000} s after its run ended "
                            f"({missing})" + (f"; it says: {' / '.join(notices)}" if notices else "")) from None
        if "error" in result:
            raise PageError(f"{page.name} shows an error: {result['error']}")
        self.tab.evaluate(TWO_FRAMES_JS)

    def open(self, url: str, page: Page) -> float:
        """Open the explorer at the page's address (a new session's first load)."""
        return self._timed(page, lambda: self.tab.goto(f"{url}/{page.path}", wait_until="commit"))[0]

    def navigate(self, page: Page) -> tuple[float, float]:
        """Follow the page's link in the sidebar, as an analyst does."""
        link = self.tab.locator('[data-testid="stSidebarNav"] a', has_text=page.name).first
        return self._timed(page, link.click)

    def change_filter(self, page: Page) -> tuple[tuple[float, float], str]:
        """Change the page's filter; the seconds as `_timed` gives them, and 'old → new'."""
        f = page.filter
        box = self.tab.locator(f".st-key-{f.key} input").first
        old = box.input_value()
        self.tab.evaluate(MARK_FRAMES_JS)
        if f.action == STEP_UP:
            box.fill(str(int(old) + 1))
            seconds = self._timed(page, lambda: box.press("Enter"))
        else:
            self._focus_next_option(f, old)
            seconds = self._timed(page, lambda: self.tab.keyboard.press("Enter"))
        new = box.input_value()
        if new == old:
            raise PageError(f"{page.name}: changing {f.key} left it at {old!r}")
        return seconds, f"{old} → {new}"

    def _focus_next_option(self, f: Filter, old: str) -> None:
        """Open the select box and move to the next option that is neither its value nor the
        value of `f.avoid` (the other country of a pair)."""
        skip = {old}
        if f.avoid:
            skip.add(self.tab.locator(f".st-key-{f.avoid} input").first.input_value())
        opener = self.tab.locator(f".st-key-{f.key}").get_by_role("button", name="Open")
        # The list closes when the sidebar scrolls: scroll first, then open.
        opener.scroll_into_view_if_needed()
        self.tab.evaluate(TWO_FRAMES_JS)
        opener.click()
        listbox = self.tab.get_by_role("listbox")
        listbox.wait_for()
        for _ in range(len(skip) + 1):
            self.tab.keyboard.press("ArrowDown")
            if listbox.locator("[role=option][data-focused]").inner_text().strip() not in skip:
                return
        raise PageError(f"{f.key}: no option to change to")

    def clear_caches(self) -> None:
        """Streamlit's "Clear caches": every session's cached answers, and the connection."""
        self.tab.evaluate("() => document.activeElement && document.activeElement.blur()")
        self.tab.keyboard.press("c")
        dialog = self.tab.get_by_role("dialog")
        dialog.get_by_role("button", name="Clear caches").click()
        dialog.wait_for(state="detached")


# -- the measurement ----------------------------------------------------------------------------

START = next(p for p in PAGES if p.path == "console")     # where each session opens: the lightest page
START_ELSEWHERE = next(p for p in PAGES if p.path == "data")


def _timings() -> dict:
    # cold/warm: seconds until drawn; *_run: until the server reported the script run ended.
    return {"cold": [], "warm": [], "cold_run": [], "warm_run": []}


def _record(page: Page) -> dict:
    return {"path": page.path, "after_start_s": None, "first_render": _timings(),
            "filter": {"what": page.filter.what, "change": None, **_timings()} if page.filter else None,
            "error": None}


def _add(timings: dict, temperature: str, seconds: tuple[float, float]) -> str:
    timings[temperature].append(seconds[0])
    timings[f"{temperature}_run"].append(seconds[1])
    return f"{seconds[0]:.2f} s (run {seconds[1]:.2f} s)"


def _visit(context, url: str, page: Page, record: dict, temperature: str | None, measured: dict) -> str:
    """A new session opens the explorer, empties the caches unless `temperature` is 'warm', then
    follows the link to `page` (and changes its filter).  The figures go under `temperature`
    ('cold'/'warm'), or to after_start_s when None.  Returns a line for the log."""
    session = Session(context)
    try:
        opened = session.open(url, START if page is not START else START_ELSEWHERE)
        if temperature == "warm":
            measured["open_s"].append(opened)
        if temperature != "warm":
            session.clear_caches()
        seconds = session.navigate(page)
        if temperature is None:
            record["after_start_s"] = seconds[0]
            return f"{seconds[0]:.2f} s"
        line = _add(record["first_render"], temperature, seconds)
        if page.cap and page.name not in measured["networks"]:
            measured["networks"][page.name] = session.tab.evaluate(NETWORK_JS, page.cap)
        if page.filter is None:
            return line
        changed, record["filter"]["change"] = session.change_filter(page)
        return f"{line}; filter {_add(record['filter'], temperature, changed)}: {record['filter']['change']}"
    finally:
        session.close()


def measure_ui(data_dir: Path, graph_name: str, runs: int, log: Callable[[str], None], log_path: Path) -> dict:
    """Time every page of the explorer against the graph `graph_name` of the embedded engine in
    `data_dir` (which must be running: the caller holds it open).  See the module docstring."""
    require_browser()
    from playwright.sync_api import Error as PlaywrightError, sync_playwright
    import streamlit

    records = {page.name: _record(page) for page in PAGES}
    measured: dict = {"open_s": [], "networks": {}}
    load_average = [os.getloadavg()[0]]
    with explorer(data_dir, graph_name, log_path) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport=VIEWPORT)
            for temperature, repeats in ((None, 1), ("cold", runs), ("warm", runs)):
                for run in range(repeats):
                    for page in PAGES:
                        record = records[page.name]
                        if record["error"]:
                            continue
                        try:
                            line = _visit(context, url, page, record, temperature, measured)
                        except (PageError, PlaywrightError) as exc:
                            record["error"] = str(exc).strip().splitlines()[0][:600]
                            line = f"FAILED: {record['error']}"
                        log(f"  ui {temperature or 'after start'} {run + 1}/{repeats} {page.name}: {line}")
            version = browser.version
        finally:
            browser.close()
    return {"runs": runs, "chromium": version, "streamlit": streamlit.__version__, "viewport": VIEWPORT,
            "targets": {"first_render_s": FIRST_RENDER_TARGET_S, "filter_change_s": FILTER_CHANGE_TARGET_S},
            "open_s": measured["open_s"], "pages": records, "networks": measured["networks"],
            "load_average": load_average + [os.getloadavg()[0]]}
