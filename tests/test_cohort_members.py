"""Who is in the cohort: a cohort table's rows checked, and each stayer's group (leadnet.cohort_members)."""

import pandas as pd
import pytest

from leadnet.cohort_members import assign_groups, check_cohort
from leadnet.errors import InputError


def test_check_cohort_without_group_puts_everyone_in_the_cohort() -> None:
    out = check_cohort(pd.DataFrame({"person_id": [" b", "a"]}))
    assert out.to_dict("list") == {"person_id": ["a", "b"], "group": ["cohort", "cohort"]}


def test_check_cohort_reports_every_bad_row_at_once() -> None:
    frame = pd.DataFrame(
        {"person_id": ["a", "", "a", "c"], "group": ["cohort", "cohort", "cohort", "control"]}
    )
    with pytest.raises(InputError) as info:
        check_cohort(frame, "cohort.csv")
    assert str(info.value).splitlines() == [
        "cohort.csv: 3 cohort row(s) cannot be used",
        'cohort.csv line 3, column "person_id": person_id is blank '
        "(fill in the person's id, or remove the row) [blank-id]",
        'cohort.csv line 4, column "person_id": "a" is listed twice, on lines 2 and 4 '
        "(keep one row per person) [duplicate-person]",
        'cohort.csv line 5, column "group": unknown group "control" (use "cohort" or "comparison") '
        "[bad-group]",
    ]


def test_check_cohort_needs_a_person_id_column() -> None:
    with pytest.raises(
        InputError, match=r"^cohort: the cohort needs a person_id column. Got columns \['id'\]"
    ):
        check_cohort(pd.DataFrame({"id": ["a"]}))


def test_listed_comparison_rows_are_the_comparison_group() -> None:
    listed = pd.DataFrame({"person_id": ["a", "b"], "group": ["cohort", "comparison"]})
    assert assign_groups(listed, pd.Index(["a", "b", "c"])).to_dict() == {"a": "cohort", "b": "comparison"}


def test_check_cohort_finds_its_columns_in_any_letter_case() -> None:
    listed = pd.DataFrame({"Person_ID": ["a", "b"], " Group ": ["cohort", "comparison"]})
    assert check_cohort(listed).to_dict("list") == {
        "person_id": ["a", "b"],
        "group": ["cohort", "comparison"],
    }
