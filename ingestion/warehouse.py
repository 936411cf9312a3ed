"""Writing to the DuckDB warehouse: whole tables at once, from Arrow, never row by row."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pyarrow as pa


@contextmanager
def registered(connection, name: str, table: pa.Table) -> Iterator[None]:
    """The Arrow table visible to SQL as `name` for the statements of the block, and no longer."""
    connection.register(name, table)
    try:
        yield
    finally:
        connection.unregister(name)


def replace_table(connection, qualified_name: str, table: pa.Table) -> int:
    """Replace `schema.table` with the Arrow table in one statement, so a reader never sees half of it."""
    schema, _ = qualified_name.split(".")
    connection.execute(f"create schema if not exists {schema}")
    with registered(connection, "incoming_rows", table):
        connection.execute(f"create or replace table {qualified_name} as select * from incoming_rows")
    return table.num_rows


def table_exists(connection, schema: str, name: str) -> bool:
    """Whether an earlier run wrote the table: a first run on a new warehouse finds none."""
    return in_catalog(connection, "tables", table_schema=schema, table_name=name)


def column_exists(connection, schema: str, table: str, column: str) -> bool:
    """Whether the table has the column: tables written by an earlier version of tdi may lack it."""
    return in_catalog(connection, "columns", table_schema=schema, table_name=table, column_name=column)


def in_catalog(connection, view: str, **names: str) -> bool:
    """Whether information_schema.<view> lists the names in the warehouse itself, not in a database
    attached to it (whose tables information_schema lists too)."""
    conditions = "".join(f" and {column} = ?" for column in names)
    query = (
        f"select count(*) from information_schema.{view} where table_catalog = current_database(){conditions}"
    )
    return connection.execute(query, list(names.values())).fetchall()[0][0] > 0


def rows_of(connection, query: str) -> list[dict]:
    return connection.sql(query).to_arrow_table().to_pylist()


def count_rows(connection, table: str) -> int:
    return connection.execute(f"select count(*) from {table}").fetchall()[0][0]


def rows_to_table(rows: list[dict], schema: pa.Schema) -> pa.Table:
    """Build an Arrow table with a fixed schema, so that an empty stage still creates a typed table."""
    return pa.Table.from_pylist(rows, schema=schema)


def append_rows(connection, qualified_name: str, rows: list[dict], schema: pa.Schema) -> int:
    """Add rows to a table that exists (a stage's batch), matching columns by name."""
    with registered(connection, "incoming_rows", rows_to_table(rows, schema)):
        connection.execute(f"insert into {qualified_name} by name select * from incoming_rows")
    return len(rows)


def create_missing_tables(connection, schemas: dict[str, pa.Schema]) -> None:
    """Create, empty and typed, the tables a first run on a new warehouse does not have yet, and those an earlier
    version of tdi made with other columns (their rows came from another parser or extractor version, which the
    new version does not reuse)."""
    for qualified_name, schema in schemas.items():
        schema_name, table_name = qualified_name.split(".")
        if not table_exists(connection, schema_name, table_name) or column_names(
            connection, schema_name, table_name
        ) != list(schema.names):
            replace_table(connection, qualified_name, schema.empty_table())


def column_names(connection, schema_name: str, table_name: str) -> list[str]:
    """The table's columns, in order."""
    return [
        name
        for (name,) in connection.execute(
            "select column_name from duckdb_columns() where database_name = current_database()"
            " and schema_name = ? and table_name = ? order by column_index",
            [schema_name, table_name],
        ).fetchall()
    ]
