"""Brokerage between groups: Gould–Fernandez roles, participation, cross-unit share.

A *group* is any partition of the people: formal units, or detected communities. Every
function takes the group label of each vertex, in vertex order (any hashable labels). A
missing label (``None``, ``NaN``, or a negative integer code: :mod:`leadnet.groups`) is an
*unknown* group, never one more group: a two-path is classified only when the groups of
all three people are known, and a person of unknown group has no participation or
cross-unit share (``NaN``), nor is counted in anyone else's.

Gould–Fernandez roles (Gould & Fernandez 1989) classify every *open* two-path
``a → b → c`` (``a ≠ c``, no arc ``a → c``) by the groups of source ``a``, broker ``b``
and target ``c``, exactly as R ``sna::brokerage`` does (Butts 2008; the C routine
``brokerage_R`` counts a two-path only when ``a`` does not reach ``c`` directly):

==============  ===========  ===============================
role            sna column   groups of (a, b, c)
==============  ===========  ===============================
coordinator     ``w_I``      A → A → A
consultant      ``w_O``      A → B → A (itinerant broker)
representative  ``b_IO``     A → A → B (broker in the source's group)
gatekeeper      ``b_OI``     A → B → B (broker in the target's group)
liaison         ``b_O``      A → B → C
==============  ===========  ===============================

(The sna help page swaps the words "gatekeeper" and "representative" against its own C
code and R comments; leadnet follows the code, which is also Gould & Fernandez's usage.)

The graph is read as directed with arcs as given, and tie weights are ignored: brokerage
is about who *can* mediate, not how strongly. Loops and repeated arcs are dropped. On a
leadnet survey an arc ``a → b`` means "a asks b for advice", so a gatekeeper ``b`` is
the person through whom outsiders' requests reach b's own group.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import igraph as ig
import numpy as np
import pandas as pd
from scipy import sparse

from leadnet.edges import edge_array
from leadnet.errors import InputError
from leadnet.groups import group_codes

ROLES: tuple[str, ...] = ("coordinator", "gatekeeper", "representative", "consultant", "liaison")
BROKERAGE_COLUMNS: tuple[str, ...] = ("person_id", *ROLES, "total")


@dataclass(frozen=True)
class Brokerage:
    """Gould–Fernandez brokerage of every person, in vertex order.

    ``counts``, ``expected`` and ``z`` have the columns :data:`BROKERAGE_COLUMNS`;
    ``total`` is the sum of the five roles (sna's ``t``). ``z`` is NaN where the null
    variance is 0 (for example a coordinator in a group of one or two). ``density`` is the
    density used by the null model. A person of unknown group brokers no classified
    two-path (counts 0) and has no null model (``expected`` and ``z`` NaN).
    """

    counts: pd.DataFrame
    expected: pd.DataFrame
    z: pd.DataFrame
    method: str
    density: float


def brokerage(graph: ig.Graph, groups: np.ndarray) -> Brokerage:
    """Count Gould–Fernandez brokerage roles and standardise them against sna's null model.

    Counts use sparse matrix products over the adjacency matrix and igraph's triangle
    listing for the closed two-paths (no Python loop over ties). The
    expected count and variance of each role for a broker in group *i* (sizes ``n``,
    ``N`` people, density ``d``) are those of R ``sna::brokerage``: a Bernoulli random
    digraph with the observed density and the observed groups, where each ordered open
    two-path occurs with probability ``d²(1 − d)``; e.g. coordinator
    ``E = d²(1 − d)(n_i − 1)(n_i − 2)``. ``z = (count − E) / sd``. The null holds the
    groups fixed and randomises the ties; it is not a random reassignment of people to
    groups (sna's help: "conditional on size and density").

    People of unknown group are left out with their ties first: the figures are sna's on
    the network among the people of known group (its size, density and groups), so a
    two-path ``a → b → c`` counts only when ``a``, ``b`` and ``c`` all have a known group.

    Parameters
    ----------
    graph
        Directed graph; vertex attribute ``name`` gives person ids (else the vertex index).
    groups
        Group label of each vertex, in vertex order.

    Returns
    -------
    Brokerage

    Examples
    --------
    The chain x → b → y with x, b in unit "u" and y in unit "v": b is a representative.

    >>> g = ig.Graph(n=3, edges=[(0, 1), (1, 2)], directed=True)
    >>> g.vs["name"] = ["x", "b", "y"]
    >>> b = brokerage(g, np.array(["u", "u", "v"]))
    >>> b.counts.loc[1, ["coordinator", "representative", "gatekeeper", "total"]].tolist()
    [0, 1, 0, 1]

    With y's unit unknown the two-path cannot be classified:

    >>> brokerage(g, np.array(["u", "u", None], dtype=object)).counts["total"].tolist()
    [0, 0, 0]

    References
    ----------
    Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation: a formal approach to
    brokerage in transaction networks. *Sociological Methodology* 19, 89–126.
    Butts, C. T. (2008). Social network analysis with sna. *Journal of Statistical
    Software* 24(6); R package ``sna``, functions ``brokerage`` (R/gli.R) and
    ``brokerage_R`` (src/gli.c).
    """
    codes, sizes = _group_codes(groups, graph.vcount())
    known = codes >= 0
    sub = graph if known.all() else graph.induced_subgraph(np.flatnonzero(known).tolist())
    adj, codes = _adjacency(sub), codes[known]
    n_people = adj.shape[0]
    density = adj.nnz / (n_people * (n_people - 1)) if n_people > 1 else 0.0
    mean, var = _null_moments(sizes, n_people, density)
    counts = np.zeros((len(known), 6), dtype=np.int64)
    expected, z = np.full((len(known), 6), np.nan), np.full((len(known), 6), np.nan)
    counts[known] = _role_counts(sub, adj, codes)
    expected[known] = mean[codes]
    with np.errstate(divide="ignore", invalid="ignore"):
        z[known] = np.where(var[codes] > 0, (counts[known] - mean[codes]) / np.sqrt(var[codes]), np.nan)
    ids = _person_ids(graph)
    left_out = f"; {int((~known).sum())} people of unknown group left out" if not known.all() else ""
    method = (
        "Gould & Fernandez (1989) roles on open two-paths a→b→c (no a→c arc), directed, "
        "weights ignored; expected values and variances as R sna::brokerage (Bernoulli "
        f"digraph null with the observed density {density:.6g} and the observed group sizes){left_out}"
    )
    return Brokerage(
        counts=_table(ids, counts), expected=_table(ids, expected), z=_table(ids, z), method=method,
        density=float(density),
    )  # fmt: skip


def participation(graph: ig.Graph, groups: np.ndarray) -> np.ndarray:
    """Guimerà–Amaral participation coefficient of every person, in vertex order.

    ``P_i = 1 − Σ_s (k_is / k_i)²`` over the undirected neighbour set of ``i`` (a person
    tied in either direction counts once): 0 when all contacts are in one group, close to 1
    when they are spread evenly over many. Isolates get NaN; so does a person of unknown
    group, and contacts of unknown group count in no one's ``k_i`` (``NaN`` when none is left).

    Parameters
    ----------
    graph
        Directed or undirected graph.
    groups
        Group label of each vertex (units, or communities).

    Returns
    -------
    numpy.ndarray
        Float array, one value per vertex.

    Examples
    --------
    Hub 0 (unit u) has contacts 1, 2 in u and 3, 4 in v: ``1 − (2/4)² − (2/4)² = 0.5``.

    >>> g = ig.Graph(n=5, edges=[(0, 1), (2, 0), (0, 3), (4, 0)], directed=True)
    >>> participation(g, np.array(["u", "u", "u", "v", "v"]))[[0, 1]].tolist()
    [0.5, 0.0]

    With contact 4's unit unknown, hub 0 has 3 known contacts: ``1 − (2/3)² − (1/3)² = 4/9``.

    >>> p = participation(g, np.array(["u", "u", "u", "v", None], dtype=object))
    >>> round(float(p[0]), 4), bool(np.isnan(p[4]))
    (0.4444, True)

    References
    ----------
    Guimerà, R. & Amaral, L. A. N. (2005). Functional cartography of complex metabolic
    networks. *Nature* 433, 895–900.
    """
    adj = _adjacency(graph)
    codes, sizes = _group_codes(groups, adj.shape[0])
    undirected = ((adj + adj.T) > 0).astype(np.float64)
    per_group = undirected @ _membership(codes, len(sizes))  # contacts of unknown group in no column
    k = _rowsum(per_group)
    spread = np.asarray(per_group.multiply(per_group).sum(axis=1)).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where((k > 0) & (codes >= 0), 1.0 - spread / np.square(k), np.nan)


def cross_unit_share(graph: ig.Graph, groups: np.ndarray) -> np.ndarray:
    """Share of each person's ties (arcs in and out) that link to another group.

    A mutual pair counts as two ties, as in the directed E-I index (Krackhardt & Stern
    1988). Ties to people of unknown group count neither way; isolates, and people of
    unknown group or with no tie to a known one, get NaN.

    Examples
    --------
    Person 0 (unit u) asks 1 (u) and 2 (v), and is asked by 2: 2 of 3 ties cross.

    >>> g = ig.Graph(n=3, edges=[(0, 1), (0, 2), (2, 0)], directed=True)
    >>> round(float(cross_unit_share(g, np.array(["u", "u", "v"]))[0]), 4)
    0.6667

    References
    ----------
    Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational crises:
    an experimental simulation. *Social Psychology Quarterly* 51(2), 123–140.
    """
    adj, codes = _known_arcs(graph, groups)
    cross = _cross_part(adj, codes)
    total = _rowsum(adj) + _colsum(adj)
    crossing = _rowsum(cross) + _colsum(cross)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, crossing / total, np.nan)


def unit_ties(graph: ig.Graph, groups: np.ndarray) -> np.ndarray:
    """Each person's ties (arcs in and out) to people of known group: what :func:`cross_unit_share`
    divides by, and the ties :func:`participation` spreads over. NaN for a person of unknown group.

    Examples
    --------
    0 (u) asks 1 (u) and 2 (v), is asked by 2 and asks 3, whose group is unknown: 3 ties, not 4.

    >>> g = ig.Graph(n=4, edges=[(0, 1), (0, 2), (2, 0), (0, 3)], directed=True)
    >>> unit_ties(g, np.array(["u", "u", "v", None], dtype=object)).tolist()
    [3.0, 1.0, 2.0, nan]
    """
    adj, codes = _known_arcs(graph, groups)
    return np.where(codes >= 0, _rowsum(adj) + _colsum(adj), np.nan)


def _role_counts(graph: ig.Graph, adj: sparse.csr_array, codes: np.ndarray) -> np.ndarray:
    """Open two-paths through each broker by role: an (n, 6) array, last column the total.

    All two-paths a → b → c (a ≠ c) by role come from degree products split by group
    masks; the closed ones (arc a → c present) lie on triangles, which igraph lists in C.
    """
    same = (adj - _cross_part(adj, codes)).tocsr()
    member = _membership(codes, int(codes.max()) + 1 if len(codes) else 0)
    in_all, out_all, in_same, out_same = _colsum(adj), _rowsum(adj), _colsum(same), _rowsum(same)
    mutual, mutual_same = _colsum(adj.multiply(adj.T)), _colsum(same.multiply(same.T))  # a = c
    every = in_all * out_all - mutual
    source_in = in_same * out_all - mutual_same  # a in b's group
    target_in = in_all * out_same - mutual_same  # c in b's group
    coordinator = in_same * out_same - mutual_same
    ends_alike = _rowsum((adj.T @ member).multiply(adj @ member)) - mutual  # g(a) = g(c)
    gatekeeper, representative = target_in - coordinator, source_in - coordinator
    consultant = ends_alike - coordinator
    liaison = every - coordinator - gatekeeper - representative - consultant
    paths = np.column_stack([coordinator, gatekeeper, representative, consultant, liaison])
    open_paths = paths - _closed_role_counts(graph, adj, codes)
    return np.column_stack([open_paths, open_paths.sum(axis=1)])


def _closed_role_counts(graph: ig.Graph, adj: sparse.csr_array, codes: np.ndarray) -> np.ndarray:
    """Closed two-paths a → b → c (with a → c) by broker and role, from the triangles."""
    n = adj.shape[0]
    coo = adj.tocoo()
    arcs = np.sort(coo.row.astype(np.int64) * n + coo.col)
    undirected = graph.as_undirected(mode="collapse")
    undirected.simplify()
    triangles = np.asarray(undirected.list_triangles(), dtype=np.int64).reshape(-1, 3)
    arc = {  # arc[p, q]: whether corner p of each triangle has an arc to corner q
        (p, q): _has_arc(arcs, triangles[:, p] * n + triangles[:, q])
        for p, q in itertools.permutations(range(3), 2)
    }
    counts = np.zeros(n * 5, dtype=np.float64)
    for i, j, k in itertools.permutations(range(3)):
        closed = arc[i, j] & arc[j, k] & arc[i, k]
        a, b, c = triangles[closed, i], triangles[closed, j], triangles[closed, k]
        ga, gb, gc = codes[a], codes[b], codes[c]
        role = np.select([(ga == gb) & (gb == gc), gb == gc, ga == gb, ga == gc], [0, 1, 2, 3], 4)
        counts += np.bincount(b * 5 + role, minlength=n * 5)
    return counts.reshape(n, 5)


def _has_arc(arcs: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Whether each key (source · n + target) is among the sorted arc keys."""
    at = np.searchsorted(arcs, keys)
    found = np.zeros(len(keys), dtype=bool)
    inside = at < len(arcs)
    found[inside] = arcs[at[inside]] == keys[inside]
    return found


def _null_moments(sizes: np.ndarray, n: int, d: float) -> tuple[np.ndarray, np.ndarray]:
    """Expected counts and variances per broker group, as R sna::brokerage (R/gli.R)."""
    s = sizes.astype(np.float64)
    big_n = float(n)
    q, r = d**2 * (1 - d), d**3 * (1 - d) ** 3
    rest = big_n - s  # people outside the broker's group

    def choose2(x: np.ndarray | float) -> np.ndarray:
        return np.asarray(x) * (np.asarray(x) - 1) / 2

    pair_sum, triple_sum, sq_sum = (s * (s - 1)).sum(), (s * (s - 1) * (s - 2)).sum(), (s**2).sum()
    p1, p2, p3 = s.sum(), sq_sum, (s**3).sum()
    # Σ_{j≠i} n_j C(N − n_j − n_i, 2), expanded so that no K × K matrix is needed
    liaison_cov = 0.5 * (
        (p1 - s) * rest**2 - 2 * rest * (p2 - s**2) + (p3 - s**3) - rest * (p1 - s) + (p2 - s**2)
    )
    mean = np.column_stack(
        [
            q * (s - 1) * (s - 2),
            q * rest * (s - 1),
            q * rest * (s - 1),
            q * (pair_sum - s * (s - 1)),
            q * (rest**2 - (sq_sum - s**2)),
            np.full_like(s, q * (big_n - 1) * (big_n - 2)),
        ]
    )
    extra = np.column_stack(
        [
            2 * (s - 1) * (s - 2) * (s - 3) * r,
            2 * ((s - 1) * choose2(rest) + rest * choose2(s - 1)) * r,
            2 * ((s - 1) * choose2(rest) + rest * choose2(s - 1)) * r,
            2 * (triple_sum - s * (s - 1) * (s - 2)) * r,
            4 * liaison_cov * r,
            np.full_like(s, 2 * (big_n - 1) * (big_n - 2) * (big_n - 3) * r),
        ]
    )
    return mean + 0.0, np.clip(mean * (1 - q) + extra, 0.0, None)  # + 0.0 turns -0.0 into 0.0


def _adjacency(graph: ig.Graph) -> sparse.csr_array:
    """Binary directed adjacency matrix without loops or repeated arcs."""
    n = graph.vcount()
    edges = edge_array(graph)
    if not graph.is_directed():
        edges = np.vstack([edges, edges[:, ::-1]])
    edges = edges[edges[:, 0] != edges[:, 1]]
    data = np.ones(len(edges), dtype=np.float64)
    adj = sparse.csr_array((data, (edges[:, 0], edges[:, 1])), shape=(n, n))
    adj.sum_duplicates()
    adj.data[:] = 1.0
    return adj


def _group_codes(groups: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Integer group codes in 0..K−1 (−1: unknown) and the size of each known group."""
    labels = np.asarray(groups).ravel()
    if len(labels) != n:
        raise InputError(f"groups must have one label per person ({n} people). Got {len(labels)} instead.")
    names, codes = group_codes(labels)
    return codes, np.bincount(codes[codes >= 0], minlength=len(names))


def _membership(codes: np.ndarray, k: int) -> sparse.csr_array:
    """One-hot (n, K) matrix: row i has a 1 in the column of i's group (none if unknown)."""
    rows = np.flatnonzero(codes >= 0)
    return sparse.csr_array((np.ones(len(rows)), (rows, codes[rows])), shape=(len(codes), k))


def _arcs_where(adj: sparse.csr_array, keep: Callable[..., np.ndarray]) -> sparse.csr_array:
    """The arcs ``a → b`` of ``adj`` for which ``keep(a, b)`` holds."""
    coo = adj.tocoo()
    kept = keep(coo.row, coo.col)
    return sparse.csr_array((coo.data[kept], (coo.row[kept], coo.col[kept])), shape=adj.shape)


def _known_arcs(graph: ig.Graph, groups: np.ndarray) -> tuple[sparse.csr_array, np.ndarray]:
    """The binary arcs whose two ends are of known group, and the group codes."""
    codes, _ = _group_codes(groups, graph.vcount())
    return _arcs_where(_adjacency(graph), lambda a, b: (codes[a] >= 0) & (codes[b] >= 0)), codes


def _cross_part(adj: sparse.csr_array, codes: np.ndarray) -> sparse.csr_array:
    """The arcs of ``adj`` whose two ends are in different groups."""
    return _arcs_where(adj, lambda a, b: codes[a] != codes[b])


def _rowsum(m: sparse.sparray) -> np.ndarray:
    return np.asarray(m.sum(axis=1)).ravel()


def _colsum(m: sparse.sparray) -> np.ndarray:
    return np.asarray(m.sum(axis=0)).ravel()


def _person_ids(graph: ig.Graph) -> list[str]:
    if "name" in graph.vs.attributes():
        return [str(v) for v in graph.vs["name"]]
    return [str(i) for i in range(graph.vcount())]


def _table(ids: list[str], values: np.ndarray) -> pd.DataFrame:
    table = pd.DataFrame(values, columns=list(BROKERAGE_COLUMNS[1:]))
    table.insert(0, "person_id", pd.Series(ids, dtype=object))
    return table
