"""What makes a tie in each source of a snapshot: its settings, with defaults, as provenance records them.

Two waves read with different rules (an e-mail tie from 2 messages before and from 5 after,
a broadcast cap of 25 against 100, a survey's frequency read as the weight in one wave
only) differ for that reason alone; :mod:`leadnet.comparability` compares these records.
A dated source's ``from``/``to`` window is :func:`leadnet.windows.window`'s (re-exported
here with ``DATED_KINDS``), so the importers and the record agree on it.
"""

from __future__ import annotations

from typing import Any

from leadnet.config import Config, SourceSection
from leadnet.importers.email_sql import TieRules, rules_from_options
from leadnet.importers.membership import DEFAULT_MAX_PROJECT_SIZE
from leadnet.windows import DATED_KINDS, WINDOW_KEYS, window

DEFAULT_RELATIONS = {"survey": "advice", "ties": "ties", "email": "email", "membership": "membership"}
"""The relation of a source that names none (a survey's ``question`` column may give others)."""


def email_options(source: SourceSection) -> dict[str, object]:
    """An e-mail source's options without the period window (that goes into its tie rules)."""
    return {k: v for k, v in source.options.items() if k not in WINDOW_KEYS}


def email_settings(source: SourceSection, config: Config) -> tuple[TieRules, str, str]:
    """What must be equal for e-mail sources to be read as one log: tie rules, external policy, relation."""
    options = email_options(source)
    start, end = window(source, config)
    relation = source.relation or "email"
    return rules_from_options(options, start, end), str(options.get("external", "drop")), relation


def source_rules(source: SourceSection, config: Config) -> dict[str, Any]:
    """The settings of one source that decide what a tie is, with the importers' defaults.

    Examples
    --------
    >>> from pathlib import Path
    >>> mail = SourceSection("email", Path("mail.csv"), options={"min_messages": 5})
    >>> rules = source_rules(mail, Config(root=Path(".")))
    >>> rules["min_messages"], rules["cc_weight"], rules["max_recipients"], rules["window_days"]
    (5, 0.5, 25, None)
    """
    start, end = window(source, config)
    rules: dict[str, Any] = {
        "file": source.path.name,
        "kind": source.kind,
        "relation": source.relation or DEFAULT_RELATIONS.get(source.kind, source.kind),
    }
    options = source.options
    if source.kind == "survey":
        rules["layout"] = source.layout
    if source.kind in ("survey", "ties"):  # a wide survey has no weight: every tie weighs 1
        rules["weight_column"] = None if source.layout == "wide" else _weight_column(source)
    if source.kind == "ties":
        rules["directed"] = bool(options.get("directed", True))
    if source.kind == "email":  # as the importer reads them
        email, external, _ = email_settings(source, config)
        rules |= {
            "min_messages": email.min_messages,
            "cc_weight": email.cc_weight,
            "max_recipients": email.max_recipients,
            "require_reciprocity": email.require_reciprocity,
            "external": external,
            "internal_domains": sorted(config.project.internal_domains),
        }
    if source.kind == "membership":
        rules["max_project_size"] = int(options.get("max_project_size", DEFAULT_MAX_PROJECT_SIZE))
    if source.kind in DATED_KINDS:
        rules |= {
            "from": start.isoformat() if start else None,
            "to": end.isoformat() if end else None,
            "window_days": (end - start).days + 1 if start and end else None,
        }
    return rules


def _weight_column(source: SourceSection) -> str:
    """The header a survey or tie list reads as the tie's weight: the role's own name, ``weight``,
    unless the column map names another (a file without that column: every tie weighs 1)."""
    return str(source.columns.get("weight", "weight"))


def snapshot_rules(name: str, config: Config) -> list[dict[str, Any]]:
    """The tie rules of every source of snapshot ``name`` (a dated period's: every dated source)."""
    named = [s for s in config.sources if s.snapshot == name]
    dated = [s for s in config.sources if s.kind in DATED_KINDS]
    return [source_rules(source, config) for source in named or dated]
