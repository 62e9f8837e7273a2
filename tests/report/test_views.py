from pathlib import Path

import pandas as pd
import pytest
from report_fixtures import cliques, make_analysis, org, snapshot_of

import unknown_units as unknown
from leadnet import __version__
from leadnet.analysis import analyse
from leadnet.config import AnalysisSection
from leadnet.model import InputRecord, Snapshot
from leadnet.privacy import levels_to_suppress, suppressed_groups
from leadnet.report.exports import write_csv
from leadnet.report.figures import headline_figures
from leadnet.report.render import render_report
from leadnet.report.tables import frame_table, level_table, role_lists
from leadnet.report.views import (
    person_labels,
    programme_answer,
    report_view,
    shared_answer,
    silos_answer,
)

NO_TIES = pd.DataFrame({"person_id": [f"a{i}" for i in range(6)], "unit": "Ops"})
SUMMARY = {
    "n_people": 1200,
    "n_ties": 54_321,
    "density": 0.0451234,
    "reciprocity": 0.3349,
    "centralization_in_degree": 0.1216,
    "gini_in_degree": 0.4104,
    "leadership_share_outside_top": 0.6234,
    "n_informal_leaders": 17,
    "n_boundary_spanners": 9,
    "n_communities": 6,
    "modularity": 0.5125,
    "nmi_units_communities": 0.7449,
    "ei_index": -0.6201,
}


def test_headline_figures_are_the_summary_values_rounded_for_display() -> None:
    shown = {f.key: f.value for f in headline_figures(SUMMARY)}
    assert shown["density"] == "0.045"
    assert shown["n_ties"] == "54,321"
    assert shown["ei_index"] == "-0.620"
    for key, value in SUMMARY.items():
        assert float(shown[key].replace(",", "")) == pytest.approx(value, abs=0.0005), key


def test_every_headline_figure_has_a_plain_words_sentence() -> None:
    figures = {f.key: f.sentence for f in headline_figures(SUMMARY, "advice", top_levels=2)}
    assert figures["density"] == "4.5% of all possible ties exist."
    outside = figures["leadership_share_outside_top"]
    assert outside == "62.3% of nominations go to people outside the top 2 levels."
    assert all(figures.values())


def test_a_figure_that_could_not_be_computed_says_so() -> None:
    figures = {f.key: f for f in headline_figures({"density": None})}
    assert figures["density"].value == "n/a"
    assert figures["density"].sentence.startswith("Not computed")


def test_without_a_comparison_the_programme_question_says_so() -> None:
    assert programme_answer(None) == "No comparison in this report."
    view = report_view(make_analysis(org({"A": 6, "B": 7})))
    assert view.answers[3].question == "Did the programme change practice?"
    assert view.answers[3].answer == "No comparison in this report."


def test_labels_are_pseudonyms_unless_names_are_shown() -> None:
    people = pd.DataFrame({"person_id": ["p1", "p2"], "name": ["Ann Lee", "Bo Ek"]})
    assert person_labels(people, show_names=False).to_dict() == {"p1": "p1", "p2": "p2"}
    assert person_labels(people, show_names=True).to_dict() == {"p1": "Ann Lee", "p2": "Bo Ek"}
    no_names = people.drop(columns="name")
    assert person_labels(no_names, show_names=True).to_dict() == {"p1": "p1", "p2": "p2"}


def test_a_level_of_three_and_the_next_smallest_level_show_no_figures() -> None:
    by_level = pd.DataFrame(
        {
            "level": ["Board", "Heads", "Staff", "Leads"],
            "level_rank": [1, 2, 4, 3],
            "size": [3, 7, 40, 9],
            "mean_in_degree": [None, None, 2.5, 3.25],
        }
    )
    people = by_level.loc[by_level.index.repeat(by_level["size"])]  # one row per person
    hidden = levels_to_suppress(people["level"], people["level_rank"].to_numpy(dtype=float))
    assert hidden == ("Board", "Heads")  # in rank order, as the table's rows
    rows = {r[0]: r for r in level_table(by_level, hidden).rows}
    assert rows["Board"] == ("Board", "1", "<5", "<5")
    assert rows["Heads"] == ("Heads", "2", "<5", "<5")
    assert rows["Staff"] == ("Staff", "4", "40", "2.500")
    assert rows["Leads"] == ("Leads", "3", "9", "3.250")


def test_role_lists_give_each_person_the_rule_and_evidence() -> None:
    reasons = pd.DataFrame(
        {
            "person_id": ["p9", "p2", "p2"],
            "role": ["overload_risk", "informal_leader", "boundary_spanner"],
            "rule": [
                "top in-degree carrying 20% of ties",
                "in-degree top 5%, not a manager",
                "participation >= 0.62",
            ],
            "evidence": ["in_degree=31", "in_degree=12", "participation=0.71"],
        }
    )
    lists = role_lists(reasons, {"p2": "Ann", "p9": "p9"}, {"p2": "Lab", "p9": "Surgery"})
    assert [(r.title, r.count) for r in lists] == [
        ("Informal leaders", 1),
        ("Boundary spanners", 1),
        ("Overload risk", 1),
    ]
    assert lists[0].table.rows == (("Ann", "Lab", "in_degree=12"),)
    assert lists[0].rule == "in-degree top 5%, not a manager"  # stated once, above the table
    assert lists[2].table.rows == (("p9", "Surgery", "in_degree=31"),)
    assert lists[2].rule == "top in-degree carrying 20% of ties"


def test_the_footer_states_sources_period_k_row_counts_version_and_seed() -> None:
    inputs = (
        InputRecord("people.csv", "people", "a" * 64, 30, 30, 0),
        InputRecord("survey.csv", "survey", "b" * 64, 120, 117, 3),
    )
    snapshot = snapshot_of(org({"A": 6}).people, inputs=inputs)
    footer = report_view(make_analysis(snapshot), show_names=True).footer
    assert (footer.rows_read, footer.rows_accepted, footer.rows_rejected) == ("150", "147", "3")
    assert [s.sha256 for s in footer.sources] == ["a" * 64, "b" * 64]
    assert footer.sources[1].rows == "120 read, 117 accepted, 3 rejected"
    assert (footer.k, footer.seed, footer.version, footer.period) == (5, 0, __version__, "not dated")
    assert footer.purpose == "Evaluate the 2026 leadership academy"
    assert footer.names_shown is True


def test_units_suppressed_by_the_analysis_are_listed_from_their_size_text() -> None:
    analysis = make_analysis(org({"Surgery": 8, "Theatres": 6, "Lab": 12, "Tiny": 3}))
    assert suppressed_groups(analysis.units) == ("Theatres", "Tiny")
    view = report_view(analysis)
    rows = view.units.rows  # the hidden units last, unnamed
    assert [r[0] for r in rows] == ["Lab", "Surgery", "Units pooled for privacy", "Units pooled for privacy"]
    assert set(rows[2][1:]) == set(rows[3][1:]) == {"<5"}
    assert rows[1][1] == "8"
    assert view.units_withheld == (
        "Units pooled for privacy: 2 units under 5 people, or hidden with one so that totals cannot reveal "
        "it, named in no table; their people are counted together wherever a unit is shown."
    )


def test_long_role_lists_show_the_strongest_25_and_count_the_rest() -> None:
    reasons = pd.DataFrame(
        {
            "person_id": [f"p{i:02d}" for i in range(30)],
            "role": "boundary_spanner",
            "rule": "r",
            "evidence": "e",
        }
    )
    spanners = role_lists(reasons, {}, {})[1]
    assert (spanners.count, spanners.more, len(spanners.table.rows)) == (30, 5, 25)
    assert spanners.table.rows[0][0] == "p00"  # the order the roles module gives (strongest first)


def test_the_answers_of_a_network_without_ties_show_no_n_a_and_read_as_sentences() -> None:
    view = report_view(analyse(snapshot_of(NO_TIES)))
    for answer in view.answers:
        assert "n/a" not in answer.answer
        assert " is cannot " not in answer.answer
    assert "cannot be measured" in view.answers[0].answer


def test_a_network_without_ties_counts_people_alone_as_communities_and_says_so() -> None:
    # With no tie the analysis counted each of the 6 people as a community of one (n_communities
    # 6). Beside that 6 the page said "working clusters of two or more people found in the ties
    # (Leiden, seeded); 6 people with no tie, not counted", and the silos answer "6 communities".
    # Now there are none (0), the 6 are the people with no tie, and the answer says why.
    view = report_view(analyse(snapshot_of(NO_TIES)))
    figure = next(f for f in view.figures if f.key == "n_communities")
    assert (figure.value, figure.sentence) == (
        "0", "working clusters of two or more people found in the ties (Leiden, seeded); 6 people with "
        "no tie, not counted.",
    )  # fmt: skip
    assert view.answers[2].answer == (
        "Ties inside against across units cannot be measured (one unit, or no ties); no working clusters, "
        "as there are no ties; no one holds contacts between units."
    )


def test_the_answers_about_one_person_show_no_n_a_and_count_one_person() -> None:
    # Density is not computed for fewer than 2 people: the shared answer ended "density n/a.",
    # under the subtitle "1 people, period not dated".
    view = report_view(analyse(snapshot_of(pd.DataFrame({"person_id": ["a0"], "unit": "Ops"}))))
    assert view.subtitle == "1 person, period not dated"
    assert view.answers[0].answer == (
        "How widely people are sought out cannot be measured (no ties, every in-degree is 0); 0 people lead "
        "without a management role; density not computed (fewer than 2 people)."
    )
    assert all("n/a" not in answer.answer for answer in view.answers)


def test_one_community_is_one_community() -> None:
    text = silos_answer({"ei_index": 0.09, "n_communities": 1, "nmi_units_communities": 0.0}, 1, 1.0)
    assert "; 1 community, matching the formal units 0.000 out of 1 (NMI); " in text


def test_one_informal_leader_is_one_person_who_leads() -> None:
    text = shared_answer({"gini_in_degree": 0.2, "n_informal_leaders": 1, "density": 0.1})
    assert "1 person leads without" in text


def test_the_bridges_sentence_states_what_the_ranked_list_holds() -> None:
    # The Bridges table is a top-10 ranking: its length is not a count of people who keep units together.
    text = silos_answer({"ei_index": -0.6, "n_communities": 8, "nmi_units_communities": 0.9}, 10, 0.258)
    assert "would otherwise split apart" not in text
    assert "10 people listed under Bridges would cut 25.8% of contacts between units" in text


def test_the_not_computed_note_names_figures_as_the_page_labels_them() -> None:
    view = report_view(analyse(snapshot_of(NO_TIES)))
    labels = {f.label for f in view.figures if f.value == "n/a"}
    named = {reason.split(":")[0] for reason in view.reasons}
    assert labels <= named


def test_a_unit_p_value_below_0_001_shows_as_less_than_not_as_zero() -> None:
    units = pd.DataFrame(
        {"unit": ["Lab"], "ei_index": [-0.8], "ei_p_value": [9.999e-05], "ei_p_holm": [4e-4]}
    )
    table = frame_table(units, {})
    assert table.rows == (("Lab", "-0.800", "<0.001", "<0.001"),)
    assert table.columns == ("Unit", "E-I index", "E-I p-value", "E-I p, Holm-adjusted")


def test_a_unit_p_value_just_under_0_05_shows_below_it_as_a_sentence_would() -> None:
    # The scorecard printed 0.0499 (below 0.05, more inward than chance) as 0.050, the figure
    # the programme page's sentences keep for p = 0.05 exactly, called chance.
    units = pd.DataFrame(
        {"unit": ["Lab", "Ops"], "ei_p_value": [0.0496, 0.05], "ei_p_holm": [500 / 10_001, 0.0504]}
    )
    assert frame_table(units, {}).rows == (("Lab", "0.0496", "0.049995"), ("Ops", "0.050", "0.050"))


def test_role_and_bridge_tables_name_no_unit_whose_figures_are_suppressed() -> None:
    # "Tiny" (3 people) and the next smallest unit "B" (7) are hidden in the scorecard and
    # pooled in the network view; the role and bridge tables named them.
    analysis = make_analysis(
        org({"A": 9, "B": 7, "Tiny": 3}),
        reasons=pd.DataFrame(
            {"person_id": ["p2000"], "role": ["informal_leader"], "rule": ["r"], "evidence": ["in_degree=2"]}
        ),  # fmt: skip
        bridges=pd.DataFrame({"person_id": ["p1000", "p0000"], "unit": [1, 0]}),
    )
    assert suppressed_groups(analysis.units) == ("B", "Tiny")
    view = report_view(analysis)
    assert view.roles[0].table.rows == (("p2000", "Units pooled for privacy", "in_degree=2"),)
    assert [row[1] for row in view.bridges.rows] == ["Units pooled for privacy", "A"]


def test_ids_that_are_e_mail_addresses_are_not_shown_without_show_names() -> None:
    people = pd.DataFrame({"person_id": ["mei.taylor@x.org", "E2", "bo.li@x.org"], "name": ["Mei", "", "Bo"]})
    assert person_labels(people, show_names=False).to_dict() == {
        "mei.taylor@x.org": "P3", "E2": "P1", "bo.li@x.org": "P2",
    }  # fmt: skip
    assert person_labels(people, show_names=True).to_list() == ["Mei", "E2", "Bo"]


def test_the_communities_table_lists_people_with_no_tie_on_one_row() -> None:
    view = report_view(analyse(cliques({"a": 6, "b": 5}, lone=5)))
    assert [row[:2] for row in view.communities.rows] == [("0", "6"), ("1", "5"), ("no tie", "5")]


def ranked_org() -> pd.DataFrame:
    """Unit A: a0 at level 1 alone, a1..a5 at level 3, all asking a0. Unit B: b0..b4 at level 1,
    b5..b9 at level 3; b5..b9 ask b0 and b0 asks b5, so 1 of B's 6 nominations goes below the top."""
    ranks = [1] + [3] * 5 + [1] * 5 + [3] * 5
    return pd.DataFrame(
        {
            "person_id": [f"a{i}" for i in range(6)] + [f"b{i}" for i in range(10)],
            "unit": ["A"] * 6 + ["B"] * 10,
            "level": [f"L{r}" for r in ranks],
            "level_rank": ranks,
        }
    )


def ranked_ties(arcs: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(arcs, columns=["source", "target"]).assign(relation="advice", weight=1.0)


def test_a_units_share_withheld_for_privacy_shows_less_than_k_in_units_csv_and_the_report(
    tmp_path: Path,
) -> None:
    # units.csv left A's cell empty, as for a figure not computed, where the scorecard said
    # "withheld" and every other suppressed cell of the file shows <5.
    arcs = [(f"a{i}", "a0") for i in range(1, 6)] + [(f"b{i}", "b0") for i in range(5, 10)] + [("b0", "b5")]
    analysis = analyse(snapshot_of(ranked_org(), ranked_ties(arcs)), AnalysisSection(permutations=0))
    shares = analysis.units.set_index("unit")["leadership_share_outside_top"]
    assert shares["A"] == "<5" and shares["B"] == pytest.approx(1 / 6)
    write_csv(analysis.units, tmp_path / "units.csv")
    cells = pd.read_csv(tmp_path / "units.csv", dtype=str, encoding="utf-8-sig").set_index("unit")
    assert cells.loc["A", "leadership_share_outside_top"] == "<5"
    view = report_view(analysis)
    rows = {r[0]: r for r in view.units.rows}
    assert (rows["A"][-1], rows["B"][-1]) == ("<5", "0.167")
    assert view.units_withheld == (
        "Withheld for privacy: Influence outside the top: in the unit, either the top 2 levels or the "
        "people below them number fewer than 5, and the share would give back figures about fewer than 5 "
        "people (minimum group size)."
    )


def test_a_headline_share_withheld_for_privacy_says_so_and_is_not_listed_as_not_computed() -> None:
    # Unit A alone: a0 is the top; 1 − share of the 5 ties would be a0's 5 nominations.
    people = ranked_org().iloc[:6]
    arcs = [(f"a{i}", "a0") for i in range(1, 6)]
    view = report_view(analyse(snapshot_of(people, ranked_ties(arcs)), AnalysisSection(permutations=0)))
    figure = next(f for f in view.figures if f.key == "leadership_share_outside_top")
    assert (figure.value, figure.sentence) == ("withheld", "Withheld for privacy (see the note below).")
    assert view.answers[1].answer.startswith(
        "The share of nominations outside the top 2 formal levels is withheld for privacy: either the top 2 "
        "levels or the people below them number fewer than 5"
    )
    assert view.withheld.startswith(
        "Withheld for privacy: Influence outside the top, Influence score (PageRank) outside the top and "
        "People outside the top: either the top 2 levels"
    )
    assert not [reason for reason in view.reasons if "withheld" in reason]


def test_the_roles_note_says_whose_brokerage_is_not_computed_as_people_csv_leaves_it_empty() -> None:
    view = report_view(analyse(unknown.snapshot()))  # x1 and x2 have no unit in the roster
    assert view.unmeasured == (
        "2 people have no unit in the roster: their brokerage, participation and cross-unit share are "
        "not computed (empty in people.csv), so they are never boundary spanners."
    )
    assert report_view(analyse(unknown.snapshot(unknown.KNOWN))).unmeasured == ""


def test_the_roles_note_says_a_non_respondents_brokerage_and_constraint_are_not_computed() -> None:
    people = pd.DataFrame({"person_id": list("abcds"), "unit": list("AAABB")})
    ties = pd.DataFrame({"source": list("adabc"), "target": list("ssbcd"), "relation": "advice"})
    view = report_view(analyse(Snapshot.build("main", people, ties, non_respondents={"advice": ("s",)})))
    assert view.unmeasured == (
        "1 person did not answer the advice survey: their brokerage, constraint and effective size are not "
        "computed (empty in people.csv), since those rest on the ties a person names. Everyone else's are "
        "measured without the ties non-respondents would have named (nothing is imputed), which tends to "
        "raise brokerage against chance and so the number of boundary spanners."
    )


def test_a_network_with_no_tie_of_any_relation_names_no_relation_it_does_not_have() -> None:
    # An e-mail log that gave no tie (or any source without ties) leaves the snapshot no relation;
    # the page said "0" beside "advice ties: one person turning to another", a survey never run.
    view = report_view(analyse(snapshot_of(NO_TIES)))
    figure = next(f for f in view.figures if f.key == "n_ties")
    assert (figure.value, figure.sentence) == ("0", "ties: one person turning to another.")


def test_with_everyone_in_the_top_levels_the_share_outside_them_is_n_a_with_the_reason() -> None:
    # Two units whose people are all Heads (level 1) or Staff (level 2), the top 2 levels: the page
    # showed "0.000" and "0% of nominations go to people outside the top 2 levels", summary.json and
    # units.csv 0.0, though there is no one outside the top to hold a share.
    analysis = analyse(org({"Ops": 8, "Lab": 8}))
    summary = analysis.summary
    at_top = "is in the top 2 levels, so no one is outside them to hold a share (top_levels in leadnet.toml "
    why = f"everyone with a known level {at_top}sets how many levels count as the top)"
    in_unit = f"everyone with a known level in this unit {at_top}sets how many levels count as the top)"
    assert summary["leadership_share_outside_top"] is None
    assert summary["reasons"]["leadership_share_outside_top"] == why
    lead = summary["leadership"]
    assert (lead["pagerank_share_outside_top"], lead["people_share_outside_top"]) == (None, 0.0)
    assert lead["reasons"]["by_unit[Ops].leadership_share_outside_top"] == in_unit
    assert analysis.units["leadership_share_outside_top"].isna().all()
    view = report_view(analysis)
    figure = next(f for f in view.figures if f.key == "leadership_share_outside_top")
    assert (figure.value, figure.sentence) == ("n/a", "Not computed for this network (see the note below).")
    assert f"Influence outside the top: {why}" in view.reasons
    assert view.answers[1].answer == f"Cannot tell: {why}."
    assert [row[-1] for row in view.units.rows] == ["n/a", "n/a"]
    assert view.units_not_computed == f"Influence outside the top is n/a for Lab and Ops: {in_unit}."
    page = render_report(analysis)
    assert f'<p class="note">Influence outside the top is n/a for Lab and Ops: {in_unit}.</p>' in page


def test_a_network_with_no_tie_labels_no_one_peripheral_and_says_why() -> None:
    # Every one of the six people with no tie was "peripheral" in people.csv and the network view.
    analysis = analyse(snapshot_of(NO_TIES))
    assert analysis.people["roles"].tolist() == [""] * 6
    why = "no one has a tie, and periphery is defined by the ties of others: no one is labelled peripheral"
    assert (analysis.summary["n_peripheral"], analysis.summary["reasons"]["n_peripheral"]) == (None, why)
    assert f"Peripheral people: {why}" in report_view(analysis).reasons
    assert f"Peripheral people: {why};" in render_report(analysis)


def test_every_role_is_stated_with_its_rule_and_count_in_the_report_and_summary() -> None:
    # central_connector and formal_leader_low_reach were labels of people.csv and the tooltips with
    # no rule on the page (which stated only informal leaders, boundary spanners and overload risk)
    # and no count in summary.json.
    people = pd.DataFrame(
        {"person_id": [f"p{i:02d}" for i in range(20)], "unit": ["Lab"] * 10 + ["Ops"] * 10}
    )
    people["manager_id"] = ["p10"] + [""] * 19  # p10 manages p00 and is sought by no one
    ties = pd.DataFrame(
        [(f"p{i:02d}", "p00") for i in range(1, 10)]
        + [(f"p{i:02d}", f"p{i + 1:02d}") for i in range(10, 19)],
        columns=["source", "target"],
    ).assign(relation="advice", weight=1.0)
    analysis = analyse(snapshot_of(people, ties))
    summary = analysis.summary
    counts = (
        summary["n_central_connectors"],
        summary["n_formal_leaders_low_reach"],
        summary["n_overload_risk"],
    )
    assert counts == (1, 1, 1)  # p00 (in-degree 9 of 18 ties); p10, a manager below the median 0.5
    page = render_report(analysis)
    table = page.split('<table class="role-rules">', 1)[1].split("</table>", 1)[0]
    assert "<td>Central connector</td><td>1</td>" in table
    assert "<td>in-degree + out-degree in the top 5%</td>" in table
    assert "<td>Formal leader low reach</td><td>1</td>" in table
    assert "<td>a manager whose in-degree is below the median (0.5)</td>" in table
    assert table.count("<tr>") == 7  # the header and the six roles


def test_a_survey_fewer_than_half_answered_warns_on_the_report_and_in_summary_json() -> None:
    # One answer among 600 people (E0001 names E0002): the report said "1 person leads without a
    # management role", "Clusters vs units 0.481" and "Most ties stay inside units (E-I index
    # -1.000)" with no word that 599 of the 600 had not answered.
    people = pd.DataFrame({"person_id": [f"E{i:04d}" for i in range(1, 601)], "unit": ["Lab", "Ops"] * 300})
    ties = pd.DataFrame({"source": ["E0001"], "target": ["E0003"], "relation": "advice", "weight": 3.0})
    silent = tuple(sorted(set(people["person_id"]) - {"E0001"}))
    snapshot = Snapshot.build("main", people, ties, non_respondents={"advice": silent})
    analysis = analyse(snapshot, AnalysisSection(permutations=0))
    warning = (
        "Only 1 of 600 people (0.2%) answered the advice survey: the figures of this report describe the "
        "ties those few named, not how the whole organisation works."
    )
    assert len(analysis.summary["warnings"]) == 1 and analysis.summary["warnings"][0].startswith(warning)
    assert analysis.summary["n_informal_leaders"] == 0  # one nomination makes no leader
    page = render_report(analysis)
    box = page.split('<div class="warning" id="data-warnings">')[1].split("</div>")[0]
    assert f"<strong>Read with caution.</strong> {warning}" in box
    assert page.index('id="data-warnings"') < page.index('<div class="answers">')


def test_a_survey_half_answered_or_more_gives_no_warning() -> None:
    people = pd.DataFrame({"person_id": list("abcdef"), "unit": "Ops"})
    ties = pd.DataFrame({"source": list("abc"), "target": list("bca"), "relation": "advice", "weight": 1.0})
    snapshot = Snapshot.build("main", people, ties, non_respondents={"advice": ("d", "e", "f")})
    analysis = analyse(snapshot, AnalysisSection(permutations=0))
    assert analysis.summary["warnings"] == []
    assert 'id="data-warnings"' not in render_report(analysis)
