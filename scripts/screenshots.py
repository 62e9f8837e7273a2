"""Screenshots of a leadnet report for the README, taken with headless Chromium (standard library only).

Usage::

    leadnet analyse data/samples/riverside --out reports/riverside
    python scripts/screenshots.py reports/riverside docs/screenshots

Writes ``summary.png`` (the first screen of the last snapshot's report), ``network.png``
(the same report opened at ``#network``, which scrolls to the network view) and, when the
report folder has a ``comparison/`` page, ``programme.png``. Each shot is a fresh
Chromium with a throw-away profile and no network features.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--window-size=1400,1000",
    "--virtual-time-budget=5000",
)


def report_page(folder: Path) -> Path:
    """The snapshot report to show: ``index.html`` itself, or the last snapshot folder's (``after``)."""
    if (folder / "index.html").is_file() and not (folder / "comparison").is_dir():
        return folder / "index.html"
    for name in ("after", *sorted(p.name for p in folder.iterdir() if p.is_dir())):
        if name != "comparison" and (folder / name / "index.html").is_file():
            return folder / name / "index.html"
    raise SystemExit(f"{folder}: no index.html; run `leadnet analyse ... --out {folder}` first")


def screenshot(url: str, target: Path, chromium: str) -> None:
    """Save one 1400 x 1000 screenshot of ``url`` to ``target``."""
    with tempfile.TemporaryDirectory() as profile:
        command = [chromium, *FLAGS, f"--user-data-dir={profile}", f"--screenshot={target}", url]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    if not target.is_file():
        raise SystemExit(f"chromium wrote no screenshot for {url}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path, help="output folder of `leadnet analyse`")
    parser.add_argument("out", type=Path, help="folder for the PNG files")
    parser.add_argument("--chromium", default=CHROMIUM, help=f"Chromium binary (default {CHROMIUM})")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    page = report_page(args.report).resolve()
    shots = {"summary.png": page.as_uri(), "network.png": page.as_uri() + "#network"}
    programme = (args.report / "comparison" / "index.html").resolve()
    if programme.is_file():
        shots["programme.png"] = programme.as_uri()
    for name, url in shots.items():
        screenshot(url, args.out / name, args.chromium)
        print(f"wrote {args.out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
