"""Survey non-response, relation by relation: who left which relation's ties unobserved.

A survey observes the ties of the relations it asks about, and only those its
respondents name. A person is a *non-respondent for relation R* when at least one
survey of the snapshot asks about R and they answered none of the surveys that do;
a relation no survey asks about (e-mail, co-membership, a tie list) is observed for
everyone, so nobody is a non-respondent there. A snapshot keeps these sets as
``{relation: person ids}`` (:attr:`leadnet.model.Snapshot.non_respondents`), one key
per surveyed relation, an empty tuple when everyone answered. ``summary.json`` counts
each surveyed relation's respondents (:func:`with_response`); a relation no survey asked
about has no such count (null, with the reason), not "everyone answered".
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

NonRespondents = Mapping[str, tuple[str, ...]]
"""Relation → the people who answered none of its surveys (sorted); one key per surveyed relation."""


def by_relation(
    everyone: Iterable[str], surveys: Iterable[tuple[Collection[str], Collection[str]]]
) -> dict[str, tuple[str, ...]]:
    """Each surveyed relation's non-respondents: of ``everyone``, who answered none of its surveys.

    ``surveys`` holds, for each survey, the relations it asks about and the people who did
    not answer it.

    Examples
    --------
    ``b`` answered the advice survey but not the trust survey; ``c`` answered neither:

    >>> by_relation("abc", [(["advice"], ["c"]), (["trust"], ["b", "c"])])
    {'advice': ('c',), 'trust': ('b', 'c')}

    Two surveys of one relation: silent only when silent in both.

    >>> by_relation("abc", [(["advice"], ["b", "c"]), (["advice"], ["c"])])
    {'advice': ('c',)}
    """
    people = set(everyone)
    silent: dict[str, set[str]] = {}
    for relations, missing in surveys:
        for relation in relations:
            silent[relation] = silent.get(relation, people) & set(missing)
    return {relation: tuple(sorted(ids)) for relation, ids in sorted(silent.items())}


def from_saved(
    saved: object, survey_relations: Collection[str], primary: str | None
) -> dict[str, tuple[str, ...]]:
    """The non-respondents a ``snapshot.json`` records, by relation.

    Format 2 saves the mapping itself. Format 1 saved one flat list: the people who
    answered none of the snapshot's surveys. It is given to each relation a survey supplied
    (``survey_relations``, from the provenance), exactly the old sets where the surveys
    asked about one relation (where they asked about several, a person who skipped only
    one survey is not in the list, as they were not then); to the ``primary`` relation when
    no survey is recorded (a snapshot built by hand, whose list the old analysis applied
    there).

    >>> from_saved(["c"], {"advice", "trust"}, "email")
    {'advice': ('c',), 'trust': ('c',)}
    >>> from_saved(["c"], set(), "advice"), from_saved([], set(), "advice")
    ({'advice': ('c',)}, {})
    >>> from_saved({"advice": ["c"]}, set(), None)
    {'advice': ('c',)}
    """
    if isinstance(saved, Mapping):
        return {str(relation): tuple(sorted(map(str, ids))) for relation, ids in sorted(saved.items())}
    if not isinstance(saved, list):
        raise TypeError(f"non_respondents must be a mapping or a list. Got {type(saved).__name__} instead.")
    ids = tuple(sorted(map(str, saved)))
    relations = sorted(survey_relations) or ([primary] if primary is not None and ids else [])
    return dict.fromkeys(relations, ids)


RESPONSE_KEYS: tuple[str, ...] = ("n_respondents", "n_non_respondents", "response_rate")
"""A relation's response counts in ``summary.json`` (``relations[...]``; the first two at the top too)."""


def not_surveyed(relation: str | None) -> str:
    """Why a relation has no response counts: no survey asked about it.

    >>> print(not_surveyed("email"))  # doctest: +NORMALIZE_WHITESPACE
    no survey asked about "email", so there are no answers to count (e-mail, membership and tie-list
    relations are observed, not answered)
    >>> print(not_surveyed(None))
    no primary relation (the snapshot has no ties), so there are no answers to count
    """
    if relation is None:
        return "no primary relation (the snapshot has no ties), so there are no answers to count"
    return (
        f'no survey asked about "{relation}", so there are no answers to count (e-mail, membership and '
        "tie-list relations are observed, not answered)"
    )


def with_response(
    figures: Mapping[str, Any], n_people: int, non_respondents: NonRespondents, relation: str | None
) -> dict[str, Any]:
    """A relation's ``figures`` with its :data:`RESPONSE_KEYS` added, and ``reasons`` for those null.

    Of the ``n_people`` (the roster's people, whom a survey could ask: the whole organisation, never a
    group below the privacy floor, nor the pooled outside world of e-mail), those who answered a
    survey of ``relation``, those who answered none, and the share who answered;
    all null where no survey asked about ``relation`` (:func:`not_surveyed`).

    Examples
    --------
    >>> silent = {"advice": ("c",), "trust": ("b", "c")}
    >>> with_response({"reasons": {}}, 5, silent, "trust")
    {'n_respondents': 3, 'n_non_respondents': 2, 'response_rate': 0.6, 'reasons': {}}
    >>> email = with_response({"reasons": {}}, 5, silent, "email")
    >>> email["response_rate"], email["reasons"]["response_rate"] == not_surveyed("email")
    (None, True)
    """
    reasons = dict(figures.get("reasons") or {})
    counts: dict[str, Any] = dict.fromkeys(RESPONSE_KEYS)
    if relation is not None and relation in non_respondents:
        silent = len(non_respondents[relation])
        rate = (n_people - silent) / n_people if n_people else None
        counts.update(n_respondents=n_people - silent, n_non_respondents=silent, response_rate=rate)
        if rate is None:
            reasons["response_rate"] = "no people in the snapshot"
    else:
        reasons.update(dict.fromkeys(RESPONSE_KEYS, not_surveyed(relation)))
    return {**{k: v for k, v in figures.items() if k != "reasons"}, **counts, "reasons": reasons}


def survey_of(relation: str | None) -> str:
    """The survey a non-respondent did not answer, named by its relation where known.

    >>> survey_of("advice"), survey_of(None)
    ('the advice survey', 'the survey')
    """
    return f"the {relation} survey" if relation else "the survey"


LOW_RESPONSE_RATE = 0.5
"""Below this share of the roster answering the primary relation's survey the report warns that its
figures describe the few who answered. Under one half, non-respondents outnumber respondents:
most people's own ties are unseen, and the ties seen are a minority's view. Network measures
drift further from the whole network's as more people are missing (Borgatti, Carley & Krackhardt
2006; Smith & Moody 2013), centralisation and betweenness fastest; the figures are still those of
the ties observed, so they are shown (not null) with the warning."""


def low_response(summary: Mapping[str, Any]) -> str | None:
    """The warning for a primary relation whose survey fewer than :data:`LOW_RESPONSE_RATE` of the
    roster answered (None when more did, or when no survey asked about it), from the counts of
    ``summary.json``.

    >>> print(low_response({"relation": "advice", "n_respondents": 1, "n_non_respondents": 599}))
    ... # doctest: +NORMALIZE_WHITESPACE
    Only 1 of 600 people (0.2%) answered the advice survey: the figures of this report describe the
    ties those few named, not how the whole organisation works. With fewer than half answering, most
    people's own ties are unseen, and network measures drift far from the whole network's (Smith &
    Moody 2013). Read them with great caution, or survey again.
    >>> low_response({"relation": "advice", "n_respondents": 552, "n_non_respondents": 48}) is None
    True
    >>> low_response({"relation": "email", "n_respondents": None, "n_non_respondents": None}) is None
    True
    """
    done, silent = summary.get("n_respondents"), summary.get("n_non_respondents")
    if not isinstance(done, int) or not isinstance(silent, int) or done + silent == 0:
        return None
    rate = done / (done + silent)
    if rate >= LOW_RESPONSE_RATE:
        return None
    return (
        f"Only {done:,} of {done + silent:,} people ({100 * rate:.1f}%) answered "
        f"{survey_of(summary.get('relation'))}: the figures of this report describe the ties those few "
        "named, not how the whole organisation works. With fewer than half answering, most people's own "
        "ties are unseen, and network measures drift far from the whole network's (Smith & Moody 2013). "
        "Read them with great caution, or survey again."
    )


def non_response_note(n_silent: int, n_people: int, relation: str | None = None) -> str | None:
    """``methods["non_respondents"]``: what the non-respondents of ``relation``'s surveys (the primary
    relation's) leave unmeasured, of the ``n_people`` the roster lists (None: nobody, or no survey asked
    about the relation)."""
    if not n_silent:
        return None
    return (
        f"{n_silent:,} of {n_people:,} people did not answer {survey_of(relation)}: the ties they would have "
        "named are unknown, so their brokerage (counts and z), constraint and effective size are null, not "
        "computed from the ties others named (their in-degree counts those). Everyone else's figures use "
        "the ties reported: two-paths that begin with a non-respondent are unobserved, so brokerage counts "
        "are lower bounds, and the brokerage null model counts the unreported ties as absent, which tends "
        "to raise z; nothing is imputed (Kossinets 2006; Huisman 2009)."
    )
