"""The roster's reporting lines: each ``manager_id`` resolved to the person it names, or left empty.

A manager_id is any spelling of a roster person (id, e-mail, alias: a
:class:`~leadnet.importers.identity.Resolver` over the roster). One that names nobody on the roster:

- is a problem of its row (``unknown-manager``, naming the line, the column and the id meant: the
  run stops; ``leadnet validate`` keeps the person, their manager empty) when it is a
  roster spelling written differently: letter case, punctuation or leading zeros (``E166`` for
  ``E0166``, ``166`` for ``0166``: :func:`~leadnet.near_ids.fold_id`), or an alias two
  people share. Left empty, it would take the reports from the manager it means, who would then
  manage no one (``is_manager`` false) and could be labelled an informal leader; the fix is one cell;
- is kept, its manager left empty and counted ``unknown-manager``, in any other case: a manager outside
  the export (a board chair, a vacancy, someone who has left) must not stop the run. A
  :class:`~leadnet.errors.LeadnetWarning` names each such id with its lines and the closest roster id,
  so that a typo the rule above cannot tell from an outsider is still seen (``leadnet validate``
  shows it too).

No message names someone who opted out, nor passes over them to name another: a manager_id written as
theirs but for letter case, punctuation or leading zeros is a problem of its row that names no one
(:data:`~leadnet.near_ids.NEAR_UNNAMED`), and one outside the roster as like theirs as the closest
roster id is warned of naming no one (:data:`~leadnet.near_ids.LIKE_UNNAMED`), as
:func:`~leadnet.near_ids.nearest` has it for any other unknown id (the resolver knows their spellings).
A manager who opted out is left empty and counted ``manager-excluded``, a person who is their own manager
``self-manager``, and a manager whose own roster row was rejected ``unknown-manager``, with no warning:
that row's problem is reported. Read by :func:`~leadnet.importers.people.load_people`.
"""

from __future__ import annotations

import warnings
from collections.abc import Collection

import pandas as pd

from leadnet.errors import MAX_LISTED, LeadnetWarning, RowIssue, lines_listed
from leadnet.importers.identity import SUGGEST_LIMIT, Resolver, normalise_id, per_distinct
from leadnet.importers.result import add_counts
from leadnet.near_ids import NEAR_UNNAMED, did_you_mean

"""The fix of a mistyped manager_id when no roster id may be named (``Resolver.unsuggested``)."""


def check_managers(
    frame: pd.DataFrame,
    resolver: Resolver,
    lines: pd.Series,
    *,
    where: tuple[str, str],
    excluded_keys: Collection[str],
    on_roster: Collection[str],
    counts: dict[str, int],
) -> tuple[pd.DataFrame, list[RowIssue], dict[str, int]]:
    """``frame`` with each ``manager_id`` resolved by ``resolver`` to a person_id, or blank; the problems.

    ``lines`` are the rows' physical lines, ``where`` the file and the manager column's header,
    ``on_roster`` the normal form of every id on the roster file (rejected rows' too). See the module
    docstring for which manager_id that names nobody is which.

    Examples
    --------
    >>> import warnings
    >>> people = pd.DataFrame({"person_id": ["E0166", "E0040", "E0041"], "manager_id": ["", "E166", "X1"]})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     frame, issues, counts = check_managers(
    ...         people, Resolver(people), pd.Series([2, 3, 4]), where=("people.csv", "manager"),
    ...         excluded_keys=(), on_roster=(), counts={})
    >>> print(issues[0])
    people.csv line 3, column "manager": manager "E166" is not on the roster (did you mean "E0166"? Left \
as it is, "E0166" would not be this person's manager) [unknown-manager]
    >>> frame["manager_id"].tolist(), counts
    (['', '', ''], {'unknown-manager': 1})
    >>> print(caught[0].message)  # doctest: +ELLIPSIS
    people.csv: 1 manager_id names nobody on the roster: "X1" (line 4), so 1 person has no manager ...
    """
    key = per_distinct(frame["manager_id"], normalise_id)
    resolved = resolver.resolve_series(key)
    given = key != ""
    excluded = given & key.isin(list(excluded_keys))
    unknown = given & resolved.isna() & ~excluded
    self_managed = given & (resolved == frame["person_id"])
    renamed = given & resolved.notna() & (resolved != frame["manager_id"])
    missing = unknown & ~key.isin(list(on_roster))  # not on a rejected row either
    issues = _mistyped(frame["manager_id"], key, missing, resolver, lines, where)
    outside = missing & ~lines.isin([issue.line for issue in issues])
    _warn_outside(frame["manager_id"][outside], lines[outside], resolver, where)
    counts = add_counts(
        counts,
        {
            "unknown-manager": int(unknown.sum()) - len(issues),
            "manager-excluded": int(excluded.sum()),
            "self-manager": int(self_managed.sum()),
            "id-normalised": int(renamed.sum()),
        },
    )
    manager = resolved.where(given & resolved.notna() & ~self_managed, "")
    return frame.assign(manager_id=manager.astype(object)), issues, counts


def _mistyped(
    raw: pd.Series,
    key: pd.Series,
    unknown: pd.Series,
    resolver: Resolver,
    lines: pd.Series,
    where: tuple[str, str],
) -> list[RowIssue]:
    """``unknown-manager`` for each manager_id among ``unknown`` that is a roster spelling written
    differently, or an alias two people share."""
    issues = []
    for text, pid, line in zip(raw[unknown], key[unknown], lines[unknown], strict=True):
        shown = str(text).strip()
        shared = resolver.ambiguous.get(pid)
        meant = resolver.near(pid)
        if shared:
            named = f"{len(shared):,} people" if resolver.unsuggested else ", ".join(f'"{p}"' for p in shared)
            detail, hint = f'manager "{shown}" names {named} on the roster', "use the manager's person_id"
        elif meant is not None:
            detail = f'manager "{shown}" is not on the roster'
            hint = _meant_hint(pid, meant, resolver.unsuggested)
        else:
            continue
        if resolver.unsuggested:
            hint = f"{hint}; {resolver.unsuggested}"
        issues.append(RowIssue(where[0], int(line), "unknown-manager", detail, column=where[1], hint=hint))
    return issues


def _meant_hint(text: str, meant: str, unsuggested: str | None) -> str:
    """The fix of a manager_id that is the roster id ``meant`` written differently."""
    if unsuggested:
        return f"{NEAR_UNNAMED}: correct it"
    return did_you_mean(text, meant, f'left as it is, "{meant}" would not be this person\'s manager')


def _warn_outside(raw: pd.Series, lines: pd.Series, resolver: Resolver, where: tuple[str, str]) -> None:
    """Name each manager_id that names nobody on the roster and no roster id written differently,
    with its lines and the closest roster id: a :class:`~leadnet.errors.LeadnetWarning`."""
    if raw.empty:
        return
    by_id: dict[str, list[int]] = {}
    for text, line in zip(raw, lines, strict=True):
        by_id.setdefault(str(text).strip(), []).append(int(line))
    listed = []
    for i, (text, found) in enumerate(by_id.items()):
        if i == MAX_LISTED:
            listed.append(f"and {len(by_id) - MAX_LISTED:,} more")
            break
        guess = resolver.suggest(text) if i < SUGGEST_LIMIT else None
        listed.append(
            f'"{text}" ({lines_listed(found)}' + (f"; {did_you_mean(text, guess)})" if guess else ")")
        )
    ids = "1 manager_id names" if len(by_id) == 1 else f"{len(by_id):,} manager_ids name"
    who = "1 person has" if len(raw) == 1 else f"{len(raw):,} people have"
    message = (
        f"{where[0]}: {ids} nobody on the roster: {', '.join(listed)}, so {who} no manager (counted "
        f"unknown-manager); nothing to do for a manager outside the roster (a board chair, a vacancy), "
        f'otherwise correct the id in column "{where[1]}": the manager it means is taken to manage no one'
    )
    warnings.warn(message, LeadnetWarning, stacklevel=3)
