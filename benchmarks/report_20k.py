"""The 20,000-person check of the executive report: does it open, and how fast is it usable?

Builds a synthetic organisation directly as a Snapshot with numpy (100 units of 200,
five levels, about 10 advice ties per person, 85% inside the person's unit), runs
``analyse()`` and ``render_report()``, writes the HTML, opens it in headless Chromium
over the DevTools pipe (``tests/report/cdp.py``) and measures the page size and the
time until the network view is interactive (``data-network-ready = 1``). Above 2,000
people the page opens on the unit graph.

Usage::

    python benchmarks/report_20k.py [--people 20000] [--out benchmarks/work/report_20k]

Prints one JSON object with the figures (the numbers in benchmarks/README_report.md).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from leadnet.analysis import analyse
from leadnet.config import AnalysisSection, ProjectSection
from leadnet.model import Snapshot
from leadnet.report.render import render_report

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "report"))
from cdp import file_url, load_page  # noqa: E402

CHECKS = {
    "view": "document.body.dataset.view",
    "ready_ms": "document.body.dataset.readyMs",
    "status": "document.getElementById('network-status').textContent",
    "units": "document.getElementById('filter-unit').options.length - 1",
    "dom_ms": "Math.round(performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd)",
    "load_ms": "Math.round(performance.getEntriesByType('navigation')[0].loadEventEnd)",
}


def organisation(n: int, unit_size: int = 200, ties_per_person: int = 10, inside: float = 0.85) -> Snapshot:
    """A synthetic snapshot: units of ``unit_size``, ties mostly inside units, no loops over people."""
    rng = np.random.default_rng(0)
    ids = np.array([f"P{i:06d}" for i in range(n)], dtype=object)
    unit = np.arange(n) // unit_size
    rank = np.minimum(1 + np.floor(np.log2(1 + np.arange(n) % unit_size)).astype(int), 5)
    people = pd.DataFrame(
        {"person_id": ids, "unit": [f"Unit {u:03d}" for u in unit], "level": [f"Band {r}" for r in rank]}
    )
    source = np.repeat(np.arange(n), ties_per_person)
    start = unit[source] * unit_size
    size = np.minimum(unit_size, n - start)
    local = start + (source - start + rng.integers(1, unit_size, len(source))) % size
    anywhere = rng.integers(0, n, len(source))
    target = np.where(rng.random(len(source)) < inside, local, anywhere)
    ties = pd.DataFrame({"source": ids[source], "target": ids[target]})
    ties = ties[ties["source"] != ties["target"]].drop_duplicates()
    ties = ties.assign(relation="advice", weight=rng.integers(1, 6, len(ties)).astype(float))
    return Snapshot.build("main", people, ties)


def timed(label: str, figures: dict, func, *args, **kwargs):  # noqa: ANN001, ANN201
    start = time.perf_counter()
    result = func(*args, **kwargs)
    figures[f"{label}_seconds"] = round(time.perf_counter() - start, 2)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "work" / "report_20k")
    parser.add_argument("--permutations", type=int, default=AnalysisSection().permutations)
    args = parser.parse_args()
    figures: dict = {"people": args.people}
    snapshot = timed("build", figures, organisation, args.people)
    figures["ties"] = len(snapshot.ties)
    settings = AnalysisSection(permutations=args.permutations)
    analysis = timed("analyse", figures, analyse, snapshot, settings, ProjectSection(name="synthetic-20k"))
    html = timed("render", figures, render_report, analysis)
    args.out.mkdir(parents=True, exist_ok=True)
    page = args.out / "index.html"
    page.write_text(html, encoding="utf-8")
    figures["page_bytes"] = page.stat().st_size
    figures["page_mb"] = round(page.stat().st_size / 2**20, 2)
    log = load_page(file_url(page), CHECKS, timeout=120)
    figures["interactive_seconds_wall"] = None if log.ready_seconds is None else round(log.ready_seconds, 2)
    figures.update(log.values)
    figures["console_errors"] = log.console_errors + log.exceptions
    figures["outside_requests"] = [u for u in log.requests if not u.startswith(("file:", "data:"))]
    print(json.dumps(figures, indent=2))
    return 0 if figures["interactive_seconds_wall"] is not None and not figures["console_errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
