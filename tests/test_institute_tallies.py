"""An institute or campus under roll-up, read from its own tallies (loader/aggregates.py
institute_views): itself as one unit, every other institution rolled up.

By hand on tests/test_queries_ui.py's five papers.  UC Berkeley is on two of them:

  P1 2020  Tsinghua, CAS, ICT, the UC System, Berkeley -> Berkeley, Tsinghua, CAS, UC System   m=4
  P3 2021  CAS, IA, the UC System, Berkeley            -> Berkeley, CAS, UC System             m=3

Both are FPGA papers, so asking for the FPGA branch counts the same records from the records
themselves (the query's other path): the two paths must agree.
"""
from __future__ import annotations

import pytest

from cypher import runner
from tests.test_queries_ui import small as ui_small  # noqa: F401  (the five papers, loaded for this module)

TS, CAS, UCS = "Tsinghua University", "Chinese Academy of Sciences", "University of California System"
ICT, BERKELEY = "Institute of Computing Technology, CAS", "University of California Berkeley"


def partners(graph, **params) -> dict:
    rows = runner.run(graph, "partners", params, row_cap=None).rows
    return {(r["level"], r["partner"] if r["level"] == "institution" else r["country"]): r["records"] for r in rows}


def series(graph, **params) -> dict:
    rows = runner.run(graph, "institution_series", {"a": "CN", "b": "US", **params}, row_cap=None).rows
    return {(r["year"], column): r[column] for r in rows for column in ("n_ab", "n_intl")}


def test_partners_of_a_campus_by_hand(ui_small):
    assert partners(ui_small, institution=BERKELEY) == {
        ("institution", CAS): 2, ("institution", UCS): 2, ("institution", TS): 1, ("country", "CN"): 2}
    # Fractional: a partner institution 1/(m - 1) of each shared record, a partner country 1/m.
    assert partners(ui_small, institution=BERKELEY, counting="fractional") == pytest.approx({
        ("institution", CAS): 1 / 3 + 1 / 2, ("institution", UCS): 1 / 3 + 1 / 2, ("institution", TS): 1 / 3,
        ("country", "CN"): 1 / 4 + 1 / 3})
    # ICT: P1 only, with Tsinghua, CAS itself and the UC System.
    assert partners(ui_small, institution=ICT, counting="fractional") == pytest.approx({
        ("institution", TS): 1 / 3, ("institution", CAS): 1 / 3, ("institution", UCS): 1 / 3, ("country", "US"): 1 / 4})


def test_series_of_a_campus_by_hand(ui_small):
    # Both papers are international and have both countries.
    assert series(ui_small, institution=BERKELEY) == {
        (2020, "n_ab"): 1, (2020, "n_intl"): 1, (2021, "n_ab"): 1, (2021, "n_intl"): 1}
    assert series(ui_small, institution=BERKELEY, counting="fractional") == pytest.approx({
        (2020, "n_ab"): 1 / 4, (2020, "n_intl"): 1 / 4, (2021, "n_ab"): 1 / 3, (2021, "n_intl"): 1 / 3})


@pytest.mark.parametrize("counting", ["whole", "fractional"])
@pytest.mark.parametrize("institution", [BERKELEY, ICT])
def test_tallies_equal_counting_the_records(ui_small, institution, counting):
    """No branch reads the tallies; the FPGA branch (every record of both) counts the records."""
    for ask in (partners, series):
        tallied = ask(ui_small, institution=institution, counting=counting)
        counted = ask(ui_small, institution=institution, counting=counting, branch="FPGA")
        assert tallied and counted == pytest.approx(tallied), ask.__name__


def test_without_rollup_an_institute_is_a_unit_like_any_other(ui_small):
    # Its partners are not rolled up: Berkeley and ICT share P1 with the UC System, CAS and Tsinghua.
    assert partners(ui_small, institution=ICT, rollup=False) == {
        ("institution", TS): 1, ("institution", CAS): 1, ("institution", UCS): 1, ("institution", BERKELEY): 1,
        ("country", "US"): 1}
