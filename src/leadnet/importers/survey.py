"""Who-consults-whom surveys: respondents name colleagues (nominees).

A tie ``source → target`` means the respondent (source) named the nominee (target),
e.g. goes to them for advice, so in-degree is how sought-after someone is.

Layouts
-------
``long`` (one nomination per row)
    ``columns`` maps ``source`` (default header ``respondent``), ``target`` (default
    ``nominee``), and optionally ``relation`` (e.g. ``question``: each distinct value
    becomes a relation; a blank cell takes ``relation``) and ``weight`` (frequency or
    Likert score, a number > 0; decimal comma accepted when the delimiter is not a comma;
    blank = 1).
``wide`` (one respondent per row)
    ``columns`` maps ``source`` to the respondent header and ``targets`` to the nominee
    headers: a glob such as ``"nominee_*"`` or a list of headers. Every non-blank
    nominee cell is one nomination of relation ``relation``, weight 1. A row with any
    bad nominee is rejected as a whole (each row ends in exactly one place). A row whose
    respondent already answered on an earlier row is read, its nominations merged with
    the earlier row's as a long survey's would be, and counted ``respondent-repeated``
    (a second submission of the form, or one answer split over two rows: rejecting
    either row would drop nominations the respondent gave).

Outcomes are those of :mod:`leadnet.importers.ties`, plus: a respondent row with no
nominee is a respondent who named nobody (``no-nominations``, not a tie, not rejected),
but a file in which no row names anybody (a header alone, or every nominee cell blank)
is an :class:`~leadnet.errors.InputError` naming it (``empty-survey``);
roster people who never appear as respondent are ``non_respondents`` of every relation
the file's rows give (``relations``; a respondent with no nomination of one of them named
nobody there, as far as the file can tell). Repeated
nominations of the same (source, target, relation) become one tie whose weight is the
largest given and whose count is the number of rows (``duplicate-tie``): a repeated
answer is the same judgement, not a stronger one.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pandas as pd

from leadnet.errors import ConfigError, InputError, RowIssue
from leadnet.importers.accepted import aggregate
from leadnet.importers.columns import read_columns, warn_relation_unread, warn_weight_unread
from leadnet.importers.result import TieImport, add_counts, headers_read, input_record
from leadnet.importers.tables import Table
from leadnet.importers.ties import (
    TIE_DEFAULTS,
    as_resolver,
    check_total,
    long_observations,
    resolve_observations,
)

__all__ = ["TieImport", "load_survey"]

SURVEY_DEFAULTS = {**TIE_DEFAULTS, "source": "respondent", "target": "nominee"}


def load_survey(
    path: Path,
    resolver_or_people: object,
    *,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    relation: str = "advice",
    layout: str = "long",
    encoding: str | None = None,
    name: str | None = None,
) -> TieImport:
    """Read a survey of nominations into ties, respondents and non-respondents.

    ``resolver_or_people`` is a :class:`~leadnet.importers.identity.Resolver`, a
    :class:`~leadnet.importers.people.PeopleImport` (its opt-outs then dropped and
    counted ``excluded-tie``) or a people DataFrame. See the module docstring for the
    layouts and the fate of each row. ``name`` is the name its problems give the file (its
    path in the project: ``a/survey.csv``), the file's name unless given.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "survey.csv").write_text(
    ...     "respondent;nominee;frequency\\na;b;2,5\\na;b;1\\nb;;\\n", encoding="utf-8")
    >>> people = pd.DataFrame({"person_id": ["a", "b", "c"]})
    >>> result = load_survey(folder / "survey.csv", people, columns={"weight": "frequency"})
    >>> result.ties[["source", "target", "weight", "count"]].values.tolist()
    [['a', 'b', 2.5, 2]]
    >>> result.respondents, result.non_respondents, result.normalisations
    (('a', 'b'), ('c',), {'duplicate-tie': 1, 'no-nominations': 1})
    """
    resolver = as_resolver(resolver_or_people)
    if layout == "long":
        table, mapping = read_columns(
            Path(path),
            _long_columns(columns),
            SURVEY_DEFAULTS,
            ["source", "target"],
            encoding=encoding,
            name=name,
        )
        obs = long_observations(table, mapping, relation)
        _check_nominations(table, obs, [mapping["target"]])
        warn_relation_unread(table, mapping, relation)
        warn_weight_unread(table, mapping)
    elif layout == "wide":
        table, mapping, obs = _wide((Path(path), name), columns, relation, encoding)
    else:
        raise ConfigError(f'layout must be "long" or "wide". Got "{layout}" instead.')
    accepted, issues, counts, respondents = resolve_observations(obs, resolver, table, mapping, survey=True)
    if layout == "wide":
        counts["respondent-repeated"] = _repeated_respondents(obs, resolver.resolve_series, issues)
    ties, merged = aggregate(accepted, how="max")
    check_total(ties, accepted, table.name)
    all_issues: tuple[RowIssue, ...] = (*table.issues, *issues)
    answered = set(respondents)
    everyone = sorted(resolver.person_ids - resolver.excluded)
    return TieImport(
        ties=ties,
        non_respondents=tuple(p for p in everyone if p not in answered),
        record=input_record(Path(path), "survey", table.sha256, table.rows_read, all_issues),
        issues=tuple(sorted(all_issues, key=lambda i: (i.line or 0, i.code))),
        normalisations=add_counts(table.normalisations, {**counts, "duplicate-tie": merged}),
        respondents=respondents,
        headers_read=headers_read(table),
        relations=tuple(accepted.relations),
    )


def _check_nominations(table: Table, obs: pd.DataFrame, columns: Sequence[str]) -> None:
    """Fail naming the file when no row names a nominee: a survey of no ties is an empty network, not data.

    The rows the table quarantined are listed too: they may be where the nominations went.
    """
    if any(str(target).strip() for target in obs["target"]):  # stops at the first nominee
        return
    if not table.rows_read:
        detail = f"no rows below the header on line {table.header_line}, so no nominations"
        hint = "export the survey's answers again, or leave the source out until it has some"
    else:
        listed = ", ".join(f'"{c}"' for c in columns)
        detail = f"none of its {table.rows_read:,} row(s) names a nominee: {listed} blank in every row read"
        hint = "map target, or a wide survey's targets, to the column that holds the nominees"
    issue = RowIssue(table.name, None, "empty-survey", detail, hint=hint)
    raise InputError.from_issues([*table.issues, issue])


def _repeated_respondents(
    obs: pd.DataFrame, resolve: Callable[[pd.Series], pd.Series], issues: Sequence[RowIssue]
) -> int:
    """Accepted rows of a wide survey whose respondent (as resolved) answered on an earlier accepted row."""
    rejected = {i.line for i in issues}
    rows = obs.drop_duplicates("line")
    who = resolve(rows.loc[~rows["line"].isin(rejected), "source"])
    return int((who.notna() & who.duplicated()).sum())


def _long_columns(columns: Mapping[str, str | Sequence[str]] | None) -> dict[str, str] | None:
    if columns is None:
        return None
    if "targets" in columns:
        raise ConfigError('columns "targets" is for layout = "wide"; a long survey maps "target".')
    return {k: str(v) for k, v in columns.items()}


def _wide(
    file: tuple[Path, str | None],
    columns: Mapping[str, str | Sequence[str]] | None,
    relation: str,
    encoding: str | None,
) -> tuple[Table, dict[str, str], pd.DataFrame]:
    """Read a wide survey (``file``: its path, and the name its problems give it): one observation per
    non-blank nominee cell, a blank one for a row naming nobody."""
    path, name = file
    given = dict(columns or {})
    if "targets" not in given:
        raise ConfigError(
            'a wide survey needs columns.targets: a glob such as "nominee_*" or a list of headers.'
        )
    targets = given["targets"]
    listed = [targets] if isinstance(targets, str) else [str(t) for t in targets]
    is_glob = isinstance(targets, str) and any(ch in targets for ch in "*?[")
    mapped = {"source": str(given["source"])} if "source" in given else None
    source_role = {"source": SURVEY_DEFAULTS["source"]}
    nominees = [] if is_glob else listed
    globs = listed if is_glob else []
    table, roles = read_columns(
        path, mapped, source_role, ["source"], headers=nominees, encoding=encoding, name=name, globs=globs
    )
    source = roles["source"]
    headers = [c for c in table.frame.columns if fnmatch.fnmatchcase(c, listed[0])] if is_glob else listed
    if not headers:
        found = ", ".join(f'"{c}"' for c in table.frame.columns)
        detail = f'no column matches "{listed[0]}"; columns found: {found}'
        issue = RowIssue(
            table.name, None, "missing-column", detail, hint="fix columns.targets in leadnet.toml"
        )
        raise InputError.from_issues([issue])
    frame = table.frame.assign(line=table.lines)
    long = frame.melt(
        id_vars=["line", source], value_vars=headers, var_name="target_column", value_name="target"
    )
    long = long[long["target"].str.strip() != ""]
    _check_nominations(table, long, headers)
    nobody = frame.loc[~frame["line"].isin(long["line"]), ["line", source]].assign(
        target="", target_column=headers[0]
    )
    obs = pd.concat([long, nobody], ignore_index=True).sort_values(["line", "target_column"], kind="stable")
    obs = obs.rename(columns={source: "source"}).assign(relation="\0" + relation, weight="")
    mapping = {"source": source, "target": headers[0], "relation": "", "weight": "weight"}
    return table, mapping, obs.reset_index(drop=True)
