"""Country names and codes → ISO 3166-1 alpha-2.

Pure and table-driven: pycountry supplies the ISO names and codes, and two data
files beside the loader add what ISO does not know:

- ``loader/data/country_aliases.csv`` (alias, code): Web of Science spellings
  ("Peoples R China", "U Arab Emirates", "England"), Chinese names (中国台湾) and
  names that are not countries at all (patent offices: an empty code).
- ``loader/data/country_names.csv`` (code, name, name_zh): the names shown on
  Country nodes, in English and Chinese.

Hong Kong and Macao fold into China by default, because Web of Science
addresses there end in "Peoples R China" and every source must count them the
same way; ``split_hk_macau=True`` keeps them apart.  Taiwan is never China.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pycountry

DATA = Path(__file__).resolve().parents[1] / "data"
ALIASES_CSV = DATA / "country_aliases.csv"
NAMES_CSV = DATA / "country_names.csv"

_FOLDED = {"HK": "CN", "MO": "CN"}

# US states and DC.  Old Web of Science addresses end in "CA 94720" or just
# "CA" with no country after them.
US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS "
    "MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY".split()
)
_US_ADDRESS_END = re.compile(r"(?:^|\s)U\.?S\.?A\.?$", re.IGNORECASE)
_OLD_US_STATE_ZIP = re.compile(r"^([A-Z]{2})(?:\s+\d{5}(?:-\d{4})?)?$")
_POSTCODE = re.compile(r"\b[0-9]{3,}\b")

# Words that place a "..., Peoples R China" address in Hong Kong or Macao.
# They are looked for in the locality (the part just before the country), not
# in the organisation's name: "Chinese Univ Hong Kong, ..., Shenzhen 518172,
# Peoples R China" is the Shenzhen campus, on the mainland.
_HK_PLACES = ("hong kong", "hongkong", "kowloon", "sha tin", "shatin", "pokfulam",
              "clear water bay", "new territories", "hung hom", "tai po", "tsuen wan",
              "tuen mun", "wan chai", "kong")
_MO_PLACES = ("macau", "macao", "taipa", "coloane")


def _key(text: str) -> str:
    """The form names are compared in: case, width, dots and spacing do not count."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace(".", " ").replace("’", "'")
    return " ".join(text.split())


@lru_cache(maxsize=1)
def _names() -> dict[str, tuple[str, str]]:
    with NAMES_CSV.open(encoding="utf-8", newline="") as fp:
        return {row["code"]: (row["name"], row["name_zh"]) for row in csv.DictReader(fp)}


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    """Lookup key → alpha-2 code ('' for names that are known not to be countries)."""
    index: dict[str, str] = {}
    for country in list(pycountry.countries) + list(pycountry.historic_countries):
        code = country.alpha_2
        for attr in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                index.setdefault(_key(value), code)
    # ISO's current countries win over the withdrawn ones sharing a code or name.
    for country in pycountry.countries:
        for attr in ("alpha_2", "alpha_3", "name"):
            index[_key(getattr(country, attr))] = country.alpha_2
    for code, (name, name_zh) in _names().items():
        index[_key(name)] = code
        index[_key(name_zh)] = code
    with ALIASES_CSV.open(encoding="utf-8", newline="") as fp:
        for row in csv.DictReader(fp):
            index[_key(row["alias"])] = row["code"].strip().upper()
    return index


def country_code(text: str, *, split_hk_macau: bool = False) -> str | None:
    """ISO alpha-2 code for a country name or code; None when it is not a country.

    >>> country_code("Peoples R China"), country_code("美国"), country_code("GBR")
    ('CN', 'US', 'GB')
    """
    if not text:
        return None
    code = _index().get(_key(text.strip().rstrip(".").strip()))
    if not code:
        return None
    return code if split_hk_macau else _FOLDED.get(code, code)


def wos_address_country(address: str, *, split_hk_macau: bool = False) -> str | None:
    """Country of one Web of Science address (C1 or reprint address).

    The country is the last comma part: "Peoples R China", "England",
    "PA 19104 USA".  Old exports end US addresses with the state and ZIP only.
    """
    text = address.strip()
    if text.startswith("["):
        text = text[text.find("]") + 1:] if "]" in text else ""
    parts = [p.strip() for p in text.strip().rstrip(".").split(",")]
    parts = [p for p in parts if p]
    if not parts:
        return None
    last = parts[-1].rstrip(". ")
    if _US_ADDRESS_END.search(last):
        return "US"
    old_us = _OLD_US_STATE_ZIP.match(last)
    if old_us and old_us.group(1) in US_STATES and len(parts) > 1:
        return "US"
    code = country_code(last, split_hk_macau=True)
    if code == "CN" and split_hk_macau:
        return _hk_macau(parts) or "CN"
    if code in _FOLDED and not split_hk_macau:
        return _FOLDED[code]
    return code


def _hk_macau(parts: list[str]) -> str | None:
    """HK or MO when the locality of a "..., Peoples R China" address is there."""
    if len(parts) < 2:
        return None
    # With only an organisation before the country, the organisation's name is
    # all there is to go by ("Univ Hong Kong, Peoples R China").
    locality = _key(_POSTCODE.sub(" ", parts[-2]))
    for code, places in (("MO", _MO_PLACES), ("HK", _HK_PLACES)):
        if any(re.search(rf"\b{re.escape(p)}\b", locality) for p in places):
            return code
    return None


def country_name(code: str) -> str:
    """Short English name for a Country node ("China", "United States", "South Korea")."""
    code = code.upper()
    if code in _names():
        return _names()[code][0]
    country = pycountry.countries.get(alpha_2=code) or pycountry.historic_countries.get(alpha_2=code)
    if country is None:
        return code   # an unknown code still gets a node; its name is the code
    return getattr(country, "common_name", None) or country.name


def country_name_zh(code: str) -> str | None:
    """Chinese name of a country from the table; None for the countries it lacks."""
    entry = _names().get(code.upper())
    return entry[1] if entry else None
