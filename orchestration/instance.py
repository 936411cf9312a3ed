"""The project's Dagster instance: where `tdi run`, `tdi dev`, the schedule and the sensor record their runs."""

import os
from pathlib import Path

from orchestration.project import DEFAULT_DAGSTER_HOME

DAGSTER_INSTANCE_CONFIG = """\
telemetry:
  enabled: false
nux:
  enabled: false
# Runs that write the warehouse queue behind each other (the jobs carry this tag) rather than fail
# at the run lock: DuckDB has one writer, and orchestration/publishing.py publishes one run at a time.
concurrency:
  runs:
    tag_concurrency_limits:
      - key: tdi/warehouse
        value: writer
        limit: 1
"""


def ensure_dagster_home() -> Path:
    """DAGSTER_HOME (`.dagster_home/` by default), with this project's dagster.yaml unless it has one."""
    dagster_home = Path(os.environ.setdefault("DAGSTER_HOME", str(DEFAULT_DAGSTER_HOME)))
    dagster_home.mkdir(parents=True, exist_ok=True)
    config = dagster_home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_INSTANCE_CONFIG, encoding="utf-8")
    return dagster_home
