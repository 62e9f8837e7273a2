"""Why an e-mail period has no tie: what each tie rule asks of it, and the changes that give one.

The e-mail tie rules act in order (:mod:`leadnet.importers.email_sql`): ``max_recipients``
leaves broadcasts out, ``min_messages`` asks a pair for that many of the other messages, and
``require_reciprocity`` asks it of both directions. A period (or a source's whole window)
whose messages would make ties without the rules but which the rules leave with none is
warned of (:func:`~leadnet.importers.empty_sources.warn_rule_emptied`), naming the first
rule that left it nothing and the value of it that gives a tie, the other rules as they are.
When no value of that rule alone gives one (two rules emptied the period together: every
message is a broadcast and no pair has ``min_messages`` of them, say), the change the next
rule needs is named beside it, so that every change a warning names gives a tie. A
``max_recipients`` named is the smallest that gives a tie: with another rule's change, that of
the narrowest message that can (:func:`rule_changes`), never the size of an all-staff message
when a narrower one gives a tie; the warning says it makes ties of messages to that many. A count of
messages that left out broadcasts says so when a count of every message between people is larger
(:attr:`~leadnet.importers.result.RuleEmptied.broadcasts_over`): a count by hand would find more.

:data:`FIGURES_SQL` measures the figures (:class:`PeriodFigures`) in SQL that DuckDB and
Spark both run, on the periods left with no tie only: a log whose every period has a tie
pays nothing for it. :func:`rule_changes` turns them into
:class:`~leadnet.importers.result.RuleEmptied` records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import pandas as pd

from leadnet.importers.result import RuleEmptied, Variant


class Thresholds(Protocol):
    """The tie rules a period is measured against: :class:`~leadnet.importers.email_sql.TieRules`."""

    @property
    def max_recipients(self) -> int: ...

    @property
    def min_messages(self) -> int: ...

    @property
    def require_reciprocity(self) -> bool: ...


@dataclass(frozen=True)
class PeriodFigures:
    """What the tie rules ask of a period with no tie, among its messages from one person to another.

    ``most`` is the most messages one person sent another, broadcasts left out (0: every
    message is a broadcast); ``most_mutual`` the most each of two people sent the other (0:
    no pair wrote to each other); ``most_all`` and ``mutual_all`` are the two with broadcasts
    counted (what a count by hand finds); ``needs`` the smallest ``max_recipients`` that gives a
    tie, ``min_messages`` and ``require_reciprocity`` as they are (0: no value does); ``opens``
    the smallest ``max_recipients`` that gives a tie once ``min_messages`` is low enough
    (``require_reciprocity`` as it is, or off when no two people wrote to each other at all), and
    ``most_opened`` and ``mutual_opened`` are ``most`` and ``most_mutual`` among the messages to
    at most that many.
    """

    period: str
    most: int
    most_mutual: int
    most_all: int
    mutual_all: int
    needs: int
    opens: int
    most_opened: int
    mutual_opened: int


_MUTUAL = "max(CASE WHEN b.{n} IS NULL THEN 0 ELSE least(a.{n}, b.{n}) END)"
_REVERSE = "ON b.period = a.period AND b.source = a.target AND b.target = a.source"
FIGURES_SQL = f"""WITH sent AS (
    SELECT m.period, m.sender AS source, d.recipient AS target, m.n_recipients,
           row_number() OVER (PARTITION BY m.period, m.sender, d.recipient ORDER BY m.n_recipients) AS nth
    FROM ln_messages AS m JOIN ln_deliveries AS d ON m.msg_seq = d.msg_seq
    WHERE m.first_copy AND m.in_window AND m.sender IS NOT NULL AND m.sender <> d.recipient
      AND m.period IN ({{periods}})),
arcs AS (
    SELECT period, source, target, count(*) AS messages,
           count(CASE WHEN n_recipients <= {{most}} THEN 1 END) AS kept,
           max(CASE WHEN nth = {{least}} THEN n_recipients END) AS needs, min(n_recipients) AS narrowest
    FROM sent GROUP BY period, source, target),
figures AS (
    SELECT a.period, max(a.kept) AS most, {_MUTUAL.format(n="kept")} AS most_mutual,
           max(a.messages) AS most_all, {_MUTUAL.format(n="messages")} AS mutual_all,
           min(CASE WHEN NOT {{reciprocal}} THEN a.needs
                    WHEN a.needs IS NOT NULL AND b.needs IS NOT NULL THEN greatest(a.needs, b.needs) END)
               AS needs,
           CASE WHEN {{reciprocal}} AND count(b.narrowest) > 0
                THEN min(CASE WHEN b.narrowest IS NOT NULL THEN greatest(a.narrowest, b.narrowest) END)
                ELSE min(a.narrowest) END AS opens
    FROM arcs AS a LEFT JOIN arcs AS b {_REVERSE} GROUP BY a.period),
opened AS (
    SELECT s.period, s.source, s.target, count(*) AS messages
    FROM sent AS s JOIN figures AS f ON f.period = s.period
    WHERE s.n_recipients <= f.opens GROUP BY s.period, s.source, s.target),
at_opens AS (
    SELECT a.period, max(a.messages) AS most, {_MUTUAL.format(n="messages")} AS mutual
    FROM opened AS a LEFT JOIN opened AS b {_REVERSE} GROUP BY a.period)
SELECT f.period, f.most, f.most_mutual, f.most_all, f.mutual_all, f.needs, f.opens, o.most, o.mutual
FROM figures AS f JOIN at_opens AS o ON o.period = f.period ORDER BY f.period"""
"""The :class:`PeriodFigures` of the periods named (columns in the order of its fields), over the relations
of :func:`~leadnet.importers.email_sql.tie_queries`: each pair's messages (``arcs``: all of them, and those
to at most ``max_recipients``), with the recipients of its ``min_messages``-th smallest message
(``needs``: the ``max_recipients`` that keeps that many) and of its smallest, beside the reverse pair's
(``figures``); then each pair's messages to at most ``opens`` recipients (``opened``), beside the
reverse pair's."""


def tieless_periods(people: pd.DataFrame, ties: pd.DataFrame) -> set[str]:
    """The periods with messages counted (``people``: one row per period and person) but no tie: each
    period once, so a log of millions of ties is not walked in Python.

    >>> people = pd.DataFrame({"period": ["2024-01", "2024-01", "2024-02"]})
    >>> tieless_periods(people, pd.DataFrame({"period": ["2024-01"] * 3}))
    {'2024-02'}
    """
    return set(people["period"].unique()) - set(ties["period"].unique())


def period_figures(
    run: Callable[[str], Iterable[Sequence[Any]]], rules: Thresholds, periods: Iterable[str]
) -> tuple[PeriodFigures, ...]:
    """The figures of ``periods`` (those left with no tie), by the engine's ``run`` (SQL → rows).

    A period none of whose messages goes from one person to another (every recipient outside
    the roster, say) has no figures: no rule emptied it. No SQL runs when no period is named.
    """
    names = sorted(set(periods))
    if not names:
        return ()
    sql = FIGURES_SQL.format(
        periods=", ".join("'" + name.replace("'", "''") + "'" for name in names),
        most=int(rules.max_recipients),
        least=int(rules.min_messages),
        reciprocal="TRUE" if rules.require_reciprocity else "FALSE",
    )
    return tuple(PeriodFigures(str(period), *(int(n or 0) for n in figures)) for period, *figures in run(sql))


def rule_changes(
    figures: PeriodFigures, rules: Thresholds, *, whole: bool = False
) -> tuple[RuleEmptied, ...]:
    """The rule that left a period no tie and the value that gives one; two when it needs both.

    ``whole``: the period is the source's whole window (no ``snapshot_by``).

    Examples
    --------
    >>> from types import SimpleNamespace as Rules
    >>> rules = Rules(max_recipients=3, min_messages=2, require_reciprocity=True)
    >>> one_way = PeriodFigures("2024-01", most=4, most_mutual=0, most_all=4, mutual_all=0, needs=0, opens=1,
    ...                         most_opened=4, mutual_opened=0)
    >>> [(r.rule, r.nearest, r.variant) for r in rule_changes(one_way, rules)]
    [('require_reciprocity', 0, '')]

    A month whose only messages between two people went to 6 and to 40 recipients, once each,
    asks ``max_recipients = 6`` (not 40, the all-staff message) and ``min_messages = 1``:

    >>> only_broadcasts = PeriodFigures("2024-02", 0, 0, most_all=1, mutual_all=0, needs=0, opens=6,
    ...                                 most_opened=1, mutual_opened=0)
    >>> [(r.rule, r.nearest, r.variant) for r in rule_changes(only_broadcasts, rules)]
    [('max_recipients', 6, 'together'), ('min_messages', 1, ''), ('require_reciprocity', 0, '')]

    A pair that wrote back only in messages to more than 3 recipients, twice, did write to each
    other: ``max_recipients = 4`` (its ``needs``) gives a tie too.

    >>> wider = PeriodFigures("2024-03", most=2, most_mutual=0, most_all=2, mutual_all=2, needs=4, opens=1,
    ...                       most_opened=2, mutual_opened=0)
    >>> [(r.rule, r.nearest, r.variant, r.broadcasts_over) for r in rule_changes(wider, rules)]
    [('require_reciprocity', 4, 'wider-raise', 3)]
    """
    period = None if whole else figures.period
    if figures.most:
        return _after_broadcasts(
            figures.most, figures.most_mutual, figures, rules, period, rules.max_recipients
        )
    if figures.needs:  # every message is a broadcast, and letting some in gives a tie
        return (RuleEmptied("max_recipients", rules.max_recipients, figures.needs, period),)
    return _with_broadcasts(figures, rules, period)


def _with_broadcasts(
    figures: PeriodFigures, rules: Thresholds, period: str | None
) -> tuple[RuleEmptied, ...]:
    """The changes a period needs whose every message between two people is a broadcast, and no
    ``max_recipients`` alone gives a tie: the smallest that does with the next rule's change
    (``opens``, never the widest broadcast when a narrower message gives a tie), that change counted
    among the messages it lets in, ``require_reciprocity`` kept when a pair wrote both ways."""
    raised = RuleEmptied("max_recipients", rules.max_recipients, figures.opens, period, "together")
    if rules.require_reciprocity and figures.mutual_opened:  # below min_messages, or needs would say so
        over = _left_out(figures.mutual_opened, figures.mutual_all, figures.opens)
        return (
            raised,
            RuleEmptied("min_messages", rules.min_messages, figures.mutual_opened, period, "mutual", over),
        )
    return (raised, *_after_broadcasts(figures.most_opened, 0, figures, rules, period, figures.opens))


def _after_broadcasts(
    most: int, mutual: int, figures: PeriodFigures, rules: Thresholds, period: str | None, limit: int
) -> tuple[RuleEmptied, ...]:
    """What ``min_messages`` and ``require_reciprocity`` ask of messages to at most ``limit``
    recipients whose most and most each of two people sent the other are ``most`` and ``mutual``,
    when they leave no tie; a count that a count of all messages (``figures``) exceeds says it
    leaves out the messages to more recipients."""
    least = rules.min_messages
    if most >= least:  # a pair passes min_messages: only the reverse pair's messages are missing
        if not mutual:
            return (_no_reply(figures, period, limit),)
        over = _left_out(mutual, figures.mutual_all, limit)
        return (RuleEmptied("require_reciprocity", True, mutual, period, "fewer", over),)
    if not rules.require_reciprocity:
        return (
            RuleEmptied("min_messages", least, most, period, "", _left_out(most, figures.most_all, limit)),
        )
    if mutual:
        over = _left_out(mutual, figures.mutual_all, limit)
        return (RuleEmptied("min_messages", least, mutual, period, "mutual", over),)
    return (
        RuleEmptied("min_messages", least, most, period, "", _left_out(most, figures.most_all, limit)),
        _no_reply(figures, period, limit),
    )


def _no_reply(figures: PeriodFigures, period: str | None, limit: int) -> RuleEmptied:
    """``require_reciprocity`` of a period where no pair wrote to each other in messages to at most
    ``limit`` recipients: a pair that did in wider ones (``mutual_all``) is said to (``wider``,
    ``broadcasts_over`` the limit), and the smallest ``max_recipients`` that gives a tie, when
    one does (``needs``), is the other change (``wider-raise``)."""
    if not figures.mutual_all:  # nobody wrote back, however many recipients
        return RuleEmptied("require_reciprocity", True, 0, period)
    variant: Variant = "wider-raise" if figures.needs else "wider"
    return RuleEmptied("require_reciprocity", True, figures.needs, period, variant, limit)


def _left_out(counted: int, every: int, limit: int) -> int:
    """``limit`` when a count of messages to at most ``limit`` recipients (``counted``) is below the
    count of every message (``every``): a count by hand finds more; else 0, nothing to say.

    >>> _left_out(2, 3, limit=25), _left_out(1, 1, limit=25)
    (25, 0)
    """
    return limit if every > counted else 0
