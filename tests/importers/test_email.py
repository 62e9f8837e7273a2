"""Email import: the Enron two-file export, CSV/JSON layouts, identity, tie rules, bad input."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from leadnet.config import load_config
from leadnet.errors import InputError
from leadnet.importers import aggregate as aggregate_module
from leadnet.importers.email import EmailFile, load_email
from leadnet.importers.email_emptied import period_figures
from leadnet.importers.email_exports import ExportLayout, layout_from_options
from leadnet.importers.email_sql import TieRules, rules_from_options, tie_queries
from leadnet.importers.identity import Resolver

ENRON = Path(__file__).resolve().parents[1] / "data" / "enron_perry_wolfe"
ENRON_TOML = """
[people]
path = "employees.txt"

[[sources]]
kind = "email"
path = "messages.tsv"
header = false
columns = { message_id = 1, timestamp = 3, sender = 5 }
timestamp_format = "unix"
quote = ""
recipients = { path = "recipients.tsv", header = false, columns = { message_id = 1, recipient = 3 } }
min_messages = 1
"""
PEOPLE = pd.DataFrame(
    {
        "person_id": ["1", "2", "3"],
        "email": ["alice@riverside.example", "bob@riverside.example", "carol@riverside.example"],
    }
)
DOMAINS = ["riverside.example"]
PER_RECIPIENT = ExportLayout({"sender": "Sender", "recipient": "Recipient", "timestamp": "EventDate"})


@pytest.fixture(scope="module")
def enron(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("enron")
    (folder / "leadnet.toml").write_text(ENRON_TOML, encoding="utf-8")
    source = load_config(folder).sources[0]
    source = source.__class__(**{**source.__dict__, "path": ENRON / "messages.tsv"})
    employees = pd.read_csv(ENRON / "employees.txt", sep="\t", header=None, dtype=str)
    resolver = Resolver(pd.DataFrame({"person_id": employees[0]}))
    layout = layout_from_options(source.columns, source.options, source.recipients_path)
    result = load_email(source.path, resolver, layout=layout, rules=rules_from_options(source.options))
    return employees, result


def test_enron_two_file_export_reads_every_row_of_both_files(enron) -> None:
    employees, result = enron
    assert len(employees) == 156
    assert [(Path(r.path).name, r.rows_read, r.rows_rejected) for r in result.records] == [
        ("messages.tsv", 21_635, 0),
        ("recipients.tsv", 38_388, 0),
    ]
    assert result.issues == ()


def test_enron_top_senders_and_receivers_match_a_direct_pandas_count(enron) -> None:
    _, result = enron
    messages = pd.read_csv(ENRON / "messages.tsv", sep="\t", header=None, quoting=3, dtype=str)
    recipients = pd.read_csv(ENRON / "recipients.tsv", sep="\t", header=None, dtype=str)
    sent = messages[4].value_counts()
    received = recipients.drop_duplicates([0, 2])[2].value_counts()
    counts = result.person_counts.set_index("person_id")
    assert counts["messages_sent"].nlargest(3).to_dict() == {"20": 1597, "59": 1379, "120": 1142}
    assert counts["messages_received"].nlargest(2).to_dict() == {"131": 1797, "122": 1730}
    assert (
        counts["messages_sent"][counts["messages_sent"] > 0].sort_index().to_dict()
        == sent.sort_index().to_dict()
    )
    assert counts.loc[received.index, "messages_received"].to_dict() == received.to_dict()


def test_enron_ties_match_a_pandas_aggregation_of_non_broadcast_messages(enron) -> None:
    _, result = enron
    messages = pd.read_csv(ENRON / "messages.tsv", sep="\t", header=None, quoting=3, dtype=str)
    recipients = pd.read_csv(ENRON / "recipients.tsv", sep="\t", header=None, dtype=str).drop_duplicates(
        [0, 2]
    )
    events = recipients.merge(messages[[0, 4]], on=0).rename(columns={0: "message", 2: "target", 4: "source"})
    size = events.groupby("message")["target"].transform("size")
    kept = events[(size <= 25) & (events["source"] != events["target"])]
    expected = kept.groupby(["source", "target"]).size().sort_index()
    got = result.ties.set_index(["source", "target"])["count"].sort_index()
    assert result.normalisations == {"broadcast": 5}
    assert len(got) == 2_609  # of the 2,715 arcs (PROVENANCE), 106 appear only on the 5 broadcasts
    assert got.to_dict() == expected.to_dict()
    assert (result.ties["weight"] == result.ties["count"]).all()  # no Cc column: every recipient is To


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_per_recipient_semicolon_export_applies_cc_weight_and_min_messages(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "log.csv",
        "Sender;Recipient;EventDate;Kind\n"
        "alice@riverside.example;bob@riverside.example;2024-01-02T10:00:00Z;to\n"
        "alice@riverside.example;bob@riverside.example;2024-01-03T10:00:00+01:00;cc\n"
        "alice@riverside.example;carol@riverside.example;2024-01-03T10:00:00+01:00;to\n"
        "bob@riverside.example;alice@riverside.example;2024-01-04 09:00;to\n",
    )
    layout = ExportLayout(
        {"sender": "Sender", "recipient": "Recipient", "timestamp": "EventDate", "kind": "Kind"}
    )
    result = load_email(path, Resolver(PEOPLE), layout=layout, internal_domains=DOMAINS)
    assert result.ties[["source", "target", "weight", "count"]].values.tolist() == [["1", "2", 1.5, 2]]
    assert result.normalisations == {"below-min-messages": 2, "naive-date": 1}
    assert result.person_counts.values.tolist() == [["1", 2, 1], ["2", 1, 2], ["3", 0, 1]]
    assert result.record.rows_read == 4


def test_a_per_recipient_row_without_a_recipient_is_rejected_not_also_counted_naive(tmp_path: Path) -> None:
    # A naive row rejected as missing-recipient was counted naive-date too; a rejected row is
    # in rejected.csv only, as on the one-row-per-message reader (which counts accepted rows).
    path = write(
        tmp_path,
        "log.csv",
        "Sender,Recipient,EventDate\n"
        "alice@riverside.example,,2024-01-02 10:00\n"
        "alice@riverside.example,bob@riverside.example,2024-01-02 10:00\n"
        "bob@riverside.example,alice@riverside.example,2024-01-03T10:00:00Z\n",
    )
    rules = TieRules(min_messages=1)
    result = load_email(path, Resolver(PEOPLE), layout=PER_RECIPIENT, internal_domains=DOMAINS, rules=rules)
    assert [(i.line, i.code) for i in result.issues] == [(2, "missing-recipient")]
    assert result.normalisations == {"naive-date": 1}
    assert (result.record.rows_read, result.record.rows_accepted, result.record.rows_rejected) == (3, 2, 1)
    assert result.ties[["source", "target", "count"]].values.tolist() == [["1", "2", 1], ["2", "1", 1]]


def test_per_message_export_splits_recipient_lists_and_pools_externals(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "mail.csv",
        "from,to,cc,sent_at,id\n"
        'alice@riverside.example,"bob@riverside.example; out@partner.example",carol@riverside.example,'
        "2024-01-02T10:00:00Z,m1\n"
        "alice@riverside.example,bob@riverside.example,,2024-01-05T10:00:00Z,m2\n"
        "alice@riverside.example,bob@riverside.example,,2024-01-05T10:00:00Z,m2\n"
        ",bob@riverside.example,,2024-01-05T10:00:00Z,m3\n"
        "alice@riverside.example,bob@riverside.example,,yesterday,m4\n",
    )
    layout = ExportLayout(
        {"sender": "from", "recipients": "to", "cc": "cc", "timestamp": "sent_at", "message_id": "id"}
    )
    result = load_email(
        path,
        Resolver(PEOPLE),
        layout=layout,
        internal_domains=DOMAINS,
        external="pool",
        rules=TieRules(min_messages=1),
    )
    assert result.ties[["source", "target", "weight", "count"]].values.tolist() == [
        ["1", "2", 2.0, 2],
        ["1", "3", 0.5, 1],
        ["1", "external", 1.0, 1],
    ]
    assert [(i.line, i.column, i.detail, i.code) for i in result.issues] == [
        (5, "from", "no sender", "missing-from"),
        (6, "sent_at", 'timestamp "yesterday" cannot be parsed', "bad-date"),
    ]
    assert (result.record.rows_read, result.record.rows_accepted, result.record.rows_rejected) == (5, 3, 2)
    assert result.normalisations == {"duplicate-message-id": 1, "external-address": 1}


def test_a_message_in_two_exports_of_one_log_counts_once_and_the_earlier_copy_wins(tmp_path: Path) -> None:
    # A reviewer's case: each mailbox exported on its own, so a message alice sent bob is in
    # alice's export and in bob's. Read as one log, its Message-ID is counted once; the copy
    # in the first file given is the one kept (here m2's copies differ: bob, then carol).
    header = "sender,recipients,cc,timestamp,message_id\n"
    sent = write(tmp_path, "alice_sent.csv", header + (
        "alice@riverside.example,bob@riverside.example,,2024-01-02T10:00:00Z,<m1@r>\n"
        "alice@riverside.example,bob@riverside.example,,2024-01-03T10:00:00Z,<m2@r>\n"))  # fmt: skip
    inbox = write(tmp_path, "bob_inbox.csv", header + (
        "alice@riverside.example,bob@riverside.example,,2024-01-02T10:00:00Z,<m1@r>\n"
        "alice@riverside.example,carol@riverside.example,,2024-01-03T10:00:00Z,<m2@r>\n"
        "carol@riverside.example,bob@riverside.example,,2024-01-04T10:00:00Z,<m3@r>\n"))  # fmt: skip
    mbox = write(tmp_path, "carol.mbox", (
        "From carol@riverside.example Thu Jan  4 10:00:00 2024\n"
        "From: carol@riverside.example\nTo: bob@riverside.example\nMessage-ID: <m3@r>\n"
        "Date: Thu, 04 Jan 2024 10:00:00 +0000\n\nbody\n"))  # fmt: skip
    files = [EmailFile(sent), EmailFile(inbox), EmailFile(mbox)]
    result = load_email(files, Resolver(PEOPLE), internal_domains=DOMAINS, rules=TieRules(min_messages=1))
    assert result.ties[["source", "target", "weight", "count"]].values.tolist() == [
        ["1", "2", 2.0, 2],
        ["3", "2", 1.0, 1],
    ]
    assert result.normalisations == {"duplicate-message-id": 3}
    assert [(Path(r.path).name, r.rows_read) for r in result.records] == [
        ("alice_sent.csv", 2), ("bob_inbox.csv", 3), ("carol.mbox", 1)]  # fmt: skip
    assert result.person_counts.values.tolist() == [["1", 2, 0], ["2", 0, 3], ["3", 1, 0]]
    each = [load_email(f.path, Resolver(PEOPLE), internal_domains=DOMAINS, rules=TieRules(min_messages=1))
            for f in files]  # fmt: skip
    assert sum(int(r.ties["count"].sum()) for r in each) == 6  # read apart, every copy counted


def test_export_headers_read_in_another_letter_case_are_counted_and_named_by_file(tmp_path: Path) -> None:
    # "Sender" was read as sender, as a table's "Unit" is read as unit, but only the tables counted it
    # (header-normalised) and named it for leadnet validate's note.
    rows = "alice@riverside.example{0}bob@riverside.example{0}2024-01-02T10:00:00Z\n"
    first = write(tmp_path, "alice.csv", "Sender;RECIPIENT;timestamp\n" + rows.format(";"))
    second = write(tmp_path, "bob.csv", " sender ,Recipients,TimeStamp\n" + rows.format(","))
    files = [EmailFile(first), EmailFile(second)]
    result = load_email(files, Resolver(PEOPLE), internal_domains=DOMAINS, rules=TieRules(min_messages=1))
    assert result.normalisations == {"header-normalised": 4}
    assert result.headers_read == (
        ("alice.csv", "Sender", "sender"),
        ("alice.csv", "RECIPIENT", "recipient"),
        ("bob.csv", "Recipients", "recipients"),
        ("bob.csv", "TimeStamp", "timestamp"),
    )
    assert result.ties[["source", "target", "count"]].values.tolist() == [["1", "2", 2]]
    layout = ExportLayout({"sender": "Sender", "recipient": "RECIPIENT", "timestamp": "timestamp"})
    mapped = load_email(first, Resolver(PEOPLE), layout=layout, internal_domains=DOMAINS)  # read as written
    assert (mapped.headers_read, "header-normalised" in mapped.normalisations) == ((), False)


def test_graph_json_export_reads_nested_addresses(tmp_path: Path) -> None:
    def msg(i: int, to: list[str], cc: list[str]) -> dict:
        return {
            "from": {"emailAddress": {"address": "alice@riverside.example", "name": "Alice"}},
            "toRecipients": [{"emailAddress": {"address": a}} for a in to],
            "ccRecipients": [{"emailAddress": {"address": a}} for a in cc],
            "sentDateTime": f"2024-01-0{i}T10:00:00Z",
            "internetMessageId": f"<m{i}@riverside.example>",
            "subject": "never read",
        }

    body = {
        "value": [
            msg(1, ["bob@riverside.example"], []),
            msg(2, ["bob@riverside.example"], ["carol@riverside.example"]),
        ]
    }
    path = write(tmp_path, "graph.json", json.dumps(body, indent=2))
    result = load_email(path, Resolver(PEOPLE), internal_domains=DOMAINS, rules=TieRules(min_messages=1))
    assert result.ties[["source", "target", "weight", "count"]].values.tolist() == [
        ["1", "2", 2.0, 2],
        ["1", "3", 0.5, 1],
    ]
    ndjson = write(tmp_path, "graph.ndjson", "\n".join(json.dumps(m) for m in body["value"]))
    again = load_email(ndjson, Resolver(PEOPLE), internal_domains=DOMAINS, rules=TieRules(min_messages=1))
    assert again.ties.equals(result.ties)


def test_a_json_export_cut_short_is_an_error_naming_the_file(tmp_path: Path) -> None:
    # It was the database engine's exception, a traceback under leadnet validate.
    path = write(
        tmp_path, "graph.json", '[{"from": {"emailAddress": {"address": "alice@riverside.example"}}, "to'
    )
    expected = r"graph.json: .*Malformed JSON.*\(export the messages again; the file is not complete JSON\)"
    with pytest.raises(InputError, match=expected + r" \[bad-json\]"):
        load_email(path, Resolver(PEOPLE), internal_domains=DOMAINS)


def test_the_unreadable_file_of_a_log_is_named_by_its_path_not_a_name_inside_it(tmp_path: Path) -> None:
    # "a.json" is part of "data.json": the good file was blamed for the broken one.
    good = write(
        tmp_path, "a.json", json.dumps([{"from": {"emailAddress": {"address": "alice@riverside.example"}}}])
    )
    broken = write(
        tmp_path, "data.json", '[{"from": {"emailAddress": {"address": "alice@riverside.example"}}, "to'
    )
    with pytest.raises(InputError, match=r"^data.json: .*Malformed JSON.*\[bad-json\]"):
        load_email([EmailFile(good), EmailFile(broken)], Resolver(PEOPLE), internal_domains=DOMAINS)


def test_snapshot_by_month_cuts_one_log_into_dated_tie_tables(tmp_path: Path) -> None:
    rows = [
        ("1", "2", "2024-01-0{}T10:00Z"),
        ("1", "2", "2024-02-0{}T10:00Z"),
        ("2", "3", "2024-02-1{}T10:00Z"),
    ]
    text = "sender,recipient,timestamp\n" + "".join(
        f"{a},{b},{t.format(d)}\n" for a, b, t in rows for d in (1, 2)
    )
    path = write(tmp_path, "log.csv", text)
    layout = ExportLayout({"sender": "sender", "recipient": "recipient", "timestamp": "timestamp"})
    result = load_email(path, Resolver(PEOPLE), layout=layout, snapshot_by="month")
    assert list(result.by_period) == ["2024-01", "2024-02"]
    assert result.by_period["2024-02"].ties[["source", "target", "count"]].values.tolist() == [
        ["1", "2", 2],
        ["2", "3", 2],
    ]
    assert result.by_period["2024-01"].person_counts.values.tolist() == [["1", 2, 0], ["2", 0, 2]]
    window = load_email(
        path,
        Resolver(PEOPLE),
        layout=layout,
        rules=rules_from_options({}, period_from=date(2024, 2, 1), period_to=date(2024, 2, 5)),
    )
    assert window.ties[["source", "target", "count"]].values.tolist() == [["1", "2", 2]]
    assert window.normalisations == {"outside-period": 4}


def test_a_log_cut_into_months_measures_the_months_left_with_no_tie_not_its_whole_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With snapshot_by, a window with no tie was measured too (one more query over the whole log), and
    # its figures thrown away: the months are what the warning names.
    measured: list[list[str]] = []

    def spy(run, rules, periods):  # type: ignore[no-untyped-def]
        names = sorted(periods)
        if names:  # a query runs
            measured.append(names)
        return period_figures(run, rules, names)

    monkeypatch.setattr(aggregate_module, "period_figures", spy)
    text = "sender,recipient,timestamp\n1,2,2024-01-01T10:00Z\n1,2,2024-02-01T10:00Z\n2,3,2024-02-02T10:00Z\n"
    layout = ExportLayout({"sender": "sender", "recipient": "recipient", "timestamp": "timestamp"})
    path, rules = write(tmp_path, "log.csv", text), TieRules(min_messages=3)
    result = load_email(path, Resolver(PEOPLE), layout=layout, rules=rules, snapshot_by="month")
    assert measured == [["2024-01", "2024-02"]]
    assert [(e.rule, e.value, e.nearest, e.period) for e in result.emptied] == [
        ("min_messages", 3, 1, "2024-01"),
        ("min_messages", 3, 1, "2024-02"),
    ]
    whole = load_email(path, Resolver(PEOPLE), layout=layout, rules=rules)  # the window alone: measured
    assert measured[1:] == [["all"]]
    assert [(e.rule, e.value, e.nearest, e.period) for e in whole.emptied] == [("min_messages", 3, 2, None)]


def test_a_log_cut_into_months_runs_the_tie_rules_by_month_only_and_sums_its_window_from_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The rules ran twice over the whole log, once for the window and once by month, though of the
    # window's run only its counted drops reached a snapshot and whether it gave a tie a warning.
    ran: list[str | None] = []

    def spy(rules, snapshot_by, *rest):  # type: ignore[no-untyped-def]
        ran.append(snapshot_by)
        return tie_queries(rules, snapshot_by, *rest)

    monkeypatch.setattr(aggregate_module, "tie_queries", spy)
    rows = [  # sender, recipients, cc, day; a to 3 more is a broadcast; m1 twice is one message
        ("alice", "bob", "", "2024-01-02", "m1"),
        ("alice", "bob", "", "2024-01-02", "m1"),
        ("alice", "bob", "carol", "2024-01-03", "m2"),
        ("alice", "bob", "", "2024-02-01", "m3"),
        ("bob", "alice", "", "2024-02-02", "m4"),
        ("bob", "alice", "", "2024-03-02", "m5"),
        ("carol", "carol", "", "2024-01-05", "m6"),
        ("carol", "carol", "", "2024-03-05", "m7"),
        ("carol", "alice;bob;out@elsewhere.example;bob", "", "2024-02-07", "m8"),
        ("carol", "out@elsewhere.example", "", "2024-03-08", "m9"),
        ("carol", "out@elsewhere.example", "", "2024-02-09", "m10"),
    ]
    text = "sender,recipients,cc,timestamp,message_id\n" + "".join(
        f"{who}@riverside.example,"
        + ";".join(r if "@" in r else f"{r}@riverside.example" for r in to.split(";"))
        + f",{cc and cc + '@riverside.example'},{day}T10:00Z,{mid}\n"
        for who, to, cc, day, mid in rows
    )
    path = write(tmp_path, "log.csv", text)
    layout = ExportLayout({r: r for r in ("sender", "recipients", "cc", "timestamp", "message_id")})
    for rules in (TieRules(max_recipients=3), TieRules(max_recipients=3, require_reciprocity=True)):
        ran.clear()
        read = {"layout": layout, "rules": rules, "internal_domains": DOMAINS, "external": "pool"}
        cut = load_email(path, Resolver(PEOPLE), snapshot_by="month", **read)
        assert ran == ["month"]
        whole = load_email(path, Resolver(PEOPLE), **read)  # the rules run over the window
        assert ran == ["month", None]
        assert list(cut.by_period) == ["2024-01", "2024-02", "2024-03"]
        assert whole.ties.values.tolist() == cut.ties.values.tolist() != []
        assert whole.person_counts.values.tolist() == cut.person_counts.values.tolist()
        assert whole.normalisations == cut.normalisations
        assert {"broadcast", "duplicate-message-id", "self-tie", "below-min-messages"} <= set(
            cut.normalisations
        )
    # the window's, not the months' summed: carol wrote herself in January and March (one self-tie, not
    # two), and only alice's cc to carol is below min_messages (by month, six pairs are)
    assert cut.normalisations == {
        "below-min-messages": 1,
        "broadcast": 1,
        "duplicate-message-id": 1,
        "external-address": 3,
        "not-reciprocated": 1,
        "self-tie": 1,
    }


def test_reciprocity_requirement_keeps_only_mutual_pairs(tmp_path: Path) -> None:
    text = "sender,recipient,timestamp\n1,2,2024-01-01T00:00Z\n2,1,2024-01-02T00:00Z\n1,3,2024-01-03T00:00Z\n"
    layout = ExportLayout({"sender": "sender", "recipient": "recipient", "timestamp": "timestamp"})
    result = load_email(
        write(tmp_path, "log.csv", text),
        Resolver(PEOPLE),
        layout=layout,
        rules=TieRules(min_messages=1, require_reciprocity=True),
    )
    assert result.ties[["source", "target"]].values.tolist() == [["1", "2"], ["2", "1"]]
    assert result.normalisations == {"not-reciprocated": 1}


def test_missing_file_is_a_clear_error_and_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nope.mbox"
    with pytest.raises(InputError) as caught:
        load_email(missing, Resolver(PEOPLE))
    assert str(caught.value) == f"nope.mbox: file not found (check the path: {missing}) [missing-file]"
    assert not missing.exists()


def test_a_device_given_as_the_log_is_named_as_such_not_read_as_an_empty_file() -> None:
    with pytest.raises(InputError) as caught:
        load_email(Path(os.devnull), Resolver(PEOPLE))
    assert str(caught.value) == (
        f"null: {os.devnull} is a character device, not a file "
        "(give the path of the file itself) [not-a-file]"
    )


CUT_RULES = TieRules(max_recipients=2, min_messages=2, require_reciprocity=True, period_to=date(2024, 3, 31))
CUT_LAYOUT = ExportLayout({r: r for r in ("message_id", "sender", "recipients", "timestamp")})
CUT_FILES = {"duplicate-message-id": 1, "external-address": 2, "outside-period": 1}
"""The counts of conftest's cut log that are its file's, in every month: m1's copy, the two
addresses outside riverside.example (in m11 and m20), m21 after the window."""


def test_each_month_of_a_cut_log_counts_its_own_drops_of_the_tie_rules(cut_log: Path) -> None:
    # Each month showed the whole window's drops: {"broadcast": 2, "not-reciprocated": 1, "self-tie": 2},
    # though January had no broadcast and February no self-tie. By month (conftest.CUT_LOG_ROWS):
    # January: alice and bob write each other twice (two ties), carol writes herself (self-tie) and
    # alice writes carol once (below min_messages). February: alice and bob each write carol twice and
    # she writes neither back (two not reciprocated), carol writes alice, bob and one outsider
    # (broadcast: 3 addresses over max_recipients = 2; no arc), bob writes alice once (below). March:
    # bob and carol write each other three times (two ties), alice writes herself, and alice's
    # broadcast. Summed over the window, alice->carol (1 + 2) is no longer below min_messages and
    # bob->carol (2 + 3) is returned by carol->bob (3): only alice->carol is not reciprocated.
    result = load_email(
        cut_log,
        Resolver(PEOPLE),
        layout=CUT_LAYOUT,
        rules=CUT_RULES,
        internal_domains=DOMAINS,
        snapshot_by="month",
    )
    months = {name: period.normalisations for name, period in result.by_period.items()}
    assert months == {
        "2024-01": {**CUT_FILES, "below-min-messages": 1, "self-tie": 1},
        "2024-02": {**CUT_FILES, "broadcast": 1, "below-min-messages": 1, "not-reciprocated": 2},
        "2024-03": {**CUT_FILES, "broadcast": 1, "self-tie": 1},
    }
    assert [list(months[m]) for m in months] == [sorted(months[m]) for m in months]  # sorted, as a table's
    ties = {
        name: period.ties[["source", "target", "count"]].values.tolist()
        for name, period in result.by_period.items()
    }
    assert ties == {
        "2024-01": [["1", "2", 2], ["2", "1", 2]],
        "2024-02": [],
        "2024-03": [["2", "3", 3], ["3", "2", 3]],
    }
    # the whole window's drops stay the import's own, as the rules run over it give them
    assert result.normalisations == {**CUT_FILES, "broadcast": 2, "not-reciprocated": 1, "self-tie": 2}
    whole = load_email(
        cut_log, Resolver(PEOPLE), layout=CUT_LAYOUT, rules=CUT_RULES, internal_domains=DOMAINS
    )
    assert whole.normalisations == result.normalisations and whole.by_period == {}


def test_a_far_mistyped_date_in_a_log_adds_one_snapshot_not_one_per_month_between(tmp_path: Path) -> None:
    # Unlike membership (every month from the earliest date to the latest), e-mail makes a
    # snapshot only for a month with messages, so a date of 2206 cannot make thousands.
    text = "sender,recipient,timestamp\n1,2,2026-04-06T10:00Z\n2,1,2026-04-07T10:00Z\n1,2,2206-04-06T10:00Z\n"
    layout = ExportLayout({"sender": "sender", "recipient": "recipient", "timestamp": "timestamp"})
    result = load_email(
        write(tmp_path, "log.csv", text), Resolver(PEOPLE), layout=layout, snapshot_by="month"
    )
    assert list(result.by_period) == ["2026-04", "2206-04"]


def test_an_engine_out_of_memory_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    people = pd.DataFrame({"person_id": [f"p{i}" for i in range(400)]})
    rows = ["sender,recipients,timestamp,message_id"] + [
        f"p{i % 400},p{(i * 7) % 400};p{(i * 13) % 400},2026-01-01T10:00:00Z,<m{i}@x>" for i in range(60_000)
    ]
    path = tmp_path / "mail.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    layout = ExportLayout(
        {"sender": "sender", "recipients": "recipients", "timestamp": "timestamp", "message_id": "message_id"}
    )
    with pytest.raises(
        InputError, match="mail.csv: aggregating the e-mail log ran out of the database engine"
    ):
        load_email(path, Resolver(people), layout=layout, memory_limit="2MB", threads=1)


def test_person_codes_follow_the_ids_sort_order_so_decoded_ties_stay_sorted() -> None:
    from leadnet.importers.aggregate import Aggregate
    from leadnet.importers.email_identity import PersonCodes, decode

    ids = ["9", "10", "Zoë", "zed", "Émile", "a"]
    codes = PersonCodes(ids)
    by_code = sorted([*ids, "external"], key=codes.code)
    assert by_code == ["10", "9", "Zoë", "a", "external", "zed", "Émile"]  # code points, as SQL sorts text
    assert codes.external == 4
    result = Aggregate(
        pd.DataFrame(
            {"period": ["all"] * 2, "source": [0, 1], "target": [4, 0], "weight": [1.0, 2.0], "count": [1, 2]}
        ),
        pd.DataFrame(
            {"period": ["all"] * 2, "person_id": [0, 1], "messages_sent": [1, 2], "messages_received": [1, 1]}
        ),
        {},
    )
    decoded = decode(result, codes)
    assert decoded.ties[["source", "target", "count"]].values.tolist() == [
        ["10", "external", 1],
        ["9", "10", 2],
    ]
    assert decoded.person_counts["person_id"].tolist() == ["10", "9"]
    assert pd.api.types.is_string_dtype(decoded.ties["source"])


@pytest.mark.parametrize(
    ("header", "shown"),
    [
        ("sender,recipients,cc,timestamp,message_id,cc", '"cc" at positions 3 and 6'),
        ("Sender,recipients,cc,timestamp,message_id,sender", '"Sender" and "sender" at positions 1 and 6'),
    ],
)
def test_a_header_that_names_a_column_twice_fails_naming_both(
    tmp_path: Path, header: str, shown: str
) -> None:
    # A reviewer's export with "cc" twice was read silently, one of the two columns ignored; the
    # same name in another case was a traceback (the database engine's column names ignore case).
    row = "alice@riverside.example,bob@riverside.example,,2024-01-02T10:00:00Z,m1,carol@riverside.example"
    path = write(tmp_path, "mail.csv", f"{header}\n{row}\n")
    with pytest.raises(InputError) as caught:
        load_email(path, Resolver(PEOPLE), internal_domains=DOMAINS)
    assert str(caught.value) == (
        f"mail.csv line 1: duplicate column {shown} (rename one of them) [duplicate-column]"
    )


@pytest.mark.parametrize("end", ["\n", "\r\n"])
def test_an_excel_sep_line_names_the_delimiter_and_lines_still_count_it(tmp_path: Path, end: str) -> None:
    # A reviewer's export began "sep=;" (Excel writes it): it failed saying no column was mapped.
    rows = [
        "sep=;",
        "sender;recipients;cc;timestamp;message_id",
        "alice@riverside.example;bob@riverside.example;;2024-01-02T10:00:00Z;m1",
        ";bob@riverside.example;;2024-01-02T10:00:00Z;m2",
        "alice@riverside.example;bob@riverside.example, carol@riverside.example;;2024-01-03T10:00:00Z;m3",
    ]
    path = write(tmp_path, "mail.csv", end.join(rows) + end)
    result = load_email(path, Resolver(PEOPLE), internal_domains=DOMAINS, rules=TieRules(min_messages=1))
    assert result.ties[["source", "target", "count"]].values.tolist() == [["1", "2", 2], ["1", "3", 1]]
    assert [(i.line, i.column, i.code) for i in result.issues] == [(4, "sender", "missing-from")]


def test_an_address_with_a_control_character_is_invalid_and_counted(tmp_path: Path) -> None:
    # A reviewer's "bob\x01@..." was resolved to Bob without a count (\x01 is the scan path's
    # Cc marker, and the header parser drops control characters).
    path = write(
        tmp_path,
        "mail.csv",
        "sender,recipients,cc,timestamp,message_id\n"
        "alice@riverside.example,bob\x01@riverside.example,,2024-01-02T10:00:00Z,m1\n"
        "alice@riverside.example,bob\x03@riverside.example,,2024-01-03T10:00:00Z,m2\n"
        "alice@riverside.example,carol@riverside.example,,2024-01-03T10:00:00Z,m3\n",
    )
    result = load_email(path, Resolver(PEOPLE), internal_domains=DOMAINS, rules=TieRules(min_messages=1))
    assert result.ties[["source", "target", "count"]].values.tolist() == [["1", "3", 1]]
    assert result.normalisations == {"invalid-address": 2}


def test_mail_of_an_opted_out_person_is_counted_as_excluded_not_unknown(tmp_path: Path) -> None:
    # A reviewer's run counted an opted-out person's mail as unknown-sender / unknown-address,
    # so the report's counts said nothing of the exclusion.
    path = write(
        tmp_path,
        "mail.csv",
        "sender,recipients,cc,timestamp,message_id\n"
        "carol@riverside.example,alice@riverside.example,,2024-01-02T10:00:00Z,m1\n"
        "alice@riverside.example,Carol@Riverside.example; bob@riverside.example,,2024-01-03T10:00:00Z,m2\n"
        "alice@riverside.example,nobody@riverside.example,,2024-01-03T10:00:00Z,m3\n",
    )
    people = PEOPLE[PEOPLE["person_id"] != "3"]
    resolver = Resolver(people, excluded=["3", "carol@riverside.example"])
    result = load_email(path, resolver, internal_domains=DOMAINS, rules=TieRules(min_messages=1))
    assert result.ties[["source", "target", "count"]].values.tolist() == [["1", "2", 1]]
    assert result.normalisations == {"excluded-sender": 1, "excluded-address": 1, "unknown-address": 1}


def test_mail_of_an_address_two_roster_people_share_is_counted_as_ambiguous_not_unknown(
    tmp_path: Path,
) -> None:
    # The address was counted unknown-sender / unknown-address, as if it were on no roster row.
    path = write(
        tmp_path,
        "mail.csv",
        "sender,recipients,cc,timestamp,message_id\n"
        "Team@riverside.example,alice@riverside.example,,2024-01-02T10:00:00Z,m1\n"
        "alice@riverside.example,team@riverside.example; bob@riverside.example,,2024-01-03T10:00:00Z,m2\n"
        "alice@riverside.example,nobody@riverside.example,,2024-01-03T10:00:00Z,m3\n",
    )
    people = pd.DataFrame(
        {"person_id": ["1", "2", "3", "4"], "email": [*PEOPLE["email"], "team@riverside.example"]}
    )
    people.loc[people["person_id"] == "3", "email"] = "team@riverside.example"
    result = load_email(path, Resolver(people), internal_domains=DOMAINS, rules=TieRules(min_messages=1))
    assert result.ties[["source", "target", "count"]].values.tolist() == [["1", "2", 1]]
    assert result.normalisations == {"ambiguous-address": 1, "ambiguous-sender": 1, "unknown-address": 1}


def test_a_utf16_export_fails_saying_so_not_row_by_row(tmp_path: Path) -> None:
    # A reviewer's UTF-16 export (Excel's "Unicode text") was read as UTF-8: every row rejected
    # with column-count errors that did not name the cause.
    path = tmp_path / "mail.csv"
    text = (
        "sender,recipients,cc,timestamp,message_id\n"
        "alice@riverside.example,bob@riverside.example,,2024-01-02,m1\n"
    )
    path.write_bytes(text.encode("utf-16"))
    with pytest.raises(InputError) as caught:
        load_email(path, Resolver(PEOPLE), internal_domains=DOMAINS)
    assert str(caught.value).startswith(
        "mail.csv line 1: file is UTF-16 text (it starts with a UTF-16 byte-order mark) "
        "(save the export as UTF-8"
    )


def test_two_exports_of_one_log_with_one_file_name_are_refused(tmp_path: Path) -> None:
    # A reviewer's alice/export.csv and bob/export.csv: rejected rows name their file by its name,
    # so one file was charged with the other's rejected rows.
    header = "sender,recipients,cc,timestamp,message_id\n"
    files = []
    for who in ("alice", "bob"):
        (tmp_path / who).mkdir()
        row = f"{who}@riverside.example,carol@riverside.example,,2024-01-02T10:00:00Z,{who}1\n"
        files.append(EmailFile(write(tmp_path / who, "export.csv", header + row)))
    with pytest.raises(InputError) as caught:
        load_email(files, Resolver(PEOPLE), internal_domains=DOMAINS)
    assert str(caught.value) == (
        "export.csv: 2 files of one e-mail log (its exports and their recipients files) have this name, in "
        "different folders (alice/export.csv, bob/export.csv); rename all but one, so that every rejected "
        "row names its file"
    )


def test_a_recipients_path_naming_its_own_messages_file_is_told_so(tmp_path: Path) -> None:
    # it was told to name one file once, not to point recipients.path at the recipients file
    text = "message_id,sender,timestamp\nm1,alice@riverside.example,2024-01-02\n"
    roles = {
        "message_id": "message_id",
        "sender": "sender",
        "timestamp": "timestamp",
        "recipient": "recipient",
    }
    path = write(tmp_path, "m.csv", text)
    with pytest.raises(InputError) as caught:
        load_email([EmailFile(path, layout=ExportLayout(roles, recipients_path=path))], Resolver(PEOPLE))
    assert (
        str(caught.value) == "m.csv: recipients.path names the messages file itself; name the recipients file"
    )


def test_one_export_listed_twice_in_one_log_is_told_to_be_named_once(tmp_path: Path) -> None:
    # "./m.csv" beside "m.csv" was told of two files "in different folders" to rename
    text = "sender,recipients,timestamp\nalice@riverside.example,carol@riverside.example,2024-01-02\n"
    files = [EmailFile(write(tmp_path, "m.csv", text)), EmailFile(tmp_path / "." / "m.csv")]
    with pytest.raises(InputError) as caught:
        load_email(files, Resolver(PEOPLE), internal_domains=DOMAINS)
    assert str(caught.value) == "m.csv: one e-mail log reads this file 2 times; name it once"


def test_an_export_and_another_s_recipients_file_of_one_name_are_refused(tmp_path: Path) -> None:
    # a/data.csv and b/msgs.csv's recipients file b/data.csv: a/data.csv's rejected row was named b/data.csv
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    first = write(tmp_path / "a", "data.csv", "sender,recipients,timestamp\nalice@riverside.example,"
                  "carol@riverside.example,2024-01-02T10:00:00Z\n")  # fmt: skip
    messages = write(
        tmp_path / "b", "msgs.csv", "message_id,sender,timestamp\nm1,bob@riverside.example,2024-01-02\n"
    )
    write(tmp_path / "b", "data.csv", "message_id,recipient\nm1,carol@riverside.example\n")
    roles = {
        "message_id": "message_id",
        "sender": "sender",
        "timestamp": "timestamp",
        "recipient": "recipient",
    }
    second = EmailFile(messages, layout=ExportLayout(roles, recipients_path=tmp_path / "b" / "data.csv"))
    with pytest.raises(InputError) as caught:
        load_email([EmailFile(first), second], Resolver(PEOPLE), internal_domains=DOMAINS)
    assert str(caught.value) == (
        "data.csv: 2 files of one e-mail log (its exports and their recipients files) have this name, in "
        "different folders (a/data.csv, b/data.csv); rename all but one, so that every rejected row names "
        "its file"
    )


def test_a_truncated_parquet_export_without_a_mapping_is_a_clear_error(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "mail.parquet"
    pq.write_table(
        pa.table({"sender": ["alice@riverside.example"], "recipients": ["bob@riverside.example"]}), path
    )
    path.write_bytes(path.read_bytes()[:-20])
    with pytest.raises(InputError) as caught:
        load_email(path, Resolver(PEOPLE), internal_domains=DOMAINS)
    assert str(caught.value).startswith("mail.parquet: ")
    assert str(caught.value).endswith(
        "(export the file again; it is not a complete Parquet file) [bad-parquet]"
    )


@pytest.mark.parametrize("parquet", [False, True])
def test_export_columns_called_seq_or_rowid_are_read_as_mapped(tmp_path: Path, parquet: bool) -> None:
    # A database export numbers its rows in a column "rowid", and its Message-ID column may
    # be "seq": the reader's own row number had those names, so the file's "seq" read as the
    # row number (a binder error on trim(BIGINT)) and a file "rowid" hid the row number.
    text = (
        "From,To,When,seq,rowid\n"
        "alice@riverside.example,bob@riverside.example,2024-01-01T00:00:00Z,X1,r1\n"
        "alice@riverside.example,carol@riverside.example,2024-01-01T00:00:00Z,X1,r2\n"
        "bob@riverside.example,carol@riverside.example,2024-01-02T00:00:00Z,X2,r3\n"
        ",carol@riverside.example,2024-01-02T00:00:00Z,X3,r4\n"
    )
    path = tmp_path / "mail.csv"
    path.write_text(text, encoding="utf-8")
    if parquet:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        path = tmp_path / "mail.parquet"
        frame.to_parquet(path)
    layout = ExportLayout({"sender": "From", "recipient": "To", "timestamp": "When", "message_id": "seq"})
    result = load_email(
        path, Resolver(PEOPLE), layout=layout, internal_domains=DOMAINS, rules=TieRules(min_messages=1)
    )
    assert result.ties[["source", "target", "weight"]].values.tolist() == [
        ["1", "2", 1.0],
        ["1", "3", 1.0],
        ["2", "3", 1.0],
    ]
    # one message X1 to two people: counted once as sent
    assert result.person_counts["messages_sent"].tolist() == [1, 1, 0]
    assert [(i.line, i.code) for i in result.issues] == [(4 if parquet else 5, "missing-from")]  # row, line


FAR_TIMES = [
    "12024-01-02T10:00:00Z",
    "-0044-03-15",  # 45 BC
    "infinity",
    "9999-12-31T23:30:00-01:00",  # 10000-01-01 in UTC
    "0001-01-01T00:30:00+01:00",  # 1 BC in UTC
]
LAST_DAY = "9999-12-31T10:00:00Z"


def _far_export(folder: Path, reader: str) -> tuple[Path, ExportLayout | None]:
    """The far times and a message on the last day a time can fall on, in one export of each kind."""
    times = [*FAR_TIMES, LAST_DAY]
    if reader == "json":
        body = [
            {
                "from": {"emailAddress": {"address": "alice@riverside.example"}},
                "toRecipients": [{"emailAddress": {"address": "bob@riverside.example"}}],
                "sentDateTime": t,
            }
            for t in times
        ]
        return write(folder, "mail.json", json.dumps(body)), None
    if reader == "unix":  # Unix seconds past year 9999 (and past DuckDB's times) next to a good one
        seconds = ("1e20", "253402250000")
        rows = "".join(f"alice@riverside.example,bob@riverside.example,{s}\n" for s in seconds)
        layout = ExportLayout(
            {"sender": "from", "recipients": "to", "timestamp": "sent"}, timestamp_format="unix"
        )
        return write(folder, "mail.csv", "from,to,sent\n" + rows), layout
    rows = "".join(f"alice@riverside.example,bob@riverside.example,{t}\n" for t in times)
    header = "Sender,Recipient,EventDate\n" if reader == "per-recipient" else "sender,recipients,timestamp\n"
    return write(folder, "mail.csv", header + rows), PER_RECIPIENT if reader == "per-recipient" else None


@pytest.mark.parametrize("reader", ["per-message", "per-recipient", "json", "unix"])
def test_a_time_outside_years_1_to_9999_is_a_bad_date_on_its_line_on_every_reader(
    tmp_path: Path, reader: str
) -> None:
    # DuckDB reads year 12024, years BC and "infinity" as times: they were counted
    # outside-period even with no period set, while the mbox reader called them bad-date;
    # Unix seconds beyond DuckDB's times ended the import with a traceback.
    path, layout = _far_export(tmp_path, reader)
    result = load_email(path, Resolver(PEOPLE), internal_domains=DOMAINS, layout=layout)
    column = {"json": "sentDateTime", "per-recipient": "EventDate", "unix": "sent"}.get(reader, "timestamp")
    written = ["1e20"] if reader == "unix" else FAR_TIMES
    assert [str(i) for i in result.issues] == [
        f'{path.name} line {line}, column "{column}": timestamp "{t}" is not in years 1 to 9999 (UTC) '
        "(correct the date, or remove the row) [bad-date]"
        for line, t in enumerate(written, start=1 if reader == "json" else 2)
    ]
    assert "outside-period" not in result.normalisations  # the last day of year 9999 is a day like any
    assert result.person_counts.values.tolist() == [["1", 1, 0], ["2", 0, 1]]


ZWSP = "\u200b"


def _twice_sent(folder: Path, reader: str) -> tuple[Path, ExportLayout | None]:
    """One message to bob exported twice, its second Message-ID with a zero-width space, in each layout."""
    ids = ["<m1@riverside.example>", f"<m1@riverside.example>{ZWSP}"]
    if reader == "json":
        body = [
            {
                "from": {"emailAddress": {"address": "alice@riverside.example"}},
                "toRecipients": [{"emailAddress": {"address": "bob@riverside.example"}}],
                "sentDateTime": "2024-01-02T10:00:00Z",
                "internetMessageId": mid,
            }
            for mid in ids
        ]
        return write(folder, "mail.json", json.dumps(body)), None
    if reader == "two-file":  # the second file names the message without the space: the same message
        messages = "".join(f"{mid},alice@riverside.example,2024-01-02T10:00:00Z\n" for mid in ids)
        write(folder, "recipients.csv", f"message_id,recipient\n{ids[0]},bob@riverside.example\n")
        recipients = ExportLayout({"message_id": "message_id", "recipient": "recipient"})
        layout = ExportLayout(
            {"message_id": "message_id", "sender": "sender", "timestamp": "timestamp"},
            recipients_path=folder / "recipients.csv",
            recipients=recipients,
        )
        return write(folder, "messages.csv", "message_id,sender,timestamp\n" + messages), layout
    if reader == "mbox":
        return write(folder, "mail.mbox", "".join(
            f"From alice@riverside.example Tue Jan  2 10:00:00 2024\nFrom: alice@riverside.example\n"
            f"To: bob@riverside.example\nDate: Tue, 2 Jan 2024 10:00:00 +0000\n"
            f"Message-ID: {mid.replace('@', ZWSP + '@') if mid.endswith(ZWSP) else mid}\n\nhello\n\n"
            for mid in ids
        )), None  # fmt: skip
    header = "sender,recipient,timestamp,message_id" if reader == "per-recipient" else (
        "sender,recipients,timestamp,message_id"
    )  # fmt: skip
    rows = "".join(
        f"alice@riverside.example,bob@riverside.example,2024-01-02T10:00:00Z,{mid}\n" for mid in ids
    )
    return write(folder, "mail.csv", f"{header}\n{rows}"), None


@pytest.mark.parametrize("reader", ["per-message", "per-recipient", "json", "two-file", "mbox"])
def test_a_message_id_with_an_invisible_character_is_the_same_message(tmp_path: Path, reader: str) -> None:
    # "m1" and "m1" + U+200B were two Message-IDs, so the copy counted twice; addresses
    # already lost such characters (id-normalised), now Message-IDs do too, on every reader.
    path, layout = _twice_sent(tmp_path, reader)
    result = load_email(
        path, Resolver(PEOPLE), internal_domains=DOMAINS, layout=layout, rules=TieRules(min_messages=1)
    )
    assert result.ties[["source", "target", "weight", "count"]].values.tolist() == [["1", "2", 1.0, 1]]
    expected = {"id-normalised": 1} if reader == "per-recipient" else {
        "duplicate-message-id": 1, "id-normalised": 1
    }  # fmt: skip
    assert result.normalisations == expected  # per recipient, the rows of one message are grouped by ID
    assert result.issues == ()


NO_ROSTER_HINT = (
    "give the roster each person's e-mail address: an email column, or map yours in [people], "
    'e.g. columns = { email = "work_email" }'
)


def test_a_log_on_no_roster_is_shown_by_a_plain_address_of_its_most_common_domain(tmp_path: Path) -> None:
    # With internal_domains mistyped, the example was the sample's spoof test address
    # ""mei.taylor@evil.example"@riverside.example", first in sort order as '"' sorts before letters.
    log = write(
        tmp_path,
        "log.csv",
        "Sender;Recipient;EventDate\n"
        '"""mei@evil.example""@riverside.example";bob@riverside.example;2024-01-02T10:00Z\n'
        "Ann@Partner.example;bob@riverside.example;2024-01-03T10:00Z\n"
        "ann@partner.example;Zoe@Riverside.example;2024-01-03T11:00Z\n"
        "bob@riverside.example;carol@riverside.example;2024-01-04T10:00Z\n",
    )
    with pytest.raises(InputError) as caught:
        load_email(log, Resolver(PEOPLE), internal_domains=["riverside.exmaple"], layout=PER_RECIPIENT)
    example = 'outside internal_domains (riverside.exmaple), such as "bob@riverside.example")'
    assert f"(of their addresses, 8 {example}" in str(caught.value)


def test_a_log_whose_addresses_are_on_no_roster_fails_rather_than_giving_no_tie(tmp_path: Path) -> None:
    # A reviewer's run: a roster without an email column gave an empty network, exit 0, and
    # `leadnet validate` said "no problems found"; every address was counted unknown-address.
    log = write(
        tmp_path,
        "log.csv",
        "Sender;Recipient;EventDate\n"
        "alice@riverside.example;bob@riverside.example;2024-01-02T10:00Z\n"
        "bob@riverside.example;alice@riverside.example;2024-01-03T10:00Z\n",
    )
    no_email = Resolver(PEOPLE[["person_id"]])
    with pytest.raises(InputError) as caught:
        load_email(log, no_email, internal_domains=DOMAINS, layout=PER_RECIPIENT)
    assert str(caught.value) == (
        "log.csv: no sender or recipient of its 2 message(s) is a person on the roster (of their addresses, "
        '4 not on the roster, such as "alice@riverside.example"), so it gives no tie '
        f"({NO_ROSTER_HINT}) [no-roster-address]"
    )
    with pytest.raises(InputError) as caught:  # internal_domains naming another domain
        load_email(log, Resolver(PEOPLE), internal_domains=["riverside.test"], layout=PER_RECIPIENT)
    assert "(of their addresses, 4 outside internal_domains (riverside.test), such as" in str(caught.value)
    assert "(list the log's own domain in [project] internal_domains, or give the roster" in str(caught.value)
    one_known = Resolver(PEOPLE[PEOPLE["person_id"] == "1"])  # one person found: a log, however sparse
    result = load_email(log, one_known, internal_domains=DOMAINS, layout=PER_RECIPIENT)
    assert result.ties.empty and result.normalisations == {"unknown-address": 1, "unknown-sender": 1}
