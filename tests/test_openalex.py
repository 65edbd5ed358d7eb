"""OpenAlex works parser: real files from ../shared and inline edge cases."""
from __future__ import annotations

import io
import json

import pytest

from loader.formats import openalex
from loader.formats.textio import open_export, sniff
from loader.records import AUTHOR, ExportError, Org, Record, Skip
from tests.conftest import real_file


def read(name: str) -> list[Record | Skip]:
    path = real_file("openalex", name)
    with open_export(path) as fp:
        return list(openalex.parse(fp, path.name))


def parse_text(text: str, **options) -> list[Record | Skip]:
    return list(openalex.parse(io.StringIO(text), "works.json", **options))


# --- real files ----------------------------------------------------------------

def test_work_with_institutions_and_ror_ids():
    # W2741809807 (PeerJ 2018, "The state of OA").  Nine authorships; their
    # institutions, in order of first appearance: Impact Technology Development
    # (US), Université de Montréal (CA), Université du Québec à Montréal (CA),
    # Simon Fraser University (CA), Public Knowledge Project (country_code
    # null), University of Washington (US), Seattle University (US), University
    # of Ottawa (CA).  ROR ids are the last part of each "ror" URL.
    (record,) = read("openalex-python-W2741809807.json")
    assert (record.uid, record.line, record.year) == ("OPENALEX:W2741809807", 1, 2018)
    assert (record.doi, record.doc_type) == ("10.7717/peerj.4375", "article")
    assert record.countries == {"US", "CA"}
    assert [org.name for org in record.orgs] == [
        "Impact Technology Development (United States)", "Université de Montréal",
        "Université du Québec à Montréal", "Simon Fraser University", "Public Knowledge Project",
        "University of Washington", "Seattle University", "University of Ottawa"]
    assert record.orgs[0] == Org("Impact Technology Development (United States)", "US", AUTHOR,
                                 "05ppvf150")
    assert record.orgs[4] == Org("Public Knowledge Project", None, AUTHOR, "05ek4tb53")
    # keywords[0].display_name; topics' field and subfield names.
    assert record.keywords[0] == "Scholarly Communication"
    assert record.subjects[:2] == ["Decision Sciences", "Statistics, Probability and Uncertainty"]
    # abstract_inverted_index: "Despite" at 0, "growing" at 1, ... "need" at 14.
    assert record.abstract.startswith(
        "Despite growing interest in Open Access (OA) to scholarly literature, there is an unmet need")


def test_older_work_shape_without_authorship_countries():
    # W2755950973 (Phys. Rev. Lett. 2017, host_venue era): one authorship whose
    # only institution is California Institute of Technology, country_code US,
    # and no "countries" list.
    (record,) = read("openalex-python-W-api-response.json")
    assert (record.uid, record.year) == ("OPENALEX:W2755950973", 2017)
    assert record.doi == "10.1103/physrevlett.118.091101"
    assert record.countries == {"US"}
    assert record.orgs == [Org("California Institute of Technology", "US", AUTHOR, "05dxps055")]


@pytest.mark.parametrize("name", ["openalex-neo4j-institution.jsonl",
                                  "openalex-python-I27837315.json"])
def test_institution_files_are_not_works(name):
    assert openalex.detect(sniff(real_file("openalex", name)))
    with pytest.raises(ExportError) as caught:
        read(name)
    assert caught.value.where == "line 1"
    assert caught.value.problem == "an OpenAlex institutions file, not works"


def test_manifest_is_neither_claimed_nor_a_work():
    path = real_file("openalex", "openalex-neo4j-manifest.json")
    assert not openalex.detect(sniff(path))
    (skip,) = read(path.name)
    assert isinstance(skip, Skip) and "no OpenAlex id" in skip.reason


def test_bibliometrix_csv():
    items = read("bibliometrix-openalex_sample.csv")
    assert len(items) == 8 and all(isinstance(item, Record) for item in items)   # PROVENANCE: 8
    assert sum({"CN", "US"} <= item.countries for item in items) == 0
    works = {item.uid: item for item in items}
    # Line 2: W2755950973 (bibliometrix, 2017), countries "IT|IT", two
    # institutions, one per authorship: each gets its authorship's country.
    first = works["OPENALEX:W2755950973"]
    assert (first.line, first.year, first.doi) == (2, 2017, "10.1016/j.joi.2017.08.007")
    assert first.orgs == [Org("University of Naples Federico II", "IT", AUTHOR),
                          Org('University of Campania "Luigi Vanvitelli"', "IT", AUTHOR)]
    assert first.subjects == ["Data Analysis with R"]
    # W3158457682: countries "IN|IN" but four institution entries -- the lists
    # do not line up, so the organisations carry no country.
    india = works["OPENALEX:W3158457682"]
    assert india.countries == {"IN"}
    assert [org.country for org in india.orgs] == [None, None]
    # W2998021954: no authorship countries or institutions at all.
    assert works["OPENALEX:W2998021954"].countries == set()
    assert openalex.detect(sniff(real_file("openalex", "bibliometrix-openalex_sample.csv")))


@pytest.mark.parametrize("chunk", [1, 2, 7, 100])
def test_chunk_boundaries_do_not_change_the_result(monkeypatch, chunk):
    # The file is read CHUNK characters at a time; a value or number cut at a
    # chunk's end must decode the same.
    expected = read("openalex-python-W2741809807.json")
    monkeypatch.setattr(openalex, "CHUNK", chunk)
    assert read("openalex-python-W2741809807.json") == expected


# --- inline edge cases ------------------------------------------------------------

def work(number: int, *authorships: dict, **fields) -> dict:
    return {"id": f"https://openalex.org/W{number}", "publication_year": 2020,
            "authorships": list(authorships), **fields}


TSINGHUA = {"institutions": [{"display_name": "Tsinghua University", "country_code": "CN",
                              "ror": "https://ror.org/03cve4549"}], "countries": ["CN"]}
MIT = {"institutions": [{"display_name": "MIT", "country_code": "US", "ror": None}],
       "countries": ["US"]}
NO_INSTITUTION = {"institutions": [], "countries": ["DE"]}
HKU = {"institutions": [{"display_name": "University of Hong Kong", "country_code": "HK"}],
       "countries": ["HK"]}


def test_results_envelope():
    page = {"meta": {"count": 2, "page": 1},
            "results": [work(1, TSINGHUA, MIT), work(2, NO_INSTITUTION)], "group_by": []}
    first, second = parse_text(json.dumps(page, indent=1))
    assert first.uid == "OPENALEX:W1" and first.countries == {"CN", "US"}
    assert first.orgs == [Org("Tsinghua University", "CN", AUTHOR, "03cve4549"),
                          Org("MIT", "US", AUTHOR, None)]
    # An authorship without institutions adds its country and no organisation.
    assert (second.uid, second.countries, second.orgs) == ("OPENALEX:W2", {"DE"}, [])
    # indent=1: "results" opens on line 6, its first work on line 7.
    assert first.line == 7 and second.line > first.line


def test_jsonl_with_blank_line_and_bom():
    text = "\ufeff" + json.dumps(work(1, MIT)) + "\n\n" + json.dumps(work(2, TSINGHUA)) + "\n"
    first, second = parse_text(text)
    assert (first.uid, first.line) == ("OPENALEX:W1", 1)
    assert (second.uid, second.line) == ("OPENALEX:W2", 3)


def test_jsonl_broken_line_is_skipped():
    text = json.dumps(work(1, MIT)) + '\n{"id": "W2", "title": "cut\n' + json.dumps(work(3)) + "\n"
    first, skip, third = parse_text(text)
    assert first.uid == "OPENALEX:W1" and third.uid == "OPENALEX:W3"
    assert isinstance(skip, Skip) and skip.line == 2 and "invalid JSON" in skip.reason


def test_top_level_list():
    first, second = parse_text(json.dumps([work(5), work(6, HKU)]))
    assert [first.uid, second.uid] == ["OPENALEX:W5", "OPENALEX:W6"]
    # Hong Kong counts as China unless asked to keep it apart.
    assert second.countries == {"CN"} and second.orgs[0].country == "CN"
    (split,) = parse_text(json.dumps(work(6, HKU)), split_hk_macau=True)
    assert split.countries == {"HK"}


def test_truncated_json_names_the_line():
    text = json.dumps({"meta": {}, "results": [work(1), work(2, MIT)]}, indent=2)
    cut = text[: text.index('"MIT"') + 3]
    with pytest.raises(ExportError) as caught:
        parse_text(cut)
    assert caught.value.where == f"line {cut.count(chr(10)) + 1}"
    assert "truncated" in caught.value.problem


def test_syntax_error_names_the_line():
    with pytest.raises(ExportError) as caught:
        parse_text('[\n{"id": "W1"},\n{"id": "W2"} {"id": "W3"}\n]')
    assert caught.value.where == "line 3"
    assert "expected ',' or ']'" in caught.value.problem


def test_abstract_and_doi_and_keywords():
    (record,) = parse_text(json.dumps(work(
        9, doi="https://doi.org/10.1000/ABC.def", display_name="T",
        abstract_inverted_index={"chips": [2], "AI": [1], "Fast": [0], "win.": [3]},
        keywords=[], concepts=[{"display_name": "GPU", "score": 0.8, "level": 2},
                               {"display_name": "Physics", "score": 0.1, "level": 0}])))
    assert record.doi == "10.1000/abc.def"
    assert record.abstract == "Fast AI chips win."
    # No keywords: concepts scored 0.3 or more stand in.
    assert record.keywords == ["GPU"]


def test_object_without_work_id_is_skipped():
    (skip,) = parse_text('{"title": "no id"}')
    assert skip == Skip("works.json", 1,
                        "the object has no OpenAlex id ('id': 'https://openalex.org/W…')")


def test_inline_csv_export():
    text = ('"id","display_name","publication_year","authorships.countries",'
            '"authorships.institutions.display_name"\n'
            '"https://openalex.org/W7","T",2021,"CN|US","Fudan University|Yale University"\n')
    (record,) = parse_text(text)
    assert record.countries == {"CN", "US"}
    assert record.orgs == [Org("Fudan University", "CN", AUTHOR), Org("Yale University", "US", AUTHOR)]


def test_detect():
    assert openalex.detect('{"id": "https://openalex.org/W1", "display_name": "x"}')
    assert openalex.detect('{"meta": {"count": 1}, "results": [{"id": "https://openalex.org/W1", '
                           '"display_name": "x"')
    assert not openalex.detect('{"session_id": "S1", "query": "x"}')
    assert not openalex.detect("Authors,Title,Year,Source title,EID\n")
