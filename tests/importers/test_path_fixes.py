"""A file leadnet.toml names that is not there: the line of its path, and the file most likely meant."""

from __future__ import annotations

import shutil
from pathlib import Path

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
