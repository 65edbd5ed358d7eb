"""The network view's HTML document (ui/components/network.page): every link drawn once, as
pyvis writes an edge, with its width and tooltip."""
from __future__ import annotations

import json
import re

import pandas as pd

from ui.components import network as nw

NODES = pd.DataFrame({"id": ["CN:A", "US:B", "JP:C"], "name": ["A", "B", "C"], "name_zh": [None, None, None],
                      "country": ["CN", "US", "JP"], "records": [10, 6, 4]})
LINKS = pd.DataFrame({"source": ["CN:A", "CN:A", "JP:C"], "target": ["US:B", "JP:C", "US:B"], "weight": [4, 2, 1]})


def _list(document: str, name: str) -> list[dict]:
    return json.loads(re.search(rf"var {name} = (\[.*?\]);\n", document).group(1))


def test_each_link_is_one_edge_with_its_width_and_tooltip():
    document = nw.page(NODES, LINKS, nw.layout(NODES, LINKS), node_label=lambda row: row.name,
                       country_label=lambda code: code, other_label="other",
                       tip={"records": "records", "shared": "shared"}, height=400)
    edges = _list(document, "edgeList")
    # Widths by hand: 1 + 7 * weight / 4 (the heaviest link weighs 4).
    assert [(e["from"], e["to"], e["width"]) for e in edges] == [("CN:A", "US:B", 8.0), ("CN:A", "JP:C", 4.5),
                                                                ("JP:C", "US:B", 2.75)]
    assert edges[1]["title"] == "A – C<br>shared: 2"
    assert [n["id"] for n in _list(document, "nodeList")] == ["CN:A", "US:B", "JP:C"]
