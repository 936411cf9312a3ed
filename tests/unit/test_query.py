"""`tdi query` reads the warehouse and nothing else: no file written or read, no database attached, no extension
installed, whatever the statement; and its errors are one line."""

from __future__ import annotations

import json

import duckdb
import pytest

from tests.conftest import tdi


@pytest.fixture
def warehouse(tmp_path):
    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema marts")
        connection.execute(
            "create table marts.dim_document as select * from (values ('a', 'Préfecture', 3), ('b', 'ANCT', 5)) "
            "as t(document_id, publisher, n_figures)"
        )
    return path


def query(warehouse, sql: str, *options: str):
    return tdi("query", sql, "--warehouse", str(warehouse), *options)


def test_a_query_is_answered_as_a_table_csv_or_json_lines(warehouse):
    sql = "select document_id, publisher, n_figures from marts.dim_document order by document_id"
    table = query(warehouse, sql)
    assert table.exit_code == 0 and "Préfecture" in table.output and "(2 rows)" in table.output
    assert query(warehouse, sql, "--format", "csv").output.splitlines() == [
        "document_id,publisher,n_figures",
        "a,Préfecture,3",
        "b,ANCT,5",
    ]
    lines = query(warehouse, sql, "--format", "json").output.splitlines()
    assert [json.loads(line) for line in lines] == [
        {"document_id": "a", "publisher": "Préfecture", "n_figures": 3},
        {"document_id": "b", "publisher": "ANCT", "n_figures": 5},
    ]


@pytest.mark.parametrize(
    ("statement", "refusal"),
    [
        ("copy (select * from marts.dim_document) to '{outside}'", "this is not one"),
        ("copy marts.dim_document to '{warehouse}'", "this is not one"),
        ("select * from read_csv('{secret}')", "file system operations are disabled"),
        ("select * from read_text('{secret}')", "file system operations are disabled"),
        ("select * from read_csv('{secret}') union all select 1; select 2", "this is not one"),
        ("attach '{outside}' as other", "this is not one"),
        ("install httpfs", "this is not one"),
        ("load httpfs", "this is not one"),
        ("set enable_external_access = true", "this is not one"),
        ("drop table marts.dim_document", "this is not one"),
    ],
)
def test_a_statement_that_reaches_outside_the_warehouse_or_writes_is_refused_in_one_line(
    warehouse, tmp_path, statement, refusal
):
    secret = tmp_path / "secret.csv"
    secret.write_text("password\nhunter2\n")
    outside = tmp_path / "outside.duckdb"
    before = warehouse.read_bytes()
    result = query(warehouse, statement.format(outside=outside, warehouse=warehouse, secret=secret))
    assert result.exit_code == 1
    assert refusal in result.output and "hunter2" not in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert not outside.exists() and warehouse.read_bytes() == before


@pytest.mark.parametrize(
    ("sql", "message"),
    [("", "needs a SQL query"), ("   ", "needs a SQL query"), ("pragma version", "this is not one")],
)
def test_an_empty_or_non_query_statement_is_one_clear_line(warehouse, sql, message):
    result = query(warehouse, sql)
    assert result.exit_code == 1 and message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_missing_warehouse_says_to_run_first(tmp_path):
    result = query(tmp_path / "none.duckdb", "select 1")
    assert result.exit_code == 1 and "run `tdi run` first" in result.output
