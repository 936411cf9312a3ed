"""Jobs: the whole pipeline, from captures to marts."""

import dagster as dg

everything_job = dg.define_asset_job(
    "tdi_everything",
    selection=dg.AssetSelection.all(),
    description="Load captures and reference data, parse, extract, then build and test every dbt model.",
)
