"""Free-text affiliation strings -> organisation part and country.

The strings are written for these tests in the shapes the Scopus, IEEE Xplore
and OpenAlex exports use (comma parts, country last, postcodes, state codes,
e-mail tails); the expected organisation is the part a reader would name.
"""
from __future__ import annotations

import pytest

from loader.formats.affiliations import (affiliation_orgs, counted_country, parse_affiliation,
                                         split_list)
from loader.records import AUTHOR, Org


@pytest.mark.parametrize("text, org, country", [
    # Department first, university second, city, country last.
    ("Dept. of Comput. Sci., Tsinghua Univ., Beijing, China", "Tsinghua Univ.", "CN"),
    ("School of Electronic Engineering, Xidian University, Xi'an 710071, China",
     "Xidian University", "CN"),
    # University first: the later department does not win.
    ("Peking University, School of Physics, Beijing, China", "Peking University", "CN"),
    # A key laboratory is a unit of the university after it.
    ("State Key Laboratory of ASIC and System, Fudan University, Shanghai 201203, China",
     "Fudan University", "CN"),
    # An institute of the Academy keeps both names, as the institution table lists them.
    ("Institute of Automation, Chinese Academy of Sciences, Beijing 100190, China",
     "Institute of Automation, Chinese Academy of Sciences", "CN"),
    # US addresses: country, state code, state with ZIP, state name only.
    ("Department of EECS, Purdue University, West Lafayette, IN 47907, USA",
     "Purdue University", "US"),
    # A state university keeps its campus; an acronym after it is not one.
    ("Dept. of Electr. Eng., Univ. of California, Los Angeles, Los Angeles, CA, USA",
     "Univ. of California, Los Angeles", "US"),
    ("University of Michigan, Ann Arbor, MI 48109, USA", "University of Michigan, Ann Arbor", "US"),
    ("University of Tennessee, ICL, Knoxville, TN, USA", "University of Tennessee", "US"),
    # A single-campus state university: the city after it is only the address.
    ("Dept. of Mathematics, University of Florida, Gainesville, FL, USA", "University of Florida", "US"),
    ("Intel Labs, Hillsboro, OR", "Intel Labs", "US"),
    ("Google, Inc., Mountain View, CA", "Google, Inc.", "US"),
    ("Sandia National Laboratories, Albuquerque, New Mexico 87185",
     "Sandia National Laboratories", "US"),
    ("Oak Grove Research, Knoxville, Tennessee", "Oak Grove Research", "US"),
    ("Food Safety Office, Silver Spring, MD 20993-0002 USA", "Food Safety Office", "US"),
    ("Microsoft Research, Redmond, WA, United States of America", "Microsoft Research", "US"),
    # Georgia the country, and Georgia the state beside a ZIP code.
    ("Ilia State University, Tbilisi, Georgia", "Ilia State University", "GE"),
    ("Emory University, Atlanta, Georgia 30322", "Emory University", "US"),
    # Postcodes after the country, e-mail addresses, trailing full stops.
    ("Department of Physics, Nanjing University, Nanjing, China, 210093", "Nanjing University", "CN"),
    ("Faculty of Science, Kyoto University, Kyoto, Japan. email: someone@example.jp",
     "Kyoto University", "JP"),
    ("College of Computer Science, Zhejiang University, Hangzhou, China (e-mail: x@zju.edu.cn)",
     "Zhejiang University", "CN"),
    ("Samsung Electronics Co., Ltd., Suwon, South Korea", "Samsung Electronics Co., Ltd.", "KR"),
    # Hong Kong and Macau count as China by default; Taiwan is Taiwan.
    ("Department of Computing, Hong Kong Polytechnic University, Hung Hom, Hong Kong",
     "Hong Kong Polytechnic University", "CN"),
    ("Dept. of Electrical Engineering, National Tsing Hua University, Hsinchu, Taiwan",
     "National Tsing Hua University", "TW"),
    # No country part at all.
    ("NVIDIA", "NVIDIA", None),
    ("Univ. of Texas, Austin", "Univ. of Texas, Austin", None),
    ("Dept. of Computer Science, Rice University", "Rice University", None),
])
def test_parse_affiliation(text, org, country):
    affiliation = parse_affiliation(text)
    assert (affiliation.org, affiliation.country) == (org, country)
    assert affiliation.raw == text


@pytest.mark.parametrize("text, default, split", [
    ("City University of Hong Kong, Kowloon, Hong Kong", "CN", "HK"),
    ("Clear Water Labs, Hong Kong, China", "CN", "HK"),
    ("University of Macau, Taipa, Macau", "CN", "MO"),
    ("Sun Yat-sen University, Guangzhou, China", "CN", "CN"),
])
def test_hong_kong_and_macau_split_only_when_asked(text, default, split):
    assert parse_affiliation(text).country == default
    assert parse_affiliation(text, split_hk_macau=True).country == split


def test_counted_country():
    assert counted_country("HK") == "CN"
    assert counted_country("MO", split_hk_macau=True) == "MO"
    assert counted_country("TW") == "TW"
    assert counted_country("") is None and counted_country(None) is None


def test_split_list_drops_blanks_and_na():
    assert split_list("A Univ, China; NA;  ; B Inst, USA") == ["A Univ, China", "B Inst, USA"]
    assert split_list("x|y||z", "|") == ["x", "y", "z"]
    assert split_list(None) == []


def test_affiliation_orgs_one_org_per_organisation():
    # Two departments of one university on one paper: one Org, counted once.
    orgs, countries = affiliation_orgs([
        "Dept. of Physics, Wuhan University, Wuhan, China",
        "School of Chemistry, Wuhan University, Wuhan, China",
        "Department of Chemistry, Purdue University, West Lafayette, IN 47907, USA",
        "Chief Scientist Office",
    ])
    assert orgs == [Org("Wuhan University", "CN", AUTHOR), Org("Purdue University", "US", AUTHOR),
                    Org("Chief Scientist Office", None, AUTHOR)]
    assert countries == {"CN", "US"}
