"""Email messages → ties: the tie rules of :mod:`leadnet.importers.email_sql` run on an engine.

:func:`aggregate` runs them on DuckDB (``engine = "embedded"``) over a connection holding
``ln_mail`` and ``ln_rcpt`` and reads the results (:class:`Aggregate`: ties, per-person message
counts and counted drops, by period). Another engine (Spark, in ``importers/spark.py``)
registers a runner in :data:`ENGINES` and executes the same queries, with its own way of
creating each relation.

Events staged as one row per (message, recipient), the ``ln_events`` layout, give both
relations (:func:`relations_from_events`); rows that break the layout (no ``msg_seq`` or
``n_recipients``, a recipient's ``kind`` neither ``to`` nor ``cc``) fail the run, counted
(:func:`check_events`): they would be lost or misweighed unseen.

A log cut into periods (``snapshot_by``) runs the rules once, by period; its whole window's
ties, message counts and counted drops (:attr:`Aggregate.window`) are summed from the periods'
pairs (:func:`~leadnet.importers.email_sql.window_queries`), the same figures as the rules run
over the window, without reading the messages and recipients a second time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import pandas as pd

from leadnet.errors import InputError
from leadnet.importers import email_sql
from leadnet.importers.email_emptied import PeriodFigures, period_figures, tieless_periods
from leadnet.importers.email_sql import (
    PERIOD_DROPS,
    PERIOD_RELATIONS,
    WINDOW_RELATIONS,
    TieRules,
    count_sql,
    tie_queries,
)
from leadnet.importers.identity import EXTERNAL

TIE_FRAME_COLUMNS = ("period", "source", "target", "weight", "count")
COUNT_FRAME_COLUMNS = ("period", "person_id", "messages_sent", "messages_received")
MATERIALISED = ("ln_messages", "ln_pairs", "ln_arcs", "ln_ties", "ln_person_counts", *WINDOW_RELATIONS)
"""Relations worth keeping (read more than once, or results); the others can be views."""


@dataclass(frozen=True, eq=False)
class Aggregate:
    """Ties and per-person message counts by period, plus the counted drops.

    ``ties`` has columns period, source, target, weight, count; ``person_counts`` has
    period, person_id, messages_sent, messages_received; both sorted.
    """

    ties: pd.DataFrame
    person_counts: pd.DataFrame
    counts: dict[str, int]
    emptied: tuple[PeriodFigures, ...] = ()
    """The periods with messages but no tie, with what each tie rule asks of them
    (:func:`~leadnet.importers.email_emptied.period_figures`), so that the rule that left
    them none is warned of."""
    window: Aggregate | None = None
    """Of rules run by period: the whole window's ties, per-person counts and counted drops,
    summed from the periods' pairs (:func:`~leadnet.importers.email_sql.window_queries`; period
    ``all``, no figures of emptied periods); ``None`` when the rules ran over the window itself."""
    period_drops: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    """Of rules run by period: each period's own drops of
    :data:`~leadnet.importers.email_sql.PERIOD_DROPS` (those not zero), by period
    (:func:`drops_by_period`); empty when the rules ran over the window itself."""

    @property
    def whole(self) -> Aggregate:
        """The whole window's results: :attr:`window` when the rules ran by period, else these."""
        return self if self.window is None else self.window


def drops_by_period(
    run: Callable[[str], Sequence[Sequence[Any]]], rules: TieRules
) -> dict[str, dict[str, int]]:
    """Each period's own drops of :data:`~leadnet.importers.email_sql.PERIOD_DROPS`, those not zero,
    from the rows ``run`` (an engine) gives of :func:`~leadnet.importers.email_sql.period_drops_sql`."""
    rows = run(email_sql.period_drops_sql(rules))
    return {
        str(period): {code: int(n) for code, n in zip(PERIOD_DROPS, counts, strict=True) if n}
        for period, *counts in rows
    }


def check_events(counts: Sequence[int | None], kinds: Callable[[], Sequence[str | None]], where: str) -> None:
    """Fail when staged events break the ``ln_events`` layout, saying how often and how.

    ``counts`` is the row of :data:`EVENT_CHECK_SQL`; ``kinds`` runs :data:`BAD_KINDS_SQL`
    (only when some kind is wrong); ``where`` names the events. A row without
    ``msg_seq`` joins no message, one without ``n_recipients`` is neither a tie nor a
    broadcast, and a ``kind`` such as ``CC`` or ``bcc`` would weigh as To.

    Examples
    --------
    >>> check_events((0, 0, 0), list, "events.parquet")
    >>> check_events((2, 1, 0), lambda: ["CC"], "events.parquet")
    Traceback (most recent call last):
    ...
    leadnet.errors.InputError: events.parquet: 2 row(s) have no msg_seq; 1 recipient row(s) have a kind \
other than "to" or "cc" ("CC"); stage the events in the ln_events layout: a msg_seq unique per message, \
n_recipients on every row, kind "to" or "cc" (Bcc as "cc")
    """
    no_seq, bad_kind, no_count = (int(n or 0) for n in counts)
    problems = [f"{no_seq} row(s) have no msg_seq"] if no_seq else []
    if bad_kind:
        found = ", ".join("none" if k is None else f'"{k}"' for k in kinds())
        problems.append(f'{bad_kind} recipient row(s) have a kind other than "to" or "cc" ({found})')
    if no_count:
        problems.append(f"{no_count} row(s) have no n_recipients")
    if problems:
        raise InputError(
            f"{where}: {'; '.join(problems)}; stage the events in the ln_events layout: a msg_seq unique "
            'per message, n_recipients on every row, kind "to" or "cc" (Bcc as "cc")'
        )


def relations_from_events(con: Any, where: str = "ln_events") -> None:
    """Create ``ln_mail`` and ``ln_rcpt`` on a DuckDB connection holding ``ln_events`` (checked first)."""
    counts = con.execute(email_sql.EVENT_CHECK_SQL).fetchall()[0]
    check_events(counts, lambda: [k for (k,) in con.execute(email_sql.BAD_KINDS_SQL).fetchall()], where)
    con.execute(f"CREATE OR REPLACE TEMP TABLE ln_mail AS {email_sql.mail_from_events()}")
    con.execute(f"CREATE OR REPLACE TEMP VIEW ln_rcpt AS {email_sql.RCPT_FROM_EVENTS}")


def _duckdb(
    con: Any, rules: TieRules, snapshot_by: str | None, external: str | int, *, emptied: bool
) -> Aggregate:
    con.execute("SET preserve_insertion_order = false")  # results are sorted explicitly below
    result = _duckdb_run(con, rules, tie_queries(rules, snapshot_by, external), PERIOD_RELATIONS, external)
    tieless = tieless_periods(result.person_counts, result.ties) if emptied else set()
    figures = period_figures(lambda sql: con.execute(sql).fetchall(), rules, tieless)
    if snapshot_by is None:
        return replace(result, emptied=figures)
    window = _duckdb_run(con, rules, email_sql.window_queries(rules), WINDOW_RELATIONS, external)
    drops = drops_by_period(lambda sql: con.execute(sql).fetchall(), rules)
    return replace(result, emptied=figures, window=window, period_drops=drops)


def _duckdb_run(
    con: Any, rules: TieRules, queries: list[tuple[str, str]], relations: Sequence[str], external: str | int
) -> Aggregate:
    """Create the relations of ``queries`` on DuckDB and read the ties, per-person counts and drops
    of ``relations`` (:func:`count_sql`)."""
    for name, query in queries:
        kind = "TABLE" if name in MATERIALISED else "VIEW"
        con.execute(f"CREATE OR REPLACE TEMP {kind} {name} AS {query}")
    _, _, ties_name, people_name = relations
    period = _period_enum(con, people_name)  # every period with a tie has a sender
    ties = con.sql(
        f"SELECT {period}, * EXCLUDE (period) FROM {ties_name} ORDER BY period, source, target"
    ).df()
    people = con.sql(
        f"SELECT {period}, * EXCLUDE (period) FROM {people_name} ORDER BY period, person_id"
    ).df()
    row = con.execute(count_sql(rules, relations))
    names = [d[0] for d in row.description]
    values = row.fetchall()[0]
    counts = {k: int(v) for k, v in zip(names, values, strict=True) if v}
    # Fixed dtypes, also for empty results (DuckDB gives object columns when there are no rows);
    # people stay as keyed in the relations (ids as text, codes as integers).
    person = "int64" if isinstance(external, int) else "str"
    ties = ties.astype(
        {"period": "str", "source": person, "target": person, "weight": "float64", "count": "int64"}
    )
    people = people.astype(
        {"period": "str", "person_id": person, "messages_sent": "int64", "messages_received": "int64"}
    )
    return Aggregate(ties[list(TIE_FRAME_COLUMNS)], people[list(COUNT_FRAME_COLUMNS)], counts)


def _period_enum(con: Any, relation: str) -> str:
    """``period`` as an enum of the few names ``relation`` holds (the per-person counts: far fewer
    rows than the ties, and every period of a tie), so a result of millions of rows (a long log cut
    by month) is read into pandas as a category, not a text per row (which took 0.4 GB more at
    4.4 million ties)."""
    rows = con.execute(f"SELECT DISTINCT period FROM {relation} ORDER BY period").fetchall()
    names = [row[0] for row in rows]
    if not names:
        return "period"
    values = ", ".join("'" + str(name).replace("'", "''") + "'" for name in names)
    return f"CAST(period AS ENUM({values})) AS period"


class Runner(Protocol):
    """An engine's run of the tie rules: connection, rules, ``snapshot_by``, ``external`` and, by
    keyword, ``emptied`` (:func:`aggregate`)."""

    def __call__(
        self, con: Any, rules: TieRules, snapshot_by: str | None, external: str | int, /, *, emptied: bool
    ) -> Aggregate: ...


ENGINES: dict[str, Runner] = {"embedded": _duckdb}


def aggregate(
    con: Any,
    rules: TieRules,
    snapshot_by: str | None = None,
    engine: str = "embedded",
    external: str | int = EXTERNAL,
    *,
    emptied: bool = True,
) -> Aggregate:
    """Run the tie rules on ``con`` (a connection holding ``ln_mail`` and ``ln_rcpt``).

    ``external`` is how the relations key the pooled external person: the text
    ``external`` when they hold person ids, its integer code when they hold codes (then
    the results hold codes too). ``emptied``: measure the periods left with no tie
    (:attr:`Aggregate.emptied`); without it they are not measured and no query runs for them
    (a source cut by ``snapshot_by`` is warned of by its periods, not by its whole window).

    Examples
    --------
    >>> import duckdb
    >>> con = duckdb.connect()
    >>> _ = con.execute(\"\"\"CREATE VIEW ln_events AS SELECT * FROM (VALUES
    ...   (1, 'm1', 'a', 'b', 'to', TIMESTAMPTZ '2024-01-05 10:00:00+00', 2),
    ...   (1, 'm1', 'a', 'c', 'cc', TIMESTAMPTZ '2024-01-05 10:00:00+00', 2),
    ...   (2, 'm2', 'a', 'b', 'cc', TIMESTAMPTZ '2024-02-05 10:00:00+00', 1),
    ...   (3, 'm2', 'a', 'b', 'to', TIMESTAMPTZ '2024-02-05 10:00:00+00', 1))
    ...   AS t(msg_seq, message_id, sender, recipient, kind, ts, n_recipients)\"\"\")
    >>> relations_from_events(con)
    >>> result = aggregate(con, TieRules(min_messages=2))
    >>> result.ties[["source", "target", "weight", "count"]].values.tolist(), result.counts
    ([['a', 'b', 1.5, 2]], {'duplicate-message-id': 1, 'below-min-messages': 1})
    """
    if engine == "spark" and engine not in ENGINES:
        import leadnet.importers.spark  # noqa: F401  (registers ENGINES["spark"]; needs leadnet[spark])
    runner = ENGINES.get(engine)
    if runner is None:
        raise ValueError(f'engine must be one of {", ".join(sorted(ENGINES))}. Got "{engine}" instead.')
    return runner(con, rules, snapshot_by, external, emptied=emptied)
