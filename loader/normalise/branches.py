"""Tag a record with the AI-chip technology branches it mentions.

The field is defined by the study's Table 1: eleven branches, each a list of
English and Chinese terms (``data/branches.csv``).  A record belongs to a
branch when its title, keywords or abstract contain one of the branch's terms.

Four acronyms — VPU, DPU, NPU, IPU — also name unrelated things (a university,
a medical unit, a power unit), so, as in the study, the acronym alone counts
only inside the subject areas listed in ``data/branch_subjects.csv``.  Their
spelled-out terms count everywhere.  A record with no subjects (a patent)
never counts on an ambiguous acronym alone.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from loader.records import ExportError

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
BRANCHES_CSV = DATA_DIR / "branches.csv"
SUBJECTS_CSV = DATA_DIR / "branch_subjects.csv"
SUBJECTS_CACHED = 10_000     # combinations of subjects BranchTagger.subjects_allowed remembers

TERM = "term"                            # verbatim from Table 1
VARIANT = "variant"                      # a spelling Table 1 implies but does not list
ACRONYM = "acronym"
AMBIGUOUS_ACRONYM = "ambiguous-acronym"  # counts only inside the allowed subjects
KINDS = (TERM, VARIANT, ACRONYM, AMBIGUOUS_ACRONYM)
LANGS = ("en", "zh")
MATCHES = ("exact", "prefix")

# ASCII letters and digits only: Chinese characters around an acronym
# ("基于FPGA的") must not hide it, as \b would.
_BEFORE = r"(?<![A-Za-z0-9])"
_AFTER = r"(?![A-Za-z0-9])"
_JOIN = r"(?:\s*[-‐‑–]\s*|\s+)"          # "Field-Programmable", "field programmable"
_WORD_SPLIT = re.compile(r"[\s\-‐‑–]+")
_FIELD_GAP = " | "                        # no term may run from one field into the next


class BranchDataError(ExportError):
    """A branch or subject table is malformed; the message names file, line and fix."""

    def __init__(self, file: Path | str, line: int, problem: str, hint: str = ""):
        self.line = line
        super().__init__(str(file), f"line {line}", problem, hint)


def term_pattern(term: str, lang: str, kind: str) -> str:
    """The regular expression for one term.

    Acronyms match as whole words with an optional lower-case plural "s", so
    "GPUs" and "GPU-based" count but "ASICS" (the shoe brand) does not.
    English phrases ignore case, accept hyphens or spaces between words and a
    plural last word.  Chinese terms match anywhere."""
    if lang == "zh":
        return re.escape(term)
    if kind in (ACRONYM, AMBIGUOUS_ACRONYM):
        return f"{_BEFORE}(?i:{re.escape(term)})s?{_AFTER}"
    words = [re.escape(w) for w in _WORD_SPLIT.split(term.strip()) if w]
    return f"{_BEFORE}(?i:{_JOIN.join(words)}(?:e?s)?){_AFTER}"


def term_needle(term: str, lang: str) -> str:
    """A lower-case piece of text every match of the term contains: a cheap
    `in` test that spares the regex on the many records with no chip terms."""
    return term.lower() if lang == "zh" else _WORD_SPLIT.split(term.strip())[0].lower()


@dataclass(frozen=True)
class _Terms:
    needles: tuple[str, ...]
    pattern: re.Pattern[str]

    def search(self, text: str, lowered: str) -> bool:
        return any(n in lowered for n in self.needles) and self.pattern.search(text) is not None


def _compile(terms: Iterable[tuple[str, str, str]]) -> _Terms | None:
    terms = list(terms)
    if not terms:
        return None
    patterns = sorted({term_pattern(*t) for t in terms}, key=len, reverse=True)
    return _Terms(tuple(sorted({term_needle(term, lang) for term, lang, _ in terms})),
                  re.compile("|".join(patterns)))


def fold_subject(subject: str) -> str:
    text = subject.casefold().replace(" and ", " & ")
    return " ".join(text.split())


@dataclass(frozen=True)
class _SubjectRule:
    subject: str   # folded
    prefix: bool   # "Computer Science" also allows "Computer Science, Hardware & Architecture"

    def allows(self, folded: str) -> bool:
        if folded == self.subject:
            return True
        # "Computer Science, …" (WoS categories) and "Computer Science (all)" (Scopus),
        # but not "Computer Sciences Education"
        return self.prefix and folded.startswith((self.subject + ",", self.subject + " ("))


class BranchTagger:
    """Compiled once by load(); tag() then runs at most two regex searches per
    branch, and only on text that contains one of the branch's words."""

    def __init__(self, branches: Sequence[str], always: dict[str, _Terms],
                 restricted: dict[str, _Terms], rules: Sequence[_SubjectRule]):
        self.branches = tuple(branches)      # in Table 1 order
        self._always = always
        self._restricted = restricted
        self._rules = tuple(rules)
        # subjects_allowed()'s answers: records repeat a few combinations of categories.
        self._allowed_sets: dict[tuple[str, ...], bool] = {}

    @classmethod
    def load(cls, branches_csv: Path = BRANCHES_CSV, subjects_csv: Path = SUBJECTS_CSV) -> BranchTagger:
        order: list[str] = []
        always: dict[str, list[tuple[str, str, str]]] = {}
        restricted: dict[str, list[tuple[str, str, str]]] = {}
        for line, row in _rows(branches_csv, ("branch", "lang", "term", "kind")):
            branch, lang, term, kind = row["branch"], row["lang"], row["term"], row["kind"]
            if not branch or not term:
                raise BranchDataError(branches_csv, line, "empty branch or term", "fill in both")
            if lang not in LANGS:
                raise BranchDataError(branches_csv, line, f"unknown lang {lang!r}", f"use one of {', '.join(LANGS)}")
            if kind not in KINDS:
                raise BranchDataError(branches_csv, line, f"unknown kind {kind!r}", f"use one of {', '.join(KINDS)}")
            if branch not in order:
                order.append(branch)
            bucket = restricted if kind == AMBIGUOUS_ACRONYM else always
            bucket.setdefault(branch, []).append((term, lang, kind))
        rules = []
        for line, row in _rows(subjects_csv, ("subject", "match")):
            if row["match"] not in MATCHES:
                raise BranchDataError(subjects_csv, line, f"unknown match {row['match']!r}",
                                      f"use one of {', '.join(MATCHES)}")
            rules.append(_SubjectRule(fold_subject(row["subject"]), row["match"] == "prefix"))
        return cls(order,
                   {b: p for b, terms in always.items() if (p := _compile(terms))},
                   {b: p for b, terms in restricted.items() if (p := _compile(terms))},
                   rules)

    def subject_allowed(self, subject: str) -> bool:
        """Is `subject` one of the areas where an ambiguous acronym counts?"""
        folded = fold_subject(subject)
        return any(rule.allows(folded) for rule in self._rules)

    def tag(self, title: str, keywords: Sequence[str], abstract: str,
            subjects: Sequence[str]) -> set[str]:
        """The branches whose terms occur in the title, keywords or abstract."""
        text = _FIELD_GAP.join([title or "", *(keywords or ()), abstract or ""])
        lowered = text.lower()
        allowed = None       # worked out only when a branch has restricted terms to try
        found = set()
        for branch in self.branches:
            terms = self._always.get(branch)
            if terms is not None and terms.search(text, lowered):
                found.add(branch)
            elif (restricted := self._restricted.get(branch)) is not None:
                if allowed is None:
                    allowed = self.subjects_allowed(subjects)
                if allowed and restricted.search(text, lowered):
                    found.add(branch)
        return found

    def subjects_allowed(self, subjects: Sequence[str]) -> bool:
        """Does any of a record's subjects allow the ambiguous acronyms?  Records repeat the
        same few combinations of categories, so the answer is kept per combination."""
        key = tuple(subjects or ())
        allowed = self._allowed_sets.get(key)
        if allowed is None:
            if len(self._allowed_sets) >= SUBJECTS_CACHED:
                self._allowed_sets.clear()
            # Some exports give subjects as one "A; B" string.
            allowed = self._allowed_sets[key] = any(
                self.subject_allowed(part) for subject in key for part in subject.split(";") if part.strip())
        return allowed


def _rows(path: Path, columns: Sequence[str]):
    with open(path, encoding="utf-8-sig", newline="") as fp:
        reader = csv.DictReader(fp)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise BranchDataError(path, 1, f"missing column(s) {', '.join(missing)}",
                                  f"the header must include {','.join(columns)}")
        for row in reader:
            yield reader.line_num, {c: (row.get(c) or "").strip() for c in columns}
