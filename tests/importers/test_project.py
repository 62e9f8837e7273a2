"""A project's inputs read from its leadnet.toml: where a column map's clash was written, the roster's
blank rows, and the opt-out list recorded as an input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leadnet.config import SourceSection, load_config
from leadnet.errors import ConfigError, InputError, LeadnetWarning
from leadnet.importers.project import load_project
from leadnet.importers.roster import load_roster
from leadnet.overrides import with_overrides

ROSTER = "employee_id,unit,manager\nE1,ops,\nE2,ops,E1\nE3,hr,E1\nE4,hr,E3\n"
SURVEY = "respondent,nominee\nE1,E2\nE2,E3\nE3,E4\n"


def project(folder: Path, toml: str, roster: str = ROSTER) -> Path:
    (folder / "people.csv").write_text(roster, encoding="utf-8")
    (folder / "survey.csv").write_text(SURVEY, encoding="utf-8")
    (folder / "leadnet.toml").write_text(toml, encoding="utf-8")
    return folder


def surveyed(people: str = "") -> str:
    """A leadnet.toml of the roster (``people``: more keys of [people]) and the survey."""
    return (
        f'[people]\npath = "people.csv"\n{people}'
        'columns = { person_id = "employee_id", manager_id = "manager" }\n\n'
        '[[sources]]\nkind = "survey"\npath = "survey.csv"\n'
    )


def clash(folder: Path, **flags: object) -> str:
    config = with_overrides(load_config(folder), **flags)  # type: ignore[arg-type]
    with pytest.raises(ConfigError) as caught:
        load_project(config)
    return str(caught.value)


def test_a_roster_map_giving_two_roles_one_header_names_the_line_of_the_second_mapping(
    tmp_path: Path,
) -> None:
    # It named only people.csv and "columns = { ... } in leadnet.toml", whichever of its maps it was.
    toml = (
        '# the roster\n[people]\npath = "people.csv"\ncolumns.person_id = "employee_id"\n'
        'columns.unit = "unit"\ncolumns.manager_id = "employee_id"\n\n'
        '[[sources]]\nkind = "survey"\npath = "survey.csv"\n'
    )
    assert clash(project(tmp_path, toml)) == (
        'people.csv: columns person_id and manager_id are both mapped to the header "employee_id", so both '
        "would read it; map each to the header of its own column, or leave out the one the file does not "
        "have (columns at leadnet.toml line 6, [people])"
    )


def test_a_source_map_on_another_roles_default_header_names_its_source_by_its_place_in_the_file(
    tmp_path: Path,
) -> None:
    # The survey flag replaces the file's first source, so the tie list is the first source read, but
    # the file calls it [[sources]] #2, at line 12.
    (tmp_path / "ties.csv").write_text("source,target\nE1,E2\n", encoding="utf-8")
    toml = (
        '[people]\npath = "people.csv"\ncolumns = { person_id = "employee_id", manager_id = "manager" }\n\n'
        '[[sources]]\nkind = "survey"\npath = "survey.csv"\n\n'
        '[[sources]]\nkind = "ties"\npath = "ties.csv"\n'
        'columns = { target = "source" }\n'
    )
    folder = project(tmp_path, toml)
    flag = SourceSection(kind="survey", path=tmp_path / "survey.csv")
    expected = (
        'ties.csv: column target is mapped to the header "source", which source reads when it is not mapped, '
        "so both would read one column; map source to the header of its own column too (columns at "
        "leadnet.toml line 12, [[sources]] #2)"
    )
    assert clash(folder) == expected
    assert clash(folder, sources=[flag]) == expected


def test_a_roster_map_clash_read_with_a_flag_roster_still_names_the_file_s_map(tmp_path: Path) -> None:
    toml = (
        '[people]\npath = "people.csv"\n'
        'columns = { person_id = "employee_id", unit = "employee_id" }\n\n'
        '[[sources]]\nkind = "survey"\npath = "survey.csv"\n'
    )
    (tmp_path / "other.csv").write_text(ROSTER, encoding="utf-8")
    message = clash(project(tmp_path, toml), people=tmp_path / "other.csv")
    assert message.startswith(
        'other.csv: columns person_id and unit are both mapped to the header "employee_id"'
    )
    assert message.endswith("(columns at leadnet.toml line 3, [people])")


def test_a_roster_s_blank_rows_are_kept_by_line_and_counted_with_its_other_counts(tmp_path: Path) -> None:
    roster = "employee_id,unit,manager\nE1,ops,\n\nE2,ops,E1\n,,\nE3,hr,E1\nE4,hr,E3\n \n"
    toml = surveyed()
    config = load_config(project(tmp_path, toml, roster))
    read = load_roster(config)
    assert read.blank_lines == (3, 5, 8)
    assert (read.record.rows_read, read.record.rows_accepted, len(read.people)) == (7, 7, 4)
    snapshot = load_project(config).snapshots["main"]
    assert snapshot.provenance.normalisations["blank-row"] == 3


def test_the_opt_out_list_is_an_input_with_its_rows_and_no_digest_of_its_ids(tmp_path: Path) -> None:
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "optout.csv").write_text(
        "person_id,reason\nE4,left\n\nE4,again\n", encoding="utf-8"
    )
    toml = surveyed('exclude = "private/optout.csv"\n')
    snapshot = load_project(load_config(project(tmp_path, toml))).snapshots["main"]
    inputs = [
        (i.path, i.kind, i.rows_read, i.rows_accepted, i.rows_rejected) for i in snapshot.provenance.inputs
    ]
    assert inputs == [
        ("people.csv", "people", 4, 4, 0),
        ("private/optout.csv", "exclusions", 3, 3, 0),
        ("survey.csv", "survey", 3, 3, 0),
    ]
    assert snapshot.provenance.inputs[1].sha256 == "withheld"
    counts = snapshot.provenance.normalisations
    assert (counts["blank-row"], counts["duplicate-row"], counts["excluded-person"]) == (1, 1, 1)
    assert counts["excluded-tie"] == 1  # E3 → E4
    assert "E4" not in json.dumps(snapshot.provenance.to_dict())


def test_an_unreadable_opt_out_list_stops_analyse_and_is_reported_beside_the_roster_s_rows_by_validate(
    tmp_path: Path,
) -> None:
    # validate's roster of nobody hid the roster's own bad row (line 6) until the list was fixed, and
    # every problem of the sources that only a roster tells.
    (tmp_path / "optout.csv").write_text("person_id,reason\nE4,left\n,blank\n", encoding="utf-8")
    toml = surveyed('exclude = "optout.csv"\n')
    config = load_config(project(tmp_path, toml))
    with pytest.raises(InputError, match="row\\(s\\) of the exclusion list cannot be used"):
        load_project(config)
    checked = load_project(config, strict=False)
    assert [str(i) for i in checked.issues] == [
        'optout.csv line 3, column "person_id": the id is blank (fill it in) [missing-id]'
    ]
    assert (checked.roster_read, checked.opt_outs_read, checked.unreadable) == (True, False, ())
    assert len(checked.snapshots["main"].people) == 4  # E4 too: nobody left out
    (tmp_path / "people.csv").write_text(ROSTER + ",hr,E1\n", encoding="utf-8")  # line 6: no id
    both = load_project(load_config(tmp_path), strict=False)
    assert [(i.file, i.line, i.code) for i in both.issues] == [
        ("people.csv", 6, "missing-id"),
        ("optout.csv", 3, "missing-id"),
    ]
    (tmp_path / "people.csv").unlink()
    (tmp_path / "people.csv").mkdir()  # a roster that cannot be read at all
    neither = load_project(load_config(tmp_path), strict=False)
    assert [(i.file, i.code) for i in neither.issues] == [
        ("people.csv", "not-a-file"),
        ("optout.csv", "missing-id"),
    ]
    assert (neither.roster_read, neither.snapshots) == (False, {})


RULE_ROSTER = "person_id,unit,email\n" + "".join(f"{i},u{i % 2},p{i}@x.org\n" for i in range(1, 16))


def rule_warnings(folder: Path, source: str, files: dict[str, str], analysis: str = "") -> list[str]:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    toml = (
        '[project]\nname = "rules"\ninternal_domains = ["x.org"]\n\n[people]\npath = "people.csv"\n\n'
        f"[[sources]]\n{source}\n\n[analysis]\n{analysis}\n"
    )
    project(folder, toml, RULE_ROSTER)
    with pytest.warns(LeadnetWarning) as caught:
        load_project(load_config(folder), strict=False)
    return [str(w.message) for w in caught]


def monthly_warnings(folder: Path, log: str, rules: str) -> list[str]:
    """:func:`rule_warnings` of the e-mail log ``log`` under tie ``rules`` (lines of its source), by month."""
    return rule_warnings(
        folder, f'kind = "email"\npath = "log.csv"\n{rules}', {"log.csv": log}, 'snapshot_by = "month"'
    )


def test_a_project_size_cap_leaving_a_quarter_no_tie_is_warned_of_with_the_size_that_would_give_one(
    tmp_path: Path,
) -> None:
    # 2024-Q1's one project has 14 members, over the cap of 10: the quarter was an empty network, silently.
    rows = "".join(f"{i},big,2024-01-05,2024-03-01\n" for i in range(1, 15))
    rows += "".join(f"{i},small,2024-04-05,2024-05-01\n" for i in range(1, 4))
    source = 'kind = "membership"\npath = "m.csv"\nmax_project_size = 10'
    files = {"m.csv": "person,project,start,end\n" + rows}
    assert rule_warnings(tmp_path, source, files, 'snapshot_by = "quarter"') == [
        "m.csv: no tie in 2024-Q1: every project has more than max_project_size members; raise "
        "max_project_size (now 10; the smallest project in 2024-Q1 has 14 members)"
    ]


def test_a_project_size_cap_leaving_a_window_no_tie_names_the_window_not_its_rows_outside(
    tmp_path: Path,
) -> None:
    # Rows outside the window too: the warning said only "check --from and --to", or nothing at all.
    rows = "".join(f"{i},big,2024-01-05,2024-03-01\n" for i in range(1, 15)) + "1,old,2020-01-01,2020-02-01\n"
    source = 'kind = "membership"\npath = "m.csv"\nmax_project_size = 10\nfrom = 2024-01-01'
    assert rule_warnings(tmp_path, source, {"m.csv": "person,project,start,end\n" + rows}) == [
        "m.csv: no tie in the period 2024-01-01 to …: every project has more than max_project_size members; "
        "raise max_project_size (now 10; the smallest project has 14 members)"
    ]


def test_min_messages_leaving_months_no_tie_is_warned_of_with_the_most_messages_of_each(
    tmp_path: Path,
) -> None:
    # January's pair exchanged 2 messages and February's 1, under min_messages = 3: two empty snapshots.
    log = "sender,recipient,timestamp\n" + "".join(
        f"p{a}@x.org,p{b}@x.org,2024-{month}-0{day}T10:00Z\n"
        for a, b, month, days in ((1, 2, "01", 2), (2, 3, "02", 1), (1, 3, "03", 3))
        for day in range(1, days + 1)
    )
    source = 'kind = "email"\npath = "log.csv"\nmin_messages = 3'
    assert rule_warnings(tmp_path, source, {"log.csv": log}, 'snapshot_by = "month"') == [
        "log.csv: no tie in 2024-01 and 2024-02: no one sent another person min_messages messages; lower "
        "min_messages (now 3; the most messages one person sent another in 2024-01 is 2, in 2024-02 is 1)"
    ]


def mail(*messages: tuple[int, tuple[int, ...], str, int]) -> str:
    """A one-row-per-message log: (sender, recipients, month, times sent), each on its own day."""
    rows = [
        f'p{sender}@x.org,"{";".join(f"p{r}@x.org" for r in to)}",2024-{month}-{day:02d}T10:00Z\n'
        for sender, to, month, times in messages
        for day in range(1, times + 1)
    ]
    return "sender,recipients,timestamp\n" + "".join(rows)


def test_reciprocity_leaving_months_no_tie_is_warned_of_with_what_the_pairs_sent_each_other(
    tmp_path: Path,
) -> None:
    # January's messages all went one way, February's pair wrote back once: two empty snapshots, silently.
    log = mail(
        (1, (2,), "01", 2), (1, (3,), "02", 3), (3, (1,), "02", 1), (1, (2,), "03", 2), (2, (1,), "03", 2)
    )
    source = 'kind = "email"\npath = "log.csv"\nmin_messages = 2\nrequire_reciprocity = true'
    assert rule_warnings(tmp_path, source, {"log.csv": log}, 'snapshot_by = "month"') == [
        "log.csv: no tie in 2024-01: no pair wrote to each other; set require_reciprocity = false",
        "log.csv: no tie in 2024-02: no pair wrote to each other min_messages messages each; set "
        "require_reciprocity = false, or lower min_messages (the most messages each of two people sent the "
        "other in 2024-02 is 1)",
    ]


def test_min_messages_and_reciprocity_emptying_a_month_together_name_both_changes(tmp_path: Path) -> None:
    # It said "lower min_messages (now 3; the most messages one person sent another in 2024-01 is 2)", but
    # with min_messages = 2 the month still had no tie: nobody wrote back.
    log = mail((1, (2,), "01", 2), (1, (2,), "02", 3), (2, (1,), "02", 3))
    source = 'kind = "email"\npath = "log.csv"\nmin_messages = 3\nrequire_reciprocity = true'
    assert rule_warnings(tmp_path, source, {"log.csv": log}, 'snapshot_by = "month"') == [
        "log.csv: no tie in 2024-01: no one sent another person min_messages messages, and no pair wrote to "
        "each other; lower min_messages (now 3; the most messages one person sent another in 2024-01 is 2) "
        "and set require_reciprocity = false"
    ]


def test_max_recipients_leaving_months_no_tie_is_warned_of_with_the_value_that_gives_one(
    tmp_path: Path,
) -> None:
    # Every message of January and February went to 5 people, over max_recipients = 3: no warning at all.
    # January's pair had two of them, so max_recipients = 5 alone gives a tie; February's had one, so it
    # takes min_messages = 1 too.
    five = (2, 3, 4, 5, 6)
    log = mail((1, five, "01", 2), (1, five, "02", 1), (1, (2,), "03", 2))
    source = 'kind = "email"\npath = "log.csv"\nmax_recipients = 3\nmin_messages = 2'
    assert rule_warnings(tmp_path, source, {"log.csv": log}, 'snapshot_by = "month"') == [
        "log.csv: no tie in 2024-01: every message from one person to another has more than max_recipients "
        "recipients; raise max_recipients (now 3; the smallest value that gives a tie in 2024-01 is 5, which "
        "makes ties of messages to that many recipients)",
        "log.csv: no tie in 2024-02: every message from one person to another has more than max_recipients "
        "recipients, and no one sent another person min_messages messages; raise max_recipients (now 3; the "
        "smallest value that gives a tie with the change after it in 2024-02 is 5, which makes ties of "
        "messages to that many recipients) and lower min_messages (now 2; the most messages one person sent "
        "another in 2024-02 is 1)",
    ]


def test_two_rules_emptying_a_month_ask_the_narrowest_message_not_the_all_staff_one(tmp_path: Path) -> None:
    # January's p1 wrote to five people once and p7 to all 14 others once: it said "raise max_recipients
    # (now 3; the most recipients of such a message in 2024-01 is 14)", the all-staff message made ties.
    # A count by hand finds 1 too (p7 wrote p2 once), so nothing is said of messages to more than 5.
    everyone = tuple(n for n in range(1, 16) if n != 7)
    log = mail((1, (2, 3, 4, 5, 6), "01", 1), (7, everyone, "01", 1), (1, (2,), "02", 2))
    source = 'kind = "email"\npath = "log.csv"\nmax_recipients = 3\nmin_messages = 2'
    assert rule_warnings(tmp_path, source, {"log.csv": log}, 'snapshot_by = "month"') == [
        "log.csv: no tie in 2024-01: every message from one person to another has more than max_recipients "
        "recipients, and no one sent another person min_messages messages; raise max_recipients (now 3; the "
        "smallest value that gives a tie with the change after it in 2024-01 is 5, which makes ties of "
        "messages to that many recipients) and lower min_messages (now 2; the most messages one person sent "
        "another in 2024-01 is 1)"
    ]


def test_a_max_recipients_named_before_two_changes_says_it_gives_a_tie_with_both(tmp_path: Path) -> None:
    # January's one message went to five people and nobody wrote back: it said "with the change after it".
    log = mail((1, (2, 3, 4, 5, 6), "01", 1), (1, (2,), "02", 2), (2, (1,), "02", 2))
    assert monthly_warnings(
        tmp_path, log, "max_recipients = 3\nmin_messages = 2\nrequire_reciprocity = true"
    ) == [
        "log.csv: no tie in 2024-01: every message from one person to another has more than max_recipients "
        "recipients, and no one sent another person min_messages messages, and no pair wrote to each other; "
        "raise max_recipients (now 3; the smallest value that gives a tie with the changes after it in "
        "2024-01 is 5, which makes ties of messages to that many recipients) and lower min_messages (now 2; "
        "the most messages one person sent another in 2024-01 is 1) and set require_reciprocity = false"
    ]


def test_a_min_messages_count_that_left_broadcasts_out_says_so_in_that_month_only(tmp_path: Path) -> None:
    # January's p1 wrote p2 twice and once more to five people, over max_recipients: counting by hand
    # finds 3 messages, min_messages, where the warning said "is 2" without saying why.
    five = (2, 3, 4, 5, 6)
    log = mail((1, (2,), "01", 2), (1, five, "01", 1), (2, (3,), "02", 1), (1, (2,), "03", 3))
    assert monthly_warnings(tmp_path, log, "max_recipients = 3\nmin_messages = 3") == [
        "log.csv: no tie in 2024-01 and 2024-02: no one sent another person min_messages messages; lower "
        "min_messages (now 3; the most messages one person sent another in 2024-01 is 2 (not counting "
        "messages to more than 3 recipients), in 2024-02 is 1)"
    ]


def test_months_that_need_the_same_changes_share_a_warning_whatever_their_counts_left_out(
    tmp_path: Path,
) -> None:
    # January's p1 wrote p2 once among 4 recipients and once among 9, February's once among 5 and once
    # among 9: each month its own warning, as their counts left out messages to more than 4 and to more
    # than 5 recipients (a log of 24 such months gave up to 24 warnings of the same changes).
    four, five, nine = (2, 3, 4, 5), (2, 3, 4, 5, 6), (2, 3, 4, 5, 6, 7, 8, 9, 10)
    log = mail(
        (1, four, "01", 1), (1, nine, "01", 1), (1, five, "02", 1), (1, nine, "02", 1), (1, (2,), "03", 3)
    )
    assert monthly_warnings(tmp_path, log, "max_recipients = 3\nmin_messages = 3") == [
        "log.csv: no tie in 2024-01 and 2024-02: every message from one person to another has more than "
        "max_recipients recipients, and no one sent another person min_messages messages; raise "
        "max_recipients (now 3; the smallest value that gives a tie with the change after it in 2024-01 is "
        "4, in 2024-02 is 5, which makes ties of messages to that many recipients) and lower min_messages "
        "(now 3; the most messages one person sent another in 2024-01 is 1 (not counting messages to more "
        "than 4 recipients), in 2024-02 is 1 (not counting messages to more than 5 recipients))"
    ]


def test_a_rule_leaving_a_whole_window_no_tie_is_warned_of_without_periods(tmp_path: Path) -> None:
    source = 'kind = "email"\npath = "log.csv"\nmin_messages = 1\nrequire_reciprocity = true'
    assert rule_warnings(tmp_path, source, {"log.csv": mail((1, (2,), "01", 1))}) == [
        "log.csv: no tie: no pair wrote to each other; set require_reciprocity = false"
    ]


def test_a_pair_that_wrote_back_only_in_broadcasts_is_no_pair_that_never_wrote_back(tmp_path: Path) -> None:
    # p3 wrote back to p2, in a message to four people: it said "no pair wrote to each other; set
    # require_reciprocity = false", and max_recipients = 4 alone gives a tie.
    log = mail((2, (3,), "01", 1), (3, (2, 5, 6, 7), "01", 1))
    source = (
        'kind = "email"\npath = "log.csv"\nmax_recipients = 3\nmin_messages = 1\nrequire_reciprocity = true'
    )
    assert rule_warnings(tmp_path, source, {"log.csv": log}) == [
        "log.csv: no tie: no pair wrote to each other in messages to at most 3 recipients; set "
        "require_reciprocity = false, or raise max_recipients (now 3; the smallest value that gives a tie is "
        "4, which makes ties of messages to that many recipients)"
    ]


def test_a_month_whose_pair_wrote_back_in_broadcasts_names_max_recipients_only_when_it_gives_a_tie(
    tmp_path: Path,
) -> None:
    # January's p3 wrote back to p2 twice, among four recipients: max_recipients = 4 gives a tie; February's
    # once, below min_messages: only require_reciprocity = false does.
    four = (2, 5, 6, 7)
    log = mail(
        (2, (3,), "01", 2), (3, four, "01", 2), (2, (3,), "02", 2), (3, four, "02", 1), (1, (2,), "03", 2),
        (2, (1,), "03", 2),
    )  # fmt: skip
    rules = "max_recipients = 3\nmin_messages = 2\nrequire_reciprocity = true"
    assert monthly_warnings(tmp_path, log, rules) == [
        "log.csv: no tie in 2024-01: no pair wrote to each other in messages to at most 3 recipients; set "
        "require_reciprocity = false, or raise max_recipients (now 3; the smallest value that gives a tie in "
        "2024-01 is 4, which makes ties of messages to that many recipients)",
        "log.csv: no tie in 2024-02: no pair wrote to each other in messages to at most 3 recipients; set "
        "require_reciprocity = false",
    ]


def missing_column(folder: Path, columns: str, survey: str = "Respondent,Nominee name\nE1,E2\n") -> str:
    (folder / "s.csv").write_text(survey, encoding="utf-8")
    toml = (
        '[people]\npath = "people.csv"\ncolumns = { person_id = "employee_id", manager_id = "manager" }\n\n'
        f'[[sources]]\nkind = "survey"\npath = "s.csv"\n{columns}\n'
    )
    with pytest.raises(InputError) as caught:
        load_project(load_config(project(folder, toml)))
    return str(caught.value)


FOUND = (
    's.csv line 1: required column "nominee" not found; columns found: "Respondent" and 1 more, not shown, '
    "as no header the file reads"
)
BY_POSITION = 'the 2nd column\'s header reads like "nominee": rename it to "nominee"'


def test_a_missing_column_of_a_mapped_file_names_a_header_like_it_by_position(tmp_path: Path) -> None:
    # It said 'add  target = "Nominee name"  to columns ...': a cell holding a header name as a word may be
    # a person's name ("Mary Nominee"), so it is named by its position, not quoted.
    assert missing_column(tmp_path, 'columns = { source = "Respondent" }') == (
        f"{FOUND} ({BY_POSITION}) [missing-column]"
    )


def test_a_mapping_to_a_header_the_file_lacks_gives_the_mapping_to_change(tmp_path: Path) -> None:
    toml = 'columns.source = "Respondent"\ncolumns.target = "Nominee name"'
    assert missing_column(tmp_path, toml, "Respondent,nominee\nE1,E2\n") == (
        's.csv line 1: required column "Nominee name" not found; columns found: "Respondent", "nominee" '
        '(change  target = "Nominee name"  to  target = "nominee"  in columns of [[sources]] #1 at '
        "leadnet.toml line 9) [missing-column]"
    )


def test_a_missing_column_of_a_source_with_no_map_gives_the_map_to_add_at_the_source(tmp_path: Path) -> None:
    assert missing_column(tmp_path, "", "respondent,Nominee name\nE1,E2\n") == (
        's.csv line 1: required column "nominee" not found; columns found: "respondent" and 1 more, not '
        f"shown, as no header the file reads ({BY_POSITION}) [missing-column]"
    )


def test_a_roster_mapping_to_a_header_it_lacks_gives_the_mapping_to_change_at_its_line(
    tmp_path: Path,
) -> None:
    toml = (
        '[people]\npath = "people.csv"\ncolumns.person_id = "employee"\ncolumns.manager_id = "manager"\n\n'
        '[[sources]]\nkind = "survey"\npath = "survey.csv"\n'
    )
    with pytest.raises(InputError) as caught:
        load_project(load_config(project(tmp_path, toml)))
    assert str(caught.value) == (
        'people.csv line 1: required column "employee" not found; columns found: "employee_id", "unit", '
        '"manager" (change  person_id = "employee"  to  person_id = "employee_id"  in columns of [people] at '
        "leadnet.toml line 3) [missing-column]"
    )


def missing_mail_column(folder: Path, source: str, files: dict[str, str | bytes]) -> str:
    """The error of reading the e-mail source ``source`` (at line 7, its keys from line 8) over ``files``."""
    for name, data in files.items():
        (folder / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    toml = (
        '[project]\ninternal_domains = ["x.org"]\n\n[people]\npath = "people.csv"\n\n'
        f'[[sources]]\nkind = "email"\n{source}\n'
    )
    with pytest.raises(InputError) as caught:
        load_project(load_config(project(folder, toml, RULE_ROSTER)))
    return str(caught.value)


LOG = "From,To,sent_at\np1@x.org,p2@x.org,2024-01-02T10:00Z\n"


def test_an_e_mail_export_lacking_a_mapped_header_gives_the_mapping_to_change_at_its_line(
    tmp_path: Path,
) -> None:
    # It said 'header lacks from, sent_at, to (name the columns sender, recipients, ... or map them with
    # columns = { sender = ..., ... } in the source's [[sources]] entry of leadnet.toml)', listing a header
    # the file has, and no line.
    source = (
        'path = "log.csv"\ncolumns.sender = "From"\ncolumns.recipients = "to"\ncolumns.timestamp = "sent_at"'
    )
    assert missing_mail_column(tmp_path, source, {"log.csv": LOG}) == (
        'log.csv line 1: required column "to" not found; columns found: "From", "To", "sent_at" (change  '
        'recipients = "to"  to  recipients = "To"  in columns of [[sources]] #1 at leadnet.toml line 11) '
        "[missing-column]"
    )


def test_a_parquet_e_mail_export_lacking_a_mapped_column_gives_the_mapping_to_change(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"From": ["p1@x.org"], "To": ["p2@x.org"], "sent_at": ["2024-01-02T10:00Z"]})
    pq.write_table(table, tmp_path / "log.parquet")
    source = 'path = "log.parquet"\ncolumns = { sender = "from", recipients = "To", timestamp = "sent_at" }'
    assert missing_mail_column(tmp_path, source, {}) == (
        'log.parquet: required column "from" not found; columns found: "From", "To", "sent_at" (change  '
        'sender = "from"  to  sender = "From"  in columns of [[sources]] #1 at leadnet.toml line 10) '
        "[missing-column]"
    )


def test_an_e_mail_export_with_no_map_and_no_sender_column_gives_the_whole_map_to_add(tmp_path: Path) -> None:
    # "From" and "To" are what mail programs call them; the map names timestamp too, because a map
    # stops the headers named after the roles being read.
    files = {"log.csv": "From,To,timestamp\np1@x.org,p2@x.org,2024-01-02T10:00Z\n"}
    assert missing_mail_column(tmp_path, 'path = "log.csv"', files) == (
        'log.csv line 1: no column is mapped to sender or recipients; columns found: "From", "To", '
        '"timestamp" (add  columns = { sender = "From", recipients = "To", timestamp = "timestamp" }  to '
        "[[sources]] #1 at leadnet.toml line 7) [missing-column]"
    )


def test_a_recipients_file_lacking_a_mapped_header_gives_the_line_of_its_own_map(tmp_path: Path) -> None:
    files = {
        "msgs.csv": "mid,from,sent\nm1,p1@x.org,2024-01-02T10:00Z\n",
        "rcpts.csv": "MID,to\nm1,p2@x.org\n",
    }
    main = 'path = "msgs.csv"\ncolumns = { message_id = "mid", sender = "from", timestamp = "sent" }\n'
    fix = 'change  message_id = "mid"  to  message_id = "MID"  in recipients.columns of [[sources]] #1 at '
    found = 'rcpts.csv line 1: required column "mid" not found; columns found: "MID", "to"'
    inline = main + 'recipients = { path = "rcpts.csv", columns = { message_id = "mid", recipient = "to" } }'
    assert (
        missing_mail_column(tmp_path, inline, files)
        == f"{found} ({fix}leadnet.toml line 11) [missing-column]"
    )
    table = (
        main
        + '\n[sources.recipients]\npath = "rcpts.csv"\ncolumns.message_id = "mid"\ncolumns.recipient = "to"'
    )
    assert (
        missing_mail_column(tmp_path, table, files) == f"{found} ({fix}leadnet.toml line 14) [missing-column]"
    )


@pytest.mark.parametrize(
    ("positions", "role", "given"),
    [
        # past the last: a row per recipient ended in 'Binder Error: Referenced column "column5" not found'
        ("sender = 1, recipient = 2, timestamp = 5", "timestamp", 5),
        # below the first: read as a header "column0", and the fix offered another column's header
        ("sender = 0, recipient = 2, timestamp = 3", "sender", 0),
    ],
)
def test_a_position_that_is_no_column_of_an_export_without_a_header_gives_the_mapping_to_change(
    tmp_path: Path, positions: str, role: str, given: int
) -> None:
    files = {"log.csv": "p1@x.org,p2@x.org,2024-01-02T10:00Z\n"}
    source = f'path = "log.csv"\nheader = false\ncolumns = {{ {positions} }}'
    assert missing_mail_column(tmp_path, source, files) == (
        f"log.csv line 1: column {given} ({role}) not found: the first row has 3 cell(s) (change  "
        f"{role} = {given}  in columns of [[sources]] #1 at leadnet.toml line 11 to the position of its "
        "column, 1 to 3) [missing-column]"
    )


def test_a_missing_optional_column_of_a_row_per_recipient_export_is_named_not_a_traceback(
    tmp_path: Path,
) -> None:
    files = {"log.csv": "Sender,Recipient,When\np1@x.org,p2@x.org,2024-01-02T10:00Z\n"}
    columns = 'sender = "Sender", recipient = "Recipient", timestamp = "When", kind = "Type"'
    source = f'path = "log.csv"\ncolumns = {{ {columns} }}'
    assert missing_mail_column(tmp_path, source, files) == (
        'log.csv line 1: required column "Type" not found; columns found: "Sender", "Recipient", "When" (map '
        "the columns in leadnet.toml) [missing-column]"
    )


def test_a_flag_roster_s_missing_column_names_no_line_of_a_table_the_file_does_not_have(
    tmp_path: Path,
) -> None:
    # leadnet.toml has no [people]: the roster comes from --people, so its fix has no line to point to
    # (it said "at leadnet.toml line None").
    (tmp_path / "roster.csv").write_text("Employee ID,unit\nE1,ops\n", encoding="utf-8")
    folder = project(tmp_path, '[[sources]]\nkind = "survey"\npath = "survey.csv"\n')
    config = with_overrides(load_config(folder), people=tmp_path / "roster.csv")
    with pytest.raises(InputError) as caught:
        load_project(config)
    message = str(caught.value)
    assert "line None" not in message
    assert message.endswith(
        '(add  columns = { person_id = "Employee ID" }  to [people] at leadnet.toml) [missing-column]'
    )


CUT_ROSTER = "person_id,email\n" + "".join(
    f"{i},{name}@riverside.example\n" for i, name in enumerate(("alice", "bob", "carol"), 1)
)


def test_each_month_of_a_cut_e_mail_log_records_its_own_drops_in_its_snapshot(
    tmp_path: Path, cut_log: Path
) -> None:
    # Every month's provenance (summary.json, the report's footer) held the whole window's drops.
    # conftest's log, worked out by month in tests/importers/test_email.py.
    toml = (
        '[project]\ninternal_domains = ["riverside.example"]\n\n[people]\npath = "people.csv"\n\n'
        f'[[sources]]\nkind = "email"\npath = "{cut_log.name}"\nmax_recipients = 2\n'
        'require_reciprocity = true\nto = 2024-03-31\n\n[analysis]\nsnapshot_by = "month"\n'
        'primary_relation = "email"\n'
    )
    with pytest.warns(LeadnetWarning) as caught:
        inputs = load_project(load_config(project(tmp_path, toml, CUT_ROSTER)))
    assert [str(w.message) for w in caught] == [
        "cut.csv: no tie in 2024-02: no pair wrote to each other in messages to at most 2 recipients; set "
        "require_reciprocity = false"
    ]
    files = {"duplicate-message-id": 1, "external-address": 2, "outside-period": 1}
    assert {name: dict(s.provenance.normalisations) for name, s in inputs.snapshots.items()} == {
        "2024-01": {**files, "below-min-messages": 1, "self-tie": 1},
        "2024-02": {**files, "below-min-messages": 1, "broadcast": 1, "not-reciprocated": 2},
        "2024-03": {**files, "broadcast": 1, "self-tie": 1},
    }
