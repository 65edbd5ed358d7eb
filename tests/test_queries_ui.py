"""The explorer's saved queries on a small graph worked out by hand (real embedded FalkorDB).

Five papers (Web of Science plain text) and two patent inventions (generic patent CSV):

  P1 2020  Tsinghua (CN) + CAS with its Institute of Computing Technology (CN)
           + UC Berkeley with the UC System (US)            FPGA   DOI 10.99999/demo.1 (demo prefix)
  P2 2020  Tsinghua (CN) + MIT (US)                          GPU
  P3 2021  CAS with its Institute of Automation (CN) + UC Berkeley / UC System (US)   FPGA, no DOI
  P4 2021  Tsinghua (CN) + University of Tokyo (JP)          ASIC
  P5 2021  Tsinghua + Peking University (both CN: domestic)  VLSI
  F1 2019  one family written as two rows (CN 2019, US 2020): inventors CN, US; applicants Huawei (CN), Intel (US)
  F2 2020  inventors US, JP; applicant Intel (US)

With roll-up the institutes count for CAS and Berkeley for the UC System, so per institution:
Tsinghua {P1, P2, P4, P5} = 4, CAS {P1, P3} = 2, UC System {P1, P3} = 2, MIT, Tokyo, Peking 1 each.
"""
from __future__ import annotations

import math

import pytest

from cypher import runner
from loader.pipeline import load_paths

HEADER = "FN Clarivate Analytics Web of Science\nVR 1.0\n"


def wos_record(ut: str, year: int, title: str, c1: list[str], c3: list[str], doi: str | None = None) -> str:
    lines = ["PT J", "AU Author, A", f"TI {title}", "SO TEST JOURNAL", "DT Article",
             "C1 " + "\n   ".join(c1), "C3 " + "; ".join(c3),
             "WC Computer Science, Hardware & Architecture", f"PY {year}"]
    if doi:
        lines.append(f"DI {doi}")
    return "\n".join(lines + [f"UT WOS:{ut}", "ER", ""]) + "\n"


TSINGHUA = "[A] Tsinghua Univ, Dept Comp Sci, Beijing 100084, Peoples R China."
ICT = "[A] Chinese Acad Sci, Inst Comp Technol, Beijing 100190, Peoples R China."
IA = "[A] Chinese Acad Sci, Inst Automat, Beijing 100190, Peoples R China."
BERKELEY = "[A] Univ Calif Berkeley, Dept EECS, Berkeley, CA 94720 USA."
MIT = "[A] MIT, CSAIL, Cambridge, MA 02139 USA."
TOKYO = "[A] Univ Tokyo, Dept Elect Engn, Tokyo 1138656, Japan."
PEKING = "[A] Peking Univ, Sch Comp Sci, Beijing 100871, Peoples R China."
UC = ["University of California System", "University of California Berkeley"]

PAPERS = HEADER + "\n".join([
    wos_record("000000000000101", 2020, "An FPGA accelerator for sparse networks", [TSINGHUA, ICT, BERKELEY],
               ["Tsinghua University", "Chinese Academy of Sciences", "Institute of Computing Technology, CAS", *UC],
               doi="10.99999/demo.1"),
    wos_record("000000000000102", 2020, "GPU scheduling for deep learning", [TSINGHUA, MIT],
               ["Tsinghua University", "Massachusetts Institute of Technology (MIT)"], doi="10.1109/test.102"),
    wos_record("000000000000103", 2021, "FPGA placement with reinforcement learning", [IA, BERKELEY],
               ["Chinese Academy of Sciences", "Institute of Automation, CAS", *UC]),
    wos_record("000000000000104", 2021, "An ASIC for sparse inference", [TSINGHUA, TOKYO],
               ["Tsinghua University", "University of Tokyo"], doi="10.1109/test.104"),
    wos_record("000000000000105", 2021, "A VLSI architecture for on-chip learning", [TSINGHUA, PEKING],
               ["Tsinghua University", "Peking University"], doi="10.1109/test.105"),
]) + "EF\n"

PATENTS = """family_id,application_number,office,year,title,applicants,applicant_countries,inventors,inventor_countries
FAM1,CN201910000001.1,CN,2019,Neural network processor on an FPGA,Huawei Technologies Co. Ltd.|Intel Corporation,CN|US,Li Wei|John Smith,CN|US
FAM1,US16/000001,US,2020,Neural network processor on an FPGA,Intel Corporation,US,John Smith,US
FAM2,US16/000002,US,2020,GPU memory scheduling,Intel Corporation,US,Jane Doe|Taro Sato,US|JP
"""


@pytest.fixture(scope="module")
def small(falkor_session, tmp_path_factory):
    folder = tmp_path_factory.mktemp("ui-queries")
    papers, patents = folder / "papers.txt", folder / "patents.csv"
    papers.write_text(PAPERS, encoding="utf-8")
    patents.write_text(PATENTS, encoding="utf-8")
    falkor_session.clear()
    falkor_session.apply_schema()
    summary = load_paths(falkor_session, [papers, patents])
    assert summary.ok, [f.error for f in summary.files]
    assert [f.new for f in summary.files] == [5, 2]
    yield falkor_session
    falkor_session.clear()


def rows(graph, name, **params):
    return runner.run(graph, name, params).rows


def network(graph, name, **params):
    """{name: records} for nodes and {(name, name): shared records} for links (names sorted)."""
    nodes, links = {}, {}
    for row in rows(graph, name, **params):
        if row["source"] == row["target"]:
            nodes[row["source_name"]] = row["weight"]
        else:
            links[tuple(sorted((row["source_name"], row["target_name"])))] = row["weight"]
    return nodes, links


TS, CAS, UCS = "Tsinghua University", "Chinese Academy of Sciences", "University of California System"


def test_institution_network_rolls_up_and_counts_shared_records(small):
    nodes, links = network(small, "network_institutions")
    assert nodes == {TS: 4, CAS: 2, UCS: 2, "Massachusetts Institute of Technology (MIT)": 1,
                     "University of Tokyo": 1, "Peking University": 1}
    # P1 joins Tsinghua, CAS and UC; P3 joins CAS and UC again.
    assert links == {(CAS, TS): 1, (TS, UCS): 1, (CAS, UCS): 2,
                     ("Massachusetts Institute of Technology (MIT)", TS): 1,
                     (TS, "University of Tokyo"): 1, ("Peking University", TS): 1}
    # Each link once, in uid order.
    assert all(r["source"] <= r["target"] for r in rows(small, "network_institutions"))


def test_institution_network_filters(small):
    # Without roll-up the institutes are nodes of their own (ICT on P1 only).
    nodes, links = network(small, "network_institutions", rollup=False)
    assert nodes["Institute of Computing Technology, CAS"] == 1 and nodes[CAS] == 2
    assert links[(CAS, "Institute of Computing Technology, CAS")] == 1
    # Top 2 by records: Tsinghua (4), then CAS and UC tie at 2 and the name decides.
    assert network(small, "network_institutions", limit=2) == ({TS: 4, CAS: 2}, {(CAS, TS): 1})
    # Links need at least 2 shared records: only CAS–UC (P1, P3); every node stays.
    nodes, links = network(small, "network_institutions", min_weight=2)
    assert links == {(CAS, UCS): 2} and len(nodes) == 6
    # FPGA: P1 and P3.
    assert network(small, "network_institutions", branch="FPGA") == (
        {CAS: 2, UCS: 2, TS: 1}, {(CAS, UCS): 2, (CAS, TS): 1, (TS, UCS): 1})
    # US institutions only: they never share a record.
    assert network(small, "network_institutions", countries=["US"]) == (
        {UCS: 2, "Massachusetts Institute of Technology (MIT)": 1}, {})
    # 2021 onwards: P3, P4, P5.
    nodes, _ = network(small, "network_institutions", **{"from": 2021})
    assert nodes == {TS: 2, CAS: 1, UCS: 1, "University of Tokyo": 1, "Peking University": 1}


def test_ego_network_by_english_or_chinese_name(small):
    # Tsinghua's records P1, P2, P4, P5: every partner once, plus CAS–UC on P1.
    nodes, links = network(small, "network_institutions", institution=TS)
    assert nodes == {TS: 4, CAS: 1, UCS: 1, "Massachusetts Institute of Technology (MIT)": 1,
                     "University of Tokyo": 1, "Peking University": 1}
    assert links[(CAS, UCS)] == 1 and links[(CAS, TS)] == 1 and len(links) == 6
    # 中国科学院 with roll-up: CAS and both institutes, so P1 and P3.
    assert network(small, "network_institutions", institution="中国科学院") == (
        {CAS: 2, UCS: 2, TS: 1}, {(CAS, UCS): 2, (CAS, TS): 1, (TS, UCS): 1})
    # One institute: only its own record, P1 (and it is drawn as CAS, rolled up).
    nodes, _ = network(small, "network_institutions", institution="Institute of Computing Technology, CAS")
    assert nodes == {CAS: 1, TS: 1, UCS: 1}
    assert network(small, "network_institutions", institution="No Such University") == ({}, {})


def test_country_network(small):
    # Papers: CN on all five, US on P1-P3, JP on P4.
    assert network(small, "network_countries") == (
        {"China": 5, "United States": 3, "Japan": 1}, {("China", "United States"): 3, ("China", "Japan"): 1})
    assert network(small, "network_countries", min_weight=2, limit=2) == (
        {"China": 5, "United States": 3}, {("China", "United States"): 3})
    assert network(small, "network_countries", branch="FPGA") == (
        {"China": 2, "United States": 2}, {("China", "United States"): 2})
    # Patents by inventors: F1 (CN, US; its two rows are one invention) and F2 (US, JP).
    assert network(small, "network_countries", kind="patent") == (
        {"United States": 2, "China": 1, "Japan": 1},
        {("China", "United States"): 1, ("Japan", "United States"): 1})
    # By applicants: F1 has Huawei (CN) and Intel (US), F2 only Intel.
    assert network(small, "network_countries", kind="patent", role="applicant") == (
        {"United States": 2, "China": 1}, {("China", "United States"): 1})
    codes = {r["source"] for r in rows(small, "network_countries")}
    assert codes == {"CN", "US", "JP"}


def test_institution_series(small):
    # Tsinghua: 2020 P1, P2 both CN-US; 2021 P4 (CN-JP) is international, P5 domestic is not.
    series = rows(small, "institution_series", institution=TS, a="CN", b="US")
    assert [(r["year"], r["n_ab"], r["n_intl"]) for r in series] == [(2020, 2, 2), (2021, 0, 1)]
    assert series[0]["share"] == pytest.approx(1.0) and series[1]["share"] == pytest.approx(0.0)
    with_japan = rows(small, "institution_series", institution="清华大学", a="CN", b="JP")
    assert [(r["year"], r["n_ab"], r["n_intl"]) for r in with_japan] == [(2020, 0, 2), (2021, 1, 1)]
    # One year here is the same count as institution_shares for that year.
    shares = rows(small, "institution_shares", a="CN", b="US", year=2020, names=[TS])
    assert (shares[0]["n_ab"], shares[0]["n_intl"]) == (series[0]["n_ab"], series[0]["n_intl"])
    # An institute without roll-up: ICT is on P1 only.
    ict = rows(small, "institution_series", institution="Institute of Computing Technology, CAS",
               a="CN", b="US", rollup=False)
    assert [(r["year"], r["n_ab"], r["n_intl"]) for r in ict] == [(2020, 1, 1)]


def test_link_records_match_the_partners_counts(small):
    behind_us = rows(small, "link_records", institution=TS, partner_country="US")
    assert [r["uid"] for r in behind_us] == ["WOS:000000000000101", "WOS:000000000000102"]
    assert behind_us[0] == {"title": "An FPGA accelerator for sparse networks", "year": 2020, "source": "wos",
                            "uid": "WOS:000000000000101", "doi": "10.99999/demo.1", "total": 2}
    partners = {(r["level"], r["partner"]): r["records"] for r in rows(small, "partners", institution=TS)}
    assert partners[("country", "United States")] == len(behind_us) == 2
    # A partner institution, by the rolled-up name or by a campus of it: P1 only.
    assert [r["uid"] for r in rows(small, "link_records", institution=TS, partner=UCS)] == ["WOS:000000000000101"]
    assert [r["uid"] for r in rows(small, "link_records", institution=TS,
                                   partner="University of California Berkeley")] == ["WOS:000000000000101"]
    assert [r["uid"] for r in rows(small, "link_records", institution=TS, partner_country="JP")] == \
        ["WOS:000000000000104"]
    # CAS with its institutes: P3 (2021) before P1 (2020).
    assert [r["uid"] for r in rows(small, "link_records", institution=CAS, partner_country="US")] == \
        ["WOS:000000000000103", "WOS:000000000000101"]
    patents = rows(small, "link_records", institution="Intel Corporation", kind="patent", partner_country="JP")
    assert [(r["year"], r["doi"]) for r in patents] == [(2020, None)]


def test_institution_search(small):
    found = rows(small, "institution_search", q="tsinghua")
    assert [(r["name"], r["name_zh"], r["country"], r["records"]) for r in found] == \
        [(TS, "清华大学", "CN", 4)]
    assert [r["name"] for r in rows(small, "institution_search", q="清华")] == [TS]
    # The UC System (direct on P1 and P3, one campus) and Berkeley (its campus).
    calif = {r["name"]: r for r in rows(small, "institution_search", q="CALIF")}
    assert set(calif) == {UCS, "University of California Berkeley"}
    assert (calif[UCS]["children"], calif[UCS]["parent"], calif[UCS]["records"]) == (1, None, 2)
    assert calif["University of California Berkeley"]["parent"] == UCS
    assert rows(small, "institution_search", q="no such place") == []


def test_data_summary(small):
    summary = {(r["kind"], r["source"], r["year"]): (r["records"], r["demo"]) for r in rows(small, "data_summary")}
    # 2020: P1 (demo DOI) and P2; 2021: P3, P4, P5; patents: F1 in 2019 (its earlier row), F2 in 2020.
    assert summary == {("paper", "wos", 2020): (2, 1), ("paper", "wos", 2021): (3, 0),
                       ("patent", "generic", 2019): (1, 0), ("patent", "generic", 2020): (1, 0)}


def test_closeness_on_the_same_graph_agrees(small):
    # The trend page's query, as a cross-check of the country network: 2020 CN–US = P1, P2.
    rows_2020 = {r["year"]: r for r in rows(small, "closeness", a="CN", b="US")}[2020]
    assert (rows_2020["n_ab"], rows_2020["n_a"], rows_2020["n_b"]) == (2, 2, 2)
    assert rows_2020["closeness"] == pytest.approx(2 / math.sqrt(2 * 2))
