"""Synthetic organisations at chosen sizes, written as a leadnet project (roster + survey).

Structure, all drawn with vectorised numpy (no Python loop over people or ties):

- **units**: sizes drawn from a log-normal (a few big directorates, many small teams),
  about ``people / unit_size`` of them;
- **hierarchy**: inside each unit people form a ``span``-ary tree (the first member heads
  it); unit heads report to person 0 (the chief executive). ``band_level`` is the depth
  (1 = top), ``manager`` the parent, so managers and levels are consistent;
- **ties** (survey nominations ``respondent → nominee``): out-degrees are negative
  binomial around ``ties / people`` (some people name nobody); each nomination goes to
  the respondent's own manager with probability ``p_manager``, else inside the unit with
  probability ``homophily`` (units with homophily), else anywhere; targets are drawn in
  proportion to a Pareto "attractiveness" (skewed in-degree: a few people are sought out
  by many) boosted for managers and higher levels;
- **frequency** 1–5 (skewed to low values) as the tie strength.

Repeated (respondent, nominee) pairs and self-nominations are dropped before writing, so
the file is clean and the tie count is close to the one asked for.

Usage::

    python benchmarks/generate.py --people 100000 --ties 1000000 --out benchmarks/data/100k
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

TOML = """[project]
name = "synthetic-{people}"
purpose = "leadnet benchmark: synthetic organisation of {people} people"

[people]
path = "people.csv"
columns = {{ person_id = "employee_id", unit = "directorate", level = "band_level", manager_id = "manager" }}
top_level = "min"

[[sources]]
kind = "survey"
path = "survey.csv"
relation = "advice"
columns = {{ source = "respondent", target = "nominee", relation = "question", weight = "frequency" }}

[analysis]
seed = 0
min_group_size = 5
"""


def person_ids(n: int) -> np.ndarray:
    """``E0000001``-style ids (sorted order = index order)."""
    width = max(7, len(str(n)))
    return np.char.add("E", np.char.zfill(np.arange(1, n + 1).astype(str), width))


def units_and_hierarchy(
    n: int, rng: np.random.Generator, unit_size: float, span: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unit code, level (1 = top) and manager index (-1 for the chief) of every person."""
    k = max(1, int(round(n / unit_size)))
    raw = rng.lognormal(mean=0.0, sigma=0.8, size=k)
    sizes = np.maximum(1, np.floor(raw / raw.sum() * (n - 1))).astype(np.int64)
    sizes[np.argmax(sizes)] += (n - 1) - sizes.sum()  # person 0 is the chief, outside every unit
    unit = np.concatenate([[0], np.repeat(np.arange(k), sizes)])
    starts = np.concatenate([[1], 1 + np.cumsum(sizes)[:-1]])
    local = np.arange(n) - starts[unit]
    local[0] = 0
    parent_local = (local - 1) // span
    manager = np.where(local > 0, starts[unit] + parent_local, 0)
    manager[0] = -1
    # depth in a complete span-ary tree: level of local index j is floor(log_span(j (span-1) + 1))
    depth = np.floor(np.log(local * (span - 1) + 1) / np.log(span) + 1e-9).astype(np.int64)
    level = np.where(np.arange(n) == 0, 1, depth + 2)
    return unit, level, manager


def _weighted_pick(
    groups: np.ndarray, group_of: np.ndarray, order: np.ndarray, cum: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """For each entry of ``groups``, one person of that group drawn in proportion to weight.

    ``order`` lists people sorted by group, ``cum`` the cumulative weight along it;
    a group's people occupy one contiguous range, so one uniform draw and a binary search
    pick a person in proportion to weight.
    """
    lo = np.searchsorted(group_of[order], groups, side="left")
    hi = np.searchsorted(group_of[order], groups, side="right")
    base = np.where(lo > 0, cum[np.maximum(lo - 1, 0)], 0.0)
    top = cum[hi - 1]
    u = base + rng.random(len(groups)) * (top - base)
    pos = np.searchsorted(cum, u, side="right")
    return order[np.clip(pos, lo, hi - 1)]


def nominations(
    n: int,
    m: int,
    unit: np.ndarray,
    level: np.ndarray,
    manager: np.ndarray,
    rng: np.random.Generator,
    homophily: float,
    p_manager: float,
) -> tuple[np.ndarray, np.ndarray]:
    """About ``m`` distinct (source, target) index pairs, no self-ties."""
    attract = (rng.pareto(2.0, size=n) + 1.0) * np.where(np.isin(np.arange(n), manager), 2.0, 1.0)
    attract *= 1.0 + 1.0 / level
    order = np.argsort(unit, kind="stable")
    cum = np.cumsum(attract[order])
    everyone = np.zeros(n, dtype=np.int64)
    keys = np.zeros(0, dtype=np.int64)
    for _ in range(4):  # top up rounds: repeated pairs are dropped, so draw again until m are distinct
        extra = _draw(
            n, int((m - len(keys)) * 1.1) + 16, unit, manager, order, cum, everyone, rng, homophily, p_manager
        )
        keys = np.union1d(keys, extra)
        if len(keys) >= m:
            break
    if len(keys) > m:
        keys = np.sort(rng.choice(keys, size=m, replace=False))
    return keys // n, keys % n


def _draw(
    n: int,
    m: int,
    unit: np.ndarray,
    manager: np.ndarray,
    order: np.ndarray,
    cum: np.ndarray,
    everyone: np.ndarray,
    rng: np.random.Generator,
    homophily: float,
    p_manager: float,
) -> np.ndarray:
    """About ``m`` nominations as distinct keys source * n + target (self-ties dropped)."""
    out_deg = rng.negative_binomial(2, 2 / (2 + m / n), size=n)
    src = np.repeat(np.arange(n), out_deg)
    draw = rng.random(len(src))
    to_manager = (draw < p_manager) & (manager[src] >= 0)
    in_unit = ~to_manager & (draw < p_manager + homophily)
    dst = np.empty(len(src), dtype=np.int64)
    dst[to_manager] = manager[src[to_manager]]
    dst[in_unit] = _weighted_pick(unit[src[in_unit]], unit, order, cum, rng)
    rest = ~to_manager & ~in_unit
    dst[rest] = _weighted_pick(np.zeros(int(rest.sum()), np.int64), everyone, order, cum, rng)
    keep = src != dst
    return np.unique(src[keep] * n + dst[keep])


def generate(
    people: int,
    ties: int,
    out: Path,
    *,
    seed: int = 0,
    unit_size: float = 40.0,
    span: int = 6,
    homophily: float = 0.65,
    p_manager: float = 0.08,
) -> dict[str, float]:
    """Write ``people.csv``, ``survey.csv`` and ``leadnet.toml`` into ``out``; returns timings."""
    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    unit, level, manager = units_and_hierarchy(people, rng, unit_size, span)
    src, dst = nominations(people, ties, unit, level, manager, rng, homophily, p_manager)
    freq = np.minimum(5, 1 + rng.geometric(0.5, size=len(src)) - 1).astype(np.int64)
    freq = np.maximum(freq, 1)
    t1 = time.perf_counter()
    ids = person_ids(people)
    unit_names = np.char.add("Unit ", np.char.zfill(unit.astype(str), 5))
    unit_names[0] = "Executive"
    out.mkdir(parents=True, exist_ok=True)
    roster = pa.table(
        {
            "employee_id": pa.array(ids),
            "directorate": pa.array(unit_names),
            "band_level": pa.array(level.astype(str)),
            "manager": pa.array(np.where(manager >= 0, ids[np.maximum(manager, 0)], "")),
        }
    )
    survey = pa.table(
        {
            "respondent": pa.DictionaryArray.from_arrays(pa.array(src), pa.array(ids)),
            "nominee": pa.DictionaryArray.from_arrays(pa.array(dst), pa.array(ids)),
            "question": pa.array(np.full(len(src), "advice")),
            "frequency": pa.array(freq),
        }
    )
    options = pacsv.WriteOptions(quoting_style="none")
    pacsv.write_csv(roster, out / "people.csv", write_options=options)
    pacsv.write_csv(survey.cast(_plain(survey.schema)), out / "survey.csv", write_options=options)
    (out / "leadnet.toml").write_text(TOML.format(people=people), encoding="utf-8")
    t2 = time.perf_counter()
    return {"people": people, "ties": int(len(src)), "generate_s": t1 - t0, "write_s": t2 - t1}


def _plain(schema: pa.Schema) -> pa.Schema:
    return pa.schema(
        [pa.field(f.name, pa.string() if pa.types.is_dictionary(f.type) else f.type) for f in schema]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, required=True)
    parser.add_argument("--ties", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    info = generate(args.people, args.ties, args.out, seed=args.seed)
    print(
        f"{info['people']:,} people, {info['ties']:,} ties: generated in {info['generate_s']:.1f} s, "
        f"written in {info['write_s']:.1f} s to {args.out}"
    )


if __name__ == "__main__":
    main()
