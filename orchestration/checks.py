"""Python asset checks on the raw stages: the dbt tests cover the models.

That every capture is parsed or has a recorded error is checked once, in dbt
(audit_warehouse_integrity), where the auditor's report shows it.
"""

import dagster as dg

from orchestration.resources import WarehouseResource


@dg.asset_check(
    asset=["raw", "figures"],
    description="Each figure's surface is the text at its offsets (blocking: a failure publishes nothing).",
    blocking=True,
)
def figure_offsets_match_text(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.connect(read_only=True) as connection:
        wrong = connection.execute(
            """
            select f.document_id, f.surface, substr(p.text, f.char_start + 1, f.char_end - f.char_start) as at_offsets
            from raw.figures as f
            inner join raw.parsed_documents as p using (document_id, version)
            where substr(p.text, f.char_start + 1, f.char_end - f.char_start) <> f.surface
            """
        ).fetchall()
    return dg.AssetCheckResult(
        passed=not wrong,
        metadata={"mismatches": len(wrong), "examples": dg.MetadataValue.json([list(r) for r in wrong[:5]])},
    )


raw_checks = [figure_offsets_match_text]
