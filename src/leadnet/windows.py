"""The time the sources and snapshots of a run cover, and ``--from``/``--to`` laid over them.

A dated source (e-mail, membership) keeps the rows of its window: its own ``from``/``to`` in
``leadnet.toml``, else ``[analysis]``'s ``period_from``/``period_to`` (:func:`window`). A named
snapshot covers the span of its dated sources' windows; one of surveys and tie lists alone
carries no dates, so its period is the one stated for it, said to be so (:func:`snapshot_period`).
A month or quarter ``snapshot_by`` cuts from the dated sources covers the part of it within their
windows (:func:`dated_span`).
``--from``/``--to`` replace the window of every source of the run, for that run; where the
sources make several snapshots, each with its own period, one window cannot mean one thing,
and :func:`with_flag_window` refuses it, naming them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date

from leadnet.config import Config
from leadnet.errors import ConfigError
from leadnet.model import Period
from leadnet.parameters import SWAP_OR_CORRECT
from leadnet.schema import WINDOW_OPTIONS as WINDOW_KEYS
from leadnet.sources import SourceSection
from leadnet.toml_types import date_problem

DATED_KINDS = ("email", "membership")
"""The kinds of source whose rows are dated, so a ``from``/``to`` window selects among them."""
FLAGS = "--from/--to"
FILE = "[analysis] period_from/period_to"
"""Who gave the period of a snapshot of undated sources: the command line, or ``leadnet.toml``."""


def window(source: SourceSection, config: Config) -> tuple[date | None, date | None]:
    """The source's own ``from``/``to`` dates (inclusive), else the analysis period."""
    ends = []
    defaults = (config.analysis.period_from, config.analysis.period_to)
    for key, default in zip(WINDOW_KEYS, defaults, strict=True):
        value = source.options.get(key, default)
        try:
            ends.append(value if value is None or isinstance(value, date) else date.fromisoformat(str(value)))
        except ValueError:
            problem = date_problem(str(value))
            raise ConfigError(
                f'{source.path.name}: source option "{key}" must be a date like 2026-03-31. '
                f"Got {value!r} instead{f': {problem}' if problem else ''}."
            ) from None
    return ends[0], ends[1]


def span(windows: Iterable[tuple[date | None, date | None]]) -> Period:
    """From the earliest start to the latest end of ``windows``, an end open when any is open there.

    >>> str(span([(date(2026, 1, 1), date(2026, 3, 31)), (None, date(2026, 2, 28))]))
    '… to 2026-03-31'
    """
    starts, ends = zip(*windows, strict=True)
    first = [d for d in starts if d is not None]
    last = [d for d in ends if d is not None]
    return Period(
        min(first) if len(first) == len(starts) else None, max(last) if len(last) == len(ends) else None
    )


def dated_span(config: Config) -> Period:
    """The span of the windows of the run's dated sources (:func:`span`), which the periods
    ``snapshot_by`` cuts from them are clipped to; open when there is none.

    >>> from pathlib import Path
    >>> from leadnet.config import AnalysisSection
    >>> mail = SourceSection("email", Path("mail.csv"), options={"from": "2026-01-15"})
    >>> projects = SourceSection("membership", Path("projects.csv"))
    >>> section = AnalysisSection(period_from=date(2026, 1, 1), period_to=date(2026, 6, 30))
    >>> str(dated_span(Config(Path("."), sources=(mail, projects), analysis=section)))
    '2026-01-01 to 2026-06-30'
    >>> str(dated_span(Config(Path("."), sources=(mail,), analysis=section)))
    '2026-01-15 to 2026-06-30'
    """
    windows = [window(s, config) for s in config.sources if s.kind in DATED_KINDS]
    return span(windows) if windows else Period()


def snapshot_period(name: str, config: Config, *, dated: bool = True) -> Period:
    """The period of the named snapshot ``name``: the span of its dated sources' windows.

    With ``dated=False`` (``snapshot_by`` cuts its dated sources into periods of their own)
    and in a snapshot of surveys and tie lists alone, no row is dated: the period is the one
    the run states, ``--from``/``--to`` (which :func:`with_flag_window` gives every source) or
    else ``[analysis] period_from/period_to``, recorded as :attr:`~leadnet.model.Period.given`.

    >>> from pathlib import Path
    >>> from leadnet.config import AnalysisSection
    >>> survey = SourceSection("survey", Path("survey.csv"))
    >>> mail = SourceSection("email", Path("mail.csv"), options={"from": "2026-01-01"})
    >>> str(snapshot_period("main", Config(Path("."), sources=(survey, mail))))
    '2026-01-01 to …'
    >>> str(snapshot_period("main", Config(Path("."), sources=(survey,))))
    'not dated'
    >>> asked = Config(Path("."), sources=(survey,), analysis=AnalysisSection(period_to=date(2026, 3, 31)))
    >>> str(snapshot_period("main", asked))
    '… to 2026-03-31 (given by [analysis] period_from/period_to, not read from dated data)'
    """
    sources = [s for s in config.sources if s.snapshot == name]
    windows = [window(s, config) for s in sources if dated and s.kind in DATED_KINDS]
    if windows:
        return span(windows)
    stated = [window(s, config) for s in sources if s.kind not in DATED_KINDS and _stated(s)]
    if stated:
        return replace(span(stated), given=FLAGS)
    start, end = config.analysis.period_from, config.analysis.period_to
    return Period(start, end, given=FILE if start or end else None)


def _stated(source: SourceSection) -> bool:
    """Whether an undated source has a window: only ``--from``/``--to`` give one."""
    return any(key in source.options for key in WINDOW_KEYS)


def with_flag_window(config: Config, start: date | None, end: date | None) -> tuple[SourceSection, ...]:
    """``config``'s sources with ``--from``/``--to`` (either may be None: that end is kept) as the
    window of each, for this run: a dated source's ``from``/``to`` replaced, an undated one's
    period stated.

    Raises
    ------
    ConfigError
        When the sources make several snapshots (each covers a period of its own: one window
        for every source would make them one period), naming each with its period and the fix;
        when a flag leaves a source's window without a day, naming the source.
    """
    if start is None and end is None:
        return config.sources
    flags = " ".join(f"--{key} {day}" for key, day in zip(WINDOW_KEYS, (start, end), strict=True) if day)
    names = config.snapshot_names
    if len(names) > 1:
        raise ConfigError(_several(config, names, flags))
    given = {key: day for key, day in zip(WINDOW_KEYS, (start, end), strict=True) if day}
    sources = tuple(replace(s, options={**s.options, **given}) for s in config.sources)
    for source in sources:
        first, last = window(source, config)
        if first and last and first > last:  # one flag, past the other end the source gives itself
            other, day, side, missing = (
                ("to", last, "after", "--to") if start else ("from", first, "before", "--from")
            )
            at = f" ({config.where(source.table, other)})" if source.table else ""
            raise ConfigError(
                f"{source.path.name}: {flags} is {side} the source's own {other} = {day}{at}, so its "
                f"window would hold no day; give {missing} as well (the two replace its window), or change "
                f"its {other}"
            )
    return sources


def check_flag_period(config: Config, start: date | None, end: date | None) -> None:
    """Refuse ``--from``/``--to`` that leave the run's period without a day: ``--from`` after
    ``--to``, or one flag past the other end of ``[analysis]``'s period, named at its line.

    >>> from pathlib import Path
    >>> from leadnet.config import AnalysisSection
    >>> config = Config(Path("."), analysis=AnalysisSection(period_to=date(2026, 3, 31)))
    >>> check_flag_period(config, date(2026, 5, 1), None)
    Traceback (most recent call last):
    ...
    leadnet.errors.ConfigError: --from 2026-05-01 is after [analysis] period_to = 2026-03-31 ([analysis]), \
so the period would hold no day; give --to as well (the two replace it), or change period_to
    """
    first, last = start or config.analysis.period_from, end or config.analysis.period_to
    if first is None or last is None or first <= last:
        return
    if start and end:
        raise ConfigError(
            f"--from {start} is after --to {end}, so the period holds no day; {SWAP_OR_CORRECT}"
        )
    flag, day, side, key, other = (
        ("--from", start, "after", "period_to", "--to")
        if start
        else ("--to", end, "before", "period_from", "--from")
    )
    raise ConfigError(
        f"{flag} {day} is {side} [analysis] {key} = {last if start else first} "
        f"({config.where('[analysis]', key)}), so the period would hold no day; give {other} as well (the "
        f"two replace it), or change {key}"
    )


def _several(config: Config, names: Sequence[str], flags: str) -> str:
    """Why one window cannot be laid over the snapshots ``names``, with each one's period and the fix."""
    periods = [f'"{name}" ({snapshot_period(name, config)})' for name in names]
    listed = ", ".join(periods[:-1]) + f" and {periods[-1]}"
    file = config.file.name if config.file else "leadnet.toml"
    return (
        f"{flags} set one window for every source of the run, but its sources make {len(names)} snapshots, "
        f"each with its own period: {listed}. To change a snapshot's period, set from and to in its "
        f"[[sources]] in {file}; to analyse one snapshot with {flags}, give only its sources (a {file} "
        "that lists only them, or its files with --survey, --email, --membership or --ties)"
    )
