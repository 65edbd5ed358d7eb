"""Console results: graph values (nodes, relationships, paths) of either engine as plain maps,
and the small graph they form.  Pure: no Streamlit.

The engines' drivers return different objects (FalkorDB `Node` with `.id` and
`.labels`, `Edge` with `.relation`; Neo4j `Node` with `.element_id`,
`Relationship` with `.type`), recognised here by their attributes.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

# Properties worth showing as a node's name, in order of preference.
NAME_KEYS = ("name", "title", "code", "uid", "label")


def _is_node(value: Any) -> bool:
    return hasattr(value, "labels") and (hasattr(value, "properties") or hasattr(value, "element_id"))


def _is_edge(value: Any) -> bool:
    return hasattr(value, "relation") or (hasattr(value, "type") and hasattr(value, "start_node"))


def _is_path(value: Any) -> bool:
    return callable(getattr(value, "edges", None)) or hasattr(value, "relationships")


def _path_parts(value: Any) -> tuple[list, list]:
    if hasattr(value, "relationships"):      # Neo4j: attributes
        return list(value.nodes), list(value.relationships)
    return list(value.nodes()), list(value.edges())    # FalkorDB: methods


def _props(value: Any) -> dict:
    props = getattr(value, "properties", None)
    return dict(props) if props is not None else dict(value.items())


def _node_id(value: Any) -> str:
    return str(getattr(value, "element_id", None) or getattr(value, "id", ""))


def _edge_ends(value: Any) -> tuple[str, str]:
    if hasattr(value, "relation"):           # FalkorDB: ids or nodes
        ends = (value.src_node, value.dest_node)
        return tuple(_node_id(e) if _is_node(e) else str(e) for e in ends)
    return _node_id(value.start_node), _node_id(value.end_node)


def plain(value: Any) -> Any:
    """A value a table can show: graph elements become maps, lists and maps are converted inside."""
    if _is_node(value):
        return {"_id": _node_id(value), "_labels": sorted(value.labels), **_props(value)}
    if _is_edge(value):
        source, target = _edge_ends(value)
        kind = getattr(value, "relation", None) or value.type
        return {"_type": kind, "_from": source, "_to": target, **_props(value)}
    if _is_path(value):
        path_nodes, path_edges = _path_parts(value)
        return {"_nodes": [plain(n) for n in path_nodes], "_relationships": [plain(e) for e in path_edges]}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def table(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    """The rows for display and CSV: graph elements and nested values as text."""
    def cell(value: Any) -> Any:
        value = plain(value)
        return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
    return pd.DataFrame([[cell(row.get(c)) for c in columns] for row in rows], columns=columns)


def _collect(value: Any, nodes: dict, edges: list) -> None:
    if _is_node(value):
        nodes.setdefault(_node_id(value), value)
    elif _is_edge(value):
        edges.append(value)
    elif _is_path(value):
        path_nodes, path_edges = _path_parts(value)
        for item in [*path_nodes, *path_edges]:
            _collect(item, nodes, edges)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _collect(item, nodes, edges)


def small_graph(rows: list[dict[str, Any]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The nodes and relationships found in the rows, shaped like a network query's nodes and links
    (the node's first label stands where a country would, so colours tell labels apart)."""
    found: dict[str, Any] = {}
    edges: list = []
    for row in rows:
        for value in row.values():
            _collect(value, found, edges)
    node_rows = []
    for node_id, node in found.items():
        props = _props(node)
        shown = next((str(props[k]) for k in NAME_KEYS if props.get(k) not in (None, "")), node_id)
        node_rows.append({"id": node_id, "name": shown, "name_zh": props.get("name_zh"),
                          "country": sorted(node.labels)[0] if node.labels else "", "records": 1})
    link_rows = []
    for edge in edges:
        source, target = _edge_ends(edge)
        if source in found and target in found and source != target:
            link_rows.append({"source": source, "target": target, "weight": 1})
    nodes = pd.DataFrame(node_rows, columns=["id", "name", "name_zh", "country", "records"])
    links = pd.DataFrame(link_rows, columns=["source", "target", "weight"])
    return nodes, links.drop_duplicates(subset=["source", "target"]).reset_index(drop=True)
