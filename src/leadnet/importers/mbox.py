"""Streaming readers for mailboxes: the header block of each message, never its body.

:func:`iter_mbox` walks an mbox file line by line in binary and yields, for each message,
the physical line and byte offset of its ``From_`` line and the bytes of its header block
(up to the first blank line). A message starts only at a line that begins ``From ``,
follows a blank line (or opens the file) and matches the ``From_`` pattern
``From <sender> <weekday> <month> <day> <time> <year>``, so a body line such as
``From the desk of ...`` never starts a phantom message. :func:`iter_eml` does the same
for a folder of ``.eml`` files. Bodies and attachments are skipped as they stream past;
memory holds one header block at a time.

A file or folder in which no message is found is an error (:func:`no_messages`) naming
the line that looked like a message start but is not a ``From_`` line, e.g. one dated
``2026-01-01T10:00:00Z``: such lines are not accepted as separators, as RFC 4155 dates
them in the asctime form and accepting looser lines would let body text start messages.

References
----------
Hall, E. (2005). The application/mbox media type. RFC 4155.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from leadnet.errors import InputError
from leadnet.importers.table_files import fail

FROM_LINE = re.compile(
    rb"^From \S+ +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? +(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    rb" +\d{1,2} +\d{1,2}:\d\d(?::\d\d)?(?: +\S+)? +\d{4}"
)
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:")
MAX_HEADER_BYTES = 4 * 1024 * 1024
_BUFFER = 1024 * 1024
MBOX_FIX = (
    'each message of an mbox begins with a line "From <sender> <weekday> <month> <day> <hh:mm:ss> <year>", '
    'e.g. "From ann@example.org Thu Jan  1 10:00:00 2026", at the start of the file or after a blank line; '
    "save single messages as .eml files in a folder and give the folder"
)
"""What an mbox must look like, for a file read as one that holds no message."""


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
    """

    file: str
    line: int
    offset: int
    headers: bytes
    oversized: bool = False


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

    Examples
    --------
    >>> import tempfile
    >>> box = Path(tempfile.mkdtemp()) / "a.mbox"
    >>> _ = box.write_bytes(b"From a@x Mon Jan  1 10:00:00 2001\\nFrom: a@x\\n\\nhi\\n\\n"
    ...     b"From the desk of a\\n\\nFrom b@x Tue Jan  2 10:00:00 2001\\nFrom: b@x\\n\\nyo\\n")
    >>> [(m.line, m.offset, m.headers) for m in iter_mbox(box)]
    [(1, 0, b'From: a@x\\n'), (8, 69, b'From: b@x\\n')]
    """
    name = path.name
    block: _Block | None = None
    previous_blank = True
    offset = 0
    with path.open("rb", buffering=_BUFFER) as handle:
        for number, line in enumerate(handle, start=1):
            if previous_blank and line.startswith(b"From ") and FROM_LINE.match(line):
                if block is not None:
                    yield block.message()
                block = _Block(name, number, offset)
            elif block is not None:
                block.feed(line)
            previous_blank = _is_blank(line)
            offset += len(line)
    if block is not None:
        yield block.message()


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


def looks_like_mbox(path: Path) -> bool:
    """Whether the file opens with a ``From_`` line."""
    with path.open("rb") as handle:
        return bool(FROM_LINE.match(handle.readline(4096)))


def no_messages(path: Path) -> InputError:
    """The error for an mbox file or ``.eml`` folder in which no message was found.

    Names the first line that starts ``From `` where a message could start but is not a
    ``From_`` line (``From ann@x.org 2026-01-01T10:00:00Z``: the date is not in the
    asctime form of RFC 4155), or says that the file starts like a single message.
    """
    if path.is_dir():
        hint = "give a folder holding .eml files (subfolders are searched too), or an mbox file"
        return fail(path.name, None, "no-messages", f"no .eml file found in {path}", hint)
    first: bytes | None = None
    previous_blank = True
    with path.open("rb", buffering=_BUFFER) as handle:
        for number, line in enumerate(handle, start=1):
            if previous_blank and line.startswith(b"From "):
                detail = (
                    f'no message found: {_shown(line)} starts with "From " but is not an mbox From_ line '
                    '(a sender, then a date like "Thu Jan  1 10:00:00 2026")'
                )
                return fail(path.name, number, "no-messages", detail, MBOX_FIX)
            previous_blank = _is_blank(line)
            first = first or (None if previous_blank else line)
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
