"""Difference of means between two groups: a permutation p-value and the interval that inverts it.

:func:`difference_test` shuffles the treated labels, by default across everyone, with
strata (e.g. each person's unit) within each stratum, where the statistic, observed and
permuted, is the stratified difference in means (:func:`stratified_means`, Imbens &
Rubin 2015); strata holding one group only are left out and counted. Applied to
per-person changes (after − before) this is the difference-in-differences of a programme.

p-values count the observed statistic as one of the permutations (Phipson & Smyth
2010), so they are never 0: ``p = (1 + #{|d*| ≥ |d|}) / (1 + n_perm)``. The confidence
interval inverts that same test (the shifts it does not reject: :func:`_shift_interval`,
Ernst 2004), so it leaves out 0 exactly when ``p < 1 − confidence``. Each block of
relabellings is one numpy array (:func:`leadnet.permutation_counts.block_sizes`); no
Python loop runs per person.

References
----------
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
from leadnet.permutation_counts import DEFAULT_PERMUTATIONS, block_sizes

CONFIDENCE = 0.95
"""The level of a difference's confidence interval unless another is asked for: read when a test
runs (:func:`difference_test`) and when a text names the level (:func:`level_words`), so changing
it changes both the intervals and the words. It is also the source of the level the report's
verdicts are read at (:func:`significance_level`, 1 − it, read when a verdict is made): an
interval leaves out 0 exactly when its p is below ``1 − CONFIDENCE``, so with one level set in two
places a report could print an interval that leaves out 0 beside a verdict that the difference
could be chance."""


def level_words(confidence: float | None = None) -> str:
    """A confidence level as the texts name it (:data:`CONFIDENCE` unless another is given).

    >>> level_words(0.95), level_words(0.9), level_words(0.995)
    ('95%', '90%', '99.5%')
    """
    return f"{100 * (CONFIDENCE if confidence is None else confidence):g}%"


def significance_level(confidence: float | None = None) -> float:
    """The p below which a confidence interval leaves out 0: 1 − the level (:data:`CONFIDENCE`
    unless another is given), rounded to 9 decimals so 0.95 gives 0.05, not 0.050000000000000044.

    >>> significance_level(), significance_level(0.9)
    (0.05, 0.1)
    """
    return round(1 - (CONFIDENCE if confidence is None else confidence), 9)


def significance(confidence: float | None = None) -> str:
    """:func:`significance_level` as the texts write it.

    >>> significance(0.95), significance(0.9)
    ('0.05', '0.1')
    """
    return f"{significance_level(confidence):g}"


def can_judge(permutations: int, confidence: float | None = None) -> bool:
    """Whether a test of ``permutations`` permutations can give a p below the significance level:
    its smallest p, ``1 / (1 + permutations)``, is below it. With 19, no p is below 0.05, so no
    difference can be told from chance, however large.

    >>> can_judge(19), can_judge(20), can_judge(10, 0.9)
    (False, True, True)
    """
    return 1 / (1 + permutations) < significance_level(confidence)


def least_permutations(confidence: float | None = None) -> int:
    """The fewest permutations whose test can give a p below the significance level.

    >>> least_permutations(), least_permutations(0.99)
    (20, 100)
    """
    return next(m for m in itertools.count(1) if can_judge(m, confidence))


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
    confidence: float = CONFIDENCE
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
    for size in block_sizes(permutations, m):
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
    for block in block_sizes(permutations, len(values)):
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
        return None, None, f"needs at least {least:,} permutations for a {level_words(confidence)} interval"
    if int(always.sum()) >= need:
        level = level_words(confidence)
        return None, None, f"the groups are too small to bound the difference at {level} confidence"
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
    confidence: float | None = None,
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
    ``1 − confidence`` (:func:`_shift_interval`; ``confidence`` is :data:`CONFIDENCE` as it is
    when the test runs, unless given): valid whenever the programme moves each
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
    confidence = CONFIDENCE if confidence is None else confidence
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
