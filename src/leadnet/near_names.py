"""Names written near another: the one rule of a name's "did you mean", and which rule serves which input.

Every "did you mean" of leadnet is made by one of four rules, chosen by what is mistyped:

- **a person's id** (a survey's nominee, a manager_id, an opt-out line, a cohort file's id):
  :func:`~leadnet.near_ids.nearest`. First the one id that differs only in letter case,
  punctuation or leading zeros (:func:`~leadnet.near_ids.fold_id`: ``1`` for ``00001`` once a
  spreadsheet read the ids as numbers, which difflib rates 0.33), then the most similar id at
  difflib's ratio 0.6 (:data:`~leadnet.near_ids.ID_CUTOFF`). An id's digits are where it is
  mistyped (``E0107`` for ``E0106``), so ids differing in their digits only are suggested.
- **a name from a closed list** (a key or a closed value of ``leadnet.toml``, a column map's
  role, ``timestamp_format``'s ``auto`` and ``unix``, a level ``level_order`` does not list, a
  missing file's name among its folder's): :func:`closest`, letter case aside, at difflib's ratio
  :data:`CLOSE` (0.7: ``xml`` for ``eml``, 0.67, is a format meant, not a typo). The messages of a
  closed list name every option, so an option not named costs less than a wrong one named: below 0.7,
  ``team`` is not offered ``timestamp``, nor ``id`` ``kind``, and letter case aside, ``SENDER`` is
  offered ``sender``. A column map's key that shortens a role or holds one (``time``,
  ``sender_email``) is told it (:func:`role_meant`). Two names that differ only in their numbers are
  two things, never a typo of one (:func:`other_numbers`): ``Level 5`` beside ``Level 4``,
  ``wave2.csv`` for a missing ``wave3.csv``.
- **a relation** (``advice`` looked for, ``Advice`` held): :func:`~leadnet.spellings.near_spellings`,
  every value another letter case or one edit away. A relation is matched exactly, letter case
  included, so each spelling a snapshot holds is named, not one best; and relations are short
  words that differ by little (difflib rates ``advice`` and ``device`` 0.83).
- **a file's header** for a role it lacks (:mod:`~leadnet.importers.table_files`,
  :mod:`~leadnet.importers.email_columns`; a cohort file's header like ``group``,
  :mod:`~leadnet.cohort_file`): difflib at 0.5 or 0.6 over the headers the file has.
  Exports write headers freely (``Nominee Name`` for ``nominee``), and the guess is only the header
  a map or a rename could name, among the few of one file, which the reader sees listed beside it.

A missing file's name (:mod:`~leadnet.importers.path_fixes`) is compared by its stem among the
folder's files of its suffix (``optout.csv`` is not ``cohort.csv``, though difflib rates the whole
names 0.7 for their shared ``.csv``), else by its suffix among the files of its stem (``wave3.cvs``
for ``wave3.csv``), by :func:`closest`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

CLOSE = 0.7
"""How alike (difflib's ratio) a word and an option must be for "did you mean": ``sed`` and ``seed``
are 0.86, ``memberships`` and ``membership`` 0.95, but ``xml`` and ``eml`` only 0.67, a format
meant, not a typo."""
_NUMBER = re.compile(r"\d+")


def other_numbers(first: str, second: str) -> bool:
    """Whether two names, letter case aside, are alike but for their numbers, and those differ: two
    things numbered (a wave, a level), not one mistyped. A number's zero padding is no difference.

    >>> other_numbers("Level 5", "level 4"), other_numbers("Band 10", "Band 1"), other_numbers("w", "w2")
    (True, True, True)
    >>> other_numbers("wave03", "wave3"), other_numbers("Staf", "Staff"), other_numbers("wave3", "Wave3")
    (False, False, False)
    """
    one, two = first.casefold(), second.casefold()
    if _NUMBER.sub("", one) != _NUMBER.sub("", two):
        return False
    return [int(n) for n in _NUMBER.findall(one)] != [int(n) for n in _NUMBER.findall(two)]


def closest(word: str, options: Sequence[str]) -> str | None:
    """The option ``word`` most likely means, letter case aside (a key, a value of a closed set, a role,
    a level, a file's name), or None: the one rule of every "did you mean" of a name. An option that
    differs from ``word`` only in its numbers is never meant (:func:`other_numbers`).

    >>> closest("sed", ["seed", "engine"]), closest("Wide", ["long", "wide"]), closest("x", ["long"])
    ('seed', 'wide', None)
    >>> closest("wave3", ["wave2"]), closest("Level 5", ["Level 4", "Levl 5"])
    (None, 'Levl 5')
    """
    kept = [option for option in options if not other_numbers(word, option)]
    folded = {option.casefold(): option for option in reversed(kept)}
    close = difflib.get_close_matches(word.casefold(), list(folded), n=1, cutoff=CLOSE)
    return folded[close[0]] if close else None


def question(name: str) -> str:
    """``did you mean "…"?`` of the ``name`` meant: the one wording of a name's "did you mean".

    >>> question("Staff")
    'did you mean "Staff"?'
    """
    return f'did you mean "{name}"?'


def meant(word: str, options: Sequence[str]) -> str:
    """`` (did you mean "…"?)`` naming the option ``word`` most likely means (:func:`closest`), or ``""``."""
    close = closest(word, options)
    return f" ({question(close)})" if close is not None else ""


def role_meant(word: str, roles: Sequence[str]) -> str:
    """`` (did you mean "…"?)`` for a column map's key that is no role: the closest role
    (:func:`closest`), else the role it shortens or spells out, letter case aside: ``time`` for
    ``timestamp`` (a key of three letters or more that begins one role), ``sender_email`` for ``sender``
    (the longest role of three letters or more it holds, ``sender``, not ``end``), ``start_date`` for
    ``start``; else ``""``. A column map's message lists every role, so a role not named costs less than
    a wrong one named: ``id`` is offered neither ``kind`` nor ``message_id``, ``team`` not ``timestamp``.

    >>> role_meant("time", ["sender", "timestamp"]), role_meant("Sender_Email", ["sender", "end"])
    (' (did you mean "timestamp"?)', ' (did you mean "sender"?)')
    >>> role_meant("id", ["kind", "message_id"]), role_meant("team", ["timestamp"])
    ('', '')
    """
    hint = meant(word, roles)
    if hint:
        return hint
    folded = word.casefold()
    shortened = [role for role in roles if len(folded) >= 3 and role.startswith(folded)]
    held = sorted((role for role in roles if len(role) >= 3 and role in folded), key=len, reverse=True)
    if len(shortened) == 1:
        return f" ({question(shortened[0])})"
    if held and (len(held) == 1 or len(held[0]) > len(held[1])):
        return f" ({question(held[0])})"
    return ""
