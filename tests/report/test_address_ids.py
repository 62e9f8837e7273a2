"""A roster whose ids are e-mail addresses: no page of the report prints an address.

Such an id usually spells the person's name, so the pages show codes (``P1``, ``P2``...,
:func:`leadnet.report.views.person_labels`). An audit found the communities table's Bridges
column, a ``;``-joined list of ids, printing the addresses themselves.

The fixture: three units of eight; in each, everyone asks the next two people of their unit,
and the first three of each unit ask one person of the next unit, so each community has
bridges to list. After the programme the cohort (unit a's first six) asks one more person
of the next unit each.
"""

from pathlib import Path

import pandas as pd
import pytest

from leadnet.config import load_config
from leadnet.errors import LeadnetWarning
from leadnet.pipeline import run_analyse
from leadnet.report.person_cells import people_list
from leadnet.report.tables import frame_table

DOMAIN = "corp.example"
UNITS = ("Alpha", "Beta", "Gamma")
SIZE = 8


def address(unit: int, i: int) -> str:
    return f"first{unit}{i}.last{unit}{i}@{DOMAIN}"


def arcs(after: bool) -> list[tuple[str, str]]:
    ring = [
        (address(u, i), address(u, (i + step) % SIZE))
        for u in range(len(UNITS))
        for i in range(SIZE)
        for step in (1, 2)
    ]
    across = [(address(u, i), address((u + 1) % 3, i)) for u in range(len(UNITS)) for i in range(3)]
    cohort = [(address(0, i), address(1, i + 2)) for i in range(6)] if after else []
    return ring + across + cohort


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("addresses") / "project"
    folder.mkdir()
    roster = "".join(f"{address(u, i)},{unit}\n" for u, unit in enumerate(UNITS) for i in range(SIZE))
    (folder / "people.csv").write_text("person_id,unit\n" + roster, encoding="utf-8")
    for wave in ("before", "after"):
        rows = "".join(f"{a},{b}\n" for a, b in arcs(wave == "after"))
        (folder / f"survey_{wave}.csv").write_text("respondent,nominee\n" + rows, encoding="utf-8")
    cohort = "".join(f"{address(0, i)},cohort\n" for i in range(6))
    (folder / "cohort.csv").write_text("person_id,group\n" + cohort, encoding="utf-8")
    sources = "".join(
        f'[[sources]]\nkind = "survey"\npath = "survey_{wave}.csv"\nsnapshot = "{wave}"\n\n'
        for wave in ("before", "after")
    )
    programme = '[programme]\ncohort = "cohort.csv"\nbefore = "before"\nafter = "after"\n\n'
    toml = f'[people]\npath = "people.csv"\n\n{sources}{programme}[analysis]\npermutations = 20\n'
    (folder / "leadnet.toml").write_text(toml, encoding="utf-8")
    with pytest.warns(LeadnetWarning, match="^24 of 24 person ids are e-mail addresses"):
        run_analyse(load_config(folder), folder.parent / "out")  # the outputs carry them: said
    return folder.parent / "out"


def test_no_page_prints_an_address_or_the_name_it_spells(out: Path) -> None:
    pages = sorted(out.glob("*/index.html"))
    assert [p.parent.name for p in pages] == ["after", "before", "comparison"]
    communities = (out / "before" / "communities.csv").read_text(encoding="utf-8-sig")
    assert f"@{DOMAIN};" in communities  # the CSV keeps the ids, which the page must not print
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert DOMAIN not in text, page
        assert "first0" not in text and "last0" not in text, page


def test_the_bridges_of_a_community_are_shown_by_their_codes(out: Path) -> None:
    text = (out / "before" / "index.html").read_text(encoding="utf-8")
    # Codes in the ids' sorted order: first00 (Alpha) is P1, first10 (Beta) P9, first20 (Gamma) P17.
    assert "<td>P1;P2;P3</td>" in text
    assert "<td>P9;P10;P11</td>" in text
    assert "<td>P17;P18;P19</td>" in text


def test_a_list_of_people_shows_each_by_their_label_an_id_with_a_semicolon_too() -> None:
    labels = {"a@x.org": "P1", "b;c@x.org": "P2", "d": "Dee"}
    assert people_list("a@x.org;b;c@x.org;d", labels) == "P1;P2;Dee"
    assert people_list("<5", labels) == "<5"
    assert people_list("", labels) == ""


def test_a_list_of_people_shows_an_id_it_does_not_know_as_withheld_and_the_rest_by_their_labels() -> None:
    # After an unknown id every later id of the list was printed as it is: "P1;zz@y.org;b@x.org".
    labels = {"a@x.org": "P1", "b@x.org": "P2", "b;c@x.org": "P3"}
    assert people_list("a@x.org;zz@y.org;b@x.org", labels) == "P1;withheld;P2"
    assert people_list("zz@y.org;a@x.org", labels) == "withheld;P1"
    assert people_list("a@x.org;b;c@x.org;zz@y.org", labels) == "P1;P3;withheld"
    assert people_list("zz@y.org", labels) == "withheld"
    assert people_list("<12", labels) == "<12"


def test_a_column_of_one_person_each_shows_an_id_the_labels_do_not_know_as_withheld() -> None:
    # frame_table printed such an id as it is (labels.get(p, p)): an address, where people_list withholds it.
    frame = pd.DataFrame(
        {
            "person_id": ["a@x.org", "zz@y.org", "<5"],
            "source": ["b@x.org", "a@x.org", ""],
            "target": ["qq@y.org", "b@x.org", "<5"],
        }
    )
    table = frame_table(frame, {"a@x.org": "P1", "b@x.org": "P2"})
    assert table.rows == (("P1", "P2", "withheld"), ("withheld", "P1", "P2"), ("<5", "", "<5"))
