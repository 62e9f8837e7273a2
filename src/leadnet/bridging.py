"""Bridges between formal units: the people who carry the contacts between them.

Bridges count *contacts*, not arcs: pairs of people tied in either direction, once per
pair. :func:`bridges` ranks people by the cross-unit contacts they hold and says what
their removal would cost (contacts lost, unit pairs left with no contact at all, cut
vertices); :func:`unit_pair_carriers` lists who carries the contacts between two units.
A contact counts as cross-unit only between two people of known, different units: one
with a person of unknown unit (a missing label, :mod:`leadnet.groups`) is between no units.
"""

from __future__ import annotations

import igraph as ig
import numpy as np
import pandas as pd

from leadnet.communities import collapse_to_undirected, person_ids
from leadnet.edges import edge_array
from leadnet.errors import InputError
from leadnet.groups import known_arcs
from leadnet.silos import label_codes

__all__ = ["bridges", "unit_pair_carriers"]


BRIDGE_COLUMNS = (
    "rank", "person_id", "unit", "cross_unit_ties", "units_reached", "is_articulation_point",
    "removal_cross_ties_lost", "removal_unit_pairs_cut", "cumulative_cross_share",
)  # fmt: skip
CARRIER_COLUMNS = ("rank", "person_id", "unit", "ties", "share", "cumulative_share")


def _contacts(graph: ig.Graph) -> tuple[ig.Graph, np.ndarray, np.ndarray]:
    """The collapsed undirected graph and its contact pairs (each pair once, no self-ties)."""
    und = collapse_to_undirected(graph)
    edges = edge_array(und)
    return und, edges[:, 0], edges[:, 1]


def _removal_losses(u: np.ndarray, v: np.ndarray, codes: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Per person: cross-unit contacts lost, and unit pairs left without contact, if removed."""
    holdings = _Holdings(u, v, codes, k)
    return holdings.lost, holdings.cut()


class _Holdings:
    """The cross-unit contacts still present, counted per person, per (person, other unit) and per unit pair.

    Built once with one sort; :meth:`remove` takes a person out by subtracting their
    contacts from the counts, so each greedy step costs no sort.
    """

    def __init__(self, u: np.ndarray, v: np.ndarray, codes: np.ndarray, k: int) -> None:
        n, cu, cv = len(codes), codes[u], codes[v]
        self.u, self.v, self.alive = u, v, np.ones(len(u), dtype=bool)
        self.lost = np.bincount(u, minlength=n) + np.bincount(v, minlength=n)
        # contacts per unordered unit pair, kept sparse: k × k would not fit for 25,000 units
        _, self.pair, self.pair_count = np.unique(
            np.minimum(cu, cv) * k + np.maximum(cu, cv), return_inverse=True, return_counts=True
        )
        # each contact is held by both its ends: key person × k + the other end's unit
        keys, self.end_key, self.held = np.unique(
            np.concatenate([u * k + cv, v * k + cu]), return_inverse=True, return_counts=True
        )
        self.person = keys // k
        self.key_pair = np.empty(len(keys), dtype=np.int64)
        self.key_pair[self.end_key] = np.concatenate([self.pair, self.pair])

    def cut(self) -> np.ndarray:
        """Per person, the unit pairs whose every remaining contact they hold."""
        sole = (self.held > 0) & (self.held == self.pair_count[self.key_pair])
        return np.bincount(self.person[sole], minlength=len(self.lost))

    def remove(self, person: int) -> None:
        gone = np.flatnonzero(self.alive & ((self.u == person) | (self.v == person)))
        self.alive[gone] = False
        np.subtract.at(self.lost, np.concatenate([self.u[gone], self.v[gone]]), 1)
        np.subtract.at(self.held, self.end_key[np.concatenate([gone, gone + len(self.u)])], 1)
        np.subtract.at(self.pair_count, self.pair[gone], 1)


def _best(lost: np.ndarray, cut: np.ndarray, ids: np.ndarray) -> int:
    """Most contacts lost, then most unit pairs cut, then first by person_id (as :func:`_rank_order`)."""
    best = np.flatnonzero(lost == lost.max())
    best = best[cut[best] == cut[best].max()]
    return int(best[np.argsort(ids[best].astype(str), kind="stable")[0]])


def _rank_order(ids: np.ndarray) -> np.ndarray:
    """Rank of each person_id in sorted order (for tie-breaks)."""
    order = np.argsort(ids.astype(str), kind="stable")
    rank = np.empty(len(ids), dtype=np.int64)
    rank[order] = np.arange(len(ids))
    return rank


def bridges(graph: ig.Graph, units: np.ndarray, *, top: int = 10) -> pd.DataFrame:
    """The people whose departure most cuts contact between units, greedily.

    Objective (key-player style, greedy): at each step remove the person whose
    removal loses the most remaining cross-unit contacts; ties broken by the number
    of unit pairs that would be left with no contact at all, then by person_id.
    ``removal_*`` columns are marginal (given the people ranked above);
    ``cumulative_cross_share`` is the share of all cross-unit contacts lost once the
    people up to this rank are gone. ``cross_unit_ties`` and ``units_reached``
    describe the person in the intact network; ``is_articulation_point`` says their
    removal disconnects the (undirected) network. Stops early when no cross-unit
    contact is left.

    Examples
    --------
    Units A = {a1, a2}, B = {b1, b2}, C = {c1}: a2 holds every cross-unit contact.

    >>> g = ig.Graph(n=5, edges=[(0, 1), (1, 2), (2, 3), (1, 4)], directed=True)
    >>> g.vs["name"] = ["a1", "a2", "b1", "b2", "c1"]
    >>> top = bridges(g, np.array(["A", "A", "B", "B", "C"]))
    >>> print(top[["person_id", "removal_cross_ties_lost", "removal_unit_pairs_cut"]].to_string(index=False))
    person_id  removal_cross_ties_lost  removal_unit_pairs_cut
           a2                        2                       2

    References
    ----------
    Borgatti, S. P. (2006). Identifying sets of key players in a social network.
    Computational and Mathematical Organization Theory, 12, 21-34.
    Hopcroft, J., & Tarjan, R. (1973). Algorithm 447: efficient algorithms for graph manipulation.
    Communications of the ACM, 16(6), 372-378.
    """
    labels, codes = label_codes(graph, units, "units")
    und, u, v = _contacts(graph)
    ids = person_ids(graph)
    cross = (codes[u] != codes[v]) & known_arcs(codes, u, v)
    u, v = u[cross], v[cross]
    holdings = _Holdings(u, v, codes, len(labels))
    cross_ties = holdings.lost.copy()
    reached = np.bincount(holdings.person, minlength=len(codes))  # (person, other unit) keys held
    articulation = np.zeros(len(codes), dtype=bool)
    articulation[und.articulation_points()] = True
    rows = []
    for rank in range(1, top + 1):
        lost, cut = holdings.lost, holdings.cut()
        if len(lost) == 0 or lost.max() == 0:
            break
        best = _best(lost, cut, ids)
        lost_best, cut_best = int(lost[best]), int(cut[best])
        holdings.remove(best)
        share = 1.0 - holdings.alive.sum() / len(u)
        rows.append((rank, ids[best], labels[codes[best]], int(cross_ties[best]), int(reached[best]),
                     bool(articulation[best]), lost_best, cut_best, float(share)))  # fmt: skip
    table = pd.DataFrame(rows, columns=list(BRIDGE_COLUMNS))
    ints = ["rank", "cross_unit_ties", "units_reached", "removal_cross_ties_lost", "removal_unit_pairs_cut"]
    kinds = dict.fromkeys(ints, "int64") | {"is_articulation_point": bool, "cumulative_cross_share": float}
    return table.astype(kinds | {"person_id": object, "unit": object})


def _unit_index(labels: list[object], unit: object, name: str) -> int:
    text = [str(x) for x in labels]
    if str(unit) not in text:
        options = ", ".join(repr(x) for x in labels)
        raise InputError(f"`{name}` must be one of the units: {options}. Got {unit!r} instead.")
    return text.index(str(unit))


def unit_pair_carriers(
    graph: ig.Graph, units: np.ndarray, a: object, b: object, *, top: int = 3
) -> pd.DataFrame:
    """The people carrying most of the contact between units ``a`` and ``b``, and their share.

    Greedy cover of the a–b contacts (pairs tied in either direction): each step takes
    the person touching the most contacts not yet covered (then by person_id).
    ``ties`` is the person's a–b contacts, ``share`` that over all a–b contacts,
    ``cumulative_share`` the share touching anyone ranked so far, so the last row of
    ``top=3`` reads "three people carry 80% of the contact between a and b". Empty when
    the units have no contact.

    Examples
    --------
    >>> g = ig.Graph(n=5, edges=[(0, 3), (0, 4), (1, 3), (2, 4)], directed=True)
    >>> g.vs["name"] = ["s1", "s2", "s3", "d1", "d2"]
    >>> units = np.array(["Surgery"] * 3 + ["Diagnostics"] * 2)
    >>> unit_pair_carriers(g, units, "Surgery", "Diagnostics", top=2)
       rank person_id         unit  ties  share  cumulative_share
    0     1        d1  Diagnostics     2    0.5               0.5
    1     2        d2  Diagnostics     2    0.5               1.0

    References
    ----------
    Borgatti, S. P. (2006). Identifying sets of key players in a social network.
    Computational and Mathematical Organization Theory, 12, 21-34.
    """
    labels, codes = label_codes(graph, units, "units")
    ia, ib = _unit_index(labels, a, "a"), _unit_index(labels, b, "b")
    if ia == ib:
        raise InputError(f"`a` and `b` must be two different units. Got {a!r} twice.")
    _, u, v = _contacts(graph)
    keep = ((codes[u] == ia) & (codes[v] == ib)) | ((codes[u] == ib) & (codes[v] == ia))
    u, v, n = u[keep], v[keep], len(codes)
    ties = np.bincount(u, minlength=n) + np.bincount(v, minlength=n)
    ids = person_ids(graph)
    id_rank, alive, rows = _rank_order(ids), np.ones(len(u), dtype=bool), []
    for rank in range(1, top + 1):
        covers = np.bincount(u[alive], minlength=n) + np.bincount(v[alive], minlength=n)
        if covers.max(initial=0) == 0:
            break
        best = int(np.lexsort((id_rank, -covers))[0])
        alive &= (u != best) & (v != best)
        rows.append((rank, ids[best], labels[codes[best]], int(ties[best]), ties[best] / len(u),
                     1.0 - alive.sum() / len(u)))  # fmt: skip
    table = pd.DataFrame(rows, columns=list(CARRIER_COLUMNS))
    kinds = {"rank": "int64", "ties": "int64", "share": float, "cumulative_share": float}
    return table.astype(kinds | {"person_id": object, "unit": object})
