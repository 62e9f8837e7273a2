"""How far two partitions of the same people agree: normalised mutual information and the
adjusted Rand index, over the people whose group is known in both (:mod:`leadnet.groups`).

Used for the formal units against the detected communities (:mod:`leadnet.roster_communities`)
and for one snapshot's communities against the next one's (:mod:`leadnet.transitions`).
"""

from __future__ import annotations

import numpy as np
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from leadnet.errors import InputError
from leadnet.groups import unknown_groups

__all__ = ["partition_agreement"]


def partition_agreement(groups_a: np.ndarray, groups_b: np.ndarray) -> dict[str, float | None]:
    """How far two partitions of the same people agree: ``{"nmi": ..., "ari": ...}``.

    Measured over the people whose group is known in both (:mod:`leadnet.groups`). NMI
    uses the arithmetic mean of the entropies (scikit-learn's default); both are ``None``
    when no person is left.

    Examples
    --------
    >>> partition_agreement(np.array([0, 0, 1, 1]), np.array(["x", "x", "y", "y"]))
    {'nmi': 1.0, 'ari': 1.0}

    A fifth person of unknown unit, in community 1, is left out rather than made a unit:

    >>> partition_agreement(np.array([0, 0, 1, 1, 1]), np.array(["x", "x", "y", "y", None], dtype=object))
    {'nmi': 1.0, 'ari': 1.0}

    References
    ----------
    Danon, L., Díaz-Guilera, A., Duch, J., & Arenas, A. (2005). Comparing community structure
    identification. Journal of Statistical Mechanics, P09008.
    Hubert, L., & Arabie, P. (1985). Comparing partitions. Journal of Classification, 2, 193-218.
    """
    a, b = np.asarray(groups_a), np.asarray(groups_b)
    if len(a) != len(b):
        raise InputError(
            f"both partitions must cover the same people. Got {len(a)} and {len(b)} labels instead."
        )
    known = ~(unknown_groups(a) | unknown_groups(b))
    a, b = a[known], b[known]
    if len(a) == 0:
        return {"nmi": None, "ari": None}
    a = a.astype(str) if a.dtype == object else a
    b = b.astype(str) if b.dtype == object else b
    return {"nmi": float(normalized_mutual_info_score(a, b)), "ari": float(adjusted_rand_score(a, b))}
