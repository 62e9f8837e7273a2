"""A whole project's inputs → one Snapshot per snapshot name.

Reads the roster once, then every source of every snapshot, resolving people through
the roster. Every input row ends accepted, normalised (counted) or rejected; the run
fails when the roster loses any row or a source rejects more than ``max_reject_rate``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from leadnet.config import Config, SourceSection
from leadnet.errors import ConfigError, FiguresWarning, InputError, RowIssue
from leadnet.importers.assembly import assemble, by_period, pseudonymise
from leadnet.importers.column_fixes import missing_entry, missing_placed, unread_warnings_placed
from leadnet.importers.columns import ColumnClash, clash_placed
from leadnet.importers.email import EmailFile, load_email
from leadnet.importers.email_exports import layout_from_options
from leadnet.importers.empty_sources import warn_all_outside, warn_rule_emptied
from leadnet.importers.file_names import error_named, import_named, job_names, source_files
from leadnet.importers.identity import Resolver
from leadnet.importers.membership import DEFAULT_MAX_PROJECT_SIZE, load_membership
from leadnet.importers.path_fixes import source_file_placed
from leadnet.importers.people import PeopleImport
from leadnet.importers.result import HeaderRead
from leadnet.importers.roster import read_roster
from leadnet.importers.survey import TieImport, load_survey
from leadnet.importers.tie_rules import email_options, email_settings, window
from leadnet.importers.ties import load_ties
from leadnet.importers.wrong_columns import stop_at_wrong_column, wrong_columns_placed
from leadnet.model import Snapshot

SourceLoader = Callable[[SourceSection, Resolver, Config], TieImport]


def _survey(source: SourceSection, resolver: Resolver, config: Config) -> TieImport:
    return load_survey(
        source.path,
        resolver,
        columns=source.columns or None,
        relation=source.relation or "advice",
        layout=source.layout,
        encoding=source.encoding,
        name=config.name_of(source.path),
    )


def _ties(source: SourceSection, resolver: Resolver, config: Config) -> TieImport:
    return load_ties(
        source.path,
        resolver,
        columns=source.columns or None,
        relation=source.relation or "ties",
        directed=bool(source.options.get("directed", True)),
        encoding=source.encoding,
        name=config.name_of(source.path),
    )


def _emails(sources: Sequence[SourceSection], resolver: Resolver, config: Config) -> TieImport:
    """E-mail sources of one snapshot with the same settings, read as one log (deduped across files)."""
    rules, external, relation = email_settings(sources[0], config)
    files = [
        EmailFile(
            s.path,
            s.options.get("format"),
            layout_from_options(s.columns, email_options(s), s.recipients_path),
        )
        for s in sources
    ]
    result = load_email(
        files,
        resolver,
        internal_domains=config.project.internal_domains,
        rules=rules,
        external=external,
        relation=relation,
        snapshot_by=config.analysis.snapshot_by,
        engine=config.analysis.engine,
    )
    return import_named(result, job_names(sources, config))  # its error: named in _read_job, once placed


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
        name=config.name_of(source.path),
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
    """Without ``strict``: false when the roster could not be read at all; the sources were then read
    against nobody, their problems that only a roster tells left out (:data:`NEEDS_ROSTER`), and no
    snapshot made."""

    @property
    def opt_outs_read(self) -> bool:
        """False when, without ``strict``, the roster's opt-out list could not be read: its problems are
        among ``issues`` and the roster, sources and snapshots were read with nobody left out."""
        return self.roster.opt_outs_unread is None


NEEDS_ROSTER = frozenset({"unknown-person", "ambiguous-person", "roster-rejected", "no-roster-address"})
"""The problems of a source's rows or file that only the roster can tell (an id it does not list):
not reported when the roster could not be read, since every id would be one."""


def _check_reject_rate(result: TieImport, limit: float, name_of: Callable[[Path], str]) -> None:
    for record in getattr(result, "records", ()) or (result.record,):
        if not record.rows_read or record.rows_rejected / record.rows_read <= limit:
            continue
        share = record.rows_rejected / record.rows_read
        name = name_of(Path(record.path))
        raise InputError.from_issues(
            [i for i in result.issues if i.file == name] or result.issues,
            f"{name}: {record.rows_rejected:,} of {record.rows_read:,} rows rejected "
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
    issues: Sequence[RowIssue],
    job: Sequence[SourceSection],
    seen: set[tuple[object, RowIssue]],
    name_of: Callable[[Path], str],
) -> list[RowIssue]:
    """The ``issues`` of a job not yet reported: a file two sources read (for two snapshots, or
    two windows) has the same problems each time, and each is reported once. An issue names its file
    as ``name_of`` does (its path in the project), so two files of one name in two folders are two."""
    paths = {name_of(s.path): s.path for s in job}
    fresh = [i for i in dict.fromkeys(issues) if (paths.get(i.file, i.file), i) not in seen]
    seen.update((paths.get(i.file, i.file), i) for i in fresh)
    return fresh


def _missing_fixed(error: InputError, job: Sequence[SourceSection], config: Config) -> InputError:
    """A job's ``missing-column`` error with the line to write in its source's column map, or, for a
    file given on the command line, the source's whole entry (:mod:`~leadnet.importers.column_fixes`).
    The source is the one of the job whose file the error names (an e-mail log's several files)."""
    source = _source_named(next((issue.file for issue in error.issues), ""), job, config)
    if source.table is None:
        return missing_entry(error, config, "[[sources]]", source.path, f"--{source.kind}", source.kind)
    return missing_placed(error, config, source.table)


def _path_placed(error: InputError, job: Sequence[SourceSection], config: Config) -> InputError:
    """A job's file not found, its fix at the line of its source's ``path`` (or ``recipients.path``) in
    ``leadnet.toml`` (:func:`~leadnet.importers.path_fixes.source_file_placed`)."""
    source = _source_named(next((issue.file for issue in error.issues), ""), job, config)
    return source_file_placed(error, config, source)


def _tables_of(job: Sequence[SourceSection], config: Config) -> Callable[[str], str | None]:
    """The table of ``leadnet.toml`` of the source of a job that reads a file, by the file's name."""
    return lambda file: _source_named(file, job, config).table


def _source_named(file: str, job: Sequence[SourceSection], config: Config) -> SourceSection:
    """The source of a job that reads the file ``file`` names (an e-mail log's several files; a
    recipients file is its export's): by the name the file goes by, else (a warning the e-mail
    importer raised) by its own name, else the job's first."""
    for named in (config.name_of, lambda path: path.name):
        found = next((s for s in job if file in {named(path) for path in source_files(s)}), None)
        if found is not None:
            return found
    return job[0]


@dataclass
class _Gathered:
    """What a project's files gave so far, job by job: each snapshot's imports by name, the
    problems (each once), the files that could not be read, the headers read in another case."""

    imports: dict[str, list[TieImport]]
    issues: list[RowIssue]
    unreadable: list[str]
    read_as: list[HeaderRead]
    name_of: Callable[[Path], str]
    """The name a file goes by (:meth:`~leadnet.config.Config.name_of`), which its issues give it."""
    left_out: bool = False
    """A source could not be read: its relation may be the one missing."""
    seen: set[tuple[object, RowIssue]] = field(default_factory=set)
    """(file, issue): a file read twice is reported once."""
    cautions: dict[str, list[str]] = field(default_factory=dict)
    """Each snapshot's :class:`~leadnet.errors.FiguresWarning` messages, in the order given."""

    @classmethod
    def of_roster(cls, roster: PeopleImport, unread: InputError | None, config: Config) -> _Gathered:
        """The roster's problems, and the roster or opt-out list that could not be read at all."""
        unread_files = (unread, roster.opt_outs_unread)  # the roster, its opt-out list: whole files unread
        unreadable = [str(error) for error in unread_files if error is not None and not error.issues]
        return cls({}, list(roster.issues), unreadable, list(roster.headers_read), config.name_of)

    def add(
        self,
        result: TieImport,
        job: Sequence[SourceSection],
        snapshot_by: str | None,
        cautions: Sequence[str] = (),
    ) -> None:
        """A job's import: its problems, its headers and its ties, cut into the snapshots they belong to,
        each of which keeps the job's ``cautions``."""
        self.issues.extend(_once(result.issues, job, self.seen, self.name_of))
        self.read_as.extend(result.headers_read)
        for name, piece in by_period(result, job[0].snapshot, snapshot_by):
            self.imports.setdefault(name, []).append(piece)
            kept = self.cautions.setdefault(name, [])
            kept.extend(c for c in cautions if c not in kept)

    def leave_out(self, error: InputError, job: Sequence[SourceSection]) -> None:
        """A job that could not be read: the rows its error lists, else the error itself."""
        self.left_out = True
        if error.issues:  # the rows it lists, each with its line
            self.issues.extend(_once(error.issues, job, self.seen, self.name_of))
        elif str(error) not in self.unreadable:  # the file itself, named in the message; the rest go on
            self.unreadable.append(str(error))


def _check_sources_given(config: Config, command: str) -> None:
    """A project with no source has nothing to analyse: say how to give one."""
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


def _loader(source: SourceSection, config: Config) -> JobLoader:
    """The loader of a source's kind, or an error listing the kinds this version reads."""
    loader = LOADERS.get(source.kind)
    if loader is None:
        raise ConfigError(
            f'{config.name_of(source.path)}: sources of kind "{source.kind}" are not supported by this '
            f"version; supported kinds: {', '.join(sorted(LOADERS))}"
        )
    return loader


def _read_job(
    job: Sequence[SourceSection], resolver: Resolver, config: Config, gathered: _Gathered, *, strict: bool
) -> None:
    """Read one job into ``gathered``, its column-map errors and its warnings of unread columns placed
    in ``leadnet.toml``, each warning given on once, the :class:`~leadnet.errors.FiguresWarning` ones
    kept as cautions of the snapshots it feeds; with ``strict`` a file that cannot be read, a column of
    the wrong type, or too many rows rejected, raises."""
    source = job[0]
    loader = _loader(source, config)
    try:
        with unread_warnings_placed(config, _tables_of(job, config), job_names(job, config)) as given:
            result = loader(job, resolver, config)
    except ColumnClash as error:
        raise clash_placed(error, config, source.table) from None
    except InputError as error:
        error = _path_placed(_missing_fixed(error, job, config), job, config)
        error = error_named(error, job_names(job, config))  # the e-mail importer's names its files so
        if strict:
            raise error from None
        gathered.leave_out(error, job)
        return
    result = wrong_columns_placed(result, lambda file: _source_named(file, job, config), config)
    if strict:
        stop_at_wrong_column(result)
        _check_reject_rate(result, config.analysis.max_reject_rate, config.name_of)
    warn_all_outside(result, job, config)
    warn_rule_emptied(result, job, config)
    cautions = [str(w.message) for w in given if issubclass(w.category, FiguresWarning)]
    gathered.add(result, job, config.analysis.snapshot_by, cautions)


def _snapshot_order(config: Config, imports: Mapping[str, object]) -> list[str]:
    """The snapshots read: named ones in the order of their first source, then dated periods, oldest first."""
    named = [name for name in config.snapshot_names if name in imports]
    return named + sorted(set(imports) - set(named))


def _snapshots(
    config: Config, roster: PeopleImport, gathered: _Gathered, order: Sequence[str]
) -> dict[str, Snapshot]:
    """The snapshots of ``order`` assembled, their primary relation checked when every source was
    read, and pseudonymised when the project asks."""
    snapshots = {
        name: _with_cautions(
            assemble(name, config, roster, gathered.imports[name]), gathered.cautions.get(name)
        )
        for name in order
    }
    if not gathered.left_out:
        _check_primary_relation(
            config.analysis.primary_relation, snapshots, config.where("[analysis]", "primary_relation")
        )
    if config.analysis.pseudonymise and config.pseudonym_key is not None:
        snapshots = {name: pseudonymise(snap, config.pseudonym_key) for name, snap in snapshots.items()}
    return snapshots


def _with_cautions(snapshot: Snapshot, cautions: Sequence[str] | None) -> Snapshot:
    """``snapshot`` carrying what its sources' importers warned changes what its figures mean."""
    if not cautions:
        return snapshot
    return replace(snapshot, provenance=replace(snapshot.provenance, cautions=tuple(cautions)))


def load_project(config: Config, *, strict: bool = True, command: str = "leadnet analyse") -> ProjectInputs:
    """Read the roster and every source, grouped into snapshots by name.

    With ``strict`` (the default for ``analyse``) a source over ``max_reject_rate``, or
    one that cannot be read at all, raises; ``validate`` passes ``strict=False`` to collect
    every problem: rejected rows in ``issues``, unreadable sources in ``unreadable``.
    ``command`` is the command that was run, named when there are no inputs and no
    ``leadnet.toml`` was read.
    """
    _check_sources_given(config, command)
    roster, unread = read_roster(config, strict=strict, command=command)
    resolver = roster.resolver()
    gathered = _Gathered.of_roster(roster, unread, config)
    for job in _jobs(config.sources, config):
        _read_job(job, resolver, config, gathered, strict=strict)
    issues, order = gathered.issues, _snapshot_order(config, gathered.imports)
    if unread is not None:  # no roster: nobody's id was checked, and no snapshot can be made
        issues, order = [i for i in issues if i.code not in NEEDS_ROSTER], []
    return ProjectInputs(
        roster=roster,
        snapshots=_snapshots(config, roster, gathered, order),
        issues=tuple(issues),
        unreadable=tuple(gathered.unreadable),
        headers_read=tuple(dict.fromkeys(gathered.read_as)),  # a file two sources read, once
        roster_read=unread is None,
    )
