"""The dbt models as Dagster assets; dbt tests become asset checks."""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets
from pydantic import Field

from orchestration.build_state import inputs_fingerprint, last_build, record_build
from orchestration.dbt_project import dbt_vars, tdi_dbt_project
from orchestration.project import DBT_PROJECT_DIR
from orchestration.publishing import dbt_target_path
from orchestration.resources import WarehouseResource


class TdiDbtTranslator(DagsterDbtTranslator):
    """Groups dbt models by their folder (staging, intermediate, marts, audit), as the project is laid out."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] in ("model", "seed"):
            return dbt_resource_props["fqn"][1] if len(dbt_resource_props["fqn"]) > 2 else "curated"
        return super().get_group_name(dbt_resource_props)


class DbtBuildConfig(dg.Config):
    """Options of a run's dbt build, set from `tdi run` or the launchpad of the Dagster UI."""

    rebuild: bool = Field(
        default=False,
        description="Build every model even when nothing it reads changed since the last build.",
    )
    debug_log: bool = Field(
        default=False, description="Have dbt log at debug level: every SQL statement it sends."
    )


def dbt_build_args(
    config: DbtBuildConfig, writing_path: str, project_dir: Path = DBT_PROJECT_DIR
) -> list[str]:
    """`dbt build` on the run's working copy of the warehouse."""
    arguments = ["--log-level", "debug"] if config.debug_log else []
    return [*arguments, "build", "--vars", dbt_vars(writing_path, project_dir)]


@dbt_assets(
    manifest=tdi_dbt_project.manifest_path,
    project=tdi_dbt_project,
    dagster_dbt_translator=TdiDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)),
)
def tdi_dbt_models(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    warehouse: WarehouseResource,
    config: DbtBuildConfig,
):
    """Build and test the selected models in the run's working copy, unless every model was built before from
    the same project and the same source tables: then nothing is materialised and nothing is published."""
    with warehouse.connect(read_only=True) as connection:
        fingerprint = inputs_fingerprint(connection)
        previous = last_build(connection)
    if previous and previous.fingerprint == fingerprint and not config.rebuild:
        context.log.info(
            f"Nothing to build: the project and its source tables are as they were for run "
            f"{previous.run_id} ({previous.built_at:%Y-%m-%d %H:%M}). Set `rebuild` to build anyway."
        )
        return
    # A target folder per warehouse: dbt reuses its parse of the project from one build to the next.
    target = dbt_target_path(Path(warehouse.path))
    yield from dbt.cli(
        dbt_build_args(config, warehouse.writing_path), context=context, target_path=target
    ).stream()
    if set(context.selected_asset_keys) == set(tdi_dbt_models.keys):
        with warehouse.connect() as connection:
            record_build(connection, context.run.run_id, fingerprint)
