"""Group labels of people (formal units, communities) as integer codes, and unknown groups.

A person's group may be *unknown*: a missing label (``None``, ``NaN``) or, among integer
codes, a negative one (``-1``, as :func:`pandas.factorize` marks a missing value). Every
measure between groups leaves unknown groups out: a tie with an end in an unknown group is
neither inside a group nor between two, and the person has no group to be compared with.
It is never one more group.

The roster says a unit is unknown by leaving it blank, but only where it gives units at
all: :func:`unit_labels` turns a blank unit into a missing label when someone else has a
unit, and leaves a roster without units as one unit (the whole organisation), as before.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

UNKNOWN = -1
"""The code of an unknown group in :func:`group_codes`."""

POOLED_UNITS = "Units pooled for privacy"
"""What every output and the network view show for a unit hidden for privacy."""
POOLED_LEVEL = "not shown (privacy)"
"""What every output and the network view show for a level hidden for privacy."""
NO_UNIT = "no unit in the roster"
"""The network view's entry of people whose unit is unknown (blank where others have one): not a unit."""
OUTSIDE_UNIT = "outside the roster (pooled)"
"""The network view's entry of the pooled outside world (``external = "pool"``, unit
:data:`EXTERNAL_UNIT`): not a unit."""
EXTERNAL_UNIT = "(external)"
"""The unit of the one person an e-mail source with ``external = "pool"`` makes of everyone outside
the organisation."""

RESERVED_UNITS = {
    POOLED_UNITS: "the units the outputs pool for privacy",
    NO_UNIT: "the people of no unit, in the network view",
    OUTSIDE_UNIT: "the outside world, in the network view",
    EXTERNAL_UNIT: 'the one person external = "pool" makes of everyone outside the organisation',
}
"""The labels the outputs give groups that are no unit of the roster, each with whom it stands for:
a roster unit of one of these names (in any letter case) would be shown as one with them."""
RESERVED_LEVELS = {POOLED_LEVEL: "the levels the outputs hide for privacy"}
"""The labels the outputs give levels that are no level of the roster, as :data:`RESERVED_UNITS`."""


def unknown_groups(groups: np.ndarray) -> np.ndarray:
    """Whether each label is unknown: missing (``None``, ``NaN``) or a negative integer code.

    Examples
    --------
    >>> unknown_groups(np.array(["a", None, "b"], dtype=object)).tolist()
    [False, True, False]
    >>> unknown_groups(np.array([0, -1, 2])).tolist(), unknown_groups(np.array([1.0, np.nan])).tolist()
    ([False, True, False], [False, True])
    """
    values = np.asarray(groups).ravel()
    if values.dtype.kind in "iu":
        return values < 0
    if values.dtype.kind in "fcOmM":
        return np.asarray(pd.isna(values), dtype=bool)
    return np.zeros(len(values), dtype=bool)


def group_codes(groups: np.ndarray) -> tuple[list[object], np.ndarray]:
    """The distinct known labels, sorted (object labels as text), and each person's index
    into them: :data:`UNKNOWN` (``-1``) where the group is unknown.

    Examples
    --------
    >>> group_codes(np.array(["v", None, "u", "v"], dtype=object))
    (['u', 'v'], array([ 1, -1,  0,  1]))
    """
    values = np.asarray(groups).ravel()
    unknown = unknown_groups(values)
    known = values[~unknown]
    if known.dtype == object:
        known = known.astype(str)
    labels, inverse = np.unique(known, return_inverse=True)
    codes = np.full(len(values), UNKNOWN, dtype=np.int64)
    codes[~unknown] = inverse.ravel()
    return labels.tolist(), codes


def unit_labels(units: pd.Series | np.ndarray) -> np.ndarray:
    """The roster's units as group labels: a blank unit is unknown (``None``) when anyone has one.

    A roster with no unit at all is one organisation-wide unit: nothing is unknown then.

    Examples
    --------
    >>> unit_labels(pd.Series(["Lab", "", "Ops"])).tolist(), unit_labels(pd.Series(["", ""])).tolist()
    (['Lab', None, 'Ops'], ['', ''])
    """
    text = pd.Series(units, dtype=object).fillna("").astype(str)
    blank = (text == "").to_numpy()
    labels = text.to_numpy(dtype=object)
    if not blank.all():
        labels[blank] = None
    return labels


def roster_unit_labels(people: pd.DataFrame, outside: Collection[str] = ()) -> np.ndarray:
    """:func:`unit_labels` of the roster, with the people ``outside`` it unknown (``None``).

    ``outside`` are the people on no roster: the outside world an e-mail source with
    ``external = "pool"`` makes one person (``Snapshot.outside_roster``).
    Its unit :data:`EXTERNAL_UNIT` is no unit of the organisation: it is left out of every measure
    between units, as a blank unit is, and a roster without units stays one unit without it.

    Examples
    --------
    >>> people = pd.DataFrame({"person_id": ["a", "b", "external"], "unit": ["Lab", "Ops", "(external)"]})
    >>> roster_unit_labels(people, ["external"]).tolist()
    ['Lab', 'Ops', None]
    >>> roster_unit_labels(people.assign(unit=["", "", "(external)"]), ["external"]).tolist()
    ['', '', None]
    """
    away = people["person_id"].isin(list(outside)).to_numpy()
    labels = np.full(len(people), None, dtype=object)
    labels[~away] = unit_labels(people["unit"].to_numpy()[~away])
    return labels


def known_arcs(codes: np.ndarray, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Whether both ends of each arc ``src → dst`` are in a known group (``codes`` from :func:`group_codes`).

    Examples
    --------
    >>> known_arcs(np.array([0, -1, 1]), np.array([0, 0, 1]), np.array([2, 1, 2])).tolist()
    [True, False, False]
    """
    return (codes[src] >= 0) & (codes[dst] >= 0)
