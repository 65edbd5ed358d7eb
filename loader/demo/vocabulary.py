"""Words the demo records are made of: organisations, people, venues, titles.

The tables are CSV files beside this module so that a reader can see (and
extend) every organisation and venue the demo uses without reading code.
Everything here is a pure function of its arguments and an explicit
`random.Random`; nothing touches the global random state.
"""
from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Hong Kong addresses end in "Peoples R China" and count as China; the planner
# keeps them apart so they only ever sit beside a mainland address.
HONG_KONG = "HK"


@dataclass(frozen=True)
class Organisation:
    group: str            # one of the study's ten institutions ('' for every other)
    c1: str               # as a C1 address abbreviates it ("Univ Calif Berkeley")
    c3: tuple[str, ...]   # organisation-enhanced names, parent first
    place: str            # city and postcode as the address writes them
    country: str          # as the address writes it ("Peoples R China", "USA")
    iso: str              # ISO alpha-2; HK for Hong Kong
    kind: str             # U university, I institute or laboratory, C company
    weight: int           # how often it is chosen, relative to its compatriots

    @property
    def counted_as(self) -> str:
        return "CN" if self.iso == HONG_KONG else self.iso

    def address(self, unit: str) -> str:
        parts = [self.c1] + ([unit] if unit else []) + [self.place]
        if self.country == "USA":
            return f"{', '.join(parts)} USA."       # "Berkeley, CA 94720 USA."
        return f"{', '.join(parts)}, {self.country}."


@dataclass(frozen=True)
class Venue:
    pt: str               # J journal, C conference
    dt: str               # Article, Review, Proceedings Paper
    source: str           # may hold {year}
    wc: str
    sc: str


@dataclass(frozen=True)
class Term:
    branch: str
    phrase: str
    since: int
    weight: int


def _rows(name: str) -> list[dict[str, str]]:
    with open(HERE / name, encoding="utf-8", newline="") as fp:
        return list(csv.DictReader(fp))


@lru_cache(maxsize=1)
def organisations() -> tuple[Organisation, ...]:
    return tuple(Organisation(
        group=row["group"], c1=row["c1"],
        c3=tuple(name.strip() for name in row["c3"].split(";")),
        place=row["place"], country=row["country"], iso=row["iso"],
        kind=row["kind"], weight=int(row["weight"]),
    ) for row in _rows("organisations.csv"))


@lru_cache(maxsize=1)
def venues() -> tuple[Venue, ...]:
    return tuple(Venue(**row) for row in _rows("venues.csv"))


@lru_cache(maxsize=1)
def terms() -> tuple[Term, ...]:
    return tuple(Term(row["branch"], row["phrase"], int(row["since"]), int(row["weight"]))
                 for row in _rows("terms.csv"))


@lru_cache(maxsize=1)
def _people() -> dict[str, tuple[tuple[str, ...], tuple[str, ...], str]]:
    """ISO code -> (surnames, given names, naming group)."""
    table = {}
    for row in _rows("people.csv"):
        entry = (tuple(row["surnames"].split(";")), tuple(row["given"].split(";")), row["group"])
        for code in row["countries"].split():
            table[code] = entry
    return table


# Who signs from an organisation in a country, besides its own naming group:
# American and British labs have many Chinese and Indian authors.
_VISITORS = {"US": (("cn", 25), ("in", 10), ("kr", 4), ("de", 4)),
             "GB": (("cn", 15), ("in", 8)), "CA": (("cn", 20), ("in", 8)),
             "AU": (("cn", 20),), "SG": (("cn", 40), ("in", 10))}
_GROUP_COUNTRY = {"cn": "CN", "in": "IN", "kr": "KR", "de": "DE"}


def author(rng: random.Random, iso: str) -> tuple[str, str]:
    """(AU form, AF form) of a made-up author at an organisation in `iso`."""
    people = _people()
    home = iso if iso in people else "US"
    options = [(home, 100)] + [(_GROUP_COUNTRY[g], w) for g, w in _VISITORS.get(home, ())]
    code = rng.choices([c for c, _ in options], [w for _, w in options])[0]
    surnames, given_names, group = people[code]
    surname, given = rng.choice(surnames), rng.choice(given_names)
    syllables = given.split()
    initials = "".join(s[0] for s in syllables)
    if group == "cn":
        full = syllables[0] + "".join(s.lower() for s in syllables[1:])
    elif group == "kr":
        full = "-".join(syllables[:1] + [s.lower() for s in syllables[1:]])
    else:
        full = given
    if group in ("en", "de") and rng.random() < 0.3:
        middle = rng.choice("ABCDEJKLMRST")
        initials, full = initials + middle, f"{full} {middle}."
    return f"{surname}, {initials}", f"{surname}, {full}"


UNITS = {
    "U": ("Dept Comp Sci", "Dept Elect Engn", "Dept Elect & Comp Engn", "Sch Comp Sci & Engn",
          "Dept Comp Sci & Engn", "Sch Microelect", "Sch Informat Sci & Technol",
          "Inst Microelect", "Dept Comp Sci & Technol", "Sch Integrated Circuits",
          "Dept Automat", "Sch Elect Engn & Comp Sci", ""),
    "I": ("State Key Lab Comp Architecture", "Key Lab Intelligent Informat Proc",
          "Comp Sci & Math Div", "Adv Comp Lab", "Ctr Intelligent Comp", ""),
    "C": ("Res Labs", "AI Res", "Adv Technol Grp", ""),
}

ADJECTIVES = ("energy-efficient", "low-latency", "high-throughput", "reconfigurable", "scalable",
              "low-power", "fault-tolerant", "memory-efficient", "mixed-precision", "flexible",
              "area-efficient", "real-time")
# (phrase, first year it is plausible in a title)
WORKLOADS = (("convolutional neural networks", 2012), ("deep neural network inference", 2014),
             ("sparse matrix-vector multiplication", 2007), ("spiking neural networks", 2009),
             ("recurrent neural networks", 2015), ("transformer inference", 2019),
             ("graph neural networks", 2019), ("real-time object detection", 2013),
             ("speech recognition", 2007), ("LDPC decoding", 2007), ("image segmentation", 2010),
             ("deep reinforcement learning", 2017), ("binarized neural networks", 2017),
             ("k-means clustering", 2007), ("stereo vision", 2007), ("video encoding", 2007),
             ("large-scale graph analytics", 2012), ("point cloud processing", 2018),
             ("neural network training", 2016), ("homomorphic encryption", 2014),
             ("molecular dynamics simulation", 2007), ("support vector machines", 2007))
TECHNIQUES = ("dataflow optimization", "loop tiling", "weight pruning", "low-bit quantization",
              "high-level synthesis", "systolic arrays", "approximate computing",
              "near-memory processing", "dynamic voltage and frequency scaling",
              "partial reconfiguration", "Winograd transformation", "sparsity exploitation")
SETTINGS = ("edge devices", "autonomous driving", "data centers", "mobile robots",
            "wireless base stations", "IoT sensors", "medical imaging", "satellite payloads")
TITLES = ("{Adj} {term} accelerator for {work}",
          "{A_adj} {term} architecture for {work}",
          "{Work} on {term}: design space exploration and evaluation",
          "Design and implementation of {work} on {a_adj} {term}",
          "Towards {adj} {work} with {term} clusters",
          "Mapping {work} onto {term} with {technique}",
          "Exploiting {technique} for {adj} {work} on {term}",
          "{Adj} {term} design for {work} in {setting}",
          "{Term} implementation of {work} for {setting}")
REVIEW_TITLES = ("{Term} accelerators for {work}: a survey",
                 "A review of {term} design for {work} in {setting}")
ABSTRACTS = ("This paper presents {a_adj} {term} design for {work}.",
             "We exploit {technique} to reduce off-chip data movement and raise resource utilization.",
             "Compared with a {baseline} implementation, the proposed design is {x:.1f}x faster "
             "and {y:.1f}x more energy efficient.",
             "Experiments on {benchmark} show that accuracy is preserved.")
BASELINES = ("multi-core CPU", "general-purpose CPU", "state-of-the-art", "high-level synthesis")
BENCHMARKS = ("ImageNet", "CIFAR-10", "MNIST", "COCO", "LibriSpeech", "SuiteSparse matrices",
              "synthetic workloads")
KEYWORDS_PLUS = ("DESIGN", "ARCHITECTURE", "PERFORMANCE", "ALGORITHM", "IMPLEMENTATION",
                 "NETWORKS", "SYSTEM", "ACCELERATOR", "FRAMEWORK", "OPTIMIZATION", "HARDWARE")
EXTRA_KEYWORDS = ("hardware accelerator", "energy efficiency", "parallel computing",
                  "deep learning", "embedded systems", "computer architecture")


@dataclass(frozen=True)
class Topic:
    """What a made-up paper (or patent) is about; it fills titles and abstracts."""
    term: Term
    adj: str
    work: str
    technique: str
    setting: str

    def fill(self, template: str, **more) -> str:
        a_adj = f"{article(self.adj)} {self.adj}"
        a_term = f"{article(self.term.phrase)} {self.term.phrase}"
        text = template.format(term=self.term.phrase, Term=_capital(self.term.phrase),
                               a_term=a_term, adj=self.adj, Adj=_capital(self.adj),
                               a_adj=a_adj, A_adj=_capital(a_adj), work=self.work,
                               Work=_capital(self.work), technique=self.technique,
                               setting=self.setting, **more)
        return _capital(text)


def topic(rng: random.Random, year: int) -> Topic:
    available = [t for t in terms() if t.since <= year]
    term = rng.choices(available, [t.weight for t in available])[0]
    work = rng.choice([w for w, since in WORKLOADS if since <= year])
    return Topic(term, rng.choice(ADJECTIVES), work, rng.choice(TECHNIQUES), rng.choice(SETTINGS))


# Letters whose names start with a vowel sound: "an FPGA", "an NPU", but "a GPU".
_VOWEL_SOUND_LETTERS = "AEFHILMNORSX"


def article(phrase: str) -> str:
    """'a' or 'an' before `phrase`, by sound: an ASIC, an FPGA, a VLSI, an energy-efficient."""
    word = phrase.split()[0].split("-")[0]
    if word.isupper():
        return "an" if word[0] in _VOWEL_SOUND_LETTERS else "a"
    return "an" if word[0].lower() in "aeio" else "a"


def _capital(text: str) -> str:
    # Acronyms keep their case ("FPGA"); only a lower-case first letter is raised.
    return text[:1].upper() + text[1:] if text[:1].islower() else text
