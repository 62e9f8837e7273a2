"""Network-view data for vis-network: nodes, the strongest ties, and the unit graph.

Who is drawn, and under which entry (units pooled for privacy, the people of no unit, the pooled
outside world, the largest units only in a large organisation), is decided in :mod:`.drawn`; this
module builds the drawing from it. Node ids are the indices of the people drawn (opaque integers);
labels are pseudonyms unless names are shown; tooltips are plain strings, which vis-network 9
renders as text (``innerText``). Positions and sizes are :mod:`.layout`'s (seeded, so the page is
usable at once with physics off). Above :data:`UNIT_VIEW_FROM` people the default view is the unit
graph, from which one unit's people can be opened; above
:data:`~leadnet.report.drawn.NETWORK_PEOPLE` it holds the largest units up to that many people
(:func:`~leadnet.report.drawn.network_scope`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import igraph as ig
import numpy as np
import pandas as pd

from leadnet.privacy import Hidden, suppressed_marker
from leadnet.report.drawn import (
    OUTSIDE_UNIT,
    OUTSIDE_WORDS,
    OUTSIDE_WORLD,
    community_codes,
    drawn_people,
    drawn_vertices,
    hidden_entries,
    overview_words,
)
from leadnet.report.layout import layout, node_sizes, person_positions
from leadnet.report.numbers import people_words, ties_words
from leadnet.report.tables import isolated

UNIT_VIEW_FROM = 2000
TIES_PER_PERSON = 3
MAX_TIES = 20_000


def strongest_ties(
    source: np.ndarray,
    target: np.ndarray,
    weight: np.ndarray,
    per_person: int = TIES_PER_PERSON,
    cap: int = MAX_TIES,
) -> np.ndarray:
    """Indices of the ties to draw: each person's ``per_person`` strongest sent or received, at most ``cap``.

    Ties are ranked by weight (strongest first), then source, then target, so the choice is
    deterministic.

    Examples
    --------
    Person 0 sends four ties; with two per person, the weakest (to 4) is kept only
    because it is one of person 4's two strongest received ties:

    >>> src, dst = np.array([0, 0, 0, 0, 1]), np.array([1, 2, 3, 4, 2])
    >>> strongest_ties(src, dst, np.array([4.0, 3.0, 2.0, 1.0, 5.0]), per_person=2).tolist()
    [4, 0, 1, 2, 3]
    >>> strongest_ties(src, dst, np.array([4.0, 3.0, 2.0, 1.0, 5.0]), per_person=1, cap=2).tolist()
    [4, 0]
    """
    frame = pd.DataFrame({"w": -np.asarray(weight, dtype=float), "s": source, "t": target})
    frame = frame.sort_values(["w", "s", "t"], kind="stable")
    keep = (frame.groupby("s", sort=False).cumcount() < per_person) | (
        frame.groupby("t", sort=False).cumcount() < per_person
    )
    return frame.index[keep.to_numpy()].to_numpy()[:cap]


def _tooltip(row: Mapping[str, Any], label: str) -> str:
    lines = [label, f"Unit: {row['unit'] or 'unknown'}", f"Level: {row['level'] or 'unknown'}"]
    if row["unit"] == OUTSIDE_UNIT:
        lines[1:] = [OUTSIDE_WORDS]
    lines.append(f"Sought out by {int(row['in_degree'])}; turns to {int(row['out_degree'])}")
    if row["roles"]:
        lines.append("Roles: " + str(row["roles"]).replace("_", " ").replace(";", ", "))
    return "\n".join(lines)


def _role_codes(roles: pd.Series) -> tuple[list[str], list[list[int]]]:
    split = roles.fillna("").astype(str).map(lambda r: [x for x in r.split(";") if x])
    names = sorted({r for rs in split for r in rs})
    code = {r: i for i, r in enumerate(names)}
    return [r.replace("_", " ") for r in names], [[code[r] for r in rs] for rs in split]


def person_nodes(
    people: pd.DataFrame,
    labels: Sequence[str],
    positions: np.ndarray,
    alone: np.ndarray,
    hidden_communities: Sequence[int] = (),
) -> dict[str, Any]:
    """Person nodes with unit, community and role codes, size by in-degree, text tooltips
    (``alone``: who has no tie, :func:`~leadnet.report.drawn.community_codes`)."""
    units, unit_codes = np.unique(people["unit"].astype(str).to_numpy(), return_inverse=True)
    communities, community = community_codes(people, alone, hidden_communities)
    role_names, role_codes = _role_codes(people["roles"])
    sizes = node_sizes(people["in_degree"].to_numpy(dtype=float))
    records = people[["unit", "level", "in_degree", "out_degree", "roles"]].to_dict("records")
    nodes = [
        {
            "id": i,
            "label": labels[i],
            "title": _tooltip(records[i], labels[i]),
            "unit": int(unit_codes[i]),
            "community": int(community[i]),
            "roles": role_codes[i],
            "size": float(sizes[i]),
            "x": float(positions[i, 0]),
            "y": float(positions[i, 1]),
        }
        for i in range(len(people))
    ]
    return {"nodes": nodes, "units": [str(u) for u in units], "communities": communities, "roles": role_names}


def _unit_graph(unit_codes: np.ndarray, src: np.ndarray, dst: np.ndarray) -> pd.DataFrame:
    pairs = pd.DataFrame({"a": unit_codes[src], "b": unit_codes[dst]})
    pairs = pairs[pairs["a"] != pairs["b"]]
    return pairs.value_counts().rename("ties").reset_index().sort_values(["a", "b"], kind="stable")


def _outside_title(edges: pd.DataFrame, at: int) -> str:
    """The tooltip of the pooled outside world in the unit graph (node ``at``): all its ties with
    the organisation, and what it is.

    The total, ties with a hidden group included. The page gives it already: the outside world's
    own tooltip in the person view ("Sought out by N"), as do its row of ``people.csv`` and
    ``summary.json``'s ``n_outside_ties``; leaving some out here hid nothing. What the unit graph
    withholds is a hidden entry's own count (its edges show none). The total less the counts shown
    gives back the hidden entries' ties with the outside world together: the units under ``k``
    pooled (at least ``k`` people, :func:`leadnet.privacy.groups_to_suppress`, as the person view
    pools them), or the people of no unit, whom the person view shows one by one, each with the
    entry, degrees and strongest ties, a person-level view no group figure of theirs adds to.

    >>> edges = pd.DataFrame({"a": [1, 2, 0], "b": [0, 0, 1], "ties": [3, 2, 1]})
    >>> print(_outside_title(edges, 0))
    outside the roster (pooled): 6 ties with the organisation
    Every address no roster lists, drawn as one: not a unit, in no unit's figures
    """
    touching = (edges["a"] == at) | (edges["b"] == at)
    n = int(edges.loc[touching, "ties"].sum())
    return f"{OUTSIDE_UNIT}: {ties_words(n)} with the organisation\n{OUTSIDE_WORDS}"


def unit_view(
    units: Sequence[str],
    unit_codes: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    hidden: Sequence[str],
    seed: int,
    min_group_size: int = 5,
) -> dict[str, Any]:
    """The unit graph: one node per unit, one edge per ordered pair of units with ties between them.

    Units whose figures are suppressed show ``<5`` for their size and their edges carry
    no counts (a uniform width), so the unit view reveals nothing the scorecard hides.
    The pooled outside world (:data:`OUTSIDE_UNIT`) is drawn with its ties, which are real, but
    as what it is: no headcount (it is no group of people, so neither shown as ``<5`` nor
    hiding anything), its ties with the organisation instead (:func:`_outside_title`).
    """
    k = len(units)
    sizes = np.bincount(unit_codes, minlength=k)
    hide = np.isin(np.asarray(units, dtype=object), list(hidden))
    outside = np.asarray(units, dtype=object) == OUTSIDE_UNIT
    marker = suppressed_marker(min_group_size)
    edges = _unit_graph(unit_codes, src, dst)
    graph = ig.Graph(n=k, edges=edges[["a", "b"]].to_numpy().tolist(), directed=False)
    positions = layout(graph, seed, weights=None)
    headcounts = [f"{marker} people" if hide[i] else people_words(int(sizes[i])) for i in range(k)]
    titles = [
        _outside_title(edges, i) if outside[i] else f"{units[i]}\n{headcounts[i]}\nDouble-click to open"
        for i in range(k)
    ]
    unsized = hide | outside  # drawn at the median size: no headcount to show
    nodes = [
        {
            "id": i,
            "label": str(units[i]),
            "title": titles[i],
            "size": float(s),
            "x": float(positions[i, 0]),
            "y": float(positions[i, 1]),
        }
        for i, s in enumerate(
            node_sizes(np.where(unsized, np.median(sizes) if k else 0, sizes).astype(float))
        )
    ]
    out_edges = []
    for a, b, n in edges.itertuples(index=False, name=None):
        secret = bool(hide[a] or hide[b])
        title = f"{units[a]} → {units[b]}" + ("" if secret else f": {ties_words(int(n))}")
        out_edges.append({"from": int(a), "to": int(b), "value": 1 if secret else int(n), "title": title})
    return {"nodes": nodes, "edges": out_edges}


def graph_data(
    people: pd.DataFrame,
    ties: pd.DataFrame,
    labels: Sequence[str],
    *,
    hidden: Hidden | None = None,
    outside: Sequence[str] = (),
    alone: np.ndarray | None = None,
    seed: int = 0,
    unit_view_from: int = UNIT_VIEW_FROM,
) -> dict[str, Any]:
    """Everything the network view needs, as JSON-ready values.

    ``people`` is the analysis people table (person_id, unit, level, in_degree,
    out_degree, community, roles) in vertex order; ``ties`` has source, target, weight.
    Who is drawn, and as what, is :mod:`.drawn`'s: people of the units and levels ``hidden``
    names (those whose figures are suppressed; none by default, at k = 5) are shown as one pooled
    unit and level (:func:`~leadnet.report.drawn.drawn_people`); the pooled unit is itself hidden
    (``hiddenUnits``) only if it holds fewer than ``hidden.k`` people, as are the people of
    no unit (:func:`~leadnet.report.drawn.hidden_entries`). The pooled outside world (``outside``,
    ids) is :data:`~leadnet.report.drawn.OUTSIDE_UNIT`, never hidden (it is no group of people),
    and its place in ``units`` and ``communities`` is ``outsideUnit`` and ``outsideCommunity``
    (-1: none), which the page colours and counts apart; it is left out when no tie of ``ties``
    touches it (:func:`~leadnet.report.drawn.drawn_vertices`).
    People of its communities are one community in the legend, as are people with no tie
    (:func:`~leadnet.report.drawn.community_codes`): ``alone``, or those
    :func:`leadnet.report.tables.isolated` finds in ``ties``, a tie with the pooled outside world
    not counted.
    A caller that draws only some of the people passes ``alone`` found among all the ties.

    Examples
    --------
    >>> people = pd.DataFrame({"person_id": ["a", "b", "c"], "unit": ["x", "x", "y"], "level": "",
    ...     "in_degree": [0, 1, 1], "out_degree": [1, 1, 0], "community": [0, 0, 1], "roles": ""})
    >>> ties = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "weight": [1.0, 2.0]})
    >>> data = graph_data(people, ties, ["a", "b", "c"])
    >>> data["view"], [e["from"] for e in data["edges"]], data["ties"]
    ('people', [1, 0], {'total': 2, 'shown': 2, 'perPerson': 3})
    >>> pooled = graph_data(people, ties, ["a", "b", "c"], hidden=Hidden(units=frozenset({"y"})))
    >>> pooled["units"], pooled["hiddenUnits"]
    (['Units pooled for privacy', 'x'], [0])
    """
    hidden = hidden or Hidden()
    roster_units = people["unit"].astype(str).to_numpy()
    people = drawn_people(people, hidden, outside)
    index = pd.Index(people["person_id"].astype(str))
    src = index.get_indexer(ties["source"].astype(str))
    dst = index.get_indexer(ties["target"].astype(str))
    alone = isolated(people, ties, outside) if alone is None else np.asarray(alone, dtype=bool)
    drawn = drawn_vertices(people, src, dst)
    if not drawn.all():
        at = np.cumsum(drawn) - 1
        src, dst = (np.where(end >= 0, at[end], -1) for end in (src, dst))
        people, alone, roster_units = people[drawn].reset_index(drop=True), alone[drawn], roster_units[drawn]
        labels = np.asarray(labels, dtype=object)[drawn].tolist()
    weight = ties["weight"].to_numpy(dtype=float)
    chosen = strongest_ties(src, dst, weight)
    n = len(people)
    big = n > unit_view_from
    positions = person_positions(people, src, dst, seed, big)
    data = person_nodes(people, labels, positions, alone, sorted(int(c) for c in hidden.communities))
    unit_codes = np.unique(people["unit"].astype(str).to_numpy(), return_inverse=True)[1]
    entries = hidden_entries(people["unit"], hidden.k)
    data["unitGraph"] = unit_view(data["units"], unit_codes, src, dst, entries, seed, hidden.k)
    data["edges"] = [{"from": int(src[i]), "to": int(dst[i]), "value": float(weight[i])} for i in chosen]
    data["ties"] = {"total": len(ties), "shown": len(chosen), "perPerson": TIES_PER_PERSON}
    data["view"] = "units" if big else "people"
    data["hiddenUnits"] = [i for i, unit in enumerate(data["units"]) if unit in entries]
    data["outsideUnit"] = data["units"].index(OUTSIDE_UNIT) if OUTSIDE_UNIT in data["units"] else -1
    data["unitsWords"] = overview_words(roster_units, people["unit"])
    named = data["communities"]
    data["outsideCommunity"] = named.index(OUTSIDE_WORLD) if OUTSIDE_WORLD in named else -1
    data["k"] = int(hidden.k)
    return data
