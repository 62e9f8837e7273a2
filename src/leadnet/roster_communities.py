"""Communities of the roster's people: found, measured and tabled without the pooled outside world.

An e-mail source with ``external = "pool"`` makes one vertex, ``external``, of every address
no roster lists (``Snapshot.outside_roster``). It is a contact, not a person: tied to many
people of many units, it would glue separate clusters into one community, count in modularity
and in the agreement of communities with units, and stand as the one articulation point
between groups that each mail outside. So every community figure is computed on the graph of
the roster's people (:func:`roster_graph`), the same as with ``external = "drop"``:
Leiden and modularity, NMI/ARI against units, ``n_isolated``, the communities table,
participation across communities, and the bridges' articulation points. The pooled vertex
is in no community: its ``community`` and ``participation_communities`` are missing.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import igraph as ig
import numpy as np
import pandas as pd

from leadnet import bridging, silos
from leadnet import communities as comm
from leadnet.config import AnalysisSection
from leadnet.groups import POOLED_UNITS
from leadnet.metrics.brokerage import participation
from leadnet.model import Snapshot
from leadnet.partitions import partition_agreement
from leadnet.privacy import blank_groups, communities_to_suppress, suppressed_groups

__all__ = [
    "RosterCommunities", "bridges", "communities_method", "communities_table", "community_summary",
    "detect_roster_communities", "outside", "roster_graph",
]  # fmt: skip


def outside(snapshot: Snapshot) -> np.ndarray:
    """Whether each person is on no roster: the pooled outside world (``outside_roster``)."""
    return snapshot.people["person_id"].isin(snapshot.outside_roster).to_numpy()


def roster_graph(snapshot: Snapshot, graph: ig.Graph) -> ig.Graph:
    """``graph`` without the pooled outside world (``Snapshot.outside_roster``): the organisation.

    The outside world pooled is one vertex that receives every e-mail sent outside, so with it
    the in-degree centralisation and Gini measured how much mail goes outside, and the
    communities joined every group that mails outside.
    """
    away = outside(snapshot)
    return graph.induced_subgraph(np.flatnonzero(~away).tolist()) if away.any() else graph


@dataclass(frozen=True, eq=False)
class RosterCommunities:
    """Communities found among the roster's people (``found``, over ``graph``'s vertices).

    ``graph`` is :func:`roster_graph`; ``roster`` says which vertex of the whole graph is a
    roster person, in vertex order: the ``i``-th ``True`` of ``roster`` is vertex ``i`` of ``graph``.
    """

    found: comm.Communities
    graph: ig.Graph
    roster: np.ndarray

    def spread(self, values: np.ndarray, missing: float) -> np.ndarray:
        """``values`` of the roster's people set out over the whole graph, ``missing`` elsewhere."""
        whole = np.full(len(self.roster), missing, dtype=np.asarray(values).dtype)
        whole[self.roster] = values
        return whole

    def community(self) -> pd.api.extensions.ExtensionArray:
        """Each vertex's community (``people.csv``'s column), missing for the pooled outside world."""
        codes = pd.array(self.spread(self.found.membership, -1), dtype="Int64")
        codes[~self.roster] = pd.NA
        return codes

    def participation(self) -> np.ndarray:
        """Participation across communities (:func:`~leadnet.metrics.brokerage.participation`)
        among the roster's people; ``NaN`` for the pooled outside world."""
        return self.spread(participation(self.graph, self.found.membership), np.nan)


def detect_roster_communities(
    snapshot: Snapshot, graph: ig.Graph, settings: AnalysisSection
) -> RosterCommunities:
    """Leiden on the roster's people (:func:`leadnet.communities.detect_communities`), the pooled
    outside world left out; with no outside world, on ``graph`` itself.

    Examples
    --------
    Two triangles, each also writing to the pooled outside world ``external``: without it they are
    two communities (with it, one vertex tied to all six), and ``external`` is in none.

    >>> from leadnet.model import Provenance
    >>> ids = ["p1", "p2", "p3", "p4", "p5", "p6"]
    >>> people = pd.DataFrame({"person_id": [*ids, "external"], "unit": [*"xxxyyy", "(external)"]})
    >>> arcs = [(a, b) for a, b in zip(ids, ["p2", "p3", "p1", "p5", "p6", "p4"])]
    >>> arcs += [(p, "external") for p in ids]
    >>> ties = pd.DataFrame(arcs, columns=["source", "target"]).assign(relation="email")
    >>> pooled = Provenance(parameters={"outside_roster": ["external"]})
    >>> snapshot = Snapshot.build("t", people, ties, provenance=pooled)
    >>> found = detect_roster_communities(snapshot, snapshot.to_igraph(), AnalysisSection())
    >>> snapshot.people["person_id"].tolist()[0], found.community().tolist()
    ('external', [<NA>, 0, 0, 0, 1, 1, 1])
    >>> round(found.found.modularity, 4)
    0.5
    """
    sub = roster_graph(snapshot, graph)
    found = comm.detect_communities(sub, seed=settings.seed, resolution=settings.resolution)
    return RosterCommunities(found=found, graph=sub, roster=~outside(snapshot))


def n_communities(found: comm.Communities) -> int:
    """Communities of two or more people: a person with no tie is a community of one in
    ``people.csv``, not a working cluster (the summary counts them as ``n_isolated``), so a
    change in who answered the survey does not read as a change in communities.

    Where the network has no ties at all, every person is such a placeholder, so there are
    none (0), as ``n_isolated`` is everyone: not one community per person, which the report
    called "working clusters of two or more people".
    """
    return int((np.bincount(np.asarray(found.membership, dtype=np.int64)) >= 2).sum())


def community_summary(found: RosterCommunities, units: np.ndarray, has_units: bool) -> dict[str, Any]:
    """The summary's community figures, all among the roster's people: ``n_communities``,
    ``modularity``, their agreement with ``units`` (integer codes over the whole graph, ``-1``
    unknown; NMI and ARI when ``has_units``), stability and ``n_isolated`` (no tie to a roster
    person: a community of one, as with the outside world dropped)."""
    compared = has_units and found.found.reason is None
    agreement = partition_agreement(found.found.membership, units[found.roster]) if compared else {}
    return {
        "n_communities": n_communities(found.found),
        "modularity": found.found.modularity,
        "nmi_units_communities": agreement.get("nmi"),
        "ari_units_communities": agreement.get("ari"),
        "community_stability_ari": found.found.stability_ari,
        "communities_stable": found.found.stable,
        "n_isolated": int((np.asarray(found.graph.degree()) == 0).sum()),
    }


def communities_table(
    found: RosterCommunities, snapshot: Snapshot, labels: np.ndarray, k: int, units_table: pd.DataFrame
) -> pd.DataFrame:
    """``communities.csv``, suppressed below ``k``; a person with no tie (a community of one,
    counted in ``n_isolated``) hides no cluster (:func:`leadnet.privacy.communities_to_suppress`).
    ``labels`` are the units by name over the whole graph, unknown ones missing. A unit
    ``units_table`` shows as ``<k`` is never named among the dominant units (its people are
    counted, unnamed, as those of unknown unit): named with its share of a community, it would
    give back its size, and so that of the smaller unit it hides."""
    labels = labels[found.roster].copy()
    labels[pd.Series(labels).isin(suppressed_groups(units_table)).to_numpy()] = None
    membership = found.found.membership
    ids = snapshot.people["person_id"].to_numpy()[found.roster]
    table = silos.community_table(found.graph, membership, labels, ids, min_count=k)
    tied = np.asarray(found.graph.degree(), dtype=np.int64) > 0
    no_tie = np.bincount(membership, weights=tied, minlength=len(table)) == 0
    hide = communities_to_suppress(table["size"], no_tie, k).to_numpy()
    return blank_groups(table, hide, [c for c in table.columns if c != "community"], k)


def bridges(found: RosterCommunities, labels: np.ndarray, pooled: Collection[str] = ()) -> pd.DataFrame:
    """:func:`leadnet.bridging.bridges` among the roster's people (``labels``: units by name over
    the whole graph): a cut vertex is one whose departure disconnects people, which the pooled
    outside world, joining every group that mails outside, would otherwise hide.

    The units hidden for privacy (``pooled``) are one unit, :data:`~leadnet.groups.POOLED_UNITS`,
    as every output shows them: a hidden unit's person's contacts with other units, beside
    ``ties.csv``, would tell which of their contacts share their unit, and a person's units reached
    how the pool's people split between its units (what ``people.csv`` withholds,
    :mod:`leadnet.report.disclosure`)."""
    units = labels[found.roster]
    hide = pd.Series(units, dtype=object).isin(list(pooled)).to_numpy()
    return bridging.bridges(found.graph, np.where(hide, POOLED_UNITS, units))


def communities_method(found: comm.Communities) -> dict[str, Any]:
    """How the communities were found, for ``methods["communities"]``."""
    iterations = "to convergence" if found.iterations < 0 else found.iterations
    return {"method": found.method, "resolution": found.resolution, "seed": found.seed,
            "stability_ari": found.stability_ari, "reason": found.reason, "runs": found.n_runs,
            "iterations": iterations}  # fmt: skip
