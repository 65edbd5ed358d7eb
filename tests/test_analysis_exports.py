"""Network exports read back by other readers; the bundle and the data fingerprint."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from analysis import AnalysisError
from analysis.bundle import Figure, QueryCall, bundle_bytes, fingerprint, write_bundle
from analysis.exports import VOS_COLUMNS, export, prepare, split_network, write_pajek, write_vosviewer
from cypher import runner
from loader.pipeline import load_paths

SMALL = Path(__file__).parent / "data" / "small_wos.txt"

# Labels an export must survive: a comma, a semicolon and quotes, Chinese, and one name that two
# institutions in two countries share.
NODES = pd.DataFrame({
    "id": ["CN:Tsinghua University", "US:Univ X", "CN:Univ X", "US:Smith, Jones & Co"],
    "label": ["清华大学", "Univ X", "Univ X", 'Smith, Jones & "Co"; Ltd'],
    "records": [12, 7, 3, 1],
    "country": ["CN", "US", "CN", "US"],
})
EDGES = pd.DataFrame({"source": ["CN:Tsinghua University", "US:Univ X", "US:Smith, Jones & Co"],
                      "target": ["US:Univ X", "CN:Univ X", "CN:Tsinghua University"],
                      "weight": [5, 2, 1]})


def weights_by_label(g: nx.Graph) -> dict[frozenset, float]:
    return {frozenset((g.nodes[u].get("label", u), g.nodes[v].get("label", v))): float(d["weight"])
            for u, v, d in g.edges(data=True)}


EXPECTED = {frozenset(("清华大学", "Univ X [US:Univ X]")): 5.0,
            frozenset(("Univ X [US:Univ X]", "Univ X [CN:Univ X]")): 2.0,
            frozenset(('Smith, Jones & "Co"; Ltd', "清华大学")): 1.0}


@pytest.mark.parametrize("fmt, reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graphml_and_gexf_round_trip(tmp_path, fmt, reader):
    [path] = export(NODES, EDGES, fmt, tmp_path / f"net.{fmt}")
    g = reader(path)
    assert g.number_of_nodes() == 4 and g.number_of_edges() == 3
    assert weights_by_label(g) == EXPECTED
    tsinghua = g.nodes["CN:Tsinghua University"]
    assert tsinghua["records"] == 12 and tsinghua["country"] == "CN"
    assert {"x", "y", "cluster"} <= set(tsinghua)


def test_gexf_carries_positions_for_gephi(tmp_path):
    [path] = export(NODES, EDGES, "gexf", tmp_path / "net.gexf")
    viz = nx.read_gexf(path).nodes["CN:Tsinghua University"]["viz"]
    assert set(viz["position"]) == {"x", "y", "z"} and viz["size"] > 0


def test_pajek_round_trip():
    buf = io.StringIO()
    write_pajek(NODES, EDGES, buf)
    text = buf.getvalue()
    assert text.startswith("*Vertices 4\n") and "\n*Edges\n" in text
    g = nx.read_pajek(io.BytesIO(text.encode("utf-8")))
    assert g.number_of_nodes() == 4 and g.number_of_edges() == 3
    # Pajek labels are in double quotes: a double quote inside one becomes a single quote.
    weights = {frozenset((u, v)): d["weight"] for u, v, d in g.edges(data=True)}
    assert weights[frozenset(("清华大学", "Univ X [US:Univ X]"))] == 5.0
    assert weights[frozenset(("Smith, Jones & 'Co'; Ltd", "清华大学"))] == 1.0


def test_vosviewer_map_and_network_files():
    map_fp, network_fp = io.StringIO(), io.StringIO()
    write_vosviewer(NODES, EDGES, map_fp, network_fp)
    lines = map_fp.getvalue().splitlines()
    assert lines[0].split("\t") == VOS_COLUMNS == ["id", "label", "x", "y", "cluster", "weight<Links>",
                                                   "weight<Total link strength>", "weight<Documents>"]
    items = [line.split("\t") for line in lines[1:]]
    assert [int(i[0]) for i in items] == [1, 2, 3, 4]
    by_label = {i[1]: i for i in items}
    # Tsinghua: links to Univ X (US) and Smith: 2 links, strength 5 + 1, 12 documents.
    assert by_label["清华大学"][5:] == ["2", "6", "12"]
    # A label with a comma or semicolon is quoted, as VOSviewer requires.
    assert "\"Smith, Jones & 'Co'; Ltd\"" in by_label
    assert all(float(i[2]) == float(i[2]) and 1 <= int(i[4]) <= 1000 for i in items)
    # The network file: three tab-separated columns, no header, ids from the map file.
    rows = [line.split("\t") for line in network_fp.getvalue().splitlines()]
    assert all(len(r) == 3 for r in rows)
    number = {i[1]: i[0] for i in items}
    assert [number["清华大学"], number["Univ X [US:Univ X]"], "5"] in rows
    assert len(rows) == 3


def test_csv_files(tmp_path):
    nodes_path, edges_path = export(NODES, EDGES, "csv", tmp_path / "net.csv")
    assert nodes_path.name == "net_nodes.csv" and edges_path.name == "net_edges.csv"
    nodes = list(csv.DictReader(open(nodes_path, encoding="utf-8")))
    edges = list(csv.DictReader(open(edges_path, encoding="utf-8")))
    assert len(nodes) == 4 and len(edges) == 3
    assert {n["label"] for n in nodes} >= {"清华大学", 'Smith, Jones & "Co"; Ltd'}
    assert sum(int(e["weight"]) for e in edges) == 8


def test_export_refuses_what_it_cannot_write(tmp_path):
    with pytest.raises(AnalysisError, match="missing from the nodes"):
        prepare(NODES, pd.DataFrame({"source": ["nobody"], "target": ["CN:Tsinghua University"], "weight": [1]}))
    with pytest.raises(AnalysisError, match="format"):
        export(NODES, EDGES, "dot", tmp_path / "x.dot")


def test_a_network_query_exports_whole(graph, tmp_path):
    """The country network of small_wos.txt, 2019: CN, US, JP, GB; links CN-US, CN-JP, GB-US."""
    load_paths(graph, [SMALL])
    rows = runner.run_df(graph, "network_countries", {"from": 2019, "to": 2019})
    nodes, edges = split_network(rows)
    [path] = export(nodes, edges, "graphml", tmp_path / "countries.graphml")
    g = nx.read_graphml(path)
    assert set(g.nodes) == {"CN", "US", "JP", "GB"}
    assert {frozenset(e) for e in g.edges} == {frozenset(("CN", "US")), frozenset(("CN", "JP")),
                                               frozenset(("GB", "US"))}
    assert g.nodes["CN"]["records"] == 3            # 001, 002, 004
    zh, _ = split_network(rows, "zh")
    assert "中国" in set(zh["label"])


def test_fingerprint_names_the_records_not_the_load(graph):
    """Eight papers (nine records, 005 twice); the same file loaded in other batches gives the
    same hash, reading page by page gives the same hash, and another record changes it."""
    load_paths(graph, [SMALL])
    first = fingerprint(graph)
    assert first["records"] == {"paper": 8, "patent": 0}
    assert first["counts"]["nodes:Paper"] == 8
    assert fingerprint(graph, page=3)["sha256"] == first["sha256"]
    graph.clear()
    load_paths(graph, [SMALL], batch_size=2)
    assert fingerprint(graph)["sha256"] == first["sha256"]
    graph.write("CREATE (:Paper {uid: 'WOS:000000000000099', year: 2022})")
    assert fingerprint(graph)["sha256"] != first["sha256"]


def test_bundle_holds_data_queries_parameters_and_fingerprint(graph, tmp_path):
    load_paths(graph, [SMALL])
    params = {"a": "CN", "b": "US", "from": 2019}
    call = QueryCall.bound("closeness", params)
    data = runner.run_df(graph, "closeness", call.params)
    out = tmp_path / "figures.zip"
    write_bundle(out, [Figure("trend", data, (call,))], fingerprint(graph))
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        assert names == {"manifest.json", "trend.csv", "trend.closeness.cypher", "trend.closeness.params.json"}
        assert zf.read("trend.closeness.cypher").decode() == (Path(runner.QUERY_DIR) / "closeness.cypher").read_text()
        sent = json.loads(zf.read("trend.closeness.params.json"))
        assert sent["a"] == "CN" and sent["from"] == 2019 and sent["to"] is None and sent["kind"] == "paper"
        table = pd.read_csv(io.BytesIO(zf.read("trend.csv")))
        assert table["year"].tolist() == [2019, 2020, 2021]
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["fingerprint"]["records"]["paper"] == 8
    assert manifest["figures"][0]["queries"][0]["query"] == "closeness"
    with pytest.raises(AnalysisError, match="share a name"):
        bundle_bytes([Figure("t", data), Figure("t", data)], {})
