"""The one place the dbt project is described to Dagster."""

import importlib.metadata
from functools import cached_property

from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

from orchestration.dbt_server import CLIENT_EXECUTABLE
from orchestration.project import DBT_PROJECT_DIR

tdi_dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


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
    return TdiDbtCliResource(project_dir=tdi_dbt_project, dbt_executable=CLIENT_EXECUTABLE)


tdi_dbt_project.prepare_if_dev()
