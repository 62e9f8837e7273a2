"""Riverside: a synthetic hospital trust with planted leadership structure.

Advice nominations are drawn without replacement with the Gumbel top-k trick
(Kool, van Hoof & Welling 2019) from a stochastic block model (Holland, Laskey &
Leinhardt 1983) with unit homophily, level proximity and right-skewed popularity.
E-mail and membership files follow the advice network (:mod:`leadnet.traces`).
Output is a pure function of the seed: same seed, byte-identical files.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from leadnet.samples.riverside_text import DESCRIPTION, README, TOML
from leadnet.traces import write_traces

# --- Riverside: the organisation ----------------------------------------------------------------------

SILOS = ("Diagnostics", "Estates & Facilities")
GROUPS = ("Medical", "Nursing", "AHP", "Healthcare Science", "Admin", "Estates")
LEVELS = {1: "Chief Executive", 2: "Director (head of unit)", 3: "Senior manager / consultant",
          4: "Team leader / senior practitioner", 5: "Front-line staff"}  # fmt: skip
CEO_UNIT = "Workforce & OD"
CORPORATE = ("Finance", "Workforce & OD", "Estates & Facilities")


@dataclass(frozen=True)
class _Unit:
    name: str
    size: int  # staff including the head, excluding the Chief Executive
    groups: tuple[float, ...]  # staff-group mix, in GROUPS order
    leaders: int  # planted informal leaders
    spanners: int  # planted boundary spanners
    spanner_manages: bool  # the unit's spanner is a (level 3-4) manager
    cohort: int  # programme participants


UNITS = (
    _Unit("Emergency Care", 80, (0.25, 0.5, 0.1, 0, 0.15, 0), 2, 1, False, 7),
    _Unit("Medicine", 120, (0.25, 0.5, 0.12, 0, 0.13, 0), 2, 1, True, 11),
    _Unit("Surgery", 105, (0.3, 0.45, 0.1, 0, 0.15, 0), 2, 1, True, 9),
    _Unit("Women & Children", 75, (0.2, 0.6, 0.05, 0, 0.15, 0), 2, 1, False, 6),
    _Unit("Diagnostics", 65, (0.1, 0.05, 0.25, 0.45, 0.15, 0), 1, 2, False, 4),
    _Unit("Finance", 40, (0, 0, 0, 0, 1, 0), 1, 1, False, 4),
    _Unit("Workforce & OD", 45, (0, 0.1, 0, 0, 0.9, 0), 1, 1, False, 5),
    _Unit("Estates & Facilities", 69, (0, 0, 0, 0, 0.2, 0.8), 1, 2, False, 4),
)
_FIRST = """Aaliyah Aaron Abdul Ada Adaeze Aisha Alex Amara Amir Ana Andrew Anil Ben Bethan Callum Carmen
Chen Chloe Connor Daniel Deepa Dylan Eilidh Elena Emeka Emma Erin Fatima Finn Freya Gareth Grace Hamza Hannah
Harpreet Ibrahim Imogen Isaac Jack Jasmine Joseph Kai Kemi Laura Leah Liam Lucy Mei Mohammed Nadia Niamh
Oliver Omar Priya Rhys Rosa Ruth Sam Sanjay Sofia Tariq Tom Yusuf Zara"""
_LAST = """Adams Ahmed Ali Allen Baker Begum Bell Brown Campbell Chan Clarke Davies Edwards Evans Fisher
Foster Green Gupta Hall Harris Hughes Hussain Jackson James Jones Kaur Khan Kelly Lee Lewis Martin Mensah
Mitchell Moore Morgan Murphy Nguyen Okafor Owen Patel Phillips Price Reid Roberts Robinson Shah Singh Smith
Taylor Thomas Thompson Turner Walker Ward Watson White Williams Wilson Wood Wright Young Zhang"""
FIRST, LAST = tuple(_FIRST.split()), tuple(_LAST.split())


def _hierarchy(rng: np.random.Generator, size: int, start: int) -> tuple[np.ndarray, np.ndarray]:
    """Levels and manager indices of one unit whose head (index ``start``) reports to person 0."""
    n3 = int(np.clip(round(size * 0.085), 5, 10))
    n4 = round(size * 0.25)
    n5 = size - 1 - n3 - n4
    idx3 = start + 1 + np.arange(n3)
    idx4 = idx3[-1] + 1 + np.arange(n4)
    mgr3 = np.sort(rng.choice(idx3, -(-n4 // 6), replace=False))
    mgr4 = np.sort(rng.choice(idx4, -(-n5 // 7), replace=False))
    manager = np.concatenate([[0], np.full(n3, start), mgr3[rng.permutation(n4) % mgr3.size],
                              mgr4[rng.permutation(n5) % mgr4.size]])  # fmt: skip
    level = np.repeat([2, 3, 4, 5], [1, n3, n4, n5])
    return level, manager


def _roster(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """People as parallel arrays; index 0 is the Chief Executive."""
    unit, level, manager, group = [UNITS.index(next(u for u in UNITS if u.name == CEO_UNIT))], [1], [-1], [4]
    for k, spec in enumerate(UNITS):
        lv, mg = _hierarchy(rng, spec.size, len(unit))
        unit += [k] * spec.size
        level += lv.tolist()
        manager += mg.tolist()
        group += rng.choice(len(GROUPS), spec.size, p=np.array(spec.groups) / sum(spec.groups)).tolist()
    people = {"unit": np.array(unit), "level": np.array(level), "manager": np.array(manager)}
    people["group"] = np.array(group)
    people["is_manager"] = np.isin(np.arange(len(unit)), people["manager"])
    names = rng.choice(len(FIRST) * len(LAST), len(unit), replace=False)
    people["first"], people["last"] = names // len(LAST), names % len(LAST)
    people["id_order"] = rng.permutation(len(unit))  # employee numbers do not follow the org chart
    return people


def _pick(rng: np.random.Generator, pool: np.ndarray, k: int, level: np.ndarray, balance: float) -> list[int]:
    """``k`` of ``pool``; chance ∝ (pool size at the level) ** -balance, so 1 makes levels equally likely."""
    _, inverse, counts = np.unique(level[pool], return_inverse=True, return_counts=True)
    chance = counts[inverse] ** -balance
    return sorted(rng.choice(pool, k, replace=False, p=chance / chance.sum()).tolist())


def _plant(rng: np.random.Generator, p: dict[str, np.ndarray]) -> dict[str, list[int]]:
    """Choose informal leaders, spanners (bridges in silos), cohort and comparison group."""
    roles: dict[str, list[int]] = {"leaders": [], "spanners": [], "bridges": [], "cohort": []}
    for k, spec in enumerate(UNITS):
        mine = (p["unit"] == k) & (p["level"] >= 3)
        span_pool = np.flatnonzero(mine & (p["level"] <= 4) & (p["is_manager"] == spec.spanner_manages))
        spanners = _pick(rng, span_pool, spec.spanners, p["level"], 0.0)
        lead_pool = np.setdiff1d(np.flatnonzero(mine & ~p["is_manager"]), spanners)
        leaders = _pick(rng, lead_pool, spec.leaders, p["level"], 1.0)
        cohort_pool = np.setdiff1d(np.flatnonzero(mine), spanners + leaders)
        roles["cohort"] += _pick(rng, cohort_pool, spec.cohort, p["level"], 0.5)
        roles["spanners"] += spanners
        roles["leaders"] += leaders
        roles["bridges"] += spanners if spec.name in SILOS else []
    roles["comparison"] = _match(rng, p, roles)
    return roles


def _match(rng: np.random.Generator, p: dict[str, np.ndarray], roles: dict[str, list[int]]) -> list[int]:
    """One non-participant per participant, same unit, level and manager status where possible."""
    taken = np.zeros(p["unit"].size, bool)
    taken[roles["leaders"] + roles["spanners"] + roles["cohort"]] = True
    chosen = []
    for i in roles["cohort"]:
        same = (p["unit"] == p["unit"][i]) & ~taken
        for extra in ((p["level"] == p["level"][i]) & (p["is_manager"] == p["is_manager"][i]),
                      p["level"] == p["level"][i], p["level"] >= 3):  # fmt: skip
            pool = np.flatnonzero(same & extra)
            if pool.size:
                break
        j = int(rng.choice(pool))
        taken[j] = True
        chosen.append(j)
    return sorted(chosen)


# --- Riverside: the advice network ----------------------------------------------------------------------


def _advice_weights(
    p: dict[str, np.ndarray], roles: dict[str, list[int]], rng: np.random.Generator
) -> np.ndarray:
    """Row-stochastic-ish choice weights: W[i, j] = how likely i is to ask j for advice."""
    n, unit, k = p["unit"].size, p["unit"], len(UNITS)
    appeal = rng.lognormal(0.0, 0.5, n) * np.where(p["is_manager"], 1.8, 1.0)
    appeal[roles["leaders"]] = 10.0
    appeal[roles["spanners"]] = 1.0
    gap = p["level"][None, :] - p["level"][:, None]
    base = appeal[None, :] * np.exp(-0.6 * np.abs(gap)) * np.where(gap < 0, 1.6, 1.0)
    silo = np.isin(unit, [u for u, s in enumerate(UNITS) if s.name in SILOS])
    external = np.where(silo, 0.04, 1.0)
    external[roles["spanners"]] = 6.0
    same = unit[:, None] == unit[None, :]
    base = base * np.where(same, 1.0, external[None, :])
    np.fill_diagonal(base, 0.0)
    onehot = (unit[:, None] == np.arange(k)[None, :]).astype(float)
    sizes = onehot.sum(axis=0) * np.where(np.isin(np.arange(k), unit[silo]), 0.3, 1.0)
    stay = np.where(silo, 0.985, 0.8)
    stay[roles["spanners"]] = 0.15
    mix = np.where(onehot > 0, 0.0, sizes[None, :])
    mix[roles["spanners"]] **= 0.5  # spanners spread their outside ties over more units
    mix = mix / mix.sum(axis=1, keepdims=True) * (1 - stay)[:, None] + onehot * stay[:, None]
    weights = base * (mix / (base @ onehot))[:, unit]
    has_mgr = p["manager"] >= 0
    weights[np.flatnonzero(has_mgr), p["manager"][has_mgr]] += 0.3
    return weights


def _draw(rng: np.random.Generator, weights: np.ndarray, k: np.ndarray, exclude: np.ndarray) -> np.ndarray:
    """Draw ``k[i]`` distinct targets for each row i ∝ weights, skipping ``exclude``: (m, 2) arcs."""
    with np.errstate(divide="ignore"):
        scores = np.log(np.where(exclude, 0.0, weights)) + rng.gumbel(size=weights.shape)
    kmax = int(k.max(initial=0))
    cols = np.argsort(-scores, axis=1, kind="stable")[:, :kmax]
    keep = np.arange(kmax)[None, :] < k[:, None]
    rows = np.broadcast_to(np.arange(weights.shape[0])[:, None], cols.shape)
    arcs = np.column_stack([rows[keep], cols[keep]])
    return arcs[np.isfinite(scores[arcs[:, 0], arcs[:, 1]])]


def _frequency(
    rng: np.random.Generator, p: dict[str, np.ndarray], arcs: np.ndarray, shift: float
) -> np.ndarray:
    """Likert 1 (yearly) .. 5 (daily): higher inside units and towards one's own manager."""
    src, tgt = arcs[:, 0], arcs[:, 1]
    mean = 2.4 + shift + 0.8 * (p["unit"][src] == p["unit"][tgt]) + 1.0 * (p["manager"][src] == tgt)
    return np.clip(np.rint(mean + rng.normal(0.0, 0.9, src.size)), 1, 5).astype(int)


def _collaboration(rng: np.random.Generator, advice: np.ndarray, answered: np.ndarray) -> np.ndarray:
    """Sparser, mostly mutual relation: 40% of advice arcs, plus 25% of reversed ones."""
    forward = advice[rng.random(len(advice)) < 0.4]
    back = advice[rng.random(len(advice)) < 0.25][:, ::-1]
    arcs = np.unique(np.vstack([forward, back]), axis=0)
    return arcs[answered[arcs[:, 0]]]


def _nonrespondents(
    rng: np.random.Generator, n: int, protected: list[int], previous: np.ndarray
) -> np.ndarray:
    """About 8% who answered nothing; a quarter of the previous wave's are replaced."""
    pool = np.setdiff1d(np.arange(n), protected)
    keep = previous[rng.random(previous.size) < 0.75] if previous.size else previous
    fresh = rng.choice(np.setdiff1d(pool, previous), round(0.08 * n) - keep.size, replace=False)
    return np.sort(np.concatenate([keep, fresh]))


def _waves(rng: np.random.Generator, p: dict[str, np.ndarray], roles: dict[str, list[int]]) -> dict[str, Any]:
    """Before and after advice arcs (with frequencies) and the non-respondents of each wave."""
    n = p["unit"].size
    weights = _advice_weights(p, roles, rng)
    degree = 3 + np.minimum(rng.poisson(1.6, n), 5)
    degree[roles["spanners"]] = rng.integers(9, 12, len(roles["spanners"]))
    protected = roles["leaders"] + roles["spanners"] + roles["cohort"] + roles["comparison"]
    silent = [_nonrespondents(rng, n, protected, np.array([], int))]
    silent.append(_nonrespondents(rng, n, protected, silent[0]))
    before = _draw(rng, weights, np.where(np.isin(np.arange(n), silent[0]), 0, degree), np.eye(n, dtype=bool))
    had = np.zeros((n, n), bool)
    had[before[:, 0], before[:, 1]] = True
    np.fill_diagonal(had, True)
    before_freq = _frequency(rng, p, before, 0.0)
    stays = (rng.random(len(before)) >= 0.10) & ~np.isin(before[:, 0], silent[1])
    kept = before[stays]
    kept_freq = np.clip(before_freq[stays] + rng.choice([-1, 0, 1], stays.sum(), p=[0.1, 0.8, 0.1]), 1, 5)
    redraw = np.where(np.isin(np.arange(n), silent[0]), degree, degree - np.bincount(kept[:, 0], minlength=n))
    churn = _draw(rng, weights, np.where(np.isin(np.arange(n), silent[1]), 0, redraw), had)
    had[churn[:, 0], churn[:, 1]] = True
    gain = np.zeros(n, int)
    gain[roles["cohort"]] = 1 + rng.binomial(4, 0.5, len(roles["cohort"]))
    reach = weights * (p["unit"][:, None] != p["unit"][None, :])
    reach[:, roles["cohort"]] *= 8.0  # participants seek each other out as well as new colleagues
    programme = _draw(rng, reach, gain, had)
    return {"before": (before, before_freq), "silent": silent, "gain": gain,
            "after": (np.vstack([kept, churn, programme]),
                      np.concatenate([kept_freq, _frequency(rng, p, churn, 0.0),
                                      _frequency(rng, p, programme, -0.6)]))}  # fmt: skip


# --- Riverside: the files -------------------------------------------------------------------------------


def _csv(header: list[str], rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(sorted(rows))
    return buffer.getvalue()


def _people_csv(p: dict[str, np.ndarray], ids: np.ndarray) -> str:
    rows = []
    for i in range(ids.size):
        first, last = FIRST[p["first"][i]], LAST[p["last"][i]]
        email = f"{first}.{last}@riverside.example".lower()
        manager = ids[p["manager"][i]] if p["manager"][i] >= 0 else ""
        unit = UNITS[p["unit"][i]].name
        rows.append(
            [ids[i], f"{first} {last}", email, unit, int(p["level"][i]), manager, GROUPS[p["group"][i]]]
        )
    header = ["employee_id", "name", "email", "directorate", "band_level", "manager", "staff_group"]
    return _csv(header, rows)


def _survey_csv(
    rng: np.random.Generator, p: dict[str, np.ndarray], wave: tuple, silent: np.ndarray, ids
) -> str:
    advice, freq = wave
    answered = ~np.isin(np.arange(ids.size), silent)
    collab = _collaboration(rng, advice, answered)
    collab_freq = _frequency(rng, p, collab, 0.3)
    rows = [[ids[s], ids[t], "advice", int(f)] for (s, t), f in zip(advice, freq, strict=True)]
    rows += [[ids[s], ids[t], "collaboration", int(f)] for (s, t), f in zip(collab, collab_freq, strict=True)]
    return _csv(["respondent", "nominee", "question", "frequency"], rows)


def _cross_out(p: dict[str, np.ndarray], arcs: np.ndarray) -> np.ndarray:
    """Cross-unit advice out-ties per person."""
    cross = p["unit"][arcs[:, 0]] != p["unit"][arcs[:, 1]]
    return np.bincount(arcs[cross, 0], minlength=p["unit"].size)


def _effect(p: dict[str, np.ndarray], roles: dict[str, list[int]], waves: dict[str, Any]) -> dict[str, Any]:
    change = _cross_out(p, waves["after"][0]) - _cross_out(p, waves["before"][0])
    cohort, comparison = change[roles["cohort"]].mean(), change[roles["comparison"]].mean()
    return {
        "relation": "advice",
        "measure": "after minus before count of cross-unit advice out-ties per person",
        "planted_mean_new_cross_unit_ties": 3.0,
        "planted_new_ties_cohort_mean": round(float(waves["gain"][roles["cohort"]].mean()), 4),
        "cohort_mean_change": round(float(cohort), 4),
        "comparison_mean_change": round(float(comparison), 4),
        "difference": round(float(cohort - comparison), 4),
        "n_cohort": len(roles["cohort"]),
        "n_comparison": len(roles["comparison"]),
    }


def _bridge_share(
    p: dict[str, np.ndarray], roles: dict[str, list[int]], arcs: np.ndarray
) -> dict[str, float]:
    """Per silo, the share of its cross-unit advice ties that have a bridge at one end."""
    unit = p["unit"][arcs]
    cross = arcs[unit[:, 0] != unit[:, 1]]
    bridged = np.asarray(np.isin(cross, roles["bridges"]).sum(axis=1) > 0)
    share = {}
    for name in SILOS:
        touches = (p["unit"][cross] == [u.name for u in UNITS].index(name)).any(axis=1)
        share[name] = round(float(bridged[touches].mean()), 4)
    return share


def _ground_truth(seed: int, p: dict, roles: dict, waves: dict, ids: np.ndarray) -> dict[str, Any]:
    named = {key: sorted(ids[roles[key]].tolist()) for key in roles}
    by_silo = {
        s: sorted(ids[[i for i in roles["bridges"] if UNITS[p["unit"][i]].name == s]].tolist()) for s in SILOS
    }
    return {
        "seed": seed,
        "units": [u.name for u in UNITS],
        "levels": sorted(LEVELS),
        "level_labels": {str(k): v for k, v in LEVELS.items()},
        "top_level": "min",
        "chief_executive": str(ids[0]),
        "informal_leaders": named["leaders"],
        "boundary_spanners": named["spanners"],
        "silos": list(SILOS),
        "bridges": named["bridges"],
        "bridges_by_silo": by_silo,
        "bridges_share": {w: _bridge_share(p, roles, waves[w][0]) for w in ("before", "after")},
        "bridges_also_boundary_spanners": sorted(set(named["bridges"]) & set(named["spanners"])),
        "cohort": named["cohort"],
        "comparison_group": named["comparison"],
        "programme_effect": _effect(p, roles, waves),
        "non_respondents": {
            w: sorted(ids[s].tolist()) for w, s in zip(("before", "after"), waves["silent"], strict=True)
        },
        "description": DESCRIPTION,
    }


def generate(seed: int) -> dict[str, str]:
    """Every text file of Riverside for ``seed``, by file name."""
    rng = np.random.Generator(np.random.PCG64(seed))
    people = _roster(rng)
    roles = _plant(rng, people)
    waves = _waves(rng, people, roles)
    ids = np.array([f"E{k + 1:04d}" for k in people["id_order"]])
    truth = _ground_truth(seed, people, roles, waves, ids)
    groups = [[ids[i], "cohort"] for i in roles["cohort"]] + [
        [ids[i], "comparison"] for i in roles["comparison"]
    ]
    return {
        "README.md": _readme(truth),
        "cohort.csv": _csv(["person_id", "group"], groups),
        "ground_truth.json": json.dumps(truth, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
        "leadnet.toml": TOML,
        "people.csv": _people_csv(people, ids),
        "survey_after.csv": _survey_csv(rng, people, waves["after"], waves["silent"][1], ids),
        "survey_before.csv": _survey_csv(rng, people, waves["before"], waves["silent"][0], ids),
    }


def _readme(truth: dict[str, Any]) -> str:
    effect = truth["programme_effect"]
    return README.format(
        n=sum(u.size for u in UNITS) + 1, seed=truth["seed"], ceo=truth["chief_executive"], ceo_unit=CEO_UNIT,
        clinical=", ".join(u.name for u in UNITS if u.name not in CORPORATE), corporate=", ".join(CORPORATE),
        levels="; ".join(f"{k} {v}" for k, v in LEVELS.items()), groups=", ".join(GROUPS),
        n_leaders=len(truth["informal_leaders"]), n_spanners=len(truth["boundary_spanners"]),
        silos=" and ".join(SILOS), n_bridges=len(truth["bridges"]), n_cohort=effect["n_cohort"],
        n_comparison=effect["n_comparison"], share_before=min(truth["bridges_share"]["before"].values()),
        share_after=min(truth["bridges_share"]["after"].values()), cohort_change=effect["cohort_mean_change"],
        comparison_change=effect["comparison_mean_change"], difference=effect["difference"],
    )  # fmt: skip


def write_riverside_traces(texts: dict[str, str], out: Path, seed: int) -> tuple[Path, ...]:
    """Write the e-mail and membership files that follow the generated advice waves."""
    people = pd.read_csv(io.StringIO(texts["people.csv"]), dtype=str, keep_default_na=False)
    people = people.rename(columns={"employee_id": "person_id", "directorate": "unit"})
    waves = []
    for wave in ("before", "after"):
        survey = pd.read_csv(io.StringIO(texts[f"survey_{wave}.csv"]), dtype=str, keep_default_na=False)
        advice = survey[survey["question"] == "advice"]
        arcs = {"source": advice["respondent"], "target": advice["nominee"], "period": wave}
        waves.append(pd.DataFrame(arcs))
    return write_traces(people, pd.concat(waves, ignore_index=True), out, seed=seed)
