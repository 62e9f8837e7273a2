"""Values written two ways: one word in another letter case, or one slip of the keyboard away.

A relation is matched exactly, letter case included (``Advice`` is not ``advice``), so a
message about a relation that is missing names the values that are most likely the one
meant (:func:`near_spellings`), for the reader to write one way everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable


def one_edit_apart(first: str, second: str) -> bool:
    """Whether two different words become one by a letter added, dropped or changed, or two
    neighbouring letters swapped (an optimal string alignment distance of 1).

    >>> one_edit_apart("advice", "advise"), one_edit_apart("advice", "adivce")
    (True, True)
    >>> one_edit_apart("advice", "advic"), one_edit_apart("advice", "advicee")
    (True, True)
    >>> one_edit_apart("advice", "device"), one_edit_apart("advice", "advice")
    (False, False)
    """
    if first == second or abs(len(first) - len(second)) > 1:
        return False
    if len(first) > len(second):
        first, second = second, first
    start = next((i for i, (a, b) in enumerate(zip(first, second, strict=False)) if a != b), len(first))
    if len(first) < len(second):  # one letter added
        return first[start:] == second[start + 1 :]
    if first[start + 1 :] == second[start + 1 :]:  # one letter changed
        return True
    swapped = first[start : start + 2] == second[start : start + 2][::-1]
    return swapped and first[start + 2 :] == second[start + 2 :]


def near_spellings(word: str, candidates: Iterable[str]) -> list[str]:
    """The ``candidates`` that are ``word`` written another way: in another letter case, or, letter
    case aside, one edit from it (:func:`one_edit_apart`); each once, in the order given.

    >>> near_spellings("advice", ["Advice", "collaboration", "advise", "advice", "email"])
    ['Advice', 'advise']
    >>> near_spellings("advice", ["trust"])
    []
    """
    folded = word.casefold()
    found = [
        c
        for c in candidates
        if c != word and (c.casefold() == folded or one_edit_apart(c.casefold(), folded))
    ]
    return list(dict.fromkeys(found))
