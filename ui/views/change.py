"""Change — the collaboration network of two periods side by side on one layout, each link
coloured by whether it appeared, disappeared, grew, shrank or stayed; and any single year on the
same layout, recoloured and resized by a slider without laying the network out again
(docs/indices.md)."""
import pandas as pd
import streamlit as st

from analysis import charts, exports
from analysis.bundle import Figure, QueryCall, bundle_bytes, fingerprint
from analysis.change import CHANGES, Period, Scope, classify, compare_periods, network_links
from ui.components import data, widgets
from ui.components.i18n import lang, name, t
from ui.components.panels import downloads
from ui.components.widgets import labels

# This page's labels (en, zh); the keys are named as they would be in ui/i18n/*.json.
LABELS = {
    "chg.title": ("Change between periods", "两个时期的变化"),
    "chg.period1": ("First period", "第一时期"),
    "chg.period2": ("Second period", "第二时期"),
    "chg.help": ("The nodes with most records in either period, on one layout for both. A link is green where it "
                 "appeared, light green where it grew, grey where it stayed, orange where it shrank and red where "
                 "it disappeared; its width is the shared records of the period drawn.",
                 "两个时期中记录最多的节点，使用同一布局。连线颜色：新出现为绿色，增长为浅绿，不变为灰色，减少为橙色，"
                 "消失为红色；线宽为所示时期的合作记录数。"),
    "chg.year": ("One year on the same layout", "同一布局下的单一年份"),
    "chg.year_help": ("Links coloured by their change from the year before; node size: that year's records.",
                      "连线颜色表示与上一年相比的变化；节点大小为当年记录数。"),
    "chg.year_pick": ("Year", "年份"),
    "chg.counts": ("Links by change", "按变化分类的连线"),
    "chg.links": ("Links, largest changes first", "连线（变化最大者在前）"),
    "chg.empty": ("No records match these filters.", "没有符合条件的记录。"),
    "chg.records": ("records", "记录"),
    "chg.shared": ("shared records", "合作记录"),
    "chg.export": ("Download the second period's network", "下载第二时期的网络"),
    "chg.bundle": ("Bundle: data, queries, fingerprint (zip)", "数据包：数据、查询、数据指纹（zip）"),
    "chg.one_year": ("The data hold one year only: there are no two periods to compare.",
                     "数据只有一个年份，无法比较两个时期。"),
}
FORMATS = ("gexf", "graphml", "vosviewer", "pajek", "csv")


def tr(key: str, **values) -> str:
    text = LABELS[key][1 if lang() == "zh" else 0]
    return text.format(**values) if values else text


@st.cache_data(show_spinner=False, max_entries=32)
def _comparison(version: str, p1: tuple, p2: tuple, scope: Scope, limit: int, min_weight: int):
    """Nodes (with the layout) and links of the two periods: laid out once per graph version
    and choice of periods and nodes; the year slider below reuses the positions."""
    result = compare_periods(data.graph(), Period(*p1), Period(*p2), scope, limit=limit, min_weight=min_weight)
    return result.nodes, result.links


@st.cache_data(show_spinner=False, max_entries=256)
def _year(version: str, year: int, scope: Scope, ids: tuple) -> pd.DataFrame:
    return network_links(data.graph(), scope, Period(year, year), list(ids))


@st.cache_data(show_spinner=False, max_entries=8)
def _fingerprint(version: str) -> dict:
    return fingerprint(data.graph())


def _period(label: str, key: str, years: list[int], default: tuple[int, int]) -> tuple[int, int]:
    return st.sidebar.slider(label, years[0], years[-1], default, key=key, persist_state="session")


def _bundle(nodes: pd.DataFrame, links: pd.DataFrame, scope: Scope, p1: tuple, p2: tuple, limit: int) -> bytes:
    """Both periods' nodes and the link changes, the queries behind them, the data's fingerprint."""
    calls = tuple(QueryCall.bound(*scope.nodes_query(Period(*p), limit)) for p in (p1, p2))
    calls += tuple(QueryCall.bound(*scope.links_query(Period(*p), list(nodes["id"]))) for p in (p1, p2))
    figures = [Figure("change_nodes", nodes, calls), Figure("change_links", links, calls)]
    return bundle_bytes(figures, _fingerprint(data.version()))


st.title(tr("chg.title"))
kind = widgets.kind()
years = widgets.guard_loaded(kind)
if len(years) < 2:
    st.info(tr("chg.one_year"))
    st.stop()
levels = ["institution", "country"]
level = st.sidebar.radio(t("net.level"), levels, format_func=labels({v: t(f"net.level.{v}") for v in levels}),
                         key="chg_level", horizontal=True, persist_state="session")
mid = years[len(years) // 2]
p1 = _period(tr("chg.period1"), "chg_p1", years, (years[0], mid - 1))
p2 = _period(tr("chg.period2"), "chg_p2", years, (mid, years[-1]))
top = st.sidebar.slider(t("net.top"), 10, 200, 30, step=10, key="chg_top", persist_state="session")
min_weight = st.sidebar.number_input(t("net.min_weight"), 1, 10_000, 5, key="chg_min_weight",
                                     persist_state="session")
rollup = widgets.rollup() if level == "institution" else True
scope = Scope(level=level, kind=kind, rollup=rollup)

nodes, links = _comparison(data.version(), p1, p2, scope, top, int(min_weight))
if nodes.empty:
    st.info(tr("chg.empty"))
    st.stop()
nodes = nodes.assign(label=[name(n, z) for n, z in zip(nodes["name"], nodes["name_zh"])])
label_of = dict(zip(nodes["id"], nodes["label"]))

st.caption(tr("chg.help"))
for column, period, weight, records in zip(st.columns(2), (p1, p2), ("weight_1", "weight_2"),
                                           ("records_1", "records_2")):
    chart = charts.network_chart(nodes, links, weight=weight, records=records, title=Period(*period).label)
    column.altair_chart(chart, width="stretch", key=f"chg-{weight}")
counts = links["change"].value_counts().reindex(list(CHANGES), fill_value=0)
st.markdown(f"**{tr('chg.counts')}**: " + " · ".join(f"{c} {n}" for c, n in counts.items()))

st.subheader(tr("chg.year"))
st.caption(tr("chg.year_help"))
# Each year is compared with the one before it, so the first loaded year has nothing to compare with.
span = [y for y in years[1:] if min(p1[0], p2[0]) <= y <= max(p1[1], p2[1])] or years[-1:]
year = st.select_slider(tr("chg.year_pick"), span, value=span[-1], key="chg_year")
ids = tuple(nodes["id"])
now, before = _year(data.version(), year, scope, ids), _year(data.version(), year - 1, scope, ids)
own = now[now["source"] == now["target"]].rename(columns={"source": "id", "weight": "records"})[["id", "records"]]
year_nodes = nodes[["id", "label", "x", "y"]].merge(own, on="id", how="left").fillna({"records": 0})
st.altair_chart(charts.network_chart(year_nodes, classify(before, now), weight="weight_2", records="records",
                                     title=str(year)), width="stretch", key="chg-year")

st.subheader(tr("chg.links"))
table = links.assign(source=links["source"].map(label_of), target=links["target"].map(label_of))
st.dataframe(table, hide_index=True, width="stretch", key="chg-links")
downloads("change-links", table)

st.markdown(f"**{tr('chg.export')}**")
second = nodes.assign(records=nodes["records_2"])[["id", "label", "records", "country", "x", "y"]]
edges = links[links["weight_2"] > 0].rename(columns={"weight_2": "weight"})[["source", "target", "weight"]]
stem = f"network-{p2[0]}-{p2[1]}"
for column, fmt in zip(st.columns(len(FORMATS) + 1), FORMATS):
    # Made when clicked: laying out and clustering five files on every rerun would cost seconds.
    column.download_button(fmt.upper(), lambda fmt=fmt: exports.export_bytes(second, edges, fmt, stem)[0],
                           file_name=exports.download_name(fmt, stem), key=f"chg-{fmt}", on_click="ignore")
st.download_button(tr("chg.bundle"), lambda: _bundle(nodes, links, scope, p1, p2, top),
                   file_name=f"change-{p1[0]}-{p1[1]}-{p2[0]}-{p2[1]}.zip", mime="application/zip",
                   key="chg-bundle", on_click="ignore", icon=":material/folder_zip:")
