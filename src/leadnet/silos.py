"""Silos: how inward-looking each group is, and how the formal units match the communities.

A *group* is any labelling of people, one label per vertex: formal units or detected
communities. Ties are the directed arcs of the graph, each counted once whatever its
weight (Krackhardt & Stern count ties, not strengths); self-ties are ignored.

A person whose group is unknown (a missing label, :mod:`leadnet.groups`) is in no group: a
tie with such an end is neither internal nor external, so it is left out of every count
below, of the E-I permutation test and of the block densities. How far the units agree with
the communities (NMI, ARI) is :func:`leadnet.partitions.partition_agreement`.

For a group ``g``: ``I`` = arcs with both ends in ``g`` (internal ties), ``E`` = arcs
with exactly one end in ``g`` (external ties).

- E-I index ``(E - I) / (E + I)``: −1 a closed group, +1 a group with only outside ties.
  A group no tie touches (an *isolated group*) has no E-I index: ``NaN`` in tables,
  ``None`` from :func:`ei_index`, and its p-value and insularity are ``NaN`` too.
- E-I p-value: one-sided, by shuffling the group labels (:func:`group_scorecard`); with
  many groups, read the one adjusted for testing them all (Holm 1979, :func:`ei_p_holm`).
- insularity ``2I / (2I + E)``: the share of the group's tie ends whose other end is
  also inside the group.
- density ``I / (n (n - 1))``: within-group density of directed ties (``NaN`` below 2 people).

Bridges between units (who carries the contacts between them) are in :mod:`leadnet.bridging`.
:func:`community_table` is defined in :mod:`leadnet.community_table` and re-exported here.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import igraph as ig
import numpy as np
import pandas as pd

from leadnet.communities import collapse_to_undirected, community_table
from leadnet.edges import edge_array
from leadnet.errors import ConfigError, InputError
from leadnet.group_differences import significance_level
from leadnet.groups import group_codes, known_arcs
from leadnet.multiple_testing import holm
from leadnet.permutation_counts import MIN_PERMUTATIONS

__all__ = [
    "EI_P_VALUE",
    "block_density",
    "budgeted_permutations",
    "community_table",
    "ei_index",
    "ei_p_holm",
    "ei_p_holm_method",
    "formal_modularity",
    "group_scorecard",
    "unknown_group_ties",
]

SCORECARD_COLUMNS = (
    "group", "size", "internal_ties", "external_ties", "ei_index", "ei_p_value", "ei_p_holm", "insularity",
    "density",
)  # fmt: skip
_BLOCK_ELEMENTS = 4_000_000  # permutation work per block: permutations x arcs
PERMUTATION_BUDGET = 2_000_000_000
"""Permutation work (permutations × (people + ties)) above which the E-I test uses fewer permutations."""
EI_P_VALUE = (
    "one-sided: (1 + #{permuted E-I <= observed E-I}) / (1 + permutations), unit labels shuffled over "
    "the people of known unit (unit sizes and the network kept, so not the members' tie counts: a unit "
    "of well-connected people can score as inward for that alone); small when a unit's ties stay inside "
    "more than those of a random set of as many people; not adjusted for testing many units (ei_p_holm is)"
)
"""What a unit's ``ei_p_value`` tests, as ``summary.json`` ``methods.silos`` states it."""


def ei_p_holm_method() -> str:
    """How a unit's ``ei_p_holm`` is adjusted and read, as ``summary.json`` ``methods.silos`` states
    it: at the level of the report's verdicts when the text is written
    (:func:`leadnet.group_differences.significance_level`, 1 − ``CONFIDENCE``, read each time).

    >>> ei_p_holm_method().split("; ")[-1]  # doctest: +NORMALIZE_WHITESPACE
    'below 0.05 for a unit, it is more inward than chance with at most a 5% chance
     of naming any unit that is not'
    """
    level = significance_level()
    return (
        "ei_p_value adjusted by Holm's step-down method (Holm 1979) over the units of the network that "
        "have one, units withheld for privacy counted with p = 1 (their p-values are not shown, and the "
        "adjusted ones must not give them back; never smaller than with their true p-values); "
        f"below {level:g} for a unit, it is more inward than chance with at most a {100 * level:g}% "
        "chance of naming any unit that is not"
    )


def budgeted_permutations(configured: int, n_people: int, n_ties: int) -> int:
    """The number of E-I label permutations for a network of this size: as many as fit a work budget.

    The configured number while ``configured × (n_people + n_ties)`` stays within
    :data:`PERMUTATION_BUDGET`; above, as many as fit, rounded down to a hundred, but
    never fewer than :data:`MIN_PERMUTATIONS` (p-values then resolve to 0.001) nor more
    than configured. The number used is recorded in ``summary.json`` ``methods.silos``.

    Why people and ties: each permutation of :func:`group_scorecard` shuffles the labels of
    the people and sums their tie ends by group (work in proportion to the people), then
    checks every tied pair of the network for a shared label (in proportion to the ties, ten
    times the people in the million-person benchmark). A comparison's tests shuffle the
    stayers' labels, so their count follows the people alone
    (:func:`leadnet.permutation_counts.people_scaled_permutations`: 2,000 at 100,000 people,
    where this gives 1,800 with a million ties). The two rules stay apart because each count
    is recorded beside its p-values: one rule for both would change one of them.

    Examples
    --------
    >>> budgeted_permutations(10_000, 500, 4_000), budgeted_permutations(10_000, 100_000, 1_000_000)
    (10000, 1800)
    >>> budgeted_permutations(10_000, 1_000_000, 10_000_000), budgeted_permutations(0, 10**6, 10**7)
    (1000, 0)
    """
    work = max(n_people + n_ties, 1)
    if configured * work <= PERMUTATION_BUDGET:
        return configured
    fitted = (PERMUTATION_BUDGET // work) // 100 * 100
    return int(min(configured, max(MIN_PERMUTATIONS, fitted)))


def _arcs(graph: ig.Graph) -> tuple[np.ndarray, np.ndarray]:
    """Source and target vertex of every directed arc, self-ties dropped."""
    edges = edge_array(graph)
    edges = edges[edges[:, 0] != edges[:, 1]]
    return edges[:, 0], edges[:, 1]


def label_codes(graph: ig.Graph, groups: np.ndarray, name: str = "groups") -> tuple[list[object], np.ndarray]:
    """Sorted distinct known labels and each person's label index (``-1``: unknown,
    :func:`leadnet.groups.group_codes`); checks one label per person."""
    values = np.asarray(groups)
    if values.ndim != 1 or len(values) != graph.vcount():
        raise InputError(
            f"`{name}` must have one label per person ({graph.vcount()}). Got {values.size} instead."
        )
    return group_codes(values)


def _known_arcs(graph: ig.Graph, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The arcs of :func:`_arcs` whose two ends are in a known group."""
    src, dst = _arcs(graph)
    keep = known_arcs(codes, src, dst)
    return src[keep], dst[keep]


def unknown_group_ties(graph: ig.Graph, groups: np.ndarray) -> int:
    """How many ties (arcs, self-ties aside) have an end in an unknown group: the ties every
    measure between groups leaves out.

    Examples
    --------
    >>> g = ig.Graph(n=3, edges=[(0, 1), (1, 2), (2, 1)], directed=True)
    >>> unknown_group_ties(g, np.array(["A", "B", None], dtype=object))
    2
    """
    _, codes = label_codes(graph, groups)
    src, dst = _arcs(graph)
    return int(len(src) - known_arcs(codes, src, dst).sum())


def _tie_counts(codes: np.ndarray, src: np.ndarray, dst: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Internal ties ``I`` and tie ends ``S = 2I + E`` per group."""
    inside = codes[src] == codes[dst]
    internal = np.bincount(codes[src][inside], minlength=k)
    ends = np.bincount(codes[src], minlength=k) + np.bincount(codes[dst], minlength=k)
    return internal, ends


def _ei(internal: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """E-I index from internal ties and tie ends, ``NaN`` where no tie touches the group."""
    touching = (ends - internal).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(touching > 0, (ends - 3 * internal) / touching, np.nan)


def ei_index(graph: ig.Graph, groups: np.ndarray) -> float | None:
    """Whole-network E-I index: (ties between groups − ties within) / all ties.

    Ties with an end in an unknown group count on neither side. ``None`` when no tie joins
    two people of known groups.

    Examples
    --------
    Units A = {a, b, c}, B = {d, e}; arcs a→b, b→c, c→a, d→e inside (I = 4) and
    a→d, e→b across (E = 2), so E-I = (2 − 4) / 6 = −1/3:

    >>> g = ig.Graph(n=5, edges=[(0, 1), (1, 2), (2, 0), (3, 4), (0, 3), (4, 1)], directed=True)
    >>> round(ei_index(g, np.array(["A", "A", "A", "B", "B"])), 4)
    -0.3333

    A sixth person of unknown group, tied to a and d, changes nothing:

    >>> g.add_vertices(1); g.add_edges([(5, 0), (3, 5)])
    >>> round(ei_index(g, np.array(["A", "A", "A", "B", "B", None], dtype=object)), 4)
    -0.3333

    References
    ----------
    Krackhardt, D., & Stern, R. N. (1988). Informal networks and organizational crises:
    an experimental simulation. Social Psychology Quarterly, 51(2), 123-140.
    """
    _, codes = label_codes(graph, groups)
    src, dst = _known_arcs(graph, codes)
    if len(src) == 0:
        return None
    internal = int(np.sum(codes[src] == codes[dst]))
    return (len(src) - 2 * internal) / len(src)


def _known_people(graph: ig.Graph, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The people of known group (their codes) and the arcs among them, renumbered ``0..m-1``."""
    src, dst = _known_arcs(graph, codes)
    known = codes >= 0
    position = np.cumsum(known) - 1
    return codes[known], position[src], position[dst]


def _null_counts(
    codes: np.ndarray, src: np.ndarray, dst: np.ndarray, observed: np.ndarray, permutations: int, seed: int
) -> np.ndarray:
    """How many label permutations give each group an E-I index at or below the observed one.

    Labels are shuffled over people (group sizes kept), ``block`` permutations at a
    time as a ``block x people`` matrix. Arcs are folded into person pairs with a
    multiplicity (1 or 2) first, as being internal does not depend on direction. A
    permutation in which no tie touches the group counts as at or below (conservative).
    """
    k, n = int(codes.max()) + 1, len(codes)
    rng = np.random.default_rng(seed)
    degree = (np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)).astype(float)
    pair_keys, times = np.unique(np.minimum(src, dst) * n + np.maximum(src, dst), return_counts=True)
    lo, hi, m = pair_keys // n, pair_keys % n, len(pair_keys)
    small = codes.astype(np.int16 if k < np.iinfo(np.int16).max else np.int32)
    block = max(1, min(permutations, _BLOCK_ELEMENTS // max(m, n, 1)))
    hits = np.zeros(k, dtype=np.int64)
    for start in range(0, permutations, block):
        b = min(block, permutations - start)
        labels = rng.permuted(np.tile(small, (b, 1)), axis=1)
        offsets = (np.arange(b, dtype=np.int64) * k)[:, None]
        ends = np.bincount((labels + offsets).ravel(), weights=np.tile(degree, b), minlength=b * k)
        ls = labels.take(lo, axis=1)
        flat = np.flatnonzero(ls == labels.take(hi, axis=1))
        keys = ls.ravel()[flat] + (flat // m) * k
        internal = np.bincount(keys, weights=times[flat % m], minlength=b * k)
        ei = _ei(internal, ends).reshape(b, k)
        hits += np.sum(np.isnan(ei) | (ei <= observed[None, :] + 1e-12), axis=0)
    return hits


def ei_p_holm(labels: Sequence[object], p_value: np.ndarray, withheld: Collection[object] = ()) -> np.ndarray:
    """The groups' E-I p-values adjusted for testing them all (:func:`leadnet.multiple_testing.holm`).

    The family: the groups that have a p-value, and the ``withheld`` ones (hidden for
    privacy), which count with p = 1 whether tested or not (which of them had a tie is
    hidden too). ``NaN`` for a group with no p-value and for a withheld one.

    >>> ei_p_holm(["A", "B", "C", "D", "E"], np.array([0.01, 0.04, 0.03, 0.005, np.nan]), ["D"]).tolist()
    [0.04, 0.09, 0.09, nan, nan]
    """
    hidden = set(withheld)
    if unknown := hidden.difference(labels):
        raise InputError(
            f"`withheld` must name groups of the network. Got {sorted(map(str, unknown))} instead."
        )
    family = {i: float(p) for i, p in enumerate(p_value) if np.isfinite(p) or labels[i] in hidden}
    adjusted = holm(family, withheld=[i for i in family if labels[i] in hidden])
    return np.array([adjusted.get(i, np.nan) for i in range(len(labels))])


def group_scorecard(
    graph: ig.Graph,
    groups: np.ndarray,
    *,
    permutations: int = 10_000,
    seed: int = 0,
    withheld: Collection[object] = (),
) -> pd.DataFrame:
    """Silo figures per group, one row per group sorted by label.

    Columns: ``group, size, internal_ties, external_ties, ei_index, ei_p_value, ei_p_holm,
    insularity, density`` (see the module docstring). ``ei_p_value`` is one-sided:
    the chance, with group labels shuffled over people (``permutations`` times,
    seeded), of an E-I index at or below the observed one, ``(1 + hits) / (1 +
    permutations)`` (:data:`EI_P_VALUE`). A small value says the group keeps its ties
    inside more than a random set of as many people would. The null keeps the group's
    size and the network, not its members' tie counts: five hubs tied to each other and
    to 20 others who are tied only to them hold 20 of the 60 arcs inside (E-I 1/3, p
    about 0.008 against the others' labels), fewer than the 26.7 their 80 of the 120
    tie ends would hold in a random network with those degrees. ``NaN`` with
    ``permutations=0``. ``ei_p_holm`` is ``ei_p_value`` adjusted for testing every group
    of the network (:func:`ei_p_holm`, :func:`ei_p_holm_method`): read it, not ``ei_p_value``,
    to pick silos out of many units. ``withheld`` names the groups whose figures will be
    hidden for privacy: they stay in its family with p = 1. People of unknown group are
    in no row, and they and their ties are left out of the counts and of the
    permutations (labels are shuffled over the people of known group).

    Examples
    --------
    A: I = 3, E = 2, E-I = (2 − 3)/5 = −0.2, insularity 6/8; B: I = 1, E = 2,
    E-I = 1/3, insularity 2/4; densities 3/6 and 1/2:

    >>> g = ig.Graph(n=5, edges=[(0, 1), (1, 2), (2, 0), (3, 4), (0, 3), (4, 1)], directed=True)
    >>> card = group_scorecard(g, np.array(["A", "A", "A", "B", "B"]), permutations=0)
    >>> card.drop(columns=["ei_p_value", "ei_p_holm"]).round(4)
      group  size  internal_ties  external_ties  ei_index  insularity  density
    0     A     3              3              2   -0.2000        0.75      0.5
    1     B     2              1              2    0.3333        0.50      0.5

    References
    ----------
    Krackhardt, D., & Stern, R. N. (1988). Informal networks and organizational crises.
    Social Psychology Quarterly, 51(2), 123-140.
    Phipson, B., & Smyth, G. K. (2010). Permutation p-values should never be zero.
    Statistical Applications in Genetics and Molecular Biology, 9(1), 39.
    Borgatti, S. P., Everett, M. G. & Freeman, L. C. (2002). *UCINET for Windows: Software for
    Social Network Analysis*. Analytic Technologies (its E-I index is tested the same way, by
    reassigning group labels at random).
    """
    if permutations < 0:
        raise ConfigError(f"`permutations` must be 0 or more. Got {permutations!r} instead (try 10000).")
    labels, codes = label_codes(graph, groups)
    codes, src, dst = _known_people(graph, codes)
    k = len(labels)
    internal, ends = _tie_counts(codes, src, dst, k)
    observed = _ei(internal, ends)
    p_value = np.full(k, np.nan)
    if permutations > 0 and np.isfinite(observed).any():
        hits = _null_counts(codes, src, dst, observed, permutations, seed)
        p_value = np.where(np.isnan(observed), np.nan, (1 + hits) / (1 + permutations))
    size = np.bincount(codes, minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        insularity = np.where(ends > 0, 2 * internal / np.maximum(ends, 1), np.nan)
        density = np.where(size > 1, internal / (size * (size - 1.0)), np.nan)
    columns = [pd.Series(labels, dtype=object), size, internal, ends - 2 * internal,
               observed, p_value, ei_p_holm(labels, p_value, withheld), insularity, density]  # fmt: skip
    table = pd.DataFrame(dict(zip(SCORECARD_COLUMNS, columns, strict=True)))
    ints = ["size", "internal_ties", "external_ties"]
    return table.astype(dict.fromkeys(ints, "int64") | dict.fromkeys(SCORECARD_COLUMNS[4:], float))


def block_density(graph: ig.Graph, groups: np.ndarray, *, top: int | None = None) -> pd.DataFrame:
    """Density of directed ties from each group (rows) to each group (columns).

    Off the diagonal: arcs from ``a`` to ``b`` over ``n_a n_b``; on it: internal arcs
    over ``n_a (n_a - 1)`` (``NaN`` for a one-person group). With ``top``, only the
    ``top`` largest groups (ties by label), in label order: a million people in 25,000
    units would otherwise need a 25,000 × 25,000 matrix. An unknown group has no row or
    column, and ties to it are in no cell.

    Examples
    --------
    >>> g = ig.Graph(n=5, edges=[(0, 1), (1, 2), (2, 0), (3, 4), (0, 3), (4, 1)], directed=True)
    >>> blocks = block_density(g, np.array(["A", "A", "A", "B", "B"]))
    >>> blocks.index.tolist(), blocks.round(4).to_numpy().tolist()
    (['A', 'B'], [[0.5, 0.1667], [0.1667, 0.5]])

    References
    ----------
    White, H. C., Boorman, S. A., & Breiger, R. L. (1976). Social structure from multiple
    networks. I. Blockmodels of roles and positions. American Journal of Sociology, 81(4), 730-780.
    """
    labels, codes = label_codes(graph, groups)
    src, dst = _known_arcs(graph, codes)
    size = np.bincount(codes[codes >= 0], minlength=len(labels)).astype(float)
    if top is not None and len(labels) > top:
        keep = np.sort(np.argsort(-size, kind="stable")[:top])
        new = np.full(len(labels) + 1, -1)  # the last entry: code -1, unknown, stays -1
        new[keep] = np.arange(len(keep))
        codes, labels, size = new[codes], [labels[i] for i in keep], size[keep]
        inside = known_arcs(codes, src, dst)
        src, dst = src[inside], dst[inside]
    k = len(labels)
    counts = np.bincount(codes[src] * k + codes[dst], minlength=k * k).reshape(k, k).astype(float)
    pairs = np.outer(size, size) - np.diag(size)
    with np.errstate(invalid="ignore", divide="ignore"):
        dens = np.where(pairs > 0, counts / np.where(pairs > 0, pairs, 1.0), np.nan)
    index = pd.Index(labels, name="from_group", dtype=object)
    return pd.DataFrame(dens, index=index, columns=pd.Index(labels, name="to_group", dtype=object))


def formal_modularity(graph: ig.Graph, groups: np.ndarray) -> float | None:
    """Newman's modularity Q of a given partition (e.g. formal units).

    Computed on the same collapsed undirected weighted graph as the detected
    communities (:func:`leadnet.communities.collapse_to_undirected`), so the two Q
    values compare directly. People of unknown group are left out with their ties (Q of
    the network among the others). ``None`` without ties.

    Examples
    --------
    >>> g = ig.Graph(n=6, edges=[(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (2, 3)], directed=True)
    >>> round(formal_modularity(g, np.array(["A", "A", "A", "B", "B", "B"])), 4)
    0.3571

    References
    ----------
    Newman, M. E. J. (2006). Modularity and community structure in networks. PNAS, 103(23), 8577-8582.
    """
    _, codes = label_codes(graph, groups)
    und = collapse_to_undirected(graph)
    if (codes < 0).any():  # the known people, in vertex order, and the ties among them
        und, codes = und.induced_subgraph(np.flatnonzero(codes >= 0).tolist()), codes[codes >= 0]
    if und.ecount() == 0 or float(np.sum(und.es["weight"])) == 0.0:
        return None
    return float(und.modularity(codes.tolist(), weights="weight"))
