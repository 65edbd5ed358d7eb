"""Everything the pages read from the graph: one connection, cached answers, saved queries only.

Pages never hold Cypher: they call the small functions at the bottom of this
module, each of which names a saved query (cypher/*.cypher) and its parameters.

Caching, so that a filter change recomputes only what it touched:
- the connection is one `st.cache_resource` per (engine address, data folder,
  graph name) — the same values `graph.open_graph()` reads, so a test that points
  the environment at its own graph gets its own connection;
- every answer is a `st.cache_data` entry keyed on the graph's version, the
  query's name and its bound parameters; the analyses (intervals, indices,
  matrices, change between periods) are cached the same way, on the connection,
  the version and their arguments;
- the version is a fingerprint of the node and relationship counts, itself
  cached for a few seconds: a load from the command line shows up within
  `VERSION_TTL_S`, a load from the Data page at once (`forget()`).
"""
from __future__ import annotations

import hashlib
import json
import csv
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from analysis import bundle, change, matrix, series, uncertainty
from analysis.counting import (WHOLE, fetch_cells, fetch_institution_types, institution_reconciliation as
                               reconcile_institutions, query_params, reconciliation as reconcile)
from cypher import runner
from graph import GRAPH_NAME, Graph, QueryResult, data_dir, open_graph

BRANCHES_CSV = Path(__file__).resolve().parents[2] / "loader" / "data" / "branches.csv"

VERSION_TTL_S = 10
ALL_ROWS = 100_000                # the engine's own result-set ceiling


def connection_key() -> tuple[str, str, str]:
    return (os.environ.get("COLLAB_GRAPH", ""), str(data_dir()),
            os.environ.get("COLLAB_GRAPH_NAME", GRAPH_NAME))


@st.cache_resource(show_spinner=False)
def _open(key: tuple[str, str, str]) -> Graph:
    return open_graph(key[0] or None)


def graph() -> Graph:
    """The app's one connection (opened on first use, shared by every session)."""
    return _open(connection_key())


@st.cache_data(ttl=VERSION_TTL_S, show_spinner=False)
def _counts(key: tuple[str, str, str]) -> dict[str, int]:
    return _open(key).counts()


def counts() -> dict[str, int]:
    """Nodes per label and relationships per type (`nodes:Paper`, `rels:IN_BRANCH` ...)."""
    return _counts(connection_key())


def version() -> str:
    return hashlib.sha1(json.dumps(counts(), sort_keys=True).encode()).hexdigest()[:12]


def forget() -> None:
    """After the graph changed: read everything afresh."""
    _counts.clear()
    _answer.clear()
    for cached in _ANALYSES:
        cached.clear()


@dataclass(frozen=True)
class Answer:
    """A saved query's rows together with what produced them (shown under every chart)."""

    name: str
    params: dict[str, Any]
    df: pd.DataFrame

    @property
    def text(self) -> str:
        return runner.get(self.name).text

    @property
    def params_json(self) -> str:
        return json.dumps(self.params, ensure_ascii=False, indent=2)


@st.cache_data(show_spinner=False, max_entries=512)
def _answer(key: tuple[str, str, str], graph_version: str, name: str, params_json: str) -> pd.DataFrame:
    return runner.run_df(_open(key), name, json.loads(params_json), row_cap=ALL_ROWS)


def ask(name: str, **params: Any) -> Answer:
    """Run a saved query (cached); unknown or missing parameters are refused by the runner."""
    query = runner.get(name)
    bound = query.bind(params)
    if not counts():
        # Nothing loaded yet (a fresh install): every question has no rows, and an engine may
        # refuse to read a graph that was never written.
        return Answer(name, bound, pd.DataFrame(columns=list(query.returns)))
    df = _answer(connection_key(), version(), name, json.dumps(bound, sort_keys=True, ensure_ascii=False))
    return Answer(name, bound, df)


def _years(year_from: int | None, year_to: int | None) -> dict[str, int | None]:
    # `from` is a Python keyword, so the year bounds travel as a dict.
    return {"from": year_from, "to": year_to}


# -- the questions the pages ask ------------------------------------------------------------------

def closeness(a: str, b: str, kind: str, role: str, year_from: int | None, year_to: int | None,
              branch: str | None = None) -> Answer:
    return ask("closeness", a=a, b=b, kind=kind, role=role, branch=branch, **_years(year_from, year_to))


# `counting`: 'whole' (the study's) or 'fractional' (analysis.counting.COUNTINGS), as the saved
# queries name it; under 'fractional' their count columns are floats.

def institution_compare(a: str, b: str, kind: str, year1: int, year2: int, *, rollup: bool, limit: int,
                        min_intl: int | None, counting: str = WHOLE) -> Answer:
    return ask("institution_compare", a=a, b=b, kind=kind, year1=year1, year2=year2, rollup=rollup,
               limit=limit, min_intl=min_intl, counting=counting)


def institution_series(institution: str, a: str, b: str, kind: str, *, rollup: bool,
                       year_from: int | None = None, year_to: int | None = None, counting: str = WHOLE) -> Answer:
    return ask("institution_series", institution=institution, a=a, b=b, kind=kind, rollup=rollup,
               counting=counting, **_years(year_from, year_to))


def network(level: str, kind: str, year_from: int | None, year_to: int | None, *, branch: str | None,
            countries: list[str] | None, limit: int, min_weight: float, rollup: bool = True,
            institution: str | None = None, counting: str = WHOLE) -> Answer:
    """`level` 'institution' or 'country'; `institution` set: that institution's ego network.

    The ego network of one unit, over all branches and countries, is read from the per-unit links
    (ego_network: the ego, its limit − 1 strongest partners and all the ties among them), an
    institute's under roll-up too.  Anything else — a branch, a country filter, a name that two
    institutions share — is counted from the ego's records (network_institutions: ties among the
    partners on the ego's records only); ego_network returns no rows for those."""
    common = dict(kind=kind, branch=branch, countries=countries or None, limit=limit, min_weight=min_weight,
                  counting=counting, **_years(year_from, year_to))
    if level == "country":
        return ask("network_countries", **common)
    if institution is not None and branch is None and not countries:
        ego = ask("ego_network", institution=institution, kind=kind, rollup=rollup, limit=limit,
                  min_weight=min_weight, counting=counting, **_years(year_from, year_to))
        if not ego.df.empty:
            return ego
    return ask("network_institutions", rollup=rollup, institution=institution, **common)


def partners(institution: str, kind: str, *, rollup: bool, year_from: int | None = None,
             year_to: int | None = None, counting: str = WHOLE) -> Answer:
    return ask("partners", institution=institution, kind=kind, rollup=rollup, limit=ALL_ROWS,
               partner_country=None, counting=counting, **_years(year_from, year_to))


LINK_ROWS = 200     # records listed behind a link; the `total` column counts them all


def link_records(institution: str, kind: str, *, partner: str | None, partner_country: str | None,
                 rollup: bool, year_from: int | None = None, year_to: int | None = None) -> Answer:
    """The newest LINK_ROWS records behind one link, each row with the total behind it."""
    return ask("link_records", institution=institution, kind=kind, partner=partner,
               partner_country=partner_country, rollup=rollup, limit=LINK_ROWS, **_years(year_from, year_to))


def institution_search(text: str, limit: int = 30) -> Answer:
    return ask("institution_search", q=text, limit=limit)


def institution_list(limit: int = 200) -> Answer:
    return ask("institution_list", limit=limit)


def unresolved(limit: int = 200) -> Answer:
    return ask("unresolved_institutions", limit=limit)


def data_summary() -> Answer:
    return ask("data_summary")


# -- analyses (analysis/*), cached like the answers: on the connection and the graph's version -------

def _filters(kind: str, role: str, year_from: int | None, year_to: int | None, branch: str | None = None) -> tuple:
    # A tuple, so that it can key a cache; analysis functions take it back as keywords.
    return tuple(sorted(dict(kind=kind, role=role, year_from=year_from, year_to=year_to, branch=branch).items()))


def _pair_answer(name: str, a: str, b: str, filters: tuple, df: pd.DataFrame) -> Answer:
    return Answer(name, runner.get(name).bind({"a": a, "b": b, **query_params(**dict(filters))}), df)


@st.cache_data(show_spinner=False, max_entries=128)
def _cells(key: tuple[str, str, str], graph_version: str, a: str, b: str, filters: tuple) -> pd.DataFrame:
    # A pair's record types: behind its intervals under either counting, its reconciliation and
    # the international records of every year (the same for any pair), read once.
    return fetch_cells(_open(key), a, b, **dict(filters))


@st.cache_data(show_spinner=False, max_entries=128)
def _closeness_ci(key: tuple[str, str, str], graph_version: str, a: str, b: str, counting: str,
                  filters: tuple) -> pd.DataFrame:
    # uncertainty.closeness_ci, on the cached cells.
    return uncertainty.intervals(_cells(key, graph_version, a, b, filters), counting=counting)


def closeness_ci(a: str, b: str, kind: str, role: str, year_from: int | None, year_to: int | None, *,
                 counting: str = WHOLE, branch: str | None = None) -> Answer:
    """closeness's columns under the counting with 95% bootstrap intervals, the size-only
    expectation and the small-count flag (analysis.uncertainty; docs/uncertainty.md)."""
    filters = _filters(kind, role, year_from, year_to, branch)
    return _pair_answer("closeness_records", a, b, filters,
                        _closeness_ci(connection_key(), version(), a, b, counting, filters))


@st.cache_data(show_spinner=False, max_entries=64)
def _reconciliation(key: tuple[str, str, str], graph_version: str, a: str, b: str, filters: tuple) -> pd.DataFrame:
    return reconcile(_cells(key, graph_version, a, b, filters))


def reconciliation(a: str, b: str, kind: str, role: str, year_from: int | None, year_to: int | None,
                   branch: str | None = None) -> Answer:
    """Per year, why whole and fractional counts differ (analysis.counting.reconciliation)."""
    filters = _filters(kind, role, year_from, year_to, branch)
    return _pair_answer("closeness_records", a, b, filters,
                        _reconciliation(connection_key(), version(), a, b, filters))


def _totals(key: tuple[str, str, str], graph_version: str, pair: tuple[str, str], filters: tuple) -> pd.DataFrame:
    # All international records per year (year, intl), shared by the pairs' series and the matrix:
    # summed from the cells of a pair they draw (cached, and a few ms at 1M), not counted again
    # from every record (international_totals, 0.4 s at 1M).
    return series.international_from_cells(_cells(key, graph_version, *pair, filters))


@st.cache_data(show_spinner=False, max_entries=128)
def _pairs_table(key: tuple[str, str, str], graph_version: str, pairs: tuple, counting: str,
                 filters: tuple) -> pd.DataFrame:
    # Every index at once: choosing another index reruns no query.
    totals = _totals(key, graph_version, pairs[0], filters) if counting == WHOLE and pairs else None
    return series.pairs_table(_open(key), list(pairs), counting=counting, totals=totals, **dict(filters))


def pair_series(pairs: list[tuple[str, str]], index: str, kind: str, role: str, year_from: int | None,
                year_to: int | None, *, counting: str = WHOLE, branch: str | None = None) -> Answer:
    """Several pairs' index by year in one long table (analysis.series.pair_series); the query
    shown is the first pair's."""
    filters = _filters(kind, role, year_from, year_to, branch)
    df = series.series_of(_pairs_table(connection_key(), version(), tuple(map(tuple, pairs)), counting, filters),
                          index)
    name = "closeness" if counting == WHOLE else "closeness_records"
    return _pair_answer(name, *pairs[0], filters, df)


@st.cache_data(show_spinner=False, max_entries=64)
def _country_matrix(key: tuple[str, str, str], graph_version: str, codes: tuple, counting: str,
                    filters: tuple) -> pd.DataFrame:
    return matrix.country_matrix(_open(key), list(codes), counting=counting,
                                 totals=_totals(key, graph_version, codes[:2], filters), **dict(filters))


def country_matrix(codes: list[str], kind: str, role: str, year_from: int | None, year_to: int | None, *,
                   counting: str = WHOLE, branch: str | None = None) -> Answer:
    """Every pair of `codes`: counts summed over the years under the counting, and every index."""
    filters = _filters(kind, role, year_from, year_to, branch)
    df = _country_matrix(connection_key(), version(), tuple(codes), counting, filters)
    params = {"codes": list(codes), "kind": kind, "role": role, "branch": branch, "counting": counting,
              **_years(year_from, year_to)}
    return Answer("country_matrix", runner.get("country_matrix").bind(params), df)


@st.cache_data(show_spinner=False, max_entries=32)
def _comparison(key: tuple[str, str, str], graph_version: str, p1: tuple, p2: tuple, scope: change.Scope,
                limit: int, min_weight: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    result = change.compare_periods(_open(key), change.Period(*p1), change.Period(*p2), scope, limit=limit,
                                    min_weight=min_weight)
    return result.nodes, result.links


def comparison(p1: tuple[int, int], p2: tuple[int, int], scope: change.Scope, *, limit: int,
               min_weight: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes (with one layout for both periods) and classified links (analysis.change), under the
    scope's counting: laid out once per graph version, periods and choice of nodes, however often
    the page reruns."""
    return _comparison(connection_key(), version(), tuple(p1), tuple(p2), scope, limit, min_weight)


@st.cache_data(show_spinner=False, max_entries=256)
def _period_links(key: tuple[str, str, str], graph_version: str, period: tuple, scope: change.Scope,
                  ids: tuple) -> pd.DataFrame:
    return change.network_links(_open(key), scope, change.Period(*period), list(ids))


def period_links(period: tuple[int | None, int | None], scope: change.Scope, ids: list[str]) -> pd.DataFrame:
    """Every pair of `ids` sharing a record in the period, and each node's own records (under the
    scope's counting)."""
    return _period_links(connection_key(), version(), tuple(period), scope, tuple(ids))


@st.cache_data(show_spinner=False, max_entries=64)
def _institution_reconciliation(key: tuple[str, str, str], graph_version: str, names: tuple, a: str, b: str,
                                kind: str, year: int, rollup: bool) -> pd.DataFrame:
    types = fetch_institution_types(_open(key), list(names), a=a, b=b, kind=kind, year_from=year, year_to=year,
                                    rollup=rollup)
    return reconcile_institutions(types)


def institution_reconciliation(names: list[str], a: str, b: str, kind: str, year: int, *,
                               rollup: bool) -> pd.DataFrame:
    """Each institution's whole and fractional totals in the year, and its records by how many
    institutions are on them (analysis.counting.institution_reconciliation)."""
    return _institution_reconciliation(connection_key(), version(), tuple(names), a, b, kind, year, rollup)


@st.cache_data(show_spinner=False, max_entries=8)
def _fingerprint(key: tuple[str, str, str], graph_version: str) -> dict[str, Any]:
    return bundle.fingerprint(_open(key))


def fingerprint() -> dict[str, Any]:
    """The loaded data's fingerprint for bundles (counts and a hash of every record's uid)."""
    return _fingerprint(connection_key(), version())


_ANALYSES = (_cells, _closeness_ci, _reconciliation, _pairs_table, _country_matrix, _comparison, _period_links,
             _institution_reconciliation, _fingerprint)


# -- derived facts ----------------------------------------------------------------------------------

def countries(kind: str) -> pd.DataFrame:
    """Countries present for `kind`, most records first: code, name, name_zh, records.
    country_list: the country network's nodes over every year, from the tallies alone."""
    return ask("country_list", kind=kind).df[["code", "name", "name_zh", "records"]].reset_index(drop=True)


def years(kind: str) -> list[int]:
    """The years that have records of `kind` naming a country (the years any page can count),
    ascending.  From the country tallies (loaded_years, a few ms at 1M records): every page asks
    this first, where data_summary reads every record (0.3 s at 1M)."""
    df = ask("loaded_years").df
    return sorted({int(y) for y in df.loc[df["kind"] == kind, "year"]})


def kinds() -> list[str]:
    """'paper' and/or 'patent', whichever is loaded (both when nothing is, so pages can say so)."""
    present = [k for k in ("paper", "patent") if years(k)]
    return present or ["paper", "patent"]


def is_demo() -> bool:
    """Whether the graph holds calibrated demo records (the banner on every page says so):
    demo_loaded stops at the first one, where data_summary counts them all."""
    return bool(ask("demo_loaded").df["demo"].any())


def branch_names() -> list[str]:
    """The study's technology branches (Table 1), when records carry them; else none."""
    if counts().get("rels:IN_BRANCH", 0) == 0:
        return []
    with open(BRANCHES_CSV, encoding="utf-8", newline="") as fp:
        return sorted({row["branch"] for row in csv.DictReader(fp) if row.get("branch")})


def load_files(paths: Sequence[Path], on_progress: Callable[[str, int], None]):
    """Load export files into the graph (the Data page's upload); returns the LoadSummary."""
    from loader.prepare import alias_files   # the analyst's alias table, as the command line uses it
    from loader.pipeline import load_paths
    from loader.prepare import Preparer

    try:
        return load_paths(graph(), list(paths), preparer=Preparer(alias_files()), on_progress=on_progress)
    finally:
        forget()


def console(text: str, params: dict[str, Any], *, timeout_ms: int, row_cap: int) -> QueryResult:
    """The Cypher console: read-only (the engine refuses writes), never cached."""
    return graph().read(text, params, timeout_ms=timeout_ms, row_cap=row_cap)
