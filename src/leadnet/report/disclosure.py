"""What the outputs show of the groups hidden for privacy: never their names, never their people.

The analysis keeps every person's unit, level and community (its figures, and ``leadnet
compare`` through ``snapshot/``, need them), and names the groups whose figures it suppresses
once, as it is built (:attr:`leadnet.analysis.Analysis.hidden`, a
:class:`~leadnet.privacy.Hidden`: ``<k``, :func:`leadnet.privacy.groups_to_suppress`, with the
next smallest). Such a group would be given back by any table that still names it: counted by
the unit column of ``people.csv``, a unit of three shows its size and each member's figures. So
every output, and the network view, shows such a group as one pool (:func:`pool`): its people's
unit is :data:`POOLED_UNITS`, their level :data:`POOLED_LEVEL`; in the outputs (:func:`people_shown`)
their community is ``<k``, the value the communities table shows (global recoding of a key
variable: Hundepool et al. 2012, *Statistical Disclosure Control*, section 3.4), and the figures
made from their own unit (:data:`UNIT_FIGURES`: participation, cross-unit share, Gould–Fernandez
brokerage), which beside ``ties.csv`` would tell which of their ties stay inside it, are ``<k``.
The hidden groups of one breakdown hold at least ``k`` people together, so the pool is no small
group; counting it gives back only what the totals already give.

Tables of units name no hidden unit either: their rows in ``units.csv``, the scorecard and
the heatmap are :data:`POOLED_UNITS`, after the units shown (in name order they would say where
the name sorts), and ``summary.json`` gives them one reason. Levels keep their rows in the level
table (a grade's name is the organisation's structure, not its people), each figure ``<k``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from leadnet.groups import POOLED_LEVEL, POOLED_UNITS
from leadnet.privacy import Hidden, suppressed_marker
from leadnet.report.numbers import units_words


def pooled(values: pd.Series, hidden: Collection[str], shown: str) -> pd.Series:
    """``values`` with those in ``hidden`` (compared as text) shown as ``shown``; the column is
    returned as it was when none is.

    >>> pooled(pd.Series([0, 1, None], dtype="Int64"), frozenset({"1"}), "<5").tolist()
    [0, '<5', <NA>]
    """
    return _masked(values, values.astype(str).isin(list(hidden)).to_numpy(), shown)


def _masked(values: pd.Series, hide: np.ndarray, shown: str) -> pd.Series:
    """``values`` with the rows of ``hide`` shown as ``shown``; the column as it was when none is."""
    if not hide.any():
        return values
    out = values.astype(object)
    out[hide] = shown
    return out


def pool(people: pd.DataFrame, hidden: Hidden) -> pd.DataFrame:
    """``people`` (with a ``unit`` and a ``level``) with each hidden unit shown as
    :data:`POOLED_UNITS` and each hidden level as :data:`POOLED_LEVEL`: the one pooling of the
    outputs (:func:`people_shown`) and the network view (:func:`leadnet.report.drawn.drawn_people`).

    >>> p = pd.DataFrame({"unit": ["Lab", "Ops"], "level": ["1", "3"]})
    >>> pool(p, Hidden(units=frozenset({"Lab"}), levels=frozenset({"1"}))).values.tolist()
    [['Units pooled for privacy', 'not shown (privacy)'], ['Ops', '3']]
    """
    return people.assign(
        unit=pooled(people["unit"], hidden.units, POOLED_UNITS),
        level=pooled(people["level"], hidden.levels, POOLED_LEVEL),
    )


UNIT_FIGURES = (
    "participation",
    "cross_unit_share",
    "brokerage_coordinator",
    "brokerage_gatekeeper",
    "brokerage_representative",
    "brokerage_consultant",
    "brokerage_liaison",
    "brokerage_total",
    "brokerage_z",
)
"""A person's figures made from their own unit: beside ``ties.csv`` they tell which of a pooled
person's ties stay inside their unit, so who shares a hidden unit (its size, under k)."""


def people_shown(people: pd.DataFrame, hidden: Hidden) -> pd.DataFrame:
    """The people table as an output may show it (``people.csv``, the workbook's ``people``):
    the unit and level of a hidden group shown as the pool (:func:`pool`), a hidden community
    ``<k``; a hidden unit's people's figures made from their unit (:data:`UNIT_FIGURES`) ``<k``;
    every other figure kept.

    >>> p = pd.DataFrame({"person_id": ["a", "b", "c"], "unit": ["Lab", "Ops", ""],
    ...                   "level": ["1", "3", "3"], "community": pd.array([0, 1, 1], dtype="Int64"),
    ...                   "cross_unit_share": [0.5, 0.25, None]})
    >>> shown = people_shown(p, Hidden(frozenset({"Lab"}), frozenset({"1"}), frozenset({"0"}), 5))
    >>> shown.values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['a', 'Units pooled for privacy', 'not shown (privacy)', '<5', '<5'], ['b', 'Ops', '3', 1, 0.25],
     ['c', '', '3', 1, nan]]
    """
    marker = suppressed_marker(hidden.k)
    in_hidden = people["unit"].astype(str).isin(list(hidden.units)).to_numpy()
    figures = {
        column: _masked(people[column], in_hidden, marker) for column in UNIT_FIGURES if column in people
    }
    return pool(people, hidden).assign(
        community=pooled(people["community"], hidden.communities, marker), **figures
    )


BROKERED_BETWEEN_HIDDEN = ("brokerage_consultant", "brokerage_liaison")
"""A broker's two-paths whose two ends are of hidden units are consultant when the ends share a
unit and liaison when not: the split tells which of the pool's people share a unit."""


def split_masks(people: pd.DataFrame, ties: pd.DataFrame, hidden: Hidden) -> dict[str, np.ndarray]:
    """Who, of the people of units shown, has a figure that would tell how the hidden units' people
    split between those units, by column of ``people`` (each mask in its row order; none when no
    unit is hidden). ``ties`` are those the figures were made from (source, target).

    Every tie of a hidden unit's person crosses units for anyone of a unit shown; only whether two of
    them share a unit is open. So :data:`BROKERED_BETWEEN_HIDDEN` are withheld from a person on a
    two-path between two people of hidden units (``a → b → c``: open or not, no count needed), and
    ``participation`` from one with two such contacts or more: ``1 − Σ_s (k_s/k)²`` sums 2 over two
    contacts of two units, 4 over two of one.

    >>> p = pd.DataFrame({"person_id": ["a", "c", "b", "d"], "unit": ["Chap", "Fin", "Ops", "Ops"]})
    >>> t = pd.DataFrame({"source": ["a", "b", "d"], "target": ["b", "c", "a"]})
    >>> masks = split_masks(p, t, Hidden(frozenset({"Chap", "Fin"}), frozenset(), frozenset(), 5))
    >>> {column: mask.tolist() for column, mask in masks.items()}  # doctest: +NORMALIZE_WHITESPACE
    {'brokerage_consultant': [False, False, True, False], 'brokerage_liaison': [False, False, True, False],
     'participation': [False, False, True, False]}
    """
    if not hidden.units:
        return {}
    index = pd.Index(people["person_id"].astype(str))
    src = index.get_indexer(ties["source"].astype(str))
    dst = index.get_indexer(ties["target"].astype(str))
    keep = (src >= 0) & (dst >= 0) & (src != dst)
    n = len(index)
    keys = np.unique(src[keep].astype(np.int64) * n + dst[keep])
    src, dst = keys // n, keys % n
    pooled = people["unit"].astype(str).isin(hidden.units).to_numpy()
    mutual = np.isin(dst * n + src, keys) & pooled[dst]  # b → x and x → b, x hidden: counted once
    into, out_of = _count(dst[pooled[src]], n), _count(src[pooled[dst]], n)
    both = _count(src[mutual], n)
    shown = ~pooled
    brokered = shown & (into * out_of - both > 0)
    spread = shown & (into + out_of - both >= 2)
    return {**dict.fromkeys(BROKERED_BETWEEN_HIDDEN, brokered), "participation": spread}


def _count(at: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(at, minlength=n)


def split_withheld(people: pd.DataFrame, masks: Mapping[str, np.ndarray], k: int) -> pd.DataFrame:
    """``people`` with the figures of :func:`split_masks` ``<k`` (a missing one stays missing).

    >>> p = pd.DataFrame({"participation": [0.5, None, 0.25]})
    >>> split_withheld(p, {"participation": np.array([True, True, False])}, 5)["participation"].tolist()
    ['<5', nan, 0.25]
    """
    marker = suppressed_marker(k)
    return people.assign(
        **{
            column: _masked(people[column], mask & people[column].notna().to_numpy(), marker)
            for column, mask in masks.items()
            if column in people
        }
    )


SPREAD_WITHHELD = "participation and ties across units withheld for privacy"
"""A boundary spanner's evidence after its brokerage, when people.csv withholds its participation."""
UNIT_FIGURES_WITHHELD = "brokerage, participation and ties across units withheld for privacy"
"""A boundary spanner's evidence when people.csv withholds its figures made from its unit
(:data:`UNIT_FIGURES`): a hidden unit's person's."""


def evidence_shown(
    reasons: pd.DataFrame | None, withheld: frozenset[str], pooled: frozenset[str] = frozenset()
) -> pd.DataFrame | None:
    """The role reasons with the evidence of a boundary spanner withheld where ``people.csv``
    withholds it: for one in ``withheld`` (whose participation it withholds), cut to its brokerage,
    the clause before ``; ``; for one in ``pooled`` (a hidden unit's person, whose every figure of
    :data:`UNIT_FIGURES` it withholds, brokerage and its z too), all of it.

    >>> r = pd.DataFrame({"person_id": ["a", "b", "c"], "role": ["boundary_spanner"] * 3, "rule": ["r"] * 3,
    ...     "evidence": ["brokerage 9 (z 2.5); participation across units 0.70 over 8 ties"] * 3})
    >>> evidence_shown(r, frozenset({"a"}), frozenset({"c"}))["evidence"].tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    ['brokerage 9 (z 2.5); participation and ties across units withheld for privacy',
     'brokerage 9 (z 2.5); participation across units 0.70 over 8 ties',
     'brokerage, participation and ties across units withheld for privacy']
    """
    if reasons is None or not (withheld or pooled):
        return reasons
    spanner = reasons["role"] == "boundary_spanner"
    ids = reasons["person_id"].astype(str)
    cut, gone = spanner & ids.isin(withheld), spanner & ids.isin(pooled)
    if not (cut.any() or gone.any()):
        return reasons
    evidence = reasons["evidence"].astype(str)
    brokerage = evidence.str.split("; ", n=1).str[0]
    shown = evidence.where(~cut, brokerage + "; " + SPREAD_WITHHELD).where(~gone, UNIT_FIGURES_WITHHELD)
    return reasons.assign(evidence=shown)


def units_shown(units: pd.DataFrame, hidden: Collection[str]) -> pd.DataFrame:
    """The unit table as an output may show it (``units.csv``, the scorecard): each ``hidden``
    unit's row (its figures already ``<k``) named :data:`POOLED_UNITS`, after the units shown, so
    neither its name nor where the name sorts is given.

    >>> units = pd.DataFrame({"unit": ["Chaplaincy", "Finance", "Surgery"], "size": ["<5", "<5", 40]})
    >>> units_shown(units, {"Chaplaincy", "Finance"}).values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['Surgery', 40], ['Units pooled for privacy', '<5'], ['Units pooled for privacy', '<5']]
    """
    if not hidden:
        return units
    hide = units["unit"].astype(str).isin(list(hidden)).to_numpy()
    shown = units.astype({"unit": object})
    shown.loc[hide, "unit"] = POOLED_UNITS
    return pd.concat([shown[~hide], shown[hide]], ignore_index=True)


def pooled_note(hidden: Hidden) -> str:
    """The note under the unit scorecard on its pooled rows ("" when no unit is hidden).

    >>> print(pooled_note(Hidden(units=frozenset({"Tiny", "B"}), k=5)))
    Units pooled for privacy: 2 units under 5 people, or hidden with one so that totals cannot reveal it, \
named in no table; their people are counted together wherever a unit is shown.
    """
    if not hidden.units:
        return ""
    return (
        f"{POOLED_UNITS}: {units_words(len(hidden.units))} under {hidden.k} people, or hidden with one so "
        "that totals cannot reveal it, named in no table; their people are counted together wherever a "
        "unit is shown."
    )


def unit_of_person(ids: Iterable[object], analysis: Any, *others: Any) -> pd.Series:
    """The unit in ``analysis`` of each person of ``ids``, as the report names it, indexed by person
    id in the order of ``ids``: a unit it hides, or one of the ``others`` hides (the other snapshot,
    on a page about both), as the pool; an id ``analysis`` does not hold is left out.

    Only the people asked for, and no dict of everyone: the role lists and bridges name a few of a
    million (a dict of every person took 0.35 to 0.85 s at a million people), and the programme
    page's unit table counts the stayers, one lookup each.

    >>> from types import SimpleNamespace as Run
    >>> people = pd.DataFrame({"person_id": ["a", "b", "c"], "unit": ["Lab", "Ops", "Ops"]})
    >>> before = Run(snapshot=Run(people=people), hidden=Hidden(units=frozenset({"Lab"})))
    >>> after = Run(hidden=Hidden(units=frozenset({"Ops"})))
    >>> unit_of_person(["a", "b", "z"], before).to_dict(), unit_of_person(["b"], before, after).to_dict()
    ({'a': 'Units pooled for privacy', 'b': 'Ops'}, {'b': 'Units pooled for privacy'})
    """
    people = analysis.snapshot.people
    units = pd.Series(
        people["unit"].astype(str).to_numpy(dtype=object),
        index=people["person_id"].astype(str).to_numpy(dtype=object),
    )
    wanted = pd.Index(pd.Series(list(ids), dtype=object).astype(str).to_numpy(dtype=object))
    shown = units.reindex(wanted).dropna()
    hidden = set().union(*(each.hidden.units for each in (analysis, *others)))
    return shown.mask(shown.isin(list(hidden)), POOLED_UNITS)


def blocks_shown(blocks: pd.DataFrame, hidden: frozenset[str]) -> pd.DataFrame:
    """The block-density matrix with the hidden units' rows and columns named as the pool and
    put last (their cells are drawn ``<k`` by :func:`leadnet.report.charts.heatmap_chart`).

    >>> b = pd.DataFrame(np.eye(3), index=["A", "B", "C"], columns=["A", "B", "C"])
    >>> blocks_shown(b, frozenset({"A"})).index.tolist()
    ['B', 'C', 'Units pooled for privacy']
    """
    names = blocks.index.astype(str)
    hide = names.isin(list(hidden))
    if not hide.any():
        return blocks
    order = np.concatenate([np.flatnonzero(~hide), np.flatnonzero(hide)])
    labels = np.where(hide, POOLED_UNITS, names.to_numpy(dtype=object))[order]
    out = blocks.iloc[order, order].copy()
    out.index, out.columns = labels, labels
    return out


def reasons_shown(reasons: Mapping[str, str], hidden: frozenset[str], k: int) -> dict[str, str]:
    """Reasons keyed by unit (``by_unit[NAME]...``) with the hidden units' keys made one, for the
    pool: which of them is under ``k`` and which was hidden with it is not said either.

    >>> reasons_shown({"by_unit[Tiny]": "fewer than 5 people", "by_unit[Ops].x": "no ties"},
    ...               frozenset({"Tiny"}), 5)  # doctest: +NORMALIZE_WHITESPACE
    {'by_unit[Ops].x': 'no ties', 'by_unit[Units pooled for privacy]': 'fewer than 5 people, or hidden
     with the next smallest so that totals cannot reveal it (minimum group size 5): figures suppressed'}
    """
    out = {key: why for key, why in reasons.items() if _unit_of_key(key) not in hidden}
    if len(out) < len(reasons):
        out[f"by_unit[{POOLED_UNITS}]"] = (
            f"fewer than {k} people, or hidden with the next smallest so that totals cannot reveal it "
            f"(minimum group size {k}): figures suppressed"
        )
    return out


def _unit_of_key(key: str) -> str | None:
    """The unit a reason's key names (``by_unit[NAME]`` or ``by_unit[NAME].column``), else None.

    >>> _unit_of_key("by_unit[St. Mary's [East]].density"), _unit_of_key("by_unit[A]"), _unit_of_key("gini")
    ("St. Mary's [East]", 'A', None)
    """
    if not key.startswith("by_unit["):
        return None
    inner = key.removeprefix("by_unit[")
    if inner.endswith("]"):
        return inner[:-1]
    head, sep, _ = inner.rpartition("].")
    return head if sep else None
