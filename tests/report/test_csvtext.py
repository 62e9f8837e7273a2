"""The CSV writer's bytes are pandas' ``to_csv``'s, byte for byte (pandas kept here as the oracle)."""

from pathlib import Path
from tempfile import TemporaryDirectory
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadnet.report import csvtext
from leadnet.report.csvtext import csv_blocks, float_texts
from leadnet.report.exports import csv_safe_column, write_csv


def pandas_csv(frame: pd.DataFrame, path: Path) -> None:
    """The writer before Arrow: the oracle."""
    safe = frame.copy()
    for col in safe.columns:
        safe[col] = csv_safe_column(safe[col])
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("\ufeff")
        safe.to_csv(handle, index=False, lineterminator="\n")


def same_as_pandas(frame: pd.DataFrame) -> bytes:
    with TemporaryDirectory() as folder:
        write_csv(frame, Path(folder) / "new.csv")
        pandas_csv(frame, Path(folder) / "old.csv")
        new, old = (Path(folder) / "new.csv").read_bytes(), (Path(folder) / "old.csv").read_bytes()
    assert new == old
    return new


SPECIAL_FLOATS = [np.nan, np.inf, -np.inf, -0.0, 0.0, 1e-300, 1e20, 0.1 + 0.2, 1e-05, 1e-4, 9.99e-5]
SPECIAL_FLOATS += [1e-6, 1e-7, 1e15, 1e15 + 0.5, 1e16, 2.0**53, 2.0**53 + 2, 5e-324, 2.2250738585072014e-308]
SPECIAL_FLOATS += [1.7976931348623157e308, 123456789.0, -3.0, 2.5e-7, 1.234e21, 0.5, 1 / 3]
FLOATS = st.one_of(st.sampled_from(SPECIAL_FLOATS), st.floats(allow_nan=True, allow_infinity=True))
AWKWARD = [",", '"', "\n", "\r", "=", "+", "-", "@", "\t", "\0", "'", " ", "a", "é", "😀", "中"]
TEXTS = st.text(
    alphabet=st.one_of(
        st.sampled_from(AWKWARD),
        st.characters(exclude_categories=["Cs"]),  # no lone surrogates: neither writer can encode one
    ),
    max_size=8,
)
INTS = st.integers(-(2**63), 2**63 - 1)
GAPS = st.sampled_from([None, np.nan, pd.NA])
KINDS = ["float", "float32", "int", "Int64", "bool", "boolean", "object", "str", "category"]


@st.composite
def columns(draw: st.DrawFn, rows: int) -> object:
    def cells(strategy: st.SearchStrategy[object]) -> list[object]:
        return draw(st.lists(strategy, min_size=rows, max_size=rows))

    kind = draw(st.sampled_from(KINDS))
    made: dict[str, object] = {
        "float": lambda: np.array(cells(FLOATS), dtype=np.float64),
        "float32": lambda: np.array(cells(st.floats(width=32)), dtype=np.float32),
        "int": lambda: np.array(cells(INTS), dtype=np.int64),
        "Int64": lambda: pd.array(cells(st.one_of(st.none(), INTS)), dtype="Int64"),
        "bool": lambda: np.array(cells(st.booleans()), dtype=bool),
        "boolean": lambda: pd.array(cells(st.one_of(st.none(), st.booleans())), dtype="boolean"),
        "str": lambda: pd.array(cells(st.one_of(st.none(), TEXTS)), dtype="str"),
        "category": lambda: pd.Categorical(cells(st.one_of(st.none(), TEXTS))),
    }
    if kind in made:
        return made[kind]()  # type: ignore[operator]
    values = np.empty(rows, dtype=object)
    values[:] = cells(st.one_of(TEXTS, GAPS, FLOATS, INTS, st.booleans()))
    return values


@st.composite
def frames(draw: st.DrawFn) -> pd.DataFrame:
    rows = draw(st.integers(0, 12))
    names = draw(st.lists(TEXTS, min_size=1, max_size=5, unique=True))
    return pd.DataFrame({name: draw(columns(rows)) for name in names})


@settings(max_examples=300, deadline=None)
@given(frames(), st.integers(1, 5))
def test_the_csv_is_byte_for_byte_what_pandas_writes(frame: pd.DataFrame, block: int) -> None:
    with mock.patch.object(csvtext, "ROWS_PER_BLOCK", block):  # rows split across blocks too
        same_as_pandas(frame)


@settings(max_examples=300, deadline=None)
@given(st.lists(FLOATS, max_size=40))
def test_floats_are_spelled_as_numpy_spells_them(values: list[float]) -> None:
    array = np.array(values, dtype=np.float64)
    expected = array.astype(str).astype(object)
    expected[np.isnan(array)] = ""
    assert float_texts(array).to_pylist() == expected.tolist()


def test_floats_are_spelled_with_two_exponent_digits_and_a_point_in_whole_numbers() -> None:
    values = [2.0, -3.0, 1e-05, 2.5e-7, 1e20, 1.234e21, -0.0, np.nan, np.inf, 0.1 + 0.2, 1e15 + 0.5]
    values += [2.5e-5, -3.25e-6, 0.0001, 1e16]
    assert float_texts(np.array(values)).to_pylist() == [
        "2.0", "-3.0", "1e-05", "2.5e-07", "1e+20", "1.234e+21", "-0.0", "", "inf", "0.30000000000000004",
        "1000000000000000.5", "2.5e-05", "-3.25e-06", "0.0001", "1e+16",
    ]  # fmt: skip


def test_the_frames_leadnet_writes_are_spelled_by_arrow_not_by_pandas(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "person_id": pd.array(["E1", "=E2", 'say "hi", then\ngo'], dtype="str"),
            "unit": np.array(["A", None, "B,C"], dtype=object),
            "is_manager": [True, False, True],
            "in_degree": [3, 0, 12],
            "pagerank": [2.5e-7, np.nan, 0.125],
            "brokerage_total": pd.array([4, None, 0], dtype="Int64"),
        }
    )
    with mock.patch.object(pd.DataFrame, "to_csv", side_effect=AssertionError("pandas wrote it")):
        write_csv(frame, tmp_path / "people.csv")
    assert (tmp_path / "people.csv").read_bytes() == (
        "\ufeffperson_id,unit,is_manager,in_degree,pagerank,brokerage_total\n"
        "E1,A,True,3,2.5e-07,4\n"
        "'=E2,,False,0,,\n"
        '"say ""hi"", then\ngo","B,C",True,12,0.125,0\n'
    ).encode()


def test_a_single_column_writes_an_empty_cell_in_quotes_as_pandas_does() -> None:
    written = same_as_pandas(pd.DataFrame({"note": np.array(["a", "", None], dtype=object)}))
    assert written == '\ufeffnote\na\n""\n""\n'.encode()


@pytest.mark.parametrize(
    "frame",
    [
        pd.DataFrame({"when": pd.to_datetime(["2024-01-02", None]), "n": [1, 2]}),
        pd.DataFrame({3: [1.5, 2.0]}),
        pd.DataFrame({"x": pd.array([1.5, None], dtype="Float64")}),
    ],
    ids=["dates", "a number as column name", "nullable floats"],
)
def test_frames_arrow_does_not_spell_are_left_to_pandas(frame: pd.DataFrame) -> None:
    assert csv_blocks(frame) is None
    same_as_pandas(frame)


def test_a_lone_surrogate_fails_as_before(tmp_path: Path) -> None:
    frame = pd.DataFrame({"name": pd.Series(["ok", "bad\ud800"], dtype=object)})
    with pytest.raises(UnicodeEncodeError):
        write_csv(frame, tmp_path / "t.csv")
