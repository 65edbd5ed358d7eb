"""The reference tally on tiny hand-worked record sets (the arithmetic is in the comments)."""
from __future__ import annotations

import math

import pytest

from loader.normalise.institutions import InstitutionTable
from loader.records import APPLICANT, PAPER, PATENT, Org, Record
from loader.tally import closeness_table, institution_shares


def paper(uid: str, year: int, countries: set[str], *orgs: tuple[str, str]) -> Record:
    return Record(kind=PAPER, uid=uid, source="wos", year=year, countries=set(countries),
                  orgs=[Org(name, country) for name, country in orgs])


def test_closeness_counts_international_records_once_each():
    records = [
        paper("W1", 2019, {"CN", "US"}),
        paper("W1", 2019, {"CN", "US"}),         # the same UT read from a second file
        paper("W2", 2019, {"CN", "DE"}),
        paper("W3", 2019, {"US", "GB", "FR"}),
        paper("W4", 2019, {"CN"}),               # domestic: not international, counts for nobody
        paper("W5", 2019, {"CN", "US", "JP"}),
        paper("W6", 2020, {"US", "CA"}),
        Record(kind=PATENT, uid="P1", source="generic", year=2019, countries={"CN", "US"}),
    ]
    rows = closeness_table(records, "CN", "US", PAPER)
    # 2019: N_CN,US = {W1, W5} = 2; N_CN = {W1, W2, W5} = 3; N_US = {W1, W3, W5} = 3
    #       closeness = 2 / sqrt(3 * 3) = 0.6667; share_CN = share_US = 2/3.
    # 2020: only W6: N_US = 1, N_CN = 0 -> closeness and share_CN undefined, share_US = 0/1.
    assert rows == [
        {"year": 2019, "n_ab": 2, "n_a": 3, "n_b": 3, "closeness": pytest.approx(2 / 3),
         "share_a": pytest.approx(2 / 3), "share_b": pytest.approx(2 / 3)},
        {"year": 2020, "n_ab": 0, "n_a": 0, "n_b": 1, "closeness": None,
         "share_a": None, "share_b": 0.0},
    ]


def test_closeness_keeps_to_the_kind_and_the_years_asked_for():
    records = [
        paper("W1", 2018, {"CN", "US"}),
        paper("W2", 2019, {"CN", "US"}),
        paper("W3", 2019, {"CN", "KR"}),
        paper("W4", 2020, {"CN", "US"}),
        paper("W5", None, {"CN", "US"}),         # no year: loaded, but in no year's count
    ]
    rows = closeness_table(records, "CN", "US", PAPER, year_from=2019, year_to=2019)
    # Only 2019: N_CN,US = 1 (W2), N_CN = 2 (W2, W3), N_US = 1 -> 1/sqrt(2) = 0.7071, share_CN 0.5.
    assert [(r["year"], r["n_ab"], r["n_a"], r["n_b"]) for r in rows] == [(2019, 1, 2, 1)]
    assert rows[0]["closeness"] == pytest.approx(1 / math.sqrt(2))
    assert rows[0]["share_a"] == pytest.approx(0.5)
    assert closeness_table(records, "CN", "US", PATENT) == []


def test_patent_family_rows_count_as_one_invention_in_the_earliest_year():
    def row(uid, year, countries):
        return Record(kind=PATENT, uid=uid, source="generic", year=year, countries=set(countries),
                      orgs=[Org("Huawei", "CN", APPLICANT)])
    records = [
        row("FAM:1", 2016, {"US"}),              # US publication, filed 2016, US inventor listed
        row("FAM:1", 2015, {"CN"}),              # CN publication, filed 2015, CN inventor listed
        row("FAM:2", 2015, {"CN", "DE"}),
        row("FAM:3", 2015, {"US", "JP"}),
        row("APP:CN1", 2015, {"CN"}),
    ]
    rows = closeness_table(records, "CN", "US", PATENT)
    # FAM:1 merged = {CN, US} in 2015 (each row alone would be domestic).
    # 2015: N_CN,US = 1; N_CN = {FAM:1, FAM:2} = 2; N_US = {FAM:1, FAM:3} = 2
    #       -> closeness 1/sqrt(4) = 0.5.  No row for 2016: the family moved to 2015.
    assert [(r["year"], r["n_ab"], r["n_a"], r["n_b"], r["closeness"]) for r in rows] == [
        (2015, 1, 2, 2, 0.5)]


@pytest.fixture(scope="module")
def table() -> InstitutionTable:
    return InstitutionTable.load()


def institution_records() -> list[Record]:
    return [
        # C3-style names: two CAS institutes and a UC campus.
        paper("W1", 2019, {"CN", "US"}, ("Institute of Computing Technology, CAS", "CN"),
              ("University of Chinese Academy of Sciences, CAS", "CN"),
              ("University of California Berkeley", "US")),
        # C1-style: the academy itself and a German university.
        paper("W2", 2019, {"CN", "DE"}, ("Chinese Acad Sci", "CN"), ("Tech Univ Munich", "DE")),
        # Domestic: counts for nobody.
        paper("W3", 2019, {"CN"}, ("Institute of Computing Technology, CAS", "CN")),
        paper("W4", 2019, {"US", "CN", "JP"}, ("Univ Calif Los Angeles", "US"),
              ("Tsinghua Univ", "CN"), ("Univ Tokyo", "JP")),
        paper("W5", 2019, {"US", "GB"}, ("Univ Calif Berkeley", "US"), ("Univ Cambridge", "GB")),
        # Another year.
        paper("W6", 2020, {"CN", "US"}, ("Institute of Computing Technology, CAS", "CN"),
              ("University of California Berkeley", "US")),
    ]


def shares(rows: list[dict]) -> dict[str, tuple[int, int]]:
    return {row["institution"]: (row["n_ab"], row["n_intl"]) for row in rows}


def test_institution_shares_roll_children_up_to_their_parents(table):
    rows = institution_shares(institution_records(), "CN", "US", 2019, table, rollup=True)
    got = shares(rows)
    # CAS: W1 (two institutes, once) and W2 -> n_intl 2, of which CN-US 1 (W1): 1/2.
    assert got["Chinese Academy of Sciences"] == (1, 2)
    # UC System: W1 (Berkeley), W4 (UCLA), W5 (Berkeley) -> 3, CN-US: W1, W4 -> 2/3.
    assert got["University of California System"] == (2, 3)
    assert got["University of California Berkeley"] == (1, 2)      # W1, W5
    assert got["University of California Los Angeles"] == (1, 1)   # W4
    assert got["Institute of Computing Technology, CAS"] == (1, 1)  # W1 only: W3 is domestic
    assert got["Tsinghua University"] == (1, 1)
    uc = next(row for row in rows if row["institution"] == "University of California System")
    assert uc["country"] == "US" and uc["share"] == pytest.approx(2 / 3)
    # Sorted by CN-US count, then international count: UC (2, 3) leads.
    assert rows[0]["institution"] == "University of California System"


def test_without_rollup_each_name_counts_alone(table):
    got = shares(institution_shares(institution_records(), "CN", "US", 2019, table, rollup=False))
    # Only W2 names the academy itself (C1 "Chinese Acad Sci"): 0 CN-US of 1.
    assert got["Chinese Academy of Sciences"] == (0, 1)
    # No record names the UC System itself.
    assert "University of California System" not in got
    assert got["University of California Berkeley"] == (1, 2)


def test_institution_shares_skip_other_kinds_and_years(table):
    patent = Record(kind=PATENT, uid="FAM:1", source="generic", year=2019, countries={"CN", "US"},
                    orgs=[Org("Tsinghua University", "CN", APPLICANT)])
    records = [patent] + institution_records()[5:]
    assert institution_shares(records, "CN", "US", 2019, table, rollup=True) == []       # the patent is not a paper; W6 is of 2020
