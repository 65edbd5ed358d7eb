"""Is the graph's answer the pandas answer?  Row for row, in the saved query's order.

Rows that tie on the ORDER BY key may come in any order (the query does not
fix it), and where LIMIT cuts through a run of tied rows either side may keep
any of them; everything else must match exactly (floats to 9 decimals).
"""
from __future__ import annotations

import math
from collections import Counter
from itertools import groupby

import pandas as pd


class Mismatch(AssertionError):
    """The graph and the baseline disagree: the load or a query counts wrongly."""


def _plain(value):
    if value is None or value is pd.NA:
        return None
    if hasattr(value, "item"):          # numpy scalars
        value = value.item()
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 9)
    return value


def same_answer(name: str, graph_rows: list[dict], expected: pd.DataFrame, order: list[str],
                limit: int | None = None) -> int:
    """Raise Mismatch unless `graph_rows` are `expected` (all rows, sorted) up to `limit`;
    returns the number of rows compared."""
    columns = list(expected.columns)
    want = [tuple(_plain(v) for v in row) for row in expected.itertuples(index=False, name=None)]
    got = []
    for i, row in enumerate(graph_rows):
        if set(row) != set(columns):
            raise Mismatch(f"{name}: the graph returns columns {sorted(row)}, pandas {sorted(columns)}")
        got.append(tuple(_plain(row[c]) for c in columns))
    size = len(want) if limit is None else min(limit, len(want))
    if len(got) != size:
        raise Mismatch(f"{name}: the graph returns {len(got)} rows, pandas {size} "
                       f"(of {len(want)} before the limit of {limit})")
    at = [columns.index(c) for c in order]

    def key(row):
        return tuple(row[i] for i in at)

    want_groups = [(k, list(rows)) for k, rows in groupby(want, key=key)]
    got_groups = [(k, list(rows)) for k, rows in groupby(got, key=key)]
    for number, ((k, rows), (want_k, want_rows)) in enumerate(zip(got_groups, want_groups)):
        last = number == len(got_groups) - 1
        missing = Counter(rows) - Counter(want_rows)
        if k != want_k or missing or (not last and len(rows) != len(want_rows)):
            example = next(iter(missing), rows[0])
            raise Mismatch(
                f"{name}: the graph and pandas disagree in the rows ordered by {dict(zip(order, want_k))}: "
                f"graph has {dict(zip(columns, example))}; pandas has "
                f"{[dict(zip(columns, r)) for r in want_rows[:3]]} — the load or the query counts wrongly; "
                "rerun with a small --sizes to find the record")
    return len(got)
