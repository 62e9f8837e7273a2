"""tables.xlsx: the analyst tables, formula-safe, read back as text, byte-identical run to run."""

import time
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from leadnet.analysis import analyse
from leadnet.config import AnalysisSection
from leadnet.model import Snapshot
from leadnet.report.workbook import write_workbook

PAYLOADS = ('=HYPERLINK("http://x")', "+44 1234", "-cmd", "@SUM(A1)", "\tTab")


@pytest.fixture(scope="module")
def analysis() -> object:
    people = pd.DataFrame(
        {
            "person_id": [f"p{i}" for i in range(8)],
            "unit": ["Lab"] * 4 + ["Ward"] * 4,
            "name": [*PAYLOADS, "Ann", "Bo", "Cy"],
        }  # fmt: skip
    )
    ties = pd.DataFrame(
        {"source": [f"p{i}" for i in range(8)], "target": [f"p{(i + 1) % 8}" for i in range(8)]}
    )
    settings = AnalysisSection(permutations=0, show_names=True)
    return analyse(Snapshot.build("main", people, ties.assign(relation="advice")), settings)


def test_the_workbook_has_one_sheet_per_table(analysis: object, tmp_path: Path) -> None:
    write_workbook(analysis, tmp_path / "tables.xlsx")
    book = load_workbook(tmp_path / "tables.xlsx")
    assert book.sheetnames == ["people", "units", "communities", "ties", "rejected", "summary"]
    people = book["people"]
    assert [c.value for c in people[1]][:3] == ["person_id", "name", "unit"]
    assert people.max_row == 9
    assert [c.value for c in book["ties"][1]] == ["source", "target", "relation", "weight", "count"]
    assert book["ties"].max_row == 9


def test_a_formula_name_is_stored_as_text_with_a_leading_quote(analysis: object, tmp_path: Path) -> None:
    write_workbook(analysis, tmp_path / "tables.xlsx")
    people = load_workbook(tmp_path / "tables.xlsx")["people"]
    names = [people.cell(row=r, column=2) for r in range(2, 7)]
    assert names[0].value == '\'=HYPERLINK("http://x")'
    assert names[0].data_type == "s"  # a string, not a formula ("f")
    assert [c.value for c in names[1:]] == ["'+44 1234", "'-cmd", "'@SUM(A1)", "'\tTab"]
    assert all(c.data_type == "s" for c in names)


def test_numbers_stay_numbers_and_missing_values_are_empty(analysis: object, tmp_path: Path) -> None:
    write_workbook(analysis, tmp_path / "tables.xlsx")
    book = load_workbook(tmp_path / "tables.xlsx")
    header = [c.value for c in book["people"][1]]
    row = [c.value for c in book["people"][2]]
    assert row[header.index("in_degree")] == 1 and isinstance(row[header.index("pagerank")], float)
    summary = {r[0].value: r[1].value for r in book["summary"].iter_rows(min_row=2)}
    assert summary["n_people"] == 8 and summary["n_ties"] == 8
    assert summary["density"] == pytest.approx(8 / 56)
    assert "provenance.generated_at" not in summary
    assert summary["provenance.seed"] == 0


def test_the_same_analysis_writes_byte_identical_workbooks(analysis: object, tmp_path: Path) -> None:
    write_workbook(analysis, tmp_path / "a.xlsx")
    time.sleep(1.1)  # openpyxl stamps the save time to the second: it must not reach the file
    write_workbook(analysis, tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_control_characters_xml_cannot_hold_are_replaced(tmp_path: Path) -> None:
    people = pd.DataFrame({"person_id": ["a\x01b", "\x00c"], "unit": ["x", "x"]})
    ties = pd.DataFrame({"source": [], "target": [], "relation": []})
    write_workbook(analyse(Snapshot.build("main", people, ties)), tmp_path / "t.xlsx")
    cells = [c.value for c in load_workbook(tmp_path / "t.xlsx")["people"]["A"]][1:]
    assert cells == ["'\ufffdc", "a\ufffdb"]
