"""Synthetic organisations with planted ground truth, for demos and acceptance tests.

``write_sample("riverside", out)`` writes *Riverside*, a hospital trust of 600 staff in
eight units with a five-level hierarchy, two waves of a who-consults-whom survey
(advice and collaboration), a leadership-programme cohort with a matched comparison
group, a ``leadnet.toml`` and ``ground_truth.json`` listing what was planted: informal
leaders, boundary spanners, two silos and their bridges, and the programme effect.

Advice nominations are drawn without replacement with the Gumbel top-k trick
(Kool, van Hoof & Welling 2019) from a stochastic block model (Holland, Laskey &
Leinhardt 1983) with unit homophily, level proximity and right-skewed popularity.
Output is a pure function of the seed: same seed, byte-identical files.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leadnet.errors import ConfigError
from leadnet.samples import riverside

__all__ = ["SAMPLES", "Sample", "SampleInfo", "write_sample"]


@dataclass(frozen=True)
class SampleInfo:
    """What :func:`write_sample` wrote: the folder, its files and the planted truth."""

    name: str
    path: Path
    files: tuple[Path, ...]
    ground_truth: dict[str, Any]


@dataclass(frozen=True)
class Sample:
    """A bundled synthetic organisation: ``generate(seed)`` maps file name to text."""

    name: str
    description: str
    generate: Callable[[int], dict[str, str]]
    write_extra: Callable[[dict[str, str], Path, int], tuple[Path, ...]] | None = None


def write_sample(name: str, out: Path, *, seed: int = 0) -> SampleInfo:
    """Write the synthetic organisation ``name`` into the folder ``out``.

    Parameters
    ----------
    name
        A key of :data:`SAMPLES`.
    out
        Folder to write into: new, empty or an earlier sample (its files are replaced).
    seed
        Non-negative generation seed; the files are a pure function of it.

    Examples
    --------
    >>> import tempfile
    >>> info = write_sample("riverside", Path(tempfile.mkdtemp()))
    >>> [f.name for f in info.files][:3]
    ['README.md', 'cohort.csv', 'ground_truth.json']
    >>> info.ground_truth["silos"]
    ['Diagnostics', 'Estates & Facilities']
    >>> write_sample("nowhere", Path("."))
    Traceback (most recent call last):
    leadnet.errors.ConfigError: unknown sample "nowhere". Choose one of: riverside.
    """
    if name not in SAMPLES:
        raise ConfigError(f'unknown sample "{name}". Choose one of: {", ".join(sorted(SAMPLES))}.')
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ConfigError(f"seed must be a non-negative integer. Got {seed!r} instead.")
    sample = SAMPLES[name]
    texts = sample.generate(seed)
    out = Path(out)
    if out.is_dir() and any(out.iterdir()) and not (out / "ground_truth.json").is_file():
        raise ConfigError(
            f"{out} already holds files and is not a leadnet sample; "
            "write the sample to a new or empty folder"
        )
    out.mkdir(parents=True, exist_ok=True)
    for file_name, text in texts.items():
        (out / file_name).write_bytes(text.encode("utf-8"))
    extra = sample.write_extra(texts, out, seed) if sample.write_extra else ()
    files = tuple(sorted([out / f for f in texts] + list(extra)))
    return SampleInfo(name, out, files, json.loads(texts["ground_truth.json"]))


SAMPLES: dict[str, Sample] = {
    "riverside": Sample(
        "riverside",
        "A hospital trust of 600 staff in 8 units, two survey waves and a leadership-programme cohort.",
        riverside.generate,
        riverside.write_riverside_traces,
    ),
}
