"""Survey non-response by relation: who is a non-respondent for which relation, and what the analysis of
one relation leaves unmeasured."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from leadnet.analysis import analyse
from leadnet.config import load_config
from leadnet.importers.project import load_project
from leadnet.importers.survey import load_survey
from leadnet.model import Snapshot
from leadnet.report.views import report_view

BROKERAGE = ["brokerage_total", "brokerage_gatekeeper"]
BURT = ["constraint", "effective_size"]
NOT_SURVEYED = (
    'no survey asked about "{}", so there are no answers to count (e-mail, membership and tie-list '
    "relations are observed, not answered)"
)
RESPONSE = ["n_respondents", "n_non_respondents", "response_rate"]


def project(folder: Path, primary: str, *, trust: bool = False) -> Snapshot:
    """a, b, c in unit A, d and s in B. The advice survey: a→b, b→c, c→d, d→s; s did not answer.
    The e-mail tie list: a→s, s→d, so s is the one broker there (a gatekeeper: a of A, s and d of B).
    With ``trust``, a trust survey answered by a, c and d only: a→c, c→a, d→a."""
    (folder / "people.csv").write_text("person_id,unit\na,A\nb,A\nc,A\nd,B\ns,B\n", encoding="utf-8")
    (folder / "advice.csv").write_text("respondent,nominee\na,b\nb,c\nc,d\nd,s\n", encoding="utf-8")
    (folder / "email.csv").write_text("source,target\na,s\ns,d\n", encoding="utf-8")
    toml = '[people]\npath = "people.csv"\n\n[[sources]]\nkind = "survey"\npath = "advice.csv"\n\n'
    toml += '[[sources]]\nkind = "ties"\npath = "email.csv"\nrelation = "email"\n\n'
    if trust:
        (folder / "trust.csv").write_text("respondent,nominee\na,c\nc,a\nd,a\n", encoding="utf-8")
        toml += '[[sources]]\nkind = "survey"\npath = "trust.csv"\nrelation = "trust"\n\n'
    toml += f'[analysis]\nprimary_relation = "{primary}"\n'
    (folder / "leadnet.toml").write_text(toml, encoding="utf-8")
    return load_project(load_config(folder)).snapshots["main"]


def test_a_primary_relation_no_survey_gives_leaves_no_one_unmeasured(tmp_path: Path) -> None:
    # s skipped the advice survey, but the e-mail ties of s are observed: a→s→d is one
    # gatekeeping two-path (a→d absent), and s's two contacts are not tied to each other:
    # constraint (1/2)² + (1/2)² = 0.5, effective size 2. Before the fix all four were null
    # and the methods note said 1 of 5 people did not answer.
    result = analyse(project(tmp_path, "email"))
    people = result.people.set_index("person_id")
    assert people.loc["s", BROKERAGE].tolist() == [1, 1]
    assert people.loc["s", BURT].tolist() == pytest.approx([0.5, 2.0])
    assert result.methods["non_respondents"] is None
    # Nobody answered an e-mail: the counts are null with the reason, not "5 of 5 answered".
    assert (result.summary["n_respondents"], result.summary["n_non_respondents"]) == (None, None)
    assert result.summary["reasons"]["n_respondents"] == NOT_SURVEYED.format("email")
    assert report_view(result).unmeasured == ""  # the Roles note names no one who did not answer


def test_a_surveyed_primary_relation_leaves_its_non_respondents_unmeasured(tmp_path: Path) -> None:
    # Advice two-paths: a→b→c (b coordinates, all of A), b→c→d (c represents A to B),
    # c→d→s (d gatekeeps for B); every two-path through s would need an arc s names.
    result = analyse(project(tmp_path, "advice"))
    people = result.people.set_index("person_id")
    assert people.loc["s", BROKERAGE].isna().all() and people.loc["s", BURT].isna().all()
    assert people.loc["s", "in_degree"] == 1  # d named s
    assert people.loc[list("abcd"), "brokerage_total"].tolist() == [0, 1, 1, 1]
    assert result.methods["non_respondents"].startswith("1 of 5 people did not answer the advice survey")
    assert (result.summary["n_respondents"], result.summary["n_non_respondents"]) == (4, 1)
    assert report_view(result).unmeasured.startswith("1 person did not answer the advice survey")


def test_each_surveyed_relation_counts_its_own_respondents_and_the_others_none(tmp_path: Path) -> None:
    # Advice: s of 5 did not answer (4 of 5, 80%); trust: b and s did not (3 of 5, 60%). The e-mail
    # tie list was answered by no one. Before, summary.json had one count, the primary relation's,
    # and nothing under relations.
    result = analyse(project(tmp_path, "advice", trust=True))
    relations = result.summary["relations"]
    assert [relations["advice"][k] for k in RESPONSE] == [4, 1, pytest.approx(0.8)]
    assert [relations["trust"][k] for k in RESPONSE] == [3, 2, pytest.approx(0.6)]
    assert [relations["email"][k] for k in RESPONSE] == [None, None, None]
    assert relations["email"]["reasons"] == dict.fromkeys(RESPONSE, NOT_SURVEYED.format("email"))
    assert not set(RESPONSE) & set(relations["trust"]["reasons"])
    assert (result.summary["n_respondents"], result.summary["n_non_respondents"]) == (4, 1)
    assert not {"n_respondents", "n_non_respondents"} & set(result.summary["reasons"])
    # The report's relations table shows each surveyed relation's response; the Roles note is unchanged.
    rows = {row[0]: row[-1] for row in report_view(result).relations.rows}
    assert rows == {"advice (primary)": "80.0% (4 of 5)", "email": "not surveyed", "trust": "60.0% (3 of 5)"}
    assert report_view(result).unmeasured.startswith("1 person did not answer the advice survey")


def test_an_e_mail_only_project_has_no_response_counts_and_says_why(tmp_path: Path) -> None:
    # Four people, e-mail only: before, summary.json said 4 respondents and 0 non-respondents.
    roster = "person_id,email\n1,a@x.org\n2,b@x.org\n3,c@x.org\n4,d@x.org\n"
    (tmp_path / "people.csv").write_text(roster, encoding="utf-8")
    mail = (
        "sender,recipient,timestamp\na@x.org,b@x.org,2024-01-02T10:00Z\nc@x.org,d@x.org,2024-01-02T11:00Z\n"
    )
    (tmp_path / "mail.csv").write_text(mail, encoding="utf-8")
    toml = '[project]\ninternal_domains = ["x.org"]\n\n[people]\npath = "people.csv"\n\n[[sources]]\n'
    toml += 'kind = "email"\npath = "mail.csv"\nmin_messages = 1\n'
    (tmp_path / "leadnet.toml").write_text(toml, encoding="utf-8")
    result = analyse(load_project(load_config(tmp_path)).snapshots["main"])
    summary = result.summary
    assert (summary["relation"], summary["n_ties"]) == ("email", 2)
    assert (summary["n_respondents"], summary["n_non_respondents"]) == (None, None)
    why = NOT_SURVEYED.format("email")
    assert (summary["reasons"]["n_respondents"], summary["reasons"]["n_non_respondents"]) == (why, why)
    assert [summary["relations"]["email"][k] for k in RESPONSE] == [None, None, None]
    view = report_view(result)
    assert [row[-1] for row in view.relations.rows] == ["not surveyed"]
    assert not [r for r in view.reasons if "survey" in r]  # the table says so; no note per count


def test_a_primary_relation_with_no_ties_and_no_survey_is_not_surveyed_rather_than_absent() -> None:
    people = pd.DataFrame({"person_id": list("ab"), "unit": list("xy")})
    ties = pd.DataFrame({"source": ["a"], "target": ["b"], "relation": "email", "weight": 1.0, "count": 1})
    summary = analyse(Snapshot.build("m", people, ties, primary_relation="advice")).summary
    assert summary["n_respondents"] is None
    assert summary["reasons"]["n_respondents"] == NOT_SURVEYED.format("advice")
    assert summary["reasons"]["modularity"].startswith('no "advice" ties in this snapshot')


def test_a_surveyed_relation_nobody_named_anyone_in_is_listed_with_its_response() -> None:
    # Trust was asked (a answered, naming no one); it has no tie, so relations left it out and its
    # response was nowhere. It is listed with no tie: 1 of 3 answered.
    people = pd.DataFrame({"person_id": list("abc"), "unit": list("xyy")})
    ties = pd.DataFrame({"source": ["a"], "target": ["b"], "relation": "advice", "weight": 1.0, "count": 1})
    silent = {"advice": ("c",), "trust": ("b", "c")}
    relations = analyse(Snapshot.build("main", people, ties, non_respondents=silent)).summary["relations"]
    assert list(relations) == ["advice", "trust"]
    assert relations["trust"]["n_ties"] == 0
    assert [relations["trust"][k] for k in RESPONSE] == [1, 2, pytest.approx(1 / 3)]


def test_two_surveys_of_different_relations_each_have_their_own_non_respondents(tmp_path: Path) -> None:
    # b answered the advice survey but not the trust survey: b's trust ties are unobserved.
    # Before the fix the snapshot had one list, the people who answered no survey: s alone.
    snapshot = project(tmp_path, "trust", trust=True)
    assert snapshot.non_respondents == {"advice": ("s",), "trust": ("b", "s")}
    assert snapshot.non_respondents_of() == ("b", "s")
    assert snapshot.non_respondents_of("advice") == ("s",)
    assert snapshot.non_respondents_of("email") == ()
    result = analyse(snapshot)
    people = result.people.set_index("person_id")
    assert people["brokerage_total"].isna().tolist() == [False, True, False, False, True]  # a b c d s
    # trust: c→a→c is no two-path (its ends are one person); d→a→c is one, a of A letting d of B
    # reach c of A: a is a gatekeeper.
    assert people.loc[["a", "c", "d"], BROKERAGE].values.tolist() == [[1, 1], [0, 0], [0, 0]]
    assert result.methods["non_respondents"].startswith("2 of 5 people did not answer the trust survey")


def test_a_survey_asks_about_every_relation_its_rows_give(tmp_path: Path) -> None:
    # b named nobody for trust and gave no advice row: b answered, so b is no non-respondent of either.
    text = "respondent,nominee,question\na,b,trust\na,c,\nb,,trust\n"
    (tmp_path / "s.csv").write_text(text, encoding="utf-8")
    people = pd.DataFrame({"person_id": ["a", "b", "c"]})
    result = load_survey(tmp_path / "s.csv", people, columns={"relation": "question"}, relation="advice")
    assert result.relations == ("advice", "trust")  # the blank question reads as the default, advice
    assert result.non_respondents == ("c",)


def test_a_survey_of_one_relation_asks_about_that_relation_alone(tmp_path: Path) -> None:
    (tmp_path / "s.csv").write_text("respondent,nominee\na,b\n", encoding="utf-8")
    result = load_survey(tmp_path / "s.csv", pd.DataFrame({"person_id": ["a", "b"]}), relation="trust")
    assert (result.relations, result.non_respondents) == (("trust",), ("b",))


def old_format(folder: Path, flat: list[str]) -> None:
    """Rewrite a saved snapshot's ``snapshot.json`` as the code before non-response by relation wrote it."""
    path = folder / "snapshot.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**meta, "format": 1, "non_respondents": flat}), encoding="utf-8")


def test_an_old_snapshot_json_gives_its_one_list_to_each_survey_relation(tmp_path: Path) -> None:
    # The old list was who answered no survey (s): it goes to advice and trust, the relations the
    # provenance says surveys gave, not to the e-mail ties, which are observed for everyone.
    project(tmp_path, "email", trust=True).save(tmp_path / "snapshot")
    old_format(tmp_path / "snapshot", ["s"])
    back = Snapshot.load(tmp_path / "snapshot")
    assert back.non_respondents == {"advice": ("s",), "trust": ("s",)}
    assert back.relation == "email" and back.non_respondents_of() == ()
    assert analyse(back).people.set_index("person_id").loc["s", "brokerage_total"] == 1


def test_an_old_snapshot_json_with_no_survey_recorded_gives_its_list_to_the_primary_relation(
    tmp_path: Path,
) -> None:
    people = pd.DataFrame({"person_id": list("abc")})
    ties = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "relation": "advice"})
    Snapshot.build("main", people, ties).save(tmp_path)
    old_format(tmp_path, ["c"])
    assert Snapshot.load(tmp_path).non_respondents == {"advice": ("c",)}
    old_format(tmp_path, [])
    assert Snapshot.load(tmp_path).non_respondents == {}


def test_a_saved_snapshot_keeps_the_non_respondents_of_each_relation(tmp_path: Path) -> None:
    project(tmp_path, "email", trust=True).save(tmp_path / "snapshot")
    meta = json.loads((tmp_path / "snapshot" / "snapshot.json").read_text(encoding="utf-8"))
    assert (meta["format"], meta["non_respondents"]) == (2, {"advice": ["s"], "trust": ["b", "s"]})
    back = Snapshot.load(tmp_path / "snapshot")
    assert back.non_respondents == {"advice": ("s",), "trust": ("b", "s")}


def test_non_respondents_given_as_one_list_are_refused_naming_the_form_wanted() -> None:
    people = pd.DataFrame({"person_id": ["a"]})
    ties = pd.DataFrame({"source": [], "target": [], "relation": []})
    with pytest.raises(TypeError) as caught:
        Snapshot.build("main", people, ties, non_respondents=("a",))  # type: ignore[arg-type]
    assert str(caught.value) == (
        'non_respondents must be a mapping of relation to person ids, e.g. {"advice": ("c",)}. '
        "Got tuple instead."
    )


def test_pseudonyms_replace_each_relations_non_respondents(tmp_path: Path) -> None:
    from leadnet.importers.assembly import pseudonymise
    from leadnet.importers.identity import pseudonym

    key = b"k" * 32
    hidden = pseudonymise(project(tmp_path, "trust", trust=True), key)
    assert hidden.non_respondents == {
        "advice": (pseudonym("s", key),),
        "trust": tuple(sorted([pseudonym("b", key), pseudonym("s", key)])),
    }


def pooled_project(folder: Path) -> Snapshot:
    """Five people on the roster; the advice survey answered by a, b, c and d (s did not answer); an
    e-mail log with ``external = "pool"`` in which a writes to b and to an address outside x.org."""
    roster = "person_id,unit,email\na,A,a@x.org\nb,A,b@x.org\nc,A,c@x.org\nd,B,d@x.org\ns,B,s@x.org\n"
    (folder / "people.csv").write_text(roster, encoding="utf-8")
    (folder / "advice.csv").write_text("respondent,nominee\na,b\nb,c\nc,d\nd,s\n", encoding="utf-8")
    mail = "sender,recipient,timestamp\na@x.org,b@x.org,2024-01-02T10:00Z\n"
    mail += "a@x.org,z@partner.org,2024-01-02T11:00Z\n"
    (folder / "mail.csv").write_text(mail, encoding="utf-8")
    toml = '[project]\ninternal_domains = ["x.org"]\n\n[people]\npath = "people.csv"\n\n'
    toml += '[[sources]]\nkind = "survey"\npath = "advice.csv"\n\n'
    toml += '[[sources]]\nkind = "email"\npath = "mail.csv"\nmin_messages = 1\nexternal = "pool"\n'
    (folder / "leadnet.toml").write_text(toml, encoding="utf-8")
    return load_project(load_config(folder)).snapshots["main"]


def test_the_pooled_outside_world_is_no_respondent_of_a_survey(tmp_path: Path) -> None:
    # The pooled person "external" is in the people table (6 rows), but the survey could ask only
    # the 5 on the roster: 4 of 5 answered, and the summary's people are those 5. Before, summary.json
    # said 5 respondents of 6 (83%), and the methods note "1 of 6 people".
    snapshot = pooled_project(tmp_path)
    assert snapshot.people["person_id"].tolist() == ["a", "b", "c", "d", "external", "s"]
    result = analyse(snapshot)
    summary = result.summary
    assert (summary["n_people"], summary["n_respondents"], summary["n_non_respondents"]) == (5, 4, 1)
    assert snapshot.n_roster == 5
    assert [summary["relations"]["advice"][k] for k in RESPONSE] == [4, 1, pytest.approx(0.8)]
    assert [summary["relations"]["email"][k] for k in RESPONSE] == [None, None, None]
    assert result.methods["non_respondents"].startswith("1 of 5 people did not answer the advice survey")
    rows = {row[0]: row[-1] for row in report_view(result).relations.rows}
    assert rows["advice (primary)"] == "80.0% (4 of 5)"


def test_a_saved_snapshot_keeps_who_is_outside_the_roster_and_an_older_one_finds_it(tmp_path: Path) -> None:
    pooled_project(tmp_path).save(tmp_path / "snapshot")
    path = tmp_path / "snapshot" / "snapshot.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    assert meta["provenance"]["parameters"]["outside_roster"] == ["external"]
    assert analyse(Snapshot.load(tmp_path / "snapshot")).summary["n_respondents"] == 4
    # Written before the marker: its e-mail rule external = "pool" and the person "external" of unit
    # "(external)" say the same.
    del meta["provenance"]["parameters"]["outside_roster"]
    path.write_text(json.dumps(meta), encoding="utf-8")
    back = Snapshot.load(tmp_path / "snapshot")
    assert (back.n_roster, analyse(back).summary["relations"]["advice"]["n_respondents"]) == (5, 4)
    # Written before tie rules were recorded too: the pooled person alone says it.
    del meta["provenance"]["parameters"]["tie_rules"]
    path.write_text(json.dumps(meta), encoding="utf-8")
    back = Snapshot.load(tmp_path / "snapshot")
    assert (back.outside_roster, back.n_roster) == (("external",), 5)
