"""What every table finder does to its grid: cell text on one line, empty rows and columns dropped, total rows
marked."""

from __future__ import annotations

import re

from ingestion.tables.model import Cell, Table

TOTAL = re.compile(r"^(?:montant\s+|sous[\s-]?)?total(?:e|es|s|aux)?\b", re.IGNORECASE)
"""A total row's first cell: "Total", "TOTAL", "Total général", "Montant total", "Sous-total", "Totaux :"."""
LINE_BREAK_AFTER_HYPHEN = re.compile(r"-[ \t]*\n\s*")


def one_line(text: str | None) -> str:
    """A cell's text on one line: its lines joined by a space, or by nothing after a hyphen ("Saint-" and
    "Étienne" give "Saint-Étienne"), and any run of white space, no-break and thin spaces included, one plain
    space, as the text parser reads PDF lines (the same table gives the same cells from HTML and from PDF)."""
    return " ".join(LINE_BREAK_AFTER_HYPHEN.sub("-", text or "").split())


def tidy(table: Table) -> Table | None:
    """The table without the rows and the columns that have no text of their own (empty, or filled only by a
    cell merged into them from another), its total rows marked; None when fewer than two rows or two columns
    remain: one column is a list, one row a line of text."""
    rows = [(row, kind) for row, kind in zip(table.rows, table.kinds, strict=True) if any(map(has_text, row))]
    if not rows:
        return None
    filled = [index for index in range(len(rows[0][0])) if any(has_text(row[index]) for row, _ in rows)]
    if len(rows) < 2 or len(filled) < 2:
        return None
    return Table(
        rows=[[row[index] for index in filled] for row, _ in rows],
        kinds=[total_or(kind, row) for row, kind in rows],
        caption=table.caption,
    )


def has_text(cell: Cell) -> bool:
    """Whether the cell has text of its own, not a merged cell's copy."""
    return bool(cell.text) and not cell.is_span_copy


def total_or(kind: str, row: list[Cell]) -> str:
    """'total' for a body row whose first filled cell says so, else the kind it has."""
    first = next(cell.text for cell in row if cell.text)
    return "total" if kind == "body" and TOTAL.match(first) else kind
