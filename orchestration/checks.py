"""Python asset checks on the raw stages: the dbt tests cover the models."""

import dagster as dg

from orchestration.resources import WarehouseResource


@dg.asset_check(asset=["raw", "figures"], description="Each figure's surface is the text at its offsets.")
def figure_offsets_match_text(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.connect(read_only=True) as connection:
        wrong = connection.execute(
            """
            select f.document_id, f.surface, substr(p.text, f.char_start + 1, f.char_end - f.char_start) as at_offsets
            from raw.figures as f
            inner join raw.parsed_documents as p using (document_id)
            where substr(p.text, f.char_start + 1, f.char_end - f.char_start) <> f.surface
            """
        ).fetchall()
    return dg.AssetCheckResult(
        passed=not wrong,
        metadata={"mismatches": len(wrong), "examples": dg.MetadataValue.json([list(r) for r in wrong[:5]])},
    )


@dg.asset_check(
    asset=["raw", "parsed_documents"],
    description="Every loaded capture is either parsed or has a recorded parse error: nothing silently skipped.",
)
def every_document_parsed_or_recorded(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.connect(read_only=True) as connection:
        unaccounted = connection.execute(
            """
            select d.document_id from raw.documents as d
            where d.document_id not in (select document_id from raw.parsed_documents)
              and d.document_id not in (select document_id from raw.parse_errors where document_id is not null)
            """
        ).fetchall()
    return dg.AssetCheckResult(
        passed=not unaccounted, metadata={"unaccounted": dg.MetadataValue.json([r[0] for r in unaccounted])}
    )


raw_checks = [figure_offsets_match_text, every_document_parsed_or_recorded]
