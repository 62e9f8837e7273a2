"""``leadnet analyse`` and ``leadnet compare`` end to end: read, analyse, compare, write.

One snapshot writes its files directly into ``out``; several write one sub-folder per
snapshot name, plus ``comparison/`` when the project defines a ``[programme]``.
Everything is built in a staging folder and moved into place at the end, so a failure
never leaves a half-written report.

Stages are timed for whoever asks: pass ``on_stage`` (a :data:`~leadnet.analysis.StageHook`)
and it is called once per stage with the stage name and its wall-clock seconds —
``read inputs``, the stages of :func:`~leadnet.analysis.analyse` (see
:data:`~leadnet.analysis.ANALYSIS_STAGES`), ``compare`` (with a ``[programme]`` only),
``report render`` and ``write files``. With
several snapshots the analysis and report stages are prefixed with the snapshot name
(``before: centrality``).
"""

from __future__ import annotations

import filecmp
import json
import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from leadnet.analysis import Analysis, StageHook, analyse, timed
from leadnet.cohort import OptOuts
from leadnet.cohort_file import read_cohort, warn_opted_out
from leadnet.comparability import Origin
from leadnet.compare import Comparison, compare
from leadnet.config import CONFIG_NAME, AnalysisSection, Config, ProjectSection, load_config
from leadnet.errors import ConfigError, InputError, LeadnetWarning
from leadnet.importers.project import load_project
from leadnet.model import Snapshot
from leadnet.output_folder import check_output_folder, write_atomically
from leadnet.report.exports import write_analysis, write_csv, write_json
from leadnet.report.render import render_comparison, render_report
from leadnet.report.workbook import write_workbook

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


def _prefixed(hook: StageHook | None, prefix: str) -> StageHook | None:
    if hook is None or not prefix:
        return hook
    return lambda stage, seconds: hook(f"{prefix}: {stage}", seconds)


@dataclass(frozen=True, eq=False)
class AnalysedProject:
    """A project's analyses by snapshot name, and what its roster said of the people who opted out.

    ``opt_outs.keys`` (their spellings) serve only to read the cohort file; no output holds them.
    """

    analyses: dict[str, Analysis]
    opt_outs: OptOuts


def analyse_project(
    config: Config, progress: Progress = _quiet, on_stage: StageHook | None = None
) -> AnalysedProject:
    """Read and analyse every snapshot of a project, in the order the sources name them.

    With ``snapshot_by`` the dated sources' periods (``2026-03``, ``2026-Q1``) are snapshots
    of their own, after the named ones; a name whose only sources are dated has no
    snapshot left.
    """
    progress("reading inputs")
    with timed(on_stage, "read inputs"):
        inputs = load_project(config)
    results: dict[str, Analysis] = {}
    names = tuple(inputs.snapshots)
    for name in names:
        progress(f"analysing snapshot {name}")
        hook = _prefixed(on_stage, name if len(names) > 1 else "")
        results[name] = analyse(inputs.snapshots[name], config.analysis, config.project, on_stage=hook)
        said = set(inputs.snapshots[name].provenance.cautions)  # the importers said these already
        for caution in [w for w in results[name].summary.get("warnings") or () if w not in said]:
            # the report's box, said at the terminal
            warnings.warn(
                f"snapshot {name}: {caution}" if len(names) > 1 else caution, LeadnetWarning, stacklevel=2
            )
    return AnalysedProject(results, OptOuts(inputs.roster.n_excluded, inputs.roster.excluded_keys))


def compare_analyses(
    before: Analysis,
    after: Analysis,
    cohort_path: Path | None,
    settings: AnalysisSection,
    pseudonym_key: bytes | None = None,
    encoding: str | None = None,
    opt_outs: OptOuts | None = None,
    origins: tuple[Origin, Origin] | None = None,
) -> Comparison:
    """Compare two analysed snapshots, with the cohort file (read in ``encoding``) if one is given.

    With a ``pseudonym_key`` the cohort file's ids are mapped to the snapshots' pseudonyms.
    Cohort rows naming people who opted out (``opt_outs``) are left out with a
    :class:`~leadnet.errors.LeadnetWarning` naming their lines, never their ids; so is each
    setting the two snapshots were not analysed alike in (``Comparison.warnings``).
    ``origins`` say where each snapshot was read from, for ``comparison.json``'s ``snapshots``.
    """
    cohort, opted_out = None, 0
    if cohort_path is not None:
        known = set(before.people["person_id"]) | set(after.people["person_id"])
        # unknown people are named by line
        read = read_cohort(cohort_path, known=known, key=pseudonym_key, encoding=encoding, opt_outs=opt_outs)
        cohort, opted_out = read.people, len(read.opted_out)
        warn_opted_out(cohort_path.name, read.opted_out)
    comparison = compare(
        before,
        after,
        cohort,
        permutations=settings.permutations,
        seed=settings.seed,
        min_group_size=settings.min_group_size,
        n_opted_out=opted_out,
        origins=origins,
    )
    for message in comparison.warnings:
        warnings.warn(message, LeadnetWarning, stacklevel=2)
    return comparison


def write_comparison(
    comparison: Comparison, before: Analysis, after: Analysis, folder: Path, *, show_names: bool
) -> None:
    """``comparison.json``, ``people_change.csv`` and the programme page ``index.html``."""
    folder.mkdir(parents=True, exist_ok=True)
    write_json(comparison.to_dict(), folder / "comparison.json")
    write_csv(comparison.people_change, folder / "people_change.csv")
    html = render_comparison(comparison, before, after, show_names=show_names)
    (folder / "index.html").write_text(html, encoding="utf-8")


def _programme(
    config: Config, results: dict[str, Analysis], opt_outs: OptOuts, progress: Progress, out: Path
) -> Comparison | None:
    programme = config.programme
    if programme is None:
        return None
    problem = programme.unknown_snapshots(results, config.where)
    if problem is not None:
        raise ConfigError(problem)
    progress(f"comparing {programme.before} with {programme.after}")
    key = config.pseudonym_key if config.analysis.pseudonymise else None
    return compare_analyses(
        results[programme.before],
        results[programme.after],
        programme.cohort,
        config.analysis,
        key,
        encoding=programme.encoding,
        opt_outs=opt_outs,
        origins=(Origin(str(out / programme.before)), Origin(str(out / programme.after))),
    )


def _analysed_at(comparison: Comparison, staging: Path, names: tuple[str, str]) -> Comparison:
    """``comparison`` with the time each snapshot was analysed, as its ``summary.json``, just
    written to ``staging``, records it: what ``compare`` of the two folders will read."""
    records = {
        wave: {**comparison.snapshots[wave], "analysed_at": _origin(staging / name).analysed_at}
        for wave, name in zip(("before", "after"), names, strict=True)
    }
    return replace(comparison, snapshots=records)


def _input_paths(config: Config) -> list[Path]:
    """Every file and folder the run reads, which its output folder must not replace."""
    paths = [config.root, *(source.path for source in config.sources)]
    paths += [p for p in (config.people.path, config.people.exclude) if p is not None]
    if config.programme is not None and config.programme.cohort is not None:
        paths.append(config.programme.cohort)
    return paths


@dataclass(frozen=True)
class Written:
    """A folder ``analyse`` wrote: a snapshot's (its ``name`` when the run has several, and how many
    input rows its ``rejected.csv`` lists), or the comparison's (``name`` ``comparison``)."""

    folder: Path
    name: str | None = None
    rejected: int = 0


def run_analyse(
    config: Config, out: Path, progress: Progress = _quiet, on_stage: StageHook | None = None
) -> list[Written]:
    """Analyse a project and write the output folder; returns the folders written."""
    check_output_folder(out, "analyse", _input_paths(config))  # before the work, and again after it
    project = analyse_project(config, progress, on_stage)
    results = project.analyses
    comparison = None
    if config.programme is not None:  # a stage shown only when it runs
        with timed(on_stage, "compare"):
            comparison = _programme(config, results, project.opt_outs, progress, out)
    single = len(results) == 1 and comparison is None
    show_names = config.analysis.show_names
    headline = comparison.to_dict() if comparison is not None else None

    def fill(staging: Path) -> None:
        for name, analysis in results.items():
            progress(f"writing report for {name}")
            hook = _prefixed(on_stage, "" if single else name)
            folder = staging if single else staging / name
            with timed(hook, "report render"):
                html = render_report(analysis, show_names=show_names, comparison=headline)
            with timed(hook, "write files"):
                write_analysis(analysis, folder, html)
                if config.analysis.workbook:
                    write_workbook(analysis, folder / "tables.xlsx")
        if comparison is not None and config.programme is not None:
            names = (config.programme.before, config.programme.after)
            before, after = results[names[0]], results[names[1]]
            dated = _analysed_at(comparison, staging, names)
            write_comparison(dated, before, after, staging / "comparison", show_names=show_names)

    write_atomically(out, "analyse", fill, inputs=_input_paths(config))
    rejected = {name: len(analysis.snapshot.rejected) for name, analysis in results.items()}
    if single:
        return [Written(out, None, *rejected.values())]
    written = [Written(out / name, name, count) for name, count in rejected.items()]
    return written + ([Written(out / "comparison", "comparison")] if comparison is not None else [])


def _flags(seed: int | None, permutations: int | None) -> dict[str, Any]:
    return {k: v for k, v in {"seed": seed, "permutations": permutations}.items() if v is not None}


def _stored_settings(
    folder: Path, seed: int | None, permutations: int | None
) -> tuple[AnalysisSection, ProjectSection]:
    """The analysis parameters and project an ``analyse`` output folder recorded, with flags on top."""
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
    return replace(replace(AnalysisSection(), **recorded), **_flags(seed, permutations)), project


def load_analysed(folder: Path, seed: int | None, permutations: int | None) -> tuple[Analysis, OptOuts]:
    """Re-analyse the snapshot saved in an ``analyse`` output folder (``FOLDER/snapshot``).

    A project folder (with a ``leadnet.toml`` of one snapshot) is analysed on the fly.
    With the analysis, the people who opted out: who they are only when the roster was read
    here (a project folder); a saved snapshot keeps only how many there were.
    """
    snapshot_dir = folder / "snapshot"
    if _is_project(folder):
        config = load_config(folder)
        config = replace(config, analysis=replace(config.analysis, **_flags(seed, permutations)))
        analysed = analyse_project(config)
        results = analysed.analyses
        if len(results) != 1:
            raise InputError(
                f"{folder / CONFIG_NAME} defines {len(results)} snapshots ({', '.join(results)}); "
                "run `leadnet analyse` and pass one snapshot's output folder instead"
            )
        return next(iter(results.values())), analysed.opt_outs
    _check_output(folder)
    settings, project = _stored_settings(folder, seed, permutations)
    snapshot = Snapshot.load(snapshot_dir)
    opted_out = int(snapshot.provenance.normalisations.get("excluded-person", 0))
    return analyse(snapshot, settings, project), OptOuts(opted_out)


def _origin(folder: Path) -> Origin:
    """The folder ``compare`` was given, and when it was analysed (its ``summary.json``'s
    ``generated_at``; none for a project folder, analysed on the fly)."""
    try:
        provenance = json.loads((folder / "summary.json").read_text(encoding="utf-8")).get("provenance")
    except (OSError, ValueError):  # a project folder; a damaged summary stopped the run before
        provenance = None
    made = provenance.get("generated_at") if isinstance(provenance, dict) else None
    return Origin(str(folder), None if made is None else str(made))


def _is_project(folder: Path) -> bool:
    """A project folder (analysed on the fly by ``compare``) rather than an output folder."""
    return not (folder / "snapshot").is_dir() and (folder / CONFIG_NAME).is_file()


def _check_output(folder: Path) -> None:
    """``folder`` holds a saved snapshot (``snapshot/``), or a project's ``leadnet.toml``.

    Raises
    ------
    InputError
        Saying what ``folder`` is instead, when it can tell, and which folder to pass: the saved
        snapshot itself (its parent), an output of several snapshots (one of them), a comparison
        (the two folders it compared).
    """
    if (folder / "snapshot").is_dir() or _is_project(folder):
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


def _check_waves(before_dir: Path, after_dir: Path) -> None:
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
        _check_output(folder)
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


def _both(before: OptOuts, after: OptOuts) -> OptOuts:
    """The people who opted out of either wave; who they are only when both rosters were read here."""
    keys = None if before.keys is None or after.keys is None else before.keys | after.keys
    return OptOuts(max(before.count, after.count), keys)


def run_compare(
    before_dir: Path,
    after_dir: Path,
    out: Path,
    *,
    cohort: Path | None = None,
    seed: int | None = None,
    permutations: int | None = None,
    pseudonym_key: bytes | None = None,
    progress: Progress = _quiet,
    encoding: str | None = None,
) -> Path:
    """``leadnet compare BEFORE AFTER``: compare two ``analyse`` outputs and write ``out``.

    Pseudonymised snapshots need the same ``pseudonym_key`` to match a cohort file to them;
    the cohort file is read in ``encoding`` (default UTF-8, or as its BOM says).
    """
    _check_waves(before_dir, after_dir)
    inputs = [before_dir, after_dir, *([cohort] if cohort else [])]
    check_output_folder(out, "compare", inputs)  # before the work, and again after it
    progress("loading snapshots")
    before, opted_before = load_analysed(before_dir, seed, permutations)
    after, opted_after = load_analysed(after_dir, seed, permutations)
    hidden = bool(before.snapshot.provenance.parameters.get("pseudonymised"))
    if hidden and cohort is not None and pseudonym_key is None:
        raise ConfigError(
            f"{before_dir} holds pseudonymised ids: set LEADNET_PSEUDONYM_KEY to the key used by "
            "`leadnet analyse` so the cohort file can be matched"
        )
    progress("comparing")
    key = pseudonym_key if hidden else None
    opt_outs = _both(opted_before, opted_after)
    origins = (_origin(before_dir), _origin(after_dir))
    comparison = compare_analyses(
        before, after, cohort, before.settings, key, encoding=encoding, opt_outs=opt_outs, origins=origins
    )
    write_atomically(
        out,
        "compare",
        lambda staging: write_comparison(comparison, before, after, staging, show_names=False),
        inputs=inputs,
    )
    return out
