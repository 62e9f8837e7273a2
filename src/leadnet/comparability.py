"""What a comparison compared, and whether its two snapshots were analysed alike.

:func:`snapshot_record` is one entry of ``comparison.json``'s ``snapshots``: the snapshot's
name and label (:func:`snapshot_labels`: the name, or the folder when both waves share one
name), the folder it was read from and when that folder was analysed, its period, its
inputs with their sha256 as its provenance records them, and its size.
:func:`comparability_warnings` lists, in plain sentences, each setting that changes what a
tie is or who is counted and was not the same in both waves: the tie rules of each kind
of source (:mod:`leadnet.importers.tie_rules`), the relations, pseudonymisation, the
length of the period and of the sources' windows (a whole calendar month, quarter or year
in each wave counts as alike: March's 31 days against April's 30), ``snapshot_by``, and the analysis
parameters that decide who is counted (``min_group_size``, ``top_levels``,
``resolution``). Seeds and permutation counts may differ: they change no tie. Two
different primary relations are an error, not a warning (:func:`leadnet.churn.primary_relation`).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from leadnet.analysis import Analysis
    from leadnet.model import Period

TIE_RULE_REASONS: Mapping[str, str] = {
    "min_messages": "it is how many messages make an e-mail tie",
    "cc_weight": "it is what a message received in Cc adds to a tie's weight",
    "max_recipients": "it is the broadcast cap: a message to more people makes no tie",
    "require_reciprocity": "it decides whether an e-mail tie needs messages both ways",
    "external": "it decides whether addresses outside the organisation are dropped or pooled",
    "internal_domains": "they decide which addresses are colleagues",
    "max_project_size": "it is the project size above which shared membership makes no tie",
    "directed": "it decides whether a listed tie runs one way or both",
    "layout": "it decides how a survey's rows are read as ties",
    "weight_column": "it is the column read as a tie's weight",
    "window_days": "it is how many days of messages or memberships make the ties",
}  # a source's file name and its from/to dates are not compared: they differ by design
"""Why each recorded tie rule matters (:func:`leadnet.importers.tie_rules.source_rules`)."""
SETTING_REASONS: Mapping[str, str] = {
    "min_group_size": "it decides which group figures are withheld for privacy",
    "top_levels": "it decides who counts as the top of the hierarchy",
    "resolution": "it decides how finely communities are cut",
}
"""Why each analysis parameter that changes who is counted matters."""
CALENDAR_UNITS: Mapping[int, str] = {1: "month", 3: "quarter", 12: "year"}
"""Whole calendar units, by their months, that count as alike in length whatever their days."""
CONSEQUENCE = "so part of the change reported may come from the setting, not from the organisation"
WHO_IS_COUNTED = frozenset({"external"})
"""Tie rules that change the people of a snapshot (a pooled outsider), not only one relation's ties."""


@dataclass(frozen=True)
class Origin:
    """Where a compared snapshot came from: its output folder (``None`` when not written to one)
    and when it was analysed, as that folder's ``summary.json`` records it (``generated_at``;
    ``None`` for a project folder ``compare`` analysed on the fly, or a snapshot built by hand)."""

    folder: str | None = None
    analysed_at: str | None = None


def snapshot_labels(
    before: Analysis, after: Analysis, origins: tuple[Origin, Origin] | None = None
) -> tuple[str, str]:
    """How a comparison names its two snapshots on its page, in its warnings and as their ``label``.

    By their snapshot names, unless both have the same one (two runs of one-snapshot projects
    are both ``main``): then by the folders they were read from (the folders' own names, or the
    paths as given when those are alike too), else by their projects' names, else as
    ``main (before)`` and ``main (after)``.

    Examples
    --------
    Two analyses of one-snapshot projects (only their names matter here):

    >>> from types import SimpleNamespace as Run
    >>> one = two = Run(snapshot=Run(name="main"), project=Run(name="riverside"))
    >>> snapshot_labels(one, two, (Origin("reports/wave1"), Origin("/data/wave2")))
    ('wave1', 'wave2')
    >>> snapshot_labels(one, two, (Origin("2025/out"), Origin("2026/out"))), snapshot_labels(one, two)
    (('2025/out', '2026/out'), ('main (before)', 'main (after)'))
    """
    names = (before.snapshot.name, after.snapshot.name)
    if names[0] != names[1]:
        return names
    first, second = (origin.folder for origin in origins or (Origin(), Origin()))
    if first is not None and second is not None and first != second:
        own = (Path(first).absolute().name, Path(second).absolute().name)
        return own if own[0] != own[1] else (first, second)
    projects = (before.project.name, after.project.name)
    if projects[0] != projects[1]:
        return projects
    return f"{names[0]} (before)", f"{names[1]} (after)"


def snapshot_record(
    analysis: Analysis, origin: Origin | None = None, label: str | None = None
) -> dict[str, Any]:
    """One wave of ``comparison.json``'s ``snapshots``.

    ``label`` is how the comparison names the wave (:func:`snapshot_labels`; its ``name`` by
    default). ``n_people`` and ``n_ties`` are the wave's ``summary.json`` figures (ties of the
    primary relation); ``inputs`` lists each input's path, kind and sha256 as its provenance records;
    ``warnings`` are the wave's own ``summary.json`` warnings on its figures (a survey fewer than
    half the roster answered), which its report shows first and the programme page shows too.
    """
    snapshot, origin = analysis.snapshot, origin or Origin()
    return {
        "name": snapshot.name,
        "label": snapshot.name if label is None else label,
        "folder": origin.folder,
        "analysed_at": origin.analysed_at,
        "period": {"start": _iso(snapshot.period.start), "end": _iso(snapshot.period.end)},
        "inputs": [{"path": i.path, "kind": i.kind, "sha256": i.sha256} for i in snapshot.provenance.inputs],
        "n_people": analysis.summary.get("n_people"),
        "n_ties": analysis.summary.get("n_ties"),
        "relation": snapshot.relation,
        "relations": list(snapshot.relations),
        "pseudonymised": bool(snapshot.provenance.parameters.get("pseudonymised")),
        "warnings": [str(w) for w in analysis.summary.get("warnings") or ()],
    }


def _iso(day: Any) -> str | None:
    return None if day is None else str(day.isoformat())


def comparability_warnings(
    before: Analysis, after: Analysis, labels: tuple[str, str] | None = None
) -> list[str]:
    """One sentence per setting that changes what a tie is or who is counted and differs between
    the two waves, naming the setting, both values and why it matters; none when they agree.
    The waves are named by their ``labels`` (:func:`snapshot_labels`; their names by default)."""
    names = labels or (before.snapshot.name, after.snapshot.name)
    found = _snapshot_warnings(before, after, names)
    for key, why in SETTING_REASONS.items():
        b, a = getattr(before.settings, key), getattr(after.settings, key)
        if b != a:
            found.append(_sentence(f"the analysis parameter {key}", key, _text(b), _text(a), names, why))
    return found + _rule_warnings(before, after, names)


def _snapshot_warnings(before: Analysis, after: Analysis, names: tuple[str, str]) -> list[str]:
    b, a = before.snapshot, after.snapshot
    found = []
    hidden = [bool(s.provenance.parameters.get("pseudonymised")) for s in (b, a)]
    if hidden[0] != hidden[1]:
        found.append(
            f'snapshot "{names[hidden.index(True)]}" is pseudonymised and "{names[hidden.index(False)]}" '
            "is not, so nobody's id is the same in both and nobody is matched across the waves; "
            "analyse both with pseudonymise and the same key, or both without"
        )
    if set(b.relations) != set(a.relations):
        found.append(
            f'the snapshots hold different relations ("{names[0]}": {_listed(b.relations)}; "{names[1]}": '
            f"{_listed(a.relations)}): a relation in one wave only has no before or after to compare, "
            f'and the comparison uses "{b.relation or a.relation}"; give both waves the same sources'
        )
    found += _period_warnings(b.period, a.period, names)
    by = (b.provenance.parameters.get("snapshot_by"), a.provenance.parameters.get("snapshot_by"))
    if by[0] != by[1]:
        why = "it sets the length of a dated period"
        found.append(_sentence("the dated sources", "snapshot_by", _text(by[0]), _text(by[1]), names, why))
    return found


def _period_warnings(before: Period, after: Period, names: tuple[str, str]) -> list[str]:
    """The warning of two periods of different lengths (:func:`_alike`): a period read from dated
    sources gathers more ties the longer it is; one stated for surveys and tie lists
    (:attr:`~leadnet.model.Period.given`), or none, gathers none, their ties being the answers."""
    periods = ((before.start, before.end), (after.start, after.end))
    if _alike(*periods):
        return []
    days = [_text(_span(*period), none="open") for period in periods]
    read = [p.given is None and (p.start, p.end) != (None, None) for p in (before, after)]
    if all(read):
        why = "a longer period gathers more ties"
        return [_sentence("the snapshot period", "its length in days", days[0], days[1], names, why)]
    shown = [
        n if dated else f"{n} ({'not dated' if p.given is None else f'given by {p.given}'})"
        for n, p, dated in zip(days, (before, after), read, strict=True)
    ]
    both = f'its length in days is {shown[0]} in "{names[0]}" and {shown[1]} in "{names[1]}"'
    stated = "surveys and tie lists carry no dates: their ties are the answers, whatever period is stated"
    if any(read):
        dated, other = names if read[0] else names[::-1]
        return [
            f'the snapshot period: {both}; "{dated}"\'s was read from its dated sources, which gather more '
            f'ties the longer it is, and "{other}"\'s was not ({stated}), {CONSEQUENCE}. Analyse both waves '
            "over periods of one length"
        ]
    return [
        f"the snapshot period: {both}; neither was read from dated data ({stated}), so the difference "
        'changes the comparison only if the surveys asked about these periods (advice sought "in the last '
        "three months\", say), when a longer one gathers more nominations. Check that both waves' surveys "
        "asked about periods of one length, and state them alike"
    ]


def _rule_warnings(before: Analysis, after: Analysis, names: tuple[str, str]) -> list[str]:
    recorded = [a.snapshot.provenance.parameters.get("tie_rules") for a in (before, after)]
    made = [bool(a.snapshot.provenance.inputs) for a in (before, after)]  # read from files, not built
    missing = [names[i] for i in (0, 1) if recorded[i] is None and made[i]]
    if missing:
        which = " and ".join(f'"{name}"' for name in missing)
        return [
            f"snapshot {which} records no tie rules (saved by an earlier leadnet), so whether both waves "
            "made their ties by the same rules cannot be checked; run `leadnet analyse` again to record them"
        ]
    by_source = [_by_source(rules or []) for rules in recorded]
    compared = before.snapshot.relation or after.snapshot.relation
    found = []
    for source in sorted(set(by_source[0]) & set(by_source[1])):
        rules_b, rules_a = by_source[0][source], by_source[1][source]
        what = f'the {source[0]} source{"s" if max(len(rules_b), len(rules_a)) > 1 else ""} of "{source[1]}"'
        for key, why in TIE_RULE_REASONS.items():
            b, a = _values(rules_b, key), _values(rules_a, key)
            if b == a or (key == "window_days" and _window_lengths(rules_b) == _window_lengths(rules_a)):
                continue
            # Only the compared relation's ties are measured; a pooled outsider joins everyone's people.
            aside = source[1] != compared and key not in WHO_IS_COUNTED
            effect = (
                f'so the two waves\' "{source[1]}" figures differ partly for that reason; the comparison '
                f'measures "{compared}", which it does not change'
                if aside
                else CONSEQUENCE
            )
            found.append(_sentence(what, key, _shown(b), _shown(a), names, why, effect))
    return found


def _by_source(rules: Sequence[Mapping[str, Any]]) -> dict[tuple[str, str], list[Mapping[str, Any]]]:
    """The tie rules of a wave's sources by kind of source and relation."""
    grouped: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for rule in rules:
        grouped.setdefault((str(rule.get("kind")), str(rule.get("relation"))), []).append(rule)
    return grouped


def _values(rules: Sequence[Mapping[str, Any]], key: str) -> tuple[str, ...]:
    """The values one rule takes in a wave's sources of one kind and relation, each once."""
    if not any(key in rule for rule in rules):
        return ()
    none = "open" if key == "window_days" else "none"
    return tuple(sorted({_text(rule.get(key), none=none) for rule in rules}))


def _shown(values: tuple[str, ...]) -> str:
    return " and ".join(values) if values else "not recorded"


def _text(value: Any, none: str = "none") -> str:
    """A setting's value as written in ``leadnet.toml``; ``None`` as ``none`` ("open" for a window)."""
    if value is None:
        return none
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(f'"{v}"' for v in value) + "]"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


def _listed(relations: Sequence[str]) -> str:
    return ", ".join(relations) if relations else "none"


def _window_lengths(rules: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """The lengths of a wave's windows of one kind of source, as compared: each a calendar unit or days."""
    ends = [tuple(_day(rule.get(k)) for k in ("from", "to")) for rule in rules]
    return tuple(sorted({_length(start, end) for start, end in ends}))


def _day(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


def _alike(first: tuple[date | None, date | None], second: tuple[date | None, date | None]) -> bool:
    """Whether two periods are as long as each other: the same days, or each one whole calendar
    month, quarter or year (a month's ties are compared with the next month's as they are).

    >>> march, april = (date(2026, 3, 1), date(2026, 3, 31)), (date(2026, 4, 1), date(2026, 4, 30))
    >>> q1, half = (date(2026, 1, 1), date(2026, 3, 31)), (date(2026, 4, 1), date(2026, 9, 30))
    >>> _alike(march, april), _alike(q1, (date(2026, 4, 1), date(2026, 6, 29))), _alike(march, q1)
    (True, True, False)
    >>> _alike(q1, half), _alike((None, None), (None, None)), _alike((None, None), q1)
    (False, True, False)
    """
    return _span(*first) == _span(*second) or _length(*first) == _length(*second)


def _length(start: date | None, end: date | None) -> str:
    """A period's length as compared: ``calendar month``, ``quarter`` or ``year`` when it is exactly
    one, else its days; ``open`` when an end is open.

    >>> _length(date(2024, 2, 1), date(2024, 2, 29)), _length(date(2026, 4, 1), date(2026, 6, 30))
    ('calendar month', 'calendar quarter')
    >>> _length(date(2026, 2, 1), date(2026, 4, 30)), _length(date(2026, 1, 5), date(2026, 3, 29))
    ('89 days', '84 days')
    """
    if start is None or end is None:
        return "open"
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    whole = start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]
    if whole and months in CALENDAR_UNITS and (start.month - 1) % months == 0:  # a quarter from Jan, Apr, ...
        return f"calendar {CALENDAR_UNITS[months]}"
    return f"{_span(start, end)} days"


def _span(start: date | None, end: date | None) -> int | None:
    """How many days a period (or window) covers; ``None`` when an end is open."""
    return None if start is None or end is None else (end - start).days + 1


def _sentence(
    what: str,
    setting: str,
    before: str,
    after: str,
    names: tuple[str, str],
    why: str,
    effect: str = CONSEQUENCE,
) -> str:
    """One warning: the setting, its value (as text) in each wave, why the difference matters and
    what it does to the comparison."""
    return (
        f'{what}: {setting} is {before} in "{names[0]}" and {after} in "{names[1]}"; {why}, '
        f"{effect}. Analyse both waves with the same setting"
    )
