"""Write planned papers as Web of Science plain-text ("field tagged") records.

The layout follows real exports: a two-character tag, a space and the value;
AU, AF and C1 give one value per line, continuation lines start with three
spaces, long TI, DE, ID and C3 values wrap at word boundaries (C3 even inside
a name), records end with ER and a blank line, files start with FN/VR and
end with EF.  Identifiers are plainly fake: UT numbers start with 999 and
DOIs use the unassigned prefix 10.99999.
"""
from __future__ import annotations

import random
import textwrap
from typing import TextIO

from loader.demo.papers import PlannedPaper
from loader.demo.vocabulary import (ABSTRACTS, BASELINES, BENCHMARKS, EXTRA_KEYWORDS,
                                    KEYWORDS_PLUS, REVIEW_TITLES, TITLES, UNITS, author,
                                    topic, venues)

HEADER = "\ufeffFN Clarivate Analytics Web of Science\nVR 1.0\n"
FOOTER = "EF\n"
WIDTH = 76          # real exports wrap long values a little before 80 columns
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def ut(year: int, serial: int) -> str:
    """A unique, clearly fake accession number: 'WOS:' + 15 digits starting 999."""
    return f"WOS:999{year:04d}{serial:08d}"


def doi(year: int, serial: int) -> str:
    return f"10.99999/demo.{year}.{serial:05d}"


def write_record(fp: TextIO, paper: PlannedPaper, serial: int, rng: random.Random) -> None:
    venue = _venue(rng)
    about = topic(rng, paper.year)
    title = about.fill(rng.choice(REVIEW_TITLES if venue.dt == "Review" else TITLES))
    addresses = []
    for org in paper.orgs:
        people = [author(rng, org.iso) for _ in range(rng.choice((1, 1, 2, 2, 3)))]
        addresses.append((people, org.address(rng.choice(UNITS[org.kind]))))
    authors = list(dict.fromkeys(person for people, _ in addresses for person in people))
    keywords = [about.term.phrase, about.work, about.technique] + \
        rng.sample(EXTRA_KEYWORDS, rng.randint(1, 3))
    abstract = " ".join(sentence for sentence in (
        about.fill(ABSTRACTS[0]), about.fill(ABSTRACTS[1]),
        about.fill(ABSTRACTS[2], baseline=rng.choice(BASELINES),
                   x=rng.uniform(1.5, 40), y=rng.uniform(1.5, 60)),
        about.fill(ABSTRACTS[3], benchmark=rng.choice(BENCHMARKS))))
    first_page = rng.randint(1, 3000)

    _field(fp, "PT", [venue.pt])
    _field(fp, "AU", [au for au, _ in authors])
    _field(fp, "AF", [af for _, af in authors])
    _wrapped(fp, "TI", title)
    _field(fp, "SO", [venue.source.format(year=paper.year)])
    _field(fp, "LA", ["English"])
    _field(fp, "DT", [venue.dt])
    _wrapped(fp, "DE", "; ".join(keywords))
    if rng.random() < 0.7:
        _wrapped(fp, "ID", "; ".join(rng.sample(KEYWORDS_PLUS, rng.randint(2, 5))))
    _field(fp, "AB", [abstract])
    _field(fp, "C1", [f"[{'; '.join(af for _, af in people)}] {text}" for people, text in addresses])
    if paper.with_c3:
        # One group of names per address, repeats included, as Web of Science writes them.
        _wrapped(fp, "C3", "; ".join(name for org in paper.orgs for name in org.c3))
    first_au, first_address = addresses[0][0][0][0], addresses[0][1]
    _field(fp, "RP", [f"{first_au} (corresponding author), {first_address}"])
    if venue.pt == "J":
        _field(fp, "PD", [rng.choice(_MONTHS)])
    _field(fp, "PY", [str(paper.year)])
    if venue.pt == "J":
        _field(fp, "VL", [str(paper.year - rng.choice((1950, 1960, 1990, 2000)))])
    _field(fp, "BP", [str(first_page)])
    _field(fp, "EP", [str(first_page + rng.randint(3, 14))])
    _field(fp, "DI", [doi(paper.year, serial)])
    _wrapped(fp, "WC", venue.wc)
    _field(fp, "WE", ["Science Citation Index Expanded (SCI-EXPANDED)" if venue.pt == "J"
                      else "Conference Proceedings Citation Index - Science (CPCI-S)"])
    _wrapped(fp, "SC", venue.sc)
    _field(fp, "UT", [ut(paper.year, serial)])
    fp.write("ER\n\n")


def _venue(rng: random.Random):
    kind = rng.choices(("J", "C", "R"), (66, 30, 4))[0]
    pick = [v for v in venues() if (v.dt == "Review") == (kind == "R") and
            (kind == "R" or v.pt == kind)]
    return rng.choice(pick)


def _field(fp: TextIO, tag: str, values: list[str]) -> None:
    fp.write(f"{tag} {values[0]}\n")
    for value in values[1:]:
        fp.write(f"   {value}\n")


def _wrapped(fp: TextIO, tag: str, text: str) -> None:
    _field(fp, tag, textwrap.wrap(text, WIDTH, break_long_words=False, break_on_hyphens=False))
