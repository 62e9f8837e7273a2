"""Before/after comparison (leadnet.compare): alignment, churn, QAP, cohort DiD, real two-wave data."""

import json
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import unknown_units as unknown
from leadnet.analysis import Analysis, analyse
from leadnet.cohort_members import OptOuts
from leadnet.compare import (
    COMPARISON_KEYS,
    PERSON_METRICS,
    compare,
    load_cohort,
    person_metrics,
    read_cohort,
    transition_cells,
)
from leadnet.config import AnalysisSection, load_config
from leadnet.errors import ConfigError, InputError, LeadnetWarning
from leadnet.model import Provenance, Snapshot
from leadnet.report.effects import effects_note

DATA = Path(__file__).resolve().parent / "data"
RIVERSIDE = Path(__file__).resolve().parents[1] / "data" / "samples" / "riverside"
FAST = AnalysisSection(permutations=99)


def analysed(name: str, people: pd.DataFrame, arcs: list[tuple[str, str]] | np.ndarray) -> Analysis:
    arcs = np.asarray(arcs, dtype=object).reshape(-1, 2)
    ties = pd.DataFrame({"source": arcs[:, 0], "target": arcs[:, 1], "relation": "advice", "weight": 1.0})
    return analyse(Snapshot.build(name, people, ties), FAST)


def roster(ids: str | list[str], units: str | list[str]) -> pd.DataFrame:
    return pd.DataFrame({"person_id": list(ids), "unit": list(units)})


# --- a hand-worked example --------------------------------------------------------------------
# Before: a, b, c, d (units x x y y) with a→b, b→a, c→d, a→c. After: e joins, d leaves;
# among stayers a, b, c: a→b kept, b→a dissolved, a→c kept, c→a formed; e→a (a joiner) is not churn.
BEFORE = roster("abcd", "xxyy")
AFTER = roster("abce", "xxyy")
ARCS_BEFORE = [("a", "b"), ("b", "a"), ("c", "d"), ("a", "c")]
ARCS_AFTER = [("a", "b"), ("a", "c"), ("c", "a"), ("e", "a")]


@pytest.fixture(scope="module")
def small() -> object:
    return compare(analysed("t1", BEFORE, ARCS_BEFORE), analysed("t2", AFTER, ARCS_AFTER), permutations=99)


def test_people_are_aligned_into_stayers_joiners_and_leavers(small) -> None:
    assert (small.n_stayed, small.n_joined, small.n_left) == (3, 1, 1)
    status = dict(zip(small.people_change["person_id"], small.people_change["status"], strict=True))
    assert status == {"a": "stayed", "b": "stayed", "c": "stayed", "d": "left", "e": "joined"}


def test_tie_churn_among_stayers_is_worked_out_by_hand(small) -> None:
    assert (small.ties_before, small.ties_after) == (4, 4)
    assert (small.ties_formed, small.ties_dissolved, small.ties_kept, small.hamming) == (1, 1, 2, 2)
    assert small.jaccard == pytest.approx(2 / 4)
    assert small.jaccard_warning is False


def test_person_metrics_are_worked_out_by_hand(small) -> None:
    rows = small.people_change.set_index("person_id")
    # a: before out-ties a→b (same unit), a→c (cross) → 1 cross-unit out-tie; after a→b, a→c → 1
    assert rows.loc["a", ["cross_unit_out_ties_before", "cross_unit_out_ties_after"]].tolist() == [1.0, 1.0]
    # c: before c→d (same unit y); after c→a (cross) → 0 then 1
    assert rows.loc["c", "cross_unit_out_ties_delta"] == 1.0
    # a's own E-I: before arcs a→b, b→a (internal), a→c (external) → (1 − 2)/3; after a→b, a→c,
    # c→a, e→a (e is in unit y) → (3 − 1)/4
    assert rows.loc["a", "ei_index_before"] == pytest.approx(-1 / 3)
    assert rows.loc["a", "ei_index_after"] == pytest.approx(0.5)
    assert rows.loc["a", "in_degree_delta"] == 1.0  # b→a gone, c→a and e→a new: 1 → 2
    assert np.isnan(rows.loc["d", "in_degree_after"]) and np.isnan(rows.loc["e", "in_degree_before"])


def test_person_metrics_of_blank_unit_are_missing_and_their_ties_cross_no_unit() -> None:
    # tests/unknown_units.py: x1 and x2 have a blank unit in the roster.
    metrics = person_metrics(analyse(unknown.snapshot(), FAST)).set_index("person_id")
    # b2 sends b2→a2 (across) and b2→x2 (neither): 1 cross-unit out-tie, not 2;
    # b2's own E-I over b1→b2 (inside), b2→a2 (across): (1 − 1)/2 = 0, not (2 − 1)/3
    assert metrics.loc["b2", ["cross_unit_out_ties", "ei_index"]].tolist() == [1.0, 0.0]
    # a2: a1→a2, a2→a3 inside, b2→a2 across; a2→x1 neither → (1 − 2)/3
    assert metrics.loc["a2", ["cross_unit_out_ties", "ei_index"]].tolist() == pytest.approx([0.0, -1 / 3])
    unit_figures = ["cross_unit_out_ties", "brokerage_total", "ei_index"]
    assert metrics.loc[["x1", "x2"], unit_figures].isna().all().all()
    assert metrics.loc[["x1", "x2"], "in_degree"].tolist() == [1.0, 2.0]  # not a unit figure


def test_people_change_has_the_documented_columns(small) -> None:
    expected = ["person_id", "status", "group"] + [
        f"{m}_{when}" for m in PERSON_METRICS for when in ("before", "after", "delta")
    ]
    assert list(small.people_change.columns) == expected
    assert set(small.people_change["group"]) == {"other"}


def test_to_dict_has_exactly_the_stable_keys_and_is_strict_json(small) -> None:
    data = small.to_dict()
    assert tuple(data) == COMPARISON_KEYS
    assert data["cohort"] is None and data["cohort_ties"] is None
    assert data["metrics"]["n_ties"] == {"before": 4, "after": 4, "delta": 0}
    json.dumps(data, allow_nan=False)


def test_a_network_figure_withheld_for_privacy_carries_its_reason_into_comparison_json() -> None:
    # a0 is alone at the top in both waves: 1 − share times the ties would be a0's nominations.
    people = pd.DataFrame(
        {"person_id": [f"a{i}" for i in range(6)], "unit": "x", "level": ["L1"] + ["L3"] * 5,
         "level_rank": [1] + [3] * 5}
    )  # fmt: skip
    arcs = [(f"a{i}", "a0") for i in range(1, 6)]
    before, after = analysed("t1", people, arcs), analysed("t2", people, [*arcs, ("a0", "a1")])
    res = compare(before, after, permutations=99)
    share = res.to_dict()["metrics"]["leadership_share_outside_top"]
    assert (share["before"], share["after"], share["delta"]) == (None, None, None)
    assert set(share["reasons"]) == {"before", "after"}
    for why in share["reasons"].values():
        assert why.startswith("withheld for privacy: either the top 2 levels")
    assert "reasons" not in res.to_dict()["metrics"]["n_ties"]


def test_qap_needs_three_people_and_says_so() -> None:
    res = compare(
        analysed("t1", roster("ab", "xy"), [("a", "b")]), analysed("t2", roster("ab", "xy"), [("b", "a")])
    )
    assert (res.qap_r, res.qap_p) == (None, None)
    assert res.reasons == {"qap_r": "fewer than 3 people", "qap_p": "fewer than 3 people"}


def test_snapshots_sharing_too_few_people_are_refused_with_examples() -> None:
    one = analysed("t1", roster("abcdef", "xxxyyy"), [("a", "b")])
    two = analysed("t2", roster(["a", "b", "p", "q", "r", "s"], "xxxyyy"), [("a", "b")])
    with pytest.raises(InputError) as info:
        compare(one, two)
    assert str(info.value) == (
        "the snapshots share too few people to compare: 2 of the smaller snapshot's 6 (at least 50% needed). "
        'Unmatched ids include "c", "d", "e", "p", "q"; check that both waves use the same person_id '
        "(same roster column, same pseudonymisation key)"
    )


def test_privacy_floor_cannot_be_lowered(small) -> None:
    one = analysed("t1", BEFORE, ARCS_BEFORE)
    with pytest.raises(ConfigError, match=r"^min_group_size must be at least 5 \(the privacy floor\). Got 3"):
        compare(one, one, min_group_size=3)


def test_cohort_naming_unknown_people_is_refused() -> None:
    one = analysed("t1", BEFORE, ARCS_BEFORE)
    with pytest.raises(InputError) as info:
        compare(one, one, pd.DataFrame({"person_id": ["a", "zz", "bb"]}))
    assert str(info.value) == (
        'the cohort names 2 person(s) in neither snapshot: "bb" (did you mean "b"?), "zz"; '
        "fix their person_id or remove them from the cohort"
    )


def test_an_id_in_neither_snapshot_may_be_an_opt_out_when_people_opted_out() -> None:
    ties = pd.DataFrame({"source": ["a", "c"], "target": ["b", "d"], "relation": "advice"})
    left_out = Provenance(normalisations={"excluded-person": 2})
    one = analyse(Snapshot.build("t1", BEFORE, ties, provenance=left_out), FAST)
    with pytest.raises(InputError) as info:
        compare(one, one, pd.DataFrame({"person_id": ["a", "bb"]}))
    assert str(info.value) == (
        'the cohort names 1 person(s) in neither snapshot: "bb" (2 people who opted out were left out of the '
        'snapshots: if this is one of them, remove the row; if not, correct the id: did you mean "b"?); '
        "fix their person_id or remove them from the cohort"
    )


def test_read_cohort_leaves_out_people_who_opted_out_by_any_spelling(tmp_path: Path) -> None:
    path = tmp_path / "cohort.csv"
    path.write_text("person_id,group\nE0001,cohort\nE0003,cohort\n ann@x.org ,comparison\n", encoding="utf-8")
    opted = OptOuts(2, frozenset({"E0003", "ann@x.org", "E0009"}))
    read = read_cohort(path, known={"E0001", "E0002"}, opt_outs=opted)
    assert read.people.to_dict("list") == {"person_id": ["E0001"], "group": ["cohort"]}
    assert read.opted_out == (3, 4)
    with pytest.raises(InputError) as info:  # without knowing who opted out, E0003 is unknown
        read_cohort(path, known={"E0001", "E0002"}, opt_outs=OptOuts(2))
    assert str(info.value).splitlines()[1] == (
        'cohort.csv line 3, column "person_id": unknown person "E0003" (2 people who opted out were left out '
        "of the snapshots: if this is one of them, remove the row; if not, correct the id: did you mean "
        '"E0002"?) [unknown-person]'
    )


def test_a_cohort_file_without_a_person_id_header_says_to_name_it(tmp_path: Path) -> None:
    path = tmp_path / "cohort.csv"
    path.write_text("id,grp\nE0001,cohort\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_cohort(path)
    assert str(caught.value) == (  # the rename was lost when the cohort file stopped quoting its first line
        # "grp" is only like "group": not quoted, as a cell like a header may be a name
        'cohort.csv line 1: required column "person_id" not found; columns found: "id" and 1 more, not '
        'shown, as no header the file reads (rename the header "id" to "person_id": the first line must '
        "name the columns person_id[,group]) [missing-column]"
    )


@pytest.mark.parametrize(
    ("header", "message"),
    [
        # The hint asked 'did you mean "employee_id" for "person_id"?', as if a column map could say so;
        # a cohort file has none: its header is renamed.
        (
            "employee_id,group",
            'required column "person_id" not found; columns found: "employee_id", "group" (rename the header '
            '"employee_id" to "person_id": the first line must name the columns person_id[,group]) '
            "[missing-column]",
        ),
        (
            "person_id,group,GROUP",
            'duplicate column "group" and "GROUP" at positions 2 and 3 (rename one of them) '
            "[duplicate-column]",
        ),
    ],
)
def test_a_cohort_file_s_header_that_cannot_be_read_says_how_to_fix_line_1(
    tmp_path: Path, header: str, message: str
) -> None:
    path = tmp_path / "cohort.csv"
    path.write_text(f"{header}\nE0001,cohort,comparison\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_cohort(path)
    assert str(caught.value) == f"cohort.csv line 1: {message}"


def test_a_cohort_file_s_headers_are_read_in_any_letter_case(tmp_path: Path) -> None:
    # A header "Group" was not read: the comparison rows became participants, and the evaluation changed.
    path = tmp_path / "cohort.csv"
    path.write_text("Person_ID, Group \nE0001,cohort\nE0002,comparison\n", encoding="utf-8")
    assert load_cohort(path, known={"E0001", "E0002"}).to_dict("list") == {
        "person_id": ["E0001", "E0002"],
        "group": ["cohort", "comparison"],
    }


def test_a_cohort_file_s_row_problems_name_its_columns_as_the_file_heads_them(tmp_path: Path) -> None:
    # The headers "Person_ID" and "Group" were read, but every problem named "person_id" or "group",
    # headers the file does not have.
    path = tmp_path / "cohort.csv"
    rows = "E0001,cohort\nE0001,comparison\nE0002,Treatment\n,cohort\nE0009,comparison\n"
    path.write_text("Person_ID,Group\n" + rows, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_cohort(path, known={"E0001", "E0002"})
    assert [(i.line, i.column, i.code) for i in caught.value.issues] == [
        (3, "Person_ID", "duplicate-person"),
        (4, "Group", "bad-group"),
        (5, "Person_ID", "blank-id"),
        (6, "Person_ID", "unknown-person"),
    ]
    assert 'cohort.csv line 4, column "Group": unknown group "Treatment"' in str(caught.value)


def test_a_cohort_header_that_looks_like_group_is_not_read_and_is_warned_of(tmp_path: Path) -> None:
    path = tmp_path / "cohort.csv"
    path.write_text("person_id,group_name,note\nE0001,cohort,x\nE0002,comparison,y\n", encoding="utf-8")
    with pytest.warns(LeadnetWarning) as caught:
        read = load_cohort(path, known={"E0001", "E0002"})
    assert read["group"].tolist() == ["cohort", "cohort"]  # as before: everyone listed takes part
    assert [str(w.message) for w in caught] == [
        'cohort.csv line 1: column "group_name" not read: a cohort file reads person_id and group, so '
        'everyone it lists is taken as a participant (group "cohort"); if the column says who is in the '
        'comparison group, rename its header "group"'
    ]


def test_a_cohort_file_that_lists_no_participant_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cohort.csv"
    for text, found in (
        ("person_id\n", "no rows"),
        ("person_id,group\nE0002,comparison\n", 'no row of group "cohort"'),
    ):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(InputError) as caught:
            load_cohort(path)
        assert str(caught.value) == (
            f"cohort.csv: the cohort lists nobody who took part ({found}); "
            "list the participants' person_id, one per row"
        )


def test_load_cohort_reads_the_file_and_names_unknown_people_by_line(tmp_path: Path) -> None:
    path = tmp_path / "cohort.csv"
    path.write_text("person_id,group\nE0001,cohort\nE0002,comparison\nE0011,cohort\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_cohort(path, known={"E0001", "E0002", "E0003"})
    assert str(info.value) == (
        'cohort.csv line 4, column "person_id": unknown person "E0011" '
        '(did you mean "E0001"?) [unknown-person]'
    )
    frame = load_cohort(path)
    assert frame.to_dict("list") == {
        "person_id": ["E0001", "E0002", "E0011"],
        "group": ["cohort", "comparison", "cohort"],
    }


def test_small_cohorts_are_suppressed_with_a_reason() -> None:
    people = roster("abcdefghijkl", "xxxxxxyyyyyy")
    one = analysed("t1", people, [("a", "g"), ("b", "h")])
    res = compare(one, one, pd.DataFrame({"person_id": list("abc")}), permutations=99)
    # the comparison group of 9 is hidden beside the cohort of 3, but it is not "<5"
    assert res.cohort["n_cohort"] == "<5" and res.cohort["n_comparison"] == "withheld"
    assert res.cohort["reason"] == (
        "the cohort or the comparison group has fewer than 5 stayers "
        "(privacy floor: both need at least 5); sizes withheld"
    )
    assert all(res.cohort[m]["did"] is None for m in PERSON_METRICS)
    # people_change.csv must not give the suppressed figures back: no row says who is in which group.
    assert res.people_change["group"].value_counts().to_dict() == {"withheld": 12}
    assert res.cohort_ties == {
        "within_cohort_new": None,
        "to_others_new": None,
        "within_cohort_share": None,
        "others_to_cohort_share": None,
        "reason": res.cohort["reason"],
        "within_cohort_difference": None,
        "within_cohort_expected_share": None,
        "within_cohort_expected_new": None,
        "within_cohort_p": None,
        "within_cohort_p_reason": None,
        "within_cohort_strata": None,
    }


def _ring(name: str, members: list[str]) -> Analysis:
    people = pd.DataFrame({"person_id": members, "unit": ["x"] * len(members)})
    arcs = pd.DataFrame({"source": members, "target": members[1:] + members[:1], "relation": "advice"})
    return analyse(Snapshot.build(name, people, arcs))


def test_a_suppressed_cohort_names_none_of_its_leavers() -> None:
    """A cohort member who left would otherwise be the one leaver labelled, giving back who they are
    and n_cohort_not_stayed, which comparison.json withholds."""
    ids = [f"p{i:02d}" for i in range(20)]
    res = compare(_ring("b", ids[:19]), _ring("a", ids[1:]),  # p00 leaves, p19 joins
                  pd.DataFrame({"person_id": ids[:4]}), permutations=99)  # fmt: skip
    assert res.cohort["reason"] is not None and res.cohort["n_cohort_not_stayed"] is None
    groups = res.people_change.set_index("person_id")["group"]
    assert groups["p00"] == groups["p19"] == "other"
    assert groups.drop(["p00", "p19"]).eq("withheld").all()


def test_one_suppressed_metric_withholds_the_groups_too() -> None:
    """Four of a cohort of six have no ties, so their E-I index is missing and the E-I figure is
    suppressed (two people): the labelled rows would give it back."""
    ids = [f"p{i:02d}" for i in range(20)]
    people = pd.DataFrame({"person_id": ids, "unit": ["x"] * 10 + ["y"] * 10})
    others = ids[6:]
    ring = [("p00", "p01"), ("p01", "p00"), *zip(others, others[1:] + others[:1], strict=True)]
    res = compare(analysed("b", people, ring), analysed("a", people, [*ring, ("p00", "p10"), ("p01", "p15")]),
                  pd.DataFrame({"person_id": ids[:6]}), permutations=99)  # fmt: skip
    assert res.cohort["reason"] is None and res.cohort["n_cohort"] == 6
    assert res.cohort["ei_index"]["did"] is None and res.cohort["ei_index"]["reason"].startswith(
        "fewer than 5"
    )
    assert set(res.people_change["group"]) == {"withheld"}


def test_a_within_unit_comparison_leaves_out_units_of_one_group() -> None:
    """The cohort is 5 of unit x's 10 people; unit y holds comparison people only, so within units
    its 10 people are left out, counted, and the method says how the DiD was made."""
    ids = [f"p{i:02d}" for i in range(20)]
    people = pd.DataFrame({"person_id": ids, "unit": ["x"] * 10 + ["y"] * 10})
    ring = list(zip(ids, ids[1:] + ids[:1], strict=True))
    before = analysed("b", people, ring)
    after = analysed("a", people, [*ring, ("p00", "p12"), ("p15", "p01")])
    cohort = pd.DataFrame({"person_id": ids[:5]})
    within = compare(before, after, cohort, permutations=99, within_unit=True)
    entry = within.cohort["in_degree"]
    assert (entry["n_cohort"], entry["n_comparison"]) == (5, 15)
    assert (entry["one_group_units"], entry["n_in_one_group_units"]) == (1, 10)
    assert within.method["did"]["description"].endswith("units holding one group only left out")
    pooled = compare(before, after, cohort, permutations=99)
    entry = pooled.cohort["in_degree"]
    assert (entry["one_group_units"], entry["n_in_one_group_units"]) == (0, 0)
    assert (
        pooled.method["did"]["description"]
        == "two-sided label permutation p; 95% CI: the shifts that test does not reject"
    )


def test_a_within_unit_comparison_counts_and_names_the_people_of_unknown_unit_it_leaves_out() -> None:
    """Three of the 20 have a blank unit, one of them in the cohort: a within-unit DiD has no unit to
    compare them within and leaves them out; the note said nothing of it and comparison.json had no
    count (cohort["n_unknown_unit"] was missing)."""
    ids = [f"p{i:02d}" for i in range(20)]
    people = pd.DataFrame({"person_id": ids, "unit": ["x"] * 10 + ["y"] * 7 + [""] * 3})
    ring = list(zip(ids, ids[1:] + ids[:1], strict=True))
    before = analysed("b", people, ring)
    after = analysed("a", people, [*ring, ("p00", "p12"), ("p15", "p01")])
    cohort = pd.DataFrame({"person_id": [*ids[:5], "p17"]})
    within = compare(before, after, cohort, permutations=99, within_unit=True).to_dict()["cohort"]
    assert within["n_unknown_unit"] == 3
    assert (within["n_cohort"], within["n_comparison"]) == (6, 14)
    assert (within["in_degree"]["n_cohort"], within["in_degree"]["n_comparison"]) == (5, 12)
    assert (
        "averaged over the units weighted by their size (7 people in units without both groups and 3 people "
        "whose unit is unknown left out); p-values from 99 label permutations within units"
    ) in effects_note(within, 99, 5)
    pooled = compare(before, after, cohort, permutations=99).to_dict()["cohort"]
    assert pooled["n_unknown_unit"] == 0  # the pooled DiD keeps them
    assert "unknown" not in effects_note(pooled, 99, 5)


# --- properties on small random snapshots -----------------------------------------------------


@st.composite
def snapshots(draw: st.DrawFn, n_min: int = 10) -> tuple[pd.DataFrame, np.ndarray]:
    n = draw(st.integers(n_min, 16))
    ids = [f"p{i:02d}" for i in range(n)]
    units = draw(st.lists(st.sampled_from("xyz"), min_size=n, max_size=n))
    cells = draw(st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), min_size=1, max_size=3 * n))
    arcs = np.array([(ids[s], ids[t]) for s, t in cells if s != t] or [(ids[0], ids[1])], dtype=object)
    return pd.DataFrame({"person_id": ids, "unit": units}), arcs


SLOW = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SLOW
@given(snapshots())
def test_comparing_a_snapshot_with_itself_shows_no_change(snap) -> None:
    people, arcs = snap
    one = analysed("t", people, arcs)
    cohort = pd.DataFrame({"person_id": people["person_id"][:5]})
    res = compare(one, one, cohort, permutations=99)
    assert (res.n_joined, res.n_left, res.ties_formed, res.ties_dissolved, res.hamming) == (0, 0, 0, 0, 0)
    assert res.jaccard == 1.0 and res.ties_kept == res.ties_before
    assert all(m["delta"] in (0, None) for m in res.metrics.values())
    deltas = res.people_change[[f"{m}_delta" for m in PERSON_METRICS]].to_numpy(dtype=float)
    assert np.all((deltas == 0) | np.isnan(deltas))
    for metric in PERSON_METRICS:
        entry = res.cohort[metric]
        assert entry["did"] in (0.0, None)
        assert entry["p_value"] in (1.0, None)
    assert res.cohort_ties["within_cohort_new"] == res.cohort_ties["to_others_new"] == 0
    assert res.community_transitions["nmi"] == pytest.approx(1.0)


def flipped(value: object) -> object:
    return None if value is None else -value


@SLOW
@given(snapshots(n_min=11), st.data())
def test_swapping_before_and_after_flips_every_delta(snap, data) -> None:
    people, arcs = snap
    other = data.draw(st.permutations(list(arcs)))[: max(1, len(arcs) // 2)]
    extra = [("p00", "p09"), ("p03", "p07"), ("p08", "p01")]
    people_b = people.iloc[1:] if data.draw(st.booleans()) else people
    arcs_b = [
        a
        for a in [*other, *extra]
        if a[0] in set(people_b["person_id"]) and a[1] in set(people_b["person_id"])
    ]
    one, two = analysed("t1", people, arcs), analysed("t2", people_b, arcs_b)
    cohort = pd.DataFrame({"person_id": people["person_id"][1:6]})
    fwd, back = compare(one, two, cohort, permutations=99), compare(two, one, cohort, permutations=99)
    assert (fwd.n_joined, fwd.n_left) == (back.n_left, back.n_joined)
    assert (fwd.ties_formed, fwd.ties_dissolved) == (back.ties_dissolved, back.ties_formed)
    assert (fwd.jaccard, fwd.ties_kept) == (back.jaccard, back.ties_kept)
    for key, entry in fwd.metrics.items():
        assert back.metrics[key]["delta"] == pytest.approx(flipped(entry["delta"])), key
    cols = [f"{m}_delta" for m in PERSON_METRICS]
    pd.testing.assert_frame_equal(fwd.people_change[cols], -back.people_change[cols])
    for metric in PERSON_METRICS:
        f, b = fwd.cohort[metric], back.cohort[metric]
        if f["did"] is None:
            assert b["did"] is None
            continue
        assert b["did"] == pytest.approx(-f["did"], abs=1e-12)
        assert b["cohort_delta"] == pytest.approx(-f["cohort_delta"], abs=1e-12)
        assert (b["ci_low"], b["ci_high"]) == pytest.approx((-f["ci_high"], -f["ci_low"]), abs=1e-9)
        assert b["p_value"] == f["p_value"]


# --- Freeman's EIES: acquaintance at time 1 and time 2 ----------------------------------------


def read_eies() -> tuple[int, dict[int, np.ndarray]]:
    """The first network of EIES.paj: 48 vertices, arcs of relation 1 (time 1) and 2 (time 2)."""
    arcs: dict[int, list[tuple[int, int]]] = {}
    relation, n = None, 0
    for line in (DATA / "freeman_eies" / "EIES.paj").read_text(encoding="utf-8").splitlines():
        words = line.split()
        if line.startswith("*Network") and n:
            break
        if line.startswith("*Vertices"):
            n = int(words[1])
        elif line.startswith("*Arcs"):
            relation = int(words[1].lstrip(":"))
            arcs[relation] = []
        elif line.startswith("*"):
            relation = None
        elif relation is not None and words:
            arcs[relation].append((int(words[0]) - 1, int(words[1]) - 1))
    return n, {r: np.array(a) for r, a in arcs.items()}


@cache
def eies_comparison():
    n, arcs = read_eies()
    ids = np.array([f"v{i + 1}" for i in range(n)], dtype=object)
    people = pd.DataFrame({"person_id": ids, "unit": ""})
    waves = [analysed(f"time {r}", people, ids[arcs[r]]) for r in (1, 2)]
    return n, arcs, compare(*waves, permutations=999)


def test_eies_has_695_then_830_acquaintance_arcs() -> None:
    n, arcs, res = eies_comparison()
    assert (n, len(arcs[1]), len(arcs[2])) == (48, 695, 830)
    assert (res.ties_before, res.ties_after, res.n_stayed, res.n_joined, res.n_left) == (695, 830, 48, 0, 0)


def test_eies_churn_equals_a_direct_set_computation() -> None:
    _, arcs, res = eies_comparison()
    t1, t2 = set(map(tuple, arcs[1])), set(map(tuple, arcs[2]))
    assert (res.ties_formed, res.ties_dissolved, res.ties_kept) == (len(t2 - t1), len(t1 - t2), len(t1 & t2))
    assert res.jaccard == pytest.approx(len(t1 & t2) / len(t1 | t2))
    assert res.hamming == len(t1 ^ t2)
    assert res.jaccard_warning is (res.jaccard < 0.3)


# --- Kapferer's tailor shop: sociational ties at time 1 and time 2 ----------------------------


def read_kapferer() -> tuple[list[str], dict[str, np.ndarray]]:
    """The four 39 x 39 matrices of KAPTAIL.DAT (UCINET DL, full matrix) by level label."""
    lines = [x.strip() for x in (DATA / "kapferer_tailorshop" / "KAPTAIL.DAT").read_text().splitlines()]
    names = lines[lines.index("ROW LABELS:") + 1 : lines.index("COLUMN LABELS:")]
    levels = lines[lines.index("LEVEL LABELS:") + 1 : lines.index("DATA:")]
    cells = np.array(" ".join(lines[lines.index("DATA:") + 1 :]).split(), dtype=int)
    n = len(names)
    mats = cells.reshape(len(levels), n, n)
    return names, dict(zip(levels, mats, strict=True))


@cache
def kapferer_comparison():
    names, mats = read_kapferer()
    people = pd.DataFrame({"person_id": names, "unit": ""})
    ids = np.array(names, dtype=object)
    waves = [analysed(level, people, ids[np.argwhere(mats[level] > 0)]) for level in ("KAPFTS1", "KAPFTS2")]
    return mats, compare(*waves, permutations=2000, seed=0)


def test_kapferer_sociational_matrices_are_symmetric_with_158_then_223_edges() -> None:
    mats, res = kapferer_comparison()
    for level in ("KAPFTS1", "KAPFTS2"):
        assert (mats[level] == mats[level].T).all() and not np.diagonal(mats[level]).any()
    assert (res.metrics["tied_pairs"]["before"], res.metrics["tied_pairs"]["after"]) == (158, 223)
    assert (res.ties_before, res.ties_after) == (2 * 158, 2 * 223)  # two arcs per edge


def test_kapferer_qap_correlation_matches_numpy_and_is_significant() -> None:
    mats, res = kapferer_comparison()
    off = ~np.eye(39, dtype=bool)
    expected = np.corrcoef(mats["KAPFTS1"][off], mats["KAPFTS2"][off])[0, 1]
    assert expected == pytest.approx(0.3983, abs=1e-4)  # PROVENANCE.md, computed there
    assert res.qap_r == pytest.approx(expected, abs=1e-12)
    assert res.qap_p < 0.05
    assert res.qap_p == pytest.approx(1 / 2001)  # no relabelling of 39 workers came close
    assert res.permutations == 2000


# --- Riverside: a planted programme effect ----------------------------------------------------


@cache
def riverside() -> tuple[Analysis, Analysis, dict]:
    from leadnet.importers.project import load_project

    config = load_config(RIVERSIDE)
    snaps = load_project(config).snapshots
    truth = json.loads((RIVERSIDE / "ground_truth.json").read_text(encoding="utf-8"))
    return analyse(snaps["before"], config.analysis), analyse(snaps["after"], config.analysis), truth


@pytest.mark.slow
def test_riverside_programme_effect_on_cross_unit_ties_is_detected() -> None:
    before, after, truth = riverside()
    known = set(before.snapshot.people["person_id"])
    res = compare(before, after, load_cohort(RIVERSIDE / "cohort.csv", known=known), seed=0)
    effect, planted = res.cohort["cross_unit_out_ties"], truth["programme_effect"]
    assert (res.cohort["n_cohort"], res.cohort["n_comparison"]) == (
        planted["n_cohort"],
        planted["n_comparison"],
    )
    assert effect["did"] == pytest.approx(planted["difference"], abs=1e-9)
    assert effect["did"] > 0 and effect["p_value"] < 0.05
    assert effect["ci_low"] <= planted["planted_mean_new_cross_unit_ties"] <= effect["ci_high"]
    assert effect["ci_low"] <= planted["difference"] <= effect["ci_high"]
    assert res.permutations == 10_000


@pytest.mark.slow
def test_riverside_placebo_group_shows_no_effect() -> None:
    # 50 random non-participants (seed 0) against the other 500 non-participants: nobody in
    # either group took part, so there is no effect to find. (Against "all other stayers" the
    # comparison group would include the real cohort and its +3 ties, a real difference.)
    before, after, truth = riverside()
    stayers = sorted(set(before.snapshot.people["person_id"]) & set(after.snapshot.people["person_id"]))
    pool = sorted(set(stayers) - set(truth["cohort"]))
    placebo = np.random.default_rng(0).choice(pool, size=len(truth["cohort"]), replace=False)
    rest = sorted(set(pool) - set(placebo))
    groups = ["cohort"] * len(placebo) + ["comparison"] * len(rest)
    res = compare(before, after, pd.DataFrame({"person_id": [*placebo, *rest], "group": groups}), seed=0)
    assert (res.cohort["n_cohort"], res.cohort["n_comparison"]) == (50, 500)
    for metric in PERSON_METRICS:
        effect = res.cohort[metric]
        assert effect["p_value"] >= 0.05, metric
        assert effect["ci_low"] <= 0 <= effect["ci_high"], metric


def test_a_person_who_opted_out_listed_twice_is_left_out_by_line_never_named(tmp_path: Path) -> None:
    path = tmp_path / "cohort.csv"
    path.write_text("person_id,group\nE0001,cohort\nE0003,cohort\nE0003,comparison\n", encoding="utf-8")
    read = read_cohort(path, known={"E0001", "E0002"}, opt_outs=OptOuts(1, frozenset({"E0003"})))
    assert read.people.to_dict("list") == {"person_id": ["E0001"], "group": ["cohort"]}
    assert read.opted_out == (3, 4)


def test_one_person_who_moved_community_alone_is_not_left_alone_in_the_pooled_cell() -> None:
    # 20 stayed in community 0, 7 in 1; one moved 1 -> 0. Pooling only the 1-person cell
    # would let anyone read it off as 28 - 20 - 7: the 7 are pooled with it.
    pairs = pd.DataFrame({"before": [0] * 20 + [1] * 7 + [1], "after": [0] * 20 + [1] * 7 + [0]})
    assert transition_cells(pairs, 5) == [
        {"before": 0, "after": 0, "n": 20},
        {"before": "other", "after": "other", "n": 8},
    ]
    # Fewer than k stayers in all: nothing listed, the pool shown as "<5".
    assert transition_cells(pairs.head(3), 5) == [{"before": "other", "after": "other", "n": "<5"}]
    # No small cell: nothing pooled.
    assert transition_cells(pairs.head(27), 5) == [
        {"before": 0, "after": 0, "n": 20},
        {"before": 1, "after": 1, "n": 7},
    ]


def ring_with_a_silent_wave() -> tuple[Analysis, Analysis]:
    """A ring of 12 (p00..p05 in unit A, p06..p11 in B); p00 also names p07, p08, p09. p00
    answered the advice survey before, not after."""
    ids = [f"p{i:02d}" for i in range(12)]
    people = pd.DataFrame({"person_id": ids, "unit": ["A"] * 6 + ["B"] * 6})
    arcs = [(ids[i], ids[(i + 1) % 12]) for i in range(12)] + [(ids[0], ids[j]) for j in (7, 8, 9)]
    ties = pd.DataFrame(arcs, columns=["source", "target"]).assign(relation="advice")
    before = analyse(Snapshot.build("t1", people, ties))
    silent = {"advice": ("p00",)}
    after = analyse(Snapshot.build("t2", people, ties[ties["source"] != "p00"], non_respondents=silent))
    return before, after


def test_a_stayer_who_did_not_answer_a_wave_changes_no_tie_and_leaves_the_out_tie_measures() -> None:
    # A ring of 12 in two units; p00 also names p07, p08, p09. In wave 2 p00 did not answer:
    # their arcs are unknown, not dissolved (before the fix: 4 dissolved, Jaccard 0.733,
    # QAP r 0.842, p00's cross-unit out-ties -3, in-degree -1 for everyone p00 named).
    before, after = ring_with_a_silent_wave()
    res = compare(before, after, permutations=99)
    assert (res.ties_formed, res.ties_dissolved, res.ties_kept, res.jaccard) == (0, 0, 11, 1.0)
    assert res.qap_r == pytest.approx(1.0)  # over the 11 who answered both waves
    change = res.people_change.set_index("person_id")
    for metric in ("cross_unit_out_ties", "brokerage_total", "constraint", "ei_index"):
        assert np.isnan(change.loc["p00", f"{metric}_delta"]), metric
    assert change.loc[["p01", "p07", "p08", "p09"], "in_degree_delta"].tolist() == [0, 0, 0, 0]
    assert change.loc["p00", "in_degree_delta"] == 0  # p11 still names p00
    assert res.method["non_respondents"] == 1
    assert "1 stayer(s) who did not answer the advice survey in a wave" in res.method["ties"]["description"]


def test_a_stayer_who_did_not_answer_a_wave_changes_nobody_elses_brokerage_or_constraint() -> None:
    # The ring of the test above: p00 (unit A) answered before, not after. Its arcs p00 → p01 and
    # p00 → p09 opened the two-paths p00 → p01 → p02 (coordinator) and p00 → p09 → p10 (gatekeeper),
    # and made p00 a contact of p01, p07, p08 and p09. Unknown after, they count in neither wave, as
    # in-degrees do: every respondent's brokerage and constraint are unchanged. Before the fix the
    # analysis's figures (every arc of the wave) made p01 and p09 lose a two-path (delta -1) and moved
    # the constraint of p01, p07, p08, p09 by 0.5, 0.031, -0.129, 0.031 with nothing observed changed.
    before, after = ring_with_a_silent_wave()
    change = compare(before, after, permutations=99).people_change.set_index("person_id").drop(index="p00")
    assert change["brokerage_total_delta"].tolist() == [0.0] * 11
    assert change["constraint_delta"].tolist() == pytest.approx([0.0] * 11)
    assert change["brokerage_total_before"].tolist() == [0.0] + [1.0] * 10  # p01 is named by p00 alone
    # p01's one contact left is p02 (constraint 1, as after); p09's two-path p08 → p09 → p10 remains.
    assert change.loc["p01", "constraint_before"] == pytest.approx(1.0)
    assert before.people.set_index("person_id").loc[["p01", "p09"], "brokerage_total"].tolist() == [1, 2]


def two_waves(folder: Path, primary: str) -> tuple[Analysis, Analysis]:
    """a, b, c in unit A, d and s in B, read from a project folder. Both waves: an advice survey
    and an e-mail tie list. s answered the advice survey before, not after; s e-mailed a before, d after."""
    files = {
        "people.csv": "person_id,unit\na,A\nb,A\nc,A\nd,B\ns,B\n",
        "advice_before.csv": "respondent,nominee\na,b\nb,c\nc,d\nd,s\ns,a\n",
        "advice_after.csv": "respondent,nominee\na,b\nb,c\nc,d\nd,s\n",
        "email_before.csv": "source,target\na,b\nb,c\nc,d\nd,a\ns,a\n",
        "email_after.csv": "source,target\na,b\nb,c\nc,d\nd,a\ns,d\n",
    }
    toml = '[people]\npath = "people.csv"\n\n'
    for wave in ("before", "after"):
        toml += f'[[sources]]\nkind = "survey"\npath = "advice_{wave}.csv"\nsnapshot = "{wave}"\n\n'
        toml += f'[[sources]]\nkind = "ties"\npath = "email_{wave}.csv"\nsnapshot = "{wave}"\n'
        toml += 'relation = "email"\n\n'
    files["leadnet.toml"] = toml + f'[analysis]\nprimary_relation = "{primary}"\n'
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    from leadnet.importers.project import load_project

    snaps = load_project(load_config(folder)).snapshots
    return analyse(snaps["before"], FAST), analyse(snaps["after"], FAST)


def test_a_comparison_of_a_relation_no_survey_gives_counts_every_stayers_arcs(tmp_path: Path) -> None:
    # s skipped the advice survey after, but the e-mail ties are observed for everyone: s→a
    # dissolved, s→d formed, and s's cross-unit out-ties went from 1 (s of B to a of A) to 0.
    # Before the fix s was left out as a sender: nothing formed or dissolved, s's delta missing.
    res = compare(*two_waves(tmp_path, "email"), permutations=99)
    assert (res.relation, res.ties_formed, res.ties_dissolved, res.ties_kept) == ("email", 1, 1, 4)
    assert res.method["non_respondents"] == 0
    assert "did not answer" not in res.method["ties"]["description"]
    change = res.people_change.set_index("person_id")
    assert change.loc["s", ["cross_unit_out_ties_before", "cross_unit_out_ties_after"]].tolist() == [1, 0]
    assert change.loc["a", "in_degree_delta"] == -1  # only d names a after, d and s before


def test_a_comparison_of_a_surveyed_relation_leaves_out_its_non_respondents_arcs(tmp_path: Path) -> None:
    # Advice: s→a is unknown after, not dissolved; s's out-tie figures are missing.
    res = compare(*two_waves(tmp_path, "advice"), permutations=99)
    assert (res.relation, res.ties_formed, res.ties_dissolved, res.ties_kept) == ("advice", 0, 0, 4)
    assert res.method["non_respondents"] == 1
    assert np.isnan(res.people_change.set_index("person_id").loc["s", "cross_unit_out_ties_delta"])


def test_people_without_a_tie_do_not_count_as_stable_communities() -> None:
    # 12 people in three 4-cliques, reshuffled so each new clique takes one from each old
    # one, plus 12 people with no tie in either wave. Counting the 12 alone as matching
    # one-person communities gave NMI 0.791; among the 12 tied people it is 0.054.
    tied = [f"c{i:02d}" for i in range(12)]
    people = pd.DataFrame({"person_id": tied + [f"z{i:02d}" for i in range(12)], "unit": "A"})

    def cliques(groups: list[list[str]]) -> pd.DataFrame:
        arcs = [(a, b) for g in groups for a in g for b in g if a != b]
        return pd.DataFrame(arcs, columns=["source", "target"]).assign(relation="advice")

    before = analyse(Snapshot.build("t1", people, cliques([tied[0:4], tied[4:8], tied[8:12]])))
    after = analyse(Snapshot.build("t2", people, cliques([tied[0::3], tied[1::3], tied[2::3]])))
    moves = compare(before, after, permutations=19).community_transitions
    assert moves["nmi"] == pytest.approx(0.0536, abs=1e-4)
    assert (moves["n_people"], moves["n_alone"]) == (12, 12)
    assert sum(cell["n"] for cell in moves["table"]) == 12


def test_a_within_unit_comparison_of_a_roster_without_units_keeps_everyone_beside_the_pooled_outside() -> (
    None
):
    """A roster without units is one unit, also beside an e-mail source's pooled outside world (unit
    ``(external)``): its unit made every blank unit unknown, so a within-unit DiD left out every stayer."""
    ids = [f"p{i:02d}" for i in range(20)]
    people = pd.DataFrame({"person_id": [*ids, "external"], "unit": [""] * 20 + ["(external)"]})
    ring = list(zip(ids, ids[1:] + ids[:1], strict=True))
    outside = Provenance(parameters={"outside_roster": ["external"]})

    def wave(name: str, arcs: list[tuple[str, str]]) -> Analysis:
        ties = pd.DataFrame(arcs, columns=["source", "target"]).assign(relation="advice", weight=1.0)
        return analyse(Snapshot.build(name, people, ties, provenance=outside), FAST)

    before, after = (
        wave("b", [*ring, ("p03", "external")]),
        wave("a", [*ring, ("p00", "p12"), ("p15", "p01")]),
    )
    cohort = pd.DataFrame({"person_id": ids[:5]})
    within = compare(before, after, cohort, permutations=99, within_unit=True).to_dict()["cohort"]
    pooled = compare(before, after, cohort, permutations=99).to_dict()["cohort"]
    assert within["n_unknown_unit"] == 0
    assert (within["in_degree"]["n_cohort"], within["in_degree"]["n_comparison"]) == (5, 15)
    assert (
        within["in_degree"]["did"]
        == pytest.approx(pooled["in_degree"]["did"])
        == pytest.approx(1 / 5 - 1 / 15)  # p01 and p12 gain one
    )


def test_the_pooled_outside_world_is_not_a_stayer_nor_in_the_comparison_group() -> None:
    """An e-mail source's pooled outsiders (``external``, no roster's person) were matched as a person
    who stayed: their arcs counted in the tie change and QAP, and with no comparison rows they were one
    of "every other stayer" in the comparison group of the difference-in-differences."""
    ids = [f"p{i:02d}" for i in range(20)]
    people = pd.DataFrame({"person_id": [*ids, "external"], "unit": ["x"] * 10 + ["y"] * 10 + ["(external)"]})
    ring = list(zip(ids, ids[1:] + ids[:1], strict=True))
    outside = Provenance(parameters={"outside_roster": ["external"]})

    def wave(name: str, arcs: list[tuple[str, str]]) -> Analysis:
        ties = pd.DataFrame(arcs, columns=["source", "target"]).assign(relation="advice", weight=1.0)
        return analyse(Snapshot.build(name, people, ties, provenance=outside), FAST)

    before = wave("b", [*ring, ("p03", "external")])
    after = wave("a", [*ring, ("p00", "p12"), ("p05", "external"), ("external", "p07")])
    res = compare(before, after, pd.DataFrame({"person_id": ids[:5]}), permutations=99)
    assert (res.n_stayed, res.n_joined, res.n_left) == (20, 0, 0)
    assert (res.ties_formed, res.ties_dissolved, res.ties_kept) == (1, 0, 20)
    assert "external" not in set(res.people_change["person_id"])
    entry = res.cohort["in_degree"]
    assert (entry["n_cohort"], entry["n_comparison"]) == (5, 15)
