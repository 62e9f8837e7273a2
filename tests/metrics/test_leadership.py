"""Leadership distribution indices: org-wide, per unit, per level; privacy suppression."""

from __future__ import annotations

import math

import igraph as ig
import numpy as np
import pandas as pd
import pytest
from pajek_data import lazega

from leadnet.errors import ConfigError, InputError
from leadnet.metrics.leadership import (
    LEVEL_COLUMNS,
    ORG_FIELDS,
    UNIT_COLUMNS,
    LeadershipIndices,
    leadership_indices,
)


def people_table(
    units: list[str], levels: list[str], ranks: list[int | None], managers: list[bool]
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "person_id": [f"p{i}" for i in range(len(units))],
            "unit": units,
            "level": levels,
            "level_rank": pd.array(ranks, dtype="Int64"),
            "is_manager": managers,
        }
    )


def star() -> tuple[ig.Graph, pd.DataFrame]:
    """Everyone (p1..p5, level 3) asks p0 (level 1, the manager); one unit of 6."""
    g = ig.Graph(n=6, edges=[(i, 0) for i in range(1, 6)], directed=True)
    people = people_table(["u"] * 6, ["L1"] + ["L3"] * 5, [1] + [3] * 5, [True] + [False] * 5)
    return g, people


def test_star_is_fully_centralised_with_gini_at_its_maximum() -> None:
    g, people = star()
    ix = leadership_indices(g, people, np.array([0.5, 0.1, 0.1, 0.1, 0.1, 0.1]))
    assert ix.centralization_in_degree == 1.0
    assert ix.gini_in_degree == pytest.approx(5 / 6)  # (n − 1)/n, the most one of 6 can hold
    assert ix.cv_in_degree == pytest.approx(math.sqrt(5))  # in-degrees 5,0,0,0,0,0: sd √(125/36), mean 5/6
    assert ix.density == pytest.approx(5 / 30)
    assert ix.leadership_share_outside_top is None  # the top is one person: withheld (tests below)
    assert ix.level_influence_spearman is None  # levels of 1 and 5 both hidden: ρ would say who is the top
    assert ix.top_influencers_manager_share == 1.0
    assert ix.n_unknown_level == 0


def test_cycle_has_no_centralisation_and_no_inequality() -> None:
    g = ig.Graph.Ring(6, directed=True)
    people = people_table(
        ["u"] * 6, ["L1", "L2", "L3", "L3", "L3", "L3"], [1, 2, 3, 3, 3, 3], [True] * 2 + [False] * 4
    )
    ix = leadership_indices(g, people, np.full(6, 1 / 6))
    assert (ix.centralization_in_degree, ix.gini_in_degree, ix.cv_in_degree) == (0.0, 0.0, 0.0)
    assert ix.level_influence_spearman is None
    assert ix.reasons["level_influence_spearman"] == "level_rank or in-degree is the same for everyone"


def levels_fixture() -> tuple[ig.Graph, pd.DataFrame]:
    """p0..p4 seniors (rank 1, managers), p5..p9 juniors (rank 2), p10 level unknown.

    Arcs: p5..p9 → p0, p0 → p5, p1 → p5, p6 → p7, p10 → p5, p10 → p0.
    In-degree: p0 6, p5 3, p7 1, everyone else 0; total 10, all received by known levels.
    """
    arcs = [(i, 0) for i in range(5, 10)] + [(0, 5), (1, 5), (6, 7), (10, 5), (10, 0)]
    g = ig.Graph(n=11, edges=arcs, directed=True)
    people = people_table(
        ["u"] * 11,
        ["senior"] * 5 + ["junior"] * 5 + [""],
        [1] * 5 + [2] * 5 + [None],
        [True] * 5 + [False] * 6,
    )
    return g, people


def test_share_outside_top_excludes_unknown_levels_and_counts_them() -> None:
    g, people = levels_fixture()
    pagerank = np.array([0.3, 0.05, 0.05, 0.05, 0.05, 0.2, 0.05, 0.1, 0.05, 0.05, 0.05])
    ix = leadership_indices(g, people, pagerank, top_levels=1)
    assert ix.leadership_share_outside_top == pytest.approx(4 / 10)  # p5 3 + p7 1 of 10
    assert ix.pagerank_share_outside_top == pytest.approx(0.45 / 0.95)  # juniors' PageRank / known levels'
    assert ix.n_unknown_level == 1
    assert ix.top_influencers_manager_share == 1.0  # top 5% of 11 → 1 person, p0, a manager


def test_spearman_of_level_rank_with_in_degree_is_computed_on_known_levels() -> None:
    g, people = levels_fixture()
    ix = leadership_indices(g, people, np.full(11, 1 / 11), top_levels=1)
    rank = pd.Series([1] * 5 + [2] * 5).rank().to_numpy()
    indeg = pd.Series([6, 0, 0, 0, 0, 3, 0, 1, 0, 0]).rank().to_numpy()
    assert ix.level_influence_spearman == pytest.approx(np.corrcoef(rank, indeg)[0, 1])


SPEARMAN_WITHHELD = (
    "withheld for privacy: the levels hidden in the table of influence by level are not next to each other "
    "(or no other level is left), so they cannot be counted as one level, and ρ over each person's own level "
    "would tell which of their people holds which level (minimum group size 5)"
)


def chief_and_directors(chiefs: int) -> tuple[ig.Graph, pd.DataFrame]:
    """``chiefs`` people at level 1, 8 directors at level 2, 20 staff at level 3; staff s asks
    director s % 8 and director d asks chief d % chiefs: in-degrees 8/chiefs, 2 or 3, 0."""
    n = chiefs + 28
    directors = range(chiefs, chiefs + 8)
    arcs = [(d, (d - chiefs) % chiefs) for d in directors]
    arcs += [(s, chiefs + (s - chiefs - 8) % 8) for s in range(chiefs + 8, n)]
    ranks = [1] * chiefs + [2] * 8 + [3] * 20
    people = people_table(["u"] * n, [f"L{r}" for r in ranks], ranks, [r < 3 for r in ranks])
    return ig.Graph(n=n, edges=arcs, directed=True), people


def test_spearman_counts_the_levels_the_table_hides_as_one_so_it_cannot_tell_who_holds_which() -> None:
    # a chief executive alone at level 1, hidden with the 8 directors: ρ over everyone's own level
    # told which of the 9 people whose level is not shown is the chief (an attack on the Riverside
    # sample found them among the 255 ways of giving levels 1 and 2 to those 9); levels 1 and 2
    # counted as one, every way gives the same ρ
    g, people = chief_and_directors(1)
    ix = leadership_indices(g, people, np.full(29, 1 / 29))
    assert "level_influence_spearman" not in ix.reasons
    indeg = pd.Series(g.indegree(), dtype=float)
    pooled = pd.Series([1.0] * 9 + [3.0] * 20)
    assert ix.level_influence_spearman == pytest.approx(pooled.corr(indeg, method="spearman"))
    assert ix.level_influence_spearman == pytest.approx(-0.9813763961886948)
    for chief in range(9):  # the chief made any one of the 9: the same ρ
        ranks = [2] * 9 + [3] * 20
        ranks[chief] = 1
        other = leadership_indices(
            g, people.assign(level_rank=pd.array(ranks, dtype="Int64")), np.full(29, 1 / 29)
        )
        assert other.level_influence_spearman == pytest.approx(ix.level_influence_spearman)
    assert ix.by_level["mean_in_degree"].tolist() == [None, None, 0.0]  # the two levels the table hides
    # five chiefs: no level hidden, ρ over each person's own level
    g, people = chief_and_directors(5)
    ix = leadership_indices(g, people, np.full(33, 1 / 33))
    assert "level_influence_spearman" not in ix.reasons
    ranks, indeg = people["level_rank"].astype(float), pd.Series(g.indegree())
    assert ix.level_influence_spearman == pytest.approx(ranks.corr(indeg, method="spearman"))


def test_spearman_is_withheld_when_the_hidden_levels_are_not_next_to_each_other() -> None:
    # one person at level 1 and 4 at level 3 hidden, 30 at level 2 shown between them
    g = ig.Graph(n=35, edges=[(i, 0) for i in range(5, 35)] + [(0, 1), (2, 1)], directed=True)
    ranks = [1] + [3] * 4 + [2] * 30
    people = people_table(["u"] * 35, [f"L{r}" for r in ranks], ranks, [True] * 5 + [False] * 30)
    ix = leadership_indices(g, people, np.full(35, 1 / 35))
    assert ix.level_influence_spearman is None
    assert ix.reasons["level_influence_spearman"] == SPEARMAN_WITHHELD


def test_by_level_gives_size_mean_median_and_share_per_level() -> None:
    g, people = levels_fixture()
    pagerank = np.array([0.3, 0.05, 0.05, 0.05, 0.05, 0.2, 0.05, 0.1, 0.05, 0.05, 0.05])
    table = leadership_indices(g, people, pagerank, top_levels=1).by_level
    assert tuple(table.columns) == LEVEL_COLUMNS
    assert table.to_dict("records") == [
        {"level": "senior", "level_rank": 1, "size": 5, "mean_in_degree": 1.2, "median_in_degree": 0.0,
         "mean_pagerank": pytest.approx(0.1), "share_of_in_degree": 0.6},
        {"level": "junior", "level_rank": 2, "size": 5, "mean_in_degree": 0.8, "median_in_degree": 0.0,
         "mean_pagerank": pytest.approx(0.09), "share_of_in_degree": 0.4},
    ]  # fmt: skip


def test_a_small_level_and_the_next_smallest_are_suppressed() -> None:
    g, people = star()  # level L1 has 1 person, L3 has 5
    ix = leadership_indices(g, people, np.full(6, 1 / 6))
    assert ix.by_level["size"].tolist() == [1, 5]
    assert ix.by_level[list(LEVEL_COLUMNS[3:])].isna().all().all()
    assert ix.reasons["by_level[L1]"] == "fewer than 5 people (minimum group size): figures suppressed"
    assert ix.reasons["by_level[L3]"] == (
        "suppressed with a smaller group so that totals cannot reveal it (minimum group size 5)"
    )


def test_two_small_levels_holding_fewer_than_k_together_hide_the_next_smallest_too() -> None:
    # Levels of 1, 3 and 12: hiding the 1 and the 3 left the 12 visible, and its share of
    # in-degree gave back the other 4 people's share (a reviewer's finding).
    n = 16
    g = ig.Graph(n=n, edges=[(i, 0) for i in range(1, n)] + [(0, 1), (2, 1)], directed=True)
    levels = ["L1"] + ["L2"] * 3 + ["L3"] * 12
    people = people_table(["u"] * n, levels, [1] + [2] * 3 + [3] * 12, [True] + [False] * (n - 1))
    ix = leadership_indices(g, people, np.full(n, 1 / n))
    assert ix.by_level["size"].tolist() == [1, 3, 12]
    assert ix.by_level[list(LEVEL_COLUMNS[3:])].isna().all().all()
    assert ix.reasons["by_level[L3]"] == (
        "suppressed with a smaller group so that totals cannot reveal it (minimum group size 5)"
    )


def units_fixture() -> tuple[ig.Graph, pd.DataFrame]:
    """Unit A: a0..a5 (a0 rank 2 manager, a1 rank 3, a2..a5 rank 4); B: 5 people; C: 3 people.

    Inside A: a1..a5 → a0 and a0 → a1, so within-A in-degrees are 5, 1, 0, 0, 0, 0.
    B's and C's people also ask a0 (ties that cross units, left out of A's own figures).
    """
    units = ["A"] * 6 + ["B"] * 5 + ["C"] * 3
    arcs = [(i, 0) for i in range(1, 6)] + [(0, 1)] + [(i, 0) for i in range(6, 14)] + [(6, 7)]
    g = ig.Graph(n=14, edges=arcs, directed=True)
    ranks = [2, 3, 4, 4, 4, 4] + [3] * 8
    people = people_table(units, [f"L{r}" for r in ranks], ranks, [True] + [False] * 13)
    return g, people


def test_unit_figures_use_the_ties_inside_the_unit() -> None:
    g, people = units_fixture()
    table = leadership_indices(g, people, np.full(14, 1 / 14)).by_unit
    assert tuple(table.columns) == UNIT_COLUMNS
    a = table.iloc[0].to_dict()
    assert (a["unit"], a["size"]) == ("A", 6)
    assert a["density"] == pytest.approx(6 / 30)
    assert a["centralization_in_degree"] == pytest.approx(24 / 25)  # Σ(5 − d) = 0+4+5+5+5+5 over 5²
    assert a["gini_in_degree"] == pytest.approx(56 / 72)  # Σ|xi − xj| = 56 over 2 n² mean = 72
    assert a["cv_in_degree"] == pytest.approx(math.sqrt(20 / 6))  # mean 1, variance 26/6 − 1
    assert a["leadership_share_outside_top"] is None  # a0 alone in the top 2 levels: withheld (below)


def test_small_unit_and_next_smallest_unit_get_none_with_reasons() -> None:
    g, people = units_fixture()
    ix = leadership_indices(g, people, np.full(14, 1 / 14))
    assert ix.by_unit["unit"].tolist() == ["A", "B", "C"]
    assert ix.by_unit["size"].tolist() == [6, 5, 3]
    assert ix.by_unit.loc[1:, list(UNIT_COLUMNS[2:])].isna().all().all()
    assert set(ix.reasons) >= {"by_unit[B]", "by_unit[C]"}


def test_to_dict_has_the_org_wide_fields_and_parameters() -> None:
    g, people = star()
    out = leadership_indices(g, people, np.full(6, 1 / 6), top_levels=2, min_group_size=6).to_dict()
    assert list(out)[: len(ORG_FIELDS)] == list(ORG_FIELDS)
    assert (out["top_levels"], out["min_group_size"]) == (2, 6)


def test_network_without_ties_gives_none_with_reasons() -> None:
    people = people_table(["u"] * 5, ["L1"] * 5, [1] * 5, [False] * 5)
    ix = leadership_indices(ig.Graph(n=5, directed=True), people, np.full(5, 0.2))
    assert ix.density == 0.0 and ix.gini_in_degree is None
    assert ix.reasons["gini_in_degree"] == "no in-ties"
    assert ix.reasons["leadership_share_outside_top"].startswith(  # all five at level 1: no one below it
        "everyone with a known level is in the top 2 levels, so no one is outside them to hold a share"
    )
    assert ix.reasons["top_influencers_manager_share"] == "no in-ties"


def test_empty_network_does_not_crash() -> None:
    people = people_table([], [], [], [])
    ix = leadership_indices(ig.Graph(n=0, directed=True), people, np.array([]))
    assert ix.density is None and ix.reasons["density"] == "fewer than 2 people"
    assert len(ix.by_unit) == 0 and len(ix.by_level) == 0


def test_min_group_size_below_the_privacy_floor_is_rejected() -> None:
    g, people = star()
    with pytest.raises(ConfigError) as info:
        leadership_indices(g, people, np.full(6, 1 / 6), min_group_size=4)
    assert str(info.value) == "min_group_size must be 5 or more (the privacy floor). Got 4 instead."


def test_people_of_the_wrong_length_are_rejected() -> None:
    g, people = star()
    with pytest.raises(InputError) as info:
        leadership_indices(g, people.iloc[:5], np.full(6, 1 / 6))
    assert str(info.value) == (
        "people and pagerank must have one row per vertex (6 vertices). "
        "Got 5 people and 6 PageRank values instead."
    )


# --- Lazega's law firm: partners are the formal top (level 1), associates level 2 ---


def test_lazega_share_of_advice_held_by_partners_and_associates_matches_plain_counting() -> None:
    data = lazega()
    status = data.partitions["status.clu"]  # 1 partner, 2 associate
    received = [0] * data.n
    for _, j in data.arcs[1]:
        received[j - 1] += 1
    partners = sum(received[i] for i in range(data.n) if status[i] == 1)
    associates = sum(received[i] for i in range(data.n) if status[i] == 2)
    assert (partners, associates) == (637, 255)  # of 892 advice arcs

    g = ig.Graph(n=data.n, edges=[(i - 1, j - 1) for i, j in data.arcs[1]], directed=True)
    levels = ["partner" if s == 1 else "associate" for s in status]
    people = people_table(["firm"] * data.n, levels, status, [s == 1 for s in status])
    ix = leadership_indices(g, people, np.asarray(g.pagerank()), top_levels=1)
    assert ix.leadership_share_outside_top == pytest.approx(associates / (partners + associates))  # 0.2859
    shares = dict(zip(ix.by_level["level"], ix.by_level["share_of_in_degree"], strict=True))
    assert shares == {"partner": pytest.approx(637 / 892), "associate": pytest.approx(255 / 892)}
    assert ix.density == pytest.approx(892 / (71 * 70))  # 0.1795, as PROVENANCE.md
    assert round(ix.level_influence_spearman, 4) == -0.6497  # measured: advice follows seniority
    assert ix.top_influencers_manager_share == 1.0  # lawyers 26, 13, 17, 24 are all partners


def test_unit_figures_equal_those_of_each_units_own_subgraph() -> None:
    """The per-unit figures, worked out from one pass over the ties, against their definition:
    each unit's induced subgraph, on a random graph with self-ties and repeated arcs."""
    from leadnet.metrics.structure import centralization_in_degree, density

    rng = np.random.default_rng(7)
    n = 120
    arcs = rng.integers(0, n, size=(900, 2)).tolist() + [[3, 3], [3, 3], [5, 9], [5, 9]]
    g = ig.Graph(n=n, edges=arcs, directed=True)
    units = rng.choice(["A", "B", "C", "D", "E", ""], size=n).tolist()
    ranks = rng.integers(1, 5, size=n).tolist()
    people = people_table(units, [f"L{r}" for r in ranks], ranks, [False] * n)
    table = leadership_indices(g, people, np.full(n, 1 / n)).by_unit
    assert table["unit"].tolist() == ["A", "B", "C", "D", "E"]
    for row in table.to_dict("records"):
        members = [i for i, u in enumerate(units) if u == row["unit"]]
        sub = g.induced_subgraph(members)
        assert row["size"] == len(members)
        assert row["density"] == pytest.approx(density(sub))
        assert row["centralization_in_degree"] == pytest.approx(centralization_in_degree(sub))
        in_degree = np.asarray(sub.indegree(), dtype=float)
        outside = np.array([ranks[i] > 2 for i in members])  # below the top two levels (the default)
        share = in_degree[outside].sum() / in_degree.sum()
        assert row["leadership_share_outside_top"] == pytest.approx(share)
        mean_gap = np.abs(in_degree[:, None] - in_degree[None, :]).mean()
        assert row["gini_in_degree"] == pytest.approx(mean_gap / (2 * in_degree.mean()))


def test_the_headcount_below_the_top_is_the_share_an_even_spread_gives_and_says_why_when_unknown() -> None:
    g, people = levels_fixture()  # 5 seniors at level 1, 5 juniors at level 2, 1 level unknown
    assert leadership_indices(g, people, np.full(11, 1 / 11), top_levels=1).people_share_outside_top == 0.5
    g, people = star()
    unknown = people.assign(level_rank=pd.array([None] * 6, dtype="Int64"))
    ix = leadership_indices(g, unknown, np.full(6, 1 / 6))
    assert ix.people_share_outside_top is None
    assert ix.reasons["people_share_outside_top"].startswith("no one has a known level")


# --- privacy: the shares outside the top are figures about the top group and the rest ---

SHARE_KEYS = ("leadership_share_outside_top", "pagerank_share_outside_top", "people_share_outside_top")
WITHHELD_TOP_LEVEL = (
    "withheld for privacy: either the top level or the people below it number fewer than 5, and the share "
    "would give back figures about fewer than 5 people (minimum group size)"
)


def withheld(ix: LeadershipIndices, key: str = "leadership_share_outside_top") -> str:
    """The reason of an org-wide share, which must be missing."""
    assert getattr(ix, key) is None
    return ix.reasons[key]


def test_a_top_of_one_person_withholds_every_share_outside_the_top_with_the_reason() -> None:
    # The star's boss is level 1 alone: (1 − share) × 5 ties would be the boss's 5 nominations,
    # and 6 × (1 − people share) the top's headcount, while the level table hides level 1 as <5.
    g, people = star()
    ix = leadership_indices(g, people, np.full(6, 1 / 6), top_levels=1)
    assert {withheld(ix, key) for key in SHARE_KEYS} == {WITHHELD_TOP_LEVEL}
    assert set(SHARE_KEYS) <= set(ix.to_dict())  # the keys stay; their values are null


def test_a_top_of_five_with_three_below_is_withheld_too() -> None:
    # Two groups: when either is under k, both are hidden (the rule of groups_to_suppress).
    g = ig.Graph(n=8, edges=[(5, 0), (6, 0), (7, 0), (0, 5)], directed=True)
    people = people_table(["u"] * 8, ["L1"] * 5 + ["L3"] * 3, [1] * 5 + [3] * 3, [True] * 5 + [False] * 3)
    ix = leadership_indices(g, people, np.full(8, 1 / 8))
    assert (
        withheld(ix)
        == withheld(ix, "people_share_outside_top")
        == (
            "withheld for privacy: either the top 2 levels or the people below them number fewer than 5, and "
            "the share would give back figures about fewer than 5 people (minimum group size)"
        )
    )


def test_a_units_share_is_withheld_when_its_top_is_one_person() -> None:
    # Unit A's top 2 levels hold a0 alone: 1 − 1/6 of A's 6 inside ties would be a0's 5.
    g, people = units_fixture()
    ix = leadership_indices(g, people, np.full(14, 1 / 14))
    assert ix.by_unit.loc[0, "leadership_share_outside_top"] is None
    assert ix.reasons["by_unit[A].leadership_share_outside_top"] == (
        "withheld for privacy: in the unit, either the top 2 levels or the people below them number fewer "
        "than 5, and the share would give back figures about fewer than 5 people (minimum group size)"
    )


def test_a_units_withheld_share_is_flagged_and_shown_under_k_whatever_its_reason_says(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Which cell is withheld is recorded as the share is withheld, not read back from the reason's
    # words: reworded, the reason once let units.csv show the cell empty ("not computed") instead of <5.
    monkeypatch.setattr("leadnet.metrics.distribution.WITHHELD_FOR_PRIVACY", "held back for privacy")
    g, people = units_fixture()
    ix = leadership_indices(g, people, np.full(14, 1 / 14))
    assert ix.reasons["by_unit[A].leadership_share_outside_top"] == (
        "held back for privacy: in the unit, either the top 2 levels or the people below them number fewer "
        "than 5, and the share would give back figures about fewer than 5 people (minimum group size)"
    )
    assert ix.withheld_by_unit == frozenset({("A", "leadership_share_outside_top")})
    shown = ix.by_unit_shown()
    assert shown["unit"].tolist() == ["A", "B", "C"]
    assert shown["leadership_share_outside_top"].tolist() == ["<5", None, None]


def test_a_units_share_is_shown_when_its_top_and_the_rest_hold_five_each() -> None:
    """Unit A: a0..a4 at level 1, a5..a9 at level 3; inside A a5..a9 → a0, a0 → a5, a6 → a7, so
    in-degrees a0 5, a5 1, a7 1: 2 of 7 go below the top. Unit B (b0..b4, all level 3) has no
    one at the top, which is no group: its one tie b0 → b1 goes below the top, share 1."""
    arcs = [(i, 0) for i in range(5, 10)] + [(0, 5), (6, 7), (10, 11)]
    g = ig.Graph(n=15, edges=arcs, directed=True)
    ranks = [1] * 5 + [3] * 10
    people = people_table(["A"] * 10 + ["B"] * 5, [f"L{r}" for r in ranks], ranks, [True] * 5 + [False] * 10)
    table = leadership_indices(g, people, np.full(15, 1 / 15)).by_unit
    assert table["leadership_share_outside_top"].tolist() == [pytest.approx(2 / 7), 1.0]


def hidden_levels_fixture() -> tuple[ig.Graph, pd.DataFrame]:
    """Levels 1 (p0..p2), 2 (p3..p12), 3 (p13, p14) and 4 (p15..p34): the level table hides 1
    and 3 (3 and 2 people, 5 together) and shows 2 and 4.

    Arcs: p15..p34 → p0, p3..p12 → p13, p0 → p3, p13 → p15. In-degree: p0 20, p13 10, p3 1,
    p15 1; of 32, level 1 holds 20, level 2 1, level 3 10, level 4 1.
    """
    arcs = [(i, 0) for i in range(15, 35)] + [(i, 13) for i in range(3, 13)] + [(0, 3), (13, 15)]
    ranks = [1] * 3 + [2] * 10 + [3] * 2 + [4] * 20
    people = people_table(["u"] * 35, [f"L{r}" for r in ranks], ranks, [True] * 13 + [False] * 22)
    return ig.Graph(n=35, edges=arcs, directed=True), people


def test_the_share_is_withheld_when_beside_the_level_table_it_gives_back_a_hidden_level() -> None:
    # With the top 2 levels (13 people) and 22 below, both groups are large enough, but the share
    # below the top (11/32) less level 4's shown 1/32 would be level 3's 10/32: two people's.
    g, people = hidden_levels_fixture()
    ix = leadership_indices(g, people, np.full(35, 1 / 35))
    assert ix.by_level["share_of_in_degree"].tolist() == [None, 1 / 32, None, 1 / 32]
    assert withheld(ix) == (
        "withheld for privacy: beside the table of influence by level it would give back the figures of "
        "levels hidden there (minimum group size 5)"
    )


def test_the_share_is_shown_when_the_hidden_levels_all_sit_on_one_side() -> None:
    # The top 3 levels hold both hidden levels: the share gives back only their sum with level 2.
    g, people = hidden_levels_fixture()
    ix = leadership_indices(g, people, np.full(35, 1 / 35), top_levels=3)
    assert ix.leadership_share_outside_top == pytest.approx(1 / 32)
    assert ix.people_share_outside_top == pytest.approx(20 / 35)
