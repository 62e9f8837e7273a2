"""A table file's bytes → text or records: file type by magic bytes, encoding by BOM, XLSX cells as text.

The whole-file checks of :func:`leadnet.importers.tables.read_table`: a directory, a
device or a pipe is ``not-a-file``, a link that leads back to itself ``link-loop``; a
gzip, OLE, zip or XLSX file given as CSV is ``wrong-file-type`` with the fix; bytes that
are not valid in the encoding are ``encoding`` with the line they are on (the fix:
``encoding = "..."`` in the file's section of leadnet.toml); a file of blank lines is
``empty-file``; an XLSX workbook whose formulas have no saved value (one written by a
program, never calculated) is ``unsaved-formula``: they would read as blank; one openpyxl
cannot read (a part missing, XML it cannot parse, entities that expand past its limit) is
``damaged-file``, with the fix: save it again, or export CSV.
"""

from __future__ import annotations

import errno
import io
import os
import re
import stat
import zipfile
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

from leadnet.errors import InputError, RowIssue
from leadnet.importers.header_cells import HeaderNames, ordinal, placed, renames, shown_cells
from leadnet.schema import duplicate_column, header_key

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_MAGIC: tuple[tuple[str, bytes, str, str], ...] = (
    ("gzip", b"\x1f\x8b", "a gzip-compressed file", "decompress it first"),
    (
        "ole",
        b"\xd0\xcf\x11\xe0",
        "an OLE compound file (an Outlook .msg or a legacy Excel .xls)",
        'open it and save it as "CSV UTF-8"',
    ),
)


def fail(file: str, line: int | None, code: str, detail: str, hint: str | None = None) -> InputError:
    """A whole-file :class:`~leadnet.errors.InputError` naming the file (and line, when known)."""
    return InputError.from_issues([RowIssue(file, line, code, detail, hint=hint)])


def not_a_file(path: Path, name: str | None = None) -> InputError:
    """``not-a-file``: a table path that names a directory, with the table files inside it; the problem
    names it ``name`` (its file name unless given)."""
    tables = sorted(p.name for p in path.iterdir() if p.suffix.lower() in (".csv", ".tsv", ".txt", ".xlsx"))
    listed = ", ".join(f'"{t}"' for t in tables[:3]) + (", …" if len(tables) > 3 else "")
    hint = (
        f"give the path of the file itself, e.g. one of {listed}" if tables else "give the path of the file"
    )
    return fail(name or path.name, None, "not-a-file", f"{path} is a directory, not a file", hint)


_SPECIAL = ((stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
            (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"))  # fmt: skip
_LINK_FIX = "point the link at the file itself, or give the file's own path"


def not_found(path: Path, name: str | None = None) -> InputError:
    """Why ``path``, neither a regular file nor a directory, cannot be read, named ``name`` (its file
    name unless given).

    ``missing-file`` for a path that does not exist or a link to one that does not;
    ``link-loop`` for a symbolic link that leads back to itself; ``not-a-file`` for a
    device (``/dev/null``), a named pipe or a socket, which a reader would find empty or wait
    on for ever.
    """
    name = name or path.name
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return fail(name, None, "link-loop", f"{path} is a symbolic link that leads back to itself",
                        _LINK_FIX)  # fmt: skip
        if path.is_symlink():
            detail = f"{path} is a symbolic link to {os.readlink(path)}, which does not exist"
            return fail(name, None, "missing-file", detail, _LINK_FIX)
        return fail(name, None, "missing-file", "file not found", f"check the path: {path}")
    what = next((kind for test, kind in _SPECIAL if test(mode)), "not a regular file")
    target = f"{path} leads to {path.resolve()}," if path.is_symlink() else f"{path} is"
    return fail(name, None, "not-a-file", f"{target} {what}, not a file", "give the path of the file itself")


def file_type(head: bytes, whole: Path | bytes) -> tuple[str, str, str] | None:
    """``(key, what the file is, fix)`` when ``head`` starts like a zip, XLSX, gzip or OLE file.

    ``whole`` is the file (its path, or all its bytes): a zip's member list, which tells an
    XLSX workbook from another archive, is at its end.

    >>> file_type(b"\\x1f\\x8b\\x08", b"")
    ('gzip', 'a gzip-compressed file', 'decompress it first')
    >>> file_type(b"sender,recipients", b"") is None
    True
    """
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(whole if isinstance(whole, Path) else io.BytesIO(whole)) as archive:
                members = archive.namelist()
        except (zipfile.BadZipFile, OSError):
            members = []
        if any(m.startswith("xl/") for m in members):
            return "xlsx", "an XLSX workbook", "rename it .xlsx"
        return "zip", "a zip archive", "unzip it first"
    return next(((key, kind, fix) for key, magic, kind, fix in _MAGIC if head.startswith(magic)), None)


def check_magic(
    name: str,
    data: bytes | Path,
    *,
    expected: str = "CSV text",
    fixes: Mapping[str, str] | None = None,
) -> None:
    """Fail with ``wrong-file-type`` when ``data`` starts like a zip, XLSX, gzip or OLE file.

    ``data`` is the file's bytes, or its path (only its first bytes are read, and a zip's
    member list). ``fixes`` replaces the fix of a type (keys ``xlsx``, ``zip``, ``gzip``,
    ``ole``) for a reader that takes other files than the table reader.
    """
    if isinstance(data, Path):
        with data.open("rb") as handle:
            head = handle.read(8)
    else:
        head = data[:8]
    found = file_type(head, data)
    if found is not None:
        key, kind, fix = found
        raise fail(
            name, None, "wrong-file-type", f"file is {kind}, not {expected}", (fixes or {}).get(key, fix)
        )


ENCODING_FIX = (
    "save the file as UTF-8, or name its encoding: --encoding cp1252 (for example) on the command line, "
    'or encoding = "cp1252" in leadnet.toml, in the [[sources]] entry that reads it, in [people] for the '
    "roster and the exclusion list, or in [programme] for the cohort file"
)
"""How to read a table in another encoding: ``--encoding`` or the ``encoding`` key of its section."""


def decode(name: str, data: bytes, encoding: str | None, *, fix: str = ENCODING_FIX) -> str:
    """``data`` as text (by its BOM, else ``encoding``, else UTF-8), without a BOM.

    A byte-order mark decides: ``--encoding`` names the encoding of every table a run
    reads, and one of them may still be a UTF-8 or UTF-16 export with its BOM. Fails
    naming the line of the first byte that is not valid in the encoding, with ``fix`` as
    the hint (for a file whose reader takes no ``encoding``, say so there).

    >>> decode("people.csv", "\\ufeffperson_id\\nÉlodie\\n".encode("utf-8"), "cp1252")
    'person_id\\nÉlodie\\n'
    """
    bom = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    chosen = bom or encoding or "utf-8"
    try:
        text = data.decode(chosen)
    except LookupError:
        hint = 'use a Python codec name, e.g. --encoding cp1252 or encoding = "latin-1" in leadnet.toml'
        raise fail(name, None, "encoding", f'unknown encoding "{encoding}"', hint) from None
    except UnicodeDecodeError as err:
        line = line_at(data[: err.start].decode(chosen, errors="replace"))
        byte = data[err.start : err.start + 1].hex()
        detail = f"byte 0x{byte} is not valid {chosen.upper().replace('-SIG', '')}"
        raise fail(name, line, "encoding", detail, fix) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise fail(name, None, "empty-file", "file has no text, only blank lines", "export the table again")
    return text


def header_names(header: list[str]) -> tuple[list[str], int, int]:
    """Header names with blank trailing ones dropped; blank inner ones named ``column N``; how many of each.

    >>> header_names(["id", "", "unit", "", ""])
    (['id', 'column 2', 'unit'], 2, 1)
    """
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    names = [h or f"column {i + 1}" for i, h in enumerate(header[:width])]
    unnamed = sum(1 for h in header[:width] if not h)
    return names, len(header) - width, unnamed


def check_duplicate_columns(name: str, line: int, names: Sequence[str], *, fold: bool = False) -> None:
    """Fail with ``duplicate-column`` naming both positions when two header names are equal.

    ``fold`` compares names regardless of case (the database engine's column names are), as
    :func:`~leadnet.schema.header_key` does.

    >>> check_duplicate_columns("mail.csv", 1, ["sender", "cc", "cc"])
    Traceback (most recent call last):
    leadnet.errors.InputError: mail.csv line 1: duplicate column "cc" at positions 2 and 3 ...
    """
    first: dict[str, int] = {}
    for pos, col in enumerate(names, start=1):
        key = header_key(col) if fold else col
        if key in first:
            raise duplicate_column(name, line, (names[first[key] - 1], first[key]), (col, pos))
        first[key] = pos


def line_at(before: str) -> int:
    """The physical line of the character after ``before``, lines ending in ``\\n``, ``\\r\\n`` or ``\\r``.

    The same line ends :func:`leadnet.importers.tables.read_table` splits on (``newline=""``).

    Examples
    --------
    >>> line_at("a\\n1\\n2,"), line_at("a\\r\\n1\\r\\n2,"), line_at("a\\r1\\r2,"), line_at("a\\r")
    (3, 3, 3, 2)
    """
    return before.count("\n") + before.count("\r") - before.count("\r\n") + 1  # no copy of the text


def open_quote(lines: list[str], index: int, delimiter: str) -> tuple[int, bool]:
    """The line of the last quote opened from record start ``lines[index]``; still open at the end?

    >>> open_quote(["x\\n", 'a,"b\\n', "c\\n"], 1, ","), open_quote(['a,"b\\n', 'c",d\\n'], 0, ",")
    ((2, True), (1, False))
    """
    in_quote, field_start, opened = False, True, index + 1
    for number, line in enumerate(lines[index:], start=index + 1):
        i = 0
        while i < len(line):
            char = line[i]
            if in_quote:
                if char == '"' and line[i + 1 : i + 2] == '"':
                    i += 1
                elif char == '"':
                    in_quote = False
            elif char == '"' and field_start:
                in_quote, opened = True, number
            field_start = not in_quote and char in (delimiter, "\n", "\r")
            i += 1
    return opened, in_quote


MAP_COLUMNS_FIX = "map the columns in leadnet.toml"
"""The hint of a missing column, for a file that leadnet.toml can map."""


Wanted = tuple[Sequence[str], Collection[str]]
"""The names a header must have, and those of them it may have in another letter case."""


def missing_names(cells: Sequence[str], wanted: Wanted) -> list[str]:
    """The names of ``wanted`` that the header ``cells`` lacks."""
    required, any_case = wanted
    keys = {header_key(cell) for cell in cells} if any_case else set()
    return [r for r in required if r not in cells and not (r in any_case and header_key(r) in keys)]


NOT_A_TABLE = "the first line has no comma, semicolon or tab, so the file is probably not a table"
NOT_A_TABLE_FIX = (
    "check the path; a table is a CSV file, its columns split by commas, semicolons or tabs, or an XLSX "
    "workbook"
)
NO_HEADER_ADDRESS = (
    "the first line holds an address (not shown), not a header, so the file's header is missing"
)
NO_HEADER_SHOWN = (
    "the first line holds no header the file reads, and is not shown, as it may name someone who opted out"
)
_HEADER_NAME = re.compile(r"[\w .()/#'-]{1,40}")
"""A cell that reads as a header name (``employee``, ``E-mail address``, ``Name/ID``): shown, as a typo in it
helps."""


def not_a_table(names: Sequence[str]) -> bool:
    """Whether a header of ``names`` is one cell with no delimiter that reads as no header name: a line
    of some other file (``root:x:0:0:root:/root:/bin/bash``), which a message must not quote.

    One header name is shown, since the fix may be to correct it; any other first line of one cell is
    not quoted at all, not even cut short: it is no column name, so it tells the reader nothing a
    column map could use, and the file may hold anything (a path in leadnet.toml may lead to
    ``/etc/shadow``). A tab is looked for too, though a header split at tabs is never one cell: a
    ``sep=;`` line or a workbook's cell can leave one inside the one cell, and "no ... tab" must hold.

    >>> not_a_table(["root:x:0:0:root:/root:/bin/bash"]), not_a_table(["employee"]), not_a_table(["a", "b"])
    (True, False, False)
    """
    return len(names) == 1 and not any(d in names[0] for d in ",;\t") and not _HEADER_NAME.fullmatch(names[0])


def missing_columns(
    name: str,
    seen: Sequence[tuple[int | None, Sequence[str]]],
    wanted: Wanted,
    column_fix: str | None,
    names: HeaderNames | None = None,
) -> InputError:
    """The ``missing-column`` error of a header search that found none of ``seen`` complete, with its fix:
    a close header to map (``column_fix`` None: the file has a column map) or to rename.

    Only the cells of the first line that read as headers the file reads are quoted
    (:func:`~leadnet.importers.header_cells.shown_cells`: ``wanted``'s names and ``names``, each header
    → the other names its column goes by); with none of them, the line is said to be no header."""
    if not seen:
        return fail(name, None, "empty-file", "file has no header row", "export the table again")
    line, found = seen[0]
    missing = missing_names(found, wanted)
    cells = [f for f in found if f]
    plural = "s" if len(missing) > 1 else ""
    if not_a_table(cells):  # an address on the first line (not quoted): a list of people with no header
        address = "@" in cells[0]
        detail = f"required column{plural} {listed(missing)} not found; " + (
            NO_HEADER_ADDRESS if address else NOT_A_TABLE
        )
        hint = no_header_fix(missing, "") if address else NOT_A_TABLE_FIX
        return MissingColumn(RowIssue(name, line, "missing-column", detail, hint=hint), missing, {})
    known = {**{header: () for header in wanted[0]}, **(names or {})}
    shown = shown_cells(cells, known)
    pairs = renames(missing, shown, known)
    by_position = placed([m for m in missing if m not in {m for _, m in pairs}], cells, known)
    if not shown:
        detail = f"required column{plural} {listed(missing)} not found; {NO_HEADER_SHOWN}"
        hint = no_header_fix(missing, column_fix, positional_renames(by_position))
        return MissingColumn(RowIssue(name, line, "missing-column", detail, hint=hint), missing, {})
    more = not_shown(len(cells) - len(shown))
    detail = f"required column{plural} {listed(missing)} not found; columns found: {listed(shown)}{more}"
    if column_fix is None:  # a column map can name the header as it is
        guesses = ", ".join(f'"{header}" for "{m}"' for header, m in pairs)
        hint = f"did you mean {guesses}?" if pairs else "" if by_position else MAP_COLUMNS_FIX
    else:  # no column map: the header itself must change
        renamed = ", ".join(f'"{header}" to "{m}"' for header, m in pairs)
        hint = f"rename the header{'s' if len(pairs) > 1 else ''} {renamed}" if pairs else ""
        hint = f"{hint}: {column_fix}" if hint else column_fix if not by_position else ""
    hint = "; ".join(part for part in (hint, positional_renames(by_position)) if part)
    issue = RowIssue(name, line, "missing-column", detail, hint=hint)
    return MissingColumn(issue, missing, {m: h for h, m in pairs}, shown)


def not_shown(count: int) -> str:
    """What a list of a first line's cells says of the ``count`` cells it does not quote (none: nothing)."""
    return f" and {count:,} more, not shown, as no header the file reads" if count else ""


def positional_renames(pairs: Sequence[tuple[int, str]]) -> str:
    """The rename of each column (position from 1, missing header) whose header reads like a missing one,
    naming the column by its position, as its header may be a person's name (``importers.header_cells``).

    >>> print(positional_renames([(1, "respondent"), (3, "nominee")]))  # doctest: +NORMALIZE_WHITESPACE
    the 1st column's header reads like "respondent": rename it to "respondent"; the 3rd column's header
    reads like "nominee": rename it to "nominee"
    """
    return "; ".join(
        f'the {ordinal(position)} column\'s header reads like "{m}": rename it to "{m}"'
        for position, m in pairs
    )


def no_header_fix(missing: Sequence[str], column_fix: str | None, renamed: str = "") -> str:
    """The fix of a first line that holds no header: write one, naming the ``missing`` columns; if the line
    is a header, the ``renamed`` columns whose headers read like missing ones (:func:`positional_renames`),
    else, in a file with a column map (``column_fix`` None), map them."""
    fix = f"add a first line naming the columns, {listed(missing)} among them"
    header_fix = renamed or (MAP_COLUMNS_FIX if column_fix is None else "")
    return f"{fix}; if it is the header, {header_fix}" if header_fix else fix


class MissingColumn(InputError):
    """The ``missing-column`` error of a header search (``issue``), knowing the names it lacks
    (``missing``) and the header the file has close to each (``close``: name → header), so that a
    caller that knows which role reads each name and where its column map was written can say
    which line to write (:meth:`~leadnet.importers.column_fixes.MissingRole.located`). ``found`` are
    the header's names, for a caller that suggests a map of more roles than the missing ones."""

    def __init__(
        self, issue: RowIssue, missing: Sequence[str], close: Mapping[str, str], found: Sequence[str] = ()
    ) -> None:
        super().__init__(str(issue), [issue])
        self.issue, self.missing, self.close, self.found = issue, tuple(missing), dict(close), tuple(found)


def listed(names: Sequence[str]) -> str:
    """``"a", "b"``: names as a message quotes them."""
    return ", ".join(f'"{n}"' for n in names)
