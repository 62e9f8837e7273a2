"""Report tables as display strings: influence by level, roles, unit scorecard, bridges, footer.

Group-level tables arrive suppressed (``<5``) from the analysis; cells are passed
through :func:`~leadnet.report.numbers.display_number`, which shows text as it is.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from leadnet import __version__
from leadnet.nonresponse import survey_of
from leadnet.privacy import WITHHELD_FOR_PRIVACY, suppressed_marker
from leadnet.report.numbers import display_number, p_value, people_words, percent, significance_level
from leadnet.report.person_cells import (
    PEOPLE_LIST_COLUMNS,
    PERSON_COLUMNS,
    id_parts,
    people_list,
    person_cell,
)

MAX_ROLE_ROWS = 25
FOCUS_ROLES: tuple[tuple[str, str], ...] = (
    ("informal leader", "Informal leaders"),
    ("boundary spanner", "Boundary spanners"),
    ("overload risk", "Overload risk"),
)
HEADERS: Mapping[str, str] = {
    "person_id": "Person",
    "n": "People",
    "nmi": "NMI",
    # influence by formal level
    "level_rank": "Rank (1 = top)",
    "size": "People",
    "mean_in_degree": "Nominations received, mean",
    "median_in_degree": "Nominations received, median",
    "mean_pagerank": "Influence score (PageRank), mean",
    "share_of_in_degree": "Share of all nominations",
    "level_influence_spearman": "Level against nominations (Spearman)",
    # unit scorecard: the figures named as the headline cards name them
    "internal_ties": "Ties inside the unit",
    "external_ties": "Ties with other units",
    "ei_index": "E-I index",
    "ei_p_value": "E-I p-value",
    "ei_p_holm": "E-I p, Holm-adjusted",
    "centralization_in_degree": "Centralisation",
    "gini_in_degree": "Gini of influence",
    "cv_in_degree": "Spread of nominations (CV)",
    "leadership_share_outside_top": "Influence outside the top",
    "people_share_outside_top": "People outside the top",
    "pagerank_share_outside_top": "Influence score (PageRank) outside the top",
    # communities and bridges
    "modularity_share": "Share of modularity",
    "cross_unit_ties": "Contacts with other units",
    "units_reached": "Other units reached",
    "is_articulation_point": "Splits the network if gone",
    "removal_cross_ties_lost": "Cross-unit contacts lost if gone",
    "removal_unit_pairs_cut": "Unit pairs left with no contact if gone",
    "cumulative_cross_share": "Share of cross-unit contacts lost, with those above",
}
"""Each table column's header as an executive reads it (the CSV files keep the column names)."""


@dataclass(frozen=True)
class Table:
    """A table of display strings: header labels and rows of cells, in order."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    empty: str = "None found."


@dataclass(frozen=True)
class Source:
    """One input file as the footer shows it."""

    path: str
    kind: str
    sha256: str
    rows: str


@dataclass(frozen=True)
class Footer:
    """What every report footer states (QUALITY.md rule 7)."""

    project: str
    purpose: str
    sources: tuple[Source, ...]
    period: str
    k: int
    rows_read: str
    rows_accepted: str
    rows_rejected: str
    normalisations: str
    version: str
    seed: int
    names_shown: bool
    pseudonymised: bool = False


def withheld_note(reasons: Mapping[str, str]) -> str:
    """The note under figures withheld for privacy: each reason once, after the figures it holds
    back (``reasons`` maps a figure's label to its reason); "" when nothing is withheld.

    >>> print(withheld_note({"Share": "withheld for privacy: a group under 5",
    ...                      "Headcount": "withheld for privacy: a group under 5"}))
    Withheld for privacy: Share and Headcount: a group under 5.
    """
    labels: dict[str, list[str]] = {}
    for label, reason in reasons.items():
        why = reason.removeprefix(WITHHELD_FOR_PRIVACY).removeprefix(":").strip()
        labels.setdefault(why, []).append(label)
    parts = [f"{and_list(names)}: {why}" for why, names in labels.items()]
    return f"{WITHHELD_FOR_PRIVACY.capitalize()}: {'; '.join(parts)}." if parts else ""


def and_list(names: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


@dataclass(frozen=True)
class RoleList:
    """People holding one role with the evidence of each; the rule that gave the role, stated once."""

    title: str
    count: int
    table: Table
    more: int = 0
    rule: str = ""


def header(column: str) -> str:
    """A column name as a table header.

    >>> header("internal_ties"), header("cv_in_degree"), header("dominant_units")
    ('Ties inside the unit', 'Spread of nominations (CV)', 'Dominant units')
    """
    return HEADERS.get(column, column.replace("_", " ").capitalize())


def ei_p_note(units: pd.DataFrame | None) -> str:
    """The note under the unit scorecard that says which E-I p-value to read; "" without an adjusted
    p-value to read (no Holm column, or none computed: no permutations, every unit withheld).

    >>> print(ei_p_note(pd.DataFrame({"unit": ["Lab"], "ei_p_value": [0.03], "ei_p_holm": [0.09]})))
    E-I p-value tests each unit alone, so with many units some fall below 0.05 by chance: read E-I p, \
Holm-adjusted, the same p adjusted across the network's units (Holm 1979).
    """
    if (
        units is None
        or "ei_p_holm" not in units
        or not pd.to_numeric(units["ei_p_holm"], errors="coerce").notna().any()
    ):
        return ""
    level = significance_level()
    return (
        f"{header('ei_p_value')} tests each unit alone, so with many units some fall below {level} "
        f"by chance: read {header('ei_p_holm')}, the same p adjusted across the network's units (Holm 1979)."
    )


def frame_table(frame: pd.DataFrame | None, labels: Mapping[str, str], empty: str = "None found.") -> Table:
    """Any table as display strings; a column of one person each (:data:`PERSON_COLUMNS`) shows each
    person's label, as does each id of a list of people (:data:`PEOPLE_LIST_COLUMNS`,
    :func:`people_list`), and an id the labels do not know ``withheld`` (:func:`person_cell`).

    A column of p-values (named ``*p_value``, or ``*p_holm`` adjusted) shows those below 0.001
    as ``<0.001`` and those just below 0.05 with the decimals they need not to print as ``0.050``
    (:func:`p_value`).

    >>> t = frame_table(pd.DataFrame({"person_id": ["p1"], "score": [0.51234]}), {"p1": "Ann"})
    >>> t.columns, t.rows
    (('Person', 'Score'), (('Ann', '0.512'),))
    """
    if frame is None or frame.empty:
        cols = () if frame is None else tuple(header(str(c)) for c in frame.columns)
        return Table(cols, (), empty)
    shown = frame.copy()
    for col in PERSON_COLUMNS:
        if col in shown:
            shown[col] = shown[col].map(lambda p: person_cell(p, labels))
    span = id_parts(labels)
    for col in PEOPLE_LIST_COLUMNS:
        if col in shown:
            shown[col] = shown[col].map(lambda ids: people_list(ids, labels, span))
    cells = [p_value if str(c).endswith(("p_value", "p_holm")) else display_number for c in shown.columns]
    rows = tuple(
        tuple(cell(v) for cell, v in zip(cells, row, strict=True))
        for row in shown.itertuples(index=False, name=None)
    )
    return Table(tuple(header(str(c)) for c in shown.columns), rows, empty)


NO_TIE = "no tie"


def isolated(people: pd.DataFrame, ties: pd.DataFrame, outside: Collection[str] = ()) -> np.ndarray:
    """Who has no tie to another person of the roster, in the order of ``people``: the people the
    summary counts in ``n_isolated`` (on the graph without the pooled outside world,
    :mod:`leadnet.roster_communities`), whom the report shows as :data:`NO_TIE`.

    A tie with the pooled outside world (``outside``: ``Snapshot.outside_roster``) is no tie
    among the people: someone who only writes outside has no tie, as with ``external = "drop"``.
    The outside world itself is no person, so not isolated either.

    >>> people = pd.DataFrame({"person_id": ["a", "b", "c", "d", "external"]})
    >>> ties = pd.DataFrame({"source": ["a", "c", "external"], "target": ["b", "external", "d"]})
    >>> isolated(people, ties, ["external"]).tolist()
    [False, False, True, True, False]
    >>> isolated(people, ties).tolist()  # no outside world: the external vertex is a person
    [False, False, False, False, False]
    """
    ids = pd.Index(people["person_id"].astype(str))
    away = ids.isin(list(outside))
    ends = [ids.get_indexer(ties[end].astype(str)) for end in ("source", "target")]  # -1: not a person here
    among = (ends[0] >= 0) & (ends[1] >= 0)
    among[among] = ~(away[ends[0][among]] | away[ends[1][among]])
    tied = np.bincount(np.concatenate([e[among] for e in ends]), minlength=len(ids)) > 0
    return ~tied & ~away


def community_rows(
    communities: pd.DataFrame | None, people: pd.DataFrame, labels: Mapping[str, str], alone: np.ndarray
) -> Table:
    """The communities table; the people with no tie on one row, ``no tie``, with their number.

    A person with no tie is a community of one in ``communities.csv``; listed one by one they
    would read as so many communities, which the headline does not count. Their number is
    the headline's (``n_isolated``): ``alone`` says who they are (:func:`isolated`, in the order
    of ``people``), so a person whose only ties are with the pooled outside world is one of them.

    >>> c = pd.DataFrame({"community": [0, 1, 2], "size": [6, "<5", "<5"], "bridges": ["p1", "<5", "<5"]})
    >>> p = pd.DataFrame({"community": [0] * 6 + [1, 2]})
    >>> community_rows(c, p, {"p1": "Ann"}, np.array([False] * 6 + [True, True])).rows
    (('0', '6', 'Ann'), ('no tie', '2', ''))
    """
    empty = "No communities found."
    if communities is None or communities.empty or "community" not in communities:
        return frame_table(communities, labels, empty=empty)
    tied = ~np.asarray(alone, dtype=bool)
    any_tie = pd.Series(tied).groupby(people["community"].to_numpy()).any()
    lone = people["community"].isin(any_tie.index[~any_tie.to_numpy()]).to_numpy()
    shown = communities[~communities["community"].isin(people["community"][lone])]
    if lone.any():
        row = dict.fromkeys(communities.columns, "") | {"community": NO_TIE, "size": int(lone.sum())}
        shown = pd.concat([shown.astype(object), pd.DataFrame([row], dtype=object)], ignore_index=True)
    return frame_table(shown, labels, empty=empty)


def level_table(by_level: pd.DataFrame | None, hidden: Collection[str], k: int = 5) -> Table:
    """Influence by formal level; a ``hidden`` level (under ``k`` people, or the next smallest:
    :func:`leadnet.privacy.levels_to_suppress`) shows ``<k``.

    The leadership indices blank the figures of such levels but keep their sizes; the size
    is hidden here.

    >>> t = pd.DataFrame({"level": ["Board", "Staff", "Heads"], "level_rank": [1, 3, 2],
    ...                   "size": [3, 40, 8], "mean_in_degree": [None, 2.5, None]})
    >>> level_table(t, {"Board", "Heads"}).rows
    (('Board', '1', '<5', '<5'), ('Staff', '3', '40', '2.500'), ('Heads', '2', '<5', '<5'))
    """
    if by_level is None or by_level.empty or "size" not in by_level:
        return frame_table(by_level, {}, empty="No ranked formal levels in the roster.")
    hide = by_level["level"].astype(str).isin(list(hidden)).to_numpy()
    shown = by_level.astype(object).copy()
    figures = [c for c in shown.columns if c not in ("level", "level_rank")]
    shown.loc[hide, figures] = suppressed_marker(k)
    return frame_table(shown, {})


def _role_key(role: Any) -> str:
    return str(role).strip().lower().replace("_", " ").replace("-", " ")


def role_lists(
    reasons: pd.DataFrame | None, labels: Mapping[str, str], units: Mapping[str, str]
) -> tuple[RoleList, ...]:
    """The focus roles (informal leader, boundary spanner, overload risk) with their reasons.

    Examples
    --------
    >>> r = pd.DataFrame({"person_id": ["p2"], "role": ["informal_leader"],
    ...                   "rule": ["in-degree in top 10%, not a manager"], "evidence": ["in_degree=9"]})
    >>> lists = role_lists(r, {"p2": "p2"}, {"p2": "Lab"})
    >>> lists[0].title, lists[0].count, lists[0].rule, lists[0].table.rows
    ('Informal leaders', 1, 'in-degree in top 10%, not a manager', (('p2', 'Lab', 'in_degree=9'),))
    """
    frame = (
        reasons if reasons is not None else pd.DataFrame(columns=["person_id", "role", "rule", "evidence"])
    )
    keys = frame["role"].map(_role_key) if len(frame) else pd.Series([], dtype=object)
    out = []
    for key, title in FOCUS_ROLES:
        part = frame[keys.to_numpy() == key] if len(frame) else frame
        more = max(0, len(part) - MAX_ROLE_ROWS)
        part = part.head(MAX_ROLE_ROWS)  # kept in the order the roles come in: strongest evidence first
        rows = tuple(
            (labels.get(str(p), str(p)), units.get(str(p), ""), str(ev))
            for p, ev in part[["person_id", "evidence"]].itertuples(index=False, name=None)
        )
        table = Table(("Person", "Unit", "Evidence"), rows, f"No {title.lower()} found.")
        rule = "; ".join(dict.fromkeys(str(r) for r in part["rule"]))  # one rule per role, in order
        out.append(RoleList(title, len(rows) + more, table, more, rule))
    return tuple(out)


def unmeasured_note(summary: Mapping[str, Any]) -> str:
    """Whose figures ``people.csv`` leaves empty, and why ("" when nobody's): not computed is no 0.

    ``n_non_respondents`` counts those of the primary relation's surveys (none when no survey gave it);
    the survey is named by the summary's ``relation``.

    >>> print(unmeasured_note({"n_unknown_unit": 2, "n_non_respondents": 1, "relation": "advice"}))
    ... # doctest: +NORMALIZE_WHITESPACE
    2 people have no unit in the roster: their brokerage, participation and cross-unit share are not
    computed (empty in people.csv), so they are never boundary spanners. 1 person did not answer the
    advice survey: their brokerage, constraint and effective size are not computed (empty in
    people.csv), since those rest on the ties a person names. Everyone else's are measured without the
    ties non-respondents would have named (nothing is imputed), which tends to raise brokerage against
    chance and so the number of boundary spanners.
    >>> unmeasured_note({"n_unknown_unit": 0, "n_non_respondents": 0})
    ''
    """
    notes = []
    no_unit, silent = summary.get("n_unknown_unit"), summary.get("n_non_respondents")
    if isinstance(no_unit, int) and no_unit > 0:
        notes.append(
            f"{people_words(no_unit, 'have')} no unit in the roster: their brokerage, participation and "
            "cross-unit share are not computed (empty in people.csv), so they are never boundary spanners."
        )
    if isinstance(silent, int) and silent > 0:
        notes.append(
            f"{people_words(silent)} did not answer {survey_of(summary.get('relation'))}: their brokerage, "
            "constraint and effective size are not computed (empty in people.csv), since those rest on the "
            "ties a person names. Everyone else's are measured without the ties non-respondents would have "
            "named (nothing is imputed), which tends to raise brokerage against chance and so the number of "
            "boundary spanners."
        )
    return " ".join(notes)


def relation_table(figures: Mapping[str, Any], sources: Mapping[str, Any], primary: str | None) -> Table:
    """Where the ties come from: one row per relation with its source files, figures and, for a
    surveyed relation, how many people answered (:func:`answered`).

    >>> t = relation_table({"advice": {"n_ties": 12, "density": 0.2, "reciprocity": None,
    ...                                "n_respondents": 9, "n_non_respondents": 1, "response_rate": 0.9}},
    ...                    {"advice": ["survey.csv"]}, "advice")
    >>> t.rows
    (('advice (primary)', 'survey.csv', '12', '0.200', 'n/a', '90.0% (9 of 10)'),)
    """
    rows = tuple(
        (
            f"{relation} (primary)" if relation == primary else str(relation),
            ", ".join(sources.get(relation, ())) or "not recorded",
            display_number(values.get("n_ties"), 0),
            display_number(values.get("density")),
            display_number(values.get("reciprocity")),
            answered(values),
        )
        for relation, values in figures.items()
    )
    columns = ("Relation", "From", "Ties", "Density", "Reciprocity", "Answered")
    return Table(columns, rows, empty="No ties in any relation.")


def answered(figures: Mapping[str, Any]) -> str:
    """A relation's survey response, for the relations table: the share and count who answered.

    >>> answered({"n_respondents": 552, "n_non_respondents": 48, "response_rate": 0.92})
    '92.0% (552 of 600)'
    >>> answered({"n_respondents": None, "n_non_respondents": None, "response_rate": None})
    'not surveyed'
    """
    done, silent = figures.get("n_respondents"), figures.get("n_non_respondents")
    if not isinstance(done, int) or not isinstance(silent, int):
        return "not surveyed"
    return f"{percent(figures.get('response_rate'))} ({done:,} of {done + silent:,})"


def _int_sum(values: Any) -> str:
    return f"{sum(int(v) for v in values):,}"


def footer(snapshot: Any, settings: Any, project: Any, *, show_names: bool) -> Footer:
    """The footer facts: purpose, sources with sha256, period, k, row counts, version, seed."""
    inputs = tuple(snapshot.provenance.inputs)
    sources = tuple(
        Source(
            i.path,
            i.kind,
            i.sha256,
            f"{i.rows_read:,} read, {i.rows_accepted:,} accepted, {i.rows_rejected:,} rejected",
        )
        for i in inputs
    )
    norms = snapshot.provenance.normalisations
    normalised = "; ".join(f"{k.replace('_', ' ')}: {int(v):,}" for k, v in sorted(norms.items())) or "none"
    return Footer(
        project=str(project.name),
        purpose=str(project.purpose) or "No purpose stated in leadnet.toml.",
        sources=sources,
        period=str(snapshot.period),
        k=int(settings.min_group_size),
        rows_read=_int_sum(i.rows_read for i in inputs),
        rows_accepted=_int_sum(i.rows_accepted for i in inputs),
        rows_rejected=_int_sum(i.rows_rejected for i in inputs),
        normalisations=normalised,
        version=__version__,
        seed=int(settings.seed),
        names_shown=show_names,
        pseudonymised=bool(snapshot.provenance.parameters.get("pseudonymised")),
    )
