"""Indices — a pair's closeness and shares with 95% bootstrap intervals and the size-only
expectation, any index for several pairs on one chart, and a country × country matrix
(docs/uncertainty.md, docs/indices.md)."""
import altair as alt
import streamlit as st

from analysis import charts, matrix
from analysis.counting import WHOLE
from analysis.indices import INDEX_COLUMNS
from ui.components import data, widgets
from ui.components.charts import level
from ui.components.counts import PAIR_RECORDS
from ui.components.i18n import t
from ui.components.panels import chart_panel, pair_reconciliation
from ui.components.widgets import labels

DEFAULT_PAIRS = [("CN", "US"), ("CN", "GB"), ("US", "GB"), ("US", "JP")]
DEFAULT_MATRIX = ["CN", "US", "GB", "JP", "DE"]
# Pairs told apart by hue, not by shades of one colour.
PAIR_COLOURS = ["#2e86ab", "#d1495b", "#6a4c93", "#edae49", "#59a14f", "#9c755f", "#76b7b2", "#ff9da7", "#4e79a7",
                "#bab0ac"]
# docs/indices.md; N: all international records of the year (of the range, in the matrix).
FORMULAS = {
    "closeness": r"\mathrm{Salton} = \frac{N_{ab}}{\sqrt{N_a \, N_b}}",
    "jaccard": r"\mathrm{Jaccard} = \frac{N_{ab}}{N_a + N_b - N_{ab}}",
    "association_strength": r"\mathrm{AS} = \frac{N_{ab} \, N}{N_a \, N_b}",
    "inclusion": r"\mathrm{Inclusion} = \frac{N_{ab}}{\min(N_a, N_b)}",
}

st.title(t("idx.title"))
filters = widgets.pair_filters()
kind, years, countries, role = filters.kind, filters.years, filters.countries, filters.role
a, b, year_from, year_to = filters.a, filters.b, filters.year_from, filters.year_to
branch = widgets.branch("idx_branch")
counting = widgets.counting()
index = st.sidebar.selectbox(t("idx.index"), INDEX_COLUMNS, key="idx_index",
                             format_func=labels({i: t(f"idx.{i}") for i in INDEX_COLUMNS}), persist_state="session")
codes = list(countries["code"])
# The pairs compared by default first, written as usual (China–US), then every other pair.
default_pairs = [f"{x}–{y}" for x, y in DEFAULT_PAIRS if x in codes and y in codes]
others = [f"{x}–{y}" for x, y in sorted({tuple(sorted((x, y))) for x in codes for y in codes if x != y})
          if f"{x}–{y}" not in default_pairs and f"{y}–{x}" not in default_pairs]
pairs_picked = st.sidebar.multiselect(t("idx.pairs"), default_pairs + others, key="idx_pairs",
                                      default=default_pairs)
matrix_codes = st.sidebar.multiselect(t("idx.matrix_codes"), codes, key="idx_matrix",
                                      default=[c for c in DEFAULT_MATRIX if c in codes],
                                      format_func=labels(widgets.country_labels(countries)))

if a == b:
    st.info(t("trends.same_country"))
    st.stop()
name_a, name_b = widgets.country_label(countries, a), widgets.country_label(countries, b)
ci = data.closeness_ci(a, b, kind, role, year_from, year_to, counting=counting, branch=branch)
if ci.df.empty:
    st.info(t("trends.no_rows"))
    st.stop()
st.subheader(t("idx.ci", a=name_a, b=name_b))
st.caption(t("idx.ci_help"))
if counting != WHOLE:
    st.caption(t("trends.fractional_note"))
chart_panel("idx-ci", level(charts.closeness_with_interval(ci.df, title=t("idx.closeness"))), ci,
            counting=counting, unchanged=PAIR_RECORDS)
if counting != WHOLE:
    pair_reconciliation("idx-reconciliation", a, b, kind, role, year_from, year_to, branch)

st.subheader(t("idx.shares"))
shares = alt.layer(
    charts.closeness_with_interval(ci.df, "share_a", title=t("trends.axis_share"), colour="#d1495b"),
    charts.closeness_with_interval(ci.df, "share_b", title=t("trends.axis_share"), colour="#2e86ab"))
st.caption(t("idx.shares_help", a=name_a, b=name_b))
chart_panel("idx-shares", level(shares), ci, table=False)

index_name = t(f"idx.{index}")
st.subheader(t("idx.pairs_chart", index=index_name))
st.latex(FORMULAS[index])
st.caption(f"{index_name}: {t(f'idx.reads.{index}')} {t('idx.formula_where')}")
if not pairs_picked:
    st.info(t("idx.no_pairs"))
else:
    pairs = [tuple(p.split("–")) for p in pairs_picked]
    long = data.pair_series(pairs, index, kind, role, year_from, year_to, counting=counting, branch=branch)
    pairs_chart = level(charts.pairs_chart(long.df, title=index_name), range={"category": PAIR_COLOURS})
    chart_panel("idx-pairs", pairs_chart, long, counting=counting, unchanged=PAIR_RECORDS)

if len(matrix_codes) < 2:
    st.info(t("idx.few_codes"))
else:
    cells = data.country_matrix(matrix_codes, kind, role, year_from, year_to, counting=counting, branch=branch)
    missing = matrix.missing_codes(cells.df, matrix_codes)
    if missing:
        st.caption(t("idx.matrix_missing", codes=", ".join(missing)))
    if not cells.df.empty:
        order = [c for c in matrix_codes if c not in missing]
        st.subheader(t("idx.matrix", index=index_name, first=year_from, last=year_to))
        st.caption(t("idx.matrix_help", counting=t(f"counting.total.{counting}"),
                     branch=branch if branch else t("net.all_branches")))
        heat = charts.heatmap(matrix.cells_for_chart(cells.df, index), title=index_name, order=order)
        chart_panel("idx-matrix", level(heat), cells, counting=counting, unchanged=PAIR_RECORDS)
