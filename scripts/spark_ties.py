"""Aggregate a staged email event log to ties on a Spark cluster (the ``spark-submit`` driver).

Usage::

    spark-submit --master yarn --packages org.apache.hadoop:hadoop-aws:3.4.1 \\
        scripts/spark_ties.py "s3a://bucket/events/*.parquet" --out ties/ --snapshot-by month

Reads Parquet with the columns of ``ln_events`` (see ``leadnet.importers.spark``), applies
the tie rules with :func:`leadnet.importers.spark.aggregate_events` and writes, on the
driver, ``ties.csv`` (source, target, relation, weight, count, period) and
``person_counts.csv`` into ``--out``: read them on one machine with a ``kind = "ties"``
source. Only the driver needs leadnet installed (the executors run Spark SQL, no Python).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pyspark.sql import SparkSession

from leadnet.errors import LeadnetError
from leadnet.importers.aggregate import rules_from_options
from leadnet.importers.spark import aggregate_events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("events", nargs="+", help="Parquet files, globs or s3a:// URIs")
    parser.add_argument("--out", type=Path, required=True, help="local folder on the driver")
    parser.add_argument("--snapshot-by", choices=["month", "quarter"], default=None)
    parser.add_argument("--relation", default="email")
    parser.add_argument("--max-recipients", type=int, default=25)
    parser.add_argument("--cc-weight", type=float, default=0.5)
    parser.add_argument("--min-messages", type=int, default=2)
    parser.add_argument("--require-reciprocity", action="store_true")
    args = parser.parse_args()
    rules = rules_from_options(
        {
            "max_recipients": args.max_recipients,
            "cc_weight": args.cc_weight,
            "min_messages": args.min_messages,
            "require_reciprocity": args.require_reciprocity,
        }
    )
    spark = SparkSession.builder.appName("leadnet-ties").getOrCreate()
    try:
        result = aggregate_events(spark, args.events, rules, args.snapshot_by)
    except LeadnetError as error:  # events that break the ln_events layout, counted; Spark failing
        spark.stop()
        raise SystemExit(f"error: {error}") from None
    args.out.mkdir(parents=True, exist_ok=True)
    ties = result.ties.assign(relation=args.relation)
    ties[["source", "target", "relation", "weight", "count", "period"]].to_csv(
        args.out / "ties.csv", index=False, lineterminator="\n"
    )
    result.person_counts.to_csv(args.out / "person_counts.csv", index=False, lineterminator="\n")
    print(f"{len(ties)} ties, {sum(result.counts.values())} dropped or counted: {result.counts}")
    spark.stop()


if __name__ == "__main__":
    main()
