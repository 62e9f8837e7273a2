"""Distributed leadership: the shares held below the top formal levels, and when they are withheld.

The share of in-degree (and of PageRank) received by people below the top ``top_levels``
levels (``level_rank`` 1 = top), read against the share of people there
(``people_share_outside_top``, what an even spread would give). These are figures about two
groups, the top levels and the people below them: when either has fewer than ``k`` people
both are hidden, by the rule of :func:`leadnet.privacy.groups_to_suppress`, since 1 − share
times the ties is the top's nominations (a chief executive's alone, when the top is one
person). Org-wide they are withheld, too, when set against the table of influence by level
they would give back a level hidden there (:func:`leadnet.privacy.gives_back_hidden`).

References
----------
Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley, ch. 5.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadnet.privacy import WITHHELD_FOR_PRIVACY, gives_back_hidden, groups_to_suppress

HEADCOUNT = "people_share_outside_top"
"""The share of people below the top: 0 when everyone is at the top, a fact, not a share of nothing."""
NO_KNOWN_LEVEL = (
    "no one has a known level (a roster level ranks when it is a number, or when [people] level_order "
    "lists the text levels, top first)"
)


def shares_outside_top(
    in_degree: np.ndarray,
    pagerank: np.ndarray,
    ranks: np.ndarray,
    top_levels: int,
    where: str,
    reasons: dict[str, str],
    withheld: str | None,
) -> dict[str, float | None]:
    """The shares of in-degree, PageRank and people below the top levels; ``withheld`` is the
    reason they are hidden for privacy, if they are."""
    values = {
        "leadership_share_outside_top": in_degree,
        "pagerank_share_outside_top": pagerank,
        HEADCOUNT: np.ones(len(ranks)),  # what an even spread would give: the headcount
    }
    return {
        key: share_outside_top(column, ranks, top_levels, where, reasons, key, withheld)
        for key, column in values.items()
    }


def share_outside_top(
    values: np.ndarray,
    ranks: np.ndarray,
    top_levels: int,
    where: str,
    reasons: dict[str, str],
    key: str = "leadership_share_outside_top",
    withheld: str | None = None,
) -> float | None:
    """Share of ``values`` held by people below the top levels, among people with a known level.

    When everyone with a known level is at the top there is no one below it to hold a share: the
    share is None with :func:`everyone_at_top`'s reason, not 0 (the headcount's share is 0).

    >>> reasons = {}
    >>> share_outside_top(np.array([3.0, 1.0]), np.array([1.0, 2.0]), 2, "by_unit[Board].", reasons)
    >>> print(reasons["by_unit[Board].leadership_share_outside_top"])  # doctest: +NORMALIZE_WHITESPACE
    everyone with a known level in this unit is in the top 2 levels, so no one is outside them to hold
    a share (top_levels in leadnet.toml sets how many levels count as the top)
    """
    known = ~np.isnan(ranks)
    total = values[known].sum()
    if not known.any():
        reasons[where + key] = NO_KNOWN_LEVEL
        return None
    if withheld is not None:
        reasons[where + key] = withheld
        return None
    below = known & (ranks > top_levels)
    if key != HEADCOUNT and not below.any():
        reasons[where + key] = everyone_at_top(top_levels, "in this unit " if where else "")
        return None
    if total <= 0:
        reasons[where + key] = "no influence received by people with a known level"
        return None
    return float(values[below].sum() / total)


def everyone_at_top(top_levels: int, scope: str = "") -> str:
    """Why there is no share outside the top: no one with a known level is below it.

    >>> print(everyone_at_top(1))  # doctest: +NORMALIZE_WHITESPACE
    everyone with a known level is in the top level, so no one is outside it to hold a share
    (top_levels in leadnet.toml sets how many levels count as the top)
    """
    them = "it" if top_levels == 1 else "them"
    return (
        f"everyone with a known level {scope}is in {_top_words(top_levels)}, so no one is outside {them} to "
        "hold a share (top_levels in leadnet.toml sets how many levels count as the top)"
    )


def _top_words(top_levels: int) -> str:
    return "the top level" if top_levels == 1 else f"the top {top_levels} levels"


def split_withheld(ranks: np.ndarray, top_levels: int, k: int, where: str = "") -> str | None:
    """Why the shares outside the top are withheld, or None: the top levels and the people below
    them (with a known level) are two groups, both hidden when either is under k
    (:func:`leadnet.privacy.groups_to_suppress`); a side with no one in it is no group.

    >>> split_withheld(np.array([1.0, 2, 2, 2, 2, 3, 3, 3, 3, 3]), 2, 5) is None
    True
    >>> print(split_withheld(np.array([1.0, 2, 2, 2, 2, 3, 3, 3, 3, 3]), 1, 5))
    ... # doctest: +NORMALIZE_WHITESPACE
    withheld for privacy: either the top level or the people below it number fewer than 5, and the
    share would give back figures about fewer than 5 people (minimum group size)
    """
    known = ranks[~np.isnan(ranks)]
    sizes = pd.Series([int((known <= top_levels).sum()), int((known > top_levels).sum())])
    if not groups_to_suppress(sizes[sizes > 0], k).any():
        return None
    them = "it" if top_levels == 1 else "them"
    return (
        f"{WITHHELD_FOR_PRIVACY}: {where}either {_top_words(top_levels)} or the people below {them} "
        f"number fewer than {k}, and the share would give back figures about fewer than {k} people "
        "(minimum group size)"
    )


def org_withheld(ranks: np.ndarray, by_level: pd.DataFrame, top_levels: int, k: int) -> str | None:
    """Why the org-wide shares outside the top are withheld, or None: the two groups are too
    small (:func:`split_withheld`), or, set against the level table, the shares would give
    back the figures of levels hidden there."""
    split = split_withheld(ranks, top_levels, k)
    if split is not None:
        return split
    if gives_back_hidden(by_level["level_rank"] <= top_levels, by_level["size"], k):
        return (
            f"{WITHHELD_FOR_PRIVACY}: beside the table of influence by level it would give back the "
            f"figures of levels hidden there (minimum group size {k})"
        )
    return None
