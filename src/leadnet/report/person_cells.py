"""People in a report's cells: the columns that hold one person each or a ``;``-joined list of
people, each shown by the person's label (a code, or a name with ``--show-names``), never an id
the labels do not know (it may be an e-mail address); and what a withheld or suppressed cell shows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pandas as pd

WITHHELD = "withheld"
"""What a cell or figure withheld for privacy shows (its reason is given in a note)."""
SUPPRESSED = re.compile(r"<\d+")
"""A count suppressed for privacy (:func:`~leadnet.privacy.suppressed_marker`): ``<5``."""

PERSON_COLUMNS = ("person_id", "source", "target")
"""Columns of one person each, shown by the person's label."""
PEOPLE_LIST_COLUMNS = ("bridges",)
"""Columns of people joined by ``;`` (``communities.csv``'s bridges), each shown by their label."""


def person_cell(text: object, labels: Mapping[str, str]) -> str:
    """One person id as their label; an id ``labels`` does not know shown :data:`WITHHELD`, never as it
    is (it may be an e-mail address), as :func:`people_list` shows a part of a list; a missing value
    and a text that is no id (``<5``, ``""``) as they are.

    >>> person_cell("a@x.org", {"a@x.org": "P1"}), person_cell("zz@y.org", {}), person_cell("<5", {})
    ('P1', 'withheld', '<5')
    """
    if not isinstance(text, str):
        return str(text) if pd.isna(text) else person_cell(str(text), labels)
    if text == "" or SUPPRESSED.fullmatch(text):
        return text
    return labels.get(text, WITHHELD)


def id_parts(labels: Mapping[str, str]) -> int:
    """The most ``;``-separated parts one id ``labels`` knows is made of (1 when no id holds a ``;``):
    how far :func:`people_list` joins parts again. Worked out once per table, not per cell."""
    return 1 + max((person.count(";") for person in labels), default=0)


def people_list(text: object, labels: Mapping[str, str], span: int | None = None) -> str:
    """A ``;``-joined list of person ids as their labels, joined alike; a text that is no list of
    ids (``<5``, ``""``) as it is.

    An id may itself hold a ``;``: from each part on, the longest run of at most ``span`` parts
    (:func:`id_parts` of ``labels`` when not given) that makes an id ``labels`` knows is read as that
    id. A part that begins none is shown :data:`WITHHELD`, never as it is (it may be an address), and
    the parts after it are read on.

    >>> people_list("a@x.org;b;c@x.org", {"a@x.org": "P1", "b;c@x.org": "P2"}), people_list("<5", {})
    ('P1;P2', '<5')
    >>> people_list("a@x.org;zz@y.org;b@x.org", {"a@x.org": "P1", "b@x.org": "P2"})
    'P1;withheld;P2'
    >>> people_list("b;c@x.org", {"b": "P1", "b;c@x.org": "P2", "c@x.org": "P3"})  # the longest id
    'P2'
    """
    if not isinstance(text, str):  # a missing value as it is; any other read as its text
        return str(text) if pd.isna(text) else people_list(str(text), labels, span)
    if text == "" or SUPPRESSED.fullmatch(text):
        return text
    span = id_parts(labels) if span is None else span
    parts = text.split(";")
    out, start = [], 0
    while start < len(parts):
        end = _end_of_id(parts, start, labels, span)
        out.append(WITHHELD if end is None else labels[";".join(parts[start:end])])
        start = start + 1 if end is None else end
    return ";".join(out)


def _end_of_id(parts: Sequence[str], start: int, labels: Mapping[str, str], span: int) -> int | None:
    """Where the longest id ``labels`` knows that ``parts[start:]`` begin with ends (of at most
    ``span`` parts), or None."""
    last = min(len(parts), start + span)
    return next((end for end in range(last, start, -1) if ";".join(parts[start:end]) in labels), None)
