"""Change between two periods: link classification, one layout for both, on hand-worked data.

tests/data/small_wos.txt (records in test_graph_load.py), countries per year:
  2019: 001 CN-US, 002 CN-JP, 003 US-GB, 004 CN only      -> links CN-US 1, CN-JP 1, GB-US 1
  2020: 005 CN-US-JP, 009 CN-US                           -> links CN-US 2, CN-JP 1, JP-US 1
So 2019 -> 2020: CN-US grew, CN-JP same, GB-US disappeared, JP-US appeared.
Records per country (all of them, domestic included): CN 3 -> 2, US 2 -> 2, JP 1 -> 1, GB 1 -> 0.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import AnalysisError
from analysis.change import Period, Scope, change_of, classify, compare_periods, union_layout
from cypher import runner
from loader.pipeline import load_paths

SMALL = Path(__file__).parent / "data" / "small_wos.txt"


def links(*rows):
    return pd.DataFrame(rows, columns=["source", "target", "weight"])


def test_change_of():
    assert list(change_of([0, 3, 2, 5, 4], [2, 0, 5, 1, 4])) == ["appeared", "disappeared", "grew", "shrank", "same"]


def test_classify_links_of_two_periods():
    first = links(("A", "B", 3), ("B", "C", 2), ("C", "D", 1), ("D", "E", 4), ("A", "A", 9))
    # B-A is A-B written the other way round; A-A is a node row, not a link.
    second = links(("B", "A", 5), ("C", "D", 1), ("D", "E", 2), ("E", "F", 6), ("B", "B", 9))
    table = classify(first, second).set_index(["source", "target"])
    assert table["change"].to_dict() == {("A", "B"): "grew", ("B", "C"): "disappeared", ("C", "D"): "same",
                                         ("D", "E"): "shrank", ("E", "F"): "appeared"}
    assert table.loc[("A", "B"), ["weight_1", "weight_2", "delta"]].tolist() == [3, 5, 2]
    # Largest changes first.
    assert classify(first, second).iloc[0][["source", "target"]].tolist() == ["E", "F"]
    # A minimum weight drops links weak in both periods only.
    assert ("C", "D") not in classify(first, second, min_weight=2).set_index(["source", "target"]).index


def test_classify_empty_periods():
    empty = links()
    assert classify(empty, empty).empty
    assert classify(empty, links(("A", "B", 1)))["change"].tolist() == ["appeared"]


def test_one_layout_seeded_and_shared():
    table = classify(links(("A", "B", 3), ("B", "C", 1)), links(("A", "B", 1), ("C", "D", 2)))
    nodes = ["A", "B", "C", "D", "E"]          # E has no link in either period: placed all the same
    first = union_layout(nodes, table)
    assert first == union_layout(nodes, table)
    assert set(first) == set(nodes)
    assert all(-1.0001 <= v <= 1.0001 for xy in first.values() for v in xy)
    assert union_layout([], table.iloc[0:0]) == {}


def test_country_network_change_worked_by_hand(graph):
    load_paths(graph, [SMALL])
    result = compare_periods(graph, Period(2019, 2019), Period(2020, 2020), Scope(level="country"), limit=10)
    changes = {(r.source, r.target): (r.weight_1, r.weight_2, r.change) for r in result.links.itertuples()}
    assert changes == {("CN", "US"): (1, 2, "grew"), ("CN", "JP"): (1, 1, "same"),
                       ("GB", "US"): (1, 0, "disappeared"), ("JP", "US"): (0, 1, "appeared")}
    nodes = result.nodes.set_index("id")
    assert nodes[["records_1", "records_2"]].to_dict("index") == {
        "CN": {"records_1": 3, "records_2": 2}, "GB": {"records_1": 1, "records_2": 0},
        "JP": {"records_1": 1, "records_2": 1}, "US": {"records_1": 2, "records_2": 2}}
    assert nodes.loc["GB", "change"] == "disappeared" and nodes.loc["CN", "change"] == "shrank"
    # The other way round every growth is a shrinkage; the layout is the same picture.
    back = compare_periods(graph, Period(2020, 2020), Period(2019, 2019), Scope(level="country"), limit=10)
    assert back.links.set_index(["source", "target"]).loc[("CN", "US"), "change"] == "shrank"
    assert back.nodes[["id", "x", "y"]].equals(result.nodes[["id", "x", "y"]])


def test_institution_links_among_fixed_nodes(graph):
    """network_edges, 2020: Tsinghua is on 005 and 009, MIT and Tokyo on 005: Tsinghua 2 records,
    MIT 1, Tokyo 1, and each pair of them shares 005."""
    load_paths(graph, [SMALL])
    ids = ["CN:Tsinghua University", "JP:University of Tokyo", "US:Massachusetts Institute of Technology (MIT)"]
    rows = runner.run_df(graph, "network_edges", {"ids": ids, "from": 2020, "to": 2020})
    got = {(r.source, r.target): r.weight for r in rows.itertuples()}
    assert got == {(ids[0], ids[0]): 2, (ids[1], ids[1]): 1, (ids[2], ids[2]): 1,
                   (ids[0], ids[1]): 1, (ids[0], ids[2]): 1, (ids[1], ids[2]): 1}


def test_institution_change_keeps_weak_links(graph):
    """Tsinghua's links, 2019 -> 2020: UC System (001) and Fudan (004) disappear; MIT, Tokyo and
    Stanford (005, 009) appear.  Tsinghua has two records in each year: same."""
    load_paths(graph, [SMALL])
    result = compare_periods(graph, Period(2019, 2019), Period(2020, 2020), limit=20)
    tsinghua = result.links[(result.links["source"] == "CN:Tsinghua University")
                            | (result.links["target"] == "CN:Tsinghua University")]
    partners = {(r.target if r.source == "CN:Tsinghua University" else r.source): r.change
                for r in tsinghua.itertuples()}
    assert partners == {"US:University of California System": "disappeared", "CN:Fudan University": "disappeared",
                        "US:Massachusetts Institute of Technology (MIT)": "appeared",
                        "JP:University of Tokyo": "appeared", "US:Stanford University": "appeared"}
    assert result.nodes.set_index("id").loc["CN:Tsinghua University", "change"] == "same"


def test_periods_and_levels_are_checked():
    with pytest.raises(AnalysisError, match="ends before it starts"):
        Period(2022, 2018)
    with pytest.raises(AnalysisError, match="level"):
        Scope(level="author")
    assert Period(2018, 2022).label == "2018–2022" and Period(2020, 2020).label == "2020"
