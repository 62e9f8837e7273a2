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

from leadnet.report.charts import forest_chart, heatmap_chart, lorenz_chart
from leadnet.report.graph import graph_data
from leadnet.report.programme import programme_view
from leadnet.report.views import person_labels, report_view, suppressed_units

VIS_NETWORK = "templates/lib/vis-9.1.2/vis-network.min.js"


@cache
def environment() -> jinja2.Environment:
    """The Jinja environment over ``report/templates``: autoescaped, undefined names are errors."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("leadnet.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


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


NETWORK_PEOPLE = 100_000
"""Above this many people the network view holds the largest units, up to this many people."""


def network_scope(units: pd.Series, limit: int = NETWORK_PEOPLE) -> tuple[np.ndarray, str | None]:
    """Who the network view holds: everyone, or the people of the largest units up to ``limit``.

    Returns a mask over ``units`` (person order) and a note for the reader when some are left
    out (the page of a million people would not open; every figure still covers everyone).

    >>> mask, note = network_scope(pd.Series(["a", "a", "b", "c", "c", "c"]), limit=5)
    >>> mask.tolist()
    [True, True, False, True, True, True]
    >>> note
    'The network view shows the 2 largest of 3 units (5 of 6 people).'
    """
    if len(units) <= limit:
        return np.ones(len(units), dtype=bool), None
    sizes = units.astype(str).value_counts(sort=False)
    sizes = sizes.iloc[np.lexsort((sizes.index.to_numpy(), -sizes.to_numpy()))]
    kept = sizes.index[: max(1, int(np.searchsorted(np.cumsum(sizes.to_numpy()), limit, side="right")))]
    mask = units.astype(str).isin(kept).to_numpy()
    note = (
        f"The network view shows the {len(kept):,} largest of {len(sizes):,} units "
        f"({int(mask.sum()):,} of {len(units):,} people)."
    )
    return mask, note


def network_data(analysis: Any, *, show_names: bool) -> dict[str, Any]:
    """The vis-network data of an analysis (primary relation, labels per the names policy)."""
    people = analysis.people
    labels = person_labels(analysis.snapshot.people, show_names=show_names)
    ordered = labels.reindex(people["person_id"].astype(str)).fillna("").to_numpy()
    mask, note = network_scope(people["unit"])
    ties = analysis.snapshot.ties_of()
    if note is not None:
        shown = set(people["person_id"].astype(str)[mask])
        ties = ties[ties["source"].astype(str).isin(shown) & ties["target"].astype(str).isin(shown)]
        people = people[mask].reset_index(drop=True)
        ordered = ordered[mask]
    data = graph_data(
        people,
        ties,
        ordered.tolist(),
        hidden_units=suppressed_units(analysis.units),
        seed=int(analysis.settings.seed),
        min_group_size=int(analysis.settings.min_group_size),
    )
    data["note"] = note or ""
    return data


HEATMAP_UNITS = 60
"""Above this many units the heatmap shows the largest ones only (unreadable and slow to draw beyond)."""


def largest_blocks(analysis: Any, limit: int = HEATMAP_UNITS) -> Any:
    """The block-density matrix of at most ``limit`` units: the largest, in their original order."""
    blocks = analysis.block_density
    if blocks is None or len(blocks) <= limit:
        return blocks
    sizes = analysis.snapshot.people["unit"].astype(str).value_counts()
    sizes = sizes.reindex(blocks.index.astype(str), fill_value=0).to_numpy()
    keep = np.sort(np.argsort(-sizes, kind="stable")[:limit])
    return blocks.iloc[keep, keep]


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
    k = int(analysis.settings.min_group_size)
    scripts = [vis_network_js(), asset("report.js")]
    lorenz = lorenz_chart(analysis.people["in_degree"].to_numpy(dtype=float))
    heatmap = heatmap_chart(largest_blocks(analysis), suppressed_units(analysis.units), k)
    return (
        environment()
        .get_template("report.html.j2")
        .render(
            view=report_view(analysis, show_names=show_names, comparison=comparison),
            graph=network_data(analysis, show_names=show_names),
            lorenz={"svg": Markup(lorenz.svg) if lorenz.svg else None, "note": lorenz.note},
            heatmap={"svg": Markup(heatmap.svg) if heatmap.svg else None, "note": heatmap.note},
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
        view.footer.k,
    )  # fmt: skip
    scripts = [asset("programme.js")]
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
