"""Participants' new ties: to each other or to everyone else, tested by shuffling who took part.

A programme's participants formed new arcs between the waves (among stayers): some to other
participants, the rest to everyone else. Whether participants turned to each other more than the
other stayers turned to them is asked of the network as it formed. The statistic is an in-group
preference, the difference of two shares: of the new arcs participants sent, the share that reach
participants, less the same share of the new arcs the other stayers sent. A few very active
senders, or participants everyone turns to, raise both shares alike and so cancel out; a count of
participant-to-participant arcs would rise with either.

The new arcs are held fixed and the participant labels are shuffled among the people who could
have been participants, the stayers, within each unit when the roster has units: a cohort drawn
from few units is compared with groups of as many people drawn from the same units, whose members
tie within their unit just as much. A stayer of unknown unit keeps their label.
``p = (1 + #{shuffled difference ≥ observed}) / (1 + #shuffles with a difference)`` (Phipson &
Smyth 2010), one-sided. A shuffle in which the participants or the others sent no new arc has no
difference (a share of nothing); it is left out of both counts, which keeps the p exact: under no
preference the observed labels are one more draw among the shuffles that have a difference. (Counting
such a shuffle as short of the observed would lower the p by shuffles that say nothing.)

A binomial test that takes each new tie as an independent pick of a colleague overstates the
evidence: new ties cluster (one person forms many; people tie within their unit, and
participants share units), and a shuffle of labels over the fixed network keeps every such
cluster as it was. Each block of shuffles is one numpy array
(:func:`leadnet.permutation_counts.block_sizes`); no Python loop runs per tie or person.

No test below a privacy floor: when fewer than ``min_group_size`` participants, or other stayers,
share a unit with people of the other group, the shuffle moves too few labels to mean much, and its
expected figures would reveal the ties of the few it moves.

References
----------
Phipson, B. & Smyth, G. K. (2010). Permutation p-values should never be zero. *Statistical
Applications in Genetics and Molecular Biology* 9(1), article 39.
Good, P. (2005). *Permutation, Parametric and Bootstrap Tests of Hypotheses*, 3rd ed. Springer
(restricted permutations within strata).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from leadnet.errors import InputError
from leadnet.groups import unknown_groups
from leadnet.parameters import MIN_GROUP_SIZE_FLOOR
from leadnet.permutation import DEFAULT_PERMUTATIONS, mixed_strata
from leadnet.permutation_counts import block_sizes

NEW_TIE_KEYS: tuple[str, ...] = (
    "within_cohort_new", "to_others_new", "within_cohort_share", "others_to_cohort_share", "reason",
    "within_cohort_difference", "within_cohort_expected_share", "within_cohort_expected_new",
    "within_cohort_p", "within_cohort_p_reason", "within_cohort_strata",
)  # fmt: skip
"""``comparison.json``'s ``cohort_ties`` keys, in their order."""
_RANDOM_BITS = 40
"""The random low bits of a shuffle's sort key; the stratum takes the bits above."""
_TIE = 1e-12
"""A shuffled difference this close below the observed one counts as reaching it (rounding)."""
NOTHING_SENT = "participants sent no new ties"
OTHERS_SENT_NOTHING = (
    "the other people in both snapshots sent no new ties, so there is no share to compare with"
)
NO_MIXED_UNIT = (
    "no unit holds both participants and other people in both snapshots, so no participant can be "
    "compared with a colleague of their unit"
)


def floor_reason(in_cohort: np.ndarray, strata: np.ndarray, k: int) -> str | None:
    """Why the shuffle is not run under the privacy floor: fewer than ``k`` participants or fewer than
    ``k`` others share a unit with people of the other group (the people whose labels can move);
    ``None`` if it is run.

    >>> floor_reason(np.arange(10) < 5, np.zeros(10, dtype=np.int64), 5) is None
    True
    >>> floor_reason(np.arange(10) < 5, np.array([0] * 7 + [1] * 3), 5)  # doctest: +NORMALIZE_WHITESPACE
    'fewer than 5 participants or other people in both snapshots share a unit with people of the other
    group (privacy floor: both groups need at least 5 there)'
    """
    moves = mixed_strata(in_cohort, strata)
    if min(int((moves & in_cohort).sum()), int((moves & ~in_cohort).sum())) >= k:
        return None
    return (
        f"fewer than {k} participants or other people in both snapshots share a unit with people of the "
        f"other group (privacy floor: both groups need at least {k} there)"
    )


def tie_strata(codes: np.ndarray | None, n: int) -> np.ndarray:
    """Integer strata ``0..s-1`` of ``n`` people from their unit labels: one stratum for everyone
    without labels, and a stratum of one (a label no shuffle moves) for each unknown unit.

    >>> tie_strata(np.array(["b", None, "a", "b"], dtype=object), 4).tolist()
    [1, 2, 0, 1]
    """
    if codes is None:
        return np.zeros(n, dtype=np.int64)
    labels = np.asarray(codes, dtype=object)
    if len(labels) != n:
        raise InputError(f"strata must give one label per stayer ({n}). Got {len(labels)} instead.")
    unknown = unknown_groups(labels)
    out = np.empty(n, dtype=np.int64)
    known = np.unique(labels[~unknown].astype(str), return_inverse=True)[1].ravel()
    out[~unknown] = known
    out[unknown] = (known.max() + 1 if known.size else 0) + np.arange(int(unknown.sum()))
    return out


def expected_within(formed: np.ndarray, in_cohort: np.ndarray, strata: np.ndarray) -> float:
    """The mean number of participant-to-participant arcs of ``formed`` over every shuffle of the
    labels within ``strata`` (exact, not drawn).

    An arc between strata ``s`` and ``t`` joins two participants with probability
    ``(c_s / n_s)·(c_t / n_t)``, one inside stratum ``s`` with ``c_s (c_s − 1) / (n_s (n_s − 1))``
    (``c`` participants among ``n`` people).

    >>> expected_within(np.array([(0, 1), (2, 3)]), np.array([True, False, True, False]),
    ...                 np.array([0, 0, 1, 1]))
    0.0
    >>> expected_within(np.array([(0, 2)]), np.array([True, False, True, False]), np.array([0, 0, 1, 1]))
    0.25
    """
    size = np.bincount(strata)
    members = np.bincount(strata, weights=in_cohort.astype(float), minlength=len(size))
    share = (members / size)[strata]
    src, dst = formed[:, 0], formed[:, 1]
    prob = share[src] * share[dst]
    same = strata[src] == strata[dst]
    s = strata[src][same]
    pair = members[s] * (members[s] - 1)
    prob[same] = np.divide(pair, size[s] * (size[s] - 1.0), out=np.zeros(len(s)), where=pair > 0)
    return float(prob.sum())


def _movers(in_cohort: np.ndarray, strata: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The people a shuffle relabels (those of strata holding participants and others), sorted
    by stratum, and the participants it never relabels."""
    moves = mixed_strata(in_cohort, strata)
    movers = np.flatnonzero(moves)
    return movers[np.argsort(strata[movers], kind="stable")], np.flatnonzero(in_cohort & ~moves)


def shuffled_differences(
    formed: np.ndarray, in_cohort: np.ndarray, strata: np.ndarray, permutations: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """For each of ``permutations`` shuffles of the labels within ``strata``: the participants' share
    of their new arcs that reach participants less the others' share (NaN when either group sent
    none), and the participants' share (NaN when they sent none).

    Per shuffle four counts make both shares: arcs from a participant to a participant, arcs sent by
    participants, arcs received by participants, and all arcs; the others' are the differences.
    ``argsort(stratum · 2⁴⁰ + U)`` of a row of random integers ``U`` below 2⁴⁰ is a permutation
    that keeps every stratum's positions in place (integer keys sort several times faster than
    floats); people of strata holding one group only keep their label, and a non-participant who
    keeps it neither sends nor receives a participant's arc, so is left out first.
    """
    movers, fixed = _movers(in_cohort, strata)
    people = np.concatenate([movers, fixed])
    position = np.full(len(in_cohort), -1, dtype=np.int64)
    position[people] = np.arange(len(people))
    arcs = position[formed]
    arcs = arcs[(arcs >= 0).all(axis=1)]
    sent_by = np.bincount(formed[:, 0], minlength=len(in_cohort))[people].astype(float)
    received_by = np.bincount(formed[:, 1], minlength=len(in_cohort))[people].astype(float)
    keys, labels_of = strata[movers] << _RANDOM_BITS, in_cohort[movers]
    rng = np.random.default_rng(seed)
    differences, shares = [], []
    for size in block_sizes(permutations, max(len(people), len(arcs))):
        labels = np.ones((size, len(people)), dtype=bool)
        drawn = rng.integers(0, 1 << _RANDOM_BITS, (size, len(movers)), dtype=np.int64)
        labels[:, : len(movers)] = labels_of[np.argsort(keys + drawn, axis=1)]
        within = np.count_nonzero(labels[:, arcs[:, 0]] & labels[:, arcs[:, 1]], axis=1)
        share, others = _shares(within, labels @ sent_by, labels @ received_by, len(formed))
        differences.append(share - others)
        shares.append(share)
    return np.concatenate(differences), np.concatenate(shares)


def _shares(
    within: np.ndarray, sent: np.ndarray, received: np.ndarray, arcs: int
) -> tuple[np.ndarray, np.ndarray]:
    """The participants' share of their arcs to participants and the others' share, NaN for a group
    that sent none."""
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(sent > 0, within / sent, np.nan)
        others = np.where(arcs - sent > 0, (received - within) / (arcs - sent), np.nan)
    return share, others


def _observed(formed: np.ndarray, in_cohort: np.ndarray, strata: np.ndarray | None) -> dict[str, Any]:
    """The observed counts and shares, before any test."""
    sent, received = in_cohort[formed[:, 0]], in_cohort[formed[:, 1]]
    within = int(np.sum(sent & received))
    others = int(np.sum(sent)) - within
    others_sent = len(formed) - int(np.sum(sent))
    return dict.fromkeys(NEW_TIE_KEYS) | {
        "within_cohort_new": within,
        "to_others_new": others,
        "within_cohort_share": within / (within + others) if within + others else None,
        "others_to_cohort_share": int(np.sum(~sent & received)) / others_sent if others_sent else None,
        "within_cohort_strata": "none" if strata is None else "units",
    }


def _untested(res: dict[str, Any], in_cohort: np.ndarray, codes: np.ndarray, k: int) -> str | None:
    """Why there is no test, or ``None``."""
    if res["within_cohort_share"] is None:
        return NOTHING_SENT
    if not mixed_strata(in_cohort, codes).any():
        return NO_MIXED_UNIT
    floor = floor_reason(in_cohort, codes, k)
    if floor is not None:
        return floor
    return OTHERS_SENT_NOTHING if res["others_to_cohort_share"] is None else None


def cohort_new_ties(
    formed: np.ndarray,
    in_cohort: np.ndarray,
    strata: np.ndarray | None = None,
    *,
    permutations: int = DEFAULT_PERMUTATIONS,
    seed: int = 0,
    min_group_size: int = MIN_GROUP_SIZE_FLOOR,
) -> dict[str, Any]:
    """New arcs sent by participants: to other participants or to anyone else, and whether a larger
    share went to participants than of the other stayers' new arcs, beyond chance.

    ``formed`` is an ``(m, 2)`` array of new arcs (positions); ``in_cohort`` flags each position;
    ``strata`` (one unit label per position; ``None`` or missing for an unknown unit) restricts
    the shuffle of the labels to each unit, and sets ``within_cohort_strata`` to ``units``
    (``none`` without). ``within_cohort_difference`` is ``within_cohort_share`` less
    ``others_to_cohort_share``; ``within_cohort_p`` the one-sided permutation p of a difference at
    least as large (:func:`shuffled_differences`; shuffles without a difference left out);
    ``within_cohort_expected_new`` the participant-to-participant count's exact mean over every
    shuffle (:func:`expected_within`); ``within_cohort_expected_share`` the mean, over the shuffles
    whose participants sent a new arc, of the share of those arcs that reach participants (drawn,
    so it carries the shuffles' sampling error). Without a test, these four are ``None`` and
    ``within_cohort_p_reason`` says why: participants sent no new tie, no unit holds both
    participants and others (a shuffle within units would move nobody), fewer than
    ``min_group_size`` of either group could move (:func:`floor_reason`), or the others sent none.

    Examples
    --------
    Four people, 0 and 1 participants; three new arcs, 0→1, 0→2 and 2→0. Participants sent 2 arcs,
    1 to a participant (1/2); the others sent 1, to a participant (1/1): a difference of −1/2. Of the
    six ways to pick two participants, {0, 2} and {1, 3} leave a group that sent nothing; of the
    other four, {0, 3} (0 − 1) and {1, 2} (0 − 1) fall short, {0, 1} is the observed and {2, 3}
    (0 − 0) exceeds it: p = 2/4.

    >>> res = cohort_new_ties(np.array([(0, 1), (0, 2), (2, 0)]), np.array([True, True, False, False]),
    ...                       permutations=600, min_group_size=1)
    >>> res["within_cohort_new"], res["to_others_new"], res["within_cohort_share"]
    (1, 1, 0.5)
    >>> res["others_to_cohort_share"], res["within_cohort_difference"], round(res["within_cohort_p"], 1)
    (1.0, -0.5, 0.5)
    """
    formed = np.asarray(formed, dtype=np.int64).reshape(-1, 2)
    in_cohort = np.asarray(in_cohort, dtype=bool)
    codes = tie_strata(strata, len(in_cohort))
    res = _observed(formed, in_cohort, strata)
    untested = _untested(res, in_cohort, codes, min_group_size)
    if untested is not None:
        return res | {"within_cohort_p_reason": untested}
    observed = res["within_cohort_share"] - res["others_to_cohort_share"]
    null, shares = shuffled_differences(formed, in_cohort, codes, permutations, seed)
    defined = ~np.isnan(null)
    shares = shares[~np.isnan(shares)]
    return res | {
        "within_cohort_difference": observed,
        "within_cohort_expected_share": float(shares.mean()) if shares.size else None,
        "within_cohort_expected_new": expected_within(formed, in_cohort, codes),
        "within_cohort_p": (1 + int(np.sum(null[defined] >= observed - _TIE))) / (1 + int(defined.sum())),
    }
