"""The Python stages: captures → raw.documents → raw.parsed_documents → raw.figures.

Each stage reads its input from the warehouse (not from the previous step's memory), so any stage
can be rerun alone, and writes its rows and its errors as whole tables.
"""

import contextlib
import zlib

import dagster as dg
import pyarrow as pa

from ingestion import settings
from ingestion.bounded import start_workers_ahead
from ingestion.capture.archive import ManifestSnapshot, RawArchive
from ingestion.errors import ERROR_SCHEMA
from ingestion.pipeline import (
    DOCUMENT_SCHEMA,
    ENUMERATION_ITEM_SCHEMA,
    ENUMERATION_SCHEMA,
    EXTRACTION_SCHEMA,
    EXTRACTOR_VERSION,
    FIGURE_SCHEMA,
    PAGE_SCHEMA,
    PARSED_SCHEMA,
    PARSER_VERSION,
    TABLE_CELL_SCHEMA,
    TABLE_SCHEMA,
    extract_from_documents,
    extraction_rows,
    keep_first_load_times,
    load_captures_since,
    parse_documents,
)
from ingestion.reuse import (
    carry_over_extractions,
    carry_over_parses,
    documents_to_parse,
    texts_to_extract,
    texts_with_pages,
)
from ingestion.warehouse import append_rows, count_rows, replace_table, rows_of, rows_to_table, table_exists
from orchestration.assets.metadata import error_metadata, table_metadata
from orchestration.resources import RawArchiveResource, WarehouseResource

MANIFEST_SNAPSHOT_TABLE = "ops.manifest_snapshot"
"""The manifest's entries as the last load parsed them (JSON, zlib-compressed: a large manifest's JSON is stored
in a tenth of the room and time), with the size and sha256 of its bytes."""

EXTRACTION_TABLE_SCHEMAS = {
    "raw.extractions": EXTRACTION_SCHEMA,
    "raw.figures": FIGURE_SCHEMA,
    "raw.enumerations": ENUMERATION_SCHEMA,
    "raw.enumeration_items": ENUMERATION_ITEM_SCHEMA,
}


def rows_if_present(connection, table_name: str, columns: str = "*") -> list[dict]:
    """A table an earlier run wrote, as rows; none on a first run (the table does not exist yet)."""
    if not table_exists(connection, *table_name.split(".")):
        return []
    return rows_of(connection, f"select {columns} from {table_name}")


def manifest_as_last_read(connection) -> ManifestSnapshot | None:
    """The manifest as the last load read it, kept in the warehouse that load wrote."""
    if not table_exists(connection, *MANIFEST_SNAPSHOT_TABLE.split(".")):
        return None
    rows = connection.execute(f"select snapshot from {MANIFEST_SNAPSHOT_TABLE}").fetchall()
    if not rows:
        return None
    stored = rows[0][0]  # text in the warehouses of earlier versions
    return ManifestSnapshot.from_json(
        zlib.decompress(stored).decode() if isinstance(stored, bytes) else stored
    )


def manifest_grew_since(archive: RawArchive, last_read: ManifestSnapshot | None) -> bool:
    """The manifest is only appended to: another size than the last load read means new captures. A guess for
    starting the parse workers early: a wrong one costs time only."""
    with contextlib.suppress(OSError):
        return last_read is None or archive.manifest_path.stat().st_size != last_read.size
    return False


def keep_manifest_snapshot(
    connection, snapshot: ManifestSnapshot | None, last_read: ManifestSnapshot | None
) -> None:
    """Store what this load read, unless it is what the last load read (the same bytes): a run that found no new
    capture writes nothing."""
    if snapshot is not None and (last_read is None or last_read.sha256 != snapshot.sha256):
        compressed = zlib.compress(snapshot.to_json().encode(), 1)
        replace_table(connection, MANIFEST_SNAPSHOT_TABLE, pa.table({"snapshot": [compressed]}))


def reuse_metadata(done: int, reused: int) -> dict:
    return {
        "done_now": dg.MetadataValue.int(done),
        "reused": dg.MetadataValue.int(reused),
    }


def write_errors(connection, table_name: str, errors) -> None:
    replace_table(connection, table_name, rows_to_table([vars(e) for e in errors], ERROR_SCHEMA))


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["raw", "documents"],
            description="One row per capture in raw/ (manifest entry + file, sha256 verified).",
            group_name="capture",
            deps=[["capture", "crawled_pages"]],
            kinds={"python", "duckdb"},
        ),
        dg.AssetSpec(
            ["raw", "capture_errors"],
            description="Captures that could not be loaded: missing file, sha256 mismatch, bad manifest entry.",
            group_name="capture",
            kinds={"python", "duckdb"},
        ),
    ],
)
def raw_documents(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, raw_archive: RawArchiveResource
):
    with warehouse.connect() as connection:
        last_read = manifest_as_last_read(connection)
        if manifest_grew_since(raw_archive.archive, last_read):
            start_workers_ahead()  # the next step will parse the new captures
        rows, errors, snapshot = load_captures_since(raw_archive.archive, last_read)
        keep_manifest_snapshot(connection, snapshot, last_read)
        keep_first_load_times(
            rows, rows_if_present(connection, "raw.documents", "document_id, version, sha256, loaded_at")
        )
        replace_table(connection, "raw.documents", rows_to_table(rows, DOCUMENT_SCHEMA))
        write_errors(connection, "raw.capture_errors", errors)
        documents_meta = table_metadata(
            connection, "raw.documents", warehouse.path, "document_id, publisher, published_on, media_type"
        )
    context.log.info(f"{len(rows)} captures loaded, {len(errors)} errors")
    yield dg.MaterializeResult(
        asset_key=["raw", "documents"],
        metadata={**documents_meta, "raw_dir": dg.MetadataValue.path(raw_archive.path)},
    )
    yield dg.MaterializeResult(asset_key=["raw", "capture_errors"], metadata=error_metadata(errors))


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["raw", "parsed_documents"],
            deps=[["raw", "documents"]],
            description="The cleaned main text of each capture (HTML via beautifulsoup4, PDF via pypdfium2).",
            group_name="parse",
            kinds={"python", "duckdb"},
        ),
        dg.AssetSpec(
            ["raw", "document_pages"],
            deps=[["raw", "documents"]],
            description="For PDFs: where each page's text lies in the parsed text.",
            group_name="parse",
            kinds={"python", "duckdb"},
        ),
        dg.AssetSpec(
            ["raw", "tables"],
            deps=[["raw", "documents"]],
            description=(
                "The tables of each capture (HTML via beautifulsoup4, PDF via pdfplumber's table finder): "
                "pages, size, caption, each column's role and unit multiplier."
            ),
            group_name="parse",
            kinds={"python", "duckdb"},
        ),
        dg.AssetSpec(
            ["raw", "table_cells"],
            deps=[["raw", "documents"]],
            description="Every cell of each table: row and column, header/body/total, text, page and box in the PDF.",
            group_name="parse",
            kinds={"python", "duckdb"},
        ),
        dg.AssetSpec(
            ["raw", "parse_errors"],
            deps=[["raw", "documents"]],
            description="Captures that could not be parsed, with the reason.",
            group_name="parse",
            kinds={"python", "duckdb"},
        ),
    ],
)
def parsed_documents(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, raw_archive: RawArchiveResource
):
    with warehouse.connect() as connection:
        reused = carry_over_parses(
            connection,
            PARSER_VERSION,
            {
                "raw.parsed_documents": PARSED_SCHEMA,
                "raw.document_pages": PAGE_SCHEMA,
                "raw.tables": TABLE_SCHEMA,
                "raw.table_cells": TABLE_CELL_SCHEMA,
            },
        )
        to_parse = documents_to_parse(connection)
        errors, parsed_so_far = [], 0
        context.log.info(f"parsed 0/{len(to_parse)} captures")
        for batch in parse_documents(raw_archive.archive, to_parse, settings.DOCUMENTS_PER_BATCH):
            append_rows(connection, "raw.parsed_documents", batch.parsed, PARSED_SCHEMA)
            append_rows(connection, "raw.document_pages", batch.pages, PAGE_SCHEMA)
            append_rows(connection, "raw.tables", batch.tables, TABLE_SCHEMA)
            append_rows(connection, "raw.table_cells", batch.cells, TABLE_CELL_SCHEMA)
            errors.extend(batch.errors)
            parsed_so_far += len(batch.parsed) + len(batch.errors)
            context.log.info(f"parsed {parsed_so_far}/{len(to_parse)} captures")
        write_errors(connection, "raw.parse_errors", errors)
        parsed_meta = table_metadata(
            connection, "raw.parsed_documents", warehouse.path, "document_id, n_chars"
        )
        n_pages = count_rows(connection, "raw.document_pages")
        n_tables = count_rows(connection, "raw.tables")
        n_cells = count_rows(connection, "raw.table_cells")
    done = len(to_parse)
    context.log.info(
        f"{done} documents parsed, {reused} unchanged since an earlier run, {len(errors)} errors"
    )
    yield dg.MaterializeResult(
        asset_key=["raw", "parsed_documents"], metadata={**parsed_meta, **reuse_metadata(done, reused)}
    )
    yield dg.MaterializeResult(
        asset_key=["raw", "document_pages"], metadata={"dagster/row_count": dg.MetadataValue.int(n_pages)}
    )
    yield dg.MaterializeResult(
        asset_key=["raw", "tables"], metadata={"dagster/row_count": dg.MetadataValue.int(n_tables)}
    )
    yield dg.MaterializeResult(
        asset_key=["raw", "table_cells"], metadata={"dagster/row_count": dg.MetadataValue.int(n_cells)}
    )
    yield dg.MaterializeResult(asset_key=["raw", "parse_errors"], metadata=error_metadata(errors))


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["raw", "figures"],
            deps=[["raw", "parsed_documents"], ["raw", "document_pages"]],
            description="Every figure stated in a parsed text: value in base units, unit, metric, qualifier, quote.",
            group_name="extract",
            kinds={"python", "duckdb"},
        ),
        dg.AssetSpec(
            ["raw", "enumerations"],
            deps=[["raw", "parsed_documents"], ["raw", "document_pages"]],
            description="Lists introduced by a sentence, often with a stated count ('12 territoires … :').",
            group_name="extract",
            kinds={"python", "duckdb"},
        ),
        dg.AssetSpec(
            ["raw", "enumeration_items"],
            deps=[["raw", "parsed_documents"]],
            description="The items of each enumeration, in order.",
            group_name="extract",
            kinds={"python", "duckdb"},
        ),
        dg.AssetSpec(
            ["raw", "extract_errors"],
            deps=[["raw", "parsed_documents"]],
            description="Parsed texts whose extraction failed, with the reason.",
            group_name="extract",
            kinds={"python", "duckdb"},
        ),
        dg.AssetSpec(
            ["raw", "extractions"],
            deps=[["raw", "parsed_documents"]],
            description=(
                "Texts extracted, with the capture sha256, parser and extractor versions they came from: "
                "a rerun extracts again only what changed."
            ),
            group_name="extract",
            kinds={"python", "duckdb"},
        ),
    ],
)
def extracted_figures(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    with warehouse.connect() as connection:
        reused = carry_over_extractions(connection, EXTRACTOR_VERSION, EXTRACTION_TABLE_SCHEMAS)
        to_extract = texts_to_extract(connection)
        errors, extracted_so_far = [], 0
        context.log.info(f"extracted 0/{len(to_extract)} texts")
        texts = texts_with_pages(connection, to_extract, settings.DOCUMENTS_PER_BATCH)
        for batch in extract_from_documents(texts, settings.DOCUMENTS_PER_BATCH):
            append_rows(connection, "raw.figures", batch.figures, FIGURE_SCHEMA)
            append_rows(connection, "raw.enumerations", batch.enumerations, ENUMERATION_SCHEMA)
            append_rows(connection, "raw.enumeration_items", batch.items, ENUMERATION_ITEM_SCHEMA)
            append_rows(
                connection,
                "raw.extractions",
                extraction_rows(batch.texts, batch.figures, batch.errors),
                EXTRACTION_SCHEMA,
            )
            errors.extend(batch.errors)
            extracted_so_far += len(batch.texts)
            context.log.info(f"extracted {extracted_so_far}/{len(to_extract)} texts")
        write_errors(connection, "raw.extract_errors", errors)
        figures_meta = table_metadata(
            connection, "raw.figures", warehouse.path, "document_id, surface, value, unit, metric, qualifier"
        )
        counts = {
            table: count_rows(connection, table) for table in ("raw.enumerations", "raw.enumeration_items")
        }
    done = len(to_extract)
    context.log.info(
        f"{figures_meta['dagster/row_count'].value} figures, {counts['raw.enumerations']} enumerations, "
        f"{len(errors)} errors; {done} texts extracted, {reused} unchanged since an earlier run"
    )
    yield dg.MaterializeResult(
        asset_key=["raw", "figures"], metadata={**figures_meta, **reuse_metadata(done, reused)}
    )
    yield dg.MaterializeResult(
        asset_key=["raw", "enumerations"],
        metadata={"dagster/row_count": dg.MetadataValue.int(counts["raw.enumerations"])},
    )
    yield dg.MaterializeResult(
        asset_key=["raw", "enumeration_items"],
        metadata={"dagster/row_count": dg.MetadataValue.int(counts["raw.enumeration_items"])},
    )
    yield dg.MaterializeResult(asset_key=["raw", "extract_errors"], metadata=error_metadata(errors))
    yield dg.MaterializeResult(asset_key=["raw", "extractions"], metadata=reuse_metadata(done, reused))
