"""Two waves that cannot be compared as given: a wave without the relation compared, waves the
wrong way round; and periods that overlap, a warning."""

from __future__ import annotations

import html
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner, Result

from leadnet.analysis import analyse
from leadnet.cli import main
from leadnet.compare import compare
from leadnet.compared_waves import check_relation, wave_order
from leadnet.errors import InputError
from leadnet.model import Period, Provenance, Snapshot
from leadnet.parameters import AnalysisSection

PEOPLE = pd.DataFrame({"person_id": list("abcdef"), "unit": list("xxxyyy")})
RING = list(zip("abcdef", "bcdefa", strict=True))
FAST = AnalysisSection(permutations=99)
Q1 = Period(date(2026, 1, 1), date(2026, 3, 31))
Q2 = Period(date(2026, 4, 1), date(2026, 6, 30))
UNDATED = Period()
MEND = (
    "matched exactly, letter case included: write it one way in every wave (in the file's relation column, "
    "or as its source's relation in leadnet.toml) and run leadnet analyse again"
)


def wave(name: str, relation: str = "advice", period: Period = UNDATED, file: str = "") -> Snapshot:
    """A ring of six people's ``relation`` ties, and a friendship pair, as read from ``file``."""
    arcs = [*((s, t, relation) for s, t in RING), ("a", "d", "friendship")]
    ties = pd.DataFrame(arcs, columns=["source", "target", "relation"])
    given = {relation: [file], "friendship": [file]} if file else {}
    provenance = Provenance(parameters={"relations": given})
    return Snapshot.build(name, PEOPLE, ties, period=period, provenance=provenance, primary_relation="advice")


def test_a_wave_whose_relation_is_written_in_capitals_is_refused_naming_the_file_and_the_value_meant() -> (
    None
):
    # "Advice" for "advice" in survey_after.csv emptied the after wave: 6 ties reported dissolved.
    before, after = wave("before", file="survey_before.csv"), wave("after", "Advice", file="survey_after.csv")
    with pytest.raises(InputError) as error:
        compare(analyse(before, FAST), analyse(after, FAST), permutations=99)
    assert str(error.value) == (
        'snapshot "after" has no "advice" ties, the relation compared, so all 6 "advice" ties of "before" '
        'would read as dissolved: "after" holds Advice (survey_after.csv), friendship (survey_after.csv). '
        f'Did you mean "Advice" (survey_after.csv)? A relation is {MEND}'
    )


def test_a_before_wave_without_the_relation_would_read_every_tie_as_formed() -> None:
    with pytest.raises(InputError) as error:
        check_relation(wave("t1", "advise"), wave("t2"), "advice", ("t1", "t2"))
    assert str(error.value) == (
        'snapshot "t1" has no "advice" ties, the relation compared, so all 6 "advice" ties of "t2" would '
        f'read as formed: "t1" holds advise, friendship. Did you mean "advise"? A relation is {MEND}'
    )


def test_a_relation_no_wave_holds_and_nothing_like_it_says_how_to_give_it() -> None:
    with pytest.raises(InputError) as error:
        check_relation(wave("t1", "trust"), wave("t2", "trust"), "advice", ("t1", "t2"))
    assert str(error.value) == (
        'snapshots "t1" and "t2" have no "advice" ties, the relation compared: "t1" holds friendship, '
        'trust; "t2" holds friendship, trust. Give both waves the sources of their "advice" ties, or set '
        "[analysis] primary_relation to a relation both waves hold, and run leadnet analyse again"
    )


def test_two_waves_without_any_tie_are_let_through() -> None:
    empty = Snapshot.build("t", PEOPLE, pd.DataFrame(columns=["source", "target", "relation"]))
    check_relation(empty, empty, "advice", ("t1", "t2"))


def test_a_primary_relation_spelt_two_ways_says_it_is_one_relation() -> None:
    # Without primary_relation each wave took its own ("advice", "advise"), and the fix said to set it.
    people = PEOPLE
    ties = pd.DataFrame({"source": list("ab"), "target": list("ba")})
    one = Snapshot.build("t1", people, ties.assign(relation="advice"))
    two = Snapshot.build("t2", people, ties.assign(relation="advise"))
    with pytest.raises(InputError) as error:
        compare(analyse(one, FAST), analyse(two, FAST), permutations=99)
    assert str(error.value) == (
        'the snapshots have different primary relations ("advice" before, "advise" after); they are one '
        f"relation written two ways: a relation is {MEND}"
    )


def test_waves_given_the_wrong_way_round_are_refused_naming_both_periods_and_the_fix() -> None:
    before, after = analyse(wave("after", period=Q2), FAST), analyse(wave("before", period=Q1), FAST)
    with pytest.raises(InputError) as error:
        compare(before, after, permutations=99, order_fix="swap them: leadnet compare out/before out/after")
    assert str(error.value) == (
        'the waves are the wrong way round: "after" (2026-04-01 to 2026-06-30), compared as before, begins '
        'after "before" (2026-01-01 to 2026-03-31), compared as after, so every change would read backwards '
        "(a tie formed as dissolved, a gain as a loss); swap them: leadnet compare out/before out/after"
    )


def test_periods_given_by_flags_are_checked_and_named_as_given() -> None:
    stated = Period(date(2026, 5, 1), date(2026, 5, 31), given="--from/--to")
    with pytest.raises(InputError, match=r'"t1" \(2026-05-01 to 2026-05-31 \(given by --from/--to, not read'):
        wave_order(wave("t1", period=stated), wave("t2", period=Q1), ("t1", "t2"))


def test_waves_that_overlap_are_compared_with_a_warning_in_comparison_json() -> None:
    spring = Period(date(2026, 3, 1), date(2026, 5, 31))
    res = compare(
        analyse(wave("t1", period=Q1), FAST), analyse(wave("t2", period=spring), FAST), permutations=99
    )
    warning = (
        'the waves overlap: "t1" (2026-01-01 to 2026-03-31) ends on 2026-03-31, after "t2" (2026-03-01 to '
        "2026-05-31) begins, so the ties of the 31 days they share are in both waves and part of any change "
        "is hidden; compare waves whose periods do not overlap"
    )
    assert warning in res.to_dict()["warnings"] and res.cautions == (warning,)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param(Period(), Q1, id="an undated wave"),
        pytest.param(Q1, Q2, id="in order"),
        pytest.param(Period(date(2026, 1, 1)), Period(None, date(2026, 6, 30)), id="open ends"),
    ],
)
def test_waves_in_order_or_that_cannot_be_placed_pass_without_a_word(first: Period, second: Period) -> None:
    assert wave_order(wave("t1", period=first), wave("t2", period=second), ("t1", "t2")) == []


def test_one_period_stated_for_every_wave_of_a_run_is_no_overlap() -> None:
    stated = Period(date(2026, 1, 1), date(2026, 6, 30), given="[analysis] period_from/period_to")
    assert wave_order(wave("t1", period=stated), wave("t2", period=stated), ("t1", "t2")) == []


STATED = Period(date(2026, 1, 1), date(2026, 6, 30), given="[analysis] period_from/period_to")


@pytest.mark.parametrize(
    ("first", "second", "basis"),
    [
        pytest.param(Q1, Q2, "periods", id="two dated waves"),
        pytest.param(Period(date(2026, 1, 1)), Period(date(2026, 4, 1)), "periods", id="two starts"),
        pytest.param(UNDATED, Q1, "as given", id="an undated wave"),
        pytest.param(UNDATED, UNDATED, "as given", id="two undated waves"),
        pytest.param(Period(date(2026, 1, 1)), Period(None, date(2026, 6, 30)), "as given", id="open ends"),
        pytest.param(STATED, STATED, "as given", id="one period stated for every wave of a run"),
    ],
)
def test_comparison_json_says_whether_the_periods_ordered_the_waves_or_they_were_taken_as_given(
    first: Period, second: Period, basis: str
) -> None:
    # Undated waves given the wrong way round were compared in silence: nothing said the order went unchecked.
    res = compare(
        analyse(wave("t1", period=first), FAST), analyse(wave("t2", period=second), FAST), permutations=99
    )
    assert res.to_dict()["order_basis"] == basis


# --- end to end: leadnet analyse and leadnet compare ------------------------------------------

KRACKHARDT = Path(__file__).resolve().parent / "data" / "krackhardt_hightech"
MEMBERSHIP_WAVE = (
    '[[sources]]\nkind = "membership"\npath = "membership.csv"\nsnapshot = "{}"\nfrom = "{}"\nto = "{}"\n'
)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def two_surveys(folder: Path, after_relation: str, after_column: bool = True) -> Path:
    """Krackhardt's managers asked twice; the after wave's survey gives ``after_relation`` for advice,
    in its question column (``after_column``), else by its source's ``relation`` (no such column)."""
    shutil.copy(KRACKHARDT / "people.csv", folder / "people.csv")
    rows = (KRACKHARDT / "survey.csv").read_text(encoding="utf-8").splitlines()
    (folder / "survey_before.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    advice = [r.rsplit(",", 1)[0] for r in rows[1:] if r.endswith(",advice")]
    after = [f"{r},{after_relation}" for r in advice] if after_column else advice
    header = "respondent,nominee" + (",question" if after_column else "")
    (folder / "survey_after.csv").write_text("\n".join([header, *after]) + "\n", encoding="utf-8")
    wave = '[[sources]]\nkind = "survey"\npath = "survey_{0}.csv"\nsnapshot = "{0}"\nrelation = "{1}"\n{2}\n'
    question = 'columns = { source = "respondent", target = "nominee", relation = "question" }'
    (folder / "leadnet.toml").write_text(
        '[people]\npath = "people.csv"\n\n'
        + wave.format("before", "advice", question)
        + wave.format("after", "advice" if after_column else after_relation, question if after_column else "")
        + '\n[programme]\nbefore = "before"\nafter = "after"\n\n[analysis]\npermutations = 99\n'
        'primary_relation = "advice"\n',
        encoding="utf-8",
    )
    return folder


@pytest.mark.parametrize(
    ("value", "column", "held"),
    [
        pytest.param("Advice", True, "Advice (survey_after.csv)", id="Advice in the question column"),
        pytest.param("advise", False, "advise (survey_after.csv)", id='relation = "advise"'),
    ],
)
def test_analyse_refuses_a_programme_whose_after_wave_spells_the_relation_another_way(
    tmp_path: Path, value: str, column: bool, held: str
) -> None:
    # The run succeeded and its comparison reported every advice tie dissolved.
    project = two_surveys(tmp_path, value, column)
    result = run("analyse", str(project), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        'error: snapshot "after" has no "advice" ties, the relation compared, so all 190 "advice" ties of '
        f'"before" would read as dissolved: "after" holds {held}. Did you mean "{held.split()[0]}" '
        f"(survey_after.csv)? A relation is {MEND}"
    )
    assert not (tmp_path / "out").exists()


@pytest.fixture(scope="module")
def quarters(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Krackhardt's managers in four projects through the first half of 2026: a wave per quarter."""
    folder = tmp_path_factory.mktemp("quarters")
    shutil.copy(KRACKHARDT / "people.csv", folder / "people.csv")
    rows = [f"{i},p{i % 4},2026-01-05,2026-06-20" for i in range(1, 22)]
    (folder / "membership.csv").write_text("person,project,start,end\n" + "\n".join(rows) + "\n", "utf-8")
    (folder / "leadnet.toml").write_text(
        '[people]\npath = "people.csv"\n\n'
        + MEMBERSHIP_WAVE.format("before", "2026-01-01", "2026-03-31")
        + MEMBERSHIP_WAVE.format("after", "2026-04-01", "2026-06-30")
        + '\n[programme]\nbefore = "before"\nafter = "after"\n\n[analysis]\npermutations = 99\n',
        encoding="utf-8",
    )
    result = run("analyse", str(folder), "--out", str(folder / "out"))
    assert result.exit_code == 0, result.output
    return folder


SWAPPED = (
    'error: the waves are the wrong way round: "after" (2026-04-01 to 2026-06-30), compared as before, '
    'begins after "before" (2026-01-01 to 2026-03-31), compared as after, so every change would read '
    "backwards (a tie formed as dissolved, a gain as a loss); "
)


def test_analyse_refuses_a_programme_given_the_wrong_way_round_naming_its_line(
    quarters: Path, tmp_path: Path
) -> None:
    project = tmp_path / "swapped"
    shutil.copytree(quarters, project, ignore=shutil.ignore_patterns("out"))
    toml = project / "leadnet.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace('before = "before"\nafter = "after"', 'before = "after"\nafter = "before"'))
    result = run("analyse", str(project), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.stderr == f"{SWAPPED}swap before and after in leadnet.toml line 18, [programme]\n"


def test_compare_refuses_after_before_and_says_to_swap_them(quarters: Path, tmp_path: Path) -> None:
    # It compared them silently: "participants lost 3.1 more ties" read a gain backwards.
    before, after = quarters / "out" / "before", quarters / "out" / "after"
    result = run("compare", str(after), str(before), "--out", str(tmp_path / "c"))
    assert result.exit_code == 1
    assert result.stderr == f"{SWAPPED}swap them: leadnet compare {before} {after}\n"
    assert run("compare", str(before), str(after), "--out", str(tmp_path / "c")).exit_code == 0


FEW = (
    "Only 5 of 21 people (23.8%) answered the advice survey: the figures of this report describe the "
    "ties those few named, not how the whole organisation works. With fewer than half answering, most "
    "people's own ties are unseen, and network measures drift far from the whole network's (Smith & "
    "Moody 2013). Read them with great caution, or survey again."
)


@pytest.fixture(scope="module")
def survey_waves(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Krackhardt's managers surveyed twice, each wave a project of its own with no period stated
    (``wave1``, ``wave2``), and analysed into ``out/``; in the second only managers 1 to 5 answered."""
    folder = tmp_path_factory.mktemp("surveys")
    rows = (KRACKHARDT / "survey.csv").read_text(encoding="utf-8").splitlines()
    answered = {"wave1": rows, "wave2": [rows[0], *(r for r in rows[1:] if int(r.split(",")[0]) <= 5)]}
    for name, survey in answered.items():
        (folder / name).mkdir()
        shutil.copy(KRACKHARDT / "people.csv", folder / name / "people.csv")
        (folder / name / "survey.csv").write_text("\n".join(survey) + "\n", encoding="utf-8")
        (folder / name / "leadnet.toml").write_text(
            '[people]\npath = "people.csv"\n\n[[sources]]\nkind = "survey"\npath = "survey.csv"\n'
            'columns = { source = "respondent", target = "nominee", relation = "question" }\n\n'
            '[analysis]\npermutations = 99\nprimary_relation = "advice"\n',
            encoding="utf-8",
        )
        assert run("analyse", str(folder / name), "--out", str(folder / "out" / name)).exit_code == 0
    return folder


def test_compare_of_undated_waves_says_it_took_them_in_the_order_given_and_how_to_date_them(
    survey_waves: Path, tmp_path: Path
) -> None:
    # Given the wrong way round, two survey waves were compared in silence: no date could order them.
    out = survey_waves / "out"
    result = run("compare", str(out / "wave1"), str(out / "wave2"), "--out", str(tmp_path / "c"))
    assert result.exit_code == 0
    assert (
        json.loads((tmp_path / "c" / "comparison.json").read_text(encoding="utf-8"))["order_basis"]
        == "as given"
    )
    page = (tmp_path / "c" / "index.html").read_text(encoding="utf-8")
    method = html.unescape(re.sub(r"<[^>]+>", "", page.split("<strong>Method:</strong>")[1].split("</p>")[0]))
    assert method.split(" Permutations:")[0].endswith(
        " Order of the snapshots: neither carries dates (surveys and tie lists have none), so leadnet "
        'took "wave1", the one named first (BEFORE), as the earlier; to have the order checked, analyse '
        "each wave with its own period stated: period_from and period_to under [analysis] in its "
        "leadnet.toml (or --from and --to of leadnet analyse)."
    )


def test_compare_of_dated_waves_says_their_periods_put_them_in_order(quarters: Path, tmp_path: Path) -> None:
    out = quarters / "out"
    assert (
        run("compare", str(out / "before"), str(out / "after"), "--out", str(tmp_path / "c")).exit_code == 0
    )
    assert (
        json.loads((tmp_path / "c" / "comparison.json").read_text(encoding="utf-8"))["order_basis"]
        == "periods"
    )
    assert "Order of the snapshots" not in (tmp_path / "c" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("saved", [True, False], ids=["output folders", "project folders"])
def test_compare_says_each_waves_own_warnings_at_the_terminal_naming_the_wave(
    survey_waves: Path, tmp_path: Path, saved: bool
) -> None:
    # The page and comparison.json said few answered wave2; the terminal said nothing (output folders)
    # or said it without naming the wave (project folders).
    waves = survey_waves / "out" if saved else survey_waves
    result = run("compare", str(waves / "wave1"), str(waves / "wave2"), "--out", str(tmp_path / "c"))
    assert result.exit_code == 0
    assert result.stderr == f"warning: snapshot wave2: {FEW}\n"
