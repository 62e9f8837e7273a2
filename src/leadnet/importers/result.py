"""What a tie importer returns, and the row accounting every importer shares.

Row accounting (QUALITY.md rule 1): ``rows_read`` counts every record after the header
line, blank ones included. A row is *rejected* when at least one :class:`RowIssue`
names its line (a row may carry several issues, e.g. both people unknown); every other
row is *accepted*, possibly after a counted normalisation (blank row dropped, duplicate
merged, self-tie dropped, respondent who named nobody, …). So always
``rows_read == rows_accepted + rows_rejected``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from leadnet.errors import InputError, RowIssue
from leadnet.importers.tables import Table
from leadnet.invisible import message_text
from leadnet.model import REJECTED_COLUMNS, InputRecord

HeaderRead = tuple[str, str, str]
"""A header read as a role's name written in another letter case: (file, header, name read as)."""


Variant = Literal["", "fewer", "mutual", "together", "wider", "wider-raise"]
"""Which figure of its rule a :class:`RuleEmptied` gives (the keys of
:data:`~leadnet.importers.empty_sources.RULE_WORDS` with its rule): ``""`` the rule's own."""


@dataclass(frozen=True)
class RuleEmptied:
    """A tie rule that removed every tie of a period whose rows would otherwise make some.

    ``rule`` is the option (``max_project_size``, ``min_messages``, ``max_recipients``,
    ``require_reciprocity``), ``value`` its value, and ``nearest`` the figure the period gives
    it: the size of its smallest project, the most messages one person sent another, the
    smallest ``max_recipients`` that gives a tie; ``variant`` says which figure when a rule
    has several (:data:`~leadnet.importers.empty_sources.RULE_WORDS`). ``period`` is the
    ``snapshot_by`` period, or ``None`` for the source's whole window. The records of one
    period are the changes a tie needs together (two rules that emptied it only together:
    :func:`~leadnet.importers.email_emptied.rule_changes`). ``broadcasts_over``: a count of
    messages (``nearest``) that leaves out the period's messages to more than this many recipients,
    broadcasts, when a count of all of them finds more (0: it finds as many), so that a count made
    by hand is told why it is larger.
    """

    rule: str
    value: int | bool
    nearest: int
    period: str | None = None
    variant: Variant = ""
    broadcasts_over: int = 0


@dataclass(frozen=True, eq=False)
class TieImport:
    """Ties read from one survey or edge-list file.

    Attributes
    ----------
    ties
        Normalised ties (``leadnet.model.normalise_ties``): source, target, relation,
        weight (strength), count (rows that made the tie).
    non_respondents
        People on the roster who never appear as a respondent (surveys; empty for edge lists).
    record
        The file's checksum and row counts.
    issues
        Quarantined rows (for ``rejected.csv``).
    normalisations
        Counted normalisations, by code.
    respondents
        People who answered, including those who named nobody.
    headers_read
        The headers read as a role's name written in another letter case (:func:`headers_read`).
    relations
        The relations a survey asked about (each its rows give); its ``non_respondents``
        left the ties of these unobserved (:mod:`leadnet.nonresponse`). Empty for edge lists.
    emptied
        The periods (or the whole window) a tie rule left with no tie (:class:`RuleEmptied`),
        for a warning rather than a silent empty network; several records of one period
        are changes it needs together.
    """

    ties: pd.DataFrame
    non_respondents: tuple[str, ...]
    record: InputRecord
    issues: tuple[RowIssue, ...]
    normalisations: dict[str, int] = field(default_factory=dict)
    respondents: tuple[str, ...] = ()
    headers_read: tuple[HeaderRead, ...] = ()
    relations: tuple[str, ...] = ()
    emptied: tuple[RuleEmptied, ...] = ()


def headers_read(table: Table) -> tuple[HeaderRead, ...]:
    """The headers of ``table`` read as a role's name written in another letter case, with its file.

    Examples
    --------
    >>> import numpy as np
    >>> table = Table(Path("ties.csv"), pd.DataFrame(), np.zeros(0), 0, (), read_as={"Source": "source"})
    >>> headers_read(table)
    (('ties.csv', 'Source', 'source'),)
    """
    return tuple((table.name, header, name) for header, name in table.read_as.items())


def input_record(
    path: Path, kind: str, sha256: str, rows_read: int, issues: Iterable[RowIssue]
) -> InputRecord:
    """An :class:`InputRecord` counting as rejected each distinct line that has an issue.

    Examples
    --------
    >>> issues = [RowIssue("s.csv", 3, "unknown-person", "x"), RowIssue("s.csv", 3, "unknown-person", "y")]
    >>> r = input_record(Path("s.csv"), "survey", "00", 10, issues)
    >>> (r.rows_read, r.rows_accepted, r.rows_rejected)
    (10, 9, 1)
    """
    rejected = len({(i.file, i.line) for i in issues})
    return InputRecord(str(path), kind, sha256, rows_read, rows_read - rejected, rejected)


def add_counts(counts: dict[str, int], more: Mapping[str, int]) -> dict[str, int]:
    """Sum two count dictionaries, dropping zeros, sorted by code."""
    total = dict(counts)
    for key, value in more.items():
        total[key] = total.get(key, 0) + int(value)
    return {k: v for k, v in sorted(total.items()) if v}


def period_counts(
    counts: Mapping[str, int], own_codes: Iterable[str], own: Mapping[str, int]
) -> dict[str, int]:
    """The counted normalisations of one period of a file cut by ``snapshot_by``: the file's ``counts``,
    but for the codes a period counts itself (``own_codes``), which are the period's ``own``.

    >>> period_counts({"self-tie": 3, "duplicate-row": 1}, ["self-tie", "broadcast"], {"self-tie": 1})
    {'duplicate-row': 1, 'self-tie': 1}
    """
    mine = set(own_codes)
    return dict(sorted({**{code: n for code, n in counts.items() if code not in mine}, **own}.items()))


def rejected_frame(issues: Iterable[RowIssue]) -> pd.DataFrame:
    """Issues as ``rejected.csv`` rows: file, line, code, detail (column and hint folded into detail,
    a message: a character that does not show as itself escaped, :func:`leadnet.invisible.message_text`).

    Examples
    --------
    >>> issue = RowIssue("s.csv", 4, "unknown-person", 'unknown person "x"', column="nominee", hint="check")
    >>> rejected_frame([issue]).loc[0, "detail"]
    'column "nominee": unknown person "x" (check)'
    >>> print(rejected_frame([RowIssue("s.csv", 5, "bad-weight", 'weight "\u202e4"')]).loc[0, "detail"])
    weight "\u202e4"
    """
    rows = []
    for i in issues:
        where = f'column "{i.column}": ' if i.column else ""
        hint = f" ({i.hint})" if i.hint else ""
        detail = message_text(where + i.detail + hint)
        rows.append({"file": i.file, "line": i.line, "code": i.code, "detail": detail})
    return pd.DataFrame(rows, columns=list(REJECTED_COLUMNS)).astype({"line": "Int64"})


def check_rows(table: Table, code: str, what: tuple[str, str], export: str, *, until: str = "") -> None:
    """Fail naming the file (``code``) when it has no row to read; the rows it quarantined are listed too.

    ``what`` is what a row holds and its plural (``("a tie", "ties")``); ``export`` the fix
    (``"export the tie list again"``), followed by ``until`` for a file of no rows at all.
    A roster or a tie list of no rows is an empty network, not data: every row naming
    someone would be rejected, or nothing analysed.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "people.csv"
    >>> _ = path.write_text("person_id,unit\\n", encoding="utf-8")
    >>> from leadnet.importers.tables import read_table
    >>> check_rows(read_table(path, ["person_id"]), "empty-roster", ("a person", "people"), "export it again")
    Traceback (most recent call last):
    leadnet.errors.InputError: people.csv: no rows below the header on line 1, so no people (export it ...
    """
    if len(table.lines):
        return
    if not table.rows_read:
        detail = f"no rows below the header on line {table.header_line}, so no {what[1]}"
        hint = export + until
    else:
        quarantined = len({i.line for i in table.issues})
        counted = f"{table.rows_read - quarantined:,} blank, {quarantined:,} quarantined"
        detail = f"none of its {table.rows_read:,} row(s) holds {what[0]}: {counted}"
        hint = f"fix the rows listed, or {export}" if quarantined else export
    issue = RowIssue(table.name, None, code, detail, hint=hint)
    raise InputError.from_issues([*table.issues, issue])
