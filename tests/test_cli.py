"""The command line, end to end: exact outputs, exit codes and files of the contract."""

import calendar
import csv
import errno
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

from leadnet.cli import main

DATA = Path(__file__).resolve().parent / "data"
RIVERSIDE = Path(__file__).resolve().parents[1] / "data" / "samples" / "riverside"
CONTRACT_FILES = {
    "index.html", "summary.json", "people.csv", "units.csv", "communities.csv", "ties.csv",
    "rejected.csv", "snapshot",
}  # fmt: skip
SUMMARY_KEYS = {
    "n_people", "n_ties", "density", "reciprocity", "centralization_in_degree", "gini_in_degree",
    "leadership_share_outside_top", "n_informal_leaders", "n_boundary_spanners", "n_communities",
    "modularity",
    "nmi_units_communities", "ei_index", "provenance",
}  # fmt: skip


NO_ROSTER_NOTE = (
    "note: without a usable roster, the sources and the cohort file were checked as far as they can be: "
    "no id or address in them was looked up, and no snapshot was made"
)
"""validate's note when the roster cannot be read or used: the sources are checked without it."""


def run(*args: str) -> "object":
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def read_people(folder: Path) -> list[dict[str, str]]:
    with (folder / "people.csv").open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def krackhardt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("krack") / "out"
    result = run("analyse", str(DATA / "krackhardt_hightech"), "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_every_csv_opens_with_the_byte_order_mark_the_readme_tells_how_to_read(krackhardt: Path) -> None:
    """The mark is for Excel (README, "A two-minute tour of the outputs"): read as plain UTF-8, the
    first column's name keeps it; read as "utf-8-sig", as the README says, it is the column's name."""
    first_columns = {}
    for path in sorted(krackhardt.glob("*.csv")):
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), path.name
        with path.open(encoding="utf-8-sig", newline="") as f:
            first_columns[path.name] = next(csv.reader(f))[0]
    assert first_columns == {
        "communities.csv": "community",
        "people.csv": "person_id",
        "rejected.csv": "file",
        "ties.csv": "source",
        "units.csv": "unit",
    }
    with (krackhardt / "people.csv").open(encoding="utf-8", newline="") as f:
        assert next(csv.DictReader(f))["\ufeffperson_id"] == "1"


def test_krackhardt_advice_reproduces_the_published_figures(krackhardt: Path) -> None:
    summary = json.loads((krackhardt / "summary.json").read_text(encoding="utf-8"))
    assert set(summary) >= SUMMARY_KEYS
    assert summary["relation"] == "advice"
    assert summary["n_ties"] == 190
    advice = summary["relations"]["advice"]
    assert advice["dyad_census"] == {"mutual": 45, "asymmetric": 100, "null": 65}
    assert summary["reciprocity"] == pytest.approx(0.31034, abs=5e-6)  # R sna grecip(dyadic.nonnull)
    top = max(read_people(krackhardt), key=lambda r: int(r["in_degree"]))
    assert (top["person_id"], top["in_degree"]) == ("2", "18")


def test_krackhardt_friendship_is_a_second_relation_of_the_same_survey(krackhardt: Path) -> None:
    friendship = json.loads((krackhardt / "summary.json").read_text(encoding="utf-8"))["relations"][
        "friendship"
    ]
    assert friendship["n_ties"] == 102
    assert friendship["dyad_census"] == {"mutual": 23, "asymmetric": 56, "null": 131}
    assert friendship["reciprocity"] == pytest.approx(0.29114, abs=5e-6)


def test_one_snapshot_writes_every_contract_file(krackhardt: Path) -> None:
    assert {p.name for p in krackhardt.iterdir()} == CONTRACT_FILES
    provenance = json.loads((krackhardt / "summary.json").read_text(encoding="utf-8"))["provenance"]
    survey = [i for i in provenance["inputs"] if i["kind"] == "survey"][0]
    assert (survey["rows_read"], survey["rows_accepted"], survey["rows_rejected"]) == (292, 292, 0)
    assert len(survey["sha256"]) == 64


QUESTION_NOT_READ = (
    'warning: survey.csv line 1: column "question" is not read, so its 2 values ("advice", "friendship") are '
    'one relation, "advice"; to keep them apart, rename its header "relation", or map the column: '
    'columns = { relation = "question" } in leadnet.toml'
)
"""validate's warning of Krackhardt's survey read by flags: its two questions are one relation."""


def naming(survey: list[str], ids: dict[str, str]) -> list[str]:
    """The rows of ``survey`` (its lines, header first) that name a person of ``ids`` (id → the
    problem's words after the column), as validate lists them: by line, respondent before nominee."""
    columns = survey[0].split(",")[:2]
    return [
        f'survey.csv line {number}, column "{column}": {ids[cell]}'
        for number, row in enumerate(survey[1:], start=2)
        for column, cell in zip(columns, row.split(",")[:2], strict=True)
        if cell in ids
    ]


def test_validate_prints_every_bad_row_with_its_line_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the files named as typed: survey.csv
    shutil.copy(DATA / "krackhardt_hightech" / "people.csv", tmp_path / "people.csv")
    lines = (DATA / "krackhardt_hightech" / "survey.csv").read_text(encoding="utf-8").splitlines()
    lines[5] = "1,99,advice"  # line 6: nobody called 99
    lines[10] = "2,3"  # line 11: a cell short
    lines[20] = "3,4,advice,extra"  # line 21: one cell too many
    (tmp_path / "survey.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--people", "people.csv", "--survey", "survey.csv"])
    assert (result.exit_code, result.output.splitlines()) == (
        1,
        [
            'survey.csv line 6, column "nominee": unknown person "99" (did you mean "9"?) [unknown-person]',
            'survey.csv line 11: 2 cells but the header has 3 columns (no "question") (add the missing cells '
            "or delimiters) [short-row]",
            "survey.csv line 21: 4 cells but the header has 3 columns (quote cells that contain the "
            "delimiter, or remove the extra cell) [extra-cell]",
            "snapshot main: 21 people, 230 ties, 313 rows read, 3 rejected",
            QUESTION_NOT_READ,
            "3 problem(s) found; 1 warning",
        ],
    )


def test_validate_reports_roster_rows_beside_source_rows_and_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the files named as typed: people.csv, survey.csv
    people = (DATA / "krackhardt_hightech" / "people.csv").read_text(encoding="utf-8").splitlines()
    header = people[0].split(",")
    broken = people[3].split(",")  # line 4: the person's id blanked
    broken[header.index("person_id")] = ""
    people[3] = ",".join(broken)
    (tmp_path / "people.csv").write_text("\n".join(people) + "\n", encoding="utf-8")
    lines = (DATA / "krackhardt_hightech" / "survey.csv").read_text(encoding="utf-8").splitlines()
    lines[5] = "1,99,advice"  # line 6: nobody called 99
    (tmp_path / "survey.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--people", "people.csv", "--survey", "survey.csv"])
    # person 3 has no roster row left (its id is blank), so every row naming them is unknown too
    unknown_3 = naming(lines, {"3": 'unknown person "3" (did you mean "13"?) [unknown-person]'})
    assert len(unknown_3) == 27
    assert (result.exit_code, result.output.splitlines()) == (
        1,
        [
            'people.csv line 4, column "person_id": person_id is blank (fill it in) [missing-id]',
            'survey.csv line 6, column "nominee": unknown person "99" (did you mean "9"?) [unknown-person]',
            *unknown_3,
            "snapshot main: 20 people, 208 ties, 313 rows read, 29 rejected",  # 21 less one
            QUESTION_NOT_READ,
            "29 problem(s) found; 1 warning",
        ],
    )


def test_a_primary_relation_no_source_gives_fails_instead_of_analysing_no_ties(tmp_path: Path) -> None:
    for name in ("people.csv", "survey.csv"):
        shutil.copy(DATA / "krackhardt_hightech" / name, tmp_path / name)
    toml = (DATA / "krackhardt_hightech" / "leadnet.toml").read_text(encoding="utf-8")
    (tmp_path / "leadnet.toml").write_text(
        toml.replace('primary_relation = "advice"', 'primary_relation = "advise"')
    )
    for command in ("analyse", "validate"):
        extra = ["--out", str(tmp_path / "out")] if command == "analyse" else []
        result = run(command, str(tmp_path), *extra)
        assert result.exit_code == 1
        assert result.output == (  # line 13 of the file (it named no line)
            'error: leadnet.toml line 13, [analysis] primary_relation = "advise" names no relation of the '
            'ties read; the sources give "advice", "friendship": set primary_relation to one of them, or fix '
            "the relation of the source that should give it\n"
        )
    assert not (tmp_path / "out").exists()


def test_inside_a_project_folder_no_argument_reads_its_leadnet_toml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("people.csv", "survey.csv", "leadnet.toml"):
        shutil.copy(DATA / "krackhardt_hightech" / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    assert run("validate").output.splitlines()[-1] == "no problems found"
    result = run("analyse", "--out", "out")
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert (summary["n_people"], summary["n_ties"]) == (21, 190)  # Krackhardt's advice relation
    (tmp_path / "leadnet.toml").unlink()
    result = run("analyse", "--out", "out")
    assert result.exit_code == 1
    assert result.output == (
        "error: no sources: name the project folder (leadnet analyse DIR, where DIR/leadnet.toml has "
        "[[sources]]) or pass --survey/--email/--membership/--ties FILE\n"
    )
    # validate suggested `leadnet analyse DIR` too
    checked = run("validate")
    assert (checked.exit_code, checked.output) == (
        1,
        "error: no sources: name the project folder (leadnet validate DIR, where DIR/leadnet.toml has "
        "[[sources]]) or pass --survey/--email/--membership/--ties FILE\n",
    )
    assert run("validate", "--survey", "survey.csv").output == (
        "error: no roster: name the project folder (leadnet validate DIR, where DIR/leadnet.toml has "
        "[people] path) or pass --people FILE\n"
    )


@pytest.mark.parametrize("command", ["analyse", "validate"])
def test_a_leadnet_toml_without_a_roster_or_sources_points_at_the_section_to_fill_in(
    tmp_path: Path, command: str
) -> None:
    # Both said "name the project folder (leadnet analyse DIR, ...)", though a project folder was named.
    shutil.copy(DATA / "krackhardt_hightech" / "survey.csv", tmp_path / "survey.csv")
    toml = tmp_path / "leadnet.toml"
    toml.write_text('[[sources]]\nkind = "survey"\npath = "survey.csv"\n', encoding="utf-8")
    result = run(command, str(tmp_path))
    assert (result.exit_code, result.output) == (
        1,
        "error: leadnet.toml [people]: no path, so there is no roster; name the HR roster file, such as "
        'path = "people.csv", or pass --people FILE\n',
    )
    # a [people] section without path is named at its line, as a key of the file is
    toml.write_text(
        f'[project]\nname = "x"\n\n[people]\ntop_level = "max"\n{toml.read_text()}', encoding="utf-8"
    )
    result = run(command, str(tmp_path))
    assert (result.exit_code, result.output) == (
        1,
        "error: leadnet.toml line 4, [people]: no path, so there is no roster; name the HR roster file, "
        'such as path = "people.csv", or pass --people FILE\n',
    )
    toml.write_text('[people]\npath = "people.csv"\n', encoding="utf-8")
    result = run(command, str(tmp_path))
    assert (result.exit_code, result.output) == (
        1,
        "error: leadnet.toml: no [[sources]], so there is nothing to analyse; add one per input file, such "
        'as [[sources]] with kind = "survey" and path = "survey.csv", or pass '
        "--survey/--email/--membership/--ties FILE\n",
    )


def test_project_dir_may_be_the_leadnet_toml_itself_and_another_file_is_refused_saying_what_to_pass(
    krackhardt: Path, tmp_path: Path
) -> None:
    # The file was refused as "Directory ... is a file", saying neither to pass its folder nor --config.
    toml = DATA / "krackhardt_hightech" / "leadnet.toml"
    assert run("validate", str(toml)).output.splitlines()[-1] == "no problems found"
    result = run("analyse", str(toml), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    for name in ("people.csv", "ties.csv"):
        assert (tmp_path / "out" / name).read_bytes() == (krackhardt / name).read_bytes()
    mine, folders = (
        json.loads((d / "summary.json").read_text(encoding="utf-8")) for d in (tmp_path / "out", krackhardt)
    )
    mine.pop("provenance"), folders.pop("provenance")
    assert mine == folders
    people = DATA / "krackhardt_hightech" / "people.csv"
    result = CliRunner().invoke(main, ["analyse", str(people), "--out", str(tmp_path / "out2")])
    assert (result.exit_code, result.output) == (  # bad input, as a folder that is not there is
        1,
        f"error: {people} is a file, not a project folder; pass the folder that holds leadnet.toml (or the "
        "leadnet.toml itself), or give the file with --people, --survey, --email, --membership or --ties\n",
    )
    assert not (tmp_path / "out2").exists()


def test_a_path_of_the_wrong_kind_is_bad_input_and_a_malformed_value_a_usage_error(tmp_path: Path) -> None:
    # An audit: a missing PROJECT_DIR exited 1 but a file given as PROJECT_DIR 2, and --from
    # 2026-13-01 said it "does not match the format '%Y-%m-%d'", which it does.
    project, folder, file = small_project(tmp_path / "project"), tmp_path / "folder", tmp_path / "file.txt"
    folder.mkdir()
    file.write_text("x", encoding="utf-8")
    out = ["--out", str(tmp_path / "out")]
    bad_input = {
        ("analyse", str(file), *out): (
            f"{file} is a file, not a project folder; pass the folder that holds leadnet.toml (or the "
            "leadnet.toml itself), or give the file with --people, --survey, --email, --membership or --ties"
        ),
        ("analyse", str(project), "--out", str(file)): (
            f"--out {file} is a file, not a folder; choose another output folder"
        ),
        ("analyse", "--people", str(folder), "--ties", str(project / "ties.csv"), *out): (
            f"{folder}: {folder} is a directory, not a file (give the path of the file) [not-a-file]"
        ),
        ("validate", "--config", str(folder)): (
            f"--config {folder} is a folder; pass the path of a leadnet.toml, or the folder as PROJECT_DIR"
        ),
        ("compare", str(project), str(file), *out): (
            f"AFTER {file} is a file, not a snapshot's folder; pass an output folder of `leadnet analyse`: "
            'one it printed as "wrote FOLDER", such as reports/riverside/before'
        ),
        ("sample", "riverside", "--out", str(file)): (
            f"--out {file} is a file, not a folder; choose another folder to write the sample to"
        ),
    }
    for args, message in bad_input.items():
        result = run(*args)
        assert (result.exit_code, result.output) == (1, f"error: {message}\n"), args
    usage = {
        (
            "analyse",
            str(project),
            "--from",
            "2026-13-01",
        ): "Error: Invalid value for '--from': '2026-13-01' is "
        "not a date: there is no month 13 (months are 01 to 12); write a day that exists, such as 2026-12-01",
        (
            "analyse",
            str(project),
            "--to",
            "2026-02-30",
        ): "Error: Invalid value for '--to': '2026-02-30' is "
        "not a date: February 2026 has 28 days, so no day 30; write a day that exists, such as 2026-02-28",
        (
            "analyse",
            str(project),
            "--to",
            "31/12/2026",
        ): "Error: Invalid value for '--to': '31/12/2026' is not "
        "a date written YYYY-MM-DD, such as 2026-03-31",
        ("analyse", str(project), "--seed", "x"): (
            "Error: Invalid value for '--seed': 'x' is not a valid integer."  # click's words
        ),
        ("analyse", "--no-such-flag"): "Error: No such option '--no-such-flag'.",
    }
    for args, last in usage.items():
        result = run(*args)
        assert (result.exit_code, result.output.splitlines()) == (
            2,
            ["Usage: main analyse [OPTIONS] [PROJECT_DIR]", "Try 'main analyse --help' for help.", "", last],
        ), args
    assert not (tmp_path / "out").exists()
    assert run("analyse", str(project), "--from", "2026-02-28", *out).exit_code == 0


def test_a_day_past_the_end_of_its_month_is_told_the_last_day_of_that_month(tmp_path: Path) -> None:
    # --from 2026-02-30 said "write a day that exists, such as 2026-03-31", a fixed example of another
    # month. As a flag it is a usage error (exit 2); in leadnet.toml a setting's bad value (exit 1).
    project, out = small_project(tmp_path / "project"), ["--out", str(tmp_path / "out")]
    for flag, given, fix in (
        ("--from", "2026-02-30", "February 2026 has 28 days, so no day 30; write a day that exists, such as "
         "2026-02-28"),
        ("--to", "2028-02-30", "February 2028 has 29 days, so no day 30; write a day that exists, such as "
         "2028-02-29"),
    ):  # fmt: skip
        result = CliRunner().invoke(main, ["analyse", str(project), flag, given, *out])
        assert (result.exit_code, result.output.splitlines()[-1]) == (
            2,
            f"Error: Invalid value for '{flag}': '{given}' is not a date: {fix}",
        )
    toml = project / "leadnet.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8") + "\n[analysis]\nperiod_to = 2028-02-30\n", encoding="utf-8"
    )
    line = len(toml.read_text(encoding="utf-8").splitlines())
    result = CliRunner().invoke(main, ["analyse", str(project), *out])
    assert (result.exit_code, result.output) == (
        1,
        f"error: leadnet.toml line {line}: 2028-02-30 is not a date: February 2028 has 29 days, so no day "
        "30; write a day that exists, such as 2028-02-29\n",
    )
    assert not (tmp_path / "out").exists()


def test_a_project_folder_that_does_not_exist_is_named_with_what_to_pass_instead(tmp_path: Path) -> None:
    # It said "/no/such/dir: no such file (a project folder needs a leadnet.toml)": a folder that is
    # not there, called a file, and no word of what to pass.
    missing, empty = tmp_path / "no" / "such", tmp_path / "empty"
    empty.mkdir()
    fix = (
        "pass the folder that holds leadnet.toml (or the leadnet.toml itself), or give the data files "
        "with --people, --survey, --email, --membership or --ties\n"
    )
    for command in ("analyse", "validate"):
        extra = ["--out", str(tmp_path / "out")] if command == "analyse" else []
        result = run(command, str(missing), *extra)
        assert (result.exit_code, result.output) == (
            1, f"error: project folder {missing} does not exist; {fix}"
        )  # fmt: skip
        result = run(command, str(empty), *extra)
        assert (result.exit_code, result.output) == (1, f"error: {empty} holds no leadnet.toml; {fix}")
    result = run("validate", "--config", str(tmp_path / "leadnet.toml"))
    assert (result.exit_code, result.output) == (
        1, f"error: --config {tmp_path / 'leadnet.toml'}: no such file; pass the path of a leadnet.toml\n"
    )  # fmt: skip
    assert not (tmp_path / "out").exists()


def test_project_dir_and_config_naming_two_files_are_refused_and_naming_one_are_read(tmp_path: Path) -> None:
    # --config was read and PROJECT_DIR ignored without a word.
    krackhardt = DATA / "krackhardt_hightech"
    other = RIVERSIDE / "leadnet.toml"
    result = CliRunner().invoke(main, ["validate", str(krackhardt), "--config", str(other)])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        f"Error: PROJECT_DIR {krackhardt} and --config {other} name two different leadnet.toml files, and "
        "a run reads one (the paths in it are relative to its own folder); pass only one of them"
    )
    for project_dir in (krackhardt, krackhardt / "leadnet.toml"):
        result = run("validate", str(project_dir), "--config", str(krackhardt / "leadnet.toml"))
        assert (result.exit_code, result.output.splitlines()[-1]) == (0, "no problems found")


def test_without_out_the_project_name_becomes_one_folder_under_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    for name in ("people.csv", "survey.csv", "leadnet.toml"):
        shutil.copy(DATA / "krackhardt_hightech" / name, project / name)
    toml = (project / "leadnet.toml").read_text(encoding="utf-8")
    assert 'name = "krackhardt"' in toml
    (project / "leadnet.toml").write_text(
        toml.replace('name = "krackhardt"', 'name = "../../Silicon Systems / 1987"')
    )
    monkeypatch.chdir(tmp_path)
    result = run("analyse", "project")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == f"wrote {Path('reports') / 'Silicon-Systems-1987'}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "reports"]
    assert (tmp_path / "reports" / "Silicon-Systems-1987" / "index.html").is_file()


def test_validate_goes_on_past_a_file_it_cannot_read_and_lists_every_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A reviewer's run stopped at the first file with an unterminated quote, hiding the others.
    monkeypatch.chdir(tmp_path)  # the files named as typed: b.csv
    (tmp_path / "p.csv").write_text("person_id,unit,level,manager_id\n1,A,1,\n2,A,2,1\n3,B,2,1\n")
    (tmp_path / "b.csv").write_text('respondent,nominee\n2,1\n3,"1\n')
    (tmp_path / "s.csv").write_text("respondent,nominee\n2,9\n3,1\n")
    (tmp_path / "x.csv").write_bytes(b"PK\x03\x04not a table")
    surveys = [arg for name in ("b.csv", "s.csv", "x.csv") for arg in ("--survey", name)]
    result = CliRunner().invoke(main, ["validate", "--people", "p.csv", *surveys])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "b.csv line 3: unterminated quote opened here (close the quote or remove it) [unterminated-quote]",
        's.csv line 2, column "nominee": unknown person "9" (add them to the roster or correct the id) '
        "[unknown-person]",
        "x.csv: file is a zip archive, not CSV text (unzip it first) [wrong-file-type]",
        "snapshot main: 3 people, 1 tie, 5 rows read, 1 rejected",  # the roster's 3 and s.csv's 2
        "3 problem(s) found",
    ]


def test_validate_with_an_unreadable_roster_still_checks_the_sources_and_the_cohort_file(
    tmp_path: Path,
) -> None:
    # It stopped at the roster: "error: people: ... is a directory, not a file" and nothing else, so
    # the bad date and the bad group were found only once the roster was fixed.
    (tmp_path / "people").mkdir()
    files = {
        "m.csv": "person,project,start,end\n1,P,2026-01-01,\n9,P,soon,\n",
        "log.csv": "sender,recipient,timestamp\na@x.org,b@x.org,2026-01-02T10:00Z\na@x.org,b@x.org,never\n",
        "cohort.csv": "person_id,group\n1,x\n",
        "leadnet.toml": '[project]\nname = "t"\ninternal_domains = ["x.org"]\n\n[people]\npath = "people"\n\n'
        '[[sources]]\nkind = "membership"\npath = "m.csv"\nsnapshot = "before"\n\n'
        '[[sources]]\nkind = "email"\npath = "log.csv"\nsnapshot = "after"\n\n'
        '[programme]\nbefore = "before"\nafter = "after"\ncohort = "cohort.csv"\n',
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = run("validate", str(tmp_path))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"people: {tmp_path / 'people'} is a directory, not a file (give the path of the file) [not-a-file]",
        'm.csv line 3, column "start": start "soon" is not a date (write an ISO date such as 2024-01-31, or '
        "leave it blank for an open start) [bad-date]",
        # the log's own bad row too: it was lost with the log's "no roster address", a roster-only problem
        'log.csv line 3, column "timestamp": timestamp "never" cannot be parsed (write it in ISO 8601, e.g. '
        "2026-04-06T09:30:00Z, or as Unix seconds; or give the file's pattern, e.g. timestamp_format = "
        '"%d/%m/%Y %H:%M", in its [[sources]] entry) [bad-date]',
        'cohort.csv line 2, column "group": unknown group "x" (use "cohort" or "comparison") [bad-group]',
        NO_ROSTER_NOTE,
    ]
    assert result.stderr == "4 problem(s) found\n"


def test_validate_reports_the_problems_of_a_membership_file_two_sources_read_once(tmp_path: Path) -> None:
    # A reviewer's one file read for two snapshots printed each bad row twice: "4 problem(s)" for 2 rows.
    (tmp_path / "p.csv").write_text("person_id,unit,level,manager_id\n1,A,1,\n2,A,2,1\n3,B,2,1\n")
    (tmp_path / "m.csv").write_text(
        "person,project,start,end\n1,P,2026-01-01,\n9,P,2026-01-01,\n2,P,2026-01-01,2026-03\n3,P,,\n"
    )
    sources = "".join(
        f'[[sources]]\nkind = "membership"\npath = "m.csv"\nsnapshot = "{name}"\nfrom = {start}\nto = {end}\n'
        for name, start, end in (
            ("before", "2025-01-01", "2025-12-31"),
            ("after", "2026-01-01", "2026-12-31"),
        )
    )
    toml = f'[project]\nname = "twice"\n\n[people]\npath = "p.csv"\n\n{sources}'
    (tmp_path / "leadnet.toml").write_text(toml, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if not line.startswith("snapshot ")] == [
        'm.csv line 3, column "person": unknown person "9" (add them to the roster or correct the id) '
        "[unknown-person]",
        'm.csv line 4, column "end": end "2026-03" is a month, not a date (write the full date, such as '
        "2026-03-31 for the last day of the month) [partial-date]",
        # the 2025 window holds only person 3's open membership: no tie, which is warned of
        "warning: m.csv: no tie in the period 2025-01-01 to 2025-12-31, and 1 membership(s) fall outside it; "
        "check --from and --to (or period_from and period_to in [analysis], or the source's from and to)",
        "2 problem(s) found; 1 warning",
    ]


def test_two_exports_of_one_mail_log_count_each_message_once(tmp_path: Path) -> None:
    # A reviewer gave the same export twice: every message was counted twice (weight 4, count 4).
    (tmp_path / "p.csv").write_text(
        "person_id,unit,level,manager_id,email\n1,A,1,,ann@x.org\n2,A,2,1,bob@x.org\n"
    )
    log = (
        "sender,recipients,cc,timestamp,message_id\n"
        "ann@x.org,bob@x.org,,2026-01-01T10:00:00Z,<1@x>\nann@x.org,bob@x.org,,2026-01-02T10:00:00Z,<2@x>\n"
    )
    for name in ("d1.csv", "d2.csv"):
        (tmp_path / name).write_text(log)
    files = ["--email", str(tmp_path / "d1.csv"), "--email", str(tmp_path / "d2.csv")]
    result = run("analyse", "--people", str(tmp_path / "p.csv"), *files, "--out", str(tmp_path / "o"))
    assert result.exit_code == 0, result.output
    ties = (tmp_path / "o" / "ties.csv").read_text(encoding="utf-8-sig")
    assert ties == "source,target,relation,weight,count\n1,2,email,2.0,2\n"
    provenance = json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))["provenance"]
    assert provenance["normalisations"]["duplicate-message-id"] == 2
    inputs = [(Path(i["path"]).name, i["rows_read"]) for i in provenance["inputs"]]
    assert inputs == [("p.csv", 2), ("d1.csv", 2), ("d2.csv", 2)]


KRACKHARDT_SURVEY = str(DATA / "krackhardt_hightech" / "survey.csv")


def _krackhardt_with(folder: Path, column: str, cell: Callable[[int, str], str]) -> tuple[str, ...]:
    """Krackhardt's roster in ``folder`` with ``column`` of row i (from 0) rewritten as ``cell(i, value)``,
    beside a copy of the survey; the input flags that read them (named in messages ``people.csv`` and
    ``survey.csv`` when run from ``folder``)."""
    header, *rows = (DATA / "krackhardt_hightech" / "people.csv").read_text(encoding="utf-8").splitlines()
    at = header.split(",").index(column)
    changed = [header]
    for i, row in enumerate(rows):
        cells = row.split(",")
        cells[at] = cell(i, cells[at])
        changed.append(",".join(cells))
    (folder / "people.csv").write_text("\n".join(changed) + "\n", encoding="utf-8")
    shutil.copy(KRACKHARDT_SURVEY, folder / "survey.csv")
    return ("--people", str(folder / "people.csv"), "--survey", str(folder / "survey.csv"))


def _noted_then_analysed(folder: Path, flags: tuple[str, ...]) -> tuple[str, dict[str, Any], str]:
    """validate's first line (it exits 0), then analyse's summary.json and report."""
    result = run("validate", *flags)
    assert result.exit_code == 0
    out = folder / "o"
    assert run("analyse", *flags, "--out", str(out)).exit_code == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return result.output.splitlines()[0], summary, (out / "index.html").read_text(encoding="utf-8")


def test_validate_notes_text_levels_that_no_level_order_ranks(tmp_path: Path) -> None:
    flags = _krackhardt_with(tmp_path, "level", lambda i, level: "Band " + level)
    note, summary, _ = _noted_then_analysed(tmp_path, flags)
    assert note == (
        "note: 21 people have a level that is not a number and not ranked, so figures by level leave them "
        "out; list the levels, top first, in [people] level_order"
    )
    assert summary["reasons"]["leadership_share_outside_top"] == (
        "no one has a known level (a roster level ranks when it is a number, or when [people] level_order "
        "lists the text levels, top first)"
    )


def test_validate_notes_people_without_a_unit_and_the_report_says_what_is_left_out(tmp_path: Path) -> None:
    # A blank unit made a silent group of its own in every unit figure; now it is unknown, and
    # the measures between units leave those people out with their ties.
    flags = _krackhardt_with(tmp_path, "unit", lambda i, unit: "" if i < 3 else unit)
    note, summary, report = _noted_then_analysed(tmp_path, flags)
    assert note == (
        "note: 3 people have no unit, so unit figures (E-I, brokerage, participation, bridges) leave them "
        "and their ties out; fill in their units"
    )
    # managers 1, 2 and 3 send or receive 65 of the 232 arcs (both questions, read without a config,
    # are one relation: the distinct respondent → nominee pairs)
    assert (summary["n_unknown_unit"], summary["n_unknown_unit_ties"]) == (3, 65)
    # the report counts their ties only when they are five or more (of three, HR knows who they are)
    assert "3 people have no unit in the roster; the measures between units leave them out." in report
    assert "65 ties" not in report


def test_a_mistyped_manager_id_fails_validate_and_analyse_naming_the_id_meant(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "014" for "14": the seven people of manager 14 lost their manager, and 14 was taken to manage no one
    monkeypatch.chdir(tmp_path)  # the files named from there: people.csv
    flags = _krackhardt_with(tmp_path, "manager_id", lambda i, manager: "014" if manager == "14" else manager)
    result = run("validate", *flags)
    hint = 'did you mean "14"? Left as it is, "14" would not be this person\'s manager'
    rows = [
        f'people.csv line {line}, column "manager_id": manager "014" is not on the roster ({hint}) '
        "[unknown-manager]"
        for line in (4, 6, 10, 14, 16, 20, 21)
    ]
    assert (result.exit_code, result.output.splitlines()) == (
        1,
        [
            *rows,
            "snapshot main: 21 people, 232 ties, 313 rows read, 7 rejected",
            QUESTION_NOT_READ,
            "7 problem(s) found; 1 warning",
        ],
    )
    analysed = run("analyse", *flags, "--out", str(tmp_path / "o"))
    assert analysed.exit_code == 1 and not (tmp_path / "o").exists()
    assert analysed.output.splitlines() == [
        "error: people.csv: 7 roster row(s) cannot be used; every roster row must be valid (fix them and run "
        "again)",
        *rows,
    ]


def test_a_manager_outside_the_roster_is_warned_of_in_validate_and_counted_in_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the files named from there: people.csv
    flags = _krackhardt_with(tmp_path, "manager_id", lambda i, manager: "CHAIR" if manager == "" else manager)
    warning = (
        'warning: people.csv: 1 manager_id names nobody on the roster: "CHAIR" (line 8), so 1 person has no '
        "manager (counted unknown-manager); nothing to do for a manager outside the roster (a board chair, a "
        'vacancy), otherwise correct the id in column "manager_id": the manager it means is taken to manage '
        "no one"
    )
    result = run("validate", *flags)  # the other warning: the survey's "question" column, read by flags
    assert result.exit_code == 0 and result.output.splitlines()[-1] == "no errors; 2 warnings"
    assert warning in result.output.splitlines()
    analysed = run("analyse", *flags, "--out", str(tmp_path / "o"))
    assert warning in analysed.output.splitlines()
    summary = json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))
    assert summary["provenance"]["normalisations"] == {"duplicate-tie": 60, "unknown-manager": 1}
    assert "<strong>Counted normalisations:</strong> duplicate-tie: 60; unknown-manager: 1." in (
        tmp_path / "o" / "index.html"
    ).read_text(encoding="utf-8")


def test_validate_refuses_a_closed_e_mail_option_before_reading_any_file(tmp_path: Path) -> None:
    # It read the roster and every source, then listed 'error: external must be "drop" or "pool"...'
    # naming neither leadnet.toml nor the source, among the data's problems.
    for name in ("people.csv", "survey.csv"):
        shutil.copy(DATA / "krackhardt_hightech" / name, tmp_path / name)
    (tmp_path / "leadnet.toml").write_text(
        '[people]\npath = "people.csv"\n\n[[sources]]\nkind = "survey"\npath = "survey.csv"\n\n'
        '[[sources]]\nkind = "email"\npath = "mail.mbox"\nexternal = "keep"\n',
        encoding="utf-8",
    )
    result = run("validate", str(tmp_path))
    assert (result.exit_code, result.output) == (
        1,
        'error: leadnet.toml line 11, [[sources]] #2 (kind "email"): external must be "drop" or "pool" '
        '(drop leaves out addresses outside internal_domains; pool keeps them as one person, "external"). '
        'Got "keep" instead.\n',
    )


def test_validate_on_clean_inputs_exits_0_and_writes_nothing(tmp_path: Path) -> None:
    before = set(DATA.rglob("*"))
    result = run("validate", str(DATA / "krackhardt_hightech"))
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == "no problems found"
    assert set(DATA.rglob("*")) == before


def test_bad_config_exits_1_with_a_one_line_message(tmp_path: Path) -> None:
    (tmp_path / "leadnet.toml").write_text("[analysis]\nmin_group_size = 2\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["analyse", str(tmp_path), "--out", str(tmp_path / "out")])
    assert (result.exit_code, result.output) == (
        1,
        "error: leadnet.toml line 2, [analysis]: min_group_size may be raised but never lowered below 5 "
        "(privacy floor). Got 2 instead.\n",
    )
    assert not (tmp_path / "out").exists()


def test_unknown_flag_is_a_usage_error_with_exit_2() -> None:
    assert CliRunner().invoke(main, ["analyse", "--no-such-flag"]).exit_code == 2


@pytest.fixture(scope="module")
def riverside_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("riverside") / "out"
    result = run("analyse", str(RIVERSIDE), "--out", str(out), "--quiet")
    assert result.exit_code == 0, result.output
    return out, result.output


@pytest.fixture(scope="module")
def riverside(riverside_run: tuple[Path, str]) -> Path:
    return riverside_run[0]


def test_riverside_writes_one_folder_per_wave_with_every_contract_file(riverside: Path) -> None:
    for wave in ("before", "after"):
        assert {p.name for p in (riverside / wave).iterdir()} >= CONTRACT_FILES


@pytest.mark.parametrize("wave", ["before", "after"])
def test_riverside_planted_informal_leaders_top_the_non_manager_in_degree_ranking(
    riverside: Path, wave: str
) -> None:
    planted = set(
        json.loads((RIVERSIDE / "ground_truth.json").read_text(encoding="utf-8"))["informal_leaders"]
    )
    staff = [r for r in read_people(riverside / wave) if r["is_manager"] == "False"]
    top20 = {r["person_id"] for r in sorted(staff, key=lambda r: (-int(r["in_degree"]), r["person_id"]))[:20]}
    recall = len(planted & top20) / len(planted)
    assert recall >= 0.8, f"recall {recall:.2f}"


def test_the_same_analysis_twice_gives_byte_identical_tables(riverside: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert run("analyse", str(RIVERSIDE), "--out", str(again)).exit_code == 0
    for name in ("people.csv", "units.csv", "communities.csv", "ties.csv", "rejected.csv"):
        assert (again / "before" / name).read_bytes() == (riverside / "before" / name).read_bytes(), name
    strip = lambda p: {k: v for k, v in json.loads(p.read_text()).items() if k != "provenance"}  # noqa: E731
    assert strip(again / "before" / "summary.json") == strip(riverside / "before" / "summary.json")


def test_sample_command_regenerates_the_committed_riverside(tmp_path: Path) -> None:
    result = run("sample", "riverside", "--out", str(tmp_path / "r"))
    assert result.exit_code == 0
    assert (tmp_path / "r" / "people.csv").read_bytes() == (RIVERSIDE / "people.csv").read_bytes()


def test_unknown_sample_is_an_error_naming_the_choices(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["sample", "lakeside", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == 'error: unknown sample "lakeside". Choose one of: riverside.\n'


COMPARISON_KEYS = {"n_stayed", "n_joined", "n_left", "ties_before", "ties_after", "jaccard", "qap_r", "qap_p"}


def test_a_project_with_a_programme_also_writes_its_comparison(riverside: Path) -> None:
    assert {p.name for p in (riverside / "comparison").iterdir()} == {
        "comparison.json", "people_change.csv", "index.html",
    }  # fmt: skip
    comparison = json.loads((riverside / "comparison" / "comparison.json").read_text(encoding="utf-8"))
    assert set(comparison) >= COMPARISON_KEYS
    effect = comparison["cohort"]["cross_unit_out_ties"]
    planted = json.loads((RIVERSIDE / "ground_truth.json").read_text(encoding="utf-8"))["programme_effect"]
    assert effect["p_value"] < 0.05 and effect["did"] > 0
    assert effect["ci_low"] <= planted["difference"] <= effect["ci_high"]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_riverside_comparison_says_what_it_compared_and_how(riverside: Path) -> None:
    comparison = json.loads((riverside / "comparison" / "comparison.json").read_text(encoding="utf-8"))
    assert comparison["warnings"] == []  # both waves read with the same rules
    for wave, n_ties, survey, mail in (("before", 2599, "survey_before.csv", "mail_before.mbox"),
                                       ("after", 2752, "survey_after.csv", "mail_after.csv")):  # fmt: skip
        record = comparison["snapshots"][wave]
        summary = json.loads((riverside / wave / "summary.json").read_text(encoding="utf-8"))
        assert (record["name"], record["folder"]) == (wave, str(riverside / wave))
        assert record["analysed_at"] == summary["provenance"]["generated_at"]
        assert (record["n_people"], record["n_ties"], record["relation"]) == (600, n_ties, "advice")
        assert record["relations"] == ["advice", "collaboration", "email", "membership"]
        assert record["inputs"] == [
            {"path": name, "kind": kind, "sha256": sha256(RIVERSIDE / name)}
            for name, kind in (("people.csv", "people"), (survey, "survey"), (mail, "email"),
                               ("membership.csv", "membership"))
        ]  # fmt: skip
    method = comparison["method"]
    assert (method["relation"], method["non_respondents"], method["min_group_size"]) == ("advice", 61, 5)
    assert (method["qap"]["permutations"], method["did"]["permutations"], method["did"]["ci_level"]) == (
        10_000, 10_000, 0.95,
    )  # fmt: skip
    assert method["qap"]["p_two_sided"] == pytest.approx(1 / 10_001)
    assert method["did"]["within_unit"] is False


def test_compare_command_on_two_output_folders_matches_the_project_comparison(
    riverside: Path, tmp_path: Path
) -> None:
    out = tmp_path / "cmp"
    result = run(
        "compare", str(riverside / "before"), str(riverside / "after"),
        "--cohort", str(RIVERSIDE / "cohort.csv"), "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out}\n"
    mine = json.loads((out / "comparison.json").read_text(encoding="utf-8"))
    project = json.loads((riverside / "comparison" / "comparison.json").read_text(encoding="utf-8"))
    assert mine == project
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "Evaluate the 2026 Riverside leadership academy" in page  # the stored project's purpose
    # The same cohort file saved as UTF-16 (no BOM) is read when its encoding is named.
    utf16 = tmp_path / "cohort_utf16.csv"
    utf16.write_bytes((RIVERSIDE / "cohort.csv").read_text(encoding="utf-8").encode("utf-16-le"))
    waves = [str(riverside / "before"), str(riverside / "after"), "--cohort", str(utf16)]
    assert run("compare", *waves, "--out", str(tmp_path / "cmp16")).exit_code == 1
    named = run("compare", *waves, "--encoding", "utf-16-le", "--out", str(tmp_path / "cmp16"))
    assert named.exit_code == 0, named.output
    assert json.loads((tmp_path / "cmp16" / "comparison.json").read_text(encoding="utf-8")) == project


def test_a_cohort_file_headed_group_in_capitals_gives_the_same_comparison(
    riverside: Path, tmp_path: Path
) -> None:
    # A review's cohort file headed "person_id,Group" exited 0 with n_cohort=100: its 50 comparison
    # rows had become participants, and the evaluation changed without a word.
    rows = (RIVERSIDE / "cohort.csv").read_text(encoding="utf-8").splitlines()[1:]
    cohort = tmp_path / "cohort.csv"
    cohort.write_text("\n".join(["person_id,Group", *rows]) + "\n", encoding="utf-8")
    out = tmp_path / "cmp"
    result = run("compare", str(riverside / "before"), str(riverside / "after"), "--cohort", str(cohort),
                 "--out", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    mine = json.loads((out / "comparison.json").read_text(encoding="utf-8"))
    project = json.loads((riverside / "comparison" / "comparison.json").read_text(encoding="utf-8"))
    assert mine == project


def test_compare_of_a_folder_that_is_no_output_says_what_to_pass(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    result = CliRunner().invoke(main, ["compare", str(tmp_path / "a"), str(tmp_path / "a")])
    assert (result.exit_code, result.output) == (
        1,
        f"error: {tmp_path / 'a'}: no snapshot/ folder; pass an output folder of `leadnet analyse` (one "
        "snapshot's folder, e.g. reports/riverside/before)\n",
    )


def test_two_one_snapshot_runs_compared_are_named_by_their_folders_and_projects(tmp_path: Path) -> None:
    # An audit: the page said "Snapshot main (not dated) against main (not dated)" and took its
    # title from AFTER's project alone.
    for name, extra in (("spring", ""), ("autumn", "P0,P6\n")):
        project = small_project(tmp_path / name)
        with (project / "ties.csv").open("a", encoding="utf-8") as ties:
            ties.write(extra)
        toml = (project / "leadnet.toml").read_text(encoding="utf-8")
        (project / "leadnet.toml").write_text(f'[project]\nname = "Team {name}"\n\n{toml}', encoding="utf-8")
        assert run("analyse", str(project), "--out", str(tmp_path / "out" / name)).exit_code == 0
    waves = [str(tmp_path / "out" / name) for name in ("spring", "autumn")]

    assert run("compare", *waves, "--out", str(tmp_path / "cmp")).exit_code == 0

    comparison = json.loads((tmp_path / "cmp" / "comparison.json").read_text(encoding="utf-8"))
    records = comparison["snapshots"]
    assert [(records[w]["name"], records[w]["label"]) for w in ("before", "after")] == [
        ("main", "spring"),
        ("main", "autumn"),
    ]
    page = (tmp_path / "cmp" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Team spring and Team autumn: did the programme change practice?</h1>" in page
    assert "Snapshot spring (not dated) against autumn (not dated), ties" in page
    assert "Snapshot spring" in page.split("<footer", 1)[1]  # the footer names each snapshot so too


def test_compare_of_a_folder_near_a_snapshot_says_which_folder_to_pass(riverside: Path) -> None:
    # An audit: the saved snapshot itself, and an output of several snapshots, were both told
    # "no snapshot/ folder; pass an output folder of `leadnet analyse`", which each of them is.
    before, after = riverside / "before", riverside / "after"
    cases = {
        (before / "snapshot", after / "snapshot"): f"{before / 'snapshot'}: is the snapshot saved in an "
        f"output folder; pass its parent, {before}",
        (riverside, after): f"{riverside}: holds several snapshots (after/, before/); pass one snapshot's "
        f"folder for BEFORE and one for AFTER, such as {before} {after}",
        (riverside / "comparison", after): f"{riverside / 'comparison'}: is the output of a comparison, "
        f"not a snapshot; pass the two folders it compared, {before} {after}",
    }
    for (first, second), message in cases.items():
        result = run("compare", str(first), str(second), "--out", str(riverside.parent / "cmp"))
        assert (result.exit_code, result.output) == (1, f"error: {message}\n")
    assert not (riverside.parent / "cmp").exists()


def test_compare_of_folders_analyse_has_not_written_yet_says_to_run_it_first(tmp_path: Path) -> None:
    # Click's "Directory 'reports/x/before' does not exist." (exit 2) said nothing of analyse.
    before, after = tmp_path / "x" / "before", tmp_path / "x" / "after"
    result = run("compare", str(before), str(after), "--out", str(tmp_path / "cmp"))
    assert (result.exit_code, result.output) == (
        1,
        f"error: {before}, {after}: no such folders; run `leadnet analyse` first and pass two of the "
        'folders it writes (it prints "wrote FOLDER" for each), or check the path\n',
    )
    (before / "snapshot").mkdir(parents=True)
    result = run("compare", str(before), str(after), "--out", str(tmp_path / "cmp"))
    assert (result.exit_code, result.output) == (
        1,
        f"error: {after}: no such folder; run `leadnet analyse` first and pass two of the folders it "
        'writes (it prints "wrote FOLDER" for each), or check the path\n',
    )
    assert not (tmp_path / "cmp").exists()


def test_compare_of_a_file_says_to_pass_the_output_folder_of_analyse(
    krackhardt: Path, tmp_path: Path
) -> None:
    # Click's "Directory '…/summary.json' is a file." said nothing of which folder to pass.
    summary, other = krackhardt / "summary.json", tmp_path / "notes.txt"
    other.write_text("", encoding="utf-8")
    result = CliRunner().invoke(main, ["compare", str(summary), str(krackhardt)])
    assert (result.exit_code, result.output) == (
        1,
        f"error: BEFORE {summary} is a file, not a snapshot's folder; pass the folder that holds it, "
        f"{krackhardt}\n",
    )
    result = CliRunner().invoke(main, ["compare", str(krackhardt), str(other)])
    assert (result.exit_code, result.output) == (
        1,
        f"error: AFTER {other} is a file, not a snapshot's folder; pass an output folder of `leadnet "
        'analyse`: one it printed as "wrote FOLDER", such as reports/riverside/before\n',
    )


def test_compare_of_one_folder_with_itself_is_refused(tmp_path: Path) -> None:
    # It compared the wave with itself (jaccard 1, qap_r 1) and exited 0: "no change", whatever happened.
    after = tmp_path / "after"
    (after / "snapshot").mkdir(parents=True)
    result = run("compare", str(after), str(after), "--out", str(tmp_path / "cmp"))
    assert (result.exit_code, result.output) == (
        1,
        f"error: BEFORE and AFTER are both {after}, so the comparison would set a wave against itself "
        "and find no change whatever happened; pass the folder of the wave before the programme, then the "
        "one after it, such as reports/riverside/before reports/riverside/after\n",
    )
    other = tmp_path / "other"
    other.symlink_to(after, target_is_directory=True)
    result = run("compare", str(after), str(other / "."), "--out", str(tmp_path / "cmp"))
    assert (result.exit_code, result.output) == (
        1,
        f"error: BEFORE {after} and AFTER {other / '.'} are one folder, so the comparison would set a wave "
        "against itself and find no change whatever happened; pass the folder of the wave before the "
        "programme, then the one after it, such as reports/riverside/before reports/riverside/after\n",
    )
    assert not (tmp_path / "cmp").exists()


def test_compare_of_two_folders_holding_one_snapshot_is_refused(krackhardt: Path, tmp_path: Path) -> None:
    # Only one folder given twice was caught: a copy of it, or a second run of the same wave, was
    # compared with it (jaccard 1, qap_r 1) and exited 0, "no change", whatever happened.
    copy, rerun = tmp_path / "copy", tmp_path / "rerun"
    shutil.copytree(krackhardt, copy)
    assert run("analyse", str(DATA / "krackhardt_hightech"), "--out", str(rerun)).exit_code == 0
    for other in (copy, rerun):
        result = run("compare", str(krackhardt), str(other), "--out", str(tmp_path / "cmp"))
        assert (result.exit_code, result.output) == (
            1,
            f"error: BEFORE {krackhardt} and AFTER {other} hold the same snapshot (their snapshot/ folders "
            "are identical: a copy, or one wave analysed twice), so the comparison would set a wave against "
            "itself and find no change whatever happened; pass the folder of the wave before the programme, "
            "then the one after it, such as reports/riverside/before reports/riverside/after\n",
        )
    assert not (tmp_path / "cmp").exists()


def test_xlsx_flag_adds_a_workbook_of_the_tables(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "out"
    assert run("analyse", str(DATA / "krackhardt_hightech"), "--out", str(out), "--xlsx").exit_code == 0
    book = load_workbook(out / "tables.xlsx")
    assert book.sheetnames == ["people", "units", "communities", "ties", "rejected", "summary"]
    assert book["people"].max_row == 22  # header + 21 managers


def test_riverside_uses_all_three_kinds_of_source_and_says_which_ties_came_from_which(
    riverside: Path,
) -> None:
    summary = json.loads((riverside / "before" / "summary.json").read_text(encoding="utf-8"))
    inputs = {(i["path"], i["kind"]) for i in summary["provenance"]["inputs"]}
    assert inputs == {
        ("people.csv", "people"), ("survey_before.csv", "survey"),
        ("mail_before.mbox", "email"), ("membership.csv", "membership"),
    }  # fmt: skip
    assert set(summary["relations"]) == {"advice", "collaboration", "email", "membership"}
    assert summary["provenance"]["parameters"]["relations"] == {
        "advice": ["survey_before.csv"], "collaboration": ["survey_before.csv"],
        "email": ["mail_before.mbox"], "membership": ["membership.csv"],
    }  # fmt: skip
    html = (riverside / "before" / "index.html").read_text(encoding="utf-8")
    table = html[html.index("Where the ties come from") :][:2000]
    assert "<td>email</td><td>mail_before.mbox</td>" in table
    people = read_people(riverside / "before")
    assert sum(int(r["messages_sent"]) > 0 for r in people) > 500


def test_pseudonymised_outputs_hide_every_roster_id_and_name_but_keep_the_findings(
    riverside: Path, tmp_path: Path
) -> None:
    out = tmp_path / "hidden"
    result = CliRunner(env={"LEADNET_PSEUDONYM_KEY": "correct horse battery staple"}).invoke(
        main, ["analyse", str(RIVERSIDE), "--out", str(out), "--pseudonymise"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    roster = (RIVERSIDE / "people.csv").read_text(encoding="utf-8").splitlines()[1:]
    ids = [line.split(",")[0] for line in roster]
    names = [line.split(",")[1] for line in roster]
    emails = [line.split(",")[2] for line in roster]
    assert all("@" in e for e in emails)
    for name in ("people.csv", "ties.csv", "index.html", "summary.json", "rejected.csv"):
        text = (out / "before" / name).read_text(encoding="utf-8-sig")
        assert not [i for i in ids if i in text], name
        assert not [n for n in names if n in text], name
        assert not [e for e in emails if e in text], name
    assert "@" not in (out / "before" / "rejected.csv").read_text(encoding="utf-8-sig")  # nor outsiders'
    rejected = pd.read_parquet(out / "before" / "snapshot" / "rejected.parquet")
    assert len(rejected) > 0 and set(rejected["detail"]) == {
        "withheld: the run is pseudonymised (the row is at this file and line)"
    }
    people = read_people(out / "before")
    assert all(p["person_id"].startswith("p_") and len(p["person_id"]) == 14 for p in people)
    assert "shown by keyed pseudonym" in (out / "before" / "index.html").read_text(encoding="utf-8")
    plain_page = (riverside / "before" / "index.html").read_text(encoding="utf-8")
    assert "shown by their roster id" in plain_page and "pseudonym." not in plain_page
    hidden = json.loads((out / "comparison" / "comparison.json").read_text(encoding="utf-8"))["cohort"]
    plain = json.loads((riverside / "comparison" / "comparison.json").read_text(encoding="utf-8"))["cohort"]
    assert hidden["cross_unit_out_ties"] == plain["cross_unit_out_ties"]
    waves = [str(out / "before"), str(out / "after"), "--out", str(tmp_path / "cmp")]
    cohort = ["--cohort", str(RIVERSIDE / "cohort.csv")]
    wrong = CliRunner(env={"LEADNET_PSEUDONYM_KEY": "wrong horse battery staple"}).invoke(
        main, ["compare", *waves, *cohort]
    )
    assert (wrong.exit_code, wrong.output) == (
        1,
        "error: cohort.csv: none of its 100 people is in the snapshots once pseudonymised: "
        "LEADNET_PSEUDONYM_KEY is most likely not the key `leadnet analyse` used; set it to that key\n",
    )
    lines = (RIVERSIDE / "cohort.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "cohort.csv").write_text("\n".join([*lines, "E9999,cohort"]) + "\n", encoding="utf-8")
    right = CliRunner(env={"LEADNET_PSEUDONYM_KEY": "correct horse battery staple"})
    unknown = right.invoke(main, ["compare", *waves, "--cohort", str(tmp_path / "cohort.csv")])
    assert (unknown.exit_code, unknown.output) == (
        1,
        'error: cohort.csv line 102, column "person_id": unknown person "E9999" (correct the id, or remove '
        "the row: the cohort lists people of the two snapshots) [unknown-person]\n",
    )


def test_a_short_pseudonym_key_is_used_with_a_warning(tmp_path: Path) -> None:
    args = ["validate", str(DATA / "krackhardt_hightech")]
    result = CliRunner(env={"LEADNET_PSEUDONYM_KEY": "horse"}).invoke(main, args)
    assert result.exit_code == 0
    assert result.output.splitlines()[-2:] == [
        "warning: LEADNET_PSEUDONYM_KEY is 5 characters long; anyone holding the roster could guess a key "
        "that short: use a random one of at least 16 characters",
        "no errors; 1 warning",
    ]


def test_pseudonymise_without_a_key_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    result = CliRunner(env={"LEADNET_PSEUDONYM_KEY": ""}).invoke(
        main, ["analyse", str(DATA / "krackhardt_hightech"), "--out", str(tmp_path / "o"), "--pseudonymise"]
    )
    assert (result.exit_code, result.output) == (
        1,
        "error: pseudonymise = true needs a secret key: set the environment variable LEADNET_PSEUDONYM_KEY "
        "(keep it outside the project; the same key gives the same pseudonyms in every wave)\n",
    )
    assert not (tmp_path / "o").exists()


def test_snapshot_by_month_analyses_one_snapshot_per_month_of_the_log(tmp_path: Path) -> None:
    for name in ("people.csv", "mail_after.csv"):
        shutil.copy(RIVERSIDE / name, tmp_path / name)
    config = (RIVERSIDE / "leadnet.toml").read_text(encoding="utf-8")
    header = config.split("[[sources]]")[0]
    (tmp_path / "leadnet.toml").write_text(
        header
        + '[[sources]]\nkind = "email"\npath = "mail_after.csv"\nsnapshot = "main"\n'
        + 'columns = { sender = "from", recipients = "to", cc = "cc", timestamp = "sent_at", '
        + 'message_id = "message_id" }\n\n[analysis]\nsnapshot_by = "month"\n',
        encoding="utf-8",
    )
    with (tmp_path / "mail_after.csv").open(encoding="utf-8", newline="") as f:
        months = sorted({row["sent_at"][:7] for row in csv.DictReader(f) if row["sent_at"][:2] == "20"})
    assert len(months) >= 3

    result = run("analyse", str(tmp_path), "--out", str(tmp_path / "out"))

    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == months
    for month in months:
        summary = json.loads((tmp_path / "out" / month / "summary.json").read_text(encoding="utf-8"))
        assert summary["relation"] == "email" and summary["n_ties"] > 0
        last_day = calendar.monthrange(int(month[:4]), int(month[5:]))[1]
        assert summary["period"] == f"{month}-01 to {month}-{last_day}"  # the whole calendar month


def test_a_month_without_the_primary_relation_says_so_in_its_reasons(tmp_path: Path) -> None:
    for name in ("people.csv", "mail_after.csv", "survey_before.csv"):
        shutil.copy(RIVERSIDE / name, tmp_path / name)
    header = (RIVERSIDE / "leadnet.toml").read_text(encoding="utf-8").split("[[sources]]")[0]
    (tmp_path / "leadnet.toml").write_text(
        header
        + '[[sources]]\nkind = "survey"\npath = "survey_before.csv"\nsnapshot = "before"\n'
        + 'relation = "advice"\ncolumns = { source = "respondent", target = "nominee", '
        + 'relation = "question", weight = "frequency" }\n'
        + '[[sources]]\nkind = "email"\npath = "mail_after.csv"\nsnapshot = "after"\n'
        + 'columns = { sender = "from", recipients = "to", cc = "cc", timestamp = "sent_at", '
        + 'message_id = "message_id" }\n\n[analysis]\nsnapshot_by = "month"\nprimary_relation = "advice"\n',
        encoding="utf-8",
    )
    result = run("analyse", str(tmp_path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    months = sorted(p for p in (tmp_path / "out").iterdir() if p.name[:2] == "20")
    assert months
    for month in months:
        summary = json.loads((month / "summary.json").read_text(encoding="utf-8"))
        assert summary["n_ties"] == 0 and summary["relations"]["email"]["n_ties"] > 0
        reasons = dict(summary["reasons"])
        # no advice survey covers the month: that, not the missing ties, is why nobody's answer is counted
        assert {reasons.pop("n_respondents"), reasons.pop("n_non_respondents")} == {
            'no survey asked about "advice", so there are no answers to count (e-mail, membership and '
            "tie-list relations are observed, not answered)"
        }
        assert set(reasons.values()) == {
            'no "advice" ties in this snapshot (the primary relation); its email ties are under "relations"'
        }


def test_two_sources_of_one_relation_in_one_snapshot_give_one_summed_tie(tmp_path: Path) -> None:
    people = "person_id,unit\n" + "".join(f"P{i},{'AB'[i % 2]}\n" for i in range(6))
    (tmp_path / "people.csv").write_text(people, encoding="utf-8")
    (tmp_path / "one.csv").write_text("source,target,weight\nP0,P1,2\nP1,P2,1\n", encoding="utf-8")
    (tmp_path / "two.csv").write_text("source,target,weight\nP0,P1,3\nP3,P4,1\n", encoding="utf-8")
    sources = "".join(
        f'[[sources]]\nkind = "ties"\npath = "{name}"\nsnapshot = "main"\nrelation = "advice"\n\n'
        for name in ("one.csv", "two.csv")
    )
    (tmp_path / "leadnet.toml").write_text(f'[people]\npath = "people.csv"\n\n{sources}', encoding="utf-8")

    result = run("analyse", str(tmp_path), "--out", str(tmp_path / "out"))

    assert result.exit_code == 0, result.output
    with (tmp_path / "out" / "ties.csv").open(encoding="utf-8-sig", newline="") as f:
        ties = {(r["source"], r["target"]): (float(r["weight"]), int(r["count"])) for r in csv.DictReader(f)}
    assert ties == {("P0", "P1"): (5.0, 2), ("P1", "P2"): (1.0, 1), ("P3", "P4"): (1.0, 1)}
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["provenance"]["normalisations"]["merged-tie"] == 1


def small_project(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    people = "person_id,unit\n" + "".join(f"P{i},{'AB'[i % 2]}\n" for i in range(12))
    (folder / "people.csv").write_text(people, encoding="utf-8")
    ties = "source,target\n" + "".join(f"P{i},P{(i + 1) % 12}\n" for i in range(12))
    (folder / "ties.csv").write_text(ties, encoding="utf-8")
    (folder / "leadnet.toml").write_text(
        '[people]\npath = "people.csv"\n\n[[sources]]\nkind = "ties"\npath = "ties.csv"\n', encoding="utf-8"
    )
    return folder


@pytest.mark.parametrize(
    "where", ["the project itself", "a parent of the project", "a folder of other files"]
)
def test_an_out_folder_whose_replacement_would_lose_files_is_refused(tmp_path: Path, where: str) -> None:
    project = small_project(tmp_path / "work" / "project")
    (tmp_path / "work" / "notes.txt").write_text("mine", encoding="utf-8")
    out = {
        "the project itself": project,
        "a parent of the project": tmp_path / "work",
        "a folder of other files": tmp_path / "other",
    }[where]
    out.mkdir(exist_ok=True)
    (out / "keep.txt").write_text("keep", encoding="utf-8")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))

    result = run("analyse", str(project), "--out", str(out))

    refused = {
        "the project itself": f"holds the input {project}, and leadnet replaces its output folder as a "
        "whole; choose another output folder",
        "a parent of the project": f"holds the input {project}, and leadnet replaces its output folder as a "
        "whole; choose another output folder",
        "a folder of other files": "holds what `leadnet analyse` does not write: keep.txt; leadnet replaces "
        "its output folder as a whole, so choose another --out, or move those files out of it",
    }[where]
    assert (result.exit_code, result.output) == (1, f"error: --out {out} {refused}\n")
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_an_earlier_output_folder_is_replaced_and_compare_cannot_overwrite_its_inputs(tmp_path: Path) -> None:
    project = small_project(tmp_path / "project")
    assert run("analyse", str(project), "--out", str(tmp_path / "a"), "--xlsx").exit_code == 0
    (tmp_path / "a" / ".DS_Store").write_bytes(b"\0")  # Finder showed the folder
    assert run("analyse", str(project), "--out", str(tmp_path / "a")).exit_code == 0
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == sorted(CONTRACT_FILES)  # no workbook
    with (project / "ties.csv").open("a", encoding="utf-8") as ties:  # a second wave: one tie more
        ties.write("P0,P6\n")
    assert run("analyse", str(project), "--out", str(tmp_path / "b")).exit_code == 0

    result = run("compare", str(tmp_path / "a"), str(tmp_path / "b"), "--out", str(tmp_path / "a"))

    assert (result.exit_code, result.output) == (
        1,
        f"error: --out {tmp_path / 'a'} holds the input {tmp_path / 'a'}, and leadnet replaces its output "
        "folder as a whole; choose another output folder\n",
    )
    assert (tmp_path / "a" / "summary.json").is_file()


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by its path inside it, with its text."""
    return {
        str(p.relative_to(folder)): p.read_bytes().decode("utf-8", "replace")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


REPLACED = "leadnet replaces its output folder as a whole"


def test_an_output_folder_holding_the_users_files_is_not_replaced(tmp_path: Path) -> None:
    # An audit: --out of an earlier output with a board pack added exited 0 and deleted the slides
    # and the board paper: any summary.json made the whole folder leadnet's.
    project = small_project(tmp_path / "project")
    out = tmp_path / "m2"
    assert run("analyse", str(project), "--out", str(out)).exit_code == 0
    (out / "board_pack").mkdir()
    (out / "board_pack" / "slides.pptx").write_text("x", encoding="utf-8")
    (out / "Board paper FINAL.docx").write_text("x", encoding="utf-8")
    before = tree(out)

    result = run("analyse", str(project), "--out", str(out))

    assert (result.exit_code, result.output) == (
        1,
        f"error: --out {out} holds what `leadnet analyse` does not write: Board paper FINAL.docx, "
        f"board_pack/; {REPLACED}, so choose another --out, or move those files out of it\n",
    )
    assert tree(out) == before


@pytest.mark.parametrize("case", ["a summary.json of its own", "a git repository", "a snapshot folder"])
def test_a_folder_that_only_looks_like_an_output_is_not_replaced(tmp_path: Path, case: str) -> None:
    project = small_project(tmp_path / "project")
    out = tmp_path / "out"
    assert run("analyse", str(project), "--out", str(out)).exit_code == 0
    if case == "a summary.json of its own":
        shutil.rmtree(out)
        out.mkdir()
        (out / "summary.json").write_text("{}", encoding="utf-8")
        (out / "thesis.docx").write_text("x", encoding="utf-8")
        named = "summary.json (not written by leadnet), thesis.docx"
    elif case == "a git repository":
        (out / ".git" / "objects").mkdir(parents=True)
        (out / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
        named = ".git/"
    else:
        (out / "snapshot" / "notes.md").write_text("x", encoding="utf-8")
        named = "snapshot/notes.md"
    before = tree(out)

    result = run("analyse", str(project), "--out", str(out))

    assert (result.exit_code, result.output) == (
        1,
        f"error: --out {out} holds what `leadnet analyse` does not write: {named}; {REPLACED}, so choose "
        "another --out, or move those files out of it\n",
    )
    assert tree(out) == before


def test_compare_does_not_replace_an_analyse_output_nor_analyse_a_comparison(
    riverside: Path, tmp_path: Path
) -> None:
    # An audit: compare --out of a two-snapshot analyse output wiped before/ and after/.
    out = tmp_path / "r3"
    shutil.copytree(riverside, out)
    before = tree(out)
    waves = (str(riverside / "before"), str(riverside / "after"))

    result = run("compare", *waves, "--out", str(out))

    assert (result.exit_code, result.output) == (
        1,
        f"error: --out {out} is an output of `leadnet analyse` (after/, before/, comparison/), not of "
        f"`leadnet compare`; {REPLACED}, so choose another --out\n",
    )
    assert tree(out) == before
    comparison = tmp_path / "cmp"
    assert run("compare", *waves, "--out", str(comparison)).exit_code == 0
    assert run("compare", *waves, "--out", str(comparison)).exit_code == 0  # its own output: replaced
    result = run("analyse", str(small_project(tmp_path / "project")), "--out", str(comparison))
    assert (result.exit_code, result.output) == (
        1,
        f"error: --out {comparison} is an output of `leadnet compare` (comparison.json, index.html, "
        f"people_change.csv), not of `leadnet analyse`; {REPLACED}, so choose another --out\n",
    )


def test_analyse_says_how_many_rows_each_snapshot_rejected_even_when_quiet(tmp_path: Path) -> None:
    # An audit: 2 survey rows naming unknown ids were quarantined in rejected.csv, and analyse
    # printed only "wrote ...".
    project = small_project(tmp_path / "project")
    with (project / "ties.csv").open("a", encoding="utf-8") as ties:
        ties.write("P0,X1\nX2,P3\n")
    with (project / "leadnet.toml").open("a", encoding="utf-8") as toml:
        toml.write("\n[analysis]\nmax_reject_rate = 0.2\n")
    out = tmp_path / "out"

    result = run("analyse", str(project), "--out", str(out), "--quiet")

    assert (result.exit_code, result.output) == (
        0,
        f"2 rows rejected (see {out / 'rejected.csv'})\nwrote {out}\n",
    )


def test_analyse_of_riverside_names_each_snapshot_that_rejected_rows(riverside_run: tuple[Path, str]) -> None:
    out, output = riverside_run
    assert output == (
        f"before: 5 rows rejected (see {out / 'before' / 'rejected.csv'})\n"
        f"after: 2 rows rejected (see {out / 'after' / 'rejected.csv'})\n"
        f"wrote {out / 'before'}\nwrote {out / 'after'}\nwrote {out / 'comparison'}\n"
    )


def test_the_saved_snapshot_keeps_no_names_or_addresses(riverside: Path) -> None:
    import pandas as pd

    roster = pd.read_csv(RIVERSIDE / "people.csv")
    assert {"name", "email"} <= set(roster.columns)
    saved = pd.read_parquet(riverside / "before" / "snapshot" / "people.parquet")
    assert not {"name", "email"} & set(saved.columns)
    assert len(saved) == len(roster)


@pytest.mark.parametrize("damage", ["snapshot.json", "ties.parquet"])
def test_compare_of_a_damaged_snapshot_names_it_and_says_what_to_do(tmp_path: Path, damage: str) -> None:
    project = small_project(tmp_path / "project")
    assert run("analyse", str(project), "--out", str(tmp_path / "a")).exit_code == 0
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    (tmp_path / "b" / "snapshot" / damage).write_bytes(b"{trunc")

    result = run("compare", str(tmp_path / "a"), str(tmp_path / "b"), "--out", str(tmp_path / "c"))

    snapshot = tmp_path / "b" / "snapshot"
    why = {  # the reader's own words: Python's json, Arrow's (which name the file, in words of their version)
        "snapshot.json": re.escape(
            "JSONDecodeError: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"
        ),
        "ties.parquet": rf"ArrowInvalid: [^\n]*{re.escape(str(snapshot / 'ties.parquet'))}[^\n]*",
    }[damage]
    assert result.exit_code == 1
    assert re.fullmatch(
        rf"error: {re.escape(str(snapshot))} is a damaged saved snapshot \({why}\); run `leadnet analyse` "
        r"again to write it afresh\n",
        result.output,
    ), result.output
    assert not (tmp_path / "c").exists()


def refuse_renaming(monkeypatch: pytest.MonkeyPatch, folder: Path, error: int) -> None:
    """Renaming ``folder`` itself fails with ``error`` (EBUSY: a mount point; EACCES: a folder in a
    parent the user may not write in), as does making a folder beside it (EACCES)."""
    real_rename, real_mkdtemp = os.rename, tempfile.mkdtemp

    def rename(src: Any, dst: Any, **kwargs: Any) -> None:
        if Path(src) == folder:
            raise OSError(error, os.strerror(error), str(src))
        real_rename(src, dst, **kwargs)

    def mkdtemp(suffix: Any = None, prefix: Any = None, dir: Any = None) -> str:
        if dir is not None and Path(dir) == folder.parent:
            raise PermissionError(errno.EACCES, "Permission denied", str(dir))
        return real_mkdtemp(suffix, prefix, dir)

    monkeypatch.setattr(os, "rename", rename)
    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp)


@pytest.mark.parametrize("error", [errno.EBUSY, errno.EACCES], ids=["a-mount-point", "in-a-read-only-folder"])
def test_an_existing_out_folder_is_kept_and_its_contents_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: int
) -> None:
    # An audit: `docker run -v ...:/out ... --out /out` failed "Device or resource busy", and an
    # --out the user could write in, inside a folder they could not, "cannot write in .../par".
    project = small_project(tmp_path / "project")
    out = (tmp_path / "par" / "out").resolve()
    assert run("analyse", str(project), "--out", str(out), "--xlsx").exit_code == 0
    (out / "snapshot" / "Thumbs.db").write_bytes(b"\0")
    (out / ".leadnet-new-x1y2_z3w").mkdir()  # left by a run that was stopped (mkdtemp's 8 characters)
    folder = os.stat(out)
    refuse_renaming(monkeypatch, out, error)
    with (project / "ties.csv").open("a", encoding="utf-8") as ties:
        ties.write("P0,P6\n")

    result = run("analyse", str(project), "--out", str(out))

    assert (result.exit_code, result.output) == (0, f"wrote {out}\n")
    assert (os.stat(out).st_ino, os.stat(out).st_dev) == (folder.st_ino, folder.st_dev)  # the same folder
    assert sorted(p.name for p in out.iterdir()) == sorted(CONTRACT_FILES)  # nothing hidden, no workbook
    assert sorted(p.name for p in (out / "snapshot").iterdir()) == [
        "people.parquet", "rejected.parquet", "snapshot.json", "ties.parquet"
    ]  # fmt: skip
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["n_ties"] == 13
    assert sorted(p.name for p in out.parent.iterdir()) == ["out"]


def test_a_replacement_that_fails_half_way_puts_the_earlier_output_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = small_project(tmp_path / "project")
    out = (tmp_path / "out").resolve()
    assert run("analyse", str(project), "--out", str(out)).exit_code == 0
    before = tree(out)
    real_rename, moved = os.rename, []

    def rename(src: Any, dst: Any, **kwargs: Any) -> None:
        if Path(dst).parent == out:  # a new entry moving into place
            moved.append(Path(dst).name)
            if len(moved) == 3:
                raise OSError(errno.EIO, "Input/output error", str(src))
        real_rename(src, dst, **kwargs)

    monkeypatch.setattr(os, "rename", rename)
    result = run("analyse", str(project), "--out", str(out))

    # It said "error: …/out/.leadnet-new-03vao86d/rejected.csv: Input/output error; check the path and its
    # permissions": a hidden folder the user never gave, gone by then, and not a word of the old output.
    assert (result.exit_code, result.output) == (
        1,
        f"error: --out {out}: the new rejected.csv could not be moved into it (Input/output error), so the "
        "earlier output was put back as it was; check the disk (its free space and permissions) and run "
        "again\n",
    )
    # the new files in order, entry points last, up to the one that failed; then every old entry back
    assert moved == ["communities.csv", "people.csv", "rejected.csv", *sorted(CONTRACT_FILES, reverse=True)]
    assert tree(out) == before and sorted(p.name for p in out.iterdir()) == sorted(CONTRACT_FILES)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "project"]  # no hidden folder left beside


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in a read-only folder: chmod changes nothing")
def test_an_out_folder_in_a_folder_the_user_cannot_write_in_is_replaced(tmp_path: Path) -> None:
    project = small_project(tmp_path / "project")
    out = tmp_path / "par" / "out"
    assert run("analyse", str(project), "--out", str(out)).exit_code == 0
    (tmp_path / "par").chmod(0o555)
    try:
        result = run("analyse", str(project), "--out", str(out))
    finally:
        (tmp_path / "par").chmod(0o755)
    assert (result.exit_code, result.output) == (0, f"wrote {out}\n")
    assert sorted(p.name for p in out.iterdir()) == sorted(CONTRACT_FILES)


def test_an_out_folder_that_cannot_be_made_is_an_error_naming_it_and_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A reviewer's run: --out below a file said "error: .../people.csv: File exists; check the path
    # and its permissions", and an --out leadnet cannot write named its hidden staging folder.
    project = small_project(tmp_path / "project")
    under_a_file = project / "people.csv" / "out"
    result = run("analyse", str(project), "--out", str(under_a_file))
    assert (result.exit_code, result.output) == (
        1,
        f"error: --out {under_a_file}: {project / 'people.csv'} is a file, not a folder; "
        "choose another output folder\n",
    )
    assert (project / "people.csv").is_file()

    def refused(prefix: str, dir: str) -> str:  # a folder the user may not write in
        raise PermissionError(13, "Permission denied", str(Path(dir) / f"{prefix}x1y2"))

    monkeypatch.setattr("leadnet.output_folder.tempfile.mkdtemp", refused)
    out = tmp_path / "locked" / "out"
    result = run("analyse", str(project), "--out", str(out))
    assert (result.exit_code, result.output) == (
        1,
        f"error: --out {out}: cannot write in {out.parent} (Permission denied); choose a folder you can "
        "write to\n",
    )


def test_sample_refuses_a_folder_of_other_files(tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text("mine", encoding="utf-8")

    result = run("sample", "riverside", "--out", str(tmp_path))

    assert (result.exit_code, result.output) == (
        1,
        f"error: {tmp_path} already holds files and is not a leadnet sample; write the sample to a new or "
        "empty folder\n",
    )
    assert (tmp_path / "people.csv").read_text(encoding="utf-8") == "mine"


def test_email_flag_takes_a_folder_of_eml_files(tmp_path: Path) -> None:
    people = "person_id,email,unit\n" + "".join(f"P{i},p{i}@x.org,{'AB'[i % 2]}\n" for i in range(6))
    (tmp_path / "people.csv").write_text(people, encoding="utf-8")
    (tmp_path / "eml").mkdir()
    for n, (sender, to) in enumerate([(0, 1), (0, 1), (2, 3), (2, 3), (4, 5)]):
        (tmp_path / "eml" / f"{n}.eml").write_text(
            f"From: p{sender}@x.org\r\nTo: p{to}@x.org\r\nMessage-ID: <{n}@x.org>\r\n"
            f"Date: Mon, 2 Mar 2026 09:0{n}:00 +0000\r\n\r\nbody\r\n",
            encoding="utf-8",
        )
    result = run(
        "analyse", "--people", str(tmp_path / "people.csv"), "--email", str(tmp_path / "eml"),
        "--out", str(tmp_path / "out"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with (tmp_path / "out" / "ties.csv").open(encoding="utf-8-sig", newline="") as f:
        assert [(r["source"], r["target"], r["count"]) for r in csv.DictReader(f)] == [
            ("P0", "P1", "2"), ("P2", "P3", "2"),
        ]  # fmt: skip


def test_no_cell_of_fewer_than_k_people_is_named_in_communities_or_transitions(riverside: Path) -> None:
    import collections

    people = read_people(riverside / "before")
    members = collections.Counter((p["community"], p["unit"]) for p in people)
    with (riverside / "before" / "communities.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["dominant_units"] and r["size"] != "<5"]
    assert rows
    for row in rows:
        cells = row["dominant_units"].split("; ")
        named = [re.sub(r" \d+%$", "", cell) for cell in cells]
        assert all(members[(row["community"], unit)] >= 5 for unit in named), row
        rest = int(row["size"]) - sum(members[(row["community"], unit)] for unit in named)
        if cells != named:  # shares shown: the people left unnamed are none or at least 5
            assert rest == 0 or rest >= 5, row
    comparison = json.loads((riverside / "comparison" / "comparison.json").read_text(encoding="utf-8"))
    table = comparison["community_transitions"]["table"]
    assert all(isinstance(r["n"], int) and r["n"] >= 5 for r in table if r["before"] != "other")
    pooled = [r["n"] for r in table if r["before"] == "other"]
    listed = sum(r["n"] for r in table if isinstance(r["n"], int))
    transitions = comparison["community_transitions"]
    assert listed == transitions["n_people"] == comparison["n_stayed"] - transitions["n_alone"]
    # The pooled cell is the stayers minus the listed cells: never under 5 people
    assert pooled == [] or pooled[0] >= 5


def _one_relation_survey(folder: Path) -> Path:
    """Krackhardt's survey without its question column: both questions' nominations as one relation,
    as the file was read before an unread question column was warned of."""
    rows = (DATA / "krackhardt_hightech" / "survey.csv").read_text(encoding="utf-8").splitlines()
    path = folder / "survey.csv"
    path.write_text("\n".join(row.rsplit(",", 1)[0] for row in rows) + "\n", encoding="utf-8")
    return path


def _latin1_copy(folder: Path) -> tuple[Path, Path]:
    """Krackhardt's roster, with names (an accented one on line 3), saved as Latin-1, and the survey."""
    people = (DATA / "krackhardt_hightech" / "people.csv").read_text(encoding="utf-8").splitlines()
    people = [people[0] + ",name"] + [f"{line},Person {i}" for i, line in enumerate(people[1:], start=2)]
    people[2] = people[2].replace("Person 3", "José")
    (folder / "people.csv").write_bytes(("\n".join(people) + "\n").encode("latin-1"))
    _one_relation_survey(folder)
    return folder / "people.csv", folder / "survey.csv"


def test_a_latin1_roster_fails_suggesting_encoding_and_is_read_with_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the files named from there: people.csv
    people, survey = _latin1_copy(tmp_path)
    failed = run("validate", "--people", str(people), "--survey", str(survey))
    assert (failed.exit_code, failed.output.splitlines()) == (
        1,
        [
            "people.csv line 3: byte 0xe9 is not valid UTF-8 (save the file as UTF-8, or name its encoding: "
            '--encoding cp1252 (for example) on the command line, or encoding = "cp1252" in leadnet.toml, in '
            "the [[sources]] entry that reads it, in [people] for the roster and the exclusion list, or in "
            "[programme] for the cohort file) [encoding]",
            NO_ROSTER_NOTE,
            "1 problem(s) found",
        ],
    )
    out = tmp_path / "out"
    done = run("analyse", "--people", str(people), "--survey", str(survey), "--encoding", "latin-1",
               "--out", str(out), "--show-names", "--quiet")  # fmt: skip
    assert done.exit_code == 0, done.output
    with (out / "people.csv").open(encoding="utf-8-sig", newline="") as handle:
        names = [row["name"] for row in csv.DictReader(handle)]
    assert "José" in names and len(names) == 21


def test_encoding_leaves_a_table_with_a_byte_order_mark_in_its_own_encoding(tmp_path: Path) -> None:
    # A reviewer's run: the roster exported as UTF-8 with a BOM (a name accented), the other
    # tables in cp1252, and --encoding cp1252: the roster's header was read as "ï»¿person_id".
    people, survey = _latin1_copy(tmp_path)
    text = people.read_bytes().decode("latin-1")
    people.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    done = run("validate", "--people", str(people), "--survey", str(survey), "--encoding", "cp1252")
    assert done.exit_code == 0, done.output
    assert done.output.splitlines()[-1] == "no problems found"


def test_an_encoding_python_does_not_know_is_refused_before_reading(tmp_path: Path) -> None:
    people, survey = _latin1_copy(tmp_path)
    result = run("validate", "--people", str(people), "--survey", str(survey), "--encoding", "klingon")
    assert result.exit_code == 1
    assert result.output == (
        'error: --encoding: "klingon" is not a text encoding Python knows; use a codec name such as '
        '"cp1252", "latin-1" or "utf-16"\n'
    )
    (tmp_path / "leadnet.toml").write_text(
        '[people]\npath = "people.csv"\nencoding = "base64"\n\n[[sources]]\nkind = "survey"\n'
        'path = "survey.csv"\nrelation = "advice"\n',
        encoding="utf-8",
    )
    result = run("validate", str(tmp_path))
    assert (result.exit_code, result.output) == (
        1,
        'error: leadnet.toml line 3, [people] encoding: "base64" is not a text encoding Python knows; use a '
        'codec name such as "cp1252", "latin-1" or "utf-16"\n',
    )


ROSTER_FIX = "(fix that roster row; this row needs no change) [roster-rejected]"


def test_rows_naming_someone_whose_roster_row_was_rejected_point_to_that_row(tmp_path: Path) -> None:
    # Person 5's row is two cells short (line 6); person 6's row has a cell too many (line 7).
    # Every row naming them is the roster's problem: not "unknown person ... add them to the roster".
    people = (DATA / "krackhardt_hightech" / "people.csv").read_text(encoding="utf-8").splitlines()
    people[5], people[6] = "5,2", people[6] + ",extra"
    (tmp_path / "people.csv").write_text("\n".join(people) + "\n", encoding="utf-8")
    shutil.copy(DATA / "krackhardt_hightech" / "survey.csv", tmp_path / "survey.csv")
    (tmp_path / "membership.csv").write_text("person,project\n1,p\n5,p\n99,p\n", encoding="utf-8")
    (tmp_path / "leadnet.toml").write_text(
        '[people]\npath = "people.csv"\nlevel_order = ["1", "2", "3"]\n\n'
        '[[sources]]\nkind = "survey"\npath = "survey.csv"\nrelation = "advice"\n'
        'columns = { source = "respondent", target = "nominee", relation = "question" }\n\n'
        '[[sources]]\nkind = "membership"\npath = "membership.csv"\n',
        encoding="utf-8",
    )
    result = run("validate", str(tmp_path))
    roster = [
        'people.csv line 6: 2 cells but the header has 4 columns (no "level") (add the missing cells or '
        "delimiters) [short-row]",
        "people.csv line 7: 5 cells but the header has 4 columns (quote cells that contain the delimiter, "
        "or remove the extra cell) [extra-cell]",
    ]
    rejected_as = {
        person: f'person "{person}" is on the roster at people.csv line {line}, but that row was rejected as '
        f"{code} {ROSTER_FIX}"
        for person, line, code in (("5", 6, "short-row"), ("6", 7, "extra-cell"))
    }
    survey = naming((tmp_path / "survey.csv").read_text(encoding="utf-8").splitlines(), rejected_as)
    assert len(survey) == 52 and survey[:4] == [  # 50 rows, 2 name both
        *(f'survey.csv line {line}, column "nominee": {rejected_as["6"]}' for line in (8, 14, 28)),
        f'survey.csv line 38, column "respondent": {rejected_as["5"]}',
    ]
    assert (result.exit_code, result.stdout.splitlines()) == (
        1,
        [
            *roster,
            *survey,
            f'membership.csv line 3, column "person": {rejected_as["5"]}',
            'membership.csv line 4, column "person": unknown person "99" (did you mean "9"?) '
            "[unknown-person]",
            "snapshot main: 19 people, 241 ties, 316 rows read, 55 rejected",
        ],
    )
    # analyse stops at the roster and lists only its rows: no source row is blamed for them.
    analysed = run("analyse", str(tmp_path), "--out", str(tmp_path / "out"))
    assert analysed.exit_code == 1 and not (tmp_path / "out").exists()
    assert analysed.output.splitlines() == [
        "error: people.csv: 2 roster row(s) cannot be used; every roster row must be valid (fix them and run "
        "again)",
        *roster,
    ]


def _krackhardt_copy(folder: Path, people: str = "", source: str = "") -> Path:
    """Krackhardt's roster and survey in ``folder``, with lines added to ``[people]`` and to the source."""
    for name in ("people.csv", "survey.csv"):
        shutil.copy(DATA / "krackhardt_hightech" / name, folder / name)
    (folder / "leadnet.toml").write_text(
        f'[people]\npath = "people.csv"\n{people}\n[[sources]]\nkind = "survey"\npath = "survey.csv"\n'
        'relation = "advice"\n'
        'columns = { source = "respondent", target = "nominee", relation = "question" }\n'
        f"{source}",
        encoding="utf-8",
    )
    return folder


def test_a_level_order_lacking_a_level_is_one_problem_at_its_line_not_every_row_and_tie(
    tmp_path: Path,
) -> None:
    # The audit of 2026-11-29: level_order = ["1", "2", "3", "4"] on Riverside's roster of levels 1 to 5
    # made validate print 10,417 problems, 388 rows of level 5 and 9,968 ties of their people rejected
    # for them, none naming leadnet.toml or the level to add. Here 16 people hold level "3".
    project = _krackhardt_copy(tmp_path, people='level_order = ["1", "2"]\n')
    problem = (
        'leadnet.toml line 3: [people] level_order lists "1", "2", but column "level" of people.csv also '
        'holds "3" (16 people: lines 2, 4, 5 and 13 more) (add "3" to level_order in its place, top first: '
        'level_order = ["1", "2", "3"]) [unknown-level]'
    )
    validated = run("validate", str(project))
    assert (validated.exit_code, validated.output.splitlines()) == (
        1,
        [problem, "snapshot main: 21 people, 292 ties, 313 rows read, 0 rejected", "1 problem(s) found"],
    )
    analysed = run("analyse", str(project), "--out", str(tmp_path / "out"))
    assert (analysed.exit_code, analysed.output) == (1, f"error: {problem}\n")
    assert not (tmp_path / "out").exists()


def _programme_project(folder: Path, cohort: str) -> Path:
    """Krackhardt's managers asked twice (before = after), person 3 opted out, and a cohort file."""
    shutil.copy(DATA / "krackhardt_hightech" / "people.csv", folder / "people.csv")
    _one_relation_survey(folder)
    (folder / "opt_outs.csv").write_text("person_id\n3\n", encoding="utf-8")
    (folder / "cohort.csv").write_text(cohort, encoding="utf-8")
    wave = '[[sources]]\nkind = "survey"\npath = "survey.csv"\nsnapshot = "{}"\nrelation = "advice"\n'
    (folder / "leadnet.toml").write_text(
        '[people]\npath = "people.csv"\nexclude = "opt_outs.csv"\n\n'
        + wave.format("before")
        + wave.format("after")
        + '\n[programme]\ncohort = "cohort.csv"\nbefore = "before"\nafter = "after"\n\n'
        "[analysis]\npermutations = 99\n",
        encoding="utf-8",
    )
    return folder


def test_a_cohort_member_who_opted_out_is_left_out_and_counted_not_taken_for_another_id(
    tmp_path: Path,
) -> None:
    project = _programme_project(tmp_path, "person_id\n1\n2\n3\n4\n5\n6\n")  # line 4: person 3
    out = tmp_path / "out"
    result = run("analyse", str(project), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "warning: cohort.csv: 1 listed person opted out (line 4): left out of the cohort, as of the whole "
        "analysis\n"
    )
    cohort = json.loads((out / "comparison" / "comparison.json").read_text(encoding="utf-8"))["cohort"]
    assert (cohort["n_opted_out"], cohort["n_cohort"], cohort["n_comparison"]) == (1, 5, 15)
    change = pd.read_csv(out / "comparison" / "people_change.csv", dtype=str, encoding="utf-8-sig")
    assert "3" not in set(change["person_id"]) and len(change) == 20
    page = (out / "comparison" / "index.html").read_text(encoding="utf-8")
    assert "1 person listed in the cohort file opted out: left out, as of the whole analysis." in page
    # Saved snapshots keep how many opted out, never who: compare of the folders cannot tell an
    # opt-out from a misspelt id, so it says so before suggesting another id.
    waves = [str(out / "before"), str(out / "after"), "--out", str(tmp_path / "cmp")]
    folders = run("compare", *waves, "--cohort", str(project / "cohort.csv"))
    assert (folders.exit_code, folders.output) == (
        1,
        'error: cohort.csv line 4, column "person_id": unknown person "3" (1 person who opted out was left '
        "out of the snapshots: if this is them, remove the row; if not, correct the id: did you mean "
        '"13"?) [unknown-person]\n',
    )


def test_a_pseudonymised_run_says_which_cohort_line_opted_out_but_no_id(tmp_path: Path) -> None:
    project = _programme_project(tmp_path, "person_id\n1\n2\n4\n5\n6\n3\n")  # line 7: person 3
    out = tmp_path / "out"
    keyed = CliRunner(env={"LEADNET_PSEUDONYM_KEY": "correct horse battery staple"})
    result = keyed.invoke(main, ["analyse", str(project), "--out", str(out), "--pseudonymise"])
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "warning: cohort.csv: 1 listed person opted out (line 7): left out of the cohort, as of the whole "
        "analysis\n"
    )
    cohort = json.loads((out / "comparison" / "comparison.json").read_text(encoding="utf-8"))["cohort"]
    assert (cohort["n_opted_out"], cohort["n_cohort"]) == (1, 5)


def test_a_cohort_whose_every_participant_opted_out_says_so(tmp_path: Path) -> None:
    project = _programme_project(tmp_path, "person_id,group\n3,cohort\n1,comparison\n")
    result = run("analyse", str(project), "--out", str(tmp_path / "out"))
    assert (result.exit_code, result.stderr) == (
        1,
        "error: cohort.csv: every participant it lists opted out (line(s) 2), so no cohort is left to "
        "compare; people who opted out are never analysed: list participants who did not, or remove "
        "[programme] cohort\n",
    )


WAVES = (
    "snapshot before: 20 people, 209 ties, 314 rows read, 0 rejected\n"
    "snapshot after: 20 people, 209 ties, 314 rows read, 0 rejected\n"
)  # Krackhardt's 21 managers less person 3, who opted out; 292 survey rows, 21 roster rows, 1 opt-out row


def _validate_fails_with(project: Path, *lines: str) -> None:
    """``leadnet validate`` exits 1 printing ``lines``, then the two waves and the count of problems."""
    result = run("validate", str(project))
    printed = "".join(f"{line}\n" for line in lines) + WAVES + f"{len(lines)} problem(s) found\n"
    assert (result.exit_code, result.output) == (1, printed)


def test_validate_lists_the_cohort_files_unknown_and_repeated_ids_by_line(tmp_path: Path) -> None:
    # analyse stopped on these after reading every source; validate said "no problems found".
    project = _programme_project(tmp_path, "person_id,group\n1,cohort\n99,cohort\n2,cohort\n2,comparison\n")
    _validate_fails_with(
        project,
        'cohort.csv line 3, column "person_id": unknown person "99" (did you mean "9"?) [unknown-person]',
        'cohort.csv line 5, column "person_id": "2" is listed twice, in group "cohort" on line 4 and in '
        'group "comparison" on line 5 (a person is in one group: keep the row of the group they are in and '
        "remove the other) [duplicate-person]",
    )


def test_a_pseudonymised_validate_suggests_no_roster_id_for_an_unknown_cohort_id(tmp_path: Path) -> None:
    project = _programme_project(tmp_path, "person_id,group\n1,cohort\n99,cohort\n")
    keyed = CliRunner(env={"LEADNET_PSEUDONYM_KEY": "correct horse battery staple"})
    result = keyed.invoke(main, ["validate", str(project), "--pseudonymise"])
    assert (result.exit_code, result.output) == (
        1,
        'cohort.csv line 3, column "person_id": unknown person "99" (correct the id, or remove the row: the '
        "cohort lists people of the two snapshots) [unknown-person]\n" + WAVES + "1 problem(s) found\n",
    )


def test_validate_reports_a_missing_cohort_file_and_goes_on(tmp_path: Path) -> None:
    project = _programme_project(tmp_path, "")
    (project / "cohort.csv").unlink()
    _validate_fails_with(
        project,
        f"cohort.csv: file not found (check cohort at leadnet.toml line 17, [programme]: it names "
        f"{project / 'cohort.csv'}) [missing-file]",
    )


def test_validate_warns_by_line_never_by_id_of_a_cohort_member_who_opted_out(tmp_path: Path) -> None:
    project = _programme_project(tmp_path, "person_id\n1\n2\n3\n4\n5\n6\n")  # line 4: person 3
    result = run("validate", str(project))
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        WAVES + "no errors; 1 warning\n",
        "warning: cohort.csv: 1 listed person opted out (line 4): left out of the cohort, as of the whole "
        "analysis\n",
    )


OPT_OUT_TYPO = (
    "opt_outs.csv line 2: the id matches nobody on the roster, but a roster id, e-mail address or alias "
    "differs from it only in letter case, punctuation or leading zeros (check it against the roster and "
    "write it as the roster does; until it matches, the person who opted out stays in the analysis) "
    "[exclusion-unmatched]"
)


def test_an_opt_out_id_mistyped_stops_validate_and_analyse_naming_its_line(tmp_path: Path) -> None:
    project = _programme_project(tmp_path, "person_id\n1\n2\n4\n5\n6\n")
    (project / "opt_outs.csv").write_text("person_id\n03\n", encoding="utf-8")  # person 3, zero-padded
    checked = run("validate", str(project))
    assert checked.exit_code == 1 and OPT_OUT_TYPO in checked.stdout.splitlines()
    analysed = run("analyse", str(project), "--out", str(tmp_path / "out"))
    assert (analysed.exit_code, analysed.stderr) == (
        1,
        "error: opt_outs.csv: 1 line(s) of the exclusion list match nobody on the roster but look like a "
        "mistyped id; every opt-out must remove its person, or they stay in the analysis (fix them and run "
        f"again)\n{OPT_OUT_TYPO}\n",
    )
    assert not (tmp_path / "out").exists()


def test_an_opt_out_of_someone_no_longer_on_the_roster_is_a_warning_naming_its_line(tmp_path: Path) -> None:
    project = _programme_project(tmp_path, "person_id\n1\n2\n4\n5\n6\n")
    (project / "opt_outs.csv").write_text("person_id\n3\n99\n", encoding="utf-8")  # 99 has left
    warning = (
        "warning: opt_outs.csv: 1 line names nobody on the roster (line 3): nothing to do for people who "
        "have left; any other is a wrong id, and that person stays in the analysis until it is corrected "
        "(check them against the roster)\n"
    )
    checked = run("validate", str(project))
    assert (checked.exit_code, checked.stdout, checked.stderr) == (
        0,
        WAVES.replace("314 rows", "315 rows") + "no errors; 1 warning\n",  # the list's 2 rows
        warning,
    )
    analysed = run("analyse", str(project), "--out", str(tmp_path / "out"))
    assert (analysed.exit_code, analysed.stderr) == (0, warning)


def test_validate_reports_an_unreadable_opt_out_list_and_goes_on_to_the_roster_sources_and_cohort(
    tmp_path: Path,
) -> None:
    # validate took the whole roster for unusable ("note: without a usable roster, ..."): no snapshot was
    # counted and the cohort's unknown id on line 7 was found only once the list was fixed.
    project = _programme_project(tmp_path, "person_id\n1\n2\n4\n5\n6\n99\n")
    (project / "opt_outs.csv").write_text('person_id\n3\n"4\n', encoding="utf-8")  # line 3: a quote left open
    unterminated = (
        "opt_outs.csv line 3: unterminated quote opened here (close the quote or remove it) "
        "[unterminated-quote]"
    )
    checked = run("validate", str(project))
    assert (checked.exit_code, checked.stdout, checked.stderr) == (
        1,
        f"{unterminated}\n"
        'cohort.csv line 7, column "person_id": unknown person "99" (correct the id, or remove the row: '
        "the cohort lists people of the two snapshots; no roster id is named while the opt-out list cannot "
        "be read: it could be someone who opted out) [unknown-person]\n"
        "note: opt_outs.csv (the opt-out list) could not be read, so the roster, the sources and the cohort "
        "file were checked as if nobody had opted out, and the counts below include the people it lists; "
        "leadnet analyse stops until it can be read\n"
        "snapshot before: 21 people, 232 ties, 313 rows read, 0 rejected\n"
        "snapshot after: 21 people, 232 ties, 313 rows read, 0 rejected\n",  # person 3 among them
        "2 problem(s) found\n",
    )
    analysed = run("analyse", str(project), "--out", str(tmp_path / "out"))  # never without the opt-outs
    assert (analysed.exit_code, analysed.stderr) == (1, f"error: {unterminated}\n")
    assert not (tmp_path / "out").exists()


UNREAD = "no roster id is named while the opt-out list cannot be read: it could be someone who opted out"
UNTERMINATED_OPT_OUTS = (
    "opt_outs.csv line 3: unterminated quote opened here (close the quote or remove it) [unterminated-quote]"
)


def _validate_unread_opt_outs(project: Path, survey_row: str, opt_outs: str) -> tuple[Any, list[str]]:
    """``leadnet validate`` of ``project`` with ``survey_row`` added to its survey (line 294) and the
    opt-out list ``opt_outs``, which leaves a quote open on line 3: the result and its problems' lines."""
    with (project / "survey.csv").open("a", encoding="utf-8") as survey:
        survey.write(f"{survey_row}\n")
    (project / "opt_outs.csv").write_text(opt_outs, encoding="utf-8")
    checked = run("validate", str(project))
    return checked, [line for line in checked.stdout.splitlines() if line.endswith("]")]


def test_validate_without_its_opt_out_list_suggests_no_roster_id_that_may_have_opted_out(
    tmp_path: Path,
) -> None:
    # It said 'did you mean "3"?' of the survey's and the cohort's "33": person 3 is on the list it could
    # not read, and validate named them as a roster id to write.
    project = _programme_project(tmp_path, "person_id\n1\n2\n33\n")
    checked, problems = _validate_unread_opt_outs(project, "1,33", 'person_id\n3\n"4\n')
    assert (checked.exit_code, problems) == (
        1,
        [
            UNTERMINATED_OPT_OUTS,
            'survey.csv line 294, column "nominee": unknown person "33" (add them to the roster or correct '
            f"the id; {UNREAD}) [unknown-person]",
            'cohort.csv line 4, column "person_id": unknown person "33" (correct the id, or remove the row: '
            f"the cohort lists people of the two snapshots; {UNREAD}) [unknown-person]",
        ],
    )
    assert '"3"' not in checked.stdout
    (project / "opt_outs.csv").write_text("person_id\n3\n", encoding="utf-8")  # read: 3 opted out
    read = run("validate", str(project))
    like = (  # "3", who opted out, is the roster id most like "33": said so, named never, nor passed over
        '"33" (a roster id, e-mail address or alias is much like it: check it against the roster and write '
        "it as the roster does) [unknown-person]"
    )
    assert (read.exit_code, read.stdout.splitlines()) == (
        1,
        [
            f'survey.csv line 294, column "nominee": unknown person {like}',
            f'cohort.csv line 4, column "person_id": unknown person {like}',
            "snapshot before: 20 people, 209 ties, 315 rows read, 1 rejected",
            "snapshot after: 20 people, 209 ties, 315 rows read, 1 rejected",
        ],
    )


def test_validate_without_its_opt_out_list_counts_the_people_an_ambiguous_alias_names(tmp_path: Path) -> None:
    # It said '"ann" names "3", "4" (use the person_id)': person 4 is on the list it could not read.
    project = _programme_project(tmp_path, "person_id\n1\n2\n5\n6\n")
    people = (project / "people.csv").read_text(encoding="utf-8").splitlines()
    aliases = {"3": "ann", "4": "ann"}
    rows = [people[0] + ",aliases"] + [f"{row},{aliases.get(row.split(',')[0], '')}" for row in people[1:]]
    (project / "people.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    checked, problems = _validate_unread_opt_outs(project, "2,ann", 'person_id\n4\n"3\n')
    assert (checked.exit_code, problems) == (
        1,
        [
            UNTERMINATED_OPT_OUTS,
            'survey.csv line 294, column "nominee": "ann" names 2 people on the roster (use the person_id; '
            f"{UNREAD}) [ambiguous-person]",
        ],
    )
    assert '"3"' not in checked.stdout and '"4"' not in checked.stdout
    (project / "opt_outs.csv").write_text("person_id\n4\n", encoding="utf-8")  # read: "ann" is person 3 alone
    assert "[ambiguous-person]" not in run("validate", str(project)).stdout


def test_an_opt_out_list_s_blank_and_repeated_rows_are_noted_by_line_and_counted(tmp_path: Path) -> None:
    # Skipped without a word or a count: the list's rows read did not add up, and an analyst could not
    # see that it had blank lines, or named someone twice (perhaps meaning someone else the second time).
    project = _programme_project(tmp_path, "person_id\n1\n2\n4\n5\n6\n")
    (project / "opt_outs.csv").write_text('person_id\n3\n\n"3"\n\n 3 \n', encoding="utf-8")
    checked = run("validate", str(project))
    assert (checked.exit_code, checked.stdout) == (
        0,
        "note: opt_outs.csv (the opt-out list) has 2 blank rows (lines 3, 5) and 2 rows naming an id an "
        "earlier row names (lines 4, 6): skipped and counted, and nobody it names is lost; if one was meant "
        "to name someone else, correct it\n" + WAVES.replace("314 rows", "318 rows") + "no problems found\n",
    )
    assert run("analyse", str(project), "--out", str(tmp_path / "out")).exit_code == 0
    summary = json.loads((tmp_path / "out" / "after" / "summary.json").read_text(encoding="utf-8"))
    counted = summary["provenance"]["normalisations"]
    assert (counted["blank-row"], counted["duplicate-row"], counted["excluded-person"]) == (2, 60 + 2, 1)
    # 60 of them the survey's: a nomination of both questions is one row once the question is dropped


def test_a_roster_s_blank_rows_are_noted_by_line_and_counted(tmp_path: Path) -> None:
    # Counted among every table's blank rows, but validate named no line of the roster's, as it did
    # the opt-out list's: a person's row emptied by an export could not be found.
    project = _programme_project(tmp_path, "person_id\n1\n2\n4\n5\n6\n")
    people = (project / "people.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    blank = "," * people[0].count(",") + "\n"
    (project / "people.csv").write_text("".join([*people[:3], "\n", *people[3:9], blank, *people[9:]]))
    checked = run("validate", str(project))
    assert (checked.exit_code, checked.stdout) == (
        0,
        "note: people.csv (the roster) has 2 blank rows (lines 4, 11): skipped and counted; if one was meant "
        "to hold a person, fill it in\n" + WAVES.replace("314 rows", "316 rows") + "no problems found\n",
    )
    assert run("analyse", str(project), "--out", str(tmp_path / "out")).exit_code == 0
    summary = json.loads((tmp_path / "out" / "after" / "summary.json").read_text(encoding="utf-8"))
    roster = summary["provenance"]["inputs"][0]
    assert (roster["path"], roster["rows_read"], roster["rows_accepted"]) == ("people.csv", 23, 23)
    assert summary["provenance"]["normalisations"]["blank-row"] == 2


def test_a_roster_s_repeated_rows_are_noted_by_line_with_the_line_each_repeats(tmp_path: Path) -> None:
    # Counted duplicate-row, but validate named no line, as it did the roster's blank rows: a person's
    # row pasted over by a copy of another's could not be found.
    project = _programme_project(tmp_path, "person_id\n1\n2\n4\n5\n6\n")
    people = (project / "people.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (project / "people.csv").write_text("".join([*people[:4], people[2], *people[4:], people[1]]))
    checked = run("validate", str(project))
    assert (checked.exit_code, checked.stdout) == (
        0,
        "note: people.csv (the roster) has 2 rows that repeat an earlier row exactly (line 5 repeats line 3, "
        "line 24 repeats line 2): skipped and counted; if one was meant to hold another person, correct it\n"
        + WAVES.replace("314 rows", "316 rows")
        + "no problems found\n",
    )
    assert run("analyse", str(project), "--out", str(tmp_path / "out")).exit_code == 0
    summary = json.loads((tmp_path / "out" / "after" / "summary.json").read_text(encoding="utf-8"))
    roster = summary["provenance"]["inputs"][0]
    assert (roster["path"], roster["rows_read"], roster["rows_accepted"]) == ("people.csv", 23, 23)


def test_the_opt_out_list_is_an_input_of_summary_json_without_its_digest_or_ids(tmp_path: Path) -> None:
    # It was read and removed a person, but summary.json and the footer did not list it among the inputs.
    project = _programme_project(tmp_path, "person_id\n1\n2\n4\n5\n6\n")
    (project / "hr").mkdir()
    (project / "hr" / "opt_outs.csv").write_text("person_id,reason\n3,asked\n\n", encoding="utf-8")
    toml = (project / "leadnet.toml").read_text(encoding="utf-8")
    (project / "leadnet.toml").write_text(
        toml.replace('"opt_outs.csv"', '"hr/opt_outs.csv"'), encoding="utf-8"
    )
    assert run("analyse", str(project), "--out", str(tmp_path / "out")).exit_code == 0
    summary = json.loads((tmp_path / "out" / "before" / "summary.json").read_text(encoding="utf-8"))
    inputs = summary["provenance"]["inputs"]
    assert [(i["path"], i["kind"]) for i in inputs] == [
        ("people.csv", "people"),
        ("hr/opt_outs.csv", "exclusions"),
        ("survey.csv", "survey"),
    ]
    assert inputs[1] == {
        "path": "hr/opt_outs.csv",
        "kind": "exclusions",
        "sha256": "withheld",
        "rows_read": 2,
        "rows_accepted": 2,
        "rows_rejected": 0,
    }
    report = (tmp_path / "out" / "before" / "index.html").read_text(encoding="utf-8")
    assert (
        "hr/opt_outs.csv (exclusions): 2 read, 2 accepted, 0 rejected; sha256 <code>withheld</code>" in report
    )
    assert "asked" not in json.dumps(summary)


@pytest.mark.parametrize(
    ("cohort", "programme", "printed"),
    [
        pytest.param(  # analyse stopped on it after reading every source; validate found no problem
            "person_id\n1\n2\n",
            'after = "post"',
            'error: leadnet.toml line 19, [programme]: after = "post" names no snapshot of the sources, '
            'which define "before", "after"; set after to one of those',
            id="a snapshot no source defines",
        ),
        pytest.param(  # it was reported twice: as blank-id, and as unknown person ""
            "person_id,group\n1,cohort\n,cohort\n2,comparison\n",
            'after = "after"',
            'cohort.csv line 3, column "person_id": person_id is blank '
            "(fill in the person's id, or remove the row) [blank-id]",
            id="a blank cohort id",
        ),
    ],
)
def test_validate_reports_a_programme_problem_once(
    tmp_path: Path, cohort: str, programme: str, printed: str
) -> None:
    project = _programme_project(tmp_path, cohort)
    toml = project / "leadnet.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('after = "after"\n\n', programme + "\n\n"))
    _validate_fails_with(project, printed)


def test_validate_checks_the_programme_snapshots_against_those_the_sources_name(tmp_path: Path) -> None:
    # The "after" wave's file is missing: the programme's "post" was still wrong, and the
    # message named only the snapshot that was read ("the sources define 'before'").
    project = _programme_project(tmp_path, "person_id\n1\n2\n")
    toml = project / "leadnet.toml"
    text = toml.read_text(encoding="utf-8").replace('after = "after"\n\n', 'after = "post"\n\n')
    toml.write_text(
        text.replace('path = "survey.csv"\nsnapshot = "after"', 'path = "gone.csv"\nsnapshot = "after"')
    )
    result = run("validate", str(project))
    assert (result.exit_code, result.output) == (
        1,
        'error: leadnet.toml line 19, [programme]: after = "post" names no snapshot of the sources, which '
        'define "before", "after"; set after to one of those\n'
        f"gone.csv: file not found (check path at leadnet.toml line 12, [[sources]] #2: it names "
        f"{project / 'gone.csv'}) [missing-file]\n"
        "snapshot before: 20 people, 209 ties, 314 rows read, 0 rejected\n"
        "2 problem(s) found\n",
    )


def test_analyse_names_leadnet_toml_and_the_key_of_a_programme_snapshot_no_source_defines(
    tmp_path: Path,
) -> None:
    # It said "[programme] names snapshot(s) 'pre', ..." without naming the file or the key.
    project = _programme_project(tmp_path, "person_id\n1\n2\n")
    toml = project / "leadnet.toml"
    text = toml.read_text(encoding="utf-8").replace('before = "before"\n', 'before = "pre"\n')
    toml.write_text(text.replace('after = "after"\n\n', 'after = "post"\n\n'), encoding="utf-8")
    result = run("analyse", str(project), "--out", str(tmp_path / "out"))
    assert (result.exit_code, result.output) == (
        1,
        'error: leadnet.toml line 18, [programme]: before = "pre", after = "post" name no snapshot of the '
        'sources, which define "before", "after"; set before and after to two of those\n',
    )
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["analyse", "validate"])
def test_a_programme_snapshot_left_to_its_default_is_named_at_the_programme_line(
    tmp_path: Path, command: str
) -> None:
    # before = "before" is not in the file, so the message points at [programme] (line 16).
    project = _programme_project(tmp_path, "person_id\n1\n2\n")
    toml = project / "leadnet.toml"
    text = toml.read_text(encoding="utf-8").replace('before = "before"\n', "")
    toml.write_text(text.replace('snapshot = "before"', 'snapshot = "pre"'), encoding="utf-8")
    extra = ["--out", str(tmp_path / "out")] if command == "analyse" else []
    result = run(command, str(project), *extra)
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        'error: leadnet.toml line 16, [programme]: before = "before" names no snapshot of the sources, '
        'which define "pre", "after"; set before to one of those'
    )


def test_validate_of_a_clean_cohort_adds_no_line_and_exits_0(tmp_path: Path) -> None:
    project = _programme_project(tmp_path, "person_id,group\n1,cohort\n2,cohort\n4,comparison\n")
    result = run("validate", str(project))
    assert (result.exit_code, result.output) == (0, WAVES + "no problems found\n")
    # The verdict is the cohort file's: the same file with one id repeated fails.
    (project / "cohort.csv").write_text(
        "person_id,group\n1,cohort\n2,cohort\n2,comparison\n", encoding="utf-8"
    )
    assert run("validate", str(project)).exit_code == 1


def test_a_cohort_row_repeated_exactly_is_warned_of_by_validate_and_analyse(tmp_path: Path) -> None:
    # The repeat was dropped and the cohort's size counted it once, with nothing said anywhere.
    project = _programme_project(tmp_path, "person_id,group\n1,cohort\n2,cohort\n4,comparison\n2,cohort\n")
    warning = (
        "warning: cohort.csv: 1 row repeats an earlier row exactly (line 5 repeats line 3): read once, as "
        "the person it names is in the cohort once; if it was meant to list someone else, correct it\n"
    )
    result = run("validate", str(project))
    assert (result.exit_code, result.output) == (0, WAVES + warning + "no errors; 1 warning\n")
    analysed = run("analyse", str(project), "--out", str(tmp_path / "out"))
    assert (analysed.exit_code, analysed.stderr.count(warning)) == (0, 1)


def test_a_warning_prints_once_and_before_a_last_line_that_counts_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(DATA / "krackhardt_hightech")  # the files named from there: survey.csv
    # A file read by two sources printed its warning twice, and after "no problems found".
    people = str(DATA / "krackhardt_hightech" / "people.csv")
    warning = (
        'warning: survey.csv line 1: column "question" is not read, so its 2 values ("advice", "friendship") '
        'are one relation, "advice"; to keep them apart, rename its header "relation", or map the column: '
        'columns = { relation = "question" } in leadnet.toml\n'
    )
    twice = ["--people", people, "--survey", KRACKHARDT_SURVEY, "--survey", KRACKHARDT_SURVEY]
    result = run("validate", *twice)
    assert (result.exit_code, result.output) == (
        0,
        "snapshot main: 21 people, 232 ties, 313 rows read, 0 rejected\n"
        + warning
        + "no errors; 1 warning\n",
    )
    result = run("analyse", *twice, "--out", str(tmp_path / "out"))
    assert (result.exit_code, result.output) == (0, f"{warning}wrote {tmp_path / 'out'}\n")
    short_key = CliRunner(env={"LEADNET_PSEUDONYM_KEY": "horse"})
    result = short_key.invoke(main, ["validate", *twice, "--ties", str(tmp_path / "missing.csv")])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "1 problem(s) found; 2 warnings"


def test_a_warning_from_a_library_is_shown_once_and_the_command_ends() -> None:
    # Shown while warnings were still being recorded, each warning was recorded again and
    # shown again, without end (a ties file whose weights overflowed ran out of memory).
    import warnings

    import click

    from leadnet.cli import handle_errors

    @click.command()
    @handle_errors
    def noisy() -> None:
        warnings.warn("overflow encountered in reduce", RuntimeWarning, stacklevel=1)
        click.echo("done")

    result = CliRunner().invoke(noisy, [])
    assert result.exit_code == 0
    assert result.stdout == "done\n"
    assert result.stderr.count("RuntimeWarning: overflow encountered in reduce") == 1


def test_a_reader_that_stops_reading_is_no_error_to_fix() -> None:
    # leadnet validate | head: once head had its lines, the next write failed with EPIPE and the
    # command said "error: Broken pipe; check the path and its permissions", a fix that is none.
    import click

    from leadnet.cli import handle_errors

    @click.command()
    @handle_errors
    def listing() -> None:
        click.echo("problem 1")
        raise BrokenPipeError(32, "Broken pipe")

    result = CliRunner().invoke(listing, [])
    assert (result.exit_code, result.stdout, result.stderr) == (1, "problem 1\n", "")


LINK_FIX = "(point the link at the file itself, or give the file's own path)"


@pytest.mark.parametrize("given", ["in leadnet.toml", "as --people"])
def test_a_roster_that_links_to_itself_or_to_a_device_is_named_not_a_traceback(
    tmp_path: Path, given: str
) -> None:
    # A review's people.csv -> people.csv ended in "RuntimeError: Symlink loop"; one linked to
    # /dev/null was "null: file not found".
    project = small_project(tmp_path / "project")
    people = project.resolve() / "people.csv"
    flags = ("--people", str(people)) if given == "as --people" else ()
    people.unlink()
    people.symlink_to(people)
    result = run("validate", str(project), *flags)
    assert (result.exit_code, result.output) == (
        1,
        f"people.csv: {people} is a symbolic link that leads back to itself {LINK_FIX} [link-loop]\n"
        f"{NO_ROSTER_NOTE}\n1 problem(s) found\n",
    )
    people.unlink()
    people.symlink_to(os.devnull)
    result = run("validate", str(project), *flags)
    assert (result.exit_code, result.output) == (
        1,
        f"people.csv: {people} leads to {os.devnull}, a character device, not a file "
        f"(give the path of the file itself) [not-a-file]\n{NO_ROSTER_NOTE}\n1 problem(s) found\n",
    )


def test_validate_goes_on_past_a_source_it_cannot_read_even_when_it_gives_the_primary_relation(
    tmp_path: Path,
) -> None:
    # The unread survey's relation was missing, so validate stopped at primary_relation instead
    # of naming the file.
    project = small_project(tmp_path / "project")
    (project / "loop.csv").symlink_to(project / "loop.csv")
    with (project / "leadnet.toml").open("a", encoding="utf-8") as toml:
        toml.write(
            '\n[[sources]]\nkind = "survey"\npath = "loop.csv"\n\n[analysis]\nprimary_relation = "advice"\n'
        )
    result = run("validate", str(project))
    loop = project.resolve() / "loop.csv"
    assert (result.exit_code, result.output) == (
        1,
        f"loop.csv: {loop} is a symbolic link that leads back to itself {LINK_FIX} [link-loop]\n"
        "snapshot main: 12 people, 12 ties, 24 rows read, 0 rejected\n"
        "1 problem(s) found\n",
    )


def test_a_mistyped_far_membership_date_is_a_problem_naming_its_line_not_thousands_of_snapshots(
    tmp_path: Path,
) -> None:
    # A review's end date 2206-01-31 made validate list 2,163 monthly snapshots and "no problems found".
    project = small_project(tmp_path / "project")
    rows = "".join(f"P{i},{'AB'[i % 2]},2026-0{1 + i % 3}-01,2026-06-30\n" for i in range(12))
    (project / "membership.csv").write_text(
        "person,project,start,end\n" + rows.replace("2026-06-30\n", "2206-01-31\n", 1), encoding="utf-8"
    )
    (project / "leadnet.toml").write_text(
        '[people]\npath = "people.csv"\n\n[[sources]]\nkind = "membership"\npath = "membership.csv"\n\n'
        '[analysis]\nsnapshot_by = "month"\n',
        encoding="utf-8",
    )
    far = (
        'membership.csv line 2, column "end": end 2206-01-31 lies outside 2026-01 to 2035-12, the 120 '
        'months that hold the most dates: snapshot_by = "month" would cut 2,161 snapshots (correct it '
        "if it is mistyped, or narrow the period: from/to in its [[sources]] entry, or --from/--to; a "
        'longer history fits snapshot_by = "quarter") [far-date]'
    )
    result = run("validate", str(project))
    assert (result.exit_code, result.output.splitlines()) == (1, [far, "1 problem(s) found"])
    result = run("analyse", str(project), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1 and not (tmp_path / "out").exists()
    assert result.output.splitlines() == [
        'error: membership.csv: snapshot_by = "month" would cut the memberships into 2,161 snapshots '
        "(2026-01 to 2206-01), over the limit of 120; 1 date(s) lie outside 2026-01 to 2035-12, the months "
        "holding most dates",
        far,
    ]


SEED_RANGE = "--seed must be 0 or more (numpy's generators refuse negative seeds)."
PERMUTATIONS_RANGE = (
    "--permutations must be from 1 to 1,000,000 (a comparison's p-values and intervals need at least one; a "
    "million resolve a p-value to one in a million, finer than any threshold, and more only cost time and "
    "memory)."
)
K_FLOOR = "--min-group-size may be raised but never lowered below 5 (privacy floor)."


def test_a_number_out_of_its_range_is_bad_input_and_one_that_is_no_number_a_usage_error(
    tmp_path: Path,
) -> None:
    # An audit: compare --permutations 0 exited 2 (click's range) while analyse --min-group-size 3 exited 1,
    # compare --seed -1 ended in numpy's traceback, and analyse named its flags "command line: seed".
    project = small_project(tmp_path / "project")
    assert run("analyse", str(project), "--out", str(tmp_path / "a")).exit_code == 0
    with (project / "ties.csv").open("a", encoding="utf-8") as ties:  # a second wave: one tie more
        ties.write("P0,P6\n")
    assert run("analyse", str(project), "--out", str(tmp_path / "b")).exit_code == 0
    before, after, out = str(tmp_path / "a"), str(tmp_path / "b"), ("--out", str(tmp_path / "out"))
    refused = {
        ("analyse", str(project), "--min-group-size", "3"): f"{K_FLOOR} Got 3 instead.",
        ("validate", str(project), "--min-group-size", "-7"): f"{K_FLOOR} Got -7 instead.",
        ("analyse", str(project), "--seed", "-1"): f"{SEED_RANGE} Got -1 instead.",
        ("validate", str(project), "--seed", "-1"): f"{SEED_RANGE} Got -1 instead.",
        ("compare", before, after, "--seed", "-1"): f"{SEED_RANGE} Got -1 instead.",
        ("compare", str(project), after, "--seed", "-1"): f"{SEED_RANGE} Got -1 instead.",  # a project folder
        ("compare", before, after, "--permutations", "0"): f"{PERMUTATIONS_RANGE} Got 0 instead.",
        ("compare", before, after, "--permutations", "-3"): f"{PERMUTATIONS_RANGE} Got -3 instead.",
        (
            "compare",
            before,
            after,
            "--permutations",
            "1000001",
        ): f"{PERMUTATIONS_RANGE} Got 1,000,001 instead.",
        # before the folders are looked at: these two are one folder
        ("compare", before, before, "--permutations", "1000000000000"): (
            f"{PERMUTATIONS_RANGE} Got 1,000,000,000,000 instead."
        ),
        ("sample", "riverside", "--seed", "-1"): f"{SEED_RANGE} Got -1 instead.",
        ("analyse", str(project), "--from", "2026-05-01", "--to", "2026-01-01"): (
            "--from 2026-05-01 is after --to 2026-01-01, so the period holds no day; swap them if they were "
            "entered the wrong way round, or correct the wrong one"
        ),
    }
    for args, message in refused.items():
        result = run(*args, *(out if args[0] != "validate" else ()))
        assert (result.exit_code, result.output) == (1, f"error: {message}\n"), args
    not_numbers = {
        ("analyse", str(project), "--min-group-size", "4.5"): "'--min-group-size': '4.5'",
        ("validate", str(project), "--seed", "x"): "'--seed': 'x'",
        ("compare", before, after, "--permutations", "1.5"): "'--permutations': '1.5'",
        ("compare", before, after, "--seed", "x"): "'--seed': 'x'",
        ("sample", "riverside", "--seed", "x"): "'--seed': 'x'",
    }
    for args, value in not_numbers.items():
        result = run(*args, *(out if args[0] != "validate" else ()))
        last = f"Error: Invalid value for {value} is not a valid integer."
        assert (result.exit_code, result.output.splitlines()[-1]) == (2, last), args
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("inside", [False, True], ids=["the-folder", "a-parent"])
def test_an_out_folder_that_links_to_itself_is_an_error_not_a_traceback(tmp_path: Path, inside: bool) -> None:
    """On every Python: before 3.13 ``Path.resolve`` raised on a loop, since then it does not."""
    project = small_project(tmp_path / "project")
    link, other = tmp_path.resolve() / "out", tmp_path.resolve() / "other"
    link.symlink_to(other if inside else link)
    if inside:
        other.symlink_to(link)
    out = link / "report" if inside else link
    result = run("analyse", str(project), "--out", str(out))
    assert (result.exit_code, result.output) == (
        1,
        f"error: --out {out} is a symbolic link that leads back to itself; choose another output folder\n",
    )
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging folder left


def test_python_dash_m_leadnet_runs_the_commands() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "leadnet", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "analyse" in done.stdout and "compare" in done.stdout


def test_a_roster_whose_headers_differ_in_case_is_read_as_leadnets_names(tmp_path: Path) -> None:
    # "person_id,Unit,Level,manager_id" validated with "no problems found"; analyse then had one unit
    # and no level. Now the headers are read, and the summary counts them as normalised.
    header, *rows = (DATA / "krackhardt_hightech" / "people.csv").read_text(encoding="utf-8").splitlines()
    assert header == "person_id,unit,level,manager_id"
    (tmp_path / "people.csv").write_text("\n".join(["person_id,Unit,Level,manager_id", *rows]) + "\n")
    flags = ("--people", str(tmp_path / "people.csv"), "--ties", str(_ties_of_krackhardt(tmp_path)))
    assert run("validate", *flags).output.splitlines()[-1] == "no problems found"
    assert run("analyse", *flags, "--out", str(tmp_path / "o"), "--quiet").exit_code == 0
    summary = json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))
    assert summary["provenance"]["normalisations"]["header-normalised"] == 2
    assert summary["leadership_share_outside_top"] is not None
    units = (tmp_path / "o" / "units.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(units) == 1 + 5  # Krackhardt's managers sit in five units (0 to 4)


def _validated(folder: Path, toml: str) -> tuple[int, str]:
    """``leadnet validate`` of ``folder`` with ``toml`` as its leadnet.toml: the exit code and first line."""
    (folder / "leadnet.toml").write_text(toml, encoding="utf-8")
    result = run("validate", str(folder))
    return result.exit_code, result.output.splitlines()[0]


def test_validate_notes_which_headers_were_read_in_another_letter_case(tmp_path: Path) -> None:
    # header-normalised was counted in summary.json, but validate said nothing of it: a header read as
    # a column it is not (a "Unit" that is not the unit) could not be seen before analysing.
    header, *rows = (DATA / "krackhardt_hightech" / "people.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "people.csv").write_text("\n".join(["person_id,Unit,Level,manager_id", *rows]) + "\n")
    (tmp_path / "optout.csv").write_text("Person_ID\n3\n", encoding="utf-8")
    survey = _one_relation_survey(tmp_path)
    survey.write_text(
        survey.read_text(encoding="utf-8").replace("respondent,nominee", "Respondent,NOMINEE", 1)
    )
    toml = (
        '[people]\npath = "people.csv"\nexclude = "optout.csv"\n\n[[sources]]\nkind = "survey"\n'
        'path = "survey.csv"\n\n[[sources]]\nkind = "survey"\npath = "survey.csv"\nsnapshot = "again"\n'
    )
    assert _validated(tmp_path, toml) == (
        0,
        'note: 5 headers were read as leadnet\'s column names, letter case aside: people.csv "Unit" as unit, '
        '"Level" as level; optout.csv "Person_ID" as person_id; survey.csv "Respondent" as respondent, '
        '"NOMINEE" as nominee; if one is not that column, rename it (or, for the roster or a source, map its '
        "columns in leadnet.toml)",
    )
    flags = ("--people", str(DATA / "krackhardt_hightech" / "people.csv"), "--survey", KRACKHARDT_SURVEY)
    assert "note:" not in run("validate", *flags).output  # leadnet's headers as they are: nothing to say


def test_validate_notes_an_e_mail_export_header_read_in_another_letter_case(tmp_path: Path) -> None:
    # An export's "Sender" was read as sender, but neither counted nor named, as a table's headers are.
    (tmp_path / "people.csv").write_text("person_id,email\n1,a@x.org\n2,b@x.org\n", encoding="utf-8")
    (tmp_path / "mail.csv").write_text("Sender,Recipient,timestamp\na@x.org,b@x.org,2024-01-02T10:00Z\n")
    toml = (
        '[project]\ninternal_domains = ["x.org"]\n\n[people]\npath = "people.csv"\n\n[[sources]]\n'
        'kind = "email"\npath = "mail.csv"\nmin_messages = 1\n'
    )
    assert _validated(tmp_path, toml) == (
        0,
        'note: 2 headers were read as leadnet\'s column names, letter case aside: mail.csv "Sender" as '
        'sender, "Recipient" as recipient; if one is not that column, rename it (or, for the roster or a '
        "source, map its columns in leadnet.toml)",
    )


def test_validate_notes_a_cohort_file_header_read_in_another_letter_case(tmp_path: Path) -> None:
    # The cohort file's "Person_ID,Group" was read and counted, but the note named only the roster's
    # and the sources' headers: the one file whose group column decides the programme verdict was left out.
    project = _programme_project(tmp_path, "Person_ID,Group\n1,cohort\n2,cohort\n4,comparison\n")
    result = run("validate", str(project))
    assert (result.exit_code, result.output.splitlines()[0]) == (
        0,
        'note: 2 headers were read as leadnet\'s column names, letter case aside: cohort.csv "Person_ID" as '
        'person_id, "Group" as group; if one is not that column, rename it (or, for the roster or a source, '
        "map its columns in leadnet.toml)",
    )


def _ties_of_krackhardt(folder: Path) -> Path:
    """Krackhardt's advice nominations as a plain tie list."""
    survey = (DATA / "krackhardt_hightech" / "survey.csv").read_text(encoding="utf-8").splitlines()[1:]
    arcs = [row.rsplit(",", 1)[0] for row in survey if row.endswith(",advice")]
    path = folder / "ties.csv"
    path.write_text("\n".join(["source,target", *arcs]) + "\n", encoding="utf-8")
    return path


def test_a_roster_with_a_header_and_no_rows_is_an_error_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the files named from there: r0.csv
    # It was read, and every tie was then rejected as naming an unknown person.
    (tmp_path / "r0.csv").write_text("person_id,unit\n", encoding="utf-8")
    flags = ("--people", str(tmp_path / "r0.csv"), "--ties", str(_ties_of_krackhardt(tmp_path)))
    problem = (
        "r0.csv: no rows below the header on line 1, so no people (export the roster with its rows) "
        "[empty-roster]"
    )
    analysed = run("analyse", *flags, "--out", str(tmp_path / "o"))
    assert (analysed.exit_code, analysed.output) == (1, f"error: {problem}\n")
    checked = run("validate", *flags)  # and the ties are checked as far as they can be without it
    assert (checked.exit_code, checked.output) == (1, f"{problem}\n{NO_ROSTER_NOTE}\n1 problem(s) found\n")


def test_a_roster_everyone_on_which_opted_out_is_an_error_naming_both_files(tmp_path: Path) -> None:
    # exclude named the roster itself: validate found no problem, and analyse wrote the report of an
    # empty network (every tie an excluded-tie).
    shutil.copy(DATA / "krackhardt_hightech" / "people.csv", tmp_path / "people.csv")
    _one_relation_survey(tmp_path)
    (tmp_path / "leadnet.toml").write_text(
        '[people]\npath = "people.csv"\nexclude = "people.csv"\n\n'
        '[[sources]]\nkind = "survey"\npath = "survey.csv"\n',
        encoding="utf-8",
    )
    problem = (
        "people.csv: all 21 people it lists are on the opt-out list people.csv, so nobody is left to analyse "
        "(check that [people] exclude in leadnet.toml names the opt-out list, not the roster or a copy of "
        "it; if they all did opt out, there is no network to analyse) [everyone-opted-out]"
    )
    analysed = run("analyse", str(tmp_path), "--out", str(tmp_path / "o"))
    assert (analysed.exit_code, analysed.output) == (1, f"error: {problem}\n")
    assert not (tmp_path / "o").exists()
    checked = run("validate", str(tmp_path))
    assert (checked.exit_code, checked.output) == (1, f"{problem}\n{NO_ROSTER_NOTE}\n1 problem(s) found\n")


def test_a_survey_read_by_flags_warns_that_its_question_column_is_not_the_relation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(DATA / "krackhardt_hightech")  # the files named from there: survey.csv
    result = run("validate", "--people", str(DATA / "krackhardt_hightech" / "people.csv"),
                 "--survey", KRACKHARDT_SURVEY)  # fmt: skip
    assert result.exit_code == 0
    assert [line for line in result.output.splitlines() if line.startswith("warning:")] == [
        'warning: survey.csv line 1: column "question" is not read, so its 2 values ("advice", "friendship") '
        'are one relation, "advice"; to keep them apart, rename its header "relation", or map the column: '
        'columns = { relation = "question" } in leadnet.toml'
    ]


def test_pseudonymise_set_in_leadnet_toml_without_a_key_names_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It said "pseudonymise = true needs a secret key" without saying where it was set.
    monkeypatch.delenv("LEADNET_PSEUDONYM_KEY", raising=False)
    for name in ("people.csv", "survey.csv"):
        shutil.copy(DATA / "krackhardt_hightech" / name, tmp_path / name)
    toml = (DATA / "krackhardt_hightech" / "leadnet.toml").read_text(encoding="utf-8")
    (tmp_path / "leadnet.toml").write_text(toml + "pseudonymise = true\n", encoding="utf-8")
    fix = (
        "pseudonymise = true needs a secret key: set the environment variable LEADNET_PSEUDONYM_KEY (keep "
        "it outside the project; the same key gives the same pseudonyms in every wave)\n"
    )
    result = run("validate", str(tmp_path))
    assert (result.exit_code, result.output) == (1, f"error: leadnet.toml line 14, [analysis]: {fix}")
    # set by the flag, it is not the file's line to fix
    (tmp_path / "leadnet.toml").write_text(toml, encoding="utf-8")
    result = run("validate", str(tmp_path), "--pseudonymise")
    assert (result.exit_code, result.output) == (1, f"error: {fix}")


def test_names_shown_in_a_pseudonymised_report_are_refused_where_they_were_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It said "--show-names and pseudonymise = true contradict each other" when both were set in
    # leadnet.toml (no flag given), without the line.
    monkeypatch.setenv("LEADNET_PSEUDONYM_KEY", "k" * 32)
    for name in ("people.csv", "survey.csv"):
        shutil.copy(DATA / "krackhardt_hightech" / name, tmp_path / name)
    toml = (DATA / "krackhardt_hightech" / "leadnet.toml").read_text(encoding="utf-8")
    why = (
        "pseudonymise and show_names are both true ([analysis] keys, or --pseudonymise and --show-names), "
        "but a pseudonymised report shows no names; choose one.\n"
    )
    both = toml + "show_names = true\npseudonymise = true\n"
    (tmp_path / "leadnet.toml").write_text(both, encoding="utf-8")
    result = run("validate", str(tmp_path))
    assert (result.exit_code, result.output) == (1, f"error: leadnet.toml line 15, [analysis]: {why}")
    (tmp_path / "leadnet.toml").write_text(toml + "pseudonymise = true\n", encoding="utf-8")
    result = run("analyse", str(tmp_path), "--show-names", "--out", str(tmp_path / "out"))
    assert (result.exit_code, result.output) == (1, f"error: command line: {why}")
    assert not (tmp_path / "out").exists()


def _mail_log(folder: Path, senders: list[int]) -> list[str]:
    """``folder/mail.csv``, a message from p{i}@x.org to p{i + 1}@x.org for each i of ``senders``, and the
    flags that read it with the roster ``folder/people.csv``."""
    (folder / "mail.csv").write_text(
        "sender,recipients,timestamp,message_id\n"
        + "".join(
            f"p{i}@x.org,p{i + 1}@x.org,2026-03-0{i}T10:{n:02}:00Z,<m{n}@x>\n" for n, i in enumerate(senders)
        ),
        encoding="utf-8",
    )
    return ["--people", str(folder / "people.csv"), "--email", str(folder / "mail.csv")]


def test_an_e_mail_log_matching_no_roster_address_is_a_problem_not_an_empty_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the files named from there: mail.csv
    # A reviewer's run: a roster with no email column and a log of 4 messages gave a report of
    # 0 ties (exit 0) and `leadnet validate` printed "no problems found".
    inputs = mail_inputs(
        tmp_path,
        "sender,recipients,timestamp,message_id\n"
        + "".join(f"p{i}@x.org,p{i + 1}@x.org,2026-03-0{i}T10:00:00Z,<m{i}@x>\n" for i in range(1, 5)),
    )
    problem = (
        "mail.csv: no sender or recipient of its 4 message(s) is a person on the roster (of their addresses, "
        '8 not on the roster, such as "p1@x.org"), so it gives no tie (give the roster each person\'s e-mail '
        'address: an email column, or map yours in [people], e.g. columns = { email = "work_email" }) '
        "[no-roster-address]"
    )
    survey = ["--survey", str(_one_relation_survey(tmp_path))]
    assert one_problem(inputs, survey, tmp_path / "out", problem) == [
        "snapshot main: 21 people, 232 ties, 313 rows read, 0 rejected"
    ]


def mail_inputs(folder: Path, log: str) -> list[str]:
    """``--people`` (Krackhardt's roster) and ``--email`` (``log``) of files written in ``folder``."""
    shutil.copy(DATA / "krackhardt_hightech" / "people.csv", folder / "people.csv")
    (folder / "mail.csv").write_text(log, encoding="utf-8")
    return ["--people", str(folder / "people.csv"), "--email", str(folder / "mail.csv")]


def one_problem(inputs: list[str], checked_too: list[str], out: Path, problem: str) -> list[str]:
    """``validate`` of ``inputs`` (and ``checked_too``) finds ``problem`` alone and ``analyse`` of
    ``inputs`` stops on it, writing nothing; the lines ``validate`` printed after it."""
    checked = run("validate", *inputs, *checked_too)
    lines = checked.stdout.splitlines()
    assert (checked.exit_code, lines[0], checked.stderr) == (1, problem, "1 problem(s) found\n")
    failed = run("analyse", *inputs, "--out", str(out))
    assert (failed.exit_code, failed.output, out.exists()) == (1, f"error: {problem}\n", False)
    return lines[1:]


def test_an_e_mail_flag_s_file_with_other_headers_is_given_the_sources_entry_to_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the files named from there: mail.csv
    # A real export's header: the same file listed in leadnet.toml got the map to write, given with
    # --email only "name the columns sender, recipients, ... or map them with columns = { ... }".
    inputs = mail_inputs(tmp_path, "From,To,Date\np1@x.org,p2@x.org,2026-03-01T10:00:00Z\n")
    problem = (
        'mail.csv line 1: no column is mapped to sender or recipients; columns found: "From", "To", "Date" '
        '(write the entry  [[sources]]  kind = "email"  path = "mail.csv"  columns = { sender = "From", '
        'recipients = "To", timestamp = "Date" }  (a line each) in a leadnet.toml in mail.csv\'s folder and '
        "give leadnet that folder instead of --email) [missing-column]"
    )
    assert one_problem(inputs, [], tmp_path / "out", problem) == []


def test_an_address_two_roster_people_share_is_a_warning_in_validate_and_counted_ambiguous(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the files named from there: people.csv
    # Two people with one address lost all its mail, counted unknown-sender / unknown-address (though the
    # address was on the roster), and validate said "no problems found".
    people = "person_id,email,unit\n" + "".join(f"{i},p{i}@x.org,u\n" for i in range(1, 6)) + "6,p1@x.org,u\n"
    (tmp_path / "people.csv").write_text(people, encoding="utf-8")
    inputs = _mail_log(tmp_path, [1, 1, 2, 2, 3, 3])
    warning = (
        "warning: people.csv: 1 e-mail address or alias is on the rows of two or more people, so it names "
        'none of them: "p1@x.org" (lines 2, 7); mail from or to it makes no tie (counted ambiguous-sender '
        "and ambiguous-address) and a source row naming it is rejected (ambiguous-person): right for a "
        "shared mailbox, otherwise give each person their own"
    )
    checked = run("validate", *inputs)
    assert (checked.exit_code, checked.stderr) == (0, f"{warning}\n")
    assert checked.stdout.splitlines()[-1] == "no errors; 1 warning"
    analysed = run("analyse", *inputs, "--out", str(tmp_path / "out"))
    assert warning in analysed.output.splitlines()
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert (summary["n_ties"], summary["provenance"]["normalisations"]) == (2, {"ambiguous-sender": 2})


def test_a_tie_rule_leaving_a_window_no_tie_is_a_warning_line_naming_the_rule_and_its_fix(
    tmp_path: Path,
) -> None:
    # Both projects of 2026 have 9 members, over the cap of 5: a report of 0 ties, silently.
    shutil.copy(DATA / "krackhardt_hightech" / "people.csv", tmp_path / "people.csv")
    files = {
        "m.csv": "person,project,start,end\n" + "".join(f"{i},p{i % 2},2026-01-05,\n" for i in range(1, 19)),
        "leadnet.toml": '[people]\npath = "people.csv"\n\n[[sources]]\nkind = "membership"\npath = "m.csv"\n'
        "max_project_size = 5\nfrom = 2026-01-01\nto = 2026-12-31\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    warning = (
        "warning: m.csv: no tie in the period 2026-01-01 to 2026-12-31: every project has more than "
        "max_project_size members; raise max_project_size (now 5; the smallest project has 9 members)\n"
    )
    checked = run("validate", str(tmp_path))
    assert (checked.exit_code, checked.stderr, checked.stdout.splitlines()[-1]) == (
        0,
        warning,
        "no errors; 1 warning",
    )
    written = run("analyse", str(tmp_path), "--out", str(tmp_path / "out"))
    assert (written.exit_code, written.stderr) == (0, warning)


def test_a_period_leaving_every_dated_row_out_is_warned_of_not_a_silent_empty_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the files named from there: membership.csv
    # A reviewer's run: --to mistyped a year before the memberships, and analyse wrote a report of
    # 0 ties, saying nothing; validate said "no problems found".
    shutil.copy(DATA / "krackhardt_hightech" / "people.csv", tmp_path / "people.csv")
    (tmp_path / "membership.csv").write_text(
        "person,project,start,end\n" + "".join(f"{i},p{i % 3},2026-01-05,\n" for i in range(1, 10)),
        encoding="utf-8",
    )
    inputs = ["--people", str(tmp_path / "people.csv"), "--membership", str(tmp_path / "membership.csv")]
    warning = (
        "warning: membership.csv: no tie in the period … to 2025-12-31, and 9 membership(s) fall outside it; "
        "check --from and --to (or period_from and period_to in [analysis], or the source's from and to)\n"
    )
    checked = run("validate", *inputs, "--to", "2025-12-31")
    assert (checked.exit_code, checked.stderr) == (0, warning)
    assert checked.stdout.splitlines()[-1] == "no errors; 1 warning"
    written = run("analyse", *inputs, "--to", "2025-12-31", "--out", str(tmp_path / "out"))
    assert (written.exit_code, written.stderr) == (0, warning)
    in_period = run("validate", *inputs, "--to", "2026-12-31")
    assert (in_period.stderr, in_period.stdout.splitlines()[-1]) == ("", "no problems found")


def test_a_cohort_file_not_there_is_named_at_its_line_with_the_file_meant(tmp_path: Path) -> None:
    # Review of 2026-11-29: a misspelt [[sources]] path got its line and "did you mean"; a misspelt
    # [programme] cohort only "file not found (check the path: …)".
    project = tmp_path / "riverside"
    shutil.copytree(RIVERSIDE, project)
    toml = (project / "leadnet.toml").read_text(encoding="utf-8")
    (project / "leadnet.toml").write_text(toml.replace('cohort = "cohort.csv"', 'cohort = "cohorts.csv"'))
    result = run("validate", str(project))
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if line.startswith("cohorts.csv")] == [
        "cohorts.csv: file not found (check cohort at leadnet.toml line 55, [programme]: it names "
        f'{project / "cohorts.csv"}; did you mean cohort = "cohort.csv"?) [missing-file]'
    ]
