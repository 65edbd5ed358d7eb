"""Export formats: which parser reads a file, and reading it.

Every parser module has
    NAME     the format's name, as --format takes it
    KIND     "paper" or "patent"
    detect(head) -> bool
             head is the decoded start of the file (about 64 KiB, BOM removed, "\\n"
             newlines), or its raw bytes for a module with OPEN = "binary"
    parse(fp, file) -> Iterator[Record | Skip]
             fp is the text file object from textio.open_export, file the name for messages
and may have
    OPEN = "binary"   it reads the file itself (xlsx, zip): parse_path(path) is called instead,
                      and detect_path(path), where defined, instead of detect(head)
    ENCODINGS         what to try when the file has no BOM; default ("utf-8",),
                      e.g. ("utf-8", "gb18030") for Chinese databases
    OPTIONS           the keyword options parse() / parse_path() accept, e.g. ("split_hk_macau",)

To add a format, add one line to PARSERS.  Order matters: the first module
whose detect() accepts a file reads it.
"""
from __future__ import annotations

from collections.abc import Iterator

from loader.formats import (cn_patents, ieee, lens_patents, openalex, patent_csv, scopus,
                            uspto_xml, wos_plain, wos_tab)
from loader.formats.textio import DEFAULT_ENCODINGS, decode_head, open_export, read_head
from loader.records import ExportError, Record, Skip

PARSERS = [
    ("wos-plain", wos_plain),
    ("wos-tab", wos_tab),
    ("scopus", scopus),
    ("openalex", openalex),
    ("ieee", ieee),
    ("lens-patents", lens_patents),
    ("patent-csv", patent_csv),
    ("cn-patents", cn_patents),
    ("uspto-xml", uspto_xml),
]


def _binary(module) -> bool:
    return getattr(module, "OPEN", "text") == "binary"


def _encodings(module) -> tuple[str, ...]:
    return tuple(getattr(module, "ENCODINGS", DEFAULT_ENCODINGS))


def _known() -> str:
    return ", ".join(name for name, _ in PARSERS)


def parser(name: str):
    """The parser module registered as `name` (as --format gives it)."""
    for registered, module in PARSERS:
        if registered == name:
            return module
    raise ExportError("--format", name, "unknown export format", f"use one of: {_known()}")


def detect_format(path, kind: str | None = None) -> str:
    """Name of the first registered format that recognises the file (of that KIND, if given)."""
    file = str(path)
    head = read_head(path)
    if not head:
        raise ExportError(file, "", "the file is empty", "export the records again")
    candidates = [(n, m) for n, m in PARSERS if kind is None or m.KIND == kind]
    # Decode the head once, with every encoding some text parser accepts.
    text_parsers = [m for _, m in candidates if not _binary(m)]
    encodings = tuple(dict.fromkeys(e for m in text_parsers for e in _encodings(m)))
    text, undecodable = None, None
    try:
        text = decode_head(head, file, encodings or DEFAULT_ENCODINGS)
    except ExportError as err:
        undecodable = err
    for name, module in candidates:
        if _binary(module):
            # An archive's telling part can lie past its first bytes (xlsx shared strings).
            if module.detect_path(path) if hasattr(module, "detect_path") else module.detect(head):
                return name
        elif text is not None and module.detect(text):
            return name
    if undecodable:
        raise undecodable
    first = text.split("\n", 1)[0].strip()
    raise ExportError(file, "line 1", f"not a recognised export ({_known()}); line 1 reads "
                                      f"{first[:60]!r}", "check the file or pass --format")


def read_records(path, kind: str | None = None, fmt: str | None = None,
                 **options) -> Iterator[Record | Skip]:
    """Records (and Skips) of one export file, its format detected unless `fmt` names it.

    `options` (e.g. split_hk_macau=True) go to the parsers that list them in OPTIONS.
    """
    module = parser(fmt or detect_format(path, kind))
    accepted = {k: v for k, v in options.items() if k in getattr(module, "OPTIONS", ())}
    if _binary(module):
        yield from module.parse_path(path, **accepted)
        return
    with open_export(path, _encodings(module)) as fp:
        yield from module.parse(fp, str(path), **accepted)
