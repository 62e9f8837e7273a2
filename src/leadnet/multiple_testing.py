"""p-values adjusted for a family of tests read together: Holm's step-down procedure.

One p-value below 0.05 among thirty is no evidence: under no effect at all, thirty
independent tests give at least one such p about four times in five (1 − 0.95³⁰ = 0.79).
Adjusted p-values keep that chance, for the whole family, at 0.05 or less. Used for the
E-I test of every unit of a network (:mod:`leadnet.silos`) and for the programme page's
secondary measures (:mod:`leadnet.gatekeeping`).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping
from decimal import Decimal
from typing import TypeVar

from leadnet.errors import InputError

__all__ = ["holm"]

Test = TypeVar("Test", bound=Hashable)


def holm(p_values: Mapping[Test, float], withheld: Collection[Test] = ()) -> dict[Test, float]:
    """Holm's step-down adjusted p-values of a family of tests, keyed as given.

    Sorted from the smallest, the i-th of m p-values (i from 1) is multiplied by
    m − i + 1, raised to the largest product before it and capped at 1. Reading
    "adjusted p < 0.05" as a difference is Holm's procedure at 0.05: the chance that it
    calls any true null of the family a difference is at most 0.05, however the tests
    depend on each other. An adjusted p is never below its own p, never above 1, and the
    adjusted p-values keep the order of the raw ones; equal p-values get equal adjusted ones.

    ``withheld`` names tests of the family whose p-values are not to be shown (a group
    under the privacy floor): they count with p = 1, whatever theirs, and get no adjusted
    value. The values returned then depend on them only through their number, so none
    gives a withheld p back (with it, a shown value could be m × the withheld p). Holm's
    adjusted p never falls when a p-value of the family rises, so each is at least Holm's
    over the true p-values and keeps the 0.05 guarantee over the whole family.

    Examples
    --------
    Four tests: 0.005 × 4 = 0.02, 0.01 × 3 = 0.03, 0.03 × 2 = 0.06, and 0.04 × 1 = 0.04
    raised to the 0.06 before it:

    >>> holm({"a": 0.01, "b": 0.04, "c": 0.03, "d": 0.005})
    {'a': 0.03, 'b': 0.06, 'c': 0.06, 'd': 0.02}

    d withheld, so 1 in its place: a is the smallest of four (0.01 × 4 = 0.04), c next
    (0.03 × 3 = 0.09), and b 0.04 × 2 = 0.08 raised to c's 0.09:

    >>> holm({"a": 0.01, "b": 0.04, "c": 0.03, "d": 0.005}, withheld={"d"})
    {'a': 0.04, 'b': 0.09, 'c': 0.09}

    One test alone is not adjusted, and a product above 1 is 1:

    >>> holm({"only": 0.04}), holm({1: 0.6, 2: 0.7})
    ({'only': 0.04}, {1: 1.0, 2: 1.0})

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
    Journal of Statistics* 6(2), 65–70.
    """
    hidden = set(withheld)
    if unknown := hidden.difference(p_values):
        raise InputError(
            f"`withheld` must name tests of the family. Got {', '.join(sorted(map(repr, unknown)))} instead."
        )
    family = {test: 1.0 if test in hidden else p for test, p in p_values.items()}
    for test, p in family.items():
        if not 0.0 <= p <= 1.0:  # a NaN fails this too: it would sort anywhere
            raise InputError(f"p-values must be numbers from 0 to 1. Got {p!r} for {test!r} instead.")
    ascending = sorted(family, key=lambda test: family[test])  # stable: equal p-values keep their order
    adjusted: dict[Test, float] = {}
    largest = 0.0
    for i, test in enumerate(ascending):
        largest = max(largest, min(1.0, _times(family[test], len(ascending) - i)))
        adjusted[test] = largest
    return {test: adjusted[test] for test in p_values if test not in hidden}


def _times(p: float, k: int) -> float:
    """``k × p`` worked on ``p`` as Python writes it, then made a float again: 3 × 0.07 is 0.21, not
    the float product 0.21000000000000002, and 1 × p is ``p`` itself (rounding the float product to
    12 decimals, as this once did, made a family of one give 0.627805116188 for 0.6278051161883734,
    an adjusted p below its own).

    >>> _times(0.07, 3), 0.07 * 3, _times(0.6278051161883734, 1)
    (0.21, 0.21000000000000002, 0.6278051161883734)
    """
    return float(Decimal(repr(float(p))) * k)
