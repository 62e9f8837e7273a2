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


def test_a_file_whose_first_line_is_no_header_is_refused_without_quoting_it(tmp_path: Path) -> None:
    # A path in leadnet.toml led to /etc/shadow; the message quoted its first line, a password hash.
    path = tmp_path / "shadow.csv"
    path.write_text("root:$6$salt$hash:20228:0:99999:7:::\ndaemon:*:20228:0:99999:7:::\n", encoding="utf-8")
    assert error_of(path, ("source", "target")) == (
        'shadow.csv line 1: required columns "source", "target" not found; the first line has no comma, '
        "semicolon or tab, so the file is probably not a table (check the path; a table is a CSV file, its "
        "columns split by commas, semicolons or tabs, or an XLSX workbook) [missing-column]"
    )


def test_a_headerless_list_of_addresses_is_said_to_lack_its_header_not_to_be_no_table(tmp_path: Path) -> None:
    # A review: a list of addresses without its header line was called "probably not a table".
    path = tmp_path / "people.csv"
    path.write_text("mei.taylor@riverside.example\ntariq.taylor@riverside.example\n", encoding="utf-8")
    assert error_of(path) == (
        'people.csv line 1: required column "person_id" not found; the first line holds an address (not '
        "shown), not a header, so the file's header is missing (add a first line naming the columns, "
        '"person_id" among them) [missing-column]'
    )


def test_a_one_column_header_that_reads_as_a_name_is_still_shown(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("employee\nE1\n", encoding="utf-8")
    assert error_of(path) == (
        'people.csv line 1: required column "person_id" not found; columns found: "employee" (map the '
        "columns in leadnet.toml) [missing-column]"
    )
