"""The Spark engine gives the embedded engine's ties, counts and drops on the same input.

Runs Spark in local mode (one session for the module, ``conftest.spark``); skipped when
PySpark or Java is missing. The 1-million-message comparison is in benchmarks/spark_parity.py
(results in benchmarks/README_spark.md); here a 100k-message log and the Riverside log.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from leadnet.errors import InputError
from leadnet.importers.aggregate import aggregate, relations_from_events
from leadnet.importers.email import load_email
from leadnet.importers.email_exports import ExportLayout
from leadnet.importers.email_sql import TieRules
from leadnet.importers.identity import Resolver
from leadnet.traces import write_traces

ROOT = Path(__file__).resolve().parents[2]
RIVERSIDE = ROOT / "data" / "samples" / "riverside"
MAIL_AFTER = ExportLayout(
    {"sender": "from", "recipients": "to", "cc": "cc", "timestamp": "sent_at", "message_id": "message_id"}
)

pytestmark = [
    pytest.mark.spark,
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]


def _parity_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("spark_parity", ROOT / "benchmarks" / "spark_parity.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def riverside_mail(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Resolver]:
    """The Riverside email log: the sample's own files when present, else generated like them."""
    roster = pd.read_csv(RIVERSIDE / "people.csv", dtype=str, keep_default_na=False)
    people = roster.rename(columns={"employee_id": "person_id", "directorate": "unit"})
    resolver = Resolver(people[["person_id", "email"]])
    if (RIVERSIDE / "mail_before.mbox").is_file() and (RIVERSIDE / "mail_after.csv").is_file():
        return RIVERSIDE, resolver
    surveys = [
        pd.read_csv(RIVERSIDE / f"survey_{period}.csv", dtype=str).assign(period=period)
        for period in ("before", "after")
    ]
    ties = pd.concat(surveys).rename(columns={"respondent": "source", "nominee": "target"})
    folder = tmp_path_factory.mktemp("riverside")
    write_traces(people, ties[["source", "target", "period"]], folder, seed=0)
    return folder, resolver


def _assert_same(embedded, on_spark) -> None:  # type: ignore[no-untyped-def]
    assert_frame_equal(embedded.ties, on_spark.ties)
    assert_frame_equal(embedded.person_counts, on_spark.person_counts)
    assert embedded.counts == on_spark.counts
    assert embedded.period_drops == on_spark.period_drops  # each period's own, when cut
    assert (embedded.window is None) == (on_spark.window is None)
    if embedded.window is not None:  # a log cut into periods: its whole window, summed from them
        _assert_same(embedded.window, on_spark.window)


@pytest.mark.parametrize(
    ("name", "layout", "snapshot_by", "n_periods"),
    [("mail_before.mbox", None, None, 0), ("mail_after.csv", MAIL_AFTER, "month", 3)],
    ids=["mbox", "csv-by-month"],
)
def test_spark_engine_gives_the_embedded_ties_on_the_riverside_log(
    spark,
    riverside_mail: tuple[Path, Resolver],
    name: str,
    layout: ExportLayout | None,
    snapshot_by: str | None,
    n_periods: int,
) -> None:
    folder, resolver = riverside_mail
    results = {
        engine: load_email(
            folder / name,
            resolver,
            layout=layout,
            internal_domains=["riverside.example"],
            snapshot_by=snapshot_by,
            engine=engine,
        )
        for engine in ("embedded", "spark")
    }
    embedded, on_spark = results["embedded"], results["spark"]
    assert len(embedded.ties) > 500
    assert_frame_equal(embedded.ties, on_spark.ties)
    assert_frame_equal(embedded.person_counts, on_spark.person_counts)
    assert embedded.normalisations == on_spark.normalisations
    assert embedded.normalisations["broadcast"] == 3
    assert list(embedded.by_period) == list(on_spark.by_period) and len(embedded.by_period) == n_periods
    for period, ties in embedded.by_period.items():
        assert_frame_equal(ties.ties, on_spark.by_period[period].ties)
        assert_frame_equal(ties.person_counts, on_spark.by_period[period].person_counts)
        assert ties.normalisations == on_spark.by_period[period].normalisations


def test_spark_counts_each_month_s_own_drops_of_a_cut_log_as_the_embedded_engine(
    spark, cut_log: Path
) -> None:
    # conftest's log, whose months' drops all differ (worked out in tests/importers/test_email.py)
    people = pd.DataFrame(
        {"person_id": ["1", "2", "3"], "email": [f"{n}@riverside.example" for n in ("alice", "bob", "carol")]}
    )
    read = {
        "layout": ExportLayout({r: r for r in ("message_id", "sender", "recipients", "timestamp")}),
        "rules": TieRules(max_recipients=2, require_reciprocity=True, period_to=date(2024, 3, 31)),
        "internal_domains": ["riverside.example"],
        "snapshot_by": "month",
    }
    embedded = load_email(cut_log, Resolver(people), **read)  # type: ignore[arg-type]
    on_spark = load_email(cut_log, Resolver(people), engine="spark", **read)  # type: ignore[arg-type]
    months = {name: period.normalisations for name, period in on_spark.by_period.items()}
    assert months == {name: period.normalisations for name, period in embedded.by_period.items()}
    files = {"duplicate-message-id": 1, "external-address": 2, "outside-period": 1}
    assert months == {
        "2024-01": {**files, "below-min-messages": 1, "self-tie": 1},
        "2024-02": {**files, "below-min-messages": 1, "broadcast": 1, "not-reciprocated": 2},
        "2024-03": {**files, "broadcast": 1, "self-tie": 1},
    }
    assert on_spark.normalisations == embedded.normalisations


RECIPROCAL = TieRules(
    min_messages=2,
    cc_weight=0.25,
    require_reciprocity=True,
    max_recipients=2,
    period_from=date(2024, 3, 1),
    period_to=date(2024, 10, 31),
)


@pytest.mark.parametrize(
    ("rules", "snapshot_by", "n_ties", "n_people"),
    [(TieRules(), "month", 28_117, 24_000), (RECIPROCAL, "quarter", 1_902, 8_000)],
    ids=["defaults-by-month", "reciprocal-windowed-by-quarter"],
)
def test_spark_gives_the_embedded_ties_on_a_100k_message_log(
    spark,
    tmp_path_factory: pytest.TempPathFactory,
    rules: TieRules,
    snapshot_by: str,
    n_ties: int,
    n_people: int,
) -> None:
    from leadnet.importers.spark import aggregate_events

    path = tmp_path_factory.getbasetemp() / "events_100k.parquet"
    if not path.exists():
        assert _parity_module().write_event_log(path, 100_000, seed=0) == 205_679
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"CREATE VIEW ln_events AS SELECT * FROM read_parquet('{path}')")
    relations_from_events(con)
    embedded, whole = aggregate(con, rules, snapshot_by), aggregate(con, rules)
    con.close()
    _assert_same(embedded.whole, whole)  # the window summed from the periods: the rules run over it
    on_spark = aggregate_events(spark, str(path), rules, snapshot_by)
    _assert_same(embedded, on_spark)
    assert (len(embedded.ties), len(embedded.person_counts)) == (n_ties, n_people)
    assert embedded.counts["duplicate-message-id"] == 1_684


def test_spark_sql_reads_the_dialect_duckdb_writes() -> None:
    from leadnet.importers.spark import spark_sql

    assert spark_sql("CAST(year(ts) AS VARCHAR) || '-' AS \"outside-period\" TIMESTAMPTZ '9999-12-31'") == (
        "CAST(year(ts) AS STRING) || '-' AS `outside-period` TIMESTAMP '9999-12-31'"
    )


def _events(path: Path, rows: list[tuple]) -> str:  # type: ignore[type-arg]
    """``rows`` (the ``ln_events`` columns) as a Parquet file at ``path``."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    values = ", ".join(["(?, ?, ?, ?, ?, CAST(? AS TIMESTAMPTZ), ?)"] * len(rows))
    con.execute(
        f"COPY (SELECT * FROM (VALUES {values}) AS t(msg_seq, message_id, sender, recipient, kind, ts, "
        f"n_recipients)) TO '{path}' (FORMAT parquet)",
        [cell for row in rows for cell in row],
    )
    return str(path)


def _embedded_events(path: str, rules: TieRules):  # type: ignore[no-untyped-def]
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"CREATE VIEW ln_events AS SELECT * FROM read_parquet('{path}')")
    relations_from_events(con, path)
    return aggregate(con, rules)


def test_events_staged_on_a_cluster_count_what_leadnets_staging_would_have_quarantined(
    spark, tmp_path: Path
) -> None:
    # A cluster's own staging may pass on a message without a time (it went nowhere, not
    # even a count) or a blank Message-ID (every such message deduped into one).
    from leadnet.importers.spark import aggregate_events

    path = _events(
        tmp_path / "events.parquet",
        [
            (1, "", "a", "b", "to", "2024-01-05 10:00:00+00", 1),
            (2, " ", "a", "b", "cc", "2024-01-06 10:00:00+00", 1),
            (3, "", "a", "b", "to", "2024-01-07 10:00:00+00", 1),
            (4, "m4", "b", "a", "to", None, 1),
            (5, "m5", "b", "c", "to", "2024-01-08 10:00:00+00", 1),
            (6, "m5\u200b", "b", "c", "to", "2024-01-08 10:00:00+00", 1),  # invisible: the same ID
            (7, "\ufeff", "b", "c", "to", "2024-01-09 10:00:00+00", 1),  # only invisible: no ID
        ],
    )
    on_spark = aggregate_events(spark, path, TieRules(min_messages=1))
    _assert_same(_embedded_events(path, TieRules(min_messages=1)), on_spark)
    assert on_spark.ties[["source", "target", "weight", "count"]].values.tolist() == [
        ["a", "b", 2.5, 3],
        ["b", "c", 2.0, 2],
    ]
    assert on_spark.counts == {"missing-date": 1, "duplicate-message-id": 1}


def test_events_that_break_the_layout_fail_alike_on_spark_before_any_tie(spark, tmp_path: Path) -> None:
    from leadnet.importers.spark import aggregate_events

    t = "2024-01-05 10:00:00+00"
    path = _events(
        tmp_path / "events.parquet",
        [
            (1, "m1", "a", "b", "Cc", t, 1),
            (None, "m2", "a", "b", "to", t, 1),
            (3, "m3", "a", "b", None, t, None),
        ],
    )
    with pytest.raises(InputError) as embedded:
        _embedded_events(path, TieRules())
    with pytest.raises(InputError) as on_spark:
        aggregate_events(spark, path, TieRules())
    assert str(on_spark.value) == str(embedded.value)
    assert str(embedded.value) == (
        f'{path}: 1 row(s) have no msg_seq; 2 recipient row(s) have a kind other than "to" or "cc" '
        '("Cc", none); 1 row(s) have no n_recipients; stage the events in the ln_events layout: a msg_seq '
        'unique per message, n_recipients on every row, kind "to" or "cc" (Bcc as "cc")'
    )
    assert not spark.catalog.tableExists("ln_events")


def test_a_parquet_file_spark_cannot_read_is_one_line_naming_it_not_a_traceback(
    spark, tmp_path: Path
) -> None:
    # A Spark failure (here a cut-short upload of staged events) went up as a Py4JJavaError
    # with the Java stack under it.
    from leadnet.errors import LeadnetError
    from leadnet.importers.spark import aggregate_events

    whole = Path(
        _events(tmp_path / "whole.parquet", [(1, "m1", "a", "b", "to", "2024-01-05 10:00:00+00", 1)])
    )
    cut = tmp_path / "cut.parquet"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(LeadnetError) as raised:
        aggregate_events(spark, str(cut), TieRules())
    message = str(raised.value)
    assert message.startswith(
        "Spark failed (org.apache.spark.SparkException: [FAILED_READ_FILE.CANNOT_READ_FILE_FOOTER] "
        f"Encountered error while reading file file:{cut}. Could not read footer."
    )
    assert message.endswith(
        "); correct what Spark names (a Parquet file it cannot read: stage or export it again) and run again"
    )
    assert "\n" not in message


PROJECT = """[project]
internal_domains = ["x.org"]

[people]
path = "people.csv"

[[sources]]
kind = "email"
path = "mail.csv"
min_messages = 1

[analysis]
engine = "spark"
"""


def test_analyse_on_spark_shows_spark_errors_only_and_its_failure_in_one_line(tmp_path: Path) -> None:
    # leadnet analyse printed Spark's WARN lines and notices ("Using Spark's default log4j
    # profile", "Setting default log level") under its output, and a failure of Spark
    # mid-run, here a result over a tiny spark.driver.maxResultSize, as a Python traceback.
    pytest.importorskip("pyspark", reason='PySpark is not installed (pip install -e ".[spark]")')
    if shutil.which("java") is None:
        pytest.skip("Java is not installed (Spark needs a JRE 17+)")
    project = tmp_path / "project"
    project.mkdir()
    (project / "leadnet.toml").write_text(PROJECT, encoding="utf-8")
    (project / "people.csv").write_text("person_id,email\n1,a@x.org\n2,b@x.org\n", encoding="utf-8")
    (project / "mail.csv").write_text(
        "sender,recipients,timestamp\na@x.org,b@x.org,2024-01-02T10:00:00Z\nb@x.org,a@x.org,2024-01-03T10:00:00Z\n",
        encoding="utf-8",
    )
    submit = "--master local[1] --conf spark.driver.maxResultSize=1k --conf spark.sql.shuffle.partitions=2"
    env = {**os.environ, "PYSPARK_SUBMIT_ARGS": f"{submit} pyspark-shell", "PYTHONPATH": str(ROOT / "src")}
    run = subprocess.run(
        [sys.executable, "-m", "leadnet", "analyse", str(project), "--out", str(tmp_path / "out")],
        capture_output=True, text=True, env=env, timeout=900, check=False,
    )  # fmt: skip
    lines = run.stderr.splitlines()
    assert run.returncode == 1, run.stderr
    assert lines[-1].startswith(
        "error: Spark failed (org.apache.spark.SparkException: Job aborted due to stage failure: Total size "
        "of serialized results of 1 tasks ("
    )
    assert lines[-1].endswith(
        "is bigger than spark.driver.maxResultSize (1024.0 B)); give the Spark driver more memory: "
        "spark.driver.memory (and spark.driver.maxResultSize when Spark names it), e.g. "
        "spark.driver.memory 8g in spark-defaults.conf or spark-submit --driver-memory 8g; or aggregate "
        'the log on a cluster (README, "Scale: Spark for the largest logs")'
    )
    assert [line for line in lines if re.search(r"\b(WARN|INFO)\b|log4j|log level|Traceback", line)] == []
    assert any(line.startswith("spark ERROR TaskSetManager: Total size of serialized") for line in lines)
    assert not (tmp_path / "out").exists()


def test_spark_removes_every_format_character_from_a_message_id_as_duckdb_does(spark) -> None:
    import unicodedata

    from leadnet.importers.identity import visible_sql
    from leadnet.importers.spark import spark_sql

    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf")
    rows = spark.createDataFrame([(f"<m{every}1@x>",), ("<m2@x>",), ("é",)], "t string")
    rows.createOrReplaceTempView("ln_texts")
    try:
        found = [row[0] for row in spark.sql(spark_sql(f"SELECT {visible_sql('t')} FROM ln_texts")).collect()]
    finally:
        spark.catalog.dropTempView("ln_texts")
    assert found == ["<m1@x>", "<m2@x>", "é"]


class _PlanRecorder:
    """A Spark session that keeps the physical plan of the query that collects the ties."""

    def __init__(self, spark) -> None:  # type: ignore[no-untyped-def]
        self._spark = spark
        self.plans: list[str] = []

    def sql(self, query: str):  # type: ignore[no-untyped-def]
        frame = self._spark.sql(query)
        if query.startswith("SELECT period, source, target") and "FROM ln_ties" in query:
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                frame.explain()  # the physical plan, through PySpark's public API
            self.plans.append(printed.getvalue())
        return frame

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self._spark, name)


def test_spark_shuffles_recipient_entries_once_and_sorts_the_ties_on_the_driver(
    spark, tmp_path: Path
) -> None:
    # Spark shuffled the recipient entries by message and recipient for ln_deliveries, then
    # again by message for the join to their messages, and sorted the small results by range
    # (a sampling job and a shuffle): 47 s for a million messages on two cores, now 38 s.
    from leadnet.importers.spark import aggregate_events

    t = "2024-01-05 10:00:00+00"
    path = _events(
        tmp_path / "events.parquet",
        [
            (1, "m1", "b", "c", "to", t, 2),
            (1, "m1", "b", "a", "cc", t, 2),
            (2, "m2", "a", "c", "to", t, 1),
            (3, "m3", "c", "a", "to", t, 1),
        ],
    )
    recorder = _PlanRecorder(spark)
    result = aggregate_events(recorder, path, TieRules(min_messages=1), "month")
    assert result.ties.values.tolist() == [
        ["2024-01", "a", "c", 1.0, 1],
        ["2024-01", "b", "a", 0.5, 1],
        ["2024-01", "b", "c", 1.0, 1],
        ["2024-01", "c", "a", 1.0, 1],
    ]
    [plan] = recorder.plans  # the physical plan, the cached relations' plans inside it
    assert re.findall(r"hashpartitioning\(msg_seq#\d+L?, recipient#", plan) == []
    assert "rangepartitioning" not in plan


def _cut_log(path: Path) -> str:
    """Six event rows over two months as Parquet at ``path``: a copy, a self-tie, a reply in January."""
    times = {"jan": "2024-01-05 10:00:00+00", "feb": "2024-02-05 10:00:00+00"}
    log = """1 m1 a b to jan 2
             1 m1 a c cc jan 2
             2 m2 b a to jan 1
             3 m3 a b to feb 1
             4 m3 a b to feb 1
             5 m5 a a to feb 1"""  # msg_seq, message_id, sender, recipient, kind, month, n_recipients
    rows = [
        (int(q), m, s, r, k, times[w], int(n)) for q, m, s, r, k, w, n in map(str.split, log.splitlines())
    ]
    return _events(path, rows)


def test_spark_computes_each_relation_of_a_cut_log_once_and_counts_the_drops_in_one_query(
    spark, tmp_path: Path
) -> None:
    # The drops were seven scalar subqueries (a job each, ln_messages read four times), and the whole
    # window's pairs and the per-person counts were computed again at every read: 70 jobs for a
    # million messages, 86 s of the JVM's CPU on two cores (median); now 46 jobs, 71 s
    # (benchmarks/README_spark.md, 2026-11-29).
    from leadnet.importers.spark import aggregate_events

    path = _cut_log(tmp_path / "events.parquet")
    context = spark.sparkContext
    context.setJobGroup("leadnet-jobs-test", "the jobs of one run")
    try:
        result = aggregate_events(spark, path, TieRules(min_messages=1), "month")
    finally:
        context.setLocalProperty("spark.jobGroup.id", None)
    jobs = context.statusTracker().getJobIdsForGroup("leadnet-jobs-test")
    assert result.whole.ties.values.tolist() == [
        ["all", "a", "b", 2.0, 2],
        ["all", "a", "c", 0.5, 1],
        ["all", "b", "a", 1.0, 1],
    ]
    assert result.counts == {"duplicate-message-id": 1, "self-tie": 1}
    assert len(jobs) <= 47, len(jobs)  # 71 before


class _EveryPlan(_PlanRecorder):
    """A Spark session that keeps what every query it runs computes: the nodes of its physical plan,
    each read of a cached relation one scan (``InMemoryTableScan``; its own plan ran once, when
    first read)."""

    def sql(self, query: str):  # type: ignore[no-untyped-def]
        frame = self._spark.sql(query)
        nodes = [frame._jdf.queryExecution().executedPlan()]  # PySpark has no public tree of the plan
        while nodes:
            node = nodes.pop()
            if node.nodeName() == "AdaptiveSparkPlan":  # its plan is an inner child, not a child
                nodes.append(node.executedPlan())
                continue
            self.plans.append(node.simpleString(1000))
            children = node.children()
            nodes.extend(children.apply(i) for i in range(children.size()))
        return frame


def test_spark_computes_the_reciprocal_ties_once_for_their_results_and_drops(spark, tmp_path: Path) -> None:
    # With require_reciprocity the ties join the arcs to their reverse; the ties read, the drops
    # and a cut log's periods' drops each ran that join again, and the whole window's ties and
    # drops theirs: five joins, each with a shuffle of the arcs on a large log. Now kept.
    from leadnet.importers.spark import aggregate_events

    recorder = _EveryPlan(spark)
    rules = TieRules(min_messages=1, require_reciprocity=True)
    result = aggregate_events(recorder, _cut_log(tmp_path / "events.parquet"), rules, "month")
    assert result.ties.values.tolist() == [["2024-01", "a", "b", 1.0, 1], ["2024-01", "b", "a", 1.0, 1]]
    assert result.whole.ties.values.tolist() == [["all", "a", "b", 2.0, 2], ["all", "b", "a", 1.0, 1]]
    assert result.counts == {"duplicate-message-id": 1, "self-tie": 1, "not-reciprocated": 2}
    assert result.whole.counts == {"duplicate-message-id": 1, "self-tie": 1, "not-reciprocated": 1}
    assert result.period_drops == {
        "2024-01": {"not-reciprocated": 1},
        "2024-02": {"self-tie": 1, "not-reciprocated": 1},
    }
    reverse = [node for node in recorder.plans if re.match(r"\w*Join \[period#.*, LeftSemi", node)]
    assert reverse == []  # five before: the ties read, the drops and the periods' drops; the window's two
    # the walk reaches joins: February, left with no tie, is measured beside its reverse arcs
    assert any(re.match(r"\w*Join \[period#.*, LeftOuter", node) for node in recorder.plans)
