"""Strict reading of CSV and XLSX tables (QUALITY.md rules 1–3).

:func:`read_table` reads a whole table as strings, finds the header by the required
column names, and sorts every record after the header into exactly one place:

- kept: a row of :attr:`Table.frame`, with its physical line in :attr:`Table.lines`;
- dropped by a counted normalisation (:attr:`Table.normalisations`): ``blank-row``
  (every cell blank) and ``duplicate-row`` (an exact copy of an earlier row, kept once,
  unless ``drop_duplicates=False``);
- quarantined (:attr:`Table.issues`): ``short-row``, ``extra-cell``,
  ``control-character`` and ``bad-quote`` (text after a closing quote).

So ``rows_read == len(frame) + normalisations["blank-row"] +
normalisations["duplicate-row"] + len(issues)``. Other counted normalisations do not drop
rows: ``blank-column`` (blank trailing columns dropped), ``blank-trailing-cell`` (rows
whose blank cells beyond the header were trimmed), ``preamble-line`` (non-blank lines
before the header), ``unnamed-column`` (a blank header over data, named ``column N``).

The row checks and their wording are in :mod:`leadnet.importers.quarantine`;
:func:`parse_number`, for the numbers in cells, in :mod:`leadnet.importers.numerals`.

Whole-file problems raise :class:`~leadnet.errors.InputError` whose message is the
:class:`~leadnet.errors.RowIssue` string: ``missing-file`` (or a link to nothing),
``link-loop``, ``not-a-file`` (a directory, a device such as ``/dev/null``, a pipe),
``empty-file``, ``wrong-file-type``, ``encoding``, ``unterminated-quote``,
``field-too-long`` (a cell over the CSV reader's size limit), ``duplicate-column``,
``missing-column``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from leadnet.errors import RowIssue
from leadnet.importers.arrow_csv import FAST_FROM_BYTES, body_offset, clean_rows, decoded
from leadnet.importers.header_cells import HeaderNames
from leadnet.importers.numerals import parse_number
from leadnet.importers.quarantine import BAD_QUOTE, EXTRA_CELL_FIX, bad_quote, classify_row, width_issue
from leadnet.importers.table_files import (
    MAP_COLUMNS_FIX,
    Wanted,
    check_duplicate_columns,
    check_magic,
    decode,
    fail,
    header_names,
    missing_columns,
    missing_names,
    not_a_file,
    not_found,
    open_quote,
)
from leadnet.importers.xlsx import xlsx_records

__all__ = [
    "DELIMITERS", "EXTRA_CELL_FIX", "HEADER_SEARCH_LINES", "MAP_COLUMNS_FIX", "SEP_LINE", "Table",
    "UNTERMINATED_QUOTE", "bad_quote", "parse_number", "read_table", "width_issue",
]  # fmt: skip

DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|")
HEADER_SEARCH_LINES = 20
SEP_LINE = re.compile(r"^sep=(.)\s*$")


@dataclass(frozen=True, eq=False)
class Table:
    """A table read strictly: every cell a ``str``, every record accounted for.

    Attributes
    ----------
    path
        The file read.
    frame
        The kept rows; columns are the header names, stripped; every cell a ``str``. A
        table read by Arrow makes it on first use, from ``encoded``.
    lines
        Physical 1-based line (CSV) or sheet row (XLSX) of each row of ``frame``.
    rows_read
        Records after the header line, blank ones included.
    issues
        Quarantined rows, one :class:`RowIssue` each.
    normalisations
        Counted normalisations (see the module docstring).
    sha256
        Checksum of the file's bytes.
    delimiter
        The delimiter used (``""`` for XLSX).
    header_line
        Physical line (CSV) or sheet row (XLSX) of the header.
    rejected_cells
        The cells of each quarantined row that could be split into cells (every issue
        but ``bad-quote``), by physical line, as read: a caller can tell whom a rejected
        row named (the roster's rejected rows, for the rows that name those people).
    read_as
        Each header read as a role's name written in another letter case → that name
        (``Unit`` → ``unit``), set by :func:`~leadnet.importers.columns.read_columns`.
    blank_lines
        Physical line of each ``blank-row``.
    duplicate_lines
        Each ``duplicate-row``: its physical line and that of the earlier row it repeats.
    encoded
        A table read by Arrow: its columns dictionary-encoded (:meth:`column`), ``frame`` not yet made.
    shown
        The name its messages and issues give the file (:attr:`name`) when not its own name: its path
        in the project (``a/survey.csv``), given to :func:`read_table`.
    """

    path: Path
    _frame: pd.DataFrame | None
    lines: np.ndarray
    rows_read: int
    issues: tuple[RowIssue, ...]
    normalisations: dict[str, int] = field(default_factory=dict)
    sha256: str = ""
    delimiter: str = ","
    header_line: int = 1
    rejected_cells: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    read_as: Mapping[str, str] = field(default_factory=dict)
    blank_lines: tuple[int, ...] = ()
    duplicate_lines: tuple[tuple[int, int], ...] = ()
    encoded: Mapping[str, pd.Categorical] = field(default_factory=dict)
    shown: str = ""

    @property
    def name(self) -> str:
        """The file's name in messages and issues: ``shown``, else the file name."""
        return self.shown or self.path.name

    @property
    def frame(self) -> pd.DataFrame:
        if self._frame is None:  # made once, on first use: a survey's importer needs only the codes
            object.__setattr__(self, "_frame", decoded(self.encoded))
        return self._frame  # type: ignore[return-value]

    @property
    def columns(self) -> list[str]:
        """The column names, without making ``frame``."""
        return list(self.encoded) if self._frame is None else list(self._frame.columns)

    def column(self, name: str) -> pd.Series:
        """One column; categorical when read by Arrow (its text made once per distinct value)."""
        return pd.Series(self.encoded[name], copy=False) if self._frame is None else self.frame[name]


def read_table(
    path: Path,
    required: Sequence[str],
    *,
    optional: Sequence[str] = (),
    any_case: Collection[str] = (),
    encoding: str | None = None,
    drop_duplicates: bool = True,
    column_fix: str | None = None,
    known: HeaderNames | None = None,
    name: str | None = None,
) -> Table:
    """Read a CSV (or ``.xlsx``) table strictly; see the module docstring for the rules.

    ``optional`` names columns the caller will use when present; they do not help find
    the header. A ``required`` name also in ``any_case`` (a role's own name, not a mapped
    one) is found in any letter case (:func:`~leadnet.schema.header_key`). ``drop_duplicates=False``
    keeps exact duplicate rows (an edge list where each row is one more observation).
    ``column_fix`` is the fix of a missing column in a file with no column map, after the
    close headers to rename; without it a close header is suggested, or mapping the columns. A
    missing column's message quotes the cells of the first line that read as the headers the file
    reads (``required``, ``optional``, and ``known``: each header → the other names of its column),
    none of a line that reads as a row (:func:`~leadnet.importers.header_cells.shown_cells`).
    ``name`` is the name every problem gives the file (:attr:`Table.name`): its path in the project,
    so that two files of one name in two folders are told apart; the file's name unless given.
    Raises :class:`~leadnet.errors.InputError` on whole-file problems.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "people.csv").write_text("id;unit\\n00123;NA\\n\\n00123;NA\\n", encoding="utf-8")
    >>> table = read_table(folder / "people.csv", ["id"])
    >>> table.frame.to_dict("records"), table.lines.tolist(), table.normalisations
    ([{'id': '00123', 'unit': 'NA'}], [2], {'blank-row': 1, 'duplicate-row': 1})
    """
    path = Path(path)
    name = name or path.name
    if path.is_dir():
        raise not_a_file(path, name)
    if not path.is_file():
        raise not_found(path, name)
    data = path.read_bytes()
    if not data:
        raise fail(name, None, "empty-file", "file is empty (0 bytes)", "export the table again")
    digest = hashlib.sha256(data).hexdigest()
    search = _Missing(column_fix, {**{header: () for header in optional}, **(known or {})})
    records: Iterator[tuple[int, list[str]]]
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        records = xlsx_records(path, data, name)
        header, line, delimiter, pre = _find_header_rows(name, records, (required, any_case), search)
        text = ""
    else:
        check_magic(name, data)
        text = decode(name, data, encoding)
        header, line, delimiter, pre, records = _find_header_text(name, text, (required, any_case), search)
    names, blank_columns, unnamed = header_names(header)
    check_duplicate_columns(name, line, names)
    counts = {"preamble-line": pre, "blank-column": blank_columns, "unnamed-column": unnamed}
    counts = {k: v for k, v in counts.items() if v}
    if delimiter and not blank_columns and len(data) >= FAST_FROM_BYTES:
        start = body_offset(text, line)
        clean = None if start is None else clean_rows(text[start:], names, delimiter)
        if clean is not None:  # provably clean: the strict reader would keep every row as is
            columns, repeated = clean
            lines = np.arange(line + 1, line + 1 + len(repeated), dtype=np.int64)
            table = _table(
                path, columns, lines, len(lines), [], counts, digest, delimiter, drop_duplicates, repeated
            )
            return replace(table, header_line=line, shown=name)
    table = _build((path, name), names, records, delimiter, digest, counts, drop_duplicates)
    return replace(table, header_line=line, shown=name)


def _split(line: str, delimiter: str) -> list[str]:
    return [
        c.strip().removeprefix("\ufeff").strip() for c in next(csv.reader([line], delimiter=delimiter), [])
    ]


@dataclass(frozen=True)
class _Missing:
    """How a failed header search words its error: the fix of a file with no column map, and the header
    names the file reads beyond the required ones (:func:`~leadnet.importers.table_files.missing_columns`)."""

    column_fix: str | None
    names: HeaderNames


def _find_header_text(
    name: str, text: str, wanted: Wanted, search: _Missing
) -> tuple[list[str], int, str, int, Iterator[tuple[int, list[str]]]]:
    stream = io.StringIO(text, newline="")
    lines = list(itertools.takewhile(bool, (stream.readline() for _ in range(HEADER_SEARCH_LINES + 1))))
    start, forced = 0, None
    sep = SEP_LINE.match(lines[0].rstrip("\r\n"))
    if sep:
        start, forced = 1, sep.group(1)
    candidates = (forced,) if forced else DELIMITERS
    seen: list[tuple[int, list[str]]] = []
    for idx in range(start, min(len(lines), start + HEADER_SEARCH_LINES)):
        if not lines[idx].strip():
            continue
        for delimiter in candidates:
            cells = _split(lines[idx], delimiter)
            if not missing_names(cells, wanted):
                pre = sum(1 for raw in lines[start:idx] if raw.strip())
                return cells, idx + 1, delimiter, pre, _csv_records(name, text, idx + 1, delimiter)
        seen.append((idx + 1, max((_split(lines[idx], d) for d in candidates), key=len)))
    raise missing_columns(name, seen, wanted, search.column_fix, search.names)


def _find_header_rows(
    name: str, records: Iterator[tuple[int, list[str]]], wanted: Wanted, search: _Missing
) -> tuple[list[str], int, str, int]:
    seen: list[tuple[int, list[str]]] = []
    for line, cells in records:
        if not any(c.strip() for c in cells):
            continue
        stripped = [c.strip() for c in cells]
        if not missing_names(stripped, wanted):
            return stripped, line, "", len(seen)
        seen.append((line, stripped))
        if len(seen) >= HEADER_SEARCH_LINES:
            break
    raise missing_columns(name, seen, wanted, search.column_fix, search.names)


def _csv_records(name: str, text: str, first: int, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (physical line, cells) for each record from line index ``first``; bad quotes as ``None`` cells.

    The text is split into lines only when the first record is asked for: a large file
    that the fast path reads (``arrow_csv``) is never split into Python strings.
    """
    lines = io.StringIO(text, newline="").readlines()
    reader = csv.reader(iter(lines[first:]), delimiter=delimiter, strict=True)
    consumed = 0
    while True:
        start = first + consumed + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            if "unexpected end of data" in str(err) or "field larger" in str(err):
                opened, still_open = open_quote(lines, start - 1, delimiter)
                if "field larger" in str(err) and not still_open:  # every quote closes: a cell is that long
                    limit = f"{csv.field_size_limit():,}"
                    detail = f"a cell of this row is longer than {limit} characters, the reader's limit"
                    raise fail(
                        name, start, "field-too-long", detail, "shorten the cell or remove the row"
                    ) from None
                raise fail(name, opened, "unterminated-quote", *UNTERMINATED_QUOTE) from None
            consumed = reader.line_num
            yield start, [BAD_QUOTE]
            continue
        consumed = reader.line_num
        yield start, cells


UNTERMINATED_QUOTE = ("unterminated quote opened here", "close the quote or remove it")
"""Detail and fix of a quote never closed: nothing after it can be read reliably, so the file fails."""


def _build(
    file: tuple[Path, str],
    names: list[str],
    records: Iterable[tuple[int, list[str]]],
    delimiter: str,
    digest: str,
    counts: dict[str, int],
    drop_duplicates: bool,
) -> Table:
    """The Table of ``records`` of the file (its path and the name its issues give it)."""
    path, name = file
    rows: list[list[str]] = []
    lines: list[int] = []
    issues: list[RowIssue] = []
    rejected_cells: dict[int, tuple[str, ...]] = {}
    blank: list[int] = []
    rows_read = 0
    for line, cells in records:
        rows_read += 1
        kept = classify_row(name, names, line, cells, counts)
        if kept is None:
            blank.append(line)
            counts["blank-row"] = len(blank)
        elif isinstance(kept, RowIssue):
            issues.append(kept)
            if cells != [BAD_QUOTE]:
                rejected_cells[line] = tuple(cells)
        else:
            rows.append(kept)
            lines.append(line)
    empty = {n: pd.Series([], dtype=object) for n in names}
    frame = pd.DataFrame(rows, columns=names, dtype=object) if rows else pd.DataFrame(empty)
    physical = np.asarray(lines, dtype=np.int64)
    table = _table(path, frame, physical, rows_read, issues, counts, digest, delimiter, drop_duplicates)
    return replace(table, rejected_cells=rejected_cells, blank_lines=tuple(blank))


def _table(
    path: Path,
    frame: pd.DataFrame | dict[str, pd.Categorical],
    lines: np.ndarray,
    rows_read: int,
    issues: list[RowIssue],
    counts: dict[str, int],
    digest: str,
    delimiter: str,
    drop_duplicates: bool,
    repeated: np.ndarray | None = None,
) -> Table:
    """The Table of the kept rows, exact duplicate rows dropped and counted (when asked).

    ``repeated`` marks rows equal to an earlier one, when the caller already knows them;
    ``frame`` is a DataFrame, or the dictionary-encoded columns the Arrow fast path read.
    """
    if repeated is None:
        repeated = pd.DataFrame(frame).duplicated(keep="first").to_numpy()
    duplicated = repeated & drop_duplicates
    repeats: tuple[tuple[int, int], ...] = ()
    if duplicated.any():
        counts["duplicate-row"] = int(duplicated.sum())
        repeats = _repeats(frame, lines, duplicated)
        keep = ~duplicated
        frame = (
            frame[keep].reset_index(drop=True)
            if isinstance(frame, pd.DataFrame)
            else {n: c[keep] for n, c in frame.items()}
        )
    kept_lines = lines[~duplicated] if len(lines) else np.zeros(0, np.int64)
    kept, encoded = (frame, {}) if isinstance(frame, pd.DataFrame) else (None, frame)
    counted = dict(sorted(counts.items()))
    return Table(
        path,
        kept,
        kept_lines,
        rows_read,
        tuple(issues),
        counted,
        digest,
        delimiter,
        duplicate_lines=repeats,
        encoded=encoded,
    )


def _repeats(
    frame: pd.DataFrame | dict[str, pd.Categorical], lines: np.ndarray, duplicated: np.ndarray
) -> tuple[tuple[int, int], ...]:
    """The line of each ``duplicated`` row and of the first row it equals: rows as integer codes, the
    rows that have a copy found by hashing, and only those sorted (a large table has few).

    >>> frame = pd.DataFrame({"a": ["x", "y", "x", "y", "x"], "b": ["1", "2", "1", "2", "1"]})
    >>> _repeats(frame, np.array([2, 3, 5, 6, 9]), frame.duplicated().to_numpy())
    ((5, 2), (6, 3), (9, 2))
    """
    columns = frame.values() if isinstance(frame, dict) else (frame[name] for name in frame.columns)
    codes = np.column_stack(
        [c.codes if isinstance(c, pd.Categorical) else pd.factorize(c)[0] for c in columns]
    )
    copied = pd.DataFrame(codes).duplicated(keep=False).to_numpy()
    _, first, inverse = np.unique(codes[copied], axis=0, return_index=True, return_inverse=True)
    of = lines[copied][first[inverse.ravel()]]  # the first of its equals, by stable sort
    return tuple(zip(lines[duplicated].tolist(), of[duplicated[copied]].tolist(), strict=True))
