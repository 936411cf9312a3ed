"""The Dagster + dbt floor: one dbt model, built by dagster-dbt's own `DbtCliResource` through `@dbt_assets` and
recorded in the Dagster instance of DAGSTER_HOME, the path `tdi run` takes for tdi's project.

`python -m bench.floor.run WAREHOUSE` is timed from outside, imports included, like `tdi run`.
"""

import os
import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from orchestration.dbt_project import DBT_EXECUTABLE

FLOOR_DIR = Path(__file__).parent
project = DbtProject(project_dir=FLOOR_DIR, profiles_dir=FLOOR_DIR)


def prepare() -> None:
    if not project.manifest_path.exists():
        DbtCliResource(project_dir=project, dbt_executable=DBT_EXECUTABLE).cli(
            ["parse", "--quiet"], target_path=project.target_path
        ).wait()


def build_and_run() -> bool:
    @dbt_assets(manifest=project.manifest_path, project=project)
    def floor_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
        yield from dbt.cli(["build"], context=context).stream()

    job = dg.define_asset_job("floor", selection=dg.AssetSelection.all())
    definitions = dg.Definitions(
        assets=[floor_models],
        jobs=[job],
        resources={"dbt": DbtCliResource(project_dir=project, dbt_executable=DBT_EXECUTABLE)},
        executor=dg.in_process_executor,
    )
    with dg.DagsterInstance.get() as instance:
        result = definitions.resolve_job_def("floor").execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
        )
    return result.success


if __name__ == "__main__":
    os.environ["FLOOR_WAREHOUSE"] = sys.argv[1]
    prepare()
    sys.exit(0 if build_and_run() else 1)
