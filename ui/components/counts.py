"""What the counting switch changes on a page, said on the page: headers and axis titles that
name the counting, numbers to two decimals under fractional counting, and the totals under
both countings that the "why totals differ" expander lists (panels.why_totals_differ)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.counting import FRACTIONAL, WHOLE
from ui.components.i18n import t

# Columns the switch changes, as the saved queries and analyses name them.  Counts get two
# decimals under fractional counting; ratios keep their digits, their headers still say which
# counting they were computed from.
COUNT_COLUMNS = {"n_ab", "n_intl", "total_ab", "n_ab_1", "n_ab_2", "n_intl_1", "n_intl_2", "delta_n_ab",
                 "records", "weight", "weight_1", "weight_2", "delta", "records_1", "records_2"}
RATIO_COLUMNS = {"share", "share_1", "share_2", "delta_share", "share_a", "share_b", "closeness", "jaccard",
                 "association_strength", "inclusion", "value", "observed_expected"}
# A country pair's international records (and all of a year's) stay record counts under both
# countings (docs/uncertainty.md): their headers name no counting.
PAIR_RECORDS = frozenset({"n_a", "n_b", "n_intl"})
FRACTIONAL_FORMAT = "%.2f"
EVERY_LINK = 0          # a minimum link weight that one shared record reaches under either counting
TOTAL_COLUMNS = ["total", WHOLE, FRACTIONAL, "difference"]


def count_name(counting: str) -> str:
    """'whole count' or 'fractional count', in the page's language."""
    return t(f"counting.count.{counting}")


def counted(label: str, counting: str) -> str:
    """A label with the counting it is in: 'Shared records (fractional count)'."""
    return t("counting.counted", label=label, count=count_name(counting))


def number_format(counting: str) -> str:
    """How chart tooltips write a count: whole counts as integers, fractional ones with two decimals."""
    return ",.2f" if counting == FRACTIONAL else ",.0f"


def column_config(columns, counting: str | None, *, unchanged: frozenset[str] = frozenset()) -> dict | None:
    """Headers that name the counting for the columns it changes (those of COUNT_COLUMNS and
    RATIO_COLUMNS among `columns`, but not the `unchanged` ones); None for a table the switch
    does not reach."""
    if counting is None:
        return None
    config = {}
    for column in columns:
        # An interval's bounds (closeness_lo, share_a_hi) are of the counting their value is.
        base = column[:-3] if column.endswith(("_lo", "_hi")) else column
        if column in unchanged:
            continue
        if column in COUNT_COLUMNS:
            config[column] = st.column_config.NumberColumn(
                counted(column, counting), format=FRACTIONAL_FORMAT if counting == FRACTIONAL else None)
        elif base in RATIO_COLUMNS:
            config[column] = st.column_config.NumberColumn(counted(column, counting))
    return config


def caption(counting: str, level: str) -> None:
    """One line under a heading: which counting the numbers below are in."""
    st.caption(t(f"counting.note.{level}.{counting}"))


def totals(rows: dict[str, tuple[float, float]]) -> pd.DataFrame:
    """label -> (whole, fractional): both totals and what fractional counting takes away."""
    return pd.DataFrame([{"total": label, WHOLE: whole, FRACTIONAL: fractional, "difference": whole - fractional}
                         for label, (whole, fractional) in rows.items()], columns=TOTAL_COLUMNS)


def reconciliation_config(table: pd.DataFrame) -> dict:
    """A reconciliation table's fractional numbers to two decimals, and a totals() table's
    headers in the page's language."""
    config = {column: st.column_config.NumberColumn(format=FRACTIONAL_FORMAT)
              for column, dtype in table.dtypes.items() if pd.api.types.is_float_dtype(dtype)}
    if list(table.columns) == TOTAL_COLUMNS:
        config = {"total": st.column_config.TextColumn(t("counting.total.total")),
                  **{column: st.column_config.NumberColumn(t(f"counting.total.{column}"), format=FRACTIONAL_FORMAT)
                     for column in TOTAL_COLUMNS[1:]}}
    return config


def network_sums(rows: pd.DataFrame) -> tuple[float, float]:
    """A network's rows (source, target, weight; a node's row has source = target) summed: the
    nodes' records and the records on their links."""
    own = rows["source"] == rows["target"]
    return float(rows.loc[own, "weight"].sum()), float(rows.loc[~own, "weight"].sum())
