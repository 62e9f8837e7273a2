"""Participants' new ties to each other, tested by shuffling who took part (leadnet.cohort_ties)."""

import itertools

import numpy as np
import pytest
from scipy.stats import binom

from leadnet.cohort_ties import NEW_TIE_KEYS, NO_MIXED_UNIT, NOTHING_SENT, cohort_new_ties, expected_within


def enumerated(formed: np.ndarray, in_cohort: np.ndarray, units: list[str]) -> tuple[float, float, float]:
    """The exact p, mean count and mean share over every arrangement of the labels within units."""
    groups = {u: [i for i, v in enumerate(units) if v == u] for u in sorted(set(units))}
    picks = [itertools.combinations(people, int(in_cohort[people].sum())) for people in groups.values()]
    observed = int(np.sum(in_cohort[formed[:, 0]] & in_cohort[formed[:, 1]]))
    counts, shares = [], []
    for chosen in itertools.product(*picks):
        labels = np.zeros(len(units), bool)
        labels[[i for part in chosen for i in part]] = True
        sent = labels[formed[:, 0]]
        counts.append(int(np.sum(sent & labels[formed[:, 1]])))
        if sent.any():
            shares.append(counts[-1] / sent.sum())
    return float(np.mean(np.array(counts) >= observed)), float(np.mean(counts)), float(np.mean(shares))


def test_new_ties_are_split_inside_and_outside_the_cohort_and_tested_by_shuffling_the_labels() -> None:
    formed = np.array([(0, 1), (1, 0), (0, 3), (2, 3), (3, 0)])
    in_cohort = np.array([True, True, False, False])
    # sent by the cohort (0, 1): 0→1 and 1→0 inside, 0→3 outside. Of the 6 pairs that could be the
    # cohort, {0, 1} and {0, 3} hold 2 arcs each, {2, 3} one: p = 2/6, mean count (2 + 2 + 1)/6 = 5/6;
    # shares 2/3, 0/3, 2/3, 0/2, 0/2, 1/2: mean 11/36. The binomial test gave 7/27 at a share of 1/3.
    res = cohort_new_ties(formed, in_cohort, permutations=9_999, seed=0)
    assert list(res) == list(NEW_TIE_KEYS)
    assert res == {
        "within_cohort_new": 2,
        "to_others_new": 1,
        "within_cohort_share": pytest.approx(2 / 3),
        "reason": None,
        "within_cohort_expected_share": pytest.approx(11 / 36, abs=0.012),  # 4 standard errors
        "within_cohort_expected_new": pytest.approx(5 / 6, abs=1e-12),
        "within_cohort_p": pytest.approx(1 / 3, abs=0.019),
        "within_cohort_p_reason": None,
        "within_cohort_strata": "none",
    }
    assert enumerated(formed, in_cohort, ["u"] * 4) == pytest.approx((1 / 3, 5 / 6, 11 / 36))


def test_the_p_within_units_matches_every_arrangement_of_the_labels_counted_by_hand() -> None:
    # Unit A = 0..3 with participants 0 and 1, unit B = 4..6 with participant 4. A group of two from
    # A links P by arcs inside A ({0, 1}: 2, {0, 2}: 1, {2, 3}: 1, else 0), plus 4→0 when B's one
    # participant is 4 and 0 is in P: 18 arrangements, only ({0, 1}, 4) reaches the observed 3,
    # p = 1/18. Mean count (7 + 2 x 4)/18 = 5/6 (the arcs inside A: 4 x 2/12, and 4→0: 1/3 x 2/4).
    # The shares (participants' out-degrees 2, 1, 1, 0 in A, 2 in B) average 67/216.
    formed = np.array([(0, 1), (1, 0), (0, 2), (4, 0), (4, 5), (2, 3)])
    in_cohort = np.array([True, True, False, False, True, False, False])
    units = list("AAAABBB")
    res = cohort_new_ties(formed, in_cohort, np.array(units, dtype=object), permutations=20_000, seed=1)
    assert (res["within_cohort_new"], res["to_others_new"], res["within_cohort_strata"]) == (3, 2, "units")
    assert res["within_cohort_expected_new"] == pytest.approx(5 / 6, abs=1e-12)
    assert res["within_cohort_p"] == pytest.approx(1 / 18, abs=0.007)  # 4 standard errors of 20,000
    assert res["within_cohort_expected_share"] == pytest.approx(67 / 216, abs=0.01)
    assert enumerated(formed, in_cohort, units) == pytest.approx((1 / 18, 5 / 6, 67 / 216))
    # every p is a whole number of 1/20,001ths, at least one of them
    hits = res["within_cohort_p"] * 20_001 - 1
    assert hits == pytest.approx(round(hits)) and round(hits) >= 0


def clustered(seed: int, across: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """20 units of 15 stayers; participants 5 of unit 0 and 5 of unit 1; each stayer forms 4 new
    ties to colleagues of their own unit, and each participant ``across`` more to the other unit's
    participants."""
    rng = np.random.default_rng(seed)
    units = np.repeat(np.arange(20), 15)
    in_cohort = np.isin(np.arange(300), [*range(5), *range(15, 20)])
    arcs = [
        (i, j)
        for i in range(300)
        for j in rng.choice(np.setdiff1d(np.flatnonzero(units == units[i]), [i]), 4, replace=False)
    ]
    for i in np.flatnonzero(in_cohort):
        others = np.flatnonzero(in_cohort & (units != units[i]))
        arcs += [(i, j) for j in rng.choice(others, across, replace=False)]
    return np.array(arcs), in_cohort, units.astype(str).astype(object)


def test_ties_clustered_in_the_cohorts_units_are_no_evidence_once_compared_within_units() -> None:
    # The participants tie to their own unit like everyone else: 11 of their 40 new ties reach
    # participants, where a pick among all 299 colleagues gives 9/299. The binomial p is tiny, and so
    # is a shuffle across units (the cohort fills two of 20 units); within units it is not.
    formed, in_cohort, units = clustered(seed=4, across=0)
    res = cohort_new_ties(formed, in_cohort, units, permutations=9_999, seed=0)
    assert (res["within_cohort_new"], res["to_others_new"]) == (11, 29)
    assert binom.sf(11 - 1, 40, 9 / 299) < 1e-7
    assert cohort_new_ties(formed, in_cohort, permutations=9_999, seed=0)["within_cohort_p"] == 1 / 10_000
    assert res["within_cohort_p"] == 0.64  # 6,399 of 9,999 shuffles reach 11
    assert res["within_cohort_expected_share"] == pytest.approx(0.285, abs=0.001)
    # five of a unit's 15 are participants, each with 4 ties to its 14 others: 40 x 4/14 = 11.43
    assert res["within_cohort_expected_new"] == pytest.approx(40 * 4 / 14, abs=1e-9)


def test_participants_who_seek_each_other_out_across_units_are_found_within_units() -> None:
    formed, in_cohort, units = clustered(seed=4, across=2)
    res = cohort_new_ties(formed, in_cohort, units, permutations=9_999, seed=0)
    # 20 more ties between the two units' participants: 31 of 60 reach participants, where groups
    # drawn from the same units reach 29%; no shuffle comes near
    assert (res["within_cohort_new"], res["to_others_new"]) == (31, 29)
    assert res["within_cohort_p"] == 1 / 10_000
    assert res["within_cohort_expected_share"] == pytest.approx(0.292, abs=0.001)


def test_a_stayer_of_unknown_unit_keeps_their_label() -> None:
    # participant 4's unit is unknown: only unit A's one participant moves, to 0 with chance 1/4,
    # and only then do 0→4 and 4→0 link participants (2 arcs): p = 1/4, mean count 2 x 1/4
    formed = np.array([(0, 4), (4, 0)])
    in_cohort = np.array([True, False, False, False, True])
    units = np.array(["A", "A", "A", "A", None], dtype=object)
    res = cohort_new_ties(formed, in_cohort, units, permutations=9_999, seed=0)
    assert res["within_cohort_expected_new"] == 0.5
    assert res["within_cohort_p"] == pytest.approx(0.25, abs=0.018)
    assert expected_within(formed, in_cohort, np.array([0, 0, 0, 0, 1])) == 0.5


def test_no_p_when_no_unit_holds_both_participants_and_others() -> None:
    # the cohort is all of unit A: a shuffle within units changes nobody's label, so nothing can tell
    # the programme from the unit
    formed = np.array([(0, 1), (1, 2), (2, 3), (3, 5)])
    units = np.array(list("AAAABB"), dtype=object)
    res = cohort_new_ties(formed, np.arange(6) < 4, units, permutations=99)
    assert (res["within_cohort_new"], res["to_others_new"], res["within_cohort_share"]) == (3, 1, 0.75)
    assert (res["within_cohort_p"], res["within_cohort_p_reason"]) == (None, NO_MIXED_UNIT)
    assert (res["within_cohort_expected_share"], res["within_cohort_expected_new"]) == (None, None)


def test_no_p_when_participants_sent_no_new_tie() -> None:
    res = cohort_new_ties(np.array([(3, 4)]), np.arange(6) < 2, permutations=99)
    assert (res["within_cohort_new"], res["to_others_new"], res["within_cohort_share"]) == (0, 0, None)
    assert (res["within_cohort_p"], res["within_cohort_p_reason"]) == (None, NOTHING_SENT)
    assert (res["within_cohort_expected_share"], res["within_cohort_expected_new"]) == (None, None)
