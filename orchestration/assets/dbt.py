"""The dbt models as Dagster assets; dbt tests become asset checks."""

import json
import os
import shutil
from collections.abc import Mapping
from pathlib import Path
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
    invocation = dbt.cli(["build", "--vars", dbt_vars], context=context)
    yield from invocation.stream()
    keep_partial_parse(Path(invocation.project_dir) / invocation.target_path)


def keep_partial_parse(run_target: Path) -> None:
    """dagster-dbt seeds each run's target folder with the project's partial_parse.msgpack; handing this
    run's back lets the next run on the same warehouse (same vars, same profile) skip re-parsing the
    project. A stale one only costs a full parse: dbt checks it."""
    parsed = run_target / "partial_parse.msgpack"
    if parsed.exists():
        shared = Path(tdi_dbt_project.project_dir) / tdi_dbt_project.target_path / "partial_parse.msgpack"
        staging = shared.with_suffix(".msgpack.new")
        shutil.copyfile(parsed, staging)
        os.replace(staging, shared)
