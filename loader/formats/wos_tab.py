"""Web of Science tab-delimited exports ("Tab delimited file", Windows or Mac, UTF-8 or UTF-16).

The first row holds the field tags (PT, AU, ..., UT); each further line is one
record.  Cells are never quoted, and several values in one cell are separated by
"; ".  Some exports end every data row with an extra tab.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from loader.formats.wos_fields import Fields, record_from_fields
from loader.records import PAPER, ExportError, Record, Skip

NAME = "wos-tab"
KIND = PAPER
OPTIONS = ("split_hk_macau",)

_TAG = re.compile(r"^[A-Z][A-Z0-9]$")
# "[Li, X; Wang, J] Tsinghua Univ, ..., Peoples R China; [Smith, A] Univ X, ..., USA":
# the "; " inside the brackets separates authors, so split only outside brackets.
_ADDRESS_SEPARATOR = re.compile(r";\s*(?![^\[\]]*\])")


def _cells(line: str) -> list[str]:
    # Tab-delimited exports never quote a cell, so a tab always separates cells.  Splitting
    # by hand, not with csv, also avoids csv's 128 KiB cell limit (CR cells of long reviews).
    return line.rstrip("\r\n").lstrip("\ufeff").split("\t")


def _header(line: str) -> list[str]:
    tags = _cells(line)
    while tags and not tags[-1]:
        tags.pop()
    return tags


def detect(head: str) -> bool:
    """The first line is a row of two-character field tags that includes UT."""
    tags = _header(head.split("\n", 1)[0])
    return len(tags) > 1 and "UT" in tags and all(_TAG.match(tag) for tag in tags)


def _fields(tags: list[str], cells: list[str]) -> Fields:
    fields: Fields = {}
    for tag, cell in zip(tags, cells):
        cell = cell.strip()
        if cell:
            fields[tag] = _ADDRESS_SEPARATOR.split(cell) if tag == "C1" else [cell]
    return fields


def parse(fp, file: str, *, split_hk_macau: bool = False) -> Iterator[Record | Skip]:
    """Yield each row of a tab-delimited export: a Record, or a Skip for a row that is unusable.

    Record.line is the row's line in the file (the header is line 1).
    """
    lines = iter(fp)
    tags = _header(next(lines, ""))
    if "UT" not in tags:
        raise ExportError(file, "line 1", "no UT column in the header row: not a Web of Science "
                                          "tab-delimited export", "export it again with all fields")
    rows = 0
    for number, line in enumerate(lines, 2):
        cells = _cells(line)
        if not any(cell.strip() for cell in cells):
            continue
        rows += 1
        if len(cells) == len(tags) + 1 and not cells[-1]:
            cells.pop()         # the extra tab some exports put at the end of every row
        if len(cells) != len(tags):
            yield Skip(file, number, f"row has {len(cells)} columns but the header has "
                                     f"{len(tags)}: a cell holds a tab or the line was cut")
            continue
        yield record_from_fields(_fields(tags, cells), file, number, split_hk_macau=split_hk_macau)
    if not rows:
        raise ExportError(file, "", "no Web of Science records found",
                          "the file has a header row but no record rows")
