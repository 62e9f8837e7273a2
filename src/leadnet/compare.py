"""Before/after comparison of two analysed snapshots, and a programme cohort against a comparison group.

``compare(before, after, cohort)`` aligns people by ``person_id``: *stayers* are in both
snapshots, *joiners* only after, *leavers* only before (:mod:`leadnet.people_change`). Then:

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
  cohort against new ties to others, and the community transitions of stayers
  (:mod:`leadnet.transitions`).

Cross-unit ties and a person's E-I index use each wave's own units; a unit left blank where
others have one is unknown, and so is the pooled outside world of an e-mail source, as in
:mod:`leadnet.analysis`: no figure between units for that person, and their ties are neither
inside a unit nor across.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from leadnet import cohort as cohorts
from leadnet import cohort_members as members
from leadnet.churn import primary_relation, tie_figures
from leadnet.cohort_file import CohortFile, load_cohort, read_cohort
from leadnet.cohort_ties import NEW_TIE_KEYS, cohort_new_ties
from leadnet.comparability import Origin, comparability_warnings, snapshot_labels, snapshot_record
from leadnet.compared_waves import AS_GIVEN, ORDER_FIX, check_relation, order_basis, wave_order
from leadnet.comparison_cautions import cohort_withheld, people_lost, too_few_permutations
from leadnet.comparison_method import JACCARD_FLOOR, comparison_method, has_ranges
from leadnet.errors import ConfigError
from leadnet.gatekeeping import with_verdicts
from leadnet.groups import roster_unit_labels
from leadnet.parameters import MIN_GROUP_SIZE_FLOOR
from leadnet.people_change import (
    PERSON_METRICS,
    align_people,
    people_change,
    person_metrics,
    silent_people,
    withhold_groups,
)
from leadnet.permutation import DEFAULT_PERMUTATIONS, people_scaled_permutations
from leadnet.transitions import community_transitions, transition_cells

if TYPE_CHECKING:
    from leadnet.analysis import Analysis

__all__ = [
    "COMPARISON_KEYS", "PERSON_METRICS", "CohortFile", "Comparison", "compare", "load_cohort",
    "person_metrics", "read_cohort", "transition_cells",
]  # fmt: skip

NETWORK_METRICS: tuple[str, ...] = (
    "n_people", "n_ties", "tied_pairs", "density", "reciprocity", "centralization_in_degree",
    "gini_in_degree", "leadership_share_outside_top", "n_informal_leaders", "n_boundary_spanners",
    "n_communities", "modularity", "nmi_units_communities", "ei_index",
)  # fmt: skip
COMPARISON_KEYS: tuple[str, ...] = (
    "n_stayed", "n_joined", "n_left", "ties_before", "ties_after", "jaccard", "qap_r", "qap_p", "metrics",
    "cohort", "ties_formed", "ties_dissolved", "ties_kept", "hamming", "jaccard_warning", "cohort_ties",
    "community_transitions", "permutations", "seed", "method", "snapshots", "warnings", "order_basis",
)  # fmt: skip
TIE_KEYS: tuple[str, ...] = (
    "ties_before", "ties_after", "ties_formed", "ties_dissolved", "ties_kept", "hamming", "jaccard",
)  # fmt: skip


@dataclass(frozen=True, eq=False)
class Comparison:
    """What changed between two snapshots; :meth:`to_dict` is ``comparison.json``.

    ``people_change`` has one row per person of either wave: person_id, status
    (stayed/joined/left), group (cohort/comparison/other; when a cohort figure is suppressed
    under k, ``withheld`` for the stayers of both groups and ``other`` for everyone else),
    then ``<metric>_before``,
    ``<metric>_after``, ``<metric>_delta`` for each of :data:`PERSON_METRICS`.
    ``reasons`` explains every top-level ``None``; ``method`` records how each statistic was
    computed (:mod:`leadnet.comparison_method`), ``snapshots`` what was compared and
    ``warnings`` each setting the two waves were not analysed alike in
    (:mod:`leadnet.comparability`), then each of ``cautions``: what else to read it with (waves
    that overlap, too few permutations to judge, the cohort withheld, listed people not in both
    waves: :mod:`leadnet.compared_waves`, :mod:`leadnet.comparison_cautions`). ``order_basis``
    says how the waves' order was decided: ``periods`` (checked: before begins first) or
    ``as given`` (a wave carries no date: before taken as the earlier,
    :func:`leadnet.compared_waves.order_basis`).
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
    snapshots: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    cautions: tuple[str, ...] = ()
    order_basis: str = AS_GIVEN

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


def _any_suppressed(cohort: Mapping[str, Any]) -> bool:
    """Whether any cohort figure is suppressed: both groups as a whole, or one metric's."""
    metrics = (v for v in cohort.values() if isinstance(v, Mapping))
    return cohort["reason"] is not None or any(m.get("reason") is not None for m in metrics)


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
    units = _stayer_units(before, stayers["person_id"])  # unknown: missing, left out of a within-unit DiD
    effects = cohorts.cohort_effects(
        stayers, PERSON_METRICS, strata=units if settings["within_unit"] else None,
        permutations=settings["permutations"], seed=settings["seed"],
        min_group_size=settings["min_group_size"],
    )  # fmt: skip
    effects = with_verdicts(
        effects, settings["permutations"]
    )  # how the page judges each DiD, for scripts too
    gone = change["status"].ne("stayed")
    effects["n_cohort_not_stayed"] = int((change["group"].eq("cohort") & gone).sum())
    listed = settings["comparison_group"] == "listed"  # else the comparison group is stayers only
    effects["n_comparison_not_stayed"] = (
        int((change["group"].eq("comparison") & gone).sum()) if listed else None
    )
    effects["n_opted_out"] = settings["n_opted_out"]
    effects["comparison_group"] = settings["comparison_group"]
    effects["within_unit"] = settings["within_unit"]
    if effects["reason"] is not None:
        effects["n_cohort_not_stayed"] = effects["n_comparison_not_stayed"] = effects["n_opted_out"] = None
        return effects, dict.fromkeys(NEW_TIE_KEYS) | {"reason": effects["reason"]}
    # change is sorted by person_id, like the stayer positions of ``formed``.
    in_cohort = stayers["group"].eq("cohort").to_numpy()
    return effects, cohort_new_ties(
        formed, in_cohort, None if bool(np.all(units == "")) else units,  # no units: one unit
        permutations=settings["permutations"], seed=settings["seed"],
        min_group_size=settings["min_group_size"],
    )  # fmt: skip


def _stayer_units(before: Analysis, stayers: pd.Series) -> np.ndarray:
    """Each stayer's unit before (:func:`leadnet.groups.roster_unit_labels`: a blank unit unknown where
    others have one, the pooled outside world no unit, a roster without units one unit)."""
    people = before.snapshot.people
    labels = roster_unit_labels(people, before.snapshot.outside_roster)
    return pd.Series(labels, index=people["person_id"]).reindex(stayers).to_numpy()


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
    origins: tuple[Origin, Origin] | None = None,
    order_fix: str = ORDER_FIX,
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
        fewer above 20,000 stayers (:func:`leadnet.permutation.people_scaled_permutations`).
    within_unit
        Compare cohort and comparison stayers within units (their unit before): the units'
        differences, weighted by their people, with labels shuffled only within a unit.
    min_group_size
        Cohort figures are suppressed when the cohort or the comparison group is smaller.
    n_opted_out
        Rows of the cohort file left out because they name people who opted out
        (:attr:`CohortFile.opted_out`), recorded as the cohort's ``n_opted_out`` (withheld,
        like ``n_cohort_not_stayed``, when the cohort figures are).
    origins
        Where each snapshot was read from and when it was analysed, for ``snapshots``.
    order_fix
        How to give the waves the right way round, said when ``before`` begins after ``after``.

    Raises
    ------
    InputError
        When a wave holds no tie of the relation compared, or ``before`` begins after
        ``after`` (:mod:`leadnet.compared_waves`).

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
    labels = snapshot_labels(before, after, origins)
    overlap = wave_order(before.snapshot, after.snapshot, labels, order_fix)
    check_relation(before.snapshot, after.snapshot, primary_relation(before.snapshot, after.snapshot), labels)
    outside = {*before.snapshot.outside_roster, *after.snapshot.outside_roster}
    align = align_people(before.snapshot.people, after.snapshot.people, outside)
    n_perm = people_scaled_permutations(permutations, len(align.stayed))
    silent = silent_people(before, after)
    ties = tie_figures(before.snapshot, after.snapshot, align.stayed, n_perm, seed, silent=silent)
    frame = None if cohort is None else members.check_cohort(cohort)
    if frame is not None:
        everyone = align.stayed.append(align.joined).append(align.left)
        members.check_known(frame, everyone, max(_opted_out(before), _opted_out(after)))
    groups = pd.Series(dtype=object) if frame is None else members.assign_groups(frame, align.stayed)
    change = people_change(before, after, align, groups, silent)
    cohort_result = cohort_ties = None
    if frame is not None:
        listed = "listed" if frame["group"].eq("comparison").any() else "all other stayers"
        settings = {"within_unit": within_unit, "permutations": n_perm, "seed": seed,
                    "min_group_size": min_group_size, "comparison_group": listed,
                    "n_opted_out": n_opted_out}  # fmt: skip
        cohort_result, cohort_ties = _cohort_part(before, change, ties["formed"], settings)
        if _any_suppressed(cohort_result):  # a cohort figure is suppressed: so are the groups' labels
            change = withhold_groups(change)
    qap, jaccard = ties["qap"], ties["jaccard"]
    transitions = community_transitions(before, after, align.stayed, min_group_size)
    cautions = (*overlap, *_cautions(n_perm, cohort_result, min_group_size))
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
        method=comparison_method(
            ties["relation"], permutations=n_perm, requested=permutations, seed=seed, within_unit=within_unit,
            min_group_size=min_group_size, n_silent=int(align.stayed.isin(silent).sum()),
            qap_two_sided=qap.p_two_sided, ranges=has_ranges(cohort_result),
            tie_strata="none" if cohort_ties and cohort_ties["within_cohort_strata"] == "none" else "units",
        ),
        snapshots={wave: snapshot_record(analysis, origin, label) for wave, analysis, origin, label in
                   zip(("before", "after"), (before, after), origins or (None, None), labels, strict=True)},
        warnings=(*comparability_warnings(before, after, labels), *cautions), cautions=cautions,
        order_basis=order_basis(before.snapshot.period, after.snapshot.period),
    )  # fmt: skip


def _cautions(permutations: int, cohort: Mapping[str, Any] | None, k: int) -> list[str]:
    """What to read the comparison with besides its settings (:mod:`leadnet.comparison_cautions`)."""
    found = (too_few_permutations(permutations), cohort_withheld(cohort, k), people_lost(cohort))
    return [caution for caution in found if caution]


def _opted_out(analysis: Analysis) -> int:
    """How many people who opted out the analysis's snapshot left out (counted at ingestion)."""
    return int(analysis.snapshot.provenance.normalisations.get("excluded-person", 0))
