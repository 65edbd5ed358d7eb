"""Network — who works with whom: institutions or countries, sized by records, linked by shared records;
the view downloads as GraphML, GEXF, VOSviewer, Pajek or CSV."""
import streamlit as st

from analysis.change import Scope
from analysis.counting import FRACTIONAL
from ui.components import counts, data, reconcile, widgets
from ui.components import network as nw
from ui.components.i18n import name, t
from ui.components.panels import layout, network_exports, network_panel, query_source, why_totals_differ
from ui.components.widgets import labels

HEIGHT = 640

st.title(t("net.title"))
kind = widgets.kind()
years = widgets.guard_loaded(kind)
levels = ["institution", "country"]
level = st.sidebar.radio(t("net.level"), levels, format_func=labels({v: t(f"net.level.{v}") for v in levels}),
                         key="net_level", horizontal=True, persist_state="session")
year_from, year_to = widgets.year_range(years)
branch = widgets.branch("net_branch")
countries = data.countries(kind)
countries_shown = widgets.country_labels(countries)
only = st.sidebar.multiselect(t("net.countries"), list(countries_shown), format_func=labels(countries_shown),
                              key="net_countries",
                              placeholder=t("net.all_countries"))
top = st.sidebar.slider(t("net.top"), 10, 500, 100, step=10, key="net_top", persist_state="session")
min_weight = st.sidebar.number_input(t("net.min_weight"), 1, 10_000, 2, key="net_min_weight",
                                     persist_state="session")
rollup = widgets.rollup() if level == "institution" else True
counting = widgets.counting(level)

answer = data.network(level, kind, year_from, year_to, branch=branch, countries=only, limit=top,
                      min_weight=int(min_weight), rollup=rollup, counting=counting)
nodes, links = nw.split(answer.df)
if nodes.empty:
    st.info(t("net.empty"))
    st.stop()


counts.caption(counting, level)
network_panel("network", nodes, links, countries_shown, height=HEIGHT, counting=counting)
# The files carry the names shown and the positions drawn (vis-network's y grows downwards,
# the tools' upwards: flipped, so a file opens as it looks here).
positions = layout(nodes, links)
view = nodes.assign(label=[name(n, z) for n, z in zip(nodes["name"], nodes["name_zh"])],
                    x=[positions[i][0] for i in nodes["id"]], y=[-positions[i][1] for i in nodes["id"]])
network_exports("net-export", view[["id", "label", "records", "country", "x", "y"]], links,
                stem=f"network-{level}-{year_from}-{year_to}", title=t("export.network"))
query_source(answer)

if counting == FRACTIONAL:
    scope = Scope(level=level, kind=kind, branch=branch, rollup=rollup, counting=counting)
    why_totals_differ("network-reconciliation", t(f"net.why.{level}"),
                      reconcile.network(scope, [(year_from, year_to)], list(nodes["id"])))
