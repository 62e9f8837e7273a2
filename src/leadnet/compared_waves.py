"""Two snapshots that cannot be compared as given, refused before anything is compared.

- **The compared relation in both waves** (:func:`check_relation`): a wave with no tie of it
  (its relation written ``Advice`` where the other wave writes ``advice``, or a source's
  ``relation = "advise"``) would read every tie of the other wave as dissolved or formed.
  Refused naming the wave, what it holds with the files that gave it, and the value most
  likely meant (:mod:`leadnet.missing_relation`). Two waves without any tie at all compare
  nothing and are let through: their comparison shows no change, as it should.
- **The waves in order** (:func:`wave_order`): a BEFORE whose period begins after AFTER's
  would read every change backwards, so it is refused naming both periods and the fix;
  periods that overlap are a warning (the ties of the days they share are in both waves).
  An undated wave (a survey with no period given) cannot be placed, and is not checked; nor
  are two waves given one period alike (``[analysis] period_from``/``period_to``, stated
  once for every survey wave of a run). How the order was decided is recorded
  (:func:`order_basis`, ``comparison.json``'s ``order_basis``): by the periods, or as given.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from leadnet.errors import InputError
from leadnet.missing_relation import meant, relations_held

if TYPE_CHECKING:
    from leadnet.model import Period, Snapshot

ORDER_FIX = "give the earlier wave as before and the later one as after"
"""How to mend waves given the wrong way round, when the caller names no better fix."""
BY_PERIODS = "periods"
"""The order checked: before's period begins (or, with a start open, ends) no later than after's."""
AS_GIVEN = "as given"
"""The order not checked: a wave carries no date, or both the same stated period (one run's, say)."""


def _count(snapshot: Snapshot, relation: str) -> int:
    return int(snapshot.ties["relation"].eq(relation).sum())


def check_relation(before: Snapshot, after: Snapshot, relation: str | None, labels: tuple[str, str]) -> None:
    """Refuse a comparison of ``relation`` when a wave holds no tie of it (see the module).

    Raises
    ------
    InputError
        Naming each such wave (by its ``labels``), what its ties are instead, the ties of the
        other wave that would read as dissolved or formed, and the relation most likely meant.
    """
    waves = ((before, labels[0]), (after, labels[1]))
    if relation is None or all(snapshot.ties.empty for snapshot, _ in waves):
        return
    counts = [_count(snapshot, relation) for snapshot, _ in waves]
    missing = [i for i in (0, 1) if counts[i] == 0]
    if not missing:
        return
    said = [f'"{labels[i]}" holds {relations_held(waves[i][0])}' for i in missing]
    names = " and ".join(f'"{labels[i]}"' for i in missing)
    subject = f"snapshot {names} has" if len(missing) == 1 else f"snapshots {names} have"
    lost = ""
    if len(missing) == 1:
        other = 1 - missing[0]
        read_as = "dissolved" if missing[0] == 1 else "formed"
        lost = f', so all {counts[other]:,} "{relation}" ties of "{labels[other]}" would read as {read_as}'
    fix = meant(relation, [waves[i][0] for i in missing]) or (
        f'Give both waves the sources of their "{relation}" ties, or set [analysis] primary_relation '
        "to a relation both waves hold, and run leadnet analyse again"
    )
    raise InputError(f'{subject} no "{relation}" ties, the relation compared{lost}: {"; ".join(said)}. {fix}')


def order_basis(before: Period, after: Period) -> str:
    """How a comparison's order is decided: :data:`BY_PERIODS` when the two periods tell which
    wave came first (both starts known, or both ends), else :data:`AS_GIVEN`, the order the
    waves were given in.

    >>> from datetime import date
    >>> from leadnet.model import Period
    >>> spring, summer = Period(date(2026, 3, 1)), Period(date(2026, 6, 1))
    >>> order_basis(spring, summer), order_basis(Period(), summer)
    ('periods', 'as given')
    >>> run = Period(date(2026, 1, 1), date(2026, 6, 30), given="[analysis] period_from/period_to")
    >>> order_basis(run, run)  # one period stated for every wave of a run tells nothing of their order
    'as given'
    """
    if before.given and before == after:
        return AS_GIVEN
    starts = before.start is not None and after.start is not None
    ends = before.end is not None and after.end is not None
    return BY_PERIODS if starts or ends else AS_GIVEN


def wave_order(before: Snapshot, after: Snapshot, labels: tuple[str, str], fix: str = ORDER_FIX) -> list[str]:
    """Refuse waves given the wrong way round; warn of periods that overlap (see the module).

    Returns the warnings: one sentence when the periods overlap, none otherwise.

    Raises
    ------
    InputError
        When before's period begins after after's (when one start is open, when it ends after
        after's end), naming both periods and ``fix``.
    """
    b, a = before.period, after.period
    if b.given and b == a:  # the period a run stated for all its waves tells nothing of their order
        return []
    if b.start is not None and a.start is not None:
        swapped = b.start > a.start
    else:
        swapped = b.end is not None and a.end is not None and b.end > a.end
    shown = (f'"{labels[0]}" ({b})', f'"{labels[1]}" ({a})')
    if swapped:
        raise InputError(
            f"the waves are the wrong way round: {shown[0]}, compared as before, begins after {shown[1]}, "
            "compared as after, so every change would read backwards (a tie formed as dissolved, a gain "
            f"as a loss); {fix}"
        )
    if b.end is None or a.start is None or b.end < a.start:
        return []
    shared = _days(a.start, min(b.end, a.end) if a.end is not None else b.end)
    return [
        f"the waves overlap: {shown[0]} ends on {b.end}, after {shown[1]} begins, so the ties of the "
        f"{shared:,} day{'s' if shared != 1 else ''} they share are in both waves and part of any change "
        "is hidden; compare waves whose periods do not overlap"
    ]


def _days(start: date, end: date) -> int:
    return (end - start).days + 1
