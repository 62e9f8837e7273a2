"""``leadnet analyse`` end to end: read the project, analyse each snapshot, write the outputs.

One snapshot writes its files directly into ``out``; several write one sub-folder per
snapshot name. Everything is built in a staging folder and moved into place at the end,
so a failure never leaves a half-written report.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from leadnet.analysis import Analysis, analyse
from leadnet.config import Config
from leadnet.importers.project import load_project
from leadnet.report.exports import write_analysis, write_atomically
from leadnet.report.render import render_report

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


def analyse_project(config: Config, progress: Progress = _quiet) -> dict[str, Analysis]:
    """Read and analyse every snapshot of a project, in the order the sources name them."""
    progress("reading inputs")
    inputs = load_project(config)
    results: dict[str, Analysis] = {}
    for name in config.snapshot_names:
        progress(f"analysing snapshot {name}")
        results[name] = analyse(inputs.snapshots[name], config.analysis, config.project)
    return results


def run_analyse(config: Config, out: Path, progress: Progress = _quiet) -> list[Path]:
    """Analyse a project and write the output folder; returns the folders written."""
    results = analyse_project(config, progress)
    single = len(results) == 1
    show_names = config.analysis.show_names

    def fill(staging: Path) -> None:
        for name, analysis in results.items():
            progress(f"writing report for {name}")
            folder = staging if single else staging / name
            write_analysis(analysis, folder, render_report(analysis, show_names=show_names))

    write_atomically(out, fill)
    return [out] if single else [out / name for name in results]
