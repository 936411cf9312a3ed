"""Every run's whole log in a file of the instance: the console shows a summary, the file keeps the traces."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import dagster as dg

from orchestration.project import DEFAULT_DAGSTER_HOME

LOG_FORMAT = "%(asctime)s %(levelname)s %(message)s"


def run_log_path(run_id: str) -> Path:
    """Where the run's log is written: `<DAGSTER_HOME>/logs/<run_id>.log`."""
    return Path(os.environ.get("DAGSTER_HOME", DEFAULT_DAGSTER_HOME)) / "logs" / f"{run_id}.log"


@dg.logger(
    description="Writes every message of the run, stack traces included, to <DAGSTER_HOME>/logs/<run_id>.log."
)
def run_log_file(init_context: dg.InitLoggerContext) -> logging.Logger:
    path = run_log_path(init_context.run_id or "no-run")
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    logger = logging.getLogger(f"tdi.run.{init_context.run_id}")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    logger.handlers = [handler]
    return logger
