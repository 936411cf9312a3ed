"""The one place the dbt project is described to Dagster."""

import sys
from collections.abc import Iterator
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from orchestration.project import DBT_PROJECT_DIR

tdi_dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)

# dbt is installed beside this interpreter; `.venv/bin/tdi` runs without .venv/bin on PATH.
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")


PROJECT_SOURCE_FOLDERS = ("models", "seeds", "macros", "tests")
"""The folders dbt_project.yml names; target/ and logs/ are dbt's output and are never looked at."""
PROJECT_FILES = ("dbt_project.yml", "profiles.yml")


def build_dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=tdi_dbt_project, dbt_executable=DBT_EXECUTABLE)


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
