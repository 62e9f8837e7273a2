"""How the report prints a count of people (leadnet.report.numbers): one helper for all its prose."""

import ast
import re
from pathlib import Path

import pytest

from leadnet.report.answers import silos_answer
from leadnet.report.numbers import people_words, verb_for
from leadnet.report.tables import unmeasured_note

REPORT = Path(__file__).resolve().parents[2] / "src" / "leadnet" / "report"


@pytest.mark.parametrize(
    ("count", "verb", "words"),
    [(1, "have", "1 person has"), (6, "have", "6 people have"), (2752, "have", "2,752 people have"),
     (1, "lead", "1 person leads"), (0, "lead", "0 people lead"), (1, "", "1 person")],
)  # fmt: skip
def test_a_count_of_people_takes_the_verb_that_agrees_with_it(count: int, verb: str, words: str) -> None:
    assert people_words(count, verb) == words


def test_a_verb_apart_from_its_count_agrees_with_it() -> None:
    assert [verb_for(n, "hold") for n in (0, 1, 2)] == ["hold", "holds", "hold"]
    assert [verb_for(n, "are") for n in (1, 3)] == ["is", "are"]


def test_one_bridge_holds_the_most_contacts() -> None:
    # It said "the 1 person listed under Bridges hold the most contacts between units".
    answer = silos_answer({"ei_index": -0.5, "n_communities": 2}, 1)
    assert answer.endswith("; the 1 person listed under Bridges holds the most contacts between units.")
    assert silos_answer({"ei_index": -0.5, "n_communities": 2}, 3).endswith(
        "; the 3 people listed under Bridges hold the most contacts between units."
    )


def test_the_note_on_people_of_no_unit_counts_them_as_the_answers_do() -> None:
    assert unmeasured_note({"n_unknown_unit": 1}).startswith("1 person has no unit in the roster: ")
    assert unmeasured_note({"n_unknown_unit": 1200}).startswith("1,200 people have no unit in the roster: ")
    answer = silos_answer({"n_communities": 2, "n_unknown_unit": 1, "n_unknown_unit_ties": 3}, 0)
    assert answer.endswith(" 1 person has no unit in the roster; the measures between units leave them out.")


def written_by_hand(path: Path) -> list[str]:
    """The text pieces of ``path``'s code (docstrings aside) that count a person or people, or ties, by
    hand (``f"{n:,} tie{'' if n == 1 else 's'}"`` leaves the piece " tie")."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    by_hand = re.compile(r"\b1 person\b|\bperson (has|is)\b|^ ?people (have|are)\b|\b1 tie\b|^ tie$")
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and by_hand.search(node.value)
    ]


@pytest.mark.parametrize("path", sorted(REPORT.glob("*.py")), ids=lambda p: p.name)
def test_the_report_counts_people_and_ties_in_its_prose_only_through_numbers(path: Path) -> None:
    # answers.py and tables.py wrote "1 person has" / "N people have" by hand beside people_words;
    # graph.py and answers.py counted ties by hand beside ties_words.
    if path.name == "numbers.py":
        return
    assert written_by_hand(path) == []


def test_the_network_views_script_pluralises_in_one_place() -> None:
    # report.js chose "person"/"people", "tie"/"ties" and "match"/"matches" each by hand, and wrote the
    # number of matches without thousands separators ("2100 matches"). Its one rule is its counted(),
    # which tests/report/test_browser.py runs against numbers.counted, as it checks the page's words.
    script = (REPORT / "assets" / "report.js").read_text(encoding="utf-8")
    assert len(re.findall(r"[=!<>]=?=?\s*1\s*\?", script)) == 1  # n === 1 ?, n == 1 ?, n > 1 ? ...
