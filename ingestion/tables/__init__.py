"""Tables out of documents: HTML tables and PDF tables (ruled or aligned without rules) as grids of cells, each
row's kind (header, body, total) and each column's role (commune, beneficiary, amount…)."""

from __future__ import annotations

from ingestion.media import PDF, sniff_media_type
from ingestion.parse.document import declared_charset
from ingestion.tables.html import html_tables
from ingestion.tables.model import ROW_KINDS, Cell, Column, Table
from ingestion.tables.pdf import UnreadableTables, pdf_tables
from ingestion.tables.roles import ROLES, column_roles

__all__ = ["ROLES", "ROW_KINDS", "Cell", "Column", "Table", "UnreadableTables", "find_tables"]


def find_tables(content: bytes, content_type: str) -> list[Table]:
    """The tables of a capture that parsed (ingestion/parse), in document order, each with its columns' roles."""
    if sniff_media_type(content) == PDF:
        tables = pdf_tables(content)
    else:
        tables = html_tables(content, declared_charset(content_type))
    for table in tables:
        table.columns = column_roles(table)
    return tables
