"""Benchmark the email import against DuckDB on its own (not a test).

Usage::

    python benchmarks/import_email.py --mbox-mb 0 --csv-rows 0     # 10M messages: CSV, Parquet, DuckDB
    python benchmarks/import_email.py                              # + 2 GB mbox, 10M-row per-recipient CSV
    python benchmarks/import_email.py --messages 1000000 --mbox-mb 0 --csv-rows 0   # a quick run

Files are generated in benchmarks/work/ (git-ignored): a one-row-per-message log of
``--messages`` messages among 20,000 people (each writes to 20 regular contacts; 1-2 To
and 0-1 Cc addresses, about 2.1 recipients a message: 10M messages are 21M
sender-recipient pairs in a 1.1 GB CSV), the same log as Parquet, an mbox and a
per-recipient CSV. The CSV log is imported twice: whole, and cut by month (``snapshot_by``:
its ties by period, ``period_ties``, about 4.4 million at 10M messages). Each import runs in a
fresh child process, which reports its wall time, peak resident memory (``ru_maxrss``) and
the highest RSS seen by a 20 ms sampling thread. DuckDB baselines run on the same CSV in
the same invocation:

- ``duckdb-bare``: the bare aggregation, ``GROUP BY sender, recipient`` of the split
  To/Cc lists, nothing else (no dedupe, identity, weights, quarantine);
- ``duckdb-rules``: the same tie rules written as one DuckDB query by hand (dedupe on
  Message-ID, broadcasts out, Cc weight per message and recipient, roster join, at
  least two messages) without leadnet's row checks, line numbers or counts;
- ``duckdb-fastest``: the fastest hand-written form of those rules found (:data:`FASTEST`),
  valid for this clean log only: a lower bound for any engine applying them;
- ``duckdb-floor``: the bare aggregation and the search for repeated Message-IDs in one scan
  (:data:`FLOOR`), the least the rules ask (QUALITY.md: "Dedupe by Message-ID") before any
  weight, identity or row check: its ratio to ``duckdb-bare`` bounds any DuckDB form of them.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

WORK = Path(__file__).resolve().parent / "work"
PEOPLE = 2_000
ORG = 20_000  # people in the one-row-per-message log
CONTACTS = 20  # regular correspondents per person: ties saturate as the log grows, as in real mail
DOMAIN = "riverside.example"
BODY = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 6 + "\n") * 4


def roster(path: Path) -> None:
    lines = ["person_id,email"] + [f"P{i:05d},p{i:05d}@{DOMAIN}" for i in range(PEOPLE)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_mbox(path: Path, megabytes: int) -> int:
    import random

    rng = random.Random(0)
    contacts = [[rng.randrange(PEOPLE) for _ in range(CONTACTS)] for _ in range(PEOPLE)]
    target, n = megabytes * 1024 * 1024, 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        while out.tell() < target:
            n += 1
            a = rng.randrange(PEOPLE)
            b, c = rng.choice(contacts[a]), rng.choice(contacts[a])
            day, sec = 1 + n % 28, n % 86_400
            out.write(
                f"From p{a:05d}@{DOMAIN} Mon Mar {day:2d} 10:00:00 2025\n"
                f"From: P {a} <p{a:05d}@{DOMAIN}>\nTo: p{b:05d}@{DOMAIN}\nCc: p{c:05d}@{DOMAIN}\n"
                f"Date: Mon, {day} Mar 2025 {sec // 3600:02d}:{sec // 60 % 60:02d}:{sec % 60:02d} +0000\n"
                f"Message-ID: <b{n}@{DOMAIN}>\nSubject: benchmark {n}\n\n{BODY}\n"
            )
    return n


def make_csv(path: Path, rows: int) -> None:
    import duckdb

    duckdb.sql(
        f"COPY (SELECT 'p' || lpad(CAST(i % {PEOPLE} AS VARCHAR), 5, '0') || '@{DOMAIN}' AS Sender, "
        f"'p' || lpad(CAST((i * 7919) % {PEOPLE} AS VARCHAR), 5, '0') || '@{DOMAIN}' AS Recipient, "
        "strftime(TIMESTAMP '2025-01-01' + to_seconds(i % 31536000), '%Y-%m-%dT%H:%M:%SZ') AS EventDate, "
        "'m' || CAST(i // 3 AS VARCHAR) AS MessageId FROM range(" + str(rows) + ") AS t(i)) "
        f"TO '{path}' (HEADER, DELIMITER ';')"
    )


def make_messages(path: Path, messages: int) -> None:
    """One row per message: message_id, sender, to (1-2 addresses), cc (0-1), sent (ISO 8601)."""
    import duckdb

    def address(pick: str) -> str:
        return f"'p' || lpad(CAST((a * 7919 + ({pick}) * 104729) % {ORG} AS VARCHAR), 5, '0') || '@{DOMAIN}'"

    duckdb.sql(
        f"""COPY (
        WITH c AS (SELECT i, hash(i * 31 + 7) AS h, CAST(hash(i) % {ORG} AS BIGINT) AS a
                   FROM range({messages}) t(i))
        SELECT '<m' || CAST(i AS VARCHAR) || '>' AS message_id,
               'p' || lpad(CAST(a AS VARCHAR), 5, '0') || '@{DOMAIN}' AS sender,
               {address("h % 20")}
               || CASE WHEN h % 5 < 2 THEN ';' || {address("(h // 20) % 20")} ELSE '' END AS "to",
               CASE WHEN h % 7 < 5 THEN {address("(h // 400) % 20")} ELSE '' END AS cc,
               strftime(TIMESTAMP '2025-01-01' + to_seconds(CAST(i * 3 % 31536000 AS BIGINT)),
                        '%Y-%m-%dT%H:%M:%SZ') AS sent
        FROM c) TO '{path}' (HEADER, DELIMITER ',')"""
    )


def org_roster(path: Path) -> None:
    lines = ["person_id,email"] + [f"P{i:05d},p{i:05d}@{DOMAIN}" for i in range(ORG)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


BARE = """SELECT count(*) FROM (
  SELECT sender, recipient, count(*) AS n FROM (
    SELECT sender, unnest(string_split(concat_ws(';', "to", cc), ';')) AS recipient FROM read_csv('{path}'))
  WHERE recipient <> '' GROUP BY sender, recipient)"""
RULES = """WITH msgs AS (
  SELECT DISTINCT ON (message_id) message_id, lower(trim(sender)) AS sender, "to", coalesce(cc, '') AS cc
  FROM read_csv('{path}') WHERE sender IS NOT NULL AND TRY_CAST(sent AS TIMESTAMPTZ) IS NOT NULL),
rcpt AS (
  SELECT message_id, sender, lower(trim(unnest(string_split("to", ';')))) AS address, 1.0 AS w,
         len(string_split("to", ';')) + len(string_split(cc, ';')) AS n FROM msgs
  UNION ALL
  SELECT message_id, sender, lower(trim(unnest(string_split(cc, ';')))), 0.5,
         len(string_split("to", ';')) + len(string_split(cc, ';')) FROM msgs),
deliveries AS (
  SELECT message_id, sender, address, max(w) AS w FROM rcpt WHERE address <> '' AND n <= 25 GROUP BY ALL),
people AS (SELECT person_id, lower(email) AS email FROM read_csv('{roster}'))
SELECT count(*) FROM (
  SELECT s.person_id AS source, r.person_id AS target, sum(w) AS weight, count(*) AS count
  FROM deliveries AS d JOIN people AS s ON d.sender = s.email JOIN people AS r ON d.address = r.email
  WHERE s.person_id <> r.person_id GROUP BY ALL HAVING count(*) >= 2)"""

FASTEST = (
    """SELECT count(*) FROM (
  SELECT hash(message_id) AS h FROM read_csv('{path}') GROUP BY h HAVING count(*) > 1)""",
    """WITH m AS (
  SELECT sender, tl, list_filter(cl, lambda x: NOT list_contains(tl, x)) AS cl, n FROM (
    SELECT sender, list_distinct(string_split("to", ';')) AS tl,
           list_distinct(CASE WHEN coalesce(cc, '') = '' THEN [] ELSE string_split(cc, ';') END) AS cl,
           len(string_split("to", ';'))
             + CASE WHEN coalesce(cc, '') = '' THEN 0 ELSE len(string_split(cc, ';')) END AS n
    FROM read_csv('{path}', all_varchar=true)
    WHERE sender IS NOT NULL AND TRY_CAST(sent AS TIMESTAMPTZ) IS NOT NULL)),
p AS (
  SELECT sender, d.e AS address, sum(d.w) AS w, count(*) AS c FROM (
    SELECT sender, unnest(list_concat(list_transform(tl, lambda x: {{'e': x, 'w': 1.0}}),
                                      list_transform(cl, lambda x: {{'e': x, 'w': 0.5}}))) AS d
    FROM m WHERE n <= 25) GROUP BY ALL),
people AS (SELECT person_id, email FROM read_csv('{roster}'))
SELECT count(*) FROM (
  SELECT s.person_id AS source, r.person_id AS target, sum(w) AS weight, sum(c) AS count
  FROM p JOIN people AS s ON p.sender = s.email JOIN people AS r ON p.address = r.email
  WHERE s.person_id <> r.person_id GROUP BY ALL HAVING sum(c) >= 2)""",
)
"""The fastest hand-written form of the rules found, a lower bound for this clean log only: a
pass proving no Message-ID repeats (so dedupe is a no-op), then one pass that dedupes
recipients within each row, weighs To over Cc, counts address pairs as written and joins
the roster once per distinct pair. It gives leadnet's ties here because every address is
spelled as on the roster and nothing repeats; it keeps no file order, line or count."""


FLOOR = """SELECT count(*) FILTER (WHERE g = 1 AND recipient <> ''),
       count(*) FILTER (WHERE g = 0 AND firsts > 1)
FROM (SELECT GROUPING(h) AS g, recipient, count(*) FILTER (WHERE i = 1) AS firsts FROM (
    SELECT hash(message_id) AS h, sender, unnest(l) AS recipient, unnest(range(1, len(l) + 1)) AS i
    FROM (SELECT message_id, sender, string_split(concat_ws(';', "to", cc), ';') AS l
          FROM read_csv('{path}')))
  GROUP BY GROUPING SETS ((sender, recipient), (h)))"""
"""The floor: the bare aggregation's pairs (the grouping set ``sender, recipient``) and, from the same
scan, the Message-IDs whose hash repeats (the set ``h``, counting each message once by its first
recipient). It weighs nothing, resolves no one and checks no row, and it takes the hashes' word
for a repeat: every form of the rules does at least this."""


def _sampler() -> tuple[list[int], threading.Event]:
    peak, stop = [0], threading.Event()

    def sample() -> None:
        while not stop.is_set():
            rss = int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize()
            peak[0] = max(peak[0], rss)
            time.sleep(0.02)

    threading.Thread(target=sample, daemon=True).start()
    return peak, stop


def _peak_mb(peak: list[int]) -> float:
    return round(max(peak[0], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024) / 2**20, 1)


def duckdb_child(kind: str, path: Path) -> None:
    import duckdb

    peak, stop = _sampler()
    start = time.perf_counter()
    con = duckdb.connect()
    queries = {
        "duckdb-bare": (BARE,),
        "duckdb-rules": (RULES,),
        "duckdb-fastest": FASTEST,
        "duckdb-floor": (FLOOR,),
    }
    for sql in queries[kind]:
        ties = con.execute(sql.format(path=path, roster=WORK / f"people_{ORG}.csv")).fetchall()[0][0]
        if kind == "duckdb-fastest" and sql is FASTEST[0] and ties:
            raise SystemExit(f"{path.name}: {ties} Message-IDs repeat; the fastest form assumes none")
    elapsed = time.perf_counter() - start
    stop.set()
    print(json.dumps({"kind": kind, "file_mb": round(path.stat().st_size / 2**20, 1), "rows_read": None,
                      "ties": int(ties), "seconds": round(elapsed, 1),
                      "peak_rss_mb": _peak_mb(peak)}))  # fmt: skip


def child(kind: str, path: Path) -> None:
    if kind.startswith("duckdb"):
        duckdb_child(kind, path)
        return
    import pandas as pd

    from leadnet.importers.email import load_email
    from leadnet.importers.email_exports import ExportLayout
    from leadnet.importers.identity import Resolver

    peak, stop = _sampler()
    per_message = kind.startswith("messages")
    people = pd.read_csv(WORK / (f"people_{ORG}.csv" if per_message else "people.csv"), dtype=str)
    if per_message:
        roles = {
            "sender": "sender",
            "recipients": "to",
            "cc": "cc",
            "timestamp": "sent",
            "message_id": "message_id",
        }
    else:
        roles = {
            "sender": "Sender",
            "recipient": "Recipient",
            "timestamp": "EventDate",
            "message_id": "MessageId",
        }
    start = time.perf_counter()
    result = load_email(
        path,
        Resolver(people),
        internal_domains=[DOMAIN],
        layout=None if kind == "mbox" else ExportLayout(roles),
        snapshot_by="month" if kind.endswith("-month") else None,
    )
    elapsed = time.perf_counter() - start
    stop.set()
    print(
        json.dumps(
            {
                "kind": kind,
                "file_mb": round(path.stat().st_size / 2**20, 1),
                "rows_read": result.record.rows_read,
                "ties": len(result.ties),
                "period_ties": sum(len(p.ties) for p in result.by_period.values()),
                "seconds": round(elapsed, 1),
                "peak_rss_mb": _peak_mb(peak),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000_000, help="one-row-per-message log (0: skip)")
    parser.add_argument("--mbox-mb", type=int, default=2048, help="mbox size (0: skip)")
    parser.add_argument("--csv-rows", type=int, default=10_000_000, help="per-recipient CSV rows (0: skip)")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    WORK.mkdir(exist_ok=True)
    runs: list[tuple[str, Path]] = []
    if args.messages:
        org_roster(WORK / f"people_{ORG}.csv")
        log, parquet = WORK / f"messages_{args.messages}.csv", WORK / f"messages_{args.messages}.parquet"
        if not log.exists():
            make_messages(log, args.messages)
        if not parquet.exists():
            import duckdb

            duckdb.sql(
                f"COPY (SELECT * FROM read_csv('{log}', all_varchar=true)) TO '{parquet}' (FORMAT parquet)"
            )
        runs += [
            ("duckdb-bare", log),
            ("duckdb-rules", log),
            ("duckdb-fastest", log),
            ("duckdb-floor", log),
            ("messages-csv", log),
            ("messages-parquet", parquet),
            ("messages-csv-month", log),
        ]
    roster(WORK / "people.csv")
    if args.mbox_mb:
        mbox = WORK / f"bench_{args.mbox_mb}mb.mbox"
        if not mbox.exists():
            make_mbox(mbox, args.mbox_mb)
        runs.append(("mbox", mbox))
    if args.csv_rows:
        csv = WORK / f"bench_{args.csv_rows}.csv"
        if not csv.exists():
            make_csv(csv, args.csv_rows)
        runs.append(("csv", csv))
    for kind, path in runs:
        run = subprocess.run(
            [sys.executable, __file__, "--child", kind, str(path)], capture_output=True, text=True
        )
        sys.stdout.write(run.stdout or run.stderr)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
