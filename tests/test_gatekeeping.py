"""Serial gatekeeping then Holm: which p-value each of the five DiDs is judged on."""

from typing import Any

import numpy as np
import pytest

from leadnet import gatekeeping as multiplicity
from leadnet import group_differences, multiple_testing
from leadnet.gatekeeping import Judgement, judgements
from leadnet.report import findings, numbers


def test_the_judgements_use_the_one_holm_the_units_e_i_tests_use() -> None:
    # Holm's adjustment (tests/test_multiple_testing.py) is written once, below silos and the report.
    assert multiplicity.holm is multiple_testing.holm


def cohort_of(**p_values: float | None) -> dict[str, dict[str, float | None]]:
    return {m: {"did": None if p is None else 0.5, "p_value": p} for m, p in p_values.items()}


def test_the_secondary_measures_are_judged_by_holm_only_after_the_primary_is_rejected() -> None:
    opened = judgements(cohort_of(cross_unit_out_ties=0.049, in_degree=0.001, constraint=0.03))
    assert opened == {
        "cross_unit_out_ties": Judgement(0.049),
        "in_degree": Judgement(0.002, adjusted=True),
        "constraint": Judgement(0.03, adjusted=True),
    }
    closed = judgements(cohort_of(cross_unit_out_ties=0.05, in_degree=0.001, constraint=0.03))
    assert closed == {
        "cross_unit_out_ties": Judgement(0.05),
        "in_degree": Judgement(None, held="chance"),
        "constraint": Judgement(None, held="chance"),
    }


def test_a_primary_measure_without_a_p_value_holds_back_the_others() -> None:
    # Suppressed for privacy (or missing): the first test was never made, so none after it is.
    for cohort in (cohort_of(cross_unit_out_ties=None, in_degree=0.001), cohort_of(in_degree=0.001)):
        assert judgements(cohort) == {"in_degree": Judgement(None, held="untested")}


def test_a_secondary_measure_without_a_p_value_is_left_out_of_the_family() -> None:
    judged = judgements(cohort_of(cross_unit_out_ties=0.01, in_degree=0.02, ei_index=None))
    assert judged["in_degree"] == Judgement(0.02, adjusted=True) and "ei_index" not in judged


# --- one level for the verdicts and the intervals beside them ------------------------------------


def report_at_level(confidence: float, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The primary DiD of 12 stayers whose cohort gained 2.2 more ties, with the level changed after
    the report was imported: its interval, verdict, sentence and the page's note on judging."""
    monkeypatch.setattr(group_differences, "CONFIDENCE", confidence)
    values = np.array([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5], dtype=float)
    values[:6] += 2.2
    res = group_differences.difference_test(values, np.arange(12) < 6, permutations=999, seed=0)
    effect = {"did": res.difference, "ci_low": res.ci_low, "ci_high": res.ci_high, "p_value": res.p_value}
    judged = multiplicity.judgements({multiplicity.PRIMARY: effect})[multiplicity.PRIMARY]
    return {
        "p": round(res.p_value, 6),
        "ci": [round(res.ci_low, 6), round(res.ci_high, 6)],
        "judged_p": judged.p,
        "sentence": findings.did_sentence(multiplicity.PRIMARY, effect, judgement=judged),
        "note": findings.judgement_note(),
        "cell": numbers.p_value(0.0999),
    }


def test_the_verdicts_are_read_at_one_minus_the_intervals_level(monkeypatch: pytest.MonkeyPatch) -> None:
    # Set apart (a constant 0.05, then one taken once when the report was imported), CONFIDENCE = 0.9
    # set later left the verdicts and the note at 0.05 beside 90% intervals.
    assert group_differences.significance_level() == 0.05
    at_90 = report_at_level(0.9, monkeypatch)
    assert group_differences.significance_level() == 0.1
    assert at_90["note"].startswith(
        "Cross-unit ties are the main measure, judged first: a difference counts as beyond chance when "
        "p < 0.1. "
    )
    assert (
        "at 10% or less; otherwise they are not judged. The table's likely ranges (90% CIs)" in at_90["note"]
    )
    assert at_90["cell"] == "0.0999"  # on its own side of 0.1, not rounded onto it


def test_a_verdict_and_its_interval_move_together_when_the_level_changes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # p = 0.063: the 95% interval holds 0 and the verdict is chance; at 90% the interval leaves out 0,
    # and the verdict must call it a difference. With the level set apart at 0.05, the 90% report
    # printed "(90% CI 0.20 to 4.2; p = 0.063); a difference this size could well be chance."
    at_95 = report_at_level(0.95, monkeypatch)
    at_90 = report_at_level(0.9, monkeypatch)
    assert at_95["p"] == at_90["p"] == at_95["judged_p"] == 0.063
    assert at_95["ci"] == [-0.3, 4.7] and at_90["ci"] == [0.2, 4.2]
    assert at_95["sentence"] == (
        "Programme participants gained 2.2 more cross-unit advice ties than the comparison group "
        "(likely range -0.30 to 4.7, 95% CI; p = 0.063); a difference this size could well be chance."
    )
    assert at_90["sentence"] == (
        "Programme participants gained 2.2 more cross-unit advice ties than the comparison group "
        "(likely range 0.20 to 4.2, 90% CI; p = 0.063); unlikely to be chance."
    )
