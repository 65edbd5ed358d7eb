"""PatSnap / incoPat exports with Chinese headers: the real PatSnap workbook and made-up files."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from loader.formats import cn_patents
from loader.records import ExportError, Record, Skip
from tests.conftest import real_file as real

PATSNAP = ("patents-cn-xlsx", "Green-Aviation-PatSnap-20240401085613950.XLSX")


@pytest.fixture(scope="module")
def patsnap() -> dict[int, Record | Skip]:
    return {item.line: item for item in cn_patents.parse_path(real(*PATSNAP))}


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


# An incoPat-like table, written for these tests: full-width brackets in the
# header, a family member list, country columns in Chinese.
CSV_HEADER = ["申请号", "公开（公告）号", "申请日", "优先权日", "发明名称", "申请人",
              "申请人国家", "发明人", "发明人国家", "简单同族", "IPC分类号"]
CSV_ROWS = [
    ["CN202010000001.2", "CN111000001A", "2020-03-01", "2019-04-02 | 2019-08-09",
     "神经网络处理器", "清华大学 | 英特尔公司", "中国 | 美国", "张三 | John Smith", "中国 | 美国",
     "US2020000001A1 | CN111000001A", "G06N 3/063 | G06F 15/78"],
    ["US16000001", "US2020000001A1", "2019-10-01", "-", "Neural network processor",
     "Intel Corp", "美国", "John Smith | 张三", "美国 | 中国", "CN111000001A | US2020000001A1",
     "G06N3/063"],
    ["-", "-", "2021-01-01", "-", "无号码", "-", "-", "-", "-", "-", "-"],
]


def csv_text(rows: list[list[str]]) -> str:
    return "\n".join(",".join(row) for row in [CSV_HEADER] + rows) + "\n"


# --- the real PatSnap workbook ----------------------------------------------

def test_real_workbook_counts(patsnap):
    # PROVENANCE.md: 1999 records; the header is row 1, data rows 2-2000.
    assert cn_patents.detect_path(real(*PATSNAP))
    assert len(patsnap) == 1999
    assert all(isinstance(item, Record) for item in patsnap.values())
    assert min(patsnap) == 2 and max(patsnap) == 2000
    # The sample has no family, application-number or inventor-country column.
    assert all(item.uid.startswith("PUB:") and item.countries == set() for item in patsnap.values())


def test_real_row_polish_validation_of_an_ep_patent(patsnap):
    # Row 2: 公开(公告)号 PL2631174T3, 申请日 2013-01-21, 受理局 波兰,
    # [标]原始申请(专利权)人 欧洲直升机公司, IPC "B64C27/12 | B64C27/82";
    # no original-language title column, so the English translation.
    record = patsnap[2]
    assert record.uid == "PUB:PL2631174T3"
    assert record.year == 2013 and record.office == "PL"
    assert record.title.startswith("Rotary wing aircraft provided with a rear rotor")
    assert [org.name for org in record.orgs] == ["欧洲直升机公司"]
    assert record.subjects == ["B64C27/12", "B64C27/82"]
    assert record.doc_type == "授权发明" and record.source == "cnpat"


def test_real_row_original_applicant_before_current_owner(patsnap):
    # Row 33: CN104364157A, 申请日 2013-05-15; [标]当前申请(专利权)人 is
    # 劳斯莱斯德国有限两合公司 (the owner today), [标]原始申请(专利权)人 is
    # 西门子股份公司 (the applicant at filing), which is the one we keep.
    record = patsnap[33]
    assert record.uid == "PUB:CN104364157A" and record.year == 2013 and record.office == "CN"
    assert [org.name for org in record.orgs] == ["西门子股份公司"]


def test_real_rows_two_applicants_and_hong_kong_office(patsnap):
    # Row 50: BR102013019573A2 with "罗尔公司 | BF谷德里奇公司".
    assert [org.name for org in patsnap[50].orgs] == ["罗尔公司", "BF谷德里奇公司"]
    # Row 789: HK1235368A, 受理局 中国香港, 申请日 2017-09-01: the office is
    # HK even though Hong Kong inventors count as China.
    assert (patsnap[789].office, patsnap[789].year) == ("HK", 2017)


def test_other_xlsx_exports_are_not_detected():
    wos = real("wos-xlsx", "WOSAnalysis-savedrecs.xlsx")
    assert not cn_patents.detect_path(wos)
    assert not cn_patents.detect(wos.read_bytes()[:65536])


# --- made-up files ------------------------------------------------------------

def test_gb18030_csv_with_countries_and_family(tmp_path):
    path = tmp_path / "incopat.csv"
    path.write_bytes(csv_text(CSV_ROWS).encode("gb18030"))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")      # the test really is about GB18030
    assert cn_patents.detect_path(path) and cn_patents.detect(path.read_bytes())
    first, second, third = cn_patents.parse_path(path)
    # Both publications list the same family: the smallest member number.
    assert first.uid == second.uid == "FAM:CN111000001A"
    assert first.year == 2019                    # earliest 优先权日, before the 2020 filing
    assert first.countries == {"CN", "US"}
    assert [(org.name, org.country) for org in first.orgs] == [("清华大学", "CN"), ("英特尔公司", "US")]
    assert first.applicant_countries == {"CN", "US"}
    assert first.subjects == ["G06N3/063", "G06F15/78"]
    assert first.title == "神经网络处理器" and first.office == "CN"
    assert second.year == 2019 and second.office == "US" and second.countries == {"US", "CN"}
    assert isinstance(third, Skip) and third.line == 4 and "申请号" in third.reason


def test_utf8_csv_through_a_text_stream():
    items = list(cn_patents.parse(io.StringIO(csv_text(CSV_ROWS[:1])), "s.csv"))
    assert [item.uid for item in items] == ["FAM:CN111000001A"]
    assert cn_patents.detect(csv_text(CSV_ROWS[:1]))


def test_xlsx_with_title_row_above_the_header(tmp_path):
    path = write_xlsx(tmp_path / "patsnap.XLSX", [
        ["检索式: TAC=(神经网络处理器)", None, None],
        [],
        ["公开(公告)号", "申请号", "申请日", "标题", "申请人", "申请人国家/地区", "发明人国家", "受理局"],
        ["EP3000001A1", "EP19000001", dt.datetime(2019, 1, 2), "Chip", "Acme | 北京大学",
         "美国 | 中国", "-", "欧洲专利局"],
    ])
    assert cn_patents.detect_path(path)
    # A small workbook's strings lie inside the 64 KiB head the registry reads.
    assert cn_patents.detect(path.read_bytes()[:65536])
    [record] = cn_patents.parse_path(path)
    assert record.uid == "APP:EP19000001" and record.line == 4
    assert record.year == 2019 and record.office == "EP"
    assert record.countries == set()            # "-" is empty
    assert [(org.name, org.country) for org in record.orgs] == [("Acme", "US"), ("北京大学", "CN")]


def test_xlsx_without_an_application_number_header_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "other.xlsx", [["标题", "申请人", "申请日"], ["Chip", "Acme", "2019-01-02"]])
    assert not cn_patents.detect_path(path)
    with pytest.raises(ExportError) as error:
        list(cn_patents.parse_path(path))
    assert "other.xlsx" in str(error.value) and "申请号" in str(error.value)


def test_file_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_text("申请号,标题\n")
    with pytest.raises(ExportError, match="cannot be opened as an .xlsx workbook"):
        list(cn_patents.parse_path(path))


def test_damaged_sheet_raises_after_the_rows_before_it(tmp_path):
    good = write_xlsx(tmp_path / "good.xlsx", [["申请号", "标题"]]
                      + [[f"CN2020{i:08d}.1", "标题" * 20] for i in range(300)])
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(damaged, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]      # the sheet ends mid-row
            target.writestr(info.filename, data)
    read = []
    with pytest.raises(ExportError) as error:
        for item in cn_patents.parse_path(damaged):
            read.append(item.uid)
    assert "damaged.xlsx" in str(error.value) and "damaged" in error.value.problem
    # Rows before the damage were yielded once each, in order.
    assert read and len(read) == len(set(read)) and read[0] == "APP:CN2020000000001"
