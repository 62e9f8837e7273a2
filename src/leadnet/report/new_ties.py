"""The programme page's new ties of participants: to each other or to everyone else, against chance.

The figures are ``comparison.json``'s ``cohort_ties`` (:func:`leadnet.cohort.cohort_new_ties`):
"more than chance" is said only when its one-sided binomial p (``within_cohort_p``) is below
the page's level; otherwise the share is given beside the share chance would give.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from leadnet.report.findings import finite, p_text, suppressed_reason
from leadnet.report.numbers import display_number, p_value, percent, significance_level
from leadnet.report.tables import Table


def cohort_ties(comparison: Mapping[str, Any], k: int) -> tuple[Table, str]:
    """New ties sent by participants: to each other, or to everyone else (and the share by chance).

    "More than chance" is said only when the one-sided binomial p of ``comparison.json``'s
    ``cohort_ties`` (``within_cohort_p``) is below the page's level.

    >>> c = {"n_stayed": 600, "cohort": {"n_cohort": 50},
    ...      "cohort_ties": {"within_cohort_new": 63, "to_others_new": 113, "within_cohort_share": 0.358,
    ...                      "within_cohort_expected_share": 49 / 599, "within_cohort_p": 1.1e-24}}
    >>> table, sentence = cohort_ties(c, 5)
    >>> table.rows
    (('176', '63', '113', '35.8%', '8.2%', '<0.001'),)
    >>> print(sentence)  # doctest: +NORMALIZE_WHITESPACE
    Participants formed 176 new ties: 63 with other participants and 113 with everyone else. Had they
    picked colleagues at random, about 8.2% would link participants; 35.8% did, 4.4 times that: they
    turned to each other more than chance would (p < 0.001), and most new ties reach beyond the programme.
    >>> c["cohort_ties"] = {"within_cohort_new": 0, "to_others_new": 0, "within_cohort_share": None}
    >>> cohort_ties(c, 5)[1]
    'Participants formed no new ties.'
    >>> c["cohort_ties"] = {"within_cohort_new": 2, "to_others_new": 2, "within_cohort_share": 0.5}
    >>> cohort_ties(c, 5)[1].split(", and ")[1]
    'half of the new ties stayed inside the programme.'
    """
    ties = comparison.get("cohort_ties") or {}
    columns = ("New ties sent by participants", "To other participants", "To everyone else",
               "Share to participants", "Share expected by chance", "p (more than chance?)")  # fmt: skip
    within, others = ties.get("within_cohort_new"), ties.get("to_others_new")
    if within is None or others is None:
        return Table(columns, (), f"Not shown: {suppressed_reason(k)}."), ""
    chance = _chance_share(comparison)
    p = finite(ties.get("within_cohort_p"))
    share = ties.get("within_cohort_share")
    row = (display_number(within + others), display_number(within), display_number(others),
           percent(share), percent(chance), p_value(p))  # fmt: skip
    if within + others == 0:
        return Table(columns, (row,)), "Participants formed no new ties."
    inside = within / (within + others)
    verdict = (
        "half of the new ties stayed inside the programme"
        if inside == 0.5
        else f"most new ties {'stayed inside' if inside > 0.5 else 'reach beyond'} the programme"
    )
    formed = (
        f"Participants formed {row[0]} new ties: {row[1]} with other participants and {row[2]} with "
        "everyone else."
    )
    if chance is None:
        return Table(columns, (row,)), f"{formed} {verdict[0].upper()}{verdict[1:]}."
    return Table(columns, (row,)), (
        f"{formed} Had they picked colleagues at random, about {row[4]} would link participants; "
        f"{_against_chance(inside, chance, row[3], p)}, and {verdict}."
    )


def _chance_share(comparison: Mapping[str, Any]) -> float | None:
    """The share of participants among a participant's possible partners: ``comparison.json``'s
    ``within_cohort_expected_share``, or (cohort − 1) / (people in both snapshots − 1)."""
    given = finite((comparison.get("cohort_ties") or {}).get("within_cohort_expected_share"))
    if given is not None:
        return given
    n_cohort = finite((comparison.get("cohort") or {}).get("n_cohort"))
    n_stayed = finite(comparison.get("n_stayed"))
    return (n_cohort - 1) / (n_stayed - 1) if n_cohort and n_stayed and n_stayed > 1 else None


def _against_chance(inside: float, chance: float, shown: str, p: float | None = None) -> str:
    """How the share of participants' new ties that link participants compares with chance.

    "More than chance" only when the one-sided binomial ``p`` is below the page's level; without
    a p the ratio alone is given.

    >>> _against_chance(0.358, 0.082, "35.8%", 1e-24)
    '35.8% did, 4.4 times that: they turned to each other more than chance would (p < 0.001)'
    >>> _against_chance(0.1, 0.015, "10.0%", 0.14049)
    '10.0% did, 6.7 times that, which could well be chance (p = 0.140)'
    >>> _against_chance(0.0, 0.082, "0.0%", 1.0)
    '0.0% did: no more than chance would give'
    >>> _against_chance(0.09, 0.082, "9.0%")
    '9.0% did, 1.1 times that'
    """
    if chance <= 0:
        return f"{shown} did"
    ratio = inside / chance
    times = f"{shown} did, {ratio:.1f} times that"
    if p is None:
        return times
    if p < significance_level():
        return f"{times}: they turned to each other more than chance would ({p_text(p)})"
    if ratio <= 1:
        return f"{shown} did: no more than chance would give"
    return f"{times}, which could well be chance ({p_text(p)})"
