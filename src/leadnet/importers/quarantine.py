"""Which rows the strict table reader quarantines, and how their issues read.

:func:`classify_row` sorts one record's cells against the header: kept (blank cells beyond
the header trimmed and counted as ``blank-trailing-cell``), blank, or quarantined as one
:class:`~leadnet.errors.RowIssue`: ``bad-quote`` (text after a closing quote; the record
reader yields :data:`BAD_QUOTE` for it), ``extra-cell``, ``short-row`` or
``control-character``. :func:`width_issue` and :func:`bad_quote` word the same issues for
the e-mail exports' reader (:mod:`leadnet.importers.email_rows`).
"""

from __future__ import annotations

import re

from leadnet.errors import RowIssue

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
BAD_QUOTE = "\x00bad-quote\x00"
"""The cells a record reader yields for a record with text after a closing quote."""


def classify_row(
    name: str, names: list[str], line: int, cells: list[str], counts: dict[str, int]
) -> list[str] | RowIssue | None:
    """The row's cells trimmed to the header, ``None`` for a blank row, or its issue."""
    width = len(names)
    if cells == [BAD_QUOTE]:
        return bad_quote(name, line)
    if not any(c.strip() for c in cells):
        return None
    if len(cells) > width:
        extra = [i for i in range(width, len(cells)) if cells[i].strip()]
        if extra:
            return width_issue(name, line, len(cells), width)
        cells = cells[:width]
        counts["blank-trailing-cell"] = counts.get("blank-trailing-cell", 0) + 1
    if len(cells) < width:
        return width_issue(name, line, len(cells), width, names[len(cells)])
    for col, cell in zip(names, cells, strict=True):
        found = _CONTROL.search(cell)
        if found:
            detail = f"control character U+{ord(found.group()):04X} in the cell"
            return RowIssue(name, line, "control-character", detail, column=col, hint="remove it")
    return cells


def width_issue(
    file: str, line: int, found: int, width: int, missing: str | None = None, *, has: str = "the header"
) -> RowIssue:
    """``short-row`` or ``extra-cell``: a row of ``found`` cells where ``has`` ``width`` columns.

    >>> print(width_issue("t.csv", 4, 2, 3, "unit"))  # doctest: +NORMALIZE_WHITESPACE
    t.csv line 4: 2 cells but the header has 3 columns (no "unit")
    (add the missing cells or delimiters) [short-row]
    """
    cells = f"{found} cell" if found == 1 else f"{found} cells"
    detail = f"{cells} but {has} has {width} columns"
    if found > width:
        return RowIssue(file, line, "extra-cell", detail, hint=EXTRA_CELL_FIX)
    missing_name = f' (no "{missing}")' if missing else ""
    return RowIssue(
        file, line, "short-row", detail + missing_name, hint="add the missing cells or delimiters"
    )


EXTRA_CELL_FIX = "quote cells that contain the delimiter, or remove the extra cell"


def bad_quote(file: str, line: int, column: str | None = None) -> RowIssue:
    """``bad-quote``: text after the closing quote of a cell."""
    hint = 'quote the whole cell: "a ""b"" c"'
    return RowIssue(file, line, "bad-quote", "text after a closing quote", column=column, hint=hint)
