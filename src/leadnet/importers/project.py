"""A whole project's inputs → one Snapshot per snapshot name.

Reads the roster once, then every source of every snapshot, resolving people through
the roster. Every input row ends accepted, normalised (counted) or rejected; the run
fails when the roster loses any row or a source rejects more than ``max_reject_rate``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from leadnet.config import Config, SourceSection
from leadnet.errors import ConfigError, InputError, RowIssue
from leadnet.importers.aggregate import rules_from_options
from leadnet.importers.email import load_email
from leadnet.importers.email_exports import layout_from_options
from leadnet.importers.identity import Resolver
from leadnet.importers.membership import load_membership
from leadnet.importers.people import PeopleImport, load_people
from leadnet.importers.survey import TieImport, load_survey
from leadnet.importers.ties import load_ties
from leadnet.model import REJECTED_COLUMNS, Period, Provenance, Snapshot, normalise_ties

SourceLoader = Callable[[SourceSection, Resolver, Config], TieImport]


def _survey(source: SourceSection, resolver: Resolver, _config: Config) -> TieImport:
    return load_survey(
        source.path,
        resolver,
        columns=source.columns or None,
        relation=source.relation or "advice",
        layout=source.layout,
        encoding=source.encoding,
    )


def _ties(source: SourceSection, resolver: Resolver, _config: Config) -> TieImport:
    return load_ties(
        source.path,
        resolver,
        columns=source.columns or None,
        relation=source.relation or "ties",
        directed=bool(source.options.get("directed", True)),
        encoding=source.encoding,
    )


def _email(source: SourceSection, resolver: Resolver, config: Config) -> TieImport:
    options, analysis = source.options, config.analysis
    return load_email(
        source.path,
        resolver,
        file_format=options.get("format"),
        layout=layout_from_options(source.columns, options, source.path.parent),
        internal_domains=config.project.internal_domains,
        rules=rules_from_options(options, analysis.period_from, analysis.period_to),
        external=str(options.get("external", "drop")),
        relation=source.relation or "email",
        snapshot_by=analysis.snapshot_by,
        engine=analysis.engine,
    )


def _membership(source: SourceSection, resolver: Resolver, config: Config) -> TieImport:
    analysis = config.analysis
    return load_membership(
        source.path,
        resolver,
        columns=source.columns or None,
        relation=source.relation or "membership",
        max_project_size=int(source.options.get("max_project_size", 50)),
        period_from=analysis.period_from,
        period_to=analysis.period_to,
        snapshot_by=analysis.snapshot_by,
        encoding=source.encoding,
    )


LOADERS: dict[str, SourceLoader] = {
    "survey": _survey,
    "ties": _ties,
    "email": _email,
    "membership": _membership,
}


@dataclass(frozen=True)
class ProjectInputs:
    """Everything read from a project's files, before any analysis."""

    roster: PeopleImport
    snapshots: Mapping[str, Snapshot]
    issues: tuple[RowIssue, ...]


def rejected_table(issues: tuple[RowIssue, ...]) -> pd.DataFrame:
    """``rejected.csv`` rows: file, line, code, detail (detail includes the column and hint)."""
    rows = [
        {
            "file": i.file,
            "line": i.line,
            "code": i.code,
            "detail": (f'column "{i.column}": ' if i.column else "")
            + i.detail
            + (f" ({i.hint})" if i.hint else ""),
        }
        for i in issues
    ]
    return pd.DataFrame(rows, columns=list(REJECTED_COLUMNS)).astype({"line": "Int64"})


def _read_exclusions(path: Path | None) -> frozenset[str]:
    if path is None:
        return frozenset()
    if not path.is_file():
        raise InputError(f"{path.name}: no such file (the exclusion list named in [people] exclude)")
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    return frozenset(x.strip() for x in lines[1:] if x.strip())  # first line is the header


def load_roster(config: Config) -> PeopleImport:
    """Read the HR roster; any rejected roster row fails the run."""
    section = config.people
    if section.path is None:
        raise ConfigError("no roster: give [people] path in leadnet.toml or --people FILE")
    roster = load_people(
        section.path,
        section.columns or None,
        level_order=section.level_order,
        top_level=section.top_level,
        encoding=section.encoding,
        exclude=_read_exclusions(section.exclude),
    )
    if roster.issues:
        raise InputError.from_issues(
            roster.issues,
            f"{section.path.name}: {len(roster.issues)} roster row(s) cannot be used; "
            "every roster row must be valid (fix them and run again)",
        )
    return roster


def _check_reject_rate(result: TieImport, limit: float) -> None:
    record = result.record
    if record.rows_read and record.rows_rejected / record.rows_read > limit:
        share = record.rows_rejected / record.rows_read
        raise InputError.from_issues(
            result.issues,
            f"{Path(record.path).name}: {record.rows_rejected} of {record.rows_read} rows rejected "
            f"({share:.1%}), above max_reject_rate {limit:.1%}; fix the rows below or raise "
            "max_reject_rate in [analysis]",
        )


def _snapshot(name: str, config: Config, roster: PeopleImport, results: list[TieImport]) -> Snapshot:
    counts: Counter[str] = Counter(roster.normalisations)
    for r in results:
        counts.update(r.normalisations)
    if roster.n_excluded:
        counts["excluded-person"] += roster.n_excluded
    surveys = [r for r in results if r.record.kind == "survey"]
    non_respondents: set[str] = set(roster.people["person_id"]) if surveys else set()
    for r in surveys:
        non_respondents &= set(r.non_respondents)
    issues = tuple(i for r in results for i in r.issues)
    ties = normalise_ties(pd.concat([r.ties for r in results], ignore_index=True)) if results else None
    return Snapshot.build(
        name,
        roster.people,
        ties
        if ties is not None
        else pd.DataFrame(columns=["source", "target", "relation", "weight", "count"]),
        period=Period(config.analysis.period_from, config.analysis.period_to),
        provenance=Provenance(
            inputs=(roster.record, *(r.record for r in results)),
            parameters={"sources": [str(s.path.name) for s in config.sources if s.snapshot == name]},
            normalisations=dict(sorted(counts.items())),
        ),
        rejected=rejected_table(issues),
        non_respondents=tuple(sorted(non_respondents)),
        primary_relation=config.analysis.primary_relation,
    )


def load_project(config: Config, *, strict: bool = True) -> ProjectInputs:
    """Read the roster and every source, grouped into snapshots by name.

    With ``strict`` (the default for ``analyse``) a source over ``max_reject_rate``
    raises; ``validate`` passes ``strict=False`` to collect every problem.
    """
    if not config.sources:
        raise ConfigError("no sources: add [[sources]] to leadnet.toml or pass --survey/--ties FILE")
    roster = load_roster(config)
    resolver = roster.resolver()
    by_name: dict[str, list[TieImport]] = {}
    for source in config.sources:
        loader = LOADERS.get(source.kind)
        if loader is None:
            raise ConfigError(
                f'{source.path.name}: sources of kind "{source.kind}" are not supported by this version; '
                f"supported kinds: {', '.join(sorted(LOADERS))}"
            )
        result = loader(source, resolver, config)
        if strict:
            _check_reject_rate(result, config.analysis.max_reject_rate)
        by_name.setdefault(source.snapshot, []).append(result)
    snapshots = {name: _snapshot(name, config, roster, results) for name, results in by_name.items()}
    issues = tuple(i for results in by_name.values() for r in results for i in r.issues)
    return ProjectInputs(roster=roster, snapshots=snapshots, issues=issues)
