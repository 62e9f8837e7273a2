"""The e-mail tie rules as SQL text any SQL engine can run: the relations, in order, and their counts.

The tie rules live in :func:`tie_queries`, plain SQL over two relations:

- ``ln_mail``, one row per message: ``msg_seq`` (message key, file order),
  ``message_id``, ``sender`` (a person: an id, or any other key such as an integer
  code; the ``external`` key when pooled, NULL when dropped),
  ``ts`` (UTC timestamp) and ``n_recipients`` (every address on the message, dropped
  ones included);
- ``ln_rcpt``, one row per recipient entry: ``msg_seq``, ``recipient`` (as ``sender``)
  and ``kind`` (``to``/``cc``); one person may appear twice in a message.

Events staged as one row per (message, recipient) with person ids, the ``ln_events``
layout of :data:`EVENT_COLUMNS` (Spark's cluster input), give both relations through
:func:`mail_from_events` and :data:`RCPT_FROM_EVENTS`, a Message-ID trimmed, without
invisible format characters and a blank one read as none, as leadnet's own staging reads
them (uncounted: the events are taken as staged); :data:`EVENT_CHECK_SQL` and
:data:`BAD_KINDS_SQL` find the rows that break the layout. The rules, in order:

1. dedupe: one message per Message-ID (the first in file order); messages without one
   are kept (only IDs whose hash repeats are grouped as text);
2. window: ``period_from`` ≤ day of ``ts`` ≤ ``period_to`` (either end open); a message
   without a time is counted ``missing-date`` (only events staged outside leadnet, which
   quarantines such messages, can hold one);
3. broadcasts: a message with more than ``max_recipients`` addresses makes no tie (it
   still counts in messages_sent/received);
4. a sender → recipient pair within one period weighs 1 per message sent ``To`` and
   ``cc_weight`` per message sent only ``Cc``; ``count`` is the number of messages;
5. a tie needs ``count >= min_messages``; with ``require_reciprocity`` the reverse pair
   must pass too.

A log cut into periods (``snapshot_by``) runs the rules once, by period; its whole window's
relations are summed from the periods' pairs (:func:`window_queries`), the same figures as the
rules run over the window, without reading the messages and recipients a second time.
:func:`count_sql` counts the drops of either run. :mod:`leadnet.importers.aggregate` runs
these queries on DuckDB (or Spark) and reads their results.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from leadnet.importers.identity import EXTERNAL, visible_sql
from leadnet.schema import check_options

_YEAR = "lpad(CAST(year(ts) AS VARCHAR), 4, '0')"
PERIOD_SQL = {
    None: "'all'",
    "month": f"{_YEAR} || '-' || lpad(CAST(month(ts) AS VARCHAR), 2, '0')",
    "quarter": f"{_YEAR} || '-Q' || CAST(quarter(ts) AS VARCHAR)",
}
"""The snapshot name of a message's month or quarter, as :func:`~leadnet.snapshot_names.period_name`
writes it: four-digit years (times run from year 1 to 9999), so names sort as the periods do."""


@dataclass(frozen=True)
class TieRules:
    """How email messages become ties (the defaults are the documented ones).

    Examples
    --------
    >>> TieRules().max_recipients, TieRules().cc_weight, TieRules().min_messages
    (25, 0.5, 2)
    """

    max_recipients: int = 25
    cc_weight: float = 0.5
    min_messages: int = 2
    require_reciprocity: bool = False
    period_from: date | None = None
    period_to: date | None = None


LAST_INSTANT = "TIMESTAMPTZ '9999-12-31 23:59:59.999999+00'"
"""The end of an open period: the last instant of year 9999, where times end (leadnet's
staging rejects later ones as ``bad-date``; staged events beyond it are outside the period)."""


def _bound(day: date | None, default: str) -> str:
    return f"TIMESTAMPTZ '{day.isoformat()} 00:00:00+00'" if day else default


MAIL_COLUMNS = ("msg_seq", "message_id", "sender", "ts", "n_recipients")
RCPT_COLUMNS = ("msg_seq", "recipient", "kind")
EVENT_COLUMNS = ("msg_seq", "message_id", "sender", "recipient", "kind", "ts", "n_recipients")


def mail_from_events() -> str:
    """The ``SELECT`` of ``ln_mail`` from ``ln_events``: a Message-ID trimmed and without invisible
    format characters (:func:`~leadnet.importers.identity.visible_sql`), a blank one none."""
    message_id = visible_sql("nullif(trim(message_id), '')")
    return f"""SELECT msg_seq, min({message_id}) AS message_id, min(sender) AS sender,
       min(ts) AS ts, max(n_recipients) AS n_recipients FROM ln_events GROUP BY msg_seq"""


RCPT_FROM_EVENTS = "SELECT msg_seq, recipient, kind FROM ln_events WHERE recipient IS NOT NULL"
_BAD_KIND = "recipient IS NOT NULL AND (kind IS NULL OR kind NOT IN ('to', 'cc'))"
EVENT_CHECK_SQL = f"""SELECT sum(CASE WHEN msg_seq IS NULL THEN 1 ELSE 0 END) AS no_seq,
       sum(CASE WHEN {_BAD_KIND} THEN 1 ELSE 0 END) AS bad_kind,
       sum(CASE WHEN n_recipients IS NULL THEN 1 ELSE 0 END) AS no_count FROM ln_events"""
BAD_KINDS_SQL = f"SELECT DISTINCT kind FROM ln_events WHERE {_BAD_KIND} ORDER BY kind NULLS LAST LIMIT 3"
"""The layout breaks :func:`check_events` counts, and the first wrong kinds it names."""
WINDOW_RELATIONS = ("ln_window_pairs", "ln_window_arcs", "ln_window_ties", "ln_window_person_counts")
"""The relations of a cut log's whole window (:func:`window_queries`)."""


def _literal(value: str | int) -> str:
    return str(int(value)) if isinstance(value, int) else "'" + value.replace("'", "''") + "'"


def tie_queries(
    rules: TieRules, snapshot_by: str | None, external: str | int = EXTERNAL
) -> list[tuple[str, str]]:
    """``(name, SELECT)`` for each relation from ``ln_mail`` + ``ln_rcpt`` to ``ln_ties``.

    In order: ``ln_messages`` (dedupe and window), ``ln_deliveries`` (one row per
    message and recipient, with its weight), ``ln_pairs``, ``ln_arcs``, ``ln_ties`` and
    ``ln_person_counts``. Duplicates are found by grouping the hashes of Message-IDs
    (integers, cheap), then grouping as text only the IDs whose hash repeats (no window
    function), and messages received are summed from the pairs, so no step re-reads
    the recipient rows. A pair counts its messages twice: all of them (``messages``, for
    messages received) and those that are no broadcast (``count`` and ``weight``), so
    ``ln_arcs`` is a filter of the pairs, not a second grouping. ``external`` is the
    pooled external person's key in the relations (it gets no per-person counts).

    Examples
    --------
    >>> [name for name, _ in tie_queries(TieRules(), None)]
    ['ln_messages', 'ln_deliveries', 'ln_pairs', 'ln_arcs', 'ln_ties', 'ln_person_counts']
    """
    start = _bound(rules.period_from, "TIMESTAMPTZ '0001-01-01 00:00:00+00'")
    last = rules.period_to if rules.period_to and rules.period_to < date.max else None  # 9999-12-31: open
    # open: to the last instant Spark (and Python) can hold, so 9999-12-31 is in, like any day
    end = f"< {_bound(last + timedelta(days=1), '')}" if last else f"<= {LAST_INSTANT}"
    period, cc, most = PERIOD_SQL[snapshot_by], float(rules.cc_weight), int(rules.max_recipients)
    return [
        (
            "ln_messages",
            f"""SELECT m.msg_seq, m.sender, m.ts, m.n_recipients, {period} AS period,
               d.first_seq IS NULL OR d.first_seq = m.msg_seq AS first_copy,
               m.ts >= {start} AND m.ts {end} AS in_window
        FROM ln_mail AS m LEFT JOIN (
            SELECT message_id, min(msg_seq) AS first_seq FROM ln_mail
            WHERE message_id IS NOT NULL AND hash(message_id) IN (
                SELECT hash(message_id) FROM ln_mail WHERE message_id IS NOT NULL
                GROUP BY hash(message_id) HAVING count(*) > 1)
            GROUP BY message_id HAVING count(*) > 1) AS d
          ON m.message_id = d.message_id""",
        ),
        (
            "ln_deliveries",
            f"""SELECT msg_seq, recipient, max(CASE WHEN kind = 'cc' THEN {cc} ELSE 1.0 END) AS w
        FROM ln_rcpt WHERE recipient IS NOT NULL GROUP BY msg_seq, recipient""",
        ),
        (
            "ln_pairs",
            f"""SELECT m.period, m.sender AS source, d.recipient AS target, count(*) AS messages,
               count(CASE WHEN m.n_recipients <= {most} THEN 1 END) AS count,
               sum(CASE WHEN m.n_recipients <= {most} THEN d.w END) AS weight
        FROM ln_messages AS m JOIN ln_deliveries AS d ON m.msg_seq = d.msg_seq
        WHERE m.first_copy AND m.in_window
        GROUP BY m.period, m.sender, d.recipient""",
        ),
        ("ln_arcs", _arcs("ln_pairs")),
        ("ln_ties", _ties("ln_arcs", rules)),
        (
            "ln_person_counts",
            f"""SELECT period, person_id, CAST(sum(sent) AS BIGINT) AS messages_sent,
               CAST(sum(received) AS BIGINT) AS messages_received FROM (
            SELECT period, sender AS person_id, count(*) AS sent, 0 AS received FROM ln_messages
            WHERE first_copy AND in_window AND sender IS NOT NULL GROUP BY period, sender
            UNION ALL
            SELECT period, target, 0, sum(messages) FROM ln_pairs GROUP BY period, target
        ) AS c WHERE person_id <> {_literal(external)} GROUP BY period, person_id""",
        ),
    ]


def _arcs(pairs: str) -> str:
    """The arcs of ``pairs``: a person's messages to another, broadcasts aside."""
    return f"""SELECT period, source, target, weight, count FROM {pairs}
        WHERE count > 0 AND source IS NOT NULL AND source <> target"""


def _ties(arcs: str, rules: TieRules) -> str:
    """The ties of ``arcs``: ``min_messages`` messages, the reverse arc's too with ``require_reciprocity``."""
    reciprocal, least = "TRUE" if rules.require_reciprocity else "FALSE", int(rules.min_messages)
    return f"""SELECT a.period, a.source, a.target, a.weight, a.count FROM {arcs} AS a
        WHERE a.count >= {least} AND (NOT {reciprocal} OR EXISTS (
            SELECT 1 FROM {arcs} AS b WHERE b.period = a.period AND b.source = a.target
              AND b.target = a.source AND b.count >= {least}))"""


def window_queries(rules: TieRules) -> list[tuple[str, str]]:
    """``(name, SELECT)`` of each relation of the whole window of a log the rules ran on by period
    (:data:`WINDOW_RELATIONS`), from ``ln_pairs`` and ``ln_person_counts`` of that run.

    A pair's messages, count and weight in the window are the sums of its periods' (every message
    is in one period), so the window's arcs, ties (``min_messages`` and reciprocity applied to
    the sums) and per-person counts are those of the rules run with no period, as are the drops
    :func:`count_sql` counts of them; its period is ``all``, as :data:`PERIOD_SQL` names the
    window. Only the pairs are read again, never the messages or recipients.

    Examples
    --------
    >>> [name for name, _ in window_queries(TieRules())] == list(WINDOW_RELATIONS)
    True
    """
    pairs, arcs, ties, people = WINDOW_RELATIONS
    return [
        (
            pairs,
            f"""SELECT {PERIOD_SQL[None]} AS period, source, target,
               CAST(sum(messages) AS BIGINT) AS messages, CAST(sum(count) AS BIGINT) AS count,
               sum(weight) AS weight
        FROM ln_pairs GROUP BY source, target""",
        ),
        (arcs, _arcs(pairs)),
        (ties, _ties(arcs, rules)),
        (
            people,
            f"""SELECT {PERIOD_SQL[None]} AS period, person_id,
               CAST(sum(messages_sent) AS BIGINT) AS messages_sent,
               CAST(sum(messages_received) AS BIGINT) AS messages_received
        FROM ln_person_counts GROUP BY person_id""",
        ),
    ]


PERIOD_RELATIONS = ("ln_pairs", "ln_arcs", "ln_ties", "ln_person_counts")
"""The pairs, arcs, ties and per-person counts of the rules' run (by period, or over the window)."""


def count_sql(rules: TieRules, relations: Sequence[str] = PERIOD_RELATIONS) -> str:
    """The ``SELECT`` of the drops the rules count (one row, a column per code), of the pairs, arcs
    and ties of ``relations`` (:data:`PERIOD_RELATIONS`, or a cut log's :data:`WINDOW_RELATIONS`);
    the messages' counts come from ``ln_messages``, whatever the period.

    Each relation is read once, its drops counted together (``count(CASE ...)``), and the four
    one-row counts joined: Spark runs a scalar subquery as a job of its own, and seven of them
    read ``ln_messages`` four times and the arcs three.
    """
    pairs, arcs, ties, _ = relations
    most, least = int(rules.max_recipients), int(rules.min_messages)
    return f"""
SELECT m.duplicate AS "duplicate-message-id", m.undated AS "missing-date", m.outside AS "outside-period",
       m.broadcast AS "broadcast", p.self_tie AS "self-tie", a.below AS "below-min-messages",
       a.arcs - t.ties - a.below AS "not-reciprocated"
FROM (SELECT count(CASE WHEN NOT first_copy THEN 1 END) AS duplicate,
             count(CASE WHEN first_copy AND ts IS NULL THEN 1 END) AS undated,
             count(CASE WHEN first_copy AND NOT in_window THEN 1 END) AS outside,
             count(CASE WHEN first_copy AND in_window AND n_recipients > {most} THEN 1 END) AS broadcast
      FROM ln_messages) AS m
CROSS JOIN (SELECT count(CASE WHEN count > 0 AND source = target THEN 1 END) AS self_tie FROM {pairs}) AS p
CROSS JOIN (SELECT count(*) AS arcs, count(CASE WHEN count < {least} THEN 1 END) AS below FROM {arcs}) AS a
CROSS JOIN (SELECT count(*) AS ties FROM {ties}) AS t
"""


PERIOD_DROPS = ("broadcast", "self-tie", "below-min-messages", "not-reciprocated")
"""The drops of :func:`count_sql` that belong to one period: a message in the window, or a pair of a
period's messages. A log cut into periods counts them by period (:func:`period_drops_sql`); its other
drops (a second copy, a message without a time or outside the window) are its file's, in no period."""


def period_drops_sql(rules: TieRules) -> str:
    """The ``SELECT`` of each period's own :data:`PERIOD_DROPS`, counted as :func:`count_sql` counts
    them of the rules run by period (one row per period with any, a column per code, by period).

    A pair's drops are its period's (a pair below ``min_messages`` in two months is counted in
    each), so a cut log's periods add up to the periods' run, not to its whole window's.
    """
    most, least = int(rules.max_recipients), int(rules.min_messages)
    sums = ", ".join(
        f'CAST(sum({column}) AS BIGINT) AS "{code}"'
        for column, code in zip(("broadcast", "self_tie", "below", "unreturned"), PERIOD_DROPS, strict=True)
    )
    return f"""
SELECT period, {sums} FROM (
  SELECT period, count(*) AS broadcast, 0 AS self_tie, 0 AS below, 0 AS unreturned FROM ln_messages
  WHERE first_copy AND in_window AND n_recipients > {most} GROUP BY period
  UNION ALL
  SELECT period, 0, count(*), 0, 0 FROM ln_pairs WHERE count > 0 AND source = target GROUP BY period
  UNION ALL
  SELECT period, 0, 0, count(CASE WHEN count < {least} THEN 1 END),
         count(CASE WHEN count >= {least} THEN 1 END) FROM ln_arcs GROUP BY period
  UNION ALL
  SELECT period, 0, 0, 0, -count(*) FROM ln_ties GROUP BY period
) AS d GROUP BY period ORDER BY period"""


RULE_OPTIONS = ("max_recipients", "cc_weight", "min_messages", "require_reciprocity")


def rules_from_options(
    options: Any, period_from: date | None = None, period_to: date | None = None
) -> TieRules:
    """:class:`TieRules` from a ``[[sources]]`` entry's options (missing keys keep the defaults).

    Examples
    --------
    >>> rules_from_options({"min_messages": 1, "cc_weight": 1}).min_messages
    1
    """
    check_options(options, "e-mail source")
    base = TieRules()
    rules = TieRules(
        max_recipients=int(options.get("max_recipients", base.max_recipients)),
        cc_weight=float(options.get("cc_weight", base.cc_weight)),
        min_messages=int(options.get("min_messages", base.min_messages)),
        require_reciprocity=bool(options.get("require_reciprocity", base.require_reciprocity)),
        period_from=period_from,
        period_to=period_to,
    )
    return rules
