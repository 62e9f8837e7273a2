"""Numbers in table cells: only the forms a spreadsheet writes.

:func:`parse_number` reads the weight of a tie, a numeric level and any other number a
table's cell holds, with a decimal comma when asked (``2,5``), and refuses what Python's
``float`` would also take but no spreadsheet writes (``nan``, ``inf``, ``1_000``, non-ASCII
digits), so a stray value is reported rather than read as a number.
"""

from __future__ import annotations

import math
import re

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def parse_number(text: str, *, decimal_comma: bool = True) -> float:
    """Parse a finite number, accepting a decimal comma (``2,5``) when ``decimal_comma``.

    Only the forms a spreadsheet writes are numbers: ASCII digits with an optional sign,
    decimal point and exponent (``-1.5``, ``.5``, ``1E+03``). Raises ``ValueError`` for
    anything else, including what Python's ``float`` would also accept: ``nan``, ``inf``,
    ``infinity``, digit-group underscores (``1_000``) and non-ASCII digits.

    Examples
    --------
    >>> parse_number(" 2,5 "), parse_number("3"), parse_number("1.25"), parse_number("1E+03")
    (2.5, 3.0, 1.25, 1000.0)
    >>> parse_number("2,5", decimal_comma=False)
    Traceback (most recent call last):
    ...
    ValueError: "2,5" is not a number
    >>> parse_number("1_000")
    Traceback (most recent call last):
    ...
    ValueError: "1_000" is not a number
    """
    clean = text.strip()
    if decimal_comma and clean.count(",") == 1 and "." not in clean:
        clean = clean.replace(",", ".")
    try:
        value = float(clean)
    except ValueError:
        raise ValueError(f'"{text}" is not a number') from None
    if not math.isfinite(value):
        raise ValueError(f'"{text}" is not a finite number')
    if not _NUMBER.fullmatch(clean):  # float() also takes "1_000" and non-ASCII digits
        raise ValueError(f'"{text}" is not a number')
    return value
