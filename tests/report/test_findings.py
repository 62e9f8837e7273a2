"""Plain-words findings: the sentence of each difference-in-differences and the first-screen headline."""

import math

from hypothesis import example, given
from hypothesis import strategies as st
from report_fixtures import make_analysis, org

from leadnet.gatekeeping import Judgement
from leadnet.report.findings import did_sentence, headline, p_text, signed
from leadnet.report.numbers import p_value
from leadnet.report.views import PROGRAMME_PAGE, report_view

RIVERSIDE_EFFECT = {"did": 3.08, "ci_low": 2.8, "ci_high": 3.36, "p_value": 1 / 10_001}


def test_the_headline_effect_reads_as_the_brief_says() -> None:
    assert did_sentence("cross_unit_out_ties", RIVERSIDE_EFFECT) == (
        "Programme participants gained 3.1 more cross-unit advice ties than the comparison group "
        "(likely range 2.8 to 3.4, 95% CI; p < 0.001); unlikely to be chance."
    )


def test_brokerage_reads_as_the_pairs_of_colleagues_a_person_links_not_as_roles() -> None:
    # Riverside's brokerage DiD read "gained 21.2 more brokerage roles (Gould–Fernandez)": the figure
    # counts the pairs a person links (one turns to them, they turn to the other, the two not tied),
    # not roles, of which Gould and Fernandez define five.
    effect = {"did": 21.24, "ci_low": 16.923, "ci_high": 25.5, "p_value": 1 / 10_001,
              "cohort_delta": 22.08, "comparison_delta": 0.84}  # fmt: skip
    assert did_sentence("brokerage_total", effect, judgement=Judgement(4 / 10_001, adjusted=True)) == (
        "Programme participants gained 21.2 more pairs of colleagues they link who are not directly tied "
        "(Gould–Fernandez brokerage) than the comparison group (likely range 16.9 to 25.5, 95% CI; p < "
        "0.001; "
        "Holm-adjusted p < 0.001); unlikely to be chance."
    )


def test_a_loss_of_ties_reads_as_fewer_and_a_large_p_as_possibly_chance() -> None:
    effect = {"did": -1.25, "ci_low": -2.5, "ci_high": 0.25, "p_value": 0.2}
    assert did_sentence("in_degree", effect, "collaboration") == (
        "Programme participants gained 1.2 fewer colleagues turning to them than the comparison group "
        "(likely range -2.5 to 0.25, 95% CI; p = 0.200); a difference this size could well be chance."
    )


def test_a_count_both_groups_lost_reads_as_a_loss_not_a_gain() -> None:
    # A reviewer's case: every tie of the after wave gone; the cohort lost 0.83 colleagues turning
    # to them, the comparison group 1.5. "Gained 0.67 more" would say the opposite of what happened.
    effect = {"did": 0.667, "cohort_delta": -0.833, "comparison_delta": -1.5, "ci_low": 0.1,
              "ci_high": 1.2, "p_value": 0.03}  # fmt: skip
    assert did_sentence("in_degree", effect) == (
        "Programme participants lost 0.67 fewer colleagues turning to them than the comparison group "
        "(likely range 0.10 to 1.20, 95% CI; p = 0.030); unlikely to be chance."
    )
    effect |= {"did": 0.5, "cohort_delta": 0.3, "comparison_delta": -0.2}
    assert did_sentence("cross_unit_out_ties", effect, "ties").startswith(
        "Programme participants gained 0.30 cross-unit ties while the comparison group lost 0.20, "
        "a difference of +0.50 (likely range"
    )


def test_a_missing_interval_says_why() -> None:
    effect = {"did": 3.0, "ci_low": None, "ci_high": None, "p_value": 0.1,
              "ci_reason": "the groups are too small to bound the difference at 95% confidence"}  # fmt: skip
    assert did_sentence("ei_index", effect).endswith(
        "rose by 3.0 (no likely range (95% CI): the groups are too small to bound the difference at 95% "
        "confidence; "
        "p = 0.100); a difference this size could well be chance."
    )


def test_scores_read_as_rising_or_falling_relative_to_the_comparison_group() -> None:
    effect = {"did": 0.528, "ci_low": 0.449, "ci_high": 0.608, "p_value": 0.0004}
    assert did_sentence("ei_index", effect).startswith(
        "Relative to the comparison group, programme participants' personal E-I index"
    )
    assert (
        "rose by 0.53 (likely range 0.45 to 0.61, 95% CI; p < 0.001); unlikely to be chance."
        in did_sentence("ei_index", effect)
    )


def test_p_values_and_changes_are_rounded_for_display() -> None:
    assert [p_text(p) for p in (0.0009999, 0.001, 0.0312)] == ["p < 0.001", "p = 0.001", "p = 0.031"]
    assert [signed(v) for v in (0, 0.0, 153, -0.00407)] == ["+0", "+0.000", "+153", "-0.0041"]


def test_the_fourth_question_answers_with_the_did_jaccard_and_ties_formed() -> None:
    comparison = {"jaccard": 0.7527, "ties_formed": 454, "cohort": {"cross_unit_out_ties": RIVERSIDE_EFFECT}}
    view = report_view(make_analysis(org({"A": 6, "B": 7})), comparison=comparison)
    assert view.answers[3].question == "Did the programme change practice?"
    assert (
        view.answers[3].answer
        == headline(comparison)
        == (
            "Programme participants gained 3.1 more cross-unit advice ties than the comparison group "
            "(likely range 2.8 to 3.4, 95% CI; p < 0.001); unlikely to be chance. 75.3% of the ties "
            "compared were in both snapshots (tie overlap, Jaccard); "
            "454 ties formed."
        )
    )
    assert view.answers[3].link == PROGRAMME_PAGE == "../comparison/index.html"
    assert report_view(make_analysis(org({"A": 6}))).answers[3].link is None


def test_a_suppressed_headline_effect_names_no_small_group() -> None:
    effect = {"did": None, "reason": "the cohort has 3 stayers"}
    comparison = {"jaccard": 0.5, "ties_formed": 3, "cohort": {"cross_unit_out_ties": effect}}
    text = headline(comparison)
    assert text.startswith("Cross-unit ties: not shown, because fewer than 5 people in the cohort")
    assert "3 stayers" not in text


def test_a_secondary_measure_the_primary_held_back_says_it_was_not_judged() -> None:
    effect = {"did": 0.667, "cohort_delta": 0.9, "comparison_delta": 0.233, "ci_low": 0.1,
              "ci_high": 1.2, "p_value": 0.001}  # fmt: skip
    assert did_sentence("in_degree", effect, "ties", judgement=Judgement(None, held="chance")) == (
        "Programme participants gained 0.67 more colleagues turning to them than the comparison group "
        "(likely range 0.10 to 1.20, 95% CI; p = 0.001); not judged, because the measures are tested in a "
        "set order and "
        "the first, cross-unit ties, showed no difference beyond chance."
    )
    assert did_sentence("in_degree", effect, judgement=Judgement(None, held="untested")).endswith(
        "; not judged, because the measures are tested in a set order and the first, cross-unit advice "
        "ties, could not be tested."
    )


def test_the_headline_says_the_other_measures_were_not_judged_when_the_primary_shows_nothing() -> None:
    cohort = {
        "cross_unit_out_ties": {"did": 0.4, "ci_low": -0.2, "ci_high": 1.0, "p_value": 0.2},
        "brokerage_total": {"did": 0.9, "ci_low": 0.5, "ci_high": 1.3, "p_value": 0.001},
    }
    comparison = {"jaccard": 0.5, "ties_formed": 3, "cohort": cohort}
    assert headline(comparison) == (
        "Programme participants gained 0.40 more cross-unit advice ties than the comparison group "
        "(likely range -0.20 to 1.00, 95% CI; p = 0.200); a difference this size could well be chance. The "
        "other "
        "measures were not judged: they are tested only when this first one shows a difference beyond "
        "chance. 50.0% of the ties compared were in both snapshots (tie overlap, Jaccard); 3 ties formed."
    )
    cohort["cross_unit_out_ties"] |= {"ci_low": 0.1, "p_value": 0.01}
    assert "not judged" not in headline(comparison)


def test_a_cohort_without_the_primary_measure_is_not_called_no_cohort() -> None:
    # The cohort section holds sizes and a secondary measure, but no cross-unit ties: the headline
    # said "No programme cohort was given". The secondary measure waits on the primary one.
    cohort = {"n_cohort": 9, "n_comparison": 30, "reason": None,
              "in_degree": {"did": 0.9, "ci_low": 0.4, "ci_high": 1.4, "p_value": 0.002}}  # fmt: skip
    assert headline({"jaccard": 0.4, "ties_formed": 12, "cohort": cohort}, "advice") == (
        "A programme cohort was given, but the comparison has no result for cross-unit advice ties, the "
        "primary measure, so no measure was judged. 40.0% of the ties compared were in both snapshots (tie "
        "overlap, Jaccard); "
        "12 ties formed."
    )
    assert headline({"jaccard": 0.4, "ties_formed": 12, "cohort": None}).startswith("No programme cohort")


def test_a_plain_tie_list_is_not_called_ties_ties() -> None:
    from leadnet.report.findings import words

    assert words("cross_unit_out_ties", "ties").noun == "cross-unit ties"
    assert words("cross_unit_out_ties", "advice").noun == "cross-unit advice ties"


def test_a_significant_interval_near_0_does_not_print_as_touching_0() -> None:
    # A reviewer's case: the interval leaves out 0 (p < 0.05), but at the effect's one decimal
    # its lower bound printed as 0.0, as if it touched 0.
    effect = {"did": 1.07, "ci_low": 0.03, "ci_high": 2.1, "p_value": 0.047}
    assert did_sentence("cross_unit_out_ties", effect) == (
        "Programme participants gained 1.1 more cross-unit advice ties than the comparison group "
        "(likely range 0.030 to 2.1, 95% CI; p = 0.047); unlikely to be chance."
    )
    effect |= {"ci_low": -0.03, "p_value": 0.06}
    assert (
        "(likely range -0.030 to 2.1, 95% CI; p = 0.060); a difference this size could well be chance."
        in (did_sentence("cross_unit_out_ties", effect))
    )


def test_a_p_value_just_under_0_05_does_not_print_as_0_050() -> None:
    # 500 of 10,000 permutations as extreme: p = 0.049995 is below 0.05 and is called more than
    # chance, so it must not print as the 0.050 that p = 0.05 exactly prints as, called chance.
    effect = {"did": 1.07, "ci_low": 0.03, "ci_high": 2.1, "p_value": 500 / 10_001}
    assert did_sentence("cross_unit_out_ties", effect).endswith(
        "(likely range 0.030 to 2.1, 95% CI; p = 0.049995); unlikely to be chance."
    )
    effect |= {"ci_low": 0.0, "p_value": 0.05}
    assert did_sentence("cross_unit_out_ties", effect).endswith(
        "(likely range 0.0 to 2.1, 95% CI; p = 0.050); a difference this size could well be chance."
    )
    assert [p_text(p) for p in (0.0496, 0.0499, 0.0504)] == ["p = 0.0496", "p = 0.0499", "p = 0.050"]


def printed_p(text: str) -> float:
    return 0.0 if text == "p < 0.001" else float(text.removeprefix("p = "))


@given(st.floats(min_value=0.0495, max_value=0.0505) | st.floats(min_value=0, max_value=1))
@example(500 / 10_001)
@example(0.05)
def test_a_printed_p_is_below_0_05_exactly_when_p_is(p: float) -> None:
    assert (printed_p(p_text(p)) < 0.05) == (p < 0.05)


@given(st.floats(min_value=0.0495, max_value=0.0505) | st.floats(min_value=0, max_value=1))
@example(0.0499)
def test_a_table_prints_a_p_value_as_a_sentence_does(p: float) -> None:
    assert (printed_p(f"p = {p_value(p)}".replace("= <", "< ")) < 0.05) == (p < 0.05)


@given(
    st.floats(min_value=1e-6, max_value=1e4),
    st.floats(min_value=0.01, max_value=100),
    st.floats(min_value=0, max_value=0.2),
    st.booleans(),
)
def test_a_printed_bound_keeps_its_sign_and_two_significant_digits(
    size: float, did: float, p: float, negative: bool
) -> None:
    low = -size if negative else size
    effect = {"did": did, "ci_low": low, "ci_high": did + size + 1, "p_value": p}
    printed = float(
        did_sentence("ei_index", effect).split("likely range ")[1].split(" to ")[0].replace(",", "")
    )
    assert math.copysign(1, printed) == math.copysign(1, low) and printed != 0
    assert abs(printed - low) <= 0.05 * abs(low)


def test_a_secondary_measure_is_judged_on_its_holm_adjusted_p() -> None:
    effect = {"did": 0.667, "cohort_delta": 0.9, "comparison_delta": 0.233, "ci_low": 0.1,
              "ci_high": 1.2, "p_value": 0.02}  # fmt: skip
    assert did_sentence("in_degree", effect, judgement=Judgement(0.08, adjusted=True)) == (
        "Programme participants gained 0.67 more colleagues turning to them than the comparison group "
        "(likely range 0.10 to 1.20, 95% CI; p = 0.020; Holm-adjusted p = 0.080); with several measures "
        "tested, "
        "a difference this size could well be chance."
    )
    assert did_sentence("in_degree", effect, judgement=Judgement(500 / 10_001, adjusted=True)).endswith(
        "(likely range 0.10 to 1.20, 95% CI; p = 0.020; Holm-adjusted p = 0.049995); unlikely to be chance."
    )
    effect |= {"ci_low": -0.1, "p_value": 0.3}
    assert did_sentence("in_degree", effect, judgement=Judgement(0.9, adjusted=True)).endswith(
        "(likely range -0.10 to 1.20, 95% CI; p = 0.300; Holm-adjusted p = 0.900); a difference this size "
        "could well be "
        "chance."
    )
