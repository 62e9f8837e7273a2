"""``leadnet.toml`` values checked against the types their configuration fields declare.

tomllib gives plain Python values; a dataclass field of :mod:`leadnet.config` declares
what its key should hold (``bool``, ``int``, ``tuple[str, ...]``, ``Mapping[str, str]``,
``date``, ``Path`` …, or ``metadata["toml"]`` where the file may hold more than the
annotation). :func:`check_types` raises a :class:`~leadnet.errors.ConfigError` naming the
section, key, the value found with its TOML type and, when it is clear, the literal that
was meant (``show_names = "false"`` → ``write show_names = false``). tomllib gives no
positions, so :func:`key_lines` finds the line of each key in the text and :func:`with_lines`
adds it to such an error (``leadnet.toml line 14, [analysis]: …``), or to one of
:func:`check_keys` (``unknown key "sed" (did you mean "seed"?)``).
"""

from __future__ import annotations

import calendar
import json
import math
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import fields
from datetime import date, datetime
from functools import cache
from pathlib import Path
from types import UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

from leadnet.errors import ConfigError
from leadnet.near_names import meant

# What each TOML type is called in error messages; a field's annotation picks one.
EXPECTED: Mapping[Any, str] = {
    bool: "true or false",
    int: "a whole number such as 10",
    float: "a number such as 0.5",
    str: 'a string in quotes such as "text"',
    Path: 'a file path in quotes such as "people.csv"',
    date: "a date such as 2026-01-31",
}


@cache
def field_types(cls: type) -> Mapping[str, Any]:
    """The TOML type of each field of a section: ``metadata["toml"]``, else its annotation."""
    hints = get_type_hints(cls)
    return {f.name: f.metadata.get("toml", hints[f.name]) for f in fields(cls)}


def _options(kind: Any) -> list[Any]:
    """The types a union accepts, None left out (an absent key keeps the default)."""
    return [a for a in get_args(kind) if a is not type(None)]


def _is_date(value: Any) -> bool:
    if isinstance(value, date):
        return not isinstance(value, datetime)  # a datetime cannot be compared with a date
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def date_problem(text: str) -> str | None:
    """What is wrong with ``text``, written ``YYYY-MM-DD``, when it names no day; ``None`` when it does or
    is not written so. The one wording of a date that does not exist, in ``leadnet.toml`` (a string, or
    a bare TOML date: :func:`dates_in_line`) and in ``--from``/``--to``.

    >>> date_problem("2026-02-30"), date_problem("2024-02-30")
    ('February 2026 has 28 days, so no day 30', 'February 2024 has 29 days, so no day 30')
    >>> date_problem("2026-13-01"), date_problem("0000-01-01")
    ('there is no month 13 (months are 01 to 12)', 'there is no year 0000 (years are 0001 to 9999)')
    >>> date_problem("2026-03-31"), date_problem("soon")
    (None, None)
    """
    match = _ISO_DATE.fullmatch(text.strip())
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    if year == 0:
        return "there is no year 0000 (years are 0001 to 9999)"
    if not 1 <= month <= 12:
        return f"there is no month {match[2]} (months are 01 to 12)"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"{_MONTHS[month - 1]} {year} has {days} days, so no day {match[3]}"
    return None


def day_fix(text: str) -> str:
    """The fix of ``text``, a ``YYYY-MM-DD`` that :func:`date_problem` finds names no day: the day that
    exists nearest it, the last of its month for a day past the end (leap years counted), the first for
    day 00, month 12 or 01 for a month out of range, year 0001 for year 0000.

    >>> day_fix("2026-02-30"), day_fix("2028-02-30")
    ('write a day that exists, such as 2026-02-28', 'write a day that exists, such as 2028-02-29')
    >>> day_fix("2026-04-31"), day_fix("2026-13-01"), day_fix("2026-00-00"), day_fix("0000-01-01")
    ... # doctest: +NORMALIZE_WHITESPACE
    ('write a day that exists, such as 2026-04-30', 'write a day that exists, such as 2026-12-01',
     'write a day that exists, such as 2026-01-01', 'write a day that exists, such as 0001-01-01')
    """
    match = _ISO_DATE.fullmatch(text.strip())
    assert match is not None, text  # only a date written YYYY-MM-DD names no day
    year, month, day = (int(part) for part in match.groups())
    year, month = max(year, 1), min(max(month, 1), 12)
    day = min(max(day, 1), calendar.monthrange(year, month)[1])
    return f"write a day that exists, such as {date(year, month, day).isoformat()}"


def dates_in_line(line: str) -> list[tuple[str, str]]:
    """Each ``YYYY-MM-DD`` of a line of TOML that names no day, with :func:`date_problem`'s words:
    tomllib calls it a syntax error (``Invalid date or datetime``, or for month 13 ``Expected newline``).

    >>> dates_in_line("from = 2026-02-30  # the end of February")
    [('2026-02-30', 'February 2026 has 28 days, so no day 30')]
    """
    found = [(m[0], date_problem(m[0])) for m in re.finditer(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?!\d)", line)]
    return [(text, problem) for text, problem in found if problem is not None]


def _fits(value: Any, kind: Any) -> bool:
    """Whether ``value``, as read by tomllib, has the outer shape of type ``kind``."""
    origin = get_origin(kind)
    if kind is Any:
        return True
    if origin in (Union, UnionType):
        return any(_fits(value, option) for option in _options(kind))
    if origin in (list, tuple, Mapping):
        return isinstance(value, dict if origin is Mapping else list)
    if kind is bool or isinstance(value, bool):  # True is an int in Python, never in TOML
        return kind is bool and isinstance(value, bool)
    if kind is float:
        return isinstance(value, int | float) and math.isfinite(value)
    if kind is date:
        return _is_date(value)
    return isinstance(value, str if kind is Path else kind)


def _mismatch(value: Any, kind: Any, key: str) -> tuple[str, Any, Any] | None:
    """The first part of ``value`` that is not of type ``kind``, as (key, value, type)."""
    if get_origin(kind) in (Union, UnionType):
        fitting = [option for option in _options(kind) if _fits(value, option)]
        return _mismatch(value, fitting[0], key) if fitting else (key, value, kind)
    if not _fits(value, kind):
        return key, value, kind
    if get_origin(kind) not in (list, tuple, Mapping):
        return None
    item = get_args(kind)[1 if get_origin(kind) is Mapping else 0]  # Mapping[str, X], tuple[X, ...]
    parts = value.items() if isinstance(value, dict) else enumerate(value, start=1)
    for part, inner in parts:
        name = f"{key}.{_key(part)}" if isinstance(value, dict) else f"{key} item {part}"
        found = _mismatch(inner, item, name)
        if found:
            return found
    return None


def _expected(kind: Any) -> str:
    if get_origin(kind) in (Union, UnionType):
        words = [_expected(option) for option in _options(kind)]
        return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
    if get_origin(kind) is Mapping:
        of = " of strings" if get_args(kind)[1] is str else ""
        return f'a table{of} such as {{ key = "value" }}'
    if get_origin(kind) in (list, tuple):
        return 'a list of strings such as ["a", "b"]'
    return EXPECTED[kind]


def _key(key: Any) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", str(key)) else json.dumps(key)


def toml_literal(value: Any) -> str:
    """``value`` written as in a TOML file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{_key(k)} = {toml_literal(v)}" for k, v in value.items())
        return f"{{ {inner} }}" if inner else "{}"
    return value.isoformat() if isinstance(value, date) else str(value)


# How a value read by tomllib is named in error messages (bool before int, datetime before date).
TOML_TYPES: tuple[tuple[type, str], ...] = (
    (bool, "boolean"), (int, "whole number"), (float, "number"), (str, "string"),
    (datetime, "date-time"), (date, "date"), (list, "list"), (dict, "table"),
)  # fmt: skip
BOOL_WORDS = {"true": "true", "yes": "true", "on": "true", "1": "true"} | {
    "false": "false", "no": "false", "off": "false", "0": "false",
}  # fmt: skip


def _found(value: Any) -> str:
    """``value`` and its TOML type, for an error message."""
    text = toml_literal(value)
    text = text if len(text) <= 60 else text[:57] + "..."
    if isinstance(value, str) and not value:
        return "an empty string"
    name = next((name for kind, name in TOML_TYPES if isinstance(value, kind)), "time")
    return f"the {name} {text}"


def _fix(value: Any, kind: Any) -> str | None:
    """The TOML literal ``value`` most likely meant, when that is clear."""
    if kind is bool and isinstance(value, str | int):
        return BOOL_WORDS.get(str(value).strip().lower())
    if kind in (int, float) and isinstance(value, str):
        try:
            number = kind(value.strip())
        except ValueError:
            return None
        return str(number) if math.isfinite(number) else None
    if kind is int and isinstance(value, float) and value.is_integer():
        return str(int(value))
    if get_origin(kind) in (list, tuple) and isinstance(value, str):
        return toml_literal([part.strip() for part in value.split(",") if part.strip()])
    return None


def whole_floats(table: Mapping[str, Any], types: Mapping[str, Any]) -> dict[str, Any]:
    """The values of ``table`` written as whole-number floats (``1e308``, ``1000.0``) for its whole-number
    keys, so that their ranges are checked before their types: one far out of its range is told the
    range, not to write its 309 digits (the type's fix, ``permutations = 1000``, is for one in range).

    >>> whole_floats({"permutations": 1e308, "seed": 7, "resolution": 2.0}, {"permutations": int,
    ...              "seed": int, "resolution": float})
    {'permutations': 1e+308}
    """
    return {
        key: value
        for key, value in table.items()
        if types.get(key) is int and isinstance(value, float) and value.is_integer()
    }


def check_keys(table: Mapping[str, Any], allowed: Sequence[str], where: str) -> None:
    """Raise :class:`ConfigError` for the first key of ``table`` not in ``allowed``, with the one meant."""
    for key in table:
        if key not in allowed:
            hint = meant(key, allowed)
            raise ConfigError(f'{where}: unknown key "{key}"{hint}. Valid keys: {", ".join(sorted(allowed))}')


def check_types(table: Mapping[str, Any], types: Mapping[str, Any], where: str, prefix: str = "") -> None:
    """Raise :class:`ConfigError` for the first key of ``table`` whose value is not of its type."""
    for key, kind in types.items():
        found = _mismatch(table[key], kind, prefix + key) if key in table else None
        if found is None:
            continue
        name, value, expected = found
        fix = _fix(value, expected) if name == prefix + key else None
        hint = f" (write {key} = {fix})" if fix else ""
        problem = date_problem(value) if isinstance(value, str) and _fits(date(1, 1, 1), expected) else None
        hint = f": {problem}" if problem else hint
        raise ConfigError(f"{where} {name}: expected {_expected(expected)}, got {_found(value)}{hint}")


def as_table(value: Any, where: str) -> Mapping[str, Any]:
    """``value`` if it is a TOML table (a section, a ``[[sources]]`` entry), else a ConfigError."""
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table of key = value lines, got {_found(value)}")
    return value


# Where keys are: tomllib gives no positions, so the text is scanned for each ``key =``.
_BARE_KEY = r"[A-Za-z0-9_-]+"
_BASIC_KEY = r'"(?:[^"\\]|\\.)*"'
_KEY_PART = re.compile(rf"[ \t]*({_BARE_KEY}|{_BASIC_KEY}|'[^']*')[ \t]*")
_MESSAGE_KEY = re.compile(rf"(?:{_BARE_KEY}|{_BASIC_KEY})(?:\.(?:{_BARE_KEY}|{_BASIC_KEY}))*")
_TABLE = re.compile(r"\[\[sources\]\] #\d+|\[[A-Za-z0-9_-]+\]")
Lines = dict[tuple[str, tuple[str, ...]], int]


def _dotted(text: str, start: int) -> tuple[tuple[str, ...], int]:
    """The dotted key (bare or quoted parts) at ``text[start:]`` and where it ends; () if none."""
    parts: list[str] = []
    while match := _KEY_PART.match(text, start):
        part = match[1]
        parts.append(tomllib.loads(f"k = {part}")["k"] if part[0] in "\"'" else part)
        start = match.end()
        if not text.startswith(".", start):
            return tuple(parts), start
        start += 1
    return (), start


def _string_end(text: str, i: int, quote: str) -> int:
    """Where the string whose content starts at ``text[i]`` ends, after its closing ``quote``."""
    while not text.startswith(quote, i):
        i += 2 if text[i] == "\\" and quote[0] == '"' else 1
    while len(quote) == 3 and text.startswith(quote[0], i + 3):
        i += 1  # a multi-line string may end with one or two quotes before its closing three
    i += len(quote)
    return i


def _value_end(text: str, i: int) -> int:
    """Where the line holding the end of the value at ``text[i:]`` ends (arrays and strings may span
    lines; tomllib has already checked the syntax)."""
    depth = 0
    while i < len(text) and not (text[i] == "\n" and depth == 0):
        quote = text[i : i + 3] if text.startswith(('"""', "'''"), i) else text[i]
        if quote[0] in "\"'":
            i = _string_end(text, i + len(quote), quote)
        elif quote == "#":
            i = text.find("\n", i) if "\n" in text[i:] else len(text)
        else:
            depth += (quote in "[{") - (quote in "]}")
            i += 1
    return i


def key_lines(text: str) -> Lines:
    """The line of each key of a ``leadnet.toml``, by table (``[analysis]``, ``[[sources]] #2``, or
    ``""`` for the top level) and dotted key; a parent key (``columns`` of ``columns.person_id = …``
    or of ``[people.columns]``) is where it first appears, and a table (key ``()``) too.

    >>> text = '[people]\\ncolumns = { person_id = "id" }\\n[[sources]]\\n[[sources]]\\n"kind" = "ties"\\n'
    >>> lines = key_lines(text)
    >>> lines["[people]", ("columns",)], lines["[[sources]] #2", ("kind",)], lines["", ("sources",)]
    (2, 5, 3)
    >>> lines["[people]", ()], lines["[[sources]] #2", ()]
    (1, 4)
    """
    lines: Lines = {}
    prefix: tuple[str, ...] = ()
    table, sources, i = "", 0, 0
    while i < len(text):
        line = text.count("\n", 0, i) + 1
        i += len(text[i:]) - len(text[i:].lstrip(" \t"))
        if text.startswith("[", i):  # a table header: [people], [[sources]], [sources.recipients]
            array = text.startswith("[[", i)
            path, i = _dotted(text, i + 1 + array)
            sources += array and path == ("sources",)
            table = f"[[sources]] #{sources}" if path[0] == "sources" else f"[{path[0]}]"
            prefix = path[1:]
            keys = [("", path[:1]), (table, prefix)]
            i = text.find("\n", i) if "\n" in text[i:] else len(text)
        else:
            path, end = _dotted(text, i)
            if not path or not text.startswith("=", end):
                i = _value_end(text, i) + 1  # a blank line or a comment
                continue
            keys = [(table, prefix + path)]
            if table == "":  # people.path = "…" at the top is path of [people]
                keys.append((f"[{path[0]}]", path[1:]))
            i = _value_end(text, end + 1)
        for at, key in keys:
            for n in range(len(key) + 1):
                lines.setdefault((at, key[:n]), line)
        i += 1
    return lines


def with_lines(message: str, file: str, text: str) -> str:
    """``message`` with the line of the key each of its problems names, as ``{file} line 14, …``.

    A problem is a message line that starts with the file's name and a table (``[analysis]``,
    ``[[sources]] #2``, none for the top level) followed by a key (``seed``, ``columns.person_id``,
    ``unknown key "sed"``, at its table's line when the table is inline: :func:`key_lines` does not
    place the keys inside one); a problem naming no key of the file (a default, a missing key) is kept.

    >>> text = "[analysis]\\n# the seed\\nseed = -1\\n"
    >>> with_lines("leadnet.toml [analysis]: seed must be 0 or more.", "leadnet.toml", text)
    'leadnet.toml line 3, [analysis]: seed must be 0 or more.'
    """
    lines = key_lines(text)
    said = message.split("\n")
    for number, problem in enumerate(said):
        indent, rest = problem[: len(problem) - len(problem.lstrip(" "))], problem.lstrip(" ")
        if not rest.startswith((f"{file} ", f"{file}:")):
            continue
        rest = rest[len(file) :]
        table = _TABLE.match(rest, 1)
        label = table[0] if table else ""
        after = rest[1 + len(label) :] if table else rest
        after = re.sub(r'^ \(kind "[^"]*"\)', "", after).removeprefix(":").lstrip(" ")
        path: tuple[str, ...] = ()
        key = _MESSAGE_KEY.match(after)
        if key and not after.startswith("unknown key "):
            parts = re.findall(rf"{_BARE_KEY}|{_BASIC_KEY}", key[0])
            path = tuple(json.loads(part) if part[0] == '"' else part for part in parts)
            after = after[key.end() :].removeprefix(":").lstrip(" ")
        if unknown := re.match(rf"unknown key ({_BASIC_KEY})", after):
            path += (json.loads(unknown[1]),)
        # an unknown key of an inline table (people = { pth = "…" }) is on the line of the table
        last = 0 if unknown is None or not label else -1
        found = [lines[label, path[:n]] for n in range(len(path), last, -1) if (label, path[:n]) in lines]
        if found:
            at = f"{file} line {found[0]}"
            said[number] = indent + (f"{at}, {rest[1:]}" if table else at + rest)
    return "\n".join(said)
