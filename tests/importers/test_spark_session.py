"""The Spark session leadnet starts: what it says when PySpark or Java is missing, the warnings it
keeps quiet, and the settings a local session gets unless the user chose them
(:mod:`leadnet.importers.spark_session`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import pytest

from leadnet.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.spark,
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]


def test_spark_engine_without_pyspark_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from leadnet.importers import spark as engine

    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    with pytest.raises(ConfigError) as raised:
        engine.session()
    assert str(raised.value) == 'engine = "spark" needs PySpark 4 and Java 17+: pip install "leadnet[spark]"'


@pytest.fixture
def new_session(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Make ``session()`` build a session (none active) with ``getOrCreate`` replaced by the test's."""
    pytest.importorskip("pyspark", reason='PySpark is not installed (pip install -e ".[spark]")')
    from pyspark.sql import SparkSession

    monkeypatch.setattr(SparkSession, "getActiveSession", staticmethod(lambda: None))
    return lambda get_or_create: monkeypatch.setattr(SparkSession.Builder, "getOrCreate", get_or_create)


def test_spark_that_cannot_start_says_what_it_needs_not_a_traceback(new_session) -> None:
    # No Java on the PATH or in JAVA_HOME (or Java 11): PySpark's gateway exits, and that
    # error went up as a traceback from leadnet analyse.
    from pyspark.errors import PySparkRuntimeError

    from leadnet.importers import spark as engine

    def no_java(builder):  # type: ignore[no-untyped-def]
        raise PySparkRuntimeError(errorClass="JAVA_GATEWAY_EXITED", messageParameters={})

    new_session(no_java)
    with pytest.raises(ConfigError) as raised:
        engine.session()
    assert str(raised.value) == (
        'engine = "spark": Spark could not start ([JAVA_GATEWAY_EXITED] Java gateway process exited before '
        "sending its port number.); it needs Java 17 or later on the PATH or in JAVA_HOME "
        '(java -version says which), or set engine = "embedded" in [analysis]'
    )


def test_a_new_spark_session_does_not_pass_on_pysparks_pandas_version_warning(new_session, spark) -> None:
    # PySpark warns while starting that it does not fully support pandas 3; leadnet gives
    # it no pandas data, and leadnet analyse printed the warning under its output.
    from leadnet.importers import spark as engine

    def warns(builder):  # type: ignore[no-untyped-def]
        warnings.warn("PySpark does not yet fully support pandas >= 3.0.0.", FutureWarning, stacklevel=1)
        return spark

    new_session(warns)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert engine.session() is spark
    assert caught == []


SESSION_SETTINGS = (
    "from leadnet.importers.spark import session; spark = session(); "
    "spark.range(3).createOrReplaceTempView('t'); spark.sql('SELECT count(*) FROM t').collect(); "
    "conf = spark.sparkContext.getConf(); "
    "print(spark.conf.get('spark.sql.shuffle.partitions'), conf.get('spark.driver.memory'), "
    "conf.get('spark.sql.warehouse.dir'))"
)


@pytest.mark.parametrize(
    ("submit", "partitions", "memory", "warehouse"),
    [
        ("--master local[2]", "4", "half", "temporary"),
        (
            "--master local[2] --conf spark.sql.shuffle.partitions=7 --driver-memory 2g "
            "--conf spark.sql.warehouse.dir=/tmp/mine",
            "7",
            "2g",
            "/tmp/mine",
        ),
    ],
)
def test_a_local_session_leadnet_starts_gets_partitions_and_memory_for_one_machine_unless_told(
    submit: str, partitions: str, memory: str, warehouse: str, tmp_path: Path
) -> None:
    # Spark's default of 200 shuffle partitions is for a cluster: on two cores every shuffle of
    # the tie rules ran 200 tasks, and leadnet analyse of a four-message log took 21-46 s
    # where 4 partitions took 6 s. Its 1 GB driver heap holds every task of a local session: the
    # 10M-message parity run took 200-211 s with it, 135-145 s with 11 GB. Its SQL warehouse was an
    # empty spark-warehouse folder left in the working directory. What the user gives is kept.
    pytest.importorskip("pyspark", reason='PySpark is not installed (pip install -e ".[spark]")')
    if shutil.which("java") is None:
        pytest.skip("Java is not installed (Spark needs a JRE 17+)")
    from leadnet.importers.spark_session import local_driver_memory, machine_memory

    env = {k: v for k, v in os.environ.items() if k != "SPARK_DRIVER_MEMORY"}
    env.update(
        PYSPARK_SUBMIT_ARGS=f"{submit} pyspark-shell",
        PYTHONPATH=str(ROOT / "src"),
        SPARK_CONF_DIR=str(tmp_path),
    )
    run = subprocess.run(
        [sys.executable, "-c", SESSION_SETTINGS],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
        cwd=tmp_path,
    )
    half = local_driver_memory(machine_memory())
    assert half is not None and int(half[:-1]) >= 1
    *settings, uri = run.stdout.split() or [""]
    folder = Path(uri.removeprefix("file:"))
    assert (run.returncode, settings) == (0, [partitions, half if memory == "half" else memory]), run.stderr
    if warehouse == "temporary":
        assert folder.name.startswith("leadnet-spark-") and not folder.exists()  # removed at exit
    else:
        assert str(folder) == warehouse
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no spark-warehouse where it ran


def test_a_warehouse_folder_that_cannot_be_made_says_where_and_what_to_set(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # mkdtemp's FileNotFoundError reached the command line as "No such file or directory; check the path"
    from leadnet.importers.spark_session import new_session_warehouse

    missing = tmp_path / "gone"
    monkeypatch.setattr(tempfile, "tempdir", str(missing))
    with pytest.raises(ConfigError) as raised:
        new_session_warehouse({"SPARK_CONF_DIR": str(tmp_path)})
    assert str(raised.value) == (
        f"Spark's temporary warehouse folder could not be made in {missing} (No such file or directory); set "
        "TMPDIR to a folder you can write to, or give one: PYSPARK_SUBMIT_ARGS='--conf "
        "spark.sql.warehouse.dir=/path/to/folder pyspark-shell'"
    )
