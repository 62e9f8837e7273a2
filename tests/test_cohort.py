"""Cohort tables and the cohort difference-in-differences (leadnet.cohort)."""

import numpy as np
import pandas as pd
import pytest

from leadnet.cohort import assign_groups, check_cohort, cohort_effects, cohort_new_ties
from leadnet.errors import InputError


def test_check_cohort_without_group_puts_everyone_in_the_cohort() -> None:
    out = check_cohort(pd.DataFrame({"person_id": [" b", "a"]}))
    assert out.to_dict("list") == {"person_id": ["a", "b"], "group": ["cohort", "cohort"]}


def test_check_cohort_reports_every_bad_row_at_once() -> None:
    frame = pd.DataFrame(
        {"person_id": ["a", "", "a", "c"], "group": ["cohort", "cohort", "cohort", "control"]}
    )
    with pytest.raises(InputError) as info:
        check_cohort(frame, "cohort.csv")
    assert str(info.value) == (
        "cohort.csv: 3 cohort row(s) cannot be used\n"
        'cohort.csv line 3, column "person_id": person_id is blank '
        "(fill in the person's id, or remove the row) [blank-id]\n"
        'cohort.csv line 4, column "person_id": "a" is listed twice (keep one row per person) '
        "[duplicate-person]\n"
        'cohort.csv line 5, column "group": unknown group "control" (use "cohort" or "comparison") '
        "[bad-group]"
    )


def test_check_cohort_needs_a_person_id_column() -> None:
    with pytest.raises(
        InputError, match=r"^cohort: the cohort needs a person_id column. Got columns \['id'\]"
    ):
        check_cohort(pd.DataFrame({"id": ["a"]}))


def test_listed_comparison_rows_are_the_comparison_group() -> None:
    listed = pd.DataFrame({"person_id": ["a", "b"], "group": ["cohort", "comparison"]})
    assert assign_groups(listed, pd.Index(["a", "b", "c"])).to_dict() == {"a": "cohort", "b": "comparison"}


def test_cohort_effects_are_suppressed_below_the_minimum_group_size() -> None:
    change = pd.DataFrame({"group": ["cohort"] * 4 + ["comparison"] * 10, "x_delta": np.arange(14.0)})
    res = cohort_effects(change, ("x",), permutations=99)
    assert res["n_cohort"] == res["n_comparison"] == "<5"
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


def test_cohort_new_ties_splits_inside_and_outside_the_cohort() -> None:
    formed = np.array([(0, 1), (1, 0), (0, 3), (2, 3), (3, 0)])
    in_cohort = np.array([True, True, False, False])
    # sent by the cohort (0, 1): 0→1 and 1→0 inside, 0→3 outside; 2→3 and 3→0 are not the cohort's
    assert cohort_new_ties(formed, in_cohort) == {
        "within_cohort_new": 2,
        "to_others_new": 1,
        "within_cohort_share": pytest.approx(2 / 3),
        "reason": None,
    }
