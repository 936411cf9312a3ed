"""The daily schedule's job, materialised in-process through the definitions' own resources, as the Dagster
daemon runs it: it crawls raw/sources.yml into raw/, then builds the marts that `tdi run` builds from that raw/."""

from __future__ import annotations

import duckdb
import yaml
from dagster import DagsterInstance

from orchestration.definitions import defs
from orchestration.instance import ensure_dagster_home
from orchestration.project import WAREHOUSE_ENV
from tests.conftest import common, tdi
from tests.fixtures.site.server import FixtureSite, serve


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


def test_the_daily_schedule_crawls_then_builds_the_marts_tdi_run_builds(workspace, monkeypatch):
    with serve(FixtureSite()) as site:
        source = {
            "name": "actualites",
            "listing_url": f"{site.base_url}/actualites",
            "match": "territoires? d.industrie",
            "allowed_hosts": ["127.0.0.1"],
            "delay_seconds": 0,
        }
        (workspace["raw"] / "sources.yml").write_text(yaml.safe_dump({"sources": [source]}), encoding="utf-8")
        schedule = defs.resolve_schedule_def("daily_refresh")
        job = defs.resolve_job_def(schedule.job_name)
        ensure_dagster_home()
        with DagsterInstance.get() as instance:
            result = job.execute_in_process(instance=instance, raise_on_error=False)
    assert result.success
    (crawl,) = result.asset_materializations_for_node("capture__crawled_pages")
    assert crawl.metadata["captured"].value >= 3, "the schedule's job crawled the site"
    assert result.asset_materializations_for_node("warehouse__published")

    by_tdi_run = workspace["root"] / "by-tdi-run.duckdb"
    monkeypatch.setenv(WAREHOUSE_ENV, str(by_tdi_run))
    ran = tdi("run", *common({**workspace, "warehouse": by_tdi_run}))
    assert ran.exit_code == 0 and "warehouse (published)" in ran.output, ran.output

    scheduled, direct = marts_of(workspace["warehouse"]), marts_of(by_tdi_run)
    assert set(scheduled) >= {"dim_document", "fct_figures", "fct_funding", "dim_territory", "dim_measure"}
    assert scheduled == direct
    assert len(scheduled["dim_document"]) > 6, "the crawled pages are in the marts"
