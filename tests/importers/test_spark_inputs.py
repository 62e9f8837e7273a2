"""``engine = "spark"`` gives the embedded engine's snapshots on awkward e-mail logs.

Each test writes a small project (roster, ``leadnet.toml``, hostile logs built by
:class:`Log`) and reads it with :func:`~leadnet.importers.project.load_project`, the step
``leadnet analyse`` and ``leadnet validate`` run, once per engine. Everything a run keeps
must be equal: the snapshots (ties with weights, people with messages sent/received,
rejected rows with file and line, provenance with row counts and normalisations, period)
and the issues reported. Each log is checked to hold what it is meant to test (the codes
in ``bites``), and the Spark runner to have run (the embedded engine cannot pass for it).

The Spark engine stages and resolves a log exactly as the embedded one (DuckDB reads the
files, quarantines rows with their lines and resolves addresses) and runs only the tie
rules on Spark, so these equalities hold by construction; the tests keep it so. A log is
one Spark run or two (``snapshot_by``), several seconds each, so cases share a log where
they cannot hide each other.
"""

from __future__ import annotations

import csv
import io
import json
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pandas.testing import assert_frame_equal

from leadnet.config import load_config
from leadnet.errors import LeadnetWarning
from leadnet.importers import aggregate
from leadnet.importers.project import ProjectInputs, load_project
from leadnet.overrides import with_overrides

pytestmark = [
    pytest.mark.spark,
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]

ROSTER = """person_id,email,unit
1,alice@x.org,a
2,bob@x.org,a
3,carol@x.org,b
4,dan@x.org,b
"""
COLUMNS = {
    "message_id": "message_id",
    "sender": "sender",
    "recipients": "to",
    "cc": "cc",
    "timestamp": "sent",
}
Row = tuple[str, str, str, str, str]
"""message_id, sender, to, cc, sent: one message, as the export wrote it."""


PER_RECIPIENT = {"sender": "sender", "recipient": "to", "kind": "kind", "timestamp": "sent"}
"""The columns of a log with one row per recipient: sender, to, kind, sent."""


@dataclass(frozen=True)
class Log:
    """One e-mail export of ``rows`` (CSV quoting by the csv module, lines ended by ``end``)."""

    name: str
    rows: Sequence[Row | tuple[str, ...] | str]  # a str is written as it is: a row no CSV writer would make
    end: str = "\n"
    columns: Mapping[str, str] = field(default_factory=lambda: COLUMNS)
    """Role → header, in the file's order (a row per message unless told)."""

    def data(self) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator=self.end)
        writer.writerow(self.columns.values())
        for row in self.rows:
            if isinstance(row, str):
                buffer.write(row + self.end)
            else:
                writer.writerow(row)
        return buffer.getvalue().encode("utf-8")


@dataclass(frozen=True)
class ParquetLog:
    """One e-mail export as Parquet: lists of addresses, ``sent`` typed as the exporter chose."""

    name: str
    table: pa.Table

    def data(self) -> bytes:
        buffer = io.BytesIO()
        pq.write_table(self.table, buffer)
        return buffer.getvalue()


@dataclass(frozen=True)
class Case:
    """A project: its e-mail logs (one snapshot, one log), source options, ``[analysis]``, opt-outs."""

    logs: Sequence[Log | ParquetLog]
    options: Mapping[str, object] = field(default_factory=dict)
    analysis: Mapping[str, object] = field(default_factory=dict)
    opt_outs: Sequence[str] = ()
    bites: frozenset[str] = frozenset()
    """Codes the embedded run must report (a normalisation or an issue): the log tests them."""
    key: bytes | None = None
    mapped: bool = True
    """Whether ``leadnet.toml`` maps the logs' columns (:data:`COLUMNS`), or their headers name them."""


def _toml(value: object) -> str:
    return json.dumps(value) if isinstance(value, str) else str(value).lower()


def write_project(folder: Path, case: Case) -> Path:
    """``folder`` as a project: roster, opt-outs, the logs and a ``leadnet.toml`` naming them."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "people.csv").write_text(ROSTER, encoding="utf-8")
    lines = ['[project]\ninternal_domains = ["x.org"]\n\n[people]\npath = "people.csv"']
    if case.opt_outs:
        (folder / "opt_outs.csv").write_text(
            "\n".join(["person_id", *case.opt_outs]) + "\n", encoding="utf-8"
        )
        lines.append('exclude = "opt_outs.csv"')
    for log in case.logs:
        named = log.columns if isinstance(log, Log) else COLUMNS
        columns = ", ".join(f"{role} = {_toml(header)}" for role, header in named.items())
        (folder / log.name).write_bytes(log.data())
        lines.append(f'\n[[sources]]\nkind = "email"\npath = "{log.name}"')
        lines.extend([f"columns = {{ {columns} }}"] if case.mapped else [])
        lines.extend(f"{key} = {_toml(value)}" for key, value in {"min_messages": 1, **case.options}.items())
    lines.append("\n[analysis]\nmax_reject_rate = 1.0")
    lines.extend(f"{key} = {_toml(value)}" for key, value in case.analysis.items())
    (folder / "leadnet.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _read(folder: Path, engine: str, key: bytes | None) -> ProjectInputs:
    config = with_overrides(load_config(folder), engine=engine, pseudonym_key=key)
    return load_project(config, strict=False)


def _assert_same(embedded: ProjectInputs, on_spark: ProjectInputs) -> None:
    assert [str(i) for i in on_spark.issues] == [str(i) for i in embedded.issues]
    assert on_spark.unreadable == embedded.unreadable
    assert on_spark.headers_read == embedded.headers_read
    assert list(on_spark.snapshots) == list(embedded.snapshots)
    for name, mine in embedded.snapshots.items():
        theirs = on_spark.snapshots[name]
        assert_frame_equal(theirs.ties, mine.ties, check_exact=True)
        assert_frame_equal(theirs.people, mine.people, check_exact=True)
        assert_frame_equal(theirs.rejected, mine.rejected, check_exact=True)
        assert theirs.provenance == mine.provenance
        assert theirs.period == mine.period


def _codes(inputs: ProjectInputs) -> set[str]:
    counted = {code for snap in inputs.snapshots.values() for code in snap.provenance.normalisations}
    return counted | {issue.code for issue in inputs.issues}


def check_parity(folder: Path, case: Case, spark: Any, monkeypatch: pytest.MonkeyPatch) -> ProjectInputs:
    """Read ``case`` with both engines, assert the same result, return the embedded one."""
    from leadnet.importers.spark import run_spark

    write_project(folder, case)
    embedded = _read(folder, "embedded", case.key)
    assert case.bites <= _codes(embedded), f"the log does not test {sorted(case.bites - _codes(embedded))}"
    runs: list[tuple[str | None, bool]] = []

    def counted(con: Any, rules: Any, snapshot_by: str | None, external: str | int, *, emptied: bool) -> Any:
        runs.append((snapshot_by, emptied))
        return run_spark(con, rules, snapshot_by, external, emptied=emptied)

    monkeypatch.setitem(aggregate.ENGINES, "spark", counted)
    on_spark = _read(folder, "spark", case.key)
    # the logs of one snapshot are one log: one run of the rules, by period when it is cut into periods
    # (its whole window summed from them), which measures what left a period no tie
    assert runs == [(case.analysis.get("snapshot_by"), True)]
    _assert_same(embedded, on_spark)
    return embedded


T = "2024-01-{:02d}T10:00:00Z".format


def _ties(inputs: ProjectInputs, name: str = "main") -> list[tuple[str, str, float, int]]:
    ties = inputs.snapshots[name].ties
    return list(ties[["source", "target", "weight", "count"]].itertuples(index=False, name=None))


# Addresses: invisible format characters (a zero-width space in the sender, a soft hyphen
# in a recipient's domain, a zero-width space in a Message-ID: m1 again), quoted display names
# holding the list separator, case and spaces, an unknown and an invalid sender, an
# unknown recipient, external sender and recipient, a self-send (alone and beside
# another), no To (Cc only; no recipient at all), a recipient twice in To, and in To
# and Cc.
ADDRESSES = Case(
    [
        Log(
            "mail.csv",
            [
                ("m1", "alice\u200b@x.org", "bob@x.org", "", T(2)),
                ("m1\u200b", "alice@x.org", "carol@x.org\u00ad", "", T(2)),
                ("m2", '"Smith, Alice" <alice@x.org>', '"Doe, Bob" <bob@x.org>; carol@x.org', "", T(3)),
                ("m3", " Alice@X.org ", "BOB@x.org ;  bob@X.ORG", "", T(4)),
                ("m4", "ghost@x.org", "bob@x.org", "", T(5)),
                ("m5", "not an address", "bob@x.org", "", T(5)),
                ("m6", "alice@x.org", "ghost@x.org; bob@x.org", "out@y.org", T(6)),
                ("m7", "out@y.org", "dan@x.org", "", T(6)),
                ("m8", "carol@x.org", "carol@x.org", "", T(7)),
                ("m9", "carol@x.org", "carol@x.org; dan@x.org", "", T(7)),
                ("m10", "dan@x.org", "", "alice@x.org", T(8)),
                ("m11", "dan@x.org", " ; ", "", T(8)),
                ("m12", "bob@x.org", "carol@x.org; carol@x.org", "carol@x.org", T(9)),
                ("m13", "bob@x.org", "dan@x.org", "dan@x.org; DAN@x.org", T(9)),
            ],
        )
    ],
    bites=frozenset(
        {
            "unknown-sender",
            "invalid-sender",
            "unknown-address",
            "external-address",
            "external-sender",
            "self-tie",
        }
    ),
)


def test_addresses_spelled_every_awkward_way_resolve_alike_on_spark(
    spark, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedded = check_parity(tmp_path, ADDRESSES, spark, monkeypatch)
    assert ("2", "3", 1.0, 1) in _ties(embedded) and ("4", "1", 0.5, 1) in _ties(embedded)


# Message-IDs with invisible format characters, as in addresses: a zero-width space after an
# ID seen before, a byte-order mark before one that a later file (Parquet) repeats without
# it, a soft hyphen in an ID seen once, and an ID that is only such characters (no ID).
MESSAGE_IDS = Case(
    [
        Log(
            "mail.csv",
            [
                ("m1", "alice@x.org", "bob@x.org", "", T(2)),
                ("m1\u200b", "alice@x.org", "bob@x.org", "", T(2)),
                ("\ufeffm2", "bob@x.org", "carol@x.org", "", T(3)),
                ("m\u00ad3", "carol@x.org", "dan@x.org", "", T(4)),
                ("\u200b", "dan@x.org", "alice@x.org", "", T(5)),
                ("", "dan@x.org", "alice@x.org", "", T(5)),
            ],
        ),
        ParquetLog(
            "later.parquet",
            pa.table(
                {
                    "message_id": ["m2", "m\u2060 4"],
                    "sender": ["bob@x.org", "alice@x.org"],
                    "to": [["carol@x.org"], ["dan@x.org"]],
                    "cc": [[], []],
                    "sent": ["2024-01-03T10:00:00Z", "2024-01-06T10:00:00Z"],
                }
            ),
        ),
    ],
    bites=frozenset({"duplicate-message-id", "id-normalised"}),
)


def test_message_ids_lose_invisible_characters_so_a_copy_counts_once_on_spark(
    spark, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedded = check_parity(tmp_path, MESSAGE_IDS, spark, monkeypatch)
    counted = embedded.snapshots["main"].provenance.normalisations
    assert (counted["duplicate-message-id"], counted["id-normalised"]) == (2, 5)
    assert _ties(embedded) == [
        ("1", "2", 1.0, 1), ("1", "4", 1.0, 1), ("2", "3", 1.0, 1), ("3", "4", 1.0, 1), ("4", "1", 2.0, 2)
    ]  # fmt: skip


# Pooled externals, an opt-out (sender and recipient) and pseudonyms.
POOLED = Case(
    [
        Log(
            "mail.csv",
            [
                ("m1", "out@y.org", "bob@x.org", "", T(2)),
                ("m2", "alice@x.org", "out@y.org; other@z.org", "bob@x.org", T(3)),
                ("m3", "carol@x.org", "dan@x.org", "", T(3)),
                ("m4", "dan@x.org", "carol@x.org; alice@x.org", "", T(4)),
            ],
        )
    ],
    options={"external": "pool"},
    analysis={"pseudonymise": True},
    opt_outs=["3"],
    bites=frozenset({"excluded-sender", "excluded-address"}),
    key=b"a key for the tests",
)


def test_pooled_externals_opt_outs_and_pseudonyms_match_on_spark(
    spark, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedded = check_parity(tmp_path, POOLED, spark, monkeypatch)
    assert (
        len(_ties(embedded)) == 4
    )  # external → bob, alice → external (twice in one message), alice → bob, dan → alice


# Line ends: a CR-only export and one whose line ends change (CRLF, then LF), read as one
# log (two files of one snapshot), each with a bad time on a known line.
LINE_ENDS = Case(
    [
        Log(
            "cr.csv",
            [("m1", "alice@x.org", "bob@x.org", "", T(2)), ("m2", "bob@x.org", "alice@x.org", "", "soon")],
            "\r",
        ),
        Log(
            "mixed.csv",
            [
                ("m3", "carol@x.org", "dan@x.org", "", T(3)),
                "m4,dan@x.org,carol@x.org,,never\nm5,dan@x.org,carol@x.org,,2024-01-04T10:00:00Z",
            ],
            "\r\n",
        ),
    ],
    bites=frozenset({"bad-date"}),
)


def test_cr_only_and_mixed_line_ends_give_the_same_lines_on_spark(
    spark, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedded = check_parity(tmp_path, LINE_ENDS, spark, monkeypatch)
    assert [(i.file, i.line) for i in embedded.issues] == [("cr.csv", 3), ("mixed.csv", 3)]


# Several exports of one snapshot read as one log, Message-IDs repeated within and across
# them (the copy in the file listed first wins, though a later file's copy is older), a
# message without a Message-ID twice (both kept), and rows quarantined with their lines:
# times that cannot be read (words, an impossible day, a month alone, none), a short row,
# an extra cell, no sender.
SEVERAL = Case(
    [
        Log(
            "first.csv",
            [
                ("m1", "alice@x.org", "bob@x.org", "", T(5)),
                ("m1", "carol@x.org", "dan@x.org", "", T(1)),
                ("", "bob@x.org", "alice@x.org", "", T(2)),
                ("", "bob@x.org", "alice@x.org", "", T(2)),
                ("m2", "alice@x.org", "bob@x.org", "", "tomorrow"),
                ("m3", "alice@x.org", "bob@x.org", "", "2024-02-30"),
                ("m4", "alice@x.org", "bob@x.org", "", "2024-01"),
                ("m5", "alice@x.org", "bob@x.org", "", ""),
                "m6,alice@x.org,bob@x.org",
                "m7,alice@x.org,bob@x.org,,2024-01-02T10:00:00Z,extra",
                ("m8", "", "bob@x.org", "", T(3)),
            ],
        ),
        Log(
            "second.csv",
            [
                ("m1", "dan@x.org", "carol@x.org", "", T(1)),
                ("m9", "dan@x.org", "alice@x.org", "bob@x.org", T(6)),
            ],
        ),
    ],
    bites=frozenset(
        {"duplicate-message-id", "bad-date", "missing-date", "short-row", "extra-cell", "missing-from"}
    ),
)


def test_several_exports_repeated_ids_and_quarantined_rows_match_on_spark(
    spark, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedded = check_parity(tmp_path, SEVERAL, spark, monkeypatch)
    assert embedded.snapshots["main"].provenance.normalisations["duplicate-message-id"] == 2
    assert ("2", "1", 2.0, 2) in _ties(embedded) and ("1", "2", 1.0, 1) in _ties(embedded)


# Dates, cut by month: far (2206, year 1, 999, 1500), a day alone, no offset (naive), Unix
# seconds, and offsets that move a message into the next or the previous month in UTC.
DATES = Case(
    [
        Log(
            "mail.csv",
            [
                ("m1", "alice@x.org", "bob@x.org", "", "2206-04-06T10:00:00Z"),
                ("m2", "bob@x.org", "alice@x.org", "", "0001-01-01T10:00:00Z"),
                ("m3", "bob@x.org", "carol@x.org", "", "0999-06-01T10:00:00Z"),
                ("m4", "carol@x.org", "dan@x.org", "", "1500-03-01T00:00:00Z"),
                ("m8", "alice@x.org", "carol@x.org", "", "2024-01-02"),
                ("m9", "alice@x.org", "carol@x.org", "", "2024-01-02 10:00"),
                ("m10", "dan@x.org", "alice@x.org", "", "1704448800"),
                ("m11", "carol@x.org", "alice@x.org", "", "2024-01-31T23:30:00-01:00"),
                ("m12", "carol@x.org", "alice@x.org", "", "2024-03-01T00:30:00+01:00"),
            ],
        )
    ],
    analysis={"snapshot_by": "month"},
    bites=frozenset({"naive-date"}),
)


def test_far_partial_and_offset_dates_fall_in_the_same_months_on_spark(
    spark, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedded = check_parity(tmp_path, DATES, spark, monkeypatch)
    # years before 1000 with four digits, so the snapshots (made oldest first) sort as time does
    assert list(embedded.snapshots) == ["0001-01", "0999-06", "1500-03", "2024-01", "2024-02", "2206-04"]


# One row per recipient: a naive row with no recipient (or no sender) is rejected, and not
# counted naive-date too (the first was); the naive row accepted is.
RECIPIENT_ROWS = Case(
    [
        Log(
            "rows.csv",
            [
                ("alice@x.org", "", "to", "2024-01-02 10:00"),
                ("alice@x.org", "bob@x.org", "to", "2024-01-02 10:00"),
                ("alice@x.org", "carol@x.org", "cc", "2024-01-02T10:00:00Z"),
                ("", "bob@x.org", "to", "2024-01-03 10:00"),
                ("bob@x.org", "alice@x.org", "to", "2024-01-31T23:30:00-01:00"),
                ("carol@x.org", "", "to", "2024-01-04T10:00:00Z"),
            ],
            columns=PER_RECIPIENT,
        )
    ],
    bites=frozenset({"naive-date", "missing-recipient", "missing-from"}),
)


def test_per_recipient_rows_rejected_are_not_counted_naive_on_spark(
    spark, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedded = check_parity(tmp_path, RECIPIENT_ROWS, spark, monkeypatch)
    assert [(i.line, i.code) for i in embedded.issues] == [
        (2, "missing-recipient"), (5, "missing-from"), (7, "missing-recipient"),
    ]  # fmt: skip
    assert embedded.snapshots["main"].provenance.normalisations["naive-date"] == 1
    assert _ties(embedded) == [("1", "2", 1.0, 1), ("1", "3", 0.5, 1), ("2", "1", 1.0, 1)]


# Times beyond the calendar Python and Spark share (years 1 to 9999 in UTC): year 12024, a
# year BC, "infinity", offsets that cross either end, typed Parquet times and Unix seconds
# past it; beside them, the first and the last day of that calendar, with no period set.
MICROS = 10**6
FAR_DATES = Case(
    [
        Log(
            "mail.csv",
            [
                ("m1", "alice@x.org", "bob@x.org", "", "12024-01-02T10:00:00Z"),
                ("m2", "bob@x.org", "alice@x.org", "", "-0044-03-15"),
                ("m3", "carol@x.org", "dan@x.org", "", "infinity"),
                ("m4", "dan@x.org", "carol@x.org", "", "-infinity"),
                ("m5", "alice@x.org", "carol@x.org", "", "9999-12-31T23:30:00-01:00"),
                ("m6", "alice@x.org", "dan@x.org", "", "0001-01-01T00:30:00+01:00"),
                ("m7", "bob@x.org", "carol@x.org", "", "9999-12-31T23:59:59.999999Z"),
                ("m8", "bob@x.org", "dan@x.org", "", "0001-01-01T00:00:00Z"),
            ],
        ),
        ParquetLog(
            "typed.parquet",
            pa.table(
                {
                    "message_id": ["p1", "p2", "p3"],
                    "sender": ["carol@x.org"] * 3,
                    "to": [["bob@x.org"]] * 3,
                    "cc": [[], [], []],
                    "sent": pa.array(
                        [400_000_000_000 * MICROS, -62_135_596_801 * MICROS, 253_402_300_799 * MICROS],
                        pa.timestamp("us", "UTC"),
                    ),
                }
            ),
        ),
        ParquetLog(
            "seconds.parquet",
            pa.table(
                {
                    "message_id": ["s1", "s2"],
                    "sender": ["dan@x.org"] * 2,
                    "to": [["bob@x.org"]] * 2,
                    "cc": [[], []],
                    "sent": pa.array([10**17, 253_402_300_799], pa.int64()),
                }
            ),
        ),
    ],
    bites=frozenset({"bad-date"}),
)


def test_times_outside_years_1_to_9999_are_bad_dates_not_outside_the_period_on_spark(
    spark, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedded = check_parity(tmp_path, FAR_DATES, spark, monkeypatch)
    far = [
        ("mail.csv", 2, "12024-01-02T10:00:00Z"),
        ("mail.csv", 3, "-0044-03-15"),
        ("mail.csv", 4, "infinity"),
        ("mail.csv", 5, "-infinity"),
        ("mail.csv", 6, "9999-12-31T23:30:00-01:00"),
        ("mail.csv", 7, "0001-01-01T00:30:00+01:00"),
        ("typed.parquet", 1, "14645-06-30 15:06:40+00"),
        ("typed.parquet", 2, "0001-12-31 (BC) 23:59:59+00"),
        ("seconds.parquet", 1, "100000000000000000"),
    ]
    assert [(i.file, i.line, i.code, i.detail, i.hint) for i in embedded.issues] == [
        (file, line, "bad-date", f'timestamp "{text}" is not in years 1 to 9999 (UTC)',
         "correct the date, or remove the row")
        for file, line, text in far
    ]  # fmt: skip
    assert "outside-period" not in embedded.snapshots["main"].provenance.normalisations
    assert _ties(embedded) == [("2", "3", 1.0, 1), ("2", "4", 1.0, 1), ("3", "2", 1.0, 1), ("4", "2", 1.0, 1)]


# A window (source from/to) whose ends are crossed by UTC offsets, cut by quarter.
WINDOW = Case(
    [
        Log(
            "mail.csv",
            [
                ("m1", "alice@x.org", "bob@x.org", "", "2023-12-31T23:59:59Z"),
                ("m2", "alice@x.org", "bob@x.org", "", "2024-01-01T00:00:00Z"),
                ("m3", "alice@x.org", "bob@x.org", "", "2023-12-31T23:30:00-01:00"),
                ("m4", "bob@x.org", "alice@x.org", "", "2024-03-31T23:30:00Z"),
                ("m5", "bob@x.org", "alice@x.org", "", "2024-04-01T00:30:00+01:00"),
                ("m6", "bob@x.org", "carol@x.org", "", "2024-06-30T23:59:59.999999Z"),
                ("m7", "bob@x.org", "carol@x.org", "", "2024-07-01T00:00:00Z"),
            ],
        )
    ],
    options={"from": "2024-01-01", "to": "2024-06-30"},
    analysis={"snapshot_by": "quarter"},
    bites=frozenset({"outside-period"}),
)


def test_window_ends_and_quarters_cut_alike_on_spark(
    spark, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedded = check_parity(tmp_path, WINDOW, spark, monkeypatch)
    assert list(embedded.snapshots) == ["2024-Q1", "2024-Q2"]
    assert embedded.snapshots["2024-Q1"].provenance.normalisations["outside-period"] == 2


# The tie rules' thresholds: a broadcast, Cc weights that do not add up exactly in binary
# (0.1), a minimum of two messages, reciprocity.
RULES = Case(
    [
        Log(
            "mail.csv",
            [
                ("m1", "alice@x.org", "bob@x.org; carol@x.org; dan@x.org", "", T(2)),
                *[(f"c{i}", "alice@x.org", "", "bob@x.org", T(2 + i)) for i in range(7)],
                ("t1", "alice@x.org", "bob@x.org", "", T(9)),
                ("r1", "bob@x.org", "alice@x.org", "", T(10)),
                ("r2", "bob@x.org", "alice@x.org", "carol@x.org", T(11)),
                ("r3", "carol@x.org", "dan@x.org", "", T(11)),
                ("r4", "carol@x.org", "dan@x.org", "", T(12)),
            ],
        )
    ],
    options={"max_recipients": 2, "cc_weight": 0.1, "min_messages": 2, "require_reciprocity": True},
    bites=frozenset({"broadcast", "below-min-messages", "not-reciprocated"}),
)


def test_broadcasts_cc_weights_and_thresholds_match_on_spark(
    spark, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedded = check_parity(tmp_path, RULES, spark, monkeypatch)
    assert _ties(embedded) == [("1", "2", 1.7, 8), ("2", "1", 2.0, 2)]


def _sent(sender: str, to: str, month: int, times: int) -> list[Row]:
    """``times`` messages from ``sender`` to ``to`` in ``month`` of 2024, one a day."""
    return [(f"{sender[0]}{to[0]}{month}-{day}", sender, to, "", f"2024-{month:02d}-{day:02d}T10:00:00Z")
            for day in range(1, times + 1)]  # fmt: skip


# Months the tie rules leave with no tie, each by another rule: January's messages went one way
# (reciprocity), February's were all broadcasts to 3 people (max_recipients), March's pair wrote to
# each other once (min_messages), and so did May's, beside a broadcast that a count by hand adds nothing
# to (dan wrote bob twice, bob dan once: still 1 each); June's were all broadcasts, one pair's to 3
# people each way, and one message to 5 (max_recipients and min_messages together: 3, not 5; the one
# to 5 adds no message each way); July's bob wrote back to alice only in broadcasts to 3 (reciprocity
# within max_recipients, or max_recipients 3); August's pair wrote to each other once alone and once
# more in a broadcast each, which a count by hand finds; April has ties.
EVERYONE = "bob@x.org; carol@x.org; dan@x.org"
EMPTIED = Case(
    [
        Log(
            "mail.csv",
            [
                *_sent("alice@x.org", "bob@x.org", 1, 2),
                *_sent("alice@x.org", EVERYONE, 2, 2),
                *_sent("bob@x.org", "alice@x.org; carol@x.org; dan@x.org", 2, 2),
                *_sent("alice@x.org", "bob@x.org", 3, 1),
                *_sent("bob@x.org", "alice@x.org", 3, 1),
                *_sent("carol@x.org", "dan@x.org", 4, 2),
                *_sent("dan@x.org", "carol@x.org", 4, 2),
                *_sent("bob@x.org", "dan@x.org", 5, 1),
                *_sent("dan@x.org", "bob@x.org", 5, 1),
                ("db5-9", "dan@x.org", "alice@x.org; bob@x.org; carol@x.org", "", "2024-05-09T10:00:00Z"),
                ("cd6", "carol@x.org", "alice@x.org; bob@x.org; dan@x.org", "", "2024-06-01T10:00:00Z"),
                ("dc6", "dan@x.org", "alice@x.org; bob@x.org; carol@x.org", "", "2024-06-02T10:00:00Z"),
                ("all6", "alice@x.org", f"{EVERYONE}; z1@y.org; z2@y.org", "", "2024-06-03T10:00:00Z"),
                *_sent("alice@x.org", "bob@x.org", 7, 2),
                *_sent("bob@x.org", "alice@x.org; carol@x.org; dan@x.org", 7, 2),
                *_sent("carol@x.org", "dan@x.org", 8, 1),
                *_sent("dan@x.org", "carol@x.org", 8, 1),
                *_sent("carol@x.org", "alice@x.org; bob@x.org; dan@x.org", 8, 1),
                *_sent("dan@x.org", "alice@x.org; bob@x.org; carol@x.org", 8, 1),
            ],
        )
    ],
    options={"max_recipients": 2, "min_messages": 2, "require_reciprocity": True},
    analysis={"snapshot_by": "month"},
    bites=frozenset({"broadcast", "below-min-messages", "not-reciprocated"}),
)


def test_months_a_tie_rule_left_no_tie_are_warned_of_alike_on_spark(
    spark, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_parity(tmp_path, EMPTIED, spark, monkeypatch)
    said = [str(w.message) for w in caught if issubclass(w.category, LeadnetWarning)]
    expected = [
        "mail.csv: no tie in 2024-01: no pair wrote to each other; set require_reciprocity = false",
        "mail.csv: no tie in 2024-02: every message from one person to another has more than max_recipients "
        "recipients; raise max_recipients (now 2; the smallest value that gives a tie in 2024-02 is 3, which "
        "makes ties of messages to that many recipients)",
        "mail.csv: no tie in 2024-03, 2024-05 and 2024-08: no one sent another person min_messages messages; "
        "lower min_messages (now 2; the most messages each of two people sent the other in 2024-03 is 1, in "
        "2024-05 is 1, in 2024-08 is 1 (not counting messages to more than 2 recipients))",
        "mail.csv: no tie in 2024-06: every message from one person to another has more than max_recipients "
        "recipients, and no one sent another person min_messages messages; raise max_recipients (now 2; the "
        "smallest value that gives a tie with the change after it in 2024-06 is 3, which makes ties of "
        "messages to that many recipients) and lower min_messages (now 2; the most messages each of two "
        "people sent the other in 2024-06 is 1)",
        "mail.csv: no tie in 2024-07: no pair wrote to each other in messages to at most 2 recipients; set "
        "require_reciprocity = false, or raise max_recipients (now 2; the smallest value that gives a tie in "
        "2024-07 is 3, which makes ties of messages to that many recipients)",
    ]
    assert said == expected + expected  # the embedded engine's, then Spark's


def _parquet_log(sent: pa.Array, prefix: str) -> ParquetLog:
    table = pa.table(
        {
            "message_id": [f"{prefix}1", f"{prefix}2", f"{prefix}3", f"{prefix}1"],
            "sender": ["alice@x.org", " Bob@x.org", None, "carol@x.org"],
            "to": [["bob@x.org", "carol@x.org"], ["alice@x.org"], ["bob@x.org"], ["dan@x.org"]],
            "cc": [[], ["carol@x.org", "carol@x.org"], [], []],
            "sent": sent,
        }
    )
    return ParquetLog(f"mail_{sent.type.unit}.parquet", table)


# Parquet exports: list columns, no sender, a repeated Message-ID, times typed in
# nanoseconds with a zone other than UTC and in microseconds without a zone.
STAMPS = [
    datetime(2024, 1, 31, 23, 30),
    datetime(2024, 2, 1, 0, 30),
    datetime(2024, 2, 1),
    datetime(2024, 3, 1),
]
PARQUET = Case(
    [
        _parquet_log(pa.array(STAMPS, pa.timestamp("ns", "Europe/Berlin")), "a"),
        _parquet_log(pa.array(STAMPS, pa.timestamp("us")), "b"),
    ],
    analysis={"snapshot_by": "month"},
    bites=frozenset({"missing-from", "duplicate-message-id"}),
)


def test_parquet_exports_with_typed_times_match_on_spark(
    spark, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    check_parity(tmp_path, PARQUET, spark, monkeypatch)


# Logs read by their headers (no column map), written in other letter cases: a CSV export and a
# Parquet one. Each header read as a role's name in another case is counted and named alike, in
# the roles' order, as a table's.
HEADERS_IN_ANOTHER_CASE = Case(
    [
        Log(
            "mail.csv",
            [("m1", "alice@x.org", "bob@x.org", "", T(2)), ("m2", "bob@x.org", "carol@x.org", "", T(3))],
            columns={
                "message_id": "Message_ID",
                "sender": "SENDER",
                "recipients": "recipients",
                "cc": "Cc",
                "timestamp": "timestamp",
            },
        ),
        ParquetLog(
            "later.parquet",
            pa.table(
                {
                    "message_id": ["m3"],
                    "Sender": ["carol@x.org"],
                    "Recipients": [["dan@x.org"]],
                    "cc": [[]],
                    "timestamp": ["2024-01-04T10:00:00Z"],
                }
            ),
        ),
    ],
    mapped=False,
    bites=frozenset({"header-normalised"}),
)


def test_headers_in_another_letter_case_are_counted_and_named_alike_on_spark(
    spark, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedded = check_parity(tmp_path, HEADERS_IN_ANOTHER_CASE, spark, monkeypatch)
    assert embedded.snapshots["main"].provenance.normalisations["header-normalised"] == 5
    assert embedded.headers_read == (
        ("mail.csv", "SENDER", "sender"),
        ("mail.csv", "Cc", "cc"),
        ("mail.csv", "Message_ID", "message_id"),
        ("later.parquet", "Sender", "sender"),
        ("later.parquet", "Recipients", "recipients"),
    )
    assert _ties(embedded) == [("1", "2", 1.0, 1), ("2", "3", 1.0, 1), ("3", "4", 1.0, 1)]
