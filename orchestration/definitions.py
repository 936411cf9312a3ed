"""The Dagster code location: gathers assets, checks, jobs, schedules, sensors and resources."""

import dagster as dg

from orchestration.assets.capture import crawled_pages
from orchestration.assets.dbt import tdi_dbt_models
from orchestration.assets.ingestion import extracted_figures, parsed_documents, raw_documents
from orchestration.assets.publish import published_warehouse
from orchestration.assets.reference import reference_assets
from orchestration.checks import mart_checks, raw_checks
from orchestration.jobs import crawl_then_everything_job, everything_job
from orchestration.resources import build_resources
from orchestration.run_log import run_log_file
from orchestration.schedules import daily_refresh
from orchestration.sensors import new_raw_files

defs = dg.Definitions(
    assets=[
        crawled_pages,
        raw_documents,
        parsed_documents,
        extracted_figures,
        *reference_assets,
        tdi_dbt_models,
        published_warehouse,
    ],
    asset_checks=[*raw_checks, *mart_checks],
    jobs=[everything_job, crawl_then_everything_job],
    schedules=[daily_refresh],
    sensors=[new_raw_files],
    resources=build_resources(),
    loggers={"console": dg.colored_console_logger, "run_log_file": run_log_file},
    # One step at a time: DuckDB allows one writer per file, so steps must not write concurrently; and
    # one run at a time, by the run lock the warehouse resource holds (orchestration/publishing.py).
    executor=dg.in_process_executor,
)
