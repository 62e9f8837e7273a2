"""The ``leadnet`` command line: a thin layer over the library.

The only module that reads the environment, and with :mod:`leadnet.console` the only ones
that print or exit. A :class:`~leadnet.errors.LeadnetError` becomes a message on stderr and
exit code 1: bad input or configuration, which includes a path that is not there or is a
file where a folder is needed (or the reverse), and a flag's value of the right type that
leadnet refuses (``--min-group-size 3``, ``--permutations 0``, ``--seed -1``: out of its range,
named by the flag, as the same value in ``leadnet.toml`` is refused); usage errors, a command
line that cannot be read as one (an unknown option, a missing argument, a value not of the
option's type: ``--seed x``, ``--from 2026-13-01``), exit 2 (click's convention).
A :class:`~leadnet.errors.LeadnetWarning` the library raises becomes a ``warning:`` line on
stderr, each distinct one once, printed before the command's last lines (``validate``'s count
of problems and warnings, ``wrote FOLDER``); both by :mod:`leadnet.console`.
"""

from __future__ import annotations

import os
import re
import sys
import warnings
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import click

from leadnet import __version__
from leadnet.config import CONFIG_NAME, PASS_PROJECT, Config, SourceSection, load_config, missing_folder
from leadnet.console import F, Progress, handle_errors, say, show_warnings
from leadnet.errors import ConfigError, InputError, LeadnetWarning
from leadnet.overrides import with_overrides
from leadnet.parameters import checked_flags
from leadnet.paths import folder_name, located
from leadnet.schema import MAX_PERMUTATIONS, check_encoding
from leadnet.toml_types import date_problem, day_fix


class Where(click.Path):
    """A path the command reads or writes, shown in the help as ``shown`` (``FILE``, ``DIR``).

    Whether it is there, and is a file or a folder, is checked where it is used, as bad input
    (exit 1, naming the path and what to pass), not by click, whose checks are usage errors (exit 2).
    """

    def __init__(self, shown: str) -> None:
        super().__init__(path_type=Path)
        self.shown = shown

    def get_metavar(self, param: click.Parameter, *args: Any, **kwargs: Any) -> str:
        return self.shown


FILE, FOLDER = Where("FILE"), Where("DIR")


class IsoDate(click.ParamType):
    """A calendar date written ``YYYY-MM-DD``; a date that does not exist (``2026-13-01``) is refused
    naming what is wrong with it, not the format it matches."""

    name = "date"

    def get_metavar(self, param: click.Parameter, *args: Any, **kwargs: Any) -> str:
        return "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        text = str(value).strip()
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            self.fail(f"{value!r} is not a date written YYYY-MM-DD, such as 2026-03-31", param, ctx)
        problem = date_problem(text)
        if problem is not None:
            self.fail(f"{value!r} is not a date: {problem}; {day_fix(text)}", param, ctx)
        return date.fromisoformat(text)


def input_options(func: F) -> F:
    """The input flags shared by ``analyse`` and ``validate``."""
    decorators = [
        click.argument("project_dir", required=False, type=FOLDER, metavar="[PROJECT_DIR]"),
        click.option(
            "--people",
            type=FILE,
            help="HR roster (CSV/XLSX): person_id (optional unit, level, manager_id, is_manager, name, "
            "email).",
        ),
        click.option(
            "--survey",
            multiple=True,
            type=FILE,
            help="Who-consults-whom survey: respondent, nominee (optional relation, weight).",
        ),
        click.option(
            "--email",
            multiple=True,
            type=Where("PATH"),
            help="E-mail metadata, headers only: an .mbox file, a folder of .eml files, or a CSV/TSV, "
            "Parquet or Graph JSON export.",
        ),
        click.option(
            "--membership",
            multiple=True,
            type=FILE,
            help="Project/team membership: person, project (optional role, start, end, effort).",
        ),
        click.option(
            "--ties", multiple=True, type=FILE, help="Tie list: source, target (optional relation, weight)."
        ),
        click.option("--config", "config_file", type=FILE, help=f"A {CONFIG_NAME} elsewhere."),
        click.option(
            "--from",
            "period_from",
            type=IsoDate(),
            help="First day of every source's window (replaces the file's; refused for several snapshots).",
        ),
        click.option(
            "--to",
            "period_to",
            type=IsoDate(),
            help="Last day of every source's window (replaces the file's; refused for several snapshots).",
        ),
        click.option("--seed", type=int, help="Seed for every random step (default 0)."),
        click.option("--min-group-size", type=int, help="Privacy floor k (at least 5)."),
        click.option(
            "--encoding",
            metavar="NAME",
            help="Encoding of the roster, survey/ties/membership tables and cohort (not e-mail), e.g. cp1252",
        ),
        click.option(
            "--pseudonymise",
            is_flag=True,
            default=None,
            help=f"Replace every person id by a keyed pseudonym (key from ${KEY_VARIABLE}).",
        ),
        click.option("--quiet", is_flag=True, help="No progress messages."),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def build_config(
    project_dir: Path | None,
    config_file: Path | None,
    people: Path | None,
    flag_sources: dict[str, Sequence[Path]],
    **analysis: Any,
) -> Config:
    """Combine ``leadnet.toml`` (from PROJECT_DIR or --config) with the flags.

    With neither, and no input flag either, the current folder's ``leadnet.toml`` is read
    when there is one: ``leadnet analyse`` inside a project folder analyses that project.
    Each file a flag gives is recorded as typed (``Config.written``), the name it goes by
    outside the project folder (:meth:`~leadnet.config.Config.name_of`), never made absolute.
    """
    given = people is not None or any(flag_sources.values())
    toml = _toml_to_read(project_dir, config_file)
    if toml is not None:
        config = load_config(toml)
    elif not given and (Path.cwd() / CONFIG_NAME).is_file():
        config = load_config(Path.cwd())
    else:
        config = Config(root=Path.cwd())
    sources = [
        SourceSection(kind=kind, path=located(p)) for kind, paths in flag_sources.items() for p in paths
    ]
    config = with_overrides(config, people=people, sources=sources, pseudonym_key=pseudonym_key(), **analysis)
    typed = [*([] if people is None else [people]), *(p for paths in flag_sources.values() for p in paths)]
    return replace(
        config, written={**config.written, **{located(p): _as_typed(p, config.root) for p in typed}}
    )


def _as_typed(path: Path, root: Path) -> str:
    """A path typed on the command line as the outputs record it: as typed when absolute, else from the
    project folder, as ``leadnet.toml``'s paths are (``../my.csv`` typed in a sub-folder is not the
    project's ``../my.csv``)."""
    if path.is_absolute():
        return str(path)
    try:
        return Path(os.path.relpath(Path.cwd() / path, root)).as_posix()  # as typed: a linked folder kept
    except ValueError:  # another drive than the project's (Windows): no relative path
        return str(path)


INSTEAD = f"{PASS_PROJECT}, or give the data files with --people, --survey, --email, --membership or --ties"


def _toml_to_read(project_dir: Path | None, config_file: Path | None) -> Path | None:
    """The ``leadnet.toml`` named by PROJECT_DIR or ``--config``, checked to be there.

    Both may be given when they name one file; two files are a usage error, since which
    one was meant cannot be told (``--config`` was read and PROJECT_DIR ignored, silently).
    """
    if config_file is not None and config_file.is_dir():
        raise ConfigError(
            f"--config {config_file} is a folder; pass the path of a {CONFIG_NAME}, or the folder as "
            "PROJECT_DIR"
        )
    if config_file is not None and not config_file.is_file():
        raise ConfigError(f"--config {config_file}: no such file; pass the path of a {CONFIG_NAME}")
    if project_dir is None:
        return config_file
    if not project_dir.exists():
        raise ConfigError(missing_folder(project_dir, INSTEAD))
    if project_dir.is_file() and project_dir.suffix.lower() != ".toml":
        raise ConfigError(
            f"{project_dir} is a file, not a project folder; {PASS_PROJECT}, or give the file with --people, "
            "--survey, --email, --membership or --ties"
        )
    toml = project_dir / CONFIG_NAME if project_dir.is_dir() else project_dir
    if not toml.is_file():
        raise ConfigError(f"{project_dir} holds no {CONFIG_NAME}; {INSTEAD}")
    if config_file is not None and not os.path.samefile(toml, config_file):
        raise click.UsageError(
            f"PROJECT_DIR {project_dir} and --config {config_file} name two different {CONFIG_NAME} files, "
            "and a run reads one (the paths in it are relative to its own folder); pass only one of them"
        )
    return toml


KEY_VARIABLE = "LEADNET_PSEUDONYM_KEY"


MIN_KEY_CHARS = 16
"""A shorter secret can be guessed: anyone with the roster can test candidate keys quickly."""


def pseudonym_key() -> bytes | None:
    """The pseudonym key from the environment (``LEADNET_PSEUDONYM_KEY``), if set.

    A secret shorter than :data:`MIN_KEY_CHARS` is used, with a :class:`~leadnet.errors.LeadnetWarning`.
    """
    from leadnet.importers.identity import derive_key

    secret = os.environ.get(KEY_VARIABLE)
    if secret and len(secret) < MIN_KEY_CHARS:
        warnings.warn(
            f"{KEY_VARIABLE} is {len(secret)} characters long; anyone holding the roster could guess a key "
            f"that short: use a random one of at least {MIN_KEY_CHARS} characters",
            LeadnetWarning,
            stacklevel=1,
        )
    return derive_key(secret, 0) if secret else None


def _config_from(kwargs: dict[str, Any], **extra: Any) -> Config:
    """The run's config from the input flags, which it takes out of ``kwargs``."""
    flag_sources = {k: kwargs.pop(k) for k in ("survey", "email", "membership", "ties")}
    project_dir, config_file, people = (kwargs.pop(k) for k in ("project_dir", "config_file", "people"))
    keys = ("period_from", "period_to", "seed", "min_group_size", "pseudonymise", "encoding")
    analysis = {k: kwargs.pop(k) for k in keys}
    return build_config(project_dir, config_file, people, flag_sources, **analysis, **extra)


@click.group()
@click.version_option(__version__, prog_name="leadnet")
def main() -> None:
    """leadnet: organisational network analysis for shared and distributed leadership."""


@main.command()
@input_options
@click.option(
    "--out",
    type=FOLDER,
    help="Output folder (default reports/NAME); an existing one is replaced whole, and only when it holds "
    "nothing but an earlier output of `leadnet analyse`.",
)
@click.option(
    "--show-names",
    is_flag=True,
    default=None,
    help="Show people's names in the report (recorded in the footer).",
)
@click.option(
    "--xlsx",
    is_flag=True,
    default=None,
    help="Also write tables.xlsx (formula-safe) in each snapshot folder.",
)
@handle_errors
def analyse(out: Path | None, show_names: bool | None, xlsx: bool | None, quiet: bool, **kwargs: Any) -> None:
    """Analyse a project: write the report, CSV/JSON tables and snapshots to --out.

    PROJECT_DIR holds a leadnet.toml (or is one); flags override it. An existing --out is
    replaced as a whole, all at once when every file is written, and only when everything in
    it is what `leadnet analyse` writes: otherwise the run stops naming what it found.
    Prints a line for each snapshot that rejected input rows, then "wrote FOLDER" for each
    folder written.
    """
    from leadnet.pipeline import run_analyse

    config = _config_from(kwargs, show_names=show_names, workbook=xlsx)
    out = out or Path("reports") / folder_name(config.project.name)
    progress = Progress(quiet)
    written = run_analyse(
        config, out, progress=progress, on_stage=progress.stage if progress.enabled else None
    )
    show_warnings()
    for done in written:  # a result, not progress: shown with --quiet too
        if done.rejected:
            rows = f"{done.rejected:,} {'row' if done.rejected == 1 else 'rows'}"
            where = f"{done.name}: " if done.name else ""
            say(f"{where}{rows} rejected (see {done.folder / 'rejected.csv'})")
    for done in written:
        say(f"wrote {done.folder}")


@main.command()
@click.argument("before", type=FOLDER, metavar="BEFORE")
@click.argument("after", type=FOLDER, metavar="AFTER")
@click.option("--cohort", type=FILE, help="Programme cohort: person_id[, group (cohort/comparison)].")
@click.option(
    "--out",
    type=FOLDER,
    default=Path("reports/comparison"),
    show_default=True,
    help="Output folder; an existing one is replaced whole, and only when it holds nothing but an earlier "
    "output of `leadnet compare`.",
)
@click.option(
    "--permutations",
    type=int,
    help=f"Permutations for p-values and CIs, 1 to {MAX_PERMUTATIONS:,} (default: the number BEFORE used).",
)
@click.option("--seed", type=int, help="Seed for the permutations (default: the one BEFORE used).")
@click.option(
    "--encoding", metavar="NAME", help="Encoding of the cohort file, e.g. cp1252; default UTF-8 or the BOM's."
)
@click.option("--quiet", is_flag=True, help="No progress messages.")
@handle_errors
def compare(
    before: Path,
    after: Path,
    cohort: Path | None,
    out: Path,
    permutations: int | None,
    seed: int | None,
    encoding: str | None,
    quiet: bool,
) -> None:
    """Compare two snapshots: tie churn, QAP, cohort against comparison group.

    BEFORE and AFTER are each one snapshot's output folder of `leadnet analyse` (such as
    reports/riverside/before), or a project folder of one snapshot, analysed on the fly.
    Writes comparison.json, people_change.csv and the programme page index.html to --out.
    """
    from leadnet.pipeline import run_compare

    written = run_compare(
        before,
        after,
        out,
        cohort=cohort,
        seed=seed,
        permutations=permutations,
        pseudonym_key=pseudonym_key(),
        progress=Progress(quiet),
        encoding=check_encoding(encoding, "--encoding"),
    )
    show_warnings()
    say(f"wrote {written}")


@main.command()
@input_options
@handle_errors
def validate(quiet: bool, **kwargs: Any) -> None:
    """Check every input (roster, sources, cohort file) and print every problem; write nothing.

    Exit 1 if any row would be rejected or any file cannot be read.
    """
    from leadnet.validation import closing_lines, validate_project, verdict

    config = _config_from(kwargs)
    inputs = validate_project(config)
    for failure in inputs.unreadable:
        say(f"error: {failure}")
    for issue in inputs.issues:
        say(str(issue))
    for line in closing_lines(inputs):
        say(line)
    warned = show_warnings()  # before the last line, which counts them
    problems = len(inputs.unreadable) + len(inputs.issues)
    say(verdict(problems, warned), err=bool(problems))
    if problems:
        sys.exit(1)


SAMPLE_NAMES = {
    "riverside": "A hospital trust of 600 staff in 8 units, two survey waves and a leadership-programme "
    "cohort."
}
"""The names ``leadnet sample`` takes (``leadnet.samples.SAMPLES``, kept in step by a test), for its help."""


@main.command(
    help="Write a synthetic organisation NAME with its planted ground truth (ground_truth.json) and a "
    "leadnet.toml, ready for `leadnet analyse`.\n\nNAME is one of:\n\n"
    + "\n\n".join(f"  {name}: {text}" for name, text in SAMPLE_NAMES.items())
)
@click.argument("name")
@click.option("--out", required=True, type=FOLDER, help="Folder to write: new, empty or an earlier sample.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the generator.")
@handle_errors
def sample(name: str, out: Path, seed: int) -> None:
    from leadnet.samples import write_sample

    checked_flags(seed=seed)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} is a file, not a folder; choose another folder to write the sample to")

    info = write_sample(name, out, seed=seed)
    say(f"wrote sample {info.name} to {out} ({len(info.files)} files)")
