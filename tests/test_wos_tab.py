"""Web of Science tab-delimited parser: inline rows, then the real files in ../shared."""
from __future__ import annotations

import codecs
import io
from dataclasses import replace

import pytest

from loader.formats import read_records, wos_plain, wos_tab
from loader.records import ExportError, Org, Record, Skip
from tests.test_wos_plain import real

TAGS = ["PT", "AU", "TI", "DT", "C1", "C3", "RP", "PY", "DI", "UT"]
HEADER = "\t".join(TAGS) + "\n"


def row(**cells: str) -> str:
    return "\t".join(cells.get(tag, "") for tag in TAGS)


def parse(text: str, **options) -> list[Record | Skip]:
    return list(wos_tab.parse(io.StringIO(text), "inline.txt", **options))


def test_row_maps_to_the_record():
    text = HEADER + row(
        PT="J", AU="Li, X; Wang, J", TI="Sino-American chip design", DT="Article",
        # "; " separates the authors inside a bracket and the addresses outside them
        C1="[Li, Xin; Wang, Jun] Univ Calif Los Angeles, Dept Chem, Los Angeles, CA 90095 USA; "
           "[Wang, Jun] Chinese Acad Sci, Inst Chem, Beijing 100190, Peoples R China",
        C3="University of California System; University of California Los Angeles; "
           "Chinese Academy of Sciences",
        PY="2019", DI="10.1000/ABC", UT="WOS:000361432300021") + "\n"
    [record] = parse(text)
    assert (record.uid, record.line, record.year, record.doi) == ("WOS:000361432300021", 2, 2019,
                                                                  "10.1000/abc")
    assert record.countries == {"US", "CN"}
    assert record.orgs == [Org("University of California System", "US"),
                           Org("University of California Los Angeles", "US"),
                           Org("Chinese Academy of Sciences", "CN")]


def test_addresses_without_author_brackets_split_on_semicolons():
    [record] = parse(HEADER + row(C1="UNIV TRONDHEIM,INST THEORET PHYS,N-7034 TRONDHEIM,NORWAY; "
                                     "ABA,TAX SECT,CHICAGO,IL 60611", UT="WOS:1") + "\n")
    assert record.orgs == [Org("UNIV TRONDHEIM", "NO"), Org("ABA", "US")]


def test_trailing_extra_tab_is_tolerated_and_a_short_row_is_skipped():
    text = (HEADER
            + row(UT="WOS:1", PY="2001") + "\t\n"            # one more (empty) field: fine
            + row(UT="WOS:2", PY="2002").rsplit("\t", 2)[0] + "\n"   # two fields short
            + "\n"                                           # blank lines are not rows
            + row(UT="WOS:3", PY="2003") + "\n")
    items = parse(text)
    assert [(type(i).__name__, i.line) for i in items] == [("Record", 2), ("Skip", 3), ("Record", 5)]
    assert items[1].reason.startswith("row has 8 columns but the header has 10")


def test_header_with_trailing_tab():
    [record] = parse(HEADER.replace("\n", "\t\n") + row(UT="WOS:1") + "\t\n")
    assert record.uid == "WOS:1"


@pytest.mark.parametrize("text, problem", [
    ("", "no UT column in the header row"),
    ("PT\tAU\tTI\nJ\tLi, X\tA title\n", "no UT column in the header row"),
    (HEADER, "no Web of Science records found"),
    (HEADER + "\n\n", "no Web of Science records found"),
])
def test_files_that_cannot_be_read(text, problem):
    with pytest.raises(ExportError, match=problem):
        parse(text)


@pytest.mark.parametrize("head, expected", [
    ("PT\tAU\tBA\tBE\tGP\tAF\tBF\tCA\tTI\tUT\n", True),
    ("\ufeffPT\tAU\tTI\tUT\t\nJ\t", True),
    ("PT\tAU\tTI\n", False),                                   # no UT
    ("PT J\nAU Wodarz, S\nUT WOS:1\n", False),                 # plain text
    ("Authors\tTitle\tUT\n", False),                           # not two-letter tags
    ("", False),
])
def test_detect(head, expected):
    assert wos_tab.detect(head) is expected


def test_parse_streams_rows():
    lines = iter((HEADER + row(UT="WOS:1") + "\n" + row(UT="WOS:2") + "\n").splitlines(True))
    records = wos_tab.parse(lines, "stream.txt")
    assert next(records).uid == "WOS:1"
    assert next(lines) == row(UT="WOS:2") + "\n"      # the second row was not read yet


# --- the real exports --------------------------------------------------------------------------
@pytest.mark.parametrize("name, count", [
    # PROVENANCE.md "records" column
    ("scientopy-wos_2026_04_02_1000.txt", 1000),
    ("scientopy-wos_2026_04_02_2000.txt", 1000),
    ("scientopy-wos_2026_04_02_3000.txt", 1000),
    ("wosfile-wos_tab_delimited_win_utf8.txt", 50),
])
def test_real_file_record_count(name, count):
    items = list(read_records(real("wos-tab", name)))
    assert len(items) == count
    assert all(isinstance(i, Record) for i in items)


def by_line(name: str, line: int, **options) -> Record:
    return next(r for r in read_records(real("wos-tab", name), **options) if r.line == line)


def test_real_row_with_c3():
    # scientopy-wos_2026_04_02_1000.txt, line 905: UT WOS:000660680400001, PY 2021, DT Review.
    # C1: [Pau; Arena] Kore Univ Enna, ..., Italy; [Gebremariam; You] Soonchunhyang Univ, ...,
    # South Korea; [You] Soonchunhyang Univ, ..., South Korea.
    # C3: Universita Kore di ENNA; Soonchunhyang University; Soonchunhyang University.
    record = by_line("scientopy-wos_2026_04_02_1000.txt", 905)
    assert (record.uid, record.year, record.doc_type, record.doi) == (
        "WOS:000660680400001", 2021, "Review", "10.3390/s21113589")
    assert record.countries == {"IT", "KR"}
    assert record.orgs == [Org("Universita Kore di ENNA", "IT"), Org("Soonchunhyang University", "KR")]


def test_real_hong_kong_row():
    # Same file, line 62: UT WOS:000841840300034, PY 2022.
    # C1: [Ng] Hong Kong Univ Sci & Technol, ..., Hong Kong, Peoples R China;
    #     [She] Hamad Bin Khalifa Univ, ..., Ar Rayyan, Qatar.
    # C3: Hong Kong University of Science & Technology; Qatar Foundation (QF); Hamad Bin Khalifa
    # University-Qatar.  "Qatar Foundation" matches neither address and the two addresses are in
    # different countries, so its country stays unresolved.
    default = by_line("scientopy-wos_2026_04_02_1000.txt", 62)
    split = by_line("scientopy-wos_2026_04_02_1000.txt", 62, split_hk_macau=True)
    assert (default.uid, default.year) == ("WOS:000841840300034", 2022)
    assert default.countries == {"CN", "QA"}
    assert split.countries == {"HK", "QA"}
    assert default.orgs == [Org("Hong Kong University of Science & Technology", "CN"),
                            Org("Qatar Foundation (QF)", None),
                            Org("Hamad Bin Khalifa University-Qatar", "QA")]
    assert split.orgs[0] == Org("Hong Kong University of Science & Technology", "HK")


def comparable(records):
    return [replace(r, file="", line=0) for r in records]


def test_plain_and_tab_exports_of_the_same_records_agree():
    # wosfile ships the same 50 records as plain text and as a tab-delimited file.
    plain = list(read_records(real("wos", "wosfile-wos_plaintext.txt")))
    tab = list(read_records(real("wos-tab", "wosfile-wos_tab_delimited_win_utf8.txt")))
    assert len(plain) == len(tab) == 50
    assert comparable(tab) == comparable(plain)
    assert sum(bool(r.orgs) for r in tab) == 50 and sum("US" in r.countries for r in tab) == 23


@pytest.mark.parametrize("encode", [
    lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),           # Windows UTF-16 export
    lambda text: codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode("utf-8"),   # CRLF
], ids=["utf16le-bom", "crlf"])
def test_real_file_re_encoded(tmp_path, encode):
    source = real("wos-tab", "wosfile-wos_tab_delimited_win_utf8.txt")
    copy = tmp_path / "savedrecs.txt"
    copy.write_bytes(encode(source.read_bytes().decode("utf-8-sig")))
    assert comparable(read_records(copy)) == comparable(read_records(source))


def test_tab_file_is_not_plain_text():
    head = real("wos-tab", "wosfile-wos_tab_delimited_win_utf8.txt").read_bytes()[:4096]
    text = head.decode("utf-8-sig", errors="ignore")
    assert wos_tab.detect(text) and not wos_plain.detect(text)
