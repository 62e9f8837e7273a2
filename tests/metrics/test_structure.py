"""Network-level figures: hand-worked fixtures, published Krackhardt values, degenerate graphs."""

from __future__ import annotations

import json

import igraph as ig
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pajek_data import krackhardt_graph

from leadnet.errors import InputError
from leadnet.metrics.structure import (
    FIGURE_KEYS,
    DyadCensus,
    centralization_in_degree,
    coefficient_of_variation,
    density,
    dyad_census,
    gini,
    network_figures,
    reciprocity,
)


def krackhardt(relation: int) -> ig.Graph:
    """One relation of Krackhardt's high-tech managers (see tests/metrics/pajek_data.py)."""
    return krackhardt_graph(relation)


def graph_of(n: int, arcs: list[tuple[int, int]]) -> ig.Graph:
    return ig.Graph(n=n, edges=arcs, directed=True)


def star(n: int) -> ig.Graph:
    """Everyone else asks person 0."""
    return graph_of(n, [(i, 0) for i in range(1, n)])


def cycle(n: int) -> ig.Graph:
    return graph_of(n, [(i, (i + 1) % n) for i in range(n)])


# --- hand-worked fixtures ------------------------------------------------------------------


def test_density_is_ties_over_ordered_pairs():
    assert density(cycle(3)) == 0.5  # 3 of 3·2
    assert density(star(5)) == 4 / 20
    assert density(graph_of(2, [])) == 0.0


def test_dyad_census_and_reciprocity_count_pairs_not_ties():
    # a⇄b, b→c, c→d, d→c (c⇄d), a,c / a,d / b,d null
    graph = graph_of(4, [(0, 1), (1, 0), (1, 2), (2, 3), (3, 2)])
    assert dyad_census(graph) == DyadCensus(mutual=2, asymmetric=1, null=3)
    assert reciprocity(graph) == 2 / 3


def test_reciprocity_is_zero_for_a_one_way_cycle_and_one_when_all_ties_return():
    assert reciprocity(cycle(4)) == 0.0
    assert reciprocity(graph_of(2, [(0, 1), (1, 0)])) == 1.0


@pytest.mark.parametrize("n", [2, 3, 5, 10])
def test_in_degree_centralisation_is_one_for_a_star_and_zero_for_a_cycle(n):
    assert centralization_in_degree(star(n)) == 1.0
    assert centralization_in_degree(cycle(n)) == 0.0


def test_in_degree_centralisation_of_an_uneven_network():
    # in-degrees 2, 1, 0: Σ(2 − d) = 0 + 1 + 2 = 3 over (3 − 1)² = 4
    assert centralization_in_degree(graph_of(3, [(1, 0), (2, 0), (0, 1)])) == 0.75


@pytest.mark.parametrize("n", [2, 3, 5, 21])
def test_gini_of_a_star_in_degree_is_n_minus_one_over_n(n):
    assert gini(np.array(star(n).indegree())) == pytest.approx((n - 1) / n)
    assert gini(np.array(cycle(n).indegree())) == 0.0


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=30))
def test_gini_is_the_mean_absolute_difference_over_twice_the_mean(values):
    x = np.array(values, dtype=float)
    expected = None if x.sum() == 0 else np.abs(x[:, None] - x[None, :]).mean() / (2 * x.mean())
    assert gini(x) == pytest.approx(expected)


def test_coefficient_of_variation_uses_the_population_standard_deviation():
    assert coefficient_of_variation(np.array([1, 3])) == 0.5  # sd 1, mean 2
    assert coefficient_of_variation(np.array(star(5).indegree())) == pytest.approx(2.0)  # sd 1.6, mean 0.8


@pytest.mark.parametrize("measure", [gini, coefficient_of_variation])
def test_inequality_is_undefined_without_values_or_when_all_are_zero(measure):
    assert measure(np.array([])) is None
    assert measure(np.zeros(4)) is None


def test_gini_rejects_negative_values():
    with pytest.raises(InputError) as caught:
        gini(np.array([1.0, -2.0, -3.0]))
    assert (
        str(caught.value) == "gini needs finite values of 0 or more. Got -2.0 (2 invalid value(s)) instead."
    )


# --- Krackhardt's high-tech managers -------------------------------------------------------


def test_krackhardt_advice_matches_published_dyad_figures():
    # Rawlings et al. (2023) ch. 7, R sna: grecip(dyadic.nonnull) = 0.31034; census M 45, A 100, N 65
    figures = network_figures(krackhardt(1))
    assert (figures.n_people, figures.n_ties) == (21, 190)
    assert figures.dyad_census == DyadCensus(45, 100, 65)
    assert figures.reciprocity == pytest.approx(45 / 145)
    assert round(figures.reciprocity, 5) == 0.31034
    assert figures.density == pytest.approx(190 / 420)


def test_krackhardt_friendship_matches_published_dyad_figures():
    # Rawlings et al. (2023) ch. 7: Mut 23, Asym 56, Null 131; dyadic.nonnull 0.29114
    figures = network_figures(krackhardt(2))
    assert figures.dyad_census == DyadCensus(23, 56, 131)
    assert round(figures.reciprocity, 5) == 0.29114
    assert figures.density == pytest.approx(102 / 420)


def test_krackhardt_advice_in_degree_centralisation_by_hand():
    # max in-degree 18 (person 2); Σ(18 − dᵢ) = 21·18 − 190 = 188 over 20² = 400
    assert centralization_in_degree(krackhardt(1)) == pytest.approx(188 / 400)


# --- bundle, JSON and degenerate graphs ----------------------------------------------------


def test_to_dict_has_the_summary_keys_and_is_json_ready():
    data = network_figures(star(4)).to_dict()
    assert list(data) == [*FIGURE_KEYS, "reasons"]
    assert data["dyad_census"] == {"mutual": 0, "asymmetric": 3, "null": 3}
    assert json.loads(json.dumps(data)) == data
    assert data["gini_in_degree"] == 0.75
    assert data["reasons"] == {}


DEGENERATE = {
    "empty": (
        graph_of(0, []),
        {
            "density": "fewer than 2 people",
            "reciprocity": "no ties",
            "centralization_in_degree": "fewer than 2 people",
            "gini_in_degree": "no people",
            "cv_in_degree": "no people",
        },
    ),
    "one person": (
        graph_of(1, []),
        {
            "density": "fewer than 2 people",
            "reciprocity": "no ties",
            "centralization_in_degree": "fewer than 2 people",
            "gini_in_degree": "no ties, every in-degree is 0",
            "cv_in_degree": "no ties, mean in-degree is 0",
        },
    ),
    "no ties": (
        graph_of(3, []),
        {
            "reciprocity": "no ties",
            "gini_in_degree": "no ties, every in-degree is 0",
            "cv_in_degree": "no ties, mean in-degree is 0",
        },
    ),
    "two people": (graph_of(2, [(0, 1)]), {}),
    "star": (star(5), {}),
    "disconnected": (graph_of(4, [(0, 1), (2, 3)]), {}),
}


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize(("graph", "reasons"), DEGENERATE.values(), ids=DEGENERATE.keys())
def test_degenerate_graphs_give_none_with_a_reason_and_never_fail(graph, reasons):
    data = network_figures(graph).to_dict()
    assert data["reasons"] == reasons
    assert {key for key in FIGURE_KEYS if data[key] is None} == set(reasons)
    census = data["dyad_census"]
    n = graph.vcount()
    assert census["mutual"] + census["asymmetric"] + census["null"] == n * (n - 1) // 2
    json.dumps(data, allow_nan=False)
