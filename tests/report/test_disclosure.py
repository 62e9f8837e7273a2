"""No output names a group hidden for privacy, nor lets its people be counted (report/disclosure.py).

The fixture, worked out by hand: 27 people in Wards (10), Surgery (8), Finance (6) and Chaplaincy
(3). Chaplaincy is under 5 and Finance, the next smallest, is hidden with it (9 together).
Levels: the chief executive alone at level 1, six people at level 2 (hidden with it: 7
together), 22 at level 3. Everyone asks the next person of their unit (a ring); w09 and w10
answer nothing and are named by no one: two people with no tie, each a community of one.
"""

import csv
import dataclasses
import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from leadnet.analysis import Analysis, analyse
from leadnet.cli import main
from leadnet.config import AnalysisSection
from leadnet.model import Snapshot
from leadnet.privacy import Hidden
from leadnet.report.disclosure import POOLED_LEVEL, POOLED_UNITS, people_shown
from leadnet.report.exports import people_export
from leadnet.report.render import network_data
from leadnet.report.views import report_view

HIDDEN_NAMES = ("Chaplaincy", "Finance")
UNITS = {"Wards": 10, "Surgery": 8, "Finance": 6, "Chaplaincy": 3}
LEVEL_2 = {"w01", "w02", "s01", "s02", "f01", "c01"}
NO_TIE = {"w09", "w10"}

TOML = """[project]
name = "disclosure"
purpose = "test"

[people]
path = "people.csv"
columns = { person_id = "id", unit = "unit", level = "level", name = "name" }

[[sources]]
kind = "survey"
path = "survey.csv"
relation = "advice"
columns = { source = "respondent", target = "nominee" }

[analysis]
permutations = 0
"""


def roster() -> list[tuple[str, str, str]]:
    """(id, unit, level) of everyone: the chief executive ``ceo`` in Surgery at level 1."""
    rows = [("ceo", "Surgery", "1")]
    for unit, size in UNITS.items():
        ids = [f"{unit[0].lower()}{i:02d}" for i in range(1, size + (unit != "Surgery"))]
        rows += [(i, unit, "2" if i in LEVEL_2 else "3") for i in ids]
    return rows


def survey_arcs(people: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """(respondent, nominee): a ring in each unit, without the two people with no tie, and five across."""
    arcs = []
    for unit in UNITS:
        ring = [i for i, u, _ in people if u == unit and i not in NO_TIE]
        arcs += [(p, ring[(k + 1) % len(ring)]) for k, p in enumerate(ring)]
    return arcs + [("c01", "s01"), ("f01", "w01"), ("s01", "ceo"), ("w02", "f02"), ("ceo", "w03")]


def write_project(folder: Path) -> Path:
    folder.mkdir()
    people = roster()
    lines = ["id,name,unit,level"] + [f"{i},Name {i},{u},{lv}" for i, u, lv in people]
    (folder / "people.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    text = "respondent,nominee\n" + "".join(f"{a},{b}\n" for a, b in survey_arcs(people))
    (folder / "survey.csv").write_text(text, encoding="utf-8")
    (folder / "leadnet.toml").write_text(TOML, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, Path]:
    project = write_project(tmp_path_factory.mktemp("disclosure") / "project")
    folders = {}
    for show_names in (False, True):
        out = project.parent / f"out-{show_names}"
        args = ["analyse", str(project), "--out", str(out), "--xlsx"] + ["--show-names"] * show_names
        result = CliRunner().invoke(main, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        folders[show_names] = out
    return folders


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def sheet(path: Path, title: str) -> list[dict[str, object]]:
    rows = list(load_workbook(path)[title].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def both(out: Path, table: str) -> tuple[list[dict[str, str]], list[dict[str, object]]]:
    """The rows of ``TABLE.csv`` and of the workbook's sheet of that name."""
    return read_csv(out / f"{table}.csv"), sheet(out / "tables.xlsx", table)


def written_texts(out: Path) -> dict[str, bytes]:
    """Every file written, but the saved snapshot (the analyst's input), the workbook's entries apart."""
    texts = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file() and "snapshot" not in p.parts):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                texts |= {f"{path.name}:{name}": book.read(name) for name in book.namelist()}
        else:
            texts[path.name] = path.read_bytes()
    return texts


@pytest.mark.parametrize("show_names", [False, True])
def test_people_csv_and_the_workbook_show_hidden_units_and_levels_as_the_pool(
    outputs: dict[bool, Path], show_names: bool
) -> None:
    for rows in both(outputs[show_names], "people"):
        people = {str(r["person_id"]): r for r in rows}
        assert len(people) == 27
        cells = {p: (people[p]["unit"], people[p]["level"], str(people[p]["community"])) for p in people}
        hidden_units = {"f01", "f02", "f03", "f04", "f05", "f06", "c01", "c02", "c03"}
        assert {p for p in people if cells[p][0] == POOLED_UNITS} == hidden_units
        assert {p for p in people if cells[p][1] == POOLED_LEVEL} == {"ceo"} | LEVEL_2
        assert cells["ceo"][:2] == ("Surgery", POOLED_LEVEL)
        assert cells["c01"][:2] == (POOLED_UNITS, POOLED_LEVEL)
        assert cells["s03"][:2] == ("Surgery", "3") and cells["w03"][:2] == ("Wards", "3")
        # Leiden finds the four rings: Chaplaincy's (3) is hidden, and Finance's (6) with it; the people
        # with no tie are each a community of one
        assert {p for p in people if cells[p][2] == "<5"} == hidden_units | NO_TIE
        assert {cells[p][2] for p in people if p[0] == "s" or p == "ceo"} == {"0"} and cells["w01"][2] == "1"
        # every figure kept: c01 is asked by c03 and asks c02 and s01
        assert str(people["c01"]["in_degree"]) == "1" and str(people["c01"]["out_degree"]) == "2"
        assert ("name" in people["c01"]) is show_names
        # but those made from their unit, which beside ties.csv would tell who shares it (c01's 1 tie out
        # of Chaplaincy, to s01, of its 3 gave 1/3); a unit shown keeps them
        unit_made = (
            "participation",
            "cross_unit_share",
            "brokerage_liaison",
            "brokerage_total",
            "brokerage_z",
        )
        assert {p for p in people if people[p]["cross_unit_share"] == "<5"} == hidden_units
        assert [people["c01"][c] for c in unit_made] == ["<5"] * 5
        assert float(people["s01"]["cross_unit_share"]) == 0.25  # of ceo, c01 (Chaplaincy) → s01 → s02, ceo


@pytest.mark.parametrize("show_names", [False, True])
def test_units_csv_names_no_hidden_unit_and_lists_the_pool_last(
    outputs: dict[bool, Path], show_names: bool
) -> None:
    out = outputs[show_names]
    for rows in both(out, "units"):
        assert [(r["unit"], str(r["size"])) for r in rows] == [
            ("Surgery", "8"), ("Wards", "10"), (POOLED_UNITS, "<5"), (POOLED_UNITS, "<5"),
        ]  # fmt: skip
        assert {str(v) for r in rows[2:] for k, v in r.items() if k != "unit"} == {"<5"}
    reasons = json.loads((out / "summary.json").read_text(encoding="utf-8"))["leadership"]["reasons"]
    assert reasons[f"by_unit[{POOLED_UNITS}]"] == (
        "fewer than 5 people, or hidden with the next smallest so that totals cannot reveal it "
        "(minimum group size 5): figures suppressed"
    )


@pytest.mark.parametrize("show_names", [False, True])
def test_no_output_file_holds_a_hidden_units_name(outputs: dict[bool, Path], show_names: bool) -> None:
    texts = written_texts(outputs[show_names])
    assert {
        "index.html",
        "people.csv",
        "units.csv",
        "summary.json",
        "tables.xlsx:xl/worksheets/sheet1.xml",
    } <= set(texts)
    assert (b"Name c01" in texts["people.csv"]) is show_names
    for name in HIDDEN_NAMES:
        assert [file for file, text in texts.items() if name.encode() in text] == [], name
    assert b"Surgery" in texts["units.csv"] and b"Surgery" in texts["index.html"]


def test_the_saved_snapshot_keeps_the_real_units_for_compare(outputs: dict[bool, Path]) -> None:
    people = Snapshot.load(outputs[False] / "snapshot").people.set_index("person_id")
    assert people["unit"].value_counts().to_dict() == UNITS
    assert people.loc["ceo", "level"] == "1"


def test_nothing_hidden_leaves_the_people_table_as_it_was() -> None:
    people = pd.DataFrame(
        {"person_id": ["a"], "unit": ["Lab"], "level": ["2"], "community": pd.array([0], dtype="Int64")}
    )
    nothing = Hidden(frozenset(), frozenset(), frozenset(), 5)
    pd.testing.assert_frame_equal(people_shown(people, nothing), people)


def analysed() -> Analysis:
    """The fixture analysed as ``leadnet analyse`` does, without its files."""
    people = pd.DataFrame(roster(), columns=["person_id", "unit", "level"])
    people["level_rank"] = people["level"].astype(int)
    ties = pd.DataFrame(survey_arcs(roster()), columns=["source", "target"])
    ties = ties.assign(relation="advice", weight=1.0, count=1)
    return analyse(Snapshot.build("main", people, ties), AnalysisSection(permutations=0))


def test_the_analysis_names_the_groups_it_hides_once_and_every_output_follows_that() -> None:
    analysis = analysed()
    community = analysis.people.set_index("person_id")["community"].astype(str)
    assert analysis.hidden == Hidden(
        units=frozenset(HIDDEN_NAMES),
        levels=frozenset({"1", "2"}),  # the chief executive alone, and the next smallest level (6)
        communities=frozenset(community[["c01", "f01", *NO_TIE]]),  # Chaplaincy's and Finance's rings
        k=5,
    )
    # The writers read that decision, and work out none of their own: told that level 3 is hidden
    # too, people.csv, the level table and the network view all hide it.
    levels = dataclasses.replace(analysis.hidden, levels=frozenset({"1", "2", "3"}))
    told = dataclasses.replace(analysis, hidden=levels)
    assert set(people_export(told)["level"]) == {POOLED_LEVEL}
    assert {row[2] for row in report_view(told).levels.rows} == {"<5"}
    nodes = network_data(told, show_names=False)["nodes"]
    assert {node["title"].split("\n")[2] for node in nodes} == {f"Level: {POOLED_LEVEL}"}
