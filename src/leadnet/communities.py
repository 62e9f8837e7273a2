"""Communities: Leiden with the modularity objective, seeded, with stability across seeds.

Community detection runs on the *undirected* graph, the directed ties collapsed with their
strengths summed (:mod:`leadnet.undirected`).

Conventions for degenerate networks (nothing crashes; QUALITY.md rule 8):

- no people: an empty membership, ``n_communities`` 0;
- no ties (or one person): every person is their own community;
- in these two cases ``modularity`` and ``stability_ari`` are ``None`` and ``reason`` says why;
- isolated people in a network with ties each form their own community, and ``modularity``
  is computed as usual (an isolate adds nothing to it).

Communities are numbered ``0..k-1`` by size (largest first), ties broken by the
smallest person_id among members, so the numbering does not depend on the run.
:func:`resolution_sweep` finds them at several resolutions. The communities table is in
:mod:`leadnet.community_table`; it and the collapse (:func:`collapse_to_undirected`,
:func:`tie_strengths`) are re-exported here.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import combinations

import igraph as ig
import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

from leadnet.community_table import community_table, modularity_shares
from leadnet.errors import ConfigError
from leadnet.undirected import collapse_to_undirected, tie_strengths

__all__ = [
    "LARGE_NETWORK", "METHOD", "STABILITY_THRESHOLD", "Communities", "canonical_labels",
    "collapse_to_undirected", "community_table", "detect_communities", "effort", "modularity_shares",
    "network_problem", "person_ids", "resolution_sweep", "tie_strengths",
]  # fmt: skip

METHOD = "leiden-modularity"
STABILITY_THRESHOLD = 0.9
"""Mean pairwise ARI across seeds below which a partition is flagged as not reproducible."""
LARGE_NETWORK = 200_000
"""People above which Leiden runs two seeds of two iterations each instead of five to convergence."""


@dataclass(frozen=True, eq=False)
class Communities:
    """A partition of people into communities and how it was made.

    ``membership[i]`` is the community of vertex ``i``. ``stability_ari`` is the mean
    adjusted Rand index over all pairs of runs with seeds ``seed..seed+n_runs-1``
    (``None`` with one run or when nothing is random); ``stable`` is ``False`` when it
    falls below :data:`STABILITY_THRESHOLD`. ``reason`` explains a ``None``.
    """

    membership: np.ndarray
    modularity: float | None
    n_communities: int
    stability_ari: float | None
    stable: bool
    method: str
    resolution: float
    seed: int
    n_runs: int = 1
    reason: str | None = None
    iterations: int = -1

    @property
    def stability_message(self) -> str | None:
        """A warning text with the numbers when the partition is not reproducible, else ``None``."""
        if self.stable or self.stability_ari is None:
            return None
        return (
            f"communities are not reproducible: mean ARI {self.stability_ari:.2f} across {self.n_runs} "
            f"seeds (below {STABILITY_THRESHOLD}); read community figures with care"
        )


def person_ids(graph: ig.Graph) -> np.ndarray:
    """The person_id of each vertex (``name``), or the vertex index as text when unnamed."""
    if "name" in graph.vs.attributes():
        return np.asarray(graph.vs["name"], dtype=object)
    return np.asarray([str(i) for i in range(graph.vcount())], dtype=object)


@contextmanager
def _seeded_igraph(seed: int) -> Iterator[None]:
    """Run igraph's random steps from ``random.Random(seed)``, restoring the default after."""
    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)


def canonical_labels(membership: np.ndarray, names: Sequence[object] | np.ndarray) -> np.ndarray:
    """Renumber communities by size (largest first), then by their smallest member name.

    Examples
    --------
    Two pairs tie on size; the pair holding "a" comes first:

    >>> canonical_labels(np.array([7, 7, 3, 3, 9]), ["d", "e", "a", "b", "c"]).tolist()
    [1, 1, 0, 0, 2]
    """
    raw = np.unique(np.asarray(membership), return_inverse=True)[1].ravel()
    if len(raw) == 0:
        return raw.astype(np.int64)
    sizes = np.bincount(raw)
    order = np.argsort(np.asarray(names, dtype=object).astype(str), kind="stable")
    first = np.full(len(sizes), len(raw))
    np.minimum.at(first, raw[order], np.arange(len(raw)))
    ranking = np.lexsort((first, -sizes))
    new = np.empty(len(sizes), dtype=np.int64)
    new[ranking] = np.arange(len(sizes))
    return new[raw]


def _leiden(und: ig.Graph, seed: int, resolution: float, iterations: int = -1) -> np.ndarray:
    with _seeded_igraph(seed):
        found = und.community_leiden(
            objective_function="modularity", weights="weight", resolution=resolution, n_iterations=iterations
        )
    return np.asarray(found.membership, dtype=np.int64)


def _mean_pairwise_ari(partitions: list[np.ndarray]) -> float | None:
    if len(partitions) < 2:
        return None
    scores = [adjusted_rand_score(a, b) for a, b in combinations(partitions, 2)]
    return float(np.mean(scores))


def network_problem(graph: ig.Graph) -> str | None:
    """Why no communities can be found in ``graph``: ``"no people"``, ``"one person"``, ``"no ties"``.

    >>> network_problem(ig.Graph(n=3)), network_problem(ig.Graph(n=2, edges=[(0, 1)]))
    ('no ties', None)
    """
    return _problem(collapse_to_undirected(graph))


def _problem(und: ig.Graph) -> str | None:
    if und.vcount() == 0:
        return "no people"
    if und.vcount() == 1:
        return "one person"
    if und.ecount() == 0 or float(np.sum(und.es["weight"])) == 0.0:
        return "no ties"
    return None


def _degenerate_reason(und: ig.Graph) -> str | None:
    problem = _problem(und)
    if problem == "no people":
        return "empty network: no people"
    return f"{problem}: modularity is undefined" if problem else None


def effort(n_people: int) -> tuple[int, int]:
    """``(runs, iterations)`` of Leiden for a network of ``n_people``.

    Five seeds, each iterated to convergence (``-1``), up to :data:`LARGE_NETWORK`
    people; above, two seeds of two iterations (igraph's default): enough for a
    stability ARI, and a run at a million people takes minutes, not an hour. The
    choice is reported with the communities.

    >>> effort(5_000), effort(1_000_000)
    ((5, -1), (2, 2))
    """
    return (5, -1) if n_people <= LARGE_NETWORK else (2, 2)


def _check_parameters(resolution: float, n_runs: int) -> None:
    if not (np.isfinite(resolution) and resolution > 0):
        raise ConfigError(f"`resolution` must be a positive number. Got {resolution!r} instead (try 1.0).")
    if n_runs < 1:
        raise ConfigError(f"`n_runs` must be at least 1. Got {n_runs!r} instead (try 5).")


def detect_communities(
    graph: ig.Graph, *, seed: int = 0, resolution: float = 1.0, n_runs: int | None = None
) -> Communities:
    """Find communities with Leiden (modularity objective, weighted, seeded).

    The graph is collapsed to undirected with summed strengths
    (:func:`collapse_to_undirected`). Leiden runs once per seed ``seed..seed+n_runs-1``,
    to convergence or for a fixed number of iterations as :func:`effort` chooses for the
    network's size (``n_runs`` overrides its number of runs); the run with the highest
    objective (modularity at ``resolution``; the lowest seed on a tie) is returned and
    all runs measure stability (mean pairwise ARI). ``modularity`` is Newman's Q at
    resolution 1 of the returned partition on the collapsed weighted graph, whatever
    ``resolution`` Leiden optimised, so values compare across resolutions.

    Examples
    --------
    Two triangles joined by one tie split into two communities of three:

    >>> g = ig.Graph(n=6, edges=[(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (2, 3)], directed=True)
    >>> found = detect_communities(g, seed=0)
    >>> found.membership.tolist(), round(found.modularity, 4), found.stability_ari, found.stable
    ([0, 0, 0, 1, 1, 1], 0.3571, 1.0, True)

    References
    ----------
    Traag, V. A., Waltman, L., & van Eck, N. J. (2019). From Louvain to Leiden:
    guaranteeing well-connected communities. Scientific Reports, 9, 5233.
    Newman, M. E. J. (2006). Modularity and community structure in networks. PNAS, 103(23), 8577-8582.
    Hubert, L., & Arabie, P. (1985). Comparing partitions. Journal of Classification, 2, 193-218.
    """
    default_runs, iterations = effort(graph.vcount())
    n_runs = default_runs if n_runs is None else n_runs
    _check_parameters(resolution, n_runs)
    und = collapse_to_undirected(graph)
    names = person_ids(graph)
    reason = _degenerate_reason(und)
    if reason is not None:
        membership = canonical_labels(np.arange(und.vcount()), names)
        return Communities(
            membership=membership, modularity=None, n_communities=und.vcount(), stability_ari=None,
            stable=True, method=METHOD, resolution=float(resolution), seed=seed, n_runs=n_runs, reason=reason,
        )  # fmt: skip
    runs = [
        canonical_labels(_leiden(und, s, resolution, iterations), names) for s in range(seed, seed + n_runs)
    ]
    ari = _mean_pairwise_ari(runs)
    scores = [und.modularity(run.tolist(), weights="weight", resolution=resolution) for run in runs]
    membership = runs[int(np.argmax(scores))]
    modularity = float(und.modularity(membership.tolist(), weights="weight", resolution=1.0))
    stable = ari is None or ari >= STABILITY_THRESHOLD
    k = int(membership.max()) + 1
    return Communities(
        membership=membership, modularity=modularity, n_communities=k, stability_ari=ari,
        stable=stable, method=METHOD, resolution=float(resolution), seed=seed, n_runs=n_runs,
        iterations=iterations,
    )  # fmt: skip


def resolution_sweep(graph: ig.Graph, resolutions: Sequence[float], seed: int = 0) -> pd.DataFrame:
    """Communities found at each resolution: ``resolution, n_communities, modularity``.

    One Leiden run per resolution with ``seed``; ``modularity`` is Q at resolution 1
    (``NaN`` when undefined), so the rows compare directly.

    Examples
    --------
    >>> g = ig.Graph(n=6, edges=[(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (2, 3)], directed=True)
    >>> resolution_sweep(g, [0.1, 1.0]).to_dict("list")["n_communities"]
    [1, 2]

    References
    ----------
    Reichardt, J., & Bornholdt, S. (2006). Statistical mechanics of community detection.
    Physical Review E, 74, 016110.
    """
    rows = []
    for resolution in resolutions:
        found = detect_communities(graph, seed=seed, resolution=float(resolution), n_runs=1)
        modularity = np.nan if found.modularity is None else found.modularity
        rows.append((float(resolution), found.n_communities, modularity))
    frame = pd.DataFrame(rows, columns=["resolution", "n_communities", "modularity"])
    return frame.astype({"resolution": float, "n_communities": "int64", "modularity": float})
