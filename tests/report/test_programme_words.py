"""What the evaluator and the executive read of a programme: cause, chance, judgements, churn, cautions.

Each test holds a finding of the audit of 2026-11-29 to the Riverside demo (or to figures worked by hand).
"""

import html as html_lib
import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from leadnet.cli import main
from leadnet.cohort_ties import cohort_new_ties
from leadnet.report.new_ties import cohort_ties

RIVERSIDE = Path(__file__).resolve().parents[2] / "data" / "samples" / "riverside"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("riverside") / "reports"
    result = CliRunner().invoke(main, ["analyse", str(RIVERSIDE), "--out", str(folder), "--quiet"])
    assert result.exit_code == 0, result.output
    return folder


def text_of(fragment: str) -> str:
    """An HTML fragment's text, one space between words."""
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def page_of(out: Path) -> str:
    return (out / "comparison" / "index.html").read_text(encoding="utf-8")


def test_the_page_says_where_it_states_the_effect_that_a_difference_is_not_proof_of_cause(out: Path) -> None:
    # The page said "Programme effect: +3.1" with no word on self-selection, trends or spill-over.
    page = page_of(out)
    summary = page.split('<section id="summary"')[1].split("</section>")[0]
    findings_end, caveat_at = summary.index("</ul>"), summary.index('id="cause-caveat"')
    assert findings_end < caveat_at < summary.index('class="figures"')
    caveat = text_of(summary[caveat_at:].split("</p>")[0].split(">", 1)[1])
    assert caveat == (
        "About cause: a difference between these groups does not prove that the programme caused it. "
        "Unless participants were picked at random, they may have differed from the start; the groups may "
        "have been changing at different rates anyway; and participants' new ties also move the comparison "
        "group's figures (a colleague they start to consult is sought out more), which can create or hide a "
        "difference. The tests ask only whether these two groups differ by more than chance."
    )


@pytest.mark.parametrize("wave", ["before", "after"])
def test_the_reports_programme_answer_says_too_that_a_difference_is_not_proof_of_cause(
    out: Path, wave: str
) -> None:
    # The report answered "Did the programme change practice?" with the effect and no word on cause.
    report = (out / wave / "index.html").read_text(encoding="utf-8")
    answer = report.split("<h3>Did the programme change practice?</h3>")[1].split("</div>")[0]
    assert text_of(answer.split('id="cause-caveat">')[1]) == (
        "About cause: a difference between these groups does not prove that the programme caused it; the "
        "programme page says why."
    )


def test_comparison_json_holds_the_holm_adjusted_p_and_the_verdict_of_each_did(out: Path) -> None:
    # Holm-adjusted p-values and the judged / not judged verdicts were on the page only.
    data = json.loads((out / "comparison" / "comparison.json").read_text(encoding="utf-8"))
    cohort = data["cohort"]
    # Raw p: 1/10,001 for three secondary measures and 2/10,001 for in-degree. Holm over the four:
    # 1/10,001 x 4, then x 3 and x 2 (kept at the largest so far), and 2/10,001 x 1: all 4/10,001.
    assert cohort["in_degree"]["p_value"] == 2 / 10_001
    for metric in ("brokerage_total", "in_degree", "constraint", "ei_index"):
        assert cohort[metric]["p_holm"] == pytest.approx(4 / 10_001, rel=1e-12)
        assert (cohort[metric]["verdict"], cohort[metric]["judged_on"]) == ("beyond chance", "p_holm")
    primary = cohort["cross_unit_out_ties"]
    assert (primary["p_holm"], primary["verdict"], primary["judged_on"]) == (None, "beyond chance", "p_value")
    judgement = data["method"]["judgement"]
    assert (judgement["primary"], judgement["level"]) == ("cross_unit_out_ties", 0.05)


def test_new_ties_to_participants_are_judged_by_shuffling_who_took_part() -> None:
    # 11 stayers, 3 participants (0, 1, 2) who sent 4 new ties, 2 to participants (50%); the others
    # sent 4, 1 to a participant (25%). The binomial test (each tie an independent pick, 2 of 10
    # colleagues participants) gave P(X >= 2), X ~ Binomial(4, 0.2) = 0.1808. Of the C(11, 3) = 165
    # groups of three, 4 leave the others sending nothing; 28 of the other 161 reach the difference of
    # 25 points: p = 4/23. Mean count 8 x (3 x 2)/(11 x 10) = 24/55.
    formed = np.array([(0, 1), (1, 2), (0, 5), (2, 7), (4, 0), (5, 6), (8, 9), (9, 10)])
    ties = cohort_new_ties(formed, np.arange(11) < 3, permutations=9_999, seed=0, min_group_size=3)
    assert ties["within_cohort_p"] == pytest.approx(4 / 23, abs=0.016)  # 4 standard errors
    assert ties["within_cohort_expected_new"] == pytest.approx(24 / 55, abs=1e-12)
    assert (ties["within_cohort_difference"], ties["within_cohort_p"]) == (
        0.25,
        pytest.approx(0.17652, abs=1e-5),
    )
    table, sentence = cohort_ties({"cohort_ties": ties}, 5)
    assert table.rows == (("4", "2", "2", "50.0%", "25.0%", "0.177"),)
    assert table.columns[4:] == (
        "Other colleagues' share to participants",
        "p (participants more than others?)",
    )
    assert sentence == (
        "Participants formed 4 new ties: 2 with other participants and 2 with everyone else. 50.0% of "
        "participants' new ties went to other participants, against 25.0% of other colleagues' new ties "
        "(tested by shuffling who took part among the people in both snapshots): a gap that could well "
        "be chance (p = 0.177), and half of the new ties stayed inside the programme."
    )


def test_a_random_cohort_of_ten_is_not_said_to_turn_to_each_other_more_than_chance() -> None:
    # The audit's random cohort of 10 among 600: 1 of its 10 new ties to a participant, 6.7 times the
    # 1.5% groups drawn from the same units give, was "more than chance".
    ties = {"within_cohort_new": 1, "to_others_new": 9, "within_cohort_share": 0.1,
            "others_to_cohort_share": 0.015, "within_cohort_difference": 0.085, "within_cohort_p": 0.14049,
            "within_cohort_strata": "units"}  # fmt: skip
    sentence = cohort_ties({"cohort_ties": ties}, 5)[1]
    assert sentence == (
        "Participants formed 10 new ties: 1 with other participants and 9 with everyone else. 10.0% of "
        "participants' new ties went to other participants, against 1.5% of other colleagues' new ties "
        "(tested by shuffling who took part within the same units): a gap that could well be chance "
        "(p = 0.140), and most new ties reach beyond the programme."
    )


def test_riversides_participants_turned_to_each_other_more_than_groups_from_their_units(out: Path) -> None:
    # The binomial p was 1.1e-24 ("more than chance would"), each new tie taken as an independent pick.
    # Shuffled within units over the new ties as they formed, no shuffle reaches the 63.
    data = json.loads((out / "comparison" / "comparison.json").read_text(encoding="utf-8"))
    ties = data["cohort_ties"]
    assert (ties["within_cohort_new"], ties["to_others_new"], ties["within_cohort_strata"]) == (
        63,
        113,
        "units",
    )
    assert ties["within_cohort_p"] == 1 / 10_001
    # 35.8% of participants' new ties reach participants, 7.6% (17 of 224) of the others'
    assert (ties["others_to_cohort_share"], ties["within_cohort_difference"]) == (
        pytest.approx(17 / 224),
        pytest.approx(63 / 176 - 17 / 224),
    )
    assert ties["within_cohort_expected_new"] == pytest.approx(2.7744, abs=1e-4)
    assert ties["within_cohort_expected_share"] == pytest.approx(0.0808, abs=1e-4)
    assert (data["method"]["cohort_ties"]["permutations"], data["method"]["cohort_ties"]["seed"]) == (
        10_000,
        0,
    )
    assert (
        "Participants formed 176 new ties: 63 with other participants and 113 with everyone else. 35.8% of "
        "participants' new ties went to other participants, against 7.6% of other colleagues' new ties "
        "(tested by shuffling who took part within the same units): they turned to each other more than "
        "others turned to them (p < 0.001), and most new ties reach beyond the programme."
    ) in text_of(page_of(out))


def test_the_tie_churn_says_whose_ties_it_counts_and_adds_up_to_each_waves_ties(out: Path) -> None:
    # "2,298 kept, 400 formed, 244 dissolved" beside "2,599 / 2,752" did not add up: 2,599 − 244 + 400
    # is 2,755. The churn counts the ties of the 539 stayers who answered the survey in both waves.
    page = page_of(out)
    findings = [
        text_of(f) for f in re.findall(r"<li>(.*?)</li>", page.split('id="findings"')[1].split("</ul>")[0])
    ]
    assert findings[-1] == (
        "Among the 600 people in both snapshots, 2,298 ties were kept, 400 formed and 244 dissolved, "
        "counting "
        "the ties sent by the 539 who answered the advice survey in both waves; 78.1% of these ties were in "
        "both snapshots (tie overlap, Jaccard index 0.781)."
    )
    churn = page.split('<section id="churn">')[1].split("</table>")[0]
    rows = {text_of(r[0]): (text_of(r[1]), text_of(r[2])) for r in re.findall(
        r"<tr><t[hd][^>]*>(.*?)</t[hd]><td[^>]*>(.*?)</td><td[^>]*>(.*?)</td></tr>", churn)}  # fmt: skip
    assert rows["Not in these counts"] == (
        "57 before, 54 after",
        "before = kept + dissolved + these; after = kept + formed + these: ties sent by someone who did not "
        "answer in both waves, or with someone in one snapshot only",
    )
    assert rows["Ties before (everyone)"][0] == "2,599" == f"{2298 + 244 + 57:,}"
    assert rows["Ties after (everyone)"][0] == "2,752" == f"{2298 + 400 + 54:,}"
    assert rows["Formed"] == ("400", "new, sent by the 539 who answered the advice survey in both waves")


def test_the_first_screens_say_it_in_plain_words_first(out: Path) -> None:
    # "(NMI)", "(Jaccard)", "95% CI" and "p < 0.001" stood without plain words on the first screens.
    report = text_of((out / "after" / "index.html").read_text(encoding="utf-8").split('class="answers"')[1])
    assert (
        "Most ties stay inside units (E-I index -0.556); 8 communities, matching the formal units 0.967 out "
        "of 1 (NMI); losing the 10 people listed under Bridges would cut 22.2% of contacts between units."
    ) in report
    assert (
        "Programme participants gained 3.1 more cross-unit advice ties than the comparison group (likely "
        "range 2.8 to 3.4, 95% CI; p < 0.001); unlikely to be chance. 78.1% of the ties compared were in "
        "both snapshots (tie overlap, Jaccard); 400 ties formed."
    ) in report
    summary = text_of(page_of(out).split('<section id="summary"')[1].split("</section>")[0])
    assert (
        "Likely range: the differences the data are consistent with (95% confidence interval, CI). p: how "
        "often chance alone would give a difference this large were there none; under 0.05 the page calls it "
        "unlikely to be chance."
    ) in summary
    assert (
        "Network similarity 0.875 How alike the two networks' ties are, 1 = the same (QAP correlation; p < "
        "0.001)." in summary
    )


def test_a_question_column_left_unread_is_a_caution_of_the_report_and_summary_json(tmp_path: Path) -> None:
    # The DESIGN.md example leadnet.toml maps no relation column: Riverside's "advice" and
    # "collaboration" became one relation, said only at the terminal.
    project = tmp_path / "riverside"
    project.mkdir()
    for name in ("people.csv", "survey_before.csv", "survey_after.csv", "cohort.csv"):
        shutil.copy(RIVERSIDE / name, project / name)
    surveys = "".join(
        f'[[sources]]\nkind = "survey"\npath = "survey_{wave}.csv"\nsnapshot = "{wave}"\n'
        'relation = "advice"\n'
        'columns = { source = "respondent", target = "nominee", weight = "frequency" }\n\n'
        for wave in ("before", "after")
    )
    (project / "leadnet.toml").write_text(
        '[project]\nname = "riverside"\n\n[people]\npath = "people.csv"\n'
        'columns = { person_id = "employee_id", '
        'unit = "directorate", level = "band_level", manager_id = "manager" }\n\n'
        f'{surveys}[programme]\ncohort = "cohort.csv"\nbefore = "before"\nafter = "after"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["analyse", str(project), "--out", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == 0, result.output
    for wave in ("before", "after"):
        said = (
            f'survey_{wave}.csv line 1: column "question" is not read, so its 2 values ("advice", '
            '"collaboration") are one relation, "advice"; to keep them apart, rename its header "relation", '
            'or map the column: columns = { relation = "question" } in leadnet.toml'
        )
        summary = json.loads((tmp_path / "out" / wave / "summary.json").read_text(encoding="utf-8"))
        assert summary["warnings"] == [said]
        box = (
            (tmp_path / "out" / wave / "index.html")
            .read_text(encoding="utf-8")
            .split('id="data-warnings">')[1]
        )
        assert text_of(box.split("</div>")[0]) == f"Read with caution. {said}"
        assert result.stderr.count(said) == 1  # the importer's warning, not said again for the summary
