import gc

import igraph as ig
import numpy as np
import pytest

from leadnet import edges
from leadnet.edges import edge_array


def test_the_array_is_the_edge_list_in_edge_order_and_cannot_be_changed() -> None:
    g = ig.Graph(n=4, edges=[(2, 3), (0, 1), (1, 1), (3, 0)], directed=True)
    array = edge_array(g)
    assert array.tolist() == [list(e) for e in g.get_edgelist()]
    with pytest.raises(ValueError, match="read-only"):
        array[0, 0] = 1


def test_a_graph_is_converted_once_and_its_array_goes_with_it() -> None:
    g = ig.Graph(n=3, edges=[(0, 1)], directed=True)
    assert edge_array(g) is edge_array(g)
    other = ig.Graph(n=3, edges=[(0, 1)], directed=True)  # equal, but another graph
    assert edge_array(other) is not edge_array(g)
    g.add_edges([(1, 2)])  # a changed graph is converted again
    assert edge_array(g).tolist() == [[0, 1], [1, 2]]
    del g, other
    gc.collect()
    assert edges._KEPT == []


def test_only_the_last_graphs_are_kept() -> None:
    graphs = [ig.Graph(n=2, edges=[(0, 1)] * k) for k in range(1, 5)]
    arrays = [edge_array(g) for g in graphs]
    assert [len(a) for a in arrays] == [1, 2, 3, 4]
    assert len(edges._KEPT) == edges.KEPT
    assert np.array_equal(edge_array(graphs[0]), arrays[0])  # made again, the same values


def test_a_graph_made_from_an_array_has_those_edges_and_keeps_the_array() -> None:
    array = np.array([[2, 0], [1, 3], [3, 3], [2, 0]])
    directed = edges.graph_from_edges(4, array, directed=True)
    assert directed.get_edgelist() == [(2, 0), (1, 3), (3, 3), (2, 0)]
    assert edge_array(directed).tolist() == array.tolist()
    undirected = edges.graph_from_edges(4, array, directed=False)
    assert not undirected.is_directed()
    assert edge_array(undirected).tolist() == [list(e) for e in undirected.get_edgelist()]
    array[0, 0] = 1  # the caller's array is not the one remembered
    assert edge_array(directed)[0].tolist() == [2, 0]


def test_a_graph_made_from_more_pairs_than_one_chunk_keeps_their_order() -> None:
    array = np.random.default_rng(0).integers(0, 50, size=(2_500, 2))
    pairs = list(edges._int_pairs(array, chunk=1_000))
    assert pairs == [tuple(row) for row in array.tolist()]
    assert all(type(a) is int for a, _ in pairs[:3])
