"""A column whose values are mostly of the wrong type: one problem naming it, not one per row.

A weight, date, effort or yes/no column whose values fail its type on :data:`NEARLY_ALL` of the
file's rows, or on more than :data:`MOST` of them with only a few values among the failing ones
(:data:`FEW_VALUES`: ``weekly``, ``monthly``), at least :data:`FEWEST` either way, is the wrong
column, most likely mapped by mistake
(``weight = "question"``), not a file of that many bad rows: :func:`wrong_columns` turns its row
issues (:data:`TYPED`) into one ``wrong-column`` problem naming the column, the share of rows, a
few of its values and the fix, the line of its mapping in ``leadnet.toml`` when the caller knows it
(``where``). So is a column blank on :data:`NEARLY_ALL` of the rows where its role needs a value
(:data:`BLANK`: an e-mail log's timestamp mapped to a ``sent`` column 95% empty, or its sender to a
name column mostly blank). The rows stay counted rejected. Sporadic bad values and blanks stay row
issues, and so do blanks on fewer rows, whose other rows hold the role's values.

A project's sources are read by their column maps in ``leadnet.toml``: :func:`wrong_columns_placed`
gives a job's wrong columns the line of their mapping there, and :func:`stop_at_wrong_column` stops
``analyse`` at one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from leadnet.config import Config, SourceSection
from leadnet.errors import InputError, RowIssue
from leadnet.importers.column_fixes import map_lines
from leadnet.importers.result import TieImport
from leadnet.toml_types import toml_literal

TYPED: Mapping[str, str] = {
    "bad-weight": "a number above 0",
    "bad-date": "a date",
    "bad-effort": "a number 0 or more",
    "bad-flag": "yes or no",
}
"""The reason codes of a cell not of its column's type, and the type it should be."""

BLANK: Mapping[str, str] = {"missing-date": "timestamp", "missing-from": "sender"}
"""The reason codes of a blank cell of a column its role needs, and the role. A column blank on
:data:`NEARLY_ALL` of the rows is the wrong column (a ``sent`` column 95% empty beside the ``received``
one that holds the times); fewer blanks stay row issues, though blanks are one value: not the
:data:`FEW_VALUES` rule, since the rest of such a column holds real values, and ``max_reject_rate``
decides whether a log that many rows lack may be analysed."""

NEEDED = {
    "timestamp": "a message without one is rejected, so removing it from the map would reject every one",
    "sender": "a message without one is rejected, so removing it from the map would reject every one",
}
"""What follows from each role of :data:`BLANK` left unread: why the fix is another column."""

NEARLY_ALL = 0.9
"""The share of a file's rows whose cell of one column fails its type that makes it the wrong column."""

MOST = 0.5
"""The share above which failing cells of a :data:`FEW_VALUES` values make it the wrong column too: a
frequency column 85% "weekly" gave 3,550 identical row problems under the 90% rule alone, where a
file's varied bad dates (``12024-01-02``, ``-0044-03-15``, ``infinity``) are bad rows."""

FEW_VALUES = 3
"""The most distinct values failing cells may hold for :data:`MOST` to make the wrong column."""

FEWEST = 5
"""The fewest such rows that make it the wrong column: a few rows of a small file stay row issues."""

TYPED_ROLES = ("weight", "start", "end", "effort", "timestamp", "is_manager")
"""The roles of typed columns: a header of one of these names, unmapped, is read as that role."""

WRONG_COLUMN = "wrong-column"
"""The code of the problem of a column of the wrong type."""

WITHOUT = {"weight": "to weigh every tie 1"}
"""The roles a source may leave out, and what leaving them out does."""


@dataclass(frozen=True)
class Mapped:
    """Where a column's role is written: the role reading the header (None: not known), whether the
    map names it, and where (``columns of [[sources]] #1 at leadnet.toml line 16``; None: no map)."""

    role: str | None
    mapped: bool
    at: str | None


def wrong_columns(
    issues: Sequence[RowIssue], rows_read: Mapping[str, int], where: Callable[[str, str], Mapped]
) -> tuple[RowIssue, ...]:
    """``issues`` with the row issues of each wrong column (module docstring) replaced by one problem,
    those problems first; ``rows_read`` is each file's rows, ``where(file, header)`` the column's role.

    >>> rows = [RowIssue("s.csv", n, "bad-weight", 'weight "advice" is not a number above 0', "question",
    ...                  value="advice") for n in range(2, 8)]
    >>> [str(i) for i in wrong_columns(rows, {"s.csv": 6}, lambda f, h: Mapped("weight", True, None))]
    ... # doctest: +NORMALIZE_WHITESPACE
    ['s.csv, column "question": weight is not a number above 0 on 6 of the 6 rows (such as "advice"), so
    the column holds no weight (weight = "question" is in the map: map weight to the column that holds
    it, or remove it from the map to weigh every tie 1) [wrong-column]']
    """
    groups: dict[tuple[str, str, str], list[RowIssue]] = {}
    for issue in issues:  # a file whose rows are not known (none read) is left as it is
        if (
            (issue.code in TYPED or issue.code in BLANK)
            and issue.column is not None
            and rows_read.get(issue.file)
        ):
            groups.setdefault((issue.file, issue.column, issue.code), []).append(issue)
    values = {key: _values(found) for key, found in groups.items()}
    wrong = {
        key: found
        for key, found in groups.items()
        if _wrong(found, values[key], rows_read[key[0]], key[2] in BLANK)
    }
    if not wrong:
        return tuple(issues)
    gone = {id(issue) for found in wrong.values() for issue in found}
    problems = [
        _problem(*key, found, values[key], rows_read[key[0]], where(key[0], key[1]))
        for key, found in wrong.items()
    ]
    return (*problems, *(issue for issue in issues if id(issue) not in gone))


def _values(found: list[RowIssue]) -> list[str]:
    """The distinct values of the failing cells ``found``, in order (:attr:`RowIssue.value`)."""
    return list(dict.fromkeys(issue.value for issue in found if issue.value is not None))


def _wrong(found: list[RowIssue], values: list[str], rows: int, blank: bool) -> bool:
    """Whether ``found``, the failing cells of one column of a file of ``rows`` rows, holding
    ``values``, make it the wrong column (module docstring); ``blank`` cells only at
    :data:`NEARLY_ALL`: a log whose senders are blank on 60% of its rows holds real senders on the
    rest, and ``max_reject_rate`` is the user's say over how many such rows may go."""
    if len(found) < FEWEST:
        return False
    if len(found) >= NEARLY_ALL * rows:
        return True
    return not blank and len(found) > MOST * rows and len(values) <= FEW_VALUES


def _problem(
    file: str, column: str, code: str, found: list[RowIssue], values: list[str], rows: int, role: Mapped
) -> RowIssue:
    """The one problem of the ``found`` row issues of ``column`` (``values``), which hold no value of
    its type, or are blank."""
    if code in BLANK:
        return _blank_problem(file, column, BLANK[code], len(found), rows, role)
    such = f" (such as {', '.join(f'{chr(34)}{v}{chr(34)}' for v in values[:3])})" if values else ""
    name = role.role or "its value"
    detail = f"{name} is not {TYPED[code]} on {len(found):,} of the {rows:,} rows{such}"
    if role.role is not None and len(found) == rows:
        detail += f", so the column holds no {role.role}"
    elif role.role is not None:
        detail += f", so it is most likely not the {role.role} column"
    return RowIssue(
        file, None, WRONG_COLUMN, detail, column=column, hint=_fixes(column, role, code, found, values)
    )


def _blank_problem(file: str, column: str, name: str, blank: int, rows: int, role: Mapped) -> RowIssue:
    """The one problem of ``column``, blank on ``blank`` of the file's ``rows`` rows where role ``name``
    needs a value: a column read by its default header (``Date``) is that role's too.

    >>> print(_blank_problem("mail.csv", "sent", "timestamp", 38, 40, Mapped("timestamp", True, "the map")))
    ... # doctest: +NORMALIZE_WHITESPACE
    mail.csv, column "sent": timestamp is blank on 38 of the 40 rows, so the column is mostly blank and
    most likely not the timestamp column (timestamp = "sent" is in the map: map timestamp to the column
    that holds it; a message without one is rejected, so removing it from the map would reject every one)
    [wrong-column]
    """
    role = role if role.role is not None else Mapped(name, False, role.at)
    detail = f"{name} is blank on {blank:,} of the {rows:,} rows, so the column "
    detail += "is empty" if blank == rows else f"is mostly blank and most likely not the {name} column"
    hint = column_fix(column, role) + (f"; {NEEDED[name]}" if name in NEEDED and role.mapped else "")
    return RowIssue(file, None, WRONG_COLUMN, detail, column=column, hint=hint)


def _fixes(column: str, role: Mapped, code: str, found: list[RowIssue], values: list[str]) -> str:
    """:func:`column_fix`, and for dates written with digits the rows' own fix too: a column of times
    in a pattern not read (``2026.03.01 10h00``) is the right column, and wants ``timestamp_format``."""
    fix = column_fix(column, role)
    own = next((issue.hint for issue in found if issue.hint), None)
    if code == "bad-date" and own and any(ch.isdigit() for value in values for ch in value):
        return f"{fix}; or, if it is the column meant: {own}"
    return fix


def column_fix(column: str, role: Mapped) -> str:
    """Map the role to the right column, at its line of ``leadnet.toml`` (or remove an optional one).

    >>> column_fix("question", Mapped("weight", True, "columns of [[sources]] #1 at leadnet.toml line 16"))
    'weight = "question" is in columns of [[sources]] #1 at leadnet.toml line 16: map weight to the column \
that holds it, or remove it from the map to weigh every tie 1'
    >>> column_fix("start", Mapped("start", False, "columns of [[sources]] #2 at leadnet.toml line 9"))
    'the column is read as start by its name: map start to the column that holds it in columns of \
[[sources]] #2 at leadnet.toml line 9, or rename this one'
    """
    if role.role is None:
        return "check that this is the column meant, and correct it"
    at = role.at or "leadnet.toml"
    fix = f"map {role.role} to the column that holds it"
    if not role.mapped:
        return f"the column is read as {role.role} by its name: {fix} in {at}, or rename this one"
    fix = f"{role.role} = {toml_literal(column)} is in {role.at or 'the map'}: {fix}"
    return fix + (f", or remove it from the map {WITHOUT[role.role]}" if role.role in WITHOUT else "")


def wrong_columns_placed(
    result: TieImport, source_of: Callable[[str], SourceSection], config: Config
) -> TieImport:
    """A job's import with the row issues of each wrong column as one problem (:func:`wrong_columns`),
    at the line of its mapping in the column map of its source in ``leadnet.toml``; ``source_of(file)``
    is the source of the job that read the file (an e-mail log's several files)."""
    rows: dict[str, int] = {}
    for record in getattr(result, "records", ()) or (result.record,):
        name = config.name_of(Path(record.path))  # as the issues name it
        rows[name] = rows.get(name, 0) + record.rows_read

    def where(file: str, header: str) -> Mapped:
        source = source_of(file)
        role = next((r for r, h in source.columns.items() if h == header), None)
        at = None
        if source.table is not None and config.file is not None:
            at = f"columns of {source.table} at {map_lines(config, source.table, 'columns')(role)}"
        return Mapped(role or (header if header in TYPED_ROLES else None), role is not None, at)

    issues = wrong_columns(result.issues, rows, where)
    return result if issues == result.issues else replace(result, issues=issues)


def stop_at_wrong_column(result: TieImport) -> None:
    """``analyse`` stops at a column of the wrong type, naming it first (the file's other problems after)."""
    if any(issue.code == WRONG_COLUMN for issue in result.issues):
        raise InputError.from_issues(result.issues)
