"""The work one document costs, as functions a worker process runs (see ingestion/bounded.py).

They take and return plain values (paths, text, dicts), which cross the process boundary cheaply.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from ingestion.extract import extract_enumerations, extract_figures
from ingestion.parse import parse_document
from ingestion.tables import UnreadableTables, find_tables


def parse_capture(path: str, content_type: str) -> tuple[dict, list[dict]]:
    """The parsed text of a capture file with its tables (as plain dicts), and its pages. Tables that cannot be
    read leave the text as it is: the reason is kept with it (`tables_error`), and the document has no table."""
    content = Path(path).read_bytes()
    parsed = parse_document(content, content_type)
    try:
        tables, tables_error = [asdict(table) for table in find_tables(content, content_type)], None
    except UnreadableTables as error:
        tables, tables_error = [], str(error)
    summary = {"title": parsed.title, "text": parsed.text, "tables": tables, "tables_error": tables_error}
    return summary, [asdict(page) for page in parsed.pages]


def extract_text(text: str) -> tuple[list[dict], list[dict]]:
    """The figures of a text, and its enumerations with their items and item spans."""
    figures = extract_figures(text)
    enumerations = extract_enumerations(text, figures)
    # A figure's fields are flat: vars() copies them, and asdict's deep copy is not needed.
    return [dict(vars(figure)) for figure in figures], [asdict(enumeration) for enumeration in enumerations]
