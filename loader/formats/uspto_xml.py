"""USPTO full-text XML (grants and pre-grant applications, DTD v4.0-v4.7).

A weekly USPTO file is thousands of complete XML documents written one after
another, each starting with its own `<?xml ...?>` line, so the file as a whole
is not XML.  We split the stream on those lines and parse one document at a
time with a pull parser, keeping only the bibliographic part and the abstract.

Documents are refused before parsing when their prolog declares entities or
has a non-empty internal DTD subset: USPTO documents never do (their DOCTYPE
ends in an empty `[ ]`), and entity declarations are how XML bombs expand.
Weekly `.zip` files are read member by member without extracting anything.

docs/formats/patents.md says what each element maps to.
"""
from __future__ import annotations

import io
import re
import struct
import xml.etree.ElementTree as ET
import zipfile
import zlib
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Iterable, Iterator, TextIO

from loader.formats.lens_patents import compact_ipc, earliest_year, unique
from loader.formats.patent_csv import normalise_application_number
from loader.formats.textio import HEAD_BYTES, open_export, read_head
from loader.normalise.countries import country_code
from loader.records import APPLICANT, PATENT, ExportError, Org, Record, Skip

NAME = "uspto-xml"
KIND = "patent"
OPEN = "binary"   # needs the path: weekly files come zipped

ROOTS = {"us-patent-grant": "us-bibliographic-data-grant",
         "us-patent-application": "us-bibliographic-data-application"}
# The parts of a document we read; everything else (description, claims,
# drawings, sequence listings) is dropped element by element as it is parsed.
KEPT = set(ROOTS.values()) | {"abstract"}
PROLOG_LIMIT = 64 * 1024

_DECLARATION = "<?xml"
ZIP_MAGIC = b"PK\x03\x04"
_ROOT_START = re.compile(r"<[A-Za-z_]")
# The only DOCTYPE accepted: a name and external id, with at most an empty `[ ]`.
_PLAIN_DOCTYPE = re.compile(r"<!DOCTYPE[^\[>]*(?:\[\s*\])?\s*>")

# Where each DTD generation puts the people and organisations.  v4.0-v4.2
# list inventors as `parties/applicants` with app-type "applicant-inventor";
# v4.3 on has `us-parties/inventors` and organisation applicants.
INVENTOR_PATHS = ("us-parties/inventors/inventor", "parties/inventors/inventor",
                  "inventors/inventor")
APPLICANT_PATHS = ("us-parties/us-applicants/us-applicant", "parties/applicants/applicant")
ASSIGNEE_PATHS = ("assignees/assignee",)
# Dates of the filings this application claims, as Lens' "Earliest Priority
# Date" counts them: foreign priorities, US provisionals and the parent
# applications of continuations and divisions (not their grant dates).
PRIORITY_DATE_PATHS = ("priority-claims/priority-claim/date",
                       "us-related-documents/us-provisional-application/document-id/date") + tuple(
    f"us-related-documents/{relation}/relation/parent-doc/document-id/date"
    for relation in ("continuation", "continuation-in-part", "division"))


def detect(head: str | bytes) -> bool:
    """True when `head`, the start of a file as text or raw bytes, is USPTO XML.

    For a zip the start of its XML members is read from the head itself: a
    USPTO weekly zip stores the XML first.
    """
    if isinstance(head, bytes):
        if head.startswith(ZIP_MAGIC):
            head = b"".join(data for name, data in zip_head_members(head)
                            if name.lower().endswith(".xml"))
        head = head.decode("utf-8", "replace")
    return _DECLARATION in head and any(f"<{root}" in head or f"DOCTYPE {root}" in head
                                        for root in ROOTS)


def detect_path(path: str | Path) -> bool:
    """True for a USPTO `.xml` file or a zip holding one, wherever it lies in the zip."""
    if not zipfile.is_zipfile(path):
        return detect(read_head(path))
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.lower().endswith(".xml"):
                with archive.open(name) as member:
                    return detect(member.read(HEAD_BYTES))
    return False


def zip_head_members(head: bytes, limit: int = HEAD_BYTES) -> Iterator[tuple[str, bytes]]:
    """(name, first bytes) of the zip members that start inside `head`, the start of a zip.

    Reads the local file headers in order and inflates what of each member
    the head holds; stops at the first member whose size is not in its header.
    """
    offset = 0
    while head.startswith(ZIP_MAGIC, offset):
        try:
            (_, _, flags, method, _, _, _, size, _, name_length,
             extra_length) = struct.unpack_from("<IHHHHHIIIHH", head, offset)
        except struct.error:
            return
        start = offset + 30 + name_length + extra_length
        name = head[offset + 30:offset + 30 + name_length].decode("utf-8", "replace")
        sized = not flags & 0x08     # else the sizes follow the data, in a descriptor
        data = head[start:start + size] if sized else head[start:]
        try:
            if method == zipfile.ZIP_DEFLATED:
                data = zlib.decompressobj(-zlib.MAX_WBITS).decompress(data, limit)
        except zlib.error:
            return
        yield name, data[:limit] if method in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) else b""
        if not sized:                  # the next header cannot be found
            return
        offset = start + size


def parse_path(path: str | Path) -> Iterator[Record | Skip]:
    """Parse a USPTO `.xml` file, or every `.xml` member of a weekly `.zip`."""
    path = Path(path)
    if not zipfile.is_zipfile(path):
        with open_export(path) as fp:
            yield from parse(fp, str(path))
        return
    name = ""
    try:
        with zipfile.ZipFile(path) as archive:
            for name in _xml_members(archive.namelist(), str(path)):
                with archive.open(name) as raw:
                    # utf-8-sig: a BOM on a member is dropped, not parsed as text.
                    text = io.TextIOWrapper(raw, encoding="utf-8-sig")
                    yield from parse(text, f"{path}!{name}")
    except (zipfile.BadZipFile, zlib.error, EOFError, UnicodeDecodeError) as problem:
        raise ExportError(str(path), f"member {name!r}" if name else "",
                          f"cannot be read: {problem}",
                          "the download is damaged or not UTF-8 XML; download it again") from None


def _xml_members(names: Iterable[str], file: str) -> list[str]:
    """The `.xml` members, after refusing the archive if any name could escape a folder."""
    names = list(names)
    for name in names:
        windows = PureWindowsPath(name)
        if (".." in PurePosixPath(name).parts or ".." in windows.parts
                or name.startswith(("/", "\\")) or windows.drive):
            raise ExportError(file, f"member {name!r}",
                              "the archive holds a member whose path leaves its folder",
                              "a USPTO weekly zip holds plain file names; get the file again "
                              "from the USPTO bulk data site")
    return [name for name in names if name.lower().endswith(".xml")]


def parse(fp: TextIO, file: str) -> Iterator[Record | Skip]:
    """Yield one Record per patent document and one Skip per unusable document.

    A document cut short at the end of the file raises ExportError after the
    complete documents before it have been yielded.
    """
    document: _Document | None = None
    number = 0
    for line_number, line in enumerate(fp, start=1):
        if line.startswith(_DECLARATION) or (document is None and line.strip()):
            if document is not None:
                yield document.finish(last=False)
            number += 1
            document = _Document(file, number, line_number)
        if document is not None:
            document.feed(line)
    if document is not None:
        yield document.finish(last=True)


class _Document:
    """One `<?xml ...?>` document of a concatenated file, parsed as it is fed."""

    def __init__(self, file: str, number: int, line: int):
        self.file, self.number, self.line = file, number, line
        self.where = f"document {number} (line {line})"
        self.prolog: list[str] | None = []   # held back until checked
        self.parser = ET.XMLPullParser(events=("start", "end"))
        self.stack: list[str] = []
        self.root: ET.Element | None = None
        self.error: str | None = None

    def feed(self, line: str) -> None:
        # Entities can only be declared in a DTD, and `<!ENTITY` cannot occur
        # as text (it would be written `&lt;!ENTITY`): checking every line
        # keeps declarations away from the parser whatever precedes them.
        if "<!ENTITY" in line:
            self._refuse("declares entities")
        if self.error:
            return
        if self.prolog is None:
            self._parse(line)
            return
        self.prolog.append(line)
        text = "".join(self.prolog)
        if len(text) > PROLOG_LIMIT:
            self._refuse(f"has no root element in its first {PROLOG_LIMIT // 1024} KB")
        if _ROOT_START.search(text):
            self._release()

    def _release(self) -> None:
        """Check the held-back prolog and hand it to the parser."""
        assert self.prolog is not None
        text, self.prolog = "".join(self.prolog), None
        doctype = text.find("<!DOCTYPE")
        if doctype >= 0 and not _PLAIN_DOCTYPE.match(text, doctype):
            self._refuse("has an internal DTD subset")
        self._parse(text)

    def _refuse(self, problem: str) -> None:
        raise ExportError(self.file, self.where, f"{problem}; USPTO documents never do",
                          "refusing to parse it (entity expansion can exhaust memory); "
                          "check where the file came from")

    def _parse(self, text: str) -> None:
        try:
            self.parser.feed(text)
            self._drain()
        except ET.ParseError as problem:
            self.error = f"{_message(problem)} at line {self.line + problem.position[0] - 1}"

    def _drain(self) -> None:
        for event, element in self.parser.read_events():
            if event == "start":
                if self.root is None:
                    self.root = element
                self.stack.append(element.tag)
                continue
            self.stack.pop()
            # Below the root, drop each element that is outside the kept parts
            # once parsed, so a long description never accumulates.
            if self.stack and not KEPT.intersection(self.stack[1:] + [element.tag]):
                element.clear()

    def finish(self, last: bool) -> Record | Skip:
        if self.prolog is not None and not self.error:
            self._release()   # the document ended before its root element started
        if not self.error:
            try:
                self.parser.close()
                self._drain()
            except ET.ParseError as problem:
                if last:
                    raise ExportError(
                        self.file, self.where,
                        f"ends before its closing tag ({_message(problem)}): the file is truncated",
                        f"the {self.number - 1} document(s) before it were read; "
                        "download the file again") from None
                self.error = "ends before its closing tag; the next document starts after it"
        if self.error:
            return Skip(self.file, self.line, f"{self.where} is not well-formed XML: {self.error}")
        assert self.root is not None
        return _record(self.root, self.file, self.line, self.where)


def _message(problem: ET.ParseError) -> str:
    """Expat's message without its document-relative position."""
    return str(problem).split(":")[0]


def _record(root: ET.Element, file: str, line: int, where: str) -> Record | Skip:
    if root.tag not in ROOTS:
        return Skip(file, line, f"{where} is a <{root.tag}> document, not a patent "
                                "(grant files carry sequence listings this way)")
    biblio = root.find(ROOTS[root.tag])
    if biblio is None:
        return Skip(file, line, f"{where} has no <{ROOTS[root.tag]}> element")
    reference = biblio.find("application-reference")
    application = reference.find("document-id") if reference is not None else None
    number = normalise_application_number(
        _child_text(application, "country") + _child_text(application, "doc-number"))
    if not number:
        return Skip(file, line, f"{where} has no application number")
    dates = [_child_text(application, "date")]
    dates += [_text(date) for path in PRIORITY_DATE_PATHS for date in biblio.findall(path)]
    applicants, applicant_countries = _applicants(biblio)
    return Record(
        kind=PATENT,
        uid=f"APP:{number}",
        source="uspto",
        year=earliest_year(dates),
        title=_text(biblio.find("invention-title")),
        doc_type=reference.get("appl-type"),   # utility, design, plant, reissue
        countries=_inventor_countries(biblio),
        applicant_countries=applicant_countries,
        orgs=applicants,
        abstract=_text(root.find("abstract")),
        subjects=_classifications(biblio),
        office=_child_text(biblio.find("publication-reference/document-id"), "country") or "US",
        file=file,
        line=line,
    )


def _inventor_countries(biblio: ET.Element) -> set[str]:
    people = [person for path in INVENTOR_PATHS for person in biblio.findall(path)]
    people += [person for path in APPLICANT_PATHS for person in biblio.findall(path)
               if person.get("app-type") == "applicant-inventor"]
    return {code for person in people if (code := _country(person))}


def _applicants(biblio: ET.Element) -> tuple[list[Org], set[str]]:
    """Organisations that own the patent, and the applicant country set.

    Assignees and organisation applicants are the owners.  A patent owned by
    its inventors has neither; its individual applicants' countries are used.
    """
    orgs: list[Org] = []
    seen: set[tuple[str, str | None]] = set()
    individuals: set[str] = set()
    parties = [party for path in ASSIGNEE_PATHS + APPLICANT_PATHS for party in biblio.findall(path)]
    for party in parties:
        name = _text(party.find("addressbook/orgname")) or _text(party.find("orgname"))
        country = _country(party)
        if not name:
            if country:
                individuals.add(country)
            continue
        if (name.casefold(), country) not in seen:
            seen.add((name.casefold(), country))
            orgs.append(Org(name, country, APPLICANT))
    owners = {org.country for org in orgs if org.country}
    return orgs, owners or individuals


def _country(party: ET.Element) -> str | None:
    """The ISO code of a party's address; 'omitted' and 'unknown' give None.

    Codes go through country_code so that HK counts as CN, as in every source.
    """
    for path in ("addressbook/address/country", "address/country", "residence/country"):
        code = country_code(_text(party.find(path)))
        if code:
            return code
    return None


def _classifications(biblio: ET.Element) -> list[str]:
    """IPC codes, then CPC codes, each as 'H05K3/02'."""
    codes = [_parts_code(item) for item in biblio.iter("classification-ipcr")]
    for ipc in biblio.findall("classification-ipc"):
        # IPC7 codes are fixed-width ('A45F  504'): their spaces carry meaning.
        codes += [compact_ipc(item.text or "") for item in ipc
                  if item.tag in ("main-classification", "further-classification")]
    for cpc in biblio.findall("classifications-cpc"):
        codes += [_parts_code(item) for item in cpc.iter("classification-cpc")]
    return unique(code for code in codes if code)


def _parts_code(item: ET.Element) -> str:
    head = "".join(_child_text(item, part) for part in ("section", "class", "subclass"))
    group, subgroup = _child_text(item, "main-group"), _child_text(item, "subgroup")
    return f"{head}{group}/{subgroup}" if head and group else ""


def _child_text(element: ET.Element | None, tag: str) -> str:
    return _text(element.find(tag)) if element is not None else ""


def _text(element: ET.Element | None) -> str:
    """All text under an element (titles hold <i>, <sub> ...), whitespace collapsed."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())
