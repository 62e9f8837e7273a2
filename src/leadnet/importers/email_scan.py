"""One-row-per-message exports (CSV or Parquet) → ``ln_mail`` + ``ln_rcpt``, reading the file once.

The general CSV path (:mod:`leadnet.importers.email_exports`) copies every row into
DuckDB, then reshapes it into one row per (message, recipient) and resolves addresses
afterwards. For the commonest export, one row per message with ``;``-separated To and
Cc lists, that costs several passes over the log. This path reads the file once, in
parallel, into a compact table (:data:`STAGE`): the time parsed, the recipients
counted, bad rows marked with their code and the To and Cc lists joined into one text
(Cc entries marked with a leading ``\x01`` so one split serves both). DuckDB keeps a
table's insertion order (``preserve_insertion_order``), so a row's ``rowid`` is its
place in the file and numbers the messages (``msg_seq``) without a window over every
row. From that table come the messages, the sender joined, as written, to the roster's
spellings (:func:`~leadnet.importers.headers.known_addresses`), and the recipient
entries, split once and joined the same way.

Only the addresses no roster spelling matched are classified in Python (each distinct
one once, :func:`~leadnet.importers.headers.classify`), so a large log whose addresses
are written as on the roster never leaves SQL. The tie rules then run on ``ln_mail`` and
``ln_rcpt`` unchanged (:mod:`leadnet.importers.aggregate`). Rows, codes, counts and
ties are those of the general path (tests check both on the same files).

Line numbers: DuckDB drops a rejected CSV row (``short-row``, ...) before numbering, so
the line of a later bad row is found by adding back the rejected lines before it, or,
in a file with blank lines or multi-line cells, by finding where its records start
(:class:`~leadnet.importers.email_rows.Numbering`). For Parquet the "line" is the
1-based row number. Addresses are then resolved as on every path
(:mod:`leadnet.importers.email_identity`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from leadnet.importers.email_columns import check_mapped_columns, column_types, csv_source
from leadnet.importers.email_read import (
    OUT_OF_YEARS,
    ExportLayout,
    Staged,
    address_entries_sql,
    epoch_sql,
    in_years_sql,
    quote_name,
    timestamp_sql,
)
from leadnet.importers.email_rows import Numbering, csv_numbering, strict_rejects
from leadnet.importers.identity import has_format_sql, visible_sql

SEPARATOR = r"\s*[;,][\s;,]*"


def applies(layout: ExportLayout) -> bool:
    """Whether ``layout`` is one row per message (a ``recipients`` list column, one file)."""
    return layout.column("recipient") is None and layout.recipients is None and "recipients" in layout.columns


def _plain(x: str) -> str:
    bad = ("','", "' '", "';;'", "'\"'", "'('", "chr(9)", "chr(10)", "chr(13)", "chr(1)")  # chr(1): Cc marker
    return (
        "NOT ("
        + " OR ".join([*(f"contains({x}, {c})" for c in bad), f"starts_with({x}, ';')", f"suffix({x}, ';')"])
        + ")"
    )


def _list_sql(expr: str | None, typ: str | None) -> str:
    """The addresses of a list cell as one ``;``-separated text without empty entries ('' for none).

    A machine-written cell (``a@x;b@x``) passes through untouched; others are cut at
    ``;`` or ``,`` with the spaces around them and empty entries dropped (regular
    expressions, only for those rows). A cell with a quote or a comment is cut as on the
    general path (:func:`~leadnet.importers.email_read.address_entries_sql`: not inside
    ``"Doe, Bob"``), and a ``;`` inside an entry is written ``\\x02`` until the entry is
    read (:data:`RCPT_RAW`). A Parquet list column is joined the same way.
    """
    if expr is None:
        return "''"
    if typ is not None and typ.endswith("[]"):
        trimmed = f"list_transform({expr}, lambda x: replace(trim(CAST(x AS VARCHAR)), ';', chr(2)))"
        return f"array_to_string(list_filter({trimmed}, lambda x: coalesce(x, '') <> ''), ';')"
    x = expr if typ == "VARCHAR" else f"CAST({expr} AS VARCHAR)"
    unmarked = f"replace({x}, chr(1), chr(3))"  # chr(1) marks Cc: another control character, still invalid
    ends = f"regexp_replace({unmarked}, '^[\\s;,]+|[\\s;,]+$', '', 'g')"
    messy = f"regexp_replace({ends}, '{SEPARATOR}', ';', 'g')"
    entries = address_entries_sql(unmarked)
    quoted = f"array_to_string(list_transform({entries}, lambda e: replace(e, ';', chr(2))), ';')"
    return (
        f"CASE WHEN {x} IS NULL THEN '' WHEN {_plain(x)} THEN {x} "
        f"WHEN contains({x}, '\"') OR contains({x}, '(') THEN {quoted} ELSE {messy} END"
    )


def _count_sql(joined: str) -> str:
    return (
        f"CASE WHEN {joined} = '' THEN 0 ELSE length({joined}) - length(replace({joined}, ';', '')) + 1 END"
    )


def _text(expr: str | None) -> str:
    return f"nullif(trim(CAST({expr} AS VARCHAR)), '')" if expr else "NULL"


def _time_sql(expr: str | None, typ: str | None, fmt: str) -> tuple[str, str]:
    """(timestamp or NULL, is-naive) for a time column of a CSV (text) or Parquet (typed) file.

    Text times are read from ``has_time``, the column trimmed once in :data:`STAGE`.
    """
    if expr is None:
        return "NULL", "FALSE"
    if typ == "TIMESTAMP WITH TIME ZONE":
        return expr, "FALSE"
    if typ is not None and (typ.startswith("TIMESTAMP") or typ == "DATE"):  # TRY: a date past DuckDB's times
        return f"CAST(TRY_CAST({expr} AS TIMESTAMP) AS TIMESTAMPTZ)", "TRUE"
    if typ is not None and typ in ("BIGINT", "INTEGER", "DOUBLE", "HUGEINT", "UBIGINT", "FLOAT"):
        return epoch_sql(f"CAST({expr} AS DOUBLE)"), "FALSE"
    return timestamp_sql("has_time", fmt, trimmed=True)


def _role(layout: ExportLayout, types: dict[str, str], role: str) -> tuple[str | None, str | None]:
    name = layout.column(role)
    return (None, None) if name is None else (quote_name(name), types[name])


STAGE = """CREATE TEMP TABLE ln_scan AS
SELECT message_id, mid_fixed, sender, ts, naive, n_recipients,
       CASE WHEN sender IS NULL THEN 'missing-from' WHEN has_time IS NULL THEN 'missing-date'
            WHEN ts IS NULL THEN 'bad-date' WHEN NOT {in_years} THEN '{out_of_years}' END AS code,
       CASE WHEN sender IS NOT NULL AND (ts IS NULL OR NOT {in_years}) THEN has_time END AS bad_time,
       CASE WHEN cl = '' THEN tl WHEN tl = '' THEN {cc_marked} ELSE tl || ';' || {cc_marked} END AS entries
FROM (SELECT {visible_id} AS message_id, {fixed_id} AS mid_fixed, sender, has_time, {ts} AS ts,
             {naive} AS naive, {n_to} + {n_cc} AS n_recipients, tl, cl
      FROM (SELECT {message_id} AS mid_raw, {sender} AS sender, {has_time} AS has_time, {time} AS time_raw,
                   {to_list} AS tl, {cc_list} AS cl
            FROM {source}))"""
"""The one read of the file: a row per accepted row, in file order (``rowid`` + 1 is
``msg_seq``, as insertion order is preserved), with the time parsed (its text trimmed once),
the row's code (and a time that cannot be parsed, or is outside years 1 to 9999, as written),
its Message-ID without invisible format characters (``mid_fixed``: it had some, counted
``id-normalised``) and its To and Cc entries joined into one text, each Cc entry marked with
a leading \\x01. The inner select names only what it computes, so a file column called
``tl`` or ``has_time`` cannot stand in for them."""

MAIL_RAW = """CREATE TEMP TABLE ln_mail_raw AS
SELECT s.rowid + 1 AS msg_seq, s.message_id, s.ts, s.n_recipients, s.naive, s.code,
       k.person AS sender_person, CASE WHEN k.person IS NULL THEN s.sender END AS sender_text
FROM ln_scan AS s LEFT JOIN ln_known AS k ON s.sender = k.key"""
"""Messages, with the sender joined to the roster's spellings."""

RCPT_RAW = """CREATE TEMP TABLE ln_rcpt_raw AS
SELECT r.msg_seq, k.person AS recipient_person,
       CASE WHEN k.person IS NULL THEN replace(r.address, chr(2), ';') END AS address_text, r.kind
FROM (SELECT msg_seq, CASE WHEN starts_with(entry, chr(1)) THEN substr(entry, 2) ELSE entry END AS address,
             CASE WHEN starts_with(entry, chr(1)) THEN 'cc' ELSE 'to' END AS kind
      FROM (SELECT rowid + 1 AS msg_seq, unnest(string_split(entries, ';')) AS entry FROM ln_scan)
      WHERE entry <> '') AS r
LEFT JOIN ln_known AS k ON r.address = k.key"""
"""Recipient entries, split once, each joined to the roster's spellings (a ``;`` inside an
entry, written ``\\x02`` by :func:`_list_sql`, restored)."""


def stage_message_table(con: Any, path: Path, layout: ExportLayout, staged: Staged, parquet: bool) -> None:
    """Create ``ln_mail_raw`` and ``ln_rcpt_raw`` from a one-row-per-message file."""
    if parquet:
        source, params, skip = "read_parquet($p)", {"p": str(path)}, 0
    else:
        source, params, skip = csv_source(path, layout, list(layout.columns))
    types = column_types(con, source, params)
    check_mapped_columns(path, layout, list(layout.columns), types)  # a CSV's header is checked as read
    roles = {
        role: _role(layout, types, role) for role in ("sender", "message_id", "timestamp", "recipients", "cc")
    }
    time, time_type = roles["timestamp"]
    ts, naive = _time_sql(time and "time_raw", time_type, layout.timestamp_format)
    lists = {"to_list": _list_sql(*roles["recipients"]), "cc_list": _list_sql(*roles["cc"])}
    cc_marked = "chr(1) || replace(cl, ';', ';' || chr(1))"
    con.execute("DROP TABLE IF EXISTS ln_scan")
    stage = STAGE.format(
        message_id=_text(roles["message_id"][0]), sender=_text(roles["sender"][0]),
        has_time=_text(time), time=time or "NULL", ts=ts, naive=naive, n_to=_count_sql("tl"),
        n_cc=_count_sql("cl"), cc_marked=cc_marked, source=source, in_years=in_years_sql("ts"),
        out_of_years=OUT_OF_YEARS, visible_id=visible_sql("mid_raw"), fixed_id=has_format_sql("mid_raw"),
        **lists,
    )  # fmt: skip
    con.execute(stage, params)
    rejects = [] if parquet else strict_rejects(con)
    rows = int(con.execute("SELECT count(*) FROM ln_scan").fetchall()[0][0])
    numbering = Numbering() if parquet else csv_numbering(path, params, skip, rejects, rows)
    staged.issues.extend(numbering.reject_issues(path.name, rejects))
    con.execute(MAIL_RAW)
    staged.files.append((path, "email", rows + len(rejects)))
    bad = con.execute(
        "SELECT rowid + 1, code, bad_time FROM ln_scan WHERE code IS NOT NULL ORDER BY rowid"
    ).fetchall()
    staged.issues.extend(numbering.issues(path.name, bad, layout))
    counted = con.execute(
        "SELECT count(*) FILTER (WHERE naive), count(*) FILTER (WHERE mid_fixed) FROM ln_scan "
        "WHERE code IS NULL"
    ).fetchall()[0]
    for name, count in zip(("naive-date", "id-normalised"), counted, strict=True):
        if count:
            staged.counts[name] = staged.counts.get(name, 0) + int(count)
    con.execute(RCPT_RAW)
    con.execute("DROP TABLE ln_scan")
