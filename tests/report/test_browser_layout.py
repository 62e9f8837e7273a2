"""The pages' layout in headless Chromium at a laptop's, a small laptop's and a phone's width:
no table cut off without a sign that it scrolls."""

from pathlib import Path

import pytest
from cdp import chromium, file_url, load_page
from programme_fixtures import programme
from report_fixtures import make_analysis, org

from leadnet.report.render import render_comparison, render_report

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium() is None, reason="chromium not installed (apt-get install chromium)"),
]

LAPTOP, SMALL_LAPTOP, PHONE = (1366, 768), (1024, 768), (390, 844)

TABLES = (
    "Array.from(document.querySelectorAll('.table-wrap')).map(function (w) {"
    " var cue = w.previousElementSibling;"
    " var shown = cue && cue.classList.contains('scroll-cue') && cue.offsetHeight > 0;"
    " return {table: w.querySelector('table').className, wider: w.scrollWidth > w.clientWidth,"
    " cue: shown ? cue.textContent : null, tab: w.tabIndex}; })"
)
PAGE_WIDTH = "[document.documentElement.scrollWidth, window.innerWidth]"
CUE = "Scroll sideways for the rest of this table \u2192"


def layout(tmp_path: Path, html: str, viewport: tuple[int, int], ready: str) -> tuple[list[dict], list[int]]:
    """Each table's frame (its table's class, whether it is wider than the frame, the cue shown
    above it, its tab index) and the page's width against the window's, at ``viewport``."""
    path = tmp_path / "index.html"
    path.write_text(html, encoding="utf-8")
    log = load_page(file_url(path), {"tables": TABLES, "page": PAGE_WIDTH}, ready=ready, viewport=viewport)
    assert log.console_errors == [] and log.exceptions == []
    return log.values["tables"], log.values["page"]


def report_html() -> str:
    return render_report(make_analysis(org({"Surgery": 8, "Theatres": 6, "Lab": 12})))


def cut_off(tables: list[dict]) -> list[dict]:
    """The tables wider than their frames with no cue or no keyboard access."""
    return [t for t in tables if t["wider"] and (t["cue"] != CUE or t["tab"] != 0)]


@pytest.mark.parametrize("viewport", [LAPTOP, SMALL_LAPTOP, PHONE])
def test_no_report_table_is_cut_off_without_a_cue(tmp_path: Path, viewport: tuple[int, int]) -> None:
    """Influence by formal level sat beside the Lorenz chart in a frame narrower than itself: at
    1366x768 its last column was hidden, and nothing said that it scrolled."""
    tables, (page, window) = layout(tmp_path, report_html(), viewport, "document.body.dataset.networkReady")
    assert cut_off(tables) == []
    assert page <= window  # the page itself never scrolls sideways
    assert [t for t in tables if not t["wider"] and t["cue"] is not None] == []  # no cue where none scrolls


def test_at_a_laptops_width_the_levels_table_is_whole_and_the_chart_below_it(tmp_path: Path) -> None:
    path = tmp_path / "index.html"
    path.write_text(report_html(), encoding="utf-8")
    frame = "document.querySelector('table.levels').parentNode"
    checks = {
        "levels": f"[{frame}.scrollWidth, {frame}.clientWidth]",
        "below": "document.getElementById('lorenz').getBoundingClientRect().top >="
        f" {frame}.getBoundingClientRect().bottom",
    }
    log = load_page(file_url(path), checks, viewport=LAPTOP)
    assert log.console_errors == [] and log.exceptions == []
    width, frame_width = log.values["levels"]
    assert width == frame_width
    assert log.values["below"] is True


def test_a_phone_scrolls_the_wide_tables_each_with_its_cue(tmp_path: Path) -> None:
    tables, _ = layout(tmp_path, report_html(), PHONE, "document.body.dataset.networkReady")
    wider = [t["table"] for t in tables if t["wider"]]
    assert "levels" in wider and "units" in wider
    assert {t["table"]: t["cue"] for t in tables if t["wider"]} == dict.fromkeys(wider, CUE)


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE])
def test_no_programme_table_is_cut_off_without_a_cue(tmp_path: Path, viewport: tuple[int, int]) -> None:
    tables, (page, window) = layout(
        tmp_path, render_comparison(*programme()), viewport, "document.body.dataset.ready"
    )
    assert cut_off(tables) == []
    assert page <= window
    if viewport == PHONE:
        assert "effects" in [t["table"] for t in tables if t["wider"]]


def test_the_cues_are_written_when_the_whole_report_is_shown_after_the_network_alone(tmp_path: Path) -> None:
    """index.html#network hides the tables; its "back to the whole report" link shows them again,
    and then the phone's wide tables need their cues (measured hidden, none was wider)."""
    path = tmp_path / "index.html"
    path.write_text(report_html(), encoding="utf-8")
    pause = {"expression": "new Promise(function (done) { setTimeout(done, 300); })", "awaitPromise": True}
    back = [("Runtime.evaluate", {"expression": "location.hash = '#summary'"}), ("Runtime.evaluate", pause)]
    log = load_page(file_url(path) + "#network", {"tables": TABLES}, viewport=PHONE, steps=back)
    assert log.console_errors == [] and log.exceptions == []
    tables = log.values["tables"]
    wider = {t["table"]: t["cue"] for t in tables if t["wider"]}
    assert wider == dict.fromkeys(["levels", "units", "communities", "relations"], CUE)
    assert cut_off(tables) == []
