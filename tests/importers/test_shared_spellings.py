"""Spellings two roster people share: one person twice is an error; a shared mailbox is named and counted."""

from __future__ import annotations

import warnings
from pathlib import Path

from leadnet.errors import LeadnetWarning
from leadnet.importers.people import PeopleImport, load_people

HEADER = "person_id,name,email,unit\n"


def load(folder: Path, rows: str) -> tuple[PeopleImport, list[str]]:
    path = folder / "people.csv"
    path.write_text(HEADER + rows, encoding="utf-8", newline="")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        roster = load_people(path)
    return roster, [str(w.message) for w in caught if issubclass(w.category, LeadnetWarning)]


def test_one_person_twice_under_two_ids_is_a_duplicate_naming_both_lines(tmp_path: Path) -> None:
    # E9002, a copy of E0002's row, took E0002's address from them: all of E0002's mail was dropped,
    # counted as unknown-sender 26 and unknown-address 42, and validate said nothing
    rows = "E0002,Tariq Taylor,tariq.taylor@x.org,Surgery\nE0003,Mei Li,mei.li@x.org,Surgery\n"
    rows += "E9002, tariq taylor,Tariq.Taylor@X.org,Surgery\n"
    roster, warned = load(tmp_path, rows)
    assert [str(i) for i in roster.issues] == [
        'people.csv line 4, column "person_id": person "E9002" has the name and e-mail address of "E0002" on '
        "line 2 (one person is on the roster twice: remove one row, or correct the other's name or address) "
        "[duplicate-person]"
    ]
    assert list(roster.people["person_id"]) == ["E0002", "E0003"]
    assert roster.resolver().resolve("tariq.taylor@x.org") == "E0002"
    assert warned == []


def test_an_address_two_people_share_is_kept_named_by_its_lines_and_resolves_to_neither(
    tmp_path: Path,
) -> None:
    rows = (
        "E0001,Ann Ward,ward5@x.org,Surgery\nE0002,Bo Lee,b@x.org,Surgery\nE0003,Cy Po,Ward5@x.org,Surgery\n"
    )
    roster, warned = load(tmp_path, rows)
    assert roster.issues == () and len(roster.people) == 3
    assert warned == [
        "people.csv: 1 e-mail address or alias is on the rows of two or more people, so it names none of "
        'them: "ward5@x.org" (lines 2, 4); mail from or to it makes no tie (counted ambiguous-sender and '
        "ambiguous-address) and a source row naming it is rejected (ambiguous-person): right for a shared "
        "mailbox, otherwise give each person their own"
    ]
    resolver = roster.resolver()
    assert resolver.resolve("ward5@x.org") is None
    assert resolver.explain("ward5@x.org") == (
        "ambiguous-person",
        '"ward5@x.org" names "E0001", "E0003"',
        "use the person_id",
    )


def test_people_without_a_name_column_sharing_an_address_are_warned_of_not_rejected(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("person_id,email\n1,a@x.org\n2,a@x.org\n", encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        roster = load_people(path)
    assert roster.issues == () and len(roster.people) == 2
    assert [(w.category, str(w.message)) for w in caught] == [
        (
            LeadnetWarning,
            "people.csv: 1 e-mail address or alias is on the rows of two or more people, so it names none of "
            'them: "a@x.org" (lines 2, 3); mail from or to it makes no tie (counted ambiguous-sender and '
            "ambiguous-address) and a source row naming it is rejected (ambiguous-person): right for a "
            "shared mailbox, otherwise give each person their own",
        )
    ]
