"""The exports' Parquet files as Spark views, and the Spark session they are read in.

Spark is optional (``pip install 'strategistatus[spark]'``) and needs Java 17 or newer:
both are imported or looked for only when the Spark engine is asked for, and their absence
is said in one sentence instead of a trace.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from strategistatus.i18n import _

FILE_URI = "^file:/+"  # a Spark file URI's scheme: file:///a and file:/a are both /a


def spark_view(spark: Any, name: str, files: dict[str, int], columns: tuple[str, ...] | None,
               prefix_of: Callable[[int], str]) -> str:
    """The files (a path: its municipality's code) as one cached Spark view of ``columns``
    (None: all), each row with its municipality and its school id made national
    (``prefix_of(code)`` before it, as on DuckDB); the view's name. Spark names a row's
    file as a URI (``_metadata.file_path``), matched to the export it belongs to."""
    from urllib.parse import unquote, urlparse

    from pyspark.sql import functions as F  # noqa: N812 - Spark's own name for it

    from .sources import SourceError

    frame = spark.read.parquet(*files)
    uris = {}
    for uri in frame.inputFiles():  # file:///a%20b/x.parquet; a row's: file:/a%20b/...
        path = str(Path(unquote(urlparse(uri).path)).resolve())
        if path not in files:
            raise SourceError(_("Spark read a file that is no export's: {uri}", uri=uri))
        uris[_uri_path(uri)] = files[path]
    codes = spark.createDataFrame(
        [(uri, code, prefix_of(code)) for uri, code in uris.items()],
        "file_path string, municipality int, prefix string")
    frame = frame.select(*(columns or frame.columns),
                         F.regexp_replace(F.col("_metadata.file_path"), FILE_URI, "/")
                         .alias("file_path"))
    frame = frame.join(F.broadcast(codes), "file_path").drop("file_path")
    if "school_id" in frame.columns:
        frame = frame.withColumn("school_id", F.concat(
            F.col("prefix"), F.coalesce(F.col("school_id"), F.lit(""))))
    frame = frame.drop("prefix")
    view = f"ss_{name}"
    frame.cache().createOrReplaceTempView(view)  # read once: every indicator reads it again
    return view


def unreadable_file(error: BaseException, files: list[str]) -> tuple[str, str] | None:
    """The one of ``files`` Spark's error says it cannot read (a damaged or cut-off file:
    its FAILED_READ_FILE or "not a Parquet file"), and Spark's reason; None when the error
    names none of them. Spark names a file as a URI (``file:/a%20b/x.parquet``)."""
    from urllib.parse import unquote

    lines = [unquote(line) for line in str(error).splitlines()]
    for line in lines:
        named = next((f for f in files if f in line), None)
        if named is None or not ("FAILED_READ_FILE" in line or "not a Parquet file" in line):
            continue
        reason = re.sub(r"^.*?(Exception|Error): (\[[A-Z_.]+\] )?", "", line.strip())
        return named, re.sub(r"file:/*(?=/)", "", reason)[:300]
    return None


def no_spark_running() -> bool:
    try:
        from pyspark.sql import SparkSession
    except ImportError:  # spark_session says what to install
        return True
    return SparkSession.getActiveSession() is None


def _uri_path(uri: str) -> str:
    """A Spark file URI's path, still percent-encoded (as the view's ``file_path``)."""
    return re.sub(FILE_URI, "/", uri)


def spark_session(master: str | None, scratch: Path | None = None) -> Any:
    """A Spark session: local on every core unless a cluster's master URL is given; its
    shuffle and cache files in ``scratch`` (Spark's own default: the system's temporary
    folder, kept until Python ends). Spark needs Java 17 or newer; without it this says so
    instead of Java's trace."""
    from .sources import SourceError

    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SourceError(_("the Spark engine needs PySpark: pip install "
                            "'strategistatus[spark]'")) from None
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise SourceError(_("the Spark engine needs Java 17 or newer (Debian: apt-get "
                            "install default-jre-headless)"))
    settings: dict[str, Any] = {
        "spark.app.name": "strategistatus", "spark.master": master or "local[*]",
        "spark.ui.enabled": "false", "spark.ui.showConsoleProgress": "false",
        "spark.sql.session.timeZone": "UTC", "spark.sql.shuffle.partitions": "8",
        "spark.driver.memory": "4g",
        "spark.pyspark.python": sys.executable,  # workers: this Python
        "spark.driver.extraJavaOptions":
            f"-Dlog4j2.configurationFile={_log_settings().as_uri()}",
    }
    if scratch is not None:
        settings["spark.local.dir"] = str(scratch)
        _started_quietly(settings, scratch / "spark.log")
    session = SparkSession.builder.config(map=settings).getOrCreate()
    session.sparkContext.setLogLevel("OFF")  # its errors reach the command as exceptions
    return session


def _started_quietly(settings: dict[str, Any], log: Path) -> None:
    """Starts Spark's Java process (unless one runs) with ``settings``, its own output
    written to ``log``: Java and Spark print lines of their own as they start (``WARNING:
    Using incubator modules``, ``Setting default log level``), between the command's
    lines. Its errors
    reach the command as exceptions; when Java cannot start at all, the log's last lines
    are said."""
    from pyspark import SparkConf, SparkContext
    from pyspark.java_gateway import launch_gateway

    from .sources import SourceError

    if SparkContext._active_spark_context is not None:
        return
    conf = SparkConf().setAll(list(settings.items()))
    with log.open("ab") as out:
        try:
            gateway = launch_gateway(conf, popen_kwargs={"stdout": out, "stderr": out})
        except Exception:
            said = [line.strip() for line in log.read_text(encoding="utf-8", errors="replace")
                    .splitlines() if line.strip()]
            raise SourceError(_("Spark's Java process did not start: {reason}",
                                reason=" / ".join(said[-3:])[-400:] or "?")) from None
    SparkContext(conf=conf, gateway=gateway)


def _log_settings() -> Path:
    """Spark's log settings as strategistatus ships them: errors only."""
    return Path(__file__).with_name("log4j2.properties")
