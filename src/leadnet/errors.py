"""Exceptions, row-level issues and warnings shared by every stage of leadnet.

The library raises; only :mod:`leadnet.cli` prints and exits. Every message says
what was found, where (file, line, column) and how to fix it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RowIssue:
    """One problem with one input row (or message), with a stable reason code.

    Examples
    --------
    >>> issue = RowIssue("survey.csv", 14, "unknown-person", 'unknown person "j.smyth"',
    ...                  column="nominee", hint='did you mean "j.smith"?')
    >>> print(str(issue))  # doctest: +NORMALIZE_WHITESPACE
    survey.csv line 14, column "nominee": unknown person "j.smyth"
    (did you mean "j.smith"?) [unknown-person]
    """

    file: str
    line: int | None
    code: str
    detail: str
    column: str | None = None
    hint: str | None = None
    value: str | None = field(default=None, compare=False)
    """The cell at fault, where a cell is not of its column's type (``bad-weight``, ``bad-date``,
    ``bad-effort``, ``bad-flag``), as the detail quotes it (an e-mail export's cut at 40 characters);
    ``None`` for other problems. Not compared: the detail already says it."""

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f" line {self.line}"
        if self.column is not None:
            where += f', column "{self.column}"'
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}: {self.detail}{hint} [{self.code}]"


class LeadnetError(Exception):
    """Base class of every error leadnet raises on purpose."""


class InputError(LeadnetError, ValueError):
    """An input file cannot be used as it is.

    Carries every :class:`RowIssue` found, so a caller can show them all at once.
    """

    def __init__(self, message: str, issues: Iterable[RowIssue] = ()) -> None:
        self.issues: tuple[RowIssue, ...] = tuple(issues)
        super().__init__(message)

    @classmethod
    def from_issues(
        cls, issues: Iterable[RowIssue], summary: str | None = None, *, every: bool = False
    ) -> InputError:
        """Build one error listing the issues, first line being ``summary`` if given.

        The message lists the first :data:`MAX_LISTED` and counts the rest by reason code
        (``leadnet validate`` prints them all); ``issues`` keeps every one. With ``every``, it
        lists them all: for a file ``leadnet validate`` does not read (a cohort file given to
        ``leadnet compare``), so that no problem is left unseen.

        Examples
        --------
        >>> rows = [RowIssue("m.csv", n, "missing-from", "no sender") for n in range(2, 25)]
        >>> print(str(InputError.from_issues(rows, "m.csv: 23 of 23 rows rejected")).splitlines()[-1])
        and 3 more problem(s): missing-from 3 (leadnet validate lists every one)
        """
        issues = tuple(issues)
        lines = [str(i) for i in (issues if every else issues[:MAX_LISTED])]
        head = summary or (lines[0] if len(issues) == 1 else f"{len(issues)} problems in the input")
        if len(issues) > len(lines):
            rest = Counter(i.code for i in issues[MAX_LISTED:]).most_common()
            counted = ", ".join(f"{code} {n:,}" for code, n in rest)
            more = len(issues) - MAX_LISTED
            lines.append(f"and {more:,} more problem(s): {counted} (leadnet validate lists every one)")
        body = "\n".join(lines) if summary or len(issues) > 1 else ""
        return cls(head + ("\n" + body if body else ""), issues)


MAX_LISTED = 20
"""The most problems one error message lists line by line."""


def lines_listed(lines: Sequence[int]) -> str:
    """``lines`` as a message names them: the first :data:`MAX_LISTED`, the rest counted.

    >>> lines_listed([4]), lines_listed([4, 9]), lines_listed(range(2, 24))[-21:]
    ('line 4', 'lines 4, 9', '19, 20, 21 and 2 more')
    """
    where = ("line " if len(lines) == 1 else "lines ") + ", ".join(str(line) for line in lines[:MAX_LISTED])
    return where + (f" and {len(lines) - MAX_LISTED:,} more" if len(lines) > MAX_LISTED else "")


class ConfigError(LeadnetError, ValueError):
    """``leadnet.toml`` or a command-line flag is invalid."""


class LeadnetWarning(UserWarning):
    """Something the user should know about, with the numbers behind it."""


class FiguresWarning(LeadnetWarning):
    """A warning that changes what the figures mean (relations merged, weights not read): besides the
    terminal, it goes with the snapshot into ``summary.json`` ``warnings`` and the report's caution box."""
