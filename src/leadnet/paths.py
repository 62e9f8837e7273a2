"""Paths read as the user gave them (made absolute, a link's own name kept, resolving never raising), the
name an input file goes by (:func:`display_name`), and the name of the default output folder
(:func:`folder_name`).

A path from ``leadnet.toml`` or a command-line flag is resolved here (:func:`located`) and
read later by an importer. Resolving keeps a symbolic link's own name and never raises, so
a link that loops, leads nowhere or leads to a device (``/dev/null``) is reported by the
reader under the name the user wrote, and ``leadnet validate`` goes on to the other sources.
A path value of ``leadnet.toml`` that is not a string, or is empty, is an error saying what to write
there (:func:`as_path`). Every path value of ``leadnet.toml`` is listed once, by :func:`path_values`.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from leadnet.errors import ConfigError, InputError


def located(path: Path) -> Path:
    """``path`` made absolute with the links of its folders resolved, its own name kept.

    A file given through a symbolic link keeps the link's name, so a reader's message about
    the file (a link that loops or leads to a device such as ``/dev/null``) names the path
    the user wrote. A path that cannot be resolved (a loop among its folders) is kept as
    given, made absolute, for the reader to report; resolving never raises.
    """
    path = path.absolute()
    try:
        return path.parent.resolve() / path.name if path.is_symlink() else path.resolve()
    except (OSError, RuntimeError):  # a loop: Python before 3.13 raises RuntimeError
        return path


def path_values(data: Mapping[str, Any], root: Path) -> Iterator[tuple[str, str, Path]]:
    """Each path value of a checked ``leadnet.toml`` (``data``, in folder ``root``): its table and key,
    the value as written, and the path it names; an e-mail export's ``recipients.path``, written
    relative to the folder of its messages file, as its importer reads it, given joined to that
    file's path as written, so that it too names the file from ``root`` (``mail/r.csv``).

    >>> data = {"people": {"path": "people.csv", "exclude": "../hr/out.csv"},
    ...         "programme": {"cohort": "c.csv"},
    ...         "sources": [{"path": "mail/m.csv", "recipients": {"path": "r.csv"}}]}
    >>> for key, text, path in path_values(data, Path("/p")):
    ...     print(key, text, path)
    [people] path people.csv /p/people.csv
    [people] exclude ../hr/out.csv /hr/out.csv
    [programme] cohort c.csv /p/c.csv
    [[sources]] #1 path mail/m.csv /p/mail/m.csv
    [[sources]] #1 recipients.path mail/r.csv /p/mail/r.csv
    """
    people, programme = data.get("people", {}), data.get("programme", {})
    tables = [
        ("[people]", people, "path"),
        ("[people]", people, "exclude"),
        ("[programme]", programme, "cohort"),
    ]
    for table, values, key in tables:
        if isinstance(values.get(key), str) and values[key]:
            yield f"{table} {key}", values[key], located(root / values[key])
    for number, source in enumerate(data.get("sources", []), start=1):
        value = source.get("path")
        if not isinstance(value, str) or not value:
            continue
        path = located(root / value)
        yield f"[[sources]] #{number} path", value, path
        second = source.get("recipients")
        if isinstance(second, Mapping) and isinstance(second.get("path"), str) and second["path"]:
            yield (
                f"[[sources]] #{number} recipients.path",
                os.path.join(os.path.dirname(value), second["path"]),  # from the project, as Path joins it
                recipients_file(path, second["path"]),
            )


def recipients_file(messages: Path, value: str) -> Path:
    """An e-mail export's recipients file, ``recipients.path`` (``value``), relative to the folder of its
    messages file ``messages``: the one place that rule is written."""
    return located(messages.parent / value)


def as_path(
    root: Path,
    value: Any,
    where: str,
    meant: str,
    example: str,
    otherwise: str = "",
    folder: str = "the folder of leadnet.toml",
) -> Path:
    """A path value of ``leadnet.toml`` (a key of :func:`path_values`), relative to ``root`` (the
    ``folder`` a message names: a recipients file's is its messages file's), :func:`located`; a
    :class:`~leadnet.errors.ConfigError` when it is not a string, or is empty (``""``, or spaces: it
    would name the folder itself), saying what to write there: the path of ``meant``, ``example``, or
    ``otherwise``.

    >>> as_path(Path("/p"), "", "leadnet.toml [people] exclude", "the opt-out list", 'exclude = "optout.csv"',
    ...         ", or remove the key to exclude nobody")  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    leadnet.errors.ConfigError: leadnet.toml [people] exclude: the key is empty. Write the path of the
    opt-out list there, relative to the folder of leadnet.toml, such as exclude = "optout.csv", or remove
    the key to exclude nobody
    """
    if isinstance(value, str) and not value.strip():
        raise ConfigError(
            f"{where}: the key is empty. Write the path of {meant} there, relative to {folder}, such as "
            f"{example}{otherwise}"
        )
    if not isinstance(value, str):
        raise ConfigError(f"{where}: path must be a string. Got {value!r} instead.")
    return located(root / value)


def outside_names(root: Path, written: Mapping[Path, str]) -> dict[str, str]:
    """The name → the path as written in ``leadnet.toml``, of each file it names (``written``, by path)
    that lies outside the project folder ``root``: messages name a file by its name, which says
    nothing of where one outside is (``../hr/roster.csv``, ``/etc/passwd``). A name two files share
    stays a name.

    >>> root = Path("/work/p")
    >>> outside_names(root, {root / "people.csv": "people.csv", Path("/work/hr/r.csv"): "../hr/r.csv"})
    {'r.csv': '../hr/r.csv'}
    """
    names = Counter(path.name for path in written)
    return {
        path.name: text
        for path, text in written.items()
        if not path.is_relative_to(root) and names[path.name] == 1
    }


def display_name(path: Path, root: Path, written: Mapping[Path, str]) -> str:
    """The name of the input file ``path`` in messages, ``rejected.csv`` and the provenance: its path
    relative to the project folder ``root`` when it lies inside it (``a/survey.csv``: two files of one
    name in two folders told apart), else as the user wrote it (``written``: in ``leadnet.toml`` or on
    the command line, ``../hr/roster.csv``), never made absolute by leadnet; a file of neither (a
    :class:`~leadnet.config.Config` built in code) by its name.

    >>> root = Path("/work/p")
    >>> written = {Path("/work/hr/r.csv"): "../hr/r.csv"}
    >>> files = (root / "a" / "s.csv", Path("/work/hr/r.csv"), Path("/x/t.csv"))
    >>> [display_name(path, root, written) for path in files]
    ['a/s.csv', '../hr/r.csv', 't.csv']
    """
    if path.is_absolute() and path.is_relative_to(root):
        return path.relative_to(root).as_posix()
    return written.get(path, path.name)


def named_by_path(message: str, names: Mapping[str, str]) -> str:
    """``message`` with each line that begins with a file's name (``r.csv line 1: …``, ``r.csv: …``) beginning
    with its path as written instead (``names``: :func:`outside_names`).

    >>> print(named_by_path("r.csv line 2: bad\\nr.csvx: other", {"r.csv": "../hr/r.csv"}))
    ../hr/r.csv line 2: bad
    r.csvx: other
    """
    lines = message.split("\n")
    for i, line in enumerate(lines):
        name = next(
            (n for n in names if line.startswith(n) and line[len(n) : len(n) + 1] in (" ", ":")), None
        )
        if name is not None:
            lines[i] = names[name] + line[len(name) :]
    return "\n".join(lines)


def named_issues(error: InputError, names: Mapping[str, str]) -> InputError:
    """``error`` with its message and issues naming the files of ``names`` by their paths
    (:func:`named_by_path`)."""
    if not names:
        return error
    issues = [replace(issue, file=names.get(issue.file, issue.file)) for issue in error.issues]
    return InputError(named_by_path(str(error), names), issues)


def folder_name(project: str) -> str:
    """The default output folder for a project name: one path part, no spaces or separators.

    A project name is display text (``[project] name``), so it may hold spaces, slashes or
    ``..``; the folder keeps its letters, digits, ``-``, ``_`` and ``.`` and joins the rest
    with ``-``.

    >>> folder_name("riverside"), folder_name("leadnet project"), folder_name("NHS / Wave 2")
    ('riverside', 'leadnet-project', 'NHS-Wave-2')
    >>> folder_name("../../etc"), folder_name("Hôpital Saint-Éloi"), folder_name("///")
    ('etc', 'Hôpital-Saint-Éloi', 'leadnet')
    """
    return re.sub(r"[^\w.-]+", "-", project).strip("-.") or "leadnet"
