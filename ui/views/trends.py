"""Trends — the study's figures 1 and 3 (international totals, joint records, closeness) and
4 and 5 (the pair's share of each country's international records), for any country pair,
with 95% bootstrap intervals, the size-only expectation and whole or fractional counting
(docs/uncertainty.md)."""
import streamlit as st

from analysis import uncertainty
from analysis.bundle import Figure, QueryCall
from analysis.charts import uncertainty_layer
from analysis.counting import WHOLE
from ui.components import charts, data, widgets
from ui.components.charts import SERIES_COLOURS
from ui.components.counts import PAIR_RECORDS
from ui.components.data import Answer
from ui.components.i18n import lang, t
from ui.components.panels import bundle_button, chart_panel, pair_reconciliation, query_source

SHARE_COLUMNS = ["year", "n_ab", "n_a", "n_b", "share_a", "share_b"]
SHARE_CI_COLUMNS = ["share_a_lo", "share_a_hi", "share_b_lo", "share_b_hi", "expected_n_ab", "observed_expected",
                    "small_counts"]

st.title(t("trends.title"))
filters = widgets.pair_filters()
kind, years, countries, role = filters.kind, filters.years, filters.countries, filters.role
a, b, year_from, year_to = filters.a, filters.b, filters.year_from, filters.year_to
branch = widgets.branch("trends_branch")
counting = widgets.counting()
show_ci = st.sidebar.toggle(t("trends.uncertainty"), value=True, key="uncertainty", help=t("trends.uncertainty_help"),
                            persist_state="session")
show_events = st.sidebar.toggle(t("trends.events"), value=True, key="events", persist_state="session")

if a == b:
    st.info(t("trends.same_country"))
    st.stop()
answer = data.closeness(a, b, kind, role, year_from, year_to, branch)
if answer.df.empty:
    st.info(t("trends.no_rows"))
    st.stop()
# Whole counting draws the closeness query's own rows; fractional counting, and the intervals,
# come from the records behind them (closeness_records).
ci = data.closeness_ci(a, b, kind, role, year_from, year_to, counting=counting, branch=branch) \
    if show_ci or counting != WHOLE else None
source = answer if counting == WHOLE else ci
rows = source.df[list(answer.df.columns)]
table = rows
if show_ci:
    extra = [c for c in ci.df.columns if c not in rows.columns]
    table = rows.merge(ci.df[["year", *extra]], on="year", how="left")
shown = Answer(source.name, source.params, table)

name_a, name_b = widgets.country_label(countries, a), widgets.country_label(countries, b)
events = charts.policy_events(lang()) if show_events else None
records = t(f"kind.{kind}")
band_labels = dict(label=t("ci.interval"), expected_label=t("ci.expected_tick"), small_label=t("ci.small"))
tips = {"interval": t("ci.interval"), "joint": t("ci.joint"), "expected": t("ci.expected"),
        "observed_expected": t("ci.observed_expected"), "small": t("ci.small")}


def interval_layers(value: str, colour: str, label: str) -> list:
    """The band and expected tick of `value`, and points that tell a year's numbers on hover."""
    if not show_ci:
        return []
    return [uncertainty_layer(ci.df, value, colour=colour, **band_labels),
            charts.interval_points(ci.df, value, colour=colour, tips={**tips, "value": label})]


st.subheader(t("trends.totals", a=name_a, b=name_b, records=records))
st.caption(t("trends.totals_help"))
if counting != WHOLE:
    st.caption(t("trends.fractional_note"))
if show_ci:
    st.caption(t("trends.ci_help"))
    small = [int(y) for y in ci.df.loc[ci.df["small_counts"].astype(bool), "year"]]
    if small:
        st.caption(f":material/warning: {t('trends.small_years', years=charts.year_spans(small))}")
closeness_label = t("trends.closeness")
trend = charts.bars_and_line(
    rows,
    {"n_a": t("trends.series_intl", country=name_a), "n_b": t("trends.series_intl", country=name_b),
     "n_ab": t("trends.series_joint", a=name_a, b=name_b)},
    ("closeness", closeness_label),
    bar_title=t("trends.axis_records", records=records), line_title=closeness_label, events=events,
    line_layers=interval_layers("closeness", SERIES_COLOURS[3], closeness_label))
chart_panel("trend", trend, shown, counting=counting, unchanged=PAIR_RECORDS)
if show_ci and counting == WHOLE:
    query_source(ci)      # the intervals' query, beside the closeness query above

if counting != WHOLE:
    pair_reconciliation("reconciliation", a, b, kind, role, year_from, year_to, branch)

st.subheader(t("trends.shares", a=name_a, b=name_b))
st.caption(t("trends.shares_help"))
share_a, share_b = t("trends.share_of", country=name_a), t("trends.share_of", country=name_b)
shares = charts.lines(rows, {"share_a": share_a, "share_b": share_b}, title=t("trends.axis_share"), events=events,
                      layers=[*interval_layers("share_a", SERIES_COLOURS[0], share_a),
                              *interval_layers("share_b", SERIES_COLOURS[1], share_b)])
chart_panel("shares", shares, shown, columns=SHARE_COLUMNS + (SHARE_CI_COLUMNS if show_ci else []),
            counting=counting, unchanged=PAIR_RECORDS)

if events is not None and not events.empty:
    with st.expander(t("trends.events_list")):
        st.dataframe(events[["date", "label"]], hide_index=True, width="stretch", key="events-table")

# What the charts draw, the queries behind them and the data's fingerprint, in one zip.
method = f"{counting} counting" + (f"; {uncertainty.RESAMPLES} bootstrap resamples, seed {uncertainty.SEED}, "
                                   f"percentile {uncertainty.LEVEL:.0%} intervals (docs/uncertainty.md)"
                                   if show_ci else "")
calls = tuple(QueryCall(x.name, x.params) for x in ([answer, ci] if ci is not None else [answer]))
figures = [Figure(f"trends_{a}_{b}", table, calls, note=method)]
bundle_button("trends-bundle", lambda: figures, file_name=f"trends-{a}-{b}-{kind}-{year_from}-{year_to}.zip")
