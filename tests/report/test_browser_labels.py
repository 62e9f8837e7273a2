"""The network view's labels in headless Chromium: at the overview's zoom only the people the
report is about (and those searched for) are labelled, legibly; zoomed in, everyone drawn is."""

from pathlib import Path

import pandas as pd
import pytest
from cdp import chromium, file_url, load_page
from report_fixtures import make_analysis, org

from leadnet.report import render_report

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium() is None, reason="chromium not installed (apt-get install chromium)"),
]

LAPTOP = (1366, 768)
ORG = {f"Unit {u}": 60 for u in range(10)}  # 600 people, drawn one by one (no unit overview)
KEY = {"p1000": "informal_leader", "p4030": "informal_leader", "p7015": "boundary_spanner"}
OTHER_ROLE = {"p2010": "overload_risk"}  # labelled only when zoomed in, as everyone

WATCH = """
window.frameTexts = []; window.frameDots = 0; window.frameCentres = [];
(function () {
  var canvas = CanvasRenderingContext2D.prototype, clear = canvas.clearRect, fill = canvas.fillText,
    arc = canvas.arc;
  canvas.clearRect = function () {
    window.frameTexts = []; window.frameDots = 0; window.frameCentres = [];
    return clear.apply(this, arguments);
  };
  canvas.arc = function (x, y) {
    var at = this.getTransform().transformPoint(new DOMPoint(x, y));
    var box = this.canvas.getBoundingClientRect();
    window.frameDots += 1;
    window.frameCentres.push([Math.round(box.left + at.x), Math.round(box.top + at.y)]);
    return arc.apply(this, arguments);
  };
  canvas.fillText = function (text) {
    var px = parseFloat(this.font) * this.getTransform().a;
    window.frameTexts.push([String(text), Math.round(px * 10) / 10]);
    return fill.apply(this, arguments);
  };
}());
"""
"""Run before the page's scripts: the texts (with their height on screen, in pixels) and the
dots (and their centres in the window) drawn since the canvas was last cleared, that is in the
last frame vis-network drew."""

DRAWN = {
    "texts": "window.frameTexts",
    "dots": "window.frameDots",
    "scale": "document.body.dataset.networkScale",
    "overview": "window.overview || null",
    "centres": "window.frameCentres",
    "tooltip": "(document.querySelector('.vis-tooltip') || {}).innerText || null",
}


def report(tmp_path: Path) -> Path:
    roles = KEY | OTHER_ROLE
    reasons = pd.DataFrame(
        {"person_id": list(roles), "role": list(roles.values()), "rule": "a rule", "evidence": "in=9"}
    )
    path = tmp_path / "index.html"
    path.write_text(render_report(make_analysis(org(ORG), reasons=reasons)), encoding="utf-8")
    return path


def drawn(path: Path, fragment: str, steps: list | None = None) -> dict:
    log = load_page(file_url(path) + fragment, DRAWN, viewport=LAPTOP, before=WATCH, steps=steps or [])
    assert log.console_errors == [] and log.exceptions == []
    return log.values


def test_the_overview_labels_the_people_the_report_is_about_and_zoomed_in_everyone(tmp_path: Path) -> None:
    """All 600 ids were drawn at the overview's zoom, a few pixels high: a tangle. Now the key
    people only, legibly; after mouse-wheel turns over the middle of the drawing (the #network
    view fills the window), everyone drawn."""
    wheel = {"type": "mouseWheel", "x": LAPTOP[0] // 2, "y": LAPTOP[1] // 2, "deltaX": 0, "deltaY": -120}
    pause = {"expression": "new Promise(function (done) { setTimeout(done, 50); })", "awaitPromise": True}
    keep = {"expression": "window.overview = [window.frameTexts, window.frameDots]"}
    steps = [("Runtime.evaluate", keep)]
    steps += [
        step for _ in range(12) for step in (("Input.dispatchMouseEvent", wheel), ("Runtime.evaluate", pause))
    ]
    values = drawn(report(tmp_path), "#network", steps)
    texts, dots = values["overview"]
    assert dots == 600
    labels = dict(texts)
    assert sorted(labels) == sorted(KEY)
    assert min(labels.values()) >= 10  # pixels high on screen

    assert float(values["scale"]) >= 11 / 12  # a 12-pixel label is drawn 11 pixels high or more
    labels_now = [text for text, _ in values["texts"]]
    assert len(labels_now) == values["dots"] and len(set(labels_now)) == len(labels_now)
    assert min(px for _, px in values["texts"]) >= 11


def test_a_searched_person_is_labelled_at_the_overviews_zoom(tmp_path: Path) -> None:
    values = drawn(report(tmp_path), "#search=p6042")
    assert sorted(dict(values["texts"])) == sorted([*KEY, "p6042"])


def test_the_person_under_the_pointer_is_labelled(tmp_path: Path) -> None:
    """The pointer on a person with no label at the overview's zoom: their label is drawn, the one
    the tooltip names, and the key people's stay."""
    path = report(tmp_path)
    overview = drawn(path, "#network")
    x, y = loneliest(overview["centres"])
    pause = {"expression": "new Promise(function (done) { setTimeout(done, 600); })", "awaitPromise": True}
    point = ("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})
    values = drawn(path, "#network", [point, ("Runtime.evaluate", pause)])
    hovered = values["tooltip"].split("\n")[0]
    assert hovered not in KEY
    assert sorted(dict(values["texts"])) == sorted([*KEY, hovered])


def loneliest(centres: list[list[int]]) -> list[int]:
    """The centre farthest from every other one (so the pointer there is over that dot alone)."""
    return max(centres, key=lambda c: min(abs(c[0] - d[0]) + abs(c[1] - d[1]) for d in centres if d is not c))
