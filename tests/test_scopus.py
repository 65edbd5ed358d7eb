"""Scopus CSV parser: real exports from ../shared and inline edge cases."""
from __future__ import annotations

import io

import pytest

from loader.formats import scopus
from loader.formats.textio import open_export, sniff
from loader.records import AUTHOR, ExportError, Org, Record, Skip
from tests.conftest import real_file


def read(name: str) -> list[Record | Skip]:
    path = real_file("scopus", name)
    with open_export(path) as fp:
        return list(scopus.parse(fp, path.name))


def records(items) -> list[Record]:
    return [item for item in items if isinstance(item, Record)]


def by_uid(items, uid: str) -> Record:
    return next(record for record in records(items) if record.uid == uid)


# --- real exports --------------------------------------------------------------

@pytest.mark.parametrize("name, count, cn, us, cn_us", [
    # Record counts and CN/US counts from PROVENANCE.md; both matched 'China'
    # and 'United States' in the Affiliations column, as the parser does.
    ("bibliometrix-scopus_sample.csv", 8, 4, 0, 0),
    ("litstudy-scopus.csv", 58, 4, 14, 1),
    ("tethne-scopus.csv", 20, 3, 3, 0),
])
def test_real_file_counts(name, count, cn, us, cn_us):
    items = read(name)
    found = records(items)
    assert len(found) == count and len(items) == count          # no Skips
    assert len({record.uid for record in found}) == count
    assert sum("CN" in r.countries for r in found) == cn
    assert sum("US" in r.countries for r in found) == us
    assert sum({"CN", "US"} <= r.countries for r in found) == cn_us


@pytest.mark.parametrize("name", ["bibliometrix-scopus_sample.csv", "litstudy-scopus.csv",
                                  "tethne-scopus.csv"])
def test_detects_real_files(name):
    assert scopus.detect(sniff(real_file("scopus", name)))


def test_bibliometrix_first_record():
    # Line 2 of the file (45-column layout, no BOM): EID 2-s2.0-105030721984,
    # Year 2026, DOI 10.1177/20552076261415846.  Affiliations has two entries,
    # both "Department of ..., Hunan Normal University Health Science Center,
    # Hunan, Changsha, China": one organisation, one country.
    record = by_uid(read("bibliometrix-scopus_sample.csv"), "SCOPUS:2-s2.0-105030721984")
    assert (record.line, record.year, record.doi) == (2, 2026, "10.1177/20552076261415846")
    assert record.countries == {"CN"}
    assert record.orgs == [Org("Hunan Normal University Health Science Center", "CN", AUTHOR)]
    assert record.doc_type == "Article"
    # Author Keywords has five entries, Index Keywords is empty.
    assert record.keywords == ["Artificial intelligence", "bibliometrics", "citeSpace",
                               "spinal diseases", "VOSviewer"]


def test_litstudy_first_record_orgs_and_countries():
    # Line 2 (after the BOM'd header): NAMD, 2005, a Review.  Affiliations:
    # "Beckman Institute, University of Illinois at Urbana-Champaign, Urbana,
    # IL 61801, United States; UMR CNRS/UHP 7565, Université Henri Poincaré,
    # ..., France; Department of Computer Science, Beckman Institute,
    # University of Illinois at Urbana-Champaign, ..., United States".
    record = by_uid(read("litstudy-scopus.csv"), "SCOPUS:2-s2.0-27344436659")
    assert (record.line, record.year, record.doi) == (2, 2005, "10.1002/jcc.20289")
    assert record.doc_type == "Review"
    assert record.countries == {"US", "FR"}
    assert record.orgs == [Org("University of Illinois at Urbana-Champaign", "US", AUTHOR),
                           Org("Université Henri Poincaré", "FR", AUTHOR)]
    assert record.title == "Scalable molecular dynamics with NAMD"


def test_litstudy_rows_with_a_stray_field_keep_their_columns():
    # Line 4 (Gutowska et al.) has 46 fields under a 45-column header: an extra
    # funding text after "Funding Text 1" shifts everything to its right.  Read
    # from the right, Document Type is "Article" (not the abbreviated source
    # title "Sci. Rep.") and EID the last field.  Its Correspondence Address
    # runs onto line 5, so the next record starts on line 6.
    items = read("litstudy-scopus.csv")
    record = by_uid(items, "SCOPUS:2-s2.0-85123480963")
    assert (record.line, record.year, record.doc_type) == (4, 2022, "Article")
    assert record.doi == "10.1038/s41598-022-04849-0"
    assert record.countries == {"PL"}
    assert by_uid(items, "SCOPUS:2-s2.0-85138069321").line == 6


def test_litstudy_china_us_record():
    # Lines 11-12: the file's one China-US paper.  Its six affiliations end
    # in Pakistan (four), "United States" (Jackson Laboratory, Farmington, CT)
    # and China (Shanghai Jiao Tong University).  The DOI is upper case in the
    # export and compared lower case.
    record = by_uid(read("litstudy-scopus.csv"), "SCOPUS:2-s2.0-85110842148")
    assert (record.line, record.year, record.doi) == (11, 2021, "10.1109/access.2021.3097550")
    assert record.countries == {"PK", "US", "CN"}
    assert [org.name for org in record.orgs] == [
        "Abdul Wali Khan University Mardan", "University of Malakand", "University of Haripur",
        "Jackson Laboratory for Genomic Medicine", "Aga Khan University Hospital",
        "Shanghai Jiao Tong University"]
    assert Org("Shanghai Jiao Tong University", "CN", AUTHOR) in record.orgs


def test_tethne_first_record_keeps_the_academy_institute():
    # Line 2 of the 41-column export: Affiliations name the Institute of
    # Geographic Sciences ..., Chinese Academy of Sciences (twice, once with
    # "(CAS)"), a Tibet institute and a Tibet University college; all China.
    record = by_uid(read("tethne-scopus.csv"), "SCOPUS:2-s2.0-84937605616")
    assert (record.line, record.year, record.doi) == (2, 2015, "10.1016/j.ecolind.2015.06.017")
    assert record.countries == {"CN"}
    assert record.orgs[0].name == ("Institute of Geographic Sciences and Natural Resources "
                                   "Research, Chinese Academy of Sciences (CAS)")
    assert "Tibet Plateau Institute of Biology" in [org.name for org in record.orgs]
    assert record.keywords[:2] == ["HANPP", "NPP<inf>gap</inf>"]


# --- inline edge cases ------------------------------------------------------------

HEADER = ("\ufeffAuthors,Title,Year,Source title,DOI,Affiliations,Authors with affiliations,"
          "Abstract,Document Type,EID\n")


def parse_text(text: str) -> list[Record | Skip]:
    return list(scopus.parse(io.StringIO(text), "export.csv"))


def test_multiline_quoted_field_and_line_numbers():
    text = (HEADER
            + 'Wang L.,"A chip",2019,J1,10.1/A,"Dept X, Fudan University, Shanghai, China",,'
              '"First line\nsecond line\nthird line",Article,2-s2.0-1\n'
            + "\n"
            + 'Smith J.,Another,2020,J2,,"MIT, Cambridge, MA, United States",,,Article,2-s2.0-2\n')
    first, second = parse_text(text)
    assert (first.uid, first.line, first.doi) == ("SCOPUS:2-s2.0-1", 2, "10.1/a")
    assert first.abstract == "First line\nsecond line\nthird line"
    # The abstract spans lines 2-4, line 5 is blank: the second row is on line 6.
    assert (second.uid, second.line, second.countries) == ("SCOPUS:2-s2.0-2", 6, {"US"})
    assert second.doi is None


def test_authors_with_affiliations_when_affiliations_is_missing():
    text = ("Authors,Title,Year,Authors with affiliations,EID\n"
            'X,T,2018,"Li, W., School of Physics, Nankai University, Tianjin, China; '
            'Kim H., Korea University, Seoul, South Korea",2-s2.0-9\n')
    (record,) = parse_text(text)
    assert record.countries == {"CN", "KR"}
    assert [org.name for org in record.orgs] == ["Nankai University", "Korea University"]


def test_missing_required_column_names_it():
    with pytest.raises(ExportError) as caught:
        parse_text("Authors,Title,Year,Affiliations\nX,T,2020,A\n")
    assert caught.value.where == "line 1"
    assert "missing columns: EID" in str(caught.value)


def test_missing_both_affiliation_columns():
    with pytest.raises(ExportError, match="Affiliations or Authors with affiliations"):
        parse_text("Title,Year,EID\nT,2020,2-s2.0-1\n")


def test_row_without_eid_is_skipped_with_reason():
    items = parse_text(HEADER + "A,T,2020,J,,,,,Article,\n")
    assert items == [Skip("export.csv", 2, "the row has no EID, the Scopus record id")]


def test_stray_field_without_funding_columns_is_skipped():
    (skip,) = parse_text(HEADER + "A,T,2020,J,,,,,Article,2-s2.0-1,extra\n")
    assert isinstance(skip, Skip) and "11 fields but the header has 10" in skip.reason


def test_empty_file():
    with pytest.raises(ExportError, match="empty"):
        parse_text("")


def test_detect_rejects_other_csv_headers():
    assert not scopus.detect('"Lens ID","Title","Source Title","Author/s"\n')
    assert not scopus.detect('"Document Title",Authors,"Author Affiliations"\n')
    assert scopus.detect("\ufeffAuthors,Title,Year,Source title,EID\n")
