"""The engines the store's queries run on, opened by name: DuckDB embedded, or Spark.

Ibis builds each query once as an expression (timeline/store/query.py); the engine runs
it where the data is. DuckDB needs nothing installed or started. Spark's session comes
from Spark's own settings: SPARK_REMOTE (a Spark Connect address, `sc://host:15002`), else
the master URL given, else SPARK_MASTER, else `local[1]` (one core, on this machine).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Literal, get_args

import ibis  # type: ignore[import-untyped]  # no type information published

from ..errors import shown

if TYPE_CHECKING:
    from ibis.backends import BaseBackend  # type: ignore[import-untyped]

EngineName = Literal["duckdb", "spark"]
ENGINES: tuple[EngineName, ...] = get_args(EngineName)
DEFAULT_ENGINE: EngineName = "duckdb"
ENGINE_ENV = "TIMELINE_ENGINE"
# Spark settings that keep a session on one machine small: no web UI, few shuffle tasks,
# days in UTC (a date is never shifted by the machine's time zone).
LOCAL_SETTINGS = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "2",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
}


def engine_name(name: str | None = None) -> EngineName:
    """Return the engine asked for (or TIMELINE_ENGINE's, or DuckDB); ValueError if unknown."""
    chosen = name or os.environ.get(ENGINE_ENV, "").strip() or DEFAULT_ENGINE
    for known in ENGINES:
        if chosen == known:
            return known
    raise ValueError(
        f"engine {shown(chosen)} is not one the store runs on (expected one of "
        f"{', '.join(ENGINES)})"
    )


def spark_session(master: str | None = None, settings: dict[str, str] | None = None) -> Any:
    """Return a Spark session: Spark Connect at SPARK_REMOTE, else a master URL's."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("timeline")
    remote = os.environ.get("SPARK_REMOTE", "").strip()
    if remote:
        builder = builder.remote(remote)
    else:
        builder = builder.master(master or os.environ.get("SPARK_MASTER") or "local[1]")
        for key, value in {**LOCAL_SETTINGS, **(settings or {})}.items():
            builder = builder.config(key, value)
    return builder.getOrCreate()


def connect(name: str | None = None, session: Any = None) -> BaseBackend:
    """Open an engine by name: DuckDB in this process, or Spark on a (given) session."""
    chosen = engine_name(name)
    if chosen == "duckdb":
        return ibis.duckdb.connect()
    return ibis.pyspark.connect(session if session is not None else spark_session())
