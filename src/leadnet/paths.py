"""Paths read as the user gave them: made absolute, a link's own name kept, never raising.

A path from ``leadnet.toml`` or a command-line flag is resolved here (:func:`located`) and
read later by an importer. Resolving keeps a symbolic link's own name and never raises, so
a link that loops, leads nowhere or leads to a device (``/dev/null``) is reported by the
reader under the name the user wrote, and ``leadnet validate`` goes on to the other sources.
"""

from __future__ import annotations

from pathlib import Path


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
