"""Strict table reading: every bad-table row of QUALITY.md's "inputs the test suite must survive"."""

from __future__ import annotations

import gzip
import os
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from leadnet.errors import InputError
from leadnet.importers.tables import Table, parse_number, read_table

BAD = Path(__file__).parents[1] / "data" / "bad"


def write(folder: Path, content: str | bytes, name: str = "people.csv") -> Path:
    path = folder / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def error_of(path: Path, required: list[str] | None = None, **kwargs: object) -> str:
    with pytest.raises(InputError) as caught:
        read_table(path, required or ["person_id"], **kwargs)  # type: ignore[arg-type]
    return str(caught.value)


def records(table: Table) -> list[list[object]]:
    return [[line, *row] for line, row in zip(table.lines.tolist(), table.frame.values.tolist(), strict=True)]


def assert_accounted(table: Table) -> None:
    dropped = table.normalisations.get("blank-row", 0) + table.normalisations.get("duplicate-row", 0)
    assert table.rows_read == len(table.frame) + dropped + len(table.issues)


def test_identifiers_and_na_like_names_stay_strings(tmp_path: Path) -> None:
    table = read_table(
        write(tmp_path, "person_id,name\n00123,NA\n00124,None\n00125,nan\n007,null\n"), ["person_id"]
    )
    assert records(table) == [
        [2, "00123", "NA"],
        [3, "00124", "None"],
        [4, "00125", "nan"],
        [5, "007", "null"],
    ]
    assert table.issues == () and table.normalisations == {}


def test_utf8_bom_header_is_read(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, b"\xef\xbb\xbfperson_id,unit\r\n1,ops\r\n"), ["person_id"])
    assert list(table.frame.columns) == ["person_id", "unit"]
    assert records(table) == [[2, "1", "ops"]]


def test_utf16_excel_export_is_read_by_its_bom(tmp_path: Path) -> None:
    text = "person_id\tname\r\n1\tZoë\r\n2\tŁukasz\r\n"
    table = read_table(write(tmp_path, text.encode("utf-16")), ["person_id"])
    assert table.delimiter == "\t"
    assert records(table) == [[2, "1", "Zoë"], [3, "2", "Łukasz"]]


def test_latin1_file_fails_naming_the_line_and_suggesting_encoding(tmp_path: Path) -> None:
    path = write(tmp_path, "person_id,name\n1,Ann\n2,José\n".encode("latin-1"))
    assert error_of(path) == (
        "people.csv line 3: byte 0xe9 is not valid UTF-8 (save the file as UTF-8, or name its encoding: "
        '--encoding cp1252 (for example) on the command line, or encoding = "cp1252" in leadnet.toml, in the '
        "[[sources]] entry that reads it, in [people] for the roster and the exclusion list, or in "
        "[programme] for the cohort file) [encoding]"
    )


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_an_encoding_error_names_its_physical_line_whatever_the_line_ends(tmp_path: Path, end: str) -> None:
    text = end.join(["respondent,nominee,comment", "2,1,ok", "3,1,café", ""])
    assert error_of(write(tmp_path, text.encode("latin-1")), ["respondent"]).startswith(
        "people.csv line 3: byte 0xe9 is not valid UTF-8"
    )


def test_unknown_encoding_name_says_where_to_set_a_valid_one(tmp_path: Path) -> None:
    path = write(tmp_path, "person_id\n1\n")
    assert error_of(path, encoding="klingon") == (
        'people.csv: unknown encoding "klingon" (use a Python codec name, e.g. --encoding cp1252 or '
        'encoding = "latin-1" in leadnet.toml) [encoding]'
    )


def test_latin1_file_is_read_when_the_encoding_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "person_id,name\n1,Ann\n2,José\n".encode("latin-1"))
    assert records(read_table(path, ["person_id"], encoding="latin-1")) == [[2, "1", "Ann"], [3, "2", "José"]]


def test_semicolon_file_is_read_by_finding_the_header(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "person_id;name\n1;Smith, Ann\n"), ["person_id", "name"])
    assert table.delimiter == ";"
    assert records(table) == [[2, "1", "Smith, Ann"]]


def test_header_is_found_below_a_title_line_and_counted(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "Staff list 2026\nperson_id|unit\n1|ops\n"), ["person_id"])
    assert (table.delimiter, records(table), table.normalisations) == (
        "|",
        [[3, "1", "ops"]],
        {"preamble-line": 1},
    )


def test_sep_first_line_is_honoured(tmp_path: Path) -> None:
    # with sep=; the header is split on ";" only, so the comma stays inside the name
    table = read_table(write(tmp_path, "sep=;\nperson_id;name\n1;Smith, Ann\n"), ["person_id"])
    assert table.delimiter == ";"
    assert records(table) == [[3, "1", "Smith, Ann"]]


def test_decimal_comma_is_parsed_unless_comma_is_the_delimiter() -> None:
    assert parse_number("2,5") == 2.5
    assert parse_number(" 3 ") == 3.0
    with pytest.raises(ValueError, match='"2,5" is not a number'):
        parse_number("2,5", decimal_comma=False)
    with pytest.raises(ValueError, match="not a finite number"):
        parse_number("nan")


@pytest.mark.parametrize("text", ["1_000", "1_0.5", "١٢", "１", "0x10", "1 000"])
def test_numbers_python_reads_but_a_spreadsheet_never_writes_are_not_numbers(text: str) -> None:
    with pytest.raises(ValueError, match=f'^"{text}" is not a number$'):
        parse_number(text)


@pytest.mark.parametrize("text", ["inf", "Infinity", "-infinity", "NaN", "1e309"])
def test_infinities_and_nan_are_not_finite_numbers(text: str) -> None:
    with pytest.raises(ValueError, match=f'^"{text}" is not a finite number$'):
        parse_number(text)


def test_numbers_as_spreadsheets_write_them_are_read() -> None:
    texts = ["7", "-2", "+3", ".5", "5.", "1E+03", "2.5e-1", " 2,5 "]
    assert [parse_number(t) for t in texts] == [7.0, -2.0, 3.0, 0.5, 5.0, 1000.0, 0.25, 2.5]


def test_short_row_is_quarantined_with_its_physical_line(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "person_id,unit,level\n1,ops,2\n2,ops\n3,hr,1\n"), ["person_id"])
    assert [str(i) for i in table.issues] == [
        'people.csv line 3: 2 cells but the header has 3 columns (no "level") '
        "(add the missing cells or delimiters) [short-row]"
    ]
    assert records(table) == [[2, "1", "ops", "2"], [4, "3", "hr", "1"]]
    assert_accounted(table)


def test_extra_cell_is_quarantined_with_its_physical_line(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "person_id,name\n1,Smith, Ann\n2,Bob\n"), ["person_id"])
    assert [str(i) for i in table.issues] == [
        "people.csv line 2: 3 cells but the header has 2 columns "
        "(quote cells that contain the delimiter, or remove the extra cell) [extra-cell]"
    ]
    assert [i.code for i in table.issues] == ["extra-cell"]
    assert records(table) == [[3, "2", "Bob"]]


def test_unterminated_quote_fails_naming_the_line_it_opened(tmp_path: Path) -> None:
    path = write(tmp_path, 'person_id,name\n1,"Ann\nSmith"\n2,"Bob\n3,Cy\n4,Di\n')
    assert error_of(path) == (
        "people.csv line 4: unterminated quote opened here (close the quote or remove it) "
        "[unterminated-quote]"
    )


def test_a_cell_over_the_readers_limit_is_named_as_such_not_as_a_quote(tmp_path: Path) -> None:
    long = "x" * 200_000
    for cell in (long, f'"{long}"'):  # unquoted, and quoted and closed
        path = write(tmp_path, f"person_id,note\n1,a\n2,{cell}\n3,c\n")
        assert error_of(path) == (
            "people.csv line 3: a cell of this row is longer than 131,072 characters, the reader's limit "
            "(shorten the cell or remove the row) [field-too-long]"
        )
    path = write(tmp_path, f'person_id,note\n1,a\n2,"{long}\n3,c\n')  # the quote never closes
    assert error_of(path).endswith("line 3: unterminated quote opened here (close the quote or remove it) "
                                   "[unterminated-quote]")  # fmt: skip


def test_quoted_newlines_keep_physical_line_numbers(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, 'person_id,note\n1,"two\nlines"\n2,x\n3\n'), ["person_id"])
    assert records(table) == [[2, "1", "two\nlines"], [4, "2", "x"]]
    assert [(i.line, i.code) for i in table.issues] == [(5, "short-row")]


def test_text_after_a_closing_quote_is_quarantined(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, 'person_id,name\n1,"Ann"x\n2,Bob\n'), ["person_id"])
    assert [(i.line, i.code) for i in table.issues] == [(2, "bad-quote")]
    assert records(table) == [[3, "2", "Bob"]]


def test_nul_and_control_characters_are_quarantined(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "person_id,name\n1,A\x00n\n2,B\x1bob\n3,Cy\n"), ["person_id"])
    assert [str(i) for i in table.issues] == [
        'people.csv line 2, column "name": control character U+0000 in the cell (remove it) '
        "[control-character]",
        'people.csv line 3, column "name": control character U+001B in the cell (remove it) '
        "[control-character]",
    ]
    assert records(table) == [[4, "3", "Cy"]]


def test_duplicate_header_fails_naming_both_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "person_id,unit,name,unit\n1,a,b,c\n")
    assert error_of(path) == (
        'people.csv line 1: duplicate column "unit" at positions 2 and 4 (rename one of them) '
        "[duplicate-column]"
    )


def test_blank_trailing_columns_are_dropped_and_counted(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "person_id,unit,,\n1,ops,,\n2,hr,,\n"), ["person_id"])
    assert list(table.frame.columns) == ["person_id", "unit"]
    assert records(table) == [[2, "1", "ops"], [3, "2", "hr"]]
    assert table.normalisations == {"blank-column": 2, "blank-trailing-cell": 2}


def test_blank_and_duplicate_rows_are_dropped_and_counted(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "person_id,unit\n1,ops\n\n , \n1,ops\n2,hr\n1,ops\n"), ["person_id"])
    assert records(table) == [[2, "1", "ops"], [6, "2", "hr"]]
    assert table.normalisations == {"blank-row": 2, "duplicate-row": 2}
    assert (table.rows_read, table.blank_lines) == (6, (3, 4))
    assert_accounted(table)


def test_xlsx_renamed_csv_fails_naming_the_real_type(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["person_id"])
    book.save(tmp_path / "people.csv")
    assert error_of(tmp_path / "people.csv") == (
        "people.csv: file is an XLSX workbook, not CSV text (rename it .xlsx) [wrong-file-type]"
    )


def test_gzip_renamed_csv_fails_naming_the_real_type(tmp_path: Path) -> None:
    path = write(tmp_path, gzip.compress(b"person_id\n1\n"))
    assert error_of(path) == (
        "people.csv: file is a gzip-compressed file, not CSV text (decompress it first) [wrong-file-type]"
    )


def test_outlook_msg_renamed_csv_fails_naming_the_real_type(tmp_path: Path) -> None:
    path = write(tmp_path, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    assert error_of(path) == (
        "people.csv: file is an OLE compound file (an Outlook .msg or a legacy Excel .xls), not CSV text "
        '(open it and save it as "CSV UTF-8") [wrong-file-type]'
    )


def test_missing_file_fails(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    assert error_of(path) == f"people.csv: file not found (check the path: {path}) [missing-file]"


def test_a_directory_fails_saying_it_is_a_directory_and_naming_the_files_in_it(tmp_path: Path) -> None:
    folder = tmp_path / "hr"
    folder.mkdir()
    write(folder, "person_id\n1\n")
    assert error_of(folder) == (
        f"hr: {folder} is a directory, not a file "
        '(give the path of the file itself, e.g. one of "people.csv") [not-a-file]'
    )
    assert error_of(tmp_path / "empty") == (
        f"empty: file not found (check the path: {tmp_path / 'empty'}) [missing-file]"
    )


def test_a_link_that_loops_leads_nowhere_or_to_a_device_is_named_as_such_not_as_missing(
    tmp_path: Path,
) -> None:
    loop, nowhere, device = (tmp_path / name for name in ("loop.csv", "nowhere.csv", "null.csv"))
    loop.symlink_to(loop)
    nowhere.symlink_to(tmp_path / "gone.csv")
    device.symlink_to(os.devnull)
    fix = "(point the link at the file itself, or give the file's own path)"
    assert (
        error_of(loop) == f"loop.csv: {loop} is a symbolic link that leads back to itself {fix} [link-loop]"
    )
    assert error_of(nowhere) == (
        f"nowhere.csv: {nowhere} is a symbolic link to {tmp_path / 'gone.csv'}, which does not exist {fix} "
        "[missing-file]"
    )
    assert error_of(device) == (
        f"null.csv: {device} leads to {os.devnull}, a character device, not a file "
        "(give the path of the file itself) [not-a-file]"
    )
    assert error_of(Path(os.devnull)) == (
        f"null: {os.devnull} is a character device, not a file "
        "(give the path of the file itself) [not-a-file]"
    )


def test_empty_file_fails(tmp_path: Path) -> None:
    assert (
        error_of(write(tmp_path, b""))
        == "people.csv: file is empty (0 bytes) (export the table again) [empty-file]"
    )
    assert error_of(write(tmp_path, "\n \r\n")) == (
        "people.csv: file has no text, only blank lines (export the table again) [empty-file]"
    )


def test_missing_required_column_lists_columns_found_and_the_closest(tmp_path: Path) -> None:
    path = write(tmp_path, "Person ID,unit\n1,ops\n")
    assert error_of(path, ["person_id"]) == (
        'people.csv line 1: required column "person_id" not found; columns found: "Person ID" and 1 more, '
        'not shown, as no header the file reads (did you mean "Person ID" for "person_id"?) [missing-column]'
    )


def test_bad_fixture_files_fail_or_quarantine_as_documented() -> None:
    assert "[unterminated-quote]" in error_of(BAD / "unterminated_quote.csv")
    assert "[duplicate-column]" in error_of(BAD / "duplicate_header.csv")
    assert "line 3: byte 0xe9" in error_of(BAD / "latin1.csv")
    table = read_table(BAD / "messy.csv", ["person_id"])
    assert [(i.line, i.code) for i in table.issues] == [
        (4, "short-row"),
        (5, "extra-cell"),
        (6, "control-character"),
    ]
    assert table.normalisations == {
        "blank-column": 1,
        "blank-row": 1,
        "blank-trailing-cell": 2,
        "duplicate-row": 1,
    }
    assert_accounted(table)


def test_xlsx_is_read_with_numbers_as_identifiers(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["person_id", "level"], [1, 2.0], ["00123", 2.5], [None, None], ["1", 2]):
        sheet.append(row)
    book.save(tmp_path / "people.xlsx")
    table = read_table(tmp_path / "people.xlsx", ["person_id"])
    assert records(table) == [[2, "1", "2"], [3, "00123", "2.5"]]
    assert table.normalisations == {"blank-row": 1, "duplicate-row": 1}


def test_duplicate_rows_are_kept_when_asked(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "source,target\na,b\na,b\n"), ["source"], drop_duplicates=False)
    assert records(table) == [[2, "a", "b"], [3, "a", "b"]]
    assert table.normalisations == {}


def formula_workbook(path: Path, saved: dict[str, str] | None = None) -> Path:
    """A workbook of nominees written as formulas, as a program writes it (no saved values), or with
    the values Excel would have saved (``saved``: cell → text)."""
    book = openpyxl.Workbook()
    for row in (["respondent", "nominee"], ["ann", '="bob"'], ["cy", '="dee"']):
        book.active.append(row)
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for cell, value in (saved or {}).items():
        sheet = re.sub(
            rf'<c r="{cell}"><f>(.*?)</f><v ?/>', rf'<c r="{cell}" t="str"><f>\1</f><v>{value}</v>', sheet
        )
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_xlsx_formulas_without_saved_values_fail_instead_of_reading_as_blank(tmp_path: Path) -> None:
    path = formula_workbook(tmp_path / "survey.xlsx")
    assert error_of(path, ["respondent"]) == (
        "survey.xlsx line 2: cell B2 and 1 other(s) hold formulas with no saved value, so they would read as "
        "blank (the workbook was written by a program that does not calculate formulas: open it in Excel or "
        "LibreOffice and save it, which stores each formula's value, or export the sheet as CSV) "
        "[unsaved-formula]"
    )


def test_xlsx_formulas_are_read_as_the_values_the_workbook_saved(tmp_path: Path) -> None:
    # saved by a spreadsheet program: "dee" is a formula that gave an empty text, not a missing value
    path = formula_workbook(tmp_path / "survey.xlsx", {"B2": "bob", "B3": ""})
    table = read_table(path, ["respondent"])
    assert records(table) == [[2, "ann", "bob"], [3, "cy", ""]]
