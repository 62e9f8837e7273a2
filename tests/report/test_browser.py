"""The report in a real browser: headless Chromium driven over the DevTools protocol (pipe)."""

import json
from pathlib import Path

import pandas as pd
import pytest
from cdp import chromium, file_url, load_page
from report_fixtures import XSS, cliques, make_analysis, org, snapshot_of, with_outside

from leadnet.report import render_report
from leadnet.report.numbers import counted, people_words, ties_words
from leadnet.report.render import asset

pytestmark = pytest.mark.browser

CHECKS = {
    "ready": "document.body.dataset.networkReady",
    "xss": "document.body.dataset.xss",
    "flag": "String(!!window.__xss)",
    "search": "document.body.dataset.searchCount",
    "search_text": "document.getElementById('search-count').textContent",
    "search_box": "document.getElementById('search').value",
    "canvas": "(function () { var c = document.querySelector('#network canvas');"
    " return c ? [c.width, c.height] : null; }())",
    "view": "document.body.dataset.view",
    "text": "document.body.innerText",
    "images": "document.images.length",
}


@pytest.fixture(autouse=True)
def needs_chromium() -> None:
    if chromium() is None:
        pytest.skip("chromium not installed (apt-get install chromium)")


def open_report(tmp_path: Path, html: str, fragment: str = "") -> dict:
    path = tmp_path / "index.html"
    path.write_text(html, encoding="utf-8")
    log = load_page(file_url(path) + fragment, CHECKS)
    assert log.console_errors == []
    assert log.exceptions == []
    outside = [u for u in log.requests if u.split("#")[0] != file_url(path) and not u.startswith("data:")]
    assert outside == []
    return log.values


def test_the_report_draws_the_network_without_errors_or_requests(tmp_path: Path) -> None:
    values = open_report(
        tmp_path, render_report(make_analysis(org({"Surgery": 8, "Theatres": 6, "Lab": 12})))
    )
    assert values["ready"] == "1"
    width, height = values["canvas"]
    assert width > 0 and height > 0
    assert values["view"] == "people"
    assert values["xss"] == "false"


def test_search_from_the_address_fragment_counts_matches(tmp_path: Path) -> None:
    html = render_report(make_analysis(org({"Surgery": 8, "Lab": 12})))
    values = open_report(tmp_path, html, "#search=p100")
    # Lab's people are p1000..p1011: "p100" matches p1000..p1009.
    assert values["search"] == "10"
    assert values["search_text"] == "10 matches"


def test_a_fragment_no_uri_decodes_is_searched_as_written_and_set_up_goes_on(tmp_path: Path) -> None:
    # An audit: index.html#search=% threw "URIError: URI malformed" and the page's set-up stopped
    # there: no network view, no filters (open_report asserts the page threw nothing).
    html = render_report(make_analysis(org({"Surgery": 8, "Lab": 12})))
    values = open_report(tmp_path, html, "#search=%")
    assert (values["ready"], values["view"]) == ("1", "people")
    assert (values["search_box"], values["search"], values["search_text"]) == ("%", "0", "0 matches")


def test_xss_payloads_run_nothing_and_show_as_text(tmp_path: Path) -> None:
    # Units of 5, each shown: a unit hidden for privacy is named nowhere on the page.
    ids = [f"p{i}" for i in range(15)]
    people = pd.DataFrame({"person_id": ids, "unit": [XSS[i % 3] for i in range(15)]})
    people["name"] = [XSS[(i + 1) % 3] for i in range(15)]
    ties = pd.DataFrame(
        {"source": [f"p{i}" for i in range(15)], "target": [f"p{(i + 1) % 15}" for i in range(15)]}
    )
    analysis = make_analysis(snapshot_of(people, ties.assign(relation="advice", weight=1.0)))
    values = open_report(tmp_path, render_report(analysis, show_names=True), "#search=" + "%3Cimg")
    assert values["ready"] == "1"
    assert values["xss"] == "false"
    assert values["flag"] == "false"
    assert values["images"] == 0
    for payload in XSS:
        assert payload in values["text"]
    assert values["search"] == "5"


def test_a_large_organisation_opens_on_the_unit_graph(tmp_path: Path) -> None:
    snapshot = org({f"Unit {u:02d}": 70 for u in range(30)})
    values = open_report(tmp_path, render_report(make_analysis(snapshot)), "#search=p29069")
    assert values["ready"] == "1"
    # One match: the view drills into that person's unit.
    assert values["search"] == "1"
    assert values["view"] == "people"


def test_the_status_line_writes_counts_with_thousands_separators(tmp_path: Path) -> None:
    path = tmp_path / "index.html"
    snapshot = org({f"Unit {u:02d}": 70 for u in range(30)})
    path.write_text(render_report(make_analysis(snapshot)), encoding="utf-8")
    total = f"{len(snapshot.ties):,}"
    log = load_page(file_url(path), {"unit": pick("filter-unit", "Unit 00")})
    assert log.console_errors == [] and log.exceptions == []
    assert "," in total  # 2,100 or more ties: a ring in each unit of 70 and the ties between them
    assert log.values["unit"].startswith("70 people shown; ")
    assert f" of {total} ties drawn" in log.values["unit"]


@pytest.mark.parametrize("n_people", [0, 1])
def test_degenerate_networks_load_without_errors(tmp_path: Path, n_people: int) -> None:
    people = pd.DataFrame({"person_id": [f"p{i}" for i in range(n_people)], "unit": "x"})
    values = open_report(tmp_path, render_report(make_analysis(snapshot_of(people))))
    assert values["xss"] == "false"


def test_the_network_fragment_opens_the_network_view_alone(tmp_path: Path) -> None:
    path = tmp_path / "index.html"
    path.write_text(render_report(make_analysis(org({"Surgery": 8, "Lab": 12}))), encoding="utf-8")
    checks = {
        "only": "document.body.classList.contains('network-only')",
        "summary_hidden": "getComputedStyle(document.getElementById('summary')).display === 'none'",
        "network_top": "Math.round(document.getElementById('network-section').getBoundingClientRect().top)",
        "ready_ms": "document.body.dataset.readyMs",
    }
    log = load_page(file_url(path) + "#network", checks)
    assert log.console_errors == [] and log.exceptions == []
    assert log.values["only"] is True and log.values["summary_hidden"] is True
    assert 0 <= log.values["network_top"] < 100  # at the top of the window
    assert int(log.values["ready_ms"]) > 0
    assert log.ready_seconds is not None


def pick(select: str, label: str) -> str:
    """JavaScript: choose the option ``label`` of a filter and return the network status line."""
    return (
        f"(function () {{ var s = document.getElementById('{select}');"
        f" s.value = Array.from(s.options).find(function (o) {{ return o.text === '{label}'; }}).value;"
        " s.dispatchEvent(new Event('change'));"
        " return document.getElementById('network-status').textContent; }())"
    )


def test_suppressed_units_are_drawn_pooled_and_a_unit_counts_the_ties_it_draws(tmp_path: Path) -> None:
    """Tiny (3) and the next smallest, Theatres (6), are suppressed: the filter offers them only
    pooled, so no one can count Tiny's people on screen; the pool's 9 is what units.csv gives back."""
    from leadnet.analysis import analyse

    path = tmp_path / "index.html"
    path.write_text(render_report(analyse(org({"Surgery": 8, "Theatres": 6, "Lab": 12, "Tiny": 3}))))
    options = (
        "Array.from(document.getElementById('filter-unit').options).map(function (o) { return o.text; })"
    )
    log = load_page(
        file_url(path),
        {
            "options": options,
            "pooled": pick("filter-unit", "Units pooled for privacy"),
            "lab": pick("filter-unit", "Lab"),
        },  # fmt: skip
    )
    assert log.console_errors == [] and log.exceptions == []
    assert "Tiny" not in log.values["options"] and "Theatres" not in log.values["options"]
    assert log.values["pooled"].startswith("9 people shown; ")
    # Lab is a ring of 12 (12 ties inside) plus its tie to Surgery, which is not drawn with Lab alone.
    assert log.values["lab"].startswith("12 people shown; 12 of ")


def test_the_network_canvas_is_named_and_zooms_from_the_keyboard(tmp_path: Path) -> None:
    """A keyboard user reaches the canvas (it is in the tab order, named for screen readers) and
    zooms it: Page Up held for a moment, as a person would, through trusted key events."""
    path = tmp_path / "index.html"
    path.write_text(render_report(make_analysis(org({"Surgery": 8, "Lab": 12}))), encoding="utf-8")
    frame = "document.querySelector('#network .vis-network')"
    pause = {"expression": "new Promise(function (done) { setTimeout(done, 300); })", "awaitPromise": True}
    page_up = {"key": "PageUp", "code": "PageUp", "windowsVirtualKeyCode": 33}
    steps = [
        ("Runtime.evaluate", {"expression": f"{frame}.focus()"}),
        ("Input.dispatchKeyEvent", {"type": "rawKeyDown", **page_up}),
        ("Runtime.evaluate", pause),
        ("Input.dispatchKeyEvent", {"type": "keyUp", **page_up}),
    ]
    checks = {
        "focused": f"document.activeElement === {frame}",
        "named": f"[{frame}.tabIndex, {frame}.getAttribute('role'), {frame}.getAttribute('aria-label')]",
        "scale": "document.body.dataset.networkScale || null",
    }
    log = load_page(file_url(path), checks, steps=steps)
    assert log.console_errors == [] and log.exceptions == []
    assert log.values["focused"] is True
    tab_index, role, label = log.values["named"]
    assert (tab_index, role) == (0, "application")
    keys = "arrow keys pan, = or Page Up zooms in, - or Page Down zooms out."
    assert label.startswith(f"Network drawing: {keys}")
    assert float(log.values["scale"]) > 1.0


def test_the_zoom_keys_the_canvas_names_zoom_it(tmp_path: Path) -> None:
    """The keys the canvas's label names, pressed as a person would (held for a moment): = zooms
    in, - and Page Down zoom out. The label said "+", but vis-network binds = without Shift, so +
    (Shift and =) does nothing."""
    path = tmp_path / "index.html"
    path.write_text(render_report(make_analysis(org({"Surgery": 8, "Lab": 12}))), encoding="utf-8")
    pause = {"expression": "new Promise(function (done) { setTimeout(done, 300); })", "awaitPromise": True}
    scale = "Number(document.body.dataset.networkScale)"
    note = {"expression": f"window.scales = (window.scales || []).concat({scale})"}
    keys = [
        {"key": "=", "code": "Equal", "windowsVirtualKeyCode": 187},
        {"key": "-", "code": "Minus", "windowsVirtualKeyCode": 189},
        {"key": "PageDown", "code": "PageDown", "windowsVirtualKeyCode": 34},
    ]
    steps = [("Runtime.evaluate", {"expression": "document.querySelector('#network .vis-network').focus()"})]
    for key in keys:
        steps += [
            ("Input.dispatchKeyEvent", {"type": "rawKeyDown", **key}),
            ("Runtime.evaluate", pause),
            ("Input.dispatchKeyEvent", {"type": "keyUp", **key}),
            ("Runtime.evaluate", note),
        ]
    log = load_page(file_url(path), {"scales": "window.scales"}, steps=steps)
    assert log.console_errors == [] and log.exceptions == []
    zoomed_in, minus, page_down = log.values["scales"]
    assert zoomed_in > 1.0 and minus < zoomed_in and page_down < minus


BIG = {f"Unit {u:02d}": 70 for u in range(30)}  # 2,100 people: the page opens on the unit overview
WATCH_SELECTION = (
    "(function () { var select = vis.Network.prototype.selectNodes; window.selected = [];"
    " vis.Network.prototype.selectNodes = function (ids) {"
    " window.selected.push(ids.slice()); return select.apply(this, arguments); }; return true; }())"
)


def typed(query: str) -> str:
    """JavaScript: type ``query`` into the search box; return the match count and the nodes selected."""
    return (
        f"(function () {{ var s = document.getElementById('search'); s.value = '{query}';"
        " s.dispatchEvent(new Event('input'));"
        " return [document.body.dataset.searchCount, window.selected[window.selected.length - 1]]; }())"
    )


def test_search_in_the_unit_overview_selects_the_units_of_the_matches(tmp_path: Path) -> None:
    """The matches' units, each once. Person vertex ids were matched against unit node ids, so
    p0000..p0009 (vertices 0-9, all in Unit 00) selected units 0-9, and p2900..p2909 none."""
    path = tmp_path / "index.html"
    path.write_text(render_report(make_analysis(org(BIG))), encoding="utf-8")
    checks = {"watch": WATCH_SELECTION, "first": typed("p000"), "last": typed("p2900"), "two": typed("p1")}
    log = load_page(file_url(path), {**checks, "view": "document.body.dataset.view"})
    assert log.console_errors == [] and log.exceptions == []
    assert log.values["first"] == ["10", [0]]
    assert log.values["last"] == ["10", [29]]
    # p1 matches Unit 01 (p1000..p1069) and Units 10-19 (p10000..p19069): 11 units.
    assert log.values["two"] == [str(70 * 11), [1, *range(10, 20)]]
    assert log.values["view"] == "units"


def test_clearing_the_filters_returns_to_the_unit_overview(tmp_path: Path) -> None:
    """Any role, with no unit picked, drew all 2,100 people instead of the unit overview (on a
    very large organisation, up to 100,000). With a role picked, All units keeps the role."""
    reasons = pd.DataFrame(
        {"person_id": ["p0001", "p1001"], "role": "informal_leader", "rule": "top 10%", "evidence": "in=9"}
    )
    path = tmp_path / "index.html"
    path.write_text(render_report(make_analysis(org(BIG), reasons=reasons)), encoding="utf-8")
    view = "document.body.dataset.view"
    checks = {
        "role": pick("filter-role", "informal leader"),
        "any_role": pick("filter-role", "Any role"),
        "overview": view,
        "role_again": pick("filter-role", "informal leader"),
        "unit": pick("filter-unit", "Unit 01"),
        "all_units": pick("filter-unit", "All units (overview)"),
        "people": view,
    }
    log = load_page(file_url(path), checks)
    assert log.console_errors == [] and log.exceptions == []
    assert log.values["role"].startswith("2 people shown; ")
    assert log.values["any_role"].startswith("30 units (all ties between them counted).")
    assert log.values["overview"] == "units"
    assert log.values["unit"].startswith("1 person shown; ")
    assert log.values["all_units"].startswith("2 people shown; ") and log.values["people"] == "people"


def test_colouring_by_community_shows_suppressed_communities_pooled_and_no_tie_once(tmp_path: Path) -> None:
    """Cliques of 10, 8 and 3, two people with no tie: the 8 and the 3 are suppressed. The legend
    named every community (and each lone person), so their members could be counted."""
    from leadnet.analysis import analyse

    path = tmp_path / "index.html"
    path.write_text(render_report(analyse(cliques({"a": 10, "b": 8, "c": 3}, lone=2))), encoding="utf-8")
    legend = (
        "Array.from(document.querySelectorAll('#legend > span')).map(function (s) { return s.textContent; })"
    )
    log = load_page(file_url(path), {"colour": pick("colour-by", "community"), "legend": legend})
    assert log.console_errors == [] and log.exceptions == []
    assert log.values["legend"] == ["community 0", "Communities pooled for privacy", "no tie"]


LEGEND = (
    "Array.from(document.querySelectorAll('#legend > span')).map(function (s) {"
    " return [s.textContent, s.firstChild.style.background]; })"
)
GREY = "rgb(217, 217, 217)"


def test_the_pooled_outside_world_is_drawn_apart_from_the_units_and_the_people(tmp_path: Path) -> None:
    """The unit overview counted the pooled outside world as one of the units ("31 units") in a
    unit's colour; it is counted apart and drawn grey, and a person view does not count it as a person."""
    from leadnet.analysis import analyse
    from leadnet.config import AnalysisSection

    pooled = with_outside(org(BIG), {"p0001": 1, "p1002": 2, "p2003": 1})
    path = tmp_path / "index.html"
    path.write_text(render_report(analyse(pooled, AnalysisSection(permutations=0))), encoding="utf-8")
    status = "document.getElementById('network-status').textContent"
    checks = {
        "overview": status,
        "legend": LEGEND,
        "outside": pick("filter-unit", "outside the roster (pooled)"),
    }
    log = load_page(file_url(path), checks)
    assert log.console_errors == [] and log.exceptions == []
    assert log.values["overview"].startswith(
        "30 units and the pooled outside world (all ties between them counted)."
    )
    legend = log.values["legend"]
    assert legend[-1] == ["outside the roster (pooled)", GREY]
    assert GREY not in {colour for _, colour in legend[:-1]}
    assert log.values["outside"].startswith("0 people and the pooled outside world shown; ")

    small = with_outside(org({"Surgery": 8, "Lab": 12}), {"p0001": 1, "p1002": 1})
    path.write_text(render_report(analyse(small)), encoding="utf-8")
    log = load_page(file_url(path), {"people": status, "legend": LEGEND})
    assert log.console_errors == [] and log.exceptions == []
    assert log.values["people"].startswith("20 people and the pooled outside world shown; ")
    assert log.values["legend"][-1] == ["outside the roster (pooled)", GREY]


def test_the_unit_overview_counts_the_rosters_units_only(tmp_path: Path) -> None:
    """Units A and B of 2 people and the next smallest (70) are pooled for privacy, 6 people have no
    unit, and the pooled outside world: the overview said "31 units and the pooled outside world",
    counting the pool of three units as one and the people of no unit as a unit."""
    from leadnet.analysis import analyse
    from leadnet.config import AnalysisSection

    pooled = with_outside(org({"": 6, "A": 2, "B": 2} | BIG), {"p0001": 1, "p3002": 1})
    path = tmp_path / "index.html"
    path.write_text(render_report(analyse(pooled, AnalysisSection(permutations=0))), encoding="utf-8")
    log = load_page(file_url(path), {"overview": "document.getElementById('network-status').textContent"})
    assert log.console_errors == [] and log.exceptions == []
    assert log.values["overview"].startswith(
        "32 units (3 of them pooled for privacy), plus people with no unit and the pooled outside world "
        "(all ties between them counted)."
    )


STATUS = "document.getElementById('network-status').textContent"
MATCHES = "document.getElementById('search-count').textContent"


def test_the_network_view_words_its_counts_as_the_report_does(tmp_path: Path) -> None:
    """The page's counts in words are numbers.counted's: one person, one tie, one match, and
    thousands separators. The search count said "2100 matches"."""
    people = pd.DataFrame({"person_id": [f"x{i}" for i in range(6)] + ["y0"], "unit": ["X"] * 6 + ["Y"]})
    ties = pd.DataFrame({"source": ["x0"], "target": ["x1"], "relation": "advice", "weight": 1.0})
    reasons = pd.DataFrame(
        {"person_id": ["x0"], "role": "informal_leader", "rule": "top", "evidence": "in=1"}
    )
    path = tmp_path / "index.html"
    path.write_text(
        render_report(make_analysis(snapshot_of(people, ties), reasons=reasons)), encoding="utf-8"
    )
    checks = {"all": STATUS, "role": pick("filter-role", "informal leader")}
    log = load_page(file_url(path), checks | {"one": typed_only("y"), "none": typed_only("z")})
    assert log.console_errors == [] and log.exceptions == []
    assert log.values["all"].startswith(f"{people_words(7)} shown; 1 of {ties_words(1)} drawn ")
    assert log.values["role"].startswith(f"{people_words(1)} shown; 0 of {ties_words(1)} drawn ")
    assert (log.values["one"], log.values["none"]) == (counted(1, "match", "matches"), "0 matches")

    path.write_text(render_report(make_analysis(org(BIG))), encoding="utf-8")
    log = load_page(file_url(path), {"many": typed_only("p")})
    assert log.console_errors == [] and log.exceptions == []
    assert log.values["many"] == counted(2100, "match", "matches") == "2,100 matches"


def typed_only(query: str) -> str:
    """JavaScript: type ``query`` into the search box; return the match count in words."""
    return (
        f"(function () {{ var s = document.getElementById('search'); s.value = '{query}';"
        f" s.dispatchEvent(new Event('input')); return {MATCHES}; }}())"
    )


NOUNS = [("person", "people"), ("tie", "ties"), ("match", "matches")]
COUNTS = [0, 1, 2, 1_234_567]


def the_pages_counted(calls: str) -> str:
    """JavaScript: the page's script (``report.js``, as ``render`` inlines it) run up to its own
    ``counted`` and no further, then ``calls`` (an expression of ``counted``). The script is one
    function run at once; a ``return counted;`` at its start returns that function (declarations are
    hoisted) before any line reads the page, so its helpers come with it, whatever they are."""
    script = asset("report.js")
    strict = '"use strict";'
    assert script.count(strict) == 1, "report.js is no longer one strict function: find counted anew"
    returned = script.replace(strict, strict + " return counted;")
    return f"(function () {{ var counted = (0, eval)({json.dumps(returned)}); return {calls}; }}())"


def test_the_pages_counted_writes_the_words_numbers_counted_writes() -> None:
    """The network view counts in words by its script's own ``counted``: it must write what
    numbers.counted writes, the singular for exactly 1, else the plural, with thousands separators.
    A test compared its source text with a copy, so it failed on a reformatting and ran nothing."""
    calls = json.dumps([[n, one, many] for n in COUNTS for one, many in NOUNS])
    expression = f"{calls}.map(function (c) {{ return counted(c[0], c[1], c[2]); }})"
    log = load_page("about:blank", {"words": the_pages_counted(expression)}, ready="true")
    assert log.console_errors == [] and log.exceptions == []
    expected = [counted(n, one, many) for n in COUNTS for one, many in NOUNS]
    assert expected[:3] == ["0 people", "0 ties", "0 matches"]
    assert expected[3:9] == ["1 person", "1 tie", "1 match", "2 people", "2 ties", "2 matches"]
    assert expected[9:] == ["1,234,567 people", "1,234,567 ties", "1,234,567 matches"]
    assert log.values["words"] == expected
