"""Person-level centrality: hand-worked fixtures, Krackhardt against networkx, degenerate graphs."""

from __future__ import annotations

import igraph as ig
import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pajek_data import krackhardt_graph

from leadnet.errors import ConfigError, InputError
from leadnet.metrics.centrality import (
    CENTRALITY_COLUMNS,
    CentralityMethod,
    betweenness,
    centrality,
    distance_from_strength,
)


def krackhardt(relation: int) -> ig.Graph:
    """One relation of Krackhardt's high-tech managers (see tests/metrics/pajek_data.py)."""
    return krackhardt_graph(relation)


def graph_of(n: int, arcs: list[tuple[int, int]], weights: list[float] | None = None) -> ig.Graph:
    graph = ig.Graph(n=n, edges=arcs, directed=True)
    graph.vs["name"] = [chr(ord("a") + i) for i in range(n)]
    graph.es["weight"] = weights if weights is not None else [1.0] * len(arcs)
    return graph


# --- distance = 1 / strength -------------------------------------------------------------


def test_distance_from_strength_is_the_reciprocal_of_strength():
    assert distance_from_strength(np.array([1.0, 4.0, 0.5, 10.0])).tolist() == [1.0, 0.25, 2.0, 0.1]


@pytest.mark.parametrize(
    ("weights", "found"),
    [
        ([1.0, 0.0], "0.0 at tie 1"),
        ([-2.0, 1.0], "-2.0 at tie 0"),
        ([1.0, 1.0, np.inf], "inf at tie 2"),
        ([np.nan], "nan at tie 0"),
    ],
)
def test_distance_from_strength_rejects_strengths_that_are_not_positive_and_finite(weights, found):
    with pytest.raises(InputError) as caught:
        distance_from_strength(np.array(weights))
    assert str(caught.value) == (
        "tie weights must be finite strengths greater than 0. Got 1 invalid value(s) instead "
        f"(first: {found}); drop ties of zero strength before building the graph."
    )


def test_centrality_rejects_a_graph_with_a_zero_strength_tie():
    with pytest.raises(InputError, match=r"Got 1 invalid value\(s\) instead \(first: 0.0 at tie 1\)"):
        centrality(graph_of(3, [(0, 1), (1, 2)], [1.0, 0.0]))


# --- hand-worked fixtures ------------------------------------------------------------------


def test_table_has_the_contract_columns_in_vertex_order():
    table = centrality(graph_of(3, [(0, 1), (1, 2)])).table
    assert tuple(table.columns) == CENTRALITY_COLUMNS
    assert table["person_id"].tolist() == ["a", "b", "c"]


def test_degree_and_strength_on_four_people():
    # a→b (2), a→c (1), b→c (3), d→a (0.5)
    graph = graph_of(4, [(0, 1), (0, 2), (1, 2), (3, 0)], [2.0, 1.0, 3.0, 0.5])
    table = centrality(graph).table
    assert table["in_degree"].tolist() == [1, 1, 2, 0]
    assert table["out_degree"].tolist() == [2, 1, 0, 1]
    assert table["in_strength"].tolist() == [0.5, 2.0, 4.0, 0.0]
    assert table["out_strength"].tolist() == [3.0, 3.0, 0.0, 0.5]
    assert table["in_degree"].dtype == np.int64


def test_betweenness_of_the_middle_of_a_directed_path_is_one_pair_of_two():
    # a→b→c: b is on the only a→c path; (3-1)(3-2) = 2 ordered pairs of others → 1/2
    table = centrality(graph_of(3, [(0, 1), (1, 2)])).table
    assert table["betweenness"].tolist() == [0.0, 0.5, 0.0]


def test_betweenness_takes_the_strong_indirect_path_over_the_weak_direct_tie():
    # a→c strength 1 (length 1); a→b, b→c strength 4 (length 0.25 each, 0.5 in all) → a→c runs via b
    graph = graph_of(3, [(0, 2), (0, 1), (1, 2)], [1.0, 4.0, 4.0])
    assert centrality(graph).table["betweenness"].tolist() == [0.0, 0.5, 0.0]
    # with weights read as lengths the direct tie would win and b would broker nothing
    assert graph.betweenness(weights="weight") == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("mutual", [False, True], ids=["one-way", "mutual"])
def test_centre_of_a_four_leaf_star_has_effective_size_4_and_constraint_a_quarter(mutual):
    # each leaf is 1/4 of the centre's ties, none tied to another: constraint 4 × (1/4)² = 0.25,
    # effective size 4 − 2·0/4 = 4; a leaf has one contact: constraint 1, effective size 1
    arcs = [(leaf, 0) for leaf in range(1, 5)]
    arcs += [(0, leaf) for leaf in range(1, 5)] if mutual else []
    table = centrality(graph_of(5, arcs)).table
    assert table["constraint"].tolist() == pytest.approx([0.25, 1.0, 1.0, 1.0, 1.0])
    assert table["effective_size"].tolist() == [4.0, 1.0, 1.0, 1.0, 1.0]


def test_effective_size_subtracts_redundant_contacts():
    # a has contacts b, c, d; b–c tied: 3 − 2·1/3 = 7/3. b: contacts a, c tied: 2 − 2·1/2 = 1
    table = centrality(graph_of(4, [(0, 1), (1, 2), (2, 0), (3, 0)])).table
    assert table["effective_size"].tolist() == pytest.approx([7 / 3, 1.0, 1.0, 1.0])


def test_pagerank_sums_to_one_and_favours_the_most_sought_after():
    graph = graph_of(4, [(0, 1), (0, 2), (1, 2), (3, 0)], [2.0, 1.0, 3.0, 0.5])
    pagerank = centrality(graph).table["pagerank"]
    assert pagerank.sum() == pytest.approx(1.0)
    assert pagerank.idxmax() == 2


def test_pagerank_follows_tie_strength():
    # a splits its vote between b (strength 3) and c (strength 1): b ranks above c
    pagerank = centrality(graph_of(3, [(0, 1), (0, 2)], [3.0, 1.0])).table["pagerank"].tolist()
    assert pagerank[1] > pagerank[2]


def test_isolates_have_undefined_constraint_and_effective_size():
    table = centrality(graph_of(3, [(0, 1)])).table
    assert np.isnan(table.loc[2, "constraint"]) and np.isnan(table.loc[2, "effective_size"])
    assert table.loc[2, "betweenness"] == 0.0


# --- method and parameters -----------------------------------------------------------------


def test_small_graphs_get_exact_betweenness_and_the_method_says_so():
    assert centrality(graph_of(3, [(0, 1)]), damping=0.9).method == CentralityMethod("exact", None, 0.9)


def test_large_graphs_get_betweenness_sampled_from_seeded_pivots():
    graph = krackhardt(1)
    first = centrality(graph, betweenness_cutoff_n=10, pivots=5, seed=3)
    again = centrality(graph, betweenness_cutoff_n=10, pivots=5, seed=3)
    assert first.method == CentralityMethod("sampled", 5, 0.85, 3)
    assert first.table.equals(again.table)
    assert not first.table["betweenness"].equals(centrality(graph).table["betweenness"])


def test_sampled_betweenness_averages_to_the_exact_score_over_single_pivots():
    graph = krackhardt(1)
    exact = betweenness(graph)
    singles = np.mean([betweenness(graph, np.array([s])) for s in range(graph.vcount())], axis=0)
    np.testing.assert_allclose(singles, exact, atol=1e-12)


def test_centrality_rejects_an_undirected_graph():
    with pytest.raises(InputError) as caught:
        centrality(ig.Graph(n=3, edges=[(0, 1)]))
    assert str(caught.value) == (
        "graph must be directed. Got an undirected graph instead; "
        "use Snapshot.to_igraph() or graph.as_directed()."
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"damping": 1.0}, "damping must be between 0 and 1 (both excluded). Got 1.0 instead."),
        ({"pivots": 0}, "pivots must be at least 1. Got 0 instead."),
        ({"betweenness_cutoff_n": -1}, "betweenness_cutoff_n must be 0 or more. Got -1 instead."),
    ],
)
def test_centrality_rejects_bad_parameters(options, message):
    with pytest.raises(ConfigError) as caught:
        centrality(graph_of(2, [(0, 1)]), **options)
    assert str(caught.value) == message


# --- Krackhardt's high-tech managers (advice) ----------------------------------------------


def test_krackhardt_advice_matches_the_reference_values():
    table = centrality(krackhardt(1)).table.set_index("person_id")
    assert table.loc["2", "in_degree"] == 18
    assert table.loc[["18", "21", "1", "7"], "in_degree"].tolist() == [15, 15, 13, 13]
    # directed normalised betweenness, PROVENANCE.md cross-check values (networkx)
    assert table.loc[["18", "21", "7"], "betweenness"].round(3).tolist() == [0.234, 0.158, 0.073]


@pytest.mark.parametrize("relation", [1, 2], ids=["advice", "friendship"])
def test_krackhardt_scores_agree_with_networkx(relation):
    graph = krackhardt(relation)
    table = centrality(graph).table
    reference = nx.DiGraph()
    reference.add_nodes_from(graph.vs["name"])
    reference.add_edges_from((graph.vs[e.source]["name"], graph.vs[e.target]["name"]) for e in graph.es)
    names = graph.vs["name"]
    expected_betweenness = nx.betweenness_centrality(reference, normalized=True)
    expected_pagerank = nx.pagerank(reference, alpha=0.85, tol=1e-12)
    expected_constraint = nx.constraint(reference)
    expected_size = nx.effective_size(reference.to_undirected())
    np.testing.assert_allclose(table["betweenness"], [expected_betweenness[v] for v in names], atol=1e-12)
    np.testing.assert_allclose(table["pagerank"], [expected_pagerank[v] for v in names], atol=1e-8)
    np.testing.assert_allclose(table["constraint"], [expected_constraint[v] for v in names], atol=1e-12)
    np.testing.assert_allclose(table["effective_size"], [expected_size[v] for v in names], atol=1e-12)


# --- properties and degenerate graphs ------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    st.integers(min_value=1, max_value=8).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda t: t[0] != t[1])),
            st.permutations(range(n)),
        )
    )
)
def test_renumbering_people_changes_no_score(case):
    n, arcs, order = case
    arcs = sorted(arcs)
    weights = [1.0 + (3 * s + t) % 4 for s, t in arcs]
    original = centrality(graph_of(n, arcs, weights)).table.set_index("person_id")
    moved = ig.Graph(n=n, edges=[(order[s], order[t]) for s, t in arcs], directed=True)
    moved.vs["name"] = [chr(ord("a") + order.index(i)) for i in range(n)]
    moved.es["weight"] = weights
    renumbered = centrality(moved).table.set_index("person_id").loc[original.index]
    np.testing.assert_allclose(renumbered.to_numpy(float), original.to_numpy(float), atol=1e-9)


DEGENERATE = {
    "empty": (0, []),
    "one person": (1, []),
    "no ties": (3, []),
    "two people": (2, [(0, 1)]),
    "star": (5, [(1, 0), (2, 0), (3, 0), (4, 0)]),
    "disconnected": (4, [(0, 1), (2, 3)]),
}


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize(("n", "arcs"), DEGENERATE.values(), ids=DEGENERATE.keys())
def test_degenerate_graphs_give_a_full_table_without_errors_or_warnings(n, arcs):
    result = centrality(graph_of(n, arcs))
    table = result.table
    assert tuple(table.columns) == CENTRALITY_COLUMNS
    assert len(table) == n
    assert result.method.betweenness == "exact"
    if n:
        assert table["pagerank"].sum() == pytest.approx(1.0)
    isolated = (table["in_degree"] + table["out_degree"]) == 0
    assert table.loc[isolated, ["constraint", "effective_size"]].isna().all().all()
    assert table.loc[~isolated, ["constraint", "effective_size"]].notna().all().all()
    assert table.drop(columns=["constraint", "effective_size"]).notna().all().all()


@pytest.mark.filterwarnings("error")
def test_a_graph_without_weight_or_name_attributes_gets_unit_strengths_and_index_ids():
    table = centrality(ig.Graph(n=3, edges=[(0, 1), (1, 2)], directed=True)).table
    assert table["person_id"].tolist() == ["0", "1", "2"]
    assert table["in_strength"].tolist() == [0.0, 1.0, 1.0]
