"""Roster units and levels named as the outputs name groups that are none of the roster's.

The outputs show a unit hidden for privacy as ``Units pooled for privacy``, a hidden level as
``not shown (privacy)``, and the network view has entries of its own for the people of no unit
and the pooled outside world (:data:`leadnet.groups.RESERVED_UNITS`,
:data:`~leadnet.groups.RESERVED_LEVELS`). A roster unit of one of those names, in any letter
case, would be shown as one with them: ``units.csv`` would hold its real row beside the pooled
ones, under one name. So would one with runs of spaces where the name has one space, as a web page
shows both alike. Such a row is refused (``reserved-label``) at its line, as a reserved
person id is (``reserved-id``, :mod:`leadnet.importers.people`), and each label so written is one
problem (:func:`one_per_label`), with the count of its rows and their first lines, as the levels
``level_order`` lacks are: a unit of 105 people is one fix, not 105 problems.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

import pandas as pd

from leadnet.errors import RowIssue
from leadnet.groups import RESERVED_LEVELS, RESERVED_UNITS
from leadnet.importers.levels import first_lines

RESERVED_LABEL = "reserved-label"


def reserved_label_issues(
    frame: pd.DataFrame, lines: pd.Series, name: str, headers: Mapping[str, str]
) -> list[RowIssue]:
    """A ``reserved-label`` issue for each row of ``frame`` (standard columns ``unit`` and ``level``,
    at ``lines`` of the file ``name``) whose unit or level is a reserved label; ``headers`` maps the
    standard names to the file's.

    >>> frame = pd.DataFrame({"unit": ["Lab", "units pooled for privacy"], "level": ["1", "2"]})
    >>> (issue,) = reserved_label_issues(frame, pd.Series([2, 3]), "people.csv", {"unit": "team"})
    >>> print(issue)  # doctest: +NORMALIZE_WHITESPACE
    people.csv line 3, column "team": unit "units pooled for privacy" is reserved for the units the
    outputs pool for privacy (rename the unit, on every row of it, so that the outputs do not show it
    as one with those) [reserved-label]
    """
    issues = []
    for role, reserved in (("unit", RESERVED_UNITS), ("level", RESERVED_LEVELS)):
        meant = {_shown(label): what for label, what in reserved.items()}
        found = frame[role].astype(str).map(_shown).map(meant)
        hint = f"rename the {role}, on every row of it, so that the outputs do not show it as one with those"
        issues += [
            RowIssue(
                name,
                int(line),
                RESERVED_LABEL,
                f'{role} "{value}" is reserved for {what}',
                column=headers.get(role, role),
                hint=hint,
            )
            for value, what, line in zip(
                frame[role][found.notna()], found.dropna(), lines[found.notna()], strict=True
            )
        ]
    return issues


def one_per_label(issues: Iterable[RowIssue]) -> list[RowIssue]:
    """The ``reserved-label`` issues of :func:`reserved_label_issues` (a row each) as one problem per
    label, at its first line, with the count of its rows and their first lines when it has more than one
    (:func:`~leadnet.importers.levels.first_lines`); each row is still rejected by its own issue. A label
    is one in any letter case or spacing, as the outputs show them alike: the problem quotes its first row's.

    >>> pooled = "Units pooled for privacy"
    >>> frame = pd.DataFrame({"unit": ["Lab", pooled, pooled], "level": ["1", "2", "3"]})
    >>> (issue,) = one_per_label(reserved_label_issues(frame, pd.Series([2, 5, 9]), "people.csv", {}))
    >>> print(issue)  # doctest: +NORMALIZE_WHITESPACE
    people.csv line 5, column "unit": unit "Units pooled for privacy" is reserved for the units the
    outputs pool for privacy, and 2 rows hold it (lines 5, 9) (rename the unit, on every row of it, so
    that the outputs do not show it as one with those) [reserved-label]
    """
    by_label: dict[tuple[str | None, str], list[RowIssue]] = {}
    for issue in issues:  # one label in any letter case or spacing (_shown), the first row's as written
        by_label.setdefault((issue.column, _shown(issue.detail)), []).append(issue)
    problems = []
    for rows in by_label.values():
        lines = pd.Series([row.line for row in rows if row.line is not None])
        held = f", and {len(rows):,} rows hold it ({first_lines(lines)})" if len(rows) > 1 else ""
        problems.append(replace(rows[0], detail=rows[0].detail + held))
    return problems


def _shown(label: str) -> str:
    """``label`` as compared with the reserved ones: letter case aside, each run of whitespace one space.

    >>> _shown("Units  pooled\tfor privacy ")
    'units pooled for privacy'
    """
    return " ".join(label.split()).casefold()
