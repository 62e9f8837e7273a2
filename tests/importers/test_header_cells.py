"""A table's first line is quoted only in the cells that read as its headers (importers.header_cells)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from leadnet.cli import main
from leadnet.errors import InputError
from leadnet.importers.header_cells import shown_cells
from leadnet.importers.identity import Resolver
from leadnet.importers.membership import load_membership
from leadnet.importers.people import load_people
from leadnet.importers.survey import load_survey
from leadnet.importers.ties import load_ties

RESOLVER = Resolver(pd.DataFrame({"person_id": ["E0006", "E0007"]}))
NOT_SHOWN = (
    "the first line holds no header the file reads, and is not shown, as it may name someone who opted out"
)


def _no_header(missing: str, listed: str) -> str:
    return (
        f"f.csv line 1: required {missing} not found; {NOT_SHOWN} (add a first line naming the columns, "
        f"{listed} among them; if it is the header, map the columns in leadnet.toml) [missing-column]"
    )


@pytest.mark.parametrize(
    ("load", "first_line", "message"),
    [
        # each quoted its first line: 'columns found: "E0005", "Mei Taylor", ...', E0005 having opted out
        (
            load_people,
            "E0005,Mei Taylor,mei.taylor@x.org,Surgery,5",
            _no_header('column "person_id"', '"person_id"'),
        ),
        (
            lambda path: load_survey(path, RESOLVER),
            "E0005,E0006,advice,3",
            _no_header('columns "respondent", "nominee"', '"respondent", "nominee"'),
        ),
        (
            lambda path: load_ties(path, RESOLVER),
            "E0005,E0006",
            _no_header('columns "source", "target"', '"source", "target"'),
        ),
        (
            lambda path: load_membership(path, RESOLVER),
            "E0005,proj-1,lead,2026-01-09,2026-05-15",
            _no_header('columns "person", "project"', '"person", "project"'),
        ),
    ],
)
def test_a_table_without_its_header_row_does_not_quote_its_first_line(
    tmp_path: Path, load: Callable[[Path], object], first_line: str, message: str
) -> None:
    assert error_of(tmp_path, load, f"{first_line}\nE0006,E0007\n") == message


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            "Employee Number,Full Name,Department,Location",  # Location: no name a roster reads, not shown
            'columns found: "Employee Number", "Full Name", "Department" and 1 more, not shown, as no header '
            'the file reads (did you mean "Employee Number" for "person_id"?)',
        ),
        (
            "id,unit",  # "id" is no close spelling of person_id (difflib 0.36), but a name HR exports give it
            'columns found: "id", "unit" (did you mean "id" for "person_id"?)',
        ),
    ],
)
def test_a_header_quotes_the_names_it_reads_and_offers_one_for_a_missing_column(
    tmp_path: Path, header: str, message: str
) -> None:
    assert error_of(tmp_path, load_people, f"{header}\nE1,a,b,c\n") == (
        f'f.csv line 1: required column "person_id" not found; {message} [missing-column]'
    )


def error_of(folder: Path, load: Callable[[Path], object], text: str) -> str:
    """The message of the error ``load`` raises for a file f.csv of ``text``."""
    path = folder / "f.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load(path)
    return str(raised.value)


@pytest.mark.parametrize(
    ("cells", "shown"),
    [
        (["person_id", "unit"], ["person_id", "unit"]),
        (["persn_id", "unit"], ["unit"]),  # a misspelt header name is named by its position, never quoted
        (["ida", "Surgery"], []),  # as "ida" (0.8 of "id") is a first name
        (["emil", "Ops"], []),  # 0.89 of "email"
        (["Grady", "Ops"], []),  # 0.8 of "grade"
        (["Nominee name", "Location"], []),  # a header name as a word: so is "Mary Unit"
        (["Mary Unit", "respondent"], ["respondent"]),
        (["Emil", "E0005"], []),  # a line with an id is a row: not even a cell near "email"
        (["Emil", "emil@x.org"], []),  # an address, likewise
        (["unit", "00123"], []),  # a number: a row, even its cell that is a header name
        (["unit", "2024-01-09"], []),  # a date
        (["unit", "9 Jan 2024"], []),  # a date with its month's name
        (["jsmith", "Surgery"], []),  # letters only, but no header name: an id, a unit
        (["nominee_1", "respondent"], ["nominee_1", "respondent"]),  # digits in a header name it reads
        (["nominee_12", "respondent"], ["nominee_12", "respondent"]),  # a header the glob nominee_* matches
        (
            ["Start date 2024", "unit"],
            ["unit"],
        ),  # its digits a small part: a header, not shown, the line kept
    ],
)
def test_the_cells_shown_are_header_names_of_a_line_without_ids(cells: list[str], shown: list[str]) -> None:
    names = {
        "person_id": ("id",),
        "email": (),
        "grade": (),
        "nominee": (),
        "nominee_1": (),
        "nominee_*": (),
        "respondent": (),
        "unit": (),
    }
    assert shown_cells(cells, names) == shown


@pytest.mark.parametrize("command", ["validate", "analyse"])
def test_a_headerless_roster_quotes_no_cell_like_a_header_of_someone_who_opted_out(
    tmp_path: Path, command: str
) -> None:
    # It said 'columns found: "ida" and 1 more, not shown, ...': "ida" reads as a misspelt "id" (0.8), and
    # ida opted out.
    (tmp_path / "people.csv").write_text("ida,Surgery\nbo,Surgery\ncy,Ops\n", encoding="utf-8")
    (tmp_path / "opt_outs.csv").write_text("person_id\nida\n", encoding="utf-8")
    (tmp_path / "survey.csv").write_text("respondent,nominee\nbo,cy\n", encoding="utf-8")
    (tmp_path / "leadnet.toml").write_text(
        '[people]\npath = "people.csv"\nexclude = "opt_outs.csv"\n\n[[sources]]\nkind = "survey"\n'
        'path = "survey.csv"\nsnapshot = "before"\nrelation = "advice"\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, [command, str(tmp_path), *(["--out", str(out)] * (command == "analyse"))]
    )
    message = (
        'people.csv line 1: required column "person_id" not found; the first line holds no header the file '
        "reads, and is not shown, as it may name someone who opted out (add a first line naming the columns, "
        '"person_id" among them; if it is the header, map the columns in leadnet.toml) [missing-column]'
    )
    note = (
        "note: without a usable roster, the sources and the cohort file were checked as far as they can be: "
        "no id or address in them was looked up, and no snapshot was made"
    )
    lines = {"validate": [message, note, "1 problem(s) found"], "analyse": [f"error: {message}"]}[command]
    assert (result.exit_code, result.output.splitlines()) == (1, lines)
    assert "ida" not in result.output.casefold()
    assert not out.exists()  # nothing written


def test_a_wide_survey_s_nominee_columns_are_headers_and_a_misspelt_one_is_named_by_position(
    tmp_path: Path,
) -> None:
    # nominee_1's digit made the line a row: 'the first line holds no header the file reads ... add a
    # first line naming the columns'.
    path = tmp_path / "f.csv"
    path.write_text("respondant,nominee_1,nominee_2\nE0006,E0007,\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_survey(path, RESOLVER, columns={"targets": "nominee_*"}, layout="wide")
    assert str(raised.value) == (
        'f.csv line 1: required column "respondent" not found; columns found: "nominee_1", "nominee_2" and 1 '
        'more, not shown, as no header the file reads (the 1st column\'s header reads like "respondent": '
        'rename it to "respondent") [missing-column]'
    )


def test_a_header_with_a_year_in_a_name_is_still_a_header(tmp_path: Path) -> None:
    # "Start date 2024" holds a digit: the line was taken for a row and not quoted at all.
    assert error_of(tmp_path, load_people, "id,Start date 2024\nE1,2024-01-09\n") == (
        'f.csv line 1: required column "person_id" not found; columns found: "id" and 1 more, not shown, as '
        'no header the file reads (did you mean "id" for "person_id"?) [missing-column]'
    )
