"""Web of Science fields -> Record, shared by the plain-text and tab-delimited parsers.

Both parsers hand over a record as `{tag: [value, ...]}`: for C1 one value per
address, for every other tag the value's lines (plain text) or the one cell (tab),
so the same paper gives the same Record whichever export it came from.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from dataclasses import dataclass

from loader.normalise.countries import country_code, wos_address_country
from loader.records import AUTHOR, PAPER, Org, Record, Skip

Fields = dict[str, list[str]]

_AUTHORS = re.compile(r"^\[[^\]]*\]\s*")          # "[Wang, J; Li, X] " before a C1 address
_YEAR = re.compile(r"\b(\d{4})\b")
_LIST_SEPARATOR = re.compile(r";(?:\s+|$)")
# The RP marker before each reprint address, in every interface language seen:
# "(reprint author), ", "(corresponding author), ", "(通讯作者)，" (full-width comma).
_RP_MARKER = re.compile(
    r"\((?:[^()]*(?:author|autor|auteur|correspond)[^()]*|通讯作者)\)\s*[,，]\s*", re.IGNORECASE)
# "Abraham M., 1909, RC CIRC MAT PALERMO, V28, P1": a cited reference, not an address.  Seen
# when the CR tag line is lost and the references run on as C1 continuation lines.
_CITED_REFERENCE = re.compile(r"^[^\[\],]+, (?:1[5-9]|20)\d\d, ")


def joined(fields: Fields, tag: str) -> str:
    """A field's text with its continuation lines joined by spaces."""
    return " ".join(part.strip() for part in fields.get(tag, ())).strip()


def split_list(text: str) -> list[str]:
    """Split a "; "-separated Web of Science value (DE, ID, WC, SC, C3)."""
    return [item.strip() for item in _LIST_SEPARATOR.split(text) if item.strip()]


def _distinct(items: Iterable) -> list:
    return list(dict.fromkeys(items))


def wos_uid(ut: str) -> str:
    """UT as given ('WOS:000361432300021'); old 'ISI:...' and bare numbers get the WOS: prefix."""
    ut = ut.strip().upper()
    if not ut or ut.startswith("WOS:"):
        return ut
    return "WOS:" + ut.removeprefix("ISI:").strip()


def _year(fields: Fields) -> int | None:
    # PY first; early-access papers without PY have EY ("2021") or EA ("JAN 2021").
    for tag in ("PY", "EY", "EA"):
        years = _YEAR.findall(joined(fields, tag))
        if years:
            return int(years[-1])
    return None


@dataclass(frozen=True)
class Address:
    text: str               # the address without its bracketed author list
    org: str | None         # first comma-separated part: the organisation as WoS abbreviates it
    country: str | None


def address(text: str, *, split_hk_macau: bool = False) -> Address:
    text = _AUTHORS.sub("", text.strip()).strip()
    parts = text.rstrip(".").split(",")
    org = parts[0].strip() if len(parts) > 1 else None
    return Address(text, org or None, wos_address_country(text, split_hk_macau=split_hk_macau))


def rp_addresses(rp: str) -> list[str]:
    """The addresses in an RP value: after each "(... author)," marker, up to the next "; "."""
    pieces = _RP_MARKER.split(rp)
    if len(pieces) == 1:
        # Some records give the reprint address alone, without a name or marker.
        return [rp.strip()] if "," in rp else []
    return _distinct(piece.split("; ")[0].strip() for piece in pieces[1:] if piece.strip())


# --- C3 (organisation-enhanced names) -> country ---------------------------------------------
# C3 names are spelt out ("University of California Los Angeles"), C1 abbreviates them
# ("Univ Calif Los Angeles"), and C3 is not aligned with C1, so each name is matched
# to the address that shares the most of its words.
_STOP_WORDS = frozenset("of the and for at in on et e y i de la le les du des der die das di da "
                        "del della delle degli dei system".split())
# Words every second organisation has: a match on them alone says nothing.
_GENERIC_WORDS = frozenset("university universidad universidade universita universitat universite "
                           "college school institute institut instituto academy hospital center "
                           "centre department laboratory laboratories national research science "
                           "sciences technology technical medical medicine faculty foundation "
                           "company corporation group state".split())
_PARENTHETICAL = re.compile(r"\(([^)]*)\)")
# WoS tells same-named organisations apart by country: "Newcastle University - UK".
_COUNTRY_SUFFIX = re.compile(r"\s-\s([^-]+)$")
_GENERIC_WEIGHT = 0.25


@lru_cache(maxsize=65536)
def _words(text: str) -> tuple[str, ...]:
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()
    return tuple(w for w in re.findall(r"\w+", plain) if w not in _STOP_WORDS)


@lru_cache(maxsize=65536)
def _name_variants(name: str) -> tuple[tuple[str, ...], ...]:
    """The name without its parentheticals, and each parenthetical alone: C1 may use the
    acronym ("Massachusetts Institute of Technology (MIT)" is "MIT, ..." in C1)."""
    inner = tuple(_words(p) for p in _PARENTHETICAL.findall(name))
    return (_words(_PARENTHETICAL.sub(" ", name)),) + inner


def _abbreviates(short: str, full: str) -> bool:
    """'natl' ~ 'national', 'calif' ~ 'california': same first two letters, the rest in order.

    Two letters, not one, because a looser rule finds 'clin' in 'california'.
    """
    if short == full:
        return True
    if len(short) < 3 or short[:2] != full[:2]:
        return False
    rest = iter(full)
    return all(ch in rest for ch in short)


@lru_cache(maxsize=262144)
def _match(name: str, text: str) -> float:
    """The best score of any variant of a C3 name against an address text.  Cached: exports
    repeat the same organisations and addresses thousands of times."""
    words = _words(text)
    return max(_score(v, words) for v in _name_variants(name))


def _score(name_words: tuple[str, ...], address_words: tuple[str, ...]) -> float:
    """How well an address matches a C3 name; 0 unless a distinctive word matches."""
    distinctive = [w for w in name_words if w not in _GENERIC_WORDS] or name_words
    score, hit = 0.0, False
    for word in name_words:
        if any(_abbreviates(a, word) for a in address_words):
            score += 1.0 if word in distinctive else _GENERIC_WEIGHT
            hit = hit or word in distinctive
    # C1 also writes some names as initials: "UCL", "RAS" (Russian Academy of Sciences).
    if len(name_words) >= 3 and "".join(w[0] for w in name_words) in address_words:
        score, hit = score + 1.0, True
    return score if hit else 0.0


def c3_country(name: str, addresses: list[Address]) -> str | None:
    """Country of the address a C3 name belongs to; None when it cannot be told."""
    suffix = _COUNTRY_SUFFIX.search(name)
    if suffix and country_code(suffix[1]):
        return country_code(suffix[1])
    # First the organisation part of each address, then the whole address (a C3 name can be
    # a unit named later in it: "IRAP, CNRS, ..., Toulouse, France").
    for text_of in (lambda a: a.org or "", lambda a: a.text.rsplit(",", 1)[0]):
        scores = [_match(name, text_of(a)) for a in addresses]
        if scores and max(scores) > 0:
            return addresses[scores.index(max(scores))].country
    countries = {a.country for a in addresses}
    return countries.pop() if len(countries) == 1 else None


def _orgs(c3: list[str], addresses: list[Address]) -> list[Org]:
    if c3:
        return [Org(name, c3_country(name, addresses), AUTHOR) for name in _distinct(c3)]
    return _distinct(Org(a.org, a.country, AUTHOR) for a in addresses if a.org)


def record_from_fields(fields: Fields, file: str, line: int, *,
                       split_hk_macau: bool = False) -> Record | Skip:
    """One Web of Science record's fields as a Record, or a Skip saying why it cannot be used."""
    uid = wos_uid(joined(fields, "UT"))
    if not uid:
        return Skip(file, line, "record has no UT (accession number)")
    c1 = [value for value in fields.get("C1", ()) if value.strip()]
    for value in c1:
        if _CITED_REFERENCE.match(value):
            return Skip(file, line, f"record {uid}: C1 (addresses) holds a cited reference "
                                    f"({value.strip()[:60]!r}), so a field tag is missing; "
                                    "the record is corrupted: export it again")
    texts = c1 or rp_addresses(joined(fields, "RP"))
    addresses = [address(t, split_hk_macau=split_hk_macau) for t in texts]
    doc_types = split_list(joined(fields, "DT"))
    return Record(
        kind=PAPER,
        uid=uid,
        source="wos",
        year=_year(fields),
        title=joined(fields, "TI"),
        doi=joined(fields, "DI").lower() or None,
        doc_type=doc_types[0] if doc_types else None,
        countries={a.country for a in addresses if a.country},
        orgs=_orgs(split_list(joined(fields, "C3")), addresses),
        keywords=split_list(joined(fields, "DE")) + split_list(joined(fields, "ID")),
        abstract=joined(fields, "AB"),
        subjects=_distinct(split_list(joined(fields, "WC")) + split_list(joined(fields, "SC"))),
        file=file,
        line=line,
    )
