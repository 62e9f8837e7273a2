"""The programme cohort file (``person_id[, group]``), read strictly for :func:`~leadnet.compare.compare`.

Every row ends in one place: listed (in the cohort or the comparison group), left out
and counted (a person who opted out: :class:`~leadnet.cohort_members.OptOuts`), read once when it
repeats an earlier row exactly, or but for the spaces around its cells (`` E0001 `` after
``E0001``), with a :class:`~leadnet.errors.LeadnetWarning` naming both lines
(:func:`warn_repeated`), or an error naming its line (a blank id, an id repeated in
another row, an unknown group, a person in neither snapshot), every one of them listed however
many: ``leadnet validate`` reads a cohort file only when ``[programme]`` names it, never one given
to ``leadnet compare``, so "validate lists every one" would not be true of it.
With a pseudonym key the ids are mapped to the snapshots' pseudonyms as they are read.
The rows of people who opted out are checked no further and named by line only
(:func:`warn_opted_out`): no message quotes their ids.

The headers are read as users write them, letter case and surrounding spaces aside
(``Person_ID``, ``Group``: :func:`~leadnet.schema.default_headers`, as for every table);
two headers naming one column are an error on the header's line. A file has no column
map, so a missing ``person_id`` header is fixed by renaming one, and a header that looks
like ``group`` but is not it (``group_name``) is not read: everyone listed is then a
participant, which a :class:`~leadnet.errors.LeadnetWarning` naming the header says.
"""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from leadnet import cohort_members as members
from leadnet.errors import MAX_LISTED, ConfigError, InputError, LeadnetWarning, RowIssue
from leadnet.importers.columns import read_columns
from leadnet.importers.identity import UNREAD_OPT_OUTS, normalise_id, pseudonyms
from leadnet.importers.result import HeaderRead, headers_read
from leadnet.importers.role_names import ROSTER_NAMES
from leadnet.importers.table_files import MissingColumn
from leadnet.importers.tables import Table
from leadnet.schema import header_key

__all__ = ["CohortFile", "load_cohort", "read_cohort", "warn_opted_out", "warn_repeated"]


@dataclass(frozen=True, eq=False)
class CohortFile:
    """A cohort file as read: the people :func:`~leadnet.compare.compare` takes, and the rows left out.

    ``opted_out`` holds the lines of the rows naming people who opted out: they are in no
    snapshot and in no group, counted as the cohort's ``n_opted_out``. ``headers_read``
    names the headers read as a column's name in another letter case (``Group``), which
    ``leadnet validate`` notes. ``repeated`` holds each row that repeats an earlier row exactly,
    with the earlier row's line: read once, and warned of (:func:`warn_repeated`).
    """

    people: pd.DataFrame
    opted_out: tuple[int, ...] = ()
    headers_read: tuple[HeaderRead, ...] = ()
    repeated: tuple[tuple[int, int], ...] = ()


def load_cohort(
    path: Path,
    *,
    known: Collection[str] | None = None,
    encoding: str | None = None,
    key: bytes | None = None,
) -> pd.DataFrame:
    """Read a cohort file (``person_id[, group]``) strictly; see :func:`~leadnet.cohort_members.check_cohort`.

    With ``known`` (the person_ids of the snapshots) an unknown person is an error naming
    its line. Every problem is reported at once. With a pseudonym ``key`` (snapshots
    analysed with ``--pseudonymise``) the file's ids are turned into their pseudonyms,
    checked against ``known`` as such, and returned as such; a key under which nobody is
    known is an error saying so. :func:`read_cohort` also leaves out the people who opted out.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "cohort.csv"
    >>> _ = path.write_text("person_id,group\\nE18,cohort\\nE19,comparison\\n", encoding="utf-8")
    >>> try:
    ...     load_cohort(path, known={"E18", "E20"})
    ... except InputError as error:
    ...     print(error)
    cohort.csv line 3, column "person_id": unknown person "E19" (did you mean "E18"?) [unknown-person]
    """
    return read_cohort(path, known=known, encoding=encoding, key=key).people


def read_cohort(
    path: Path,
    *,
    known: Collection[str] | None = None,
    encoding: str | None = None,
    key: bytes | None = None,
    opt_outs: members.OptOuts | None = None,
) -> CohortFile:
    """:func:`load_cohort`, knowing the people who opted out (``opt_outs``).

    A row naming one of them (by any spelling the roster gave them) is left out, its line
    kept in :attr:`CohortFile.opted_out`: nobody is asked to edit a programme's list
    because someone opted out of its evaluation, and no other id is suggested for them.
    When only their number is known, an unknown id's hint says it may be one of them; when the
    opt-out list could not be read (``opt_outs.unread``), it suggests no id, saying why.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "cohort.csv"
    >>> _ = path.write_text("person_id\\nE18\\nE19\\n", encoding="utf-8")
    >>> read = read_cohort(path, known={"E18", "E20"}, opt_outs=members.OptOuts(1, frozenset({"E19"})))
    >>> read.people["person_id"].tolist(), read.opted_out
    (['E18'], (3,))
    """
    fix = "the first line must name the columns person_id[,group]"  # a cohort file has no column map
    roles = {name: name for name in COLUMNS}
    try:
        table, read = read_columns(
            Path(path), None, roles, ["person_id"], encoding=encoding, column_fix=fix, names=ID_NAMES
        )
    except MissingColumn as err:
        if err.found:  # the cells that read as its headers, the only ones quoted (importers.header_cells)
            raise
        raise _no_header(err.issue) from None
    frame = table.frame.rename(columns={read[name]: name for name in COLUMNS if read[name] in table.frame})
    frame = frame[[c for c in COLUMNS if c in frame]]
    if "group" not in frame:
        _warn_group_lookalike(table, read["person_id"])
    once, spaced = _spaced_repeats(table)
    frame, all_lines = frame[once], table.lines[once]
    repeated = tuple(sorted((*table.duplicate_lines, *spaced)))
    warn_repeated(table.name, repeated, spaced=bool(spaced))
    opt_outs = opt_outs or members.OptOuts()
    opted = frame["person_id"].map(normalise_id).isin(opt_outs.keys or ()).to_numpy()
    kept, lines = frame[~opted], all_lines[~opted]
    written = {name: read[name] for name in COLUMNS}  # the issues name the headers as the file has them
    issues = list(table.issues) + members.group_issues(kept, lines, table.name, written)  # no opt-out named
    ids = kept["person_id"].str.strip()
    mapping = pseudonyms(ids, key) if key is not None else None
    hidden = ids.map(mapping) if mapping is not None else None
    if known is not None:
        if hidden is not None and len(ids) and not hidden.isin(set(known)).any():
            raise ConfigError(
                f"{table.name}: none of its {len(ids)} people is in the snapshots once pseudonymised: "
                "LEADNET_PSEUDONYM_KEY is most likely not the key `leadnet analyse` used; set it to that key"
            )
        unnamed = opt_outs.count if opt_outs.keys is None else 0  # an unknown id may be one of them
        unsuggested = UNREAD_OPT_OUTS if opt_outs.unread else None
        issues += members.unknown_issues(
            kept,
            lines,
            table.name,
            known,
            as_known=hidden,
            opted_out=unnamed,
            header=written["person_id"],
            unsuggested=unsuggested,
            unnamed=opt_outs.keys or (),
        )
    if issues:
        raise InputError.from_issues(sorted(issues, key=lambda issue: issue.line or 0), every=True)
    _check_someone_left(frame, opted, table.name, all_lines)
    cohort = members.check_cohort(kept, table.name)
    people = cohort if mapping is None else cohort.assign(person_id=cohort["person_id"].map(mapping))
    opted_lines = tuple(int(line) for line in all_lines[opted])
    return CohortFile(people, opted_lines, headers_read(table), repeated)


def _spaced_repeats(table: Table) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Which rows to read (a mask), and each row that repeats an earlier one but for the spaces around
    its cells (`` E0001 `` after ``E0001``), with the earlier row's line: the same person, read once as
    an exact repeat is (the reader has dropped those already)."""
    cells = table.frame.apply(lambda column: column.astype(str).str.strip())
    first: dict[tuple[str, ...], int] = {}
    once = np.ones(len(cells), dtype=bool)
    spaced = []
    for i, (row, line) in enumerate(zip(cells.itertuples(index=False, name=None), table.lines, strict=True)):
        earlier = first.setdefault(row, int(line))
        if earlier != int(line):
            once[i] = False
            spaced.append((int(line), earlier))
    return once, spaced


def warn_opted_out(file: str, lines: tuple[int, ...]) -> None:
    """Say which rows of cohort ``file`` were left out because their people opted out: by line, never by id.

    A :class:`~leadnet.errors.LeadnetWarning` (the command line shows it as a ``warning:``
    line), nothing when ``lines`` is empty.

    Examples
    --------
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_opted_out("cohort.csv", (3, 9))
    >>> print(caught[0].message)
    cohort.csv: 2 listed people opted out (lines 3, 9): left out of the cohort, as of the whole analysis
    """
    if not lines:
        return
    who = "1 listed person" if len(lines) == 1 else f"{len(lines)} listed people"
    where = ("line " if len(lines) == 1 else "lines ") + ", ".join(str(line) for line in lines)
    message = f"{file}: {who} opted out ({where}): left out of the cohort, as of the whole analysis"
    warnings.warn(message, LeadnetWarning, stacklevel=2)


def warn_repeated(file: str, repeats: tuple[tuple[int, int], ...], *, spaced: bool = False) -> None:
    """Say which rows of cohort ``file`` repeat an earlier row exactly (each with the earlier row's line),
    or, when some differ from it by the spaces around a cell (``spaced``), but for those spaces:
    each person is read once, so the cohort's size counts them once. A repeat that names another group
    is no exact repeat: it is an error (``duplicate-person``). By line only: the row may name someone
    who opted out.

    Examples
    --------
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_repeated("cohort.csv", ((102, 3),))
    >>> print(caught[0].message)
    cohort.csv: 1 row repeats an earlier row exactly (line 102 repeats line 3): read once, as the person it \
names is in the cohort once; if it was meant to list someone else, correct it
    """
    if not repeats:
        return
    pairs = ", ".join(f"line {line} repeats line {first}" for line, first in repeats[:MAX_LISTED])
    more = f" and {len(repeats) - MAX_LISTED:,} more" if len(repeats) > MAX_LISTED else ""
    rows = "1 row repeats" if len(repeats) == 1 else f"{len(repeats):,} rows repeat"
    how = "but for the spaces around its cells" if spaced else "exactly"
    message = (
        f"{file}: {rows} an earlier row {how} ({pairs}{more}): read once, as the person it names is in the "
        "cohort once; if it was meant to list someone else, correct it"
    )
    warnings.warn(message, LeadnetWarning, stacklevel=3)


COLUMNS = ("person_id", "group")
"""The columns a cohort file is read by; any other is not read."""
ID_NAMES = {"person_id": ROSTER_NAMES["person_id"]}
"""Other names of a cohort file's person_id (``id``, ``employee id``): a header so named is told to rename."""
NO_HEADER = (
    "the first line holds no header a cohort file reads (person_id, group), and is not shown, as it may name "
    "someone who opted out"
)
NO_HEADER_FIX = (
    "write the header person_id,group as the first line, above the first row if the file has none; "
    "person_id alone will do when everyone listed is in the programme"
)


def _no_header(issue: RowIssue) -> InputError:
    """``missing-header``: the first line of a cohort file names no column it knows, so it is most likely a
    row (a person's id or address): the message says so without quoting it, as a cohort file lists people."""
    detail = f'required column "person_id" not found; {NO_HEADER}'
    return InputError.from_issues(
        [RowIssue(issue.file, issue.line, "missing-header", detail, hint=NO_HEADER_FIX)]
    )


def _warn_group_lookalike(table: Table, person_id: str) -> None:
    """Warn when a cohort file without a ``group`` column has a header that looks like it (``group_name``,
    ``grp``): it is not read, so everyone listed counts as a participant."""
    keys = {h: header_key(h) for h in table.frame.columns if h != person_id}
    alike = [h for h, key in keys.items() if "group" in key or difflib.get_close_matches(key, ["group"])]
    if not alike:
        return
    named = ", ".join(f'"{h}"' for h in alike)
    which = "column" if len(alike) == 1 else "columns"
    message = (
        f"{table.name} line {table.header_line}: {which} {named} not read: a cohort file reads person_id and "
        'group, so everyone it lists is taken as a participant (group "cohort"); if the column says who is '
        'in the comparison group, rename its header "group"'
    )
    warnings.warn(message, LeadnetWarning, stacklevel=3)


def _check_someone_left(frame: pd.DataFrame, opted: np.ndarray, file: str, lines: np.ndarray) -> None:
    """Fail, saying so, when every participant the cohort lists opted out."""
    group = members.group_key(frame["group"]) if "group" in frame else pd.Series("cohort", frame.index)
    taking_part = group.eq("cohort").to_numpy()
    if (taking_part & opted).any() and not (taking_part & ~opted).any():
        listed = ", ".join(str(int(line)) for line in lines[taking_part & opted])
        raise InputError(
            f"{file}: every participant it lists opted out (line(s) {listed}), so no cohort is left to "
            "compare; people who opted out are never analysed: list participants who did not, or remove "
            "[programme] cohort"
        )
