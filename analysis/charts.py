"""Altair charts of the analyses.  Pure: rows in, chart out (no Streamlit here).

`uncertainty_layer` is made to be layered on a chart that draws the same column by year
(`year:O`): the trends page's closeness line or its share lines.
"""
from __future__ import annotations

import json

import altair as alt
import pandas as pd

from analysis.change import CHANGES

BAND = "#6a4c93"
CHANGE_COLOURS = {"appeared": "#1a9850", "grew": "#91cf60", "same": "#bdbdbd", "shrank": "#fc8d59",
                  "disappeared": "#d73027"}
# What each value is divided by to put the expected joint records on its scale.
_EXPECTED_SCALE = {"closeness": "sqrt(datum.n_a * datum.n_b)", "share_a": "datum.n_a", "share_b": "datum.n_b"}
HEIGHT = 340


def when_small(small, other, channel=alt.OpacityValue):
    """A value that depends on the row's small_counts flag, as a typed channel: Altair turns a
    plain `alt.condition` dict (or a "field:T" string) into its channel class by hashing every
    channel schema, for each channel of each chart on every page run.  The spec is the same."""
    return channel(other, condition={"test": "datum.small_counts", "value": small})


def uncertainty_layer(df: pd.DataFrame, value: str = "closeness", *, colour: str = BAND,
                      label: str = "95% interval", expected_label: str = "expected from size alone",
                      small_label: str = "too few records to read") -> alt.LayerChart:
    """The bootstrap band of `value` (closeness, share_a or share_b) and a tick where size alone
    would put it (the expected joint records on the same scale), from closeness-ci rows.

    The band's y is `{value}_lo`..`{value}_hi`, with no title or axis settings of its own: in
    a layer it shares the value's scale and axis, which the value's own line titles.  Years
    flagged small_counts draw a lighter band.
    """
    if value not in _EXPECTED_SCALE:
        raise ValueError(f"uncertainty_layer draws closeness, share_a or share_b, not {value!r}")
    base = alt.Chart(df).transform_calculate(
        expected=f"datum.expected_n_ab / ({_EXPECTED_SCALE[value]})",
        reading=f"datum.small_counts ? {json.dumps(small_label)} : ''")
    tooltip = [alt.Tooltip("year:O"), alt.Tooltip(f"{value}:Q", format=".3f"),
               alt.Tooltip(f"{value}_lo:Q", title=f"{label} from", format=".3f"),
               alt.Tooltip(f"{value}_hi:Q", title=f"{label} to", format=".3f"),
               alt.Tooltip("expected:Q", title=expected_label, format=".3f"),
               alt.Tooltip("reading:N", title=" ")]
    band = base.mark_area(color=colour).encode(
        x=alt.X("year:O"), y=alt.Y(f"{value}_lo:Q"), y2=alt.Y2(f"{value}_hi:Q"),
        opacity=when_small(0.1, 0.25), tooltip=tooltip)
    # The tick in the band's colour: on a chart of two shares, each tick says whose it is.
    ticks = base.mark_tick(color=colour, thickness=2, size=14).encode(
        x=alt.X("year:O"), y=alt.Y("expected:Q"), tooltip=tooltip)
    return alt.layer(band, ticks)


def closeness_with_interval(df: pd.DataFrame, value: str = "closeness", *, title: str = "closeness",
                            colour: str = BAND) -> alt.LayerChart:
    """A value's line by year over its bootstrap band and expected ticks (closeness-ci rows);
    hollow points mark the years with too few records to read."""
    line = alt.Chart(df).mark_line(color=colour, strokeWidth=2.5).encode(
        x=alt.X("year:O", title=None), y=alt.Y(f"{value}:Q", title=title))
    points = alt.Chart(df).mark_point(color=colour, size=50).encode(
        x=alt.X("year:O"), y=alt.Y(f"{value}:Q"), fill=when_small("white", colour, alt.FillValue),
        tooltip=[alt.Tooltip("year:O"), alt.Tooltip(f"{value}:Q", format=".3f"),
                 alt.Tooltip("n_ab:Q"), alt.Tooltip("n_a:Q"), alt.Tooltip("n_b:Q"),
                 alt.Tooltip("small_counts:N")])
    # The height given to the layer itself: .properties() would deep-copy every layer again.
    return alt.layer(uncertainty_layer(df, value, colour=colour), line, points, height=HEIGHT)


def pairs_chart(series: pd.DataFrame, *, title: str) -> alt.Chart:
    """One line per pair (pair_series rows: pair, year, value)."""
    return alt.Chart(series).mark_line(point=alt.OverlayMarkDef(size=40), strokeWidth=2.5).encode(
        x=alt.X("year:O", title=None),
        y=alt.Y("value:Q", title=title),
        color=alt.Color("pair:N", title=None, legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("pair:N"), alt.Tooltip("year:O"), alt.Tooltip("value:Q", title=title, format=".3f"),
                 alt.Tooltip("n_ab:Q"), alt.Tooltip("n_a:Q"), alt.Tooltip("n_b:Q")],
    ).properties(height=HEIGHT)


def heatmap(cells: pd.DataFrame, *, title: str, order: list[str]) -> alt.LayerChart:
    """The country matrix (matrix.cells_for_chart rows: a, b, value, n_ab) as coloured squares
    with the value written in each."""
    base = alt.Chart(cells).encode(x=alt.X("b:N", sort=order, title=None), y=alt.Y("a:N", sort=order, title=None))
    squares = base.mark_rect().encode(
        color=alt.Color("value:Q", title=title, scale=alt.Scale(scheme="blues")),
        tooltip=[alt.Tooltip("a:N"), alt.Tooltip("b:N"), alt.Tooltip("value:Q", title=title, format=".3f"),
                 alt.Tooltip("n_ab:Q"), alt.Tooltip("n_a:Q"), alt.Tooltip("n_b:Q")])
    # White text on the darkest squares, dark text elsewhere.
    dark = 0.6 * float(cells["value"].max()) if cells["value"].notna().any() else 0.0
    text = base.mark_text(fontSize=11).encode(
        text=alt.Text("value:Q", format=".2f"),
        color=alt.ColorValue("#222", condition={"test": f"datum.value > {dark}", "value": "white"}))
    size = max(220, 56 * len(order))
    return alt.layer(squares, text, width=size, height=size)


def network_chart(nodes: pd.DataFrame, links: pd.DataFrame, *, weight: str, records: str, title: str,
                  labels: int = 15, height: int = 520) -> alt.LayerChart:
    """A network on fixed positions: links as lines coloured by their change, nodes as circles
    sized by `records`.  `nodes` has id, label, x, y and the `records` column; `links` has
    source, target, change and the `weight` column.  The same positions give the same
    picture, so two periods side by side compare at a glance."""
    where = nodes.set_index("id")[["x", "y"]]
    drawn = links[links[weight] > 0].copy() if weight in links else links.iloc[0:0].copy()
    drawn["x"], drawn["y"] = drawn["source"].map(where["x"]), drawn["source"].map(where["y"])
    drawn["x2"], drawn["y2"] = drawn["target"].map(where["x"]), drawn["target"].map(where["y"])
    drawn["value"] = drawn[weight] if weight in drawn else 0
    drawn = drawn.sort_values("value")      # the strongest links drawn last, on top
    axis_x = dict(axis=None, scale=alt.Scale(domain=_span(nodes["x"])))
    axis_y = dict(axis=None, scale=alt.Scale(domain=_span(nodes["y"])))
    colour = alt.Color("change:N", title=None, legend=alt.Legend(orient="bottom"),
                       scale=alt.Scale(domain=list(CHANGES), range=[CHANGE_COLOURS[c] for c in CHANGES]))
    lines = alt.Chart(drawn).mark_rule().encode(
        x=alt.X("x:Q", **axis_x), y=alt.Y("y:Q", **axis_y), x2=alt.X2("x2:Q"), y2=alt.Y2("y2:Q"), color=colour,
        strokeWidth=alt.StrokeWidth("value:Q", legend=None, scale=alt.Scale(range=[0.6, 6])),
        opacity=alt.Opacity("value:Q", legend=None, scale=alt.Scale(range=[0.4, 0.95])),
        tooltip=[alt.Tooltip("source:N"), alt.Tooltip("target:N"), alt.Tooltip("value:Q", title=title),
                 alt.Tooltip("change:N")])
    shown = nodes.assign(size=nodes[records], text=_top_labels(nodes, records, labels))
    dots = alt.Chart(shown).mark_circle(color="#4e79a7", opacity=0.85, stroke="white").encode(
        x=alt.X("x:Q", **axis_x), y=alt.Y("y:Q", **axis_y),
        size=alt.Size("size:Q", legend=None, scale=alt.Scale(range=[20, 900])),
        tooltip=[alt.Tooltip("label:N"), alt.Tooltip("size:Q", title=records)])
    names = alt.Chart(shown).mark_text(fontSize=10, dy=-10, color="#222").encode(
        x=alt.X("x:Q", **axis_x), y=alt.Y("y:Q", **axis_y), text=alt.Text("text:N"))
    return alt.layer(lines, dots, names, title=title, height=height)


def _span(values: pd.Series) -> list[float]:
    """The values' range with a margin, so the outermost nodes and their labels stay inside."""
    low, high = (float(values.min()), float(values.max())) if len(values) else (-1.0, 1.0)
    margin = 0.08 * (high - low) or 1.0
    return [low - margin, high + margin]


def _top_labels(nodes: pd.DataFrame, column: str, count: int) -> pd.Series:
    # Only the largest nodes carry a label: a hundred names on one picture read as none.
    keep = nodes[column].rank(ascending=False, method="first") <= count
    return nodes["label"].where(keep, "")

