"""The presentation model: an analysis turned into display strings, rows and sentences.

No HTML here: templates lay these values out, autoescaped. Every figure shown is the
value of ``summary.json`` rounded for display (:func:`display_number`); group-level
figures arrive already suppressed (``<5``) and are shown as that text, never rebuilt. A
figure withheld for privacy (``None`` with a reason that says so) shows ``withheld``, and a
note gives the reason. The answers to the report's questions are in :mod:`.answers`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from leadnet.nonresponse import RESPONSE_KEYS
from leadnet.privacy import groups_to_suppress, is_withheld, suppressed_groups
from leadnet.report.answers import (
    distributed_answer,
    missing_reason,
    programme_answer,
    shared_answer,
    silos_answer,
    the_top,
)
from leadnet.report.findings import ties_of
from leadnet.report.graph import POOLED_UNITS
from leadnet.report.numbers import display_number, number, people_words, percent
from leadnet.report.tables import (
    WITHHELD,
    Footer,
    RoleList,
    Table,
    and_list,
    community_rows,
    footer,
    frame_table,
    header,
    hidden_levels,
    level_table,
    relation_table,
    role_lists,
    unmeasured_note,
    withheld_note,
)

PROGRAMME_PAGE = "../comparison/index.html"  # where `leadnet analyse` writes it, beside each snapshot
NOT_COMPUTED = "Not computed for this network (see the note below)."
WITHHELD_SENTENCE = "Withheld for privacy (see the note below)."


@dataclass(frozen=True)
class Figure:
    """One headline figure: its ``summary.json`` key, a label, the rounded value and a sentence."""

    key: str
    label: str
    value: str
    sentence: str


@dataclass(frozen=True)
class Answer:
    """One of the four questions of the report and its answer in plain words."""

    question: str
    answer: str
    link: str | None = None


def person_labels(people: pd.DataFrame, *, show_names: bool) -> pd.Series:
    """Display label per person_id: the ``name`` column when names are shown, else the id.

    An id that is an e-mail address usually spells the person's name: when any id holds an
    ``@`` and names are not shown, every person is labelled by a code instead (``P1``,
    ``P2``, ... in the ids' sorted order, so the same roster gives the same codes in every
    report). ``--pseudonymise`` replaces the ids themselves, in every output.

    >>> p = pd.DataFrame({"person_id": ["p1", "p2"], "name": ["Ann", ""]})
    >>> person_labels(p, show_names=False).to_list(), person_labels(p, show_names=True).to_list()
    (['p1', 'p2'], ['Ann', 'p2'])
    >>> mail = pd.DataFrame({"person_id": ["zoe@x.org", "ann@x.org", "E7"]})
    >>> person_labels(mail, show_names=False).to_dict()
    {'zoe@x.org': 'P3', 'ann@x.org': 'P2', 'E7': 'P1'}
    """
    ids = people["person_id"].astype(str)
    if show_names and "name" in people:
        names = people["name"].fillna("").astype(str)
        labels = names.where(names.str.strip() != "", ids)
    elif ids.str.contains("@", regex=False).any():
        order = ids.rank(method="dense").astype(int).astype(str)
        labels = "P" + order
    else:
        labels = ids
    return pd.Series(labels.to_numpy(), index=ids.to_numpy(), name="label")


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


@dataclass(frozen=True)
class ReportView:
    """Everything the report page shows, as display values (no HTML)."""

    title: str
    subtitle: str
    answers: tuple[Answer, ...]
    figures: tuple[Figure, ...]
    levels: Table
    roles: tuple[RoleList, ...]
    units: Table
    communities: Table
    bridges: Table
    footer: Footer
    relations: Table
    reasons: tuple[str, ...]
    withheld: str = ""
    units_withheld: str = ""
    units_not_computed: str = ""
    unmeasured: str = ""


def suppressed_levels(
    by_level: pd.DataFrame | None, k: int, levels: pd.Series | None = None
) -> tuple[str, ...]:
    """Levels whose people are not to be told apart by level: those the level table shows as
    ``<k`` (:func:`leadnet.report.tables.level_table`'s rule) and, of the ``levels`` people
    hold that the table does not list (levels without a rank), those
    :func:`leadnet.privacy.groups_to_suppress` hides among themselves. A blank level is no
    group and is never listed.

    >>> suppressed_levels(pd.DataFrame({"level": ["1", "2", "3"], "size": [1, 8, 60]}), 5)
    ('1', '2')
    >>> ranked = pd.DataFrame({"level": ["Staff"], "size": [40]})
    >>> suppressed_levels(ranked, 5, pd.Series(["Staff"] * 40 + ["Chair"] + ["Locum"] * 4 + ["Bank"] * 9))
    ('Chair', 'Locum')
    """
    hidden: list[str] = []
    ranked: list[str] = []
    if by_level is not None and not by_level.empty and "size" in by_level:
        ranked = [str(level) for level in by_level["level"]]
        hidden = [level for level, hide in zip(ranked, hidden_levels(by_level, k), strict=True) if hide]
    if levels is not None:
        labels = levels.fillna("").astype(str)
        sizes = labels[(labels.str.strip() != "") & ~labels.isin(ranked)].value_counts()
        hide = groups_to_suppress(sizes.sort_index(), k)
        hidden += [str(level) for level in hide.index[hide.to_numpy()]]
    return tuple(hidden)


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
    named = {labels.get(key, key.replace("_", " ")): why for key, why in reasons.items()}
    return dict(sorted(named.items(), key=lambda kv: kv[0].lower()))


def _reasons(summary: Mapping[str, Any], leadership: Mapping[str, str]) -> tuple[str, ...]:
    """Why figures could not be computed (those withheld for privacy are in :func:`_withheld`).

    A headline figure is named by its label on the page (``Clusters vs units``), so the
    reader can match the note to the ``n/a`` above it.

    >>> _reasons({"reasons": {"nmi_units_communities": "no ties"}}, {"cv_in_degree": "no in-ties"})
    ('Clusters vs units: no ties', 'cv in degree: no in-ties')
    """
    named = _named_reasons(summary, leadership)
    return tuple(f"{name}: {why}" for name, why in named.items() if not is_withheld(why))


def _withheld(summary: Mapping[str, Any], leadership: Mapping[str, str]) -> str:
    """The note on the organisation-wide figures withheld for privacy ("" when there are none).

    >>> print(_withheld({"reasons": {"leadership_share_outside_top": "withheld for privacy: a top of one"}},
    ...                 {"people_share_outside_top": "withheld for privacy: a top of one"}))
    Withheld for privacy: Influence outside the top and people share outside top: a top of one.
    """
    named = _named_reasons(summary, leadership)
    return withheld_note({name: why for name, why in named.items() if is_withheld(why)})


def _scorecard(units: pd.DataFrame, leadership: Mapping[str, str]) -> tuple[pd.DataFrame, str]:
    """The unit scorecard with each figure the leadership indices withheld for privacy shown as
    ``withheld`` (null in ``units.csv``), and the note that says why.

    >>> units = pd.DataFrame({"unit": ["Lab", "Ops"], "leadership_share_outside_top": [None, 0.9]})
    >>> card, note = _scorecard(units, {"by_unit[Lab].leadership_share_outside_top":
    ...                                 "withheld for privacy: a top of one"})
    >>> card["leadership_share_outside_top"].tolist(), note
    (['withheld', 0.9], 'Withheld for privacy: Leadership share outside top: a top of one.')
    """
    shown = units.copy()
    reasons: dict[str, str] = {}
    names = units["unit"].astype(str).tolist() if "unit" in units else []
    for column in units.columns:
        why = [leadership.get(f"by_unit[{name}].{column}") for name in names]
        withheld = np.array([is_withheld(w) for w in why], dtype=bool)
        if withheld.any():
            shown[column] = shown[column].astype(object)
            shown.loc[withheld, column] = WITHHELD
            reasons |= {header(str(column)): str(w) for w in why if is_withheld(w)}
    return shown, withheld_note(reasons)


MAX_NAMED_UNITS = 5


def _units_not_computed(units: pd.DataFrame, leadership: Mapping[str, str]) -> str:
    """The note on the unit scorecard's ``n/a`` cells of the share outside the top: which units and
    why ("" when there are none); those withheld for privacy are :func:`_scorecard`'s.

    >>> why = "everyone with a known level in this unit is in the top 2 levels"
    >>> print(_units_not_computed(pd.DataFrame({"unit": ["Board", "Ops"], "leadership_share_outside_top":
    ...     [None, 0.9]}), {"by_unit[Board].leadership_share_outside_top": why}))
    ... # doctest: +NORMALIZE_WHITESPACE
    Leadership share outside top is n/a for Board: everyone with a known level in this unit is in
    the top 2 levels.
    """
    column = "leadership_share_outside_top"
    names = units["unit"].astype(str).tolist() if column in units and "unit" in units else []
    by_reason: dict[str, list[str]] = {}
    for name in names:
        why = leadership.get(f"by_unit[{name}].{column}")
        if why and not is_withheld(why):
            by_reason.setdefault(why, []).append(name)
    notes = []
    for why, which in by_reason.items():
        more = len(which) - MAX_NAMED_UNITS
        named = which[:MAX_NAMED_UNITS] + ([f"{more:,} more"] if more > 0 else [])
        notes.append(f"{header(column)} is n/a for {and_list(named)}: {why}.")
    return " ".join(notes)


def _with_unit_names(bridges: pd.DataFrame | None, units: Mapping[str, str]) -> pd.DataFrame:
    """Bridges with each person's unit by name (whatever unit coding the table came with)."""
    if bridges is None:
        return pd.DataFrame()
    if "person_id" in bridges and "unit" in bridges:
        bridges = bridges.assign(unit=bridges["person_id"].astype(str).map(units))
    return bridges


def _last(frame: pd.DataFrame, column: str) -> Any:
    """The last value of ``column`` (None when the table is empty or has no such column)."""
    return frame[column].iloc[-1] if column in frame and len(frame) else None


def report_view(
    analysis: Any,
    *,
    show_names: bool = False,
    comparison: Mapping[str, Any] | None = None,
    labels: pd.Series | None = None,
) -> ReportView:
    """The presentation model of one analysis (an :class:`~leadnet.analysis.Analysis`;
    ``labels``, when given, are :func:`person_labels` already made)."""
    snapshot, summary = analysis.snapshot, analysis.summary
    shown = person_labels(snapshot.people, show_names=show_names) if labels is None else labels
    labels = dict(zip(shown.index.tolist(), shown.tolist(), strict=True))  # lists: fast for a million people
    people = snapshot.people
    ids, unit_names = people["person_id"].astype(str).tolist(), people["unit"].astype(str).tolist()
    hidden = set(suppressed_groups(analysis.units))  # named in no table, as in the network view
    units = {i: POOLED_UNITS if u in hidden else u for i, u in zip(ids, unit_names, strict=True)}
    top, k = int(analysis.settings.top_levels), int(analysis.settings.min_group_size)
    relation = str(summary.get("relation") or "ties")  # no tie at all: no relation to name
    bridges = _with_unit_names(analysis.bridges, units)
    n_bridges = bridges["person_id"].nunique() if "person_id" in bridges else len(bridges)
    answers = (
        Answer("Is leadership shared?", shared_answer(summary)),
        Answer("Is leadership distributed away from the top?", distributed_answer(summary, top)),
        Answer(
            "Where are the silos, and who bridges them?",
            silos_answer(summary, int(n_bridges), _last(bridges, "cumulative_cross_share"), k),
        ),
        Answer(
            "Did the programme change practice?",
            programme_answer(comparison, relation, k),
            PROGRAMME_PAGE if comparison else None,
        ),
    )
    leadership = analysis.leadership
    reasons = getattr(analysis.roles, "reasons", None)
    why = getattr(leadership, "reasons", None) or {}
    units_shown, units_withheld = _scorecard(analysis.units, why)
    units_not_computed = _units_not_computed(analysis.units, why)
    return ReportView(
        title=f"{analysis.project.name}: {snapshot.name}",
        subtitle=f"{people_words(summary.get('n_people'))}, period {snapshot.period}",
        answers=answers,
        figures=headline_figures(summary, relation, top),
        levels=level_table(getattr(leadership, "by_level", None), k),
        roles=role_lists(reasons, labels, units),
        units=frame_table(units_shown, labels, empty="No formal units in the roster."),
        communities=community_rows(analysis.communities, analysis.people, labels),
        bridges=frame_table(bridges, labels, empty="No one bridges units that would otherwise split apart."),
        footer=footer(snapshot, analysis.settings, analysis.project, show_names=show_names),
        relations=relation_table(
            summary.get("relations") or {},
            snapshot.provenance.parameters.get("relations") or {},
            summary.get("relation"),
        ),
        reasons=_reasons(summary, why),
        withheld=_withheld(summary, why),
        units_withheld=units_withheld,
        units_not_computed=units_not_computed,
        unmeasured=unmeasured_note(summary),
    )
