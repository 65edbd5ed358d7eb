"""A first load built by bulk insert (loader/bulk_writer.py) is the statement writer's graph.

The statement load is the reference: the same files loaded both ways into an empty graph must
leave the same nodes and relationships with the same properties, aggregates included, value for
value, and the same file summaries.  The files include what the bulk writer leaves to the
statement writer: a file loaded twice in one load (every record met again), patent family rows
spread over batches, and a paper of a second source with a DOI the first already loaded.
"""
from __future__ import annotations

import struct
from pathlib import Path

import pytest

from cypher import runner
from graph.base import GraphError
from graph import falkor_bulk
from graph.falkor_bulk import BUILD_SUFFIX, BulkBuild, UnsendableValue, encode
from loader.demo import write_demo
from loader.pipeline import load_paths, record_batches
from loader.records import PATENT, Record
from loader.writer import GraphWriter
from tests.conftest import real_file
from tests.test_bad_input import HEAD, wos
from tests.test_parallel_load import contents


def load(graph, paths, bulk: bool, **options) -> dict:
    graph.clear()
    summary = load_paths(graph, paths, bulk=bulk, workers=0, **options)
    return {
        "files": [(Path(f.path).name, f.read, f.new, f.duplicate, dict(f.skipped), f.error) for f in summary.files],
        "counts": graph.counts(),
        "properties": graph.property_counts(),
        "contents": contents(graph),
        "closeness": runner.run(graph, "closeness", {"a": "CN", "b": "US"}).rows,
    }


def assert_same(bulk: dict, statements: dict) -> None:
    for key in ("files", "counts", "properties", "closeness"):
        assert bulk[key] == statements[key], key
    # (A label or type the statements made and emptied again, Dirty, is listed with nothing in it.)
    for name in sorted(set(bulk["contents"]) | set(statements["contents"])):
        assert bulk["contents"].get(name, []) == statements["contents"].get(name, []), name


def test_the_demo_data_builds_the_same_graph_as_statements(graph, tmp_path):
    paths = write_demo(tmp_path / "demo")
    statements = load(graph, paths, bulk=False, batch_size=500)
    bulk = load(graph, paths, bulk=True, batch_size=500)
    assert_same(bulk, statements)
    # Not vacuous: papers and patents, every aggregate, and patent family rows met again in a
    # later batch (duplicates the statement writer merges after the build).
    counts = bulk["counts"]
    assert counts["nodes:Paper"] > 11_000 and counts["nodes:Patent"] > 400
    for name in ("UnitYear", "PairYear", "CountryYear", "SHARED_PAPERS_INSTITUTE", "CO_INVENTED", "HAS_UNIT"):
        assert bulk["contents"][name], name
    assert sum(f[3] for f in bulk["files"]) > 100


def test_real_exports_with_records_met_again_build_the_same_graph(graph, tmp_path):
    wos_file = real_file("wos", "citespace-homework-savedrecs.txt")
    paths = [wos_file, real_file("scopus", "bibliometrix-scopus_sample.csv"), wos_file,
             real_file("openalex", "bibliometrix-openalex_sample.csv"),
             real_file("patents-lens", "antontruly-patents-lens-export.csv")]
    # A second source's paper with the DOI of a WoS paper loaded earlier: it takes the WoS uid.
    first_doi = next(line[3:].strip() for line in wos_file.read_text(encoding="utf-8-sig").splitlines()
                     if line.startswith("DI "))
    scopus_copy = tmp_path / "scopus-copy.csv"
    scopus_copy.write_text('Authors,Title,Year,Source title,DOI,Affiliations,Document Type,Source,EID\n'
                           f'"Li X.","A copy",2020,"J",{first_doi},"Tsinghua University, Beijing, China; '
                           'MIT, Cambridge, MA, United States",Article,Scopus,2-s2.0-1\n', encoding="utf-8")
    paths.append(scopus_copy)
    statements = load(graph, paths, bulk=False, batch_size=200)
    bulk = load(graph, paths, bulk=True, batch_size=200)
    assert_same(bulk, statements)
    assert bulk["files"][2][2] == 0 and bulk["files"][2][3] == bulk["files"][0][1]   # all met again
    adopted = graph.read("MATCH (p:Paper {doi: $doi}) RETURN p.uid AS uid, p.sources AS sources",
                         {"doi": first_doi.lower()}).rows
    assert len(adopted) == 1 and adopted[0]["uid"].startswith("WOS:") and "scopus" in adopted[0]["sources"]


def test_exact_repeats_are_left_out_and_changed_ones_merged_in_order(graph, tmp_path, monkeypatch):
    """Overlapping exports repeat records.  A repeat equal to the record the build holds is a
    duplicate and nothing more; one that differs (here a new title) goes to the statement writer,
    and so does every later repeat of that record, even one equal to the first again: the
    statements apply them in load order, as a statement load does."""
    files = {"a.txt": [wos(1), wos(2), wos(3)],
             "b.txt": [wos(1), wos(2, title="Paper 2, retitled in a later export"), wos(3)],
             "c.txt": [wos(2), wos(3)]}
    paths = []
    for name, records in files.items():
        (tmp_path / name).write_text(HEAD + "".join(records), encoding="utf-8")
        paths.append(tmp_path / name)
    statements = load(graph, paths, bulk=False)
    merged = []
    original = GraphWriter.write
    monkeypatch.setattr(GraphWriter, "write", lambda self, kind, prepared, *args:
                        (merged.extend(p.record.uid for p in prepared), original(self, kind, prepared, *args))[1])
    bulk = load(graph, paths, bulk=True)
    assert_same(bulk, statements)
    assert merged == [f"WOS:{2:015d}", f"WOS:{2:015d}"]
    assert [f[2:4] for f in bulk["files"]] == [(3, 0), (0, 3), (0, 2)]      # (new, duplicate)
    titles = graph.read("MATCH (p:Paper {uid: $uid}) RETURN p.title AS title", {"uid": f"WOS:{2:015d}"}).rows
    assert titles == [{"title": "Paper 2 on a neural network processor"}]


def test_commands_cut_anywhere_build_the_same_graph(graph, monkeypatch):
    """Commands of 20 KB instead of 32 MB: every kind of block is cut between commands (nodes,
    edges with and without properties), as a load of a million records cuts them."""
    paths = [real_file("wos", "citespace-homework-savedrecs.txt"),
             real_file("patents-lens", "antontruly-patents-lens-export.csv")]
    statements = load(graph, paths, bulk=False, batch_size=200)
    sent = []
    original = BulkBuild.send
    monkeypatch.setattr(falkor_bulk, "COMMAND_BYTES", 20_000)
    monkeypatch.setattr(BulkBuild, "send", lambda self: (sent.append(1), original(self)))
    bulk = load(graph, paths, bulk=True, batch_size=200)
    assert_same(bulk, statements)
    assert len(sent) > 100


def test_a_build_left_unfinished_leaves_the_graph_empty_and_the_next_load_clears_it(graph, tmp_path):
    (tmp_path / "a.txt").write_text(HEAD + wos(1) + wos(2), encoding="utf-8")
    build = graph.bulk_build()
    build.add_node("Paper", ("uid",), ("WOS:left-behind",))
    build.flush()
    assert graph.name + BUILD_SUFFIX in graph.command("GRAPH.LIST")
    assert not graph.has_nodes()
    summary = load_paths(graph, [tmp_path / "a.txt"], bulk=True, workers=0)
    assert summary.total("new") == 2
    assert graph.name + BUILD_SUFFIX not in graph.command("GRAPH.LIST")
    uids = sorted(row["uid"] for row in graph.read("MATCH (p:Paper) RETURN p.uid AS uid").rows)
    assert len(uids) == 2 and "WOS:left-behind" not in uids


def test_a_bulk_build_is_refused_for_a_graph_with_nodes(graph, tmp_path):
    (tmp_path / "a.txt").write_text(HEAD + wos(1), encoding="utf-8")
    load_paths(graph, [tmp_path / "a.txt"], bulk=False, workers=0)
    with pytest.raises(ValueError, match="holds nodes already"):
        load_paths(graph, [tmp_path / "a.txt"], bulk=True, workers=0)


def test_the_built_graph_keeps_its_schema_and_constraints(graph, tmp_path):
    (tmp_path / "a.txt").write_text(HEAD + wos(1), encoding="utf-8")
    load_paths(graph, [tmp_path / "a.txt"], bulk=True, workers=0)
    uid = graph.read("MATCH (p:Paper) RETURN p.uid AS uid").rows[0]["uid"]
    with pytest.raises(GraphError, match="unique constraint"):
        graph.write("CREATE (:Paper {uid: $uid})", {"uid": uid})
    assert "Index Scan" in graph.explain("MATCH (p:Paper {uid: $uid}) RETURN p", {"uid": uid})


def test_values_are_encoded_as_the_bulk_format_says():
    assert encode(None) == b"\x00"
    assert encode(True) == b"\x01\x01" and encode(False) == b"\x01\x00"
    assert encode(0.5) == b"\x02" + struct.pack("<d", 0.5)
    assert encode("é") == b"\x03\xc3\xa9\x00"
    assert encode(-3) == b"\x04" + struct.pack("<q", -3)
    assert encode(["a", 1]) == b"\x05" + struct.pack("<Q", 2) + b"\x03a\x00" + b"\x04" + struct.pack("<q", 1)
    with pytest.raises(UnsendableValue, match="NUL"):
        encode("a\0b")
    with pytest.raises(UnsendableValue, match="dict"):
        encode({"a": 1})


def test_a_batch_is_never_cut_between_rows_of_one_record():
    rows = [Record(PATENT, uid, "generic", 2020) for uid in "abbcccd"]
    batches = [[r.uid for r in batch] for batch in record_batches(rows, 2)]
    assert batches == [["a", "b", "b"], ["c", "c", "c"], ["d"]]
