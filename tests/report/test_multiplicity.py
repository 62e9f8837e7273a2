"""Serial gatekeeping then Holm: which p-value each of the five DiDs is judged on."""

from leadnet import multiple_testing
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
