"""Ids written two ways: the one person a spelling most likely means, when it differs from theirs only in
letter case, punctuation or leading zeros.

``E166`` for ``E0166``, ``e0166`` or ``E-0166``; ``1`` for ``00001`` once a spreadsheet read the
ids as numbers. No similarity of the texts finds the last (``difflib`` rates ``1`` and ``00001``
0.33), and a manager_id or an opt-out written so must be corrected, not taken for someone outside
the roster. :func:`fold_id` is the one rule: :class:`~leadnet.importers.identity.Resolver`'s
"did you mean" (``near``), :mod:`~leadnet.importers.managers` and
:mod:`~leadnet.importers.exclusions` use it. :func:`did_you_mean` is the one wording of the id a
spelling most likely means, in every message that gives it (an unknown person, manager or cohort
member), and :data:`NEAR_UNNAMED` says that one is like it where no id may be named (an opt-out line).
"""

from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"[\W_]+")
_LEADING_ZEROS = re.compile(r"(?<!\d)0+(?=\d)")


def fold_id(key: str) -> str:
    """A spelling without letter case, punctuation or leading zeros: two spellings that fold alike
    are most likely one id written two ways (``E166`` for ``E0166``, or ``1`` for ``00001`` once a
    spreadsheet read the ids as numbers).

    >>> fold_id("E-0001"), fold_id("e1"), fold_id("00123"), fold_id("E1000"), fold_id("Mei.Taylor@X.org")
    ('e1', 'e1', '123', 'e1000', 'meitaylorxorg')
    """
    return _LEADING_ZEROS.sub("", _PUNCTUATION.sub("", key.casefold()))


def zeros_dropped(text: str, person_id: str) -> bool:
    """Whether ``text`` is the id ``person_id`` of digits with its leading zeros gone, as a spreadsheet
    leaves an id it read as a number.

    >>> zeros_dropped("1", "00001"), zeros_dropped("E166", "E0166"), zeros_dropped("1", "1")
    (True, False, False)
    """
    return text != person_id and text.isdigit() and person_id.isdigit() and text == person_id.lstrip("0")


ZEROS_HINT = (
    "Its leading zeros are missing, as when a spreadsheet reads ids as numbers: keep the column as text"
)
"""What the "did you mean" of an id whose leading zeros were dropped adds."""


NEAR_UNNAMED = (
    "a roster id, e-mail address or alias differs from it only in letter case, punctuation or leading zeros"
)
"""What a message says of a spelling a roster spelling differs from as :func:`fold_id` allows, when no
roster id may be named (an opt-out list's line, or any while the opt-out list cannot be read)."""


def did_you_mean(text: str, meant: str, why: str = "") -> str:
    """The phrase naming the roster id ``meant`` that the spelling ``text`` most likely means, with
    ``why`` it matters, and :data:`ZEROS_HINT` when a spreadsheet dropped its leading zeros (where no
    id may be named, messages say :data:`NEAR_UNNAMED` instead).

    >>> did_you_mean("E19", "E18")
    'did you mean "E18"?'
    >>> print(did_you_mean("166", "0166", 'left as it is, "0166" would manage no one'))
    ... # doctest: +NORMALIZE_WHITESPACE
    did you mean "0166"? Left as it is, "0166" would manage no one. Its leading zeros are missing, as
    when a spreadsheet reads ids as numbers: keep the column as text
    """
    sentences = [why[:1].upper() + why[1:]] if why else []
    if zeros_dropped(text, meant):
        sentences.append(ZEROS_HINT)
    return " ".join([f'did you mean "{meant}"?', ". ".join(sentences)]).rstrip()
