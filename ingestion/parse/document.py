"""What a parser returns, how it fails, and the dispatch from a capture's type to its parser."""

from __future__ import annotations

from dataclasses import dataclass

from ingestion.media import PDF, sniff_media_type


@dataclass(frozen=True)
class PageSpan:
    """Where one PDF page's text lies in ParsedDocument.text, so a figure can name its page."""

    page_number: int
    char_start: int
    char_end: int


@dataclass(frozen=True)
class ParsedDocument:
    """The main text (one block per line, no blank lines, lines stripped) and what else was found."""

    text: str
    title: str | None
    pages: tuple[PageSpan, ...] = ()


class ParseError(Exception):
    """A capture could not be turned into text; the message says why, for audit.ingestion_errors."""


class UnsupportedContent(ParseError):
    """The bytes are not what the capture's content type says (a PDF served as HTML, or neither)."""


class EmptyDocument(ParseError):
    """The document parsed, but no main text was left: recorded, never loaded as an empty document."""


class DocumentTooLarge(ParseError):
    """The document exceeds the size bound that keeps one file from exhausting the run."""


class GarbledText(ParseError):
    """The bytes decode to control or replacement characters, not text: an encoding nobody declared right."""


class EncryptedPdf(ParseError):
    """The PDF needs a password."""


class TruncatedPdf(ParseError):
    """The PDF is cut short or damaged and cannot be read."""


class NoTextLayer(ParseError):
    """The PDF has pages but no text layer (scanned images): it needs OCR, not an empty row."""


def parse_document(content: bytes, content_type: str) -> ParsedDocument:
    """Parse by what the bytes are, after checking that they are what the capture declares."""
    from ingestion.parse.html import parse_html
    from ingestion.parse.pdf import parse_pdf

    if not content.strip():
        raise EmptyDocument("the capture is empty (0 bytes of content)")
    declared = content_type.split(";")[0].strip().lower()
    sniffed = sniff_media_type(content)
    if declared not in ("text/html", "application/pdf", "application/xhtml+xml"):
        raise UnsupportedContent(f"content type {declared!r} is neither HTML nor PDF")
    if declared == PDF and sniffed != PDF:
        raise UnsupportedContent(f"declared as a PDF but the bytes are {sniffed} (no %PDF- header)")
    if declared != PDF and sniffed == PDF:
        raise UnsupportedContent(f"declared as {declared} but the bytes are a PDF")
    if sniffed == PDF:
        return parse_pdf(content)
    return parse_html(content, declared_charset(content_type))


def declared_charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"').lower()
    return None
