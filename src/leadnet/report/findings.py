"""Programme findings in plain words: one sentence per difference-in-differences.

The figures come from ``comparison.json`` (:meth:`leadnet.compare.Comparison.to_dict`)
and are only rounded here, never recomputed. A suppressed cohort figure (``None`` with a
reason) is said to be suppressed in words that name no group size below ``k``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from leadnet.report.tables import display_number

HEADLINE_METRIC = "cross_unit_out_ties"
SIGNIFICANCE = 0.05


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


def _finite(value: Any) -> float | None:
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
    """A p-value as a sentence shows it.

    >>> p_text(9.999e-05), p_text(0.0312), p_text(None)
    ('p < 0.001', 'p = 0.031', 'p not computed')
    """
    value = _finite(p)
    if value is None:
        return "p not computed"
    return "p < 0.001" if value < 0.001 else f"p = {value:.3f}"


def p_cell(p: Any) -> str:
    """A p-value as a table cell.

    >>> p_cell(9.999e-05), p_cell(0.5), p_cell("<5")
    ('<0.001', '0.500', '<5')
    """
    value = _finite(p)
    if value is not None and value < 0.001:
        return "<0.001"
    return display_number(p)


def signed(value: Any) -> str:
    """A change with its sign; small changes keep two significant digits.

    >>> signed(153), signed(-3), signed(0.000425709), signed(-0.0325), signed(None)
    ('+153', '-3', '+0.00043', '-0.033', 'n/a')
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:+,}"
    number = _finite(value)
    if number is None:
        return display_number(value)
    digits = 3 if number == 0 or abs(number) >= 0.01 else 1 - math.floor(math.log10(abs(number)))
    return f"{number:+.{digits}f}"


def did_sentence(metric: str, effect: Mapping[str, Any], relation: str = "advice", k: int = 5) -> str:
    """One difference-in-differences in plain words.

    Examples
    --------
    >>> e = {"did": 3.08, "ci_low": 2.8, "ci_high": 3.36, "p_value": 9.999e-05}
    >>> print(did_sentence("cross_unit_out_ties", e))
    ... # doctest: +NORMALIZE_WHITESPACE
    Programme participants gained 3.1 more cross-unit advice ties than the comparison group
    (95% CI 2.8 to 3.4; p < 0.001).
    >>> e = {"did": -0.0587, "ci_low": -0.2, "ci_high": 0.1, "p_value": 0.41}
    >>> print(did_sentence("constraint", e))
    ... # doctest: +NORMALIZE_WHITESPACE
    Relative to the comparison group, programme participants' network constraint (Burt; lower = more
    open) fell by 0.06 (95% CI -0.20 to 0.10; p = 0.410); a difference this size could well be chance.
    >>> print(did_sentence("in_degree", {"did": None, "reason": "the cohort has 3 stayers"}))
    ... # doctest: +NORMALIZE_WHITESPACE
    Sought out (in-degree): not shown, because fewer than 5 people in the cohort or the
    comparison group have this figure in both snapshots.
    """
    w = words(metric, relation)
    did = _finite(effect.get("did"))
    if did is None:
        return f"{w.label}: not shown, because {suppressed_reason(k)}."
    d = decimals(did)
    low, high = _finite(effect.get("ci_low")), _finite(effect.get("ci_high"))
    if low is not None and high is not None:
        ci = f"95% CI {low:.{d}f} to {high:.{d}f}"
    else:
        ci = f"no 95% CI: {effect.get('ci_reason') or 'not computed'}"
    stats = f"({ci}; {p_text(effect.get('p_value'))})"
    text = (_count_change if w.count else _relative_change)(w.noun, did, effect, d) + f" {stats}"
    p = _finite(effect.get("p_value"))
    chance = p is None or p >= SIGNIFICANCE
    return text + ("; a difference this size could well be chance." if chance else ".")


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
    cohort, comparison = _finite(effect.get("cohort_delta")), _finite(effect.get("comparison_delta"))
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
