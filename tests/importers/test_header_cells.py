"""A table's first line is quoted only in the cells that read as its headers (importers.header_cells)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

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
    path = tmp_path / "f.csv"
    path.write_text(f"{first_line}\nE0006,E0007\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load(path)
    assert str(raised.value) == message


def test_a_header_quotes_the_names_it_reads_and_counts_the_others(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("Employee Number,Full Name,Department,Location\nE1,a,b,c\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_people(path)
    assert str(raised.value) == (
        'f.csv line 1: required column "person_id" not found; columns found: "Employee Number", "Full Name", '
        '"Department" and 1 more, not shown, as no header the file reads (did you mean "Employee Number" for '
        '"person_id"?) [missing-column]'
    )


def test_a_header_of_a_name_exports_give_a_column_is_offered_for_it(tmp_path: Path) -> None:
    # "id" is no close spelling of person_id (difflib 0.36), but a name HR exports give it
    path = tmp_path / "f.csv"
    path.write_text("id,unit\nE1,a\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_people(path)
    assert str(raised.value) == (
        'f.csv line 1: required column "person_id" not found; columns found: "id", "unit" (did you mean "id" '
        'for "person_id"?) [missing-column]'
    )


@pytest.mark.parametrize(
    ("cells", "shown"),
    [
        (["persn_id", "unit"], ["persn_id", "unit"]),  # a misspelt header name is a header
        (["Nominee name", "Location"], ["Nominee name"]),  # a name among more words; others not shown
        (["Emil", "E0005"], []),  # a line with an id is a row: not even a cell near "email"
        (["Emil", "emil@x.org"], []),  # an address, likewise
        (["jsmith", "Surgery"], []),  # letters only, but no header name: an id, a unit
        (["nominee_1", "respondent"], ["nominee_1", "respondent"]),  # digits in a header name it reads
    ],
)
def test_the_cells_shown_are_header_names_of_a_line_without_ids(cells: list[str], shown: list[str]) -> None:
    names = {"person_id": ("id",), "email": (), "nominee": (), "nominee_1": (), "respondent": (), "unit": ()}
    assert shown_cells(cells, names) == shown
