"""What a comparison compared (``snapshots``) and its warnings when the waves were not analysed alike."""

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from leadnet.analysis import Analysis, analyse
from leadnet.cli import main
from leadnet.comparability import Origin, comparability_warnings, snapshot_labels, snapshot_record
from leadnet.compare import compare
from leadnet.config import AnalysisSection
from leadnet.model import InputRecord, Period, Provenance, Snapshot

FAST = AnalysisSection(permutations=99)
PEOPLE = pd.DataFrame({"person_id": list("abcdef"), "unit": list("xxxyyy")})
ADVICE = [("a", "b"), ("b", "c"), ("c", "a"), ("d", "e"), ("e", "f"), ("f", "d")]
MAIL_RULES = {
    "file": "mail.csv", "kind": "email", "relation": "email", "min_messages": 2, "cc_weight": 0.5,
    "max_recipients": 25, "require_reciprocity": False, "external": "drop", "internal_domains": ["x.org"],
    "from": None, "to": None, "window_days": None,
}  # fmt: skip
CONSEQUENCE = (
    "so part of the change reported may come from the setting, not from the organisation. "
    "Analyse both waves with the same setting"
)


def wave(
    name: str,
    arcs: list[tuple[str, str]] = ADVICE,
    *,
    settings: AnalysisSection = FAST,
    relation: str = "advice",
    **kwargs: object,
) -> Analysis:
    ties = pd.DataFrame(arcs, columns=["source", "target"]).assign(relation=relation, weight=1.0)
    return analyse(Snapshot.build(name, PEOPLE, ties, **kwargs), settings)  # type: ignore[arg-type]


def made(parameters: dict[str, object]) -> Provenance:
    """The provenance of a snapshot read from files (one input recorded), with ``parameters``."""
    record = InputRecord("mail.csv", "email", "ab" * 32, 10, 10, 0)
    return Provenance(inputs=(record,), parameters=parameters)


# --- snapshots: what was compared ---------------------------------------------------------------


def test_each_snapshot_is_named_with_its_folder_period_inputs_and_size() -> None:
    record = InputRecord("people.csv", "people", "5f" * 32, 6, 6, 0)
    before = wave(
        "t1",
        period=Period(date(2026, 1, 1), date(2026, 3, 31)),
        provenance=Provenance((record,), {"tie_rules": []}),
    )
    after = wave("t2", [*ADVICE, ("a", "d")], period=Period(date(2026, 4, 1), date(2026, 6, 29)))
    res = compare(
        before, after, permutations=99, origins=(Origin("out/t1", "2026-04-02T09:00:00+00:00"), Origin())
    )
    assert res.to_dict()["snapshots"] == {
        "before": {
            "name": "t1", "label": "t1", "folder": "out/t1", "analysed_at": "2026-04-02T09:00:00+00:00",
            "period": {"start": "2026-01-01", "end": "2026-03-31"},
            "inputs": [{"path": "people.csv", "kind": "people", "sha256": "5f" * 32}],
            "n_people": 6, "n_ties": 6, "relation": "advice", "relations": ["advice"], "pseudonymised": False,
            "warnings": [],
        },
        "after": {
            "name": "t2", "label": "t2", "folder": None, "analysed_at": None,
            "period": {"start": "2026-04-01", "end": "2026-06-29"},
            "inputs": [], "n_people": 6, "n_ties": 7, "relation": "advice", "relations": ["advice"],
            "pseudonymised": False, "warnings": [],
        },
    }  # fmt: skip
    # 90 days against 90 days: periods of one length are no warning, whatever their dates
    assert res.warnings == ()
    # nor are two calendar quarters, 90 days and 91
    quarters = [wave(n, period=Period(*ends)) for n, ends in (
        ("q1", (date(2026, 1, 1), date(2026, 3, 31))), ("q2", (date(2026, 4, 1), date(2026, 6, 30))),
        ("june", (date(2026, 6, 1), date(2026, 6, 30))))]  # fmt: skip
    assert comparability_warnings(quarters[0], quarters[1]) == []
    assert comparability_warnings(quarters[1], quarters[2])[0].startswith(
        'the snapshot period: its length in days is 91 in "q2" and 30 in "june"'
    )


def test_snapshots_analysed_alike_get_no_warning_and_an_empty_list_in_comparison_json() -> None:
    rules = {"tie_rules": [MAIL_RULES], "snapshot_by": None}
    before = wave("t1", relation="email", provenance=made(rules))
    after = wave(
        "t2", relation="email", provenance=made({**rules, "tie_rules": [{**MAIL_RULES, "file": "b.csv"}]})
    )
    res = compare(before, after, permutations=99)
    assert res.warnings == () and res.to_dict()["warnings"] == []


# --- warnings: the setting, both values, why it matters ----------------------------------------


def test_different_email_tie_rules_are_each_named_with_both_values() -> None:
    strict = {**MAIL_RULES, "min_messages": 5, "cc_weight": 1.0, "max_recipients": 100}
    before = wave("before", relation="email", provenance=made({"tie_rules": [MAIL_RULES]}))
    after = wave("after", relation="email", provenance=made({"tie_rules": [strict]}))
    assert comparability_warnings(before, after) == [
        'the email source of "email": min_messages is 2 in "before" and 5 in "after"; it is how many '
        f"messages make an e-mail tie, {CONSEQUENCE}",
        'the email source of "email": cc_weight is 0.5 in "before" and 1.0 in "after"; it is what a message '
        f"received in Cc adds to a tie's weight, {CONSEQUENCE}",
        'the email source of "email": max_recipients is 25 in "before" and 100 in "after"; it is the '
        f"broadcast cap: a message to more people makes no tie, {CONSEQUENCE}",
    ]


def test_the_tie_rules_of_a_relation_not_compared_say_the_comparison_is_not_changed() -> None:
    # The waves compare advice; their e-mail ties were made by different rules. That changes each
    # wave's e-mail figures, not the comparison; pooling outsiders changes everyone's people, so it does.
    pooled = {**MAIL_RULES, "min_messages": 3, "external": "pool"}
    before = wave("before", provenance=made({"tie_rules": [MAIL_RULES]}))
    after = wave("after", provenance=made({"tie_rules": [pooled]}))
    assert comparability_warnings(before, after) == [
        'the email source of "email": min_messages is 2 in "before" and 3 in "after"; it is how many '
        'messages make an e-mail tie, so the two waves\' "email" figures differ partly for that reason; the '
        'comparison measures "advice", which it does not change. Analyse both waves with the same setting',
        'the email source of "email": external is "drop" in "before" and "pool" in "after"; it decides '
        f"whether addresses outside the organisation are dropped or pooled, {CONSEQUENCE}",
    ]


def test_windows_of_different_lengths_are_named_but_their_dates_and_calendar_months_are_not() -> None:
    march = {**MAIL_RULES, "from": "2026-03-01", "to": "2026-03-31", "window_days": 31}
    april = {**MAIL_RULES, "from": "2026-04-01", "to": "2026-04-30", "window_days": 30}
    june = {**MAIL_RULES, "from": "2026-06-01", "to": "2026-06-30", "window_days": 30}
    weeks = {**MAIL_RULES, "from": "2026-05-01", "to": "2026-05-30", "window_days": 30}
    waves = [wave(n, relation="email", provenance=made({"tie_rules": [r]})) for n, r in
             (("march", march), ("april", april), ("june", june), ("weeks", weeks))]  # fmt: skip
    assert comparability_warnings(waves[1], waves[2]) == []  # 30 days each
    assert comparability_warnings(waves[0], waves[1]) == []  # a calendar month each: 31 and 30 days
    # 1 to 30 May is no calendar month: its 30 days against March's 31 are named
    assert comparability_warnings(waves[0], waves[3]) == [
        'the email source of "email": window_days is 31 in "march" and 30 in "weeks"; it is how many '
        f"days of messages or memberships make the ties, {CONSEQUENCE}"
    ]


def test_pseudonymised_against_not_relations_period_and_parameters_are_named() -> None:
    before = wave(
        "before",
        period=Period(date(2026, 1, 1), date(2026, 3, 31)),
        provenance=Provenance(parameters={"pseudonymised": True, "snapshot_by": "quarter"}),
    )
    mail = pd.DataFrame({"source": ["a"], "target": ["d"], "relation": "email", "weight": 1.0, "count": 1})
    after_snapshot = Snapshot.build(
        "after",
        PEOPLE,
        pd.concat([wave("x").snapshot.ties, mail]),
        period=Period(date(2026, 4, 1), date(2026, 4, 30)),
        provenance=Provenance(parameters={"snapshot_by": "month"}),
    )
    after = analyse(after_snapshot, replace(FAST, min_group_size=6, top_levels=3))
    assert comparability_warnings(before, after) == [
        'snapshot "before" is pseudonymised and "after" is not, so nobody\'s id is the same in both and '
        "nobody is matched across the waves; analyse both with pseudonymise and the same key, or both "
        "without",
        'the snapshots hold different relations ("before": advice; "after": advice, email): a relation in '
        'one wave only has no before or after to compare, and the comparison uses "advice"; give both '
        "waves the same sources",
        'the snapshot period: its length in days is 90 in "before" and 30 in "after"; a longer period '
        f"gathers more ties, {CONSEQUENCE}",
        'the dated sources: snapshot_by is "quarter" in "before" and "month" in "after"; it sets the length '
        f"of a dated period, {CONSEQUENCE}",
        'the analysis parameter min_group_size: min_group_size is 5 in "before" and 6 in "after"; it decides '
        f"which group figures are withheld for privacy, {CONSEQUENCE}",
        'the analysis parameter top_levels: top_levels is 2 in "before" and 3 in "after"; it decides who '
        f"counts as the top of the hierarchy, {CONSEQUENCE}",
    ]


def test_a_period_stated_for_surveys_is_not_said_to_gather_ties() -> None:
    # Two survey waves stated as 90 and 30 days were warned "a longer period gathers more ties": no tie of
    # theirs was read by date, so the difference matters only if the surveys asked about the periods.
    q1, april = Period(date(2026, 1, 1), date(2026, 3, 31)), Period(date(2026, 4, 1), date(2026, 4, 30))
    stated = [wave(n, period=replace(p, given="--from/--to")) for n, p in (("before", q1), ("after", april))]
    stated_text = (
        "surveys and tie lists carry no dates: their ties are the answers, whatever period is stated"
    )
    assert comparability_warnings(*stated) == [
        'the snapshot period: its length in days is 90 (given by --from/--to) in "before" and 30 (given by '
        f'--from/--to) in "after"; neither was read from dated data ({stated_text}), so the difference '
        'changes the comparison only if the surveys asked about these periods (advice sought "in the last '
        "three months\", say), when a longer one gathers more nominations. Check that both waves' surveys "
        "asked about periods of one length, and state them alike"
    ]
    undated = wave("after")  # no period stated: "not dated"
    assert comparability_warnings(stated[0], undated) == [
        'the snapshot period: its length in days is 90 (given by --from/--to) in "before" and open (not '
        f'dated) in "after"; neither was read from dated data ({stated_text}), so the difference changes '
        'the comparison only if the surveys asked about these periods (advice sought "in the last three '
        "months\", say), when a longer one gathers more nominations. Check that both waves' surveys asked "
        "about periods of one length, and state them alike"
    ]
    read = wave("after", period=april)
    assert comparability_warnings(stated[0], read) == [
        'the snapshot period: its length in days is 90 (given by --from/--to) in "before" and 30 in "after"; '
        '"after"\'s was read from its dated sources, which gather more ties the longer it is, and '
        f'"before"\'s was not ({stated_text}), so part of the change reported may come from the setting, '
        "not from the organisation. Analyse both waves over periods of one length"
    ]
    alike = wave("after", period=Period(date(2026, 4, 1), date(2026, 6, 30), given="--from/--to"))
    assert comparability_warnings(stated[0], alike) == []  # two calendar quarters


def test_a_snapshot_saved_before_tie_rules_were_recorded_says_they_cannot_be_checked() -> None:
    old = wave("before", provenance=made({}))
    new = wave("after", provenance=made({"tie_rules": [MAIL_RULES]}))
    assert comparability_warnings(old, new) == [
        'snapshot "before" records no tie rules (saved by an earlier leadnet), so whether both waves made '
        "their ties by the same rules cannot be checked; run `leadnet analyse` again to record them"
    ]
    # built by hand (no input file): nothing to check, nothing to warn of
    assert comparability_warnings(wave("t1"), wave("t2")) == []


def test_two_snapshots_of_one_name_are_named_by_their_folders_in_the_record_and_warnings() -> None:
    # An audit: two one-snapshot runs compared were "Snapshot main (not dated) against main (not
    # dated)", naming neither folder; a warning said "2 in "main" and 5 in "main"".
    strict = {**MAIL_RULES, "min_messages": 5}
    before = wave("main", relation="email", provenance=made({"tie_rules": [MAIL_RULES]}))
    after = wave("main", relation="email", provenance=made({"tie_rules": [strict]}))
    origins = (Origin("reports/spring"), Origin("/tmp/autumn/"))
    res = compare(before, after, permutations=99, origins=origins)
    assert [(r["name"], r["label"]) for r in res.to_dict()["snapshots"].values()] == [
        ("main", "spring"),
        ("main", "autumn"),
    ]
    assert res.warnings == (
        'the email source of "email": min_messages is 2 in "spring" and 5 in "autumn"; it is how many '
        f"messages make an e-mail tie, {CONSEQUENCE}",
    )
    alike = (Origin("2025/out"), Origin("2026/out"))
    assert snapshot_labels(before, after, alike) == ("2025/out", "2026/out")
    assert snapshot_labels(before, after) == ("main (before)", "main (after)")
    other = replace(after, project=replace(after.project, name="Riverside 2026"))
    assert snapshot_labels(before, other) == ("leadnet project", "Riverside 2026")


def test_a_snapshot_record_reads_the_size_of_the_analysed_relation() -> None:
    record = snapshot_record(wave("t1", relation="email"))
    assert (record["n_people"], record["n_ties"], record["relation"]) == (6, 6, "email")


# --- end to end: two snapshots analysed with different settings --------------------------------

ROSTER = "person_id,unit,email\n" + "".join(
    f"{p},{u},{p}@x.org\n" for p, u in zip("abcdef", "xxxyyy", strict=True)
)
HEADER = "sender,recipients,cc,timestamp,message_id\n"


def mail(pairs: list[tuple[str, str]], times: int, day: str) -> str:
    """``times`` messages for each (sender, recipient), one Message-ID each."""
    rows = [
        f"{s}@x.org,{t}@x.org,,{day}T09:00:0{i}Z,<{s}{t}{i}{day}@x.org>"
        for s, t in pairs
        for i in range(times)
    ]
    return HEADER + "\n".join(rows) + "\n"


def project(folder: Path, after_options: str) -> Path:
    """A before/after project of e-mail ties (two messages per pair before, three after) whose after
    source has ``after_options``."""
    folder.mkdir()
    pairs = [("a", "b"), ("b", "c"), ("c", "a"), ("d", "e"), ("e", "f"), ("f", "d"), ("a", "d")]
    (folder / "people.csv").write_text(ROSTER, encoding="utf-8")
    (folder / "mail_before.csv").write_text(mail(pairs, 2, "2026-01-05"), encoding="utf-8")
    (folder / "mail_after.csv").write_text(mail(pairs, 3, "2026-05-05"), encoding="utf-8")
    toml = '[project]\ninternal_domains = ["x.org"]\n\n[people]\npath = "people.csv"\n\n'
    toml += '[[sources]]\nkind = "email"\npath = "mail_before.csv"\nsnapshot = "before"\n\n'
    toml += f'[[sources]]\nkind = "email"\npath = "mail_after.csv"\nsnapshot = "after"\n{after_options}\n'
    toml += '[programme]\nbefore = "before"\nafter = "after"\n\n[analysis]\npermutations = 99\n'
    (folder / "leadnet.toml").write_text(toml, encoding="utf-8")
    return folder


def test_analyse_warns_of_email_tie_rules_that_differ_in_comparison_json_cli_and_page(tmp_path: Path) -> None:
    folder = project(tmp_path / "p", "min_messages = 3\ncc_weight = 1.0\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["analyse", str(folder), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    expected = [
        'the email source of "email": min_messages is 2 in "before" and 3 in "after"; it is how many '
        f"messages make an e-mail tie, {CONSEQUENCE}",
        'the email source of "email": cc_weight is 0.5 in "before" and 1.0 in "after"; it is what a message '
        f"received in Cc adds to a tie's weight, {CONSEQUENCE}",
    ]
    comparison = json.loads((out / "comparison" / "comparison.json").read_text(encoding="utf-8"))
    assert comparison["warnings"] == expected
    assert (comparison["ties_before"], comparison["ties_after"]) == (7, 7)
    assert [line for line in result.stderr.splitlines() if line.startswith("warning:")] == [
        f"warning: {w}" for w in expected
    ]
    assert result.stdout.splitlines()[-1] == f"wrote {out / 'comparison'}"
    page = (out / "comparison" / "index.html").read_text(encoding="utf-8")
    assert 'id="comparability-warnings"' in page
    assert "The email source of &#34;email&#34;: min_messages is 2 in &#34;before&#34; and 3 in" in page
    # the record each warning came from, in the saved snapshot
    saved = json.loads((out / "after" / "snapshot" / "snapshot.json").read_text(encoding="utf-8"))
    assert saved["provenance"]["parameters"]["tie_rules"] == [
        {**MAIL_RULES, "file": "mail_after.csv", "min_messages": 3, "cc_weight": 1.0}
    ]


def test_the_same_settings_in_both_waves_give_no_warning_anywhere(tmp_path: Path) -> None:
    folder = project(tmp_path / "p", "")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["analyse", str(folder), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "warning:" not in result.output
    comparison = json.loads((out / "comparison" / "comparison.json").read_text(encoding="utf-8"))
    assert comparison["warnings"] == [] and (comparison["ties_before"], comparison["ties_after"]) == (7, 7)
    assert 'id="comparability-warnings"' not in (out / "comparison" / "index.html").read_text(
        encoding="utf-8"
    )


def one_wave(folder: Path, name: str, analysis: str) -> Path:
    """A project folder of one snapshot of advice ties, with its own ``[analysis]``."""
    folder.mkdir()
    (folder / "people.csv").write_text(ROSTER, encoding="utf-8")
    rows = "".join(f"{s},{t},2\n" for s, t in ADVICE)
    (folder / "ties.csv").write_text("source,target,strength\n" + rows, encoding="utf-8")
    toml = '[people]\npath = "people.csv"\n\n[[sources]]\nkind = "ties"\npath = "ties.csv"\n'
    toml += f'snapshot = "{name}"\n'
    (folder / "leadnet.toml").write_text(
        toml + f'relation = "advice"\n\n[analysis]\n{analysis}', encoding="utf-8"
    )
    return folder


def test_compare_of_two_folders_analysed_with_different_settings_prints_each(tmp_path: Path) -> None:
    first = one_wave(tmp_path / "w1", "w1", "permutations = 99\nseed = 1\n")
    second = one_wave(tmp_path / "w2", "w2", "permutations = 99\nseed = 2\nresolution = 2.0\n")
    out = tmp_path / "cmp"
    result = CliRunner().invoke(main, ["compare", str(first), str(second), "--out", str(out)])
    assert result.exit_code == 0, result.output
    warning = (
        'the analysis parameter resolution: resolution is 1.0 in "w1" and 2.0 in "w2"; it decides how '
        f"finely communities are cut, {CONSEQUENCE}"
    )  # the seeds differ too: no warning
    assert result.stderr == f"warning: {warning}\n"
    comparison = json.loads((out / "comparison.json").read_text(encoding="utf-8"))
    assert comparison["warnings"] == [warning]
    assert comparison["snapshots"]["before"]["folder"] == str(first)
    assert comparison["snapshots"]["before"]["analysed_at"] is None  # analysed on the fly
    assert [i["path"] for i in comparison["snapshots"]["after"]["inputs"]] == ["people.csv", "ties.csv"]


@pytest.mark.parametrize("option", ["directed = false", 'columns = { weight = "strength" }'])
def test_a_tie_list_read_another_way_is_named(tmp_path: Path, option: str) -> None:
    first = one_wave(tmp_path / "w1", "w1", "permutations = 99\n")
    second = one_wave(tmp_path / "w2", "w2", "permutations = 99\n")
    toml = (second / "leadnet.toml").read_text(encoding="utf-8")
    (second / "leadnet.toml").write_text(
        toml.replace('relation = "advice"\n', f'relation = "advice"\n{option}\n')
    )
    result = CliRunner().invoke(main, ["compare", str(first), str(second), "--out", str(tmp_path / "cmp")])
    assert result.exit_code == 0, result.output
    setting = "directed is true" if option.startswith("directed") else 'weight_column is "weight"'
    value = "false" if option.startswith("directed") else '"strength"'
    assert result.stderr.startswith(
        f'warning: the ties source of "advice": {setting} in "w1" and {value} in "w2"; '
    )
