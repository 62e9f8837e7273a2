"""The sources of a project: each ``[[sources]]`` entry of ``leadnet.toml`` as a frozen value, checked.

:class:`SourceSection` is one file of ties of one kind (:data:`SOURCE_KINDS`) for one snapshot.
:func:`read_source` reads an entry as :mod:`leadnet.config` loads the file: its kind and path,
unknown keys and options (those of its kind, :data:`~leadnet.schema.SOURCE_OPTIONS`), value
types, the layout, the column roles of its kind, and the closed and one-character options
(:func:`~leadnet.schema.check_options`); an e-mail source takes no encoding.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leadnet.errors import ConfigError
from leadnet.paths import as_path, recipients_file
from leadnet.schema import (
    OPTION_TYPES,
    RECIPIENTS_TYPES,
    SOURCE_KEYS,
    SOURCE_OPTIONS,
    check_choice,
    check_columns,
    check_encoding,
    check_options,
)
from leadnet.snapshot_names import snapshot_name
from leadnet.toml_types import check_keys, check_types, field_types, whole_floats

SOURCE_KINDS = ("survey", "email", "membership", "ties")
SOURCE_FILES: Mapping[str, tuple[str, str]] = {
    "survey": ("the survey", "survey.csv"),
    "email": ("the e-mail log", "mail.csv"),
    "membership": ("the membership table", "membership.csv"),
    "ties": ("the tie list", "ties.csv"),
}
"""What the file of a source of each kind holds, and a name such a file may have (for a fix)."""


@dataclass(frozen=True)
class SourceSection:
    """One ``[[sources]]`` entry: a file of ties of one kind for one snapshot."""

    kind: str
    path: Path
    snapshot: str = "main"
    relation: str | None = None
    # In the file a column is a header, a position (email exports without a header) or,
    # for a wide survey's targets, a list of headers.
    columns: Mapping[str, str] = field(
        default_factory=dict, metadata={"toml": Mapping[str, str | int | list[str]]}
    )
    layout: str = "long"
    encoding: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    number: int | None = field(default=None, compare=False, repr=False)
    """Its number among the ``[[sources]]`` of ``leadnet.toml`` (for messages); None for a flag's."""

    @property
    def table(self) -> str | None:
        """``[[sources]] #2`` for the second source of the file, as
        :meth:`~leadnet.config.Config.where` takes it."""
        return None if self.number is None else f"[[sources]] #{self.number}"

    @property
    def recipients_path(self) -> Path | None:
        """An e-mail export's recipients file (``recipients.path``), relative to the folder of its
        messages file, as its importer reads it; None when it has none."""
        second = self.options.get("recipients")
        if not isinstance(second, Mapping) or "path" not in second:
            return None
        return recipients_file(self.path, str(second["path"]))


def read_source(table: Mapping[str, Any], root: Path, where: str, number: int) -> SourceSection:
    """The ``[[sources]]`` entry ``table``, number ``number`` of the file in folder ``root``, checked;
    a :class:`~leadnet.errors.ConfigError` naming ``where`` (``leadnet.toml [[sources]] #2``) if not."""
    check_choice(table.get("kind"), "kind", where, SOURCE_KINDS)
    kind = str(table["kind"])
    if "path" not in table:
        raise ConfigError(f'{where}: "path" is missing (the file to read, relative to leadnet.toml)')
    options = {k: v for k, v in table.items() if k not in SOURCE_KEYS}
    check_keys(options, (*SOURCE_KEYS, *SOURCE_OPTIONS[kind]), f'{where} (kind "{kind}")')
    types = field_types(SourceSection)
    if whole := whole_floats(options, OPTION_TYPES):  # max_project_size = 1e308: the range
        check_options(whole, f'{where} (kind "{kind}")')
    check_types(table, {**{k: types[k] for k in SOURCE_KEYS}, **OPTION_TYPES}, where)
    if "recipients" in options:
        check_keys(options["recipients"], tuple(RECIPIENTS_TYPES), f"{where} recipients")
        check_types(options["recipients"], RECIPIENTS_TYPES, where, prefix="recipients.")
    if kind == "email" and "encoding" in table:
        raise ConfigError(
            f"{where}: e-mail sources take no encoding (CSV and JSON exports are read as UTF-8); "
            "remove the key and save the export as UTF-8"
        )
    layout = table.get("layout", "long")
    check_choice(layout, "layout", where, ("long", "wide"))
    check_columns(table.get("columns", {}), "wide" if (kind, layout) == ("survey", "wide") else kind, where)
    if "recipients" in options:
        check_columns(options["recipients"].get("columns", {}), kind, where, key="recipients.columns")
    check_options(options, f'{where} (kind "{kind}")')
    return SourceSection(
        kind=kind,
        path=_source_path(table["path"], kind, options, root, where),
        snapshot=snapshot_name(table, "snapshot", "main", where),
        relation=table.get("relation"),
        columns=dict(table.get("columns", {})),
        layout=layout,
        encoding=check_encoding(table.get("encoding"), f"{where} encoding"),
        options=options,
        number=number,
    )


def _source_path(value: Any, kind: str, options: Mapping[str, Any], root: Path, where: str) -> Path:
    """A source's ``path``, and an e-mail export's ``recipients.path`` checked as one (its importer
    reads it): neither empty."""
    second = options.get("recipients")
    if isinstance(second, Mapping):
        as_path(  # only checked here: the path is resolved by recipients_path, from the messages file
            root,
            second["path"],
            f"{where} recipients.path",
            "the recipients file",
            'path = "recipients.csv"',
            folder="the folder of the messages file",
        )
    meant, name = SOURCE_FILES[kind]
    return as_path(root, value, f"{where} path", meant, f'path = "{name}"')
