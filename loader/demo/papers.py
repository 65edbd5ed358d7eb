"""Plan the demo papers: for each year, which countries and organisations each has.

The plan is built so that whole counting gives the targets exactly:

* n_cn_us papers with China and the US (some with a third country),
  n_cn - n_cn_us with China and another country but not the US,
  n_us - n_cn_us with the US and another country but not China;
* papers from one country only (they must not count as international) and
  papers between third countries only;
* each of the study's ten institutions on exactly its number of China–US and
  international papers, through itself or its children (a CAS institute, a UC
  campus), sometimes two children on one paper, which must still count once;
* every other organisation kept well below the tenth of the ten in
  cumulative China–US papers, so the ten stay the top ten.

Hong Kong addresses count as China, and a paper with only a Hong Kong address
on the Chinese side would change country if Hong Kong were counted apart, so
Hong Kong only ever joins a paper that already has a mainland address.
"""
from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field

from loader.demo.targets import Targets
from loader.demo.vocabulary import HONG_KONG, Organisation, organisations

CN_US, CN_OTHER, US_OTHER = "cn-us", "cn-other", "us-other"
CN_ONLY, US_ONLY, THIRD = "cn-only", "us-only", "third"
# A top institution's papers are spread so that no paper carries more than
# this many of the ten (a Tsinghua–Berkeley paper is common, five of them is not).
MAX_TOP_PER_PAPER = 3
# Every other organisation stays at or below this fraction of the tenth
# institution's cumulative China–US count.
OTHERS_CEILING = 0.65


class PlanError(RuntimeError):
    """The targets cannot be met with the organisations available; names what to add."""


@dataclass
class PlannedPaper:
    year: int
    category: str
    countries: set[str]                   # counted countries (Hong Kong as CN)
    tops: list[str] = field(default_factory=list)   # the ten it counts for
    orgs: list[Organisation] = field(default_factory=list)
    with_c3: bool = True


class _Pool:
    """Organisations by country, and their running China–US counts (the ceiling)."""

    def __init__(self, ceiling: int):
        self.ceiling = ceiling
        self.others: dict[str, list[Organisation]] = defaultdict(list)
        self.children: dict[str, list[Organisation]] = defaultdict(list)
        for org in organisations():
            (self.children[org.group] if org.group else self.others[org.iso]).append(org)
        self.cn_us: dict[str, int] = defaultdict(int)     # per C3/C1 name
        self.used: dict[Organisation, int] = defaultdict(int)
        self.foreign = sorted(code for code in self.others if code not in ("CN", "US", HONG_KONG))
        self.foreign_weights = [sum(o.weight for o in self.others[c]) for c in self.foreign]

    def names(self, org: Organisation) -> tuple[str, ...]:
        return (org.c1.split(",")[0],) + org.c3

    def other(self, rng: random.Random, iso: str, paper: PlannedPaper) -> Organisation | None:
        """An organisation outside the ten, from `iso`, not yet on the paper."""
        candidates = [o for o in self.others[iso] if o not in paper.orgs]
        if paper.category == CN_US:
            candidates = [o for o in candidates
                          if all(self.cn_us[n] < self.ceiling for n in self.names(o))]
        if not candidates:
            return None
        return rng.choices(candidates, [o.weight for o in candidates])[0]

    def child(self, rng: random.Random, group: str, paper: PlannedPaper) -> Organisation:
        """The least used child of one of the ten: spreads CAS over its institutes."""
        candidates = [o for o in self.children[group] if o not in paper.orgs]
        fewest = min(self.used[o] for o in candidates)
        return rng.choice([o for o in candidates if self.used[o] == fewest])

    def count(self, paper: PlannedPaper) -> None:
        for org in paper.orgs:
            self.used[org] += 1
        if paper.category == CN_US:
            for name in {n for org in paper.orgs for n in self.names(org)}:
                self.cn_us[name] += 1


def plan_papers(targets: Targets, rng: random.Random) -> list[PlannedPaper]:
    """Every demo paper of every year, in the order they are written."""
    tenth = min(sum(value.n_cn_us for (name, _), value in targets.institutions.items()
                    if name == institution) for institution in targets.institution_names())
    pool = _Pool(ceiling=int(tenth * OTHERS_CEILING))
    papers: list[PlannedPaper] = []
    for year in targets.years("paper"):
        year_papers = _countries(targets, year, pool, rng)
        _place_top_institutions(targets, year, year_papers, rng)
        for paper in year_papers:
            _fill(paper, pool, rng)
            pool.count(paper)
            # Web of Science leaves C3 out where it unified no address; those
            # papers are read from C1 alone, which is where roll-up matters.
            paper.with_c3 = rng.random() >= 0.06
        rng.shuffle(year_papers)
        papers.extend(year_papers)
    return papers


def _countries(targets: Targets, year: int, pool: _Pool, rng: random.Random) -> list[PlannedPaper]:
    goal = targets.national[("paper", year)]
    step = (year - 2007) // 4
    sizes = {CN_US: goal.n_cn_us, CN_OTHER: goal.n_cn - goal.n_cn_us,
             US_OTHER: goal.n_us - goal.n_cn_us, CN_ONLY: 4 + step + rng.randint(0, 3),
             US_ONLY: 5 + step + rng.randint(0, 3), THIRD: 12 + 3 * step + rng.randint(0, 6)}
    papers = []
    for category, size in sizes.items():
        for _ in range(size):
            papers.append(PlannedPaper(year, category, _country_set(category, pool, rng)))
    return papers


def _country_set(category: str, pool: _Pool, rng: random.Random) -> set[str]:
    def foreign(k: int) -> set[str]:
        chosen: set[str] = set()
        while len(chosen) < k:
            chosen.add(rng.choices(pool.foreign, pool.foreign_weights)[0])
        return chosen

    extra = 2 if rng.random() < 0.05 else 1
    if category == CN_US:
        third = rng.random()
        return {"CN", "US"} | foreign(2 if third < 0.03 else 1 if third < 0.15 else 0)
    if category == CN_OTHER:
        return {"CN"} | foreign(extra)
    if category == US_OTHER:
        return {"US"} | foreign(extra)
    if category == THIRD:
        return foreign(2 if rng.random() < 0.8 else 3)
    return {"CN"} if category == CN_ONLY else {"US"}


def _place_top_institutions(targets: Targets, year: int, papers: list[PlannedPaper],
                            rng: random.Random) -> None:
    by_category = defaultdict(list)
    for paper in papers:
        by_category[paper.category].append(paper)
    for name in targets.institution_names():
        goal = targets.institutions.get((name, year))
        if goal is None:
            continue
        country = targets.countries[name]
        elsewhere = CN_OTHER if country == "CN" else US_OTHER
        for category, size in ((CN_US, goal.n_cn_us), (elsewhere, goal.n_intl - goal.n_cn_us)):
            chosen = _least_crowded(by_category[category], size, country, targets, rng)
            if len(chosen) < size:
                raise PlanError(f"{year}: {name} needs {size} {category} papers, "
                                f"only {len(chosen)} can take it; lower its target in targets.csv")
            for paper in chosen:
                paper.tops.append(name)
    # Some domestic papers carry the ten too: they must not count as international.
    for paper in by_category[CN_ONLY] + by_category[US_ONLY]:
        if rng.random() < 0.3:
            home = "CN" if paper.category == CN_ONLY else "US"
            paper.tops.append(rng.choice([n for n in targets.institution_names()
                                          if targets.countries[n] == home]))


def _least_crowded(papers: list[PlannedPaper], size: int, country: str, targets: Targets,
                   rng: random.Random) -> list[PlannedPaper]:
    """`size` papers for one institution, preferring papers without a compatriot of the ten."""
    chosen: list[PlannedPaper] = []
    for allow_compatriot in (False, True):
        room = [p for p in papers if p not in chosen and len(p.tops) < MAX_TOP_PER_PAPER and
                (allow_compatriot or all(targets.countries[t] != country for t in p.tops))]
        chosen += rng.sample(room, min(size - len(chosen), len(room)))
    return chosen


# How many addresses a paper has, by how many it must have at least.
_ADDRESS_COUNTS = (1, 2, 3, 4, 5, 6)
_ADDRESS_WEIGHTS = (10, 30, 28, 17, 9, 6)


def _fill(paper: PlannedPaper, pool: _Pool, rng: random.Random) -> None:
    for name in paper.tops:
        paper.orgs.append(pool.child(rng, name, paper))
        if len(pool.children[name]) > 1 and rng.random() < 0.12:
            paper.orgs.append(pool.child(rng, name, paper))    # two CAS institutes: counts once
    for iso in sorted(paper.countries):
        if not any(org.counted_as == iso and org.iso != HONG_KONG for org in paper.orgs):
            org = pool.other(rng, iso, paper)
            if org is None:
                raise PlanError(f"{paper.year}: no organisation in {iso} left under the ceiling "
                                f"of {pool.ceiling} China–US papers; add some to organisations.csv")
            paper.orgs.append(org)
    size = rng.choices(_ADDRESS_COUNTS, _ADDRESS_WEIGHTS)[0]
    if paper.category in (CN_ONLY, US_ONLY):
        size = min(size, 3)
    places = sorted(paper.countries) + ([HONG_KONG] if "CN" in paper.countries and
                                        paper.category not in (CN_ONLY,) else [])
    while len(paper.orgs) < size:
        org = pool.other(rng, rng.choice(places), paper)
        if org is None:
            break
        paper.orgs.append(org)
    rng.shuffle(paper.orgs)
