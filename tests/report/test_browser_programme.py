"""The programme page in headless Chromium: no errors, no requests, payloads shown as text."""

from pathlib import Path

import pytest
from cdp import chromium, file_url, load_page
from programme_fixtures import people, programme
from report_fixtures import XSS

from leadnet.report.render import render_comparison

pytestmark = pytest.mark.browser

CHECKS = {
    "ready": "document.body.dataset.ready",
    "xss": "document.body.dataset.xss",
    "flag": "String(!!window.__xss)",
    "text": "document.body.innerText",
    "images": "document.images.length",
    "svgs": "document.querySelectorAll('#forest svg').length",
    "rows": "document.querySelectorAll('table.effects tbody tr').length",
}


@pytest.fixture(autouse=True)
def needs_chromium() -> None:
    if chromium() is None:
        pytest.skip("chromium not installed (apt-get install chromium)")


def open_page(tmp_path: Path, html: str) -> dict:
    path = tmp_path / "index.html"
    path.write_text(html, encoding="utf-8")
    log = load_page(file_url(path), CHECKS, ready="document.body.dataset.ready")
    assert log.console_errors == []
    assert log.exceptions == []
    outside = [u for u in log.requests if u.split("#")[0] != file_url(path) and not u.startswith("data:")]
    assert outside == []
    return log.values


def test_the_programme_page_loads_without_errors_or_requests(tmp_path: Path) -> None:
    values = open_page(tmp_path, render_comparison(*programme()))
    assert values["ready"] == "1"
    assert values["xss"] == "false"
    assert values["svgs"] == 1 and values["rows"] == 5
    assert "Programme participants gained 1.0 more cross-unit advice ties" in values["text"]


def test_payloads_in_names_units_and_cohort_ids_run_nothing_and_show_as_text(tmp_path: Path) -> None:
    roster = people(units=XSS + ("Plain",), names=XSS)
    roster["person_id"] = [f"{XSS[i % 3]}{i}" for i in range(len(roster))]  # cohort ids are payloads too
    for show_names in (False, True):
        values = open_page(tmp_path, render_comparison(*programme(roster=roster), show_names=show_names))
        assert values["ready"] == "1"
        assert values["xss"] == "false" and values["flag"] == "false"
        assert values["images"] == 0
        for payload in XSS:
            assert payload in values["text"]  # the unit names, as text


def test_a_suppressed_cohort_loads_and_shows_less_than_5(tmp_path: Path) -> None:
    values = open_page(tmp_path, render_comparison(*programme(cohort_size=3)))
    assert values["ready"] == "1"
    # the cohort of 3 is under k, the comparison group is not: its size is withheld, not "<5"
    assert "<5 / withheld" in values["text"] and "<5 / <5" not in values["text"]
