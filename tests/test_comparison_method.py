"""comparison.json's ``method``: each statistic's method as the code computes it."""

import html
import inspect

import numpy as np
import pandas as pd
import pytest

from leadnet import group_differences
from leadnet.analysis import analyse
from leadnet.cohort_ties import cohort_new_ties
from leadnet.compare import compare
from leadnet.config import AnalysisSection
from leadnet.group_differences import GroupDifference, difference_test
from leadnet.model import Snapshot
from leadnet.people_change import PERSON_METRICS
from leadnet.report.render import render_comparison

FAST = AnalysisSection(permutations=99)
IDS = [f"p{i:02d}" for i in range(12)]
PEOPLE = pd.DataFrame({"person_id": IDS, "unit": ["x"] * 6 + ["y"] * 6})
RING = list(zip(IDS, IDS[1:] + IDS[:1], strict=True))


def wave(name: str, arcs: list[tuple[str, str]], silent: tuple[str, ...] = ()) -> object:
    ties = pd.DataFrame(arcs, columns=["source", "target"]).assign(relation="advice", weight=1.0)
    non_respondents = {"advice": silent} if silent else {}
    return analyse(Snapshot.build(name, PEOPLE, ties, non_respondents=non_respondents), FAST)


@pytest.fixture(scope="module")
def pooled() -> object:
    after = [*RING, ("p00", "p07"), ("p01", "p08"), ("p02", "p09")]
    cohort = pd.DataFrame({"person_id": IDS[:5]})
    return compare(wave("t1", RING), wave("t2", after), cohort, permutations=99, seed=3)


def test_the_method_names_the_relation_counts_and_seed_the_figures_were_made_with(pooled) -> None:
    method = pooled.to_dict()["method"]
    assert (method["relation"], method["min_group_size"], method["non_respondents"]) == ("advice", 5, 0)
    qap = method["qap"]
    assert (qap["permutations"], qap["permutations_requested"], qap["seed"]) == (99, 99, 3)
    assert (method["did"]["permutations"], method["did"]["seed"]) == (pooled.permutations, pooled.seed)
    assert method["did"]["metrics"] == list(PERSON_METRICS)
    assert method["qap"]["p_two_sided"] is not None


def test_the_p_value_formulas_are_the_ones_the_figures_obey(pooled) -> None:
    # (1 + k) / (1 + permutations): every p-value is a whole number of 1/100ths, at least 1/100
    method = pooled.method
    assert method["qap"]["p_value"] == "one-sided: (1 + #{permuted r >= observed r}) / (1 + permutations)"
    assert (
        method["did"]["p_value"]
        == "two-sided: (1 + #{|permuted DiD| >= |observed DiD|}) / (1 + permutations)"
    )
    p_values = [pooled.qap_p] + [pooled.cohort[m]["p_value"] for m in PERSON_METRICS]
    for p in p_values:
        k = p * 100 - 1
        assert k == pytest.approx(round(k)) and round(k) >= 0, p


def test_the_did_interval_is_the_inverted_permutation_test_at_the_level_difference_test_uses(pooled) -> None:
    did = pooled.method["did"]
    default = inspect.signature(difference_test).parameters["confidence"].default
    assert default is None  # group_differences.CONFIDENCE, read when the test runs
    level = GroupDifference.__dataclass_fields__["confidence"].default
    assert did["ci_level"] == group_differences.CONFIDENCE == level == 0.95
    assert did["ci"].startswith("inverts the permutation test") and did["ci"].endswith("not a bootstrap")
    assert (did["within_unit"], did["estimate"]) == (False, "cohort mean change - comparison mean change")
    assert (
        did["permutation"]
        == "cohort and comparison labels shuffled among the stayers with the metric in both waves"
    )


def test_the_confidence_constant_sets_both_the_intervals_and_the_words_that_name_their_level(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # difference_test took CONFIDENCE as a default bound when the module was imported, and the page
    # said "95% CI" in six places written by hand: set to 0.8, the intervals stayed 95% ones
    # (cross-unit ties 0.18 to 1.0) and the page still said 95%.
    after = [*RING, ("p00", "p07"), ("p01", "p08"), ("p02", "p09")]
    before, later = wave("t1", RING), wave("t2", after)
    cohort = pd.DataFrame({"person_id": IDS[:5]})
    monkeypatch.setattr(group_differences, "CONFIDENCE", 0.8)
    res = compare(before, later, cohort, permutations=99, seed=3)
    effect = res.cohort["cross_unit_out_ties"]
    assert (round(effect["ci_low"], 4), round(effect["ci_high"], 4)) == (0.3333, 0.8824)
    assert res.method["did"]["ci_level"] == 0.8
    assert res.method["did"]["description"].startswith("two-sided label permutation p; 80% CI: ")
    page = html.unescape(render_comparison(res, before, later))
    assert "95%" not in page
    assert "<th>Likely range (80% CI)</th>" in page
    assert "(likely range 0.33 to 0.88, 80% CI; p = 0.010); unlikely to be chance." in page
    assert "each likely range (80% CI) leaves out 0 exactly when p < 0.2." in page
    assert "The table's likely ranges (80% CIs) and p-values are not adjusted." in page
    assert "bar: likely range (80% CI); dashed line" in page
    assert "Likely range: the differences the data are consistent with (80% confidence interval, CI)" in page


def test_a_within_unit_did_says_labels_are_shuffled_within_units() -> None:
    after = [*RING, ("p00", "p07")]
    cohort = pd.DataFrame({"person_id": ["p00", "p01", "p02", "p06", "p07", "p08"]})
    res = compare(wave("t1", RING), wave("t2", after), cohort, permutations=99, within_unit=True)
    did = res.method["did"]
    assert did["within_unit"] is True
    assert did["permutation"].endswith(", within units")
    assert (
        did["estimate"]
        == "stratified difference in mean changes, units weighted by their people with the metric"
    )


def test_stayers_who_did_not_answer_are_named_as_left_out_of_churn_and_qap() -> None:
    res = compare(wave("t1", RING), wave("t2", RING[1:], silent=("p00",)), permutations=99)
    method = res.method
    assert method["non_respondents"] == 1
    assert method["qap"]["among"] == "stayers who answered the advice survey in both waves"
    assert method["churn"]["among"] == (
        "arcs between stayers sent by stayers who answered the advice survey in both waves"
    )
    assert (res.ties_dissolved, res.ties_kept) == (0, 11)  # p00's arc is unknown after, not dissolved
    everyone = compare(wave("t1", RING), wave("t2", RING), permutations=99).method
    assert (
        everyone["qap"]["among"]
        == everyone["churn"]["among"]
        == ("stayers (people of the roster in both snapshots; the pooled outside world is none)")
    )
    assert everyone["community_transitions"]["among"] == "stayers in a community of two or more in both waves"
    assert everyone["churn"]["jaccard_floor"] == 0.3


def test_new_ties_are_tested_by_shuffling_participants_within_units_with_the_comparisons_seed() -> None:
    # The method said "each new tie taken as an independent pick of a colleague" (a binomial p); the
    # participants' new ties are now tested with the labels shuffled within units, as compare runs it.
    after = [*RING, ("p00", "p02"), ("p01", "p03"), ("p00", "p07")]
    cohort = pd.DataFrame({"person_id": ["p00", "p01", "p02", "p06", "p07"]})
    res = compare(wave("t1", RING), wave("t2", after), cohort, permutations=99, seed=3)
    in_cohort = np.isin(np.arange(12), [0, 1, 2, 6, 7])
    units = np.array(["x"] * 6 + ["y"] * 6, dtype=object)
    formed = np.array([(0, 2), (1, 3), (0, 7)])
    assert res.cohort_ties == cohort_new_ties(formed, in_cohort, units, permutations=99, seed=3)
    assert (res.cohort_ties["within_cohort_new"], res.cohort_ties["within_cohort_strata"]) == (2, "units")
    method = res.method["cohort_ties"]
    assert (method["strata"], method["permutations"], method["seed"]) == ("units", 99, 3)
    assert (
        method["p_value"] == "one-sided: (1 + #{shuffled within_cohort_difference >= observed}) / "
        "(1 + #{shuffles with a difference})"
    )
    assert method["permutation"] == (
        "participant labels shuffled among the stayers within their units (a stayer of unknown unit keeps "
        "theirs); the new arcs held as they formed"
    )
    page = html.unescape(render_comparison(res, wave("t1", RING), wave("t2", after)))
    assert f"New ties to other participants: {method['description']}." in page
    assert "independent pick of a colleague" not in page and "binomial" not in page


def test_a_roster_without_units_shuffles_the_new_ties_labels_among_all_stayers_and_says_so() -> None:
    # No unit column: compare gives no strata (one unit), so the labels move among all 12 stayers.
    # Participants p00-p04 sent 3 new ties, 2 to participants; the others sent 1, to a participant.
    people = PEOPLE[["person_id"]]
    after = [*RING, ("p00", "p02"), ("p01", "p03"), ("p00", "p07"), ("p08", "p04")]

    def plain(name: str, arcs: list[tuple[str, str]]) -> object:
        ties = pd.DataFrame(arcs, columns=["source", "target"]).assign(relation="advice", weight=1.0)
        return analyse(Snapshot.build(name, people, ties), FAST)

    res = compare(
        plain("t1", RING), plain("t2", after), pd.DataFrame({"person_id": IDS[:5]}), permutations=99
    )
    formed = np.array([(0, 2), (0, 7), (1, 3), (8, 4)])
    assert res.cohort_ties == cohort_new_ties(formed, np.arange(12) < 5, None, permutations=99, seed=0)
    ties = res.cohort_ties
    assert (ties["within_cohort_strata"], res.method["cohort_ties"]["strata"]) == ("none", "none")
    assert (ties["within_cohort_share"], ties["others_to_cohort_share"]) == (pytest.approx(2 / 3), 1.0)
    assert res.method["cohort_ties"]["permutation"] == (
        "participant labels shuffled among the stayers; the new arcs held as they formed"
    )
    page = html.unescape(render_comparison(res, plain("t1", RING), plain("t2", after)))
    assert (
        "66.7% of participants' new ties went to other participants, against 100.0% of other colleagues' "
        "new ties (tested by shuffling who took part among the people in both snapshots): no more than "
        f"others turned to them (p = {ties['within_cohort_p']:.3f})"
    ) in page
