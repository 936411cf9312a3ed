"""Which pages of a PDF may hold a table, read cheaply with PDFium before pdfplumber reads them.

pdfplumber's layout of a page costs tens of times PDFium's text (docs/performance.md): a press kit of twenty
pages of prose and one of tables should cost one page of pdfplumber, not twenty. A page may hold a table when it draws rules
(RULES_MIN_PATHS vector paths or more) or when its text rectangles leave a gutter clear down several lines
(ingestion/tables/aligned.py). A row drawn as a single run of text, its gutters made of spacing inside the run,
has no gutter between rectangles: such a table is not looked for unless the page also draws rules.
"""

from __future__ import annotations

import itertools
from contextlib import closing

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ingestion.tables import settings
from ingestion.tables.aligned import Box, aligned_regions, text_lines


def pages_with_tables(content: bytes) -> list[int]:
    """The numbers (from 1) of the pages that may hold a table; each page closed once looked at."""
    with closing(pdfium.PdfDocument(content)) as document:
        return [number for number in range(1, len(document) + 1) if may_hold_table(document, number)]


def may_hold_table(document: pdfium.PdfDocument, number: int) -> bool:
    """Whether the page draws RULES_MIN_PATHS paths or more, or has text aligned as a table (counted first, as
    a page's paths cost less to count than its text costs to read)."""
    with closing(document[number - 1]) as page:
        paths = page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,))
        if len(list(itertools.islice(paths, settings.RULES_MIN_PATHS))) == settings.RULES_MIN_PATHS:
            return True
        with closing(page.get_textpage()) as textpage:
            boxes = [
                text_box(textpage.get_rect(index), page.get_height())
                for index in range(textpage.count_rects())
            ]
    gutter = settings.GUTTER_MIN_POINTS - settings.GATE_SPACE_ALLOWANCE_POINTS
    return bool(aligned_regions(text_lines(boxes), gutter))


def text_box(rect: tuple[float, float, float, float], height: float) -> Box:
    """A PDFium rectangle (left, bottom, right, top, from the page's bottom) as a box measured from the top."""
    left, bottom, right, top = rect
    return Box(left, right, height - top, height - bottom)
