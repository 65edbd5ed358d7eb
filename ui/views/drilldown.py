"""Drill-down — one institution: its ego network, its partners, its share with a partner country
over time, and the records behind any one of its links."""
import altair as alt
import streamlit as st

from analysis.counting import FRACTIONAL
from ui.components import charts, counts, data, reconcile, widgets
from ui.components import network as nw
from ui.components.i18n import name, t
from ui.components.panels import (chart_panel, network_panel, query_source, series_panel, table_panel,
                                  why_totals_differ)
from ui.components.widgets import labels

DEFAULT_INSTITUTION = "Tsinghua University"

st.title(t("drill.title"))
kind = widgets.kind()
years = widgets.guard_loaded(kind)
year_from, year_to = widgets.year_range(years)
rollup = widgets.rollup()
counting = widgets.counting("institution")
ego_size = st.sidebar.slider(t("drill.ego_size"), 5, 100, 25, key="ego_size", persist_state="session")

query = st.text_input(t("drill.search"), key="drill_search", placeholder=t("drill.search_hint"))
found = (data.institution_search(query.strip()) if query.strip() else data.institution_list()).df
if found.empty:
    st.info(t("drill.not_found", query=query))
    st.stop()
options = list(found["name"])
rows = found.set_index("name")


shown = {n: f"{name(n, row.name_zh)} — {row.country or '?'} · {t('drill.records_n', n=int(row.records))}"
         for n, row in zip(options, found.itertuples(index=False))}
picked = st.selectbox(t("drill.pick"), options, key="drill_pick", format_func=labels(shown),
                      index=options.index(DEFAULT_INSTITUTION) if DEFAULT_INSTITUTION in options else 0)
home = rows.loc[picked, "country"]
countries = data.countries(kind)
countries_shown = widgets.country_labels(countries)
span = dict(year_from=year_from, year_to=year_to)

st.header(name(picked, rows.loc[picked, "name_zh"]))
counts.caption(counting, "institution")
ego_tab, partners_tab, series_tab, records_tab = st.tabs(
    [t("drill.tab_network"), t("drill.tab_partners"), t("drill.tab_series"), t("drill.tab_records")])

with ego_tab:
    ego = data.network("institution", kind, year_from, year_to, branch=None, countries=None, limit=ego_size,
                       min_weight=counts.EVERY_LINK, rollup=rollup, institution=picked, counting=counting)
    nodes, links = nw.split(ego.df)
    if nodes.empty:
        st.info(t("drill.no_records"))
    else:
        # What a partner's size and the links among partners mean depends on which query drew them.
        st.caption(t("drill.ego_tallied" if ego.name == "ego_network" else "drill.ego_counted"))
        network_panel("ego", nodes, links, countries_shown, height=520, counting=counting)
    query_source(ego)

partners = data.partners(picked, kind, rollup=rollup, counting=counting, **span)
by_country = partners.df[partners.df["level"] == "country"]
by_institution = partners.df[partners.df["level"] == "institution"]

with partners_tab:
    if partners.df.empty:
        st.info(t("drill.no_partners"))
    else:
        view = by_country.assign(label=[name(p, z) for p, z in zip(by_country["partner"], by_country["partner_zh"])])
        shared = counts.counted(t("drill.shared"), counting)
        chart = alt.Chart(view.head(20)).mark_bar(color=charts.SERIES_COLOURS[1]).encode(
            y=alt.Y("label:N", sort="-x", title=None), x=alt.X("records:Q", title=shared),
            tooltip=["label:N", "country:N", alt.Tooltip("records:Q", title=shared,
                                                         format=counts.number_format(counting))],
        ).properties(height=max(200, 22 * min(len(view), 20)))
        st.subheader(t("drill.partner_countries"))
        chart_panel("partner-countries", chart, partners, table=False)
        st.subheader(t("drill.partner_institutions"))
        table_panel("partners", partners, by_institution.drop(columns=["level"]), counting=counting)
        if counting == FRACTIONAL:
            why_totals_differ("partners-reconciliation", t("drill.why"),
                              reconcile.partners(picked, kind, rollup=rollup, **span))

with series_tab:
    partner_codes = [c for c in by_country["country"] if c] or [c for c in countries_shown if c != home]
    if not home or not partner_codes:
        st.info(t("drill.no_partners"))
    else:
        default = partner_codes.index("US") if "US" in partner_codes and home != "US" else 0
        partner_country = st.selectbox(t("drill.partner_country"), partner_codes, index=default,
                                       format_func=labels(countries_shown), key="drill_partner_country")
        series = data.institution_series(picked, home, partner_country, kind, rollup=rollup, counting=counting,
                                         **span)
        series_panel("drill-series", series, home, partner_country, counting=counting)

with records_tab:
    links_offered = [("country", code) for code in by_country["country"]] + \
                    [("institution", p) for p in by_institution["partner"]]
    if not links_offered:
        st.info(t("drill.no_partners"))
    else:
        zh = dict(zip(by_institution["partner"], by_institution["partner_zh"]))
        link_names = {(level, value): countries_shown.get(value, value) if level == "country"
                      else name(value, zh.get(value)) for level, value in links_offered}
        link = st.selectbox(t("drill.link"), links_offered, format_func=labels(link_names), key="drill_link")
        records = data.link_records(picked, kind, partner=link[1] if link[0] == "institution" else None,
                                    partner_country=link[1] if link[0] == "country" else None,
                                    rollup=rollup, **span)
        total = int(records.df["total"].iloc[0]) if len(records.df) else 0
        st.caption(t("drill.records_caption", n=total) if total == len(records.df)
                   else t("drill.records_first", shown=len(records.df), n=total))
        table_panel("link-records", records, records.df.drop(columns=["total"]))
