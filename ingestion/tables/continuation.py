"""A table continued over a page break, or cut on its page, is one table: the pieces the finder found are joined.

A piece goes on with the table before it when it has as many columns and either follows the table's last piece at
once on the same page (a line that crossed a gutter cut an aligned table in two), or starts the next page with
nothing but running headers and footers between them; and it repeats the table's header, or has none and, across
the page break, has its column edges where the last piece has them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingestion.tables.model import Table

CONTINUED = re.compile(r"\bsuite\b", re.IGNORECASE)
"""A caption that says the table goes on from the page before: "Lauréats (suite)"."""


@dataclass(frozen=True)
class Piece:
    """A table as found on one page, and what joining it to the piece before needs: where its inner column edges
    may lie (x intervals), whether only running headers or footers are above it or below it, and whether it
    follows the page's piece before it at once, with no text between."""

    page: int
    table: Table
    bbox: tuple[float, float, float, float]
    edges: tuple[tuple[float, float], ...]
    opens_page: bool
    closes_page: bool
    follows: bool = False


def joined(pieces: list[Piece]) -> list[Table]:
    """The tables, each piece that continues the one before (continues) added to it, its repeated header dropped."""
    tables: list[Table] = []
    previous: Piece | None = None
    for current in pieces:
        if previous is not None and continues(previous, current, tables[-1]):
            kept = [
                (row, kind)
                for row, kind in zip(current.table.rows, current.table.kinds, strict=True)
                if kind != "header"
            ]
            tables[-1].rows.extend(row for row, _ in kept)
            tables[-1].kinds.extend(kind for _, kind in kept)
        else:
            tables.append(current.table)
        previous = current
    return tables


def continues(previous: Piece, current: Piece, table: Table) -> bool:
    """Whether `current` goes on with `table`, whose last piece is `previous`. It has as many columns, and either
    follows `previous` at once on the same page, or is on the next page with nothing but running lines between
    them (a caption saying "(suite)" may be there when the header is repeated); and it repeats the table's
    header, or has none and, across a page break, has its column edges where `previous` has them."""
    if len(current.edges) != len(previous.edges):
        return False
    header = header_texts(current.table)
    repeated = bool(header) and header == header_texts(table)
    if current.page == previous.page:
        return current.follows and (repeated or not header)
    if current.page != previous.page + 1 or not previous.closes_page:
        return False
    if repeated:
        return current.opens_page or bool(CONTINUED.search(current.table.caption or ""))
    return (
        current.opens_page
        and not header
        and all(
            start < other_end and other_start < end
            for (start, end), (other_start, other_end) in zip(previous.edges, current.edges, strict=True)
        )
    )


def header_texts(table: Table) -> list[list[str]]:
    return [
        [cell.text for cell in row]
        for row, kind in zip(table.rows, table.kinds, strict=True)
        if kind == "header"
    ]
