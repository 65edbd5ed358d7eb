"""Property-based tests: parsers, file opening, normalisers and the read guard take any input.

For any text (or bytes), each function either returns or raises the one error
it documents (ExportError for parsers, QueryRefused for the guard), gives the
same answer twice, and answers within a deadline.  Inputs are arbitrary text
and text assembled from each format's own pieces (WoS tags, CSV headers, XML
prologs), so the parsers get past their first line.
"""
from __future__ import annotations

import io
import tempfile
from datetime import timedelta
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import QueryRefused, guard
from loader.formats import PARSERS, read_records
from loader.formats.textio import decode_head, open_export
from loader.records import ExportError, Record, Skip

# A deadline per example, generous for a 2-core machine under load; a pathological regex or a
# quadratic loop on a few kB of input takes far longer.
FAST = settings(max_examples=200, deadline=timedelta(milliseconds=2000),
                suppress_health_check=[HealthCheck.too_slow])

# Pieces real exports are made of, so generated files look like exports to each parser.
PIECES = [
    "FN Clarivate Analytics Web of Science", "VR 1.0", "PT J", "ER", "EF", "UT WOS:000361432300021",
    "AU Wang, L", "TI A chip", "C1 [Wang, L] Tsinghua Univ, Beijing 100084, Peoples R China.",
    "   Stanford Univ, Stanford, CA 94305 USA.", "C3 Tsinghua University; Stanford University",
    "PY 2019", "EY 2021", "EA JAN 2021", "DI 10.1/X", "RP Li, M (通讯作者)，Fudan Univ, Shanghai, Peoples R China.",
    "PT\tAU\tTI\tC1\tPY\tUT", "J\tWang, L\tChip\t[Wang, L] Tsinghua Univ, Beijing, Peoples R China\t2019\tWOS:1",
    '"Authors","Title","Year","Source title","Affiliations","Authors with affiliations","EID"',
    '"A","T","2019","S","Tsinghua University, Beijing, China","A., Tsinghua University, China","2-s2.0-1"',
    "application_number,inventor_countries,title,year,family_id,applicants,applicant_countries",
    "CN2018,CN|US,Chip,2019,F1,Huawei|Intel,CN|US",
    '{"id": "https://openalex.org/W1", "display_name": "x", "authorships": [{"institutions": '
    '[{"display_name": "Tsinghua", "country_code": "CN"}]}], "publication_year": 2019}',
    "[", "]", "{", "}", ",", '"', "\\",
    '<?xml version="1.0" encoding="UTF-8"?>', '<!DOCTYPE us-patent-grant SYSTEM "x.dtd" [ ]>',
    "<us-patent-grant><us-bibliographic-data-grant><invention-title>Chip</invention-title>",
    "</us-bibliographic-data-grant></us-patent-grant>", "<!ENTITY a \"b\">",
    '"Document Title","Authors","Author Affiliations","Publication Year","DOI","Document Identifier"',
    "Lens ID,Title,Applicants,Inventors,Jurisdiction,Application Number,Priority Numbers",
    "申请号,标题,申请人,发明人,申请人国家,发明人国家,申请日",
]
export_text = st.one_of(
    st.text(max_size=2000),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=40)), max_size=40).map("\n".join),
)
TEXT_PARSERS = [(name, module) for name, module in PARSERS if hasattr(module, "parse")]


def parse_all(module, text: str) -> list[Record | Skip] | str:
    """Everything a parser yields for `text`, or the ExportError it ends with (as text)."""
    items = []
    try:
        for item in module.parse(io.StringIO(text), "gen.txt"):
            assert isinstance(item, (Record, Skip)), type(item)
            items.append(item)
    except ExportError as exc:
        return items, str(exc)
    return items, None


@pytest.mark.parametrize("name, module", TEXT_PARSERS, ids=[n for n, _ in TEXT_PARSERS])
@FAST
@given(text=export_text)
def test_every_parser_takes_any_text(name, module, text):
    first = parse_all(module, text)
    assert parse_all(module, text) == first      # deterministic


@settings(max_examples=300, deadline=timedelta(milliseconds=3000),
          suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=3000),
                      export_text.map(lambda t: t.encode("utf-8")),
                      export_text.map(lambda t: t.encode("utf-16")),
                      export_text.map(lambda t: t.encode("gb18030"))))
def test_any_bytes_are_read_or_refused_with_an_export_error(data):
    # The whole path of a file: detection, opening (BOMs, encodings), the chosen parser.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export"
        path.write_bytes(data)
        outcomes = []
        for _ in range(2):
            try:
                outcomes.append((list(read_records(path)), None))
            except ExportError as exc:
                outcomes.append((None, str(exc)))
        assert outcomes[0] == outcomes[1]
        # Opening alone: lines come out, or the ExportError names a line.
        try:
            with open_export(path) as fp:
                for _line in fp:
                    pass
        except ExportError as exc:
            assert exc.file == str(path)


@FAST
@given(data=st.binary(max_size=4000))
def test_decode_head_is_text_or_an_export_error(data):
    try:
        text = decode_head(data, "gen.txt", ("utf-8", "gb18030"))
    except ExportError as exc:
        assert exc.file == "gen.txt"
    else:
        assert "\r" not in text


# -- normalisers ------------------------------------------------------------------------------------

@cache
def institutions():
    from loader.normalise.institutions import InstitutionTable

    return InstitutionTable.load()


@cache
def branches():
    from loader.normalise.branches import BranchTagger

    return BranchTagger.load()


names = st.one_of(st.text(max_size=200),
                  st.sampled_from(["Tsinghua Univ", "Univ Calif Berkeley", "中国科学院", "Peoples R China",
                                   "USA", "CA 94305 USA", "Hong Kong", "Chinese Acad Sci", "MIT"]))


@FAST
@given(text=names, split=st.booleans())
def test_country_functions_answer_a_code_or_none(text, split):
    from loader.normalise.countries import country_code, wos_address_country

    for function in (country_code, wos_address_country):
        code = function(text, split_hk_macau=split)
        assert code is None or (len(code) == 2 and code.isupper()), code
        assert function(text, split_hk_macau=split) == code


@FAST
@given(raw=names, country=st.one_of(st.none(), st.sampled_from(["CN", "US", "HK", "", "XX"]), st.text(max_size=3)))
def test_institution_resolution_answers_for_any_name(raw, country):
    table = institutions()
    first = table.resolve(raw, country)
    assert isinstance(first.name, str) and first.raw == raw
    assert table.resolve(raw, country) == first


@FAST
@given(title=st.text(max_size=500), keywords=st.lists(st.text(max_size=40), max_size=8),
       abstract=st.text(max_size=1500), subjects=st.lists(st.text(max_size=40), max_size=4))
def test_branch_tagging_answers_for_any_text(title, keywords, abstract, subjects):
    tagger = branches()
    found = tagger.tag(title, keywords, abstract, subjects)
    assert found <= set(tagger.branches)
    assert tagger.tag(title, keywords, abstract, subjects) == found


# -- the read guard ---------------------------------------------------------------------------------

cypher_text = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(["MATCH (n)", "RETURN n", "CALL", "db.labels()", "apoc.x()", "'", '"', "`",
                              "//", "/*", "*/", ";", "\n", "LOAD CSV", "USE", "CREATE INDEX", "{", "}", "\\"]),
             max_size=30).map(" ".join),
)


@FAST
@given(query=cypher_text, engine=st.sampled_from(["falkordb", "neo4j"]))
def test_the_guard_passes_or_refuses_any_text(query, engine):
    outcomes = []
    for _ in range(2):
        try:
            guard.check_read_query(query, engine)
            outcomes.append(None)
        except QueryRefused as exc:
            outcomes.append(str(exc))
    assert outcomes[0] == outcomes[1]
    # Blanking strings and comments never lets a refused word through untouched:
    # whatever the guard passes has no LOAD CSV and no second statement in its code.
    if outcomes[0] is None:
        code = guard.code_only(query)
        assert "LOAD CSV" not in " ".join(code.upper().split())
        assert ";" not in code.rstrip().rstrip(";")
