"""The cohort's figures: difference-in-differences (leadnet.cohort)."""

import numpy as np
import pandas as pd
import pytest

from leadnet.cohort import cohort_effects


def test_cohort_effects_are_suppressed_below_the_minimum_group_size() -> None:
    change = pd.DataFrame({"group": ["cohort"] * 4 + ["comparison"] * 10, "x_delta": np.arange(14.0)})
    res = cohort_effects(change, ("x",), permutations=99)
    # the comparison group of 10 is hidden beside the cohort of 4, but it is not "<5"
    assert (res["n_cohort"], res["n_comparison"]) == ("<5", "withheld")
    assert res["reason"] == (
        "the cohort or the comparison group has fewer than 5 stayers "
        "(privacy floor: both need at least 5); sizes withheld"
    )
    assert res["x"]["did"] is None and res["x"]["p_value"] is None and res["x"]["reason"] == res["reason"]


def test_a_metric_missing_for_too_many_people_is_suppressed_alone() -> None:
    change = pd.DataFrame(
        {
            "group": ["cohort"] * 6 + ["comparison"] * 6,
            "x_delta": [1.0] * 12,
            "y_delta": [np.nan, np.nan, 1, 1, 1, 1] + [0.0] * 6,
        }
    )
    res = cohort_effects(change, ("x", "y"), permutations=99)
    assert (res["x"]["did"], res["x"]["p_value"]) == (0.0, 1.0)
    assert res["y"]["did"] is None
    assert (
        res["y"]["reason"] == "fewer than 5 cohort or comparison people have y in both waves "
        "(privacy floor: both groups need at least 5)"
    )


def test_people_outside_cohort_and_comparison_are_left_out() -> None:
    change = pd.DataFrame(
        {
            "group": ["cohort"] * 5 + ["comparison"] * 5 + ["other"] * 3,
            "x_delta": [2.0] * 5 + [0.0] * 5 + [9.0] * 3,
        }
    )
    res = cohort_effects(change, ("x",), permutations=99)
    assert (res["n_cohort"], res["n_comparison"], res["x"]["comparison_delta"], res["x"]["did"]) == (
        5,
        5,
        0.0,
        2.0,
    )


def two_units(effect: float) -> tuple[pd.DataFrame, np.ndarray]:
    """A review's case: unit A's 5 cohort and 5 comparison people all changed +10, unit B's 5 cohort
    and 45 comparison people 0; the cohort also changed by ``effect``."""
    group = ["cohort"] * 5 + ["comparison"] * 5 + ["cohort"] * 5 + ["comparison"] * 45
    delta = np.array([10.0] * 10 + [0.0] * 50)
    delta[:5] += effect
    delta[10:15] += effect
    return pd.DataFrame({"group": group, "x_delta": delta}), np.array(["A"] * 10 + ["B"] * 50)


def test_a_within_unit_did_is_not_made_by_the_units_differences() -> None:
    # Pooled, the cohort (half in A) changed +5 and the comparison group (1 in 10 in A) +1: a
    # DiD of 4 that is only where people work. Within each unit the groups changed alike.
    change, units = two_units(0.0)
    res = cohort_effects(change, ("x",), strata=units, permutations=999)["x"]
    assert (res["did"], res["p_value"], res["ci_low"], res["ci_high"]) == (0.0, 1.0, 0.0, 0.0)
    # each group's unit means weighted by the units' people (10 and 50): 10·10/60 = 5/3
    assert res["cohort_delta"] == res["comparison_delta"] == pytest.approx(5 / 3)


def test_a_within_unit_did_finds_an_effect_the_units_hide() -> None:
    # Every cohort member lost 4 against their unit's comparison people; pooled, the cohort's +1
    # equals the comparison group's +1 and the effect vanishes.
    change, units = two_units(-4.0)
    res = cohort_effects(change, ("x",), strata=units, permutations=999)["x"]
    assert res["did"] == pytest.approx(-4.0)
    assert res["p_value"] < 0.01
    # every change is -4 or 0 within a unit and group, so the interval is -4 itself, up to rounding
    assert res["ci_low"] <= -4.0 + 1e-9 and res["ci_high"] >= -4.0 - 1e-9 and res["ci_high"] < 0


def test_units_holding_one_group_are_left_out_and_counted() -> None:
    change, units = two_units(0.0)
    change = pd.concat([change, pd.DataFrame({"group": ["comparison"] * 3, "x_delta": [7.0] * 3})])
    res = cohort_effects(change, ("x",), strata=np.append(units, ["C"] * 3), permutations=99)["x"]
    assert (res["did"], res["n_comparison"], res["one_group_units"], res["n_in_one_group_units"]) == (
        0.0,
        53,
        1,
        3,
    )
    pooled = cohort_effects(change, ("x",), permutations=99)["x"]
    assert (pooled["one_group_units"], pooled["n_in_one_group_units"]) == (0, 0)


def test_people_of_unknown_unit_are_left_out_of_a_within_unit_did() -> None:
    # two_units (A: 10 people, B: 50, no difference in either), plus 3 cohort people (+9 each) and
    # 3 comparison people (0) whose unit is unknown (None). Read as one more unit they would be a
    # stratum of difference 9 and weight 6 of 66: a DiD of (10·0 + 50·0 + 6·9)/66 = 0.82. They
    # have no unit to be compared within, so the DiD is units A's and B's alone: 0.
    change, units = two_units(0.0)
    extra = pd.DataFrame({"group": ["cohort"] * 3 + ["comparison"] * 3, "x_delta": [9.0] * 3 + [0.0] * 3})
    strata = np.concatenate([units, np.full(6, None, dtype=object)])
    res = cohort_effects(pd.concat([change, extra]), ("x",), strata=strata, permutations=99)["x"]
    assert (res["did"], res["n_cohort"], res["n_comparison"], res["one_group_units"]) == (0.0, 10, 50, 0)


def test_within_units_the_privacy_floor_counts_only_units_holding_both_groups() -> None:
    # 5 cohort members, but only 4 share a unit with comparison people: the figure is withheld.
    change = pd.DataFrame({"group": ["cohort"] * 5 + ["comparison"] * 6, "x_delta": np.arange(11.0)})
    units = np.array(list("AAAAB") + list("AAAAAA"))
    res = cohort_effects(change, ("x",), strata=units, permutations=99)
    assert res["n_cohort"] == 5 and res["x"]["did"] is None and res["x"]["n_cohort"] == "<5"
    assert res["x"]["reason"] == (
        "fewer than 5 cohort or comparison people with x in both waves share a unit with people of "
        "the other group (privacy floor: both groups need at least 5 there)"
    )
    assert res["x"]["n_in_one_group_units"] is None
    assert cohort_effects(change, ("x",), permutations=99)["x"]["did"] is not None
