"""The pooled outside world (``external = "pool"``) is a contact, not a unit of the organisation.

The project: units Ops (6 people), Lab (8) and Sales (10), each person e-mailing the next
two of their unit (a ring), four e-mails across units, and five people writing to
partner.org, which ``external = "pool"`` makes one person ``external`` of unit ``(external)``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from leadnet.analysis import Analysis, analyse
from leadnet.cli import main
from leadnet.config import load_config
from leadnet.errors import InputError
from leadnet.importers.project import load_project
from leadnet.model import Provenance, Snapshot
from leadnet.people_change import person_metrics
from leadnet.report.exports import people_export, write_csv
from leadnet.report.render import network_data
from leadnet.report.tables import unmeasured_note
from leadnet.report.views import report_view

UNITS = {"Ops": 6, "Lab": 8, "Sales": 10}
ACROSS = [("ops1", "lab1"), ("lab2", "sales1"), ("sales2", "ops2"), ("lab3", "ops3")]
OUTSIDE = ["ops1", "ops4", "lab5", "sales3", "sales7"]


def write_project(folder: Path, external: str = "pool") -> None:
    """Write the roster, the e-mail log and ``leadnet.toml`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    roster = ["person_id,unit,email"]
    mail = ["sender,recipient,timestamp"]
    for unit, size in UNITS.items():
        ids = [f"{unit.lower()}{i}" for i in range(1, size + 1)]
        roster += [f"{p},{unit},{p}@x.org" for p in ids]
        for i, p in enumerate(ids):
            for step in (1, 2):
                mail.append(f"{p}@x.org,{ids[(i + step) % size]}@x.org,2024-01-0{step}T10:00Z")
    mail += [f"{a}@x.org,{b}@x.org,2024-01-03T10:00Z" for a, b in ACROSS]
    mail += [f"{p}@x.org,someone@partner.org,2024-01-04T10:00Z" for p in OUTSIDE]
    (folder / "people.csv").write_text("\n".join(roster) + "\n", encoding="utf-8")
    (folder / "mail.csv").write_text("\n".join(mail) + "\n", encoding="utf-8")
    toml = '[project]\ninternal_domains = ["x.org"]\n\n[people]\npath = "people.csv"\n\n'
    toml += f'[[sources]]\nkind = "email"\npath = "mail.csv"\nmin_messages = 1\nexternal = "{external}"\n'
    (folder / "leadnet.toml").write_text(toml, encoding="utf-8")


def analysed(folder: Path, external: str = "pool", blank: str = "") -> Analysis:
    """Analyse the project written in ``folder``; ``blank``: a person whose roster unit is left blank."""
    write_project(folder, external)
    if blank:
        roster = folder / "people.csv"
        text = roster.read_text(encoding="utf-8").replace(f"{blank},Sales,", f"{blank},,")
        roster.write_text(text, encoding="utf-8")
    return analyse(load_project(load_config(folder)).snapshots["main"])


# unit, size, internal ties, ties to other units, E-I: Ops 6 people in a ring of 12 arcs, 3 across
# (ops1 → lab1, sales2 → ops2, lab3 → ops3): (3 - 12) / 15 = -0.6, the same with the outside pooled.
UNIT_ROWS = [["Lab", 8, 16, 3, -13 / 19], ["Ops", 6, 12, 3, -0.6], ["Sales", 10, 20, 2, -18 / 22]]


def unit_rows(result: Analysis) -> list[list[object]]:
    columns = ["unit", "size", "internal_ties", "external_ties", "ei_index"]
    return result.units[columns].astype(object).to_numpy().tolist()  # a suppressed cell: "<5"


def test_the_pooled_outside_world_is_no_row_of_units_csv_and_hides_no_real_unit(tmp_path: Path) -> None:
    # Before, (external) was a unit of one: a row shown <5, and Ops (6, the next smallest) suppressed
    # with it so totals could not reveal it; Lab counted lab5's e-mail outside as a tie across units.
    result = analysed(tmp_path)
    assert unit_rows(result) == [pytest.approx(row) for row in UNIT_ROWS]
    assert unit_rows(result) == unit_rows(analysed(tmp_path / "drop", "drop"))
    assert "(external)" not in set(result.block_density.index) | set(result.block_density.columns)
    assert result.leadership is not None
    assert result.leadership.by_unit["unit"].tolist() == ["Lab", "Ops", "Sales"]


def test_the_pooled_outside_world_is_left_out_of_e_i_and_not_counted_as_a_person_without_unit(
    tmp_path: Path,
) -> None:
    # 48 arcs inside units, 4 across: E-I (4 - 48) / 52. Before, the 5 arcs to "external" counted as
    # across units: -0.684 (NMI 0.950 and ARI 0.953 of units against communities, not 1).
    summary = analysed(tmp_path).summary
    assert (summary["n_people"], summary["n_ties"], summary["n_outside_ties"]) == (24, 52, 5)
    assert summary["ei_index"] == pytest.approx(-44 / 52)
    assert (summary["nmi_units_communities"], summary["ari_units_communities"]) == (1.0, 1.0)
    assert (summary["n_unknown_unit"], summary["n_unknown_unit_ties"]) == (0, 0)
    assert unmeasured_note(summary) == ""


def test_a_roster_person_without_unit_is_counted_but_the_pooled_outside_world_is_not(tmp_path: Path) -> None:
    # sales10 has a blank unit: 1 person, 4 arcs (to sales1 and sales2, from sales8 and sales9).
    summary = analysed(tmp_path, blank="sales10").summary
    assert (summary["n_unknown_unit"], summary["n_unknown_unit_ties"]) == (1, 4)
    assert summary["ei_index"] == pytest.approx((4 - 44) / 48)


def test_the_pooled_person_keeps_its_unit_label_and_its_network_figures(tmp_path: Path) -> None:
    # Five people write to partner.org: "external" has in-degree 5; with no unit, its brokerage,
    # participation and cross-unit share are not computed (empty in people.csv), as for a blank unit.
    people = analysed(tmp_path).people.set_index("person_id")
    row = people.loc["external"]
    assert (row["unit"], int(row["in_degree"]), int(row["out_degree"])) == ("(external)", 5, 0)
    assert row["pagerank"] == pytest.approx(people["pagerank"].max())
    assert (
        pd.isna(row["brokerage_total"]) and pd.isna(row["participation"]) and pd.isna(row["cross_unit_share"])
    )
    # lab5 writes outside: no longer a tie across units (before: participation 0.32, brokerage 5)
    assert (people.loc["lab5", "participation"], int(people.loc["lab5", "brokerage_total"])) == (0.0, 3)


def test_the_drop_mode_is_unchanged(tmp_path: Path) -> None:
    result = analysed(tmp_path, "drop")
    assert unit_rows(result) == [pytest.approx(row) for row in UNIT_ROWS]
    summary = result.summary
    assert (summary["n_people"], summary["n_ties"], summary["n_unknown_unit"]) == (24, 52, 0)
    assert summary["ei_index"] == pytest.approx(-44 / 52)
    assert "external" not in set(result.people["person_id"])


def test_the_pooled_outside_world_holds_no_role(tmp_path: Path) -> None:
    # With the most colleagues writing to it and no management title, "external" met the informal
    # leader rule (and overload risk): the outside world was counted as one of the organisation's
    # informal leaders. The roles are the roster's people's only.
    result = analysed(tmp_path)
    roles = result.people.set_index("person_id")["roles"]
    assert roles["external"] == ""
    assert "external" not in set(result.roles.reasons["person_id"])
    assert result.summary["n_informal_leaders"] == roles.str.contains("informal_leader").sum()


def test_a_roster_person_with_the_pooled_id_is_rejected_at_their_line_not_merged(tmp_path: Path) -> None:
    # Before, ops6 renamed "external" took the outside world's five ties as their own, silently.
    write_project(tmp_path)
    roster = tmp_path / "people.csv"
    roster.write_text(roster.read_text(encoding="utf-8").replace("ops6,", "external,"), encoding="utf-8")
    config = load_config(tmp_path)
    with pytest.raises(InputError) as caught:
        load_project(config)
    (issue,) = caught.value.issues
    assert (issue.file, issue.line, issue.code) == ("people.csv", 7, "reserved-id")
    assert "leadnet.toml line 11, [[sources]] #1" in issue.detail
    assert issue.hint == "give this person another id, here and wherever their ties name them"
    kept = load_project(config, strict=False)  # validate: the row is listed, the rest is read
    assert [i.code for i in kept.issues] == ["reserved-id"]
    assert "external" not in set(kept.roster.people["person_id"])
    write_project(tmp_path / "drop", "drop")  # without pooling, "external" is an id like any other
    roster = tmp_path / "drop" / "people.csv"
    roster.write_text(roster.read_text(encoding="utf-8").replace("ops6,", "external,"), encoding="utf-8")
    assert "external" in set(load_project(load_config(tmp_path / "drop")).roster.people["person_id"])


def test_a_comparison_counts_no_e_mail_to_the_pooled_outside_world_as_a_tie_across_units(
    tmp_path: Path,
) -> None:
    # ops4 e-mails ops5 and ops6 (its unit), is e-mailed by ops2 and ops3, and writes to partner.org.
    # The comparison's person metrics read units as the analysis does: "external" is in no unit, so
    # ops4 has no cross-unit out-tie and E-I (0 - 4) / 4 = -1, as when the outside world is dropped.
    # Before, (external) was one more unit there: 1 cross-unit out-tie and E-I (1 - 4) / 5 = -0.6,
    # so a cohort writing to partners more would show as more ties across silos (the DiD's primary).
    pooled = person_metrics(analysed(tmp_path)).set_index("person_id")
    dropped = person_metrics(analysed(tmp_path / "drop", "drop")).set_index("person_id")
    columns = ["cross_unit_out_ties", "ei_index", "brokerage_total"]
    assert pooled.loc["ops4", columns].tolist() == [0.0, -1.0, 3.0]
    assert pooled.loc["ops1", columns].tolist() == [1.0, -0.6, 5.0]  # its e-mail to lab1 is across
    pd.testing.assert_frame_equal(pooled.drop(index="external")[columns], dropped[columns])


def test_the_pooled_outside_world_is_none_of_the_most_sought_after_people_whose_managers_count() -> None:
    # 19 staff and their manager m in one unit: ten staff ask m, twelve write outside, each asks the
    # next. The outside world, pooled, receives the most (12 > 10), but it is no person of the
    # roster: the top 5% of the 20 is m, a manager, so the share is 1, as with the outside dropped.
    # Before, "external" was the top 5% and no manager: 0.
    staff = [f"s{i:02d}" for i in range(19)]
    people = pd.DataFrame(
        {"person_id": [*staff, "m", "external"], "unit": ["A"] * 20 + ["(external)"]}
    ).assign(manager_id=["m"] * 19 + ["", ""])
    arcs = [(s, "m") for s in staff[:10]] + [(s, "external") for s in staff[:12]]
    arcs += list(zip(staff, staff[1:], strict=False))
    ties = pd.DataFrame(arcs, columns=["source", "target"]).assign(relation="email")
    pooled = Provenance(parameters={"outside_roster": ["external"]})
    result = analyse(Snapshot.build("t", people, ties, provenance=pooled))
    assert result.people.set_index("person_id")["in_degree"].nlargest(2).to_dict() == {
        "external": 12,
        "m": 10,
    }
    assert result.summary["leadership"]["top_influencers_manager_share"] == 1.0


CONCENTRATION = ["n_people", "n_ties", "density", "reciprocity", "centralization_in_degree", "gini_in_degree"]


def test_the_network_figures_of_the_summary_are_the_organisations_as_with_the_outside_world_dropped(
    tmp_path: Path,
) -> None:
    # Each of the 24 people receives 2 e-mails from their unit, 4 of them one more from another unit,
    # and "external" 5: the pooled outside world was the network's most sought-after vertex, so the
    # summary measured how much mail goes outside as concentration of leadership (in-degree
    # centralisation 0.118 and Gini 0.104 over 25 vertices, against 0.038 and 0.064 over the 24
    # people). The network-level figures now describe the roster's people, equal to the drop mode's;
    # the outside world's ties are counted apart, and it stays in people.csv and ties.csv.
    pooled, dropped = analysed(tmp_path), analysed(tmp_path / "drop", "drop")
    in_degrees = sorted([2] * 20 + [3] * 4)  # lab1, sales1, ops2, ops3 receive one across units
    assert sorted(dropped.people["in_degree"].astype(int)) == in_degrees
    assert dropped.summary["centralization_in_degree"] == pytest.approx(
        sum(3 - d for d in in_degrees) / 23**2
    )
    mean = sum(in_degrees) / 24
    gini = sum(abs(a - b) for a in in_degrees for b in in_degrees) / (2 * 24**2 * mean)
    assert dropped.summary["gini_in_degree"] == pytest.approx(gini)
    for key in CONCENTRATION:
        assert pooled.summary[key] == pytest.approx(dropped.summary[key]), key
        assert pooled.summary["relations"]["email"][key] == pytest.approx(dropped.summary[key]), key
    for key in (
        "gini_in_degree",
        "cv_in_degree",
        "centralization_in_degree",
        "top_influencers_manager_share",
    ):
        assert pooled.summary["leadership"][key] == dropped.summary["leadership"][key], key
    assert (pooled.summary["n_outside_ties"], dropped.summary["n_outside_ties"]) == (5, 0)
    assert (
        len(pooled.people) == 25
        and int(pooled.people.set_index("person_id").loc["external", "in_degree"]) == 5
    )


# --- communities, modularity, agreement with units and bridges: among the roster's people ---------

POOLED = Provenance(parameters={"outside_roster": ["external"]})


def pooled_snapshot(arcs: list[tuple[str, str]], units: dict[str, str], to_outside: float) -> Snapshot:
    """``arcs`` (strength 1) among the roster ``units``, and everyone writing ``to_outside`` e-mails to
    the pooled outside world ``external``."""
    ids = sorted(units)
    people = pd.DataFrame({"person_id": [*ids, "external"], "unit": [*(units[p] for p in ids), "(external)"]})
    rows = [(a, b, 1.0) for a, b in arcs] + [(p, "external", to_outside) for p in ids]
    ties = pd.DataFrame(rows, columns=["source", "target", "weight"]).assign(relation="email", count=1)
    return Snapshot.build("t", people, ties, provenance=POOLED)


def ring(unit: str, size: int) -> list[tuple[str, str]]:
    """``unit1 → unit2 → … → unit1``."""
    return [(f"{unit}{i}", f"{unit}{i % size + 1}") for i in range(1, size + 1)]


def test_two_clusters_joined_only_through_the_pooled_outside_world_are_two_communities() -> None:
    # Units A and B, each a ring of 4, with no tie between them; each of the 8 people writes 10
    # e-mails outside (strength 10 to "external"). Among the people the two rings are two
    # communities: Q = 2 × (8/16 − (16/32)²) = 0.5, and they are the units (NMI = ARI = 1).
    # Before, the outside world was a hub holding 80 of the 88 strength: Leiden put everyone in
    # one community, Q 0.0, NMI 0.0, ARI 0.0 (printed: n_communities 1).
    units = {f"a{i}": "A" for i in range(1, 5)} | {f"b{i}": "B" for i in range(1, 5)}
    result = analyse(pooled_snapshot(ring("a", 4) + ring("b", 4), units, to_outside=10.0))
    summary = result.summary
    figures = ["n_communities", "modularity", "nmi_units_communities", "ari_units_communities"]
    print({key: summary[key] for key in figures})
    assert [summary[key] for key in figures] == [2, pytest.approx(0.5), 1.0, 1.0]
    community = result.people.set_index("person_id")["community"]
    assert community[[f"a{i}" for i in range(1, 5)]].tolist() == [0] * 4
    assert community[[f"b{i}" for i in range(1, 5)]].tolist() == [1] * 4
    assert pd.isna(community["external"])
    assert result.methods["communities"]["reason"] is None


# Units of five, so that neither is hidden for privacy: the bridges take hidden units as one.
BRIDGED = {"a1": "A", "a2": "A", "a3": "A", "a4": "A", "k": "A"} | {f"b{i}": "B" for i in range(1, 6)}
BRIDGED_ARCS = [
    ("a1", "a2"),
    ("a2", "a3"),
    ("a3", "a1"),
    ("a3", "a4"),
    ("a4", "a1"),
    ("k", "a1"),
    ("a2", "k"),
]
BRIDGED_ARCS += [("b1", "b2"), ("b2", "b3"), ("b3", "b1"), ("b3", "b4"), ("b4", "b5"), ("b5", "b1")]
BRIDGED_ARCS += [("k", "b1"), ("b2", "k")]


def test_the_only_link_between_two_groups_is_an_articulation_point_though_both_mail_outside() -> None:
    # k (unit A) is tied to a1, a2 of A and b1, b2 of B, the only path between the groups; everyone
    # also writes once to partner.org. Without k the people fall apart: a cut vertex. Before, the
    # pooled outside world joined A and B around k: is_articulation_point False.
    result = analyse(pooled_snapshot(BRIDGED_ARCS, BRIDGED, to_outside=1.0))
    top = result.bridges.set_index("person_id")
    print(top[["cross_unit_ties", "is_articulation_point"]].to_dict("index"))
    assert (int(top.loc["k", "cross_unit_ties"]), bool(top.loc["k", "is_articulation_point"])) == (2, True)
    # k's contacts: a1, a2 in community 0, b1, b2 in community 1: 1 − (2/4)² − (2/4)² = 0.5. Before,
    # the outside world in k's community made it 1 − (3/5)² − (2/5)² = 0.48, and it had 0.49 itself.
    people = result.people.set_index("person_id")
    print(people["participation_communities"].to_dict())
    assert people.loc["k", "participation_communities"] == pytest.approx(0.5)
    assert people.loc["a1", "participation_communities"] == 0.0  # before: 0.375, "external" counted
    assert pd.isna(people.loc["external", "participation_communities"])


def test_the_communities_and_their_figures_are_those_of_the_drop_mode(tmp_path: Path) -> None:
    # The project's three rings, five people writing to partner.org. Before, "external" was in Ops's
    # community (7 people, its bridges "external;ops1;ops2", dominant unit "Ops" without a share)
    # and modularity was 0.540 against 0.579 with the outside world dropped.
    pooled, dropped = analysed(tmp_path), analysed(tmp_path / "drop", "drop")
    keys = ["n_communities", "modularity", "nmi_units_communities", "ari_units_communities", "n_isolated"]
    keys += ["community_stability_ari", "communities_stable", "formal_modularity"]
    print({key: (pooled.summary[key], dropped.summary[key]) for key in keys})
    assert {key: pooled.summary[key] for key in keys} == {key: dropped.summary[key] for key in keys}
    assert pooled.summary["modularity"] == pytest.approx(0.5793, abs=1e-4)
    pd.testing.assert_frame_equal(pooled.communities, dropped.communities)
    pd.testing.assert_frame_equal(pooled.bridges, dropped.bridges)
    columns = ["person_id", "community", "participation_communities"]
    people = pooled.people[pooled.people["person_id"] != "external"].reset_index(drop=True)
    pd.testing.assert_frame_equal(people[columns], dropped.people[columns])
    assert pooled.methods["communities"] == dropped.methods["communities"]


def test_people_csv_leaves_the_pooled_outside_worlds_community_empty(tmp_path: Path) -> None:
    # Before: community 2 (Ops's) and participation_communities 0.64 (its five contacts in three
    # communities: 1 − (2/5)² − (2/5)² − (1/5)²).
    result = analysed(tmp_path)
    write_csv(people_export(result), tmp_path / "people.csv")
    rows = pd.read_csv(tmp_path / "people.csv", dtype=str, keep_default_na=False).set_index("person_id")
    print(rows.loc["external", ["community", "participation_communities"]].to_dict())
    assert rows.loc["external", ["community", "participation_communities"]].tolist() == ["", ""]
    assert rows.loc["ops1", ["community", "participation_communities"]].tolist() == [
        "2",
        "0.31999999999999995",
    ]


def test_validate_counts_the_roster_people_apart_from_the_pooled_outside_world(tmp_path: Path) -> None:
    # 24 roster people; 52 ties among them and 5 to partner.org; 24 roster rows and 57 e-mails read.
    # Before: "snapshot main: 25 people, 57 ties, ..."; the 57 ties counted the 5 with the outside world.
    write_project(tmp_path)
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    print(result.output)
    assert result.exit_code == 0
    assert (
        "snapshot main: 24 people and the pooled outside world, 52 ties and 5 with the outside world, "
        "81 rows read, 0 rejected\n"
    ) in result.output
    write_project(tmp_path / "drop", "drop")
    dropped = CliRunner().invoke(main, ["validate", str(tmp_path / "drop")])
    assert "snapshot main: 24 people, 52 ties, 81 rows read, 0 rejected\n" in dropped.output


def test_the_network_view_draws_the_pooled_outside_world_in_no_community(tmp_path: Path) -> None:
    # Before: coloured as "community 2", Ops's.
    data = network_data(analysed(tmp_path), show_names=False)
    node = next(n for n in data["nodes"] if n["label"] == "external")
    print(data["communities"], node["community"])
    assert data["communities"] == [
        "community 0",
        "community 1",
        "community 2",
        "outside world (in no community)",
    ]
    assert data["communities"][node["community"]] == "outside world (in no community)"
    others = [n["community"] for n in data["nodes"] if n["label"] != "external"]
    assert sorted(set(others)) == [0, 1, 2]


def test_people_who_mail_only_outside_form_no_community_and_have_no_tie_among_the_people() -> None:
    # a and b (unit x) and c (unit y) each write only to partner.org. Among the people there is no tie,
    # so no community of two or more and no modularity, as with the outside world dropped (QUALITY.md
    # rule 8: null with a reason). Before, the star around "external" was one community of 4:
    # n_communities 1, modularity 0.0, NMI 0.0, n_isolated 0.
    result = analyse(pooled_snapshot([], {"a": "x", "b": "x", "c": "y"}, to_outside=1.0))
    summary = result.summary
    figures = ["n_communities", "modularity", "nmi_units_communities", "n_isolated"]
    print({key: summary[key] for key in figures})
    assert [summary[key] for key in figures] == [0, None, None, 3]
    assert summary["reasons"]["modularity"] == "no ties: modularity is undefined"
    assert summary["reasons"]["nmi_units_communities"] == "no communities to set against the units (no ties)"
    assert result.people["community"].isna().tolist() == [False, False, False, True]


def test_people_who_mail_only_outside_are_the_reports_no_tie_as_in_n_isolated() -> None:
    # Rings A and B of 6 people; x1 (A) and x2 (B) write only to partner.org: no tie among the
    # people, so n_isolated 2, as with the outside world dropped. Before, the report decided "no tie"
    # by degrees that counted the e-mail outside: the communities table listed x1 and x2 as two
    # communities "<5" and the network view coloured them "Communities pooled for privacy", with no
    # "no tie" row or legend entry.
    units = {f"a{i}": "A" for i in range(1, 7)} | {f"b{i}": "B" for i in range(1, 7)} | {"x1": "A", "x2": "B"}
    result = analyse(pooled_snapshot(ring("a", 6) + ring("b", 6), units, to_outside=1.0))
    assert result.summary["n_isolated"] == 2
    rows = report_view(result).communities.rows
    print(rows)
    assert [row[:2] for row in rows] == [("0", "6"), ("1", "6"), ("no tie", "2")]
    data = network_data(result, show_names=False)
    print(data["communities"])
    assert data["communities"] == ["community 0", "community 1", "no tie", "outside world (in no community)"]
    entry = {n["label"]: data["communities"][n["community"]] for n in data["nodes"]}
    assert sorted(p for p, name in entry.items() if name == "no tie") == ["x1", "x2"]


OUTSIDE_TITLE = "Every address no roster lists, drawn as one: not a unit, in no unit's figures"


def test_the_unit_view_draws_the_pooled_outside_world_as_outside_the_roster_not_a_unit_of_one(
    tmp_path: Path,
) -> None:
    # Before: a node "(external)" titled "(external) / 1 person / Double-click to open", a unit of one
    # in the legend and the unit filter. Its ties stay drawn: ops1 and ops4, lab5, sales3 and sales7
    # write to partner.org, 5 ties (the summary's n_outside_ties). It is no group of people, so
    # nothing hides it and it hides nothing.
    result = analysed(tmp_path)
    data = network_data(result, show_names=False)
    assert data["units"] == ["Lab", "Ops", "Sales", "outside the roster (pooled)"]
    assert (data["outsideUnit"], data["hiddenUnits"]) == (3, [])
    assert data["communities"][data["outsideCommunity"]] == "outside world (in no community)"
    node = data["unitGraph"]["nodes"][3]
    print(node["title"])
    assert node["label"] == "outside the roster (pooled)"
    assert node["title"] == f"outside the roster (pooled): 5 ties with the organisation\n{OUTSIDE_TITLE}"
    assert result.summary["n_outside_ties"] == 5
    assert {e["title"] for e in data["unitGraph"]["edges"] if e["to"] == 3} == {
        "Lab → outside the roster (pooled): 1 tie",
        "Ops → outside the roster (pooled): 2 ties",
        "Sales → outside the roster (pooled): 2 ties",
    }
    person = next(n for n in data["nodes"] if n["label"] == "external")
    assert person["title"] == f"external\n{OUTSIDE_TITLE}\nSought out by 5; turns to 0"


def test_the_outside_worlds_tooltip_gives_all_its_ties_which_the_person_view_draws_one_by_one(
    tmp_path: Path,
) -> None:
    # sales7, who writes to partner.org, has a blank unit: one person of no unit, a group under k whose
    # unit-graph edges show no count. Before, the outside world's tooltip left that tie out ("4 ties
    # ..., besides those with groups under 5 people"), which hid nothing: its degree in the person
    # view, people.csv and n_outside_ties say 5, and the person view draws sales7, under "no unit in
    # the roster", with its tie to the outside world. The tooltip now gives the same total.
    data = network_data(analysed(tmp_path, blank="sales7"), show_names=False)
    assert data["units"] == ["Lab", "Ops", "Sales", "no unit in the roster", "outside the roster (pooled)"]
    assert (data["outsideUnit"], data["hiddenUnits"]) == (4, [3])
    node = data["unitGraph"]["nodes"][4]
    assert node["title"] == f"outside the roster (pooled): 5 ties with the organisation\n{OUTSIDE_TITLE}"
    titles = {e["title"] for e in data["unitGraph"]["edges"] if e["to"] == 4}
    assert "no unit in the roster → outside the roster (pooled)" in titles  # the group's own count: none
    assert "Sales → outside the roster (pooled): 1 tie" in titles
    outside = next(n for n in data["nodes"] if n["label"] == "external")
    assert outside["title"].endswith("Sought out by 5; turns to 0")
    unitless = [n["id"] for n in data["nodes"] if n["unit"] == 3]
    drawn = [e for e in data["edges"] if outside["id"] in (e["from"], e["to"])]
    assert len(drawn) == 5
    assert sum(1 for e in drawn if {e["from"], e["to"]} & set(unitless)) == 1


def with_advice_survey(folder: Path) -> Analysis:
    """The project with an advice survey as its primary relation (each person asks the next of their
    unit), the e-mail log still pooling partner.org: no advice tie can reach the outside world."""
    write_project(folder)
    survey = ["respondent,nominee"]
    for unit, size in UNITS.items():
        ids = [f"{unit.lower()}{i}" for i in range(1, size + 1)]
        survey += [f"{p},{ids[i % size]}" for i, p in enumerate(ids, start=1)]
    (folder / "survey.csv").write_text("\n".join(survey) + "\n", encoding="utf-8")
    toml = folder / "leadnet.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8")
        + '\n[[sources]]\nkind = "survey"\npath = "survey.csv"\nrelation = "advice"\n'
        + 'columns = { source = "respondent", target = "nominee" }\n\n'
        + '[analysis]\nprimary_relation = "advice"\n',
        encoding="utf-8",
    )
    return analyse(load_project(load_config(folder)).snapshots["main"])


def test_the_network_view_leaves_out_the_outside_world_when_the_relation_drawn_has_no_tie_with_it(
    tmp_path: Path,
) -> None:
    # The view draws advice, which no tie with partner.org can be. Before, the unit graph had a node
    # "outside the roster (pooled): 0 ties with the organisation" (five people e-mail partner.org), and
    # the people view a diamond "Sought out by 0; turns to 0" with its own legend entries.
    result = with_advice_survey(tmp_path)
    assert result.snapshot.outside_roster == ("external",)
    assert (result.summary["relation"], result.summary["n_ties"], result.summary["n_outside_ties"]) == (
        "advice",
        24,
        0,
    )
    data = network_data(result, show_names=False)
    assert data["units"] == ["Lab", "Ops", "Sales"]
    assert "outside world (in no community)" not in data["communities"]
    assert (data["outsideUnit"], data["outsideCommunity"]) == (-1, -1)
    assert [n["title"] for n in data["unitGraph"]["nodes"]] == [
        "Lab\n8 people\nDouble-click to open",
        "Ops\n6 people\nDouble-click to open",
        "Sales\n10 people\nDouble-click to open",
    ]
    assert len(data["nodes"]) == 24 and "external" not in {n["label"] for n in data["nodes"]}
    labels = [n["label"] for n in data["nodes"]]
    drawn = {(labels[e["from"]], labels[e["to"]]) for e in data["edges"]}
    assert ("ops6", "ops1") in drawn and ("sales10", "sales1") in drawn and len(drawn) == 24
