"""Writing to the DuckDB warehouse: whole tables at once, from Arrow, never row by row."""

from __future__ import annotations

import pyarrow as pa


def replace_table(connection, qualified_name: str, table: pa.Table) -> int:
    """Replace `schema.table` with the Arrow table in one statement, so a reader never sees half of it."""
    schema, _ = qualified_name.split(".")
    connection.execute(f"create schema if not exists {schema}")
    connection.register("incoming_rows", table)
    try:
        connection.execute(f"create or replace table {qualified_name} as select * from incoming_rows")
    finally:
        connection.unregister("incoming_rows")
    return table.num_rows


def table_exists(connection, schema: str, name: str) -> bool:
    """Whether an earlier run wrote the table: a first run on a new warehouse finds none."""
    return (
        connection.execute(
            "select count(*) from information_schema.tables"
            " where table_catalog = current_database() and table_schema = ? and table_name = ?",
            [schema, name],
        ).fetchall()[0][0]
        > 0
    )


def rows_to_table(rows: list[dict], schema: pa.Schema) -> pa.Table:
    """Build an Arrow table with a fixed schema, so that an empty stage still creates a typed table."""
    return pa.Table.from_pylist(rows, schema=schema)


def append_rows(connection, qualified_name: str, rows: list[dict], schema: pa.Schema) -> int:
    """Add rows to a table that exists (a stage's batch), matching columns by name."""
    connection.register("incoming_rows", rows_to_table(rows, schema))
    try:
        connection.execute(f"insert into {qualified_name} by name select * from incoming_rows")
    finally:
        connection.unregister("incoming_rows")
    return len(rows)


def create_missing_tables(connection, schemas: dict[str, pa.Schema]) -> None:
    """Create, empty and typed, the tables a first run on a new warehouse does not have yet."""
    for qualified_name, schema in schemas.items():
        if not table_exists(connection, *qualified_name.split(".")):
            replace_table(connection, qualified_name, schema.empty_table())
