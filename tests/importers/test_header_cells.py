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
