"""The main text of a PDF: lines rebuilt into blocks, running headers, footers and page numbers dropped.

A communiqué's lines wrap in the middle of sentences and figures ("plus de 36" / "M€"); joining
the lines of a paragraph with a space gives back the sentence. Paragraphs are told apart by the
vertical gap before a line and by list markers; a list item's wrapped lines are indented.

The lines come from PDFium (pypdfium2): its text of a page, broken into lines where the text moves to
a new line, costs a small fraction of pdfplumber's layout analysis (pdfminer, in Python) for the same
lines. Each line's box comes from its first and last characters, measured as pdfminer measured them,
and lines are put in pdfplumber's order (top to bottom, pieces of one row joined), so that the rules
below, tuned on pdfplumber's lines, read the same text.

pdfplumber is not used on any page. The rules below need lines and their boxes, nothing of the layout
analysis or of the table finder (a table's row comes out as one line, as it did with pdfplumber); and
a page whose PDFium text is unusable is unusable to pdfminer too: a scan has no text for either, and
glyphs without Unicode give pdfminer "(cid:12)" codes where PDFium gives nothing.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from contextlib import closing
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ingestion import settings
from ingestion.lists import LIST_MARKER
from ingestion.parse.document import (
    DocumentTooLarge,
    EmptyDocument,
    EncryptedPdf,
    NoTextLayer,
    PageSpan,
    ParsedDocument,
    TruncatedPdf,
)

PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,3}(?:\s*(?:/|sur)\s*\d{1,3})?$", re.IGNORECASE)
# A line in the top or bottom 8 % of a page that recurs on other pages is a running header or footer.
MARGIN_SHARE = 0.08
# Lines further apart than this many times the page's usual line spacing start a new paragraph.
PARAGRAPH_GAP_RATIO = 1.35
# A line filling this share of the text column was wrapped: the paragraph goes on (across pages too).
FULL_LINE_SHARE = 0.85
# Pieces of text whose tops are within 3 points (pdfplumber's tolerance) lie on one row of the page.
ROW_TOLERANCE_POINTS = 3
# PDFium joins a line that ends in a hyphen between two letters to the next line, and puts this mark
# in place of the hyphen.
HYPHEN_MARK = "\ufffe"
# A line of PDFium's page text without the spaces around it: up to its "\r\n", or up to and with a
# hyphen mark (which always follows a letter).
PDFIUM_LINE = re.compile(rf"[^\s{HYPHEN_MARK}](?:[^\r\n{HYPHEN_MARK}]*[^\s{HYPHEN_MARK}])?{HYPHEN_MARK}?")
# The hyphen back in place of its mark, and ligatures as their letters ("ﬁnancement" is "financement"
# to a reader and to the extractor's word matching).
READABLE = str.maketrans(
    {HYPHEN_MARK: "-", "ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}
)
# Whether a line has any of those (most lines have none, and are left as they are).
UNREADABLE = re.compile(f"[{HYPHEN_MARK}ﬀ-ﬆ]")


@dataclass
class Line:
    """One line of a page: x0 and x1 in points from the left edge, top and bottom as shares of the
    page's height from its top edge, so that the margin rules hold on any paper size."""

    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


def parse_pdf(content: bytes) -> ParsedDocument:
    pages, title = read_lines(content)
    if not any(pages):
        raise NoTextLayer(f"no text layer on any of the {len(pages)} page(s): scanned images need OCR")
    body = drop_running_furniture(pages)
    blocks = rebuild_blocks(body)
    if not blocks:
        raise EmptyDocument("no text left once running headers and footers were removed")
    return assemble(blocks, title)


def read_lines(content: bytes) -> tuple[list[list[Line]], str | None]:
    """Text lines of every page, each page closed after use to keep memory flat on long documents."""
    with closing(open_document(content)) as document:
        page_count = len(document)
        if page_count > settings.MAX_PDF_PAGES:
            raise DocumentTooLarge(
                f"PDF of {page_count} pages exceeds the {settings.MAX_PDF_PAGES}-page bound"
            )
        pages = [read_page(document, number) for number in range(1, page_count + 1)]
        title = document.get_metadata_value("Title") or None
    return pages, title


def open_document(content: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(content)
    except pdfium.PdfiumError as error:
        raise classify_pdfium_error(error) from error


def classify_pdfium_error(error: pdfium.PdfiumError) -> Exception:
    """PDFium says why a document would not load: a password (or a security handler it lacks) is an
    encrypted PDF; a bad format, an unreadable file or anything else is a damaged one."""
    if error.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
        return EncryptedPdf("the PDF is encrypted and needs a password")
    return TruncatedPdf(f"damaged or truncated PDF: {error}")


def read_page(document: pdfium.PdfDocument, number: int) -> list[Line]:
    """The page's lines; PDFium's page and text page are closed (text page first) before the next
    page is opened, as pypdfium2 frees native memory only when told to."""
    try:
        with closing(document[number - 1]) as page, closing(page.get_textpage()) as textpage:
            _, bottom, _, top = page.get_bbox()
            fragments = text_fragments(textpage, number, top, top - bottom)
    except pdfium.PdfiumError as error:
        raise TruncatedPdf(f"damaged or truncated PDF at page {number}: {error}") from error
    return visual_rows(fragments, ROW_TOLERANCE_POINTS / (top - bottom))


def text_fragments(textpage: pdfium.PdfTextPage, number: int, page_top: float, height: float) -> list[Line]:
    """PDFium's lines of the page (it breaks its text where the text moves to a new line), each with
    the box from its first to its last character: two characters per line rather than every one keep
    the cost of a page near that of its text alone."""
    text = textpage.get_text_range()
    fragments = []
    for match in PDFIUM_LINE.finditer(text):
        start, end = match.span()
        first = char_box(textpage, char_index(textpage, start))
        last = char_box(textpage, char_index(textpage, end - 1))
        fragments.append(
            Line(
                number,
                readable(match.group()),
                first[0],
                last[1],
                (page_top - max(first[2], last[2])) / height,
                (page_top - min(first[3], last[3])) / height,
            )
        )
    return fragments


def readable(line: str) -> str:
    """The line as pdfplumber gave it: one plain space wherever there was any white space (no-break
    and thin spaces in "6 359 €" included, which the extractor reads as plain ones), hyphens back in
    place of their marks, and ligatures spelt out."""
    if UNREADABLE.search(line):
        line = line.translate(READABLE)
    return " ".join(line.split())


def char_index(textpage: pdfium.PdfTextPage, text_index: int) -> int:
    """The character behind a position in the page's text, which may differ from the position where
    PDFium left characters out of the text or added some."""
    return pdfium_c.FPDFText_GetCharIndexFromTextIndex(textpage, text_index)


def char_box(textpage: pdfium.PdfTextPage, index: int) -> tuple[float, float, float, float]:
    """Left, right, top and bottom of a character in PDF units, as pdfminer measures them: from the advance
    of the glyph, and from the font's descent up one em, so that every line of one font size has the same
    height whatever its letters, and the margins are where they were when the parser was tuned."""
    # Line spacing is then measured from line to line, not from glyph to glyph. PDFium's loose box has
    # pdfminer's left, right and bottom; its top is the font's ascent, a point or two higher, so the top is
    # the bottom plus the font size (scaled by the text matrix, as a font set at 1 pt and scaled up by the
    # matrix is common). Text with no upright size keeps the loose top.
    left, bottom, right, top = textpage.get_charbox(index, loose=True)
    matrix = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFText_GetMatrix(textpage, index, matrix)
    em = pdfium_c.FPDFText_GetFontSize(textpage, index) * abs(matrix.d)
    return left, right, bottom + em if em > 0 else top, bottom


def visual_rows(fragments: list[Line], tolerance: float) -> list[Line]:
    """The page's lines from top to bottom, fragments side by side on one row joined from left to right."""
    # PDFium gives lines in the order they are drawn (a footer may come first), and a row drawn in pieces
    # (table cells, columns) as several lines; the blocks are rebuilt from the top down, one row at a time,
    # as they were from pdfplumber's lines.
    rows: list[list[Line]] = []
    for fragment in sorted(fragments, key=lambda line: line.top):
        if rows and fragment.top - rows[-1][-1].top <= tolerance:
            rows[-1].append(fragment)
        else:
            rows.append([fragment])
    return [join_row(row) for row in rows]


def join_row(row: list[Line]) -> Line:
    if len(row) == 1:
        return row[0]
    row = sorted(row, key=lambda line: line.x0)
    return Line(
        row[0].page,
        " ".join(line.text for line in row),
        row[0].x0,
        max(line.x1 for line in row),
        min(line.top for line in row),
        max(line.bottom for line in row),
    )


def drop_running_furniture(pages: list[list[Line]]) -> list[Line]:
    """Remove page numbers and lines repeated in the margins of several pages (contacts, headers)."""

    def key(line: Line) -> str:
        return re.sub(r"\d+", "#", line.text.lower())

    in_margins = [line for page in pages for line in page if in_margin(line)]
    recurring = {text for text, count in Counter(key(line) for line in in_margins).items() if count > 1}
    return [
        line
        for page in pages
        for line in page
        if not (in_margin(line) and (key(line) in recurring or PAGE_NUMBER.match(line.text.strip())))
    ]


def in_margin(line: Line) -> bool:
    return line.top < MARGIN_SHARE or line.bottom > 1 - MARGIN_SHARE


def rebuild_blocks(lines: list[Line]) -> list[tuple[int, str]]:
    """Join wrapped lines into blocks: (first page, text)."""
    if not lines:
        return []
    spacing = usual_line_spacing(lines)
    left = min(line.x0 for line in lines)
    right = max(line.x1 for line in lines)
    blocks: list[tuple[int, list[str]]] = []
    previous: Line | None = None
    item_indent: float | None = None
    for line in lines:
        starts_item = bool(LIST_MARKER.match(line.text))
        if (
            previous is None
            or starts_item
            or starts_new_block(previous, line, spacing, left, right, item_indent)
        ):
            blocks.append((line.page, [line.text]))
            item_indent = line.x0 if starts_item else None
        else:
            blocks[-1][1].append(line.text)
        previous = line
    return [(page, " ".join(parts)) for page, parts in blocks]


def starts_new_block(
    previous: Line, line: Line, spacing: float, left: float, right: float, item_indent: float | None
) -> bool:
    if item_indent is not None and line.x0 <= item_indent + 1:
        return True
    if line.page != previous.page:
        wrapped = previous.x1 >= left + FULL_LINE_SHARE * (right - left)
        return not wrapped or previous.text.rstrip().endswith((".", "!", "?", ":", ";"))
    if abs(line.x0 - previous.x0) > 3 and item_indent is None:
        return True
    return line.top - previous.top > PARAGRAPH_GAP_RATIO * spacing


def usual_line_spacing(lines: list[Line]) -> float:
    gaps = [
        current.top - previous.top
        for previous, current in itertools.pairwise(lines)
        if current.page == previous.page and current.top > previous.top
    ]
    return statistics.median(gaps) if gaps else 0.02


def assemble(blocks: list[tuple[int, str]], title: str | None) -> ParsedDocument:
    text_parts: list[str] = []
    spans: dict[int, list[int]] = {}
    offset = 0
    for page, block in blocks:
        span = spans.setdefault(page, [offset, offset])
        text_parts.append(block)
        span[1] = offset + len(block)
        offset += len(block) + 1
    pages = tuple(PageSpan(page, start, end) for page, (start, end) in sorted(spans.items()))
    return ParsedDocument(text="\n".join(text_parts), title=title, pages=pages)
