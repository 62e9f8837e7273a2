"""Time ``leadnet analyse`` stage by stage against the raw kernels and a pandas + networkx pipeline.

Usage::

    python benchmarks/run.py --size 100k          # 100,000 people, ~1,000,000 ties
    python benchmarks/run.py --size 10k --size 100k --readme

Each pipeline runs in a fresh subprocess on the same generated data (``benchmarks/data/<size>``,
made by ``generate.py`` on first use); each child reports its stage times and its own peak
resident memory (``ru_maxrss``). ``--save`` keeps the results in the tracked
``benchmarks/results/<size>.json``; ``--readme`` does too, and rewrites the results table in
``benchmarks/README.md``. Without either, a run only prints its table. ``--only leadnet``
skips the baselines (the 1M-people run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZES = {"10k": (10_000, 100_000), "100k": (100_000, 1_000_000), "1m": (1_000_000, 10_000_000)}
GROUPS = {  # leadnet stage → table row
    "read inputs": "read inputs",
    "graph": "graph",
    "centrality": "centrality",
    "brokerage": "brokerage",
    "communities": "communities",
    "silos": "silos",
    "roles": "roles/indices",
    "leadership": "roles/indices",
    "summary": "roles/indices",
    "report render": "report render",
    "write files": "write files",
}
ROWS = ("read inputs", "graph", "centrality", "betweenness", "brokerage", "communities", "silos",
        "roles/indices", "report render", "write files")  # fmt: skip


def leadnet_child(folder: Path, out: Path) -> None:
    """Run the real `leadnet analyse` path with a stage hook; print the timings."""
    start = time.perf_counter()
    from leadnet.config import load_config
    from leadnet.pipeline import run_analyse

    stages: dict[str, float] = {}

    def on_stage(stage: str, seconds: float) -> None:
        stages[stage] = seconds
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"[{time.perf_counter() - start:8.1f} s] {stage}: {seconds:.1f} s (peak {rss:.0f} MB)",
              file=sys.stderr, flush=True)  # fmt: skip

    run_analyse(load_config(folder), out, on_stage=on_stage)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    total = time.perf_counter() - start
    print("RESULT " + json.dumps({"stages": stages, "total": total, "maxrss_mb": maxrss,
                                  "methods": summary.get("methods", {})}, default=str))  # fmt: skip


def _child(args: list[str], timeout: float) -> dict:
    start = time.perf_counter()
    try:
        # stderr passes through: the leadnet child reports each stage as it ends
        done = subprocess.run(args, stdout=subprocess.PIPE, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"> {timeout:.0f} s (whole run stopped)", "wall": time.perf_counter() - start}
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")]
    if not lines:
        return {
            "error": f"exit {done.returncode}, no result (see its stderr)",
            "wall": time.perf_counter() - start,
        }
    result = json.loads(lines[-1][7:])
    result["wall"] = time.perf_counter() - start
    return result


def _grouped(stages: dict[str, float]) -> dict[str, float]:
    rows: dict[str, float] = {}
    for name, sec in stages.items():
        row = GROUPS.get(name, name)
        rows[row] = rows.get(row, 0.0) + sec
    return rows


def machine() -> dict[str, str]:
    import igraph
    import numpy

    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())  # fmt: skip
    mem = next(
        ln.split()[1] for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal")
    )
    return {"nproc": str(os.cpu_count()), "ram_gb": f"{int(mem) / 1024**2:.1f}", "cpu": cpu,
            "python": platform.python_version(), "igraph": igraph.__version__, "numpy": numpy.__version__,
            "date": dt.date.today().isoformat()}  # fmt: skip


def run_size(size: str, only: str | None, stage_limit: float) -> dict:
    people, ties = SIZES[size]
    data = HERE / "data" / size
    if not (data / "survey.csv").exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--people", str(people), "--ties",
                        str(ties), "--out", str(data)], check=True)  # fmt: skip
    scratch = tempfile.mkdtemp(prefix=f"leadnet-bench-{size}-")
    try:  # the outputs each pipeline writes are timed, not kept: 100-150 MB at 100k
        return _timed_runs(size, data, scratch, only, stage_limit)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _timed_runs(size: str, data: Path, scratch: str, only: str | None, stage_limit: float) -> dict:
    """leadnet, then (unless ``only``) the raw kernels and pandas + networkx, on ``data``, each in a child
    process writing in ``scratch``."""
    people, ties = SIZES[size]
    result: dict = {"size": size, "people": people, "ties_requested": ties, "machine": machine()}
    result["leadnet"] = _child([sys.executable, __file__, "--child", str(data), scratch + "/out"], 6 * 3600)
    if only == "leadnet" or "error" in result["leadnet"]:
        return result
    from leadnet.communities import effort
    from leadnet.config import AnalysisSection
    from leadnet.metrics.centrality import betweenness_sources
    from leadnet.silos import budgeted_permutations

    settings = AnalysisSection()
    with open(data / "survey.csv", "rb") as handle:
        n_ties = sum(1 for _ in handle) - 1
    sources = betweenness_sources(people, seed=settings.seed, n_ties=n_ties)
    runs, iterations = effort(people)
    params = {
        "sources": None if sources is None else sources.tolist(),
        "pivots": None if sources is None else len(sources),
        "permutations": budgeted_permutations(settings.permutations, people, n_ties),
        "leiden_runs": runs,
        "leiden_iterations": iterations,
        "stage_limit": stage_limit,
        "scratch": scratch,
    }
    base = [sys.executable, str(HERE / "baselines.py")]
    result["kernels"] = _child(base + ["kernels", str(data), json.dumps(params)], 6 * 3600)
    params["sources"] = None
    result["networkx"] = _child(base + ["networkx", str(data), json.dumps(params)], 12 * 3600)
    result["n_ties"] = n_ties
    return result


def table(result: dict) -> str:
    lead = result["leadnet"]
    rows = _grouped(lead.get("stages", {}))
    cent = lead.get("methods", {}).get("centrality", {})
    kern, nxr = result.get("kernels", {}), result.get("networkx", {})
    kst, nst = _with_betweenness(kern.get("stages", {})), _with_betweenness(nxr.get("stages", {}))
    ties = result.get("n_ties", result["ties_requested"])
    asked = "" if "n_ties" in result else " requested"
    m = result["machine"]
    lines = [
        f"### {result['size']}: {result['people']:,} people, {ties:,} ties{asked}",
        "",
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['ram_gb']} GB RAM; Python {m['python']}, "
        f"igraph {m['igraph']}, numpy {m['numpy']}; run on {m['date']}.",
        "",
        "| stage | leadnet (s) | raw kernels (s) | pandas + networkx (s) |",
        "|---|---:|---:|---:|",
    ]
    for row in ROWS:
        lead_cell = f"{rows[row]:.1f}" if row in rows else "–"
        lead_cell = "(in centrality)" if row == "betweenness" else lead_cell
        row_name = "  of which betweenness" if row == "betweenness" else row
        k_cell = f"{kst[row]:.1f}" if row in kst else "–"
        note = nxr.get("notes", {}).get(row, "")
        n_cell = (f"{nst[row]:.1f}" if row in nst else "–") + (f" ({note})" if note else "")
        if note.startswith("> "):
            n_cell = note
        lines.append(f"| {row_name} | {lead_cell} | {k_cell} | {n_cell} |")
    ltot = sum(lead.get("stages", {}).values())
    ktot = sum(v for k, v in kst.items() if k != "betweenness")
    ntot = sum(v for k, v in nst.items() if k != "betweenness")
    if "kernels" not in result:  # --only leadnet
        lines.append(f"| **total (stages)** | **{ltot:.1f}** | not run | not run |")
        lines.append(f"| wall, with start-up | {lead.get('wall', 0):.1f} | – | – |")
        lines.append(f"| peak memory (MB) | {lead.get('maxrss_mb', 0):.0f} | – | – |")
    else:
        lines.append(f"| **total (stages)** | **{ltot:.1f}** | **{ktot:.1f}** | **{ntot:.1f}** |")
        lines.append(f"| wall, with start-up | {lead.get('wall', 0):.1f} | {kern.get('wall', 0):.1f} | "
                     f"{nxr.get('wall', 0):.1f} |")  # fmt: skip
        peaks = [r.get("maxrss_mb", 0) for r in (lead, kern, nxr)]
        lines.append("| peak memory (MB) | " + " | ".join(f"{m:.0f}" for m in peaks) + " |")
    lines.append("")
    if ktot and ntot:
        lines.append(
            f"leadnet / kernels = **{ltot / ktot:.2f}×**; networkx / leadnet = **{ntot / ltot:.1f}×**."
        )
    silos = lead.get("methods", {}).get("silos", {})
    found = lead.get("methods", {}).get("communities", {})
    lines.append(f"Betweenness: {cent}. E-I permutations used: {silos.get('ei_permutations')} "
                 f"(configured {silos.get('ei_permutations_configured')}). Leiden: {found.get('runs', 5)} "
                 f"runs, iterations {found.get('iterations', 'to convergence')}, stability ARI "
                 f"{found.get('stability_ari')}.")  # fmt: skip
    return "\n".join(lines) + "\n"


def _with_betweenness(stages: dict[str, float]) -> dict[str, float]:
    """Stage times with betweenness also counted inside centrality (as leadnet's stage is)."""
    out = dict(stages)
    if "betweenness" in out:
        out["centrality"] = out.get("centrality", 0.0) + out["betweenness"]
    return out


def write_readme(results: list[dict]) -> None:
    readme = HERE / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.exists() else ""
    marker = "<!-- results -->"
    head = text.split(marker)[0] if marker in text else text
    body = f"{marker}\n" + "\n".join(table(r) for r in results)  # each table names its machine
    readme.write_text(head + body, encoding="utf-8")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        leadnet_child(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", action="append", choices=sorted(SIZES), required=True)
    parser.add_argument("--from-results", action="store_true", help="rebuild the README from results/*.json")
    parser.add_argument("--only", choices=["leadnet"], default=None)
    parser.add_argument("--stage-limit", type=float, default=900.0, help="networkx stage limit (s)")
    parser.add_argument("--readme", action="store_true", help="save the results and rewrite README.md")
    parser.add_argument("--save", action="store_true", help="save the results in results/<size>.json")
    args = parser.parse_args()
    results = []
    (HERE / "results").mkdir(exist_ok=True)
    if args.from_results:
        saved = [
            json.loads((HERE / "results" / f"{size}.json").read_text(encoding="utf-8")) for size in args.size
        ]
        write_readme(saved)
        return
    for size in args.size:
        result = run_size(size, args.only, args.stage_limit)
        if args.save or args.readme:
            (HERE / "results" / f"{size}.json").write_text(
                json.dumps(result, indent=2, default=str), encoding="utf-8"
            )
        print(table(result))
        results.append(result)
    if args.readme:
        write_readme(results)


if __name__ == "__main__":
    main()
