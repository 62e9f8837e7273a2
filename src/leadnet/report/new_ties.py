"""The programme page's new ties of participants: to each other or to everyone else, and whether
participants turned to each other more than their colleagues turned to them.

The figures are ``comparison.json``'s ``cohort_ties`` (:func:`leadnet.cohort_ties.cohort_new_ties`):
the share of participants' new ties that went to other participants beside the share of the other
colleagues' new ties that went to participants (``others_to_cohort_share``), and "more than others
turned to them" said only when their difference (``within_cohort_difference``) is above zero and the
one-sided p of the participant labels shuffled within units (``within_cohort_p``) is below the
page's level.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from leadnet.report.findings import finite, p_text, suppressed_reason
from leadnet.report.numbers import display_number, p_value, percent, significance_level
from leadnet.report.tables import Table

DRAWN_FROM = {"units": "within the same units", "none": "among the people in both snapshots"}
"""Where the participant labels are shuffled, by ``within_cohort_strata``."""
COLUMNS = ("New ties sent by participants", "To other participants", "To everyone else",
           "Share to participants", "Other colleagues' share to participants",
           "p (participants more than others?)")  # fmt: skip


def cohort_ties(comparison: Mapping[str, Any], k: int) -> tuple[Table, str]:
    """New ties sent by participants: to each other, or to everyone else, against the share of the
    other colleagues' new ties that went to participants.

    >>> c = {"cohort_ties": {"within_cohort_new": 63, "to_others_new": 113, "within_cohort_share": 0.358,
    ...                      "others_to_cohort_share": 0.012, "within_cohort_difference": 0.346,
    ...                      "within_cohort_p": 9.999e-05, "within_cohort_strata": "units"}}
    >>> table, sentence = cohort_ties(c, 5)
    >>> table.rows
    (('176', '63', '113', '35.8%', '1.2%', '<0.001'),)
    >>> print(sentence)  # doctest: +NORMALIZE_WHITESPACE
    Participants formed 176 new ties: 63 with other participants and 113 with everyone else. 35.8% of
    participants' new ties went to other participants, against 1.2% of other colleagues' new ties
    (tested by shuffling who took part within the same units): they turned to each other more than
    others turned to them (p < 0.001), and most new ties reach beyond the programme.
    >>> c["cohort_ties"] = {"within_cohort_new": 0, "to_others_new": 0, "within_cohort_share": None}
    >>> cohort_ties(c, 5)[1]
    'Participants formed no new ties.'
    >>> c["cohort_ties"] = {"within_cohort_new": 2, "to_others_new": 2, "within_cohort_share": 0.5}
    >>> cohort_ties(c, 5)[1].split(". ")[1]
    'Half of the new ties stayed inside the programme.'
    >>> c["cohort_ties"]["within_cohort_p_reason"] = "no unit holds both participants and others"
    >>> cohort_ties(c, 5)[1].split(". ")[1]
    'Not compared with colleagues within the same units: no unit holds both participants and others'
    """
    ties = comparison.get("cohort_ties") or {}
    within, others = ties.get("within_cohort_new"), ties.get("to_others_new")
    if within is None or others is None:
        return Table(COLUMNS, (), f"Not shown: {suppressed_reason(k)}."), ""
    p, difference = finite(ties.get("within_cohort_p")), finite(ties.get("within_cohort_difference"))
    row = (display_number(within + others), display_number(within), display_number(others),
           percent(ties.get("within_cohort_share")), percent(ties.get("others_to_cohort_share")),
           p_value(p))  # fmt: skip
    if within + others == 0:
        return Table(COLUMNS, (row,)), "Participants formed no new ties."
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
    drawn_from = DRAWN_FROM.get(str(ties.get("within_cohort_strata")), DRAWN_FROM["units"])
    if p is None or difference is None:
        untested = ties.get("within_cohort_p_reason")
        why = f" Not compared with colleagues {drawn_from}: {untested}." if untested else ""
        return Table(COLUMNS, (row,)), f"{formed}{why} {verdict[0].upper()}{verdict[1:]}."
    return Table(COLUMNS, (row,)), (
        f"{formed} {row[3]} of participants' new ties went to other participants, against {row[4]} of "
        f"other colleagues' new ties (tested by shuffling who took part {drawn_from}): "
        f"{against_others(difference, p)}, and {verdict}."
    )


def against_others(difference: float, p: float) -> str:
    """Whether participants turned to each other more than the other colleagues turned to them:
    "more" only when the ``difference`` of the two shares is above zero and the one-sided permutation
    ``p`` below the page's level.

    >>> against_others(0.346, 9.999e-05)
    'they turned to each other more than others turned to them (p < 0.001)'
    >>> against_others(0.03, 0.14049)
    'a gap that could well be chance (p = 0.140)'
    >>> against_others(-0.005, 0.62), against_others(0.0, 0.0001)
    ('no more than others turned to them (p = 0.620)', 'no more than others turned to them (p < 0.001)')
    """
    if difference <= 0:
        return f"no more than others turned to them ({p_text(p)})"
    if p < significance_level():
        return f"they turned to each other more than others turned to them ({p_text(p)})"
    return f"a gap that could well be chance ({p_text(p)})"
