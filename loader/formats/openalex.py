"""OpenAlex works: API JSON (one work, a list, or a page with a `results` list),
JSON Lines (one work per line, as snapshot and harvesting tools write them),
and the flattened CSV of the OpenAlex web export ("authorships.countries" with
values joined by "|").

JSON is read incrementally: only one work is decoded at a time, however large
the file.  Countries and organisations come from the authorships' institutions
(with their ROR ids); an authorship without institutions still adds its
`countries`.
"""
from __future__ import annotations

import io
import itertools
import json
import re
from typing import Iterable, Iterator, TextIO

from loader.formats.affiliations import counted_country, split_list
from loader.formats.scopus import clean_doi, csv_table, header_of, year_of
from loader.records import AUTHOR, PAPER, ExportError, Org, Record, Skip

NAME = "openalex"
KIND = "paper"
OPTIONS = ("split_hk_macau",)

HINT = ("export works from OpenAlex: the API's /works JSON, JSON Lines with one work "
        "per line, or the web site's CSV download")
CSV_REQUIRED = ("id", "authorships.countries")
# OpenAlex assigns a concept to a work at a score of 0.3 or more; lower ones
# are ancestors added by the concept tree.
CONCEPT_MIN_SCORE = 0.3
CHUNK = 1 << 16
MAX_WORK_CHARS = 64 << 20      # a work this large is a broken file, not a work
NUMBER_MARGIN = 64

_ID = re.compile(r"^(?:https?://openalex\.org/)?([A-Za-z])(\d+)$")
# Any OpenAlex entity: a file of institutions or authors is claimed too, so
# that parse() can say what it is instead of "not a recognised export".
_ENTITY_ID = re.compile(r'"id"\s*:\s*"(?:https?://openalex\.org/)?[WAISPFTCK]\d+"')
_ENTITIES = {"A": "authors", "I": "institutions", "S": "sources", "P": "publishers",
             "F": "funders", "T": "topics", "C": "concepts", "K": "keywords"}
_NON_SPACE = re.compile(r"\S")


def detect(head: str) -> bool:
    """True for OpenAlex JSON (an object with an OpenAlex id and a display_name) or the works CSV."""
    text = head.lstrip("\ufeff \t\r\n")
    if text[:1] in ("{", "["):
        return (bool(_ENTITY_ID.search(text)) and '"display_name"' in text
                or '"authorships"' in text and "openalex.org/W" in text)
    return all(column in header_of(text) for column in CSV_REQUIRED)


def parse(fp: TextIO, file: str, *, split_hk_macau: bool = False) -> Iterator[Record | Skip]:
    """Yield one Record per work and one Skip per object that cannot be used.

    Raises ExportError for broken JSON (naming the line) and for files of other
    OpenAlex entities (institutions, authors ...).  Hong Kong and Macau count
    as China unless `split_hk_macau`.
    """
    head = _head(fp)
    if head.lstrip()[:1] in ("{", "["):
        for item in _JsonValues(head, fp, file):
            yield item if isinstance(item, Skip) else _work(item[1], file, item[0], split_hk_macau)
    else:
        # Complete the head's last line, then read on line by line.
        lines = itertools.chain(io.StringIO(head + fp.readline()), fp)
        yield from _csv_works(lines, file, split_hk_macau)


def _reason(error: json.JSONDecodeError) -> str:
    # 'Unterminated string starting at' -> 'unterminated string'
    return re.sub(r"( starting)? at$", "", error.msg).lower()


def _head(fp: TextIO) -> str:
    """The first chunk of the file, BOM removed, read on until it holds more than white space."""
    head = ""
    while True:
        chunk = fp.read(CHUNK)
        head = (head + chunk).lstrip("\ufeff")
        if not chunk or head.strip():
            return head


# --- works -------------------------------------------------------------------

def _work(obj: object, file: str, line: int, split_hk_macau: bool) -> Record | Skip:
    if not isinstance(obj, dict):
        return Skip(file, line, f"a JSON {type(obj).__name__}, not an OpenAlex work object")
    found = _ID.match(str(obj.get("id") or ""))
    if not found:
        return Skip(file, line, "the object has no OpenAlex id ('id': 'https://openalex.org/W…')")
    letter = found.group(1).upper()
    if letter != "W":
        raise ExportError(file, f"line {line}",
                          f"an OpenAlex {_ENTITIES.get(letter, 'entity')} file, not works", HINT)
    orgs, countries = _institutions(obj.get("authorships") or [], split_hk_macau)
    return Record(
        kind=PAPER,
        uid="OPENALEX:W" + found.group(2),
        source=NAME,
        year=obj.get("publication_year") if isinstance(obj.get("publication_year"), int) else None,
        title=obj.get("display_name") or obj.get("title") or "",
        doi=clean_doi(obj.get("doi")),
        doc_type=obj.get("type") or None,
        countries=countries,
        orgs=orgs,
        keywords=_keywords(obj),
        abstract=abstract_text(obj.get("abstract_inverted_index")),
        subjects=_subjects(obj),
        file=file,
        line=line,
    )


def _institutions(authorships: list, split_hk_macau: bool) -> tuple[list[Org], set[str]]:
    orgs: list[Org] = []
    countries: set[str] = set()
    for authorship in authorships:
        for code in authorship.get("countries") or []:
            countries.add(counted_country(code, split_hk_macau))
        for institution in authorship.get("institutions") or []:
            country = counted_country(institution.get("country_code"), split_hk_macau)
            if country:
                countries.add(country)
            ror = (institution.get("ror") or "").rstrip("/").rpartition("/")[2] or None
            org = Org(institution.get("display_name") or "", country, AUTHOR, ror)
            if org.name and org not in orgs:
                orgs.append(org)
    countries.discard(None)
    return orgs, countries


def abstract_text(inverted_index: dict[str, list[int]] | None) -> str:
    """The abstract OpenAlex ships as {word: [positions]}, put back in word order."""
    words: dict[int, str] = {}
    for word, positions in (inverted_index or {}).items():
        for position in positions:
            words[position] = word
    return " ".join(words[position] for position in sorted(words))


def _keywords(obj: dict) -> list[str]:
    names = [k.get("display_name") or k.get("keyword") for k in obj.get("keywords") or []]
    if not any(names):
        names = [c.get("display_name") for c in obj.get("concepts") or []
                 if (c.get("score") or 0) >= CONCEPT_MIN_SCORE]
    return list(dict.fromkeys(name for name in names if name))


def _subjects(obj: dict) -> list[str]:
    """Fields and subfields of the work's topics; top-level concepts for older records."""
    topics = [obj.get("primary_topic")] + list(obj.get("topics") or [])
    names = [(topic.get(level) or {}).get("display_name")
             for topic in topics if topic for level in ("field", "subfield")]
    if not any(names):
        names = [c.get("display_name") for c in obj.get("concepts") or []
                 if c.get("level") == 0 and (c.get("score") or 0) >= CONCEPT_MIN_SCORE]
    return list(dict.fromkeys(name for name in names if name))


# --- the web site's CSV ---------------------------------------------------------

def _csv_works(lines: Iterable[str], file: str, split_hk_macau: bool) -> Iterator[Record | Skip]:
    header, rows = csv_table(lines, file, CSV_REQUIRED, HINT)
    for line, row in rows:
        cells = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)}
        found = _ID.match(cells["id"])
        if not found or found.group(1).upper() != "W":
            yield Skip(file, line, f"id {cells['id']!r} is not an OpenAlex work id (W…)")
            continue
        per_authorship = cells["authorships.countries"].split("|")
        names = cells.get("authorships.institutions.display_name", "").split("|")
        # The two lists line up only when each authorship has one institution.
        aligned = len(names) == len(per_authorship)
        codes = [counted_country(code.strip(), split_hk_macau) for code in per_authorship]
        orgs: list[Org] = []
        for i, name in enumerate(names):
            org = Org(name.strip(), codes[i] if aligned else None, AUTHOR)
            if org.name and org not in orgs:
                orgs.append(org)
        yield Record(
            kind=PAPER,
            uid="OPENALEX:W" + found.group(2),
            source=NAME,
            year=year_of(cells.get("publication_year")),
            title=cells.get("display_name") or cells.get("title", ""),
            doi=clean_doi(cells.get("doi")),
            doc_type=cells.get("type") or None,
            countries={code for code in codes if code},
            orgs=orgs,
            keywords=split_list(cells.get("keywords.display_name"), "|"),
            abstract=cells.get("abstract", ""),
            subjects=split_list(cells.get("primary_topic.display_name"), "|"),
            file=file,
            line=line,
        )


# --- incremental JSON ------------------------------------------------------------

class _JsonValues:
    """The works in a JSON text, decoded one at a time, as (line, object).

    Top-level arrays and a top-level object's "results" array are opened and
    their elements yielded one by one; any other top-level object is one
    work.  Several top-level values (JSON Lines) are read in turn; after the
    first, a value that does not decode is a Skip and reading resumes on the
    next line.
    """

    def __init__(self, head: str, fp: TextIO, file: str):
        self.buf, self.fp, self.file = head, fp, file
        self.pos = 0
        self.line = 1            # line of buf[pos]
        self.eof = False
        self.decoder = json.JSONDecoder()

    def __iter__(self) -> Iterator[tuple[int, object] | Skip]:
        values = 0
        while self.peek():
            start = self.line
            try:
                yield from self._top_level()
            except ExportError as error:
                if not values:
                    raise
                yield Skip(self.file, start, f"{error.problem}; the line is left out")
                self._skip_line()
            values += 1

    def _top_level(self) -> Iterator[tuple[int, object]]:
        if self.peek() == "[":
            yield from self._array()
            return
        line = self.line
        self.expect("{")
        work: dict = {}
        streamed = False
        while self.peek() != "}":
            key = self._value()
            if not isinstance(key, str):
                raise self._error(f"an object key must be a string, found {key!r}")
            self.expect(":")
            if key == "results" and self.peek() == "[":
                yield from self._array()      # an API page: {"meta": ..., "results": [...]}
                streamed = True
            else:
                work[key] = self._value()
            if self.expect(",}") == "}":
                break
        else:
            self.expect("}")
        if work and not streamed:
            yield line, work

    def _array(self) -> Iterator[tuple[int, object]]:
        self.expect("[")
        if self.peek() == "]":
            self.expect("]")
            return
        while True:
            self.peek()
            line = self.line
            yield line, self._value()
            if self.expect(",]") == "]":
                return

    def peek(self) -> str:
        """The next character that is not white space, '' at the end of the file."""
        while True:
            found = _NON_SPACE.search(self.buf, self.pos)
            if found:
                self._advance(found.start())
                return self.buf[self.pos]
            self._advance(len(self.buf))
            if not self._read_more():
                return ""

    def expect(self, allowed: str) -> str:
        char = self.peek()
        if not char or char not in allowed:
            wanted = " or ".join(repr(c) for c in allowed)
            found = repr(char) if char else "the end of the file (is it truncated?)"
            raise self._error(f"expected {wanted}, found {found}")
        self._advance(self.pos + 1)
        return char

    def _value(self) -> object:
        self.peek()
        # A number cut by the end of the buffer ('0.' of '0.25') would decode
        # as a shorter one: keep a margin longer than any number in the buffer.
        while len(self.buf) - self.pos < NUMBER_MARGIN and self._read_more():
            pass
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as error:
                if self._may_continue(error) and self._read_more():
                    continue
                raise self._error(self._describe(error), error.pos) from None
            self._advance(end)
            return value

    def _may_continue(self, error: json.JSONDecodeError) -> bool:
        # A value cut by the end of the buffer fails near its end (inside a
        # literal such as 'fals' or an escape such as '\u00') or as an
        # unterminated string; anything else is a syntax error.
        return ((self._near_end(error) or error.msg.startswith("Unterminated string"))
                and len(self.buf) - self.pos < MAX_WORK_CHARS)

    def _near_end(self, error: json.JSONDecodeError) -> bool:
        return error.pos >= len(self.buf.rstrip()) - 8

    def _describe(self, error: json.JSONDecodeError) -> str:
        if self.eof and (self._near_end(error) or error.msg.startswith("Unterminated string")):
            return (f"the file ends inside the JSON value that starts on line {self.line} "
                    f"({_reason(error)}): it is truncated")
        return f"invalid JSON ({_reason(error)})"

    def _error(self, problem: str, pos: int | None = None) -> ExportError:
        pos = self.pos if pos is None else pos
        line = self.line + self.buf.count("\n", self.pos, pos)
        return ExportError(self.file, f"line {line}", problem, "export or download the file again")

    def _advance(self, end: int) -> None:
        self.line += self.buf.count("\n", self.pos, end)
        self.pos = end

    def _read_more(self) -> bool:
        if self.eof:
            return False
        chunk = self.fp.read(CHUNK)
        if not chunk:
            self.eof = True
            return False
        self.buf = self.buf[self.pos:] + chunk     # what is consumed is let go
        self.pos = 0
        return True

    def _skip_line(self) -> None:
        while True:
            newline = self.buf.find("\n", self.pos)
            if newline >= 0:
                self._advance(newline + 1)
                return
            self._advance(len(self.buf))
            if not self._read_more():
                return
