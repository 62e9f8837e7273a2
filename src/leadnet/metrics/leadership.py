"""How widely leadership is distributed: org-wide, per unit and per formal level.

Computed on the leadership/advice network, where an arc ``a → b`` means "a goes to b for
advice or direction", so a person's in-degree is how many colleagues lean on them.

*Shared* leadership (Carson, Tesluk & Marrone 2007) shows as a dense network where many
people are sought out: high density, low in-degree centralisation (Freeman 1979), low Gini
and coefficient of variation of in-degree. *Distributed* leadership shows as influence held
away from the top of the hierarchy: the share of in-degree and of PageRank received by people
below the top ``top_levels`` formal levels (``level_rank`` 1 = top), read against the share
of people below the top (``people_share_outside_top``: what an even spread would give, so
95% of nominations outside the top is no sign of distribution where 98% of people are
there), in-degree by level, and a weak link between rank and influence (Spearman's ρ of
level_rank with in-degree: negative when influence follows the hierarchy, since rank 1 is
the top).

Privacy: a group (unit or level) with fewer than ``min_group_size`` people (k, at least 5)
gets ``None`` for every figure, and the next smallest groups are hidden too until at least
two are hidden and they hold k people together, so that totals cannot reveal them
(QUALITY.md rule 7, :func:`leadnet.privacy.groups_to_suppress`; levels by
:func:`leadnet.privacy.levels_to_suppress`, recorded in :attr:`LeadershipIndices.hidden_levels`).
Sizes stay, for the report to show as "<k".
The shares outside the top are figures about two groups, the top levels and the people below
them, hidden by the same rule (:mod:`leadnet.metrics.distribution`): a top of one person would
otherwise give back that person's nominations. Every ``None`` has a reason in
:attr:`LeadershipIndices.reasons`; a figure withheld for privacy has one that begins
"withheld for privacy", and a unit's is listed in :attr:`LeadershipIndices.withheld_by_unit`.

References
----------
Carson, J. B., Tesluk, P. E. & Marrone, J. A. (2007). Shared leadership in teams. *Academy of
Management Journal* 50(5), 1217–1234.
Freeman, L. C. (1979). Centrality in social networks. *Social Networks* 1(3), 215–239.
Spearman, C. (1904). The proof and measurement of association between two things. *American
Journal of Psychology* 15(1), 72–101.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import igraph as ig
import numpy as np
import pandas as pd
from scipy import stats

from leadnet.edges import edge_array
from leadnet.errors import ConfigError, InputError
from leadnet.metrics.distribution import org_withheld, share_outside_top, shares_outside_top, split_withheld
from leadnet.metrics.ranking import in_top
from leadnet.metrics.structure import (
    centralization_from_in_degrees,
    coefficient_of_variation,
    density_from_counts,
    gini,
    is_symmetric,
)
from leadnet.privacy import WITHHELD_FOR_PRIVACY, groups_to_suppress, levels_to_suppress, suppressed_marker

ORG_FIELDS: tuple[str, ...] = (
    "density",
    "centralization_in_degree",
    "gini_in_degree",
    "cv_in_degree",
    "leadership_share_outside_top",
    "pagerank_share_outside_top",
    "people_share_outside_top",
    "level_influence_spearman",
    "top_influencers_manager_share",
    "n_unknown_level",
)
UNIT_COLUMNS: tuple[str, ...] = (
    "unit",
    "size",
    "density",
    "centralization_in_degree",
    "gini_in_degree",
    "cv_in_degree",
    "leadership_share_outside_top",
)
LEVEL_COLUMNS: tuple[str, ...] = (
    "level",
    "level_rank",
    "size",
    "mean_in_degree",
    "median_in_degree",
    "mean_pagerank",
    "share_of_in_degree",
)
TOP_INFLUENCER_SHARE = 0.05


@dataclass(frozen=True)
class LeadershipIndices:
    """Leadership distribution indices; ``None`` figures have a reason in ``reasons``.

    ``hidden_levels``: the levels whose people are not told apart by level
    (:func:`leadnet.privacy.levels_to_suppress`; the ranked ones' figures are ``None`` in
    ``by_level``). ``withheld_by_unit``: the ``(unit, column)`` cells of ``by_unit`` withheld for
    privacy (``None``, with a reason that begins "withheld for privacy").
    """

    density: float | None
    centralization_in_degree: float | None
    gini_in_degree: float | None
    cv_in_degree: float | None
    leadership_share_outside_top: float | None
    pagerank_share_outside_top: float | None
    people_share_outside_top: float | None
    level_influence_spearman: float | None
    top_influencers_manager_share: float | None
    n_unknown_level: int
    by_unit: pd.DataFrame
    by_level: pd.DataFrame
    top_levels: int
    min_group_size: int
    hidden_levels: tuple[str, ...]
    withheld_by_unit: frozenset[tuple[str, str]]
    reasons: dict[str, str] = field(default_factory=dict)

    def by_unit_shown(self) -> pd.DataFrame:
        """``by_unit`` with each figure withheld for privacy (:attr:`withheld_by_unit`) shown as
        ``<k``, as ``units.csv`` shows every suppressed cell; a figure not computed stays missing,
        its reason beside it.

        >>> ix = LeadershipIndices(None, None, None, None, None, None, None, None, None, 0,
        ...     pd.DataFrame({"unit": ["Lab", "Ops"], "leadership_share_outside_top": [None, 0.9]}),
        ...     pd.DataFrame(), 2, 5, (), frozenset({("Lab", "leadership_share_outside_top")}))
        >>> ix.by_unit_shown()["leadership_share_outside_top"].tolist()
        ['<5', 0.9]
        """
        shown = self.by_unit.copy()
        for column in sorted({column for _, column in self.withheld_by_unit}):
            units = {unit for unit, of in self.withheld_by_unit if of == column}
            hide = shown["unit"].astype(str).isin(units).to_numpy()
            shown[column] = shown[column].astype(object)
            shown.loc[hide, column] = suppressed_marker(self.min_group_size)
        return shown

    def to_dict(self) -> dict[str, Any]:
        """The org-wide figures, parameters and reasons as plain JSON-ready values."""
        out: dict[str, Any] = {key: getattr(self, key) for key in ORG_FIELDS}
        out.update(top_levels=self.top_levels, min_group_size=self.min_group_size, reasons=dict(self.reasons))
        return out


def leadership_indices(
    graph: ig.Graph,
    people: pd.DataFrame,
    pagerank: np.ndarray,
    *,
    top_levels: int = 2,
    min_group_size: int = 5,
) -> LeadershipIndices:
    """Org-wide, per-unit and per-level indices of shared and distributed leadership.

    Parameters
    ----------
    graph
        Directed leadership/advice graph; vertex ``i`` is ``people.iloc[i]``.
    people
        People table in vertex order with ``unit``, ``level``, ``level_rank`` (1 = top,
        <NA> unknown) and ``is_manager``.
    pagerank
        PageRank of each vertex.
    top_levels
        Levels 1..top_levels are "the top".
    min_group_size
        Privacy floor k (5 or more).

    Returns
    -------
    LeadershipIndices

    Examples
    --------
    Five level-3 people all ask one of the five level-1 bosses; that boss asks one back.
    Of the 6 nominations, 1 goes below the top, where 5 of the 10 people are.

    >>> g = ig.Graph(n=10, edges=[(i, 0) for i in range(5, 10)] + [(0, 5)], directed=True)
    >>> people = pd.DataFrame({"unit": "u", "level": ["L1"] * 5 + ["L3"] * 5,
    ...     "level_rank": pd.array([1] * 5 + [3] * 5, dtype="Int64"), "is_manager": [True] * 5 + [False] * 5})
    >>> ix = leadership_indices(g, people, np.full(10, 0.1))
    >>> round(ix.leadership_share_outside_top, 3), ix.people_share_outside_top, round(ix.density, 3)
    (0.167, 0.5, 0.067)

    With one boss alone at the top, 1 − share times the ties would be that boss's nominations:
    the shares are withheld.

    >>> ix = leadership_indices(g, people.assign(level_rank=pd.array([1] + [2] * 4 + [3] * 5, dtype="Int64")),
    ...                         np.full(10, 0.1), top_levels=1)
    >>> ix.leadership_share_outside_top, ix.reasons["leadership_share_outside_top"][:20]
    (None, 'withheld for privacy')

    References
    ----------
    See the module docstring.
    """
    _check(graph, people, pagerank, top_levels, min_group_size)
    in_degree = np.asarray(graph.indegree(), dtype=float)
    ranks = people["level_rank"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    reasons: dict[str, str] = {}
    symmetric = is_symmetric(graph)
    hidden_levels = levels_to_suppress(people["level"], ranks, min_group_size)
    pagerank = np.asarray(pagerank, dtype=float)
    by_level = _by_level(people, in_degree, pagerank, ranks, hidden_levels, min_group_size, reasons)
    org = _spread(graph.ecount(), in_degree, "", reasons, symmetric=symmetric)
    withheld = org_withheld(ranks, by_level, top_levels, min_group_size)
    org.update(shares_outside_top(in_degree, pagerank, ranks, top_levels, "", reasons, withheld))
    pooled = _pooled_ranks(ranks, by_level, hidden_levels)
    org["level_influence_spearman"] = _spearman(ranks, pooled, in_degree, reasons, min_group_size)
    org["top_influencers_manager_share"] = _manager_share(in_degree, people, reasons)
    by_unit, withheld_by_unit = _by_unit(graph, people, ranks, top_levels, min_group_size, reasons, symmetric)
    return LeadershipIndices(
        **org,
        n_unknown_level=int(np.isnan(ranks).sum()),
        by_unit=by_unit,
        by_level=by_level,
        top_levels=top_levels,
        min_group_size=min_group_size,
        hidden_levels=hidden_levels,
        withheld_by_unit=withheld_by_unit,
        reasons=reasons,
    )


def _spread(
    n_ties: int, in_degree: np.ndarray, where: str, reasons: dict[str, str], *, symmetric: bool
) -> dict[str, Any]:
    """Density, in-degree centralisation, Gini and CV of in-degree, with reasons for None.

    ``in_degree`` holds one value per person of the (sub)graph, which has ``n_ties`` ties;
    ``symmetric`` when every tie is reciprocated (centralisation is then undirected).
    """
    out = {
        "density": density_from_counts(len(in_degree), n_ties),
        "centralization_in_degree": centralization_from_in_degrees(in_degree, symmetric=symmetric),
        "gini_in_degree": gini(in_degree),
        "cv_in_degree": coefficient_of_variation(in_degree),
    }
    few = "fewer than 2 people"
    why = {"density": few, "centralization_in_degree": few}
    no_ties = "no in-ties" if len(in_degree) else "no people"
    why.update(gini_in_degree=no_ties, cv_in_degree=no_ties)
    for key, value in out.items():
        if value is None:
            reasons[where + key] = why[key]
    return out


def _spearman(
    ranks: np.ndarray, pooled: np.ndarray | None, in_degree: np.ndarray, reasons: dict[str, str], k: int
) -> float | None:
    """Spearman's ρ of level_rank with in-degree over people with a known level, taken on the
    ``pooled`` ranks (:func:`_pooled_ranks`); withheld when those are None or one level."""
    known = ~np.isnan(ranks)
    x, y = ranks[known], in_degree[known]
    if known.sum() < 3:
        reasons["level_influence_spearman"] = f"{int(known.sum())} people with a known level, fewer than 3"
        return None
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        reasons["level_influence_spearman"] = "level_rank or in-degree is the same for everyone"
        return None
    if pooled is None or np.ptp(pooled[known]) == 0:
        reasons["level_influence_spearman"] = _levels_hidden(k)
        return None
    return float(stats.spearmanr(pooled[known], y).statistic)


def _pooled_ranks(
    ranks: np.ndarray, by_level: pd.DataFrame, hidden_levels: tuple[str, ...]
) -> np.ndarray | None:
    """``ranks`` with the ranked levels the level table hides (``hidden_levels``) counted as one, the
    highest of them, or None when they are not next to each other.

    ρ over every person's own level would tell which of the people whose level is not shown holds
    which: of the 255 ways of giving levels 1 and 2 to the 9 Riverside people pooled so, one gave the
    published ρ (the chief executive at level 1). Tied at one rank, every way gives the same ρ.

    >>> by_level = pd.DataFrame({"level": ["1", "2", "3"], "level_rank": [1, 2, 3]})
    >>> _pooled_ranks(np.array([1.0, 2.0, 2.0, 3.0, np.nan]), by_level, ("1", "2"))
    array([ 1.,  1.,  1.,  3., nan])
    >>> _pooled_ranks(np.array([1.0, 3.0]), by_level, ("1", "3")) is None
    True
    """
    hide = by_level["level"].isin(hidden_levels).to_numpy()
    if not hide.any():
        return ranks
    order = np.unique(by_level["level_rank"].to_numpy(dtype=float))
    hidden = np.unique(by_level["level_rank"].to_numpy(dtype=float)[hide])
    at = np.searchsorted(order, hidden)
    if at[-1] - at[0] != len(hidden) - 1:
        return None
    return np.where(np.isin(ranks, hidden), hidden[0], ranks)


def _levels_hidden(k: int) -> str:
    """Why ρ of level with in-degree is withheld when the hidden levels cannot be counted as one.

    >>> print(_levels_hidden(5))  # doctest: +NORMALIZE_WHITESPACE
    withheld for privacy: the levels hidden in the table of influence by level are not next to each
    other (or no other level is left), so they cannot be counted as one level, and ρ over each person's
    own level would tell which of their people holds which level (minimum group size 5)
    """
    return (
        f"{WITHHELD_FOR_PRIVACY}: the levels hidden in the table of influence by level are not next to "
        "each other (or no other level is left), so they cannot be counted as one level, and ρ over each "
        f"person's own level would tell which of their people holds which level (minimum group size {k})"
    )


def _manager_share(in_degree: np.ndarray, people: pd.DataFrame, reasons: dict[str, str]) -> float | None:
    """Share of the top 5% by in-degree (ties at the cut-off included) who are managers."""
    if in_degree.sum() <= 0:
        reasons["top_influencers_manager_share"] = "no in-ties"
        return None
    top = in_top(in_degree, TOP_INFLUENCER_SHARE) & (in_degree > 0)
    return float(people["is_manager"].to_numpy(dtype=bool)[top].mean())


def _by_unit(
    graph: ig.Graph,
    people: pd.DataFrame,
    ranks: np.ndarray,
    top_levels: int,
    k: int,
    reasons: dict[str, str],
    symmetric: bool,
) -> tuple[pd.DataFrame, frozenset[tuple[str, str]]]:
    """Indices on each unit's own subgraph (ties inside the unit); "" units are left out. Returns
    the table and its ``(unit, column)`` cells withheld for privacy.

    A unit's subgraph is its members and the ties among them, so its in-degrees and tie
    count come from one pass over the ties (not a subgraph per unit: 25,000 units at a
    million people).
    """
    units = people["unit"].astype(str).to_numpy()
    names, sizes = np.unique(units[units != ""], return_counts=True)
    hidden = _suppressed(sizes, k)
    order = np.argsort(units, kind="stable")  # each unit's members, in vertex order, one slice each
    starts = np.searchsorted(units[order], names)
    code = np.where(units != "", np.searchsorted(names, units), -1)
    edges = edge_array(graph)
    inside = (code[edges[:, 0]] == code[edges[:, 1]]) & (code[edges[:, 0]] >= 0)
    within_in = np.bincount(edges[inside, 1], minlength=graph.vcount()).astype(float)
    within_ties = np.bincount(code[edges[inside, 1]], minlength=len(names))
    rows, withheld_cells = [], set()
    for name, size, hide, start, n_ties in zip(names, sizes, hidden, starts, within_ties, strict=True):
        row: dict[str, Any] = {"unit": str(name), "size": int(size)}
        where = f"by_unit[{name}]."
        if hide:
            row.update(dict.fromkeys(UNIT_COLUMNS[2:]))
            reasons[f"by_unit[{name}]"] = _suppression_reason(int(size), k)
        else:
            members = order[start : start + size]
            sub_in = within_in[members]
            row.update(_spread(int(n_ties), sub_in, where, reasons, symmetric=symmetric))
            withheld = split_withheld(ranks[members], top_levels, k, "in the unit, ")
            row["leadership_share_outside_top"] = share_outside_top(
                sub_in, ranks[members], top_levels, where, reasons, withheld=withheld
            )
            if withheld is not None and row["leadership_share_outside_top"] is None:
                withheld_cells.add((str(name), "leadership_share_outside_top"))
        rows.append(row)
    return _frame(rows, UNIT_COLUMNS, ("unit", "size")), frozenset(withheld_cells)


def _by_level(
    people: pd.DataFrame,
    in_degree: np.ndarray,
    pagerank: np.ndarray,
    ranks: np.ndarray,
    hidden_levels: tuple[str, ...],
    k: int,
    reasons: dict[str, str],
) -> pd.DataFrame:
    """In-degree and PageRank per formal level (people with a known level_rank); the figures of
    ``hidden_levels`` (:func:`leadnet.privacy.levels_to_suppress`) are ``None``."""
    known = ~np.isnan(ranks)
    table = pd.DataFrame(
        {"level": people["level"].astype(str).to_numpy()[known], "level_rank": ranks[known].astype(np.int64)}
    ).assign(in_degree=in_degree[known], pagerank=pagerank[known])
    grouped = table.groupby(["level_rank", "level"], sort=True)
    summary = grouped.agg(
        size=("in_degree", "size"),
        mean_in_degree=("in_degree", "mean"),
        median_in_degree=("in_degree", "median"),
        mean_pagerank=("pagerank", "mean"),
        in_sum=("in_degree", "sum"),
    ).reset_index()
    total = table["in_degree"].sum()
    summary["share_of_in_degree"] = summary["in_sum"] / total if total > 0 else np.nan
    hidden = summary["level"].isin(hidden_levels).to_numpy()
    rows = []
    for row, hide in zip(summary.to_dict("records"), hidden, strict=True):
        row["level_rank"], row["size"] = int(row["level_rank"]), int(row["size"])
        if hide:
            row.update(dict.fromkeys(LEVEL_COLUMNS[3:]))
            reasons[f"by_level[{row['level']}]"] = _suppression_reason(row["size"], k)
        elif total <= 0:
            row["share_of_in_degree"] = None
            reasons[f"by_level[{row['level']}].share_of_in_degree"] = (
                "no in-ties among people with a known level"
            )
        rows.append({c: (None if _is_nan(row[c]) else row[c]) for c in LEVEL_COLUMNS})
    return _frame(rows, LEVEL_COLUMNS, ("level", "level_rank", "size"))


def _suppressed(sizes: np.ndarray, k: int) -> np.ndarray:
    """The groups :func:`leadnet.privacy.groups_to_suppress` hides: those below k, and the next
    smallest until at least two are hidden and they hold k people together."""
    return groups_to_suppress(pd.Series(np.asarray(sizes)), k).to_numpy(dtype=bool)


def _suppression_reason(size: int, k: int) -> str:
    if size < k:
        return f"fewer than {k} people (minimum group size): figures suppressed"
    return f"suppressed with a smaller group so that totals cannot reveal it (minimum group size {k})"


def _frame(rows: list[dict[str, Any]], columns: tuple[str, ...], fixed: tuple[str, ...]) -> pd.DataFrame:
    """Rows as a DataFrame with fixed column order; figure columns are object dtype to keep None."""
    frame = pd.DataFrame(rows, columns=list(columns))
    for col in columns:
        if col not in fixed:
            frame[col] = pd.Series([r.get(col) for r in rows], dtype=object)
    return frame


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and np.isnan(value)


def _check(graph: ig.Graph, people: pd.DataFrame, pagerank: np.ndarray, top_levels: int, k: int) -> None:
    if k < 5:
        raise ConfigError(f"min_group_size must be 5 or more (the privacy floor). Got {k} instead.")
    if top_levels < 1:
        raise ConfigError(f"top_levels must be 1 or more. Got {top_levels} instead.")
    if len(people) != graph.vcount() or len(pagerank) != graph.vcount():
        raise InputError(
            f"people and pagerank must have one row per vertex ({graph.vcount()} vertices). "
            f"Got {len(people)} people and {len(pagerank)} PageRank values instead."
        )
    missing = [c for c in ("unit", "level", "level_rank", "is_manager") if c not in people.columns]
    if missing:
        raise InputError(
            "people must have the columns unit, level, level_rank, is_manager. "
            f"Missing: {', '.join(missing)}."
        )
