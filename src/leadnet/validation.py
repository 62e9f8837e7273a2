"""``leadnet validate``: a project's inputs read as ``leadnet analyse`` reads them, every problem collected.

The roster and the sources are read by :func:`~leadnet.importers.project.load_project`
without ``strict``; a roster that cannot be read at all is one problem among the others, the
sources then checked as far as they can be without it; an opt-out list that cannot be read is
one too, the roster, sources and cohort file then checked as if nobody had opted out, with a
note saying so (``analyse`` stops there: an opt-out lost would analyse the person who opted out),
and no roster id suggested for an unknown one, which could be someone who opted out
(:data:`~leadnet.importers.identity.UNREAD_OPT_OUTS`).
The programme's cohort file (``[programme] cohort``) is read by
:func:`~leadnet.cohort_file.read_cohort`, as ``analyse`` reads it before comparing: against the
people of the programme's snapshots (anyone, when the roster could not be read), knowing who
opted out from the roster, with the run's pseudonym key. Its rows' problems join the sources'
``issues``; a file that cannot be read at all joins ``unreadable``; its rows naming people who
opted out are a :class:`~leadnet.errors.LeadnetWarning` naming their lines, as in ``analyse``.
Nothing is analysed or written.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from leadnet.cohort_file import read_cohort, warn_opted_out
from leadnet.cohort_members import OptOuts
from leadnet.config import Config
from leadnet.errors import MAX_LISTED, ConfigError, InputError, lines_listed
from leadnet.importers.identity import pseudonyms
from leadnet.importers.path_fixes import missing_file_placed
from leadnet.importers.project import ProjectInputs, load_project
from leadnet.model import Snapshot
from leadnet.paths import named_by_path, named_issues, outside_names

__all__ = ["closing_lines", "validate_project", "verdict"]


def validate_project(config: Config) -> ProjectInputs:
    """Read every input of a project without stopping at a problem: roster, sources, cohort file.

    Returns what :func:`~leadnet.importers.project.load_project` returns without
    ``strict``, with the cohort file's problems added to ``issues`` (its rows, each with
    its line) or ``unreadable`` (the file as a whole), and, in ``unreadable``, a
    ``[programme]`` whose before/after names a snapshot the sources do not define. A file
    outside the project folder is named by its path as ``leadnet.toml`` writes it
    (:func:`~leadnet.paths.outside_names`).
    """
    inputs = _validated(config)
    names = outside_names(config.root, config.written)
    if not names:
        return inputs
    issues = tuple(replace(issue, file=names.get(issue.file, issue.file)) for issue in inputs.issues)
    unread = inputs.roster.opt_outs_unread  # named in the note on it (closing_lines)
    roster = (
        inputs.roster
        if unread is None
        else replace(inputs.roster, opt_outs_unread=named_issues(unread, names))
    )
    return replace(
        inputs,
        roster=roster,
        issues=issues,
        unreadable=tuple(named_by_path(u, names) for u in inputs.unreadable),
    )


def _validated(config: Config) -> ProjectInputs:
    inputs = load_project(config, strict=False, command="leadnet validate")
    programme = config.programme
    if programme is None:
        return inputs
    names = _snapshot_names(config, inputs)
    problem = None if names is None else programme.unknown_snapshots(names, config.where)
    if problem is not None:
        inputs = replace(inputs, unreadable=(*inputs.unreadable, problem))
    if programme.cohort is None:
        return inputs
    key = config.pseudonym_key if config.analysis.pseudonymise else None  # as analyse: hints withheld
    opt_outs = OptOuts(inputs.roster.n_excluded, inputs.roster.excluded_keys, unread=not inputs.opt_outs_read)
    known = _known(inputs, (programme.before, programme.after), key)
    try:
        read = read_cohort(
            programme.cohort, known=known, key=key, encoding=programme.encoding, opt_outs=opt_outs
        )
    except InputError as error:
        error = missing_file_placed(error, config, "[programme]", "cohort", programme.cohort)
        if error.issues:  # the rows it lists, each with its line; or the file, with its reason code
            return replace(inputs, issues=(*inputs.issues, *error.issues))
        return replace(inputs, unreadable=(*inputs.unreadable, str(error)))
    except ConfigError as error:  # pseudonymised, and nobody it lists is known
        return replace(inputs, unreadable=(*inputs.unreadable, str(error)))
    warn_opted_out(programme.cohort.name, read.opted_out)
    return replace(inputs, headers_read=(*inputs.headers_read, *read.headers_read))


def closing_lines(inputs: ProjectInputs) -> list[str]:
    """What ``leadnet validate`` prints after the problems: notes on the roster (its blank rows and its
    exact copies of an earlier row by line among them) and its opt-out list, each snapshot's counts."""
    lines = []
    unranked = inputs.roster.normalisations.get("level-unranked", 0)
    if unranked:
        lines.append(
            f"note: {unranked:,} people have a level that is not a number and not ranked, so figures by "
            "level leave them out; list the levels, top first, in [people] level_order"
        )
    no_unit = inputs.roster.normalisations.get("unit-blank", 0)
    if no_unit:
        who = "1 person has" if no_unit == 1 else f"{no_unit:,} people have"
        lines.append(
            f"note: {who} no unit, so unit figures (E-I, brokerage, participation, bridges) leave them "
            "and their ties out; fill in their units"
        )
    if inputs.headers_read:  # the header-normalised count, by file and header
        files = dict.fromkeys(file for file, _, _ in inputs.headers_read)
        read_as = "; ".join(
            file + " " + ", ".join(f'"{h}" as {name}' for f, h, name in inputs.headers_read if f == file)
            for file in files
        )
        n = len(inputs.headers_read)
        who = "1 header was" if n == 1 else f"{n} headers were"
        lines.append(
            f"note: {who} read as leadnet's column names, letter case aside: {read_as}; if one is not "
            "that column, rename it (or, for the roster or a source, map its columns in leadnet.toml)"
        )
    if not inputs.roster_read:
        lines.append(
            "note: without a usable roster, the sources and the cohort file were checked as far as they can "
            "be: no id or address in them was looked up, and no snapshot was made"
        )
    elif not inputs.opt_outs_read:
        lines.append(_unread_opt_outs_note(inputs.roster.opt_outs_unread))
    roster = inputs.roster.file or Path(inputs.roster.record.path).name  # as its problems name it
    lines.extend(_blank_roster_rows_note(roster, inputs.roster.blank_lines))
    lines.extend(_repeated_roster_rows_note(roster, inputs.roster.duplicate_lines))
    lines.extend(_opt_out_rows_note(inputs.roster.opt_out_rows))
    for name, snap in inputs.snapshots.items():
        read = sum(i.rows_read for i in snap.provenance.inputs)
        rejected = sum(i.rows_rejected for i in snap.provenance.inputs)
        lines.append(
            f"snapshot {name}: {_people_words(snap)}, {_tie_words(snap)}, "
            f"{read:,} rows read, {rejected:,} rejected"
        )
    return lines


def _people_words(snapshot: Snapshot) -> str:
    """The roster's people of ``snapshot`` and, when an e-mail source pools the addresses no roster
    lists (``external = "pool"``), the pooled outside world: one vertex, but no person.

    >>> import pandas as pd
    >>> from leadnet.model import Provenance
    >>> people = pd.DataFrame({"person_id": ["a", "b", "external"], "unit": ["x", "x", "(external)"]})
    >>> pooled = Provenance(parameters={"outside_roster": ["external"]})
    >>> _people_words(Snapshot.build("m", people, pd.DataFrame(), provenance=pooled))
    '2 people and the pooled outside world'
    """
    words = _counted(snapshot.n_roster, "person", "people")
    return f"{words} and the pooled outside world" if snapshot.n_roster < len(snapshot.people) else words


def _tie_words(snapshot: Snapshot) -> str:
    """The ties among the roster's people of ``snapshot`` (``summary.json``'s count) and, apart, those
    with the pooled outside world.

    >>> import pandas as pd
    >>> from leadnet.model import Provenance
    >>> people = pd.DataFrame({"person_id": ["a", "b", "external"], "unit": ["x", "x", "(external)"]})
    >>> ends = {"source": ["a", "a", "b"], "target": ["b", "external", "external"]}
    >>> ties = pd.DataFrame({**ends, "relation": "mail"})
    >>> pooled = Provenance(parameters={"outside_roster": ["external"]})
    >>> _tie_words(Snapshot.build("m", people, ties, provenance=pooled))
    '1 tie and 2 with the outside world'
    """
    ties = snapshot.ties
    away = int(
        (ties["source"].isin(snapshot.outside_roster) | ties["target"].isin(snapshot.outside_roster)).sum()
    )
    words = _counted(len(ties) - away, "tie", "ties")
    return f"{words} and {away:,} with the outside world" if away else words


def _counted(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


_SKIPPED = {
    "blank-row": ("blank row", "blank rows"),
    "duplicate-row": ("row naming an id an earlier row names", "rows naming an id an earlier row names"),
}
"""What a ``blank-row`` and a ``duplicate-row`` of the opt-out list are called in validate's note."""


def _unread_opt_outs_note(error: InputError | None) -> str:
    """The note of an opt-out list ``leadnet validate`` could not read: what was checked without it.

    >>> from leadnet.errors import RowIssue
    >>> _unread_opt_outs_note(InputError("", [RowIssue("optout.csv", 3, "missing-id", "the id is blank")]))
    'note: optout.csv (the opt-out list) could not be read, so the roster, the sources and the cohort file \
were checked as if nobody had opted out, and the counts below include the people it lists; leadnet \
analyse stops until it can be read'
    """
    named = error.issues[0].file if error is not None and error.issues else "the opt-out list"
    return (
        f"note: {named} (the opt-out list) could not be read, so the roster, the sources and the cohort file "
        "were checked as if nobody had opted out, and the counts below include the people it lists; leadnet "
        "analyse stops until it can be read"
    )


def _blank_roster_rows_note(roster: str, found: tuple[int, ...]) -> list[str]:
    """The note on the blank rows of the roster file ``roster``, by line (``found``; counted
    ``blank-row`` with every table's).

    >>> _blank_roster_rows_note("people.csv", (3, 9))[0]
    'note: people.csv (the roster) has 2 blank rows (lines 3, 9): skipped and counted; if one was meant \
to hold a person, fill it in'
    """
    if not found:
        return []
    return [
        f"note: {roster} (the roster) has {len(found):,} {_SKIPPED['blank-row'][len(found) > 1]} "
        f"({lines_listed(found)}): skipped and counted; if one was meant to hold a person, fill it in"
    ]


def _repeated_roster_rows_note(roster: str, found: tuple[tuple[int, int], ...]) -> list[str]:
    """The note on the rows of the roster file ``roster`` that repeat an earlier row exactly, each by
    line with the line of the row it repeats (``found``; counted ``duplicate-row`` with every table's).

    >>> _repeated_roster_rows_note("people.csv", ((5, 2), (9, 2)))[0]
    'note: people.csv (the roster) has 2 rows that repeat an earlier row exactly (line 5 repeats line 2, \
line 9 repeats line 2): skipped and counted; if one was meant to hold another person, correct it'
    """
    if not found:
        return []
    pairs = ", ".join(f"line {line} repeats line {first}" for line, first in found[:MAX_LISTED])
    more = f" and {len(found) - MAX_LISTED:,} more" if len(found) > MAX_LISTED else ""
    rows = "1 row that repeats" if len(found) == 1 else f"{len(found):,} rows that repeat"
    return [
        f"note: {roster} (the roster) has {rows} an earlier row exactly ({pairs}{more}): skipped and "
        "counted; if one was meant to hold another person, correct it"
    ]


def _opt_out_rows_note(skipped: tuple[tuple[str, str, tuple[int, ...]], ...]) -> list[str]:
    """The note on the rows an opt-out list skipped (file, code, lines), by line, never by id.

    >>> _opt_out_rows_note((("optout.csv", "blank-row", (3,)), ("optout.csv", "duplicate-row", (4, 7))))[0]
    'note: optout.csv (the opt-out list) has 1 blank row (line 3) and 2 rows naming an id an earlier row \
names (lines 4, 7): skipped and counted, and nobody it names is lost; if one was meant to name someone \
else, correct it'
    """
    notes = []
    for file in dict.fromkeys(file for file, _, _ in skipped):
        parts = [
            f"{len(found):,} {_SKIPPED[code][len(found) > 1]} ({lines_listed(found)})"
            for f, code, found in skipped
            if f == file
        ]
        notes.append(
            f"note: {file} (the opt-out list) has {' and '.join(parts)}: skipped and counted, and nobody it "
            "names is lost; if one was meant to name someone else, correct it"
        )
    return notes


def verdict(problems: int, warned: int) -> str:
    """The last line of ``leadnet validate``: how many problems it found and warnings it printed.

    >>> verdict(0, 0), verdict(0, 2), verdict(3, 1)
    ('no problems found', 'no errors; 2 warnings', '3 problem(s) found; 1 warning')
    """
    found = f"{problems} problem(s) found" if problems else "no problems found"
    if not warned:
        return found
    counted = "1 warning" if warned == 1 else f"{warned:,} warnings"
    return f"{found}; {counted}" if problems else f"no errors; {counted}"


def _snapshot_names(config: Config, inputs: ProjectInputs) -> tuple[str, ...] | None:
    """The snapshots the run would compare among: those the sources name, or, with
    ``snapshot_by``, the months or quarters of the dates read. None when those cannot be
    known, because a source could not be read at all.
    """
    if not config.analysis.snapshot_by:
        return config.snapshot_names
    whole_file = any(issue.line is None for issue in inputs.issues)
    return None if inputs.unreadable or whole_file else tuple(inputs.snapshots)


def _known(inputs: ProjectInputs, waves: tuple[str, str], key: bytes | None) -> set[str] | None:
    """The person_ids a cohort row may name: the people of the programme's snapshots, as in ``analyse``.

    Each snapshot holds the whole roster (pseudonymised with ``key`` when the run is), so
    when a wave is missing (its sources could not be read) the others stand in, and when
    none could be read the roster does. None (any) when the roster could not be read.
    """
    if not inputs.roster_read:
        return None
    snapshots = [inputs.snapshots[name] for name in waves if name in inputs.snapshots]
    snapshots = snapshots or list(inputs.snapshots.values())
    if snapshots:
        return {str(pid) for snapshot in snapshots for pid in snapshot.people["person_id"]}
    ids = inputs.roster.people["person_id"]
    return set(pseudonyms(ids, key).values()) if key is not None else set(ids)
