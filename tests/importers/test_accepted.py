"""Merging accepted rows into ties on integer numbers, checked against a pandas groupby of the text."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadnet.importers import tables
from leadnet.importers.accepted import Accepted, _groups, aggregate
from leadnet.importers.survey import load_survey
from leadnet.importers.ties import load_ties

PEOPLE = pd.DataFrame({"person_id": ["a", "b", "c", "d10"]})
IDS = ["a", "b", "c", "d10", " b", "zz", ""]  # a spelling with a space, an unknown id, a blank cell
RELATIONS = ["advice", "trust", " advice", ""]  # blank: the source's relation
WEIGHTS = ["1", "2", "0.5", "3", " 2", "0.1", "0.2"]


def rows(names: list[str]) -> Accepted:
    """Accepted rows from names, numbered as ``resolve_observations`` numbers them."""
    people = np.array(["a", "b", "c"], dtype=object)
    number = {p: i for i, p in enumerate(people)}
    pairs = [name.split(">") for name in names]
    return Accepted(
        np.array([number[s] for s, _ in pairs], dtype=np.int64),
        np.array([number[t] for _, t in pairs], dtype=np.int64),
        np.zeros(len(pairs), dtype=np.int64),
        people,
        np.array(["advice"], dtype=object),
        np.arange(1.0, len(pairs) + 1),
        np.arange(2, len(pairs) + 2),
    )


def test_repeated_rows_are_merged_on_their_numbers_and_named_once() -> None:
    ties, merged = aggregate(rows(["c>a", "a>b", "c>a", "a>b", "a>b"]), how="sum")
    assert ties[["source", "target", "relation", "weight", "count"]].values.tolist() == [
        ["a", "b", "advice", 2.0 + 4.0 + 5.0, 3],
        ["c", "a", "advice", 1.0 + 3.0, 2],
    ]
    assert merged == 3
    assert [type(v) for v in ties["source"]] == [str, str]


def test_undirected_rows_merge_both_directions_and_keep_the_largest_weight() -> None:
    ties, merged = aggregate(rows(["b>a", "a>b", "c>b"]), how="max", directed=False)
    assert ties[["source", "target", "weight", "count"]].values.tolist() == [
        ["a", "b", 2.0, 2],
        ["b", "a", 2.0, 2],
        ["b", "c", 3.0, 1],
        ["c", "b", 3.0, 1],
    ]
    assert merged == 1


def test_a_key_past_64_bits_is_renumbered_in_order() -> None:
    big = 2**40  # 2**40 relations × 2**40 people would not fit one 64-bit key
    relation, src, dst = np.array([3, 3, 0, 3]), np.array([big - 1, 5, 7, 5]), np.array([1, 2, 0, 2])
    order, starts = _groups(relation, src, dst, (big, big))
    assert order.tolist() == [2, 1, 3, 0]  # (0, 7, 0), then (3, 5, 2) twice, then (3, big - 1, 1)
    assert starts.tolist() == [0, 1, 3]


def test_no_rows_make_no_ties() -> None:
    ties, merged = aggregate(rows([]), how="max")
    assert (len(ties), merged, list(ties.columns)) == (
        0,
        0,
        ["source", "target", "relation", "weight", "count"],
    )


def oracle(frame: pd.DataFrame, how: str, default: str, directed: bool = True) -> pd.DataFrame:
    """What the import should give, worked out from the text cells with one pandas groupby."""
    ids = set(PEOPLE["person_id"])
    text = frame.apply(lambda col: col.str.strip())
    text = text[text["source"].isin(ids) & text["target"].isin(ids) & (text["source"] != text["target"])]
    text = text.assign(relation=text["relation"].replace("", default), weight=text["weight"].astype(float))
    if not directed:
        low, high = text[["source", "target"]].min(axis=1), text[["source", "target"]].max(axis=1)
        text = text.assign(source=low, target=high)
    grouped = text.groupby(["relation", "source", "target"], sort=True)["weight"].agg([how, "size"])
    ties = grouped.reset_index().rename(columns={how: "weight", "size": "count"})
    if not directed:
        mirror = ties.rename(columns={"source": "target", "target": "source"})
        ties = pd.concat([ties, mirror]).sort_values(["relation", "source", "target"], kind="stable")
    ties = ties[["source", "target", "relation", "weight", "count"]].reset_index(drop=True)
    return ties.astype({"source": object, "target": object, "relation": object, "count": "int64"})


messy = st.lists(
    st.tuples(
        st.sampled_from(IDS), st.sampled_from(IDS), st.sampled_from(RELATIONS), st.sampled_from(WEIGHTS)
    ),
    min_size=1,
    max_size=40,
)


def written(cells: list[tuple[str, str, str, str]], header: str) -> Path:
    path = Path(tempfile.mkdtemp()) / "ties.csv"
    path.write_text(header + "".join(";".join(row) + "\n" for row in cells), encoding="utf-8")
    return path


@settings(max_examples=150, deadline=None)
@given(cells=messy, directed=st.booleans())
def test_a_tie_list_sums_exactly_what_a_groupby_of_its_text_sums(
    cells: list[tuple[str, str, str, str]], directed: bool
) -> None:
    path = written(cells, "source;target;relation;weight\n")
    if not any(s.strip() and t.strip() for s, t, _, _ in cells):
        return  # a list with no tie is refused (tested in test_ties)
    result = load_ties(path, PEOPLE, relation="ties", directed=directed)
    frame = pd.DataFrame(cells, columns=["source", "target", "relation", "weight"])
    expected = oracle(frame, "sum", "ties", directed)
    pd.testing.assert_frame_equal(result.ties, expected, check_exact=True)
    assert result.normalisations.get("duplicate-tie", 0) == expected["count"].sum() // (
        1 if directed else 2
    ) - (len(expected) // (1 if directed else 2))


@settings(max_examples=150, deadline=None)
@given(cells=messy, fast=st.booleans())
def test_a_survey_keeps_exactly_the_largest_weight_a_groupby_of_its_text_keeps(
    cells: list[tuple[str, str, str, str]], fast: bool
) -> None:
    """On either reading path: the Arrow fast path (its columns as codes) or the strict reader."""
    path = written(cells, "respondent;nominee;relation;weight\n")
    if not any(t.strip() for _, t, _, _ in cells):
        return  # a survey naming nobody is refused (tested in test_survey)
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(tables, "FAST_FROM_BYTES", 0 if fast else 10**12)
        result = load_survey(path, PEOPLE, relation="advice")
    frame = pd.DataFrame(cells, columns=["source", "target", "relation", "weight"]).drop_duplicates()
    pd.testing.assert_frame_equal(result.ties, oracle(frame, "max", "advice"), check_exact=True)
