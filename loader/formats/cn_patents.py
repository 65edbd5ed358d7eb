"""Chinese-header patent spreadsheets: PatSnap (智慧芽) and incoPat exports.

Both come as `.xlsx` (read row by row with openpyxl's read-only mode) or as
CSV in UTF-8 or GB18030.  PatSnap may put a title or notes row above the
header, so the header is the first row, among the first HEADER_ROWS, that
names an application or publication number.  Cells join several values with
" | " (PatSnap) or ";" (incoPat) and write "-" for empty; countries and
offices are Chinese names (中国, 美国, 欧洲专利局).

Column names differ between the two vendors and between export templates;
COLUMNS lists the variants.  docs/formats/patents.md says what each maps to.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Sequence, TextIO

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from loader.formats.lens_patents import (applicant_orgs, compact_ipc, csv_rows, earliest_year,
                                         family_key, unique)
from loader.formats.patent_csv import normalise_application_number
from loader.formats.textio import decode_head, open_export, read_head
from loader.formats.uspto_xml import ZIP_MAGIC, zip_head_members
from loader.normalise.countries import country_code
from loader.records import PATENT, ExportError, Record, Skip

NAME = "cn-patents"
KIND = "patent"
OPEN = "binary"   # .xlsx needs the path, and a CSV may be GB18030
DOC = "docs/formats/patents.md"
ENCODINGS = ("utf-8", "gb18030")
HEADER_ROWS = 20
EXCEL_SUFFIXES = (".xlsx", ".xlsm")

# Our field -> the column names that carry it, in order of preference.  Names
# are compared after NFKC normalisation with spaces removed, so full-width
# brackets (incoPat's 公开（公告）号) match the ASCII ones written here.
COLUMNS: dict[str, tuple[str, ...]] = {
    "application": ("申请号",),
    "publication": ("公开(公告)号", "公开公告号", "公开号", "公告号", "授权公告号"),
    "family_id": ("简单同族ID", "简单同族号", "简单同族编号", "DocDB同族ID"),
    "family_members": ("简单同族", "简单同族成员"),
    "application_date": ("申请日",),
    "priority_dates": ("优先权日", "最早优先权日"),
    "title": ("标题", "发明名称", "专利名称", "名称", "标题(英文)", "标题(译)(English)",
              "标题(译)(简体中文)"),
    "abstract": ("摘要", "申请摘要", "摘要(英文)", "摘要(译)(English)", "摘要(译)(简体中文)"),
    "applicants": ("申请人", "申请(专利权)人", "原始申请(专利权)人", "[标]原始申请(专利权)人",
                   "当前申请(专利权)人", "[标]当前申请(专利权)人", "专利权人", "当前权利人"),
    "applicant_countries": ("申请人国家/地区", "申请人国家", "申请人国别", "申请人国别代码",
                            "申请(专利权)人国家/地区", "原始申请(专利权)人国家/地区"),
    "inventor_countries": ("发明人国家/地区", "发明人国家", "发明人国别", "发明人国别代码"),
    "ipc": ("IPC分类号", "IPC", "IPC主分类号", "主分类号", "分类号"),
    "cpc": ("CPC分类号", "CPC"),
    "office": ("受理局", "公开国别", "受理局代码"),
    "doc_type": ("专利类型", "文献类型"),
}
IDENTITY = ("application", "publication")
# Patent offices that are not countries, as the vendors name them in Chinese.
OFFICES = {"欧洲专利局": "EP", "世界知识产权组织": "WO", "欧亚专利局": "EA", "欧亚专利组织": "EA",
           "非洲地区知识产权组织": "AP", "非洲知识产权组织": "OA", "海湾合作委员会专利局": "GC"}
EMPTY = {"", "-", "--", "—", "/"}

_MULTI = re.compile(r"\s*[|;；]\s*")


def column_key(name: object) -> str:
    """A header as compared: NFKC (full-width brackets become ASCII), no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(name or "")))


_KEYS = {field: tuple(column_key(name) for name in names) for field, names in COLUMNS.items()}
_HEADER_MARKERS = {key for field in IDENTITY for key in _KEYS[field]}


def detect(head: str | bytes) -> bool:
    """True when `head`, the start of a file as text or raw bytes, holds a Chinese patent header.

    For an .xlsx only the parts of the workbook inside the head can be looked
    at; its strings often lie further on, so detect_path() is the sure test.
    """
    if isinstance(head, bytes):
        if head.startswith(ZIP_MAGIC):
            return any(_names_a_header(data.decode("utf-8", "replace"))
                       for name, data in zip_head_members(head) if name.startswith("xl/"))
        try:
            head = decode_head(head, "", ENCODINGS)
        except ExportError:
            return False
    lines = head.lstrip("\ufeff").splitlines()[:HEADER_ROWS]
    return any(_is_header(row) for row in csv.reader(lines))


def _names_a_header(xml: str) -> bool:
    """True when workbook XML holds a header marker as a whole cell text."""
    xml = unicodedata.normalize("NFKC", xml)
    return any(f">{marker}<" in xml for marker in _HEADER_MARKERS)


def detect_path(path: str | Path) -> bool:
    """True for an .xlsx or .csv whose first rows hold a Chinese patent header."""
    path = Path(path)
    if path.suffix.lower() in EXCEL_SUFFIXES:
        try:
            with _workbook_rows(path) as rows:
                return any(_is_header(row) for _, row in zip(range(HEADER_ROWS), rows))
        except ExportError:
            return False
    return path.suffix.lower() in (".csv", ".txt") and detect(read_head(path))


def parse_path(path: str | Path) -> Iterator[Record | Skip]:
    """Parse an .xlsx/.XLSX workbook (first sheet) or a UTF-8/GB18030 CSV."""
    path = Path(path)
    if path.suffix.lower() in EXCEL_SUFFIXES:
        with _workbook_rows(path) as rows:
            yield from parse_rows(_numbered(rows, path), str(path))
        return
    with open_export(path, encodings=ENCODINGS) as fp:
        yield from parse(fp, str(path))


def parse(fp: TextIO, file: str) -> Iterator[Record | Skip]:
    """Parse a CSV export from a text stream; rows are numbered by their first line."""
    yield from parse_rows(csv_rows(fp, file), file)


def parse_rows(rows: Iterable[tuple[int, Sequence[object]]], file: str) -> Iterator[Record | Skip]:
    """The parser proper: (row number, cells) pairs in, Records and Skips out."""
    rows = iter(rows)
    columns = None
    for number, row in rows:
        if _is_header(row):
            columns = _columns(row)
            break
        if number >= HEADER_ROWS:
            break
    if columns is None:
        raise ExportError(file, f"rows 1-{HEADER_ROWS}",
                          "no header row naming 申请号 or 公开(公告)号 was found",
                          "export from PatSnap or incoPat with the 申请号 (application number) "
                          f"column included; {DOC} lists the column names read")
    for number, row in rows:
        cells = [_cell(value) for value in row]
        if not any(cells):
            continue
        yield _record(_Row(columns, cells), file, number)


class _Row:
    """A data row read through the header's column map."""

    def __init__(self, columns: dict[str, list[int]], cells: list[str]):
        self.columns, self.cells = columns, cells

    def first(self, field: str) -> str:
        """The first non-empty cell among the field's columns."""
        return next((value for value in self.every(field)), "")

    def every(self, field: str) -> list[str]:
        return [self.cells[i] for i in self.columns.get(field, ())
                if i < len(self.cells) and self.cells[i]]

    def values(self, field: str) -> list[str]:
        """The first non-empty cell, split into its values."""
        return [part for part in _MULTI.split(self.first(field)) if part not in EMPTY]


def _record(row: _Row, file: str, line: int) -> Record | Skip:
    publication = row.first("publication")
    uid, family = _identity(row, publication)
    if uid is None:
        return Skip(file, line, "row has no 申请号 (application number) and no "
                                "公开(公告)号 (publication number)")
    applicants = row.values("applicants")
    applicant_codes = [_country(text) for text in row.values("applicant_countries")]
    return Record(
        kind=PATENT,
        uid=uid,
        source="cnpat",
        year=earliest_year([row.first("application_date")]
                           + [date for cell in row.every("priority_dates")
                              for date in _MULTI.split(cell)]),
        title=row.first("title"),
        abstract=row.first("abstract"),
        doc_type=row.first("doc_type") or None,
        countries={code for text in row.values("inventor_countries") if (code := _country(text))},
        applicant_countries={code for code in applicant_codes if code},
        orgs=applicant_orgs(applicants, applicant_codes),
        subjects=unique(compact_ipc(code) for cell in row.every("ipc") + row.every("cpc")
                        for code in _MULTI.split(cell) if code not in EMPTY),
        family_id=family,
        office=_office(row.first("office"), publication),
        file=file,
        line=line,
    )


def _identity(row: _Row, publication: str) -> tuple[str | None, str | None]:
    """(uid, family id): the simple family when given, else the application.

    Some PatSnap templates carry neither a family nor an application number
    column; the publication number then identifies the row (prefix PUB:), and
    the A and B publications of one application stay two records.
    """
    if family := row.first("family_id"):
        return f"FAM:{family}", family
    members = row.values("family_members")
    if members:
        family = family_key(members + [publication])
        return f"FAM:{family}", family
    for field, prefix in (("application", "APP"), ("publication", "PUB")):
        number = normalise_application_number(row.first(field))
        if number:
            return f"{prefix}:{number}", None
    return None, None


def _office(text: str, publication: str) -> str | None:
    """The letters the publication number starts with, else the office named in 受理局.

    The number comes first because 受理局 names Hong Kong as 中国香港, which
    counts as China for inventors but is an office of its own.
    """
    prefix = re.match(r"[A-Za-z]{2}", publication)
    if prefix:
        return prefix.group().upper()
    return OFFICES.get(text) or country_code(text, split_hk_macau=True)


def _country(text: str) -> str | None:
    return None if text in EMPTY else country_code(text)


def _is_header(row: Sequence[object]) -> bool:
    return any(column_key(value) in _HEADER_MARKERS for value in row)


def _columns(header: Sequence[object]) -> dict[str, list[int]]:
    keys = [column_key(name) for name in header]
    columns = {}
    for field, candidates in _KEYS.items():
        found = [keys.index(name) for name in candidates if name in keys]
        if found:
            columns[field] = found
    return columns


def _cell(value: object) -> str:
    """A cell as text: dates as ISO dates, whole floats without '.0', '-' as empty."""
    if value is None:
        return ""
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return "" if text in EMPTY else text


def _numbered(rows: Iterator[tuple], path: Path) -> Iterator[tuple[int, tuple]]:
    """Rows with their sheet row numbers; a damaged sheet becomes an ExportError."""
    number = 0
    try:
        for number, row in enumerate(rows, start=1):
            yield number, row
    # SyntaxError: both ElementTree's and lxml's parse errors derive from it,
    # and openpyxl uses whichever is installed.
    except (SyntaxError, zipfile.BadZipFile, zlib.error, EOFError) as problem:
        raise ExportError(str(path), f"row {number + 1}", f"the workbook is damaged ({problem})",
                          "open and save it again in Excel, or export it again") from None


@contextmanager
def _workbook_rows(path: Path) -> Iterator[Iterator[tuple]]:
    """The first sheet's rows, streamed (read-only mode); the workbook is closed after."""
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as problem:
        raise ExportError(str(path), "", f"cannot be opened as an .xlsx workbook ({problem})",
                          "save it from Excel as .xlsx, or export it again as CSV") from None
    try:
        sheet = workbook.worksheets[0]
        # Some exporters write a wrong <dimension> (such as A1:A1), which
        # would end read-only iteration early: read to the sheet's real end.
        sheet.reset_dimensions()
        yield sheet.iter_rows(values_only=True)
    finally:
        workbook.close()
