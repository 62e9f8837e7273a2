"""Paths of leadnet.toml (paths.py): a file outside the project folder is named by its path as written."""

from pathlib import Path

from click.testing import CliRunner

from leadnet.cli import main

NOT_A_TABLE = (
    "the first line has no comma, semicolon or tab, so the file is probably not a table (check the path; a "
    "table is a CSV file, its columns split by commas, semicolons or tabs, or an XLSX workbook)"
)


def shared_roster_project(tmp_path: Path, source: str) -> Path:
    """A project whose roster lies in a shared HR folder beside it, with no person_id column."""
    (tmp_path / "hr").mkdir()
    (tmp_path / "hr" / "roster.csv").write_text("unit\nE1\n", encoding="utf-8")
    folder = tmp_path / "project"
    folder.mkdir()
    toml = f'[people]\npath = "../hr/roster.csv"\n[[sources]]\nkind = "ties"\npath = "{source}"\n'
    (folder / "leadnet.toml").write_text(toml, encoding="utf-8")
    return folder


def test_files_outside_the_project_are_named_by_their_paths_as_written_by_validate(tmp_path: Path) -> None:
    # Both were named "roster.csv" and "passwd": nothing said where they were, one being /etc/passwd.
    folder = shared_roster_project(tmp_path, "/etc/passwd")
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.stdout.splitlines()[:2] == [
        '../hr/roster.csv line 1: required column "person_id" not found; columns found: "unit" (map the '
        "columns in leadnet.toml) [missing-column]",
        f'/etc/passwd line 1: required columns "source", "target" not found; {NOT_A_TABLE} [missing-column]',
    ]


def test_a_file_outside_the_project_is_named_by_its_path_as_written_by_analyse(tmp_path: Path) -> None:
    folder = shared_roster_project(tmp_path, "ties.csv")
    (folder / "ties.csv").write_text("source,target\nE1,E2\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["analyse", str(folder), "--out", str(tmp_path / "out")])
    assert (result.exit_code, result.stderr) == (
        1,
        'error: ../hr/roster.csv line 1: required column "person_id" not found; columns found: "unit" '
        "(map the columns in leadnet.toml) [missing-column]\n",
    )


def hr_files_project(tmp_path: Path) -> Path:
    """A project whose opt-out list and e-mail recipients file lie in a shared HR folder beside it, the
    opt-out list with no header, the recipients file with none of its columns."""
    toml = (
        '[people]\npath = "people.csv"\nexclude = "../hr/outx.csv"\n[[sources]]\nkind = "email"\n'
        'path = "mail.csv"\ncolumns = { message_id = "message_id", sender = "sender", timestamp = "sent" }\n'
        'recipients = { path = "../hr/r.csv" }\n'
    )
    files = {
        "hr/outx.csv": "id\nE1\n",
        "hr/r.csv": "x\n",
        "project/people.csv": "person_id\nE1\nE2\n",
        "project/mail.csv": "message_id,sender,sent\nm1,E1,2024-01-01\n",
        "project/leadnet.toml": toml,
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    folder = tmp_path / "project"
    return folder


def test_a_recipients_file_outside_the_project_is_named_by_its_path_as_written(tmp_path: Path) -> None:
    # It was named "r.csv" while the opt-out list beside it was named "../hr/outx.csv".
    result = CliRunner().invoke(main, ["validate", str(hr_files_project(tmp_path))])
    assert result.stdout.splitlines()[1] == (
        '../hr/r.csv line 1: required columns "message_id", "recipient" not found; the first line holds no '
        "header the file reads, and is not shown, as it may name someone who opted out (add a first line "
        'naming the columns, "message_id", "recipient" among them; if it is the header, map the columns in '
        "leadnet.toml) [missing-column]"
    )


def test_the_note_on_an_unread_opt_out_list_outside_the_project_names_it_by_its_path(tmp_path: Path) -> None:
    # The note said "outx.csv (the opt-out list) could not be read", the problem above it "../hr/outx.csv".
    result = CliRunner().invoke(main, ["validate", str(hr_files_project(tmp_path))])
    assert result.stdout.splitlines()[2] == (
        "note: ../hr/outx.csv (the opt-out list) could not be read, so the roster, the sources and the "
        "cohort file were checked as if nobody had opted out, and the counts below include the people it "
        "lists; leadnet analyse stops until it can be read"
    )
