"""The generic patent CSV: header detection, row -> Record, bad rows, family merging."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from loader.formats import patent_csv
from loader.formats.patent_csv import detect, merge_family_rows, normalise_application_number, parse
from loader.records import APPLICANT, PATENT, ExportError, Org, Record, Skip

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"

HEADER = ("family_id,application_number,publication_number,office,application_date,priority_date,"
          "title,abstract,ipc,applicants,applicant_countries,inventors,inventor_countries\n")


def rows(text: str, file: str = "patents.csv") -> list[Record | Skip]:
    return list(parse(io.StringIO(text), file))


def real_head(*parts: str) -> str:
    path = REAL.joinpath(*parts)
    if not path.exists():
        pytest.skip("../shared/data/real is absent (real export samples are not part of the repo)")
    with open(path, encoding="utf-8-sig", errors="replace") as fp:
        return fp.read(4096)


@pytest.mark.parametrize("head, expected", [
    (HEADER, True),
    ("\ufeff" + HEADER, True),
    ("Inventor_Countries,APPLICATION_NUMBER,title\nx,y,z\n", True),   # case and order are free
    ("application_number,title,inventors\n", False),                 # no inventor countries
    ("FN Clarivate Analytics Web of Science\nVR 1.0\n", False),
    ("", False),
])
def test_detect_needs_both_required_columns(head, expected):
    assert detect(head) is expected


@pytest.mark.parametrize("parts", [
    ("patents-lens", "antontruly-patents-lens-export.csv"),
    ("patents-other", "easy_esg-patentes.csv"),
    ("wos", "wosfile-wos_plaintext.txt"),
])
def test_detect_refuses_real_exports_of_other_formats(parts):
    # Lens and the hand-made patent list have an application/jurisdiction column but no
    # inventor countries; a WoS file is not CSV at all.  None of them may be read as ours.
    assert detect(real_head(*parts)) is False


def test_a_full_row_becomes_one_patent_record():
    text = HEADER + ('F100,CN 201810123456.7,CN108000001A,cn,2018-03-05,2017-11-20,'
                     'FPGA accelerator,An abstract.,G06N3/063|G06F15/78,'
                     '"Huawei Technologies Co., Ltd.|Intel Corporation",CN|US,'
                     '"Wang, Wei|Smith, John|Li, Na",cn|US|CN\n')
    [record] = rows(text)
    assert record.kind == PATENT and record.source == "generic"
    assert record.uid == "FAM:F100" and record.family_id == "F100"
    # The year is the earliest of the application (2018) and priority (2017) dates.
    assert record.year == 2017
    assert record.office == "CN"
    assert record.title == "FPGA accelerator" and record.abstract == "An abstract."
    assert record.countries == {"CN", "US"}                 # the inventors', lower case accepted
    assert record.applicant_countries == {"CN", "US"}
    # Two applicants, two codes: aligned one to one.
    assert record.orgs == [Org("Huawei Technologies Co., Ltd.", "CN", APPLICANT),
                           Org("Intel Corporation", "US", APPLICANT)]
    assert record.subjects == ["G06N3/063", "G06F15/78"]
    assert (record.file, record.line) == ("patents.csv", 2)


def test_without_family_the_uid_is_the_normalised_application_number():
    text = 'application_number,inventor_countries,year\n"US 16/123,456",US|DE,2019\n'
    [record] = rows(text)
    assert record.uid == "APP:US16123456"
    assert record.family_id is None and record.year == 2019
    assert record.countries == {"US", "DE"} and record.orgs == []


@pytest.mark.parametrize("raw, expected", [
    ("CN 201810123456.7", "CN2018101234567"),
    ("cn2018101234567", "CN2018101234567"),
    ("PCT/US2019/012345", "PCTUS2019012345"),
])
def test_application_numbers_compare_without_punctuation(raw, expected):
    assert normalise_application_number(raw) == expected


def test_applicants_not_aligned_with_codes_get_no_single_country():
    text = ("application_number,applicants,applicant_countries,inventor_countries\n"
            "A1,X Corp|Y Univ|Z Ltd,US|CN,US\n")
    [record] = rows(text)
    assert [org.country for org in record.orgs] == [None, None, None]
    assert record.applicant_countries == {"US", "CN"}


def test_bad_rows_are_skipped_with_the_column_named():
    text = ("application_number,inventor_countries,year,abstract\n"
            "A1,US|China,2019,fine\n"           # line 2: 'China' is not an ISO code
            ",US,2019,fine\n"                   # line 3: no application number
            "A3,US,20x9,fine\n"                 # line 4: year not a number
            'A4,CN|US,2020,"two\nlines"\n'      # lines 5-6: good, spans two lines
            "A5,CN,2021,fine\n")                # line 7: good
    out = rows(text)
    skips = [(s.line, s.reason.split(" ")[0]) for s in out if isinstance(s, Skip)]
    assert skips == [(2, "inventor_countries"), (3, "application_number"), (4, "year")]
    assert "'China'" in out[0].reason
    good = [r for r in out if isinstance(r, Record)]
    # A row's line is its first line, even after a quoted value ran over two lines.
    assert [(r.uid, r.line) for r in good] == [("APP:A4", 5), ("APP:A5", 7)]


def test_bad_dates_are_skipped():
    text = "application_number,inventor_countries,application_date\nA1,US,05/03/2018\n"
    [skip] = rows(text)
    assert isinstance(skip, Skip) and skip.reason.startswith("application_date")


def test_a_header_without_required_columns_says_what_is_missing_and_where_to_read():
    with pytest.raises(ExportError) as caught:
        rows("app_no,inventor_country\nA1,US\n", "mine.csv")
    message = str(caught.value)
    assert "mine.csv" in message and "application_number" in message
    assert "inventor_countries" in message and patent_csv.DOC in message


def test_a_bom_before_the_header_is_ignored():
    [record] = rows("\ufeffapplication_number,inventor_countries\nA1,US|CN\n")
    assert record.countries == {"US", "CN"}


def test_family_rows_merge_into_one_invention():
    # The CN filing (2018, CN inventors) and the US filing (2019, a US inventor too):
    # one invention, of 2018, with inventors in CN and US.
    text = HEADER + ('F7,CN201810000001.1,,CN,2018-06-01,,T,,G06N3/04,Huawei,CN,"Wang, Wei",CN\n'
                     'F7,"US16/000,001",,US,2019-05-20,,T,,G06N3/08,Huawei,CN,"Wang, Wei|Doe, Jane",CN|US\n'
                     ',CN201810000002.2,,CN,2018-07-01,,T,,G06N3/04,Tsinghua,CN,"Li, Na",CN\n')
    records = rows(text)
    assert [r.uid for r in records] == ["FAM:F7", "FAM:F7", "APP:CN2018100000022"]
    before = (set(records[0].countries), records[0].year)
    merged = merge_family_rows(records)
    assert [r.uid for r in merged] == ["FAM:F7", "APP:CN2018100000022"]
    family = merged[0]
    assert family.year == 2018 and family.countries == {"CN", "US"}
    assert family.orgs == [Org("Huawei", "CN", APPLICANT)]        # same applicant, listed once
    assert family.subjects == ["G06N3/04", "G06N3/08"]
    assert (set(records[0].countries), records[0].year) == before  # inputs untouched


def test_the_documented_example_reads_as_documented():
    doc = Path(__file__).resolve().parents[1] / "docs" / "formats" / "generic-patent-csv.md"
    example = doc.read_text(encoding="utf-8").split("```csv\n", 1)[1].split("```", 1)[0]
    assert detect(example)
    merged = merge_family_rows(rows(example, "example.csv"))
    # The doc says: rows 1-2 are one invention of 2018 with CN and US inventors,
    # row 3 a domestic Chinese application of 2019.
    assert [(r.uid, r.year, r.countries) for r in merged] == [
        ("FAM:F1", 2018, {"CN", "US"}), ("APP:CN2019100000025", 2019, {"CN"})]
