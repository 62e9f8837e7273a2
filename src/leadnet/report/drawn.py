"""Who the network view draws, and under which entry of its legend.

The view draws people, so what it shows of a group must be no more than the tables show: the
units and levels whose figures are suppressed are drawn as the outputs show them, one pooled entry
(:func:`drawn_people`, by :func:`leadnet.report.disclosure.pool`), the communities likewise one
entry of the legend (:func:`community_codes`), and the pooled unit and the people of no unit hide
their headcount when under ``k`` (:func:`hidden_entries`). The people of no unit and the pooled
outside world are entries that are no unit (:data:`NO_UNIT`, :data:`OUTSIDE_UNIT`), named apart
in the overview's words (:func:`overview_words`); the outside world is drawn only when a tie drawn
touches it (:func:`drawn_vertices`). Above :data:`NETWORK_PEOPLE` people the view holds the
largest units only (:func:`network_scope`). Building the drawing from these decisions is
:mod:`.graph`'s.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from leadnet.groups import NO_UNIT, OUTSIDE_UNIT, POOLED_UNITS, roster_unit_labels
from leadnet.privacy import Hidden
from leadnet.report.disclosure import pool
from leadnet.report.numbers import people_words, units_words
from leadnet.report.tables import NO_TIE

NETWORK_PEOPLE = 100_000
"""Above this many people the network view holds the largest units, up to this many people."""

OUTSIDE_WORDS = "Every address no roster lists, drawn as one: not a unit, in no unit's figures"


def network_scope(
    units: np.ndarray, away: np.ndarray | None = None, limit: int = NETWORK_PEOPLE
) -> tuple[np.ndarray, str | None]:
    """Who the network view holds: everyone, or the people of the largest units up to ``limit``.

    ``units`` are the roster's unit labels in person order (``groups.roster_unit_labels``: ``None``
    for a person of no unit and for the pooled outside world, ``away``). Returns a mask over them
    and a note for the reader when some are left out (the page of a million people would not open;
    every figure still covers everyone). Only units are ranked and counted: the people of no unit
    are no unit and are left out with the smaller units; the pooled outside world, one vertex, is
    kept, so its ties with the people shown are drawn.

    >>> units = np.array(["a", "a", "b", "c", "c", "c", None, None], dtype=object)
    >>> mask, note = network_scope(units, np.array([0, 0, 0, 0, 0, 0, 0, 1], bool), limit=5)
    >>> mask.tolist()
    [True, True, False, True, True, True, False, True]
    >>> note
    'The network view shows the 2 largest of 3 units (5 of 7 people; people with no unit not shown).'
    """
    away = np.zeros(len(units), dtype=bool) if away is None else np.asarray(away, dtype=bool)
    if len(units) <= limit:
        return np.ones(len(units), dtype=bool), None
    labels = pd.Series(units, dtype=object)
    sizes = labels.dropna().astype(str).value_counts(sort=False)
    sizes = sizes.iloc[np.lexsort((sizes.index.to_numpy(), -sizes.to_numpy()))]
    kept = sizes.index[: max(1, int(np.searchsorted(np.cumsum(sizes.to_numpy()), limit, side="right")))]
    mask = (labels.notna() & labels.astype(str).isin(kept)).to_numpy() | away
    unitless = bool((labels.isna().to_numpy() & ~away).any())
    note = (
        f"The network view shows the {len(kept):,} largest of {units_words(len(sizes))} "
        f"({int(mask[~away].sum()):,} of {people_words(int((~away).sum()))}"
        f"{'; people with no unit not shown' if unitless else ''})."
    )
    return mask, note


def drawn_people(people: pd.DataFrame, hidden: Hidden, outside: Sequence[str] = ()) -> pd.DataFrame:
    """``people`` with each one's entry of the view as their unit, and their level as shown.

    The network view draws people; were a suppressed unit drawn under its own name, its
    people could be counted on screen. Pooled as the outputs pool them
    (:func:`leadnet.report.disclosure.pool`), the view shows what the tables show: the hidden
    groups together (at least ``k`` people, :func:`leadnet.privacy.groups_to_suppress`).
    People whose unit is unknown are shown as :data:`NO_UNIT`, which no table lists, and the
    pooled outside world (``outside``, ids) as :data:`OUTSIDE_UNIT`, in no unit.

    >>> p = pd.DataFrame({"person_id": ["a", "t", "b", "u", "external"],
    ...                   "unit": ["A", "Tiny", "B", "", "(external)"], "level": ["1", "2", "2", "2", ""]})
    >>> drawn = drawn_people(p, Hidden(units=frozenset({"Tiny", "B"}), levels=frozenset({"1"})), ["external"])
    >>> drawn["unit"].tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['A', 'Units pooled for privacy', 'Units pooled for privacy', 'no unit in the roster',
     'outside the roster (pooled)']
    >>> drawn["level"].tolist()
    ['not shown (privacy)', '2', '2', '2', '']
    """
    unknown = pd.isna(roster_unit_labels(people, outside))  # as the analysis: a roster of no units is one
    away = (
        people["person_id"].astype(str).isin(list(outside)) if len(outside) else np.zeros(len(people), bool)
    )
    pooled = pool(people, hidden)
    return pooled.assign(
        unit=pooled["unit"].astype(str).mask(unknown, NO_UNIT).mask(away, OUTSIDE_UNIT),
        level=pooled["level"].astype(str),
    )


def hidden_entries(entries: pd.Series, min_group_size: int) -> list[str]:
    """The entries whose headcount the view hides: the pooled unit (:data:`POOLED_UNITS`) and the
    people of no unit (:data:`NO_UNIT`), each when it holds fewer than ``min_group_size`` people
    (``entries``: each person's, :func:`drawn_people`). The pooled outside world is no group
    of people, so never hidden.

    >>> hidden_entries(pd.Series(["A"] * 5 + [POOLED_UNITS] * 5 + [NO_UNIT, OUTSIDE_UNIT]), 5)
    ['no unit in the roster']
    """
    counts = entries.value_counts()
    return [name for name in (POOLED_UNITS, NO_UNIT) if 0 < counts.get(name, 0) < min_group_size]


def drawn_vertices(people: pd.DataFrame, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Who the network view draws, in the order of ``people`` (units already pooled,
    :func:`drawn_people`): everyone, but the pooled outside world (:data:`OUTSIDE_UNIT`) only
    when a tie drawn (``src``, ``dst``: vertex indices, -1 none) touches it.

    The view draws one relation; e-mail alone has ties with the outside world, so beside an advice
    survey as the primary relation it was a node of "0 ties with the organisation", as if the
    organisation wrote to no one outside.

    >>> p = pd.DataFrame({"unit": ["A", "A", OUTSIDE_UNIT]})
    >>> drawn_vertices(p, np.array([0]), np.array([1])).tolist()
    [True, True, False]
    >>> drawn_vertices(p, np.array([0, 1]), np.array([1, 2])).tolist()
    [True, True, True]
    """
    touched = np.bincount(np.concatenate([src[src >= 0], dst[dst >= 0]]), minlength=len(people)) > 0
    return touched | (people["unit"].astype(str).to_numpy() != OUTSIDE_UNIT)


def overview_words(units: np.ndarray, shown: pd.Series) -> str:
    """What the unit overview draws, in words: the roster's units (``units``, each person's), those
    pooled for privacy among them, then the entries that are no unit (``shown``, each person's entry,
    :func:`drawn_people`): the people of no unit and the pooled outside world.

    >>> units = np.array(["A", "A", "B", "C", "", "(external)"])
    >>> shown = pd.Series(["A", "A", POOLED_UNITS, POOLED_UNITS, NO_UNIT, OUTSIDE_UNIT])
    >>> overview_words(units, shown)
    '3 units (2 of them pooled for privacy), plus people with no unit and the pooled outside world'
    >>> overview_words(units[:4], pd.Series(units[:4])), overview_words(units[:1], shown[:1])
    ('3 units', '1 unit')
    """
    entry = shown.astype(str).to_numpy()
    real = (entry != NO_UNIT) & (entry != OUTSIDE_UNIT)
    pooled = np.unique(units[entry == POOLED_UNITS]).size
    words = units_words(np.unique(units[real]).size)
    words += f" ({pooled} of them pooled for privacy)" if pooled else ""
    away = " and the pooled outside world" if (entry == OUTSIDE_UNIT).any() else ""
    return f"{words}, plus people with no unit{away}" if (entry == NO_UNIT).any() else words + away


POOLED_COMMUNITIES = "Communities pooled for privacy"
OUTSIDE_WORLD = "outside world (in no community)"
"""The entry of the pooled outside world (``external = "pool"``): a contact, in no community."""


def community_codes(
    people: pd.DataFrame, alone: np.ndarray, hidden: Sequence[int] = ()
) -> tuple[list[str], np.ndarray]:
    """The legend of "colour by community" and each person's entry in it.

    The communities whose figures are suppressed (``hidden``) are one entry, as the hidden units
    are one unit (:func:`drawn_people`): drawn apart, their people
    could be counted. People with no tie (``alone``: no tie to another person of the roster,
    :func:`leadnet.report.tables.isolated`, the summary's ``n_isolated``), each a community of
    one, are one entry too, :data:`~leadnet.report.tables.NO_TIE`, whether or not they write to
    the pooled outside world. A vertex whose community is missing is the pooled outside world,
    which belongs to none (:mod:`leadnet.roster_communities`): its own entry, :data:`OUTSIDE_WORLD`.

    >>> p = pd.DataFrame({"community": [0, 0, 1, 1, 2, 3, 4]})
    >>> names, codes = community_codes(p, np.array([0, 0, 0, 0, 0, 1, 1], dtype=bool), hidden=[1, 2, 3, 4])
    >>> names, codes.tolist()
    (['community 0', 'Communities pooled for privacy', 'no tie'], [0, 0, 1, 1, 1, 2, 2])

    The pooled outside world (community missing) and a person whose only tie is with it:

    >>> pooled = pd.DataFrame({"community": pd.array([0, 0, 1, None], dtype="Int64")})
    >>> names, codes = community_codes(pooled, np.array([0, 0, 1, 0], dtype=bool), hidden=[1])
    >>> names, codes.tolist()
    (['community 0', 'no tie', 'outside world (in no community)'], [0, 0, 1, 2])
    """
    number = pd.to_numeric(people["community"], errors="coerce")
    in_none = number.isna().to_numpy()
    community = number.fillna(-1).astype(int).to_numpy()
    no_tie = np.asarray(alone, dtype=bool) & ~in_none
    pooled = np.isin(community, np.asarray(hidden, dtype=int)) & ~no_tie & ~in_none
    shown = np.unique(community[(community >= 0) & ~pooled & ~no_tie])
    names = [f"community {c}" for c in shown]
    codes = np.searchsorted(shown, community)
    for name, members in ((POOLED_COMMUNITIES, pooled), (NO_TIE, no_tie), (OUTSIDE_WORLD, in_none)):
        if members.any():
            codes[members] = len(names)
            names.append(name)
    return names, codes
