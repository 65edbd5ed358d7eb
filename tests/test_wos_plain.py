"""Web of Science plain-text parser: inline exports, then the real files in ../shared."""
from __future__ import annotations

import io
import types
from dataclasses import replace
from pathlib import Path

import pytest

from loader.formats import read_records, wos_plain
from loader.records import ExportError, Org, Record, Skip
from tests.conftest import real_file as real


def parse(text: str, **options) -> list[Record | Skip]:
    return list(wos_plain.parse(io.StringIO(text), "inline.txt", **options))


HEADER = "FN Clarivate Analytics Web of Science\nVR 1.0\n"
# A short record in the modern layout.  The C1 author brackets hold commas and
# semicolons, TI and C3 run on over continuation lines, and C3 breaks inside a name.
RECORD = """\
PT J
AU Li, X
   Wang, J
AF Li, Xin
   Wang, Jun
TI Sino-American chip design: a study
   of co-authored papers
SO JOURNAL OF TESTS
DT Article; Proceedings Paper
DE chip design; collaboration; scientometrics;
   Salton index
ID NETWORKS; SCIENCE
AB First sentence
   and second sentence.
C1 [Li, Xin] Univ Calif Los Angeles, Dept Chem, Los Angeles, CA 90095 USA.
   [Wang, Jun; Li, Xin] Chinese Acad Sci, Inst Chem, Beijing 100190, Peoples R China.
C3 University of California System; University of California Los
   Angeles; Chinese Academy of Sciences
RP Li, X (corresponding author), Univ Calif Los Angeles, Dept Chem, Los Angeles, CA 90095 USA.
PY 2019
DI 10.1000/ABC.123
WC Chemistry, Multidisciplinary; Computer Science, Hardware & Architecture
SC Chemistry; Computer Science
UT WOS:000361432300021
ER
"""


def test_fields_map_to_the_record():
    [record] = parse(HEADER + RECORD + "\nEF\n")
    # Expected values read off RECORD above.
    assert record.kind == "paper" and record.source == "wos"
    assert record.uid == "WOS:000361432300021"
    assert record.line == 3                                 # the PT line, after FN and VR
    assert record.file == "inline.txt"
    assert record.year == 2019
    assert record.title == "Sino-American chip design: a study of co-authored papers"
    assert record.doi == "10.1000/abc.123"
    assert record.doc_type == "Article"                     # the first of "Article; Proceedings Paper"
    assert record.keywords == ["chip design", "collaboration", "scientometrics", "Salton index",
                               "NETWORKS", "SCIENCE"]
    assert record.abstract == "First sentence and second sentence."
    assert record.subjects == ["Chemistry, Multidisciplinary",
                               "Computer Science, Hardware & Architecture", "Chemistry",
                               "Computer Science"]
    assert record.countries == {"US", "CN"}
    # C3 names matched to C1 abbreviations: "Univ Calif Los Angeles" gives both UC names,
    # "Chinese Acad Sci" gives the academy.
    assert record.orgs == [Org("University of California System", "US"),
                           Org("University of California Los Angeles", "US"),
                           Org("Chinese Academy of Sciences", "CN")]


@pytest.mark.parametrize("header, pt_line", [
    ("FN Clarivate Analytics Web of Science\nVR 1.0\n", 3),
    ("\ufeffFN Clarivate Analytics Web of Science\nVR 1.0\n", 3),
    ("FN Thomson Reuters Web of Science™\nVR 1.0\n", 3),
    ("FN Thomson Reuters Web of Knowledge\nVR 1.0\n", 3),
    ("FN ISI Export Format VR 1.0 \n", 2),              # FN and VR on one line
    ("", 1),                                            # no header: the file starts at PT J
    ("FN Clarivate Analytics Web of Science\nVR 1.0\n\n\n", 5),
])
@pytest.mark.parametrize("end", ["\nEF\n", "\nEF", "\n", ""])
def test_header_variants_and_optional_ef(header, pt_line, end):
    assert wos_plain.detect(header + RECORD)
    [record] = parse(header + RECORD + end)
    assert (record.uid, record.line) == ("WOS:000361432300021", pt_line)


def test_crlf_lines_read_the_same():
    [plain] = parse(HEADER + RECORD)
    [crlf] = parse((HEADER + RECORD).replace("\n", "\r\n"))
    assert crlf == plain


@pytest.mark.parametrize("head, expected", [
    ("FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\n", True),
    ("PT J\nAU Wodarz, S\n", True),
    ("\n\nFN Thomson Reuters Web of Science™\n", True),
    ("PT\tAU\tBA\tBE\tGP\tAF\tUT\n", False),              # tab-delimited header
    ('"Authors","Author full names","Title"\n', False),   # Scopus CSV
    ("TY  - JOUR\n", False),                              # RIS
    ("", False),
])
def test_detect(head, expected):
    assert wos_plain.detect(head) is expected


@pytest.mark.parametrize("ut, uid", [
    ("WOS:000361432300021", "WOS:000361432300021"),
    (" wos:000361432300021 ", "WOS:000361432300021"),
    ("ISI:000071234500012", "WOS:000071234500012"),       # old ISI exports
    ("000071234500012", "WOS:000071234500012"),           # a bare accession number
    ("ISI:A1974S801100007", "WOS:A1974S801100007"),
])
def test_uid(ut, uid):
    [record] = parse(f"PT J\nTI T\nUT {ut}\nER\n")
    assert record.uid == uid


@pytest.mark.parametrize("fields, year", [
    ("PY 2021\nEY 2020\nEA DEC 2020\n", 2021),
    ("EY 2020\nEA DEC 2020\n", 2020),        # early access: no PY yet
    ("EA JAN 2021\n", 2021),
    ("PY n/a\nEA JAN 2021\n", 2021),
    ("", None),
])
def test_year_falls_back_to_early_access(fields, year):
    [record] = parse(f"PT J\n{fields}UT WOS:1\nER\n")
    assert record.year == year


def test_record_without_ut_is_skipped_not_lost():
    items = parse(HEADER + "PT J\nTI No accession number\nER\n\n" + RECORD)
    assert items[0] == Skip("inline.txt", 3, "record has no UT (accession number)")
    assert items[1].uid == "WOS:000361432300021" and items[1].line == 7


def test_truncated_record_raises_after_the_complete_ones():
    text = HEADER + RECORD + "\n" + RECORD.split("C1 ")[0]     # the second record is cut off
    read = []
    with pytest.raises(ExportError) as caught:
        for item in wos_plain.parse(io.StringIO(text), "cut.txt"):
            read.append(item)
    assert [r.uid for r in read] == ["WOS:000361432300021"]
    second_pt = 3 + RECORD.count("\n") + 1
    err = caught.value
    assert (err.file, err.where) == ("cut.txt", f"record starting at line {second_pt}")
    assert err.problem == "record is truncated (no ER line before end of file)"
    assert "export it again" in str(err)


@pytest.mark.parametrize("text", ["", "\n\n", HEADER, HEADER + "\nEF\n"])
def test_file_without_records(text):
    with pytest.raises(ExportError, match="no Web of Science records found"):
        parse(text)


# --- reprint addresses stand in for missing C1 -------------------------------------------------
@pytest.mark.parametrize("rp, countries, orgs", [
    # the three interface languages seen in real exports
    ("Smith, J (reprint author), Univ Sheffield, Dept Econ, Sheffield S10 2TN, S Yorkshire, England.",
     {"GB"}, [Org("Univ Sheffield", "GB")]),
    ("Zhang, H (corresponding author), Southeast Univ, Sch Architecture, Nanjing 210096, "
     "Peoples R China.", {"CN"}, [Org("Southeast Univ", "CN")]),
    ("Tracy, J (通讯作者)，Thomas Jefferson Univ, Dept Neurol, Philadelphia, PA 19107 USA.",
     {"US"}, [Org("Thomas Jefferson Univ", "US")]),
    # several names before one marker, and several addresses after "; "
    ("Fu, QT; Zhang, C (corresponding author), Shenyang Univ Technol, Sch Elect Engn, "
     "Shenyang 110870, Peoples R China.; Mancarella, P (corresponding author), Univ Melbourne, "
     "Parkville, Vic 3010, Australia.",
     {"CN", "AU"}, [Org("Shenyang Univ Technol", "CN"), Org("Univ Melbourne", "AU")]),
    ("Lu, J (通讯作者)，Capital Med Univ, Dept Radiol, Beijing 100053, Peoples R China.; "
     "Lu, J (通讯作者)，Key Lab Magnet Resonance Imaging, Beijing, Peoples R China.",
     {"CN"}, [Org("Capital Med Univ", "CN"), Org("Key Lab Magnet Resonance Imaging", "CN")]),
    # a reprint address with no name or marker (bibliometrix RPT_papers.txt)
    ("Univ Windsor, IMS Ctr, Windsor, ON N9B 3P4, Canada.", {"CA"}, [Org("Univ Windsor", "CA")]),
    ("", set(), []),
])
def test_reprint_address_when_c1_is_missing(rp, countries, orgs):
    [record] = parse(f"PT J\nRP {rp}\nUT WOS:2\nER\n")
    assert record.countries == countries
    assert record.orgs == orgs


def test_c1_wins_over_rp():
    [record] = parse("PT J\nC1 Univ Tokyo, Dept Phys, Tokyo 1130033, Japan.\n"
                     "RP Sato, K (reprint author), Univ Tokyo, Tokyo, Japan.; Lee, K (reprint "
                     "author), Seoul Natl Univ, Seoul, South Korea.\nUT WOS:3\nER\n")
    assert record.countries == {"JP"}


# --- organisations -----------------------------------------------------------------------------
def test_orgs_without_c3_are_the_distinct_c1_organisations():
    # An old export: no author brackets, no space after commas, no USA after the ZIP.
    [record] = parse("PT J\n"
                     "C1 UNIV TRONDHEIM,INST THEORET PHYS,N-7034 TRONDHEIM,NORWAY.\n"
                     "   UNIV TRONDHEIM,DEPT PHYS,N-7034 TRONDHEIM,NORWAY.\n"
                     "   ABA,TAX SECT,EXEMPT ORG COMM,CHICAGO,IL 60611.\n"
                     "UT WOS:A1979GV55600001\nER\n")
    assert record.countries == {"NO", "US"}
    assert record.orgs == [Org("UNIV TRONDHEIM", "NO"), Org("ABA", "US")]


@pytest.mark.parametrize("c1, c3, country", [
    # no address matches the name; all addresses in one country: that country
    ("[A, B] Xuanwu Hosp, Beijing, Peoples R China.\n   [C, D] Huashan Hosp, Shanghai, "
     "Peoples R China.", "Capital Medical University", "CN"),
    # no address matches and the countries differ: unresolved, for the loader to report
    ("[A, B] Hamad Bin Khalifa Univ, Doha, Qatar.\n   [C, D] Hong Kong Univ Sci & Technol, "
     "Hong Kong, Peoples R China.", "Egyptian Knowledge Bank (EKB)", None),
    # the acronym in parentheses is what C1 uses
    ("[A, B] MIT, Kavli Inst, Cambridge, MA 02139 USA.\n   [C, D] McGill Univ, Montreal, PQ, Canada.",
     "Massachusetts Institute of Technology (MIT)", "US"),
    # C1 writes the name as its initials
    ("[A, B] Xi An Jiao Tong Univ, Xian 710049, Peoples R China.\n   [C, D] IIT, ECE Dept, "
     "Chicago, IL 60616 USA.", "Illinois Institute of Technology", "US"),
    # the unit is named later in the address
    ("[A, B] Univ Toulouse, Toulouse, France.\n   [C, D] IRAP, CNRS, F-31028 Toulouse, France.\n"
     "   [E] Univ Oxford, Oxford, England.", "Centre National de la Recherche Scientifique (CNRS)",
     "FR"),
    # WoS's own country suffix decides
    ("[A, B] Southeast Univ, Nanjing, Peoples R China.\n   [C] Southeast Univ, Dhaka, Bangladesh.",
     "Southeast University - China", "CN"),
    # a generic word alone ("University") is no match: Salerno is
    ("[A, B] Mansoura Univ, Mansoura, Egypt.\n   [C] Univ Salerno, I-84084 Fisciano, Italy.",
     "University of Salerno", "IT"),
])
def test_c3_country(c1, c3, country):
    [record] = parse(f"PT J\nC1 {c1}\nC3 {c3}\nUT WOS:4\nER\n")
    assert record.orgs == [Org(c3, country)]


def test_split_hk_macau():
    text = ("PT J\nC1 [Ng, Pai Chet] Hong Kong Univ Sci & Technol, Dept Elect & Comp Engn, Hong Kong, "
            "Peoples R China.\n   [Li, X] Univ Macau, Fac Sci & Technol, Taipa, Macao, "
            "Peoples R China.\nUT WOS:5\nER\n")
    [default] = parse(text)
    [split] = parse(text, split_hk_macau=True)
    assert default.countries == {"CN"}
    assert split.countries == {"HK", "MO"}
    assert split.orgs == [Org("Hong Kong Univ Sci & Technol", "HK"), Org("Univ Macau", "MO")]


# --- damaged files -----------------------------------------------------------------------------
def test_missing_er_skips_that_record_and_reads_on():
    items = parse("PT J\nTI One\nUT WOS:6\nPT J\nTI Two\nUT WOS:7\nER\n")
    assert isinstance(items[0], Skip) and items[0].line == 1 and "no ER line before line 4" in \
        items[0].reason
    assert items[1].uid == "WOS:7" and items[1].line == 4


def test_a_line_that_is_neither_field_nor_continuation_spoils_its_record():
    items = parse("PT J\nTI One\nthis line lost its indent\nUT WOS:8\nER\n"
                  "PT J\nTI Two\nUT WOS:9\nER\n")
    assert isinstance(items[0], Skip) and "line 3" in items[0].reason
    assert items[1].uid == "WOS:9"


def test_stray_lines_between_records_are_reported_once():
    items = parse("PT J\nUT WOS:10\nER\n   stray\n   more stray\nPT J\nUT WOS:11\nER\n")
    assert [type(i).__name__ for i in items] == ["Record", "Skip", "Record"]
    assert items[1].line == 4


# --- streaming ---------------------------------------------------------------------------------
class CountingLines:
    """A file object that counts the lines handed out."""

    def __init__(self, text: str):
        self._lines = iter(io.StringIO(text))
        self.read = 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.read += 1
        return line


def test_parse_streams_one_record_at_a_time():
    text = HEADER + "".join(RECORD.replace("000361432300021", f"00000000000000{n}") + "\n"
                            for n in range(3))
    fp = CountingLines(text)
    records = wos_plain.parse(fp, "stream.txt")
    assert isinstance(records, types.GeneratorType)
    first = next(records)
    # The first record is yielded at its ER line: the header and one record, nothing after.
    assert first.uid == "WOS:000000000000000"
    assert fp.read == 2 + RECORD.count("\n")
    assert [r.uid for r in records] == ["WOS:000000000000001", "WOS:000000000000002"]


# --- the real exports --------------------------------------------------------------------------
# Record counts from PROVENANCE.md's "records" column: records read, Skips included (the
# citespace pieces repeat some UTs across files; a count is of records, not of distinct UTs).
REAL_COUNTS = [
    ("Biblio_AI_EP-savedrecs.txt", 188),
    ("WOSAnalysis-main.txt", 950),
    ("WOSAnalysis-savedrecs-04d47ef.txt", 833),
    ("bibliometrix-history-RPT_papers.txt", 178),
    ("bibliometrix-history-bibliometric_in_management.txt", 241),
    ("bibliometrix-wos_sample.txt", 8),
    ("black-silicon-savedrecs.txt", 500),
    # one export cut into 500-record pieces (there is no piece 3)
    *[(f"citespace-homework-savedrecs{n}.txt", 500) for n in ("", 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12)],
    ("metaknowledge-ManyAuthors.isi", 500),
    ("metaknowledge-OnePaper.isi", 1),
    ("metaknowledge-OnePaper2.isi", 1),
    ("metaknowledge-OnePaperNoCites.isi", 1),
    ("metaknowledge-TwoPaper.isi", 2),
    ("metaknowledge-badFile.isi", 32),
    ("metaknowledge-savedrecs.txt", 32),
    ("refsplitr-BITR_test.txt", 10),
    ("refsplitr-PubExample.txt", 10),
    ("refsplitr-example_data.txt", 49),
    ("tethne-valentin.txt", 2),
    ("tethne-wos.txt", 10),
    ("tethne-wos2.txt", 100),
    ("wosfile-wos_plaintext.txt", 50),
    ("wostools-bit-pattern-savedrecs.txt", 500),
    ("wostools-history-clustering-43a5c1b6.txt", 492),
    ("wostools-single-article.txt", 1),
]


@pytest.mark.parametrize("name, count", REAL_COUNTS)
def test_real_file_record_count(name, count):
    items = list(read_records(real("wos", name)))
    assert len(items) == count
    skips = [i for i in items if isinstance(i, Skip)]
    # Only the deliberately corrupted file has a record that cannot be used.
    assert len(skips) == (1 if name == "metaknowledge-badFile.isi" else 0)


def test_every_real_wos_file_is_listed():
    listed = {name for name, _ in REAL_COUNTS}
    assert {p.name for p in real("wos").iterdir()} == listed


def by_line(name: str, line: int) -> Record:
    return next(r for r in read_records(real("wos", name)) if r.line == line)


def test_real_record_with_c3():
    # Biblio_AI_EP-savedrecs.txt, the first record (PT at line 3): PY 2022, UT WOS:000742291700001;
    # its three C1 addresses end "Peoples R China"; C3 is "Capital Medical University;
    # Capital Medical University" (one name, twice).
    record = by_line("Biblio_AI_EP-savedrecs.txt", 3)
    assert (record.uid, record.year, record.doi) == ("WOS:000742291700001", 2022,
                                                     "10.1007/s00330-021-08490-9")
    assert record.title == ("Individual [F-18]FDG PET and functional MRI based on simultaneous "
                            "PET/MRI may predict seizure recurrence after temporal lobe epilepsy "
                            "surgery")
    assert record.countries == {"CN"}
    assert record.orgs == [Org("Capital Medical University", "CN")]


def test_real_china_us_record():
    # WOSAnalysis-savedrecs-04d47ef.txt, PT at line 7771, UT WOS:000594134700010, PY 2020.
    # C1: "Xi An Jiao Tong Univ, ..., Xian 710049, Peoples R China." / "IIT, ECE Dept, Chicago,
    # IL 60616 USA." / "Univ Tennessee, ..., Knoxville, TN 37996 USA."
    # C3: Xi'an Jiaotong University; Illinois Institute of Technology; University of Tennessee
    # System; University of Tennessee Knoxville -> Xi An Jiao Tong (CN), IIT = the initials of
    # Illinois Institute of Technology (US), Univ Tennessee (US) twice.
    record = by_line("WOSAnalysis-savedrecs-04d47ef.txt", 7771)
    assert (record.uid, record.year) == ("WOS:000594134700010", 2020)
    assert record.countries == {"CN", "US"}
    assert record.orgs == [Org("Xi'an Jiaotong University", "CN"),
                           Org("Illinois Institute of Technology", "US"),
                           Org("University of Tennessee System", "US"),
                           Org("University of Tennessee Knoxville", "US")]


def test_real_record_two_countries():
    # Same file, PT at line 14670, UT WOS:001329018000001, PY 2024: "Univ Missouri, ...,
    # Columbia, MO 65211 USA." and "King Abdulaziz Univ, ..., Jeddah 21589, Saudi Arabia.";
    # C3 names both Missouri entries (system and campus) and King Abdulaziz University.
    record = by_line("WOSAnalysis-savedrecs-04d47ef.txt", 14670)
    assert (record.uid, record.year) == ("WOS:001329018000001", 2024)
    assert record.countries == {"US", "SA"}
    assert record.orgs == [Org("University of Missouri System", "US"),
                           Org("University of Missouri Columbia", "US"),
                           Org("King Abdulaziz University", "SA")]


def test_real_record_without_c1_uses_the_chinese_locale_rp():
    # citespace-homework-savedrecs1.txt, PT at line 15359: no C1, no C3;
    # "RP Blankertz, B (通讯作者)，Tech Univ, Berlin, Germany."; ID runs over two lines.
    record = by_line("citespace-homework-savedrecs1.txt", 15359)
    assert (record.uid, record.year) == ("WOS:000251906900008", 2008)
    assert record.countries == {"DE"}
    assert record.orgs == [Org("Tech Univ", "DE")]
    assert record.keywords == ["BRAIN-COMPUTER INTERFACE", "MOTOR IMAGERY", "CLASSIFICATION",
                               "COMMUNICATION", "EXTRACTION", "DYNAMICS", "RHYTHMS"]


def test_real_old_record_without_c1_uses_the_reprint_address():
    # bibliometrix-history-RPT_papers.txt, PT at line 14198, UT WOS:A1994NY38600004, PY 1994:
    # "RP HENNESSEY, KM (reprint author), COOPERS & LYBRAND,NATL TAX CONSULTING GRP,WASHINGTON,DC,
    # USA."
    record = by_line("bibliometrix-history-RPT_papers.txt", 14198)
    assert (record.uid, record.year, record.doi) == ("WOS:A1994NY38600004", 1994, None)
    assert record.countries == {"US"}
    assert record.orgs == [Org("COOPERS & LYBRAND", "US")]


def test_real_corrupted_file():
    # metaknowledge-badFile.isi is metaknowledge-savedrecs.txt with the first record's
    # "CR" tag deleted (its references run on as C1 lines) and a CR line injected after NR.
    # That record is skipped with the reason; the other 31 read as in the intact file.
    bad = list(read_records(real("wos", "metaknowledge-badFile.isi")))
    good = list(read_records(real("wos", "metaknowledge-savedrecs.txt")))
    skip = bad[0]
    assert isinstance(skip, Skip) and skip.line == 3
    assert "WOS:A1979GV55600001" in skip.reason and "cited reference" in skip.reason
    assert "Abraham M., 1909" in skip.reason
    assert good[0].uid == "WOS:A1979GV55600001"
    # The injected line moves later records down one line; all else is the same.
    assert [replace(r, file="", line=0) for r in bad[1:]] == \
        [replace(r, file="", line=0) for r in good[1:]]
