"""The rows of an e-mail export that are reported: each on its file line, naming its column and the fix.

A row is reported when DuckDB's strict read rejects it (a short row, a stray quote, bytes
that are not UTF-8, ...) or when a rule marks it (no sender, a time that cannot be
parsed, ...). DuckDB counts a CSV file's *records*, not its lines: a quoted cell holding
a line break makes one record of several lines, and a blank line is a record of its own
that the read skips. Its rejects carry their record number, and the accepted rows are
numbered 1, 2, … in file order (``seq``).

In most exports every line is one record, and a row's line is its ``seq`` plus the
lines above the first row plus the rejected records before it (:class:`Numbering`).
Whether that holds is one count of the file's line ends (about 1 s a gigabyte), made
only when a row is reported. Where it does not, one pass of Python's csv reader, with
the read's delimiter and quote, finds the line each record starts on
(:func:`record_starts`): about 10 s a gigabyte, paid only by a file that has both a
reported row and blank lines or multi-line cells. If that pass does not see the
records DuckDB saw, the record numbers are kept.
"""

from __future__ import annotations

import csv
import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from leadnet.errors import RowIssue
from leadnet.importers.email_columns import csv_source, parquet_text_source
from leadnet.importers.email_read import (
    MAX_LINE_BYTES,
    OUT_OF_YEARS,
    UTF8_ONLY_FIX,
    ExportLayout,
    Staged,
    is_parquet,
    quote_name,
    wide_csv_fields,
)
from leadnet.importers.table_files import fail
from leadnet.importers.tables import UNTERMINATED_QUOTE, bad_quote, width_issue
from leadnet.schema import EMAIL_ROLES

ROW_PROBLEMS: dict[str, tuple[str, str, str]] = {
    "missing-from": ("sender", "no sender", "fill in the sender's address, or remove the row"),
    "missing-date": ("timestamp", "no timestamp", "fill in when the message was sent, or remove the row"),
    "bad-date": ("timestamp", "timestamp cannot be parsed", ""),
    "missing-recipient": ("recipient", "no recipient", "fill in the recipient's address, or remove the row"),
    "unknown-message": (
        "message_id",
        "message id not in the messages file",
        "export the messages and the recipients file together, from the same mailbox",
    ),
}
"""For each code a rule gives a row: the role of the column at fault, what is wrong, the fix."""
NO_TIME_COLUMN_FIX = (
    "map timestamp to the column of when each message was sent, in the source's columns of leadnet.toml"
)
"""The fix of a message rejected ``missing-date`` because the export's map reads no column as its time."""
FAR_DATE_FIX = "correct the date, or remove the row"
"""The fix of a time outside years 1 to 9999 (:data:`~leadnet.importers.email_read.OUT_OF_YEARS`)."""
_REJECT_CODES = {
    "MISSING COLUMNS": "short-row",
    "TOO MANY COLUMNS": "extra-cell",
    "UNQUOTED VALUE": "bad-quote",
    "INVALID ENCODING": "encoding",
    "LINE SIZE OVER MAXIMUM": "row-too-long",
}
_ACTUAL_SIZE = re.compile(r"Actual Size:\s*(\d+)")
_COLUMN_COUNTS = re.compile(r"Expected Number of Columns:\s*(\d+)\s*Found:\s*(\d+)")
_SHOWN = 40
"""The most characters of a cell a message quotes."""


def _time_fix(fmt: str) -> str:
    if fmt == "auto":
        return (
            "write it in ISO 8601, e.g. 2026-04-06T09:30:00Z, or as Unix seconds; or give the file's "
            'pattern, e.g. timestamp_format = "%d/%m/%Y %H:%M", in its [[sources]] entry'
        )
    if fmt == "unix":
        return "write it as Unix seconds, e.g. 1775467800"
    return f'it does not match timestamp_format = "{fmt}": correct the cell, or the pattern in leadnet.toml'


def _cut(value: str) -> str:
    """``value`` as a message quotes it: at most :data:`_SHOWN` characters."""
    return value if len(value) <= _SHOWN else value[: _SHOWN - 1] + "…"


def row_issue(file: str, line: int, code: str, layout: ExportLayout, value: str | None = None) -> RowIssue:
    """The issue of a row a rule marked with ``code``, naming its column and the fix.

    >>> layout = ExportLayout({"sender": "From", "timestamp": "Sent"})
    >>> print(row_issue("mail.csv", 7, "missing-from", layout))
    mail.csv line 7, column "From": no sender (fill in the sender's address, or remove the row) [missing-from]
    >>> unix = ExportLayout({"timestamp": "Sent"}, timestamp_format="unix")
    >>> print(row_issue("mail.csv", 9, "bad-date", unix, "zz26-04-06"))  # doctest: +NORMALIZE_WHITESPACE
    mail.csv line 9, column "Sent": timestamp "zz26-04-06" cannot be parsed
    (write it as Unix seconds, e.g. 1775467800) [bad-date]
    >>> far = row_issue("mail.csv", 4, OUT_OF_YEARS, layout, "12024-01-02T10:00Z")
    >>> print(far)  # doctest: +NORMALIZE_WHITESPACE
    mail.csv line 4, column "Sent": timestamp "12024-01-02T10:00Z" is not in years 1 to 9999 (UTC)
    (correct the date, or remove the row) [bad-date]
    """
    shown = _cut(value or "")
    if code == OUT_OF_YEARS:
        detail = f'timestamp "{shown}" is not in years 1 to 9999 (UTC)'
        column = layout.column("timestamp")
        return RowIssue(file, line, "bad-date", detail, column=column, hint=FAR_DATE_FIX, value=shown)
    role, detail, fix = ROW_PROBLEMS[code]
    quoted = shown if code == "bad-date" and shown else None  # the cell, when the row gives it
    if code == "bad-date":
        detail = f'timestamp "{quoted}" cannot be parsed' if quoted else detail
        fix = _time_fix(layout.timestamp_format)
    if code == "missing-date" and layout.column("timestamp") is None:
        detail, fix = "no timestamp: no column is read as timestamp", NO_TIME_COLUMN_FIX
    return RowIssue(file, line, code, detail, column=layout.column(role), hint=fix, value=quoted)


@dataclass(frozen=True)
class Reject:
    """One record DuckDB's strict read rejected: its record number, error type, message and column."""

    record: int
    kind: str
    message: str
    column: str | None
    text: str = ""
    """The record as the reader saw it (DuckDB's ``csv_line``)."""


def strict_rejects(con: Any) -> list[Reject]:
    """The records the last strict read rejected, one per record, in file order (tables dropped).

    DuckDB may report one short row once per missing column: the first is kept, and a
    whole-row error (no column) before any of them.
    """
    columns = ("error_type", "error_message", "column_name", "csv_line")
    first = ", ".join(f"arg_min({c}, coalesce(column_idx, 0))" for c in columns)
    rows = con.sql(f"SELECT line, {first} FROM reject_errors GROUP BY line ORDER BY line").fetchall()
    con.execute("DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans")
    return [
        Reject(int(line), str(kind), str(message or ""), column, str(text or ""))
        for line, kind, message, column, text in rows
    ]


def reject_issue(file: str, line: int, reject: Reject) -> RowIssue:
    """The :class:`RowIssue` of a record the strict read rejected, on file line ``line``.

    >>> short = Reject(4, "MISSING COLUMNS", "Expected Number of Columns: 5 Found: 2", "cc")
    >>> print(reject_issue("mail.csv", 4, short))  # doctest: +NORMALIZE_WHITESPACE
    mail.csv line 4: 2 cells but the file has 5 columns (no "cc") (add the missing cells or delimiters)
    [short-row]
    """
    code = _REJECT_CODES.get(reject.kind, "bad-row")
    counts = _COLUMN_COUNTS.search(reject.message)
    if code in ("short-row", "extra-cell") and counts:
        width, found = int(counts.group(1)), int(counts.group(2))
        return width_issue(file, line, found, width, reject.column, has="the file")
    if code == "bad-quote":
        return bad_quote(file, line, reject.column)
    if code == "encoding":
        detail, hint = "bytes that are not UTF-8", UTF8_ONLY_FIX
        return RowIssue(file, line, code, detail, column=reject.column, hint=hint)
    if code != "row-too-long":
        detail = reject.message or f"the CSV reader rejected the row ({reject.kind})"
        return RowIssue(file, line, code, detail, column=reject.column)
    size = _ACTUAL_SIZE.search(reject.message)
    length = f"{int(size.group(1)):,} bytes long" if size else "too long"
    return RowIssue(
        file,
        line,
        code,
        f"the row is {length}, over the reader's limit of {MAX_LINE_BYTES:,} bytes per row",
        hint="one message's headers are rarely this long: check the row for a runaway field "
        "(a huge To list or Message-ID) and shorten it in the export, or remove the row",
    )


@dataclass(frozen=True)
class CsvText:
    """A CSV file as the strict read saw it: enough to find where its records start."""

    path: Path
    delimiter: str
    quote: str


def physical_lines(path: Path, chunk_bytes: int = 1 << 24) -> int:
    """How many lines ``path`` has; a line ends at ``\\n``, ``\\r\\n`` or a lone ``\\r``.

    One pass of byte counts, ``chunk_bytes`` at a time (a ``\\r\\n`` split between two
    reads is one end).
    """
    lines, previous = 0, b""
    with path.open("rb") as handle:
        while chunk := handle.read(chunk_bytes):
            lines += chunk.count(b"\n")
            if b"\r" in chunk:
                lines += chunk.count(b"\r") - chunk.count(b"\r\n")
            lines -= previous == b"\r" and chunk.startswith(b"\n")
            previous = chunk[-1:]
    return lines + (previous not in (b"", b"\n", b"\r"))


@dataclass(frozen=True)
class RecordStarts:
    """The line each record of a file starts on (``records[r - 1]`` for record ``r``), and each row read."""

    records: np.ndarray
    accepted: np.ndarray


def record_starts(text: CsvText, skip: int, rejected: Sequence[int], accepted: int) -> RecordStarts | None:
    """Where each record of ``text`` starts, read as the strict read did; ``None`` if the two disagree.

    A record is what Python's csv reader yields, a blank line included (DuckDB counts it,
    then skips it). They agree when the records that are neither above the first row
    (``skip``), blank nor ``rejected`` are exactly the ``accepted`` rows.
    """
    starts, blank = array("q"), bytearray()
    quoting = {"quotechar": text.quote, "doublequote": True} if text.quote else {"quoting": csv.QUOTE_NONE}
    try:
        with wide_csv_fields(), text.path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
            reader = csv.reader(handle, delimiter=text.delimiter, **quoting)  # type: ignore[arg-type]
            start = 1
            for record in reader:
                starts.append(start)
                blank.append(not record)
                start = reader.line_num + 1
    except csv.Error:
        return None
    records = np.frombuffer(starts, dtype=np.int64) if starts else np.zeros(0, dtype=np.int64)
    kept = np.frombuffer(bytes(blank), dtype=np.bool_) == 0
    bad = np.asarray(rejected, dtype=np.int64) - 1
    if len(records) < skip or (len(bad) and (bad.max() >= len(records) or not kept[bad].all())):
        return None
    kept[:skip] = False
    kept[bad] = False
    rows = np.flatnonzero(kept)
    return RecordStarts(records, records[rows]) if len(rows) == accepted else None


@dataclass(frozen=True)
class Numbering:
    """How a staged file's rows are numbered: ``seq`` 1, 2, … over the accepted rows, in file order.

    ``skip`` lines are above the first row (a header, a ``sep=`` line), ``rejected`` are
    the record numbers of the rows the read rejected, ``accepted`` how many rows it kept.
    With ``text`` given, the lines of a file with blank lines or multi-line cells are
    found by reading it (:func:`record_starts`), once, when the first line is asked for.
    For Parquet and JSON the "line" is the row or message number (nothing skipped).
    """

    skip: int = 0
    rejected: tuple[int, ...] = ()
    text: CsvText | None = None
    accepted: int = 0

    @cached_property
    def _starts(self) -> RecordStarts | None:
        records = self.skip + self.accepted + len(self.rejected)
        if self.text is None or physical_lines(self.text.path) == records:
            return None  # every line is one record
        return record_starts(self.text, self.skip, self.rejected, self.accepted)

    def lines(self, seqs: Sequence[int]) -> list[int]:
        """File lines of the accepted rows numbered ``seqs``.

        Header on line 1, line 3 rejected: accepted rows 1, 2, 3 are lines 2, 4, 5.

        >>> Numbering(skip=1, rejected=(3,)).lines([1, 2, 3])
        [2, 4, 5]
        """
        if not len(seqs):  # nothing reported: the file is not read again
            return []
        wanted = np.asarray(seqs, dtype=np.int64)
        if self._starts is not None:
            return [int(line) for line in self._starts.accepted[wanted - 1]]
        ordered = np.sort(np.asarray(self.rejected, dtype=np.int64))
        thresholds = ordered - self.skip - np.arange(len(ordered))  # first seq after each rejected record
        before = np.searchsorted(thresholds, wanted, side="right")
        return [int(seq) + self.skip + int(n) for seq, n in zip(wanted, before, strict=True)]

    def line(self, record: int) -> int:
        """The file line record ``record`` (DuckDB's number of a rejected row) starts on."""
        return record if self._starts is None else int(self._starts.records[record - 1])

    def issues(self, file: str, coded: Sequence[tuple[Any, ...]], layout: ExportLayout) -> list[RowIssue]:
        """An issue on its line for each ``(seq, code)`` or ``(seq, code, value)`` of a marked row."""
        lines = self.lines([int(row[0]) for row in coded])
        return [
            row_issue(file, line, str(row[1]), layout, row[2] if len(row) > 2 else None)
            for line, row in zip(lines, coded, strict=True)
        ]

    def reject_issues(self, file: str, rejects: Sequence[Reject]) -> list[RowIssue]:
        """An issue on its line for each rejected record; an unterminated quote is an error.

        Nothing after a quote that is never closed can be read reliably, so it fails
        naming the line the quote opened on.
        """
        quote = self.text.quote if self.text is not None else '"'
        for reject in rejects:
            # DuckDB words text after a closing quote ("a"b) as an unterminated quote too: only an odd
            # number of quotes in the record leaves one open
            if "unterminated quote" in reject.message and quote and reject.text.count(quote) % 2:
                raise fail(file, self.line(reject.record), "unterminated-quote", *UNTERMINATED_QUOTE)
        return [reject_issue(file, self.line(r.record), r) for r in rejects]


def _numbered(con: Any, table: str, source: str, params: dict[str, Any], layout: ExportLayout) -> None:
    """Copy the mapped columns of ``source`` into ``{table}_read``, reading in parallel, each
    named by its role (``sender``, ``timestamp``, ...); view ``table`` adds ``seq``.

    The copy keeps the file's order (``preserve_insertion_order``), so ``rowid`` numbers
    the rows; a window (``row_number() OVER ()``) would read the file on one thread. Naming
    the copy's columns by role keeps a file's own column called ``seq`` or ``rowid`` (a
    database export's row number) from standing in for them.
    """
    picked = [(role, name) for role in EMAIL_ROLES if (name := layout.column(role))]
    columns = ", ".join(f"{quote_name(name)} AS {quote_name(role)}" for role, name in picked)
    con.execute(f"CREATE TEMP TABLE {table}_read AS SELECT {columns} FROM {source}", params)
    con.execute(f"CREATE TEMP VIEW {table} AS SELECT rowid + 1 AS seq, * FROM {table}_read")


def read_rows(
    con: Any, table: str, path: Path, layout: ExportLayout, roles: list[str], staged: Staged
) -> tuple[int, Numbering]:
    """Read a CSV or Parquet file strictly into DuckDB view ``table`` (all text, plus ``seq``).

    Rejected rows go to ``staged.issues``. Returns the rows read (rejected ones included)
    and the :class:`Numbering` that turns a row's ``seq`` into its line.
    """
    con.execute("DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans")
    if is_parquet(path):
        source, params = parquet_text_source(con, path, layout, roles)
        _numbered(con, table, source, params, layout)
        return int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]), Numbering()
    source, params, skip = csv_source(path, layout, roles)
    _numbered(con, table, source, params, layout)
    rejects = strict_rejects(con)
    accepted = int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])
    numbering = csv_numbering(path, params, skip, rejects, accepted)
    staged.issues.extend(numbering.reject_issues(path.name, rejects))
    return accepted + len(rejects), numbering


def csv_numbering(
    path: Path, params: dict[str, Any], skip: int, rejects: Sequence[Reject], accepted: int
) -> Numbering:
    """The :class:`Numbering` of a CSV file read by :func:`~leadnet.importers.email_columns.csv_source`."""
    text = CsvText(path, str(params["d"]), str(params["q"]))
    return Numbering(skip, tuple(r.record for r in rejects), text, accepted)
