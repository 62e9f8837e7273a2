"""Tie change between two waves: the binary arcs of one relation among stayers, churn and QAP.

Used by :mod:`leadnet.compare`. Ties are *binary arcs* of the primary relation (weights
ignored, a reciprocated pair is two arcs, self-loops dropped), as positions in an index of
person ids, so both waves share one numbering. Churn counts arcs formed, dissolved and kept,
the Hamming distance (formed + dissolved) and the Jaccard index
``kept / (kept + formed + dissolved)``; QAP correlates the two adjacency matrices
(:func:`leadnet.permutation.qap_correlation`).

References
----------
Snijders, T. A. B., van de Bunt, G. G. & Steglich, C. E. G. (2010). Introduction to stochastic
actor-based models for network dynamics. *Social Networks* 32(1), 44–60.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from leadnet.errors import InputError
from leadnet.missing_relation import SPELLING_FIX
from leadnet.model import Snapshot
from leadnet.permutation import qap_correlation
from leadnet.spellings import near_spellings


def binary_arcs(snapshot: Snapshot, relation: str | None, ids: pd.Index) -> np.ndarray:
    """Unique arcs of ``relation`` between people of ``ids``, as positions in ``ids``."""
    ties = snapshot.ties[snapshot.ties["relation"] == relation] if relation else snapshot.ties.iloc[:0]
    src, dst = ids.get_indexer(ties["source"]), ids.get_indexer(ties["target"])
    keep = (src >= 0) & (dst >= 0) & (src != dst)
    return np.unique(np.column_stack([src[keep], dst[keep]]).astype(np.int64).reshape(-1, 2), axis=0)


def tied_pairs(arcs: np.ndarray) -> int:
    """Unordered pairs tied in either direction (a reciprocated pair once)."""
    return len(np.unique(np.sort(arcs, axis=1), axis=0)) if len(arcs) else 0


def churn(before_arcs: np.ndarray, after_arcs: np.ndarray, n: int) -> dict[str, Any]:
    """Formed, dissolved and kept arcs, Hamming distance and Jaccard index among stayers."""
    kb = np.unique(before_arcs[:, 0] * n + before_arcs[:, 1])
    ka = np.unique(after_arcs[:, 0] * n + after_arcs[:, 1])
    kept = int(np.isin(kb, ka).sum())
    formed, dissolved = len(ka) - kept, len(kb) - kept
    union = kept + formed + dissolved
    return {
        "ties_formed": formed,
        "ties_dissolved": dissolved,
        "ties_kept": kept,
        "hamming": formed + dissolved,
        "jaccard": kept / union if union else None,
        "formed": np.column_stack(np.divmod(np.setdiff1d(ka, kb), max(n, 1))).reshape(-1, 2),
    }


def primary_relation(before: Snapshot, after: Snapshot) -> str | None:
    """The relation both waves compare; different primary relations are an error (two spellings of
    one, ``advice`` and ``advise``, with how to write it one way: :data:`SPELLING_FIX`)."""
    rb, ra = before.relation, after.relation
    if rb and ra and rb != ra:
        fix = (
            f"they are one relation written two ways: {SPELLING_FIX}"
            if near_spellings(rb, [ra])
            else "set [analysis] primary_relation so both waves compare the same relation"
        )
        raise InputError(
            f'the snapshots have different primary relations ("{rb}" before, "{ra}" after); {fix}'
        )
    return rb or ra


def tie_figures(
    before: Snapshot,
    after: Snapshot,
    stayed: pd.Index,
    n_perm: int,
    seed: int,
    silent: pd.Index | None = None,
) -> dict[str, Any]:
    """Tie counts of each wave, churn and QAP among stayers (one relation, binary arcs).

    ``silent`` are people who did not answer in a wave: the arcs they would send are
    unknown, so churn counts only arcs sent by stayers who answered in both waves, and QAP
    correlates the waves over those stayers alone (rows and columns).
    """
    relation = primary_relation(before, after)
    answered = ~stayed.isin(silent if silent is not None else [])
    arcs_b = _sent_by(binary_arcs(before, relation, stayed), answered)
    arcs_a = _sent_by(binary_arcs(after, relation, stayed), answered)
    all_b = binary_arcs(before, relation, pd.Index(before.people["person_id"]))
    all_a = binary_arcs(after, relation, pd.Index(after.people["person_id"]))
    among = np.full(len(stayed), -1, dtype=np.int64)
    among[answered] = np.arange(int(answered.sum()))
    qap = qap_correlation(
        _among(arcs_b, among), _among(arcs_a, among), int(answered.sum()), permutations=n_perm, seed=seed
    )
    return {
        **churn(arcs_b, arcs_a, len(stayed)),
        "relation": relation,
        "ties_before": len(all_b),
        "ties_after": len(all_a),
        "tied_pairs": (tied_pairs(all_b), tied_pairs(all_a)),
        "qap": qap,
    }


def _sent_by(arcs: np.ndarray, senders: np.ndarray) -> np.ndarray:
    """The arcs whose source is one of ``senders`` (a mask over positions)."""
    return arcs[senders[arcs[:, 0]]] if len(arcs) else arcs


def _among(arcs: np.ndarray, position: np.ndarray) -> np.ndarray:
    """The arcs between people with a new ``position`` (not -1), renumbered."""
    moved = position[arcs].reshape(-1, 2)
    return moved[(moved >= 0).all(axis=1)]
