"""The Riverside sample through the real pipeline: the first screen agrees with the JSON outputs."""

import html as html_lib
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
from leadnet.report.render import render_comparison, render_report
from leadnet.report.tables import display_number

RIVERSIDE = Path(__file__).resolve().parents[2] / "data" / "samples" / "riverside"
pytestmark = pytest.mark.slow


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
            r"\(95% CI ([\d.]+) to ([\d.]+); p < 0\.001\)\. Tie overlap between the snapshots ([\d.]+) "
            r"\(Jaccard\); ([\d,]+) ties formed\. ",
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
        assert jaccard == f"{comparison['jaccard']:.3f}"
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
        f"{effect['cohort_delta']:+.3f}", f"{effect['comparison_delta']:+.3f}", f"{effect['did']:+.3f}",
        f"{effect['ci_low']:.3f} to {effect['ci_high']:.3f}", "&lt;0.001", "50 / 50",
    ]  # fmt: skip
    churn = page.split('<table class="churn">')[1].split("</table>")[0]
    assert f"<td>Formed</td><td>{comparison['ties_formed']}</td>" in churn
    assert f"<td>Jaccard</td><td>{comparison['jaccard']:.3f}</td>" in churn
