"""``analyse(snapshot, settings) → Analysis``: orchestration only.

Each figure is computed by the module named after its concept (metrics/, communities,
silos); this module wires them together, applies the privacy floor to group-level
tables, and assembles the values the report and exports show.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import igraph as ig
import numpy as np
import pandas as pd

from leadnet import communities as comm
from leadnet import roster_communities as rc
from leadnet import silos
from leadnet.config import AnalysisSection, ProjectSection
from leadnet.groups import roster_unit_labels
from leadnet.metrics.brokerage import brokerage, cross_unit_share, participation, unit_ties
from leadnet.metrics.centrality import centrality
from leadnet.metrics.leadership import LeadershipIndices, leadership_indices
from leadnet.metrics.roles import Roles, assign_roles
from leadnet.metrics.structure import network_figures
from leadnet.model import Snapshot
from leadnet.nonresponse import RESPONSE_KEYS, low_response, non_response_note, with_response
from leadnet.privacy import Hidden, blank_groups, groups_to_suppress, hidden_groups
from leadnet.summary_reasons import absent_relation, no_primary_ties, summary_reasons

StageHook = Callable[[str, float], None]
"""Called after each stage of :func:`analyse` with the stage name and its wall-clock seconds."""

ANALYSIS_STAGES: tuple[str, ...] = (
    "graph", "communities", "centrality", "brokerage", "roles", "leadership", "silos", "summary",
)  # fmt: skip


@contextmanager
def timed(hook: StageHook | None, name: str) -> Iterator[None]:
    """Time the block and report it to ``hook`` (nothing happens without one).

    Examples
    --------
    >>> seen = []
    >>> with timed(lambda stage, seconds: seen.append(stage), "graph"):
    ...     pass
    >>> seen
    ['graph']
    """
    start = time.perf_counter()
    yield
    if hook is not None:
        hook(name, time.perf_counter() - start)


BLOCK_UNITS = 60
"""The block-density matrix (the report's heatmap) keeps this many of the largest units."""

BROKERAGE_ROLES = ("coordinator", "gatekeeper", "representative", "consultant", "liaison")

PEOPLE_CSV_COLUMNS: tuple[str, ...] = (
    "person_id", "unit", "level", "is_manager", "in_degree", "out_degree", "in_strength",
    "out_strength", "pagerank", "betweenness", "constraint", "effective_size", "community",
    "participation", "brokerage_coordinator", "brokerage_gatekeeper", "brokerage_representative",
    "brokerage_consultant", "brokerage_liaison", "roles", "brokerage_total", "brokerage_z",
    "participation_communities", "cross_unit_share",
)  # fmt: skip

SUMMARY_KEYS: tuple[str, ...] = (
    "n_people", "n_ties", "density", "reciprocity", "centralization_in_degree", "gini_in_degree",
    "leadership_share_outside_top", "n_informal_leaders", "n_boundary_spanners", "n_communities",
    "modularity", "nmi_units_communities", "ei_index",
)  # fmt: skip


@dataclass(frozen=True, eq=False)
class Analysis:
    """Everything one snapshot's analysis found, ready to report and export.

    ``people``, ``units`` and ``communities`` have the column order of the output
    contract; group-level tables are already suppressed below ``settings.min_group_size``.
    ``people`` and ``units`` keep the real unit, level and community of everyone, the hidden
    groups' too (the figures and ``compare`` rest on them); ``hidden`` names those groups, worked
    out once as the analysis is built (:func:`leadnet.privacy.hidden_groups`), and what an output
    may show of them is :mod:`leadnet.report.disclosure`'s.
    """

    snapshot: Snapshot
    settings: AnalysisSection
    project: ProjectSection
    summary: Mapping[str, Any]
    people: pd.DataFrame
    units: pd.DataFrame
    communities: pd.DataFrame
    roles: Roles
    leadership: LeadershipIndices | None
    block_density: pd.DataFrame
    bridges: pd.DataFrame
    hidden: Hidden
    methods: Mapping[str, Any] = field(default_factory=dict)

    @property
    def ties(self) -> pd.DataFrame:
        return self.snapshot.ties


def _unit_labels(snapshot: Snapshot) -> np.ndarray:
    """Units by name in person order, unknown ones (a blank unit, the pooled outside world) missing
    (:func:`leadnet.groups.roster_unit_labels`): the outside world is a contact, not a unit."""
    return roster_unit_labels(snapshot.people, snapshot.outside_roster)


def _unit_codes(snapshot: Snapshot) -> np.ndarray:
    """Units as integer codes in person order; ``-1``: unknown (:func:`_unit_labels`)."""
    return pd.factorize(_unit_labels(snapshot), sort=True)[0]


def _relation_figures(snapshot: Snapshot, roster: ig.Graph) -> dict[str, dict[str, Any]]:
    """Network figures and survey response counts of every relation among the roster's people, a
    surveyed one with no tie too (:func:`leadnet.nonresponse.with_response`); ``roster`` is the
    primary relation's graph of them (:func:`leadnet.roster_communities.roster_graph`), not rebuilt."""
    unnamed = [rel for rel in snapshot.non_respondents if rel not in snapshot.relations]
    return {
        rel: _with_response(
            snapshot,
            roster if rel == snapshot.relation else rc.roster_graph(snapshot, snapshot.to_igraph(rel)),
            rel,
        )
        for rel in (*snapshot.relations, *unnamed)
    }


def _with_response(snapshot: Snapshot, roster: ig.Graph, relation: str | None) -> dict[str, Any]:
    """Network figures of ``roster`` (a graph of the roster's people) with the relation's response."""
    figures = network_figures(roster).to_dict()
    return with_response(figures, snapshot.n_roster, snapshot.non_respondents, relation)


def _brokerage_metrics(
    graph: ig.Graph, table: pd.DataFrame, units: np.ndarray, found: rc.RosterCommunities, silent: np.ndarray
) -> dict[str, Any]:
    """Add the brokerage, participation and cross-unit columns to ``table``; returns the method.

    The counts of a person of unknown unit or ``silent`` (a survey non-respondent: a two-path through
    them needs a tie they would name) are missing (nullable integers, empty in ``people.csv``), not 0.
    """
    broker = brokerage(graph, units)
    for role in (*BROKERAGE_ROLES, "total"):
        table[f"brokerage_{role}"] = broker.counts[role].astype("Int64").mask((units < 0) | silent)
    table["brokerage_z"] = np.where(silent, np.nan, broker.z["total"].to_numpy())
    table["participation"] = participation(graph, units)
    table["participation_communities"] = found.participation()  # among the roster's people
    table["cross_unit_share"] = cross_unit_share(graph, units)
    table["unit_ties"] = unit_ties(graph, units)  # the spanner's minimum ties: known units only
    table["community"] = found.community()  # the pooled outside world: in none
    return {"brokerage": broker.method}


def _silent(snapshot: Snapshot) -> np.ndarray:
    """Who did not answer the primary relation's survey, in person order: their own arcs are unknown."""
    return snapshot.people["person_id"].isin(snapshot.non_respondents_of()).to_numpy()


def _roles(
    snapshot: Snapshot, metrics: pd.DataFrame, found: rc.RosterCommunities, silent: np.ndarray
) -> Roles:
    """The role labels, from the person metrics with who manages, who answered and who is on the roster."""
    return assign_roles(
        metrics.rename(columns={"participation": "participation_units"}).assign(
            is_manager=snapshot.people["is_manager"].to_numpy(), responded=~silent, on_roster=found.roster
        )
    )


def _leadership(
    snapshot: Snapshot, metrics: pd.DataFrame, found: rc.RosterCommunities, settings: AnalysisSection
) -> LeadershipIndices:
    """The distribution of leadership among the organisation's people, on the communities' graph."""
    roster = found.roster
    return leadership_indices(
        found.graph,
        snapshot.people[roster].reset_index(drop=True),
        metrics["pagerank"].to_numpy()[roster],
        top_levels=settings.top_levels,
        min_group_size=settings.min_group_size,
    )


def _silos_method(permutations: int, configured: int) -> dict[str, Any]:
    """How the units' E-I p-values were found: ``permutations`` run of the ``configured`` ones."""
    return {
        "ei_permutations": permutations,
        "ei_permutations_configured": configured,
        "ei_p_value": silos.EI_P_VALUE,
        "ei_p_holm": silos.ei_p_holm_method(),
    }


def _people_table(snapshot: Snapshot, metrics: pd.DataFrame, roles: Roles) -> pd.DataFrame:
    people = snapshot.people
    table = metrics.copy()
    table["unit"] = people["unit"].to_numpy()
    table["level"] = people["level"].to_numpy()
    table["is_manager"] = people["is_manager"].to_numpy()
    table["roles"] = roles.labels.to_numpy()
    extra = [c for c in ("messages_sent", "messages_received") if c in people]
    for col in extra:
        table[col] = people[col].to_numpy()
    return table[list(PEOPLE_CSV_COLUMNS) + extra]


def _units_table(
    graph: ig.Graph, snapshot: Snapshot, lead: LeadershipIndices, settings: AnalysisSection, permutations: int
) -> pd.DataFrame:
    codes, names = pd.factorize(_unit_labels(snapshot), sort=True)  # unknown: -1, no row
    # One decision of which units are hidden, in the scorecard's row order (unit code): their figures
    # show <k, and they stay in the Holm family with p = 1, so no adjusted p-value gives theirs back.
    k = settings.min_group_size
    hide = groups_to_suppress(pd.Series(np.bincount(codes[codes >= 0], minlength=len(names))), k).to_numpy()
    score = silos.group_scorecard(
        graph, codes, permutations=permutations, seed=settings.seed, withheld=np.flatnonzero(hide)
    )
    score.insert(0, "unit", pd.Series([names[g] for g in score["group"]], dtype=object))
    score = score.drop(columns="group")
    # a figure withheld for privacy shows <k, as every suppressed cell of units.csv does
    by_unit = lead.by_unit_shown().drop(columns=["size", "density"], errors="ignore").astype({"unit": object})
    table = score.merge(by_unit, on="unit", how="left")  # the scorecard's rows, in its order
    return blank_groups(table, hide, [c for c in table.columns if c != "unit"], k)


def _summary(
    snapshot: Snapshot,
    graph: ig.Graph,
    found: rc.RosterCommunities,
    lead: LeadershipIndices,
    roles: Roles,
) -> dict[str, Any]:
    relations = _relation_figures(snapshot, found.graph)
    primary = (
        relations[snapshot.relation] if snapshot.relation else _with_response(snapshot, found.graph, None)
    )
    units, outside = _unit_codes(snapshot), rc.outside(snapshot)
    roster_units = np.where(outside, units.max(initial=0) + 1, units)  # the outside world: known
    has_units = len(set(units[units >= 0].tolist())) > 1
    among = rc.community_summary(found, units, has_units)  # the roster's people's communities
    summary: dict[str, Any] = {
        "n_people": primary["n_people"],  # the roster's: the pooled outside world is no person
        "n_ties": primary["n_ties"],
        "density": primary.get("density"),
        "reciprocity": primary.get("reciprocity"),
        "centralization_in_degree": primary.get("centralization_in_degree"),
        "gini_in_degree": primary.get("gini_in_degree"),
        "leadership_share_outside_top": lead.leadership_share_outside_top,
        "n_informal_leaders": roles.n_informal_leaders,
        "n_boundary_spanners": roles.n_boundary_spanners,
        "n_communities": among["n_communities"],
        "modularity": among["modularity"],
        "nmi_units_communities": among["nmi_units_communities"],
        "ei_index": silos.ei_index(graph, units) if has_units else None,
    }
    summary.update(
        relation=snapshot.relation,
        relations=relations,
        leadership=lead.to_dict(),
        ari_units_communities=among["ari_units_communities"],
        formal_modularity=silos.formal_modularity(graph, units) if has_units else None,
        community_stability_ari=among["community_stability_ari"],
        communities_stable=among["communities_stable"],
        n_isolated=among["n_isolated"],
        n_outside_ties=graph.ecount() - int(primary["n_ties"]),  # to or from the pooled outside world
        n_unknown_unit=int(((units < 0) & ~outside).sum()),  # a blank unit where others have one
        # arcs with an end of a roster person of unknown unit (the outside world's are no roster gap)
        n_unknown_unit_ties=silos.unknown_group_ties(graph, roster_units),
        n_peripheral=None if "peripheral" in roles.not_given else roles.n_peripheral,
        n_central_connectors=roles.n_central_connectors,
        n_formal_leaders_low_reach=roles.n_formal_leaders_low_reach,
        n_overload_risk=roles.n_overload_risk,
        n_respondents=primary["n_respondents"],  # of the primary relation's surveys; null: none asked
        n_non_respondents=primary["n_non_respondents"],
        period=str(snapshot.period),
    )
    summary["reasons"] = _reasons(snapshot, summary, primary, found, lead, roles, has_units=has_units)
    cautions = (low_response(summary), no_primary_ties(snapshot))  # figures to read with caution
    summary["warnings"] = [w for w in cautions if w]
    summary["warnings"] += list(snapshot.provenance.cautions)  # what the importers said changes their meaning
    return summary


def _reasons(
    snapshot: Snapshot,
    summary: dict[str, Any],
    primary: dict[str, Any],
    found: rc.RosterCommunities,
    lead: LeadershipIndices,
    roles: Roles,
    *,
    has_units: bool,
) -> dict[str, str]:
    """Why each null figure of ``summary`` is null (:func:`~leadnet.summary_reasons.summary_reasons`);
    where the primary relation has no tie at all, that, the root cause, rather than "no ties"."""
    network = comm.network_problem(found.graph)  # "no ties", "one person", ...: communities are placeholders
    reasons = summary_reasons(summary, primary, found.found, lead, has_units, network, roles)
    absent = absent_relation(snapshot)
    if absent is None:
        return reasons
    return {k: why if k in RESPONSE_KEYS else absent for k, why in reasons.items()}


def analyse(
    snapshot: Snapshot,
    settings: AnalysisSection | None = None,
    project: ProjectSection | None = None,
    *,
    on_stage: StageHook | None = None,
) -> Analysis:
    """Analyse one snapshot: person metrics, roles, communities, silos and indices.

    ``on_stage`` (optional) is called after each of :data:`ANALYSIS_STAGES` with its name
    and wall-clock seconds, so a caller can show progress or time the stages; the library
    itself never prints.

    Size-adaptive choices are recorded in ``methods``: betweenness exact or sampled
    (``methods["centrality"]``), and the number of E-I permutations actually used
    (``methods["silos"]``, see :func:`leadnet.silos.budgeted_permutations`).

    Examples
    --------
    >>> people = pd.DataFrame({"person_id": list("abcdef"), "unit": list("xxxyyy")})
    >>> ties = pd.DataFrame({"source": list("abcdef"), "target": list("bcaefd"),
    ...                      "relation": "advice", "weight": 1.0, "count": 1})
    >>> result = analyse(Snapshot.build("main", people, ties))
    >>> result.summary["n_ties"], result.summary["n_communities"], result.summary["ei_index"]
    (6, 2, -1.0)
    """
    settings = settings or AnalysisSection()
    project = project or ProjectSection()
    with timed(on_stage, "graph"):
        graph, units, silent = snapshot.to_igraph(), _unit_codes(snapshot), _silent(snapshot)
    with timed(on_stage, "communities"):
        found = rc.detect_roster_communities(snapshot, graph, settings)  # the pooled outside world: in none
    with timed(on_stage, "centrality"):
        cent = centrality(graph, seed=settings.seed)
        metrics = cent.table.copy()
        metrics.loc[silent, ["constraint", "effective_size"]] = np.nan  # Burt's: ego's own ties, half unknown
    with timed(on_stage, "brokerage"):
        methods: dict[str, Any] = {
            "centrality": cent.method,
            **_brokerage_metrics(graph, metrics, units, found, silent),
            "non_respondents": non_response_note(int(silent.sum()), snapshot.n_roster, snapshot.relation),
        }
    with timed(on_stage, "roles"):
        roles = _roles(snapshot, metrics, found, silent)
    with timed(on_stage, "leadership"):
        lead = _leadership(snapshot, metrics, found, settings)
    methods["communities"] = rc.communities_method(found.found)
    with timed(on_stage, "silos"):
        permutations = silos.budgeted_permutations(settings.permutations, graph.vcount(), graph.ecount())
        methods["silos"] = _silos_method(permutations, settings.permutations)
        units_table = _units_table(graph, snapshot, lead, settings, permutations)
        names = _unit_labels(snapshot)  # units by name, unknown ones missing
        communities_table = rc.communities_table(found, snapshot, names, settings.min_group_size, units_table)
        blocks = silos.block_density(graph, names, top=BLOCK_UNITS)
        hidden = hidden_groups(units_table, communities_table, lead.hidden_levels, settings.min_group_size)
        bridge_table = rc.bridges(
            found, names, hidden.units
        )  # the hidden units one, as the outputs show them
    with timed(on_stage, "summary"):
        summary = _summary(snapshot, graph, found, lead, roles)
        people_table = _people_table(snapshot, metrics, roles)
    return Analysis(
        snapshot=snapshot,
        settings=settings,
        project=project,
        summary=summary,
        people=people_table,
        units=units_table,
        communities=communities_table,
        roles=roles,
        leadership=lead,
        block_density=blocks,
        bridges=bridge_table,
        hidden=hidden,
        methods=methods,
    )
