"""Participants' new ties to each other, tested by shuffling who took part (leadnet.cohort_ties)."""

import itertools
from fractions import Fraction

import numpy as np
import pytest
from scipy.stats import binom

from leadnet.cohort_ties import (
    NEW_TIE_KEYS,
    NO_MIXED_UNIT,
    NOTHING_SENT,
    OTHERS_SENT_NOTHING,
    cohort_new_ties,
    expected_within,
)
from leadnet.report.new_ties import cohort_ties

FLOOR = (
    "fewer than 5 participants or other people in both snapshots share a unit with people of the other "
    "group (privacy floor: both groups need at least 5 there)"
)


def preference(labels: np.ndarray, formed: np.ndarray) -> Fraction | None:
    """The participants' share of their new arcs to participants less the others' share, exactly."""
    sent, received = labels[formed[:, 0]], labels[formed[:, 1]]
    if sent.all() or not sent.any():
        return None
    ours = Fraction(int(np.sum(sent & received)), int(sent.sum()))
    return ours - Fraction(int(np.sum(~sent & received)), int((~sent).sum()))


def enumerated(formed: np.ndarray, in_cohort: np.ndarray, units: list[str]) -> tuple[float, float, float]:
    """The exact p (among the arrangements with a difference), mean count and mean share over every
    arrangement of the labels within units."""
    groups = {u: [i for i, v in enumerate(units) if v == u] for u in sorted(set(units))}
    picks = [itertools.combinations(people, int(in_cohort[people].sum())) for people in groups.values()]
    observed = preference(in_cohort, formed)
    assert observed is not None
    counts, shares, reached = [], [], []
    for chosen in itertools.product(*picks):
        labels = np.zeros(len(units), bool)
        labels[[i for part in chosen for i in part]] = True
        sent = labels[formed[:, 0]]
        counts.append(int(np.sum(sent & labels[formed[:, 1]])))
        if sent.any():
            shares.append(counts[-1] / sent.sum())
        difference = preference(labels, formed)
        if difference is not None:
            reached.append(difference >= observed)
    return float(np.mean(reached)), float(np.mean(counts)), float(np.mean(shares))


def test_new_ties_are_split_inside_and_outside_the_cohort_and_tested_by_shuffling_the_labels() -> None:
    formed = np.array([(0, 1), (1, 0), (0, 3), (2, 3), (3, 0)])
    in_cohort = np.array([True, True, False, False])
    # sent by the cohort (0, 1): 0→1 and 1→0 inside, 0→3 outside (2/3); by the others (2, 3): 2→3
    # and 3→0, one to the cohort (1/2): a difference of 1/6. Of the 6 pairs that could be the
    # cohort, {0, 1} and {2, 3} (1/2 − 1/3) reach 1/6; {0, 2} −1, {0, 3} −1/3, {1, 2} −1/3, {1, 3}
    # −1: p = 2/6 (2/3 − 1/2 and 1/2 − 1/3 differ in floating point, and still count as equal). Mean
    # count (2 + 2 + 1)/6 = 5/6; shares 2/3, 0/3, 2/3, 0/2, 0/2, 1/2: mean 11/36.
    res = cohort_new_ties(formed, in_cohort, permutations=9_999, seed=0, min_group_size=1)
    assert list(res) == list(NEW_TIE_KEYS)
    assert res == {
        "within_cohort_new": 2,
        "to_others_new": 1,
        "within_cohort_share": pytest.approx(2 / 3),
        "others_to_cohort_share": 0.5,
        "reason": None,
        "within_cohort_difference": pytest.approx(1 / 6),
        "within_cohort_expected_share": pytest.approx(11 / 36, abs=0.012),  # 4 standard errors
        "within_cohort_expected_new": pytest.approx(5 / 6, abs=1e-12),
        "within_cohort_p": pytest.approx(1 / 3, abs=0.019),
        "within_cohort_p_reason": None,
        "within_cohort_strata": "none",
    }
    assert enumerated(formed, in_cohort, ["u"] * 4) == pytest.approx((1 / 3, 5 / 6, 11 / 36))


def test_the_p_within_units_matches_every_arrangement_of_the_labels_counted_by_hand() -> None:
    # Unit A = 0..3 with participants 0 and 1, unit B = 4..6 with participant 4. The cohort sent 5
    # arcs, 3 to participants (3/5); the others sent 2→3, none to it: 3/5. Of the 18 arrangements
    # (a pair of A, one of B), all have a difference; three reach 3/5: the observed, ({2, 3}, 5)
    # (1 − 2/5: 0→2 and 4→5 of the others' 5 reach it) and ({2, 3}, 6) (1 − 1/5): p = 3/18. Mean count
    # (7 + 2 x 4)/18 = 5/6 (the arcs inside A: 4 x 2/12, and 4→0: 1/3 x 2/4); the shares
    # (participants' out-degrees 2, 1, 1, 0 in A, 2 in B) average 67/216.
    formed = np.array([(0, 1), (1, 0), (0, 2), (4, 0), (4, 5), (2, 3)])
    in_cohort = np.array([True, True, False, False, True, False, False])
    units = list("AAAABBB")
    res = cohort_new_ties(
        formed, in_cohort, np.array(units, dtype=object), permutations=20_000, seed=1, min_group_size=1
    )
    assert (res["within_cohort_new"], res["to_others_new"], res["within_cohort_strata"]) == (3, 2, "units")
    assert (res["within_cohort_share"], res["others_to_cohort_share"]) == (0.6, 0.0)
    assert res["within_cohort_difference"] == 0.6
    assert res["within_cohort_p"] == pytest.approx(1 / 6, abs=0.011)  # 4 standard errors of 20,000
    assert res["within_cohort_expected_new"] == pytest.approx(5 / 6, abs=1e-12)
    assert res["within_cohort_expected_share"] == pytest.approx(67 / 216, abs=0.01)
    assert enumerated(formed, in_cohort, units) == pytest.approx((1 / 6, 5 / 6, 67 / 216))
    # every p is a whole number of 1/20,001ths, at least one of them: every shuffle has a difference
    hits = res["within_cohort_p"] * 20_001 - 1
    assert hits == pytest.approx(round(hits)) and round(hits) >= 0


def test_a_shuffle_in_which_a_group_sent_nothing_is_left_out_of_the_p() -> None:
    # 0→1, 0→2, 2→0 with 0 and 1 the participants: 1/2 − 1/1 = −1/2. {0, 2} and {1, 3} leave a group
    # that sent nothing; of the other four, the observed and {2, 3} (0 − 0) reach −1/2: p = 2/4, not
    # 2/6 as it would be were they counted short of it
    formed = np.array([(0, 1), (0, 2), (2, 0)])
    in_cohort = np.array([True, True, False, False])
    res = cohort_new_ties(formed, in_cohort, permutations=9_999, seed=0, min_group_size=1)
    assert (res["within_cohort_difference"], res["others_to_cohort_share"]) == (-0.5, 1.0)
    assert res["within_cohort_p"] == pytest.approx(1 / 2, abs=0.03)
    assert enumerated(formed, in_cohort, ["u"] * 4)[0] == 0.5


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
    # participants, where a pick among all 299 colleagues gives 9/299, and 7 of the others' 290 (the
    # other 18 units hold no participant). The binomial p is tiny, and so is a shuffle across units
    # (the cohort fills two of 20 units); within units it is not.
    formed, in_cohort, units = clustered(seed=4, across=0)
    res = cohort_new_ties(formed, in_cohort, units, permutations=9_999, seed=0)
    assert res["within_cohort_p"] == 0.5574  # 5,573 of 9,999 shuffles reach the difference
    assert (res["within_cohort_new"], res["to_others_new"]) == (11, 29)
    assert (res["within_cohort_share"], res["others_to_cohort_share"]) == (0.275, 7 / 290)
    assert binom.sf(11 - 1, 40, 9 / 299) < 1e-7
    assert cohort_new_ties(formed, in_cohort, permutations=9_999, seed=0)["within_cohort_p"] == 1 / 10_000
    assert res["within_cohort_expected_share"] == pytest.approx(0.285, abs=0.001)
    # five of a unit's 15 are participants, each with 4 ties to its 14 others: 40 x 4/14 = 11.43
    assert res["within_cohort_expected_new"] == pytest.approx(40 * 4 / 14, abs=1e-9)


def test_participants_who_seek_each_other_out_across_units_are_found_within_units() -> None:
    formed, in_cohort, units = clustered(seed=4, across=2)
    res = cohort_new_ties(formed, in_cohort, units, permutations=9_999, seed=0)
    # 20 more ties between the two units' participants: 31 of 60 reach participants, 7 of the
    # others' 290; 2 of 9,999 shuffles come as near
    assert (res["within_cohort_new"], res["to_others_new"]) == (31, 29)
    assert res["within_cohort_difference"] == pytest.approx(31 / 60 - 7 / 290, abs=1e-15)
    assert res["within_cohort_p"] == 3 / 10_000
    assert res["within_cohort_expected_share"] == pytest.approx(0.292, abs=0.001)


def test_a_stayer_of_unknown_unit_keeps_their_label() -> None:
    # participant 4's unit is unknown: only unit A's one participant moves, to 0 with chance 1/4,
    # and only then do 0→4 and 4→0 link participants (2 arcs; the difference 1 − 0 against −1/2 or
    # −1 else): p = 1/4, mean count 2 x 1/4
    formed = np.array([(0, 4), (4, 0), (2, 3)])
    in_cohort = np.array([True, False, False, False, True])
    units = np.array(["A", "A", "A", "A", None], dtype=object)
    res = cohort_new_ties(formed, in_cohort, units, permutations=9_999, seed=0, min_group_size=1)
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
    assert (res["within_cohort_difference"], res["others_to_cohort_share"]) == (None, None)


def test_no_p_when_participants_sent_no_new_tie() -> None:
    res = cohort_new_ties(np.array([(3, 4)]), np.arange(6) < 2, permutations=99)
    assert (res["within_cohort_new"], res["to_others_new"], res["within_cohort_share"]) == (0, 0, None)
    assert (res["within_cohort_p"], res["within_cohort_p_reason"]) == (None, NOTHING_SENT)
    assert (res["within_cohort_expected_share"], res["within_cohort_expected_new"]) == (None, None)


def test_no_p_when_the_others_sent_no_new_tie() -> None:
    res = cohort_new_ties(np.array([(0, 4), (1, 8)]), np.arange(12) < 6, permutations=99)
    assert (res["within_cohort_share"], res["others_to_cohort_share"]) == (0.5, None)
    assert (res["within_cohort_p"], res["within_cohort_p_reason"]) == (None, OTHERS_SENT_NOTHING)
    assert (res["within_cohort_difference"], res["within_cohort_expected_new"]) == (None, None)


def test_too_few_people_whose_labels_can_move_give_no_test_and_no_expected_figures() -> None:
    # Units AAAAABB plus five of C; participants 0-5 (all of A, and 5 of B). Only B's two people can
    # swap labels, so the expected count (3.0) told that person 6 sent three ties to A.
    formed = np.array([(0, 1), (5, 0), (6, 0), (6, 1), (6, 2), (7, 8)])
    units = np.array([*"AAAAABB", *"CCCCC"], dtype=object)
    res = cohort_new_ties(formed, np.arange(12) < 6, units, permutations=99)
    assert (res["within_cohort_p"], res["within_cohort_p_reason"]) == (None, FLOOR)
    assert (res["within_cohort_expected_new"], res["within_cohort_expected_share"]) == (None, None)
    assert res["within_cohort_difference"] is None
    assert (res["within_cohort_new"], res["to_others_new"], res["others_to_cohort_share"]) == (2, 0, 0.75)


def random_targets(rng: np.random.Generator, sender: int, weights: np.ndarray, ties: int) -> list[tuple]:
    chance = weights.copy()
    chance[sender] = 0
    return [(sender, j) for j in rng.choice(len(weights), ties, replace=False, p=chance / chance.sum())]


def test_a_cohort_of_busy_senders_without_preference_is_not_said_to_turn_to_each_other() -> None:
    # 10 of 100 stayers send 20 new ties each, the others 2, all to colleagues picked at random. The
    # count of participant-to-participant arcs (21, against 2.0 for a group of 10 sending what the
    # average stayer sends) gave p = 0.0001 and "more than such groups" at a share of 10.5%
    # against 9.1%. Participants' 10.5% against the others' 10.0% is no preference.
    rng = np.random.default_rng(0)
    in_cohort = np.arange(100) < 10
    formed = np.array(
        [a for i in range(100) for a in random_targets(rng, i, np.ones(100), 20 if i < 10 else 2)]
    )
    res = cohort_new_ties(formed, in_cohort, permutations=9_999, seed=0)
    assert res["within_cohort_p"] == 0.3622
    assert (res["within_cohort_new"], res["to_others_new"], res["others_to_cohort_share"]) == (21, 179, 0.1)
    assert res["within_cohort_difference"] == pytest.approx(0.005, abs=1e-15)
    formed_ties, compared = cohort_ties({"cohort_ties": res}, 5)[1].split(". ", 1)
    assert (
        formed_ties
        == "Participants formed 200 new ties: 21 with other participants and 179 with everyone else"
    )
    assert compared == (
        "10.5% of participants' new ties went to other participants, against 10.0% of other colleagues' new "
        "ties (tested by shuffling who took part among the people in both snapshots): a gap that could "
        "well be chance (p = 0.362), and most new ties reach beyond the programme."
    )


def test_participants_everyone_turns_to_are_not_said_to_turn_to_each_other() -> None:
    # Every stayer sends 3 new ties, picking a participant six times as readily as anyone else:
    # participants are popular, not partial to each other (30.0% against the others' 33.3%). The
    # count gave p = 0.0031.
    rng = np.random.default_rng(0)
    in_cohort = np.arange(100) < 10
    popular = np.where(in_cohort, 6.0, 1.0)
    formed = np.array([a for i in range(100) for a in random_targets(rng, i, popular, 3)])
    res = cohort_new_ties(formed, in_cohort, permutations=9_999, seed=0)
    assert res["within_cohort_p"] == 0.6545
    assert (res["within_cohort_share"], res["others_to_cohort_share"]) == (0.3, pytest.approx(1 / 3))
    assert cohort_ties({"cohort_ties": res}, 5)[1].split(": ")[-1] == (
        "no more than others turned to them (p = 0.654), and most new ties reach beyond the programme."
    )


def test_participants_who_prefer_each_other_are_said_to_turn_to_each_other() -> None:
    # Only participants pick participants six times as readily: 30.0% of their new ties against the
    # others' 9.6%
    rng = np.random.default_rng(0)
    in_cohort = np.arange(100) < 10
    formed = np.array(
        [a for i in range(100) for a in random_targets(rng, i, np.where(in_cohort & (i < 10), 6.0, 1.0), 3)]
    )
    res = cohort_new_ties(formed, in_cohort, permutations=9_999, seed=0)
    assert res["within_cohort_p"] == 0.0007
    assert (res["within_cohort_share"], res["others_to_cohort_share"]) == (0.3, pytest.approx(13 / 135))
    assert cohort_ties({"cohort_ties": res}, 5)[1] == (
        "Participants formed 30 new ties: 9 with other participants and 21 with everyone else. 30.0% of "
        "participants' new ties went to other participants, against 9.6% of other colleagues' new ties "
        "(tested by shuffling who took part among the people in both snapshots): they turned to each "
        "other more than others turned to them (p < 0.001), and most new ties reach beyond the programme."
    )
