"""The fix of a file's missing column, written as what to put in ``leadnet.toml``.

A file read by its column map (the roster, a survey, tie list or membership file, an e-mail
export) that lacks a column raises a :class:`MissingRole`: a ``missing-column`` error that
knows the role reading each header and the header of the file close to each missing one. The
caller that read the map makes its fix the line to write: in the map of the file's section
(:func:`missing_placed`: ``add  target = "Nominee name"  to columns of [[sources]] #1 at
leadnet.toml line 8``), or, for a file given on the command line (``--email FILE``), which
no map of ``leadnet.toml`` reads, the whole entry to write there, its kind, path and map
(:func:`missing_entry`: ``write the entry  [[sources]]  kind = "email"  path = "mail.csv"
columns = { sender = "From", recipients = "To" }  (a line each) in leadnet.toml``).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from leadnet.config import Config
from leadnet.errors import InputError, LeadnetWarning
from leadnet.importers.table_files import MissingColumn
from leadnet.toml_types import toml_literal


class MissingRole(MissingColumn):
    """A :class:`~leadnet.importers.table_files.MissingColumn` of a file read by its column map, knowing
    the role that reads each header (``roles``: header → role and whether the map names it), so a
    caller that knows where the map was written gives the line to write in it (:meth:`located`), or
    the entry to write for a file no map reads (:meth:`entry`). ``map_key`` is the map's key in its
    section of ``leadnet.toml``: ``columns``, or ``recipients.columns`` for an e-mail export's
    recipients file."""

    def __init__(
        self, error: MissingColumn, roles: Mapping[str, tuple[str, bool]], map_key: str = "columns"
    ) -> None:
        super().__init__(error.issue, error.missing, error.close, error.found)
        self.roles, self.map_key = dict(roles), map_key

    def _fixes(self) -> list[tuple[str, bool, str, str]]:
        """(role, whether the map names it, the header it reads, the close header) of each missing
        header the file has one close to."""
        return [
            (*self.roles[name], name, header) for name, header in self.close.items() if name in self.roles
        ]

    def _unfixed(self) -> list[str]:
        """The roles of the missing headers the file has none close to."""
        return [self.roles[n][0] for n in self.missing if n not in self.close and n in self.roles]

    def located(self, section: str, at: Callable[[str | None], str], has_map: bool) -> InputError:
        """The same error, its fix the line to write in ``section``'s column map: ``add  role = "Header"
        to columns of …``, ``change`` a mapping of a header the file lacks, or, when the section has no
        map (``has_map``), add one; ``at(role)`` names the line of the role's mapping (``None``: where
        the map would go, the section's or its recipients table's), such as ``leadnet.toml line 12``. As
        it was when no missing header is close to one the file has.

        >>> from leadnet.errors import RowIssue
        >>> issue = RowIssue("s.csv", 1, "missing-column", 'required column "nominee" not found')
        >>> error = MissingRole(MissingColumn(issue, ["nominee"], {"nominee": "Nominee name"}),
        ...                     {"nominee": ("target", False)})
        >>> error.located("[[sources]] #1", lambda role: "leadnet.toml line 9", True).issues[0].hint
        'add  target = "Nominee name"  to columns of [[sources]] #1 at leadnet.toml line 9'
        """
        fixes = self._fixes()
        if not fixes:
            return self
        where, table = f"{self.map_key} of {section}", self.map_key.rpartition(".")[0]
        if has_map:
            lines = [
                f"change  {role} = {toml_literal(name)}  to  {_pair(role, header)}  in {where} at {at(role)}"
                if mapped
                else f"add  {_pair(role, header)}  to {where} at {at(role)}"
                for role, mapped, name, header in fixes
            ]
        else:
            lines = [
                f"add  {_map('columns', fixes)}  to {table + ' of ' if table else ''}{section} at {at(None)}"
            ]
        rest = self._unfixed()
        if rest:
            its = "its" if len(rest) == 1 else "their"
            lines.append(f"and map {', '.join(rest)} to the header of {its} column")
        return InputError.from_issues([replace(self.issue, hint="; ".join(lines))])

    def entry(self, section: str, keys: Mapping[str, str], where: str, then: str) -> InputError:
        """The same error, its fix the whole entry to write ``where`` (``in leadnet.toml``): the table
        ``section`` (``[[sources]]``, ``[people]``), its ``keys`` (kind, path) and the column map, a
        line each, ``then`` what to run. For a file no map of ``leadnet.toml`` reads (given on the
        command line); as it was when no missing header is close to one the file has.

        >>> from leadnet.errors import RowIssue
        >>> issue = RowIssue("s.csv", 1, "missing-column", 'required column "nominee" not found')
        >>> error = MissingRole(MissingColumn(issue, ["nominee"], {"nominee": "Nominee name"}),
        ...                     {"nominee": ("target", False)})
        >>> print(error.entry("[[sources]]", {"kind": "survey", "path": "s.csv"}, "in leadnet.toml",
        ...                   "run without --survey").issues[0].hint)  # doctest: +NORMALIZE_WHITESPACE
        write the entry  [[sources]]  kind = "survey"  path = "s.csv"  columns = { target = "Nominee name" }
        (a line each) in leadnet.toml and run without --survey
        """
        fixes = self._fixes()
        if not fixes:
            return self
        lines = [section, *(f"{key} = {toml_literal(value)}" for key, value in keys.items())]
        lines.append(_map(self.map_key, fixes))
        rest = self._unfixed()
        its = "its" if len(rest) == 1 else "their"
        also = f"; map {', '.join(rest)} to the header of {its} column in {self.map_key} too" if rest else ""
        hint = f"write the entry  {'  '.join(lines)}  (a line each{also}) {where} and {then}"
        return InputError.from_issues([replace(self.issue, hint=hint)])


def _map(key: str, fixes: list[tuple[str, bool, str, str]]) -> str:
    r"""``columns = { role = "Header", ... }`` of ``fixes`` (role, mapped, name, header), under ``key``:
    TOML as written, a header's quotes and backslashes escaped, so it can be pasted.

    >>> import tomllib
    >>> line = _map("columns", [("target", False, "nominee", 'Nominee "x"'), ("source", False, "", "From")])
    >>> print(line)
    columns = { target = "Nominee \"x\"", source = "From" }
    >>> print(tomllib.loads(line)["columns"]["target"])
    Nominee "x"
    """
    pairs = ", ".join(_pair(role, header) for role, _, _, header in fixes)
    return f"{key} = {{ {pairs} }}"


def _pair(role: str, header: str) -> str:
    """``role = "Header"`` as TOML writes it."""
    return f"{role} = {toml_literal(header)}"


def missing_placed(error: InputError, config: Config, table: str | None) -> InputError:
    """A ``missing-column`` error of a file read by its column map, its fix the line to write in the
    map of ``table`` (``[people]``, ``[[sources]] #2``) of ``leadnet.toml``, at the line of the role's
    mapping, else of the map, else of where the map would go; any other as it was."""
    if not isinstance(error, MissingRole) or config.file is None or table is None:
        return error
    # a map inside an inline table (recipients = { columns = { ... } }) has no line of its own
    has_map = config.holds(table, error.map_key) or any(mapped for _, mapped in error.roles.values())
    return error.located(table, map_lines(config, table, error.map_key), has_map)


def map_lines(config: Config, table: str, key: str) -> Callable[[str | None], str]:
    """Where a column map's lines are in ``leadnet.toml``: ``at(role)`` names the line of the role's
    mapping in the map ``key`` of ``table``, else of the map, else of where the map would go (``None``:
    the map's), such as ``leadnet.toml line 12``. ``config`` has read a file."""
    assert config.file is not None
    file = config.file.name
    parent = [key.rpartition(".")[0]] if "." in key else []  # recipients, for a recipients file's map

    def at(role: str | None) -> str:
        keys = [f"{key}.{role}", key] if role else []
        line = config.line_of(table, *keys, *parent)  # None: the file has no such table (a flag's file)
        return file if line is None else f"{file} line {line}"

    return at


def missing_entry(
    error: InputError, config: Config, section: str, path: Path, flag: str, kind: str | None = None
) -> InputError:
    """A ``missing-column`` error of the file ``path`` given by the command-line ``flag`` (``--email``),
    its fix the entry of ``section`` (``[[sources]]`` of ``kind``, ``[people]``) to write in
    ``leadnet.toml``, with the file's path and column map, and to run without the flag (which would
    replace the entry); any other as it was.

    With a ``leadnet.toml`` read, the entry goes there, its path relative to the file's folder when
    the file lies in it; with none, in a ``leadnet.toml`` in the folder of the file, given to
    ``leadnet`` instead of the flag.
    """
    if not isinstance(error, MissingRole):
        return error
    if config.file is None:
        written, where = path.name, f"in a leadnet.toml in {path.name}'s folder"
        then = f"give leadnet that folder instead of {flag}"
    else:
        inside = path.is_relative_to(config.root)
        written = (path.relative_to(config.root) if inside else path).as_posix()
        where, then = f"in {config.file.name}", f"run without {flag}, which would replace it"
    keys = {"kind": kind, "path": written} if kind else {"path": written}
    return error.entry(section, keys, where, then)


class UnreadColumns(LeadnetWarning):
    """Columns of a file that look like a role but that no role reads
    (:func:`~leadnet.importers.role_names.unread_columns`), as one warning naming the file, each column
    with its role, what follows from its not being read (``effect``) and the map to write.

    ``found`` holds (header, role, the header the role reads or ``None``); ``columns`` is the map to
    extend (role → header: the file's map, or the headers an e-mail export read by default, which a
    map would stop). Raised by the importer with the map to write in ``leadnet.toml``; a caller that
    knows where the map was written gives the line to add to it (:meth:`located`, :func:`unread_placed`).

    >>> warning = UnreadColumns("mail.csv", 1, [("Cc", "cc", None)], "not read, so every Cc recipient is "
    ...                         "dropped uncounted", {"sender": "From", "recipients": "To"})
    >>> print(warning)  # doctest: +NORMALIZE_WHITESPACE
    mail.csv line 1: column "Cc" (cc) is not read, so every Cc recipient is dropped uncounted; map cc:
    columns = { sender = "From", recipients = "To", cc = "Cc" } in leadnet.toml
    >>> print(warning.located("[[sources]] #1", lambda role: "leadnet.toml line 9", True))
    ... # doctest: +NORMALIZE_WHITESPACE
    mail.csv line 1: column "Cc" (cc) is not read, so every Cc recipient is dropped uncounted;
    add  cc = "Cc"  to columns of [[sources]] #1 at leadnet.toml line 9
    """

    def __init__(
        self,
        file: str,
        line: int | None,
        found: Sequence[tuple[str, str, str | None]],
        effect: str,
        columns: Mapping[str, str],
        fix: str | None = None,
    ) -> None:
        self.file, self.line, self.found, self.effect = file, line, tuple(found), effect
        self.columns = dict(columns)
        added = self.added()
        whole = _map(
            "columns", [(role, False, "", header) for role, header in {**self.columns, **added}.items()]
        )
        fix = f"map {_listed(added)}: {whole} in leadnet.toml" if fix is None and added else fix
        self.fix = fix
        where = self.file if self.line is None else f"{self.file} line {self.line}"
        listed = _listed(f'"{header}" ({role}{_reads(reader)})' for header, role, reader in self.found)
        column = "column" if len(self.found) == 1 else "columns"
        text = f"{where}: {column} {listed} {'is' if len(self.found) == 1 else 'are'} {effect}"
        super().__init__(f"{text}; {fix}" if fix else text)

    def added(self) -> dict[str, str]:
        """Each role no column reads → the first of its columns found: the mappings to add."""
        added: dict[str, str] = {}
        for header, role, reader in self.found:
            if reader is None:
                added.setdefault(role, header)
        return added

    def named(self, file: str) -> UnreadColumns:
        """The same warning naming its file ``file`` (the name it goes by in the project)."""
        return UnreadColumns(file, self.line, self.found, self.effect, self.columns, self.fix)

    def located(self, section: str, at: Callable[[str | None], str], has_map: bool) -> UnreadColumns:
        """The same warning, its fix the mappings to add to the map of ``section`` (``has_map``), or
        the map to add there; ``at(role)`` names the line of the map, ``at(None)`` of where it would go
        (as :meth:`MissingRole.located`)."""
        added = self.added()
        if not added:
            return self
        pairs = [(role, False, "", header) for role, header in added.items()]
        if has_map:
            line = f"add  {', '.join(_pair(role, header) for role, header in added.items())}  to columns of"
        else:
            pairs = [(role, False, "", header) for role, header in self.columns.items()] + pairs
            line = f"add  {_map('columns', pairs)}  to"
        fix = f"{line} {section} at {at(next(iter(added)) if has_map else None)}"
        return UnreadColumns(self.file, self.line, self.found, self.effect, self.columns, fix)


def _reads(reader: str | None) -> str:
    return "" if reader is None else f", which reads {toml_literal(reader)}"


def _listed(items: Iterable[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    words = list(items)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def unread_placed(warning: UnreadColumns, config: Config, table: str | None) -> UnreadColumns:
    """An :class:`UnreadColumns` warning, its fix the line to write in the column map of ``table``
    (``[people]``, ``[[sources]] #2``) of ``leadnet.toml``; as it was for a file no map of it reads."""
    if config.file is None or table is None:
        return warning
    return warning.located(table, map_lines(config, table, "columns"), config.holds(table, "columns"))


@contextmanager
def unread_warnings_placed(
    config: Config, table_of: Callable[[str], str | None], named: Mapping[str, str] | None = None
) -> Iterator[list[warnings.WarningMessage]]:
    """Record the warnings raised inside, then give each on once, as it came (also when the block
    raises), each :class:`UnreadColumns` placed in ``leadnet.toml`` (:func:`unread_placed`) at the
    table ``table_of`` gives its file's name (``None``: no map reads it), and naming its file as
    ``named`` does (a file's own name → the name it goes by: an e-mail log's). Yields the list of the
    records, filled, placed, when the block ends: what a caller keeps of them is what was given on.
    """
    records: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                yield records
            finally:
                records.extend(_record_placed(record, config, table_of, named or {}) for record in caught)
    finally:  # outside the recording: given on to whoever listens
        for record in records:
            warnings.warn_explicit(record.message, record.category, record.filename, record.lineno)


def _record_placed(
    record: warnings.WarningMessage,
    config: Config,
    table_of: Callable[[str], str | None],
    named: Mapping[str, str],
) -> warnings.WarningMessage:
    """``record``, its warning placed when it is an :class:`UnreadColumns` (:func:`unread_placed`) and
    naming its file as ``named`` does."""
    message = record.message
    if not isinstance(message, UnreadColumns):
        return record
    placed = unread_placed(message, config, table_of(message.file))
    placed = placed.named(named.get(placed.file, placed.file))
    return warnings.WarningMessage(placed, record.category, record.filename, record.lineno)
