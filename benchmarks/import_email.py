"""Benchmark the email import: a large mbox and a large per-recipient CSV (not a test).

Usage::

    python benchmarks/import_email.py                       # 2 GB mbox, 10 million CSV rows
    python benchmarks/import_email.py --mbox-mb 200 --csv-rows 2000000

Files are generated in benchmarks/work/ (git-ignored). Each import runs in a fresh child
process, which reports its wall time, peak resident memory (``ru_maxrss``) and the
highest RSS seen by a 20 ms sampling thread.
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


def child(kind: str, path: Path) -> None:
    import pandas as pd

    from leadnet.importers.email import load_email
    from leadnet.importers.email_exports import ExportLayout
    from leadnet.importers.identity import Resolver

    peak = [0]
    running = True

    def sample() -> None:
        while running:
            rss = int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize()
            peak[0] = max(peak[0], rss)
            time.sleep(0.02)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    people = pd.read_csv(WORK / "people.csv", dtype=str)
    layout = ExportLayout(
        {"sender": "Sender", "recipient": "Recipient", "timestamp": "EventDate", "message_id": "MessageId"}
    )
    start = time.perf_counter()
    result = load_email(
        path, Resolver(people), internal_domains=[DOMAIN], layout=layout if kind == "csv" else None
    )
    elapsed = time.perf_counter() - start
    running = False
    thread.join()
    print(
        json.dumps(
            {
                "kind": kind,
                "file_mb": round(path.stat().st_size / 2**20, 1),
                "rows_read": result.record.rows_read,
                "ties": len(result.ties),
                "seconds": round(elapsed, 1),
                "peak_rss_mb": round(
                    max(peak[0], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024) / 2**20, 1
                ),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mbox-mb", type=int, default=2048)
    parser.add_argument("--csv-rows", type=int, default=10_000_000)
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    WORK.mkdir(exist_ok=True)
    roster(WORK / "people.csv")
    mbox, csv = WORK / f"bench_{args.mbox_mb}mb.mbox", WORK / f"bench_{args.csv_rows}.csv"
    if not mbox.exists():
        make_mbox(mbox, args.mbox_mb)
    if not csv.exists():
        make_csv(csv, args.csv_rows)
    for kind, path in (("mbox", mbox), ("csv", csv)):
        run = subprocess.run(
            [sys.executable, __file__, "--child", kind, str(path)], capture_output=True, text=True
        )
        sys.stdout.write(run.stdout or run.stderr)


if __name__ == "__main__":
    main()
