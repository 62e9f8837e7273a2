"""Programme findings in plain words: one sentence per difference-in-differences.

The figures come from ``comparison.json`` (:meth:`leadnet.compare.Comparison.to_dict`)
and are only rounded here, never recomputed, and never onto the other side of what the
sentence says: an interval bound keeps two significant digits, a p-value is never printed as
0.050 unless it is at least 0.05. Cross-unit ties are the primary outcome, judged at 0.05 on
their own p-value; the other person metrics are secondary, judged on their p-values adjusted
together by Holm's method (:func:`holm`), which ``comparison.json`` does not hold. A
suppressed cohort figure (``None`` with a reason) is said to be suppressed in words that name
no group size below ``k``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from leadnet.report.tables import display_number

HEADLINE_METRIC = "cross_unit_out_ties"  # the primary outcome; every other person metric is secondary
SIGNIFICANCE = 0.05
CHANCE = "a difference this size could well be chance"


@dataclass(frozen=True)
class MetricWords:
    """How a person metric is named: its label, the noun of a sentence and whether it counts ties."""

    label: str
    noun: str
    count: bool


METRIC_WORDS: Mapping[str, MetricWords] = {
    "cross_unit_out_ties": MetricWords("Cross-unit ties", "cross-unit {ties}", True),
    "brokerage_total": MetricWords("Brokerage roles", "brokerage roles (Gould–Fernandez)", True),
    "in_degree": MetricWords("Sought out (in-degree)", "colleagues turning to them", True),
    "constraint": MetricWords("Network constraint", "network constraint (Burt; lower = more open)", False),
    "ei_index": MetricWords("Personal E-I index", "personal E-I index (ties across units vs inside)", False),
}


def judgement_note() -> str:
    """How the page judges its measures: which is primary, and how the others are adjusted.

    >>> print(judgement_note())  # doctest: +ELLIPSIS
    Cross-unit ties are the primary outcome, judged at p < 0.05. The other measures are secondary: ...
    """
    return (
        f"{METRIC_WORDS[HEADLINE_METRIC].label} are the primary outcome, judged at p < {SIGNIFICANCE}. The "
        "other measures are secondary: their p-values are adjusted together by Holm's step-down method "
        f"(Holm 1979), and a difference is called more than chance only when its adjusted p is below "
        f"{SIGNIFICANCE}; their 95% CIs are not adjusted."
    )


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


def p_digits(p: float) -> int:
    """Decimals that print ``p`` on its own side of 0.05: 3, or more when 3 would round it onto 0.05.

    >>> p_digits(0.0312), p_digits(0.0496), p_digits(500 / 10_001), p_digits(0.05), p_digits(0.0504)
    (3, 4, 6, 3, 3)
    """
    digits = 3
    while p < SIGNIFICANCE <= float(f"{p:.{digits}f}"):
        digits += 1
    return digits


def p_text(p: Any) -> str:
    """A p-value as a sentence shows it; one below 0.05 never prints as 0.050.

    >>> p_text(9.999e-05), p_text(0.0312), p_text(0.0499), p_text(0.05), p_text(None)
    ('p < 0.001', 'p = 0.031', 'p = 0.0499', 'p = 0.050', 'p not computed')
    """
    value = finite(p)
    if value is None:
        return "p not computed"
    return "p < 0.001" if value < 0.001 else f"p = {value:.{p_digits(value)}f}"


def p_cell(p: Any) -> str:
    """A p-value as a table cell.

    >>> p_cell(9.999e-05), p_cell(0.5), p_cell(0.0499), p_cell("<5")
    ('<0.001', '0.500', '0.0499', '<5')
    """
    value = finite(p)
    if value is None:
        return display_number(p)
    return "<0.001" if value < 0.001 else f"{value:.{p_digits(value)}f}"


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
    return f"{number:+.{digits}f}"


def bound(value: float, d: int) -> str:
    """An interval bound to ``d`` decimals, or more so it keeps two significant digits.

    A bound near 0 so keeps its sign and its distance from 0: 0.03 is not printed as 0.0.

    >>> bound(0.03, 1), bound(2.14, 1), bound(-0.0004, 3), bound(-0.0, 1), bound(153.25, 1)
    ('0.030', '2.1', '-0.00040', '0.0', '153.2')
    """
    return f"{value + 0.0:.{d if value == 0 else max(d, _two_digits(value))}f}"


def interval(low: Any, high: Any, d: int) -> str:
    """A 95% interval's bounds as "low to high" (:func:`bound`); a missing bound reads n/a.

    >>> interval(0.03, 2.1, 1), interval(2.8, 3.36, 3), interval(None, None, 3)
    ('0.030 to 2.1', '2.800 to 3.360', 'n/a to n/a')
    """
    return " to ".join(display_number(v) if (f := finite(v)) is None else bound(f, d) for v in (low, high))


def holm(p_values: Mapping[str, float]) -> dict[str, float]:
    """Holm's step-down adjusted p-values of a family of tests.

    The smallest of m p-values is multiplied by m, the next by m − 1, and so on, each kept at
    least as large as the one before and at most 1; a test is rejected at 0.05 by Holm's
    procedure exactly when its adjusted p is below 0.05. The chance that any true null of the
    family is rejected stays at most 0.05, however the tests depend on each other.

    Examples
    --------
    Four tests: 0.005 × 4 = 0.02, 0.01 × 3 = 0.03, 0.03 × 2 = 0.06 and 0.04 × 1 = 0.04,
    raised to the 0.06 before it:

    >>> holm({"a": 0.01, "b": 0.04, "c": 0.03, "d": 0.005})
    {'a': 0.03, 'b': 0.06, 'c': 0.06, 'd': 0.02}

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
    Journal of Statistics* 6(2), 65–70.
    """
    adjusted: dict[str, float] = {}
    running = 0.0
    order = sorted(p_values, key=lambda name: (p_values[name], name))
    for rank, name in enumerate(order):
        # Rounded to 12 decimals: 3 × 0.07 is 0.21 here, not the float product 0.21000000000000002.
        running = max(running, min(1.0, round(p_values[name] * (len(order) - rank), 12)))
        adjusted[name] = running
    return {name: adjusted[name] for name in p_values}


def secondary_p(cohort: Mapping[str, Any]) -> dict[str, float]:
    """Holm-adjusted p-values of the secondary measures: every DiD with a p-value but the primary one.

    >>> cohort = {"n_cohort": 50, "cross_unit_out_ties": {"did": 3.1, "p_value": 0.001},
    ...           "in_degree": {"did": 0.7, "p_value": 0.02}, "constraint": {"did": -0.06, "p_value": 0.41},
    ...           "ei_index": {"did": None, "p_value": None}}
    >>> secondary_p(cohort)
    {'in_degree': 0.04, 'constraint': 0.41}
    """
    p_values = {
        metric: p
        for metric, effect in cohort.items()
        if metric != HEADLINE_METRIC
        and isinstance(effect, Mapping)
        and (p := finite(effect.get("p_value"))) is not None
    }
    return holm(p_values)


def did_sentence(
    metric: str, effect: Mapping[str, Any], relation: str = "advice", k: int = 5, holm_p: float | None = None
) -> str:
    """One difference-in-differences in plain words.

    The verdict rests on ``holm_p`` when it is given (a secondary measure's p-value after
    Holm's adjustment, :func:`secondary_p`), else on the effect's own p-value (the primary
    measure's); the sentence prints the p-value the verdict rests on.

    Examples
    --------
    >>> e = {"did": 3.08, "ci_low": 2.8, "ci_high": 3.36, "p_value": 9.999e-05}
    >>> print(did_sentence("cross_unit_out_ties", e))
    ... # doctest: +NORMALIZE_WHITESPACE
    Programme participants gained 3.1 more cross-unit advice ties than the comparison group
    (95% CI 2.8 to 3.4; p < 0.001).
    >>> e = {"did": -0.0587, "ci_low": -0.2, "ci_high": 0.1, "p_value": 0.41}
    >>> print(did_sentence("constraint", e, holm_p=0.82))
    ... # doctest: +NORMALIZE_WHITESPACE
    Relative to the comparison group, programme participants' network constraint (Burt; lower = more
    open) fell by 0.06 (95% CI -0.20 to 0.10; p = 0.410; Holm-adjusted p = 0.820); a difference this
    size could well be chance.

    A secondary measure whose own p is below 0.05 but whose adjusted p is not says why:

    >>> e = {"did": -0.0587, "ci_low": -0.1, "ci_high": -0.02, "p_value": 0.02}
    >>> print(did_sentence("ei_index", e, holm_p=0.08).split("; ", 1)[1])
    ... # doctest: +NORMALIZE_WHITESPACE
    p = 0.020; Holm-adjusted p = 0.080); with several measures tested, a difference this size
    could well be chance.
    >>> print(did_sentence("in_degree", {"did": None, "reason": "the cohort has 3 stayers"}))
    ... # doctest: +NORMALIZE_WHITESPACE
    Sought out (in-degree): not shown, because fewer than 5 people in the cohort or the
    comparison group have this figure in both snapshots.
    """
    w = words(metric, relation)
    did = finite(effect.get("did"))
    if did is None:
        return f"{w.label}: not shown, because {suppressed_reason(k)}."
    d = decimals(did)
    low, high = finite(effect.get("ci_low")), finite(effect.get("ci_high"))
    if low is not None and high is not None:
        ci = f"95% CI {interval(low, high, d)}"
    else:
        ci = f"no 95% CI: {effect.get('ci_reason') or 'not computed'}"
    p_value = effect.get("p_value")
    adjusted = "" if holm_p is None else f"; Holm-adjusted {p_text(holm_p)}"
    stats = f"({ci}; {p_text(p_value)}{adjusted})"
    text = (_count_change if w.count else _relative_change)(w.noun, did, effect, d) + f" {stats}"
    return text + _verdict(finite(p_value), None if holm_p is None else finite(holm_p))


def _verdict(p: float | None, holm_p: float | None) -> str:
    """The end of a DiD sentence: "." when its p (adjusted, if given) is below 0.05, else why not."""
    judged = p if holm_p is None else holm_p
    if judged is not None and judged < SIGNIFICANCE:
        return "."
    several = holm_p is not None and p is not None and p < SIGNIFICANCE
    return f"; {'with several measures tested, ' if several else ''}{CHANCE}."


def _relative_change(noun: str, did: float, effect: Mapping[str, Any], d: int) -> str:
    moved = "rose" if did >= 0 else "fell"
    return f"Relative to the comparison group, programme participants' {noun} {moved} by {abs(did):.{d}f}"


def _count_change(noun: str, did: float, effect: Mapping[str, Any], d: int) -> str:
    """A difference in a count, worded by what each group did: both gained, both lost, or one each.

    >>> _count_change("ties", 0.67, {"cohort_delta": -0.83, "comparison_delta": -1.5}, 2)
    'Programme participants lost 0.67 fewer ties than the comparison group'
    >>> _count_change("ties", 0.7, {"cohort_delta": 0.5, "comparison_delta": -0.2}, 2)
    'Programme participants gained 0.50 ties while the comparison group lost 0.20, a difference of +0.70'
    """
    cohort, comparison = finite(effect.get("cohort_delta")), finite(effect.get("comparison_delta"))
    if cohort is None or comparison is None or (cohort >= 0 and comparison >= 0):
        more = "more" if did >= 0 else "fewer"
        return f"Programme participants gained {abs(did):.{d}f} {more} {noun} than the comparison group"
    if cohort <= 0 and comparison <= 0:
        more = "fewer" if did >= 0 else "more"
        return f"Programme participants lost {abs(did):.{d}f} {more} {noun} than the comparison group"
    verb, other = ("gained", "lost") if cohort > 0 else ("lost", "gained")
    return (
        f"Programme participants {verb} {abs(cohort):.{d}f} {noun} while the comparison group {other} "
        f"{abs(comparison):.{d}f}, a difference of {did:+.{d}f}"
    )


def suppressed_reason(k: int) -> str:
    """Why a cohort figure is hidden, naming no group size below ``k``.

    >>> suppressed_reason(5)
    'fewer than 5 people in the cohort or the comparison group have this figure in both snapshots'
    """
    return f"fewer than {k} people in the cohort or the comparison group have this figure in both snapshots"


def churn_sentence(comparison: Mapping[str, Any]) -> str:
    """Tie churn among the people in both snapshots, in plain words.

    >>> print(churn_sentence({"n_stayed": 600, "ties_kept": 2298, "ties_formed": 454,
    ...                       "ties_dissolved": 301, "jaccard": 0.7527}))
    ... # doctest: +NORMALIZE_WHITESPACE
    Among the 600 people in both snapshots, 2,298 ties were kept, 454 formed and 301 dissolved
    (tie overlap 0.753, Jaccard).
    """
    c = comparison
    return (
        f"Among the {display_number(c.get('n_stayed'))} people in both snapshots, "
        f"{display_number(c.get('ties_kept'))} ties were kept, {display_number(c.get('ties_formed'))} formed "
        f"and {display_number(c.get('ties_dissolved'))} dissolved "
        f"(tie overlap {display_number(c.get('jaccard'))}, Jaccard)."
    )


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
    (95% CI 2.8 to 3.4; p < 0.001). Tie overlap between the snapshots 0.753 (Jaccard);
    454 ties formed.
    >>> headline(None)
    'No comparison in this report.'
    """
    if not comparison:
        return "No comparison in this report."
    cohort = comparison.get("cohort")
    if isinstance(cohort, Mapping) and isinstance(cohort.get(HEADLINE_METRIC), Mapping):
        first = did_sentence(HEADLINE_METRIC, cohort[HEADLINE_METRIC], relation, k)
    else:
        first = "No programme cohort was given, so only the whole network is compared."
    return (
        f"{first} Tie overlap between the snapshots {display_number(comparison.get('jaccard'))} (Jaccard); "
        f"{display_number(comparison.get('ties_formed'))} ties formed."
    )
