"""The programme page's presentation model: a comparison turned into display strings and rows.

Every figure is a value of ``comparison.json`` (:meth:`leadnet.compare.Comparison.to_dict`)
rounded for display. The page reports groups only: cohort figures below ``k`` people are
shown as ``<k`` with the reason, the unit breakdown is suppressed column by column
(:func:`leadnet.privacy.groups_to_suppress`), and no person is listed (``people_change.csv``
holds each person's change for analysts).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from leadnet import __version__
from leadnet.compared_waves import BY_PERIODS
from leadnet.comparison_method import has_ranges
from leadnet.model import Period
from leadnet.privacy import WITHHELD_GROUP, groups_to_suppress, is_withheld, suppressed_marker
from leadnet.report.answers import about_cause
from leadnet.report.churn_view import churn_sentence, churn_table, counted_senders
from leadnet.report.disclosure import unit_of_person
from leadnet.report.effects import Effect, effect_columns, effects, effects_note
from leadnet.report.figures import Figure, headline_figures
from leadnet.report.findings import (
    no_range,
    p_text,
    signed,
    suppressed_reason,
    ties_of,
)
from leadnet.report.new_ties import cohort_ties
from leadnet.report.numbers import (
    confidence_level,
    display_number,
    people_words,
    significance_level,
    verb_for,
)
from leadnet.report.person_cells import WITHHELD
from leadnet.report.tables import Footer, Table, footer, withheld_note

JACCARD_WARNING = (
    "Tie overlap is below 0.3: the two snapshots differ so much that change in single ties says "
    "little, and longitudinal network models are not advised (Snijders, van de Bunt & Steglich 2010)."
)


@dataclass(frozen=True)
class ProgrammeFooter:
    """The facts of both snapshots (each a report :class:`Footer`) and of the comparison."""

    project: str
    purpose: str
    snapshots: tuple[tuple[str, Footer], ...]
    k: int
    seed: int
    permutations: int
    method: tuple[str, ...]
    version: str
    names_shown: bool
    pseudonymised: bool = False


@dataclass(frozen=True)
class ProgrammeView:
    """Everything the programme page shows, as display values (no HTML)."""

    title: str
    subtitle: str
    findings: tuple[str, ...]
    figures: tuple[Figure, ...]
    effects: tuple[Effect, ...]
    effects_table: Table
    effects_note: str
    cohort_ties: Table
    cohort_ties_sentence: str
    churn: Table
    jaccard_warning: str | None
    network: Table
    transitions: str
    units: Table
    footer: ProgrammeFooter
    network_withheld: str = ""
    warnings: tuple[str, ...] = ()
    """Each setting the two snapshots were not analysed alike in (``comparison.json``'s ``warnings``)."""
    wave_cautions: tuple[str, ...] = ()
    """Each snapshot's warnings on its figures, named by its label (``comparison.json``'s
    ``snapshots``: the ``summary.json`` warnings its own report shows first)."""
    cautions: tuple[str, ...] = ()
    """What else to read the comparison with (``Comparison.cautions``, also in its ``warnings``)."""
    caveat: str = ""
    """What a difference between the groups does not show (:func:`cause_caveat`); "" with none."""
    reading: str = ""
    """How to read a likely range and a p-value (:func:`reading_key`); "" with no cohort figures."""
    ranges: bool = True
    """Whether the DiDs have likely ranges (``comparison_method.has_ranges``), for the page and its chart."""


def _network_labels() -> dict[str, str]:
    return {f.key: f.label for f in headline_figures({})} | {"tied_pairs": "Tied pairs"}


def network_table(metrics: Mapping[str, Mapping[str, Any]]) -> Table:
    """Network figures before, after and their change, labelled as in the main report; a
    figure withheld for privacy shows ``withheld`` (:func:`network_withheld` says why).

    >>> network_table({"n_ties": {"before": 2599, "after": 2752, "delta": 153}}).rows
    (('Ties', '2,599', '2,752', '+153'),)
    >>> network_table({"leadership_share_outside_top": {"before": None, "after": 0.97, "delta": None,
    ...     "reasons": {"before": "withheld for privacy: a top of one"}}}).rows
    (('Influence outside the top', 'withheld', '0.970', 'withheld'),)
    """
    labels = _network_labels()
    rows = []
    for key, v in metrics.items():
        withheld = {wave for wave, why in (v.get("reasons") or {}).items() if is_withheld(why)}
        before, after = (WITHHELD if w in withheld else display_number(v.get(w)) for w in ("before", "after"))
        change = WITHHELD if withheld else signed(v.get("delta"))
        rows.append((labels.get(key, key.replace("_", " ").capitalize()), before, after, change))
    return Table(("Figure", "Before", "After", "Change"), tuple(rows), "No network figures.")


def network_withheld(metrics: Mapping[str, Mapping[str, Any]]) -> str:
    """The note under the network figures withheld for privacy ("" when none are).

    >>> why = "withheld for privacy: a top of one"
    >>> print(network_withheld({"leadership_share_outside_top": {"before": None, "after": None,
    ...                                                          "reasons": {"before": why, "after": why}}}))
    Withheld for privacy: Influence outside the top (before and after): a top of one.
    """
    labels = _network_labels()
    notes: dict[str, str] = {}
    for key, v in metrics.items():
        waves: dict[str, list[str]] = {}
        reasons = v.get("reasons") or {}
        for wave in ("before", "after"):  # in this order, whatever order comparison.json gave
            if is_withheld(reasons.get(wave)):
                waves.setdefault(str(reasons[wave]), []).append(wave)
        label = labels.get(key, key.replace("_", " ").capitalize())
        notes |= {f"{label} ({' and '.join(which)})": why for why, which in waves.items()}
    return withheld_note(notes)


def _hidden(counts: pd.Series, hide: pd.Series, k: int) -> pd.Series:
    shown = counts.astype(object)
    shown[hide.to_numpy()] = suppressed_marker(k)
    return shown


def _hide_rows(cohort: pd.Series, comparison: pd.Series, k: int) -> pd.Series:
    """Rows whose cohort or comparison count is hidden; both are hidden together.

    People in both snapshots − comparison = cohort when everyone else is the comparison
    group, so a row never shows one of the two counts alone. When that hides exactly one
    row, the next smallest row goes too.
    """
    hide = groups_to_suppress(cohort, k) | groups_to_suppress(comparison, k)
    if int(hide.sum()) == 1 and len(hide) > 1:
        sizes = (cohort + comparison)[~hide]
        hide[sizes.sort_values(kind="stable").index[0]] = True
    return hide


def unit_table(people_change: pd.DataFrame, units: pd.Series, k: int) -> Table:
    """Stayers, participants and comparison people per unit (their unit before, ``units``: by person
    id, :func:`.disclosure.unit_of_person`), suppressed below ``k``.

    >>> change = pd.DataFrame({"person_id": list("abcdefghijkl"), "status": "stayed",
    ...                        "group": ["cohort"] * 6 + ["comparison"] * 6})
    >>> unit_table(change, pd.Series(list("XXXXXXXYYYYY"), index=list("abcdefghijkl")), 5).rows
    (('X', '7', '<5', '<5'), ('Y', '5', '<5', '<5'))

    X has 1 comparison person and Y no participants: both rows hide both counts.
    """
    stayers = people_change[people_change["status"] == "stayed"]
    unit = stayers["person_id"].astype(str).map(units).fillna("").astype(str)
    frame = pd.DataFrame({"unit": unit.to_numpy(), "group": stayers["group"].to_numpy()})
    counts = pd.crosstab(frame["unit"], frame["group"]).reindex(
        columns=["cohort", "comparison"], fill_value=0
    )
    total = frame["unit"].value_counts().reindex(counts.index)
    hide = _hide_rows(counts["cohort"], counts["comparison"], k)
    columns = [
        _hidden(total, groups_to_suppress(total, k), k),
        _hidden(counts["cohort"], hide, k),
        _hidden(counts["comparison"], hide, k),
    ]
    rows = tuple((str(u) or "unknown", *(display_number(c.loc[u]) for c in columns)) for u in counts.index)
    return Table(("Unit", "People in both snapshots", "Cohort", "Comparison group"), rows, "No stayers.")


def _transitions(transitions: Mapping[str, Any]) -> str:
    if transitions.get("nmi") is None:
        return f"Community change not measured: {transitions.get('reason') or 'no communities'}."
    among = "people in both snapshots"
    n = transitions.get("n_people")
    if isinstance(n, int):
        among = (
            f"the {people_words(n)} in both snapshots who {verb_for(n, 'are')} in a community of two or more"
        )
    return (
        f"Communities among {among}: NMI {display_number(transitions.get('nmi'))}, "
        f"ARI {display_number(transitions.get('ari'))} (1 = the same communities, 0 = unrelated)."
    )


def _described(method: Mapping[str, Any], key: str, default: str) -> str:
    """The one-line ``description`` of a statistic's method (:mod:`leadnet.comparison_method`)."""
    section = method.get(key)
    return str(section.get("description", default)) if isinstance(section, Mapping) else default


_JUDGED = (("Judging the measures", "judgement"), ("New ties to other participants", "cohort_ties"))
"""The method sections the footer adds when ``comparison.json`` has them, named in words."""


def _footer(comparison: Any, before: Any, after: Any, k: int, show_names: bool) -> ProgrammeFooter:
    method, labels = comparison.method or {}, _labels(comparison, before, after)
    notes = (
        f"Ties: {_described(method, 'ties', 'binary arcs among stayers')}.",
        f"QAP: {_described(method, 'qap', 'rows and columns permuted together')}.",
        f"Difference-in-differences: {_described(method, 'did', 'label permutation p')}.",
        "Comparison group: " + str((comparison.cohort or {}).get("comparison_group", "none")) + ".",
        *(f"{name}: {_described(method, key, '')}." for name, key in _JUDGED if _described(method, key, "")),
        *_said(order_note(comparison.order_basis, (before.snapshot.period, after.snapshot.period), labels)),
    )
    return ProgrammeFooter(
        project=str(after.project.name),
        purpose=str(after.project.purpose) or "No purpose stated in leadnet.toml.",
        snapshots=tuple(
            (label, footer(a.snapshot, a.settings, a.project, show_names=show_names))
            for label, a in zip(labels, (before, after), strict=True)
        ),
        k=k,
        seed=int(comparison.seed),
        permutations=int(comparison.permutations),
        method=notes,
        version=__version__,
        names_shown=show_names,
        pseudonymised=bool(after.snapshot.provenance.parameters.get("pseudonymised")),
    )


def _said(sentence: str) -> tuple[str, ...]:
    return (sentence,) if sentence else ()


def order_note(basis: str, periods: tuple[Period, Period], labels: tuple[str, str]) -> str:
    """The Method's sentence on how the snapshots were put in order: "" when their periods were
    checked (``comparison.json``'s ``order_basis`` :data:`~leadnet.compared_waves.BY_PERIODS`),
    else why they could not be and how to state a period.

    >>> print(order_note("as given", (Period(), Period()), ("2025", "2026")))
    ... # doctest: +NORMALIZE_WHITESPACE
    Order of the snapshots: neither carries dates (surveys and tie lists have none), so leadnet took
    "2025", the one named first (BEFORE), as the earlier; to have the order checked, analyse each wave
    with its own period stated: period_from and period_to under [analysis] in its leadnet.toml (or
    --from and --to of leadnet analyse).
    """
    if basis == BY_PERIODS:
        return ""
    undated = [
        f'"{label}"' for label, p in zip(labels, periods, strict=True) if p.start is None and p.end is None
    ]
    if len(undated) == 2:
        why = "neither carries dates (surveys and tie lists have none)"
    elif undated:
        why = f"{undated[0]} carries no dates (surveys and tie lists have none)"
    elif periods[0] == periods[1]:
        why = "both carry the same stated period, which tells nothing of their order"
    else:
        why = f"their periods ({periods[0]}; {periods[1]}) do not tell which began first"
    return (
        f'Order of the snapshots: {why}, so leadnet took "{labels[0]}", the one named first (BEFORE), as '
        "the earlier; to have the order checked, analyse each wave with its own period stated: period_from "
        "and period_to under [analysis] in its leadnet.toml (or --from and --to of leadnet analyse)."
    )


def _labels(comparison: Any, before: Any, after: Any) -> tuple[str, str]:
    """How the page names the two snapshots: their ``comparison.json`` labels (the folders when both
    have one name, such as ``main``), or their names."""
    records = comparison.snapshots or {}
    first, second = (
        str((records.get(wave) or {}).get("label") or a.snapshot.name)
        for wave, a in (("before", before), ("after", after))
    )
    return first, second


def _projects(before: Any, after: Any) -> str:
    """The project the page is about; both, when two projects' snapshots are compared."""
    names = (str(before.project.name), str(after.project.name))
    return names[1] if names[0] == names[1] else f"{names[0]} and {names[1]}"


def _figures(comparison: Mapping[str, Any], effect: Effect | None, k: int = 5) -> tuple[Figure, ...]:
    c = comparison
    did, qap_p = None, p_text(c.get("qap_p"))
    if effect is not None:  # its figures as the table and the findings print them
        ci, p = f"likely range {effect.cells[4]} ({confidence_level()} CI)", p_text(effect.p_value)
        if effect.ci_low is None and effect.ci_high is None:  # not computed: say why, as the findings do
            ci = no_range((c.get("cohort") or {}).get(effect.metric) or {})
        sentence = f"{effect.label}, per participant vs the comparison group; {ci}; {p}."
        if effect.did is None:
            sentence = f"Withheld for privacy: {suppressed_reason(k)}."
        did = Figure("did", f"Programme effect: {effect.label.lower()}", effect.cells[3], sentence)
    rest = (
        Figure("jaccard", "Tie overlap", display_number(c.get("jaccard")),
               "Share of the ties among people in both snapshots that are in both (Jaccard index)."),
        Figure("ties_formed", "Ties formed", display_number(c.get("ties_formed")),
               f"New ties among people in both snapshots{counted_senders(c)}."),
        Figure("qap_r", "Network similarity", display_number(c.get("qap_r")),
               f"How alike the two networks' ties are, 1 = the same (QAP correlation; {qap_p})."),
        Figure("n_stayed", "People in both", display_number(c.get("n_stayed")),
               f"{display_number(c.get('n_joined'))} joined, {display_number(c.get('n_left'))} left."),
    )  # fmt: skip
    return ((did,) if did else ()) + rest


def _units(people_change: pd.DataFrame, waves: tuple[Any, Any], data: Mapping[str, Any], k: int) -> Table:
    """The unit breakdown of a cohort; none when there is no cohort, or when a cohort figure is
    suppressed (then ``people_change`` holds no group labels either). Each stayer's unit is the
    one before, a unit either wave (``waves``: the two analyses) hides counted in the pool."""
    if not data.get("cohort"):
        return Table((), (), "")
    if people_change["group"].eq(WITHHELD_GROUP).any():
        return Table(
            (),
            (),
            f"Not shown: a cohort figure concerns fewer than {k} people, so the groups are not listed.",
        )
    stayers = people_change.loc[people_change["status"] == "stayed", "person_id"]
    return unit_table(people_change, unit_of_person(stayers, *waves), k)


def programme_view(comparison: Any, before: Any, after: Any, *, show_names: bool = False) -> ProgrammeView:
    """The presentation model of a :class:`~leadnet.compare.Comparison` of two analyses."""
    data = comparison.to_dict()
    k = int((comparison.method or {}).get("min_group_size", after.settings.min_group_size))
    relation = str(comparison.relation or after.summary.get("relation") or "advice")
    rows = effects(data.get("cohort"), relation, k, int(comparison.permutations))
    ranges = has_ranges(data.get("cohort"))
    headline = next((e for e in rows if e.metric == "cross_unit_out_ties"), None)
    ties_table, ties_sentence = cohort_ties(data, k) if data.get("cohort") else (Table((), (), ""), "")
    churn = churn_sentence(data)
    labels = _labels(comparison, before, after)
    return ProgrammeView(
        title=f"{_projects(before, after)}: did the programme change practice?",
        subtitle=f"Snapshot {labels[0]} ({before.snapshot.period}) against "
        f"{labels[1]} ({after.snapshot.period}), {ties_of(relation)}",
        findings=tuple(e.sentence for e in rows) + ((ties_sentence,) if ties_sentence else ()) + (churn,),
        figures=_figures(data, headline, k),
        effects=rows,
        effects_table=Table(effect_columns(), tuple(e.cells for e in rows), "No cohort figures."),
        effects_note=effects_note(data.get("cohort"), int(comparison.permutations), k),
        cohort_ties=ties_table,
        cohort_ties_sentence=ties_sentence,
        churn=churn_table(data),
        jaccard_warning=JACCARD_WARNING if data.get("jaccard_warning") else None,
        network=network_table(data.get("metrics") or {}),
        transitions=_transitions(data.get("community_transitions") or {}),
        units=_units(comparison.people_change, (before, after), data, k),
        footer=_footer(comparison, before, after, k, show_names),
        network_withheld=network_withheld(data.get("metrics") or {}),
        warnings=tuple(
            _capitalised(str(w)) for w in data.get("warnings") or () if w not in comparison.cautions
        ),
        cautions=tuple(_capitalised(str(c)) for c in comparison.cautions),
        wave_cautions=wave_cautions(data.get("snapshots") or {}),
        caveat=cause_caveat(rows),
        reading=reading_key(ranges=ranges) if any(e.did is not None for e in rows) else "",
        ranges=ranges,
    )


def wave_cautions(snapshots: Mapping[str, Any]) -> tuple[str, ...]:
    """Each wave's warnings on its figures, named by the wave's label, before then after.

    >>> wave_cautions({"before": {"label": "2025", "warnings": ["Only 9 of 60 people answered."]},
    ...                "after": {"label": "2026", "warnings": []}})
    ('Snapshot 2025: Only 9 of 60 people answered.',)
    """
    return tuple(
        f"Snapshot {record.get('label')}: {warning}"
        for record in (snapshots.get(wave) or {} for wave in ("before", "after"))
        for warning in record.get("warnings") or ()
    )


def _capitalised(sentence: str) -> str:
    """A warning as a sentence on the page: a capital first letter and a full stop.

    >>> _capitalised('snapshot "a" is pseudonymised')
    'Snapshot "a" is pseudonymised.'
    """
    return sentence[:1].upper() + sentence[1:] + ("" if sentence.endswith(".") else ".")


def cause_caveat(rows: tuple[Effect, ...]) -> str:
    """What a difference between the two groups does not show, said where the difference is
    ("" when no cohort figure is shown).

    >>> cause_caveat(())
    ''
    """
    if not any(e.did is not None for e in rows):
        return ""
    return f"{about_cause()} The tests ask only whether these two groups differ by more than chance."


def reading_key(*, ranges: bool = True) -> str:
    """How to read the likely ranges and p-values of the findings, in plain words; the p-values
    alone when no likely range was computed (``ranges``).

    >>> print(reading_key())  # doctest: +NORMALIZE_WHITESPACE
    Likely range: the differences the data are consistent with (95% confidence interval, CI). p: how
    often chance alone would give a difference this large were there none; under 0.05 the page calls
    it unlikely to be chance.
    """
    p = (
        "p: how often chance alone would give a difference this large were there none; "
        f"under {significance_level():g} the page calls it unlikely to be chance."
    )
    if not ranges:
        return p
    return (
        f"Likely range: the differences the data are consistent with ({confidence_level()} confidence "
        f"interval, CI). {p}"
    )
