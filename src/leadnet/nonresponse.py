"""Survey non-response, relation by relation: who left which relation's ties unobserved.

A survey observes the ties of the relations it asks about, and only those its
respondents name. A person is a *non-respondent for relation R* when at least one
survey of the snapshot asks about R and they answered none of the surveys that do;
a relation no survey asks about (e-mail, co-membership, a tie list) is observed for
everyone, so nobody is a non-respondent there. A snapshot keeps these sets as
``{relation: person ids}`` (:attr:`leadnet.model.Snapshot.non_respondents`), one key
per surveyed relation, an empty tuple when everyone answered.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

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


def survey_of(relation: str | None) -> str:
    """The survey a non-respondent did not answer, named by its relation where known.

    >>> survey_of("advice"), survey_of(None)
    ('the advice survey', 'the survey')
    """
    return f"the {relation} survey" if relation else "the survey"


def non_response_note(n_silent: int, n_people: int, relation: str | None = None) -> str | None:
    """``methods["non_respondents"]``: what the non-respondents of ``relation``'s surveys (the primary
    relation's) leave unmeasured (None: nobody, or no survey asked about the relation)."""
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
