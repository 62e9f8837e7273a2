"""The accepted rows of a tie import as integer numbers, and their merging into ties.

:func:`~leadnet.importers.ties.resolve_observations` numbers each accepted row's people
and relation in the order of their names (:class:`Accepted`); :func:`aggregate` merges the
rows of one (relation, source, target) by sorting one integer key per row, and turns only
each tie's people and relation back into names. Ten million rows are never hashed as text.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from leadnet.model import normalise_ties

__all__ = ["Accepted", "aggregate"]


class Accepted(NamedTuple):
    """The accepted rows: each one's people and relation as a number, the names those numbers stand for.

    Numbers follow the sorted names, so rows sorted by number are sorted by name, and ten
    million rows are grouped as integers (:func:`aggregate`), never hashed as text.
    """

    source: np.ndarray
    """Per row, the position of its source in ``people``."""
    target: np.ndarray
    relation: np.ndarray
    """Per row, the position of its relation in ``relations``."""
    people: np.ndarray
    """Person ids, sorted."""
    relations: np.ndarray
    """Relation names, sorted: those of every row read, accepted or not (a survey's questions)."""
    weight: np.ndarray
    line: np.ndarray


def aggregate(accepted: Accepted, *, how: str, directed: bool = True) -> tuple[pd.DataFrame, int]:
    """Merge repeated (source, target, relation): weight ``how`` ("sum" or "max"), count = rows.

    Returns the normalised ties and how many rows were merged into an earlier one. The
    rows are grouped on one integer key per row made of their numbers (sorted, so the ties
    come out in the order :func:`~leadnet.model.normalise_ties` gives); only each tie's
    people and relation are turned back into names.

    >>> rows = Accepted(np.array([1, 0, 1]), np.array([0, 1, 0]), np.zeros(3, dtype=int),
    ...                 np.array(["a", "b"], dtype=object), np.array(["advice"], dtype=object),
    ...                 np.array([1.0, 2.0, 3.0]), np.array([2, 3, 4]))
    >>> ties, merged = aggregate(rows, how="max")
    >>> ties[["source", "target", "weight", "count"]].values.tolist(), merged
    ([['a', 'b', 2.0, 1], ['b', 'a', 3.0, 2]], 1)
    """
    src, dst = accepted.source, accepted.target
    if not directed and len(src):
        src, dst = np.minimum(src, dst), np.maximum(src, dst)  # numbers sort as the names do
    order, starts = _groups(accepted.relation, src, dst, (len(accepted.relations), len(accepted.people)))
    row = order[starts]  # each tie's first row names its people and relation
    grouped = pd.DataFrame(
        {
            "source": pd.Series(accepted.people[src[row]], dtype=object),
            "target": pd.Series(accepted.people[dst[row]], dtype=object),
            "relation": pd.Series(accepted.relations[accepted.relation[row]], dtype=object),
            "weight": _merged_weights(accepted.weight[order], starts, how),
            "count": np.diff(starts, append=len(order)).astype(np.int64),
        }
    )
    merged = len(src) - len(grouped)
    if not directed:
        mirror = grouped.rename(columns={"source": "target", "target": "source"})
        grouped = pd.concat([grouped, mirror[grouped.columns]], ignore_index=True)
    return normalise_ties(grouped, ordered=directed), merged


def _groups(
    relation: np.ndarray, src: np.ndarray, dst: np.ndarray, sizes: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """The rows in (relation, source, target) order, in file order within a tie, and where each tie starts.

    ``sizes`` are how many relations and people there are. The three numbers are read as
    one integer in mixed radix; before it would pass 64 bits the key so far is renumbered
    densely, in order.

    >>> order, starts = _groups(np.array([0, 0, 0]), np.array([1, 0, 1]), np.array([0, 1, 0]), (1, 2))
    >>> order.tolist(), starts.tolist()
    ([1, 0, 2], [0, 1])
    """
    key, span = relation.astype(np.int64), sizes[0]
    for column in (src, dst):
        if span * sizes[1] >= 2**63:
            key, distinct = pd.factorize(key, sort=True)
            span = len(distinct)
        key, span = key * sizes[1] + column, span * sizes[1]
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    return order, np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]])) if len(key) else order


def _merged_weights(weight: np.ndarray, starts: np.ndarray, how: str) -> np.ndarray:
    """The weight of each tie from its rows' (``weight`` in tie order, each tie from ``starts``).

    A maximum is taken by NumPy; a sum by pandas, which adds with Kahan's compensation.
    """
    if not len(starts) or len(starts) == len(weight):
        return weight.astype(float)
    if how == "max":
        return np.maximum.reduceat(weight, starts)
    ties = np.repeat(np.arange(len(starts)), np.diff(starts, append=len(weight)))
    return pd.Series(weight).groupby(ties, sort=True).agg(how).to_numpy(float)
