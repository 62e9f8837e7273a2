"""The undirected graph that communities are found on: arcs collapsed, strengths summed.

Community detection (:mod:`leadnet.communities`), the communities table, silos and
bridges all read the *undirected* graph: the directed ties are collapsed so that a pair of
people is one undirected tie whose weight is the **sum** of the strengths of their arcs
(a→b weight 2 and b→a weight 3 give one tie of weight 5). Self-ties are dropped. A graph
without a ``weight`` edge attribute counts every arc as strength 1, so a reciprocated pair
weighs 2.
"""

from __future__ import annotations

import weakref

import igraph as ig
import numpy as np

from leadnet.edges import edge_array, graph_from_edges
from leadnet.errors import InputError

_COLLAPSED: list[tuple[weakref.ref[ig.Graph], tuple[int, int, float], ig.Graph]] = []


def collapse_to_undirected(graph: ig.Graph) -> ig.Graph:
    """The undirected graph with summed strengths and no self-ties, used for communities.

    The last result is remembered (checked against the input graph's identity, size and
    total strength), since communities, silos and bridges all need it; treat it as read-only.

    Examples
    --------
    >>> g = ig.Graph(n=3, edges=[(0, 1), (1, 0), (1, 2), (2, 2)], directed=True)
    >>> g.es["weight"] = [2.0, 3.0, 1.0, 9.0]
    >>> u = collapse_to_undirected(g)
    >>> sorted(zip(u.get_edgelist(), u.es["weight"]))
    [((0, 1), 5.0), ((1, 2), 1.0)]
    """
    weights = tie_strengths(graph)
    key = (graph.vcount(), graph.ecount(), float(weights.sum()))
    for ref, seen, und in _COLLAPSED:
        if ref() is graph and seen == key:
            return und
    und = _collapse(graph, weights)
    _COLLAPSED[:] = [(weakref.ref(graph, lambda _: _COLLAPSED.clear()), key, und)]
    return und


def _collapse(graph: ig.Graph, weights: np.ndarray) -> ig.Graph:
    edges = edge_array(graph)
    keep = edges[:, 0] != edges[:, 1]
    pairs = np.sort(edges[keep], axis=1)
    keys, inverse = np.unique(pairs[:, 0] * max(graph.vcount(), 1) + pairs[:, 1], return_inverse=True)
    summed = np.bincount(inverse, weights=weights[keep], minlength=len(keys))
    n = max(graph.vcount(), 1)
    und = graph_from_edges(graph.vcount(), np.column_stack([keys // n, keys % n]), directed=False)
    und.es["weight"] = summed.tolist()
    if "name" in graph.vs.attributes():
        und.vs["name"] = graph.vs["name"]
    return und


def tie_strengths(graph: ig.Graph) -> np.ndarray:
    """Edge strengths as floats (1.0 without a ``weight`` attribute), checked finite and non-negative."""
    if "weight" not in graph.es.attributes():
        return np.ones(graph.ecount())
    weights = np.asarray(graph.es["weight"], dtype=float)
    bad = ~np.isfinite(weights) | (weights < 0)
    if bad.any():
        raise InputError(
            f"tie weights must be finite, non-negative strengths. Got {float(weights[bad][0])!r} "
            f"on {int(bad.sum())} of {len(weights)} ties instead; fix or drop those ties"
        )
    return weights
