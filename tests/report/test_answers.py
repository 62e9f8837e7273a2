"""The report's four answers in plain words (leadnet.report.answers): the distributed answer."""

import re

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from leadnet.report.answers import EVEN_SPREAD, distributed_answer

TOP_SENTENCE = re.compile(
    r"People in the top \d* ?formal levels?, ([\d.]+)% of everyone, receive ([\d.]+)% of nominations"
    r"(, about their share|: ([\d.]+) times their share|, less than their share \(([\d.]+) times\))\.$"
)


def answer(share: float, people: float, top_levels: int = 2) -> str:
    summary = {"leadership_share_outside_top": share, "leadership": {"people_share_outside_top": people}}
    return distributed_answer(summary, top_levels)


def test_the_riverside_answer_states_the_tops_share_of_nominations_and_of_people() -> None:
    # Riverside after the academy: 97.53% of nominations below the top 2 levels, where 98.5% of
    # people are. Both rounded to 98%, and the answer said "as many as their number, or more";
    # the top's 1.5% of people draw 2.5% of nominations, 1.65 times their number.
    assert answer(0.9752906976744186, 0.985) == (
        "97.5% of nominations go to people outside the top 2 formal levels, who are 98.5% of the people. "
        "People in the top 2 formal levels, 1.5% of everyone, receive 2.5% of nominations: 1.65 times "
        "their share."
    )


def test_a_top_within_a_tenth_of_its_headcount_draws_about_as_many_as_its_number() -> None:
    assert answer(0.895, 0.9).endswith(  # 10.5% of nominations for 10% of the people: 1.05
        "People in the top 2 formal levels, 10.0% of everyone, receive 10.5% of nominations, about "
        "their share."
    )


def test_a_top_drawing_fewer_than_its_number_is_given_its_ratio() -> None:
    assert answer(0.95, 0.9).endswith(
        "People in the top 2 formal levels, 10.0% of everyone, receive 5.0% of nominations, less than their "
        "share (0.50 times)."
    )


def test_the_percentages_get_the_decimals_that_keep_them_in_line_with_the_verdict() -> None:
    # 0.44% of nominations for 0.36% of the people is 1.22 times; at one decimal both read 0.4%.
    assert answer(0.9956, 0.9964) == (
        "99.56% of nominations go to people outside the top 2 formal levels, who are 99.64% of the people. "
        "People in the top 2 formal levels, 0.36% of everyone, receive 0.44% of nominations: 1.22 "
        "times their share."
    )


@given(st.floats(0, 1), st.floats(0.5, 0.9999))
def test_the_printed_percentages_never_contradict_the_verdict(share: float, people: float) -> None:
    said = answer(share, people)
    if said.endswith("receive none of the nominations."):
        assert share >= 1
        return
    found = TOP_SENTENCE.search(said)
    assert found, said
    low, high = EVEN_SPREAD
    shown = round(float(found[2]) / float(found[1]), 2)
    stated = found[4] or found[5]
    if stated is None:  # "about their share"
        assert low <= shown <= high
    else:
        ratio = float(stated)
        assert not low <= ratio <= high
        assert not low <= shown <= high and (shown > high) == (ratio > high)


def test_a_share_withheld_for_privacy_is_said_to_be_withheld_with_the_reason() -> None:
    why = (
        "withheld for privacy: either the top level or the people below it number fewer than 5, and the "
        "share would give back figures about fewer than 5 people (minimum group size)"
    )
    summary = {"leadership_share_outside_top": None, "reasons": {"leadership_share_outside_top": why}}
    said = distributed_answer(summary, 1)
    assert said == f"The share of nominations outside the top formal level is {why}."


def test_a_share_that_cannot_be_computed_says_why() -> None:
    summary = {"leadership_share_outside_top": None, "reasons": {"leadership_share_outside_top": "no ties"}}
    assert distributed_answer(summary, 2) == "Cannot tell: no ties."
    assert distributed_answer({"leadership_share_outside_top": None}, 2) == (
        "Cannot tell: the roster gives no formal levels, or there are no ties."
    )


def test_text_levels_without_an_order_are_said_to_be_unranked_not_absent() -> None:
    # A roster whose levels are words (Director, Manager, Staff) with no level_order ranks nobody.
    # The answer said "the roster gives no formal levels, or there are no ties", though it gives
    # levels and ties: now it gives the reason the figure has, and how to rank them.
    from leadnet.analysis import analyse
    from leadnet.model import Snapshot

    ids = [f"p{i}" for i in range(12)]
    people = pd.DataFrame({"person_id": ids, "unit": "Ops", "level": ["Director"] * 2 + ["Staff"] * 10})
    ties = pd.DataFrame({"source": ids[2:], "target": ids[0]}).assign(relation="advice")
    summary = analyse(Snapshot.build("t", people, ties)).summary
    assert distributed_answer(summary, 2) == (
        "Cannot tell: no one has a known level (a roster level ranks when it is a number, or when [people] "
        "level_order lists the text levels, top first)."
    )


def test_with_everyone_in_the_top_levels_the_answer_says_no_one_is_below_them() -> None:
    # A roster of levels 1 and 2 with the top 2 levels counted as the top: the page said "0% of
    # nominations go to people outside the top 2 formal levels, who are 0% of the people: the top
    # draws 100% of nominations with 100% of the people, about as many as their number."
    # The share is now None with the analysis's reason (tests/report/test_views.py), and the answer gives it.
    why = "everyone with a known level is in the top 2 levels, so no one is outside them to hold a share"
    summary = {"leadership_share_outside_top": None, "reasons": {"leadership_share_outside_top": why},
               "leadership": {"people_share_outside_top": 0.0}}  # fmt: skip
    assert distributed_answer(summary, 2) == f"Cannot tell: {why}."
    summary |= {"leadership_share_outside_top": 0.0}  # a share of 0 beside no one below the top: the same
    assert distributed_answer(summary, 2) == (
        f"Cannot tell: {why} (top_levels in leadnet.toml sets how many levels count as the top)."
    )
