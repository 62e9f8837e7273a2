"""Plain edge lists (source, target, optional relation and weight), and the tie-resolution core.

Every observation (one row of a long table, one nominee cell of a wide survey) is
resolved to roster ids through a :class:`~leadnet.importers.identity.Resolver`:

- rejected: ``missing-id`` (blank source; blank target in an edge list),
  ``unknown-person`` (not on the roster, with a "did you mean" hint),
  ``roster-rejected`` (on a roster row that was rejected: the fix is in the roster),
  ``ambiguous-person`` (an alias two people share), ``bad-weight`` (not a number > 0;
  a decimal comma is accepted when the delimiter is not a comma);
- accepted after a counted normalisation: ``self-tie`` (dropped), ``excluded-tie``
  (a tie of an opted-out person, dropped), ``id-normalised`` (an id written
  differently from the roster's), ``relation-defaulted`` (blank relation cell: the
  default relation used), ``label-normalised`` (a relation cell holding an invisible format
  character, read without it: ``advice`` with a direction mark in it is ``advice``),
  ``duplicate-tie`` (repeats of a source, target, relation merged into one tie), and, for
  surveys, ``no-nominations``.

A tie list with no row to read (a header alone, or every row blank or quarantined) is
an :class:`~leadnet.errors.InputError` naming the file (``empty-ties``), as a survey
naming nobody is (``empty-survey``): a source of no ties is an empty network, not data.
So is a ``period`` column holding more than one period (``several-periods``): the ties of
several snapshots, which one tie list would sum.

Where no column gives the relation, every row has the source's relation; where none gives
the weight, every row weighs 1. Columns headed ``question`` and ``frequency`` (a survey's, as
in the Riverside sample) are not read unless mapped (a frequency scale where 1 is the most
often would invert strengths), so a :class:`~leadnet.errors.LeadnetWarning` says when
several questions were made one relation, or frequencies other than 1 were not read, and how
to read them (:func:`~leadnet.importers.columns.warn_relation_unread`,
:func:`~leadnet.importers.columns.warn_weight_unread`).

Duplicates in an edge list are summed (weight = sum of weights, count = rows), since
each row is one more observation of the tie; exact duplicate rows are therefore kept
too (not dropped as ``duplicate-row``). ``directed=False`` stores each pair as
two arcs, after merging ``a,b`` and ``b,a``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from leadnet.errors import InputError, RowIssue
from leadnet.importers.accepted import Accepted, aggregate
from leadnet.importers.columns import read_columns, warn_relation_unread, warn_weight_unread
from leadnet.importers.identity import Resolver, per_distinct_codes, per_distinct_many, visible_text
from leadnet.importers.result import TieImport, add_counts, check_rows, headers_read, input_record
from leadnet.importers.table_files import fail
from leadnet.importers.tables import Table, parse_number

TIE_DEFAULTS = {"source": "source", "target": "target", "relation": "relation", "weight": "weight"}
"""Each role of a tie table → the header it reads when ``columns`` does not map it."""

UNTIL_IT_HAS_SOME = ", or leave the source out until it has some"
"""The end of the fix of a source file with no rows below its header."""
__all__ = ["TieImport", "load_ties", "resolve_observations", "warn_relation_unread", "warn_weight_unread"]


def as_resolver(resolver_or_people: object) -> Resolver:
    """A :class:`Resolver` from a Resolver, a PeopleImport or a people DataFrame."""
    if isinstance(resolver_or_people, Resolver):
        return resolver_or_people
    if isinstance(resolver_or_people, pd.DataFrame):
        return Resolver(resolver_or_people)
    make = getattr(resolver_or_people, "resolver", None)
    if callable(make):
        return make()
    raise TypeError(
        f"expected a Resolver, PeopleImport or DataFrame. Got {type(resolver_or_people).__name__}."
    )


def load_ties(
    path: Path,
    resolver_or_people: object,
    *,
    columns: Mapping[str, str] | None = None,
    relation: str = "ties",
    directed: bool = True,
    encoding: str | None = None,
    name: str | None = None,
) -> TieImport:
    """Read an edge list: one tie per row, ``source`` and ``target`` person ids.

    ``columns`` maps ``source``, ``target``, ``relation``, ``weight`` to file headers
    (default: the same names; relation and weight optional). See the module docstring
    for how rows end. ``name`` is the name its problems give the file (its path in the
    project: ``wave1/ties.csv``), the file's name unless given.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> text = "source,target,weight\\na,b,2\\nb,a,1\\na,a,1\\n"
    >>> _ = (folder / "ties.csv").write_text(text, encoding="utf-8")
    >>> people = pd.DataFrame({"person_id": ["a", "b"]})
    >>> result = load_ties(folder / "ties.csv", people, directed=False)
    >>> result.ties[["source", "target", "weight", "count"]].values.tolist()
    [['a', 'b', 3.0, 2], ['b', 'a', 3.0, 2]]
    >>> result.normalisations
    {'duplicate-tie': 1, 'self-tie': 1}
    """
    resolver = as_resolver(resolver_or_people)
    table, mapping = read_columns(
        Path(path),
        columns,
        TIE_DEFAULTS,
        ["source", "target"],
        encoding=encoding,
        drop_duplicates=False,
        name=name,
    )
    check_rows(table, "empty-ties", ("a tie", "ties"), "export the tie list again", until=UNTIL_IT_HAS_SOME)
    _check_periods(table, mapping)
    warn_relation_unread(table, mapping, relation)
    warn_weight_unread(table, mapping)
    obs = long_observations(table, mapping, relation)
    accepted, issues, counts, _ = resolve_observations(obs, resolver, table, mapping, survey=False)
    with np.errstate(over="ignore"):
        ties, merged = aggregate(accepted, how="sum", directed=directed)
    _check_sums(ties, accepted, table.name, directed)
    check_total(ties, accepted, table.name)
    all_issues = (*table.issues, *issues)
    return TieImport(
        ties=ties,
        non_respondents=(),
        record=input_record(Path(path), "ties", table.sha256, table.rows_read, all_issues),
        issues=tuple(sorted(all_issues, key=lambda i: (i.line or 0, i.code))),
        normalisations=add_counts(table.normalisations, {**counts, "duplicate-tie": merged}),
        respondents=(),
        headers_read=headers_read(table),
    )


def _check_periods(table: Table, mapping: Mapping[str, str]) -> None:
    """Fail naming the file when a ``period`` column holds more than one period (``several-periods``).

    ``scripts/spark_ties.py --snapshot-by`` writes the ties of every period in one file; read
    as one tie list, each pair's periods would be summed into one tie without a word.
    """
    if "period" not in table.columns or "period" in mapping.values():
        return
    periods = sorted({str(p).strip() for p in table.column("period").unique()} - {""})
    if len(periods) < 2:
        return
    shown = ", ".join(periods[:3]) + (", …" if len(periods) > 3 else "")
    detail = f'column "period" holds {len(periods):,} periods ({shown}), and a tie list is one snapshot'
    hint = (
        "split the file by period, one file and one [[sources]] entry (with its own snapshot) per period, "
        "or remove the column to sum the periods"
    )
    issue = RowIssue(table.name, table.header_line, "several-periods", detail, hint=hint)
    raise InputError.from_issues([issue])


def long_observations(table: Table, mapping: Mapping[str, str], relation: str) -> pd.DataFrame:
    """One observation per row: line, source, target, relation, weight (raw text), target_column."""
    default = "\0" + relation
    blank = pd.Series(default, index=pd.RangeIndex(len(table.lines)), dtype=object)
    unweighed = pd.Series("", index=blank.index, dtype=object)
    relations, relabelled = blank, pd.Series(False, index=blank.index)
    if mapping["relation"] in table.columns:  # few distinct values in ten million cells: clean each once
        relations, relabelled = per_distinct_many(
            table.column(mapping["relation"]),
            [lambda text: _label(text) or default, lambda text: _label(text) not in ("", text.strip())],
        )
    weight = table.column(mapping["weight"]) if mapping["weight"] in table.columns else unweighed
    return pd.DataFrame(
        {
            "line": table.lines,
            "source": table.column(mapping["source"]),
            "target": table.column(mapping["target"]),
            "relation": relations,
            "weight": weight,
            "target_column": mapping["target"],
            "relabelled": relabelled.astype(bool),
        }
    )


def _label(text: str) -> str:
    """A relation cell as it shows: stripped, without format characters (``advi`` + U+202E +
    ``ce`` would be a relation of its own beside ``advice``, its ties left out of it unseen)."""
    clean = text.strip()
    return clean if clean.isascii() else visible_text(clean)


class _Ids(NamedTuple):
    """An id column resolved once per distinct cell: ``person`` per distinct cell, the masks per row."""

    codes: np.ndarray
    """Each row's position among the distinct cells."""
    person: np.ndarray
    """The person_id each distinct cell names, or ``None``."""
    known: np.ndarray
    blank: np.ndarray
    excluded: np.ndarray
    normalised: np.ndarray
    """The row names a person in a spelling other than their person_id."""

    @property
    def unknown(self) -> np.ndarray:
        """Per row: the cell names nobody, and is neither blank nor an opted-out person (a row issue)."""
        return ~self.known & ~(self.blank | self.excluded)


def _resolve_ids(text: pd.Series, resolver: Resolver) -> _Ids:
    per_cell = [resolver.resolve, _is_blank, resolver.is_excluded]
    codes, cells, (person, blank, excluded) = per_distinct_codes(text, per_cell)
    known = np.array([p is not None for p in person], dtype=bool)
    normalised = known & (person != cells)
    masks = (known, blank.astype(bool), excluded.astype(bool), normalised)
    return _Ids(codes, person, *(mask[codes] for mask in masks))


def resolve_observations(
    obs: pd.DataFrame, resolver: Resolver, table: Table, mapping: Mapping[str, str], *, survey: bool
) -> tuple[Accepted, list[RowIssue], dict[str, int], tuple[str, ...]]:
    """Resolve observations to accepted ties (:class:`Accepted`), issues, counts, respondents.

    A relation starting with ``"\\0"`` is the default filling a blank cell (counted
    ``relation-defaulted`` when the file has a relation column). Ids are resolved and
    compared once per distinct cell, not once per row, and the accepted rows hold the
    integer numbers of their people and relations, not their text.
    """
    src, dst = _resolve_ids(obs["source"], resolver), _resolve_ids(obs["target"], resolver)
    weight, bad_weight = _weights(obs["weight"], table.delimiter != ",")
    issues = _person_issues(obs, src.unknown, resolver, table.name, mapping["source"], "source")
    issues += _person_issues(obs, dst.unknown, resolver, table.name, None, "target")
    if not survey:
        issues += _blank_issues(obs, dst.blank & ~src.blank, table.name, "target", "target is blank")
    issues += _blank_issues(obs, src.blank, table.name, mapping["source"], "source is blank")
    issues += _weight_issues(obs, bad_weight, table.name, mapping["weight"], table.delimiter != ",")
    clean = ~obs["line"].isin({i.line for i in issues}).to_numpy()
    ok_src = src.known & clean
    nobody = ok_src & dst.blank if survey else np.zeros(len(obs), dtype=bool)
    excluded = (src.excluded | dst.excluded) & clean
    tie = ok_src & dst.known & ~excluded
    numbers, people = pd.factorize(np.concatenate([src.person, dst.person]), sort=True)  # None is -1
    src_number, dst_number = numbers[: len(src.person)][src.codes], numbers[len(src.person) :][dst.codes]
    self_tie = tie & (src_number == dst_number)  # the same known person, compared as integers
    tie &= ~self_tie
    default = [lambda text: text.removeprefix("\0"), lambda text: text.startswith("\0")]
    relation_codes, _, (relation, defaulted) = per_distinct_codes(obs["relation"], default)
    read_relation = mapping["relation"] in table.columns  # else every relation is the default, uncounted
    defaulted_ties = defaulted.astype(bool)[relation_codes] & tie & read_relation
    relabelled = obs["relabelled"].to_numpy(bool) if "relabelled" in obs else np.zeros(len(obs), bool)
    counts = {
        "label-normalised": int((relabelled & tie).sum()),
        "no-nominations": int(nobody.sum()),
        "excluded-tie": int(excluded.sum()),
        "self-tie": int(self_tie.sum()),
        "relation-defaulted": int(defaulted_ties.sum()),
        "id-normalised": int((src.normalised & tie).sum() + (dst.normalised & tie).sum()),
    }
    relation_number, relations = pd.factorize(relation, sort=True)
    accepted = Accepted(
        src_number[tie],
        dst_number[tie],
        relation_number[relation_codes[tie]],
        np.asarray(people, dtype=object),
        np.asarray(relations, dtype=object),
        weight.to_numpy(float)[tie],
        obs["line"].to_numpy()[tie],
    )
    respondents = tuple(sorted({person for person in src.person if person is not None}))
    return accepted, issues, counts, respondents


def _check_sums(ties: pd.DataFrame, accepted: Accepted, name: str, directed: bool) -> None:
    """Refuse weights that add up past the largest number a float holds (they would be ``inf``)."""
    over = ties[~np.isfinite(ties["weight"].to_numpy(dtype=float))]
    if over.empty:
        return
    source, target = over["source"].iloc[0], over["target"].iloc[0]
    sources, targets = accepted.people[accepted.source], accepted.people[accepted.target]
    pair = (sources == source) & (targets == target)
    if not directed:
        pair |= (sources == target) & (targets == source)
    lines = sorted(int(line) for line in accepted.line[pair])
    shown = ", ".join(str(line) for line in lines[:5]) + (", ..." if len(lines) > 5 else "")
    detail = f'the weights of "{source}" → "{target}" (lines {shown}) add up to more than 1.8e308'
    raise fail(name, lines[0], "weight-overflow", detail, "give the weights in a smaller unit")


def check_total(ties: pd.DataFrame, accepted: Accepted, name: str) -> None:
    """Refuse a file whose ties' weights add up past the largest number a float holds: every pair's
    weight may be finite while their sums, which the network measures take (a person's strength,
    modularity's the whole network's), are not (three nominations of weight 1e308 made
    ``out_strength`` infinite and every community ``<5``). The line named is the largest weight's."""
    with np.errstate(over="ignore"):
        total = float(ties["weight"].to_numpy(dtype=float).sum())
    if np.isfinite(total):
        return
    line = int(accepted.line[int(np.argmax(accepted.weight))])
    detail = "the weights of the file's ties add up to more than 1.8e308, which the network measures add"
    raise fail(name, line, "weight-overflow", detail, "give the weights in a smaller unit")


def _is_blank(text: str) -> bool:
    return text.strip() == ""


def _weights(text: pd.Series, decimal_comma: bool) -> tuple[pd.Series, np.ndarray]:
    """Weights as floats (blank = 1.0) and a mask of cells that are not numbers > 0."""
    codes, cells, _ = per_distinct_codes(text, [])
    values = np.empty(len(cells), dtype=float)
    for i, cell in enumerate(cells):
        clean = str(cell).strip()
        try:
            values[i] = parse_number(clean, decimal_comma=decimal_comma) if clean else 1.0
        except ValueError:
            values[i] = np.nan
    weight = pd.Series(values[codes], index=text.index, name=text.name)
    return weight, (weight.isna() | (weight <= 0)).to_numpy()


def _person_issues(
    obs: pd.DataFrame, bad: np.ndarray, resolver: Resolver, name: str, column: str | None, role: str
) -> list[RowIssue]:
    """One issue per ``bad`` row (an id naming nobody), worded by :meth:`Resolver.explain` once per id."""
    explained = resolver.explain_each(obs.loc[bad, role])
    issues = []
    for line, text, col in zip(
        obs.loc[bad, "line"], obs.loc[bad, role], obs.loc[bad, "target_column"], strict=True
    ):
        code, detail, hint = explained[text.strip()]
        issues.append(RowIssue(name, int(line), code, detail, column=column or col, hint=hint))
    return issues


def _blank_issues(obs: pd.DataFrame, mask: np.ndarray, name: str, column: str, detail: str) -> list[RowIssue]:
    col = column if column != "target" else None
    return [
        RowIssue(name, int(line), "missing-id", detail, column=col or tc, hint="fill it in or remove the row")
        for line, tc in zip(obs.loc[mask, "line"], obs.loc[mask, "target_column"], strict=True)
    ]


def _weight_issues(
    obs: pd.DataFrame, bad: np.ndarray, name: str, column: str, decimal_comma: bool
) -> list[RowIssue]:
    hint = (
        "use a positive number such as 1 or 2,5"
        if decimal_comma
        else "use a positive number such as 1 or 2.5; a decimal comma needs a file separated by ; or tabs"
    )
    return [
        RowIssue(
            name,
            int(line),
            "bad-weight",
            f'weight "{text.strip()}" is not a number above 0',
            column,
            hint,
            value=text.strip(),
        )
        for line, text in zip(obs.loc[bad, "line"], obs.loc[bad, "weight"], strict=True)
    ]
