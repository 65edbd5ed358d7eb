"""Demo patents in the generic patent CSV (docs/formats/generic-patent-csv.md).

One invention is one simple family.  About a third of the families are written
as two rows (a Chinese and a US publication, or a US and a PCT one) that must
merge into one: counted once, in the year of the earlier application.  The
later row sometimes lacks a priority date, so only the merge gives the right
year.  Inventor countries decide the counts, as in the study; applicants are
the companies and universities that file in this field.
"""
from __future__ import annotations

import csv
import random
from typing import TextIO

from loader.demo.targets import Targets
from loader.demo.vocabulary import author, topic

COLUMNS = ("family_id", "application_number", "publication_number", "office",
           "application_date", "priority_date", "title", "abstract", "ipc",
           "applicants", "applicant_countries", "inventors", "inventor_countries")

# (name, country); a family's applicant comes from a country on it.
APPLICANTS = {
    "CN": ("Huawei Technologies Co., Ltd.", "Cambricon Technologies Corporation Limited",
           "Tsinghua University", "Peking University",
           "Baidu Online Network Technology (Beijing) Co., Ltd.",
           "Alibaba Group Holding Limited", "ZTE Corporation",
           "Institute of Computing Technology, Chinese Academy of Sciences",
           "Beijing Horizon Robotics Technology Research and Development Co., Ltd."),
    "US": ("Intel Corporation", "International Business Machines Corporation", "Qualcomm Incorporated",
           "NVIDIA Corporation", "Google LLC", "Microsoft Technology Licensing, LLC",
           "Advanced Micro Devices, Inc.", "Xilinx, Inc.",
           "The Regents of the University of California"),
    "DE": ("Robert Bosch GmbH", "Infineon Technologies AG"),
    "JP": ("Sony Corporation", "Fujitsu Limited"),
    "KR": ("Samsung Electronics Co., Ltd.", "SK hynix Inc."),
    "GB": ("Arm Limited", "Graphcore Limited"),
    "TW": ("Taiwan Semiconductor Manufacturing Company, Ltd.", "MediaTek Inc."),
    "IL": ("Mobileye Vision Technologies Ltd.",),
    "CA": ("Huawei Technologies Canada Co., Ltd.",),
    "SG": ("Agency for Science, Technology and Research",),
}
PARTNERS_OF_CN = ("DE", "JP", "KR", "GB", "SG", "CA", "TW", "IL", "SE", "FI", "NL", "CH")
PARTNERS_OF_US = ("DE", "JP", "KR", "GB", "IN", "CA", "IL", "FR", "TW", "SG", "IE", "CH", "NL")
IPC = ("G06N3/063", "G06N3/04", "G06N3/08", "G06N3/02", "G06F15/78", "G06F9/50", "G06T1/20",
       "G06F17/16", "G06N20/00", "G06F7/544", "H03K19/177", "G06K9/62")
TITLES = ("{Term}-based neural network accelerator and control method thereof",
          "Data processing method and device for {a_term}",
          "Method for scheduling {work} on {term} clusters",
          "{Adj} {term} for {work} and chip comprising the same",
          "Apparatus and method for {technique} in {a_term}")
ABSTRACT = ("The invention relates to {term} hardware for {work}. A controller applies {technique} "
            "so that on-chip buffers are reused and power consumption is reduced.")


def write_patents(fp: TextIO, targets: Targets, rng: random.Random) -> int:
    """Write every demo family; return the number of rows."""
    writer = csv.writer(fp, lineterminator="\n")
    writer.writerow(COLUMNS)
    rows, serial = 0, 0
    for year in targets.years("patent"):
        goal = targets.national[("patent", year)]
        families = [{"CN", "US"} | ({rng.choice(PARTNERS_OF_US)} if rng.random() < 0.1 else set())
                    for _ in range(goal.n_cn_us)]
        families += [{"CN", rng.choice(PARTNERS_OF_CN)} for _ in range(goal.n_cn - goal.n_cn_us)]
        families += [{"US", rng.choice(PARTNERS_OF_US)} for _ in range(goal.n_us - goal.n_cn_us)]
        families += [{"CN"}] * rng.randint(1, 3) + [{"US"}] * rng.randint(1, 3)
        families += [set(rng.sample(PARTNERS_OF_US, 2)) for _ in range(rng.randint(0, 2))]
        rng.shuffle(families)
        for countries in families:
            serial += 1
            for row in _family_rows(year, serial, countries, rng):
                writer.writerow(row)
                rows += 1
    return rows


def _family_rows(year: int, serial: int, countries: set[str], rng: random.Random) -> list[list[str]]:
    inventors = [(author(rng, code), code) for code in sorted(countries)
                 for _ in range(rng.randint(1, 3))]
    rng.shuffle(inventors)
    owners = [c for c in sorted(countries) if c in APPLICANTS] or ["US"]
    applicants = [(rng.choice(APPLICANTS[code]), code)
                  for code in rng.sample(owners, 2 if len(owners) > 1 and rng.random() < 0.2 else 1)]
    about = topic(rng, year)
    shared = {
        "title": about.fill(rng.choice(TITLES)),
        "abstract": about.fill(ABSTRACT),
        "ipc": "|".join(rng.sample(IPC, rng.randint(1, 3))),
        "applicants": "|".join(name for name, _ in applicants),
        "applicant_countries": "|".join(code for _, code in applicants),
        "inventors": "|".join(af for (_, af), _ in inventors),
        "inventor_countries": "|".join(code for _, code in inventors),
    }
    first_office = "CN" if applicants[0][1] == "CN" else "US"
    first_date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    two_rows = rng.random() < 0.33
    family = f"{60000000 + serial * 7:09d}" if two_rows or rng.random() < 0.7 else ""
    rows = [_row(family, first_office, first_date, "", serial, shared)]
    if two_rows:
        later = year + (1 if rng.random() < 0.5 else 0)
        date = f"{later}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        if date < first_date:
            date = first_date
        office = "US" if first_office == "CN" else rng.choice(("CN", "WO"))
        # The later filing claims the first as priority, when the export says so.
        priority = first_date if rng.random() < 0.6 else ""
        rows.append(_row(family, office, date, priority, serial, shared))
    return rows


def _row(family: str, office: str, date: str, priority: str, serial: int,
         shared: dict[str, str]) -> list[str]:
    year = int(date[:4])
    if office == "CN":
        application = f"CN{year}1{serial:07d}.{serial % 10}"
        publication = f"CN{110000000 + serial}A"
    elif office == "US":
        application = f"US{min(17, 11 + (year - 2007) // 2)}/{serial // 1000:03d},{serial % 1000:03d}"
        publication = f"US{year + 1}{serial:07d}A1"
    else:
        application = f"PCT/US{year}/{serial:06d}"
        publication = f"WO{year + 1}{serial:06d}A1"
    values = {"family_id": family, "application_number": application,
              "publication_number": publication, "office": office,
              "application_date": date, "priority_date": priority, **shared}
    return [values[column] for column in COLUMNS]
