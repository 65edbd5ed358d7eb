"""Opening exports: BOMs, UTF-16, CRLF, bytes that are not text, binary files."""
from __future__ import annotations

import codecs

import pytest

from loader.formats import PARSERS, detect_format, read_records
from loader.formats.textio import open_export, sniff
from loader.records import ExportError
from tests.test_wos_plain import real

TEXT = "PT J\nAU Wang, J\nTI Über Straßen in 北京\nUT WOS:000361432300021\nER\n"


def read_all(path, **kwargs) -> str:
    with open_export(path, **kwargs) as fp:
        return "".join(fp)


@pytest.mark.parametrize("raw", [
    TEXT.encode("utf-8"),
    codecs.BOM_UTF8 + TEXT.encode("utf-8"),
    codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
    codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    codecs.BOM_UTF8 + TEXT.replace("\n", "\r\n").encode("utf-8"),
    codecs.BOM_UTF16_LE + TEXT.replace("\n", "\r\n").encode("utf-16-le"),
], ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf8-bom-crlf", "utf16le-bom-crlf"])
def test_encodings_and_newlines_read_the_same(tmp_path, raw):
    path = tmp_path / "export.txt"
    path.write_bytes(raw)
    assert read_all(path) == TEXT          # BOM gone, CRLF read as "\n"
    assert sniff(path) == TEXT


def test_lines_are_read_one_at_a_time(tmp_path):
    path = tmp_path / "export.txt"
    path.write_bytes(codecs.BOM_UTF8 + TEXT.encode("utf-8"))
    with open_export(path) as fp:
        assert next(iter(fp)) == "PT J\n"
        assert fp.readline() == "AU Wang, J\n"


def test_latin1_is_refused_at_its_line(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("PT J\nAU Müller, K\nER\n".encode("latin-1"))
    with pytest.raises(ExportError) as caught:
        read_all(path)
    err = caught.value
    assert (err.file, err.where, err.problem) == (str(path), "line 2", "not UTF-8 or UTF-16 text")
    assert "re-export as UTF-8" in str(err) and str(path) in str(err)


def test_a_bad_byte_after_the_head_is_reported_at_its_line(tmp_path):
    # 3000 good lines (~90 KB, past the 64 KiB the encoding is chosen from), then
    # one line with a Latin-1 byte: the lines before it are read, then the error
    # names line 3001.
    good = "".join(f"AB line {n:05d} of plain text here\n" for n in range(1, 3001))
    path = tmp_path / "late.txt"
    path.write_bytes(good.encode("utf-8") + b"AB caf\xe9\nAB after\n")
    assert len(good) > 65536
    seen = 0
    with pytest.raises(ExportError) as caught:
        with open_export(path) as fp:
            for _ in fp:
                seen += 1
    assert caught.value.where == "line 3001"
    assert seen >= 2900                      # what came before was delivered, not lost


def test_gb18030_when_the_parser_asks_for_it(tmp_path):
    path = tmp_path / "cn.csv"
    path.write_bytes("申请号,发明人国家\nCN1,中国\n".encode("gb18030"))
    with pytest.raises(ExportError):
        read_all(path)                       # UTF-8 only by default
    assert read_all(path, encodings=("utf-8", "gb18030")) == "申请号,发明人国家\nCN1,中国\n"


def test_sniff_returns_only_the_head(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(codecs.BOM_UTF8 + ("x" * 100 + "\n").encode() * 2000)
    head = sniff(path, nbytes=1000)
    assert head.startswith("x" * 100 + "\n") and len(head) <= 1000


def test_sniff_does_not_cut_a_character_in_two(tmp_path):
    path = tmp_path / "zh.txt"
    path.write_bytes("中国".encode("utf-8") * 100)   # 3 bytes a character
    assert sniff(path, nbytes=100) == "中国" * 16 + "中"


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "records.xlsx"
    path.write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00")
    with pytest.raises(ExportError, match="binary file, not a text export"):
        sniff(path)


def test_real_utf8_bom_export():
    head = sniff(real("wos-tab", "wosfile-wos_tab_delimited_win_utf8.txt"))
    assert head.startswith("PT\tAU\tBA\t")


def test_real_crlf_export():
    # tethne-valentin.txt has CRLF line ends and no BOM.
    with open_export(real("wos", "tethne-valentin.txt")) as fp:
        first = [next(fp) for _ in range(3)]
    assert first == ["FN Thomson Reuters Web of Science™\n", "VR 1.0\n", "PT J\n"]


def test_real_utf16_copy(tmp_path):
    # The Windows "Tab delimited (UTF-16)" export: the same file re-encoded.
    source = real("wos-tab", "wosfile-wos_tab_delimited_win_utf8.txt")
    text = source.read_bytes().decode("utf-8-sig")
    copy = tmp_path / "utf16.txt"
    copy.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert read_all(copy) == read_all(source)


def test_read_and_read_size(tmp_path):
    path = tmp_path / "export.txt"
    path.write_bytes(codecs.BOM_UTF8 + TEXT.replace("\n", "\r\n").encode("utf-8"))
    with open_export(path) as fp:
        assert fp.read(5) == "PT J\n"
        assert fp.read() == TEXT[5:]


def test_read_reports_the_line_of_a_bad_byte(tmp_path):
    path = tmp_path / "late.txt"
    path.write_bytes(b"PT J\n" * 20000 + b"AB caf\xe9\n")      # 100 KB of good text first
    with pytest.raises(ExportError) as caught:
        with open_export(path) as fp:
            fp.read()
    assert caught.value.where == "line 20001"


# --- the registry: which parser reads a file ---------------------------------------------------
@pytest.mark.parametrize("parts, name", [
    (("wos", "Biblio_AI_EP-savedrecs.txt"), "wos-plain"),          # UTF-8 BOM, FN header
    (("wos", "tethne-valentin.txt"), "wos-plain"),                 # CRLF
    (("wos", "wostools-single-article.txt"), "wos-plain"),         # no header: starts at PT J
    (("wos-tab", "scientopy-wos_2026_04_02_1000.txt"), "wos-tab"),
    (("wos-tab", "wosfile-wos_tab_delimited_win_utf8.txt"), "wos-tab"),
])
def test_detect_format_real_files(parts, name):
    assert detect_format(real(*parts)) == name


def test_unrecognised_file_names_its_first_line():
    path = real("wos-tab", "scientopy-searchCriteria.txt")       # a note beside the export
    with pytest.raises(ExportError) as caught:
        detect_format(path)
    err = caught.value
    assert err.where == "line 1" and err.problem.startswith("not a recognised export")
    assert '"Bluetooth low energy", downloaded in 2026.04.02' in err.problem
    assert "pass --format" in str(err)


@pytest.mark.parametrize("raw, problem", [
    (b"", "the file is empty"),
    (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "binary file, not a text export"),
    (b"PT J\nAU M\xffller, K\n", "not UTF-8"),     # 0xFF is no lead byte in UTF-8 or GB18030
])
def test_detect_format_refuses(tmp_path, raw, problem):
    path = tmp_path / "export.txt"
    path.write_bytes(raw)
    with pytest.raises(ExportError, match=problem):
        detect_format(path)


def test_read_records_with_a_named_format_and_options(tmp_path):
    path = tmp_path / "one.txt"
    path.write_text("PT J\nC1 Hong Kong Polytech Univ, Dept Comp, Hong Kong, Peoples R China.\n"
                    "UT WOS:000540715200021\nER\n", encoding="utf-8")
    [default] = read_records(path)
    [split] = read_records(path, fmt="wos-plain", split_hk_macau=True)
    assert default.countries == {"CN"} and split.countries == {"HK"}
    assert default.file == str(path)
    with pytest.raises(ExportError, match="no UT column"):
        list(read_records(path, fmt="wos-tab"))
    with pytest.raises(ExportError, match="unknown export format"):
        list(read_records(path, fmt="endnote"))


def test_every_parser_has_the_registry_interface():
    for name, module in PARSERS:
        assert module.NAME == name and module.KIND in ("paper", "patent")
        assert callable(module.detect)
        assert callable(module.parse_path if getattr(module, "OPEN", "text") == "binary"
                        else module.parse)
