"""Every source in one graph: the same work from two sources is one paper; patents count too."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from cypher import runner
from loader.pipeline import load_paths
from tests.conftest import real_file

SMALL = Path(__file__).parent / "data" / "small_wos.txt"
SCOPUS_HEADER = ["Authors", "Title", "Year", "Source title", "DOI", "Affiliations",
                 "Authors with affiliations", "Document Type", "Source", "EID"]


def scopus_file(tmp_path: Path, rows: list[dict]) -> Path:
    path = tmp_path / "scopus.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=SCOPUS_HEADER)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in SCOPUS_HEADER})
    return path


def test_same_doi_or_same_title_and_year_is_one_paper(graph, tmp_path):
    """small_wos.txt has WOS:...001 (DOI 10.1109/TC.2019.0001) and WOS:...002 (no DOI, title
    'Graphics processing unit scheduling for deep learning training', 2019).  A Scopus export
    holding the same two works plus one new paper adds one paper, not three."""
    scopus = scopus_file(tmp_path, [
        {"Title": "An FPGA accelerator for sparse convolutional networks", "Year": "2019",
         "DOI": "10.1109/TC.2019.0001", "EID": "2-s2.0-1", "Document Type": "Article",
         "Affiliations": "Tsinghua University, Beijing, China; University of California, Berkeley, CA, United States"},
        {"Title": "Graphics Processing Unit scheduling for deep-learning training", "Year": "2019",
         "EID": "2-s2.0-2", "Document Type": "Article",
         "Affiliations": "Peking University, Beijing, China; University of Tokyo, Tokyo, Japan"},
        {"Title": "A brand new ASIC", "Year": "2021", "EID": "2-s2.0-3", "Document Type": "Article",
         "Affiliations": "Fudan University, Shanghai, China; Stanford University, Stanford, CA, United States"},
    ])
    load_paths(graph, [SMALL])
    before = graph.counts()["nodes:Paper"]
    summary = load_paths(graph, [scopus])
    assert summary.ok, summary.files[0].error
    assert graph.counts()["nodes:Paper"] == before + 1
    merged = graph.read("MATCH (p:Paper) WHERE size(p.sources) > 1 RETURN p.uid AS uid, p.sources AS sources "
                        "ORDER BY uid").rows
    assert merged == [{"uid": "WOS:000000000000001", "sources": ["wos", "scopus"]},
                      {"uid": "WOS:000000000000002", "sources": ["wos", "scopus"]}]
    # The 2019 CN-US count is unchanged (the merged paper is counted once); 2021 gains the new one.
    rows = {r["year"]: r for r in runner.run(graph, "closeness", {"a": "CN", "b": "US"}).rows}
    assert rows[2019]["n_ab"] == 1
    assert rows[2021]["n_ab"] == 2
    # Loading the Scopus file again changes nothing.
    counts = graph.counts()
    load_paths(graph, [scopus])
    assert graph.counts() == counts


def test_uspto_patents_count_co_invention(graph):
    """PatentsView-DB-ipg130416.small.xml holds 25 grants (27 documents, two of them sequence
    listings).  One is co-invented across countries: US12672885 (application 12/672,885), whose
    inventors live in France, India and Singapore; its earliest priority is 2007."""
    summary = load_paths(graph, [real_file("patents-uspto-xml", "PatentsView-DB-ipg130416.small.xml")])
    assert summary.ok
    assert summary.files[0].new == 25
    assert graph.counts()["nodes:Patent"] == 25
    rows = runner.run(graph, "closeness", {"a": "FR", "b": "SG", "kind": "patent"}).rows
    assert [(r["year"], r["n_ab"], r["n_a"], r["n_b"]) for r in rows] == [(2007, 1, 1, 1)]
    # No China-US co-invention in this file: no year has any international CN or US patent.
    assert runner.run(graph, "closeness", {"a": "CN", "b": "US", "kind": "patent"}).rows == []


@pytest.mark.parametrize("folder,name", [
    ("patents-lens", "antontruly-patents-lens-export.csv"),
    ("patents-cn-xlsx", "Green-Aviation-PatSnap-20240401085613950.XLSX"),
    ("scopus", "litstudy-scopus.csv"),
    ("ieee", "litstudy-ieee_1.csv"),
    ("openalex", "openalex-python-W-api-response.json"),
])
def test_each_real_source_loads_into_the_graph(graph, folder, name):
    summary = load_paths(graph, [real_file(folder, name)])
    assert summary.ok, summary.files[0].error
    assert summary.files[0].new > 0
    label = "Patent" if folder.startswith("patents") else "Paper"
    assert graph.counts()[f"nodes:{label}"] == summary.files[0].new


def test_a_ror_id_names_the_institution_whatever_the_spelling(graph, tmp_path):
    """OpenAlex gives ROR ids: 03cve4549 is Tsinghua University in the institution table."""
    import json

    work = {
        "id": "https://openalex.org/W1", "doi": "https://doi.org/10.99999/ror-test", "title": "A TPU study",
        "display_name": "A TPU study", "publication_year": 2020, "type": "article",
        "authorships": [
            {"institutions": [{"display_name": "Qinghua Daxue (THU)", "ror": "https://ror.org/03cve4549",
                               "country_code": "CN"}], "countries": ["CN"]},
            {"institutions": [{"display_name": "Some Lab", "ror": None, "country_code": "US"}], "countries": ["US"]},
        ],
    }
    path = tmp_path / "works.jsonl"
    path.write_text(json.dumps(work) + "\n")
    assert load_paths(graph, [path]).ok
    names = graph.read("MATCH (:Paper)-[:AFFILIATED_WITH]->(i:Institution) RETURN i.name AS name, "
                       "i.raw_names AS raw ORDER BY name").rows
    assert {"name": "Tsinghua University", "raw": ["Qinghua Daxue (THU)"]} in names
