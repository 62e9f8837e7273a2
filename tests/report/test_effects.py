"""The DiD rows of the programme page: how each of the five measures is judged."""

import math

import numpy as np
import pytest

from leadnet.report.effects import effects, effects_note

CHANCE = "could well be chance"


def cohort_of(p_values: dict[str, float]) -> dict[str, dict[str, float]]:
    return {m: {"did": 0.5, "ci_low": 0.1, "ci_high": 0.9, "p_value": p} for m, p in p_values.items()}


@pytest.mark.parametrize("primary", [0.01, 0.04])
def test_when_the_primary_measure_is_rejected_the_other_four_are_judged_together_by_holm(
    primary: float,
) -> None:
    # Every raw p is below 0.05. Holm over the four secondary ones: 0.01 x 4 = 0.04 and
    # 0.02 x 3 = 0.06, so only brokerage stays below 0.05; the primary measure keeps its own p.
    cohort = cohort_of({"cross_unit_out_ties": primary, "brokerage_total": 0.01, "in_degree": 0.02,
                        "constraint": 0.03, "ei_index": 0.04})  # fmt: skip
    sentences = {e.metric: e.sentence for e in effects(cohort, "advice", 5)}
    assert sentences["cross_unit_out_ties"].endswith(
        f"(likely range 0.10 to 0.90, 95% CI; p = {primary:.3f}); unlikely to be chance."
    )
    assert sentences["brokerage_total"].endswith(
        "(likely range 0.10 to 0.90, 95% CI; p = 0.010; Holm-adjusted p = 0.040); unlikely to be chance."
    )
    for metric, adjusted in (("in_degree", "0.060"), ("constraint", "0.060"), ("ei_index", "0.060")):
        assert (
            f"; Holm-adjusted p = {adjusted}); with several measures tested, a difference"
            in (sentences[metric])
        )
        assert sentences[metric].endswith(f"{CHANCE}.")
    cells = {e.metric: e.cells[5] for e in effects(cohort, "advice", 5)}
    assert cells["in_degree"] == "0.020"  # the table keeps comparison.json's raw p-value


def test_when_the_primary_measure_shows_nothing_the_others_are_not_judged() -> None:
    cohort = cohort_of({"cross_unit_out_ties": 0.2, "brokerage_total": 0.001, "in_degree": 0.3})
    rows = {e.metric: e for e in effects(cohort, "advice", 5)}
    assert rows["cross_unit_out_ties"].sentence.endswith(
        "(likely range 0.10 to 0.90, 95% CI; p = 0.200); a difference this size could well be chance."
    )
    held = (
        "; not judged, because the measures are tested in a set order and the first, cross-unit advice "
        "ties, showed no difference beyond chance."
    )
    assert rows["brokerage_total"].sentence.endswith(f"(likely range 0.10 to 0.90, 95% CI; p = 0.001){held}")
    assert rows["in_degree"].sentence.endswith(f"(likely range 0.10 to 0.90, 95% CI; p = 0.300){held}")
    assert rows["brokerage_total"].cells[3:6] == (
        "+0.50",
        "0.10 to 0.90",
        "0.001",
    )  # the raw p, as in the JSON


def states_an_effect(sentence: str) -> bool:
    """A DiD sentence that ends on its figures calls the difference more than chance."""
    return sentence.endswith(").")


# Under no effect at most 5% of runs may state any effect; 2,000 runs estimate that rate within
# two standard errors, 2 x sqrt(0.05 x 0.95 / 2000) = 0.0097.
RUNS = 2000
NULL_BOUND = 0.05 + 2 * math.sqrt(0.05 * 0.95 / RUNS)


def test_under_no_effect_at_most_one_run_in_twenty_states_any_effect_across_all_five() -> None:
    # Five permutation p-values, uniform under no effect. Judged each at 0.05, 1 - 0.95^5 = 23%
    # of runs stated an effect; the primary at 0.05 and the other four by Holm, always, about
    # 9.5% did (175 of these runs). Tested in order, a run states any effect only when the
    # primary measure is rejected: 5% of runs.
    rng = np.random.default_rng(1)
    metrics = ("cross_unit_out_ties", "brokerage_total", "in_degree", "constraint", "ei_index")
    stated = secondary = past_the_primary = 0
    for draw in rng.uniform(size=(RUNS, 5)):
        rows = effects(cohort_of(dict(zip(metrics, draw.tolist(), strict=True))), "advice", 5)
        said = [states_an_effect(e.sentence) for e in rows]
        stated += any(said)
        secondary += any(said[1:])
        past_the_primary += not said[0] and any(said[1:])
    print(f"null runs stating any effect: {stated}/{RUNS}; a secondary one: {secondary}/{RUNS}")
    assert stated / RUNS <= NULL_BOUND and secondary / RUNS <= NULL_BOUND
    assert past_the_primary == 0  # no secondary effect is stated while the primary one is not


def test_the_note_says_when_the_difference_was_taken_within_units() -> None:
    # compare(within_unit=True) makes the stratified difference; the page said "the cohort's mean
    # change − the comparison group's", the pooled difference it no longer is
    cohort = {"n_cohort": 5, "n_comparison": 15, "comparison_group": "everyone else", "reason": None,
              "within_unit": True, "cross_unit_out_ties": {"n_in_one_group_units": 10}}  # fmt: skip
    within = effects_note(cohort, 999, 5)
    assert (
        "DiD = the cohort's mean change − the comparison group's within each unit, averaged over the units "
        "weighted by their size (10 people in units without both groups left out); p-values from 999 label "
        "permutations within units (two-sided)"
    ) in within
    pooled = effects_note(cohort | {"within_unit": False}, 999, 5)
    assert (
        "DiD = the cohort's mean change − the comparison group's; p-values from 999 label permutations ("
        in pooled
    )


def test_the_note_counts_one_person_in_a_unit_without_both_groups_as_one_person() -> None:
    # It said "1 people in units without both groups": the count was written by hand.
    cohort = {"n_cohort": 5, "n_comparison": 15, "comparison_group": "everyone else", "reason": None,
              "within_unit": True, "cross_unit_out_ties": {"n_in_one_group_units": 1}}  # fmt: skip
    assert "(1 person in units without both groups left out)" in effects_note(cohort, 999, 5)
