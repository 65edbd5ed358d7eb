"""loaded_years, demo_loaded and country_list: what every page of the explorer asks first, answered
from the tallies, not by reading every record (data_summary does that, for the Data page)."""
from __future__ import annotations

from pathlib import Path

import pytest

from cypher import runner
from loader.pipeline import load_paths

SMALL_WOS = Path(__file__).parent / "data" / "small_wos.txt"

# small_wos.txt, by hand: records 1-4 are of 2019 and 5-6 of 2020, all with addresses; 7 is an
# early-access record (EY 2021) with an address; 8 has no year; 9 is of 2020 with only a reprint
# address (RP), which names its countries too.  This file adds a 2015 record without an address
# (listed by data_summary, in no view) and a 2016 one whose DOI is a demo DOI.
EXTRA = """FN Clarivate Analytics Web of Science
VR 1.0
PT J
AU Nobody, A
TI A record without an address
PY 2015
UT WOS:000000000000951
ER

PT J
AU Wang, L
TI A calibrated demo record
C1 [Wang, L] Tsinghua Univ, Dept Comp Sci, Beijing 100084, Peoples R China.
PY 2016
DI 10.99999/demo.2016.00001
UT WOS:000000000000952
ER

EF
"""


@pytest.fixture
def small(graph):
    assert load_paths(graph, [SMALL_WOS]).ok
    return graph


def years(graph) -> list[tuple[str, int]]:
    return [(r["kind"], r["year"]) for r in runner.run(graph, "loaded_years").rows]


def demo(graph) -> bool:
    return runner.run(graph, "demo_loaded").rows == [{"demo": True}]


def test_years_with_records_that_name_a_country(small):
    assert years(small) == [("paper", 2019), ("paper", 2020), ("paper", 2021)]
    assert not demo(small)


def test_a_year_without_addresses_is_no_choice_and_a_demo_doi_is_seen(small, tmp_path):
    extra = tmp_path / "extra.txt"
    extra.write_text(EXTRA, encoding="utf-8")
    assert load_paths(small, [extra]).ok
    assert years(small) == [("paper", 2016), ("paper", 2019), ("paper", 2020), ("paper", 2021)]
    summary = runner.run(small, "data_summary").rows
    assert {r["year"] for r in summary} == {None, 2015, 2016, 2019, 2020, 2021}     # every record
    assert demo(small)
    assert sum(r["demo"] for r in summary) == 1


def test_an_empty_graph_has_no_years_and_no_demo(graph):
    assert years(graph) == []
    assert not demo(graph)


def test_countries_with_their_records_with_a_year(small):
    # small_wos.txt by hand: record 6 repeats record 5 (same UT); record 8 has no year.
    # CN: records 1, 2, 4, 5, 7, 9; US: 1, 3, 5, 7, 9; JP: 2, 5; GB (England): 3.
    rows = runner.run(small, "country_list", {"kind": "paper"}).rows
    assert [(r["code"], r["records"]) for r in rows] == [("CN", 6), ("US", 5), ("JP", 2), ("GB", 1)]
    assert rows[0]["name"] == "China" and rows[0]["name_zh"] == "中国"
    # The same as network_countries' nodes over every year.
    nodes = [r for r in runner.run(small, "network_countries", {"kind": "paper", "limit": 1000}).rows
             if r["source"] == r["target"]]
    assert [(r["code"], r["name"], r["records"]) for r in rows] == \
        [(n["source"], n["source_name"], n["weight"]) for n in nodes]
    assert runner.run(small, "country_list", {"kind": "patent"}).rows == []
