"""Streaming readers for mailboxes: the header block of each message, never its body.

:func:`iter_mbox` walks an mbox file line by line in binary and yields, for each message,
the physical line and byte offset of its ``From_`` line and the bytes of its header block
(up to the first blank line). A message starts only at a line that begins ``From ``,
follows a blank line (or opens the file) and is a ``From_`` line: RFC 4155's
``From <sender> <weekday> <month> <day> <time> <year>`` (:data:`FROM_LINE`), or a line
that is only ``From <address> <ISO 8601 date and time>``, as some exporters write it
(``From ann@x.org 2026-04-06T09:00:00Z``, :data:`ISO_FROM_LINE`). A body line such as
``From the desk of ...`` never starts a phantom message, nor does ``>From `` (mboxo and
mboxrd escaping). :func:`iter_eml` does the same for a folder of ``.eml`` files. Bodies
and attachments are skipped as they stream past; memory holds one header block at a time.

A UTF-8 byte-order mark opening the file is skipped. Text before the first ``From_``
line (a stray header block, a note) is not a message: it is yielded once, marked
``stray`` with what it was, to be quarantined as ``stray-text`` on its first line.

A file or folder in which no message is found is an error (:func:`no_messages`) naming
the line that looked like a message start but is not a ``From_`` line, e.g. one dated
``2026-01-01`` with no time.

References
----------
Hall, E. (2005). The application/mbox media type. RFC 4155.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from leadnet.errors import InputError
from leadnet.importers.table_files import fail

FROM_LINE = re.compile(
    rb"^From \S+ +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? +(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    rb" +\d{1,2} +\d{1,2}:\d\d(?::\d\d)?(?: +\S+)? +\d{4}"
)
"""RFC 4155's ``From_`` line: ``From ann@x.org Thu Jan  1 10:00:00 2026`` (anything may follow)."""
ISO_FROM_LINE = re.compile(  # one "@" in the address, so no backtracking over a long token
    rb"^From [^\s@]+@\S+ +\d{4}-\d\d-\d\d(?:T| +)\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?"
    rb" *(?:Z|UTC|[+-]\d\d(?::?\d\d)?)?\s*$"
)
"""A ``From_`` line as some exporters write it: exactly ``From ann@x.org 2026-01-01T10:00:00Z``
(an address, then an ISO 8601 date and time, with or without a UTC offset, nothing after).
Tried only where :data:`FROM_LINE` fails, so reading an RFC 4155 mbox costs what it did."""
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:")
MAX_HEADER_BYTES = 4 * 1024 * 1024
_BUFFER = 1024 * 1024
MBOX_FIX = (
    'each message of an mbox begins with a line "From <sender> <weekday> <month> <day> <hh:mm:ss> <year>", '
    'e.g. "From ann@example.org Thu Jan  1 10:00:00 2026" (or "From ann@example.org 2026-01-01T10:00:00Z"), '
    "at the start of the file or after a blank line; save single messages as .eml files in a folder and give "
    "the folder"
)
"""What an mbox must look like, for a file read as one that holds no message."""
STRAY_TEXT = "stray-text"
"""The reason code of the text before an mbox's first ``From_`` line."""
STRAY_FIX = (
    'if the text is a message, put a From_ line such as "From ann@example.org Thu Jan  1 10:00:00 2026" '
    "above it; otherwise delete the text"
)
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class RawMessage:
    """The header block of one message and where it starts.

    Attributes
    ----------
    file
        Name of the file it came from (an mbox, or one ``.eml`` file).
    line
        Physical 1-based line of the ``From_`` line (mbox) or 1 (``.eml``).
    offset
        Byte offset of that line.
    headers
        The header block's bytes, ending before the first blank line; empty when the
        block passed :data:`MAX_HEADER_BYTES` (``oversized`` is then true).
    oversized
        The header block was too large to keep.
    stray
        Set when this is no message but the text before an mbox's first ``From_`` line
        (``line`` and ``offset`` are those of its first line that is not blank;
        ``headers`` is empty): what the text was, without its content, e.g.
        ``lines 1-3, before the first From_ line, are not a message, starting with a "Received" header``.
    """

    file: str
    line: int
    offset: int
    headers: bytes
    oversized: bool = False
    stray: str | None = None


def _is_blank(line: bytes) -> bool:
    return line in (b"\n", b"\r\n", b"\r", b"")


class _Block:
    """Collects one header block, stopping at the first blank line or the size cap."""

    def __init__(self, file: str, line: int, offset: int) -> None:
        self.file, self.line, self.offset = file, line, offset
        self.parts: list[bytes] = []
        self.size = 0
        self.open = True
        self.oversized = False

    def feed(self, line: bytes) -> None:
        if not self.open:
            return
        if _is_blank(line):
            self.open = False
        elif self.size + len(line) > MAX_HEADER_BYTES:
            self.open, self.oversized, self.parts = False, True, []
        else:
            self.parts.append(line)
            self.size += len(line)

    def message(self) -> RawMessage:
        return RawMessage(self.file, self.line, self.offset, b"".join(self.parts), self.oversized)


def iter_mbox(path: Path) -> Iterator[RawMessage]:
    """Yield the header block of every message in an mbox file, streaming.

    Text before the first ``From_`` line comes first, as one :class:`RawMessage` marked
    ``stray``; blank lines there are nothing and yield nothing. A file with no ``From_``
    line yields nothing (the caller fails with :func:`no_messages`).

    Examples
    --------
    >>> import tempfile
    >>> box = Path(tempfile.mkdtemp()) / "a.mbox"
    >>> _ = box.write_bytes(b"From a@x Mon Jan  1 10:00:00 2001\\nFrom: a@x\\n\\nhi\\n\\n"
    ...     b"From the desk of a\\n\\nFrom b@x Tue Jan  2 10:00:00 2001\\nFrom: b@x\\n\\nyo\\n")
    >>> [(m.line, m.offset, m.headers) for m in iter_mbox(box)]
    [(1, 0, b'From: a@x\\n'), (8, 69, b'From: b@x\\n')]
    >>> _ = box.write_bytes(b"Subject: hi\\n\\nFrom b@x 2001-01-02T10:00:00Z\\nFrom: b@x\\n")
    >>> [(m.line, m.headers, m.stray) for m in iter_mbox(box)]  # doctest: +NORMALIZE_WHITESPACE
    [(1, b'', 'line 1, before the first From_ line, is not a message, starting with a "Subject" header'),
     (3, b'From: b@x\\n', None)]
    """
    name = path.name
    block: _Block | None = None
    previous_blank = True
    stray: tuple[int, int, bytes] | None = None  # first line, its offset and text, before any From_ line
    last = 0
    with path.open("rb", buffering=_BUFFER) as handle:
        offset = _skip_bom(handle)
        for number, line in enumerate(handle, start=1):
            if previous_blank and line.startswith(b"From ") and _is_from_line(line):
                if block is not None:
                    yield block.message()
                elif stray is not None:
                    yield _stray(name, stray, last)
                block = _Block(name, number, offset)
            elif block is not None:
                block.feed(line)
            elif not _is_blank(line):  # only before the first From_ line: the loop's cost is unchanged
                stray = stray or (number, offset, line[:1000])
                last = number
            previous_blank = _is_blank(line)
            offset += len(line)
    if block is not None:
        yield block.message()


def _stray(name: str, first: tuple[int, int, bytes], last: int) -> RawMessage:
    """The :class:`RawMessage` standing for the text on lines ``first[0]`` to ``last``."""
    number, offset, line = first
    lines = f"line {number}, before the first From_ line, is"
    if last > number:
        lines = f"lines {number}-{last}, before the first From_ line, are"
    if line.startswith(b"From "):
        found = 'a "From " line that is not a From_ line'
    elif _HEADER_LINE.match(line):
        found = f'a "{line.split(b":", 1)[0][:40].decode("ascii")}" header'
    else:
        found = "text that is not a header"
    return RawMessage(name, number, offset, b"", stray=f"{lines} not a message, starting with {found}")


def iter_eml(folder: Path) -> Iterator[RawMessage]:
    """Yield the header block of every ``.eml`` file under ``folder`` (sorted by path).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "1.eml").write_bytes(b"From: a@x\\r\\nTo: b@x\\r\\n\\r\\nbody\\r\\n")
    >>> [(m.file, m.headers) for m in iter_eml(folder)]
    [('1.eml', b'From: a@x\\r\\nTo: b@x\\r\\n')]
    """
    for path in sorted(p for p in folder.rglob("*") if p.suffix.lower() == ".eml" and p.is_file()):
        block = _Block(path.relative_to(folder).as_posix(), 1, 0)
        with path.open("rb") as handle:
            for line in handle:
                block.feed(line)
                if not block.open:
                    break
        yield block.message()


def _is_from_line(line: bytes) -> bool:
    """Whether ``line`` is a ``From_`` line of either form (:data:`FROM_LINE`, :data:`ISO_FROM_LINE`)."""
    return bool(FROM_LINE.match(line) or ISO_FROM_LINE.match(line))


def looks_like_mbox(path: Path) -> bool:
    """Whether the file opens with a ``From_`` line (after a UTF-8 byte-order mark, if any)."""
    with path.open("rb") as handle:
        return _is_from_line(handle.readline(4096).removeprefix(_BOM))


def _skip_bom(handle: BinaryIO) -> int:
    """Read past a UTF-8 byte-order mark at the start of ``handle``; returns the bytes skipped."""
    if handle.read(3) == _BOM:
        return 3
    handle.seek(0)
    return 0


def no_messages(path: Path) -> InputError:
    """The error for an mbox file or ``.eml`` folder in which no message was found.

    Names the first line that starts ``From `` where a message could start but is not a
    ``From_`` line (``From ann@x.org 2026-01-01``: a date with no time), or says that the
    file starts like a single message.
    """
    if path.is_dir():
        hint = "give a folder holding .eml files (subfolders are searched too), or an mbox file"
        return fail(path.name, None, "no-messages", f"no .eml file found in {path}", hint)
    first: bytes | None = None
    unspaced: int | None = None  # the first From_ line with text right above it
    previous_blank = True
    with path.open("rb", buffering=_BUFFER) as handle:
        _skip_bom(handle)
        for number, line in enumerate(handle, start=1):
            if previous_blank and line.startswith(b"From "):
                detail = (
                    f'no message found: {_shown(line)} starts with "From " but is not an mbox From_ line '
                    '(a sender, then a date like "Thu Jan  1 10:00:00 2026")'
                )
                return fail(path.name, number, "no-messages", detail, MBOX_FIX)
            if unspaced is None and line.startswith(b"From ") and _is_from_line(line):
                unspaced = number
            previous_blank = _is_blank(line)
            first = first or (None if previous_blank else line)
    if unspaced is not None:
        detail = (
            f"no message found: line {unspaced} is a From_ line, but the line above it is not blank, so it "
            "does not start a message"
        )
        hint = f"put a blank line above line {unspaced}, and above every From_ line after it"
        return fail(path.name, unspaced, "no-messages", detail, hint)
    if first is None:
        return fail(
            path.name, None, "empty-file", "file has no text, only blank lines", "export the mailbox again"
        )
    if _HEADER_LINE.match(first):
        detail = (
            f"no message found: the file starts with a header line, {_shown(first)}, like a single message"
        )
        return fail(path.name, None, "no-messages", detail, MBOX_FIX)
    return fail(path.name, None, "no-messages", 'no message found: no line starts with "From "', MBOX_FIX)


def _shown(line: bytes) -> str:
    return '"' + line[:80].decode("utf-8", errors="replace").strip() + '"'
