"""The opt-out list: read strictly, and each line that removes nobody from the roster named by line."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from leadnet.errors import InputError, LeadnetWarning
from leadnet.importers.exclusions import check_exclusions, load_exclusions
from leadnet.importers.people import load_people


def write(folder: Path, text: str, name: str = "people.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


ROSTER = (
    "employee_id,email,manager\nP001,p1@x.org,\nP005,p5@x.org,P001\nP006,p6@x.org,P001\nP007,p7@x.org,P001\n"
)
MAPPED = {"person_id": "employee_id", "manager_id": "manager"}


def excluded_from(folder: Path, optout: str | bytes) -> list[str]:
    """The ids the roster loses to the exclusion list ``optout`` (read as the project reads it)."""
    path = folder / "optout.csv"
    path.write_bytes(optout if isinstance(optout, bytes) else optout.encode("utf-8"))
    roster = load_people(write(folder, ROSTER), MAPPED, exclude=load_exclusions(path, MAPPED))
    return sorted({"P001", "P005", "P006", "P007"} - set(roster.people["person_id"]))


def exclusion_error(folder: Path, optout: str | bytes) -> str:
    with pytest.raises(InputError) as caught:
        excluded_from(folder, optout)
    return str(caught.value)


@pytest.mark.parametrize(
    "optout",
    [
        "person_id\nP005\nP006\n",
        'person_id,reason\nP005,opted out\nP006,"left, 2026"\n',  # a second column
        'person_id\n"P005"\n P006 \n',  # quoted, spaced
        "employee_id\nP005\nP006\n",  # the roster's own header
        "email\nP5@X.ORG \np6@x.org\n",  # email addresses under an email header
        "person_id;reason\nP005;x\nP006;y\n",  # semicolons
        "person_id\r\nP005\r\nP006\r\n".encode("utf-16"),  # UTF-16 Excel export, by its BOM
        b"\xef\xbb\xbfperson_id\nP005\nP006\n",  # UTF-8 BOM
        "person_id\nP005\nP006\nP005\n\n",  # a duplicate and a blank line
    ],
)
def test_exclusion_list_excludes_the_people_it_names_in_every_accepted_layout(
    tmp_path: Path, optout: str | bytes
) -> None:
    assert excluded_from(tmp_path, optout) == ["P005", "P006"]


def test_exclusion_list_without_a_header_fails_instead_of_dropping_its_first_id(tmp_path: Path) -> None:
    assert exclusion_error(tmp_path, "P005\nP006\n") == (
        "optout.csv line 1: no header naming the ids; the first line is not shown, as it may name someone "
        'who opted out (add a first line "person_id" or "employee_id" or "email" above the ids) '
        "[missing-header]"
    )


def test_an_opt_out_list_without_a_header_is_refused_without_quoting_who_opted_out(tmp_path: Path) -> None:
    # The message quoted the first line, the address of a person who opted out, into the terminal and logs.
    message = exclusion_error(tmp_path, "first7.last7@corp.example\nfirst8.last8@corp.example\n")
    assert message == (
        "optout.csv line 1: no header naming the ids; the first line is not shown, as it may name someone "
        'who opted out (add a first line "person_id" or "employee_id" or "email" above the ids) '
        "[missing-header]"
    )


def test_exclusion_list_with_ids_above_its_header_fails(tmp_path: Path) -> None:
    assert exclusion_error(tmp_path, "P005\nperson_id\nP006\n") == (
        'optout.csv line 2: 1 line(s) above the header "person_id" would be ignored '
        "(put the header on the first line, above every id) [missing-header]"
    )


def test_exclusion_list_of_several_columns_needs_a_person_id_column(tmp_path: Path) -> None:
    assert exclusion_error(tmp_path, "name,email\nAnn,p5@x.org\n") == (
        'optout.csv line 1: no "person_id" column; columns found: "name", "email" '
        '(add a "person_id" column, or keep only the "email" column) [missing-column]'
    )


def test_empty_exclusion_list_fails_but_a_header_alone_excludes_nobody(tmp_path: Path) -> None:
    assert exclusion_error(tmp_path, "") == (
        "optout.csv: file is empty (0 bytes) (an exclusion list needs its header line "
        '("person_id" or "employee_id" or "email") even when it names nobody) [empty-file]'
    )
    assert excluded_from(tmp_path, "person_id\n") == []


def test_latin1_exclusion_list_fails_naming_the_line_and_the_encoding_setting(tmp_path: Path) -> None:
    assert exclusion_error(tmp_path, "person_id\nP005\n# José\n".encode("latin-1")) == (
        "optout.csv line 3: byte 0xe9 is not valid UTF-8 (save the file as UTF-8, or name its encoding: "
        '--encoding cp1252 (for example) on the command line, or encoding = "cp1252" in leadnet.toml, in the '
        "[[sources]] entry that reads it, in [people] for the roster and the exclusion list, or in "
        "[programme] for the cohort file) [encoding]"
    )
    path = tmp_path / "optout.csv"
    assert set(load_exclusions(path, MAPPED, encoding="cp1252")) == {"P005", "# José"}


def test_exclusion_rows_that_cannot_be_read_fail_the_run_listing_each_line(tmp_path: Path) -> None:
    assert exclusion_error(tmp_path, "person_id,reason\nP005,a\n,b\nP006,c,d\n") == (
        "optout.csv: 2 row(s) of the exclusion list cannot be used; every row must be valid, or an "
        "opted-out person could stay in the analysis (fix them and run again)\n"
        'optout.csv line 3, column "person_id": the id is blank (fill it in) [missing-id]\n'
        "optout.csv line 4: 3 cells but the header has 2 columns (quote cells that contain the delimiter, "
        "or remove the extra cell) [extra-cell]"
    )


def test_exclusion_entries_naming_nobody_stay_counted(tmp_path: Path) -> None:
    path = tmp_path / "optout.csv"
    path.write_text("person_id\nZZZ1\nP005\n", encoding="utf-8")
    roster = load_people(write(tmp_path, ROSTER), MAPPED, exclude=load_exclusions(path, MAPPED))
    assert (roster.n_excluded, roster.normalisations) == (1, {"exclusion-unmatched": 1})


def checked(folder: Path, optout: str, roster: str = ROSTER) -> tuple[list[str], list[str], object]:
    """(problems, warnings, roster) of the opt-out list ``optout`` checked against ``roster``."""
    opt_outs = load_exclusions(write(folder, optout, "optout.csv"), MAPPED)
    people = load_people(write(folder, roster), MAPPED, exclude=opt_outs)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        problems = check_exclusions(opt_outs, people)
    said = [str(w.message) for w in caught if issubclass(w.category, LeadnetWarning)]
    return [str(p) for p in problems], said, people


NEAR_MISS = (
    "the id matches nobody on the roster, but a roster id, e-mail address or alias differs from it only in "
    "letter case, punctuation or leading zeros (check it against the roster and write it as the roster "
    "does; until it matches, the person who opted out stays in the analysis) [exclusion-unmatched]"
)


def test_an_opt_out_that_is_a_roster_id_mistyped_is_a_problem_naming_its_line_not_the_id(
    tmp_path: Path,
) -> None:
    # P05 and p-007 are P005 and P007 written differently; p.6@x.org is P006's address with a dot
    problems, said, roster = checked(tmp_path, "person_id\nP05\nP001\np-007\np.6@x.org\n")
    assert problems == [f"optout.csv line {line}: {NEAR_MISS}" for line in (2, 4, 5)]
    assert said == []
    assert sorted(roster.people["person_id"]) == ["P005", "P006", "P007"]  # still analysed, so: a problem
    assert not any(spelling in "".join(problems) for spelling in ("P05", "P005", "p-007", "p6@x.org"))


def test_an_opt_out_naming_someone_not_on_the_roster_is_a_warning_by_line_and_a_count(tmp_path: Path) -> None:
    # people who have left: the list keeps them, in case they come back
    problems, said, roster = checked(tmp_path, "person_id\nP009\nP005\nformer@x.org\n")
    assert problems == []
    assert said == [
        "optout.csv: 2 lines name nobody on the roster (lines 2, 4): nothing to do for people who have left; "
        "any other is a wrong id, and that person stays in the analysis until it is corrected (check them "
        "against the roster)"
    ]
    assert (roster.n_excluded, roster.normalisations) == (1, {"exclusion-unmatched": 2})


def test_an_opt_out_by_an_alias_two_people_share_is_a_problem(tmp_path: Path) -> None:
    roster = "employee_id,manager,aliases\nP001,,sam\nP002,P001,sam\nP003,P001,\n"
    shared = r'1 e-mail address or alias is on the rows of two or more people, .*: "sam" \(lines 2, 3\)'
    with pytest.warns(LeadnetWarning, match=shared):  # the roster's own warning, as it is read
        problems, said, people = checked(tmp_path, "person_id\nsam\n", roster)
    assert problems == [
        "optout.csv line 2: the id is an alias two people on the roster share, so it removes neither "
        "(use the person_id of the one who opted out) [exclusion-unmatched]"
    ]
    assert len(people.people) == 3 and said == []


def test_an_opt_out_whose_roster_row_was_rejected_is_left_to_that_row(tmp_path: Path) -> None:
    roster = ROSTER + "P008,p8@x.org,P001,extra\n"  # line 6: one cell too many
    problems, said, people = checked(tmp_path, "person_id\nP008\n", roster)
    assert (problems, said) == ([], [])
    assert [(i.line, i.code) for i in people.issues] == [(6, "extra-cell")]


def test_an_opt_out_list_that_removes_everyone_is_an_error_naming_it_and_the_roster(tmp_path: Path) -> None:
    # A copy of the roster given as the opt-out list made an empty roster, and an empty analysis.
    assert exclusion_error(tmp_path, ROSTER) == (
        "people.csv: all 4 people it lists are on the opt-out list optout.csv, so nobody is left to analyse "
        "(check that [people] exclude in leadnet.toml names the opt-out list, not the roster or a copy of "
        "it; if they all did opt out, there is no network to analyse) [everyone-opted-out]"
    )
    assert excluded_from(tmp_path, "employee_id\nP001\nP005\nP006\n") == ["P001", "P005", "P006"]  # one left


def test_an_opt_out_list_that_removes_everyone_the_rejected_rows_leave_says_so(tmp_path: Path) -> None:
    # the roster's fifth person, on a rejected row, was said to be on the opt-out list too ("all 4 it lists")
    with pytest.raises(InputError) as caught:
        checked(tmp_path, "person_id\nP001\nP005\nP006\nP007\n", ROSTER + "P008,p8@x.org,P001,extra\n")
    assert str(caught.value).splitlines()[:2] == [
        "2 problems in the input",
        "people.csv line 6: 4 cells but the header has 3 columns (quote cells that contain the delimiter, "
        "or remove the extra cell) [extra-cell]",
    ]
    assert str(caught.value).splitlines()[-1] == (
        "people.csv: all 4 people it lists, but for the rows above, are on the opt-out list optout.csv, so "
        "nobody is left to analyse (check that [people] exclude in leadnet.toml names the opt-out list, not "
        "the roster or a copy of it; if they all did opt out, there is no network to analyse) "
        "[everyone-opted-out]"
    )


def test_an_opt_out_list_s_header_is_read_in_any_letter_case_as_the_roster_s(tmp_path: Path) -> None:
    # "Person_ID" failed (missing-header) where the roster and the cohort file read it; now the one
    # rule for headers is the list's too: counted, and two spellings of one header are refused.
    for text in ("Person_ID,Reason\nP005,left\nP006,\n", " EMAIL \np5@x.org\np6@x.org\n"):
        assert excluded_from(tmp_path, text) == ["P005", "P006"]
        opt_outs = load_exclusions(tmp_path / "optout.csv", MAPPED)
        assert opt_outs.normalisations == {"header-normalised": 1}
    assert exclusion_error(tmp_path, "Person_ID,person_id\nP005,P006\n") == (
        'optout.csv line 1: duplicate column "Person_ID" and "person_id" at positions 1 and 2 (rename one '
        "of them) [duplicate-column]"
    )
    assert exclusion_error(tmp_path, "Person_ID,reason\n,left\n") == (
        "optout.csv: 1 row(s) of the exclusion list cannot be used; every row must be valid, or an "
        "opted-out person could stay in the analysis (fix them and run again)\n"
        'optout.csv line 2, column "Person_ID": the id is blank (fill it in) [missing-id]'
    )
    assert load_exclusions(write(tmp_path, "person_id\nP005\n", "optout.csv")).normalisations == {}


def test_an_opt_out_header_in_another_case_than_the_roster_s_mapped_one_is_named_with_the_fix(
    tmp_path: Path,
) -> None:
    # The roster maps person_id = "employee_id" and refuses "Employee_ID" (a mapped header is read as
    # written); the list was refused too, but its message did not say that "Employee_ID" was the near miss.
    assert exclusion_error(tmp_path, "Employee_ID,reason\nP005,left\n") == (
        'optout.csv line 1: no header naming the ids; the first line\'s "Employee_ID" differs only in letter '
        'case from "employee_id", the header [people] columns maps '
        '(write it "employee_id": a header the column map names is read as written, in the roster too) '
        "[missing-header]"
    )
    with pytest.raises(InputError, match=r'did you mean "Employee_ID" for "employee_id"\?'):
        load_people(write(tmp_path, ROSTER.replace("employee_id", "Employee_ID", 1)), MAPPED)


def test_an_opt_out_list_s_blank_and_repeated_rows_are_counted_with_their_lines(tmp_path: Path) -> None:
    # Rows read = ids + blank rows + rows naming an id again: the last two were skipped uncounted.
    text = 'person_id,reason\nP005,left\n\nP005,moved\n,\nP006,\n"P006",\n P006 ,x\n'
    opt_outs = load_exclusions(write(tmp_path, text, "optout.csv"))
    assert (dict(opt_outs.lines), opt_outs.rows_read) == ({"P005": 2, "P006": 6}, 7)
    assert opt_outs.skipped == {"blank-row": (3, 5), "duplicate-row": (4, 7, 8)}
    assert opt_outs.normalisations == {"blank-row": 2, "duplicate-row": 3}
    assert opt_outs.rows_read == len(opt_outs) + sum(len(lines) for lines in opt_outs.skipped.values())
    roster = load_people(write(tmp_path, ROSTER), MAPPED, exclude=opt_outs)
    assert roster.n_excluded == 2
