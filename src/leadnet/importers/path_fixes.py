"""A file ``leadnet.toml`` names that is not there: its error at the line of the path, with the file of
its folder most likely meant.

A reader knows the path it could not open (``survey_afetr.csv: file not found``), not where it was
written; :func:`missing_file_placed` gives the fix the line of ``leadnet.toml`` that names it and, when
the folder holds a file of a close name (:func:`~leadnet.near_names.closest`, the rule of every "did
you mean" of a name: never a file whose name differs in its numbers only), that file as the value to write.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from leadnet.config import Config, SourceSection
from leadnet.errors import InputError
from leadnet.near_names import closest
from leadnet.toml_types import toml_literal

NOT_FOUND = "file not found"
"""The detail of the ``missing-file`` issue of a path that does not exist (not a link to nothing)."""


def source_file_placed(error: InputError, config: Config, source: SourceSection) -> InputError:
    """``error``, when it is the ``missing-file`` of ``source``'s file, or of an e-mail export's
    recipients file, placed at the line of its ``path`` or ``recipients.path`` (:func:`missing_file_placed`;
    a recipients file meant relative to the folder of its messages file, as it is read)."""
    second = source.recipients_path
    named = next((issue.file for issue in error.issues), None)
    if second is not None and named in _names(second, config) and named not in _names(source.path, config):
        return missing_file_placed(error, config, source.table, "recipients.path", second, source.path.parent)
    return missing_file_placed(error, config, source.table, "path", source.path)


def missing_file_placed(
    error: InputError, config: Config, table: str | None, key: str, path: Path, base: Path | None = None
) -> InputError:
    """``error``, when it is ``path``'s ``missing-file``, with the fix at ``key``'s line of ``table``
    (``[[sources]] #2``, ``[people]``) in ``leadnet.toml`` (a dotted key in an inline table, at the
    table's: ``recipients = { path = … }``) and the file of its folder most likely meant, written
    relative to ``base`` (the folder of ``leadnet.toml`` unless given); any other error as it was.

    >>> import tempfile
    >>> from leadnet.errors import RowIssue
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "survey_after.csv").write_text("x", encoding="utf-8")
    >>> _ = (folder / "leadnet.toml").write_text("[[sources]]\\n" * 2 + 'path = "survey_afetr.csv"\\n')
    >>> config = Config(folder, file=folder / "leadnet.toml", lines={("[[sources]] #2", ("path",)): 3})
    >>> issue = RowIssue("survey_afetr.csv", None, "missing-file", NOT_FOUND, hint="check the path")
    >>> placed = missing_file_placed(InputError("", [issue]), config, "[[sources]] #2", "path",
    ...                              folder / "survey_afetr.csv")
    >>> print(placed.issues[0].hint.replace(str(folder), "DIR"))
    check path at leadnet.toml line 3, [[sources]] #2: it names DIR/survey_afetr.csv; did you mean \
path = "survey_after.csv"?
    """
    issues = error.issues
    if config.file is None or table is None or len(issues) != 1:
        return error
    issue = issues[0]
    if issue.code != "missing-file" or issue.detail != NOT_FOUND or issue.file not in _names(path, config):
        return error
    keys = _keys(key)
    if not _written_at(config, table, keys, path.name):  # given by a flag (--people) instead
        return error
    meant = _meant(path, base or config.root, key)
    hint = f"check {key} at {config.where(table, *keys)}: it names {path}{meant}"
    return InputError.from_issues([replace(issue, hint=hint)])


def _names(path: Path, config: Config) -> set[str]:
    """The names a problem may give the file ``path``: the name it goes by in the project
    (:meth:`~leadnet.config.Config.name_of`), or its own, which a reader given no other uses."""
    return {config.name_of(path), path.name}


def _keys(key: str) -> tuple[str, ...]:
    """``key`` and the tables it is in, innermost first: ``recipients.path``, ``recipients``.

    >>> _keys("recipients.path"), _keys("path")
    (('recipients.path', 'recipients'), ('path',))
    """
    parts = key.split(".")
    return tuple(".".join(parts[:n]) for n in range(len(parts), 0, -1))


def _written_at(config: Config, table: str, keys: tuple[str, ...], name: str) -> bool:
    """Whether the line of the first of ``keys`` of ``table`` that ``leadnet.toml`` holds names the file
    ``name``, as it does unless a command-line flag gave another file in its place."""
    assert config.file is not None
    held = any(config.holds(table, key) for key in keys)
    line = config.line_of(table, *keys) if held else None
    try:
        lines = config.file.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return False
    return line is not None and line <= len(lines) and name in lines[line - 1]


def _meant(path: Path, root: Path, key: str) -> str:
    """``; did you mean path = "…"?``: the file of ``path``'s folder most likely meant
    (:func:`_close_file`), written as ``leadnet.toml`` would name it, relative to the folder ``root``
    (:func:`_relative`); ``""`` if none."""
    try:
        files = sorted(p for p in path.parent.iterdir() if p.is_file())
    except OSError:  # the folder is missing too, or cannot be listed
        return ""
    found = _close_file(path.name, files)
    if found is None:
        return ""
    return f"; did you mean {key} = {toml_literal(_relative(found, root))}?"


def _relative(path: Path, root: Path) -> str:
    """``path`` as ``leadnet.toml`` in folder ``root`` would name it: relative to ``root``, with ``..`` for a
    folder above it (``../hr/out.csv``); absolute only on another drive, which no relative path reaches.

    >>> _relative(Path("/p/survey.csv"), Path("/p")), _relative(Path("/hr/out.csv"), Path("/p"))
    ('survey.csv', '../hr/out.csv')
    """
    try:
        return Path(os.path.relpath(path, root)).as_posix()
    except ValueError:  # Windows: another drive
        return str(path)


def _close_file(name: str, files: list[Path]) -> Path | None:
    """The file of ``files`` the missing ``name`` most likely means (:func:`~leadnet.near_names.closest`):
    by the stems of the files of its suffix, letter case aside ("optout.csv" is not "cohort.csv", whose
    whole names difflib rates 0.7), else by the suffix of the files of its stem; never a file whose name
    differs in its numbers only (``wave2.csv`` is another wave's file, not ``wave3.csv`` mistyped).

    >>> files = [Path("wave2.csv"), Path("wave3.csv")]
    >>> [str(_close_file(name, files)) for name in ("Wave3.csv", "wave3.cvs", "wave4.csv")]
    ['wave3.csv', 'wave3.csv', 'None']
    """
    stem, suffix = Path(name).stem, Path(name).suffix
    alike = [p for p in files if p.suffix.casefold() == suffix.casefold()]
    close = closest(stem, [p.stem for p in alike])
    if close is not None:
        return next(p for p in alike if p.stem == close)
    alike = [p for p in files if p.stem.casefold() == stem.casefold() and p.suffix]
    close = closest(suffix, [p.suffix for p in alike]) if suffix else None
    return None if close is None else next(p for p in alike if p.suffix == close)
