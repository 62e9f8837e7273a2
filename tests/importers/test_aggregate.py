"""The tie rules in SQL, run on a hand-made event table."""

from __future__ import annotations

import inspect
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from leadnet.errors import InputError
from leadnet.importers.aggregate import aggregate, relations_from_events
from leadnet.importers.email_sql import (
    PERIOD_DROPS,
    WINDOW_RELATIONS,
    TieRules,
    rules_from_options,
    tie_queries,
    window_queries,
)
from leadnet.snapshot_names import period_name

EVENTS = """CREATE VIEW ln_events AS SELECT * FROM (VALUES
  (1, 'm1', 'a', 'b', 'to', TIMESTAMPTZ '2024-01-05 10:00:00+00', 1),
  (2, 'm2', 'a', 'b', 'cc', TIMESTAMPTZ '2024-01-06 10:00:00+00', 1),
  (3, 'm3', 'b', 'a', 'to', TIMESTAMPTZ '2024-04-06 10:00:00+00', 1),
  (4, 'm4', 'b', 'a', 'to', TIMESTAMPTZ '2024-04-07 10:00:00+00', 1),
  (5, 'm5', 'a', 'c', 'to', TIMESTAMPTZ '2024-04-08 10:00:00+00', 1),
  (6, 'm6', 'c', 'a', 'to', TIMESTAMPTZ '2024-04-09 10:00:00+00', 3),
  (6, 'm6', 'c', 'b', 'to', TIMESTAMPTZ '2024-04-09 10:00:00+00', 3),
  (6, 'm6', 'c', NULL, 'to', TIMESTAMPTZ '2024-04-09 10:00:00+00', 3))
  AS t(msg_seq, message_id, sender, recipient, kind, ts, n_recipients)"""


@pytest.fixture
def con():
    connection = duckdb.connect()
    connection.execute(EVENTS)
    relations_from_events(connection)
    return connection


def test_cc_counts_half_and_min_messages_drops_single_messages(con) -> None:
    result = aggregate(con, TieRules())
    assert result.ties[["source", "target", "weight", "count"]].values.tolist() == [
        ["a", "b", 1.5, 2],
        ["b", "a", 2.0, 2],
    ]
    assert result.counts == {"below-min-messages": 3}


def test_broadcast_above_max_recipients_is_counted_and_still_counts_as_sent(con) -> None:
    result = aggregate(con, TieRules(max_recipients=2, min_messages=1))
    assert ["c", "a"] not in result.ties[["source", "target"]].values.tolist()
    assert result.counts == {"broadcast": 1}
    assert result.person_counts.set_index("person_id").loc["c", "messages_sent"] == 1


def test_quarters_cut_one_log_and_reciprocity_is_checked_within_each(con) -> None:
    result = aggregate(con, TieRules(min_messages=1, require_reciprocity=True), "quarter")
    assert result.ties[["period", "source", "target"]].values.tolist() == [
        ["2024-Q2", "a", "c"],
        ["2024-Q2", "c", "a"],
    ]
    assert result.counts == {"not-reciprocated": 3}


def test_window_is_inclusive_of_both_days(con) -> None:
    rules = rules_from_options({"min_messages": 1}, date(2024, 1, 6), date(2024, 4, 6))
    result = aggregate(con, rules)
    assert result.ties[["source", "target", "count"]].values.tolist() == [["a", "b", 1], ["b", "a", 1]]
    assert result.counts == {"outside-period": 4}


def test_a_window_to_the_last_day_a_date_can_hold_is_open_ended(con) -> None:
    # to = 9999-12-31 ("no end") overflowed working out the day after it: a traceback
    rules = rules_from_options({"min_messages": 1}, date(2024, 4, 7), date.max)
    result = aggregate(con, rules)
    assert result.ties[["source", "target", "count"]].values.tolist() == [
        ["a", "c", 1],
        ["b", "a", 1],
        ["c", "a", 1],
        ["c", "b", 1],
    ]
    assert result.counts == {"outside-period": 3}


@pytest.mark.parametrize("by", ["month", "quarter"])
def test_periods_are_named_with_four_digit_years_as_snapshot_names_are(by: str) -> None:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    stamps = [(1, 1), (999, 6), (1500, 12), (2024, 2), (9999, 12)]
    rows = ", ".join(
        f"({i}, 'm{i}', 'a', 'b', 'to', TIMESTAMPTZ '{y:04d}-{m:02d}-15 10:00:00+00', 1)"
        for i, (y, m) in enumerate(stamps)
    )
    con.execute(f"CREATE VIEW ln_events AS SELECT * FROM (VALUES {rows}) "
                "AS t(msg_seq, message_id, sender, recipient, kind, ts, n_recipients)")  # fmt: skip
    relations_from_events(con)
    periods = aggregate(con, TieRules(min_messages=1), by).ties["period"].tolist()
    assert periods == [period_name(y, m, by) for y, m in stamps] == sorted(periods)
    assert periods[1] == ("0999-06" if by == "month" else "0999-Q2")


def test_each_step_is_a_named_query_any_engine_can_create() -> None:
    assert [name for name, _ in tie_queries(TieRules(), "month")] == [
        f"ln_{name}" for name in ("messages", "deliveries", "pairs", "arcs", "ties", "person_counts")
    ]
    assert all(query.lstrip().startswith("SELECT") for _, query in tie_queries(TieRules(), "month"))


PERSON = st.sampled_from(["a", "b", "c", "a", "b", "external", None])  # None: an address dropped
MESSAGES = st.lists(
    st.tuples(
        PERSON,  # the sender
        st.lists(st.tuples(PERSON, st.sampled_from(["to", "to", "cc"])), min_size=1, max_size=3),
        st.sampled_from([0, 0, 0, 1, 2]),  # addresses besides, all dropped
        st.integers(1, 4),  # the month
        st.sampled_from([None, "", "", "", "dup1", "dup2"]),  # "": a Message-ID of its own
    ),
    min_size=8,
    max_size=40,
)
RULES = st.builds(
    TieRules,
    max_recipients=st.integers(1, 6),
    cc_weight=st.sampled_from([0.25, 0.5, 1.0]),  # sums exact in binary, whatever their order
    min_messages=st.integers(1, 3),
    require_reciprocity=st.booleans(),
    period_from=st.sampled_from([None, date(2024, 2, 1)]),
    period_to=st.sampled_from([None, date(2024, 4, 30)]),
)


def logged(messages: list[Any]) -> Any:
    """A DuckDB connection holding ``ln_mail`` and ``ln_rcpt`` of the messages :data:`MESSAGES` draws."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(
        "CREATE TABLE ln_events (msg_seq BIGINT, message_id VARCHAR, sender VARCHAR, recipient VARCHAR, "
        "kind VARCHAR, ts TIMESTAMPTZ, n_recipients BIGINT)"
    )
    rows = [
        (seq, f"m{seq}" if mid == "" else mid, sender, to, kind,
         datetime(2024, month, seq % 28 + 1, tzinfo=UTC), len(recipients) + dropped)
        for seq, (sender, recipients, dropped, month, mid) in enumerate(messages)
        for to, kind in recipients
    ]  # fmt: skip
    if rows:
        con.executemany("INSERT INTO ln_events VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    relations_from_events(con)
    return con


@settings(max_examples=25)  # two runs of the rules each, about 0.5 s
@given(messages=MESSAGES, rules=RULES, by=st.sampled_from(["month", "quarter"]))
def test_a_log_cut_into_periods_gets_the_window_the_rules_give_run_over_it(
    messages: list[Any], rules: TieRules, by: str
) -> None:
    # Its window was the rules run a second time over the whole log; summed from the periods' pairs,
    # it has the same ties, per-person counts and drops (a self-tie or a pair below min_messages in
    # two months counts once; a pair below it in each month may be a tie over the window).
    con = logged(messages)
    window, whole = aggregate(con, rules, by).window, aggregate(con, rules)
    assert window is not None and whole.window is None
    assert_frame_equal(window.ties, whole.ties)
    assert_frame_equal(window.person_counts, whole.person_counts)
    assert window.counts == whole.counts


@settings(max_examples=25)
@given(messages=MESSAGES, rules=RULES)
def test_each_period_of_a_cut_log_counts_the_drops_the_rules_give_run_over_it_alone(
    messages: list[Any], rules: TieRules
) -> None:
    # Every period reported the window's drops; its own are those of the rules run over that month alone
    # (within the rules' window), Message-IDs deduped over the whole log either way.
    con = logged(messages)
    cut = aggregate(con, rules, "month")
    for month in range(1, 5):
        first = max(date(2024, month, 1), rules.period_from or date.min)
        last = min(date(2024, month + 1, 1) - timedelta(days=1), rules.period_to or date.max)
        alone = aggregate(con, replace(rules, period_from=first, period_to=last)) if first <= last else None
        drops = {} if alone is None else {k: n for k, n in alone.counts.items() if k in PERIOD_DROPS}
        assert cut.period_drops.get(f"2024-{month:02d}", {}) == drops


def test_a_cut_log_s_window_is_named_queries_any_engine_can_create() -> None:
    assert [name for name, _ in window_queries(TieRules())] == list(WINDOW_RELATIONS)
    assert all(query.lstrip().startswith("SELECT") for _, query in window_queries(TieRules()))


def test_messages_and_recipients_given_directly_match_the_event_layout(con) -> None:
    """ln_mail + ln_rcpt written by hand give what relations_from_events derives from the events."""
    direct = duckdb.connect()
    direct.execute(EVENTS)
    direct.execute("CREATE TABLE ln_mail AS SELECT DISTINCT msg_seq, message_id, sender, ts, n_recipients "
                   "FROM ln_events")  # fmt: skip
    direct.execute("CREATE TABLE ln_rcpt AS SELECT msg_seq, recipient, kind FROM ln_events")
    rules = TieRules(min_messages=1, max_recipients=2)
    expected, got = aggregate(con, rules, "quarter"), aggregate(direct, rules, "quarter")
    assert got.ties.values.tolist() == expected.ties.values.tolist()
    assert got.person_counts.values.tolist() == expected.person_counts.values.tolist()
    assert got.counts == expected.counts == {"broadcast": 1}


def test_a_recipient_named_twice_in_one_message_counts_once_with_the_to_weight() -> None:
    con = duckdb.connect()
    con.execute("""CREATE TABLE ln_mail AS SELECT * FROM (VALUES
        (1, 'm1', 'a', TIMESTAMPTZ '2024-01-05 10:00:00+00', 2),
        (2, 'm1', 'a', TIMESTAMPTZ '2024-01-05 10:00:00+00', 2),
        (3, NULL, 'a', TIMESTAMPTZ '2024-01-06 10:00:00+00', 1))
        AS t(msg_seq, message_id, sender, ts, n_recipients)""")
    con.execute("""CREATE TABLE ln_rcpt AS SELECT * FROM (VALUES
        (1, 'b', 'cc'), (1, 'b', 'to'), (2, 'b', 'to'), (3, 'b', 'cc')) AS t(msg_seq, recipient, kind)""")
    result = aggregate(con, TieRules(min_messages=1))
    assert result.ties[["source", "target", "weight", "count"]].values.tolist() == [["a", "b", 1.5, 2]]
    assert result.person_counts.values.tolist() == [["all", "a", 2, 0], ["all", "b", 0, 2]]
    assert result.counts == {"duplicate-message-id": 1}


def test_unknown_engine_lists_the_valid_ones(con) -> None:
    with pytest.raises(ValueError, match='engine must be one of embedded.*Got "flink" instead.'):
        aggregate(con, TieRules(), engine="flink")


def test_people_keyed_by_integer_codes_give_the_ties_of_their_ids(con) -> None:
    """The rules never look inside a person key: codes give the ids' results, the external code no counts."""
    coded = duckdb.connect()
    coded.execute(EVENTS.replace("'a'", "0").replace("'b'", "1").replace("'c'", "2"))
    relations_from_events(coded)
    rules = TieRules(min_messages=1, max_recipients=2)
    by_id, by_code = aggregate(con, rules, "quarter"), aggregate(coded, rules, "quarter", external=2)
    ids = {0: "a", 1: "b", 2: "c"}
    assert by_code.ties.replace({"source": ids, "target": ids}).values.tolist() == by_id.ties.values.tolist()
    assert by_code.ties["source"].dtype == "int64"
    assert by_code.counts == by_id.counts
    expected = [row for row in by_id.person_counts.values.tolist() if row[1] != "c"]
    assert by_code.person_counts.replace({"person_id": ids}).values.tolist() == expected


@pytest.mark.parametrize("colliding", [False, True])
def test_many_repeated_message_ids_keep_each_first_copy(colliding: bool) -> None:
    """Repeats are found by hash first, then by text: every repeated ID, and only those, loses its
    later copies. With ``colliding``, a macro makes every ID hash alike, so only the text grouping
    tells them apart.
    """
    con = duckdb.connect()
    if colliding:
        con.execute("CREATE TEMP MACRO hash(x) AS 0")
    con.execute("""CREATE TABLE ln_mail AS SELECT i AS msg_seq,
        CASE WHEN i % 3 = 0 THEN 'dup' || CAST(i % 30 AS VARCHAR) ELSE 'm' || CAST(i AS VARCHAR) END
        AS message_id, 'a' AS sender, TIMESTAMPTZ '2024-01-05 10:00:00+00' AS ts, 1 AS n_recipients
        FROM range(1, 3001) t(i)""")
    con.execute("""CREATE TABLE ln_rcpt AS SELECT msg_seq, CASE WHEN msg_seq < 30 THEN 'b' ELSE 'c' END
        AS recipient, 'to' AS kind FROM ln_mail""")
    result = aggregate(con, TieRules(min_messages=1))
    # 1,000 rows carry one of ten repeated IDs ('dup0'...'dup27'); their first copies are rows 3...30.
    assert result.counts == {"duplicate-message-id": 990}
    kept_b = sum(1 for i in range(1, 30) if i % 3) + sum(1 for i in range(3, 30, 3))
    assert result.ties[["source", "target", "count"]].values.tolist() == [
        ["a", "b", kept_b],
        ["a", "c", 3000 - 990 - kept_b],
    ]


def test_events_staged_elsewhere_count_a_message_without_a_time_and_keep_blank_ids_apart() -> None:
    # Events from a cluster's own staging: a blank Message-ID is none (two such messages
    # were one, deduped), and a message without a time went nowhere, not even a count.
    con = duckdb.connect()
    con.execute("""CREATE VIEW ln_events AS SELECT * FROM (VALUES
        (1, '', 'a', 'b', 'to', TIMESTAMPTZ '2024-01-05 10:00:00+00', 1),
        (2, ' ', 'a', 'b', 'to', TIMESTAMPTZ '2024-01-06 10:00:00+00', 1),
        (3, '', 'a', 'b', 'to', TIMESTAMPTZ '2024-01-07 10:00:00+00', 1),
        (4, 'm4', 'b', 'a', 'to', NULL, 1))
        AS t(msg_seq, message_id, sender, recipient, kind, ts, n_recipients)""")
    relations_from_events(con)
    result = aggregate(con, TieRules(min_messages=1))
    assert result.ties[["source", "target", "weight", "count"]].values.tolist() == [["a", "b", 3.0, 3]]
    assert result.person_counts.values.tolist() == [["all", "a", 3, 0], ["all", "b", 0, 3]]
    assert result.counts == {"missing-date": 1}


def test_events_that_break_the_layout_fail_saying_how_often_and_how() -> None:
    con = duckdb.connect()
    con.execute("""CREATE VIEW ln_events AS SELECT * FROM (VALUES
        (1, 'm1', 'a', 'b', 'CC', TIMESTAMPTZ '2024-01-05 10:00:00+00', 2),
        (1, 'm1', 'a', 'c', 'bcc', TIMESTAMPTZ '2024-01-05 10:00:00+00', 2),
        (NULL, 'm2', 'a', 'b', 'to', TIMESTAMPTZ '2024-01-05 10:00:00+00', 1),
        (3, 'm3', 'a', NULL, NULL, TIMESTAMPTZ '2024-01-05 10:00:00+00', NULL))
        AS t(msg_seq, message_id, sender, recipient, kind, ts, n_recipients)""")
    with pytest.raises(InputError) as raised:
        relations_from_events(con, "events.parquet")
    assert str(raised.value) == (
        'events.parquet: 1 row(s) have no msg_seq; 2 recipient row(s) have a kind other than "to" or "cc" '
        '("CC", "bcc"); 1 row(s) have no n_recipients; stage the events in the ln_events layout: a msg_seq '
        'unique per message, n_recipients on every row, kind "to" or "cc" (Bcc as "cc")'
    )


def test_every_engine_takes_emptied_by_keyword_only() -> None:
    # aggregate took emptied by keyword only, the Spark engine's aggregate_mail and run_spark by position
    # too: run_spark(con, rules, "month", EXTERNAL, False) read as well as emptied=False.
    from leadnet.importers import aggregate as module

    def kinds(runs: dict[str, Any]) -> dict[str, Any]:
        return {name: inspect.signature(run).parameters["emptied"].kind for name, run in runs.items()}

    embedded = {"aggregate": aggregate, "ENGINES['embedded']": module.ENGINES["embedded"]}
    assert kinds(embedded) == dict.fromkeys(embedded, inspect.Parameter.KEYWORD_ONLY)  # without PySpark too
    pytest.importorskip("pyspark")
    from leadnet.importers import spark

    runs = {"aggregate": aggregate, "aggregate_mail": spark.aggregate_mail, "run_spark": spark.run_spark}
    runs |= {f"ENGINES[{name!r}]": runner for name, runner in module.ENGINES.items()}
    assert kinds(runs) == dict.fromkeys(runs, inspect.Parameter.KEYWORD_ONLY)
    assert set(runs) == {
        "aggregate",
        "aggregate_mail",
        "run_spark",
        "ENGINES['embedded']",
        "ENGINES['spark']",
    }
