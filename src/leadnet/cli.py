"""The ``leadnet`` command line: a thin layer over the library.

The only module that prints, exits or reads the environment. A
:class:`~leadnet.errors.LeadnetError` becomes a message on stderr and exit code 1;
usage errors exit 2 (click's convention). A :class:`~leadnet.errors.LeadnetWarning` the
library raises becomes a ``warning:`` line on stderr.
"""

from __future__ import annotations

import functools
import os
import re
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from leadnet import __version__
from leadnet.config import (
    CONFIG_NAME,
    Config,
    SourceSection,
    load_config,
    with_overrides,
)
from leadnet.errors import LeadnetError, LeadnetWarning
from leadnet.paths import located
from leadnet.schema import MAX_PERMUTATIONS, check_encoding

F = TypeVar("F", bound=Callable[..., Any])

EXISTING_FILE = click.Path(exists=False, dir_okay=False, path_type=Path)


class Progress:
    """Progress lines on stderr, only for a terminal and without ``--quiet``."""

    def __init__(self, quiet: bool) -> None:
        self.enabled = not quiet and sys.stderr.isatty()

    def __call__(self, message: str) -> None:
        if self.enabled:
            click.echo(f"leadnet: {message}", err=True)

    def stage(self, name: str, seconds: float) -> None:
        """Report how long one pipeline stage took."""
        self(f"  {name}: {seconds:.1f} s")


def _project_dir(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """PROJECT_DIR: a folder holding leadnet.toml, or such a file itself (read as with ``--config``)."""
    if value is None or not value.is_file() or value.suffix.lower() == ".toml":
        return value
    raise click.BadParameter(
        f"{value} is a file, not a project folder; pass the folder that holds {CONFIG_NAME} "
        f"(or the {CONFIG_NAME} itself), or give the file with --people, --survey, --email, "
        "--membership or --ties",
        ctx,
        param,
    )


def input_options(func: F) -> F:
    """The input flags shared by ``analyse`` and ``validate``."""
    decorators = [
        click.argument("project_dir", required=False, type=click.Path(path_type=Path), callback=_project_dir),
        click.option("--people", type=EXISTING_FILE, help="HR roster (CSV/XLSX)."),
        click.option("--survey", multiple=True, type=EXISTING_FILE, help="Who-consults-whom survey file."),
        click.option(
            "--email",
            multiple=True,
            type=click.Path(exists=False, path_type=Path),
            help="Email metadata (mbox, .eml folder, CSV, JSON).",
        ),
        click.option("--membership", multiple=True, type=EXISTING_FILE, help="Project/team membership file."),
        click.option(
            "--ties", multiple=True, type=EXISTING_FILE, help="Plain tie list (source, target[, weight])."
        ),
        click.option("--config", "config_file", type=EXISTING_FILE, help=f"A {CONFIG_NAME} elsewhere."),
        click.option("--from", "period_from", type=click.DateTime(["%Y-%m-%d"]), help="Start of the period."),
        click.option("--to", "period_to", type=click.DateTime(["%Y-%m-%d"]), help="End of the period."),
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


def handle_errors(func: F) -> F:
    """Turn leadnet's errors into one message and exit code 1, and its warnings into ``warning:`` lines."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            caught: list[warnings.WarningMessage] = []
            try:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always", LeadnetWarning)
                    return func(*args, **kwargs)
            finally:  # once recording has stopped: shown, a warning is not recorded again
                _show_warnings(caught)
        except LeadnetError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        except OSError as exc:  # a folder that cannot be written, a file that vanished, a full disk
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"error: {where}{exc.strerror or exc}; check the path and its permissions", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def _show_warnings(caught: list[warnings.WarningMessage]) -> None:
    """leadnet's warnings as ``warning:`` lines on stderr; any other warning written as Python formats it."""
    for caught_warning in caught:
        if issubclass(caught_warning.category, LeadnetWarning):
            click.echo(f"warning: {caught_warning.message}", err=True)
        else:
            message, category = caught_warning.message, caught_warning.category
            shown = warnings.formatwarning(message, category, caught_warning.filename, caught_warning.lineno)
            click.echo(shown.rstrip("\n"), err=True)


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
    """
    given = people is not None or any(flag_sources.values())
    if config_file is not None:
        config = load_config(config_file)
    elif project_dir is not None:
        config = load_config(project_dir)
    elif not given and (Path.cwd() / CONFIG_NAME).is_file():
        config = load_config(Path.cwd())
    else:
        config = Config(root=Path.cwd())
    sources = [
        SourceSection(kind=kind, path=located(p)) for kind, paths in flag_sources.items() for p in paths
    ]
    for key in ("period_from", "period_to"):
        if analysis.get(key) is not None:
            analysis[key] = analysis[key].date()
    return with_overrides(config, people=people, sources=sources, pseudonym_key=pseudonym_key(), **analysis)


KEY_VARIABLE = "LEADNET_PSEUDONYM_KEY"


MIN_KEY_CHARS = 16
"""A shorter secret can be guessed: anyone with the roster can test candidate keys quickly."""


def pseudonym_key() -> bytes | None:
    """The pseudonym key from the environment (``LEADNET_PSEUDONYM_KEY``), if set.

    A secret shorter than :data:`MIN_KEY_CHARS` is used, with a warning on stderr.
    """
    from leadnet.importers.identity import derive_key

    secret = os.environ.get(KEY_VARIABLE)
    if secret and len(secret) < MIN_KEY_CHARS:
        click.echo(
            f"warning: {KEY_VARIABLE} is {len(secret)} characters long; anyone holding the roster could "
            f"guess a key that short: use a random one of at least {MIN_KEY_CHARS} characters",
            err=True,
        )
    return derive_key(secret, 0) if secret else None


def _config_from(kwargs: dict[str, Any], **extra: Any) -> Config:
    flag_sources = {k: kwargs.pop(k) for k in ("survey", "email", "membership", "ties")}
    return build_config(
        kwargs.pop("project_dir"),
        kwargs.pop("config_file"),
        kwargs.pop("people"),
        flag_sources,
        period_from=kwargs.pop("period_from"),
        period_to=kwargs.pop("period_to"),
        seed=kwargs.pop("seed"),
        min_group_size=kwargs.pop("min_group_size"),
        pseudonymise=kwargs.pop("pseudonymise"),
        encoding=kwargs.pop("encoding"),
        **extra,
    )


@click.group()
@click.version_option(__version__, prog_name="leadnet")
def main() -> None:
    """leadnet: organisational network analysis for shared and distributed leadership."""


@main.command()
@input_options
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default reports/NAME)."
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
    """Analyse a project: write the report, CSV/JSON tables and snapshots to --out."""
    from leadnet.pipeline import run_analyse

    config = _config_from(kwargs, show_names=show_names, workbook=xlsx)
    out = out or Path("reports") / folder_name(config.project.name)
    progress = Progress(quiet)
    written = run_analyse(
        config, out, progress=progress, on_stage=progress.stage if progress.enabled else None
    )
    for folder in written:
        click.echo(f"wrote {folder}")


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


@main.command()
@click.argument("before", type=click.Path(file_okay=False, path_type=Path))
@click.argument("after", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--cohort", type=EXISTING_FILE, help="Programme cohort: person_id[, group (cohort/comparison)]."
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports/comparison"),
    show_default=True,
    help="Output folder.",
)
@click.option(
    "--permutations",
    type=click.IntRange(min=1, max=MAX_PERMUTATIONS),
    help="Permutations for p-values and CIs, at most 1,000,000 (default: the number BEFORE used).",
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
    """Compare two snapshots (output folders of `leadnet analyse`): tie churn, QAP, cohort vs comparison."""
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
    click.echo(f"wrote {written}")


@main.command()
@input_options
@handle_errors
def validate(quiet: bool, **kwargs: Any) -> None:
    """Check every input (roster, sources, cohort file) and print every problem; write nothing.

    Exit 1 if any row would be rejected or any file cannot be read.
    """
    from leadnet.validation import validate_project

    config = _config_from(kwargs)
    inputs = validate_project(config)
    for failure in inputs.unreadable:
        click.echo(f"error: {failure}")
    for issue in inputs.issues:
        click.echo(str(issue))
    unranked = inputs.roster.normalisations.get("level-unranked", 0)
    if unranked:
        click.echo(
            f"note: {unranked} people have a level that is not a number and not ranked, so figures by "
            "level leave them out; list the levels, top first, in [people] level_order"
        )
    no_unit = inputs.roster.normalisations.get("unit-blank", 0)
    if no_unit:
        who = "1 person has" if no_unit == 1 else f"{no_unit} people have"
        click.echo(
            f"note: {who} no unit, so unit figures (E-I, brokerage, participation, bridges) leave them "
            "and their ties out; fill in their units"
        )
    if inputs.headers_read:  # the header-normalised count, by file and header
        files = dict.fromkeys(file for file, _, _ in inputs.headers_read)
        read_as = "; ".join(
            file + " " + ", ".join(f'"{h}" as {name}' for f, h, name in inputs.headers_read if f == file)
            for file in files
        )
        n = len(inputs.headers_read)
        who = "1 header was" if n == 1 else f"{n} headers were"
        click.echo(
            f"note: {who} read as leadnet's column names, letter case aside: {read_as}; if one is not "
            "that column, rename it, or map the columns in leadnet.toml"
        )
    for name, snap in inputs.snapshots.items():
        read = sum(i.rows_read for i in snap.provenance.inputs)
        rejected = sum(i.rows_rejected for i in snap.provenance.inputs)
        click.echo(
            f"snapshot {name}: {len(snap.people)} people, {len(snap.ties)} ties, "
            f"{read} rows read, {rejected} rejected"
        )
    problems = len(inputs.unreadable) + len(inputs.issues)
    if problems:
        click.echo(f"{problems} problem(s) found", err=True)
        sys.exit(1)
    click.echo("no problems found")


@main.command()
@click.argument("name")
@click.option(
    "--out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder to write."
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the generator.")
@handle_errors
def sample(name: str, out: Path, seed: int) -> None:
    """Write a synthetic organisation NAME (e.g. riverside) with its planted ground truth."""
    from leadnet.samples import write_sample

    info = write_sample(name, out, seed=seed)
    click.echo(f"wrote sample {info.name} to {out} ({len(info.files)} files)")
