"""No figure of a unit shown tells how the people of the hidden units split between them
(report/disclosure.py: split_masks, split_withheld, evidence_shown).

The fixture, worked out by hand: Wards (10), Surgery (8), Finance (6) and Chaplaincy (3);
Chaplaincy is under 5 and Finance is hidden with it, so their 9 people are one pool. Everyone
asks the next person of their unit (a ring). Besides, c02 asks w05, who asks c01; f01 asks w06,
who asks c01; and c03 is a hub: asked by w01, w02, s01, s02 and f02, it asks w03, s03 and f03.

With the Gould–Fernandez counts of w05 and w06 and ``ties.csv``, a reader told c02 and c01
apart from f01: w05's two-path c02 → w05 → c01 is a consultant one (its ends share a unit),
w06's f01 → w06 → c01 a liaison one (they do not). Every other two-path through a person of a
unit shown has an end in a unit shown, and a person of a hidden unit is in none of those, so
its role is known whatever the pool's split.
"""

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from leadnet.cli import main

UNITS = {"Wards": 10, "Surgery": 8, "Finance": 6, "Chaplaincy": 3}
BETWEEN = [("c02", "w05"), ("w05", "c01"), ("f01", "w06"), ("w06", "c01")]
HUB = [(p, "c03") for p in ("w01", "w02", "s01", "s02", "f02")] + [("c03", p) for p in ("w03", "s03", "f03")]
BROKERAGE = ("coordinator", "gatekeeper", "representative", "consultant", "liaison", "total")


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("split") / "project"
    folder.mkdir()
    ids = {unit: [f"{unit[0].lower()}{i:02d}" for i in range(1, n + 1)] for unit, n in UNITS.items()}
    rows = "".join(f"{i},{unit}\n" for unit, members in ids.items() for i in members)
    (folder / "people.csv").write_text("person_id,unit\n" + rows, encoding="utf-8")
    rings = [(m[k], m[(k + 1) % len(m)]) for m in ids.values() for k in range(len(m))]
    arcs = "".join(f"{a},{b}\n" for a, b in rings + BETWEEN + HUB)
    (folder / "survey.csv").write_text("respondent,nominee\n" + arcs, encoding="utf-8")
    files = ["--people", str(folder / "people.csv"), "--survey", str(folder / "survey.csv")]
    result = CliRunner().invoke(main, ["analyse", *files, "--out", str(folder.parent / "out"), "--xlsx"])
    assert result.exit_code == 0, result.output
    return folder.parent / "out"


def people_tables(out: Path) -> list[dict[str, dict[str, str]]]:
    """``people.csv`` and the workbook's ``people`` sheet, by person, every cell as text."""
    text = (out / "people.csv").read_text(encoding="utf-8-sig")
    rows = list(load_workbook(out / "tables.xlsx")["people"].iter_rows(values_only=True))
    sheet = [{str(k): "" if v is None else str(v) for k, v in zip(rows[0], r, strict=True)} for r in rows[1:]]
    return [{r["person_id"]: r for r in table} for table in (list(csv.DictReader(io.StringIO(text))), sheet)]


def test_a_brokers_counts_between_two_people_of_hidden_units_are_withheld(out: Path) -> None:
    for people in people_tables(out):
        brokerage = {p: [people[p][f"brokerage_{role}"] for role in BROKERAGE] for p in ("w05", "w06")}
        # w04 → w05 → w06 coordinator, c02 → w05 → w06 gatekeeper, w04 → w05 → c01 representative, and
        # c02 → w05 → c01 consultant; w06: w05 → w06 → c01 is closed (w05 asks c01), f01 → w06 → c01 liaison
        assert brokerage == {
            "w05": ["1", "1", "1", "<5", "<5", "4"],
            "w06": ["1", "1", "0", "<5", "<5", "3"],
        }
        # two contacts in the pool each: 1 − Σ (k_s/k)² would add 2 for two units, 4 for one
        assert (people["w05"]["participation"], people["w06"]["participation"]) == ("<5", "<5")
        assert (people["w05"]["cross_unit_share"], people["w06"]["cross_unit_share"]) == ("0.5", "0.5")
        # one contact in the pool tells nothing: w01 asks w02 and c03 and is asked by w10
        assert float(people["w01"]["participation"]) == pytest.approx(4 / 9)
        assert [people["w01"][f"brokerage_{role}"] for role in BROKERAGE] == ["1", "0", "1", "0", "0", "2"]
        assert people["c03"]["unit"] == "Units pooled for privacy" and people["c03"]["participation"] == "<5"


def test_the_report_gives_a_hidden_units_boundary_spanner_no_figure_across_units(out: Path) -> None:
    # The list of boundary spanners printed c03's "participation across units 0.74 over 10 ties,
    # 80.0% of ties cross units", figures people.csv shows "<5": beside ties.csv, 2 of c03's 4 arcs
    # with the pool (c02, c01, f02, f03) stay inside its unit, which so holds 3 people or more.
    page = (out / "index.html").read_text(encoding="utf-8")
    people = people_tables(out)[0]
    # An audit then found its "brokerage 21 (z 7.6)" still printed, where people.csv shows its
    # brokerage_total and brokerage_z "<5" too, as every figure made from a hidden unit.
    assert "boundary_spanner" in people["c03"]["roles"]
    assert (people["c03"]["brokerage_total"], people["c03"]["brokerage_z"]) == ("<5", "<5")
    row = "<td>c03</td><td>Units pooled for privacy</td><td>{}</td>"
    assert row.format("brokerage, participation and ties across units withheld for privacy") in page
    assert "participation across units 0." not in page and "of ties cross units" not in page
    assert "brokerage 21" not in page and "(z 7.6)" not in page


def test_the_bridges_take_the_hidden_units_as_one_as_every_output_shows_them(out: Path) -> None:
    # An audit's follow-up: the Bridges table counted c03's contacts with other units by its real
    # unit, 8 of its 10 contacts in ties.csv, so the other 2 (c01, c02) shared its unit, Chaplaincy
    # (3 people); and w05 reached 1 other unit (c02, c01: one unit) where w06 reached 2 (f01, c01).
    # Counted with the pool as one unit, as people.csv and units.csv show it, neither is told.
    page = (out / "index.html").read_text(encoding="utf-8")
    table = page[page.index('<table class="bridges">') :]
    table = table[: table.index("</table>")]
    pool = "Units pooled for privacy"
    rows = [
        ("1", "c03", pool, "6", "2", "yes", "6", "1", "0.600"),
        ("2", "c01", pool, "2", "1", "no", "2", "0", "0.800"),
        ("3", "c02", pool, "1", "1", "no", "1", "0", "0.900"),
        ("4", "f01", pool, "1", "1", "no", "1", "1", "1.000"),
    ]
    assert table.count("<tr><td>") == len(rows)
    for row in rows:
        assert "<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" in table
