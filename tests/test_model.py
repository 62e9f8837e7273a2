from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from leadnet.errors import InputError
from leadnet.model import InputRecord, Period, Provenance, Snapshot, normalise_ties


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
        non_respondents={"advice": ("c",)},
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
    assert back.non_respondents == {"advice": ("c",)}


def test_loading_a_folder_that_is_not_a_snapshot_says_what_to_pass(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is not a saved snapshot: snapshot.json is missing"):
        Snapshot.load(tmp_path)


def test_ties_to_unknown_people_are_refused() -> None:
    people = pd.DataFrame({"person_id": ["a"]})
    ties = pd.DataFrame({"source": ["a"], "target": ["z"], "relation": "advice", "weight": 1.0, "count": 1})
    with pytest.raises(InputError, match="ties to people missing"):
        Snapshot.build("main", people, ties).to_igraph()


def tie_rows(pairs: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {"source": [s for s, _ in pairs], "target": [t for _, t in pairs], "relation": "advice",
         "weight": 1.0, "count": 1}
    )  # fmt: skip


def test_self_ties_are_refused_with_an_example() -> None:
    people = pd.DataFrame({"person_id": ["a", "b"]})
    snap = Snapshot.build("main", people, tie_rows([("a", "b"), ("b", "b")]))
    with pytest.raises(InputError, match=r"1 self-tie\(s\), e.g. 'b' to itself"):
        snap.to_igraph()


def test_repeated_ties_are_refused_whatever_the_row_order() -> None:
    """Sorted by build, repeats sit side by side; a snapshot made without build, or from ties
    promised to be sorted that are not, keeps its order, and the repeats are found all the same."""
    people = pd.DataFrame({"person_id": ["a", "b", "c"]})
    pairs = [("b", "c"), ("a", "b"), ("c", "a"), ("a", "b"), ("b", "c"), ("a", "c")]
    sorted_snap = Snapshot.build("main", people, tie_rows(pairs))
    with pytest.raises(InputError, match=r"2 repeated tie row\(s\), e.g. 'a' to 'b'"):
        sorted_snap.to_igraph()
    unsorted = Snapshot.build("main", people, tie_rows(pairs), ties_ordered=True)
    assert unsorted.ties["source"].tolist() == ["b", "a", "c", "a", "b", "a"]  # kept as given
    with pytest.raises(InputError, match=r"2 repeated tie row\(s\), e.g. 'a' to 'b'"):
        unsorted.to_igraph()
    Snapshot.build("main", people, tie_rows(pairs[:3]), ties_ordered=True).to_igraph()  # unsorted, no repeat


def test_normalised_ids_share_one_object_per_person() -> None:
    # 4.4 million ties of a log cut by month held a new str per row (1 GB); one per person now
    ties = pd.DataFrame(
        {"source": ["E02", "E01", "E02"], "target": ["E01", "E02", "E03"], "weight": [1, 2, 3], "count": 1},
        dtype="str",
    ).assign(relation="e-mail")
    out = normalise_ties(ties)
    assert out[["source", "target", "relation"]].values.tolist() == [
        ["E01", "E02", "e-mail"],
        ["E02", "E01", "e-mail"],
        ["E02", "E03", "e-mail"],
    ]
    assert out["source"].dtype == object and out["weight"].tolist() == [2.0, 1.0, 3.0]
    assert out["source"].iloc[1] is out["source"].iloc[2]
    assert out["relation"].iloc[0] is out["relation"].iloc[2]
