"""Fractional counting in the country and institution views, worked by hand; whole counting equal
to the old record-counting queries (tests/oracles/) on the demo data.

tests/data/small_wos.txt (records in test_graph_load.py), with each record's countries (k) and
institutions.  Under roll-up Berkeley counts for the UC System, ICT for CAS, UT Austin for the UT
System; m = the record's institutions as the roll-up counts them:

  001 2019 CN US      k=2  Tsinghua, Berkeley, UC System  m=2 rolled up (Tsinghua, UCS), 3 not   FPGA
  002 2019 CN JP      k=2  Peking, Tokyo                  m=2                                    GPU
  003 2019 US GB      k=2  Stanford, Cambridge            m=2                                    NPU
  004 2019 CN         k=1  Tsinghua, Fudan                m=2  (domestic)                        VLSI
  005 2020 CN US JP   k=3  Tsinghua, MIT, Tokyo           m=3                                    TPU
  007 2021 CN US      k=2  CAS, ICT, UT System, UT Austin m=2 rolled up (CAS, UTS), 4 not        ASIC
  008 (no year)       CN US: Zhejiang, Purdue — left out of every year series
  009 2020 CN US      k=2  Tsinghua, Stanford             m=2                                    FPGA

Country level (Perianes-Rodriguez et al. 2016): a pair on a record with k countries gets
1/(k - 1), a country 1/k as a node.  Institution level: each institution 1/m, each pair 1/(m - 1).
"""
from __future__ import annotations

import itertools
import json
from pathlib import Path

import pandas as pd
import pytest

from analysis import AnalysisError
from analysis.change import Period, Scope, compare_periods
from analysis.counting import fetch_cells, fetch_institution_types, institution_reconciliation, pair_table
from analysis.matrix import country_matrix
from cypher import runner
from loader.pipeline import load_paths
from tests.test_analysis_cli import run as cli
from tests.test_unit_aggregates import demo  # noqa: F401  (the demo data loaded once for this module)

SMALL = Path(__file__).parent / "data" / "small_wos.txt"
ORACLES = Path(__file__).parent / "oracles"
TS, UCS, MIT, TOKYO, STANFORD = ("CN:Tsinghua University", "US:University of California System",
                                 "US:Massachusetts Institute of Technology (MIT)", "JP:University of Tokyo",
                                 "US:Stanford University")
CAS, ICT = "CN:Chinese Academy of Sciences", "CN:Institute of Computing Technology, CAS"
FRACTIONAL = {"counting": "fractional"}


@pytest.fixture(scope="module")
def small(falkor_session):
    falkor_session.clear()
    falkor_session.apply_schema()
    assert load_paths(falkor_session, [SMALL]).ok
    yield falkor_session
    falkor_session.clear()


def rows(graph, name, **params):
    return runner.run(graph, name, params, row_cap=None).rows


def network(graph, name, **params):
    """({id: weight} of the nodes, {(source, target): weight} of the links)."""
    nodes, links = {}, {}
    for row in rows(graph, name, **params):
        if row["source"] == row["target"]:
            nodes[row["source"]] = row["weight"]
        else:
            links[(row["source"], row["target"])] = row["weight"]
    return nodes, links


def approx(mapping: dict) -> dict:
    return {key: pytest.approx(value) for key, value in mapping.items()}


# -- country_matrix ------------------------------------------------------------------------------

def test_country_matrix_fractional_worked_by_hand(small):
    """2019-2021.  CN-US: 001 1, 005 (k=3) 1/2, 009 1, 007 1 -> 3.5 (whole 4); CN-JP: 002 1 + 005 1/2
    = 1.5; JP-US: 005 1/2; GB-US: 003 1.  n_a are record counts under both: CN 5, US 5, JP 2, GB 1."""
    long = country_matrix(small, ["CN", "US", "JP", "GB"], year_from=2019, year_to=2021, counting="fractional")
    got = {(r.a, r.b): (r.n_ab, r.n_a, r.n_b) for r in long.itertuples(index=False)}
    assert got == approx({("CN", "US"): (3.5, 5, 5), ("CN", "JP"): (1.5, 5, 2), ("JP", "US"): (0.5, 2, 5),
                          ("GB", "US"): (1.0, 1, 5), ("CN", "GB"): (0.0, 5, 1), ("GB", "JP"): (0.0, 1, 2)})
    cn_us = long.set_index(["a", "b"]).loc[("CN", "US")]
    assert cn_us["closeness"] == pytest.approx(3.5 / 5)
    assert cn_us["association_strength"] == pytest.approx(3.5 * 6 / 25)   # N = 6 international records
    whole = rows(small, "country_matrix", codes=["CN", "US"], **{"from": 2019, "to": 2021})
    assert whole == [{"a": "CN", "b": "US", "n_ab": 4, "n_a": 5, "n_b": 5}]


def test_country_matrix_of_one_branch(small):
    """TPU holds 005 alone (CN, US, JP): each pair 1/2 fractional, 1 whole; each n_a 1.  FPGA holds
    001 and 009, both CN-US: GB and JP have no record there, so no row."""
    tpu = {(r["a"], r["b"]): (r["n_ab"], r["n_a"], r["n_b"])
           for r in rows(small, "country_matrix", codes=["CN", "US", "JP", "GB"], branch="TPU", **FRACTIONAL)}
    assert tpu == approx({("CN", "JP"): (0.5, 1, 1), ("CN", "US"): (0.5, 1, 1), ("JP", "US"): (0.5, 1, 1)})
    whole = rows(small, "country_matrix", codes=["CN", "US", "JP"], branch="TPU")
    assert [(r["a"], r["b"], r["n_ab"]) for r in whole] == [("CN", "JP", 1), ("CN", "US", 1), ("JP", "US", 1)]
    fpga = rows(small, "country_matrix", codes=["CN", "US", "JP", "GB"], branch="FPGA", **FRACTIONAL)
    assert fpga == [{"a": "CN", "b": "US", "n_ab": 2.0, "n_a": 2, "n_b": 2}]
    # VLSI holds 004, China alone: a country with records but no pair.
    assert rows(small, "country_matrix", codes=["CN", "US"], branch="VLSI") == []
    assert rows(small, "country_matrix", codes=["CN", "US"], branch="No such branch") == []


# -- network_countries ---------------------------------------------------------------------------

def test_country_network_fractional_worked_by_hand(small):
    """Nodes: the sum of 1/k over the country's records, domestic ones 1.
      CN: 001 1/2 + 002 1/2 + 004 1 + 005 1/3 + 007 1/2 + 009 1/2 = 10/3   (whole 6)
      US: 001 1/2 + 003 1/2 + 005 1/3 + 007 1/2 + 009 1/2       = 7/3    (whole 5)
      JP: 002 1/2 + 005 1/3 = 5/6;  GB: 003 1/2
    Links as in the matrix: CN-US 3.5, CN-JP 1.5, GB-US 1, JP-US 0.5 (under the default
    min_weight 1, so left out).  008 has no year: it is in no node."""
    nodes, links = network(small, "network_countries", **FRACTIONAL)
    assert nodes == approx({"CN": 10 / 3, "US": 7 / 3, "JP": 5 / 6, "GB": 0.5})
    assert links == approx({("CN", "US"): 3.5, ("CN", "JP"): 1.5, ("GB", "US"): 1.0})
    assert network(small, "network_countries", min_weight=0.5, **FRACTIONAL)[1][("JP", "US")] == pytest.approx(0.5)
    # Ranked by the fractional weight: the two largest and their link.
    assert network(small, "network_countries", limit=2, **FRACTIONAL) == (
        approx({"CN": 10 / 3, "US": 7 / 3}), approx({("CN", "US"): 3.5}))
    whole_nodes, whole_links = network(small, "network_countries")
    assert whole_nodes == {"CN": 6, "US": 5, "JP": 2, "GB": 1}
    assert whole_links == {("CN", "US"): 4, ("CN", "JP"): 2, ("GB", "US"): 1, ("JP", "US"): 1}


def test_country_network_of_one_branch(small):
    """TPU: 005 gives CN, US and JP 1/3 each and each pair 1/2.  FPGA: 001 and 009 give CN and US
    1/2 + 1/2 = 1 each and their link 1 + 1 = 2.  Only CN and JP asked: JP's link to the US is not
    drawn, but the nodes keep their weight over all of the record's countries."""
    assert network(small, "network_countries", branch="TPU", min_weight=0.5, **FRACTIONAL) == (
        approx({"CN": 1 / 3, "US": 1 / 3, "JP": 1 / 3}),
        approx({("CN", "JP"): 0.5, ("CN", "US"): 0.5, ("JP", "US"): 0.5}))
    assert network(small, "network_countries", branch="FPGA", **FRACTIONAL) == (
        approx({"CN": 1.0, "US": 1.0}), approx({("CN", "US"): 2.0}))
    assert network(small, "network_countries", countries=["CN", "JP"], min_weight=0.5, **FRACTIONAL) == (
        approx({"CN": 10 / 3, "JP": 5 / 6}), approx({("CN", "JP"): 1.5}))


# -- institution_series --------------------------------------------------------------------------

def test_institution_series_fractional_worked_by_hand(small):
    """Tsinghua, rolled up.  2019: 001 (m=2) is international: n_intl 1/2; 004 is domestic.
    2020: 005 (m=3) 1/3 + 009 (m=2) 1/2 = 5/6.  CN-JP: only 005 has Japan: 2020 n_ab 1/3, share
    (1/3) / (5/6) = 0.4.  CN-US: every one of them: n_ab = n_intl."""
    series = rows(small, "institution_series", institution="Tsinghua University", a="CN", b="JP", **FRACTIONAL)
    assert [(r["year"], r["n_ab"], r["n_intl"], r["share"]) for r in series] == [
        (2019, 0.0, pytest.approx(0.5), 0.0), (2020, pytest.approx(1 / 3), pytest.approx(5 / 6), pytest.approx(0.4))]
    by_chinese_name = rows(small, "institution_series", institution="清华大学", a="US", b="CN", **FRACTIONAL)
    assert [(r["year"], r["n_ab"], r["n_intl"]) for r in by_chinese_name] == [
        (2019, pytest.approx(0.5), pytest.approx(0.5)), (2020, pytest.approx(5 / 6), pytest.approx(5 / 6))]
    # Without roll-up 001 has three institutions (Berkeley and the UC System apart): 1/3.
    apart = rows(small, "institution_series", institution="Tsinghua University", a="CN", b="US", rollup=False,
                 **FRACTIONAL)
    assert apart[0]["year"] == 2019 and apart[0]["n_intl"] == pytest.approx(1 / 3)
    whole = rows(small, "institution_series", institution="Tsinghua University", a="CN", b="JP")
    assert whole == [{"year": 2019, "n_ab": 0, "n_intl": 1, "share": 0.0},
                     {"year": 2020, "n_ab": 1, "n_intl": 2, "share": 0.5}]


def test_institution_series_counted_from_the_records(small):
    """FPGA: Tsinghua has 001 (2019, m=2) and 009 (2020, m=2): 1/2 a year.  ICT under roll-up is
    an institute on its own: 007 has ICT (named, one unit), CAS and the UT System (Austin rolled
    up): m = 3, so 1/3; without roll-up 007's four institutions give 1/4."""
    fpga = rows(small, "institution_series", institution="Tsinghua University", a="CN", b="US", branch="FPGA",
                **FRACTIONAL)
    assert [(r["year"], r["n_ab"], r["n_intl"]) for r in fpga] == [
        (2019, pytest.approx(0.5), pytest.approx(0.5)), (2020, pytest.approx(0.5), pytest.approx(0.5))]
    ict = "Institute of Computing Technology, CAS"
    assert [(r["year"], r["n_ab"]) for r in rows(small, "institution_series", institution=ict, a="CN", b="US",
                                                   **FRACTIONAL)] == [(2021, pytest.approx(1 / 3))]
    assert [(r["year"], r["n_ab"]) for r in rows(small, "institution_series", institution=ict, a="CN", b="US",
                                                   rollup=False, **FRACTIONAL)] == [(2021, pytest.approx(1 / 4))]
    assert rows(small, "institution_series", institution="Tsinghua University", a="CN", b="US",
                branch="ASIC") == []


# -- network_edges -------------------------------------------------------------------------------

def test_network_edges_fractional_worked_by_hand(small):
    """2019-2020, rolled up.  Nodes (1/m a record): Tsinghua 001 1/2 + 004 1/2 + 005 1/3 + 009 1/2
    = 11/6; UC System 001 1/2; MIT 005 1/3; Tokyo 002 1/2 + 005 1/3 = 5/6; Stanford 003 1/2 + 009
    1/2 = 1.  Links (1/(m - 1)): Tsinghua-UCS 001 1, Tsinghua-Stanford 009 1, and 005's three
    pairs 1/2 each."""
    ids = [TS, UCS, MIT, TOKYO, STANFORD]
    nodes, links = network(small, "network_edges", ids=ids, **{"from": 2019, "to": 2020}, **FRACTIONAL)
    assert nodes == approx({TS: 11 / 6, UCS: 0.5, MIT: 1 / 3, TOKYO: 5 / 6, STANFORD: 1.0})
    assert links == approx({(TS, UCS): 1.0, (TS, STANFORD): 1.0, (TS, TOKYO): 0.5, (TS, MIT): 0.5,
                            (TOKYO, MIT): 0.5})
    whole_nodes, whole_links = network(small, "network_edges", ids=ids, **{"from": 2019, "to": 2020})
    assert whole_nodes == {TS: 4, UCS: 1, MIT: 1, TOKYO: 2, STANFORD: 2}
    assert set(whole_links.values()) == {1}
    # An id given twice is one node.
    assert network(small, "network_edges", ids=ids + [TS], **{"from": 2019, "to": 2020}) == (whole_nodes, whole_links)


def test_network_edges_counted_from_the_records(small):
    """FPGA (001, 009): Tsinghua 1/2 + 1/2, the UC System and Stanford 1/2 each; links 1.  Without
    roll-up 001 has three institutions: Tsinghua 1/3 + 1/2, Berkeley and the UC System 1/3 each,
    each of 001's pairs 1/2."""
    ids = [TS, UCS, STANFORD]
    assert network(small, "network_edges", ids=ids, branch="FPGA", **FRACTIONAL) == (
        approx({TS: 1.0, UCS: 0.5, STANFORD: 0.5}), approx({(TS, UCS): 1.0, (TS, STANFORD): 1.0}))
    berkeley = "US:University of California Berkeley"
    assert network(small, "network_edges", ids=[TS, UCS, berkeley], branch="FPGA", rollup=False, **FRACTIONAL) == (
        approx({TS: 5 / 6, UCS: 1 / 3, berkeley: 1 / 3}),
        approx({(TS, UCS): 0.5, (TS, berkeley): 0.5, (berkeley, UCS): 0.5}))


# -- institution_shares and partners (the lead's queries) -----------------------------------------

def test_institution_shares_fractional_worked_by_hand(small):
    """CN-US 2020, rolled up: 005 (m=3) and 009 (m=2).  Tsinghua 1/3 + 1/2 = 5/6 of 5/6; Stanford
    1/2 of 1/2; MIT 1/3 of 1/3 (Tokyo is Japanese: not listed for CN-US).  CN-JP 2020: only 005 has
    Japan; Tsinghua 1/3 of its 5/6 (share 0.4), Tokyo 1/3 of 1/3.  2019 without roll-up: 001 has
    three institutions, 1/3 each."""
    shares = rows(small, "institution_shares", a="CN", b="US", year=2020, **FRACTIONAL)
    assert [(r["institution"], r["n_ab"], r["n_intl"]) for r in shares] == [
        ("Tsinghua University", pytest.approx(5 / 6), pytest.approx(5 / 6)),
        ("Stanford University", pytest.approx(0.5), pytest.approx(0.5)),
        ("Massachusetts Institute of Technology (MIT)", pytest.approx(1 / 3), pytest.approx(1 / 3))]
    japan = {r["institution"]: (r["n_ab"], r["n_intl"], r["share"])
             for r in rows(small, "institution_shares", a="CN", b="JP", year=2020, **FRACTIONAL)}
    assert japan == {"Tsinghua University": (pytest.approx(1 / 3), pytest.approx(5 / 6), pytest.approx(0.4)),
                     "University of Tokyo": (pytest.approx(1 / 3), pytest.approx(1 / 3), pytest.approx(1.0))}
    apart = {r["institution"]: r["n_ab"]
             for r in rows(small, "institution_shares", a="CN", b="US", year=2019, rollup=False, **FRACTIONAL)}
    assert apart == approx({"Tsinghua University": 1 / 3, "University of California Berkeley": 1 / 3,
                            "University of California System": 1 / 3})
    fpga = rows(small, "institution_shares", a="CN", b="US", year=2020, branch="FPGA", **FRACTIONAL)
    assert [(r["institution"], r["n_ab"]) for r in fpga] == [("Stanford University", pytest.approx(0.5)),
                                                             ("Tsinghua University", pytest.approx(0.5))]


def test_partners_fractional_worked_by_hand(small):
    """Tsinghua, rolled up.  Partner institutions get 1/(m - 1) a record: Fudan (004), the UC System
    (001) and Stanford (009) 1 each, MIT and Tokyo (005) 1/2 each.  Partner countries get 1/m: the
    US 001 1/2 + 005 1/3 + 009 1/2 = 4/3, Japan 005 1/3.  FPGA (counted from 001 and 009): the UC
    System and Stanford 1 each, the US 1/2 + 1/2."""
    def by_level(**params):
        found = {}
        for row in rows(small, "partners", institution="Tsinghua University", **params):
            found.setdefault(row["level"], {})[row["partner"]] = row["records"]
        return found

    assert by_level(**FRACTIONAL) == {
        "institution": approx({"Fudan University": 1.0, "University of California System": 1.0,
                               "Stanford University": 1.0, "Massachusetts Institute of Technology (MIT)": 0.5,
                               "University of Tokyo": 0.5}),
        "country": approx({"United States": 4 / 3, "Japan": 1 / 3})}
    assert by_level()["country"] == {"United States": 3, "Japan": 1}
    assert by_level(branch="FPGA", **FRACTIONAL) == {
        "institution": approx({"University of California System": 1.0, "Stanford University": 1.0}),
        "country": approx({"United States": 1.0})}


# -- the institution reconciliation --------------------------------------------------------------

def test_institution_reconciliation_worked_by_hand(small):
    """Tsinghua, rolled up: 001, 004, 009 have two institutions, 005 three.  Whole 4; fractional
    3 * 1/2 + 1/3 = 11/6; the difference 13/6 = m2 / 2 + (1 - 1/3).  International 001, 005, 009:
    3 and 1/2 + 1/3 + 1/2 = 4/3; CN-US the same three.  Mean m (2 + 2 + 3 + 2) / 4 = 9/4."""
    table = institution_reconciliation(fetch_institution_types(small, ["Tsinghua University", "东京大学"],
                                                               a="CN", b="US"))
    tsinghua = table.set_index("uid").loc[TS]
    assert (tsinghua["records_whole"], tsinghua["m1"], tsinghua["m2"], tsinghua["m3plus"]) == (4, 0, 3, 1)
    assert tsinghua["records_fractional"] == pytest.approx(11 / 6)
    assert tsinghua["m3plus_discount"] == pytest.approx(2 / 3)
    assert tsinghua["records_whole"] - tsinghua["records_fractional"] == pytest.approx(
        tsinghua["m2"] / 2 + tsinghua["m3plus_discount"])
    assert (tsinghua["intl_whole"], tsinghua["n_ab_whole"]) == (3, 3)
    assert tsinghua["intl_fractional"] == pytest.approx(4 / 3) and tsinghua["n_ab_fractional"] == pytest.approx(4 / 3)
    assert tsinghua["mean_m"] == pytest.approx(9 / 4)
    # Tokyo, named in Chinese: 002 and 005; 1/2 + 1/3.  Tsinghua first (more records).
    assert list(table["uid"]) == [TS, TOKYO]
    assert table.set_index("uid").loc[TOKYO, "records_fractional"] == pytest.approx(5 / 6)
    # The fractional totals are what the fractional views show: network_edges over all years.
    nodes, _ = network(small, "network_edges", ids=[TS, TOKYO], **FRACTIONAL)
    assert nodes[TS] == pytest.approx(11 / 6) and nodes[TOKYO] == pytest.approx(5 / 6)


def test_institution_reconciliation_with_records_alone():
    """A table by hand: 3 records alone (m=1), 2 with m=2, 1 with m=4: whole 6, fractional
    3 + 1 + 1/4 = 4.25, difference 1.75 = 2/2 + (1 - 1/4)."""
    types = pd.DataFrame([("X:A", "A", "", "X", 1, 3, 0, 0), ("X:A", "A", "", "X", 2, 2, 2, 1),
                          ("X:A", "A", "", "X", 4, 1, 1, 1)],
                         columns=["uid", "institution", "name_zh", "country", "m", "records", "intl", "n_ab"])
    row = institution_reconciliation(types).iloc[0]
    assert (row["records_whole"], row["m1"], row["m2"], row["m3plus"]) == (6, 3, 2, 1)
    assert row["records_fractional"] == pytest.approx(4.25) and row["m3plus_discount"] == pytest.approx(0.75)
    assert row["intl_fractional"] == pytest.approx(1.25) and row["n_ab_fractional"] == pytest.approx(0.75)
    assert institution_reconciliation(types.iloc[0:0]).empty
    with pytest.raises(AnalysisError, match="both countries"):
        fetch_institution_types(None, ["A"], a="CN")


# -- analysis functions and the command line ------------------------------------------------------

def test_change_between_periods_fractional(small):
    """Countries 2019 -> 2020, fractional: CN-US 1 (001) -> 1/2 (005) + 1 (009) = 1.5: grew; CN-JP
    1 (002) -> 1/2 (005): shrank, where whole counting calls it the same; JP-US 0 -> 1/2: appeared."""
    scope = Scope(level="country", counting="fractional")
    result = compare_periods(small, Period(2019, 2019), Period(2020, 2020), scope, limit=10, min_weight=0.5)
    links = {(r.source, r.target): (r.weight_1, r.weight_2, r.change) for r in result.links.itertuples()}
    assert links == {("CN", "US"): (1.0, 1.5, "grew"), ("CN", "JP"): (1.0, 0.5, "shrank"),
                     ("GB", "US"): (1.0, 0.0, "disappeared"), ("JP", "US"): (0.0, 0.5, "appeared")}
    # The default minimum weight, 1, drops JP-US: under 1 in both periods.
    default = compare_periods(small, Period(2019, 2019), Period(2020, 2020), scope, limit=10)
    assert set(zip(default.links["source"], default.links["target"])) == {("CN", "US"), ("CN", "JP"), ("GB", "US")}
    # CN's nodes: 2019 001 1/2 + 002 1/2 + 004 1 = 2; 2020 005 1/3 + 009 1/2 = 5/6.
    records = result.nodes.set_index("id").loc["CN", ["records_1", "records_2"]].tolist()
    assert records == pytest.approx([2.0, 5 / 6])
    with pytest.raises(AnalysisError, match="counting"):
        Scope(counting="full")


@pytest.fixture
def cli_env(small, falkor_data_dir, monkeypatch):
    monkeypatch.delenv("COLLAB_GRAPH", raising=False)
    monkeypatch.setenv("COLLAB_DATA_DIR", str(falkor_data_dir))
    monkeypatch.setenv("COLLAB_GRAPH_NAME", small.name)
    return small


def test_counting_option_on_the_command_line(cli_env, tmp_path):
    code, text, err = cli("matrix", "--codes", "CN,US,JP", "--from", "2019", "--to", "2021", "--counting",
                          "fractional", "--index", "n_ab", "--format", "json")
    assert code == 0, err
    assert json.loads(text)["CN"]["US"] == pytest.approx(3.5) and json.loads(text)["JP"]["US"] == pytest.approx(0.5)
    code, text, err = cli("matrix", "--codes", "CN,US,JP", "--branch", "TPU", "--counting", "fractional",
                          "--index", "n_ab", "--format", "json")
    assert code == 0, err
    assert json.loads(text)["CN"]["JP"] == pytest.approx(0.5)
    code, text, err = cli("change", "--from1", "2019", "--to1", "2019", "--from2", "2020", "--to2", "2020",
                          "--level", "country", "--counting", "fractional", "--format", "json")
    assert code == 0, err
    assert {(r["source"], r["target"]): r["change"] for r in json.loads(text)}[("CN", "JP")] == "shrank"
    code, text, err = cli("reconcile-institutions", "--institution", "Tsinghua University", "--a", "CN", "--b", "US",
                          "--format", "json")
    assert code == 0, err
    (row,) = json.loads(text)
    assert row["records_fractional"] == pytest.approx(11 / 6) and row["m2"] == 3
    out = tmp_path / "countries.csv"
    code, _, err = cli("export", "--format", "csv", "--level", "country", "--counting", "fractional",
                       "--min-weight", "0.5", "--out", str(out))
    assert code == 0, err
    edges = pd.read_csv(tmp_path / "countries_edges.csv")
    assert dict(zip(zip(edges["source"], edges["target"]), edges["weight"])) == approx(
        {("CN", "US"): 3.5, ("CN", "JP"): 1.5, ("GB", "US"): 1.0, ("JP", "US"): 0.5})
    assert pd.read_csv(tmp_path / "countries_nodes.csv").set_index("id").loc["CN", "records"] == pytest.approx(10 / 3)
    code, _, err = cli("matrix", "--codes", "CN,US", "--counting", "half")
    assert code == 2


# -- whole counting: the same answers as the old record-counting queries, on the demo data ---------

ALL_IDS = [TS, CAS, UCS, MIT, "CN:Peking University"]
GRIDS = {
    "country_matrix": ({"codes": ["CN", "US", "GB", "JP", "DE", "XX"]},
                       {"kind": ["paper", "patent"], "role": ["inventor", "applicant"], "from": [None, 2015],
                        "to": [None, 2020]}),
    "network_countries": ({}, {("kind", "role"): [("paper", "inventor"), ("patent", "inventor"),
                                                  ("patent", "applicant")],
                               "from": [None, 2015], "to": [None, 2020], "branch": [None, "FPGA"],
                               "countries": [None, ["CN", "US", "JP"]],
                               ("limit", "min_weight"): [(100, 1), (3, 5)]}),
    "institution_series": ({"a": "CN"}, {"institution": ["Tsinghua University", "清华大学",
                                                         "Chinese Academy of Sciences",
                                                         "Institute of Computing Technology, CAS",
                                                         "University of California System", "No Such University"],
                                         "b": ["US", "JP"], "kind": ["paper", "patent"], "rollup": [True, False],
                                         "from": [None, 2015], "to": [None, 2020]}),
    "network_edges": ({}, {"ids": [ALL_IDS, [CAS, ICT, TS]], "kind": ["paper", "patent"], "rollup": [True, False],
                           "from": [None, 2015], "to": [None, 2020], "branch": [None, "FPGA"]}),
}


def combinations(grid: dict) -> list[dict]:
    out = []
    for combo in itertools.product(*grid.values()):
        params = {}
        for key, value in zip(grid, combo):
            # Paired options travel together: ("kind", "role"): ("patent", "applicant").
            params.update(zip(key, value) if isinstance(key, tuple) else {key: value})
        out.append(params)
    return out


@pytest.mark.parametrize("name", sorted(GRIDS))
def test_whole_counting_equals_the_old_queries(demo, name):
    """The demo has a year on every record, so leaving year-less records out changes nothing here."""
    oracle = (ORACLES / f"{name}.cypher").read_text(encoding="utf-8")
    fixed, grid = GRIDS[name]
    answered = 0
    for params in combinations(grid):
        bound = runner.get(name).bind(fixed | params)
        expected = demo.read(oracle, {k: v for k, v in bound.items() if f"${k}" in oracle}, row_cap=None).rows
        got = demo.read(runner.get(name).text, bound, row_cap=None).rows
        assert got == expected, f"{name} {params}"
        answered += bool(expected)
    assert answered > len(combinations(grid)) // 2


def test_fractional_views_agree_with_each_other_on_the_demo(demo):
    """Independent paths to the same fractional numbers:
    - country_matrix (tallies, or a branch's records) = the closeness record types weighted by
      analysis.counting, summed over the years;
    - network_countries: each record gives its countries 1/k, so the nodes add up to the records
      with a country; each country's links add up to its international records (N_a);
    - network_edges (tallies) = the reconciliation's fractional totals (counted from the records)."""
    codes = ["CN", "US", "GB", "JP"]
    for branch in (None, "FPGA"):
        long = country_matrix(demo, codes, year_from=2012, branch=branch, counting="fractional")
        for row in long.itertuples(index=False):
            cells = pair_table(fetch_cells(demo, row.a, row.b, year_from=2012, branch=branch), "fractional")
            assert (row.n_ab, row.n_a) == (pytest.approx(cells["n_ab"].sum()), cells["n_a"].sum())
        nodes, links = network(demo, "network_countries", branch=branch, min_weight=0, limit=1000, **FRACTIONAL)
        records = demo.read("MATCH (p:Paper) WHERE p.year IS NOT NULL AND p.n_countries > 0 "
                            "AND ($branch IS NULL OR (p)-[:IN_BRANCH]->(:Branch {name: $branch})) "
                            "RETURN count(p) AS n", {"branch": branch}).rows[0]["n"]
        assert sum(nodes.values()) == pytest.approx(records)
        n_a = {r["code"]: r["n"] for r in demo.read(
            "MATCH (p:Paper)-[:FROM_COUNTRY]->(c:Country) WHERE p.year IS NOT NULL AND p.n_countries > 1 "
            "AND ($branch IS NULL OR (p)-[:IN_BRANCH]->(:Branch {name: $branch})) "
            "RETURN c.code AS code, count(p) AS n", {"branch": branch}).rows}
        strength = {code: sum(w for pair, w in links.items() if code in pair) for code in nodes}
        assert {c: pytest.approx(n_a.get(c, 0)) for c in nodes} == strength
    names = ["Tsinghua University", "Chinese Academy of Sciences", "University of California System"]
    for rollup in (True, False):
        table = institution_reconciliation(fetch_institution_types(demo, names, rollup=rollup)).set_index("uid")
        nodes, _ = network(demo, "network_edges", ids=list(table.index), rollup=rollup, **FRACTIONAL)
        assert nodes == approx(table["records_fractional"].to_dict())
        whole, _ = network(demo, "network_edges", ids=list(table.index), rollup=rollup)
        assert whole == table["records_whole"].to_dict()
