"""The parameters of an analysis: ``[analysis]`` of ``leadnet.toml`` as a frozen value, and their ranges.

:class:`AnalysisSection` holds every parameter of :func:`~leadnet.analysis.analyse` and of the
programme comparison with its default; :data:`MIN_GROUP_SIZE_FLOOR` is the privacy floor no
setting may go below. :func:`validate_analysis` checks every parameter against its accepted
range, naming the fix, both when :mod:`leadnet.config` reads the file and when command-line
flags override it, so ``leadnet validate`` passes only what ``leadnet analyse`` accepts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from leadnet.errors import ConfigError
from leadnet.schema import MAX_PERMUTATIONS, MAX_RESOLUTION, check_choice, check_range

MIN_GROUP_SIZE_FLOOR = 5

COMMAND_LINE = "command line"
"""Where the flags' values come from: :func:`validate_analysis` names a value refused there by its flag."""

FLAGS = {"seed": "--seed", "min_group_size": "--min-group-size", "period_from": "--from", "period_to": "--to"}
"""The parameters ``leadnet analyse`` and ``validate`` take as a flag, and the flag."""

SEED_WHY = " (numpy's generators refuse negative seeds)"
COMPARISON_PERMUTATIONS_WHY = (
    " (a comparison's p-values and intervals need at least one; a million resolve a p-value to one in a "
    "million, finer than any threshold, and more only cost time and memory)"
)


@dataclass(frozen=True)
class AnalysisSection:
    """``[analysis]``: parameters of the analysis; every random step uses ``seed``."""

    seed: int = 0
    min_group_size: int = MIN_GROUP_SIZE_FLOOR
    primary_relation: str | None = None
    max_reject_rate: float = 0.01
    top_levels: int = 2
    permutations: int = 10_000
    resolution: float = 1.0
    show_names: bool = False
    period_from: date | None = None
    period_to: date | None = None
    snapshot_by: str | None = None
    engine: str = "embedded"
    workbook: bool = False
    pseudonymise: bool = False


def _named(key: str, where: str) -> tuple[str, str]:
    """``key`` and ``where`` for a message, or on the command line the flag that sets ``key``, alone:
    the file's values were checked when it was read, so a value refused there is the flag's (a period
    that flags leave with no day is refused before, by :func:`leadnet.windows.check_flag_period`)."""
    return (FLAGS[key], "") if where == COMMAND_LINE and key in FLAGS else (key, where)


SWAP_OR_CORRECT = "swap them if they were entered the wrong way round, or correct the wrong one"
"""The fix of a period or window whose start is after its end."""


def validate_analysis(section: AnalysisSection, where: str = "configuration") -> AnalysisSection:
    """Check the analysis parameters, raising :class:`ConfigError` with the fix.

    ``where`` is :data:`COMMAND_LINE` when flags were laid over the file: a refused ``--seed``,
    ``--min-group-size``, ``--from`` or ``--to`` is then named by its flag.
    """
    check_range(section.seed, *_named("seed", where), 0, why=SEED_WHY)
    if section.min_group_size < MIN_GROUP_SIZE_FLOOR:
        key, at = _named("min_group_size", where)
        raise ConfigError(
            f"{at + ': ' if at else ''}{key} may be raised but never lowered below {MIN_GROUP_SIZE_FLOOR} "
            f"(privacy floor). Got {section.min_group_size} instead."
        )
    if not 0 <= section.max_reject_rate <= 1:
        raise ConfigError(f"{where}: {_rate_problem(section.max_reject_rate)}")
    check_range(section.top_levels, "top_levels", where, 1, why=" (levels 1 to top_levels are the top)")
    check_range(
        section.permutations, "permutations", where, 0, MAX_PERMUTATIONS,
        why=" (0 skips the permutation tests; a million resolve a p-value to one in a million, finer than "
        "any threshold, and more only cost time and memory)",
    )  # fmt: skip
    check_range(
        section.resolution, "resolution", where, 0, MAX_RESOLUTION, above=True,
        why=" (1 is standard modularity; larger values give smaller communities)",
    )  # fmt: skip
    if section.snapshot_by is not None:
        check_choice(section.snapshot_by, "snapshot_by", where, ("month", "quarter"))
    check_choice(section.engine, "engine", where, ("embedded", "spark"))
    if section.pseudonymise and section.show_names:
        raise ConfigError(
            f"{where}: pseudonymise and show_names are both true ([analysis] keys, or --pseudonymise and "
            "--show-names), but a pseudonymised report shows no names; choose one."
        )
    if section.period_from and section.period_to and section.period_from > section.period_to:
        (start, at), (end, _) = _named("period_from", where), _named("period_to", where)
        raise ConfigError(
            f"{at + ': ' if at else ''}{start} {section.period_from} is after {end} {section.period_to}, so "
            f"the period holds no day; {SWAP_OR_CORRECT}"
        )
    return section


def _rate_problem(rate: float) -> str:
    """What is wrong with a ``max_reject_rate`` outside 0 to 1, and the share meant when it reads as a
    percentage (``5`` for 5%).

    >>> _rate_problem(5)
    'max_reject_rate must be a share between 0 and 1, such as 0.01 for 1%. Got 5 instead; did you mean 0.05?'
    >>> _rate_problem(-0.1)
    'max_reject_rate must be a share between 0 and 1, such as 0.01 for 1%. Got -0.1 instead.'
    """
    said = f"max_reject_rate must be a share between 0 and 1, such as 0.01 for 1%. Got {rate:g} instead"
    return f"{said}; did you mean {rate / 100:g}?" if 1 < rate <= 100 else f"{said}."


def checked_flags(*, seed: int | None = None, permutations: int | None = None) -> dict[str, Any]:
    """``--seed`` and ``--permutations`` of ``leadnet compare`` (and ``leadnet sample``'s ``--seed``),
    those given, checked as ``leadnet.toml``'s values are, but a comparison needs one permutation or more.

    Examples
    --------
    >>> checked_flags(seed=7)
    {'seed': 7}
    >>> checked_flags(permutations=0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    leadnet.errors.ConfigError: --permutations must be from 1 to 1,000,000 (...). Got 0 instead.
    """
    if seed is not None:
        check_range(seed, "--seed", "", 0, why=SEED_WHY)
    if permutations is not None:
        check_range(permutations, "--permutations", "", 1, MAX_PERMUTATIONS, why=COMPARISON_PERMUTATIONS_WHY)
    return {k: v for k, v in {"seed": seed, "permutations": permutations}.items() if v is not None}
