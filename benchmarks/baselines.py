"""The two baselines `run.py` times against ``leadnet analyse``, each in its own process.

``kernels``: the raw library calls doing leadnet's work and nothing else — pyarrow CSV
reading, igraph (pagerank, betweenness from the same sources, constraint, local
transitivity, Leiden × the same number of seeded runs), scipy sparse products for
brokerage, numpy for the E-I permutations (the same count), pyarrow CSV writing.

``networkx``: a plain pandas + networkx pipeline computing the same outputs (degree,
strength, PageRank, sampled betweenness ``betweenness_centrality(k=pivots)``, Burt
constraint and effective size, Louvain, Gould–Fernandez brokerage with a pandas self-join,
participation, E-I with pandas permutations, roles, CSV). Slow stages are capped: a stage
is first timed on a small sample (pivots, nodes, permutations) and extrapolated when the
full run would pass the stage limit; such figures are marked ``~`` (extrapolated) and a
stage cut by the limit is reported as ``> N s``.

Each prints one JSON object: ``{"stages": {name: seconds}, "notes": {...}, "maxrss_mb": ...}``.
"""

from __future__ import annotations

import json
import resource
import signal
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd


class StageTimeout(Exception):
    pass


def _alarm(_signum: int, _frame: Any) -> None:
    raise StageTimeout


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Clock:
    def __init__(self) -> None:
        self.stages: dict[str, float] = {}
        self.notes: dict[str, str] = {}

    def run(self, name: str, func: Any, *args: Any, limit: float | None = None) -> Any:
        start = time.perf_counter()
        if limit:
            signal.signal(signal.SIGALRM, _alarm)
            signal.alarm(int(limit))
        try:
            return func(*args)
        except StageTimeout:
            self.notes[name] = f"> {int(limit or 0)} s (stopped at the stage limit)"
            return None
        finally:
            if limit:
                signal.alarm(0)
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - start

    def add(self, name: str, seconds: float, note: str) -> None:
        self.stages[name] = self.stages.get(name, 0.0) + seconds
        self.notes[name] = note


def read_inputs(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    people = pd.read_csv(folder / "people.csv", dtype=str, keep_default_na=False)
    survey = pd.read_csv(
        folder / "survey.csv", dtype={"respondent": str, "nominee": str}, keep_default_na=False
    )
    return people, survey


# ----------------------------------------------------------------------------- kernels


def kernels(folder: Path, params: dict[str, Any]) -> dict[str, Any]:
    import igraph as ig
    import pyarrow as pa
    import pyarrow.csv as pacsv
    from scipy import sparse

    clock = Clock()

    def read() -> tuple[Any, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        opts = pacsv.ConvertOptions(strings_can_be_null=False)
        people = pacsv.read_csv(folder / "people.csv", convert_options=opts)
        survey = pacsv.read_csv(folder / "survey.csv", convert_options=opts)
        ids = pd.Index(people["employee_id"].to_numpy(zero_copy_only=False))
        src = ids.get_indexer(survey["respondent"].to_numpy(zero_copy_only=False))
        dst = ids.get_indexer(survey["nominee"].to_numpy(zero_copy_only=False))
        units = pd.factorize(people["directorate"].to_numpy(zero_copy_only=False), sort=True)[0]
        return people, src, dst, survey["frequency"].to_numpy().astype(float), units

    people, src, dst, weight, units = clock.run("read inputs", read)
    n = len(people)

    def build() -> Any:
        g = ig.Graph(n=n, edges=np.column_stack([src, dst]), directed=True)
        g.es["weight"] = weight
        return g

    g = clock.run("graph", build)
    sources = params["sources"]

    def cent() -> None:
        g.indegree(), g.outdegree(), g.strength(mode="in", weights="weight")
        g.strength(mode="out", weights="weight")
        g.pagerank(directed=True, damping=0.85, weights="weight")
        clock.notes["centrality"] = (
            "igraph degree, strength, pagerank, constraint, transitivity_local_undirected"
        )

    clock.run("centrality", cent)
    lengths = (1.0 / weight).tolist()
    clock.run("betweenness", lambda: g.betweenness(directed=True, weights=lengths, sources=sources))
    clock.run("centrality", lambda: g.constraint(weights="weight"))
    clock.run(
        "centrality", lambda: g.as_undirected(mode="collapse").transitivity_local_undirected(mode="zero")
    )

    def communities() -> None:
        import random

        und = g.as_undirected(mode="collapse", combine_edges="sum")
        for seed in range(params["leiden_runs"]):
            ig.set_random_number_generator(random.Random(seed))
            und.community_leiden(
                objective_function="modularity",
                weights="weight",
                n_iterations=params.get("leiden_iterations", -1),
            )

    clock.run("communities", communities)

    def broker() -> None:
        adj = sparse.csr_array((np.ones(len(src)), (src, dst)), shape=(n, n))
        member = sparse.csr_array((np.ones(n), (np.arange(n), units)), shape=(n, int(units.max()) + 1))
        (adj.T @ member).multiply(adj @ member).sum(axis=1)
        adj.multiply(adj.T).sum(axis=0)
        und = g.as_undirected(mode="collapse")
        und.list_triangles()

    clock.run("brokerage", broker)

    def permutations() -> None:
        rng = np.random.default_rng(0)
        k = int(units.max()) + 1
        labels = units.astype(np.int32)
        for _ in range(params["permutations"]):
            perm = rng.permutation(labels)
            ls = perm[src]
            inside = ls == perm[dst]
            np.bincount(ls[inside], minlength=k)
            np.bincount(perm, weights=None, minlength=k)

    clock.run("silos", permutations)
    clock.notes["silos"] = f"numpy, {params['permutations']} permutations"

    def write() -> None:
        table = pa.table({f"c{i}": np.random.default_rng(i).random(n) for i in range(20)})
        pacsv.write_csv(table, params["scratch"] + "/kernel_people.csv")

    clock.run("write files", write)
    return {"stages": clock.stages, "notes": clock.notes, "maxrss_mb": maxrss_mb()}


# ----------------------------------------------------------------------------- networkx


def networkx_pipeline(folder: Path, params: dict[str, Any]) -> dict[str, Any]:
    import networkx as nx

    clock = Clock()
    limit = params["stage_limit"]

    def read() -> tuple[pd.DataFrame, pd.DataFrame, Any]:
        people, survey = read_inputs(folder)
        survey["frequency"] = survey["frequency"].astype(float)
        graph = nx.DiGraph()
        graph.add_nodes_from(people["employee_id"])
        graph.add_weighted_edges_from(survey[["respondent", "nominee", "frequency"]].itertuples(index=False))
        for _, _, data in graph.edges(data=True):
            data["distance"] = 1.0 / data["weight"]
        return people, survey, graph

    people, survey, graph = clock.run("read inputs", read)
    n = len(people)
    unit_of = dict(zip(people["employee_id"], people["directorate"], strict=True))

    def cent() -> None:
        dict(graph.in_degree()), dict(graph.out_degree())
        dict(graph.in_degree(weight="weight")), dict(graph.out_degree(weight="weight"))
        nx.pagerank(graph, alpha=0.85, weight="weight")

    clock.run("centrality", cent, limit=limit)
    _nx_betweenness(clock, graph, params, limit)
    _nx_constraint(clock, graph, n, limit)
    _nx_louvain(clock, graph, params, limit)
    clock.run("brokerage", _pandas_brokerage, survey, unit_of, limit=limit)
    _pandas_permutations(clock, survey, people, params, limit)

    def roles() -> None:
        degree = survey.groupby("nominee").size().reindex(people["employee_id"], fill_value=0)
        degree.rank(method="min", ascending=False)
        people.assign(d=degree.to_numpy()).groupby("directorate")["d"].agg(["sum", "mean", "median"])

    clock.run("roles/indices", roles, limit=limit)
    clock.run("write files", lambda: people.to_csv(params["scratch"] + "/nx_people.csv", index=False))
    return {"stages": clock.stages, "notes": clock.notes, "maxrss_mb": maxrss_mb()}


def _nx_betweenness(clock: Clock, graph: Any, params: dict[str, Any], limit: float) -> None:
    import networkx as nx

    pivots = params["pivots"] or graph.number_of_nodes()
    probe = min(pivots, 10)
    start = time.perf_counter()
    nx.betweenness_centrality(graph, k=probe, weight="distance", seed=0)
    per = (time.perf_counter() - start) / probe
    if per * pivots <= limit:
        clock.run(
            "betweenness", lambda: nx.betweenness_centrality(graph, k=pivots, weight="distance", seed=0)
        )
    else:
        clock.add("betweenness", per * pivots, f"~ extrapolated from k={probe} to k={pivots}")


def _nx_constraint(clock: Clock, graph: Any, n: int, limit: float) -> None:
    import networkx as nx

    if n <= 20_000:
        clock.run("centrality", lambda: (nx.constraint(graph, weight="weight"), nx.effective_size(graph)))
        return
    sample = list(np.random.default_rng(0).choice(list(graph.nodes), size=1000, replace=False))
    start = time.perf_counter()
    nx.constraint(graph, nodes=sample, weight="weight")
    nx.effective_size(graph, nodes=sample)
    clock.add(
        "centrality",
        (time.perf_counter() - start) * n / 1000,
        "constraint + effective size ~ extrapolated from 1000 sampled people",
    )


def _nx_louvain(clock: Clock, graph: Any, params: dict[str, Any], limit: float) -> None:
    import networkx as nx

    def one() -> None:
        und = nx.Graph()
        und.add_nodes_from(graph.nodes)
        for a, b, w in graph.edges(data="weight"):
            und.add_edge(a, b, weight=und[a][b]["weight"] + w if und.has_edge(a, b) else w)
        nx.community.louvain_communities(und, weight="weight", seed=0)

    start = time.perf_counter()
    clock.run("communities", one, limit=limit)
    runs = params["leiden_runs"]
    if "communities" not in clock.notes:
        clock.add(
            "communities", (time.perf_counter() - start) * (runs - 1), f"1 Louvain run timed, × {runs} seeds"
        )


def _pandas_brokerage(survey: pd.DataFrame, unit_of: dict[str, str]) -> None:
    arcs = survey[["respondent", "nominee"]].rename(columns={"respondent": "a", "nominee": "b"})
    paths = arcs.merge(arcs.rename(columns={"a": "b", "b": "c"}), on="b")
    paths = paths[paths["a"] != paths["c"]]
    closed = paths.merge(arcs.rename(columns={"b": "c"}), on=["a", "c"], how="left", indicator=True)
    paths = closed[closed["_merge"] == "left_only"]
    ga, gb, gc = (paths[c].map(unit_of) for c in ("a", "b", "c"))
    role = np.select(
        [(ga == gb) & (gb == gc), gb == gc, ga == gb, ga == gc],
        ["coord", "gate", "rep", "consult"],
        "liaison",
    )
    paths.assign(role=role).groupby(["b", "role"]).size().unstack(fill_value=0)
    both = pd.concat([arcs.rename(columns={"a": "p", "b": "q"}), arcs.rename(columns={"b": "p", "a": "q"})])
    both = both.drop_duplicates().assign(unit=lambda f: f["q"].map(unit_of))
    share = both.groupby(["p", "unit"]).size() / both.groupby("p").size()
    (share**2).groupby(level=0).sum()


def _pandas_permutations(
    clock: Clock, survey: pd.DataFrame, people: pd.DataFrame, params: dict[str, Any], limit: float
) -> None:
    units = people.set_index("employee_id")["directorate"]
    rng = np.random.default_rng(0)

    def one() -> None:
        shuffled = pd.Series(rng.permutation(units.to_numpy()), index=units.index)
        a, b = survey["respondent"].map(shuffled), survey["nominee"].map(shuffled)
        internal = a[a == b].value_counts()
        ends = pd.concat([a, b]).value_counts()
        (
            (ends - 3 * internal.reindex(ends.index, fill_value=0))
            / (ends - internal.reindex(ends.index, fill_value=0))
        )

    total = params["permutations"]
    probe = min(total, 5)
    start = time.perf_counter()
    for _ in range(probe):
        one()
    per = (time.perf_counter() - start) / probe
    observed = time.perf_counter()
    one()  # the observed E-I
    per_obs = time.perf_counter() - observed
    if per * total <= limit:
        clock.run("silos", lambda: [one() for _ in range(total - probe)])
        clock.add("silos", per * probe + per_obs, f"pandas, {total} permutations")
    else:
        clock.add(
            "silos", per * total + per_obs, f"~ pandas, extrapolated from {probe} to {total} permutations"
        )


def main() -> None:
    which, folder, params = sys.argv[1], Path(sys.argv[2]), json.loads(sys.argv[3])
    result = kernels(folder, params) if which == "kernels" else networkx_pipeline(folder, params)
    print("RESULT " + json.dumps(result))


if __name__ == "__main__":
    main()
