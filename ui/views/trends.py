"""Trends — the study's figures 1 and 3 (international totals, joint records, closeness) and
4 and 5 (the pair's share of each country's international records), for any country pair."""
import streamlit as st

from ui.components import charts, data, widgets
from ui.components.i18n import lang, t
from ui.components.panels import chart_panel

st.title(t("trends.title"))
kind = widgets.kind()
years = widgets.guard_loaded(kind)
countries = widgets.countries_for_pair(kind)
role = widgets.role(kind)
a, b = widgets.pair(countries)
year_from, year_to = widgets.year_range(years)
show_events = st.sidebar.toggle(t("trends.events"), value=True, key="events", persist_state="session")

if a == b:
    st.info(t("trends.same_country"))
    st.stop()
answer = data.closeness(a, b, kind, role, year_from, year_to)
if answer.df.empty:
    st.info(t("trends.no_rows"))
    st.stop()

name_a, name_b = widgets.country_label(countries, a), widgets.country_label(countries, b)
events = charts.policy_events(lang()) if show_events else None
records = t(f"kind.{kind}")

st.subheader(t("trends.totals", a=name_a, b=name_b, records=records))
st.caption(t("trends.totals_help"))
trend = charts.bars_and_line(
    answer.df,
    {"n_a": t("trends.series_intl", country=name_a), "n_b": t("trends.series_intl", country=name_b),
     "n_ab": t("trends.series_joint", a=name_a, b=name_b)},
    ("closeness", t("trends.closeness")),
    bar_title=t("trends.axis_records", records=records), line_title=t("trends.closeness"), events=events)
chart_panel("trend", trend, answer)

st.subheader(t("trends.shares", a=name_a, b=name_b))
st.caption(t("trends.shares_help"))
shares = charts.lines(
    answer.df,
    {"share_a": t("trends.share_of", country=name_a), "share_b": t("trends.share_of", country=name_b)},
    title=t("trends.axis_share"), events=events)
chart_panel("shares", shares, answer, columns=["year", "n_ab", "n_a", "n_b", "share_a", "share_b"])

if events is not None and not events.empty:
    with st.expander(t("trends.events_list")):
        st.dataframe(events[["date", "label"]], hide_index=True, width="stretch", key="events-table")
