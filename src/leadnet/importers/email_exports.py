"""Email exports (CSV/TSV, Parquet and JSON) → staged tables, inside DuckDB.

Rows never become Python objects: DuckDB reads the file (strict CSV, bad rows to its
rejects table with their line) and SQL shapes it. One row per message goes the
streaming path of :mod:`leadnet.importers.email_scan`; one row per recipient becomes
``ln_mail_raw`` + ``ln_rcpt_raw`` here; the two-file and JSON layouts become the
``ln_raw`` event table. Parquet files (``PAR1``) are read with ``read_parquet``, every
column as text on the general path; their "line" is the 1-based row number. Layouts,
chosen by the mapped columns:

- one row per message: ``sender``, ``recipients`` (a ``;``- or ``,``-separated list),
  optional ``cc``, ``timestamp``, ``message_id``;
- one row per recipient: ``sender``, ``recipient``, optional ``kind`` (``cc`` or ``to``),
  ``timestamp``, optional ``message_id`` (without one, rows of one sender with the same
  timestamp form one message);
- two files, messages + recipients joined on ``message_id`` (the Enron export): the
  main file maps ``message_id``, ``sender``, ``timestamp``; the ``recipients`` option
  names the second file and maps ``message_id``, ``recipient`` (and optional ``kind``);
- JSON shaped like the Microsoft Graph message list: ``from.emailAddress.address``,
  ``toRecipients[].emailAddress.address``, ``ccRecipients``, ``sentDateTime``,
  ``internetMessageId``; a JSON array, newline-delimited objects or ``{"value": [...]}``.

With ``header = false`` columns are named by 1-based position (``sender = 5``);
``quote = ""`` reads a file without quoting (a TSV whose cells hold stray quotes).
Timestamps: ``timestamp_format = "auto"`` (ISO 8601, or Unix seconds when all digits),
``"unix"``, or a ``strptime`` pattern. A time without offset is taken as UTC and counted
``naive-date``. Row issues: ``missing-from``, ``missing-date``, ``bad-date``,
``missing-recipient``, ``unknown-message`` and DuckDB's ``short-row``, ``extra-cell``,
``bad-quote``; an unterminated quote fails naming the line it opened. Line numbers are
physical lines for files whose quoted cells hold no line breaks.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from leadnet.errors import InputError, RowIssue

DELIMITERS = (",", ";", "\t", "|")
_REJECT_CODES = {
    "MISSING COLUMNS": "short-row",
    "TOO MANY COLUMNS": "extra-cell",
    "UNQUOTED VALUE": "bad-quote",
}
_ADDRESS = "STRUCT(emailAddress STRUCT(address VARCHAR))"
_JSON_COLUMNS = (
    f"'from': '{_ADDRESS}', 'toRecipients': '{_ADDRESS}[]', 'ccRecipients': '{_ADDRESS}[]', "
    "'sentDateTime': 'VARCHAR', 'internetMessageId': 'VARCHAR'"
)
_GRAPH_MESSAGE = (
    'STRUCT("from" STRUCT(emailAddress STRUCT(address VARCHAR)), '
    "toRecipients STRUCT(emailAddress STRUCT(address VARCHAR))[], "
    "ccRecipients STRUCT(emailAddress STRUCT(address VARCHAR))[], "
    "sentDateTime VARCHAR, internetMessageId VARCHAR)"
)


@dataclass(frozen=True)
class ExportLayout:
    """How a CSV/JSON email export maps onto senders, recipients and times."""

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
    """What staging one source produced: per-file row counts, issues, normalisations."""

    files: list[tuple[Path, str, int]] = field(default_factory=list)  # path, kind, rows_read
    issues: list[RowIssue] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _first_line(path: Path) -> str:
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        return handle.readline().rstrip("\r\n")


def is_parquet(path: Path) -> bool:
    """Whether ``path`` is a Parquet file (by its ``PAR1`` magic bytes)."""
    if not path.is_file():
        return False
    with path.open("rb") as handle:
        return handle.read(4) == b"PAR1"


def _parquet_source(path: Path, layout: ExportLayout, roles: list[str]) -> tuple[str, dict[str, Any]]:
    """Every column of a Parquet file as text, for the general staging path."""
    import duckdb

    params = {"p": str(path)}
    names = [str(row[0]) for row in duckdb.connect().execute(
        "DESCRIBE SELECT * FROM read_parquet($p)", params).fetchall()]  # fmt: skip
    wanted = {str(layout.columns.get(r, r)) for r in roles}
    if not wanted <= set(names):
        raise InputError.from_issues(
            [
                RowIssue(
                    path.name,
                    None,
                    "missing-column",
                    f"file lacks {', '.join(sorted(wanted - set(names)))}",
                    hint="map them with columns = { sender = ..., ... } in leadnet.toml",
                )
            ]  # fmt: skip
        )
    casts = ", ".join(f"CAST({_q(n)} AS VARCHAR) AS {_q(n)}" for n in names)
    return f"(SELECT {casts} FROM read_parquet($p))", params


def _dialect(path: Path, layout: ExportLayout, roles: list[str]) -> tuple[str, list[str]]:
    first = _first_line(path)
    if not layout.header:
        delim = layout.delimiter or max(DELIMITERS, key=first.count)
        return delim, [f"column{i + 1}" for i in range(len(next(csv.reader([first], delimiter=delim))))]
    wanted = {str(layout.columns.get(r, r)) for r in roles}
    for delim in [layout.delimiter] if layout.delimiter else DELIMITERS:
        names = [n.strip() for n in next(csv.reader([first], delimiter=delim), [])]
        if wanted <= set(names):
            return delim, names
    raise InputError.from_issues(
        [
            RowIssue(
                path.name,
                1,
                "missing-column",
                f"header lacks {', '.join(sorted(wanted))}",
                hint="map them with columns = { sender = ..., ... } in leadnet.toml",
            )
        ]
    )


def csv_source(path: Path, layout: ExportLayout, roles: list[str]) -> tuple[str, dict[str, Any], int]:
    """A strict ``read_csv`` of ``path`` (every column text, bad rows to DuckDB's rejects table).

    Returns the SQL table expression, its parameters and the number of header lines.
    """
    delim, names = _dialect(path, layout, roles)
    skip = 1 if layout.header else 0
    source = (
        f"read_csv($p, delim=$d, skip={skip}, header=false, auto_detect=false, columns=$c, strict_mode=true, "
        "store_rejects=true, quote=$q, escape=$q, encoding='utf-8')"
    )
    return source, {"p": str(path), "d": delim, "c": {n: "VARCHAR" for n in names}, "q": layout.quote}, skip


def rejected_rows(con: Any, path: Path, staged: Staged) -> list[int]:
    """Quarantine the rows the last strict read rejected; returns their lines.

    An unterminated quote is an error naming the line it opened (nothing after it can be
    read reliably).
    """
    rejects = con.sql(  # DuckDB may report one short row once per missing column: keep its first error
        "SELECT line, arg_min(error_type, column_idx), arg_min(error_message, column_idx) FROM reject_errors "
        "GROUP BY line ORDER BY line"
    ).fetchall()
    for line, kind, message in rejects:
        if "unterminated quote" in str(message):
            raise InputError.from_issues(
                [
                    RowIssue(
                        path.name,
                        int(line),
                        "unterminated-quote",
                        "a quote opened here is never closed",
                        hint="close the quote or remove it",
                    )
                ]
            )
        staged.issues.append(RowIssue(path.name, int(line), _REJECT_CODES.get(kind, "bad-row"), str(message)))
    con.execute("DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans")
    return [int(line) for line, _, _ in rejects]


def reject_thresholds(rejected: list[int], skip: int) -> np.ndarray:
    """For each rejected line (sorted), the accepted-row number from which it lies before a row.

    The accepted row numbered ``seq`` (1-based, rejected rows skipped) is on line
    ``seq + skip + (number of thresholds <= seq)``.

    Examples
    --------
    Header on line 1, lines 3 and 4 rejected: accepted rows 1, 2 are lines 2 and 5.

    >>> t = reject_thresholds([3, 4], skip=1)
    >>> [seq + 1 + int((t <= seq).sum()) for seq in (1, 2)]
    [2, 5]
    """
    ordered = np.sort(np.asarray(rejected, dtype=np.int64))
    return ordered - skip - np.arange(len(ordered))


def read_rows(
    con: Any, table: str, path: Path, layout: ExportLayout, roles: list[str], staged: Staged
) -> int:
    """Read a CSV strictly into DuckDB table ``table`` (all text, plus ``line``); rows read."""
    con.execute("DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans")
    if is_parquet(path):
        source, params = _parquet_source(path, layout, roles)
        con.execute(f"CREATE TABLE {table} AS SELECT row_number() OVER () AS line, * FROM {source}", params)
        return int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])
    source, params, skip = csv_source(path, layout, roles)
    con.execute(
        f"CREATE TABLE {table} AS SELECT row_number() OVER () + {skip} AS line, * FROM {source}", params
    )
    rejected = rejected_rows(con, path, staged)
    if rejected:  # rejected rows are not numbered: add back those before each row
        con.register("ln_rejected", pd.DataFrame({"t": reject_thresholds(rejected, skip)}))
        con.execute(
            f"UPDATE {table} SET line = line + (SELECT count(*) FROM ln_rejected WHERE t <= line - {skip})"
        )
        con.unregister("ln_rejected")
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]) + len(rejected)


def timestamp_sql(expr: str, fmt: str) -> tuple[str, str]:
    """SQL for (UTC timestamp or NULL, is-naive) of a text column.

    ``auto`` reads ISO 8601 first and tries Unix seconds (9 to 11 digits) only where
    that fails, so the common case costs one cast.
    """
    text = f"trim({expr})"
    unix = f"to_timestamp(TRY_CAST({text} AS DOUBLE))"
    if fmt == "unix":
        return unix, "FALSE"
    if fmt != "auto":
        return f"CAST(try_strptime({text}, {_lit(fmt)}) AS TIMESTAMPTZ)", "FALSE" if "%z" in fmt else "TRUE"
    digits = f"regexp_full_match({text}, '[0-9]{{9,11}}(\\.[0-9]+)?')"
    return f"coalesce(TRY_CAST({text} AS TIMESTAMPTZ), CASE WHEN {digits} THEN {unix} END)", naive_sql(
        expr, fmt
    )


def naive_sql(expr: str, fmt: str) -> str:
    """SQL that is true when a text time names no UTC offset (taken as UTC and counted)."""
    if fmt == "unix":
        return "FALSE"
    if fmt != "auto":
        return "FALSE" if "%z" in fmt else "TRUE"
    text = f"trim({expr})"
    digits = f"regexp_full_match({text}, '[0-9]{{9,11}}(\\.[0-9]+)?')"
    zone = f"regexp_matches({text}, '([zZ]|[+-][0-9][0-9](:?[0-9][0-9])?)$')"
    return f"(CASE WHEN suffix({text}, 'Z') THEN FALSE ELSE NOT {digits} AND NOT {zone} END)"


def _col(layout: ExportLayout, role: str) -> str:
    name = layout.column(role)
    return f"nullif(trim({_q(name)}), '')" if name else "NULL"


def _list(layout: ExportLayout, role: str) -> str:
    name = layout.column(role)
    if not name:
        return "CAST([] AS VARCHAR[])"
    parts = f"regexp_split_to_array(coalesce({_q(name)}, ''), '[;,]')"
    return f"list_filter(list_transform({parts}, lambda x: trim(x)), lambda x: x <> '')"


def _messages(con: Any, source: str, layout: ExportLayout, fmt: str) -> None:
    stamp = layout.column("timestamp")
    ts, naive = timestamp_sql(_q(stamp) if stamp else "NULL", fmt)
    con.execute(
        f"CREATE TABLE ln_msg AS SELECT line, {_col(layout, 'sender')} AS sender, "
        f"{_col(layout, 'message_id')} "
        f"AS message_id, {_col(layout, 'timestamp')} AS ts_text, {ts} AS ts, {naive} AS naive, "
        f"{_list(layout, 'recipients')} AS to_list, {_list(layout, 'cc')} AS cc_list, "
        f"{_col(layout, 'recipient')} AS recipient, lower(coalesce({_col(layout, 'kind')}, 'to')) AS kind "
        f"FROM {source}"
    )


def message_issues(con: Any, file: str, staged: Staged, *, need_recipient: bool) -> None:
    """Quarantine rows of ``ln_msg`` without a sender, a time or (per-recipient) a recipient."""
    recipient = "WHEN recipient IS NULL THEN 'missing-recipient'" if need_recipient else ""
    rows = con.sql(
        f"SELECT line, code FROM (SELECT line, CASE WHEN sender IS NULL THEN 'missing-from' "
        f"WHEN ts_text IS NULL THEN 'missing-date' WHEN ts IS NULL THEN 'bad-date' {recipient} END AS code "
        "FROM ln_msg) WHERE code IS NOT NULL ORDER BY line"
    ).fetchall()
    details = {
        "missing-from": "no sender",
        "missing-date": "no timestamp",
        "bad-date": "timestamp cannot be parsed",
        "missing-recipient": "no recipient",
    }
    staged.issues.extend(RowIssue(file, int(line), code, details[code]) for line, code in rows)
    naive = con.execute(
        "SELECT count(*) FROM ln_msg WHERE naive AND ts IS NOT NULL AND sender IS NOT NULL"
    ).fetchall()[0][0]
    if naive:
        staged.counts["naive-date"] = staged.counts.get("naive-date", 0) + int(naive)


_GOOD = "sender IS NOT NULL AND ts IS NOT NULL"
PER_MESSAGE = f"""CREATE TABLE ln_raw AS
WITH good AS (SELECT * FROM ln_msg WHERE {_GOOD}),
r AS (SELECT line, unnest(to_list) AS recipient, 'to' AS kind FROM good
      UNION ALL SELECT line, unnest(cc_list), 'cc' FROM good)
SELECT g.line AS msg_seq, g.line, g.message_id, g.sender, r.recipient, r.kind, g.ts,
       len(g.to_list) + len(g.cc_list) AS n_recipients
FROM good AS g LEFT JOIN r ON g.line = r.line"""
PER_RECIPIENT = [
    f"""CREATE TEMP TABLE ln_good AS SELECT line, message_id, sender, recipient, kind, ts,
        coalesce(message_id, sender || '|' || CAST(ts AS VARCHAR)) AS mkey
        FROM ln_msg WHERE {_GOOD} AND recipient IS NOT NULL""",
    """CREATE TEMP TABLE ln_mkeys AS SELECT mkey, min(line) AS msg_seq, min(message_id) AS message_id,
        min(sender) AS sender, min(ts) AS ts, count(DISTINCT recipient) AS n FROM ln_good GROUP BY mkey""",
    """CREATE TEMP TABLE ln_mail_raw AS SELECT m.msg_seq, m.message_id, m.ts, m.n AS n_recipients,
        FALSE AS naive, CAST(NULL AS VARCHAR) AS code, k.person_id AS sender_id,
        CASE WHEN k.person_id IS NULL THEN m.sender END AS sender_text
        FROM ln_mkeys AS m LEFT JOIN ln_known AS k ON m.sender = k.key""",
    """CREATE TEMP TABLE ln_rcpt_raw AS SELECT m.msg_seq, k.person_id AS recipient_id,
        CASE WHEN k.person_id IS NULL THEN g.recipient END AS address_text,
        CASE WHEN g.kind = 'cc' THEN 'cc' ELSE 'to' END AS kind
        FROM ln_good AS g JOIN ln_mkeys AS m ON g.mkey = m.mkey
        LEFT JOIN ln_known AS k ON g.recipient = k.key""",
    "DROP TABLE ln_good; DROP TABLE ln_mkeys; DROP TABLE ln_msg; DROP TABLE ln_rows",
]
"""One row per recipient → the ``ln_mail_raw`` + ``ln_rcpt_raw`` tables of ``email_scan``."""
TWO_FILES = f"""CREATE TABLE ln_raw AS
WITH good AS (SELECT * FROM ln_msg WHERE {_GOOD}),
n AS (SELECT message_id, count(DISTINCT recipient) AS n FROM ln_rcp GROUP BY message_id)
SELECT g.line AS msg_seq, g.line, g.message_id, g.sender, r.recipient, r.kind, g.ts,
       coalesce(n.n, 0) AS n_recipients
FROM good AS g LEFT JOIN ln_rcp AS r ON g.message_id = r.message_id
LEFT JOIN n ON g.message_id = n.message_id"""


def stage_csv(con: Any, path: Path, layout: ExportLayout, staged: Staged) -> bool:
    """Stage a CSV or Parquet export (one or two files).

    Returns True when it made the ``ln_mail_raw`` + ``ln_rcpt_raw`` tables (one row per
    recipient), False when it made the ``ln_raw`` event table (the other layouts).
    """
    roles = [r for r in ("sender", "timestamp", "recipient", "recipients") if r in layout.columns] or [
        "sender"
    ]
    staged.files.append((path, "email", read_rows(con, "ln_rows", path, layout, roles, staged)))
    _messages(con, "ln_rows", layout, layout.timestamp_format)
    per_recipient = layout.column("recipient") is not None
    message_issues(con, path.name, staged, need_recipient=per_recipient)
    if layout.recipients is None or layout.recipients_path is None:
        for statement in PER_RECIPIENT if per_recipient else [PER_MESSAGE]:
            con.execute(statement)
        return per_recipient
    _stage_recipients(con, layout.recipients_path, layout.recipients, staged)
    con.execute(TWO_FILES)
    return False


def _stage_recipients(con: Any, path: Path, layout: ExportLayout, staged: Staged) -> None:
    if not path.is_file():
        raise InputError.from_issues(
            [
                RowIssue(
                    path.name,
                    None,
                    "missing-file",
                    "file not found",
                    hint=f"check the recipients path: {path}",
                )
            ]
        )
    rows = read_rows(con, "ln_rcp_rows", path, layout, ["message_id", "recipient"], staged)
    staged.files.append((path, "email-recipients", rows))
    con.execute(
        f"CREATE TABLE ln_rcp_all AS SELECT line, {_col(layout, 'message_id')} AS message_id, "
        f"{_col(layout, 'recipient')} AS recipient, CASE WHEN lower({_col(layout, 'kind')}) = 'cc' THEN 'cc' "
        "ELSE 'to' END AS kind FROM ln_rcp_rows"
    )
    bad = con.sql(
        "SELECT line, CASE WHEN recipient IS NULL THEN 'missing-recipient' ELSE 'unknown-message' END "
        "FROM ln_rcp_all "
        "WHERE recipient IS NULL OR message_id IS NULL OR message_id NOT IN (SELECT message_id FROM ln_msg "
        "WHERE message_id IS NOT NULL) ORDER BY line"
    ).fetchall()
    details = {"missing-recipient": "no recipient", "unknown-message": "message id not in the messages file"}
    staged.issues.extend(RowIssue(path.name, int(line), code, details[code]) for line, code in bad)
    con.execute(
        "CREATE TABLE ln_rcp AS SELECT * FROM ln_rcp_all WHERE recipient IS NOT NULL AND message_id IN "
        "(SELECT message_id FROM ln_msg WHERE message_id IS NOT NULL)"
    )


def stage_json(con: Any, path: Path, staged: Staged) -> None:
    """Create ``ln_raw`` from a Microsoft Graph-shaped JSON message list."""
    with path.open("rb") as handle:
        start = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    with path.open("rb") as handle:
        first = handle.readline().strip()
    wrapped = start.startswith(b"{") and (b'"value"' in first or first == b"{")
    size = max(path.stat().st_size + 1, 16 * 1024 * 1024)
    if wrapped:
        source = (
            f"(SELECT unnest(value) AS m FROM read_json($p, columns={{'value': '{_GRAPH_MESSAGE}[]'}}, "
            f"format='auto', maximum_object_size={size}))"
        )
    else:
        source = f"read_json($p, columns={{{_JSON_COLUMNS}}}, maximum_object_size={size}) AS m"
    ts, naive = timestamp_sql("m.sentDateTime", "auto")
    addr = (
        "list_filter(list_transform(coalesce(m.{0}, []), lambda x: trim(x.emailAddress.address)), "
        "lambda x: x <> '')"
    )
    con.execute(
        "CREATE TABLE ln_msg AS SELECT row_number() OVER () AS line, "
        "nullif(trim(m.\"from\".emailAddress.address), '') AS sender, "
        "nullif(trim(m.internetMessageId), '') AS message_id, nullif(trim(m.sentDateTime), '') AS "
        f"ts_text, {ts} AS ts, {naive} AS naive, {addr.format('toRecipients')} AS to_list, "
        f"{addr.format('ccRecipients')} AS cc_list, NULL AS recipient, 'to' AS kind FROM {source}",
        {"p": str(path)},
    )
    staged.files.append((path, "email", int(con.execute("SELECT count(*) FROM ln_msg").fetchall()[0][0])))
    message_issues(con, path.name, staged, need_recipient=False)
    con.execute(PER_MESSAGE)


LAYOUT_OPTIONS = ("header", "delimiter", "quote", "timestamp_format", "recipients")


def layout_from_options(columns: Mapping[str, Any], options: Mapping[str, Any], base: Path) -> ExportLayout:
    """An :class:`ExportLayout` from a ``[[sources]]`` entry; paths relative to ``base``.

    Examples
    --------
    >>> second = {"path": "recipients.tsv", "header": False, "columns": {"message_id": 1, "recipient": 3}}
    >>> options = {"header": False, "recipients": second}
    >>> layout = layout_from_options({"message_id": 1, "sender": 5}, options, Path("/d"))
    >>> layout.column("sender"), layout.recipients_path.name, layout.recipients.column("recipient")
    ('column5', 'recipients.tsv', 'column3')
    """
    second = options.get("recipients")
    recipients, where = None, None
    if second is not None:
        if not isinstance(second, Mapping) or "path" not in second:
            raise InputError('recipients must be a table like { path = "recipients.csv", columns = { ... } }')
        where = (base / str(second["path"])).resolve()
        recipients = ExportLayout(
            dict(second.get("columns", {})),
            bool(second.get("header", True)),
            second.get("delimiter"),
            quote=str(second.get("quote", '"')),
        )
    return ExportLayout(
        dict(columns),
        bool(options.get("header", True)),
        options.get("delimiter"),
        str(options.get("timestamp_format", "auto")),
        str(options.get("quote", '"')),
        where,
        recipients,
    )
