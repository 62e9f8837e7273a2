"""Programme findings in plain words: one sentence per difference-in-differences.

The figures come from ``comparison.json`` (:meth:`leadnet.compare.Comparison.to_dict`)
and are only rounded here, never recomputed, and never onto the other side of what the
sentence says: an interval bound keeps two significant digits, a p-value is never printed as
0.050 unless it is at least 0.05. A measure's figures (its DiD, interval and each group's
change) are printed by one rule wherever the page shows them (:func:`effect_decimals`,
:func:`effect_number`): in a sentence, the DiD table and the headline card alike. Cross-unit
ties are the primary outcome, tested first at 0.05 on their own p-value; the other person
metrics are secondary, judged only after it is rejected, on p-values adjusted together by
Holm's method (:mod:`leadnet.gatekeeping`; ``comparison.json`` holds each as ``p_holm`` and
``verdict``). Each figure is said in plain words first: a "likely range" before its CI, whether
a difference is "unlikely to be chance" after its p.
A suppressed cohort figure (``None`` with a reason) is said to be suppressed in words that
name no group size below ``k``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from leadnet.gatekeeping import PRIMARY, Judgement, judgements
from leadnet.report.numbers import (
    confidence_level,
    display_number,
    p_value,
    percent,
    significance_level,
    ties_words,
)

CHANCE = "a difference this size could well be chance"
TOO_FEW = "too few permutations were run to judge it: no p-value could fall below {level}"
BEYOND = "unlikely to be chance"
HELD = (
    "The other measures were not judged: they are tested only when this first one shows a difference "
    "beyond chance."
)


@dataclass(frozen=True)
class MetricWords:
    """How a person metric is named: its label, the noun of a sentence and whether it counts ties."""

    label: str
    noun: str
    count: bool


METRIC_WORDS: Mapping[str, MetricWords] = {
    "cross_unit_out_ties": MetricWords("Cross-unit ties", "cross-unit {ties}", True),
    "brokerage_total": MetricWords(
        "Brokerage (pairs linked)",
        "pairs of colleagues they link who are not directly tied (Gould–Fernandez brokerage)",
        True,
    ),
    "in_degree": MetricWords("Sought out (in-degree)", "colleagues turning to them", True),
    "constraint": MetricWords("Network constraint", "network constraint (Burt; lower = more open)", False),
    "ei_index": MetricWords("Personal E-I index", "personal E-I index (ties across units vs inside)", False),
}


def judgement_note(*, ranges: bool = True) -> str:
    """How the page judges its measures, in plain words: the primary one first, then the others,
    adjusted for testing several (the method's own words are ``comparison.json``'s
    ``method.judgement``, printed in the page's Method); the table's likely ranges named when it
    has some (``ranges``).

    >>> print(judgement_note())  # doctest: +NORMALIZE_WHITESPACE
    Cross-unit ties are the main measure, judged first: a difference counts as beyond chance when
    p < 0.05. The other measures are judged only if it is, on p-values adjusted for testing several
    at once (Holm), which keeps the chance of a false alarm on any of them at 5% or less; otherwise
    they are not judged. The table's likely ranges (95% CIs) and p-values are not adjusted.
    >>> print(judgement_note(ranges=False).split(". ")[-1])
    The table's p-values are not adjusted.
    """
    level = significance_level()
    figures = f"likely ranges ({confidence_level()} CIs) and p-values" if ranges else "p-values"
    return (
        f"{METRIC_WORDS[PRIMARY].label} are the main measure, judged first: a difference counts as beyond "
        f"chance when p < {level}. The other measures are judged only if it is, on p-values adjusted for "
        f"testing several at once (Holm), which keeps the chance of a false alarm on any of them at "
        f"{100 * level:g}% or less; otherwise they are not judged. The table's "
        f"{figures} are not adjusted."
    )


def no_range(effect: Mapping[str, Any]) -> str:
    """A DiD without a likely range, and why (``comparison.json``'s ``ci_reason``).

    >>> no_range({"ci_low": None, "ci_reason": "needs at least 20 permutations for a 95% interval"})
    'no likely range (95% CI): needs at least 20 permutations for a 95% interval'
    """
    return f"no likely range ({confidence_level()} CI): {effect.get('ci_reason') or 'not computed'}"


def ties_of(relation: str) -> str:
    """Ties of a relation in words; a plain tie list's relation is called "ties" itself.

    >>> ties_of("advice"), ties_of("ties"), ties_of("email")
    ('advice ties', 'ties', 'email ties')
    """
    return "ties" if relation.strip().lower() in ("", "tie", "ties") else f"{relation} ties"


def words(metric: str, relation: str = "advice") -> MetricWords:
    """The label and sentence noun of a person metric (unknown metrics get a generic wording).

    >>> words("cross_unit_out_ties", "advice").noun, words("new_metric").label
    ('cross-unit advice ties', 'New metric')
    """
    known = METRIC_WORDS.get(metric)
    if known is None:
        text = metric.replace("_", " ")
        return MetricWords(text.capitalize(), text, False)
    return MetricWords(known.label, known.noun.format(ties=ties_of(relation)), known.count)


def finite(value: Any) -> float | None:
    """A figure of ``comparison.json`` as a float; None when it is missing, a marker or not finite.

    >>> finite(3), finite("<5"), finite(None), finite(float("nan")), finite(True)
    (3.0, None, None, None, None)
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(float(value)) else None


def decimals(value: float) -> int:
    """Decimals a sentence shows for an effect of this size: 1 from 1 up, else 2 (3 below 0.01).

    >>> decimals(3.08), decimals(-0.0587), decimals(0.004)
    (1, 2, 3)
    """
    size = abs(value)
    return 1 if size >= 1 else 2 if size >= 0.01 or size == 0 else 3


def p_text(p: Any) -> str:
    """A p-value as a sentence shows it, printed as a table prints it
    (:func:`~leadnet.report.numbers.p_value`): one below 0.05 never prints as 0.050.

    >>> p_text(9.999e-05), p_text(0.0312), p_text(0.0499), p_text(0.05), p_text(None)
    ('p < 0.001', 'p = 0.031', 'p = 0.0499', 'p = 0.050', 'p not computed')
    """
    value = finite(p)
    if value is None:
        return "p not computed"
    return "p < 0.001" if value < 0.001 else f"p = {p_value(value)}"


def _two_digits(number: float) -> int:
    """Decimals that keep two significant digits of a non-zero number."""
    return 1 - math.floor(math.log10(abs(number)))


def signed(value: Any) -> str:
    """A change with its sign; small changes keep two significant digits.

    >>> signed(153), signed(-3), signed(0.000425709), signed(-0.0325), signed(None)
    ('+153', '-3', '+0.00043', '-0.033', 'n/a')
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:+,}"
    number = finite(value)
    if number is None:
        return display_number(value)
    digits = 3 if number == 0 or abs(number) >= 0.01 else _two_digits(number)
    return f"{number:+,.{digits}f}"


def effect_decimals(did: float) -> int:
    """The decimals of every figure of one measure's DiD (:func:`decimals` of the DiD itself).

    >>> effect_decimals(3.08), effect_decimals(-0.063)
    (1, 2)
    """
    return decimals(did)


def effect_number(value: Any, d: int, sign: bool = True) -> str:
    """A figure of a measure's DiD (the DiD, a group's change) to ``d`` decimals, or more so it
    keeps two significant digits (:func:`bound`), with its sign; missing reads n/a.

    >>> effect_number(3.08, 1), effect_number(0.0, 1), effect_number(-0.0032, 2), effect_number(None, 1)
    ('+3.1', '+0.0', '-0.0032', 'n/a')
    >>> effect_number(-0.063, 2, sign=False)
    '0.063'
    """
    number = finite(value)
    if number is None:
        return display_number(value)
    if not sign:
        return bound(abs(number), d)
    return ("+" if number + 0.0 >= 0 else "") + bound(number, d)


def bound(value: float, d: int) -> str:
    """An interval bound to ``d`` decimals, or more so it keeps two significant digits.

    A bound near 0 so keeps its sign and its distance from 0: 0.03 is not printed as 0.0.

    >>> bound(0.03, 1), bound(2.14, 1), bound(-0.0004, 3), bound(-0.0, 1), bound(153.25, 1)
    ('0.030', '2.1', '-0.00040', '0.0', '153.2')
    """
    return f"{value + 0.0:,.{d if value == 0 else max(d, _two_digits(value))}f}"


def interval(low: Any, high: Any, d: int) -> str:
    """A confidence interval's bounds as "low to high" (:func:`bound`); a missing bound reads n/a,
    and an interval not computed at all (no bound) n/a once.

    >>> interval(0.03, 2.1, 1), interval(2.8, 3.36, 3), interval(None, 2.1, 1), interval(None, None, 3)
    ('0.030 to 2.1', '2.800 to 3.360', 'n/a to 2.1', 'n/a')
    """
    if finite(low) is None and finite(high) is None:
        return display_number(None)
    return " to ".join(display_number(v) if (f := finite(v)) is None else bound(f, d) for v in (low, high))


def did_sentence(
    metric: str,
    effect: Mapping[str, Any],
    relation: str = "advice",
    k: int = 5,
    judgement: Judgement | None = None,
) -> str:
    """One difference-in-differences in plain words.

    The verdict rests on ``judgement`` when it is given (a secondary measure's, from
    :func:`~leadnet.gatekeeping.judgements`), else on the effect's own p-value (the
    primary measure's); the sentence prints the p-value the verdict rests on. A secondary
    measure the primary one held back prints its own p-value and says it was not judged.

    Examples
    --------
    >>> e = {"did": 3.08, "ci_low": 2.8, "ci_high": 3.36, "p_value": 9.999e-05}
    >>> print(did_sentence("cross_unit_out_ties", e))
    ... # doctest: +NORMALIZE_WHITESPACE
    Programme participants gained 3.1 more cross-unit advice ties than the comparison group
    (likely range 2.8 to 3.4, 95% CI; p < 0.001); unlikely to be chance.
    >>> e = {"did": -0.0587, "ci_low": -0.2, "ci_high": 0.1, "p_value": 0.41}
    >>> print(did_sentence("constraint", e, judgement=Judgement(0.82, adjusted=True)))
    ... # doctest: +NORMALIZE_WHITESPACE
    Relative to the comparison group, programme participants' network constraint (Burt; lower = more
    open) fell by 0.059 (likely range -0.20 to 0.10, 95% CI; p = 0.410; Holm-adjusted p = 0.820); a difference
    this size could well be chance.

    A secondary measure whose own p is below 0.05 but whose adjusted p is not says why:

    >>> e = {"did": -0.0587, "ci_low": -0.1, "ci_high": -0.02, "p_value": 0.02}
    >>> print(did_sentence("ei_index", e, judgement=Judgement(0.08, adjusted=True)).split("; ", 1)[1])
    ... # doctest: +NORMALIZE_WHITESPACE
    p = 0.020; Holm-adjusted p = 0.080); with several measures tested, a difference this size
    could well be chance.

    Nor is it judged when the primary measure showed no difference beyond chance, however small
    its own p:

    >>> e = {"did": 0.5, "ci_low": 0.2, "ci_high": 0.8, "p_value": 0.001}
    >>> print(did_sentence("brokerage_total", e, judgement=Judgement(None, held="chance")))
    ... # doctest: +NORMALIZE_WHITESPACE
    Programme participants gained 0.50 more pairs of colleagues they link who are not directly tied
    (Gould–Fernandez brokerage) than the comparison group (likely range 0.20 to 0.80, 95% CI; p = 0.001); not
    judged, because the measures are tested in a set order and the first, cross-unit advice ties,
    showed no difference beyond chance.
    >>> print(did_sentence("in_degree", {"did": None, "reason": "the cohort has 3 stayers"}))
    ... # doctest: +NORMALIZE_WHITESPACE
    Sought out (in-degree): not shown, because fewer than 5 people in the cohort or the
    comparison group have this figure in both snapshots.
    """
    w = words(metric, relation)
    did = finite(effect.get("did"))
    if did is None:
        return f"{w.label}: not shown, because {suppressed_reason(k)}."
    d = effect_decimals(did)
    low, high = finite(effect.get("ci_low")), finite(effect.get("ci_high"))
    if low is not None and high is not None:
        ci = f"likely range {interval(low, high, d)}, {confidence_level()} CI"
    else:
        ci = no_range(effect)
    p = finite(effect.get("p_value"))
    judged = judgement or Judgement(p)
    adjusted = f"; Holm-adjusted {p_text(judged.p)}" if judged.adjusted else ""
    stats = f"({ci}; {p_text(p)}{adjusted})"
    text = (_count_change if w.count else _relative_change)(w.noun, did, effect, d) + f" {stats}"
    return text + _verdict(p, judged, relation)


def _verdict(p: float | None, judged: Judgement, relation: str) -> str:
    """The end of a DiD sentence: "unlikely to be chance" when the p it is judged on is below 0.05,
    else why it could be."""
    if judged.held == "permutations":
        return f"; {TOO_FEW.format(level=f'{significance_level():g}')}."
    if judged.held:
        return f"; {not_judged(judged.held, relation)}."
    level = significance_level()
    if judged.p is not None and judged.p < level:
        return f"; {BEYOND}."
    several = judged.adjusted and p is not None and p < level
    return f"; {'with several measures tested, ' if several else ''}{CHANCE}."


def not_judged(held: str, relation: str = "advice") -> str:
    """Why a secondary measure is not judged: the primary one, tested first, held it back.

    >>> print(not_judged("untested"))  # doctest: +NORMALIZE_WHITESPACE
    not judged, because the measures are tested in a set order and the first, cross-unit advice
    ties, could not be tested
    """
    first = words(PRIMARY, relation).noun
    outcome = "showed no difference beyond chance" if held == "chance" else "could not be tested"
    return f"not judged, because the measures are tested in a set order and the first, {first}, {outcome}"


def _relative_change(noun: str, did: float, effect: Mapping[str, Any], d: int) -> str:
    moved = "rose" if did >= 0 else "fell"
    by = effect_number(did, d, sign=False)
    return f"Relative to the comparison group, programme participants' {noun} {moved} by {by}"


def _count_change(noun: str, did: float, effect: Mapping[str, Any], d: int) -> str:
    """A difference in a count, worded by what each group did: both gained, both lost, or one each.

    >>> _count_change("ties", 0.67, {"cohort_delta": -0.83, "comparison_delta": -1.5}, 2)
    'Programme participants lost 0.67 fewer ties than the comparison group'
    >>> _count_change("ties", 0.7, {"cohort_delta": 0.5, "comparison_delta": -0.2}, 2)
    'Programme participants gained 0.50 ties while the comparison group lost 0.20, a difference of +0.70'
    """
    cohort, comparison = finite(effect.get("cohort_delta")), finite(effect.get("comparison_delta"))
    size = effect_number(did, d, sign=False)
    if cohort is None or comparison is None or (cohort >= 0 and comparison >= 0):
        more = "more" if did >= 0 else "fewer"
        return f"Programme participants gained {size} {more} {noun} than the comparison group"
    if cohort <= 0 and comparison <= 0:
        more = "fewer" if did >= 0 else "more"
        return f"Programme participants lost {size} {more} {noun} than the comparison group"
    verb, other = ("gained", "lost") if cohort > 0 else ("lost", "gained")
    return (
        f"Programme participants {verb} {effect_number(cohort, d, False)} {noun} while the comparison group "
        f"{other} {effect_number(comparison, d, False)}, a difference of {effect_number(did, d)}"
    )


def suppressed_reason(k: int) -> str:
    """Why a cohort figure is hidden, naming no group size below ``k``.

    >>> suppressed_reason(5)
    'fewer than 5 people in the cohort or the comparison group have this figure in both snapshots'
    """
    return f"fewer than {k} people in the cohort or the comparison group have this figure in both snapshots"


def overlap_words(jaccard: Any) -> str:
    """The tie overlap of the headline, its share in plain words first.

    >>> overlap_words(0.7527), overlap_words(None)
    ('75.3% of the ties compared were in both snapshots (tie overlap, Jaccard)', 'No ties to compare')
    """
    if finite(jaccard) is None:
        return "No ties to compare"
    return f"{percent(jaccard)} of the ties compared were in both snapshots (tie overlap, Jaccard)"


def headline(comparison: Mapping[str, Any] | None, relation: str = "advice", k: int = 5) -> str:
    """The answer to "Did the programme change practice?" on a report's first screen.

    Examples
    --------
    >>> c = {"n_stayed": 600, "jaccard": 0.7527, "ties_formed": 454, "ties_kept": 2298,
    ...      "ties_dissolved": 301, "cohort": {"cross_unit_out_ties": {"did": 3.08, "ci_low": 2.8,
    ...      "ci_high": 3.36, "p_value": 9.999e-05}}}
    >>> print(headline(c))
    ... # doctest: +NORMALIZE_WHITESPACE
    Programme participants gained 3.1 more cross-unit advice ties than the comparison group
    (likely range 2.8 to 3.4, 95% CI; p < 0.001); unlikely to be chance. 75.3% of the ties compared
    were in both snapshots (tie overlap, Jaccard); 454 ties formed.
    >>> headline(None)
    'No comparison in this report.'

    When the primary measure shows no difference beyond chance, the others were not judged:

    >>> c["cohort"] |= {"in_degree": {"did": 0.9, "ci_low": 0.4, "ci_high": 1.4, "p_value": 0.002}}
    >>> c["cohort"]["cross_unit_out_ties"] |= {"ci_low": -0.5, "p_value": 0.2}
    >>> print(headline(c))
    ... # doctest: +NORMALIZE_WHITESPACE
    Programme participants gained 3.1 more cross-unit advice ties than the comparison group
    (likely range -0.50 to 3.4, 95% CI; p = 0.200); a difference this size could well be chance. The other
    measures were not judged: they are tested only when this first one shows a difference beyond
    chance. 75.3% of the ties compared were in both snapshots (tie overlap, Jaccard); 454 ties formed.

    A cohort whose comparison lacks the primary measure is not "no cohort":

    >>> print(headline({"jaccard": 0.4, "ties_formed": 12, "cohort": {"n_cohort": 9, "n_comparison": 30}}))
    ... # doctest: +NORMALIZE_WHITESPACE
    A programme cohort was given, but the comparison has no result for cross-unit advice ties, the
    primary measure, so no measure was judged. 40.0% of the ties compared were in both snapshots
    (tie overlap, Jaccard); 12 ties formed.
    """
    if not comparison:
        return "No comparison in this report."
    cohort = comparison.get("cohort")
    if isinstance(cohort, Mapping) and isinstance(cohort.get(PRIMARY), Mapping):
        judged = judgements(cohort, _permutations(comparison))
        first = did_sentence(PRIMARY, cohort[PRIMARY], relation, k, judged.get(PRIMARY))
        if any(j.held in ("chance", "untested") for j in judged.values()):
            first += f" {HELD}"
    elif isinstance(cohort, Mapping):  # a cohort without the measure every other one waits for
        primary = words(PRIMARY, relation).noun
        first = (
            f"A programme cohort was given, but the comparison has no result for {primary}, the primary "
            "measure, so no measure was judged."
        )
    else:
        first = "No programme cohort was given, so only the whole network is compared."
    formed = ties_words(comparison.get("ties_formed"))
    return f"{first} {overlap_words(comparison.get('jaccard'))}; {formed} formed."


def _permutations(comparison: Mapping[str, Any]) -> int | None:
    """The permutations a comparison's tests ran (``comparison.json``'s ``permutations``), if it says."""
    n = comparison.get("permutations")
    return n if isinstance(n, int) and not isinstance(n, bool) else None
