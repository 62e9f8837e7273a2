"""An e-mail export's columns: found by its map or by the roles' names, checked, and read strictly.

A CSV/TSV or Parquet export is read by its column map (``columns = { sender = "From", ... }``;
with ``header = false``, by position: ``sender = 5``), or, with no map, by the headers named
after the roles in any letter case (:func:`with_default_columns`). Every column the map names
must be in the file, as written, like a table's (:mod:`leadnet.importers.columns`); a file
that lacks one is a ``missing-column`` error that knows the role reading it
(:class:`~leadnet.importers.column_fixes.MissingRole`), so the project that read the map gives the
line to write in ``leadnet.toml`` (``change  recipients = "to"  to  recipients = "To"  in
columns of [[sources]] #1 at leadnet.toml line 8``: :func:`~leadnet.importers.column_fixes.missing_placed`),
as for the roster and the other sources. So does a log with no column for its sender or
recipients (:func:`check_roles`: ``add  columns = { sender = "From", recipients = "To" }``), and a
position past the last column of a file without a header (:class:`MissingPosition`). A
recipients file's map is ``recipients.columns`` (:attr:`ExportLayout.map_key`).
"""

from __future__ import annotations

import csv
import difflib
import warnings
from collections.abc import Callable, Collection, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from leadnet.errors import InputError, RowIssue
from leadnet.importers.column_fixes import MissingRole, UnreadColumns
from leadnet.importers.email_read import (
    MAX_LINE_BYTES,
    ExportLayout,
    first_line,
    quote_name,
    wide_csv_fields,
)
from leadnet.importers.header_cells import shown_cells
from leadnet.importers.role_names import EXPORT_NAMES, recognised
from leadnet.importers.table_files import (
    NO_HEADER_SHOWN,
    NOT_A_TABLE,
    NOT_A_TABLE_FIX,
    MissingColumn,
    check_duplicate_columns,
    fail,
    listed,
    missing_columns,
    not_a_table,
    not_shown,
)
from leadnet.importers.tables import DELIMITERS
from leadnet.schema import EMAIL_ROLES, default_headers, header_key

NAME_COLUMNS_FIX = (
    "name the columns sender, recipients, cc, timestamp, message_id (a row per message) or sender, "
    "recipient, timestamp (a row per recipient), or map them with columns = { sender = ..., ... } "
    "in the source's [[sources]] entry of leadnet.toml"
)
NO_HEADER_FIX = (
    "add a first line naming the columns sender, recipients, cc, timestamp, message_id (a row per message) "
    "or sender, recipient, timestamp (a row per recipient); if it is the header, map them with columns = "
    "{ sender = ..., ... } in the source's [[sources]] entry of leadnet.toml"
)
"""The fix of an export whose first line reads as a row (addresses, times), not a header."""
UNREAD_ROLES = ("cc", "timestamp", "message_id")
"""Roles a map that names only the sender and recipients would leave unread: every Cc recipient
lost without a count, every message rejected without a time; the map to write names them too, and
a file read with such a column unread is warned of (:func:`warn_unread`, :data:`UNREAD_EFFECTS`)."""
UNREAD_EFFECTS = {
    "cc": "every Cc recipient is dropped uncounted",
    "timestamp": "every message is rejected missing-date",
    "message_id": "a message listed twice counts twice",
}
"""What follows when the column of each of :data:`UNREAD_ROLES` is not read."""


def column_types(con: Any, source: str, params: dict[str, Any]) -> dict[str, str]:
    """Column name → DuckDB type of a table expression (``read_parquet($p)``, a ``read_csv``)."""
    rows = con.execute(f"DESCRIBE SELECT * FROM {source}", params).fetchall()
    return {str(name): str(typ) for name, typ, *_ in rows}


def export_header(path: Path, *, parquet: bool) -> tuple[list[str], int | None]:
    """The header of an export file: its column names and line (``None`` for Parquet, the names of
    its schema); of a CSV, its first line cut at the delimiter that finds the most roles' names
    (``sep=`` when given). Not :func:`~leadnet.importers.table_files.header_names`, which names a
    table's header cells already read."""
    if parquet:
        import pyarrow.parquet as pq

        try:
            return list(pq.read_schema(path).names), None
        except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
            detail = str(exc).splitlines()[0]
            hint = "export the file again; it is not a complete Parquet file"
            raise fail(path.name, None, "bad-parquet", detail, hint) from None
    first, sep, above = first_line(path)
    delimiters = [sep] if sep else DELIMITERS
    split = [[n.strip() for n in next(csv.reader([first], delimiter=d), [])] for d in delimiters]
    return max(split, key=lambda cells: sum(header_key(c) in EMAIL_ROLES for c in cells)), above + 1


def with_default_columns(path: Path, layout: ExportLayout, *, parquet: bool) -> ExportLayout:
    """``layout``, or, when it maps no columns, the columns whose headers are the roles' names.

    A header ``recipients`` makes a row-per-message layout (``cc`` beside it); ``recipient``
    a row-per-recipient one (``kind`` beside it). Case and surrounding spaces are ignored,
    as for every table (:func:`~leadnet.schema.default_headers`; two headers naming one
    role fail).
    """
    if layout.columns or not layout.header or layout.recipients is not None:
        return layout
    names, line = export_header(path, parquet=parquet)
    found = default_headers(path.name, line, names, {role: role for role in EMAIL_ROLES})
    skip = {"recipient", "kind"} if "recipients" in found else {"cc"}
    columns = {role: header for role, header in found.items() if role not in skip}
    return replace(layout, columns=columns)


def check_roles(path: Path, layout: ExportLayout, *, parquet: bool, mapped: bool) -> None:
    """Fail unless ``layout`` maps a sender and recipients: without them every row would be read
    and none could become a tie.

    The error knows the header each would read (``From`` for sender, ``To`` for recipients, or
    one close to the role's name), for the line to write, and the ``Cc``, ``Date`` (or ``sent_at``)
    and ``Message-ID`` headers when nothing reads them (:data:`UNREAD_ROLES`: without a time every
    message is rejected, and an unread Cc column drops its recipients without a count). A log with
    no column map in ``leadnet.toml`` (``mapped`` false) reads its roles'
    headers by their names, and a map would stop that, so the map to add names those too.
    """
    has_recipients = layout.recipients is not None or any(
        r in layout.columns for r in ("recipients", "recipient")
    )
    missing = ([] if "sender" in layout.columns else ["sender"]) + ([] if has_recipients else ["recipients"])
    if not missing:
        return
    names, line = export_header(path, parquet=parquet) if layout.header else ([], 1)
    detail = f"no column is mapped to {' or '.join(missing)}"
    cells = [name for name in names if name]
    shown = shown_cells(cells, _own_names())  # the cells that read as its header, the guesses among them
    if not_a_table(cells) or (cells and not shown):  # another kind of file, or a row: not quoted
        why, hint = (NOT_A_TABLE, NOT_A_TABLE_FIX) if not_a_table(cells) else (NO_HEADER_SHOWN, NO_HEADER_FIX)
        raise MissingColumn(
            RowIssue(path.name, line, "missing-column", f"{detail}; {why}", hint=hint), missing, {}
        )
    taken = {str(header) for header in layout.columns.values()}
    free = {header_key(n): n for n in shown if n not in taken}
    guessed = {role: header for role in missing if (header := _close(role, free))}
    unread = {role: EXPORT_NAMES[role] for role in UNREAD_ROLES if role not in {**layout.columns, **guessed}}
    guessed |= recognised(free.values(), set(guessed.values()), unread)
    found = {} if mapped else {role: str(header) for role, header in layout.columns.items()}
    close = {role: header for role in EMAIL_ROLES for header in [{**found, **guessed}.get(role)] if header}
    if shown:
        detail += f"; columns found: {listed(shown)}{not_shown(len(cells) - len(shown))}"
    issue = RowIssue(path.name, line, "missing-column", detail, hint=NAME_COLUMNS_FIX)
    roles = {role: (role, False) for role in [*missing, *close]}
    raise MissingRole(MissingColumn(issue, missing, close), roles, layout.map_key)


def _own_names() -> dict[str, tuple[str, ...]]:
    """Each role of an export → the names e-mail programs give its column: the header names a message
    about its first line may quote (:func:`~leadnet.importers.header_cells.shown_cells`)."""
    return {role: EXPORT_NAMES.get(role, ()) for role in EMAIL_ROLES}


def _close(role: str, headers: Mapping[str, str]) -> str | None:
    """The header (of ``headers``: key → header) an export gives ``role``: one of :data:`EXPORT_NAMES`,
    else one close to its name."""
    named = recognised(headers.values(), (), {role: EXPORT_NAMES.get(role, ())})
    if named:
        return named[role]
    close = difflib.get_close_matches(role, list(headers), n=1, cutoff=0.6)
    return headers[close[0]] if close else None


def warn_unread(path: Path, layout: ExportLayout, *, parquet: bool) -> None:
    """Warn when the export has a column named as one of :data:`UNREAD_ROLES` (``Cc``, ``Date``,
    ``Message-ID``: :data:`~leadnet.importers.role_names.EXPORT_NAMES`) that no role reads, as when a map
    leaves it out: its Cc recipients would be dropped uncounted, every message rejected ``missing-date``,
    a message listed twice counted twice, without a word of why (:class:`UnreadColumns`, its map the one
    read with the column added). Cc only of a file of a row per message: another's recipients say their kind.
    """
    per_message = "recipients" in layout.columns and layout.recipients is None
    roles = [r for r in UNREAD_ROLES if r not in layout.columns and (r != "cc" or per_message)]
    if not layout.header or not roles:
        return
    names, line = export_header(path, parquet=parquet)
    columns = {role: str(header) for role, header in layout.columns.items()}
    found = recognised(names, set(columns.values()), {role: EXPORT_NAMES[role] for role in roles})
    if not found:
        return
    effect = "not read, so " + " and ".join(UNREAD_EFFECTS[role] for role in found)
    unread = [(header, role, None) for role, header in found.items()]
    warnings.warn(UnreadColumns(path.name, line, unread, effect, columns), stacklevel=3)


def missing_header(
    path: Path, line: int | None, names: Collection[str], layout: ExportLayout, roles: Collection[str]
) -> MissingRole | None:
    """The error of a file whose header ``names`` lacks the header of one of ``roles`` or of a column
    the map names (read as written, as a table's), or ``None`` when it has them all."""
    wanted = {role: str(layout.column(role) or role) for role in [*layout.columns, *roles]}
    if set(wanted.values()) <= set(names):
        return None
    known = {header: (role, *EXPORT_NAMES.get(role, ())) for role, header in wanted.items()}
    error = missing_columns(
        path.name,
        [(line, list(names))],
        (list(dict.fromkeys(wanted.values())), ()),
        None,
        _own_names() | known,
    )
    assert isinstance(error, MissingColumn)  # the header line was found: not an empty file
    readers = {header: (role, role in layout.columns) for role, header in wanted.items()}
    return MissingRole(error, readers, layout.map_key)


def check_mapped_columns(path: Path, layout: ExportLayout, roles: list[str], names: Collection[str]) -> None:
    """Fail when the columns ``names`` of an export lack one of ``roles`` or of its map
    (:func:`missing_header`).

    ``names`` are the columns as the database engine reads them, of a Parquet file or a CSV one
    (its header, already checked as the dialect was found, is checked again at no cost).
    """
    error = missing_header(path, None, names, layout, roles)
    if error is not None:
        raise error


def parquet_text_source(
    con: Any, path: Path, layout: ExportLayout, roles: list[str]
) -> tuple[str, dict[str, Any]]:
    """Every column of a Parquet file as text, for the general staging path."""
    params = {"p": str(path)}
    names = list(column_types(con, "read_parquet($p)", params))
    check_mapped_columns(path, layout, roles, names)
    casts = ", ".join(f"CAST({quote_name(n)} AS VARCHAR) AS {quote_name(n)}" for n in names)
    return f"(SELECT {casts} FROM read_parquet($p))", params


class MissingPosition(MissingRole):
    """A column map of a file without a header (``sender = 5``) naming a position past its last column:
    the line to write is the role's own mapping, changed to a position the file has."""

    def __init__(self, issue: RowIssue, positions: Mapping[str, int], width: int, map_key: str) -> None:
        names = [f"column{n}" for n in positions.values()]
        roles = {f"column{n}": (role, True) for role, n in positions.items()}
        super().__init__(MissingColumn(issue, names, {}), roles, map_key)
        self.positions, self.width = dict(positions), width

    def located(self, section: str, at: Callable[[str | None], str], has_map: bool) -> InputError:
        """The same error, its fix the mappings to change, each at its line (``at(role)``).

        >>> issue = RowIssue("log.csv", 1, "missing-column", "column 5 (timestamp) not found")
        >>> error = MissingPosition(issue, {"timestamp": 5}, 3, "columns")
        >>> error.located("[[sources]] #1", lambda role: "leadnet.toml line 9", True).issues[0].hint
        'change  timestamp = 5  in columns of [[sources]] #1 at leadnet.toml line 9 to the position of its \
column, 1 to 3'
        """
        changes = "; ".join(
            f"change  {role} = {n}  in {self.map_key} of {section} at {at(role)}"
            for role, n in self.positions.items()
        )
        its = "its" if len(self.positions) == 1 else "their"
        hint = f"{changes} to the position of {its} column, 1 to {self.width}"
        return InputError.from_issues([replace(self.issue, hint=hint)])


def _missing_positions(path: Path, line: int, layout: ExportLayout, width: int) -> None:
    """Fail when the map of a file without a header names a position that is no column of its ``width``
    (past the last, or below the first, 1)."""
    beyond = {role: int(n) for role, n in layout.columns.items() if not 1 <= int(n) <= width}
    if not beyond:
        return
    listed = ", ".join(f"{n} ({role})" for role, n in beyond.items())
    detail = f"column{'s' if len(beyond) > 1 else ''} {listed} not found: the first row has {width} cell(s)"
    hint = (
        f"map each role to the position of its column, 1 to {width}, in columns = {{ ... }} of leadnet.toml"
    )
    issue = RowIssue(path.name, line, "missing-column", detail, hint=hint)
    raise MissingPosition(issue, beyond, width, layout.map_key)


def _dialect(path: Path, layout: ExportLayout, roles: list[str]) -> tuple[str, list[str], int]:
    """The delimiter, the column names and the lines above the first row read (``sep=``, header)."""
    first, sep, above = first_line(path)
    if not layout.header:
        delim = layout.delimiter or sep or max(DELIMITERS, key=first.count)
        width = len(next(csv.reader([first], delimiter=delim)))
        _missing_positions(path, above + 1, layout, width)
        return delim, [f"column{i + 1}" for i in range(width)], above
    named = layout.delimiter or sep
    tried = []
    for delim in [named] if named else DELIMITERS:
        names = [n.strip() for n in next(csv.reader([first], delimiter=delim), [])]
        error = missing_header(path, above + 1, names, layout, roles)
        if error is None:
            unique = [n or f"column {i}" for i, n in enumerate(names, start=1)]
            check_duplicate_columns(path.name, above + 1, unique, fold=True)
            return delim, _without_unused_blanks(path, names, unique, above + 1, delim), above + 1
        tried.append((len(error.missing), error))
    raise min(tried, key=lambda found: found[0])[1]  # the delimiter that finds the most


def _without_unused_blanks(
    path: Path, names: list[str], unique: list[str], skip: int, delim: str
) -> list[str]:
    """``unique``, less the blank trailing header names the first row has no cells for.

    A header saved with trailing delimiters (``...,message_id,,``) names blank columns;
    when the rows stop before them, those columns are not read (every row would be short).
    Blank names are read as ``column N``.
    """
    named = len(names)
    while named and not names[named - 1]:
        named -= 1
    if named == len(names):
        return unique
    with wide_csv_fields(), path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        rows = csv.reader(handle, delimiter=delim)
        first = next((row for n, row in enumerate(rows) if n >= skip and row), None)
    width = len(first) if first is not None else len(names)
    return unique[:width] if named <= width < len(names) else unique


def csv_source(path: Path, layout: ExportLayout, roles: list[str]) -> tuple[str, dict[str, Any], int]:
    """A strict ``read_csv`` of ``path`` (every column text, bad rows to DuckDB's rejects table).

    Returns the SQL table expression, its parameters and the number of header lines.
    """
    delim, names, skip = _dialect(path, layout, roles)
    source = (
        f"read_csv($p, delim=$d, skip={skip}, header=false, auto_detect=false, columns=$c, strict_mode=true, "
        f"store_rejects=true, quote=$q, escape=$q, encoding='utf-8', max_line_size={MAX_LINE_BYTES})"
    )
    return source, {"p": str(path), "d": delim, "c": {n: "VARCHAR" for n in names}, "q": layout.quote}, skip
