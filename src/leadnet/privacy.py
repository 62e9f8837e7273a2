"""Privacy rules: minimum group size with complementary suppression, and the names policy.

Every group-level figure (unit, community, level, cohort) about fewer than ``k`` people
is suppressed and shown as ``<k``. When exactly one group of a breakdown is
suppressed, the organisation-wide total minus the other groups would reveal it, so the
next smallest group is suppressed too (complementary suppression, as in statistical
disclosure control; Hundepool et al. 2012, *Statistical Disclosure Control*, ch. 5).
A figure over a few groups of a breakdown is checked against it too
(:func:`gives_back_hidden`), and a figure withheld for privacy says so in its reason
(:data:`WITHHELD_FOR_PRIVACY`). Which levels are hidden is one rule (:func:`levels_to_suppress`),
and which groups an analysis hides is worked out once, as it is built (:class:`Hidden`,
:func:`hidden_groups`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from leadnet.addresses import is_address
from leadnet.config import MIN_GROUP_SIZE_FLOOR

WITHHELD_GROUP = "withheld"
"""The group shown, person by person, for the cohort and the comparison group when a cohort
figure is suppressed: the labelled rows would give the suppressed figure back."""

WITHHELD_FOR_PRIVACY = "withheld for privacy"
"""How the reason of a figure withheld by the group-size rule begins (the figure is ``None``)."""


def address_ids(ids: Iterable[object]) -> tuple[int, int]:
    """How many of ``ids`` are e-mail addresses (:func:`~leadnet.addresses.is_address`, the rule by
    which ids are casefolded too), of how many ids.

    Any one counts: an address names its person in every output that carries the ids
    (people.csv, ties.csv, the saved ``snapshot/``), however few of the roster's ids are
    addresses, as the report's labels switch to codes for any id holding an ``@``
    (:func:`~leadnet.addresses.may_name_person`: wider on purpose, see :mod:`leadnet.addresses`).

    >>> address_ids(["ann@corp.example", "E7", "team@3", "bo@x.org"])
    (2, 4)
    """
    texts = [str(i) for i in ids]
    return sum(1 for t in texts if is_address(t)), len(texts)


def report_shows(people: Sequence[pd.DataFrame], *, show_names: bool) -> str:
    """What the report shows for the person ids of the rosters ``people`` that are e-mail
    addresses: codes, unless names are shown (``show_names`` and a ``name`` column), when it shows
    the address of anyone without a name (as :func:`leadnet.report.views.person_labels` labels them).

    >>> people = pd.DataFrame({"person_id": ["ann@x.org", "bo@x.org", "E7"], "name": ["Ann", "", None]})
    >>> report_shows([people], show_names=False), report_shows([people.iloc[:1]], show_names=True)
    ('the report shows codes', 'the report shows names')
    >>> report_shows([people, people], show_names=True)
    'the report shows names, and the address of the 1 person without one'
    """
    named = [p for p in people if "name" in p]
    if not show_names or not named:
        return "the report shows codes"
    roster = pd.concat(named).drop_duplicates("person_id")
    unnamed = roster["name"].fillna("").astype(str).str.strip() == ""
    found, _ = address_ids(roster.loc[unnamed, "person_id"])
    if not found:
        return "the report shows names"
    whose = "address of the 1 person" if found == 1 else f"addresses of the {found:,} people"
    return f"the report shows names, and the {whose} without one"


def is_withheld(reason: object) -> bool:
    """Whether a figure's reason says it is withheld for privacy (rather than not computable).

    >>> is_withheld("withheld for privacy: fewer than 5 people"), is_withheld("no ties"), is_withheld(None)
    (True, False, False)
    """
    return isinstance(reason, str) and reason.startswith(WITHHELD_FOR_PRIVACY)


def suppressed_marker(k: int) -> str:
    """The text shown instead of a suppressed figure.

    >>> suppressed_marker(5)
    '<5'
    """
    return f"<{k}"


def groups_to_suppress(sizes: pd.Series, k: int = MIN_GROUP_SIZE_FLOOR) -> pd.Series:
    """Which groups of one breakdown must be hidden.

    Groups smaller than ``k`` are hidden. Then, while only one group is hidden or the hidden
    groups hold fewer than ``k`` people together, the next smallest visible group is hidden
    too: the total minus the visible groups gives back only the hidden groups' sum, and that
    sum is never one group's size nor under ``k``.

    Parameters
    ----------
    sizes
        Group sizes indexed by group label.
    k
        The minimum group size (never below 5).

    Examples
    --------
    A unit of 3 hides itself and the next smallest unit (6):

    >>> sizes = pd.Series({"A": 3, "B": 6, "C": 40, "D": 12})
    >>> groups_to_suppress(sizes).to_dict()
    {'A': True, 'B': True, 'C': False, 'D': False}

    Levels of 1 and 2 people are both hidden, but together they are 3: the next smallest (8)
    is hidden as well.

    >>> groups_to_suppress(pd.Series({"1": 1, "2": 8, "3": 54, "6": 2})).to_dict()
    {'1': True, '2': True, '3': False, '6': True}
    """
    if k < MIN_GROUP_SIZE_FLOOR:
        raise ValueError(f"k must be at least {MIN_GROUP_SIZE_FLOOR}. Got {k} instead.")
    hide = sizes < k
    if not hide.any():
        return hide
    for label in sizes[~hide].sort_values(kind="stable").index:
        if int(hide.sum()) > 1 and float(sizes[hide].sum()) >= k:
            break
        hide[label] = True
    return hide


def communities_to_suppress(sizes: pd.Series, no_tie: np.ndarray, k: int = MIN_GROUP_SIZE_FLOOR) -> pd.Series:
    """Which communities must be hidden, when some are people with no tie (``no_tie``).

    A person with no tie is a community of one: hidden, being under ``k``, but how many such
    people there are is published (``n_isolated``), so they cover no other community; the
    rule of :func:`groups_to_suppress` runs on the clusters alone.

    Examples
    --------
    Clusters of 10, 8 and 3 and two people with no tie: hiding the 3 with the two lone people
    would give it back (23 people - 18 shown - 2 with no tie), so the 8 is hidden too.

    >>> sizes = pd.Series([10, 8, 3, 1, 1])
    >>> communities_to_suppress(sizes, np.array([False, False, False, True, True])).tolist()
    [False, True, True, True, True]
    """
    alone = np.asarray(no_tie, dtype=bool)
    return groups_to_suppress(sizes[~alone], k).reindex(sizes.index, fill_value=True)


def levels_to_suppress(
    levels: pd.Series, ranks: np.ndarray, k: int = MIN_GROUP_SIZE_FLOOR
) -> tuple[str, ...]:
    """The levels whose people are not to be told apart by level: the one rule of the level
    table's ``<k`` rows, the leadership indices' suppressed levels and every output's pooled level.

    The ranked levels (a ``ranks`` value, 1 the top) are one breakdown, in rank order (the level
    table's rows), hidden by :func:`groups_to_suppress`; the levels no one of which has a rank
    are another, in name order, hidden among themselves. A blank level is no group and is never
    listed. Returns the hidden levels, ranked ones first.

    >>> levels_to_suppress(pd.Series(["1"] + ["2"] * 8 + ["3"] * 60), np.array([1.0] + [2] * 8 + [3] * 60))
    ('1', '2')
    >>> unranked = pd.Series(["Staff"] * 40 + ["Chair"] + ["Locum"] * 4 + ["Bank"] * 9 + [""] * 2)
    >>> levels_to_suppress(unranked, np.array([1.0] * 40 + [np.nan] * 16))
    ('Chair', 'Locum')
    """
    labels = pd.Series(levels).fillna("").astype(str).reset_index(drop=True)
    rank = np.asarray(ranks, dtype=float)
    known = ~np.isnan(rank)
    by_rank = pd.DataFrame({"rank": rank[known], "level": labels[known].to_numpy()})
    counts = by_rank.groupby(["rank", "level"], sort=True).size()
    ranked = pd.Series(counts.to_numpy(), index=counts.index.get_level_values("level"), dtype="int64")
    rest = labels[~known & (labels.str.strip() != "").to_numpy() & ~labels.isin(ranked.index).to_numpy()]
    unranked = rest.value_counts().sort_index()
    hide = pd.concat([groups_to_suppress(ranked, k), groups_to_suppress(unranked, k)])
    return tuple(str(level) for level in hide.index[hide.to_numpy(dtype=bool)])


def gives_back_hidden(part: pd.Series, sizes: pd.Series, k: int = MIN_GROUP_SIZE_FLOOR) -> bool:
    """Whether a figure over the groups in ``part`` (and so over the others), shown beside the
    breakdown of ``sizes`` with :func:`groups_to_suppress`'s groups hidden, gives one back.

    The visible groups subtracted from the figure leave the hidden groups inside ``part``, and
    those outside it: each set must be empty or, as the breakdown's own rule asks, two or more
    groups holding ``k`` people together.

    Examples
    --------
    Levels 1 and 3 are hidden (3 and 2 people, 5 together). A share held by levels 1 and 2
    gives level 1's back (less level 2's, shown), and the rest's gives level 3's; a share held
    by levels 1 to 3 gives back only the two together.

    >>> sizes = pd.Series({"1": 3, "2": 10, "3": 2, "4": 100})
    >>> gives_back_hidden(pd.Series({"1": True, "2": True, "3": False, "4": False}), sizes)
    True
    >>> gives_back_hidden(pd.Series({"1": True, "2": True, "3": True, "4": False}), sizes)
    False
    """
    hidden = groups_to_suppress(sizes, k).to_numpy(dtype=bool)
    inside = part.to_numpy(dtype=bool)
    counts = sizes.to_numpy()
    for side in (inside, ~inside):
        held = counts[hidden & side]
        if len(held) and (len(held) < 2 or held.sum() < k):
            return True
    return False


def blank_groups(
    table: pd.DataFrame, hide: np.ndarray, columns: Sequence[str], k: int = MIN_GROUP_SIZE_FLOOR
) -> pd.DataFrame:
    """``table`` with the ``columns`` of the rows ``hide`` marks shown as ``<k``.

    >>> t = pd.DataFrame({"community": [0, 1], "size": [9, 1]})
    >>> blank_groups(t, np.array([False, True]), ["size"])["size"].tolist()
    [9, '<5']
    """
    out = table.copy()
    marker = suppressed_marker(k)
    for col in columns:
        out[col] = out[col].astype(object)
        out.loc[hide, col] = marker
    return out


def suppressed_groups(table: pd.DataFrame, group: str = "unit") -> tuple[str, ...]:
    """Groups (units, communities) whose figures the analysis suppressed (their ``size`` is
    text such as ``<5``).

    >>> suppressed_groups(pd.DataFrame({"unit": ["A", "B", "C"], "size": ["<5", "<5", 20]}))
    ('A', 'B')
    >>> suppressed_groups(pd.DataFrame({"community": [0, 1, 2], "size": [20, "<5", "<5"]}), "community")
    ('1', '2')
    """
    if table.empty or "size" not in table:
        return ()
    hidden = table["size"].map(lambda v: isinstance(v, str))
    return tuple(str(g) for g in table.loc[hidden.to_numpy(), group])


@dataclass(frozen=True)
class Hidden:
    """The groups of one analysis whose figures are suppressed: units and levels by name,
    communities by number (as text), and the minimum group size ``k``. The defaults hide nothing."""

    units: frozenset[str] = frozenset()
    levels: frozenset[str] = frozenset()
    communities: frozenset[str] = frozenset()
    k: int = MIN_GROUP_SIZE_FLOOR


def hidden_groups(units: pd.DataFrame, communities: pd.DataFrame, levels: Collection[str], k: int) -> Hidden:
    """The groups an analysis hides, worked out once as it is built: the units and communities its
    suppressed tables show as ``<k`` (:func:`suppressed_groups`) and the ``levels`` its leadership
    indices hide (:func:`levels_to_suppress`), the one decision every output follows.

    >>> hidden = hidden_groups(pd.DataFrame({"unit": ["A", "B", "C"], "size": ["<5", "<5", 20]}),
    ...                        pd.DataFrame({"community": [0, 1], "size": [20, "<5"]}), ("1",), 5)
    >>> sorted(hidden.units), sorted(hidden.levels), sorted(hidden.communities), hidden.k
    (['A', 'B'], ['1'], ['1'], 5)
    """
    return Hidden(
        units=frozenset(suppressed_groups(units)),
        levels=frozenset(levels),
        communities=frozenset(suppressed_groups(communities, "community")),
        k=k,
    )
