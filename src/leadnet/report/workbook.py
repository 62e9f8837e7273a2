"""``tables.xlsx``: the analyst tables of one analysis in one workbook, formula-safe and deterministic.

Sheets ``people``, ``units``, ``communities``, ``ties``, ``rejected`` and ``summary``, with
the columns of the CSV files. A text cell that starts with ``= + - @``, tab, CR or NUL
gets a leading ``'`` (:func:`leadnet.report.exports.formula_safe`) and is stored as text,
never as a formula; characters XML cannot hold (other control characters) become U+FFFD, and a
direction control or line separator is written as its escape, as in CSV (:func:`leadnet.invisible.cell_text`).
The same analysis gives a byte-identical file: fixed document dates and zip entry times.
"""

from __future__ import annotations

import json
import math
import re
import zipfile
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from leadnet.invisible import cell_text
from leadnet.report.exports import formula_safe, people_export, summary_document, units_export

FIXED_TIME = datetime(2000, 1, 1)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
VOLATILE_KEYS = ("provenance.generated_at",)
CORE = "docProps/core.xml"
MODIFIED = re.compile(r"<dcterms:modified[^>]*>[^<]*</dcterms:modified>")


def cell_value(value: Any) -> Any:
    """A value as a worksheet cell holds it: text defused, numbers plain, missing values empty.

    >>> cell_value('=HYPERLINK("http://x")'), cell_value(np.int64(3)), cell_value(float("nan"))
    ('\\'=HYPERLINK("http://x")', 3, None)
    >>> cell_value("\\x00x") == "'\\ufffdx", cell_value("a\\x01b") == "a\\ufffdb", cell_value(True)
    (True, True, True)
    >>> print(cell_value("Mei\\u202eroliaT"))  # a direction control escaped, as in CSV
    Mei\\u202eroliaT
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(float(value)) else None
    text = formula_safe(cell_text(value if isinstance(value, str) else str(value)))
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)


def flatten(data: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Nested JSON values as ``(dotted.key, value)`` rows; lists of records become JSON text.

    >>> list(flatten({"a": 1, "b": {"c": None, "d": [1, 2]}}))
    [('a', 1), ('b.c', None), ('b.d', '[1, 2]')]
    """
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from flatten(value, name + ".")
        elif isinstance(value, list | tuple):
            yield name, json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
        else:
            yield name, value


def _append(sheet: WriteOnlyWorksheet, values: list[Any]) -> None:
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=cell_value(value))
        if isinstance(cell.value, str):
            cell.data_type = "s"  # text, even if openpyxl would read it as a formula
        cells.append(cell)
    sheet.append(cells)


def _frame_sheet(book: Workbook, title: str, frame: pd.DataFrame) -> None:
    sheet = book.create_sheet(title)
    _append(sheet, [str(c) for c in frame.columns])
    for row in frame.astype(object).itertuples(index=False, name=None):
        _append(sheet, list(row))


def _summary_rows(analysis: Any) -> list[tuple[str, Any]]:
    doc = json.loads(json.dumps(summary_document(analysis), default=str, allow_nan=True))
    return [(k, v) for k, v in flatten(doc) if k not in VOLATILE_KEYS]


def _normalise_zip(path: Path) -> None:
    """Rewrite the workbook with fixed entry times, so equal content gives equal bytes."""
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    # openpyxl stamps the save time as the document's "modified" date; fix it like "created".
    stamp = f"{FIXED_TIME:%Y-%m-%dT%H:%M:%SZ}"
    fixed = f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
    entries = [
        (name, MODIFIED.sub(fixed, data.decode("utf-8")).encode("utf-8") if name == CORE else data)
        for name, data in entries
    ]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, data)


def write_workbook(analysis: Any, path: Path) -> None:
    """Write ``tables.xlsx`` of an :class:`~leadnet.analysis.Analysis` to ``path``.

    Examples
    --------
    >>> import tempfile
    >>> from openpyxl import load_workbook
    >>> from leadnet.analysis import analyse
    >>> from leadnet.model import Snapshot
    >>> people = pd.DataFrame({"person_id": ["a", "b", "=1+1"], "unit": ["x", "x", "y"]})
    >>> ties = pd.DataFrame({"source": ["a", "b"], "target": ["b", "=1+1"], "relation": "advice"})
    >>> path = Path(tempfile.mkdtemp()) / "tables.xlsx"
    >>> write_workbook(analyse(Snapshot.build("main", people, ties)), path)
    >>> book = load_workbook(path)
    >>> book.sheetnames
    ['people', 'units', 'communities', 'ties', 'rejected', 'summary']
    >>> [c.value for c in book["ties"][3]][:2]
    ['b', "'=1+1"]
    """
    book = Workbook(write_only=True)
    book.properties.created = book.properties.modified = FIXED_TIME
    book.properties.creator = "leadnet"
    tables = {
        "people": people_export(analysis),
        "units": units_export(analysis),
        "communities": analysis.communities,
        "ties": analysis.snapshot.ties,
        "rejected": analysis.snapshot.rejected,
    }
    for title, frame in tables.items():
        _frame_sheet(book, title, frame)
    summary = book.create_sheet("summary")
    _append(summary, ["key", "value"])
    for key, value in _summary_rows(analysis):
        _append(summary, [key, value])
    book.save(path)
    _normalise_zip(Path(path))
