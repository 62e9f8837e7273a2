"""The bundled Riverside sample: files, determinism and the planted structure.

The planted structure is checked with plain pandas/numpy/igraph, independently of
leadnet's own analysis, so the acceptance tests that later run leadnet on the sample
have a known-good target.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import igraph as ig
import numpy as np
import pandas as pd
import pytest

from leadnet.errors import ConfigError
from leadnet.samples import SAMPLES, SampleInfo, write_sample

COMMITTED = Path(__file__).resolve().parents[1] / "data" / "samples" / "riverside"
FILES = ("README.md", "cohort.csv", "ground_truth.json", "leadnet.toml", "mail_after.csv", "mail_before.mbox")
FILES += ("membership.csv", "people.csv", "survey_after.csv", "survey_before.csv")
WAVES = ("before", "after")


@pytest.fixture(scope="module")
def truth() -> dict:
    return json.loads((COMMITTED / "ground_truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def people() -> pd.DataFrame:
    return pd.read_csv(COMMITTED / "people.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def advice() -> dict[str, pd.DataFrame]:
    """Advice arcs of each wave, with the respondent's and nominee's unit."""
    units = pd.read_csv(COMMITTED / "people.csv", dtype=str).set_index("employee_id")["directorate"]
    out = {}
    for wave in WAVES:
        survey = pd.read_csv(COMMITTED / f"survey_{wave}.csv", dtype={"frequency": int})
        arcs = survey[survey["question"] == "advice"].reset_index(drop=True)
        out[wave] = arcs.assign(su=arcs["respondent"].map(units), tu=arcs["nominee"].map(units))
    return out


def in_degree(arcs: pd.DataFrame, people: pd.DataFrame) -> pd.Series:
    return arcs["nominee"].value_counts().reindex(people["employee_id"], fill_value=0)


def cross_out(arcs: pd.DataFrame, people: pd.DataFrame) -> pd.Series:
    cross = arcs[arcs["su"] != arcs["tu"]]
    return cross["respondent"].value_counts().reindex(people["employee_id"], fill_value=0)


def unit_table(arcs: pd.DataFrame, units: list[str]) -> pd.DataFrame:
    """Per unit: internal arcs I, external arcs E, E-I index (Krackhardt & Stern 1988), insularity."""
    rows = []
    for unit in units:
        inside = int(((arcs["su"] == unit) & (arcs["tu"] == unit)).sum())
        outside = int(((arcs["su"] == unit) ^ (arcs["tu"] == unit)).sum())
        rows.append((unit, (outside - inside) / (outside + inside), 2 * inside / (2 * inside + outside)))
    return pd.DataFrame(rows, columns=["unit", "ei_index", "insularity"]).set_index("unit")


def permutation_p(
    values: np.ndarray, n_first: int, *, draws: int = 10_000, seed: int = 0
) -> tuple[float, float]:
    """Difference of means first-group minus rest, two-sided permutation p (Phipson & Smyth 2010)."""
    observed = values[:n_first].mean() - values[n_first:].mean()
    order = np.argsort(np.random.default_rng(seed).random((draws, values.size)), axis=1)
    shuffled = values[order]
    stats = shuffled[:, :n_first].mean(axis=1) - shuffled[:, n_first:].mean(axis=1)
    return float(observed), float((1 + (np.abs(stats) >= abs(observed) - 1e-12).sum()) / (draws + 1))


# --- the API and the files ----------------------------------------------------------------------------


def test_unknown_sample_is_a_config_error_listing_the_samples(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        write_sample("lakeside", tmp_path)
    assert str(caught.value) == 'unknown sample "lakeside". Choose one of: riverside.'
    assert list(tmp_path.iterdir()) == []


def test_negative_seed_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        write_sample("riverside", tmp_path, seed=-1)
    assert str(caught.value) == "seed must be a non-negative integer. Got -1 instead."


def test_committed_files_equal_a_fresh_generation_byte_for_byte(tmp_path: Path) -> None:
    info = write_sample("riverside", tmp_path / "new")
    assert isinstance(info, SampleInfo)
    assert (info.name, info.path) == ("riverside", tmp_path / "new")
    assert info.files == tuple(tmp_path / "new" / f for f in FILES)
    for name in FILES:
        assert (tmp_path / "new" / name).read_bytes() == (COMMITTED / name).read_bytes(), name
    assert info.ground_truth == json.loads((COMMITTED / "ground_truth.json").read_text(encoding="utf-8"))


def test_seed_changes_the_network_but_not_the_project_file(tmp_path: Path) -> None:
    info = write_sample("riverside", tmp_path, seed=7)
    assert info.ground_truth["seed"] == 7
    assert (tmp_path / "survey_before.csv").read_bytes() != (COMMITTED / "survey_before.csv").read_bytes()
    assert (tmp_path / "leadnet.toml").read_bytes() == (COMMITTED / "leadnet.toml").read_bytes()
    assert set(SAMPLES) == {"riverside"}


def test_files_are_utf8_with_unix_line_endings_and_sorted_rows() -> None:
    for name in FILES:
        data = (COMMITTED / name).read_bytes()
        assert b"\r" not in data and data.endswith(b"\n"), name
        data.decode("utf-8")
    survey = pd.read_csv(COMMITTED / "survey_before.csv", dtype=str)
    key = list(zip(survey["respondent"], survey["nominee"], survey["question"], strict=True))
    assert key == sorted(key)
    truth = (COMMITTED / "ground_truth.json").read_text(encoding="utf-8")
    assert truth == json.dumps(json.loads(truth), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_project_file_reads_the_sample_files() -> None:
    config = tomllib.loads((COMMITTED / "leadnet.toml").read_text(encoding="utf-8"))
    assert config["people"]["columns"] == {
        "person_id": "employee_id",
        "unit": "directorate",
        "level": "band_level",
        "manager_id": "manager",
        "name": "name",
        "email": "email",
    }
    assert config["people"]["top_level"] == "min"
    assert [(s["kind"], s["path"], s["snapshot"]) for s in config["sources"]] == [
        ("survey", "survey_before.csv", "before"),
        ("survey", "survey_after.csv", "after"),
        ("email", "mail_before.mbox", "before"),
        ("email", "mail_after.csv", "after"),
        ("membership", "membership.csv", "before"),
        ("membership", "membership.csv", "after"),
    ]
    assert config["sources"][0]["columns"]["relation"] == "question"
    assert config["programme"] == {"cohort": "cohort.csv", "before": "before", "after": "after"}
    assert config["analysis"] == {"seed": 0, "min_group_size": 5, "primary_relation": "advice"}


# --- the roster ----------------------------------------------------------------------------------------


def test_roster_is_a_600_person_trust_in_8_units_and_5_levels(people: pd.DataFrame, truth: dict) -> None:
    assert list(people.columns) == [
        "employee_id", "name", "email", "directorate", "band_level", "manager", "staff_group",
    ]  # fmt: skip
    assert len(people) == 600 and people["employee_id"].is_unique
    assert sorted(people["directorate"].unique()) == sorted(truth["units"]) and len(truth["units"]) == 8
    assert people["band_level"].value_counts().sort_index().to_dict() == {
        "1": 1, "2": 8, "3": 54, "4": 149, "5": 388,
    }  # fmt: skip
    assert truth["levels"] == [1, 2, 3, 4, 5] and truth["top_level"] == "min"
    assert people["email"].is_unique and people["name"].is_unique
    expected = people["name"].str.lower().str.replace(" ", ".") + "@riverside.example"
    assert (people["email"] == expected).all()
    assert set(people["staff_group"]) == {
        "Medical",
        "Nursing",
        "AHP",
        "Healthcare Science",
        "Admin",
        "Estates",
    }


def test_every_head_reports_to_the_chief_executive_with_spans_of_about_5_to_10(people: pd.DataFrame) -> None:
    by_id = people.set_index("employee_id")
    ceo = people.loc[people["band_level"] == "1", "employee_id"].item()
    assert by_id.loc[ceo, "manager"] == ""
    heads = people[people["band_level"] == "2"]
    assert (heads["manager"] == ceo).all() and heads["directorate"].is_unique
    others = people[people["band_level"].astype(int) > 2]
    managers = by_id.loc[others["manager"]]
    assert (managers["directorate"].to_numpy() == others["directorate"].to_numpy()).all()
    assert (managers["band_level"].astype(int).to_numpy() < others["band_level"].astype(int).to_numpy()).all()
    spans = people.loc[people["manager"] != "", "manager"].value_counts()
    assert spans.min() >= 4 and spans.max() <= 10 and 5.5 <= spans.mean() <= 7.5


# --- the survey ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("wave", WAVES)
def test_survey_has_two_relations_likert_frequencies_and_8_percent_non_respondents(
    wave: str, people: pd.DataFrame, truth: dict
) -> None:
    survey = pd.read_csv(COMMITTED / f"survey_{wave}.csv", dtype={"frequency": int})
    assert list(survey.columns) == ["respondent", "nominee", "question", "frequency"]
    assert survey["question"].value_counts().to_dict().keys() == {"advice", "collaboration"}
    assert survey["frequency"].between(1, 5).all()
    assert not survey.duplicated(["respondent", "nominee", "question"]).any()
    assert (survey["respondent"] != survey["nominee"]).all()
    assert set(survey["respondent"]) | set(survey["nominee"]) <= set(people["employee_id"])
    silent = set(truth["non_respondents"][wave])
    assert len(silent) == 48 and not silent & set(survey["respondent"])
    assert set(survey["respondent"]) == set(people["employee_id"]) - silent
    assert silent & set(survey["nominee"])  # non-respondents can still be named
    advice = survey[survey["question"] == "advice"]
    collab = survey[survey["question"] == "collaboration"]
    assert len(collab) < 0.7 * len(advice)
    out = advice["respondent"].value_counts()
    assert out.min() >= 3 and out.max() <= 12 and 4.3 <= out.mean() <= 5.2


def test_in_degree_is_right_skewed_and_igraph_agrees(advice: dict, people: pd.DataFrame) -> None:
    arcs = advice["before"]
    graph = ig.Graph.DictList(
        [{"name": p} for p in people["employee_id"]],
        [{"source": s, "target": t} for s, t in zip(arcs["respondent"], arcs["nominee"], strict=True)],
        directed=True,
    )
    degrees = np.array(graph.indegree())
    assert (degrees == in_degree(arcs, people).to_numpy()).all()
    assert np.median(degrees) == 3 and degrees.mean() > np.median(degrees)
    assert pd.Series(degrees).skew() > 1.5


# --- the planted structure -----------------------------------------------------------------------------


@pytest.mark.parametrize("wave", WAVES)
def test_informal_leaders_are_the_most_sought_after_non_managers(
    wave: str, advice: dict, people: pd.DataFrame, truth: dict
) -> None:
    leaders = truth["informal_leaders"]
    managers = set(people["manager"]) - {""}
    assert len(leaders) == 12 and not set(leaders) & managers
    assert set(people.set_index("employee_id").loc[leaders, "band_level"]) == {"3", "4", "5"}
    degree = in_degree(advice[wave], people)
    ranked = degree.drop(list(managers)).sort_values(ascending=False, kind="stable")
    recall = len(set(ranked.index[:20]) & set(leaders)) / len(leaders)
    assert recall == 1.0
    assert degree[leaders].min() >= 4 * degree.median()
    arcs = advice[wave][advice[wave]["nominee"].isin(leaders)]
    assert (arcs["su"] == arcs["tu"]).mean() >= 0.75  # mostly asked by their own unit


def cross_brokerage(arcs: pd.DataFrame, people: pd.DataFrame) -> pd.Series:
    """Open two-paths a -> v -> b with a and b in different units (Gould & Fernandez 1989, roles pooled)."""
    index = {p: i for i, p in enumerate(people["employee_id"])}
    adj = np.zeros((len(people), len(people)))
    adj[arcs["respondent"].map(index), arcs["nominee"].map(index)] = 1.0
    units = people["directorate"].to_numpy()
    open_cross = (adj == 0) & (units[:, None] != units[None, :])
    return pd.Series(np.diag(adj.T @ open_cross @ adj.T), index=people["employee_id"])


@pytest.mark.parametrize("wave", WAVES)
def test_boundary_spanners_tie_and_broker_across_several_units(
    wave: str, advice: dict, people: pd.DataFrame, truth: dict
) -> None:
    spanners = truth["boundary_spanners"]
    assert len(spanners) == 10 and not set(spanners) & set(truth["informal_leaders"])
    assert sum(s in set(people["manager"]) for s in spanners) == 2  # mostly non-managers
    arcs = advice[wave]
    cross = arcs[arcs["su"] != arcs["tu"]]
    for person in spanners:
        mine = cross[(cross["respondent"] == person) | (cross["nominee"] == person)]
        other_units = set(mine["su"]) | set(mine["tu"])
        assert len(mine) >= 7 and len(other_units) - 1 >= 4, person
    brokerage = cross_brokerage(arcs, people)
    assert brokerage[spanners].median() >= brokerage.quantile(0.95)
    assert brokerage[spanners].mean() >= 8 * brokerage.mean()


@pytest.mark.parametrize("wave", WAVES)
def test_the_two_silos_are_the_most_insular_units_with_the_lowest_ei_index(
    wave: str, advice: dict, truth: dict
) -> None:
    table = unit_table(advice[wave], truth["units"])
    assert set(table["insularity"].nlargest(2).index) == set(truth["silos"])
    assert set(table["ei_index"].nsmallest(2).index) == set(truth["silos"])
    others = table.drop(truth["silos"])
    assert table.loc[truth["silos"], "ei_index"].max() < others["ei_index"].min() - 0.2
    assert table.loc[truth["silos"], "insularity"].min() > 0.85


@pytest.mark.parametrize("wave", WAVES)
def test_bridges_carry_most_of_the_silos_outside_contact(wave: str, advice: dict, truth: dict) -> None:
    arcs = advice[wave]
    cross = arcs[arcs["su"] != arcs["tu"]]
    assert set(truth["bridges"]) <= set(truth["boundary_spanners"])
    assert truth["bridges_also_boundary_spanners"] == truth["bridges"]
    for silo, bridges in truth["bridges_by_silo"].items():
        ends = pd.concat(
            [cross.loc[cross["su"] == silo, "respondent"], cross.loc[cross["tu"] == silo, "nominee"]]
        )
        counts = ends.value_counts()
        assert set(counts.index[: len(bridges)]) == set(bridges)
        assert counts.iloc[len(bridges) - 1] >= 2 * counts.iloc[len(bridges)]
        touching = cross[(cross["su"] == silo) | (cross["tu"] == silo)]
        share = (touching["respondent"].isin(bridges) | touching["nominee"].isin(bridges)).mean()
        assert share == pytest.approx(truth["bridges_share"][wave][silo], abs=1e-4)
        assert share > 0.55


def test_cohort_and_comparison_are_matched_groups_of_50_across_units(
    people: pd.DataFrame, truth: dict
) -> None:
    groups = pd.read_csv(COMMITTED / "cohort.csv", dtype=str)
    assert list(groups.columns) == ["person_id", "group"]
    cohort = groups.loc[groups["group"] == "cohort", "person_id"].tolist()
    comparison = groups.loc[groups["group"] == "comparison", "person_id"].tolist()
    assert (sorted(cohort), sorted(comparison)) == (truth["cohort"], truth["comparison_group"])
    assert len(cohort) == len(comparison) == 50 and not set(cohort) & set(comparison)
    assert not set(cohort + comparison) & set(truth["informal_leaders"] + truth["boundary_spanners"])
    by_id = people.set_index("employee_id")
    assert set(by_id.loc[cohort, "directorate"]) == set(truth["units"])
    assert set(by_id.loc[cohort, "band_level"]) == {"3", "4", "5"}
    for column in ("directorate", "band_level"):
        assert sorted(by_id.loc[cohort, column]) == sorted(by_id.loc[comparison, column])


def test_everybody_churns_about_ten_percent_of_their_ties(advice: dict, truth: dict) -> None:
    before, after = advice["before"], advice["after"]
    stayers = set(before["respondent"]) & set(after["respondent"]) - set(truth["cohort"])
    pairs = {w: set(zip(a["respondent"], a["nominee"], strict=True)) for w, a in advice.items()}
    kept = [p for p in pairs["before"] if p[0] in stayers]
    share_kept = sum(p in pairs["after"] for p in kept) / len(kept)
    assert 0.87 <= share_kept <= 0.93


def test_programme_cohort_gains_cross_unit_ties_and_a_placebo_does_not(
    advice: dict, people: pd.DataFrame, truth: dict
) -> None:
    change = cross_out(advice["after"], people) - cross_out(advice["before"], people)
    stayers = set(advice["before"]["respondent"]) & set(advice["after"]["respondent"])
    cohort = [p for p in truth["cohort"] if p in stayers]
    comparison = [p for p in truth["comparison_group"] if p in stayers]
    assert len(cohort) == len(comparison) == 50
    values = change[cohort + comparison].to_numpy()
    difference, p_value = permutation_p(values, len(cohort))
    effect = truth["programme_effect"]
    assert difference == pytest.approx(effect["difference"], abs=1e-4) == pytest.approx(3.08, abs=1e-4)
    assert change[cohort].mean() == pytest.approx(effect["cohort_mean_change"], abs=1e-4)
    assert change[comparison].mean() == pytest.approx(effect["comparison_mean_change"], abs=1e-4)
    assert p_value < 0.001
    others = sorted(stayers - set(truth["cohort"]))
    rng = np.random.default_rng(1)
    placebo_p = []
    for draw in range(20):
        placebo = set(rng.choice(others, 50, replace=False))
        ordered = [p for p in others if p in placebo] + [p for p in others if p not in placebo]
        placebo_p.append(permutation_p(change[ordered].to_numpy(), 50, draws=2000, seed=draw)[1])
    assert placebo_p[0] > 0.05 and sum(p < 0.05 for p in placebo_p) <= 3
