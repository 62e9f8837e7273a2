"""The headline figures of the snapshot report, and the notes on those not shown.

Each figure is the value of ``summary.json`` rounded for display (:func:`display_number`), with
a sentence that says what it measures; a figure that is missing says why in a note below them:
not computed (:func:`figure_reasons`, named by the figure's label on the page) or withheld for
privacy (:func:`figures_withheld`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from leadnet.nonresponse import RESPONSE_KEYS
from leadnet.privacy import is_withheld
from leadnet.report.answers import missing_reason, the_top
from leadnet.report.findings import ties_of
from leadnet.report.numbers import display_number, number, people_words, percent
from leadnet.report.person_cells import WITHHELD
from leadnet.report.tables import header, withheld_note

NOT_COMPUTED = "Not computed for this network (see the note below)."
WITHHELD_SENTENCE = "Withheld for privacy (see the note below)."


@dataclass(frozen=True)
class Figure:
    """One headline figure: its ``summary.json`` key, a label, the rounded value and a sentence."""

    key: str
    label: str
    value: str
    sentence: str


def _sentences(summary: Mapping[str, Any], relation: str, top_levels: int) -> dict[str, tuple[str, str]]:
    s = summary
    return {
        "n_people": ("People", "people in the network, whether or not they have ties."),
        "n_ties": ("Ties", f"{ties_of(relation)}: one person turning to another."),
        "density": ("Density", f"{percent(s.get('density'))} of all possible ties exist."),
        "reciprocity": (
            "Reciprocity",
            f"{percent(s.get('reciprocity'))} of connected pairs turn to each other.",
        ),
        "centralization_in_degree": (
            "Centralisation",
            "How much everyone turns to one person: 0 = evenly, 1 = all to one (Freeman).",
        ),
        "gini_in_degree": (
            "Gini of influence",
            "Inequality in how often people are sought: 0 = equal, 1 = one person.",
        ),
        "leadership_share_outside_top": (
            "Influence outside the top",
            f"{percent(s.get('leadership_share_outside_top'))} of nominations go to people outside "
            f"{the_top(top_levels)}.",
        ),
        "n_informal_leaders": (
            "Informal leaders",
            "people sought out as leaders who have no management role.",
        ),
        "n_boundary_spanners": ("Boundary spanners", "people who connect units that otherwise rarely meet."),
        "n_communities": (
            "Communities",
            "working clusters of two or more people found in the ties (Leiden, seeded)"
            + _isolated_words(s.get("n_isolated")),
        ),
        "modularity": (
            "Modularity",
            "How sharply the network splits into those clusters (above 0.3 is clear).",
        ),
        "nmi_units_communities": (
            "Clusters vs units",
            "How well the clusters match the formal units: 0 = not at all, 1 = exactly.",
        ),
        "ei_index": ("E-I index", "Ties across units against ties inside: -1 = all inside, +1 = all across."),
    }


def headline_figures(
    summary: Mapping[str, Any], relation: str = "advice", top_levels: int = 2
) -> tuple[Figure, ...]:
    """The headline figures, each with the ``summary.json`` value rounded for display.

    >>> f = headline_figures({"density": 0.04512, "n_people": 40})
    >>> [(x.key, x.value) for x in f[:3]]
    [('n_people', '40'), ('n_ties', 'n/a'), ('density', '0.045')]
    >>> f[2].sentence, f[1].sentence
    ('4.5% of all possible ties exist.', 'Not computed for this network (see the note below).')

    A figure withheld for privacy says so:

    >>> f = headline_figures({"leadership_share_outside_top": None,
    ...     "reasons": {"leadership_share_outside_top": "withheld for privacy: a top of one"}})
    >>> f[6].value, f[6].sentence
    ('withheld', 'Withheld for privacy (see the note below).')
    """
    texts = _sentences(summary, relation, top_levels)
    return tuple(_figure(summary, key, label, text) for key, (label, text) in texts.items())


def _figure(summary: Mapping[str, Any], key: str, label: str, text: str) -> Figure:
    """One headline figure: its value and sentence, or why it is not shown."""
    if number(summary.get(key)) is not None:
        return Figure(key, label, display_number(summary.get(key)), text)
    if is_withheld(missing_reason(summary, key)):
        return Figure(key, label, WITHHELD, WITHHELD_SENTENCE)
    return Figure(key, label, display_number(summary.get(key)), NOT_COMPUTED)


def _isolated_words(n: Any) -> str:
    """The clause on people with no tie, each a community of one, not counted ("." when there are none)."""
    if not isinstance(n, int) or n <= 0:
        return "."
    return f"; {people_words(n)} with no tie, not counted."


def _named_reasons(summary: Mapping[str, Any], leadership: Mapping[str, str]) -> dict[str, str]:
    """Why figures are missing, by the label of each figure on the page: the primary relation's
    ``reasons``, the summary's own and the organisation-wide ones of the leadership indices
    (group rows are shown as ``<k``), sorted by label. Response counts are left out: the
    relations table says "not surveyed" where there are none."""
    relation = summary.get("relation")
    figures = (summary.get("relations") or {}).get(relation) or {}
    reasons = {
        **(figures.get("reasons") or {}),
        **(summary.get("reasons") or {}),
        **{key: why for key, why in leadership.items() if "[" not in key},
    }
    reasons = {key: why for key, why in reasons.items() if key not in RESPONSE_KEYS}
    labels = {key: label for key, (label, _) in _sentences({}, str(relation), 2).items()}
    labels["n_peripheral"] = "Peripheral people"  # a summary figure the headline does not show
    named = {labels.get(key) or header(key): why for key, why in reasons.items()}
    return dict(sorted(named.items(), key=lambda kv: kv[0].lower()))


def figure_reasons(summary: Mapping[str, Any], leadership: Mapping[str, str]) -> tuple[str, ...]:
    """Why figures could not be computed (those withheld for privacy are in :func:`figures_withheld`).

    A headline figure is named by its label on the page (``Clusters vs units``), so the
    reader can match the note to the ``n/a`` above it.

    >>> figure_reasons({"reasons": {"nmi_units_communities": "no ties"}}, {"cv_in_degree": "no in-ties"})
    ('Clusters vs units: no ties', 'Spread of nominations (CV): no in-ties')
    """
    named = _named_reasons(summary, leadership)
    return tuple(f"{name}: {why}" for name, why in named.items() if not is_withheld(why))


def figures_withheld(summary: Mapping[str, Any], leadership: Mapping[str, str]) -> str:
    """The note on the organisation-wide figures withheld for privacy ("" when there are none).

    >>> why = "withheld for privacy: a top of one"
    >>> print(figures_withheld({"reasons": {"leadership_share_outside_top": why}},
    ...                        {"people_share_outside_top": why}))
    Withheld for privacy: Influence outside the top and People outside the top: a top of one.
    """
    named = _named_reasons(summary, leadership)
    return withheld_note({name: why for name, why in named.items() if is_withheld(why)})
