"""``leadnet.toml`` and command-line flags turned into frozen configuration values.

Paths in the file are relative to the folder that holds it. Flags override the file
(:func:`with_overrides`). Unknown keys are errors that list the valid ones, so a typo
never silently changes an analysis.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

from leadnet.errors import ConfigError

CONFIG_NAME = "leadnet.toml"
SOURCE_KINDS = ("survey", "email", "membership", "ties")
MIN_GROUP_SIZE_FLOOR = 5


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
class SourceSection:
    """One ``[[sources]]`` entry: a file of ties of one kind for one snapshot."""

    kind: str
    path: Path
    snapshot: str = "main"
    relation: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    layout: str = "long"
    encoding: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ProgrammeSection:
    """``[programme]``: turns on the before/after comparison."""

    cohort: Path | None = None
    before: str = "before"
    after: str = "after"


@dataclass(frozen=True)
class AnalysisSection:
    """``[analysis]``: parameters of the analysis; every random step uses ``seed``."""

    seed: int = 0
    min_group_size: int = MIN_GROUP_SIZE_FLOOR
    primary_relation: str | None = None
    max_reject_rate: float = 0.01
    top_levels: int = 2
    permutations: int = 10_000
    resolution: float = 1.0
    show_names: bool = False
    period_from: date | None = None
    period_to: date | None = None
    snapshot_by: str | None = None
    engine: str = "embedded"
    workbook: bool = False
    pseudonymise: bool = False


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

    @property
    def snapshot_names(self) -> tuple[str, ...]:
        """Snapshot names in the order their first source appears."""
        return tuple(dict.fromkeys(s.snapshot for s in self.sources))


def _check_keys(table: Mapping[str, Any], allowed: Sequence[str], where: str) -> None:
    for key in table:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            raise ConfigError(f'{where}: unknown key "{key}"{hint}. Valid keys: {", ".join(sorted(allowed))}')


def _names(cls: type) -> list[str]:
    return [f.name for f in fields(cls)]


def _path(root: Path, value: Any, where: str) -> Path:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{where}: path must be a non-empty string. Got {value!r} instead.")
    return (root / value).resolve()


def _date(value: Any, where: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"{where} must be a date like 2026-01-31. Got {value!r} instead.") from None


def _project(table: Mapping[str, Any], where: str) -> ProjectSection:
    _check_keys(table, _names(ProjectSection), f"{where} [project]")
    domains = table.get("internal_domains", ())
    return ProjectSection(
        name=str(table.get("name", ProjectSection.name)),
        purpose=str(table.get("purpose", "")),
        internal_domains=tuple(str(d).strip().lower() for d in domains),
    )


def _people(table: Mapping[str, Any], root: Path, where: str) -> PeopleSection:
    _check_keys(table, _names(PeopleSection), f"{where} [people]")
    top = table.get("top_level", "min")
    if top not in ("min", "max"):
        raise ConfigError(f'{where} [people] top_level must be "min" or "max". Got {top!r} instead.')
    order = table.get("level_order")
    return PeopleSection(
        path=_path(root, table["path"], f"{where} [people] path") if "path" in table else None,
        columns=dict(table.get("columns", {})),
        top_level=top,
        level_order=tuple(str(v) for v in order) if order is not None else None,
        encoding=table.get("encoding"),
        exclude=_path(root, table["exclude"], f"{where} [people] exclude") if "exclude" in table else None,
    )


SOURCE_KEYS = ("kind", "path", "snapshot", "relation", "columns", "layout", "encoding")
WINDOW_OPTIONS = ("from", "to")
SOURCE_OPTIONS: Mapping[str, tuple[str, ...]] = {
    "survey": (),
    "ties": ("directed",),
    "email": (
        "format", "max_recipients", "cc_weight", "min_messages", "require_reciprocity", "external",
        "header", "delimiter", "timestamp_format", "quote", "recipients", *WINDOW_OPTIONS,
    ),
    "membership": ("max_project_size", *WINDOW_OPTIONS),
}  # fmt: skip


def _source(table: Mapping[str, Any], root: Path, where: str) -> SourceSection:
    kind = table.get("kind")
    if kind not in SOURCE_KINDS:
        raise ConfigError(f"{where}: kind must be one of {', '.join(SOURCE_KINDS)}. Got {kind!r} instead.")
    if "path" not in table:
        raise ConfigError(f'{where}: "path" is missing (the file to read, relative to leadnet.toml)')
    options = {k: v for k, v in table.items() if k not in SOURCE_KEYS}
    _check_keys(options, (*SOURCE_KEYS, *SOURCE_OPTIONS[kind]), f'{where} (kind "{kind}")')
    layout = table.get("layout", "long")
    if layout not in ("long", "wide"):
        raise ConfigError(f'{where}: layout must be "long" or "wide". Got {layout!r} instead.')
    return SourceSection(
        kind=kind,
        path=_path(root, table["path"], f"{where} path"),
        snapshot=str(table.get("snapshot", "main")),
        relation=table.get("relation"),
        columns=dict(table.get("columns", {})),
        layout=layout,
        encoding=table.get("encoding"),
        options=options,
    )


def _programme(table: Mapping[str, Any], root: Path, where: str) -> ProgrammeSection:
    _check_keys(table, _names(ProgrammeSection), f"{where} [programme]")
    cohort = table.get("cohort")
    return ProgrammeSection(
        cohort=_path(root, cohort, f"{where} [programme] cohort") if cohort else None,
        before=str(table.get("before", "before")),
        after=str(table.get("after", "after")),
    )


def _analysis(table: Mapping[str, Any], where: str) -> AnalysisSection:
    _check_keys(table, _names(AnalysisSection), f"{where} [analysis]")
    values = dict(table)
    for key in ("period_from", "period_to"):
        values[key] = _date(values.get(key), f"{where} [analysis] {key}")
    return validate_analysis(replace(AnalysisSection(), **values), f"{where} [analysis]")


def validate_analysis(section: AnalysisSection, where: str = "configuration") -> AnalysisSection:
    """Check the analysis parameters, raising :class:`ConfigError` with the fix."""
    if section.min_group_size < MIN_GROUP_SIZE_FLOOR:
        raise ConfigError(
            f"{where}: min_group_size may be raised but never lowered below {MIN_GROUP_SIZE_FLOOR} "
            f"(privacy floor). Got {section.min_group_size} instead."
        )
    if not 0 <= section.max_reject_rate <= 1:
        raise ConfigError(f"{where}: max_reject_rate must be between 0 and 1. Got {section.max_reject_rate}.")
    if section.permutations < 0:
        raise ConfigError(f"{where}: permutations must be 0 or more. Got {section.permutations}.")
    if section.snapshot_by not in (None, "month", "quarter"):
        raise ConfigError(f'{where}: snapshot_by must be "month" or "quarter". Got {section.snapshot_by!r}.')
    if section.engine not in ("embedded", "spark"):
        raise ConfigError(f'{where}: engine must be "embedded" or "spark". Got {section.engine!r} instead.')
    if section.pseudonymise and section.show_names:
        raise ConfigError(f"{where}: --show-names and pseudonymise = true contradict each other; choose one.")
    if section.period_from and section.period_to and section.period_from > section.period_to:
        raise ConfigError(f"{where}: --from {section.period_from} is after --to {section.period_to}.")
    return section


TOP_KEYS = ("project", "people", "sources", "programme", "analysis")


def load_config(path: Path) -> Config:
    """Read ``leadnet.toml`` (or the ``leadnet.toml`` inside a folder).

    Raises
    ------
    ConfigError
        With file, line and column for TOML syntax errors, and the valid options for
        unknown keys or values.
    """
    path = path / CONFIG_NAME if path.is_dir() else path
    if not path.is_file():
        raise ConfigError(f"{path}: no such file (a project folder needs a {CONFIG_NAME})")
    where = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: {exc} (fix the TOML syntax there)") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{where}: not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8"
        ) from None
    _check_keys(data, TOP_KEYS, where)
    root = path.parent.resolve()
    sources = data.get("sources", [])
    if not isinstance(sources, list):
        raise ConfigError(f"{where}: sources must be written as [[sources]] tables")
    return Config(
        root=root,
        project=_project(data.get("project", {}), where),
        people=_people(data.get("people", {}), root, where),
        sources=tuple(_source(s, root, f"{where} [[sources]] #{i + 1}") for i, s in enumerate(sources)),
        programme=_programme(data["programme"], root, where) if "programme" in data else None,
        analysis=_analysis(data.get("analysis", {}), where),
    )


def with_overrides(
    config: Config,
    *,
    people: Path | None = None,
    sources: Sequence[SourceSection] = (),
    pseudonym_key: bytes | None = None,
    **analysis: Any,
) -> Config:
    """Apply command-line flags: a roster, extra sources, the pseudonym key and analysis
    parameters (None = keep)."""
    changes = {k: v for k, v in analysis.items() if v is not None}
    section = validate_analysis(replace(config.analysis, **changes), "command line")
    people_section = replace(config.people, path=people.resolve()) if people else config.people
    # Sources given as flags replace those of the same kind from the file.
    flag_kinds = {s.kind for s in sources}
    kept = tuple(s for s in config.sources if s.kind not in flag_kinds)
    if section.pseudonymise and pseudonym_key is None and config.pseudonym_key is None:
        raise ConfigError(
            "pseudonymise = true needs a secret key: set the environment variable LEADNET_PSEUDONYM_KEY "
            "(keep it outside the project; the same key gives the same pseudonyms in every wave)"
        )
    return replace(
        config,
        people=people_section,
        sources=kept + tuple(sources),
        analysis=section,
        pseudonym_key=pseudonym_key or config.pseudonym_key,
    )
