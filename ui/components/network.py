"""The collaboration network view: nodes and links from a network query, a fixed layout, pyvis HTML.

The layout is computed here (networkx `spring_layout`, fixed seed) and handed to
vis-network with physics off, so the same filters always draw the same picture
and nothing moves while the analyst reads it.

Names and titles are untrusted text (they come from export files).  Every label
and tooltip is `html.escape`d here, so the page never carries markup from a
name; the page turns tooltips into elements from those escaped fragments and
labels back into plain text for the canvas (templates/network.html).  The node
and link lists reach the page through Jinja's `tojson`, which also escapes `<`,
`>` and `&` inside the script.
"""
from __future__ import annotations

import html
import math
from pathlib import Path

import networkx as nx
import pandas as pd
import pyvis
from jinja2 import ChoiceLoader, Environment, FileSystemLoader
from pyvis.edge import Edge
from pyvis.network import Network

TEMPLATES = Path(__file__).parent / "templates"
PYVIS_TEMPLATES = Path(pyvis.__file__).parent / "templates"   # vis-network's own files, inlined
# Tableau 10 without its grey, which marks the countries beyond the ninth.
PALETTE = ["#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7", "#9c755f"]
OTHER = "#bab0ac"
LABELLED = 25          # nodes with most records that carry a label; the rest show it on hover
SEED = 7


def split(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A network query's rows as nodes (id, name, name_zh, country, records) and links
    (source, target, weight); see cypher/network_institutions.cypher."""
    is_node = rows["source"] == rows["target"]
    nodes = rows[is_node].rename(columns={"source": "id", "source_name": "name", "source_zh": "name_zh",
                                          "source_country": "country", "weight": "records"})
    nodes = nodes[["id", "name", "name_zh", "country", "records"]].reset_index(drop=True)
    links = rows[~is_node][["source", "target", "weight"]].reset_index(drop=True)
    return nodes, links


def layout(nodes: pd.DataFrame, links: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """Positions in pixels: force-directed, seeded, the same every time for the same input."""
    g = nx.Graph()
    g.add_nodes_from(nodes["id"])
    for row in links.itertuples(index=False):
        # log weights: one dominant pair should not pull everything into a knot.  A fractional
        # weight under 1 pulls as 1 does: its log would push the pair apart.
        g.add_edge(row.source, row.target, strength=1.0 + math.log(max(row.weight, 1.0)))
    if len(g) == 0:
        return {}
    scale = 200 + 35 * math.sqrt(len(g))
    positions = nx.spring_layout(g, seed=SEED, weight="strength", scale=scale,
                                 k=1.6 / math.sqrt(len(g)), iterations=120)
    return {node: (float(x), float(y)) for node, (x, y) in positions.items()}


# The study's pair keeps its colours in every view (as in the trend charts).
FIXED = {"CN": "#e15759", "US": "#4e79a7"}


def colours(nodes: pd.DataFrame) -> dict[str, str]:
    """A colour per country: China and the US their own, the other countries with most nodes
    the rest of the palette, the remainder grey."""
    order = nodes.groupby("country", dropna=False).size().sort_values(ascending=False, kind="stable")
    free = [c for c in PALETTE if c not in FIXED.values()]
    others = [code for code in order.index if code not in FIXED][:len(free)]
    palette = {code: colour for code, colour in FIXED.items() if code in order.index}
    palette.update(zip(others, free))
    return palette


def _size(records: float, most: float) -> float:
    return 7 + 26 * math.sqrt(records / most) if most > 0 else 7


def page(nodes: pd.DataFrame, links: pd.DataFrame, positions: dict[str, tuple[float, float]], *,
         node_label, country_label, other_label: str, tip: dict[str, str], height: int, decimals: int = 0) -> str:
    """The HTML document for `st.components.v1.html`.

    `node_label(row)` and `country_label(code)` give display names in the chosen language;
    `tip` holds the words used in tooltips ('records', 'shared'); `decimals`: the digits
    written after the point in them (fractional counts: 2).
    """
    net = Network(height=f"{height}px", width="100%", bgcolor="#ffffff", cdn_resources="in_line")
    net.templateEnv = Environment(loader=ChoiceLoader([FileSystemLoader(str(TEMPLATES)),
                                                       FileSystemLoader(str(PYVIS_TEMPLATES))]))
    net.path = "network.html"
    palette = colours(nodes)
    most = float(nodes["records"].max()) if len(nodes) else 0.0
    labelled = set(nodes.nlargest(LABELLED, "records")["id"])
    names = {}
    for row in nodes.itertuples(index=False):
        label = node_label(row)
        names[row.id] = label
        colour = palette.get(row.country, OTHER)
        x, y = positions.get(row.id, (0.0, 0.0))
        country = country_label(row.country)
        title = (f"<b>{html.escape(label)}</b><br>{html.escape(country)}<br>"
                 f"{html.escape(tip['records'])}: {row.records:,.{decimals}f}")
        net.add_node(row.id, label=html.escape(label) if row.id in labelled else " ",
                     title=title, color=colour, size=_size(float(row.records), most), x=x, y=y,
                     physics=False, legend=country if row.country in palette else other_label)
    most_link = float(links["weight"].max()) if len(links) else 0.0
    for row in links.itertuples(index=False):
        title = (f"{html.escape(names[row.source])} – {html.escape(names[row.target])}<br>"
                 f"{html.escape(tip['shared'])}: {row.weight:,.{decimals}f}")
        # Appended as pyvis's add_edge would, without its search of every edge so far for a
        # duplicate (quadratic: half a second at 5,000 links): each pair is one row here, and
        # both ends are nodes (`names` has them, or the title above fails).
        net.edges.append(Edge(row.source, row.target, net.directed, title=title,
                              width=1 + 7 * row.weight / most_link if most_link else 1).options)
    net.options = {
        "physics": {"enabled": False},
        "interaction": {"hover": True, "tooltipDelay": 100, "hideEdgesOnDrag": len(links) > 2000},
        "nodes": {"shape": "dot", "borderWidth": 1,
                  "font": {"size": 24, "strokeWidth": 4, "strokeColor": "#ffffff"}},
        "edges": {"smooth": False, "color": {"color": "#9aa5b1", "opacity": 0.45, "highlight": "#222"}},
    }
    return net.generate_html()
