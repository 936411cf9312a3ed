"""Asset metadata that helps whoever opens the asset in the UI: counts, a preview, where it lives."""

from __future__ import annotations

import dagster as dg

from ingestion.warehouse import count_rows

PREVIEW_ROWS = 10


def table_metadata(connection, qualified_name: str, warehouse_path: str, preview_columns: str = "*") -> dict:
    count = count_rows(connection, qualified_name)
    # DuckDB renders the preview itself: no DataFrame, and no pandas import on a run's critical path.
    preview = connection.sql(f"select {preview_columns} from {qualified_name} limit {PREVIEW_ROWS}")
    return {
        "dagster/row_count": dg.MetadataValue.int(int(count)),
        "table": dg.MetadataValue.text(qualified_name),
        "warehouse": dg.MetadataValue.path(warehouse_path),
        "preview": dg.MetadataValue.md(f"```\n{preview}\n```" if count else "(no rows)"),
    }


def error_metadata(errors) -> dict:
    lines = [f"- **{e.document_id or e.source}** ({e.stage}): {e.error_class}: {e.message}" for e in errors]
    return {
        "errors": dg.MetadataValue.int(len(errors)),
        "error_list": dg.MetadataValue.md("\n".join(lines) if lines else "(none)"),
    }
