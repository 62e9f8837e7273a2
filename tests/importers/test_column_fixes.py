"""A file's missing column, its fix written as what to put in leadnet.toml: for a file given on the command
line, which no column map reads, the whole entry to write (its kind, path and map), naming its header."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from leadnet.config import Config, SourceSection, load_config
from leadnet.errors import InputError
from leadnet.importers.project import load_project
from leadnet.overrides import with_overrides
from leadnet.paths import located

ROSTER = "person_id,unit,email\n" + "".join(f"{i},u{i % 2},p{i}@x.org\n" for i in range(1, 7))
MAIL = "From,To,Date,Message-ID\n" + "".join(
    f"p{a}@x.org,p{b}@x.org,2024-01-0{day}T10:00Z,<{a}.{day}@x.org>\n"
    for a, b in ((1, 2), (2, 1))
    for day in (2, 3)
)
"""A log with the header names of the messages themselves."""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return located(path)


def error_of(config: Config) -> str:
    with pytest.raises(InputError) as caught:
        load_project(config)
    return str(caught.value)


def flags(config: Config, roster: Path, kind: str, path: Path) -> Config:
    """``config`` with ``--people roster`` and ``--KIND path``."""
    return with_overrides(config, people=roster, sources=[SourceSection(kind=kind, path=path)])


def test_an_e_mail_flag_s_file_with_no_leadnet_toml_gives_the_entry_to_write_in_one_in_its_folder(
    tmp_path: Path,
) -> None:
    # It said only "name the columns sender, recipients, ... or map them with columns = { sender = ..., ... }
    # in the source's [[sources]] entry of leadnet.toml", though the same file listed in leadnet.toml got
    # the map to write, guessed from its header.
    roster = write(tmp_path / "people.csv", ROSTER)
    log = write(tmp_path / "exports" / "mail.csv", "From,To,Date\np1@x.org,p2@x.org,2024-01-02T10:00Z\n")
    assert error_of(flags(Config(root=tmp_path), roster, "email", log)) == (
        "exports/mail.csv line 1: no column is mapped to sender or recipients; columns found: "
        '"From", "To", "Date" '
        '(write the entry  [[sources]]  kind = "email"  path = "mail.csv"  columns = { sender = "From", '
        'recipients = "To", timestamp = "Date" }  (a line each) in a leadnet.toml in mail.csv\'s folder and '
        "give leadnet that folder instead of --email) [missing-column]"
    )


def test_a_flag_s_file_beside_a_leadnet_toml_gives_the_entry_to_write_there_with_its_path_from_it(
    tmp_path: Path,
) -> None:
    # The flag replaces the file's e-mail sources, so the entry only reads the file once the flag is gone.
    roster = write(tmp_path / "people.csv", ROSTER)
    write(tmp_path / "leadnet.toml", '[people]\npath = "people.csv"\n')
    config = load_config(tmp_path)
    inside = write(tmp_path / "exports" / "mail.csv", "From,To\np1@x.org,p2@x.org\n")
    outside = write(tmp_path.parent / f"{tmp_path.name}-other" / "mail.csv", "From,To\np1@x.org,p2@x.org\n")
    # Named by its path from the project folder, or, outside it and given by no flag typed, by its name.
    for log, named, written in (
        (inside, "exports/mail.csv", "exports/mail.csv"),
        (outside, "mail.csv", outside.as_posix()),
    ):
        assert error_of(flags(config, roster, "email", log)) == (
            f'{named} line 1: no column is mapped to sender or recipients; columns found: "From", "To" '
            f'(write the entry  [[sources]]  kind = "email"  path = "{written}"  columns = '
            '{ sender = "From", recipients = "To" }  (a line each) in leadnet.toml and run without --email, '
            "which would replace it) [missing-column]"
        )


@pytest.mark.parametrize(
    ("kind", "header", "missing", "found"),
    [
        ("survey", "Respondent,Nominee name", "nominee", '"Respondent"'),
        ("ties", "source,Target name", "target", '"source"'),
        ("membership", "person,projekt", "project", '"person"'),
    ],
)
def test_a_survey_tie_list_or_membership_flag_s_file_names_a_header_like_a_missing_one_by_position(
    tmp_path: Path, kind: str, header: str, missing: str, found: str
) -> None:
    # It said 'write the entry ... columns = { target = "Nominee name" } ...', quoting a cell only like a
    # header name, which may be a person's name ("Mary Target"): it is named by its position instead.
    roster = write(tmp_path / "people.csv", ROSTER)
    data = write(tmp_path / f"{kind}.csv", f"{header}\n1,2\n")
    assert error_of(flags(Config(root=tmp_path), roster, kind, data)) == (
        f'{kind}.csv line 1: required column "{missing}" not found; columns found: {found} and 1 more, not '
        f'shown, as no header the file reads (the 2nd column\'s header reads like "{missing}": rename it to '
        f'"{missing}") [missing-column]'
    )


def test_a_people_flag_s_roster_with_no_leadnet_toml_gives_the_people_entry_to_write(tmp_path: Path) -> None:
    roster = write(tmp_path / "staff" / "roster.csv", "Employee ID,unit\n1,u\n")
    config = with_overrides(Config(root=tmp_path), people=roster, sources=[SourceSection("ties", roster)])
    assert error_of(config) == (
        'staff/roster.csv line 1: required column "person_id" not found; columns found: "Employee ID", '
        '"unit" (write the entry  [people]  path = "roster.csv"  columns = { person_id = "Employee ID" }  (a '
        "line each) in a leadnet.toml in roster.csv's folder and give leadnet that folder instead of "
        "--people) [missing-column]"
    )


def test_the_entry_a_flag_s_file_is_given_written_in_leadnet_toml_reads_every_message(tmp_path: Path) -> None:
    # The time's header, Date, was left out of the map: written as given, every message was rejected
    # missing-date.
    roster = write(tmp_path / "people.csv", ROSTER)
    log = write(tmp_path / "mail.csv", MAIL)
    hint = re.search(
        r"write the entry  (.*)  \(a line each\)",
        error_of(flags(Config(root=tmp_path), roster, "email", log)),
    )
    assert hint is not None
    entry = "\n".join(hint.group(1).split("  "))
    assert entry.endswith('timestamp = "Date", message_id = "Message-ID" }')
    assert_reads_every_message(tmp_path, entry, roster)


def test_the_map_a_listed_log_is_given_names_its_date_and_message_id_and_reads_every_message(
    tmp_path: Path,
) -> None:
    roster = write(tmp_path / "people.csv", ROSTER)
    source, given = map_given(tmp_path, MAIL, roster)
    assert (
        given
        == 'columns = { sender = "From", recipients = "To", timestamp = "Date", message_id = "Message-ID" }'
    )
    assert_reads_every_message(tmp_path, f"{source}\n{given}", roster)


def map_given(folder: Path, log: str, roster: Path) -> tuple[str, str]:
    """The ``[[sources]]`` entry of ``log`` (``mail.csv``, no map) and the map its error says to add."""
    write(folder / "mail.csv", log)
    source = '[[sources]]\nkind = "email"\npath = "mail.csv"'
    write(folder / "leadnet.toml", source)
    hint = re.search(
        r"\(add  (columns = .*)  to \[\[sources\]\] #1",
        error_of(with_overrides(load_config(folder), people=roster)),
    )
    assert hint is not None
    return source, hint.group(1)


def assert_reads_every_message(
    folder: Path, source: str, roster: Path, ties: list[list[object]] | None = None
) -> None:
    """The e-mail ``source`` written in ``folder``'s leadnet.toml reads its log with no row rejected,
    giving ``ties`` (source, target, count; ``MAIL``'s by default)."""
    write(folder / "leadnet.toml", f'[project]\ninternal_domains = ["x.org"]\n\n{source}\n')
    inputs = load_project(with_overrides(load_config(folder), people=roster))
    snapshot = inputs.snapshots["main"]
    assert (inputs.issues, len(snapshot.rejected)) == ((), 0)
    expected = ties or [["1", "2", 2], ["2", "1", 2]]
    assert snapshot.ties[["source", "target", "count"]].values.tolist() == expected


def test_the_map_an_export_s_own_header_names_is_given_reads_its_cc_and_time_too(tmp_path: Path) -> None:
    # A review: for a header like the sample's (from,to,cc,sent_at,message_id) the map left out cc and
    # sent_at: pasted, every message was rejected missing-date, and with the time added the Cc
    # recipients were dropped without a count (12 ties fewer on Riverside).
    roster = write(tmp_path / "people.csv", ROSTER)
    rows = [(a, b, cc, day) for a, b, cc in ((1, 2, "p3@x.org"), (2, 1, "")) for day in (2, 3)]
    log = "from,to,cc,sent_at,message_id\n" + "".join(
        f"p{a}@x.org,p{b}@x.org,{cc},2024-01-0{day}T10:00Z,<{a}.{day}@x.org>\n" for a, b, cc, day in rows
    )
    source, given = map_given(tmp_path, log, roster)
    assert given == (
        'columns = { sender = "from", recipients = "to", cc = "cc", timestamp = "sent_at", '
        'message_id = "message_id" }'
    )
    ties = [["1", "2", 2], ["1", "3", 2], ["2", "1", 2]]
    assert_reads_every_message(tmp_path, f"{source}\n{given}", roster, ties)


def test_a_second_e_mail_file_of_a_log_missing_a_column_names_its_own_source_s_line(tmp_path: Path) -> None:
    # The files of one log are read as one job; the fix named the job's first source, [[sources]] #1
    # at line 4, whose file has every column.
    write(tmp_path / "people.csv", ROSTER)
    row = "p1@x.org,p2@x.org,2024-01-02T10:00Z\n"
    write(tmp_path / "first.csv", f"sender,recipients,timestamp\n{row}")
    write(tmp_path / "second.csv", f"From,To,timestamp\n{row}")
    toml = (
        '[people]\npath = "people.csv"\n\n[[sources]]\nkind = "email"\npath = "first.csv"\n\n'
        '[[sources]]\nkind = "email"\npath = "second.csv"\n'
    )
    write(tmp_path / "leadnet.toml", toml)
    assert error_of(load_config(tmp_path)) == (
        'second.csv line 1: no column is mapped to sender or recipients; columns found: "From", "To", '
        '"timestamp" (add  columns = { sender = "From", recipients = "To", timestamp = "timestamp" }  to '
        "[[sources]] #2 at leadnet.toml line 8) [missing-column]"
    )
