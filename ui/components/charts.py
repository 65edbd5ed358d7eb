"""The study's figures as Altair charts.  Pure: rows in, chart out (no Streamlit here).

The trend chart keeps the query's rows as its data, unchanged: the bars and the
line are drawn from them with `transform_fold`, so what the chart shows is what
the table under it lists (a test compares the two).
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import altair as alt
import pandas as pd

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
        x="year:O", tooltip=[alt.Tooltip("date:N"), alt.Tooltip("label:N")])
    text = alt.Chart(per_year).mark_text(baseline="bottom", dy=-4, fontSize=10, color="#444").encode(
        x="year:O", y=alt.value(0), text="mark:N", tooltip=[alt.Tooltip("label:N")])
    return [rule, text]


def bars_and_line(df: pd.DataFrame, bars: dict[str, str], line: tuple[str, str], *, bar_title: str,
                  line_title: str, line_percent: bool = False, events: pd.DataFrame | None = None,
                  colours: list[str] | None = None) -> alt.LayerChart:
    """Grouped bars per year (counts, left axis) and a ratio as a line on its own right axis.

    `bars` maps columns of `df` to legend labels; `line` is (column, label).
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
        tooltip=[alt.Tooltip("year:O"), alt.Tooltip("series:N"), alt.Tooltip("records:Q")],
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
    return alt.layer(bar_layer, line_layer, *_event_layers(events, years)).resolve_scale(
        y="independent").properties(height=HEIGHT)


def lines(df: pd.DataFrame, series: dict[str, str], *, title: str, percent: bool = True,
          events: pd.DataFrame | None = None, colours: list[str] | None = None) -> alt.LayerChart:
    """One line per column of `df` named in `series` (column -> legend label), by year."""
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
    return alt.layer(layer, *_event_layers(events, years)).properties(height=HEIGHT)


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
        y=alt.Y(f"{label}:N", sort=order), x="end:Q", text=f"{change}:N")
    return alt.layer(bars, text).properties(height=max(HEIGHT, 46 * len(df)))
