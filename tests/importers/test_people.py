"""The roster importer: ids, levels, managers, exclusions, row accounting."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from leadnet.cli import main
from leadnet.errors import ConfigError, InputError, LeadnetWarning
from leadnet.importers.people import load_people

KRACK = Path(__file__).parents[1] / "data" / "krackhardt_hightech"


def write(folder: Path, text: str, name: str = "people.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def column(result, name: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return dict(zip(result.people["person_id"], result.people[name], strict=True))


def test_krackhardt_roster_ranks_the_ceo_first_and_finds_managers() -> None:
    roster = load_people(KRACK / "people.csv", top_level="min")
    assert len(roster.people) == 21
    ranks = column(roster, "level_rank")
    assert (ranks["7"], ranks["2"], ranks["1"]) == (1, 2, 3)
    managers = sorted(roster.people.loc[roster.people["is_manager"], "person_id"], key=int)
    assert managers == ["2", "7", "14", "18", "21"]  # the CEO and the four vice-presidents
    assert column(roster, "manager_id")["7"] == ""
    assert column(roster, "unit")["7"] == "0"
    assert (roster.record.rows_read, roster.record.rows_accepted, roster.record.rows_rejected) == (21, 21, 0)
    assert roster.issues == () and roster.normalisations == {}


def test_numeric_levels_rank_the_largest_first_with_top_level_max(tmp_path: Path) -> None:
    path = write(tmp_path, "person_id,level\na,5\nb,8\nc,6\nd,8\n")
    assert column(load_people(path, top_level="max"), "level_rank") == {"a": 3, "b": 1, "c": 2, "d": 1}
    assert column(load_people(path, top_level="min"), "level_rank") == {"a": 1, "b": 3, "c": 2, "d": 3}


def test_level_order_ranks_labels_and_names_the_levels_it_lacks_once(tmp_path: Path) -> None:
    # A level left out of level_order was a rejected row per person holding it, and every tie of theirs
    # then rejected too: 10,417 problems in Riverside for a list lacking "5". Now one problem of
    # level_order, the people kept unranked (analyse stops at it; validate checks the rest).
    path = write(tmp_path, "person_id,grade\na,Director\nb,Staff\nc,Intern\nd,Intern\ne,Staf\n")
    roster = load_people(path, {"level": "grade"}, level_order=["Director", "Manager", "Staff"])
    ranks = column(roster, "level_rank")
    assert {person: None if pd.isna(rank) else rank for person, rank in ranks.items()} == {
        "a": 1, "b": 3, "c": None, "d": None, "e": None,
    }  # fmt: skip
    assert [str(i) for i in roster.issues] == [
        'people.csv: level_order lists "Director", "Manager", "Staff", but column "grade" of people.csv also '
        'holds "Intern" (2 people: lines 4, 5) and "Staf" (1 person: line 6; did you mean "Staff"?) (add '
        "each level to level_order in its place, top first, or correct the rows of a misspelt one) "
        "[unknown-level]"
    ]
    assert (roster.record.rows_accepted, roster.record.rows_rejected) == (5, 0)
    assert roster.rejected_keys == {}


def test_numeric_levels_level_order_lacks_are_written_into_the_list_in_order(tmp_path: Path) -> None:
    path = write(tmp_path, "person_id,band\na,1\nb,2\nc,5\nd,5\ne,5\nf,5\ng,0\n")
    roster = load_people(path, {"level": "band"}, level_order=["1", "2", "3", "4"])
    assert [str(i) for i in roster.issues] == [
        'people.csv: level_order lists "1", "2", "3", "4", but column "band" of people.csv also holds "5" '
        '(4 people: lines 4, 5, 6 and 1 more) and "0" (1 person: line 8) (add each level to level_order in '
        'its place, top first: level_order = ["0", "1", "2", "3", "4", "5"]) [unknown-level]'
    ]
    falling = load_people(path, {"level": "band"}, level_order=["4", "3", "2", "1", "0"])
    assert falling.issues[0].hint == (
        'add "5" to level_order in its place, top first: level_order = ["5", "4", "3", "2", "1", "0"]'
    )


def test_a_level_differing_from_a_listed_one_in_its_number_is_not_called_a_misspelling(
    tmp_path: Path,
) -> None:
    # Review of 2026-11-29: "Level 5" was asked 'did you mean "Level 4"?' and told to correct its rows,
    # inviting the analyst to move its people a level up.
    levels = [f"Level {n}" for n in range(1, 5)]
    (issue,) = load_people(
        write(tmp_path, "person_id,grade\na,Level 1\nb,Level 5\nc,Level 5\n"),
        {"level": "grade"},
        level_order=levels,
    ).issues
    assert (issue.detail, issue.hint) == (
        'level_order lists "Level 1", "Level 2", "Level 3", "Level 4", but column "grade" of people.csv also '
        'holds "Level 5" (2 people: lines 3, 4)',
        'add "Level 5" to level_order in its place, top first',
    )


def test_text_levels_without_an_order_are_kept_unranked_and_counted(tmp_path: Path) -> None:
    roster = load_people(write(tmp_path, "person_id,level\na,Band 5\nb,Band 7\n"))
    assert column(roster, "level") == {"a": "Band 5", "b": "Band 7"}
    assert roster.people["level_rank"].isna().all()
    assert roster.normalisations == {"level-unranked": 2}


def test_a_text_level_among_numbers_is_rejected_by_line_and_the_others_stay_ranked(tmp_path: Path) -> None:
    path = write(tmp_path, "person_id,band\na,5\nb,4\nc,5a\nd,3\ne,\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        roster = load_people(path, {"level": "band"})
    assert [str(w.message) for w in caught] == [
        'people.csv: 1 of the 4 people has no level in column "band" (line 6), so figures by level leave '
        "them out (the shares outside the top levels, the table by level, the correlation of level with "
        "influence; counted as n_unknown_level in summary.json); fill in their level"
    ]
    ranks = roster.people.set_index("person_id")["level_rank"]
    assert ranks.drop("e").to_dict() == {"a": 3, "b": 2, "d": 1} and pd.isna(ranks["e"])  # no level: unranked
    assert [str(i) for i in roster.issues] == [
        'people.csv line 4, column "band": level "5a" is not a number, but 3 of the 4 levels are '
        "(write it as a number, as the others are, or list every level in level_order) [bad-level]"
    ]
    assert roster.normalisations == {}
    # mostly text: no level is ranked, nobody is rejected, and the unranked are counted as before
    roster = load_people(write(tmp_path, "person_id,band\na,Band 5\nb,Band 6\nc,7\n"), {"level": "band"})
    assert roster.issues == () and roster.people["level_rank"].isna().all()
    assert roster.normalisations == {"level-unranked": 3}


def test_duplicate_and_missing_ids_are_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "person_id,unit\nAlice@X.org,ops\n,hr\n alice@x.org ,hr\nb,hr\n")
    roster = load_people(path)
    assert [str(i) for i in roster.issues] == [
        'people.csv line 3, column "person_id": person_id is blank (fill it in) [missing-id]',
        'people.csv line 4, column "person_id": person "alice@x.org" appears twice (first on line 2) '
        "[duplicate-person]",
    ]
    assert list(roster.people["person_id"]) == ["alice@x.org", "b"]
    assert column(roster, "unit")["alice@x.org"] == "ops"
    assert (roster.record.rows_read, roster.record.rows_accepted, roster.record.rows_rejected) == (4, 2, 2)


def test_an_id_that_differs_from_an_earlier_one_only_in_letter_case_is_a_duplicate(tmp_path: Path) -> None:
    # " e0002 " beside E0002 was a 601st person, counted only id-normalised (its spaces)
    roster = load_people(write(tmp_path, "person_id,email\nE0002,t@x.org\nE0003,u@x.org\n e0002 ,t@x.org\n"))
    (issue,) = roster.issues
    assert (issue.line, issue.code, issue.detail) == (
        4,
        "duplicate-person",
        'person "e0002" appears twice, as "E0002" on line 2 in another letter case',
    )
    assert issue.hint == (
        "ids that differ only in letter case name one person: remove the repeat, or give each their own id"
    )
    people, resolved = list(roster.people["person_id"]), roster.resolver().resolve("t@x.org")
    assert (people, resolved) == (["E0002", "E0003"], "E0002")


def test_people_with_a_blank_level_are_warned_of_once_with_their_lines_and_the_fix(tmp_path: Path) -> None:
    # A blank level was counted in summary.json's n_unknown_level, and the figures by level left the
    # people out, without a word. Here 4 of 12 people; the last line, an exact copy of an earlier row
    # (counted duplicate-row), is no person of its own, so neither counted nor named.
    (tmp_path / "leadnet.toml").write_text(
        '[people]\npath = "people.csv"\ncolumns = { level = "band" }\n\n'
        '[[sources]]\nkind = "ties"\npath = "ties.csv"\n',
        encoding="utf-8",
    )
    bands = ["1", "2", "", "2", "3", "", "3", "", "3", "3", "", "3"]
    rows = [f"p{i},{'AB'[i % 2]},{band}" for i, band in enumerate(bands)]
    write(tmp_path, "\n".join(["person_id,unit,band", *rows, "p10,A,"]) + "\n")
    write(tmp_path, "source,target\n" + "".join(f"p{i},p{(i + 1) % 12}\n" for i in range(12)), "ties.csv")
    warning = (
        'warning: people.csv: 4 of the 12 people have no level in column "band" (lines 4, 7, 9 and 1 more), '
        "so figures by level leave them out (the shares outside the top levels, the table by level, the "
        "correlation of level with influence; counted as n_unknown_level in summary.json); fill in their "
        "level"
    )
    validated = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert warning in validated.output.splitlines()
    analysed = CliRunner().invoke(main, ["analyse", str(tmp_path), "--out", str(tmp_path / "out")])
    assert analysed.exit_code == 0, analysed.output
    assert [line for line in analysed.output.splitlines() if line.startswith("warning:")] == [warning]
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["leadership"]["n_unknown_level"] == 4


def test_a_roster_without_levels_is_not_warned_of_missing_ones(tmp_path: Path) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        roster = load_people(write(tmp_path, "person_id,level\na,\nb,\n"))
    assert (len(roster.people), [str(w.message) for w in caught]) == (2, [])


def test_unknown_manager_is_blanked_counted_and_warned_of(tmp_path: Path) -> None:
    with pytest.warns(
        LeadnetWarning, match='^people.csv: 1 manager_id names nobody on the roster: "zed" \\(line 4\\)'
    ):
        roster = load_people(write(tmp_path, "person_id,manager_id\na,\nb,a\nc,zed\nd,d\n"))
    assert column(roster, "manager_id") == {"a": "", "b": "a", "c": "", "d": ""}
    assert roster.normalisations == {"self-manager": 1, "unknown-manager": 1}
    assert roster.issues == ()


def test_manager_given_by_email_resolves_to_the_person_id(tmp_path: Path) -> None:
    path = write(tmp_path, "person_id,email,manager_id\n1,Boss@X.org,\n2,b@x.org, boss@x.org\n")
    roster = load_people(path)
    assert column(roster, "manager_id") == {"1": "", "2": "1"}
    assert column(roster, "is_manager") == {"1": True, "2": False}
    assert roster.normalisations == {"id-normalised": 1}


def test_is_manager_column_is_read_as_yes_no(tmp_path: Path) -> None:
    path = write(tmp_path, "person_id,manages\na,Yes\nb,n\nc,maybe\n")
    roster = load_people(path, {"is_manager": "manages"})
    assert column(roster, "is_manager") == {"a": True, "b": False}
    assert [(i.line, i.code, i.column) for i in roster.issues] == [(4, "bad-flag", "manages")]


def test_exclusion_removes_people_and_blanks_their_reports_manager(tmp_path: Path) -> None:
    path = write(
        tmp_path, "person_id,email,manager_id,site\n1,a@x.org,,north\n2,b@x.org,1,south\n3,c@x.org,1,north\n"
    )
    roster = load_people(path, exclude=["A@x.org", "nobody"])
    assert list(roster.people["person_id"]) == ["2", "3"]
    assert roster.n_excluded == 1
    assert roster.normalisations == {"exclusion-unmatched": 1, "manager-excluded": 2}
    assert roster.excluded_keys == frozenset({"1", "a@x.org"})
    assert column(roster, "site") == {"2": "south", "3": "north"}  # extra columns kept as text
    assert roster.record.rows_accepted == 3


def test_mapped_columns_must_exist_and_names_must_be_known(tmp_path: Path) -> None:
    path = write(tmp_path, "employee_id,directorate\n7,ops\n")
    roster = load_people(path, {"person_id": "employee_id", "unit": "directorate"})
    assert column(roster, "unit") == {"7": "ops"}
    with pytest.raises(ConfigError, match="unknown column name"):
        load_people(path, {"dept": "directorate"})
    with pytest.raises(ConfigError, match='top_level must be "min" or "max". Got "top" instead.'):
        load_people(path, top_level="top")


def test_every_spelling_on_a_rejected_row_leads_back_to_that_row(tmp_path: Path) -> None:
    text = (
        "person_id,level,email,aliases,is_manager\n"
        "a,1,a@x.org,,no\n"
        ",2,blank@x.org,,no\n"  # line 3: no id, but an address others may use
        "a,2,a2@x.org,,no\n"  # line 4: a second "a": the first row stands
        "c,9,c@x.org,cee;C. Smith,no\n"  # line 5: a level level_order lacks: that list's problem, kept
        "d,1,d@x.org,,maybe\n"  # line 6: not yes or no
        "e,1,e@x.org\n"  # line 7: two cells short
        "f,1,f@x.org,,no,extra\n"  # line 8: one cell too many
    )
    roster = load_people(write(tmp_path, text), level_order=["1", "2"])
    assert list(roster.people["person_id"]) == ["a", "c"]
    lines = {key: (issue.line, issue.code) for key, issue in roster.rejected_keys.items()}
    assert lines == {
        "blank@x.org": (3, "missing-id"),
        "a": (4, "duplicate-person"),
        "a2@x.org": (4, "duplicate-person"),
        "d": (6, "bad-flag"),
        "d@x.org": (6, "bad-flag"),
        "e": (7, "short-row"),
        "e@x.org": (7, "short-row"),
        "f": (8, "extra-cell"),
        "f@x.org": (8, "extra-cell"),
    }
    resolver = roster.resolver()
    assert resolver.resolve("a") == "a"  # the accepted row wins over a rejected one
    assert resolver.explain("E@X.org") == (
        "roster-rejected",
        'person "E@X.org" is on the roster at people.csv line 7, but that row was rejected as short-row',
        "fix that roster row; this row needs no change",
    )


def test_two_roles_mapped_to_one_header_is_a_config_error_naming_both(tmp_path: Path) -> None:
    path = write(tmp_path, "employee_id,band\nE1,1\nE2,2\n")
    with pytest.raises(ConfigError) as caught:
        load_people(path, {"person_id": "employee_id", "manager_id": "employee_id"})
    assert str(caught.value) == (
        'people.csv: columns person_id and manager_id are both mapped to the header "employee_id", so both '
        "would read it; map each to the header of its own column, or leave out the one the file does not "
        "have (columns = { ... } in leadnet.toml)"
    )


def test_a_header_mapped_to_one_role_is_not_also_read_as_the_role_of_its_name(tmp_path: Path) -> None:
    # "level" holds the unit here (the map says so): it is not read as the level as well
    roster = load_people(write(tmp_path, "person_id,level\na,ops\nb,hr\n"), {"unit": "level"})
    assert column(roster, "unit") == {"a": "ops", "b": "hr"}
    assert column(roster, "level") == {"a": "", "b": ""}
    assert roster.normalisations == {}


def test_a_roster_column_named_line_is_kept_as_an_attribute(tmp_path: Path) -> None:
    roster = load_people(write(tmp_path, "person_id,line,level\na,7,1\nb,8,2\nb,9,3\n"))
    assert column(roster, "line") == {"a": "7", "b": "8"}
    assert [str(i) for i in roster.issues] == [
        'people.csv line 4, column "person_id": person "b" appears twice (first on line 3) [duplicate-person]'
    ]


def test_a_roster_column_named_level_rank_is_refused_unless_mapped(tmp_path: Path) -> None:
    path = write(tmp_path, "person_id,level_rank\na,2\nb,1\n")
    with pytest.raises(InputError) as caught:
        load_people(path)
    assert str(caught.value) == (
        'people.csv line 1: column "level_rank" is the rank leadnet works out from level, so the file\'s '
        "would be replaced (rename the column, or map level to it when it holds the levels: "
        'columns = { level = "level_rank" } in leadnet.toml) [reserved-column]'
    )
    assert column(load_people(path, {"level": "level_rank"}), "level_rank") == {"a": 2, "b": 1}


def test_a_unit_or_level_with_an_invisible_character_is_the_one_it_shows_as(tmp_path: Path) -> None:
    # a zero-width space pasted after "Surgery" made a second unit that shows as "Surgery"
    text = "person_id,unit,level\na,Surgery,1\nb,Surgery\u200b,2\nc,\ufeffA&E,2\u200b\nd,Théâtre,3\n"
    roster = load_people(write(tmp_path, text))
    assert column(roster, "unit") == {"a": "Surgery", "b": "Surgery", "c": "A&E", "d": "Théâtre"}
    assert column(roster, "level_rank") == {"a": 1, "b": 2, "c": 2, "d": 3}
    assert roster.normalisations == {"label-normalised": 3}


def test_roster_headers_that_differ_only_in_letter_case_are_read_and_counted(tmp_path: Path) -> None:
    # A review's roster headed "person_id,Unit,Level,manager_id" validated cleanly, then put everyone
    # in one unit with no level: "Unit" and "Level" were kept as attributes of those names.
    path = write(tmp_path, "Person_ID,Unit,Level,manager_id\na,ops,1,\nb,ops,2,a\nc,hr,2,a\n")
    roster = load_people(path)
    assert column(roster, "unit") == {"a": "ops", "b": "ops", "c": "hr"}
    assert column(roster, "level_rank") == {"a": 1, "b": 2, "c": 2}
    assert "Unit" not in roster.people and "Level" not in roster.people
    assert roster.normalisations == {"header-normalised": 3}
    assert roster.headers_read == (  # for validate's note
        ("people.csv", "Person_ID", "person_id"),
        ("people.csv", "Unit", "unit"),
        ("people.csv", "Level", "level"),
    )


def test_two_roster_headers_naming_one_role_fail_naming_both(tmp_path: Path) -> None:
    path = write(tmp_path, "person_id,unit,region,UNIT\na,ops,n,hr\n")
    with pytest.raises(InputError) as caught:
        load_people(path)
    assert str(caught.value) == (
        'people.csv line 1: duplicate column "unit" and "UNIT" at positions 2 and 4 (rename one of them) '
        "[duplicate-column]"
    )


def test_a_column_map_wins_over_a_header_in_another_case(tmp_path: Path) -> None:
    path = write(tmp_path, "person_id,Unit,directorate\na,ops,Surgery\nb,hr,Surgery\n")
    with pytest.warns(LeadnetWarning) as warned:
        roster = load_people(path, {"unit": "directorate"})
    assert [str(w.message) for w in warned] == [
        'people.csv line 1: column "Unit" (unit, which reads "directorate") is kept as an attribute, '
        "not read as that role"
    ]
    assert column(roster, "unit") == {"a": "Surgery", "b": "Surgery"}
    assert column(roster, "Unit") == {"a": "ops", "b": "hr"}  # an attribute, as any other column
    assert roster.normalisations == {}
    # a header the map names is read as written: "Directorate" is not "directorate"
    with pytest.raises(InputError, match=r'required columns? "directorate" not found'):
        load_people(write(tmp_path, "person_id,Directorate\na,ops\n"), {"unit": "directorate"})
    # a header the map gives to another role is not read by the role whose name it has
    roster = load_people(write(tmp_path, "person_id,Level\na,ops\nb,hr\n"), {"unit": "Level"})
    assert column(roster, "unit") == {"a": "ops", "b": "hr"} and column(roster, "level") == {"a": "", "b": ""}


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("person_id,unit\n", "no rows below the header on line 1, so no people"),
        ("person_id,unit\n,\n \t, \n", "none of its 2 row(s) holds a person: 2 blank, 0 quarantined"),
    ],
)
def test_a_roster_with_no_people_is_an_error_naming_it(tmp_path: Path, text: str, detail: str) -> None:
    # A header alone was accepted, and every tie was then rejected as naming someone unknown.
    with pytest.raises(InputError) as caught:
        load_people(write(tmp_path, text))
    assert str(caught.value) == f"people.csv: {detail} (export the roster with its rows) [empty-roster]"


def test_a_repeat_of_someone_who_opted_out_goes_with_them_counted_and_unnamed(tmp_path: Path) -> None:
    # A review: with E1 opted out, a row "e1" and a row of E1's address with a bad level were neither
    # named (right) nor removed: the address stayed on the roster as a person of its own, counted nowhere.
    path = write(
        tmp_path,
        "person_id,unit,level,email\nE1,ops,1,a@x.org\nE2,ops,2,b@x.org\ne1,ops,1,\nE3,ops,3,\n"
        "a@x.org,ops,zz,\n",
    )
    roster = load_people(path, exclude=["E1"])
    assert (sorted(roster.people["person_id"]), roster.issues, roster.n_excluded) == (["E2", "E3"], (), 1)
    assert roster.normalisations.get("opted-out-repeat") == 2
