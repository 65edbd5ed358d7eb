"""Change — the collaboration network of two periods side by side on one layout, each link
coloured by whether it appeared, disappeared, grew, shrank or stayed; and any single year on the
same layout, recoloured and resized by a slider without laying the network out again
(docs/indices.md)."""
import streamlit as st

from analysis import charts
from analysis.bundle import Figure, QueryCall
from analysis.change import CHANGES, Period, Scope, classify
from analysis.counting import FRACTIONAL
from ui.components import counts, data, reconcile, widgets
from ui.components.charts import legend_labels
from ui.components.i18n import name, t
from ui.components.panels import bundle_button, downloads, network_exports, why_totals_differ
from ui.components.widgets import labels

st.title(t("chg.title"))
kind = widgets.kind()
years = widgets.guard_loaded(kind)
if len(years) < 2:
    st.info(t("chg.one_year"))
    st.stop()
levels = ["institution", "country"]
level = st.sidebar.radio(t("net.level"), levels, format_func=labels({v: t(f"net.level.{v}") for v in levels}),
                         key="chg_level", horizontal=True, persist_state="session")
mid = years[len(years) // 2]
p1 = st.sidebar.slider(t("chg.period1"), years[0], years[-1], (years[0], mid - 1), key="chg_p1",
                       persist_state="session")
p2 = st.sidebar.slider(t("chg.period2"), years[0], years[-1], (mid, years[-1]), key="chg_p2",
                       persist_state="session")
top = st.sidebar.slider(t("net.top"), 10, 200, 30, step=10, key="chg_top", persist_state="session")
min_weight = st.sidebar.number_input(t("net.min_weight"), 1, 10_000, 5, key="chg_min_weight",
                                     persist_state="session")
rollup = widgets.rollup() if level == "institution" else True
counting = widgets.counting(level)
scope = Scope(level=level, kind=kind, rollup=rollup, counting=counting)

# Laid out once per graph version, periods, nodes and counting: the year slider below only recolours.
nodes, links = data.comparison(p1, p2, scope, limit=top, min_weight=int(min_weight))
if nodes.empty:
    st.info(t("chg.empty"))
    st.stop()
nodes = nodes.assign(label=[name(n, z) for n, z in zip(nodes["name"], nodes["name_zh"])])
label_of = dict(zip(nodes["id"], nodes["label"]))
# The analyses name changes in English; the page shows them in its language.
change_labels = {c: t(f"change.{c}") for c in CHANGES}

st.caption(t("chg.help"))
counts.caption(counting, level)
for column, period, weight, records in zip(st.columns(2), (p1, p2), ("weight_1", "weight_2"),
                                           ("records_1", "records_2")):
    chart = charts.network_chart(nodes, links, weight=weight, records=records, title=Period(*period).label)
    column.altair_chart(legend_labels(chart, "change", change_labels), width="stretch", key=f"chg-{weight}")
by_change = links["change"].value_counts().reindex(list(CHANGES), fill_value=0)
st.markdown(f"**{t('chg.counts')}**: " + " · ".join(f"{change_labels[c]} {n}" for c, n in by_change.items()))

st.subheader(t("chg.year"))
st.caption(t("chg.year_help"))
# Each year is compared with the one before it, so the first loaded year has nothing to compare with.
span = [y for y in years[1:] if min(p1[0], p2[0]) <= y <= max(p1[1], p2[1])] or years[-1:]
# Half the width, as each period above: the same layout keeps the same proportions.
left, right = st.columns(2)
year = right.select_slider(t("chg.year_pick"), span, value=span[-1], key="chg_year")
ids = list(nodes["id"])
now, before = data.period_links((year, year), scope, ids), data.period_links((year - 1, year - 1), scope, ids)
own = now[now["source"] == now["target"]].rename(columns={"source": "id", "weight": "records"})[["id", "records"]]
year_nodes = nodes[["id", "label", "x", "y"]].merge(own, on="id", how="left").fillna({"records": 0})
year_links = classify(before, now, counts.EVERY_LINK)
year_chart = charts.network_chart(year_nodes, year_links, weight="weight_2", records="records", title=str(year))
left.altair_chart(legend_labels(year_chart, "change", change_labels), width="stretch", key="chg-year")
year_counts = year_links["change"].value_counts().reindex(list(CHANGES), fill_value=0)
right.markdown(f"**{t('chg.year_counts', year=year, before=year - 1)}**")
right.markdown("\n".join(f"- {change_labels[c]}: {n}" for c, n in year_counts.items()))

st.subheader(t("chg.links"))
table = links.assign(source=links["source"].map(label_of), target=links["target"].map(label_of),
                     change=links["change"].map(change_labels))
st.dataframe(table, hide_index=True, width="stretch", key="chg-links",
             column_config=counts.column_config(table.columns, counting))
downloads("change-links", table)

if counting == FRACTIONAL:
    why_totals_differ("change-reconciliation", t(f"net.why.{level}"), reconcile.network(scope, [p1, p2], ids))

# The second period's network, on the positions drawn above.
second = nodes.assign(records=nodes["records_2"])[["id", "label", "records", "country", "x", "y"]]
edges = links[links["weight_2"] > 0].rename(columns={"weight_2": "weight"})[["source", "target", "weight"]]
network_exports("chg-export", second, edges, stem=f"network-{level}-{p2[0]}-{p2[1]}", title=t("chg.export"))

# Both periods' nodes and the link changes, the queries behind them, the data's fingerprint.
calls = tuple(QueryCall.bound(*scope.nodes_query(Period(*p), top)) for p in (p1, p2))
calls += tuple(QueryCall.bound(*scope.links_query(Period(*p), ids)) for p in (p1, p2))
figures = [Figure("change_nodes", nodes, calls, note=f"{counting} counting"),
           Figure("change_links", links, calls, note=f"{counting} counting")]
bundle_button("chg-bundle", lambda: figures, file_name=f"change-{level}-{p1[0]}-{p1[1]}-{p2[0]}-{p2[1]}.zip")
