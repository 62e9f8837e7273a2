"""Staging an e-mail log: each of its files, in file order, as the ``ln_mail_raw`` + ``ln_rcpt_raw`` tables.

An mbox or a folder of ``.eml`` files is parsed message by message in Python
(:mod:`leadnet.importers.headers`) and written in batches to a Parquet file of events;
CSV, Parquet and JSON exports are read by DuckDB (:mod:`leadnet.importers.email_scan`
for one row per message, :mod:`leadnet.importers.email_exports` for the rest). A CSV
whose line ends change (or whose recipients file's do) is read from copies with uniform
ones (:func:`~leadnet.importers.email_read.with_uniform_line_ends`). Several files of one
log are staged one after another, their message keys offset by :data:`FILE_SEQ`, so the
dedupe on Message-ID keeps the earliest file's copy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from leadnet.errors import RowIssue
from leadnet.importers import email_identity, email_scan
from leadnet.importers.email_columns import check_roles, warn_unread, with_default_columns
from leadnet.importers.email_exports import stage_csv, stage_json
from leadnet.importers.email_read import (
    ExportLayout,
    Staged,
    is_parquet,
    line_ends_change,
    with_uniform_line_ends,
)
from leadnet.importers.headers import Headers, Rejection, parse_headers
from leadnet.importers.mbox import STRAY_FIX, STRAY_TEXT, RawMessage, iter_eml, iter_mbox, no_messages
from leadnet.importers.result import add_counts

BATCH_ROWS = 5_000
EVENT_SCHEMA = pa.schema(
    [
        ("msg_seq", pa.int64()),
        ("line", pa.int64()),
        ("message_id", pa.string()),
        ("sender", pa.string()),
        ("recipient", pa.string()),
        ("kind", pa.string()),
        ("ts", pa.timestamp("us", tz="UTC")),
        ("n_recipients", pa.int64()),
    ]
)


@dataclass(frozen=True)
class EmailFile:
    """One file of an e-mail log: its path, format (``None``: from the name) and export layout."""

    path: Path
    file_format: str | None = None
    layout: ExportLayout | None = None


FILE_SEQ = 1 << 40
"""Several files of one log: each file's message keys are offset by its position × this."""
STAGED_TABLES = ("ln_mail_raw", "ln_rcpt_raw")


class _EventWriter:
    """Event rows of parsed messages, written to Parquet in batches of :data:`BATCH_ROWS`."""

    def __init__(self, path: Path) -> None:
        self.writer = pq.ParquetWriter(path, EVENT_SCHEMA)
        self.columns: dict[str, list[Any]] = {name: [] for name in EVENT_SCHEMA.names}

    def add(self, seq: int, line: int, headers: Any) -> None:
        for address, kind in headers.recipients or ((None, None),):
            for name, value in zip(
                EVENT_SCHEMA.names,
                (
                    seq,
                    line,
                    headers.message_id,
                    headers.sender,
                    address,
                    kind,
                    headers.timestamp,
                    headers.n_recipients,
                ),
                strict=True,
            ):
                self.columns[name].append(value)
        if len(self.columns["msg_seq"]) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.columns["msg_seq"]:
            self.writer.write_table(pa.table(self.columns, schema=EVENT_SCHEMA))
            self.columns = {name: [] for name in EVENT_SCHEMA.names}

    def close(self) -> None:
        self.flush()
        self.writer.close()


def stage_messages(
    messages: Iterable[RawMessage],
    events: Path,
    staged: Staged,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Parse each message's headers and write its events; returns how many messages were read.

    The text before an mbox's first ``From_`` line counts as one read and quarantined
    (``stray-text``), so that it ends in the rejected rows like a bad message; a message with
    no header line at all (a ``From_`` line with nothing after it, an empty ``.eml`` file) is
    quarantined as ``empty-message`` (:data:`EMPTY_MESSAGE`), not as one with no From.
    """
    writer = _EventWriter(events)
    read = 0
    notes: Counter[str] = Counter()
    try:
        for seq, raw in enumerate(messages, start=1):
            read = seq
            parsed = _parsed(raw)
            if isinstance(parsed, RowIssue):
                staged.issues.append(parsed)
            else:
                writer.add(seq, raw.line, parsed)
                notes.update(set(parsed.notes))
            if progress is not None and seq % 1000 == 0:
                progress(seq)
    finally:
        writer.close()
    staged.counts = add_counts(staged.counts, notes)
    return read


EMPTY_MESSAGE = {
    False: Rejection(
        "empty-message",
        "message has no header lines: a blank line or the end of the file follows its From_ line",
        "delete the From_ line if no message belongs to it, or export the mailbox again",
    ),
    True: Rejection(
        "empty-message",
        "file has no header lines: it is empty or opens with a blank line",
        "delete the file if it holds no message, or export the message again",
    ),
}
"""A message with no header at all, of an mbox (``False``) or an ``.eml`` file (``True``): quarantined
as empty, not as one with no From."""


def _parsed(raw: RawMessage) -> Headers | RowIssue:
    """The headers of one message, or the issue that quarantines it."""
    if raw.stray is not None:
        return RowIssue(raw.file, raw.line, STRAY_TEXT, raw.stray, hint=STRAY_FIX)
    parsed = (
        Rejection("oversized-header", "header block too large")
        if raw.oversized
        else EMPTY_MESSAGE[raw.file.lower().endswith(".eml")]
        if not raw.headers or raw.headers.isspace()  # no copy of every header block
        else parse_headers(raw.headers)
    )
    if isinstance(parsed, Rejection):
        where = f" (message at byte {raw.offset})" if raw.offset else ""
        return RowIssue(raw.file, raw.line, parsed.code, parsed.detail + where, hint=parsed.hint)
    return parsed


def _stage_file(
    con: Any,
    path: Path,
    file_format: str,
    layout: ExportLayout,
    folder: Path,
    staged: Staged,
    progress: Callable[[int], None] | None,
) -> None:
    """Stage the file as ``ln_mail_raw`` + ``ln_rcpt_raw`` (see :mod:`leadnet.importers.email_identity`)."""
    if file_format in ("mbox", "eml"):
        events = folder / "events.parquet"
        messages = iter_mbox(path) if file_format == "mbox" else iter_eml(path)
        read = stage_messages(messages, events, staged, progress)
        if read == 0:
            raise no_messages(path)
        staged.files.append((path, "email", read))
        con.execute(f"CREATE VIEW ln_raw AS SELECT * FROM read_parquet('{events}')")
        email_identity.raw_from_events(con)
        return
    if file_format == "json":
        stage_json(con, path, staged)
        return
    parquet = file_format == "parquet"
    mapped = bool(layout.columns)
    layout = _with_headers_read(path, layout, staged, parquet=parquet)
    check_roles(path, layout, parquet=parquet, mapped=mapped)
    warn_unread(path, layout, parquet=parquet)
    if parquet:
        _stage_export(con, path, layout, staged, parquet=True)
        return
    texts = [p for p in (path, layout.recipients_path) if p is not None and p.is_file() and not is_parquet(p)]
    uniform = any(_line_ends_change(p) for p in texts)
    before, mark = _catalogue(con), (len(staged.files), len(staged.issues), dict(staged.counts))
    try:
        _stage_export(
            con, *(_uniform(path, layout, folder) if uniform else (path, layout)), staged, parquet=False
        )
    except duckdb.InvalidInputException as exc:
        if uniform or "invalid state" not in str(exc):
            raise
        # the line ends change further down a file: start again from copies with uniform ones
        _drop_all_but(con, before)
        del staged.files[mark[0] :], staged.issues[mark[1] :]
        staged.counts = mark[2]
        _stage_export(con, *_uniform(path, layout, folder), staged, parquet=False)
    copies = {folder / "line-ends" / path.name: path}
    if layout.recipients_path is not None:
        copies[folder / "recipients" / "line-ends" / layout.recipients_path.name] = layout.recipients_path
    staged.files[:] = [(copies.get(file, file), kind, rows) for file, kind, rows in staged.files]


def _with_headers_read(path: Path, layout: ExportLayout, staged: Staged, *, parquet: bool) -> ExportLayout:
    """``layout``, its columns found by the roles' names when it maps none (:func:`with_default_columns`);
    each header so read in another letter case is kept in ``staged`` and counted ``header-normalised``,
    as a table's (:func:`~leadnet.importers.columns.read_columns`)."""
    found = with_default_columns(path, layout, parquet=parquet)
    if found is layout:  # mapped, or without a header: every header is read as written
        return layout
    read_as = [(path.name, header, role) for role, header in found.columns.items() if header != role]
    staged.headers_read.extend(read_as)
    staged.counts = add_counts(staged.counts, {"header-normalised": len(read_as)})
    return found


def _line_ends_change(path: Path) -> bool:
    with path.open("rb") as handle:
        return line_ends_change(handle.read(1 << 20))


def _uniform(path: Path, layout: ExportLayout, folder: Path) -> tuple[Path, ExportLayout]:
    """Copies of an export, and of its recipients file, with uniform line ends (same names, lines)."""
    rcpt = layout.recipients_path
    if rcpt is not None and rcpt.is_file() and not is_parquet(rcpt):
        layout = replace(layout, recipients_path=with_uniform_line_ends(rcpt, folder / "recipients"))
    return with_uniform_line_ends(path, folder), layout


def _stage_export(con: Any, path: Path, layout: ExportLayout, staged: Staged, *, parquet: bool) -> None:
    """Stage a CSV or Parquet export by the streaming path when one row is one message, else the general."""
    if email_scan.applies(layout):
        email_scan.stage_message_table(con, path, layout, staged, parquet=parquet)
    else:
        stage_csv(con, path, layout, staged)


def stage_files(
    con: Any,
    files: Sequence[EmailFile],
    formats: Sequence[str],
    folder: Path,
    staged: Staged,
    progress: Callable[[int], None] | None,
) -> None:
    """Stage every file of the log as one ``ln_mail_raw`` + ``ln_rcpt_raw``, in file order.

    Each file is staged on its own (its own staging tables, then dropped) and its two raw
    tables renamed aside; joined, each file's message keys are offset by its position ×
    :data:`FILE_SEQ`, so the keys keep file order and the dedupe on Message-ID keeps the
    earliest file's copy.
    """
    if len(files) == 1:
        one = files[0]
        _stage_file(con, one.path, formats[0], one.layout or ExportLayout(), folder, staged, progress)
        return
    before = _catalogue(con)
    for i, (file, chosen) in enumerate(zip(files, formats, strict=True)):
        part = folder / f"file{i}"
        part.mkdir()
        _stage_file(con, file.path, chosen, file.layout or ExportLayout(), part, staged, progress)
        for table in STAGED_TABLES:
            con.execute(f"ALTER TABLE {table} RENAME TO {table}_{i}")
        _drop_all_but(con, before | {f"{t}_{j}" for t in STAGED_TABLES for j in range(i + 1)})
    for table in STAGED_TABLES:
        parts = " UNION ALL BY NAME ".join(
            f"SELECT * REPLACE (msg_seq + {i * FILE_SEQ} AS msg_seq) FROM {table}_{i}"
            for i in range(len(files))
        )
        con.execute(f"CREATE TEMP TABLE {table} AS {parts}")
        for i in range(len(files)):
            con.execute(f"DROP TABLE {table}_{i}")


def _drop_all_but(con: Any, kept: set[str]) -> None:
    """Drop the connection's views and tables not named in ``kept``: what a staging left behind."""
    views, tables = _catalogue(con, split=True)
    for name in sorted(views - kept):
        con.execute(f"DROP VIEW {name}")
    for name in sorted(tables - kept):
        con.execute(f"DROP TABLE {name}")


def _catalogue(con: Any, *, split: bool = False) -> Any:
    """The names of the connection's own views and tables (as one set, or as two)."""
    views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    return (views, tables) if split else views | tables
