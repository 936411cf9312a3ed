"""The last step of every job: the run's working copy becomes the warehouse analysts read.

It depends on every asset that writes the warehouse, so it runs last, and only when `dbt build`
passed, that is when no error-severity test failed; a run that stops earlier publishes nothing and the published warehouse
stays as it was (orchestration/publishing.py).
"""

import dagster as dg

from orchestration.assets.dbt import tdi_dbt_models
from orchestration.assets.ingestion import extracted_figures, parsed_documents, raw_documents
from orchestration.assets.reference import reference_assets
from orchestration.resources import WarehouseResource

WRITERS = [raw_documents, parsed_documents, extracted_figures, *reference_assets, tdi_dbt_models]
"""Every asset that writes the warehouse: publishing waits for all of those the run selected."""


@dg.asset(
    key=["warehouse", "published"],
    deps=[key for assets in WRITERS for key in assets.keys],
    group_name="publish",
    kinds={"duckdb"},
    description=(
        "The published warehouse: this run's working copy, renamed over the file analysts read once every "
        "error-severity check passed."
    ),
)
def published_warehouse(warehouse: WarehouseResource) -> dg.MaterializeResult:
    warehouse.publish()
    return dg.MaterializeResult(metadata={"warehouse": dg.MetadataValue.path(warehouse.path)})
