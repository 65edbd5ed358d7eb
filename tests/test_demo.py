"""The calibrated demo dataset, read back through the project's parsers and tallied in plain Python.

The expected numbers come from ../shared/study/series.csv and institutions.csv at test time;
none is copied here.  The graph-side check of the same numbers is tests/test_study.py.
"""
from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from loader.demo import write_demo
from loader.formats import PARSERS, read_records
from loader.normalise.branches import BranchTagger
from loader.normalise.institutions import InstitutionTable
from loader.records import PAPER, PATENT, Record, Skip
from loader.tally import closeness_table, institution_shares

STUDY = Path(__file__).resolve().parents[2] / "shared" / "study"


def study(name: str) -> list[dict]:
    path = STUDY / name
    if not path.exists():
        pytest.skip("../shared/study is absent (the study's series are not part of the repo)")
    with open(path, encoding="utf-8") as fp:
        return list(csv.DictReader(fp))


def read(files: list[Path], **options) -> list[Record]:
    records = []
    for path in files:
        if path.suffix == ".csv" and "patent-csv" not in dict(PARSERS):
            pytest.skip("loader.formats does not register patent-csv yet")
        for item in read_records(path, **options):
            assert not isinstance(item, Skip), item
            records.append(item)
    return records


def wos_files(files: list[Path]) -> list[Path]:
    return [f for f in files if f.name.startswith("wos-")]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> list[Path]:
    return write_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def papers(demo) -> list[Record]:
    return read(wos_files(demo))


@pytest.fixture(scope="module")
def patents(demo) -> list[Record]:
    return read([f for f in demo if f.suffix == ".csv"])


@pytest.fixture(scope="module")
def table() -> InstitutionTable:
    return InstitutionTable.load()


def check_series(records: list[Record], kind: str) -> None:
    expected = [row for row in study("series.csv") if row["kind"] == kind]
    got = {row["year"]: row for row in closeness_table(records, "CN", "US", kind)}
    assert sorted(got) == [int(row["year"]) for row in expected]
    for want in expected:
        row = got[int(want["year"])]
        assert (row["n_ab"], row["n_a"], row["n_b"]) == (
            int(want["n_cn_us"]), int(want["n_cn"]), int(want["n_us"])), want
        # The CSV gives ratios to four decimals.
        assert (round(row["closeness"], 4), round(row["share_a"], 4), round(row["share_b"], 4)) == (
            float(want["closeness"]), float(want["share_cn"]), float(want["share_us"])), want


def test_paper_series_match_the_study(papers):
    check_series(papers, PAPER)


def test_patent_series_match_the_study(patents):
    check_series(patents, PATENT)


def test_institution_counts_match_the_study(papers, table):
    expected = study("institutions.csv")
    for year in sorted({int(row["year"]) for row in expected}):
        got = {row["institution"]: row for row in
               institution_shares(papers, "CN", "US", year, table, rollup=True)}
        for want in (row for row in expected if int(row["year"]) == year):
            row = got[want["institution"]]
            assert (row["n_ab"], row["n_intl"], round(row["share"], 4)) == (
                int(want["n_cn_us"]), int(want["n_intl"]), float(want["share"])), want
            assert row["country"] == want["country"]


def paper_years() -> list[int]:
    return [int(row["year"]) for row in study("series.csv") if row["kind"] == PAPER]


def cumulative(papers: list[Record], table: InstitutionTable, rollup: bool) -> Counter:
    """China–US papers per institution over all the study's years (2007-2022)."""
    totals: Counter = Counter()
    for year in paper_years():
        for row in institution_shares(papers, "CN", "US", year, table, rollup=rollup):
            totals[row["institution"]] += row["n_ab"]
    return totals


@pytest.fixture(scope="module")
def rolled_up(papers, table) -> Counter:
    return cumulative(papers, table, rollup=True)


def test_the_studys_ten_are_the_top_ten_and_the_rest_stay_well_below(rolled_up):
    ten = {row["institution"] for row in study("institutions.csv")}
    ranked = rolled_up.most_common()
    assert {name for name, _ in ranked[:10]} == ten
    # "Clearly below": the eleventh (a campus, an institute or any other organisation)
    # has at most 80% of the tenth's cumulative China–US papers.
    assert ranked[10][1] <= 0.8 * ranked[9][1], ranked[:12]


def test_rollup_changes_the_counts_of_cas_and_uc(papers, table, rolled_up):
    alone = cumulative(papers, table, rollup=False)
    for name in ("Chinese Academy of Sciences", "University of California System"):
        assert alone[name] < rolled_up[name], name


def test_a_paper_with_two_children_of_one_institution_counts_once_for_it(papers, table):
    # Find papers naming two CAS institutes (C3 names): roll-up must count each once.
    cas = "Chinese Academy of Sciences"
    twice = [p for p in papers if len({o.name for o in p.orgs
                                       if table.resolve(o.name, o.country).parent == cas}) >= 2
             and len(p.countries) >= 2]
    assert twice, "the demo should hold papers with two CAS institutes"
    year = twice[0].year
    row = next(r for r in institution_shares(twice, "CN", "US", year, table, rollup=True)
               if r["institution"] == cas)
    assert row["n_intl"] == sum(1 for p in twice if p.year == year)


def test_hong_kong_counted_apart_changes_no_china_or_us_count(demo):
    # Hong Kong only ever sits beside a mainland address, so the study's numbers hold
    # whether Hong Kong counts as China (the default) or on its own.
    check_series(read(wos_files(demo), split_hk_macau=True), PAPER)


def test_domestic_and_third_country_papers_are_there_and_do_not_count(papers):
    by_year = defaultdict(Counter)
    for paper in papers:
        countries = paper.countries
        key = ("CN only" if countries == {"CN"} else "US only" if countries == {"US"} else
               "third" if countries and not countries & {"CN", "US"} else "other")
        by_year[paper.year][key] += 1
    for year in paper_years():
        assert by_year[year]["CN only"] >= 3 and by_year[year]["US only"] >= 3, year
        assert by_year[year]["third"] >= 5, year
    assert any("TW" in p.countries for p in papers)       # Taiwan is its own country


def test_the_demo_is_broad_enough(papers):
    countries = set().union(*(p.countries for p in papers))
    organisations = {org.name for p in papers for org in p.orgs}
    assert len(countries) >= 40, sorted(countries)
    assert len(organisations) >= 150
    sizes = Counter(len({org.name for org in p.orgs}) for p in papers)
    assert min(sizes) >= 1 and max(sizes) >= 6


def test_every_paper_title_names_an_ai_chip_branch(papers):
    tagger = BranchTagger.load()
    untagged = [p.title for p in papers if not tagger.tag(p.title, [], "", p.subjects)]
    assert untagged == []


def test_patent_families_written_as_two_rows_merge(demo, patents):
    families = Counter(p.uid for p in patents)
    assert sum(1 for n in families.values() if n == 2) >= 30
    # Some families' later row is filed a year later, without a priority date:
    # only merging (earliest year) puts them in the right year.
    years = defaultdict(set)
    for record in patents:
        years[record.uid].add(record.year)
    assert any(len(y) == 2 for y in years.values())


def test_same_seed_same_bytes_other_seed_other_files_same_totals(demo, tmp_path):
    write_demo(tmp_path / "again")
    written = sorted(demo[0].parent.iterdir())
    assert [f.name for f in sorted((tmp_path / "again").iterdir())] == [f.name for f in written]
    for first in written:
        assert first.read_bytes() == (tmp_path / "again" / first.name).read_bytes(), first.name
    # Another seed into the same folder: other records, and no piece of the first run left.
    other = write_demo(tmp_path / "again", seed=7)
    assert wos_files(other)[0].read_bytes() != wos_files(demo)[0].read_bytes()
    assert sorted((tmp_path / "again").glob("wos-*")) == sorted(wos_files(other))
    # The totals do not depend on the seed.
    check_series(read(wos_files(other)), PAPER)


def test_files_look_like_real_exports_and_say_they_are_demo_data(demo):
    for path in wos_files(demo):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("\ufeffFN Clarivate Analytics Web of Science\nVR 1.0\nPT ")
        assert text.endswith("ER\n\nEF\n")
        assert 1 <= text.count("\nER\n") <= 1000
    assert all(f.name != "README.txt" for f in demo)     # the returned files are the exports
    readme = (demo[0].parent / "README.txt").read_text(encoding="utf-8")
    assert readme.startswith("CALIBRATED DEMO DATA")
    assert "not real Web of Science or incoPat records" in readme
    assert "docs/demo-data.md" in readme
