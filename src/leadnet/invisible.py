"""Characters that do not show as themselves, and how leadnet shows the text that holds them.

A file's cell may hold characters a reader cannot see: Unicode format characters (category Cf: a
zero-width space, a byte-order mark, a soft hyphen, the direction marks, embeddings, overrides and
isolates), line and paragraph separators (Zl, Zp), control characters (Cc: an ANSI escape). The
direction controls go further: an override such as U+202E shows the rest of its line backwards,
so a line reads differently from what it holds ("Trojan Source", Boucher and Anderson 2021).

Three rules, one per kind of text:

- **ids, units and levels** lose every format character as they are read
  (:func:`leadnet.importers.identity.visible_text`, counted): what shows alike is one person, one
  unit, so ``people.csv`` and ``units.csv`` hold the value the roster shows and join with it;
- **a message** (an error, a warning, ``leadnet validate``'s lines, ``rejected.csv``'s detail)
  shows each such character, format, separator or control (but a line feed and a tab), as its
  escape, ``\\u202e`` (:func:`message_text`): the reader sees why ``E0001`` did not match;
- **a data cell of CSV or XLSX** (a name, a relation, a file's name) shows the direction controls
  and the separators escaped (:data:`LINE_CHANGERS`, :func:`cell_text`), which in a CSV line would
  reorder or break the cells after them, and keeps the other format characters (a zero-width
  non-joiner spells a Persian name; a zero-width joiner, an emoji): they change no other cell.

JSON keeps every text as it is read (a program reads it); the HTML report shows each text in a
cell of its own, where a direction control reaches no further than the cell.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Unicode's Bidi_Control characters: the Arabic letter mark, the left-to-right and right-to-left
marks, embeddings, overrides, their pop, and the isolates."""
LINE_CHANGERS = BIDI_CONTROLS + "\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85\x1b"
"""What :func:`cell_text` escapes: the direction controls, the line and paragraph separators and the
other characters a reader may start a new line at (vertical tab, form feed, the file, group and
record separators, next line: Python's ``splitlines`` breaks at each), and the escape that starts
a terminal's control sequence."""
_LINE_CHANGER = re.compile(f"[{LINE_CHANGERS}]")
_KEPT_CONTROLS = "\t\n"
"""The control characters a message keeps: its line breaks and tabs."""


def escape(char: str) -> str:
    """``char`` as its escape: ``\\u`` and four hex digits, ``\\U`` and eight beyond them.

    >>> print(escape("\\u202e"), escape("\\x1b"), escape("\\U000e0041"))
    \\u202e \\u001b \\U000e0041
    """
    point = ord(char)
    return f"\\u{point:04x}" if point <= 0xFFFF else f"\\U{point:08x}"


def cell_text(text: str) -> str:
    """``text`` as a data cell of CSV or XLSX holds it: the direction controls and separators
    (:data:`LINE_CHANGERS`) escaped, other format characters kept.

    >>> print(cell_text("Mei\\u202eroliaT"), cell_text("Mehr\\u200cnaz") == "Mehr\\u200cnaz")
    Mei\\u202eroliaT True
    """
    if text.isascii():
        return text
    return _LINE_CHANGER.sub(lambda found: escape(found.group()), text)


def message_text(text: str) -> str:
    """``text`` as a message shows it: every format character, separator and control character but
    a line feed and a tab escaped (:func:`escape`), so each shows what it is.

    >>> print(message_text('weight "\\u202e4" is not a number'), message_text("a\\x1b[31mb\\n"))
    weight "\\u202e4" is not a number a\\u001b[31mb
    <BLANKLINE>
    """
    if text.isascii() and text.isprintable():
        return text
    return _hidden().sub(lambda found: escape(found.group()), text)


@functools.cache
def _hidden() -> re.Pattern[str]:
    kept = "".join(re.escape(c) for c in _KEPT_CONTROLS)
    return re.compile(f"(?![{kept}]){category_class(('Cc', 'Cf', 'Zl', 'Zp'))}")


@functools.cache
def category_class(categories: tuple[str, ...]) -> str:
    """A regular-expression class of the characters of the Unicode ``categories``.

    Made from Python's own Unicode tables, in ranges of the characters themselves (no
    escapes), so Python, DuckDB (RE2) and Spark (Java) read it alike. Made once for each
    ``categories``, when first needed (a scan of every code point, 0.1 s).

    >>> category_class(("Zl", "Zp")) == "[\\u2028-\\u2029]"
    True
    """
    runs: list[list[int]] = []
    for point in range(sys.maxunicode + 1):
        if unicodedata.category(chr(point)) in categories:
            if runs and runs[-1][1] == point - 1:
                runs[-1][1] = point
            else:
                runs.append([point, point])
    return "[" + "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in runs) + "]"
