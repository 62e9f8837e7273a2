"""The four questions of the report, answered in plain words from ``summary.json``.

Figures are only rounded here (:func:`~leadnet.report.numbers.display_number`), never
recomputed; a figure withheld for privacy is said to be withheld, with its reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from leadnet.gatekeeping import PRIMARY
from leadnet.metrics.distribution import everyone_at_top
from leadnet.privacy import is_withheld
from leadnet.report.findings import finite, headline
from leadnet.report.numbers import (
    PERCENT_DECIMALS,
    display_number,
    number,
    people_words,
    percent,
    ties_words,
    verb_for,
)

NOT_PROOF = "a difference between these groups does not prove that the programme caused it"
"""What a difference between the groups does not show, the report's answer's whole caveat (the
programme page, linked beside it, says why: :func:`about_cause`)."""
CAUSE = (
    NOT_PROOF + ". Unless participants were picked at random, they may have differed from the start; the "
    "groups may have been changing at different rates anyway; and participants' new ties also move the "
    "comparison group's figures (a colleague they start to consult is sought out more), which can create "
    "or hide a difference."
)
"""Why (:func:`about_cause`): not random assignment, different trends, spill-over."""
EVEN_SPREAD = (0.9, 1.1)
"""The top's share of nominations over its share of people, rounded to 2 decimals, within which
(bounds included) the top receives about its share of nominations."""


def missing_reason(summary: Mapping[str, Any], key: str) -> str | None:
    """Why the summary's ``key`` is missing: its own reason, else that of the leadership indices."""
    reasons = summary.get("reasons") or {}
    return reasons.get(key) or ((summary.get("leadership") or {}).get("reasons") or {}).get(key)


def the_top(top_levels: int, kind: str = "") -> str:
    """The top levels in words.

    >>> the_top(1), the_top(2, "formal ")
    ('the top level', 'the top 2 formal levels')
    """
    return f"the top {kind}level" if top_levels == 1 else f"the top {top_levels} {kind}levels"


def _spread(gini: float) -> str:
    if gini < 0.3:
        return "spread widely"
    return "moderately concentrated" if gini < 0.5 else "concentrated in a few people"


def shared_answer(summary: Mapping[str, Any]) -> str:
    """Plain-words answer to "Is leadership shared?".

    >>> print(shared_answer({"gini_in_degree": 0.41, "n_informal_leaders": 3, "density": 0.045}))
    ... # doctest: +NORMALIZE_WHITESPACE
    Being sought out is moderately concentrated (Gini 0.410);
    3 people lead without a management role; density 0.045.
    >>> print(shared_answer({"gini_in_degree": None, "n_informal_leaders": 1, "density": 0.0,
    ...     "reasons": {"gini_in_degree": "no ties, every in-degree is 0"}}))
    ... # doctest: +NORMALIZE_WHITESPACE
    How widely people are sought out cannot be measured (no ties, every in-degree is 0);
    1 person leads without a management role; density 0.000.
    """
    gini = number(summary.get("gini_in_degree"))
    if gini is None:
        why = (summary.get("reasons") or {}).get("gini_in_degree") or "no one was sought out"
        spread = f"How widely people are sought out cannot be measured ({why})"
    else:
        spread = f"Being sought out is {_spread(gini)} (Gini {display_number(gini)})"
    density = f"density {display_number(summary.get('density'))}"
    if number(summary.get("density")) is None:
        density = f"density not computed ({missing_reason(summary, 'density') or 'no ties'})"
    leaders = people_words(summary.get("n_informal_leaders"), "lead")
    return f"{spread}; {leaders} without a management role; {density}."


def distributed_answer(summary: Mapping[str, Any], top_levels: int) -> str:
    """Plain-words answer to "Is leadership distributed away from the top?".

    The share of nominations outside the top is read against the share of people there by the
    top's ratio: its share of nominations over its share of people, 1 when nominations follow
    headcount. Rounded to 2 decimals, a ratio from 0.9 to 1.1 (:data:`EVEN_SPREAD`) is "about
    their share"; any other is stated. The top's two percentages are always given, with one
    decimal as every percentage (:func:`~leadnet.report.numbers.percent`), more only when one
    would not agree with that verdict (:func:`_decimals`), and the shares outside the top with
    as many.

    >>> print(distributed_answer({"leadership_share_outside_top": 0.623,
    ...                           "leadership": {"people_share_outside_top": 0.9}}, 2))
    ... # doctest: +NORMALIZE_WHITESPACE
    62.3% of nominations go to people outside the top 2 formal levels, who are 90.0% of the people.
    People in the top 2 formal levels, 10.0% of everyone, receive 37.7% of nominations: 3.77 times
    their share.

    >>> print(distributed_answer({"leadership_share_outside_top": 0.97529,
    ...                           "leadership": {"people_share_outside_top": 0.985}}, 2))
    ... # doctest: +NORMALIZE_WHITESPACE
    97.5% of nominations go to people outside the top 2 formal levels, who are 98.5% of the people.
    People in the top 2 formal levels, 1.5% of everyone, receive 2.5% of nominations: 1.65 times
    their share.
    >>> print(distributed_answer({"leadership_share_outside_top": 0.97,
    ...                           "leadership": {"people_share_outside_top": 0.968}}, 2))
    ... # doctest: +NORMALIZE_WHITESPACE
    97.0% of nominations go to people outside the top 2 formal levels, who are 96.8% of the people.
    People in the top 2 formal levels, 3.2% of everyone, receive 3.0% of nominations, about their share.
    >>> print(distributed_answer({"leadership_share_outside_top": 1.0,
    ...                           "leadership": {"people_share_outside_top": 0.985}}, 1))
    ... # doctest: +NORMALIZE_WHITESPACE
    100.0% of nominations go to people outside the top formal level, who are 98.5% of the people.
    People in the top formal level, 1.5% of everyone, receive none of the nominations.
    >>> distributed_answer({}, 2)
    'Cannot tell: the roster gives no formal levels, or there are no ties.'
    >>> distributed_answer({"reasons": {"leadership_share_outside_top": "no one has a known level"}}, 2)
    'Cannot tell: no one has a known level.'
    >>> print(distributed_answer({"leadership_share_outside_top": None, "reasons": {
    ...     "leadership_share_outside_top": "withheld for privacy: the top is one person"}}, 1))
    The share of nominations outside the top formal level is withheld for privacy: the top is one person.
    """
    share = number(summary.get("leadership_share_outside_top"))
    top_words = the_top(top_levels, "formal ")
    where = f"outside {top_words}"
    if share is None:
        why = missing_reason(summary, "leadership_share_outside_top")
        if is_withheld(why):
            return f"The share of nominations {where} is {why}."
        return f"Cannot tell: {why or 'the roster gives no formal levels, or there are no ties'}."
    people = number((summary.get("leadership") or {}).get("people_share_outside_top"))
    if people == 0:  # no one below the top: the analysis gives no share (None, with this reason)
        return f"Cannot tell: {everyone_at_top(top_levels)}."
    if people is None or people >= 1:
        return f"{percent(share)} of nominations go to people {where} (share {display_number(share)})."
    top, top_people = 1 - share, 1 - people
    ratio = round(top / top_people, 2)
    d = _decimals(top, top_people, _verdict(ratio))
    received = f"{percent(top, d)} of nominations{_ratio_words(ratio)}"
    if top <= 0:
        received = "none of the nominations"
    return (
        f"{percent(share, d)} of nominations go to people {where}, who are {percent(people, d)} of the "
        f"people. People in {top_words}, {percent(top_people, d)} of everyone, receive {received}."
    )


def _verdict(ratio: float) -> int:
    """-1, 0 or 1: the top draws fewer nominations than its number, about as many, or more.

    >>> _verdict(0.89), _verdict(0.9), _verdict(1.1), _verdict(1.11)
    (-1, 0, 0, 1)
    """
    low, high = EVEN_SPREAD
    return 0 if low <= round(ratio, 2) <= high else (1 if ratio > high else -1)


def _decimals(top: float, people: float, verdict: int) -> int:
    """Decimals for the top's percentages of nominations and of people: :func:`percent`'s one,
    more while the two as shown would give another :func:`_verdict`.

    >>> _decimals(0.38, 0.1, 1), _decimals(0.025, 0.015, 1), _decimals(0.0044, 0.0036, 1)
    (1, 1, 2)
    """
    d = PERCENT_DECIMALS
    while d < 6:
        shown, of = round(100 * top, d), round(100 * people, d)
        if of > 0 and _verdict(shown / of) == verdict:
            break
        d += 1
    return d


def _ratio_words(ratio: float) -> str:
    """The top's ratio in words, after its share of nominations (see :func:`distributed_answer`).

    >>> _ratio_words(1.87), _ratio_words(1.02), _ratio_words(0.5)
    (': 1.87 times their share', ', about their share', ', less than their share (0.50 times)')
    """
    verdict = _verdict(ratio)
    if verdict == 0:
        return ", about their share"
    if verdict > 0:
        return f": {ratio:.2f} times their share"
    return f", less than their share ({ratio:.2f} times)"


def _bridges_words(n_bridges: int, cut_share: Any) -> str:
    if n_bridges == 0:
        return "no one holds contacts between units"
    who = f"the {people_words(n_bridges)}"
    if number(cut_share) is None:
        return f"{who} listed under Bridges {verb_for(n_bridges, 'hold')} the most contacts between units"
    return f"losing {who} listed under Bridges would cut {percent(cut_share)} of contacts between units"


def silos_answer(summary: Mapping[str, Any], n_bridges: int, cut_share: Any = None, k: int = 5) -> str:
    """Plain-words answer to "Where are the silos, and who bridges them?".

    ``n_bridges`` is the length of the (top-ranked) Bridges table and ``cut_share`` its last
    ``cumulative_cross_share``: the list is a ranking, so the sentence says what it holds.
    The ties of the people with no unit are counted only when they are ``k`` or more.

    >>> print(silos_answer({"ei_index": -0.62, "n_communities": 4, "nmi_units_communities": 0.8}, 2, 0.31))
    ... # doctest: +NORMALIZE_WHITESPACE
    Most ties stay inside units (E-I index -0.620); 4 communities, matching the formal units 0.800
    out of 1 (NMI); losing the 2 people listed under Bridges would cut 31.0% of contacts between units.
    >>> print(silos_answer({"n_communities": 6}, 0))
    ... # doctest: +NORMALIZE_WHITESPACE
    Ties inside against across units cannot be measured (one unit, or no ties); 6 communities;
    no one holds contacts between units.
    >>> print(silos_answer({"ei_index": 0.1, "n_communities": 3, "n_unknown_unit": 40,
    ...                     "n_unknown_unit_ties": 23}, 0))
    ... # doctest: +NORMALIZE_WHITESPACE
    Most ties cross unit boundaries (E-I index 0.100); 3 communities; no one holds contacts between
    units. 40 people have no unit in the roster; their 23 ties are left out of the measures between units.
    """
    ei = number(summary.get("ei_index"))
    if ei is None:
        where = "Ties inside against across units cannot be measured (one unit, or no ties)"
    else:
        where = "Most ties stay inside units" if ei < 0 else "Most ties cross unit boundaries"
        where += f" (E-I index {display_number(ei)})"
    n = summary.get("n_communities")
    communities = f"{display_number(n)} {'community' if number(n) == 1 else 'communities'}"
    if no_clusters(summary):
        communities = "no working clusters, as there are no ties"
    nmi = summary.get("nmi_units_communities")
    if number(nmi) is not None:
        communities += f", matching the formal units {display_number(nmi)} out of 1 (NMI)"
    return f"{where}; {communities}; {_bridges_words(n_bridges, cut_share)}.{_no_unit_words(summary, k)}"


def no_clusters(summary: Mapping[str, Any]) -> bool:
    """Whether nobody has a tie: then there is no working cluster (``n_communities`` 0, every
    person ``n_isolated``, :mod:`leadnet.analysis`), and the answers say it is for want of ties.

    >>> no_clusters({"n_people": 6, "n_isolated": 6}), no_clusters({"n_people": 6, "n_isolated": 2})
    (True, False)
    """
    isolated = summary.get("n_isolated")
    return isinstance(isolated, int) and 0 < isolated == summary.get("n_people")


def _no_unit_words(summary: Mapping[str, Any], k: int = 5) -> str:
    """The sentence on the people with no unit, whom the measures between units leave out ("" if none).

    Fewer than ``k`` of them, their ties are not counted: of one person, HR can tell who it is,
    and the count would be that person's number of ties.

    >>> _no_unit_words({"n_unknown_unit": 6, "n_unknown_unit_ties": 1})
    ' 6 people have no unit in the roster; their 1 tie is left out of the measures between units.'
    >>> _no_unit_words({"n_unknown_unit": 7, "n_unknown_unit_ties": 0})
    ' 7 people have no unit in the roster and no ties; the measures between units leave them out.'
    >>> _no_unit_words({"n_unknown_unit": 1, "n_unknown_unit_ties": 23})
    ' 1 person has no unit in the roster; the measures between units leave them out.'
    """
    no_unit, ties = summary.get("n_unknown_unit"), summary.get("n_unknown_unit_ties")
    if not isinstance(no_unit, int) or no_unit <= 0:
        return ""
    who = people_words(no_unit, "have")
    if not isinstance(ties, int) or no_unit < k:
        return f" {who} no unit in the roster; the measures between units leave them out."
    if ties == 0:
        return f" {who} no unit in the roster and no ties; the measures between units leave them out."
    theirs = f"their {ties_words(ties)} {verb_for(ties, 'are')}"
    return f" {who} no unit in the roster; {theirs} left out of the measures between units."


def programme_answer(comparison: Mapping[str, Any] | None, relation: str = "advice", k: int = 5) -> str:
    """Plain-words answer to "Did the programme change practice?" (see :func:`findings.headline`).

    >>> programme_answer(None)
    'No comparison in this report.'
    >>> print(programme_answer({"jaccard": 0.4, "ties_formed": 12}))
    ... # doctest: +NORMALIZE_WHITESPACE
    No programme cohort was given, so only the whole network is compared.
    40.0% of the ties compared were in both snapshots (tie overlap, Jaccard); 12 ties formed.
    """
    return headline(comparison, relation, k)


def about_cause() -> str:
    """What a difference between the cohort and the comparison group does not show, and why: the
    programme page's "About cause" (the report's answer says its first sentence, :data:`NOT_PROOF`).

    >>> print(about_cause())  # doctest: +NORMALIZE_WHITESPACE
    a difference between these groups does not prove that the programme caused it. Unless participants
    were picked at random, they may have differed from the start; the groups may have been changing at
    different rates anyway; and participants' new ties also move the comparison group's figures (a
    colleague they start to consult is sought out more), which can create or hide a difference.
    """
    return CAUSE


def programme_caveat(comparison: Mapping[str, Any] | None) -> str:
    """The report's "About cause" beside its programme answer, when that answer states a difference
    between the cohort and the comparison group; "" otherwise. One sentence, :data:`NOT_PROOF`, that
    leaves the reasons (:func:`about_cause`) to the programme page the answer links: on the first
    screen beside three short answers they took more room than the answer.

    >>> print(programme_caveat({"cohort": {PRIMARY: {"did": 3.08}}}))  # doctest: +NORMALIZE_WHITESPACE
    a difference between these groups does not prove that the programme caused it; the programme
    page says why.
    >>> programme_caveat({"cohort": {PRIMARY: {"did": None, "reason": "too few"}}}), programme_caveat(None)
    ('', '')
    """
    cohort = (comparison or {}).get("cohort")
    primary = cohort.get(PRIMARY) if isinstance(cohort, Mapping) else None
    shown = isinstance(primary, Mapping) and finite(primary.get("did")) is not None
    return f"{NOT_PROOF}; the programme page says why." if shown else ""
