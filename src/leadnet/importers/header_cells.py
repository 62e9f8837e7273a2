"""Which cells of a table's first line a message may quote, when the header it should be is not there.

A file without its header row starts with a row: a person's id, address or name, who may
have opted out. So a message about a first line quotes a cell only when it IS a header name
the file reads (:func:`shown_cells`): one of the header names of the file's columns, one of the
other names exports give them (letter case, spaces, ``_`` and ``-`` aside:
:func:`~leadnet.importers.role_names.name_key`), or one a wide survey's ``targets`` glob matches
as the survey does (``nominee_*``).
A cell merely like one is never quoted: a misspelling rule lets names through (``ida`` is 0.8
of ``id``, ``emil`` 0.89 of ``email``, ``Grady`` of ``grade``), and so would a cell holding a
name as a word (``Nominee name``, but also ``Mary Unit``). Such a cell is named by its position
(:func:`placed`: the 2nd column's header reads like ``nominee``), so the rename is still offered.

A line holding an id-like cell (:func:`id_like`: an ``@``, or digits at least half of its letters
and digits, as in ``E0001``, ``00123``, a date or a number, or a date with a month's name) that
is none of those names is a row, and nothing of it is quoted, not even a header name (``unit``
can be a person's unit too). A header's own digits (``nominee_1``, ``Start date 2024``) leave it a
header. A missing header is offered the shown cell that is one of its other names (``id`` for
``person_id``) or else the closest to it (:func:`renames`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Mapping, Sequence
from fnmatch import fnmatchcase

from leadnet.importers.role_names import name_key

HeaderNames = Mapping[str, Collection[str]]
"""Each header a file reads → the other names its column goes by (``person_id`` → ``employee id``, ``id``);
a header of ``*``, ``?`` or ``[`` is a glob of headers (a wide survey's ``nominee_*``)."""
MISSPELT = 0.75
"""The difflib ratio at which a cell reads like a header name (``respondant`` for ``respondent``), and is
named by its position for the rename, never quoted."""
RENAME_CUTOFF = 0.5
"""The difflib ratio at which a shown cell is offered for a missing header (``unit`` for ``units``)."""
_MONTH_DATE = re.compile(
    r"(?i)\W*(\d{1,4}\W+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(\W+\d{1,4}){1,2}\W*"
)
_GLOB = re.compile(r"[*?\[]")


def shown_cells(cells: Sequence[str], names: HeaderNames) -> list[str]:
    """The cells of a first line a message may quote, in order (see the module docstring).

    >>> names = {"person_id": ("id", "employee id"), "group": (), "nominee_*": ()}
    >>> shown_cells(["id", "grp"], names), shown_cells(["E0005", "group"], names)
    (['id'], [])
    >>> shown_cells(["Employee ID", "Location", "nominee_2", "nominee name"], names)
    ['Employee ID', 'nominee_2']
    >>> shown_cells(["ida", "Surgery"], names), shown_cells(["Mary Group", "group"], names)
    ([], ['group'])
    """
    if _is_row(cells, names):
        return []
    return [cell for cell in cells if _is_name(cell, names)]


def placed(missing: Sequence[str], cells: Sequence[str], names: HeaderNames) -> list[tuple[int, str]]:
    """(position from 1, missing header) of each missing header a cell that is not shown reads like:
    its name or another of its names misspelt (difflib at :data:`MISSPELT`) or held as a word; none on
    a line that is a row, nor on one holding no header name at all: a person's row with no id-like
    cell (``jsmith,Ida,Sales``) would be told which cell is like a header, a hint at its value. Each
    cell and header once, the first cell for each header.

    >>> names = {"respondent": (), "person_id": ("id",), "nominee": (), "unit": ()}
    >>> placed(["respondent", "nominee"], ["respondant", "Nominee name", "unit"], names)
    [(1, 'respondent'), (2, 'nominee')]
    >>> placed(["person_id"], ["ida", "Surgery"], names), placed(["person_id"], ["E0005", "id x"], names)
    ([], [])
    """
    if _is_row(cells, names) or not any(_is_name(cell, names) for cell in cells):
        return []
    free = {i: name_key(cell) for i, cell in enumerate(cells, 1) if not _is_name(cell, names)}
    pairs = []
    for header in missing:
        keys = {name_key(name) for name in (header, *names.get(header, ()))} - {""}
        position = next((i for i, key in free.items() if _reads_like(key, keys)), None)
        if position is not None:
            pairs.append((position, header))
            del free[position]
    return pairs


def renames(missing: Sequence[str], shown: Sequence[str], names: HeaderNames) -> list[tuple[str, str]]:
    """(cell, missing header) for each missing header a shown cell is meant as: the cell that is one
    of its other names, else the one closest to it (difflib at :data:`RENAME_CUTOFF`, letter case aside).

    >>> renames(["person_id"], ["id", "grp"], {"person_id": ("id",)})
    [('id', 'person_id')]
    >>> renames(["units"], ["respondent", "Unit"], {})
    [('Unit', 'units')]
    """
    folded = {cell.casefold(): cell for cell in shown}
    pairs = []
    for header in missing:
        aliases = {name_key(alias) for alias in names.get(header, ())}
        named = [cell for cell in shown if name_key(cell) in aliases]
        close = difflib.get_close_matches(header.casefold(), list(folded), n=1, cutoff=RENAME_CUTOFF)
        cell = named[0] if named else folded[close[0]] if close else None
        if cell is not None:
            pairs.append((cell, header))
    return pairs


def id_like(cell: str) -> bool:
    """Whether ``cell`` reads as a row's value rather than a header: an address (an ``@``), or digits at
    least half of its letters and digits (``E0001``, ``00123``, ``2024-01-09``, ``3.5``), or a date
    with a month's name (``9 Jan 2024``). A header's own digits leave it a header.

    >>> [id_like(c) for c in ("E0001", "00123", "a@b.org", "9 January 2024", "nominee_1", "Start date 2024")]
    [True, True, True, True, False, False]
    """
    digits = sum(char.isdigit() for char in cell)
    letters = sum(char.isalpha() for char in cell)
    return "@" in cell or (digits > 0 and digits >= letters) or bool(_MONTH_DATE.fullmatch(cell))


def ordinal(position: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``4th``, ``11th``, ``22nd``: a column's position as a message says it.

    >>> [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 22, 101)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '22nd', '101st']
    """
    suffix = "th" if position % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(position % 10, "th")
    return f"{position}{suffix}"


def _is_row(cells: Sequence[str], names: HeaderNames) -> bool:
    """Whether the line holds an id-like cell that is no header name the file reads: a row."""
    return any(id_like(cell) and not _is_name(cell, names) for cell in cells)


def _is_name(cell: str, names: HeaderNames) -> bool:
    """Whether ``cell`` is one of ``names``' headers or their other names (:func:`name_key`), or matches a
    glob of them as the survey reads it (``fnmatchcase``)."""
    key = name_key(cell)
    if not key:
        return False
    headers = [name for header, others in names.items() for name in (header, *others)]
    return any(fnmatchcase(cell, name) if _GLOB.search(name) else key == name_key(name) for name in headers)


def _reads_like(key: str, keys: Collection[str]) -> bool:
    """Whether the cell of key ``key`` holds one of ``keys`` as a word (``nominee name``) or misspells one."""
    words = f" {key} "
    return any(f" {name} " in words for name in keys) or bool(
        difflib.get_close_matches(key, list(keys), n=1, cutoff=MISSPELT)
    )
