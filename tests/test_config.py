from datetime import date
from pathlib import Path

import pytest

from leadnet.config import SourceSection, load_config, with_overrides
from leadnet.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "leadnet.toml").write_text(text, encoding="utf-8")
    return tmp_path


FULL = """
[project]
name = "riverside"
purpose = "Evaluate the 2026 leadership academy"
internal_domains = ["Riverside.example"]

[people]
path = "people.csv"
columns = { person_id = "employee_id", unit = "directorate" }

[[sources]]
kind = "survey"
path = "survey_before.csv"
snapshot = "before"
relation = "advice"
columns = { source = "respondent", target = "nominee" }

[[sources]]
kind = "email"
path = "mail.csv"
snapshot = "after"
max_recipients = 25
min_messages = 2

[programme]
cohort = "cohort.csv"

[analysis]
seed = 7
min_group_size = 8
"""


def test_full_design_example_is_read_with_paths_relative_to_the_file(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, FULL))
    assert config.project.internal_domains == ("riverside.example",)
    assert config.people.path == (tmp_path / "people.csv").resolve()
    assert config.people.columns == {"person_id": "employee_id", "unit": "directorate"}
    assert [s.snapshot for s in config.sources] == ["before", "after"]
    assert config.snapshot_names == ("before", "after")
    assert config.sources[1].options == {"max_recipients": 25, "min_messages": 2}
    assert config.programme is not None and config.programme.before == "before"
    assert (config.analysis.seed, config.analysis.min_group_size) == (7, 8)


def test_flags_override_the_file(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, FULL))
    flag_survey = SourceSection(kind="survey", path=tmp_path / "other.csv")
    changed = with_overrides(
        config, sources=[flag_survey], seed=3, min_group_size=None, period_from=date(2026, 1, 1)
    )
    assert changed.analysis.seed == 3
    assert changed.analysis.min_group_size == 8  # None keeps the file's value
    assert changed.analysis.period_from == date(2026, 1, 1)
    assert [s.path.name for s in changed.sources] == ["mail.csv", "other.csv"]


def test_min_group_size_cannot_go_below_five(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, "[analysis]\nmin_group_size = 3\n"))
    assert str(err.value) == (
        "leadnet.toml [analysis]: min_group_size may be raised but never lowered below 5 (privacy floor). "
        "Got 3 instead."
    )


def test_unknown_key_names_the_valid_ones_and_the_closest(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, "[analysis]\nsed = 1\n"))
    assert str(err.value).startswith(
        'leadnet.toml [analysis]: unknown key "sed" (did you mean "seed"?). Valid keys:'
    )


def test_unknown_source_kind_lists_the_options(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, '[[sources]]\nkind = "slack"\npath = "x.csv"\n'))
    assert str(err.value) == (
        "leadnet.toml [[sources]] #1: kind must be one of survey, email, membership, ties. "
        "Got 'slack' instead."
    )


def test_toml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, "[project]\nname = \n"))
    assert "line 2, column 8" in str(err.value)


def test_missing_config_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path)


def test_a_misspelt_source_option_is_an_error_not_silently_ignored(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, '[[sources]]\nkind = "email"\npath = "m.mbox"\nmax_recipient = 10\n'))
    assert str(err.value).startswith(
        'leadnet.toml [[sources]] #1 (kind "email"): unknown key "max_recipient" '
        '(did you mean "max_recipients"?).'
    )


def test_a_survey_takes_no_email_options(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match='unknown key "min_messages"'):
        load_config(write(tmp_path, '[[sources]]\nkind = "survey"\npath = "s.csv"\nmin_messages = 2\n'))
