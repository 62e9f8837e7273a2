"""Fixtures shared by the importer tests: a local Spark session for the engine tests."""

from __future__ import annotations

import importlib.util
import shutil

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
