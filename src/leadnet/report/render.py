"""The executive report as one self-contained HTML document.

Our own Jinja templates, ``autoescape=True`` and ``StrictUndefined``; graph data as JSON
(``|tojson``) in a ``<script type="application/json">`` block; vis-network inlined from
the installed pyvis package; a Content Security Policy that allows only the page's own
inline scripts (by sha256) and no network at all (QUALITY.md rule 5).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

import jinja2
import numpy as np
import pandas as pd
from markupsafe import Markup

from leadnet.groups import roster_unit_labels
from leadnet.report.charts import forest_chart, heatmap_chart, lorenz_chart
from leadnet.report.disclosure import POOLED_UNITS, blocks_shown
from leadnet.report.drawn import network_scope
from leadnet.report.graph import graph_data
from leadnet.report.numbers import display_number
from leadnet.report.programme import programme_view
from leadnet.report.tables import isolated
from leadnet.report.views import person_labels, report_view

VIS_NETWORK = "templates/lib/vis-9.1.2/vis-network.min.js"


@cache
def environment() -> jinja2.Environment:
    """The Jinja environment over ``report/templates``: autoescaped, undefined names are errors."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("leadnet.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["count"] = display_number  # a count in the page's words: "10,000", as in the tables
    return env


def asset(name: str) -> str:
    """The text of one of our own assets (``report/assets``)."""
    return (resources.files("leadnet.report") / "assets" / name).read_text(encoding="utf-8")


@cache
def vis_network_js() -> str:
    """vis-network's standalone build, as shipped by the installed pyvis package."""
    text = (resources.files("pyvis") / VIS_NETWORK).read_text(encoding="utf-8")
    if "</script" in text.lower():
        raise RuntimeError(f"pyvis {VIS_NETWORK} contains '</script' and cannot be inlined")
    return text


def script_hash(text: str) -> str:
    """The CSP source expression allowing one inline script.

    >>> script_hash("alert(1)")
    "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
    """
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(scripts: Sequence[str]) -> str:
    """No network, no plugins, no forms; only the given inline scripts run.

    >>> content_security_policy(["alert(1)"]).split("; ")[:2]
    ["default-src 'none'", "script-src 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"]
    """
    hashes = " ".join(script_hash(s) for s in scripts)
    return (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


def network_data(
    analysis: Any, *, show_names: bool, labels: pd.Series | None = None, alone: np.ndarray | None = None
) -> dict[str, Any]:
    """The vis-network data of an analysis (primary relation, labels per the names policy;
    ``labels``, when given, are :func:`~leadnet.report.views.person_labels` already made, and
    ``alone`` who has no tie, :func:`~leadnet.report.tables.isolated`)."""
    people = analysis.people
    if labels is None:
        labels = person_labels(analysis.snapshot.people, show_names=show_names)
    ordered = labels.reindex(people["person_id"].astype(str)).fillna("").to_numpy()
    ties, outside = analysis.snapshot.ties_of(), analysis.snapshot.outside_roster
    away = people["person_id"].astype(str).isin(list(outside)).to_numpy()
    mask, note = network_scope(roster_unit_labels(people, outside), away)
    if alone is None:  # among all the ties: as the summary's n_isolated
        alone = isolated(people, ties, outside)
    if note is not None:
        shown = set(people["person_id"].astype(str)[mask])
        ties = ties[ties["source"].astype(str).isin(shown) & ties["target"].astype(str).isin(shown)]
        people = people[mask].reset_index(drop=True)
        ordered, alone = ordered[mask], alone[mask]
    data = graph_data(
        people,
        ties,
        ordered.tolist(),
        hidden=analysis.hidden,
        outside=outside,
        alone=alone,
        seed=int(analysis.settings.seed),
    )
    data["note"] = note or ""
    return data


def heatmap_view(analysis: Any) -> dict[str, Any]:
    """The block-density heatmap; says so when it holds only the largest units (``BLOCK_UNITS``).
    A hidden unit is named as the pool, after the units shown (:func:`.disclosure.blocks_shown`)."""
    hidden = analysis.hidden
    blocks = blocks_shown(analysis.block_density, hidden.units)
    chart = heatmap_chart(blocks, [POOLED_UNITS] if hidden.units else [], hidden.k)
    n_units = len(analysis.units)  # units.csv's rows: no blank unit, no pooled outside world
    scope = f"The {len(blocks)} largest of {n_units:,} units. " if 0 < len(blocks) < n_units else ""
    return {"svg": Markup(chart.svg) if chart.svg else None, "note": scope + chart.note}


def render_report(
    analysis: Any, *, show_names: bool = False, comparison: Mapping[str, Any] | None = None
) -> str:
    """The whole executive report of one analysis as one HTML string (works offline).

    Parameters
    ----------
    analysis
        An :class:`~leadnet.analysis.Analysis`.
    show_names
        Show the people table's ``name`` column instead of pseudonyms (recorded in the footer).
    comparison
        ``comparison.json`` values when the programme was evaluated; ``None`` says so.
    """
    scripts = [vis_network_js(), asset("report.js"), asset("tables.js")]
    lorenz = lorenz_chart(analysis.people["in_degree"].to_numpy(dtype=float))
    labels = person_labels(analysis.snapshot.people, show_names=show_names)  # once: a pass over every id
    snapshot = analysis.snapshot
    alone = isolated(analysis.people, snapshot.ties_of(), snapshot.outside_roster)  # once: over the ties
    return (
        environment()
        .get_template("report.html.j2")
        .render(
            view=report_view(
                analysis, show_names=show_names, comparison=comparison, labels=labels, alone=alone
            ),
            graph=network_data(analysis, show_names=show_names, labels=labels, alone=alone),
            lorenz={"svg": Markup(lorenz.svg) if lorenz.svg else None, "note": lorenz.note},
            heatmap=heatmap_view(analysis),
            css=Markup(asset("report.css")),
            scripts=[Markup(s) for s in scripts],
            csp=content_security_policy(scripts),
        )
    )


def render_comparison(comparison: Any, before: Any, after: Any, *, show_names: bool = False) -> str:
    """The programme page: what changed between two analysed snapshots, as one HTML string.

    Parameters
    ----------
    comparison
        A :class:`~leadnet.compare.Comparison` of ``before`` and ``after``.
    before, after
        The two :class:`~leadnet.analysis.Analysis` values compared (for units and the footer).
    show_names
        Recorded in the footer; the page itself reports groups only.
    """
    view = programme_view(comparison, before, after, show_names=show_names)
    rows = view.effects
    forest = forest_chart(
        [e.label for e in rows], [e.did for e in rows], [e.ci_low for e in rows], [e.ci_high for e in rows],
        ranges=view.ranges,
    )  # fmt: skip
    scripts = [asset("programme.js"), asset("tables.js")]
    return (
        environment()
        .get_template("programme.html.j2")
        .render(
            view=view,
            forest={"svg": Markup(forest.svg) if forest.svg else None, "note": forest.note},
            css=Markup(asset("report.css")),
            scripts=[Markup(s) for s in scripts],
            csp=content_security_policy(scripts),
        )
    )
