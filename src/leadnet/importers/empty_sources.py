"""A source that gave no tie, warned of with why: a :class:`~leadnet.errors.LeadnetWarning` naming it,
not a silent empty network.

A dated source whose rows all fall outside its period (a mistyped ``--from``, say:
:func:`warn_all_outside`), and a source whose tie rule removed every tie of a period, or of its
whole window (``max_project_size`` for membership, ``min_messages`` for e-mail, recorded by the
importer as :class:`~leadnet.importers.result.RuleEmptied`: :func:`warn_rule_emptied`), naming
the periods, the rule's value and the value that would give a tie.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

from leadnet.config import Config, SourceSection
from leadnet.errors import LeadnetWarning
from leadnet.importers.result import TieImport
from leadnet.importers.tie_rules import window


def warn_all_outside(result: TieImport, job: Sequence[SourceSection], config: Config) -> None:
    """A dated source that gives no tie while some of its rows fall outside its period (a
    mistyped ``--from``, say): a :class:`~leadnet.errors.LeadnetWarning`, not a silent empty network."""
    outside = result.normalisations.get("outside-period", 0)
    if not outside or len(result.ties) or any(e.period is None for e in result.emptied):
        return  # a tie rule that left the window no tie is warned of as such
    start, end = window(job[0], config)
    rows = "message(s)" if job[0].kind == "email" else "membership(s)"
    names = ", ".join(dict.fromkeys(source.path.name for source in job))
    warnings.warn(
        f"{names}: no tie in the period {start or '…'} to {end or '…'}, and {outside:,} {rows} fall outside "
        "it; check --from and --to (or period_from and period_to in [analysis], or the source's from and to)",
        LeadnetWarning,
        stacklevel=2,
    )


RULE_WORDS = {
    "max_project_size": (
        "every project has more than max_project_size members",
        "raise max_project_size (now {value}; the smallest project {pieces})",
        "in {period} has {nearest:,} members",
        "has {nearest:,} members",
    ),
    "min_messages": (
        "no one sent another person min_messages messages",
        "lower min_messages (now {value}; the most messages one person sent another {pieces})",
        "in {period} is {nearest:,}",
        "is {nearest:,}",
    ),
}
"""Per tie rule: what left no tie, the fix, and the figure of one period (of the whole window)."""
NAMED_PERIODS = 3
"""The most periods a warning of a tie rule names; the others are counted."""


def warn_rule_emptied(result: TieImport, job: Sequence[SourceSection], config: Config) -> None:
    """A tie rule that removed every tie of a period of a source (or its whole window: a
    ``max_project_size`` below every project's size): a :class:`~leadnet.errors.LeadnetWarning`
    naming the periods, the rule, its value and the value each period asks, not a silent empty network."""
    names = ", ".join(dict.fromkeys(source.path.name for source in job))
    for rule, (why, fix, in_period, in_window) in RULE_WORDS.items():
        emptied = [e for e in result.emptied if e.rule == rule]
        if not emptied:
            continue
        pieces = [
            in_window.format(nearest=e.nearest) if e.period is None else in_period.format(**vars(e))
            for e in emptied[:NAMED_PERIODS]
        ]
        more = len(emptied) - NAMED_PERIODS
        figures = ", ".join(pieces) + (f", and {more} more period(s) like them" if more > 0 else "")
        periods = [e.period for e in emptied if e.period is not None]
        start, end = window(job[0], config)
        if periods:
            shown = [*periods[:NAMED_PERIODS], *([f"{more} more"] if more > 0 else [])]
            where = " in " + " and ".join([", ".join(shown[:-1]), shown[-1]] if len(shown) > 1 else shown)
        else:
            where = f" in the period {start or '…'} to {end or '…'}" if start or end else ""
        warnings.warn(
            f"{names}: no tie{where}: {why}; {fix.format(value=emptied[0].value, pieces=figures)}",
            LeadnetWarning,
            stacklevel=2,
        )
