"""The HR roster: one row per person, read strictly.

Row outcomes (see :mod:`leadnet.importers.result` for the accounting rule):

- rejected: ``missing-id`` (blank person_id), ``duplicate-person`` (same person_id,
  after :func:`~leadnet.importers.identity.normalise_id`, as an earlier row),
  ``unknown-manager`` (a manager_id that is a roster id written differently, such as
  ``E166`` for ``E0166``, or an alias two people share),
  ``bad-level`` (without
  ``level_order``, a level that is not a number where most people's levels are),
  ``bad-flag`` (an ``is_manager`` cell that is not yes/no), ``reserved-label`` (a unit or
  level named as the outputs name pooled groups: :mod:`~leadnet.importers.reserved_labels`),
  plus the table-level issues of :func:`read_table`;
- accepted after a counted normalisation: ``id-normalised`` (an id or manager id
  written differently from its normal form), ``label-normalised`` (a unit or level holding
  invisible format characters, such as a zero-width space, which are removed), opt-outs removed (counted in
  :attr:`PeopleImport.n_excluded`, not in ``normalisations``),
  ``unknown-manager`` (manager_id not on the roster: the row is kept and its manager
  blanked, with a warning naming the id and its lines — a manager who has left must not
  reject the whole roster — unless the id is a roster id written differently, which
  rejects the row: see :mod:`leadnet.importers.managers`), ``self-manager``
  (blanked), ``manager-excluded`` (manager is an opt-out: blanked), ``level-unranked``
  (levels mostly not numbers, and no ``level_order``: level_rank left empty),
  ``exclusion-unmatched`` (an exclusion entry naming nobody), ``unit-blank`` (no unit,
  where others have one: the unit figures leave such people and their ties out).

The levels ``level_order`` does not list are one issue of ``level_order`` (``unknown-level``, whose
``line`` is None: :func:`~leadnet.importers.levels.unlisted_levels`), their people kept, unranked, and
not counted rejected: a gap in the list is no fault of the rows, and rejecting them would reject
every tie of their people too. So is an ``is_manager`` column whose values are (nearly) all not yes
or no (``wrong-column``: :mod:`~leadnet.importers.wrong_columns`), its people kept as no manager.

A roster with no row to read (a header alone, or every row blank or quarantined) is an
:class:`~leadnet.errors.InputError` naming it (``empty-roster``): every source row would
otherwise be rejected as naming someone unknown. So is a roster whose every person opted
out (``everyone-opted-out``, naming the roster and the opt-out list): an empty snapshot
would be analysed, most likely because the opt-out setting names the wrong file. A
standard name the column map leaves out reads the header of that name in any letter case
(``Unit`` for ``unit``: see :func:`~leadnet.importers.columns.read_columns`), counted
``header-normalised``.

A column named ``level_rank`` is refused (``reserved-column``, naming the file and
header line): leadnet works that column out from ``level``. Map ``level`` to it when
it holds the levels; otherwise rename it. A column named ``line`` is an attribute like any other.

The spellings (id, email, aliases) on every rejected row are kept in
:attr:`PeopleImport.rejected_keys`, so a source row naming such a person says that
their roster row was rejected (``roster-rejected``) instead of calling them unknown.

The opt-out list itself is read, and its lines checked against the roster, by
:mod:`leadnet.importers.exclusions`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from leadnet.errors import InputError, RowIssue
from leadnet.importers.columns import read_columns, warn_roles_unread
from leadnet.importers.identity import UNREAD_OPT_OUTS, Resolver, normalise_id, per_distinct, visible_text
from leadnet.importers.levels import UNLISTED, rank_levels, warn_blank_levels
from leadnet.importers.managers import check_managers
from leadnet.importers.reserved_labels import one_per_label, reserved_label_issues
from leadnet.importers.result import HeaderRead, add_counts, check_rows, headers_read, input_record
from leadnet.importers.role_names import ROSTER_NAMES, ROSTER_WARNED
from leadnet.importers.shared_spellings import same_person_issues, warn_shared
from leadnet.importers.tables import Table
from leadnet.importers.wrong_columns import WRONG_COLUMN, Mapped, wrong_columns
from leadnet.model import InputRecord, normalise_people
from leadnet.schema import PEOPLE_ROLES, check_choice

ALIAS_COLUMNS: tuple[str, ...] = ("email", "aliases")
_LINE = " line"
"""The column of each row's physical line: a name no header has (headers are read stripped), so a
roster column called ``line`` (a business line, say) is kept as an attribute like any other."""
_TRUE = frozenset({"yes", "true", "1", "y"})
_FALSE = frozenset({"no", "false", "0", "n", ""})


@dataclass(frozen=True, eq=False)
class PeopleImport:
    """The roster as read: people, row accounting, and the keys of excluded people.

    ``excluded_keys`` holds the normal forms of every spelling (id, email, alias) of
    the people excluded, so tie importers can drop their ties without naming them.
    ``rejected_keys`` maps the normal forms of the spellings on rejected roster rows to
    the issue that rejected the row (the first row, when several share a spelling).
    ``headers_read`` are the headers read as a standard name written in another letter
    case (:func:`~leadnet.importers.result.headers_read`); ``blank_lines`` the line of each blank row
    (counted ``blank-row``), ``duplicate_lines`` that of each exact copy of an earlier row with the earlier
    row's (counted ``duplicate-row``); ``opt_out_rows`` the rows its opt-out list skipped (file, code, lines:
    :class:`~leadnet.importers.exclusions.ExclusionList`), ``opt_out_record`` the list as an input, and
    ``opt_outs_unread`` why it could not be read, when ``leadnet validate`` went on without it (nobody
    excluded; ``leadnet analyse`` stops instead); ``file`` the name its messages give it (``../hr/r.csv``).
    """

    people: pd.DataFrame
    record: InputRecord
    issues: tuple[RowIssue, ...]
    normalisations: dict[str, int] = field(default_factory=dict)
    n_excluded: int = 0
    excluded_keys: frozenset[str] = frozenset()
    rejected_keys: Mapping[str, RowIssue] = field(default_factory=dict)
    headers_read: tuple[HeaderRead, ...] = ()
    opt_out_rows: tuple[tuple[str, str, tuple[int, ...]], ...] = ()
    opt_out_record: InputRecord | None = None
    opt_outs_unread: InputError | None = None
    blank_lines: tuple[int, ...] = ()
    duplicate_lines: tuple[tuple[int, int], ...] = ()
    file: str = ""

    def resolver(self) -> Resolver:
        """A :class:`Resolver` over these people (ids, emails, aliases); opt-outs and rejected rows known.

        When the opt-out list could not be read (``opt_outs_unread``), the people may include
        those who opted out, so it suggests no person_id, saying why (:data:`UNREAD_OPT_OUTS`).
        """
        return Resolver(
            self.people,
            alias_columns=ALIAS_COLUMNS,
            excluded=self.excluded_keys,
            rejected=self.rejected_keys,
            unsuggested=None if self.opt_outs_unread is None else UNREAD_OPT_OUTS,
        )


def load_people(
    path: Path,
    columns: Mapping[str, str] | None = None,
    *,
    level_order: Sequence[str] | None = None,
    top_level: str = "min",
    encoding: str | None = None,
    exclude: Collection[str] = (),
    reserved: Mapping[str, str] | None = None,
    unsuggested: str | None = None,
    name: str | None = None,
) -> PeopleImport:
    """Read the roster.

    Parameters
    ----------
    path
        CSV or XLSX file.
    columns
        Standard name → file header, for ``person_id``, ``unit``, ``level``,
        ``manager_id``, ``is_manager``, ``name``, ``email``. Unmapped standard names
        are used when the file has a column of that name; a mapped column must exist.
        Other columns are kept as string attributes.
    level_order
        Level labels, top first; level_rank 1 is the first.
    top_level
        Without ``level_order`` and with numeric levels: ``"min"`` when the smallest
        number is the top (1 = CEO), ``"max"`` when the largest is (pay bands).
    encoding
        Text encoding, when the file is neither UTF-8 nor UTF-16 with a BOM.
    exclude
        People to remove (opt-outs), by any known spelling; an
        :class:`~leadnet.importers.exclusions.ExclusionList` is named by its ``file`` when
        it removes everyone.
    reserved
        Ids no roster person may have, each with what it stands for (``external = "pool"``
        gives one to everyone outside the organisation): a row with one is rejected
        (``reserved-id``), since the two would merge into one person.
    unsuggested
        Why no roster id may be named in a message (as :class:`Resolver` takes it: the
        opt-out list could not be read), for the manager_ids that name nobody.
    name
        The name its problems and warnings give the file (``../hr/roster.csv``), else its own.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "people.csv").write_text(
    ...     "person_id,unit,level,manager_id\\n1,ops,1,\\n2,ops,2,1\\n3,ops,3,2\\n", encoding="utf-8")
    >>> roster = load_people(folder / "people.csv")
    >>> roster.people[["person_id", "level_rank", "manager_id", "is_manager"]].values.tolist()
    [['1', 1, '', True], ['2', 2, '1', True], ['3', 3, '2', False]]
    """
    check_choice(top_level, "top_level", "[people]", ("min", "max"))
    standard = {name: name for name in PEOPLE_ROLES}
    table, mapping = read_columns(
        Path(path), columns, standard, ["person_id"], encoding=encoding, names=ROSTER_NAMES, name=name
    )
    warn_roles_unread(table, mapping, columns, {role: ROSTER_NAMES[role] for role in ROSTER_WARNED})
    check_rows(table, "empty-roster", ("a person", "people"), "export the roster with its rows")
    read = _standard_frame(table, mapping)
    frame, issues, counts = _check_ids(read, table.name, reserved or {})
    twice = same_person_issues(frame, frame[_LINE], table.name)
    frame, issues = frame[~frame[_LINE].isin([i.line for i in twice])], [*issues, *twice]
    frame, counts["label-normalised"] = _visible_labels(frame)
    where = (table.name, mapping["level"])
    level_issues, counts = rank_levels(frame, frame[_LINE], level_order, top_level, where, counts)
    flag_issues = _flag_issues(_parse_flags(frame, table.name, mapping), table, columns or {})
    label_issues = reserved_label_issues(frame, frame[_LINE], table.name, mapping)
    kept, excluded_keys, n_excluded, counts = _exclude(frame, exclude, counts)
    opted_out = _opted_out_lines(read, frame[_LINE], kept[_LINE], excluded_keys)
    issues, level_issues, flag_issues, label_issues = (
        [i for i in found if i.line not in opted_out]
        for found in (issues, level_issues, flag_issues, label_issues)
    )
    bad = {i.line for i in level_issues + flag_issues + label_issues} - {None}
    frame = kept[~kept[_LINE].isin(bad | opted_out)]  # a repeat of theirs goes with them, counted
    counts = add_counts(counts, {"opted-out-repeat": len(opted_out) - n_excluded})
    resolver = Resolver(frame, alias_columns=ALIAS_COLUMNS, excluded=excluded_keys, unsuggested=unsuggested)
    warn_shared(resolver, pd.Series(frame[_LINE].to_numpy(), index=frame["person_id"]), table.name)
    frame, manager_issues, counts = check_managers(
        frame,
        resolver,
        frame[_LINE],
        where=(table.name, mapping["manager_id"]),
        excluded_keys=excluded_keys,
        on_roster=set(per_distinct(read["person_id"], normalise_id)),
        counts=counts,
    )
    warn_blank_levels(frame["level"], frame[_LINE], where)
    units = frame["unit"]
    if units.ne("").any():  # units are given, but not for everyone
        counts = add_counts(counts, {"unit-blank": int(units.eq("").sum())})
    found = (*table.issues, *issues, *level_issues, *flag_issues, *manager_issues)
    all_issues = tuple(sorted((*found, *label_issues), key=lambda i: (i.line or 0, i.code)))  # a row each
    shown = tuple(sorted((*found, *one_per_label(label_issues)), key=lambda i: (i.line or 0, i.code)))
    if n_excluded and frame.empty:
        raise InputError.from_issues(
            [*shown, _everyone_opted_out(table.name, n_excluded, exclude, bool(shown))]
        )
    return PeopleImport(
        people=normalise_people(frame.drop(columns=_LINE)),
        record=input_record(Path(path), "people", table.sha256, table.rows_read, _row_issues(all_issues)),
        issues=shown,
        normalisations=add_counts(table.normalisations, counts),
        n_excluded=n_excluded,
        excluded_keys=excluded_keys,
        rejected_keys=_rejected_keys(read, table, mapping, all_issues),
        headers_read=headers_read(table),
        blank_lines=table.blank_lines,
        duplicate_lines=table.duplicate_lines,
        file=table.name,
    )


def _row_issues(issues: Sequence[RowIssue]) -> list[RowIssue]:
    """The issues that reject a row: not that of the levels ``level_order`` lacks, nor that of an
    ``is_manager`` column of the wrong type, whose people are kept."""
    return [issue for issue in issues if issue.code not in (UNLISTED, WRONG_COLUMN)]


def _rejected_keys(
    read: pd.DataFrame, table: Table, mapping: Mapping[str, str], issues: Sequence[RowIssue]
) -> dict[str, RowIssue]:
    """The normal form of every id, email and alias on a rejected row → the row's first issue.

    A row :func:`read_table` quarantined (a short row, an extra cell) is read from its
    cells as split, at the header's positions of the id, ``email`` and ``aliases``.
    """
    by_line: dict[int, RowIssue] = {}
    for issue in issues:
        if issue.line is not None:
            by_line.setdefault(issue.line, issue)
    names = {"person_id": mapping["person_id"], "email": mapping["email"], "aliases": "aliases"}
    headers = list(table.frame.columns)
    at = [headers.index(h) for h in names.values() if h in headers]
    cells = {line: [row[i] for i in at if i < len(row)] for line, row in table.rejected_cells.items()}
    spelled = [c for c in names if c in read]  # the standard frame has the standard names
    for line, *row in read.loc[read[_LINE].isin(list(by_line)), [_LINE, *spelled]].itertuples(index=False):
        cells[int(line)] = [str(c) for c in row]
    keys: dict[str, RowIssue] = {}
    for line in sorted(set(cells) & set(by_line)):
        for cell in cells[line]:
            for spelling in cell.split(";"):
                if key := normalise_id(spelling):
                    keys.setdefault(key, by_line[line])
    return keys


def _standard_frame(table: Table, mapping: Mapping[str, str]) -> pd.DataFrame:
    """The table with standard column names, extras kept, and a ``line`` column."""
    frame = table.frame.copy()
    present = {header: name for name, header in mapping.items() if header in frame}
    clashes = {c: f"{c}_file" for c in frame.columns if c in mapping and c not in present}
    frame = frame.rename(columns={**clashes, **present})
    if "level_rank" in frame:
        raise _level_rank_column(table)
    for name in ("person_id", "unit", "level", "manager_id"):
        if name not in frame:
            frame[name] = ""
    for name in ("unit", "level"):
        frame[name] = frame[name].str.strip()
    frame[_LINE] = table.lines
    return frame


def _visible_labels(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """``frame`` with invisible format characters stripped from ``unit`` and ``level``, and
    the number of cells that changed.

    ``Surgery`` and ``Surgery`` with a zero-width space pasted after it show alike and must
    be one unit, as :func:`~leadnet.importers.identity.normalise_id` makes them one id.
    """
    clean = {name: per_distinct(frame[name], _visible) for name in ("unit", "level")}  # a few distinct labels
    changed = sum(int(clean[name].ne(frame[name]).sum()) for name in clean)
    return frame.assign(**clean), changed


def _visible(label: str) -> str:
    return label if label.isascii() else visible_text(label)


def _level_rank_column(table: Table) -> InputError:
    """``reserved-column``: the file has a column of the name of the rank worked out from ``level``."""
    detail = 'column "level_rank" is the rank leadnet works out from level, so the file\'s would be replaced'
    hint = (
        "rename the column, or map level to it when it holds the levels: "
        'columns = { level = "level_rank" } in leadnet.toml'
    )
    return InputError.from_issues(
        [RowIssue(table.name, table.header_line, "reserved-column", detail, hint=hint)]
    )


def _check_ids(
    frame: pd.DataFrame, name: str, reserved: Mapping[str, str]
) -> tuple[pd.DataFrame, list[RowIssue], dict[str, int]]:
    raw = frame["person_id"]
    ids = raw.map(normalise_id)
    issues = [
        RowIssue(name, int(line), "missing-id", "person_id is blank", column="person_id", hint="fill it in")
        for line in frame.loc[ids == "", _LINE]
    ]
    folded = ids.str.casefold()
    dup = folded.duplicated(keep="first") & (ids != "")
    issues += _duplicate_issues(ids, folded, frame[_LINE], dup, name)
    taken = ids.isin(list(reserved)) & ~dup  # an id the analysis gives to someone else
    hint = "give this person another id, here and wherever their ties name them"
    issues += [
        RowIssue(
            name,
            int(line),
            "reserved-id",
            f'person_id "{pid}" is {reserved[pid]}',
            column="person_id",
            hint=hint,
        )
        for pid, line in zip(ids[taken], frame.loc[taken, _LINE], strict=True)
    ]
    counts = {"id-normalised": int(((ids != raw) & (ids != "")).sum())}
    return frame.assign(person_id=ids)[(ids != "") & ~dup & ~taken], issues, counts


CASE_ONLY_FIX = (
    "ids that differ only in letter case name one person: remove the repeat, or give each their own id"
)
"""The fix of a roster id that differs from an earlier one only in letter case."""


def _duplicate_issues(
    ids: pd.Series, folded: pd.Series, lines: pd.Series, dup: pd.Series, name: str
) -> list[RowIssue]:
    """``duplicate-person`` for each ``dup`` row: an id an earlier row has, letter case aside.

    Two ids that differ only in letter case (``E0002``, ``e0002``) would be taken for one
    person by anyone reading a survey or a report, and a source could not say which it names.
    """
    first = pd.DataFrame({"id": ids, "line": lines}).groupby(folded.to_numpy()).first()
    issues = []
    for pid, key, line in zip(ids[dup], folded[dup], lines[dup], strict=True):
        earlier, at = first.loc[key, "id"], int(first.loc[key, "line"])
        if earlier == pid:
            detail, hint = f'person "{pid}" appears twice', f"first on line {at}"
        else:
            detail = f'person "{pid}" appears twice, as "{earlier}" on line {at} in another letter case'
            hint = CASE_ONLY_FIX
        issues.append(RowIssue(name, int(line), "duplicate-person", detail, column="person_id", hint=hint))
    return issues


def _parse_flags(frame: pd.DataFrame, name: str, mapping: Mapping[str, str]) -> list[RowIssue]:
    """Turn ``is_manager`` (when present) into booleans in place; issues for other values."""
    if "is_manager" not in frame:
        return []
    written = frame["is_manager"].str.strip()
    text = written.str.casefold()
    bad = ~text.isin(_TRUE | _FALSE)
    frame["is_manager"] = text.isin(_TRUE)
    return [
        RowIssue(
            name,
            int(line),
            "bad-flag",
            f'"{value}" is not yes or no',
            column=mapping["is_manager"],
            hint="use yes/no, true/false, 1/0 or y/n",
            value=value,
        )
        for value, line in zip(written[bad], frame.loc[bad, _LINE], strict=True)
    ]


def _flag_issues(issues: list[RowIssue], table: Table, columns: Mapping[str, str]) -> list[RowIssue]:
    """The ``bad-flag`` issues, or, when (nearly) every ``is_manager`` is not yes or no, one problem of
    the column (:func:`~leadnet.importers.wrong_columns.wrong_columns`), whose people are kept: the column
    is wrong, not their rows, and rejecting them would reject every tie of theirs too."""
    mapped = Mapped("is_manager", "is_manager" in columns, None)
    return list(wrong_columns(issues, {table.name: table.rows_read}, lambda _file, _header: mapped))


def _exclude(
    frame: pd.DataFrame, exclude: Collection[str], counts: dict[str, int]
) -> tuple[pd.DataFrame, frozenset[str], int, dict[str, int]]:
    """Remove excluded people; return the normal forms of all their spellings."""
    if not exclude:
        return frame, frozenset(), 0, counts
    resolver = Resolver(frame, alias_columns=ALIAS_COLUMNS)
    found = {resolver.resolve(e) for e in exclude}
    unmatched = sum(1 for e in exclude if resolver.resolve(e) is None)
    drop = frame["person_id"].isin(found - {None})
    keys = {normalise_id(p) for p in frame.loc[drop, "person_id"]}
    for column in ALIAS_COLUMNS:
        if column in frame:
            for cell in frame.loc[drop, column]:
                keys |= {normalise_id(a) for a in str(cell).split(";")} - {""}
    n_excluded = int(drop.sum())
    counts = add_counts(counts, {"exclusion-unmatched": unmatched})
    return frame[~drop], frozenset(keys), n_excluded, counts


def _opted_out_lines(
    read: pd.DataFrame, before: pd.Series, after: pd.Series, excluded_keys: Collection[str]
) -> set[int]:
    """The lines of the people who opted out: those :func:`_exclude` removed (``before`` and not
    ``after``), and any other row with one of their ids in any letter case (a repeat of their row).
    A roster row's checks run on everyone; their issues at these lines would name them, and are dropped,
    and the repeats go with the rows they repeat (``opted-out-repeat``: the lines beyond those removed)."""
    ids = read["person_id"].map(normalise_id).str.casefold()
    again = read.loc[ids.isin({key.casefold() for key in excluded_keys}), _LINE]
    return {int(line) for line in (*set(before) - set(after), *again)}


def _everyone_opted_out(roster: str, n_excluded: int, exclude: Collection[str], others: bool) -> RowIssue:
    """``everyone-opted-out``: ``exclude`` removed all ``n_excluded`` people left on the roster, the rows
    of its problems listed before (``others``) aside: those are not said to have opted out."""
    listed = getattr(exclude, "file", "the opt-out list")  # an ExclusionList knows its file
    lists = "it lists, but for the rows above," if others else "it lists"
    everyone = f"the 1 person {lists} is" if n_excluded == 1 else f"all {n_excluded:,} people {lists} are"
    detail = f"{everyone} on the opt-out list {listed}, so nobody is left to analyse"
    hint = (
        "check that [people] exclude in leadnet.toml names the opt-out list, not the roster or a copy of "
        "it; if they all did opt out, there is no network to analyse"
    )
    return RowIssue(roster, None, "everyone-opted-out", detail, hint=hint)
