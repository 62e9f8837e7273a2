"""Spark against the embedded engine on a large generated email event log (not a test).

Usage::

    python benchmarks/spark_parity.py                      # 1 million messages, local[2]
    python benchmarks/spark_parity.py --messages 5000000 --master "local[4]"

Writes the log as Parquet in the ``ln_events`` layout (benchmarks/work/, git-ignored), runs
:func:`leadnet.importers.aggregate.aggregate` (DuckDB) and
:func:`leadnet.importers.spark.aggregate_events` on it with the same rules, checks that
ties, per-person counts and drop counts are identical and prints the timings as JSON. Spark
runs in the session leadnet starts for its users (:func:`leadnet.importers.spark.session`:
its shuffle partitions, its logging), on the master given (set in ``PYSPARK_SUBMIT_ARGS``, its
other options kept).
``tests/importers/test_spark.py`` uses :func:`write_event_log` for its 100k parity test.

The log, drawn with vectorised numpy: ``messages`` messages over 2024 from ``messages // 50``
people; each sender writes mostly to 12 regular contacts, the 6 people either side (so
pairs repeat, pass ``min_messages`` and are often reciprocated), sometimes to anyone; 1–3
recipients (20% Cc), 0.2% broadcasts of 30; 3% of addresses dropped (NULL), 2% pooled
``external``, 1% of senders dropped; 5% of messages without a Message-ID and 2% re-sending
an earlier message's id (duplicates).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

WORK = Path(__file__).resolve().parent / "work"
YEAR_US = 366 * 86_400 * 1_000_000
START_US = 1_704_067_200 * 1_000_000  # 2024-01-01T00:00:00Z


def _ids(numbers: np.ndarray) -> np.ndarray:
    return np.char.add("P", np.char.zfill(numbers.astype(str), 6)).astype(object)


def write_event_log(path: Path, messages: int, seed: int = 0) -> int:
    """Write a generated event log (columns of ``ln_events``) to ``path``; returns its rows."""
    rng = np.random.default_rng(seed)
    people = max(messages // 50, 10)
    seq = np.arange(1, messages + 1)
    sender = rng.integers(0, people, messages)
    broadcast = rng.random(messages) < 0.002
    k = np.where(broadcast, 30, rng.integers(1, 4, messages))
    row_msg = np.repeat(np.arange(messages), k)
    regular = rng.random(len(row_msg)) < 0.85
    contact = rng.integers(1, 7, len(row_msg)) * rng.choice([-1, 1], len(row_msg))  # replies go back
    offset = np.where(regular, contact, rng.integers(0, people, len(row_msg)))
    recipient = _ids((sender[row_msg] + offset) % people)
    draw = rng.random(len(row_msg))
    recipient[draw < 0.03] = None
    recipient[(draw >= 0.03) & (draw < 0.05)] = "external"
    senders = _ids(sender)
    senders[rng.random(messages) < 0.01] = None
    message_id = np.char.add("<m", np.char.add(seq.astype(str), "@x>")).astype(object)
    resend = np.flatnonzero(rng.random(messages) < 0.02)
    message_id[resend] = message_id[(resend * rng.random(len(resend))).astype(np.int64)]
    message_id[rng.random(messages) < 0.05] = None
    ts = START_US + np.sort(rng.integers(0, YEAR_US, messages))
    table = pa.table(
        {
            "msg_seq": pa.array(seq[row_msg], pa.int64()),
            "message_id": pa.array(message_id[row_msg], pa.string()),
            "sender": pa.array(senders[row_msg], pa.string()),
            "recipient": pa.array(recipient, pa.string()),
            "kind": pa.array(np.where(rng.random(len(row_msg)) < 0.2, "cc", "to"), pa.string()),
            "ts": pa.array(ts[row_msg], pa.timestamp("us", tz="UTC")),
            "n_recipients": pa.array(k[row_msg], pa.int64()),
        }
    )
    pq.write_table(table, path)
    return table.num_rows


def embedded(path: Path, rules, snapshot_by):  # type: ignore[no-untyped-def]
    import duckdb

    from leadnet.importers.aggregate import aggregate, relations_from_events

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"CREATE VIEW ln_events AS SELECT * FROM read_parquet('{path}')")
    relations_from_events(con)
    try:
        return aggregate(con, rules, snapshot_by)
    finally:
        con.close()


def submit_args(given: str, master: str) -> str:
    """``PYSPARK_SUBMIT_ARGS`` with ``--master`` set to ``master``, keeping the options already given.

    >>> submit_args("--driver-memory 8g --master local[4] pyspark-shell", "local[2]")
    "--driver-memory 8g --master 'local[2]' pyspark-shell"
    >>> submit_args("", "local[2]")
    "--master 'local[2]' pyspark-shell"
    """
    words = shlex.split(given)
    kept = [w for i, w in enumerate(words) if w != "--master" and (i == 0 or words[i - 1] != "--master")]
    kept = [w for w in kept if w != "pyspark-shell"]
    return shlex.join([*kept, "--master", master, "pyspark-shell"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--snapshot-by", default="month")
    args = parser.parse_args()

    from pandas.testing import assert_frame_equal

    from leadnet.importers.email_sql import TieRules
    from leadnet.importers.spark import aggregate_events, session

    WORK.mkdir(exist_ok=True)
    path = WORK / f"events_{args.messages}.parquet"
    started = time.perf_counter()
    rows = write_event_log(path, args.messages)
    generated = time.perf_counter() - started
    rules = TieRules()
    started = time.perf_counter()
    ours = embedded(path, rules, args.snapshot_by)
    duck = time.perf_counter() - started
    started = time.perf_counter()
    # The session users get (leadnet's settings: shuffle partitions, logging), on the master asked for.
    os.environ["PYSPARK_SUBMIT_ARGS"] = submit_args(os.environ.get("PYSPARK_SUBMIT_ARGS", ""), args.master)
    spark = session()
    boot = time.perf_counter() - started
    started = time.perf_counter()
    theirs = aggregate_events(spark, str(path), rules, args.snapshot_by)
    on_spark = time.perf_counter() - started
    partitions = spark.conf.get("spark.sql.shuffle.partitions")
    spark.stop()
    assert_frame_equal(ours.ties, theirs.ties)
    assert_frame_equal(ours.person_counts, theirs.person_counts)
    assert ours.counts == theirs.counts, (ours.counts, theirs.counts)
    print(
        json.dumps(
            {
                "messages": args.messages,
                "event_rows": rows,
                "snapshot_by": args.snapshot_by,
                "master": args.master,
                "shuffle_partitions": int(partitions),
                "ties": len(ours.ties),
                "person_rows": len(ours.person_counts),
                "counts": ours.counts,
                "identical": True,
                "seconds": {
                    "generate": round(generated, 1),
                    "embedded": round(duck, 1),
                    "spark_start": round(boot, 1),
                    "spark": round(on_spark, 1),
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
