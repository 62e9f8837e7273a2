"""A fast path for large, clean CSV files: the same rows as the strict reader, parsed by Arrow.

:func:`leadnet.importers.tables.read_table` reads every record with Python's ``csv``
module so that each bad row can be quarantined with its physical line. For a large file
in which no row can be bad that is needlessly slow (minutes for ten million rows), so
:func:`clean_rows` first proves, with vectorised byte checks, that the strict reader
would keep every record as it is, and only then parses the body with ``pyarrow.csv``:

- no quote character, no ``\\r``, no control character (the strict reader's
  ``control-character`` class) anywhere after the header;
- every line has exactly ``width − 1`` delimiters (no ``short-row``, ``extra-cell`` or
  ``blank-trailing-cell``);
- every line holds at least one printable ASCII character other than the delimiter
  (so no line is a ``blank-row``; lines whose only text is non-ASCII go the slow way).

When any check fails it returns ``None`` and the caller reads the file the strict way,
so the outcome of every row is identical on both paths. Physical lines are then simply
consecutive. Duplicate rows are left to the caller, as on the strict path.

Each column stays dictionary-encoded (a :class:`pandas.Categorical`: one integer per cell,
one Python string per distinct value); the text of every cell is made only when a caller
asks for the table as a frame (:func:`decoded`). A survey's ten million rows are resolved,
weighed and grouped from the codes without it.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import numpy as np
import pandas as pd

FAST_FROM_BYTES = 4_000_000
"""Files with a body at least this large try the fast path (smaller ones gain nothing)."""

_BAD_BYTES = np.zeros(256, dtype=bool)
_BAD_BYTES[[*range(0x00, 0x09), 0x0B, 0x0C, 0x0D, *range(0x0E, 0x20), 0x7F, ord('"')]] = True


def body_offset(text: str, header_line: int) -> int | None:
    """Character offset where the line after physical line ``header_line`` starts (``\\n`` endings only).

    >>> body_offset("sep=;\\na;b\\n1;2\\n", 2)
    10
    >>> body_offset("a;b\\r1;2", 1) is None
    True
    """
    pos = 0
    for _ in range(header_line):
        found = text.find("\n", pos)
        if found < 0:
            return None
        pos = found + 1
    return None if "\r" in text[:pos] else pos


def clean_rows(
    body: str, names: list[str], delimiter: str
) -> tuple[dict[str, pd.Categorical], np.ndarray] | None:
    """The columns of ``body`` and which rows repeat an earlier one, or ``None`` if it is not provably clean.

    Each column is dictionary-encoded by Arrow, so a value repeated across rows (a person's
    id on each of their rows) is one Python string, and the duplicate rows are found from
    the integer codes (one combined key per row, :func:`_repeated`).

    Examples
    --------
    >>> columns, repeated = clean_rows("1;NA\\n2;\\n1;NA\\n", ["id", "unit"], ";")
    >>> decoded(columns).to_dict("records")[:2], repeated.tolist()
    ([{'id': '1', 'unit': 'NA'}, {'id': '2', 'unit': ''}], [False, False, True])
    >>> clean_rows('1;"x"\\n', ["id", "unit"], ";") is None
    True
    >>> clean_rows("1;x;\\n", ["id", "unit"], ";") is None
    True
    """
    if len(delimiter) != 1 or ord(delimiter) > 0x7F or not body:
        return None
    raw = body.encode("utf-8")
    data = np.frombuffer(raw, dtype=np.uint8)
    if _BAD_BYTES[data].any():
        return None
    ends = np.flatnonzero(data == 0x0A)
    if data[-1] != 0x0A:
        ends = np.append(ends, len(data))
    cells = _per_line(np.flatnonzero(data == ord(delimiter)), ends)
    if cells.min() != len(names) - 1 or cells.max() != len(names) - 1:
        return None
    text_bytes = (data > 0x20) & (data < 0x7F) & (data != ord(delimiter))
    starts = np.concatenate([[0], ends[:-1] + 1])
    if not np.logical_or.reduceat(text_bytes, starts).all():  # a line's segment includes its \n
        return None
    return _parse(raw, names, delimiter)


def _per_line(positions: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """How many of the sorted byte ``positions`` fall in each line (lines end at the offsets ``ends``).

    Memory is one integer per position and per line, not per byte of the file.

    >>> _per_line(np.array([1, 3, 7]), np.array([4, 6, 9]))
    array([2, 0, 1])
    """
    return np.diff(np.searchsorted(positions, ends), prepend=0)


def decoded(columns: Mapping[str, pd.Categorical]) -> pd.DataFrame:
    """The all-``str`` object DataFrame of dictionary-encoded columns (each distinct value one string).

    >>> decoded({"id": pd.Categorical(["b", "a", "b"])})["id"].tolist()
    ['b', 'a', 'b']
    """
    return pd.DataFrame(
        {
            name: pd.Series(np.asarray(column.categories, dtype=object)[column.codes], dtype=object)
            for name, column in columns.items()
        }
    )


def _parse(raw: bytes, names: list[str], delimiter: str) -> tuple[dict[str, pd.Categorical], np.ndarray]:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    table = pacsv.read_csv(
        io.BytesIO(raw),
        read_options=pacsv.ReadOptions(column_names=[f"c{i}" for i in range(len(names))], block_size=1 << 24),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, quote_char=False, newlines_in_values=False),
        convert_options=pacsv.ConvertOptions(
            column_types={f"c{i}": pa.string() for i in range(len(names))},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    columns, codes, sizes = {}, [], []
    for i, name in enumerate(names):  # the body is not empty: every column has a chunk
        encoded = pc.dictionary_encode(table.column(i)).unify_dictionaries()
        values = encoded.chunk(0).dictionary.to_numpy(zero_copy_only=False).astype(object)
        codes.append(np.concatenate([chunk.indices.to_numpy() for chunk in encoded.chunks]))
        sizes.append(len(values))
        columns[name] = pd.Categorical.from_codes(
            codes[-1], categories=pd.Index(values, dtype=object), validate=False
        )
    return columns, _repeated(codes, sizes)


def _repeated(codes: list[np.ndarray], sizes: list[int]) -> np.ndarray:
    """Which rows repeat an earlier row, from each column's dictionary codes (``0 <= code < size``;
    Arrow's codes are 32-bit, so ``size < 2**31`` and a key renumbered to fewer distinct values
    than rows times one more column stays within 64 bits).

    Each row's codes are read as one integer in mixed radix (the sizes are the radices), so
    one 64-bit key per row is hashed instead of a frame of columns. Before a column would
    take the key past 64 bits, the keys so far are renumbered densely (``pd.factorize``).

    >>> _repeated([np.array([0, 1, 0, 1]), np.array([2, 0, 2, 2])], [2, 3]).tolist()
    [False, False, True, False]
    >>> _repeated([np.array([5, 5]), np.array([7, 7])], [2**40, 2**40]).tolist()  # renumbered
    [False, True]
    """
    key, span = np.zeros(len(codes[0]), dtype=np.int64), 1
    for column, size in zip(codes, sizes, strict=True):
        if span * size >= 2**63:
            key, distinct = pd.factorize(key)
            span = len(distinct)
        key, span = key * size + column, span * size
    return pd.Series(key).duplicated(keep="first").to_numpy()
