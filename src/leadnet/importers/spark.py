"""Email events → ties on Apache Spark (``engine = "spark"``, extra ``leadnet[spark]``).

Same rules, same SQL: the queries of :func:`~leadnet.importers.email_sql.tie_queries`
run through ``spark.sql`` as temporary views, after :func:`spark_sql` rewrites the
DuckDB spellings Spark parses differently. No Python runs on the executors (no UDFs), so
the cluster needs only PySpark on the driver; pandas stays off the Spark path (results
come back with ``DataFrame.toArrow()``, PySpark ≥ 4.0, then pyarrow → pandas).

Input: the ``ln_mail`` and ``ln_rcpt`` relations of :mod:`leadnet.importers.email_sql`
(messages and recipient entries, people resolved: ids, or the integer codes
``load_email`` stages, decoded back to ids on the driver), or staged events as Parquet with
the columns of the ``ln_events`` layout (:data:`EVENT_COLUMNS`: ``msg_seq`` unique per
message across all files, in file order; ``message_id``; ``sender`` and ``recipient``
as person ids, ``external`` when pooled, NULL when dropped; ``kind`` ``to``/``cc``;
``ts`` a UTC timestamp; ``n_recipients``), from which Spark derives both. Two routes:

1. ``engine = "spark"`` in ``leadnet.toml``: :func:`~leadnet.importers.email.load_email`
   stages and resolves addresses as always (DuckDB, one machine, every bad row
   quarantined with its line); the runner registered in
   :data:`~leadnet.importers.aggregate.ENGINES` streams ``ln_mail`` and ``ln_rcpt`` to
   Parquet files with DuckDB's ``COPY`` and Spark aggregates them. The files live in a
   local temporary folder, so use them with a local session (``local[*]``) or a driver whose temporary
   folder the executors share.
2. On a cluster (``spark-submit``): events already staged as Parquet in object storage
   (``s3a://bucket/events/*.parquet``) go straight to :func:`aggregate_events`; the ties
   (small) come back to the driver and the person graph is analysed on one machine.
   The events are taken as staged (no file lines, quarantine or address resolution
   here): rows that break the layout stop the run, counted, and a message without a
   time is counted ``missing-date``.

A failure inside Spark (out of memory, a file it cannot read) is one :class:`SparkError` line:
its cause's first line and the fix (:func:`spark_failure`), not a Java stack under a Python
traceback. The rules run in the session :func:`~leadnet.importers.spark_session.session` returns
(``spark-submit``'s, else a new one set up for one machine).

Where stages run: the event log (dedupe, window, broadcasts, pair weights, thresholds,
per-person counts) on Spark; the person graph (metrics, communities, report) on one
machine.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyarrow as pa

from leadnet.errors import InputError, LeadnetError
from leadnet.importers.aggregate import (
    COUNT_FRAME_COLUMNS,
    ENGINES,
    TIE_FRAME_COLUMNS,
    Aggregate,
    check_events,
    drops_by_period,
)
from leadnet.importers.email_emptied import period_figures, tieless_periods
from leadnet.importers.email_sql import (
    BAD_KINDS_SQL,
    EVENT_CHECK_SQL,
    EVENT_COLUMNS,
    MAIL_COLUMNS,
    PERIOD_RELATIONS,
    RCPT_COLUMNS,
    RCPT_FROM_EVENTS,
    WINDOW_RELATIONS,
    TieRules,
    count_sql,
    mail_from_events,
    tie_queries,
    window_queries,
)
from leadnet.importers.identity import EXTERNAL
from leadnet.importers.spark_session import session

CACHED_VIEWS = ("ln_mail", "ln_messages", "ln_pairs", "ln_person_counts")
"""Relations Spark keeps once computed, read more than once (``ln_person_counts`` by the periods'
results and the whole window's); ``ln_arcs`` is a filter of ``ln_pairs``, cheaper to read again than
to keep."""
CACHED_WINDOW_VIEWS = ("ln_window_pairs",)
"""The whole window's relations Spark keeps: its pairs, a grouping of ``ln_pairs`` its ties and four
of its drop counts read (computed once each without the cache)."""
RECIPROCAL_TIES = ("ln_ties", WINDOW_RELATIONS[2])
"""The ties Spark keeps with ``require_reciprocity`` (the periods', a cut log's whole window's): a join
of the arcs with their reverse then, read by the results, the drops and a cut log's periods' drops
(a join and its shuffle each time without the cache); without it a filter of the arcs, cheaper to read
again than to keep."""
VIEWS = (
    *CACHED_VIEWS,
    "ln_arcs",
    "ln_deliveries",
    "ln_ties",
    *WINDOW_RELATIONS,
    "ln_rcpt",
    "ln_events",
)
TIES_SCHEMA = pa.schema(
    [
        ("period", pa.string()),
        ("source", pa.string()),
        ("target", pa.string()),
        ("weight", pa.float64()),
        ("count", pa.int64()),
    ]
)
PERSON_COLUMNS = ("source", "target", "person_id")
COUNTS_SCHEMA = pa.schema(
    [
        ("period", pa.string()),
        ("person_id", pa.string()),
        ("messages_sent", pa.int64()),
        ("messages_received", pa.int64()),
    ]
)


class SparkError(LeadnetError, RuntimeError):
    """Spark failed while it ran the tie rules (out of memory, a file it cannot read, its JVM gone)."""


MEMORY_CAUSE = re.compile(r"OutOfMemory|maxResultSize|memory|heap space|GC overhead", re.IGNORECASE)
MEMORY_FIX = (
    "give the Spark driver more memory: spark.driver.memory (and spark.driver.maxResultSize when Spark "
    "names it), e.g. spark.driver.memory 8g in spark-defaults.conf or spark-submit --driver-memory 8g; "
    'or aggregate the log on a cluster (README, "Scale: Spark for the largest logs")'
)
OTHER_FIX = "correct what Spark names (a Parquet file it cannot read: stage or export it again) and run again"


class _NoSuchError(Exception):
    """Stands for Py4J's errors where PySpark is not installed: nothing raises it."""


def spark_failure(exc: BaseException) -> SparkError:
    """The one-line error of a Spark failure: that Spark failed, the first line of its cause, the fix.

    The cause is the Java exception's (PySpark's ``Py4JJavaError`` carries it under a
    line naming the Java call), else PySpark's message; the fix is more driver memory or
    the cluster route when the cause is memory or the JVM stopped answering (the
    system ends a JVM that outgrows the machine), else what the cause names.

    Examples
    --------
    >>> print(spark_failure(RuntimeError("java.lang.OutOfMemoryError: Java heap space\\n\\tat x.y")))
    ... # doctest: +ELLIPSIS
    Spark failed (java.lang.OutOfMemoryError: Java heap space); give the Spark driver more memory: ...
    """
    try:
        from py4j.protocol import Py4JError, Py4JNetworkError
    except ImportError:  # no PySpark (a ``[test]`` install runs this doctest): no Py4J error to read
        Py4JError = Py4JNetworkError = _NoSuchError

    java = getattr(exc, "java_exception", None)
    try:
        text = str(java) if java is not None else str(exc)
    except Py4JError:  # the JVM is gone: what the Python side said
        text = str(exc)
    cause = next((line.strip() for line in text.splitlines() if line.strip()), type(exc).__name__)
    gone = isinstance(exc, Py4JNetworkError)
    fix = MEMORY_FIX if gone or MEMORY_CAUSE.search(cause) else OTHER_FIX
    return SparkError(f"Spark failed ({'its JVM stopped answering: ' if gone else ''}{cause}); {fix}")


@contextmanager
def _reported() -> Iterator[None]:
    """Run Spark work; a failure inside Spark is raised as one :class:`SparkError` line, not a traceback."""
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    try:
        yield
    except (Py4JError, PySparkException) as exc:
        raise spark_failure(exc) from exc


def spark_sql(statement: str) -> str:
    """Rewrite one tie statement from DuckDB's SQL to Spark's.

    Five spellings differ: ``CAST(x AS VARCHAR)`` (Spark wants ``STRING``), the
    ``TIMESTAMPTZ '…'`` literal (Spark's ``TIMESTAMP`` is already zone-aware),
    ``"quoted"`` aliases (Spark quotes identifiers with backticks), ``strlen`` (the bytes
    of a text: Spark's ``octet_length``) and ``regexp_replace``'s ``'g'`` (Spark's
    replaces every match; a fourth argument is where to start).

    Examples
    --------
    >>> spark_sql("SELECT CAST(n AS VARCHAR) AS n WHERE ts >= TIMESTAMPTZ '2024-01-01'")
    "SELECT CAST(n AS STRING) AS n WHERE ts >= TIMESTAMP '2024-01-01'"
    >>> spark_sql("SELECT strlen(x) = length(x), regexp_replace(x, '[a-c]', '', 'g')")
    "SELECT octet_length(x) = length(x), regexp_replace(x, '[a-c]', '')"
    """
    statement = re.sub(r"\bstrlen\(", "octet_length(", statement)
    statement = re.sub(r", '', 'g'\)", ", '')", statement)  # regexp_replace(x, pattern, '', 'g')
    statement = re.sub(r"\bAS\s+VARCHAR\b", "AS STRING", statement)
    statement = re.sub(r"\bTIMESTAMPTZ\s+'", "TIMESTAMP '", statement)
    return re.sub(r'\bAS\s+"([^"]+)"', r"AS `\1`", statement)


@contextmanager
def _utc(spark: Any) -> Iterator[None]:
    """Run with the session time zone set to UTC (months and quarters are UTC), then restore it."""
    key = "spark.sql.session.timeZone"
    before = spark.conf.get(key)
    spark.conf.set(key, "UTC")
    try:
        yield
    finally:
        spark.conf.set(key, before)


def _keyed(schema: pa.Schema, person: pa.DataType) -> pa.Schema:
    """``schema`` with its person columns (text in the schema) of type ``person``."""
    return pa.schema([pa.field(f.name, person) if f.name in PERSON_COLUMNS else f for f in schema])


def _frame(spark: Any, query: str, schema: pa.Schema, order: Sequence[str]) -> Any:
    """A small Spark result as a pandas frame with fixed dtypes, via Arrow (never ``toPandas``).

    Sorted by ``order`` on the driver (Arrow compares text by its bytes, as Spark and DuckDB
    do): a sort in Spark samples the result, shuffles it by range and sorts each range,
    three steps that cost the small result more than one sort on the driver.
    """
    table = spark.sql(query).toArrow()
    table = table.select(schema.names).cast(schema).sort_by([(name, "ascending") for name in order])
    return table.to_pandas()


def _results(spark: Any, rules: TieRules, relations: Sequence[str], person: pa.DataType) -> Aggregate:
    """The ties, per-person counts and counted drops of ``relations`` (of the views already made),
    as the embedded engine reads them."""
    _, _, ties_name, people_name = relations
    ties = _frame(
        spark,
        f"SELECT period, source, target, CAST(weight AS DOUBLE) AS weight, count FROM {ties_name}",
        _keyed(TIES_SCHEMA, person),
        ("period", "source", "target"),
    )
    people = _frame(
        spark, f"SELECT * FROM {people_name}", _keyed(COUNTS_SCHEMA, person), ("period", "person_id")
    )
    row = spark.sql(spark_sql(count_sql(rules, relations))).collect()[0].asDict()
    counts = {name: int(value) for name, value in row.items() if value}
    return Aggregate(ties[list(TIE_FRAME_COLUMNS)], people[list(COUNT_FRAME_COLUMNS)], counts)


def aggregate_events(
    spark: Any, events: str | Sequence[str] | Any, rules: TieRules, snapshot_by: str | None = None
) -> Aggregate:
    """Run the tie rules on Spark over staged events (a Spark DataFrame or Parquet path(s)).

    ``events`` holds the columns of :data:`EVENT_COLUMNS`; paths may be globs or object
    storage URIs (``s3a://bucket/events/*.parquet``). The result is the same
    :class:`~leadnet.importers.aggregate.Aggregate` the embedded engine returns (same
    columns, dtypes and order). The events are taken as staged: file lines, address
    resolution and the quarantine of bad rows belong to the staging, so none of them is
    reported here; a message without a time is counted ``missing-date``.

    Raises
    ------
    InputError
        When rows break the layout (no ``msg_seq`` or ``n_recipients``, a recipient's
        ``kind`` neither ``to`` nor ``cc``), naming the events and counting each break
        (:func:`~leadnet.importers.aggregate.check_events`), before any tie is made.
    SparkError
        When Spark fails (out of memory, a file it cannot read): one line with the first
        line of its cause and the fix (:func:`spark_failure`).

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> from pyspark.sql import SparkSession  # doctest: +SKIP
    >>> spark = SparkSession.builder.master("local[1]").getOrCreate()  # doctest: +SKIP
    >>> t = datetime(2024, 1, 5, 10, tzinfo=timezone.utc)
    >>> rows = [(1, "m1", "a", "b", "to", t, 2), (1, "m1", "a", "c", "cc", t, 2),
    ...         (2, "m2", "a", "b", "cc", t, 1), (3, "m2", "a", "b", "to", t, 1)]
    >>> events = spark.createDataFrame(rows, ", ".join(  # doctest: +SKIP
    ...     ["msg_seq long", "message_id string", "sender string", "recipient string",
    ...      "kind string", "ts timestamp", "n_recipients long"]))
    >>> result = aggregate_events(spark, events, TieRules(min_messages=2))  # doctest: +SKIP
    >>> result.ties[["source", "target", "weight", "count"]].values.tolist()  # doctest: +SKIP
    [['a', 'b', 1.5, 2]]
    """
    with _reported():
        _frame_of(spark, events).select(*EVENT_COLUMNS).createOrReplaceTempView("ln_events")
        counts = spark.sql(EVENT_CHECK_SQL).collect()[0]
        try:
            check_events(
                counts, lambda: [row[0] for row in spark.sql(BAD_KINDS_SQL).collect()], _named(events)
            )
        except InputError:
            spark.catalog.dropTempView("ln_events")
            raise
        spark.sql(spark_sql(f"CREATE OR REPLACE TEMP VIEW ln_mail AS {mail_from_events()}"))
        _by_message(spark.sql(RCPT_FROM_EVENTS)).createOrReplaceTempView("ln_rcpt")
        return _run(spark, rules, snapshot_by)


def aggregate_mail(
    spark: Any,
    mail: str | Sequence[str] | Any,
    rcpt: str | Sequence[str] | Any,
    rules: TieRules,
    snapshot_by: str | None = None,
    external: str | int = EXTERNAL,
    *,
    emptied: bool = True,
) -> Aggregate:
    """Run the tie rules on Spark over ``ln_mail`` and ``ln_rcpt`` (DataFrames or Parquet path(s)).

    ``mail`` holds :data:`MAIL_COLUMNS`, ``rcpt`` :data:`RCPT_COLUMNS`; the result is
    that of :func:`aggregate_events` (a failure of Spark too). People are keyed as in the
    relations: ``external`` is the pooled external person's key (its integer code when they
    hold codes). ``emptied``: measure the periods left with no tie, as
    :func:`~leadnet.importers.aggregate.aggregate` does.
    """
    with _reported():
        _frame_of(spark, mail).select(*MAIL_COLUMNS).createOrReplaceTempView("ln_mail")
        _by_message(_frame_of(spark, rcpt).select(*RCPT_COLUMNS)).createOrReplaceTempView("ln_rcpt")
        return _run(spark, rules, snapshot_by, external, emptied=emptied)


def _named(source: str | Sequence[str] | Any) -> str:
    """How messages name the events: their path(s), else ``events`` (a DataFrame)."""
    if isinstance(source, str):
        return source
    return ", ".join(source) if isinstance(source, Sequence) else "events"


def _frame_of(spark: Any, source: str | Sequence[str] | Any) -> Any:
    if isinstance(source, str):
        return spark.read.parquet(source)
    if isinstance(source, Sequence):
        return spark.read.parquet(*source)
    return source


def _by_message(rcpt: Any) -> Any:
    """The recipient entries ``rcpt`` partitioned by message (``msg_seq``).

    The rules group them by message and recipient (``ln_deliveries``), then join them to
    their messages on ``msg_seq``; partitioned by message, both steps find their rows
    together, where Spark would shuffle them twice (once for each key).
    """
    return rcpt.repartition("msg_seq")


def _run(
    spark: Any,
    rules: TieRules,
    snapshot_by: str | None,
    external: str | int = EXTERNAL,
    *,
    emptied: bool = True,
) -> Aggregate:
    try:
        with _utc(spark):
            for name, query in tie_queries(rules, snapshot_by, external):
                spark.sql(spark_sql(f"CREATE OR REPLACE TEMP VIEW {name} AS {query}"))
            _cache(spark, rules, CACHED_VIEWS, RECIPROCAL_TIES[0])
            person = pa.int64() if isinstance(external, int) else pa.string()
            result = _results(spark, rules, PERIOD_RELATIONS, person)
            figures = period_figures(
                lambda sql: spark.sql(spark_sql(sql)).collect(),
                rules,
                tieless_periods(result.person_counts, result.ties) if emptied else set(),
            )
            window, drops = None, {}
            if snapshot_by is not None:  # the whole window, from the periods' pairs (cached)
                for name, query in window_queries(rules):
                    spark.sql(spark_sql(f"CREATE OR REPLACE TEMP VIEW {name} AS {query}"))
                _cache(spark, rules, CACHED_WINDOW_VIEWS, RECIPROCAL_TIES[1])
                window = _results(spark, rules, WINDOW_RELATIONS, person)
                drops = drops_by_period(lambda sql: spark.sql(spark_sql(sql)).collect(), rules)
    finally:
        for view in VIEWS:
            if spark.catalog.tableExists(view):
                spark.catalog.uncacheTable(view)
            spark.catalog.dropTempView(view)
    return replace(result, emptied=figures, window=window, period_drops=drops)


def _cache(spark: Any, rules: TieRules, views: Sequence[str], ties: str) -> None:
    """Keep ``views`` once computed, and the ties ``ties`` when the rules ask for reciprocity."""
    for view in (*views, ties) if rules.require_reciprocity else views:
        spark.catalog.cacheTable(view)


def export_mail(con: Any, folder: Path) -> tuple[Path, Path]:
    """Stream ``ln_mail`` and ``ln_rcpt`` of a DuckDB connection to two Parquet files in ``folder``."""
    paths = folder / "ln_mail.parquet", folder / "ln_rcpt.parquet"
    for path, name, columns in zip(paths, ("ln_mail", "ln_rcpt"), (MAIL_COLUMNS, RCPT_COLUMNS), strict=True):
        con.execute(f"COPY (SELECT {', '.join(columns)} FROM {name}) TO '{path}' (FORMAT parquet)")
    return paths


def run_spark(
    con: Any,
    rules: TieRules,
    snapshot_by: str | None,
    external: str | int = EXTERNAL,
    *,
    emptied: bool = True,
) -> Aggregate:
    """The ``spark`` runner of :data:`~leadnet.importers.aggregate.ENGINES` (route 1)."""
    spark = session()
    with tempfile.TemporaryDirectory(prefix="leadnet-spark-") as tmp:
        mail, rcpt = export_mail(con, Path(tmp))
        return aggregate_mail(spark, str(mail), str(rcpt), rules, snapshot_by, external, emptied=emptied)


ENGINES["spark"] = run_spark
