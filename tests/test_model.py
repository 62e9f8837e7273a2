from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from leadnet.errors import InputError
from leadnet.model import InputRecord, Period, Provenance, Snapshot


def small() -> Snapshot:
    people = pd.DataFrame(
        {
            "person_id": ["c", "a", "b"],
            "unit": ["y", "x", "x"],
            "manager_id": ["a", "", "a"],
            "grade": ["7", "9", "00123"],
        }
    )
    ties = pd.DataFrame(
        {
            "source": ["b", "a", "a"],
            "target": ["a", "b", "c"],
            "relation": ["advice", "advice", "friendship"],
            "weight": [2.0, 1.0, 1.0],
            "count": [1, 1, 1],
        }
    )
    return Snapshot.build(
        "before",
        people,
        ties,
        period=Period(date(2026, 1, 1), date(2026, 3, 31)),
        provenance=Provenance((InputRecord("s.csv", "survey", "ab12", 4, 3, 1),), {"k": 1}, {"self-tie": 1}),
        non_respondents=("c",),
    )


def test_people_are_sorted_and_managers_derived_from_reporting_lines() -> None:
    snap = small()
    assert snap.people["person_id"].tolist() == ["a", "b", "c"]
    assert snap.people["is_manager"].tolist() == [True, False, False]
    assert snap.people["grade"].tolist() == ["9", "00123", "7"]  # identifiers stay strings


def test_primary_relation_is_advice_then_the_rest() -> None:
    assert small().relations == ("advice", "friendship")


def test_igraph_vertices_follow_the_people_table_and_carry_strengths() -> None:
    graph = small().to_igraph()
    assert graph.vs["name"] == ["a", "b", "c"]
    assert sorted(
        (graph.vs[e.source]["name"], graph.vs[e.target]["name"], e["weight"]) for e in graph.es
    ) == [
        ("a", "b", 1.0),
        ("b", "a", 2.0),
    ]
    assert small().to_igraph("friendship").ecount() == 1


def test_networkx_graph_has_every_person_and_attribute() -> None:
    graph = small().to_networkx()
    assert sorted(graph.nodes) == ["a", "b", "c"]
    assert graph.nodes["c"]["unit"] == "y"
    assert graph["b"]["a"]["weight"] == 2.0


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    snap = small()
    snap.save(tmp_path / "snapshot")
    back = Snapshot.load(tmp_path / "snapshot")
    pd.testing.assert_frame_equal(back.people, snap.people)
    pd.testing.assert_frame_equal(back.ties, snap.ties)
    assert back.period == snap.period
    assert back.provenance == snap.provenance
    assert back.non_respondents == ("c",)


def test_loading_a_folder_that_is_not_a_snapshot_says_what_to_pass(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is not a saved snapshot: snapshot.json is missing"):
        Snapshot.load(tmp_path)


def test_ties_to_unknown_people_are_refused() -> None:
    people = pd.DataFrame({"person_id": ["a"]})
    ties = pd.DataFrame({"source": ["a"], "target": ["z"], "relation": "advice", "weight": 1.0, "count": 1})
    with pytest.raises(InputError, match="ties to people missing"):
        Snapshot.build("main", people, ties).to_igraph()
