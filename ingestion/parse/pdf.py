"""The main text of a PDF: lines rebuilt into blocks, running headers, footers and page numbers dropped.

A communiqué's lines wrap in the middle of sentences and figures ("plus de 36" / "M€"); joining
the lines of a paragraph with a space gives back the sentence. Paragraphs are told apart by the
vertical gap before a line and by list markers; a list item's wrapped lines are indented.
"""

from __future__ import annotations

import io
import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSEOF
from pdfplumber.utils.exceptions import PdfminerException

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


@dataclass
class Line:
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
    try:
        pdf = pdfplumber.open(io.BytesIO(content))
    except PdfminerException as error:
        raise classify_pdfminer_error(error) from error
    except (PSEOF, PDFSyntaxError) as error:
        raise TruncatedPdf(f"damaged or truncated PDF: {error or type(error).__name__}") from error
    with pdf:
        try:
            page_count = len(pdf.pages)
        except (PSEOF, PDFSyntaxError, PdfminerException) as error:
            raise TruncatedPdf(f"damaged or truncated PDF: {error or type(error).__name__}") from error
        if page_count > settings.MAX_PDF_PAGES:
            raise DocumentTooLarge(
                f"PDF of {page_count} pages exceeds the {settings.MAX_PDF_PAGES}-page bound"
            )
        pages = []
        for number, page in enumerate(pdf.pages, start=1):
            try:
                extracted = page.extract_text_lines(strip=True, return_chars=False)
            except (PSEOF, PDFSyntaxError) as error:
                raise TruncatedPdf(f"damaged or truncated PDF at page {number}: {error}") from error
            pages.append(
                [
                    Line(
                        number,
                        row["text"],
                        row["x0"],
                        row["x1"],
                        row["top"] / page.height,
                        row["bottom"] / page.height,
                    )
                    for row in extracted
                    if row["text"].strip()
                ]
            )
            page.close()
        title = pdf.metadata.get("Title") if isinstance(pdf.metadata.get("Title"), str) else None
    return pages, title


def classify_pdfminer_error(error: PdfminerException) -> Exception:
    cause = error.args[0] if error.args else error
    if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
        return EncryptedPdf("the PDF is encrypted and needs a password")
    return TruncatedPdf(f"damaged or truncated PDF: {cause!r}")


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
