"""What the e-mail tie rules ask of a period they left with no tie: every change a warning names gives a tie.

Random small logs of three people over two months, run through the tie rules in DuckDB: for
every period the rules left with no tie, each change :func:`rule_changes` names (made
together when it names several) gives the period a tie, and a single rule's value is the
nearest that does (one step further gives none), as is a ``max_recipients`` named beside another
rule's change (one less gives none with it); a period with a tie has no figures, and one whose
messages would make no tie without the rules either has none. A count of messages says it left out
broadcasts exactly when a count of every message finds more, and one that says no pair wrote to each
other (in messages to at most ``max_recipients``) is true, with a ``max_recipients`` that gives a tie
as the other change when one does.
"""

from __future__ import annotations

from dataclasses import replace

import duckdb
import pandas as pd
from hypothesis import example, given, settings
from hypothesis import strategies as st

from leadnet.importers.aggregate import Aggregate, aggregate, relations_from_events
from leadnet.importers.email_emptied import PeriodFigures, rule_changes
from leadnet.importers.email_sql import TieRules
from leadnet.importers.result import RuleEmptied

PEOPLE = ("a", "b", "c")
Message = tuple[str, frozenset[str], int, int]
"""sender, recipients among PEOPLE, recipients outside them (dropped), month."""

OUTSIDE = 4
WIDEST = len(PEOPLE) + OUTSIDE
"""The most recipients a drawn message has: a max_recipients that lets every message in."""

messages = st.lists(
    st.tuples(
        st.sampled_from(PEOPLE),
        st.frozensets(st.sampled_from(PEOPLE), min_size=1),
        st.integers(0, OUTSIDE),
        st.sampled_from((1, 2)),
    ),
    max_size=12,
)
rules = st.builds(
    TieRules,
    max_recipients=st.integers(1, 5),
    min_messages=st.integers(1, 3),
    require_reciprocity=st.booleans(),
)


def _log(log: list[Message]) -> duckdb.DuckDBPyConnection:
    """A connection holding ``log`` as staged events (``ln_mail``, ``ln_rcpt``)."""
    rows = [
        (seq, f"m{seq}", sender, recipient, "to", pd.Timestamp(2024, month, 5, tz="UTC"), len(to) + dropped)
        for seq, (sender, to, dropped, month) in enumerate(log, start=1)
        for recipient in sorted(to)
    ]
    columns = ["msg_seq", "message_id", "sender", "recipient", "kind", "ts", "n_recipients"]
    types = {"msg_seq": "int64", "ts": "datetime64[us, UTC]", "n_recipients": "int64"}
    events = pd.DataFrame(rows, columns=columns).astype({**dict.fromkeys(columns, "str"), **types})
    con = duckdb.connect()
    con.register("events", events)
    con.execute("CREATE TABLE ln_events AS SELECT * FROM events")
    relations_from_events(con)
    return con


def _run(con: duckdb.DuckDBPyConnection, tie_rules: TieRules) -> Aggregate:
    return aggregate(con, tie_rules, "month")


def _ties_in(result: Aggregate, period: str) -> int:
    return int((result.ties["period"] == period).sum())


def _changed(tie_rules: TieRules, rule: str, value: int | bool) -> TieRules:
    return replace(tie_rules, **{rule: value})


def _figures(result: Aggregate) -> dict[str, PeriodFigures]:
    return {f.period: f for f in result.emptied}


def _counted_by_hand(free: Aggregate, period: str) -> tuple[int, int]:
    """The most messages one person sent another in ``period`` and the most each of two sent the other,
    counting every message (``free``: the rules let every message in)."""
    ties = free.ties[free.ties["period"] == period]
    sent = dict(zip(zip(ties["source"], ties["target"], strict=True), ties["count"], strict=True))
    mutual = [
        min(n, sent[target, source]) for (source, target), n in sent.items() if (target, source) in sent
    ]
    return max(sent.values(), default=0), max(mutual, default=0)


def _assert_no_reply_holds(
    con: duckdb.DuckDBPyConnection, tie_rules: TieRules, period: str, change: RuleEmptied, mutual_all: int
) -> None:
    """``require_reciprocity``'s "no pair wrote to each other" is true (``wider``: in messages to at most
    ``broadcasts_over`` recipients, and some pair did in wider ones), and a ``max_recipients`` it names
    as the other change gives a tie, one less none; ``mutual_all``: the most each of two sent the other."""
    if not change.variant:
        assert not mutual_all, change
        return
    assert mutual_all, change
    narrow = _run(con, TieRules(max_recipients=change.broadcasts_over, min_messages=1))
    assert _counted_by_hand(narrow, period)[1] == 0, change
    raised = change.nearest if change.variant == "wider-raise" else WIDEST  # "wider": none gives a tie
    assert bool(_ties_in(_run(con, replace(tie_rules, max_recipients=raised)), period)) == bool(
        change.nearest
    )
    assert not _ties_in(_run(con, replace(tie_rules, max_recipients=raised - 1)), period), change


TO_B, TO_A = ("a", frozenset("b"), 0, 1), ("b", frozenset("a"), 0, 1)
BROADCAST, REPLY_ALL = ("a", frozenset("b"), 5, 1), ("b", frozenset("a"), 3, 1)
"""A message from a to b, one from b to a, one from a to b and five addresses outside the roster, and
one from b to a and three outside."""
NARROW, ALL_STAFF = ("a", frozenset("b"), 2, 1), ("c", frozenset("ab"), 4, 1)
"""A message from a to b and two outside addresses; one from c to everyone, six addresses in all."""


@settings(max_examples=60)
@example([TO_B, TO_B, TO_B, TO_A], TieRules(min_messages=2, require_reciprocity=True))  # one way passes
@example([TO_B, TO_A], TieRules(min_messages=2, require_reciprocity=True))  # both ways, once
@example([BROADCAST], TieRules(max_recipients=3, min_messages=2))  # a broadcast, once
@example([NARROW, ALL_STAFF], TieRules(max_recipients=2, min_messages=2))  # it asked for the all-staff's 6
@example([TO_B, REPLY_ALL], TieRules(max_recipients=3, require_reciprocity=True))  # "no pair wrote back"
@given(messages, rules)
def test_every_change_named_gives_the_period_a_tie_and_a_rule_alone_is_the_nearest_value(
    log: list[Message], tie_rules: TieRules
) -> None:
    con = _log(log)
    result = _run(con, tie_rules)
    free = _run(con, TieRules(max_recipients=10, min_messages=1))  # no rule leaves anything out
    periods = set(result.person_counts["period"])
    emptied = {p for p in periods if not _ties_in(result, p) and _ties_in(free, p)}
    assert set(_figures(result)) == emptied
    for period, figures in _figures(result).items():
        changes = rule_changes(figures, tie_rules)
        fixed = tie_rules
        for change in changes:
            fixed = _changed(
                fixed, change.rule, False if change.rule == "require_reciprocity" else change.nearest
            )
        assert _ties_in(_run(con, fixed), period), changes
        most_all, mutual_all = _counted_by_hand(free, period)
        limit = changes[0].nearest if changes[0].variant == "together" else tie_rules.max_recipients
        for change in changes:  # a count says what it left out only when a count by hand finds more
            if change.rule == "min_messages" or change.variant == "fewer":
                by_hand = most_all if change.variant == "" else mutual_all
                assert change.broadcasts_over == (limit if by_hand > change.nearest else 0), changes
            elif change.rule == "require_reciprocity":
                _assert_no_reply_holds(con, tie_rules, period, change, mutual_all)
        if changes[0].rule == "max_recipients" and len(changes) > 1:  # the smallest with the others
            assert not _ties_in(_run(con, replace(fixed, max_recipients=changes[0].nearest - 1)), period)
        if len(changes) > 1:
            continue
        (change,) = changes
        if change.variant == "fewer":  # the other change it names: min_messages to the figure
            assert _ties_in(_run(con, _changed(tie_rules, "min_messages", change.nearest)), period)
            assert not _ties_in(_run(con, _changed(tie_rules, "min_messages", change.nearest + 1)), period)
        elif change.rule == "min_messages":
            assert not _ties_in(_run(con, _changed(tie_rules, "min_messages", change.nearest + 1)), period)
        elif change.rule == "max_recipients":
            assert not _ties_in(_run(con, _changed(tie_rules, "max_recipients", change.nearest - 1)), period)
