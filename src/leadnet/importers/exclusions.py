"""The opt-out (exclusion) list: read strictly, then checked line by line against the roster.

:func:`load_exclusions` reads the list as strictly as the roster and fails on anything it
cannot read: an opt-out lost in reading would keep a person in the analysis. Its header is
found as every table's is (``Person_ID`` for ``person_id``:
:func:`~leadnet.schema.default_headers`). Blank rows and rows naming an id again are
skipped, counted and kept by line (:class:`ExclusionList`). It keeps each id's line, so
:func:`check_exclusions` can tell which lines removed nobody from the roster they were
matched against (:func:`~leadnet.importers.people.load_people`, any
spelling the roster gives: id, e-mail, alias):

- a line that reads as a roster spelling written differently (letter case, punctuation
  or leading zeros: ``E001`` for ``E0001``, or ``123`` for ``00123`` once a spreadsheet
  dropped the zeros), or that names an alias two people share, is a problem
  (``exclusion-unmatched``), since the person who opted out is still being analysed;
- any other is most likely someone who has left (an opt-out list is kept for good, and
  must not lose them if they come back), so it is a
  :class:`~leadnet.errors.LeadnetWarning` naming its lines, and a count
  (``exclusion-unmatched`` among the roster's normalisations);
- a line naming someone whose roster row was rejected is that row's problem, reported
  with the roster's.

No message quotes an id of the list or a roster id it resembles: the terminal, a CI log or
a ticket it is pasted into must not say who opted out. Lines are enough to find them.
"""

from __future__ import annotations

import warnings
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from leadnet.errors import InputError, LeadnetWarning, RowIssue, lines_listed
from leadnet.importers.identity import normalise_id
from leadnet.importers.people import PeopleImport
from leadnet.importers.result import HeaderRead, add_counts
from leadnet.importers.tables import Table, read_table
from leadnet.near_ids import NEAR_UNNAMED, fold_id
from leadnet.schema import default_headers, header_key


@dataclass(frozen=True)
class ExclusionList(Collection[str]):
    """An opt-out list as read: the normal form of each id it names → its line (the first, if twice).

    A collection of the normal forms, as :func:`~leadnet.importers.people.load_people`
    takes for ``exclude``. ``normalisations`` counts ``header-normalised`` (the header of
    the ids written in another letter case, ``Person_ID``, which ``headers_read`` names),
    the table's counts (:func:`read_table`) and the rows skipped, whose lines ``skipped``
    keeps by code: ``blank-row`` (every cell blank) and ``duplicate-row`` (an id an earlier
    row names, in any spelling: a row of the list is its id, whatever its other cells). So
    ``rows_read == len(lines) + len(skipped["blank-row"]) + len(skipped["duplicate-row"])``.
    """

    file: str
    lines: Mapping[str, int]
    normalisations: Mapping[str, int] = field(default_factory=dict)
    headers_read: tuple[HeaderRead, ...] = ()
    rows_read: int = 0
    skipped: Mapping[str, tuple[int, ...]] = field(default_factory=dict)

    def __iter__(self) -> Iterator[str]:
        return iter(self.lines)

    def __len__(self) -> int:
        return len(self.lines)

    def __contains__(self, key: object) -> bool:
        return key in self.lines


def load_exclusions(
    path: Path,
    columns: Mapping[str, str] | None = None,
    *,
    encoding: str | None = None,
    name: str | None = None,
) -> ExclusionList:
    """Read an exclusion (opt-out) list: the normal forms of the ids it names, each with its line.

    The first line must be a header: either with a ``person_id`` column (other columns,
    such as a reason, are ignored), or a single column headed ``person_id`` or ``email``,
    in any letter case (``Person_ID``: :func:`~leadnet.schema.default_headers`, as for every
    table; counted ``header-normalised``, and two such headers are a ``duplicate-column``).
    The roster's own headers for these (``columns``, as given to
    :func:`~leadnet.importers.people.load_people`) count too, as written, as the roster
    reads them: one in another letter case is a ``missing-header`` naming it. The file is read
    like the roster (:func:`read_table`: strict quoting, UTF-8, UTF-16 by BOM, or
    ``encoding``) and ids are normalised as roster ids are, so ``"P005"`` (quoted) and
    ``" P005 "`` are ``P005``. Raises :class:`~leadnet.errors.InputError` for a missing
    header, an empty file, an unreadable row or a blank id. ``name`` is the name its problems give the
    file (its path in the project: ``../hr/optout.csv``), the file's name unless given.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> text = 'person_id,reason\\n"P005",left\\n P006 ,\\n'
    >>> _ = (folder / "optout.csv").write_text(text, encoding="utf-8")
    >>> opt_outs = load_exclusions(folder / "optout.csv")
    >>> sorted(opt_outs), opt_outs.lines["P006"]
    (['P005', 'P006'], 3)
    """
    given = dict(columns or {})
    ids = list(dict.fromkeys(["person_id", given.get("person_id", "person_id")]))
    headers = list(dict.fromkeys([*ids, "email", given.get("email", "email")]))
    file = (Path(path), name or Path(path).name)
    table, header, written = _exclusion_table(file, headers, encoding, set(given.values()))
    if header not in ids and len(table.frame.columns) > 1:
        found = ", ".join(f'"{c}"' for c in table.frame.columns)
        detail = f'no "person_id" column; columns found: {found}'
        hint = f'add a "person_id" column, or keep only the "{written}" column'
        raise _exclusion_error(table.name, table.header_line, "missing-column", detail, hint)
    cells = table.frame[written]
    issues = [*table.issues] + [
        RowIssue(table.name, int(line), "missing-id", "the id is blank", column=written, hint="fill it in")
        for line in table.lines[(cells.str.strip() == "").to_numpy()]
    ]
    if issues:
        raise InputError.from_issues(
            sorted(issues, key=lambda i: i.line or 0),
            f"{table.name}: {len(issues)} row(s) of the exclusion list cannot be used; every row must be "
            "valid, or an opted-out person could stay in the analysis (fix them and run again)",
        )
    lines: dict[str, int] = {}
    repeated: list[int] = []
    for cell, line in zip(cells, table.lines, strict=True):
        key = normalise_id(cell)
        if key in lines:
            repeated.append(int(line))
        else:
            lines[key] = int(line)
    read_as = () if written == header else ((table.name, written, header),)
    more = {"duplicate-row": len(repeated), "header-normalised": len(read_as)}
    skipped = {"blank-row": table.blank_lines, "duplicate-row": tuple(repeated)}
    skipped = {code: found for code, found in skipped.items() if found}
    counts = add_counts(table.normalisations, more)
    return ExclusionList(table.name, lines, counts, read_as, table.rows_read, skipped)


def _exclusion_error(file: str, line: int | None, code: str, detail: str, hint: str) -> InputError:
    return InputError.from_issues([RowIssue(file, line, code, detail, hint=hint)])


def _exclusion_table(
    file: tuple[Path, str], headers: Sequence[str], encoding: str | None, mapped: Collection[str]
) -> tuple[Table, str, str]:
    """The exclusion list (``file``: its path, and the name its problems give it), the first of
    ``headers`` on its first line, and that header as written there.

    A header of :data:`OWN_HEADERS` is found in any letter case, unless that is a header
    the roster's map names (``mapped``), which is found as written; errors say how to fix it.
    """
    path, name = file
    listed = " or ".join(f'"{h}"' for h in headers)
    hint = f"add a first line {listed} above the ids"
    for header in headers:
        any_case = [header] if header in OWN_HEADERS else []
        try:
            table = read_table(
                path, [header], any_case=any_case, encoding=encoding, drop_duplicates=False, name=name
            )
        except InputError as err:
            code = err.issues[0].code if err.issues else ""
            if code == "empty-file":
                empty = f"an exclusion list needs its header line ({listed}) even when it names nobody"
                raise _exclusion_error(name, None, code, err.issues[0].detail, empty) from None
            if code != "missing-column":
                raise
            continue
        columns = list(table.frame.columns)
        written = default_headers(name, table.header_line, columns, {header: header}, mapped).get(
            header, header if header in columns else ""
        )
        if not written:  # found only as another spelling of a header the roster's map names: read below
            continue
        if table.normalisations.get("preamble-line"):  # lines above the header would be lost ids
            n = table.normalisations["preamble-line"]
            detail = f'{n} line(s) above the header "{written}" would be ignored'
            move = "put the header on the first line, above every id"
            raise _exclusion_error(name, table.header_line, "missing-header", detail, move)
        return table, header, written
    try:  # no required column: the first line read as the header
        first = read_table(path, [], encoding=encoding, name=name)
    except InputError:  # e.g. the same id twice on the first line: no header names are known
        raise _exclusion_error(name, None, "missing-header", "no header naming the ids", hint) from None
    detail = f"no header naming the ids; {UNQUOTED_FIRST_LINE}"
    near = [
        (c, h) for h in headers if h in mapped for c in first.frame.columns if header_key(c) == header_key(h)
    ]
    if near:  # a header the roster's map names is read as written, as in the roster: name that header alone
        spelt, mapped_as = near[0]
        detail = f'no header naming the ids; the first line\'s "{spelt}" differs only in letter case from '
        detail += f'"{mapped_as}", the header [people] columns maps'
        hint = f'write it "{mapped_as}": a header the column map names is read as written, in the roster too'
    raise _exclusion_error(name, first.header_line, "missing-header", detail, hint)


UNQUOTED_FIRST_LINE = "the first line is not shown, as it may name someone who opted out"
"""Why a message about an opt-out list without a header does not quote its first line: an id, most likely."""
OWN_HEADERS: tuple[str, ...] = ("person_id", "email")
"""The headers of the ids an opt-out list finds in any letter case (the roster's mapped ones: as written)."""

NEAR_MISS = (
    f"the id matches nobody on the roster, but {NEAR_UNNAMED}",
    "check it against the roster and write it as the roster does; until it matches, the person who opted "
    "out stays in the analysis",
)
"""Detail and fix of an opt-out line that reads as a roster spelling written differently."""
SHARED_ALIAS = (
    "the id is an alias two people on the roster share, so it removes neither",
    "use the person_id of the one who opted out",
)
"""Detail and fix of an opt-out line naming an alias two people share."""


def check_exclusions(exclusions: ExclusionList, roster: PeopleImport) -> list[RowIssue]:
    """The lines of ``exclusions`` that must be fixed; a warning names the ones that merely match nobody.

    ``roster`` is what :func:`~leadnet.importers.people.load_people` made of the roster with
    ``exclusions``. See the module docstring for which unmatched line is which.

    Examples
    --------
    >>> import pandas as pd, warnings
    >>> from leadnet.model import InputRecord
    >>> people = pd.DataFrame({"person_id": ["E0001", "E0002"], "email": ["a@x.org", "b@x.org"]})
    >>> roster = PeopleImport(people, InputRecord("people.csv", "people", "", 2, 2, 0), ())
    >>> opt_outs = ExclusionList("optout.csv", {"E001": 2, "E0999": 3})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     problems = check_exclusions(opt_outs, roster)
    >>> [(p.line, p.code) for p in problems]
    [(2, 'exclusion-unmatched')]
    >>> print(caught[0].message)  # doctest: +ELLIPSIS
    optout.csv: 1 line names nobody on the roster (line 3): ...
    """
    left = {
        key: line
        for key, line in exclusions.lines.items()
        if key not in roster.excluded_keys and key not in roster.rejected_keys
    }
    if not left:
        return []
    resolver = roster.resolver()
    folded = {fold_id(key) for key in resolver.spellings()} - {""}
    problems, unmatched = [], []
    for key, line in sorted(left.items(), key=lambda item: item[1]):
        if key in resolver.ambiguous:
            detail, hint = SHARED_ALIAS
        elif fold_id(key) in folded:
            detail, hint = NEAR_MISS
        else:
            unmatched.append(line)
            continue
        problems.append(RowIssue(exclusions.file, line, "exclusion-unmatched", detail, hint=hint))
    warn_unmatched(exclusions.file, unmatched)
    return problems


def warn_unmatched(file: str, lines: Sequence[int]) -> None:
    """Say which lines of opt-out list ``file`` name nobody on the roster: by line, never by id.

    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_unmatched("optout.csv", [4, 9])
    >>> print(str(caught[0].message).split(": nothing")[0])
    optout.csv: 2 lines name nobody on the roster (lines 4, 9)
    """
    if not lines:
        return
    who = "1 line names" if len(lines) == 1 else f"{len(lines):,} lines name"
    where = lines_listed(lines)
    message = (
        f"{file}: {who} nobody on the roster ({where}): nothing to do for people who have left; any other "
        "is a wrong id, and that person stays in the analysis until it is corrected (check them against "
        "the roster)"
    )
    warnings.warn(message, LeadnetWarning, stacklevel=2)
