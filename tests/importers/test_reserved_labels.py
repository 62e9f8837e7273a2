"""Roster units and levels named as the outputs name pooled groups are refused at their line
(importers/reserved_labels.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from leadnet.cli import main
from leadnet.groups import RESERVED_LEVELS, RESERVED_UNITS
from leadnet.importers.people import load_people

HINT = (
    "(rename the {0}, on every row of it, so that the outputs do not show it as one with those) "
    "[reserved-label]"
)


def test_every_label_the_outputs_give_a_pooled_group_is_refused_in_any_letter_case(tmp_path: Path) -> None:
    rows = [
        "a,Lab,Head",
        "b,units pooled for privacy,Head",  # the unit a hidden unit is shown as, another letter case
        "c,(external),Staff",
        "d,No unit in the roster,Staff",
        "e,outside the roster (pooled),Staff",
        "f,Lab,NOT SHOWN (privacy)",  # the level a hidden level is shown as
        "g,Lab\u200b,Staff",
        "h,Units pooled\u200b for privacy,Staff",  # shows as the pooled units' label: read as it shows
    ]
    path = tmp_path / "people.csv"
    path.write_text("id,team,band\n" + "\n".join(rows) + "\n", encoding="utf-8")
    roster = load_people(path, {"person_id": "id", "unit": "team", "level": "band"})
    unit, level = HINT.format("unit"), HINT.format("level")
    assert [str(issue) for issue in roster.issues] == [
        f'people.csv line 3, column "team": unit "units pooled for privacy" is reserved for the units the '
        f"outputs pool for privacy, and 2 rows hold it (lines 3, 9) {unit}",  # line 9's is the same label
        'people.csv line 4, column "team": unit "(external)" is reserved for the one person '
        f'external = "pool" makes of everyone outside the organisation {unit}',
        'people.csv line 5, column "team": unit "No unit in the roster" is reserved for the people of '
        f"no unit, in the network view {unit}",
        'people.csv line 6, column "team": unit "outside the roster (pooled)" is reserved for the outside '
        f"world, in the network view {unit}",
        'people.csv line 7, column "band": level "NOT SHOWN (privacy)" is reserved for the levels the '
        f"outputs hide for privacy {level}",
    ]
    assert roster.people["person_id"].tolist() == ["a", "g"]
    assert (roster.record.rows_read, roster.record.rows_accepted, roster.record.rows_rejected) == (8, 2, 6)


def test_the_reserved_labels_are_those_the_outputs_use() -> None:
    from leadnet.report.disclosure import POOLED_LEVEL, POOLED_UNITS
    from leadnet.report.drawn import NO_UNIT, OUTSIDE_UNIT

    assert set(RESERVED_UNITS) == {POOLED_UNITS, NO_UNIT, OUTSIDE_UNIT, "(external)"}
    assert set(RESERVED_LEVELS) == {POOLED_LEVEL}


def test_analyse_refuses_a_real_unit_named_as_the_pooled_units(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An audit: a real unit "Units pooled for privacy" was accepted, and units.csv and summary.json
    # then showed its row beside the pooled ones under one name.
    monkeypatch.chdir(tmp_path)  # the files named from there: people.csv
    people = tmp_path / "people.csv"
    units = ["Units pooled for privacy"] * 6 + ["Lab"] * 6 + ["Tiny"] * 2
    people.write_text(
        "person_id,unit\n" + "".join(f"p{i},{u}\n" for i, u in enumerate(units)), encoding="utf-8"
    )
    survey = tmp_path / "survey.csv"
    survey.write_text(
        "respondent,nominee\n" + "".join(f"p{i},p{(i + 1) % 14}\n" for i in range(14)), encoding="utf-8"
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["analyse", "--people", str(people), "--survey", str(survey), "--out", str(out), "--quiet"]
    )
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        "error: people.csv: 6 roster row(s) cannot be used; every roster row must be valid (fix them and "
        "run again)",
        'people.csv line 2, column "unit": unit "Units pooled for privacy" is reserved for the units the '
        f"outputs pool for privacy, and 6 rows hold it (lines 2, 3, 4 and 3 more) {HINT.format('unit')}",
    ]  # one problem for the unit, which said the same at each of its 6 lines; the 6 rows still counted
    assert not out.exists()


def test_a_label_with_a_run_of_spaces_is_refused_as_it_shows_alike(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("person_id,unit\na,Lab\nb,Units  pooled \tfor privacy\n", encoding="utf-8")
    roster = load_people(path)
    assert [str(issue) for issue in roster.issues] == [
        'people.csv line 3, column "unit": unit "Units  pooled \tfor privacy" is reserved for the units the '
        f"outputs pool for privacy {HINT.format('unit')}"
    ]


def test_the_rows_of_people_who_opted_out_are_not_checked_nor_named(tmp_path: Path) -> None:
    # A review: E0008 opted out, and their roster row's unit was "Units pooled for privacy"; the row was
    # rejected before the opt-outs were removed, so every survey row naming E0008 said they were on the
    # roster but rejected, and analyse stopped on their row.
    rows = [
        "E0001,Lab,1,no",
        "E0002,Lab,2,no",
        "E0008,Units pooled for privacy,2,no",
        "E0009,Lab,2a,no",  # a bad level
        "E0010,Lab,2,maybe",  # a bad flag
        "e0008,Lab,2,no",  # a repeat of the opted-out person's row, in another letter case
    ]
    path = tmp_path / "people.csv"
    path.write_text("person_id,unit,level,is_manager\n" + "\n".join(rows) + "\n", encoding="utf-8")
    roster = load_people(path, exclude=["E0008", "E0009", "E0010"])
    assert roster.issues == ()
    assert roster.people["person_id"].tolist() == ["E0001", "E0002"]
    assert roster.n_excluded == 3
    assert dict(roster.rejected_keys) == {}
    assert sorted(roster.excluded_keys) == ["E0008", "E0009", "E0010"]


def test_a_reserved_label_is_one_problem_and_its_rows_are_each_rejected(tmp_path: Path) -> None:
    # A unit of 105 people named "Units pooled for privacy" gave 105 problems, one a row
    path = tmp_path / "people.csv"
    rows = [f"p{i},{'Units pooled for privacy' if i % 2 else 'Lab'},{'not shown (privacy)' if i < 3 else 'A'}"
            for i in range(10)]  # fmt: skip
    path.write_text("person_id,unit,level\n" + "\n".join(rows) + "\n", encoding="utf-8")
    roster = load_people(path, level_order=["A", "not shown (privacy)"])
    unit, level = HINT.format("unit"), HINT.format("level")
    assert [str(issue) for issue in roster.issues] == [
        'people.csv line 2, column "level": level "not shown (privacy)" is reserved for the levels the '
        f"outputs hide for privacy, and 3 rows hold it (lines 2, 3, 4) {level}",
        'people.csv line 3, column "unit": unit "Units pooled for privacy" is reserved for the units the '
        f"outputs pool for privacy, and 5 rows hold it (lines 3, 5, 7 and 2 more) {unit}",
    ]
    assert roster.people["person_id"].tolist() == ["p4", "p6", "p8"]
    assert (roster.record.rows_read, roster.record.rows_accepted, roster.record.rows_rejected) == (10, 3, 7)
    assert sorted(roster.rejected_keys) == ["p0", "p1", "p2", "p3", "p5", "p7", "p9"]
    assert roster.rejected_keys["p9"].line == 11  # a source row naming p9 is sent to p9's own row


def test_a_reserved_label_in_two_letter_cases_or_spacings_is_one_problem(tmp_path: Path) -> None:
    # Any letter case is the same label, yet "Units pooled for privacy" and "units pooled for privacy"
    # were two problems, one fix each.
    path = tmp_path / "people.csv"
    labels = ["Units pooled for privacy", "units pooled for privacy", "Units  pooled for privacy", "Lab"]
    rows = [f"p{i},{label}" for i, label in enumerate(labels)]
    path.write_text("person_id,unit\n" + "\n".join(rows) + "\n", encoding="utf-8")
    roster = load_people(path)
    assert [str(issue) for issue in roster.issues] == [
        'people.csv line 2, column "unit": unit "Units pooled for privacy" is reserved for the units the '
        f"outputs pool for privacy, and 3 rows hold it (lines 2, 3, 4) {HINT.format('unit')}",
    ]
    assert roster.people["person_id"].tolist() == ["p3"]
