import numpy as np
import pandas as pd
import pytest
from report_fixtures import cliques, make_analysis, org, snapshot_of, with_outside

from leadnet.analysis import analyse
from leadnet.privacy import Hidden
from leadnet.report.drawn import network_scope
from leadnet.report.graph import graph_data, strongest_ties
from leadnet.report.render import network_data


def test_each_person_keeps_their_strongest_ties_and_the_total_is_capped() -> None:
    # Person 0 sends 5 ties of weights 5..1; person 1 sends one weak tie to 5.
    src = np.array([0, 0, 0, 0, 0, 1])
    dst = np.array([1, 2, 3, 4, 5, 5])
    weight = np.array([5.0, 4.0, 3.0, 2.0, 1.0, 0.5])
    kept = strongest_ties(src, dst, weight, per_person=2)
    # 0's two strongest (to 1, 2); 3 and 4 keep their only received tie; 5 keeps both.
    assert kept.tolist() == [0, 1, 2, 3, 4, 5]
    assert strongest_ties(src, dst, weight, per_person=1).tolist() == [0, 1, 2, 3, 4, 5]
    assert strongest_ties(src, dst, weight, per_person=1, cap=3).tolist() == [0, 1, 2]


def test_weaker_ties_of_busy_people_are_left_out() -> None:
    # A complete graph on 6: everyone has 5 out and 5 in; with 1 per person few survive.
    pairs = [(a, b) for a in range(6) for b in range(6) if a != b]
    src, dst = np.array(pairs).T
    weight = np.arange(len(pairs), dtype=float)
    kept = strongest_ties(src, dst, weight, per_person=1)
    assert len(kept) < len(pairs)
    assert kept[0] == len(pairs) - 1  # the strongest tie comes first


def test_node_ids_are_integers_and_labels_pseudonyms_without_show_names() -> None:
    analysis = make_analysis(org({"A": 6, "B": 7}, names=True))
    data = network_data(analysis, show_names=False)
    assert [n["id"] for n in data["nodes"]] == list(range(13))
    assert data["nodes"][0]["label"] == "p0000"
    assert not any("Name" in n["label"] or "Name" in n["title"] for n in data["nodes"])
    named = network_data(analysis, show_names=True)
    assert named["nodes"][0]["label"] == "Name p0000"
    assert named["nodes"][0]["title"].startswith("Name p0000\nUnit: A\n")


def test_tooltips_are_plain_text() -> None:
    analysis = make_analysis(org({"A": 6}))
    title = network_data(analysis, show_names=False)["nodes"][0]["title"]
    assert isinstance(title, str)
    # The unit's one head is a level of 1, suppressed in the level table: not named here either.
    assert title == "p0000\nUnit: A\nLevel: not shown (privacy)\nSought out by 1; turns to 1"


def test_positions_are_the_same_on_every_run() -> None:
    analysis = make_analysis(org({"A": 6, "B": 7, "C": 9}))
    first, second = network_data(analysis, show_names=False), network_data(analysis, show_names=False)
    assert first == second
    xs = [n["x"] for n in first["nodes"]]
    assert len(set(xs)) > 1


def test_large_organisations_open_on_the_unit_graph() -> None:
    analysis = make_analysis(org({"A": 6, "B": 7, "Tiny": 3}))
    people = analysis.people
    data = graph_data(people, analysis.snapshot.ties_of(), people["person_id"].tolist(), unit_view_from=10,
                      hidden=Hidden(units=frozenset({"B", "Tiny"})))  # fmt: skip
    assert data["view"] == "units"
    units = {n["label"]: n for n in data["unitGraph"]["nodes"]}
    assert set(units) == {"A", "Units pooled for privacy"}  # B and Tiny drawn as one pool of 10
    assert units["A"]["title"].split("\n")[1] == "6 people"
    assert units["Units pooled for privacy"]["title"].split("\n")[1] == "10 people"
    assert data["hiddenUnits"] == []


def test_a_unit_of_one_person_says_1_person() -> None:
    # It said "1 people". (The pooled outside world of an e-mail source, "(external)", is no unit and
    # says its ties instead: tests/test_pooled_outside.py.)
    analysis = make_analysis(org({"A": 6, "B": 1}))
    people = analysis.people
    data = graph_data(people, analysis.snapshot.ties_of(), people["person_id"].tolist(), unit_view_from=5)
    titles = {n["label"]: n["title"].split("\n")[1] for n in data["unitGraph"]["nodes"]}
    assert titles == {"A": "6 people", "B": "1 person"}


def test_a_unit_graph_edge_of_one_tie_says_1_tie() -> None:
    analysis = make_analysis(org({"A": 6, "B": 7}))  # B's head asks A's: one tie across
    people = analysis.people
    data = graph_data(people, analysis.snapshot.ties_of(), people["person_id"].tolist(), unit_view_from=10)
    assert [e["title"] for e in data["unitGraph"]["edges"]] == ["B → A: 1 tie"]


@pytest.mark.parametrize(
    ("people", "ties"),
    [
        (pd.DataFrame({"person_id": [], "unit": []}), None),
        (pd.DataFrame({"person_id": ["a", "b"], "unit": ["x", "y"]}), None),
        (pd.DataFrame({"person_id": ["a"], "unit": ["x"]}), None),
        (
            pd.DataFrame({"person_id": list("hijkl"), "unit": "x"}),
            pd.DataFrame({"source": list("ijkl"), "target": "h", "relation": "advice", "weight": 1.0}),
        ),
    ],
    ids=["empty", "no-ties", "one-person", "star"],
)
def test_degenerate_networks_give_valid_graph_data(people: pd.DataFrame, ties: pd.DataFrame | None) -> None:
    data = network_data(make_analysis(snapshot_of(people, ties)), show_names=False)
    assert len(data["nodes"]) == len(people)
    assert data["ties"]["total"] == (0 if ties is None else len(ties))


@pytest.mark.parametrize("size", [40, 1200])  # below and above igraph's grid threshold (1,000 vertices)
def test_layout_keeps_two_planted_groups_apart(size: int) -> None:
    """Two dense groups joined by one tie: each group's people sit nearer their own centre."""
    import igraph as ig

    from leadnet.report.layout import layout

    rng = np.random.default_rng(3)
    half = size // 2
    edges = [
        (int(a) + offset, int(b) + offset)
        for offset in (0, half)
        for a, b in rng.integers(0, half, size=(6 * half, 2))
        if a != b
    ]
    points = layout(ig.Graph(n=size, edges=[*edges, (0, half)]).simplify(), seed=0)
    group = np.arange(size) >= half
    centres = np.array([points[~group].mean(axis=0), points[group].mean(axis=0)])
    own = np.linalg.norm(points - centres[group.astype(int)], axis=1)
    other = np.linalg.norm(points - centres[1 - group.astype(int)], axis=1)
    assert (own < other).mean() > 0.95
    assert np.isfinite(points).all() and len(np.unique(points, axis=0)) > 0.9 * size


def test_the_network_data_names_the_suppressed_units_and_the_ties_per_person() -> None:
    people = pd.DataFrame(
        {"person_id": list("abcd"), "unit": ["x", "x", "y", "y"], "level": "", "in_degree": 0,
         "out_degree": 0, "community": 0, "roles": ""}
    )  # fmt: skip
    ties = pd.DataFrame({"source": ["a"], "target": ["c"], "weight": [1.0]})
    data = graph_data(people, ties, list("abcd"), hidden=Hidden(units=frozenset({"y"}), k=5))
    assert data["units"] == ["Units pooled for privacy", "x"]
    assert data["hiddenUnits"] == [0]  # the pool holds 2 people, under k: its count is not shown either
    assert data["unitGraph"]["nodes"][0]["title"].split("\n")[1] == "<5 people"
    assert data["k"] == 5
    assert data["ties"]["perPerson"] == 3
    assert np.isfinite(data["ties"]["shown"])


def test_a_small_level_without_a_rank_is_not_named_in_the_network() -> None:
    # Ranked: 2 heads (hidden by the level table, with the next smallest, 5 staff) and
    # 6 nurses. Without a rank: a chair and a secretary, 1 each (hidden, and together under
    # 5, but no other unranked level to add). One person has no level at all.
    levels = ["Head"] * 2 + ["Staff"] * 5 + ["Nurse"] * 6 + ["Chair", "Secretary", ""]
    ranks = [1] * 2 + [2] * 5 + [3] * 6 + [None] * 3
    people = pd.DataFrame({"person_id": [f"q{i:02d}" for i in range(16)], "unit": ["A"] * 8 + ["B"] * 8,
                           "level": levels, "level_rank": pd.array(ranks, dtype="Int64")})  # fmt: skip
    ties = pd.DataFrame({"source": people["person_id"], "target": np.roll(people["person_id"], 1)})
    analysis = make_analysis(snapshot_of(people, ties.assign(relation="advice", weight=1.0)))
    nodes = network_data(analysis, show_names=False)["nodes"]
    titles = {n["label"]: n["title"].split("\n")[2] for n in nodes}
    assert titles["q13"] == titles["q14"] == "Level: not shown (privacy)"  # chair, secretary
    assert titles["q00"] == titles["q02"] == "Level: not shown (privacy)"  # a head, a staff member
    assert titles["q07"] == "Level: Nurse"
    assert titles["q15"] == "Level: unknown"


def test_suppressed_communities_are_one_legend_entry_and_people_with_no_tie_another() -> None:
    """Cliques of 10, 8 and 3 and two people with no tie: the 8 and the 3 are suppressed. Each
    node used to carry its own community, so the 3's members could be counted on screen, and
    each lone person was a community of their own in the legend."""
    data = network_data(analyse(cliques({"a": 10, "b": 8, "c": 3}, lone=2)), show_names=False)
    assert data["communities"] == ["community 0", "Communities pooled for privacy", "no tie"]
    codes = pd.Series([n["community"] for n in data["nodes"]]).value_counts().to_dict()
    assert codes == {0: 10, 1: 11, 2: 2}


def test_people_with_no_tie_are_one_community_in_the_legend() -> None:
    # The demo's five people with no tie showed as communities 8 to 12, under "8 communities".
    data = network_data(analyse(cliques({"a": 6, "b": 5}, lone=5)), show_names=False)
    assert data["communities"] == ["community 0", "community 1", "no tie"]
    assert sorted({n["community"] for n in data["nodes"]}) == [0, 1, 2]


def test_people_of_no_unit_are_one_entry_that_is_no_unit_and_hides_its_count_under_k() -> None:
    # x and y have a blank unit: not a unit named "", and (2 < k) their number is not shown,
    # as units.csv has no row for them that a reader could match
    people = pd.DataFrame(
        {"person_id": list("abcdxy"), "unit": ["u"] * 4 + ["", ""], "level": "", "in_degree": 0,
         "out_degree": 0, "community": 0, "roles": ""}
    )  # fmt: skip
    ties = pd.DataFrame({"source": ["a", "x"], "target": ["x", "b"], "weight": [1.0, 1.0]})
    data = graph_data(people, ties, list("abcdxy"), hidden=Hidden(k=5))
    assert data["units"] == ["no unit in the roster", "u"]
    assert data["hiddenUnits"] == [0]
    assert data["unitGraph"]["nodes"][0]["title"].split("\n")[1] == "<5 people"
    assert {e["title"] for e in data["unitGraph"]["edges"]} == {
        "no unit in the roster → u", "u → no unit in the roster"}  # fmt: skip


def test_the_overview_counts_the_rosters_units_and_names_the_other_entries_apart() -> None:
    # Units A, B, C (B and C pooled for privacy, one entry), x and y of no unit, and the pooled outside
    # world: 5 entries, which the overview counted as 4 units and the pooled outside world.
    people = pd.DataFrame(
        {"person_id": [*"abcdexy", "external"], "unit": [*"AABBC", "", "", "(external)"], "level": "",
         "in_degree": 0, "out_degree": 0, "community": [0] * 7 + [None], "roles": ""}
    )  # fmt: skip
    ties = pd.DataFrame({"source": ["a", "c", "x"], "target": ["external", "e", "a"], "weight": 1.0})
    ids = people["person_id"].tolist()
    data = graph_data(people, ties, ids, hidden=Hidden(units=frozenset({"B", "C"})), outside=["external"])
    assert data["units"] == [
        "A",
        "Units pooled for privacy",
        "no unit in the roster",
        "outside the roster (pooled)",
    ]
    assert data["unitsWords"] == (
        "3 units (2 of them pooled for privacy), plus people with no unit and the pooled outside world"
    )
    assert graph_data(people[:5], ties[1:2], ids[:5])["unitsWords"] == "3 units"
    assert graph_data(people[:2], ties[:0], ids[:2])["unitsWords"] == "1 unit"


def test_a_person_whose_ties_are_all_with_people_not_drawn_is_not_shown_as_no_tie(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Above NETWORK_PEOPLE the view holds the largest units only (here A, 7, and B, 5, of 14): a7
    # asks only c0 of C, which is not drawn, so no tie of a7 is drawn. a7 still has a tie, and is
    # not counted in n_isolated: "no tie" is decided on all the ties, not on those drawn.
    from functools import partial

    import leadnet.report.render as render

    ids = [f"a{i}" for i in range(1, 8)] + [f"b{i}" for i in range(1, 6)] + ["c0", "c1"]
    people = pd.DataFrame({"person_id": ids, "unit": ["A"] * 7 + ["B"] * 5 + ["C"] * 2})
    arcs = [(f"a{i}", f"a{i % 6 + 1}") for i in range(1, 7)] + [
        (f"b{i}", f"b{i % 5 + 1}") for i in range(1, 6)
    ]
    arcs += [("a7", "c0"), ("c0", "c1")]
    ties = pd.DataFrame(arcs, columns=["source", "target"]).assign(relation="advice", weight=1.0)
    monkeypatch.setattr(render, "network_scope", partial(network_scope, limit=12))
    data = network_data(make_analysis(snapshot_of(people, ties)), show_names=False)
    assert data["note"] == "The network view shows the 2 largest of 3 units (12 of 14 people)."
    entry = {n["label"]: data["communities"][n["community"]] for n in data["nodes"]}
    assert entry["a7"] != "no tie" and "no tie" not in data["communities"]


def test_a_roster_of_no_units_with_the_outside_world_pooled_is_one_unit_as_the_analysis_has_it() -> None:
    # Every roster unit blank: the analysis has one organisation-wide unit (units.csv: one row).
    # The view pooled everyone as "no unit in the roster", the outside world counted in deciding
    # that, and said "0 units, plus people with no unit and the pooled outside world".
    analysis = make_analysis(with_outside(org({"": 8}), {"p0000": 1, "p0001": 1}))
    assert analysis.units[["unit", "size"]].values.tolist() == [["", 8]]
    data = network_data(analysis, show_names=False)
    assert data["units"] == ["", "outside the roster (pooled)"]
    assert (data["unitsWords"], data["hiddenUnits"]) == ("1 unit and the pooled outside world", [])


def test_the_largest_units_view_ranks_and_counts_units_only(monkeypatch: pytest.MonkeyPatch) -> None:
    # Above the limit, the view ranked the people of no unit (10, the largest "unit") and the outside
    # world as units: "shows the 1 largest of 5 units (10 of 30 people)", the people of no unit drawn
    # alone, as if a unit.
    from functools import partial

    import leadnet.report.render as render

    units = {"A": 8, "B": 6, "": 10, "C": 5}
    people = pd.DataFrame(
        {
            "person_id": [f"{u or 'n'}{i}" for u, n in units.items() for i in range(n)],
            "unit": [u for u, n in units.items() for _ in range(n)],
        }
    )
    ring = [
        (f"{u or 'n'}{i}", f"{u or 'n'}{(i + 1) % n}") for u, n in units.items() if n > 1 for i in range(n)
    ]
    ties = pd.DataFrame(ring, columns=["source", "target"]).assign(relation="advice", weight=1.0)
    snapshot = with_outside(snapshot_of(people, ties), {"A0": 1, "n0": 1})
    monkeypatch.setattr(render, "network_scope", partial(network_scope, limit=14))
    data = network_data(make_analysis(snapshot), show_names=False)
    assert data["note"] == (
        "The network view shows the 2 largest of 3 units (14 of 29 people; people with no unit not shown)."
    )
    shown = {f"A{i}" for i in range(8)} | {f"B{i}" for i in range(6)} | {"external"}
    assert {n["label"] for n in data["nodes"]} == shown
    assert data["units"] == ["A", "B", "outside the roster (pooled)"]
