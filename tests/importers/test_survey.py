"""The survey importer: long and wide layouts, respondents, row outcomes, Krackhardt's managers."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from leadnet.errors import ConfigError, InputError, LeadnetWarning
from leadnet.importers.people import load_people
from leadnet.importers.survey import load_survey

KRACK = Path(__file__).parents[1] / "data" / "krackhardt_hightech"
PEOPLE = pd.DataFrame({"person_id": ["ann", "bob", "cy", "dee"]})


def write(folder: Path, text: str, name: str = "survey.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def tie_list(result) -> list[list[object]]:  # type: ignore[no-untyped-def]
    return result.ties[["source", "target", "relation", "weight", "count"]].values.tolist()


def assert_accounted(result) -> None:  # type: ignore[no-untyped-def]
    record = result.record
    assert record.rows_read == record.rows_accepted + record.rows_rejected
    assert record.rows_rejected == len({i.line for i in result.issues})


def test_krackhardt_long_survey_with_two_questions() -> None:
    roster = load_people(KRACK / "people.csv")
    columns = {"source": "respondent", "target": "nominee", "relation": "question"}
    result = load_survey(KRACK / "survey.csv", roster, columns=columns, relation="advice")
    counts = result.ties["relation"].value_counts().to_dict()
    assert counts == {"advice": 190, "friendship": 102}  # Batagelj's WaFa README: 190 + 102 arcs
    advice = result.ties[result.ties["relation"] == "advice"]
    assert (advice["target"] == "2").sum() == 18  # manager 2 is sought for advice by 18 of 20 colleagues
    assert len(result.respondents) == 21 and result.non_respondents == ()
    assert (result.record.kind, result.record.rows_read, result.record.rows_accepted) == ("survey", 292, 292)
    assert result.issues == () and result.normalisations == {}


def test_unknown_person_is_quarantined_with_a_did_you_mean_hint(tmp_path: Path) -> None:
    result = load_survey(write(tmp_path, "respondent,nominee\nann,bob\nann,b0b\nzed,cy\n"), PEOPLE)
    assert [str(i) for i in result.issues] == [
        'survey.csv line 3, column "nominee": unknown person "b0b" (did you mean "bob"?) [unknown-person]',
        'survey.csv line 4, column "respondent": unknown person "zed" '
        "(add them to the roster or correct the id) [unknown-person]",
    ]
    assert tie_list(result) == [["ann", "bob", "advice", 1.0, 1]]
    assert (result.record.rows_accepted, result.record.rows_rejected) == (1, 2)
    assert_accounted(result)


def test_an_id_whose_leading_zeros_a_spreadsheet_dropped_is_told_the_roster_id(tmp_path: Path) -> None:
    people = pd.DataFrame({"person_id": ["00001", "00002", "00019", "Z0001", "E0001"]})
    result = load_survey(write(tmp_path, "respondent,nominee\n1,00002\n00001,19\nZ001,E1\n"), people)
    zeros = "Its leading zeros are missing, as when a spreadsheet reads ids as numbers: keep the column as "
    zeros += "text"
    assert [str(i) for i in result.issues] == [
        f'survey.csv line 2, column "respondent": unknown person "1" (did you mean "00001"? {zeros}) '
        "[unknown-person]",
        f'survey.csv line 3, column "nominee": unknown person "19" (did you mean "00019"? {zeros}) '
        "[unknown-person]",
        'survey.csv line 4, column "respondent": unknown person "Z001" (did you mean "Z0001"?) '
        "[unknown-person]",
        'survey.csv line 4, column "nominee": unknown person "E1" (did you mean "E0001"?) [unknown-person]',
    ]


def test_an_id_with_dropped_zeros_is_told_the_roster_id_past_the_similarity_search_limit(
    tmp_path: Path,
) -> None:
    people = pd.DataFrame({"person_id": [f"{n:05d}" for n in range(1, 301)]})
    rows = "".join(f"{n},00001\n" for n in range(2, 202))  # 200 distinct unknown ids, above SUGGEST_LIMIT
    result = load_survey(write(tmp_path, "respondent,nominee\n" + rows), people)
    hints = {i.detail: i.hint for i in result.issues}
    assert len(hints) == 200
    assert hints['unknown person "201"'] is not None
    assert hints['unknown person "201"'].startswith('did you mean "00201"? Its leading zeros are missing')


def test_self_tie_is_dropped_and_counted(tmp_path: Path) -> None:
    result = load_survey(write(tmp_path, "respondent,nominee\nann,ann\nann,bob\n"), PEOPLE)
    assert tie_list(result) == [["ann", "bob", "advice", 1.0, 1]]
    assert result.normalisations == {"self-tie": 1}
    assert result.issues == () and result.record.rows_accepted == 2


def test_respondent_naming_nobody_is_a_respondent_not_a_tie(tmp_path: Path) -> None:
    result = load_survey(write(tmp_path, "respondent,nominee\nann,bob\ncy,\n"), PEOPLE)
    assert tie_list(result) == [["ann", "bob", "advice", 1.0, 1]]
    assert result.respondents == ("ann", "cy")
    assert result.non_respondents == ("bob", "dee")
    assert result.normalisations == {"no-nominations": 1}
    assert result.issues == ()


def test_semicolon_survey_with_decimal_comma_weights(tmp_path: Path) -> None:
    path = write(tmp_path, "respondent;nominee;frequency\nann;bob;2,5\nann;cy;0\nann;dee;often\nbob;ann;1\n")
    result = load_survey(path, PEOPLE, columns={"weight": "frequency"})
    assert tie_list(result) == [["ann", "bob", "advice", 2.5, 1], ["bob", "ann", "advice", 1.0, 1]]
    assert [str(i) for i in result.issues] == [
        'survey.csv line 3, column "frequency": weight "0" is not a number above 0 '
        "(use a positive number such as 1 or 2,5) [bad-weight]",
        'survey.csv line 4, column "frequency": weight "often" is not a number above 0 '
        "(use a positive number such as 1 or 2,5) [bad-weight]",
    ]


def test_repeated_nominations_keep_the_largest_weight_and_count_rows(tmp_path: Path) -> None:
    path = write(tmp_path, "respondent,nominee,weight\nann,bob,2\nann,bob,4\nann,bob,3\n")
    result = load_survey(path, PEOPLE)
    assert tie_list(result) == [["ann", "bob", "advice", 4.0, 3]]
    assert result.normalisations == {"duplicate-tie": 2}


def test_email_spellings_and_quoted_numbers_are_one_person(tmp_path: Path) -> None:
    people = pd.DataFrame({"person_id": ["1", "2"], "email": ["Alice@X.org", "bob@x.org"]})
    path = write(tmp_path, 'respondent,nominee\nAlice@X.org,2\n alice@x.org ,"2"\n"1", 2\n')
    result = load_survey(path, people)
    assert tie_list(result) == [["1", "2", "advice", 1.0, 3]]
    # rows 2-4 are one tie; "Alice@X.org", " alice@x.org " and " 2" were written differently from the ids
    assert result.normalisations == {"duplicate-tie": 2, "id-normalised": 3}
    assert result.respondents == ("1",)


def test_opted_out_people_lose_their_ties_without_rejection(tmp_path: Path) -> None:
    roster = load_people(
        write(tmp_path, "person_id,email\nann,a@x.org\nbob,b@x.org\ncy,c@x.org\n", "people.csv")
    )
    roster_out = load_people(tmp_path / "people.csv", exclude=["bob"])
    path = write(tmp_path, "respondent,nominee\na@x.org,b@x.org\nb@x.org,cy\ncy,ann\n")
    assert len(load_survey(path, roster).ties) == 3
    result = load_survey(path, roster_out)
    assert tie_list(result) == [["cy", "ann", "advice", 1.0, 1]]
    assert result.normalisations == {"excluded-tie": 2}
    assert result.respondents == ("ann", "cy") and result.non_respondents == ()
    assert result.issues == ()


def test_wide_layout_reads_nominee_columns_by_glob(tmp_path: Path) -> None:
    path = write(tmp_path, "respondent,nominee_1,nominee_2,comment\nann,bob,cy,x\nbob,,,\ncy,ann,,\n")
    result = load_survey(
        path, PEOPLE, columns={"source": "respondent", "targets": "nominee_*"}, layout="wide"
    )
    assert tie_list(result) == [
        ["ann", "bob", "advice", 1.0, 1],
        ["ann", "cy", "advice", 1.0, 1],
        ["cy", "ann", "advice", 1.0, 1],
    ]
    assert result.respondents == ("ann", "bob", "cy") and result.non_respondents == ("dee",)
    assert result.normalisations == {"no-nominations": 1}
    assert (result.record.rows_read, result.record.rows_accepted) == (3, 3)


def test_wide_layout_rejects_a_row_with_an_unknown_nominee_as_a_whole(tmp_path: Path) -> None:
    path = write(tmp_path, "respondent,first,second\nann,bob,zed\ncy,ann,\n")
    result = load_survey(path, PEOPLE, columns={"targets": ["first", "second"]}, layout="wide")
    assert tie_list(result) == [["cy", "ann", "advice", 1.0, 1]]
    assert [(i.line, i.column, i.code) for i in result.issues] == [(2, "second", "unknown-person")]
    assert (result.record.rows_accepted, result.record.rows_rejected) == (1, 1)


def test_wide_layout_needs_matching_target_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "respondent,name1\nann,bob\n")
    with pytest.raises(InputError, match=r'no column matches "nominee_\*"'):
        load_survey(path, PEOPLE, columns={"targets": "nominee_*"}, layout="wide")
    with pytest.raises(ConfigError, match="columns.targets"):
        load_survey(path, PEOPLE, layout="wide")
    with pytest.raises(ConfigError, match='layout must be "long" or "wide". Got "tall" instead.'):
        load_survey(path, PEOPLE, layout="tall")


def test_blank_question_takes_the_default_relation_and_is_counted(tmp_path: Path) -> None:
    path = write(tmp_path, "respondent,nominee,question\nann,bob,friendship\nann,cy,\n")
    result = load_survey(path, PEOPLE, columns={"relation": "question"})
    assert tie_list(result) == [["ann", "cy", "advice", 1.0, 1], ["ann", "bob", "friendship", 1.0, 1]]
    assert result.normalisations == {"relation-defaulted": 1}


def test_a_nominee_whose_roster_row_was_rejected_is_sent_to_that_row(tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text("person_id,unit\na,x\nb,x\nbob,x,extra\n", encoding="utf-8")
    roster = load_people(tmp_path / "people.csv")
    (tmp_path / "survey.csv").write_text("respondent,nominee\na,b\na,bob\na,zed\n", encoding="utf-8")
    result = load_survey(tmp_path / "survey.csv", roster)
    assert [str(i) for i in result.issues] == [
        'survey.csv line 3, column "nominee": person "bob" is on the roster at people.csv line 4, but that '
        "row was rejected as extra-cell (fix that roster row; this row needs no change) [roster-rejected]",
        'survey.csv line 4, column "nominee": unknown person "zed" '
        "(add them to the roster or correct the id) [unknown-person]",
    ]


def test_an_invisible_character_in_a_roster_id_is_removed_and_counted_not_an_unknown_person(
    tmp_path: Path,
) -> None:
    # a zero-width space after "ann" and a byte-order mark before "bob": both look like the plain ids
    roster = load_people(write(tmp_path, "person_id,unit\nann\u200b,x\n\ufeffbob,x\ncy,x\n", "people.csv"))
    assert list(roster.people["person_id"]) == ["ann", "bob", "cy"]
    assert roster.normalisations == {"id-normalised": 2}
    result = load_survey(write(tmp_path, "respondent,nominee\nann,bob\nbob,cy\u200b\n"), roster)
    assert result.issues == ()
    assert tie_list(result) == [["ann", "bob", "advice", 1.0, 1], ["bob", "cy", "advice", 1.0, 1]]
    assert result.normalisations == {"id-normalised": 1}


def test_a_survey_column_map_naming_one_header_twice_is_a_config_error(tmp_path: Path) -> None:
    path = write(tmp_path, "respondent,nominee,question\nann,bob,advice\n")
    with pytest.raises(
        ConfigError, match='survey.csv: columns target and relation are both mapped to the header "nominee"'
    ):
        load_survey(path, PEOPLE, columns={"target": "nominee", "relation": "nominee"})
    with pytest.raises(
        ConfigError, match='column target is mapped to the header "respondent", which source reads'
    ):
        load_survey(path, PEOPLE, columns={"target": "respondent"})


def test_a_survey_that_names_no_nominee_at_all_is_an_error_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_survey(write(tmp_path, "respondent,nominee\n"), PEOPLE)
    assert str(caught.value) == (
        "survey.csv: no rows below the header on line 1, so no nominations (export the survey's answers "
        "again, or leave the source out until it has some) [empty-survey]"
    )
    with pytest.raises(InputError) as caught:  # rows, but every nominee cell blank
        load_survey(write(tmp_path, "respondent,nominee,question\nann,,advice\nbob, ,advice\n"), PEOPLE)
    assert str(caught.value) == (
        'survey.csv: none of its 2 row(s) names a nominee: "nominee" blank in every row read (map target, or '
        "a wide survey's targets, to the column that holds the nominees) [empty-survey]"
    )
    with pytest.raises(InputError, match=r'"first", "second" blank in every row read'):
        path = write(tmp_path, "respondent,first,second\nann,,\n")
        load_survey(path, PEOPLE, columns={"targets": ["first", "second"]}, layout="wide")


def test_a_wide_survey_respondent_on_two_rows_is_merged_and_counted(tmp_path: Path) -> None:
    path = write(tmp_path, "respondent,first,second\nann,bob,\ncy,ann,\nann,cy,bob\nzed,ann,\n")
    result = load_survey(path, PEOPLE, columns={"targets": ["first", "second"]}, layout="wide")
    assert tie_list(result) == [
        ["ann", "bob", "advice", 1.0, 2],
        ["ann", "cy", "advice", 1.0, 1],
        ["cy", "ann", "advice", 1.0, 1],
    ]
    # line 4 repeats ann; line 5 is rejected, so it is not counted again
    assert result.normalisations == {"duplicate-tie": 1, "respondent-repeated": 1}
    assert [(i.line, i.code) for i in result.issues] == [(5, "unknown-person")]
    assert_accounted(result)


def test_a_long_survey_respondent_on_many_rows_is_not_a_repeat(tmp_path: Path) -> None:
    result = load_survey(write(tmp_path, "respondent,nominee\nann,bob\nann,cy\n"), PEOPLE)
    assert result.normalisations == {}


def test_survey_headers_in_another_letter_case_are_read(tmp_path: Path) -> None:
    result = load_survey(write(tmp_path, "Respondent,NOMINEE\nann,bob\n"), PEOPLE)
    assert tie_list(result) == [["ann", "bob", "advice", 1.0, 1]]
    assert result.normalisations == {"header-normalised": 2}
    path = write(tmp_path, "Respondent,first,second\nann,bob,cy\n")
    result = load_survey(path, PEOPLE, columns={"targets": ["first", "second"]}, layout="wide")
    assert tie_list(result) == [["ann", "bob", "advice", 1.0, 1], ["ann", "cy", "advice", 1.0, 1]]


def test_a_survey_read_without_a_map_warns_that_its_questions_are_one_relation(tmp_path: Path) -> None:
    # `leadnet analyse --survey s.csv` with "respondent,nominee,question": advice and friendship
    # nominations were merged into one relation without a word.
    path = write(tmp_path, "respondent,nominee,Question\nann,bob,advice\nann,bob,friendship\ncy,ann,trust\n")
    with pytest.warns(LeadnetWarning) as caught:
        result = load_survey(path, PEOPLE)
    assert [str(w.message) for w in caught] == [
        'survey.csv line 1: column "Question" is not read, so its 3 values ("advice", "friendship", "trust") '
        'are one relation, "advice"; to keep them apart, rename its header "relation", or map the column: '
        'columns = { relation = "Question" } in leadnet.toml'
    ]
    assert tie_list(result) == [["ann", "bob", "advice", 1.0, 2], ["cy", "ann", "advice", 1.0, 1]]


def test_a_survey_read_without_a_map_warns_that_its_frequencies_are_not_the_weights(tmp_path: Path) -> None:
    # `leadnet analyse --survey s.csv` with "respondent,nominee,frequency" (the sample's headers): every
    # nomination weighed 1 without a word. It is not read by default: 1 may be the most often.
    path = write(tmp_path, "respondent,nominee,Frequency\nann,bob,5\nann,cy,1\ncy,ann,3\n")
    with pytest.warns(LeadnetWarning) as caught:
        result = load_survey(path, PEOPLE)
    assert [str(w.message) for w in caught] == [
        'survey.csv line 1: column "Frequency" is not read, so every tie weighs 1 whatever its value ("1", '
        '"3", "5"); if a larger number means a stronger tie, read it as the weight: rename its header '
        '"weight", or map the column: columns = { weight = "Frequency" } in leadnet.toml'
    ]
    assert set(result.ties["weight"]) == {1.0}
    with warnings.catch_warnings():  # mapped, or every frequency 1: nothing to say
        warnings.simplefilter("error")
        mapped = load_survey(path, PEOPLE, columns={"weight": "Frequency"})
        assert tie_list(mapped)[0] == ["ann", "bob", "advice", 5.0, 1]
        load_survey(write(tmp_path, "respondent,nominee,frequency\nann,bob,1\ncy,ann,\n"), PEOPLE)


def test_the_unread_frequencies_a_warning_shows_are_listed_by_number(tmp_path: Path) -> None:
    # Sorted as text, a scale of 1 to 10 was shown as "1", "10", "2": the largest looked the smallest.
    path = write(tmp_path, "respondent,nominee,frequency\nann,bob,10\nann,cy,9\ncy,ann,2,5\ncy,bob,1\n")
    path.write_text(path.read_text(encoding="utf-8").replace("2,5", '"2,5"'), encoding="utf-8")
    with pytest.warns(LeadnetWarning) as caught:
        load_survey(path, PEOPLE)
    assert str(caught[0].message).split("; if")[0] == (
        'survey.csv line 1: column "frequency" is not read, so every tie weighs 1 whatever its value ("1", '
        '"2,5", "9", …)'
    )
    path.write_text("respondent,nominee,frequency\nann,bob,10\nann,cy,9\ncy,ann,often\n", encoding="utf-8")
    with pytest.warns(LeadnetWarning) as caught:  # one is not a number: all are listed as text
        load_survey(path, PEOPLE)
    assert '("10", "9", "often")' in str(caught[0].message)
