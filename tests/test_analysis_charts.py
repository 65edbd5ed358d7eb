"""The analysis charts as Vega-Lite specs: what they draw, from which columns."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.charts import heatmap, network_chart, uncertainty_layer
from analysis.uncertainty import intervals

CELLS = pd.DataFrame([(2019, True, True, 2, 30), (2019, True, False, 2, 50), (2019, False, True, 2, 70),
                      (2020, True, True, 2, 10), (2020, True, False, 2, 25), (2020, False, True, 2, 40)],
                     columns=["year", "has_a", "has_b", "n_countries", "records"])


def test_uncertainty_layer_draws_the_band_and_the_expectation():
    band, ticks = uncertainty_layer(intervals(CELLS), "share_a").to_dict()["layer"]
    assert band["mark"]["type"] == "area" and ticks["mark"]["type"] == "tick"
    assert (band["encoding"]["y"]["field"], band["encoding"]["y2"]["field"]) == ("share_a_lo", "share_a_hi")
    assert ticks["encoding"]["y"]["field"] == "expected"
    # The expected share of a: the expected joint records over a's international records.
    assert {"calculate": "datum.expected_n_ab / (datum.n_a)", "as": "expected"} in ticks["transform"]
    # No axis or title of its own: layered on a chart of the same value it shares that axis.
    assert set(band["encoding"]["y"]) == {"field", "type"}
    with pytest.raises(ValueError):
        uncertainty_layer(intervals(CELLS), "jaccard")


def test_network_chart_places_links_on_the_node_positions():
    nodes = pd.DataFrame({"id": ["A", "B", "C"], "label": ["a", "b", "c"], "x": [0.0, 1.0, -1.0],
                          "y": [0.0, 0.5, -0.5], "records": [5, 3, 1]})
    links = pd.DataFrame({"source": ["A", "B"], "target": ["B", "C"], "weight_1": [2, 0], "weight_2": [3, 1],
                          "change": ["grew", "appeared"]})
    spec = network_chart(nodes, links, weight="weight_1", records="records", title="2019").to_dict()
    drawn = [rows for rows in spec["datasets"].values() if rows and "x2" in rows[0]]
    # Period 1 draws only its own links (B-C has no records then): A-B, from A's position to B's.
    assert len(drawn) == 1 and len(drawn[0]) == 1
    link = drawn[0][0]
    assert (link["x"], link["y"], link["x2"], link["y2"], link["change"]) == (0.0, 0.0, 1.0, 0.5, "grew")


def test_heatmap_orders_rows_and_columns_as_asked():
    cells = pd.DataFrame({"a": ["CN", "US"], "b": ["US", "CN"], "value": [0.4, 0.4], "n_ab": [4, 4],
                          "n_a": [5, 5], "n_b": [5, 5]})
    squares = heatmap(cells, title="closeness", order=["US", "CN"]).to_dict()["layer"][0]
    assert squares["mark"]["type"] == "rect"
    assert squares["encoding"]["x"]["sort"] == squares["encoding"]["y"]["sort"] == ["US", "CN"]
    assert squares["encoding"]["color"]["field"] == "value"
