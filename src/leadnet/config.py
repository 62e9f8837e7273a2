"""``leadnet.toml`` and command-line flags turned into frozen configuration values.

Paths in the file are relative to the folder that holds it. Flags override the file
(:func:`leadnet.overrides.with_overrides`). Unknown keys are errors that list the valid ones, and every
value is checked against the type its field declares (``show_names = "false"`` is an
error, not a truthy string), so a typo never silently changes an analysis. Snapshot
names become folder names under ``--out`` and must be safe ones (:mod:`leadnet.snapshot_names`).
The ``[analysis]`` parameters with their ranges are :mod:`leadnet.parameters`, each ``[[sources]]``
entry is read by :mod:`leadnet.sources`, a path is made absolute by :func:`leadnet.paths.located` and
an encoding checked by :func:`leadnet.schema.check_encoding`; their names are importable from here too.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar, cast

from leadnet.errors import ConfigError
from leadnet.parameters import MIN_GROUP_SIZE_FLOOR, AnalysisSection, validate_analysis
from leadnet.paths import as_path, display_name, located, path_values
from leadnet.schema import as_date, check_choice, check_columns, check_encoding
from leadnet.snapshot_names import check_spelling, snapshot_name
from leadnet.sources import SOURCE_KINDS, SourceSection, read_source
from leadnet.toml_types import (
    Lines,
    as_table,
    check_keys,
    check_types,
    dates_in_line,
    day_fix,
    field_types,
    key_lines,
    whole_floats,
    with_lines,
)

__all__ = [
    "CONFIG_NAME", "MIN_GROUP_SIZE_FLOOR", "PASS_PROJECT", "SOURCE_KINDS", "TOP_KEYS", "AnalysisSection",
    "Config", "PeopleSection", "ProgrammeSection", "ProjectSection", "SourceSection", "check_encoding",
    "load_config", "located", "missing_folder", "validate_analysis",
]  # fmt: skip

T = TypeVar("T")

CONFIG_NAME = "leadnet.toml"
PASS_PROJECT = f"pass the folder that holds {CONFIG_NAME} (or the {CONFIG_NAME} itself)"


def missing_folder(folder: Path, instead: str = PASS_PROJECT) -> str:
    """The message for a project ``folder`` that does not exist, with what to pass ``instead``."""
    return f"project folder {folder} does not exist; {instead}"


@dataclass(frozen=True)
class ProjectSection:
    """``[project]``: who the analysis is for and why (shown in every report footer)."""

    name: str = "leadnet project"
    purpose: str = ""
    internal_domains: tuple[str, ...] = ()


@dataclass(frozen=True)
class PeopleSection:
    """``[people]``: the HR roster and how to read its columns."""

    path: Path | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    top_level: str = "min"
    level_order: tuple[str, ...] | None = None
    encoding: str | None = None
    exclude: Path | None = None


@dataclass(frozen=True)
class ProgrammeSection:
    """``[programme]``: turns on the before/after comparison."""

    cohort: Path | None = None
    before: str = "before"
    after: str = "after"
    encoding: str | None = None

    def unknown_snapshots(
        self, names: Collection[str], where: Callable[..., str] | None = None
    ) -> str | None:
        """Why before/after cannot be compared where the sources define ``names``; None if they can.

        ``where(section, *keys)`` names the section at the line of the first key it holds
        (:meth:`Config.where`).

        >>> programme = ProgrammeSection(before="pre")
        >>> print(programme.unknown_snapshots(["before", "after"]))
        ... # doctest: +NORMALIZE_WHITESPACE
        [programme]: before = "pre" names no snapshot of the sources,
        which define "before", "after"; set before to one of those
        """
        missing = {
            key: name for key, name in (("before", self.before), ("after", self.after)) if name not in names
        }
        if not missing:
            return None
        at = where("[programme]", *missing) if where is not None else "[programme]"
        said = ", ".join(f'{key} = "{name}"' for key, name in missing.items())
        verb, count = ("names", "one") if len(missing) == 1 else ("name", "two")
        defined = ", ".join(f'"{name}"' for name in names) or "none"
        keys = " and ".join(missing)
        return (
            f"{at}: {said} {verb} no snapshot of the sources, which define {defined}; "
            f"set {keys} to {count} of those"
        )


@dataclass(frozen=True)
class Config:
    """The whole configuration of one ``leadnet analyse`` run."""

    root: Path
    project: ProjectSection = field(default_factory=ProjectSection)
    people: PeopleSection = field(default_factory=PeopleSection)
    sources: tuple[SourceSection, ...] = ()
    programme: ProgrammeSection | None = None
    analysis: AnalysisSection = field(default_factory=AnalysisSection)
    pseudonym_key: bytes | None = field(default=None, repr=False)  # from the environment, never the file
    file: Path | None = None
    """The ``leadnet.toml`` read, if any (for messages: :meth:`where`)."""
    lines: Lines = field(default_factory=dict, compare=False, repr=False)
    """The line of each table and key of ``file`` (:func:`~leadnet.toml_types.key_lines`)."""
    written: Mapping[Path, str] = field(default_factory=dict, compare=False, repr=False)
    """Each file ``file`` names (roster, opt-out list, sources and their recipients files, cohort), as
    written there, and each file a command-line flag gives, as typed, by its path."""

    def name_of(self, path: Path) -> str:
        """The name of the input file ``path`` in messages, ``rejected.csv`` and the provenance: relative
        to :attr:`root` when inside it, else as written (:func:`~leadnet.paths.display_name`)."""
        return display_name(path, self.root, self.written)

    @property
    def snapshot_names(self) -> tuple[str, ...]:
        """Snapshot names in the order their first source appears."""
        return tuple(dict.fromkeys(s.snapshot for s in self.sources))

    def where(self, section: str, *keys: str) -> str:
        """A section for messages: ``leadnet.toml line 7, [programme]`` at the first of ``keys`` the
        file holds, else at the section; ``[programme]`` when no file was read.

        >>> lines = {("[people]", ()): 3, ("[people]", ("path",)): 4}
        >>> config = Config(Path("."), file=Path("p/leadnet.toml"), lines=lines)
        >>> config.where("[people]", "path"), config.where("[people]", "exclude"), config.where("[analysis]")
        ('leadnet.toml line 4, [people]', 'leadnet.toml line 3, [people]', 'leadnet.toml [analysis]')
        """
        if self.file is None:
            return section
        line = self.line_of(section, *keys)
        return f"{self.file.name} {section}" if line is None else f"{self.file.name} line {line}, {section}"

    def line_of(self, section: str, *keys: str) -> int | None:
        """The line of the first of ``keys`` of ``section`` the file holds, else the section's own line."""
        found = [self.lines[(section, tuple(key.split(".")))] for key in keys if self.holds(section, key)]
        return found[0] if found else self.lines.get((section, ()))

    def holds(self, section: str, key: str) -> bool:
        """Whether the file gives ``key`` (dotted: ``columns.unit``) in ``section``, as a value or a table."""
        return (section, tuple(key.split("."))) in self.lines


def _names(cls: type) -> list[str]:
    return [f.name for f in fields(cls)]


def _project(table: Mapping[str, Any], where: str) -> ProjectSection:
    where = f"{where} [project]"
    check_keys(table, _names(ProjectSection), where)
    check_types(table, field_types(ProjectSection), where)
    domains = table.get("internal_domains", ())
    return ProjectSection(
        name=table.get("name", ProjectSection.name),
        purpose=table.get("purpose", ""),
        internal_domains=tuple(d.strip().lower() for d in domains),
    )


TOP_LEVELS = ("min", "max")
"""The values of ``[people] top_level``: the smallest level number is the top, or the largest."""


def _people(table: Mapping[str, Any], root: Path, where: str) -> PeopleSection:
    where = f"{where} [people]"
    check_keys(table, _names(PeopleSection), where)
    check_types(table, field_types(PeopleSection), where)
    top = table.get("top_level", "min")
    check_choice(top, "top_level", where, TOP_LEVELS)
    order = _level_order(table.get("level_order"), where)
    check_columns(table.get("columns", {}), "people", where)
    return PeopleSection(
        path=as_path(root, table["path"], f"{where} path", "the roster", 'path = "people.csv"')
        if "path" in table
        else None,
        columns=dict(table.get("columns", {})),
        top_level=top,
        level_order=order,
        encoding=check_encoding(table.get("encoding"), f"{where} encoding"),
        exclude=_opt_out_list(table, root, where),
    )


def _opt_out_list(table: Mapping[str, Any], root: Path, where: str) -> Path | None:
    """``[people] exclude``, the opt-out list, when given."""
    if "exclude" not in table:
        return None
    otherwise = ", or remove the key to exclude nobody"
    return as_path(
        root, table["exclude"], f"{where} exclude", "the opt-out list", 'exclude = "optout.csv"', otherwise
    )


def _level_order(order: Sequence[str] | None, where: str) -> tuple[str, ...] | None:
    """``level_order`` as a tuple: not empty, each level once (a repeat would change the ranks)."""
    if order is None:
        return None
    if not order:
        raise ConfigError(
            f"{where} level_order is empty: list the levels top first, such as "
            'level_order = ["Board", "Director", "Staff"], or remove the key to rank numeric levels.'
        )
    first: dict[str, int] = {}
    for number, level in enumerate(order, start=1):
        seen = first.setdefault(level.strip(), number)
        if seen != number:
            raise ConfigError(
                f'{where} level_order lists "{level.strip()}" twice (items {seen} and {number}): '
                "list each level once, top first."
            )
    return tuple(order)


def _programme(table: Mapping[str, Any], root: Path, where: str) -> ProgrammeSection:
    where = f"{where} [programme]"
    check_keys(table, _names(ProgrammeSection), where)
    check_types(table, field_types(ProgrammeSection), where)
    cohort = table.get("cohort")
    if isinstance(cohort, str) and not cohort.strip():  # like path = "", never a quiet "no cohort"
        raise ConfigError(
            f'{where}: cohort is empty. Name the cohort file, such as cohort = "cohort.csv", or remove '
            "the key to compare without a cohort"
        )
    before = snapshot_name(table, "before", "before", where)
    after = snapshot_name(table, "after", "after", where)
    if before == after:
        raise ConfigError(
            f'{where}: before and after both name the snapshot "{before}", so the comparison would set a '
            "wave against itself and find no change whatever happened; name the snapshot before the "
            'programme and the one after it, such as before = "before" and after = "after"'
        )
    return ProgrammeSection(
        cohort=as_path(root, cohort, f"{where} cohort", "the cohort file", 'cohort = "cohort.csv"')
        if cohort is not None
        else None,
        before=before,
        after=after,
        encoding=check_encoding(table.get("encoding"), f"{where} encoding"),
    )


def _analysis(table: Mapping[str, Any], where: str) -> AnalysisSection:
    where = f"{where} [analysis]"
    check_keys(table, _names(AnalysisSection), where)
    if whole := whole_floats(table, field_types(AnalysisSection)):  # permutations = 1e308: the range
        validate_analysis(replace(AnalysisSection(), **whole), where)
    check_types(table, field_types(AnalysisSection), where)
    values = dict(table)
    for key in ("period_from", "period_to"):
        values[key] = as_date(values.get(key))
    return validate_analysis(replace(AnalysisSection(), **values), where)


TOP_KEYS = ("project", "people", "sources", "programme", "analysis")


def load_config(path: Path) -> Config:
    """Read ``leadnet.toml`` (or the ``leadnet.toml`` inside a folder).

    Raises
    ------
    ConfigError
        For a project folder that does not exist, saying what to pass instead; with file, line and
        column for TOML syntax errors, the line of the key with a bad value
        or an unknown key and the valid options; one error lists the problem of every section at once.
    """
    if not path.exists() and path.suffix.lower() != ".toml":
        raise ConfigError(missing_folder(path))
    path = path / CONFIG_NAME if path.is_dir() else path
    if not path.is_file():
        raise ConfigError(f"{path}: no such file (a project folder needs a {CONFIG_NAME})")
    where = path.name
    try:
        data = tomllib.loads(text := path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_syntax_error(where, text, str(exc))) from None
    except RecursionError:  # tomllib reads a nested array or inline table by recursion
        raise ConfigError(_too_deep(where, text)) from None
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        byte = exc.object[exc.start : exc.start + 1].hex()
        message = f"{where} line {line}: byte 0x{byte} is not valid UTF-8; save the file as UTF-8"
        raise ConfigError(message) from None
    try:
        return _config(data, path, where, key_lines(text))
    except ConfigError as err:  # the checkers name table and key; the line is found here
        raise ConfigError(with_lines(str(err), where, text)) from None


def _too_deep(where: str, text: str) -> str:
    """The message of a file whose arrays or inline tables nest too deep for the TOML reader, at the
    line where the nesting passes 100 (brackets counted, strings and all: enough to find the line).

    >>> print(_too_deep("leadnet.toml", "[analysis]\\nx = " + "[" * 500 + "]" * 500 + "\\n"))
    ... # doctest: +NORMALIZE_WHITESPACE
    leadnet.toml line 2: arrays or inline tables nested too deep to read (over 100 inside one another);
    no setting of leadnet.toml nests more than a few: remove the nesting
    """
    depth, at = 0, ""
    for number, line in enumerate(text.splitlines(), start=1):
        for char in line:
            depth += (char in "[{") - (char in "]}")
            if depth > 100:
                at = f" line {number}"
                break
        if at:
            break
    return (
        f"{where}{at}: arrays or inline tables nested too deep to read (over 100 inside one another); "
        "no setting of leadnet.toml nests more than a few: remove the nesting"
    )


def _syntax_error(where: str, text: str, error: str) -> str:
    """The message of a TOML syntax ``error`` in the file ``where`` of ``text``: a date that names no day
    (``2026-02-30``, ``2026-13-01``) said so at its line, as a quoted one is; any other as tomllib says it.

    >>> print(_syntax_error("leadnet.toml", "[analysis]\\nperiod_to = 2026-13-01\\n",
    ...                     "Expected newline or end of document after a statement (at line 2, column 17)"))
    leadnet.toml line 2: 2026-13-01 is not a date: there is no month 13 (months are 01 to 12); write a day \
that exists, such as 2026-12-01
    """
    at = re.search(r"\(at line (\d+), column \d+\)", error)
    lines = text.splitlines()
    number = int(at[1]) if at else 0
    found = dates_in_line(lines[number - 1]) if 0 < number <= len(lines) else []
    if not found:
        return f"{where}: {error} (fix the TOML syntax there)"
    written, problem = found[0]
    return f"{where} line {number}: {written} is not a date: {problem}; {day_fix(written)}"


def _config(data: Mapping[str, Any], path: Path, where: str, lines: Lines) -> Config:
    check_keys(data, TOP_KEYS, where)
    root = path.parent.resolve()
    sources = data.get("sources", [])
    if not isinstance(sources, list):
        raise ConfigError(f"{where}: sources must be written as [[sources]] tables")
    problems: list[str] = []  # every section is read, so one run lists every problem

    def parsed(parse: Callable[..., T], value: Any, at: str, *args: Any) -> T:
        try:
            return parse(as_table(value, at), *args)
        except ConfigError as err:
            problems.append(str(err))
            return cast(T, None)

    def section(key: str, parse: Callable[..., T], *args: Any) -> T:
        return parsed(parse, data.get(key, {}), f"{where} [{key}]", *args)

    project = section("project", _project, where)
    people = section("people", _people, root, where)
    at = [f"{where} [[sources]] #{i}" for i in range(1, len(sources) + 1)]
    read_sources = tuple(
        parsed(read_source, table, w, root, w, n)
        for n, (table, w) in enumerate(zip(sources, at, strict=True), 1)
    )
    programme = section("programme", _programme, root, where) if "programme" in data else None
    analysis = section("analysis", _analysis, where)
    if programme is not None and analysis is not None and analysis.permutations == 0:
        problems.append(
            f"{where} [analysis]: permutations = 0 skips the permutation tests, but the [programme] "
            "comparison needs them; set permutations to 1 or more (10000 is the default), or remove it"
        )
    if len(problems) == 1:
        raise ConfigError(problems[0])
    if problems:
        listed = "\n".join(f"  {problem}" for problem in problems)
        raise ConfigError(f"{len(problems)} problems in {where}:\n{listed}")
    config = Config(root, project, people, read_sources, programme, analysis, file=path, lines=lines)
    config = replace(config, written=_written(data, root))
    check_spelling([source.snapshot for source in config.sources], where)
    return config


def _written(data: Mapping[str, Any], root: Path) -> dict[Path, str]:
    """Each path value of a checked ``leadnet.toml`` (``data``, in folder ``root``) as written, by the path
    it names (:func:`~leadnet.paths.path_values`: a recipients file's joined to its messages file's).

    >>> data = {"sources": [{"path": "../ext/m.csv", "recipients": {"path": "r.csv"}}]}
    >>> sorted(_written(data, Path("/p/q")).values())
    ['../ext/m.csv', '../ext/r.csv']
    """
    return {path: text for _, text, path in path_values(data, root)}
