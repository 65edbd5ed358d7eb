"""CollabGraph explorer: `python -m ui` (or `streamlit run ui/app.py` from the project root)."""
from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run` puts ui/ on the path, not the project root that holds ui, cypher, graph, loader.
ROOT = str(Path(__file__).resolve().parents[1])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import streamlit as st  # noqa: E402

from graph import GraphError  # noqa: E402
from ui.components import data  # noqa: E402
from ui.components.i18n import language_switch, t  # noqa: E402

# Not "pages/": Streamlit treats a pages/ folder beside the main script as an old-style
# multipage app and runs a page without this script (no language switch, no demo banner).
VIEWS = Path(__file__).parent / "views"

# An emoji, not a :material/…: icon: the favicon of a material icon is fetched from the internet.
st.set_page_config(page_title="CollabGraph", page_icon="🕸️", layout="wide")
language_switch()
try:
    data.graph()
    if data.is_demo():
        st.warning(t("banner.demo"), icon=":material/science:")
except GraphError as exc:
    st.error(t("error.graph", message=str(exc)))
    st.stop()
page = st.navigation([
    st.Page(VIEWS / "trends.py", title=t("nav.trends"), icon=":material/show_chart:", url_path="trends",
            default=True),
    st.Page(VIEWS / "institutions.py", title=t("nav.institutions"), icon=":material/account_balance:",
            url_path="institutions"),
    st.Page(VIEWS / "indices.py", title=t("nav.indices"), icon=":material/functions:", url_path="indices"),
    st.Page(VIEWS / "network.py", title=t("nav.network"), icon=":material/hub:", url_path="network"),
    st.Page(VIEWS / "change.py", title=t("nav.change"), icon=":material/compare_arrows:", url_path="change"),
    st.Page(VIEWS / "drilldown.py", title=t("nav.drilldown"), icon=":material/search:", url_path="drilldown"),
    st.Page(VIEWS / "console.py", title=t("nav.console"), icon=":material/terminal:", url_path="console"),
    st.Page(VIEWS / "data.py", title=t("nav.data"), icon=":material/database:", url_path="data"),
])

try:
    page.run()
except GraphError as exc:
    # Engine errors are caught once, here; the message says what to do.
    st.error(t("error.graph", message=str(exc)))
