"""The Riverside sample through the real pipeline: the first screen agrees with the JSON outputs."""

import csv
import dataclasses
import html as html_lib
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from leadnet.analysis import analyse
from leadnet.cli import main
from leadnet.compare import compare, load_cohort
from leadnet.config import load_config
from leadnet.model import Snapshot
from leadnet.report.exports import write_json
from leadnet.report.numbers import display_number
from leadnet.report.render import render_comparison, render_report
from leadnet.report.views import report_view

RIVERSIDE = Path(__file__).resolve().parents[2] / "data" / "samples" / "riverside"
pytestmark = pytest.mark.slow
SHARES_OUTSIDE_TOP = (
    "leadership_share_outside_top", "pagerank_share_outside_top", "people_share_outside_top",
)  # fmt: skip
WITHHELD_IN_UNIT = (
    "withheld for privacy: in the unit, either the top 2 levels or the people below them number fewer than 5"
)


def add_programme(folder: Path) -> None:
    """What ``leadnet analyse`` writes for a [programme], for a pipeline that does not yet do it."""
    config = load_config(RIVERSIDE)
    waves = {
        name: analyse(Snapshot.load(folder / name / "snapshot"), config.analysis, config.project)
        for name in ("before", "after")
    }
    cohort = load_cohort(config.programme.cohort)
    comparison = compare(waves["before"], waves["after"], cohort, seed=0, min_group_size=5)
    (folder / "comparison").mkdir()
    write_json(comparison.to_dict(), folder / "comparison" / "comparison.json")
    page = render_comparison(comparison, waves["before"], waves["after"])
    (folder / "comparison" / "index.html").write_text(page, encoding="utf-8")
    for name, analysis in waves.items():
        html = render_report(analysis, comparison=comparison.to_dict())
        (folder / name / "index.html").write_text(html, encoding="utf-8")


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("riverside") / "reports"
    result = CliRunner().invoke(main, ["analyse", str(RIVERSIDE), "--out", str(folder), "--quiet"])
    assert result.exit_code == 0, result.output
    if not (folder / "comparison").is_dir():
        add_programme(folder)
    return folder


def first_screen(folder: Path) -> str:
    return (folder / "index.html").read_text(encoding="utf-8").split('<section id="distribution">')[0]


def test_the_first_screen_figures_equal_summary_json(out: Path) -> None:
    for wave in ("before", "after"):
        summary = json.loads((out / wave / "summary.json").read_text(encoding="utf-8"))
        shown = dict(
            re.findall(r'data-key="(\w+)">.*?<div class="value">(.*?)</div>', first_screen(out / wave))
        )
        assert len(shown) == 13
        for key, value in shown.items():
            assert value == display_number(summary[key]), key
    assert shown["n_people"] == "600" and shown["n_informal_leaders"] == "16"


def test_the_programme_answer_equals_comparison_json(out: Path) -> None:
    comparison = json.loads((out / "comparison" / "comparison.json").read_text(encoding="utf-8"))
    effect = comparison["cohort"]["cross_unit_out_ties"]
    for wave in ("before", "after"):
        screen = first_screen(out / wave)
        answer = html_lib.unescape(
            screen.split("Did the programme change practice?</h3><p>")[1].split("<a ")[0]
        )
        found = re.fullmatch(
            r"Programme participants gained ([\d.]+) more cross-unit advice ties than the comparison group "
            r"\(likely range ([\d.]+) to ([\d.]+), 95% CI; p < 0\.001\); unlikely to be chance\. "
            r"([\d.]+)% of the ties compared were in both snapshots \(tie overlap, Jaccard\); ([\d,]+) ties "
            r"formed\. ",
            answer,
        )
        assert found, answer
        did, low, high, jaccard, formed = found.groups()
        assert (did, low, high) == (
            f"{effect['did']:.1f}",
            f"{effect['ci_low']:.1f}",
            f"{effect['ci_high']:.1f}",
        )
        assert effect["p_value"] < 0.001
        assert jaccard == f"{100 * comparison['jaccard']:.1f}"
        assert formed == f"{comparison['ties_formed']:,}"
        assert '<a href="../comparison/index.html">Programme page</a>' in screen
    # The planted effect (data/samples/riverside/README.md): +3.08 cross-unit advice ties.
    assert (did, effect["did"]) == ("3.1", pytest.approx(3.08))


def test_the_programme_page_shows_the_did_table_of_comparison_json(out: Path) -> None:
    comparison = json.loads((out / "comparison" / "comparison.json").read_text(encoding="utf-8"))
    page = (out / "comparison" / "index.html").read_text(encoding="utf-8")
    table = page.split('<table class="effects">')[1].split("</table>")[0]
    rows = {r[0]: r[1:] for r in (re.findall(r"<td>(.*?)</td>", tr) for tr in table.split("<tr>")[2:])}
    effect = comparison["cohort"]["cross_unit_out_ties"]
    assert rows["Cross-unit ties"] == [
        f"{effect['cohort_delta']:+.1f}", f"{effect['comparison_delta']:+.1f}", f"{effect['did']:+.1f}",
        f"{effect['ci_low']:.1f} to {effect['ci_high']:.1f}", "&lt;0.001", "50 / 50",
    ]  # fmt: skip
    churn = page.split('<table class="churn">')[1].split("</table>")[0]
    assert f"<td>Formed</td><td>{comparison['ties_formed']}</td>" in churn
    assert f"<td>Tie overlap (Jaccard)</td><td>{comparison['jaccard']:.3f}</td>" in churn


def test_no_directorates_share_outside_the_top_is_shown_with_its_top_under_five(out: Path) -> None:
    # Each directorate's top 2 levels are its director (Workforce & OD: the chief executive too), so
    # 1 − share times its internal ties was the director's nominations inside it: Diagnostics'
    # 0.964 of 281 gave back 10. units.csv shows <5 there, as in every suppressed cell, and so does
    # the scorecard; summary.json says why.
    units = list(csv.DictReader(io.StringIO((out / "after" / "units.csv").read_text(encoding="utf-8-sig"))))
    summary = json.loads((out / "after" / "summary.json").read_text(encoding="utf-8"))
    reasons = summary["leadership"]["reasons"]
    assert len(units) == 8
    for unit in units:
        assert unit["leadership_share_outside_top"] == "<5"
        why = reasons[f"by_unit[{unit['unit']}].leadership_share_outside_top"]
        assert why.startswith(WITHHELD_IN_UNIT)
    page = html_lib.unescape((out / "after" / "index.html").read_text(encoding="utf-8"))
    scorecard = page.split("<h3>Unit scorecard</h3>")[1].split('<div class="chart"')[0]
    assert scorecard.count("<td><5</td>") == 8 and "withheld</td>" not in scorecard
    note = WITHHELD_IN_UNIT.removeprefix("withheld for privacy: ")
    assert f"Withheld for privacy: Influence outside the top: {note}" in scorecard


def test_the_distributed_answer_gives_the_tops_share_of_nominations_and_of_people(out: Path) -> None:
    # 97.53% of nominations below the top 2 levels, 98.5% of the people: both "98%" before, read as
    # "as many as their number, or more"; the top's 1.5% of people draw 2.5% (1.65 times).
    summary = json.loads((out / "after" / "summary.json").read_text(encoding="utf-8"))
    share, people = summary["leadership_share_outside_top"], summary["leadership"]["people_share_outside_top"]
    assert (round(share, 4), people) == (0.9753, 0.985)
    screen = html_lib.unescape(first_screen(out / "after"))
    assert (
        "97.5% of nominations go to people outside the top 2 formal levels, who are 98.5% of the people. "
        "People in the top 2 formal levels, 1.5% of everyone, receive 2.5% of nominations: 1.65 times "
        "their share."
    ) in screen


def test_every_percentage_of_the_first_screen_has_one_decimal(out: Path) -> None:
    # The headline said "98% of nominations go to people outside the top 2 levels" where the answer
    # above it says 97.5% of the same 0.9753, and the bridges "22%" of a cut share of 0.222.
    screen = html_lib.unescape(first_screen(out / "after"))
    assert "97.5% of nominations go to people outside the top 2 levels." in screen
    assert "would cut 22.2% of contacts between units" in screen
    page = html_lib.unescape((out / "after" / "index.html").read_text(encoding="utf-8"))
    assert "<td>92.0% (552 of 600)</td>" in page  # the relations table's advice survey: 92% before
    words = re.sub(r"<(style|script)\b.*?</\1>", "", screen, flags=re.S)
    assert re.findall(r"(?<![\d.])\d+%(?! CI)", words) == []  # a share has its decimal; a CI level needs none


def test_counts_in_the_pages_words_have_thousands_separators(out: Path) -> None:
    # The overload evidence said "1.3% of all 2752 in-ties" and the programme page's footer
    # "Permutations: 10000", beside "2,752" and "10,000" in the tables and the note.
    page = html_lib.unescape((out / "after" / "index.html").read_text(encoding="utf-8"))
    assert "in-degree 37 = 1.3% of all 2,752 in-ties; the 27 flagged carry 20.1%" in page
    assert "2752" not in page.split('<script type="application/json"')[0]
    programme = (out / "comparison" / "index.html").read_text(encoding="utf-8")
    assert "<strong>Permutations:</strong> 10,000, <strong>seed</strong> 0." in programme


def test_with_the_chief_executive_alone_at_the_top_the_share_is_withheld(out: Path) -> None:
    # top_levels = 1: the headline "0.997" with 2,752 ties gave back the chief executive's 8
    # nominations, while the level table hides level 1 as <5.
    config = load_config(RIVERSIDE)
    settings = dataclasses.replace(config.analysis, top_levels=1, permutations=0)
    analysis = analyse(Snapshot.load(out / "after" / "snapshot"), settings, config.project)
    assert analysis.summary["n_ties"] == 2752
    assert analysis.summary["leadership_share_outside_top"] is None
    assert all(analysis.summary["leadership"][key] is None for key in SHARES_OUTSIDE_TOP)
    view = report_view(analysis)
    figure = next(f for f in view.figures if f.key == "leadership_share_outside_top")
    assert figure.value == "withheld"
    assert view.answers[1].answer == (
        "The share of nominations outside the top formal level is withheld for privacy: either the top "
        "level or the people below it number fewer than 5, and the share would give back figures about "
        "fewer than 5 people (minimum group size)."
    )


def test_every_table_header_is_in_words_an_executive_reads(out: Path) -> None:
    # The tables were headed by their CSV column names made sentences: "Cv in degree", "Mean
    # pagerank", "Share of in degree", "Removal cross ties lost", "Cumulative cross share", and
    # "Centralization in degree" beside the headline card's "Centralisation".
    page = html_lib.unescape((out / "before" / "index.html").read_text(encoding="utf-8"))

    def heads(name: str) -> list[str]:
        return re.findall(r"<th>(.*?)</th>", page.split(f'<table class="{name}">')[1].split("</thead>")[0])

    assert heads("levels") == [
        "Level", "Rank (1 = top)", "People", "Nominations received, mean", "Nominations received, median",
        "Influence score (PageRank), mean", "Share of all nominations",
    ]  # fmt: skip
    assert heads("units") == [
        "Unit", "People", "Ties inside the unit", "Ties with other units", "E-I index", "E-I p-value",
        "E-I p, Holm-adjusted", "Insularity", "Density", "Centralisation", "Gini of influence",
        "Spread of nominations (CV)", "Influence outside the top",
    ]  # fmt: skip
    assert heads("bridges") == [
        "Rank", "Person", "Unit", "Contacts with other units", "Other units reached",
        "Splits the network if gone", "Cross-unit contacts lost if gone",
        "Unit pairs left with no contact if gone", "Share of cross-unit contacts lost, with those above",
    ]  # fmt: skip
    assert heads("communities") == ["Community", "People", "Share of modularity", "Dominant units", "Bridges"]
    assert '<div class="label">Centralisation</div>' in page
    assert "_" not in "".join(re.findall(r"<th>(.*?)</th>", page))
    # the CSV files keep their stable column names
    header = (out / "before" / "units.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.endswith(
        "centralization_in_degree,gini_in_degree,cv_in_degree,leadership_share_outside_top"
    )


def test_the_programme_page_prints_each_effect_by_one_rule_of_digits(out: Path) -> None:
    # The findings said "3.1 ... (95% CI 2.8 to 3.4 ...)" while the card read "+3.080" and "2.800 to
    # 3.360", and the table "+3.080", "2.800 to 3.360": one figure printed two ways on one page.
    page = html_lib.unescape((out / "comparison" / "index.html").read_text(encoding="utf-8"))
    findings = page.split('id="findings">')[1].split("</ul>")[0]
    assert (
        "gained 3.1 more cross-unit advice ties than the comparison group (likely range 2.8 to 3.4, 95% "
        "CI; p < 0.001)" in (findings)
    )
    card = page.split('data-key="did">')[1].split("</div></div>")[0]
    assert '<div class="value">+3.1</div>' in card
    assert "likely range 2.8 to 3.4 (95% CI); p < 0.001." in card
    table = page.split('<table class="effects">')[1].split("</table>")[0]
    rows = {r[0]: r[1:] for r in (re.findall(r"<td>(.*?)</td>", tr) for tr in table.split("<tr>")[2:])}
    assert rows["Cross-unit ties"][2:4] == ["+3.1", "2.8 to 3.4"]
    assert rows["Brokerage (pairs linked)"][2:4] == ["+21.2", "16.9 to 25.5"]
    assert (
        "gained 21.2 more pairs of colleagues" in findings
        and "(likely range 16.9 to 25.5, 95% CI;" in findings
    )
    assert rows["Network constraint"][2:4] == ["-0.063", "-0.078 to -0.048"]
    assert "fell by 0.063 (likely range -0.078 to -0.048, 95% CI;" in findings
    assert "3.080" not in page and "2.800" not in page
