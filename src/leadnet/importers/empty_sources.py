"""A source that gave no tie, warned of with why: a :class:`~leadnet.errors.LeadnetWarning` naming it,
not a silent empty network.

A dated source whose rows all fall outside its period (a mistyped ``--from``, say:
:func:`warn_all_outside`), and a source whose tie rule removed every tie of a period, or of its
whole window (``max_project_size`` for membership; ``max_recipients``, ``min_messages`` and
``require_reciprocity`` for e-mail, :mod:`leadnet.importers.email_emptied`; recorded by the
importer as :class:`~leadnet.importers.result.RuleEmptied`: :func:`warn_rule_emptied`), naming
the periods, the rule's value and the value that would give a tie; two rules that left a period
no tie only together are named together, with both changes.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

from leadnet.config import Config, SourceSection
from leadnet.errors import LeadnetWarning
from leadnet.importers.result import RuleEmptied, TieImport
from leadnet.importers.tie_rules import window


def warn_all_outside(result: TieImport, job: Sequence[SourceSection], config: Config) -> None:
    """A dated source that gives no tie while some of its rows fall outside its period (a
    mistyped ``--from``, say): a :class:`~leadnet.errors.LeadnetWarning`, not a silent empty network."""
    outside = result.normalisations.get("outside-period", 0)
    if not outside or len(result.ties) or any(e.period is None for e in result.emptied):
        return  # a tie rule that left the window no tie is warned of as such
    start, end = window(job[0], config)
    rows = "message(s)" if job[0].kind == "email" else "membership(s)"
    names = ", ".join(dict.fromkeys(config.name_of(source.path) for source in job))
    warnings.warn(
        f"{names}: no tie in the period {start or '…'} to {end or '…'}, and {outside:,} {rows} fall outside "
        "it; check --from and --to (or period_from and period_to in [analysis], or the source's from and to)",
        LeadnetWarning,
        stacklevel=2,
    )


RULE_WORDS = {
    ("max_project_size", ""): (
        "every project has more than max_project_size members",
        "raise max_project_size (now {value}; the smallest project {pieces})",
        "in {period} has {nearest:,} members",
        "has {nearest:,} members",
    ),
    ("max_recipients", ""): (
        "every message from one person to another has more than max_recipients recipients",
        "raise max_recipients (now {value}; the smallest value that gives a tie {pieces}, which makes ties "
        "of messages to that many recipients)",
        "in {period} is {nearest:,}",
        "is {nearest:,}",
    ),
    ("max_recipients", "together"): (
        "every message from one person to another has more than max_recipients recipients",
        "raise max_recipients (now {value}; the smallest value that gives a tie with the {after} after it "
        "{pieces}, which makes ties of messages to that many recipients)",
        "in {period} is {nearest:,}",
        "is {nearest:,}",
    ),
    ("min_messages", ""): (
        "no one sent another person min_messages messages",
        "lower min_messages (now {value}; the most messages one person sent another {pieces})",
        "in {period} is {nearest:,}{left_out}",
        "is {nearest:,}{left_out}",
    ),
    ("min_messages", "mutual"): (
        "no one sent another person min_messages messages",
        "lower min_messages (now {value}; the most messages each of two people sent the other {pieces})",
        "in {period} is {nearest:,}{left_out}",
        "is {nearest:,}{left_out}",
    ),
    ("require_reciprocity", ""): ("no pair wrote to each other", "set require_reciprocity = false", "", ""),
    ("require_reciprocity", "wider"): (
        "no pair wrote to each other in messages to at most {broadcasts_over:,} recipients",
        "set require_reciprocity = false",
        "",
        "",
    ),
    ("require_reciprocity", "wider-raise"): (
        "no pair wrote to each other in messages to at most {broadcasts_over:,} recipients",
        "set require_reciprocity = false, or raise max_recipients (now {broadcasts_over}; the smallest value "
        "that gives a tie {pieces}, which makes ties of messages to that many recipients)",
        "in {period} is {nearest:,}",
        "is {nearest:,}",
    ),
    ("require_reciprocity", "fewer"): (
        "no pair wrote to each other min_messages messages each",
        "set require_reciprocity = false, or lower min_messages (the most messages each of two people sent "
        "the other {pieces})",
        "in {period} is {nearest:,}{left_out}",
        "is {nearest:,}{left_out}",
    ),
}
"""Per tie rule and figure (:attr:`~leadnet.importers.result.RuleEmptied.variant`): what left no tie,
the change that gives one, and the figure of one period (of the whole window); ``left_out`` is what
a count of messages left out, when a count by hand finds more (:data:`LEFT_OUT`)."""
LEFT_OUT = " (not counting messages to more than {broadcasts_over:,} recipients)"
"""Beside a period's count of messages that left out broadcasts a count by hand finds
(:attr:`~leadnet.importers.result.RuleEmptied.broadcasts_over`)."""
NAMED_PERIODS = 3
"""The most periods a warning of a tie rule names; the others are counted."""


def warn_rule_emptied(result: TieImport, job: Sequence[SourceSection], config: Config) -> None:
    """A tie rule that removed every tie of a period of a source (or its whole window: a
    ``max_project_size`` below every project's size): a :class:`~leadnet.errors.LeadnetWarning`
    naming the periods, the rule, its value and the value each period asks, not a silent empty network.

    The records of one period are the changes it needs together (:class:`RuleEmptied`): their
    reasons are joined by "and", and so are their changes. Periods that need the same changes
    are named in one warning, each with its figures (and what each count left out).
    """
    names = ", ".join(dict.fromkeys(config.name_of(source.path) for source in job))
    by_period: dict[str | None, list[RuleEmptied]] = {}
    for emptied in result.emptied:
        by_period.setdefault(emptied.period, []).append(emptied)
    alike: dict[tuple[tuple[str, str], ...], list[list[RuleEmptied]]] = {}
    for changes in by_period.values():
        alike.setdefault(tuple((e.rule, e.variant) for e in changes), []).append(changes)
    for kinds, periods in alike.items():
        whys = [RULE_WORDS[kind][0].format(**vars(periods[0][i])) for i, kind in enumerate(kinds)]
        fixes = [
            _fix(kind, [changes[i] for changes in periods], len(kinds) - i - 1)
            for i, kind in enumerate(kinds)
        ]
        warnings.warn(
            f"{names}: no tie{_where(periods, job, config)}: {', and '.join(whys)}; {' and '.join(fixes)}",
            LeadnetWarning,
            stacklevel=2,
        )


def _fix(kind: tuple[str, str], emptied: Sequence[RuleEmptied], later: int) -> str:
    """The change of one rule (``kind``) in the periods of ``emptied``, with the figure of each;
    ``later``: how many changes the warning names after it."""
    _, fix, in_period, in_window = RULE_WORDS[kind]
    pieces = [
        (in_window if e.period is None else in_period).format(
            **vars(e), left_out=LEFT_OUT.format(**vars(e)) if e.broadcasts_over else ""
        )
        for e in emptied[:NAMED_PERIODS]
    ]
    more = len(emptied) - NAMED_PERIODS
    figures = ", ".join(pieces) + (f", and {more} more period(s) like them" if more > 0 else "")
    return fix.format(**vars(emptied[0]), pieces=figures, after="change" if later == 1 else "changes")


def _where(periods: Sequence[Sequence[RuleEmptied]], job: Sequence[SourceSection], config: Config) -> str:
    """`` in 2024-01 and 2024-02`` (the first few named, the others counted), or the window's dates."""
    named = [changes[0].period for changes in periods if changes[0].period is not None]
    if named:
        more = len(named) - NAMED_PERIODS
        shown = [*named[:NAMED_PERIODS], *([f"{more} more"] if more > 0 else [])]
        return " in " + " and ".join([", ".join(shown[:-1]), shown[-1]] if len(shown) > 1 else shown)
    start, end = window(job[0], config)
    return f" in the period {start or '…'} to {end or '…'}" if start or end else ""
