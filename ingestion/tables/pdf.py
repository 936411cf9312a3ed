"""The tables of a PDF, found by pdfplumber's table finder on the pages that may hold one
(ingestion/tables/pages.py): ruled tables by their rules, tables aligned without rules by their gutters
(ingestion/tables/aligned.py), each page's pieces then joined where a table goes on
(ingestion/tables/continuation.py). PDFium still reads the running text (ingestion/parse/pdf.py).

A cell's wrapped lines are one cell: pdfplumber gives a ruled cell's lines with newlines, which are joined; in an
aligned table each line of text is a row, and a line that goes on with the row above (its first cell empty, or
set closer than rows are) is merged into it.
"""

from __future__ import annotations

import io
import itertools
import re
import statistics
from dataclasses import replace

import pdfplumber
from pdfplumber.page import Page
from pdfplumber.table import Table as FoundTable
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from ingestion.lists import LIST_MARKER
from ingestion.parse.document import ParseError
from ingestion.parse.pdf import MARGIN_SHARE, ROW_TOLERANCE_POINTS
from ingestion.tables import settings
from ingestion.tables.aligned import Box, Region, aligned_regions, text_lines
from ingestion.tables.continuation import Piece, joined
from ingestion.tables.model import Cell, Table
from ingestion.tables.pages import pages_with_tables
from ingestion.tables.roles import header_role
from ingestion.tables.rows import TOTAL, one_line, tidy

FIGURE = re.compile(r"^[-+]?\d")
"""A cell that starts with a figure ("450 000 €", "1,42 million d'euros", "12,5 %"): a header row has none."""


class UnreadableTables(ParseError):
    """PDFium read the PDF's text, but pdfplumber could not read a page that may hold a table."""


def pdf_tables(content: bytes) -> list[Table]:
    """The PDF's tables in page order, tidied (ingestion/tables/rows.py), each continued table joined into one."""
    numbers = pages_with_tables(content)
    if not numbers:
        return []
    try:
        with pdfplumber.open(io.BytesIO(content)) as pdf:
            pieces = [piece for number in numbers for piece in page_pieces(pdf.pages[number - 1])]
    except (PdfminerException, MalformedPDFException) as error:
        raise UnreadableTables(f"pdfplumber could not read the PDF's tables: {error}") from error
    return [table for table in map(tidy, joined(pieces)) if table is not None]


def page_pieces(page: Page) -> list[Piece]:
    """The tables of one page, top to bottom: ruled ones, and aligned ones among the words outside them. The
    page's cached layout is let go once read."""
    try:
        words = page.extract_words()
        ruled = page.find_tables(settings.RULED_TABLE_SETTINGS)
        loose = [word for word in words if not any(inside(word, table.bbox) for table in ruled)]
        regions = aligned_regions(text_lines(map(word_box, loose)), settings.GUTTER_MIN_POINTS)
        found = [(table, ruled_edges(table), False) for table in ruled] + [
            (table, region.gutters, True) for region in regions for table in aligned_tables(page, region)
        ]
        body = [word for word in words if not in_margin(word, page)]
        found.sort(key=lambda item: item[0].bbox[1])
        boxes = [table.bbox for table, _, _ in found]
        pieces = [piece(page, table, edges, aligned, body, boxes) for table, edges, aligned in found]
        kept = [found_piece for found_piece in pieces if found_piece is not None]
        return [
            replace(lower, follows=directly_below(upper, lower, body))
            for upper, lower in zip([None, *kept], kept, strict=False)
        ]
    finally:
        page.close()


def aligned_tables(page: Page, region: Region) -> list[FoundTable]:
    """pdfplumber's tables in the region, with column edges at the left, in the middle of each gutter and at the
    right (ALIGNED_TABLE_SETTINGS)."""
    x0, top, x1, bottom = region.bbox
    edges = [x0 - 1, *((start + end) / 2 for start, end in region.gutters), x1 + 1]
    area = (
        max(x0 - 1, page.bbox[0]),
        max(top - 1, page.bbox[1]),
        min(x1 + 1, page.bbox[2]),
        min(bottom + 1, page.bbox[3]),
    )
    return page.crop(area).find_tables({**settings.ALIGNED_TABLE_SETTINGS, "explicit_vertical_lines": edges})


def ruled_edges(table: FoundTable) -> tuple[tuple[float, float], ...]:
    """Where a ruled table's inner column edges lie, give or take CONTINUATION_X_TOLERANCE_POINTS."""
    tolerance = settings.CONTINUATION_X_TOLERANCE_POINTS
    return tuple((column.bbox[0] - tolerance, column.bbox[0] + tolerance) for column in table.columns[1:])


def piece(
    page: Page,
    found: FoundTable,
    edges: tuple[tuple[float, float], ...],
    aligned: bool,
    body: list[dict],
    tables: list[tuple[float, float, float, float]],
) -> Piece | None:
    """One table of a page as a Piece: its grid (wrapped lines merged for an aligned table), whether its first
    row is a header, its caption, what lies above and below it; None for a list aligned as a table."""
    rows = [row for row in grid(found, page.page_number) if any(cell.text for cell in row)]
    if aligned:
        rows = merged_wrapped(rows)
        if is_list(rows):
            return None
    kinds = [
        "header" if index == 0 and names_columns(page, row) else "body" for index, row in enumerate(rows)
    ]
    _, top, _, bottom = found.bbox
    others = [word for word in body if not inside(word, found.bbox)]
    loose = [word for word in others if not any(inside(word, bbox) for bbox in tables)]
    return Piece(
        page=page.page_number,
        table=Table(rows=rows, kinds=kinds, caption=caption(loose, top)),
        bbox=found.bbox,
        edges=tuple(sorted(edges)),
        opens_page=not any(word["bottom"] <= top for word in others),
        closes_page=not any(word["top"] >= bottom for word in others),
    )


def directly_below(upper: Piece | None, lower: Piece, words: list[dict]) -> bool:
    """Whether `lower` follows `upper` on the page with no word between them and no more blank than
    ALIGNED_LINE_GAP_RATIO times the height of its first row: one table that a line crossing a gutter cut in two."""
    if upper is None:
        return False
    first_row = [cell.bbox for cell in lower.table.rows[0] if cell.bbox]
    height = max(bbox[3] for bbox in first_row) - min(bbox[1] for bbox in first_row)
    between = any(upper.bbox[3] <= word["top"] and word["bottom"] <= lower.bbox[1] for word in words)
    return not between and lower.bbox[1] - upper.bbox[3] <= settings.ALIGNED_LINE_GAP_RATIO * height


def grid(found: FoundTable, page_number: int) -> list[list[Cell]]:
    """The table's cells row by row, each with its page and box; a slot that a merged cell covers repeats that
    cell's text (flagged as a copy), as an HTML rowspan or colspan does."""
    texts = found.extract()
    origins = {
        bbox: text
        for row, row_texts in zip(found.rows, texts, strict=True)
        for bbox, text in zip(row.cells, row_texts, strict=True)
        if bbox
    }
    columns_x = [column.bbox[0] for column in found.columns]
    rows = []
    for row, row_texts in zip(found.rows, texts, strict=True):
        cells = []
        for x, bbox, text in zip(columns_x, row.cells, row_texts, strict=True):
            if bbox is not None:
                cells.append(Cell(one_line(text), page_number, bbox))
                continue
            covering = next((cell for cell in found.cells if covers(cell, x, row.bbox[1])), None)
            cells.append(
                Cell(
                    one_line(origins.get(covering)), page_number, covering, is_span_copy=covering is not None
                )
            )
        rows.append(cells)
    return rows


def is_list(rows: list[list[Cell]]) -> bool:
    """Whether an aligned table's first column holds only list markers ("-", "•", "1."): a list whose items are
    indented from their bullets, not a table."""
    return all(LIST_MARKER.match(row[0].text + " ") for row in rows if row[0].text)


def covers(bbox: tuple[float, float, float, float], x: float, top: float) -> bool:
    """Whether a merged cell's box takes in the slot whose top-left corner is (x, top)."""
    return bbox[0] <= x + 0.5 < bbox[2] and bbox[1] <= top + 0.5 < bbox[3]


def merged_wrapped(rows: list[list[Cell]]) -> list[list[Cell]]:
    """Rows of an aligned table, each line that goes on with the row above (wraps) merged into it, cell by cell."""
    merged: list[list[Cell]] = []
    usual = (
        statistics.median(b[0].bbox[1] - a[0].bbox[1] for a, b in itertools.pairwise(rows))
        if len(rows) > 1
        else 0
    )
    for above, row in zip([None, *rows], rows, strict=False):
        if merged and wraps(above, row, usual):
            merged[-1] = [merged_cell(upper, lower) for upper, lower in zip(merged[-1], row, strict=True)]
        else:
            merged.append(row)
    return merged


def wraps(above: list[Cell], row: list[Cell], usual: float) -> bool:
    """Whether a line of an aligned table goes on with the row above: its first cell is empty (the rest of a cell
    of another column, or an amount set on a record's middle line), or, not being a total, it is set closer to
    the line above than lines usually are, by more than ROW_TOLERANCE_POINTS (the rest of a first cell, at the
    leading of a paragraph where records are spaced out)."""
    if not row[0].text:
        return True
    closer = row[0].bbox[1] - above[0].bbox[1] < usual - ROW_TOLERANCE_POINTS
    return closer and not TOTAL.match(row[0].text)


def merged_cell(upper: Cell, lower: Cell) -> Cell:
    """One cell of two lines: their texts on one line, their boxes' union."""
    return Cell(
        one_line(f"{upper.text}\n{lower.text}"),
        upper.page,
        (
            min(upper.bbox[0], lower.bbox[0]),
            min(upper.bbox[1], lower.bbox[1]),
            max(upper.bbox[2], lower.bbox[2]),
            max(upper.bbox[3], lower.bbox[3]),
        ),
    )


def names_columns(page: Page, row: list[Cell]) -> bool:
    """Whether a first row is a header: no cell of it starts with a figure, and it is set in bold or half of its
    cells or more name a column's role ("Commune", "Montant de l'aide")."""
    filled = [cell for cell in row if cell.text]
    if any(FIGURE.match(cell.text) for cell in filled):
        return False
    named = sum(1 for cell in filled if header_role(cell.text))
    return 2 * named >= len(filled) or is_bold(page, [cell.bbox for cell in filled if cell.bbox])


def is_bold(page: Page, boxes: list[tuple[float, float, float, float]]) -> bool:
    """Whether every character in the boxes is set in a bold face."""
    chars = [char for bbox in boxes for char in page.within_bbox(bbox).chars]
    return bool(chars) and all("bold" in char["fontname"].lower() for char in chars)


def caption(words: list[dict], top: float) -> str | None:
    """The line right above the table, within CAPTION_MAX_GAP_POINTS, when it is a line of its own (a heading or
    a caption, at least its own height below the text above it), not the last line of a paragraph."""
    above = [word for word in words if 0 <= top - word["bottom"] <= settings.CAPTION_MAX_GAP_POINTS]
    if not above:
        return None
    lowest = max(word["bottom"] for word in above)
    line = sorted((w for w in above if w["bottom"] >= lowest - ROW_TOLERANCE_POINTS), key=lambda w: w["x0"])
    line_top = min(word["top"] for word in line)
    if any(0 <= line_top - word["bottom"] < lowest - line_top for word in words):
        return None
    return " ".join(word["text"] for word in line)


def word_box(word: dict) -> Box:
    return Box(word["x0"], word["x1"], word["top"], word["bottom"])


def inside(word: dict, bbox: tuple[float, float, float, float]) -> bool:
    """Whether a word lies within a box, give or take a point."""
    x0, top, x1, bottom = bbox
    return (
        word["x0"] >= x0 - 1
        and word["x1"] <= x1 + 1
        and word["top"] >= top - 1
        and word["bottom"] <= bottom + 1
    )


def in_margin(word: dict, page: Page) -> bool:
    """Whether a word lies in the top or bottom MARGIN_SHARE of the page, where running headers and footers are
    (the share the text parser drops them from)."""
    return word["top"] < MARGIN_SHARE * page.height or word["bottom"] > (1 - MARGIN_SHARE) * page.height
