"""What the table finders return: a grid of cells, each row's kind and each column's role."""

from __future__ import annotations

from dataclasses import dataclass, field

ROW_KINDS = ("header", "body", "total")
"""A header row names the columns, a total row sums the body rows (or some of them), a body row is a fact."""


@dataclass(frozen=True)
class Cell:
    """One slot of the grid. A PDF cell has its page and its box (x0, top, x1, bottom, in points from the page's
    top-left corner); an HTML cell has neither. A slot covered by a cell merged over several rows or columns
    repeats its text, flagged as a copy so that its figures are not counted twice."""

    text: str
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    is_span_copy: bool = False


@dataclass(frozen=True)
class Column:
    """A column's role (None when unknown) and, for amounts, what its figures are to be multiplied by to be in
    euros (1000 for "k€"), when the header or every cell says it."""

    role: str | None
    unit_multiplier: float | None = None


@dataclass
class Table:
    """A table as found: rows of the same number of cells, the kind of each row, a caption if any."""

    rows: list[list[Cell]]
    kinds: list[str]
    caption: str | None = None
    columns: list[Column] = field(default_factory=list)
