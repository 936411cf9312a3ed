"""The Dagster + dbt floor: one dbt model and its test, built by dagster-dbt in-process, the way `tdi run`
builds tdi's project (in-process executor, in-memory instance, dbt in a subprocess, and tdi's dbt resource,
which skips dagster-dbt's `dbt --version` and in-process adapter: with dagster-dbt's own resource the floor
also counted 6-7 s that no tdi run spends), and no dbt-core imported in the Dagster process. dbt is started
when the build needs it, as dagster-dbt does: this is the floor of Dagster and dbt, not of tdi's way of
starting dbt early (orchestration/dbt_server.py).

`python -m bench.floor.run WAREHOUSE` is timed from outside, imports included, like `tdi run`.
"""

import os
import sys
from pathlib import Path

from orchestration.runner import keep_dbt_core_out_of_this_process

# As `tdi run` does: Dagster and dagster-dbt load without dbt-core in this process (2.3 s of imports).
keep_dbt_core_out_of_this_process()

import dagster as dg  # noqa: E402
from dagster_dbt import DbtProject, dbt_assets  # noqa: E402

from orchestration.dbt_project import TdiDbtCliResource  # noqa: E402

FLOOR_DIR = Path(__file__).parent
project = DbtProject(project_dir=FLOOR_DIR, profiles_dir=FLOOR_DIR)
DBT = str(Path(sys.executable).parent / "dbt")


def prepare() -> None:
    if not project.manifest_path.exists():
        TdiDbtCliResource(project_dir=project, dbt_executable=DBT).cli(
            ["parse", "--quiet"], target_path=project.target_path
        ).wait()


def build_and_run() -> bool:
    @dbt_assets(manifest=project.manifest_path, project=project)
    def floor_models(context: dg.AssetExecutionContext, dbt: TdiDbtCliResource):
        yield from dbt.cli(["build"], context=context).stream()

    job = dg.define_asset_job("floor", selection=dg.AssetSelection.all())
    definitions = dg.Definitions(
        assets=[floor_models],
        jobs=[job],
        resources={"dbt": TdiDbtCliResource(project_dir=project, dbt_executable=DBT)},
        executor=dg.in_process_executor,
    )
    result = definitions.resolve_job_def("floor").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
        run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
    )
    return result.success


if __name__ == "__main__":
    os.environ["FLOOR_WAREHOUSE"] = sys.argv[1]
    prepare()
    sys.exit(0 if build_and_run() else 1)
