"""The programme cohort's figures: difference-in-differences against a comparison group.

Who is in each group is :mod:`leadnet.cohort_members`' (the cohort table's rows checked, and
without ``comparison`` rows every other stayer the comparison group). For each person metric the
change (after − before) of stayers gives the difference-in-differences: cohort mean change −
comparison mean change, with a two-sided label-permutation p-value and the confidence interval
that inverts the same test (:func:`leadnet.permutation.difference_test`). Within units, it is the
stratified difference instead: each unit's cohort-minus-comparison difference of mean
changes, averaged over the units that hold both groups with weights proportional to their
people, labels permuted within units; units holding one group only are left out, counted,
and so are people whose unit is unknown (they are not in that metric's ``n_cohort`` or
``n_comparison``).

The participants' new ties to each other, and their test, are in :mod:`leadnet.cohort_ties`.

Privacy: every cohort figure is a group-level figure, suppressed (``None`` with a reason,
sizes shown as ``<k``) when the cohort or the comparison group has fewer than ``k``
stayers, or fewer than ``k`` people with the metric in both waves (within units: fewer than
``k`` of them in units that hold both groups). Both sizes are hidden together, since the
comparison group is often "every other stayer" and the cohort size would follow by
subtraction: a group under ``k`` shows ``<k``, the other :data:`SIZE_WITHHELD` (a comparison
group of 20 is not "<5").
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from leadnet.cohort_members import COHORT_GROUPS
from leadnet.groups import unknown_groups
from leadnet.permutation import difference_test, mixed_strata
from leadnet.privacy import suppressed_marker

SIZE_WITHHELD = "withheld"
"""The size shown for a group of at least ``k`` people hidden beside one under ``k``."""
DID_KEYS: tuple[str, ...] = ("cohort_delta", "comparison_delta", "did", "ci_low", "ci_high", "p_value")
WITHIN_UNIT_DID = (
    "; within units: the units' cohort minus comparison mean changes averaged with weights proportional "
    "to their people with the metric (stratified difference in means, Imbens & Rubin 2015 ch. 9), labels "
    "permuted within units, units holding one group only left out"
)
"""How the DiD of :func:`cohort_effects` with strata differs from the pooled one, for a method record."""


def hidden_sizes(sizes: tuple[int, int], k: int) -> dict[str, str]:
    """``n_cohort`` and ``n_comparison`` when the cohort figures are suppressed: ``<k`` for a group
    under ``k``, :data:`SIZE_WITHHELD` for one that is not (its size would give the other's back).

    >>> hidden_sizes((3, 20), 5), hidden_sizes((12, 30), 5)
    ({'n_cohort': '<5', 'n_comparison': 'withheld'}, {'n_cohort': 'withheld', 'n_comparison': 'withheld'})
    """
    shown = [suppressed_marker(k) if size < k else SIZE_WITHHELD for size in sizes]
    return {"n_cohort": shown[0], "n_comparison": shown[1]}


def _suppressed(reason: str, k: int, sizes: tuple[int, int]) -> dict[str, Any]:
    return dict.fromkeys(DID_KEYS) | {
        **hidden_sizes(sizes, k),
        "one_group_units": None,
        "n_in_one_group_units": None,
        "reason": reason,
        "ci_reason": None,
    }


def _floor_reason(
    treated: np.ndarray, strata: np.ndarray | None, metric: str, k: int
) -> tuple[str, tuple[int, int]] | None:
    """Why a metric's DiD is suppressed: a group has fewer than ``k`` people with the metric (within
    units: fewer than ``k`` who share a unit with people of the other group), with the two groups'
    sizes that decided it; ``None`` if it is not."""
    n_t, n_c = int(treated.sum()), int((~treated).sum())
    if min(n_t, n_c) < k:
        return (
            f"fewer than {k} cohort or comparison people have {metric} in both waves "
            f"(privacy floor: both groups need at least {k})"
        ), (n_t, n_c)
    if strata is None:
        return None
    used = mixed_strata(treated, strata)
    sizes = (int((used & treated).sum()), int((used & ~treated).sum()))
    if min(sizes) < k:
        return (
            f"fewer than {k} cohort or comparison people with {metric} in both waves share a unit "
            f"with people of the other group (privacy floor: both groups need at least {k} there)"
        ), sizes
    return None


def _metric_effect(
    change: pd.DataFrame, metric: str, strata: np.ndarray | None, permutations: int, seed: int, k: int
) -> dict[str, Any]:
    valid = change[f"{metric}_delta"].notna().to_numpy()
    if strata is not None:  # a person of unknown unit has no unit to be compared within
        valid = valid & ~unknown_groups(strata)
    treated = change["group"].eq("cohort").to_numpy()[valid]
    strata = None if strata is None else strata[valid]
    floor = _floor_reason(treated, strata, metric, k)
    if floor is not None:
        return _suppressed(floor[0], k, floor[1])
    res = difference_test(
        change[f"{metric}_delta"].to_numpy(dtype=float, na_value=np.nan)[valid],
        treated,
        strata=strata,
        permutations=permutations,
        seed=seed,
    )
    figures = (res.treated_mean, res.control_mean, res.difference, res.ci_low, res.ci_high, res.p_value)
    sizes = {
        "n_cohort": int(treated.sum()),
        "n_comparison": int((~treated).sum()),
        "one_group_units": res.one_group_strata,
        "n_in_one_group_units": res.n_in_one_group_strata,
        "reason": None,
        "ci_reason": res.ci_reason,
    }
    return dict(zip(DID_KEYS, figures, strict=True)) | sizes


def cohort_effects(
    change: pd.DataFrame,
    metrics: tuple[str, ...],
    *,
    strata: np.ndarray | None = None,
    permutations: int = 10_000,
    seed: int = 0,
    min_group_size: int = 5,
) -> dict[str, Any]:
    """Difference-in-differences of each metric, cohort against comparison, among stayers.

    ``change`` has one row per stayer with ``group`` and ``<metric>_delta`` columns (the
    stayer rows of ``Comparison.people_change``); rows of group ``other`` are left out, and
    so, per metric, are people without the metric in both waves. ``strata`` (one label
    per row: the unit; a missing one, an unknown unit, leaves the person out as a missing
    metric does) makes each DiD a within-unit one: units' differences of mean changes
    averaged with weights proportional to their people with the metric, labels permuted
    within units. ``cohort_delta`` and ``comparison_delta`` are then each group's unit means
    averaged with those weights, so ``did`` is still their difference; units holding one
    group only are left out, counted as ``one_group_units`` with ``n_in_one_group_units``
    people (both 0 without strata). ``n_unknown_unit`` counts the cohort and comparison people
    a within-unit DiD leaves out for an unknown unit (0 without strata: the pooled DiD keeps them).

    Examples
    --------
    Five cohort members gained 2 ties each, five comparison people none:

    >>> change = pd.DataFrame({"group": ["cohort"] * 5 + ["comparison"] * 5,
    ...                        "ties_delta": [2.0] * 5 + [0.0] * 5})
    >>> res = cohort_effects(change, ("ties",), permutations=999)
    >>> res["n_cohort"], res["ties"]["did"], res["ties"]["ci_low"], res["ties"]["p_value"]
    (5, 2.0, 2.0, 0.01)

    Within units: unit A's five cohort and five comparison people gained 4 ties each, unit
    B's three comparison people none. Pooled, the cohort gained 4 − 20/8 = 1.5 more; within
    unit A, the only unit that holds both groups, nothing more:

    >>> change = pd.DataFrame({"group": ["cohort"] * 5 + ["comparison"] * 8,
    ...                        "ties_delta": [4.0] * 10 + [0.0] * 3})
    >>> res = cohort_effects(change, ("ties",), strata=np.array(["A"] * 10 + ["B"] * 3),
    ...                      permutations=99)
    >>> res["ties"]["did"], res["ties"]["p_value"], res["ties"]["n_in_one_group_units"]
    (0.0, 1.0, 3)

    References
    ----------
    Angrist, J. D. & Pischke, J.-S. (2009). *Mostly Harmless Econometrics*. Princeton UP, ch. 5.
    Imbens, G. W. & Rubin, D. B. (2015). *Causal Inference for Statistics, Social, and Biomedical
    Sciences*. Cambridge UP, ch. 9 (the stratified difference in means).
    """
    inside = change["group"].isin(COHORT_GROUPS).to_numpy()
    stayers, strata = change[inside], None if strata is None else np.asarray(strata)[inside]
    n_t, n_c = int(stayers["group"].eq("cohort").sum()), int(stayers["group"].eq("comparison").sum())
    n_unknown = 0 if strata is None else int(unknown_groups(strata).sum())
    head: dict[str, Any] = {"n_cohort": n_t, "n_comparison": n_c, "n_unknown_unit": n_unknown, "reason": None}
    if min(n_t, n_c) < min_group_size:
        reason = (
            f"the cohort or the comparison group has fewer than {min_group_size} stayers "
            f"(privacy floor: both need at least {min_group_size}); sizes withheld"
        )
        sizes = hidden_sizes((n_t, n_c), min_group_size)
        head = {**sizes, "n_unknown_unit": None, "reason": reason}
        return head | {metric: _suppressed(reason, min_group_size, (n_t, n_c)) for metric in metrics}
    effects = {m: _metric_effect(stayers, m, strata, permutations, seed, min_group_size) for m in metrics}
    return head | effects
