"""Scopus CSV exports ("Export > CSV" on a Scopus result list).

Column sets vary with the export date and the fields picked (34 to 45
columns); only EID, Title, Year and one of the two affiliation columns are
needed.  "Affiliations" lists one entry per affiliation, joined with "; ",
country last; "Authors with affiliations" repeats them per author and is the
fallback when "Affiliations" is missing or empty.
"""
from __future__ import annotations

import csv
import re
from typing import Iterable, Iterator, TextIO

from loader.formats.affiliations import affiliation_orgs, split_list
from loader.formats.lens_patents import csv_rows
from loader.records import PAPER, ExportError, Record, Skip

NAME = "scopus"
KIND = "paper"
OPTIONS = ("split_hk_macau",)

REQUIRED = ("EID", "Title", "Year")
AFFILIATION_COLUMNS = ("Affiliations", "Authors with affiliations")
HINT = ("export again from Scopus as CSV with 'Citation information' and "
        "'Bibliographical information' (affiliations) selected")
# Columns no other CSV export spells this way (Lens writes "Source Title").
_MARKERS = {"EID", "Authors with affiliations", "Author(s) ID", "Source title",
            "Abbreviated Source Title", "Correspondence Address"}
_NO_ABSTRACT = "[No abstract available]"
# 'Liu F.' (newer exports) or 'Phillips, J.C.' (older): the author before the address.
_INITIALS = re.compile(r"^(?:[A-Z][a-z]?\.\s?-?)+$")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def detect(head: str) -> bool:
    """True when the first line is a header with at least two Scopus-only column names."""
    return len(_MARKERS & set(header_of(head))) >= 2


def header_of(head: str) -> list[str]:
    """The column names in the first line of `head` (BOM and surrounding spaces removed)."""
    lines = head.lstrip("\ufeff").splitlines()
    return [name.strip() for name in next(csv.reader(lines[:1]), [])]


def clean_doi(text: str | None) -> str | None:
    """'https://doi.org/10.1/ABC' -> '10.1/abc': DOIs compare case-insensitively."""
    doi = _DOI_PREFIX.sub("", (text or "").strip()).lower()
    return doi or None


def year_of(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) == 4 else None


def csv_table(fp: Iterable[str], file: str, required: tuple[str, ...], hint: str
              ) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header of a CSV export and its non-blank rows as (first physical line, cells).

    Raises ExportError naming every column of `required` the header lacks.
    The rows are read one at a time.
    """
    rows = csv_rows(fp, file)
    _, first = next(rows, (1, []))
    header = [name.strip().lstrip("\ufeff").strip() for name in first]
    if not any(header):
        raise ExportError(file, "line 1", "the file is empty", hint)
    missing = [name for name in required if name not in header]
    if missing:
        raise ExportError(file, "line 1", "missing columns: " + ", ".join(missing), hint)
    return header, ((line, row) for line, row in rows if any(cell.strip() for cell in row))


def parse(fp: TextIO, file: str, *, split_hk_macau: bool = False) -> Iterator[Record | Skip]:
    """Yield one Record per usable row and one Skip per unusable row.

    Hong Kong and Macau count as China unless `split_hk_macau`.
    """
    header, rows = csv_table(fp, file, REQUIRED, HINT)
    if not any(name in header for name in AFFILIATION_COLUMNS):
        raise ExportError(file, "line 1", "missing columns: " + " or ".join(AFFILIATION_COLUMNS),
                          HINT)
    for line, row in rows:
        cells = _cells(header, row)
        if cells is None:
            yield Skip(file, line, f"the row has {len(row)} fields but the header has "
                                   f"{len(header)}; export again or remove the stray field")
        elif not cells.get("EID"):
            yield Skip(file, line, "the row has no EID, the Scopus record id")
        else:
            yield _record(cells, file, line, split_hk_macau)


def _cells(header: list[str], row: list[str]) -> dict[str, str] | None:
    extra = len(row) - len(header)
    if extra <= 0:
        return {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)}
    # Some exports carry more "Funding Text N" fields than the header names;
    # the extra fields sit right after the named ones, so the columns to
    # their right are found by counting from the end of the row.
    funding = [i for i, name in enumerate(header) if name.startswith("Funding Text")]
    if not funding:
        return None
    shift_from = funding[-1] + 1
    return {name: row[i + extra if i >= shift_from else i].strip()
            for i, name in enumerate(header)}


def _record(cells: dict[str, str], file: str, line: int, split_hk_macau: bool) -> Record:
    orgs, countries = affiliation_orgs(_affiliations(cells), split_hk_macau=split_hk_macau)
    abstract = cells.get("Abstract", "")
    keywords = split_list(cells.get("Author Keywords")) + split_list(cells.get("Index Keywords"))
    return Record(
        kind=PAPER,
        uid="SCOPUS:" + cells["EID"],
        source=NAME,
        year=year_of(cells.get("Year")),
        title=cells.get("Title", ""),
        doi=clean_doi(cells.get("DOI")),
        doc_type=cells.get("Document Type") or None,
        countries=countries,
        orgs=orgs,
        keywords=list(dict.fromkeys(keywords)),
        abstract="" if abstract == _NO_ABSTRACT else abstract,
        file=file,
        line=line,
    )


def _affiliations(cells: dict[str, str]) -> list[str]:
    listed = split_list(cells.get("Affiliations"))
    if listed:
        return listed
    return [_without_author(entry) for entry in split_list(cells.get("Authors with affiliations"))]


def _without_author(entry: str) -> str:
    """'Liu F., Dept X, Univ Y, China' or 'Phillips, J.C., Dept X, ...' -> 'Dept X, ...'."""
    parts = entry.split(",")
    drop = 2 if len(parts) > 2 and _INITIALS.match(parts[1].strip()) else 1
    return ",".join(parts[drop:]).strip()
