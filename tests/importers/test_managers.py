"""The roster's reporting lines: a manager_id that names nobody is a problem when it is a roster id
written differently, and a warning naming it otherwise; never a silent blank."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from leadnet.errors import LeadnetWarning
from leadnet.importers.people import PeopleImport, load_people


def load(folder: Path, text: str) -> tuple[PeopleImport, list[str]]:
    path = folder / "people.csv"
    path.write_text(text, encoding="utf-8", newline="")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        roster = load_people(path, {"manager_id": "manager"})
    return roster, [str(w.message) for w in caught if issubclass(w.category, LeadnetWarning)]


def managers(roster: PeopleImport) -> dict[str, object]:
    people = roster.people
    return dict(
        zip(people["person_id"], zip(people["manager_id"], people["is_manager"], strict=True), strict=True)
    )


def test_a_manager_id_that_is_a_roster_id_mistyped_is_a_problem_naming_the_id_meant(tmp_path: Path) -> None:
    # E166 for E0166: left blank, E0166 managed no one and was taken for an informal leader
    text = "person_id,manager\nE0166,\nE0040,E166\nE0041,e0166\nE0042,E0166\nE0043,E-0166\n"
    roster, warned = load(tmp_path, text)
    meant = 'did you mean "E0166"? Left as it is, "E0166" would not be this person\'s manager'
    assert [str(i) for i in roster.issues] == [
        f'people.csv line {line}, column "manager": manager "{id_}" is not on the roster ({meant}) '
        "[unknown-manager]"
        for line, id_ in ((3, "E166"), (4, "e0166"), (6, "E-0166"))
    ]
    assert (roster.record.rows_read, roster.record.rows_accepted, roster.record.rows_rejected) == (5, 2, 3)
    assert warned == [] and roster.normalisations == {}


def test_a_manager_id_whose_leading_zeros_a_spreadsheet_dropped_says_so(tmp_path: Path) -> None:
    roster, warned = load(tmp_path, "person_id,manager\n00166,\n00040,166\n")
    assert [str(i) for i in roster.issues] == [
        'people.csv line 3, column "manager": manager "166" is not on the roster (did you mean "00166"? Left '
        'as it is, "00166" would not be this person\'s manager. Its leading zeros are missing, as when a '
        "spreadsheet reads ids as numbers: keep the column as text) [unknown-manager]"
    ]
    assert (roster.record.rows_read, roster.record.rows_accepted, roster.record.rows_rejected) == (2, 1, 1)
    assert warned == [] and roster.normalisations == {}


def test_a_manager_named_by_an_address_two_people_share_is_a_problem(tmp_path: Path) -> None:
    text = "person_id,email,manager\n1,team@x.org,\n2,team@x.org,\n3,c@x.org,Team@X.org\n"
    roster, _ = load(tmp_path, text)
    assert [str(i) for i in roster.issues] == [
        'people.csv line 4, column "manager": manager "Team@X.org" names "1", "2" on the roster '
        "(use the manager's person_id) [unknown-manager]"
    ]


def test_a_manager_outside_the_roster_is_kept_blank_counted_and_warned_of_with_its_lines(
    tmp_path: Path,
) -> None:
    # a board chair or a vacancy is real: the run goes on, but says which ids and where
    text = "person_id,manager\nE0001,CHAIR\nE0002,E0001\nE0003,E0O01\nE0004,CHAIR\nE0005,E9999\n"
    roster, warned = load(tmp_path, text)
    assert roster.issues == ()
    assert managers(roster) == {
        "E0001": ("", True),
        "E0002": ("E0001", False),
        "E0003": ("", False),
        "E0004": ("", False),
        "E0005": ("", False),
    }
    assert roster.normalisations == {"unknown-manager": 4}
    assert warned == [
        'people.csv: 3 manager_ids name nobody on the roster: "CHAIR" (lines 2, 5), "E0O01" (line 4; did '
        'you mean "E0001"?), "E9999" (line 6), so 4 people have no manager (counted unknown-manager); '
        "nothing to do for a manager outside the roster (a board chair, a vacancy), otherwise correct the id "
        'in column "manager": the manager it means is taken to manage no one'
    ]


def test_a_manager_whose_own_roster_row_was_rejected_is_not_warned_of_again(tmp_path: Path) -> None:
    roster, warned = load(tmp_path, "person_id,level,manager\nE0001,1,\nE0002,x,E0001\nE0003,2,E0002\n")
    assert [str(i) for i in roster.issues] == [
        'people.csv line 3, column "level": level "x" is not a number, but 2 of the 3 levels are (write it '
        "as a number, as the others are, or list every level in level_order) [bad-level]"
    ]
    assert warned == [] and roster.normalisations == {"unknown-manager": 1}


@pytest.mark.parametrize("cell", ["E0001", " E0001 ", "e0001@x.org"])
def test_a_manager_given_by_any_spelling_of_a_roster_person_resolves(tmp_path: Path, cell: str) -> None:
    roster, warned = load(tmp_path, f"person_id,email,manager\nE0001,E0001@X.org,\nE0002,b@x.org,{cell}\n")
    assert managers(roster)["E0002"] == ("E0001", False)
    assert roster.issues == () and warned == []


def test_a_manager_id_like_that_of_someone_who_opted_out_names_no_one(tmp_path: Path) -> None:
    # E0005 opted out. "E0015" was told 'did you mean "E0006"?', past E0005, much more like it; "e-0005",
    # their id written another way, was warned of as a manager outside the roster
    path = tmp_path / "people.csv"
    path.write_text("person_id,manager\nE0005,\nE0006,e-0005\nE0007,E0015\nE0008,E0006\n", encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        roster = load_people(path, {"manager_id": "manager"}, exclude={"E0005"})
    check = "check it against the roster and write it as the roster does"
    assert [str(i) for i in roster.issues] == [
        'people.csv line 3, column "manager": manager "e-0005" is not on the roster (a roster id, e-mail '
        f"address or alias differs from it only in letter case, punctuation or leading zeros: {check}) "
        "[unknown-manager]"
    ]
    assert [str(w.message) for w in caught if issubclass(w.category, LeadnetWarning)] == [
        'people.csv: 1 manager_id names nobody on the roster: "E0015" (line 4; a roster id, e-mail address '
        f"or alias is much like it: {check}), so 1 person has no manager (counted unknown-manager); nothing "
        "to do for a manager outside the roster (a board chair, a vacancy), otherwise correct the id in "
        'column "manager": the manager it means is taken to manage no one'
    ]
