"""The one place the dbt project is described to Dagster."""

import importlib.metadata
import sys
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

from orchestration.project import DBT_PROJECT_DIR

tdi_dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)

# dbt is installed beside this interpreter; `.venv/bin/tdi` runs without .venv/bin on PATH.
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")


PROJECT_SOURCE_FOLDERS = ("models", "seeds", "macros", "tests")
"""The folders dbt_project.yml names; target/ and logs/ are dbt's output and are never looked at."""
PROJECT_FILES = ("dbt_project.yml", "profiles.yml")


class TdiDbtCliResource(DbtCliResource):
    """Two things dagster-dbt does at every `dbt build` that tdi does not need, some 6 s a run here:

    - it runs `dbt --version` in a subprocess (3 s of dbt imports) to learn which dbt it drives; tdi's
      dbt is the dbt-core installed beside it (DBT_EXECUTABLE), whose version the package metadata says;
    - it opens a dbt Core adapter inside the Dagster process only to fetch row counts and column metadata
      (`fetch_row_counts`, `fetch_column_metadata`), which tdi does not ask for; without one, dagster-dbt
      streams the events as it does for the dbt Fusion engine, which has no adapter either.

    Both are private methods of dagster-dbt 0.29 (pinned below 0.30 in pyproject.toml); tests/test_definitions.py
    checks that they still exist.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        return None


def build_dbt_resource() -> DbtCliResource:
    return TdiDbtCliResource(project_dir=tdi_dbt_project, dbt_executable=DBT_EXECUTABLE)


def ensure_manifest() -> None:
    """Parse the dbt project when its manifest is missing or older than the project's files.

    `dagster dev` does this through prepare_if_dev; `tdi` and the tests call it before loading the
    definitions, which read the manifest when they are imported.
    """
    manifest = tdi_dbt_project.manifest_path
    newest_source = max(path.stat().st_mtime for path in project_source_files())
    if not manifest.exists() or manifest.stat().st_mtime < newest_source:
        build_dbt_resource().cli(["parse", "--quiet"], target_path=tdi_dbt_project.target_path).wait()


def project_source_files() -> Iterator[Path]:
    yield from (DBT_PROJECT_DIR / name for name in PROJECT_FILES)
    for folder in PROJECT_SOURCE_FOLDERS:
        yield from (path for path in (DBT_PROJECT_DIR / folder).rglob("*") if path.is_file())


tdi_dbt_project.prepare_if_dev()
