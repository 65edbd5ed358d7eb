"""Change between two periods of a collaboration network, drawn on one layout.

Two periods are compared link by link over ONE set of nodes: the nodes with most records in
either period.  The links among them are then counted in both periods with no minimum
weight (cypher/network_edges.cypher), so a link that merely fell under a display threshold
is "shrank", not "disappeared".  One force-directed layout of the union of both periods
(fixed seed) places every node, so the two pictures differ only where the data do.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from analysis import AnalysisError
from analysis.counting import WHOLE, check_counting
from cypher import runner
from graph import Graph

CHANGES = ("appeared", "disappeared", "grew", "shrank", "same")
LINK_COLUMNS = ["source", "target", "weight_1", "weight_2", "delta", "change"]
NODE_COLUMNS = ["id", "name", "name_zh", "country", "records_1", "records_2", "delta", "change"]
SEED = 7
NODES_ONLY = 2**31 - 1          # a min_weight no link reaches: the network query returns its nodes only


def change_of(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """'appeared' (0 -> some), 'disappeared' (some -> 0), 'grew', 'shrank' or 'same'."""
    before, after = np.asarray(before, dtype=float), np.asarray(after, dtype=float)
    return np.select([(before == 0) & (after > 0), (before > 0) & (after == 0), after > before, after < before],
                     ["appeared", "disappeared", "grew", "shrank"], default="same")


def classify(links_1: pd.DataFrame, links_2: pd.DataFrame, min_weight: float = 1) -> pd.DataFrame:
    """Every link of either period (columns source, target, weight) with its weight in both,
    the change and the difference.  A pair is one link whichever way round it is written;
    links under `min_weight` in both periods are left out.  Whole record counts stay integers;
    fractional weights stay floats."""
    merged = _canonical(links_1).merge(_canonical(links_2), on=["source", "target"], how="outer",
                                       suffixes=("_1", "_2"))
    merged[["weight_1", "weight_2"]] = merged[["weight_1", "weight_2"]].fillna(0)
    merged = merged[merged[["weight_1", "weight_2"]].max(axis=1) >= min_weight]
    merged = _counts(merged, ["weight_1", "weight_2"])
    merged["delta"] = merged["weight_2"] - merged["weight_1"]
    merged["change"] = change_of(merged["weight_1"], merged["weight_2"])
    # Largest changes first, either way; then by name, for a stable order.
    merged["order"] = -merged["delta"].abs()
    return merged.sort_values(["order", "source", "target"]).reset_index(drop=True)[LINK_COLUMNS]


def _counts(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    # Record counts read as integers; a fractional weight anywhere keeps the columns floats.
    values = df[columns].to_numpy(dtype=float)
    return df.astype({c: int for c in columns}) if np.all(values == np.round(values)) else df.astype(
        {c: float for c in columns})


def _canonical(links: pd.DataFrame) -> pd.DataFrame:
    swap = links["source"] > links["target"]
    out = pd.DataFrame({"source": np.where(swap, links["target"], links["source"]),
                        "target": np.where(swap, links["source"], links["target"]),
                        "weight": links["weight"]})
    return out[out["source"] != out["target"]].groupby(["source", "target"], as_index=False)["weight"].sum()


def union_layout(node_ids: list[str], links: pd.DataFrame, seed: int = SEED) -> dict[str, tuple[float, float]]:
    """One position per node, in [-1, 1]: a force-directed layout of the union graph (each
    link weighted by the larger of its two periods' weights, on a log scale so one dominant
    pair does not pull everything into a knot; fractional weights under 1 pull as 1), the same
    for the same input."""
    g = nx.Graph()
    g.add_nodes_from(sorted(node_ids))
    for row in links.itertuples(index=False):
        weight = max(row.weight_1, row.weight_2)
        if weight > 0:
            g.add_edge(row.source, row.target, strength=1.0 + math.log(max(weight, 1.0)))
    if len(g) == 0:
        return {}
    if len(g) == 1:
        return {next(iter(g)): (0.0, 0.0)}
    positions = nx.spring_layout(g, seed=seed, weight="strength", k=1.5 / math.sqrt(len(g)), iterations=150)
    return {node: (float(x), float(y)) for node, (x, y) in positions.items()}


@dataclass(frozen=True)
class Period:
    start: int | None
    end: int | None

    def __post_init__(self):
        if self.start is not None and self.end is not None and self.start > self.end:
            raise AnalysisError(f"period {self.start}–{self.end} ends before it starts: swap the years")

    @property
    def label(self) -> str:
        if self.start == self.end and self.start is not None:
            return str(self.start)
        return f"{self.start or '…'}–{self.end or '…'}"

    def params(self) -> dict[str, int | None]:
        return {"from": self.start, "to": self.end}


@dataclass
class Comparison:
    """Nodes (NODE_COLUMNS + x, y), links (LINK_COLUMNS) and the two periods."""

    nodes: pd.DataFrame
    links: pd.DataFrame
    period_1: Period
    period_2: Period


@dataclass(frozen=True)
class Scope:
    """What the network counts: kind of record, technology branch, whose countries (patents),
    which countries' institutions, whether institutes roll up into their parent, and whole or
    fractional counting (a record with m nodes gives each 1/m and each pair 1/(m - 1))."""

    level: str = "institution"
    kind: str = "paper"
    branch: str | None = None
    role: str = "inventor"
    countries: tuple[str, ...] | None = None
    rollup: bool = True
    counting: str = WHOLE

    def __post_init__(self):
        if self.level not in ("institution", "country"):
            raise AnalysisError(f"level {self.level!r} is not known: use 'institution' or 'country'")
        check_counting(self.counting)

    def nodes_query(self, period: Period, limit: int) -> tuple[str, dict[str, Any]]:
        """The network query returning the period's `limit` nodes with most records."""
        common = {"kind": self.kind, "branch": self.branch, "countries": list(self.countries or []) or None,
                  "limit": limit, "counting": self.counting, "min_weight": NODES_ONLY, **period.params()}
        if self.level == "country":
            return "network_countries", {**common, "role": self.role}
        return "network_institutions", {**common, "rollup": self.rollup, "institution": None}

    def links_query(self, period: Period, ids: list[str]) -> tuple[str, dict[str, Any]]:
        """The query counting every pair of `ids` in the period, weak links included."""
        if self.level == "country":
            # min_weight 0: every shared record counts, however small its fractional weight.
            return "network_countries", {"kind": self.kind, "role": self.role, "branch": self.branch,
                                         "countries": ids, "limit": len(ids), "min_weight": 0,
                                         "counting": self.counting, **period.params()}
        return "network_edges", {"kind": self.kind, "branch": self.branch, "rollup": self.rollup, "ids": ids,
                                 "counting": self.counting, **period.params()}


def network_nodes(graph: Graph, scope: Scope, period: Period, limit: int) -> pd.DataFrame:
    """The period's nodes with most records (id, name, name_zh, country, records)."""
    rows = runner.run_df(graph, *scope.nodes_query(period, limit), row_cap=None)
    rows = rows[rows["source"] == rows["target"]]
    return pd.DataFrame({"id": rows["source"], "name": rows["source_name"], "name_zh": rows["source_zh"],
                         "country": rows["source_country"], "records": rows["weight"]}).reset_index(drop=True)


def network_links(graph: Graph, scope: Scope, period: Period, ids: list[str]) -> pd.DataFrame:
    """Every pair of `ids` sharing a record in the period (source, target, weight), and each
    node's records (rows whose source is its target)."""
    if not ids:
        return pd.DataFrame(columns=["source", "target", "weight"])
    return runner.run_df(graph, *scope.links_query(period, ids), row_cap=None)[["source", "target", "weight"]]


def compare_periods(graph: Graph, period_1: Period, period_2: Period, scope: Scope = Scope(), *,
                    limit: int = 100, min_weight: float = 1) -> Comparison:
    """The network of two periods over the union of each period's `limit` nodes with most
    records; links under `min_weight` in both periods are left out."""
    names = pd.concat([network_nodes(graph, scope, period_1, limit), network_nodes(graph, scope, period_2, limit)])
    names = names.drop_duplicates("id")[["id", "name", "name_zh", "country"]]
    ids = sorted(names["id"])
    rows_1 = network_links(graph, scope, period_1, ids)
    rows_2 = network_links(graph, scope, period_2, ids)
    links = classify(rows_1, rows_2, min_weight)
    nodes = names.merge(_records(rows_1, "records_1"), on="id", how="left").merge(
        _records(rows_2, "records_2"), on="id", how="left")
    nodes[["records_1", "records_2"]] = nodes[["records_1", "records_2"]].fillna(0)
    nodes = _counts(nodes, ["records_1", "records_2"])
    nodes["delta"] = nodes["records_2"] - nodes["records_1"]
    nodes["change"] = change_of(nodes["records_1"], nodes["records_2"])
    positions = union_layout(ids, links)
    nodes["x"] = nodes["id"].map(lambda i: positions[i][0])
    nodes["y"] = nodes["id"].map(lambda i: positions[i][1])
    return Comparison(nodes[NODE_COLUMNS + ["x", "y"]].sort_values("id").reset_index(drop=True), links,
                      period_1, period_2)


def _records(rows: pd.DataFrame, column: str) -> pd.DataFrame:
    own = rows[rows["source"] == rows["target"]]
    return pd.DataFrame({"id": own["source"], column: own["weight"]})
