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
    """Groups dbt models by their folder (staging, intermediate, marts, audit), as the project is laid out, and
    gives every dbt test's asset check a description: its own, or what the generic test asserts."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] in ("model", "seed"):
            return dbt_resource_props["fqn"][1] if len(dbt_resource_props["fqn"]) > 2 else "curated"
        return super().get_group_name(dbt_resource_props)

    def get_asset_check_spec(
        self, asset_spec: dg.AssetSpec, manifest: Mapping[str, Any], unique_id: str, project: Any
    ) -> dg.AssetCheckSpec | None:
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None or spec.description:
            return spec
        return dg.AssetCheckSpec(
            spec.name,
            asset=spec.asset_key,
            description=test_description(manifest["nodes"][unique_id], ".".join(asset_spec.key.path)),
            additional_deps=spec.additional_deps,
            blocking=spec.blocking,
            metadata=spec.metadata,
            automation_condition=spec.automation_condition,
        )


GENERIC_TESTS = {
    "not_null": "no row of {table} has {column} null",
    "unique": "no two rows of {table} share {column}",
    "accepted_values": "{table}.{column} takes only the values {values}",
    "relationships": "every {table}.{column} appears as {field} in {to}",
    "expression_is_true": "every row of {table} satisfies {expression}",
    "accepted_range": "{table}.{column} lies within its accepted range",
    "has_rows": "{table} has rows (reference data the marts are built on)",
    "has_no_failed_checks": (
        "{table} holds no failed check: each failure is a finding about the sources, with both quotes in the "
        "table and in the auditor's report (`tdi audit`)"
    ),
}
"""What each generic test of the project asserts, for the checks' descriptions in the Dagster UI."""


def test_description(test_node: Mapping[str, Any], table: str) -> str:
    """The test's own description, else what its generic test asserts of its model and column."""
    metadata = test_node.get("test_metadata") or {}
    template = GENERIC_TESTS.get(metadata.get("name", ""))
    if template is None:
        return f"dbt test {test_node['name']} on {table}: passes when its query returns no row."
    arguments = {**metadata.get("kwargs", {}), **metadata.get("kwargs", {}).get("arguments", {})}
    arguments.setdefault("column", arguments.get("column_name", ""))
    arguments["to"] = str(arguments.get("to", "")).removeprefix("ref('").removesuffix("')")
    return (
        "dbt test: "
        + template.format_map({"table": table, **{k: str(v) for k, v in arguments.items()}})
        + "."
    )


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
    findings = []
    for event in dbt.cli(
        dbt_build_args(config, warehouse.writing_path), context=context, target_path=target
    ).stream():
        if is_failed_audit_check(event):
            findings.append(event)  # given their evidence once dbt has let go of the warehouse
        else:
            yield event
    with warehouse.connect(read_only=True) as connection:
        yield from (with_evidence(event, connection, warehouse.path) for event in findings)
    if set(context.selected_asset_keys) == set(tdi_dbt_models.keys):
        with warehouse.connect() as connection:
            record_build(connection, context.run.run_id, fingerprint)


FINDINGS_SAMPLE = 5
"""Findings shown in a failed audit check's metadata: enough to see what disagrees; the report has them all."""


def is_failed_audit_check(event: Any) -> bool:
    """A failed `has_no_failed_checks` test of an audit model: a finding about the sources."""
    return (
        isinstance(event, dg.AssetCheckResult)
        and not event.passed
        and (event.check_name or "").startswith("has_no_failed_checks")
    )


def with_evidence(event: dg.AssetCheckResult, connection: Any, warehouse_path: str) -> dg.AssetCheckResult:
    """The failed audit check with, in its metadata, its number of findings, the first ones with both quotes, and
    the command that renders the auditor's report."""
    table = ".".join(event.asset_key.path)
    count, sample = findings_of(connection, table)
    return dg.AssetCheckResult(
        passed=False,
        asset_key=event.asset_key,
        check_name=event.check_name,
        severity=event.severity,
        metadata={
            **event.metadata,
            "findings": dg.MetadataValue.int(count),
            "first_findings": dg.MetadataValue.md(sample),
            "report": dg.MetadataValue.text(f"tdi audit --warehouse {warehouse_path}"),
        },
    )


def findings_of(connection: Any, table: str) -> tuple[int, str]:
    """How many checks of the audit table did not pass, and the first ones as a Markdown table."""
    rows = connection.execute(
        f"select subject, status, left_quote, right_quote, explanation from {table}"
        " where status <> 'pass' order by status, subject"
    ).fetchall()
    lines = ["| subject | status | left quote | right quote | explanation |", "|---|---|---|---|---|"]
    for row in rows[:FINDINGS_SAMPLE]:
        cells = [str(value or "").replace("|", "\\|").replace("\n", " ") for value in row]
        lines.append("| " + " | ".join(cells) + " |")
    return len(rows), "\n".join(lines)
