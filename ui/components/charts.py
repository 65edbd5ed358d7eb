"""The study's figures as Altair charts.  Pure: rows in, chart out (no Streamlit here).

The trend chart keeps the query's rows as its data, unchanged: the bars and the
line are drawn from them with `transform_fold`, so what the chart shows is what
the table under it lists (a test compares the two).
"""
from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path

import altair as alt
import pandas as pd

from analysis.charts import when_small

EVENTS_CSV = Path(__file__).resolve().parents[1] / "data" / "policy_events.csv"
# Country a, country b, the pair, the ratio line: readable on white and for common colour blindness.
SERIES_COLOURS = ["#d1495b", "#2e86ab", "#6a4c93", "#edae49"]
YEAR_COLOURS = ["#9db4c0", "#2e86ab"]
HEIGHT = 340


def policy_events(lang: str) -> pd.DataFrame:
    """ui/data/policy_events.csv: date (YYYY-MM), year, label in the chosen language."""
    with open(EVENTS_CSV, encoding="utf-8", newline="") as fp:
        rows = [{"date": row["date"], "year": int(row["date"][:4]),
                 "label": row["label_zh"] if lang == "zh" else row["label_en"]} for row in csv.DictReader(fp)]
    return pd.DataFrame(rows, columns=["date", "year", "label"])


def level(chart, **config):
    """Years (or country codes) written level under the x axis; `config`:
    more of the chart's configuration (range=...).  Given as plain values on a shallow copy:
    configure_axisX() checks each new Config object against the whole Vega-Lite schema."""
    if chart.config is not alt.Undefined:
        return chart.configure_axisX(labelAngle=0)
    out = chart.copy(deep=False)
    # In Config's own (alphabetical) order, so the spec's text is the one configure_* wrote.
    out.config = dict(sorted({**config, "axisX": {"labelAngle": 0}}.items()))
    return out


def year_spans(years: list[int]) -> str:
    """[2007, 2008, 2009, 2012] -> '2007–2009, 2012': a list of flagged years, short."""
    spans: list[list[int]] = []
    for year in sorted(years):
        if spans and year == spans[-1][1] + 1:
            spans[-1][1] = year
        else:
            spans.append([year, year])
    return ", ".join(str(lo) if lo == hi else f"{lo}–{hi}" for lo, hi in spans)


def legend_labels(chart: alt.LayerChart, field: str, labels: dict[str, str]) -> alt.LayerChart:
    """A copy of the layered chart whose colour legend on `field` names each value by `labels`
    (value -> shown label): for a chart drawn from English category names, in another language.
    Layers coloured by another field, or by none, are left as they are."""
    expr = "datum.label"
    for value, label in reversed(list(labels.items())):
        expr = f"datum.label === {json.dumps(value)} ? {json.dumps(label)} : ({expr})"
    out = chart.copy(deep=True)
    for layer in out.layer:
        colour = getattr(layer, "encoding", alt.Undefined)
        colour = colour.color if colour is not alt.Undefined else alt.Undefined
        # The field may be written as a shorthand ("change:N"): read it from the channel's spec.
        if colour is not alt.Undefined and colour.to_dict().get("field") == field:
            # Read as an item: as an attribute a channel's `legend` is its chaining method.
            legend = colour["legend"] if colour["legend"] not in (alt.Undefined, None) else alt.Legend()
            legend.labelExpr = expr
            colour.legend = legend
    return out


def _labels(column: str, labels: dict[str, str]) -> str:
    """A Vega expression naming each folded column by its label (labels quoted as JSON strings)."""
    expr = json.dumps(column)
    for key, label in reversed(list(labels.items())):
        expr = f"datum[{json.dumps(column)}] === {json.dumps(key)} ? {json.dumps(label)} : ({expr})"
    return expr


def _event_layers(events: pd.DataFrame | None, years: list[int]) -> list[alt.Chart]:
    """Dashed rules at the years of policy events, with their dates on top and labels as tooltips."""
    if events is None or events.empty or not years:
        return []
    shown = events[events["year"].isin(years)]
    if shown.empty:
        return []
    per_year = shown.groupby("year").agg(date=("date", " / ".join), label=("label", " · ".join)).reset_index()
    # Several events in one year share a marker: "2022-08/10/12".
    per_year["mark"] = [d.split(" / ")[0] + "".join("/" + x[5:] for x in d.split(" / ")[1:])
                        for d in per_year["date"]]
    rule = alt.Chart(per_year).mark_rule(strokeDash=[4, 3], color="#666", strokeWidth=1.2).encode(
        x=alt.X("year:O"), tooltip=[alt.Tooltip("date:N"), alt.Tooltip("label:N")])
    text = alt.Chart(per_year).mark_text(baseline="bottom", dy=-4, fontSize=10, color="#444").encode(
        x=alt.X("year:O"), y=alt.YValue(0), text=alt.Text("mark:N"), tooltip=[alt.Tooltip("label:N")])
    return [rule, text]


def bars_and_line(df: pd.DataFrame, bars: dict[str, str], line: tuple[str, str], *, bar_title: str,
                  line_title: str, line_percent: bool = False, events: pd.DataFrame | None = None,
                  colours: list[str] | None = None, line_layers: Sequence[alt.TopLevelMixin] = (),
                  bar_format: str | None = None) -> alt.LayerChart:
    """Grouped bars per year (counts, left axis) and a ratio as a line on its own right axis.

    `bars` maps columns of `df` to legend labels; `line` is (column, label).  `line_layers`
    (an interval band, say) are drawn with the line, on the line's scale and axis.  `bar_format`:
    how the bars' tooltips write a count (',.2f' for fractional counts).
    """
    colours = colours or SERIES_COLOURS
    domain = list(bars.values()) + [line[1]]
    colour = alt.Color("series:N", title=None, scale=alt.Scale(domain=domain, range=colours[:len(domain)]),
                       legend=alt.Legend(orient="bottom", labelLimit=420))
    base = alt.Chart(df)
    bar_layer = base.transform_fold(list(bars), as_=["column", "records"]).transform_calculate(
        series=_labels("column", bars)).mark_bar().encode(
        x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("series:N", sort=list(bars.values())),
        y=alt.Y("records:Q", title=bar_title),
        color=colour,
        tooltip=[alt.Tooltip("year:O"), alt.Tooltip("series:N"),
                 alt.Tooltip("records:Q", **({"format": bar_format} if bar_format else {}))],
    )
    line_format = ".0%" if line_percent else ".2f"
    line_layer = base.transform_calculate(series=json.dumps(line[1])).mark_line(
        point=alt.OverlayMarkDef(size=40), strokeWidth=2.5).encode(
        x=alt.X("year:O"),
        y=alt.Y(f"{line[0]}:Q", title=line_title, axis=alt.Axis(orient="right", format=line_format)),
        color=colour,
        tooltip=[alt.Tooltip("year:O"), alt.Tooltip(f"{line[0]}:Q", title=line[1], format=".3f")],
    )
    years = [int(y) for y in df["year"]]
    # The line's layers go in a layer of their own: beside the bars, they would get the bars' scale.
    line_group = alt.layer(line_layer, *line_layers) if line_layers else line_layer
    # Height and scales given to the layer itself: .properties() and .resolve_scale() would each
    # deep-copy every layer again.
    return alt.layer(bar_layer, line_group, *_event_layers(events, years), height=HEIGHT,
                     resolve=alt.Resolve(scale=alt.ScaleResolveMap(y="independent")))


def lines(df: pd.DataFrame, series: dict[str, str], *, title: str, percent: bool = True,
          events: pd.DataFrame | None = None, colours: list[str] | None = None,
          layers: Sequence[alt.TopLevelMixin] = ()) -> alt.LayerChart:
    """One line per column of `df` named in `series` (column -> legend label), by year; `layers`
    (interval bands, say) share the lines' scale and axis."""
    colours = colours or SERIES_COLOURS
    layer = alt.Chart(df).transform_fold(list(series), as_=["column", "value"]).transform_calculate(
        series=_labels("column", series)).mark_line(point=alt.OverlayMarkDef(size=40),
                                                               strokeWidth=2.5).encode(
        x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=title, axis=alt.Axis(format=".0%" if percent else ",d")),
        color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom", labelLimit=420),
                        scale=alt.Scale(domain=list(series.values()), range=colours[:len(series)])),
        tooltip=[alt.Tooltip("year:O"), alt.Tooltip("series:N"),
                 alt.Tooltip("value:Q", format=".1%" if percent else ",d")],
    )
    years = [int(y) for y in df["year"]]
    return alt.layer(layer, *layers, *_event_layers(events, years), height=HEIGHT)


def interval_points(ci: pd.DataFrame, value: str, *, colour: str, tips: dict[str, str]) -> alt.Chart:
    """Points on `value` (closeness-ci rows) that say everything about a year when hovered: the
    value, its 95% interval, the expected joint records and observed / expected.  Years with too
    few records to read get a hollow point, drawn over the line's own filled one.

    `tips` names the tooltip fields in the page's language (keys value, interval, joint, expected,
    observed_expected, small).
    """
    hollow = when_small("white", colour, alt.FillValue)
    return alt.Chart(ci).transform_calculate(
        interval=f"format(datum.{value}_lo, '.3f') + ' – ' + format(datum.{value}_hi, '.3f')",
        reading=f"datum.small_counts ? {json.dumps(tips['small'])} : ''").mark_point(
        size=40, filled=True, stroke=colour, strokeWidth=2, opacity=1).encode(
        x=alt.X("year:O"), y=alt.Y(f"{value}:Q"), fill=hollow,
        tooltip=[alt.Tooltip("year:O"), alt.Tooltip(f"{value}:Q", title=tips["value"], format=".3f"),
                 alt.Tooltip("interval:N", title=tips["interval"]),
                 alt.Tooltip("n_ab:Q", title=tips["joint"], format=",.4~f"),
                 alt.Tooltip("expected_n_ab:Q", title=tips["expected"], format=",.1f"),
                 alt.Tooltip("observed_expected:Q", title=tips["observed_expected"], format=".2f"),
                 alt.Tooltip("reading:N", title=" ")])


def paired_bars(df: pd.DataFrame, *, label: str, values: tuple[str, str], years: tuple[str, str],
                change: str, title: str, percent: bool = False) -> alt.LayerChart:
    """Figure 2: for each institution (rows of `df`, in order), two years side by side, and the
    change between them written at the end of the pair.

    `label` names the column with the displayed name, `values` the two value columns, `years`
    their legend labels, `change` a column of ready-formatted change texts.
    """
    order = list(df[label])
    base = alt.Chart(df)
    bars = base.transform_fold(list(values), as_=["column", "value"]).transform_calculate(
        year=_labels("column", dict(zip(values, years)))).mark_bar().encode(
        y=alt.Y(f"{label}:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
        yOffset=alt.YOffset("year:N", sort=list(years)),
        x=alt.X("value:Q", title=title, axis=alt.Axis(format=".0%" if percent else ",d")),
        color=alt.Color("year:N", title=None, sort=list(years),
                        scale=alt.Scale(domain=list(years), range=YEAR_COLOURS), legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip(f"{label}:N", title=" "), alt.Tooltip("year:N"),
                 alt.Tooltip("value:Q", format=".1%" if percent else ",.1f")],
    )
    text = base.transform_calculate(end=f"max(datum[{json.dumps(values[0])}] || 0, "
                                        f"datum[{json.dumps(values[1])}] || 0)").mark_text(
        align="left", dx=6, fontSize=11, color="#333").encode(
        y=alt.Y(f"{label}:N", sort=order), x=alt.X("end:Q"), text=alt.Text(f"{change}:N"))
    return alt.layer(bars, text, height=max(HEIGHT, 46 * len(df)))
