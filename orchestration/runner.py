"""Run every asset in-process and summarise what the run produced, for `tdi run` and the tests."""

from __future__ import annotations

import contextlib
import gc
import io
import logging
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from orchestration.project import RAW_DIR_ENV, WAREHOUSE_ENV
from orchestration.publishing import DBT_LOG_FILE, dbt_target_path, working_copy_path


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

    def render(self) -> str:
        lines = [f"tdi run {self.run_id}: {'succeeded' if self.succeeded else 'FAILED'}"]
        lines += [f"  {name:<22}{count:>8}" for name, count in self.counts.items()]
        lines.append(
            f"  checks passed {self.checks_passed}, failed {len(self.checks_failed)}, "
            f"warnings {len(self.checks_warned)} (findings about the sources: `tdi audit`)"
        )
        lines += [f"    failed: {name}" for name in self.checks_failed]
        lines += [f"    warning: {name}" for name in self.checks_warned]
        lines.append(f"  ingestion errors {len(self.errors)}")
        lines += [
            f"    {document or source} [{stage}] {error_class}: {message}"
            for document, source, stage, error_class, message in self.errors
        ]
        if self.failure:
            lines.append(f"  failure: {self.failure}")
        if self.dbt_log:
            lines.append(f"  dbt log: {self.dbt_log}")
        if self.published:
            lines.append(f"warehouse (published): {self.warehouse}")
        elif self.unchanged_since:
            lines.append(f"nothing new since {self.unchanged_since}: nothing rebuilt, nothing published")
            lines.append(f"warehouse (published, as it was): {self.warehouse}")
        else:
            lines.append(f"warehouse NOT published, unchanged: {self.warehouse}")
            if self.working_copy:
                lines.append(f"  this run's copy, for inspection: {self.working_copy}")
        return "\n".join(lines)


COUNTED_TABLES = {
    "documents": "marts.dim_document",
    "figures": "marts.fct_figures",
    "territories (named)": "marts.dim_territory where n_mentions > 0",
    "measures": "marts.dim_measure",
    "funding amounts": "marts.fct_funding",
    "reconciliation checks": "audit.audit_check_results",
    "findings": "audit.audit_check_results where status <> 'pass'",
}


def run_everything(log_level: str = "WARNING", record: bool = False, rebuild: bool = False) -> RunSummary:
    """Run the whole job; the console shows warnings and errors only, unless a lower log level is asked for.

    The run's events go to an in-memory Dagster instance unless `record` is asked for: the SQLite event
    log of DAGSTER_HOME opens a connection and commits once per event, and a run has some 480 events
    (one per dbt model and test), which costs more than the run's own work on a small corpus. What the
    run did stays in the warehouse (ops.dbt_builds, audit.audit_check_history) either way.
    """
    from orchestration.dbt_parse import start_parse_for
    from orchestration.dbt_server import start_server_for

    keep_dbt_core_out_of_this_process()
    warehouse, raw_dir = Path(os.environ[WAREHOUSE_ENV]), Path(os.environ[RAW_DIR_ENV])
    with contextlib.ExitStack() as stack:
        loaded = stack.enter_context(collector_paused_while_loading())

        def start_dbt_server() -> None:
            stack.enter_context(start_server_for(warehouse, raw_dir, rebuild) or contextlib.nullcontext())

        # Dagster and dagster-dbt (which imports dbt) load while dbt parses for the definitions, when it has
        # to; otherwise while the dbt that will build starts and parses (orchestration/dbt_server.py), which
        # on a first run starts once that parse is done, to build from it.
        parse = start_parse_for(warehouse)
        if parse is None:
            start_dbt_server()
        else:
            stack.enter_context(parse)
        from dagster import AssetCheckSeverity, DagsterInstance

        import orchestration.dbt_project  # noqa: F401
        from orchestration.build_state import DBT_DEBUG_LOG_TAG, REBUILD_TAG

        if parse is not None:
            parse.finish()
            start_dbt_server()
        from orchestration.definitions import defs

        job = defs.resolve_job_def("tdi_everything")
        instance = DagsterInstance.get() if record else DagsterInstance.ephemeral()  # imports its storage
        loaded()
        quiet = logging.getLevelName(log_level) >= logging.WARNING
        tags = {REBUILD_TAG: "true"} if rebuild else {}
        if not quiet:
            tags[DBT_DEBUG_LOG_TAG] = "true"
        # dagster-dbt echoes every line dbt prints to stdout; unless a verbose log is asked for, those lines go
        # to the dbt.log of the warehouse's dbt target folder only, which the summary names.
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed) if quiet else contextlib.nullcontext():
            result = job.execute_in_process(
                instance=instance,
                raise_on_error=False,
                tags=tags,
                run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
            )
        if printed.getvalue():
            write_dbt_log(warehouse, printed.getvalue())
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
    if not summary.unchanged_since:
        log = dbt_target_path(Path(summary.warehouse)) / DBT_LOG_FILE
        summary.dbt_log = str(log) if log.exists() else None
    current = summary.published or summary.unchanged_since
    read_warehouse_counts(summary, summary.warehouse if current else summary.working_copy)
    return summary


@contextlib.contextmanager
def collector_paused_while_loading() -> Iterator[Callable[[], None]]:
    """Python's garbage collector went through every object Dagster had loaded, again and again: 1.0 s of a cold
    `tdi run` on the committed corpus went to it (6 full collections at 0.13 s each, timed with gc.callbacks),
    and what Dagster loads lives as long as the run. The collector is off while Dagster, the definitions, the
    job and the instance (the modules of its storage) load; the function this yields, called once they are
    loaded, freezes them (gc.freeze: where no collection looks) and turns the collector on for what the run
    allocates. 0.27 s of collections were left.
    On leaving, they are unfrozen, as they were before: at exit they are collected as usual (DuckDB's bindings
    report the objects of theirs left frozen as leaks)."""
    enabled = gc.isenabled()
    gc.disable()

    def loaded() -> None:
        gc.freeze()
        if enabled:
            gc.enable()

    try:
        yield loaded
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def keep_dbt_core_out_of_this_process() -> None:
    """dagster-dbt imports dbt-core when it can, and works without it, as it does with the dbt Fusion engine: in
    `tdi run` those imports were 2.3 s of the 4.3 s it took to import Dagster, before any work could start, and
    nothing in this process uses them. This process reads dbt's manifest and the events dbt prints; dbt runs in
    processes of its own (orchestration/dbt_server.py, orchestration/dbt_parse.py), and TdiDbtCliResource already
    spares dagster-dbt its in-process adapter. From here on an import of dbt in this process fails, as it would
    where dbt-core is not installed; a process that imported dbt before (a test session) keeps it."""
    if "dbt" not in sys.modules:
        sys.modules["dbt"] = None  # type: ignore[assignment]


def write_dbt_log(warehouse: Path, printed: str) -> None:
    """What dbt printed, kept where its own log would be: a run that failed in dbt is read there."""
    target = dbt_target_path(warehouse)
    target.mkdir(parents=True, exist_ok=True)
    (target / DBT_LOG_FILE).write_text(printed, encoding="utf-8")


def last_build_of(warehouse: str) -> str | None:
    """The published warehouse's last build, in words, when a successful run published nothing."""
    from orchestration.build_state import last_build

    if not Path(warehouse).exists():
        return None
    with duckdb.connect(warehouse, read_only=True) as connection:
        build = last_build(connection)
    return f"run {build.run_id} ({build.built_at:%Y-%m-%d %H:%M})" if build else None


def failure_of(result) -> str:
    """The step failures' messages, or why the run could not start (the run lock, a resource)."""
    failures = [event.message for event in result.all_events if event.is_step_failure]
    failures += [
        event.event_specific_data.error.message.strip()
        for event in result.all_events
        if event.is_resource_init_failure and event.event_specific_data.error
    ]
    return "; ".join(m for m in failures if m) or "see the Dagster run log"


def check_names(evaluations) -> list[str]:
    return sorted(f"{e.asset_key.to_user_string()}: {e.check_name}" for e in evaluations)


def read_warehouse_counts(summary: RunSummary, path: str | None) -> None:
    if path is None or not Path(path).exists():
        return
    try:
        with duckdb.connect(path, read_only=True) as connection:
            for name, relation in COUNTED_TABLES.items():
                summary.counts[name] = connection.execute(f"select count(*) from {relation}").fetchone()[0]
            summary.errors = connection.execute(
                "select document_id, failed_source, stage, error_class, error_message "
                "from audit.ingestion_errors order by stage, document_id"
            ).fetchall()
    except duckdb.Error as error:
        summary.failure = (
            summary.failure + "; " if summary.failure else ""
        ) + f"warehouse incomplete: {error}"
