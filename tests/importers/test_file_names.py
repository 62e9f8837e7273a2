"""The name an input file goes by in messages, warnings, ``rejected.csv`` and the provenance: its path
relative to the project folder when it lies inside it, else as written in ``leadnet.toml`` or typed on
the command line, never made absolute."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from leadnet.cli import main

ROSTER = "person_id,unit,level\nE1,ops,1\nE2,ops,2\nE3,hr,2\nE4,hr,3\n"
UNKNOWN = 'column "nominee": unknown person "{}" (add them to the roster or correct the id)'
"""The detail of the unknown nominee of a row."""


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def two_surveys(folder: Path) -> Path:
    """A project reading ``a/survey.csv`` and ``b/survey.csv``, each with one nominee nobody is."""
    folder.mkdir()
    (folder / "people.csv").write_text(ROSTER, encoding="utf-8")
    for wave, stranger in (("a", "Q7"), ("b", "Z8")):
        (folder / wave).mkdir()
        text = f"respondent,nominee\nE1,E2\nE2,{stranger}\nE3,E4\n"
        (folder / wave / "survey.csv").write_text(text, encoding="utf-8")
    (folder / "leadnet.toml").write_text(
        '[people]\npath = "people.csv"\n\n'
        '[[sources]]\nkind = "survey"\npath = "a/survey.csv"\n\n'
        '[[sources]]\nkind = "survey"\npath = "b/survey.csv"\n\n'
        "[analysis]\nmax_reject_rate = 0.5\n",
        encoding="utf-8",
    )
    return folder


def test_validate_tells_two_surveys_of_one_name_in_two_folders_apart(
    tmp_path: Path,
) -> None:
    # Both were "survey.csv line 3": which file the bad row was in could not be told.
    folder = two_surveys(tmp_path / "p")
    validated = run("validate", str(folder))
    assert (validated.exit_code, validated.output.splitlines()) == (
        1,
        [
            f"a/survey.csv line 3, {UNKNOWN.format('Q7')} [unknown-person]",
            f"b/survey.csv line 3, {UNKNOWN.format('Z8')} [unknown-person]",
            "snapshot main: 4 people, 2 ties, 10 rows read, 2 rejected",
            "2 problem(s) found",
        ],
    )


def test_rejected_csv_names_each_of_two_surveys_of_one_name_by_its_path_in_the_project(
    tmp_path: Path,
) -> None:
    # rejected.csv's file column said "survey.csv" for both, beside summary.json's inputs that told them
    # apart (a/survey.csv, b/survey.csv): its rows could not be joined to their input.
    folder = two_surveys(tmp_path / "p")
    out = tmp_path / "out"
    assert run("analyse", str(folder), "--out", str(out), "--quiet").exit_code == 0
    with (out / "rejected.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows == [
        {"file": "a/survey.csv", "line": "3", "code": "unknown-person", "detail": UNKNOWN.format("Q7")},
        {"file": "b/survey.csv", "line": "3", "code": "unknown-person", "detail": UNKNOWN.format("Z8")},
    ]
    inputs = json.loads((out / "summary.json").read_text(encoding="utf-8"))["provenance"]["inputs"]
    assert [(i["path"], i["rows_rejected"]) for i in inputs] == [
        ("people.csv", 0),
        ("a/survey.csv", 1),
        ("b/survey.csv", 1),
    ]


def outside_roster(tmp_path: Path, roster: str) -> Path:
    """A project in ``p`` whose roster is ``../hr/roster.csv``."""
    (tmp_path / "hr").mkdir()
    (tmp_path / "hr" / "roster.csv").write_text(roster, encoding="utf-8")
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "survey.csv").write_text("respondent,nominee\nE1,E2\nE2,E3\nE3,E4\n", encoding="utf-8")
    (folder / "leadnet.toml").write_text(
        '[people]\npath = "../hr/roster.csv"\n\n[[sources]]\nkind = "survey"\npath = "survey.csv"\n',
        encoding="utf-8",
    )
    return folder


def test_a_warning_and_a_note_on_a_roster_outside_the_project_name_it_as_leadnet_toml_does(
    tmp_path: Path,
) -> None:
    # Errors named ../hr/roster.csv, but the warning of blank levels and validate's note on blank rows
    # said "roster.csv", which says nothing of where the file is.
    folder = outside_roster(tmp_path, "person_id,unit,level\nE1,ops,1\nE2,ops,\n\nE3,hr,2\nE4,hr,3\n")
    validated = run("validate", str(folder))
    assert (validated.exit_code, validated.output.splitlines()) == (
        0,
        [
            "note: ../hr/roster.csv (the roster) has 1 blank row (line 4): skipped and counted; if one was "
            "meant to hold a person, fill it in",
            "snapshot main: 4 people, 3 ties, 8 rows read, 0 rejected",
            'warning: ../hr/roster.csv: 1 of the 4 people has no level in column "level" (line 3), so '
            "figures by level leave them out (the shares outside the top levels, the table by level, the "
            "correlation of level with influence; counted as n_unknown_level in summary.json); fill in "
            "their level",
            "no errors; 1 warning",
        ],
    )


def test_files_given_outside_the_project_are_recorded_as_written_never_as_absolute_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # summary.json and the report's footer recorded /tmp/…/elsewhere/s.csv (a /home/<user>/… path on a
    # laptop) for --survey elsewhere/s.csv, and the roster of ../hr/roster.csv the same way.
    outside_roster(tmp_path, ROSTER)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "s.csv").write_text("respondent,nominee\nE1,E3\nE4,E1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    done = run("analyse", "p", "--survey", "elsewhere/s.csv", "--out", "out", "--quiet")
    assert done.exit_code == 0, done.output
    summary = (tmp_path / "out" / "summary.json").read_text(encoding="utf-8")
    inputs = json.loads(summary)["provenance"]["inputs"]
    # both from the project folder p, as leadnet.toml's paths are
    assert [(i["path"], i["rows_read"]) for i in inputs] == [
        ("../hr/roster.csv", 4),
        ("../elsewhere/s.csv", 2),
    ]
    report = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert [str(tmp_path) in text for text in (summary, report)] == [False, False]
    assert [name in report for name in ("../hr/roster.csv (people)", "../elsewhere/s.csv (survey)")] == [
        True,
        True,
    ]


def test_a_relative_flag_path_typed_in_another_folder_is_recorded_from_the_project_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "../../s.csv" typed in work/sub was recorded as typed beside leadnet.toml's "../hr/roster.csv", so
    # read from the project folder it named another file
    outside_roster(tmp_path, ROSTER)
    (tmp_path / "work" / "sub").mkdir(parents=True)
    (tmp_path / "s.csv").write_text("respondent,nominee\nE1,E3\nE4,E1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "work" / "sub")
    done = run("analyse", "../../p", "--survey", "../../s.csv", "--out", "out", "--quiet")
    assert done.exit_code == 0, done.output
    inputs = json.loads((tmp_path / "work" / "sub" / "out" / "summary.json").read_text(encoding="utf-8"))
    assert [i["path"] for i in inputs["provenance"]["inputs"]] == ["../hr/roster.csv", "../s.csv"]


def test_an_outside_recipients_file_is_named_from_the_project_folder(tmp_path: Path) -> None:
    # recipients.path is written from its messages file's folder: "r.csv" beside ../ext/m.csv was recorded
    # and named "r.csv", which from the project folder is another file
    folder, ext = tmp_path / "p", tmp_path / "ext"
    folder.mkdir(), ext.mkdir()
    (folder / "people.csv").write_text("person_id,email\nE1,ann@x.org\nE2,bob@x.org\n", encoding="utf-8")
    (ext / "m.csv").write_text(
        "message_id,from,sent_at\nm1,ann@x.org,2026-01-01T10:00:00Z\n", encoding="utf-8"
    )
    (ext / "r.csv").write_text("message_id,to\nm1,bob@x.org\nm1,\n", encoding="utf-8")
    (folder / "leadnet.toml").write_text(
        '[project]\ninternal_domains = ["x.org"]\n[people]\npath = "people.csv"\n[[sources]]\n'
        'kind = "email"\npath = "../ext/m.csv"\n'
        'columns = { sender = "from", timestamp = "sent_at", message_id = "message_id" }\n'
        'recipients = { path = "r.csv", columns = { message_id = "message_id", recipient = "to" } }\n'
        "[analysis]\nmax_reject_rate = 0.9\n",
        encoding="utf-8",
    )
    validated = run("validate", str(folder))
    assert validated.output.splitlines()[0] == (
        '../ext/r.csv line 3, column "to": no recipient (fill in the recipient\'s address, or remove the '
        "row) [missing-recipient]"
    )


def test_two_mail_logs_of_one_name_in_two_folders_are_told_apart(tmp_path: Path) -> None:
    # The e-mail importer names a file by its own name (one log's files must not share one), so two waves'
    # mail.csv were both "mail.csv" in validate's list and rejected.csv.
    folder = tmp_path / "p"
    folder.mkdir()
    roster = "person_id,unit,email\nE1,ops,ann@x.org\nE2,ops,bob@x.org\n"
    (folder / "people.csv").write_text(roster, encoding="utf-8")
    entries = ['[people]\npath = "people.csv"\n']
    for wave in ("w1", "w2"):
        (folder / wave).mkdir()
        log = (
            "sender,recipients,timestamp,message_id\n"
            f"ann@x.org,bob@x.org,2026-01-01T10:00:00Z,<1@{wave}>\n,bob@x.org,2026-01-02T10:00:00Z,<2@{wave}>\n"
        )
        (folder / wave / "mail.csv").write_text(log, encoding="utf-8")
        entries.append(f'[[sources]]\nkind = "email"\npath = "{wave}/mail.csv"\nsnapshot = "{wave}"\n')
    entries.append("[analysis]\nmax_reject_rate = 0.5\n")
    (folder / "leadnet.toml").write_text("\n".join(entries), encoding="utf-8")
    no_sender = 'line 3, column "sender": no sender (fill in the sender\'s address, or remove the row)'
    no_tie = (
        ": no tie: no one sent another person min_messages messages; lower min_messages (now 2; the most "
        "messages one person sent another is 1)"
    )
    validated = run("validate", str(folder))
    assert validated.output.splitlines() == [
        f"w1/mail.csv {no_sender} [missing-from]",
        f"w2/mail.csv {no_sender} [missing-from]",
        "snapshot w1: 2 people, 0 ties, 4 rows read, 1 rejected",
        "snapshot w2: 2 people, 0 ties, 4 rows read, 1 rejected",
        f"warning: w1/mail.csv{no_tie}",
        f"warning: w2/mail.csv{no_tie}",
        "2 problem(s) found; 2 warnings",
    ]
    assert run("analyse", str(folder), "--out", str(tmp_path / "out"), "--quiet").exit_code == 0
    rows = []
    for wave in ("w1", "w2"):
        with (tmp_path / "out" / wave / "rejected.csv").open(encoding="utf-8-sig", newline="") as f:
            rows.extend(csv.DictReader(f))
    detail = no_sender.removeprefix("line 3, ")
    assert rows == [
        {"file": "w1/mail.csv", "line": "3", "code": "missing-from", "detail": detail},
        {"file": "w2/mail.csv", "line": "3", "code": "missing-from", "detail": detail},
    ]


def test_an_e_mail_export_s_unread_column_is_warned_of_by_the_path_of_its_file(tmp_path: Path) -> None:
    # The e-mail importer's warning of a column no role reads said "mail.csv line 1", the file's own name.
    folder = tmp_path / "p"
    (folder / "w1").mkdir(parents=True)
    (folder / "people.csv").write_text("person_id,unit,email\nE1,ops,ann@x.org\nE2,ops,bob@x.org\n")
    (folder / "w1" / "mail.csv").write_text(
        "From,To,Cc,Date\nann@x.org,bob@x.org,,2026-01-01T10:00:00Z\n", encoding="utf-8"
    )
    (folder / "leadnet.toml").write_text(
        '[people]\npath = "people.csv"\n\n[[sources]]\nkind = "email"\npath = "w1/mail.csv"\n'
        'columns = { sender = "From", recipients = "To", timestamp = "Date" }\n',
        encoding="utf-8",
    )
    validated = run("validate", str(folder))
    assert [line for line in validated.output.splitlines() if "Cc" in line] == [
        'warning: w1/mail.csv line 1: column "Cc" (cc) is not read, so every Cc recipient is dropped '
        'uncounted; add  cc = "Cc"  to columns of [[sources]] #1 at leadnet.toml line 7'
    ]
