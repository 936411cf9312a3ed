"""`tdi query`: read the warehouse and nothing else, whatever the statement asks."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

READ_ONLY_SETTINGS = {
    # No file, URL or database but the warehouse itself: no COPY … TO, read_csv, read_text, ATTACH or INSTALL.
    "enable_external_access": False,
    # No extension installed or loaded behind the statement's back.
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    # Nothing run on the connection can set the settings above back.
    "lock_configuration": True,
}
QUERY_TYPES = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
"""select, with, from, describe, show, summarize and explain: the statements that only read."""


class QueryError(Exception):
    """The statement was refused or failed; the message is one line a person can act on."""


def query_warehouse(warehouse: Path, sql: str) -> pd.DataFrame:
    """The rows of one query on the warehouse, opened read-only with every access outside it off."""
    if not sql.strip():
        raise QueryError("tdi query needs a SQL query, e.g. tdi query 'select * from marts.dim_document'")
    if not warehouse.exists():
        raise QueryError(f"no warehouse at {warehouse}: run `tdi run` first")
    try:
        with duckdb.connect(str(warehouse), read_only=True, config=READ_ONLY_SETTINGS) as connection:
            statements = connection.extract_statements(sql)
            if len(statements) != 1 or statements[0].type not in QUERY_TYPES:
                raise QueryError(
                    "tdi query runs one query (select, with, from, describe, show, explain), and this is not one"
                )
            return connection.execute(sql).df()
    except duckdb.Error as error:
        raise QueryError(str(error).splitlines()[0]) from error


def render(frame: pd.DataFrame, output_format: str, max_rows: int) -> str:
    """The rows as a table for a person (at most `max_rows`), or whole as CSV or JSON lines for a program."""
    if output_format == "csv":
        return frame.to_csv(index=False).rstrip("\n")
    if output_format == "json":
        return frame.to_json(orient="records", lines=True, force_ascii=False, date_format="iso").rstrip("\n")
    with pd.option_context("display.max_colwidth", 80, "display.width", 200):
        lines = [frame.head(max_rows).to_string(index=False)]
    if len(frame) > max_rows:
        lines.append(f"… {len(frame) - max_rows} more rows (--max-rows)")
    lines.append(f"({len(frame)} rows)")
    return "\n".join(lines)
