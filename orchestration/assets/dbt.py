"""The dbt models as Dagster assets; dbt tests become asset checks."""

import json
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.dbt_project import tdi_dbt_project
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
    """Build (run + test) the selected models in the run's working copy of the warehouse."""
    dbt_vars = json.dumps({"warehouse_path": warehouse.writing_path})
    yield from dbt.cli(["build", "--vars", dbt_vars], context=context).stream()
