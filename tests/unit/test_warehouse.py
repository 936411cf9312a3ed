"""The raw tables of a warehouse built by an earlier version of tdi: reused when their columns are today's."""

from __future__ import annotations

import duckdb

from ingestion.pipeline import PARSED_SCHEMA
from ingestion.warehouse import column_names, create_missing_tables


def test_a_table_an_earlier_version_made_with_other_columns_is_made_again():
    """The regression: a warehouse parsed before tables_error existed failed the next parse's appends."""
    connection = duckdb.connect()
    connection.execute("create schema raw")
    connection.execute("create table raw.parsed_documents as select 'd' as document_id, 'old text' as text")
    connection.execute("create table raw.kept as select 'd' as document_id")

    create_missing_tables(connection, {"raw.parsed_documents": PARSED_SCHEMA})

    assert column_names(connection, "raw", "parsed_documents") == list(PARSED_SCHEMA.names)
    assert connection.execute("select count(*) from raw.parsed_documents").fetchone() == (0,)
    assert connection.execute("select count(*) from raw.kept").fetchone() == (1,)


def test_a_table_with_todays_columns_keeps_its_rows():
    connection = duckdb.connect()
    connection.execute("create schema raw")
    create_missing_tables(connection, {"raw.parsed_documents": PARSED_SCHEMA})
    columns = ", ".join(f"null as {name}" for name in PARSED_SCHEMA.names[1:])
    connection.execute(f"insert into raw.parsed_documents select 'd' as document_id, {columns}")

    create_missing_tables(connection, {"raw.parsed_documents": PARSED_SCHEMA})

    assert connection.execute("select document_id from raw.parsed_documents").fetchall() == [("d",)]
