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

from leadnet.errors import ConfigError
from leadnet.schema import MAX_PERMUTATIONS, MAX_RESOLUTION, check_range

MIN_GROUP_SIZE_FLOOR = 5


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


SWAP_OR_CORRECT = "swap them if they were entered the wrong way round, or correct the wrong one"
"""The fix of a period or window whose start is after its end."""


def validate_analysis(section: AnalysisSection, where: str = "configuration") -> AnalysisSection:
    """Check the analysis parameters, raising :class:`ConfigError` with the fix."""
    if section.seed < 0:
        raise ConfigError(
            f"{where}: seed must be 0 or more (numpy's generators refuse negative seeds). "
            f"Got {section.seed} instead."
        )
    if section.min_group_size < MIN_GROUP_SIZE_FLOOR:
        raise ConfigError(
            f"{where}: min_group_size may be raised but never lowered below {MIN_GROUP_SIZE_FLOOR} "
            f"(privacy floor). Got {section.min_group_size} instead."
        )
    if not 0 <= section.max_reject_rate <= 1:
        raise ConfigError(f"{where}: max_reject_rate must be between 0 and 1. Got {section.max_reject_rate}.")
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
    if section.snapshot_by not in (None, "month", "quarter"):
        raise ConfigError(f'{where}: snapshot_by must be "month" or "quarter". Got {section.snapshot_by!r}.')
    if section.engine not in ("embedded", "spark"):
        raise ConfigError(f'{where}: engine must be "embedded" or "spark". Got {section.engine!r} instead.')
    if section.pseudonymise and section.show_names:
        raise ConfigError(
            f"{where}: pseudonymise and show_names are both true ([analysis] keys, or --pseudonymise and "
            "--show-names), but a pseudonymised report shows no names; choose one."
        )
    if section.period_from and section.period_to and section.period_from > section.period_to:
        raise ConfigError(
            f"{where}: period_from {section.period_from} is after period_to {section.period_to}, so the "
            f"period holds no day; {SWAP_OR_CORRECT}"
        )
    return section
