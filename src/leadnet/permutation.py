"""Permutation inference: QAP correlation, group differences and their confidence intervals.

Everything here is seeded (``numpy.random.default_rng``) and vectorised: a *block* of
permutations is one numpy array, sized so that a block holds about
:data:`BLOCK_ELEMENTS` numbers, and no Python loop runs per person, tie or cell.

p-values count the observed statistic as one of the permutations (Phipson & Smyth
2010), so they are never 0: ``p = (1 + #{permuted at least as extreme}) / (1 + n_perm)``.
A group difference's confidence interval inverts that same test (the shifts it does not
reject), so the interval leaves out 0 exactly when ``p < 1 − confidence``. Within strata the
statistic, observed and permuted, is the stratified difference in means (Imbens & Rubin 2015).

References
----------
Krackhardt, D. (1988). Predicting with networks: nonparametric multiple regression analysis
of dyadic data. *Social Networks* 10(4), 359–381.
Phipson, B. & Smyth, G. K. (2010). Permutation p-values should never be zero. *Statistical
Applications in Genetics and Molecular Biology* 9(1), article 39.
Ernst, M. D. (2004). Permutation methods: a basis for exact inference. *Statistical Science*
19(4), 676–685 (confidence intervals by inverting a permutation test).
Imbens, G. W. & Rubin, D. B. (2015). *Causal Inference for Statistics, Social, and Biomedical
Sciences*. Cambridge UP, ch. 9 (stratified randomised experiments).
"""

from __future__ import annotations

import itertools
import math
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
    """Difference of means, treated minus control, with a permutation p-value and confidence interval.

    With strata, the means are each group's stratum means averaged with the strata's weights
    (:func:`stratified_means`), so ``difference`` is still ``treated_mean − control_mean``;
    ``one_group_strata`` strata held only one group and their ``n_in_one_group_strata``
    people were left out (both 0 without strata). ``ci_low`` and ``ci_high`` are ``None``
    when the test cannot bound the shift (too few permutations for the confidence asked, or
    groups too small), with ``ci_reason`` saying so.
    """

    treated_mean: float
    control_mean: float
    difference: float
    ci_low: float | None
    ci_high: float | None
    p_value: float
    permutations: int
    seed: int
    confidence: float = 0.95
    ci_reason: str | None = None
    one_group_strata: int = 0
    n_in_one_group_strata: int = 0


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
    return _codes(strata)


def _codes(strata: np.ndarray) -> np.ndarray:
    """Stratum codes ``0..s-1``, in the order of the labels as text."""
    return np.unique(np.asarray(strata).astype(str), return_inverse=True)[1].ravel()


def _mixed(treated: np.ndarray, codes: np.ndarray) -> np.ndarray:
    n_treated = np.bincount(codes, weights=treated.astype(float))
    n_control = np.bincount(codes) - n_treated
    return ((n_treated > 0) & (n_control > 0))[codes]


def mixed_strata(treated: np.ndarray, strata: np.ndarray) -> np.ndarray:
    """Whether each person's stratum holds people of both groups (the people a stratified test uses).

    Examples
    --------
    >>> mixed_strata(np.array([1, 0, 1, 1, 0], bool), np.array(list("AABBC"))).tolist()
    [True, True, False, False, False]
    """
    return _mixed(np.asarray(treated, dtype=bool), _codes(strata))


def _pooled_differences(
    values: np.ndarray, treated: np.ndarray, permutations: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Differences of means for shuffled labels, one block at a time, and each one's shift slope.

    Each row draws the smaller group as the ``k`` smallest of ``m`` uniform keys
    (``argpartition``, linear time). The slope of a relabelling (what :func:`_shift_interval`
    needs) is ``kept/n_t − (n_t − kept)/n_c``, ``kept`` being how many of the truly treated
    it labels treated.
    """
    n_t, n_c, total, m = int(treated.sum()), int((~treated).sum()), values.sum(), len(values)
    k = min(n_t, n_c)
    differences, kept = [], []
    for size in _blocks(permutations, m):
        drawn = np.argpartition(rng.random((size, m)), k - 1, axis=1)[:, :k]
        sums, hits = values[drawn].sum(axis=1), treated[drawn].sum(axis=1)
        if k != n_t:  # the drawn people are the relabelled control group
            sums, hits = total - sums, n_t - hits
        differences.append(sums / n_t - (total - sums) / n_c)
        kept.append(hits)
    hits = np.concatenate(kept)
    return np.concatenate(differences), hits / n_t - (n_t - hits) / n_c


def stratified_means(values: np.ndarray, treated: np.ndarray, codes: np.ndarray) -> tuple[float, float]:
    """Treated and control means of strata ``0..s-1`` that each hold both groups, weighted by size.

    Stratum ``u`` of ``n_u`` people weighs ``n_u / n``; the difference of the two means is the
    stratified difference in means, ``Σ_u (n_u / n)·(treated mean_u − control mean_u)``
    (Imbens & Rubin 2015, §9.5).

    Examples
    --------
    Stratum 0 (two people): treated 5, control 1; stratum 1 (four): treated 3 and 1, controls 0 and 0:

    >>> stratified_means(np.array([5.0, 1, 3, 1, 0, 0]), np.array([1, 0, 1, 1, 0, 0], bool),
    ...                  np.array([0, 0, 1, 1, 1, 1]))
    (3.0, 0.3333333333333333)
    """
    size = np.bincount(codes)
    weight = size / len(codes)
    sums_t = np.bincount(codes, weights=np.where(treated, values, 0.0))
    sums_c = np.bincount(codes, weights=np.where(treated, 0.0, values))
    n_t = np.bincount(codes, weights=treated.astype(float))
    return float(weight @ (sums_t / n_t)), float(weight @ (sums_c / (size - n_t)))


def _stratified_differences(
    values: np.ndarray, treated: np.ndarray, codes: np.ndarray, permutations: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Stratified differences (:func:`stratified_means`) for labels shuffled within strata, and slopes.

    People must be sorted by stratum code, each stratum holding both groups. Relabelling
    keeps each stratum's group sizes, so the statistic is linear in the labels: a person
    labelled treated adds ``gain = w_u·(1/n_tu + 1/n_cu)`` times their value to ``−Σ base·y``,
    ``base = w_u/n_cu``. ``argsort(stratum + U)`` of each row is a permutation that keeps
    every stratum's positions in place (``U`` is scaled into ``[0, 0.5)`` so that rounding
    never carries it into the next stratum). A shift δ of the truly treated values moves a
    relabelled statistic by ``−slope·δ``, ``slope = Σ_{truly treated} (gain·label − base)``
    (1 for the labelling itself), and the observed one by −δ.
    """
    size, n_t = np.bincount(codes), np.bincount(codes, weights=treated.astype(float))
    weight = size / len(codes)
    gain = (weight * (1 / n_t + 1 / (size - n_t)))[codes]
    base = (weight / (size - n_t))[codes]
    keys, offset, offset_t = codes.astype(float), base @ values, base[treated].sum()
    differences, slopes = [], []
    for block in _blocks(permutations, len(values)):
        shuffled = np.argsort(keys[None, :] + 0.5 * rng.random((block, len(values))), axis=1)
        labels = treated[shuffled].astype(float)
        differences.append(labels @ (gain * values) - offset)
        slopes.append(labels[:, treated] @ gain[treated] - offset_t)
    return np.concatenate(differences), np.concatenate(slopes)


def _as_extreme_needed(alpha: float, permutations: int) -> int:
    """How many relabellings must be as extreme as the observed one for ``p ≥ alpha``."""
    return max(0, math.ceil(alpha * (1 + permutations) - 1 - 1e-9))


def _shift_interval(
    observed: float, null: np.ndarray, slopes: np.ndarray, confidence: float, tolerance: float
) -> tuple[float | None, float | None, str | None]:
    """The shifts δ of the treated values that the permutation test does not reject (their hull).

    Shifting every treated value by −δ moves the observed difference to ``d − δ`` and a
    relabelled one to ``d* − c·δ``, where ``c`` is the relabelling's slope, in [−1, 1]: for
    the difference of means ``kept/n_t − (n_t − kept)/n_c``, the share of the relabelled
    treated group truly treated minus that of the relabelled control group; for the
    stratified difference, the strata's weighted mean of the same. So the test at δ counts
    the relabellings with ``|d* − c·δ| ≥ |d − δ|``: for ``|c| < 1`` the δ between
    ``(d − d*)/(1 − c)`` and ``(d + d*)/(1 + c)``, for ``|c| = 1`` (the labelling itself,
    or every group swapped) every δ. A sweep over those intervals finds
    where ``p(δ) = (1 + count)/(1 + n_perm) ≥ 1 − confidence``: every δ whose shift the
    test does not reject at that level, so 0 is in the interval exactly when ``p ≥ 1 −
    confidence``. Exact given the drawn relabellings, O(n_perm log n_perm).

    Examples
    --------
    Treated 4 and 6, controls 0 and 2 (``d = 4``), and all six relabellings of the four
    people: the labelling itself (``c = 1``), the swap (``c = −1``), and four mixed ones
    with ``c = 0``:

    >>> null, slopes = np.array([4.0, -4, -2, 0, 0, 2]), np.array([1.0, -1, 0, 0, 0, 0])
    >>> _shift_interval(4.0, null, slopes, 0.5, 0.0)
    (2.0, 6.0, None)
    >>> _shift_interval(4.0, null, slopes, 0.2, 0.0)
    (4.0, 4.0, None)
    >>> _shift_interval(4.0, null, slopes, 0.7, 0.0)
    (None, None, 'the groups are too small to bound the difference at 70% confidence')
    >>> _shift_interval(4.0, null, slopes, 0.95, 0.0)
    (None, None, 'needs at least 20 permutations for a 95% interval')
    """
    alpha = 1 - confidence
    need = _as_extreme_needed(alpha, len(null))
    c = slopes
    always = np.abs(np.abs(c) - 1) < 1e-12
    if need == 0:
        least = next(m for m in itertools.count(1) if _as_extreme_needed(alpha, m))
        return None, None, f"needs at least {least:,} permutations for a {confidence:.0%} interval"
    if int(always.sum()) >= need:
        return None, None, f"the groups are too small to bound the difference at {confidence:.0%} confidence"
    d_star, c = null[~always], c[~always]
    ends = np.stack([(observed - d_star) / (1 - c), (observed + d_star) / (1 + c)])
    raw = np.concatenate([ends.min(axis=0), ends.max(axis=0)])
    steps = np.repeat(np.array([1, -1], np.int64), len(d_star))
    # rounding can put a bound a hair beyond the δ the p-value's own tolerance accepts: widen
    # each interval by that tolerance to decide which δ are inside, but report the bound itself
    order = np.lexsort((-steps, raw - steps * tolerance))  # at one point, open before closing
    raw, inside = raw[order], int(always.sum()) + np.cumsum(steps[order]) >= need
    last = len(inside) - 1 - int(np.argmax(inside[::-1]))
    low, high = (float(raw[i]) for i in (np.argmax(inside), last + 1))
    # a bound within the tolerance of 0 is 0 (rounding put it a hair off), so the interval and the
    # p-value agree on 0 exactly
    return (0.0 if abs(low) <= tolerance else low), (0.0 if abs(high) <= tolerance else high), None


def _mixed_only(
    values: np.ndarray, treated: np.ndarray, codes: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[int, int]]:
    """The people of strata holding both groups, sorted by stratum, recoded ``0..s-1``; and how many
    strata, and people, were left out for holding one group only."""
    mixed = _mixed(treated, codes)
    if not mixed.any():
        raise InputError(
            "strata must put people of both groups together in at least one stratum. Got "
            f"{codes.max() + 1} strata, each holding one group only; "
            "pass strata=None to compare across strata"
        )
    recoded = np.unique(codes[mixed], return_inverse=True)[1].ravel()
    order = np.argsort(recoded, kind="stable")
    left_out = (int(codes.max() - recoded.max()), int((~mixed).sum()))
    return values[mixed][order], treated[mixed][order], recoded[order], left_out


def difference_test(
    values: np.ndarray,
    treated: np.ndarray,
    *,
    strata: np.ndarray | None = None,
    permutations: int = DEFAULT_PERMUTATIONS,
    seed: int = 0,
    confidence: float = 0.95,
) -> GroupDifference:
    """Treated mean minus control mean, a two-sided permutation p-value and the test's confidence interval.

    The p-value shuffles the treated labels: ``p = (1 + #{|d*| ≥ |d|}) / (1 + permutations)``.
    With ``strata`` (e.g. each person's unit) the labels are shuffled within strata and the
    statistic, observed and permuted, is the stratified difference in means
    (:func:`stratified_means`): the strata's treated-minus-control differences averaged with
    weights proportional to their size, so that differences between strata neither make
    nor mask an effect. Strata holding one group only tell nothing about the difference
    and are left out (counted in the result). The interval holds every shift δ of the
    treated group's values that the same relabellings do not reject at level
    ``1 − confidence`` (:func:`_shift_interval`): valid whenever the programme moves each
    person's value by one constant, and never at odds with the p-value beside it. Applied
    to per-person changes (after − before) this is the difference-in-differences.

    Examples
    --------
    Treated people gained 3, 4 and 5 ties; controls 0, 1 and 2:

    >>> res = difference_test(np.array([3.0, 4, 5, 0, 1, 2]), np.array([1, 1, 1, 0, 0, 0], bool),
    ...                       permutations=999, seed=0)
    >>> res.difference, res.p_value < 0.15
    (3.0, True)

    Stratum A gained 10 in both groups, stratum B nothing: within each stratum the groups
    differ by 0, whatever the pooled means (treated 5, control 10/6) say:

    >>> res = difference_test(np.array([10.0, 10, 0, 0, 0, 0]), np.array([1, 0, 1, 0, 0, 0], bool),
    ...                       strata=np.array(list("AABBBB")), permutations=99)
    >>> res.difference, res.p_value
    (0.0, 1.0)

    References
    ----------
    Good, P. (2005). *Permutation, Parametric and Bootstrap Tests of Hypotheses*, 3rd ed. Springer.
    Ernst, M. D. (2004). Permutation methods: a basis for exact inference. *Statistical Science*
    19(4), 676–685.
    Imbens, G. W. & Rubin, D. B. (2015). *Causal Inference for Statistics, Social, and Biomedical
    Sciences*. Cambridge UP, ch. 9 (stratified randomised experiments).
    """
    values = np.asarray(values, dtype=float)
    treated = np.asarray(treated, dtype=bool)
    codes = _check_groups(values, treated, strata)
    if permutations < 1:
        raise ConfigError(f"permutations must be at least 1. Got {permutations} instead.")
    if not 0 < confidence < 1:
        raise ConfigError(f"confidence must be between 0 and 1. Got {confidence} instead.")
    rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(1)[0])  # the stream p-values always drew
    left_out = (0, 0)
    if strata is None:
        t_mean, c_mean = float(values[treated].mean()), float(values[~treated].mean())
        null, slopes = _pooled_differences(values, treated, permutations, rng)
    else:
        values, treated, codes, left_out = _mixed_only(values, treated, codes)
        t_mean, c_mean = stratified_means(values, treated, codes)
        null, slopes = _stratified_differences(values, treated, codes, permutations, rng)
    observed = t_mean - c_mean
    tolerance = 1e-9 * max(1.0, float(np.abs(values).max()))
    p = (1 + int(np.sum(np.abs(null) >= abs(observed) - tolerance))) / (1 + permutations)
    low, high, reason = _shift_interval(observed, null, slopes, confidence, tolerance)
    return GroupDifference(
        t_mean, c_mean, observed, low, high, p, permutations, seed, confidence, reason, *left_out
    )
