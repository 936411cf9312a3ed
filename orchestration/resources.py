"""Resources: the warehouse, the raw archive and dbt, configured from the environment at run time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from dagster import ConfigurableResource, EnvVar, InitResourceContext
from pydantic import PrivateAttr

from ingestion.capture.archive import RawArchive
from orchestration.dbt_project import build_dbt_resource
from orchestration.project import RAW_DIR_ENV, WAREHOUSE_ENV, reference_dir_of
from orchestration.publishing import RunLock, publish, start_working_copy


class WarehouseResource(ConfigurableResource):
    """The DuckDB warehouse that analysts read (`path`), and, during a run, the run's working copy.

    A run holds the run lock from its start to its end and writes only its working copy, which the
    `warehouse/published` asset renames over `path` at the end (orchestration/publishing.py): readers
    are never locked out, and a run that fails or is killed publishes nothing. Connections are opened
    per step and closed at once; the in-process executor runs one step at a time.
    """

    path: str
    _lock: RunLock | None = PrivateAttr(default=None)
    _working: Path | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        if context.run is None:
            return
        lock = RunLock(Path(self.path))
        lock.acquire(context.run.run_id)
        self._lock = lock
        self._working = start_working_copy(Path(self.path))

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    @property
    def writing_path(self) -> str:
        """Where this run writes: its working copy during a run, else the file itself (a bare resource)."""
        return str(self._working or self.path)

    def publish(self) -> None:
        if self._working is None:
            raise RuntimeError("only a run publishes: there is no working copy outside a run")
        publish(self._working, Path(self.path))

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        Path(self.writing_path).parent.mkdir(parents=True, exist_ok=True)
        connection = duckdb.connect(self.writing_path, read_only=read_only)
        try:
            yield connection
        finally:
            connection.close()


class RawArchiveResource(ConfigurableResource):
    """The raw/ folder of captures and reference files (the committed reference when it has none)."""

    path: str

    @property
    def archive(self) -> RawArchive:
        return RawArchive(Path(self.path))

    @property
    def reference_dir(self) -> Path:
        return reference_dir_of(Path(self.path))


def build_resources() -> dict:
    return {
        "warehouse": WarehouseResource(path=EnvVar(WAREHOUSE_ENV)),
        "raw_archive": RawArchiveResource(path=EnvVar(RAW_DIR_ENV)),
        "dbt": build_dbt_resource(),
    }
