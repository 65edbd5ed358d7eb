"""Broken and hostile export files through `load_paths` and the CLI.

Each bad file gives a specific error (file, place, problem, what to do) or a
counted skip with its reason; never a traceback, never a hang, never a silent
partial load: the records before a fault are loaded *and* counted, and the
error is reported.  The files are made here, in tmp_path.
"""
from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from loader.pipeline import load_paths

REPO = Path(__file__).resolve().parents[1]
HEAD = "FN Clarivate Analytics Web of Science\nVR 1.0\n"
# Enough records that a fault placed after them lies past the 64 KiB head that format
# detection decodes: the fault is met while reading, after these records were read.
FILLER = 600


def wos(i: int, *, title: str | None = None, ut: bool = True) -> str:
    """One CN–US record of 9 lines (PT, AU, TI, C1, its continuation, PY, UT, ER, blank)."""
    return (f"PT J\nAU Wang, L\nTI {title or f'Paper {i} on a neural network processor'}\n"
            "C1 [Wang, L] Tsinghua Univ, Dept Comp Sci, Beijing 100084, Peoples R China.\n"
            "   [Smith, J] Stanford Univ, Dept Elect Engn, Stanford, CA 94305 USA.\n"
            f"PY 2019\n{f'UT WOS:{i:015d}' if ut else 'SO NO ACCESSION NUMBER'}\nER\n\n")


def filler(n: int = FILLER) -> str:
    return HEAD + "".join(wos(i) for i in range(1, n + 1))


# The bad record starts after the 2 header lines and FILLER records of 9 lines: its PT is
# on line 2 + 9 * 600 + 1 = 5403, its TI (the bad bytes) on line 5405.
BAD_TI_LINE = 2 + 9 * FILLER + 3


@contextmanager
def within(seconds: float):
    """Fail instead of hanging: SIGALRM after `seconds`."""
    def hang(signum, frame):
        raise TimeoutError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def load_one(graph, path: Path, seconds: float = 30):
    with within(seconds):
        summary = load_paths(graph, [path])
    assert len(summary.files) == 1
    return summary.files[0]


def papers(graph) -> int:
    return graph.counts().get("nodes:Paper", 0)


def patents(graph) -> int:
    return graph.counts().get("nodes:Patent", 0)


def assert_error(fs, path: Path, *parts: str) -> None:
    assert fs.error is not None, "a bad file must be reported"
    assert fs.error.startswith(str(path)), fs.error
    for part in parts:
        assert part in fs.error, (part, fs.error)


# -- files that cannot be read at all --------------------------------------------------------------

def test_empty_file(graph, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    fs = load_one(graph, path)
    assert_error(fs, path, "the file is empty", "export the records again")
    assert (fs.read, papers(graph)) == (0, 0)


def test_binary_file(graph, tmp_path):
    path = tmp_path / "picture.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64)
    fs = load_one(graph, path)
    assert_error(fs, path, "binary file, not a text export", "export the records as text")
    assert papers(graph) == 0


def test_a_10_mb_line_that_is_no_export(graph, tmp_path):
    path = tmp_path / "one_line.txt"
    path.write_bytes(b"x" * (10 * 1024 * 1024))
    fs = load_one(graph, path, seconds=20)
    # Detection reads the first 64 KiB only, and quotes 60 characters of line 1.
    assert_error(fs, path, "line 1: not a recognised export", "line 1 reads 'xxxxxxxx", "pass --format")
    assert papers(graph) == 0


def test_latin1_bytes_in_the_head_refuse_the_file(graph, tmp_path):
    # Record 2's TI ("Müller" as Latin-1: one byte 0xFC) is on line 2 + 9 + 3 = 14.
    path = tmp_path / "latin1_head.txt"
    path.write_bytes((HEAD + wos(1)).encode() + wos(2, title="M\xfcller chip").encode("latin-1"))
    fs = load_one(graph, path)
    assert_error(fs, path, "line 14: not UTF-8 or UTF-16 text", "re-export as UTF-8")
    assert papers(graph) == 0


# -- faults after some records: those records are loaded and counted -------------------------------

@pytest.mark.parametrize("name, bad", [
    ("latin1", "M\xfcller chip".encode("latin-1")),
    ("gb18030", "清华大学 芯片".encode("gb18030")),
    ("nul", b"a NUL\x00 in a title"),
])
def test_bytes_that_are_not_utf8_stop_the_file_after_the_records_before_them(graph, tmp_path, name, bad):
    path = tmp_path / f"{name}.txt"
    record = wos(9001, title="@@").encode().replace(b"@@", bad)
    path.write_bytes(filler().encode() + record + wos(9002).encode())
    fs = load_one(graph, path)
    assert_error(fs, path, f"line {BAD_TI_LINE}: not UTF-8 or UTF-16 text", "re-export as UTF-8")
    assert fs.read == fs.new == FILLER
    assert papers(graph) == FILLER


def test_a_record_cut_off_at_the_end(graph, tmp_path):
    # Two whole records (lines 3-20), then a PT on line 21 and no ER.
    path = tmp_path / "truncated.txt"
    path.write_text(HEAD + wos(1) + wos(2) + "PT J\nAU Li, M\nTI Cut off in the mid", encoding="utf-8")
    fs = load_one(graph, path)
    assert_error(fs, path, "record starting at line 21: record is truncated", "export it again")
    assert fs.read == fs.new == 2
    assert papers(graph) == 2


def test_a_bad_file_between_good_ones_stops_only_itself(graph, tmp_path):
    good1, bad, good2 = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.txt"
    good1.write_text(HEAD + wos(1) + wos(2), encoding="utf-8")
    bad.write_bytes(b"\x00\x01\x02 binary")
    good2.write_text(HEAD + wos(3), encoding="utf-8")
    with within(30):
        summary = load_paths(graph, [good1, bad, good2])
    assert [f.new for f in summary.files] == [2, 0, 1]
    assert [f.error is None for f in summary.files] == [True, False, True]
    assert not summary.ok
    assert papers(graph) == 3


# -- records that load, skip or merge, and say so --------------------------------------------------

def test_a_10_mb_title_loads_whole_in_bounded_time(graph, tmp_path):
    path = tmp_path / "long_title.txt"
    title = "t" * (10 * 1024 * 1024)
    path.write_text(HEAD + wos(1) + wos(2, title=title) + wos(3), encoding="utf-8")
    fs = load_one(graph, path, seconds=30)
    assert fs.error is None and fs.new == 3
    assert graph.read("MATCH (p:Paper {uid: $uid}) RETURN size(p.title) AS n",
                      {"uid": "WOS:000000000000002"}).rows == [{"n": len(title)}]


def test_duplicate_uts_are_one_paper_counted_as_duplicates(graph, tmp_path):
    path = tmp_path / "dups.txt"
    path.write_text(HEAD + wos(1) + wos(2) + wos(1) + wos(1), encoding="utf-8")
    fs = load_one(graph, path)
    assert (fs.read, fs.new, fs.duplicate, fs.error) == (4, 2, 2, None)
    assert papers(graph) == 2
    # UT 1 three times is still one CN–US paper in 2019: CountryYear CN 2019 counts 2 records.
    rows = graph.read("MATCH (c:CountryYear {kind: 'paper', code: 'CN', year: 2019}) RETURN c.records AS n").rows
    assert rows == [{"n": 2}]


def test_a_record_without_ut_is_skipped_with_its_reason(graph, tmp_path):
    path = tmp_path / "no_ut.txt"
    path.write_text(HEAD + wos(1) + wos(2, ut=False) + wos(3), encoding="utf-8")
    fs = load_one(graph, path)
    assert fs.error is None
    assert (fs.read, fs.new) == (2, 2)
    assert dict(fs.skipped) == {"record has no UT (accession number)": 1}
    assert papers(graph) == 2


def test_scopus_rows_out_of_step_with_the_header_are_skipped(graph, tmp_path):
    header = '"Authors","Title","Year","Source title","Affiliations","Document Type","EID"\n'
    rows = ('"Wang L.","Chips","2019","J","Tsinghua University, Beijing, China; Stanford University, '
            'Stanford, United States","Article","2-s2.0-1"\n'
            '"Li M.","Short row","2019","J"\n'                                   # 4 fields of 7
            '"Chen Y.","Long row","2019","J","Fudan University, Shanghai, China","Article","2-s2.0-3","x"\n')
    path = tmp_path / "scopus.csv"
    path.write_text(header + rows, encoding="utf-8")
    fs = load_one(graph, path)
    assert fs.error is None and (fs.read, fs.new) == (1, 1)
    # Line 3 has 4 fields (no EID among them: that is the reason given); line 4 has 8.
    assert dict(fs.skipped) == {
        "the row has no EID, the Scopus record id": 1,
        "the row has 8 fields but the header has 7; export again or remove the stray field": 1,
    }
    assert papers(graph) == 1


def patent_csv(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "patents.csv"
    path.write_text("application_number,inventor_countries,title,year\n" + "".join(r + "\n" for r in rows),
                    encoding="utf-8")
    return path


def test_generic_patent_csv_rows_out_of_step_with_the_header_are_skipped(graph, tmp_path):
    fs = load_one(graph, patent_csv(tmp_path,
                                    "CN201810000001.1,CN|US,Good row,2019",
                                    "CN201810000002.2,CN",                                 # 2 fields of 4
                                    "CN201810000003.3,CN|US,A title, with a comma,2019",  # 5: unquoted comma
                                    'CN201810000004.4,US|JP,"Quoted, comma",2020'))
    assert fs.error is None and (fs.read, fs.new) == (2, 2)
    reasons = dict(fs.skipped)
    assert reasons == {
        "the row has 2 fields but the header has 4; put a value holding a comma in double quotes "
        "(see docs/formats/generic-patent-csv.md)": 1,
        "the row has 5 fields but the header has 4; put a value holding a comma in double quotes "
        "(see docs/formats/generic-patent-csv.md)": 1,
    }
    assert patents(graph) == 2


def test_a_csv_cell_past_the_csv_field_limit_stops_the_file_after_the_rows_before_it(graph, tmp_path):
    # Python's csv reader refuses a field over 131,072 characters (an unclosed quote reads
    # like one): the generic patent CSV says where, and keeps the row before it.
    path = patent_csv(tmp_path, "CN201810000001.1,CN|US,Good row,2019",
                      f"CN201810000002.2,CN|US,\"{'x' * 200_000}\",2019",
                      "CN201810000003.3,CN,After it,2020")
    fs = load_one(graph, path)
    assert_error(fs, path, "line 3: is not valid CSV: field larger than field limit (131072)",
                 "export the file again")
    assert fs.read == fs.new == 1
    assert patents(graph) == 1


# -- hostile archives and XML ---------------------------------------------------------------------

USPTO_OK = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<!DOCTYPE us-patent-grant SYSTEM "us-patent-grant-v45-2014-04-03.dtd" [ ]>\n'
            '<us-patent-grant><us-bibliographic-data-grant><invention-title>Chip</invention-title>'
            '</us-bibliographic-data-grant></us-patent-grant>\n')


@pytest.mark.parametrize("name, dtd", [
    ("billion-laughs", '<!ENTITY a "aaaaaaaaaa">\n<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n'
                       '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">\n'),
    ("external-entity", '<!ENTITY xxe SYSTEM "file:///etc/passwd">\n'),
])
def test_xml_entity_declarations_are_refused_before_parsing(graph, tmp_path, name, dtd):
    path = tmp_path / f"{name}.xml"
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE us-patent-grant [\n' + dtd + ']>\n'
                    '<us-patent-grant><us-bibliographic-data-grant><invention-title>&' +
                    ("d" if name == "billion-laughs" else "xxe") +
                    ';</invention-title></us-bibliographic-data-grant></us-patent-grant>\n', encoding="utf-8")
    fs = load_one(graph, path, seconds=10)
    assert_error(fs, path, "document 1 (line 1): declares entities", "check where the file came from")
    assert patents(graph) == 0


@pytest.mark.parametrize("member", ["../../evil.xml", "/etc/evil.xml", "C:\\evil.xml", "a/../../evil.xml"])
def test_a_zip_member_that_leaves_its_folder_refuses_the_archive(graph, tmp_path, member):
    path = tmp_path / "ipg_weekly.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("ipg.xml", USPTO_OK)
        archive.writestr(member, USPTO_OK)
    before = set(tmp_path.parent.rglob("evil.xml"))
    fs = load_one(graph, path)
    assert_error(fs, path, f"member {member!r}: the archive holds a member whose path leaves its folder",
                 "get the file again")
    assert patents(graph) == 0
    # Nothing was extracted anywhere.
    assert set(tmp_path.parent.rglob("evil.xml")) == before


# -- the CLI: a summary and messages, exit 1, never a traceback ------------------------------------

def test_the_cli_reports_each_bad_file_and_loads_the_good_ones(tmp_path):
    files = tmp_path / "files"
    files.mkdir()
    (files / "empty.txt").write_bytes(b"")
    (files / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (files / "truncated.txt").write_text(HEAD + wos(1) + "PT J\nTI cut", encoding="utf-8")
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("ipg.xml", USPTO_OK)
        archive.writestr("../evil.xml", USPTO_OK)
    (files / "weekly.zip").write_bytes(zipped.getvalue())
    (files / "good.txt").write_text(HEAD + wos(7) + wos(8), encoding="utf-8")
    env = {**os.environ, "COLLAB_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "400"}
    names = ["empty.txt", "binary.txt", "truncated.txt", "weekly.zip", "good.txt"]
    done = subprocess.run([sys.executable, "-m", "loader", "load", *[str(files / n) for n in names]],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    err = done.stderr
    assert "Traceback" not in err and "Traceback" not in done.stdout
    assert f"error: {files / 'empty.txt'}: the file is empty — export the records again" in err
    assert f"error: {files / 'binary.txt'}: binary file, not a text export" in err
    assert (f"error: {files / 'truncated.txt'} record starting at line 12: record is truncated (no ER line "
            "before end of file) — the export was cut off: export it again") in err
    assert f"error: {files / 'weekly.zip'} member '../evil.xml': the archive holds a member" in err
    assert "Records read before the error were loaded" in err
    # The summary table: truncated.txt read 1 record, good.txt 2, both new.
    rows = {line.split("│")[1].strip(): [c.strip() for c in line.split("│")[2:6]]
            for line in err.splitlines() if line.count("│") >= 6}
    assert rows["truncated.txt"] == ["1", "1", "0", "0"]
    assert rows["good.txt"] == ["2", "2", "0", "0"]
