"""The generic patent CSV: one row per patent publication or application.

A format any patent source (incoPat, PatSnap, Lens, a hand-made table) can be
mapped to in minutes; docs/formats/generic-patent-csv.md describes it.  Rows of
one simple family share `family_id` and become one invention once merged, so
a CN and a US publication of the same invention count once.
"""
from __future__ import annotations

import csv
import re
from dataclasses import replace
from typing import Iterable, Iterator, TextIO

from loader.records import APPLICANT, PATENT, ExportError, Org, Record, Skip

NAME = "patent-csv"
KIND = PATENT
DOC = "docs/formats/generic-patent-csv.md"

REQUIRED = ("application_number", "inventor_countries")
KNOWN = REQUIRED + (
    "family_id", "publication_number", "year", "application_date",
    "priority_date", "title", "abstract", "office", "ipc", "applicants",
    "applicant_countries", "inventors",
)
SEPARATOR = "|"
_ISO2 = re.compile(r"^[A-Z]{2}$")
_DATE = re.compile(r"^(\d{4})-\d{2}-\d{2}$")
_NOT_ALNUM = re.compile(r"[^0-9A-Z]")


class RowError(ValueError):
    """A row cannot be used; the message names the column."""


def detect(head: str) -> bool:
    """True when the first line of `head` is a header with the required columns."""
    first = head.lstrip("\ufeff").splitlines()[0] if head.strip() else ""
    names = {name.strip().lower() for name in next(csv.reader([first]), [])}
    return all(column in names for column in REQUIRED)


def normalise_application_number(text: str) -> str:
    """'CN 201810123456.7' and 'cn2018101234567' are the same application."""
    return _NOT_ALNUM.sub("", text.upper())


def split_values(text: str | None) -> list[str]:
    """Split a multi-valued cell on '|', dropping empty parts."""
    return [part.strip() for part in (text or "").split(SEPARATOR) if part.strip()]


def parse(fp: TextIO, file: str) -> Iterator[Record | Skip]:
    """Yield one Record per usable row and one Skip per unusable row.

    Rows are read one at a time, so the file is never held in memory.
    """
    reader = csv.reader(fp)
    try:
        yield from _rows(reader, file)
    except csv.Error as problem:
        # An unclosed quote, or a cell past csv's field size limit (128 kB).
        raise ExportError(file, f"line {reader.line_num}", f"is not valid CSV: {problem}",
                          "an unclosed quote or an oversized cell; export the file again") from None


def _rows(reader, file: str) -> Iterator[Record | Skip]:
    header = next(reader, None)
    if header is None:
        raise ExportError(file, "line 1", "the file is empty",
                          f"a generic patent CSV starts with a header row; see {DOC}")
    columns = _columns(header, file)
    end_of_previous = reader.line_num
    for row in reader:
        # line_num is the row's last physical line (a quoted abstract may span
        # several); a reader looks for the row's first line.
        line, end_of_previous = end_of_previous + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            # Fields out of step with the header: an unquoted comma shifts every column after it.
            yield Skip(file, line, f"the row has {len(row)} fields but the header has {len(header)}; "
                                   f"put a value holding a comma in double quotes (see {DOC})")
            continue
        cells = {name: (row[i].strip() if i < len(row) else "") for name, i in columns.items()}
        try:
            yield _record(cells, file, line)
        except RowError as problem:
            yield Skip(file, line, str(problem))


def _columns(header: list[str], file: str) -> dict[str, int]:
    positions: dict[str, int] = {}
    for i, name in enumerate(header):
        key = name.strip().lstrip("\ufeff").lower()
        if key in KNOWN and key not in positions:
            positions[key] = i
    missing = [name for name in REQUIRED if name not in positions]
    if missing:
        raise ExportError(file, "line 1", "header lacks the required column(s) " + ", ".join(missing),
                          f"name the columns as {DOC} describes (case and order do not matter)")
    return positions


def _record(cells: dict[str, str], file: str, line: int) -> Record:
    application = normalise_application_number(cells.get("application_number", ""))
    if not application:
        raise RowError("application_number is empty; every row needs one")
    countries = _codes(cells.get("inventor_countries"), "inventor_countries")
    applicants = split_values(cells.get("applicants"))
    applicant_codes = _codes(cells.get("applicant_countries"), "applicant_countries")
    family = cells.get("family_id") or None
    return Record(
        kind=PATENT,
        uid=f"FAM:{family}" if family else f"APP:{application}",
        source="generic",
        year=_year(cells),
        title=cells.get("title", ""),
        abstract=cells.get("abstract", ""),
        countries=set(countries),
        applicant_countries=set(applicant_codes),
        orgs=_applicant_orgs(applicants, applicant_codes),
        subjects=split_values(cells.get("ipc")),
        family_id=family,
        office=(cells.get("office") or "").upper() or None,
        file=file,
        line=line,
    )


def _codes(text: str | None, column: str) -> list[str]:
    values = split_values(text)
    for value in values:
        if not _ISO2.match(value.upper()):
            raise RowError(f"{column} has {value!r}, which is not an ISO 3166-1 alpha-2 code "
                           "(write CN, US, DE, TW ...)")
    return [value.upper() for value in values]


def _year(cells: dict[str, str]) -> int | None:
    """The earliest of the filled `year`, `application_date` and `priority_date`."""
    years = []
    if cells.get("year"):
        if not cells["year"].isdigit():
            raise RowError(f"year has {cells['year']!r}; write a four-digit year such as 2019")
        years.append(int(cells["year"]))
    for column in ("application_date", "priority_date"):
        if cells.get(column):
            match = _DATE.match(cells[column])
            if not match:
                raise RowError(f"{column} has {cells[column]!r}; write the date as YYYY-MM-DD")
            years.append(int(match.group(1)))
    return min(years) if years else None


def _applicant_orgs(names: list[str], codes: list[str]) -> list[Org]:
    # Aligned only when both lists have the same length; otherwise the codes
    # are the applicants' country set and no single name can be given one.
    aligned = len(names) == len(codes)
    return [Org(name, codes[i] if aligned else None, APPLICANT) for i, name in enumerate(names)]


def merge_family_rows(records: Iterable[Record]) -> list[Record]:
    """One Record per uid: the union of countries and orgs, the earliest year.

    Rows of one family (or the same paper read from two files) share a uid.
    The first row gives the title, office and place.  A uid seen once comes
    back as it was; merged rows are new Records, so inputs are never changed.
    """
    groups: dict[str, list[Record]] = {}
    for record in records:
        groups.setdefault(record.uid, []).append(record)
    return [rows[0] if len(rows) == 1 else _merged(rows) for rows in groups.values()]


def _merged(rows: list[Record]) -> Record:
    first = rows[0]
    merged = replace(first, countries=set(first.countries),
                     applicant_countries=set(first.applicant_countries),
                     orgs=list(first.orgs), subjects=list(first.subjects))
    for record in rows[1:]:
        merged.countries |= record.countries
        merged.applicant_countries |= record.applicant_countries
        merged.orgs.extend(org for org in record.orgs if org not in merged.orgs)
        merged.subjects.extend(code for code in record.subjects if code not in merged.subjects)
        if record.year is not None and (merged.year is None or record.year < merged.year):
            merged.year = record.year
    return merged
