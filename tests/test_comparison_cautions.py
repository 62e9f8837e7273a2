"""What a comparison must be read with: too few permutations to judge, a cohort withheld for privacy,
listed people not in both waves; said at the command line, in comparison.json and on the page."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner, Result

from leadnet.analysis import analyse
from leadnet.cli import main
from leadnet.model import Snapshot
from leadnet.parameters import AnalysisSection
from leadnet.summary_reasons import no_primary_ties

KRACKHARDT = Path(__file__).resolve().parent / "data" / "krackhardt_hightech"
TOML = (
    '[people]\npath = "people.csv"\n\n'
    '[[sources]]\nkind = "survey"\npath = "survey.csv"\nrelation = "advice"\n'
    'columns = { source = "respondent", target = "nominee", relation = "question" }\n\n'
    '[analysis]\npermutations = 99\nprimary_relation = "advice"\n'
)
TOO_FEW = (
    "with 19 permutations no p-value can fall below 0.05 (the smallest possible is 1/(19 + 1) = "
    "0.05), so no permutation test (the differences-in-differences, QAP) can tell a difference from "
    "chance; run with at least 20 permutations (10,000 by default: --permutations of leadnet compare, or "
    "permutations in [analysis] of leadnet.toml)"
)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def wave(folder: Path, leavers: set[str]) -> Path:
    """Krackhardt's managers' survey, analysed without ``leavers`` (off the roster, their rows gone)."""
    folder.mkdir()
    people = (KRACKHARDT / "people.csv").read_text(encoding="utf-8").splitlines()
    survey = (KRACKHARDT / "survey.csv").read_text(encoding="utf-8").splitlines()
    gone = {line for line in people[1:] if line.split(",")[0] in leavers}  # nobody manages another
    rows = [line for line in survey[1:] if not set(line.split(",")[:2]) & leavers]
    (folder / "people.csv").write_text("\n".join(line for line in people if line not in gone) + "\n", "utf-8")
    (folder / "survey.csv").write_text("\n".join([survey[0], *rows]) + "\n", "utf-8")
    (folder / "leadnet.toml").write_text(TOML, encoding="utf-8")
    result = run("analyse", str(folder), "--out", str(folder / "out"))
    assert result.exit_code == 0, result.output
    return folder / "out"


@pytest.fixture(scope="module")
def waves(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two waves of Krackhardt's managers; managers 20 and 21 are gone from the second."""
    folder = tmp_path_factory.mktemp("waves")
    return wave(folder / "t1", set()), wave(folder / "t2", {"20", "21"})


def compared(waves: tuple[Path, Path], folder: Path, rows: list[str], *flags: str) -> tuple[Result, Path]:
    cohort = folder / "cohort.csv"
    cohort.write_text("person_id,group\n" + "\n".join(rows) + "\n", encoding="utf-8")
    out = folder / "comparison"
    result = run("compare", str(waves[0]), str(waves[1]), "--cohort", str(cohort), "--out", str(out), *flags)
    return result, out


def cautioned(result: Result, out: Path, caution: str) -> dict:
    """comparison.json, once the run is checked to have said ``caution``, alone, at the command line
    and in its warnings."""
    assert (result.exit_code, result.stderr) == (0, f"warning: {caution}\n"), result.output
    saved = json.loads((out / "comparison.json").read_text(encoding="utf-8"))
    assert saved["warnings"] == [caution]
    return saved


def listed(cohort: range, comparison: range) -> list[str]:
    return [f"{i},cohort" for i in cohort] + [f"{i},comparison" for i in comparison]


def test_too_few_permutations_are_said_and_the_page_does_not_call_the_difference_chance(
    waves: tuple[Path, Path], tmp_path: Path
) -> None:
    # With 19 the page said "a difference this size could well be chance" of p = 0.050, the smallest p.
    result, out = compared(waves, tmp_path, listed(range(1, 8), range(8, 20)), "--permutations", "19")
    cautioned(result, out, TOO_FEW)
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "could well be chance" not in page and "were not judged" not in page
    assert page.count("too few permutations were run to judge it: no p-value could fall below 0.05.") == 5
    assert f"<li>W{TOO_FEW[1:]}.</li>" in page.split('id="comparison-cautions"')[1]


def test_twenty_permutations_can_judge_and_say_nothing(waves: tuple[Path, Path], tmp_path: Path) -> None:
    result, out = compared(waves, tmp_path, listed(range(1, 8), range(8, 20)), "--permutations", "20")
    assert (result.exit_code, result.stderr) == (0, "")
    assert json.loads((out / "comparison.json").read_text(encoding="utf-8"))["warnings"] == []
    assert 'id="comparison-cautions"' not in (out / "index.html").read_text(encoding="utf-8")


def test_a_cohort_under_k_is_said_to_be_withheld_and_its_large_comparison_group_is_not_under_5(
    waves: tuple[Path, Path], tmp_path: Path
) -> None:
    # 3 participants and 16 comparison people: "wrote" only, and the page showed the 16 as "<5".
    result, out = compared(waves, tmp_path, listed(range(1, 4), range(4, 20)))
    caution = (
        "the programme's cohort analysis is withheld: the cohort has fewer than 5 people in both snapshots "
        "(the privacy floor, min_group_size), so no figure of the cohort or the comparison group is shown; "
        "list at least 5 people of each group who are in both snapshots"
    )
    saved = cautioned(result, out, caution)
    assert (saved["cohort"]["n_cohort"], saved["cohort"]["n_comparison"]) == ("<5", "withheld")
    assert {(m["n_cohort"], m["n_comparison"]) for m in saved["cohort"].values() if isinstance(m, dict)} == {
        ("<5", "withheld")
    }
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.count("<td>&lt;5 / withheld</td>") == 5 and "&lt;5 / &lt;5" not in page


def test_people_listed_but_not_in_both_waves_are_counted_for_both_groups(
    waves: tuple[Path, Path], tmp_path: Path
) -> None:
    # Manager 20 took part and 21 was a comparison: comparison.json counted only the participant.
    result, out = compared(
        waves, tmp_path, [*listed(range(1, 8), range(8, 20)), "20,cohort", "21,comparison"]
    )
    caution = (
        "1 participant and 1 comparison person listed in the cohort file are not in both snapshots (they "
        "joined or left between them), so no programme figure counts them; if the people who left differ "
        "between the groups, so may the groups that stayed"
    )
    saved = cautioned(result, out, caution)
    counts = {k: saved["cohort"][k] for k in ("n_cohort", "n_comparison", "n_cohort_not_stayed")}
    assert counts | {"lost": saved["cohort"]["n_comparison_not_stayed"]} == {
        "n_cohort": 7,
        "n_comparison": 12,
        "n_cohort_not_stayed": 1,
        "lost": 1,
    }
    page = (out / "index.html").read_text(encoding="utf-8")
    assert (
        "7 participants and 12 comparison people are in both snapshots (comparison group: listed). 1 "
        "participant and 1 comparison person listed in the cohort file are not in both snapshots, so no "
        "figure counts them. Change = after"
    ) in page


def test_every_problem_of_a_cohort_file_given_to_compare_is_listed(
    waves: tuple[Path, Path], tmp_path: Path
) -> None:
    # It listed 20 and said "(leadnet validate lists every one)": validate does not read that file.
    result, _ = compared(waves, tmp_path, [f"{i},control" for i in range(1, 22)])
    assert result.exit_code == 1
    assert result.stderr == "error: 21 problems in the input\n" + "".join(
        f'cohort.csv line {i + 1}, column "group": unknown group "control" (use "cohort" or "comparison") '
        "[bad-group]\n"
        for i in range(1, 22)
    )


def test_a_snapshot_without_a_tie_of_its_primary_relation_warns_in_its_summary() -> None:
    people = pd.DataFrame({"person_id": list("abc"), "unit": list("xxy")})
    ties = pd.DataFrame({"source": list("ab"), "target": list("bc"), "relation": "Advice"})
    analysis = analyse(Snapshot.build("after", people, ties, primary_relation="advice"), AnalysisSection())
    assert analysis.summary["warnings"] == [no_primary_ties(analysis.snapshot)]
    assert analysis.summary["warnings"][0].startswith(
        'No "advice" ties in this snapshot, the primary relation, so its network figures are empty: it holds '
        'Advice. Did you mean "Advice"?'
    )
