"""Findings of a review of the rendered reports: each test failed before its fix."""

import re

import numpy as np
import pandas as pd
from report_fixtures import make_analysis, org, snapshot_of

from leadnet.analysis import analyse
from leadnet.report import render_report
from leadnet.report.charts import cell_text, forest_chart, heatmap_chart, lorenz_chart
from leadnet.report.graph import graph_data
from leadnet.report.tables import frame_table
from leadnet.report.views import report_view, shared_answer, silos_answer

NO_TIES = pd.DataFrame({"person_id": [f"a{i}" for i in range(6)], "unit": "Ops"})


def test_a_unit_p_value_below_0_001_shows_as_less_than_not_as_zero() -> None:
    units = pd.DataFrame({"unit": ["Lab"], "ei_index": [-0.8], "ei_p_value": [9.999e-05]})
    assert frame_table(units, {}).rows == (("Lab", "-0.800", "<0.001"),)


def test_the_answers_of_a_network_without_ties_show_no_n_a_and_read_as_sentences() -> None:
    view = report_view(analyse(snapshot_of(NO_TIES)))
    for answer in view.answers:
        assert "n/a" not in answer.answer
        assert " is cannot " not in answer.answer
    assert "cannot be measured" in view.answers[0].answer


def test_one_informal_leader_is_one_person_who_leads() -> None:
    text = shared_answer({"gini_in_degree": 0.2, "n_informal_leaders": 1, "density": 0.1})
    assert "1 person leads without" in text


def test_the_bridges_sentence_states_what_the_ranked_list_holds() -> None:
    # The Bridges table is a top-10 ranking: its length is not a count of people who keep units together.
    text = silos_answer({"ei_index": -0.6, "n_communities": 8, "nmi_units_communities": 0.9}, 10, 0.258)
    assert "would otherwise split apart" not in text
    assert "10 people listed under Bridges would cut 26% of contacts between units" in text


def test_the_not_computed_note_names_figures_as_the_page_labels_them() -> None:
    view = report_view(analyse(snapshot_of(NO_TIES)))
    labels = {f.label for f in view.figures if f.value == "n/a"}
    named = {reason.split(":")[0] for reason in view.reasons}
    assert labels <= named


def test_charts_are_images_with_a_text_alternative() -> None:
    blocks = pd.DataFrame([[0.5, 0.1], [0.2, 0.4]], index=["A", "B"], columns=["A", "B"])
    forest = forest_chart(["Ties"], [1.0], [0.5], [1.5])
    for chart in (lorenz_chart([0, 2, 1]), heatmap_chart(blocks), forest):
        assert chart.svg is not None
        opening = chart.svg.split(">", 1)[0]
        assert 'role="img"' in opening
        assert re.search(r'aria-label="[^"]{20,}"', opening)


def test_heatmap_cells_keep_small_densities_apart_from_zero() -> None:
    assert cell_text(0.0014) == "0.001"
    assert cell_text(0.0) == "0"


def test_heatmap_text_on_the_darkest_cells_is_white() -> None:
    blocks = pd.DataFrame([[0.9, 0.0], [0.0, 0.05]], index=["A", "B"], columns=["A", "B"])
    svg = heatmap_chart(blocks).svg or ""
    dark = re.search(r'<text[^>]*style="[^"]*fill: ?#ffffff[^"]*"[^>]*>0\.900</text>', svg)
    assert dark is not None


def test_headings_do_not_skip_a_level() -> None:
    text = render_report(make_analysis(org({"Surgery": 8, "Lab": 12})))
    levels = [int(h) for h in re.findall(r"<h([1-6])[ >]", text)]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_the_network_data_names_the_suppressed_units_and_the_ties_per_person() -> None:
    people = pd.DataFrame(
        {"person_id": list("abcd"), "unit": ["x", "x", "y", "y"], "level": "", "in_degree": 0,
         "out_degree": 0, "community": 0, "roles": ""}
    )  # fmt: skip
    ties = pd.DataFrame({"source": ["a"], "target": ["c"], "weight": [1.0]})
    data = graph_data(people, ties, list("abcd"), hidden_units=["y"], min_group_size=5)
    assert data["hiddenUnits"] == [1]
    assert data["k"] == 5
    assert data["ties"]["perPerson"] == 3
    assert np.isfinite(data["ties"]["shown"])
