"""Opening text exports: find the encoding, drop the BOM, read CRLF as LF.

Exports come as UTF-8 with or without a BOM, as UTF-16 with a BOM (Windows Web of
Science tab-delimited files) and, from Chinese databases, as GB18030.  The
encoding is chosen from the BOM, else from the first encoding in `encodings`
that decodes the head of the file.  A byte that is not text further on is
reported with its line number when that line is read, so a 2 GB file is never
decoded twice.
"""
from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from loader.records import ExportError

DEFAULT_ENCODINGS: tuple[str, ...] = ("utf-8",)
HEAD_BYTES = 65536

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# With errors="surrogateescape" an undecodable byte becomes a lone surrogate in
# U+DC80..U+DCFF, which strict decoding never produces: finding one finds the bad line.
# A NUL is refused too: no text export holds one (in the head it means "binary"), and
# FalkorDB's client cannot send a value that contains one.
_ESCAPED = re.compile("[\x00\udc80-\udcff]")
_REEXPORT = "re-export as UTF-8 (Web of Science: 'Plain text' or 'Tab delimited (UTF-8)')"


def _not_text(file: str, line: int, encodings: Sequence[str]) -> ExportError:
    names = [e.upper() for e in encodings] + ["UTF-16"]
    listed = ", ".join(names[:-1]) + " or " + names[-1]
    return ExportError(file, f"line {line}", f"not {listed} text", _REEXPORT)


def choose_encoding(head: bytes, file: str, encodings: Sequence[str] = DEFAULT_ENCODINGS) -> str:
    """The codec for a file whose first bytes are `head`: its BOM's, else the first that decodes."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    if b"\0" in head:
        raise ExportError(file, "", "binary file, not a text export",
                          "export the records as text (plain text, tab-delimited or CSV)")
    first_error = None
    for encoding in encodings:
        try:
            # final=False: the head may end inside a multi-byte character.
            codecs.getincrementaldecoder(encoding)("strict").decode(head, final=False)
            return encoding
        except UnicodeDecodeError as err:
            first_error = first_error or err
    line = head[: first_error.start].count(b"\n") + 1 if first_error else 1
    raise _not_text(file, line, encodings)


def decode_head(head: bytes, file: str, encodings: Sequence[str] = DEFAULT_ENCODINGS) -> str:
    """A file's first bytes as text, BOM removed and newlines as "\\n" (for format detection)."""
    encoding = choose_encoding(head, file, encodings)
    text = codecs.getincrementaldecoder(encoding)("strict").decode(head, final=False)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_head(path, nbytes: int = HEAD_BYTES) -> bytes:
    with open(path, "rb") as raw:
        return raw.read(nbytes)


def sniff(path, nbytes: int = HEAD_BYTES, encodings: Sequence[str] = DEFAULT_ENCODINGS) -> str:
    """The decoded head of a text export, for format detection."""
    return decode_head(read_head(path, nbytes), str(path), encodings)


class ExportText:
    """A text export open for reading: iterate it by line, or read() it.

    Behaves like a text file for parsers (csv.reader, json.load, `for line in fp`)
    and raises ExportError naming the line where the bytes stop being text.
    """

    def __init__(self, text: io.TextIOBase, file: str, encoding: str, encodings: Sequence[str]):
        self._text = text
        self._encodings = encodings
        self.name = file
        self.encoding = encoding
        self._lines_read = 0          # newlines handed out so far

    def _check(self, chunk: str) -> str:
        bad = _ESCAPED.search(chunk)
        if bad:
            raise _not_text(self.name, self._lines_read + chunk.count("\n", 0, bad.start()) + 1,
                            self._encodings)
        self._lines_read += chunk.count("\n")
        return chunk

    def _decoded(self, read, *args) -> str:
        try:
            return self._check(read(*args))
        except UnicodeDecodeError:
            # Bytes surrogateescape cannot carry (invalid UTF-16): the decoder reads ahead
            # in blocks, so the line is the next one, or close after it.
            raise _not_text(self.name, self._lines_read + 1, self._encodings) from None

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        return self._decoded(self._text.__next__)

    def readline(self, size: int = -1) -> str:
        return self._decoded(self._text.readline, size)

    def read(self, size: int = -1) -> str:
        return self._decoded(self._text.read, size)

    def close(self) -> None:
        self._text.close()


@contextmanager
def open_export(path, encodings: Sequence[str] = DEFAULT_ENCODINGS, newline: str | None = None):
    """Open a text export for reading; yields an ExportText.

    `newline=None` reads CRLF and CR as "\\n"; pass "" for csv files whose quoted
    fields hold line breaks.
    """
    file = str(path)
    encoding = choose_encoding(read_head(path), file, encodings)
    text = open(path, encoding=encoding, errors="surrogateescape", newline=newline)
    try:
        yield ExportText(text, file, encoding, encodings)
    finally:
        text.close()
