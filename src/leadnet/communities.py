"""Communities: Leiden with the modularity objective, seeded, with stability across seeds.

Community detection runs on the *undirected* graph: the directed ties are collapsed
so that a pair of people is one undirected tie whose weight is the **sum** of the
strengths of their arcs (a→b weight 2 and b→a weight 3 give one tie of weight 5).
Self-ties are dropped. A graph without a ``weight`` edge attribute counts every arc
as strength 1, so a reciprocated pair weighs 2.

Conventions for degenerate networks (nothing crashes; QUALITY.md rule 8):

- no people: an empty membership, ``n_communities`` 0;
- no ties (or one person): every person is their own community;
- in these two cases ``modularity`` and ``stability_ari`` are ``None`` and ``reason`` says why;
- isolated people in a network with ties each form their own community, and ``modularity``
  is computed as usual (an isolate adds nothing to it).

Communities are numbered ``0..k-1`` by size (largest first), ties broken by the
smallest person_id among members, so the numbering does not depend on the run.
"""

from __future__ import annotations

import random
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import combinations

import igraph as ig
import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

from leadnet.edges import edge_array, graph_from_edges
from leadnet.errors import ConfigError, InputError
from leadnet.groups import unknown_groups

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


def modularity_shares(graph: ig.Graph, membership: np.ndarray) -> np.ndarray:
    """Each community's contribution ``e_c - a_c**2`` to Newman's Q; the shares sum to Q.

    ``e_c`` is the share of tie weight inside community ``c`` and ``a_c`` the share of
    tie ends (strength) in it, on the collapsed undirected weighted graph. All ``NaN``
    when there are no ties.

    Examples
    --------
    >>> g = ig.Graph(n=6, edges=[(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (2, 3)], directed=True)
    >>> shares = modularity_shares(g, np.array([0, 0, 0, 1, 1, 1]))
    >>> shares.round(4).tolist(), round(float(shares.sum()), 4)
    ([0.1786, 0.1786], 0.3571)

    References
    ----------
    Newman, M. E. J. (2004). Analysis of weighted networks. Physical Review E, 70, 056131.
    """
    und = collapse_to_undirected(graph)
    labels = np.asarray(membership, dtype=np.int64)
    k = int(labels.max()) + 1 if len(labels) else 0
    edges = edge_array(und)
    weights = np.asarray(und.es["weight"], dtype=float)
    total = weights.sum()
    if total == 0:
        return np.full(k, np.nan)
    inside = labels[edges[:, 0]] == labels[edges[:, 1]]
    e = np.bincount(labels[edges[inside, 0]], weights=weights[inside], minlength=k) / total
    strength = np.bincount(edges.ravel(), weights=np.repeat(weights, 2), minlength=len(labels))
    a = np.bincount(labels, weights=strength, minlength=k) / (2 * total)
    return e - a**2


def _dominant_units(membership: np.ndarray, units: np.ndarray, min_count: int) -> pd.Series:
    unit = pd.Series(units, dtype=object)
    known = ~unknown_groups(unit.to_numpy())  # a person of unknown unit is counted, never named
    size = pd.Series(membership).value_counts()
    frame = pd.DataFrame({"community": membership[known], "unit": unit[known].astype(str).to_numpy()})
    counts = frame.value_counts().rename("n").reset_index()
    counts["share"] = counts["n"] / counts["community"].map(size)
    counts = counts[counts["n"] >= min_count]
    counts = counts.sort_values(["community", "share", "unit"], ascending=[True, False, True], kind="stable")
    top = counts.groupby("community").head(3)
    rest = size - top.groupby("community")["n"].sum().reindex(size.index, fill_value=0)
    small_rest = top["community"].map((rest > 0) & (rest < min_count))  # shares would reveal it
    share = " " + (100 * top["share"]).round().astype(int).astype(str) + "%"
    text = top["unit"] + share.where(~small_rest, "")
    return text.groupby(top["community"]).agg("; ".join)


def _community_bridges(graph: ig.Graph, membership: np.ndarray, ids: np.ndarray) -> pd.Series:
    edges = edge_array(collapse_to_undirected(graph))
    cross = membership[edges[:, 0]] != membership[edges[:, 1]]
    outside = np.bincount(edges[cross].ravel(), minlength=len(membership))
    frame = pd.DataFrame({"community": membership, "person_id": ids.astype(str), "outside": outside})
    frame = frame[frame["outside"] > 0].sort_values(
        ["community", "outside", "person_id"], ascending=[True, False, True], kind="stable"
    )
    return frame.groupby("community").head(3).groupby("community")["person_id"].agg(";".join)


def community_table(
    graph: ig.Graph,
    membership: np.ndarray,
    units: np.ndarray,
    people_ids: np.ndarray,
    *,
    min_count: int = 1,
) -> pd.DataFrame:
    """One row per community: ``community, size, modularity_share, dominant_units, bridges``.

    ``modularity_share`` is from :func:`modularity_shares`; ``dominant_units`` lists the
    three largest units' shares of the community (``"Surgery 60%; Theatres 25%"``), naming
    only units with at least ``min_count`` members in it (pass the privacy floor k); when the
    members left unnamed are fewer than ``min_count``, the names come without shares, which
    would give that small remainder away (size less the named shares); members of unknown
    unit (a missing label, :mod:`leadnet.groups`) are never named, only left unnamed;
    ``bridges`` joins with ``;`` the (up to) three members with most distinct contacts
    outside the community (ties counted on the collapsed undirected graph), most first,
    then by person_id. Group-size suppression is left to the caller.

    Examples
    --------
    >>> g = ig.Graph(n=6, edges=[(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (2, 3)], directed=True)
    >>> units = np.array(["Surgery", "Surgery", "Theatres", "Lab", "Lab", "Lab"])
    >>> ids = np.array(["p1", "p2", "p3", "p4", "p5", "p6"])
    >>> community_table(g, np.array([0, 0, 0, 1, 1, 1]), units, ids).drop(columns="modularity_share")
       community  size             dominant_units bridges
    0          0     3  Surgery 67%; Theatres 33%      p3
    1          1     3                   Lab 100%      p4
    >>> community_table(g, np.array([0, 0, 0, 1, 1, 1]), units, ids, min_count=2)["dominant_units"].tolist()
    ['Surgery', 'Lab 100%']
    """
    membership = np.asarray(membership, dtype=np.int64)
    n = graph.vcount()
    if len(membership) != n or len(units) != n or len(people_ids) != n:
        raise InputError(
            f"`membership`, `units` and `people_ids` must each have one entry per person ({n}). "
            f"Got {len(membership)}, {len(units)} and {len(people_ids)} instead."
        )
    k = int(membership.max()) + 1 if n else 0
    table = pd.DataFrame({"community": np.arange(k, dtype=np.int64)})
    table["size"] = np.bincount(membership, minlength=k).astype(np.int64)
    table["modularity_share"] = modularity_shares(graph, membership)
    dominant = _dominant_units(membership, np.asarray(units), min_count)
    bridges = _community_bridges(graph, membership, np.asarray(people_ids, dtype=object))
    table["dominant_units"] = pd.Series([dominant.get(c, "") for c in range(k)], dtype=object)
    table["bridges"] = pd.Series([bridges.get(c, "") for c in range(k)], dtype=object)
    return table
