"""A network view as files other tools open: GraphML and GEXF (Gephi), VOSviewer map and
network files, Pajek .net, and CSV of nodes and edges.

Every writer takes the same two tables:
  nodes  id, label, records (documents), and optionally country, x, y, cluster;
  edges  source, target, weight (ids of nodes; one row per pair, either way round).
`prepare()` fills what is missing: a seeded force-directed layout, Louvain clusters (seeded)
and labels made unique, so a file's items can be told apart in any tool.
"""
from __future__ import annotations

import io
import math
import tempfile
import zipfile
from pathlib import Path
from typing import TextIO

import networkx as nx
import pandas as pd

from analysis import AnalysisError

SEED = 7
FORMATS = ("graphml", "gexf", "pajek", "vosviewer", "csv")
NODE_COLUMNS = ["id", "label", "records", "country", "x", "y", "cluster", "links", "total_link_strength"]
EDGE_COLUMNS = ["source", "target", "weight"]
# VOSviewer's map file: its documented columns (app.vosviewer.com/docs/file-types/map-and-network-file-type).
VOS_COLUMNS = ["id", "label", "x", "y", "cluster", "weight<Links>", "weight<Total link strength>",
               "weight<Documents>"]


def split_network(rows: pd.DataFrame, language: str = "en") -> tuple[pd.DataFrame, pd.DataFrame]:
    """A network query's rows (network_institutions, network_countries) as nodes and edges:
    rows whose source is their target are nodes, the others links."""
    is_node = rows["source"] == rows["target"]
    own = rows[is_node]
    label = own["source_name"]
    if language == "zh":
        label = own["source_zh"].where(own["source_zh"].fillna("") != "", own["source_name"])
    nodes = pd.DataFrame({"id": own["source"], "label": label, "records": own["weight"],
                          "country": own["source_country"]})
    return nodes.reset_index(drop=True), rows[~is_node][EDGE_COLUMNS].reset_index(drop=True)


def prepare(nodes: pd.DataFrame, edges: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes with every NODE_COLUMNS column, edges among them with positive weights."""
    for column in ("id", "label", "records"):
        if column not in nodes.columns:
            raise AnalysisError(f"the nodes table has no {column!r} column (it needs id, label, records)")
    nodes = nodes.drop_duplicates("id").reset_index(drop=True).copy()
    ids = set(nodes["id"])
    unknown = sorted((set(edges["source"]) | set(edges["target"])) - ids, key=str)
    if unknown:
        raise AnalysisError(f"edges name {len(unknown)} node(s) missing from the nodes table, e.g. {unknown[0]!r}")
    edges = edges[(edges["source"] != edges["target"]) & (edges["weight"] > 0)][EDGE_COLUMNS].reset_index(drop=True)
    nodes["label"] = _unique_labels(nodes)
    nodes["country"] = nodes["country"].fillna("") if "country" in nodes else ""
    g = _graph(nodes, edges)
    if not {"x", "y"} <= set(nodes.columns) or nodes[["x", "y"]].isna().any().any():
        positions = nx.spring_layout(g, seed=SEED, weight="weight") if len(g) > 1 else {n: (0.0, 0.0) for n in g}
        nodes["x"] = nodes["id"].map(lambda i: float(positions[i][0]))
        nodes["y"] = nodes["id"].map(lambda i: float(positions[i][1]))
    if "cluster" not in nodes.columns or nodes["cluster"].isna().any():
        nodes["cluster"] = nodes["id"].map(_clusters(g))
    nodes["links"] = nodes["id"].map(dict(g.degree())).astype(int)
    nodes["total_link_strength"] = nodes["id"].map(dict(g.degree(weight="weight"))).astype(float)
    return nodes[NODE_COLUMNS], edges


def _unique_labels(nodes: pd.DataFrame) -> pd.Series:
    # Two institutions of one name in two countries are two nodes: say which is which.
    labels = nodes["label"].fillna(nodes["id"]).astype(str).str.replace(r"[\t\r\n]+", " ", regex=True)
    repeated = labels.duplicated(keep=False)
    return labels.where(~repeated, labels + " [" + nodes["id"].astype(str) + "]")


def _graph(nodes: pd.DataFrame, edges: pd.DataFrame) -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(nodes["id"])
    for row in edges.itertuples(index=False):
        weight = float(row.weight) + (g[row.source][row.target]["weight"] if g.has_edge(row.source, row.target) else 0)
        g.add_edge(row.source, row.target, weight=weight)
    return g


def _clusters(g: nx.Graph) -> dict:
    """Louvain communities (seeded), numbered 1, 2, … from the largest."""
    if g.number_of_edges() == 0:
        return {node: 1 for node in g}
    communities = nx.community.louvain_communities(g, weight="weight", seed=SEED)
    ordered = sorted(communities, key=lambda c: (-len(c), min(map(str, c))))
    # VOSviewer numbers clusters 1 to 1000: past that (isolated nodes, one each) they share the last.
    return {node: min(number, 1000) for number, members in enumerate(ordered, 1) for node in members}


def to_networkx(nodes: pd.DataFrame, edges: pd.DataFrame) -> nx.Graph:
    """The network with its attributes (label, records, country, x, y, cluster; edge weight)."""
    nodes, edges = prepare(nodes, edges)
    g = _graph(nodes, edges)
    for row in nodes.itertuples(index=False):
        g.nodes[row.id].update(label=row.label, records=_number(row.records), country=row.country,
                               x=float(row.x), y=float(row.y), cluster=int(row.cluster))
    return g


def _number(value) -> int | float:
    value = float(value)
    return int(value) if value.is_integer() else value


def write_graphml(nodes: pd.DataFrame, edges: pd.DataFrame, path: Path) -> None:
    nx.write_graphml(to_networkx(nodes, edges), path)


def write_gexf(nodes: pd.DataFrame, edges: pd.DataFrame, path: Path) -> None:
    """GEXF 1.2 with Gephi's viz position and size, so it opens laid out."""
    g = to_networkx(nodes, edges)
    most = max((d["records"] for _, d in g.nodes(data=True)), default=1) or 1
    for _, data in g.nodes(data=True):
        size = 4 + 26 * math.sqrt(max(data["records"], 0) / most)
        data["viz"] = {"position": {"x": 500 * data["x"], "y": 500 * data["y"], "z": 0.0}, "size": size}
    nx.write_gexf(g, path, version="1.2draft")


def write_pajek(nodes: pd.DataFrame, edges: pd.DataFrame, fp: TextIO) -> None:
    """Pajek .net: `*Vertices n` (number, quoted label, x, y in 0..1), then `*Edges` (i j weight)."""
    nodes, edges = prepare(nodes, edges)
    number = {node_id: i for i, node_id in enumerate(nodes["id"], 1)}
    x, y = _unit(nodes["x"]), _unit(nodes["y"])
    fp.write(f"*Vertices {len(nodes)}\n")
    for i, row in enumerate(nodes.itertuples(index=False)):
        label = row.label.replace('"', "'")
        fp.write(f'{number[row.id]} "{label}" {x[i]:.4f} {y[i]:.4f}\n')
    fp.write("*Edges\n")
    for row in edges.itertuples(index=False):
        fp.write(f"{number[row.source]} {number[row.target]} {_number(row.weight)}\n")


def _unit(values: pd.Series) -> list[float]:
    low, high = float(values.min()), float(values.max())
    span = high - low
    return [0.5 if span == 0 else 0.05 + 0.9 * (float(v) - low) / span for v in values]


def write_vosviewer(nodes: pd.DataFrame, edges: pd.DataFrame, map_fp: TextIO, network_fp: TextIO) -> None:
    """VOSviewer's map file (tab-separated, a header line, VOS_COLUMNS) and network file (tab-
    separated `id1 id2 strength`, no header).  Items are numbered 1..n."""
    nodes, edges = prepare(nodes, edges)
    number = {node_id: i for i, node_id in enumerate(nodes["id"], 1)}
    map_fp.write("\t".join(VOS_COLUMNS) + "\n")
    for row in nodes.itertuples(index=False):
        values = [number[row.id], _vos_label(row.label), f"{row.x:.6f}", f"{row.y:.6f}", int(row.cluster),
                  row.links, _number(row.total_link_strength), _number(row.records)]
        map_fp.write("\t".join(map(str, values)) + "\n")
    for row in edges.itertuples(index=False):
        network_fp.write(f"{number[row.source]}\t{number[row.target]}\t{_number(row.weight)}\n")


def _vos_label(label: str) -> str:
    # VOSviewer wants a label with a comma or semicolon in double quotes.
    if any(ch in label for ch in ',;"'):
        return '"' + label.replace('"', "'") + '"'
    return label


def write_csv(nodes: pd.DataFrame, edges: pd.DataFrame, nodes_fp: TextIO, edges_fp: TextIO) -> None:
    nodes, edges = prepare(nodes, edges)
    nodes.to_csv(nodes_fp, index=False)
    edges.to_csv(edges_fp, index=False)


def export(nodes: pd.DataFrame, edges: pd.DataFrame, fmt: str, out: Path) -> list[Path]:
    """Write the network in `fmt` at `out`; two-file formats add a suffix to its name
    (`x_map.txt` and `x_network.txt`; `x_nodes.csv` and `x_edges.csv`).  Returns the files."""
    out = Path(out)
    if fmt == "graphml":
        write_graphml(nodes, edges, out)
        return [out]
    if fmt == "gexf":
        write_gexf(nodes, edges, out)
        return [out]
    if fmt == "pajek":
        with open(out, "w", encoding="utf-8", newline="\n") as fp:
            write_pajek(nodes, edges, fp)
        return [out]
    if fmt in ("vosviewer", "csv"):
        parts, suffix = (("map", "network"), ".txt") if fmt == "vosviewer" else (("nodes", "edges"), ".csv")
        paths = [out.with_name(f"{out.stem}_{part}{suffix}") for part in parts]
        writer = write_vosviewer if fmt == "vosviewer" else write_csv
        with open(paths[0], "w", encoding="utf-8", newline="") as first, \
                open(paths[1], "w", encoding="utf-8", newline="") as second:
            writer(nodes, edges, first, second)
        return paths
    raise AnalysisError(f"export format {fmt!r} is not known: use one of {', '.join(FORMATS)}")


def export_bytes(nodes: pd.DataFrame, edges: pd.DataFrame, fmt: str, stem: str = "network") -> tuple[bytes, str]:
    """The export as one download: the file itself, or a zip of the two files of `vosviewer`
    and `csv`.  Returns the bytes and the file name to offer."""
    with tempfile.TemporaryDirectory() as folder:
        paths = export(nodes, edges, fmt, Path(folder) / f"{stem}.{_SUFFIX.get(fmt, fmt)}")
        if len(paths) == 1:
            return paths[0].read_bytes(), download_name(fmt, stem)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for path in paths:
                zf.write(path, path.name)
        return buf.getvalue(), download_name(fmt, stem)


def download_name(fmt: str, stem: str = "network") -> str:
    """The file name export_bytes offers for `fmt` (known before the bytes are made)."""
    return f"{stem}-{fmt}.zip" if fmt in ("vosviewer", "csv") else f"{stem}.{_SUFFIX.get(fmt, fmt)}"


_SUFFIX = {"graphml": "graphml", "gexf": "gexf", "pajek": "net", "vosviewer": "txt", "csv": "csv"}
