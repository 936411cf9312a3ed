"""The daily schedule's job, materialised in-process through the definitions' own resources, as the Dagster
daemon runs it: its crawl (of no source here) then the same marts as `tdi run` on the same raw/."""

from __future__ import annotations

import duckdb
import yaml
from dagster import DagsterInstance

from orchestration.definitions import defs
from orchestration.instance import ensure_dagster_home
from orchestration.run_log import run_log_path


def marts_of(warehouse) -> dict[str, list[tuple]]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts' order by table_name"
            ).fetchall()
        ]
        return {
            name: connection.sql(f"select * from marts.{name} order by all").fetchall() for name in tables
        }


def test_the_daily_schedule_builds_the_marts_tdi_run_builds(
    committed_corpus_run, isolated_environment, workspace
):
    (workspace["raw"] / "sources.yml").write_text(yaml.safe_dump({"sources": []}), encoding="utf-8")
    job = defs.resolve_job_def(defs.resolve_schedule_def("daily_refresh").job_name)
    ensure_dagster_home()
    with DagsterInstance.get() as instance:
        result = job.execute_in_process(instance=instance, raise_on_error=False)
        assert instance.get_run_by_id(result.run_id).job_name == "tdi_crawl_then_everything"
    assert result.success
    assert result.asset_materializations_for_node("capture__crawled_pages")
    assert result.asset_materializations_for_node("warehouse__published")
    assert "STEP_SUCCESS" in run_log_path(result.run_id).read_text(encoding="utf-8"), (
        "the run has its log file"
    )

    scheduled, by_tdi_run = marts_of(workspace["warehouse"]), marts_of(isolated_environment["warehouse"])
    assert set(scheduled) >= {"dim_document", "fct_figures", "fct_funding", "dim_territory", "dim_measure"}
    assert all(scheduled[name] for name in scheduled), "every mart has rows"
    assert scheduled == by_tdi_run
