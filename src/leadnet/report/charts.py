"""Inline SVG charts for the report: the Lorenz curve of in-degree and the block-density heatmap.

Drawn with matplotlib's object API on the SVG canvas (no pyplot state), text kept as
text (``svg.fonttype = 'none'``), no external references, XML prolog and metadata
stripped so the SVG can sit inside HTML and the output is byte-identical run to run.
Labels are drawn with mathtext off, so a ``$`` in a unit name stays a dollar sign.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from leadnet.report.numbers import confidence_level
from leadnet.report.person_cells import WITHHELD

MAX_ANNOTATED = 15
DARK_FROM = 0.55
"""Cells of the Blues colour map above this share of the scale get white text (contrast)."""
_PROLOG = re.compile(r"<\?xml[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*|<metadata>.*?</metadata>\s*", re.S)


@dataclass(frozen=True)
class Chart:
    """An inline SVG chart, or ``svg=None`` with ``note`` saying why there is nothing to draw."""

    svg: str | None
    note: str


def figure_svg(fig: Figure, label: str = "") -> str:
    """The SVG text of a figure, without XML prolog, doctype or metadata.

    With a ``label`` the chart is one image to assistive technology (``role="img"`` and
    ``aria-label``), instead of a stream of tick labels read one by one.

    >>> fig = Figure(figsize=(1, 1)); _ = fig.add_subplot().plot([0, 1])
    >>> text = figure_svg(fig)
    >>> text.startswith("<svg"), "<?xml" in text, "<metadata>" in text
    (True, False, False)
    >>> figure_svg(fig, 'A "line" & more').split(">")[0][:59]
    '<svg role="img" aria-label="A &quot;line&quot; &amp; more" '
    """
    FigureCanvasSVG(fig)
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "leadnet", "svg.image_inline": True}):
        fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    text = _PROLOG.sub("", buffer.getvalue()).strip()
    if label:
        text = f'<svg role="img" aria-label="{html.escape(label, quote=True)}" ' + text.removeprefix("<svg ")
    return text


def lorenz_points(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cumulative share of people (x) against cumulative share of nominations (y).

    Examples
    --------
    Three people received 0, 1 and 3 nominations:

    >>> x, y = lorenz_points(np.array([3, 0, 1]))
    >>> x.round(3).tolist(), y.tolist()
    ([0.0, 0.333, 0.667, 1.0], [0.0, 0.0, 0.25, 1.0])

    References
    ----------
    Lorenz, M. O. (1905). Methods of measuring the concentration of wealth.
    Publications of the American Statistical Association, 9(70), 209-219.
    """
    ordered = np.sort(np.asarray(values, dtype=float))
    x = np.arange(len(ordered) + 1) / len(ordered)
    y = np.concatenate([[0.0], np.cumsum(ordered) / ordered.sum()])
    return x, y


def lorenz_chart(in_degree: Sequence[float] | np.ndarray) -> Chart:
    """Lorenz curve of received nominations; the further below the diagonal, the more concentrated.

    >>> lorenz_chart([]).note
    'No data: no one received a tie.'
    >>> lorenz_chart([0, 2, 1]).svg.startswith("<svg")
    True
    """
    values = np.asarray(in_degree, dtype=float)
    if len(values) == 0 or not np.isfinite(values).all() or values.sum() <= 0:
        return Chart(None, "No data: no one received a tie.")
    x, y = lorenz_points(values)
    fig = Figure(figsize=(4.2, 4.0))
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], color="#999999", linestyle="--", linewidth=1, label="equal share")
    ax.plot(x, y, color="#1f5f8b", linewidth=2, label="nominations received")
    ax.fill_between(x, y, x, color="#1f5f8b", alpha=0.12)
    ax.set(
        xlim=(0, 1), ylim=(0, 1), xlabel="share of people (least sought first)", ylabel="share of nominations"
    )
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    note = "The gap between the dashed line and the curve is the Gini coefficient's area."
    label = (
        "Lorenz curve: cumulative share of nominations received against cumulative share of people, "
        "least sought first. The further the curve sags below the diagonal, the more concentrated."
    )
    return Chart(figure_svg(fig, label), note)


def masked_blocks(blocks: pd.DataFrame, hidden: Sequence[str]) -> np.ndarray:
    """Block densities with every row and column of a suppressed unit set to NaN.

    >>> b = pd.DataFrame([[0.5, 0.1], [0.2, 0.4]], index=["A", "B"], columns=["A", "B"])
    >>> masked_blocks(b, ["B"]).tolist()
    [[0.5, nan], [nan, nan]]
    """
    values = blocks.to_numpy(dtype=float).copy()
    hide_rows = np.isin(blocks.index.astype(str), list(hidden))
    hide_cols = np.isin(blocks.columns.astype(str), list(hidden))
    values[hide_rows, :] = np.nan
    values[:, hide_cols] = np.nan
    return values


def cell_text(value: float) -> str:
    """A block density as its cell shows it: three decimals, as every density in the report.

    Two decimals would print the small densities between units (0.001 to 0.004) as ``0.00``,
    the same as no ties at all.

    >>> cell_text(0.0712), cell_text(0.0014), cell_text(0.0), cell_text(float("nan"))
    ('0.071', '0.001', '0', '')
    """
    if np.isnan(value):
        return ""
    return "0" if value == 0 else f"{value:.3f}"


def _annotate(
    ax: Any, values: np.ndarray, hidden_rows: np.ndarray, hidden_cols: np.ndarray, k: int, image: Any
) -> None:
    for i, j in np.ndindex(values.shape):
        if hidden_rows[i] or hidden_cols[j]:
            text, colour = f"<{k}", "black"
        else:
            value = float(values[i, j])
            text = cell_text(value)
            dark = not np.isnan(value) and float(image.norm(value)) > DARK_FROM
            colour = "white" if dark else "black"  # readable on the darkest blues
        ax.text(j, i, text, ha="center", va="center", fontsize=7, color=colour, parse_math=False)


def heatmap_chart(blocks: pd.DataFrame | None, hidden: Sequence[str] = (), k: int = 5) -> Chart:
    """Heatmap of tie density from each unit (rows) to each unit (columns).

    Units whose figures are suppressed show ``<k`` in every cell of their row and column. With
    every unit suppressed there is no density to show: no chart (an empty grid of ``<k`` under
    a colour scale of nothing), and the note says why.

    >>> heatmap_chart(pd.DataFrame()).note
    'No data: fewer than two units.'
    >>> b = pd.DataFrame([[0.5, 0.1], [0.2, 0.4]], index=["A", "B"], columns=["A", "B"])
    >>> chart = heatmap_chart(b, ["A", "B"], 1000)
    >>> chart.svg is None
    True
    >>> print(chart.note)  # doctest: +NORMALIZE_WHITESPACE
    Not drawn: every unit has fewer than 1000 people, or is hidden with the next smallest, so no
    density of ties between units can be shown (minimum group size 1000).
    """
    if blocks is None or len(blocks) < 2:
        return Chart(None, "No data: fewer than two units.")
    values = masked_blocks(blocks, hidden)
    if not np.isfinite(values).any():
        return Chart(
            None,
            f"Not drawn: every unit has fewer than {k} people, or is hidden with the next smallest, so no "
            f"density of ties between units can be shown (minimum group size {k}).",
        )
    names = [str(u) for u in blocks.index]
    size = min(2.5 + 0.35 * len(names), 14.0)
    fig = Figure(figsize=(size + 1.5, size))
    ax = fig.add_subplot()
    top = float(np.nanmax(values)) or 1.0  # with no tie at all, a scale from 0 to 1, not -0.1 to 0.1
    image = ax.imshow(np.ma.masked_invalid(values), cmap="Blues", vmin=0, vmax=top, interpolation="nearest")
    ax.set_facecolor("#eeeeee")
    ax.set_xticks(range(len(names)), names, rotation=90, fontsize=8, parse_math=False)
    ax.set_yticks(range(len(names)), names, fontsize=8, parse_math=False)
    ax.set(xlabel="to unit", ylabel="from unit")
    fig.colorbar(image, ax=ax, label="density of ties", shrink=0.8)
    if len(names) <= MAX_ANNOTATED:
        hidden_rows = np.isin(blocks.index.astype(str), list(hidden))
        hidden_cols = np.isin(blocks.columns.astype(str), list(hidden))
        _annotate(ax, values, hidden_rows, hidden_cols, k, image)
    note = f"Darker = denser ties. Units under {k} people, and the next smallest, are hidden (<{k})."
    label = (
        "Heatmap of tie density from each unit (rows) to each unit (columns); darker is denser. "
        "The unit scorecard table gives each unit's ties inside and across."
    )
    return Chart(figure_svg(fig, label), note)


def _forest_row(ax: Any, label: str, did: float | None, low: float | None, high: float | None) -> None:
    ax.set_yticks([0], [label], fontsize=9, parse_math=False)
    ax.axvline(0, color="#999999", linestyle="--", linewidth=1)
    ax.spines[["top", "right", "left"]].set_visible(False)
    ax.tick_params(axis="x", labelsize=8)
    if did is None:
        ax.set_xticks([])
        ax.text(0.5, 0.5, WITHHELD, transform=ax.transAxes, ha="center", va="center",
                fontsize=9, color="#5d6d7e", parse_math=False)  # fmt: skip
        return
    lo, hi = (did, did) if low is None or high is None else (low, high)
    ax.errorbar([did], [0], xerr=[[did - lo], [hi - did]], fmt="o", color="#1f5f8b", capsize=4, markersize=6)
    span = max(abs(lo), abs(hi), abs(did), 1e-9) * 1.15
    ax.set_xlim(min(-0.05 * span, lo - 0.1 * span), max(0.05 * span, hi + 0.1 * span))
    ax.set_ylim(-1, 1)


def forest_chart(
    labels: Sequence[str],
    did: Sequence[float | None],
    ci_low: Sequence[float | None],
    ci_high: Sequence[float | None],
    ranges: bool = True,
) -> Chart:
    """Forest plot of differences-in-differences with their confidence intervals, one panel (own
    scale) per measure; its key and label name the bars only when likely ranges were computed
    (``ranges``: ``comparison_method.has_ranges``, the rule of the rest of the page).

    A measure withheld for privacy (``did`` is ``None``) says so in its panel, in the word of the
    effects table's cells (:data:`~leadnet.report.person_cells.WITHHELD`). The dashed line is no
    difference between the cohort and the comparison group.

    >>> forest_chart([], [], [], []).note
    'No data: no cohort figures.'
    >>> forest_chart(["Ties", "E-I"], [3.08, None], [2.8, None], [3.36, None]).svg.count("withheld")
    1

    References
    ----------
    Lewis, S. & Clarke, M. (2001). Forest plots: trying to see the wood and the trees.
    BMJ 322(7300), 1479-1480.
    """
    if not labels:
        return Chart(None, "No data: no cohort figures.")
    fig = Figure(figsize=(9.0, 0.6 + 0.8 * len(labels)))
    axes = fig.subplots(len(labels), 1, squeeze=False)[:, 0]
    for ax, row in zip(axes, zip(labels, did, ci_low, ci_high, strict=True), strict=True):
        _forest_row(ax, *row)
    axes[-1].set_xlabel(
        "difference in change: cohort − comparison (each measure on its own scale)", fontsize=8
    )
    fig.subplots_adjust(hspace=1.1)
    return Chart(figure_svg(fig, _forest_label(ranges)), _forest_note(ranges))


def _forest_note(ranged: bool) -> str:
    """The forest plot's key; its bars named only when a likely range was computed (``ranged``).

    >>> print(_forest_note(False))  # doctest: +NORMALIZE_WHITESPACE
    Dot: difference-in-differences; dashed line: no difference. The findings say which differences were
    judged, and how.
    """
    if not ranged:
        return (
            "Dot: difference-in-differences; dashed line: no difference. The findings say which differences "
            "were judged, and how."
        )
    return (
        f"Dot: difference-in-differences; bar: likely range ({confidence_level()} CI); dashed line: no "
        "difference. "
        "A bar crossing it could be chance. The bars are not adjusted for testing several measures: "
        "the findings say which differences were judged, and how."
    )


def _forest_label(ranged: bool) -> str:
    """The forest plot's text for screen readers; its intervals named only when there are some."""
    interval = f" with its {confidence_level()} confidence interval" if ranged else ""
    return (
        "Forest plot: for each measure, the difference in change between participants and the "
        f"comparison group{interval}. The table above gives the same figures."
    )
