"""USPTO grant XML: real weekly files (plain and zipped) and hostile or broken input."""
from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from loader.formats import uspto_xml
from loader.formats.textio import read_head
from loader.records import ExportError, Record, Skip
from tests.conftest import real_file as real

USPTO = "patents-uspto-xml"


def by_uid(path: Path) -> dict[str, Record]:
    return {item.uid: item for item in uspto_xml.parse_path(path) if isinstance(item, Record)}


# A minimal grant in the v4.7 layout, written for these tests.
GRANT = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE us-patent-grant SYSTEM "us-patent-grant-v47-2022-02-17.dtd" [ ]>
<us-patent-grant lang="EN" dtd-version="v4.7 2022-02-17" country="US">
<us-bibliographic-data-grant>
<publication-reference><document-id><country>US</country><doc-number>{pub}</doc-number></document-id></publication-reference>
<application-reference appl-type="utility"><document-id><country>US</country>
<doc-number>{app}</doc-number><date>20200102</date></document-id></application-reference>
<invention-title id="t1">Widget number {app}</invention-title>
<us-parties><inventors><inventor sequence="001"><addressbook><last-name>Wang</last-name>
<address><city>Hefei</city><country>CN</country></address></addressbook></inventor></inventors></us-parties>
</us-bibliographic-data-grant>
<abstract id="abstract"><p>A widget.</p></abstract>
<description id="description"><p>Long text.</p></description>
</us-patent-grant>
"""

BOMB = """<?xml version="1.0"?>
<!DOCTYPE us-patent-grant [
 <!ENTITY a "aaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
 <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<us-patent-grant><us-bibliographic-data-grant><invention-title>&i;</invention-title>
</us-bibliographic-data-grant></us-patent-grant>
"""


def grant(app: str, pub: str = "11000001") -> str:
    return GRANT.format(app=app, pub=pub)


def parse_text(text: str) -> list[Record | Skip]:
    return list(uspto_xml.parse(io.StringIO(text), "test.xml"))


# --- real files -------------------------------------------------------------

@pytest.mark.parametrize("name, records, skips", [
    # PROVENANCE.md: 25, 25 and 27 documents; 2 of the 27 in ipg130416 are
    # <sequence-cwu> sequence listings (lines 8086 and 13234), not patents.
    ("PatentsView-DB-ipg050104.small.xml", 25, 0),
    ("PatentsView-DB-ipg090106.small.xml", 25, 0),
    ("PatentsView-DB-ipg130416.small.xml", 25, 2),
    ("alexandria3k-ipgb20221025_wk43.zip", 11, 0),
    ("alexandria3k-ipgb20230404_wk14.zip", 3, 0),
])
def test_documents_per_real_file(name, records, skips):
    path = real(USPTO, name)
    assert uspto_xml.detect_path(path)
    items = list(uspto_xml.parse_path(path))
    assert sum(isinstance(item, Record) for item in items) == records
    assert sum(isinstance(item, Skip) for item in items) == skips
    # Each document is yielded once, in order (line numbers strictly increase).
    lines = [item.line for item in items]
    assert lines == sorted(set(lines))


def test_v40_grant_with_assignee_and_ipc7_codes():
    # ipg050104, document 3 (line 1509), read by hand: application US 10631157
    # filed 20030731, no priority claims; two applicant-inventors (Hood, Progl)
    # both with address country US; assignee "Dell Products L.P." in Round
    # Rock, US; IPC7 "F25D 2312" main, "F25D 2700", "F28D 1500", "H05K  720".
    record = by_uid(real(USPTO, "PatentsView-DB-ipg050104.small.xml"))["APP:US10631157"]
    assert record.year == 2003
    assert record.title == "Power management of a computer with vapor-cooled processor"
    assert record.countries == {"US"}
    assert [(org.name, org.country, org.role) for org in record.orgs] == [
        ("Dell Products L.P.", "US", "applicant")]
    assert record.applicant_countries == {"US"}
    assert record.subjects == ["F25D23/12", "F25D27/00", "F28D15/00", "H05K7/20"]
    assert record.office == "US" and record.kind == "patent" and record.source == "uspto"
    assert record.line == 1509


def test_v42_chinese_inventors_taiwanese_assignee():
    # ipg090106, document 1: design application 29214657 filed 20041005 with a
    # CN priority claim of 20040513; inventors Yin and Cheng, address country
    # CN; assignee Hon Hai Precision Ind. Co., Ltd., Taipei Hsien, TW.
    # Taiwan is not China: the inventor and applicant sets differ.
    record = by_uid(real(USPTO, "PatentsView-DB-ipg090106.small.xml"))["APP:US29214657"]
    assert record.year == 2004
    assert record.title == "Electrical adapter"
    assert record.countries == {"CN"}
    assert record.applicant_countries == {"TW"}
    assert [org.name for org in record.orgs] == ["Hon Hai Precision Ind. Co., Ltd."]
    assert record.doc_type == "design"


def test_v43_foreign_priority_sets_the_year():
    # ipg130416, document 3: application 13299685 filed 20111118, but it claims
    # KR 10-2008-0034874 of 20080415, so the year is 2008.  Inventors Lee, Oh,
    # Hwang in Gyunggi-do, KR; assignee Samsung Electro-Mechanics, Suwon, KR;
    # one IPCR: H 05 K 3 / 02.
    record = by_uid(real(USPTO, "PatentsView-DB-ipg130416.small.xml"))["APP:US13299685"]
    assert record.year == 2008
    assert record.countries == {"KR"}
    assert [org.name for org in record.orgs] == ["Samsung Electro-Mechanics Co., Ltd."]
    assert record.subjects == ["H05K3/02"]


def test_v47_zip_china_us_co_invention():
    # ipgb20221025.xml inside the wk43 zip, document 1: application 16533534
    # filed 20190806; inventors Li and Liu (Shanghai, CN) and Yavorsky (Granada
    # Hills, US); MEDTRONIC MINIMED, INC. is both us-applicant and assignee
    # (US): one Org, not two.  The agent Fortem IP LLP is not an applicant.
    records = by_uid(real(USPTO, "alexandria3k-ipgb20221025_wk43.zip"))
    record = records["APP:US16533534"]
    assert record.countries == {"CN", "US"}
    assert record.year == 2019
    assert record.title == "Sensor inserter with disposal lockout state"
    assert [(org.name, org.country) for org in record.orgs] == [("MEDTRONIC MINIMED, INC.", "US")]
    assert record.file.endswith("alexandria3k-ipgb20221025_wk43.zip!ipgb20221025.xml")


def test_provisional_application_sets_the_year():
    # ipgb20230404.xml, document 3 (line 1234): application 16361657 filed
    # 20190322, continuation of 13956920 (20130801) and 14675201 (20150331),
    # claiming US provisionals 61147565 (20090127) and 61231279 (20090804):
    # the earliest filing is 2009.
    record = by_uid(real(USPTO, "alexandria3k-ipgb20230404_wk14.zip"))["APP:US16361657"]
    assert record.year == 2009
    assert record.title == "Arthroscopic tunnel guide for rotator cuff repair"


@pytest.mark.parametrize("name", ["PatentsView-DB-ipg050104.small.xml",
                                  "alexandria3k-ipgb20221025_wk43.zip"])
def test_detects_from_the_raw_head_of_plain_and_zipped_files(name):
    # The registry hands binary modules the first 64 KiB as bytes; a weekly
    # zip's XML member is read from inside those bytes.
    assert uspto_xml.detect(read_head(real(USPTO, name)))


def test_does_not_detect_other_exports():
    lens = real("patents-lens", "antontruly-patents-lens-export.csv")
    assert not uspto_xml.detect_path(lens) and not uspto_xml.detect(read_head(lens))
    assert not uspto_xml.detect(read_head(real("wos-xlsx", "WOSAnalysis-savedrecs.xlsx")))


# --- synthetic documents: behaviour and bad input ----------------------------

def test_synthetic_grant_fields():
    [record] = parse_text(grant("16000001"))
    assert record.uid == "APP:US16000001"
    assert record.year == 2020
    assert record.title == "Widget number 16000001"
    assert record.countries == {"CN"}
    assert record.abstract == "A widget."
    assert record.orgs == [] and record.applicant_countries == set()


def test_truncated_last_document_raises_after_complete_ones():
    text = grant("16000001") + grant("16000002")
    cut = text[: len(text) - 200]          # ends inside the second document's <description>
    items = uspto_xml.parse(io.StringIO(cut), "cut.xml")
    first = next(items)
    assert first.uid == "APP:US16000001"
    with pytest.raises(ExportError) as error:
        next(items)
    second_start = grant("16000001").count("\n") + 1
    assert f"document 2 (line {second_start})" in str(error.value)
    assert "truncated" in str(error.value) and "cut.xml" in str(error.value)


def test_entity_bomb_is_refused_without_expanding():
    items = uspto_xml.parse(io.StringIO(grant("16000001") + BOMB), "bomb.xml")
    assert next(items).uid == "APP:US16000001"
    started = time.perf_counter()
    with pytest.raises(ExportError) as error:
        next(items)
    assert time.perf_counter() - started < 1.0
    assert "document 2" in str(error.value) and "entities" in str(error.value)


def test_internal_subset_without_entities_is_refused():
    text = grant("16000001").replace("[ ]>", "[ <!ATTLIST us-patent-grant lang CDATA 'XX'> ]>")
    with pytest.raises(ExportError, match="internal DTD subset"):
        parse_text(text)


def test_malformed_middle_document_is_skipped_and_the_next_read():
    broken = grant("16000002").replace("</invention-title>", "</invention-titel>")
    items = parse_text(grant("16000001") + broken + grant("16000003"))
    assert [type(item) for item in items] == [Record, Skip, Record]
    assert "document 2" in items[1].reason and "not well-formed" in items[1].reason
    assert items[2].uid == "APP:US16000003"


def test_parse_streams_one_document_at_a_time():
    def lines():
        yield from io.StringIO(grant("16000001"))
        yield '<?xml version="1.0" encoding="UTF-8"?>\n'
        raise AssertionError("read past the start of the second document")

    assert next(uspto_xml.parse(lines(), "stream.xml")).uid == "APP:US16000001"


def test_zip_reads_only_xml_members(tmp_path):
    path = tmp_path / "ipgb20990101_wk01.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("ipgb20990101.xml", grant("16000001") + grant("16000002"))
        archive.writestr("ipgb20990101lst.txt", "not xml <?xml\n")
        archive.writestr("ipgb20990101rpt.html", "<html></html>")
    assert uspto_xml.detect_path(path)
    assert [item.uid for item in uspto_xml.parse_path(path)] == ["APP:US16000001", "APP:US16000002"]


@pytest.mark.parametrize("member", ["../evil.xml", "a/../../evil.xml", "/etc/evil.xml",
                                    "C:\\evil.xml", "..\\evil.xml"])
def test_zip_with_escaping_member_name_is_refused_before_reading(tmp_path, member):
    path = tmp_path / "bad.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("ipgb20990101.xml", grant("16000001"))
        archive.writestr(member, grant("16000002"))
    items = uspto_xml.parse_path(path)
    with pytest.raises(ExportError) as error:
        next(items)
    assert "bad.zip" in str(error.value) and "leaves its folder" in str(error.value)


def test_damaged_zip_member_is_an_export_error(tmp_path):
    path = tmp_path / "damaged.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ipgb20990101.xml", grant("16000001") * 50)
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 40] = bytes(40)           # overwrite part of the deflated stream
    path.write_bytes(bytes(data))
    with pytest.raises(ExportError) as error:
        list(uspto_xml.parse_path(path))
    assert "damaged.zip member 'ipgb20990101.xml'" in str(error.value)
