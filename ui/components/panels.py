"""What goes under every chart: its table, CSV / PNG / SVG downloads and the Cypher behind it."""
from __future__ import annotations

import io
from collections.abc import Callable

import altair as alt
import pandas as pd
import streamlit as st

from analysis import bundle, exports
from analysis.counting import FRACTIONAL
from ui.components import charts, counts, data
from ui.components import network as nw
from ui.components.data import Answer
from ui.components.i18n import lang, name, t

# analysis.exports' formats, as their tools name them; vosviewer and csv are two files, zipped.
EXPORT_FORMATS = {"graphml": "GraphML", "gexf": "GEXF", "vosviewer": "VOSviewer", "pajek": "Pajek", "csv": "CSV"}
EXPORT_MIME = {"graphml": "application/xml", "gexf": "application/xml", "pajek": "text/plain",
               "vosviewer": "application/zip", "csv": "application/zip"}


def image(chart: alt.TopLevelMixin, fmt: str) -> bytes:
    """The chart as PNG or SVG (rendered by vl-convert, no browser needed)."""
    buf = io.BytesIO() if fmt == "png" else io.StringIO()
    chart.save(buf, format=fmt, **({"scale_factor": 2} if fmt == "png" else {}))
    value = buf.getvalue()
    return value if isinstance(value, bytes) else value.encode("utf-8")


def csv_bytes(df: pd.DataFrame) -> bytes:
    # utf-8-sig so that spreadsheet programs read Chinese names correctly.
    return df.to_csv(index=False).encode("utf-8-sig")


def query_source(answer: Answer) -> None:
    """An expander with the saved query's text and the parameters it ran with."""
    with st.expander(t("panel.cypher", name=answer.name)):
        st.code(answer.text, language="cypher")
        st.caption(t("panel.parameters"))
        st.code(answer.params_json, language="json")


def downloads(key: str, df: pd.DataFrame, chart: alt.TopLevelMixin | None = None) -> None:
    """CSV of the rows; PNG and SVG of the chart, rendered only when clicked."""
    # Without a chart the CSV button stands alone: a fraction of a half-width column is too narrow
    # for its label.
    cols = st.columns([1, 1, 1, 5]) if chart is not None else [st]
    cols[0].download_button(t("panel.csv"), csv_bytes(df), file_name=f"{key}.csv", mime="text/csv",
                            key=f"{key}-csv", on_click="ignore", icon=":material/download:")
    if chart is not None:
        cols[1].download_button(t("panel.png"), lambda: image(chart, "png"), file_name=f"{key}.png",
                                mime="image/png", key=f"{key}-png", on_click="ignore")
        cols[2].download_button(t("panel.svg"), lambda: image(chart, "svg"), file_name=f"{key}.svg",
                                mime="image/svg+xml", key=f"{key}-svg", on_click="ignore")


def chart_panel(key: str, chart: alt.TopLevelMixin, answer: Answer, columns: list[str] | None = None,
                *, table: bool = True, counting: str | None = None,
                unchanged: frozenset[str] = frozenset()) -> None:
    """A chart, the rows it draws, downloads and the query behind it (`table=False`: a second
    chart of rows already listed, with its image downloads only).  `counting`: the counting the
    rows are in, named in the headers of the columns it changes (all but `unchanged`)."""
    st.altair_chart(chart, width="stretch", key=f"{key}-chart")
    rows = answer.df[columns] if columns else answer.df
    if table:
        st.dataframe(rows, hide_index=True, width="stretch", key=f"{key}-table",
                     column_config=counts.column_config(rows.columns, counting, unchanged=unchanged))
    downloads(key, rows, chart)
    if table:
        query_source(answer)


def series_panel(key: str, answer: Answer, a: str, b: str, counting: str | None = None) -> None:
    """One institution's international and a–b records (bars) and its a–b share (line), by year."""
    if answer.df.empty:
        st.info(t("inst.series_empty"))
        return
    share = t("inst.share", a=a, b=b)
    bar_title = t("inst.axis_series") if counting is None else counts.counted(t("inst.axis_series"), counting)
    chart = charts.bars_and_line(answer.df, {"n_intl": t("inst.n_intl"), "n_ab": t("inst.n_ab", a=a, b=b)},
                                 ("share", share), bar_title=bar_title, line_title=share,
                                 line_percent=True, colours=["#9db4c0", "#2e86ab", "#d1495b"],
                                 bar_format=counts.number_format(counting) if counting else None)
    chart_panel(key, chart, answer, counting=counting)


def table_panel(key: str, answer: Answer, df: pd.DataFrame | None = None, counting: str | None = None) -> None:
    """A table (the answer's rows, or a view of them), its CSV and the query behind it."""
    table = answer.df if df is None else df
    st.dataframe(table, hide_index=True, width="stretch", key=f"{key}-table",
                 column_config=counts.column_config(table.columns, counting))
    downloads(key, table)
    query_source(answer)


def why_totals_differ(key: str, explanation: str, table: pd.DataFrame | None = None) -> None:
    """The expander that says why the page's totals differ between the countings, with the
    totals under both (`table`: counts.totals() or a reconciliation table)."""
    with st.expander(t("counting.why")):
        st.caption(explanation)
        if table is not None:
            st.dataframe(table, hide_index=True, width="stretch", key=f"{key}-table",
                         column_config=counts.reconciliation_config(table))
            downloads(key, table)


def pair_reconciliation(key: str, a: str, b: str, kind: str, role: str, year_from: int | None,
                        year_to: int | None, branch: str | None = None) -> None:
    """A country pair's reconciliation, year by year (analysis.counting.reconciliation)."""
    reconciliation = data.reconciliation(a, b, kind, role, year_from, year_to, branch)
    why_totals_differ(key, t("trends.reconciliation_help"), reconciliation.df)


@st.cache_data(show_spinner=False, max_entries=64)
def layout(nodes: pd.DataFrame, links: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """The network's positions, laid out once for the drawing and the downloads alike."""
    return nw.layout(nodes, links)


@st.cache_data(show_spinner=False, max_entries=64)
def _network_page(nodes: pd.DataFrame, links: pd.DataFrame, country_labels: dict[str, str], language: str,
                  height: int, counting: str | None) -> str:
    # `language` and `counting` are part of the cache key: the labels and tooltips depend on them.
    tip = {"records": t("net.records"), "shared": t("net.shared")}
    if counting is not None:
        tip = {what: counts.counted(label, counting) for what, label in tip.items()}
    return nw.page(nodes, links, layout(nodes, links), node_label=lambda row: name(row.name, row.name_zh),
                   country_label=lambda code: country_labels.get(code, code or "?"), other_label=t("net.other"),
                   tip=tip, height=height, decimals=2 if counting == FRACTIONAL else 0)


def network_panel(key: str, nodes: pd.DataFrame, links: pd.DataFrame, country_labels: dict[str, str], *,
                  height: int, counting: str | None = None) -> None:
    """The drawn network, then its nodes and links as tables with CSV downloads; `counting`: the
    counting of its records and links, said in the tooltips and headers."""
    st.caption(t("net.summary", nodes=len(nodes), links=len(links)))
    # st.iframe: the successor of st.components.v1.html, same sandboxed iframe.
    st.iframe(_network_page(nodes, links, country_labels, lang(), height, counting), height=height + 60)
    display = {i: name(n, z) for i, n, z in zip(nodes["id"], nodes["name"], nodes["name_zh"])}
    degree = pd.concat([links["source"], links["target"]]).value_counts()
    nodes_view = pd.DataFrame({"name": nodes["id"].map(display), "country": nodes["country"],
                               "records": nodes["records"], "links": nodes["id"].map(degree).fillna(0).astype(int)})
    links_view = pd.DataFrame({"source": links["source"].map(display), "target": links["target"].map(display),
                               "weight": links["weight"]})
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('net.nodes')}**")
        st.dataframe(nodes_view, hide_index=True, width="stretch", key=f"{key}-nodes",
                     column_config=counts.column_config(nodes_view.columns, counting))
        downloads(f"{key}-nodes", nodes_view)
    with right:
        st.markdown(f"**{t('net.links')}**")
        st.dataframe(links_view, hide_index=True, width="stretch", key=f"{key}-links",
                     column_config=counts.column_config(links_view.columns, counting))
        downloads(f"{key}-links", links_view)


def network_exports(key: str, nodes: pd.DataFrame, edges: pd.DataFrame, *, stem: str, title: str) -> None:
    """A download button per format of analysis.exports for a network view (`nodes`: id, label,
    records, country, x, y; `edges`: source, target, weight).  Each file is made when its button
    is clicked: laying out clusters for five formats on every rerun would cost seconds."""
    st.markdown(f"**{title}**", help=t("export.help"))
    for column, (fmt, label) in zip(st.columns(len(EXPORT_FORMATS)), EXPORT_FORMATS.items()):
        column.download_button(label, lambda fmt=fmt: exports.export_bytes(nodes, edges, fmt, stem)[0],
                               file_name=exports.download_name(fmt, stem), mime=EXPORT_MIME[fmt],
                               key=f"{key}-{fmt}", on_click="ignore", icon=":material/download:")


def bundle_button(key: str, figures: Callable[[], list[bundle.Figure]], file_name: str) -> None:
    """One zip with the figures' data, the saved queries behind them and the data's fingerprint
    (analysis.bundle), made when clicked.  `figures` must not read the session (no t()): it
    runs outside the page's run."""
    st.download_button(t("export.bundle"), lambda: bundle.bundle_bytes(figures(), data.fingerprint()),
                       file_name=file_name, mime="application/zip", key=key, on_click="ignore",
                       icon=":material/folder_zip:", help=t("export.bundle_help"))
