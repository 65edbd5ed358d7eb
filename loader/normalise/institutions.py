"""Resolve raw organisation names to one canonical institution.

Exports spell the same institution many ways: Web of Science C3 full names
("University of California Berkeley"), C1 abbreviations ("Univ Calif
Berkeley"), free-text affiliations ("Dept. of EE, Univ. of California, Los
Angeles, CA, USA"), Chinese names (加州大学伯克利分校) and upper-case patent
applicants.  Counting institutions only adds up if all of them land on one
name, so resolution is driven by two tables kept beside this module:

* ``data/institutions.csv`` — one row per canonical institution, with its
  country, its parent (a campus belongs to its system, an institute to CAS,
  a national laboratory to DOE) and its Chinese name;
* ``data/institution_aliases.csv`` — other spellings mapped to a canonical name.

Matching is exact after folding case, punctuation and a few spelling
variants.  Nothing is ever merged on similarity: ``suggest()`` offers fuzzy
candidates for a person to review and add to an alias file, but ``resolve()``
never uses them.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from rapidfuzz import fuzz, process

from loader.records import ExportError

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
INSTITUTIONS_CSV = DATA_DIR / "institutions.csv"
ALIASES_CSV = DATA_DIR / "institution_aliases.csv"

INSTITUTION_COLUMNS = ("name", "country", "parent", "name_zh", "ror", "kind")
ALIAS_COLUMNS = ("alias", "country", "name")
RESOLVED_CACHE_SIZE = 200_000     # spellings remembered by InstitutionTable.resolve

# The study counted Hong Kong (and Macau) as China; Taiwan is counted apart.
COUNTRY_FOLD = {"HK": "CN", "MO": "CN"}

# Words that mean the same in every spelling of a name.  Folding them lets
# "Oak Ridge Natl Lab" and "Oak Ridge National Laboratory" share one key
# without expanding anything in the names we report.  Only unambiguous words:
# WoS "Nat" means Natural and IEEE "Nat." means National, so "nat" stays.
TOKEN_FOLD = {
    "univ": "university", "universities": "university",
    "inst": "institute", "institutes": "institute",
    "technol": "technology",
    "natl": "national",
    "lab": "laboratory", "labs": "laboratory", "laboratories": "laboratory",
    "ctr": "center", "centre": "center",
    "coll": "college",
    "acad": "academy",
    "and": "&",
}
STOP_WORDS = frozenset({"of", "at", "the", "for", "in"})

_APOSTROPHES = re.compile(r"['’`´]")
_PUNCT = re.compile(r"[^\w&\u3000-\u9fff]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
_CJK_GAP = re.compile(r"(?<=[\u3000-\u9fff]) +(?=[\u3000-\u9fff])")
_TRAILING = re.compile(r"[\s.,;:·]+$")
_SPACES = re.compile(r"\s+")
_PART_SPLIT = re.compile(r"[,，;；]")

# Free-text affiliations that match nothing: report the part that names an
# organisation rather than the department, e.g. "Sichuan University Jinjiang
# College" out of "Dept of CS, Sichuan University Jinjiang College, Penshan".
# A university or company beats a laboratory or centre (which is often inside one).
_ORG_TIERS = (
    re.compile(r"\b(univ\w*|college|coll|academy|acad|corp\w*|inc|ltd|company|gmbh)\b|大学|学院|公司|科学院",
               re.IGNORECASE),
    re.compile(r"\b(institut\w*|inst|lab\w*|cent(er|re)|ctr|hosp\w*|foundation|fdn)\b|研究所|研究院|实验室|医院|中心",
               re.IGNORECASE),
)


def _suggest_score(query: str, choice: str, *, score_cutoff: float | None = None, **_: object) -> float:
    # WRatio scores a short key found inside a long query as a near match
    # ("nrel" in "unrelated"), so keys under half the query's length are skipped.
    if 2 * len(choice) < len(query):
        return 0.0
    return fuzz.WRatio(query, choice, score_cutoff=score_cutoff)


class InstitutionDataError(ExportError):
    """An institution or alias table is malformed.  The message names the
    file, the line and what to change."""

    def __init__(self, file: Path | str, line: int, problem: str, hint: str = ""):
        self.line = line
        super().__init__(str(file), f"line {line}", problem, hint)


@dataclass(frozen=True)
class Resolved:
    name: str               # canonical name, or the tidied raw text when unmatched
    country: str | None     # the institution's country (as given when unmatched)
    parent: str | None
    name_zh: str | None
    matched: bool
    raw: str


def fold(text: str) -> str:
    """The matching key of a name: case, punctuation, spacing and a few
    equivalent words folded, so "Univ. Calif. Berkeley" == "Univ Calif Berkeley"."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _APOSTROPHES.sub("", text)                 # Xi'an == Xian
    text = text.replace("&", " & ")
    text = _PUNCT.sub(" ", text).replace("_", " ")
    words = [TOKEN_FOLD.get(w, w) for w in text.split()]
    words = [w for w in words if w not in STOP_WORDS]
    return _CJK_GAP.sub("", " ".join(words))


def tidy(text: str) -> str:
    """The raw name as we report it when unmatched: spaces collapsed and
    trailing punctuation dropped, nothing expanded or re-cased."""
    return _TRAILING.sub("", _SPACES.sub(" ", text).strip())


def fold_country(country: str | None) -> str | None:
    if not country or not country.strip():
        return None
    code = country.strip().upper()
    return COUNTRY_FOLD.get(code, code)


def _read_csv(path: Path, columns: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) with every value stripped; check the header."""
    with open(path, encoding="utf-8-sig", newline="") as fp:
        reader = csv.DictReader(fp)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise InstitutionDataError(
                path, 1, f"missing column(s) {', '.join(missing)}",
                f"the header must be {','.join(columns)}")
        for row in reader:
            yield reader.line_num, {c: (row.get(c) or "").strip() for c in columns}


class InstitutionTable:
    """Canonical institutions plus every known spelling, built once by load()."""

    def __init__(self) -> None:
        self._rows: dict[str, dict[str, str | None]] = {}
        # folded key -> {country or None (valid anywhere): canonical name}
        self._keys: dict[str, dict[str | None, str]] = {}
        self._max_cjk = 0
        self._parents: set[str] = set()
        self._choices: dict[str | None, tuple[list[str], list[str]]] = {}
        # resolve()'s answers: a load meets the same spellings over and over (a large
        # institution in every batch).  Emptied when full, so memory stays bounded.
        self._resolved_cache: dict[tuple[str, str | None], Resolved] = {}

    # -- building -----------------------------------------------------------

    @classmethod
    def load(cls, extra_alias_files: Sequence[Path] = ()) -> InstitutionTable:
        """The built-in tables plus user alias files (columns alias,country,name).
        A user alias replaces a built-in spelling with the same key and country."""
        table = cls()
        table._load_institutions(INSTITUTIONS_CSV)
        table._load_aliases(ALIASES_CSV, override=False)
        table._build_choices()      # lets a bad user alias get a "did you mean"
        if extra_alias_files:
            for path in extra_alias_files:
                table._load_aliases(Path(path), override=True)
            table._build_choices()
        return table

    def _load_institutions(self, path: Path) -> None:
        lines: dict[str, int] = {}
        for line, row in _read_csv(path, INSTITUTION_COLUMNS):
            name = row["name"]
            if not name:
                raise InstitutionDataError(path, line, "empty name", "fill in the canonical name")
            if name in self._rows:
                raise InstitutionDataError(path, line, f"{name!r} is listed twice", "keep one row")
            self._rows[name] = {c: (row[c] or None) for c in INSTITUTION_COLUMNS}
            lines[name] = line
        for name, row in self._rows.items():
            line = lines[name]
            parent = row["parent"]
            if parent and parent not in self._rows:
                raise InstitutionDataError(path, line, f"parent {parent!r} of {name!r} is not listed",
                                           "add the parent as its own row or fix its spelling")
            # Companies file papers from labs abroad under the same name, so
            # their names count in any country; everything else only at home.
            where = None if row["kind"] == "company" else row["country"]
            self._register(fold(name), where, name, path, line, override=False)
            if row["name_zh"]:
                self._register(fold(row["name_zh"]), where, name, path, line, override=False)
        self._check_cycles(path)
        self._parents = {row["parent"] for row in self._rows.values() if row["parent"]}

    def _check_cycles(self, path: Path) -> None:
        for name in self._rows:
            seen = [name]
            while (parent := self._rows[seen[-1]]["parent"]) is not None:
                if parent in seen:
                    raise InstitutionDataError(path, 0, f"parent cycle: {' -> '.join(seen + [parent])}",
                                               "an institution cannot be its own ancestor")
                seen.append(parent)

    def _load_aliases(self, path: Path, override: bool) -> None:
        for line, row in _read_csv(path, ALIAS_COLUMNS):
            alias, name = row["alias"], row["name"]
            if not alias:
                raise InstitutionDataError(path, line, "empty alias", "fill in the spelling to map")
            if name not in self._rows:
                hint = "use a name exactly as institutions.csv spells it"
                close = self.suggest(name, row["country"] or None)
                if close:
                    hint += f" (did you mean {close[0][0]!r}?)"
                raise InstitutionDataError(path, line, f"{name!r} is not a canonical institution", hint)
            self._register(fold(alias), fold_country(row["country"]), name, path, line, override)

    def _register(self, key: str, country: str | None, name: str,
                  path: Path, line: int, override: bool) -> None:
        if not key:
            raise InstitutionDataError(path, line, "name folds to nothing", "use letters or Chinese characters")
        slots = self._keys.setdefault(key, {})
        held = slots.get(country)
        if held is not None and held != name and not override:
            raise InstitutionDataError(
                path, line, f"{key!r} ({country or 'any country'}) already means {held!r}, not {name!r}",
                "give the alias a country, or remove one of the two")
        slots[country] = name
        if _CJK.search(key):
            self._max_cjk = max(self._max_cjk, len(key))

    def _build_choices(self) -> None:
        """Candidate spellings for suggest(), blocked by country."""
        self._choices = {}
        for wanted in {r["country"] for r in self._rows.values()} | {None}:
            self._choices[wanted] = self._spellings(wanted)

    def _spellings(self, wanted: str | None) -> tuple[list[str], list[str]]:
        """(keys, canonical names) valid in country `wanted`; every key when None."""
        keys, names = [], []
        for key, slots in self._keys.items():
            for country, name in slots.items():
                if wanted is None or country in (wanted, None):
                    keys.append(key)
                    names.append(name)
        return keys, names

    # -- lookups ------------------------------------------------------------

    def _lookup(self, key: str, country: str | None) -> str | None:
        slots = self._keys.get(key)
        if not slots:
            return None
        if country is not None:
            return slots.get(country) or slots.get(None)
        if None in slots:
            return slots[None]
        # No country given: accept only when every country agrees, so the
        # two "Northeastern University" (Boston, Shenyang) are never merged.
        names = set(slots.values())
        return names.pop() if len(names) == 1 else None

    def _match(self, text: str, country: str | None) -> str | None:
        key = fold(text)
        found = self._lookup(key, country)
        if found is None and _CJK.search(key):
            # 中国科学院某研究所 -> the longest listed name it starts with (中国科学院).
            for end in range(min(len(key) - 1, self._max_cjk), 1, -1):
                found = self._lookup(key[:end], country)
                if found is not None:
                    break
        if found is None and "," in text:
            # WoS names a unit "<unit>, <parent>" ("Institute of Atmospheric
            # Physics, CAS"): an unlisted unit of a listed parent is the parent,
            # as with the Chinese prefix rule above.
            suffix = self._lookup(fold(text.rsplit(",", 1)[1]), country)
            if suffix is not None and suffix in self._parents:
                found = suffix
        return found

    def _resolved(self, name: str, raw: str) -> Resolved:
        row = self._rows[name]
        return Resolved(name=name, country=row["country"], parent=row["parent"],
                        name_zh=row["name_zh"], matched=True, raw=raw)

    def resolve(self, raw: str, country: str | None) -> Resolved:
        """One organisation name (a C3 entry, the first part of a C1 address,
        a patent applicant, a Chinese name) -> its canonical institution."""
        cache = self._resolved_cache
        found = cache.get((raw, country))
        if found is None:
            if len(cache) >= RESOLVED_CACHE_SIZE:
                cache.clear()
            found = cache[(raw, country)] = self._resolve(raw, country)
        return found

    def _resolve(self, raw: str, country: str | None) -> Resolved:
        code = fold_country(country)
        name = self._match(raw, code)
        if name is not None:
            return self._resolved(name, raw)
        return Resolved(name=tidy(raw), country=country, parent=None, name_zh=None,
                        matched=False, raw=raw)

    def resolve_affiliation(self, text: str, country: str | None) -> Resolved:
        """A free-text affiliation ("Dept. of CS, Tsinghua Univ., Beijing, China")
        -> the institution it names.  Every part and pair of neighbouring parts
        is tried; the deepest match in the hierarchy wins (an institute over its
        academy), then the leftmost."""
        code = fold_country(country)
        whole = self._match(text, code)
        if whole is not None:
            return self._resolved(whole, text)
        parts = [p.strip() for p in _PART_SPLIT.split(text) if p.strip()]
        best: tuple[int, int, str] | None = None
        for i in range(len(parts)):
            for width in (2, 1):
                if i + width > len(parts):
                    continue
                name = self._match(", ".join(parts[i:i + width]), code)
                if name is not None:
                    rank = (len(self.lineage(name)), -i, name)
                    if best is None or rank[:2] > best[:2]:
                        best = rank
        if best is not None:
            return self._resolved(best[2], text)
        shown = next((p for tier in _ORG_TIERS for p in parts if tier.search(p)), text)
        return Resolved(name=tidy(shown), country=country, parent=None, name_zh=None,
                        matched=False, raw=text)

    def suggest(self, raw: str, country: str | None, limit: int = 3) -> list[tuple[str, float]]:
        """Canonical names whose spellings look like `raw` (score >= 85 of 100),
        for a person to confirm and add as an alias.  Never applied silently."""
        code = fold_country(country)
        if code not in self._choices:   # a country with no listed institution
            self._choices[code] = self._spellings(code)
        keys, names = self._choices[code]
        best: dict[str, float] = {}
        for _key, score, index in process.extract(fold(raw), keys, scorer=_suggest_score,
                                                  processor=None, score_cutoff=85, limit=limit * 8):
            name = names[index]
            best[name] = max(best.get(name, 0.0), float(score))
        return sorted(best.items(), key=lambda item: (-item[1], item[0]))[:limit]

    # -- the hierarchy ------------------------------------------------------

    def canonical_rows(self) -> list[dict]:
        """Every canonical institution (name, country, parent, name_zh, ror,
        kind); the loader writes these as nodes with PART_OF edges."""
        return [dict(row) for row in self._rows.values()]

    def parent_of(self, name: str) -> str | None:
        row = self._rows.get(name)
        return row["parent"] if row else None

    def lineage(self, name: str) -> list[str]:
        """`name` and its ancestors, nearest first: the names a record of
        `name` counts for when counts roll up."""
        chain = []
        while name is not None and name in self._rows:
            chain.append(name)
            name = self._rows[name]["parent"]
        return chain

    def __contains__(self, name: object) -> bool:
        return name in self._rows

    def __len__(self) -> int:
        return len(self._rows)
