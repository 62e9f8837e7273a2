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

from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

from leadnet.config import Config
from leadnet.errors import InputError
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
        super().__init__(error.issue, error.missing, error.close)
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
    file, key = config.file.name, error.map_key
    parent = [key.rpartition(".")[0]] if "." in key else []  # recipients, for a recipients file's map

    def at(role: str | None) -> str:
        keys = [f"{key}.{role}", key] if role else []
        line = config.line_of(table, *keys, *parent)  # None: the file has no such table (a flag's file)
        return file if line is None else f"{file} line {line}"

    # a map inside an inline table (recipients = { columns = { ... } }) has no line of its own
    has_map = config.holds(table, key) or any(mapped for _, mapped in error.roles.values())
    return error.located(table, at, has_map)


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
