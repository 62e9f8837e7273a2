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
