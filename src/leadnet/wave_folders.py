"""The two folders ``leadnet compare`` is given, checked, and what an ``analyse`` output folder recorded.

:func:`check_waves` refuses, before any work, folders that are not there, a file given for a
folder, a folder holding no snapshot (saying what it is instead and which folder to pass: the
saved ``snapshot/`` itself, an output of several snapshots, a comparison), the one folder given
twice and two folders holding one snapshot. :func:`stored_settings` and :func:`origin` read a
folder's ``summary.json``: the parameters it was analysed with, and when.
"""

from __future__ import annotations

import filecmp
import json
import os
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from leadnet.comparability import Origin
from leadnet.config import CONFIG_NAME, AnalysisSection, ProjectSection
from leadnet.errors import InputError

__all__ = ["check_output", "check_waves", "is_project", "origin", "stored_settings"]


def stored_settings(folder: Path, flags: Mapping[str, Any]) -> tuple[AnalysisSection, ProjectSection]:
    """The analysis parameters and project an ``analyse`` output folder recorded, with ``flags``
    (``compare``'s ``--seed`` and ``--permutations``, those given) on top."""
    recorded: dict[str, Any] = {}
    project = ProjectSection()
    summary = folder / "summary.json"
    if summary.is_file():
        try:
            provenance = json.loads(summary.read_text(encoding="utf-8")).get("provenance", {})
        except ValueError as exc:
            raise InputError(f"{summary} is damaged ({exc}); run `leadnet analyse` again") from exc
        parameters = provenance.get("parameters", {})
        for key in ("min_group_size", "top_levels", "permutations", "resolution", "primary_relation"):
            if parameters.get(key) is not None:
                recorded[key] = parameters[key]
        if provenance.get("seed") is not None:
            recorded["seed"] = provenance["seed"]
        stored = provenance.get("project") or {}
        project = replace(
            project, name=str(stored.get("name") or project.name), purpose=str(stored.get("purpose") or "")
        )
    return replace(replace(AnalysisSection(), **recorded), **flags), project


def origin(folder: Path) -> Origin:
    """The folder ``compare`` was given, and when it was analysed (its ``summary.json``'s
    ``generated_at``; none for a project folder, analysed on the fly)."""
    try:
        provenance = json.loads((folder / "summary.json").read_text(encoding="utf-8")).get("provenance")
    except (OSError, ValueError):  # a project folder; a damaged summary stopped the run before
        provenance = None
    made = provenance.get("generated_at") if isinstance(provenance, dict) else None
    return Origin(str(folder), None if made is None else str(made))


def is_project(folder: Path) -> bool:
    """A project folder (analysed on the fly by ``compare``) rather than an output folder."""
    return not (folder / "snapshot").is_dir() and (folder / CONFIG_NAME).is_file()


def check_output(folder: Path) -> None:
    """``folder`` holds a saved snapshot (``snapshot/``), or a project's ``leadnet.toml``.

    Raises
    ------
    InputError
        Saying what ``folder`` is instead, when it can tell, and which folder to pass: the saved
        snapshot itself (its parent), an output of several snapshots (one of them), a comparison
        (the two folders it compared).
    """
    if (folder / "snapshot").is_dir() or is_project(folder):
        return
    waves = sorted(f.name for f in folder.iterdir() if (f / "snapshot").is_dir()) if folder.is_dir() else []
    compared = _compared(folder / "comparison" / "comparison.json")
    if (folder / "snapshot.json").is_file():
        problem = f"is the snapshot saved in an output folder; pass its parent, {folder.parent}"
    elif len(waves) > 1:
        pair = [n for n in (Path(f).name for f in compared or ()) if n in waves] or waves[:2]
        problem = (
            f"holds several snapshots ({', '.join(f'{name}/' for name in waves)}); pass one snapshot's "
            f"folder for BEFORE and one for AFTER, such as {' '.join(str(folder / n) for n in pair)}"
        )
    elif waves:
        problem = f"holds one snapshot, {waves[0]}/; pass that folder, {folder / waves[0]}"
    elif (folder / "comparison.json").is_file():
        recorded = _compared(folder / "comparison.json") or ("reports/riverside/before", "…/after")
        beside = [folder.parent / Path(f).name for f in recorded]  # analyse's comparison/: its siblings
        example = " ".join(map(str, beside if all(f.is_dir() for f in beside) else recorded))
        problem = (
            f"is the output of a comparison, not a snapshot; pass the two folders it compared, {example}"
        )
    else:
        problem = (
            "no snapshot/ folder; pass an output folder of `leadnet analyse` (one snapshot's folder, "
            "e.g. reports/riverside/before)"
        )
    raise InputError(f"{folder}: {problem}")


def _check_folder(wave: str, path: Path) -> None:
    """BEFORE or AFTER is a folder, not a file: the folder that holds it, when it lies in one."""
    if path.is_dir():
        return
    folder = path.parent
    of = path.name == CONFIG_NAME or (folder / "snapshot").is_dir()  # a file in such a folder
    fix = (
        f"the folder that holds it, {folder}"
        if of
        else 'an output folder of `leadnet analyse`: one it printed as "wrote FOLDER", such as '
        "reports/riverside/before"
    )
    raise InputError(f"{wave} {path} is a file, not a snapshot's folder; pass {fix}")


def _compared(path: Path) -> tuple[str, str] | None:
    """The folders of the two snapshots the ``comparison.json`` at ``path`` records, if it does."""
    try:
        snapshots = json.loads(path.read_text(encoding="utf-8")).get("snapshots") or {}
        folders = tuple(str(snapshots[wave]["folder"]) for wave in ("before", "after"))
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return None
    return folders[0], folders[1]


def check_waves(before_dir: Path, after_dir: Path) -> None:
    """The two folders ``compare`` was given exist, are outputs of ``analyse`` (or project
    folders) and are two different folders holding two different snapshots: one wave
    against itself would show no change whatever happened.

    Raises
    ------
    InputError
        Naming the folders not found (``analyse`` not run yet, or a wrong path), a file
        given instead of a folder, the one folder given twice, or two folders holding one
        snapshot.
    """
    missing = list(dict.fromkeys(str(f) for f in (before_dir, after_dir) if not f.exists()))
    if missing:
        folders = "no such folder" if len(missing) == 1 else "no such folders"
        raise InputError(
            f"{', '.join(missing)}: {folders}; run `leadnet analyse` first and pass two of the folders it "
            'writes (it prints "wrote FOLDER" for each), or check the path'
        )
    for wave, folder in (("BEFORE", before_dir), ("AFTER", after_dir)):
        _check_folder(wave, folder)
        check_output(folder)
    given = None
    if os.path.samefile(before_dir, after_dir):
        given = (
            f"BEFORE and AFTER are both {before_dir}"
            if str(before_dir) == str(after_dir)
            else f"BEFORE {before_dir} and AFTER {after_dir} are one folder"
        )
    elif _same_snapshot(before_dir / "snapshot", after_dir / "snapshot"):
        given = (
            f"BEFORE {before_dir} and AFTER {after_dir} hold the same snapshot (their snapshot/ folders "
            "are identical: a copy, or one wave analysed twice)"
        )
    if given is not None:
        raise InputError(
            f"{given}, so the comparison would set a wave against itself and find no change whatever "
            "happened; pass the folder of the wave before the programme, then the one after it, such as "
            "reports/riverside/before reports/riverside/after"
        )


def _same_snapshot(first: Path, second: Path) -> bool:
    """Two saved snapshots (``FOLDER/snapshot``) alike byte for byte: ``analyse`` writes the same
    bytes for the same wave (no time of writing), so a copy or a second run of one wave is one."""
    names = sorted(p.name for p in first.iterdir()) if first.is_dir() else []
    if not names or not second.is_dir() or names != sorted(p.name for p in second.iterdir()):
        return False
    names.sort(key=lambda name: name != "snapshot.json")  # small, and names the inputs by sha256
    return all(filecmp.cmp(first / name, second / name, shallow=False) for name in names)
