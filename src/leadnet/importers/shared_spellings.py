"""Spellings two roster people share: an e-mail address (or alias) on the rows of two people names neither.

Two outcomes, read by :func:`~leadnet.importers.people.load_people`:

- two rows with the same name and the same e-mail address are one person under two ids
  (:func:`same_person_issues`): the later row is rejected, ``duplicate-person``, naming the earlier
  row's line and id. Kept, the copy is a person with no tie, and the one it copies loses every
  message and nomination by address;
- any other shared spelling (a shared mailbox, a job share, a team address) is kept and named in a
  :class:`~leadnet.errors.LeadnetWarning` with the lines of the people who share it
  (:func:`warn_shared`): it resolves to nobody, so mail from or to it makes no tie (counted
  ``ambiguous-sender`` and ``ambiguous-address`` by the e-mail importer, not as an address that is
  not on the roster) and a source row naming it is rejected ``ambiguous-person``.
"""

from __future__ import annotations

import warnings

import pandas as pd

from leadnet.errors import MAX_LISTED, LeadnetWarning, RowIssue, lines_listed
from leadnet.importers.identity import Resolver, normalise_id


def same_person_issues(frame: pd.DataFrame, lines: pd.Series, file: str) -> list[RowIssue]:
    """``duplicate-person`` for each row whose name and e-mail address (both given) an earlier row
    of another id has: one person twice. ``frame`` holds ``person_id``, ``name`` and ``email``.

    >>> people = pd.DataFrame({"person_id": ["E0002", "E9002"], "name": ["Tariq Taylor", "Tariq Taylor "],
    ...                        "email": ["t@x.org", "T@X.org"]})
    >>> issue = same_person_issues(people, pd.Series([3, 602]), "people.csv")[0]
    >>> print(issue)  # doctest: +NORMALIZE_WHITESPACE
    people.csv line 602, column "person_id": person "E9002" has the name and e-mail address of "E0002"
    on line 3 (one person is on the roster twice: remove one row, or correct the other's name or
    address) [duplicate-person]
    """
    if "name" not in frame or "email" not in frame:
        return []
    name = frame["name"].fillna("").astype(str).str.strip().str.casefold()
    email = frame["email"].fillna("").astype(str).map(normalise_id)
    given = (name != "") & (email != "")
    pair = pd.DataFrame({"name": name, "email": email})[given]
    repeat = pair.duplicated(keep="first")
    if not repeat.any():
        return []
    first = pd.DataFrame({"id": frame["person_id"], "line": lines})[given].groupby(
        [pair["name"], pair["email"]]
    )
    earliest = first.first()
    fix = "one person is on the roster twice: remove one row, or correct the other's name or address"
    issues = []
    for index in repeat[repeat].index:
        earlier, at = earliest.loc[(pair.at[index, "name"], pair.at[index, "email"])]
        pid = frame.at[index, "person_id"]
        detail = f'person "{pid}" has the name and e-mail address of "{earlier}" on line {at}'
        issues.append(
            RowIssue(file, int(lines[index]), "duplicate-person", detail, column="person_id", hint=fix)
        )
    return issues


def warn_shared(resolver: Resolver, lines: pd.Series, file: str) -> None:
    """Name each spelling (e-mail address, alias) of ``resolver`` that two roster people share, with
    the lines of their rows (``lines``, by person_id): a :class:`~leadnet.errors.LeadnetWarning`. Only
    the lines when no roster spelling may be named (``resolver.unsuggested``).

    >>> people = pd.DataFrame({"person_id": ["1", "2", "3"],
    ...                        "email": ["team@x.org", "Team@x.org", "c@x.org"]})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_shared(Resolver(people), pd.Series([2, 3, 4], index=["1", "2", "3"]), "people.csv")
    >>> print(caught[0].message)  # doctest: +NORMALIZE_WHITESPACE
    people.csv: 1 e-mail address or alias is on the rows of two or more people, so it names none of
    them: "team@x.org" (lines 2, 3); mail from or to it makes no tie (counted ambiguous-sender and
    ambiguous-address) and a source row naming it is rejected (ambiguous-person): right for a shared
    mailbox, otherwise give each person their own
    """
    shared = sorted(resolver.ambiguous.items(), key=lambda item: (min(lines[p] for p in item[1]), item[0]))
    if not shared:
        return
    listed = []
    for spelling, people in shared[:MAX_LISTED]:
        where = lines_listed(sorted(int(lines[p]) for p in people))
        listed.append(where if resolver.unsuggested else f'"{spelling}" ({where})')
    if len(shared) > MAX_LISTED:
        listed.append(f"and {len(shared) - MAX_LISTED:,} more")
    what = (
        "1 e-mail address or alias is"
        if len(shared) == 1
        else f"{len(shared):,} e-mail addresses or aliases are"
    )
    them = "it names" if len(shared) == 1 else "each names"
    message = (
        f"{file}: {what} on the rows of two or more people, so {them} none of them: {', '.join(listed)}; "
        "mail from or to it makes no tie (counted ambiguous-sender and ambiguous-address) and a source row "
        "naming it is rejected (ambiguous-person): right for a shared mailbox, otherwise give each person "
        "their own"
    )
    warnings.warn(message, LeadnetWarning, stacklevel=3)
