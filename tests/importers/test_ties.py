"""The edge-list importer: directed and undirected ties, summed duplicates, row outcomes."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from leadnet.errors import ConfigError, InputError, LeadnetWarning
from leadnet.importers.survey import load_survey
from leadnet.importers.ties import load_ties

PEOPLE = pd.DataFrame({"person_id": ["a", "b", "c"]})


def write(folder: Path, text: str, name: str = "ties.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def tie_list(result) -> list[list[object]]:  # type: ignore[no-untyped-def]
    return result.ties[["source", "target", "relation", "weight", "count"]].values.tolist()


def test_directed_edge_list_sums_repeated_ties(tmp_path: Path) -> None:
    result = load_ties(write(tmp_path, "source,target,weight\na,b,2\na,b,0,5\nb,a,1\n"), PEOPLE)
    # "0,5" on line 3 is an extra cell (comma is the delimiter), so it is quarantined
    assert tie_list(result) == [["a", "b", "ties", 2.0, 1], ["b", "a", "ties", 1.0, 1]]
    assert [(i.line, i.code) for i in result.issues] == [(3, "extra-cell")]
    assert (result.record.kind, result.record.rows_read, result.record.rows_rejected) == ("ties", 3, 1)


def test_undirected_edge_list_stores_both_arcs(tmp_path: Path) -> None:
    result = load_ties(
        write(tmp_path, "from;to;w\nb;a;1,5\na;b;2\nc;b;1\n"),
        PEOPLE,
        columns={"source": "from", "target": "to", "weight": "w"},
        relation="co-author",
        directed=False,
    )
    assert tie_list(result) == [
        ["a", "b", "co-author", 3.5, 2],
        ["b", "a", "co-author", 3.5, 2],
        ["b", "c", "co-author", 1.0, 1],
        ["c", "b", "co-author", 1.0, 1],
    ]
    assert result.normalisations == {"duplicate-tie": 1}


def test_blank_target_and_unknown_person_are_rejected(tmp_path: Path) -> None:
    result = load_ties(write(tmp_path, "source,target\na,\nq,c\na,a\na,c\n"), PEOPLE)
    assert [str(i) for i in result.issues] == [
        'ties.csv line 2, column "target": target is blank (fill it in or remove the row) [missing-id]',
        'ties.csv line 3, column "source": unknown person "q" (add them to the roster or correct the id) '
        "[unknown-person]",
    ]
    assert tie_list(result) == [["a", "c", "ties", 1.0, 1]]
    assert result.normalisations == {"self-tie": 1}
    record = result.record
    assert (record.rows_read, record.rows_accepted, record.rows_rejected) == (4, 2, 2)


def test_relation_column_splits_ties(tmp_path: Path) -> None:
    result = load_ties(write(tmp_path, "source,target,relation\na,b,email\na,b,meeting\n"), PEOPLE)
    assert tie_list(result) == [["a", "b", "email", 1.0, 1], ["a", "b", "meeting", 1.0, 1]]


def test_a_relation_holding_an_invisible_character_is_read_as_it_shows_and_counted(tmp_path: Path) -> None:
    # "advi" + U+202E + "ce" and "advice" + U+200B were two relations beside "advice", their ties left out
    # a cell of a format character alone is blank: the default relation, counted once, as that
    rows = ["a,b,advice", "a,c,advi\u202ece", "b,a,advice\u200b", "c,a,meeting\u200b", "b,c,\u200b"]
    text = "source,target,relation\n" + "\n".join(rows) + "\n"
    result = load_ties(write(tmp_path, text), PEOPLE)
    assert tie_list(result) == [
        ["a", "b", "advice", 1.0, 1],
        ["a", "c", "advice", 1.0, 1],
        ["b", "a", "advice", 1.0, 1],
        ["c", "a", "meeting", 1.0, 1],
        ["b", "c", "ties", 1.0, 1],
    ]
    assert result.normalisations == {"label-normalised": 3, "relation-defaulted": 1}


def test_identical_rows_are_two_observations_of_one_tie(tmp_path: Path) -> None:
    result = load_ties(write(tmp_path, "source,target,weight\na,b,1\na,b,1\n"), PEOPLE)
    assert tie_list(result) == [["a", "b", "ties", 2.0, 2]]
    assert result.normalisations == {"duplicate-tie": 1}


def test_weight_with_digit_group_underscores_is_rejected_as_bad_weight(tmp_path: Path) -> None:
    text = "source,target,weight\na,b,1_000\nb,c,infinity\nc,a,2\n"
    result = load_ties(write(tmp_path, text), PEOPLE)
    assert [str(i) for i in result.issues] == [
        'ties.csv line 2, column "weight": weight "1_000" is not a number above 0 '
        "(use a positive number such as 1 or 2.5; a decimal comma needs a file separated by ; or tabs) "
        "[bad-weight]",
        'ties.csv line 3, column "weight": weight "infinity" is not a number above 0 '
        "(use a positive number such as 1 or 2.5; a decimal comma needs a file separated by ; or tabs) "
        "[bad-weight]",
    ]
    assert tie_list(result) == [["c", "a", "ties", 2.0, 1]]
    assert (result.record.rows_read, result.record.rows_rejected) == (3, 2)


OVERFLOWS = [
    pytest.param(
        load_ties,
        "ties.csv",
        "source,target,weight\na,c,1\na,b,1e308\nb,a,1\na,b,1e308\n",
        'line 3: the weights of "a" → "b" (lines 3, 5) add up to more than 1.8e308',
        id="one-pair",
    ),
    pytest.param(
        # each pair's weight finite, but a person's ties added up (out-strength) were inf
        load_ties,
        "ties.csv",
        "source,target,weight\na,c,1e308\na,b,1e308\nb,a,1\nc,a,1.5e308\n",
        "line 5: the weights of the file's ties add up to more than 1.8e308, which the network measures add",
        id="the-file",
    ),
    pytest.param(
        # a survey keeps a pair's largest weight: one person's three nominations of 1e308 made their
        # out-strength inf, every community <5 and numpy warn (a review's finding)
        load_survey,
        "survey.csv",
        "respondent,nominee,weight\na,b,1e308\na,c,1.5e308\nb,a,1e308\n",
        "line 3: the weights of the file's ties add up to more than 1.8e308, which the network measures add",
        id="a-survey",
    ),
]


@pytest.mark.parametrize(("load", "name", "text", "problem"), OVERFLOWS)
def test_weights_that_add_up_past_the_largest_float_are_refused_naming_their_lines(
    tmp_path: Path, load: Callable[..., object], name: str, text: str, problem: str
) -> None:
    path = write(tmp_path, text, name)
    with pytest.raises(InputError) as caught:
        load(path, PEOPLE)
    assert str(caught.value) == f"{name} {problem} (give the weights in a smaller unit) [weight-overflow]"


def test_source_and_target_mapped_to_one_header_is_a_config_error(tmp_path: Path) -> None:
    path = write(tmp_path, "from,to\na,b\n")
    with pytest.raises(
        ConfigError, match=r'ties.csv: columns source and target are both mapped to the header "from"'
    ):
        load_ties(path, PEOPLE, columns={"source": "from", "target": "from"})
    with pytest.raises(ConfigError) as caught:  # target is mapped to the header source reads by default
        load_ties(write(tmp_path, "source,to\na,b\n"), PEOPLE, columns={"target": "source"})
    assert str(caught.value) == (
        'ties.csv: column target is mapped to the header "source", which source reads when it is not mapped, '
        "so both would read one column; map source to the header of its own column too (columns = { ... } in "
        "leadnet.toml)"
    )


def test_a_tie_list_with_no_rows_is_an_error_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_ties(write(tmp_path, "source,target\n"), PEOPLE)
    assert str(caught.value) == (
        "ties.csv: no rows below the header on line 1, so no ties (export the tie list again, or leave the "
        "source out until it has some) [empty-ties]"
    )
    with pytest.raises(InputError) as caught:
        load_ties(write(tmp_path, "source,target\n\n,\na,b,c\n"), PEOPLE)
    assert str(caught.value).splitlines()[1:] == [
        "ties.csv line 4: 3 cells but the header has 2 columns (quote cells that contain the delimiter, or "
        "remove the extra cell) [extra-cell]",
        "ties.csv: none of its 3 row(s) holds a tie: 2 blank, 1 quarantined (fix the rows listed, or export "
        "the tie list again) [empty-ties]",
    ]


def test_a_tie_list_of_several_periods_is_an_error_not_a_sum(tmp_path: Path) -> None:
    # scripts/spark_ties.py --snapshot-by writes every period in one file; read as one tie list,
    # a's two months were one tie of weight 5, counted only as a duplicate
    text = "source,target,relation,weight,count,period\na,b,email,2,2,2024-01\na,b,email,3,3,2024-02\n"
    with pytest.raises(InputError) as caught:
        load_ties(write(tmp_path, text), PEOPLE)
    assert str(caught.value) == (
        'ties.csv line 1: column "period" holds 2 periods (2024-01, 2024-02), and a tie list is one '
        "snapshot (split the file by period, one file and one [[sources]] entry (with its own snapshot) per "
        "period, or remove the column to sum the periods) [several-periods]"
    )
    one = load_ties(write(tmp_path, text.replace("2024-02", "2024-01")), PEOPLE)
    assert one.ties[["source", "target", "weight"]].values.tolist() == [["a", "b", 5.0]]


def test_tie_list_headers_in_another_letter_case_are_read(tmp_path: Path) -> None:
    result = load_ties(write(tmp_path, "Source,TARGET,Weight,Relation\na,b,2,work\nb,c,1,work\n"), PEOPLE)
    assert tie_list(result) == [["a", "b", "work", 2.0, 1], ["b", "c", "work", 1.0, 1]]
    assert result.normalisations == {"header-normalised": 4}
    assert [(header, name) for _, header, name in result.headers_read] == [
        ("Source", "source"),
        ("TARGET", "target"),
        ("Relation", "relation"),
        ("Weight", "weight"),
    ]


def test_a_header_mapped_to_one_role_is_not_read_by_the_role_of_its_name_in_another_case(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "from,Source\na,b\n")
    with pytest.raises(ConfigError) as caught:
        load_ties(path, PEOPLE, columns={"target": "Source"})
    assert str(caught.value).startswith(
        'ties.csv: column target is mapped to the header "Source", which source reads when it is not mapped'
    )
    path = write(tmp_path, "source,target,Weight\na,b,x\n")  # weight's header holds the relation
    result = load_ties(path, PEOPLE, columns={"relation": "Weight"})
    assert tie_list(result) == [["a", "b", "x", 1.0, 1]]


def test_an_unread_question_column_of_several_values_is_warned_of(tmp_path: Path) -> None:
    # Read without a map, a question column was not the relation: advice and trust became one relation.
    path = write(tmp_path, "source,target,question\na,b,advice\na,c,trust\nb,c,advice\n")
    with pytest.warns(LeadnetWarning) as caught:
        result = load_ties(path, PEOPLE)
    assert [str(w.message) for w in caught] == [
        'ties.csv line 1: column "question" is not read, so its 2 values ("advice", "trust") are one '
        'relation, "ties"; to keep them apart, rename its header "relation", or map the column: '
        'columns = { relation = "question" } in leadnet.toml'
    ]
    assert set(result.ties["relation"]) == {"ties"}
    with warnings.catch_warnings():  # mapped, or one question only: nothing to say
        warnings.simplefilter("error")
        assert set(load_ties(path, PEOPLE, columns={"relation": "question"}).ties["relation"]) == {
            "advice",
            "trust",
        }
        load_ties(write(tmp_path, "source,target,question\na,b,advice\n"), PEOPLE)
