"""Dated memberships cut into periods: which overlap a window (:func:`active`), and the months or
quarters from the earliest date to the latest (:func:`periods`), at most :data:`MAX_PERIODS`
of them, checked before any is made (:func:`check_span`: the dates far from the others named
by line, ``far-date``). Each period is named by :func:`~leadnet.snapshot_names.period_name`.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from leadnet.errors import InputError, RowIssue
from leadnet.snapshot_names import period_name


def active(memberships: pd.DataFrame, start: date | None, end: date | None) -> pd.Series:
    """Mask of memberships that overlap ``[start, end]`` (open ends and open dates overlap)."""
    keep = pd.Series(True, index=memberships.index)
    if start is not None:
        keep &= memberships["end"].isna() | (memberships["end"] >= pd.Timestamp(start))
    if end is not None:
        keep &= memberships["start"].isna() | (memberships["start"] <= pd.Timestamp(end))
    return keep


MAX_PERIODS = 120
"""The most snapshots ``snapshot_by`` may cut one membership file into: ten years by month,
thirty by quarter. Each is a whole analysis and report folder, and the months run from the
earliest date to the latest, so more is nearly always a mistyped date (2206 for 2026 made
2,163 snapshots; 9999 ran for minutes)."""


def _numbers(memberships: pd.DataFrame, by: str, start: date | None, end: date | None) -> pd.DataFrame:
    """Every start and end date (line, column, date) and its period's number within the window.

    A period's number counts months (or quarters) from year 0, so consecutive periods differ
    by one; a date outside the window counts as the window's first or last period.
    """
    cells = pd.concat(
        [
            memberships[["line", role]].rename(columns={role: "date"}).assign(role=role)
            for role in ("start", "end")
        ],
        ignore_index=True,
    ).dropna(subset=["date"])
    number = _number(cells["date"].dt.year.to_numpy(), cells["date"].dt.month.to_numpy(), by)
    low = _number(start.year, start.month, by) if start else None
    high = _number(end.year, end.month, by) if end else None
    return cells.assign(number=number if low is None and high is None else np.clip(number, low, high))


def _number(year: Any, month: Any, by: str) -> Any:
    months = year * 12 + month - 1
    return months if by == "month" else months // 3


def _period(number: int, by: str) -> tuple[str, date, date]:
    """The label (``2024-03``, ``2024-Q1``), first and last day of the period ``number``."""
    size = 1 if by == "month" else 3
    year, month = divmod(number * size, 12)
    last_month = month + size
    first, last = date(year, month + 1, 1), date(year, last_month, calendar.monthrange(year, last_month)[1])
    return period_name(year, month + 1, by), first, last


def periods(
    memberships: pd.DataFrame, by: str, start: date | None = None, end: date | None = None
) -> list[tuple[str, date, date]]:
    """The months or quarters from the memberships' earliest date to their latest, within
    ``[start, end]``: (label, first day, last day), the first and last clipped to the window."""
    numbers = _numbers(memberships, by, start, end)["number"]
    if numbers.empty:
        return []
    spans = [_period(int(n), by) for n in range(int(numbers.min()), int(numbers.max()) + 1)]
    clipped = [(label, max(first, start or first), min(last, end or last)) for label, first, last in spans]
    return [(label, first, last) for label, first, last in clipped if first <= last]


def check_span(
    memberships: pd.DataFrame,
    by: str,
    start: date | None,
    end: date | None,
    name: str,
    columns: Mapping[str, str],
) -> None:
    """Fail, naming the dates to correct, when ``snapshot_by`` would cut over :data:`MAX_PERIODS` snapshots.

    Named are the dates outside the run of :data:`MAX_PERIODS` periods that holds the most
    dates: for one mistyped date among a few years of others, that date alone. Checked
    before any period is made, so a far date costs no time.
    """
    cells = _numbers(memberships, by, start, end)
    numbers = cells["number"].to_numpy()
    if not len(numbers) or numbers.max() - numbers.min() < MAX_PERIODS:
        return
    ordered = np.sort(numbers)
    held = np.searchsorted(ordered, ordered + MAX_PERIODS) - np.arange(len(ordered))
    first = int(ordered[np.argmax(held)])
    far = cells[(numbers < first) | (numbers >= first + MAX_PERIODS)]
    run = f"{_period(first, by)[0]} to {_period(first + MAX_PERIODS - 1, by)[0]}"
    fix = (
        "correct it if it is mistyped, or narrow the period: from/to in its [[sources]] entry, or --from/--to"
    )
    fix += '; a longer history fits snapshot_by = "quarter"' if by == "month" else ""
    span = f"{numbers.max() - numbers.min() + 1:,} snapshots"
    why = f'the {MAX_PERIODS} {by}s that hold the most dates: snapshot_by = "{by}" would cut {span}'
    issues = [
        RowIssue(
            name,
            int(line),
            "far-date",
            f"{role} {day:%Y-%m-%d} lies outside {run}, {why}",
            columns[role],
            fix,
        )
        for line, role, day in far.sort_values("line", kind="stable")[["line", "role", "date"]].values
    ]
    low, high = (_period(int(n), by)[0] for n in (numbers.min(), numbers.max()))
    raise InputError.from_issues(
        issues,
        f'{name}: snapshot_by = "{by}" would cut the memberships into {span} ({low} to {high}), over '
        f"the limit of {MAX_PERIODS}; {len(issues)} date(s) lie outside {run}, the {by}s holding most dates",
    )
