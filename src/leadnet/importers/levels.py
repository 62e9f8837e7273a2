"""The roster's levels ranked, 1 the top: by ``level_order``, or as numbers (``top_level``).

The levels the roster holds that ``level_order`` does not list are one problem of ``level_order``
(``unknown-level``, :func:`unlisted_levels`): each level with its people's count and first lines,
and the fix, to add them in their place (a level left out of the list is a gap in the list, not a
fault of each row holding it: rejecting those rows would reject every tie of their people too); the
people are kept, unranked, so ``leadnet validate`` checks the sources as ``analyse`` would read them
once the list is complete (``analyse`` stops at the problem). Without ``level_order``, a level that
is not a number where most are is ``bad-level`` (a typo such as ``5a`` must not unrank everyone),
and where most are not, no level is ranked and the people with one are counted ``level-unranked``.
Read by :func:`~leadnet.importers.people.load_people`.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import pandas as pd

from leadnet.errors import LeadnetWarning, RowIssue
from leadnet.importers.result import add_counts
from leadnet.importers.tables import parse_number
from leadnet.near_names import closest, question
from leadnet.toml_types import toml_literal

UNLISTED = "unknown-level"
"""The code of the problem of the levels ``level_order`` does not list (:func:`unlisted_levels`)."""
SHOWN = 3
"""The most lines of a level's people a message names (:func:`first_lines`)."""


def rank_levels(
    frame: pd.DataFrame,
    lines: pd.Series,
    level_order: Sequence[str] | None,
    top_level: str,
    where: tuple[str, str],
    counts: dict[str, int],
) -> tuple[list[RowIssue], dict[str, int]]:
    """Fill ``frame["level_rank"]`` in place; issues (in file and column ``where``) for levels not ranked.

    With ``level_order``: one issue for the levels it does not list (:func:`unlisted_levels`), whose
    people are kept unranked. Without: numbers are ranked; when most people's levels are numbers,
    each that is not is ``bad-level`` (a typo such as ``5a`` must not unrank everyone); when most
    are not, no level is ranked and the people with one are counted ``level-unranked``.
    """
    levels = frame["level"]
    given = levels != ""
    if level_order is not None:
        ranks = {str(label).strip(): i + 1 for i, label in enumerate(level_order)}
        frame["level_rank"] = pd.array(levels.map(ranks), dtype="Int64")
        unranked = given & frame["level_rank"].isna()
        if not unranked.any():
            return [], counts
        return [unlisted_levels(levels[unranked], lines[unranked], level_order, where)], counts
    ranks = numeric_ranks(levels[given], top_level)
    numeric = int(levels.isin(list(ranks)).sum())
    frame["level_rank"] = pd.array(levels.map(ranks), dtype="Int64")
    unranked = given & frame["level_rank"].isna()
    if numeric <= given.sum() - numeric:  # mostly text: leave every level unranked
        frame["level_rank"] = pd.array([pd.NA] * len(frame), dtype="Int64")
        return [], add_counts(counts, {"level-unranked": int(given.sum())})
    detail = f'level "{{}}" is not a number, but {numeric:,} of the {int(given.sum()):,} levels are'
    hint = "write it as a number, as the others are, or list every level in level_order"
    return [
        RowIssue(where[0], int(line), "bad-level", detail.format(level), column=where[1], hint=hint)
        for level, line in zip(levels[unranked], lines[unranked], strict=True)
    ], counts


def unlisted_levels(
    levels: pd.Series, lines: pd.Series, level_order: Sequence[str], where: tuple[str, str]
) -> RowIssue:
    """The one issue of the ``levels`` (at ``lines`` of file and column ``where``) that ``level_order``
    does not list: each with its people's count and first lines (and the listed level it most likely
    misspells, :func:`~leadnet.near_names.closest`: never one it differs from in its numbers only,
    ``Level 4`` for ``Level 5``), and the fix, to add them in their place, the whole list written out
    when the levels are numbers. Its ``line`` is None; :mod:`~leadnet.importers.roster` places it at
    ``level_order``'s line of ``leadnet.toml``.

    >>> issue = unlisted_levels(pd.Series(["5", "5", "Staf"]), pd.Series([2, 4, 9]),
    ...                         ["1", "2", "Staff"], ("people.csv", "band"))
    >>> print(issue)  # doctest: +NORMALIZE_WHITESPACE
    people.csv: level_order lists "1", "2", "Staff", but column "band" of people.csv also holds "5"
    (2 people: lines 2, 4) and "Staf" (1 person: line 9; did you mean "Staff"?) (add each level to
    level_order in its place, top first, or correct the rows of a misspelt one) [unknown-level]
    """
    listed = [str(label).strip() for label in level_order]
    found = pd.DataFrame({"level": levels.to_numpy(), "line": lines.to_numpy()}).groupby("level", sort=False)
    parts, misspelt = [], False
    for level, rows in found:
        close = closest(str(level), listed)
        misspelt |= bool(close)
        n, at = len(rows), first_lines(rows["line"])
        people = "1 person" if n == 1 else f"{n:,} people"
        meant = f"; {question(close)}" if close else ""
        parts.append(f'"{level}" ({people}: {at}{meant})')
    order = ", ".join(f'"{label}"' for label in listed)
    held = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    detail = f'level_order lists {order}, but column "{where[1]}" of {where[0]} also holds {held}'
    return RowIssue(
        where[0], None, UNLISTED, detail, hint=_unlisted_fix(listed, list(found.groups), misspelt)
    )


def first_lines(lines: pd.Series) -> str:
    """The first :data:`SHOWN` of ``lines``, the rest counted.

    >>> first_lines(pd.Series([4])), first_lines(pd.Series([4, 9, 12, 15, 20]))
    ('line 4', 'lines 4, 9, 12 and 2 more')
    """
    n, shown = len(lines), [str(int(line)) for line in lines[:SHOWN]]
    return (
        ("line " if n == 1 else "lines ")
        + ", ".join(shown)
        + (f" and {n - SHOWN:,} more" if n > SHOWN else "")
    )


def warn_blank_levels(levels: pd.Series, lines: pd.Series, where: tuple[str, str]) -> None:
    """Warn once of the people whose ``levels`` are blank (at ``lines`` of file and column ``where``)
    where others have one: figures by level leave them out (``n_unknown_level`` in ``summary.json``).
    A roster with no level at all is not warned of: its levels are not given, not missing.

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_blank_levels(pd.Series(["1", "", "2", ""]), pd.Series([2, 3, 4, 5]), ("hr.csv", "band"))
    >>> print(caught[0].message)  # doctest: +NORMALIZE_WHITESPACE
    hr.csv: 2 of the 4 people have no level in column "band" (lines 3, 5), so figures by level leave
    them out (the shares outside the top levels, the table by level, the correlation of level with
    influence; counted as n_unknown_level in summary.json); fill in their level
    """
    blank = levels.eq("")
    if not blank.any() or blank.all():
        return
    n = int(blank.sum())
    who = f"1 of the {len(levels):,} people has" if n == 1 else f"{n:,} of the {len(levels):,} people have"
    warnings.warn(
        f'{where[0]}: {who} no level in column "{where[1]}" ({first_lines(lines[blank])}), so figures by '
        "level leave them out (the shares outside the top levels, the table by level, the correlation "
        "of level with influence; counted as n_unknown_level in summary.json); fill in their level",
        LeadnetWarning,
        stacklevel=3,
    )


def _unlisted_fix(listed: list[str], missing: list[str], misspelt: bool) -> str:
    """How to complete ``level_order``: add the ``missing`` levels in their place (the whole list in
    order when every level is a number listed in order), or correct the rows of a ``misspelt`` one.

    >>> _unlisted_fix(["1", "2"], ["3"], False)
    'add "3" to level_order in its place, top first: level_order = ["1", "2", "3"]'
    """
    one = len(missing) == 1
    what = f'"{missing[0]}"' if one else "each level"
    fix = f"add {what} to level_order in its place, top first"
    numbers = _numbers(listed + missing)
    if not misspelt and numbers is not None:
        head = numbers[: len(listed)]
        for falling in (False, True):  # the listed numbers rising (1 the top) or falling
            if head == sorted(head, reverse=falling):
                pairs = sorted(zip(numbers, listed + missing, strict=True), reverse=falling)
                fix += f": level_order = {toml_literal([label for _, label in pairs])}"
                break
    return fix + (", or correct the rows of a misspelt one" if misspelt else "")


def _numbers(labels: list[str]) -> list[float] | None:
    """Each label as a number, or None when one is not."""
    try:
        return [parse_number(label) for label in labels]
    except ValueError:
        return None


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
