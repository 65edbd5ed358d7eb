"""The totals under each page's "why whole and fractional counts differ" expander: what the page
counts, summed under both countings over the same institutions, nodes or partners, so the
difference is the counting's alone and not a different choice of what is shown."""
from __future__ import annotations

from dataclasses import replace

import pandas as pd

from analysis.change import Period, Scope
from analysis.counting import COUNTINGS
from ui.components import counts, data
from ui.components.i18n import t


def institutions(names: list[str], a: str, b: str, kind: str, years: tuple[int, ...], *, rollup: bool) -> pd.DataFrame:
    """Each institution shown in each year: its records, international and a–b records under both
    countings, and its records by how many institutions are on them, which make the two differ
    (analysis.counting.institution_reconciliation; without the small-year rule)."""
    table = pd.concat([data.institution_reconciliation(names, a, b, kind, year, rollup=rollup).assign(year=year)
                       for year in years], ignore_index=True)
    return table[["year", *(c for c in table.columns if c not in ("year", "uid"))]]


def network(scope: Scope, periods: list[tuple[int | None, int | None]], ids: list[str]) -> pd.DataFrame:
    """The nodes `ids` in each period: their records, and the records on the links among them."""
    rows = {}
    for period in periods:
        own, shared = zip(*(counts.network_sums(data.period_links(period, replace(scope, counting=c), ids))
                            for c in COUNTINGS))
        label = Period(*period).label
        rows[t("net.total_records", n=len(ids), period=label)] = own
        rows[t("net.total_shared", period=label)] = shared
    return counts.totals(rows)


def partners(institution: str, kind: str, *, rollup: bool, year_from: int | None, year_to: int | None) -> pd.DataFrame:
    """One institution's records shared with its partner institutions, and with its partner
    countries, summed over the partners."""
    sums = [data.partners(institution, kind, rollup=rollup, counting=c, year_from=year_from, year_to=year_to)
            .df.groupby("level")["records"].sum() for c in COUNTINGS]
    return counts.totals({t(f"drill.total.{level}"): tuple(float(s.get(level, 0)) for s in sums)
                          for level in ("institution", "country")})
