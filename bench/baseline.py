"""The pandas baseline: the benchmark's questions answered from in-memory tables.

An analyst without a graph database would parse the exports once, keep two
link tables (papers × countries, papers × institutions) and an institution
table in DataFrames, and answer each question with joins and group-bys.  The
tables are built here from the same parsed and resolved records the loader
writes (`Preparer`: the same institution names and parents), before anything
is timed; only the answers are timed.  Each answer follows its `.cypher` file's
counting rules to the letter, so the two must agree row for row.
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
    paper_countries: pd.DataFrame   # paper, year, n (the paper's countries), code, fresh
    paper_insts: pd.DataFrame       # paper, year, n, inst, fresh
    units: pd.DataFrame             # index inst id: uid, name, name_zh, country, parent (inst id or -1)
    countries: pd.DataFrame         # index code: name, name_zh
    patent_countries: pd.DataFrame  # patent, year, n (inventor countries), code
    records: int                    # records read (duplicates included)

    def without_fresh(self) -> "Tables":
        """The tables as they were before the incremental load."""
        return Tables(self.paper_countries[~self.paper_countries.fresh], self.paper_insts[~self.paper_insts.fresh],
                      self.units, self.countries, self.patent_countries, self.records)


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
        years = np.array(self.paper_year, dtype=np.int64)
        fresh = np.array(self.fresh, dtype=bool)
        pc = pd.DataFrame({"paper": np.array(self.pc[0], dtype=np.int64), "code": self.pc[1]}).drop_duplicates()
        pi = pd.DataFrame({"paper": np.array(self.pi[0], dtype=np.int64),
                           "inst": np.array(self.pi[1], dtype=np.int64)}).drop_duplicates()
        n = pc.groupby("paper").size().reindex(range(len(years)), fill_value=0).to_numpy()
        for frame in (pc, pi):
            ids = frame["paper"].to_numpy()
            frame["year"], frame["n"], frame["fresh"] = years[ids], n[ids], fresh[ids]
        pc["code"] = pc["code"].astype("category")
        units = pd.DataFrame(self.inst_rows, columns=["uid", "name", "name_zh", "country", "parent"])
        units["parent"] = units["parent"].map(self.inst_ids).fillna(-1).astype(np.int64)
        codes = sorted(set(self.pc[1]) | {c for cs in self.patent_codes.values() for c in cs}
                       | set(units["country"][units["country"] != ""]))
        countries = pd.DataFrame(country_rows(codes)).set_index("code")
        patents = pd.DataFrame([(uid, self.patent_year[uid] or NO_YEAR, len(cs), code)
                                for uid, cs in self.patent_codes.items() for code in sorted(cs)],
                               columns=["patent", "year", "n", "code"])
        return Tables(pc.reset_index(drop=True), pi.reset_index(drop=True), units, countries, patents, self.records)


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

def _years(frame: pd.DataFrame, year_from: int | None, year_to: int | None) -> pd.DataFrame:
    keep = frame["year"] != NO_YEAR
    if year_from is not None:
        keep &= frame["year"] >= year_from
    if year_to is not None:
        keep &= frame["year"] <= year_to
    return frame[keep]


def closeness(t: Tables, a: str, b: str, year_from: int | None = None, year_to: int | None = None,
              kind: str = PAPER) -> pd.DataFrame:
    """cypher/closeness.cypher: per year n_ab, n_a, n_b (international records), closeness, shares."""
    links = t.paper_countries if kind == PAPER else t.patent_countries.rename(columns={"patent": "paper"})
    links = _years(links, year_from, year_to)
    intl = links[(links["n"] > 1) & links["code"].isin([a, b])]
    n_a = intl[intl["code"] == a].groupby("year").size()
    n_b = intl[intl["code"] == b].groupby("year").size()
    per_paper = intl.groupby("paper", observed=True).agg(k=("code", "nunique"), year=("year", "first"))
    n_ab = per_paper[per_paper["k"] == 2].groupby("year").size()
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
    links = _years(t.paper_insts, year_from, year_to)
    mine = links["paper"][links["inst"].isin(own)].unique()
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
    links = t.paper_insts[(t.paper_insts["year"] == year) & (t.paper_insts["n"] > 1)]
    codes = t.paper_countries
    codes = codes[(codes["year"] == year) & codes["code"].isin([a, b])]
    both = codes.groupby("paper", observed=True)["code"].nunique()
    both = both.index[both == 2]
    frame = pd.DataFrame({"paper": links["paper"].to_numpy(),
                          "unit": _unit_ids(t, links["inst"].to_numpy(), rollup)}).drop_duplicates()
    frame["both"] = frame["paper"].isin(both)
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
    links = _years(t.paper_insts, year_from, year_to)
    frame = pd.DataFrame({"paper": links["paper"].to_numpy(),
                          "unit": _unit_ids(t, links["inst"].to_numpy(), rollup)}).drop_duplicates()
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
