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
