"""The last step of every job: the run's working copy becomes the warehouse analysts read.

It depends on every dbt model, so it runs only when `dbt build` passed, that is when no
error-severity test failed; a run that stops earlier publishes nothing and the published warehouse
stays as it was (orchestration/publishing.py).
"""

import dagster as dg

from orchestration.assets.dbt import tdi_dbt_models
from orchestration.resources import WarehouseResource


@dg.asset(
    key=["warehouse", "published"],
    deps=list(tdi_dbt_models.keys),
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
