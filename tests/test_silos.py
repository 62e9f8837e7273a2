"""leadnet.silos (E-I index and permutation test, block density, agreement) and leadnet.bridging."""

from __future__ import annotations

from collections.abc import Callable
from itertools import combinations
from pathlib import Path

import igraph as ig
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

import unknown_units as unknown
from leadnet import group_differences
from leadnet.analysis import analyse
from leadnet.bridging import bridges, unit_pair_carriers
from leadnet.communities import detect_communities
from leadnet.config import AnalysisSection
from leadnet.errors import ConfigError, InputError
from leadnet.model import Snapshot
from leadnet.partitions import partition_agreement
from leadnet.silos import (
    block_density,
    community_table,
    ei_index,
    ei_p_holm,
    formal_modularity,
    group_scorecard,
)

DATA = Path(__file__).parent / "data" / "email_eu_core"
# A = {0, 1, 2}, B = {3, 4}: arcs a→b, b→c, c→a, d→e inside; a→d, e→b across.
MIXED = [(0, 1), (1, 2), (2, 0), (3, 4), (0, 3), (4, 1)]
MIXED_UNITS = np.array(["A", "A", "A", "B", "B"])
# Surgery s1..s4 (a cycle), Diagnostics d1-d2-d3, Admin a1-a2; s1 carries most Surgery-Diagnostics contact.
HOSPITAL_NAMES = ["s1", "s2", "s3", "s4", "d1", "d2", "d3", "a1", "a2"]
HOSPITAL_UNITS = np.array(["Surgery"] * 4 + ["Diagnostics"] * 3 + ["Admin"] * 2)
HOSPITAL = [(0, 1), (1, 2), (2, 3), (3, 0), (4, 5), (5, 6), (7, 8), (0, 4), (0, 5), (0, 6), (1, 4), (6, 7)]


def graph(n: int, edges: list[tuple[int, int]], names: list[str] | None = None) -> ig.Graph:
    g = ig.Graph(n=n, edges=edges, directed=True)
    g.vs["name"] = names or [f"p{i}" for i in range(n)]
    return g


def planted_two_blocks(seed: int = 1, size: int = 20) -> ig.Graph:
    """Two blocks of ``size``: arcs inside with probability 0.3, across with 0.03."""
    rng = np.random.default_rng(seed)
    block = np.repeat([0, 1], size)
    prob = np.where(block[:, None] == block[None, :], 0.3, 0.03)
    src, dst = np.nonzero((rng.random((2 * size, 2 * size)) < prob) & ~np.eye(2 * size, dtype=bool))
    return graph(2 * size, list(zip(src.tolist(), dst.tolist(), strict=True)))


@pytest.fixture(scope="module")
def email() -> tuple[ig.Graph, np.ndarray]:
    edges = np.loadtxt(DATA / "email-Eu-core.txt", dtype=np.int64)
    labels = np.loadtxt(DATA / "email-Eu-core-department-labels.txt", dtype=np.int64)
    g = graph(1005, edges.tolist(), [f"{i:04d}" for i in range(1005)])
    return g, labels[np.argsort(labels[:, 0]), 1]


def test_ei_index_is_minus_one_for_a_closed_unit_and_plus_one_with_only_external_ties() -> None:
    # A = {0, 1, 2} a closed triangle; B = {3, 4} and C = {5} tied only to each other.
    g = graph(6, [(0, 1), (1, 2), (2, 0), (3, 5), (5, 4)])
    card = group_scorecard(g, np.array(["A", "A", "A", "B", "B", "C"]), permutations=0)
    assert card["ei_index"].tolist() == [-1.0, 1.0, 1.0]
    assert card["insularity"].tolist() == [1.0, 0.0, 0.0]
    assert card["internal_ties"].tolist() == [3, 0, 0]
    assert card["external_ties"].tolist() == [0, 2, 2]


def test_ei_index_hand_worked_mixed_case() -> None:
    # A: I = 3, E = 2 -> (2 - 3)/5 = -0.2; ends 2I + E = 8, insularity 6/8; density 3/(3*2).
    # B: I = 1, E = 2 -> (2 - 1)/3 = 1/3; insularity 2/4; density 1/(2*1).
    # Whole network: I = 4, E = 2 -> (2 - 4)/6 = -1/3.
    g = graph(5, MIXED)
    card = group_scorecard(g, MIXED_UNITS, permutations=0)
    assert list(card.columns) == [
        "group", "size", "internal_ties", "external_ties", "ei_index", "ei_p_value", "ei_p_holm",
        "insularity", "density",
    ]  # fmt: skip
    assert card["group"].tolist() == ["A", "B"]
    assert card["size"].tolist() == [3, 2]
    assert card["ei_index"].tolist() == pytest.approx([-0.2, 1 / 3])
    assert card["insularity"].tolist() == pytest.approx([0.75, 0.5])
    assert card["density"].tolist() == pytest.approx([0.5, 0.5])
    assert card["ei_p_value"].isna().all() and card["ei_p_holm"].isna().all()
    assert ei_index(g, MIXED_UNITS) == pytest.approx(-1 / 3)


def test_isolated_group_has_no_ei_index() -> None:
    card = group_scorecard(graph(4, [(0, 1)]), np.array(["A", "A", "B", "B"]), permutations=100)
    assert card["ei_index"].tolist()[0] == -1.0
    assert card.loc[1, ["ei_index", "ei_p_value", "ei_p_holm", "insularity"]].isna().all()
    assert card.loc[0, "ei_p_holm"] == card.loc[0, "ei_p_value"]  # the one unit tested: a family of one
    assert card.loc[1, "density"] == 0.0


def test_groups_are_sorted_by_label_numerically_for_integer_codes() -> None:
    card = group_scorecard(graph(4, [(0, 1), (2, 3)]), np.array([10, 2, 2, 0]), permutations=0)
    assert card["group"].tolist() == [0, 2, 10]


def test_email_eu_core_ei_index_and_formal_modularity_match_reference(email: tuple) -> None:
    # tests/data/email_eu_core/PROVENANCE.md: E-I +0.3064 (8,645 internal, 16,284 external),
    # modularity of the departments on the undirected simple graph 0.2880.
    g, units = email
    assert ei_index(g, units) == pytest.approx(0.3064, abs=5e-5)
    card = group_scorecard(g, units, permutations=0)
    assert (card["internal_ties"].sum(), card["external_ties"].sum() // 2) == (8645, 16284)
    simple = ig.Graph(n=1005, edges=g.get_edgelist(), directed=False).simplify()
    assert formal_modularity(simple, units) == pytest.approx(0.2880, abs=5e-5)


def test_permutation_p_value_flags_a_closed_unit_and_not_a_random_one() -> None:
    g = planted_two_blocks()
    planted = group_scorecard(g, np.repeat(["A", "B"], 20), seed=0)
    assert planted["ei_p_value"].max() < 0.01, planted
    random_units = np.random.default_rng(5).permutation(np.repeat(["R", "S"], 20))
    shuffled = group_scorecard(g, random_units, seed=0)
    assert shuffled["ei_p_value"].min() > 0.05, shuffled


def test_permutation_p_value_matches_exhaustive_enumeration() -> None:
    # Six people in two groups of three: all 20 relabellings enumerated by hand-written loop.
    edges = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 0), (0, 3)]
    g = graph(6, edges)
    arcs = np.array(edges)

    def ei_of(members: set[int]) -> float:
        inside = np.isin(arcs, list(members))
        internal, touching = np.sum(inside.all(axis=1)), np.sum(inside.any(axis=1))
        return (touching - 2 * internal) / touching

    observed = ei_of({0, 1, 2})
    exact = np.mean([ei_of(set(c)) <= observed + 1e-12 for c in combinations(range(6), 3)])
    card = group_scorecard(g, np.array(["A", "A", "A", "B", "B", "B"]), permutations=20_000, seed=2)
    assert card.loc[0, "ei_p_value"] == pytest.approx(exact, abs=0.015)


def test_the_ei_p_value_keeps_unit_sizes_not_tie_counts_and_the_summary_says_so() -> None:
    # Five hubs (unit A) tied both ways to each other and each to four of 20 others (unit B), who
    # are tied to no one else. A holds 20 of the 60 arcs inside: E-I (40 - 20) / 60 = 1/3, and a
    # random five of the 25 hold fewer (p = 0.0083), though a random network with these degrees
    # would put 80² / (4 × 60) = 26.7 arcs inside A. The test answers "more inward than a random
    # set of as many people", not "than its members' tie counts explain" (the docstring said so,
    # and summary.json said nothing of the test): methods.silos now states what it computes.
    hubs = [(a, b) for a in range(5) for b in range(5) if a != b]
    spokes = [pair for h in range(5) for p in range(5 + 4 * h, 9 + 4 * h) for pair in ((h, p), (p, h))]
    labels = np.array(["A"] * 5 + ["B"] * 20)
    card = group_scorecard(graph(25, hubs + spokes), labels, permutations=9_999, seed=0)
    assert card[["internal_ties", "external_ties"]].to_numpy().tolist() == [[20, 40], [0, 40]]
    assert card["ei_index"].tolist() == pytest.approx([1 / 3, 1.0])
    assert card["ei_p_value"].tolist() == pytest.approx([0.0083, 1.0])
    # Holm over the two units: A, the smaller, 0.0083 x 2 = 0.0166; B 1.0 x 1 = 1.0.
    assert card["ei_p_holm"].tolist() == pytest.approx([0.0166, 1.0])
    people = pd.DataFrame({"person_id": [f"p{i:02d}" for i in range(25)], "unit": labels})
    ties = pd.DataFrame(hubs + spokes, columns=["source", "target"]).map(lambda i: f"p{i:02d}")
    result = analyse(
        Snapshot.build("t", people, ties.assign(relation="advice")), AnalysisSection(permutations=99)
    )
    silos_method = result.methods["silos"]
    assert silos_method["ei_permutations"] == 99
    assert silos_method["ei_p_value"].startswith("one-sided: (1 + #{permuted E-I <= observed E-I})")
    assert "not the members' tie counts" in silos_method["ei_p_value"]
    assert silos_method["ei_p_value"].endswith("not adjusted for testing many units (ei_p_holm is)")
    assert silos_method["ei_p_holm"].startswith("ei_p_value adjusted by Holm's step-down method (Holm 1979)")


def test_the_summarys_holm_method_states_the_level_in_force_when_it_is_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # methods.silos.ei_p_holm said "below 0.05 ... a 5% chance" whatever the level: with CONFIDENCE
    # = 0.9 the report's verdicts and intervals are read at 0.1, and summary.json still said 0.05.
    people = pd.DataFrame({"person_id": HOSPITAL_NAMES, "unit": HOSPITAL_UNITS})
    ties = pd.DataFrame(HOSPITAL, columns=["source", "target"]).map(HOSPITAL_NAMES.__getitem__)
    snapshot = Snapshot.build("t", people, ties.assign(relation="advice"))

    def holm_method() -> str:
        return analyse(snapshot, AnalysisSection(permutations=99)).methods["silos"]["ei_p_holm"]

    at_95 = holm_method()
    assert at_95.endswith(
        "; below 0.05 for a unit, it is more inward than chance with at most a 5% chance of naming any "
        "unit that is not"
    )
    monkeypatch.setattr(group_differences, "CONFIDENCE", 0.9)
    assert holm_method() == at_95.replace("below 0.05", "below 0.1").replace("a 5% chance", "a 10% chance")


def test_ei_p_holm_adjusts_the_units_p_values_by_hand() -> None:
    # Sorted: D 0.005 x 4 = 0.02, A 0.01 x 3 = 0.03, C 0.03 x 2 = 0.06, B 0.04 x 1 = 0.04 raised to
    # 0.06; E has no p-value (no tie touches it): not in the family, not adjusted.
    raw = np.array([0.01, 0.04, 0.03, 0.005, np.nan])
    adjusted = ei_p_holm(["A", "B", "C", "D", "E"], raw)
    np.testing.assert_allclose(adjusted, [0.03, 0.06, 0.06, 0.02, np.nan])
    # D withheld for privacy: in the family as 1, so A is first of four (0.01 x 4 = 0.04), C second
    # (0.03 x 3 = 0.09), B third (0.04 x 2 = 0.08, raised to 0.09); D's own is not given.
    withheld = ei_p_holm(["A", "B", "C", "D", "E"], raw, withheld=["D"])
    np.testing.assert_allclose(withheld, [0.04, 0.09, 0.09, np.nan, np.nan])


def test_a_withheld_group_must_be_a_group_of_the_network() -> None:
    with pytest.raises(InputError) as err:
        ei_p_holm(["A", "B"], np.array([0.1, 0.2]), withheld=["Z"])
    assert str(err.value) == "`withheld` must name groups of the network. Got ['Z'] instead."


def planted_inward_unit(seed: int, units: int = 40, size: int = 8) -> tuple[ig.Graph, np.ndarray]:
    """``units`` units of ``size`` people, arcs with probability 0.03 between any two people, and
    0.5 between two people of the first unit, u00: the one truly inward unit."""
    rng = np.random.default_rng(seed)
    n = units * size
    prob = np.full((n, n), 0.03)
    prob[:size, :size] = 0.5
    src, dst = np.nonzero((rng.random((n, n)) < prob) & ~np.eye(n, dtype=bool))
    return graph(n, list(zip(src.tolist(), dst.tolist(), strict=True))), np.repeat(
        [f"u{u:02d}" for u in range(units)], size
    )


def test_holm_keeps_the_planted_inward_unit_and_drops_the_chance_ones() -> None:
    # One inward unit among 39 whose people are tied at random: by chance 3 of the 39 have a raw
    # p below 0.05 (0.0024 the smallest), none once adjusted for the 40 tests (0.0024 x 39 = 0.094
    # at the least). The planted unit has the smallest p 9,999 permutations give, 1/10,000, and
    # keeps 40 x 1/10,000 = 0.004.
    g, units = planted_inward_unit(seed=4)
    card = group_scorecard(g, units, permutations=9_999, seed=0).set_index("group")
    assert card.loc["u00", "ei_p_value"] == pytest.approx(1 / 10_000)
    assert card.loc["u00", "ei_p_holm"] == pytest.approx(40 / 10_000)
    noise = card.drop(index="u00")
    assert (noise["ei_p_value"] < 0.05).sum() == 3
    assert (noise["ei_p_holm"] < 0.05).sum() == 0
    assert noise["ei_p_value"].min() == pytest.approx(0.0024)


def test_units_hidden_for_privacy_count_in_the_family_but_their_p_values_do_not() -> None:
    # A (9) a clique, D (6) and Tiny (3) cliques, and 60 random arcs. Tiny and the next smallest, D,
    # are hidden: their ei_p_holm shows <5 as their ei_p_value does. The family is the five units,
    # the two hidden ones with p = 1: A 0.001 x 5 = 0.005, C 0.008 x 4 = 0.032, B 0.139 x 3 = 0.417.
    # With their own p-values (0.001 each) C would be fourth, 0.008 x 2 = 0.016, B 0.139: a shown
    # figure would say that both hidden units are more inward than C.
    sizes = {"A": 9, "B": 8, "C": 7, "D": 6, "Tiny": 3}
    people = pd.DataFrame([{"person_id": f"{u}{i}", "unit": u} for u, n in sizes.items() for i in range(n)])
    ids = people["person_id"].tolist()
    cliques = {
        (f"{u}{i}", f"{u}{j}") for u in ("A", "D", "Tiny") for i in range(sizes[u]) for j in range(sizes[u])
    }
    rng = np.random.default_rng(0)
    noise = {(ids[s], ids[t]) for s, t in rng.integers(0, len(ids), (60, 2))}
    pairs = sorted((s, t) for s, t in cliques | noise if s != t)
    ties = pd.DataFrame(pairs, columns=["source", "target"]).assign(relation="advice", weight=1.0, count=1)
    units = analyse(Snapshot.build("main", people, ties), AnalysisSection(permutations=999)).units
    assert units.columns[units.columns.get_loc("ei_p_value") + 1] == "ei_p_holm"
    shown = units.set_index("unit")
    assert shown.loc[["D", "Tiny"], ["ei_p_value", "ei_p_holm"]].to_numpy().tolist() == [["<5", "<5"]] * 2
    assert shown.loc[["A", "B", "C"], "ei_p_value"].tolist() == pytest.approx([0.001, 0.139, 0.008])
    assert shown.loc[["A", "B", "C"], "ei_p_holm"].tolist() == pytest.approx([0.005, 0.417, 0.032])


def test_same_seed_gives_identical_scorecard() -> None:
    g = planted_two_blocks(seed=4)
    units = np.random.default_rng(1).permutation(np.repeat(["A", "B", "C", "D"], 10))
    assert_frame_equal(group_scorecard(g, units, seed=3), group_scorecard(g, units, seed=3))
    other = group_scorecard(g, units, seed=4)
    assert not other["ei_p_value"].equals(group_scorecard(g, units, seed=3)["ei_p_value"])


def test_email_eu_core_scorecard_counts_ties_as_the_edge_list_does(email: tuple) -> None:
    # Counted again from the file with numpy: arcs without self-loops, each once; an arc
    # inside a department is internal to it, one across is external to both ends. (Speed is
    # measured in benchmarks/, never asserted here.)
    g, units = email
    card = group_scorecard(g, units, permutations=10_000, seed=0)
    arcs = np.loadtxt(DATA / "email-Eu-core.txt", dtype=np.int64)
    arcs = np.unique(arcs[arcs[:, 0] != arcs[:, 1]], axis=0)
    inside = units[arcs[:, 0]] == units[arcs[:, 1]]
    across = np.bincount(units[arcs[~inside, 0]], minlength=42) + np.bincount(
        units[arcs[~inside, 1]], minlength=42
    )
    assert len(card) == 42 and card["group"].tolist() == list(range(42))
    assert card["internal_ties"].tolist() == np.bincount(units[arcs[inside, 0]], minlength=42).tolist()
    assert card["external_ties"].tolist() == across.tolist()
    assert card["internal_ties"].sum() == 8645  # of 24,929 distinct arcs
    # the smallest p-value 10,000 permutations can give is 1/10,001
    assert card["ei_p_value"].min() == pytest.approx(1 / 10_001)


def test_negative_permutations_are_rejected() -> None:
    with pytest.raises(ConfigError) as err:
        group_scorecard(graph(5, MIXED), MIXED_UNITS, permutations=-1)
    assert str(err.value) == "`permutations` must be 0 or more. Got -1 instead (try 10000)."


def test_groups_must_have_one_label_per_person() -> None:
    with pytest.raises(InputError) as err:
        ei_index(graph(5, MIXED), np.array(["A", "B"]))
    assert str(err.value) == "`groups` must have one label per person (5). Got 2 instead."


def test_block_density_hand_worked() -> None:
    blocks = block_density(graph(5, MIXED), MIXED_UNITS)
    assert blocks.index.tolist() == blocks.columns.tolist() == ["A", "B"]
    # A->A 3/(3*2), A->B 1/(3*2), B->A 1/(2*3), B->B 1/(2*1)
    np.testing.assert_allclose(blocks.to_numpy(), [[0.5, 1 / 6], [1 / 6, 0.5]])


def test_partition_agreement_between_communities_and_units(email: tuple) -> None:
    assert partition_agreement(np.array([0, 0, 1, 1]), np.array(["x", "x", "y", "y"])) == {
        "nmi": 1.0,
        "ari": 1.0,
    }
    g, units = email
    agreement = partition_agreement(detect_communities(g, seed=0).membership, units)
    assert agreement["nmi"] >= 0.55, agreement
    assert 0.2 < agreement["ari"] < 0.6, agreement
    with pytest.raises(InputError) as err:
        partition_agreement(np.array([0, 1]), np.array([0]))
    assert str(err.value) == "both partitions must cover the same people. Got 2 and 1 labels instead."


def test_detected_communities_are_more_modular_than_departments(email: tuple) -> None:
    g, units = email
    assert detect_communities(g, seed=0).modularity > formal_modularity(g, units) > 0.25


def test_bridges_rank_the_people_who_carry_cross_unit_contact() -> None:
    # Step 1: s1 holds 3 of 5 cross contacts. Step 2: four people hold one each and each is the
    # sole contact of a unit pair; a1 wins on person_id. Step 3: d1 (before s2).
    g = graph(9, HOSPITAL, HOSPITAL_NAMES)
    table = bridges(g, HOSPITAL_UNITS)
    assert table["rank"].tolist() == [1, 2, 3]
    assert table["person_id"].tolist() == ["s1", "a1", "d1"]
    assert table["unit"].tolist() == ["Surgery", "Admin", "Diagnostics"]
    assert table["cross_unit_ties"].tolist() == [3, 1, 2]
    assert table["units_reached"].tolist() == [1, 1, 1]
    assert table["is_articulation_point"].tolist() == [False, True, False]
    assert table["removal_cross_ties_lost"].tolist() == [3, 1, 1]
    assert table["removal_unit_pairs_cut"].tolist() == [0, 1, 1]
    assert table["cumulative_cross_share"].tolist() == pytest.approx([0.6, 0.8, 1.0])
    assert len(bridges(g, HOSPITAL_UNITS, top=1)) == 1


def test_unit_pair_carriers_give_people_and_their_share() -> None:
    g = graph(9, HOSPITAL, HOSPITAL_NAMES)
    carriers = unit_pair_carriers(g, HOSPITAL_UNITS, "Surgery", "Diagnostics", top=3)
    assert list(carriers.columns) == ["rank", "person_id", "unit", "ties", "share", "cumulative_share"]
    assert carriers["person_id"].tolist() == ["s1", "d1"]
    assert carriers["ties"].tolist() == [3, 2]
    assert carriers["share"].tolist() == pytest.approx([0.75, 0.5])
    assert carriers["cumulative_share"].tolist() == pytest.approx([0.75, 1.0])
    assert unit_pair_carriers(g, HOSPITAL_UNITS, "Surgery", "Admin").empty


@pytest.mark.parametrize(
    ("a", "b", "message"),
    [
        ("Radiology", "Admin",
         "`a` must be one of the units: 'Admin', 'Diagnostics', 'Surgery'. Got 'Radiology' instead."),
        ("Admin", "Admin", "`a` and `b` must be two different units. Got 'Admin' twice."),
    ],
)  # fmt: skip
def test_unit_pair_carriers_reject_bad_units(a: str, b: str, message: str) -> None:
    with pytest.raises(InputError) as err:
        unit_pair_carriers(graph(9, HOSPITAL, HOSPITAL_NAMES), HOSPITAL_UNITS, a, b)
    assert str(err.value) == message


def test_community_table_is_available_from_silos() -> None:
    g = graph(5, MIXED)
    table = community_table(g, np.array([0, 0, 0, 1, 1]), MIXED_UNITS, np.array(g.vs["name"], dtype=object))
    assert table["dominant_units"].tolist() == ["A 100%", "B 100%"]


DEGENERATE = {
    "empty": (0, []),
    "one person": (1, []),
    "no ties": (4, []),
    "star": (5, [(0, 1), (0, 2), (0, 3), (0, 4)]),
    "disconnected": (6, [(0, 1), (1, 2), (3, 4), (4, 5)]),
}


@pytest.mark.parametrize("case", DEGENERATE)
def test_degenerate_networks_never_crash(case: str) -> None:
    n, edges = DEGENERATE[case]
    g = graph(n, edges)
    units = np.array(["A", "B"] * n)[:n]
    card = group_scorecard(g, units, permutations=200)
    assert card["size"].sum() == n
    assert block_density(g, units).shape == (len(set(units)),) * 2
    assert len(bridges(g, units)) <= n
    found = detect_communities(g)
    assert (
        len(community_table(g, found.membership, units, np.array(g.vs["name"], dtype=object)))
        == found.n_communities
    )
    if not edges:
        assert (ei_index(g, units), formal_modularity(g, units)) == (None, None)
    if n == 0:
        assert partition_agreement(units, found.membership) == {"nmi": None, "ari": None}


def test_star_and_disconnected_figures() -> None:
    star = graph(5, [(0, 1), (0, 2), (0, 3), (0, 4)])
    units = np.array(["A", "B", "A", "B", "A"])
    # hub in A: A holds 2 internal arcs and 2 external -> E-I 0; the whole network too.
    assert group_scorecard(star, units, permutations=0)["ei_index"].tolist() == [0.0, 1.0]
    top = bridges(star, units)
    assert top["person_id"].tolist() == ["p0"]
    assert top["is_articulation_point"].tolist() == [True]
    apart = graph(6, [(0, 1), (1, 2), (3, 4), (4, 5)])
    assert formal_modularity(apart, np.array(["A", "A", "A", "B", "B", "B"])) == pytest.approx(0.5)


@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 10), data=st.data())
def test_renaming_and_reordering_people_changes_no_score(n: int, data: st.DataObject) -> None:
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1])
    edges = sorted(set(data.draw(st.lists(pairs, max_size=25))))
    units = np.array(data.draw(st.lists(st.sampled_from("XYZ"), min_size=n, max_size=n)))
    order = np.array(data.draw(st.permutations(range(n))))
    where = np.argsort(order)  # new position of old vertex i
    moved = graph(n, [(int(where[s]), int(where[t])) for s, t in edges], [f"q{i}" for i in order])
    columns = ["group", "size", "internal_ties", "external_ties", "ei_index", "insularity", "density"]
    before = group_scorecard(graph(n, edges), units, permutations=0)[columns]
    assert_frame_equal(before, group_scorecard(moved, units[order], permutations=0)[columns])
    assert_frame_equal(block_density(graph(n, edges), units), block_density(moved, units[order]))


def test_block_density_of_the_largest_groups_is_that_part_of_the_whole_matrix() -> None:
    g = ig.Graph(n=6, edges=[(0, 1), (1, 2), (2, 0), (3, 4), (0, 3), (4, 1), (5, 0), (2, 5)], directed=True)
    groups = np.array(["A", "A", "A", "B", "B", "C"])
    whole = block_density(g, groups)
    top = block_density(g, groups, top=2)
    assert top.index.tolist() == ["A", "B"] and top.columns.tolist() == ["A", "B"]
    assert np.allclose(top.to_numpy(), whole.loc[["A", "B"], ["A", "B"]].to_numpy(), equal_nan=True)


@settings(max_examples=60)
@given(
    st.integers(min_value=2, max_value=9).flatmap(
        lambda n: st.tuples(
            st.lists(st.integers(0, 3), min_size=n, max_size=n),
            st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=25),
        )
    )
)
def test_unit_pairs_cut_by_a_removal_match_a_brute_force_count(case) -> None:
    from leadnet.bridging import _removal_losses

    units, pairs = case
    codes = np.asarray(units)
    contacts = {tuple(sorted(p)) for p in pairs if p[0] != p[1] and units[p[0]] != units[p[1]]}
    u = np.array([a for a, _ in sorted(contacts)], dtype=np.int64)
    v = np.array([b for _, b in sorted(contacts)], dtype=np.int64)
    lost, cut = _removal_losses(u, v, codes, 4)
    for person in range(len(units)):
        by_pair: dict[tuple[int, int], list[bool]] = {}
        for a, b in contacts:
            key = tuple(sorted((units[a], units[b])))
            by_pair.setdefault(key, []).append(person in (a, b))
        assert cut[person] == sum(all(hits) for hits in by_pair.values())
        assert lost[person] == sum(person in c for c in contacts)


def sole_pairs(person: int, contacts: set[frozenset[int]], pair: Callable) -> int:
    """The unit pairs whose every contact ``person`` holds."""
    mine = {pair(c) for c in contacts if person in c}
    return sum(all(person in c for c in contacts if pair(c) == q) for q in mine)


def reference_bridges(g: ig.Graph, units: list[str | None], top: int) -> list[tuple]:
    """The greedy search of :func:`bridges` in plain Python: every step counted afresh from sets."""
    names, n = g.vs["name"], g.vcount()
    known = [u is not None for u in units]
    ends = [(e.source, e.target) for e in g.es]
    left = {frozenset(c) for c in ends if all(known[p] for p in c) and units[c[0]] != units[c[1]]}
    total, pair = len(left), lambda c: frozenset(units[p] for p in c)
    cross_ties = [sum(p in c for c in left) for p in range(n)]
    reached = [len({units[q] for c in left if p in c for q in c if q != p}) for p in range(n)]
    und = g.as_undirected()
    parts = len(und.connected_components())
    rows: list[tuple] = []
    for rank in range(1, top + 1):
        if not left:
            break
        best = min(range(n), key=lambda p: (-sum(p in c for c in left), -sole_pairs(p, left, pair), names[p]))
        lost, pairs_cut = sum(best in c for c in left), sole_pairs(best, left, pair)
        left = {c for c in left if best not in c}
        without = und.copy()
        without.delete_vertices([best])
        articulation = len(without.connected_components()) > parts
        rows.append((rank, names[best], units[best], cross_ties[best], reached[best], articulation,
                     lost, pairs_cut, 1.0 - len(left) / total))  # fmt: skip
    return rows


@settings(max_examples=300, deadline=None)
@given(n=st.integers(2, 9), top=st.integers(1, 8), data=st.data())
def test_bridges_match_a_plain_greedy_search_ties_included(n: int, top: int, data: st.DataObject) -> None:
    # few units and people: many candidates tie on contacts lost and pairs cut, person_id decides
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
    edges = data.draw(st.lists(pairs, max_size=3 * n))
    units = data.draw(st.lists(st.sampled_from(["X", "Y", "Z", "W", None]), min_size=n, max_size=n))
    names = [f"q{i}" for i in data.draw(st.permutations(range(n)))]
    g = graph(n, edges, names)
    table = bridges(g, np.array(units, dtype=object), top=top)
    expected = pd.DataFrame(reference_bridges(g, units, top), columns=table.columns)
    assert_frame_equal(table, expected.astype(table.dtypes.to_dict()))


# --- people of unknown unit (a missing label): in no group, their ties in no count ---------------


def test_ties_with_an_end_of_unknown_unit_are_neither_internal_nor_external() -> None:
    # tests/unknown_units.py: I = 3 + 1 = 4, E = 2; the five arcs that touch x1 or x2 count nowhere.
    # org-wide E-I = (2 − 4) / 6 = −1/3 (as one more unit "X": (6 − 5) / 11 = +1/11)
    g = unknown.graph()
    assert ei_index(g, unknown.UNITS) == pytest.approx(-1 / 3)
    card = group_scorecard(g, unknown.UNITS, permutations=0)
    # A: I 3, E 2 → (2 − 3)/5 = −0.2, insularity 6/8, density 3/(3·2); B: I 1, E 2 → 1/3, 2/4, 1/(2·1)
    assert card["group"].tolist() == ["A", "B"]
    assert card["size"].tolist() == [3, 2]
    assert card["internal_ties"].tolist() == [3, 1]
    assert card["external_ties"].tolist() == [2, 2]
    assert card["ei_index"].tolist() == pytest.approx([-0.2, 1 / 3])
    assert card["insularity"].tolist() == pytest.approx([0.75, 0.5])
    assert card["density"].tolist() == pytest.approx([0.5, 0.5])


def test_the_ei_permutation_test_shuffles_known_units_over_the_people_who_have_one() -> None:
    # Same seed, same p-values as the network without x1 and x2: their labels are not shuffled in
    # and their ties are in no permuted count.
    with_unknown = group_scorecard(unknown.graph(), unknown.UNITS, permutations=2000, seed=7)
    known_only = group_scorecard(
        unknown.graph(unknown.KNOWN), unknown.UNITS[: unknown.KNOWN], permutations=2000, seed=7
    )
    assert_frame_equal(with_unknown, known_only)


def test_block_density_and_formal_modularity_leave_unknown_people_out() -> None:
    g = unknown.graph()
    blocks = block_density(g, unknown.UNITS)
    assert blocks.index.tolist() == ["A", "B"]
    # A→A 3/6, A→B 1/6, B→A 1/6, B→B 1/2: x1 and x2 add neither people nor arcs to any cell
    np.testing.assert_allclose(blocks.to_numpy(), [[0.5, 1 / 6], [1 / 6, 0.5]])
    # Q among the known five: m = 6 contacts, degrees A 3+3+2 = 8, B 2+2 = 4 (2m = 12):
    # A 3/6 − (8/12)² = 1/18, B 1/6 − (4/12)² = 1/18, Q = 1/9
    assert formal_modularity(g, unknown.UNITS) == pytest.approx(1 / 9)


def test_nmi_and_ari_against_units_are_over_the_people_of_known_unit() -> None:
    # communities a1 a2 | a3 b1 b2, x1 in the first, x2 in the second; over the five known:
    #        c0  c1
    #   A     2   1        H(U) = H(C) = −(3/5 ln 3/5 + 2/5 ln 2/5) = 0.673012
    #   B     0   2        I = 2/5 ln(5/3) + 1/5 ln(5/9) + 2/5 ln(5/3) = 0.291103
    # NMI = I / ((H(U) + H(C)) / 2) = 0.432538
    # ARI: Σ C(n_ij, 2) = 1 + 0 + 1 = 2, rows 3 + 1 = 4, columns 1 + 3 = 4, C(5, 2) = 10:
    #      expected 4 · 4 / 10 = 1.6, (2 − 1.6) / ((4 + 4)/2 − 1.6) = 1/6
    agreement = partition_agreement(np.array([0, 0, 1, 1, 1, 0, 1]), unknown.UNITS)
    assert agreement["nmi"] == pytest.approx(0.432538, abs=1e-6)
    assert agreement["ari"] == pytest.approx(1 / 6)


def test_bridges_count_only_contacts_between_two_known_different_units() -> None:
    # cross contacts a1–b1 and a2–b2 only; x1 (tied to a1, a2) and x2 (to b1, b2) bridge nothing.
    # Step 1: four people hold one each, none the sole A–B contact; a1 by person_id.
    # Step 2: a2–b2 is left, the sole A–B contact: a2 cuts the pair.
    table = bridges(unknown.graph(), unknown.UNITS)
    assert table["person_id"].tolist() == ["a1", "a2"]
    assert table["cross_unit_ties"].tolist() == [1, 1]
    assert table["units_reached"].tolist() == [1, 1]
    assert table["removal_cross_ties_lost"].tolist() == [1, 1]
    assert table["removal_unit_pairs_cut"].tolist() == [0, 1]
    assert table["cumulative_cross_share"].tolist() == pytest.approx([0.5, 1.0])


@settings(max_examples=40)
@given(n=st.integers(2, 8), m=st.integers(1, 4), data=st.data())
def test_people_of_unknown_unit_tied_among_themselves_leave_the_known_peoples_ei_unchanged(
    n: int, m: int, data: st.DataObject
) -> None:
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1])
    edges = sorted(set(data.draw(st.lists(pairs, min_size=1, max_size=20))))
    units = np.array(data.draw(st.lists(st.sampled_from("XYZ"), min_size=n, max_size=n)), dtype=object)
    # m people of unknown unit: a ring among themselves, and ties to and from the known people
    ring = [(n + i, n + (i + 1) % m) for i in range(m)] if m > 1 else []
    known = st.integers(0, n - 1)
    links = data.draw(st.lists(st.tuples(known, st.integers(n, n + m - 1)), max_size=6))
    extra = ring + [(a, b) for a, b in links] + [(b, a) for a, b in links[::2]]
    wider = graph(n + m, edges + extra)
    blanks = np.concatenate([units, np.full(m, None, dtype=object)])
    assert ei_index(wider, blanks) == ei_index(graph(n, edges), units)
    columns = ["group", "size", "internal_ties", "external_ties", "ei_index"]
    before = group_scorecard(graph(n, edges), units, permutations=0)[columns]
    assert_frame_equal(group_scorecard(wider, blanks, permutations=0)[columns], before)
