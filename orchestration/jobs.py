"""Jobs: the pipeline from what raw/ holds to the marts, and the same preceded by a crawl."""

import dagster as dg

CRAWL = dg.AssetSelection.assets(["capture", "crawled_pages"])
WAREHOUSE_WRITER = {"tdi/warehouse": "writer"}
"""Both jobs write the warehouse: the instance queues runs with this tag one at a time (dagster.yaml)."""
LOGGERS = {"loggers": {"console": {}, "run_log_file": {}}}
"""Every run, from the UI, a schedule, a sensor or `tdi run`, logs to the console and to its log file."""

everything_job = dg.define_asset_job(
    "tdi_everything",
    selection=dg.AssetSelection.all() - CRAWL,
    tags=WAREHOUSE_WRITER,
    config=LOGGERS,
    description=(
        "Load captures and reference data, parse, extract, then build and test every dbt model. "
        "Works offline on what raw/ holds (what `tdi run` starts)."
    ),
)

crawl_then_everything_job = dg.define_asset_job(
    "tdi_crawl_then_everything",
    selection=dg.AssetSelection.all(),
    tags=WAREHOUSE_WRITER,
    config=LOGGERS,
    description="Crawl the sources of raw/sources.yml into raw/, then run the whole pipeline on what raw/ holds.",
)
