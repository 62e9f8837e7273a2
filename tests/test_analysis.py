"""analyse() on the Riverside sample against its planted ground truth, and on degenerate networks."""

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest

import unknown_units as unknown
from leadnet.analysis import BROKERAGE_ROLES, PEOPLE_CSV_COLUMNS, SUMMARY_KEYS, Analysis, analyse
from leadnet.config import load_config
from leadnet.importers.project import load_project
from leadnet.model import Snapshot
from leadnet.partitions import partition_agreement
from leadnet.report.exports import write_csv

RIVERSIDE = Path(__file__).resolve().parents[1] / "data" / "samples" / "riverside"
TRUTH = json.loads((RIVERSIDE / "ground_truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def riverside() -> dict[str, Analysis]:
    config = load_config(RIVERSIDE)
    inputs = load_project(config)
    return {name: analyse(snap, config.analysis, config.project) for name, snap in inputs.snapshots.items()}


def labelled(analysis: Analysis, role: str) -> set[str]:
    people = analysis.people
    return set(people.loc[people["roles"].str.split(";").map(lambda r: role in r), "person_id"])


def f1(found: set[str], planted: set[str]) -> float:
    hits = len(found & planted)
    return 2 * hits / (len(found) + len(planted)) if found or planted else 1.0


def test_planted_informal_leaders_are_recovered(riverside: dict[str, Analysis]) -> None:
    found = labelled(riverside["before"], "informal_leader")
    assert f1(found, set(TRUTH["informal_leaders"])) >= 0.9, sorted(found)


def test_planted_boundary_spanners_are_recovered(riverside: dict[str, Analysis]) -> None:
    found = labelled(riverside["before"], "boundary_spanner")
    assert f1(found, set(TRUTH["boundary_spanners"])) >= 0.9, sorted(found)


def test_after_the_programme_the_new_spanners_are_cohort_members(riverside: dict[str, Analysis]) -> None:
    found = labelled(riverside["after"], "boundary_spanner")
    planted, cohort = set(TRUTH["boundary_spanners"]), set(TRUTH["cohort"])
    assert f1(found - cohort, planted) >= 0.9
    assert found - planted <= cohort  # every extra spanner is a programme participant


def test_every_label_says_why(riverside: dict[str, Analysis]) -> None:
    reasons = riverside["before"].roles.reasons
    leader = reasons[(reasons["role"] == "informal_leader")].iloc[0]
    assert leader["evidence"].startswith("in-degree ") and leader["evidence"].endswith("not a manager")
    assert "above Q3 + 1.5·IQR" in leader["rule"]


def test_the_planted_silos_are_the_most_insular_units_with_the_lowest_ei(
    riverside: dict[str, Analysis],
) -> None:
    for analysis in riverside.values():
        units = analysis.units.set_index("unit")
        assert set(units["insularity"].astype(float).nlargest(2).index) == set(TRUTH["silos"])
        assert set(units["ei_index"].astype(float).nsmallest(2).index) == set(TRUTH["silos"])


def test_the_planted_bridges_are_among_the_top_ranked_bridges(riverside: dict[str, Analysis]) -> None:
    top = riverside["before"].bridges.head(10)["person_id"]
    assert set(TRUTH["bridges"]) <= set(top)


def test_bridges_name_each_persons_unit(riverside: dict[str, Analysis]) -> None:
    before = riverside["before"]
    unit_of = dict(zip(before.people["person_id"], before.people["unit"], strict=True))
    bridges = before.bridges
    assert len(bridges) and bridges["unit"].tolist() == bridges["person_id"].map(unit_of).tolist()
    assert set(bridges["unit"]) <= set(before.snapshot.people["unit"])


def test_no_survey_non_respondent_is_labelled_peripheral(riverside: dict[str, Analysis]) -> None:
    # Before the fix every peripheral label in both waves was on a non-respondent (14 and 12).
    for analysis in riverside.values():
        silent = set(analysis.snapshot.non_respondents_of())
        assert silent and not labelled(analysis, "peripheral") & silent


def test_communities_count_clusters_of_two_or_more_and_isolated_people_apart(
    riverside: dict[str, Analysis],
) -> None:
    # 16 and 13 "communities" were 8 clusters plus 8 and 5 isolated non-respondents.
    for name, isolated in (("before", 8), ("after", 5)):
        summary, people = riverside[name].summary, riverside[name].people
        sizes = people["community"].value_counts()
        assert (summary["n_communities"], summary["n_isolated"]) == (8, isolated)
        assert summary["n_communities"] == int((sizes >= 2).sum())
        assert int((sizes == 1).sum()) == isolated


def test_summary_has_every_stable_key_filled(riverside: dict[str, Analysis]) -> None:
    summary = riverside["before"].summary
    assert set(SUMMARY_KEYS) <= set(summary)
    assert all(summary[k] is not None for k in SUMMARY_KEYS), {k for k in SUMMARY_KEYS if summary[k] is None}
    assert summary["n_people"] == 600
    assert (summary["n_respondents"], summary["n_non_respondents"]) == (552, 48)
    assert summary["nmi_units_communities"] > 0.9


def test_riverside_counts_the_response_to_each_surveyed_relation(riverside: dict[str, Analysis]) -> None:
    # One survey file per wave asks about advice and collaboration; 48 of 600 answered neither
    # question, in both waves. E-mail and membership were not surveyed: null, with the reason.
    for analysis in riverside.values():
        relations = analysis.summary["relations"]
        for relation in ("advice", "collaboration"):
            counts = [relations[relation][k] for k in ("n_respondents", "n_non_respondents", "response_rate")]
            assert counts == [552, 48, pytest.approx(0.92)]
        for relation in ("email", "membership"):
            assert relations[relation]["response_rate"] is None
            assert relations[relation]["reasons"]["n_respondents"].startswith(
                f'no survey asked about "{relation}"'
            )


def test_people_table_has_the_contract_columns_in_order(riverside: dict[str, Analysis]) -> None:
    assert tuple(riverside["before"].people.columns[: len(PEOPLE_CSV_COLUMNS)]) == PEOPLE_CSV_COLUMNS


def people_in(units: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame([{"person_id": f"{u}{i}", "unit": u} for u, n in units.items() for i in range(n)])


def ring_ties(ids: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {"source": ids, "target": ids[1:] + ids[:1], "relation": "advice", "weight": 1.0, "count": 1}
    )


def test_a_unit_of_three_never_shows_its_figures_nor_the_next_smallest() -> None:
    people = people_in({"Big": 20, "Mid": 9, "Small": 6, "Tiny": 3})
    result = analyse(Snapshot.build("main", people, ring_ties(list(people["person_id"]))))
    units = result.units.set_index("unit")
    assert (units.loc["Tiny"] == "<5").all() and (units.loc["Small"] == "<5").all()
    assert units.loc["Big", "size"] == 20 and units.loc["Mid", "size"] == 9


def test_people_with_no_tie_hide_no_community() -> None:
    """Cliques of 10, 8 and 3 and two people with no tie. Hiding the 3 with the two lone people
    gave it back: 23 people - 10 - 8 shown - 2 with no tie (the summary's n_isolated) = 3."""
    people = people_in({"a": 10, "b": 8, "c": 3, "z": 2})
    ids = people["person_id"]
    pairs = [(s, t) for s in ids for t in ids if s != t and s[0] == t[0] and s[0] != "z"]
    ties = pd.DataFrame(pairs, columns=["source", "target"]).assign(relation="advice", weight=1.0, count=1)
    result = analyse(Snapshot.build("main", people, ties))
    assert result.summary["n_isolated"] == 2
    assert result.communities["size"].tolist() == [10, "<5", "<5", "<5", "<5"]


def test_the_communities_table_names_no_unit_whose_figures_are_suppressed() -> None:
    """Tiny (3) and the next smallest unit, Mid (8), show <5 in units.csv; Tiny's people work in
    Big's clique, Mid's in a clique of its own. Named there ("Mid 100%" of 8), Mid gave its size
    back and with it Tiny's: 43 people - Big's 20 - Other's 12 - Mid's 8 = 3."""
    people = people_in({"Big": 20, "Other": 12, "Mid": 8, "Tiny": 3})
    team = dict(zip(people["person_id"], people["unit"].replace("Tiny", "Big"), strict=True))
    pairs = [(s, t) for s in team for t in team if s != t and team[s] == team[t]]
    ties = pd.DataFrame(pairs, columns=["source", "target"]).assign(relation="advice", weight=1.0, count=1)
    result = analyse(Snapshot.build("main", people, ties))
    assert result.units.set_index("unit").loc[["Mid", "Tiny"], "size"].tolist() == ["<5", "<5"]
    assert result.communities["size"].tolist() == [23, 12, 8]
    assert result.communities["dominant_units"].tolist() == ["Big", "Other 100%", ""]


EMPTY_TIES = pd.DataFrame(columns=["source", "target", "relation", "weight", "count"])


@pytest.mark.parametrize(
    ("people", "ties"),
    [
        (people_in({}), EMPTY_TIES),
        (people_in({"A": 1}), EMPTY_TIES),
        (people_in({"A": 6, "B": 6}), EMPTY_TIES),
        (
            people_in({"A": 8}),
            pd.DataFrame(
                {
                    "source": [f"A{i}" for i in range(1, 8)],
                    "target": "A0",
                    "relation": "advice",
                    "weight": 1.0,
                    "count": 1,
                }
            ),
        ),
        (
            people_in({"A": 5, "B": 5}),
            pd.concat([ring_ties([f"A{i}" for i in range(5)]), ring_ties([f"B{i}" for i in range(5)])]),
        ),
    ],
    ids=["empty", "one-person", "no-ties", "star", "disconnected"],
)
def test_degenerate_networks_give_a_result_with_reasons_not_a_crash(
    people: pd.DataFrame, ties: pd.DataFrame
) -> None:
    result = analyse(Snapshot.build("main", people, ties))
    assert set(SUMMARY_KEYS) <= set(result.summary)
    assert len(result.people) == len(people)
    missing = {key for key, value in result.summary.items() if value is None and key != "relation"}
    assert set(result.summary["reasons"]) == missing
    assert "not computed" not in result.summary["reasons"].values()
    if len(ties) == 0 and len(people) > 1:
        # the placeholder communities of a tie-less network are not compared with the units
        assert result.summary["nmi_units_communities"] is None
        assert result.summary["reasons"]["modularity"] == "no ties: modularity is undefined"
        assert result.summary["reasons"]["nmi_units_communities"] == (
            "no communities to set against the units (no ties)"
        )
        assert result.summary["reasons"]["ei_index"] == "no ties"
    if len(ties) and people["unit"].nunique() == 1:
        assert result.summary["reasons"]["ei_index"].startswith("everyone is in one unit")
    if len(ties) == 0:
        # no cluster of two or more people: everyone is isolated (12 people counted 12 communities,
        # which the report called "12 working clusters of two or more people"; 1 person, 1)
        assert (result.summary["n_communities"], result.summary["n_isolated"]) == (0, len(people))
        assert result.summary["density"] is None or result.summary["density"] == 0
        assert result.summary["relations"] == {} or all(
            "reasons" in r for r in result.summary["relations"].values()
        )


# --- a blank unit where others have one is unknown (tests/unknown_units.py) ----------------------


def test_people_of_blank_unit_are_left_out_of_every_unit_figure_and_counted() -> None:
    result = analyse(unknown.snapshot())
    summary = result.summary
    # I = 4, E = 2 over the six arcs between known units: (2 − 4) / 6 (as a unit "": +1/11)
    assert summary["ei_index"] == pytest.approx(-1 / 3)
    assert (summary["n_unknown_unit"], summary["n_unknown_unit_ties"]) == (2, unknown.N_UNKNOWN_ARCS)
    assert summary["formal_modularity"] == pytest.approx(1 / 9)  # Q among the known five
    assert result.units["unit"].tolist() == ["A", "B"]  # no row for "", however many
    people = result.people.set_index("person_id")
    assert people.loc[["a1", "b1"], "participation"].tolist() == pytest.approx([4 / 9, 0.5])
    assert people.loc[["x1", "x2"], ["participation", "cross_unit_share", "brokerage_z"]].isna().all().all()
    assert people.loc[["x1", "x2"], "brokerage_total"].isna().all()  # not classified, not 0
    assert "boundary_spanner" not in ";".join(people.loc[["x1", "x2"], "roles"])
    # A (3) and B (2) are hidden for privacy: the bridges take them as one unit, as every output
    # shows them, so no contact is between units shown (bridges of unknown units: test_silos.py)
    assert result.bridges.empty
    known = people["unit"].ne("").to_numpy()
    nmi = partition_agreement(people["community"].to_numpy()[known], people["unit"].to_numpy()[known])
    assert summary["nmi_units_communities"] == nmi["nmi"]
    assert "2 people of unknown group left out" in result.methods["brokerage"]


BROKERAGE_COUNTS = [f"brokerage_{role}" for role in BROKERAGE_ROLES] + ["brokerage_total"]


def test_brokerage_counts_of_people_of_blank_unit_are_missing_not_zero(tmp_path: Path) -> None:
    # x1 and x2 broker two-paths (x1→a1→a2, a2→x1→x2, ...) that cannot be classified: 0 said
    # "no brokerage" beside a null z. The others keep their counts (tests/metrics/test_brokerage.py).
    result = analyse(unknown.snapshot())
    people = result.people.set_index("person_id")
    assert (people[BROKERAGE_COUNTS].dtypes == "Int64").all()
    assert people.loc[["x1", "x2"], BROKERAGE_COUNTS].isna().all().all()
    assert people.loc[["a1", "a2", "a3", "b1", "b2"], "brokerage_total"].tolist() == [2, 2, 1, 1, 1]
    assert people.loc[["a1", "a2", "a3"], "brokerage_coordinator"].tolist() == [1, 1, 1]
    # as the CSV writer spells them; people.csv itself shows these units' (under 5) figures as <5
    write_csv(result.people, tmp_path / "people.csv")
    rows = {r["person_id"]: r for r in csv.DictReader(io.StringIO(read_text(tmp_path / "people.csv")))}
    assert [rows["x1"][c] for c in BROKERAGE_COUNTS] == [""] * 6 and rows["x1"]["brokerage_z"] == ""
    assert [rows["a1"][c] for c in BROKERAGE_COUNTS] == ["1", "0", "1", "0", "0", "2"]


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig")


def silent_snapshot(non_respondents: tuple[str, ...] = ("s",)) -> Snapshot:
    """a, b, c in unit A, d and s in B; s did not answer the survey and is named by a and d.
    Arcs: a→s, d→s, a→b, b→c, c→d."""
    people = pd.DataFrame({"person_id": list("abcds"), "unit": list("AAABB")})
    arcs = [("a", "s"), ("d", "s"), ("a", "b"), ("b", "c"), ("c", "d")]
    ties = pd.DataFrame(arcs, columns=["source", "target"]).assign(relation="advice", weight=1.0, count=1)
    return Snapshot.build("main", people, ties, non_respondents={"advice": non_respondents})


def test_a_survey_non_respondents_brokerage_constraint_and_effective_size_are_missing(tmp_path: Path) -> None:
    # Every two-path through s needs an arc s names, so s brokered 0 however s works (had s
    # answered naming b, a→s→b and d→s→b would count). Burt's measures of s saw only the two
    # people who named s: constraint (1/2)² + (1/2)² = 0.5, effective size 2. All three are
    # missing now, not 0 or a figure from half the ties; the respondents' figures are unchanged.
    result = analyse(silent_snapshot())
    people = result.people.set_index("person_id")
    measured = ["brokerage_z", "constraint", "effective_size"]
    assert people.loc["s", BROKERAGE_COUNTS].isna().all() and people.loc["s", measured].isna().all()
    assert people.loc["s", "in_degree"] == 2  # the ties others named still count as received
    # b: a→b→c (coordinator); c: b→c→d (representative); d: c→d→s (gatekeeper)
    assert people.loc[list("abcd"), "brokerage_total"].tolist() == [0, 1, 1, 1]
    assert people.loc[list("abcd"), "constraint"].tolist() == pytest.approx([0.5] * 4)
    everyone = analyse(silent_snapshot(())).people.set_index("person_id")
    assert (everyone.loc["s", ["brokerage_total", "constraint", "effective_size"]] == [0, 0.5, 2.0]).all()
    pd.testing.assert_frame_equal(people.loc[list("abcd"), measured], everyone.loc[list("abcd"), measured])
    # as the CSV writer spells them; people.csv itself shows these units' (under 5) figures as <5
    write_csv(result.people, tmp_path / "people.csv")
    rows = {r["person_id"]: r for r in csv.DictReader(io.StringIO(read_text(tmp_path / "people.csv")))}
    assert {rows["s"][c] for c in [*BROKERAGE_COUNTS, *measured]} == {""}
    assert result.methods["non_respondents"].startswith(
        "1 of 5 people did not answer the advice survey: the ties they would have named are unknown, so "
        "their brokerage (counts and z), constraint and effective size are null"
    )
    assert analyse(silent_snapshot(())).methods["non_respondents"] is None


def spanner_snapshot(*extra: tuple[str, str]) -> Snapshot:
    """h (unit A) is asked by b (B) and c (C) and asks a (A); h also asks x1 and is asked by x2,
    whose units are blank. Seven people of known unit: A = h a a2, B = b b2, C = c c2."""
    people = pd.DataFrame({"person_id": ["h", "a", "a2", "b", "b2", "c", "c2", "x1", "x2"],
                           "unit": ["A", "A", "A", "B", "B", "C", "C", "", ""]})  # fmt: skip
    arcs = [("b", "h"), ("c", "h"), ("h", "a"), ("h", "x1"), ("x2", "h"), *extra]
    ties = pd.DataFrame(arcs, columns=["source", "target"]).assign(relation="advice", weight=1.0, count=1)
    return Snapshot.build("main", people, ties)


def test_a_boundary_spanner_needs_four_ties_to_people_of_known_unit() -> None:
    # h: contacts b (B), c (C), a (A): participation 1 − 3 × (1/3)² = 2/3 and cross-unit share 2/3,
    # both over 3 ties; the ties with x1 and x2 make in + out = 5, which passed the minimum of 4
    # although they count in neither measure. Brokerage b→h→a, c→h→a: 2 gatekeeper paths, z > 2.
    result = analyse(spanner_snapshot())
    h = result.people.set_index("person_id").loc["h"]
    assert (h["in_degree"] + h["out_degree"], h["participation"], h["cross_unit_share"]) == pytest.approx(
        (5, 2 / 3, 2 / 3)
    )
    assert h["brokerage_total"] == 2 and h["brokerage_z"] > 2
    assert "boundary_spanner" not in h["roles"].split(";") and result.summary["n_boundary_spanners"] == 0
    # h → b2 is a 4th tie to a known unit: participation 1 − (2/4)² − 2 × (1/4)² = 0.625, 3 of 4 cross
    spanner = analyse(spanner_snapshot(("h", "b2"))).roles.reasons.query("role == 'boundary_spanner'")
    assert spanner["person_id"].tolist() == ["h"]
    assert spanner["evidence"].iloc[0].endswith("across units 0.62 over 4 ties, 75.0% of ties cross units")


def test_people_of_blank_unit_tied_among_themselves_change_no_figure_between_units() -> None:
    alone, joined = analyse(unknown.snapshot(unknown.KNOWN)), analyse(unknown.snapshot())
    for key in ("ei_index", "formal_modularity"):
        assert joined.summary[key] == pytest.approx(alone.summary[key])
    columns = [
        "unit", "size", "internal_ties", "external_ties", "ei_index", "ei_p_value", "ei_p_holm", "insularity",
    ]  # fmt: skip
    pd.testing.assert_frame_equal(joined.units[columns], alone.units[columns])
    assert joined.block_density.equals(alone.block_density)


def test_a_roster_without_any_unit_is_one_unit_not_unknown_people() -> None:
    people = pd.DataFrame({"person_id": unknown.NAMES, "unit": ""})
    ties = unknown.snapshot().ties
    result = analyse(Snapshot.build("main", people, ties))
    assert result.summary["n_unknown_unit"] == 0 and result.summary["n_unknown_unit_ties"] == 0
    assert result.summary["reasons"]["ei_index"].startswith("everyone is in one unit")
    assert (result.people["participation"].dropna() == 0).all()
    assert result.people["brokerage_coordinator"].sum() > 0


def test_no_tie_between_two_known_units_is_the_reason_for_a_missing_ei_index() -> None:
    people = pd.DataFrame({"person_id": ["a", "b", "x"], "unit": ["A", "B", ""]})
    ties = pd.DataFrame({"source": ["x", "a"], "target": ["a", "x"], "relation": "advice", "weight": 1.0})
    summary = analyse(Snapshot.build("main", people, ties)).summary
    assert summary["ei_index"] is None
    assert summary["reasons"]["ei_index"] == "no tie joins two people whose units are known"
