"""The people of a comparison: who stayed, joined or left, and each person's metrics in both waves.

:func:`align_people` matches two snapshots' people by ``person_id``: *stayers* are in both,
*joiners* only after, *leavers* only before (the pooled outside world of an e-mail source is
none of them); too small an overlap (under :data:`MIN_OVERLAP` of the smaller snapshot) is an
error, as two waves with different ids would be. :func:`person_metrics` gives each person's
metrics of :data:`PERSON_METRICS` in one wave, and :func:`people_change` the table
``people_change.csv`` is written from: one row per person of either wave with status, group, and
each metric before, after and its change. When a cohort figure is suppressed,
:func:`withhold_groups` hides the groups' labels there too.

Cross-unit ties and a person's E-I index use each wave's own units; a unit left blank where
others have one is unknown, and so is the pooled outside world of an e-mail source, as in
:mod:`leadnet.analysis`: no figure between units for that person, and their ties are neither
inside a unit nor across. The people who did
not answer the compared relation's survey in either wave (:func:`silent_people`) send no
arc that counts, in anyone's figures: a change made by non-response alone is no change.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from leadnet import cohort_members as members
from leadnet.churn import binary_arcs, primary_relation
from leadnet.edges import edge_array
from leadnet.errors import InputError
from leadnet.groups import known_arcs, roster_unit_labels
from leadnet.metrics.brokerage import brokerage
from leadnet.metrics.centrality import constraint
from leadnet.privacy import WITHHELD_GROUP

if TYPE_CHECKING:
    from leadnet.analysis import Analysis

MIN_OVERLAP = 0.5
PERSON_METRICS: tuple[str, ...] = (
    "cross_unit_out_ties", "brokerage_total", "in_degree", "constraint", "ei_index",
)  # fmt: skip
STATUSES = ("stayed", "joined", "left")


@dataclass(frozen=True)
class Alignment:
    """The people of two snapshots by ``person_id``, each group sorted."""

    stayed: pd.Index
    joined: pd.Index
    left: pd.Index


def align_people(before: pd.DataFrame, after: pd.DataFrame, outside: Collection[str] = ()) -> Alignment:
    """Stayers, joiners and leavers by person_id; too small an overlap is an error.

    ``outside`` are people no roster lists (an e-mail source's pooled outside world,
    ``external``): they are nobody who stayed, joined or left, so neither their ties nor their
    figures enter a comparison.

    >>> people = pd.DataFrame({"person_id": ["a", "b", "external"]})
    >>> list(align_people(people, people, outside={"external"}).stayed)
    ['a', 'b']
    """
    ids_b, ids_a = (
        pd.Index(p["person_id"]).difference(pd.Index(list(outside)), sort=False) for p in (before, after)
    )
    stayed = ids_b.intersection(ids_a).sort_values()
    joined, left = ids_a.difference(ids_b).sort_values(), ids_b.difference(ids_a).sort_values()
    smaller = min(len(ids_b), len(ids_a))
    if len(stayed) < MIN_OVERLAP * smaller:
        examples = ", ".join(f'"{p}"' for p in [*left[:3], *joined[:3]][:5])
        raise InputError(
            f"the snapshots share too few people to compare: {len(stayed)} of the smaller snapshot's "
            f"{smaller} "
            f"(at least {MIN_OVERLAP:.0%} needed). Unmatched ids include {examples}; check that both waves "
            "use the same person_id (same roster column, same pseudonymisation key)"
        )
    return Alignment(stayed, joined, left)


def person_metrics(analysis: Analysis, silent: Collection[str] = ()) -> pd.DataFrame:
    """The person metrics compared across waves, one row per person of one analysis.

    ``in_degree`` (arcs received), ``cross_unit_out_ties`` (arcs to people of another unit)
    and ``ei_index`` (the person's own E-I index, (external − internal) / all over every arc
    the person sends or receives; ``NaN`` without ties) are counted on the primary
    relation's binary arcs; ``brokerage_total`` (Gould & Fernandez 1989) and ``constraint``
    (Burt 1992) are the analysis's (``analysis.people``). Units are read as the analysis
    reads them (:func:`leadnet.groups.roster_unit_labels`): an arc to or from a person of
    unknown unit, the pooled outside world of an e-mail source among them, is neither
    cross-unit nor internal; that person's three unit figures (cross-unit ties, brokerage,
    E-I) are ``NaN``.

    ``silent`` are people whose own answers are missing (survey non-respondents, in either
    wave of a comparison): the arcs they would send are unknown, so no arc of theirs is
    counted (not as absent either: in-degrees count only the arcs of people who answered,
    and brokerage and constraint are computed again without them when the analysis had
    them, :func:`_structural_holes`) and their own out-tie based metrics (all but
    ``in_degree``) are ``NaN``.

    References
    ----------
    Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational crises.
    *Social Psychology Quarterly* 51(2), 123–140.
    Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation. *Sociological Methodology* 19, 89–126.
    Burt, R. S. (1992). *Structural Holes: The Social Structure of Competition*. Harvard UP.

    Examples
    --------
    >>> from leadnet.analysis import analyse
    >>> from leadnet.model import Snapshot
    >>> people = pd.DataFrame({"person_id": list("abc"), "unit": list("xxy")})
    >>> ties = pd.DataFrame({"source": list("abc"), "target": list("bca"), "relation": "advice"})
    >>> m = person_metrics(analyse(Snapshot.build("t", people, ties)), silent=["a"])
    >>> m[["person_id", "in_degree", "cross_unit_out_ties"]].values.tolist()
    [['a', 1.0, nan], ['b', 0.0, 1.0], ['c', 1.0, 1.0]]
    """
    snap = analysis.snapshot
    ids = pd.Index(snap.people["person_id"])
    mute = ids.isin(list(silent))
    arcs = binary_arcs(snap, snap.relation, ids)
    arcs = arcs[~mute[arcs[:, 0]]]
    units = pd.factorize(roster_unit_labels(snap.people, snap.outside_roster), sort=True)[0]
    src, dst = arcs[:, 0], arcs[:, 1]
    kept = known_arcs(units, src, dst)
    cross = kept & (units[src] != units[dst])
    n, no_unit = len(ids), units < 0
    external = np.bincount(src[cross], minlength=n) + np.bincount(dst[cross], minlength=n)
    touching = np.bincount(src[kept], minlength=n) + np.bincount(dst[kept], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        ei = np.where(touching > 0, (2 * external - touching) / touching, np.nan)
    broker, burt = _structural_holes(analysis, mute, units)
    out_metrics = {
        "cross_unit_out_ties": np.where(no_unit, np.nan, np.bincount(src[cross], minlength=n)),
        "brokerage_total": np.where(no_unit, np.nan, broker),
        "constraint": burt,
        "ei_index": ei,
    }
    frame = pd.DataFrame(
        {
            "person_id": ids.to_numpy(dtype=object),
            **{m: np.where(mute, np.nan, v) for m, v in out_metrics.items()},
            "in_degree": np.bincount(dst, minlength=n).astype(float),
        }
    )
    return frame[["person_id", *PERSON_METRICS]]


def _structural_holes(
    analysis: Analysis, mute: np.ndarray, units: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each person's Gould–Fernandez total and Burt's constraint in one wave, from the arcs of the
    people not ``mute``.

    The analysis computed both from every arc of the wave, so the arcs of someone who answered
    this wave but not the other (``mute`` here, not a non-respondent of this wave) counted in the
    two-paths and contacts of others in one wave only: a change between the waves made by
    non-response alone. Those arcs are dropped and both figures computed again (the analysis's,
    when ``mute`` sends no arc in this wave); ``units`` are the unit codes, ``-1`` unknown.
    """
    table = analysis.people.set_index("person_id").reindex(analysis.snapshot.people["person_id"])
    figures = (
        table["brokerage_total"].to_numpy(dtype=float, na_value=np.nan),
        table["constraint"].to_numpy(dtype=float, na_value=np.nan),
    )
    if not mute.any():  # e-mail, a tie list, or everyone answered: no graph to build again
        return figures
    graph = analysis.snapshot.to_igraph()
    observed = ~mute[edge_array(graph)[:, 0]]
    if observed.all():
        return figures
    graph = graph.subgraph_edges(np.flatnonzero(observed).tolist(), delete_vertices=False)
    return brokerage(graph, units).counts["total"].to_numpy(dtype=float), constraint(graph)


def silent_people(before: Analysis, after: Analysis) -> pd.Index:
    """People who did not answer, in either wave, the surveys of the relation compared
    (:func:`leadnet.churn.primary_relation`): their own arcs of it are unknown there. Nobody,
    when no survey gave that relation (e-mail ties are observed for everyone)."""
    relation = primary_relation(before.snapshot, after.snapshot)
    silent = set(before.snapshot.non_respondents_of(relation)) | set(
        after.snapshot.non_respondents_of(relation)
    )
    return pd.Index(sorted(silent))


def people_change(
    before: Analysis, after: Analysis, align: Alignment, groups: pd.Series, silent: pd.Index
) -> pd.DataFrame:
    """One row per person of either wave, sorted by person_id: status, group, and each metric of
    :data:`PERSON_METRICS` before, after and its change (``groups``: listed people's groups;
    anyone else is ``other``)."""
    b = person_metrics(before, silent).set_index("person_id")
    a = person_metrics(after, silent).set_index("person_id")
    ids = align.stayed.append(align.joined).append(align.left)
    status = ["stayed"] * len(align.stayed) + ["joined"] * len(align.joined) + ["left"] * len(align.left)
    out = pd.DataFrame({"person_id": ids.to_numpy(dtype=object), "status": status})
    out["group"] = groups.reindex(ids).fillna("other").to_numpy(dtype=object)
    b, a = b.reindex(ids), a.reindex(ids)
    for metric in PERSON_METRICS:
        out[f"{metric}_before"] = b[metric].to_numpy()
        out[f"{metric}_after"] = a[metric].to_numpy()
        out[f"{metric}_delta"] = out[f"{metric}_after"] - out[f"{metric}_before"]
    return out.sort_values("person_id", kind="stable").reset_index(drop=True)


def withhold_groups(change: pd.DataFrame) -> pd.DataFrame:
    """``change`` with the cohort and comparison stayers labelled ``withheld``, everyone else ``other``.

    With either group under k, overall or for one metric, that figure is suppressed, but
    labelled rows of ``people_change.csv`` would give it back (each group's size and mean
    change, hence the difference-in-differences). Joiners and leavers are ``other`` too: a
    cohort member who left would otherwise still be named, and counted.

    >>> change = pd.DataFrame({"status": ["stayed", "stayed", "stayed", "left"],
    ...                        "group": ["cohort", "comparison", "other", "cohort"]})
    >>> withhold_groups(change)["group"].tolist()
    ['withheld', 'withheld', 'other', 'other']
    """
    labelled = change["group"].isin(members.COHORT_GROUPS) & change["status"].eq("stayed")
    return change.assign(group=np.where(labelled, WITHHELD_GROUP, "other").astype(object))
