"""Before/after comparison of two analysed snapshots, and a programme cohort against a comparison group.

``compare(before, after, cohort)`` aligns people by ``person_id``: *stayers* are in both
snapshots, *joiners* only after, *leavers* only before. Then:

- **network change**: each figure of ``summary.json`` before, after and delta, over
  everybody in each wave, plus ``tied_pairs`` (unordered pairs tied in either direction:
  the edge count of a symmetric relation, stored as two arcs);
- **tie churn** on the primary relation, among stayers only, as *binary arcs* (weights
  ignored, a reciprocated pair is two arcs): formed, dissolved, kept, Hamming distance
  (formed + dissolved) and Jaccard ``kept / (kept + formed + dissolved)``, with
  ``jaccard_warning`` below 0.3, the floor below which waves are usually too unlike for
  longitudinal network models (Snijders, van de Bunt & Steglich 2010);
- **QAP** correlation of the two stayer adjacency matrices (:mod:`leadnet.permutation`);
- **cohort difference-in-differences** for each person metric of :data:`PERSON_METRICS`
  (change after − before per stayer; cohort mean change − comparison mean change), with
  a two-sided permutation p-value and the interval inverting it, new ties inside the
  cohort against new ties to others, and the community transitions of stayers.

Cross-unit ties and a person's E-I index use each wave's own units; a unit left blank where
others have one is unknown, as in :mod:`leadnet.analysis`: no figure between units for that
person, and their ties are neither inside a unit nor across.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from leadnet import cohort as cohorts
from leadnet.churn import binary_arcs, tie_figures
from leadnet.cohort_file import CohortFile, load_cohort, read_cohort
from leadnet.config import MIN_GROUP_SIZE_FLOOR
from leadnet.errors import ConfigError, InputError
from leadnet.groups import known_arcs, unit_labels
from leadnet.permutation import DEFAULT_PERMUTATIONS, adaptive_permutations
from leadnet.privacy import WITHHELD_GROUP, groups_to_suppress
from leadnet.silos import partition_agreement

if TYPE_CHECKING:
    from leadnet.analysis import Analysis

__all__ = [
    "COMPARISON_KEYS", "PERSON_METRICS", "CohortFile", "Comparison", "compare", "load_cohort",
    "person_metrics", "read_cohort",
]  # fmt: skip

JACCARD_FLOOR = 0.3
MIN_OVERLAP = 0.5
PERSON_METRICS: tuple[str, ...] = (
    "cross_unit_out_ties", "brokerage_total", "in_degree", "constraint", "ei_index",
)  # fmt: skip
NETWORK_METRICS: tuple[str, ...] = (
    "n_people", "n_ties", "tied_pairs", "density", "reciprocity", "centralization_in_degree",
    "gini_in_degree", "leadership_share_outside_top", "n_informal_leaders", "n_boundary_spanners",
    "n_communities", "modularity", "nmi_units_communities", "ei_index",
)  # fmt: skip
COMPARISON_KEYS: tuple[str, ...] = (
    "n_stayed", "n_joined", "n_left", "ties_before", "ties_after", "jaccard", "qap_r", "qap_p", "metrics",
    "cohort", "ties_formed", "ties_dissolved", "ties_kept", "hamming", "jaccard_warning", "cohort_ties",
    "community_transitions", "permutations", "seed",
)  # fmt: skip
TIE_KEYS: tuple[str, ...] = (
    "ties_before", "ties_after", "ties_formed", "ties_dissolved", "ties_kept", "hamming", "jaccard",
)  # fmt: skip
STATUSES = ("stayed", "joined", "left")


@dataclass(frozen=True, eq=False)
class Comparison:
    """What changed between two snapshots; :meth:`to_dict` is ``comparison.json``.

    ``people_change`` has one row per person of either wave: person_id, status
    (stayed/joined/left), group (cohort/comparison/other; when a cohort figure is suppressed
    under k, ``withheld`` for the stayers of both groups and ``other`` for everyone else),
    then ``<metric>_before``,
    ``<metric>_after``, ``<metric>_delta`` for each of :data:`PERSON_METRICS`.
    ``reasons`` explains every top-level ``None``; ``method`` records how it was made.
    """

    n_stayed: int
    n_joined: int
    n_left: int
    ties_before: int
    ties_after: int
    ties_formed: int
    ties_dissolved: int
    ties_kept: int
    hamming: int
    jaccard: float | None
    jaccard_warning: bool
    qap_r: float | None
    qap_p: float | None
    metrics: Mapping[str, Mapping[str, Any]]
    cohort: Mapping[str, Any] | None
    cohort_ties: Mapping[str, Any] | None
    community_transitions: Mapping[str, Any]
    permutations: int
    seed: int
    people_change: pd.DataFrame
    relation: str | None = None
    reasons: Mapping[str, str] = field(default_factory=dict)
    method: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready figures, exactly under :data:`COMPARISON_KEYS`."""
        return {key: _plain(getattr(self, key)) for key in COMPARISON_KEYS}


def _plain(value: Any) -> Any:
    """Mappings and sequences of numpy scalars turned into plain JSON values."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


@dataclass(frozen=True)
class _Alignment:
    stayed: pd.Index
    joined: pd.Index
    left: pd.Index


def _align(before: pd.DataFrame, after: pd.DataFrame) -> _Alignment:
    """Stayers, joiners and leavers by person_id; too small an overlap is an error."""
    ids_b, ids_a = pd.Index(before["person_id"]), pd.Index(after["person_id"])
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
    return _Alignment(stayed, joined, left)


def person_metrics(analysis: Analysis, silent: Collection[str] = ()) -> pd.DataFrame:
    """The person metrics compared across waves, one row per person of one analysis.

    ``in_degree`` (arcs received), ``cross_unit_out_ties`` (arcs to people of another unit)
    and ``ei_index`` (the person's own E-I index, (external − internal) / all over every arc
    the person sends or receives; ``NaN`` without ties) are counted on the primary
    relation's binary arcs; ``brokerage_total`` and ``constraint`` come from
    ``analysis.people``. An arc to or from a person of unknown unit is neither cross-unit
    nor internal; that person's three unit figures (cross-unit ties, brokerage, E-I) are ``NaN``.

    ``silent`` are people whose own answers are missing (survey non-respondents, in either
    wave of a comparison): the arcs they would send are unknown, so no arc of theirs is
    counted (not as absent either: in-degrees count only the arcs of people who answered)
    and their own out-tie based metrics (all but ``in_degree``) are ``NaN``.

    References
    ----------
    Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational crises.
    *Social Psychology Quarterly* 51(2), 123–140.

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
    units = pd.factorize(unit_labels(snap.people["unit"]), sort=True)[0]
    src, dst = arcs[:, 0], arcs[:, 1]
    kept = known_arcs(units, src, dst)
    cross = kept & (units[src] != units[dst])
    n, no_unit = len(ids), units < 0
    external = np.bincount(src[cross], minlength=n) + np.bincount(dst[cross], minlength=n)
    touching = np.bincount(src[kept], minlength=n) + np.bincount(dst[kept], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        ei = np.where(touching > 0, (2 * external - touching) / touching, np.nan)
    table = analysis.people.set_index("person_id").reindex(ids)
    out_metrics = {
        "cross_unit_out_ties": np.where(no_unit, np.nan, np.bincount(src[cross], minlength=n)),
        "brokerage_total": np.where(no_unit, np.nan, table["brokerage_total"].to_numpy(dtype=float)),
        "constraint": table["constraint"].to_numpy(dtype=float),
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


def _silent(before: Analysis, after: Analysis) -> pd.Index:
    """People who did not answer the survey in either wave (their own arcs unknown there)."""
    return pd.Index(sorted(set(before.snapshot.non_respondents) | set(after.snapshot.non_respondents)))


def _people_change(
    before: Analysis, after: Analysis, align: _Alignment, groups: pd.Series, silent: pd.Index
) -> pd.DataFrame:
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


def _any_suppressed(cohort: Mapping[str, Any]) -> bool:
    """Whether any cohort figure is suppressed: both groups as a whole, or one metric's."""
    metrics = (v for v in cohort.values() if isinstance(v, Mapping))
    return cohort["reason"] is not None or any(m.get("reason") is not None for m in metrics)


def _withhold_groups(change: pd.DataFrame) -> pd.DataFrame:
    """``change`` with the cohort and comparison stayers labelled ``withheld``, everyone else ``other``.

    With either group under k, overall or for one metric, that figure is suppressed, but
    labelled rows of ``people_change.csv`` would give it back (each group's size and mean
    change, hence the difference-in-differences). Joiners and leavers are ``other`` too: a
    cohort member who left would otherwise still be named, and counted.

    >>> change = pd.DataFrame({"status": ["stayed", "stayed", "stayed", "left"],
    ...                        "group": ["cohort", "comparison", "other", "cohort"]})
    >>> _withhold_groups(change)["group"].tolist()
    ['withheld', 'withheld', 'other', 'other']
    """
    labelled = change["group"].isin(cohorts.COHORT_GROUPS) & change["status"].eq("stayed")
    return change.assign(group=np.where(labelled, WITHHELD_GROUP, "other").astype(object))


def _delta(before: Any, after: Any) -> Any:
    if before is None or after is None:
        return None
    return after - before


def _network_metrics(before: Analysis, after: Analysis, pairs: tuple[int, int]) -> dict[str, dict[str, Any]]:
    """Each network figure before, after and its change; a wave's missing figure has its reason
    under ``reasons`` (such as "withheld for privacy: ...")."""
    out: dict[str, dict[str, Any]] = {}
    for key in NETWORK_METRICS:
        b = pairs[0] if key == "tied_pairs" else before.summary.get(key)
        a = pairs[1] if key == "tied_pairs" else after.summary.get(key)
        out[key] = {"before": b, "after": a, "delta": _delta(b, a)}
        waves = (("before", b, before), ("after", a, after))
        why = {wave: _reason(wave_of, key) for wave, value, wave_of in waves if value is None}
        if any(why.values()):
            out[key]["reasons"] = {wave: reason for wave, reason in why.items() if reason}
    return out


def _reason(analysis: Analysis, key: str) -> str | None:
    """Why the summary of ``analysis`` has no value for ``key``."""
    reasons = analysis.summary.get("reasons") or {}
    return reasons.get(key) if isinstance(reasons, Mapping) else None


def _transitions(before: Analysis, after: Analysis, stayed: pd.Index, k: int) -> dict[str, Any]:
    """Cross-tab of community before × after among stayers, with NMI and ARI (cells:
    :func:`transition_cells`).

    Only stayers in a community of two or more in both waves count: a person with no tie
    is a community of one, and would match themselves perfectly, raising the agreement (as
    ``n_communities`` leaves them out, ``n_isolated``). ``n_people`` says how many counted.
    """
    cb, in_b = _grouped(before, stayed)
    ca, in_a = _grouped(after, stayed)
    both = in_b & in_a
    cb, ca = cb[both], ca[both]
    counted = {"n_people": int(both.sum()), "n_alone": int(len(stayed) - both.sum())}
    if len(stayed) == 0:
        return {"nmi": None, "ari": None, "table": [], "reason": "no stayers", **counted}
    if not both.any():
        reason = "no stayer is in a community of two or more in both snapshots"
        return {"nmi": None, "ari": None, "table": [], "reason": reason, **counted}
    degenerate = [
        f"{wave}: {analysis.methods['communities']['reason']}"
        for wave, analysis in (("before", before), ("after", after))
        if analysis.methods["communities"].get("reason")
    ]
    agreement = (
        {"nmi": None, "ari": None}
        if degenerate
        else partition_agreement(cb.astype(str).to_numpy(), ca.astype(str).to_numpy())
    )
    table = transition_cells(pd.DataFrame({"before": cb.to_numpy(), "after": ca.to_numpy()}), k)
    return {**agreement, "table": table, "reason": "; ".join(degenerate) or None, **counted}


def _grouped(analysis: Analysis, stayed: pd.Index) -> tuple[pd.Series, np.ndarray]:
    """Each stayer's community in ``analysis``, and whether it holds two people or more."""
    community = analysis.people.set_index("person_id")["community"]
    sizes = community.map(community.value_counts())
    return community.reindex(stayed), (sizes.reindex(stayed) >= 2).to_numpy(dtype=bool)


def transition_cells(pairs: pd.DataFrame, k: int) -> list[dict[str, Any]]:
    """The (before, after, n) cells of ``pairs``, largest first; small cells pooled as ``other``.

    Cells are hidden by :func:`leadnet.privacy.groups_to_suppress`: those under ``k``
    people and, while the hidden ones hold fewer than ``k`` together or only one is
    hidden, the next smallest. So the pooled ``other`` row (the stayers minus the listed
    cells, which anyone can work out) is never one cell nor under ``k`` people; it shows
    ``<k`` only when there are fewer than ``k`` stayers in all.

    >>> pairs = pd.DataFrame({"before": [0] * 9 + [1] * 6 + [1] + [2], "after": [0] * 9 + [1] * 6 + [0, 2]})
    >>> transition_cells(pairs, 5)
    [{'before': 0, 'after': 0, 'n': 9}, {'before': 'other', 'after': 'other', 'n': 8}]
    """
    counts = pairs.value_counts().rename("n")
    rows = counts.reset_index().sort_values(["n", "before", "after"], ascending=[False, True, True])
    small = groups_to_suppress(rows["n"].reset_index(drop=True), k).to_numpy()
    table: list[dict[str, Any]] = rows[~small].to_dict("records")
    if small.any():
        pooled = int(rows.loc[small, "n"].sum())
        table.append({"before": "other", "after": "other", "n": pooled if pooled >= k else f"<{k}"})
    return table


def _check_parameters(permutations: int, min_group_size: int) -> None:
    if permutations < 1:
        raise ConfigError(
            f"permutations must be at least 1 for a comparison. Got {permutations} instead (the number "
            "BEFORE was analysed with, unless given); pass --permutations 10000"
        )
    if min_group_size < MIN_GROUP_SIZE_FLOOR:
        raise ConfigError(
            f"min_group_size must be at least {MIN_GROUP_SIZE_FLOOR} (the privacy floor). "
            f"Got {min_group_size} instead."
        )


def _cohort_part(
    before: Analysis, change: pd.DataFrame, formed: np.ndarray, settings: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The ``cohort`` and ``cohort_ties`` sections from the stayers' changes and new arcs."""
    stayers = change[change["status"] == "stayed"].reset_index(drop=True)
    people = before.snapshot.people  # a stayer of unknown unit: missing, left out of a within-unit DiD
    units = pd.Series(unit_labels(people["unit"]), index=people["person_id"]).reindex(stayers["person_id"])
    effects = cohorts.cohort_effects(
        stayers, PERSON_METRICS, strata=units.to_numpy() if settings["within_unit"] else None,
        permutations=settings["permutations"], seed=settings["seed"],
        min_group_size=settings["min_group_size"],
    )  # fmt: skip
    listed = change["group"].eq("cohort")
    effects["n_cohort_not_stayed"] = int((listed & change["status"].ne("stayed")).sum())
    effects["n_opted_out"] = settings["n_opted_out"]
    effects["comparison_group"] = settings["comparison_group"]
    effects["within_unit"] = settings["within_unit"]
    if effects["reason"] is not None:
        effects["n_cohort_not_stayed"] = effects["n_opted_out"] = None
        empty = dict.fromkeys(("within_cohort_new", "to_others_new", "within_cohort_share"))
        return effects, empty | {"reason": effects["reason"]}
    # change is sorted by person_id, like the stayer positions of ``formed``.
    return effects, cohorts.cohort_new_ties(formed, stayers["group"].eq("cohort").to_numpy())


def compare(
    before: Analysis,
    after: Analysis,
    cohort: pd.DataFrame | None = None,
    *,
    permutations: int = DEFAULT_PERMUTATIONS,
    seed: int = 0,
    within_unit: bool = False,
    min_group_size: int = MIN_GROUP_SIZE_FLOOR,
    n_opted_out: int = 0,
) -> Comparison:
    """Compare two analysed snapshots of one organisation, optionally a cohort against a comparison group.

    Parameters
    ----------
    cohort
        ``person_id`` and optionally ``group`` (``cohort`` or ``comparison``; see
        :func:`load_cohort`). Without ``comparison`` rows every other stayer is the
        comparison group. Everybody listed must be in one of the snapshots.
    permutations
        Permutations for the QAP and DiD p-values (the DiD intervals invert the same test);
        fewer above 20,000 stayers (:func:`leadnet.permutation.adaptive_permutations`).
    within_unit
        Compare cohort and comparison stayers within units (their unit before): the units'
        differences, weighted by their people, with labels shuffled only within a unit.
    min_group_size
        Cohort figures are suppressed when the cohort or the comparison group is smaller.
    n_opted_out
        Rows of the cohort file left out because they name people who opted out
        (:attr:`CohortFile.opted_out`), recorded as the cohort's ``n_opted_out`` (withheld,
        like ``n_cohort_not_stayed``, when the cohort figures are).

    Examples
    --------
    Six people, two closed triads; after, ``a`` also asks ``d``:

    >>> from leadnet.analysis import analyse
    >>> from leadnet.model import Snapshot
    >>> people = pd.DataFrame({"person_id": list("abcdef"), "unit": list("xxxyyy")})
    >>> t1 = pd.DataFrame({"source": list("abcdef"), "target": list("bcaefd"), "relation": "advice"})
    >>> t2 = pd.DataFrame({"source": list("abcdefa"), "target": list("bcaefdd"), "relation": "advice"})
    >>> res = compare(analyse(Snapshot.build("t1", people, t1)), analyse(Snapshot.build("t2", people, t2)),
    ...               permutations=99)
    >>> res.ties_before, res.ties_after, res.ties_formed, res.ties_kept, round(res.jaccard, 4)
    (6, 7, 1, 6, 0.8571)
    """
    _check_parameters(permutations, min_group_size)
    align = _align(before.snapshot.people, after.snapshot.people)
    n_perm = adaptive_permutations(permutations, len(align.stayed))
    silent = _silent(before, after)
    ties = tie_figures(before.snapshot, after.snapshot, align.stayed, n_perm, seed, silent=silent)
    frame = None if cohort is None else cohorts.check_cohort(cohort)
    if frame is not None:
        everyone = align.stayed.append(align.joined).append(align.left)
        cohorts.check_known(frame, everyone, max(_opted_out(before), _opted_out(after)))
    groups = pd.Series(dtype=object) if frame is None else cohorts.assign_groups(frame, align.stayed)
    change = _people_change(before, after, align, groups, silent)
    cohort_result = cohort_ties = None
    if frame is not None:
        listed = "listed" if frame["group"].eq("comparison").any() else "all other stayers"
        settings = {"within_unit": within_unit, "permutations": n_perm, "seed": seed,
                    "min_group_size": min_group_size, "comparison_group": listed,
                    "n_opted_out": n_opted_out}  # fmt: skip
        cohort_result, cohort_ties = _cohort_part(before, change, ties["formed"], settings)
        if _any_suppressed(cohort_result):  # a cohort figure is suppressed: so are the groups' labels
            change = _withhold_groups(change)
    qap, jaccard = ties["qap"], ties["jaccard"]
    transitions = _transitions(before, after, align.stayed, min_group_size)
    reasons = {"jaccard": None if jaccard is not None else "no ties among stayers in either wave",
               "qap_r": qap.reason, "qap_p": qap.reason}  # fmt: skip
    return Comparison(
        n_stayed=len(align.stayed), n_joined=len(align.joined), n_left=len(align.left),
        **{key: ties[key] for key in TIE_KEYS},
        jaccard_warning=jaccard is not None and jaccard < JACCARD_FLOOR, qap_r=qap.r, qap_p=qap.p_value,
        metrics=_network_metrics(before, after, ties["tied_pairs"]), cohort=cohort_result,
        cohort_ties=cohort_ties, community_transitions=transitions,
        permutations=n_perm, seed=seed, people_change=change, relation=ties["relation"],
        reasons={k: v for k, v in reasons.items() if v},
        method=_method(ties["relation"], qap.p_two_sided, permutations, within_unit, min_group_size)
        | _non_response(int(align.stayed.isin(silent).sum())),
    )  # fmt: skip


def _opted_out(analysis: Analysis) -> int:
    """How many people who opted out the analysis's snapshot left out (counted at ingestion)."""
    return int(analysis.snapshot.provenance.normalisations.get("excluded-person", 0))


def _method(
    relation: str | None, two_sided: float | None, requested: int, within: bool, k: int
) -> dict[str, Any]:
    return {
        "relation": relation,
        "qap": "one-sided p (permuted r >= observed); rows and columns permuted together",
        "qap_p_two_sided": two_sided, "permutations_requested": requested,
        "did": "two-sided label permutation p; 95% CI: the shifts that test does not reject"
               + (cohorts.WITHIN_UNIT_DID if within else ""),
        "within_unit": within, "min_group_size": k, "jaccard_floor": JACCARD_FLOOR,
    }  # fmt: skip


def _non_response(n_silent: int) -> dict[str, Any]:
    """The method notes on stayers who did not answer the survey in one wave (or both)."""
    ties = "binary arcs of the primary relation among stayers"
    if n_silent:
        ties += (
            f"; the {n_silent:,} stayer(s) who did not answer the survey in a wave are left out as "
            "senders (their own ties are unknown there, not dissolved or formed), out of QAP, and of the "
            "difference-in-differences of every metric but in-degree; in-degrees count the arcs of people "
            "who answered in both waves"
        )
    return {"ties": ties, "non_respondents": n_silent}
