"""What ``leadnet.toml`` may say beyond the types of its values: column roles, options, ranges, encodings.

The roles a ``columns`` map may name, for the roster and for each kind of source (a
survey's by its layout); the options each kind of source takes, with their types; the
range of every number that has limits, with the reason for them; and the text encodings a
table may be read in (:func:`check_encoding`, for ``encoding`` keys and ``--encoding``).
:mod:`leadnet.config` checks a file against these as it reads it, naming the section and
key, so ``leadnet validate`` reports a mistake before any data is read; the importers use
the same roles and ranges when called directly, so a mistake reads the same either way.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from datetime import date
from typing import Any

from leadnet.errors import ConfigError, InputError, RowIssue
from leadnet.near_names import closest, meant, question, role_meant
from leadnet.toml_types import toml_literal

PEOPLE_ROLES: tuple[str, ...] = ("person_id", "unit", "level", "manager_id", "is_manager", "name", "email")
TIE_ROLES: tuple[str, ...] = ("source", "target", "relation", "weight")
"""A tie list's and a long survey's columns."""
WIDE_SURVEY_ROLES: tuple[str, ...] = ("source", "targets")
MEMBERSHIP_ROLES: tuple[str, ...] = ("person", "project", "role", "start", "end", "effort")
EMAIL_ROLES: tuple[str, ...] = ("sender", "recipients", "recipient", "cc", "kind", "timestamp", "message_id")
"""An e-mail export's columns; with no ``columns`` mapped, headers of these names are used."""
_TABLES: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "people": ("a roster", PEOPLE_ROLES),
    "survey": ("a long survey", TIE_ROLES),
    "wide": ("a wide survey", WIDE_SURVEY_ROLES),
    "ties": ("a tie list", TIE_ROLES),
    "membership": ("a membership table", MEMBERSHIP_ROLES),
    "email": ("an e-mail export", EMAIL_ROLES),
}

SOURCE_KEYS = ("kind", "path", "snapshot", "relation", "columns", "layout", "encoding")
WINDOW_OPTIONS = ("from", "to")
SOURCE_OPTIONS: Mapping[str, tuple[str, ...]] = {
    "survey": (),
    "ties": ("directed",),
    "email": (
        "format", "max_recipients", "cc_weight", "min_messages", "require_reciprocity", "external",
        "header", "delimiter", "timestamp_format", "quote", "recipients", *WINDOW_OPTIONS,
    ),
    "membership": ("max_project_size", *WINDOW_OPTIONS),
}  # fmt: skip
EMAIL_FORMATS: tuple[str, ...] = ("mbox", "eml", "csv", "json", "parquet")
"""An e-mail source's ``format`` (by default found from the file)."""
OPTION_CHOICES: Mapping[str, tuple[tuple[str, ...], str]] = {
    "format": (EMAIL_FORMATS, " (or remove the key: the format is found from the file)"),
    "external": (
        ("drop", "pool"),
        ' (drop leaves out addresses outside internal_domains; pool keeps them as one person, "external")',
    ),
}
"""Each text option with a closed set of values: the values and what they mean."""
CHARACTER_OPTIONS: Mapping[str, str] = {
    "delimiter": ', such as ";" or "\\t" (or remove the key: it is found from the header)',
    "quote": ', such as "\'", or "" to read the file without quoting',
}
"""Each text option that is one character, with the fix (an e-mail export's and its recipients file's)."""
# The type of every source option (of any kind), checked like a section's fields.
OPTION_TYPES: Mapping[str, Any] = {
    "directed": bool, "format": str, "max_recipients": int, "cc_weight": float, "min_messages": int,
    "require_reciprocity": bool, "external": str, "header": bool, "delimiter": str,
    "timestamp_format": str, "quote": str, "recipients": Mapping[str, Any], "max_project_size": int,
    "from": date, "to": date,
}  # fmt: skip
# ``recipients = { ... }``: the second file of a two-file email export.
RECIPIENTS_TYPES: Mapping[str, Any] = {
    "path": str, "header": bool, "columns": Mapping[str, str | int], "delimiter": str, "quote": str,
}  # fmt: skip

MAX_PERMUTATIONS = 1_000_000
"""A million permutations resolve a p-value to one in a million, far finer than any threshold a
finding is judged at; more only cost time and memory (a trillion ran out of memory)."""
MAX_RESOLUTION = 100
"""Leiden's resolution: 1 is standard modularity, larger values give smaller communities; far
above 1 the network falls apart into pairs and single people, so larger values are typos."""
MAX_PROJECT_SIZE = 1_000
"""A project of n members makes n(n-1) ties: one of 1,000 makes about a million, and a list that
large (all staff, a whole directorate) says nothing about who works with whom."""

OPTION_RANGES: Mapping[str, tuple[float, float | None, str]] = {
    "max_project_size": (
        2,
        MAX_PROJECT_SIZE,
        " (a project of 2 is the smallest that makes a tie; one of 1,000 members makes about a million "
        "ties, a list too large to say who works with whom)",
    ),
    "max_recipients": (1, None, " (a message to more addresses is a broadcast, not a tie)"),
    "min_messages": (1, None, " (the messages a tie needs in the period)"),
    "cc_weight": (0, None, " (what a Cc'd recipient counts, against 1 for To)"),
}
"""Each number option's lowest and highest value (None: no highest) and why."""


def check_range(
    value: float,
    key: str,
    where: str,
    low: float,
    high: float | None = None,
    *,
    above: bool = False,
    why: str = "",
) -> None:
    """Raise :class:`ConfigError` unless ``low <= value <= high`` (``low < value`` with ``above``).

    The message names ``key`` after ``where``, or alone when ``where`` is empty (a flag: ``--seed``).

    Examples
    --------
    >>> check_range(-3, "top_levels", "leadnet.toml [analysis]", 1)
    Traceback (most recent call last):
    ...
    leadnet.errors.ConfigError: leadnet.toml [analysis]: top_levels must be 1 or more. Got -3 instead.
    >>> check_range(-1, "--seed", "", 0)
    Traceback (most recent call last):
    ...
    leadnet.errors.ConfigError: --seed must be 0 or more. Got -1 instead.
    """
    if (value > low if above else value >= low) and (high is None or value <= high):
        return
    lowest = f"above {low:,}" if above else f"{low:,}"
    accepted = f"{lowest} or more" if high is None else f"from {lowest} to {high:,}"
    if above and high is not None:
        accepted = f"above {low:,} and at most {high:,}"
    subject = f"{where}: {key}" if where else key
    raise ConfigError(f"{subject} must be {accepted}{why}. Got {value:,} instead.")


def check_encoding(name: str | None, where: str) -> str | None:
    """``name`` when Python can decode text with it (None passes), else a :class:`ConfigError`.

    Examples
    --------
    >>> check_encoding("cp1252", "--encoding")
    'cp1252'
    >>> check_encoding("base64", "--encoding")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    leadnet.errors.ConfigError: --encoding: "base64" is not a text encoding Python knows; use a codec ...
    """
    if name is None:
        return None
    try:
        b"\0\0\0\0".decode(name)  # empty bytes would not look the codec up
    except UnicodeDecodeError:  # a text encoding in which these bytes mean nothing
        pass
    except (LookupError, UnicodeError):  # unknown; bytes-to-bytes (base64); "undefined" fails everything
        raise ConfigError(
            f'{where}: "{name}" is not a text encoding Python knows; use a codec name such as "cp1252", '
            '"latin-1" or "utf-16"'
        ) from None
    return name


def check_options(options: Mapping[str, Any], where: str) -> None:
    """Check a source's options: numbers against :data:`OPTION_RANGES`, text against
    :data:`OPTION_CHOICES` and :data:`CHARACTER_OPTIONS`, a second file's ``recipients``
    table and the window's order.

    Examples
    --------
    >>> check_options({"external": "keep"}, "leadnet.toml [[sources]] #3")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    leadnet.errors.ConfigError: leadnet.toml [[sources]] #3: external must be "drop" or "pool" (drop ...
    """
    for key, (low, high, why) in OPTION_RANGES.items():
        if key in options:
            check_range(options[key], key, where, low, high, why=why)
    for key, (choices, why) in OPTION_CHOICES.items():
        if key in options:
            check_choice(options[key], key, where, choices, why)
    _check_characters(options, where)
    _check_time_format(options.get("timestamp_format"), where)
    second = options.get("recipients")
    if isinstance(second, Mapping):
        if "path" not in second:
            raise ConfigError(
                f"{where} recipients: path is missing; name the recipients file, such as recipients = "
                '{ path = "recipients.csv", columns = { message_id = "id", recipient = "address" } }'
            )
        _check_characters(second, f"{where} recipients")
    start, end = (as_date(options.get(key)) for key in WINDOW_OPTIONS)
    if start is not None and end is not None and start > end:
        raise ConfigError(
            f"{where}: from {start} is after to {end}, so the source's window holds no day; "
            "swap them if they were entered the wrong way round, or correct the wrong one"
        )


def check_choice(value: Any, key: str, where: str, choices: Sequence[str], why: str = "") -> None:
    """Raise :class:`ConfigError` unless ``value`` is one of ``choices`` (``why``: what they mean).

    >>> check_choice("xml", "format", "[[sources]] #1", ("mbox", "eml", "csv"))
    Traceback (most recent call last):
    ...
    leadnet.errors.ConfigError: [[sources]] #1: format must be one of "mbox", "eml", "csv". Got "xml" instead.
    >>> check_choice("Wide", "layout", "[[sources]] #1", ("long", "wide"))  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    leadnet.errors.ConfigError: [[sources]] #1: layout must be "long" or "wide". Got "Wide" instead
    (did you mean "wide"?).
    """
    if value in choices:
        return
    quoted = [f'"{choice}"' for choice in choices]
    accepted = " or ".join(quoted) if len(quoted) == 2 else f"one of {', '.join(quoted)}"
    if value is None:
        raise ConfigError(f"{where}: {key} is missing; it must be {accepted}{why}.")
    hint = meant(value, choices) if isinstance(value, str) else ""
    raise ConfigError(f"{where}: {key} must be {accepted}{why}. Got {toml_literal(value)} instead{hint}.")


def _check_characters(options: Mapping[str, Any], where: str) -> None:
    """An e-mail export's ``delimiter`` and ``quote``: one character each (a blank one is left out)."""
    for key, fix in CHARACTER_OPTIONS.items():
        value = options.get(key)
        if isinstance(value, str) and len(value) > 1:
            shown = json.dumps(value, ensure_ascii=False)  # as TOML writes it: "\t", not '\t'
            raise ConfigError(f"{where}: {key} must be one character{fix}. Got {shown} instead.")


TIME_FORMATS = (
    'timestamp_format must be "auto" (ISO 8601, or Unix seconds), "unix", or a pattern of strftime codes, '
    'such as "%d/%m/%Y %H:%M": %d day, %m month, %Y year, %H hour, %M minute, %S second, %z UTC offset'
)


def _check_time_format(value: Any, where: str) -> None:
    """An e-mail export's ``timestamp_format``: ``auto``, ``unix``, or a pattern DuckDB's strptime takes,
    asked of DuckDB, which reads the export (a pattern it refused failed the file as an unreadable CSV)."""
    if not isinstance(value, str) or value in ("auto", "unix"):
        return
    close = closest(value, ("auto", "unix"))
    why = question(close) if close else "it has no % code, so it reads no time"
    if "%" in value:
        import duckdb  # only for a pattern: reading leadnet.toml stays light

        try:
            with duckdb.connect() as con:
                con.execute("SELECT try_strptime('', ?)", [value])
            return
        except duckdb.Error as exc:
            said = str(exc).removeprefix("Invalid Input Error: ")
            why = "DuckDB: " + said.removeprefix(f"Failed to parse format specifier {value}: ")
    shown = json.dumps(value, ensure_ascii=False)
    raise ConfigError(f"{where}: {TIME_FORMATS}. Got {shown} instead ({why}).")


def as_date(value: Any) -> date | None:
    """A checked date field as a date: None, a TOML date or an ISO date string (the type check passed)."""
    return value if value is None or isinstance(value, date) else date.fromisoformat(value)


def check_columns(columns: Mapping[str, Any], table: str, where: str, key: str = "columns") -> None:
    """Raise :class:`ConfigError` for a ``columns`` map that names no role of ``table``.

    ``table`` is ``"people"``, a source kind, or ``"wide"`` for a wide survey; ``key`` is
    where the map is (``recipients.columns`` for an e-mail export's second file). A column
    is a header name (an e-mail export's may be a position, a wide survey's ``targets`` a list).

    Examples
    --------
    >>> check_columns({"source": "respondent", "targets": "x"}, "survey", "[[sources]] #1")
    Traceback (most recent call last):
    ...
    leadnet.errors.ConfigError: [[sources]] #1 columns.targets: "targets" is for layout = "wide"; \
a long survey maps source, target, relation, weight (did you mean "target"?)
    """
    what, roles = _TABLES[table]
    for role, value in columns.items():
        if role not in roles:
            hint = role_meant(role, roles)
            wide = table == "survey" and role in WIDE_SURVEY_ROLES
            problem = (
                f'"{role}" is for layout = "wide"; {what}'
                if wide
                else f'"{role}" is no column of {what}, which'
            )
            raise ConfigError(f"{where} {key}.{role}: {problem} maps {', '.join(roles)}{hint}")
        _check_column(role, value, table, f"{where} {key}.{role}")
    if table == "email":
        _check_one_role_per_column(columns, f"{where} {key}")
    if table == "wide" and "targets" not in columns:
        raise ConfigError(
            f'{where} {key}: a wide survey needs columns.targets, a glob such as "nominee_*" or a list '
            'of headers, such as targets = ["first", "second"]'
        )


def shared_column(columns: Mapping[str, Any]) -> tuple[str, str, Any] | None:
    """The first two roles of a column map read from one column (header or position), or None.

    The one rule for every table: e-mail exports are checked with it when leadnet.toml is
    read (:func:`check_columns`), the others as their files are read
    (:func:`leadnet.importers.columns.column_map`, which words it with the file's name).

    >>> shared_column({"sender": "From", "recipients": "To", "cc": "From"})
    ('sender', 'cc', 'From')
    >>> shared_column({"message_id": 1, "sender": 5}) is None
    True
    """
    readers: dict[Any, str] = {}
    for role, value in columns.items():
        if not isinstance(value, str | int):
            continue
        if value in readers:
            return readers[value], role, value
        readers[value] = role
    return None


def header_key(header: str) -> str:
    """A header as it is matched to a role's name: letter case and surrounding spaces aside.

    >>> header_key(" Person_ID "), header_key("group")
    ('person_id', 'group')
    """
    return header.strip().casefold()


def default_headers(
    file: str,
    line: int | None,
    headers: Sequence[str],
    names: Mapping[str, str],
    taken: Collection[str] = (),
) -> dict[str, str]:
    """Each role of ``names`` (role → the name it reads when not mapped) → the header of ``headers`` it reads.

    The one rule for a header read by its role's name, in every table that has such roles
    (the roster, surveys, tie lists, membership tables, e-mail exports, the cohort file, the
    opt-out list): a role reads the header equal to its name, letter case and surrounding
    spaces aside (:func:`header_key`), unless another role is mapped to that header
    (``taken``); a role no header names is left out. Two headers that both name a role are a
    ``duplicate-column`` :class:`~leadnet.errors.InputError` on the header's ``line``, naming
    both: which of them the role is cannot be told.

    Examples
    --------
    >>> roles = {"person_id": "person_id", "unit": "unit", "level": "level"}
    >>> default_headers("people.csv", 1, ["person_id", " Unit ", "Region"], roles)
    {'person_id': 'person_id', 'unit': ' Unit '}
    >>> default_headers("people.csv", 1, ["person_id", "unit", "UNIT"], roles)
    Traceback (most recent call last):
    leadnet.errors.InputError: people.csv line 1: duplicate column "unit" and "UNIT" at positions 2 and 3 ...
    """
    positions: dict[str, list[int]] = {}
    for position, header in enumerate(headers, start=1):
        if header not in taken:
            positions.setdefault(header_key(header), []).append(position)
    found = {}
    for role, name in names.items():
        at = positions.get(header_key(name), [])
        if len(at) > 1:
            first, second = headers[at[0] - 1], headers[at[1] - 1]
            raise duplicate_column(file, line, (first, at[0]), (second, at[1]))
        if at:
            found[role] = headers[at[0] - 1]
    return found


def duplicate_column(
    file: str, line: int | None, first: tuple[str, int], second: tuple[str, int]
) -> InputError:
    """The ``duplicate-column`` error of two headers (name, position) that name one column.

    >>> print(duplicate_column("mail.csv", 1, ("Sender", 1), ("sender", 6)))
    mail.csv line 1: duplicate column "Sender" and "sender" at positions 1 and 6 (rename one of them) \
[duplicate-column]
    """
    shown = first[0] if first[0] == second[0] else f'{first[0]}" and "{second[0]}'
    detail = f'duplicate column "{shown}" at positions {first[1]} and {second[1]}'
    return InputError.from_issues(
        [RowIssue(file, line, "duplicate-column", detail, hint="rename one of them")]
    )


def _check_one_role_per_column(columns: Mapping[str, Any], where: str) -> None:
    """Two roles of an e-mail export read from one column is an error (:func:`shared_column`)."""
    shared = shared_column(columns)
    if shared is not None:
        first, second, value = shared
        column = f'"{value}"' if isinstance(value, str) else f"column {value}"
        raise ConfigError(
            f"{where}: {first} and {second} are both mapped to {column}, so both would read one "
            "column; map each to the header of its own column"
        )


def _check_column(role: str, value: Any, table: str, where: str) -> None:
    """A header name in quotes; a position only in an e-mail export, a list only for wide ``targets``."""
    if isinstance(value, str) or (table == "email" and isinstance(value, int)):
        return
    if table == "wide" and role == "targets" and isinstance(value, list):
        return
    raise ConfigError(
        f'{where}: expected a column header in quotes, such as {role} = "{role}". Got {value!r} instead.'
    )


def unknown_columns(columns: Mapping[str, Any], roles: Sequence[str]) -> str | None:
    """Why ``columns`` cannot be read with ``roles`` (an importer called directly), or None."""
    unknown = sorted(set(columns) - set(roles))
    if not unknown:
        return None
    return f"unknown column name(s) {', '.join(unknown)}: the names are {', '.join(roles)}."
