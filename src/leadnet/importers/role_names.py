"""The names HR systems and mail programs give a column role, and the one rule of a column left unread.

A roster exported from an HR system calls its units ``Department`` and its reporting line
``Line manager``; a mail export calls its time ``Date`` and its copies ``Cc``. Such a column
is read only when the map names it (or, with no map, when its header is the role's own
name), so one the map leaves out is unread without a word. :func:`unread_columns` is the
one rule that finds them, for every importer: a header no role reads whose name is one of
a role's names, letter case, spaces, ``_`` and ``-`` aside (:func:`name_key`: ``Line_Manager``
is ``line manager``). The importers warn of those that change a result (the roster's
structure roles, :data:`ROSTER_WARNED`; an e-mail export's Cc, time and Message-ID; a survey's
questions and frequency scale), and a map leadnet suggests for a file that lacks a required
column names every role :func:`recognised` finds, so pasted as given it reads the file whole.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping

ROSTER_NAMES: Mapping[str, tuple[str, ...]] = {
    "person_id": (
        "employee id", "employee number", "employee no", "staff id", "staff number", "emp id",
        "personnel number", "person id", "id",
    ),
    "unit": (
        "department", "dept", "team", "directorate", "division", "business unit", "org unit", "unit name",
    ),
    "level": ("grade", "band", "pay band", "pay grade", "job level", "job grade", "seniority level"),
    "manager_id": (
        "manager", "line manager", "manager id", "line manager id", "manager employee id", "supervisor",
        "supervisor id", "reports to",
    ),
    "is_manager": ("is manager", "people manager", "manages people", "has reports"),
    "name": ("full name", "employee name", "display name"),
    "email": ("e-mail", "email address", "e-mail address", "work email", "work e-mail"),
}  # fmt: skip
"""The headers HR systems give the roster's roles, beside the roles' own names."""
ROSTER_WARNED: tuple[str, ...] = ("unit", "level", "manager_id", "is_manager")
"""The roster's roles whose column, left unread, changes the analysis (the units, levels and
reporting lines it measures leadership by): a column that looks like one is warned of even
when another column gives the role. A second name or e-mail column is not."""
EXPORT_NAMES: Mapping[str, tuple[str, ...]] = {
    "sender": ("from",),
    "recipients": ("to",),
    "cc": ("cc",),
    "timestamp": ("date", "sent", "sent_at", "sent_date", "datetime"),
    "message_id": ("message-id", "message_id"),
}
"""The headers e-mail programs and exports give the roles (``From``, ``To``, ``Cc``, ``Date``,
``Message-ID``: the message's own header names; ``sent_at`` and the like), beside their own names."""
_SEPARATORS = re.compile(r"[\s_-]+")


def name_key(header: str) -> str:
    """A header as it is matched to a role's names: letter case aside, spaces, ``_`` and ``-`` alike.

    >>> name_key(" Line_Manager "), name_key("Message-ID"), name_key("e-mail")
    ('line manager', 'message id', 'e mail')
    """
    return _SEPARATORS.sub(" ", header.casefold()).strip()


def role_names(role: str, names: Mapping[str, Collection[str]]) -> set[str]:
    """The keys of the names of ``role``: its own name and those of ``names``."""
    return {name_key(role), *(name_key(name) for name in names.get(role, ()))}


def unread_columns(
    headers: Iterable[str], read: Collection[str], names: Mapping[str, Collection[str]]
) -> list[tuple[str, str]]:
    """(header, role) of each of ``headers`` that is not ``read`` and is named as a role of ``names``
    (role → its names) is, in header order: the one rule of a column left unread.

    >>> unread_columns(["id", "Team", "Grade", "Region"], ["id"], {"unit": ("team",), "level": ("grade",)})
    [('Team', 'unit'), ('Grade', 'level')]
    """
    keys = {role: role_names(role, names) for role in names}
    taken = set(read)
    found = []
    for header in headers:
        key = name_key(header)
        role = next((role for role, known in keys.items() if key in known), None)
        if header not in taken and role is not None:
            found.append((header, role))
    return found


def recognised(
    headers: Iterable[str], read: Collection[str], names: Mapping[str, Collection[str]]
) -> dict[str, str]:
    """Each role of ``names`` → the first unread header of ``headers`` named as it is
    (:func:`unread_columns`), for a map to suggest.

    >>> names = {"person_id": ("employee id",), "unit": ("dept", "team")}
    >>> recognised(["Employee ID", "Dept", "Team"], [], names)
    {'person_id': 'Employee ID', 'unit': 'Dept'}
    """
    found: dict[str, str] = {}
    for header, role in unread_columns(headers, read, names):
        found.setdefault(role, header)
    return found
