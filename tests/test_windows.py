"""``--from``/``--to`` over a run's sources, end to end: the window of every source, refused for
several snapshots, the stated period of an undated survey (leadnet.windows)."""

import json
import shutil
from datetime import date
from pathlib import Path

from click.testing import CliRunner, Result

from leadnet.cli import main
from leadnet.model import Period, Snapshot

RIVERSIDE = Path(__file__).resolve().parents[1] / "data" / "samples" / "riverside"

# (sender, recipient, month of 2026, messages): each message on a day of its own, 10:00 UTC.
# January to March: p1→p2, p2→p1, p3→p4, two messages each (three ties at min_messages = 2).
# April to June: p1→p3 three, p4→p1 two (two ties), p2→p3 one (below min_messages).
MESSAGES = ((1, 2, 1, 2), (2, 1, 2, 2), (3, 4, 3, 2), (1, 3, 4, 3), (4, 1, 5, 2), (2, 3, 6, 1))


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def mail_project(folder: Path, sources: str, analysis: str = "") -> Path:
    """A roster of six and the log of MESSAGES, read by the ``[[sources]]`` given."""
    folder.mkdir(parents=True)
    people = "person_id,unit,email\n" + "".join(f"p{i},{'AB'[i % 2]},p{i}@x.org\n" for i in range(1, 7))
    (folder / "people.csv").write_text(people, encoding="utf-8")
    log = "sender,recipients,timestamp\n" + "".join(
        f"p{a}@x.org,p{b}@x.org,2026-{month:02d}-{day:02d}T10:00Z\n"
        for a, b, month, times in MESSAGES
        for day in range(1, times + 1)
    )
    (folder / "mail.csv").write_text(log, encoding="utf-8")
    (folder / "leadnet.toml").write_text(
        f'[project]\ninternal_domains = ["x.org"]\n\n[people]\npath = "people.csv"\n\n{sources}\n'
        f"[analysis]\npermutations = 100\n{analysis}",
        encoding="utf-8",
    )
    return folder


FIRST_QUARTER = '[[sources]]\nkind = "email"\npath = "mail.csv"\nfrom = 2026-01-01\nto = 2026-03-31\n'


def summary(folder: Path) -> dict:
    return json.loads((folder / "summary.json").read_text(encoding="utf-8"))


def ties(folder: Path) -> list[tuple[str, str, int]]:
    lines = (folder / "ties.csv").read_text(encoding="utf-8-sig").splitlines()[1:]
    return [(s, t, int(c)) for s, t, _relation, _weight, c in (line.split(",") for line in lines)]


def test_from_and_to_replace_the_window_the_source_gives_itself(tmp_path: Path) -> None:
    # The source's own window (the first quarter) won, and the flags were ignored without a word.
    project = mail_project(tmp_path / "p", FIRST_QUARTER)
    own = run("analyse", str(project), "--out", str(tmp_path / "own"))
    assert own.exit_code == 0, own.output
    assert summary(tmp_path / "own")["period"] == "2026-01-01 to 2026-03-31"
    assert ties(tmp_path / "own") == [("p1", "p2", 2), ("p2", "p1", 2), ("p3", "p4", 2)]

    flagged = run(
        "analyse", str(project), "--from", "2026-04-01", "--to", "2026-06-30", "--out", str(tmp_path / "q2")
    )
    assert (flagged.exit_code, flagged.stderr) == (0, "")
    found = summary(tmp_path / "q2")
    assert (found["period"], found["n_ties"]) == ("2026-04-01 to 2026-06-30", 2)
    assert ties(tmp_path / "q2") == [("p1", "p3", 3), ("p4", "p1", 2)]
    counted = found["provenance"]["normalisations"]
    assert (counted["outside-period"], counted["below-min-messages"]) == (6, 1)
    (rules,) = found["provenance"]["parameters"]["tie_rules"]
    assert (rules["from"], rules["to"], rules["window_days"]) == ("2026-04-01", "2026-06-30", 91)


def test_one_flag_replaces_its_end_of_the_window_and_keeps_the_sources_other(tmp_path: Path) -> None:
    project = mail_project(tmp_path / "p", FIRST_QUARTER)
    result = run("analyse", str(project), "--from", "2026-02-01", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert summary(tmp_path / "out")["period"] == "2026-02-01 to 2026-03-31"
    assert ties(tmp_path / "out") == [("p2", "p1", 2), ("p3", "p4", 2)]


def test_one_flag_past_the_other_end_of_a_sources_window_is_refused_naming_it(tmp_path: Path) -> None:
    project = mail_project(tmp_path / "p", FIRST_QUARTER)
    result = run("analyse", str(project), "--from", "2026-05-01", "--out", str(tmp_path / "out"))
    assert (result.exit_code, result.output) == (
        1,
        "error: mail.csv: --from 2026-05-01 is after the source's own to = 2026-03-31 (leadnet.toml line 11, "
        "[[sources]] #1), so its window would hold no day; give --to as well (the two replace its window), "
        "or change its to\n",
    )
    assert not (tmp_path / "out").exists()


def test_from_and_to_bound_the_whole_log_that_snapshot_by_cuts_into_months(tmp_path: Path) -> None:
    # The source's own window (January to June) won: six months, whatever --from and --to said.
    whole = FIRST_QUARTER.replace("2026-03-31", "2026-06-30")
    project = mail_project(tmp_path / "p", whole, 'snapshot_by = "month"\n')
    out = tmp_path / "out"
    result = run("analyse", str(project), "--from", "2026-02-01", "--to", "2026-04-15", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["2026-02", "2026-03", "2026-04"]
    assert [summary(out / month)["period"] for month in ("2026-02", "2026-03", "2026-04")] == [
        "2026-02-01 to 2026-02-28",
        "2026-03-01 to 2026-03-31",
        "2026-04-01 to 2026-04-15",
    ]
    assert [ties(out / month) for month in ("2026-02", "2026-03", "2026-04")] == [
        [("p2", "p1", 2)],
        [("p3", "p4", 2)],
        [("p1", "p3", 3)],
    ]


def test_the_months_snapshot_by_cuts_are_clipped_to_the_sources_own_window(tmp_path: Path) -> None:
    # They were clipped to [analysis] period_from/period_to alone, which the source's own window
    # replaces: February, read from the 2nd, was "2026-03-01 to 2026-02-28", and May, read on the
    # 1st only, "2026-05-01 to 2026-05-31".
    own = FIRST_QUARTER.replace("2026-01-01", "2026-02-02").replace("2026-03-31", "2026-05-01")
    analysis = 'snapshot_by = "month"\nperiod_from = 2026-03-01\nperiod_to = 2026-06-30\n'
    project = mail_project(tmp_path / "p", own, analysis)
    out = tmp_path / "out"
    result = run("analyse", str(project), "--out", str(out))
    assert result.exit_code == 0, result.output
    months = ("2026-02", "2026-03", "2026-04", "2026-05")
    assert sorted(p.name for p in out.iterdir()) == list(months)
    assert [summary(out / month)["period"] for month in months] == [
        "2026-02-02 to 2026-02-28",
        "2026-03-01 to 2026-03-31",
        "2026-04-01 to 2026-04-30",
        "2026-05-01 to 2026-05-01",
    ]
    flagged = run("analyse", str(project), "--to", "2026-04-10", "--out", str(tmp_path / "flagged"))
    assert flagged.exit_code == 0, flagged.output
    assert summary(tmp_path / "flagged" / "2026-04")["period"] == "2026-04-01 to 2026-04-10"


def test_from_and_to_over_several_snapshots_are_refused_naming_each_with_its_period(tmp_path: Path) -> None:
    # Riverside kept its two windows and said nothing: a report of 2026 stamped with no sign of 2025.
    before = FIRST_QUARTER.replace('"mail.csv"', '"mail.csv"\nsnapshot = "before"')
    after = before.replace("before", "after").replace("2026-01-01", "2026-04-01").replace("03-31", "06-30")
    waves = f"{before}\n{after}"
    project = mail_project(tmp_path / "p", waves)
    refusal = (
        "error: --from 2025-04-01 --to 2025-06-30 set one window for every source of the run, but its "
        'sources make 2 snapshots, each with its own period: "before" (2026-01-01 to 2026-03-31) and "after" '
        "(2026-04-01 to 2026-06-30). To change a snapshot's period, set from and to in its [[sources]] in "
        "leadnet.toml; to analyse one snapshot with --from 2025-04-01 --to 2025-06-30, give only its sources "
        "(a leadnet.toml that lists only them, or its files with --survey, --email, --membership or --ties)\n"
    )
    flags = ("--from", "2025-04-01", "--to", "2025-06-30")
    for folder in (project, RIVERSIDE):
        result = run("analyse", str(folder), *flags, "--out", str(tmp_path / "out"))
        assert (result.exit_code, result.output) == (1, refusal)
        assert not (tmp_path / "out").exists()
    checked = run("validate", str(project), *flags)
    assert (checked.exit_code, checked.output) == (1, refusal)


def survey_project(folder: Path, analysis: str = "") -> Path:
    folder.mkdir(parents=True)
    people = "person_id,unit\n" + "".join(f"p{i},{'AB'[i % 2]}\n" for i in range(1, 7))
    (folder / "people.csv").write_text(people, encoding="utf-8")
    answers = "respondent,nominee\n" + "".join(f"p{i},p{i % 6 + 1}\n" for i in range(1, 7))
    (folder / "survey.csv").write_text(answers, encoding="utf-8")
    (folder / "leadnet.toml").write_text(
        '[people]\npath = "people.csv"\n\n[[sources]]\nkind = "survey"\npath = "survey.csv"\n\n'
        f"[analysis]\npermutations = 100\n{analysis}",
        encoding="utf-8",
    )
    return folder


def test_the_period_of_an_undated_survey_is_shown_as_given_not_read(tmp_path: Path) -> None:
    # It was stamped "period 2026-04-01 to 2026-06-30", as if read from dated data.
    project = survey_project(tmp_path / "p")
    result = run(
        "analyse", str(project), "--from", "2026-04-01", "--to", "2026-06-30", "--out", str(tmp_path / "out")
    )
    assert result.exit_code == 0, result.output
    stated = "2026-04-01 to 2026-06-30 (given by --from/--to, not read from dated data)"
    found = summary(tmp_path / "out")
    assert (found["period"], found["provenance"]["parameters"]["period_given"]) == (stated, "--from/--to")
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert f"6 people, period {stated}" in page and f"<strong>Period:</strong> {stated}." in page
    saved = Snapshot.load(tmp_path / "out" / "snapshot").period  # for compare, which shows it too
    assert saved == Period(date(2026, 4, 1), date(2026, 6, 30), given="--from/--to")

    plain = run("analyse", str(project), "--out", str(tmp_path / "plain"))
    assert plain.exit_code == 0, plain.output
    assert summary(tmp_path / "plain")["period"] == "not dated"
    assert "period_given" not in summary(tmp_path / "plain")["provenance"]["parameters"]


def test_the_files_period_of_an_undated_survey_is_shown_as_given_by_it(tmp_path: Path) -> None:
    project = survey_project(tmp_path / "p", "period_from = 2026-01-01\nperiod_to = 2026-03-31\n")
    result = run("analyse", str(project), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert summary(tmp_path / "out")["period"] == (
        "2026-01-01 to 2026-03-31 (given by [analysis] period_from/period_to, not read from dated data)"
    )
    flagged = run("analyse", str(project), "--to", "2026-02-28", "--out", str(tmp_path / "flag"))
    assert flagged.exit_code == 0, flagged.output
    assert summary(tmp_path / "flag")["period"] == (
        "2026-01-01 to 2026-02-28 (given by --from/--to, not read from dated data)"
    )


def test_a_riverside_wave_analysed_alone_takes_the_flags_window(tmp_path: Path) -> None:
    # The fix the refusal names: one snapshot's sources, in a leadnet.toml of their own.
    project = tmp_path / "after"
    shutil.copytree(RIVERSIDE, project)
    text = (project / "leadnet.toml").read_text(encoding="utf-8")
    kept = [part for part in text.split("\n[[sources]]") if 'snapshot = "before"' not in part]
    (project / "leadnet.toml").write_text(
        "\n[[sources]]".join(kept).split("\n[programme]")[0]
        + '\n[analysis]\nprimary_relation = "advice"\npermutations = 100\n',
        encoding="utf-8",
    )
    result = run(
        "analyse", str(project), "--from", "2026-05-01", "--to", "2026-05-31", "--out", str(tmp_path / "out")
    )
    assert result.exit_code == 0, result.output
    found = summary(tmp_path / "out")
    assert found["period"] == "2026-05-01 to 2026-05-31"
    windows = {
        (r["file"], r["from"], r["to"]) for r in found["provenance"]["parameters"]["tie_rules"] if "from" in r
    }
    assert windows == {
        ("mail_after.csv", "2026-05-01", "2026-05-31"),
        ("membership.csv", "2026-05-01", "2026-05-31"),
    }
