"""End to end: `python -m ui` on a free loopback port, driven by Debian's headless Chromium.

Every page is opened, its charts (or the network's iframe) must finish drawing,
no Streamlit exception box may show and the browser console must stay free of
errors.  Screenshots go to test-artifacts/ (not part of the repo).
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.ui import free_port, wait_healthy
from tests.test_ui_apptest import GRAPH_NAME, HOSTILE, REPO, load_graph

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
DRAW_TIMEOUT_MS = 90_000
# page (its link in the sidebar) -> what must have drawn: vega charts (how many), the network iframe
PAGES = {"Trends": (2, False), "Institutions": (3, False), "Indices": (4, False), "Network": (0, True),
         "Change over time": (3, False), "Drill-down": (0, True), "Cypher console": (0, False), "Data": (1, False)}
# Tall enough that a screenshot shows a page's charts and the tables under them (Streamlit
# scrolls inside its own container, so a full-page screenshot is the viewport).
VIEWPORT = {"width": 1440, "height": 2200}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is absent: install Debian's chromium (./run.sh test does) to run browser tests")
    pytest.importorskip("playwright.sync_api")
    graph, data_dir, _ = load_graph(tmp_path_factory)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "COLLAB_GRAPH"}
    env.update(COLLAB_DATA_DIR=str(data_dir), COLLAB_GRAPH_NAME=GRAPH_NAME)
    log = open(tmp_path_factory.mktemp("ui-log") / "streamlit.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "ui", "--server.port", str(port)], cwd=REPO, env=env,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        graph.close()


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    tab = context.new_page()
    tab.problems = []
    tab.on("console", lambda msg: tab.problems.append(f"console {msg.type}: {msg.text}")
           if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: tab.problems.append(f"page error: {exc}"))
    tab.on("dialog", lambda dialog: (tab.problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    yield tab
    context.close()


def settle(tab) -> None:
    """Wait until Streamlit has finished running the page's script."""
    tab.wait_for_selector('[data-testid="stApp"]', timeout=DRAW_TIMEOUT_MS)
    tab.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && !document.querySelector('[data-testid*=\"Skeleton\"]')"
        " && document.querySelector('[data-testid=\"stMainBlockContainer\"] h1')",
        timeout=DRAW_TIMEOUT_MS)


def network_drawn(tab):
    """The first network iframe, once vis-network has drawn it."""
    frame_element = tab.wait_for_selector("iframe", timeout=DRAW_TIMEOUT_MS)
    frame = frame_element.content_frame()
    frame.wait_for_selector('body[data-drawn="yes"] canvas', timeout=DRAW_TIMEOUT_MS)
    return frame


def open_page(tab, server: str, name: str) -> None:
    """Open the app at its root and follow the sidebar link, as an analyst would (a deep link
    makes Streamlit's own start-up probe the page's path first, which the console reports)."""
    tab.goto(server)
    settle(tab)
    if name != "Trends":
        tab.locator('[data-testid="stSidebarNav"] a', has_text=name).first.click()
        tab.wait_for_function(f"() => document.title.includes({name!r}) || location.pathname !== '/'",
                              timeout=DRAW_TIMEOUT_MS)
        settle(tab)


@pytest.mark.parametrize("name", list(PAGES))
def test_page_draws_without_errors(server, page, name):
    charts, network = PAGES[name]
    open_page(page, server, name)
    if charts:
        page.wait_for_function(
            f"() => document.querySelectorAll('[data-testid=\"stVegaLiteChart\"] canvas, "
            f"[data-testid=\"stVegaLiteChart\"] svg.marks').length >= {charts}", timeout=DRAW_TIMEOUT_MS)
    if network:
        network_drawn(page)
    # Tables and buttons stand as placeholders until their code has loaded, and tables draw their
    # cells a moment later: wait for both, so that the screenshot shows them.
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stSkeleton\"]')"
        " && [...document.querySelectorAll('[data-testid=\"stDataFrame\"]')]"
        ".filter(d => d.checkVisibility()).every(d => d.querySelector('[role=gridcell]'))",
        timeout=DRAW_TIMEOUT_MS)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"ui-{name.lower().replace(' ', '-')}.png"), full_page=True)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    assert page.problems == []


def test_chinese_interface_and_hostile_names(server, page):
    open_page(page, server, "Drill-down")
    page.get_by_text("中文", exact=True).click()
    page.wait_for_selector("text=机构详情", timeout=DRAW_TIMEOUT_MS)
    settle(page)
    search = page.get_by_label("查找机构（英文或中文名称）")
    search.fill("script")
    search.press("Enter")
    page.wait_for_selector(f"text={HOSTILE}", timeout=DRAW_TIMEOUT_MS)
    # The lab's one record is shared with Tsinghua: two nodes, one link.
    page.wait_for_selector("text=2 个节点，1 条连线", timeout=DRAW_TIMEOUT_MS)
    settle(page)
    frame = network_drawn(page)
    frame.wait_for_function("() => nodeList.length === 2", timeout=DRAW_TIMEOUT_MS)
    # The label drawn on the canvas is the name itself, as text.
    assert HOSTILE in frame.evaluate("() => nodeList.map(n => n.label)")
    assert frame.locator("script", has_text="alert('owned')").count() == 0
    page.screenshot(path=str(ARTIFACTS / "ui-drilldown-hostile-zh.png"), full_page=True)
    # Shown as text everywhere, never run: no dialog, no console error.
    assert page.problems == []
    assert page.locator('[data-testid="stException"]').count() == 0


def test_console_runs_a_query_in_the_browser(server, page):
    open_page(page, server, "Cypher console")
    editor = page.get_by_role("textbox", name="Cypher", exact=True)
    editor.fill("MATCH (c:Country) RETURN c.code AS code, c.name AS name ORDER BY code LIMIT 5")
    editor.press("Control+Enter")      # Streamlit takes the text on Ctrl+Enter (or on leaving the box)
    settle(page)
    page.get_by_role("button", name="Run").click()
    page.wait_for_selector("text=5 rows in", timeout=DRAW_TIMEOUT_MS)
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "ui-console-result.png"), full_page=True)
    assert page.problems == []
    assert page.locator('[data-testid="stException"]').count() == 0


def test_network_downloads_as_graphml_from_the_browser(server, page):
    """A click on a download button makes the file then (the page holds no bytes before) and the
    browser saves it; networkx reads back the network listed under the drawing."""
    import networkx as nx

    open_page(page, server, "Network")
    network_drawn(page)
    listed = page.get_by_text(re.compile(r"^\d+ nodes, \d+ links")).first.inner_text()
    nodes, links = map(int, re.match(r"(\d+) nodes, (\d+) links", listed).groups())
    with page.expect_download(timeout=DRAW_TIMEOUT_MS) as download:
        page.get_by_role("button", name="GraphML").click()
    assert download.value.suggested_filename.endswith(".graphml")
    g = nx.read_graphml(download.value.path())
    assert (g.number_of_nodes(), g.number_of_edges()) == (nodes, links)
    assert page.problems == []
