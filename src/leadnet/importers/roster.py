"""A project's roster: the HR roster and its opt-out list, read as ``leadnet analyse`` and
``leadnet validate`` read them.

:func:`load_roster` reads the roster of ``[people]`` with its opt-out list (``exclude``), whose
lines that removed nobody are checked against it
(:func:`~leadnet.importers.exclusions.check_exclusions`), and records the list as an input
with its digest withheld (:data:`OPT_OUT_DIGEST`). ``analyse`` (``strict``) stops at any problem
of either. ``validate`` goes on: a roster that cannot be read at all is a roster of nobody beside
its problems (:func:`read_roster`), and an opt-out list that cannot be read is reported and the
roster read as if nobody had opted out, which ``analyse`` never does (an opt-out lost would
analyse the person who opted out).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import pandas as pd

from leadnet.config import Config
from leadnet.errors import ConfigError, InputError, RowIssue
from leadnet.importers.column_fixes import map_lines, missing_entry, missing_placed, unread_warnings_placed
from leadnet.importers.columns import ColumnClash, clash_placed
from leadnet.importers.exclusions import ExclusionList, check_exclusions, load_exclusions
from leadnet.importers.identity import EXTERNAL, UNREAD_OPT_OUTS
from leadnet.importers.levels import UNLISTED
from leadnet.importers.path_fixes import missing_file_placed
from leadnet.importers.people import PeopleImport, load_people
from leadnet.importers.wrong_columns import WRONG_COLUMN, Mapped, column_fix
from leadnet.model import InputRecord, normalise_people


def read_roster(config: Config, *, strict: bool, command: str) -> tuple[PeopleImport, InputError | None]:
    """The roster (:func:`load_roster`), or, without ``strict``, when it cannot be read at all, a
    roster of nobody whose ``issues`` are the file's problems, with the error, so that ``validate``
    goes on to check the sources."""
    try:
        return load_roster(config, strict=strict, command=command), None
    except InputError as error:
        if strict:
            raise
        nobody = normalise_people(pd.DataFrame({"person_id": pd.Series([], dtype=str)}))
        path = config.people.path
        record = InputRecord(str(path), "people", "", 0, 0, 0)
        file = "" if path is None else config.name_of(path)
        return PeopleImport(nobody, record, error.issues, file=file), error


def load_roster(config: Config, *, strict: bool = True, command: str = "leadnet analyse") -> PeopleImport:
    """Read the HR roster and its opt-out list; with ``strict`` any rejected roster row fails the run.

    Without it (``validate``) the valid rows are kept and the rejected ones are left in
    ``issues`` for the caller to report beside the sources' problems. The opt-out list's
    lines that removed nobody are checked (:func:`~leadnet.importers.exclusions.check_exclusions`):
    those that must be fixed fail the run too, or, without ``strict``, join ``issues``;
    the others are a warning naming their lines. An opt-out list that cannot be read fails the
    run (an opt-out lost would analyse the person who opted out); without ``strict`` its problems
    join ``issues`` (``opt_outs_unread`` says why) and the roster is read and checked as if nobody
    had opted out. ``command`` is the command that was run, for the message when there is no
    roster and no ``leadnet.toml`` was read.
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
    opt_outs, unread = _read_opt_outs(config, strict=strict)
    try:
        with unread_warnings_placed(config, lambda _: "[people]"):
            roster = load_people(
                section.path,
                section.columns or None,
                level_order=section.level_order,
                top_level=section.top_level,
                encoding=section.encoding,
                exclude=opt_outs or (),
                reserved=_reserved_ids(config),
                unsuggested=None if unread is None else UNREAD_OPT_OUTS,
                name=config.name_of(section.path),
            )
    except ColumnClash as error:
        raise clash_placed(error, config, "[people]") from None
    except InputError as error:
        if config.file is None:  # the roster of --people, and no leadnet.toml: the whole entry to write
            error = missing_entry(error, config, "[people]", section.path, "--people")
        else:
            error = missing_placed(error, config, "[people]")
            error = missing_file_placed(error, config, "[people]", "path", section.path)
        if unread is not None and error.issues:  # validate: the opt-out list's problems beside the roster's
            error = InputError.from_issues((*error.issues, *unread.issues))
        raise error from None
    roster = replace(roster, issues=_settings_placed(roster.issues, config))
    if unread is not None:
        return replace(roster, issues=(*roster.issues, *unread.issues), opt_outs_unread=unread)
    if roster.issues and strict:
        raise _roster_error(roster.issues, roster.file, roster.record.rows_rejected)
    if opt_outs is None or section.exclude is None:
        return roster
    return _with_exclusions_checked(opt_outs, roster, section.exclude, strict=strict)


def _settings_placed(issues: tuple[RowIssue, ...], config: Config) -> tuple[RowIssue, ...]:
    """The roster's issues, those of ``leadnet.toml`` first, at their line there: the levels
    ``level_order`` lacks (:func:`~leadnet.importers.levels.unlisted_levels`) at ``level_order``'s, and
    an ``is_manager`` column of the wrong type (:mod:`~leadnet.importers.wrong_columns`) at its map's."""
    first = [issue for issue in issues if issue.code in (UNLISTED, WRONG_COLUMN)]
    rest = tuple(issue for issue in issues if issue not in first)
    if config.file is None:
        return (*first, *rest)
    placed = []
    for issue in first:
        if issue.code == UNLISTED:
            line = config.line_of("[people]", "level_order")
            issue = replace(issue, file=config.file.name, line=line, detail=f"[people] {issue.detail}")
        else:
            mapped = "is_manager" in config.people.columns
            at = map_lines(config, "[people]", "columns")("is_manager")
            where = Mapped("is_manager", mapped, f"columns of [people] at {at}")
            issue = replace(issue, hint=column_fix(issue.column or "", where))
        placed.append(issue)
    return (*placed, *rest)


def _roster_error(issues: tuple[RowIssue, ...], roster: str, rejected: int) -> InputError:
    """``analyse``'s error for a roster with problems: the levels ``level_order`` lacks alone, as it is;
    else the ``rejected`` rows that cannot be used counted (one problem may stand for several, as a
    reserved label's does), that problem (if any) listed first."""
    rows = [issue for issue in issues if issue.code not in (UNLISTED, WRONG_COLUMN)]
    if not rows:
        return InputError.from_issues(issues)
    return InputError.from_issues(
        issues,
        f"{roster}: {rejected or len(rows)} roster row(s) cannot be used; every roster row must be valid "
        "(fix them and run again)",
    )


def _read_opt_outs(config: Config, *, strict: bool) -> tuple[ExclusionList | None, InputError | None]:
    """The roster's opt-out list (``None`` when it has none), or, without ``strict``, ``None`` and why
    it cannot be read."""
    section = config.people
    if section.exclude is None:
        return None, None
    try:
        opt_outs = load_exclusions(
            section.exclude,
            section.columns or None,
            encoding=section.encoding,
            name=config.name_of(section.exclude),
        )
        return opt_outs, None
    except InputError as error:
        error = missing_file_placed(error, config, "[people]", "exclude", section.exclude)
        if strict:
            raise error from None
        return None, error


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
