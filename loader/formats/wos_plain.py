"""Web of Science plain text ("Field tagged") exports.

    FN Clarivate Analytics Web of Science
    VR 1.0
    PT J
    AU Wang, JJ
       Guo, K
    TI Individual [F-18]FDG PET ...
       surgery
    ...
    UT WOS:000361432300021
    ER

    EF

A field is a two-character tag, a space and the value; its further lines
(continuation lines) start with three spaces.  The FN/VR header and the final EF
are optional.  Read line by line: each record is yielded at its ER line.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from loader.formats.wos_fields import Fields, record_from_fields
from loader.records import PAPER, ExportError, Record, Skip

NAME = "wos-plain"
KIND = PAPER
OPTIONS = ("split_hk_macau",)

_FIELD = re.compile(r"^([A-Z][A-Z0-9])(?: (.*))?$")
_FILE_TAGS = ("FN", "VR", "EF")     # header and end-of-file lines, outside any record


def detect(head: str) -> bool:
    """A plain-text export starts with its FN header, or with the first record's PT line."""
    for line in head.lstrip("\ufeff").splitlines():
        if line.strip():
            return line.startswith(("FN ", "PT "))
    return False


def parse(fp, file: str, *, split_hk_macau: bool = False) -> Iterator[Record | Skip]:
    """Yield each record of a plain-text export (Record, or Skip for one that cannot be used).

    Raises ExportError when the file holds no record, or, after yielding every
    complete record, when it ends inside a record.
    """
    fields: Fields | None = None    # the record being read
    start = 0                       # its first line
    tag = None                      # the field that continuation lines belong to
    problem = None                  # why the record being read cannot be used
    records = 0
    stray = False                   # a stray line outside the records was reported already
    for number, raw in enumerate(fp, 1):
        # A BOM can stand at the start of any line when exports were concatenated.
        line = raw.rstrip("\r\n").lstrip("\ufeff")
        if not line.strip():
            continue
        field = _FIELD.match(line)
        if fields is None:
            if field and field[1] in _FILE_TAGS:
                continue
            if not field or field[1] == "ER":
                if not stray:
                    stray = True
                    yield Skip(file, number, "line is outside any record (expected PT, FN, VR "
                                             "or EF): ignored up to the next record")
                continue
            # A record starts at its PT line, or at its first field when PT was left out.
            fields, start, tag, problem, stray = {}, number, None, None, False
            records += 1
        elif field and field[1] in ("PT", "EF"):
            yield Skip(file, start, f"record has no ER line before line {number} ({field[1]}): "
                                    "the record is incomplete")
            fields = None
            if field[1] == "EF":
                continue
            fields, start, tag, problem = {}, number, None, None
            records += 1
        if field:
            tag = field[1]
            if tag == "ER":
                yield (Skip(file, start, problem) if problem else
                       record_from_fields(fields, file, start, split_hk_macau=split_hk_macau))
                fields = None
                continue
            fields.setdefault(tag, []).append(field[2] or "")
        elif line.startswith(" ") and tag is not None:
            fields[tag].append(line.strip())
        else:
            problem = problem or (f"line {number} is neither a field (a two-character tag) nor a "
                                  "continuation line (three spaces): the record is corrupted")
    if fields is not None:
        raise ExportError(file, f"record starting at line {start}",
                          "record is truncated (no ER line before end of file)",
                          "the export was cut off: export it again")
    if not records:
        raise ExportError(file, "", "no Web of Science records found",
                          "a plain-text export holds records from 'PT J' to 'ER'")
