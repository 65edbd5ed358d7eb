"""Sidebar inputs the pages share.  Their keys are shared too, and kept for the whole session,
so a country pair or a year range chosen on one page is still chosen on the next."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from analysis.counting import COUNTINGS
from ui.components import data
from ui.components.i18n import name, t

DEFAULT_PAIR = ("CN", "US")   # the study's pair


def labels(table: dict) -> Callable[[Any], str]:
    """A widget's format_func from labels made now, in this run's language: Streamlit may call
    format functions outside the run, where the language cannot be read."""
    return lambda value: table.get(value, str(value))


def _keep(key: str, options: list) -> None:
    """Forget a remembered choice that is no longer offered (other kind, other data): the
    widget then starts from its default."""
    if key in st.session_state and st.session_state[key] not in options:
        del st.session_state[key]


def kind() -> str:
    """Papers or patents (only what is loaded is offered)."""
    options = data.kinds()
    _keep("kind", options)
    return st.sidebar.segmented_control(t("w.kind"), options, format_func=labels({k: t(f"kind.{k}") for k in options}),
                                        key="kind", default=options[0], required=True,
                                        persist_state="session")


def role(kind_: str) -> str:
    """Patents: count inventors' or applicants' countries (the study counts inventors)."""
    if kind_ != "patent":
        return "inventor"
    roles = ["inventor", "applicant"]
    return st.sidebar.radio(t("w.role"), roles, format_func=labels({r: t(f"role.{r}") for r in roles}),
                            key="role", horizontal=True, persist_state="session")


def country_label(countries: pd.DataFrame, code: str) -> str:
    return country_labels(countries).get(code, code)


def country_labels(countries: pd.DataFrame) -> dict[str, str]:
    """Every country's label ('China (CN)'), in one pass over the table: a select box's labels
    looked up one country at a time scan it once each (120 countries at 1M records)."""
    shown: dict[str, str] = {}
    for code, name_en, name_zh in zip(countries["code"], countries["name"], countries["name_zh"]):
        shown.setdefault(code, f"{name(name_en, name_zh)} ({code})")
    return shown


def pair(countries: pd.DataFrame) -> tuple[str, str]:
    """Two countries present in the data, China and the United States by default."""
    codes = list(countries["code"])
    first = DEFAULT_PAIR[0] if DEFAULT_PAIR[0] in codes else codes[0]
    second = DEFAULT_PAIR[1] if DEFAULT_PAIR[1] in codes else codes[min(1, len(codes) - 1)]
    _keep("country_a", codes)
    _keep("country_b", codes)
    fmt = labels(country_labels(countries))
    a = st.sidebar.selectbox(t("w.country_a"), codes, index=codes.index(first), format_func=fmt,
                             key="country_a", persist_state="session")
    b = st.sidebar.selectbox(t("w.country_b"), codes, index=codes.index(second), format_func=fmt,
                             key="country_b", persist_state="session")
    return a, b


def year_range(years: list[int], key: str = "years") -> tuple[int, int]:
    """A slider over the years present; the whole span by default."""
    if len(years) == 1:
        return years[0], years[0]
    span = (years[0], years[-1])
    if key in st.session_state:
        low, high = st.session_state[key]
        if low < span[0] or high > span[1]:
            del st.session_state[key]
    return st.sidebar.slider(t("w.years"), min_value=span[0], max_value=span[1], value=span, key=key,
                             persist_state="session")


def counting(level: str = "pair") -> str:
    """Whole counting (the study's) or fractional, on every page that counts records; one choice
    for all pages.  `level`, for the help: 'pair' (a country pair's counts), 'country' or
    'institution' (a network's or an institution's)."""
    options = list(COUNTINGS)
    return st.sidebar.radio(t("w.counting"), options, format_func=labels({c: t(f"counting.{c}") for c in options}),
                            key="counting", help=t(f"w.counting_help.{level}"), persist_state="session")


def branch(key: str) -> str | None:
    """A technology branch, or None for all; no input at all when the graph has no branches.
    Each page keeps its own choice (`key`)."""
    branches = data.branch_names()
    if not branches:
        return None
    return st.sidebar.selectbox(t("net.branch"), [None, *branches], key=key,
                                format_func=labels({None: t("net.all_branches")}))


def rollup() -> bool:
    return st.sidebar.toggle(t("w.rollup"), value=True, key="rollup", help=t("w.rollup_help"),
                             persist_state="session")


def countries_for_pair(kind_: str) -> pd.DataFrame:
    """The countries present for `kind_`; stops the page when there is no pair to compare."""
    countries = data.countries(kind_)
    if len(countries) < 2:
        st.info(t("trends.few_countries"))
        st.stop()
    return countries


def guard_loaded(kind_: str) -> list[int]:
    """Stop the page with a pointer to the Data page when nothing of this kind is loaded."""
    found = data.years(kind_)
    if not found:
        st.info(t("empty.kind", kind=t(f"kind.{kind_}")))
        st.stop()
    return found


@dataclass(frozen=True)
class PairFilters:
    """The sidebar every pair page starts with: records, countries, whose country, years."""

    kind: str
    years: list[int]
    countries: pd.DataFrame
    role: str
    a: str
    b: str
    year_from: int
    year_to: int


def pair_filters() -> PairFilters:
    kind_ = kind()
    years = guard_loaded(kind_)
    countries = countries_for_pair(kind_)
    role_ = role(kind_)
    a, b = pair(countries)
    year_from, year_to = year_range(years)
    return PairFilters(kind_, years, countries, role_, a, b, year_from, year_to)
