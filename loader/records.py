"""The record every parser yields and the loader writes.

A parser knows its export format and nothing about the graph; the writer knows
the graph and nothing about formats.  `Record` is the contract between them.
Names are kept raw here (as the export spells them); canonical institution
names are resolved later by `loader.normalise.institutions`, so the raw text is
never lost.
"""
from __future__ import annotations

from dataclasses import dataclass, field

PAPER = "paper"
PATENT = "patent"
KINDS = (PAPER, PATENT)

# Roles an organisation or a country plays on a record.
AUTHOR = "author"        # papers: an author's affiliation
INVENTOR = "inventor"    # patents: an inventor's address
APPLICANT = "applicant"  # patents: the applicant / assignee


@dataclass(frozen=True)
class Org:
    """One organisation named on a record, as the export spells it."""

    name: str                  # raw name (WoS C3 name, first part of a C1 address, ...)
    country: str | None        # ISO 3166-1 alpha-2, None where the export gives no usable country
    role: str = AUTHOR
    ror: str | None = None     # ROR id where the source has one (OpenAlex)


@dataclass
class Record:
    """One paper or one patent (one invention) read from an export."""

    kind: str                  # PAPER or PATENT
    uid: str                   # stable identity: WoS UT, DOI-less OpenAlex id, patent family ...
    source: str                # 'wos', 'scopus', 'openalex', 'ieee', 'uspto', 'lens', 'cnpat', 'generic'
    year: int | None           # None: loaded, but left out of year series
    title: str = ""
    doi: str | None = None
    doc_type: str | None = None
    # The record's country set: authors' countries for papers, inventors' for patents.
    countries: set[str] = field(default_factory=set)
    # Patents only: the applicants' (assignees') countries.
    applicant_countries: set[str] = field(default_factory=set)
    orgs: list[Org] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    abstract: str = ""
    subjects: list[str] = field(default_factory=list)   # WoS WC/SC, Scopus subject areas, IPC ...
    family_id: str | None = None                         # patents
    office: str | None = None                            # patents: CN, US, EP, WO ...
    file: str = ""             # where it came from, for messages
    line: int = 0              # first line (or row) of the record in that file


class ExportError(Exception):
    """An export cannot be read.  The message names the file, the place and what to do."""

    def __init__(self, file: str, where: str, problem: str, hint: str = ""):
        self.file, self.where, self.problem, self.hint = file, where, problem, hint
        text = f"{file}"
        if where:
            text += f" {where}"
        text += f": {problem}"
        if hint:
            text += f" — {hint}"
        super().__init__(text)


@dataclass
class Skip:
    """A record a parser read but could not use; counted and reported, never silent."""

    file: str
    line: int
    reason: str
