"""Permutation inference: QAP correlation here, group differences and permutation counts re-exported.

:func:`qap_correlation` correlates two networks on the same people and tests it by
relabelling the people of one (Krackhardt 1988). It is seeded
(``numpy.random.default_rng``) and vectorised: a *block* of permutations is one numpy
array (:func:`leadnet.permutation_counts.block_sizes`), and no Python loop runs per person,
tie or cell. p-values count the observed statistic as one of the permutations (Phipson &
Smyth 2010), so they are never 0: ``p = (1 + #{permuted at least as extreme}) / (1 + n_perm)``.

The difference of means between two groups, its p-value and the confidence interval that
inverts it are in :mod:`leadnet.group_differences`; how many permutations to run, in
:mod:`leadnet.permutation_counts`. Both are re-exported here.

References
----------
Krackhardt, D. (1988). Predicting with networks: nonparametric multiple regression analysis
of dyadic data. *Social Networks* 10(4), 359–381.
Phipson, B. & Smyth, G. K. (2010). Permutation p-values should never be zero. *Statistical
Applications in Genetics and Molecular Biology* 9(1), article 39.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from leadnet.errors import InputError
from leadnet.group_differences import GroupDifference, difference_test, mixed_strata, stratified_means
from leadnet.permutation_counts import DEFAULT_PERMUTATIONS, block_sizes, people_scaled_permutations

__all__ = [
    "BITMAP_CELLS", "DEFAULT_PERMUTATIONS", "GroupDifference", "QAPResult", "difference_test",
    "mixed_strata", "people_scaled_permutations", "qap_correlation", "stratified_means",
]  # fmt: skip

BITMAP_CELLS = 2**31
"""Up to this many cells (n², about 46,000 people; a 256 MB bitmap) QAP looks cells up in a bitmap."""


@dataclass(frozen=True)
class QAPResult:
    """QAP correlation between two binary networks on the same people.

    ``p_value`` is one-sided (a permuted correlation at least the observed one, the
    stability question "more alike than chance?"); ``p_two_sided`` compares distances from
    the permutation mean. ``reason`` explains a ``None``.
    """

    r: float | None
    p_value: float | None
    p_two_sided: float | None
    permutations: int
    seed: int
    reason: str | None = None


def _arc_keys(arcs: np.ndarray, n: int, name: str) -> np.ndarray:
    """Sorted unique cell keys ``source * n + target`` of binary arcs; checks the arcs."""
    arcs = np.asarray(arcs, dtype=np.int64).reshape(-1, 2)
    if arcs.size and (arcs.min() < 0 or arcs.max() >= n or np.any(arcs[:, 0] == arcs[:, 1])):
        raise InputError(
            f"`{name}` must hold arcs between distinct people 0..{n - 1}; found a self-tie or bad index"
        )
    return np.unique(arcs[:, 0] * n + arcs[:, 1])


def _overlaps(x_keys: np.ndarray, y_arcs: np.ndarray, n: int, perms: np.ndarray) -> np.ndarray:
    """Cells shared by X and each relabelled Y (``perms[b]`` maps old vertex → new vertex).

    Looks the relabelled cells up in a bitmap of X's n² cells when it fits in
    :data:`BITMAP_CELLS`, else by binary search among X's sorted cell keys.
    """
    keys = perms[:, y_arcs[:, 0]] * n + perms[:, y_arcs[:, 1]]
    if n * n <= BITMAP_CELLS:
        bitmap = np.zeros((n * n + 7) // 8, dtype=np.uint8)
        np.bitwise_or.at(bitmap, x_keys >> 3, np.left_shift(1, x_keys & 7).astype(np.uint8))
        return np.sum((bitmap[keys >> 3] >> (keys & 7).astype(np.uint8)) & 1, axis=1)
    where = np.minimum(np.searchsorted(x_keys, keys), len(x_keys) - 1)
    return np.sum(x_keys[where] == keys, axis=1)


def qap_correlation(
    x_arcs: np.ndarray, y_arcs: np.ndarray, n: int, *, permutations: int = DEFAULT_PERMUTATIONS, seed: int = 0
) -> QAPResult:
    """Pearson correlation of two binary adjacency matrices over off-diagonal cells, with a QAP p-value.

    The null distribution relabels the vertices of Y (rows and columns permuted together).
    Relabelling keeps Y's off-diagonal mean and variance, so each permuted correlation
    only needs the number of cells shared with X: the arcs of Y are re-indexed through a
    block of permutations at once and looked up among X's sorted cell keys. The work is
    ``permutations × arcs``, never ``n²``.

    Parameters
    ----------
    x_arcs, y_arcs
        ``(m, 2)`` integer arrays of arcs (source, target) on vertices ``0..n-1``; duplicates
        are merged, self-ties are an error.
    n
        Number of people (vertices).

    Examples
    --------
    Two 4-cycles that share 3 of their 4 arcs, out of 12 off-diagonal cells:

    >>> x = np.array([(0, 1), (1, 2), (2, 3), (3, 0)])
    >>> y = np.array([(0, 1), (1, 2), (2, 3), (3, 1)])
    >>> res = qap_correlation(x, y, 4, permutations=999, seed=0)
    >>> round(res.r, 4), res.permutations
    (0.625, 999)

    References
    ----------
    Krackhardt, D. (1988). Predicting with networks. *Social Networks* 10(4), 359–381.
    Hubert, L. J. (1987). *Assignment Methods in Combinatorial Data Analysis*. Dekker.
    """
    x_keys, y_keys = _arc_keys(x_arcs, n, "x_arcs"), _arc_keys(y_arcs, n, "y_arcs")
    cells = n * (n - 1)
    a, b = len(x_keys), len(y_keys)
    if n < 3:
        return QAPResult(None, None, None, permutations, seed, "fewer than 3 people")
    if a in (0, cells) or b in (0, cells):
        return QAPResult(
            None, None, None, permutations, seed, "a network has no ties (or every tie), so no variance"
        )
    expected = a * b / cells
    observed = int(np.isin(y_keys, x_keys).sum())
    r = (observed - expected) / cells / np.sqrt(a / cells * (1 - a / cells) * b / cells * (1 - b / cells))
    index = np.int32 if n * n < 2**31 else np.int64  # narrower cell keys are faster to gather
    y = np.column_stack([y_keys // n, y_keys % n]).astype(index)
    x_keys = x_keys.astype(index)
    rng = np.random.default_rng(seed)
    upper = extreme = 0
    for size in block_sizes(permutations, max(b, n)):
        perms = rng.permuted(np.tile(np.arange(n, dtype=index), (size, 1)), axis=1)
        shared = _overlaps(x_keys, y, n, perms)
        upper += int(np.sum(shared >= observed))
        extreme += int(np.sum(np.abs(shared - expected) >= abs(observed - expected) - 1e-9))
    return QAPResult(
        float(r), (1 + upper) / (1 + permutations), (1 + extreme) / (1 + permutations), permutations, seed
    )
