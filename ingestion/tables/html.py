"""The data tables of an HTML page's main content, each expanded into a grid as a browser lays it out.

The page is decoded and cleared of its furniture as the text parser does (ingestion/parse/html.py), so that the
tables are those of the text. A table used for layout (one holding another table, or marked role="presentation")
is not a data table. Rows come in the order a browser shows them: thead, the body, tfoot. A cell spanning
several rows or columns fills each slot it covers (the copies flagged), a rowspan never reaching past its row
group, as in the HTML standard; slots past HTML_MAX_COLUMNS are dropped.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from ingestion.parse.html import decoded, main_container, remove_furniture
from ingestion.tables import settings
from ingestion.tables.model import Cell, Table
from ingestion.tables.rows import one_line, tidy

TABLE_TAG = re.compile(r"<table\b", re.IGNORECASE)
LEADING_DIGITS = re.compile(r"^\s*(\d+)")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
SECTION_KINDS = {"thead": "header", "tbody": "body", "tfoot": "total"}
"""tfoot holds "the column summaries" (HTML standard): its rows are totals."""


def html_tables(content: bytes, declared_charset: str | None) -> list[Table]:
    """The data tables of a page that parsed (its encoding checked by then), in document order, tidied
    (ingestion/tables/rows.py); none if it has no <table>."""
    markup = decoded(content, declared_charset)
    if not TABLE_TAG.search(markup):
        return []
    soup = BeautifulSoup(markup, "lxml")
    remove_furniture(soup)
    container = main_container(soup)
    found = (
        [grid(table) for table in container.find_all("table") if is_data_table(table)] if container else []
    )
    return [table for table in map(tidy, found) if table is not None]


def is_data_table(table: Tag) -> bool:
    """False for a layout table: one that holds a table, or that says it is for presentation."""
    return table.find("table") is None and (table.get("role") or "").lower() not in ("presentation", "none")


def grid(table: Tag) -> Table:
    """The table's cells on a grid, and the kind of each row."""
    rows: list[dict[int, Cell]] = []
    kinds: list[str] = []
    for kind, group in row_groups(table):
        for slots, all_headings in group_grid(group):
            rows.append(slots)
            kinds.append("header" if kind == "body" and all_headings else kind)
    width = max((max(slots, default=-1) + 1 for slots in rows), default=0)
    return Table(
        rows=[[slots.get(index, Cell("")) for index in range(width)] for slots in rows],
        kinds=kinds,
        caption=caption(table),
    )


def row_groups(table: Tag) -> list[tuple[str, list[Tag]]]:
    """The table's row groups in the order a browser shows them (thead first, tfoot last), each with its kind;
    rows directly under <table> make a body group of their own."""
    groups: list[tuple[str, list[Tag]]] = []
    for child in table.find_all(True, recursive=False):
        if child.name in SECTION_KINDS:
            groups.append((SECTION_KINDS[child.name], child.find_all("tr", recursive=False)))
        elif child.name == "tr":
            if not groups or groups[-1][0] != "loose":
                groups.append(("loose", []))
            groups[-1][1].append(child)
    order = {"header": 0, "body": 1, "loose": 1, "total": 2}
    ordered = sorted(groups, key=lambda group: order[group[0]])
    return [("body" if kind == "loose" else kind, rows) for kind, rows in ordered]


def group_grid(rows: list[Tag]) -> list[tuple[dict[int, Cell], bool]]:
    """Each row of a row group as its slots by column, and whether its filled cells are all <th>."""
    slots: list[dict[int, Cell]] = [{} for _ in rows]
    headings: list[bool] = [True for _ in rows]
    for row_index, row in enumerate(rows):
        column = 0
        for cell in row.find_all(("td", "th"), recursive=False):
            while column in slots[row_index]:
                column += 1
            text = one_line(cell.get_text(" "))
            headings[row_index] &= cell.name == "th" or not text
            last_column = min(column + (span(cell, "colspan") or 1), settings.HTML_MAX_COLUMNS)
            rowspan = span(cell, "rowspan")
            last_row = len(rows) if rowspan == 0 else min(len(rows), row_index + (rowspan or 1))
            for covered_row in range(row_index, last_row):
                for covered_column in range(column, last_column):
                    copy = (covered_row, covered_column) != (row_index, column)
                    slots[covered_row].setdefault(covered_column, Cell(text, is_span_copy=copy))
            column = last_column
    return list(zip(slots, headings, strict=True))


def span(cell: Tag, attribute: str) -> int | None:
    """The span's leading digits, as browsers read "2" or "2px"; None when absent or unreadable."""
    match = LEADING_DIGITS.match(str(cell.get(attribute) or ""))
    return int(match.group(1)) if match else None


def caption(table: Tag) -> str | None:
    """The table's <caption>, else the nearest heading before it."""
    element = table.find("caption", recursive=False) or table.find_previous(HEADINGS)
    return (one_line(element.get_text(" ")) or None) if element else None
