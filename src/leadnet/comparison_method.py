"""How each statistic of a comparison is computed: ``comparison.json``'s ``method``.

A record of what :func:`leadnet.compare.compare` does, kept as keys an evaluator can
quote (which relation, which people, what is permuted, how often, which p-value formula,
which interval), each section with a one-line ``description``, the one the programme
page prints. It restates the code of :mod:`leadnet.churn`, :mod:`leadnet.permutation`,
:mod:`leadnet.cohort` (:func:`leadnet.permutation.difference_test`) and
:mod:`leadnet.transitions`; ``tests/test_comparison_method.py`` holds it to them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from leadnet import group_differences
from leadnet.cohort import WITHIN_UNIT_DID
from leadnet.gatekeeping import PRIMARY
from leadnet.nonresponse import survey_of
from leadnet.people_change import PERSON_METRICS

JACCARD_FLOOR = 0.3
"""Below this tie overlap waves are usually too unlike for longitudinal network models."""
ONE_SIDED_P = "(1 + #{permuted r >= observed r}) / (1 + permutations)"
TWO_SIDED_P = "(1 + #{|permuted - expected| >= |observed - expected|}) / (1 + permutations)"
STRATIFIED = "stratified difference in mean changes, units weighted by their people with the metric"
SHUFFLED_P = "(1 + #{shuffled within_cohort_difference >= observed}) / (1 + #{shuffles with a difference})"
DID_P = "(1 + #{|permuted DiD| >= |observed DiD|}) / (1 + permutations)"


def comparison_method(
    relation: str | None,
    *,
    permutations: int,
    requested: int,
    seed: int,
    within_unit: bool,
    min_group_size: int,
    n_silent: int,
    qap_two_sided: float | None,
    ranges: bool = True,
    tie_strata: str = "units",
) -> dict[str, Any]:
    """The ``method`` of a comparison of ``relation`` with ``permutations`` run (``requested`` asked for).

    ``n_silent`` stayers did not answer the relation's survey in a wave (or both);
    ``qap_two_sided`` is the QAP's two-sided p-value, given beside the one-sided one reported;
    ``ranges``: whether any DiD has an interval (:func:`has_ranges`), which the descriptions speak
    of only then; ``tie_strata``: ``units`` when the participants' new ties are tested with labels
    shuffled within units, ``none`` when the roster has no units (:func:`cohort_ties_method`).

    Examples
    --------
    >>> method = comparison_method("advice", permutations=999, requested=999, seed=0, within_unit=False,
    ...                            min_group_size=5, n_silent=0, qap_two_sided=0.002)
    >>> method["qap"]["p_value"]
    'one-sided: (1 + #{permuted r >= observed r}) / (1 + permutations)'
    >>> method["did"]["permutation"], method["did"]["ci_level"]
    ('cohort and comparison labels shuffled among the stayers with the metric in both waves', 0.95)
    """
    among = senders = "stayers (people of the roster in both snapshots; the pooled outside world is none)"
    if n_silent:
        among = f"stayers who answered {survey_of(relation)} in both waves"
        senders = f"arcs between stayers sent by {among}"
    shuffled = "cohort and comparison labels shuffled among the stayers with the metric in both waves"
    return {
        "relation": relation,
        "min_group_size": min_group_size,
        "non_respondents": n_silent,
        "ties": {
            "description": _ties_description(n_silent, relation),
            "arcs": "binary (weights ignored; a reciprocated pair is two arcs; self-ties dropped)",
            "ties_before_after": "arcs of the relation among everybody in each wave",
            "senders": senders,
        },
        "churn": {
            "among": senders,
            "hamming": "ties_formed + ties_dissolved",
            "jaccard": "ties_kept / (ties_kept + ties_formed + ties_dissolved)",
            "jaccard_floor": JACCARD_FLOOR,
        },
        "qap": {
            "description": "one-sided p (permuted r >= observed); rows and columns permuted together",
            "statistic": "Pearson correlation of the two binary adjacency matrices over off-diagonal cells",
            "among": among,
            "permutation": "the after wave's people relabelled: rows and columns permuted together",
            "permutations": permutations,
            "permutations_requested": requested,
            "seed": seed,
            "p_value": f"one-sided: {ONE_SIDED_P}",
            "p_two_sided": qap_two_sided,
            "p_two_sided_formula": TWO_SIDED_P,
        },
        "did": {
            "description": "two-sided label permutation p"
            + (
                f"; {group_differences.level_words()} CI: the shifts that test does not reject"
                if ranges
                else ""
            )
            + (WITHIN_UNIT_DID if within_unit else ""),
            "metrics": list(PERSON_METRICS),
            "delta": "after - before, per stayer with the metric in both waves",
            "estimate": STRATIFIED if within_unit else "cohort mean change - comparison mean change",
            "within_unit": within_unit,
            "permutation": shuffled + (", within units" if within_unit else ""),
            "permutations": permutations,
            "seed": seed,
            "p_value": f"two-sided: {DID_P}",
            "ci": "inverts the permutation test: the shifts of the cohort's changes it does not reject "
            "(Ernst 2004); not a bootstrap",
            "ci_level": group_differences.CONFIDENCE,
        },
        "judgement": judgement_method(ranges=ranges),
        "cohort_ties": cohort_ties_method(tie_strata, permutations, seed),
        "network": {
            "metrics": "each summary.json figure of a wave, over everybody in it",
            "delta": "after - before",
        },
        "community_transitions": {
            "among": "stayers in a community of two or more in both waves",
            "nmi": "normalised mutual information, arithmetic mean of the entropies",
            "ari": "adjusted Rand index",
            "table": f"cells under {min_group_size} people pooled as other with the next smallest",
        },
    }


def cohort_ties_method(strata: str, permutations: int, seed: int) -> dict[str, Any]:
    """How the participants' new ties to each other are tested (:mod:`leadnet.cohort_ties`), with
    labels shuffled within units (``strata`` ``units``) or among every stayer (``none``).

    >>> print(cohort_ties_method("units", 999, 0)["permutation"])  # doctest: +NORMALIZE_WHITESPACE
    participant labels shuffled among the stayers within their units (a stayer of unknown unit keeps
    theirs); the new arcs held as they formed
    """
    within = " within their units (a stayer of unknown unit keeps theirs)" if strata == "units" else ""
    drawn = "the same units" if strata == "units" else "the stayers"
    return {
        "description": "one-sided permutation p of participants' preference for each other: the share of "
        "participants' new arcs that reach other participants, less the share of the other stayers' new "
        f"arcs that reach participants, against groups of as many people drawn at random from {drawn}: the "
        f"new arcs held as they formed, the participant labels shuffled among the stayers{within}, so ties "
        "formed in bursts by one person or inside a unit count as they did, and very active senders or "
        "participants everyone turns to raise both shares alike; participants are taken as interchangeable "
        "with the other stayers of their unit, so a choice of participants by level, role or earlier ties "
        "is not allowed for",
        "statistic": "within_cohort_share - others_to_cohort_share (within_cohort_difference); a shuffle "
        "in which either group sent no new arc has none and is left out",
        "permutation": f"participant labels shuffled among the stayers{within}; "
        "the new arcs held as they formed",
        "strata": strata,
        "permutations": permutations,
        "seed": seed,
        "p_value": f"one-sided: {SHUFFLED_P}",
        "expected_new": "exact mean of within_cohort_new over every shuffle: the new arcs' chances that "
        "both ends are participants, summed",
        "expected_share": "mean, over the shuffles in which participants sent a new arc, of the share of "
        "those arcs that reach participants (drawn, so within sampling error of the exact mean)",
        "floor": "no test (p, difference and expected figures null) when fewer than min_group_size "
        "participants or other stayers share a unit with people of the other group",
    }


def has_ranges(cohort: Mapping[str, Any] | None) -> bool:
    """Whether the DiDs of ``cohort`` (``comparison.json``'s) have likely ranges (CIs): True unless a
    DiD is given and none has an interval (too few permutations for one, or groups too small).

    >>> has_ranges({"ei": {"did": 1.1, "ci_low": None}}), has_ranges({"ei": {"did": 1.1, "ci_low": 0.0}})
    (False, True)
    >>> has_ranges(None), has_ranges({"in_degree": {"did": None, "ci_low": None}})
    (True, True)
    """
    effects = [v for v in (cohort or {}).values() if isinstance(v, Mapping) and _finite(v.get("did"))]
    return not effects or any(_finite(v.get("ci_low")) for v in effects)


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def judgement_method(*, ranges: bool = True) -> dict[str, Any]:
    """How the DiDs are judged together (:mod:`leadnet.gatekeeping`), as keys and a description
    (which speaks of the table's intervals when it has some: ``ranges``).

    >>> judgement_method()["primary"], judgement_method()["level"]
    ('cross_unit_out_ties', 0.05)
    """
    level = group_differences.significance()
    return {
        "description": f"cross-unit ties first, at p < {level} on their own p-value; the other measures only "
        f"when that difference is beyond chance, on p-values adjusted together by Holm's step-down method "
        f"(Holm 1979), each at adjusted p < {level}. This fixed order (serial gatekeeping: Dmitrienko & "
        "Tamhane 2007; Bretz et al. 2009; FDA guidance on multiple endpoints, 2022) keeps the chance of a "
        f"false alarm on any of the measures at {group_differences.significance_level():.0%} or less; "
        f"the table's {'intervals and p-values' if ranges else 'p-values'} are not adjusted",
        "primary": PRIMARY,
        "level": group_differences.significance_level(),
        "secondary": "judged only when the primary is beyond chance, on Holm-adjusted p-values (p_holm)",
        "verdict": "beyond chance | could be chance | not judged (the primary held it back) | null (no p)",
    }


def _ties_description(n_silent: int, relation: str | None) -> str:
    """The one-line note on the ties compared, with the stayers who did not answer the compared
    relation's survey in one wave (or both)."""
    ties = "binary arcs of the primary relation among stayers"
    if n_silent:
        ties += (
            f"; the {n_silent:,} stayer(s) who did not answer {survey_of(relation)} in a wave are left out "
            "as senders (their own ties are unknown there, not dissolved or formed), out of QAP, and of the "
            "difference-in-differences of every metric but in-degree; everyone's in-degree, brokerage and "
            "constraint count the arcs of people who answered in both waves"
        )
    return ties
