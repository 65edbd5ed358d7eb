"""The charts are built the cheap way (typed channels, a layer's height and scales given to the
layer, a configuration set without Altair's per-object schema check) and must still write the
spec the usual Altair idioms write: same dict, same JSON text, so the page draws the same chart.
Each test builds one chart both ways and compares them, then checks the spec says what the
page needs (so two equally wrong specs fail too)."""
from __future__ import annotations

import json

import altair as alt
import pandas as pd
import pytest

from analysis.charts import closeness_with_interval, heatmap, network_chart, when_small
from ui.components.charts import bars_and_line, level, lines, paired_bars, policy_events

# Three years of a pair, as the closeness and closeness_records queries return them; 2019 has
# few records (small_counts), 2020 and 2021 enough.
ROWS = pd.DataFrame({"year": [2019, 2020, 2021], "n_ab": [4, 12, 15], "n_a": [20, 40, 50], "n_b": [25, 45, 60],
                     "closeness": [4 / (500 ** 0.5), 12 / (1800 ** 0.5), 15 / (3000 ** 0.5)],
                     "share_a": [0.2, 0.3, 0.3], "share_b": [0.16, 12 / 45, 0.25]})
CI = ROWS.assign(closeness_lo=ROWS["closeness"] - 0.05, closeness_hi=ROWS["closeness"] + 0.05,
                 share_a_lo=ROWS["share_a"] - 0.05, share_a_hi=ROWS["share_a"] + 0.05,
                 share_b_lo=ROWS["share_b"] - 0.05, share_b_hi=ROWS["share_b"] + 0.05,
                 n_intl=[100, 150, 160], expected_n_ab=[5.0, 12.0, 18.75], observed_expected=[0.8, 1.0, 0.8],
                 small_counts=[True, False, False])


def same_spec(fast, usual) -> dict:
    spec = fast.to_dict()
    assert spec == usual.to_dict()
    assert json.dumps(spec) == json.dumps(usual.to_dict())
    return spec


def test_level_writes_what_configure_axis_x_writes():
    chart = closeness_with_interval(CI, title="closeness")
    spec = same_spec(level(chart), chart.configure_axisX(labelAngle=0))
    assert spec["config"]["axisX"] == {"labelAngle": 0}
    # With a colour range, in the order configure_* keeps (axisX before range).
    pairs = alt.Chart(ROWS).mark_line().encode(x=alt.X("year:O"), y=alt.Y("closeness:Q"))
    colours = ["#2e86ab", "#d1495b"]
    spec = same_spec(level(pairs, range={"category": colours}),
                     pairs.configure_range(category=colours).configure_axisX(labelAngle=0))
    assert list(spec["config"])[-2:] == ["axisX", "range"]
    # A chart configured already keeps its configuration.
    configured = pairs.configure_range(category=colours)
    assert level(configured).to_dict()["config"]["range"] == {"category": colours}


@pytest.mark.parametrize("channel, small, other", [(alt.OpacityValue, 0.1, 0.25), (alt.FillValue, "white", "#6a4c93")])
def test_when_small_is_the_condition_on_the_small_counts_flag(channel, small, other):
    name = "opacity" if channel is alt.OpacityValue else "fill"
    base = alt.Chart(CI).mark_point()
    spec = same_spec(base.encode(**{name: when_small(small, other, channel)}),
                     base.encode(**{name: alt.condition("datum.small_counts", alt.value(small), alt.value(other))}))
    assert spec["encoding"][name] == {"condition": {"test": "datum.small_counts", "value": small}, "value": other}


def test_typed_channels_write_what_shorthand_strings_write():
    base = alt.Chart(pd.DataFrame({"x": [0.0], "y": [0.0], "x2": [1.0], "y2": [1.0], "t": ["a"]}))
    same_spec(base.mark_rule().encode(x=alt.X("x:Q"), y=alt.Y("y:Q"), x2=alt.X2("x2:Q"), y2=alt.Y2("y2:Q")),
              base.mark_rule().encode(x="x:Q", y="y:Q", x2="x2:Q", y2="y2:Q"))
    same_spec(base.mark_text().encode(x=alt.X("x:Q"), y=alt.YValue(0), text=alt.Text("t:N")),
              base.mark_text().encode(x="x:Q", y=alt.value(0), text="t:N"))


def test_a_layers_height_and_scales_given_to_the_layer_are_those_set_after():
    bars = alt.Chart(ROWS).mark_bar().encode(x=alt.X("year:O"), y=alt.Y("n_ab:Q"))
    line = alt.Chart(ROWS).mark_line().encode(x=alt.X("year:O"), y=alt.Y("closeness:Q"))
    spec = same_spec(alt.layer(bars, line, height=340, resolve=alt.Resolve(scale=alt.ScaleResolveMap(y="independent"))),
                     alt.layer(bars, line).resolve_scale(y="independent").properties(height=340))
    assert spec["height"] == 340 and spec["resolve"] == {"scale": {"y": "independent"}}
    same_spec(alt.layer(bars, line, title="2010–2015", height=520),
              alt.layer(bars, line).properties(title="2010–2015", height=520))
    same_spec(alt.layer(bars, line, width=220, height=220), alt.layer(bars, line).properties(width=220, height=220))


def test_the_pages_charts_keep_their_size_and_layers():
    """What the pages draw, read back from the specs: the trend chart's bars and line on two
    y scales, 340 px high; the shares' lines; the interval chart's band, line and points; the
    heatmap square; the network's links, nodes and names."""
    events = policy_events("en")
    trend = bars_and_line(ROWS, {"n_a": "A", "n_b": "B", "n_ab": "A–B"}, ("closeness", "Closeness"),
                          bar_title="Papers", line_title="Closeness", events=events).to_dict()
    assert trend["height"] == 340 and trend["resolve"] == {"scale": {"y": "independent"}}
    assert [layer.get("mark", {}).get("type") for layer in trend["layer"][:2]] == ["bar", "line"]
    shares = lines(ROWS, {"share_a": "A", "share_b": "B"}, title="Share").to_dict()
    assert shares["height"] == 340 and shares["layer"][0]["mark"]["type"] == "line"
    ci = closeness_with_interval(CI, title="Closeness").to_dict()
    assert ci["height"] == 340
    band = ci["layer"][0]["layer"][0]
    # y2 and x2 take their type from y and x: Vega-Lite writes the field alone.
    assert band["mark"]["type"] == "area" and band["encoding"]["y2"] == {"field": "closeness_hi"}
    cells = pd.DataFrame({"a": ["CN", "US"], "b": ["US", "CN"], "value": [0.5, 0.5], "n_ab": [3, 3], "n_a": [6, 6],
                          "n_b": [6, 6]})
    square = heatmap(cells, title="Closeness", order=["CN", "US"]).to_dict()
    # 56 px a country, at least 220.
    assert square["width"] == square["height"] == 220
    assert square["layer"][1]["encoding"]["color"]["condition"] == {"test": "datum.value > 0.3", "value": "white"}
    nodes = pd.DataFrame({"id": ["a", "b"], "label": ["A", "B"], "x": [0.0, 1.0], "y": [0.0, 1.0], "records": [5, 3]})
    links = pd.DataFrame({"source": ["a"], "target": ["b"], "weight_1": [2], "change": ["grew"]})
    net = network_chart(nodes, links, weight="weight_1", records="records", title="2010–2015").to_dict()
    assert net["title"] == "2010–2015" and net["height"] == 520
    assert [layer["mark"]["type"] for layer in net["layer"]] == ["rule", "circle", "text"]
    assert net["layer"][0]["encoding"]["x2"] == {"field": "x2"}
    bars = paired_bars(pd.DataFrame({"name": ["X", "Y"], "v1": [1, 2], "v2": [3, 1], "chg": ["+2", "-1"]}),
                       label="name", values=("v1", "v2"), years=("2010", "2020"), change="chg", title="Records")
    assert bars.to_dict()["height"] == 340
