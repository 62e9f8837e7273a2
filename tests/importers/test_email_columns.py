"""An e-mail export's columns: its header read from the file, and the columns a map needs."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from leadnet.errors import InputError
from leadnet.importers.email_columns import check_mapped_columns, export_header
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
        'log.csv: required column "Date" not found; columns found: "From", "To", "Sent" (map the columns in '
        "leadnet.toml) [missing-column]"
    )
    check_mapped_columns(tmp_path / "log.csv", layout, ["sender", "recipients"], {**read, "Date": "VARCHAR"})
