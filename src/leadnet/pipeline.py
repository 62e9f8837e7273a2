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

import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from leadnet.analysis import Analysis, StageHook, analyse, timed
from leadnet.cohort_file import read_cohort, warn_opted_out
from leadnet.cohort_members import OptOuts
from leadnet.comparability import Origin, snapshot_labels
from leadnet.compare import Comparison, compare
from leadnet.compared_waves import ORDER_FIX
from leadnet.config import CONFIG_NAME, AnalysisSection, Config, load_config
from leadnet.errors import ConfigError, InputError, LeadnetWarning
from leadnet.importers.path_fixes import missing_file_placed
from leadnet.importers.project import load_project
from leadnet.model import Snapshot
from leadnet.output_folder import check_output_folder, write_atomically
from leadnet.parameters import checked_flags
from leadnet.paths import named_issues, outside_names
from leadnet.privacy import address_ids, report_shows
from leadnet.report.exports import write_analysis, write_csv, write_json
from leadnet.report.render import render_comparison, render_report
from leadnet.report.workbook import write_workbook
from leadnet.wave_folders import check_output, check_waves, is_project, origin, stored_settings

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
                _of_snapshot(name, caution) if len(names) > 1 else caution, LeadnetWarning, stacklevel=2
            )
    return AnalysedProject(results, OptOuts(inputs.roster.n_excluded, inputs.roster.excluded_keys))


def _of_snapshot(name: str, caution: str) -> str:
    """A snapshot's warning on its figures as the terminal says it, naming the snapshot."""
    return f"snapshot {name}: {caution}"


def _say_wave_cautions(before: Analysis, after: Analysis, origins: tuple[Origin, Origin]) -> None:
    """Each wave's ``summary.json`` warnings, which the programme page shows, said at the terminal,
    each naming its wave as the comparison does (:func:`~leadnet.comparability.snapshot_labels`)."""
    for label, analysis in zip(snapshot_labels(before, after, origins), (before, after), strict=True):
        for caution in analysis.summary.get("warnings") or ():
            warnings.warn(_of_snapshot(label, str(caution)), LeadnetWarning, stacklevel=3)


def compare_analyses(
    before: Analysis,
    after: Analysis,
    cohort_path: Path | None,
    settings: AnalysisSection,
    pseudonym_key: bytes | None = None,
    encoding: str | None = None,
    opt_outs: OptOuts | None = None,
    origins: tuple[Origin, Origin] | None = None,
    order_fix: str = ORDER_FIX,
) -> Comparison:
    """Compare two analysed snapshots, with the cohort file (read in ``encoding``) if one is given.

    With a ``pseudonym_key`` the cohort file's ids are mapped to the snapshots' pseudonyms.
    Cohort rows naming people who opted out (``opt_outs``) are left out with a
    :class:`~leadnet.errors.LeadnetWarning` naming their lines, never their ids; so is each
    setting the two snapshots were not analysed alike in (``Comparison.warnings``).
    ``origins`` say where each snapshot was read from, for ``comparison.json``'s ``snapshots``;
    ``order_fix`` how to give the waves the right way round, when they are not.
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
        order_fix=order_fix,
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
    try:
        return compare_analyses(
            results[programme.before],
            results[programme.after],
            programme.cohort,
            config.analysis,
            key,
            encoding=programme.encoding,
            opt_outs=opt_outs,
            origins=(Origin(str(out / programme.before)), Origin(str(out / programme.after))),
            order_fix=f"swap before and after in {config.where('[programme]', 'before')}",
        )
    except InputError as error:  # a cohort file not there: at its line, with the file meant
        if programme.cohort is None:
            raise
        raise missing_file_placed(error, config, "[programme]", "cohort", programme.cohort) from None


def _analysed_at(comparison: Comparison, staging: Path, names: tuple[str, str]) -> Comparison:
    """``comparison`` with the time each snapshot was analysed, as its ``summary.json``, just
    written to ``staging``, records it: what ``compare`` of the two folders will read."""
    records = {
        wave: {**comparison.snapshots[wave], "analysed_at": origin(staging / name).analysed_at}
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


PSEUDONYMISE_FIX = "--pseudonymise (or pseudonymise = true in [analysis]) replaces them by keyed pseudonyms"
COMPARE_CARRIES = "people_change.csv carries them"
COMPARE_PSEUDONYMISE_FIX = (
    "analyse both waves with --pseudonymise and one LEADNET_PSEUDONYM_KEY, and compare those, to replace "
    "them by keyed pseudonyms"
)


def analyse_carries(config: Config) -> str:
    """The files of an ``analyse`` run that carry the person ids as they are: the CSV files (with a
    programme's ``people_change.csv``), ``tables.xlsx`` when it is written, and ``snapshot/``.

    >>> from pathlib import Path
    >>> print(analyse_carries(Config(Path("."))))
    people.csv, ties.csv, communities.csv and the saved snapshot/ carry them
    """
    files = ["people.csv", "ties.csv", "communities.csv"]
    files += ["people_change.csv"] if config.programme is not None else []
    files += ["tables.xlsx"] if config.analysis.workbook else []
    return f"{', '.join(files)} and the saved snapshot/ carry them"


def warn_address_ids(analyses: Iterable[Analysis], carried: str, fix: str, *, show_names: bool) -> None:
    """Warn, once a run, that person ids are e-mail addresses (:func:`~leadnet.privacy.address_ids`), which
    the outputs (``carried``) hold as written, what the report shows for them
    (:func:`~leadnet.privacy.report_shows`), and how ``--pseudonymise`` avoids it (``fix``)."""
    people = [a.snapshot.people for a in analyses]
    found, total = address_ids({i for p in people for i in p["person_id"]})
    if found:
        are = "is an e-mail address" if found == 1 else "are e-mail addresses"
        shown = report_shows(people, show_names=show_names)
        message = f"{found:,} of {total:,} person ids {are}: {carried} ({shown}); {fix}"
        warnings.warn(message, LeadnetWarning, stacklevel=2)


def run_analyse(
    config: Config, out: Path, progress: Progress = _quiet, on_stage: StageHook | None = None
) -> list[Written]:
    """Analyse a project and write the output folder; returns the folders written."""
    check_output_folder(out, "analyse", _input_paths(config))  # before the work, and again after it
    show_names = config.analysis.show_names
    try:  # a file outside the project folder named by its path as leadnet.toml writes it
        project = analyse_project(config, progress, on_stage)
        results = project.analyses
        warn_address_ids(results.values(), analyse_carries(config), PSEUDONYMISE_FIX, show_names=show_names)
        comparison = None
        if config.programme is not None:  # a stage shown only when it runs
            with timed(on_stage, "compare"):
                comparison = _programme(config, results, project.opt_outs, progress, out)
    except InputError as error:
        raise named_issues(error, outside_names(config.root, config.written)) from None
    single = len(results) == 1 and comparison is None
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


def load_analysed(folder: Path, seed: int | None, permutations: int | None) -> tuple[Analysis, OptOuts]:
    """Re-analyse the snapshot saved in an ``analyse`` output folder (``FOLDER/snapshot``).

    A project folder (with a ``leadnet.toml`` of one snapshot) is analysed on the fly.
    With the analysis, the people who opted out: who they are only when the roster was read
    here (a project folder); a saved snapshot keeps only how many there were.
    """
    flags = checked_flags(seed=seed, permutations=permutations)
    snapshot_dir = folder / "snapshot"
    if is_project(folder):
        config = load_config(folder)
        config = replace(config, analysis=replace(config.analysis, **flags))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", LeadnetWarning)
            analysed = analyse_project(config)
        results = analysed.analyses
        _pass_on(caught, results)
        if len(results) != 1:
            raise InputError(
                f"{folder / CONFIG_NAME} defines {len(results)} snapshots ({', '.join(results)}); "
                "run `leadnet analyse` and pass one snapshot's output folder instead"
            )
        return next(iter(results.values())), analysed.opt_outs
    check_output(folder)
    settings, project = stored_settings(folder, flags)
    snapshot = Snapshot.load(snapshot_dir)
    opted_out = int(snapshot.provenance.normalisations.get("excluded-person", 0))
    return analyse(snapshot, settings, project), OptOuts(opted_out)


def _pass_on(caught: list[warnings.WarningMessage], results: dict[str, Analysis]) -> None:
    """The warnings of analysing a project folder for ``compare`` passed on, less its snapshot's
    ``summary.json`` warnings, which ``compare`` says naming the wave (:func:`_say_wave_cautions`)."""
    later = {str(w) for analysis in results.values() for w in analysis.summary.get("warnings") or ()}
    for warning in caught:
        if str(warning.message) not in later:
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno, source=warning.source
            )


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
    the cohort file is read in ``encoding`` (default UTF-8, or as its BOM says). ``seed`` and
    ``permutations`` are refused out of their range before anything else is checked.
    """
    checked_flags(seed=seed, permutations=permutations)
    check_waves(before_dir, after_dir)
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
    warn_address_ids((before, after), COMPARE_CARRIES, COMPARE_PSEUDONYMISE_FIX, show_names=False)
    progress("comparing")
    key = pseudonym_key if hidden else None
    opt_outs = _both(opted_before, opted_after)
    origins = (origin(before_dir), origin(after_dir))
    _say_wave_cautions(before, after, origins)
    swap = f"swap them: leadnet compare {after_dir} {before_dir}"
    comparison = compare_analyses(
        before,
        after,
        cohort,
        before.settings,
        key,
        encoding=encoding,
        opt_outs=opt_outs,
        origins=origins,
        order_fix=swap,
    )
    write_atomically(
        out,
        "compare",
        lambda staging: write_comparison(comparison, before, after, staging, show_names=False),
        inputs=inputs,
    )
    return out
