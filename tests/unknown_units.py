"""A hand-drawn network with two people whose unit the roster leaves blank.

Units A = {a1, a2, a3} and B = {b1, b2}; x1 and x2 have no unit (a blank cell in the roster,
a missing label, ``None``, for the library functions). Eleven arcs:

    a1 → a2, a2 → a3, a3 → a1                   inside A            I_A = 3
    b1 → b2                                     inside B            I_B = 1
    a1 → b1, b2 → a2                            between A and B     E = 2
    x1 → a1, a2 → x1, x1 → x2, x2 → b1, b2 → x2   an end of unknown unit: 5, in no count

Read as one more unit X = {x1, x2} (the old reading), x1 → x2 would be inside X and the
other four between units: org-wide E-I (6 − 5) / 11 = +1/11 instead of (2 − 4) / 6 = −1/3.
"""

from __future__ import annotations

import igraph as ig
import numpy as np
import pandas as pd

from leadnet.model import Snapshot

NAMES = ["a1", "a2", "a3", "b1", "b2", "x1", "x2"]
ROSTER_UNITS = ["A", "A", "A", "B", "B", "", ""]
UNITS = np.array(["A", "A", "A", "B", "B", None, None], dtype=object)
KNOWN = 5  # the first five people have a known unit
ARCS = [
    ("a1", "a2"), ("a2", "a3"), ("a3", "a1"), ("b1", "b2"), ("a1", "b1"), ("b2", "a2"),
    ("x1", "a1"), ("a2", "x1"), ("x1", "x2"), ("x2", "b1"), ("b2", "x2"),
]  # fmt: skip
N_UNKNOWN_ARCS = 5


def graph(n_people: int = len(NAMES)) -> ig.Graph:
    """The network (directed), or with ``n_people=KNOWN`` only the people of known unit."""
    index = {name: i for i, name in enumerate(NAMES[:n_people])}
    edges = [(index[a], index[b]) for a, b in ARCS if a in index and b in index]
    g = ig.Graph(n=n_people, edges=edges, directed=True)
    g.vs["name"] = NAMES[:n_people]
    return g


def snapshot(n_people: int = len(NAMES)) -> Snapshot:
    """The network as a snapshot whose roster leaves x1's and x2's unit blank."""
    people = pd.DataFrame({"person_id": NAMES[:n_people], "unit": ROSTER_UNITS[:n_people]})
    kept = [(a, b) for a, b in ARCS if a in NAMES[:n_people] and b in NAMES[:n_people]]
    ties = pd.DataFrame(kept, columns=["source", "target"]).assign(relation="advice", weight=1.0, count=1)
    return Snapshot.build("main", people, ties)
