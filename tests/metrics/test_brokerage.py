"""Gould–Fernandez brokerage, participation and cross-unit share.

Every role fixture has 5 people and 5 arcs, so the density is d = 5 / (5 × 4) = 0.25 and each
open two-path has null probability q = d²(1 − d) = 0.046875; r = d³(1 − d)³ = 0.006591796875.
In each fixture broker "b" receives two arcs (from a1, a2) and sends two (to c1, c2): 4
two-paths, one of which (a1 → c1) is closed by a direct arc, so b brokers 3 open two-paths.
"""

from __future__ import annotations

import itertools
import math

import igraph as ig
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pajek_data import krackhardt

import unknown_units as unknown
from leadnet.errors import InputError
from leadnet.metrics.brokerage import (
    BROKERAGE_COLUMNS,
    ROLES,
    brokerage,
    cross_unit_share,
    participation,
    unit_ties,
)

D = 0.25
Q = D**2 * (1 - D)
R = D**3 * (1 - D) ** 3
NAMES = ["b", "a1", "a2", "c1", "c2"]
# a1 → b, a2 → b, b → c1, b → c2, and the closing arc a1 → c1
FAN = [(1, 0), (2, 0), (0, 3), (0, 4), (1, 3)]


def fan() -> ig.Graph:
    g = ig.Graph(n=5, edges=FAN, directed=True)
    g.vs["name"] = NAMES
    return g


def broker_row(frame: pd.DataFrame) -> dict[str, float]:
    return frame.iloc[0].drop("person_id").to_dict()


@pytest.mark.parametrize(
    ("role", "units", "expected", "variance"),
    [
        # all five in one unit (n = 5): E = q(n−1)(n−2) = 12q, V = E(1−q) + 2(n−1)(n−2)(n−3)r
        ("coordinator", ["u", "u", "u", "u", "u"], 12 * Q, 12 * Q * (1 - Q) + 48 * R),
        # b with c1, c2 in B (n = 3), a1, a2 in A: E = q(N−n)(n−1) = 4q,
        # V = E(1−q) + 2((n−1)C(N−n,2) + (N−n)C(n−1,2))r = E(1−q) + 8r
        ("gatekeeper", ["B", "A", "A", "B", "B"], 4 * Q, 4 * Q * (1 - Q) + 8 * R),
        # b with a1, a2 in A (n = 3), c1, c2 in B: same moments as the gatekeeper
        ("representative", ["A", "A", "A", "B", "B"], 4 * Q, 4 * Q * (1 - Q) + 8 * R),
        # b alone in B, the other four in A: E = q Σ_{j≠i} n_j(n_j−1) = 12q,
        # V = E(1−q) + 2 Σ_{j≠i} n_j(n_j−1)(n_j−2) r = E(1−q) + 48r
        ("consultant", ["B", "A", "A", "A", "A"], 12 * Q, 12 * Q * (1 - Q) + 48 * R),
        # b alone in B, a1, a2 in A, c1, c2 in C: E = q((N−n)² − Σ_{j≠i} n_j²) = 8q,
        # V = E(1−q) + 4 Σ_{j≠i} n_j C(N−n_j−n_i, 2) r = E(1−q) + 16r
        ("liaison", ["B", "A", "A", "C", "C"], 8 * Q, 8 * Q * (1 - Q) + 16 * R),
    ],
)
def test_each_role_counts_three_open_two_paths_with_sna_moments(
    role: str, units: list[str], expected: float, variance: float
) -> None:
    result = brokerage(fan(), np.array(units))
    counts = broker_row(result.counts)
    assert counts == {r: (3 if r in (role, "total") else 0) for r in (*ROLES, "total")}
    assert result.density == D
    assert result.expected.loc[0, role] == pytest.approx(expected)
    assert result.z.loc[0, role] == pytest.approx((3 - expected) / math.sqrt(variance))
    # nobody else brokers anything: the other four have no open two-path through them
    assert result.counts.loc[1:, "total"].tolist() == [0, 0, 0, 0]


def test_worked_z_scores_of_the_role_fixtures() -> None:
    z = brokerage(fan(), np.array(["u"] * 5)).z.loc[0, "coordinator"]
    assert round(z, 4) == 2.6399  # (3 − 0.5625) / √0.8525390625
    units = ["B", "A", "A", "B", "B"]
    assert round(brokerage(fan(), np.array(units)).z.loc[0, "gatekeeper"], 4) == 5.8461
    units = ["B", "A", "A", "C", "C"]
    assert round(brokerage(fan(), np.array(units)).z.loc[0, "liaison"], 4) == 3.8582


def test_z_is_nan_when_the_null_variance_is_zero() -> None:
    units = ["B", "A", "A", "B", "B"]
    z = brokerage(fan(), np.array(units)).z
    # a coordinator in unit A (2 people) has no possible pair to broker: E = V = 0
    assert np.isnan(z.loc[1, "coordinator"]) and np.isnan(z.loc[2, "coordinator"])
    assert not np.isnan(z.loc[0, "coordinator"])


def test_mutual_tie_is_not_a_two_path_and_closed_triad_is_not_brokered() -> None:
    # a ⇄ b → c with a → c: the only two-paths through b are a→b→a (a = c, excluded)
    # and a→b→c (closed); nobody brokers anything
    g = ig.Graph(n=3, edges=[(0, 1), (1, 0), (1, 2), (0, 2)], directed=True)
    assert brokerage(g, np.array(["u", "u", "v"])).counts["total"].tolist() == [0, 0, 0]


def test_tables_have_the_contract_columns_in_vertex_order() -> None:
    result = brokerage(fan(), np.array(["u"] * 5))
    for table in (result.counts, result.expected, result.z):
        assert tuple(table.columns) == BROKERAGE_COLUMNS
        assert table["person_id"].tolist() == NAMES
    assert "sna::brokerage" in result.method and "open two-paths" in result.method


def test_expected_roles_add_up_to_the_expected_total() -> None:
    units = np.array(["B", "A", "A", "C", "C"])
    expected = brokerage(fan(), units).expected
    assert expected[list(ROLES)].sum(axis=1).to_numpy() == pytest.approx(expected["total"].to_numpy())
    assert expected.loc[0, "total"] == pytest.approx(Q * 4 * 3)  # q (N−1)(N−2)


def test_groups_of_the_wrong_length_are_rejected() -> None:
    with pytest.raises(InputError) as info:
        brokerage(fan(), np.array(["u"] * 4))
    assert str(info.value) == "groups must have one label per person (5 people). Got 4 instead."


def test_empty_and_tieless_graphs_give_zero_counts_and_nan_z() -> None:
    empty = brokerage(ig.Graph(n=0, directed=True), np.array([]))
    assert len(empty.counts) == 0 and tuple(empty.counts.columns) == BROKERAGE_COLUMNS
    lonely = brokerage(ig.Graph(n=3, directed=True), np.array(["u", "u", "v"]))
    assert lonely.counts["total"].tolist() == [0, 0, 0]
    assert lonely.z["total"].isna().all()


# --- Krackhardt's high-tech managers: advice network, departments (CEO's dept 0 alone) ---


def krackhardt_advice() -> tuple[np.ndarray, np.ndarray]:
    data = krackhardt()
    adj = np.zeros((data.n, data.n), dtype=int)
    for i, j in data.arcs[1]:
        adj[i - 1, j - 1] = 1
    return adj, np.array(data.partitions["Department"])


def enumerate_roles(adj: np.ndarray, dept: np.ndarray) -> np.ndarray:
    """Plain triple loop over the managers, written independently of leadnet."""
    n = len(adj)
    out = np.zeros((n, 5), dtype=int)  # coordinator, gatekeeper, representative, consultant, liaison
    for a, b, c in itertools.permutations(range(n), 3):
        if adj[a, b] and adj[b, c] and not adj[a, c]:
            if dept[a] == dept[b] == dept[c]:
                out[b, 0] += 1
            elif dept[b] == dept[c]:
                out[b, 1] += 1
            elif dept[a] == dept[b]:
                out[b, 2] += 1
            elif dept[a] == dept[c]:
                out[b, 3] += 1
            else:
                out[b, 4] += 1
    return out


def sna_moments(dept: np.ndarray, n_arcs: int) -> tuple[np.ndarray, np.ndarray]:
    """A line-by-line port of the loop in R sna::brokerage (R/gli.R), per broker group."""
    labels = list(dict.fromkeys(dept.tolist()))
    n = np.array([float((dept == g).sum()) for g in labels])
    N = float(len(dept))
    d = n_arcs / (N * (N - 1))
    q, r = d**2 * (1 - d), d**3 * (1 - d) ** 3
    e, v = np.zeros((len(n), 6)), np.zeros((len(n), 6))
    for i in range(len(n)):
        o = np.delete(n, i)
        e[i, 0] = q * (n[i] - 1) * (n[i] - 2)
        v[i, 0] = e[i, 0] * (1 - q) + 2 * (n[i] - 1) * (n[i] - 2) * (n[i] - 3) * r
        e[i, 3] = q * sum(o * (o - 1))
        v[i, 3] = e[i, 3] * (1 - q) + 2 * sum(o * (o - 1) * (o - 2)) * r
        e[i, 1] = e[i, 2] = q * (N - n[i]) * (n[i] - 1)
        v[i, 1] = v[i, 2] = (
            e[i, 1] * (1 - q)
            + 2 * ((n[i] - 1) * math.comb(int(N - n[i]), 2) + (N - n[i]) * math.comb(int(n[i] - 1), 2)) * r
        )
        e[i, 4] = q * (np.outer(o, o).sum() - sum(o**2))
        v[i, 4] = e[i, 4] * (1 - q) + 4 * sum(oj * math.comb(int(N - oj - n[i]), 2) * r for oj in o)
        e[i, 5] = q * (N - 1) * (N - 2)
        v[i, 5] = e[i, 5] * (1 - q) + 2 * (N - 1) * (N - 2) * (N - 3) * r
    index = [labels.index(g) for g in dept.tolist()]
    return e[index], v[index]


def test_krackhardt_brokerage_counts_match_a_direct_enumeration() -> None:
    adj, dept = krackhardt_advice()
    graph = ig.Graph.Adjacency(adj.tolist(), mode="directed")
    counts = brokerage(graph, dept).counts
    expected = enumerate_roles(adj, dept)
    assert (counts[list(ROLES)].to_numpy() == expected).all()
    assert (counts["total"].to_numpy() == expected.sum(axis=1)).all()
    # measured figures: manager 18 brokers most (121 open two-paths, 74 as liaison); 500 in all
    assert counts.loc[17, ["gatekeeper", "representative", "consultant", "liaison", "total"]].tolist() == [
        11,
        4,
        32,
        74,
        121,
    ]
    assert counts[list(ROLES)].sum().tolist() == [28, 62, 95, 69, 246]


def test_krackhardt_expected_values_and_z_match_a_port_of_sna() -> None:
    adj, dept = krackhardt_advice()
    result = brokerage(ig.Graph.Adjacency(adj.tolist(), mode="directed"), dept)
    mean, var = sna_moments(dept, int(adj.sum()))
    assert result.density == pytest.approx(190 / 420)
    assert result.expected[list(BROKERAGE_COLUMNS[1:])].to_numpy() == pytest.approx(mean)
    counts = result.counts[list(BROKERAGE_COLUMNS[1:])].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(var > 0, (counts - mean) / np.sqrt(var), np.nan)
    assert np.allclose(result.z[list(BROKERAGE_COLUMNS[1:])].to_numpy(), z, equal_nan=True)
    # the CEO (manager 7) is alone in department 0: no within-group roles are possible
    assert result.z.loc[6, ["coordinator", "gatekeeper", "representative"]].isna().all()


@st.composite
def graphs_with_groups(draw: st.DrawFn) -> tuple[int, list[tuple[int, int]], list[int], list[int]]:
    n = draw(st.integers(min_value=1, max_value=12))
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
    edges = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=40)) if pairs else []
    groups = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    perm = draw(st.permutations(list(range(n))))
    return n, edges, groups, perm


@settings(max_examples=60, deadline=None)
@given(graphs_with_groups())
def test_renaming_people_changes_no_brokerage_figure(case: tuple[int, list, list, list]) -> None:
    n, edges, groups, perm = case
    before = brokerage(ig.Graph(n=n, edges=edges, directed=True), np.array(groups))
    renamed_edges = [(perm[a], perm[b]) for a, b in edges]
    renamed_groups = np.empty(n, dtype=int)
    renamed_groups[perm] = groups
    after = brokerage(ig.Graph(n=n, edges=renamed_edges, directed=True), renamed_groups)
    cols = list(BROKERAGE_COLUMNS[1:])
    assert (after.counts[cols].to_numpy()[perm] == before.counts[cols].to_numpy()).all()
    assert np.allclose(after.z[cols].to_numpy()[perm], before.z[cols].to_numpy(), equal_nan=True)


# --- participation and cross-unit share ---


def test_participation_of_a_hub_split_evenly_over_two_units_is_one_half() -> None:
    # hub 0 (u) is tied to 1, 2 (u) and 3, 4 (v): 1 − (2/4)² − (2/4)² = 0.5;
    # the spokes have one contact each: 1 − 1² = 0
    g = ig.Graph(n=5, edges=[(0, 1), (2, 0), (0, 3), (4, 0)], directed=True)
    assert participation(g, np.array(["u", "u", "u", "v", "v"])).tolist() == [0.5, 0.0, 0.0, 0.0, 0.0]


def test_participation_counts_a_mutual_contact_once_and_isolates_are_nan() -> None:
    # 0 ⇄ 1 (u), 0 → 2 (v), 3 → 0 (w); 4 isolated: contacts of 0 = {1, 2, 3} in u, v, w
    # P_0 = 1 − 3 × (1/3)² = 2/3
    g = ig.Graph(n=5, edges=[(0, 1), (1, 0), (0, 2), (3, 0)], directed=True)
    p = participation(g, np.array(["u", "u", "v", "w", "w"]))
    assert p[0] == pytest.approx(2 / 3)
    assert np.isnan(p[4])


def test_cross_unit_share_counts_arcs_in_and_out() -> None:
    # 0 (u): out to 1 (u) and 2 (v), in from 2 (v): 2 of 3 ties cross; 1: 0 of 1; 3 isolated
    g = ig.Graph(n=4, edges=[(0, 1), (0, 2), (2, 0)], directed=True)
    share = cross_unit_share(g, np.array(["u", "u", "v", "v"]))
    assert share[:3] == pytest.approx([2 / 3, 0.0, 1.0])
    assert np.isnan(share[3])


# --- people of unknown unit (tests/unknown_units.py: A = a1 a2 a3, B = b1 b2, x1 x2 unknown) ---


def test_a_two_path_is_classified_only_when_all_three_units_are_known() -> None:
    # Open two-paths among the known five (no a → c arc closes any of them):
    #   a3→a1→a2 coordinator (A A A), a3→a1→b1 representative (A A B)
    #   a1→a2→a3 coordinator,         b2→a2→a3 gatekeeper (B A A)
    #   a2→a3→a1 coordinator,         a1→b1→b2 gatekeeper (A B B),   b1→b2→a2 representative (B B A)
    # Those through or to x1, x2 (x1→a1→a2, a2→x1→x2, x2→b1→b2, ...) are not classified.
    result = brokerage(unknown.graph(), unknown.UNITS)
    counts = result.counts.set_index("person_id")
    assert counts.loc[["a1", "a2", "a3", "b1", "b2", "x1", "x2"], "total"].tolist() == [2, 2, 1, 1, 1, 0, 0]
    assert counts["coordinator"].tolist() == [1, 1, 1, 0, 0, 0, 0]
    assert counts["representative"].tolist() == [1, 0, 0, 0, 1, 0, 0]
    assert counts["gatekeeper"].tolist() == [0, 1, 0, 1, 0, 0, 0]
    assert counts[["consultant", "liaison"]].to_numpy().sum() == 0
    # sna's null on the known five: 6 arcs over 5 × 4 ordered pairs
    assert result.density == pytest.approx(0.3)
    known = brokerage(unknown.graph(unknown.KNOWN), unknown.UNITS[: unknown.KNOWN])
    cols = list(BROKERAGE_COLUMNS[1:])
    assert np.allclose(result.z[cols].to_numpy()[:5], known.z[cols].to_numpy(), equal_nan=True)
    assert result.expected[cols].iloc[5:].isna().all().all() and result.z[cols].iloc[5:].isna().all().all()
    assert "2 people of unknown group left out" in result.method


def test_participation_leaves_contacts_of_unknown_unit_out_and_is_nan_for_their_people() -> None:
    # a1: known contacts a2, a3 (A), b1 (B) → 1 − (2/3)² − (1/3)² = 4/9 (x1 not a 4th "unit")
    # a2: a1, a3 (A), b2 (B) → 4/9;  a3: a1, a2 → 0
    # b1: a1 (A), b2 (B) → 1 − (1/2)² − (1/2)² = 1/2 (x2 left out);  b2: b1, a2 → 1/2
    p = participation(unknown.graph(), unknown.UNITS)
    assert p[:5] == pytest.approx([4 / 9, 4 / 9, 0.0, 0.5, 0.5])
    assert np.isnan(p[5:]).all()


def test_cross_unit_share_counts_only_ties_between_known_units() -> None:
    # a1: a1→a2, a3→a1 inside, a1→b1 across → 1/3 (x1→a1 counts neither way)
    # a2: a1→a2, a2→a3 inside, b2→a2 across → 1/3;  a3: 0;  b1: 1/2;  b2: 1/2;  x1, x2: NaN
    share = cross_unit_share(unknown.graph(), unknown.UNITS)
    assert share[:5] == pytest.approx([1 / 3, 1 / 3, 0.0, 0.5, 0.5])
    assert np.isnan(share[5:]).all()


def test_unit_ties_count_arcs_in_and_out_to_people_of_known_unit_only() -> None:
    # a1: a1→a2, a3→a1, a1→b1 (x1→a1 left out) → 3;  a2: a1→a2, a2→a3, b2→a2 (a2→x1 left out) → 3
    # a3: a2→a3, a3→a1 → 2;  b1: b1→b2, a1→b1 (x2→b1 left out) → 2;  b2: b1→b2, b2→a2 (b2→x2 out) → 2
    # the denominators of the cross-unit shares 1/3, 1/3, 0, 1/2, 1/2; x1, x2: NaN
    ties = unit_ties(unknown.graph(), unknown.UNITS)
    assert ties[:5].tolist() == [3, 3, 2, 2, 2]
    assert np.isnan(ties[5:]).all()
    everyone = unit_ties(unknown.graph(), np.array(["A"] * 7))
    assert everyone.tolist() == np.add(unknown.graph().indegree(), unknown.graph().outdegree()).tolist()
