"""The README documents every command, and shows the two set-up commands."""

import re
from pathlib import Path

from leadnet.cli import main

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
