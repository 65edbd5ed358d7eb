"""The institution views read pre-aggregated unit tallies, pair counts and links (loader/aggregates.py);
a branch, an ego network or an ambiguous name is counted from the records.  Both paths must give
exactly what counting from the records gives: the record-counting versions of the queries are kept
in tests/oracles/ and asked the same questions on the demo data, over a grid of parameters.

Fractional counting by hand on small_wos.txt is in tests/test_counting_views.py.
"""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from cypher import runner
from graph.base import NODE_COUNTS, RELATIONSHIP_COUNTS
from loader.demo.generate import write_demo
from loader.pipeline import load_paths

ORACLES = Path(__file__).parent / "oracles"
TS, CAS, UCS, ICT = ("Tsinghua University", "Chinese Academy of Sciences", "University of California System",
                     "Institute of Computing Technology, CAS")

GRIDS = {
    "institution_shares": ({"a": "CN", "b": "US", "limit": 1000},
                           {"year": [2018, 2020], "kind": ["paper", "patent"], "rollup": [True, False],
                            "branch": [None, "FPGA"], "country": [None, "US"]}),
    "top_institutions": ({"a": "US", "b": "CN", "limit": 15, "to": 2020},
                         {"kind": ["paper", "patent"], "rollup": [True, False], "branch": [None, "GPU"],
                          "from": [None, 2015]}),
    "institution_compare": ({"a": "CN", "b": "US", "year1": 2019, "year2": 2022, "limit": 10, "from": 2015,
                             "to": None},
                            {"kind": ["paper", "patent"], "rollup": [True, False], "branch": [None, "FPGA"],
                             "min_intl": [None, 10]}),
    "partners": ({"limit": 20, "to": None},
                 {"institution": ["清华大学", ICT, UCS], "kind": ["paper", "patent"], "rollup": [True, False],
                  "branch": [None, "FPGA"], "from": [None, 2016]}),
    "network_institutions": ({"limit": 30, "to": 2021, "min_weight": 2},
                             {"institution": [None, TS, UCS], "kind": ["paper", "patent"], "rollup": [True, False],
                              "branch": [None, "FPGA"], "countries": [None, ["CN", "US"]]}),
}


@pytest.fixture(scope="module")
def demo(falkor_session, tmp_path_factory):
    falkor_session.clear()
    falkor_session.apply_schema()
    assert load_paths(falkor_session, write_demo(tmp_path_factory.mktemp("demo"))).ok
    yield falkor_session
    falkor_session.clear()


@pytest.mark.parametrize("name", sorted(GRIDS))
def test_tallied_answers_equal_counting_the_records(demo, name):
    oracle = (ORACLES / f"{name}.cypher").read_text(encoding="utf-8")
    fixed, grid = GRIDS[name]
    answered = 0
    for combo in itertools.product(*grid.values()):
        params = runner.get(name).bind(fixed | dict(zip(grid, combo)))
        expected = demo.read(oracle, {k: v for k, v in params.items() if k != "counting"}, row_cap=None).rows
        got = demo.read(runner.get(name).text, params, row_cap=None).rows
        assert got == expected, f"{name} {dict(zip(grid, combo))}"
        answered += bool(expected)
    # The grid asks real questions: most combinations have an answer.
    assert answered > len(list(itertools.product(*grid.values()))) // 3


def test_every_label_and_type_the_loader_writes_is_counted_one_statement_each(demo):
    """The explorer keys its caches on the graph's counts (ui/components/data.py version()); a label
    or relationship type missing from graph/base.py's lists sends every count the slow way, a pass
    over the whole graph (seconds at a million records) on every page."""
    labels = {row["label"] for row in demo.read("CALL db.labels() YIELD label RETURN label").rows}
    types = {row["relationshipType"] for row in
             demo.read("CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType").rows}
    assert "SHARED_PAPERS_INSTITUTE" in types    # the demo has institutes under roll-up
    assert labels <= NODE_COUNTS.keys() and types <= RELATIONSHIP_COUNTS.keys()
