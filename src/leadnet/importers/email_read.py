"""Reading e-mail exports strictly: layout, CSV dialect and strict read, Parquet, times.

Shared by the general staging path (:mod:`leadnet.importers.email_exports`) and the
streaming one-row-per-message path (:mod:`leadnet.importers.email_scan`). The rows a
read rejects or a rule marks, their file lines and what they say, are
:mod:`leadnet.importers.email_rows`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leadnet.errors import RowIssue
from leadnet.importers.table_files import check_magic, decode, fail
from leadnet.importers.tables import SEP_LINE

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
    map_key: str = "columns"
    """Where ``leadnet.toml`` maps the columns in the file's source: ``recipients.columns`` for a
    recipients file, for the line a missing column's fix names."""

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


def first_line(path: Path) -> tuple[str, str | None, int]:
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
