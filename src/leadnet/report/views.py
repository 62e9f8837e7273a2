"""The presentation model: an analysis turned into display strings, rows and sentences.

No HTML here: templates lay these values out, autoescaped. Every figure shown is the
value of ``summary.json`` rounded for display (:func:`display_number`); group-level
figures arrive already suppressed (``<5``) and are shown as that text, never rebuilt, as is a
unit's figure withheld for privacy (``<5`` in ``units.csv`` too), a note giving the reason. A
headline figure withheld for privacy (``None`` with a reason that says so) shows ``withheld``,
and a note gives the reason. The headline figures and their notes are in :mod:`.figures`, the
answers to the report's questions in :mod:`.answers`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from leadnet.addresses import may_name_person
from leadnet.metrics.roles import ROLE_MEANINGS, ROLE_ORDER
from leadnet.privacy import is_withheld
from leadnet.report.answers import (
    distributed_answer,
    programme_answer,
    programme_caveat,
    shared_answer,
    silos_answer,
)
from leadnet.report.disclosure import (
    evidence_shown,
    pooled_note,
    split_masks,
    unit_of_person,
    units_shown,
)
from leadnet.report.figures import Figure, figure_reasons, figures_withheld, headline_figures
from leadnet.report.numbers import display_number, people_words
from leadnet.report.tables import (
    Footer,
    RoleList,
    Table,
    and_list,
    community_rows,
    ei_p_note,
    footer,
    frame_table,
    header,
    isolated,
    level_table,
    relation_table,
    role_lists,
    unmeasured_note,
    withheld_note,
)

PROGRAMME_PAGE = "../comparison/index.html"  # where `leadnet analyse` writes it, beside each snapshot


@dataclass(frozen=True)
class Answer:
    """One of the four questions of the report and its answer in plain words."""

    question: str
    answer: str
    link: str | None = None
    caveat: str = ""
    """What the answer does not show (the programme's "About cause"); "" with none."""


def person_labels(people: pd.DataFrame, *, show_names: bool) -> pd.Series:
    """Display label per person_id: the ``name`` column when names are shown, else the id.

    An id that is an e-mail address usually spells the person's name: when any id holds an
    ``@`` (:func:`~leadnet.addresses.may_name_person`, an address or not: wider on purpose than the
    rule of the warning that ids are addresses, see :mod:`leadnet.addresses`) and names are not
    shown, every person is labelled by a code instead (``P1``,
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
    elif ids.map(may_name_person).any():
        order = ids.rank(method="dense").astype(int).astype(str)
        labels = "P" + order
    else:
        labels = ids
    return pd.Series(labels.to_numpy(), index=ids.to_numpy(), name="label")


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
    units_p: str = ""
    unmeasured: str = ""
    role_rules: Table = Table((), ())
    warnings: tuple[str, ...] = ()
    """``summary.json``'s warnings on the figures (a survey fewer than half answered), shown first."""


def role_rules(roles: Any) -> Table:
    """Every role with the people who hold it, what it means and the rule that gives it
    (:class:`~leadnet.metrics.roles.Roles`' ``rules``, with this network's thresholds); a role
    undefined in this network (``not_given``) says why instead of a count.

    >>> import numpy as np
    >>> from leadnet.metrics.roles import assign_roles
    >>> m = pd.DataFrame({"person_id": list("abcdef"), "is_manager": [True] + [False] * 5,
    ...     "in_degree": [0, 1, 0, 0, 0, 5], "out_degree": [1, 1, 1, 1, 1, 1],
    ...     "betweenness": 0.0, "pagerank": 1 / 6, "participation_units": 0.0,
    ...     "brokerage_total": 0, "brokerage_z": np.nan, "cross_unit_share": 0.0})
    >>> table = role_rules(assign_roles(m))
    >>> table.columns
    ('Role', 'People', 'What it means', 'Rule')
    >>> [row[:2] for row in table.rows]  # doctest: +NORMALIZE_WHITESPACE
    [('Informal leader', '1'), ('Formal leader low reach', '0'), ('Boundary spanner', '0'),
     ('Central connector', '1'), ('Overload risk', '1'), ('Peripheral', '4')]
    >>> print(table.rows[3][3])
    in-degree + out-degree in the top 5%
    """
    counts = roles.counts() if hasattr(roles, "counts") else {}
    rules, not_given = getattr(roles, "rules", {}) or {}, getattr(roles, "not_given", {}) or {}
    rows = tuple(
        (
            role.replace("_", " ").capitalize(),  # as the network view's tooltips and filter name it
            "n/a" if role in not_given else display_number(counts.get(role)),
            ROLE_MEANINGS[role][:1].upper() + ROLE_MEANINGS[role][1:] + ".",
            not_given.get(role) or rules.get(role, "not recorded"),
        )
        for role in ROLE_ORDER
    )
    return Table(("Role", "People", "What it means", "Rule"), rows, "No roles.")


def _withheld_units_note(units: pd.DataFrame, leadership: Mapping[str, str]) -> str:
    """The note under the unit scorecard on the figures the leadership indices withheld for
    privacy, which ``units.csv`` and the scorecard show as ``<k`` (:meth:`~leadnet.metrics.leadership.
    LeadershipIndices.by_unit_shown`): each reason once, after the figures it holds back.

    >>> units = pd.DataFrame({"unit": ["Lab", "Ops"], "leadership_share_outside_top": ["<5", 0.9]})
    >>> _withheld_units_note(units, {"by_unit[Lab].leadership_share_outside_top":
    ...                              "withheld for privacy: a top of one"})
    'Withheld for privacy: Influence outside the top: a top of one.'
    """
    reasons: dict[str, str] = {}
    names = units["unit"].astype(str).tolist() if "unit" in units else []
    for column in units.columns:
        why = [leadership.get(f"by_unit[{name}].{column}") for name in names]
        reasons |= {header(str(column)): str(w) for w in why if is_withheld(w)}
    return withheld_note(reasons)


MAX_NAMED_UNITS = 5


def _units_not_computed(units: pd.DataFrame, leadership: Mapping[str, str]) -> str:
    """The note on the unit scorecard's ``n/a`` cells of the share outside the top: which units and
    why ("" when there are none); those withheld for privacy are :func:`_withheld_units_note`'s.

    >>> why = "everyone with a known level in this unit is in the top 2 levels"
    >>> print(_units_not_computed(pd.DataFrame({"unit": ["Board", "Ops"], "leadership_share_outside_top":
    ...     [None, 0.9]}), {"by_unit[Board].leadership_share_outside_top": why}))
    ... # doctest: +NORMALIZE_WHITESPACE
    Influence outside the top is n/a for Board: everyone with a known level in this unit is in the
    top 2 levels.
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


def _named_people(reasons: pd.DataFrame | None, bridges: pd.DataFrame | None) -> set[str]:
    """The people the report names with their unit: those of the role lists and the bridges.

    >>> sorted(_named_people(pd.DataFrame({"person_id": ["p2", "p9"]}), pd.DataFrame({"person_id": [7]})))
    ['7', 'p2', 'p9']
    """
    frames = (frame for frame in (reasons, bridges) if frame is not None and "person_id" in frame)
    return {str(person) for frame in frames for person in frame["person_id"]}


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


def _answers(
    summary: Mapping[str, Any],
    bridges: pd.DataFrame,
    comparison: Mapping[str, Any] | None,
    relation: str,
    *,
    top: int,
    k: int,
) -> tuple[Answer, ...]:
    """The four questions of the report answered, the programme's with a link to its page when there
    is a comparison."""
    n_bridges = bridges["person_id"].nunique() if "person_id" in bridges else len(bridges)
    return (
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
            programme_caveat(comparison),
        ),
    )


def _evidence_shown(analysis: Any, reasons: pd.DataFrame | None) -> pd.DataFrame | None:
    """The role reasons the report lists, a boundary spanner's evidence withheld as ``people.csv``
    withholds its figures: a hidden unit's person's all of it (their brokerage too), and the
    participation and cross-unit share of one :func:`~leadnet.report.disclosure.split_masks` names."""
    hidden = analysis.hidden
    if not hidden.units:
        return reasons
    people = analysis.people
    ids = people["person_id"].astype(str).to_numpy()
    pooled = people["unit"].astype(str).isin(hidden.units).to_numpy()
    spread = split_masks(people, analysis.snapshot.ties_of(), hidden)["participation"]
    return evidence_shown(reasons, frozenset(ids[spread].tolist()), frozenset(ids[pooled].tolist()))


def report_view(
    analysis: Any,
    *,
    show_names: bool = False,
    comparison: Mapping[str, Any] | None = None,
    labels: pd.Series | None = None,
    alone: np.ndarray | None = None,
) -> ReportView:
    """The presentation model of one analysis (an :class:`~leadnet.analysis.Analysis`;
    ``labels``, when given, are :func:`person_labels` already made)."""
    snapshot, summary = analysis.snapshot, analysis.summary
    shown = person_labels(snapshot.people, show_names=show_names) if labels is None else labels
    labels = dict(zip(shown.index.tolist(), shown.tolist(), strict=True))  # lists: fast for a million people
    reasons = getattr(analysis.roles, "reasons", None)
    named = _named_people(reasons, analysis.bridges)
    units = unit_of_person(named, analysis).to_dict()  # a hidden unit named in no table, as in the view
    top, k = int(analysis.settings.top_levels), int(analysis.settings.min_group_size)
    relation = str(summary.get("relation") or "ties")  # no tie at all: no relation to name
    bridges = _with_unit_names(analysis.bridges, units)
    answers = _answers(summary, bridges, comparison, relation, top=top, k=k)
    leadership = analysis.leadership
    why = getattr(leadership, "reasons", None) or {}
    table = units_shown(analysis.units, analysis.hidden.units)  # a hidden unit's row unnamed, as in units.csv
    notes = (pooled_note(analysis.hidden), _withheld_units_note(table, why))
    units_withheld = " ".join(note for note in notes if note)
    units_not_computed = _units_not_computed(table, why)
    if alone is None:  # as n_isolated
        alone = isolated(analysis.people, snapshot.ties_of(), snapshot.outside_roster)
    return ReportView(
        title=f"{analysis.project.name}: {snapshot.name}",
        subtitle=f"{people_words(summary.get('n_people'))}, period {snapshot.period}",
        answers=answers,
        figures=headline_figures(summary, relation, top),
        levels=level_table(getattr(leadership, "by_level", None), analysis.hidden.levels, k),
        roles=role_lists(_evidence_shown(analysis, reasons), labels, units),
        units=frame_table(table, labels, empty="No formal units in the roster."),
        communities=community_rows(analysis.communities, analysis.people, labels, alone),
        bridges=frame_table(bridges, labels, empty="No one bridges units that would otherwise split apart."),
        footer=footer(snapshot, analysis.settings, analysis.project, show_names=show_names),
        relations=relation_table(
            summary.get("relations") or {},
            snapshot.provenance.parameters.get("relations") or {},
            summary.get("relation"),
        ),
        reasons=figure_reasons(summary, why),
        withheld=figures_withheld(summary, why),
        units_withheld=units_withheld,
        units_not_computed=units_not_computed,
        units_p=ei_p_note(analysis.units),
        unmeasured=unmeasured_note(summary),
        role_rules=role_rules(analysis.roles),
        warnings=tuple(str(w) for w in summary.get("warnings") or ()),
    )
