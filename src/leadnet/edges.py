"""A graph's edge list as a numpy array, made once per graph, and graphs made from such arrays.

igraph hands its edge list to Python as a list of tuples: about 0.7 s per million edges,
7 s for the 10 million ties of a million-person organisation. Centrality, brokerage,
silos, bridges and communities all need the same array of the same graph, so the last
few are remembered here, each for as long as its graph lives. A graph made by
:func:`graph_from_edges` (the snapshot's graph, the undirected collapse) starts with its
array remembered.

The array is read-only: a caller that needs to change it must copy it.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import igraph as ig

KEPT = 2
"""How many graphs' arrays are remembered: the directed graph of a relation and its undirected collapse."""

_KEPT: list[tuple[weakref.ref[ig.Graph], tuple[int, int], np.ndarray]] = []


def edge_array(graph: ig.Graph) -> np.ndarray:
    """The ``(m, 2)`` int64 array of ``graph``'s edges in edge order, read-only.

    Remembered per graph (checked against its identity and size), so the second call on
    the same graph costs nothing.

    Examples
    --------
    >>> import igraph as ig
    >>> g = ig.Graph(n=3, edges=[(0, 1), (1, 2)], directed=True)
    >>> edge_array(g).tolist(), edge_array(g) is edge_array(g), edge_array(g).flags.writeable
    ([[0, 1], [1, 2]], True, False)
    >>> edge_array(ig.Graph(n=2)).shape
    (0, 2)
    """
    key = (graph.vcount(), graph.ecount())
    for ref, seen, edges in _KEPT:
        if ref() is graph and seen == key:
            return edges
    return _remember(graph, np.array(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2))


def graph_from_edges(n: int, edges: np.ndarray, *, directed: bool) -> ig.Graph:
    """A graph on ``n`` vertices with the ``(m, 2)`` integer ``edges``, in order; its edge array remembered.

    igraph walks a NumPy edge array row by row as NumPy objects (16 s for 10 million
    edges); a list of Python int pairs takes half that. The array the graph was made from
    is also its :func:`edge_array` (each pair smallest first when undirected, as igraph
    gives it back), so that is not built back from igraph later.

    >>> g = graph_from_edges(3, np.array([[2, 0], [1, 2]]), directed=False)
    >>> g.get_edgelist(), edge_array(g).tolist()
    ([(0, 2), (1, 2)], [[0, 2], [1, 2]])
    """
    import igraph as ig

    edges = np.array(edges, dtype=np.int64).reshape(-1, 2)  # a copy: the remembered array is not the caller's
    graph = ig.Graph(n=n, edges=_int_pairs(edges), directed=directed)
    if not directed:
        edges.sort(axis=1)
    _remember(graph, edges)
    return graph


def _int_pairs(edges: np.ndarray, chunk: int = 1 << 20) -> Iterator[tuple[int, int]]:
    """The rows of ``edges`` as pairs of Python ints, a chunk at a time (a million at once, not ten)."""
    for start in range(0, len(edges), chunk):
        part = edges[start : start + chunk]
        yield from zip(part[:, 0].tolist(), part[:, 1].tolist(), strict=True)


def _remember(graph: ig.Graph, edges: np.ndarray) -> np.ndarray:
    edges.flags.writeable = False
    _KEPT.insert(0, (weakref.ref(graph, _forget), (graph.vcount(), graph.ecount()), edges))
    del _KEPT[KEPT:]
    return edges


def _forget(gone: weakref.ref[ig.Graph]) -> None:
    """Drop the array of a graph that no longer exists."""
    _KEPT[:] = [entry for entry in _KEPT if entry[0] is not gone]
