"""The cohort file as read: an exact repeat of a row is read once and said, not dropped in silence."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from leadnet.cohort_file import read_cohort
from leadnet.cohort_members import OptOuts
from leadnet.errors import InputError, LeadnetWarning


def test_an_excel_cohort_file_with_a_repeated_row_reads_it_once_and_warns_by_line(tmp_path: Path) -> None:
    # Excel's ";" export with a BOM and CRLF: the repeated "E0019;cohort" was dropped, said nowhere
    path = tmp_path / "cohort.csv"
    rows = ["Person_ID;Group", "E0016;comparison", "E0019;cohort", "E0023;comparison", "E0019;cohort"]
    path.write_bytes(("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        read = read_cohort(path, known={"E0016", "E0019", "E0023"})
    assert [str(w.message) for w in caught if issubclass(w.category, LeadnetWarning)] == [
        "cohort.csv: 1 row repeats an earlier row exactly (line 5 repeats line 3): read once, as the person "
        "it names is in the cohort once; if it was meant to list someone else, correct it"
    ]
    assert read.people.values.tolist() == [
        ["E0016", "comparison"],
        ["E0019", "cohort"],
        ["E0023", "comparison"],
    ]
    assert read.repeated == ((5, 3),)


def test_a_person_listed_in_both_groups_is_named_with_both_lines_and_both_groups(tmp_path: Path) -> None:
    # The message named line 5 alone and neither group: which row to keep could not be told from it.
    path = tmp_path / "cohort.csv"
    path.write_text(
        "person_id,group\nE0001,cohort\nE0016,comparison\nE0002,cohort\nE0016 , cohort\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as raised:
        read_cohort(path, known={"E0001", "E0002", "E0016"})
    assert str(raised.value) == (
        'cohort.csv line 5, column "person_id": "E0016" is listed twice, in group "comparison" on line 3 '
        'and in group "cohort" on line 5 (a person is in one group: keep the row of the group they are in '
        "and remove the other) [duplicate-person]"
    )


def test_a_repeat_differing_only_by_the_spaces_around_its_id_is_read_once_and_warned_of_by_line(
    tmp_path: Path,
) -> None:
    # " E0001 " after "E0001" names the same person, but was an error ("listed twice") where an exact
    # repeat is read once with a warning.
    path = tmp_path / "cohort.csv"
    path.write_text("person_id,group\nE0001,cohort\n E0001 ,cohort\nE0002,comparison\n", encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        read = read_cohort(path, known={"E0001", "E0002"})
    assert [str(w.message) for w in caught if issubclass(w.category, LeadnetWarning)] == [
        "cohort.csv: 1 row repeats an earlier row but for the spaces around its cells (line 3 repeats "
        "line 2): read once, as the person it names is in the cohort once; if it was meant to list someone "
        "else, correct it"
    ]
    assert read.people.values.tolist() == [["E0001", "cohort"], ["E0002", "comparison"]]
    assert read.repeated == ((3, 2),)


NO_HEADER_MESSAGE = (
    'cohort.csv line 1: required column "person_id" not found; the first line holds no header a cohort file '
    "reads (person_id, group), and is not shown, as it may name someone who opted out (write the header "
    "person_id,group as the first line, above the first row if the file has none; person_id alone will do "
    "when everyone listed is in the programme) [missing-header]"
)


@pytest.mark.parametrize(
    "first_lines",
    [
        "E0005\nE0016\n",  # a review: 'columns found: "E0005"' named the person who opted out
        "mei.taylor@riverside.example\nE0016\n",  # was called "probably not a table ... check the path"
        "E0005,cohort\nE0016,comparison\n",
    ],
)
def test_a_cohort_file_without_a_header_does_not_quote_its_first_line(
    tmp_path: Path, first_lines: str
) -> None:
    path = tmp_path / "cohort.csv"
    path.write_text(first_lines, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_cohort(path, known={"E0016"}, opt_outs=OptOuts(1, frozenset({"E0005"})))
    assert str(raised.value) == NO_HEADER_MESSAGE


def test_a_cohort_header_of_names_the_file_reads_is_still_quoted(tmp_path: Path) -> None:
    path = tmp_path / "cohort.csv"
    path.write_text("group\ncohort\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_cohort(path)
    assert str(raised.value) == (
        'cohort.csv line 1: required column "person_id" not found; columns found: "group" (the first line '
        "must name the columns person_id[,group]) [missing-column]"
    )
