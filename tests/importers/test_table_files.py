"""Whole-file checks of a table (importers/table_files.py): workbooks openpyxl cannot read."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from leadnet.errors import InputError
from leadnet.importers.tables import read_table

FIX = "(open it in Excel or LibreOffice and save it again as .xlsx, or export the sheet as CSV)"


def workbook_parts(path: Path) -> dict[str, bytes]:
    book = openpyxl.Workbook()
    for row in (["person_id", "unit"], ["A", "U"], ["B", "U"]):
        book.active.append(row)
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rewrite(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def error_of(path: Path, required: tuple[str, ...] = ("person_id",)) -> str:
    with pytest.raises(InputError) as caught:
        read_table(path, list(required))
    return str(caught.value)


def test_a_workbook_missing_a_part_is_named_with_the_fix_not_a_traceback(tmp_path: Path) -> None:
    # openpyxl's KeyError came out as a 25-line traceback.
    path = tmp_path / "people.xlsx"
    parts = workbook_parts(path)
    del parts["[Content_Types].xml"]
    assert error_of(rewrite(path, parts)) == (
        f'people.xlsx: file is a damaged XLSX workbook: its part "[Content_Types].xml" is missing {FIX} '
        "[damaged-file]"
    )


def test_a_workbook_whose_sheet_expands_entities_past_the_limit_is_refused_by_name(tmp_path: Path) -> None:
    # An entity bomb in sheet1.xml ended in a traceback: "ParseError: limit on input amplification factor".
    path = tmp_path / "people.xlsx"
    parts = workbook_parts(path)
    entities = '<!ENTITY e0 "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10)
    )
    sheet = parts["xl/worksheets/sheet1.xml"].decode().replace("<t>A</t>", "<t>&e9;</t>")
    parts["xl/worksheets/sheet1.xml"] = f"<!DOCTYPE worksheet [{entities}]>{sheet}".encode()
    assert error_of(rewrite(path, parts)) == (
        "people.xlsx: file is a damaged XLSX workbook: its XML defines entities that expand past the safe "
        f"limit, as a crafted file's do {FIX} [damaged-file]"
    )


FIRST_LINES = [
    pytest.param(
        # a path in leadnet.toml led to /etc/shadow; the message quoted its first line, a password hash
        "shadow.csv",
        "root:$6$salt$hash:20228:0:99999:7:::\ndaemon:*:20228:0:99999:7:::\n",
        ("source", "target"),
        'shadow.csv line 1: required columns "source", "target" not found; the first line has no comma, '
        "semicolon or tab, so the file is probably not a table (check the path; a table is a CSV file, its "
        "columns split by commas, semicolons or tabs, or an XLSX workbook) [missing-column]",
        id="no-table-not-quoted",
    ),
    pytest.param(
        # a review: a list of addresses without its header line was called "probably not a table"
        "people.csv",
        "mei.taylor@riverside.example\ntariq.taylor@riverside.example\n",
        ("person_id",),
        'people.csv line 1: required column "person_id" not found; the first line holds an address (not '
        "shown), not a header, so the file's header is missing (add a first line naming the columns, "
        '"person_id" among them) [missing-column]',
        id="addresses-without-header",
    ),
    pytest.param(
        "people.csv",
        "persn_id\nE1\n",  # a misspelt header may be a name ("ida" for "id"): not shown, not placed alone
        ("person_id",),
        'people.csv line 1: required column "person_id" not found; the first line holds no header the file '
        "reads, and is not shown, as it may name someone who opted out (add a first line naming the columns, "
        '"person_id" among them; if it is the header, map the columns in leadnet.toml) [missing-column]',
        id="one-column-misspelt-header-not-placed",
    ),
    pytest.param(
        # a word that is no header name the file reads may be an id ("employee", "jsmith"): not shown
        "people.csv",
        "employee\nE1\n",
        ("person_id",),
        'people.csv line 1: required column "person_id" not found; the first line holds no header the file '
        "reads, and is not shown, as it may name someone who opted out (add a first line naming the columns, "
        '"person_id" among them; if it is the header, map the columns in leadnet.toml) [missing-column]',
        id="one-word-no-header-name-not-shown",
    ),
]


@pytest.mark.parametrize(("name", "text", "required", "message"), FIRST_LINES)
def test_a_first_line_of_one_cell_is_quoted_only_when_it_reads_as_a_header(
    tmp_path: Path, name: str, text: str, required: tuple[str, ...], message: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert error_of(path, required) == message


def test_a_one_cell_first_line_holding_a_tab_is_not_said_to_have_none(tmp_path: Path) -> None:
    # not_a_table's tab is live: a sep=; line reads "root<TAB>x:0" as one cell, which has a tab
    path = tmp_path / "people.csv"
    path.write_text("sep=;\nroot\tx:0\nE1\n", encoding="utf-8")
    assert error_of(path, ("person_id",)) == (
        'people.csv line 2: required column "person_id" not found; the first line holds no header the file '
        "reads, and is not shown, as it may name someone who opted out (add a first line naming the columns, "
        '"person_id" among them; if it is the header, map the columns in leadnet.toml) [missing-column]'
    )
