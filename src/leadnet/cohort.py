"""The programme cohort: who is in it, and difference-in-differences against a comparison group.

A cohort table lists ``person_id`` and optionally ``group``: ``cohort`` (took part in the
programme) or ``comparison`` (a chosen non-participant). Without ``comparison`` rows every
other stayer is the comparison group. For each person metric the change (after − before)
of stayers gives the difference-in-differences: cohort mean change − comparison mean
change, with a two-sided label-permutation p-value and the confidence interval that inverts
the same test (:func:`leadnet.permutation.difference_test`). Within units, it is the
stratified difference instead: each unit's cohort-minus-comparison difference of mean
changes, averaged over the units that hold both groups with weights proportional to their
people, labels permuted within units; units holding one group only are left out, counted,
and so are people whose unit is unknown (they are not in that metric's ``n_cohort`` or
``n_comparison``).

People who opted out (the roster's exclusion list) are in no snapshot, so no cohort:
a cohort file naming them is read with :class:`OptOuts`. When the run read the roster
it knows who they are, and their rows are left out and counted, never mistaken for a
misspelt id; when it only has saved snapshots it knows how many opted out, not who, and
an unknown id's message says that it may be one of them before suggesting another id.

Privacy: every cohort figure is a group-level figure, suppressed (``None`` with a reason,
sizes shown as ``<k``) when the cohort or the comparison group has fewer than ``k``
stayers, or fewer than ``k`` people with the metric in both waves (within units: fewer than
``k`` of them in units that hold both groups). Both sizes are hidden together, since the
comparison group is often "every other stayer" and the cohort size would follow by
subtraction: a group under ``k`` shows ``<k``, the other :data:`SIZE_WITHHELD` (a comparison
group of 20 is not "<5").
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import binom

from leadnet.errors import InputError, RowIssue
from leadnet.groups import unknown_groups
from leadnet.near_ids import did_you_mean, nearest
from leadnet.permutation import difference_test, mixed_strata
from leadnet.privacy import suppressed_marker
from leadnet.schema import default_headers

COHORT_GROUPS: tuple[str, ...] = ("cohort", "comparison")
SIZE_WITHHELD = "withheld"
"""The size shown for a group of at least ``k`` people hidden beside one under ``k``."""
DID_KEYS: tuple[str, ...] = ("cohort_delta", "comparison_delta", "did", "ci_low", "ci_high", "p_value")
WITHIN_UNIT_DID = (
    "; within units: the units' cohort minus comparison mean changes averaged with weights proportional "
    "to their people with the metric (stratified difference in means, Imbens & Rubin 2015 ch. 9), labels "
    "permuted within units, units holding one group only left out"
)
"""How the DiD of :func:`cohort_effects` with strata differs from the pooled one, for a method record."""


@dataclass(frozen=True)
class OptOuts:
    """What a run knows of the people who opted out (excluded at ingestion) when it reads a cohort.

    ``count`` people were left out of the snapshots. ``keys`` are the normal forms of
    their ids, e-mail addresses and aliases when this run read the roster; ``None`` when
    the snapshots were reloaded from disk, which keep no trace of who opted out. ``keys``
    stay in memory: they serve to tell an opted-out cohort member from a misspelt id.
    ``unread``: the opt-out list could not be read (``leadnet validate`` goes on without it), so
    anyone in the snapshots may have opted out, and no id of theirs is suggested for another.
    """

    count: int = 0
    keys: frozenset[str] | None = None
    unread: bool = False


def unknown_hint(pid: str, pool: Collection[str] | None, opted_out: int) -> str | None:
    """The hint for a listed ``pid`` in neither snapshot: the id of ``pool`` it most likely means
    (:func:`~leadnet.near_ids.nearest`; none without a pool), after the warning that it may be one of
    the ``opted_out`` people nobody can be matched to.

    Examples
    --------
    >>> unknown_hint("E19", ["E18"], 0)
    'did you mean "E18"?'
    >>> print(unknown_hint("E19", ["E18"], 2))  # doctest: +NORMALIZE_WHITESPACE
    2 people who opted out were left out of the snapshots: if this is one of them, remove the row;
    if not, correct the id: did you mean "E18"?

    An id written another way (letter case, punctuation, leading zeros:
    :func:`~leadnet.near_ids.fold_id`) is found first, as the importers find it, where the closest
    spelling misses it:

    >>> print(unknown_hint("1", ["00001", "00002", "10"], 0))  # doctest: +NORMALIZE_WHITESPACE
    did you mean "00001"? Its leading zeros are missing, as when a spreadsheet reads ids as numbers:
    keep the column as text
    """
    meant = nearest(pid, {p: p for p in pool}) if pool is not None else None
    guess = did_you_mean(pid, meant) if meant else None
    if not opted_out:
        return guess
    who = "1 person who opted out was" if opted_out == 1 else f"{opted_out:,} people who opted out were"
    them = "them" if opted_out == 1 else "one of them"
    return (
        f"{who} left out of the snapshots: if this is {them}, remove the row; "
        f"if not, correct the id{f': {guess}' if guess else ''}"
    )


def group_issues(
    frame: pd.DataFrame, lines: np.ndarray, file: str, headers: Mapping[str, str] | None = None
) -> list[RowIssue]:
    """Blank or repeated person_ids and group labels other than cohort/comparison.

    ``frame`` has the columns ``person_id`` and ``group``; ``headers`` maps each to its
    header as written in the file (``Group``), which the issues name.

    >>> listed = pd.DataFrame({"person_id": ["E1"], "group": ["treatment"]})
    >>> print(group_issues(listed, np.array([2]), "cohort.csv", {"group": "Group"})[0])
    cohort.csv line 2, column "Group": unknown group "treatment" (use "cohort" or "comparison") [bad-group]
    """
    issues = []
    pid, group = ((headers or {}).get(role, role) for role in ("person_id", "group"))
    ids = frame["person_id"].astype(str).str.strip()
    for i in np.flatnonzero(ids.eq("").to_numpy()):
        fix = "fill in the person's id, or remove the row"
        issues.append(RowIssue(file, int(lines[i]), "blank-id", "person_id is blank", pid, fix))
    for i in np.flatnonzero((ids.duplicated() & ids.ne("")).to_numpy()):
        issues.append(
            RowIssue(
                file,
                int(lines[i]),
                "duplicate-person",
                f'"{ids.iloc[i]}" is listed twice',
                pid,
                "keep one row per person",
            )
        )
    if "group" in frame:
        bad = ~frame["group"].astype(str).str.strip().str.lower().isin(COHORT_GROUPS)
        for i in np.flatnonzero(bad.to_numpy()):
            issues.append(
                RowIssue(
                    file,
                    int(lines[i]),
                    "bad-group",
                    f'unknown group "{frame["group"].iloc[i]}"',
                    group,
                    'use "cohort" or "comparison"',
                )
            )
    return sorted(issues, key=lambda issue: issue.line or 0)


def check_cohort(cohort: pd.DataFrame, file: str = "cohort") -> pd.DataFrame:
    """A cohort table as ``person_id``, ``group`` (``cohort``/``comparison``), sorted by person_id.

    Without a ``group`` column everybody listed is in the cohort. The columns are found as
    in a file, letter case and surrounding spaces aside (``Group``:
    :func:`~leadnet.schema.default_headers`).

    Examples
    --------
    >>> listed = pd.DataFrame({"person_id": ["b", "a"], "Group": ["Comparison ", "cohort"]})
    >>> check_cohort(listed).to_dict("list")
    {'person_id': ['a', 'b'], 'group': ['cohort', 'comparison']}
    >>> check_cohort(pd.DataFrame({"person_id": []}), "cohort.csv")
    Traceback (most recent call last):
    leadnet.errors.InputError: cohort.csv: the cohort lists nobody who took part (no rows); list the ...
    """
    roles = {name: name for name in ("person_id", "group")}
    headers = default_headers(file, None, [str(c) for c in cohort.columns], roles)
    cohort = cohort.rename(columns={header: role for role, header in headers.items()})
    if "person_id" not in cohort:
        raise InputError(
            f"{file}: the cohort needs a person_id column. Got columns {list(cohort.columns)} instead."
        )
    issues = group_issues(cohort, np.arange(2, len(cohort) + 2), file, headers)
    if issues:
        raise InputError.from_issues(
            issues, f"{file}: {len(issues)} cohort row(s) cannot be used", every=True
        )
    group = cohort["group"].astype(str).str.strip().str.lower() if "group" in cohort else "cohort"
    out = pd.DataFrame({"person_id": cohort["person_id"].astype(str).str.strip(), "group": group})
    if not out["group"].eq("cohort").any():
        found = "no rows" if out.empty else 'no row of group "cohort"'
        raise InputError(
            f"{file}: the cohort lists nobody who took part ({found}); "
            "list the participants' person_id, one per row"
        )
    return out.astype(object).sort_values("person_id", kind="stable").reset_index(drop=True)


NO_MATCH_FIX = "correct the id, or remove the row: the cohort lists people of the two snapshots"
"""The fix of a listed id that is in neither snapshot and like none of theirs (or pseudonymised)."""


def unknown_issues(
    frame: pd.DataFrame,
    lines: np.ndarray,
    file: str,
    known: Collection[str],
    *,
    as_known: pd.Series | None = None,
    opted_out: int = 0,
    header: str = "person_id",
    unsuggested: str | None = None,
) -> list[RowIssue]:
    """One ``unknown-person`` issue per listed person_id not in ``known``, hinted by :func:`unknown_hint`.

    ``as_known`` (e.g. the ids' pseudonyms) is what is looked up in ``known`` instead of the
    ids themselves; the issue still names the id as written, without a closest match.
    ``opted_out`` is how many people who opted out, unknown by id, the snapshots left out.
    ``header`` is the id column's header as written in the file, which the issues name.
    ``unsuggested`` says why no id of ``known`` is suggested (some may have opted out), in the hint.
    A blank id is no unknown person (:func:`group_issues` reports it as ``blank-id``).
    """
    pool = known if as_known is None and unsuggested is None else None
    issues = []
    written = frame["person_id"].astype(str).str.strip()
    looked_up = written if as_known is None else as_known
    for i in np.flatnonzero((~looked_up.isin(set(known)) & written.ne("")).to_numpy()):
        pid = frame["person_id"].iloc[i].strip()
        hint = unknown_hint(pid, pool, opted_out) or NO_MATCH_FIX
        hint = hint if unsuggested is None else f"{hint}; {unsuggested}"
        issues.append(
            RowIssue(file, int(lines[i]), "unknown-person", f'unknown person "{pid}"', header, hint)
        )
    return issues


def check_known(cohort: pd.DataFrame, known: Collection[str], opted_out: int = 0) -> None:
    """Raise naming up to 5 listed people who are in neither snapshot, hinted by :func:`unknown_hint`.

    ``opted_out`` is how many people who opted out the snapshots left out.

    Examples
    --------
    >>> try:
    ...     check_known(pd.DataFrame({"person_id": ["E18", "E19"]}), {"E18", "E20"})
    ... except InputError as error:
    ...     print(error)
    the cohort names 1 person(s) in neither snapshot: "E19" (did you mean "E18"?); fix their person_id ...
    """
    missing = sorted(set(cohort["person_id"]) - set(known))
    if not missing:
        return
    shown = []
    for pid in missing[:5]:
        hint = unknown_hint(pid, known, opted_out)
        shown.append(f'"{pid}"' + (f" ({hint})" if hint else ""))
    more = ", ..." if len(missing) > 5 else ""
    raise InputError(
        f"the cohort names {len(missing)} person(s) in neither snapshot: {', '.join(shown)}{more}; "
        "fix their person_id or remove them from the cohort"
    )


def assign_groups(cohort: pd.DataFrame, stayed: pd.Index) -> pd.Series:
    """Group of every listed person, by person_id; without comparison rows all other stayers are comparison.

    Examples
    --------
    >>> listed = pd.DataFrame({"person_id": ["a"], "group": ["cohort"]})
    >>> assign_groups(listed, pd.Index(["a", "b", "c"])).to_dict()
    {'a': 'cohort', 'b': 'comparison', 'c': 'comparison'}
    """
    groups = cohort.set_index("person_id")["group"]
    if not groups.eq("comparison").any():
        others = stayed.difference(groups.index)
        groups = pd.concat([groups, pd.Series("comparison", index=others, dtype=object)])
    return groups


def hidden_sizes(sizes: tuple[int, int], k: int) -> dict[str, str]:
    """``n_cohort`` and ``n_comparison`` when the cohort figures are suppressed: ``<k`` for a group
    under ``k``, :data:`SIZE_WITHHELD` for one that is not (its size would give the other's back).

    >>> hidden_sizes((3, 20), 5), hidden_sizes((12, 30), 5)
    ({'n_cohort': '<5', 'n_comparison': 'withheld'}, {'n_cohort': 'withheld', 'n_comparison': 'withheld'})
    """
    shown = [suppressed_marker(k) if size < k else SIZE_WITHHELD for size in sizes]
    return {"n_cohort": shown[0], "n_comparison": shown[1]}


def _suppressed(reason: str, k: int, sizes: tuple[int, int]) -> dict[str, Any]:
    return dict.fromkeys(DID_KEYS) | {
        **hidden_sizes(sizes, k),
        "one_group_units": None,
        "n_in_one_group_units": None,
        "reason": reason,
        "ci_reason": None,
    }


def _floor_reason(
    treated: np.ndarray, strata: np.ndarray | None, metric: str, k: int
) -> tuple[str, tuple[int, int]] | None:
    """Why a metric's DiD is suppressed: a group has fewer than ``k`` people with the metric (within
    units: fewer than ``k`` who share a unit with people of the other group), with the two groups'
    sizes that decided it; ``None`` if it is not."""
    n_t, n_c = int(treated.sum()), int((~treated).sum())
    if min(n_t, n_c) < k:
        return (
            f"fewer than {k} cohort or comparison people have {metric} in both waves "
            f"(privacy floor: both groups need at least {k})"
        ), (n_t, n_c)
    if strata is None:
        return None
    used = mixed_strata(treated, strata)
    sizes = (int((used & treated).sum()), int((used & ~treated).sum()))
    if min(sizes) < k:
        return (
            f"fewer than {k} cohort or comparison people with {metric} in both waves share a unit "
            f"with people of the other group (privacy floor: both groups need at least {k} there)"
        ), sizes
    return None


def _metric_effect(
    change: pd.DataFrame, metric: str, strata: np.ndarray | None, permutations: int, seed: int, k: int
) -> dict[str, Any]:
    valid = change[f"{metric}_delta"].notna().to_numpy()
    if strata is not None:  # a person of unknown unit has no unit to be compared within
        valid = valid & ~unknown_groups(strata)
    treated = change["group"].eq("cohort").to_numpy()[valid]
    strata = None if strata is None else strata[valid]
    floor = _floor_reason(treated, strata, metric, k)
    if floor is not None:
        return _suppressed(floor[0], k, floor[1])
    res = difference_test(
        change[f"{metric}_delta"].to_numpy(dtype=float, na_value=np.nan)[valid],
        treated,
        strata=strata,
        permutations=permutations,
        seed=seed,
    )
    figures = (res.treated_mean, res.control_mean, res.difference, res.ci_low, res.ci_high, res.p_value)
    sizes = {
        "n_cohort": int(treated.sum()),
        "n_comparison": int((~treated).sum()),
        "one_group_units": res.one_group_strata,
        "n_in_one_group_units": res.n_in_one_group_strata,
        "reason": None,
        "ci_reason": res.ci_reason,
    }
    return dict(zip(DID_KEYS, figures, strict=True)) | sizes


def cohort_effects(
    change: pd.DataFrame,
    metrics: tuple[str, ...],
    *,
    strata: np.ndarray | None = None,
    permutations: int = 10_000,
    seed: int = 0,
    min_group_size: int = 5,
) -> dict[str, Any]:
    """Difference-in-differences of each metric, cohort against comparison, among stayers.

    ``change`` has one row per stayer with ``group`` and ``<metric>_delta`` columns (the
    stayer rows of ``Comparison.people_change``); rows of group ``other`` are left out, and
    so, per metric, are people without the metric in both waves. ``strata`` (one label
    per row: the unit; a missing one, an unknown unit, leaves the person out as a missing
    metric does) makes each DiD a within-unit one: units' differences of mean changes
    averaged with weights proportional to their people with the metric, labels permuted
    within units. ``cohort_delta`` and ``comparison_delta`` are then each group's unit means
    averaged with those weights, so ``did`` is still their difference; units holding one
    group only are left out, counted as ``one_group_units`` with ``n_in_one_group_units``
    people (both 0 without strata). ``n_unknown_unit`` counts the cohort and comparison people
    a within-unit DiD leaves out for an unknown unit (0 without strata: the pooled DiD keeps them).

    Examples
    --------
    Five cohort members gained 2 ties each, five comparison people none:

    >>> change = pd.DataFrame({"group": ["cohort"] * 5 + ["comparison"] * 5,
    ...                        "ties_delta": [2.0] * 5 + [0.0] * 5})
    >>> res = cohort_effects(change, ("ties",), permutations=999)
    >>> res["n_cohort"], res["ties"]["did"], res["ties"]["ci_low"], res["ties"]["p_value"]
    (5, 2.0, 2.0, 0.01)

    Within units: unit A's five cohort and five comparison people gained 4 ties each, unit
    B's three comparison people none. Pooled, the cohort gained 4 − 20/8 = 1.5 more; within
    unit A, the only unit that holds both groups, nothing more:

    >>> change = pd.DataFrame({"group": ["cohort"] * 5 + ["comparison"] * 8,
    ...                        "ties_delta": [4.0] * 10 + [0.0] * 3})
    >>> res = cohort_effects(change, ("ties",), strata=np.array(["A"] * 10 + ["B"] * 3),
    ...                      permutations=99)
    >>> res["ties"]["did"], res["ties"]["p_value"], res["ties"]["n_in_one_group_units"]
    (0.0, 1.0, 3)

    References
    ----------
    Angrist, J. D. & Pischke, J.-S. (2009). *Mostly Harmless Econometrics*. Princeton UP, ch. 5.
    Imbens, G. W. & Rubin, D. B. (2015). *Causal Inference for Statistics, Social, and Biomedical
    Sciences*. Cambridge UP, ch. 9 (the stratified difference in means).
    """
    inside = change["group"].isin(COHORT_GROUPS).to_numpy()
    stayers, strata = change[inside], None if strata is None else np.asarray(strata)[inside]
    n_t, n_c = int(stayers["group"].eq("cohort").sum()), int(stayers["group"].eq("comparison").sum())
    n_unknown = 0 if strata is None else int(unknown_groups(strata).sum())
    head: dict[str, Any] = {"n_cohort": n_t, "n_comparison": n_c, "n_unknown_unit": n_unknown, "reason": None}
    if min(n_t, n_c) < min_group_size:
        reason = (
            f"the cohort or the comparison group has fewer than {min_group_size} stayers "
            f"(privacy floor: both need at least {min_group_size}); sizes withheld"
        )
        sizes = hidden_sizes((n_t, n_c), min_group_size)
        head = {**sizes, "n_unknown_unit": None, "reason": reason}
        return head | {metric: _suppressed(reason, min_group_size, (n_t, n_c)) for metric in metrics}
    effects = {m: _metric_effect(stayers, m, strata, permutations, seed, min_group_size) for m in metrics}
    return head | effects


def cohort_new_ties(formed: np.ndarray, in_cohort: np.ndarray) -> dict[str, Any]:
    """New arcs sent by cohort members: to other cohort members, or to anyone else, and whether
    more went to cohort members than picking colleagues at random would give.

    ``formed`` is an ``(m, 2)`` array of new arcs (positions); ``in_cohort`` flags each position.
    ``within_cohort_expected_share`` is the share of cohort members among a member's possible
    partners, (cohort − 1) / (everyone − 1); ``within_cohort_p`` the one-sided exact binomial
    p of at least ``within_cohort_new`` of the new ties at that share (:func:`at_least_p`).

    Examples
    --------
    >>> cohort_new_ties(np.array([(0, 1), (0, 2), (2, 0)]), np.array([True, True, False]))
    ... # doctest: +NORMALIZE_WHITESPACE
    {'within_cohort_new': 1, 'to_others_new': 1, 'within_cohort_share': 0.5, 'reason': None,
     'within_cohort_expected_share': 0.5, 'within_cohort_p': 0.75}
    """
    sent = in_cohort[formed[:, 0]]
    within = int(np.sum(sent & in_cohort[formed[:, 1]]))
    others = int(np.sum(sent & ~in_cohort[formed[:, 1]]))
    share = within / (within + others) if within + others else None
    n, members = len(in_cohort), int(np.sum(in_cohort))
    expected = (members - 1) / (n - 1) if n > 1 and members > 0 else None
    return {
        "within_cohort_new": within,
        "to_others_new": others,
        "within_cohort_share": share,
        "reason": None,
        "within_cohort_expected_share": expected,
        "within_cohort_p": at_least_p(within, within + others, expected),
    }


def at_least_p(hits: int, tries: int, share: float | None) -> float | None:
    """P(X ≥ ``hits``) for X ~ Binomial(``tries``, ``share``): the one-sided exact binomial p;
    None with no tries or no share.

    1 of 10 new ties at a share of 9/599: 1 − (590/599)¹⁰ = 0.1405.

    >>> round(at_least_p(1, 10, 9 / 599), 4), at_least_p(0, 10, 0.2), at_least_p(0, 0, 0.2)
    (0.1405, 1.0, None)
    """
    if tries == 0 or share is None:
        return None
    return float(binom.sf(hits - 1, tries, share))
