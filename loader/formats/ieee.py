"""IEEE Xplore CSV exports ("Export > CSV" on an Xplore search result).

One row per document.  "Author Affiliations" holds one affiliation per
author, joined with "; ", in whatever form the publication printed it:
"Georgia Institute of Technology Atlanta,Georgia,USA", "Dept. of X, Univ. of
Y, Hangzhou, China", or just "NVIDIA".  The article number, the record's
identity, is only in the "PDF Link" URL (…stamp.jsp?arnumber=9150427).
"""
from __future__ import annotations

import re
from typing import Iterator, TextIO

from loader.formats.affiliations import affiliation_orgs, split_list
from loader.formats.scopus import clean_doi, csv_table, header_of, year_of
from loader.records import PAPER, Record, Skip

NAME = "ieee"
KIND = "paper"
OPTIONS = ("split_hk_macau",)

REQUIRED = ("Document Title", "Author Affiliations", "Publication Year")
IDENTITY_COLUMNS = ("Article Number", "PDF Link", "DOI")
HINT = ("export again from IEEE Xplore with 'Export > Citations' in CSV format "
        "(the download includes the affiliations and PDF links)")
_ARNUMBER = re.compile(r"[?&]arnumber=(\d+)")


def detect(head: str) -> bool:
    """True when the header names the Xplore columns 'Document Title' and 'Author Affiliations'."""
    columns = set(header_of(head))
    return {"Document Title", "Author Affiliations"} <= columns and "Publication Title" in columns


def parse(fp: TextIO, file: str, *, split_hk_macau: bool = False) -> Iterator[Record | Skip]:
    """Yield one Record per usable row and one Skip per unusable row.

    Hong Kong and Macau count as China unless `split_hk_macau`.
    """
    header, rows = csv_table(fp, file, REQUIRED, HINT)
    for line, row in rows:
        cells = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)}
        uid = _uid(cells)
        if uid is None:
            yield Skip(file, line, "the row has no article number (PDF Link) and no DOI")
            continue
        orgs, countries = affiliation_orgs(split_list(cells["Author Affiliations"]),
                                           split_hk_macau=split_hk_macau)
        keywords = split_list(cells.get("Author Keywords")) + split_list(cells.get("IEEE Terms"))
        yield Record(
            kind=PAPER,
            uid=uid,
            source=NAME,
            year=year_of(cells["Publication Year"]),
            title=cells["Document Title"],
            doi=clean_doi(cells.get("DOI")),
            # "IEEE Conferences", "IEEE Journals", "IEEE Magazines", ...
            doc_type=cells.get("Document Identifier") or None,
            countries=countries,
            orgs=orgs,
            keywords=list(dict.fromkeys(keywords)),
            abstract=cells.get("Abstract", ""),
            file=file,
            line=line,
        )


def _uid(cells: dict[str, str]) -> str | None:
    number = cells.get("Article Number", "")
    if not number.isdigit():
        found = _ARNUMBER.search(cells.get("PDF Link", ""))
        number = found.group(1) if found else ""
    if number:
        return "IEEE:" + number
    doi = clean_doi(cells.get("DOI"))
    return "IEEE:" + doi if doi else None
