"""The communities table: one row per community, what it holds and who links it to the rest.

:func:`community_table` gives each community's size, its share of Newman's modularity
(:func:`modularity_shares`), its dominant units (a member of unknown unit never named) and
its bridges, the members with most contacts outside it; all on the undirected graph of
:func:`leadnet.undirected.collapse_to_undirected`. Group-size suppression is left to the
caller.
"""

from __future__ import annotations

import igraph as ig
import numpy as np
import pandas as pd

from leadnet.edges import edge_array
from leadnet.errors import InputError
from leadnet.groups import unknown_groups
from leadnet.undirected import collapse_to_undirected


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
