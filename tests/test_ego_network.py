"""The ego network read from the per-unit tallies and links (cypher/ego_network.cypher).

By hand on tests/test_queries_ui.py's five papers and two patent inventions.  Per paper, the
units under roll-up (m = their number; without roll-up the institutes and campuses are units of
their own):

  P1 2020  Tsinghua, CAS (with ICT), UC System (with Berkeley)   m=3   (5 without roll-up)
  P2 2020  Tsinghua, MIT                                         m=2
  P3 2021  CAS (with IA), UC System (with Berkeley)              m=2   (4 without roll-up)
  P4 2021  Tsinghua, Tokyo                                       m=2
  P5 2021  Tsinghua, Peking                                      m=2

Tsinghua's ego network: its records P1, P2, P4, P5; each partner shares one of them.  CAS and the
UC System share P1 with Tsinghua and P3 without it: their tie is 2 (the whole network's), where
counting only Tsinghua's records gives 1.

Then the demo data, against a record-counting version of the query (tests/oracles/ego_network.cypher)
over a grid of institutions, kinds, years, roll-up, sizes and countings; link_records against its
old version (tests/oracles/link_records.cypher); and the drill-down page, which draws the tallied
ego network, an institute's under roll-up too.
"""
from __future__ import annotations

import itertools
from pathlib import Path

import json

import pytest

from cypher import runner
from tests.test_queries_ui import small as ui_small  # noqa: F401  (the five papers, loaded for this module)
from tests.test_ui_apptest import loaded  # noqa: F401  (the demo graph in its own folder, environment set)
from tests.test_ui_apptest import open_page
from tests.test_unit_aggregates import demo  # noqa: F401  (the demo data; its tests run after the small ones)

ORACLE = (Path(__file__).parent / "oracles" / "ego_network.cypher").read_text(encoding="utf-8")
LINK_ORACLE = (Path(__file__).parent / "oracles" / "link_records.cypher").read_text(encoding="utf-8")
TS, CAS, UCS, ICT = ("Tsinghua University", "Chinese Academy of Sciences", "University of California System",
                     "Institute of Computing Technology, CAS")
MIT, TOKYO, PEKING = "Massachusetts Institute of Technology (MIT)", "University of Tokyo", "Peking University"
BERKELEY = "University of California Berkeley"
MICHIGAN = "University of Michigan"     # in the demo data a campus of the University of Michigan System


def ego(graph, **params) -> tuple[dict, dict]:
    """({name: weight} of the nodes, {(name, name): weight} of the links, names sorted)."""
    nodes, links = {}, {}
    for row in runner.run(graph, "ego_network", params, row_cap=None).rows:
        if row["source"] == row["target"]:
            nodes[row["source_name"]] = row["weight"]
        else:
            links[tuple(sorted((row["source_name"], row["target_name"])))] = row["weight"]
    return nodes, links


def approx(mapping: dict) -> dict:
    return {key: pytest.approx(value) for key, value in mapping.items()}


def test_ego_network_whole_counting_by_hand(ui_small):
    nodes, links = ego(ui_small, institution=TS)
    assert nodes == {TS: 4, CAS: 1, UCS: 1, MIT: 1, TOKYO: 1, PEKING: 1}
    assert links == {(CAS, TS): 1, (TS, UCS): 1, (MIT, TS): 1, (TS, TOKYO): 1, (PEKING, TS): 1, (CAS, UCS): 2}
    # The Chinese name finds the same institution.
    assert ego(ui_small, institution="清华大学") == (nodes, links)


def test_ego_network_fractional_counting_by_hand(ui_small):
    # Tsinghua: 1/3 (P1) + 1/2 (P2, P4, P5).  A partner: 1/(m - 1) of each record shared with it:
    # CAS and UC 1/2 (P1), MIT, Tokyo, Peking 1.  CAS–UC: 1/2 (P1) + 1/1 (P3).
    # Links under one record (the default minimum 1) are kept with min_weight 0, as the page asks.
    nodes, links = ego(ui_small, institution=TS, counting="fractional", min_weight=0)
    assert nodes == approx({TS: 1 / 3 + 3 / 2, CAS: 0.5, UCS: 0.5, MIT: 1, TOKYO: 1, PEKING: 1})
    assert links == approx({(CAS, TS): 0.5, (TS, UCS): 0.5, (MIT, TS): 1, (TS, TOKYO): 1, (PEKING, TS): 1,
                            (CAS, UCS): 1.5})


def test_ego_network_partners_strongest_first_ties_by_name(ui_small):
    # Whole: every partner shares 1 record; the first two by name are CAS and MIT, who share none.
    assert ego(ui_small, institution=TS, limit=3) == ({TS: 4, CAS: 1, MIT: 1}, {(CAS, TS): 1, (MIT, TS): 1})
    # Fractional: MIT, Peking and Tokyo (1 each) before CAS and UC (1/2); MIT and Peking by name.
    nodes, _ = ego(ui_small, institution=TS, limit=3, counting="fractional")
    assert set(nodes) == {TS, MIT, PEKING}
    # Only the ego: one node, no links.
    assert ego(ui_small, institution=TS, limit=1) == ({TS: 4}, {})


def test_ego_network_filters_by_hand(ui_small):
    # Links of at least 2 records: only CAS–UC; every node stays.
    nodes, links = ego(ui_small, institution=TS, min_weight=2)
    assert links == {(CAS, UCS): 2} and len(nodes) == 6
    # 2021 only: P4, P5.
    assert ego(ui_small, institution=TS, **{"from": 2021}) == (
        {TS: 2, TOKYO: 1, PEKING: 1}, {(TS, TOKYO): 1, (PEKING, TS): 1})
    # CAS with its institutes: P1 and P3; the UC System is on both, Tsinghua on P1.
    assert ego(ui_small, institution="中国科学院") == ({CAS: 2, UCS: 2, TS: 1}, {(CAS, UCS): 2, (CAS, TS): 1,
                                                                             (TS, UCS): 1})


def test_ego_network_without_rollup_by_hand(ui_small):
    # Institutes and campuses are units: ICT and Berkeley are Tsinghua's partners through P1; the
    # Institute of Automation (P3 only) is not.  CAS, the UC System and Berkeley are all on P1 and P3.
    nodes, links = ego(ui_small, institution=TS, rollup=False)
    assert nodes == {TS: 4, CAS: 1, ICT: 1, UCS: 1, BERKELEY: 1, MIT: 1, TOKYO: 1, PEKING: 1}
    assert {pair: w for pair, w in links.items() if TS not in pair} == {
        (CAS, ICT): 1, (CAS, UCS): 2, (CAS, BERKELEY): 2, (ICT, UCS): 1, (ICT, BERKELEY): 1, (BERKELEY, UCS): 2}
    # ICT is a unit of its own here: P1 only.
    nodes, _ = ego(ui_small, institution=ICT, rollup=False)
    assert nodes == {ICT: 1, TS: 1, CAS: 1, UCS: 1, BERKELEY: 1}


def test_ego_network_patents_by_hand(ui_small):
    # Intel applies for both families; Huawei for the first with it (m = 2): 1/2 + 1 = 1.5 for Intel.
    nodes, links = ego(ui_small, institution="Intel Corporation", kind="patent")
    assert list(nodes.values()) == [2, 1] and list(links.values()) == [1]
    nodes, _ = ego(ui_small, institution="Intel Corporation", kind="patent", counting="fractional")
    assert sorted(nodes.values()) == pytest.approx([1, 1.5])


def test_ego_network_of_an_institute_under_rollup_by_hand(ui_small):
    """Under roll-up an institute is the ego on its own, everything else rolled up.  ICT is on P1
    with Tsinghua, CAS itself and the UC System (with Berkeley): m = 4.  Its partners share P1 with
    it; their ties are the whole rolled-up network's (CAS–UC: P1 and P3)."""
    nodes, links = ego(ui_small, institution=ICT)
    assert nodes == {ICT: 1, TS: 1, CAS: 1, UCS: 1}
    assert links == {(ICT, TS): 1, (CAS, ICT): 1, (ICT, UCS): 1, (CAS, TS): 1, (CAS, UCS): 2, (TS, UCS): 1}
    nodes, links = ego(ui_small, institution=ICT, counting="fractional", min_weight=0)
    assert nodes == approx({ICT: 1 / 4, TS: 1 / 3, CAS: 1 / 3, UCS: 1 / 3})
    assert links[(CAS, UCS)] == pytest.approx(1 / 2 + 1)
    # Berkeley: P1 (m = 4: itself, Tsinghua, CAS, the UC System) and P3 (m = 3: itself, CAS, the UC
    # System).  Its own system is its partner through the records that name the system too.
    nodes, _ = ego(ui_small, institution=BERKELEY)
    assert nodes == {BERKELEY: 2, CAS: 2, UCS: 2, TS: 1}
    nodes, _ = ego(ui_small, institution=BERKELEY, counting="fractional")
    assert nodes == approx({BERKELEY: 1 / 4 + 1 / 3, CAS: 1 / 3 + 1 / 2, UCS: 1 / 3 + 1 / 2, TS: 1 / 3})


def test_ego_network_only_for_one_unit(ui_small):
    """No tallies for a name nobody has: no rows, so the page counts such an ego from the records
    (ui/components/data.network)."""
    assert ego(ui_small, institution="No Such University") == ({}, {})
    # A unit without records in the range: nothing either.
    assert ego(ui_small, institution=MIT, **{"from": 2021}) == ({}, {})


def test_link_records_capped_with_their_total_by_hand(ui_small):
    # Tsinghua with the US: P1 (UC) and P2 (MIT), both 2020, by uid; one row asked, two behind it.
    rows = runner.run(ui_small, "link_records", {"institution": TS, "partner_country": "US", "limit": 1}).rows
    assert [(r["uid"], r["total"]) for r in rows] == [("WOS:000000000000101", 2)]
    # Tsinghua (4 records) with MIT (1): started from MIT's side, the same P2.
    rows = runner.run(ui_small, "link_records", {"institution": TS, "partner": MIT}).rows
    assert [(r["uid"], r["total"]) for r in rows] == [("WOS:000000000000102", 1)]
    # A partner nobody is called: nothing, not every record of Tsinghua.
    assert runner.run(ui_small, "link_records", {"institution": TS, "partner": "No Such University"}).rows == []


GRID = {"institution": [TS, UCS, CAS, MICHIGAN, ICT, PEKING], "kind": ["paper", "patent"], "rollup": [True, False],
        "years": [(None, None), (2016, 2020)], "limit": [6, 25]}


def keyed(rows: list[dict]) -> dict:
    return {(r["source"], r["target"]): r for r in rows}


@pytest.mark.parametrize("counting", ["whole", "fractional"])
def test_ego_network_equals_counting_the_records(demo, counting):
    query = runner.get("ego_network")
    answered = 0
    for combo in itertools.product(*GRID.values()):
        asked = dict(zip(GRID, combo))
        year_from, year_to = asked.pop("years")
        params = query.bind({**asked, "from": year_from, "to": year_to, "counting": counting,
                             # Fractional sums may land a hair either side of a whole-number minimum.
                             "min_weight": 2 if counting == "whole" else 0})
        got = demo.read(query.text, params, row_cap=None).rows
        expected = demo.read(ORACLE, params, row_cap=None, timeout_ms=120_000).rows
        if counting == "whole":
            assert got == expected, combo
        else:
            # Sums in another order: equal to the last few bits, so compared by pair, not by order.
            assert keyed(got).keys() == keyed(expected).keys(), combo
            for pair, row in keyed(expected).items():
                assert keyed(got)[pair] == {**row, "weight": pytest.approx(row["weight"])}, combo
        answered += bool(expected)
    # The grid asks real questions: most combinations have an answer.
    assert answered > len(list(itertools.product(*GRID.values()))) // 2


# -- the records behind one link -----------------------------------------------------------------


def test_link_records_equal_the_old_query(demo):
    """The same records in the same order as reading every record of the institution (the old
    query, tests/oracles/link_records.cypher), from either side, with the total of them all.
    A dict keeps its first row per uid, in order: the old rows are newest first already."""
    query = runner.get("link_records")
    answered = 0
    for institution, kind, rollup in itertools.product([TS, UCS, CAS, MICHIGAN], ["paper", "patent"], [True, False]):
        partners = runner.run(demo, "partners", {"institution": institution, "kind": kind, "rollup": rollup,
                                                 "limit": 3}).rows
        named = [r["partner"] for r in partners if r["level"] == "institution"]
        links = [(None, None), (None, "US"), (None, "CN")] + [(p, None) for p in named] + [(named[0], "US")] \
            if named else [(None, "US")]
        for (partner, country), (year_from, year_to) in itertools.product(links, [(None, None), (2016, 2020)]):
            params = query.bind({"institution": institution, "kind": kind, "rollup": rollup, "partner": partner,
                                 "partner_country": country, "from": year_from, "to": year_to, "limit": 5})
            got = demo.read(query.text, params, row_cap=None).rows
            every = demo.read(LINK_ORACLE, {**params, "limit": 100_000}, row_cap=None, timeout_ms=120_000).rows
            # The old query listed a record twice when it named two of the institution's units (the
            # UC System and a campus, in two orders): once each is right.
            every = list({r["uid"]: r for r in every}.values())
            assert [{k: v for k, v in r.items() if k != "total"} for r in got] == every[:5], params
            assert {r["total"] for r in got} == ({len(every)} if every else set()), params
            answered += len(every) > 5
    assert answered > 20


# -- the page ---------------------------------------------------------------------------------------

CAPTIONS = json.loads((Path(__file__).resolve().parents[1] / "ui" / "i18n" / "en.json").read_text(encoding="utf-8"))


def drawn(at) -> list[float]:
    """The records column of the ego network's node table, sorted."""
    tables = [d.value for d in at.dataframe if {"name", "records", "links"} <= set(d.value.columns)]
    assert len(tables) == 1
    return sorted(tables[0]["records"])


def test_drilldown_draws_the_tallied_ego_network(loaded):
    graph = loaded[0]
    at = open_page("drilldown")
    assert not at.exception and not at.error
    picked, (year_from, year_to) = at.selectbox(key="drill_pick").value, at.slider(key="years").value
    span = {"from": year_from, "to": year_to, "limit": 25, "min_weight": 0}
    tallied = runner.run(graph, "ego_network", {"institution": picked, **span}, row_cap=None).rows
    assert drawn(at) == sorted(r["weight"] for r in tallied if r["source"] == r["target"])
    captions = [c.value for c in at.caption]
    assert CAPTIONS["drill.ego_tallied"] in captions
    # The records behind the first link offered: at most 200 rows, the caption gives them all.
    link = at.selectbox(key="drill_link").value
    behind = runner.run(graph, "link_records", {"institution": picked, "partner_country": link[1], "limit": 200,
                                                "from": year_from, "to": year_to}, row_cap=None).rows
    total = behind[0]["total"]
    said = (CAPTIONS["drill.records_caption"].format(n=total) if total <= 200
            else CAPTIONS["drill.records_first"].format(shown=200, n=total))
    assert link[0] == "country" and said in captions

    # A campus under roll-up: its own tallies, its partners rolled up.
    at = open_page("drilldown", drill_search=MICHIGAN)
    at.selectbox(key="drill_pick").set_value(MICHIGAN).run()
    assert not at.exception and not at.error
    tallied = runner.run(graph, "ego_network", {"institution": MICHIGAN, **span}, row_cap=None).rows
    assert tallied and drawn(at) == sorted(r["weight"] for r in tallied if r["source"] == r["target"])
    assert CAPTIONS["drill.ego_tallied"] in [c.value for c in at.caption]
