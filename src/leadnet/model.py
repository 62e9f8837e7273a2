"""The Snapshot: one period of one organisation, as people, ties and provenance.

Every importer produces a :class:`Snapshot`; every analysis consumes one. Tables are
pandas DataFrames with fixed column names:

``people``
    ``person_id`` (str), ``unit`` (str, "" when unknown), ``level`` (str label, "" when
    unknown), ``level_rank`` (Int64, 1 = top of the hierarchy, <NA> when unknown),
    ``manager_id`` (str, "" when none), ``is_manager`` (bool), then any extra attribute
    (str). Sorted by ``person_id``; ``person_id`` is unique.
``ties``
    ``source``, ``target`` (person ids), ``relation`` (str), ``weight`` (float, a
    strength: larger means a stronger tie), ``count`` (int, how many observations made
    the tie). Directed: for a survey, source asked target for advice. Symmetric
    relations (co-membership) are stored as two arcs. Sorted by relation, source, target.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from leadnet.errors import InputError
from leadnet.groups import EXTERNAL_UNIT
from leadnet.nonresponse import NonRespondents, from_saved

if TYPE_CHECKING:  # graph libraries are imported where graphs are built: importers stay light
    import igraph as ig
    import networkx as nx

PEOPLE_COLUMNS: tuple[str, ...] = ("person_id", "unit", "level", "level_rank", "manager_id", "is_manager")
TIE_COLUMNS: tuple[str, ...] = ("source", "target", "relation", "weight", "count")
REJECTED_COLUMNS: tuple[str, ...] = ("file", "line", "code", "detail")
IDENTITY_COLUMNS: tuple[str, ...] = ("name", "email")
"""Roster columns that identify a person directly; never saved with a snapshot."""


@dataclass(frozen=True)
class InputRecord:
    """What one input file contributed: its checksum and the fate of its rows."""

    path: str
    kind: str
    sha256: str
    rows_read: int
    rows_accepted: int
    rows_rejected: int


@dataclass(frozen=True)
class Period:
    """The time window a snapshot covers (either end may be open).

    ``given`` names who stated the period of a snapshot whose rows carry no dates (a survey's
    or a tie list's): ``--from/--to``, say; the period is then shown as given, not read.

    >>> str(Period(date(2026, 4, 1), date(2026, 6, 30), given="--from/--to"))
    '2026-04-01 to 2026-06-30 (given by --from/--to, not read from dated data)'
    """

    start: date | None = None
    end: date | None = None
    given: str | None = None

    def __str__(self) -> str:
        if self.start is None and self.end is None:
            return "not dated"
        text = f"{_day(self.start)} to {_day(self.end)}"
        return f"{text} (given by {self.given}, not read from dated data)" if self.given else text


def _day(end: date | None) -> str:
    """An end of a period as its day, ``YYYY-MM-DD`` (a time of day, which a period never means,
    left off), or ``…`` when open.

    >>> from datetime import timezone
    >>> _day(datetime(2026, 1, 1, tzinfo=timezone.utc)), _day(date(2026, 6, 30)), _day(None)
    ('2026-01-01', '2026-06-30', '…')
    """
    if end is None:
        return "…"
    return (end.date() if isinstance(end, datetime) else end).isoformat()


@dataclass(frozen=True)
class Provenance:
    """Where a snapshot came from: input files, parameters, counted normalisations."""

    inputs: tuple[InputRecord, ...] = ()
    parameters: Mapping[str, Any] = field(default_factory=dict)
    normalisations: Mapping[str, int] = field(default_factory=dict)
    cautions: tuple[str, ...] = ()
    """What the importers warned of that changes what the figures mean
    (:class:`~leadnet.errors.FiguresWarning`): ``summary.json`` ``warnings`` repeat them."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "inputs": [asdict(i) for i in self.inputs],
            "parameters": dict(self.parameters),
            "normalisations": dict(self.normalisations),
            **({"cautions": list(self.cautions)} if self.cautions else {}),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Provenance:
        return cls(
            inputs=tuple(InputRecord(**i) for i in data.get("inputs", [])),
            parameters=dict(data.get("parameters", {})),
            normalisations=dict(data.get("normalisations", {})),
            cautions=tuple(str(c) for c in data.get("cautions", ())),
        )


def empty_people() -> pd.DataFrame:
    """A people table with the standard columns and no rows."""
    return normalise_people(pd.DataFrame({c: [] for c in PEOPLE_COLUMNS}))


def empty_ties() -> pd.DataFrame:
    """A ties table with the standard columns and no rows."""
    return normalise_ties(pd.DataFrame({c: [] for c in TIE_COLUMNS}))


def empty_rejected() -> pd.DataFrame:
    """A rejected-rows table with the standard columns and no rows."""
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in REJECTED_COLUMNS})


def normalise_people(people: pd.DataFrame) -> pd.DataFrame:
    """Return ``people`` with the standard columns, dtypes and order (sorted by person_id)."""
    out = people.copy()
    for col in ("person_id", "unit", "level", "manager_id"):
        if col not in out:
            out[col] = ""
        out[col] = out[col].fillna("").astype(str).astype(object)
    if "level_rank" not in out:
        out["level_rank"] = pd.NA
    out["level_rank"] = pd.array(out["level_rank"], dtype="Int64")
    if "is_manager" not in out:
        managers = set(out["manager_id"]) - {""}
        out["is_manager"] = out["person_id"].isin(managers)
    out["is_manager"] = out["is_manager"].astype(bool)
    extra = [c for c in out.columns if c not in PEOPLE_COLUMNS]
    out = out[list(PEOPLE_COLUMNS) + extra]
    return out.sort_values("person_id", kind="stable").reset_index(drop=True)


def normalise_ties(ties: pd.DataFrame, *, ordered: bool = False) -> pd.DataFrame:
    """Return ``ties`` with the standard columns, dtypes and order.

    Id columns hold Python ``str`` objects, one per distinct value (:func:`shared_strings`;
    columns that already hold ``str`` objects are not converted: with pandas 3 ``astype(str)``
    would build an Arrow array and back). ``ordered=True`` promises that the rows are already
    sorted by relation, source, target and skips the sort (a large import sorts its integer
    codes instead).
    """
    out = ties.copy()
    for col in ("source", "target", "relation"):
        if not len(out):
            out[col] = pd.Series([], dtype=object)
        elif out[col].dtype != object or pd.api.types.infer_dtype(out[col], skipna=False) != "string":
            out[col] = shared_strings(out[col])
    out["weight"] = out["weight"].astype(float) if "weight" in out else 1.0
    out["count"] = out["count"].astype("int64") if "count" in out else 1
    out = out[list(TIE_COLUMNS)]
    if not ordered:
        out = out.sort_values(["relation", "source", "target"], kind="stable")
    return out.reset_index(drop=True)


def shared_strings(column: pd.Series) -> pd.Series:
    """``column`` as an object column of Python ``str`` objects, one object per distinct value.

    A string column turned into objects row by row holds a new ``str`` per row (about 60
    bytes each: the 4.4 million ties of a 10-million-message log cut by month took 1 GB);
    the values are factorised first, each distinct one made text once, and each row points at
    its value's one object. A missing value stays missing, as ``astype(str)`` keeps it.

    >>> ids = shared_strings(pd.Series(["b", "a", "b", None], dtype="str"))
    >>> ids.tolist(), ids.dtype, ids.iloc[0] is ids.iloc[2]
    (['b', 'a', 'b', nan], dtype('O'), True)
    """
    codes, values = pd.factorize(column)  # a missing value's code is -1: the nan appended last
    text = np.append(np.asarray(pd.Index(values).astype(str), dtype=object), np.nan)
    return pd.Series(text[codes], index=column.index, dtype=object)


def _check_simple(name: str, ties: pd.DataFrame, src: np.ndarray, dst: np.ndarray) -> None:
    """Refuse self-ties and repeated pairs: every metric assumes a simple directed graph.

    The importers drop self-ties and merge repeated rows (counting both); a table built by
    hand must do the same. ``ties`` is one relation, ``src`` and ``dst`` its vertex
    indices; the rows need not be in order (a snapshot made without :meth:`Snapshot.build`,
    or built from ties promised to be sorted, is checked all the same).
    """
    loops = np.flatnonzero(src == dst)
    if len(loops):
        first = ties.iloc[loops[0]]
        raise InputError(
            f"snapshot {name!r}, relation {first['relation']!r}: {len(loops)} self-tie(s), e.g. "
            f"{first['source']!r} to itself. Drop them before building the snapshot"
        )
    keys = src.astype(np.int64) * (int(dst.max()) + 1 if len(dst) else 1) + dst
    if (keys[1:] > keys[:-1]).all():  # in order without repeats: the usual case, one pass
        return
    order = np.argsort(keys, kind="stable")
    repeated = order[1:][keys[order[1:]] == keys[order[:-1]]]  # rows equal to an earlier row
    if len(repeated):
        first = ties.iloc[repeated[0]]
        raise InputError(
            f"snapshot {name!r}, relation {first['relation']!r}: {len(repeated)} repeated tie row(s), e.g. "
            f"{first['source']!r} to {first['target']!r}. Merge them into one row (sum weight and count)"
        )


@dataclass(frozen=True, eq=False)
class Snapshot:
    """One period of one organisation.

    Examples
    --------
    >>> people = pd.DataFrame({"person_id": ["a", "b", "c"], "unit": ["x", "x", "y"]})
    >>> ties = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "relation": "advice",
    ...                      "weight": 1.0, "count": 1})
    >>> snap = Snapshot.build("main", people, ties)
    >>> g = snap.to_igraph()
    >>> (g.vcount(), g.ecount(), g.is_directed())
    (3, 2, True)

    ``non_respondents`` maps each relation a survey asked about to the people who answered
    none of its surveys (:mod:`leadnet.nonresponse`); a relation with no key was observed
    for everyone. :meth:`non_respondents_of` gives one relation's, the primary by default.

    >>> silent = Snapshot.build("main", people, ties, non_respondents={"advice": ("c",)})
    >>> silent.non_respondents_of(), silent.non_respondents_of("email")
    (('c',), ())
    """

    name: str
    people: pd.DataFrame
    ties: pd.DataFrame
    period: Period = field(default_factory=Period)
    provenance: Provenance = field(default_factory=Provenance)
    rejected: pd.DataFrame = field(default_factory=empty_rejected)
    non_respondents: NonRespondents = field(default_factory=dict)
    primary_relation: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.non_respondents, Mapping):
            raise TypeError(
                'non_respondents must be a mapping of relation to person ids, e.g. {"advice": ("c",)}. '
                f"Got {type(self.non_respondents).__name__} instead."
            )
        object.__setattr__(self, "non_respondents", from_saved(self.non_respondents, (), None))

    @classmethod
    def build(
        cls,
        name: str,
        people: pd.DataFrame,
        ties: pd.DataFrame,
        *,
        ties_ordered: bool = False,
        **kwargs: Any,
    ) -> Snapshot:
        """Make a snapshot, normalising both tables to the standard columns.

        ``ties_ordered=True`` promises that ``ties`` is already sorted by relation, source
        and target (as :func:`normalise_ties` leaves it), which skips sorting it again.
        """
        return cls(name, normalise_people(people), normalise_ties(ties, ordered=ties_ordered), **kwargs)

    @cached_property
    def _present(self) -> tuple[str, ...]:
        """The relations the ties hold, alphabetical (worked out once: ten million rows take a second)."""
        return tuple(sorted(pd.unique(self.ties["relation"])))

    @property
    def relations(self) -> tuple[str, ...]:
        """The relations present, primary first, then alphabetical."""
        found = self._present
        primary = self.relation
        return tuple([primary] + [r for r in found if r != primary]) if primary else found

    @property
    def relation(self) -> str | None:
        """The primary relation: the configured one, else ``advice`` if present, else the first."""
        found = self._present
        if self.primary_relation is not None:
            return self.primary_relation
        if "advice" in found:
            return "advice"
        return found[0] if found else None

    @property
    def outside_roster(self) -> tuple[str, ...]:
        """The people no roster lists (provenance's ``outside_roster``): the outside world an e-mail
        source with ``external = "pool"`` makes one person, ``external``; a contact, not a colleague
        (tests/test_nonresponse.py, tests/test_pooled_outside.py)."""
        return tuple(self.provenance.parameters.get("outside_roster", ()))

    @property
    def n_roster(self) -> int:
        """How many people the roster lists, those a survey could have asked."""
        return len(self.people) - int(self.people["person_id"].isin(self.outside_roster).sum())

    def non_respondents_of(self, relation: str | None = None) -> tuple[str, ...]:
        """The people who answered none of the surveys of one relation (the primary by default);
        none where no survey asked about it."""
        return tuple(self.non_respondents.get(relation or self.relation or "", ()))

    def ties_of(self, relation: str | None = None) -> pd.DataFrame:
        """The ties of one relation (the primary one by default)."""
        relation = relation or self.relation
        if self._present == (relation,):  # the only relation: no need to test ten million rows
            return self.ties.reset_index(drop=True)
        return self.ties[self.ties["relation"] == relation].reset_index(drop=True)

    def to_igraph(self, relation: str | None = None) -> ig.Graph:
        """A directed igraph graph of one relation, one vertex per person.

        Vertex ``i`` is ``people.iloc[i]``; vertex attributes ``name`` (person_id) and
        ``unit``; edge attributes ``weight`` (strength) and ``count``.
        """
        from leadnet.edges import graph_from_edges

        ties = self.ties_of(relation)
        ids = self.people["person_id"].to_numpy()
        index = pd.Index(ids)
        src = index.get_indexer(ties["source"])
        dst = index.get_indexer(ties["target"])
        if (src < 0).any() or (dst < 0).any():
            raise InputError(f"snapshot {self.name!r} has ties to people missing from its people table")
        _check_simple(self.name, ties, src, dst)
        graph = graph_from_edges(len(ids), np.column_stack([src, dst]), directed=True)
        graph.vs["name"] = list(ids)
        graph.vs["unit"] = list(self.people["unit"])
        graph.es["weight"] = ties["weight"].to_numpy(dtype=float).tolist()
        graph.es["count"] = ties["count"].to_numpy(dtype=np.int64).tolist()
        return graph

    def to_networkx(self, relation: str | None = None) -> nx.DiGraph:
        """A networkx DiGraph of one relation, nodes keyed by person_id with their attributes."""
        import networkx as nx

        graph = nx.DiGraph()
        for row in self.people.to_dict("records"):
            pid = row.pop("person_id")
            graph.add_node(pid, **{k: (None if v is pd.NA else v) for k, v in row.items()})
        for s, t, w, c in self.ties_of(relation)[["source", "target", "weight", "count"]].itertuples(
            index=False
        ):
            graph.add_edge(s, t, weight=float(w), count=int(c))
        return graph

    def save(self, folder: Path) -> None:
        """Write ``people.parquet``, ``ties.parquet``, ``rejected.parquet`` and ``snapshot.json``.

        People's names and e-mail addresses are not saved (:data:`IDENTITY_COLUMNS`): a
        saved snapshot is for ``leadnet compare``, which never shows them.
        """
        folder.mkdir(parents=True, exist_ok=True)
        people = self.people.drop(columns=list(IDENTITY_COLUMNS), errors="ignore")
        people.to_parquet(folder / "people.parquet", index=False)
        self.ties.to_parquet(folder / "ties.parquet", index=False)
        self.rejected.astype({"line": "Int64"}).to_parquet(folder / "rejected.parquet", index=False)
        meta = {
            "format": 2,
            "name": self.name,
            "period": {
                "start": self.period.start.isoformat() if self.period.start else None,
                "end": self.period.end.isoformat() if self.period.end else None,
                **({"given": self.period.given} if self.period.given else {}),
            },
            "provenance": self.provenance.to_dict(),
            "non_respondents": {relation: list(ids) for relation, ids in self.non_respondents.items()},
            "primary_relation": self.primary_relation,
        }
        (folder / "snapshot.json").write_text(json.dumps(meta, indent=2, sort_keys=True), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> Snapshot:
        """Read a snapshot written by :meth:`save`; one of format 1 has its flat list of
        non-respondents attributed by :func:`leadnet.nonresponse.from_saved`."""
        meta_path = folder / "snapshot.json"
        if not meta_path.is_file():
            raise InputError(
                f"{folder} is not a saved snapshot: {meta_path.name} is missing "
                "(pass the output folder of `leadnet analyse`, which holds snapshot/)"
            )
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            period = meta.get("period") or {}
            rejected_path = folder / "rejected.parquet"
            rejected = pd.read_parquet(rejected_path) if rejected_path.exists() else None
            people = normalise_people(pd.read_parquet(folder / "people.parquet"))
            snapshot = cls(
                name=meta["name"],
                people=people,
                ties=normalise_ties(pd.read_parquet(folder / "ties.parquet")),
                period=Period(
                    date.fromisoformat(period["start"]) if period.get("start") else None,
                    date.fromisoformat(period["end"]) if period.get("end") else None,
                    period.get("given"),
                ),
                provenance=_with_outside(Provenance.from_dict(meta.get("provenance", {})), people),
                rejected=rejected if rejected is not None else empty_rejected(),
                primary_relation=meta.get("primary_relation"),
            )
            return _with_non_respondents(snapshot, meta.get("non_respondents", {}))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InputError(
                f"{folder} is a damaged saved snapshot ({type(exc).__name__}: {exc}); "
                "run `leadnet analyse` again to write it afresh"
            ) from exc


def _with_outside(provenance: Provenance, people: pd.DataFrame) -> Provenance:
    """``provenance`` with ``outside_roster`` found in a ``snapshot.json`` written before it was: the
    person ``external`` of unit ``(external)``, and ``external = "pool"`` where tie rules are recorded."""
    parameters = provenance.parameters
    rules = [r for r in parameters.get("tie_rules") or () if isinstance(r, Mapping)]
    pooled = not rules or any(r.get("kind") == "email" and r.get("external") == "pool" for r in rules)
    added = ((people["person_id"] == "external") & (people["unit"] == EXTERNAL_UNIT)).any()
    if "outside_roster" in parameters or not (pooled and added):
        return provenance
    return replace(provenance, parameters={**parameters, "outside_roster": ["external"]})


def _with_non_respondents(snapshot: Snapshot, saved: object) -> Snapshot:
    """``snapshot``, just loaded, with the non-respondents ``snapshot.json`` records: format 1's flat
    list goes to the relations its provenance says a survey supplied, else to the primary relation."""
    surveys = {Path(i.path).name for i in snapshot.provenance.inputs if i.kind == "survey"}
    files = snapshot.provenance.parameters.get("relations", {})
    surveyed = {str(rel) for rel, names in dict(files).items() if surveys & set(names)}
    # still being built, so set in place: a copy would work out the relations of every tie again
    object.__setattr__(snapshot, "non_respondents", from_saved(saved, surveyed, snapshot.relation))
    return snapshot
