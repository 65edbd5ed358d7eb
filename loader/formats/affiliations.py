"""Free-text affiliation strings: which part names the organisation, which the country.

Scopus, IEEE Xplore and OpenAlex's raw strings spell an affiliation as comma
parts, most specific first and the country last:
"State Key Lab of X, Tsinghua University, Beijing 100084, China".  The country
comes from the last part that is not a postcode; the organisation is the part
that reads most like a university, institute or company rather than a
department.  Names are returned as spelt: the institution table resolves them.
"""
from __future__ import annotations

import re
from typing import Iterable, NamedTuple

from loader.normalise.countries import US_STATES, country_code
from loader.records import AUTHOR, Org

# How much a comma part reads like an organisation.  The highest score wins;
# a tie goes to the earlier part.  Matched case-insensitively.
_ORGANISATION_TERMS = tuple((points, re.compile(terms, re.IGNORECASE)) for points, terms in (
    (3, r"niversi|\buniv\b|academy|academia|akademi|hochschule|polytechn|politec"
        r"|institute of technology|hospital|nat(ional|\.) lab"),
    (3, r"\b(inc|ltd|llc|gmbh|corp|corporation|company|plc|limited)\b|\bco\.|\bs\.p?\.?a\."),
    (2, r"institut|\binst\b|\bist\.|istituto|laborator|\blabs?\b|\bcent(er|re|ro)\b|college"
        r"|school|foundation|observatory|agency|council|ministry|bureau|clinic"),
))
# Parts that name a unit inside an organisation lose against the organisation.
_UNIT_TERMS = re.compile(
    r"department|departament|departement|dipartimento|\bdep(t|tt|to)?\b|\bdpto?\b|\bdipt\b"
    r"|faculty|division|\bschool of|\bsch\. of|college of|\bcoll\. of"
    r"|key lab|\bgroup\b|\bsection\b|\bunit\b|\bprogram", re.IGNORECASE)
# A legal form after a comma belongs to the name before it ("Google, Inc.").
_LEGAL_FORM = re.compile(r"^(inc|ltd|llc|gmbh|corp|co|plc|s\.a|ag)\b\.?", re.IGNORECASE)
# An institute of an academy is named with it, as the institution table does:
# "Institute of Automation, Chinese Academy of Sciences".
_ACADEMY = re.compile(r"academy of sciences", re.IGNORECASE)
# A state university system is named with its campus: "Univ. of California,
# Los Angeles" is UCLA, not the whole system.  Only multi-campus systems: in
# "University of Florida, Gainesville" the city is just the address.
_STATE_UNIVERSITY = re.compile(r"^(?:the )?univ(?:ersity|\.)? of ([a-z ]+)$", re.IGNORECASE)
_SYSTEM_STATES = frozenset((
    "alabama", "arkansas", "california", "colorado", "illinois", "maryland", "massachusetts",
    "michigan", "minnesota", "missouri", "nebraska", "north carolina", "tennessee", "texas",
    "wisconsin"))
_PLACE = re.compile(r"^[^\W\d_][^\W\d_ .'-]*(?:[ .'-]+[^\W\d_]+)*$")

_POSTCODE = re.compile(r"^[A-Z]{0,2}-?\d[\d\- ]*$")          # '100084', 'F-63000', '60-965'
_US_ZIP = re.compile(r"\b\d{5}(-\d{4})?\b")
_DIGIT_TOKEN = re.compile(r"\S*\d\S*")
# '(e-mail: a@b.cn)' to the end, or a bare 'a@b.ca'
_EMAIL = re.compile(r"\(?\s*e-?mail\s*:.*$|[^\s,;]+@[^\s,;]+", re.IGNORECASE)
_MISSING = {"", "na", "n/a", "none"}
_SAR = ("HK", "MO")

# Addresses in the USA often end with the state, not the country ("Mountain
# View, CA"; "Oak Ridge, Tennessee").  Two-letter state codes are read as US
# states before ISO country codes: affiliations write countries out in full,
# so ", CA" is California far more often than Canada.
_US_STATE_NAMES = frozenset((
    "alabama alaska arizona arkansas california colorado connecticut delaware florida "
    "georgia hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland "
    "massachusetts michigan minnesota mississippi missouri montana nebraska nevada "
    "ohio oklahoma oregon pennsylvania tennessee texas utah vermont virginia washington "
    "wisconsin wyoming").split()) | {
    "district of columbia", "new hampshire", "new jersey", "new mexico", "new york",
    "north carolina", "north dakota", "rhode island", "south carolina", "south dakota",
    "west virginia"}


class Affiliation(NamedTuple):
    raw: str             # the string as the export gave it
    org: str             # the organisation part, as spelt ('' where there is none)
    country: str | None  # ISO 3166-1 alpha-2, None where no part names a country


def split_list(text: str | None, separator: str = ";") -> list[str]:
    """Split a joined cell ("a; b; c") into its entries, dropping blanks and 'NA'."""
    entries = (entry.strip() for entry in (text or "").split(separator))
    return [entry for entry in entries if entry.lower() not in _MISSING]


def parse_affiliation(text: str, *, split_hk_macau: bool = False) -> Affiliation:
    """Split one affiliation string into its organisation part and country.

    Hong Kong and Macau count as China unless `split_hk_macau`.
    """
    raw = text.strip()
    parts = _parts(_EMAIL.sub("", raw))
    while parts and _POSTCODE.match(parts[-1].rstrip(".")):
        parts.pop()
    country = _country(parts[-1], has_more_parts=len(parts) > 1) if parts else None
    candidates = parts[:-1] if country and len(parts) > 1 else parts
    if country == "CN" and candidates:
        # "..., Hong Kong, China": the locality before the country tells.
        locality = _country_code(candidates[-1])
        country = locality if locality in _SAR else country
    return Affiliation(raw, _organisation(candidates), counted_country(country, split_hk_macau))


def counted_country(code: str | None, split_hk_macau: bool = False) -> str | None:
    """The country a code is counted as: Hong Kong and Macau as China unless `split_hk_macau`."""
    if code in _SAR and not split_hk_macau:
        return "CN"
    return code or None


def affiliation_orgs(texts: Iterable[str], role: str = AUTHOR, *, split_hk_macau: bool = False
                     ) -> tuple[list[Org], set[str]]:
    """Distinct organisations named by affiliation strings, and their countries.

    Two departments of one university give one Org: the graph counts the
    organisation once per record, however many of its units signed.
    """
    orgs: list[Org] = []
    countries: set[str] = set()
    for text in texts:
        affiliation = parse_affiliation(text, split_hk_macau=split_hk_macau)
        if affiliation.country:
            countries.add(affiliation.country)
        org = Org(affiliation.org, affiliation.country, role)
        if affiliation.org and org not in orgs:
            orgs.append(org)
    return orgs, countries


def _parts(text: str) -> list[str]:
    parts: list[str] = []
    for part in (p.strip() for p in text.split(",")):
        legal_form = _LEGAL_FORM.match(part) if parts else None
        if legal_form:
            parts[-1] = f"{parts[-1]}, {legal_form.group(0)}"
            part = part[legal_form.end():].strip()     # 'Inc. 6-10-1 Roppongi'
        if part:
            parts.append(part)
    return parts


def _country(part: str, has_more_parts: bool) -> str | None:
    """The country the last part names: 'China 100081', 'MD 20993 USA', 'Tennessee', 'CA'."""
    had_zip = bool(_US_ZIP.search(part))
    words = _DIGIT_TOKEN.sub(" ", part).strip(" .;").split()
    if not words:
        return None
    text = " ".join(words)
    if _is_us_state(text, had_zip, has_more_parts):
        return "US"
    code = _country_code(text)
    if code:
        return code
    if len(words) > 1:
        # 'MD 20993-0002 USA', 'Milpitas CA 95035', 'HP Labs China'
        if _is_us_state(words[-1], had_zip, True):
            return "US"
        return _country_code(words[-1])
    return "US" if text.lower() in _US_STATE_NAMES else None


def _is_us_state(text: str, had_zip: bool, has_more_parts: bool) -> bool:
    if text in US_STATES and has_more_parts:
        return True
    # A full state name wins over a country only beside a ZIP code: 'Georgia 30332'.
    return had_zip and (text.upper() in US_STATES or text.lower() in _US_STATE_NAMES)


def _country_code(text: str) -> str | None:
    # Unfolded (HK stays HK) so that counted_country() applies the one rule.
    text = _DIGIT_TOKEN.sub(" ", text).strip(" .;")
    return country_code(text, split_hk_macau=True) if text else None


def _organisation(parts: list[str]) -> str:
    if not parts:
        return ""
    best, name = max(enumerate(parts), key=lambda item: (_score(item[1]), -item[0]))
    if best and _ACADEMY.search(name) and _score(parts[best - 1]) == 2:
        return f"{parts[best - 1]}, {name}"
    campus = parts[best + 1] if best + 1 < len(parts) else ""
    state = _STATE_UNIVERSITY.match(name)
    # A campus is a place name, not a state code, an acronym ('ICL') or a department.
    if state and state.group(1).lower() in _SYSTEM_STATES and _PLACE.match(campus) \
            and not campus.isupper() and not _UNIT_TERMS.search(campus):
        return f"{name}, {campus}"
    return name


def _score(part: str) -> int:
    score = next((points for points, terms in _ORGANISATION_TERMS if terms.search(part)), 0)
    if _UNIT_TERMS.search(part):
        score -= 2
    if any(ch.isdigit() for ch in part):
        score -= 1       # street addresses and postcodes
    return score
