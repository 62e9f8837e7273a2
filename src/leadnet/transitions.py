"""Community transitions: how the stayers' communities of one wave map onto the next.

:func:`community_transitions` cross-tabulates each stayer's community before against after,
with the agreement of the two partitions (NMI and ARI, :func:`leadnet.partitions.partition_agreement`).
Only stayers in a community of two or more in both waves count: a person with no tie is a
community of one and would match themselves perfectly. The cells of the cross-tab are
group figures: :func:`transition_cells` hides the small ones as
:func:`leadnet.privacy.groups_to_suppress` says, pooled in one ``other`` cell.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from leadnet.partitions import partition_agreement
from leadnet.privacy import groups_to_suppress

if TYPE_CHECKING:
    from leadnet.analysis import Analysis


def community_transitions(before: Analysis, after: Analysis, stayed: pd.Index, k: int) -> dict[str, Any]:
    """Cross-tab of community before × after among stayers, with NMI and ARI (cells:
    :func:`transition_cells`).

    Only stayers in a community of two or more in both waves count: a person with no tie
    is a community of one, and would match themselves perfectly, raising the agreement (as
    ``n_communities`` leaves them out, ``n_isolated``). ``n_people`` says how many counted.
    """
    cb, in_b = _grouped(before, stayed)
    ca, in_a = _grouped(after, stayed)
    both = in_b & in_a
    cb, ca = cb[both], ca[both]
    counted = {"n_people": int(both.sum()), "n_alone": int(len(stayed) - both.sum())}
    if len(stayed) == 0:
        return {"nmi": None, "ari": None, "table": [], "reason": "no stayers", **counted}
    if not both.any():
        reason = "no stayer is in a community of two or more in both snapshots"
        return {"nmi": None, "ari": None, "table": [], "reason": reason, **counted}
    degenerate = [
        f"{wave}: {analysis.methods['communities']['reason']}"
        for wave, analysis in (("before", before), ("after", after))
        if analysis.methods["communities"].get("reason")
    ]
    agreement = (
        {"nmi": None, "ari": None}
        if degenerate
        else partition_agreement(cb.astype(str).to_numpy(), ca.astype(str).to_numpy())
    )
    table = transition_cells(pd.DataFrame({"before": cb.to_numpy(), "after": ca.to_numpy()}), k)
    return {**agreement, "table": table, "reason": "; ".join(degenerate) or None, **counted}


def _grouped(analysis: Analysis, stayed: pd.Index) -> tuple[pd.Series, np.ndarray]:
    """Each stayer's community in ``analysis``, and whether it holds two people or more."""
    community = analysis.people.set_index("person_id")["community"]
    sizes = community.map(community.value_counts())
    return community.reindex(stayed), (sizes.reindex(stayed) >= 2).to_numpy(dtype=bool)


def transition_cells(pairs: pd.DataFrame, k: int) -> list[dict[str, Any]]:
    """The (before, after, n) cells of ``pairs``, largest first; small cells pooled as ``other``.

    Cells are hidden by :func:`leadnet.privacy.groups_to_suppress`: those under ``k``
    people and, while the hidden ones hold fewer than ``k`` together or only one is
    hidden, the next smallest. So the pooled ``other`` row (the stayers minus the listed
    cells, which anyone can work out) is never one cell nor under ``k`` people; it shows
    ``<k`` only when there are fewer than ``k`` stayers in all.

    >>> pairs = pd.DataFrame({"before": [0] * 9 + [1] * 6 + [1] + [2], "after": [0] * 9 + [1] * 6 + [0, 2]})
    >>> transition_cells(pairs, 5)
    [{'before': 0, 'after': 0, 'n': 9}, {'before': 'other', 'after': 'other', 'n': 8}]
    """
    counts = pairs.value_counts().rename("n")
    rows = counts.reset_index().sort_values(["n", "before", "after"], ascending=[False, True, True])
    small = groups_to_suppress(rows["n"].reset_index(drop=True), k).to_numpy()
    table: list[dict[str, Any]] = rows[~small].to_dict("records")
    if small.any():
        pooled = int(rows.loc[small, "n"].sum())
        table.append({"before": "other", "after": "other", "n": pooled if pooled >= k else f"<{k}"})
    return table
