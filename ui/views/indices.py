"""Indices — a pair's closeness and shares with 95% bootstrap intervals and the size-only
expectation, any index for several pairs on one chart, and a country × country matrix
(docs/uncertainty.md, docs/indices.md)."""
import altair as alt
import pandas as pd
import streamlit as st

from analysis import charts, matrix, series, uncertainty
from analysis.counting import query_params
from analysis.indices import INDEX_COLUMNS
from cypher import runner
from ui.components import data, widgets
from ui.components.data import Answer
from ui.components.i18n import lang, t
from ui.components.panels import chart_panel
from ui.components.widgets import labels

# This page's labels (en, zh); the keys are named as they would be in ui/i18n/*.json.
LABELS = {
    "idx.title": ("Indices and uncertainty", "指数与不确定性"),
    "idx.counting": ("Counting", "计数方式"),
    "idx.counting.whole": ("whole (the study's)", "整数计数（研究所用）"),
    "idx.counting.fractional": ("fractional", "分数计数"),
    "idx.index": ("Index", "指数"),
    "idx.closeness": ("Closeness (Salton)", "紧密度（Salton）"),
    "idx.jaccard": ("Jaccard", "Jaccard 指数"),
    "idx.association_strength": ("Association strength", "关联强度"),
    "idx.inclusion": ("Inclusion", "包含指数"),
    "idx.pairs": ("Pairs on one chart", "同图比较的国家对"),
    "idx.matrix_codes": ("Countries in the matrix", "矩阵中的国家"),
    "idx.ci": ("{a} – {b}: closeness with its 95% interval", "{a} – {b}：紧密度及其 95% 区间"),
    "idx.ci_help": ("Band: 95% bootstrap interval (1,000 resamples of the year's international records, seed 7). "
                    "Ticks: where size alone would put the value (N_a × N_b / N joint records). Hollow points: "
                    "too few records to read (fewer than 10 joint or 30 international records).",
                    "色带：95% 自助法区间（对当年国际合作记录重抽样 1000 次，种子 7）。短横线：仅按规模推算的期望值"
                    "（N_a × N_b / N 篇合作记录）。空心点：记录太少，不宜解读（合作记录少于 10 或国际记录少于 30）。"),
    "idx.shares": ("Shares with their 95% intervals", "份额及其 95% 区间"),
    "idx.share_of": ("Share of {country}", "占{country}的份额"),
    "idx.pairs_chart": ("{index} by year, several pairs", "多个国家对的{index}（按年）"),
    "idx.matrix": ("{index}, {first}–{last}", "{index}，{first}–{last}"),
    "idx.matrix_missing": ("No records in these years for: {codes}", "这些年份没有记录：{codes}"),
    "idx.matrix_help": ("Whole counting over all technology branches, summed over the years.",
                        "整数计数，包括所有技术分支，按年份求和。"),
    "idx.few_codes": ("Pick at least two countries for the matrix.", "矩阵至少需要两个国家。"),
    "idx.no_pairs": ("Pick at least one pair.", "请至少选择一个国家对。"),
}
DEFAULT_PAIRS = [("CN", "US"), ("CN", "GB"), ("US", "GB"), ("US", "JP")]
DEFAULT_MATRIX = ["CN", "US", "GB", "JP", "DE"]


def tr(key: str, **values) -> str:
    text = LABELS[key][1 if lang() == "zh" else 0]
    return text.format(**values) if values else text


@st.cache_data(show_spinner=False, max_entries=128)
def _ci(version: str, a: str, b: str, filters: tuple, counting: str) -> pd.DataFrame:
    # `version` keys the cache on the graph's content: a load invalidates every entry.
    return uncertainty.closeness_ci(data.graph(), a, b, counting=counting, **dict(filters))


@st.cache_data(show_spinner=False, max_entries=128)
def _pairs(version: str, pairs: tuple, index: str, filters: tuple, counting: str) -> pd.DataFrame:
    return series.pair_series(data.graph(), list(pairs), index=index, counting=counting, **dict(filters))


@st.cache_data(show_spinner=False, max_entries=128)
def _matrix(version: str, codes: tuple, kind: str, role: str, year_from: int, year_to: int) -> pd.DataFrame:
    return matrix.country_matrix(data.graph(), list(codes), kind=kind, role=role, year_from=year_from,
                                 year_to=year_to)


def _answer(name: str, params: dict, df: pd.DataFrame) -> Answer:
    """The rows with the saved query they came from, for the panel under the chart."""
    return Answer(name, runner.get(name).bind(params), df)


st.title(tr("idx.title"))
kind = widgets.kind()
years = widgets.guard_loaded(kind)
countries = data.countries(kind)
if len(countries) < 2:
    st.info(t("trends.few_countries"))
    st.stop()
role = widgets.role(kind)
a, b = widgets.pair(countries)
year_from, year_to = widgets.year_range(years)
counting = st.sidebar.radio(tr("idx.counting"), ["whole", "fractional"], key="idx_counting", horizontal=True,
                            format_func=labels({c: tr(f"idx.counting.{c}") for c in ("whole", "fractional")}),
                            persist_state="session")
index = st.sidebar.selectbox(tr("idx.index"), INDEX_COLUMNS, key="idx_index",
                             format_func=labels({i: tr(f"idx.{i}") for i in INDEX_COLUMNS}), persist_state="session")
codes = list(countries["code"])
pair_options = [f"{x}–{y}" for i, x in enumerate(codes) for y in codes[i + 1:]]
default_pairs = [f"{x}–{y}" if f"{x}–{y}" in pair_options else f"{y}–{x}" for x, y in DEFAULT_PAIRS]
pairs_picked = st.sidebar.multiselect(tr("idx.pairs"), pair_options, key="idx_pairs",
                                      default=[p for p in default_pairs if p in pair_options])
matrix_codes = st.sidebar.multiselect(tr("idx.matrix_codes"), codes, key="idx_matrix",
                                      default=[c for c in DEFAULT_MATRIX if c in codes],
                                      format_func=labels({c: widgets.country_label(countries, c) for c in codes}))

if a == b:
    st.info(t("trends.same_country"))
    st.stop()
filters = dict(kind=kind, role=role, year_from=year_from, year_to=year_to)
key = tuple(sorted(filters.items()))
name_a, name_b = widgets.country_label(countries, a), widgets.country_label(countries, b)

ci = _ci(data.version(), a, b, key, counting)
if ci.empty:
    st.info(t("trends.no_rows"))
    st.stop()
ci_answer = _answer("closeness_records", {"a": a, "b": b, **query_params(**filters)}, ci)
st.subheader(tr("idx.ci", a=name_a, b=name_b))
st.caption(tr("idx.ci_help"))
chart_panel("idx-ci", charts.closeness_with_interval(ci, title=tr("idx.closeness")), ci_answer)

st.subheader(tr("idx.shares"))
shares = alt.layer(
    charts.closeness_with_interval(ci, "share_a", title=t("trends.axis_share"), colour="#d1495b"),
    charts.closeness_with_interval(ci, "share_b", title=t("trends.axis_share"), colour="#2e86ab"))
st.caption(f"{tr('idx.share_of', country=name_a)} (red) · {tr('idx.share_of', country=name_b)} (blue)")
chart_panel("idx-shares", shares, ci_answer, table=False)

index_name = tr(f"idx.{index}")
if not pairs_picked:
    st.info(tr("idx.no_pairs"))
else:
    pairs = tuple(tuple(p.split("–")) for p in pairs_picked)
    long = _pairs(data.version(), pairs, index, key, counting)
    st.subheader(tr("idx.pairs_chart", index=index_name))
    first = pairs[0]
    chart_panel("idx-pairs", charts.pairs_chart(long, title=index_name),
                _answer("closeness", {"a": first[0], "b": first[1], **query_params(**filters)}, long))

if len(matrix_codes) < 2:
    st.info(tr("idx.few_codes"))
else:
    long = _matrix(data.version(), tuple(matrix_codes), kind, role, year_from, year_to)
    missing = matrix.missing_codes(long, matrix_codes)
    if missing:
        st.caption(tr("idx.matrix_missing", codes=", ".join(missing)))
    if not long.empty:
        order = [c for c in matrix_codes if c not in missing]
        st.subheader(tr("idx.matrix", index=index_name, first=year_from, last=year_to))
        st.caption(tr("idx.matrix_help"))
        heat = charts.heatmap(matrix.cells_for_chart(long, index), title=index_name, order=order)
        params = {"codes": list(matrix_codes), "kind": kind, "role": role, "from": year_from, "to": year_to}
        chart_panel("idx-matrix", heat, _answer("country_matrix", params, long))
