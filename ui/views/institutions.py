"""Institutions — the study's figure 2: the top institutions' joint records and shares in two years,
side by side with the change, and any one institution's share year by year."""
import pandas as pd
import streamlit as st

from analysis.counting import FRACTIONAL
from ui.components import charts, counts, data, reconcile, widgets
from ui.components.i18n import name, t
from ui.components.panels import chart_panel, series_panel, why_totals_differ
from ui.components.widgets import labels

SMALL_YEAR_DEFAULT = 10   # the study replaced Zhejiang University's 2019 (4 international papers)

st.title(t("inst.title"))
kind = widgets.kind()
years = widgets.guard_loaded(kind)
countries = widgets.countries_for_pair(kind)
a, b = widgets.pair(countries)
year1 = st.sidebar.selectbox(t("inst.year1"), years, index=years.index(2019) if 2019 in years else 0,
                             key="year1", persist_state="session")
later = [y for y in years if y > year1] or [year1]
year2 = st.sidebar.selectbox(t("inst.year2"), later, index=later.index(2022) if 2022 in later else len(later) - 1,
                             key="year2")
top = st.sidebar.slider(t("inst.top"), 3, 30, 10, key="top_n", persist_state="session")
rollup = widgets.rollup()
small_rule = st.sidebar.toggle(t("inst.small_rule"), value=True, key="small_rule", help=t("inst.small_rule_help"),
                               persist_state="session")
min_intl = st.sidebar.number_input(t("inst.min_intl"), 1, 1000, SMALL_YEAR_DEFAULT, key="min_intl",
                                   disabled=not small_rule, persist_state="session")
counting = widgets.counting("institution")

answer = data.institution_compare(a, b, kind, year1, year2, rollup=rollup, limit=top,
                                  min_intl=int(min_intl) if small_rule else None, counting=counting)
if answer.df.empty:
    st.info(t("inst.no_rows", a=a, b=b))
    st.stop()


def _signed(value: float, digits: int) -> str:
    if pd.isna(value):
        return ""
    return f"{value:+,.{digits}f}".replace("-", "−")


df = answer.df
view = df.copy()
view["label"] = [name(en, zh) + (" *" if adj1 or adj2 else "")
                 for en, zh, adj1, adj2 in zip(df["institution"], df["name_zh"], df["adjusted_1"], df["adjusted_2"])]
view["records_change"] = [_signed(v, 2 if counting == FRACTIONAL else 1 if v % 1 else 0) for v in df["delta_n_ab"]]
view["share_change"] = [t("inst.points", value=_signed(v * 100, 1)) if not pd.isna(v) else ""
                        for v in df["delta_share"]]
year_labels = (str(year1), str(year2))

st.subheader(t("inst.records", a=a, b=b, y1=year1, y2=year2))
counts.caption(counting, "institution")
records_chart = charts.paired_bars(view, label="label", values=("n_ab_1", "n_ab_2"), years=year_labels,
                                   change="records_change",
                                   title=counts.counted(t("inst.axis_records", a=a, b=b), counting))
chart_panel("institutions-records", records_chart, answer, counting=counting)

st.subheader(t("inst.shares", a=a, b=b, y1=year1, y2=year2))
share_chart = charts.paired_bars(view, label="label", values=("share_1", "share_2"), years=year_labels,
                                 change="share_change", title=counts.counted(t("inst.axis_share", a=a, b=b), counting),
                                 percent=True)
chart_panel("institutions-shares", share_chart, answer, table=False)
if bool(df["adjusted_1"].any() or df["adjusted_2"].any()):
    st.caption(t("inst.adjusted_note", n=int(min_intl)))
if counting == FRACTIONAL:
    why_totals_differ("institutions-reconciliation", t("inst.why", a=a, b=b),
                      reconcile.institutions(list(df["institution"]), a, b, kind, (year1, year2), rollup=rollup))

st.subheader(t("inst.series"))
picked = st.selectbox(t("inst.series_pick"), list(df["institution"]), key="series_institution",
                      format_func=labels(dict(zip(df["institution"], view["label"]))))
series_panel("institution-series", data.institution_series(picked, a, b, kind, rollup=rollup, counting=counting),
             a, b, counting=counting)
