"""Explainable role labels: rules, evidence, ordering, thresholds."""

from __future__ import annotations

import math

import igraph as ig
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pajek_data import lazega

from leadnet.errors import ConfigError, InputError
from leadnet.metrics.brokerage import brokerage, cross_unit_share, participation
from leadnet.metrics.ranking import competition_rank, in_top
from leadnet.metrics.roles import (
    NO_PERIPHERY,
    REASON_COLUMNS,
    RoleThresholds,
    assign_roles,
)


def base(n: int = 20) -> pd.DataFrame:
    """n people with in- and out-degree 2 and nothing special."""
    return pd.DataFrame(
        {
            "person_id": [f"p{i:02d}" for i in range(n)],
            "is_manager": False,
            "in_degree": 2,
            "out_degree": 2,
            "betweenness": 0.0,
            "pagerank": 1 / max(n, 1),
            "participation_units": 0.2,
            "brokerage_total": 0,
            "brokerage_z": 0.0,
            "cross_unit_share": 0.1,
        }
    )


def worked() -> pd.DataFrame:
    """20 people. Median in-degree 2 (p01 0, p05 1, p00 12, the other 17 have 2; total 47).

    p00: in 12, out 3, no manager   → informal leader (rank 1 of 20 = top 5%, 6× median),
                                      central connector (degree 15, top), overload risk (12 of 47 ≥ 20%)
    p01: manager, in 0, out 1        → formal leader with low reach (0 < 2), peripheral (degree 1)
                                      (in-degree quartiles 2 and 2, so Tukey's fence is 2 + 1.5 × 0 = 2 < 12)
    p02: brokerage 50, z 2.5, participation 0.7, degree 4 → boundary spanner
    p03: brokerage 60, z 3.0, participation 0.2 → not a spanner (brokerage inside its unit: coordination)
    p04: participation 0.7, z 1.0 → not a spanner (ties spread, but brokerage as expected by chance)
    p05: participation 0.65, z 3.0, degree 3 → not a spanner (fewer than 4 ties)
    """
    m = base()
    m.loc[0, ["in_degree", "out_degree"]] = [12, 3]
    m.loc[1, ["is_manager", "in_degree", "out_degree"]] = [True, 0, 1]
    m.loc[2, ["brokerage_total", "brokerage_z", "participation_units", "cross_unit_share"]] = [
        50,
        2.5,
        0.7,
        0.6,
    ]
    m.loc[3, ["brokerage_total", "brokerage_z", "cross_unit_share"]] = [60, 3.0, 0.2]
    m.loc[4, ["brokerage_z", "participation_units"]] = [1.0, 0.7]
    m.loc[5, ["participation_units", "brokerage_z", "in_degree"]] = [0.65, 3.0, 1]
    return m


def test_labels_follow_the_fixed_role_order() -> None:
    labels = assign_roles(worked()).labels
    assert labels["p00"] == "informal_leader;central_connector;overload_risk"
    assert labels["p01"] == "formal_leader_low_reach;peripheral"
    assert labels["p02"] == "boundary_spanner"
    assert (labels.drop(["p00", "p01", "p02"]) == "").all()
    assert labels.index.tolist() == [f"p{i:02d}" for i in range(20)]


def test_each_label_keeps_its_rule_and_the_numbers_behind_it() -> None:
    reasons = assign_roles(worked()).reasons
    assert tuple(reasons.columns) == REASON_COLUMNS
    assert reasons[["person_id", "role", "evidence"]].values.tolist() == [
        ["p00", "informal_leader", "in-degree 12 (top 5%, 6.0× median), not a manager"],
        ["p01", "formal_leader_low_reach", "manager with in-degree 0, below the median 2"],
        [
            "p02",
            "boundary_spanner",
            "brokerage 50 (z 2.5); participation across units 0.70 over 4 ties, 60.0% of ties cross units",
        ],
        ["p00", "central_connector", "in-degree + out-degree 15 (top 5%)"],
        ["p00", "overload_risk", "in-degree 12 = 25.5% of all 47 in-ties; the 1 flagged carry 25.5%"],
        ["p01", "peripheral", "in-degree + out-degree 1"],
    ]
    assert reasons.loc[0, "rule"] == (
        "in-degree in the top 5%, above Q3 + 1.5·IQR (2) and ≥ 2× the median, named by at least 3 "
        "colleagues; not a manager"
    )


def test_counts_match_the_labels() -> None:
    roles = assign_roles(worked())
    counts = (
        roles.n_informal_leaders,
        roles.n_formal_leaders_low_reach,
        roles.n_boundary_spanners,
        roles.n_central_connectors,
        roles.n_overload_risk,
        roles.n_peripheral,
    )
    assert counts == (1, 1, 1, 1, 1, 1)
    assert roles.thresholds == RoleThresholds()


def test_counts_in_the_evidence_have_thousands_separators() -> None:
    # p00 is sought 2,000 times, the 19 others twice: 2,038 in-ties. The evidence read "in-degree 2000
    # = 98.1% of all 2038 in-ties" and "in-degree 2000 (top 5%, 1000.0× median)".
    roles = assign_roles(base().assign(in_degree=[2000] + [2] * 19))
    evidence = dict(zip(roles.reasons["role"], roles.reasons["evidence"], strict=True))
    assert (
        evidence["overload_risk"] == "in-degree 2,000 = 98.1% of all 2,038 in-ties; the 1 flagged carry 98.1%"
    )
    assert evidence["informal_leader"] == "in-degree 2,000 (top 5%, 1,000.0× median), not a manager"
    assert evidence["central_connector"] == "in-degree + out-degree 2,002 (top 5%)"


def test_no_one_is_peripheral_in_a_network_with_no_tie() -> None:
    # With no tie every degree is 0 <= 1: all 20 people were labelled peripheral, though the
    # periphery lies outside the ties of others and there are none.
    roles = assign_roles(base().assign(in_degree=0, out_degree=0))
    assert roles.labels.tolist() == [""] * 20
    assert roles.n_peripheral == 0
    assert roles.not_given == {"peripheral": NO_PERIPHERY}
    assert NO_PERIPHERY == (
        "no one has a tie, and periphery is defined by the ties of others: no one is labelled peripheral"
    )
    assert assign_roles(base()).not_given == {}


def test_a_survey_non_respondent_is_never_labelled_peripheral() -> None:
    # A reviewer found every peripheral label of the sample on a non-respondent: their out-degree
    # is 0 because they did not answer, not because they seek no one out.
    m = worked()
    m.loc[[5, 6], ["in_degree", "out_degree"]] = [[1, 0], [0, 0]]  # p05 and p06 answered nothing
    responded = ~m["person_id"].isin(["p05", "p06"])
    roles = assign_roles(m.assign(responded=responded))
    assert roles.reasons.query("role == 'peripheral'")["person_id"].tolist() == ["p01"]
    assert roles.reasons.query("role == 'peripheral'")["rule"].tolist() == [
        "in-degree + out-degree ≤ 1, among people whose out-ties were observed"
    ]
    assert assign_roles(m).reasons.query("role == 'peripheral'")["person_id"].tolist() == [
        "p01",
        "p05",
        "p06",
    ]


def test_the_spanners_minimum_ties_count_only_ties_to_people_of_known_unit() -> None:
    # p02 has in 2 + out 2 = 4 ties, but one is to a person whose unit is blank in the roster:
    # its participation 0.70 and cross-unit share rest on 3 ties, fewer than 4, so no spanner.
    m = worked()
    m["unit_ties"] = (m["in_degree"] + m["out_degree"]).astype(float)  # every other tie to a known unit
    m.loc[2, "unit_ties"] = 3.0
    m.loc[7, "unit_ties"] = np.nan  # a person of unknown unit
    roles = assign_roles(m)
    assert roles.n_boundary_spanners == 0 and "boundary_spanner" not in roles.labels["p02"]
    m.loc[2, ["unit_ties", "in_degree"]] = [4.0, 1]  # 4 ties to known units, 3 in all: a spanner
    spanner = assign_roles(m).reasons.query("role == 'boundary_spanner'")
    assert spanner["person_id"].tolist() == ["p02"]
    assert spanner["evidence"].iloc[0].endswith("across units 0.70 over 4 ties, 60.0% of ties cross units")
    assert spanner["rule"].iloc[0] == (
        "Gould–Fernandez brokerage z ≥ 2 and participation across units ≥ 0.62 with ≥ 4 ties "
        "(arcs in and out) to people whose unit is known"
    )


def test_a_manager_is_never_an_informal_leader() -> None:
    m = worked()
    m.loc[0, "is_manager"] = True
    assert assign_roles(m).n_informal_leaders == 0


def test_people_tied_at_the_cut_off_are_all_in_the_top() -> None:
    m = base()
    m.loc[[7, 3], "in_degree"] = 9  # both rank 1; top 5% of 20 is rank ≤ 1
    leaders = assign_roles(m).reasons.query("role == 'informal_leader'")["person_id"].tolist()
    assert leaders == ["p03", "p07"]  # equal values, then person_id


def test_in_degree_below_twice_the_median_is_not_informal_leadership() -> None:
    m = base()
    m.loc[0, "in_degree"] = 3  # top rank, but 3 < 2 × 2
    assert assign_roles(m).n_informal_leaders == 0


def test_one_nomination_in_a_near_empty_survey_makes_no_informal_leader() -> None:
    # A single answer, E0001 names E0002, among 600 people: the median and Tukey's fence are 0, so
    # E0002 (in-degree 1, top rank) met every other part of the rule and "1 person leads without a
    # management role" headed the report.
    m = base(600).assign(in_degree=0, out_degree=0)
    m.loc[0, "out_degree"] = 1
    m.loc[1, "in_degree"] = 1
    assert assign_roles(m).n_informal_leaders == 0


@pytest.mark.parametrize(("nominators", "leaders"), [(1, []), (2, []), (3, ["p01"]), (4, ["p01"])])
def test_an_informal_leader_is_named_by_three_colleagues_or_more(nominators: int, leaders: list[str]) -> None:
    m = base(40).assign(in_degree=0)  # median and fence 0: the floor of 3 nominators is the binding part
    m.loc[1, "in_degree"] = nominators
    found = assign_roles(m).reasons.query("role == 'informal_leader'")["person_id"].tolist()
    assert found == leaders


def test_equal_in_degrees_flag_nobody_for_overload() -> None:
    assert assign_roles(base()).n_overload_risk == 0


def test_overload_is_capped_at_five_percent_of_people() -> None:
    m = base(40)  # cap: 2 people
    m.loc[[0, 1, 2], "in_degree"] = [10, 9, 8]  # 20% of 10+9+8+37×2 = 101 needs 3 people
    flagged = assign_roles(m).reasons.query("role == 'overload_risk'")["person_id"].tolist()
    assert flagged == ["p00", "p01"]


def test_competition_rank_and_top_share() -> None:
    assert competition_rank(np.array([3.0, 7.0, 3.0, np.nan])).tolist()[:3] == [2.0, 1.0, 2.0]
    assert in_top(np.array([3, 7, 3, 1]), 0.5).tolist() == [True, True, True, False]


def test_a_share_outside_zero_to_one_is_rejected() -> None:
    with pytest.raises(ConfigError) as info:
        RoleThresholds(informal_top_share=1.5)
    assert str(info.value) == "RoleThresholds.informal_top_share must be in (0, 1]. Got 1.5 instead."


def test_missing_metric_columns_are_named() -> None:
    with pytest.raises(InputError) as info:
        assign_roles(worked().drop(columns=["brokerage_z", "pagerank"]))
    assert str(info.value).endswith("Missing: pagerank, brokerage_z.")


def test_no_people_gives_no_labels() -> None:
    roles = assign_roles(base(0))
    assert len(roles.labels) == 0 and len(roles.reasons) == 0


@settings(max_examples=40, deadline=None)
@given(st.permutations(list(range(20))), st.lists(st.integers(0, 15), min_size=20, max_size=20))
def test_reordering_people_changes_no_label(order: list[int], in_degrees: list[int]) -> None:
    m = worked()
    m["in_degree"] = in_degrees
    before = assign_roles(m)
    after = assign_roles(m.iloc[order])
    assert after.labels.sort_index().equals(before.labels.sort_index())
    assert after.reasons.equals(before.reasons)


# --- Lazega's law firm: partners are the formal leaders (is_manager := status == partner) ---


def lazega_metrics() -> tuple[pd.DataFrame, list[int], list[int]]:
    data = lazega()
    g = ig.Graph(n=data.n, edges=[(i - 1, j - 1) for i, j in data.arcs[1]], directed=True)
    office = np.array(data.partitions["office.clu"])
    status = data.partitions["status.clu"]
    broker = brokerage(g, office)
    metrics = pd.DataFrame(
        {
            "person_id": [f"L{i}" for i in range(1, data.n + 1)],
            "is_manager": [s == 1 for s in status],
            "in_degree": g.indegree(),
            "out_degree": g.outdegree(),
            "betweenness": g.betweenness(),
            "pagerank": g.pagerank(),
            "participation_units": participation(g, office),
            "brokerage_total": broker.counts["total"],
            "brokerage_z": broker.z["total"],
            "cross_unit_share": cross_unit_share(g, office),
        }
    )
    received = [0] * data.n
    for _, j in data.arcs[1]:
        received[j - 1] += 1
    return metrics, received, status


def quantile_by_hand(ordered: list[int], q: float) -> float:
    """Linear interpolation between order statistics at position (n − 1)·q (numpy's default)."""
    pos = (len(ordered) - 1) * q
    low = math.floor(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def informal_leaders_by_hand(received: list[int], status: list[int], share: float, iqr: float) -> list[str]:
    """The rule, counted in plain Python: rank (1 + number strictly above) ≤ max(1, ⌊share·n⌋),
    in-degree above Q3 + iqr·(Q3 − Q1), ≥ 2 × median and ≥ 3, an associate."""
    n = len(received)
    ordered = sorted(received)
    median = (ordered[(n - 1) // 2] + ordered[n // 2]) / 2
    q1, q3 = quantile_by_hand(ordered, 0.25), quantile_by_hand(ordered, 0.75)
    fence = q3 + iqr * (q3 - q1)
    n_top = max(1, math.floor(share * n))
    found = []
    for i, d in enumerate(received):
        rank = 1 + sum(1 for other in received if other > d)
        if rank <= n_top and d > fence and d >= 2 * median and d >= 3 and status[i] == 2:
            found.append((-d, f"L{i + 1}"))
    return [pid for _, pid in sorted(found)]


@pytest.mark.parametrize(
    ("share", "iqr", "expected"), [(0.05, 1.5, []), (0.10, 1.5, []), (0.10, 0.0, ["L40"])]
)
def test_lazega_informal_leaders_match_plain_counting(share: float, iqr: float, expected: list[str]) -> None:
    metrics, received, status = lazega_metrics()
    by_hand = informal_leaders_by_hand(received, status, share, iqr)
    roles = assign_roles(metrics, RoleThresholds(informal_top_share=share, informal_fence_iqr=iqr))
    found = roles.reasons.query("role == 'informal_leader'")["person_id"].tolist()
    assert found == by_hand == expected
    # measured: the four most sought-after lawyers (26: 37, 13: 34, 17 and 24: 26) are partners;
    # the first associate is lawyer 40 (25, rank 5 of 71, 2.3× the median 11)


def test_lazega_role_counts_measured() -> None:
    roles = assign_roles(lazega_metrics()[0])
    assert roles.n_formal_leaders_low_reach == 7  # partners sought out by fewer than the median 11
    assert roles.n_central_connectors == 3  # lawyers 26, 13, 28
    overload = roles.reasons.query("role == 'overload_risk'")["person_id"].tolist()
    assert overload == ["L26", "L13"]  # cap 3 people; 17 and 24 tie with the 4th and are left out
