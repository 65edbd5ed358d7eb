"""IEEE Xplore CSV parser: real exports from ../shared and inline edge cases."""
from __future__ import annotations

import io

import pytest

from loader.formats import ieee
from loader.formats.textio import open_export, sniff
from loader.records import AUTHOR, ExportError, Org, Record, Skip
from tests.conftest import real_file


def read(name: str) -> list[Record | Skip]:
    path = real_file("ieee", name)
    with open_export(path) as fp:
        return list(ieee.parse(fp, path.name))


def by_uid(items, uid: str) -> Record:
    return next(item for item in items if isinstance(item, Record) and item.uid == uid)


# --- real exports --------------------------------------------------------------

@pytest.mark.parametrize("name, count, cn_us", [
    # Counts from PROVENANCE.md.  Its CN∧US column matched 'China' and
    # 'USA/United States' in Author Affiliations; the parser agrees on every file.
    ("litstudy-ieee_1.csv", 100, 1),
    ("litstudy-ieee_2.csv", 100, 4),
    ("litstudy-ieee_3.csv", 100, 0),
    ("litstudy-ieee_4.csv", 100, 1),
    ("litstudy-tests-ieee.csv", 10, 0),
])
def test_real_file_counts(name, count, cn_us):
    items = read(name)
    assert len(items) == count and all(isinstance(item, Record) for item in items)
    assert len({item.uid for item in items}) == count
    assert sum({"CN", "US"} <= item.countries for item in items) == cn_us
    assert ieee.detect(sniff(real_file("ieee", name)))


def test_first_record_of_ieee_1():
    # Line 2: PDF Link ...stamp.jsp?arnumber=9150427, Publication Year 2020,
    # DOI 10.1109/IPDPSW50202.2020.00117; three authors, each "Georgia
    # Institute of Technology Atlanta,Georgia,USA" (no space after commas).
    record = by_uid(read("litstudy-ieee_1.csv"), "IEEE:9150427")
    assert (record.line, record.year, record.doi) == (2, 2020, "10.1109/ipdpsw50202.2020.00117")
    assert record.countries == {"US"}
    assert record.orgs == [Org("Georgia Institute of Technology Atlanta", "US", AUTHOR)]
    assert record.doc_type == "IEEE Conferences"
    # Author Keywords is empty; IEEE Terms starts "Graphics processing units;Programming".
    assert record.keywords[:2] == ["Graphics processing units", "Programming"]


def test_china_us_record_of_ieee_2():
    # Line 33, arnumber 6339609 (VOCL, 2012).  Nine author affiliations:
    # Virginia Tech (Dept. of Computer Science), Argonne National Lab. (two
    # divisions), Accenture Technology Labs, all "..., USA", and twice "Shenzhen
    # Inst. of Adv. Tech., Chinese Academy of Sciences, China".
    record = by_uid(read("litstudy-ieee_2.csv"), "IEEE:6339609")
    assert (record.line, record.year, record.doi) == (33, 2012, "10.1109/inpar.2012.6339609")
    assert record.countries == {"US", "CN"}
    assert record.orgs == [
        Org("Virginia Tech.", "US", AUTHOR),
        Org("Argonne National Lab.", "US", AUTHOR),
        Org("Accenture Technology Labs", "US", AUTHOR),
        Org("Shenzhen Inst. of Adv. Tech., Chinese Academy of Sciences", "CN", AUTHOR),
    ]
    assert record.keywords[:3] == ["Graphics Processing Unit (GPU)", "Transparent Virtualization",
                                   "OpenCL"]


def test_affiliations_without_a_country_and_na():
    items = read("litstudy-tests-ieee.csv")
    # Line 2 (arnumber 6634083): "University of Notre Dame; Lawrence Berkeley
    # National Laboratory" -- organisations with no country part.
    notre_dame = by_uid(items, "IEEE:6634083")
    assert notre_dame.line == 2 and notre_dame.countries == set()
    assert [org.name for org in notre_dame.orgs] == ["University of Notre Dame",
                                                     "Lawrence Berkeley National Laboratory"]
    assert all(org.country is None for org in notre_dame.orgs)
    # Line 8 (arnumber 8960361): every affiliation is "NA".
    unknown = by_uid(items, "IEEE:8960361")
    assert (unknown.line, unknown.orgs, unknown.countries) == (8, [], set())


def test_many_countries_with_state_codes():
    # Line 9 (arnumber 9652570): 29 affiliations such as "Oak Ridge National
    # Laboratory,TN,USA", "Barcelona Supercomputing Center,Spain", "Tweag,
    # Zürich,Switzerland", "Heriot-Watt University,Edinburgh,UK"; 20 distinct
    # organisations in 8 countries.
    record = by_uid(read("litstudy-tests-ieee.csv"), "IEEE:9652570")
    assert record.line == 9 and record.year == 2021
    assert record.countries == {"US", "ES", "PL", "BE", "AT", "GB", "CH", "DE"}
    assert len(record.orgs) == 20
    # "University of Illinois,Urbana-Champaign,USA": the campus stays with the name.
    assert Org("University of Illinois, Urbana-Champaign", "US", AUTHOR) in record.orgs
    assert Org("Tweag", "CH", AUTHOR) in record.orgs


# --- inline edge cases ------------------------------------------------------------

HEADER = ('"Document Title",Authors,"Author Affiliations","Publication Title","Publication Year",'
          '"DOI",PDF Link,"Author Keywords","IEEE Terms",Document Identifier\n')


def parse_text(text: str) -> list[Record | Skip]:
    return list(ieee.parse(io.StringIO(text), "ieee.csv"))


def test_uid_falls_back_to_doi_then_skips():
    items = parse_text(
        HEADER
        + '"A","X. Li","Zhejiang Univ., Hangzhou, China","Conf",2019,"10.1109/ABC.1",'
          '"https://ieeexplore.ieee.org/stamp/stamp.jsp?arnumber=42","k1;k2","k2;k3",IEEE Journals\n'
        + '"B","Y. Wu","MIT, Cambridge, MA, USA","Conf",2018,"10.1109/DEF.2",,,,\n'
        + '"C","Z. Ma","NA","Conf",2017,,,,,\n')
    first, second, third = items
    assert (first.uid, first.doi, first.keywords) == ("IEEE:42", "10.1109/abc.1", ["k1", "k2", "k3"])
    assert (second.uid, second.countries) == ("IEEE:10.1109/def.2", {"US"})
    assert third == Skip("ieee.csv", 4, "the row has no article number (PDF Link) and no DOI")


def test_multiline_abstract_keeps_line_numbers():
    text = ('"Document Title","Author Affiliations","Publication Year","Abstract",PDF Link\n'
            '"T1","Univ. of Tokyo, Tokyo, Japan",2015,"one\ntwo",x?arnumber=1\n'
            '"T2","KAIST, Daejeon, South Korea",2016,"",x?arnumber=2\n')
    first, second = parse_text(text)
    assert (first.line, first.abstract, first.countries) == (2, "one\ntwo", {"JP"})
    assert (second.line, second.countries) == (4, {"KR"})


def test_missing_required_column_names_it():
    with pytest.raises(ExportError) as caught:
        parse_text('"Document Title",Authors,"Publication Year"\n"A","B",2020\n')
    assert caught.value.where == "line 1"
    assert "missing columns: Author Affiliations" in caught.value.problem


def test_detect():
    assert ieee.detect(HEADER)
    assert not ieee.detect("Authors,Title,Year,Source title,EID\n")
