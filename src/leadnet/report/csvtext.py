"""A data frame as the CSV bytes pandas' ``to_csv`` writes, made by Arrow a column at a time.

``frame.to_csv(index=False, lineterminator="\\n")`` turns every cell into a Python object and
hands rows to the standard library's csv writer: at a million people and ten million ties most
of a minute, mostly spent spelling floats (numpy's Dragon4) and joining cells one by one. Here
each column becomes Arrow text spelled exactly as pandas spells it, quoted exactly as the csv
writer quotes it, and rows are joined by Arrow; the bytes are the same (the tests compare them
with pandas' on random frames). A frame with a column kind not handled here (dates, intervals,
nullable floats, ...) or text Arrow cannot hold (a lone surrogate) is left to pandas.

How pandas spells a cell (``pandas.core.indexes.base.get_values_for_csv`` with ``na_rep=""``,
then ``csv.writer``): a missing cell is empty; a float64 is ``numpy.ndarray.astype(str)``, the
shortest round-trip digits as ``repr`` spells them (``2.0``, ``1e-05``, ``-0.0``, ``inf``);
an integer is ``str``; a bool ``True``/``False``; in an object column a text is itself, a float
``repr`` and anything else ``str``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

ROWS_PER_BLOCK = 200_000
"""Rows joined and written at a time (memory stays a block's, not the file's)."""


def _quote_triggers() -> tuple[str, ...]:
    """The characters that make the csv writer quote a cell (``,``, ``"`` and ``\\n``), asked of it."""
    found = []
    for code in range(128):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow([f"a{chr(code)}b", "x"])
        if buffer.getvalue().startswith('"'):
            found.append(chr(code))
    return tuple(found)


QUOTE_TRIGGERS = _quote_triggers()


def float_texts(values: np.ndarray) -> pa.Array:
    """Float64 cells as pandas writes them: ``astype(str)``, NaN empty.

    Arrow's cast gives the same shortest digits, but spells them its own way (``2``, ``1e-5``,
    ``1e+15``, ``0.00001``); so a whole number below 2**53 is written as its integer and ``.0``,
    a number between 1e-300 and 1e300 takes Arrow's digits where Arrow spells them as numpy
    does (no exponent from 1e-4 to 1e15, an exponent below 1e-6 and from 1e16, given at least
    two digits), one from 1e-6 to 1e-4 has them moved into an exponent (:func:`_small_texts`),
    and only the rest (``-0.0``, infinities, NaN and the extremes) is spelled by numpy itself.

    >>> float_texts(np.array([2.0, 0.1 + 0.2, 1e-05, -0.0, np.nan, 1e20, -3.0, 2.5e-7])).to_pylist()
    ['2.0', '0.30000000000000004', '1e-05', '-0.0', '', '1e+20', '-3.0', '2.5e-07']
    """
    values = np.ascontiguousarray(values, dtype=np.float64)
    size = np.abs(values)
    with np.errstate(invalid="ignore"):
        whole = (size < 2.0**53) & (values == np.trunc(values)) & ~((values == 0) & np.signbit(values))
    arrow = pa.array(values)
    texts = pc.cast(pc.cast(arrow, pa.int64(), safe=False), pa.string())
    texts = pc.binary_join_element_wise(texts, "0", ".")
    positional = (size >= 1e-4) & (size < 1e15) & ~whole
    scientific = ((size >= 1e-300) & (size < 1e-6)) | ((size >= 1e16) & (size < 1e300))
    arrow_spelt = positional | scientific
    if arrow_spelt.any():
        digits = pc.cast(arrow.filter(pa.array(arrow_spelt)), pa.string())
        has_exponent = np.asarray(pc.match_substring(digits, "e"))
        agrees = np.where(scientific[arrow_spelt], has_exponent, ~has_exponent)
        one_digit = np.asarray(pc.is_in(pc.utf8_slice_codeunits(digits, -2, -1), pa.array(["-", "+"])))
        digits = pc.if_else(agrees & one_digit, pc.utf8_replace_slice(digits, -1, -1, "0"), digits)
        arrow_spelt[arrow_spelt] = agrees
        texts = pc.replace_with_mask(texts, pa.array(arrow_spelt), digits.filter(pa.array(agrees)))
    small = ~whole & ~arrow_spelt & (size >= 1e-6) & (size < 1e-4)
    if small.any():
        texts, small = _small_texts(texts, values, small)
    rest = ~whole & ~arrow_spelt & ~small
    if rest.any():
        spelled = values[rest].astype(str).astype(object)
        spelled[np.isnan(values[rest])] = ""
        texts = pc.replace_with_mask(texts, pa.array(rest), pa.array(spelled, type=pa.string()))
    return texts


def _small_texts(texts: pa.Array, values: np.ndarray, small: np.ndarray) -> tuple[pa.Array, np.ndarray]:
    """Numbers from 1e-6 to 1e-4, which Arrow writes ``0.0000123`` and numpy ``1.23e-05``.

    Returns ``texts`` with them respelled, and which of them were (the others have yet to be).
    """
    positional = pc.cast(pa.array(np.abs(values[small])), pa.string())
    fraction = pc.utf8_slice_codeunits(positional, 2)  # after "0."
    digits = pc.utf8_ltrim(fraction, "0")
    zeros = np.asarray(pc.utf8_length(fraction)) - np.asarray(pc.utf8_length(digits))
    done = np.asarray(pc.starts_with(positional, "0.0000")) & ((zeros == 4) | (zeros == 5))
    first, rest = pc.utf8_slice_codeunits(digits, 0, 1), pc.utf8_slice_codeunits(digits, 1)
    mantissa = pc.if_else(pc.equal(rest, ""), first, pc.binary_join_element_wise(first, rest, "."))
    sign = np.where(values[small] < 0, "-", "")
    exponent = np.where(zeros == 4, "e-05", "e-06")
    spelled = pc.binary_join_element_wise(pa.array(sign), mantissa, pa.array(exponent), "")
    small[small] = done
    return pc.replace_with_mask(texts, pa.array(small), spelled.filter(pa.array(done))), small


def _cell(value: object) -> str:
    """One object cell as the csv writer spells it (missing cells are dealt with before)."""
    if isinstance(value, str):
        return value
    return repr(value) if isinstance(value, float) else str(value)


def object_texts(values: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    """Object cells as pandas writes them: missing ones (``missing``, else ``pd.isna``) empty,
    texts as they are, others spelled."""
    if pd.api.types.infer_dtype(values, skipna=False) == "string":  # texts only, none missing
        return pa.array(values, type=pa.string())
    missing = np.asarray(pd.isna(values)) if missing is None else missing
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        try:
            texts = pa.array(values, type=pa.string(), mask=missing)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # a cell infer_dtype skipped but isna did not
            pass
        else:
            return pc.fill_null(texts, "")
    cells = ["" if gap else _cell(value) for value, gap in zip(values, missing, strict=True)]
    return pa.array(cells, type=pa.string())


def column_texts(column: pd.Series) -> tuple[pa.Array, bool] | None:
    """A column's cells as text, and whether they may need quoting; None for a kind left to pandas."""
    dtype = column.dtype
    if isinstance(dtype, np.dtype):
        values = column.to_numpy()
        if dtype == np.float64:
            return float_texts(values), False
        if dtype.kind == "f":
            spelled = values.astype(str).astype(object)
            spelled[np.isnan(values)] = ""
            return pa.array(spelled, type=pa.string()), False
        if dtype.kind in "iu":
            return pc.cast(pa.array(values), pa.string()), False
        if dtype.kind == "b":
            return pc.if_else(pa.array(values), "True", "False"), False
        if dtype.kind == "O":
            return object_texts(values), True
        return None
    if isinstance(dtype, pd.StringDtype):
        return pc.fill_null(pc.cast(pa.array(column.array), pa.string()), ""), True
    if isinstance(dtype, pd.BooleanDtype):
        flags = pa.array(column.array)
        return pc.fill_null(pc.if_else(flags, "True", "False"), ""), False
    if isinstance(dtype, pd.api.extensions.ExtensionDtype) and (
        dtype.kind in "iu" and isinstance(column.array, pd.arrays.IntegerArray)
    ):
        return pc.fill_null(pc.cast(pa.array(column.array), pa.string()), ""), False
    if isinstance(dtype, pd.CategoricalDtype) and dtype.categories.dtype.kind not in "Mm":
        cells = np.asarray(column.array.astype(object))
        return object_texts(cells, np.asarray(column.array.isna())), True
    return None


def _quoted(texts: pa.Array) -> pa.Array:
    """Cells holding a comma, a quote or a line feed in quotes, their quotes doubled."""
    needs = pc.match_substring(texts, QUOTE_TRIGGERS[0])
    for char in QUOTE_TRIGGERS[1:]:
        needs = pc.or_(needs, pc.match_substring(texts, char))
    if not pc.any(needs).as_py():
        return texts
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(texts, '"', '""'), '"', "")
    return pc.if_else(needs, quoted, texts)


def header_line(columns: list[str]) -> str:
    """The header row, written by the csv writer itself."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(columns)
    return buffer.getvalue()


def csv_blocks(frame: pd.DataFrame) -> Iterator[bytes | memoryview] | None:
    """``frame.to_csv(index=False, lineterminator="\\n")`` as UTF-8 pieces; None when pandas must write it.

    >>> frame = pd.DataFrame({"id": ["a,b", 'say "hi"'], "x": [1.5, np.nan], "n": [1, 2]})
    >>> b"".join(csv_blocks(frame)).decode() == frame.to_csv(index=False, lineterminator="\\n")
    True
    """
    labels = list(frame.columns)
    if not labels or isinstance(frame.columns, pd.MultiIndex) or not all(isinstance(c, str) for c in labels):
        return None
    texts = []
    try:
        for position in range(frame.shape[1]):
            made = column_texts(frame.iloc[:, position])
            if made is None:
                return None
            column, may_need_quotes = made
            texts.append(_quoted(column) if may_need_quotes else column)
    except (pa.ArrowException, UnicodeEncodeError):  # a lone surrogate: pandas raises as before
        return None
    if len(texts) == 1:  # the csv writer quotes a row that is one empty cell
        texts[0] = pc.if_else(pc.equal(texts[0], ""), '""', texts[0])
    texts = [pc.cast(column, pa.large_string()) for column in texts]
    return _blocks(header_line(labels), texts, len(frame))


def _blocks(header: str, texts: list[pa.Array], rows: int) -> Iterator[bytes | memoryview]:
    yield header.encode("utf-8")
    for start in range(0, rows, ROWS_PER_BLOCK):
        block = [column.slice(start, ROWS_PER_BLOCK) for column in texts]
        lines = pc.binary_join_element_wise(*block, _large(","))
        lines = pc.binary_join_element_wise(lines, _large(""), _large("\n"))
        yield _data(lines)


def _large(text: str) -> pa.Scalar:
    return pa.scalar(text, pa.large_string())


def _data(lines: pa.Array) -> memoryview:
    """The characters of a text array, end to end, without a copy."""
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)[lines.offset : lines.offset + len(lines) + 1]
    return memoryview(lines.buffers()[2])[int(offsets[0]) : int(offsets[-1])]
