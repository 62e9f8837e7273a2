"""Exceptions, row-level issues and warnings shared by every stage of leadnet.

The library raises; only :mod:`leadnet.cli` prints and exits. Every message says
what was found, where (file, line, column) and how to fix it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


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
    def from_issues(cls, issues: Iterable[RowIssue], summary: str | None = None) -> InputError:
        """Build one error listing every issue, first line being ``summary`` if given."""
        issues = tuple(issues)
        lines = [str(i) for i in issues]
        head = summary or (lines[0] if len(lines) == 1 else f"{len(lines)} problems in the input")
        body = "\n".join(lines) if summary or len(lines) > 1 else ""
        return cls(head + ("\n" + body if body else ""), issues)


class ConfigError(LeadnetError, ValueError):
    """``leadnet.toml`` or a command-line flag is invalid."""


class LeadnetWarning(UserWarning):
    """Something the user should know about, with the numbers behind it."""
