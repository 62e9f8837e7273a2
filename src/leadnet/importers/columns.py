"""Column maps: which header of a table file each role reads (``columns = { role = "header" }``).

:func:`column_map` is the one reading of such a map for the roster, survey, tie and
membership importers (:func:`column_plan` adds which headers the file must have). A role
left out of the map reads the header of its default name.
No two roles read one column: two roles mapped to the same header, or a role mapped to
the header a required role reads by default, is a :class:`~leadnet.errors.ConfigError`
naming both roles and the header (read twice, the column would fill both roles, and the
rows would fail for the wrong reason, or all become self-ties). An optional role whose
default header another role is mapped to is not read: the map said what that column holds.
The error is a :class:`ColumnClash`, which knows the role whose mapping to name, so a caller
that knows where the map was written names it (``columns at leadnet.toml line 7, [people]``:
:func:`clash_placed`); a missing column is a :class:`~leadnet.importers.column_fixes.MissingRole`,
whose fix is then the line to write in the map, or the entry to write for a file given on the
command line (:mod:`leadnet.importers.column_fixes`).

:func:`read_columns` reads a file by its map. A role the map leaves out reads the header
of its name as users write it, letter case and surrounding spaces aside (``Unit`` for
``unit``: :func:`~leadnet.schema.default_headers`, the rule of the e-mail exports and the
cohort file too), and each header so read in another case is counted
(``header-normalised``); a header the map names is read as written.

Headers that are no role are not read, but two that would silently change a survey's or tie
list's result are warned of: a ``question`` column of several values where no column gives
the relation (:func:`warn_relation_unread`), and a ``frequency`` column of values other than
1 where no column gives the weight (:func:`warn_weight_unread`). The values a warning shows
are listed by number when all are numbers (``"9"`` before ``"10"``), else as text.
"""

from __future__ import annotations

import warnings
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from leadnet.config import Config
from leadnet.errors import ConfigError, FiguresWarning
from leadnet.importers.column_fixes import MissingRole, UnreadColumns
from leadnet.importers.role_names import recognised, unread_columns
from leadnet.importers.table_files import MissingColumn
from leadnet.importers.tables import Table, parse_number, read_table
from leadnet.schema import default_headers, header_key, shared_column

RELATION_HEADERS: tuple[str, ...] = ("question",)
"""Headers that name a relation without being read as one unless mapped (a survey's questions)."""
WEIGHT_HEADERS: tuple[str, ...] = ("frequency",)
"""Headers that name a weight without being read as one unless mapped (a survey's frequency scale)."""


def column_map(
    file: str, columns: Mapping[str, str] | None, defaults: Mapping[str, str], required: Collection[str]
) -> dict[str, str]:
    """Each role of ``defaults`` (role → default header) → the header it reads; ``""`` for none.

    ``columns`` is the file's map (role → header); ``required`` the roles the file must
    have. Raises :class:`~leadnet.errors.ConfigError` for an unknown role, or for two
    roles that would read one column.

    Examples
    --------
    >>> roles = {"source": "respondent", "target": "nominee", "relation": "relation"}
    >>> column_map("survey.csv", {"target": "relation"}, roles, ["source", "target"])
    {'source': 'respondent', 'target': 'relation', 'relation': ''}
    >>> try:
    ...     column_map("survey.csv", {"source": "who", "target": "who"}, roles, ["source", "target"])
    ... except ConfigError as error:
    ...     print(str(error).split(";")[0])
    survey.csv: columns source and target are both mapped to the header "who", so both would read it
    """
    given = {role: str(header) for role, header in (columns or {}).items()}
    unknown = sorted(set(given) - set(defaults))
    if unknown:
        raise ConfigError(
            f"unknown column name(s) {', '.join(unknown)}: the names are {', '.join(defaults)}."
        )
    readers: dict[str, list[str]] = {}
    for role, header in given.items():
        readers.setdefault(header, []).append(role)
    for role in required:
        if role not in given and defaults[role] in readers:
            raise _clash(file, readers[defaults[role]][0], role, defaults[role], by_default=True)
    shared = shared_column(given)
    if shared is not None:
        raise _clash(file, *shared, by_default=False)
    return {role: given.get(role, "" if defaults[role] in readers else defaults[role]) for role in defaults}


def column_plan(
    file: str, columns: Mapping[str, str] | None, defaults: Mapping[str, str], required: Sequence[str]
) -> tuple[dict[str, str], list[str], list[str]]:
    """(role → header, headers the file must have, headers read when present) of a column map.

    The file must have the headers of the ``required`` roles and of every role the map
    names; the other roles are read from their default headers when the file has them.

    >>> column_plan("ties.csv", {"weight": "w"}, {"source": "source", "target": "target", "weight": "weight",
    ...             "relation": "relation"}, ["source", "target"])[1:]
    (['source', 'target', 'w'], ['relation'])
    """
    given = dict(columns or {})
    mapping = column_map(file, given, defaults, required)
    needed = [mapping[r] for r in required] + [
        mapping[r] for r in defaults if r in given and r not in required
    ]
    optional = [mapping[r] for r in defaults if r not in given and r not in required and mapping[r]]
    return mapping, needed, optional


def read_columns(
    path: Path,
    columns: Mapping[str, str] | None,
    defaults: Mapping[str, str],
    required: Sequence[str],
    *,
    headers: Sequence[str] = (),
    encoding: str | None = None,
    drop_duplicates: bool = True,
    column_fix: str | None = None,
    names: Mapping[str, Collection[str]] | None = None,
    name: str | None = None,
    globs: Sequence[str] = (),
) -> tuple[Table, dict[str, str]]:
    """Read a table file by its column map: the table, and each role → the header it reads.

    :func:`column_plan` says which headers the file must have; ``headers`` are more it must
    have, as written (a wide survey's nominee columns). A role the map leaves out reads
    the one header equal to its default name, letter case and surrounding spaces aside,
    unless the map gives that header to another role (for a required role, an error as
    :func:`column_map`'s); a role without one keeps its default name, which the file lacks.
    ``encoding``, ``drop_duplicates``, ``column_fix`` and ``name`` (the name the file's problems give
    it, its path in the project) are passed to :func:`~leadnet.importers.tables.read_table`. The
    headers read in another letter case are counted (``header-normalised``) and kept, each with the
    name it was read as (:attr:`~leadnet.importers.tables.Table.read_as`). A file that lacks a column is a
    :class:`~leadnet.importers.column_fixes.MissingRole`; with ``names`` (role → the headers
    exports give it: :data:`~leadnet.importers.role_names.ROSTER_NAMES`), the map it suggests
    names every role its header has under one of them (:func:`_with_recognised`). ``globs`` match
    more headers the file reads, not required (a wide survey's ``nominee_*``): a missing column's
    message quotes a header they match (:func:`~leadnet.importers.header_cells.shown_cells`).

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "people.csv"
    >>> _ = path.write_text("Person_ID,Unit,level\\n1,ops,2\\n", encoding="utf-8")
    >>> table, roles = read_columns(path, None, {"person_id": "person_id", "unit": "unit",
    ...                             "level": "level", "name": "name"}, ["person_id"])
    >>> roles, table.normalisations, table.read_as
    ({'person_id': 'Person_ID', 'unit': 'Unit', 'level': 'level', 'name': 'name'}, {'header-normalised': 2}, \
{'Person_ID': 'person_id', 'Unit': 'unit'})
    """
    name = name or Path(path).name
    given = dict(columns or {})
    mapping, needed, optional = column_plan(name, given, defaults, required)
    by_default = {role: header for role, header in mapping.items() if header and role not in given}
    any_case = [mapping[role] for role in required if role not in given]
    try:
        table = read_table(
            Path(path),
            [*needed, *headers],
            optional=optional,
            any_case=any_case,
            encoding=encoding,
            drop_duplicates=drop_duplicates,
            column_fix=column_fix,
            known={**_header_names(mapping, defaults, names or {}), **{glob: () for glob in globs}},
            name=name,
        )
    except MissingColumn as error:
        roles = {header: (role, role in given) for role, header in mapping.items() if header}
        raise _with_recognised(MissingRole(error, roles), mapping, given, names or {}) from None
    taken = {given[role]: role for role in given}
    found = default_headers(name, table.header_line, table.columns, by_default, taken)
    for role in required:
        if role not in given and role not in found:  # its header is the one another role is mapped to
            header = next(h for h in taken if header_key(h) == header_key(defaults[role]))
            raise _clash(name, taken[header], role, header, by_default=True)
    read_as = {header: by_default[role] for role, header in found.items() if header != by_default[role]}
    if read_as:
        counts = dict(sorted({**table.normalisations, "header-normalised": len(read_as)}.items()))
        table = replace(table, normalisations=counts, read_as=read_as)
    return table, {**mapping, **found}


def _header_names(
    mapping: Mapping[str, str], defaults: Mapping[str, str], names: Mapping[str, Collection[str]]
) -> dict[str, Collection[str]]:
    """The header names a file read by ``mapping`` reads, for a missing column's message to quote
    (:func:`~leadnet.importers.header_cells.shown_cells`): the roles' names and default headers, and each
    header read → the names exports give its role (``names``), which a header of is told to map or rename.

    >>> _header_names({"person_id": "emp"}, {"person_id": "person_id"}, {"person_id": ("id",)})
    {'person_id': (), 'emp': ('id',)}
    """
    own: dict[str, Collection[str]] = {name: () for role in mapping for name in (role, defaults[role])}
    return own | {header: tuple(names.get(role, ())) for role, header in mapping.items() if header}


def _with_recognised(
    error: MissingRole,
    mapping: Mapping[str, str],
    given: Mapping[str, str],
    names: Mapping[str, Collection[str]],
) -> MissingRole:
    """``error``, the header it suggests for each role also found under one of the role's ``names``
    (:func:`~leadnet.importers.role_names.recognised`): a missing role no header is close to, and every
    role neither mapped nor read by its own name, so the map suggested reads the file whole.

    >>> from leadnet.importers.table_files import missing_columns
    >>> found = ["Employee ID", "Department", "Unit", "Grade"]
    >>> roles = {"person_id": ("person_id", False), "unit": ("unit", False), "level": ("level", False)}
    >>> defaults = {"person_id": "person_id", "unit": "unit", "level": "level"}
    >>> names = {"person_id": ("employee id",), "unit": ("department",), "level": ("grade",)}
    >>> known = _header_names(defaults, defaults, names)
    >>> error = missing_columns("people.csv", [(1, found)], (["person_id"], ["person_id"]), None, known)
    >>> _with_recognised(MissingRole(error, roles), defaults, {}, names).close
    {'person_id': 'Employee ID', 'level': 'Grade'}
    """
    own = {header_key(mapping[r]): r for r in mapping if r not in given and mapping[r]}
    by_name = {header: own[header_key(header)] for header in error.found if header_key(header) in own}
    unread = [
        r for r in mapping if mapping[r] in error.missing or (r not in given and r not in by_name.values())
    ]
    wanted = {r: names[r] for r in unread if r in names and mapping[r] and mapping[r] not in error.close}
    found = recognised(error.found, {*given.values(), *error.close.values(), *by_name}, wanted)
    if not found:
        return error
    close = {**error.close, **{mapping[role]: header for role, header in found.items()}}
    roles = {**error.roles, **{mapping[role]: (role, False) for role in found}}
    return MissingRole(MissingColumn(error.issue, error.missing, close, error.found), roles, error.map_key)


def warn_relation_unread(table: Table, mapping: Mapping[str, str], relation: str) -> None:
    """Warn when no column gives the relation but a column of :data:`RELATION_HEADERS` holds several values.

    Read with no column map (``leadnet analyse --survey FILE``), a survey's ``question``
    column is not the relation column, and its questions would become one relation,
    ``relation``, without a word.

    Examples
    --------
    >>> import tempfile
    >>> from leadnet.importers.tables import read_table
    >>> path = Path(tempfile.mkdtemp()) / "survey.csv"
    >>> _ = path.write_text("respondent,nominee,Question\\na,b,advice\\na,b,trust\\n", encoding="utf-8")
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_relation_unread(read_table(path, []), {"relation": "relation"}, "advice")
    >>> print(caught[0].message)  # doctest: +NORMALIZE_WHITESPACE
    survey.csv line 1: column "Question" is not read, so its 2 values ("advice", "trust") are one
    relation, "advice"; to keep them apart, rename its header "relation", or map the column:
    columns = { relation = "Question" } in leadnet.toml
    """
    for header, values in _unread(table, mapping, "relation", RELATION_HEADERS):
        if len(values) < 2:
            continue
        message = (
            f'{table.name} line {table.header_line}: column "{header}" is not read, so its {len(values):,} '
            f'values ({_shown(values)}) are one relation, "{relation}"; to keep them apart, rename its '
            f'header "relation", or map the column: columns = {{ relation = "{header}" }} in leadnet.toml'
        )
        warnings.warn(message, FiguresWarning, stacklevel=3)


def warn_weight_unread(table: Table, mapping: Mapping[str, str]) -> None:
    """Warn when no column gives the weight but a column of :data:`WEIGHT_HEADERS` holds a value other than 1.

    Read with no column map, a survey's ``frequency`` column is not the weight column, so
    every tie weighs 1 (each repeated row of a tie list adds 1). It is not read by default:
    a tie weight is a strength, and a scale where 1 is the most often would be read upside down.

    Examples
    --------
    >>> import tempfile
    >>> from leadnet.importers.tables import read_table
    >>> path = Path(tempfile.mkdtemp()) / "survey.csv"
    >>> _ = path.write_text("respondent,nominee,Frequency\\na,b,5\\nb,a,1\\n", encoding="utf-8")
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_weight_unread(read_table(path, []), {"weight": "weight"})
    >>> print(caught[0].message)  # doctest: +NORMALIZE_WHITESPACE
    survey.csv line 1: column "Frequency" is not read, so every tie weighs 1 whatever its value ("1", "5");
    if a larger number means a stronger tie, read it as the weight: rename its header "weight", or map the
    column: columns = { weight = "Frequency" } in leadnet.toml
    """
    for header, values in _unread(table, mapping, "weight", WEIGHT_HEADERS):
        if not set(values) - {"1"}:
            continue
        message = (
            f'{table.name} line {table.header_line}: column "{header}" is not read, so every tie weighs 1 '
            f"whatever its value ({_shown(values)}); if a larger number means a stronger tie, read it as the "
            f'weight: rename its header "weight", or map the column: columns = {{ weight = "{header}" }} in '
            "leadnet.toml"
        )
        warnings.warn(message, FiguresWarning, stacklevel=3)


def warn_roles_unread(
    table: Table,
    mapping: Mapping[str, str],
    columns: Mapping[str, str] | None,
    names: Mapping[str, Collection[str]],
) -> None:
    """Warn, once for the file, of its columns named as a role of ``names`` (role → its names) that
    no role reads (:func:`~leadnet.importers.role_names.unread_columns`): they are kept as attributes,
    so a roster's ``Grade`` or ``Line manager`` left out of its map ranks nobody and makes no one a
    manager, without a word. Each is named with its role, and the header the role reads when another
    column gives it (``Team`` where unit reads ``Directorate``); the fix adds the roles no column
    gives to the map (``columns``), as an :class:`~leadnet.importers.column_fixes.UnreadColumns`.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "people.csv"
    >>> _ = path.write_text("id,Directorate,Team,Grade\\nE1,Ops,A,1\\n", encoding="utf-8")
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     mapped = {"person_id": "id", "unit": "Directorate"}
    ...     warn_roles_unread(read_table(path, []), {**mapped, "level": "level"}, mapped,
    ...                       {"unit": ("team",), "level": ("grade",)})
    >>> print(caught[0].message)  # doctest: +NORMALIZE_WHITESPACE
    people.csv line 1: columns "Team" (unit, which reads "Directorate") and "Grade" (level) are kept as
    attributes, not read as those roles; map level: columns = { person_id = "id", unit = "Directorate",
    level = "Grade" } in leadnet.toml
    """
    read = {header for header in mapping.values() if header in table.columns}
    found = [
        (header, role, mapping[role] if mapping[role] in read else None)
        for header, role in unread_columns(table.columns, read, names)
    ]
    if not found:
        return
    effect = "kept as attributes, not read as those roles"
    if len(found) == 1:
        effect = "kept as an attribute, not read as that role"
    warning = UnreadColumns(table.name, table.header_line, found, effect, dict(columns or {}))
    warnings.warn(warning, stacklevel=3)


def _unread(
    table: Table, mapping: Mapping[str, str], role: str, names: tuple[str, ...]
) -> Iterator[tuple[str, list[str]]]:
    """Each header named as ``role`` (one of ``names``: :func:`~leadnet.importers.role_names.unread_columns`)
    that no role reads, with its distinct non-blank values, when no column gives ``role``."""
    if mapping[role] in table.columns:
        return
    for header, _ in unread_columns(table.columns, set(mapping.values()), {role: names}):
        yield header, _in_order({str(value).strip() for value in table.column(header).unique()} - {""})


def _in_order(values: Collection[str]) -> list[str]:
    """``values`` as a reader expects them listed: by number when all are numbers, else as text.

    >>> _in_order({"10", "9", "2,5"}), _in_order({"10", "9", "often"})
    (['2,5', '9', '10'], ['10', '9', 'often'])
    """
    try:
        return sorted(values, key=lambda value: (parse_number(value), value))
    except ValueError:  # one value is not a number: all are listed as text
        return sorted(values)


def _shown(values: list[str]) -> str:
    return ", ".join(f'"{value}"' for value in values[:3]) + (", …" if len(values) > 3 else "")


MAP_WHERE = "columns = { ... } in leadnet.toml"
"""Where a column map is written, when the caller does not say (an importer called directly)."""


class ColumnClash(ConfigError):
    """Two roles of a column map would read one column: a :class:`~leadnet.errors.ConfigError` that
    knows the role whose mapping made the clash (``role``), so a caller that knows where the map was
    written can name it (:meth:`located`)."""

    def __init__(self, file: str, detail: str, fix: str, role: str, where: str = MAP_WHERE) -> None:
        super().__init__(f"{file}: {detail}; {fix} ({where})")
        self.file, self.detail, self.fix, self.role = file, detail, fix, role

    def located(self, where: str) -> ColumnClash:
        """The same error naming where the map was written, such as ``leadnet.toml line 7, [people]``.

        >>> clash = _clash("people.csv", "person_id", "manager_id", "id", by_default=False)
        >>> print(clash.located("leadnet.toml line 7, [people]"))  # doctest: +NORMALIZE_WHITESPACE
        people.csv: columns person_id and manager_id are both mapped to the header "id", so both would
        read it; map each to the header of its own column, or leave out the one the file does not have
        (columns at leadnet.toml line 7, [people])
        """
        return ColumnClash(self.file, self.detail, self.fix, self.role, f"columns at {where}")


def _clash(file: str, mapped: str, other: str, header: str, *, by_default: bool) -> ColumnClash:
    """The error of two roles that would read the column ``header``; the mapping to name is
    ``mapped``'s when ``other`` reads the header by default, else ``other``'s (the second mapped)."""
    if by_default:
        detail = (
            f'column {mapped} is mapped to the header "{header}", which {other} reads when it is not mapped, '
            "so both would read one column"
        )
        fix = f"map {other} to the header of its own column too"
        return ColumnClash(file, detail, fix, mapped)
    detail = f'columns {mapped} and {other} are both mapped to the header "{header}", so both would read it'
    fix = "map each to the header of its own column, or leave out the one the file does not have"
    return ColumnClash(file, detail, fix, other)


def clash_placed(error: ColumnClash, config: Config, table: str | None) -> ColumnClash:
    """A column-map clash naming the line of ``leadnet.toml`` where the map was written (its ``table``:
    ``[people]``, ``[[sources]] #2``), the role's own key when the file gives it one; as it was when
    the map came from no file."""
    if config.file is None or table is None:
        return error
    return error.located(config.where(table, f"columns.{error.role}", "columns"))
