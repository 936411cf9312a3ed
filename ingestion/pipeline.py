"""The three Python stages (load captures, parse, extract) as plain functions over rows.

Dagster assets call these, and so can a benchmark's bare loop: the work is the same either way.
Each stage returns its rows and its errors; one document's failure never stops the others.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime

import pyarrow as pa

from ingestion.capture.archive import ArchiveError, Capture, RawArchive, capture_from_entry
from ingestion.errors import StageError
from ingestion.extract import extract_enumerations, extract_figures
from ingestion.parse import ParseError, parse_document

PARSER_VERSION = "1"
EXTRACTOR_VERSION = "1"

DOCUMENT_SCHEMA = pa.schema(
    [
        ("document_id", pa.string()),
        ("version", pa.int32()),
        ("source_url", pa.string()),
        ("source_url_note", pa.string()),
        ("publisher", pa.string()),
        ("published_on", pa.date32()),
        ("published_on_estimated", pa.bool_()),
        ("published_on_note", pa.string()),
        ("title", pa.string()),
        ("content_type", pa.string()),
        ("media_type", pa.string()),
        ("sha256", pa.string()),
        ("capture_path", pa.string()),
        ("size_bytes", pa.int64()),
        ("is_reconstruction", pa.bool_()),
        ("reconstruction_note", pa.string()),
        ("attached_to", pa.string()),
        ("captured_at", pa.string()),
        ("loaded_at", pa.timestamp("us", tz="UTC")),
    ]
)

PARSED_SCHEMA = pa.schema(
    [
        ("document_id", pa.string()),
        ("sha256", pa.string()),
        ("parser_version", pa.string()),
        ("detected_title", pa.string()),
        ("text", pa.string()),
        ("n_chars", pa.int64()),
        ("n_pages", pa.int32()),
    ]
)

PAGE_SCHEMA = pa.schema(
    [
        ("document_id", pa.string()),
        ("page_number", pa.int32()),
        ("char_start", pa.int64()),
        ("char_end", pa.int64()),
    ]
)

FIGURE_SCHEMA = pa.schema(
    [
        ("document_id", pa.string()),
        ("figure_index", pa.int32()),
        ("value", pa.float64()),
        ("unit", pa.string()),
        ("metric", pa.string()),
        ("qualifier", pa.string()),
        ("surface", pa.string()),
        ("char_start", pa.int64()),
        ("char_end", pa.int64()),
        ("quote", pa.string()),
        ("quote_start", pa.int64()),
        ("quote_end", pa.int64()),
        ("page", pa.int32()),
        ("range_bound", pa.string()),
        ("fund", pa.string()),
        ("phase", pa.string()),
        ("region", pa.string()),
        ("as_of", pa.string()),
        ("extractor_version", pa.string()),
    ]
)

ENUMERATION_SCHEMA = pa.schema(
    [
        ("document_id", pa.string()),
        ("enumeration_index", pa.int32()),
        ("stated_value", pa.float64()),
        ("metric", pa.string()),
        ("intro", pa.string()),
        ("intro_start", pa.int64()),
        ("intro_end", pa.int64()),
        ("stated_start", pa.int64()),
        ("stated_end", pa.int64()),
        ("item_count", pa.int32()),
        ("page", pa.int32()),
    ]
)

ENUMERATION_ITEM_SCHEMA = pa.schema(
    [
        ("document_id", pa.string()),
        ("enumeration_index", pa.int32()),
        ("item_index", pa.int32()),
        ("item", pa.string()),
        ("char_start", pa.int64()),
        ("char_end", pa.int64()),
    ]
)


def load_captures(archive: RawArchive) -> tuple[list[dict], list[StageError]]:
    """Check every capture against its manifest entry (file present, sha256 right)."""
    rows, errors = [], []
    loaded_at = datetime.now(UTC)
    try:
        entries = archive.manifest_entries()
    except (ArchiveError, OSError) as exception:
        error = StageError.from_exception(
            exception, stage="capture", document_id=None, source=str(archive.manifest_path)
        )
        return [], [error]
    for index, entry in enumerate(entries):
        document_id = entry.get("document_id") if isinstance(entry, dict) else None
        try:
            capture = capture_from_entry(entry, index)
            content = archive.read(capture)
        except (ArchiveError, OSError) as exception:
            source = entry.get("path") if isinstance(entry, dict) else None
            errors.append(
                StageError.from_exception(
                    exception,
                    stage="capture",
                    document_id=document_id,
                    source=source or f"{archive.manifest_path} entry #{index + 1}",
                )
            )
            continue
        rows.append(document_row(capture, len(content), loaded_at))
    return rows, errors


def document_row(capture: Capture, size: int, loaded_at: datetime) -> dict:
    return {
        "document_id": capture.document_id,
        "version": 1,
        "source_url": capture.source_url,
        "source_url_note": capture.source_url_note,
        "publisher": capture.publisher,
        "published_on": capture.published_on,
        "published_on_estimated": bool(capture.published_on_estimated),
        "published_on_note": capture.published_on_note,
        "title": capture.title,
        "content_type": capture.content_type,
        "media_type": capture.media_type,
        "sha256": capture.sha256,
        "capture_path": capture.path,
        "size_bytes": size,
        "is_reconstruction": bool(capture.reconstruction),
        "reconstruction_note": capture.reconstruction_note,
        "attached_to": capture.attached_to,
        "captured_at": str(capture.captured_at) if capture.captured_at else None,
        "loaded_at": loaded_at,
    }


def parse_documents(
    archive: RawArchive, documents: list[dict]
) -> tuple[list[dict], list[dict], list[StageError]]:
    """Parse each loaded capture into its main text; a document that fails is recorded and skipped."""
    parsed_rows, page_rows, errors = [], [], []
    for document in documents:
        try:
            content = (archive.root / document["capture_path"]).read_bytes()
            parsed = parse_document(content, document["content_type"])
        except (ParseError, OSError) as exception:
            errors.append(
                StageError.from_exception(
                    exception,
                    stage="parse",
                    document_id=document["document_id"],
                    source=document["capture_path"],
                )
            )
            continue
        parsed_rows.append(
            {
                "document_id": document["document_id"],
                "sha256": document["sha256"],
                "parser_version": PARSER_VERSION,
                "detected_title": parsed.title,
                "text": parsed.text,
                "n_chars": len(parsed.text),
                "n_pages": len(parsed.pages) or None,
            }
        )
        page_rows.extend({"document_id": document["document_id"], **asdict(page)} for page in parsed.pages)
    return parsed_rows, page_rows, errors


def extract_from_documents(
    parsed: list[dict], pages: list[dict]
) -> tuple[list[dict], list[dict], list[dict], list[StageError]]:
    """Extract figures and enumerations from each parsed text, keeping the page of each figure."""
    figures, enumerations, items, errors = [], [], [], []
    pages_by_document: dict[str, list[dict]] = {}
    for page in pages:
        pages_by_document.setdefault(page["document_id"], []).append(page)
    for document in parsed:
        document_id = document["document_id"]
        page_of = page_finder(pages_by_document.get(document_id, []))
        try:
            found_figures = extract_figures(document["text"])
            found_enumerations = extract_enumerations(document["text"], found_figures)
        except Exception as exception:
            errors.append(
                StageError.from_exception(
                    exception, stage="extract", document_id=document_id, source=document_id
                )
            )
            continue
        for index, figure in enumerate(found_figures):
            row = asdict(figure)
            row.update(
                document_id=document_id,
                figure_index=index,
                page=page_of(figure.char_start),
                extractor_version=EXTRACTOR_VERSION,
            )
            figures.append(row)
        for index, enumeration in enumerate(found_enumerations):
            enumerations.append(
                {
                    "document_id": document_id,
                    "enumeration_index": index,
                    "stated_value": enumeration.stated_value,
                    "metric": enumeration.metric,
                    "intro": enumeration.intro,
                    "intro_start": enumeration.intro_start,
                    "intro_end": enumeration.intro_end,
                    "stated_start": enumeration.stated_start,
                    "stated_end": enumeration.stated_end,
                    "item_count": len(enumeration.items),
                    "page": page_of(enumeration.intro_start),
                }
            )
            items.extend(
                {
                    "document_id": document_id,
                    "enumeration_index": index,
                    "item_index": item_index,
                    "item": item,
                    "char_start": start,
                    "char_end": end,
                }
                for item_index, (item, (start, end)) in enumerate(
                    zip(enumeration.items, enumeration.item_spans, strict=True)
                )
            )
    return figures, enumerations, items, errors


def page_finder(pages: list[dict]):
    """Return a lookup from a character offset to its PDF page number (None for HTML)."""

    def page_of(offset: int) -> int | None:
        for page in pages:
            if page["char_start"] <= offset < page["char_end"]:
                return page["page_number"]
        return None

    return page_of
