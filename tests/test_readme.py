"""The README documents every command, shows the two set-up commands and states the statistics' settings."""

import re
from pathlib import Path

from leadnet import permutation_counts, silos
from leadnet.cli import main
from leadnet.group_differences import level_words, significance_level

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_command_is_documented_in_the_readme() -> None:
    for name in main.commands:
        assert f"leadnet {name}" in README, f"README does not document `leadnet {name}`"


def test_the_two_setup_commands_are_in_one_block() -> None:
    block = re.search(r"```bash\n(.*?)```", README, re.S)
    assert block is not None
    assert (
        "pip install -e . && leadnet analyse data/samples/riverside --out reports/riverside" in block.group(1)
    )
    assert 'pip install -e ".[test]" && pytest' in block.group(1)


def test_ci_runs_the_readme_test_command() -> None:
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert 'pip install -q -e ".[test]" && pytest' in ci


def test_the_readme_states_the_levels_the_programme_page_uses() -> None:
    # One level, two words for it: the CIs' (group_differences.CONFIDENCE) and the verdicts' p.
    text = " ".join(README.split())
    level, p = f"{level_words()} CI", f"p < {significance_level():g}"
    assert f"tested first at {p}, the level at which a {level} leaves out 0" in text
    assert f"p-value and a {level}: the effects that the same permutation test does not reject" in text
    assert f"so the CI leaves out 0 exactly when {p}" in text


def test_the_readme_states_both_permutation_count_rules_with_their_figures() -> None:
    # It said only "E-I permutations fit a fixed budget", and nothing of the comparison's rule.
    text = " ".join(README.split())
    budget = silos.PERMUTATION_BUDGET
    assert budget == 2 * 10**9 and "permutations × (people + ties) fit a budget of 2×10⁹" in text
    assert silos.budgeted_permutations(10_000, 100_000, 1_000_000) == 1_800
    assert "(1,800 at 100,000 people and a million ties)" in text
    up_to = permutation_counts.FULL_PERMUTATIONS_UP_TO
    assert f"every permutation asked up to {up_to:,} stayers and fewer in proportion above" in text
    assert permutation_counts.people_scaled_permutations(10_000, 100_000) == 2_000
    assert "(2,000 at 100,000)" in text
    assert silos.MIN_PERMUTATIONS is permutation_counts.MIN_PERMUTATIONS
    assert permutation_counts.MIN_PERMUTATIONS == 1_000
    assert "Neither goes below 1,000 unless fewer were asked." in text


def _help(*command: str) -> str:
    from click.testing import CliRunner

    shown = CliRunner().invoke(main, [*command, "--help"], terminal_width=1000).output
    return " ".join(shown.replace("`", "").split())


def _readme_text() -> str:
    """The README as one line of words, without the backticks of its code spans."""
    return " ".join(README.replace("`", "").split())


def test_every_option_of_every_command_is_in_the_readme_synopsis() -> None:
    synopsis = re.search(r"## Command reference\n\n```\n(.*?)```", README, re.S)
    assert synopsis is not None
    lines = {line.split()[1]: line for line in synopsis.group(1).replace("\n   ", " ").splitlines()}
    for name, command in main.commands.items():
        shown = lines[name] if name != "validate" else lines["analyse"]  # "[same inputs as analyse]"
        for option in (o for p in command.params for o in p.opts if o.startswith("--")):
            assert option in shown, f"README's synopsis of `leadnet {name}` lacks {option}"


def test_the_help_of_the_inputs_says_what_the_readme_says_they_hold() -> None:
    # An audit: --ties said "(source, target[, weight])", though a relation column is read too, and
    # --email named none of the Parquet, TSV and Graph JSON exports the README lists.
    text, analyse = _readme_text(), _help("analyse")
    for kind, columns in (
        ("ties", "source, target (optional relation, weight)"),
        ("survey", "respondent, nominee (optional relation, weight)"),
        ("membership", "person, project (optional role, start, end, effort"),
    ):
        assert f"{kind} {columns}" in text and columns in analyse, kind
    assert "unit, level, manager_id, is_manager, name, email" in text
    assert "person_id (optional unit, level, manager_id, is_manager, name, email)" in analyse
    assert (
        'kind = "email" # headers only: .mbox, a folder of .eml, CSV/TSV or Parquet export, Graph JSON'
        in text
    )
    for export in (".mbox", ".eml", "CSV/TSV", "Parquet", "Graph JSON"):
        assert export in analyse, export


def test_the_help_says_what_each_command_takes_and_what_happens_to_an_existing_out() -> None:
    from leadnet.cli import SAMPLE_NAMES
    from leadnet.samples import SAMPLES

    text = _readme_text()
    assert (
        "an existing one is replaced whole, and only when it holds nothing but an earlier output of "
        "leadnet analyse" in _help("analyse")
    )
    assert "earlier output of leadnet compare" in _help("compare")
    assert (
        "--out is replaced as a whole, so it must be new, empty or an earlier output of the same command"
        in text
    )
    assert "or a project folder of one snapshot, analysed on the fly" in _help("compare")
    assert "or project folders of one snapshot" in text
    assert {name: sample.description for name, sample in SAMPLES.items()} == SAMPLE_NAMES
    for name, description in SAMPLE_NAMES.items():
        assert f"{name}: {description}" in _help("sample")
        assert f"leadnet sample {name} --out DIR" in text
