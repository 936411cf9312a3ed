"""A rerun costs what changed: what earlier runs parsed and extracted is carried over inside the
warehouse, by SQL over the tables they wrote, and only the rest goes to the workers.

Parsing is keyed by the capture's sha256 and the parser version; extraction by the text it read (capture
sha256 and parser version) and the extractor version. A new version redoes everything, on purpose. A row
carried over takes the identity (document id, version, latest or not) of the capture it now stands for:
the same bytes under another id or version are not parsed again. Nothing of this passes through Python
rows, so a rerun holds none of the texts in memory, whatever the size of the corpus.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa

from ingestion.pipeline import batches, with_their_pages
from ingestion.warehouse import count_rows, create_missing_tables, registered, rows_of, rows_to_table

PARSE_TABLES = ("raw.parsed_documents", "raw.document_pages", "raw.tables", "raw.table_cells")
EXTRACTION_TABLES = ("raw.extractions", "raw.figures", "raw.enumerations", "raw.enumeration_items")
KEY_SCHEMA = pa.schema([("document_id", pa.string()), ("version", pa.int32())])


def carry_over_parses(connection, parser_version: str, schemas: dict[str, pa.Schema]) -> int:
    """Keep, for each loaded capture, the text and pages an earlier run parsed from the same bytes with
    this parser version; the number of captures that need no parse."""
    create_missing_tables(connection, schemas)
    connection.execute(
        """
        create or replace temp table parse_reuse as
        select
            documents.document_id,
            documents.version,
            documents.is_latest,
            earlier.document_id as from_document_id,
            earlier.version as from_version
        from raw.documents as documents
        inner join (
            select document_id, version, sha256 from raw.parsed_documents
            where parser_version = $parser_version
            qualify row_number() over (partition by sha256 order by document_id, version) = 1
        ) as earlier on documents.sha256 = earlier.sha256
        """,
        {"parser_version": parser_version},
    )
    for table in PARSE_TABLES:
        relabel(connection, table, "parse_reuse")
    return count_rows(connection, "parse_reuse")


def carry_over_extractions(connection, extractor_version: str, schemas: dict[str, pa.Schema]) -> int:
    """Keep, for each parsed text, the figures and enumerations an earlier run extracted from the same
    text with this extractor version; the number of texts that need no extraction."""
    create_missing_tables(connection, schemas)
    connection.execute(
        """
        create or replace temp table extraction_reuse as
        select
            parsed.document_id,
            parsed.version,
            parsed.is_latest,
            earlier.document_id as from_document_id,
            earlier.version as from_version
        from raw.parsed_documents as parsed
        inner join (
            select document_id, version, sha256, parser_version from raw.extractions
            where extractor_version = $extractor_version
            qualify row_number() over (
                partition by sha256, parser_version order by document_id, version
            ) = 1
        ) as earlier on parsed.sha256 = earlier.sha256 and parsed.parser_version = earlier.parser_version
        """,
        {"extractor_version": extractor_version},
    )
    for table in EXTRACTION_TABLES:
        relabel(connection, table, "extraction_reuse")
    return count_rows(connection, "extraction_reuse")


def relabel(connection, table: str, reuse: str) -> None:
    """Replace `table` by the rows of the captures `reuse` maps, under the identity of the capture each
    now stands for. Every derived table starts with document_id, version, is_latest."""
    connection.execute(
        f"""
        create or replace table {table} as
        select reuse.document_id, reuse.version, reuse.is_latest, earlier.* exclude (document_id, version, is_latest)
        from {table} as earlier
        inner join {reuse} as reuse
            on earlier.document_id = reuse.from_document_id and earlier.version = reuse.from_version
        """
    )


def documents_to_parse(connection) -> list[dict]:
    """The loaded captures with no parsed text yet (without their bytes, which the workers read)."""
    return rows_of(
        connection,
        """
        select document_id, version, is_latest, sha256, capture_path, content_type
        from raw.documents
        where not exists (
            select 1 from raw.parsed_documents as parsed
            where parsed.document_id = documents.document_id and parsed.version = documents.version
        )
        order by document_id, version
        """,
    )


def texts_to_extract(connection) -> list[dict]:
    """The parsed texts with no extraction yet, as keys: their texts are read a batch at a time."""
    return rows_of(
        connection,
        """
        select document_id, version from raw.parsed_documents as parsed
        where not exists (
            select 1 from raw.extractions as extractions
            where extractions.document_id = parsed.document_id and extractions.version = parsed.version
        )
        order by document_id, version
        """,
    )


def texts_and_pages(connection, keys: list[dict]) -> tuple[list[dict], list[dict]]:
    """The parsed texts of these captures and their PDF pages, for one batch of extraction."""
    with registered(connection, "batch_keys", rows_to_table(keys, KEY_SCHEMA)):
        texts = rows_of(
            connection,
            """
            select document_id, version, is_latest, sha256, parser_version, text
            from raw.parsed_documents inner join batch_keys using (document_id, version)
            order by document_id, version
            """,
        )
        pages = rows_of(
            connection, "select * from raw.document_pages inner join batch_keys using (document_id, version)"
        )
    return texts, pages


def texts_with_pages(connection, keys: list[dict], batch_size: int) -> Iterator[tuple[dict, list[dict]]]:
    """Each parsed text of these captures with its PDF pages, read from the warehouse a batch at a time, as
    the extraction's workers take them: the main process holds a batch of texts, not the corpus's."""
    for batch in batches(keys, batch_size):
        yield from with_their_pages(*texts_and_pages(connection, batch))
