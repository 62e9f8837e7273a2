"""Reading e-mail exports strictly: layout, CSV dialect and strict read, Parquet, times.

Shared by the general staging path (:mod:`leadnet.importers.email_exports`) and the
streaming one-row-per-message path (:mod:`leadnet.importers.email_scan`). The rows a
read rejects or a rule marks, their file lines and what they say, are
:mod:`leadnet.importers.email_rows`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from leadnet.errors import InputError, RowIssue
from leadnet.importers.table_files import check_duplicate_columns, check_magic, decode, fail
from leadnet.importers.tables import DELIMITERS, SEP_LINE
from leadnet.schema import EMAIL_ROLES, default_headers, header_key

MAX_LINE_BYTES = 2_000_000
"""The longest CSV row the export reader takes (DuckDB's ``max_line_size``); longer: ``row-too-long``."""
UTF8_ONLY_FIX = "save the export as UTF-8: email exports are read as UTF-8 (or UTF-8 with a BOM) only"
_LINE_END = re.compile(rb"[\r\n]")
WRONG_TYPE_FIXES = {
    "xlsx": 'e-mail exports are read from CSV, not XLSX: save the sheet as "CSV UTF-8"',
    "ole": "for Outlook .msg files, save the messages as .eml files in a folder and give the folder, "
    'or export the mailbox as mbox; save a legacy Excel .xls as "CSV UTF-8"',
}
"""The fix of each wrong file type (:func:`~leadnet.importers.table_files.check_magic`) for e-mail."""
_UNIT = r'"(?:[^"\\]|\\.)*"|\([^)]*\)'
ADDRESS_ENTRY = rf"(?:{_UNIT}|[^;,\s])(?:\s*(?:{_UNIT}|[^;,\s]))*"
"""One entry of an address list cell, without the spaces around it: text up to a ``;`` or
``,`` outside a quoted string (a display name ``"Doe, Bob" <bob@x.org>`` or local part
``<"a,b"@x.org>``) or a comment; an unclosed quote is plain text. A ``,`` or ``;``
anywhere else cannot be part of an address, so it ends the entry."""


@dataclass(frozen=True)
class ExportLayout:
    """How a CSV/TSV, Parquet or JSON email export maps onto senders, recipients and times."""

    columns: Mapping[str, Any] = field(default_factory=dict)
    header: bool = True
    delimiter: str | None = None
    timestamp_format: str = "auto"
    quote: str = '"'
    recipients_path: Path | None = None
    recipients: ExportLayout | None = None

    def column(self, role: str) -> str | None:
        """The file column holding ``role`` (``column3`` for position 3 without a header)."""
        value = self.columns.get(role)
        if value is None:
            return None
        return f"column{int(value)}" if not self.header else str(value)


@dataclass
class Staged:
    """What staging one source produced: per-file row counts, issues, normalisations, headers read."""

    files: list[tuple[Path, str, int]] = field(default_factory=list)  # path, kind, rows_read
    issues: list[RowIssue] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    headers_read: list[tuple[str, str, str]] = field(default_factory=list)  # file, header, role read as


def quote_name(name: str) -> str:
    """An SQL identifier for a column name."""
    return '"' + name.replace('"', '""') + '"'


def sql_text(text: str) -> str:
    """An SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _first_line(path: Path) -> tuple[str, str | None, int]:
    """The header line, the delimiter named by an Excel ``sep=`` line above it, and the lines above it.

    Decoded as the rest of the file is read (UTF-8); bad bytes name their line. A zip,
    XLSX, gzip or OLE file fails with its type. A line ends at ``\\n``, ``\\r\\n`` or a
    lone ``\\r``, so a file with classic Mac line ends (as Excel for Mac saves CSV) is read
    like any other. A first line ``sep=;`` (Excel writes it) names the delimiter and is
    skipped, as are blank lines above the header.
    """
    check_magic(path.name, path, fixes=WRONG_TYPE_FIXES)
    with path.open("rb") as handle:
        head = handle.read(2 * MAX_LINE_BYTES + 2)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # the database engine reads UTF-8 only
        raise fail(path.name, 1, "encoding", "file is UTF-16 text (it starts with a UTF-16 byte-order mark)",
                   UTF8_ONLY_FIX)  # fmt: skip
    sep, start, number = None, 0, 1
    while True:
        end = _LINE_END.search(head, start)
        stop = end.start() if end else len(head)
        if stop - start > MAX_LINE_BYTES:
            detail = f"the header line is over the reader's limit of {MAX_LINE_BYTES:,} bytes"
            raise fail(path.name, number, "row-too-long", detail, "check that the file is a CSV export")
        raw = head[start:stop]
        named = SEP_LINE.match(raw.decode("utf-8", errors="replace")) if number == 1 else None
        if end is None or not (named or raw.lstrip(b"\xef\xbb\xbf").strip() == b""):
            return decode(path.name, raw, None, fix=UTF8_ONLY_FIX), sep, number - 1
        sep = named.group(1) if named else sep
        start, number = stop + (2 if head[stop : stop + 2] == b"\r\n" else 1), number + 1


def line_ends_change(head: bytes) -> bool:
    """Whether the first line of ``head`` ends otherwise than most of its lines do.

    The database engine's CSV reader takes the line end of the first line for the whole
    file: where later lines end otherwise it reads nothing (a blank ``\\r\\n`` line above
    ``\\n`` rows) or stops (a lone change, which :func:`with_uniform_line_ends` then mends).
    A line feed inside a quoted cell of a ``\\r\\n`` file (as Excel writes it) is no change.

    >>> line_ends_change(b"a\\r\\nb\\nc\\n"), line_ends_change(b'a\\r\\nb\\r\\n"x\\ny"\\r\\n')
    (True, False)
    >>> line_ends_change(b"a\\r\\nb\\r\\nc\\r")  # a \\r\\n cut at the end of the head
    False
    """
    head = head[:-1] if head.endswith(b"\r") else head
    end = _LINE_END.search(head)
    if end is None:
        return False
    pairs = head.count(b"\r\n")
    kinds = {b"\r\n": pairs, b"\n": head.count(b"\n") - pairs, b"\r": head.count(b"\r") - pairs}
    first = b"\r\n" if head[end.start() : end.start() + 2] == b"\r\n" else end.group()
    return kinds[first] < max(kinds.values())


@contextmanager
def wide_csv_fields() -> Iterator[None]:
    """Python's csv reader without its 128 KiB cell limit (the strict read checks row sizes)."""
    limit = csv.field_size_limit()
    csv.field_size_limit(2**31 - 1)
    try:
        yield
    finally:
        csv.field_size_limit(limit)


def with_uniform_line_ends(path: Path, folder: Path, chunk_bytes: int = 1 << 24) -> Path:
    """A copy of ``path`` in ``folder`` (same name) whose every line ends in ``\\n``.

    The database engine's CSV reader takes the line end it finds first and stops, or
    reads nothing, where a file changes it (a line edited on another system, files
    joined). Each ``\\r\\n`` and lone ``\\r`` becomes ``\\n``, so the copy has the same
    lines, numbered as in the file (a carriage return inside a quoted cell becomes a line
    feed there, which changes no address or time). ``chunk_bytes`` at a time.
    """
    copy = folder / "line-ends" / path.name
    copy.parent.mkdir(parents=True, exist_ok=True)
    with path.open("rb") as source, copy.open("wb") as target:
        held = b""
        while chunk := source.read(chunk_bytes):
            chunk = held + chunk
            held = b"\r" if chunk.endswith(b"\r") else b""  # its \n may start the next read
            chunk = chunk[:-1] if held else chunk
            target.write(chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n"))
        target.write(b"\n" if held else b"")
    return copy


def address_entries_sql(text: str) -> str:
    """SQL for the list of address entries in a list cell (text), trimmed, none empty.

    Entries are cut at ``;`` or ``,`` (:data:`ADDRESS_ENTRY`), never inside a quoted
    display name, so ``"Doe, Bob" <bob@x.org>; cat@x.org`` is two entries. One regular
    expression, no per-entry function: this runs on every list cell of a large log.
    """
    return f"regexp_extract_all({text}, {sql_text(ADDRESS_ENTRY)})"


def is_parquet(path: Path) -> bool:
    """Whether ``path`` is a Parquet file (by its ``PAR1`` magic bytes)."""
    if not path.is_file():
        return False
    with path.open("rb") as handle:
        return handle.read(4) == b"PAR1"


def column_types(con: Any, source: str, params: dict[str, Any]) -> dict[str, str]:
    """Column name → DuckDB type of a table expression (``read_parquet($p)``, a ``read_csv``)."""
    rows = con.execute(f"DESCRIBE SELECT * FROM {source}", params).fetchall()
    return {str(name): str(typ) for name, typ, *_ in rows}


def missing_columns(path: Path, layout: ExportLayout, roles: list[str], names: Collection[str]) -> None:
    """Fail naming the file when a column mapped to one of ``roles`` is not among ``names``."""
    wanted = {str(layout.column(r) or r) for r in roles}
    lacking = sorted(wanted - set(names))
    if lacking:
        raise InputError.from_issues(
            [
                RowIssue(
                    path.name,
                    None,
                    "missing-column",
                    f"file lacks {', '.join(lacking)} (it has {', '.join(names)})",
                    hint="map them with columns = { sender = ..., ... } in leadnet.toml",
                )
            ]
        )


def parquet_text_source(
    con: Any, path: Path, layout: ExportLayout, roles: list[str]
) -> tuple[str, dict[str, Any]]:
    """Every column of a Parquet file as text, for the general staging path."""
    params = {"p": str(path)}
    names = list(column_types(con, "read_parquet($p)", params))
    missing_columns(path, layout, roles, names)
    casts = ", ".join(f"CAST({quote_name(n)} AS VARCHAR) AS {quote_name(n)}" for n in names)
    return f"(SELECT {casts} FROM read_parquet($p))", params


NAME_COLUMNS_FIX = (
    "name the columns sender, recipients, cc, timestamp, message_id (a row per message) or sender, "
    "recipient, timestamp (a row per recipient), or map them with columns = { sender = ..., ... } "
    "in the source's [[sources]] entry of leadnet.toml"
)


def with_default_columns(path: Path, layout: ExportLayout, *, parquet: bool) -> ExportLayout:
    """``layout``, or, when it maps no columns, the columns whose headers are the roles' names.

    A header ``recipients`` makes a row-per-message layout (``cc`` beside it); ``recipient``
    a row-per-recipient one (``kind`` beside it). Case and surrounding spaces are ignored,
    as for every table (:func:`~leadnet.schema.default_headers`; two headers naming one
    role fail).
    """
    if layout.columns or not layout.header or layout.recipients is not None:
        return layout
    line: int | None = None  # of the header, when the file has lines
    if parquet:
        import pyarrow.parquet as pq

        try:
            names = list(pq.read_schema(path).names)
        except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
            detail = str(exc).splitlines()[0]
            hint = "export the file again; it is not a complete Parquet file"
            raise fail(path.name, None, "bad-parquet", detail, hint) from None
    else:
        first, sep, above = _first_line(path)
        delimiters = [sep] if sep else DELIMITERS
        split = [[n.strip() for n in next(csv.reader([first], delimiter=d), [])] for d in delimiters]
        names = max(split, key=lambda cells: sum(header_key(c) in EMAIL_ROLES for c in cells))
        line = above + 1
    found = default_headers(path.name, line, names, {role: role for role in EMAIL_ROLES})
    skip = {"recipient", "kind"} if "recipients" in found else {"cc"}
    columns = {role: header for role, header in found.items() if role not in skip}
    return replace(layout, columns=columns)


def check_roles(path: Path, layout: ExportLayout) -> None:
    """Fail unless ``layout`` maps a sender and recipients: without them every row would be
    read and none could become a tie."""
    has_recipients = layout.recipients is not None or any(
        r in layout.columns for r in ("recipients", "recipient")
    )
    missing = ([] if "sender" in layout.columns else ["sender"]) + ([] if has_recipients else ["recipients"])
    if missing:
        detail = f"no column is mapped to {' or '.join(missing)}"
        raise InputError.from_issues(
            [RowIssue(path.name, 1, "missing-column", detail, hint=NAME_COLUMNS_FIX)]
        )


def _dialect(path: Path, layout: ExportLayout, roles: list[str]) -> tuple[str, list[str], int]:
    """The delimiter, the column names and the lines above the first row read (``sep=``, header)."""
    first, sep, above = _first_line(path)
    if not layout.header:
        delim = layout.delimiter or sep or max(DELIMITERS, key=first.count)
        width = len(next(csv.reader([first], delimiter=delim)))
        return delim, [f"column{i + 1}" for i in range(width)], above
    wanted = {str(layout.columns.get(r, r)) for r in roles}
    named = layout.delimiter or sep
    for delim in [named] if named else DELIMITERS:
        names = [n.strip() for n in next(csv.reader([first], delimiter=delim), [])]
        if wanted <= set(names):
            unique = [n or f"column {i}" for i, n in enumerate(names, start=1)]
            check_duplicate_columns(path.name, above + 1, unique, fold=True)
            return delim, _without_unused_blanks(path, names, unique, above + 1, delim), above + 1
    raise InputError.from_issues(
        [
            RowIssue(
                path.name,
                1,
                "missing-column",
                f"header lacks {', '.join(sorted(wanted))}",
                hint=NAME_COLUMNS_FIX,
            )
        ]
    )


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


_UNIX_DIGITS = "'[0-9]{9,11}(\\.[0-9]+)?'"
OUT_OF_YEARS = "out-of-years"
"""The code a row gets in SQL when its time, in UTC, falls outside years 1 to 9999 (or is
infinite): reported as ``bad-date`` (:func:`~leadnet.importers.email_rows.row_issue`)."""
_FIRST, _END = "TIMESTAMPTZ '0001-01-01 00:00:00+00'", "TIMESTAMPTZ '10000-01-01 00:00:00+00'"
_EPOCH_SECONDS = (-62_135_596_800, 253_402_300_800)  # 0001-01-01 and 10000-01-01 in Unix seconds


def in_years_sql(ts: str) -> str:
    """SQL that is true when the timestamp ``ts`` is in years 1 to 9999 in UTC (NULL stays NULL).

    DuckDB reads ``12024-01-02``, ``-0044-03-15`` (a year BC) and ``infinity`` as times;
    Python's ``datetime`` (the mbox reader) and Spark hold years 1 to 9999 only, so
    every reader takes these bounds: a time outside them is a ``bad-date``, not a message
    outside the period.
    """
    return f"({ts} >= {_FIRST} AND {ts} < {_END})"


def epoch_sql(seconds: str) -> str:
    """SQL for the UTC time of a number of Unix seconds (a DOUBLE expression), NULL if not finite.

    DuckDB's ``to_timestamp`` raises (ending the whole import) for seconds beyond its
    range; a finite number outside years 1 to 9999 becomes ``infinity`` instead, which
    :func:`in_years_sql` then rejects with its row.
    """
    low, high = _EPOCH_SECONDS
    return (
        f"CASE WHEN {seconds} >= {low} AND {seconds} < {high} THEN to_timestamp({seconds}) "
        f"WHEN isfinite({seconds}) THEN TIMESTAMPTZ 'infinity' END"
    )


def timestamp_sql(expr: str, fmt: str, trimmed: bool = False) -> tuple[str, str]:
    """SQL for (UTC timestamp or NULL, is-naive) of a text column (``trimmed``: already trimmed).

    ``auto`` reads ISO 8601 first and tries Unix seconds (9 to 11 digits, always in
    years 1 to 9999) only where that fails, so the common case costs one cast. The
    timestamp may fall outside years 1 to 9999: check it with :func:`in_years_sql`.
    """
    text = expr if trimmed else f"trim({expr})"
    unix = f"to_timestamp(TRY_CAST({text} AS DOUBLE))"
    if fmt == "unix":
        ts = epoch_sql(f"TRY_CAST({text} AS DOUBLE)")
    elif fmt != "auto":
        ts = f"CAST(try_strptime({text}, {sql_text(fmt)}) AS TIMESTAMPTZ)"
    else:
        digits = f"regexp_full_match({text}, {_UNIX_DIGITS})"
        ts = f"coalesce(TRY_CAST({text} AS TIMESTAMPTZ), CASE WHEN {digits} THEN {unix} END)"
    return ts, naive_sql(expr, fmt, trimmed)


def naive_sql(expr: str, fmt: str, trimmed: bool = False) -> str:
    """SQL that is true when a text time names no UTC offset (taken as UTC and counted)."""
    if fmt == "unix":
        return "FALSE"
    if fmt != "auto":
        return "FALSE" if "%z" in fmt else "TRUE"
    text = expr if trimmed else f"trim({expr})"
    digits = f"regexp_full_match({text}, {_UNIX_DIGITS})"
    zone = f"regexp_matches({text}, '([zZ]|[+-][0-9][0-9](:?[0-9][0-9])?)$')"
    return f"(CASE WHEN suffix({text}, 'Z') THEN FALSE ELSE NOT {digits} AND NOT {zone} END)"
