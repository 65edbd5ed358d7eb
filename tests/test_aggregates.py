"""The aggregates kept while loading (new records counted in, changed years recounted) equal a
full recount from the records, however the data arrives."""
from __future__ import annotations

from pathlib import Path

from loader.demo.generate import write_demo
from loader.pipeline import load_paths
from loader.writer import GraphWriter
from tests.conftest import real_file

SMALL = Path(__file__).parent / "data" / "small_wos.txt"

AGGREGATES = [
    "MATCH (t:CountryYear) RETURN t.uid AS key, t.records AS records, t.intl AS intl ORDER BY key",
    "MATCH (a:Country)-[r:CO_AUTHORED]->(b:Country) RETURN a.code + '-' + b.code + ' ' + toString(r.year) AS key, "
    "r.papers AS n ORDER BY key",
    "MATCH (a:Country)-[r:CO_INVENTED]->(b:Country) RETURN a.code + '-' + b.code + ' ' + toString(r.year) + ' ' + "
    "r.role AS key, r.patents AS n ORDER BY key",
    "MATCH (a:Country)-[r:CO_AUTHORED|CO_INVENTED]->(b:Country) RETURN a.code + '-' + b.code + ' ' + "
    "toString(r.year) + ' ' + coalesce(r.role, '') AS key, r.frac AS frac ORDER BY key",
    "MATCH (:Country)-[h:HAS_YEAR]->(t:CountryYear) RETURN count(h) AS key",
    # The institution views' aggregates, both roll-up modes.
    "MATCH (i:Institution)-[:HAS_UNIT_YEAR]->(y:UnitYear) RETURN y.uid AS key, i.uid AS unit, y.records AS records, "
    "y.intl AS intl, y.records_frac AS records_frac, y.intl_frac AS intl_frac ORDER BY key",
    "MATCH (py:PairYear)-[h:HAS_UNIT]->(y:UnitYear) RETURN py.uid + ' ' + y.uid AS key, h.records AS n, h.frac AS frac "
    "ORDER BY key",
    "MATCH (y:UnitYear)-[w:WITH_COUNTRY]->(c:Country) RETURN y.uid + ' ' + c.code AS key, w.records AS n, w.frac AS frac "
    "ORDER BY key",
    "MATCH (a:Institution)-[r:SHARED_PAPERS|SHARED_PAPERS_ROLLED|SHARED_PATENTS|SHARED_PATENTS_ROLLED]->(b:Institution) RETURN a.uid + ' ' + b.uid + ' ' + type(r) + ' ' + toString(r.year) AS key, "
    "r.records AS n, r.frac AS frac ORDER BY key",
]


def snapshot(graph) -> list:
    """Every aggregate, fractional sums rounded: added up in another order they differ in the
    last bits."""
    return [[{k: round(v, 9) if isinstance(v, float) else v for k, v in row.items()}
             for row in graph.read(q, row_cap=None).rows] for q in AGGREGATES]


def recount_everything(graph) -> None:
    writer = GraphWriter(graph)
    for kind, label in (("paper", "Paper"), ("patent", "Patent")):
        years = {r["y"] for r in graph.read(f"MATCH (p:{label}) WHERE p.year IS NOT NULL "
                                            "RETURN DISTINCT p.year AS y", row_cap=None).rows}
        writer.rebuild_aggregates(kind, years)


def test_incremental_counts_equal_a_recount_on_the_demo_data(graph, tmp_path):
    # Small batches: patent families and repeated records fall into different batches.
    summary = load_paths(graph, write_demo(tmp_path / "demo"), batch_size=97)
    assert summary.ok
    kept = snapshot(graph)
    assert kept[0] and kept[1] and kept[2]
    recount_everything(graph)
    assert snapshot(graph) == kept


def test_overlapping_loads_and_reloads_stay_exact(graph, tmp_path):
    """A second file that repeats records of the first with other affiliations (so counted
    records change), then the first file again."""
    first = real_file("wos", "citespace-homework-savedrecs.txt")
    text = SMALL.read_text()
    # The same UT as small_wos.txt's record 002 (CN-JP), now with a US address too.
    changed = tmp_path / "changed.txt"
    changed.write_text(text.replace(
        "   [Sato, K] Univ Tokyo, Grad Sch Informat Sci & Technol, Tokyo 1138656, Japan.",
        "   [Sato, K] Univ Tokyo, Grad Sch Informat Sci & Technol, Tokyo 1138656, Japan.\n"
        "   [Moore, J] Harvard Univ, Sch Engn & Appl Sci, Cambridge, MA 02138 USA."))
    for paths in ([first, SMALL], [changed], [first]):
        assert load_paths(graph, paths, batch_size=50).ok
    kept = snapshot(graph)
    recount_everything(graph)
    assert snapshot(graph) == kept
    # The changed paper now counts for CN-US in 2019 (001 and 002).
    pair = graph.read("MATCH (:Country {code: 'CN'})-[r:CO_AUTHORED {year: 2019}]->(:Country {code: 'US'}) "
                      "RETURN r.papers AS n").rows
    assert pair[0]["n"] >= 2


def test_a_plain_reload_recounts_nothing(graph):
    load_paths(graph, [SMALL])
    writer = GraphWriter(graph)
    assert writer.dirty_years("paper") == set()
    calls = []
    original = graph.write

    def spy(cypher, params=None):
        calls.append(cypher.split("\n", 1)[0])
        return original(cypher, params)

    graph.write = spy
    try:
        load_paths(graph, [SMALL])
    finally:
        del graph.write
    assert not any("Drop the paper aggregates" in c for c in calls)
