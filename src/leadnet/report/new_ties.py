"""The programme page's new ties of participants: to each other or to everyone else, against
groups drawn at random from the same units.

The figures are ``comparison.json``'s ``cohort_ties`` (:func:`leadnet.cohort_ties.cohort_new_ties`):
the share of participants' new ties that link participants beside the share in groups of as many
people drawn at random from the same units (``within_cohort_expected_share``: the participant
labels shuffled within units over the new ties as they formed), and "more than such groups" said
only when that shuffle's one-sided p (``within_cohort_p``) is below the page's level.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from leadnet.report.findings import finite, p_text, suppressed_reason
from leadnet.report.numbers import display_number, p_value, percent, significance_level
from leadnet.report.tables import Table

DRAWN_FROM = {"units": "the same units", "none": "the people in both snapshots"}
"""Where the shuffled groups are drawn from, by ``within_cohort_strata``."""


def cohort_ties(comparison: Mapping[str, Any], k: int) -> tuple[Table, str]:
    """New ties sent by participants: to each other, or to everyone else, and the share in groups
    drawn at random from the same units.

    "More than such groups" is said only when the one-sided permutation p of ``comparison.json``'s
    ``cohort_ties`` (``within_cohort_p``) is below the page's level.

    >>> c = {"cohort_ties": {"within_cohort_new": 63, "to_others_new": 113, "within_cohort_share": 0.358,
    ...                      "within_cohort_expected_share": 0.081, "within_cohort_p": 9.999e-05,
    ...                      "within_cohort_strata": "units"}}
    >>> table, sentence = cohort_ties(c, 5)
    >>> table.rows
    (('176', '63', '113', '35.8%', '8.1%', '<0.001'),)
    >>> print(sentence)  # doctest: +NORMALIZE_WHITESPACE
    Participants formed 176 new ties: 63 with other participants and 113 with everyone else. In groups
    of as many people drawn at random from the same units, with the new ties as they formed, about 8.1%
    of a group's new ties link its members; 35.8% of participants' did, 4.4 times that: they turned to
    each other more than such groups do (p < 0.001), and most new ties reach beyond the programme.
    >>> c["cohort_ties"] = {"within_cohort_new": 0, "to_others_new": 0, "within_cohort_share": None}
    >>> cohort_ties(c, 5)[1]
    'Participants formed no new ties.'
    >>> c["cohort_ties"] = {"within_cohort_new": 2, "to_others_new": 2, "within_cohort_share": 0.5}
    >>> cohort_ties(c, 5)[1].split(". ")[1]
    'Half of the new ties stayed inside the programme.'
    >>> c["cohort_ties"]["within_cohort_p_reason"] = "no unit holds both participants and others"
    >>> cohort_ties(c, 5)[1].split(". ")[1]
    'Not compared with groups drawn at random from the same units: no unit holds both participants and others'
    """
    ties = comparison.get("cohort_ties") or {}
    drawn_from = DRAWN_FROM.get(str(ties.get("within_cohort_strata")), DRAWN_FROM["units"])
    columns = ("New ties sent by participants", "To other participants", "To everyone else",
               "Share to participants", f"Share in random groups from {drawn_from}",
               "p (more than those groups?)")  # fmt: skip
    within, others = ties.get("within_cohort_new"), ties.get("to_others_new")
    if within is None or others is None:
        return Table(columns, (), f"Not shown: {suppressed_reason(k)}."), ""
    expected = finite(ties.get("within_cohort_expected_share"))
    p = finite(ties.get("within_cohort_p"))
    row = (display_number(within + others), display_number(within), display_number(others),
           percent(ties.get("within_cohort_share")), percent(expected), p_value(p))  # fmt: skip
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
    untested = ties.get("within_cohort_p_reason")
    if expected is None:
        why = f" Not compared with groups drawn at random from {drawn_from}: {untested}." if untested else ""
        return Table(columns, (row,)), f"{formed}{why} {verdict[0].upper()}{verdict[1:]}."
    return Table(columns, (row,)), (
        f"{formed} In groups of as many people drawn at random from {drawn_from}, with the new ties as "
        f"they formed, about {row[4]} of a group's new ties link its members; "
        f"{_against_groups(inside, expected, row[3], p)}, and {verdict}."
    )


def _against_groups(inside: float, expected: float, shown: str, p: float | None = None) -> str:
    """How the share of participants' new ties that link participants compares with the share in
    groups drawn at random from the same units.

    "More than such groups" only when the one-sided permutation ``p`` is below the page's level;
    without a p the ratio alone is given.

    >>> print(_against_groups(0.358, 0.081, "35.8%", 9.999e-05))  # doctest: +NORMALIZE_WHITESPACE
    35.8% of participants' did, 4.4 times that: they turned to each other more than such groups do
    (p < 0.001)
    >>> _against_groups(0.1, 0.015, "10.0%", 0.14049)
    "10.0% of participants' did, 6.7 times that, which could well be chance (p = 0.140)"
    >>> _against_groups(0.0, 0.082, "0.0%", 1.0)
    "0.0% of participants' did: no more than such groups"
    >>> _against_groups(0.09, 0.082, "9.0%")
    "9.0% of participants' did, 1.1 times that"
    """
    did = f"{shown} of participants' did"
    if expected <= 0:
        return did
    ratio = inside / expected
    times = f"{did}, {ratio:.1f} times that"
    if p is None:
        return times
    if p < significance_level():
        return f"{times}: they turned to each other more than such groups do ({p_text(p)})"
    if ratio <= 1:
        return f"{did}: no more than such groups"
    return f"{times}, which could well be chance ({p_text(p)})"
