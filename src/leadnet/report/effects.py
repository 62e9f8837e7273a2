"""The DiD rows of the programme page: each measure's cells and sentence, and the note on how they are judged.

Every figure is a value of ``comparison.json``'s ``cohort`` (:meth:`leadnet.compare.Comparison.to_dict`)
rounded for display; a suppressed cohort figure shows ``withheld`` in every figure's cell (a
p-value or interval of ``<5`` would read as a value below 5) and ``<k`` for the group sizes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from leadnet import group_differences
from leadnet.comparison_method import has_ranges
from leadnet.gatekeeping import PRIMARY, Judgement, judgements
from leadnet.report.findings import (
    did_sentence,
    effect_decimals,
    effect_number,
    finite,
    interval,
    judgement_note,
    words,
)
from leadnet.report.numbers import confidence_level, display_number, p_value, people_words
from leadnet.report.person_cells import WITHHELD


def effect_columns() -> tuple[str, ...]:
    """The DiD table's columns; the interval's is named by the level the statistics use.

    >>> effect_columns()[4]
    'Likely range (95% CI)'
    """
    return ("Measure", "Cohort change", "Comparison change", "Difference (DiD)",
            f"Likely range ({confidence_level()} CI)", "p-value", "People (cohort / comparison)")  # fmt: skip


@dataclass(frozen=True)
class Effect:
    """One cohort-against-comparison row: the display cells and the numbers the forest plot draws."""

    metric: str
    label: str
    cells: tuple[str, ...]
    sentence: str
    did: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None = None


def effect_row(
    metric: str, effect: Mapping[str, Any], relation: str, k: int, judgement: Judgement | None = None
) -> Effect:
    """One metric's DiD as table cells; a suppressed metric shows ``withheld`` in every figure.

    The cells hold ``comparison.json``'s figures (the raw p-value); ``judgement``, what a
    secondary measure is judged on, is only for the sentence
    (:func:`~leadnet.report.findings.did_sentence`).

    >>> e = {"cohort_delta": 3.08, "comparison_delta": 0.0, "did": 3.08, "ci_low": 2.8,
    ...      "ci_high": 3.36, "p_value": 9.999e-05, "n_cohort": 50, "n_comparison": 50}
    >>> effect_row("cross_unit_out_ties", e, "advice", 5).cells
    ('Cross-unit ties', '+3.1', '+0.0', '+3.1', '2.8 to 3.4', '<0.001', '50 / 50')
    >>> held = Judgement(None, held="chance")
    >>> effect_row("in_degree", e | {"ci_low": 0.0004, "p_value": 0.0499}, "advice", 5, held).cells[4:6]
    ('0.00040 to 3.4', '0.0499')
    >>> effect_row("in_degree", {"did": None, "n_cohort": "<5", "n_comparison": "<5"}, "advice", 5).cells
    ... # doctest: +NORMALIZE_WHITESPACE
    ('Sought out (in-degree)', 'withheld', 'withheld', 'withheld', 'withheld', 'withheld', '<5 / <5')
    """
    label = words(metric, relation).label
    did = finite(effect.get("did"))
    people = f"{display_number(effect.get('n_cohort'))} / {display_number(effect.get('n_comparison'))}"
    if did is None:  # a figure withheld is "withheld", not "<5": a "p-value <5" reads as a p below 5
        sentence = did_sentence(metric, effect, relation, k)
        return Effect(metric, label, (label, *[WITHHELD] * 5, people), sentence, None, None, None)
    low, high = finite(effect.get("ci_low")), finite(effect.get("ci_high"))
    d = effect_decimals(did)  # the sentence's rule, so the table and the findings print one figure alike
    cells = (
        label,
        effect_number(effect.get("cohort_delta"), d),
        effect_number(effect.get("comparison_delta"), d),
        effect_number(did, d),
        interval(low, high, d),
        p_value(effect.get("p_value")),
        people,
    )
    sentence = did_sentence(metric, effect, relation, k, judgement)
    return Effect(metric, label, cells, sentence, did, low, high, finite(effect.get("p_value")))


def effects(
    cohort: Mapping[str, Any] | None, relation: str, k: int, permutations: int | None = None
) -> tuple[Effect, ...]:
    """The DiD rows, in the order ``comparison.json`` lists the person metrics.

    The primary measure is judged on its own p-value; the secondary ones only when it shows a
    difference beyond chance, then on their p-values adjusted together by Holm's method
    (:func:`~leadnet.gatekeeping.judgements`); none when the tests ran too few
    ``permutations`` for any p to fall below the level.
    """
    if not cohort:
        return ()
    judged = judgements(cohort, permutations)
    return tuple(
        effect_row(metric, value, relation, k, judged.get(metric))
        for metric, value in cohort.items()
        if isinstance(value, Mapping) and "did" in value
    )


def _did_words(cohort: Mapping[str, Any]) -> str:
    """How the DiD is made: pooled, or within units (the stratified difference) when the comparison was.

    >>> _did_words({})
    "DiD = the cohort's mean change − the comparison group's"
    >>> print(_did_words({"within_unit": True, PRIMARY: {"n_in_one_group_units": 3}}))
    ... # doctest: +NORMALIZE_WHITESPACE
    DiD = the cohort's mean change − the comparison group's within each unit, averaged over the units
    weighted by their size (3 people in units without both groups left out)
    >>> print(_did_words({"within_unit": True, "n_unknown_unit": 1, PRIMARY: {"n_in_one_group_units": 0}}))
    ... # doctest: +NORMALIZE_WHITESPACE
    DiD = the cohort's mean change − the comparison group's within each unit, averaged over the units
    weighted by their size (1 person whose unit is unknown left out)
    """
    if not cohort.get("within_unit"):
        return "DiD = the cohort's mean change − the comparison group's"
    primary = cohort.get(PRIMARY)
    alone = primary.get("n_in_one_group_units") if isinstance(primary, Mapping) else None
    unknown = cohort.get("n_unknown_unit")
    parts = [f"{people_words(alone)} in units without both groups"] if alone else []
    if isinstance(unknown, int) and unknown > 0:
        parts.append(f"{people_words(unknown)} whose unit is unknown")
    left = f" ({' and '.join(parts)} left out)" if parts else ""
    return (
        "DiD = the cohort's mean change − the comparison group's within each unit, averaged over the units "
        f"weighted by their size{left}"
    )


def _within(cohort: Mapping[str, Any]) -> str:
    return " within units" if cohort.get("within_unit") else ""


def _not_stayed(cohort: Mapping[str, Any]) -> str:
    """The sentence on the people listed in the cohort file who are not in both snapshots ("" if none).

    >>> print(_not_stayed({"n_cohort_not_stayed": 6, "n_comparison_not_stayed": 4}))
    ... # doctest: +NORMALIZE_WHITESPACE
    6 participants and 4 comparison people listed in the cohort file are not in both snapshots, so no
    figure counts them.
    >>> _not_stayed({"n_cohort_not_stayed": 1, "n_comparison_not_stayed": None})
    '1 participant listed in the cohort file is not in both snapshots, so no figure counts them. '
    """
    counts = (cohort.get("n_cohort_not_stayed"), cohort.get("n_comparison_not_stayed"))
    nouns = (("participant", "participants"), ("comparison person", "comparison people"))
    said = [
        f"{n:,} {noun[n != 1]}" for n, noun in zip(counts, nouns, strict=True) if isinstance(n, int) and n > 0
    ]
    if not said:
        return ""
    are = "is" if sum(n for n in counts if isinstance(n, int)) == 1 else "are"
    listed = f"{' and '.join(said)} listed in the cohort file"
    return f"{listed} {are} not in both snapshots, so no figure counts them. "


def effects_note(cohort: Mapping[str, Any] | None, permutations: int, k: int) -> str:
    """The note above the DiD table: who is compared, how each figure is made and how it is judged."""
    if not cohort:
        return "No cohort was given: list participants in [programme] cohort to compare them with others."
    if cohort.get("reason"):
        return f"Cohort figures not shown: the cohort or the comparison group has fewer than {k} people."
    group = cohort.get("comparison_group", "n/a")
    opted_out = int(cohort.get("n_opted_out") or 0)
    left_out = ""
    if opted_out:
        listed = f"{people_words(opted_out)} listed in the cohort file"
        left_out = f"{listed} opted out: left out, as of the whole analysis. "
    left_out += _not_stayed(cohort)
    return (
        f"{display_number(cohort.get('n_cohort'))} participants and "
        f"{display_number(cohort.get('n_comparison'))} comparison people are in both snapshots "
        f"(comparison group: {group}). {left_out}"
        f"Change = after − before per person; {_did_words(cohort)}; "
        f"p-values from {permutations:,} label permutations{_within(cohort)} (two-sided); {_ranges(cohort)}. "
        f"{judgement_note(ranges=has_ranges(cohort))}"
    )


def _ranges(cohort: Mapping[str, Any]) -> str:
    """What the likely ranges say, or why none was computed (too few permutations, groups too small).

    >>> _ranges({"in_degree": {"did": 1.1, "ci_low": 0.4, "ci_high": 1.8}})
    'each likely range (95% CI) leaves out 0 exactly when p < 0.05'
    >>> print(_ranges({"in_degree": {"did": 1.1, "ci_low": None, "ci_high": None,
    ...                              "ci_reason": "needs at least 20 permutations for a 95% interval"}}))
    no likely range (95% CI) could be computed: needs at least 20 permutations for a 95% interval
    """
    level = confidence_level()
    if has_ranges(cohort):
        return (
            f"each likely range ({level} CI) leaves out 0 exactly when p < {group_differences.significance()}"
        )
    shown = [v for v in cohort.values() if isinstance(v, Mapping) and finite(v.get("did")) is not None]
    reasons = dict.fromkeys(str(v.get("ci_reason") or "not computed") for v in shown)
    return f"no likely range ({level} CI) could be computed: {'; '.join(reasons)}"
