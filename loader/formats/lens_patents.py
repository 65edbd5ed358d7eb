"""Lens.org patent CSV export: one row per publication.

Lens joins the values of a multi-valued cell with ";;" (a single ";" occurs
inside names such as "BACON; RICHARD J.").  Its CSV has no inventor or
applicant countries, so its records load with empty country sets: they count
as patents but never towards country closeness (docs/formats/patents.md).

The small field helpers at the bottom (dates, IPC codes, family keys) are
shared by the other patent parsers.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
from typing import Iterable, Iterator, Sequence, TextIO

from loader.formats.patent_csv import normalise_application_number
from loader.normalise.countries import country_code
from loader.records import APPLICANT, PATENT, ExportError, Org, Record, Skip

NAME = "lens-patents"
KIND = "patent"
DOC = "docs/formats/patents.md"
SEPARATOR = ";;"

# Our field -> the Lens column names that carry it, in order of preference.
# Lens has renamed a few columns between export versions.
COLUMNS: dict[str, tuple[str, ...]] = {
    "lens_id": ("Lens ID",),
    "publication": ("Display Key", "Publication Number"),
    "jurisdiction": ("Jurisdiction",),
    "application": ("Application Number",),
    "application_date": ("Application Date",),
    "priorities": ("Priority Numbers",),
    "earliest_priority": ("Earliest Priority Date",),
    "title": ("Title",),
    "abstract": ("Abstract",),
    "applicants": ("Applicants",),
    "family_id": ("Simple Family ID",),
    "family_members": ("Simple Family Members",),
    "doc_type": ("Document Type", "Type", "Publication Type"),
    "ipc": ("IPCR Classifications", "IPC Classifications"),
    "cpc": ("CPC Classifications",),
    # Not in the standard export; read when a user has added them.
    "inventor_countries": ("Inventor Countries",),
    "applicant_countries": ("Applicant Countries",),
}
# A row must be identifiable by one of these.
IDENTITY = ("family_id", "family_members", "application")

_KIND_SUFFIX = re.compile(r"\s+[A-Z]\d?$")   # 'US 65784810 A': the DOCDB application kind


def detect(head: str) -> bool:
    """True when the first line of `head` is a Lens patent header."""
    first = head.lstrip("\ufeff").splitlines()[0] if head.strip() else ""
    names = {name.strip() for name in next(csv.reader([first]), [])}
    return "Lens ID" in names and "Jurisdiction" in names


def parse(fp: TextIO, file: str) -> Iterator[Record | Skip]:
    """Yield one Record per usable row and one Skip per row with no identity.

    Rows are read one at a time; a quoted cell may span several lines.
    """
    rows = csv_rows(fp, file)
    header = next(rows, None)
    if header is None:
        raise ExportError(file, "line 1", "the file is empty",
                          "export again from lens.org: Patents > Export > CSV")
    columns = _columns(header[1], file)
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        cells = {field: row[i].strip() for field, i in columns.items() if i < len(row)}
        yield _record(cells, file, line)


def _columns(header: Sequence[str], file: str) -> dict[str, int]:
    names = [name.strip().lstrip("\ufeff") for name in header]
    columns = {}
    for field, candidates in COLUMNS.items():
        found = [names.index(name) for name in candidates if name in names]
        if found:
            columns[field] = found[0]
    if "lens_id" not in columns or not any(field in columns for field in IDENTITY):
        raise ExportError(file, "line 1",
                          "not a Lens patent export: the header needs 'Lens ID' and one of "
                          "'Application Number', 'Simple Family Members'",
                          f"export from lens.org Patents > Export > CSV with the default columns; "
                          f"{DOC} lists the columns read")
    return columns


def _record(cells: dict[str, str], file: str, line: int) -> Record | Skip:
    uid, family = _identity(cells)
    if uid is None:
        return Skip(file, line, "row has no Application Number and no Simple Family "
                                f"Members (Lens ID {cells.get('lens_id') or '?'})")
    priorities = [item.split()[-1] for item in split(cells.get("priorities"))]
    applicants = split(cells.get("applicants"))
    applicant_codes = [country_code(text) for text in split(cells.get("applicant_countries"))]
    jurisdiction = cells.get("jurisdiction", "").upper()
    return Record(
        kind=PATENT,
        uid=uid,
        source="lens",
        year=earliest_year([cells.get("application_date"), cells.get("earliest_priority"),
                            *priorities]),
        title=cells.get("title", ""),
        abstract=cells.get("abstract", ""),
        doc_type=cells.get("doc_type") or None,
        countries={code for text in split(cells.get("inventor_countries"))
                   if (code := country_code(text))},
        applicant_countries={code for code in applicant_codes if code},
        orgs=applicant_orgs(applicants, applicant_codes),
        subjects=unique(compact_ipc(code) for field in ("ipc", "cpc")
                        for code in split(cells.get(field))),
        family_id=family,
        office=jurisdiction if len(jurisdiction) == 2 else None,
        file=file,
        line=line,
    )


def _identity(cells: dict[str, str]) -> tuple[str | None, str | None]:
    """(uid, family id): the family when the row names one, else the application."""
    if cells.get("family_id"):
        return f"FAM:{cells['family_id']}", cells["family_id"]
    members = split(cells.get("family_members"))
    if members:
        family = family_key(members + [cells.get("publication", "")])
        return f"FAM:{family}", family
    application = normalise_application_number(_KIND_SUFFIX.sub("", cells.get("application", "")))
    return (f"APP:{application}", None) if application else (None, None)


def split(text: str | None, separator: str = SEPARATOR) -> list[str]:
    """The non-empty parts of a multi-valued cell."""
    return [part.strip() for part in (text or "").split(separator) if part.strip()]


# --- field helpers shared by the patent parsers --------------------------------

_YEAR = re.compile(r"^(\d{4})(?:[-/.]?\d{1,2}(?:[-/.]?\d{1,2})?)?(?:[ T].*)?$")
_FIXED_WIDTH = re.compile(r"^([A-HY]\d\d[A-Z])([ \d]{3})(\d{2,})$")   # IPC7: 'A45F  504'
FIRST_YEAR, LAST_YEAR = 1790, 2100


def csv_rows(fp: TextIO, file: str) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) for each CSV row; a quoted cell may span several lines."""
    reader = csv.reader(fp)
    end_of_previous = 0
    try:
        for row in reader:
            yield end_of_previous + 1, row
            end_of_previous = reader.line_num
    except csv.Error as problem:
        raise ExportError(file, f"line {end_of_previous + 1}", f"is not valid CSV: {problem}",
                          "an unclosed quote or an oversized cell; export the file again") from None


def earliest_year(values: Iterable[object]) -> int | None:
    """The earliest year among dates written 2003-01-09, 20030109, 2003/1/9 or as date objects.

    The year rule for patents: the earliest filing or priority date given.
    """
    years = []
    for value in values:
        if isinstance(value, (dt.date, dt.datetime)):
            years.append(value.year)
            continue
        match = _YEAR.match(str(value or "").strip())
        if match and FIRST_YEAR <= int(match.group(1)) <= LAST_YEAR:
            years.append(int(match.group(1)))
    return min(years) if years else None


def compact_ipc(code: str) -> str:
    """'G06N 3/04', 'G06N3/04(2006.01)' and the fixed-width IPC7 'G06N  304' -> 'G06N3/04'."""
    code = re.sub(r"\(.*?\)", "", code).strip().upper()
    fixed = _FIXED_WIDTH.match(code)
    if fixed:
        return f"{fixed.group(1)}{fixed.group(2).strip()}/{fixed.group(3)}"
    return re.sub(r"\s+", "", code)


def family_key(members: Iterable[str]) -> str:
    """One key for a simple family given its members' publication numbers.

    Every member row lists the same family, so the smallest normalised
    number is the same on each of them; the row's own number is added by the
    caller because some exports leave it out of its own list.
    """
    return min(key for member in members if (key := normalise_application_number(member)))


def applicant_orgs(names: Sequence[str], codes: Sequence[str | None]) -> list[Org]:
    """Applicants as Orgs; countries are paired by position only when the lists align."""
    aligned = len(names) == len(codes)
    return [Org(name, codes[i] if aligned else None, APPLICANT) for i, name in enumerate(names)]


def unique(items: Iterable[str]) -> list[str]:
    """Non-empty items in first-seen order."""
    return list(dict.fromkeys(item for item in items if item))
