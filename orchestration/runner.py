"""Run the pipeline in-process, recorded in the project's Dagster instance, and summarise what it produced."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from orchestration.instance import ensure_dagster_home
from orchestration.progress import RunProgress
from orchestration.project import WAREHOUSE_ENV
from orchestration.publishing import dbt_target_path, working_copy_path
from orchestration.run_log import run_log_path


@dataclass
class RunSummary:
    succeeded: bool
    warehouse: str
    run_id: str
    counts: dict[str, int] = field(default_factory=dict)
    checks_passed: int = 0
    checks_failed: list[str] = field(default_factory=list)
    checks_warned: list[str] = field(default_factory=list)
    errors: list[tuple] = field(default_factory=list)
    failure: str | None = None
    published: bool = False
    unchanged_since: str | None = None
    working_copy: str | None = None
    step_seconds: dict[str, float] = field(default_factory=dict)
    dbt_log: str | None = None
    run_log: str | None = None
    empty_marts: list[str] = field(default_factory=list)
    audit_statuses: dict[str, int] = field(default_factory=dict)

    def render(self) -> str:
        lines = [f"tdi run {self.run_id}: {'succeeded' if self.succeeded else 'FAILED'}"]
        lines += [f"  {name:<22}{count:>8}" for name, count in self.counts.items()]
        if self.unchanged_since:
            lines.append("  dbt tests: not run (nothing to build)")
        else:
            lines.append(
                f"  dbt tests and checks passed {self.checks_passed}, failed {len(self.checks_failed)}, "
                f"warnings {len(self.checks_warned)}"
            )
            lines += [f"    failed: {name}" for name in self.checks_failed]
            lines += [f"    warning: {name}" for name in self.checks_warned]
        if self.audit_statuses:
            by_status = ", ".join(
                f"{status} {count}" for status, count in sorted(self.audit_statuses.items())
            )
            lines.append(
                f"  audit of this warehouse: {by_status} (the findings with their quotes: `tdi audit`)"
            )
        lines.append(f"  ingestion errors {len(self.errors)}")
        lines += [
            f"    {document or source} [{stage}] {error_class}: {message}"
            for document, source, stage, error_class, message in self.errors
        ]
        if self.empty_marts:
            lines.append(f"  empty marts (the documents state no such fact): {', '.join(self.empty_marts)}")
        if self.failure:
            lines.append(f"  failure: {self.failure}")
        if self.run_log:
            lines.append(f"  run log: {self.run_log}")
        if self.dbt_log:
            lines.append(f"  dbt log: {self.dbt_log}")
        if self.published:
            lines.append(f"warehouse (published): {self.warehouse}")
        elif self.unchanged_since:
            lines.append(f"nothing new since {self.unchanged_since}: nothing rebuilt, nothing published")
            lines.append(f"warehouse (published, as it was): {self.warehouse}")
        elif Path(self.warehouse).exists():
            lines.append(f"warehouse NOT published, unchanged: {self.warehouse}")
        else:
            lines.append(f"no warehouse published: {self.warehouse} was not written")
        if not self.published and self.working_copy:
            lines.append(f"  this run's copy, for inspection: {self.working_copy}")
        return "\n".join(lines)


COUNTED_TABLES = {
    "documents": "marts.dim_document",
    "figures": "marts.fct_figures",
    "territories (named)": "marts.dim_territory where n_mentions > 0",
    "measures": "marts.dim_measure",
    "funding amounts": "marts.fct_funding",
}


def run_everything(log_level: str = "CRITICAL", rebuild: bool = False, progress: bool = False) -> RunSummary:
    """Run the `tdi_everything` job in-process against the project's Dagster instance (DAGSTER_HOME), so that
    the Dagster UI shows the run, its materialisations and its checks. The console shows `log_level` and up,
    and the stages with their counts when `progress` is set; the run's log file keeps every message."""
    from dagster import AssetCheckSeverity, DagsterInstance

    from orchestration.dbt_project import prepare_dbt_project

    ensure_dagster_home()
    prepare_dbt_project()
    from orchestration.assets.dbt import tdi_dbt_models
    from orchestration.definitions import defs

    quiet = logging.getLevelName(log_level) >= logging.WARNING
    run_id = str(uuid.uuid4())
    run_config = {
        "ops": {"tdi_dbt_models": {"config": {"rebuild": rebuild, "debug_log": not quiet}}},
        "loggers": {"console": {"config": {"log_level": log_level}}, "run_log_file": {}},
    }
    dbt_nodes = len(tdi_dbt_models.keys) + len(list(tdi_dbt_models.check_specs))
    # dagster-dbt echoes every line dbt prints; dbt's own log in its target folder keeps them all.
    with (
        DagsterInstance.get() as instance,
        contextlib.redirect_stdout(io.StringIO()) if quiet else contextlib.nullcontext(),
        RunProgress(run_id, dbt_nodes) if progress else contextlib.nullcontext(),
    ):
        result = defs.resolve_job_def("tdi_everything").execute_in_process(
            instance=instance, raise_on_error=False, run_config=run_config, run_id=run_id
        )
    evaluations = result.get_asset_check_evaluations()
    failed = [e for e in evaluations if not e.passed]
    summary = RunSummary(
        succeeded=result.success,
        warehouse=os.environ[WAREHOUSE_ENV],
        run_id=result.run_id,
        checks_passed=sum(1 for e in evaluations if e.passed),
        checks_failed=check_names(e for e in failed if e.severity == AssetCheckSeverity.ERROR),
        checks_warned=check_names(e for e in failed if e.severity == AssetCheckSeverity.WARN),
    )
    summary.step_seconds = {
        event.step_key: event.event_specific_data.duration_ms / 1000
        for event in result.all_events
        if event.is_step_success
    }
    summary.published = bool(result.asset_materializations_for_node("warehouse__published"))
    if not result.success:
        summary.failure = failure_of(result)
    elif not summary.published:
        summary.unchanged_since = last_build_of(summary.warehouse)
    if not summary.published and not summary.unchanged_since:
        working = working_copy_path(Path(summary.warehouse))
        summary.working_copy = str(working) if working.exists() else None
    summary.run_log = str(run_log_path(run_id)) if run_log_path(run_id).exists() else None
    if not summary.unchanged_since:
        log = dbt_target_path(Path(summary.warehouse)) / "dbt.log"
        summary.dbt_log = str(log) if log.exists() else None
    current = summary.published or summary.unchanged_since
    read_warehouse_counts(summary, summary.warehouse if current else summary.working_copy)
    return summary


def last_build_of(warehouse: str) -> str | None:
    """The published warehouse's last build, in words, when a successful run published nothing."""
    from orchestration.build_state import last_build

    if not Path(warehouse).exists():
        return None
    with duckdb.connect(warehouse, read_only=True) as connection:
        build = last_build(connection)
    return f"run {build.run_id} ({build.built_at:%Y-%m-%d %H:%M})" if build else None


def failure_of(result) -> str:
    """What made each failed step fail, or why the run could not start (the run lock, a resource): the first
    line of the error under Dagster's wrapping, which is the one a person can act on."""
    errors = [event.step_failure_data.error for event in result.all_events if event.is_step_failure]
    errors += [
        event.event_specific_data.error
        for event in result.all_events
        if event.is_resource_init_failure and event.event_specific_data.error
    ]
    return "; ".join(first_line(innermost(error)) for error in errors if error) or "see the run log"


def innermost(error):
    """The error Dagster wrapped (a step's exception is the cause of Dagster's own)."""
    while error.cause is not None and error.cls_name.startswith("Dagster"):
        error = error.cause
    return error


DBT_ERRORS_HEADING = "Errors parsed from dbt logs:"


def first_line(error) -> str:
    """The error's first line; for a failed dbt build, the first node dbt names as failed."""
    message = error.message.strip()
    if DBT_ERRORS_HEADING in message:
        found = [
            line.strip() for line in message.split(DBT_ERRORS_HEADING, 1)[1].splitlines() if line.strip()
        ]
        return f"dbt build: {found[0]}" if found else message.splitlines()[0]
    return (message.splitlines() or [error.cls_name])[0]


def check_names(evaluations) -> list[str]:
    return sorted(f"{e.asset_key.to_user_string()}: {e.check_name}" for e in evaluations)


def read_warehouse_counts(summary: RunSummary, path: str | None) -> None:
    if path is None or not Path(path).exists():
        return
    try:
        with duckdb.connect(path, read_only=True) as connection:
            for name, relation in COUNTED_TABLES.items():
                summary.counts[name] = connection.execute(f"select count(*) from {relation}").fetchone()[0]
            summary.empty_marts = empty_tables(connection, "marts")
            summary.audit_statuses = dict(
                connection.execute(
                    "select status, count(*) from audit.audit_check_results group by status"
                ).fetchall()
            )
            summary.errors = connection.execute(
                "select document_id, failed_source, stage, error_class, error_message "
                "from audit.ingestion_errors order by stage, document_id"
            ).fetchall()
    except duckdb.Error as error:
        if summary.failure is None:
            summary.failure = f"warehouse incomplete: {error}"


def empty_tables(connection, schema: str) -> list[str]:
    """The tables of `schema` that hold no row, by name."""
    names = connection.execute(
        "select table_name from duckdb_tables() where database_name = current_database() and schema_name = ?"
        " order by table_name",
        [schema],
    ).fetchall()
    return [
        name
        for (name,) in names
        if not connection.execute(f'select 1 from {schema}."{name}" limit 1').fetchall()
    ]
