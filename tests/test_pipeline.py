"""``leadnet analyse`` end to end as the library runs it: the stages it reports and the folders it writes."""

import re
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

from leadnet.config import load_config
from leadnet.errors import LeadnetWarning
from leadnet.pipeline import analyse_project, run_analyse, run_compare

PEOPLE = "person_id,unit\n" + "".join(f"P{i},{'AB'[i % 2]}\n" for i in range(12))
TIES = "source,target\n" + "".join(f"P{i},P{(i + 1) % 12}\n" for i in range(12))


def project(folder: Path, programme: bool) -> Path:
    folder.mkdir()
    (folder / "people.csv").write_text(PEOPLE, encoding="utf-8")
    (folder / "before.csv").write_text(TIES, encoding="utf-8")
    (folder / "after.csv").write_text(TIES + "P0,P6\n", encoding="utf-8")
    sources = "".join(
        f'[[sources]]\nkind = "ties"\npath = "{wave}.csv"\nsnapshot = "{wave}"\n\n'
        for wave in (("before", "after") if programme else ("before",))
    )
    waves = '[programme]\nbefore = "before"\nafter = "after"\n\n' if programme else ""
    toml = f'[people]\npath = "people.csv"\n\n{sources}{waves}[analysis]\npermutations = 20\n'
    (folder / "leadnet.toml").write_text(toml, encoding="utf-8")
    return folder


def stages_of(folder: Path, out: Path) -> list[str]:
    seen: list[str] = []
    run_analyse(load_config(folder), out, on_stage=lambda stage, seconds: seen.append(stage))
    return seen


def test_the_compare_stage_is_reported_only_when_a_programme_is_compared(tmp_path: Path) -> None:
    # An audit: the progress of a run with no comparison listed "compare: 0.0 s".
    analysis = ["graph", "communities", "centrality", "brokerage", "roles", "leadership", "silos", "summary"]
    one = stages_of(project(tmp_path / "one", programme=False), tmp_path / "out1")
    assert one == ["read inputs", *analysis, "report render", "write files"]
    two = stages_of(project(tmp_path / "two", programme=True), tmp_path / "out2")
    waves = [f"{wave}: {stage}" for wave in ("before", "after") for stage in analysis]
    written = [
        f"{wave}: {stage}" for wave in ("before", "after") for stage in ("report render", "write files")
    ]
    assert two == ["read inputs", *waves, "compare", *written]


def test_a_survey_few_answered_is_warned_of_at_the_terminal_too(tmp_path: Path) -> None:
    # The report's "Read with caution" box was the only place it was said: analyse printed nothing.
    folder = tmp_path / "few"
    folder.mkdir()
    (folder / "people.csv").write_text(PEOPLE, encoding="utf-8")
    (folder / "survey.csv").write_text(
        "respondent,nominee,question\nP0,P1,advice\nP2,P1,advice\n", encoding="utf-8"
    )
    toml = '[people]\npath = "people.csv"\n\n[[sources]]\nkind = "survey"\npath = "survey.csv"\n\n'
    (folder / "leadnet.toml").write_text(toml + "[analysis]\npermutations = 20\n", encoding="utf-8")
    with pytest.warns(LeadnetWarning) as said:
        analysed = analyse_project(load_config(folder))
    cautions = [str(w.message) for w in said if str(w.message).startswith("Only ")]
    assert cautions == analysed.analyses["main"].summary["warnings"]
    assert cautions == [
        "Only 2 of 12 people (16.7%) answered the advice survey: the figures of this report describe the "
        "ties those few named, not how the whole organisation works. With fewer than half answering, most "
        "people's own ties are unseen, and network measures drift far from the whole network's (Smith & "
        "Moody 2013). Read them with great caution, or survey again."
    ]


def address_warnings(run: Callable[..., object], *args: object, **kwargs: object) -> list[str]:
    """The warnings of person ids that are e-mail addresses that ``run(*args, **kwargs)`` gives."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run(*args, **kwargs)
    return [str(w.message) for w in caught if "e-mail address" in str(w.message)]


def test_person_ids_that_are_e_mail_addresses_are_warned_of_once_by_analyse_and_compare(
    tmp_path: Path,
) -> None:
    # The outputs carried the addresses while the README said the saved snapshot/ held none, and nothing
    # said so at the terminal.
    folder = project(tmp_path / "mail", programme=True)
    for name in ("people.csv", "before.csv", "after.csv"):
        text = (folder / name).read_text(encoding="utf-8")
        (folder / name).write_text(re.sub(r"\bP(\d+)", r"p\1@corp.example", text), encoding="utf-8")
    assert address_warnings(run_analyse, load_config(folder), tmp_path / "out") == [
        "12 of 12 person ids are e-mail addresses: people.csv, ties.csv, communities.csv, people_change.csv "
        "and the saved snapshot/ carry them (the report shows codes); --pseudonymise (or pseudonymise = true "
        "in [analysis]) replaces them by keyed pseudonyms"
    ]
    assert address_warnings(
        run_compare,
        tmp_path / "out" / "before",
        tmp_path / "out" / "after",
        tmp_path / "cmp",
        permutations=20,
    ) == [
        "12 of 12 person ids are e-mail addresses: people_change.csv carries them (the report shows codes); "
        "analyse both waves with --pseudonymise and one LEADNET_PSEUDONYM_KEY, and compare those, to replace "
        "them by keyed pseudonyms"
    ]


def test_the_address_warning_names_the_workbook_when_written_and_the_names_when_the_report_shows_them(
    tmp_path: Path,
) -> None:
    # It said "the CSV, JSON and XLSX files ... (the report shows codes)" whatever the run wrote: no
    # JSON file holds the ids, tables.xlsx is written only when asked for, and with show_names the report
    # shows names, and the address of anyone the roster names not.
    folder = project(tmp_path / "named", programme=False)
    roster = "person_id,unit,name\n" + "".join(
        f"p{i}@corp.example,{'AB'[i % 2]},{f'Person {i}' if i else ''}\n" for i in range(12)
    )
    (folder / "people.csv").write_text(roster, encoding="utf-8")
    ties = (folder / "before.csv").read_text(encoding="utf-8")
    (folder / "before.csv").write_text(re.sub(r"\bP(\d+)", r"p\1@corp.example", ties), encoding="utf-8")
    toml = (folder / "leadnet.toml").read_text(encoding="utf-8")
    named = toml.replace('path = "people.csv"\n', 'path = "people.csv"\ncolumns = { name = "name" }\n')
    (folder / "leadnet.toml").write_text(named + "workbook = true\nshow_names = true\n", encoding="utf-8")
    assert address_warnings(run_analyse, load_config(folder), tmp_path / "out") == [
        "12 of 12 person ids are e-mail addresses: people.csv, ties.csv, communities.csv, tables.xlsx and "
        "the saved snapshot/ carry them (the report shows names, and the address of the 1 person without "
        "one); "
        "--pseudonymise (or pseudonymise = true in [analysis]) replaces them by keyed pseudonyms"
    ]
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert '"label": "Person 1",' in page and '"label": "p0@corp.example",' in page  # the network's labels
    assert "p1@corp.example" not in page


def test_person_ids_that_are_codes_give_no_address_warning(tmp_path: Path) -> None:
    assert (
        address_warnings(
            run_analyse, load_config(project(tmp_path / "codes", programme=False)), tmp_path / "out"
        )
        == []
    )
