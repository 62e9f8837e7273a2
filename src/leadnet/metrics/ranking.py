"""Who stands out in a distribution: the cut-offs the role labels and the leadership indices share.

Tukey's upper fence (Tukey 1977, *Exploratory Data Analysis*), competition ranking ("1224", ties
sharing the best rank) and the top share of people by that rank, ties at the cut-off all in.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd


def tukey_fence(values: np.ndarray, k: float) -> float:
    """Tukey's upper fence Q3 + k·IQR (k = 3: "far out"; Tukey 1977).

    Quartiles 2 and 4 (numpy's linear interpolation), so the fence is 4 + 3 × 2:

    >>> tukey_fence(np.array([1, 2, 2, 3, 3, 3, 4, 5, 30]), 3.0)
    10.0
    """
    if len(values) == 0:
        return float("inf")
    q1, q3 = np.percentile(values, [25, 75])
    return float(q3 + k * (q3 - q1))


def competition_rank(values: np.ndarray) -> np.ndarray:
    """Rank from the top, tied values sharing the best rank ("1224"); NaN stays NaN.

    >>> competition_rank(np.array([5, 9, 5, 1])).tolist()
    [2.0, 1.0, 2.0, 4.0]
    """
    return pd.Series(np.asarray(values, dtype=float)).rank(method="min", ascending=False).to_numpy()


def in_top(values: np.ndarray, share: float) -> np.ndarray:
    """People whose competition rank is at most max(1, ⌊share·n⌋) (ties at the cut-off all in).

    >>> in_top(np.array([5, 9, 5, 1, 0, 0, 0, 0, 0, 0]), 0.2).tolist()
    [True, True, True, False, False, False, False, False, False, False]
    """
    n_top = max(1, math.floor(share * len(values) + 1e-9))
    rank = competition_rank(values)
    return np.nan_to_num(rank, nan=np.inf) <= n_top
