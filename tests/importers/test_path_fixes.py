"""A file leadnet.toml names that is not there: the line of its path, and the file most likely meant."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from leadnet.cli import main

KRACKHARDT = Path(__file__).resolve().parents[1] / "data" / "krackhardt_hightech"
SURVEY = (
    '[[sources]]\nkind = "survey"\npath = "SURVEY"\nrelation = "advice"\n'
    'columns = { source = "respondent", target = "nominee", relation = "question" }\n'
)


def project(folder: Path, people: str, survey: str) -> Path:
    for name in ("people.csv", "survey.csv"):
        shutil.copy(KRACKHARDT / name, folder / name)
    toml = f"[people]\n{people}\n\n{SURVEY.replace('SURVEY', survey)}"
    (folder / "leadnet.toml").write_text(toml, encoding="utf-8")
    return folder


def test_a_misspelt_source_path_names_its_line_and_the_file_meant(tmp_path: Path) -> None:
    # The audit of 2026-11-29: "survey_afetr.csv: file not found (check the path: …)", no line of
    # leadnet.toml, though every other problem of the file names one.
    project(tmp_path, 'path = "people.csv"', "survy.csv")
    problem = (
        f"survy.csv: file not found (check path at leadnet.toml line 6, [[sources]] #1: it names "
        f'{tmp_path / "survy.csv"}; did you mean path = "survey.csv"?) [missing-file]'
    )
    validated = CliRunner().invoke(main, ["validate", str(tmp_path)], catch_exceptions=False)
    assert (validated.exit_code, validated.output.splitlines()) == (1, [problem, "1 problem(s) found"])
    analysed = CliRunner().invoke(main, ["analyse", str(tmp_path), "--out", str(tmp_path / "out")])
    assert (analysed.exit_code, analysed.output) == (1, f"error: {problem}\n")


def test_a_misspelt_roster_and_a_missing_opt_out_list_name_their_lines(tmp_path: Path) -> None:
    project(tmp_path, 'path = "poeple.csv"\nexclude = "optout.csv"', "survey.csv")
    analysed = CliRunner().invoke(main, ["analyse", str(tmp_path), "--out", str(tmp_path / "out")])
    assert (analysed.exit_code, analysed.output) == (
        1,
        f"error: optout.csv: file not found (check exclude at leadnet.toml line 3, [people]: it names "
        f"{tmp_path / 'optout.csv'}) [missing-file]\n",
    )
    (tmp_path / "optout.csv").write_text("person_id\n3\n", encoding="utf-8")
    analysed = CliRunner().invoke(main, ["analyse", str(tmp_path), "--out", str(tmp_path / "out")])
    assert (analysed.exit_code, analysed.output) == (
        1,
        f"error: poeple.csv: file not found (check path at leadnet.toml line 2, [people]: it names "
        f'{tmp_path / "poeple.csv"}; did you mean path = "people.csv"?) [missing-file]\n',
    )


def test_a_missing_roster_of_a_flag_is_not_placed_at_the_line_of_the_file_it_replaces(tmp_path: Path) -> None:
    project(tmp_path, 'path = "people.csv"', "survey.csv")
    flag = tmp_path / "staff.csv"
    analysed = CliRunner().invoke(
        main, ["analyse", str(tmp_path), "--people", str(flag), "--out", str(tmp_path / "out")]
    )
    assert (analysed.exit_code, analysed.output) == (
        1,
        f"error: staff.csv: file not found (check the path: {flag}) [missing-file]\n",
    )


def test_a_file_whose_name_differs_in_its_digits_only_is_not_offered(tmp_path: Path) -> None:
    # wave2.csv is another wave's file, not a misspelling of wave3.csv: offering it would have the
    # reader analyse the wrong wave (difflib rates "wave3" and "wave2" 0.8, over the 0.7 of a typo).
    project(tmp_path, 'path = "people.csv"', "wave3.csv")
    shutil.copy(KRACKHARDT / "survey.csv", tmp_path / "wave2.csv")
    analysed = CliRunner().invoke(main, ["analyse", str(tmp_path), "--out", str(tmp_path / "out")])
    assert (analysed.exit_code, analysed.output) == (
        1,
        f"error: wave3.csv: file not found (check path at leadnet.toml line 6, [[sources]] #1: it names "
        f"{tmp_path / 'wave3.csv'}) [missing-file]\n",
    )


@pytest.mark.parametrize("written", ["Wave3.csv", "wave3.cvs", "wave3.CSV", "wave03.csv"])
def test_a_name_mistyped_but_for_its_numbers_is_offered_the_file_meant(tmp_path: Path, written: str) -> None:
    # Letter case, a suffix's slip and a number's zero padding are typos of wave3.csv; wave2.csv beside
    # it is not the one meant.
    project(tmp_path, 'path = "people.csv"', written)
    for name in ("wave2.csv", "wave3.csv"):
        shutil.copy(KRACKHARDT / "survey.csv", tmp_path / name)
    analysed = CliRunner().invoke(main, ["analyse", str(tmp_path), "--out", str(tmp_path / "out")])
    assert (analysed.exit_code, analysed.output) == (
        1,
        f"error: {written}: file not found (check path at leadnet.toml line 6, [[sources]] #1: it names "
        f'{tmp_path / written}; did you mean path = "wave3.csv"?) [missing-file]\n',
    )


def two_file_log(folder: Path, recipients: str) -> Path:
    """A roster and a two-file e-mail export in ``folder``: ``mail/messages.csv`` and
    ``mail/recipients.csv``, the second named in leadnet.toml by ``recipients`` (its table)."""
    (folder / "mail").mkdir(parents=True)
    people = ["person_id,email", *(f"p{i},p{i}@x.org" for i in range(12))]
    messages = [
        "id,from,sent",
        *(f"<m{i}>,p{i % 12}@x.org,2026-03-{1 + i % 28:02d}T10:00Z" for i in range(30)),
    ]
    to = ["id,to", *(f"<m{i}>,p{(i + 1) % 12}@x.org" for i in range(30))]
    for name, rows in (("people.csv", people), ("mail/messages.csv", messages), ("mail/recipients.csv", to)):
        (folder / name).write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "leadnet.toml").write_text(
        '[people]\npath = "people.csv"\n\n[[sources]]\nkind = "email"\npath = "mail/messages.csv"\n'
        f'columns = {{ message_id = "id", sender = "from", timestamp = "sent" }}\n{recipients}',
        encoding="utf-8",
    )
    return folder


def test_a_misspelt_recipients_path_names_its_line_and_the_file_meant(tmp_path: Path) -> None:
    # The recipients file of a two-file export said only "recipents.csv: file not found (check the path:
    # …)": no line of leadnet.toml, though its messages file's path names one. Its path is read relative
    # to the folder of the messages file, so the file meant is written so; the problem names the file by
    # its path in the project, mail/recipents.csv.
    inline = two_file_log(
        tmp_path / "inline",
        'recipients = { path = "recipents.csv", columns = { message_id = "id", recipient = "to" } }\n',
    )
    missing = inline / "mail" / "recipents.csv"
    problem = (
        f"mail/recipents.csv: file not found (check recipients.path at leadnet.toml line 8, [[sources]] #1: "
        f"it "
        f'names {missing}; did you mean recipients.path = "recipients.csv"?) [missing-file]'
    )
    validated = CliRunner().invoke(main, ["validate", str(inline)], catch_exceptions=False)
    assert (validated.exit_code, validated.output.splitlines()) == (1, [problem, "1 problem(s) found"])
    analysed = CliRunner().invoke(main, ["analyse", str(inline), "--out", str(tmp_path / "out")])
    assert (analysed.exit_code, analysed.output) == (1, f"error: {problem}\n")
    table = two_file_log(
        tmp_path / "table",
        '\n[sources.recipients]\npath = "recipents.csv"\ncolumns = { message_id = "id", recipient = "to" }\n',
    )
    validated = CliRunner().invoke(main, ["validate", str(table)], catch_exceptions=False)
    assert (validated.exit_code, validated.output.splitlines()) == (
        1,
        [
            f"mail/recipents.csv: file not found (check recipients.path at leadnet.toml line 10, "
            f"[[sources]] #1: it names {table / 'mail' / 'recipents.csv'}; did you mean recipients.path = "
            '"recipients.csv"?) [missing-file]',
            "1 problem(s) found",
        ],
    )


def test_a_missing_file_outside_the_project_is_offered_the_file_meant_relative_to_the_folder(
    tmp_path: Path,
) -> None:
    # The fix offered was the absolute path, exclude = "/tmp/…/hr/optout.csv", though a path of
    # leadnet.toml is written relative to its folder, as the user wrote this one.
    folder = tmp_path / "project"
    folder.mkdir()
    project(folder, 'path = "people.csv"\nexclude = "../hr/otpout.csv"', "survey.csv")
    (tmp_path / "hr").mkdir()
    (tmp_path / "hr" / "optout.csv").write_text("person_id\n3\n", encoding="utf-8")
    analysed = CliRunner().invoke(main, ["analyse", str(folder), "--out", str(tmp_path / "out")])
    assert (analysed.exit_code, analysed.output) == (
        1,
        f"error: ../hr/otpout.csv: file not found (check exclude at leadnet.toml line 3, [people]: it names "
        f'{tmp_path / "hr" / "otpout.csv"}; did you mean exclude = "../hr/optout.csv"?) [missing-file]\n',
    )
