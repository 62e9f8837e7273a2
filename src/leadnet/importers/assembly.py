"""Imports → Snapshots: group each source's ties by snapshot name (or dated period) and assemble.

A source feeds the snapshot its ``snapshot`` key names, unless ``snapshot_by`` cuts dated
sources (email, membership) into periods: then each period label (``2026-03``,
``2026-Q1``) is a snapshot of its own. When two sources give the same relation's tie
between the same two people in one snapshot, the snapshot has one tie with their weights
and counts summed, counted as ``merged-tie``. Email adds ``messages_sent`` and
``messages_received`` to the people table; with ``external = "pool"`` the pooled
``external`` node joins the people table as a person of unit ``(external)``
(:data:`leadnet.groups.EXTERNAL_UNIT`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from leadnet.config import Config
from leadnet.errors import RowIssue
from leadnet.groups import EXTERNAL_UNIT
from leadnet.importers.identity import EXTERNAL, pseudonyms
from leadnet.importers.people import PeopleImport
from leadnet.importers.result import TieImport, rejected_frame
from leadnet.importers.tie_rules import DATED_KINDS, snapshot_rules
from leadnet.model import (
    TIE_COLUMNS,
    InputRecord,
    Period,
    Provenance,
    Snapshot,
    normalise_people,
    normalise_ties,
)
from leadnet.nonresponse import by_relation
from leadnet.windows import dated_span, snapshot_period

MESSAGE_COLUMNS = ("messages_sent", "messages_received")


def rejected_table(issues: Iterable[RowIssue]) -> pd.DataFrame:
    """``rejected.csv`` rows: file, line, code, detail (detail includes the column and hint;
    :func:`~leadnet.importers.result.rejected_frame`).

    >>> rejected_table([RowIssue("s.csv", 4, "self-tie", "a names a", column="nominee")]).iloc[0].to_dict()
    {'file': 's.csv', 'line': 4, 'code': 'self-tie', 'detail': 'column "nominee": a names a'}
    """
    return rejected_frame(issues)


def by_period(result: TieImport, name: str, snapshot_by: str | None) -> list[tuple[str, TieImport]]:
    """The (snapshot name, import) pieces of one source: one per dated period when cut.

    Every period piece keeps the file's rejected rows, so each period's ``rejected.csv``
    accounts for the whole file it was cut from, and its counted normalisations, but for those a
    period counts of its own (an e-mail period's drops of the tie rules).
    """
    periods: Mapping[str, object] = getattr(result, "by_period", {}) or {}
    if snapshot_by is None or not periods:
        return [(name, result)]
    pieces = []
    for label, part in sorted(periods.items()):
        changes: dict[str, Any] = {"ties": getattr(part, "ties", part)}
        for own in ("person_counts", "normalisations"):
            if hasattr(part, own):
                changes[own] = getattr(part, own)
        pieces.append((label, replace(result, **changes)))
    return pieces


def _message_counts(results: Sequence[TieImport]) -> pd.DataFrame | None:
    frames = [r.person_counts for r in results if hasattr(r, "person_counts")]
    if not frames:
        return None
    counts = pd.concat(frames, ignore_index=True).groupby("person_id")[list(MESSAGE_COLUMNS)].sum()
    return counts.astype("int64")


def _outside(roster: pd.DataFrame, ties: pd.DataFrame) -> list[str]:
    """The people the ties name that the roster does not list: the pooled outside world, if any."""
    named = set(ties["source"]).union(ties["target"]) - set(roster["person_id"])
    return [EXTERNAL] if EXTERNAL in named else []


def _people(roster: pd.DataFrame, outside: list[str], counts: pd.DataFrame | None) -> pd.DataFrame:
    people = roster
    if outside:
        row = pd.DataFrame({"person_id": outside, "unit": [EXTERNAL_UNIT], "is_manager": [False]})
        people = normalise_people(pd.concat([people, row], ignore_index=True))
    if counts is not None:
        people = people.copy()
        for col in MESSAGE_COLUMNS:
            people[col] = people["person_id"].map(counts[col]).fillna(0).astype("int64")
    return people


def _non_respondents(roster: pd.DataFrame, results: Sequence[TieImport]) -> dict[str, tuple[str, ...]]:
    """Each surveyed relation's non-respondents: roster people who answered none of its surveys."""
    surveys = [(r.relations, r.non_respondents) for r in results if r.record.kind == "survey"]
    return by_relation(roster["person_id"], surveys)


def _named(record: InputRecord, config: Config) -> InputRecord:
    """The record with its path the name the file goes by (:meth:`~leadnet.config.Config.name_of`):
    relative to the project folder when it lies inside it, else as written in ``leadnet.toml`` or on
    the command line, never made absolute.

    >>> config = Config(Path("/p"), written={Path("/hr/r.csv"): "../hr/r.csv"})
    >>> records = [InputRecord(path, "survey", "ab", 1, 1, 0) for path in ("/p/data/s.csv", "/hr/r.csv")]
    >>> [_named(record, config).path for record in records]
    ['data/s.csv', '../hr/r.csv']
    """
    return replace(record, path=config.name_of(Path(record.path)))


def _roster_records(roster: PeopleImport, config: Config) -> list[InputRecord]:
    """The roster and its opt-out list, when it has one, as inputs."""
    return [_named(r, config) for r in (roster.record, roster.opt_out_record) if r is not None]


def _records(results: Sequence[TieImport], config: Config) -> list[InputRecord]:
    seen: dict[tuple[str, str], InputRecord] = {}
    for r in results:
        for record in getattr(r, "records", ()) or (r.record,):
            seen.setdefault((record.path, record.kind), _named(record, config))
    return list(seen.values())


def relation_sources(results: Sequence[TieImport], name_of: Callable[[Path], str]) -> dict[str, list[str]]:
    """Which input files each relation's ties came from (their names, ``name_of`` a path; sorted)."""
    found: dict[str, set[str]] = {}
    for r in results:
        files = {name_of(Path(rec.path)) for rec in getattr(r, "records", ()) or (r.record,)}
        for relation in set(r.ties["relation"]):
            found.setdefault(str(relation), set()).update(files)
    return {relation: sorted(files) for relation, files in sorted(found.items())}


WITHHELD_DETAIL = "withheld: the run is pseudonymised (the row is at this file and line)"


def pseudonymise(snapshot: Snapshot, key: bytes) -> Snapshot:
    """The snapshot with every person id (people, managers, ties, non-respondents) replaced by its
    keyed pseudonym, and names and e-mail addresses removed (QUALITY.md rule 7).

    Rejected rows keep their file, line and reason code; their detail, which quotes the
    input (an unknown id, an address, a "did you mean" roster id), is withheld.
    """
    mapping = pseudonyms(snapshot.people["person_id"], key)
    mapping[EXTERNAL] = EXTERNAL
    people = snapshot.people.drop(columns=[c for c in ("name", "email", "aliases") if c in snapshot.people])
    people = people.assign(
        person_id=people["person_id"].map(mapping),
        manager_id=people["manager_id"].map(lambda m: mapping.get(m, "")),
    )
    ties = snapshot.ties.assign(
        source=snapshot.ties["source"].map(mapping), target=snapshot.ties["target"].map(mapping)
    )
    return Snapshot.build(
        snapshot.name,
        people,
        ties,
        period=snapshot.period,
        provenance=replace(
            snapshot.provenance, parameters={**snapshot.provenance.parameters, "pseudonymised": True}
        ),
        rejected=snapshot.rejected.assign(detail=WITHHELD_DETAIL),
        non_respondents={
            relation: tuple(sorted(mapping[p] for p in ids))
            for relation, ids in snapshot.non_respondents.items()
        },
        primary_relation=snapshot.primary_relation,
    )


def _period(name: str, config: Config) -> Period:
    """The time a snapshot covers.

    A dated period's snapshot (``2026-03``, ``2026-Q1``) covers its calendar month or quarter,
    clipped to the span of the dated sources' windows (:func:`~leadnet.windows.dated_span`: each
    source's own ``from``/``to``, else ``[analysis]``'s; ``--from``/``--to`` replace both). A named snapshot
    has :func:`~leadnet.windows.snapshot_period`'s: the span of its dated sources' windows (with
    ``snapshot_by``, which cuts them into periods, none), else the period the run states for its
    surveys and tie lists, shown as given.

    >>> from datetime import date
    >>> from leadnet.config import AnalysisSection, SourceSection
    >>> section = AnalysisSection(snapshot_by="quarter", period_to=date(2026, 5, 15))
    >>> log = SourceSection("email", Path("log.csv"), options={"from": "2025-11-10"})
    >>> config = Config(root=Path("."), sources=(log,), analysis=section)
    >>> str(_period("2026-Q2", config)), str(_period("2025-Q4", config))
    ('2026-04-01 to 2026-05-15', '2025-11-10 to 2025-12-31')
    >>> survey = SourceSection("survey", Path("survey.csv"), snapshot="before")
    >>> mail = SourceSection("email", Path("mail.csv"), snapshot="before",
    ...                      options={"from": "2026-01-01", "to": "2026-03-31"})
    >>> projects = SourceSection("membership", Path("projects.csv"), snapshot="before",
    ...                          options={"to": "2026-02-28"})
    >>> str(_period("before", Config(root=Path("."), sources=(survey, mail))))
    '2026-01-01 to 2026-03-31'
    >>> str(_period("before", Config(root=Path("."), sources=(survey, mail, projects))))
    '… to 2026-03-31'
    >>> str(_period("before", Config(root=Path("."), sources=(survey,))))
    'not dated'
    """
    by = config.analysis.snapshot_by
    if by is None or name in config.snapshot_names:
        return snapshot_period(name, config, dated=by is None)
    bounds = dated_span(config)
    start, end = bounds.start, bounds.end
    span = pd.Period(name, freq={"month": "M", "quarter": "Q"}[by])
    begins, ends_on = span.start_time.date(), span.end_time.date()
    return Period(max(begins, start) if start else begins, min(ends_on, end) if end else ends_on)


def _merged_ties(results: Sequence[TieImport], counts: Counter[str]) -> pd.DataFrame:
    """The ties of every import, sorted; a pair two sources of one relation both give is one tie, summed.

    A single import's ties are used as they are: each importer normalises and sorts its
    ties and merges its own repeated rows (ten million ties take seconds to sort again).
    """
    if len(results) == 1:
        return results[0].ties
    frames = [pd.DataFrame(columns=TIE_COLUMNS)] + [r.ties for r in results]
    ties = normalise_ties(pd.concat(frames, ignore_index=True))
    repeated = ties.duplicated(["relation", "source", "target"])
    if repeated.any():
        counts["merged-tie"] += int(repeated.sum())
        keys = ["relation", "source", "target"]
        ties = normalise_ties(ties.groupby(keys, sort=False, as_index=False)[["weight", "count"]].sum())
    return ties


def assemble(name: str, config: Config, roster: PeopleImport, results: Sequence[TieImport]) -> Snapshot:
    """One Snapshot from the roster and the imports that feed it."""
    counts: Counter[str] = Counter(roster.normalisations)
    for r in results:
        counts.update(r.normalisations)
    if roster.n_excluded:
        counts["excluded-person"] += roster.n_excluded
    ties = _merged_ties(results, counts)
    issues = {(i.file, i.line, i.code, i.detail): i for r in results for i in r.issues}
    named = {config.name_of(s.path) for s in config.sources if s.snapshot == name}
    dated = {config.name_of(s.path) for s in config.sources if s.kind in DATED_KINDS}
    sources = sorted(named or dated)  # a period cut from dated sources has no source of its own name
    outside = _outside(roster.people, ties)  # no survey asked them: not counted as respondents
    period = _period(name, config)
    return Snapshot.build(
        name,
        _people(roster.people, outside, _message_counts(results)),
        ties,
        period=period,
        provenance=Provenance(
            inputs=(*_roster_records(roster, config), *_records(results, config)),
            parameters={
                "sources": sources,
                "snapshot_by": config.analysis.snapshot_by,
                **({"period_given": period.given} if period.given else {}),
                "relations": relation_sources(results, config.name_of),
                "tie_rules": snapshot_rules(name, config),
                **({"outside_roster": outside} if outside else {}),
            },
            normalisations=dict(sorted(counts.items())),
        ),
        rejected=rejected_table(issues.values()),
        non_respondents=_non_respondents(roster.people, results),
        primary_relation=config.analysis.primary_relation,
        ties_ordered=True,
    )
