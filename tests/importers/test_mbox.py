"""mbox / .eml import: QUALITY.md's email catalogue, one test per row."""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from leadnet.errors import InputError
from leadnet.importers.email import load_email
from leadnet.importers.email_sql import TieRules
from leadnet.importers.headers import parse_headers
from leadnet.importers.identity import Resolver
from leadnet.importers.mbox import MBOX_FIX, STRAY_FIX, iter_mbox, looks_like_mbox

PEOPLE = pd.DataFrame(
    {
        "person_id": ["1", "2", "3"],
        "email": ["alice@riverside.example", "bob@riverside.example", "carol@riverside.example"],
    }
)
DOMAINS = ["riverside.example"]
DATE = "Date: Tue, 02 Jan 2024 10:00:00 +0100"


def message(headers: str, body: str = "hello", sender: str = "alice@riverside.example") -> str:
    return f"From {sender} Tue Jan  2 09:00:00 2024\n{headers}\n\n{body}\n\n"


def ok(
    n: int, frm: str = "alice@riverside.example", to: str = "bob@riverside.example", extra: str = ""
) -> str:
    return message(f"From: {frm}\nTo: {to}\n{DATE}\nMessage-ID: <m{n}@riverside.example>{extra}")


def load(tmp_path: Path, text: str, **kwargs):
    box = tmp_path / "mail.mbox"
    box.write_bytes(text.encode("utf-8"))
    return load_email(
        box, Resolver(PEOPLE), internal_domains=DOMAINS, rules=TieRules(min_messages=1), **kwargs
    )


def test_body_line_starting_from_makes_no_phantom_message(tmp_path: Path) -> None:
    body = "From the desk of Alice\n\nFrom here on, all is body\n>From quoted"
    result = load(
        tmp_path, message(f"From: alice@riverside.example\nTo: bob@riverside.example\n{DATE}", body) + ok(2)
    )
    assert result.record.rows_read == 2
    assert result.ties[["source", "target", "count"]].values.tolist() == [["1", "2", 2]]
    assert [m.line for m in iter_mbox(tmp_path / "mail.mbox")] == [1, 11]


def test_text_before_the_first_from_line_is_one_rejected_entry_on_its_first_line(tmp_path: Path) -> None:
    stray = "\n\nReturn-Path: <alice@riverside.example>\nX-Note: exported by hand\n\na stray note\n\n"
    result = load(tmp_path, stray + ok(1) + ok(2))
    assert [str(i) for i in result.issues] == [
        "mail.mbox line 3: lines 3-6, before the first From_ line, are not a message, starting with a "
        f'"Return-Path" header ({STRAY_FIX}) [stray-text]'
    ]
    assert (result.record.rows_read, result.record.rows_accepted, result.record.rows_rejected) == (3, 2, 1)
    assert result.ties[["source", "target", "count"]].values.tolist() == [["1", "2", 2]]
    assert [(m.line, m.stray is not None) for m in iter_mbox(tmp_path / "mail.mbox")] == [
        (3, True),
        (8, False),
        (16, False),
    ]
    one = load(tmp_path, "garbage\n\n" + ok(1))
    assert [(i.line, i.code, i.detail) for i in one.issues] == [
        (1, "stray-text", "line 1, before the first From_ line, is not a message, starting with text that is "
         "not a header"),
    ]  # fmt: skip
    assert (one.record.rows_read, one.record.rows_rejected) == (2, 1)


def test_a_utf8_byte_order_mark_before_the_first_from_line_is_skipped(tmp_path: Path) -> None:
    result = load(tmp_path, "\ufeff" + ok(1) + ok(2))
    assert result.issues == ()
    assert (result.record.rows_read, result.record.rows_accepted) == (2, 2)
    first, second = iter_mbox(tmp_path / "mail.mbox")
    assert [(first.line, first.offset), (second.line, second.offset)] == [(1, 3), (9, 3 + 191)]
    assert looks_like_mbox(tmp_path / "mail.mbox")


def test_an_iso_dated_from_line_between_messages_starts_a_message(tmp_path: Path) -> None:
    iso = ok(2, frm="bob@riverside.example", to="carol@riverside.example").replace(
        "Tue Jan  2 09:00:00 2024", "2024-01-02T09:00:00Z"
    )
    not_from_lines = (
        ">From alice@riverside.example 2024-01-02T09:00:00Z\n\n"  # mboxrd/mboxo-escaped body line
        "From alice@riverside.example 2024-01-02T09:00:00Z wrote:\n\n"  # text after the date
        "From alice 2024-01-02T09:00:00Z"  # no address
    )
    first = ok(1).replace("hello", not_from_lines)
    result = load(tmp_path, first + iso + ok(3, frm="carol@riverside.example", to="alice@riverside.example"))
    assert [m.line for m in iter_mbox(tmp_path / "mail.mbox")] == [1, 13, 21]
    assert (result.record.rows_read, result.record.rows_accepted, result.record.rows_rejected) == (3, 3, 0)
    assert result.ties[["source", "target", "count"]].values.tolist() == [
        ["1", "2", 1],
        ["2", "3", 1],
        ["3", "1", 1],
    ]


def test_header_line_with_no_colon_quarantines_the_message(tmp_path: Path) -> None:
    bad = message(f"From: alice@riverside.example\nthis line has no colon\nTo: bob@riverside.example\n{DATE}")
    result = load(tmp_path, ok(1) + bad)
    assert [str(i) for i in result.issues] == [
        "mail.mbox line 9: malformed header block (MissingHeaderBodySeparatorDefect) (message at byte 191) "
        "[malformed-header]"
    ]
    assert (result.record.rows_read, result.record.rows_accepted, result.record.rows_rejected) == (2, 1, 1)


def test_rfc2047_word_with_unknown_charset_is_decoded_and_counted(tmp_path: Path) -> None:
    result = load(tmp_path, ok(1, frm="=?x-bogus?Q?Al=E9?= <alice@riverside.example>"))
    assert result.issues == ()
    assert result.normalisations == {"bad-charset": 1}
    assert result.ties[["source", "target"]].values.tolist() == [["1", "2"]]


def test_raw_utf8_addresses_resolve_as_in_a_csv_export_and_latin1_ones_are_bad_charset(
    tmp_path: Path,
) -> None:
    # RFC 6532 headers in raw UTF-8 were read byte by byte as undecodable: the address kept
    # surrogate escapes and the import ended in a UnicodeEncodeError traceback.
    people = pd.concat([PEOPLE, pd.DataFrame({"person_id": ["4"], "email": ["jörg@riverside.example"]})])
    utf8 = ok(1, frm="Jörg <jörg@riverside.example>", to="carol\u200b@riverside.example").encode()
    name = ok(2, to="J\xf6rg <bob@riverside.example>").encode().replace(b"\xc3\xb6", b"\xf6")
    address = ok(3, to="j\xf6rg@riverside.example").encode().replace(b"\xc3\xb6", b"\xf6")
    box = tmp_path / "mail.mbox"
    box.write_bytes(utf8 + name + address)
    rules = TieRules(min_messages=1)
    result = load_email(box, Resolver(people), internal_domains=DOMAINS, rules=rules)
    assert [str(i) for i in result.issues] == [
        f"mail.mbox line 17: To address holds bytes that are not UTF-8 (0xF6) (message at byte "
        f"{len(utf8 + name)}) (export the mailbox again in UTF-8) [bad-charset]"
    ]
    assert result.normalisations == {"id-normalised": 1, "bad-charset": 1}
    assert result.ties[["source", "target", "count"]].values.tolist() == [["1", "2", 1], ["4", "3", 1]]
    csv = tmp_path / "mail.csv"
    csv.write_text(
        "sender,recipients,timestamp\njörg@riverside.example,carol\u200b@riverside.example,"
        "2024-01-02T09:00:00Z\n",
        encoding="utf-8",
    )
    exported = load_email(csv, Resolver(people), internal_domains=DOMAINS, rules=rules)
    assert exported.normalisations == {"id-normalised": 1}
    assert exported.ties[["source", "target", "count"]].values.tolist() == [["4", "3", 1]]
    latin1_id = b"From: a@x.org\nDate: Tue, 2 Jan 2024 10:00:00 +0000\nMessage-ID: <m\xf6@x.org>\n"
    assert parse_headers(latin1_id).notes == ("bad-charset",)  # was not counted at all


def test_missing_and_duplicate_from_are_quarantined(tmp_path: Path) -> None:
    missing = message(f"To: bob@riverside.example\n{DATE}")
    twice = message(
        f"From: alice@riverside.example\nFrom: carol@riverside.example\nTo: bob@riverside.example\n{DATE}"
    )
    two = message(
        f"From: alice@riverside.example, carol@riverside.example\nTo: bob@riverside.example\n{DATE}"
    )
    result = load(tmp_path, missing + twice + two)
    assert [(i.line, i.code, i.detail.split(" (")[0]) for i in result.issues] == [
        (1, "missing-from", "no From header"),
        (7, "duplicate-from", "2 From headers"),
        (15, "duplicate-from", "From names 2 addresses"),
    ]


def test_bad_dates_are_quarantined_and_naive_dates_taken_as_utc(tmp_path: Path) -> None:
    naive = message(
        "From: alice@riverside.example\nTo: bob@riverside.example\nDate: Tue, 02 Jan 2024 23:30:00 -0000"
    )
    bad = message("From: alice@riverside.example\nTo: bob@riverside.example\nDate: sometime last week")
    none = message("From: alice@riverside.example\nTo: bob@riverside.example")
    # past year 9999 once in UTC: a bad date too, not a "malformed header" (a reviewer's case)
    late = message(
        "From: alice@riverside.example\nTo: bob@riverside.example\nDate: Fri, 31 Dec 9999 23:59:59 -0100"
    )
    result = load(tmp_path, naive + bad + none + late, snapshot_by="month")
    assert [(i.line, i.code) for i in result.issues] == [
        (8, "bad-date"),
        (15, "missing-date"),
        (21, "bad-date"),
    ]
    assert result.normalisations["naive-date"] == 1
    assert list(result.by_period) == ["2024-01"]


def test_a_date_outside_years_1_to_9999_is_a_bad_date_like_in_an_export(tmp_path: Path) -> None:
    # The export readers call such a time bad-date, naming it and the fix; the mbox reader
    # said only "cannot be parsed", and counted a message on 9999-12-31 outside-period.
    def dated(n: int, date: str) -> str:
        return message(f"From: alice@riverside.example\nTo: bob@riverside.example\nDate: {date}\n"
                       f"Message-ID: <m{n}@riverside.example>")  # fmt: skip

    far = dated(1, "Tue, 2 Jan 12024 10:00:00 +0000")
    late = dated(2, "Fri, 31 Dec 9999 23:30:00 -0100")
    last = dated(3, "Fri, 31 Dec 9999 10:00:00 +0000")
    result = load(tmp_path, far + late + last)
    assert [str(i) for i in result.issues] == [
        'mail.mbox line 1: Date "Tue, 2 Jan 12024 10:00:00 +0000" is not in years 1 to 9999 (UTC) '
        "(correct the Date header, or remove the message) [bad-date]",
        'mail.mbox line 9: Date "Fri, 31 Dec 9999 23:30:00 -0100" is not in years 1 to 9999 (UTC) '
        f"(message at byte {len(far.encode())}) (correct the Date header, or remove the message) [bad-date]",
    ]
    assert "outside-period" not in result.normalisations
    assert result.ties[["source", "target", "count"]].values.tolist() == [["1", "2", 1]]


def test_a_year_written_with_four_digits_is_that_year_as_in_a_csv_export(tmp_path: Path) -> None:
    # Python reads every year below 100 as two digits, 0044 as 2044 and 0001 as 2001, and two
    # digits 50-68 as 20xx; RFC 5322 reads them 19xx. The CSV export of the same messages, beside.
    dates = ["Mon, 1 Jan 0044 10:00:00 +0000", "Mon, 1 Jan 0001 00:30:00 +0100", "Sat, 1 Jan 55 10:00 +0000"]
    times = ["0044-01-01T10:00:00Z", "0001-01-01T00:30:00+01:00", "1955-01-01T10:00:00Z"]
    texts = [
        message(f"From: alice@riverside.example\nTo: bob@riverside.example\nDate: {d}\nMessage-ID: <m{n}@x>")
        for n, d in enumerate([*dates, "Tue, 2 Jan 24 10:00:00 +0000"])
    ]
    (tmp_path / "mail.mbox").write_text("".join(texts), encoding="utf-8")
    rows = "".join(
        f"alice@riverside.example,bob@riverside.example,{t}\n" for t in [*times, "2024-01-02T10:00Z"]
    )
    (tmp_path / "mail.csv").write_text("sender,recipients,timestamp\n" + rows, encoding="utf-8")
    far = f'Date "{dates[1]}" is not in years 1 to 9999 (UTC) (message at byte {len(texts[0])})'
    issues = {
        "mail.mbox": [(9, "bad-date", far)],
        "mail.csv": [(3, "bad-date", f'timestamp "{times[1]}" is not in years 1 to 9999 (UTC)')],
    }
    for name in ("mail.mbox", "mail.csv"):
        path, people = tmp_path / name, Resolver(PEOPLE)
        result = load_email(
            path, people, internal_domains=DOMAINS, rules=TieRules(min_messages=1), snapshot_by="month"
        )
        assert [(i.line, i.code, i.detail) for i in result.issues] == issues[name]
        assert list(result.by_period) == ["0044-01", "1955-01", "2024-01"]
        since = TieRules(min_messages=1, period_from=date(2024, 1, 1))
        recent = load_email(path, people, internal_domains=DOMAINS, rules=since)
        assert recent.normalisations == {"outside-period": 2}
        assert recent.ties[["source", "target", "count"]].values.tolist() == [["1", "2", 1]]


def test_duplicate_message_ids_are_deduped(tmp_path: Path) -> None:
    result = load(tmp_path, ok(1) + ok(1) + ok(2))
    assert result.ties["count"].tolist() == [2]
    assert result.normalisations == {"duplicate-message-id": 1}
    assert result.person_counts.values.tolist() == [["1", 2, 0], ["2", 0, 2]]


def test_five_thousand_recipient_broadcast_is_counted_not_a_tie(tmp_path: Path) -> None:
    everyone = ", ".join(["bob@riverside.example"] + [f"u{i}@riverside.example" for i in range(4_999)])
    result = load(
        tmp_path, ok(1, to=everyone) + ok(2, frm="bob@riverside.example", to="carol@riverside.example")
    )
    assert result.ties[["source", "target"]].values.tolist() == [["2", "3"]]
    assert result.normalisations == {"broadcast": 1, "unknown-address": 4_999}
    assert result.person_counts.values.tolist() == [["1", 1, 0], ["2", 1, 1], ["3", 0, 1]]


def test_cve_2023_27043_style_addresses_never_resolve_to_an_internal_person(tmp_path: Path) -> None:
    quoted = ok(1, frm='"alice@evil.example"@riverside.example')
    doubled = ok(
        2, to="alice@riverside.example@evil.example, carol@riverside.example", frm="bob@riverside.example"
    )
    doubled_from = ok(3, frm="alice@riverside.example@evil.example")
    result = load(tmp_path, quoted + doubled + doubled_from)
    assert result.ties[["source", "target"]].values.tolist() == [["2", "3"]]
    assert [(i.line, i.code) for i in result.issues] == [(17, "bad-address")]
    assert result.normalisations == {"bad-recipient": 1, "unknown-sender": 1}


def test_external_addresses_are_dropped_and_counted_or_pooled(tmp_path: Path) -> None:
    text = ok(1, to="partner@other.example, bob@riverside.example") + ok(2, frm="partner@other.example")
    dropped = load(tmp_path, text)
    assert dropped.ties[["source", "target"]].values.tolist() == [["1", "2"]]
    assert dropped.normalisations == {"external-address": 1, "external-sender": 1}
    pooled = load(tmp_path, text, external="pool")
    assert pooled.ties[["source", "target"]].values.tolist() == [
        ["1", "2"],
        ["1", "external"],
        ["external", "2"],
    ]


def test_eml_folder_reads_headers_of_each_file(tmp_path: Path) -> None:
    folder = tmp_path / "eml"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.eml").write_text(
        f"From: alice@riverside.example\r\nTo: bob@riverside.example\r\n{DATE}\r\n\r\nbody\r\n"
    )
    (folder / "sub" / "b.eml").write_text(f"To: bob@riverside.example\r\n{DATE}\r\n\r\nbody\r\n")
    result = load_email(folder, Resolver(PEOPLE), internal_domains=DOMAINS, rules=TieRules(min_messages=1))
    assert [str(i) for i in result.issues] == ["sub/b.eml line 1: no From header [missing-from]"]
    assert (result.record.rows_read, result.record.rows_rejected) == (2, 1)
    assert result.ties[["source", "target"]].values.tolist() == [["1", "2"]]


def test_progress_is_reported_every_thousand_messages(tmp_path: Path) -> None:
    seen: list[int] = []
    load(tmp_path, "".join(ok(i) for i in range(2_500)), progress=seen.append)
    assert seen == [1_000, 2_000]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            message("From: alice@riverside.example").replace("Tue Jan  2 09:00:00 2024", "2024-01-02"),
            'mail.mbox line 1: no message found: "From alice@riverside.example 2024-01-02" '
            'starts with "From " but is not an mbox From_ line '
            '(a sender, then a date like "Thu Jan  1 10:00:00 2026")',
        ),
        (
            f"From: alice@riverside.example\nTo: bob@riverside.example\n{DATE}\n\nhello\n",
            "mail.mbox: no message found: the file starts with a header line, "
            '"From: alice@riverside.example", like a single message',
        ),
        ("plain text\nwithout any message\n", 'mail.mbox: no message found: no line starts with "From "'),
    ],
    ids=["from-line-dated-without-time", "single-message", "no-from-line"],
)
def test_a_mailbox_without_a_from_line_fails_saying_what_an_mbox_looks_like(
    tmp_path: Path, text: str, expected: str
) -> None:
    with pytest.raises(InputError) as caught:
        load(tmp_path, text)
    assert str(caught.value) == f"{expected} ({MBOX_FIX}) [no-messages]"


def test_a_from_line_right_under_text_is_named_with_the_blank_line_it_needs(tmp_path: Path) -> None:
    text = "Exported by MailTool\n" + message("From: alice@riverside.example")
    with pytest.raises(InputError) as caught:
        load(tmp_path, text)
    assert str(caught.value) == (
        "mail.mbox line 2: no message found: line 2 is a From_ line, but the line above it is not blank, "
        "so it does not start a message (put a blank line above line 2, and above every From_ line after it) "
        "[no-messages]"
    )


def test_a_mailbox_of_blank_lines_or_an_empty_folder_fails(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"^mail.mbox: file has no text, only blank lines .*\[empty-file\]$"):
        load(tmp_path, "\n\n\r\n")
    (tmp_path / "empty").mkdir()
    with pytest.raises(
        InputError, match=r"^empty: no .eml file found in .*empty \(give a folder .*\[no-messages\]$"
    ):
        load_email(tmp_path / "empty", Resolver(PEOPLE), internal_domains=DOMAINS)


@pytest.mark.parametrize(
    ("content", "found"),
    [("xlsx", "an XLSX workbook"), ("gzip", "a gzip-compressed file"), ("msg", "an OLE compound file")],
)
def test_a_workbook_archive_or_msg_named_mbox_fails_with_its_real_type(
    tmp_path: Path, content: str, found: str
) -> None:
    box = tmp_path / "mail.mbox"
    if content == "xlsx":
        pd.DataFrame({"sender": ["alice@riverside.example"]}).to_excel(box, index=False, engine="openpyxl")
    elif content == "gzip":
        box.write_bytes(gzip.compress(ok(1).encode()))
    else:
        box.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    with pytest.raises(
        InputError, match=rf"^mail.mbox: file is {found}.*, not an mbox mailbox .*\[wrong-file-type\]$"
    ):
        load_email(box, Resolver(PEOPLE), internal_domains=DOMAINS)


def test_a_from_line_with_no_header_after_it_is_an_empty_message_at_its_line_not_a_missing_from(
    tmp_path: Path,
) -> None:
    # It was quarantined as "no From header [missing-from]", as if a From header had to be added.
    empty = "From alice@riverside.example Tue Jan  2 09:00:00 2024\n\n"
    result = load(tmp_path, ok(1) + empty + ok(2) + empty.rstrip("\n"))
    detail = "message has no header lines: a blank line or the end of the file follows its From_ line"
    fix = "delete the From_ line if no message belongs to it, or export the mailbox again"
    assert [str(i) for i in result.issues] == [
        f"mail.mbox line {line}: {detail} (message at byte {offset}) ({fix}) [empty-message]"
        for line, offset in ((9, 191), (19, 437))
    ]
    assert (result.record.rows_read, result.record.rows_rejected) == (4, 2)
    assert result.ties[["source", "target", "count"]].values.tolist() == [["1", "2", 2]]


def test_an_empty_eml_file_is_an_empty_message(tmp_path: Path) -> None:
    folder = tmp_path / "eml"
    folder.mkdir()
    (folder / "a.eml").write_text(f"From: alice@riverside.example\r\nTo: bob@riverside.example\r\n{DATE}\r\n")
    (folder / "b.eml").write_bytes(b"")
    (folder / "c.eml").write_text("\r\nonly a body\r\n")
    result = load_email(folder, Resolver(PEOPLE), internal_domains=DOMAINS, rules=TieRules(min_messages=1))
    fix = "delete the file if it holds no message, or export the message again"
    assert [str(i) for i in result.issues] == [
        f"{name} line 1: file has no header lines: it is empty or opens with a blank line ({fix}) "
        "[empty-message]"
        for name in ("b.eml", "c.eml")
    ]
    assert (result.record.rows_read, result.record.rows_rejected) == (3, 2)
