"""QAP correlation, group-difference permutation tests and their intervals (leadnet.permutation)."""

from dataclasses import replace
from itertools import combinations, permutations

import numpy as np
import pytest

from leadnet import permutation, permutation_counts, silos
from leadnet.errors import ConfigError, InputError
from leadnet.permutation import difference_test, people_scaled_permutations, qap_correlation


def random_arcs(rng: np.random.Generator, n: int, p: float) -> np.ndarray:
    adj = rng.random((n, n)) < p
    np.fill_diagonal(adj, False)
    return np.argwhere(adj)


def dense(arcs: np.ndarray, n: int) -> np.ndarray:
    adj = np.zeros((n, n))
    adj[arcs[:, 0], arcs[:, 1]] = 1
    return adj


def off_diagonal(adj: np.ndarray) -> np.ndarray:
    return adj[~np.eye(len(adj), dtype=bool)]


def test_people_scaled_permutations_keeps_the_request_up_to_20000_people_then_shrinks() -> None:
    assert people_scaled_permutations(10_000, 20_000) == 10_000
    assert people_scaled_permutations(10_000, 40_000) == 5_000
    assert people_scaled_permutations(10_000, 1_000_000) == 1_000
    assert people_scaled_permutations(500, 1_000_000) == 500


def test_the_two_permutation_counts_have_names_that_say_their_rules() -> None:
    # One name, adaptive_permutations, stood for two rules: silos' (E-I, work per permutation in
    # proportion to people + ties) and permutation_counts' (a comparison's, in proportion to people).
    # At 100,000 people and a million ties they give 1,800 and 2,000; each is recorded with its p-values.
    assert not hasattr(silos, "adaptive_permutations") and not hasattr(permutation, "adaptive_permutations")
    assert silos.budgeted_permutations(10_000, 100_000, 1_000_000) == 1_800  # 2e9 // 1.1e6, to 100s
    assert silos.budgeted_permutations(10_000, 100_000, 0) == 10_000  # the ties count: 1e9 fits
    assert people_scaled_permutations(10_000, 100_000) == 2_000  # 10,000 x 20,000 / 100,000
    assert permutation.people_scaled_permutations is permutation_counts.people_scaled_permutations


def test_people_scaled_permutations_refuses_zero() -> None:
    with pytest.raises(ConfigError, match=r"^permutations must be at least 1. Got 0 instead.$"):
        people_scaled_permutations(0, 10)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_qap_r_equals_numpy_corrcoef_over_off_diagonal_cells(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 30
    x, y = random_arcs(rng, n, 0.2), random_arcs(rng, n, 0.3)
    expected = np.corrcoef(off_diagonal(dense(x, n)), off_diagonal(dense(y, n)))[0, 1]
    result = qap_correlation(x, y, n, permutations=99, seed=0)
    assert result.r == pytest.approx(expected, abs=1e-12)


def exact_qap_p(x: np.ndarray, y: np.ndarray, n: int) -> tuple[float, float]:
    """One-sided and two-sided p over all n! relabellings of Y (a slow, independent check)."""
    ax, ay = off_diagonal(dense(x, n)), dense(y, n)
    observed = np.corrcoef(ax, off_diagonal(ay))[0, 1]
    rs = np.array([np.corrcoef(ax, off_diagonal(ay[np.ix_(p, p)]))[0, 1] for p in permutations(range(n))])
    return float(np.mean(rs >= observed - 1e-12)), float(np.mean(np.abs(rs) >= abs(observed) - 1e-12))


def test_qap_p_value_approaches_the_exact_permutation_distribution() -> None:
    rng = np.random.default_rng(5)
    n = 6
    x = random_arcs(rng, n, 0.4)
    y = np.unique(np.vstack([x[: len(x) // 2 + 2], random_arcs(rng, n, 0.2)]), axis=0)
    exact_one, exact_two = exact_qap_p(x, y, n)
    result = qap_correlation(x, y, n, permutations=20_000, seed=0)
    assert result.p_value == pytest.approx(exact_one, abs=0.01)
    assert result.p_two_sided == pytest.approx(exact_two, abs=0.01)


def test_qap_of_a_network_with_itself_is_r_1_and_p_tiny() -> None:
    rng = np.random.default_rng(0)
    x = random_arcs(rng, 25, 0.15)
    result = qap_correlation(x, x, 25, permutations=999, seed=0)
    assert result.r == pytest.approx(1.0)
    assert result.p_value == pytest.approx(1 / 1000)


def test_qap_binary_search_lookup_gives_the_bitmap_lookup_result(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(2)
    x, y = random_arcs(rng, 40, 0.1), random_arcs(rng, 40, 0.1)
    bitmap_result = qap_correlation(x, y, 40, permutations=300, seed=1)
    monkeypatch.setattr(permutation, "BITMAP_CELLS", 0)
    assert qap_correlation(x, y, 40, permutations=300, seed=1) == bitmap_result


def test_qap_is_deterministic_for_a_seed() -> None:
    rng = np.random.default_rng(1)
    x, y = random_arcs(rng, 12, 0.3), random_arcs(rng, 12, 0.3)
    first = qap_correlation(x, y, 12, permutations=500, seed=7)
    assert first == qap_correlation(x, y, 12, permutations=500, seed=7)


def test_qap_is_none_with_a_reason_when_a_network_is_empty() -> None:
    result = qap_correlation(np.array([(0, 1)]), np.empty((0, 2), int), 4, permutations=10, seed=0)
    assert (result.r, result.p_value, result.reason) == (
        None,
        None,
        "a network has no ties (or every tie), so no variance",
    )


def test_qap_refuses_self_ties() -> None:
    with pytest.raises(InputError, match=r"^`x_arcs` must hold arcs between distinct people 0..3"):
        qap_correlation(np.array([(1, 1)]), np.array([(0, 1)]), 4)


def test_difference_test_worked_example() -> None:
    # Treated changes 3, 4, 5 (mean 4); controls 0, 1, 2 (mean 1). Of the C(6,3) = 20 equally
    # likely labellings only this one and its mirror reach |difference| 3: exact p = 2/20.
    res = difference_test(
        np.array([3.0, 4, 5, 0, 1, 2]), np.array([1, 1, 1, 0, 0, 0], bool), permutations=20_000, seed=0
    )
    assert (res.treated_mean, res.control_mean, res.difference) == (4.0, 1.0, 3.0)
    assert res.p_value == pytest.approx(0.1, abs=0.006)
    # Whatever the shift, the labelling itself and its mirror stay as extreme: p(δ) ≥ 2/20 for
    # every δ, so no 95% interval exists (a bootstrap would still print one).
    assert (res.ci_low, res.ci_high) == (None, None)
    assert res.ci_reason == "the groups are too small to bound the difference at 95% confidence"


def test_the_interval_is_every_shift_the_test_does_not_reject() -> None:
    # Checked through the p-value itself: the same seed draws the same relabellings, so
    # shifting the treated values by δ and testing again gives p(δ). At both bounds the
    # test does not reject (p ≥ 0.05); a hair outside it does.
    rng = np.random.default_rng(11)
    for trial in range(20):
        n_t, n_c = rng.integers(5, 12, size=2)
        values = rng.poisson(2.0, size=n_t + n_c).astype(float) + (np.arange(n_t + n_c) < n_t)
        treated = np.arange(n_t + n_c) < n_t
        res = difference_test(values, treated, permutations=999, seed=trial)
        assert res.ci_low is not None and res.ci_high is not None
        assert res.ci_low <= res.difference <= res.ci_high
        for delta, inside in ((res.ci_low, True), (res.ci_high, True),
                              (res.ci_low - 1e-6, False), (res.ci_high + 1e-6, False)):  # fmt: skip
            shifted = difference_test(values - delta * treated, treated, permutations=999, seed=trial)
            assert (shifted.p_value >= 0.05) is inside, (trial, delta, shifted.p_value)
        assert (res.ci_low <= 0 <= res.ci_high) is (res.p_value >= 0.05)


def test_the_interval_covers_a_planted_shift_at_the_privacy_floor() -> None:
    # 5 against 5 skewed (Poisson) changes, the cohort moved by +1: the 95% interval must hold
    # +1 in about 95% of 400 draws. The percentile bootstrap it replaced missed 12.8% at this
    # size (a reviewer's simulation; normal data, no effect).
    rng = np.random.default_rng(2026)
    treated = np.arange(10) < 5
    missed = 0
    for trial in range(400):
        values = rng.poisson(1.5, size=10) + 1.0 * treated
        res = difference_test(values, treated, permutations=499, seed=trial)
        missed += not (res.ci_low <= 1.0 <= res.ci_high)
    assert missed / 400 <= 0.075


def test_too_few_permutations_give_no_interval() -> None:
    res = difference_test(np.arange(20.0), np.arange(20) < 10, permutations=19, seed=0)
    assert (res.ci_low, res.ci_high) == (None, None)
    assert res.ci_reason == "needs at least 20 permutations for a 95% interval"
    assert difference_test(np.arange(20.0), np.arange(20) < 10, permutations=20, seed=0).ci_low is not None


def test_difference_test_p_is_1_when_nothing_changed() -> None:
    res = difference_test(np.zeros(12), np.arange(12) < 6, permutations=999, seed=0)
    assert (res.difference, res.p_value, res.ci_low, res.ci_high) == (0.0, 1.0, 0.0, 0.0)


def test_difference_test_p_values_are_counts_over_permutations_plus_one() -> None:
    res = difference_test(np.arange(10.0), np.arange(10) < 5, permutations=9, seed=3)
    assert res.p_value * 10 == pytest.approx(round(res.p_value * 10))
    assert res.p_value >= 0.1


def test_strata_that_never_hold_both_groups_are_refused() -> None:
    # All treated people are in stratum A, all controls in B: within strata there is nothing to compare.
    values = np.array([5.0, 6, 7, 0, 1, 2])
    treated = np.array([1, 1, 1, 0, 0, 0], bool)
    with pytest.raises(InputError) as info:
        difference_test(values, treated, strata=np.array(list("AAABBB")), permutations=500, seed=0)
    assert str(info.value) == (
        "strata must put people of both groups together in at least one stratum. Got 2 strata, each "
        "holding one group only; pass strata=None to compare across strata"
    )
    unstratified = difference_test(values, treated, permutations=2000, seed=0)
    assert unstratified.p_value < 0.15


def test_stratified_difference_worked_example() -> None:
    # Stratum A (2 people, weight 2/6): treated 5, control 1, a difference of 4. Stratum B (4 people,
    # weight 4/6): treated 3 and 1, controls 0 and 0, a difference of 2. Stratum C holds two controls
    # only and is left out. Stratified difference: 4·2/6 + 2·4/6 = 8/3; treated mean 5/3 + 2·2/3 = 3,
    # control mean 1/3 + 0 (the pooled difference of means would be 3 − 19/5 = −0.8).
    values = np.array([5.0, 1, 3, 1, 0, 0, 9, 9])
    treated = np.array([1, 0, 1, 1, 0, 0, 0, 0], bool)
    res = difference_test(values, treated, strata=np.array(list("AABBBBCC")), permutations=20_000, seed=0)
    assert (res.treated_mean, res.control_mean, res.difference) == pytest.approx((3, 1 / 3, 8 / 3))
    assert (res.one_group_strata, res.n_in_one_group_strata) == (1, 2)
    # The 2 x 6 equally likely relabellings: A gives ±4; B's treated pair {3,1}, {3,0} twice, {1,0}
    # twice, {0,0} gives 2, 1, 1, −1, −1, −2. Of the twelve weighted sums ±4/3 + 2/3·(that), only
    # the labelling itself (8/3) and its mirror (−8/3) reach |8/3|: exact p = 2/12.
    assert res.p_value == pytest.approx(1 / 6, abs=0.01)
    # The labelling and its mirror stay as extreme whatever the shift: no 95% interval.
    assert res.ci_reason == "the groups are too small to bound the difference at 95% confidence"


def test_strata_of_one_group_change_nothing_but_the_counts() -> None:
    rng = np.random.default_rng(3)
    values, treated = rng.normal(size=30), rng.random(30) < 0.4
    strata = rng.choice(list("ABCD"), size=30)
    strata[treated & (strata == "D")] = "A"  # D holds controls only
    res = difference_test(values, treated, strata=strata, permutations=499, seed=1)
    kept = strata != "D"
    alone = difference_test(values[kept], treated[kept], strata=strata[kept], permutations=499, seed=1)
    assert res == replace(alone, one_group_strata=1, n_in_one_group_strata=int((~kept).sum()))


def test_the_stratified_interval_is_every_shift_the_test_does_not_reject() -> None:
    # As for the difference of means: the same seed draws the same relabellings, so shifting the
    # treated values by δ and testing again gives p(δ); the stratified difference moves by exactly δ.
    rng = np.random.default_rng(12)
    for trial in range(20):
        m = int(rng.integers(16, 40))
        strata = rng.choice(list("ABC"), size=m, p=[0.2, 0.3, 0.5])
        treated = rng.random(m) < 0.4
        values = rng.poisson(2.0, size=m) + 3.0 * (strata == "A") + 1.0 * treated
        res = difference_test(values, treated, strata=strata, permutations=999, seed=trial)
        assert res.ci_low is not None and res.ci_high is not None, trial
        assert res.ci_low <= res.difference <= res.ci_high
        for delta, inside in ((res.ci_low, True), (res.ci_high, True),
                              (res.ci_low - 1e-6, False), (res.ci_high + 1e-6, False)):  # fmt: skip
            shifted = difference_test(values - delta * treated, treated, strata=strata, permutations=999,
                                      seed=trial)  # fmt: skip
            assert shifted.difference == pytest.approx(res.difference - delta, abs=1e-9)
            assert (shifted.p_value >= 0.05) is inside, (trial, delta, shifted.p_value)
        assert (res.ci_low <= 0 <= res.ci_high) is (res.p_value >= 0.05)


def test_within_strata_shuffle_matches_exact_enumeration() -> None:
    # Two strata of 4 (2 treated each): 6 x 6 = 36 equally likely labellings.
    values = np.array([4.0, 3, 0, 1, 2, 5, 0, 1])
    treated = np.array([1, 1, 0, 0, 1, 1, 0, 0], bool)
    strata = np.array(list("AAAABBBB"))
    observed = values[treated].mean() - values[~treated].mean()
    diffs = []
    for a in combinations(range(4), 2):
        for b in combinations(range(4, 8), 2):
            mask = np.zeros(8, bool)
            mask[list(a) + list(b)] = True
            diffs.append(values[mask].mean() - values[~mask].mean())
    exact = np.mean(np.abs(diffs) >= abs(observed) - 1e-12)
    res = difference_test(values, treated, strata=strata, permutations=20_000, seed=0)
    assert res.p_value == pytest.approx(exact, abs=0.01)


def test_negating_the_values_flips_the_difference_and_the_interval() -> None:
    rng = np.random.default_rng(0)
    values, treated = rng.normal(size=40), np.arange(40) < 15
    res = difference_test(values, treated, permutations=999, seed=4)
    neg = difference_test(-values, treated, permutations=999, seed=4)
    assert neg.difference == pytest.approx(-res.difference)
    assert (neg.ci_low, neg.ci_high) == pytest.approx((-res.ci_high, -res.ci_low))
    assert neg.p_value == res.p_value


def test_difference_test_needs_both_groups() -> None:
    with pytest.raises(InputError, match=r"^both groups need at least one person$"):
        difference_test(np.ones(4), np.ones(4, bool))


def test_a_bound_that_is_0_up_to_rounding_is_0_so_interval_and_p_agree() -> None:
    # A reviewer's case: the exact lower bound is 0, rounding gave 1e-16, and the interval left out
    # 0 while p = 0.105 said the difference could be chance.
    values = np.array([0.7, 0.2, 0.3, 0.1, 0.7, 0.7, 0.2, 0.3])
    res = difference_test(values, np.array([1, 0, 1, 0, 1, 1, 1, 0], bool), permutations=999, seed=0)
    assert res.ci_low == 0.0 and res.p_value >= 0.05
    flat = difference_test(np.full(11, 0.1), np.arange(11) < 4, permutations=999, seed=0)
    assert (flat.ci_low, flat.ci_high, flat.p_value) == (0.0, 0.0, 1.0)
