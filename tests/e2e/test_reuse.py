"""A rerun costs what changed: parsing is keyed by the capture's sha256 and the parser version,
extraction by the text it reads and the extractor version; a new version redoes everything."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from ingestion import pipeline
from ingestion.capture.archive import RawArchive
from ingestion.pipeline import (
    DOCUMENT_SCHEMA,
    ENUMERATION_ITEM_SCHEMA,
    ENUMERATION_SCHEMA,
    EXTRACTION_SCHEMA,
    FIGURE_SCHEMA,
    PAGE_SCHEMA,
    PARSED_SCHEMA,
    TABLE_CELL_SCHEMA,
    TABLE_SCHEMA,
    extract_from_documents,
    extraction_rows,
    load_captures,
    parse_documents,
    with_their_pages,
)
from ingestion.reuse import carry_over_extractions, carry_over_parses, documents_to_parse, texts_to_extract
from ingestion.warehouse import replace_table, rows_to_table
from orchestration.assets.ingestion import MANIFEST_SNAPSHOT_TABLE, manifest_as_last_read
from orchestration.project import DEFAULT_RAW_DIR

PARSE_SCHEMAS = {
    "raw.parsed_documents": PARSED_SCHEMA,
    "raw.document_pages": PAGE_SCHEMA,
    "raw.tables": TABLE_SCHEMA,
    "raw.table_cells": TABLE_CELL_SCHEMA,
}
EXTRACTION_SCHEMAS = {
    "raw.extractions": EXTRACTION_SCHEMA,
    "raw.figures": FIGURE_SCHEMA,
    "raw.enumerations": ENUMERATION_SCHEMA,
    "raw.enumeration_items": ENUMERATION_ITEM_SCHEMA,
}
DERIVED_TABLES = [*PARSE_SCHEMAS, *EXTRACTION_SCHEMAS]


@pytest.fixture(scope="module")
def first_run_file(tmp_path_factory):
    """A warehouse with what a first run wrote: the committed captures loaded, parsed and extracted."""
    archive = RawArchive(DEFAULT_RAW_DIR)
    documents, _ = load_captures(archive)
    [(parsed, pages, tables, cells, parse_errors)] = parse_documents(
        archive, documents, batch_size=len(documents)
    )
    [(_, figures, enumerations, items, errors)] = extract_from_documents(
        with_their_pages(parsed, pages), batch_size=len(parsed)
    )
    assert not parse_errors and not errors
    path = tmp_path_factory.mktemp("first") / "first.duckdb"
    with duckdb.connect(str(path)) as connection:
        for table, rows, schema in [
            ("raw.documents", documents, DOCUMENT_SCHEMA),
            ("raw.parsed_documents", parsed, PARSED_SCHEMA),
            ("raw.document_pages", pages, PAGE_SCHEMA),
            ("raw.tables", tables, TABLE_SCHEMA),
            ("raw.table_cells", cells, TABLE_CELL_SCHEMA),
            ("raw.figures", figures, FIGURE_SCHEMA),
            ("raw.enumerations", enumerations, ENUMERATION_SCHEMA),
            ("raw.enumeration_items", items, ENUMERATION_ITEM_SCHEMA),
            ("raw.extractions", extraction_rows(parsed, figures, errors), EXTRACTION_SCHEMA),
        ]:
            replace_table(connection, table, rows_to_table(rows, schema))
    return path


@pytest.fixture
def rerun(first_run_file, tmp_path):
    """A copy of the first run's warehouse, as the next run's working copy starts."""
    path = tmp_path / "rerun.duckdb"
    shutil.copyfile(first_run_file, path)
    with duckdb.connect(str(path)) as connection:
        yield connection


def table_rows(connection, table: str) -> list[tuple]:
    return connection.sql(f"select * from {table} order by all").fetchall()


def carry_over(
    connection, parser_version=pipeline.PARSER_VERSION, extractor_version=pipeline.EXTRACTOR_VERSION
):
    parsed_reused = carry_over_parses(connection, parser_version, PARSE_SCHEMAS)
    extracted_reused = carry_over_extractions(connection, extractor_version, EXTRACTION_SCHEMAS)
    return parsed_reused, extracted_reused


def test_a_rerun_on_the_same_captures_parses_and_extracts_nothing_and_keeps_the_same_rows(rerun):
    before = {table: table_rows(rerun, table) for table in DERIVED_TABLES}
    n_documents = len(table_rows(rerun, "raw.documents"))
    assert carry_over(rerun) == (n_documents, n_documents)
    assert documents_to_parse(rerun) == [] and texts_to_extract(rerun) == []
    assert {table: table_rows(rerun, table) for table in DERIVED_TABLES} == before
    assert before["raw.figures"], "the committed captures state figures"


def rows_of_document(connection, table: str, document_id: str) -> int:
    return connection.execute(
        f"select count(*) from {table} where document_id = ?", [document_id]
    ).fetchall()[0][0]


def test_only_a_capture_with_new_bytes_is_parsed_and_extracted_again(rerun):
    ((changed,),) = rerun.execute(
        "select document_id from raw.documents order by document_id limit 1"
    ).fetchall()
    rerun.execute("update raw.documents set sha256 = repeat('0', 64) where document_id = ?", [changed])
    n_documents = len(table_rows(rerun, "raw.documents"))
    assert carry_over(rerun) == (n_documents - 1, n_documents - 1)
    assert [row["document_id"] for row in documents_to_parse(rerun)] == [changed]
    assert rows_of_document(rerun, "raw.figures", changed) == 0


def test_the_same_bytes_under_another_document_id_take_the_new_identity_without_a_parse(rerun):
    ((kept, n_figures),) = rerun.execute(
        "select document_id, count(*) from raw.figures group by all order by 2 desc limit 1"
    ).fetchall()
    rerun.execute("update raw.documents set document_id = 'renamed' where document_id = ?", [kept])
    carry_over(rerun)
    assert documents_to_parse(rerun) == [] and texts_to_extract(rerun) == []
    for table in DERIVED_TABLES:
        assert rows_of_document(rerun, table, kept) == 0
    assert rows_of_document(rerun, "raw.figures", "renamed") == n_figures


def test_a_new_parser_version_parses_and_extracts_everything_again(rerun):
    n_documents = len(table_rows(rerun, "raw.documents"))
    assert carry_over(rerun, parser_version="next") == (0, 0)
    assert len(documents_to_parse(rerun)) == n_documents
    assert all(not table_rows(rerun, table) for table in DERIVED_TABLES)


def test_a_new_extractor_version_extracts_everything_again_but_parses_nothing(rerun):
    n_documents = len(table_rows(rerun, "raw.documents"))
    assert carry_over(rerun, extractor_version="next") == (n_documents, 0)
    assert documents_to_parse(rerun) == [] and len(texts_to_extract(rerun)) == n_documents
    assert not table_rows(rerun, "raw.figures") and table_rows(rerun, "raw.parsed_documents")


def test_a_first_run_on_a_new_warehouse_finds_everything_to_do(tmp_path, first_run_file):
    with duckdb.connect(str(tmp_path / "new.duckdb")) as connection:
        connection.execute(f"attach '{first_run_file}' as first (read_only)")
        connection.execute("create schema raw")
        connection.execute("create table raw.documents as select * from first.raw.documents")
        n_documents = len(table_rows(connection, "raw.documents"))
        assert carry_over(connection) == (0, 0)
        assert len(documents_to_parse(connection)) == n_documents


def test_the_assets_rerun_on_an_unchanged_archive_reuse_every_parse_and_extraction(
    tmp_path, monkeypatch, first_run_file
):
    import dagster as dg

    from ingestion import settings
    from orchestration.assets.ingestion import extracted_figures, parsed_documents, raw_documents
    from orchestration.assets.publish import published_warehouse
    from orchestration.resources import RawArchiveResource, WarehouseResource

    resources = {
        "warehouse": WarehouseResource(path=str(tmp_path / "w.duckdb")),
        "raw_archive": RawArchiveResource(path=str(DEFAULT_RAW_DIR)),
    }
    # The publish step ends the run as it ends every job: the second run starts from what the first published.
    assets = [raw_documents, parsed_documents, extracted_figures, published_warehouse]

    def reuse_counts(result, node: str, key: list[str]) -> tuple[int, int]:
        (materialisation,) = [
            m for m in result.asset_materializations_for_node(node) if m.asset_key == dg.AssetKey(key)
        ]
        return materialisation.metadata["done_now"].value, materialisation.metadata["reused"].value

    def derived_rows() -> dict[str, list[tuple]]:
        with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as connection:
            return {table: table_rows(connection, table) for table in DERIVED_TABLES}

    # Batches of two documents, the workers three documents ahead: the rows written batch by batch, while the
    # workers go on with the next batch's documents, are those of one pass over all documents.
    monkeypatch.setattr(settings, "DOCUMENTS_PER_BATCH", 2)
    monkeypatch.setattr(settings, "TASKS_AHEAD", 3)
    first = dg.materialize(assets, resources=resources)
    after_first = derived_rows()
    with duckdb.connect(str(first_run_file), read_only=True) as connection:
        assert after_first == {table: table_rows(connection, table) for table in DERIVED_TABLES}
    second = dg.materialize(assets, resources=resources)
    assert derived_rows() == after_first

    n_documents = len(load_captures(RawArchive(DEFAULT_RAW_DIR))[0])
    assert reuse_counts(first, "parsed_documents", ["raw", "parsed_documents"]) == (n_documents, 0)
    assert reuse_counts(second, "parsed_documents", ["raw", "parsed_documents"]) == (0, n_documents)
    assert reuse_counts(second, "extracted_figures", ["raw", "figures"]) == (0, n_documents)


def test_the_manifest_as_last_read_is_kept_compressed_and_an_earlier_text_one_is_still_read(
    committed_corpus_run, isolated_environment, tmp_path
):
    """The next load parses only the entries appended since; the snapshot it starts from is stored compressed
    (1 MB instead of 10 MB at 10,000 entries), and the text one of an earlier version is read as before."""
    archive = RawArchive(DEFAULT_RAW_DIR)
    with duckdb.connect(str(isolated_environment["warehouse"]), read_only=True) as connection:
        (stored,) = connection.execute(f"select snapshot from {MANIFEST_SNAPSHOT_TABLE}").fetchone()
        kept = manifest_as_last_read(connection)
    assert isinstance(stored, bytes) and len(stored) < len(kept.to_json())
    assert kept.entries == archive.manifest_entries() and kept.sha256 == archive.manifest_snapshot().sha256
    with duckdb.connect(str(tmp_path / "earlier.duckdb")) as connection:
        connection.execute("create schema ops")
        connection.execute(
            f"create table {MANIFEST_SNAPSHOT_TABLE} as select ? as snapshot", [kept.to_json()]
        )
        assert manifest_as_last_read(connection) == kept
