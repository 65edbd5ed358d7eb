"""Cypher console — read-only queries with parameters, a timeout and a row cap; the saved queries
as examples with a parameter form built from their header."""
import json
import time

import streamlit as st

from cypher import runner
from graph import GraphError, QueryRefused
from ui.components import data, elements
from ui.components.i18n import t
from ui.components.panels import downloads, network_panel
from ui.components.widgets import labels

OWN = ""                 # the examples list's first entry: the analyst's own query
GRAPH_NODES_MAX = 300    # draw the small graph only up to this many nodes

st.title(t("console.title"))
st.caption(t("console.help"))
saved = runner.saved_queries()


def _fill() -> None:
    """An example was picked: put its text in the editor and its defaults in the form."""
    name = st.session_state["console_example"]
    st.session_state["console_text"] = saved[name].text if name else ""
    for p in saved[name].params if name else ():
        st.session_state[f"console_param_{p.name}"] = "" if p.required else json.dumps(p.default, ensure_ascii=False)
    st.session_state.pop("console_result", None)


example = st.selectbox(t("console.example"), [OWN, *saved], key="console_example", on_change=_fill,
                       format_func=labels({OWN: t("console.own"), **{n: f"{n} — {q.title}" for n, q in saved.items()}}))
text = st.text_area(t("console.query"), key="console_text", height=260,
                    placeholder="MATCH (c:Country) RETURN c.code AS code, c.name AS name ORDER BY code")

params: dict = {}
problem = None
if example:
    st.markdown(f"**{t('console.parameters')}**")
    columns = st.columns(3)
    for i, p in enumerate(saved[example].params):
        key = f"console_param_{p.name}"
        if key not in st.session_state:
            st.session_state[key] = "" if p.required else json.dumps(p.default, ensure_ascii=False)
        typed = columns[i % 3].text_input(f"${p.name}", key=key, help=p.help)
        if typed.strip() == "" and p.required:
            problem = t("console.missing", name=p.name)
        params[p.name] = runner.parse_value(typed) if typed.strip() else None
    st.caption(t("console.params_sent"))
    st.code(json.dumps(params, ensure_ascii=False), language="json")
else:
    raw = st.text_area(t("console.params_json"), key="console_params", height=80, placeholder='{"code": "CN"}')
    try:
        params = json.loads(raw) if raw.strip() else {}
        if not isinstance(params, dict):
            problem = t("console.params_not_object")
    except ValueError as exc:
        problem = t("console.params_bad", error=str(exc))

left, middle, _ = st.columns([1, 1, 3])
timeout_s = left.number_input(t("console.timeout"), 1, 120, 15, key="console_timeout")
row_cap = middle.number_input(t("console.row_cap"), 1, 100_000, 1000, key="console_row_cap")

if st.button(t("console.run"), type="primary", key="console_run", icon=":material/play_arrow:"):
    st.session_state.pop("console_result", None)
    if problem:
        st.error(problem)
    elif not text.strip():
        st.error(t("console.empty"))
    else:
        started = time.perf_counter()
        try:
            result = data.console(text, params, timeout_ms=int(timeout_s * 1000), row_cap=int(row_cap))
            st.session_state["console_result"] = (result, time.perf_counter() - started, int(row_cap))
        except QueryRefused as exc:
            st.error(t("console.refused", message=str(exc)), icon=":material/block:")
        except GraphError as exc:
            st.error(str(exc))

if "console_result" in st.session_state:
    result, elapsed, cap = st.session_state["console_result"]
    st.caption(t("console.rows", n=len(result.rows), seconds=f"{elapsed:.2f}"))
    if result.truncated:
        st.warning(t("console.truncated", n=cap))
    table = elements.table(result.rows, result.columns)
    st.dataframe(table, hide_index=True, width="stretch", key="console-table")
    downloads("console", table)
    nodes, links = elements.small_graph(result.rows)
    if 0 < len(nodes) <= GRAPH_NODES_MAX:
        st.subheader(t("console.graph"))
        network_panel("console-graph", nodes, links, {}, height=420)
