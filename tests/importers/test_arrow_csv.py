"""The Arrow fast path keeps every row exactly as the strict reader does, or steps aside."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadnet.errors import InputError
from leadnet.importers import tables

CASES = {
    "clean": "respondent,nominee,weight\na,b,1\nb,c,2\nc,a,3\n",
    "duplicates": "respondent,nominee,weight\na,b,1\na,b,1\nc,a,3\n",
    "no final newline": "respondent,nominee,weight\na,b,1\nc,a,3",
    "preamble and sep line": "sep=;\nexported 2026\nrespondent;nominee;weight\na;b;2,5\nNA;None;1\n",
    "blank row": "respondent,nominee,weight\na,b,1\n\nc,a,3\n",
    "delimiters only": "respondent,nominee,weight\na,b,1\n,,\nc,a,3\n",
    "non-ascii blank": "respondent,nominee,weight\na,b,1\n\u00a0,\u00a0,\u00a0\n",
    "short row": "respondent,nominee,weight\na,b\nc,a,3\n",
    "extra blank cell": "respondent,nominee,weight\na,b,1,\nc,a,3\n",
    "quotes": 'respondent,nominee,weight\n"a",b,1\nc,"x,y",3\n',
    "control character": "respondent,nominee,weight\na\x07,b,1\nc,a,3\n",
    "crlf": "respondent,nominee,weight\r\na,b,1\r\nc,a,3\r\n",
    "unicode ids": "respondent,nominee,weight\nzoë,björk,1\n",
}


def _read(path: Path, fast_from: int, monkeypatch: pytest.MonkeyPatch) -> tables.Table:
    monkeypatch.setattr(tables, "FAST_FROM_BYTES", fast_from)
    return tables.read_table(path, ["respondent", "nominee"])


@pytest.mark.parametrize("case", sorted(CASES))
def test_fast_path_reads_every_file_exactly_as_the_strict_reader(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "survey.csv"
    path.write_text(CASES[case], encoding="utf-8", newline="")
    slow, fast = _read(path, 10**12, monkeypatch), _read(path, 0, monkeypatch)
    assert fast.frame.equals(slow.frame)
    assert fast.frame.dtypes.tolist() == slow.frame.dtypes.tolist()
    assert np.array_equal(fast.lines, slow.lines)
    assert (fast.rows_read, fast.issues, fast.normalisations, fast.duplicate_lines) == (
        slow.rows_read,
        slow.issues,
        slow.normalisations,
        slow.duplicate_lines,
    )


@pytest.mark.parametrize("fast_from", [0, 10**12])
def test_each_duplicate_row_is_kept_with_its_line_and_that_of_the_row_it_repeats(
    fast_from: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "survey.csv"
    path.write_text("respondent,nominee\na,b\nc,a\na,b\n\nc,a\na,b\nb,a\n", encoding="utf-8")
    table = _read(path, fast_from, monkeypatch)
    assert table.duplicate_lines == ((4, 2), (6, 3), (7, 2))
    assert (table.normalisations["duplicate-row"], table.lines.tolist()) == (3, [2, 3, 8])


def test_fast_path_is_taken_for_a_clean_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "survey.csv"
    path.write_text(CASES["preamble and sep line"], encoding="utf-8")
    monkeypatch.setattr(tables, "_build", None)  # the strict path would fail
    table = _read(path, 0, monkeypatch)
    assert table.frame.values.tolist() == [["a", "b", "2,5"], ["NA", "None", "1"]]
    assert table.lines.tolist() == [4, 5]
    assert table.normalisations == {"preamble-line": 1}


_CELL = st.text(alphabet="abcAB12 _-é", min_size=0, max_size=3)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_CELL, _CELL, _CELL), min_size=1, max_size=30))
def test_fast_path_finds_the_strict_readers_duplicate_rows(rows: list[tuple[str, str, str]]) -> None:
    """Rows drawn from a few values repeat often: both paths drop the same ones and keep the same lines."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as monkeypatch:
        path = Path(tmp) / "survey.csv"
        body = "".join(",".join(row) + "\n" for row in rows)
        path.write_text("respondent,nominee,weight\n" + body, encoding="utf-8")
        try:
            slow = _read(path, 10**12, monkeypatch)
        except InputError:
            return  # e.g. no row with both ids: a whole-file error, the fast path is never reached
        fast = _read(path, 0, monkeypatch)
        assert fast.frame.equals(slow.frame)
        assert np.array_equal(fast.lines, slow.lines)
        assert (fast.rows_read, fast.issues, fast.normalisations) == (
            slow.rows_read,
            slow.issues,
            slow.normalisations,
        )


@given(
    st.lists(st.integers(1, 6), min_size=1, max_size=5).flatmap(
        lambda shape: st.tuples(
            st.just(shape),
            st.lists(st.tuples(*(st.integers(0, 2**31) for _ in shape)), min_size=1, max_size=40),
            st.lists(st.sampled_from([1, 3, 2**20, 2**31 - 1]), min_size=len(shape), max_size=len(shape)),
        )
    )
)
@settings(max_examples=200, deadline=None)
def test_repeated_rows_from_one_key_per_row_are_those_pandas_finds_across_the_columns(case) -> None:  # type: ignore[no-untyped-def]
    # The duplicate rows of the fast path come from one mixed-radix key per row, renumbered
    # before it would pass 64 bits: the same rows as DataFrame.duplicated over the codes. Arrow's
    # dictionary codes are 32-bit, so a column has fewer than 2**31 distinct values.
    from leadnet.importers.arrow_csv import _repeated

    shape, rows, radices = case
    sizes = [max(radix, width) for radix, width in zip(radices, shape, strict=True)]
    codes = [np.array([row[i] % width for row in rows], dtype=np.int64) for i, width in enumerate(shape)]
    expected = pd.DataFrame({i: c for i, c in enumerate(codes)}).duplicated(keep="first").to_numpy()
    assert _repeated(codes, sizes).tolist() == expected.tolist()


def test_a_survey_read_by_arrow_is_resolved_from_its_codes_without_making_a_text_cell_per_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from leadnet.importers.survey import load_survey

    path = tmp_path / "survey.csv"
    path.write_text("respondent;nominee;weight\na;b;2,5\nb; c;1\na;b;2,5\nc;a;x\nc;b;3\n", encoding="utf-8")
    people = pd.DataFrame({"person_id": ["a", "b", "c"]})
    monkeypatch.setattr(tables, "FAST_FROM_BYTES", 10**12)
    slow = load_survey(path, people, columns={"weight": "weight"})
    monkeypatch.setattr(tables, "FAST_FROM_BYTES", 0)
    monkeypatch.setattr(tables, "decoded", None)  # making the frame's text cells would fail
    fast = load_survey(path, people, columns={"weight": "weight"})
    assert fast.ties[["source", "target", "weight", "count"]].values.tolist() == [
        ["a", "b", 2.5, 1],
        ["b", "c", 1.0, 1],
        ["c", "b", 3.0, 1],
    ]
    pd.testing.assert_frame_equal(fast.ties, slow.ties, check_exact=True)
    assert (
        [(i.line, i.code) for i in fast.issues]
        == [(5, "bad-weight")]
        == [(i.line, i.code) for i in slow.issues]
    )
    assert fast.normalisations == slow.normalisations == {"duplicate-row": 1, "id-normalised": 1}


def test_a_table_read_by_arrow_makes_its_frame_on_first_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "survey.csv"
    path.write_text(CASES["duplicates"], encoding="utf-8")
    table = _read(path, 0, monkeypatch)
    assert table.columns == ["respondent", "nominee", "weight"]
    assert isinstance(table.column("nominee").dtype, pd.CategoricalDtype)
    assert table.column("nominee").tolist() == ["b", "a"]
    assert table.frame.values.tolist() == [["a", "b", "1"], ["c", "a", "3"]]
    assert [type(v) for v in table.frame["weight"]] == [str, str]
    assert table.column("nominee").dtype == object  # the frame, once made, is the one read
