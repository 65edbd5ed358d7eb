"""Write the calibrated demo dataset: Web of Science papers, patents and a README.

Real Web of Science and incoPat records cannot be shipped, so the project
ships generated exports whose whole counts reproduce the study's series
exactly (targets.csv; docs/demo-data.md says which numbers the study
publishes and which were chosen).  Everything is drawn from one
`random.Random(seed)`, so one seed always gives byte-identical files.
"""
from __future__ import annotations

import random
from pathlib import Path

from loader.demo.papers import plan_papers
from loader.demo.patents import write_patents
from loader.demo.targets import load_targets
from loader.demo.wos_text import FOOTER, HEADER, write_record

DEFAULT_SEED = 2024
# Web of Science exports at most 1,000 records at a time, so a real download
# of this size arrives as numbered pieces.
RECORDS_PER_FILE = 1000
PAPERS_PREFIX = "wos-savedrecs-"
PATENTS_FILE = "patents-generic.csv"
README = "README.txt"
README_TEXT = (
    "CALIBRATED DEMO DATA - generated records, not real Web of Science or incoPat "
    "records. Every paper, patent, author, title, DOI and accession number in this "
    "folder is made up (DOIs use the unassigned prefix 10.99999, accession numbers "
    "start with WOS:999). The totals reproduce the numbers published by the study "
    "(Zhang, Cheng & Jiang 2024, DOI 10.3772/j.issn.1009-8623.2024.03.006) and, "
    "for every value the study does not state, a series chosen to fit the trends it "
    "describes; "
    "docs/demo-data.md says which is which and how to regenerate these files.\n"
)


def write_demo(out_dir: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the demo exports and their README into `out_dir` (created if missing).

    Returns the export files, papers first, ready to be loaded; the README
    beside them is a label, not an export, and is not in the list.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    targets = load_targets()
    written = _write_papers(out_dir, plan_papers(targets, rng), rng)

    patents = out_dir / PATENTS_FILE
    with open(patents, "w", encoding="utf-8", newline="") as fp:
        write_patents(fp, targets, rng)
    (out_dir / README).write_text(README_TEXT, encoding="utf-8")
    return written + [patents]


def _write_papers(out_dir: Path, papers: list, rng: random.Random) -> list[Path]:
    # Another seed gives another number of papers, hence other file names: clear
    # the pieces of an earlier run so the folder holds one dataset.
    for stale in out_dir.glob(f"{PAPERS_PREFIX}*.txt"):
        stale.unlink()
    written = []
    for start in range(0, len(papers), RECORDS_PER_FILE):
        piece = papers[start:start + RECORDS_PER_FILE]
        path = out_dir / f"{PAPERS_PREFIX}{start + 1:05d}-{start + len(piece):05d}.txt"
        with open(path, "w", encoding="utf-8", newline="\n") as fp:
            fp.write(HEADER)
            for serial, paper in enumerate(piece, start + 1):
                write_record(fp, paper, serial, rng)
            fp.write(FOOTER)
        written.append(path)
    return written
