"""Institution resolution: the data tables hold together, and real spellings
from real exports land on the institution a person reading them would pick.

Expected names below were worked out by reading each record by hand and
looking the institution up in loader/data/institutions.csv, not by running
the resolver."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from loader.normalise.institutions import (
    ALIASES_CSV,
    INSTITUTIONS_CSV,
    InstitutionDataError,
    InstitutionTable,
    fold,
)
from tests.conftest import real_file


@pytest.fixture(scope="module")
def table() -> InstitutionTable:
    return InstitutionTable.load()


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fp:
        return list(csv.DictReader(fp))


# -- data integrity ---------------------------------------------------------

STUDY_TEN = {
    "Tsinghua University": "清华大学",
    "Chinese Academy of Sciences": "中国科学院",
    "Shanghai Jiao Tong University": "上海交通大学",
    "Peking University": "北京大学",
    "Fudan University": "复旦大学",
    "Zhejiang University": "浙江大学",
    "University of California System": "加州大学",
    "University of Texas System": "得克萨斯大学",
    "State University of New York (SUNY) System": "纽约州立大学",
    "United States Department of Energy (DOE)": "美国能源部下属国家实验室",
}


def test_the_study_ten_exist_with_their_chinese_names_and_no_parent():
    rows = {r["name"]: r for r in read_rows(INSTITUTIONS_CSV)}
    for name, name_zh in STUDY_TEN.items():
        assert rows[name]["name_zh"] == name_zh
        assert rows[name]["parent"] == ""   # they are the roll-up targets


def test_every_alias_points_at_a_canonical_name():
    names = {r["name"] for r in read_rows(INSTITUTIONS_CSV)}
    bad = [(r["alias"], r["name"]) for r in read_rows(ALIASES_CSV) if r["name"] not in names]
    assert bad == []


def test_every_parent_exists_in_the_same_country_without_cycles():
    rows = {r["name"]: r for r in read_rows(INSTITUTIONS_CSV)}
    for name, row in rows.items():
        seen = {name}
        parent = row["parent"]
        while parent:
            assert parent in rows, f"{name}: parent {parent} missing"
            assert rows[parent]["country"] == row["country"], name
            assert parent not in seen, f"cycle through {name}"
            seen.add(parent)
            parent = rows[parent]["parent"]


def test_the_hierarchy_has_the_children_the_study_rolls_up():
    rows = read_rows(INSTITUTIONS_CSV)
    children = {}
    for r in rows:
        children.setdefault(r["parent"], []).append(r["name"])
    assert len(children["Chinese Academy of Sciences"]) >= 15
    assert len(children["University of California System"]) == 10
    assert len(children["University of Texas System"]) >= 8
    assert len(children["State University of New York (SUNY) System"]) >= 8
    assert len(children["United States Department of Energy (DOE)"]) == 17


def test_ror_ids_are_well_formed_and_unique():
    rors = [r["ror"] for r in read_rows(INSTITUTIONS_CSV) if r["ror"]]
    assert all(re.fullmatch(r"https://ror\.org/0[a-z0-9]{8}", ror) for ror in rors)
    assert len(rors) == len(set(rors))


def test_ror_ids_agree_with_the_real_gold_affiliations():
    # Each listed id must appear in the ROR gold sets (the only source used).
    import json
    gold_ids = set()
    for name in ("ror-api-dataset_affiliations_crossref_2024_02_19.json",
                 "ror-api-dataset_affiliations_springer_2023_10_31.json"):
        with open(real_file("ror/" + name), encoding="utf-8") as fp:
            for entry in json.load(fp):
                gold_ids.update(entry["ror_ids"])
    missing = [r["name"] for r in read_rows(INSTITUTIONS_CSV) if r["ror"] and r["ror"] not in gold_ids]
    assert missing == []


def test_canonical_rows_and_lineage_give_the_roll_up(table):
    rows = {r["name"]: r for r in table.canonical_rows()}
    assert len(rows) == len(read_rows(INSTITUTIONS_CSV))
    assert rows["Lawrence Berkeley National Laboratory"]["parent"] == "United States Department of Energy (DOE)"
    assert table.parent_of("University of California Berkeley") == "University of California System"
    assert table.parent_of("Tsinghua University") is None
    assert table.parent_of("No Such Place") is None
    assert table.lineage("Institute of Computing Technology, CAS") == [
        "Institute of Computing Technology, CAS", "Chinese Academy of Sciences"]


# -- resolve() and resolve_affiliation() -------------------------------------

SPELLINGS = [
    # WoS C1 abbreviations
    ("Tsinghua Univ", "CN", "Tsinghua University"),
    ("Chinese Acad Sci", "CN", "Chinese Academy of Sciences"),
    ("Univ Chinese Acad Sci", "CN", "University of Chinese Academy of Sciences, CAS"),
    ("Univ Calif Los Angeles", "US", "University of California Los Angeles"),
    ("Univ Texas Dallas", "US", "University of Texas Dallas"),
    ("SUNY Stony Brook", "US", "Stony Brook University"),
    ("Stony Brook Univ", "US", "Stony Brook University"),
    ("Pacific NW Natl Lab", "US", "Pacific Northwest National Laboratory"),
    ("Fermilab", "US", "Fermi National Accelerator Laboratory"),
    ("Thomas Jefferson Natl Accelerator Facil", "US", "Thomas Jefferson National Accelerator Facility"),
    ("Univ Calif Lawrence Livermore Natl Lab", "US", "Lawrence Livermore National Laboratory"),
    # punctuation, case and spacing folded
    ("Univ. Calif. Berkeley", "US", "University of California Berkeley"),
    ("univ  calif  berkeley.", "US", "University of California Berkeley"),
    ("Tsinghua Univ.", "CN", "Tsinghua University"),
    # WoS C3 full names, the "X, CAS" unit form, an unlisted CAS unit
    ("Institute of Computing Technology, CAS", None, "Institute of Computing Technology, CAS"),
    ("University at Buffalo, SUNY", None, "University at Buffalo, SUNY"),
    ("Institute of Atmospheric Physics, CAS", None, "Chinese Academy of Sciences"),
    # Chinese names; an unlisted CAS institute falls back to CAS itself
    ("清华大学", "CN", "Tsinghua University"),
    ("中国科学院计算技术研究所", "CN", "Institute of Computing Technology, CAS"),
    ("中国科学院化学研究所", "CN", "Chinese Academy of Sciences"),
    ("加州大学伯克利分校", "US", "University of California Berkeley"),
    ("浙江大学", None, "Zhejiang University"),
    # patent applicants
    ("TSINGHUA UNIVERSITY", "CN", "Tsinghua University"),
    ("INTEL CORPORATION", "US", "Intel Corporation"),
    ("Intel Corp", "US", "Intel Corporation"),
    ("华为技术有限公司", "CN", "Huawei Technologies"),
    ("HUAWEI TECHNOLOGIES CO., LTD.", "CN", "Huawei Technologies"),
    # a company's lab abroad still counts for the company
    ("Intel Corp", "CN", "Intel Corporation"),
    # Hong Kong counts as China
    ("Chinese Univ Hong Kong", "HK", "Chinese University of Hong Kong"),
]

FREE_TEXT = [
    ("Department of Computer Science, Tsinghua University, Beijing, China", "CN", "Tsinghua University"),
    ("Dept. of EE, Univ. of California, Los Angeles, CA, USA", "US", "University of California Los Angeles"),
    # the institute, not its academy, not the laboratory
    ("State Key Lab of Computer Architecture, Institute of Computing Technology, "
     "Chinese Academy of Sciences, Beijing 100190, China", "CN", "Institute of Computing Technology, CAS"),
    ("清华大学 计算机科学与技术系，北京", "CN", "Tsinghua University"),
    ("Chinese Acad Sci, Inst Semicond, Beijing 100083, Peoples R China", "CN", "Institute of Semiconductors, CAS"),
]


@pytest.mark.parametrize("method, raw, country, expected",
                         [("resolve", *case) for case in SPELLINGS]
                         + [("resolve_affiliation", *case) for case in FREE_TEXT])
def test_known_spellings(table, method, raw, country, expected):
    got = getattr(table, method)(raw, country)
    assert got.matched and got.name == expected and got.raw == raw


def test_resolved_carries_the_canonical_row(table):
    got = table.resolve("Chinese Univ Hong Kong", "HK")
    assert (got.country, got.parent, got.name_zh) == ("CN", None, "香港中文大学")
    ict = table.resolve("中国科学院计算技术研究所", None)
    assert (ict.country, ict.parent) == ("CN", "Chinese Academy of Sciences")


@pytest.mark.parametrize("raw, country, expected", [
    # Same abbreviation, two countries: each resolves at home ...
    ("Northeastern Univ", "CN", "Northeastern University - China"),
    ("Northeastern Univ", "US", "Northeastern University"),
])
def test_country_decides_between_namesakes(table, raw, country, expected):
    assert table.resolve(raw, country).name == expected


@pytest.mark.parametrize("raw, country, shown", [
    ("Northeastern Univ", None, "Northeastern Univ"),      # ... and without a country it is left alone
    ("Thomas Jefferson Univ", "US", "Thomas Jefferson Univ"),  # not the Jefferson Lab
    ("Washington Univ", "US", "Washington Univ"),           # St. Louis, not Univ Washington
    ("Univ Idaho", "US", "Univ Idaho"),                     # not Idaho Natl Lab
    ("Tsinghua Univ", "US", "Tsinghua Univ"),               # a CN-only alias in a US address
    ("Hogwarts  School.", "US", "Hogwarts School"),         # tidied, not expanded
    ("Swiss Fed Inst Technol", "CH", "Swiss Fed Inst Technol"),  # ETH or EPFL: unknowable
])
def test_unmatched_names_are_kept_tidied(table, raw, country, shown):
    got = table.resolve(raw, country)
    assert not got.matched
    assert (got.name, got.country, got.parent) == (shown, country, None)


def test_fold_treats_spelling_variants_alike():
    assert fold("Univ. Calif. Berkeley") == fold("Univ Calif Berkeley")
    assert fold("Oak Ridge Natl Lab") == fold("Oak Ridge National Laboratory")
    assert fold("University of Science and Technology of China") == fold(
        "University of Science & Technology of China")
    assert fold("托马斯·杰斐逊") == fold("托马斯 杰斐逊") == "托马斯杰斐逊"


def test_unmatched_affiliation_reports_the_organisation_part(table):
    got = table.resolve_affiliation("School of Magic, Hogwarts University, Highlands, Scotland", "GB")
    assert not got.matched and got.name == "Hogwarts University"
    got = table.resolve_affiliation("Dept of Potions, Hogsmeade", "GB")
    assert not got.matched and got.name == "Dept of Potions, Hogsmeade"


# -- real exports -------------------------------------------------------------

def wos_record(path: Path, ut: str) -> dict[str, list[str]]:
    """The C1 addresses and C3 names of one WoS plain-text record (streamed)."""
    fields: dict[str, list[str]] = {}
    tag = None
    found = False
    with open(path, encoding="utf-8-sig") as fp:
        for line in fp:
            line = line.rstrip("\n")
            if line.startswith("ER"):
                if found:
                    break
                fields, tag = {}, None
                continue
            if line.startswith("   ") and tag:
                fields[tag].append(line[3:])
            elif len(line) > 2 and line[2] == " ":
                tag = line[:2]
                fields[tag] = [line[3:]]
                found = found or (tag == "UT" and line[3:] == ut)
    assert found, f"{ut} not in {path.name}"
    addresses = [re.sub(r"^\[[^\]]*\]\s*", "", a) for a in fields.get("C1", [])]
    c3 = [n.strip() for n in " ".join(fields.get("C3", [])).split(";") if n.strip()]
    return {"C1": addresses, "C3": c3}


# (file, UT, [(country of each C1 address, expected canonical name or None)], [C3 expectations])
WOS_CASES = [
    ("wos/WOSAnalysis-main.txt", "WOS:001499562500002",
     [("CN", "Harbin Institute of Technology"), ("CN", "Tsinghua University"), ("US", None),
      ("US", "University at Albany, SUNY"), ("CH", None), ("CN", "Chinese Academy of Sciences"),
      ("CN", "University of Chinese Academy of Sciences, CAS")],
     ["Harbin Institute of Technology", "Tsinghua University", "State University of New York (SUNY) System",
      "University at Albany, SUNY", "Chinese Academy of Sciences", "Chinese Academy of Sciences",
      "Chinese Academy of Sciences", "University of Chinese Academy of Sciences, CAS"]),
    ("wos/WOSAnalysis-main.txt", "WOS:001036000300004",
     # "Northwest Univ" (Xi'an) must not become Northwestern University (Evanston)
     [("US", "Northwestern University"), ("US", "Northwestern University"), ("CN", None), ("RU", None),
      ("US", "Argonne National Laboratory"), ("US", None)],
     ["Northwestern University", "Northwestern University", None, None, None, None,
      "United States Department of Energy (DOE)", "Argonne National Laboratory", None]),
    ("wos/WOSAnalysis-main.txt", "WOS:000344132400060",
     [("US", "Texas A&M University System"), ("CN", None), ("CN", None)],
     ["Texas A&M University System", "Texas A&M University College Station", None]),
]


@pytest.mark.parametrize("relative, ut, c1_expected, c3_expected", WOS_CASES)
def test_real_wos_addresses_and_organisation_names(table, relative, ut, c1_expected, c3_expected):
    record = wos_record(real_file(relative), ut)
    assert len(record["C1"]) == len(c1_expected)
    for address, (country, expected) in zip(record["C1"], c1_expected):
        got = table.resolve(address.split(",")[0], country)   # the C1 institution part
        assert (got.name if got.matched else None) == expected, address
    assert len(record["C3"]) == len(c3_expected)
    for name, expected in zip(record["C3"], c3_expected):
        got = table.resolve(name, None)
        assert (got.name if got.matched else None) == expected, name


def test_real_wos_c1_with_a_cas_institute(table):
    # "Chinese Acad Sci, Inst Automat, ..." names the Institute of Automation.
    record = wos_record(real_file("wos/WOSAnalysis-savedrecs-04d47ef.txt"), "WOS:000641975800073")
    got = [table.resolve_affiliation(a, None) for a in record["C1"]]
    assert got[1].name == "Institute of Automation, CAS"
    assert got[2].name == "University of Chinese Academy of Sciences, CAS"
    assert got[3].name == "Tsinghua University"
    assert got[5].name == "Carnegie Mellon University"
    assert not got[0].matched and got[0].name == "Univ Bath"


def csv_affiliations(path: Path, doi_column: str, doi: str, column: str) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as fp:
        for row in csv.DictReader(fp):
            if row[doi_column].strip() == doi:
                return [a.strip() for a in row[column].split(";")]
    raise AssertionError(f"{doi} not in {path.name}")


# (file, DOI, [(country, expected or None) for each affiliation in order])
AFFILIATION_CASES = [
    ("ieee/litstudy-ieee_1.csv", "10.1109/CGO.2019.8661188", "Author Affiliations",
     [("US", "Stony Brook University"), ("US", "Brookhaven National Laboratory"), ("US", "Stony Brook University")]),
    ("ieee/litstudy-ieee_1.csv", "10.1109/WACCPD.2014.8", "Author Affiliations",
     [("US", "University of Houston"), ("US", None), ("US", None), ("US", "University of Houston"),
      ("US", "University of Houston")]),
    ("ieee/litstudy-ieee_1.csv", "10.1109/ICCAD.2011.6105306", "Author Affiliations",
     [("US", None), ("US", "Advanced Micro Devices (AMD)")]),
    ("ieee/litstudy-ieee_1.csv", "10.1109/IPDPSW50202.2020.00117", "Author Affiliations",
     [("US", "Georgia Institute of Technology")] * 3),
    ("scopus/litstudy-scopus.csv", "10.1002/jcc.20289", "Affiliations",
     [("US", "University of Illinois Urbana-Champaign"), ("FR", None),
      ("US", "University of Illinois Urbana-Champaign")]),
    ("scopus/litstudy-scopus.csv", "10.1016/j.biosystems.2020.104332", "Affiliations",
     [("CN", "Zhejiang University")] * 3 + [("JP", "University of Tokyo"), ("JP", None), ("JP", "University of Tokyo")]),
    ("scopus/litstudy-scopus.csv", "10.1186/1752-0509-5-69", "Affiliations",
     [("GB", "Imperial College London")] * 3 + [("US", "Massachusetts Institute of Technology (MIT)")]),
    ("scopus/tethne-scopus.csv", "10.1016/j.ecolind.2015.06.017", "Affiliations",
     [("CN", "Chinese Academy of Sciences"), ("CN", "Chinese Academy of Sciences"), ("CN", None), ("CN", None)]),
    ("scopus/tethne-scopus.csv", "10.1016/j.copbio.2015.09.003", "Affiliations",
     [("US", "University of California Davis")] * 2),
]


@pytest.mark.parametrize("relative, doi, column, expected", AFFILIATION_CASES)
def test_real_free_text_affiliations(table, relative, doi, column, expected):
    affiliations = csv_affiliations(real_file(relative), "DOI", doi, column)
    assert len(affiliations) == len(expected)
    for text, (country, name) in zip(affiliations, expected):
        got = table.resolve_affiliation(text, country)
        assert (got.name if got.matched else None) == name, text


# -- suggestions and user alias files ---------------------------------------

def test_suggest_offers_close_names_but_resolve_does_not_use_them(table):
    assert table.suggest("Tsinghua Univeristy", "CN")[0][0] == "Tsinghua University"
    assert not table.resolve("Tsinghua Univeristy", "CN").matched
    # blocked by country: a US spelling is not offered for a Chinese address
    assert all(name != "University of California Berkeley"
               for name, _ in table.suggest("Univ Calif Berkley", "CN"))
    assert table.suggest("Univ Calif Berkley", "US")[0][0] == "University of California Berkeley"
    assert table.suggest("Completely Unrelated Name", "US") == []


def test_user_alias_files_add_and_override(tmp_path):
    extra = tmp_path / "aliases.csv"
    extra.write_text("alias,country,name\n"
                     "Tsinghua Univ Shenzhen Grad Sch,CN,Tsinghua University\n"
                     "Univ Texas,US,University of Texas Austin\n", encoding="utf-8")
    table = InstitutionTable.load([extra])
    assert table.resolve("Tsinghua Univ Shenzhen Grad Sch", "CN").name == "Tsinghua University"
    assert table.resolve("Univ Texas", "US").name == "University of Texas Austin"
    assert InstitutionTable.load().resolve("Univ Texas", "US").name == "University of Texas System"


def test_user_alias_to_an_unknown_institution_names_file_and_line(tmp_path):
    extra = tmp_path / "aliases.csv"
    extra.write_text("alias,country,name\nTHU,CN,Tsinghua Universty\n", encoding="utf-8")
    with pytest.raises(InstitutionDataError) as caught:
        InstitutionTable.load([extra])
    message = str(caught.value)
    assert "aliases.csv line 2" in message and "Tsinghua Universty" in message
    assert "Tsinghua University" in message   # the hint suggests the right spelling


def test_alias_file_with_a_wrong_header_is_refused(tmp_path):
    extra = tmp_path / "aliases.csv"
    extra.write_text("spelling,name\nTHU,Tsinghua University\n", encoding="utf-8")
    with pytest.raises(InstitutionDataError, match="line 1: missing column"):
        InstitutionTable.load([extra])
