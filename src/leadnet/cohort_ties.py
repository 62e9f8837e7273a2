"""Participants' new ties: to each other or to everyone else, tested by shuffling who took part.

A programme's participants formed new arcs between the waves (among stayers): some to other
participants, the rest to everyone else. Whether more of them link participants than chance
would give is asked of the network as it formed. The new arcs are held fixed and the
participant labels are shuffled among the people who could have been participants, the
stayers, within each unit when the roster has units: a cohort drawn from few units is
compared with groups of as many people drawn from the same units, whose members tie within
their unit just as much. A stayer of unknown unit keeps their label. The statistic is the
number of new arcs from a participant to a participant, and
``p = (1 + #{shuffled count ≥ observed}) / (1 + permutations)`` (Phipson & Smyth 2010).

A binomial test that takes each new tie as an independent pick of a colleague overstates the
evidence: new ties cluster (one person forms many; people tie within their unit, and
participants share units), and a shuffle of labels over the fixed network keeps every such
cluster as it was. Each block of shuffles is one numpy array
(:func:`leadnet.permutation_counts.block_sizes`); no Python loop runs per tie or person.

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
from leadnet.permutation import DEFAULT_PERMUTATIONS, mixed_strata
from leadnet.permutation_counts import block_sizes

NEW_TIE_KEYS: tuple[str, ...] = (
    "within_cohort_new", "to_others_new", "within_cohort_share", "reason", "within_cohort_expected_share",
    "within_cohort_expected_new", "within_cohort_p", "within_cohort_p_reason", "within_cohort_strata",
)  # fmt: skip
"""``comparison.json``'s ``cohort_ties`` keys, in their order."""
_RANDOM_BITS = 40
"""The random low bits of a shuffle's sort key; the stratum takes the bits above."""
NOTHING_SENT = "participants sent no new ties"
NO_MIXED_UNIT = (
    "no unit holds both participants and other people in both snapshots, so no participant can be "
    "compared with a colleague of their unit"
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


def shuffled_counts(
    formed: np.ndarray, in_cohort: np.ndarray, strata: np.ndarray, permutations: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """For each of ``permutations`` shuffles of the labels within ``strata``: the arcs of ``formed``
    from a participant to a participant, and the arcs participants sent.

    ``argsort(stratum · 2⁴⁰ + U)`` of a row of random integers ``U`` below 2⁴⁰ is a permutation
    that keeps every stratum's positions in place (integer keys sort several times faster than
    floats); people of strata holding one group only keep their label, so arcs touching a
    non-participant who keeps it never count and are left out first.
    """
    movers, fixed = _movers(in_cohort, strata)
    people = np.concatenate([movers, fixed])
    position = np.full(len(in_cohort), -1, dtype=np.int64)
    position[people] = np.arange(len(people))
    arcs = position[formed]
    arcs = arcs[(arcs >= 0).all(axis=1)]
    sent_by = np.bincount(formed[:, 0], minlength=len(in_cohort)).astype(float)
    keys, labels_of = strata[movers] << _RANDOM_BITS, in_cohort[movers]
    rng = np.random.default_rng(seed)
    within, sent = [], []
    for size in block_sizes(permutations, max(len(people), len(arcs))):
        labels = np.ones((size, len(people)), dtype=bool)
        drawn = rng.integers(0, 1 << _RANDOM_BITS, (size, len(movers)), dtype=np.int64)
        labels[:, : len(movers)] = labels_of[np.argsort(keys + drawn, axis=1)]
        within.append(np.count_nonzero(labels[:, arcs[:, 0]] & labels[:, arcs[:, 1]], axis=1))
        sent.append(labels @ sent_by[people])
    return np.concatenate(within), np.concatenate(sent)


def cohort_new_ties(
    formed: np.ndarray,
    in_cohort: np.ndarray,
    strata: np.ndarray | None = None,
    *,
    permutations: int = DEFAULT_PERMUTATIONS,
    seed: int = 0,
) -> dict[str, Any]:
    """New arcs sent by participants: to other participants or to anyone else, and whether more
    went to participants than in groups of as many people drawn from the same units.

    ``formed`` is an ``(m, 2)`` array of new arcs (positions); ``in_cohort`` flags each position;
    ``strata`` (one unit label per position; ``None`` or missing for an unknown unit) restricts
    the shuffle of the labels to each unit, and sets ``within_cohort_strata`` to ``units``
    (``none`` without). ``within_cohort_p`` is the one-sided permutation p of at least
    ``within_cohort_new`` participant-to-participant arcs (:func:`shuffled_counts`);
    ``within_cohort_expected_new`` that count's exact mean over every shuffle
    (:func:`expected_within`); ``within_cohort_expected_share`` the mean, over the shuffles
    whose participants sent a new arc, of the share of those arcs that link participants (drawn,
    so it carries the shuffles' sampling error). Without a test, these three are ``None`` and
    ``within_cohort_p_reason`` says why: participants sent no new tie, or no unit holds both
    participants and others (a shuffle within units would move nobody).

    Examples
    --------
    Four people, 0 and 1 participants; three new arcs, 0→1, 0→2 and 2→0. Of the six ways to pick
    two participants, two link them by at least one arc ({0, 1} by one, {0, 2} by two), so p is
    about 2/6, and the mean count is (1 + 2) / 6:

    >>> res = cohort_new_ties(np.array([(0, 1), (0, 2), (2, 0)]), np.array([True, True, False, False]),
    ...                       permutations=600)
    >>> res["within_cohort_new"], res["to_others_new"], res["within_cohort_share"]
    (1, 1, 0.5)
    >>> round(res["within_cohort_expected_new"], 4), round(res["within_cohort_p"], 2)
    (0.5, 0.32)
    """
    formed = np.asarray(formed, dtype=np.int64).reshape(-1, 2)
    in_cohort = np.asarray(in_cohort, dtype=bool)
    codes = tie_strata(strata, len(in_cohort))
    sent = in_cohort[formed[:, 0]]
    within = int(np.sum(sent & in_cohort[formed[:, 1]]))
    others = int(np.sum(sent)) - within
    res: dict[str, Any] = dict.fromkeys(NEW_TIE_KEYS) | {
        "within_cohort_new": within,
        "to_others_new": others,
        "within_cohort_share": within / (within + others) if within + others else None,
        "within_cohort_strata": "none" if strata is None else "units",
    }
    if within + others == 0 or not mixed_strata(in_cohort, codes).any():
        return res | {"within_cohort_p_reason": NO_MIXED_UNIT if within + others else NOTHING_SENT}
    null, null_sent = shuffled_counts(formed, in_cohort, codes, permutations, seed)
    drawn = null_sent > 0  # the shuffles whose participants sent a new arc: a share needs one
    shares = null[drawn] / null_sent[drawn]
    return res | {
        "within_cohort_expected_share": float(shares.mean()) if shares.size else None,
        "within_cohort_expected_new": expected_within(formed, in_cohort, codes),
        "within_cohort_p": (1 + int(np.sum(null >= within))) / (1 + permutations),
    }
