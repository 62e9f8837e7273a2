"""Permutation and bootstrap inference: QAP correlation, group differences, percentile CIs.

Everything here is seeded (``numpy.random.default_rng``) and vectorised: a *block* of
permutations (or bootstrap resamples) is one numpy array, sized so that a block holds
about :data:`BLOCK_ELEMENTS` numbers, and no Python loop runs per person, tie or cell.

p-values count the observed statistic as one of the permutations (Phipson & Smyth
2010), so they are never 0: ``p = (1 + #{permuted at least as extreme}) / (1 + n_perm)``.

References
----------
Krackhardt, D. (1988). Predicting with networks: nonparametric multiple regression analysis
of dyadic data. *Social Networks* 10(4), 359–381.
Phipson, B. & Smyth, G. K. (2010). Permutation p-values should never be zero. *Statistical
Applications in Genetics and Molecular Biology* 9(1), article 39.
Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall, ch. 13.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from leadnet.errors import ConfigError, InputError

DEFAULT_PERMUTATIONS = 10_000
FULL_PERMUTATIONS_UP_TO = 20_000
"""Networks of up to this many people get every requested permutation (see :func:`adaptive_permutations`)."""
MIN_ADAPTIVE_PERMUTATIONS = 1_000
BLOCK_ELEMENTS = 4_000_000
BITMAP_CELLS = 2**31
"""Up to this many cells (n², about 46,000 people; a 256 MB bitmap) QAP looks cells up in a bitmap."""


def adaptive_permutations(requested: int, n_people: int) -> int:
    """How many permutations to run: all of ``requested`` up to 20,000 people, fewer above.

    Above :data:`FULL_PERMUTATIONS_UP_TO` people the count shrinks in proportion
    (``requested × 20,000 / n``), never below 1,000 (or ``requested`` if that is smaller),
    so the work stays about flat. Record the number used next to every p-value.

    Examples
    --------
    >>> adaptive_permutations(10_000, 600), adaptive_permutations(10_000, 80_000)
    (10000, 2500)
    """
    if requested < 1:
        raise ConfigError(f"permutations must be at least 1. Got {requested} instead.")
    if n_people <= FULL_PERMUTATIONS_UP_TO:
        return requested
    scaled = requested * FULL_PERMUTATIONS_UP_TO // n_people
    return max(scaled, min(requested, MIN_ADAPTIVE_PERMUTATIONS))


def _blocks(total: int, width: int) -> list[int]:
    """Sizes of the blocks that split ``total`` draws of ``width`` numbers each."""
    block = max(1, min(total, BLOCK_ELEMENTS // max(width, 1)))
    return [min(block, total - start) for start in range(0, total, block)]


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
    for size in _blocks(permutations, max(b, n)):
        perms = rng.permuted(np.tile(np.arange(n, dtype=index), (size, 1)), axis=1)
        shared = _overlaps(x_keys, y, n, perms)
        upper += int(np.sum(shared >= observed))
        extreme += int(np.sum(np.abs(shared - expected) >= abs(observed - expected) - 1e-9))
    return QAPResult(
        float(r), (1 + upper) / (1 + permutations), (1 + extreme) / (1 + permutations), permutations, seed
    )


@dataclass(frozen=True)
class GroupDifference:
    """Difference of means, treated minus control, with a permutation p-value and a bootstrap CI."""

    treated_mean: float
    control_mean: float
    difference: float
    ci_low: float
    ci_high: float
    p_value: float
    permutations: int
    seed: int
    confidence: float = 0.95


def _check_groups(values: np.ndarray, treated: np.ndarray, strata: np.ndarray | None) -> np.ndarray:
    if values.ndim != 1 or treated.shape != values.shape:
        raise InputError(
            f"values and treated must be 1-d of one length. Got {values.shape} and {treated.shape}."
        )
    if not np.all(np.isfinite(values)):
        raise InputError("values must be finite; drop people without a value first")
    if treated.sum() == 0 or treated.sum() == len(treated):
        raise InputError("both groups need at least one person")
    if strata is None:
        return np.zeros(len(values), dtype=np.int64)
    if len(strata) != len(values):
        raise InputError(f"strata must give one label per person ({len(values)}). Got {len(strata)} instead.")
    return np.unique(np.asarray(strata).astype(str), return_inverse=True)[1].ravel()


def _permuted_differences(
    values: np.ndarray, treated: np.ndarray, strata: np.ndarray, permutations: int, rng: np.random.Generator
) -> np.ndarray:
    """Differences of means for labels shuffled within strata, one block at a time.

    One stratum: each row draws the smaller group as the ``k`` smallest of ``m`` uniform keys
    (``argpartition``, linear time). Several: people are sorted by stratum and
    ``argsort(stratum + U)`` of each row is a permutation that keeps every stratum's
    positions in place (``U`` is scaled into ``[0, 0.5)`` so that rounding never carries it
    into the next stratum).
    """
    n_t, n_c, total, m = int(treated.sum()), int((~treated).sum()), values.sum(), len(values)
    order = np.argsort(strata, kind="stable")
    values, treated, keys = values[order], treated[order], strata[order].astype(float)
    k = min(n_t, n_c)
    out = []
    for size in _blocks(permutations, m):
        if keys[-1] == keys[0]:
            drawn = values[np.argpartition(rng.random((size, m)), k - 1, axis=1)[:, :k]].sum(axis=1)
            sums = drawn if k == n_t else total - drawn
        else:
            perm = np.argsort(keys[None, :] + 0.5 * rng.random((size, m)), axis=1)
            sums = treated[perm].astype(float) @ values
        out.append(sums / n_t - (total - sums) / n_c)
    return np.concatenate(out)


def _bootstrap_means(values: np.ndarray, resamples: int, rng: np.random.Generator) -> np.ndarray:
    """Means of ``resamples`` bootstrap samples of ``values`` (multinomial counts, one block at a time)."""
    m = len(values)
    weights = np.full(m, 1.0 / m)
    return np.concatenate(
        [rng.multinomial(m, weights, size=size) @ values / m for size in _blocks(resamples, m)]
    )


def difference_test(
    values: np.ndarray,
    treated: np.ndarray,
    *,
    strata: np.ndarray | None = None,
    permutations: int = DEFAULT_PERMUTATIONS,
    seed: int = 0,
    confidence: float = 0.95,
) -> GroupDifference:
    """Treated mean minus control mean, a two-sided permutation p-value and a percentile bootstrap CI.

    The p-value shuffles the treated labels (within ``strata`` when given):
    ``p = (1 + #{|d*| ≥ |d|}) / (1 + permutations)``. The CI resamples people with
    replacement within each group independently, ``permutations`` times, and takes the
    ``(1 − confidence)/2`` and ``(1 + confidence)/2`` percentiles. Applied to per-person
    changes (after − before) this is the difference-in-differences.

    Examples
    --------
    Treated people gained 3, 4 and 5 ties; controls 0, 1 and 2:

    >>> res = difference_test(np.array([3.0, 4, 5, 0, 1, 2]), np.array([1, 1, 1, 0, 0, 0], bool),
    ...                       permutations=999, seed=0)
    >>> res.difference, res.p_value < 0.15
    (3.0, True)

    References
    ----------
    Good, P. (2005). *Permutation, Parametric and Bootstrap Tests of Hypotheses*, 3rd ed. Springer.
    Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall, ch. 13.
    """
    values = np.asarray(values, dtype=float)
    treated = np.asarray(treated, dtype=bool)
    codes = _check_groups(values, treated, strata)
    if permutations < 1:
        raise ConfigError(f"permutations must be at least 1. Got {permutations} instead.")
    perm_rng, boot_rng = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2))
    t_mean, c_mean = float(values[treated].mean()), float(values[~treated].mean())
    observed = t_mean - c_mean
    null = _permuted_differences(values, treated, codes, permutations, perm_rng)
    tolerance = 1e-9 * max(1.0, float(np.abs(values).max()))
    p = (1 + int(np.sum(np.abs(null) >= abs(observed) - tolerance))) / (1 + permutations)
    boot = _bootstrap_means(values[treated], permutations, boot_rng) - _bootstrap_means(
        values[~treated], permutations, boot_rng
    )
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(boot, [tail, 100 - tail])
    return GroupDifference(
        t_mean, c_mean, observed, float(low), float(high), p, permutations, seed, confidence
    )
