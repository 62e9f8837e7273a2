"""Characters that do not show as themselves ("Trojan Source": U+202E shows the rest of its line
backwards) reach no terminal, CSV or XLSX as they are: a message shows each as its escape, a data
cell its direction controls and separators; ids, units and levels are read without them."""

import csv
import warnings
from pathlib import Path

import click
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from leadnet.cli import main
from leadnet.console import handle_errors
from leadnet.errors import InputError, LeadnetWarning
from leadnet.invisible import cell_text, message_text
from leadnet.report.exports import write_csv

RLO = "\u202e"
NAME = f"Mei{RLO}roliaT"  # shows as "MeiTaylor"
MEHRNAZ = "Mehr\u200cnaz"  # a zero-width non-joiner spells the name


def test_a_message_shows_every_character_that_does_not_show_as_itself_as_its_escape() -> None:
    text = f"a{RLO}b\u200bc\x1b[2Jd\r\n\te\u2028\U000e0041"
    assert message_text(text) == "a\\u202eb\\u200bc\\u001b[2Jd\\u000d\n\te\\u2028\\U000e0041"


def test_a_data_cell_escapes_the_direction_controls_and_separators_and_keeps_joiners() -> None:
    text = f"{NAME} {MEHRNAZ} \u2066x\u2069\u200e\u2029"
    assert cell_text(text) == f"Mei\\u202eroliaT {MEHRNAZ} \\u2066x\\u2069\\u200e\\u2029"


def test_a_data_cell_escapes_every_character_a_reader_starts_a_line_at_and_the_terminal_escape() -> None:
    # next line, vertical tab, form feed and the file/group/record separators split a line for Python's
    # splitlines (and some viewers); ESC starts a terminal's control sequence. They passed as they were.
    assert cell_text("a\x85b\x0bc\x0cd\x1ce\x1df\x1eg\x1b[2Jh\ti") == (
        "a\\u0085b\\u000bc\\u000cd\\u001ce\\u001df\\u001eg\\u001b[2Jh\ti"
    )


def test_a_csv_cell_is_escaped_then_defused_and_its_line_reads_as_it_holds(tmp_path: Path) -> None:
    frame = pd.DataFrame({"person_id": ["a", "b", "c"], "name": [NAME, f"={RLO}1+1", MEHRNAZ]})
    write_csv(frame, tmp_path / "people.csv")
    text = (tmp_path / "people.csv").read_text(encoding="utf-8")
    assert text == f"\ufeffperson_id,name\na,Mei\\u202eroliaT\nb,'=\\u202e1+1\nc,{MEHRNAZ}\n"


def project(folder: Path) -> Path:
    """Six people of unit Lab (one written ``Lab`` and an override: the same unit), Mei named with an
    override; a survey whose weight on line 3 is an override and a 4."""
    folder.mkdir()
    people = [f"E{i},Person {i},Lab" for i in range(1, 7)]
    people[1] = f"E2,{NAME},Lab{RLO}"
    (folder / "people.csv").write_text("person_id,name,unit\n" + "\n".join(people) + "\n", encoding="utf-8")
    ties = [f"E{i},E{i % 6 + 1},2" for i in range(1, 7)]
    ties[1] = f"E2,E3,{RLO}4"
    (folder / "survey.csv").write_text(
        "respondent,nominee,weight\n" + "\n".join(ties) + "\n", encoding="utf-8"
    )
    (folder / "leadnet.toml").write_text(
        '[people]\npath = "people.csv"\n\n[[sources]]\nkind = "survey"\npath = "survey.csv"\n\n'
        "[analysis]\nmax_reject_rate = 0.5\n",
        encoding="utf-8",
    )
    return folder


BAD_WEIGHT = (
    'column "weight": weight "\\u202e4" is not a number above 0 (use a positive number such as 1 or 2.5; '
    "a decimal comma needs a file separated by ; or tabs)"
)


def test_validate_prints_the_override_of_a_cell_it_quotes_as_its_escape(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(project(tmp_path / "p"))])
    assert (result.exit_code, result.stdout.splitlines()) == (
        1,
        [
            f"survey.csv line 3, {BAD_WEIGHT} [bad-weight]",
            "snapshot main: 6 people, 5 ties, 12 rows read, 1 rejected",
        ],
    )


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = project(tmp_path_factory.mktemp("invisible") / "p")
    result = CliRunner().invoke(
        main, ["analyse", str(folder), "--out", str(folder.parent / "out"), "--show-names", "--xlsx"]
    )
    assert result.exit_code == 0, result.output
    return folder.parent / "out"


def test_people_csv_shows_a_name_s_override_escaped_and_the_unit_as_the_roster_shows_it(out: Path) -> None:
    with (out / "people.csv").open(encoding="utf-8-sig") as f:
        rows = [(r["person_id"], r["name"], r["unit"]) for r in csv.DictReader(f)][:3]
    assert rows == [("E1", "Person 1", "Lab"), ("E2", "Mei\\u202eroliaT", "Lab"), ("E3", "Person 3", "Lab")]


def test_rejected_csv_and_the_workbook_show_the_quoted_cell_s_override_escaped(out: Path) -> None:
    with (out / "rejected.csv").open(encoding="utf-8-sig") as f:
        assert list(csv.reader(f)) == [
            ["file", "line", "code", "detail"],
            ["survey.csv", "3", "bad-weight", BAD_WEIGHT],
        ]
    book = openpyxl.load_workbook(out / "tables.xlsx", read_only=True)
    assert [c.value for c in next(book["rejected"].iter_rows(min_row=2))] == [
        "survey.csv",
        3,
        "bad-weight",
        BAD_WEIGHT,
    ]
    assert [c.value for c in next(book["people"].iter_rows(min_row=3))][:3] == [
        "E2",
        "Mei\\u202eroliaT",
        "Lab",
    ]


@click.command()
@handle_errors
def _fails() -> None:
    warnings.warn(f"unit {NAME} has no ties", LeadnetWarning, stacklevel=1)
    raise InputError('people.csv line 2: unit "Lab\x1b[2J" is reserved')


def test_an_error_and_a_warning_show_an_override_and_an_ansi_escape_escaped() -> None:
    result = CliRunner().invoke(_fails, [])
    assert (result.exit_code, result.stderr) == (
        1,
        "warning: unit Mei\\u202eroliaT has no ties\n"
        'error: people.csv line 2: unit "Lab\\u001b[2J" is reserved\n',
    )
