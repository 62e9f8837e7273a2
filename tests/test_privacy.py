import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadnet.privacy import (
    blank_groups,
    communities_to_suppress,
    gives_back_hidden,
    groups_to_suppress,
    levels_to_suppress,
)


def test_a_unit_of_three_is_hidden_and_so_is_the_next_smallest() -> None:
    units = pd.DataFrame({"unit": ["Tiny", "Small", "Big"], "size": [3, 6, 50], "ei_index": [-1.0, 0.5, 0.1]})
    hide = groups_to_suppress(units.set_index("unit")["size"]).to_numpy()
    shown = blank_groups(units, hide, ["size", "ei_index"])
    assert shown["size"].tolist() == ["<5", "<5", 50]
    assert shown["ei_index"].tolist() == ["<5", "<5", 0.1]


def test_two_small_groups_hide_only_themselves() -> None:
    hide = groups_to_suppress(pd.Series({"a": 2, "b": 4, "c": 9, "d": 30}))
    assert hide.to_dict() == {"a": True, "b": True, "c": False, "d": False}


def test_hidden_groups_that_hold_fewer_than_k_together_hide_the_next_smallest() -> None:
    # A reviewer's roster: levels of 1 and 2 people were both hidden, but the level table's other
    # sizes gave back their sum (3) and, with the top-level share, the CEO's in-degree.
    hide = groups_to_suppress(pd.Series({"1": 1, "2": 8, "3": 54, "4": 149, "5": 390, "6": 2}))
    assert hide.to_dict() == {"1": True, "2": True, "3": False, "4": False, "5": False, "6": True}


def test_ranked_levels_hide_in_rank_order_and_unranked_ones_among_themselves() -> None:
    # Ranked: 1 (1 person) and 3 (2) are under 5; together 3, so the next smallest is hidden too:
    # 2 and 4 both hold 6, and the tie goes to the level ranked first (the level table's row order).
    # Unranked: Chair (1) and Locum (4) hide each other (5 together), Bank (9) is shown, whatever the
    # ranked levels do; a blank level is no group.
    sizes = {("1", 1.0): 1, ("2", 2.0): 6, ("3", 3.0): 2, ("4", 4.0): 6, ("5", 5.0): 40}
    sizes |= {("Chair", np.nan): 1, ("Locum", np.nan): 4, ("Bank", np.nan): 9, ("", np.nan): 3}
    levels = pd.Series([level for (level, _), n in sizes.items() for _ in range(n)])
    ranks = np.array([rank for (_, rank), n in sizes.items() for _ in range(n)])
    assert levels_to_suppress(levels, ranks) == ("1", "2", "3", "Chair", "Locum")
    assert levels_to_suppress(levels.iloc[::-1], ranks[::-1]) == ("1", "2", "3", "Chair", "Locum")
    assert levels_to_suppress(pd.Series(["", " "]), np.array([np.nan, np.nan])) == ()


def test_nothing_hidden_when_every_group_is_large_enough() -> None:
    assert not groups_to_suppress(pd.Series({"a": 5, "b": 6})).any()


def test_people_with_no_tie_cover_no_community() -> None:
    # Their number is published (n_isolated): the 3 needs the next smallest cluster, 8, as cover.
    sizes = pd.Series([10, 8, 3, 1, 1])
    no_tie = np.array([False, False, False, True, True])
    assert communities_to_suppress(sizes, no_tie).tolist() == [False, True, True, True, True]
    table = pd.DataFrame({"community": range(5), "size": sizes, "bridges": ["p1", "p2", "p3", "", ""]})
    shown = blank_groups(table, communities_to_suppress(sizes, no_tie).to_numpy(), ["size", "bridges"])
    assert shown["size"].tolist() == [10, "<5", "<5", "<5", "<5"]
    assert shown["bridges"].tolist() == ["p1", "<5", "<5", "<5", "<5"]


def test_a_network_of_people_with_no_tie_hides_them_all() -> None:
    assert communities_to_suppress(pd.Series([1, 1, 1]), np.ones(3, dtype=bool)).all()


def test_k_below_five_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 5"):
        groups_to_suppress(pd.Series({"a": 5}), k=3)


@given(st.lists(st.integers(min_value=1, max_value=40), min_size=2, max_size=12), st.integers(5, 10))
def test_a_hidden_group_can_never_be_recovered_by_subtraction(sizes: list[int], k: int) -> None:
    hide = groups_to_suppress(pd.Series(sizes, index=[f"g{i}" for i in range(len(sizes))]), k)
    assert (hide[pd.Series(sizes, index=hide.index) < k]).all()
    assert hide.sum() != 1 or len(sizes) == 1
    if hide.any():  # what subtraction gives back, the hidden groups' sum, is never under k
        assert sum(sizes) < k or sum(s for s, h in zip(sizes, hide, strict=True) if h) >= k


def test_a_figure_over_part_of_a_breakdown_gives_back_a_hidden_group_it_splits_off() -> None:
    # Levels 1 and 3 are hidden (3 and 2 people); a share held by levels 1-2 less level 2's shown
    # share is level 1's, and the rest's less level 4's is level 3's. Levels 1-3 keep them together.
    sizes = pd.Series({"1": 3, "2": 10, "3": 2, "4": 20})
    assert gives_back_hidden(pd.Series([True, True, False, False], index=sizes.index), sizes)
    assert not gives_back_hidden(pd.Series([True, True, True, False], index=sizes.index), sizes)
    nothing_hidden = pd.Series([9, 8, 7, 6], index=sizes.index)
    assert not gives_back_hidden(pd.Series([True, False, False, False], index=sizes.index), nothing_hidden)
