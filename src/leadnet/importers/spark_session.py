"""The Spark session leadnet runs the tie rules in: the active one, else a new local one set up for one
machine.

:func:`session` returns the session ``spark-submit`` made, untouched. A session it starts itself
(``engine = "spark"`` on one machine) gets what Spark's defaults, sized for a cluster, get wrong
there, each only where the user chose nothing (``PYSPARK_SUBMIT_ARGS``, ``spark-defaults.conf``,
``SPARK_DRIVER_MEMORY``): errors-only logging (:data:`LOG_CONFIG`), twice its cores' shuffle
partitions (:data:`SHUFFLE_PARTITIONS`), half the machine's memory for the driver
(:func:`local_driver_memory`), whose JVM runs every task of a local session, and a temporary
warehouse folder (:data:`WAREHOUSE`), not ``spark-warehouse`` in the working directory.
"""

from __future__ import annotations

import atexit
import os
import shlex
import shutil
import tempfile
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from leadnet.errors import ConfigError

INSTALL_HINT = 'engine = "spark" needs PySpark 4 and Java 17+: pip install "leadnet[spark]"'
PANDAS_WARNING = "PySpark does not yet fully support pandas"
LOG_CONFIG = Path(__file__).with_name("spark-log4j2.properties")
"""The log4j2 configuration of the sessions leadnet starts: errors only, one line each."""
SHUFFLE_PARTITIONS = "spark.sql.shuffle.partitions"
"""Spark's 200 by default, sized for a cluster: on one machine every shuffle of the tie rules ran
200 tasks, and a four-message log took 21-46 s in one session on two cores where 4 partitions
took 6 s. A local session leadnet starts gets twice its cores, unless the user set it (``--conf``)."""
WAREHOUSE = "spark.sql.warehouse.dir"
"""Where Spark SQL keeps its tables: ``spark-warehouse`` in the working directory by default, which a
session made, empty, in every folder ``leadnet analyse`` ran from (leadnet keeps no table there). A
session leadnet starts gets a temporary folder, removed at exit, unless the user chose one."""
DRIVER_MEMORY = "spark.driver.memory"
"""Spark's 1 GB by default. A local session runs its executors inside the driver's JVM, so that heap
holds every task: with it the 10M-message parity run took 200.5 and 210.9 s on two idle cores, 144.7 and
134.6 s with 11 GB (1M messages: 29-37 s either way; ``benchmarks/README_spark.md``). A local session
leadnet starts gets :func:`local_driver_memory`."""
MAX_HEAP_GIB = 31
"""The largest heap :func:`local_driver_memory` gives: the JVM's compressed object pointers stop at 32 GB."""


def local_driver_memory(total_bytes: int | None) -> str | None:
    """The driver memory of a local session on a machine of ``total_bytes``: half of it in whole GiB,
    from 1 (Spark's default) to :data:`MAX_HEAP_GIB`; ``None`` when the memory is unknown.

    Half leaves the rest to leadnet's own process (DuckDB, the person graph) and the system.

    Examples
    --------
    >>> local_driver_memory(23_500_000_000), local_driver_memory(1_500_000_000), local_driver_memory(None)
    ('10g', '1g', None)
    >>> local_driver_memory(512 * 2**30)
    '31g'
    """
    if total_bytes is None:
        return None
    return f"{min(max(total_bytes // 2 // 2**30, 1), MAX_HEAP_GIB)}g"


def machine_memory() -> int | None:
    """The bytes of memory this process may use: the physical memory, or its control group's limit
    when that is lower (a container); ``None`` where the system does not say (Windows)."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None
    for limit in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(limit).read_text(encoding="ascii", errors="replace").strip()
        except OSError:
            continue
        if text.isdigit():
            total = min(total, int(text))
    return total


def spark_defaults(environ: Mapping[str, str]) -> dict[str, str]:
    """The properties of the ``spark-defaults.conf`` Spark reads (``SPARK_CONF_DIR``, else
    ``SPARK_HOME/conf``, else the PySpark package's ``conf``); none when there is no such file.

    >>> spark_defaults({"SPARK_CONF_DIR": "/nowhere"})
    {}
    """
    if "SPARK_CONF_DIR" in environ:
        folder = Path(environ["SPARK_CONF_DIR"])
    elif "SPARK_HOME" in environ:
        folder = Path(environ["SPARK_HOME"]) / "conf"
    else:
        try:
            import pyspark
        except ImportError:  # no PySpark, no Spark to configure
            return {}
        folder = Path(pyspark.__file__).parent / "conf"
    try:
        lines = (folder / "spark-defaults.conf").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return {}
    pairs = (line.strip().replace("=", " ", 1).split(None, 1) for line in lines)
    return {p[0]: p[1].strip() if len(p) > 1 else "" for p in pairs if p and not p[0].startswith("#")}


def new_session_memory(environ: Mapping[str, str], total_bytes: int | None) -> str | None:
    """The driver memory leadnet gives a session it starts: :func:`local_driver_memory` when its master
    is local and nobody chose the driver's memory; ``None`` (Spark decides) otherwise.

    ``environ`` is the environment PySpark starts Spark from: ``PYSPARK_SUBMIT_ARGS``
    (``--master``, ``--driver-memory``, ``--conf``), ``SPARK_DRIVER_MEMORY`` and where
    ``spark-defaults.conf`` is (:func:`spark_defaults`).

    Examples
    --------
    >>> gib = 2**30
    >>> new_session_memory({"SPARK_CONF_DIR": "/nowhere"}, 24 * gib)
    '12g'
    >>> here = {"SPARK_CONF_DIR": "/nowhere"}
    >>> new_session_memory({**here, "PYSPARK_SUBMIT_ARGS": "--master local[2] pyspark-shell"}, 24 * gib)
    '12g'
    >>> new_session_memory({**here, "PYSPARK_SUBMIT_ARGS": "--driver-memory 2g"}, 24 * gib) is None
    True
    >>> new_session_memory({**here, "PYSPARK_SUBMIT_ARGS": "--conf spark.driver.memory=3g"}, 24 * gib) is None
    True
    >>> new_session_memory({**here, "PYSPARK_SUBMIT_ARGS": "--master yarn pyspark-shell"}, 24 * gib) is None
    True
    >>> new_session_memory({**here, "PYSPARK_SUBMIT_ARGS": "--master=yarn"}, 24 * gib) is None
    True
    >>> new_session_memory({**here, "PYSPARK_SUBMIT_ARGS": "--name 'leadnet"}, 24 * gib)
    Traceback (most recent call last):
    ...
    leadnet.errors.ConfigError: PYSPARK_SUBMIT_ARGS cannot be read as spark-submit options (No closing \
quotation): "--name 'leadnet"; close its quotes, e.g. PYSPARK_SUBMIT_ARGS='--master local[2] pyspark-shell'
    """
    words = _submit_words(environ)
    chosen = {"--driver-memory", DRIVER_MEMORY} & {w.split("=", 1)[0] for w in words}  # --conf k=v, --k=v
    defaults = spark_defaults(environ)
    if chosen or environ.get("SPARK_DRIVER_MEMORY") or DRIVER_MEMORY in defaults:
        return None
    masters = [  # --master X and --master=X, the last one given wins
        w.split("=", 1)[1] if w.startswith("--master=") else words[i + 1]
        for i, w in enumerate(words)
        if w.startswith("--master=") or (w == "--master" and i + 1 < len(words))
    ]
    master = masters[-1] if masters else defaults.get("spark.master", "local[*]")
    return local_driver_memory(total_bytes) if master.startswith("local") else None


def _submit_words(environ: Mapping[str, str]) -> list[str]:
    """``PYSPARK_SUBMIT_ARGS`` as the words PySpark splits it into (a clear error where it cannot)."""
    given = environ.get("PYSPARK_SUBMIT_ARGS", "")
    try:
        return shlex.split(given)
    except ValueError as exc:  # PySpark splits it the same way, and would stop with a traceback
        raise ConfigError(
            f"PYSPARK_SUBMIT_ARGS cannot be read as spark-submit options ({exc}): {given!r}; close its "
            "quotes, e.g. PYSPARK_SUBMIT_ARGS='--master local[2] pyspark-shell'"
        ) from None


def new_session_warehouse(environ: Mapping[str, str]) -> str | None:
    """A temporary folder for the :data:`WAREHOUSE` of a session leadnet starts, removed at exit;
    ``None`` when the user chose one (``--conf`` in ``PYSPARK_SUBMIT_ARGS``, ``spark-defaults.conf``).

    >>> new_session_warehouse({"SPARK_CONF_DIR": "/nowhere", "PYSPARK_SUBMIT_ARGS":
    ...     "--conf spark.sql.warehouse.dir=/data/wh pyspark-shell"}) is None
    True
    """
    words = _submit_words(environ)
    if any(w.split("=", 1)[0] == WAREHOUSE for w in words) or WAREHOUSE in spark_defaults(environ):
        return None
    try:
        folder = tempfile.mkdtemp(prefix="leadnet-spark-")
    except OSError as exc:
        raise ConfigError(
            f"Spark's temporary warehouse folder could not be made in {tempfile.gettempdir()} "
            f"({exc.strerror}); set TMPDIR to a folder you can write to, or give one: "
            f"PYSPARK_SUBMIT_ARGS='--conf {WAREHOUSE}=/path/to/folder pyspark-shell'"
        ) from None
    atexit.register(shutil.rmtree, folder, True)
    return folder


def session() -> Any:
    """The active Spark session (``spark-submit`` makes one), else a new local one.

    PySpark's warning that it does not fully support the installed pandas is not shown:
    leadnet hands Spark no pandas data and takes its results through Arrow. A new session
    logs errors only, one line each (:data:`LOG_CONFIG`, given to the driver's JVM in
    ``spark.driver.defaultJavaOptions``, so that a log4j2 file named in
    ``spark.driver.extraJavaOptions`` still wins): Spark's default profile wrote its WARN
    lines, and its notices about itself, under ``leadnet analyse``'s output. An active
    session keeps the logging its maker chose. A new one on this machine (master ``local``)
    shuffles into twice its cores' partitions (:data:`SHUFFLE_PARTITIONS`) and gets half the
    machine's memory for its driver (:func:`new_session_memory`) and a temporary warehouse
    (:func:`new_session_warehouse`), unless told otherwise.

    Raises
    ------
    ConfigError
        When PySpark is not installed, with the command that installs it; when Spark
        cannot start (no Java, or one too old), with what it said and what it needs.
    """
    try:
        from pyspark.errors import PySparkRuntimeError
        from pyspark.sql import SparkSession
    except ImportError:
        raise ConfigError(INSTALL_HINT) from None
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    logging = f"-Dlog4j2.configurationFile={LOG_CONFIG.as_uri()}"  # a URI: no spaces for Spark to split at
    builder = (
        SparkSession.builder.appName("leadnet")
        .config("spark.driver.defaultJavaOptions", logging)
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
    )
    memory, warehouse = new_session_memory(os.environ, machine_memory()), new_session_warehouse(os.environ)
    if memory is not None:
        builder = builder.config(DRIVER_MEMORY, memory)
    if warehouse is not None:
        builder = builder.config(WAREHOUSE, warehouse)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", PANDAS_WARNING, FutureWarning)
            spark = builder.getOrCreate()
    except PySparkRuntimeError as exc:  # JAVA_GATEWAY_EXITED: no java on PATH or JAVA_HOME, or an old one
        raise ConfigError(
            f'engine = "spark": Spark could not start ({exc}); it needs Java 17 or later on the PATH or '
            'in JAVA_HOME (java -version says which), or set engine = "embedded" in [analysis]'
        ) from None
    context = spark.sparkContext
    if (context.master or "").startswith("local") and not context.getConf().contains(SHUFFLE_PARTITIONS):
        spark.conf.set(SHUFFLE_PARTITIONS, str(2 * context.defaultParallelism))
    return spark
