"""Who is in the programme cohort: a cohort table's rows checked, and each stayer's group.

A cohort table lists ``person_id`` and optionally ``group``: ``cohort`` (took part in the
programme) or ``comparison`` (a chosen non-participant). Its rows are checked all at once
(:func:`group_issues`: a blank id, a person listed twice, named with both lines and, when they
differ, both groups; an unknown group; :func:`unknown_issues`: a person in neither snapshot, with
the id most likely meant, :func:`~leadnet.near_ids.nearest`, as the importers suggest one), and
without ``comparison`` rows every other stayer is the comparison group (:func:`assign_groups`).
:mod:`leadnet.cohort` computes the groups' figures; :mod:`leadnet.cohort_file` reads the file.

People who opted out (the roster's exclusion list) are in no snapshot, so no cohort:
a cohort file naming them is read with :class:`OptOuts`. When the run read the roster
it knows who they are, and their rows are left out and counted, never mistaken for a
misspelt id; when it only has saved snapshots it knows how many opted out, not who, and
an unknown id's message says that it may be one of them before suggesting another id.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from leadnet.errors import InputError, RowIssue
from leadnet.near_ids import did_you_mean, nearest
from leadnet.schema import default_headers

COHORT_GROUPS: tuple[str, ...] = ("cohort", "comparison")


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


def unknown_hint(
    pid: str, pool: Collection[str] | None, opted_out: int, unnamed: Collection[str] = ()
) -> str | None:
    """The hint for a listed ``pid`` in neither snapshot: the id of ``pool`` it most likely means
    (:func:`~leadnet.near_ids.nearest`; none without a pool), after the warning that it may be one of
    the ``opted_out`` people nobody can be matched to. A ``pid`` like a spelling of someone who opted out
    (``unnamed``) is said to be like a roster id, naming none (:func:`~leadnet.near_ids.nearest`).

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
    meant = nearest(pid, {p: p for p in pool}, unnamed=unnamed) if pool is not None else None
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
    """Blank or repeated person_ids (naming both rows, and both groups when they differ) and group
    labels other than cohort/comparison.

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
    groups = frame["group"].astype(str).str.strip() if "group" in frame else None
    first = {person: i for i, person in reversed(list(enumerate(ids)))}
    for i in np.flatnonzero((ids.duplicated() & ids.ne("")).to_numpy()):
        j = first[ids.iloc[i]]
        both = None if groups is None else (groups.iloc[j], groups.iloc[i])
        detail, fix = _listed_twice(ids.iloc[i], (int(lines[j]), int(lines[i])), both)
        issues.append(RowIssue(file, int(lines[i]), "duplicate-person", detail, pid, fix))
    if "group" in frame:
        bad = ~group_key(frame["group"]).isin(COHORT_GROUPS)
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


def group_key(groups: pd.Series) -> pd.Series:
    """A cohort file's groups as read, letter case and surrounding spaces aside (``" Cohort"`` is
    ``cohort``): the one rule of the row checks, the groups assigned and the cohort reader's."""
    return groups.astype(str).str.strip().str.lower()


def _listed_twice(person: str, lines: tuple[int, int], groups: tuple[str, str] | None) -> tuple[str, str]:
    """The detail and the fix of a ``person`` listed on two ``lines``, the earlier first, in ``groups``.

    >>> print(*_listed_twice("E0016", (3, 5), ("comparison", "cohort")), sep="\\n")
    "E0016" is listed twice, in group "comparison" on line 3 and in group "cohort" on line 5
    a person is in one group: keep the row of the group they are in and remove the other
    >>> print(*_listed_twice("E0016", (3, 5), ("Cohort", "cohort")), sep="\\n")  # one group, two spellings
    "E0016" is listed twice, on lines 3 and 5
    keep one row per person
    """
    if groups is None or len(set(group_key(pd.Series(groups)))) == 1:
        return f'"{person}" is listed twice, on lines {lines[0]} and {lines[1]}', "keep one row per person"
    return (
        f'"{person}" is listed twice, in group "{groups[0]}" on line {lines[0]} '
        f'and in group "{groups[1]}" on line {lines[1]}',
        "a person is in one group: keep the row of the group they are in and remove the other",
    )


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
    group = group_key(cohort["group"]) if "group" in cohort else "cohort"
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
    unnamed: Collection[str] = (),
) -> list[RowIssue]:
    """One ``unknown-person`` issue per listed person_id not in ``known``, hinted by :func:`unknown_hint`.

    ``as_known`` (e.g. the ids' pseudonyms) is what is looked up in ``known`` instead of the
    ids themselves; the issue still names the id as written, without a closest match.
    ``opted_out`` is how many people who opted out, unknown by id, the snapshots left out.
    ``header`` is the id column's header as written in the file, which the issues name.
    ``unsuggested`` says why no id of ``known`` is suggested (some may have opted out), in the hint;
    ``unnamed`` are the spellings of the people who opted out, which no hint names.
    A blank id is no unknown person (:func:`group_issues` reports it as ``blank-id``).
    """
    pool = known if as_known is None and unsuggested is None else None
    issues = []
    written = frame["person_id"].astype(str).str.strip()
    looked_up = written if as_known is None else as_known
    for i in np.flatnonzero((~looked_up.isin(set(known)) & written.ne("")).to_numpy()):
        pid = frame["person_id"].iloc[i].strip()
        hint = unknown_hint(pid, pool, opted_out, unnamed) or NO_MATCH_FIX
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
