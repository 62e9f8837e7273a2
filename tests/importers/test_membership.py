"""Membership import: Davis southern women against networkx's bipartite projections."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from networkx.algorithms import bipartite

from leadnet.errors import ConfigError, InputError
from leadnet.importers.identity import Resolver
from leadnet.importers.membership import load_membership, project_memberships

DAVIS = Path(__file__).resolve().parents[1] / "data" / "davis_southern_women" / "Davis.paj"


def davis_csv(folder: Path) -> tuple[Path, list[str]]:
    """Davis.paj (the 89-tie version) as a person,project CSV."""
    lines = DAVIS.read_text(encoding="utf-8").splitlines()
    names = {}
    edges = []
    section = ""
    for line in lines:
        if line.startswith("*"):
            section = "done" if section == "*edges" or section == "done" else line.split()[0].lower()
            continue
        parts = line.split()
        if section == "*vertices" and '"' in line:
            names[parts[0]] = line.split('"')[1]
        elif section == "*edges" and len(parts) >= 2:
            edges.append((names[parts[0]], names[parts[1]]))
    path = folder / "davis.csv"
    path.write_text("person,project\n" + "".join(f"{p},{e}\n" for p, e in edges), encoding="utf-8")
    return path, [names[str(i)] for i in range(1, 19)]


def networkx_women() -> tuple[nx.Graph, list[str]]:
    g = nx.davis_southern_women_graph()
    return g, [n for n, d in g.nodes(data=True) if d["bipartite"] == 0]


@pytest.fixture(scope="module")
def davis(tmp_path_factory: pytest.TempPathFactory):
    path, women = davis_csv(tmp_path_factory.mktemp("davis"))
    return load_membership(path, Resolver(pd.DataFrame({"person_id": women}))), women


def test_davis_has_18_women_14_events_and_89_memberships(davis) -> None:
    result, women = davis
    assert len(women) == 18
    assert result.memberships["project"].nunique() == 14
    assert (result.record.rows_read, result.record.rows_rejected, len(result.memberships)) == (89, 0, 89)


def test_davis_co_attendance_counts_match_networkx_weighted_projection(davis) -> None:
    result, ours = davis
    g, women = networkx_women()
    expected = bipartite.weighted_projected_graph(g, women)
    name = dict(zip(women, ours, strict=True))  # same order as Davis.paj (PROVENANCE)
    got = {(s, t): c for s, t, c in result.ties[["source", "target", "count"]].values}
    want = {(name[a], name[b]): d["weight"] for a, b, d in expected.edges(data=True)}
    want |= {(b, a): w for (a, b), w in want.items()}
    assert got == want
    assert len(result.ties) == 2 * expected.number_of_edges() == 2 * 139


def test_davis_newman_weights_match_networkx_collaboration_projection(davis) -> None:
    result, ours = davis
    g, women = networkx_women()
    expected = bipartite.collaboration_weighted_projected_graph(g, women)
    name = dict(zip(women, ours, strict=True))
    got = {(s, t): w for s, t, w in result.ties[["source", "target", "weight"]].values}
    assert len(got) == 2 * expected.number_of_edges()
    for a, b, d in expected.edges(data=True):
        pair = (name[a], name[b])
        assert got[pair] == pytest.approx(d["weight"])
        assert got[pair[::-1]] == pytest.approx(d["weight"])


def test_projects_above_the_size_cap_make_no_ties() -> None:
    members = pd.DataFrame({"person_id": ["a", "b", "c", "a", "b"], "project": ["big"] * 3 + ["small"] * 2})
    ties, large = project_memberships(members, max_project_size=2)
    assert ties[["source", "target", "weight", "count"]].values.tolist() == [
        ["a", "b", 1.0, 1],
        ["b", "a", 1.0, 1],
    ]
    assert large == 1


def test_dated_membership_feeds_quarterly_snapshots_and_rejects_bad_rows(tmp_path: Path) -> None:
    text = (
        "person,project,role,start,end,effort\n"
        "a,p,lead,2024-01-01,2024-02-15,0.5\n"
        "b,p,,2024-01-10,,1\n"
        "c,q,,2024-05-01,2024-06-30,\n"
        "b,q,,2024-04-01,,\n"
        "d,q,,someday,,\n"
        "a,q,,,,-1\n"
        "x,p,,,,\n"
    )
    (tmp_path / "m.csv").write_text(text, encoding="utf-8")
    result = load_membership(
        tmp_path / "m.csv", Resolver(pd.DataFrame({"person_id": list("abcd")})), snapshot_by="quarter"
    )
    assert [str(i) for i in result.issues] == [
        'm.csv line 6, column "start": start "someday" is not a date (write an ISO date such as '
        "2024-01-31, or leave it blank for an open start) [bad-date]",
        'm.csv line 7, column "effort": effort "-1" is not a finite number >= 0 (write a number such as '
        "0.5 or 1, or leave it blank) [bad-effort]",
        'm.csv line 8, column "person": unknown person "x" (add them to the roster or correct the id) '
        "[unknown-person]",
    ]
    assert list(result.by_period) == ["2024-Q1", "2024-Q2"]
    assert result.by_period["2024-Q1"].ties[["source", "target"]].values.tolist() == [["a", "b"], ["b", "a"]]
    assert result.by_period["2024-Q2"].ties[["source", "target"]].values.tolist() == [["b", "c"], ["c", "b"]]
    assert (result.record.rows_read, result.record.rows_accepted) == (7, 4)


def test_each_period_counts_its_own_projects_too_large_to_make_ties(tmp_path: Path) -> None:
    # project "big" (4 people, over max_project_size 3) runs in January only; "small" (a, b) in both
    # months. Every month's snapshot said large-project 1, the whole window's count.
    rows = [f"{p},big,2024-01-01,2024-01-31" for p in "abcd"] + ["a,small,2024-01-01,2024-02-29"]
    rows += ["b,small,2024-01-01,2024-02-29", "c,late,2024-02-01,2024-02-29", "c,late,2024-02-01,2024-02-29"]
    (tmp_path / "m.csv").write_text("person,project,start,end\n" + "\n".join(rows) + "\n", encoding="utf-8")
    resolver = Resolver(pd.DataFrame({"person_id": list("abcd")}))
    result = load_membership(tmp_path / "m.csv", resolver, max_project_size=3, snapshot_by="month")
    assert result.normalisations == {"duplicate-row": 1, "large-project": 1}
    assert {label: part.normalisations for label, part in result.by_period.items()} == {
        "2024-01": {"duplicate-row": 1, "large-project": 1},
        "2024-02": {"duplicate-row": 1},
    }
    assert result.by_period["2024-02"].ties[["source", "target"]].values.tolist() == [["a", "b"], ["b", "a"]]


def test_membership_ending_before_it_starts_is_rejected_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(
        "person,project,start,end\n"
        "a,p,2026-01-01,2026-06-30\n"
        "b,p,2026-01-01,\n"
        "c,p,2026-09-30,2026-02-01\n"  # inverted: would tie c to a and b
        "c,q,2026-03-01,2026-03-01\n",  # one day: fine
        encoding="utf-8",
    )
    result = load_membership(path, Resolver(pd.DataFrame({"person_id": ["a", "b", "c"]})))
    assert [str(i) for i in result.issues] == [
        'm.csv line 4, column "end": end 2026-02-01 is before start 2026-09-30 (swap the dates '
        "if they were entered the wrong way round, or correct the wrong one) [end-before-start]"
    ]
    assert result.ties[["source", "target"]].values.tolist() == [["a", "b"], ["b", "a"]]
    assert (result.record.rows_read, result.record.rows_accepted, result.record.rows_rejected) == (4, 3, 1)
    assert result.memberships[["person_id", "project"]].values.tolist() == [
        ["a", "p"],
        ["b", "p"],
        ["c", "q"],
    ]


def test_effort_that_is_infinite_or_not_a_number_is_rejected(tmp_path: Path) -> None:
    text = "person,project,effort\na,p,inf\nb,p,-inf\nc,p,nan\nd,p,0,5\n"
    (tmp_path / "m.csv").write_text(text.replace("0,5", '"0,5"'), encoding="utf-8")
    result = load_membership(tmp_path / "m.csv", Resolver(pd.DataFrame({"person_id": list("abcd")})))
    assert [(i.line, i.code) for i in result.issues] == [(line, "bad-effort") for line in (2, 3, 4)]
    assert result.record.rows_accepted == 1  # "0,5" is a decimal comma: 0.5


def test_bad_cells_are_reported_in_their_own_column_with_the_value_found(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("Who,Team,From,Until\n1,,,\n2,P,2026-01-01,soon\n,P,,\n", encoding="utf-8")
    columns = {"person": "Who", "project": "Team", "start": "From", "end": "Until"}
    result = load_membership(path, Resolver(pd.DataFrame({"person_id": ["1", "2"]})), columns=columns)
    assert [str(i) for i in result.issues] == [
        'm.csv line 2, column "Team": project is blank (fill it in or remove the row) [missing-id]',
        'm.csv line 3, column "Until": end "soon" is not a date (write an ISO date such as 2024-01-31, '
        "or leave it blank for an open end) [bad-date]",
        'm.csv line 4, column "Who": person is blank (fill it in or remove the row) [missing-id]',
    ]
    assert (result.record.rows_read, result.record.rows_rejected) == (3, 3)


def test_problems_are_listed_by_line_and_within_a_line_by_column(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(
        "person,project,start,end,effort\nx,P,,,\nb,P,soon,,\n,,soon,,\na,P,,later,-1\nb,,,,\n",
        encoding="utf-8",
    )
    result = load_membership(path, Resolver(pd.DataFrame({"person_id": ["a", "b"]})))
    assert [(i.line, i.column) for i in result.issues] == [
        (2, "person"),
        (3, "start"),
        (4, "person"),
        (4, "project"),
        (4, "start"),
        (5, "end"),
        (5, "effort"),
        (6, "project"),
    ]


def test_a_year_or_a_month_where_a_date_is_needed_is_rejected_naming_the_full_date(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(
        "person,project,start,end\n"
        "a,P,2026-01-01,2026-03\n"  # read as 2026-03-01 it would end the membership a month early
        "b,P,2026,\n"
        "c,P,2024-01-01,2024-02\n"
        "c,Q,2026-03-15,2026\n",
        encoding="utf-8",
    )
    result = load_membership(path, Resolver(pd.DataFrame({"person_id": ["a", "b", "c"]})))
    assert [str(i) for i in result.issues] == [
        'm.csv line 2, column "end": end "2026-03" is a month, not a date (write the full date, such as '
        "2026-03-31 for the last day of the month) [partial-date]",
        'm.csv line 3, column "start": start "2026" is a year, not a date (write the full date, such as '
        "2026-01-01 for the first day of the year) [partial-date]",
        'm.csv line 4, column "end": end "2024-02" is a month, not a date (write the full date, such as '
        "2024-02-29 for the last day of the month) [partial-date]",
        'm.csv line 5, column "end": end "2026" is a year, not a date (write the full date, such as '
        "2026-12-31 for the last day of the year) [partial-date]",
    ]
    assert (result.record.rows_read, result.record.rows_accepted, result.record.rows_rejected) == (4, 0, 4)
    assert result.ties.empty


@pytest.mark.parametrize(
    ("starts", "ends"),
    [
        (["2026-01-01T00:30:00+01:00", "2026-01-02"], ["", ""]),  # offset and plain date mixed
        (["2026-01-01T00:30:00+01:00", "2026-01-02T09:00:00+01:00"], ["", ""]),  # offsets, open ends
        (["2025-12-31T23:30:00Z", "2026-01-02T00:00:00Z"], ["2026-03-01T00:00:00Z", ""]),  # UTC throughout
    ],
)
def test_dates_with_a_utc_offset_are_converted_to_utc_and_compare_with_plain_dates(
    tmp_path: Path, starts: list[str], ends: list[str]
) -> None:
    path = tmp_path / "m.csv"
    rows = "".join(f"{p},P,{s},{e}\n" for p, s, e in zip("ab", starts, ends, strict=True))
    path.write_text("person,project,start,end\n" + rows + "c,P,someday,\n", encoding="utf-8")
    result = load_membership(
        path,
        Resolver(pd.DataFrame({"person_id": list("abc")})),
        period_from=date(2026, 1, 1),
        period_to=date(2026, 6, 30),
        snapshot_by="month",
    )
    assert str(result.memberships["start"].iloc[0]) == "2025-12-31 23:30:00"  # 00:30 at +01:00 in UTC
    assert str(result.memberships["start"].iloc[1])[:10] == "2026-01-02"  # the same day in UTC
    assert result.ties[["source", "target"]].values.tolist() == [["a", "b"], ["b", "a"]]
    assert list(result.by_period)[0] == "2026-01"  # December 2025 lies before the period
    assert result.by_period["2026-01"].ties[["source", "target"]].values.tolist() == [["a", "b"], ["b", "a"]]
    assert [(i.line, i.code) for i in result.issues] == [(4, "bad-date")]  # still a row quarantine


def far_date_file(folder: Path, far: str) -> Path:
    """Two years of monthly projects, and on line 4 one end date far from the others."""
    rows = [f"{p},P{year}{month:02d},{year}-{month:02d}-01,{year}-{month:02d}-28" for year in (2025, 2026)
            for month in range(1, 13) for p in "ab"]  # fmt: skip
    rows[2] = f"a,LONG,2025-03-01,{far}"
    path = folder / "m.csv"
    path.write_text("person,project,start,end\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("far", ["2206-01-31", "9999-12-31"])
def test_one_mistyped_far_date_fails_naming_its_line_before_any_snapshot_is_made(
    tmp_path: Path, far: str
) -> None:
    # A review's 2206 made 2,163 monthly snapshots and "no problems found"; 9999 ran past 120 s.
    with pytest.raises(InputError) as caught:
        load_membership(
            far_date_file(tmp_path, far),
            Resolver(pd.DataFrame({"person_id": ["a", "b"]})),
            snapshot_by="month",
        )
    span = {
        "2206-01-31": "2,173 snapshots (2025-01 to 2206-01)",
        "9999-12-31": "95,700 snapshots (2025-01 to 9999-12)",
    }
    cut = span[far].split(" (")[0]
    fix = (
        "correct it if it is mistyped, or narrow the period: from/to in its [[sources]] entry, or "
        '--from/--to; a longer history fits snapshot_by = "quarter"'
    )
    assert [str(issue) for issue in caught.value.issues] == [
        f'm.csv line 4, column "end": end {far} lies outside 2025-01 to 2034-12, the 120 months that hold '
        f'the most dates: snapshot_by = "month" would cut {cut} ({fix}) [far-date]'
    ]
    assert str(caught.value).splitlines()[0] == (
        f'm.csv: snapshot_by = "month" would cut the memberships into {span[far]}, over the limit of 120; '
        "1 date(s) lie outside 2025-01 to 2034-12, the months holding most dates"
    )


def test_a_far_date_outside_the_period_or_without_snapshots_is_no_problem(tmp_path: Path) -> None:
    path = far_date_file(tmp_path, "9999-12-31")
    resolver = Resolver(pd.DataFrame({"person_id": ["a", "b"]}))
    assert load_membership(path, resolver).issues == ()  # one snapshot: the far date is only an open end
    within = load_membership(path, resolver, snapshot_by="quarter", period_to=date(2026, 12, 31))
    assert list(within.by_period) == [f"{year}-Q{q}" for year in (2025, 2026) for q in (1, 2, 3, 4)]


def test_periods_before_year_1000_are_named_with_four_digit_years_so_they_sort_in_time(
    tmp_path: Path,
) -> None:
    # "999-Q4" sorted after "1000-Q1" (and after "2024-01"), and the snapshots were made in that order
    path = tmp_path / "m.csv"
    path.write_text(
        "person,project,start,end\na,p,0999-11-01,1000-02-15\nb,p,0999-12-01,\n", encoding="utf-8"
    )
    result = load_membership(path, Resolver(pd.DataFrame({"person_id": ["a", "b"]})), snapshot_by="quarter")
    assert list(result.by_period) == ["0999-Q4", "1000-Q1"] == sorted(result.by_period)


def test_ten_years_of_months_is_the_most_one_file_may_be_cut_into(tmp_path: Path) -> None:
    resolver = Resolver(pd.DataFrame({"person_id": ["a", "b"]}))
    path = far_date_file(tmp_path, "2034-12-31")  # 2025-01 to 2034-12: 120 months
    assert len(load_membership(path, resolver, snapshot_by="month").by_period) == 120
    with pytest.raises(InputError, match=r"121 snapshots \(2025-01 to 2035-01\), over the limit of 120"):
        load_membership(far_date_file(tmp_path, "2035-01-01"), resolver, snapshot_by="month")


def test_a_membership_column_map_naming_one_header_twice_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("person,team,since\na,p,2026-01-01\nb,p,2026-02-01\n", encoding="utf-8")
    resolver = Resolver(pd.DataFrame({"person_id": ["a", "b"]}))
    with pytest.raises(
        ConfigError, match='m.csv: columns start and end are both mapped to the header "since"'
    ):
        load_membership(path, resolver, columns={"project": "team", "start": "since", "end": "since"})
    # mapped to "person", project would read the column person reads by default
    with pytest.raises(
        ConfigError, match='column project is mapped to the header "person", which person reads'
    ):
        load_membership(path, resolver, columns={"project": "person"})


def test_membership_headers_in_another_case_are_read_and_a_mapped_one_must_be_there(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("Person,Project,Start\na,p,2026-01-01\nb,p,2026-02-01\n", encoding="utf-8")
    resolver = Resolver(pd.DataFrame({"person_id": ["a", "b"]}))
    result = load_membership(path, resolver)
    assert result.memberships["start"].dt.strftime("%Y-%m-%d").tolist() == ["2026-01-01", "2026-02-01"]
    assert result.normalisations == {"header-normalised": 3}
    assert [header for _, header, _ in result.headers_read] == ["Person", "Project", "Start"]
    # a header the map names was read as blank dates when the file lacked it; now it is missing
    with pytest.raises(InputError) as caught:
        load_membership(path, resolver, columns={"start": "since"})
    assert str(caught.value) == (
        'm.csv line 1: required column "since" not found; columns found: "Person", "Project", "Start" '
        "(map the columns in leadnet.toml) [missing-column]"
    )
