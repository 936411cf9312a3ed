"""Parsing: the cleaned main text of a captured HTML page or PDF, one block per line."""

from ingestion.parse.document import (
    DocumentTooLarge,
    EmptyDocument,
    EncryptedPdf,
    GarbledText,
    NoTextLayer,
    PageSpan,
    ParsedDocument,
    ParseError,
    TruncatedPdf,
    UnsupportedContent,
    parse_document,
)

__all__ = [
    "DocumentTooLarge",
    "EmptyDocument",
    "EncryptedPdf",
    "GarbledText",
    "NoTextLayer",
    "PageSpan",
    "ParseError",
    "ParsedDocument",
    "TruncatedPdf",
    "UnsupportedContent",
    "parse_document",
]
