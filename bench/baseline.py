"""The pandas baseline: the benchmark's questions answered from raw rows in DataFrames.

An analyst without a graph database would parse the exports once and keep what
they hold as plain tables: one row per paper (its year), one row per paper and
country, one per paper and institution, the institutions and the countries
(likewise patents and their inventors' countries).  The tables are built here
from the same parsed and resolved records the loader writes (`Preparer`: the
same institution names and parents), before anything is timed.  Nothing derived
is stored: each answer joins the records' years and counts a record's countries
itself, every call, and only the answers are timed.  Each answer follows its
`.cypher` file's counting rules to the letter, so the two must agree row for row.

A record's id is its row's position in the papers (patents) table, the way a
category's code indexes its categories: joining a link row to its record's year
is then an array lookup (`values[ids]`), and a group-by count per record (its
countries) is `np.bincount` over the link rows' ids, several times faster than
`groupby("paper").size()` and with the same counts.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from loader.formats import read_records
from loader.pipeline import chunks
from loader.prepare import Preparer, country_rows, merge_duplicates
from loader.records import INVENTOR, PAPER, Record

BATCH = 2000
NO_YEAR = 0     # a record without a year: in the tables, in no year's count


@dataclass
class Tables:
    papers: pd.DataFrame            # paper (its row position), uid, year (NO_YEAR when missing), fresh
    paper_countries: pd.DataFrame   # paper, code: one row per paper and country
    paper_insts: pd.DataFrame       # paper, inst: one row per paper and institution (an id into units)
    units: pd.DataFrame             # index inst id: uid, name, name_zh, country, parent (inst id or -1)
    countries: pd.DataFrame         # index code: name, name_zh
    patents: pd.DataFrame           # patent (its row position), uid, year (NO_YEAR when missing)
    patent_countries: pd.DataFrame  # patent, code: one row per patent family and inventor country
    records: int                    # records read (duplicates included)

    def without_fresh(self) -> "Tables":
        """The tables as they were before the incremental load."""
        fresh = self.papers["fresh"].to_numpy()
        kept = int((~fresh).sum())
        # Fresh papers are read last, so they are the table's tail: the others keep their positions as ids.
        if fresh[:kept].any():
            raise ValueError("the papers table has fresh papers before older ones; "
                             "build it with build_tables(paths, fresh_paths), which reads the fresh exports last")
        old = {name: frame[frame["paper"].to_numpy() < kept]
               for name, frame in (("paper_countries", self.paper_countries), ("paper_insts", self.paper_insts))}
        return Tables(self.papers.iloc[:kept], old["paper_countries"], old["paper_insts"], self.units,
                      self.countries, self.patents, self.patent_countries, self.records)


class _Builder:
    """Accumulates plain lists while records stream by; DataFrames are made once at the end."""

    def __init__(self, preparer: Preparer):
        self.preparer = preparer
        self.paper_ids: dict[str, int] = {}
        self.paper_year: list[int] = []
        self.fresh: list[bool] = []
        self.pc: tuple[list[int], list[str]] = ([], [])
        self.pi: tuple[list[int], list[int]] = ([], [])
        self.inst_ids: dict[str, int] = {}
        self.inst_rows: list[list] = []           # uid, name, name_zh, country, parent uid
        self.patent_year: dict[str, int | None] = {}
        self.patent_codes: dict[str, set[str]] = {}
        self.records = 0

    def add(self, records: list[Record], fresh: bool) -> None:
        self.records += len(records)
        prepared, institutions, _ = self.preparer.prepare(list(merge_duplicates(records)))
        for row in institutions.values():
            known = self.inst_ids.setdefault(row.uid, len(self.inst_rows))
            if known == len(self.inst_rows):
                self.inst_rows.append([row.uid, row.name, row.name_zh, row.country, row.parent_uid])
            else:
                held = self.inst_rows[known]
                held[2], held[4] = held[2] or row.name_zh, held[4] or row.parent_uid
        for p in prepared:
            rec = p.record
            if rec.kind != PAPER:
                self._patent(rec.uid, rec.year, [c for c, role in p.countries if role == INVENTOR])
                continue
            pid = self.paper_ids.setdefault(rec.uid, len(self.paper_year))
            if pid == len(self.paper_year):
                self.paper_year.append(rec.year or NO_YEAR)
                self.fresh.append(fresh)
            else:
                self.paper_year[pid] = rec.year or NO_YEAR    # the graph keeps the last year written
            for code, _ in p.countries:
                self.pc[0].append(pid)
                self.pc[1].append(code)
            for uid, _ in p.institutions:
                self.pi[0].append(pid)
                self.pi[1].append(self.inst_ids[uid])

    def _patent(self, uid: str, year: int | None, codes: list[str]) -> None:
        # Family rows merge across batches as the graph merges them: the earliest year, all countries.
        held = self.patent_year.get(uid)
        self.patent_year[uid] = year if held is None else held if year is None else min(held, year)
        self.patent_codes.setdefault(uid, set()).update(codes)

    def tables(self) -> Tables:
        papers = pd.DataFrame({"paper": np.arange(len(self.paper_year), dtype=np.int64), "uid": list(self.paper_ids),
                               "year": np.array(self.paper_year, dtype=np.int64),
                               "fresh": np.array(self.fresh, dtype=bool)})
        # A paper read in several exports, or in several batches, lists its countries and institutions once.
        pc = pd.DataFrame({"paper": np.array(self.pc[0], dtype=np.int64), "code": self.pc[1]}).drop_duplicates()
        pc["code"] = pc["code"].astype("category")
        pi = pd.DataFrame({"paper": np.array(self.pi[0], dtype=np.int64),
                           "inst": np.array(self.pi[1], dtype=np.int64)}).drop_duplicates()
        units = pd.DataFrame(self.inst_rows, columns=["uid", "name", "name_zh", "country", "parent"])
        units["parent"] = units["parent"].map(self.inst_ids).fillna(-1).astype(np.int64)
        codes = sorted(set(self.pc[1]) | {c for cs in self.patent_codes.values() for c in cs}
                       | set(units["country"][units["country"] != ""]))
        countries = pd.DataFrame(country_rows(codes)).set_index("code")
        families = list(self.patent_year)
        patents = pd.DataFrame({"patent": np.arange(len(families), dtype=np.int64), "uid": families,
                                "year": np.array([self.patent_year[uid] or NO_YEAR for uid in families],
                                                 dtype=np.int64)})
        inventors = [(k, code) for k, uid in enumerate(families) for code in sorted(self.patent_codes[uid])]
        patent_countries = pd.DataFrame(inventors, columns=["patent", "code"]).astype({"patent": np.int64,
                                                                                      "code": "category"})
        return Tables(papers, pc.reset_index(drop=True), pi.reset_index(drop=True), units, countries,
                      patents, patent_countries, self.records)


def build_tables(paths: Iterable[Path], fresh_paths: Iterable[Path] = (), preparer: Preparer | None = None) -> Tables:
    """Parse and resolve the exports into the baseline's tables (papers of `fresh_paths` are
    marked, so the tables before and after the incremental load are both at hand)."""
    builder = _Builder(preparer or Preparer())
    for fresh, group in ((False, paths), (True, fresh_paths)):
        for path in group:
            records = (item for item in read_records(Path(path)) if isinstance(item, Record))
            for batch in chunks(records, BATCH):
                builder.add(batch, fresh)
    return builder.tables()


# -- the answers (timed) ------------------------------------------------------------------------

def _in_years(year: np.ndarray, year_from: int | None, year_to: int | None) -> np.ndarray:
    """Per record: it has a year, within the bounds."""
    keep = year != NO_YEAR
    if year_from is not None:
        keep &= year >= year_from
    if year_to is not None:
        keep &= year <= year_to
    return keep


def _pair_rows(links: pd.DataFrame, a: str, b: str) -> tuple[np.ndarray, np.ndarray]:
    """Which country rows are a's and which b's (a code absent from the tables matches none)."""
    code = links["code"]
    return (code == a).to_numpy(), (code == b).to_numpy()


def _records_with(ids: np.ndarray, rows: np.ndarray, size: int) -> np.ndarray:
    """Per record (of `size`): whether one of the chosen link rows is its."""
    flag = np.zeros(size, dtype=bool)
    flag[ids[rows]] = True
    return flag


def _both(has_a: np.ndarray, has_b: np.ndarray, a: str, b: str) -> np.ndarray:
    """Per record: it has both countries; a pair of one country with itself has none (no pair edge in the graph)."""
    return has_a & has_b if a != b else np.zeros_like(has_a)


def closeness(t: Tables, a: str, b: str, year_from: int | None = None, year_to: int | None = None,
              kind: str = PAPER) -> pd.DataFrame:
    """cypher/closeness.cypher: per year n_ab, n_a, n_b (international records), closeness, shares."""
    records, links, key = ((t.papers, t.paper_countries, "paper") if kind == PAPER
                           else (t.patents, t.patent_countries, "patent"))
    ids = links[key].to_numpy()
    year = records["year"].to_numpy()
    size = len(records)
    # A record is international with more than one country: its country rows counted, per record.
    counted = _in_years(year, year_from, year_to) & (np.bincount(ids, minlength=size) > 1)
    is_a, is_b = _pair_rows(links, a, b)
    has_a = _records_with(ids, is_a, size) & counted
    has_b = _records_with(ids, is_b, size) & counted
    n_a = pd.Series(year[has_a]).value_counts()
    n_b = pd.Series(year[has_b]).value_counts()
    n_ab = pd.Series(year[_both(has_a, has_b, a, b)]).value_counts()
    out = pd.DataFrame({"n_ab": n_ab, "n_a": n_a, "n_b": n_b}).fillna(0).astype(np.int64).sort_index()
    out = out.rename_axis("year").reset_index()
    n_a_f, n_b_f = out["n_a"].astype(float), out["n_b"].astype(float)
    out["closeness"] = (out["n_ab"] / np.sqrt(n_a_f * n_b_f)).where((n_a_f > 0) & (n_b_f > 0))
    out["share_a"] = (out["n_ab"] / n_a_f).where(n_a_f > 0)
    out["share_b"] = (out["n_ab"] / n_b_f).where(n_b_f > 0)
    return out


def _unit_ids(t: Tables, inst: np.ndarray, rollup: bool) -> np.ndarray:
    """An institution, or its parent where it has one and counts roll up (one level, as PART_OF)."""
    if not rollup:
        return inst
    parent = t.units["parent"].to_numpy()[inst]
    return np.where(parent >= 0, parent, inst)


def partners(t: Tables, institution: str, rollup: bool = True, year_from: int | None = None,
             year_to: int | None = None) -> pd.DataFrame:
    """cypher/partners.cypher: partner countries and institutions of one institution, all rows sorted
    (level, records descending, partner); the saved query keeps every country and the first
    $limit institutions."""
    units = t.units
    parent_name = units["name"].reindex(units["parent"]).to_numpy()
    is_target = (units["name"] == institution) | (units["name_zh"] == institution)
    if rollup:
        is_target |= parent_name == institution
    own = units.index[is_target].to_numpy()
    own_countries = set(units["country"][is_target])
    links = t.paper_insts
    mine = links["paper"][links["inst"].isin(own)].unique()
    mine = mine[_in_years(t.papers["year"].to_numpy()[mine], year_from, year_to)]
    others = links[links["paper"].isin(mine) & ~links["inst"].isin(own)]
    unit = _unit_ids(t, others["inst"].to_numpy(), rollup)
    keep = units["name"].to_numpy()[unit] != institution
    inst_counts = pd.DataFrame({"paper": others["paper"].to_numpy()[keep], "unit": unit[keep]}) \
        .drop_duplicates().groupby("unit").size()
    chosen = units.loc[inst_counts.index]
    inst_rows = pd.DataFrame({"level": "institution", "partner": chosen["name"].to_numpy(),
                              "partner_zh": chosen["name_zh"].to_numpy(), "country": chosen["country"].to_numpy(),
                              "records": inst_counts.to_numpy()})
    codes = t.paper_countries
    codes = codes[codes["paper"].isin(mine) & ~codes["code"].isin(own_countries)]
    country_counts = codes.groupby("code", observed=True)["paper"].nunique()
    names = t.countries.loc[country_counts.index.astype(str)]
    country_rows_ = pd.DataFrame({"level": "country", "partner": names["name"].to_numpy(),
                                  "partner_zh": names["name_zh"].to_numpy(),
                                  "country": country_counts.index.astype(str), "records": country_counts.to_numpy()})
    rows = pd.concat([country_rows_, inst_rows], ignore_index=True)
    return rows.sort_values(["level", "records", "partner"], ascending=[True, False, True], kind="stable")


def institution_shares(t: Tables, a: str, b: str, year: int, rollup: bool = True) -> pd.DataFrame:
    """cypher/institution_shares.cypher (papers, $country and $names null): every row, sorted."""
    ids = t.paper_countries["paper"].to_numpy()
    papers = len(t.papers)
    intl = (t.papers["year"].to_numpy() == year) & (np.bincount(ids, minlength=papers) > 1)
    is_a, is_b = _pair_rows(t.paper_countries, a, b)
    # Only the year's papers are looked up in `both`, so it needs no year filter of its own.
    both = _both(_records_with(ids, is_a, papers), _records_with(ids, is_b, papers), a, b)
    paper = t.paper_insts["paper"].to_numpy()
    rows = intl[paper]
    frame = pd.DataFrame({"paper": paper[rows],
                          "unit": _unit_ids(t, t.paper_insts["inst"].to_numpy()[rows], rollup)}).drop_duplicates()
    frame["both"] = both[frame["paper"].to_numpy()]
    per_unit = frame.groupby("unit").agg(n_intl=("paper", "size"), n_ab=("both", "sum"))
    units = t.units.loc[per_unit.index]
    out = pd.DataFrame({"institution": units["name"].to_numpy(), "name_zh": units["name_zh"].to_numpy(),
                        "country": units["country"].to_numpy(), "n_ab": per_unit["n_ab"].to_numpy(),
                        "n_intl": per_unit["n_intl"].to_numpy()})
    out = out[(out["n_ab"] > 0) & out["country"].isin([a, b])]
    out = out.assign(share=out["n_ab"] / out["n_intl"])
    return out.sort_values(["n_ab", "institution"], ascending=[False, True], kind="stable")


def network_institutions(t: Tables, year_from: int | None, year_to: int | None, limit: int = 100,
                         min_weight: int = 1, rollup: bool = True) -> pd.DataFrame:
    """cypher/network_institutions.cypher (papers, no branch, country or ego filter): the `limit`
    institutions with most records as nodes (source = target) and the records each pair shares."""
    paper = t.paper_insts["paper"].to_numpy()
    rows = _in_years(t.papers["year"].to_numpy(), year_from, year_to)[paper]
    frame = pd.DataFrame({"paper": paper[rows],
                          "unit": _unit_ids(t, t.paper_insts["inst"].to_numpy()[rows], rollup)}).drop_duplicates()
    sizes = frame.groupby("unit").size()
    ranked = pd.DataFrame({"n": sizes.to_numpy(), "name": t.units["name"].to_numpy()[sizes.index]},
                          index=sizes.index).sort_values(["n", "name"], ascending=[False, True], kind="stable")
    top = ranked.index[:limit]
    chosen = frame[frame["unit"].isin(top)]
    # Pairs are kept once, source <= target by uid, as the query orders them.
    uid_rank = pd.Series(np.argsort(np.argsort(t.units["uid"].to_numpy()[top])), index=top)
    pairs = chosen.merge(chosen, on="paper", suffixes=("_u", "_v"))
    pairs = pairs[uid_rank[pairs["unit_u"]].to_numpy() <= uid_rank[pairs["unit_v"]].to_numpy()]
    weights = pairs.groupby(["unit_u", "unit_v"]).size().rename("weight").reset_index()
    weights = weights[(weights["unit_u"] == weights["unit_v"]) | (weights["weight"] >= min_weight)]
    u, v = t.units.loc[weights["unit_u"]], t.units.loc[weights["unit_v"]]
    out = pd.DataFrame({
        "source": u["uid"].to_numpy(), "target": v["uid"].to_numpy(), "weight": weights["weight"].to_numpy(),
        "source_name": u["name"].to_numpy(), "source_zh": u["name_zh"].to_numpy(),
        "source_country": u["country"].to_numpy(),
        "target_name": v["name"].to_numpy(), "target_zh": v["name_zh"].to_numpy(),
        "target_country": v["country"].to_numpy()})
    return out.sort_values(["weight", "source", "target"], ascending=[False, True, True], kind="stable")


def largest_institution(t: Tables, rollup: bool = True) -> str:
    """The name of the institution (its parent, with roll-up) on the most papers."""
    frame = pd.DataFrame({"paper": t.paper_insts["paper"].to_numpy(),
                          "unit": _unit_ids(t, t.paper_insts["inst"].to_numpy(), rollup)}).drop_duplicates()
    return str(t.units["name"].iloc[frame.groupby("unit").size().idxmax()])
