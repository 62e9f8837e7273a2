"""Analyst outputs: the CSV and JSON files of an analysis (their folder: :mod:`leadnet.output_folder`).

CSV files are UTF-8 with a BOM (Excel opens them correctly) and formula-safe: a text
cell that starts with ``= + - @``, tab, CR or NUL gets a leading ``'`` so a spreadsheet
shows it instead of running it (OWASP, "CSV Injection"). A direction control (U+202E…) or line
separator in a text cell is written as its escape, ``\\u202e``, so it reorders no line of the file
(:func:`leadnet.invisible.cell_text`; ids, units and levels hold none: they are read without).
JSON stays raw.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from leadnet import __version__
from leadnet.analysis import SUMMARY_KEYS, Analysis
from leadnet.invisible import LINE_CHANGERS, cell_text
from leadnet.model import Snapshot
from leadnet.report.csvtext import csv_blocks
from leadnet.report.disclosure import people_shown, reasons_shown, split_masks, split_withheld, units_shown

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0")
_PREFIXES = pa.array(FORMULA_PREFIXES, type=pa.string())
_CR_OR_CHANGER = f"[\r{LINE_CHANGERS}]"


def formula_safe(value: Any) -> Any:
    """Defuse a text cell a spreadsheet would run as a formula.

    >>> formula_safe('=HYPERLINK("http://x")'), formula_safe("Surgery"), formula_safe(-1.5)
    ('\\'=HYPERLINK("http://x")', 'Surgery', -1.5)
    """
    return "'" + value if _is_formula(value) else value


def _is_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def csv_cell(value: str) -> str:
    """A text cell as a CSV file holds it: its direction controls and separators escaped
    (:func:`~leadnet.invisible.cell_text`), defused, and a carriage return written as a line feed.

    Python's csv writer quotes a cell that holds the line terminator (``\\n``) but, before
    3.13, not one that holds a bare ``\\r``; a spreadsheet ends the row there, and the rest
    of the cell starts a row of its own, where a formula is no longer defused. As a line
    feed the break stays inside the quoted cell.

    >>> csv_cell("Mei\\r=cmd|' /C calc'!A0"), csv_cell("=1+1"), csv_cell("a\\r\\nb")
    ("Mei\\n=cmd|' /C calc'!A0", "'=1+1", 'a\\nb')
    >>> print(csv_cell("Mei\\u202eroliaT"))
    Mei\\u202eroliaT
    """
    value = formula_safe(cell_text(value))
    return value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value


def csv_safe_column(values: pd.Series) -> pd.Series:
    """:func:`csv_cell` over a whole column, each distinct text tested once; numbers and gaps untouched.

    (Ten million cells naming a million people: a million tests, not ten million, and those
    made by Arrow in one pass, :func:`_needs_writing`; only the texts it flags are rewritten.)

    >>> csv_safe_column(pd.Series(["=1+1", "ok", 3, None], dtype=object)).tolist()
    ["'=1+1", 'ok', 3, None]
    >>> csv_safe_column(pd.Series([-3, "-x", 2.5], dtype=object)).tolist()
    [-3, "'-x", 2.5]
    >>> csv_safe_column(pd.Series(["a\\rb", "c"], dtype="string")).tolist()
    ['a\\nb', 'c']
    """
    if values.dtype != object and not pd.api.types.is_string_dtype(values):
        return values
    try:
        codes, uniques = pd.factorize(values)
    except TypeError:  # an unhashable cell: test every cell
        codes, uniques = np.arange(len(values)), values.to_numpy(dtype=object)
    texts = np.asarray(uniques, dtype=object)
    changed = np.append(_needs_writing(texts), False)
    rows = changed[codes]  # code -1 (a missing cell) takes the last, False
    if not rows.any():
        return values
    written = texts.copy()
    written[changed[:-1]] = [csv_cell(text) for text in texts[changed[:-1]]]
    out = values.astype(object).copy()
    out[rows] = written[codes[rows]]
    return out


def _needs_writing(cells: np.ndarray) -> np.ndarray:
    """Which ``cells`` :func:`csv_cell` would change: texts starting with a formula prefix or holding a
    CR, a direction control or a separator (:data:`~leadnet.invisible.LINE_CHANGERS`).

    >>> _needs_writing(np.array(["=1", "a\\rb", "ok", "", 3, None, "-", "a\\u2066b"], dtype=object)).tolist()
    [True, True, False, False, False, False, True, True]
    """
    is_text = np.fromiter((isinstance(c, str) for c in cells), dtype=bool, count=len(cells))
    needs = np.zeros(len(cells), dtype=bool)
    if not is_text.any():
        return needs
    try:
        texts = pa.array(cells[is_text], type=pa.string())
    except (pa.ArrowException, UnicodeEncodeError):  # a lone surrogate Arrow cannot hold: test each
        needs[is_text] = [csv_cell(text) is not text for text in cells[is_text]]
        return needs
    first = pc.utf8_slice_codeunits(texts, 0, 1)
    flagged = pc.or_(pc.is_in(first, value_set=_PREFIXES), pc.match_substring_regex(texts, _CR_OR_CHANGER))
    needs[is_text] = flagged.to_numpy(zero_copy_only=False)
    return needs


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` as formula-safe UTF-8-with-BOM CSV with ``\\n`` line endings.

    The bytes are pandas' ``to_csv``'s, made by Arrow a column at a time (:mod:`.csvtext`);
    a frame Arrow cannot spell as pandas would is written by pandas.
    """
    safe = frame.copy()
    for col in safe.columns:
        safe[col] = csv_safe_column(safe[col])
    blocks = csv_blocks(safe)
    if blocks is None:
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.write("\ufeff")  # the byte-order mark ("utf-8-sig" encodes row by row, slowly)
            safe.to_csv(handle, index=False, lineterminator="\n")
        return
    with path.open("wb") as raw:
        raw.write("\ufeff".encode())
        for block in blocks:
            raw.write(block)


def json_ready(value: Any) -> Any:
    """Turn numpy scalars, NaN, infinities and dataclass-like values into plain JSON values.

    >>> json_ready({"a": np.float64("nan"), "b": np.int64(3), "c": (1.5, None)})
    {'a': None, 'b': 3, 'c': [1.5, None]}
    """
    if isinstance(value, Mapping):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [json_ready(v) for v in value]
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if not math.isfinite(float(value)) else float(value)
    if value is pd.NA or value is None:
        return None
    if hasattr(value, "__dataclass_fields__"):
        return json_ready(value.__dict__)
    return value


def write_json(data: Mapping[str, Any], path: Path) -> None:
    """Write sorted, indented JSON (byte-identical for identical data)."""
    text = json.dumps(json_ready(data), indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False)
    path.write_text(text + "\n", encoding="utf-8")


def provenance(snapshot: Snapshot, seed: int, parameters: Mapping[str, Any]) -> dict[str, Any]:
    """The ``provenance`` block of ``summary.json``."""
    return {
        "leadnet_version": __version__,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "seed": seed,
        "parameters": dict(parameters),
        "period": str(snapshot.period),
        "normalisations": dict(sorted(snapshot.provenance.normalisations.items())),
        "inputs": [
            {
                "path": i.path,
                "kind": i.kind,
                "sha256": i.sha256,
                "rows_read": i.rows_read,
                "rows_accepted": i.rows_accepted,
                "rows_rejected": i.rows_rejected,
            }
            for i in snapshot.provenance.inputs
        ],
    }


def summary_document(analysis: Analysis) -> dict[str, Any]:
    """``summary.json``: the stable keys first, then extra figures, then provenance."""
    settings = analysis.settings
    parameters = {
        "min_group_size": settings.min_group_size,
        "primary_relation": analysis.snapshot.relation,
        "top_levels": settings.top_levels,
        "permutations": settings.permutations,
        "resolution": settings.resolution,
        "max_reject_rate": settings.max_reject_rate,
        "show_names": settings.show_names,
        **dict(analysis.snapshot.provenance.parameters),
    }
    doc = {key: analysis.summary.get(key) for key in SUMMARY_KEYS}
    doc.update({k: v for k, v in analysis.summary.items() if k not in doc})
    hidden = analysis.hidden
    leadership = doc.get("leadership")
    if hidden.units and isinstance(leadership, Mapping) and "reasons" in leadership:
        reasons = reasons_shown(leadership["reasons"], hidden.units, hidden.k)  # no hidden unit named
        doc["leadership"] = {**leadership, "reasons": reasons}
    doc["methods"] = analysis.methods
    doc["provenance"] = provenance(analysis.snapshot, settings.seed, parameters) | {
        "project": {"name": analysis.project.name, "purpose": analysis.project.purpose}
    }
    return doc


def people_export(analysis: Analysis) -> pd.DataFrame:
    """``people.csv``; the ``name`` column is added only when names were asked for. A person of a
    unit, level or community hidden for privacy has it shown as the pool, never its name
    (:func:`.disclosure.people_shown`); nor does a figure of a unit shown that would tell how the
    hidden units' people split between them (:func:`.disclosure.split_masks`)."""
    hidden = analysis.hidden
    people = people_shown(analysis.people, hidden)
    masks = split_masks(analysis.people, analysis.snapshot.ties_of(), hidden)
    people = split_withheld(people, masks, hidden.k)
    names = analysis.snapshot.people.get("name")
    if analysis.settings.show_names and names is not None:
        people = people.copy()
        people.insert(1, "name", names.to_numpy())
    return people


def units_export(analysis: Analysis) -> pd.DataFrame:
    """``units.csv``: a hidden unit's row (every figure ``<k``) named as the pool, after the units
    shown (:func:`.disclosure.units_shown`)."""
    return units_shown(analysis.units, analysis.hidden.units)


def write_analysis(analysis: Analysis, folder: Path, html: str) -> None:
    """Write every file of the output contract for one snapshot into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(html, encoding="utf-8")
    write_json(summary_document(analysis), folder / "summary.json")
    write_csv(people_export(analysis), folder / "people.csv")
    write_csv(units_export(analysis), folder / "units.csv")
    write_csv(analysis.communities, folder / "communities.csv")
    write_csv(analysis.snapshot.ties, folder / "ties.csv")
    write_csv(analysis.snapshot.rejected, folder / "rejected.csv")
    analysis.snapshot.save(folder / "snapshot")  # without names and addresses, for compare
