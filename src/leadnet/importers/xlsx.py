"""The first sheet of an XLSX workbook read as rows of text (:func:`xlsx_records`), for
:mod:`leadnet.importers.tables`: a workbook openpyxl cannot read refused as ``damaged-file`` with
what is wrong (a part missing, XML it cannot parse, entities that expand past the parser's limit),
and formulas no program calculated refused as ``unsaved-formula`` (they would read as blank).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from leadnet.errors import InputError
from leadnet.importers.table_files import check_magic, fail


def xlsx_records(path: Path, data: bytes, name: str | None = None) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells as text) of the first sheet of an XLSX workbook; its problems name it ``name``
    (its file name unless given)."""
    name = name or path.name
    if not data.startswith(b"PK\x03\x04"):
        check_magic(name, data)
        raise fail(name, None, "wrong-file-type", "file is not an XLSX workbook", "save it as .xlsx or CSV")
    import openpyxl

    try:
        unsaved = _unsaved_formulas(data)
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _DAMAGED as exc:
        raise damaged_workbook(name, exc) from None
    if unsaved:
        first, more = unsaved[0], len(unsaved) - 1
        if more:
            detail = (
                f"cell {first.coordinate} and {more:,} other(s) hold formulas with no saved value, so they"
            )
        else:
            detail = f"cell {first.coordinate} holds a formula with no saved value, so it"
        raise fail(name, first.row, "unsaved-formula", detail + " would read as blank", UNSAVED_FORMULA_FIX)
    try:
        for number, row in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
            yield number, [_cell_text(v) for v in row]  # a read-only sheet's XML is parsed as it is read
    except _DAMAGED as exc:
        raise damaged_workbook(name, exc) from None
    finally:
        book.close()


_DAMAGED = (KeyError, IndexError, TypeError, ValueError, OSError, SyntaxError, zipfile.BadZipFile)
"""What openpyxl raises on a workbook it cannot read: a part missing (``KeyError``), XML it cannot
parse (``ParseError``, a ``SyntaxError``, also for entities that expand past the parser's limit), a
value of the wrong form (``ValueError``, ``TypeError``), no sheet (``IndexError``)."""
DAMAGED_XLSX_FIX = "open it in Excel or LibreOffice and save it again as .xlsx, or export the sheet as CSV"


def damaged_workbook(name: str, exc: Exception) -> InputError:
    """``damaged-file``: an XLSX workbook openpyxl cannot read, with what is wrong when that can be told.

    >>> missing = KeyError("There is no item named 'xl/workbook.xml' in the archive")
    >>> print(damaged_workbook("people.xlsx", missing))  # doctest: +ELLIPSIS
    people.xlsx: file is a damaged XLSX workbook: its part "xl/workbook.xml" is missing (open it in ...
    """
    said = str(exc.args[0]) if exc.args else ""
    missing = re.search(r"no item named '([^']*)'", said)
    if isinstance(exc, KeyError) and missing:
        why = f': its part "{missing[1]}" is missing'
    elif isinstance(exc, SyntaxError) and "amplification" in said:
        why = ": its XML defines entities that expand past the safe limit, as a crafted file's do"
    elif isinstance(exc, SyntaxError):
        why = ": its XML cannot be parsed"
    else:
        why = ""
    return fail(name, None, "damaged-file", f"file is a damaged XLSX workbook{why}", DAMAGED_XLSX_FIX)


UNSAVED_FORMULA_FIX = (
    "the workbook was written by a program that does not calculate formulas: open it in Excel or "
    "LibreOffice and save it, which stores each formula's value, or export the sheet as CSV"
)
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s/>]")


def _unsaved_formulas(data: bytes) -> list[Any]:
    """The formula cells of the first sheet when none of them has a saved value, else ``[]``.

    Values are read as the workbook saved them (``data_only``): a formula no spreadsheet
    program calculated has none and would read as blank. A workbook in which some formula
    has a value was calculated, and a formula without one there gave an empty text. The
    formulas are looked for only when a sheet's XML has a formula tag.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        if not any(_FORMULA_TAG.search(archive.read(n)) for n in sheets):
            return []
    import openpyxl

    formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheets_rows = (formulas.worksheets[0].iter_rows(), values.worksheets[0].iter_rows(values_only=True))
        rows = zip(*sheets_rows, strict=True)
        found = []
        for cells, saved in rows:
            for cell, value in zip(cells, saved, strict=True):
                if cell.data_type == "f":
                    if value is not None:
                        return []
                    found.append(cell)
        return found
    finally:
        formulas.close()
        values.close()


def _cell_text(value: object) -> str:
    """An XLSX cell as text: ``1`` and ``1.0`` become ``"1"``, dates ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)
