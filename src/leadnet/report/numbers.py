"""How the report prints a number: a figure, a p-value and a share, each by one rule.

Every share the report's words or tables show as a percentage goes through :func:`percent`,
with one decimal (``97.5%``, ``22.2%``, ``35.8%``), so one figure never reads ``98%`` in one
place and ``97.5%`` in another; figures and p-values in tables go through
:func:`display_number` and :func:`p_value`, and a sentence's p-value
(:func:`leadnet.report.findings.p_text`) prints as :func:`p_value` does, so a p below
the level of the verdicts (:func:`leadnet.group_differences.significance_level`, 1 − the
intervals' :data:`~leadnet.group_differences.CONFIDENCE`, read each time) never prints as 0.050 in
a table or a sentence.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from leadnet import group_differences
from leadnet.group_differences import significance_level  # the level of the verdicts, read when used

MISSING = "n/a"
PERCENT_DECIMALS = 1
"""Decimals of every percentage the report prints (more only where :func:`percent` is asked for them)."""


def display_number(value: Any, digits: int = 3) -> str:
    """A figure rounded for display; text (such as a suppressed ``<5``) passes unchanged.

    Examples
    --------
    >>> display_number(0.04512), display_number(1200), display_number(None), display_number("<5")
    ('0.045', '1,200', 'n/a', '<5')
    >>> display_number(float("nan")), display_number(True), display_number(-0.62), display_number(2752.5)
    ('n/a', 'yes', '-0.620', '2,752.500')
    """
    if value is None or value is pd.NA:
        return MISSING
    if isinstance(value, str):
        return value
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    if isinstance(value, float | np.floating):
        return MISSING if not math.isfinite(float(value)) else f"{float(value):,.{digits}f}"
    return str(value)


def number(value: Any) -> float | None:
    """A figure as a float; None when it is missing, not a number or not finite.

    >>> number(3), number(None), number(float("nan")), number(True)
    (3.0, None, None, None)
    """
    ok = isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool | np.bool_)
    return float(value) if ok and math.isfinite(float(value)) else None


SINGULAR_VERBS = {"have": "has", "are": "is", "were": "was"}
"""The verbs whose form for one person is not the plural's with an ``s``."""


def counted(count: Any, one: str, many: str) -> str:
    """``count`` and its noun: ``one`` for exactly 1, else ``many``, the count with thousands
    separators: the report's one rule for a count in words, which the network view's script
    (``assets/report.js``, its ``counted``) follows too.

    >>> counted(1, "match", "matches"), counted(0, "match", "matches"), counted(2100, "match", "matches")
    ('1 match', '0 matches', '2,100 matches')
    """
    return f"1 {one}" if number(count) == 1 else f"{display_number(count)} {many}"


def people_words(count: Any, verb: str = "") -> str:
    """``count`` people, with the verb agreeing when one is given (:func:`verb_for`): the one way
    the report's prose counts people.

    >>> people_words(1, "lead"), people_words(3, "lead"), people_words(1), people_words(600)
    ('1 person leads', '3 people lead', '1 person', '600 people')
    >>> people_words(1, "have"), people_words(2752, "have")
    ('1 person has', '2,752 people have')
    """
    noun = counted(count, "person", "people")
    return f"{noun} {verb_for(count, verb)}" if verb else noun


def ties_words(count: Any) -> str:
    """``count`` ties: ``1 tie``, ``2,298 ties``.

    >>> ties_words(1), ties_words(2298), ties_words(0)
    ('1 tie', '2,298 ties', '0 ties')
    """
    return counted(count, "tie", "ties")


def units_words(count: Any) -> str:
    """``count`` units: ``1 unit``, ``30 units``.

    >>> units_words(1), units_words(30), units_words(1200)
    ('1 unit', '30 units', '1,200 units')
    """
    return counted(count, "unit", "units")


def verb_for(count: Any, verb: str) -> str:
    """``verb`` (its plural, one word) agreeing with ``count`` people, where the count stands apart
    from it: "the 1 person listed under Bridges holds".

    >>> verb_for(1, "hold"), verb_for(2, "hold"), verb_for(1, "have"), verb_for(1, "are"), verb_for(0, "are")
    ('holds', 'hold', 'has', 'is', 'are')
    >>> verb_for(1, "were"), verb_for(3, "were")
    ('was', 'were')
    """
    if number(count) != 1:
        return verb
    return SINGULAR_VERBS.get(verb, f"{verb}s")


def p_digits(p: float) -> int:
    """Decimals that print ``p`` on its own side of the verdicts' level (0.05): 3, or more when 3 would
    round it onto 0.05.

    >>> p_digits(0.0312), p_digits(0.0496), p_digits(500 / 10_001), p_digits(0.05), p_digits(0.0504)
    (3, 4, 6, 3, 3)
    """
    digits = 3
    level = significance_level()
    while p < level <= float(f"{p:.{digits}f}"):
        digits += 1
    return digits


def p_value(value: Any) -> str:
    """A p-value as a table shows it: below 0.001 as ``<0.001``, never as ``0.000``; below 0.05 with
    the decimals it needs never to print as ``0.050`` (:func:`p_digits`).

    >>> p_value(9.999e-05), p_value(0.0312), p_value(0.0499), p_value(0.05), p_value(1)
    ('<0.001', '0.031', '0.0499', '0.050', '1.000')
    >>> p_value(None), p_value(float("nan")), p_value("<5")
    ('n/a', 'n/a', '<5')
    """
    p = number(value)
    if p is None:
        return display_number(value)
    return "<0.001" if p < 0.001 else f"{p:.{p_digits(p)}f}"


def confidence_level() -> str:
    """The level of every confidence interval the report names, as the statistics compute it:
    :data:`leadnet.group_differences.CONFIDENCE`, read when the text is written.

    >>> confidence_level()
    '95%'
    """
    return group_differences.level_words()


def percent(value: Any, decimals: int = PERCENT_DECIMALS) -> str:
    """A share (0 to 1) as a percentage with one decimal; ``decimals`` only where one would
    not tell two shares apart (:func:`leadnet.report.answers.distributed_answer`).

    >>> percent(0.975), percent(0.2222), percent(0.92), percent(0.0391), percent(1)
    ('97.5%', '22.2%', '92.0%', '3.9%', '100.0%')
    >>> percent(None), percent(float("nan")), percent(True), percent(0.0044, 2)
    ('n/a', 'n/a', 'n/a', '0.44%')
    """
    share = number(value)
    return MISSING if share is None else f"{100 * share:.{decimals}f}%"
