"""Snapshot names, which become folder names under ``--out``: the safe ones, and the reserved one.

A snapshot name is 1 to 64 letters, digits, ``.``, ``_`` or ``-``, starting with a letter or
digit (:data:`SNAPSHOT_NAME`), and not ``comparison``, the folder of the programme comparison
(:data:`RESERVED_SNAPSHOTS`); an unsafe name is refused with a safe one to use instead. Two
names that differ only in letter case would share one folder on Windows and macOS, so they
are refused too (:func:`check_spelling`). A snapshot cut by ``snapshot_by`` is named after its
month or quarter (:func:`period_name`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from leadnet.errors import ConfigError
from leadnet.toml_types import toml_literal

SNAPSHOT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
RESERVED_SNAPSHOTS = ("comparison",)  # --out/comparison holds the programme comparison


def snapshot_name(table: Mapping[str, Any], key: str, default: str, where: str) -> str:
    """A snapshot name from ``table[key]``, checked to be a safe folder name under ``--out``.

    Examples
    --------
    >>> snapshot_name({"snapshot": "2024-Q1"}, "snapshot", "main", "leadnet.toml [[sources]] #1")
    '2024-Q1'
    >>> snapshot_name({"snapshot": "2024/Q1"}, "snapshot", "main", "leadnet.toml [[sources]] #1")
    ... # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    leadnet.errors.ConfigError: leadnet.toml [[sources]] #1 snapshot: "2024/Q1" cannot be a folder name
    under --out; a snapshot name is 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or
    digit (rename it, for example snapshot = "2024-Q1")
    """
    name = table.get(key, default)
    if name.casefold() in RESERVED_SNAPSHOTS:
        problem = f"{toml_literal(name)} is reserved for the programme comparison folder"
    elif not SNAPSHOT_NAME.fullmatch(name):
        problem = (
            f"{toml_literal(name)} cannot be a folder name under --out; a snapshot name is 1 to 64 letters, "
            'digits, ".", "_" or "-", starting with a letter or digit'
        )
    else:
        return str(name)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("._-")[:64]
    safe = safe if SNAPSHOT_NAME.fullmatch(safe) and safe.casefold() not in RESERVED_SNAPSHOTS else default
    raise ConfigError(f'{where} {key}: {problem} (rename it, for example {key} = "{safe}")')


def check_spelling(names: Sequence[str], where: str) -> None:
    """Refuse snapshot names, the ``snapshot`` of each source in order, that differ only in case.

    Such names would share one folder on Windows and macOS.
    """
    first: dict[str, tuple[int, str]] = {}
    for i, snapshot in enumerate(names, start=1):
        number, name = first.setdefault(snapshot.casefold(), (i, snapshot))
        if name != snapshot:
            raise ConfigError(
                f"{where} [[sources]] #{i} snapshot: {toml_literal(snapshot)} differs from "
                f"{toml_literal(name)} (source #{number}) only in case, so both would write to one folder "
                "on Windows and macOS; spell them the same"
            )


def period_name(year: int, month: int, by: str) -> str:
    """The name of the snapshot of the month (``by = "month"``) or quarter holding ``year``-``month``.

    The year is written with four digits, as in ISO 8601 (times run from year 1 to 9999),
    so the names sort as the periods do: ``0999-06`` before ``2024-01``, where ``999-06``
    sorted after it, and pandas reads each back as its period.

    Examples
    --------
    >>> period_name(2024, 3, "month"), period_name(2024, 3, "quarter"), period_name(999, 6, "month")
    ('2024-03', '2024-Q1', '0999-06')
    """
    return f"{year:04d}-{month:02d}" if by == "month" else f"{year:04d}-Q{(month - 1) // 3 + 1}"
