import base64
import hashlib
import html as html_lib
import json
import re

import numpy as np
import pandas as pd
import pytest
from report_fixtures import XSS, make_analysis, org, snapshot_of, with_outside

from leadnet import __version__
from leadnet.analysis import analyse
from leadnet.config import AnalysisSection
from leadnet.model import InputRecord
from leadnet.report import render_report
from leadnet.report.charts import heatmap_chart
from leadnet.report.disclosure import POOLED_UNITS
from leadnet.report.render import heatmap_view, network_data
from leadnet.report.tables import ei_p_note

SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def without_scripts(text: str) -> str:
    """The page with the two inline libraries' code removed (vis-network mentions <img and <link)."""
    return SCRIPT.sub("<script></script>", text)


def page(**kwargs: object) -> str:
    return render_report(
        make_analysis(org({"Surgery": 8, "Theatres": 6, "Lab": 12, "Tiny": 3}, names=True)), **kwargs
    )


def test_the_page_requests_nothing_from_the_network() -> None:
    text = page()
    assert re.search(r"(src|href)=\"https?:", text) is None
    assert "<script src" not in text and "<link" not in without_scripts(text)
    assert "content=\"default-src 'none'; script-src 'sha256-" in html_lib.unescape(text)


def test_the_csp_allows_exactly_the_inline_scripts_of_the_page() -> None:
    text = page()
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', text).group(1)
    allowed = set(re.findall(r"'sha256-([^']+)'", html_lib.unescape(csp)))
    scripts = SCRIPT.findall(text)
    assert len(scripts) == 3  # vis-network, report.js and tables.js; the graph data is a JSON block
    found = {base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in scripts}
    assert found == allowed


def test_vis_network_is_inlined_from_pyvis() -> None:
    assert "vis-network" in SCRIPT.findall(page())[0][:400]


def test_graph_data_is_the_json_block_and_round_trips() -> None:
    analysis = make_analysis(org({"A": 6, "B": 7}))
    text = render_report(analysis)
    block = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', text, re.S).group(1)
    assert json.loads(block) == json.loads(json.dumps(network_data(analysis, show_names=False)))


def test_headline_figures_in_the_page_equal_the_summary() -> None:
    analysis = make_analysis(org({"A": 6, "B": 7}), summary={"density": 0.0451234, "ei_index": -0.62})
    text = render_report(analysis)
    assert re.search(r'data-key="density">.*?<div class="value">0.045</div>', text)
    assert re.search(r'data-key="ei_index">.*?<div class="value">-0.620</div>', text)
    assert "No comparison in this report." in text


def test_the_footer_states_purpose_sources_period_k_counts_version_and_seed() -> None:
    inputs = (InputRecord("survey.csv", "survey", "c0ffee" * 10 + "abcd", 120, 117, 3),)
    analysis = make_analysis(snapshot_of(org({"A": 6}).people, inputs=inputs))
    footer = render_report(analysis).split("<footer>")[1]
    for fact in ("Evaluate the 2026 leadership academy", "c0ffee" * 10 + "abcd", "not dated",
                 "120 read, 117 accepted, 3 rejected", f"leadnet</strong> {__version__}, seed 0",
                 "<strong>Minimum group size (k):</strong> 5"):  # fmt: skip
        assert fact in footer, fact
    assert "Names shown" not in footer


def test_names_appear_only_with_show_names() -> None:
    hidden, shown = page(), page(show_names=True)
    assert "Name p0000" not in hidden
    assert "Name p0000" in shown
    assert 'id="names-shown">Names shown' in shown


def test_a_unit_of_three_and_the_next_smallest_unit_show_no_figures_nor_their_names() -> None:
    # Theatres is the next smallest (6), so totals cannot reveal Tiny; named, each row said which
    # unit is small, and the names sorted among the others said where.
    for show_names in (False, True):
        text = page(show_names=show_names)
        rows = scorecard_table(text)
        assert [r[0] for r in rows] == ["Lab", "Surgery", POOLED_UNITS, POOLED_UNITS]
        assert set(rows[2][1:]) == set(rows[3][1:]) == {"&lt;5"}
        assert rows[1][1] == "8"
        assert "Tiny" not in text and "Theatres" not in text
    graph = network_data(
        make_analysis(org({"Surgery": 8, "Theatres": 6, "Lab": 12, "Tiny": 3})), show_names=False
    )
    titles = {n["label"]: n["title"] for n in graph["unitGraph"]["nodes"]}
    assert "Tiny" not in titles and "Theatres" not in titles  # drawn as one pool, of 9
    assert titles["Units pooled for privacy"].split("\n")[1] == "9 people"


def test_the_unit_scorecard_says_to_read_the_holm_adjusted_p_value() -> None:
    # Only the column's label named the adjusted p-value; nothing said which one to read.
    text = render_report(make_analysis(org({"Surgery": 8, "Theatres": 6, "Lab": 12}), permutations=99))
    after = text.split('<table class="units">')[1].split("</table></div>")[1].split("<h3>")[0]
    assert (
        '<p class="note">E-I p-value tests each unit alone, so with many units some fall below 0.05 '
        "by chance: read E-I p, Holm-adjusted, the same p adjusted across the network&#39;s units "
        "(Holm 1979).</p>"
    ) in after


def test_no_note_points_to_an_adjusted_p_value_when_none_was_computed() -> None:
    # With no permutation run (or every unit withheld) the adjusted column is all n/a; the note still
    # told readers to read it.
    units = pd.DataFrame(
        {"unit": ["Lab", "Ops"], "ei_p_value": [np.nan, np.nan], "ei_p_holm": [np.nan, "<5"]}
    )
    assert ei_p_note(units) == ""
    assert ei_p_note(units.assign(ei_p_holm=[0.04, "<5"])).startswith("E-I p-value tests each unit alone")


def test_xss_payloads_in_names_and_units_are_escaped_everywhere() -> None:
    # Units of 5, each shown: a unit hidden for privacy is named nowhere on the page.
    ids = [f"p{i}" for i in range(15)]
    people = pd.DataFrame({"person_id": ids, "unit": [XSS[i % 3] for i in range(15)]})
    people["name"] = [XSS[(i + 1) % 3] for i in range(15)]
    ties = pd.DataFrame({"source": ["p0", "p1", "p2", "p3"], "target": ["p1", "p2", "p3", "p0"]})
    analysis = make_analysis(snapshot_of(people, ties.assign(relation="advice", weight=1.0)))
    for show_names in (False, True):
        text = render_report(analysis, show_names=show_names)
        for payload in XSS:
            assert payload not in text
        markup = without_scripts(text)
        assert "<img" not in markup and "<svg onload" not in markup
        assert "&lt;img src=x onerror=window.__xss=1&gt;" in markup  # shown as text (tables, chart labels)
        assert text.count("</script>") == 4  # three scripts and the graph data


@pytest.mark.parametrize(
    ("people", "ties"),
    [
        (pd.DataFrame({"person_id": [], "unit": []}), None),
        (pd.DataFrame({"person_id": ["a", "b"], "unit": ["x", "y"]}), None),
        (pd.DataFrame({"person_id": ["a"], "unit": ["x"]}), None),
        (
            pd.DataFrame({"person_id": list("hijkl"), "unit": "x"}),
            pd.DataFrame({"source": list("ijkl"), "target": "h", "relation": "advice", "weight": 1.0}),
        ),
    ],
    ids=["empty", "no-ties", "one-person", "star"],
)
def test_degenerate_networks_render_with_no_data_notes(
    people: pd.DataFrame, ties: pd.DataFrame | None
) -> None:
    text = render_report(make_analysis(snapshot_of(people, ties)))
    assert text.startswith("<!DOCTYPE html>")
    if people["unit"].nunique() < 2:
        assert "No data: fewer than two units." in text
    if ties is None:
        assert "No data: no one received a tie." in text


def test_the_same_analysis_renders_byte_identical_pages() -> None:
    analysis = make_analysis(org({"A": 6, "B": 7}))
    assert render_report(analysis) == render_report(analysis)


def scorecard_table(text: str) -> list[list[str]]:
    scorecard = text.split('<table class="units">')[1].split("</table>")[0]
    return [re.findall(r"<td>(.*?)</td>", row) for row in scorecard.split("<tr>")[2:]]


def scorecard_rows(text: str) -> dict[str, list[str]]:
    return {r[0]: r[1:] for r in scorecard_table(text)}


def test_the_report_fixture_leaves_the_pooled_outside_world_out_of_the_units_as_analyse_does() -> None:
    # make_analysis suppressed the pooled outside world "(external)" as a unit of one, and with it,
    # by complementary suppression, A (6 people): report tests saw "<5" where a real report shows A.
    pooled = with_outside(org({"A": 6, "B": 7}), {"p0001": 1, "p1002": 2})
    fixture, real = make_analysis(pooled), analyse(pooled, AnalysisSection(permutations=0))
    rows = scorecard_rows(render_report(fixture))
    assert list(rows) == ["A", "B"]
    assert rows["A"][:4] == ["6", "6", "1", "-0.714"] and rows["B"][:4] == ["7", "7", "1", "-0.750"]
    pd.testing.assert_frame_equal(fixture.units, real.units)
    assert fixture.block_density.index.tolist() == ["A", "B"]  # no row for the outside world
    assert fixture.communities["size"].tolist() == [6, 7]  # nor a community
    assert fixture.people.set_index("person_id")["community"].isna().to_dict() == {
        pid: pid == "external" for pid in fixture.people["person_id"]
    }
    assert fixture.summary["n_people"] == real.summary["n_people"] == 13


def test_analysed_unit_of_three_and_next_smallest_show_no_figures_anywhere() -> None:
    analysis = analyse(org({"Surgery": 8, "Theatres": 6, "Lab": 12, "Tiny": 3}))
    text = render_report(analysis)
    rows = scorecard_table(text)
    assert [r[0] for r in rows] == ["Lab", "Surgery", POOLED_UNITS, POOLED_UNITS]
    assert set(rows[2][1:]) == set(rows[3][1:]) == {"&lt;5"}
    assert rows[0][1] == "12" and rows[1][1] == "8"
    heatmap = text.split('id="heatmap"')[1].split("</svg>")[0]
    assert heatmap.count("&lt;5</text>") == 16 - 4  # every cell in a Tiny or Theatres row or column
    labels = re.findall(r'rotate\(-90\)">([^<]*)</text>', heatmap)  # the columns, hidden ones last
    assert labels == ["Lab", "Surgery", POOLED_UNITS, POOLED_UNITS]
    assert "Tiny" not in text and "Theatres" not in text
    graph = network_data(analysis, show_names=False)
    assert "Tiny" not in graph["units"] and "Theatres" not in graph["units"]
    assert not [n for n in graph["nodes"] if "Tiny" in n["title"] or "Theatres" in n["title"]]


def test_with_every_unit_hidden_the_heatmap_is_not_drawn_and_says_why() -> None:
    # --min-group-size 1000: every cell read "<1000" under a colour scale from -0.100 to 0.100 with
    # nothing on it, and the note said only "Darker = denser ties."
    settings = AnalysisSection(min_group_size=1000, permutations=0)
    text = render_report(analyse(org({"Surgery": 8, "Theatres": 6, "Lab": 12}), settings))
    heatmap = text.split('id="heatmap"')[1].split("</div>")[0]
    assert "<svg" not in heatmap
    assert (
        "Not drawn: every unit has fewer than 1000 people, or is hidden with the next smallest, so no "
        "density of ties between units can be shown (minimum group size 1000)."
    ) in heatmap
    assert set(sum(scorecard_rows(text).values(), [])) == {"&lt;1000"}


def test_analysed_bridges_show_the_unit_by_name() -> None:
    text = render_report(analyse(org({"Surgery": 8, "Theatres": 6, "Lab": 12})))
    bridges = text.split('<table class="bridges">')[1].split("</table>")[0]
    assert "<td>p0000</td><td>Surgery</td>" in bridges  # p0000 heads the first unit, Surgery


def test_the_heatmap_of_a_large_organisation_says_it_holds_the_60_largest_units() -> None:
    sizes = {f"Unit {u:02d}": 5 + (u == 60) for u in range(61)}  # Unit 60 is the largest
    analysis = analyse(org(sizes))
    assert len(analysis.block_density) == 60
    assert "Unit 60" in analysis.block_density.index and "Unit 59" not in analysis.block_density.index
    text = render_report(analysis)
    assert "The 60 largest of 61 units." in text
    assert "largest of" not in page()


def test_the_heatmap_counts_the_rosters_units_not_people_of_no_unit_or_the_outside_world() -> None:
    # 60 units, all in the heatmap, beside 5 people of no unit and the pooled outside world: the note
    # said "The 60 largest of 62 units.", counting the blank unit and "(external)" as units.
    sizes = {"": 5} | {f"Unit {u:02d}": 5 for u in range(60)}
    analysis = analyse(with_outside(org(sizes), {"p1000": 1}), AnalysisSection(permutations=0))
    assert len(analysis.block_density) == 60
    assert heatmap_view(analysis)["note"] == heatmap_chart(analysis.block_density, [], 5).note
    more = analyse(with_outside(org(sizes | {"Unit 60": 6}), {"p1000": 1}), AnalysisSection(permutations=0))
    assert heatmap_view(more)["note"].startswith("The 60 largest of 61 units. ")


def test_headings_do_not_skip_a_level() -> None:
    text = render_report(make_analysis(org({"Surgery": 8, "Lab": 12})))
    levels = [int(h) for h in re.findall(r"<h([1-6])[ >]", text)]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_a_page_labels_its_people_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # the labels are a pass over every id (a second of a million-person report): the network
    # view and the tables share one
    from leadnet.report import render, views

    calls, labels = [], views.person_labels

    def counted(people: pd.DataFrame, *, show_names: bool) -> pd.Series:
        calls.append(len(people))
        return labels(people, show_names=show_names)

    monkeypatch.setattr(render, "person_labels", counted)
    monkeypatch.setattr(views, "person_labels", counted)
    text = page()
    assert calls == [29] and "Surgery" in text
