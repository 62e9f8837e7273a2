import csv
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadnet.report.exports import (
    csv_cell,
    csv_safe_column,
    formula_safe,
    write_csv,
    write_json,
)

AWKWARD = st.text(
    alphabet=st.sampled_from(["=", "+", "-", "@", "\t", "\r", "\n", "\0", "'", "a", "é", "😀", " "])
)
ANY_TEXT = st.text(alphabet=st.characters(codec=None, exclude_categories=()))  # lone surrogates too
CELLS = st.one_of(AWKWARD, ANY_TEXT, st.none(), st.integers(), st.floats(allow_nan=True))


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("+44 1234", "'+44 1234"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("Surgery", "Surgery"),
    ],
)
def test_cells_that_would_run_as_formulas_are_defused(cell: str, shown: str) -> None:
    assert formula_safe(cell) == shown


def test_numbers_are_never_prefixed(tmp_path: Path) -> None:
    write_csv(pd.DataFrame({"name": ["=1+1"], "ei_index": [-0.5]}), tmp_path / "t.csv")
    raw = (tmp_path / "t.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    assert raw.decode("utf-8-sig") == "name,ei_index\n'=1+1,-0.5\n"


def test_json_has_no_nan_and_is_sorted(tmp_path: Path) -> None:
    write_json(
        {"b": np.float64("nan"), "a": np.int64(2), "c": {"z": 1, "y": (np.float32(0.5),)}},
        tmp_path / "s.json",
    )
    text = (tmp_path / "s.json").read_text(encoding="utf-8")
    assert json.loads(text) == {"a": 2, "b": None, "c": {"y": [0.5], "z": 1}}
    assert text.index('"a"') < text.index('"b"')


def test_a_carriage_return_in_a_cell_cannot_start_a_row_with_a_formula(tmp_path: Path) -> None:
    # A reviewer's roster: the name "Mei Taylor\r=cmd|..." was written unquoted, so a spreadsheet
    # (or Python's csv reader) read a second row starting with the formula.
    frame = pd.DataFrame({"name": ["Mei Taylor\r=cmd|' /C calc'!A0", "Tariq\r\n@SUM(1+1)"], "n": [1, 2]})
    write_csv(frame, tmp_path / "t.csv")
    text = (tmp_path / "t.csv").read_text(encoding="utf-8-sig")
    assert "\r" not in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [["name", "n"], ["Mei Taylor\n=cmd|' /C calc'!A0", "1"], ["Tariq\n@SUM(1+1)", "2"]]


@given(st.lists(CELLS, max_size=30))
def test_the_column_writer_defuses_every_cell_as_the_cell_writer_does(cells: list[object]) -> None:
    expected = [csv_cell(c) if isinstance(c, str) else c for c in cells]
    written = csv_safe_column(pd.Series(cells, dtype=object)).tolist()
    assert [type(c) for c in written] == [type(c) for c in expected]
    assert [repr(c) for c in written] == [repr(c) for c in expected]


@given(st.lists(AWKWARD, max_size=30))
def test_the_column_writer_defuses_arrow_strings_as_the_cell_writer_does(cells: list[str]) -> None:
    assert csv_safe_column(pd.Series(cells, dtype="string")).tolist() == [csv_cell(c) for c in cells]
