"""Why a figure of ``summary.json`` is missing (``summary["reasons"]``, QUALITY.md rule 8).

A figure that cannot be computed is ``null`` with a reason: no ties, one unit, no
communities to compare, or no tie of the primary relation in the snapshot at all.
"""

from __future__ import annotations

from typing import Any

from leadnet.communities import Communities
from leadnet.metrics.leadership import LeadershipIndices
from leadnet.metrics.roles import Roles
from leadnet.missing_relation import meant, relations_held
from leadnet.model import Snapshot


def absent_relation(snapshot: Snapshot) -> str | None:
    """Why the figures are missing when the snapshot has ties, but none of its primary relation.

    >>> import pandas as pd
    >>> people = pd.DataFrame({"person_id": ["a", "b"], "unit": ["x", "y"]})
    >>> ties = pd.DataFrame({"source": ["a"], "target": ["b"], "relation": "email",
    ...                      "weight": 1.0, "count": 1})
    >>> print(absent_relation(Snapshot.build("2024-03", people, ties, primary_relation="advice")))
    no "advice" ties in this snapshot (the primary relation); its email ties are under "relations"
    """
    present = sorted(set(snapshot.ties["relation"]))
    if not present or snapshot.relation in present:
        return None
    others = ", ".join(present)
    where = f'its {others} ties are under "relations"'
    return f'no "{snapshot.relation}" ties in this snapshot (the primary relation); {where}'


def no_primary_ties(snapshot: Snapshot) -> str | None:
    """The warning of a snapshot whose ties hold none of its primary relation (``summary.json``'s
    ``warnings``, the report's box, a ``warning:`` line); None when it has some, or no tie at all
    (an empty network, whose figures say "no ties", and whose causes the importers warn of:
    a tie rule that left a window no tie, everyone outside the roster).

    >>> import pandas as pd
    >>> people = pd.DataFrame({"person_id": ["a", "b"], "unit": ["x", "y"]})
    >>> ties = pd.DataFrame({"source": ["a"], "target": ["b"], "relation": "Advice"})
    >>> print(no_primary_ties(Snapshot.build("after", people, ties, primary_relation="advice")))
    ... # doctest: +NORMALIZE_WHITESPACE
    No "advice" ties in this snapshot, the primary relation, so its network figures are empty: it
    holds Advice. Did you mean "Advice"? A relation is matched exactly, letter case included: write it
    one way in every wave (in the file's relation column, or as its source's relation in leadnet.toml)
    and run leadnet analyse again
    >>> no_primary_ties(Snapshot.build("after", people, ties.iloc[:0])) is None
    True
    """
    relation = snapshot.relation
    if relation is None or snapshot.ties.empty or snapshot.ties["relation"].eq(relation).any():
        return None
    fix = meant(relation, [snapshot]) or (
        f'Give it a source of "{relation}" ties, or set [analysis] primary_relation to a relation it holds'
    )
    return (
        f'No "{relation}" ties in this snapshot, the primary relation, so its network figures are empty: '
        f"it holds {relations_held(snapshot)}. {fix}"
    )


def summary_reasons(
    summary: dict[str, Any],
    primary: dict[str, Any],
    found: Communities,
    lead: LeadershipIndices,
    has_units: bool,
    network: str | None,
    roles: Roles | None = None,
) -> dict[str, str]:
    """Why each top-level ``None`` of the summary is ``None`` (QUALITY.md rule 8).

    ``network`` is what keeps communities from being found (``"no ties"`` …), if anything.
    """
    who = "everyone whose unit is known" if summary.get("n_unknown_unit") else "everyone"
    one_unit = f"{who} is in one unit: there are no unit boundaries to compare with"
    no_ties = "no ties between people"
    if summary.get("n_unknown_unit_ties"):  # ties there are, but none between two known units
        no_ties = "no tie joins two people whose units are known"
    why: dict[str, str | None] = {
        **primary.get("reasons", {}),
        "leadership_share_outside_top": lead.reasons.get("leadership_share_outside_top"),
        "modularity": found.reason,
        "community_stability_ari": found.reason or "fewer than two Leiden runs",
        "n_peripheral": None if roles is None else roles.not_given.get("peripheral"),
    }
    for key in ("nmi_units_communities", "ari_units_communities"):
        why[key] = f"no communities to set against the units ({network})" if network else one_unit
    for key in ("ei_index", "formal_modularity"):
        why[key] = one_unit if not has_units else (network or no_ties)
    return {
        key: str(why.get(key) or "not computed")
        for key, value in summary.items()
        if value is None and key not in ("relation",)
    }
