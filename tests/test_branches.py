"""Technology-branch tagging against the study's Table 1.

Expected branch sets were worked out by reading each title, keyword list and
abstract by hand and checking the words against Table 1
(../shared/study/STUDY.md), not by running the tagger."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from loader.normalise.branches import (
    BRANCHES_CSV,
    SUBJECTS_CSV,
    BranchDataError,
    BranchTagger,
)
from tests.conftest import real_file


ALL_BRANCHES = ("Brain-like chip", "GPU", "VPU", "DPU", "NPU", "IPU", "TPU", "FPGA", "ASIC", "CPLD", "VLSI")
CS = ["Computer Science, Hardware & Architecture"]


@pytest.fixture(scope="module")
def tagger() -> BranchTagger:
    return BranchTagger.load()


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fp:
        return list(csv.DictReader(fp))


# -- the data ------------------------------------------------------------------

def test_the_eleven_branches_in_table_order(tagger):
    assert tagger.branches == ALL_BRANCHES


def test_every_branch_has_english_and_chinese_terms_and_acronyms():
    rows = read_rows(BRANCHES_CSV)
    for branch in ALL_BRANCHES:
        langs = {r["lang"] for r in rows if r["branch"] == branch}
        assert langs == {"en", "zh"}, branch
    acronyms = {r["term"]: r["kind"] for r in rows if r["kind"].endswith("acronym")}
    assert acronyms == {
        "GPU": "acronym", "TPU": "acronym", "FPGA": "acronym", "ASIC": "acronym", "CPLD": "acronym",
        "VLSI": "acronym", "VPU": "ambiguous-acronym", "DPU": "ambiguous-acronym",
        "NPU": "ambiguous-acronym", "IPU": "ambiguous-acronym"}


def test_every_table_1_term_is_listed_verbatim():
    # Table 1 of the study, term by term (STUDY.md); the csv may add variants.
    table_1 = {
        "Brain-like chip": "Brain Like Chip;类脑芯片;大脑处理器",
        "GPU": "Graphics Processing Unit;图像处理器;图形处理器;显示芯片;图像处理单元;图形处理单元",
        "VPU": "Vision Processing Unit;视觉处理器;视觉处理单元;Video Processing Unit;视频处理器;视频处理单元",
        "DPU": "Deep learning Processing Unit;深度学习处理器;深度学习处理单元;深度学习芯片;"
               "Data Processing Unit;数据处理器;数据处理单元",
        "NPU": "Neural network Processing Unit;神经网络处理器;神经网络处理单元;神经网络芯片",
        "IPU": "Intelligence Processing Unit;智能处理单元;智能处理器;Images Processing Unit;"
               "图像处理器;图形处理器;图像处理单元;图形处理单元",
        "TPU": "Tensor Processing Unit;张量处理器;张量处理单元",
        "FPGA": "Field Programmable Gate Array;现场可编程逻辑门阵列;现场可程式逻辑门阵列;现场可编程门阵列;"
                "现场可编辑逻辑门阵列;现场可编辑门阵列",
        "ASIC": "Application Specific Integrated Circuit;特殊应用集成电路;专用集成电路;特定用途集成电路",
        "CPLD": "Complex Programmable Logic Device;复杂可编程逻辑器件;复杂可程式逻辑器件;"
                "复杂可编程逻辑装置;复杂可程式逻辑装置",
        "VLSI": "Very Large Scale Integrate circuit;超大规模集成电路",
    }
    listed = {(r["branch"], r["term"]) for r in read_rows(BRANCHES_CSV) if r["kind"] == "term"}
    expected = {(b, t) for b, terms in table_1.items() for t in terms.split(";")}
    assert listed == expected


def test_allow_list_has_eleven_areas_six_named_by_the_study():
    rows = read_rows(SUBJECTS_CSV)
    assert len(rows) == 11
    assert {r["subject"] for r in rows if r["named_in_study"] == "yes"} == {
        "Automation & Control Systems", "Telecommunications", "Computer Science", "Engineering",
        "Robotics", "Quantum Science & Technology"}


@pytest.mark.parametrize("subject, allowed", [
    ("Computer Science", True),                                 # WoS research area (SC)
    ("Computer Science, Artificial Intelligence", True),        # WoS category (WC)
    ("Engineering, Electrical & Electronic", True),
    ("engineering, electrical and electronic", True),
    ("Automation & Control Systems", True),
    ("Physics, Applied", True),
    ("Physics, Nuclear", False),
    ("Computer Sciences Education", False),                     # a prefix, but not of a whole word
    ("Computer Science (all)", True),                           # Scopus subject area
    ("Medicine, General & Internal", False),
    ("Materials Science, Multidisciplinary", False),
])
def test_subject_allow_list(tagger, subject, allowed):
    assert tagger.subject_allowed(subject) is allowed


# -- tagging -------------------------------------------------------------------

@pytest.mark.parametrize("title, keywords, subjects, expected", [
    ("A 28nm FPGA-based accelerator for CNN inference", [], [], {"FPGA"}),
    ("Design of a GPU memory controller", [], [], {"GPU"}),
    ("基于FPGA的卷积神经网络加速器设计", [], [], {"FPGA"}),
    ("面向深度学习芯片的编译优化", [], [], {"DPU"}),
    ("类脑芯片的发展现状", [], [], {"Brain-like chip"}),
    ("超大规模集成电路设计", [], [], {"VLSI"}),
    # 图形处理器 is listed under GPU and under IPU in Table 1, so it tags both
    ("基于图形处理器的并行算法", [], [], {"GPU", "IPU"}),
    # plurals, hyphens and case of spelled-out terms
    ("Field-Programmable Gate Arrays for radar", [], [], {"FPGA"}),
    ("application-specific integrated circuits in space", [], [], {"ASIC"}),
    ("Very-large-scale integration of neural codecs", [], [], {"VLSI"}),
    ("Brain-like chips and spiking networks", [], [], {"Brain-like chip"}),
    ("A brain-inspired chip", [], [], {"Brain-like chip"}),
    ("tensor processing units at scale", [], [], {"TPU"}),
    ("GPUs, FPGAs and ASICs compared", [], [], {"GPU", "FPGA", "ASIC"}),
    ("Multi-GPU training", [], [], {"GPU"}),
    # acronyms are whole words only
    ("ASICS running shoes and marathon times", [], [], set()),
    ("The sgpu driver and GPUX bus", [], [], set()),
    ("GPGPU programming", [], [], set()),
    ("A field programmable object array", [], [], set()),
    # a term may not run from one field into the next
    ("Graphics", ["Processing Unit"], [], set()),
    ("Accelerators", ["CPLD", "DSP"], [], {"CPLD"}),
    # an ambiguous acronym alone counts only inside an allowed subject
    ("The NPU in a medical context", [], ["Medicine, General & Internal"], set()),
    ("The NPU in a medical context", [], [], set()),                    # no subjects: a patent
    ("An NPU for edge inference", [], CS, {"NPU"}),
    ("An NPU for edge inference", [], ["Engineering"], {"NPU"}),
    ("An NPU for edge inference", [], ["Computer Science; Engineering"], {"NPU"}),  # one joined string
    ("DPU offload of storage", [], ["Telecommunications"], {"DPU"}),
    ("Graphcore IPUs for training", [], ["Computer Science, Artificial Intelligence"], {"IPU"}),
    ("VPU on a drone", [], ["Robotics"], {"VPU"}),
    ("VPU on a drone", [], ["Oncology"], set()),
    # ... while their spelled-out terms count everywhere
    ("A neural network processing unit", [], [], {"NPU"}),
    ("A neural processing unit", [], ["Oncology"], {"NPU"}),
    ("神经网络处理器的设计", [], [], {"NPU"}),
    ("Vision processing units", [], [], {"VPU"}),
    # unambiguous acronyms need no subject
    ("TPU pods", [], [], {"TPU"}),
])
def test_tag(tagger, title, keywords, subjects, expected):
    assert tagger.tag(title, keywords, "", subjects) == expected


def test_abstract_and_keywords_are_searched(tagger):
    assert tagger.tag("A study", ["reconfigurable logic"], "We map the design onto an FPGA.", []) == {"FPGA"}
    assert tagger.tag("A study", ["complex programmable logic devices"], "", []) == {"CPLD"}


def test_bad_kind_names_file_and_line(tmp_path):
    bad = tmp_path / "branches.csv"
    bad.write_text("branch,lang,term,kind\nGPU,en,GPU,acronym\nGPU,en,GPGPU,nickname\n", encoding="utf-8")
    with pytest.raises(BranchDataError, match=r"branches\.csv line 3: unknown kind 'nickname'"):
        BranchTagger.load(bad, SUBJECTS_CSV)


# -- real exports ----------------------------------------------------------------

def wos_fields(path: Path, ut: str) -> dict[str, str]:
    """TI, DE, ID, AB, WC of one WoS plain-text record (streamed)."""
    fields: dict[str, str] = {}
    tag = None
    with open(path, encoding="utf-8-sig") as fp:
        for line in fp:
            line = line.rstrip("\n")
            if line.startswith("ER"):
                if fields.get("UT") == ut:
                    return fields
                fields, tag = {}, None
            elif line.startswith("   ") and tag:
                fields[tag] += " " + line[3:]
            elif len(line) > 2 and line[2] == " ":
                tag = line[:2]
                fields[tag] = line[3:]
    raise AssertionError(f"{ut} not in {path.name}")


def split(value: str) -> list[str]:
    return [v.strip() for v in value.split(";") if v.strip()]


# (file, UT, expected) — worked out by reading each record:
WOS_CASES = [
    # keywords list "CPLD"; "Flash Programmable System Parts" is no Table 1 term
    ("wos/citespace-homework-savedrecs10.txt", "WOS:000262356100165", {"CPLD"}),
    # abstract: "ThinkGear Asic Module" — the acronym in mixed case
    ("wos/citespace-homework-savedrecs10.txt", "WOS:000546127700002", {"ASIC"}),
    # abstract: "Application-specific integrated circuit (ASIC)"
    ("wos/citespace-homework-savedrecs8.txt", "WOS:000995544800016", {"ASIC"}),
    # abstract: "FPGA and/or ASIC"; the title's "field programmable object array" is not an FPGA
    ("wos/citespace-homework-savedrecs8.txt", "WOS:000237105900013", {"FPGA", "ASIC"}),
    # title and abstract: "VLSI architecture"
    ("wos/citespace-homework-savedrecs.txt", "WOS:000537466600068", {"VLSI"}),
    # Keywords Plus "VLSI"; "IMAGE-PROCESSOR" and "vision chip" are not Table 1 terms
    ("wos/wostools-bit-pattern-savedrecs.txt", "WOS:000295447400013", {"VLSI"}),
    # "PCD-TPUs" here is thermoplastic polyurethane.  Table 1 treats TPU as
    # unambiguous, so it counts: a false positive of the study's own term list,
    # kept so that counts follow the published method.
    ("wos/WOSAnalysis-main.txt", "WOS:000563540900006", {"TPU"}),
]


@pytest.mark.parametrize("relative, ut, expected", WOS_CASES)
def test_real_wos_records(tagger, relative, ut, expected):
    r = wos_fields(real_file(relative), ut)
    keywords = split(r.get("DE", "")) + split(r.get("ID", ""))
    assert tagger.tag(r.get("TI", ""), keywords, r.get("AB", ""), split(r.get("WC", ""))) == expected


# (file, DOI, expected) — IEEE CSV rows have no subject categories
IEEE_CASES = [
    # "GPU accelerators"; "GPUIterator" is one word and does not count on its own
    ("ieee/litstudy-ieee_1.csv", "10.1109/IPDPSW50202.2020.00117", {"GPU"}),
    # "CPU-GPU(Central Processing Unit-Graphic Processing Unit)"
    ("ieee/litstudy-ieee_1.csv", "10.1109/ICCNEA.2017.52", {"GPU"}),
    # HPC data analytics and I/O profiling: no chip terms at all
    ("ieee/litstudy-tests-ieee.csv", "10.1109/ACCESS.2021.3079139", set()),
    ("ieee/litstudy-tests-ieee.csv", "10.1109/ESPT.2016.005", set()),
]


@pytest.mark.parametrize("relative, doi, expected", IEEE_CASES)
def test_real_ieee_records(tagger, relative, doi, expected):
    with open(real_file(relative), encoding="utf-8-sig", newline="") as fp:
        row = next(r for r in csv.DictReader(fp) if r["DOI"] == doi)
    keywords = split(row["Author Keywords"]) + split(row["IEEE Terms"])
    assert tagger.tag(row["Document Title"], keywords, row["Abstract"], []) == expected
