"""Columns a file has under a role's name that no role reads are warned of, naming the file, each column
and its role and the line to add to leadnet.toml's map; the map suggested for a roster without a
person_id column names every role its header has, so pasted as given it reads the roster whole."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

from leadnet.config import load_config
from leadnet.errors import InputError, LeadnetWarning
from leadnet.importers.project import ProjectInputs, load_project

ROSTER = "person_id,unit,email\n" + "".join(f"E{i},u{i % 2},p{i}@x.org\n" for i in range(1, 7))
LOG = "From,To,Cc,Date,Message-ID\n" + "".join(
    f"p{a}@x.org,p{b}@x.org,p{c}@x.org,2024-01-0{day}T10:00Z,<{a}.{day}@x.org>\n"
    for a, b, c in ((1, 2, 3), (2, 1, 3))
    for day in (2, 3)
)
"""A log whose Cc names p3 on every message."""
SURVEY = "respondent,nominee\nE1,E2\nE2,E1\n"


def read(folder: Path, toml: str, files: dict[str, str]) -> tuple[ProjectInputs, list[str]]:
    """The project of ``toml`` and ``files`` read by ``leadnet validate``, and leadnet's warnings."""
    for name, text in {"leadnet.toml": toml, **files}.items():
        (folder / name).write_text(text, encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        inputs = load_project(load_config(folder), strict=False)
    return inputs, [str(w.message) for w in caught if issubclass(w.category, LeadnetWarning)]


def mail_toml(columns: str) -> str:
    """A leadnet.toml of the roster and ``mail.csv`` (its source's map ``columns``: on line 10)."""
    return (
        '[project]\ninternal_domains = ["x.org"]\n\n[people]\npath = "people.csv"\n\n'
        f'[[sources]]\nkind = "email"\npath = "mail.csv"\n{columns}'
    )


def test_an_e_mail_map_without_cc_warns_of_the_cc_column_and_the_line_to_add(tmp_path: Path) -> None:
    # A review: the map left out cc, so every Cc recipient was dropped with no count and no word.
    columns = (
        'columns = { sender = "From", recipients = "To", timestamp = "Date", message_id = "Message-ID" }'
    )
    inputs, warned = read(tmp_path, mail_toml(columns), {"people.csv": ROSTER, "mail.csv": LOG})
    assert warned == [
        'mail.csv line 1: column "Cc" (cc) is not read, so every Cc recipient is dropped uncounted; add  '
        'cc = "Cc"  to columns of [[sources]] #1 at leadnet.toml line 10'
    ]
    assert inputs.snapshots["main"].ties[["source", "target"]].values.tolist() == [["E1", "E2"], ["E2", "E1"]]


def test_an_export_read_by_its_roles_names_with_a_time_column_unread_is_given_the_whole_map(
    tmp_path: Path,
) -> None:
    # No map: the roles' own headers are read; a map with the time alone would stop their being read.
    log = LOG.replace("From,To,Cc,Date,Message-ID", "sender,recipients,cc,sent_at,message_id")
    _, warned = read(tmp_path, mail_toml(""), {"people.csv": ROSTER, "mail.csv": log})
    assert warned == [
        'mail.csv line 1: column "sent_at" (timestamp) is not read, so every message is rejected '
        'missing-date; add  columns = { sender = "sender", recipients = "recipients", cc = "cc", '
        'message_id = "message_id", timestamp = "sent_at" }  to [[sources]] #1 at leadnet.toml line 7'
    ]


def test_an_unmapped_date_column_is_named_with_the_line_to_add_and_each_rejected_message_says_why(
    tmp_path: Path,
) -> None:
    # Every message was rejected missing-date, each told to "fill in when the message was sent".
    columns = 'columns = { sender = "From", recipients = "To", cc = "Cc", message_id = "Message-ID" }'
    inputs, warned = read(tmp_path, mail_toml(columns), {"people.csv": ROSTER, "mail.csv": LOG})
    assert warned[0] == (
        'mail.csv line 1: column "Date" (timestamp) is not read, so every message is rejected missing-date; '
        'add  timestamp = "Date"  to columns of [[sources]] #1 at leadnet.toml line 10'
    )
    assert [str(issue) for issue in inputs.issues] == [
        f"mail.csv line {line}: no timestamp: no column is read as timestamp (map timestamp to the column of "
        "when each message was sent, in the source's columns of leadnet.toml) [missing-date]"
        for line in range(2, 6)
    ]


def people_toml(columns: str) -> str:
    """A leadnet.toml of ``people.csv`` (its map ``columns``: on line 3) and a survey."""
    return f'[people]\npath = "people.csv"\n{columns}\n\n[[sources]]\nkind = "survey"\npath = "survey.csv"\n'


def test_roster_columns_that_look_like_a_role_no_column_reads_are_warned_of_by_name(tmp_path: Path) -> None:
    # Grade and Line manager were kept as plain attributes: nobody ranked, nobody anyone's manager.
    roster = (
        "employee_id,name,email,Directorate,Team,Grade,Line manager,Location\n"
        "E1,Ann,a@x.org,Ops,A,1,,Leeds\nE2,Bob,b@x.org,Ops,A,2,E1,York\n"
    )
    columns = 'columns = { person_id = "employee_id", unit = "Directorate", name = "name", email = "email" }'
    _, warned = read(tmp_path, people_toml(columns), {"people.csv": roster, "survey.csv": SURVEY})
    assert warned == [
        'people.csv line 1: columns "Team" (unit, which reads "Directorate"), "Grade" (level) and '
        '"Line manager" (manager_id) are kept as attributes, not read as those roles; add  level = "Grade", '
        'manager_id = "Line manager"  to columns of [people] at leadnet.toml line 3'
    ]


def test_a_roster_whose_other_columns_are_no_role_it_measures_warns_of_nothing(tmp_path: Path) -> None:
    roster = (
        "person_id,Full name,Work email,email,Department,Grade,manager,Location\n"
        "E1,Ann,a@x.org,ann@x.org,Ops,1,,Leeds\nE2,Bob,b@x.org,bob@x.org,Ops,2,E1,York\n"
    )
    columns = (
        'columns = { name = "Full name", email = "Work email", unit = "Department", level = "Grade", '
        'manager_id = "manager" }'
    )
    inputs, warned = read(tmp_path, people_toml(columns), {"people.csv": roster, "survey.csv": SURVEY})
    assert (warned, inputs.issues) == ([], ())


HR_ROSTER = (
    "Employee ID,Department,Grade,Line manager,Full name\nE1,Ops,1,,Ann\nE2,Ops,2,E1,Bob\nE3,HR,2,E1,Cy\n"
)
"""A roster as an HR system exports it: no header is a role's own name."""


def test_the_map_suggested_for_a_roster_without_person_id_reads_its_units_levels_and_managers(
    tmp_path: Path,
) -> None:
    # The map named person_id alone (or nothing: "Employee ID" is not close to "person_id" as text),
    # so pasted as given the units, levels and managers stayed unread.
    files = {"people.csv": HR_ROSTER, "survey.csv": SURVEY}
    for name, text in {"leadnet.toml": people_toml(""), **files}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_project(load_config(tmp_path))
    assert str(caught.value) == (
        'people.csv line 1: required column "person_id" not found; columns found: "Employee ID", '
        '"Department", "Grade", "Line manager", "Full name" (add  columns = { person_id = "Employee ID", '
        'unit = "Department", level = "Grade", manager_id = "Line manager", name = "Full name" }  to '
        "[people] at leadnet.toml line 1) [missing-column]"
    )
    given = re.search(r"add  (columns = .*)  to \[people\]", str(caught.value))
    assert given is not None
    inputs, warned = read(tmp_path, people_toml(given.group(1)), files)
    people = inputs.roster.people[["person_id", "unit", "level", "manager_id"]]
    expected = [["E1", "Ops", "1", ""], ["E2", "Ops", "2", "E1"], ["E3", "HR", "2", "E1"]]
    assert people.values.tolist() == expected
    assert (warned, inputs.issues) == ([], ())


def test_each_warning_of_a_job_is_given_on_once_as_it_came_and_its_figures_warnings_kept_as_cautions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each warning of a source was caught and given on twice: by the job's reading and by the placing of
    # its unread columns. What the user sees was the same; now it passes through once.
    given_on: list[str] = []
    warn_explicit = warnings.warn_explicit

    def counted(message: Warning | str, *args: object, **kwargs: object) -> None:
        given_on.append(str(message))
        warn_explicit(message, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(warnings, "warn_explicit", counted)
    columns = (
        'columns = { sender = "From", recipients = "To", timestamp = "Date", message_id = "Message-ID" }'
    )
    files = {
        "leadnet.toml": mail_toml(columns) + '\n[[sources]]\nkind = "survey"\npath = "survey.csv"\n',
        "people.csv": "person_id,unit,email,Grade\n"
        + "".join(f"E{i},u{i % 2},p{i}@x.org,{i}\n" for i in range(1, 7)),
        "mail.csv": LOG,
        "survey.csv": "respondent,nominee,Frequency\nE1,E2,5\nE2,E1,1\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        inputs = load_project(load_config(tmp_path), strict=False)
    frequency = (
        'survey.csv line 1: column "Frequency" is not read, so every tie weighs 1 whatever its value ("1", '
        '"5"); if a larger number means a stronger tie, read it as the weight: rename its header "weight", '
        'or map the column: columns = { weight = "Frequency" } in leadnet.toml'
    )
    seen = [(w.category.__name__, str(w.message)) for w in caught]
    assert seen == [
        (
            "UnreadColumns",
            'people.csv line 1: column "Grade" (level) is kept as an attribute, not read as that role; add  '
            'columns = { level = "Grade" }  to [people] at leadnet.toml line 4',
        ),
        (
            "UnreadColumns",
            'mail.csv line 1: column "Cc" (cc) is not read, so every Cc recipient is dropped uncounted; add  '
            'cc = "Cc"  to columns of [[sources]] #1 at leadnet.toml line 10',
        ),
        ("FiguresWarning", frequency),
    ]
    assert given_on == [text for _, text in seen]
    assert inputs.snapshots["main"].provenance.cautions == (frequency,)
