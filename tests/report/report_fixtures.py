"""Analysis values for report tests, built directly from a snapshot (no analyse()).

The person table carries degrees computed here, and the communities are the units (no
Leiden); the rest takes the analysis's own path: the units table is ``analyse``'s
(:func:`leadnet.analysis._units_table`, with its privacy floor and Holm family), and the unit
labels, the communities' graph and the network figures leave the pooled outside world out
(:func:`leadnet.groups.roster_unit_labels`, :func:`leadnet.roster_communities.roster_graph`),
so a report test sees the tables a real report sees.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from leadnet import roster_communities as rc
from leadnet.analysis import BLOCK_UNITS, PEOPLE_CSV_COLUMNS, Analysis, _unit_labels, _units_table
from leadnet.communities import Communities
from leadnet.config import AnalysisSection, ProjectSection
from leadnet.metrics.leadership import leadership_indices
from leadnet.metrics.roles import REASON_COLUMNS, Roles, RoleThresholds
from leadnet.metrics.structure import network_figures
from leadnet.model import InputRecord, Period, Provenance, Snapshot
from leadnet.privacy import hidden_groups
from leadnet.silos import block_density

XSS = (
    "<img src=x onerror=window.__xss=1>",
    "</script><script>window.__xss=1</script>",
    '"><svg onload=window.__xss=1>',
)


def _unit_communities(snapshot: Snapshot, graph: Any) -> rc.RosterCommunities:
    """The roster's people in one community per unit (a blank unit one more, last), found as
    ``analyse`` finds communities: on the graph without the pooled outside world, which is in none."""
    roster = ~rc.outside(snapshot)
    units = snapshot.people["unit"][roster]
    membership = pd.factorize(units, sort=True, use_na_sentinel=False)[0]
    found = Communities(
        membership=membership,
        modularity=None,
        n_communities=len(set(membership.tolist())),
        stability_ari=None,
        stable=True,
        method="units (report_fixtures)",
        resolution=1.0,
        seed=0,
    )
    return rc.RosterCommunities(found=found, graph=rc.roster_graph(snapshot, graph), roster=roster)


def _people_table(
    snapshot: Snapshot, graph: Any, reasons: pd.DataFrame, found: rc.RosterCommunities
) -> pd.DataFrame:
    people = snapshot.people
    table = pd.DataFrame({c: 0.0 for c in PEOPLE_CSV_COLUMNS}, index=range(len(people)))
    table["person_id"] = people["person_id"].to_numpy()
    table["unit"] = people["unit"].to_numpy()
    table["level"] = people["level"].to_numpy()
    table["is_manager"] = people["is_manager"].to_numpy()
    table["in_degree"] = np.asarray(graph.indegree(), dtype=np.int64)
    table["out_degree"] = np.asarray(graph.outdegree(), dtype=np.int64)
    table["community"] = found.community()  # the pooled outside world: in none
    roles = reasons.groupby("person_id")["role"].agg(";".join) if len(reasons) else pd.Series(dtype=object)
    table["roles"] = [roles.get(p, "") for p in table["person_id"]]
    return table[list(PEOPLE_CSV_COLUMNS)]


def make_analysis(
    snapshot: Snapshot,
    *,
    reasons: pd.DataFrame | None = None,
    summary: Mapping[str, Any] | None = None,
    bridges: pd.DataFrame | None = None,
    purpose: str = "Evaluate the 2026 leadership academy",
    permutations: int = 0,
) -> Analysis:
    """An Analysis of ``snapshot`` whose summary holds the real network figures plus ``summary``;
    the units' E-I p-values only with ``permutations`` (none by default, as they take time)."""
    settings = AnalysisSection(permutations=permutations)
    graph = snapshot.to_igraph()
    found = _unit_communities(snapshot, graph)
    reasons = reasons if reasons is not None else pd.DataFrame(columns=list(REASON_COLUMNS))
    people = _people_table(snapshot, graph, reasons, found)
    names = _unit_labels(snapshot)  # units by name; the pooled outside world is none
    pagerank = np.asarray(graph.pagerank(), dtype=float) if graph.vcount() else np.zeros(0)
    roster_people = snapshot.people[found.roster].reset_index(drop=True)
    lead = leadership_indices(found.graph, roster_people, pagerank[found.roster])
    units = _units_table(graph, snapshot, lead, settings, permutations=permutations)
    figures = network_figures(found.graph).to_dict()  # the roster's people
    base = {key: figures.get(key) for key in ("n_people", "n_ties", "density", "reciprocity")}
    base |= {"relation": snapshot.relation, "relations": {snapshot.relation: figures}}
    base |= {"gini_in_degree": figures.get("gini_in_degree"), "n_informal_leaders": 0}
    roles = Roles(
        labels=people.set_index("person_id")["roles"],
        reasons=reasons,
        thresholds=RoleThresholds(),
        n_informal_leaders=0,
        n_formal_leaders_low_reach=0,
        n_boundary_spanners=0,
        n_central_connectors=0,
        n_overload_risk=0,
        n_peripheral=0,
    )
    communities = rc.communities_table(found, snapshot, names, settings.min_group_size, units)
    return Analysis(
        snapshot=snapshot,
        settings=settings,
        project=ProjectSection(name="riverside", purpose=purpose),
        summary=base | dict(summary or {}),
        people=people,
        units=units,
        communities=communities,
        roles=roles,
        leadership=lead,
        block_density=block_density(graph, names, top=BLOCK_UNITS),
        bridges=bridges if bridges is not None else pd.DataFrame({"person_id": [], "units": []}),
        hidden=hidden_groups(units, communities, lead.hidden_levels, settings.min_group_size),
    )


def snapshot_of(
    people: pd.DataFrame, ties: pd.DataFrame | None = None, *, inputs: tuple[InputRecord, ...] = ()
) -> Snapshot:
    ties = (
        ties if ties is not None else pd.DataFrame({"source": [], "target": [], "relation": [], "weight": []})
    )
    return Snapshot.build(
        "main",
        people,
        ties,
        period=Period(),
        provenance=Provenance(inputs=inputs),
    )


def org(unit_sizes: Mapping[str, int], *, names: bool = False) -> Snapshot:
    """Units of the given sizes; in each unit everyone asks the next person (a ring), plus one tie across."""
    rows, ties = [], []
    for u, (unit, size) in enumerate(unit_sizes.items()):
        ids = [f"p{u}{i:03d}" for i in range(size)]
        for i, pid in enumerate(ids):
            rows.append(
                {
                    "person_id": pid,
                    "unit": unit,
                    "level": "Staff" if i else "Head",
                    "level_rank": 2 if i else 1,
                }
            )
            ties.append((pid, ids[(i + 1) % size]))
        if u:
            ties.append((ids[0], "p0000"))
    people = pd.DataFrame(rows)
    if names:
        people["name"] = [f"Name {r['person_id']}" for r in rows]
    frame = pd.DataFrame(ties, columns=["source", "target"]).assign(relation="advice", weight=1.0)
    return snapshot_of(people, frame[frame.source != frame.target])


def with_outside(snapshot: Snapshot, writers: Mapping[str, int]) -> Snapshot:
    """``snapshot`` with the pooled outside world of an e-mail source (``external = "pool"``): one
    person ``external`` of unit ``(external)``, to whom each of ``writers`` sends that many ties'
    weight (one tie each), recorded as off the roster (provenance ``outside_roster``)."""
    people = pd.concat(
        [snapshot.people, pd.DataFrame({"person_id": ["external"], "unit": ["(external)"]})],
        ignore_index=True,
    )
    outside = pd.DataFrame(
        {"source": list(writers), "target": "external", "weight": [float(w) for w in writers.values()]}
    )
    ties = pd.concat([snapshot.ties, outside.assign(relation=snapshot.relation, count=1)], ignore_index=True)
    provenance = Provenance(inputs=snapshot.provenance.inputs, parameters={"outside_roster": ["external"]})
    return Snapshot.build(snapshot.name, people, ties, period=snapshot.period, provenance=provenance)


def cliques(sizes: Mapping[str, int], *, lone: int = 0) -> Snapshot:
    """One unit per clique (everyone asks everyone), and ``lone`` people with no tie in unit ``z``."""
    people = pd.DataFrame(
        [{"person_id": f"{unit}{i}", "unit": unit} for unit, n in sizes.items() for i in range(n)]
        + [{"person_id": f"z{i}", "unit": "z"} for i in range(lone)]
    )
    pairs = [
        (f"{unit}{i}", f"{unit}{j}")
        for unit, n in sizes.items()
        for i in range(n)
        for j in range(n)
        if i != j
    ]
    ties = pd.DataFrame(pairs, columns=["source", "target"]).assign(relation="advice", weight=1.0)
    return snapshot_of(people, ties)
