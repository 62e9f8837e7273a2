"""Command-line flags laid over a :class:`~leadnet.config.Config` read from ``leadnet.toml``.

A flag wins over the file: a roster, sources of a kind (which replace the file's sources of
that kind), the encoding of every table read, the pseudonym key and ``[analysis]`` parameters,
checked again against their ranges (:func:`leadnet.parameters.validate_analysis`).
``--from``/``--to`` are the window of every source of the run, their own ``from``/``to``
included (:func:`leadnet.windows.with_flag_window`, which refuses them for several snapshots).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from leadnet.config import Config, SourceSection
from leadnet.errors import ConfigError
from leadnet.parameters import COMMAND_LINE, validate_analysis
from leadnet.paths import located
from leadnet.schema import check_encoding
from leadnet.windows import check_flag_period, with_flag_window

__all__ = ["with_overrides"]


def with_overrides(
    config: Config,
    *,
    people: Path | None = None,
    sources: Sequence[SourceSection] = (),
    pseudonym_key: bytes | None = None,
    encoding: str | None = None,
    **analysis: Any,
) -> Config:
    """Apply command-line flags: a roster, extra sources, the pseudonym key, the encoding of
    every table read (roster, exclusions, sources, cohort) and analysis parameters (None = keep)."""
    changes = {k: v for k, v in analysis.items() if v is not None}
    check_flag_period(config, changes.get("period_from"), changes.get("period_to"))
    section = validate_analysis(replace(config.analysis, **changes), COMMAND_LINE)
    people_section = replace(config.people, path=located(people)) if people else config.people
    # Sources given as flags replace those of the same kind from the file.
    flag_kinds = {s.kind for s in sources}
    kept = tuple(s for s in config.sources if s.kind not in flag_kinds) + tuple(sources)
    start, end = changes.get("period_from"), changes.get("period_to")
    run_sources = with_flag_window(replace(config, sources=kept), start, end)
    programme = config.programme
    if check_encoding(encoding, "--encoding") is not None:
        people_section = replace(people_section, encoding=encoding)
        # e-mail is read as UTF-8 whatever the flag says (its sources take no encoding)
        run_sources = tuple(s if s.kind == "email" else replace(s, encoding=encoding) for s in run_sources)
        programme = replace(programme, encoding=encoding) if programme is not None else None
    if section.pseudonymise and pseudonym_key is None and config.pseudonym_key is None:
        in_file = "pseudonymise" not in changes and config.holds("[analysis]", "pseudonymise")
        where = f"{config.where('[analysis]', 'pseudonymise')}: " if in_file else ""
        raise ConfigError(
            f"{where}pseudonymise = true needs a secret key: set the environment variable "
            "LEADNET_PSEUDONYM_KEY (keep it outside the project; the same key gives the same pseudonyms in "
            "every wave)"
        )
    return replace(
        config,
        people=people_section,
        sources=run_sources,
        programme=programme,
        analysis=section,
        pseudonym_key=pseudonym_key or config.pseudonym_key,
    )
