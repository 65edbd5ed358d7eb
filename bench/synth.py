"""Synthetic exports for the benchmark: Web of Science plain text and a generic patent CSV.

The shape follows real bibliographic data, because the loader's costs depend on it:

* countries and institutions are Zipf-skewed (a few produce most records);
  China and the US are the two largest of ~60 countries;
* ~5,000 institutions: the demo's real organisations (their C1 abbreviations,
  C3 names and parents, so roll-up and alias resolution do real work) and made-up
  ones named with a unique invented word ("Vokaril University", C1 "Vokaril Univ");
* ~2.6 addresses per paper, ~30% of papers international, China–US the
  strongest pair;
* records are written by the demo's Web of Science writer (C1, C3, RP,
  abstracts, keywords, WC/SC), 1,000 to a file as Web of Science exports them;
* ~1% of records appear again in a later file, as overlapping exports do.

One seed gives byte-identical files.  A folder that already holds the files of
the same spec is reused (its manifest says so), so generation is timed once
and never counted in a load.
"""
from __future__ import annotations

import bisect
import csv
import io
import json
import random
import time
from dataclasses import asdict, dataclass, field
from itertools import accumulate
from pathlib import Path

from loader.demo.papers import PlannedPaper
from loader.demo.patents import ABSTRACT as PATENT_ABSTRACT
from loader.demo.patents import COLUMNS as PATENT_COLUMNS
from loader.demo.patents import IPC
from loader.demo.patents import TITLES as PATENT_TITLES
from loader.demo.vocabulary import UNITS, Organisation, author, organisations, topic
from loader.demo.wos_text import FOOTER, HEADER, write_record

GENERATOR_VERSION = 2          # bump when the output changes: cached folders are regenerated
COUNTRIES_CSV = Path(__file__).with_name("countries.csv")
MANIFEST = "manifest.json"

YEARS = tuple(range(2007, 2025))   # the demo vocabulary has topics from 2007 on
GROWTH = 1.08                  # records per year grow ~8% a year, as the field did
INCREMENT_YEAR = YEARS[-1]     # an incremental load brings the newest year's records
INSTITUTIONS = 5000
COUNTRY_SKEW = 1.1             # Zipf exponent over country rank
INSTITUTION_SKEW = 1.0         # Zipf exponent over an institution's rank in its country
# How many institutions a country has grows slower than its output: a large
# country has more institutions *and* larger ones.
POOL_SKEW = 0.6
ADDRESS_COUNTS = ((1, 27), (2, 27), (3, 21), (4, 12), (5, 7), (6, 3), (7, 2), (8, 1))   # mean 2.67
INTERNATIONAL = 0.30
CN_US_BOOST = 3.0              # China's and the US's first partner is each other
DUPLICATES = 0.01
C3_SHARE = 0.95                # old records lack C3: their institutions come from C1
PATENTS_PER_PAPER = 0.1
PATENT_INTERNATIONAL = 0.25
TWO_ROW_FAMILIES = 0.3

_NAME_FORMS = {
    "U": (("{w} University", "{w} Univ"), ("University of {w}", "Univ {w}"),
          ("{w} University of Technology", "{w} Univ Technol"), ("{w} Normal University", "{w} Normal Univ")),
    "I": (("{w} Institute of Technology", "{w} Inst Technol"), ("{w} National Laboratory", "{w} Natl Lab"),
          ("{w} Research Center", "{w} Res Ctr")),
    "C": (("{w} Corporation", "{w} Corp"), ("{w} Technologies Inc", "{w} Technol Inc")),
}
_KINDS = (("U", 70), ("I", 20), ("C", 10))
_CONSONANTS = "bcdfghklmnprstvz"
_VOWELS = "aeiou"


@dataclass(frozen=True)
class Spec:
    records: int
    seed: int = 2024
    file_records: int = 1000   # Web of Science exports at most 1,000 records to a file
    increment: int = 0         # new records for the incremental load, written apart
    patents: int = -1          # patent families; -1: a tenth of `records`

    @property
    def patent_families(self) -> int:
        return int(self.records * PATENTS_PER_PAPER) if self.patents < 0 else self.patents

    @property
    def folder_name(self) -> str:
        return f"n{self.records}-seed{self.seed}-f{self.file_records}-i{self.increment}-p{self.patent_families}"


@dataclass
class Exports:
    folder: Path
    papers: list[Path]
    increment: list[Path]
    patents: list[Path]
    seconds: float
    bytes: int
    cached: bool = False
    counts: dict = field(default_factory=dict)   # records written, duplicates among them, families


def write_exports(root: Path, spec: Spec) -> Exports:
    """The exports of `spec` under `root/<spec>/`, written unless a manifest shows they are there."""
    folder = Path(root) / spec.folder_name
    cached = _cached(folder, spec)
    if cached is not None:
        return cached
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MANIFEST).unlink(missing_ok=True)
    started = time.perf_counter()
    world = World(spec.seed)
    rng = random.Random(spec.seed * 1_000_003 + spec.records)
    counts = {"records": spec.records, "increment": spec.increment, "families": spec.patent_families}
    papers, counts["duplicates"] = _write_papers(folder, "savedrecs", world, rng, spec.records,
                                                 spec.file_records, first_serial=1, year=None)
    increment, _ = _write_papers(folder, "increment", world, rng, spec.increment, spec.file_records,
                                 first_serial=spec.records + 1, year=INCREMENT_YEAR)
    patents = [folder / "patents.csv"]
    with open(patents[0], "w", encoding="utf-8", newline="") as fp:
        counts["patent_rows"] = write_patents(fp, world, rng, spec.patent_families)
    files = papers + increment + patents
    exports = Exports(folder, papers, increment, patents, time.perf_counter() - started,
                      sum(p.stat().st_size for p in files), counts=counts)
    manifest = {"version": GENERATOR_VERSION, "spec": asdict(spec), "seconds": exports.seconds,
                "bytes": exports.bytes, "counts": counts,
                "papers": [p.name for p in papers], "increment": [p.name for p in increment],
                "patents": [p.name for p in patents]}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1))
    return exports


def _cached(folder: Path, spec: Spec) -> Exports | None:
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError):
        return None
    if manifest.get("version") != GENERATOR_VERSION or manifest.get("spec") != asdict(spec):
        return None
    paths = {key: [folder / name for name in manifest[key]] for key in ("papers", "increment", "patents")}
    if not all(p.exists() for group in paths.values() for p in group):
        return None
    return Exports(folder, paths["papers"], paths["increment"], paths["patents"], manifest["seconds"],
                   manifest["bytes"], cached=True, counts=manifest["counts"])


# -- the world: countries and their institutions ------------------------------------------------

@dataclass(frozen=True)
class Country:
    iso: str
    address: str              # as a C1 address ends ("Peoples R China", "USA")
    places: tuple[str, ...]   # city and postcode as the address writes them


def countries() -> list[Country]:
    """The ~60 countries, largest first (the rank sets the Zipf weight)."""
    with open(COUNTRIES_CSV, encoding="utf-8", newline="") as fp:
        return [Country(row["iso"], row["address"], tuple(row["places"].split(";")))
                for row in csv.DictReader(fp)]


class World:
    """Who publishes: country weights, partner weights and each country's institutions."""

    def __init__(self, seed: int, institutions: int = INSTITUTIONS):
        rng = random.Random(seed)
        self.countries = countries()
        self.codes = [c.iso for c in self.countries]
        weights = [1 / rank ** COUNTRY_SKEW for rank in range(1, len(self.countries) + 1)]
        self.country_cum = list(accumulate(weights))
        self.partner_cum = {home: list(accumulate(
            0.0 if code == home else w * (CN_US_BOOST if {home, code} == {"CN", "US"} else 1.0)
            for code, w in zip(self.codes, weights))) for home in self.codes}
        pool_weights = [w ** POOL_SKEW for w in weights]
        sizes = [max(3, round(institutions * w / sum(pool_weights))) for w in pool_weights]
        self.pool = _institutions(self.countries, sizes, rng)
        self.pool_cum = {iso: list(accumulate(1 / rank ** INSTITUTION_SKEW for rank in range(1, len(orgs) + 1)))
                         for iso, orgs in self.pool.items()}

    def country(self, rng: random.Random) -> str:
        return self.codes[_pick(self.country_cum, rng)]

    def partner(self, rng: random.Random, home: str) -> str:
        return self.codes[_pick(self.partner_cum[home], rng)]

    def institution(self, rng: random.Random, iso: str) -> Organisation:
        return self.pool[iso][_pick(self.pool_cum[iso], rng)]


def _pick(cum: list[float], rng: random.Random) -> int:
    return bisect.bisect(cum, rng.random() * cum[-1])


def _institutions(table: list[Country], sizes: list[int], rng: random.Random) -> dict[str, list[Organisation]]:
    """Per country: the demo's real organisations first (the most productive), then made-up ones."""
    pool: dict[str, list[Organisation]] = {c.iso: [] for c in table}
    for org in organisations():
        if org.counted_as in pool:
            pool[org.counted_as].append(org)
    words = _InventedWords(rng, pool)
    for country, size in zip(table, sizes):
        while len(pool[country.iso]) < size:
            kind = rng.choices([k for k, _ in _KINDS], [w for _, w in _KINDS])[0]
            name, c1 = rng.choice(_NAME_FORMS[kind])
            word = words.new()
            pool[country.iso].append(Organisation(
                group="", c1=c1.format(w=word), c3=(name.format(w=word),), place=rng.choice(country.places),
                country=country.address, iso=country.iso, kind=kind, weight=1))
    return pool


class _InventedWords:
    """Seven-letter invented words, each new.  The parser matches a C3 name to its address by
    words and abbreviations ('Calif' ~ 'California'), so a word must neither abbreviate nor be
    abbreviated by another word on the addresses: then every made-up C3 name finds its own
    address and only that.  Same-length words cannot abbreviate each other unless equal."""

    def __init__(self, rng: random.Random, pool: dict[str, list[Organisation]]):
        self.rng = rng
        self.taken: set[str] = set()
        self.known: dict[str, set[str]] = {}     # first two letters -> real words
        texts = [o.c1 for orgs in pool.values() for o in orgs] + [n for orgs in pool.values() for o in orgs
                                                                  for n in o.c3]
        texts += [unit for units in UNITS.values() for unit in units]
        for text in texts:
            for word in "".join(ch if ch.isalpha() else " " for ch in text.lower()).split():
                self.known.setdefault(word[:2], set()).add(word)

    def new(self) -> str:
        while True:
            word = "".join(self.rng.choice(_CONSONANTS) + self.rng.choice(_VOWELS) for _ in range(3))
            word += self.rng.choice(_CONSONANTS)
            if word not in self.taken and not any(_abbreviates(a, word) or _abbreviates(word, a)
                                                  for a in self.known.get(word[:2], ())):
                self.taken.add(word)
                return word.capitalize()


def _abbreviates(short: str, full: str) -> bool:
    if len(short) < 3 or short[:2] != full[:2]:
        return short == full
    rest = iter(full)
    return all(ch in rest for ch in short)


# -- papers -----------------------------------------------------------------------------------

_YEAR_CUM = list(accumulate(GROWTH ** i for i in range(len(YEARS))))
_ADDRESS_CUM = list(accumulate(w for _, w in ADDRESS_COUNTS))
_SEVERAL = 1 - ADDRESS_COUNTS[0][1] / _ADDRESS_CUM[-1]     # share of papers with two or more addresses


def plan_paper(world: World, rng: random.Random, year: int | None = None) -> PlannedPaper:
    """One paper: its year, its addresses' countries and institutions."""
    year = year if year is not None else YEARS[_pick(_YEAR_CUM, rng)]
    count = ADDRESS_COUNTS[_pick(_ADDRESS_CUM, rng)][0]
    home = world.country(rng)
    codes = [home] * count
    if count > 1 and rng.random() < INTERNATIONAL / _SEVERAL:
        partner = world.partner(rng, home)
        codes[1] = partner
        for i in range(2, count):
            draw = rng.random()
            codes[i] = home if draw < 0.6 else partner if draw < 0.85 else world.partner(rng, home)
    orgs = [world.institution(rng, code) for code in codes]
    return PlannedPaper(year, "bench", set(codes), orgs=orgs, with_c3=rng.random() < C3_SHARE)


def _write_papers(folder: Path, prefix: str, world: World, rng: random.Random, total: int,
                  per_file: int, first_serial: int, year: int | None) -> tuple[list[Path], int]:
    """`total` records in files of `per_file`; returns the files and how many records repeat
    an earlier one (the increment repeats none: it is new by definition)."""
    paths, recent, duplicates, serial = [], [], 0, first_serial
    for start in range(0, total, per_file):
        end = min(total, start + per_file)
        path = folder / f"{prefix}-{start + 1:07d}-{end:07d}.txt"
        with open(path, "w", encoding="utf-8", newline="\n") as fp:
            fp.write(HEADER)
            for _ in range(end - start):
                if year is None and recent and rng.random() < DUPLICATES:
                    fp.write(rng.choice(recent))
                    duplicates += 1
                    continue
                buffer = io.StringIO()
                write_record(buffer, plan_paper(world, rng, year), serial, rng)
                serial += 1
                text = buffer.getvalue()
                fp.write(text)
                recent.append(text)
                if len(recent) > 2 * per_file:
                    del recent[:per_file]
            fp.write(FOOTER)
        paths.append(path)
    return paths, duplicates


# -- patents ----------------------------------------------------------------------------------

def write_patents(fp, world: World, rng: random.Random, families: int) -> int:
    """`families` inventions as generic patent CSV rows (a third of them two rows); returns the rows."""
    writer = csv.writer(fp, lineterminator="\n")
    writer.writerow(PATENT_COLUMNS)
    rows = 0
    for serial in range(1, families + 1):
        for row in _family(world, rng, serial):
            writer.writerow([row.get(column, "") for column in PATENT_COLUMNS])
            rows += 1
    return rows


def _family(world: World, rng: random.Random, serial: int) -> list[dict[str, str]]:
    year = YEARS[_pick(_YEAR_CUM, rng)]
    home = world.country(rng)
    codes = [home] + ([world.partner(rng, home)] if rng.random() < PATENT_INTERNATIONAL else [])
    inventors = [(author(rng, code)[1], code) for code in codes for _ in range(rng.randint(1, 3))]
    applicants = [world.institution(rng, code) for code in codes[:1 + (rng.random() < 0.2)]]
    about = topic(rng, year)
    shared = {
        "title": about.fill(rng.choice(PATENT_TITLES)),
        "abstract": about.fill(PATENT_ABSTRACT),
        "ipc": "|".join(rng.sample(IPC, rng.randint(1, 3))),
        "applicants": "|".join(org.c3[-1] for org in applicants),
        "applicant_countries": "|".join(org.counted_as for org in applicants),
        "inventors": "|".join(name for name, _ in inventors),
        "inventor_countries": "|".join(code for _, code in inventors),
    }
    first_office = "CN" if home == "CN" else "US"
    offices = [first_office]
    if rng.random() < TWO_ROW_FAMILIES:
        # The same invention filed again abroad, up to a year later: one family, two rows.
        offices.append("US" if first_office == "CN" else "WO")
    family = f"B{serial:09d}" if len(offices) == 2 or rng.random() < 0.7 else ""
    rows = []
    for i, office in enumerate(offices):
        filed = year if i == 0 else year + rng.randint(0, 1)
        rows.append({**shared, "family_id": family, "office": office,
                     "application_number": f"{office}{filed}{serial:09d}.{i}",
                     "application_date": f"{filed}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"})
    return rows
