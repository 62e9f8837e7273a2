"""Each source's tie rules, defaults filled in, as a snapshot's provenance records them."""

from datetime import date
from pathlib import Path

import pytest

from leadnet.config import Config, SourceSection
from leadnet.errors import ConfigError
from leadnet.importers.tie_rules import snapshot_rules, source_rules, window
from leadnet.parameters import AnalysisSection

ROOT = Path(".")


def test_an_email_source_records_every_rule_with_the_importers_defaults() -> None:
    mail = SourceSection("email", Path("mail.csv"), snapshot="after", options={"cc_weight": 1})
    config = Config(root=ROOT, sources=(mail,))
    assert source_rules(mail, config) == {
        "file": "mail.csv", "kind": "email", "relation": "email", "min_messages": 2, "cc_weight": 1.0,
        "max_recipients": 25, "require_reciprocity": False, "external": "drop", "internal_domains": [],
        "from": None, "to": None, "window_days": None,
    }  # fmt: skip


def test_a_window_counts_its_days_both_ends_included_and_falls_back_to_the_analysis_period() -> None:
    membership = SourceSection("membership", Path("m.csv"), options={"from": date(2026, 1, 1)})
    config = Config(root=ROOT, analysis=AnalysisSection(period_to=date(2026, 3, 31)))
    rules = source_rules(membership, config)
    assert (rules["from"], rules["to"], rules["window_days"]) == ("2026-01-01", "2026-03-31", 90)
    assert rules["max_project_size"] == 50
    assert window(membership, config) == (date(2026, 1, 1), date(2026, 3, 31))


def test_a_survey_and_a_tie_list_record_their_weight_column_and_direction() -> None:
    survey = SourceSection("survey", Path("s.csv"), columns={"weight": "frequency"})
    ties = SourceSection("ties", Path("t.csv"), relation="trust", options={"directed": False})
    config = Config(root=ROOT)
    assert source_rules(survey, config) == {
        "file": "s.csv", "kind": "survey", "relation": "advice", "layout": "long",
        "weight_column": "frequency",
    }  # fmt: skip
    wide = SourceSection("survey", Path("w.csv"), layout="wide")
    assert (source_rules(wide, config)["layout"], source_rules(wide, config)["weight_column"]) == (
        "wide",
        None,
    )
    assert source_rules(ties, config) == {
        "file": "t.csv", "kind": "ties", "relation": "trust", "weight_column": "weight", "directed": False,
    }  # fmt: skip


def test_a_snapshot_records_its_own_sources_and_a_dated_period_every_dated_source() -> None:
    sources = (
        SourceSection("survey", Path("s1.csv"), snapshot="before"),
        SourceSection("email", Path("mail.csv"), snapshot="main"),
    )
    config = Config(root=ROOT, sources=sources)
    assert [r["file"] for r in snapshot_rules("before", config)] == ["s1.csv"]
    assert [r["file"] for r in snapshot_rules("2026-03", config)] == ["mail.csv"]


def test_a_window_date_that_is_no_date_is_an_error_naming_the_file() -> None:
    source = SourceSection("email", Path("mail.csv"), options={"to": "March"})
    with pytest.raises(ConfigError, match=r'^mail.csv: source option "to" must be a date like 2026-03-31'):
        window(source, Config(root=ROOT))
