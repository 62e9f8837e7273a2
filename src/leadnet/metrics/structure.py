"""Network-level figures: density, dyads, reciprocity, centralisation, inequality of in-degree.

Each figure is a function returning a float, or ``None`` when the network makes it undefined
(too few people, no ties); :func:`network_figures` bundles them with the reason for every
``None``. Graphs are directed, without self-loops or multiple ties, as
:meth:`leadnet.model.Snapshot.to_igraph` builds them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import igraph as ig
import numpy as np

from leadnet.errors import InputError

FIGURE_KEYS: tuple[str, ...] = (
    "n_people",
    "n_ties",
    "density",
    "reciprocity",
    "dyad_census",
    "centralization_in_degree",
    "gini_in_degree",
    "cv_in_degree",
)


@dataclass(frozen=True)
class DyadCensus:
    """Counts of unordered pairs of people by their ties: both ways, one way, none."""

    mutual: int
    asymmetric: int
    null: int


@dataclass(frozen=True)
class NetworkFigures:
    """Network-level figures of one relation; ``reasons`` explains every ``None``."""

    n_people: int
    n_ties: int
    density: float | None
    reciprocity: float | None
    dyad_census: DyadCensus
    centralization_in_degree: float | None
    gini_in_degree: float | None
    cv_in_degree: float | None
    reasons: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready figures under :data:`FIGURE_KEYS`, then ``reasons``.

        Examples
        --------
        >>> network_figures(ig.Graph(n=1, directed=True)).to_dict()["reasons"]["density"]
        'fewer than 2 people'
        """
        census = self.dyad_census
        out: dict[str, Any] = {key: getattr(self, key) for key in FIGURE_KEYS}
        out["dyad_census"] = {"mutual": census.mutual, "asymmetric": census.asymmetric, "null": census.null}
        out["reasons"] = dict(self.reasons)
        return out


def density(graph: ig.Graph) -> float | None:
    """Share of possible directed ties present: m / (n(n − 1)); ``None`` below 2 people.

    Examples
    --------
    3 ties among 3 people, of 6 possible:

    >>> density(ig.Graph(n=3, edges=[(0, 1), (1, 2), (2, 0)], directed=True))
    0.5

    References
    ----------
    Wasserman, S. & Faust, K. (1994). *Social Network Analysis*. Cambridge UP, §4.2.
    Carson, J. B., Tesluk, P. E. & Marrone, J. A. (2007). Shared leadership in teams.
    *Academy of Management Journal* 50(5), 1217–1234.
    """
    return density_from_counts(graph.vcount(), graph.ecount())


def density_from_counts(n: int, m: int) -> float | None:
    """:func:`density` of ``n`` people with ``m`` directed ties among them.

    >>> density_from_counts(3, 3), density_from_counts(1, 0)
    (0.5, None)
    """
    if n < 2:
        return None
    return m / (n * (n - 1))


def dyad_census(graph: ig.Graph) -> DyadCensus:
    """Holland–Leinhardt dyad census: mutual, asymmetric and null pairs.

    Examples
    --------
    a ⇄ b and b → c; the pair a, c has no tie:

    >>> dyad_census(ig.Graph(n=3, edges=[(0, 1), (1, 0), (1, 2)], directed=True))
    DyadCensus(mutual=1, asymmetric=1, null=1)

    References
    ----------
    Holland, P. W. & Leinhardt, S. (1970). A method for detecting structure in sociometric data.
    *American Journal of Sociology* 76(3), 492–513.
    """
    mutual, asymmetric, null = (int(count) for count in graph.dyad_census())
    return DyadCensus(mutual, asymmetric, null)


def reciprocity(graph: ig.Graph) -> float | None:
    """Dyadic reciprocity: mutual pairs / pairs with any tie; ``None`` without ties.

    The same as R ``sna::grecip(measure = "dyadic.nonnull")``. (networkx ``reciprocity``
    counts reciprocated *ties* instead: 2M / (2M + A).)

    Examples
    --------
    One mutual pair and one one-way pair: 1 / 2.

    >>> reciprocity(ig.Graph(n=3, edges=[(0, 1), (1, 0), (1, 2)], directed=True))
    0.5

    References
    ----------
    Wasserman, S. & Faust, K. (1994). *Social Network Analysis*. Cambridge UP, §13.2.
    Butts, C. T. (2008). Social network analysis with sna. *Journal of Statistical Software*
    24(6).
    """
    census = dyad_census(graph)
    tied = census.mutual + census.asymmetric
    if tied == 0:
        return None
    return census.mutual / tied


def is_symmetric(graph: ig.Graph) -> bool:
    """Whether every tie of ``graph`` (simple: no self-tie, no repeated arc, as a snapshot's graph is)
    is reciprocated: an undirected relation stored as two arcs.

    >>> is_symmetric(ig.Graph(n=3, edges=[(0, 1), (1, 0)], directed=True))
    True
    >>> is_symmetric(ig.Graph(n=3, edges=[(0, 1), (1, 0), (1, 2)], directed=True))
    False
    """
    return graph.ecount() > 0 and graph.reciprocity(ignore_loops=True) == 1.0


def centralization_in_degree(graph: ig.Graph) -> float | None:
    """Freeman in-degree centralisation: Σ(max − dᵢ) / (n − 1)²; ``None`` below 2 people.

    (n − 1)² is the largest possible sum, reached when everyone else points at one person:
    such a star gives 1, a directed cycle (everyone equal) gives 0. A symmetric relation
    (:func:`is_symmetric`: co-membership, an undirected tie list) is read as undirected, and
    its largest sum is (n − 1)(n − 2), Freeman's undirected star: a star gives 1 there too.

    Examples
    --------
    >>> star = ig.Graph(n=4, edges=[(1, 0), (2, 0), (3, 0)], directed=True)
    >>> centralization_in_degree(star)
    1.0
    >>> centralization_in_degree(ig.Graph(n=3, edges=[(0, 1), (1, 2), (2, 0)], directed=True))
    0.0
    >>> centralization_in_degree(ig.Graph(n=4, edges=[(1, 0), (2, 0), (3, 0), (0, 1), (0, 2), (0, 3)],
    ...                                   directed=True))
    1.0

    References
    ----------
    Freeman, L. C. (1979). Centrality in social networks: conceptual clarification.
    *Social Networks* 1(3), 215–239.
    """
    degrees = np.asarray(graph.indegree(), dtype=float)
    return centralization_from_in_degrees(degrees, symmetric=is_symmetric(graph))


def centralization_from_in_degrees(degrees: np.ndarray, *, symmetric: bool = False) -> float | None:
    """:func:`centralization_in_degree` of people with these in-degrees (one per person).

    ``symmetric``: the degrees are of an undirected relation (two people are equal: 0).

    >>> centralization_from_in_degrees(np.array([3.0, 0.0, 0.0, 0.0]))
    1.0
    >>> centralization_from_in_degrees(np.array([3.0, 1.0, 1.0, 1.0]), symmetric=True)
    1.0
    """
    n = len(degrees)
    if n < 2:
        return None
    most = (n - 1) * (n - 2) if symmetric else (n - 1) ** 2
    return float((degrees.max() - degrees).sum() / most) if most else 0.0


def gini(values: np.ndarray) -> float | None:
    """Gini coefficient: mean absolute difference / (2 × mean); ``None`` when empty or all 0.

    Computed over all ordered pairs (i, j), i = j included: Σᵢⱼ |xᵢ − xⱼ| / (2n² x̄), so one
    person holding everything among n gives (n − 1)/n and equal values give 0.

    Raises
    ------
    InputError
        When a value is negative or not finite.

    Examples
    --------
    >>> gini(np.array([3, 0, 0, 0]))
    0.75
    >>> gini(np.array([2, 2, 2]))
    0.0

    References
    ----------
    Gini, C. (1912). *Variabilità e mutabilità*. Bologna. Formula as in Sen, A. (1973).
    *On Economic Inequality*. Oxford UP, ch. 2.
    """
    x = np.sort(_non_negative(values, "gini"))
    n = x.size
    total = x.sum()
    if n == 0 or total == 0:
        return None
    ranks = np.arange(1, n + 1)
    return float(((2 * ranks - n - 1) * x).sum() / (n * total))


def coefficient_of_variation(values: np.ndarray) -> float | None:
    """Population standard deviation / mean; ``None`` when empty or the mean is 0.

    Examples
    --------
    >>> coefficient_of_variation(np.array([1, 3]))
    0.5

    References
    ----------
    Everitt, B. S. & Skrondal, A. (2010). *The Cambridge Dictionary of Statistics*, 4th ed.
    """
    x = _non_negative(values, "coefficient_of_variation")
    if x.size == 0 or x.mean() == 0:
        return None
    return float(x.std() / x.mean())


def network_figures(graph: ig.Graph) -> NetworkFigures:
    """Every network-level figure of ``graph``, with the reason for each ``None``.

    Examples
    --------
    Three people each asking the next for advice:

    >>> figures = network_figures(ig.Graph(n=3, edges=[(0, 1), (1, 2), (2, 0)], directed=True))
    >>> figures.density, figures.reciprocity, figures.gini_in_degree, dict(figures.reasons)
    (0.5, 0.0, 0.0, {})
    """
    indegree = np.asarray(graph.indegree(), dtype=float)
    figures = NetworkFigures(
        n_people=graph.vcount(),
        n_ties=graph.ecount(),
        density=density(graph),
        reciprocity=reciprocity(graph),
        dyad_census=dyad_census(graph),
        centralization_in_degree=centralization_in_degree(graph),
        gini_in_degree=gini(indegree),
        cv_in_degree=coefficient_of_variation(indegree),
    )
    causes = {
        "density": "fewer than 2 people",
        "reciprocity": "no ties",
        "centralization_in_degree": "fewer than 2 people",
        "gini_in_degree": "no people" if graph.vcount() == 0 else "no ties, every in-degree is 0",
        "cv_in_degree": "no people" if graph.vcount() == 0 else "no ties, mean in-degree is 0",
    }
    reasons = {key: cause for key, cause in causes.items() if getattr(figures, key) is None}
    return replace(figures, reasons=reasons)


def _non_negative(values: np.ndarray, name: str) -> np.ndarray:
    x = np.asarray(values, dtype=float).ravel()
    bad = ~(np.isfinite(x) & (x >= 0))
    if bad.any():
        raise InputError(
            f"{name} needs finite values of 0 or more. Got {float(x[bad][0])} "
            f"({int(bad.sum())} invalid value(s)) instead."
        )
    return x
