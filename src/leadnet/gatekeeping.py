"""How the five DiDs of a programme are judged together: serial gatekeeping, then Holm.

Cross-unit ties are the primary outcome, tested first at the level of significance (0.05) on their own
p-value. Only when it is rejected are the four secondary measures tested, on p-values adjusted
together by Holm's method (:func:`leadnet.multiple_testing.holm`, shared with the units' E-I
tests); otherwise none of them is judged. Testing in this fixed order keeps the chance of calling
any of the five a difference when there is none at that level or less. The level is
not set here: it is 1 − :data:`leadnet.group_differences.CONFIDENCE`, the level of the intervals
printed beside the verdicts, read when the verdicts are made
(:func:`~leadnet.group_differences.significance_level`), so the two always agree.
``comparison.json`` keeps each raw ``p_value`` and, beside it, what is decided here
(:func:`verdicts`): ``p_holm`` and ``verdict``; the report words the same judgements
(:func:`leadnet.report.findings.did_sentence`).

References
----------
Dmitrienko, A. & Tamhane, A. C. (2007). Gatekeeping procedures with clinical trial
applications. *Pharmaceutical Statistics* 6(3), 171–180.

Bretz, F., Maurer, W., Brannath, W. & Posch, M. (2009). A graphical approach to sequentially
rejective multiple test procedures. *Statistics in Medicine* 28(4), 586–604.

U.S. Food and Drug Administration (2022). *Multiple Endpoints in Clinical Trials: Guidance
for Industry*.

Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
Journal of Statistics* 6(2), 65–70.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from leadnet.group_differences import can_judge, significance_level
from leadnet.multiple_testing import holm

PRIMARY = "cross_unit_out_ties"  # the primary outcome; every other person metric is secondary


@dataclass(frozen=True)
class Judgement:
    """What one measure's verdict rests on.

    Attributes
    ----------
    p
        The p-value the verdict rests on: the primary measure's own, a secondary measure's
        Holm-adjusted one; ``None`` when the measure is not judged.
    adjusted
        Whether ``p`` is Holm-adjusted.
    held
        Why a secondary measure is not judged: ``"chance"`` when the primary measure showed no
        difference beyond chance, ``"untested"`` when it has no p-value; why no measure is,
        ``"permutations"``: too few were run for any p to fall below the level; ``""`` when it is judged.
    """

    p: float | None
    adjusted: bool = False
    held: Literal["", "chance", "untested", "permutations"] = ""


def _p_value(effect: Any) -> float | None:
    """An effect's raw p-value; None when it has none, or none that is a finite number."""
    p = effect.get("p_value") if isinstance(effect, Mapping) else None
    if isinstance(p, bool) or not isinstance(p, int | float) or not math.isfinite(p):
        return None
    return float(p)


def judgements(cohort: Mapping[str, Any], permutations: int | None = None) -> dict[str, Judgement]:
    """The judgement of every DiD with a p-value: the primary first, the secondary ones after it;
    none judged when its tests ran too few ``permutations`` for any p to fall below the level.

    Examples
    --------
    The primary measure is rejected, so the secondary ones are judged on Holm-adjusted p-values
    (0.02 × 2 = 0.04, 0.41):

    >>> cohort = {"n_cohort": 50, "cross_unit_out_ties": {"did": 3.1, "p_value": 0.001},
    ...           "in_degree": {"did": 0.7, "p_value": 0.02}, "constraint": {"did": -0.06, "p_value": 0.41},
    ...           "ei_index": {"did": None, "p_value": None}}
    >>> for metric, judged in judgements(cohort).items():
    ...     print(metric, judged)
    cross_unit_out_ties Judgement(p=0.001, adjusted=False, held='')
    in_degree Judgement(p=0.04, adjusted=True, held='')
    constraint Judgement(p=0.41, adjusted=True, held='')

    It is not, so however small their own p-values, they are not judged:

    >>> cohort["cross_unit_out_ties"]["p_value"] = 0.2
    >>> judgements(cohort)["in_degree"]
    Judgement(p=None, adjusted=False, held='chance')

    With 19 permutations no p can fall below 0.05, so no measure is judged at all:

    >>> judgements(cohort, permutations=19)["cross_unit_out_ties"]
    Judgement(p=None, adjusted=False, held='permutations')
    """
    primary = _p_value(cohort.get(PRIMARY))
    secondary = {m: p for m, e in cohort.items() if m != PRIMARY and (p := _p_value(e)) is not None}
    if permutations is not None and not can_judge(permutations):
        tested = ([PRIMARY] if primary is not None else []) + list(secondary)
        return {m: Judgement(None, held="permutations") for m in tested}
    first = {} if primary is None else {PRIMARY: Judgement(primary)}
    if primary is not None and primary < significance_level():
        return first | {m: Judgement(p, adjusted=True) for m, p in holm(secondary).items()}
    held: Literal["chance", "untested"] = "untested" if primary is None else "chance"
    return first | {m: Judgement(None, held=held) for m in secondary}


BEYOND_CHANCE, COULD_BE_CHANCE, NOT_JUDGED = "beyond chance", "could be chance", "not judged"
TOO_FEW_PERMUTATIONS = "too few permutations"


def verdict(judged: Judgement | None) -> str | None:
    """A judgement as ``comparison.json``'s ``verdict``: ``"beyond chance"`` when the p it rests on
    is below the level, ``"could be chance"`` when not, ``"not judged"`` when the primary measure
    held it back, ``"too few permutations"`` when too few were run for any p to fall below the level;
    ``None`` for a measure with no p-value (withheld, or not computed).

    >>> verdict(Judgement(0.01)), verdict(Judgement(0.05, adjusted=True))
    ('beyond chance', 'could be chance')
    >>> verdict(Judgement(None, held="chance")), verdict(Judgement(None, held="permutations")), verdict(None)
    ('not judged', 'too few permutations', None)
    """
    if judged is None:
        return None
    if judged.held == "permutations":
        return TOO_FEW_PERMUTATIONS
    if judged.held:
        return NOT_JUDGED
    return BEYOND_CHANCE if judged.p is not None and judged.p < significance_level() else COULD_BE_CHANCE


def verdicts(cohort: Mapping[str, Any], permutations: int | None = None) -> dict[str, dict[str, Any]]:
    """The keys ``comparison.json`` adds to each DiD of ``cohort``: ``p_holm``, the Holm-adjusted p a
    secondary measure is judged on (``None`` for the primary, judged on its own ``p_value``, and for a
    measure not judged), and its ``verdict`` (:func:`verdict`), with ``judged_on`` the p it rests on;
    ``permutations`` as :func:`judgements` takes them.

    >>> cohort = {"n_cohort": 50, "cross_unit_out_ties": {"did": 3.1, "p_value": 0.001},
    ...           "in_degree": {"did": 0.7, "p_value": 0.02}, "constraint": {"did": -0.06, "p_value": 0.41},
    ...           "ei_index": {"did": None, "p_value": None}}
    >>> for metric, keys in verdicts(cohort).items():
    ...     print(metric, keys)
    cross_unit_out_ties {'p_holm': None, 'verdict': 'beyond chance', 'judged_on': 'p_value'}
    in_degree {'p_holm': 0.04, 'verdict': 'beyond chance', 'judged_on': 'p_holm'}
    constraint {'p_holm': 0.41, 'verdict': 'could be chance', 'judged_on': 'p_holm'}
    ei_index {'p_holm': None, 'verdict': None, 'judged_on': None}
    """
    judged = judgements(cohort, permutations)
    out: dict[str, dict[str, Any]] = {}
    for metric, effect in cohort.items():
        if not isinstance(effect, Mapping) or "did" not in effect:
            continue
        j = judged.get(metric)
        on = None if j is None or j.held else "p_holm" if j.adjusted else "p_value"
        out[metric] = {"p_holm": j.p if j is not None and j.adjusted else None, "verdict": verdict(j),
                       "judged_on": on}  # fmt: skip
    return out


def with_verdicts(cohort: dict[str, Any], permutations: int | None = None) -> dict[str, Any]:
    """``cohort`` with each DiD's :func:`verdicts` keys added after its own (nothing removed), its
    tests having run ``permutations``.

    >>> with_verdicts({"cross_unit_out_ties": {"did": 3.1, "p_value": 0.2}, "n_cohort": 50})
    ... # doctest: +NORMALIZE_WHITESPACE
    {'cross_unit_out_ties': {'did': 3.1, 'p_value': 0.2, 'p_holm': None, 'verdict': 'could be chance',
     'judged_on': 'p_value'}, 'n_cohort': 50}
    """
    added = verdicts(cohort, permutations)
    return {key: {**value, **added[key]} if key in added else value for key, value in cohort.items()}
