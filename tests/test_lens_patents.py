"""Lens.org patent CSV: the real jet-engine export, the shared field helpers, bad input."""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from loader.formats import lens_patents
from loader.formats.lens_patents import compact_ipc, earliest_year, family_key
from loader.formats.textio import open_export, sniff
from loader.records import ExportError, Record, Skip
from tests.conftest import real_file as real

LENS = ("patents-lens", "antontruly-patents-lens-export.csv")


@pytest.fixture(scope="module")
def lens_items() -> list[Record | Skip]:
    path = real(*LENS)
    with open_export(path, newline="") as fp:
        return list(lens_patents.parse(fp, str(path)))


def parse_text(text: str) -> list[Record | Skip]:
    return list(lens_patents.parse(io.StringIO(text), "lens.csv"))


HEADER = ("Lens ID,Jurisdiction,Display Key,Application Number,Application Date,"
          "Priority Numbers,Earliest Priority Date,Title,Applicants,Simple Family Members,"
          "IPCR Classifications\n")


# --- the real export ---------------------------------------------------------

def test_real_export_counts(lens_items):
    # PROVENANCE.md: 3779 records, no applicant or inventor countries.
    records = [item for item in lens_items if isinstance(item, Record)]
    assert len(records) == 3779 and len(lens_items) == 3779
    assert all(record.countries == set() for record in records)
    assert all(org.country is None for record in records for org in record.orgs)
    # Jurisdiction counts in PROVENANCE.md: CN 1228, US 447.
    offices = [record.office for record in records]
    assert offices.count("CN") == 1228 and offices.count("US") == 447


def test_detects_lens_patents_not_lens_scholarly():
    assert lens_patents.detect(sniff(real(*LENS)))
    assert not lens_patents.detect(sniff(real("lens", "bibliometrix-lens_sample.csv")))


def record_at(items: list[Record | Skip], line: int) -> Record:
    [record] = [item for item in items if item.line == line]
    return record


def test_granted_us_patent_with_provisional_priority(lens_items):
    # Line 3 (row #2): US 8001762 B2, Application Number "US 89029007 A" filed
    # 2007-08-03, Priority Numbers "US 83547206 P 20060804" -> year 2006;
    # Applicants "EFREMKIN ARTEM P;;EFREMKIN PAVEL V"; IPCR "F02C7/08".
    record = record_at(lens_items, 3)
    assert record.uid == "APP:US89029007"
    assert record.year == 2006
    assert record.title == "Method And Device To Increase Thrust And Efficiency Of Jet Engine"
    assert [org.name for org in record.orgs] == ["EFREMKIN ARTEM P", "EFREMKIN PAVEL V"]
    assert record.subjects == ["F02C7/08"]
    assert record.office == "US" and record.doc_type == "Granted Patent"


def test_single_semicolon_stays_inside_a_name(lens_items):
    # Line 5 (row #4): Applicants "BACON; RICHARD J." is one applicant;
    # application "US 22558594 A" of 1994-04-11; IPCR B64D27/02, CPC B64D27/023.
    record = record_at(lens_items, 5)
    assert [org.name for org in record.orgs] == ["BACON; RICHARD J."]
    assert record.uid == "APP:US22558594" and record.year == 1994
    assert record.subjects == ["B64D27/02", "B64D27/023"]


def test_wo_publication_and_chinese_utility_model(lens_items):
    # Line 6 (row #5): WO 1995/027654 A1, PCT application "US 9504489 W" of
    # 1995-04-07 claiming two US applications of 1994-04-11 -> 1994, office WO.
    wo = record_at(lens_items, 6)
    assert (wo.uid, wo.year, wo.office) == ("APP:US9504489", 1994, "WO")
    # Line 45 (row #44): CN 202091057 U, application "CN 201120157040 U" of
    # 2011-05-17, priorities CN 201010511507 A (2010-10-19) and
    # CN 201120064941 U (2011-03-14) -> 2010; applicant BEIBIAO JIN.
    cn = record_at(lens_items, 45)
    assert (cn.uid, cn.year, cn.office) == ("APP:CN201120157040", 2010, "CN")
    assert cn.title == "Turbine Jet Engine With High Efficiency"
    assert [org.name for org in cn.orgs] == ["BEIBIAO JIN"]


# --- family members and bad input --------------------------------------------

def test_family_members_give_one_uid_to_every_member():
    rows = [
        'L1,US,US_2020_0000001_A1,US 201916000001 A,2019-05-01,,2018-06-01,Pump,ACME INC,'
        'CN_110000001_A;;EP_3000001_A1,F04B1/00',
        'L2,CN,CN_110000001_A,CN 201910000001 A,2019-05-02,,2018-06-01,Pump,ACME INC,'
        'EP_3000001_A1;;US_2020_0000001_A1,F04B 1/00',
    ]
    first, second = parse_text(HEADER + "\n".join(rows) + "\n")
    # The smallest of CN110000001A, EP3000001A1, US20200000001A1.
    assert first.uid == second.uid == "FAM:CN110000001A"
    assert first.family_id == "CN110000001A"
    assert first.year == second.year == 2018
    assert second.subjects == ["F04B1/00"]


def test_row_without_application_or_family_is_skipped_and_counted():
    rows = ["L1,US,US_1_A,,2019-05-01,,,Pump,ACME,,", "L2,US,US_2_A,US 16000002 A,2019-05-01,,,Pump,ACME,,"]
    items = parse_text(HEADER + "\n".join(rows) + "\n")
    assert [type(item) for item in items] == [Skip, Record]
    assert items[0].line == 2 and "Lens ID L1" in items[0].reason


def test_wrong_columns_are_refused():
    with pytest.raises(ExportError, match="not a Lens patent export"):
        parse_text("Lens ID,Title,Authors,Source Title\n1,A paper,X,Y\n")
    with pytest.raises(ExportError, match="empty"):
        parse_text("")


def test_oversized_cell_is_an_export_error_with_its_line():
    rows = ["L1,US,US_1_A,US 16000001 A,2019-05-01,,,Pump,ACME,,",
            "L2,US,US_2_A,US 16000002 A,2019-05-01,,,\"" + "x" * 200_000 + "\",ACME,,"]
    items = lens_patents.parse(io.StringIO(HEADER + "\n".join(rows) + "\n"), "big.csv")
    assert next(items).uid == "APP:US16000001"
    with pytest.raises(ExportError, match="big.csv line 3: is not valid CSV"):
        next(items)


def test_quoted_cell_over_two_lines_keeps_line_numbers():
    rows = ['L1,US,US_1_A,US 16000001 A,2019-05-01,,,"Pump,\nwith a newline",ACME,,',
            "L2,US,US_2_A,US 16000002 A,2019-05-01,,,Valve,ACME,,"]
    first, second = parse_text(HEADER + "\n".join(rows) + "\n")
    assert (first.line, second.line) == (2, 4)
    assert first.title == "Pump,\nwith a newline"


# --- shared helpers ----------------------------------------------------------

@pytest.mark.parametrize("code, expected", [
    ("G06N 3/04", "G06N3/04"),
    ("G06N3/04(2006.01)", "G06N3/04"),
    ("A45F  504", "A45F5/04"),        # USPTO IPC7, fixed width
    ("C07C24900", "C07C249/00"),
    ("H01L 21461", "H01L21/461"),
    ("b64c27/12", "B64C27/12"),
    ("B64D", "B64D"),                  # PatSnap lists bare subclasses too
])
def test_compact_ipc(code, expected):
    assert compact_ipc(code) == expected


@pytest.mark.parametrize("values, expected", [
    (["2013-01-21", "2012-12-30"], 2012),
    (["20040513", "20041005"], 2004),
    (["2019/3/2"], 2019),
    ([dt.datetime(2017, 9, 1, 0, 0), "2018-01-01"], 2017),
    (["", None, "-", "0000-00-00"], None),
    (["2013-01-21 00:00:00"], 2013),
])
def test_earliest_year(values, expected):
    assert earliest_year(values) == expected


def test_family_key_ignores_spelling_of_numbers():
    assert family_key(["US 2020/0000001 A1", "cn110000001a"]) == "CN110000001A"
