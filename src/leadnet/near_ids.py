"""Ids written two ways: the one person a spelling most likely means, when it differs from theirs only in
letter case, punctuation or leading zeros.

``E166`` for ``E0166``, ``e0166`` or ``E-0166``; ``1`` for ``00001`` once a spreadsheet read the
ids as numbers. No similarity of the texts finds the last (``difflib`` rates ``1`` and ``00001``
0.33), and a manager_id or an opt-out written so must be corrected, not taken for someone outside
the roster. :func:`fold_id` is the one rule: :class:`~leadnet.importers.identity.Resolver`'s
"did you mean" (``near``), :mod:`~leadnet.importers.managers` and
:mod:`~leadnet.importers.exclusions` use it. :func:`nearest` is the one "did you mean" of an id, an
importer's (``Resolver.suggest``) and a cohort file's alike: the id that folds alike, else the most
similar (which rule serves which input, and why: :mod:`leadnet.near_names`). :func:`did_you_mean` is
the one wording of the id a spelling most likely means, in every message that gives it (an unknown
person, manager or cohort member), and :data:`NEAR_UNNAMED` says that one is like it where no id may
be named (an opt-out line).
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Collection, Mapping

from leadnet.near_names import question

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


ID_CUTOFF = 0.6
"""How alike (difflib's ratio) an id and a known spelling must be for "did you mean" when none folds
alike: ``E0107`` and ``E0106`` are 0.8, ``E19`` and ``E18`` 0.67, so lower than a name's 0.7
(:data:`~leadnet.near_names.CLOSE`), under which short ids one keystroke apart would get none."""


def folded_ids(spellings: Mapping[str, str]) -> dict[str, str | None]:
    """Each spelling's :func:`fold_id` → the id it names (``spellings``: spelling → id), ``None`` where
    spellings of two ids fold alike (neither is meant more than the other).

    >>> folded_ids({"E-1": "E-1", "E1": "E1", "e0166": "E0166", "mei@x.org": "E0166"})
    {'e1': None, 'e166': 'E0166', 'meixorg': 'E0166'}
    """
    folded: dict[str, str | None] = {}
    for spelling, pid in spellings.items():
        fold = fold_id(spelling)
        folded[fold] = pid if folded.setdefault(fold, pid) == pid else None
    return folded


def nearest(
    text: str,
    spellings: Mapping[str, str],
    folded: Mapping[str, str | None] | None = None,
    *,
    search: bool = True,
    unnamed: Collection[str] = (),
) -> str | None:
    """The id ``text`` most likely means, for a "did you mean": the one id a spelling of which (in
    ``spellings``: spelling → id) folds as ``text`` does (:func:`fold_id`, a lookup in ``folded``, made
    of ``spellings`` by :func:`folded_ids` when not given), or as ``text`` does with the letters that
    look like digits read as those (``E0O06`` for ``E0006``); else, with ``search``, the id of the most
    similar spelling (difflib's ratio at least :data:`ID_CUTOFF`, a scan of ``spellings``); else None.

    ``unnamed`` are the spellings of people who opted out: when ``text`` folds as one of them does,
    :data:`NEAR_UNNAMED` is the answer, and when one of them is at least as similar as the most similar
    spelling, :data:`LIKE_UNNAMED`: searching on would name someone else, most likely wrongly.

    >>> ids = {p: p for p in ["00001", "00002", "E0166", "E0106", "E0006", "E0506"]}
    >>> nearest("1", ids), nearest("E166", ids), nearest("E0107", ids), nearest("E0107", ids, search=False)
    ('00001', 'E0166', 'E0106', None)
    >>> nearest("E0O06", ids), nearest("E0O06", ids, unnamed={"E0006"}) == NEAR_UNNAMED
    ('E0006', True)
    >>> nearest("E0167", ids, unnamed={"E0168"}) == LIKE_UNNAMED
    True
    """
    folds = folded_ids(spellings) if folded is None else folded
    hidden, unnamed_listed = _hidden(frozenset(unnamed))
    for fold in dict.fromkeys((fold_id(text), fold_id(text.casefold().translate(_LOOKALIKE)))):
        if fold in hidden:
            return NEAR_UNNAMED
        if folds.get(fold) is not None:
            return folds[fold]
    if not search:
        return None
    close = difflib.get_close_matches(text, list(spellings), n=1, cutoff=ID_CUTOFF)
    if unnamed_listed and difflib.get_close_matches(text, unnamed_listed, n=1, cutoff=_ratio(text, close)):
        return LIKE_UNNAMED
    return spellings[close[0]] if close else None


@functools.lru_cache(maxsize=8)
def _hidden(unnamed: frozenset[str]) -> tuple[frozenset[str], tuple[str, ...]]:
    """The folds of the spellings of people who opted out, and the spellings listed for difflib: worked
    out once per opt-out list (an importer asks :func:`nearest` once per distinct unknown id)."""
    return frozenset(fold_id(key) for key in unnamed), tuple(sorted(unnamed))


_LOOKALIKE = str.maketrans({"o": "0", "i": "1", "l": "1"})
"""The letters read as the digits they look like, for a second lookup of an id that folds as none."""


def _ratio(text: str, close: list[str]) -> float:
    """How alike ``text`` and the one spelling in ``close`` are (:data:`ID_CUTOFF` without one)."""
    return difflib.SequenceMatcher(None, text, close[0]).ratio() if close else ID_CUTOFF


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


LIKE_UNNAMED = "a roster id, e-mail address or alias is much like it"
"""What a message says of a spelling most like a spelling of someone who opted out (:func:`nearest`)."""
_UNNAMED = (NEAR_UNNAMED, LIKE_UNNAMED)


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
    if meant in _UNNAMED:  # the id of someone who opted out: not named
        return f"{meant}: check it against the roster and write it as the roster does"
    sentences = [why[:1].upper() + why[1:]] if why else []
    if zeros_dropped(text, meant):
        sentences.append(ZEROS_HINT)
    return " ".join([question(meant), ". ".join(sentences)]).rstrip()
