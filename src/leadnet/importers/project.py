"""A whole project's inputs → one Snapshot per snapshot name.

Reads the roster once, then every source of every snapshot, resolving people through
the roster. Every input row ends accepted, normalised (counted) or rejected; the run
fails when the roster loses any row or a source rejects more than ``max_reject_rate``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from leadnet.config import Config, SourceSection
from leadnet.errors import ConfigError, InputError, RowIssue
from leadnet.importers.assembly import assemble, by_period, pseudonymise
from leadnet.importers.columns import ColumnClash, MissingRole, clash_placed, missing_placed
from leadnet.importers.email import EmailFile, load_email
from leadnet.importers.email_exports import layout_from_options
from leadnet.importers.empty_sources import warn_all_outside, warn_rule_emptied
from leadnet.importers.exclusions import ExclusionList, check_exclusions, load_exclusions
from leadnet.importers.identity import EXTERNAL, Resolver
from leadnet.importers.membership import DEFAULT_MAX_PROJECT_SIZE, load_membership
from leadnet.importers.people import PeopleImport, load_people
from leadnet.importers.result import HeaderRead
from leadnet.importers.survey import TieImport, load_survey
from leadnet.importers.tie_rules import email_options, email_settings, window
from leadnet.importers.ties import load_ties
from leadnet.model import InputRecord, Snapshot, normalise_people

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


def _emails(sources: Sequence[SourceSection], resolver: Resolver, config: Config) -> TieImport:
    """E-mail sources of one snapshot with the same settings, read as one log (deduped across files)."""
    rules, external, relation = email_settings(sources[0], config)
    files = [
        EmailFile(
            s.path, s.options.get("format"), layout_from_options(s.columns, email_options(s), s.path.parent)
        )
        for s in sources
    ]
    return load_email(
        files,
        resolver,
        internal_domains=config.project.internal_domains,
        rules=rules,
        external=external,
        relation=relation,
        snapshot_by=config.analysis.snapshot_by,
        engine=config.analysis.engine,
    )


def _jobs(sources: Sequence[SourceSection], config: Config) -> list[list[SourceSection]]:
    """The sources in order, e-mail sources of one snapshot with the same settings as one job.

    Two exports of one organisation's mail (say, each mailbox's) hold the same message
    twice; read as one log, its Message-ID is counted once.
    """
    jobs: list[list[SourceSection]] = []
    email: dict[tuple[Any, ...], list[SourceSection]] = {}
    for source in sources:
        if source.kind != "email":
            jobs.append([source])
            continue
        key = (source.snapshot, *email_settings(source, config))
        if key not in email:
            email[key] = []
            jobs.append(email[key])
        email[key].append(source)
    return jobs


def _membership(source: SourceSection, resolver: Resolver, config: Config) -> TieImport:
    analysis = config.analysis
    start, end = window(source, config)
    return load_membership(
        source.path,
        resolver,
        columns=source.columns or None,
        relation=source.relation or "membership",
        max_project_size=int(source.options.get("max_project_size", DEFAULT_MAX_PROJECT_SIZE)),
        period_from=start,
        period_to=end,
        snapshot_by=analysis.snapshot_by,
        encoding=source.encoding,
    )


JobLoader = Callable[[Sequence[SourceSection], Resolver, Config], TieImport]


def _single(loader: SourceLoader) -> JobLoader:
    """A loader of one source as a loader of a job (only e-mail jobs hold several sources)."""
    return lambda job, resolver, config: loader(job[0], resolver, config)


LOADERS: dict[str, JobLoader] = {
    "survey": _single(_survey),
    "ties": _single(_ties),
    "email": _emails,
    "membership": _single(_membership),
}


@dataclass(frozen=True)
class ProjectInputs:
    """Everything read from a project's files, before any analysis."""

    roster: PeopleImport
    snapshots: Mapping[str, Snapshot]
    issues: tuple[RowIssue, ...]
    unreadable: tuple[str, ...] = ()
    """Without ``strict``: why each source that could not be read at all was left out."""
    headers_read: tuple[HeaderRead, ...] = ()
    """The headers of the roster, its opt-out list and the sources read as a role's name written in
    another letter case, each once (:func:`~leadnet.importers.result.headers_read`)."""
    roster_read: bool = True
    """Without ``strict``: false when the roster (or its opt-out list) could not be read at all; the
    sources were then read against nobody, their problems that only a roster tells left out
    (:data:`NEEDS_ROSTER`), and no snapshot made."""


NEEDS_ROSTER = frozenset({"unknown-person", "ambiguous-person", "roster-rejected", "no-roster-address"})
"""The problems of a source's rows or file that only the roster can tell (an id it does not list):
not reported when the roster could not be read, since every id would be one."""


def _read_roster(config: Config, *, strict: bool, command: str) -> tuple[PeopleImport, InputError | None]:
    """The roster (:func:`load_roster`), or, without ``strict``, when it cannot be read at all, a
    roster of nobody whose ``issues`` are the file's problems, with the error, so that ``validate``
    goes on to check the sources."""
    try:
        return load_roster(config, strict=strict, command=command), None
    except InputError as error:
        if strict:
            raise
        nobody = normalise_people(pd.DataFrame({"person_id": pd.Series([], dtype=str)}))
        record = InputRecord(str(config.people.path), "people", "", 0, 0, 0)
        return PeopleImport(nobody, record, error.issues), error


def load_roster(config: Config, *, strict: bool = True, command: str = "leadnet analyse") -> PeopleImport:
    """Read the HR roster and its opt-out list; with ``strict`` any rejected roster row fails the run.

    Without it (``validate``) the valid rows are kept and the rejected ones are left in
    ``issues`` for the caller to report beside the sources' problems. The opt-out list's
    lines that removed nobody are checked (:func:`~leadnet.importers.exclusions.check_exclusions`):
    those that must be fixed fail the run too, or, without ``strict``, join ``issues``;
    the others are a warning naming their lines. ``command`` is the command that was run,
    for the message when there is no roster and no ``leadnet.toml`` was read.
    """
    section = config.people
    if section.path is None and config.file is not None:
        raise ConfigError(
            f"{config.where('[people]')}: no path, so there is no roster; name the HR roster file, such as "
            'path = "people.csv", or pass --people FILE'
        )
    if section.path is None:
        raise ConfigError(
            f"no roster: name the project folder ({command} DIR, where DIR/leadnet.toml has "
            "[people] path) or pass --people FILE"
        )
    try:
        opt_outs = (
            load_exclusions(section.exclude, section.columns or None, encoding=section.encoding)
            if section.exclude is not None
            else None
        )
        roster = load_people(
            section.path,
            section.columns or None,
            level_order=section.level_order,
            top_level=section.top_level,
            encoding=section.encoding,
            exclude=opt_outs or (),
            reserved=_reserved_ids(config),
        )
    except ColumnClash as error:
        raise clash_placed(error, config, "[people]") from None
    except MissingRole as error:
        raise missing_placed(error, config, "[people]") from None
    if roster.issues and strict:
        raise InputError.from_issues(
            roster.issues,
            f"{section.path.name}: {len(roster.issues)} roster row(s) cannot be used; "
            "every roster row must be valid (fix them and run again)",
        )
    if opt_outs is None or section.exclude is None:
        return roster
    return _with_exclusions_checked(opt_outs, roster, section.exclude, strict=strict)


def _reserved_ids(config: Config) -> dict[str, str]:
    """The ids no roster person may have: ``external`` where an e-mail source pools the outside world."""
    pooling = [s for s in config.sources if s.kind == "email" and s.options.get("external") == "pool"]
    if not pooling:
        return {}
    where = config.where(pooling[0].table or "[[sources]]", "external")
    what = f'the one person external = "pool" ({where}) makes of everyone outside the organisation'
    return {EXTERNAL: what}


OPT_OUT_DIGEST = "withheld"
"""The opt-out list's sha256 as an input records it: withheld, because the digest of a short list
of ids is found again by hashing lists of roster ids (a few million guesses for two of a thousand
people, seconds), and would say who opted out. Its rows are recorded, as every input's are."""


def _with_exclusions_checked(
    opt_outs: ExclusionList, roster: PeopleImport, path: Path, *, strict: bool
) -> PeopleImport:
    """The roster, its issues joined by the opt-out lines to fix (``strict``: they fail the run), its
    counts, headers read in another letter case and rows skipped by the list's, and the list at
    ``path`` as an input: its rows read, each accepted (a skipped row is counted, as every table's)."""
    problems = check_exclusions(opt_outs, roster)
    if problems and strict:
        raise InputError.from_issues(
            problems,
            f"{opt_outs.file}: {len(problems)} line(s) of the exclusion list match nobody on the roster but "
            "look like a mistyped id; every opt-out must remove its person, or they stay in the analysis "
            "(fix them and run again)",
        )
    counts = Counter(roster.normalisations) + Counter(opt_outs.normalisations)
    return replace(
        roster,
        issues=(*roster.issues, *problems),
        normalisations=dict(sorted(counts.items())),
        headers_read=(*roster.headers_read, *opt_outs.headers_read),
        opt_out_rows=tuple((opt_outs.file, code, lines) for code, lines in opt_outs.skipped.items()),
        opt_out_record=InputRecord(
            str(path), "exclusions", OPT_OUT_DIGEST, opt_outs.rows_read, opt_outs.rows_read, 0
        ),
    )


def _check_reject_rate(result: TieImport, limit: float) -> None:
    for record in getattr(result, "records", ()) or (result.record,):
        if not record.rows_read or record.rows_rejected / record.rows_read <= limit:
            continue
        share = record.rows_rejected / record.rows_read
        name = Path(record.path).name
        raise InputError.from_issues(
            [i for i in result.issues if i.file == name] or result.issues,
            f"{Path(record.path).name}: {record.rows_rejected} of {record.rows_read} rows rejected "
            f"({share:.1%}), above max_reject_rate {limit:.1%}; fix the rows below or raise "
            "max_reject_rate in [analysis]",
        )


def _check_primary_relation(relation: str | None, snapshots: Mapping[str, Snapshot], where: str) -> None:
    """A configured primary relation must be among the ties read (a typo would analyse no ties)."""
    found = sorted({r for snap in snapshots.values() for r in snap.ties["relation"].unique()})
    if relation is not None and found and relation not in found:
        listed = ", ".join(f'"{r}"' for r in found)
        raise ConfigError(
            f'{where} primary_relation = "{relation}" names no relation of the ties read; '
            f"the sources give {listed}: set primary_relation to one of them, or fix the "
            "relation of the source that should give it"
        )


def _once(
    issues: Sequence[RowIssue], job: Sequence[SourceSection], seen: set[tuple[object, RowIssue]]
) -> list[RowIssue]:
    """The ``issues`` of a job not yet reported: a file two sources read (for two snapshots, or
    two windows) has the same problems each time, and each is reported once."""
    paths = {s.path.name: s.path for s in job}
    fresh = [i for i in dict.fromkeys(issues) if (paths.get(i.file, i.file), i) not in seen]
    seen.update((paths.get(i.file, i.file), i) for i in fresh)
    return fresh


def load_project(config: Config, *, strict: bool = True, command: str = "leadnet analyse") -> ProjectInputs:
    """Read the roster and every source, grouped into snapshots by name.

    With ``strict`` (the default for ``analyse``) a source over ``max_reject_rate``, or
    one that cannot be read at all, raises; ``validate`` passes ``strict=False`` to collect
    every problem: rejected rows in ``issues``, unreadable sources in ``unreadable``.
    ``command`` is the command that was run, named when there are no inputs and no
    ``leadnet.toml`` was read.
    """
    if not config.sources and config.file is not None:
        raise ConfigError(
            f"{config.file.name}: no [[sources]], so there is nothing to analyse; add one per input file, "
            'such as [[sources]] with kind = "survey" and path = "survey.csv", or pass '
            "--survey/--email/--membership/--ties FILE"
        )
    if not config.sources:
        raise ConfigError(
            f"no sources: name the project folder ({command} DIR, where DIR/leadnet.toml has "
            "[[sources]]) or pass --survey/--email/--membership/--ties FILE"
        )
    roster, unread = _read_roster(config, strict=strict, command=command)
    resolver = roster.resolver()
    by_name: dict[str, list[TieImport]] = {}
    issues: list[RowIssue] = list(roster.issues)
    unreadable: list[str] = [str(unread)] if unread is not None and not unread.issues else []
    seen: set[tuple[object, RowIssue]] = set()  # (file, issue): a file read twice is reported once
    left_out = False  # a source that could not be read: its relation may be the one missing
    read_as = list(roster.headers_read)
    for job in _jobs(config.sources, config):
        source = job[0]
        loader = LOADERS.get(source.kind)
        if loader is None:
            raise ConfigError(
                f'{source.path.name}: sources of kind "{source.kind}" are not supported by this version; '
                f"supported kinds: {', '.join(sorted(LOADERS))}"
            )
        try:
            result = loader(job, resolver, config)
        except ColumnClash as error:
            raise clash_placed(error, config, source.table) from None
        except InputError as error:
            error = missing_placed(error, config, source.table)
            if strict:
                raise error from None
            left_out = True
            if error.issues:  # the rows it lists, each with its line
                issues.extend(_once(error.issues, job, seen))
            elif str(error) not in unreadable:  # the file itself, named in the message; the rest go on
                unreadable.append(str(error))
            continue
        if strict:
            _check_reject_rate(result, config.analysis.max_reject_rate)
        warn_all_outside(result, job, config)
        warn_rule_emptied(result, job, config)
        issues.extend(_once(result.issues, job, seen))
        read_as.extend(result.headers_read)
        for name, piece in by_period(result, source.snapshot, config.analysis.snapshot_by):
            by_name.setdefault(name, []).append(piece)
    named = [name for name in config.snapshot_names if name in by_name]
    order = named + sorted(set(by_name) - set(named))  # then dated periods, oldest first
    if unread is not None:  # no roster: nobody's id was checked, and no snapshot can be made
        issues, order = [i for i in issues if i.code not in NEEDS_ROSTER], []
    snapshots = {name: assemble(name, config, roster, by_name[name]) for name in order}
    if not left_out:
        _check_primary_relation(
            config.analysis.primary_relation, snapshots, config.where("[analysis]", "primary_relation")
        )
    if config.analysis.pseudonymise and config.pseudonym_key is not None:
        snapshots = {name: pseudonymise(snap, config.pseudonym_key) for name, snap in snapshots.items()}
    return ProjectInputs(
        roster=roster,
        snapshots=snapshots,
        issues=tuple(issues),
        unreadable=tuple(unreadable),
        headers_read=tuple(dict.fromkeys(read_as)),  # a file two sources read, once
        roster_read=unread is None,
    )
