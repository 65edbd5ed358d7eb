"""Country names, codes and Web of Science addresses -> ISO 3166-1 alpha-2.

The address strings are typed in from the real exports in ../shared/data/real
(wos/ and wos-tab/); the expected codes are the countries those addresses name.
"""
import pytest

from loader.normalise.countries import (country_code, country_name, country_name_zh,
                                        wos_address_country)


@pytest.mark.parametrize("text, code", [
    # Web of Science spellings
    ("Peoples R China", "CN"),
    ("PEOPLES R CHINA", "CN"),
    ("USA", "US"),
    ("U Arab Emirates", "AE"),
    ("South Korea", "KR"),
    ("Korea", "KR"),
    ("England", "GB"),
    ("Scotland", "GB"),
    ("Wales", "GB"),
    ("North Ireland", "GB"),
    ("Northern Ireland", "GB"),
    ("Taiwan", "TW"),
    ("Russia", "RU"),
    ("Iran", "IR"),
    ("Viet Nam", "VN"),
    ("Vietnam", "VN"),
    ("Czech Republic", "CZ"),
    ("Turkiye", "TR"),
    ("Turkey", "TR"),
    ("Byelarus", "BY"),
    ("Fed Rep Ger", "DE"),
    ("Rep of Georgia", "GE"),
    ("Cote Ivoire", "CI"),
    ("Papua N Guinea", "PG"),
    ("PAPUA N GUINEA", "PG"),
    ("Trinid & Tobago", "TT"),
    ("Trinidad Tobago", "TT"),
    ("Bosnia & Herceg", "BA"),
    ("Dominican Rep", "DO"),
    ("Cent Afr Republ", "CF"),
    ("Dem Rep Congo", "CD"),
    ("DEM REP CONGO", "CD"),
    ("North Macedonia", "MK"),
    ("Brunei", "BN"),
    ("Laos", "LA"),
    ("Serbia Monteneg", "CS"),   # ISO's code for Serbia and Montenegro (2003-2006)
    ("USSR", "SU"),              # a former state keeps its own code
    ("Ger Dem Rep", "DD"),
    ("NORWAY.", "NO"),       # the final full stop of a C1 line
    # English names pycountry knows
    ("Germany", "DE"),
    ("United States", "US"),
    ("Netherlands", "NL"),
    ("Saudi Arabia", "SA"),
    # Chinese names (patent tables)
    ("中国", "CN"),
    ("美国", "US"),
    ("日本", "JP"),
    ("韩国", "KR"),
    ("英国", "GB"),
    ("德国", "DE"),
    ("法国", "FR"),
    ("中国台湾", "TW"),       # the study does not count Taiwan as China
    ("台湾", "TW"),
    # ISO codes
    ("CN", "CN"),
    ("us", "US"),
    ("DEU", "DE"),
    ("CHN", "CN"),
])
def test_country_code(text, code):
    assert country_code(text) == code


@pytest.mark.parametrize("text", [
    "欧洲专利局", "世界知识产权组织", "EP", "WO", "EPO", "European Patent Office", "International",
    "", "   ", "156",        # a bare number is a postcode, not ISO numeric 156
    "Atlantis", "DOI 10.1119/1.1972585",
])
def test_not_a_country(text):
    assert country_code(text) is None


@pytest.mark.parametrize("text, split", [
    ("中国香港", "HK"), ("香港", "HK"), ("Hong Kong", "HK"), ("HONG KONG", "HK"),
    ("中国澳门", "MO"), ("Macau", "MO"), ("Macao", "MO"),
])
def test_hong_kong_and_macau_names_fold_into_china_unless_split(text, split):
    # Web of Science writes Hong Kong addresses as "..., Peoples R China"; every source
    # must count them the same way, so the names fold into CN unless asked not to.
    assert country_code(text) == "CN"
    assert country_code(text, split_hk_macau=True) == split


@pytest.mark.parametrize("address, code", [
    # modern C1, country after the last comma
    ("Capital Med Univ, Dept Radiol & Nucl Med, Xuanwu Hosp, Beijing 100053, Peoples R China.", "CN"),
    ("Soonchunhyang Univ, Dept Informat Secur Engn, Asan 31538, South Korea", "KR"),
    ("Natl Chiao Tung Univ, Dept Photon, Dept Comp Sci, Hsinchu, Taiwan.", "TW"),
    ("Khalifa Univ Sci & Technol, Dept Elect & Comp Engn, Res & Technol, Abu Dhabi, U Arab Emirates.",
     "AE"),
    ("Istanbul Yeni Yuzyil Univ, Engn Fac, Dept Biomed Engn, TR-34010 Istanbul, Turkiye.", "TR"),
    ("Univ Ulster, Fac Comp & Engn, Sch Comp & Intelligent Syst, Intelligent Syst Res Ctr, "
     "Derry BT48 7JL, North Ireland.", "GB"),
    ("Heriot Watt Univ, Edinburgh, Midlothian, Scotland.", "GB"),
    ("Univ South Wales, Ctr Elect Prod Engn, Elect & Elect Engn Dept, Pontypridd, M Glam, Wales", "GB"),
    ("Int Burch Univ, Splitska 53, Sarajevo, Bosnia & Herceg.", "BA"),
    ("Univ West Indies, Fac Engn, Dept Elect & Comp Engn, St Augustine, Trinidad Tobago.", "TT"),
    # US: state + ZIP + USA, state + USA, and old exports with "USA" as its own part
    ("Univ Missouri, Dept Elect Engn & Comp Sci, Columbia, MO 65211 USA.", "US"),
    ("UCSF, Global Brain Hlth Inst, San Francisco, CA USA.", "US"),
    ("COOPERS & LYBRAND,NATL TAX CONSULTING GRP,WASHINGTON,DC, USA.", "US"),
    # old US addresses with state and ZIP but no USA at all
    ("ABA,TAX SECT,EXEMPT ORG COMM,CHICAGO,IL 60611.", "US"),
    ("OREGON HLTH SCI UNIV,OREGON HEARING RES CTR,PORTLAND,OR 97201.", "US"),
    # old exports without spaces after commas
    ("UNIV TRONDHEIM,INST THEORET PHYS,N-7034 TRONDHEIM,NORWAY.", "NO"),
    ("PAPUA NEW GUINEA INST MED RES,GOROKA,PAPUA N GUINEA.", "PG"),
    # a cited reference that ran into C1 in the corrupted metaknowledge file: no country
    ("Abraham M., 1909, RC CIRC MAT PALERMO, V28, P1", None),
])
def test_wos_address_country(address, code):
    assert wos_address_country(address) == code


@pytest.mark.parametrize("address, default, split", [
    ("Hong Kong Univ Sci & Technol, Dept Elect & Comp Engn, Hong Kong, Peoples R China", "CN", "HK"),
    ("Hong Kong Polytech Univ, Dept Bldg & Real Estate, Hong Kong 999077, Peoples R China", "CN", "HK"),
    ("City Univ Hong Kong, Dept Mat Sci & Engn, Kowloon Tong, Tat Chee Ave, Hong Kong, "
     "Peoples R China.", "CN", "HK"),
    ("Univ Macau, State Key Lab Analog & Mixed Signal VLSI, Macau 999078, Peoples R China", "CN", "MO"),
    ("Macau Univ Sci & Technol, Fac Informat Technol, Macau, Peoples R China", "CN", "MO"),
    # Taipa is in Macau; the address names no "Macau" after the organisation
    ("Univ Macau, Fac Sci & Technol, Dept Elect & Elect Engn, Taipa, Peoples R China", "CN", "MO"),
    # CUHK's Shenzhen campus is on the mainland: "Hong Kong" only in the organisation's name
    ("Chinese Univ Hong Kong, Shenzhen Res Inst Big Data, Sch Data Sci, Shenzhen, Guangdong, "
     "Peoples R China", "CN", "CN"),
    # before 1997 Hong Kong was its own country part
    ("CHINESE UNIV HONG KONG,DEPT PHYS,SHATIN,HONG KONG.", "CN", "HK"),
    ("Tsinghua Univ, Dept Comp Sci, Beijing 100084, Peoples R China.", "CN", "CN"),
    ("Natl Taipei Univ Technol, Dept Elect Engn, Taipei 106, Taiwan.", "TW", "TW"),
])
def test_hong_kong_and_macau(address, default, split):
    assert wos_address_country(address) == default
    assert wos_address_country(address, split_hk_macau=True) == split


@pytest.mark.parametrize("code, name, name_zh", [
    ("CN", "China", "中国"),
    ("US", "United States", "美国"),
    ("GB", "United Kingdom", "英国"),
    ("TW", "Taiwan", "中国台湾"),
    ("HK", "Hong Kong", "中国香港"),
    ("KR", "South Korea", "韩国"),
    ("RU", "Russia", "俄罗斯"),
    ("IR", "Iran", "伊朗"),
    ("DE", "Germany", "德国"),
    ("JP", "Japan", "日本"),
    ("CD", "DR Congo", "刚果（金）"),     # pycountry: "Congo, The Democratic Republic of the"
    ("SU", "Soviet Union", "苏联"),
    # not in the table: pycountry's common name, and no Chinese name
    ("BO", "Bolivia", None),
    ("FJ", "Fiji", None),
    ("XX", "XX", None),                  # an unknown code still names its node
])
def test_country_names(code, name, name_zh):
    assert country_name(code) == name
    assert country_name_zh(code) == name_zh


@pytest.mark.parametrize("code", ["CN", "US", "GB", "TW", "HK", "MO", "KR", "KP", "RU", "VN", "CZ",
                                  "TR", "CD", "CG", "PS", "VA", "IR", "BO", "SY"])
def test_display_names_read_back_as_their_code(code):
    # A Country node's name must map back to its code when an export spells it that way.
    assert country_code(country_name(code), split_hk_macau=True) == code
    if country_name_zh(code):
        assert country_code(country_name_zh(code), split_hk_macau=True) == code
