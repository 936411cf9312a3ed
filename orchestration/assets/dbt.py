"""The dbt models as Dagster assets; dbt tests become asset checks."""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.build_state import (
    DBT_DEBUG_LOG_TAG,
    REBUILD_TAG,
    inputs_fingerprint,
    last_build,
    needs_full_refresh,
    record_build,
)
from orchestration.dbt_parse import build_vars
from orchestration.dbt_project import tdi_dbt_project
from orchestration.publishing import DBT_LOG_FILE, dbt_target_path
from orchestration.resources import WarehouseResource


class TdiDbtTranslator(DagsterDbtTranslator):
    """Groups dbt models by their folder (staging, intermediate, marts, audit), as the project is laid out."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] in ("model", "seed"):
            return dbt_resource_props["fqn"][1] if len(dbt_resource_props["fqn"]) > 2 else "curated"
        return super().get_group_name(dbt_resource_props)


translator = TdiDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(
    manifest=tdi_dbt_project.manifest_path, project=tdi_dbt_project, dagster_dbt_translator=translator
)
def tdi_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """Build (run + test) the selected models in the run's working copy of the warehouse, unless every
    model was built from the same project and the same source tables before (orchestration/build_state.py):
    then nothing is materialised, the run publishes nothing, and the published warehouse stays as it is.
    The incremental models add what changed, or are built whole when their basis changed."""
    with warehouse.connect(read_only=True) as connection:
        fingerprint = inputs_fingerprint(connection)
        previous = last_build(connection)
    rebuild = context.run.tags.get(REBUILD_TAG) == "true"
    if previous and previous.fingerprint == fingerprint.everything and not rebuild:
        context.log.info(
            f"Nothing to build: the project and its source tables are as they were for run "
            f"{previous.run_id} ({previous.built_at:%Y-%m-%d %H:%M}). Tag the run {REBUILD_TAG}=true to rebuild."
        )
        return
    target = dbt_target_path(Path(warehouse.path))
    arguments = ["build", "--vars", build_vars(warehouse.writing_path)]
    if context.run.tags.get(DBT_DEBUG_LOG_TAG) != "true":
        arguments += ["--log-level-file", "none", "--no-write-json"]
        (target / DBT_LOG_FILE).unlink(missing_ok=True)  # an earlier run's, which would pass for this one's
    if rebuild or needs_full_refresh(previous, fingerprint):
        arguments.append("--full-refresh")
    yield from dbt.cli(arguments, context=context, target_path=target).stream()
    every_model = set(context.selected_asset_keys) == set(tdi_dbt_models.keys)
    with warehouse.connect() as connection:
        record_build(connection, context.run.run_id, fingerprint if every_model else None)
