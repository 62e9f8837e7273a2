"""The roster's levels ranked, 1 the top: by ``level_order``, or as numbers (``top_level``).

A level not in ``level_order`` is ``unknown-level``; without it, a level that is not a number where
most are is ``bad-level`` (a typo such as ``5a`` must not unrank everyone), and where most are not,
no level is ranked and the people with one are counted ``level-unranked``. Read by
:func:`~leadnet.importers.people.load_people`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from leadnet.errors import RowIssue
from leadnet.importers.result import add_counts
from leadnet.importers.tables import parse_number


def rank_levels(
    frame: pd.DataFrame,
    lines: pd.Series,
    level_order: Sequence[str] | None,
    top_level: str,
    where: tuple[str, str],
    counts: dict[str, int],
) -> tuple[list[RowIssue], dict[str, int]]:
    """Fill ``frame["level_rank"]`` in place; issues (in file and column ``where``) for levels not ranked.

    With ``level_order``: each level not in it (``unknown-level``). Without: numbers are
    ranked; when most people's levels are numbers, each that is not is ``bad-level`` (a
    typo such as ``5a`` must not unrank everyone); when most are not, no level is ranked
    and the people with one are counted ``level-unranked``.
    """
    levels = frame["level"]
    given = levels != ""
    if level_order is not None:
        ranks = {str(label).strip(): i + 1 for i, label in enumerate(level_order)}
        order = ", ".join(f'"{o}"' for o in level_order)
        detail, code, hint = 'level "{}" is not in level_order', "unknown-level", f"level_order is {order}"
    else:
        ranks = numeric_ranks(levels[given], top_level)
        numeric = int(levels.isin(list(ranks)).sum())
        if numeric <= given.sum() - numeric:  # mostly text: leave every level unranked
            ranks = {}
        detail = f'level "{{}}" is not a number, but {numeric:,} of the {int(given.sum()):,} levels are'
        code, hint = (
            "bad-level",
            "write it as a number, as the others are, or list every level in level_order",
        )
    frame["level_rank"] = pd.array(levels.map(ranks), dtype="Int64")
    unranked = given & frame["level_rank"].isna()
    if not ranks and level_order is None:
        return [], add_counts(counts, {"level-unranked": int(unranked.sum())})
    return [
        RowIssue(where[0], int(line), code, detail.format(level), column=where[1], hint=hint)
        for level, line in zip(levels[unranked], lines[unranked], strict=True)
    ], counts


def numeric_ranks(levels: pd.Series, top_level: str) -> dict[str, int]:
    """Each level that is a number → its rank (1 = the top: the smallest number, or the largest)."""
    numbers = {}
    for label in sorted(set(levels)):
        try:
            numbers[label] = parse_number(label)
        except ValueError:
            continue
    ordered = sorted(set(numbers.values()), reverse=top_level == "max")
    return {label: ordered.index(value) + 1 for label, value in numbers.items()}
