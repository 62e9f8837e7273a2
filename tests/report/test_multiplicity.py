"""Serial gatekeeping then Holm: which p-value each of the five DiDs is judged on."""

import json
import subprocess
import sys
from typing import Any

from leadnet import group_differences, multiple_testing
from leadnet.report import multiplicity
from leadnet.report.multiplicity import Judgement, judgements


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

# A report read at a level set before it was imported (the level is taken once, at import): the
# primary DiD of 12 stayers whose cohort gained 2.2 more ties, its interval, verdict and sentence.
AT_LEVEL = """
import json, sys
import numpy as np
from leadnet import group_differences
group_differences.CONFIDENCE = float(sys.argv[1])
from leadnet.report import findings, multiplicity
values = np.array([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5], dtype=float)
values[:6] += 2.2
res = group_differences.difference_test(values, np.arange(12) < 6, permutations=999, seed=0)
effect = {"did": res.difference, "ci_low": res.ci_low, "ci_high": res.ci_high, "p_value": res.p_value}
judged = multiplicity.judgements({multiplicity.PRIMARY: effect})[multiplicity.PRIMARY]
print(json.dumps({"significance": multiplicity.SIGNIFICANCE, "p": res.p_value,
                  "ci": [round(res.ci_low, 6), round(res.ci_high, 6)], "judged_p": judged.p,
                  "sentence": findings.did_sentence(multiplicity.PRIMARY, effect, judgement=judged)}))
"""


def report_at_level(confidence: float) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", AT_LEVEL, str(confidence)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_verdicts_are_read_at_one_minus_the_intervals_level() -> None:
    # Set apart, CONFIDENCE = 0.9 left the verdicts at 0.05.
    assert report_at_level(0.9)["significance"] == 0.1
    assert round(1 - group_differences.CONFIDENCE, 9) == multiplicity.SIGNIFICANCE
    assert multiplicity.SIGNIFICANCE == group_differences.significance_level() == 0.05


def test_a_verdict_and_its_interval_move_together_when_the_level_changes() -> None:
    # p = 0.063: the 95% interval holds 0 and the verdict is chance; at 90% the interval leaves out 0,
    # and the verdict must call it a difference. With SIGNIFICANCE set apart at 0.05, the 90% report
    # printed "(90% CI 0.20 to 4.2; p = 0.063); a difference this size could well be chance."
    at_95, at_90 = report_at_level(0.95), report_at_level(0.9)
    assert at_95["p"] == at_90["p"] == at_95["judged_p"] == 0.063
    assert at_95["ci"] == [-0.3, 4.7] and at_90["ci"] == [0.2, 4.2]
    assert at_95["sentence"] == (
        "Programme participants gained 2.2 more cross-unit advice ties than the comparison group "
        "(95% CI -0.30 to 4.7; p = 0.063); a difference this size could well be chance."
    )
    assert at_90["sentence"] == (
        "Programme participants gained 2.2 more cross-unit advice ties than the comparison group "
        "(90% CI 0.20 to 4.2; p = 0.063)."
    )
