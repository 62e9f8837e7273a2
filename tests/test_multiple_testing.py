"""leadnet.multiple_testing: Holm's step-down adjusted p-values."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadnet.errors import InputError
from leadnet.multiple_testing import holm


def test_holm_adjusts_a_hand_worked_family_of_four() -> None:
    # Sorted: d 0.005 x 4 = 0.02, a 0.01 x 3 = 0.03, c 0.03 x 2 = 0.06, b 0.04 x 1 = 0.04 -> kept at
    # the 0.06 before it. R's p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") gives 0.03 0.06 0.06 0.02.
    adjusted = holm({"a": 0.01, "b": 0.04, "c": 0.03, "d": 0.005})
    assert adjusted == {"a": 0.03, "b": 0.06, "c": 0.06, "d": 0.02}
    assert list(adjusted) == ["a", "b", "c", "d"]  # in the order given, not sorted


def test_holm_caps_at_one_leaves_one_test_alone_and_takes_any_key() -> None:
    assert holm({"a": 0.6, "b": 0.7}) == {"a": 1.0, "b": 1.0} and holm({}) == {}
    assert holm({7: 0.04}) == {7: 0.04} and holm({7: 0.6278051161883734}) == {7: 0.6278051161883734}
    # 3 x 0.07 is 0.21, not the float product 0.21000000000000002
    assert holm({0: 0.07, 1: 0.5, 2: 0.9}) == {0: 0.21, 1: 1.0, 2: 1.0}


def test_equal_p_values_get_equal_adjusted_ones_whatever_their_order() -> None:
    # 0.01 x 3 = 0.03 for the first of the two 0.01s, 0.01 x 2 = 0.02 raised to 0.03 for the second.
    assert holm({"x": 0.01, "y": 0.01, "z": 0.2}) == {"x": 0.03, "y": 0.03, "z": 0.2}
    assert holm({"y": 0.01, "z": 0.2, "x": 0.01}) == {"y": 0.03, "z": 0.2, "x": 0.03}


@pytest.mark.parametrize("bad", [math.nan, -0.1, 1.5])
def test_a_p_value_that_is_not_a_number_from_0_to_1_is_refused(bad: float) -> None:
    with pytest.raises(InputError) as err:
        holm({"a": 0.2, "b": bad})
    assert str(err.value) == f"p-values must be numbers from 0 to 1. Got {bad!r} for 'b' instead."


def test_withheld_tests_count_as_1_and_get_no_adjusted_value() -> None:
    # d withheld: 1 in its place, so a is the smallest of four (0.01 x 4 = 0.04), c next (0.03 x 3 =
    # 0.09), b 0.04 x 2 = 0.08 raised to 0.09. With d's own 0.005 they were 0.03, 0.06, 0.06: b and c
    # at rank 3 and 4, so a reader would know that a hidden test lies below a.
    adjusted = holm({"a": 0.01, "b": 0.04, "c": 0.03, "d": 0.005}, withheld=["d"])
    assert adjusted == {"a": 0.04, "b": 0.09, "c": 0.09}
    # a withheld test with no p-value of its own (NaN) counts as 1 all the same
    assert holm({"a": 0.01, "d": math.nan}, withheld=["d"]) == {"a": 0.02}
    with pytest.raises(InputError) as err:
        holm({"a": 0.01}, withheld=["z"])
    assert str(err.value) == "`withheld` must name tests of the family. Got 'z' instead."


p_values = st.lists(st.floats(0.0, 1.0, allow_nan=False), max_size=40)


@given(p_values)
def test_adjusted_p_values_are_bounded_by_the_raw_one_and_1_and_keep_its_order(raw: list[float]) -> None:
    adjusted = holm(dict(enumerate(raw)))
    assert all(raw[i] <= adjusted[i] <= 1.0 for i in adjusted)
    for i in adjusted:
        for j in adjusted:
            if raw[i] <= raw[j]:
                assert adjusted[i] <= adjusted[j]


@given(p_values, st.integers(0, 39), st.floats(0.0, 1.0))
def test_raising_one_p_value_lowers_no_adjusted_one(raw: list[float], which: int, rise: float) -> None:
    # Holm's adjusted p is a maximum over subsets of |subset| x their smallest p: monotone in each p,
    # which is why silos may count a withheld unit's p as 1 and stay at least as strict.
    if not raw:
        return
    which %= len(raw)
    higher = raw.copy()
    higher[which] = max(raw[which], rise)
    before, after = holm(dict(enumerate(raw))), holm(dict(enumerate(higher)))
    assert all(after[i] >= before[i] for i in before)


@given(p_values, st.data())
def test_withheld_p_values_change_no_shown_value_which_is_never_below_holm_over_them(
    raw: list[float], data: st.DataObject
) -> None:
    family = dict(enumerate(raw))
    hidden = data.draw(st.lists(st.sampled_from(list(family)), unique=True)) if raw else []
    other = family | {test: data.draw(st.floats(0.0, 1.0)) for test in hidden}
    shown = holm(family, withheld=hidden)
    assert shown == holm(other, withheld=hidden) and set(shown) == set(family) - set(hidden)
    every = holm(family)  # Holm over the true p-values of all
    assert all(raw[i] <= every[i] <= shown[i] <= 1.0 for i in shown)
