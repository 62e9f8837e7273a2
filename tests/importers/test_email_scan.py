"""The one-row-per-message path (CSV and Parquet, read once) gives what the general path gives."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadnet.errors import InputError
from leadnet.importers import email_rows, email_scan, email_stage
from leadnet.importers.email import detect_format, load_email
from leadnet.importers.email_columns import NAME_COLUMNS_FIX
from leadnet.importers.email_exports import ExportLayout
from leadnet.importers.email_read import with_uniform_line_ends
from leadnet.importers.email_rows import CsvText, Numbering, physical_lines, record_starts
from leadnet.importers.email_sql import TieRules
from leadnet.importers.headers import classify, known_addresses
from leadnet.importers.identity import Resolver

PEOPLE = pd.DataFrame(
    {
        "person_id": ["1", "2", "3", "4"],
        "email": [
            "alice@riverside.example",
            "bob@riverside.example",
            "carol@riverside.example",
            "dan@partner.example",
        ],
        "aliases": ["a.smith@riverside.example", "", "", ""],
    }
)
DOMAINS = ["riverside.example"]
LAYOUT = ExportLayout(
    {"sender": "from", "recipients": "to", "cc": "cc", "timestamp": "sent", "message_id": "id"}
)
# Every kind of cell the path must read as the general one does: spaces and commas around
# entries, empty entries, case, a display name, an alias, an external and an unknown
# address, a repeated recipient (To and Cc), a duplicate Message-ID, a short row (line 9)
# before a row with no sender (line 10) and a bad date (line 11), a naive time.
NO_SENDER = "(fill in the sender's address, or remove the row) [missing-from]"
BAD_TIME = (
    "(write it in ISO 8601, e.g. 2026-04-06T09:30:00Z, or as Unix seconds; or give the file's "
    'pattern, e.g. timestamp_format = "%d/%m/%Y %H:%M", in its [[sources]] entry) [bad-date]'
)
MESSY = """from,to,cc,sent,id
alice@riverside.example,bob@riverside.example;carol@riverside.example,,2024-01-02T10:00:00Z,m1
Alice@Riverside.example," bob@riverside.example , out@else.example ;",bob@riverside.example,2024-01-03T10:00:00Z,m2
bob@riverside.example,"Alice Smith <alice@riverside.example>",";;carol@riverside.example,",2024-01-04T10:00:00+01:00,m3
bob@riverside.example,a.smith@riverside.example;ghost@riverside.example,,2024-01-05 09:00,m4
carol@riverside.example,alice@riverside.example,bob@riverside.example,2024-01-06T10:00:00Z,m5
carol@riverside.example,alice@riverside.example,bob@riverside.example,2024-01-06T10:00:00Z,m5
carol@riverside.example,  ,bob@riverside.example,2024-01-07T10:00:00Z,m6
carol@riverside.example,alice@riverside.example
,bob@riverside.example,,2024-01-08T10:00:00Z,m8
alice@riverside.example,bob@riverside.example,,tomorrow,m9
dan@partner.example,alice@riverside.example,,1704448800,m10
"""  # noqa: E501


def _mail(folder: Path, *rows: str) -> Path:
    """``mail.csv`` in ``folder``: the ``from,to,cc,sent,id`` header, then ``rows``."""
    path = folder / "mail.csv"
    path.write_text("\n".join(["from,to,cc,sent,id", *rows]) + "\n", encoding="utf-8")
    return path


def _load(path: Path, layout: ExportLayout = LAYOUT, **kwargs):
    return load_email(path, Resolver(PEOPLE), layout=layout, internal_domains=DOMAINS,
                      rules=TieRules(min_messages=1), **kwargs)  # fmt: skip


def _general(path: Path, monkeypatch: pytest.MonkeyPatch, **kwargs):
    with monkeypatch.context() as patch:
        patch.setattr(email_scan, "applies", lambda layout: False)
        return _load(path, **kwargs)


@pytest.fixture(params=["streaming", "general"])
def load(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """The loader by either reader: the streaming scanner, or the general one it falls back to."""
    if request.param == "streaming":
        return _load
    return lambda path, **kwargs: _general(path, monkeypatch, **kwargs)


def _same(a, b) -> None:
    assert a.ties.values.tolist() == b.ties.values.tolist()
    assert a.person_counts.values.tolist() == b.person_counts.values.tolist()
    assert [str(i) for i in a.issues] == [str(i) for i in b.issues]
    assert a.normalisations == b.normalisations
    assert a.record.rows_read == b.record.rows_read and a.record.rows_rejected == b.record.rows_rejected


@pytest.mark.parametrize("external", ["drop", "pool"])
def test_messy_per_message_csv_gives_the_general_paths_ties_counts_and_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, external: str
) -> None:
    path = tmp_path / "mail.csv"
    path.write_text(MESSY, encoding="utf-8")
    fast, general = _load(path, external=external), _general(path, monkeypatch, external=external)
    _same(fast, general)
    assert [str(i) for i in fast.issues] == [
        'mail.csv line 9: 2 cells but the file has 5 columns (no "cc") (add the missing cells or delimiters) '
        "[short-row]",
        f'mail.csv line 10, column "from": no sender {NO_SENDER}',
        f'mail.csv line 11, column "sent": timestamp "tomorrow" cannot be parsed {BAD_TIME}',
    ]


def test_messy_per_message_csv_resolves_every_spelling_to_its_person(tmp_path: Path) -> None:
    path = tmp_path / "mail.csv"
    path.write_text(MESSY, encoding="utf-8")
    result = _load(path)
    ties = {(s, t): (w, c) for s, t, w, c in result.ties[["source", "target", "weight", "count"]].values}
    # m1 + m2 (bob in To and Cc: once, weight 1), Alice@ and the display name resolve to 1
    assert ties[("1", "2")] == (2.0, 2)
    assert ties[("2", "1")] == (2.0, 2)  # m3 display name, m4 alias a.smith
    assert ties[("3", "1")] == (1.0, 1)  # m5 once: the second copy is a duplicate
    assert ties[("3", "2")] == (1.0, 2)  # m5 and m6 by Cc, 0.5 each
    assert ("4", "1") not in ties  # dan's domain is not internal: external sender
    assert result.normalisations == {
        "duplicate-message-id": 1,
        "external-address": 1,
        "unknown-address": 1,
        "external-sender": 1,
        "naive-date": 1,
    }
    assert result.record.rows_read == 11


def test_parquet_export_with_typed_times_and_list_columns_reads_like_the_csv(tmp_path: Path) -> None:
    table = pa.table(
        {
            "id": ["m1", "m2", "m3"],
            "from": ["alice@riverside.example", "bob@riverside.example", None],
            "to": [
                ["bob@riverside.example", " carol@riverside.example "],
                ["alice@riverside.example"],
                ["x"],
            ],
            "cc": [[], ["carol@riverside.example"], []],
            "sent": pd.to_datetime(["2024-01-02T10:00Z", "2024-01-03T10:00Z", "2024-01-03T11:00Z"], utc=True),
        }
    )
    path = tmp_path / "mail.parquet"
    pq.write_table(table, path)
    assert detect_format(path) == "parquet"
    result = _load(path)
    assert result.ties[["source", "target", "weight", "count"]].values.tolist() == [
        ["1", "2", 1.0, 1],
        ["1", "3", 1.0, 1],
        ["2", "1", 1.0, 1],
        ["2", "3", 0.5, 1],
    ]
    assert [str(i) for i in result.issues] == [f'mail.parquet line 3, column "from": no sender {NO_SENDER}']
    assert result.record.rows_read == 3


def test_parquet_written_from_the_messy_csv_gives_the_same_ties(tmp_path: Path) -> None:
    clean = "\n".join(line for i, line in enumerate(MESSY.splitlines()) if i not in (8, 9)) + "\n"
    csv_path, parquet_path = tmp_path / "mail.csv", tmp_path / "mail.parquet"
    csv_path.write_text(clean, encoding="utf-8")
    pq.write_table(
        pa.Table.from_pandas(pd.read_csv(csv_path, dtype=str, keep_default_na=False)), parquet_path
    )
    from_csv, from_parquet = _load(csv_path), _load(parquet_path)
    assert from_parquet.ties.values.tolist() == from_csv.ties.values.tolist()
    assert from_parquet.person_counts.values.tolist() == from_csv.person_counts.values.tolist()


@pytest.mark.parametrize("parquet", [False, True])
def test_export_columns_named_like_the_readers_own_names_are_read_as_mapped(
    tmp_path: Path, parquet: bool
) -> None:
    # The one read once named its To and Cc lists ``tl`` and ``cl`` beside every column of the
    # file, so a file's own column of that name was read as the To list (Bob's "notes" made
    # ties to no one, and the real recipients were lost).
    csv_path = tmp_path / "mail.csv"
    csv_path.write_text(
        "from,to,cc,sent,id,tl,cl,has_time,time_raw\n"
        "alice@riverside.example,bob@riverside.example,carol@riverside.example,2024-01-02T10:00:00Z,m1,"
        "carol@riverside.example,bob@riverside.example,x,y\n",
        encoding="utf-8",
    )
    path = csv_path
    if parquet:
        path = tmp_path / "mail.parquet"
        pq.write_table(pa.Table.from_pandas(pd.read_csv(csv_path, dtype=str, keep_default_na=False)), path)
    result = _load(path)
    assert result.ties[["source", "target", "weight"]].values.tolist() == [["1", "2", 1.0], ["1", "3", 0.5]]
    assert not result.issues


def test_per_recipient_parquet_goes_the_general_path(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "Sender": ["alice@riverside.example"] * 3,
            "Recipient": ["bob@riverside.example", "carol@riverside.example", "bob@riverside.example"],
            "EventDate": ["2024-01-02T10:00:00Z", "2024-01-02T10:00:00Z", "2024-01-05T10:00:00Z"],
        }
    )
    path = tmp_path / "log.parquet"
    frame.to_parquet(path)
    layout = ExportLayout({"sender": "Sender", "recipient": "Recipient", "timestamp": "EventDate"})
    result = _load(path, layout=layout)
    assert result.ties[["source", "target", "count"]].values.tolist() == [["1", "2", 2], ["1", "3", 1]]
    assert result.person_counts.values.tolist() == [["1", 2, 0], ["2", 0, 2], ["3", 0, 1]]


_LOCAL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789._+-'", min_size=1, max_size=8)
_DOMAIN = st.sampled_from(
    ["riverside.example", "ward.riverside.example", "partner.example", "riverside.example.evil"]
)


@given(st.lists(st.tuples(_LOCAL, _DOMAIN), min_size=1, max_size=8, unique=True))
def test_every_known_spelling_is_what_classify_says(addresses: list[tuple[str, str]]) -> None:
    emails = [f"{local}@{domain}" for local, domain in addresses]
    people = pd.DataFrame({"person_id": [f"E{i}" for i in range(len(emails))], "email": emails})
    resolver = Resolver(people)
    for key, pid in known_addresses(resolver, DOMAINS).items():
        assert classify(key, resolver, DOMAINS) == (pid, "person")
        assert classify(key.upper() if "@" in key else key, resolver, DOMAINS) == (pid, "person")


def test_numbering_adds_back_rejected_rows() -> None:
    assert Numbering(skip=1, rejected=(3, 4, 7)).lines([1, 2, 3, 4]) == [2, 5, 6, 8]


def test_a_truncated_parquet_file_is_a_clear_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "mail.parquet"
    pq.write_table(pa.table({"from": ["alice@riverside.example"], "to": ["bob@riverside.example"]}), path)
    path.write_bytes(path.read_bytes()[:-20])
    with pytest.raises(InputError, match=r"mail.parquet: .*magic bytes.*\[bad-parquet\]"):
        _load(path)


def test_a_control_byte_in_a_list_cell_cannot_turn_a_to_address_into_a_cc(tmp_path: Path) -> None:
    # \x01 is the scan path's Cc marker: in a cell it neither makes bob a Cc (weight 0.5) nor is
    # quietly dropped (bob as a To); an address with a control character is invalid, and counted.
    path = _mail(tmp_path, "alice@riverside.example,\x01bob@riverside.example,,2024-01-02T10:00Z,m1")
    result = _load(path)
    assert result.ties.empty
    assert result.normalisations["invalid-address"] == 1


def test_a_parquet_file_without_a_mapped_column_names_the_file_and_the_columns_it_has(tmp_path: Path) -> None:
    path = tmp_path / "mail.parquet"
    pq.write_table(pa.table({"from": ["alice@riverside.example"], "sent": ["2024-01-02T10:00Z"]}), path)
    with pytest.raises(InputError) as caught:
        _load(path)
    assert str(caught.value) == (
        'mail.parquet: required columns "to", "cc", "id" not found; columns found: "from", "sent" (map the '
        "columns in leadnet.toml) [missing-column]"
    )


def test_a_truncated_parquet_recipients_file_is_an_error_naming_that_file(tmp_path: Path) -> None:
    (tmp_path / "messages.csv").write_text("id,from,sent\nm1,alice@riverside.example,2024-01-02T10:00Z\n")
    recipients = tmp_path / "recipients.parquet"
    pq.write_table(pa.table({"id": ["m1"], "to": ["bob@riverside.example"]}), recipients)
    recipients.write_bytes(recipients.read_bytes()[:-20])
    layout = ExportLayout(
        {"message_id": "id", "sender": "from", "timestamp": "sent"},
        recipients_path=recipients,
        recipients=ExportLayout({"message_id": "id", "recipient": "to"}),
    )
    with pytest.raises(InputError, match=r"recipients.parquet: .*\[bad-parquet\]"):
        _load(tmp_path / "messages.csv", layout=layout)


def _big_log(path: Path, rows: int) -> None:
    """A per-message log larger than DuckDB's 32 MB CSV buffer, so several threads read it.

    Line 2 and the last line share Message-ID ``dup`` with different recipients (the first
    in the file must win), a short row sits mid-file and the row after the last
    ``rows // 2`` good rows has no time.
    """
    filler = "x" * 60  # long ids: a large file with few rows
    body = [
        f"alice@riverside.example,bob@riverside.example,,2024-01-02T10:00:00Z,{filler}{i}"
        for i in range(rows)
    ]
    body[0] = "alice@riverside.example,carol@riverside.example,,2024-01-02T10:00:00Z,dup"
    body[rows // 2] = "alice@riverside.example,bob@riverside.example"  # short row
    body[-2] = "carol@riverside.example,alice@riverside.example,,,late"
    body[-1] = "alice@riverside.example,bob@riverside.example,,2024-01-03T10:00:00Z,dup"
    path.write_text("from,to,cc,sent,id\n" + "\n".join(body) + "\n", encoding="utf-8")


def test_a_log_read_by_several_threads_keeps_file_order(tmp_path: Path, load) -> None:
    rows = 400_000
    path = tmp_path / "mail.csv"
    _big_log(path, rows)
    assert path.stat().st_size > 40 * 2**20
    result = load(path, threads=4)
    ties = {(s, t): c for s, t, c in result.ties[["source", "target", "count"]].values}
    # the first "dup" (line 2, to carol) is kept; the last line (to bob) is the duplicate
    assert ties[("1", "3")] == 1
    assert ties[("1", "2")] == rows - 4  # every other good row is alice → bob
    assert [str(i) for i in result.issues] == [
        f'mail.csv line {rows // 2 + 2}: 2 cells but the file has 5 columns (no "cc") '
        "(add the missing cells or delimiters) [short-row]",
        f'mail.csv line {rows}, column "sent": no timestamp '
        "(fill in when the message was sent, or remove the row) [missing-date]",
    ]
    assert result.normalisations == {"duplicate-message-id": 1}


def test_rows_after_consecutive_rejected_rows_keep_their_lines(tmp_path: Path, load) -> None:
    path = _mail(
        tmp_path,
        "alice@riverside.example,bob@riverside.example,,2024-01-02T10:00Z,m1",
        "alice@riverside.example",
        "alice@riverside.example,bob@riverside.example",
        "alice@riverside.example,bob@riverside.example,,2024-01-03T10:00Z,m4",
        ",bob@riverside.example,,2024-01-03T10:00Z,m5",
        "bob@riverside.example,alice@riverside.example,,soon,m6",
    )
    result = load(path)
    assert [(i.line, i.code) for i in result.issues] == [
        (3, "short-row"), (4, "short-row"), (6, "missing-from"), (7, "bad-date"),
    ]  # fmt: skip
    assert result.ties[["source", "target", "count"]].values.tolist() == [["1", "2", 2]]


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_rows_after_blank_lines_and_multi_line_cells_are_reported_on_their_file_lines(
    tmp_path: Path, load, end: str
) -> None:
    # The reader numbers records, not lines: a reviewer's log reported a row after a blank line
    # and a two-line cell three lines early, on another row's line.
    lines = [
        "from,to,cc,sent,id",
        "alice@riverside.example,bob@riverside.example,,2024-01-02T10:00Z,m1",  # line 2
        "",  # line 3: blank, skipped without a count
        'alice@riverside.example,"bob@riverside.example;',  # lines 4-5: one row, a To list on two lines
        'carol@riverside.example",,2024-01-03T10:00Z,m2',
        '"<x1>","alice@riverside.example',  # lines 6-7: a short row on two lines
        'more"',
        "a,b",  # line 8: short
        "",  # line 9
        "",  # line 10
        ",bob@riverside.example,,2024-01-04T10:00Z,m3",  # line 11: no sender
        "bob@riverside.example,alice@riverside.example,,zz24-01-05,m4",  # line 12: bad time
    ]
    path = tmp_path / "mail.csv"
    path.write_bytes(end.join(lines).encode() + end.encode())
    result = load(path)
    assert [(i.line, i.code, i.column) for i in result.issues] == [
        (6, "short-row", None),
        (8, "short-row", None),
        (11, "missing-from", "from"),
        (12, "bad-date", "sent"),
    ]
    assert str(result.issues[1]) == (
        'mail.csv line 8: 2 cells but the file has 5 columns (no "cc") (add the missing cells or delimiters) '
        "[short-row]"
    )
    bad_time = f'mail.csv line 12, column "sent": timestamp "zz24-01-05" cannot be parsed {BAD_TIME}'
    assert str(result.issues[3]) == bad_time
    assert result.ties[["source", "target", "count"]].values.tolist() == [["1", "2", 2], ["1", "3", 1]]
    assert (result.record.rows_read, result.record.rows_rejected) == (6, 4)


@pytest.mark.parametrize("trailing", ["", ",,"])
def test_a_header_ending_in_blank_column_names_reads_rows_with_or_without_those_cells(
    tmp_path: Path, load, trailing: str
) -> None:
    # Saved with trailing delimiters, "...,id,," names two blank columns: rows that stop before
    # them were every one rejected as short.
    rows = [
        "alice@riverside.example,bob@riverside.example,,2024-01-02T10:00Z,m1",
        "alice@riverside.example,carol@riverside.example,bob@riverside.example,2024-01-03T10:00Z,m2",
        ",bob@riverside.example,,2024-01-04T10:00Z,m3",
    ]
    path = tmp_path / "mail.csv"
    path.write_text(
        "from,to,cc,sent,id,,\n" + "".join(f"{row}{trailing}\n" for row in rows), encoding="utf-8"
    )
    result = load(path)
    assert result.ties[["source", "target", "weight"]].values.tolist() == [
        ["1", "2", 1.5], ["1", "3", 1.0],
    ]  # fmt: skip
    assert [(i.line, i.code) for i in result.issues] == [(4, "missing-from")]


@pytest.mark.parametrize("above", ["\n\n", "sep=,\n\n", "\ufeff\n"])
def test_blank_lines_above_the_header_are_skipped_and_counted_in_line_numbers(
    tmp_path: Path, load, above: str
) -> None:
    # A log that began with blank lines failed as "file has no text, only blank lines".
    path = tmp_path / "mail.csv"
    path.write_text(
        above + "from,to,cc,sent,id\n"
        "alice@riverside.example,bob@riverside.example,,2024-01-02T10:00Z,m1\n"
        ",bob@riverside.example,,2024-01-04T10:00Z,m2\n",
        encoding="utf-8",
    )
    result = load(path)
    assert result.ties[["source", "target", "count"]].values.tolist() == [["1", "2", 1]]
    header = above.count("\n") + 1
    assert [(i.line, i.code) for i in result.issues] == [(header + 2, "missing-from")]


MIXED_ROWS = [
    "from,to,cc,sent,id",
    "alice@riverside.example,bob@riverside.example,,2024-01-02T10:00Z,m1",
    ",bob@riverside.example,,2024-01-04T10:00Z,m2",
    "alice@riverside.example,bob@riverside.example,,2024-01-05T10:00Z,m3",
]


@pytest.mark.parametrize(
    "ends",
    [
        ("\r\n", "\n", "\n", "\n"),
        ("\n", "\r\n", "\r\n", "\r\n"),
        ("\n", "\r\n", "\n", "\n"),
        ("\n", "\r", "\n", "\r"),
    ],
)
def test_a_log_that_mixes_line_ends_is_read_with_its_lines(
    tmp_path: Path, load, ends: tuple[str, ...]
) -> None:
    # One line saved with another line end stopped the reader with "invalid state" (a traceback
    # in validate); a blank CRLF line above LF rows read no row at all.
    path = tmp_path / "mail.csv"
    path.write_bytes("".join(row + end for row, end in zip(MIXED_ROWS, ends, strict=True)).encode())
    result = load(path)
    assert result.ties[["source", "target", "count"]].values.tolist() == [["1", "2", 2]]
    assert [(i.line, i.code) for i in result.issues] == [(3, "missing-from")]
    assert result.record.path == str(path) and result.record.rows_read == 3
    path.write_bytes(b"\r\n" + "\n".join(MIXED_ROWS).encode() + b"\n")
    assert [(i.line, i.code) for i in load(path).issues] == [(4, "missing-from")]


def test_a_line_end_that_changes_past_the_first_megabyte_is_read_too(tmp_path: Path, load) -> None:
    filler = [
        f"alice@riverside.example,bob@riverside.example,,2024-01-02T10:00Z,{'x' * 40}{i}"
        for i in range(15_000)
    ]
    rows = [MIXED_ROWS[0], *filler, MIXED_ROWS[2]]
    path = tmp_path / "mail.csv"
    path.write_bytes(("\n".join(rows[:-1]) + "\r\n" + rows[-1] + "\n").encode())
    assert path.stat().st_size > 1 << 20
    result = load(path)
    assert result.ties[["source", "target", "count"]].values.tolist() == [["1", "2", 15_000]]
    assert [(i.line, i.code) for i in result.issues] == [(15_002, "missing-from")]


def test_text_after_a_closing_quote_is_a_quarantined_row_not_an_unclosed_quote(tmp_path: Path, load) -> None:
    # The reader words both alike; the whole file failed as "a quote opened here is never closed".
    path = _mail(
        tmp_path,
        'alice@riverside.example,"bob@riverside.example"x,,2024-01-02T10:00Z,m1',
        "alice@riverside.example,bob@riverside.example,,2024-01-03T10:00Z,m2",
    )
    result = load(path)
    assert [str(i) for i in result.issues] == [
        'mail.csv line 2, column "to": text after a closing quote (quote the whole cell: "a ""b"" c") '
        "[bad-quote]"
    ]
    assert result.ties[["source", "target", "count"]].values.tolist() == [["1", "2", 1]]
    _mail(tmp_path, 'alice@riverside.example,"bob@riverside.example,,2024-01-02T10:00Z,m1', "a,b,c,d,e")
    unclosed = r"mail.csv line 2: unterminated quote opened here \(close the quote or remove it\)"
    with pytest.raises(InputError, match=unclosed + r" \[unterminated-quote\]"):
        load(path)


def test_a_recipients_file_whose_line_ends_change_is_read_too(tmp_path: Path) -> None:
    # The messages file was mended, not the recipients file: a traceback ("ln_rows_read already exists").
    (tmp_path / "messages.csv").write_text(
        "id,from,sent\nm1,alice@riverside.example,2024-01-02T10:00Z\nm2,bob@riverside.example,2024-01-03T10:00Z\n"
    )
    recipients = tmp_path / "recipients.csv"
    recipients.write_bytes(b"id,to\r\nm1,bob@riverside.example\r\nm2,carol@riverside.example\nm9,x\n")
    layout = ExportLayout(
        {"message_id": "id", "sender": "from", "timestamp": "sent"},
        recipients_path=recipients,
        recipients=ExportLayout({"message_id": "id", "recipient": "to"}),
    )
    result = _load(tmp_path / "messages.csv", layout=layout)
    assert result.ties[["source", "target", "count"]].values.tolist() == [["1", "2", 1], ["2", "3", 1]]
    assert [(i.file, i.line, i.code) for i in result.issues] == [("recipients.csv", 4, "unknown-message")]
    assert [r.path for r in result.records] == [str(tmp_path / "messages.csv"), str(recipients)]


def test_an_excel_crlf_log_with_line_feeds_inside_cells_is_read_without_a_copy(
    tmp_path: Path, load, monkeypatch: pytest.MonkeyPatch
) -> None:
    copies: list[Path] = []
    real = email_stage.with_uniform_line_ends
    monkeypatch.setattr(email_stage, "with_uniform_line_ends", lambda p, f: copies.append(p) or real(p, f))
    path = tmp_path / "mail.csv"
    path.write_bytes(
        b"from,to,cc,sent,id\r\n"
        b'alice@riverside.example,"bob@riverside.example;\ncarol@riverside.example",,2024-01-02T10:00Z,m1\r\n'
        b",bob@riverside.example,,2024-01-03T10:00Z,m2\r\n"
    )
    result = load(path)
    assert result.ties[["source", "target", "count"]].values.tolist() == [["1", "2", 1], ["1", "3", 1]]
    assert [(i.line, i.code) for i in result.issues] == [(4, "missing-from")] and copies == []


def test_a_first_row_with_a_cell_over_128_kib_beside_blank_header_names_is_read(tmp_path: Path, load) -> None:
    # Reading the first row to find its width failed on Python's csv cell limit: a traceback.
    long_id = "m" + "x" * 200_000  # under the reader's 2 MB row limit
    path = tmp_path / "mail.csv"
    path.write_text(
        f"from,to,cc,sent,id,,\nalice@riverside.example,bob@riverside.example,,2024-01-02T10:00Z,{long_id}\n"
    )
    assert load(path).ties[["source", "target", "count"]].values.tolist() == [["1", "2", 1]]


@pytest.mark.parametrize("chunk", [1, 2, 3, 1 << 24])
def test_uniform_line_ends_keep_every_line(tmp_path: Path, chunk: int) -> None:
    path = tmp_path / "mail.csv"
    path.write_bytes(b'a\r\nb\rc\n\r\n"d\r\ne"\r')
    (tmp_path / "out").mkdir()
    copy = with_uniform_line_ends(path, tmp_path / "out", chunk_bytes=chunk)
    assert copy.name == "mail.csv"
    assert copy.read_bytes() == b'a\nb\nc\n\n"d\ne"\n'
    assert physical_lines(copy) == physical_lines(path) == 6


@pytest.mark.parametrize("text", ["", "a", "a\n", "a\r\nb", "a\r\n\r\n", "\r\r\n\n", "a\rb\r", "\n\nx"])
@pytest.mark.parametrize("chunk", [1, 2, 3, 1 << 24])
def test_physical_lines_counts_each_kind_of_line_end_across_reads(
    tmp_path: Path, text: str, chunk: int
) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode())
    assert physical_lines(path, chunk_bytes=chunk) == len(text.splitlines())


def test_a_log_with_no_reported_row_is_not_read_again_for_lines(
    tmp_path: Path, load, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every clean import counted the file's line ends for an empty list of rows (0.8 s a gigabyte).
    counted: list[Path] = []
    monkeypatch.setattr(email_rows, "physical_lines", lambda path, *a: counted.append(path) or 0)
    path = _mail(tmp_path, "alice@riverside.example,bob@riverside.example,,2024-01-02T10:00Z,m1")
    assert load(path).issues == () and counted == []
    _mail(tmp_path, ",bob@riverside.example,,2024-01-02T10:00Z,m1")
    assert [(i.line, i.code) for i in load(path).issues] == [(2, "missing-from")] and counted == [path]


def test_a_file_whose_records_the_csv_reader_cannot_match_keeps_record_numbers(tmp_path: Path) -> None:
    path = tmp_path / "mail.csv"
    path.write_text("from,to\n\nalice,bob\n", encoding="utf-8")
    text = CsvText(path, ",", '"')
    # 3 records (header, blank, a row): one accepted row matches, two do not
    assert record_starts(text, 1, (), 1) is not None
    assert record_starts(text, 1, (), 2) is None
    assert record_starts(text, 1, (2,), 0) is None  # a blank record cannot be a rejected row
    assert Numbering(1, (), text, 2).lines([1]) == [2]  # no match: the record number stands


def test_bytes_that_are_not_utf8_are_a_row_issue_or_a_clear_error(tmp_path: Path, load) -> None:
    path = tmp_path / "mail.csv"
    path.write_bytes(
        b"from,to,cc,sent,id\nalice@riverside.example,bob@riverside.example,,2024-01-02T10:00Z,m1\n"
        b"alice@riverside.example,b\xe9b@riverside.example,,2024-01-02T10:00Z,m2\n"
    )
    result = load(path)
    assert [(i.line, i.code) for i in result.issues] == [(3, "encoding")]
    assert result.ties[["source", "target", "count"]].values.tolist() == [["1", "2", 1]]
    path.write_bytes(b"fr\xe9m,to,cc,sent,id\n")  # in the header: nothing can be mapped
    with pytest.raises(InputError, match=r"mail.csv line 1: byte 0xe9 is not valid UTF-8.*\[encoding\]"):
        load(path)


def test_row_over_the_readers_size_limit_is_rejected_saying_so(tmp_path: Path, load) -> None:
    path = tmp_path / "mail.csv"
    huge = '"bob@riverside.example;' + "y" * 2_100_000 + '@riverside.example"'
    row = f"alice@riverside.example,{huge},,2024-01-02T11:00:00Z,m2"
    assert len(row) == 2_100_091
    path.write_text(
        "from,to,cc,sent,id\n"
        "alice@riverside.example,bob@riverside.example,,2024-01-02T10:00:00Z,m1\n"
        f"{row}\n"
        "carol@riverside.example,bob@riverside.example,,2024-01-02T12:00:00Z,m3\n",
        encoding="utf-8",
    )
    result = load(path)
    assert [str(i) for i in result.issues] == [
        "mail.csv line 3: the row is 2,100,091 bytes long, over the reader's limit of 2,000,000 bytes "
        "per row (one message's headers are rarely this long: check the row for a runaway field "
        "(a huge To list or Message-ID) and shorten it in the export, or remove the row) [row-too-long]"
    ]
    assert result.ties[["source", "target", "count"]].values.tolist() == [["1", "2", 1], ["3", "2", 1]]
    assert (result.record.rows_read, result.record.rows_rejected) == (3, 1)


@pytest.mark.parametrize("parquet", [False, True])
def test_headers_named_after_the_roles_need_no_column_map(tmp_path: Path, parquet: bool) -> None:
    per_message = pd.DataFrame({
        "Sender": ["alice@riverside.example", "bob@riverside.example"],
        "recipients": ["bob@riverside.example", "alice@riverside.example"],
        "cc": ["carol@riverside.example", ""],
        "timestamp": ["2024-01-02T10:00:00Z", "2024-01-03T10:00:00Z"],
        "message_id": ["m1", "m2"],
    })  # fmt: skip
    per_recipient = pd.DataFrame({
        "sender": ["alice@riverside.example"] * 2,
        "recipient": ["bob@riverside.example", "carol@riverside.example"],
        "timestamp": ["2024-01-02T10:00:00Z"] * 2,
    })  # fmt: skip
    for frame, expected in (
        (per_message, [["1", "2", 1.0], ["1", "3", 0.5], ["2", "1", 1.0]]),
        (per_recipient, [["1", "2", 1.0], ["1", "3", 1.0]]),
    ):
        path = tmp_path / ("mail.parquet" if parquet else "mail.csv")
        if parquet:
            frame.to_parquet(path)
        else:
            frame.to_csv(path, index=False, sep=";")
        result = _load(path, ExportLayout())
        assert result.issues == ()
        assert result.ties[["source", "target", "weight"]].values.tolist() == expected


def _load_error(path: Path) -> str:
    """The error of reading ``path`` as an e-mail export with no column map."""
    with pytest.raises(InputError) as caught:
        _load(path, ExportLayout())
    return str(caught.value)


def test_an_export_without_a_recipients_column_fails_instead_of_giving_no_ties(tmp_path: Path) -> None:
    path = tmp_path / "mail.csv"
    path.write_text("sender,to,timestamp\nalice@riverside.example,bob@riverside.example,2024-01-02\n")
    assert _load_error(path) == (
        'mail.csv line 1: no column is mapped to recipients; columns found: "sender", "to", "timestamp" '
        f"({NAME_COLUMNS_FIX}) [missing-column]"
    )
    with pytest.raises(
        InputError, match=r"mapped to sender or recipients; columns found: .*\[missing-column\]"
    ):
        _load(path, ExportLayout({"timestamp": "timestamp"}))


def test_a_file_that_is_no_table_is_refused_without_quoting_its_first_line(tmp_path: Path) -> None:
    # A path in leadnet.toml led to /etc/passwd; the message quoted its first line as a column found.
    path = tmp_path / "passwd"
    path.write_text("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n")
    assert _load_error(path) == (
        "passwd line 1: no column is mapped to sender or recipients; the first line has no comma, semicolon "
        "or tab, so the file is probably not a table (check the path; a table is a CSV file, its columns "
        "split by commas, semicolons or tabs, or an XLSX workbook) [missing-column]"
    )


def test_a_csv_with_cr_only_line_ends_is_read_like_any_other(tmp_path: Path, load) -> None:
    path = tmp_path / "mail.csv"  # as Excel for Mac saves CSV: "\r" alone ends each line
    path.write_bytes(
        b"sender,recipients,cc,timestamp,message_id\r"
        b"alice@riverside.example,bob@riverside.example,,2024-01-02T10:00:00Z,m1\r"
        b"alice@riverside.example,bob@riverside.example\r"
        b",bob@riverside.example,,2024-01-03T10:00:00Z,m3\r"
        b"bob@riverside.example,carol@riverside.example,,2024-01-04T10:00:00Z,m4\r"
    )
    result = load(path, layout=ExportLayout())
    assert [(i.line, i.code) for i in result.issues] == [(3, "short-row"), (4, "missing-from")]
    assert result.ties[["source", "target", "count"]].values.tolist() == [["1", "2", 1], ["2", "3", 1]]


def test_a_separator_inside_a_quoted_display_name_does_not_split_the_address(tmp_path: Path, load) -> None:
    path = _mail(
        tmp_path,
        'alice@riverside.example,"""Doe, Bob"" <bob@riverside.example>; Carol <carol@riverside.example>",,'
        "2024-01-02T10:00:00Z,m1",
        'carol@riverside.example,"""Smith; Alice""<alice@riverside.example>",'
        '"""Doe, Bob"" <bob@riverside.example>",2024-01-03T10:00:00Z,m2',
    )
    result = load(path)
    assert result.normalisations == {}
    assert result.ties[["source", "target", "weight"]].values.tolist() == [
        ["1", "2", 1.0], ["1", "3", 1.0], ["3", "1", 1.0], ["3", "2", 0.5],
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("content", "found", "fix"),
    [
        (
            "xlsx",
            "an XLSX workbook",
            'e-mail exports are read from CSV, not XLSX: save the sheet as "CSV UTF-8"',
        ),
        ("gzip", "a gzip-compressed file", "decompress it first"),
        ("msg", "an OLE compound file (an Outlook .msg or a legacy Excel .xls)", "for Outlook .msg files"),
    ],
)
def test_a_workbook_archive_or_msg_renamed_csv_fails_with_its_real_type(
    tmp_path: Path, content: str, found: str, fix: str
) -> None:
    path = tmp_path / "mail.csv"
    if content == "xlsx":
        pd.DataFrame({"sender": ["alice@riverside.example"]}).to_excel(path, index=False, engine="openpyxl")
    elif content == "gzip":
        path.write_bytes(gzip.compress(MESSY.encode()))
    else:
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    with pytest.raises(InputError) as caught:
        _load(path, ExportLayout())
    assert str(caught.value).startswith(f"mail.csv: file is {found}, not CSV text ({fix}")
    assert str(caught.value).endswith("[wrong-file-type]")


def test_invisible_characters_in_addresses_are_removed_and_counted(tmp_path: Path, monkeypatch) -> None:
    # A soft hyphen after the domain made Bob's address external; a zero-width space in the
    # local part made Carol unknown. Both are who they show as, counted as id-normalised.
    rows = (
        "bob@riverside.example\u00ad,alice@riverside.example,,2024-01-02T10:00:00Z,m1",
        "alice@riverside.example,car\u200bol@riverside.example,,2024-01-03T10:00:00Z,m2",
    )
    for load in (_load, lambda path: _general(path, monkeypatch)):
        result = load(_mail(tmp_path, *rows))
        assert result.ties[["source", "target"]].values.tolist() == [["1", "3"], ["2", "1"]]
        assert result.normalisations == {"id-normalised": 2}
