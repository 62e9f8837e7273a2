"""The ``--out`` folder of ``leadnet analyse`` and ``leadnet compare``: checked, built, replaced whole.

A run replaces its output folder as a whole, so an existing ``--out`` is replaced only when
everything in it is something leadnet writes for that command (:func:`foreign_entries`):

- ``analyse`` (kind ``"analyse"``): one snapshot's files (:data:`REPORT_FILES`, the saved
  snapshot ``snapshot/`` of :data:`SNAPSHOT_FILES`) beside a ``summary.json`` leadnet wrote,
  or one such folder per snapshot, and ``comparison/``;
- ``compare`` (kind ``"compare"``): the comparison's files (:data:`COMPARISON_FILES`) beside
  a ``comparison.json`` leadnet wrote.

The files a file manager leaves in any folder it shows (:data:`SYSTEM_FILES`) count as
leadnet's. Anything else (a document, a sub-folder of other files, a ``.git``, a
``summary.json`` that is not leadnet's) makes the run stop before it writes anything,
naming what it found. :func:`write_atomically` checks, builds the output in a hidden
folder and moves it into place only when every file is written; an existing ``--out`` is
kept and its entries replaced, so it may be a mount point or lie in a read-only folder.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from leadnet.errors import InputError

Kind = Literal["analyse", "compare"]

REPORT_FILES = frozenset(
    {
        "index.html",
        "summary.json",
        "people.csv",
        "units.csv",
        "communities.csv",
        "ties.csv",
        "rejected.csv",
        "tables.xlsx",
    }
)
"""The files ``analyse`` writes for one snapshot (``report.exports.write_analysis``, ``--xlsx``)."""
SNAPSHOT_FILES = frozenset({"snapshot.json", "people.parquet", "ties.parquet", "rejected.parquet"})
"""The files of a saved snapshot, ``snapshot/`` (``model.Snapshot.save``)."""
COMPARISON_FILES = frozenset({"comparison.json", "people_change.csv", "index.html"})
"""The files of a comparison (``pipeline.write_comparison``): ``compare``'s ``--out``, ``analyse``'s
``comparison/``."""
SYSTEM_FILES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
"""What macOS Finder and Windows Explorer write into a folder they show: not the user's work."""
HIDDEN = ".leadnet-"
"""The prefix of the hidden folders a run makes inside an existing ``--out``; one a stopped run
left behind is replaced with the rest."""
RUN_FOLDER = re.compile(re.escape(HIDDEN) + r"(?:new|old)-[a-z0-9_]{8}")
"""The whole name of such a folder (``mkdtemp``'s eight characters after ``new-`` or ``old-``): a
user's own ``.leadnet-notes`` is theirs, not a run's."""
SHOWN = 5
"""How many unexpected entries a refusal names."""
_LARGEST_MARKER = 64 * 2**20  # a summary.json or comparison.json larger than this is not leadnet's


def _json_object(path: Path) -> dict[str, object] | None:
    """The JSON object in ``path``; ``None`` for anything else (a link, a large or damaged file)."""
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > _LARGEST_MARKER:
            return None
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _is_summary(path: Path) -> bool:
    """A ``summary.json`` leadnet wrote: its ``provenance`` names leadnet's version."""
    provenance = (_json_object(path) or {}).get("provenance")
    return isinstance(provenance, dict) and "leadnet_version" in provenance


def _is_comparison(path: Path) -> bool:
    """A ``comparison.json`` leadnet wrote: it has the stable keys ``n_stayed`` and ``ties_before``."""
    return {"n_stayed", "ties_before"} <= (_json_object(path) or {}).keys()


def _entries(folder: Path, *, top: bool = False) -> list[Path]:
    """The entries of ``folder`` by name; at the ``top`` of ``--out``, less the hidden folders of a run
    (:data:`RUN_FOLDER`)."""
    entries = sorted(folder.iterdir(), key=lambda entry: entry.name)
    if not top:
        return entries
    return [e for e in entries if not (RUN_FOLDER.fullmatch(e.name) and e.is_dir() and not e.is_symlink())]


def _plain(entry: Path) -> str | None:
    """``"file"`` or ``"folder"`` for an entry leadnet could have written; ``None`` for a link,
    a device or a pipe, which it never writes."""
    if entry.is_symlink():
        return None
    return "folder" if entry.is_dir() else "file" if entry.is_file() else None


def _shown(entry: Path, where: str, marker: str) -> str:
    """An entry as a refusal names it: a folder with a trailing ``/``; a ``marker`` file (``summary.json``)
    said not to be leadnet's, since its name is."""
    if entry.is_dir() and not entry.is_symlink():
        return f"{where}{entry.name}/"
    return f"{where}{entry.name}" + (" (not written by leadnet)" if entry.name == marker else "")


def _files_foreign(folder: Path, allowed: frozenset[str], marker: str, ours: bool, where: str) -> list[str]:
    """The entries of a folder of files only (``snapshot/``, a comparison) not among ``allowed``,
    or every entry when its ``marker`` file is not ``ours``."""
    found = []
    for entry in _entries(folder, top=not where):
        kind = _plain(entry)
        if kind == "file" and (entry.name in SYSTEM_FILES or (ours and entry.name in allowed)):
            continue
        found.append(_shown(entry, where, marker))
    return found


def _swap_stopped(folder: Path, marker: str, is_ours: Callable[[Path], bool]) -> bool:
    """Whether a run stopped while swapping its files into ``folder`` (killed, the power cut): a
    hidden folder of that run (:data:`RUN_FOLDER`) holds leadnet's ``marker`` file, so the
    report's files beside it, without theirs, are leadnet's, half moved."""
    runs = (e for e in folder.iterdir() if RUN_FOLDER.fullmatch(e.name) and e.is_dir() and not e.is_symlink())
    return any(is_ours(run / marker) for run in runs)


def _comparison_foreign(folder: Path, where: str) -> list[str]:
    ours = _is_comparison(folder / "comparison.json")
    ours = ours or (not where and _swap_stopped(folder, "comparison.json", _is_comparison))
    return _files_foreign(folder, COMPARISON_FILES, "comparison.json", ours, where)


def _report_foreign(folder: Path, where: str, *, waves: bool) -> list[str]:
    """The entries of a snapshot's folder leadnet does not write; with ``waves``, the top of an
    ``analyse`` output, whose sub-folders may be snapshots' folders and ``comparison/``."""
    ours = _is_summary(folder / "summary.json") or (
        not where and _swap_stopped(folder, "summary.json", _is_summary)
    )
    found: list[str] = []
    for entry in _entries(folder, top=not where):
        kind = _plain(entry)
        if kind == "file" and (entry.name in SYSTEM_FILES or (ours and entry.name in REPORT_FILES)):
            continue
        if kind != "folder":
            found.append(_shown(entry, where, "summary.json"))
        elif ours and entry.name == "snapshot" and (entry / "snapshot.json").is_file():
            found += _files_foreign(entry, SNAPSHOT_FILES, "snapshot.json", True, f"{where}snapshot/")
        elif waves and entry.name == "comparison" and _is_comparison(entry / "comparison.json"):
            found += _comparison_foreign(entry, f"{where}comparison/")
        elif waves and _is_summary(entry / "summary.json"):
            found += _report_foreign(entry, f"{where}{entry.name}/", waves=False)
        else:
            found.append(_shown(entry, where, "summary.json"))
    return found


def foreign_entries(folder: Path, kind: Kind) -> list[str]:
    """What ``folder`` holds that ``leadnet KIND`` does not write, as paths inside it (a folder
    none of whose files leadnet wrote as one entry, ``board_pack/``); none for an earlier output.

    >>> root = Path(tempfile.mkdtemp())
    >>> _ = (root / "summary.json").write_text('{"provenance": {"leadnet_version": "1.0"}}')
    >>> _ = (root / "index.html").write_text("<html>")
    >>> foreign_entries(root, "analyse"), foreign_entries(root, "compare")
    ([], ['index.html', 'summary.json'])
    >>> (root / "board_pack").mkdir(); _ = (root / "board_pack" / "slides.pptx").write_text("x")
    >>> _ = (root / "Board paper FINAL.docx").write_text("x")
    >>> foreign_entries(root, "analyse")
    ['Board paper FINAL.docx', 'board_pack/']
    """
    return _comparison_foreign(folder, "") if kind == "compare" else _report_foreign(folder, "", waves=True)


def _loops(path: Path) -> bool:
    """Whether following ``path``'s symbolic links leads back to one of them. ``Path.resolve``
    cannot tell: before Python 3.13 it raises ``RuntimeError`` on a loop, since then it returns
    the path unresolved, which the move into place later fails on ("Not a directory")."""
    try:
        path.stat()
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def _refusal(out: Path, kind: Kind, found: list[str]) -> str:
    """Why ``out`` is not replaced: what it holds, the first :data:`SHOWN` entries named."""
    named = ", ".join(found[:SHOWN]) + (f" and {len(found) - SHOWN:,} more" if len(found) > SHOWN else "")
    other: Kind = "compare" if kind == "analyse" else "analyse"
    if not foreign_entries(out, other):
        return (
            f"--out {out} is an output of `leadnet {other}` ({named}), not of `leadnet {kind}`; leadnet "
            "replaces its output folder as a whole, so choose another --out"
        )
    return (
        f"--out {out} holds what `leadnet {kind}` does not write: {named}; leadnet replaces its output "
        "folder as a whole, so choose another --out, or move those files out of it"
    )


def check_output_folder(out: Path, kind: Kind, inputs: Sequence[Path] = ()) -> None:
    """Refuse an ``out`` that replacing would lose data: an input, or a folder holding what
    ``leadnet KIND`` does not write (:func:`foreign_entries`).

    leadnet replaces its output folder as a whole, so ``out`` must be new, empty or an
    earlier output of the same command, and must not hold (or be) any of the ``inputs``.
    """
    if _loops(out):
        raise InputError(
            f"--out {out} is a symbolic link that leads back to itself; choose another output folder"
        )
    out = out.resolve()
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} is a file, not a folder; choose another output folder")
    for path in inputs:
        path = path.resolve()
        if path == out or out in path.parents:
            raise InputError(
                f"--out {out} holds the input {path}, and leadnet replaces its output folder as a whole; "
                "choose another output folder"
            )
    if out.is_dir():
        found = foreign_entries(out, kind)
        if found:
            raise InputError(_refusal(out, kind, found))


def _staging_folder(out: Path) -> Path:
    """A new hidden folder beside ``out`` (its parents made), or an error naming ``out``, not the
    temporary name the user never gave (``/proc/.report.6192u2c9: No such file or directory``)."""
    blocker = next((parent for parent in out.parents if parent.exists()), None)
    if blocker is not None and not blocker.is_dir():
        raise InputError(f"--out {out}: {blocker} is a file, not a folder; choose another output folder")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _unwritable(out, out.parent, exc) from None
    return _hidden_folder(out, out.parent, f".{out.name}.")


def _hidden_folder(out: Path, parent: Path, prefix: str) -> Path:
    """A new folder ``PREFIX…`` in ``parent``, made as a plain ``mkdir`` would (not ``mkdtemp``'s 0700)."""
    try:
        folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    except OSError as exc:
        raise _unwritable(out, parent, exc) from None
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)
    return folder


def _unwritable(out: Path, parent: Path, exc: OSError) -> InputError:
    return InputError(
        f"--out {out}: cannot write in {parent} ({exc.strerror or exc}); choose a folder you can write to"
    )


def write_atomically(
    out: Path, kind: Kind, fill: Callable[[Path], None], inputs: Sequence[Path] = ()
) -> None:
    """Write the output folder ``out`` all at once: ``fill`` writes every file into a hidden folder,
    which is then moved into place. A failure half-way leaves ``out`` as it was.

    ``out`` is checked first (:func:`check_output_folder`). A new ``out`` is built beside it
    and renamed. An existing one is kept, so it may be a mount point (a container's volume) or
    lie in a folder the user cannot write in: the output is built inside it
    (``.leadnet-new-…``), then its old entries are moved aside (``.leadnet-old-…``), the new ones
    in, the report's entry points last, and the old ones deleted (:func:`_swap`).
    """
    check_output_folder(out, kind, inputs)
    out = out.resolve()
    existing = out.is_dir()
    staging = _hidden_folder(out, out, f"{HIDDEN}new-") if existing else _staging_folder(out)
    try:
        fill(staging)
        if existing:
            check_output_folder(out, kind, inputs)  # again: files may have been added meanwhile
            _swap(out, staging)
        else:
            staging.rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


ENTRY_POINTS = ("summary.json", "comparison.json", "index.html")
"""Moved into ``--out`` last: what a reader opens first appears only when all else is in place."""


def _swap(out: Path, staging: Path) -> None:
    """Replace the entries of ``out`` by those of ``staging``, its hidden sub-folder; on a failure,
    move everything back. The old entries are deleted only when every new one is in place.

    Raises
    ------
    InputError
        When an entry cannot be moved (an :class:`OSError`): naming ``--out`` and the entry, and
        saying the earlier output is back, not the hidden folder the user never gave.
    """
    old = _hidden_folder(out, out, f"{HIDDEN}old-")
    moved_out: list[str] = []
    moved_in: list[str] = []
    step = ""
    try:
        for entry in _entries(out):
            if entry not in (staging, old):
                step = f"its earlier {entry.name} could not be moved aside"
                os.rename(entry, old / entry.name)
                moved_out.append(entry.name)
        for entry in sorted(staging.iterdir(), key=lambda e: (e.name in ENTRY_POINTS, e.name)):
            step = f"the new {entry.name} could not be moved into it"
            os.rename(entry, out / entry.name)
            moved_in.append(entry.name)
    except BaseException as exc:
        for name in reversed(moved_in):
            os.rename(out / name, staging / name)
        for name in reversed(moved_out):
            os.rename(old / name, out / name)
        with contextlib.suppress(OSError):
            old.rmdir()  # kept, with what it holds, if something could not be moved back
        if isinstance(exc, OSError):  # named by --out and the entry, not the hidden folder, now gone
            raise InputError(
                f"--out {out}: {step} ({exc.strerror or exc}), so the earlier output was put back as it was; "
                "check the disk (its free space and permissions) and run again"
            ) from exc
        raise
    shutil.rmtree(old, ignore_errors=True)
