"""The programme page: figures equal comparison.json, privacy, safety and the footer."""

import base64
import hashlib
import html as html_lib
import re
from datetime import UTC, date, datetime

import pandas as pd
import pytest
from programme_fixtures import SHA_AFTER, SHA_BEFORE, compare_listed, people, programme, snapshot, waves
from report_fixtures import XSS

from leadnet import __version__
from leadnet.analysis import analyse
from leadnet.compare import compare
from leadnet.config import AnalysisSection
from leadnet.model import Period, Snapshot
from leadnet.privacy import suppressed_groups
from leadnet.report.programme import JACCARD_WARNING, cohort_ties, order_note, programme_view
from leadnet.report.render import render_comparison

SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


@pytest.fixture(scope="module")
def riverside_like() -> tuple:
    return programme()


@pytest.fixture(scope="module")
def page(riverside_like: tuple) -> str:
    return render_comparison(*riverside_like)


def table_rows(text: str, name: str) -> list[list[str]]:
    body = text.split(f'<table class="{name}">')[1].split("</table>")[0]
    return [re.findall(r"<td>(.*?)</td>", row) for row in body.split("<tr>")[2:]]


def test_the_did_table_shows_comparison_json_rounded(riverside_like: tuple, page: str) -> None:
    comparison = riverside_like[0].to_dict()
    effect = comparison["cohort"]["cross_unit_out_ties"]
    assert (effect["did"], effect["ci_low"], effect["ci_high"], effect["p_value"]) == (1.0, 1.0, 1.0, 0.005)
    rows = {r[0]: r[1:] for r in table_rows(page, "effects")}
    assert list(rows) == ["Cross-unit ties", "Brokerage (pairs linked)", "Sought out (in-degree)",
                          "Network constraint", "Personal E-I index"]  # fmt: skip
    assert rows["Cross-unit ties"] == ["+1.0", "+0.0", "+1.0", "1.0 to 1.0", "0.005", "10 / 30"]


def test_each_finding_has_a_plain_words_sentence(page: str) -> None:
    findings = re.findall(r"<li>(.*?)</li>", page.split('id="findings"')[1].split("</ul>")[0])
    assert findings[0] == (
        "Programme participants gained 1.0 more cross-unit advice ties than the comparison group "
        "(likely range 1.0 to 1.0, 95% CI; p = 0.005); unlikely to be chance."
    )
    assert len(findings) == 5 + 2  # one per metric, the cohort's new ties, the churn
    assert findings[-1] == (
        "Among the 40 people in both snapshots, 40 ties were kept, 10 formed and 0 dissolved; 80.0% of "
        "these ties were in both snapshots (tie overlap, Jaccard index 0.800)."
    )


def test_the_page_says_which_measure_is_primary_and_how_the_others_are_judged(page: str) -> None:
    # The note said "serial gatekeeping: Dmitrienko & Tamhane 2007; ... FDA guidance" to an executive:
    # it now says it in plain words, and the statistician's words are the Method at the foot of the page.
    note = html_lib.unescape(
        page.split('<section id="cohort">')[1].split('<p class="note">')[1].split("</p>")[0]
    )
    assert note.endswith(
        "Cross-unit ties are the main measure, judged first: a difference counts as beyond chance when "
        "p < 0.05. The other measures are judged only if it is, on p-values adjusted for testing several at "
        "once (Holm), which keeps the chance of a false alarm on any of them at 5% or less; otherwise they "
        "are not judged. The table's likely ranges (95% CIs) and p-values are not adjusted."
    )
    assert "gatekeeping" not in note and "FDA" not in note
    footer = html_lib.unescape(page.split("<footer>")[1])
    assert (
        "Judging the measures: cross-unit ties first, at p < 0.05 on their own p-value; the other "
        "measures only when that difference is beyond chance, on p-values adjusted together by Holm's "
        "step-down method (Holm 1979), each at adjusted p < 0.05. This fixed order (serial gatekeeping: "
        "Dmitrienko & Tamhane 2007; Bretz et al. 2009; FDA guidance on multiple endpoints, 2022) keeps the "
        "chance of a false alarm on any of the measures at 5% or less; the table's intervals and p-values "
        "are not adjusted."
    ) in footer


def test_the_forest_plot_is_inline_svg_with_one_panel_per_measure(page: str) -> None:
    forest = page.split('id="forest"')[1].split("</div>")[0]
    assert forest.lstrip(">\n").startswith("<svg")
    for label in ("Cross-unit ties", "Brokerage (pairs linked)", "Network constraint"):
        assert f">{label}<" in forest or label in forest
    assert "dashed line: no difference" in forest


def test_tie_churn_and_qap_equal_comparison_json(riverside_like: tuple, page: str) -> None:
    c = riverside_like[0].to_dict()
    rows = {r[0]: r[1] for r in table_rows(page, "churn")}
    assert rows["Formed"] == str(c["ties_formed"]) == "10"
    assert rows["Dissolved"] == "0" and rows["Kept"] == "40" and rows["Hamming distance"] == "10"
    assert rows["Tie overlap (Jaccard)"] == f"{c['jaccard']:.3f}" == "0.800"
    assert rows["QAP correlation"] == f"r = {c['qap_r']:.3f}, p = 0.005 (one-sided)"
    assert 'id="jaccard-warning"' not in page


def test_a_jaccard_below_0_3_shows_the_warning() -> None:
    comparison, before, after = programme(jumble=True)
    assert comparison.jaccard < 0.3
    text = render_comparison(comparison, before, after)
    assert f'<p class="warning" id="jaccard-warning">{html_lib.escape(JACCARD_WARNING)}</p>' in text


def test_cohort_ties_within_against_to_others(page: str) -> None:
    # The cohort is all of Surgery: a shuffle of the labels within units moves nobody, so there is no
    # comparison with colleagues of the same units and no p (the binomial test gave 9/39 and p = 1).
    assert table_rows(page, "cohort-ties") == [["10", "0", "10", "0.0%", "n/a", "n/a"]]
    assert (
        "Participants formed 10 new ties: 0 with other participants and 10 with everyone else. Not compared "
        "with colleagues within the same units: no unit holds both participants and other people "
        "in both snapshots, so no participant can be compared with a colleague of their unit. Most new ties "
        "reach beyond the programme."
    ) in html_lib.unescape(page)


def test_network_figures_before_after_and_change(riverside_like: tuple, page: str) -> None:
    metrics = riverside_like[0].to_dict()["metrics"]
    rows = {r[0]: r[1:] for r in table_rows(page, "network")}
    assert rows["Ties"] == [str(metrics["n_ties"]["before"]), str(metrics["n_ties"]["after"]), "+10"]
    assert rows["People"] == ["40", "40", "+0"]


def test_a_suppressed_cohort_card_says_withheld_not_a_p_value_under_5() -> None:
    # The headline card of a cohort of 3 read "<5" and "95% CI <5; p-value <5": a p-value below 5.
    comparison, before, after = programme(cohort_size=3)
    text = render_comparison(comparison, before, after)
    card = text.split('data-key="did">')[1].split("</div></div>")[0]
    assert '<div class="value">withheld</div>' in card
    assert (
        "Withheld for privacy: fewer than 5 people in the cohort or the comparison group have this "
        "figure in both snapshots."
    ) in card
    assert "p-value" not in card and "CI" not in card


def test_a_cohort_under_k_shows_withheld_with_a_reason_that_names_no_small_count() -> None:
    comparison, before, after = programme(cohort_size=3)
    text = render_comparison(comparison, before, after)
    rows = table_rows(text, "effects")
    assert all(r[1:] == ["withheld"] * 5 + ["&lt;5 / withheld"] for r in rows)  # 37 comparison people
    assert "Cohort figures not shown: the cohort or the comparison group has fewer than 5 people." in text
    assert "Cross-unit ties: not shown, because fewer than 5 people in the cohort" in text
    cohort_parts = text.split('<section id="cohort">')[1].split('<section id="churn">')[0]
    cohort_parts += text.split('<section id="units">')[1].split("</section>")[0]
    words = re.sub(r"<svg.*?</svg>", "", cohort_parts, flags=re.S)
    assert "3 stayers" not in text and not re.search(r"\b(3|7|37)\b", words)  # no group's size
    forest = text.split('id="forest"')[1].split("</svg>")[0]  # withheld, as the table's cells say
    assert "&lt;5" not in forest and forest.count(">withheld<") == 5
    units = text.split('<section id="units">')[1].split("</section>")[0]
    assert "Not shown: a cohort figure concerns fewer than 5 people, so the groups are not listed." in units
    assert set(comparison.people_change["group"]) <= {"withheld", "other"}


def test_units_breakdown_is_suppressed_column_by_column(page: str) -> None:
    # The 10 participants all work in Surgery: every row has a count under 5 (the other units'
    # 0 participants, Surgery's 0 comparison people), so no row shows its split.
    rows = {r[0]: r[1:] for r in table_rows(page, "units")}
    assert rows == {u: ["10", "&lt;5", "&lt;5"] for u in ("Estates", "Finance", "Lab", "Surgery")}


def test_a_unit_never_shows_the_comparison_count_beside_a_hidden_cohort_count() -> None:
    roster = people(units=("A", "B", "C"), size=12)
    ids = roster["person_id"]
    cohort = [*ids[:6], *ids[12:18], *ids[24:27]]  # 6 in A, 6 in B, 3 in C
    rows = {r[0]: r[1:] for r in programme_view(*compare_listed(roster, cohort)).units.rows}
    assert rows["C"] == ("12", "<5", "<5")  # 12 − 9 comparison would give C's 3 participants
    assert rows["A"] == ("12", "<5", "<5")  # the next smallest row (A and B tie at 12; A first)
    assert rows["B"] == ("12", "6", "6")


def test_a_unit_the_first_snapshot_hides_is_counted_in_the_pool_not_named() -> None:
    # Chaplaincy (3) and Finance (6, hidden with it) show <5 in the first snapshot's tables; named here
    # with their people, the page gave back what the report hides (and Finance's 6, Chaplaincy's 3).
    sizes = {"Wards": 12, "Lab": 12, "Finance": 6, "Chaplaincy": 3}
    roster = pd.DataFrame(
        [(f"p{u}{i:02d}", unit) for u, (unit, n) in enumerate(sizes.items()) for i in range(n)],
        columns=["person_id", "unit"],
    )
    ids = roster["person_id"]
    comparison, before, after = compare_listed(roster, [*ids[:6], *ids[12:18]])  # 6 in Wards, 6 in Lab
    rows = programme_view(comparison, before, after).units.rows
    assert rows == (
        ("Lab", "12", "<5", "<5"),  # the next smallest row to the pool's hidden split
        ("Units pooled for privacy", "9", "<5", "<5"),
        ("Wards", "12", "6", "6"),
    )
    text = render_comparison(comparison, before, after)
    assert "Chaplaincy" not in text and "Finance" not in text


def test_a_unit_only_the_second_snapshot_hides_is_counted_in_the_pool_too() -> None:
    # Annex has 6 people before and 3 after (3 moved to Surgery): the after report hides it, and Lab
    # (12, the next smallest) with it; the page counts both under the pool, named by neither report.
    sizes = {"Wards": 12, "Lab": 12, "Surgery": 12, "Annex": 6}
    before_roster = pd.DataFrame(
        [(f"p{u}{i:02d}", unit) for u, (unit, n) in enumerate(sizes.items()) for i in range(n)],
        columns=["person_id", "unit"],
    )
    after_roster = before_roster.assign(unit=before_roster["unit"].mask(before_roster.index >= 39, "Surgery"))
    ids = before_roster["person_id"]
    cohort = [*ids[:6], *ids[24:30]]  # 6 in Wards, 6 in Surgery
    settings = AnalysisSection(permutations=0)
    before = analyse(snapshot("before", before_roster, waves(before_roster, cohort)[0], SHA_BEFORE), settings)
    after = analyse(snapshot("after", after_roster, waves(after_roster, cohort)[1], SHA_AFTER), settings)
    assert suppressed_groups(before.units) == () and suppressed_groups(after.units) == ("Annex", "Lab")
    comparison = compare(
        before, after, pd.DataFrame({"person_id": cohort, "group": "cohort"}), permutations=9
    )
    assert programme_view(comparison, before, after).units.rows == (
        ("Surgery", "12", "<5", "<5"),  # the next smallest row to the pool's hidden split
        ("Units pooled for privacy", "18", "<5", "<5"),
        ("Wards", "12", "6", "6"),
    )


def test_the_footer_names_both_snapshots_sources_k_seed_and_permutations(page: str) -> None:
    footer = page.split("<footer>")[1]
    for fact in (SHA_BEFORE, SHA_AFTER, "survey_before.csv", "survey_after.csv",
                 "<strong>Minimum group size (k):</strong> 5", "<strong>Permutations:</strong> 199",
                 "<strong>seed</strong> 0", f"leadnet</strong> {__version__}",
                 "Evaluate the 2026 leadership academy", "Snapshot before", "Snapshot after"):  # fmt: skip
        assert fact in footer, fact
    assert "Names shown" not in footer


def without_scripts(text: str) -> str:
    return SCRIPT.sub("<script></script>", text)


def test_the_page_is_self_contained_with_a_csp_of_its_script_hashes(page: str) -> None:
    assert re.search(r"(src|href)=\"https?:", page) is None
    assert "<link" not in page and "<script src" not in page
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    csp = html_lib.unescape(csp)
    assert csp.startswith("default-src 'none'; script-src 'sha256-")
    allowed = set(re.findall(r"'sha256-([^']+)'", csp))
    found = {base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in SCRIPT.findall(page)}
    assert found == allowed and len(found) == 2  # programme.js, tables.js


def test_the_same_comparison_renders_byte_identical_pages(riverside_like: tuple, page: str) -> None:
    assert render_comparison(*riverside_like) == page


def test_xss_payloads_in_names_and_units_are_escaped() -> None:
    roster = people(units=XSS + ("Plain",), names=XSS)
    comparison, before, after = programme(roster=roster)
    for show_names in (False, True):
        text = render_comparison(comparison, before, after, show_names=show_names)
        for payload in XSS:
            assert payload not in text
        markup = without_scripts(text)
        assert "<img" not in markup and "<svg onload" not in markup
        assert "<td>&lt;img src=x onerror=window.__xss=1&gt;</td>" in markup  # the unit, as text
        assert text.count("</script>") == 2  # programme.js, tables.js


def test_without_a_cohort_the_page_says_so() -> None:
    comparison, before, after = programme()
    plain = compare(before, after, permutations=99)
    view = programme_view(plain, before, after)
    assert view.effects == ()
    assert view.effects_note.startswith("No cohort was given")
    text = render_comparison(plain, before, after)
    assert "No data: no cohort figures." in text
    assert comparison.to_dict()["cohort"] is not None


def test_the_cohort_ties_verdict_weighs_the_share_against_chance() -> None:
    # 36% of participants' new ties link participants, against 7.6% of the others': "most new ties
    # reach beyond the programme" alone read as if they had not turned to each other.
    new_ties = {"within_cohort_new": 63, "to_others_new": 113, "within_cohort_share": 0.358,
                "others_to_cohort_share": 0.0759, "within_cohort_difference": 0.282,
                "within_cohort_p": 1 / 10_001}  # fmt: skip
    sentence = cohort_ties({"cohort_ties": new_ties}, 5)[1]
    assert sentence.split(". ", 1)[1] == (
        "35.8% of participants' new ties went to other participants, against 7.6% of other colleagues' new "
        "ties (tested by shuffling who took part within the same units): they turned to each other more "
        "than others turned to them (p < 0.001), and most new ties reach beyond the programme."
    )


def test_a_wave_few_answered_is_warned_of_on_the_programme_page_and_in_comparison_json() -> None:
    # The before wave's own report opened with "Read with caution": 10 of 40 people answered. The
    # programme page, whose changes rest on that wave, said nothing of it, nor did comparison.json.
    roster = people()
    ties_before, ties_after = waves(roster, [])
    answered = set(roster["person_id"][:10])
    silent = tuple(sorted(set(roster["person_id"]) - answered))
    named = ties_before[ties_before["source"].isin(answered)]
    few = Snapshot.build("before", roster, named, non_respondents={"advice": silent})
    before = analyse(few, AnalysisSection(permutations=0))
    after = analyse(snapshot("after", roster, ties_after, SHA_AFTER), AnalysisSection(permutations=0))
    comparison = compare(before, after, permutations=99)
    warning = (
        "Only 10 of 40 people (25.0%) answered the advice survey: the figures of this report describe the "
        "ties those few named, not how the whole organisation works. With fewer than half answering, most "
        "people's own ties are unseen, and network measures drift far from the whole network's (Smith & "
        "Moody 2013). Read them with great caution, or survey again."
    )
    assert before.summary["warnings"] == [warning] and after.summary["warnings"] == []
    records = comparison.to_dict()["snapshots"]
    assert (records["before"]["warnings"], records["after"]["warnings"]) == ([warning], [])
    text = render_comparison(comparison, before, after)
    box = text.split('<div class="warning" id="data-warnings">')[1].split("</div>")[0]
    escaped = html_lib.escape(warning, quote=False).replace("'", "&#39;")  # as Jinja escapes it
    assert box == f"\n<p><strong>Read with caution.</strong> Snapshot before: {escaped}</p>\n"
    assert text.index('id="data-warnings"') < text.index('id="findings"')
    assert 'id="data-warnings"' not in render_comparison(*programme())  # every wave answered


def test_with_too_few_permutations_for_a_likely_range_the_page_says_why_none_is_shown() -> None:
    # With --permutations 19 the card read "likely range n/a to n/a (95% CI); p = 0.050", and the note
    # above the table "each likely range (95% CI) leaves out 0 exactly when p < 0.05" of no range at all.
    view = programme_view(*programme(permutations=19))
    assert view.figures[0].sentence == (
        "Cross-unit ties, per participant vs the comparison group; no likely range (95% CI): needs at least "
        "20 permutations for a 95% interval; p = 0.050."
    )
    assert view.effects_note == (
        "10 participants and 30 comparison people are in both snapshots (comparison group: all other "
        "stayers). Change = after − before per person; DiD = the cohort's mean change − the comparison "
        "group's; p-values from 19 label permutations (two-sided); no likely range (95% CI) could be "
        "computed: needs at least 20 permutations for a 95% interval. Cross-unit ties are the main measure, "
        "judged first: a difference counts as beyond chance when p < 0.05. The other measures are judged "
        "only if it is, on p-values adjusted for testing several at once (Holm), which keeps the chance of a "
        "false alarm on any of them at 5% or less; otherwise they are not judged. The table's p-values are "
        "not adjusted."
    )
    assert [row[4] for row in view.effects_table.rows] == ["n/a"] * 5


def test_with_no_likely_range_the_page_speaks_of_none_in_its_key_chart_and_method() -> None:
    # With --permutations 19 the note said "The table's likely ranges (95% CIs) ... are not adjusted",
    # the chart's key "bar: likely range (95% CI)" and the Method "95% CI: the shifts that test does not
    # reject", of ranges none of which was computed.
    page = render_comparison(*programme(permutations=19))
    assert re.findall(r'<p class="note" id="reading-key">(.*?)</p>', page) == [
        "p: how often chance alone would give a difference this large were there none; under 0.05 the page "
        "calls it unlikely to be chance."
    ]
    forest = page.split('<div class="chart" id="forest">')[1]
    assert re.findall(r'<svg role="img" aria-label="(.*?)"', forest)[0] == (
        "Forest plot: for each measure, the difference in change between participants and the comparison "
        "group. The table above gives the same figures."
    )
    assert re.findall(r'<p class="note">(Dot:.*?)</p>', page) == [
        "Dot: difference-in-differences; dashed line: no difference. The findings say which differences were "
        "judged, and how."
    ]
    method = html_lib.unescape(page.split("<strong>Method:</strong>")[1].split("<strong>Permutations")[0])
    assert method.split(" Comparison group: ")[0] == (
        " Ties: binary arcs of the primary relation among stayers. QAP: one-sided p (permuted r >= "
        "observed); rows and columns permuted together. Difference-in-differences: two-sided label "
        "permutation p."
    )
    judging = method.split(" Judging the measures: ")[1].split(" New ties to other participants: ")[0]
    assert judging == (
        "cross-unit ties first, at p < 0.05 on their own p-value; the other measures only when that "
        "difference is beyond chance, on p-values adjusted together by Holm's step-down method (Holm 1979), "
        "each at adjusted p < 0.05. This fixed order (serial gatekeeping: Dmitrienko & Tamhane 2007; Bretz "
        "et al. 2009; FDA guidance on multiple endpoints, 2022) keeps the chance of a false alarm on any of "
        "the measures at 5% or less; the table's p-values are not adjusted."
    )
    shown = re.sub(r"<(style|script)>.*?</\\1>", "", page, flags=re.S)
    for said in (  # no range, and why; the table's column, each cell n/a
        "no likely range (95% CI): needs at least 20 permutations for a 95% interval",
        "no likely range (95% CI) could be computed: needs at least 20 permutations for a 95% interval",
        "<th>Likely range (95% CI)</th>",
    ):
        shown = shown.replace(said, "")
    assert re.findall(r"(?i)likely range|\bCIs?\b|interval|\bbar\b", html_lib.unescape(shown)) == []


STATED = Period(date(2026, 1, 1), date(2026, 6, 30), given="[analysis] period_from/period_to")
FIX = (
    "to have the order checked, analyse each wave with its own period stated: period_from and period_to "
    "under [analysis] in its leadnet.toml (or --from and --to of leadnet analyse)."
)


@pytest.mark.parametrize(
    ("periods", "why"),
    [
        pytest.param(
            (Period(), Period()), "neither carries dates (surveys and tie lists have none)", id="none"
        ),
        pytest.param(
            (Period(date(2026, 1, 1), date(2026, 3, 31)), Period()),
            '"2026" carries no dates (surveys and tie lists have none)',
            id="one",
        ),
        pytest.param(
            (STATED, STATED),
            "both carry the same stated period, which tells nothing of their order",
            id="one period stated for the run",
        ),
        pytest.param(
            (Period(date(2026, 1, 1)), Period(None, date(2026, 6, 30))),
            "their periods (2026-01-01 to …; … to 2026-06-30) do not tell which began first",
            id="open ends",
        ),
        pytest.param(  # printed "2026-01-01 00:00:00+00:00 to …": the page shows days
            (Period(datetime(2026, 1, 1, tzinfo=UTC)), Period(None, pd.Timestamp("2026-06-30 23:59:59"))),
            "their periods (2026-01-01 to …; … to 2026-06-30) do not tell which began first",
            id="ends with a time of day",
        ),
    ],
)
def test_the_method_says_why_the_order_of_the_snapshots_was_taken_as_given(
    periods: tuple[Period, Period], why: str
) -> None:
    assert order_note("as given", periods, ("2025", "2026")) == (
        f'Order of the snapshots: {why}, so leadnet took "2025", the one named first (BEFORE), as the '
        f"earlier; {FIX}"
    )


def test_the_method_says_nothing_of_the_order_when_the_periods_put_the_snapshots_in_order() -> None:
    assert order_note("periods", (Period(date(2026, 1, 1)), Period(date(2026, 4, 1))), ("t1", "t2")) == ""


def test_the_footer_of_a_comparison_of_undated_snapshots_says_how_they_were_ordered(page: str) -> None:
    method = html_lib.unescape(page.split("<strong>Method:</strong>")[1].split("<strong>Permutations")[0])
    assert method.endswith(
        " Order of the snapshots: neither carries dates (surveys and tie lists have none), so leadnet took "
        f'"before", the one named first (BEFORE), as the earlier; {FIX} '
    )
