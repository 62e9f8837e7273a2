"""Explainable role labels: every label keeps the rule and the numbers that triggered it.

Roles, in their fixed display order (:data:`ROLE_ORDER`):

``informal_leader``
    Sought after without a formal role: in-degree in the top 5% of people, an outlier of the
    in-degree distribution (above Tukey's fence Q3 + 1.5·IQR, Tukey 1977, *Exploratory Data Analysis*), at
    least 2× the median, named by at least 3 colleagues, not a manager. Informal leaders are the core of
    shared leadership (Carson, Tesluk & Marrone 2007; Pearce & Conger 2003). The fence keeps
    the label for people who stand apart from the crowd, not the merely busy top 5%. The floor
    of 3 nominators (in-degree counts each nominator once) keeps it for collective endorsement:
    leadership is granted by a group of colleagues, not one (DeRue & Ashford 2010). Without it,
    in a sparse or barely answered survey, where the median and the fence are 0, a single
    nomination made a leader.
``formal_leader_low_reach``
    A manager whose in-degree is below the median: formal authority without informal pull.
``boundary_spanner``
    Brokers across units: Gould–Fernandez total brokerage with z ≥ 2 against its expected value
    (about the 2.5% upper tail of the normal approximation, Gould & Fernandez 1989) *and* ties
    spread across units, participation coefficient ≥ 0.62 with at least 4 ties, counted as arcs in
    and out, so a reciprocated tie counts twice (Guimerà & Amaral 2005 call nodes with P > 0.62
    "connectors"). Both are needed: high brokerage inside
    one unit is coordination, and a high participation on a handful of ties is chance. Only ties
    to people whose unit is known count, as in the participation and the cross-unit share: a tie
    to someone of unknown unit is neither inside nor across units.
``central_connector``
    In-degree + out-degree in the top 5% (Cross & Parker 2004, "central connectors").
    Degree rather than betweenness: it is what the person can see, and it is exact on any size.
``overload_risk``
    The smallest set of most-sought-after people who together receive 20% of all in-ties,
    capped at 5% of people: Cross, Rebele & Grant (2016) find 3–5% of employees supply
    20–35% of value-adding collaborations. Only people strictly above the in-degree of the
    first person left out are flagged, so ties at the cut-off never flag anyone arbitrarily.
``peripheral``
    In-degree + out-degree ≤ 1 (Cross & Parker 2004, "peripheral people"), among the people
    whose out-ties were observed: a survey non-respondent has out-degree 0 because they did
    not answer, not because they seek no one out, so they are never labelled peripheral. In a
    network with no tie at all no one is: the periphery lies outside the ties of others, and
    without ties there is none (:data:`NO_PERIPHERY`, in :attr:`Roles.not_given`).

"Top X%" means a competition rank (1 = highest; tied people share the best rank) of at most
max(1, ⌊X·n⌋): tied people at the cut-off are all in, and renaming people changes nothing.

References
----------
Carson, J. B., Tesluk, P. E. & Marrone, J. A. (2007). Shared leadership in teams. *Academy of
Management Journal* 50(5), 1217–1234.
Cross, R. & Parker, A. (2004). *The Hidden Power of Social Networks*. Harvard Business School
Press.
Cross, R., Rebele, R. & Grant, A. (2016). Collaborative overload. *Harvard Business Review*
94(1), 74–79.
DeRue, D. S. & Ashford, S. J. (2010). Who will lead and who will follow? A social process of
leadership identity construction in organizations. *Academy of Management Review* 35(4), 627–647.
Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation. *Sociological Methodology*
19, 89–126.
Guimerà, R. & Amaral, L. A. N. (2005). Functional cartography of complex metabolic networks.
*Nature* 433, 895–900.
Pearce, C. L. & Conger, J. A. (Eds.) (2003). *Shared Leadership: Reframing the Hows and Whys of
Leadership*. Sage.
Tukey, J. W. (1977). *Exploratory Data Analysis*. Addison-Wesley.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd

from leadnet.errors import ConfigError, InputError
from leadnet.metrics.ranking import competition_rank, in_top, tukey_fence

ROLE_ORDER: tuple[str, ...] = (
    "informal_leader",
    "formal_leader_low_reach",
    "boundary_spanner",
    "central_connector",
    "overload_risk",
    "peripheral",
)
METRIC_COLUMNS: tuple[str, ...] = (
    "person_id",
    "is_manager",
    "in_degree",
    "out_degree",
    "betweenness",
    "pagerank",
    "participation_units",
    "brokerage_total",
    "brokerage_z",
    "cross_unit_share",
)
REASON_COLUMNS: tuple[str, ...] = ("person_id", "role", "rule", "evidence", "value")
ROLE_MEANINGS: dict[str, str] = {
    "informal_leader": "many colleagues turn to them, though they hold no management role",
    "formal_leader_low_reach": "a manager fewer colleagues turn to than most people: authority without pull",
    "boundary_spanner": "links people of different units who would otherwise rarely meet",
    "central_connector": "among the best-connected people, counting ties sought and given",
    "overload_risk": "one of the few people who together receive a fifth of all requests: risk of overload",
    "peripheral": "has at most one tie, in or out (a survey non-respondent is never counted)",
}
"""What each role means, in a sentence for the report (the rule itself is :attr:`Roles.rules`)."""
NO_PERIPHERY = (
    "no one has a tie, and periphery is defined by the ties of others: no one is labelled peripheral"
)


@dataclass(frozen=True)
class RoleThresholds:
    """Thresholds of the role rules; the defaults and their sources are in the module docstring.

    Shares are fractions of people (``0.05`` = top 5%).
    """

    informal_top_share: float = 0.05
    informal_median_multiple: float = 2.0
    informal_fence_iqr: float = 1.5
    informal_min_in_degree: int = 3
    spanner_participation: float = 0.62
    spanner_min_degree: int = 4
    spanner_brokerage_z: float = 2.0
    connector_top_share: float = 0.05
    overload_tie_share: float = 0.20
    overload_max_people_share: float = 0.05
    peripheral_max_degree: int = 1

    def __post_init__(self) -> None:
        shares = ("top_share", "participation", "cross_share", "tie_share", "people_share")
        for f in fields(self):
            value = getattr(self, f.name)
            if any(f.name.endswith(s) for s in shares) and not 0 < value <= 1:
                raise ConfigError(f"RoleThresholds.{f.name} must be in (0, 1]. Got {value} instead.")
            if not any(f.name.endswith(s) for s in shares) and value < 0:
                raise ConfigError(f"RoleThresholds.{f.name} must be 0 or more. Got {value} instead.")


@dataclass(frozen=True)
class Roles:
    """Role labels per person and the evidence behind each.

    ``labels``: index person_id (input order), value the ``;``-joined roles in
    :data:`ROLE_ORDER` ("" when none). ``reasons``: columns :data:`REASON_COLUMNS`, one row per
    label, sorted by role (in :data:`ROLE_ORDER`), then value descending, then person_id.
    ``not_given``: each role given to no one because it is undefined here, with the reason
    (``peripheral`` in a network with no tie, :data:`NO_PERIPHERY`). ``rules``: each role's
    rule with this network's thresholds (Tukey's fence, the median), in :data:`ROLE_ORDER`,
    whether or not anyone holds it.
    """

    labels: pd.Series
    reasons: pd.DataFrame
    thresholds: RoleThresholds
    n_informal_leaders: int
    n_formal_leaders_low_reach: int
    n_boundary_spanners: int
    n_central_connectors: int
    n_overload_risk: int
    n_peripheral: int
    not_given: dict[str, str] = field(default_factory=dict)
    rules: dict[str, str] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """How many people hold each role, in :data:`ROLE_ORDER`."""
        return {
            "informal_leader": self.n_informal_leaders,
            "formal_leader_low_reach": self.n_formal_leaders_low_reach,
            "boundary_spanner": self.n_boundary_spanners,
            "central_connector": self.n_central_connectors,
            "overload_risk": self.n_overload_risk,
            "peripheral": self.n_peripheral,
        }


def assign_roles(metrics: pd.DataFrame, thresholds: RoleThresholds | None = None) -> Roles:
    """Label each person with the roles whose rule they meet, keeping the evidence.

    Parameters
    ----------
    metrics
        One row per person with the columns :data:`METRIC_COLUMNS` (``brokerage_z`` is the z
        of the Gould–Fernandez total; NaN where undefined) and, optionally, ``responded``:
        false for a survey non-respondent, whose out-ties are unknown (all true if absent), and
        ``unit_ties``: each person's ties (arcs in and out) to people of known unit, those the
        participation and cross-unit share count (in-degree + out-degree if absent: every unit known),
        and ``on_roster``: false for the pooled outside world of an e-mail source, a contact who
        holds no role (all true if absent).
    thresholds
        Rule thresholds; ``RoleThresholds()`` by default.

    Returns
    -------
    Roles

    Examples
    --------
    Five people ask "e" for advice; "e" is no manager, so an informal leader.

    >>> m = pd.DataFrame({"person_id": list("abcdef"), "is_manager": [True] + [False] * 5,
    ...     "in_degree": [1, 0, 0, 0, 0, 5], "out_degree": [1, 1, 1, 1, 1, 1],
    ...     "betweenness": 0.0, "pagerank": 1 / 6, "participation_units": 0.0,
    ...     "brokerage_total": 0, "brokerage_z": np.nan, "cross_unit_share": 0.0})
    >>> roles = assign_roles(m)
    >>> roles.labels["f"]
    'informal_leader;central_connector;overload_risk'
    >>> roles.reasons.iloc[0]["evidence"]
    'in-degree 5 (top 17%, median 0), not a manager'
    """
    t = thresholds if thresholds is not None else RoleThresholds()
    data = _checked(metrics)
    masks_values = _role_masks(data, t)
    ids = data["person_id"].to_numpy(dtype=object)
    labels = pd.Series([""] * len(data), index=pd.Index(ids, name="person_id"), dtype=object)
    rows = []
    for role in ROLE_ORDER:
        mask, value, rule, evidence = masks_values[role]
        labels = labels + np.where(mask, role + ";", "")
        rows.append(
            pd.DataFrame({"person_id": ids[mask], "role": role, "rule": rule, "evidence": evidence}).assign(
                value=value[mask], order=ROLE_ORDER.index(role)
            )
        )
    reasons = pd.concat(rows, ignore_index=True).sort_values(
        ["order", "value", "person_id"], ascending=[True, False, True], kind="stable"
    )
    reasons = reasons[list(REASON_COLUMNS)].reset_index(drop=True)
    count = {role: int(masks_values[role][0].sum()) for role in ROLE_ORDER}
    return Roles(
        labels=labels.str.rstrip(";"),
        reasons=reasons,
        thresholds=t,
        n_informal_leaders=count["informal_leader"],
        n_formal_leaders_low_reach=count["formal_leader_low_reach"],
        n_boundary_spanners=count["boundary_spanner"],
        n_central_connectors=count["central_connector"],
        n_overload_risk=count["overload_risk"],
        n_peripheral=count["peripheral"],
        not_given={} if _has_ties(data) else {"peripheral": NO_PERIPHERY},
        rules={role: masks_values[role][2] for role in ROLE_ORDER},
    )


def _floats(data: pd.DataFrame, column: str) -> np.ndarray:
    """A column as floats, a missing value (pandas' ``NA`` of a nullable column) as NaN, on every pandas."""
    return data[column].to_numpy(dtype=float, na_value=np.nan)


def _has_ties(data: pd.DataFrame) -> bool:
    """Whether anyone has a tie (in or out)."""
    return bool((_floats(data, "in_degree") + _floats(data, "out_degree") > 0).any())


RoleRule = tuple[np.ndarray, np.ndarray, str, np.ndarray]
"""Who has the role (mask), the value it is sorted by, the rule text, and the evidence of each
person who has it (in order; written only for them: a million people, few of whom hold a role)."""


def _evidence(mask: np.ndarray, describe: Callable[..., str], *columns: np.ndarray) -> np.ndarray:
    """``describe(*values)`` for each person in ``mask``, given their values of ``columns``."""
    texts = [describe(*values) for values in zip(*(c[mask] for c in columns), strict=True)]
    return np.array(texts, dtype=object)


def _role_masks(data: pd.DataFrame, t: RoleThresholds) -> dict[str, RoleRule]:
    """For each role its :data:`RoleRule`; nobody off the roster (``on_roster`` false) holds one."""
    rules = {
        "informal_leader": _informal_leader(data, t),
        "formal_leader_low_reach": _formal_low_reach(data),
        "boundary_spanner": _boundary_spanner(data, t),
        "central_connector": _central_connector(data, t),
        "overload_risk": _overload_risk(data, t),
        "peripheral": _peripheral(data, t),
    }
    if "on_roster" not in data:
        return rules
    roster = data["on_roster"].to_numpy(dtype=bool)
    return {role: (mask & roster, value, rule, evidence[roster[mask]])
            for role, (mask, value, rule, evidence) in rules.items()}  # fmt: skip


def _informal_leader(data: pd.DataFrame, t: RoleThresholds) -> RoleRule:
    deg = _floats(data, "in_degree")
    median = float(np.median(deg)) if len(deg) else 0.0
    rank = competition_rank(deg)
    fence = tukey_fence(deg, t.informal_fence_iqr)
    mask = (
        in_top(deg, t.informal_top_share)
        & (deg > fence)
        & (deg >= t.informal_median_multiple * median)
        & (deg >= t.informal_min_in_degree)
        & ~data["is_manager"].to_numpy(dtype=bool)
    )
    evidence = _evidence(
        mask,
        lambda d, r: (
            f"in-degree {_count(d)} (top {_pct(r, len(deg))}%, "
            + (f"{d / median:,.1f}× median" if median > 0 else f"median {_count(median)}")
            + "), not a manager"
        ),
        deg,
        rank,
    )
    rule = (
        f"in-degree in the top {t.informal_top_share:.0%}, above Q3 + {t.informal_fence_iqr:g}·IQR "
        f"({_count(fence)}) and ≥ {t.informal_median_multiple:g}× the median, named by at least "
        f"{t.informal_min_in_degree} colleagues; not a manager"
    )
    return mask, deg, rule, evidence


def _formal_low_reach(data: pd.DataFrame) -> RoleRule:
    deg = _floats(data, "in_degree")
    median = float(np.median(deg)) if len(deg) else 0.0
    mask = data["is_manager"].to_numpy(dtype=bool) & (deg < median)
    evidence = _evidence(
        mask, lambda d: f"manager with in-degree {_count(d)}, below the median {_count(median)}", deg
    )
    return mask, deg, f"a manager whose in-degree is below the median ({_count(median)})", evidence


def _boundary_spanner(data: pd.DataFrame, t: RoleThresholds) -> RoleRule:
    degree = _floats(data, "in_degree") + _floats(data, "out_degree")
    if "unit_ties" in data:  # ties to people of unknown unit are neither inside nor across units
        degree = _floats(data, "unit_ties")
    part = _floats(data, "participation_units")
    total = _floats(data, "brokerage_total")
    z = _floats(data, "brokerage_z")
    cross = _floats(data, "cross_unit_share")
    mask = (
        (np.nan_to_num(z, nan=-np.inf) >= t.spanner_brokerage_z)
        & (np.nan_to_num(part, nan=-1) >= t.spanner_participation)
        & (degree >= t.spanner_min_degree)
    )
    evidence = _evidence(
        mask,
        lambda b, zz, p, d, s: (
            f"brokerage {_count(b)} (z {zz:.1f}); participation across units {p:.2f} over {_count(d)} ties, "
            f"{s:.1%} of ties cross units"
        ),
        total,
        z,
        part,
        degree,
        cross,
    )
    rule = (
        f"Gould–Fernandez brokerage z ≥ {t.spanner_brokerage_z:g} and participation across units "
        f"≥ {t.spanner_participation:g} with ≥ {t.spanner_min_degree} ties (arcs in and out) to people "
        "whose unit is known"
    )
    return mask, np.nan_to_num(z, nan=0.0), rule, evidence


def _central_connector(data: pd.DataFrame, t: RoleThresholds) -> RoleRule:
    degree = _floats(data, "in_degree") + _floats(data, "out_degree")
    mask = in_top(degree, t.connector_top_share) & (degree > 0)
    rank = competition_rank(degree)
    evidence = _evidence(
        mask, lambda d, r: f"in-degree + out-degree {_count(d)} (top {_pct(r, len(degree))}%)", degree, rank
    )
    return mask, degree, f"in-degree + out-degree in the top {t.connector_top_share:.0%}", evidence


def _overload_risk(data: pd.DataFrame, t: RoleThresholds) -> RoleRule:
    deg = _floats(data, "in_degree")
    total = deg.sum()
    mask = np.zeros(len(deg), dtype=bool)
    if total > 0:
        ordered = np.sort(deg)[::-1]
        needed = int(np.searchsorted(np.cumsum(ordered), t.overload_tie_share * total - 1e-9) + 1)
        n_flag = min(needed, max(1, math.floor(t.overload_max_people_share * len(deg) + 1e-9)))
        cut = ordered[n_flag] if n_flag < len(deg) else 0.0
        mask = (deg > cut) & (deg > 0)
    carried = deg[mask].sum() / total if total > 0 else 0.0
    flagged = int(mask.sum())
    evidence = _evidence(  # nobody is flagged when there are no in-ties
        mask,
        lambda d: (
            f"in-degree {_count(d)} = {d / total:.1%} of all {_count(total)} in-ties; "
            f"the {flagged} flagged carry {carried:.1%}"
        ),
        deg,
    )
    rule = (
        f"smallest set of most-sought-after people receiving {t.overload_tie_share:.0%} of all in-ties, "
        f"at most {t.overload_max_people_share:.0%} of people, none tied with the first left out"
    )
    return mask, deg, rule, evidence


def _peripheral(data: pd.DataFrame, t: RoleThresholds) -> RoleRule:
    degree = _floats(data, "in_degree") + _floats(data, "out_degree")
    observed = data["responded"].to_numpy(dtype=bool) if "responded" in data else np.ones(len(data), bool)
    mask = (degree <= t.peripheral_max_degree) & observed & _has_ties(data)  # no tie at all: no periphery
    evidence = _evidence(mask, lambda d: f"in-degree + out-degree {_count(d)}", degree)
    rule = f"in-degree + out-degree ≤ {t.peripheral_max_degree}, among people whose out-ties were observed"
    return mask, degree, rule, evidence


def _count(value: float) -> str:
    """A count or threshold in an evidence text, with thousands separators.

    >>> _count(2752.0), _count(12.5), _count(3)
    ('2,752', '12.5', '3')
    """
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,g}"


def _pct(rank: float, n: int) -> int:
    """Rank as an upper percentage, rounded up: rank 1 of 71 is the top 2%."""
    return math.ceil(100 * rank / n - 1e-9)


def _checked(metrics: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in METRIC_COLUMNS if c not in metrics.columns]
    if missing:
        raise InputError(
            f"metrics must have the columns {', '.join(METRIC_COLUMNS)}. Missing: {', '.join(missing)}."
        )
    return metrics.reset_index(drop=True)
