"""Fixtures shared by the importer tests: a local Spark session for the engine tests, a log cut by month."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A local Spark session (two cores at most: the test machine is shared), stopped after the module.

    Skips the test when PySpark or Java is missing, saying which and how to install it.
    """
    if importlib.util.find_spec("pyspark") is None:
        pytest.skip('PySpark is not installed (pip install -e ".[spark]")')
    if shutil.which("java") is None:
        pytest.skip("Java is not installed (Spark needs a JRE 17+, e.g. Debian default-jre-headless)")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("leadnet-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.warehouse.dir", str(tmp_path_factory.mktemp("spark-warehouse")))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


CUT_LOG_ROWS = (  # message_id, sender, recipients (";"), day; alice, bob and carol of riverside.example
    ("m1", "alice", "bob", "2024-01-02"),
    ("m1", "alice", "bob", "2024-01-02"),  # a copy: duplicate-message-id, the file's
    ("m2", "alice", "bob", "2024-01-03"),
    ("m3", "bob", "alice", "2024-01-04"),
    ("m4", "bob", "alice", "2024-01-05"),
    ("m5", "carol", "carol", "2024-01-06"),  # January's self-tie
    ("m6", "alice", "carol", "2024-01-07"),  # January's pair below min_messages
    ("m7", "alice", "carol", "2024-02-01"),  # with m8: not returned in February
    ("m8", "alice", "carol", "2024-02-02"),
    ("m9", "bob", "carol", "2024-02-03"),  # with m10: not returned in February (carol answers in March)
    ("m10", "bob", "carol", "2024-02-04"),
    ("m11", "carol", "alice;bob;out@elsewhere.example", "2024-02-05"),  # February's broadcast
    ("m12", "bob", "alice", "2024-02-06"),  # February's pair below min_messages
    *((f"m{n}", "carol", "bob", f"2024-03-0{n - 12}") for n in (13, 14, 15)),
    *((f"m{n}", "bob", "carol", f"2024-03-0{n - 12}") for n in (16, 17, 18)),
    ("m19", "alice", "alice", "2024-03-10"),  # March's self-tie
    ("m20", "alice", "bob;carol;out@elsewhere.example", "2024-03-11"),  # March's broadcast
    ("m21", "alice", "bob", "2024-04-02"),  # after the window: outside-period, the file's
)
"""A log whose months' drops all differ from its whole window's, under max_recipients = 2,
min_messages = 2, require_reciprocity and a window to 2024-03-31 (worked out in
tests/importers/test_email.py)."""


@pytest.fixture
def cut_log(tmp_path: Path) -> Path:
    """:data:`CUT_LOG_ROWS` as a CSV export (one row per message, the roles' own headers)."""
    lines = [
        f"{mid},{who}@riverside.example,"
        + ";".join(r if "@" in r else f"{r}@riverside.example" for r in to.split(";"))
        + f",{day}T10:00Z"
        for mid, who, to, day in CUT_LOG_ROWS
    ]
    path = tmp_path / "cut.csv"
    path.write_text("message_id,sender,recipients,timestamp\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path
