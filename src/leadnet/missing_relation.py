"""What a snapshot holds instead of the relation looked for: its relations, the files that gave
them, and the one most likely meant.

A relation is matched exactly, letter case included. ``Advice`` in one survey wave where the
other writes ``advice``, or a source's ``relation = "advise"``, leaves that wave with no tie of
the relation analysed; the messages built here name what the wave holds and, when a value is
the relation written another way (:func:`leadnet.spellings.near_spellings`), that value and
its files. Values differing in letter case only are not read as one: which spelling is meant
cannot be told from the data (a survey may ask ``Advice`` and ``advice`` as two questions),
and a relation folded silently would change ``ties.csv`` and every figure without a word.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from leadnet.model import Snapshot
from leadnet.spellings import near_spellings

SPELLING_FIX = (
    "a relation is matched exactly, letter case included: write it one way in every wave (in the "
    "file's relation column, or as its source's relation in leadnet.toml) and run leadnet analyse again"
)
"""How to mend a relation written two ways."""


def relation_files(snapshot: Snapshot) -> dict[str, list[str]]:
    """Each relation the snapshot's ties hold, with the files that gave it (as its provenance
    records them: none for a snapshot built by hand), alphabetical."""
    recorded = snapshot.provenance.parameters.get("relations") or {}
    present = sorted({str(r) for r in snapshot.ties["relation"].unique()})
    files = dict(recorded) if isinstance(recorded, Mapping) else {}
    return {relation: [str(f) for f in files.get(relation) or ()] for relation in present}


def _given(relation: str, files: Sequence[str]) -> str:
    return f"{relation} ({', '.join(files)})" if files else relation


def relations_held(snapshot: Snapshot) -> str:
    """The relations of a snapshot's ties with their files, as a message lists them.

    >>> import pandas as pd
    >>> people = pd.DataFrame({"person_id": ["a", "b"]})
    >>> ties = pd.DataFrame({"source": ["a", "b"], "target": ["b", "a"], "relation": ["Advice", "trust"]})
    >>> relations_held(Snapshot.build("after", people, ties))
    'Advice, trust'
    >>> relations_held(Snapshot.build("after", people, ties.iloc[:0]))
    'no ties at all'
    """
    found = relation_files(snapshot)
    return ", ".join(_given(r, files) for r, files in found.items()) if found else "no ties at all"


def meant(relation: str, snapshots: Sequence[Snapshot]) -> str:
    """``Did you mean "X" (file)?`` for a relation of ``snapshots`` that is ``relation`` written
    another way, with how to mend it; "" when none is.

    >>> import pandas as pd
    >>> people = pd.DataFrame({"person_id": ["a", "b"]})
    >>> ties = pd.DataFrame({"source": ["a"], "target": ["b"], "relation": ["Advice"]})
    >>> print(meant("advice", [Snapshot.build("after", people, ties)]))  # doctest: +NORMALIZE_WHITESPACE
    Did you mean "Advice"? A relation is matched exactly, letter case included: write it one way in
    every wave (in the file's relation column, or as its source's relation in leadnet.toml) and run
    leadnet analyse again
    """
    files: dict[str, list[str]] = {}
    for snapshot in snapshots:
        for found, given in relation_files(snapshot).items():
            files.setdefault(found, []).extend(f for f in given if f not in files.get(found, []))
    near = near_spellings(relation, files)
    if not near:
        return ""
    listed = " or ".join(f'"{r}"' + (f" ({', '.join(files[r])})" if files[r] else "") for r in near)
    return f"Did you mean {listed}? {SPELLING_FIX[0].upper()}{SPELLING_FIX[1:]}"
