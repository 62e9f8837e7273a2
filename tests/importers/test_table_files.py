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


def error_of(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        read_table(path, ["person_id"])
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
