"""An e-mail export's columns: its header read from the file, and the columns a map needs."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from leadnet.errors import InputError
from leadnet.importers.email_columns import (
    NAME_COLUMNS_FIX,
    NO_HEADER_FIX,
    check_mapped_columns,
    check_roles,
    export_header,
)
from leadnet.importers.email_exports import ExportLayout


def test_an_exports_header_is_its_csv_line_cut_at_its_delimiter_or_its_parquet_schema(tmp_path: Path) -> None:
    # Named header_names, as the function of table_files that names a table's header cells already read.
    (tmp_path / "log.csv").write_text("sep=;\nFrom;To;Sent\na;b;2024-01-01\n", encoding="utf-8")
    pq.write_table(pa.table({"from": ["a"], "to": ["b"]}), tmp_path / "log.parquet")
    assert export_header(tmp_path / "log.csv", parquet=False) == (["From", "To", "Sent"], 2)
    assert export_header(tmp_path / "log.parquet", parquet=True) == (["from", "to"], None)


def test_the_columns_a_map_needs_are_checked_in_a_csv_export_too(tmp_path: Path) -> None:
    # Named missing_parquet_columns, though the one-row-per-message path checks a CSV's columns by it too.
    layout = ExportLayout({"sender": "From", "recipients": "To", "timestamp": "Date"})
    read = {"From": "VARCHAR", "To": "VARCHAR", "Sent": "VARCHAR"}  # the columns DuckDB reads
    with pytest.raises(InputError) as caught:
        check_mapped_columns(tmp_path / "log.csv", layout, ["sender", "recipients", "timestamp"], read)
    assert str(caught.value) == (
        'log.csv: required column "Date" not found; columns found: "From", "To", "Sent" (did you mean "Sent" '
        'for "Date"?) [missing-column]'  # Sent is a name exports give the time (role_names.EXPORT_NAMES)
    )
    check_mapped_columns(tmp_path / "log.csv", layout, ["sender", "recipients"], {**read, "Date": "VARCHAR"})


@pytest.mark.parametrize(
    ("first_line", "found"),
    [
        # it quoted 'columns found: "mei.taylor@x.org", ...', the address of someone who may have opted out
        (
            "mei.taylor@x.org,tariq@x.org,2026-04-06T00:06:03Z",
            "the first line holds no header the file reads, and is not shown, as it may name someone who "
            f"opted out ({NO_HEADER_FIX})",
        ),
        (
            "From,To,Location",
            'columns found: "From", "To" and 1 more, not shown, as no header the file reads '
            f"({NAME_COLUMNS_FIX})",
        ),
    ],
)
def test_an_export_without_its_header_row_does_not_quote_its_first_line(
    tmp_path: Path, first_line: str, found: str
) -> None:
    message = f"mail.csv line 1: no column is mapped to sender or recipients; {found} [missing-column]"
    path = tmp_path / "mail.csv"
    path.write_text(f"{first_line}\na@x.org,b@x.org,2026-04-06T00:07:03Z\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        check_roles(path, ExportLayout({}), parquet=False, mapped=False)
    assert str(raised.value) == message
