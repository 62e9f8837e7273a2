"""Person-level centrality: degree, strength, PageRank, betweenness, constraint, effective size.

Tie weights are *strengths* (larger = stronger tie) everywhere in leadnet. Measures that walk
along ties (PageRank) use the strength as it is; measures built on shortest paths
(betweenness) turn it into a length with :func:`distance_from_strength`, the only place in
leadnet where that happens.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import igraph as ig
import numpy as np
import pandas as pd

from leadnet.errors import ConfigError, InputError

CENTRALITY_COLUMNS: tuple[str, ...] = (
    "person_id",
    "in_degree",
    "out_degree",
    "in_strength",
    "out_strength",
    "pagerank",
    "betweenness",
    "constraint",
    "effective_size",
)


@dataclass(frozen=True)
class CentralityMethod:
    """How :func:`centrality` computed its table.

    ``betweenness`` is ``"exact"`` (Brandes over every source) or ``"sampled"`` (Brandes over
    ``pivots`` sources drawn with ``seed``, scaled by n / pivots); ``pivots`` and ``seed`` are
    ``None`` when exact.
    """

    betweenness: str
    pivots: int | None
    damping: float
    seed: int | None = None
    relative_error: float | None = field(default=None, compare=False)
    """Sampled only: the median, over the top 1% of people by betweenness (at least 10), of
    the estimated standard error of their score divided by the score; the standard error
    comes from the spread between :data:`ERROR_BATCHES` equal batches of pivots."""


@dataclass(frozen=True)
class Centrality:
    """Centrality of every person: ``table`` (:data:`CENTRALITY_COLUMNS`, vertex order) and ``method``."""

    table: pd.DataFrame
    method: CentralityMethod


def distance_from_strength(weights: np.ndarray) -> np.ndarray:
    """Turn tie strengths into path lengths: distance = 1 / strength.

    A strong tie is a short path, so shortest-path measures prefer strong ties.

    Parameters
    ----------
    weights
        Tie strengths; every value must be finite and strictly positive.

    Returns
    -------
    numpy.ndarray
        Float distances, same shape as ``weights``.

    Raises
    ------
    InputError
        When a strength is zero, negative, infinite or missing.

    Examples
    --------
    A tie of strength 4 is a quarter as long as a tie of strength 1:

    >>> distance_from_strength(np.array([1.0, 4.0, 0.5]))
    array([1.  , 0.25, 2.  ])

    References
    ----------
    Opsahl, T., Agneessens, F. & Skvoretz, J. (2010). Node centrality in weighted networks:
    generalizing degree and shortest paths. *Social Networks* 32(3), 245–251.
    """
    strengths = np.asarray(weights, dtype=float)
    bad = ~(np.isfinite(strengths) & (strengths > 0))
    if bad.any():
        first = int(np.flatnonzero(bad.ravel())[0])
        raise InputError(
            f"tie weights must be finite strengths greater than 0. Got {int(bad.sum())} invalid "
            f"value(s) instead (first: {float(strengths.ravel()[first])} at tie {first}); "
            "drop ties of zero strength before building the graph."
        )
    return 1.0 / strengths


def tie_strengths(graph: ig.Graph) -> np.ndarray:
    """The ``weight`` edge attribute as floats (1.0 for every tie when absent), validated.

    Examples
    --------
    >>> tie_strengths(ig.Graph(n=2, edges=[(0, 1)], directed=True))
    array([1.])
    """
    if "weight" not in graph.es.attributes():
        return np.ones(graph.ecount())
    strengths = np.asarray(graph.es["weight"], dtype=float)
    distance_from_strength(strengths)  # validates
    return strengths


PIVOT_BUDGET = 1_000_000_000
"""Pivots × ties above which sampled betweenness uses fewer pivots (1,000 pivots at 1M ties)."""
MIN_PIVOTS = 100


def betweenness_sources(
    n: int, *, cutoff_n: int = 5000, pivots: int = 1000, seed: int = 0, n_ties: int = 0
) -> np.ndarray | None:
    """The source people for sampled betweenness, or ``None`` when it is computed exactly.

    Exact up to ``cutoff_n`` people (or when ``pivots`` ≥ n); above, ``pivots`` distinct
    people drawn uniformly with ``seed``, in ascending order. Each pivot costs one
    shortest-path search over all ``n_ties`` ties, so while ``pivots × n_ties`` exceeds
    :data:`PIVOT_BUDGET` the count is cut to fit (never below :data:`MIN_PIVOTS`): 1,000
    pivots up to a million ties, 100 at ten million. The count used and its estimated
    error are reported with the results.

    Examples
    --------
    >>> betweenness_sources(4) is None
    True
    >>> betweenness_sources(10, cutoff_n=5, pivots=3, seed=0).size
    3
    >>> betweenness_sources(10**6, n_ties=10**7).size, betweenness_sources(10**5, n_ties=10**6).size
    (100, 1000)
    """
    if n_ties * pivots > PIVOT_BUDGET:
        pivots = max(MIN_PIVOTS, min(pivots, PIVOT_BUDGET // n_ties))
    if n <= cutoff_n or pivots >= n:
        return None
    return np.sort(np.random.default_rng(seed).choice(n, size=pivots, replace=False))


def betweenness(graph: ig.Graph, sources: np.ndarray | None = None) -> np.ndarray:
    """Directed, weighted betweenness, normalised by (n − 1)(n − 2).

    Path lengths are :func:`distance_from_strength` of the tie strengths. The normalisation is
    the number of ordered pairs of other people, as networkx ``betweenness_centrality`` with
    ``normalized=True`` on a directed graph; with fewer than 3 people nobody can lie between
    two others and every score is 0. With ``sources`` (see :func:`betweenness_sources`) only
    paths from those people are counted and the sum is scaled by n / len(sources), an unbiased
    estimate of the exact score (Brandes & Pich 2007).

    Examples
    --------
    In the path a → b → c, b lies on the one path a → c, of (3 − 1)(3 − 2) = 2 ordered pairs:

    >>> betweenness(ig.Graph(n=3, edges=[(0, 1), (1, 2)], directed=True)).tolist()
    [0.0, 0.5, 0.0]

    References
    ----------
    Freeman, L. C. (1977). A set of measures of centrality based on betweenness. *Sociometry*
    40(1), 35–41. Brandes, U. (2001). A faster algorithm for betweenness centrality. *Journal of
    Mathematical Sociology* 25(2), 163–177. Brandes, U. & Pich, C. (2007). Centrality estimation
    in large networks. *International Journal of Bifurcation and Chaos* 17(7), 2303–2318.
    """
    n = graph.vcount()
    if n < 3:
        return np.zeros(n)
    lengths = distance_from_strength(tie_strengths(graph)).tolist()
    if sources is None:
        raw = np.asarray(graph.betweenness(directed=True, weights=lengths), dtype=float)
    else:
        chosen = np.asarray(sources, dtype=np.int64)
        raw = np.asarray(graph.betweenness(directed=True, weights=lengths, sources=chosen.tolist()), float)
        raw = raw * (n / chosen.size)
    return raw / ((n - 1) * (n - 2))


ERROR_BATCHES = 10


def sampled_betweenness(graph: ig.Graph, sources: np.ndarray) -> tuple[np.ndarray, float | None]:
    """:func:`betweenness` from ``sources``, and its relative standard error (see :class:`CentralityMethod`).

    The pivots are split into :data:`ERROR_BATCHES` batches; the estimate is the same as one
    call over all of them (betweenness adds up over sources), and the spread of the batch
    estimates gives each score's standard error at no extra cost.

    Examples
    --------
    >>> g = ig.Graph.Ring(30, directed=True)
    >>> scores, error = sampled_betweenness(g, np.arange(0, 30, 2))
    >>> bool(np.allclose(scores, betweenness(g, np.arange(0, 30, 2)))), round(error, 3)
    (True, 0.185)
    """
    chosen = np.asarray(sources, dtype=np.int64)
    batches = [b for b in np.array_split(chosen, min(ERROR_BATCHES, chosen.size)) if b.size]
    parts = np.vstack([betweenness(graph, b) * b.size for b in batches])
    scores = parts.sum(axis=0) / chosen.size
    if len(batches) < 2 or graph.vcount() < 3:
        return scores, None
    sizes = np.array([b.size for b in batches], dtype=float)[:, None]
    spread = np.sqrt(np.sum(sizes * (parts / sizes - scores) ** 2, axis=0) / (len(batches) - 1) / chosen.size)
    top = np.argsort(-scores, kind="stable")[: max(10, graph.vcount() // 100)]
    top = top[scores[top] > 0]
    return scores, (float(np.median(spread[top] / scores[top])) if top.size else None)


def effective_size(graph: ig.Graph) -> np.ndarray:
    """Burt's effective size of each person's network of contacts, binary and undirected.

    Ties are taken without direction or weight; with n contacts and t ties among them the
    effective size is n − 2t / n (Borgatti's simplification of Burt's redundancy formula, exact
    for binary undirected ties). People with no contacts get NaN.

    Examples
    --------
    The centre of a 4-leaf star has 4 contacts, none tied to another: 4 − 0 = 4. In a triangle
    each person has 2 contacts tied to each other: 2 − 2·1/2 = 1.

    >>> star = ig.Graph(n=5, edges=[(1, 0), (2, 0), (3, 0), (4, 0)], directed=True)
    >>> effective_size(star).tolist()
    [4.0, 1.0, 1.0, 1.0, 1.0]
    >>> effective_size(ig.Graph(n=3, edges=[(0, 1), (1, 2), (2, 0)], directed=True)).tolist()
    [1.0, 1.0, 1.0]

    References
    ----------
    Burt, R. S. (1992). *Structural Holes: The Social Structure of Competition*. Harvard UP.
    Borgatti, S. P. (1997). Structural holes: unpacking Burt's redundancy measures.
    *Connections* 20(1), 35–38.
    """
    simple = graph.as_undirected(mode="collapse")
    contacts = np.asarray(simple.degree(), dtype=float)
    local = np.asarray(simple.transitivity_local_undirected(mode="zero"), dtype=float)
    ties_among = np.rint(local * contacts * (contacts - 1) / 2)
    safe = np.where(contacts > 0, contacts, 1.0)
    return np.where(contacts > 0, contacts - 2 * ties_among / safe, np.nan)


def constraint(graph: ig.Graph) -> np.ndarray:
    """Burt's aggregate constraint of each person, tie strengths as weights, ties in both
    directions pooled (igraph ``constraint``); NaN for people with no ties.

    Examples
    --------
    The centre of a 4-leaf star spreads its contacts evenly: 4 × (1/4)² = 0.25; each leaf
    has one contact: 1.

    >>> constraint(ig.Graph(n=5, edges=[(1, 0), (2, 0), (3, 0), (4, 0)], directed=True)).tolist()
    [0.25, 1.0, 1.0, 1.0, 1.0]

    References
    ----------
    Burt, R. S. (1992). *Structural Holes: The Social Structure of Competition*. Harvard UP.
    """
    weights = tie_strengths(graph).tolist()
    return np.asarray(graph.constraint(weights=weights), dtype=float).reshape(graph.vcount())


def centrality(
    graph: ig.Graph,
    *,
    damping: float = 0.85,
    betweenness_cutoff_n: int = 5000,
    pivots: int = 1000,
    seed: int = 0,
) -> Centrality:
    """Degree, strength, PageRank, betweenness, constraint and effective size of every person.

    ``graph`` is directed (as :meth:`leadnet.model.Snapshot.to_igraph` builds it) with tie
    strengths in the ``weight`` edge attribute (1 when absent), no self-loops and no multiple
    ties. Rows follow vertex order; ``person_id`` is the vertex ``name``.

    - ``in_degree``/``out_degree``: ties received/sent; ``in_strength``/``out_strength``:
      their summed strengths.
    - ``pagerank``: directed, ties weighted by strength, ``damping``; sums to 1.
    - ``betweenness``: see :func:`betweenness` (distance = 1 / strength, normalised by
      (n − 1)(n − 2); sampled above ``betweenness_cutoff_n`` people, with ``pivots``
      sources, fewer on very large networks: :func:`betweenness_sources`).
    - ``constraint``: Burt's aggregate constraint with strengths, ties in both directions
      pooled (igraph ``constraint``); NaN for people with no ties.
    - ``effective_size``: see :func:`effective_size`; NaN for people with no ties.

    Examples
    --------
    Four people ask the centre for advice. The centre receives 4 ties; each is one of its
    4 equally weighted contacts, so its constraint is 4 × (1/4)² = 0.25 and its effective
    size is 4.

    >>> star = ig.Graph(n=5, edges=[(1, 0), (2, 0), (3, 0), (4, 0)], directed=True)
    >>> star.vs["name"] = ["hub", "a", "b", "c", "d"]
    >>> row = centrality(star).table.iloc[0]
    >>> row["person_id"], int(row["in_degree"]), float(row["constraint"]), float(row["effective_size"])
    ('hub', 4, 0.25, 4.0)

    References
    ----------
    Brin, S. & Page, L. (1998). The anatomy of a large-scale hypertextual web search engine.
    *Computer Networks and ISDN Systems* 30, 107–117. Burt, R. S. (1992). *Structural Holes*.
    Harvard UP. Freeman, L. C. (1979). Centrality in social networks: conceptual clarification.
    *Social Networks* 1(3), 215–239.
    """
    _check_parameters(graph, damping, betweenness_cutoff_n, pivots)
    n = graph.vcount()
    strengths = tie_strengths(graph)
    sources = betweenness_sources(
        n, cutoff_n=betweenness_cutoff_n, pivots=pivots, seed=seed, n_ties=graph.ecount()
    )
    names = graph.vs["name"] if "name" in graph.vs.attributes() else [str(i) for i in range(n)]
    weights = strengths.tolist()
    between, error = (betweenness(graph), None) if sources is None else sampled_betweenness(graph, sources)
    table = pd.DataFrame(
        {
            "person_id": pd.Series([str(name) for name in names], dtype=object),
            "in_degree": np.asarray(graph.indegree(), dtype=np.int64),
            "out_degree": np.asarray(graph.outdegree(), dtype=np.int64),
            "in_strength": np.asarray(graph.strength(mode="in", weights=weights), dtype=float),
            "out_strength": np.asarray(graph.strength(mode="out", weights=weights), dtype=float),
            "pagerank": np.asarray(graph.pagerank(directed=True, damping=damping, weights=weights), float),
            "betweenness": between,
            "constraint": constraint(graph),
            "effective_size": effective_size(graph),
        },
        columns=list(CENTRALITY_COLUMNS),
    )
    if sources is None:
        return Centrality(table, CentralityMethod("exact", None, damping))
    return Centrality(table, CentralityMethod("sampled", int(sources.size), damping, seed, error))


def _check_parameters(graph: ig.Graph, damping: float, cutoff_n: int, pivots: int) -> None:
    if not graph.is_directed():
        raise InputError(
            "graph must be directed. Got an undirected graph instead; "
            "use Snapshot.to_igraph() or graph.as_directed()."
        )
    if not 0 < damping < 1:
        raise ConfigError(f"damping must be between 0 and 1 (both excluded). Got {damping} instead.")
    if pivots < 1:
        raise ConfigError(f"pivots must be at least 1. Got {pivots} instead.")
    if cutoff_n < 0:
        raise ConfigError(f"betweenness_cutoff_n must be 0 or more. Got {cutoff_n} instead.")
