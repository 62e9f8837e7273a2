"""Email exports (CSV/TSV, Parquet and JSON) → staged tables, inside DuckDB.

Rows never become Python objects: DuckDB reads the file (strict CSV, bad rows to its
rejects table with their line) and SQL shapes it. One row per message goes the
streaming path of :mod:`leadnet.importers.email_scan`; one row per recipient becomes
``ln_mail_raw`` + ``ln_rcpt_raw`` here; the two-file and JSON layouts become the
``ln_raw`` event table first, then the same two tables
(:func:`~leadnet.importers.email_identity.raw_from_events`). Parquet files (``PAR1``)
are read with ``read_parquet``, every column as text on the general path; their "line"
is the 1-based row number. Layouts, chosen by the mapped columns:

- one row per message: ``sender``, ``recipients`` (a ``;``- or ``,``-separated list; a
  separator inside a quoted display name does not count),
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
``naive-date``. Row issues: ``missing-from``, ``missing-date``, ``bad-date`` (a time that
cannot be read, or that falls outside years 1 to 9999 in UTC: year 12024, a year BC,
``infinity``), ``missing-recipient``, ``unknown-message`` and DuckDB's ``short-row``, ``extra-cell``,
``bad-quote``, ``encoding`` (bytes that are not UTF-8); an unterminated quote, or a
header that is not UTF-8, fails naming its line; an XLSX, zip, gzip or OLE (.msg) file
fails with its type. Lines may end in ``\\n``, ``\\r\\n`` or ``\\r`` alone (Excel for
Mac). A row is reported on its file line, with blank lines and multi-line cells above it
counted (:mod:`leadnet.importers.email_rows`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from leadnet.errors import InputError
from leadnet.importers.email_identity import raw_from_events
from leadnet.importers.email_read import (
    OUT_OF_YEARS,
    ExportLayout,
    Staged,
    address_entries_sql,
    in_years_sql,
    quote_name,
    timestamp_sql,
)
from leadnet.importers.email_rows import Numbering, read_rows
from leadnet.importers.identity import has_format_sql, visible_sql
from leadnet.importers.table_files import not_found

__all__ = [  # ExportLayout and Staged live in email_read; importers and tests take them from here
    "LAYOUT_OPTIONS", "ExportLayout", "Staged", "layout_from_options", "message_issues",
    "stage_csv", "stage_json",
]  # fmt: skip

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


GRAPH_FIELDS = ExportLayout(
    {"sender": "from", "timestamp": "sentDateTime", "message_id": "internetMessageId"}
)
"""The fields of a Graph-shaped JSON message that its issues name as columns."""


_GOOD = f"sender IS NOT NULL AND {in_years_sql('ts')}"
"""A row of ``ln_msg`` that is not quarantined (a recipient aside): a sender and a time in years 1 to 9999."""


def _col(layout: ExportLayout, role: str) -> str:
    """A role's text in a table of :func:`~leadnet.importers.email_rows.read_rows` (columns named by role)."""
    return f"nullif(trim({quote_name(role)}), '')" if layout.column(role) else "NULL"


def _list(layout: ExportLayout, role: str) -> str:
    if not layout.column(role):
        return "CAST([] AS VARCHAR[])"
    return address_entries_sql(f"coalesce({quote_name(role)}, '')")


def message_id_sql(text: str | None) -> str:
    """SQL for ``message_id`` (without invisible format characters) and ``mid_fixed`` (it had some)
    from a Message-ID text already trimmed and never blank (``None``: the file has no Message-ID)."""
    if text is None:
        return "CAST(NULL AS VARCHAR) AS message_id, FALSE AS mid_fixed"
    return f"{visible_sql(text)} AS message_id, {has_format_sql(text)} AS mid_fixed"


def _messages(con: Any, source: str, layout: ExportLayout, fmt: str) -> None:
    ts, naive = timestamp_sql('"timestamp"' if layout.column("timestamp") else "NULL", fmt)
    mid = _col(layout, "message_id") if layout.column("message_id") else None
    con.execute(
        f"CREATE TABLE ln_msg AS SELECT seq, {_col(layout, 'sender')} AS sender, {message_id_sql(mid)}, "
        f"{_col(layout, 'timestamp')} AS ts_text, {ts} AS ts, {naive} AS naive, "
        f"{_list(layout, 'recipients')} AS to_list, {_list(layout, 'cc')} AS cc_list, "
        f"{_col(layout, 'recipient')} AS recipient, lower(coalesce({_col(layout, 'kind')}, 'to')) AS kind "
        f"FROM {source}"
    )


def message_issues(
    con: Any, file: str, staged: Staged, numbering: Numbering, layout: ExportLayout, *, need_recipient: bool
) -> None:
    """Quarantine rows of ``ln_msg`` without a sender, a time or (per-recipient) a recipient; count
    the others' ``naive-date`` and ``id-normalised`` (a Message-ID that lost a format character):
    a row rejected is counted only there, as on the one-row-per-message path."""
    recipient = "WHEN recipient IS NULL THEN 'missing-recipient'" if need_recipient else ""
    far = OUT_OF_YEARS
    rows = con.sql(
        f"SELECT seq, code, CASE WHEN code IN ('bad-date', '{far}') THEN ts_text END FROM (SELECT seq, "
        "ts_text, CASE WHEN sender IS NULL THEN 'missing-from' WHEN ts_text IS NULL THEN 'missing-date' "
        f"WHEN ts IS NULL THEN 'bad-date' WHEN NOT {in_years_sql('ts')} THEN '{far}' {recipient} "
        "END AS code FROM ln_msg) WHERE code IS NOT NULL ORDER BY seq"
    ).fetchall()
    staged.issues.extend(numbering.issues(file, rows, layout))
    kept = _GOOD + (" AND recipient IS NOT NULL" if need_recipient else "")
    counted = con.execute(
        f"SELECT count(*) FILTER (WHERE naive AND {kept}), count(*) FILTER (WHERE mid_fixed AND {kept}) "
        "FROM ln_msg"
    ).fetchall()[0]
    for name, count in zip(("naive-date", "id-normalised"), counted, strict=True):
        if count:
            staged.counts[name] = staged.counts.get(name, 0) + int(count)


PER_MESSAGE = f"""CREATE TABLE ln_raw AS
WITH good AS (SELECT * FROM ln_msg WHERE {_GOOD}),
r AS (SELECT seq, unnest(to_list) AS recipient, 'to' AS kind FROM good
      UNION ALL SELECT seq, unnest(cc_list), 'cc' FROM good)
SELECT g.seq AS msg_seq, g.message_id, g.sender, r.recipient, r.kind, g.ts,
       len(g.to_list) + len(g.cc_list) AS n_recipients
FROM good AS g LEFT JOIN r ON g.seq = r.seq"""
PER_RECIPIENT = [
    f"""CREATE TEMP TABLE ln_good AS SELECT seq, message_id, sender, recipient, kind, ts,
        coalesce(message_id, sender || '|' || CAST(ts AS VARCHAR)) AS mkey
        FROM ln_msg WHERE {_GOOD} AND recipient IS NOT NULL""",
    """CREATE TEMP TABLE ln_mkeys AS SELECT mkey, min(seq) AS msg_seq, min(message_id) AS message_id,
        min(sender) AS sender, min(ts) AS ts, count(DISTINCT recipient) AS n FROM ln_good GROUP BY mkey""",
    """CREATE TEMP TABLE ln_mail_raw AS SELECT m.msg_seq, m.message_id, m.ts, m.n AS n_recipients,
        FALSE AS naive, CAST(NULL AS VARCHAR) AS code, k.person AS sender_person,
        CASE WHEN k.person IS NULL THEN m.sender END AS sender_text
        FROM ln_mkeys AS m LEFT JOIN ln_known AS k ON m.sender = k.key""",
    """CREATE TEMP TABLE ln_rcpt_raw AS SELECT m.msg_seq, k.person AS recipient_person,
        CASE WHEN k.person IS NULL THEN g.recipient END AS address_text,
        CASE WHEN g.kind = 'cc' THEN 'cc' ELSE 'to' END AS kind
        FROM ln_good AS g JOIN ln_mkeys AS m ON g.mkey = m.mkey
        LEFT JOIN ln_known AS k ON g.recipient = k.key""",
    "DROP TABLE ln_good; DROP TABLE ln_mkeys; DROP TABLE ln_msg; DROP VIEW ln_rows; DROP TABLE ln_rows_read",
]
"""One row per recipient → the ``ln_mail_raw`` + ``ln_rcpt_raw`` tables of ``email_scan``."""
TWO_FILES = f"""CREATE TABLE ln_raw AS
WITH good AS (SELECT * FROM ln_msg WHERE {_GOOD}),
n AS (SELECT message_id, count(DISTINCT recipient) AS n FROM ln_rcp GROUP BY message_id)
SELECT g.seq AS msg_seq, g.message_id, g.sender, r.recipient, r.kind, g.ts,
       coalesce(n.n, 0) AS n_recipients
FROM good AS g LEFT JOIN ln_rcp AS r ON g.message_id = r.message_id
LEFT JOIN n ON g.message_id = n.message_id"""


def stage_csv(con: Any, path: Path, layout: ExportLayout, staged: Staged) -> None:
    """Stage a CSV or Parquet export (one or two files) as ``ln_mail_raw`` + ``ln_rcpt_raw``."""
    roles = [r for r in ("sender", "timestamp", "recipient", "recipients") if r in layout.columns] or [
        "sender"
    ]
    rows, numbering = read_rows(con, "ln_rows", path, layout, roles, staged)
    staged.files.append((path, "email", rows))
    _messages(con, "ln_rows", layout, layout.timestamp_format)
    per_recipient = layout.column("recipient") is not None
    message_issues(con, path.name, staged, numbering, layout, need_recipient=per_recipient)
    if per_recipient and layout.recipients is None:
        for statement in PER_RECIPIENT:
            con.execute(statement)
        return
    if layout.recipients is None or layout.recipients_path is None:
        con.execute(PER_MESSAGE)
    else:
        _stage_recipients(con, layout.recipients_path, layout.recipients, staged)
        con.execute(TWO_FILES)
    raw_from_events(con)


def _stage_recipients(con: Any, path: Path, layout: ExportLayout, staged: Staged) -> None:
    if not path.is_file():
        raise not_found(path)
    rows, numbering = read_rows(con, "ln_rcp_rows", path, layout, ["message_id", "recipient"], staged)
    staged.files.append((path, "email-recipients", rows))
    mid = _col(layout, "message_id") if layout.column("message_id") else None
    con.execute(
        f"CREATE TABLE ln_rcp_all AS SELECT seq, {message_id_sql(mid)}, "
        f"{_col(layout, 'recipient')} AS recipient, CASE WHEN lower({_col(layout, 'kind')}) = 'cc' THEN 'cc' "
        "ELSE 'to' END AS kind FROM ln_rcp_rows"
    )
    bad = con.sql(
        "SELECT seq, CASE WHEN recipient IS NULL THEN 'missing-recipient' ELSE 'unknown-message' END "
        "FROM ln_rcp_all "
        "WHERE recipient IS NULL OR message_id IS NULL OR message_id NOT IN (SELECT message_id FROM ln_msg "
        "WHERE message_id IS NOT NULL) ORDER BY seq"
    ).fetchall()
    staged.issues.extend(numbering.issues(path.name, bad, layout))
    con.execute(
        "CREATE TABLE ln_rcp AS SELECT * FROM ln_rcp_all WHERE recipient IS NOT NULL AND message_id IN "
        "(SELECT message_id FROM ln_msg WHERE message_id IS NOT NULL)"
    )
    (fixed,) = con.execute("SELECT count(*) FROM ln_rcp WHERE mid_fixed").fetchall()[0]
    if fixed:  # the join key: a Message-ID that lost a format character finds its message
        staged.counts["id-normalised"] = staged.counts.get("id-normalised", 0) + int(fixed)


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
    message_id = message_id_sql("nullif(trim(m.internetMessageId), '')")
    con.execute(
        "CREATE TABLE ln_msg AS SELECT row_number() OVER () AS seq, "
        "nullif(trim(m.\"from\".emailAddress.address), '') AS sender, "
        f"{message_id}, nullif(trim(m.sentDateTime), '') AS "
        f"ts_text, {ts} AS ts, {naive} AS naive, {addr.format('toRecipients')} AS to_list, "
        f"{addr.format('ccRecipients')} AS cc_list, NULL AS recipient, 'to' AS kind FROM {source}",
        {"p": str(path)},
    )
    staged.files.append((path, "email", int(con.execute("SELECT count(*) FROM ln_msg").fetchall()[0][0])))
    message_issues(con, path.name, staged, Numbering(), GRAPH_FIELDS, need_recipient=False)
    con.execute(PER_MESSAGE)
    raw_from_events(con)


LAYOUT_OPTIONS = ("header", "delimiter", "quote", "timestamp_format", "recipients")


def layout_from_options(
    columns: Mapping[str, Any], options: Mapping[str, Any], recipients_path: Path | None
) -> ExportLayout:
    """An :class:`ExportLayout` from a ``[[sources]]`` entry, its recipients file (``recipients.path``)
    read from ``recipients_path``, where :attr:`~leadnet.sources.SourceSection.recipients_path` finds it.

    Examples
    --------
    >>> second = {"path": "recipients.tsv", "header": False, "columns": {"message_id": 1, "recipient": 3}}
    >>> options = {"header": False, "recipients": second}
    >>> layout = layout_from_options({"message_id": 1, "sender": 5}, options, Path("/d/recipients.tsv"))
    >>> layout.column("sender"), layout.recipients_path.name, layout.recipients.column("recipient")
    ('column5', 'recipients.tsv', 'column3')
    """
    second = options.get("recipients")
    recipients = None
    if second is not None:
        if not isinstance(second, Mapping) or "path" not in second or recipients_path is None:
            raise InputError('recipients must be a table like { path = "recipients.csv", columns = { ... } }')
        recipients = ExportLayout(
            dict(second.get("columns", {})),
            bool(second.get("header", True)),
            second.get("delimiter"),
            quote=str(second.get("quote", '"')),
            map_key="recipients.columns",
        )
    return ExportLayout(
        dict(columns),
        bool(options.get("header", True)),
        options.get("delimiter"),
        str(options.get("timestamp_format", "auto")),
        str(options.get("quote", '"')),
        recipients_path if recipients is not None else None,
        recipients,
    )
