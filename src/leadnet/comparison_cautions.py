"""What a comparison's reader must know to read it, beyond the settings the waves differ in.

Each is one plain sentence of :attr:`leadnet.compare.Comparison.cautions`, also in
``comparison.json``'s ``warnings`` and said at the command line:

- **too few permutations** (:func:`too_few_permutations`): with 19, the smallest p is
  1/20 = 0.05, so no permutation test can tell a difference from chance, and "could well be chance"
  would be a verdict the test could never have avoided;
- **the cohort withheld** (:func:`cohort_withheld`): a group under the privacy floor withholds
  every cohort figure, which a run otherwise ended with only "wrote";
- **people listed but not in both waves** (:func:`people_lost`): participants and comparison
  people who joined or left between the waves are in no figure, and who leaves may differ
  between the groups.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from leadnet.group_differences import can_judge, least_permutations, significance
from leadnet.permutation_counts import DEFAULT_PERMUTATIONS


def too_few_permutations(permutations: int) -> str | None:
    """The caution for a comparison whose tests cannot reach the significance level; None when they can.

    >>> print(too_few_permutations(19))  # doctest: +NORMALIZE_WHITESPACE
    with 19 permutations no p-value can fall below 0.05 (the smallest possible is 1/(19 + 1) = 0.05),
    so no permutation test (the differences-in-differences, QAP) can tell a difference from chance;
    run with at least 20 permutations (10,000 by default: --permutations of leadnet compare, or
    permutations in [analysis] of leadnet.toml)
    >>> too_few_permutations(20) is None
    True
    """
    if can_judge(permutations):
        return None
    return (
        f"with {permutations:,} permutations no p-value can fall below {significance()} (the smallest "
        f"possible is 1/({permutations:,} + 1) = {1 / (1 + permutations):.2g}), so no permutation test "
        "(the differences-in-differences, QAP) can tell a difference from chance; run with at least "
        f"{least_permutations()} permutations ({DEFAULT_PERMUTATIONS:,} by default: --permutations of "
        "leadnet compare, or permutations in [analysis] of leadnet.toml)"
    )


def cohort_withheld(cohort: Mapping[str, Any] | None, k: int) -> str | None:
    """The caution for a cohort whose every figure is withheld for privacy; None otherwise.

    >>> print(cohort_withheld({"reason": "too few", "n_cohort": "<5", "n_comparison": "withheld"}, 5))
    ... # doctest: +NORMALIZE_WHITESPACE
    the programme's cohort analysis is withheld: the cohort has fewer than 5 people in both
    snapshots (the privacy floor, min_group_size), so no figure of the cohort or the comparison
    group is shown; list at least 5 people of each group who are in both snapshots
    """
    if not cohort or not cohort.get("reason"):
        return None
    marker = f"<{k}"
    small = [name for key, name in (("n_cohort", "cohort"), ("n_comparison", "comparison group"))
             if cohort.get(key) == marker]  # fmt: skip
    which = " and the ".join(small) or "cohort or the comparison group"
    has = "have" if len(small) == 2 else "has"
    return (
        f"the programme's cohort analysis is withheld: the {which} {has} fewer than {k} people in both "
        "snapshots (the privacy floor, min_group_size), so no figure of the cohort or the comparison group "
        f"is shown; list at least {k} people of each group who are in both snapshots"
    )


def people_lost(cohort: Mapping[str, Any] | None, file: str = "the cohort file") -> str | None:
    """The caution for people the cohort file lists who are not in both snapshots; None when none are.

    >>> print(people_lost({"n_cohort_not_stayed": 6, "n_comparison_not_stayed": 4}, "cohort.csv"))
    ... # doctest: +NORMALIZE_WHITESPACE
    6 participants and 4 comparison people listed in cohort.csv are not in both snapshots (they
    joined or left between them), so no programme figure counts them; if the people who left differ
    between the groups, so may the groups that stayed
    """
    if not cohort:
        return None
    counts = [cohort.get("n_cohort_not_stayed"), cohort.get("n_comparison_not_stayed")]
    words = [
        f"{n:,} {noun if n != 1 else single}"
        for n, noun, single in zip(counts, ("participants", "comparison people"),
                                   ("participant", "comparison person"), strict=True)
        if isinstance(n, int) and n > 0
    ]  # fmt: skip
    if not words:
        return None
    are = "is" if len(words) == 1 and sum(n for n in counts if isinstance(n, int)) == 1 else "are"
    return (
        f"{' and '.join(words)} listed in {file} {are} not in both snapshots (they joined or left between "
        "them), so no programme figure counts them; if the people who left differ between the groups, so "
        "may the groups that stayed"
    )
