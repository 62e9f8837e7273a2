"""Which cells of a table's first line a message may quote, when the header it should be is not there.

A file without its header row starts with a row: a person's id, address or name, who may
have opted out. So a message about a first line quotes a cell only when it reads as a header
the file reads (:func:`shown_cells`): one of the header names of the file's columns or the
other names exports give them (letter case, spaces, ``_`` and ``-`` aside:
:func:`~leadnet.importers.role_names.name_key`), or one misspelt (difflib's ratio at least
:data:`MISSPELT`, 0.75: ``persn_id``, ``nomine``, ``grp``). A line holding a cell with a digit
or an ``@`` that is none of those names is a row (an id, an address, a date), and nothing of it
is quoted, not even a cell that reads as a header: a unit, a first name or a role value can be
near a header name (``Emil`` is 0.89 of ``email``), and the row names its person. A cell of
a header that is no name the file reads (``Location``) is counted, not quoted: the fix needs
only the names it reads, and a closeness rule wider than a misspelling would let first names
through. A cell of more words holding one of those names (``Nominee name``) is a header too.
A missing header is offered the shown cell that is one of its other names
(``id`` for ``person_id``) or else the closest to it (:func:`renames`).
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping, Sequence

from leadnet.importers.role_names import name_key

HeaderNames = Mapping[str, Collection[str]]
"""Each header a file reads → the other names its column goes by (``person_id`` → ``employee id``, ``id``)."""
MISSPELT = 0.75
"""The difflib ratio at which a cell reads as a misspelt header name (``grp`` for ``group``, 0.75)."""
RENAME_CUTOFF = 0.5
"""The difflib ratio at which a shown cell is offered for a missing header (``persn`` for ``person_id``)."""


def shown_cells(cells: Sequence[str], names: HeaderNames) -> list[str]:
    """The cells of a first line a message may quote, in order (see the module docstring).

    >>> names = {"person_id": ("id", "employee id"), "group": ()}
    >>> shown_cells(["id", "grp"], names), shown_cells(["E0005", "cohort"], names)
    (['id', 'grp'], [])
    >>> shown_cells(["Employee ID", "Location"], names), shown_cells(["emil", "x@y.org"], {"email": ()})
    (['Employee ID'], [])
    """
    keys = _keys(names)
    if any(_id_like(cell, keys) for cell in cells):
        return []
    return [cell for cell in cells if _header_like(name_key(cell), keys)]


def renames(missing: Sequence[str], shown: Sequence[str], names: HeaderNames) -> list[tuple[str, str]]:
    """(cell, missing header) for each missing header a shown cell is meant as: the cell that is one
    of its other names, else the one closest to it (difflib at :data:`RENAME_CUTOFF`, letter case aside).

    >>> renames(["person_id"], ["id", "grp"], {"person_id": ("id",)})
    [('id', 'person_id')]
    >>> renames(["nominee"], ["respondent", "Nominee name"], {})
    [('Nominee name', 'nominee')]
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


def _keys(names: HeaderNames) -> set[str]:
    return {name_key(name) for header, aliases in names.items() for name in (header, *aliases)} - {""}


def _id_like(cell: str, keys: Collection[str]) -> bool:
    """A cell with a digit or an ``@`` that is no header name: an id, an address, a date or a number."""
    return ("@" in cell or any(char.isdigit() for char in cell)) and name_key(cell) not in keys


def _header_like(key: str, keys: Collection[str]) -> bool:
    """One of the names ``keys``, one with more words (``nominee name``), or one misspelt."""
    words = f" {key} "
    return any(f" {name} " in words for name in keys) or bool(
        difflib.get_close_matches(key, list(keys), n=1, cutoff=MISSPELT)
    )
