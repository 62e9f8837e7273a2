"""Project membership (kind = "membership"): two-mode person × project data → person ties.

One row per membership: ``person``, ``project``, optional ``role``, ``start``, ``end``
(ISO 8601 dates; blank = open) and ``effort`` (a number ≥ 0, kept for the record); a
header ``columns`` maps must be in the file, an unmapped one may be in any letter case
(:func:`~leadnet.importers.columns.read_columns`). A date
or time with a UTC offset (``2024-01-31T09:00+01:00``, ``…Z``) is converted to UTC; one
without is taken as it is written (the organisation's own calendar), as are ``--from`` and
``--to``, so a file may mix both. Two people
who share a project of ``n`` members get ``1/(n-1)`` for it (Newman's collaboration
weight: each member divides one unit of time among the others); the tie weight sums
this over shared projects and ``count`` is the number of shared projects. Projects with
more than ``max_project_size`` members make no ties (counted ``large-project``); a period
(or the window) they leave with no tie is recorded, with its smallest project's size
(:class:`~leadnet.importers.result.RuleEmptied`), for a warning.
Co-membership is symmetric and stored as two arcs. With ``snapshot_by`` the dated ties
are cut into every month or quarter from the earliest date to the latest (within the
period); a file whose dates would make more than
:data:`~leadnet.importers.membership_periods.MAX_PERIODS` of them fails, naming
each date that lies far from the others (``far-date``, with its line).

Rows end: rejected ``unknown-person``, ``roster-rejected`` or ``ambiguous-person`` (see
:meth:`~leadnet.importers.identity.Resolver.explain`), ``missing-id`` (blank person or project),
``bad-date``, ``partial-date`` (a year or a month, such as ``2026`` or ``2026-03``, where a day
is needed: read as its first day it would cut an end date short), ``end-before-start`` (an
end date earlier than the start date),
``bad-effort``; or accepted, counted ``duplicate-membership`` (the same
person and project again, merged), ``outside-period`` (a membership that does not
overlap the window), ``excluded-tie``.

References
----------
Newman, M. E. J. (2001). Scientific collaboration networks. II. Shortest paths,
weighted networks, and centrality. Physical Review E 64, 016132.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from leadnet.errors import RowIssue
from leadnet.importers.columns import read_columns
from leadnet.importers.identity import Resolver, per_distinct_many
from leadnet.importers.membership_periods import active, check_span, periods
from leadnet.importers.result import (
    RuleEmptied,
    TieImport,
    add_counts,
    headers_read,
    input_record,
    period_counts,
)
from leadnet.model import normalise_ties
from leadnet.schema import MEMBERSHIP_ROLES

MEMBERSHIP_COLUMNS = ("person_id", "project", "role", "start", "end", "effort")
DEFAULT_MAX_PROJECT_SIZE = 50
"""``max_project_size`` when not given: larger projects make no ties (the ceiling is ``schema``'s)."""


@dataclass(frozen=True, eq=False)
class MembershipImport(TieImport):
    """A :class:`TieImport` from membership, plus the memberships and dated ties.

    ``memberships`` has person_id, project, role, start, end (datetime64, NaT = open),
    effort (float, NaN = not given); ``by_period`` maps ``2024-03``/``2024-Q1`` to that period's
    :class:`PeriodMemberships`.
    """

    memberships: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(MEMBERSHIP_COLUMNS)))
    by_period: Mapping[str, PeriodMemberships] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class PeriodMemberships:
    """The ties of one dated period and its counted normalisations: its own ``large-project`` (the
    projects over ``max_project_size`` among those active in the period), the others its file's."""

    ties: pd.DataFrame
    normalisations: dict[str, int]


def project_memberships(
    memberships: pd.DataFrame,
    *,
    max_project_size: int = DEFAULT_MAX_PROJECT_SIZE,
    relation: str = "membership",
) -> tuple[pd.DataFrame, int]:
    """Newman-weighted co-membership ties (two arcs per pair) and how many projects were too large.

    Examples
    --------
    >>> m = pd.DataFrame({"person_id": ["a", "b", "c", "a", "b"], "project": ["p", "p", "p", "q", "q"]})
    >>> ties, large = project_memberships(m)
    >>> ties[["source", "target", "weight", "count"]].values.tolist()[:3]
    [['a', 'b', 1.5, 2], ['a', 'c', 0.5, 1], ['b', 'a', 1.5, 2]]
    """
    pairs = memberships[["person_id", "project"]].drop_duplicates()
    size = pairs.groupby("project")["person_id"].transform("size")
    large = int(pairs.loc[size > max_project_size, "project"].nunique())
    pairs = pairs[(size <= max_project_size) & (size > 1)].assign(share=1.0 / (size - 1))
    joined = pairs.merge(pairs[["person_id", "project"]], on="project", suffixes=("", "_other"))
    joined = joined[joined["person_id"] != joined["person_id_other"]]
    ties = (
        joined.groupby(["person_id", "person_id_other"], sort=True)
        .agg(weight=("share", "sum"), count=("project", "size"))
        .reset_index()
        .rename(columns={"person_id": "source", "person_id_other": "target"})
    )
    return normalise_ties(ties.assign(relation=relation)), large


PARTIAL_DATE = r"(\d{4})(?:-(\d{1,2}))?"
"""A year (``2026``) or a month (``2026-03``): pandas reads either as its first day."""


def _dates(text: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Dates without a zone (those with a UTC offset converted to UTC), the mask of bad cells
    and the mask of partial dates (a year or a month, left NaT here: the caller rejects them).

    Examples
    --------
    >>> parsed, bad, partial = _dates(pd.Series(["2026-01-01T00:30+01:00", "2026-01-02", "", "soon", "2026"]))
    >>> [str(d) for d in parsed]
    ['2025-12-31 23:30:00', '2026-01-02 00:00:00', 'NaT', 'NaT', 'NaT']
    >>> bad.tolist(), partial.tolist()
    ([False, False, False, True, False], [False, False, False, False, True])
    """
    clean = text.fillna("").astype(str).str.strip()
    # utc=True reads a naive date as UTC, i.e. unchanged, so dropping the zone keeps it as written
    parsed = pd.to_datetime(clean.where(clean != ""), format="ISO8601", utc=True, errors="coerce")
    partial = clean.str.fullmatch(PARTIAL_DATE) & parsed.notna()
    return parsed.dt.tz_localize(None).where(~partial), (clean != "") & parsed.isna(), partial


def _partial_issues(
    name: str, lines: np.ndarray, cells: pd.Series, partial: pd.Series, role: str, column: str
) -> list[RowIssue]:
    """``partial-date`` for a start or end written as a year or a month, naming the full date to write."""
    issues = []
    for line, text in zip(lines[partial.to_numpy()], cells[partial], strict=True):
        value, span = text.strip(), "month" if "-" in text else "year"
        period = pd.Period(value)
        whole, day = (period.start_time, "first") if role == "start" else (period.end_time, "last")
        fix = f"write the full date, such as {whole:%Y-%m-%d} for the {day} day of the {span}"
        detail = f'{role} "{value}" is a {span}, not a date'
        issues.append(RowIssue(name, int(line), "partial-date", detail, column=column, hint=fix))
    return issues


def _effort(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    clean = text.fillna("").astype(str).str.strip().str.replace(",", ".", regex=False)
    value = pd.to_numeric(clean.where(clean != ""), errors="coerce")
    return value, (clean != "") & (value.isna() | np.isinf(value) | (value < 0))


_CELL_ISSUES = {
    "person": ("missing-id", "person is blank", "fill it in or remove the row"),
    "project": ("missing-id", "project is blank", "fill it in or remove the row"),
    "start": (
        "bad-date",
        'start "{value}" is not a date',
        "write an ISO date such as 2024-01-31, or leave it blank for an open start",
    ),
    "end": (
        "bad-date",
        'end "{value}" is not a date',
        "write an ISO date such as 2024-01-31, or leave it blank for an open end",
    ),
    "effort": (
        "bad-effort",
        'effort "{value}" is not a finite number >= 0',
        "write a number such as 0.5 or 1, or leave it blank",
    ),
}
"""Per column: the reason code, the detail (``{value}`` is the cell as written) and the fix."""


def _issues(
    name: str,
    lines: np.ndarray,
    cells: Mapping[str, pd.Series],
    bad: Mapping[str, pd.Series],
    mapping: Mapping[str, str],
) -> list[RowIssue]:
    """One issue per bad cell, column by column in the order of ``bad``."""
    issues = []
    for column, mask in bad.items():
        code, detail, hint = _CELL_ISSUES[column]
        issues += [
            RowIssue(
                name,
                int(line),
                code,
                detail.format(value=text.strip()),
                column=mapping[column],
                hint=hint,
                value=text.strip() if "{value}" in detail else None,  # the cell quoted, not a blank id
            )
            for line, text in zip(lines[mask.to_numpy()], cells[column][mask], strict=True)
        ]
    return issues


def _inverted_issues(
    name: str, lines: np.ndarray, inverted: pd.Series, start: pd.Series, end: pd.Series, column: str
) -> list[RowIssue]:
    """``end-before-start`` for memberships whose end date is earlier than their start date."""
    mask = inverted.to_numpy()
    return [
        RowIssue(
            name,
            int(line),
            "end-before-start",
            f"end {e:%Y-%m-%d} is before start {s:%Y-%m-%d}",
            column=column,
            hint="swap the dates if they were entered the wrong way round, or correct the wrong one",
        )
        for line, s, e in zip(lines[mask], start[inverted], end[inverted], strict=True)
    ]


def _unknown_issues(
    name: str, lines: np.ndarray, person_text: pd.Series, unknown: pd.Series, resolver: Resolver, column: str
) -> list[RowIssue]:
    """One issue per row whose person resolves to nobody, worded by :meth:`Resolver.explain_each`."""
    explained = resolver.explain_each(person_text[unknown])
    issues = []
    for line, text in zip(lines[unknown.to_numpy()], person_text[unknown], strict=True):
        code, detail, hint = explained[text.strip()]
        issues.append(RowIssue(name, int(line), code, detail, column=column, hint=hint))
    return issues


def _values(
    frame: pd.DataFrame, lines: np.ndarray, mapping: Mapping[str, str], name: str
) -> tuple[dict[str, pd.Series], pd.Series, list[RowIssue]]:
    """Each row's role, start, end and effort; the mask of rows with a bad one; and their issues, in
    the order: bad start, bad end, partial start, partial end, end before start, bad effort."""
    blank = pd.Series("", index=frame.index, dtype=object)
    cells = {n: frame.get(mapping[n], blank).fillna("").astype(str) for n in ("start", "end", "effort")}
    start, bad_start, partial_start = _dates(cells["start"])
    end, bad_end, partial_end = _dates(cells["end"])
    effort, bad_effort = _effort(cells["effort"])
    issues = _issues(name, lines, cells, {"start": bad_start, "end": bad_end}, mapping)
    issues += _partial_issues(name, lines, cells["start"], partial_start, "start", mapping["start"])
    issues += _partial_issues(name, lines, cells["end"], partial_end, "end", mapping["end"])
    inverted = (end < start).fillna(False).astype(bool)  # NaT (open or bad) compares False
    issues += _inverted_issues(name, lines, inverted, start, end, mapping["end"])
    issues += _issues(name, lines, cells, {"effort": bad_effort}, mapping)
    bad = bad_start | bad_end | partial_start | partial_end | inverted | bad_effort
    role = frame.get(mapping["role"], blank).fillna("").astype(str).str.strip()
    return {"role": role, "start": start, "end": end, "effort": effort}, bad, issues


def _resolve(
    frame: pd.DataFrame, lines: np.ndarray, mapping: Mapping[str, str], resolver: Resolver, name: str
) -> tuple[pd.DataFrame, list[RowIssue], pd.Series]:
    """The memberships of the good rows (person resolved, dates and effort read), the issues of the
    others (row by row: person, project, then :func:`_values`'), and the mask of good rows whose
    person opted out, left out of the memberships."""
    person_text, project = frame[mapping["person"]], frame[mapping["project"]].str.strip()
    person, excluded = per_distinct_many(person_text, [resolver.resolve, resolver.is_excluded])
    excluded = excluded.astype(bool)
    blank_person, blank_project = person_text.str.strip() == "", project == ""
    blank = blank_person | blank_project
    unknown = person.isna() & ~blank & ~excluded
    ids = {"person": person_text, "project": project}
    issues = _issues(name, lines, ids, {"person": blank_person, "project": blank_project}, mapping)
    issues += _unknown_issues(name, lines, person_text, unknown, resolver, mapping["person"])
    values, bad, value_issues = _values(frame, lines, mapping, name)
    ok = ~(blank | unknown | bad)
    out = pd.DataFrame({"person_id": person, "project": project, **values}).assign(line=lines)
    return out[ok & ~excluded].reset_index(drop=True), issues + value_issues, excluded & ok


def _emptied(
    memberships: pd.DataFrame, ties: pd.DataFrame, large: int, cap: int, period: str | None = None
) -> list[RuleEmptied]:
    """``max_project_size`` (``cap``) as the rule that left ``memberships`` no tie, with the size of
    their smallest project over it (the cap that would give one), when it did; else nothing."""
    if len(ties) or not large:
        return []
    sizes = memberships[["person_id", "project"]].drop_duplicates().groupby("project").size()
    return [RuleEmptied("max_project_size", cap, int(sizes[sizes > cap].min()), period)]


def _period_ties(
    in_window: pd.DataFrame,
    snapshot_by: str,
    span: tuple[date | None, date | None],
    max_project_size: int,
    relation: str,
) -> tuple[dict[str, tuple[pd.DataFrame, int]], list[RuleEmptied]]:
    """The ties of each month or quarter of the memberships ``in_window`` (the window ``span``) with
    the number of its projects too large to make any, and the periods ``max_project_size`` left with
    none."""
    by_period: dict[str, tuple[pd.DataFrame, int]] = {}
    emptied: list[RuleEmptied] = []
    for label, first, last in periods(in_window, snapshot_by, *span):
        in_period = in_window[active(in_window, first, last)]
        ties, large = project_memberships(in_period, max_project_size=max_project_size, relation=relation)
        by_period[label] = (ties, large)
        emptied += _emptied(in_period, ties, large, max_project_size, label)
    return by_period, emptied


def load_membership(
    path: Path,
    resolver: Resolver,
    *,
    columns: Mapping[str, str] | None = None,
    relation: str = "membership",
    max_project_size: int = DEFAULT_MAX_PROJECT_SIZE,
    period_from: date | None = None,
    period_to: date | None = None,
    snapshot_by: str | None = None,
    encoding: str | None = None,
    name: str | None = None,
) -> MembershipImport:
    """Read a membership table and project it to Newman-weighted person ties; ``name`` is the name its
    problems give the file (its path in the project), the file's name unless given.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> text = "person,project\\na,p\\nb,p\\nc,p\\nc,q\\nd,q\\nzed,q\\n"
    >>> _ = (folder / "m.csv").write_text(text, encoding="utf-8")
    >>> result = load_membership(folder / "m.csv", Resolver(pd.DataFrame({"person_id": list("abcd")})))
    >>> result.ties[["source", "target", "weight"]].values.tolist()[:2], [i.code for i in result.issues]
    ([['a', 'b', 0.5], ['a', 'c', 0.5]], ['unknown-person'])
    """
    roles = {n: n for n in MEMBERSHIP_ROLES}
    table, mapping = read_columns(path, columns, roles, ["person", "project"], encoding=encoding, name=name)
    members, issues, excluded = _resolve(table.frame, table.lines, mapping, resolver, table.name)
    issues = sorted((*table.issues, *issues), key=lambda i: i.line or 0)  # stable: a line's in column order
    window = active(members, period_from, period_to)
    in_window = members[window]
    ties, large = project_memberships(in_window, max_project_size=max_project_size, relation=relation)
    by_period: dict[str, tuple[pd.DataFrame, int]] = {}
    emptied: list[RuleEmptied] = []
    if snapshot_by:
        check_span(in_window, snapshot_by, period_from, period_to, table.name, mapping)
        by_period, emptied = _period_ties(
            in_window, snapshot_by, (period_from, period_to), max_project_size, relation
        )
    if not by_period:  # the whole window is the snapshot
        emptied = _emptied(in_window, ties, large, max_project_size)
    counts = {
        "duplicate-membership": int(members.duplicated(["person_id", "project"]).sum()),
        "outside-period": int((~window).sum()),
        "large-project": large,
        "excluded-tie": int(excluded.sum()),
    }
    normalisations = add_counts(table.normalisations, counts)
    return MembershipImport(
        ties=ties,
        non_respondents=(),
        record=input_record(path, "membership", table.sha256, table.rows_read, issues),
        issues=tuple(issues),
        normalisations=normalisations,
        headers_read=headers_read(table),
        memberships=members[list(MEMBERSHIP_COLUMNS)],
        by_period={
            label: PeriodMemberships(
                ties,
                period_counts(normalisations, ["large-project"], {"large-project": large} if large else {}),
            )
            for label, (ties, large) in by_period.items()
        },
        emptied=tuple(emptied),
    )
