"""Similarity indices of a country pair beside the study's Salton index (docs/indices.md).

All take the pair's counts: n_ab (records with both), n_a and n_b (each one's international
records) and, for association strength, n (all international records).  They work on
numbers and on numpy arrays alike, and give NaN where a denominator is zero: there is
nothing to divide, and 0 would read as "no collaboration".
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from analysis import AnalysisError


def ratio(numerator, denominator):
    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out if out.ndim else float(out)


def salton(n_ab, n_a, n_b, n=None):
    """The study's closeness: N_ab / sqrt(N_a * N_b) (cosine of the two record sets)."""
    return ratio(n_ab, np.sqrt(np.asarray(n_a, dtype=float) * np.asarray(n_b, dtype=float)))


def jaccard(n_ab, n_a, n_b, n=None):
    """N_ab / (N_a + N_b - N_ab): the joint records among the records of either."""
    return ratio(n_ab, np.asarray(n_a, dtype=float) + np.asarray(n_b, dtype=float) - np.asarray(n_ab, dtype=float))


def association_strength(n_ab, n_a, n_b, n):
    """N_ab * N / (N_a * N_b): joint records over what independence would give (1 = as expected)."""
    return ratio(np.asarray(n_ab, dtype=float) * np.asarray(n, dtype=float),
                 np.asarray(n_a, dtype=float) * np.asarray(n_b, dtype=float))


def inclusion(n_ab, n_a, n_b, n=None):
    """N_ab / min(N_a, N_b): the share of the smaller partner's records shared with the other."""
    return ratio(n_ab, np.minimum(np.asarray(n_a, dtype=float), np.asarray(n_b, dtype=float)))


INDICES: dict[str, Callable] = {
    "closeness": salton,
    "jaccard": jaccard,
    "association_strength": association_strength,
    "inclusion": inclusion,
}
INDEX_COLUMNS = list(INDICES)


def check_index(name: str) -> Callable:
    if name not in INDICES:
        raise AnalysisError(f"index {name!r} is not known: use one of {', '.join(INDICES)}")
    return INDICES[name]


def add_indices(df: pd.DataFrame) -> pd.DataFrame:
    """Every index as a column, from the columns n_ab, n_a, n_b and n_intl."""
    out = df.copy()
    args = [out[c].to_numpy(dtype=float) for c in ("n_ab", "n_a", "n_b", "n_intl")]
    for name, index in INDICES.items():
        out[name] = index(*args)
    return out


def closeness_ratios(df: pd.DataFrame) -> pd.DataFrame:
    """closeness, share_a and share_b from the count columns n_ab, n_a, n_b (NaN where a
    denominator is 0), as the closeness query defines them."""
    out = df.copy()
    n_ab, n_a, n_b = (out[c].to_numpy(dtype=float) for c in ("n_ab", "n_a", "n_b"))
    out["closeness"] = salton(n_ab, n_a, n_b)
    out["share_a"] = ratio(n_ab, n_a)
    out["share_b"] = ratio(n_ab, n_b)
    return out
