"""Resources: the warehouse, the raw archive and dbt, configured from the environment at run time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from dagster import ConfigurableResource, EnvVar

from ingestion.capture.archive import RawArchive
from orchestration.dbt_project import build_dbt_resource
from orchestration.project import RAW_DIR_ENV, WAREHOUSE_ENV


class WarehouseResource(ConfigurableResource):
    """The DuckDB file. Connections are opened per step and closed at once: DuckDB allows one
    writer, and the in-process executor runs one step at a time, so writers never overlap."""

    path: str

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        connection = duckdb.connect(self.path, read_only=read_only)
        try:
            yield connection
        finally:
            connection.close()


class RawArchiveResource(ConfigurableResource):
    """The raw/ folder of captures and reference files."""

    path: str

    @property
    def archive(self) -> RawArchive:
        return RawArchive(Path(self.path))

    @property
    def reference_dir(self) -> Path:
        return Path(self.path) / "reference"


def build_resources() -> dict:
    return {
        "warehouse": WarehouseResource(path=EnvVar(WAREHOUSE_ENV)),
        "raw_archive": RawArchiveResource(path=EnvVar(RAW_DIR_ENV)),
        "dbt": build_dbt_resource(),
    }
