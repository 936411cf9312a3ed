"""The three Python stages (load captures, parse, extract) as plain functions over rows.

Dagster assets call these, and so can a benchmark's bare loop: the work is the same either way.
Each stage gives its rows and its errors (parse and extraction a batch at a time); one document's failure
never stops the others.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from functools import partial
from typing import Any, NamedTuple

import pyarrow as pa
import yaml

from ingestion.bounded import BoundExceeded, Bounds, run_bounded
from ingestion.capture.archive import ArchiveError, Capture, ManifestSnapshot, RawArchive, capture_from_entry
from ingestion.capture.failures import FailureLog
from ingestion.errors import StageError
from ingestion.parse import ParseError
from ingestion.worker_tasks import extract_text, parse_capture

RECORDED_ERRORS = (ParseError, BoundExceeded, OSError)
"""What a parse may end in for reasons of the file, not of tdi: recorded as the document's error."""

PARSER_VERSION = "4"
EXTRACTOR_VERSION = "5"

DOCUMENT_SCHEMA = pa.schema(
    [
        ("document_id", pa.string()),
        ("version", pa.int32()),
        ("is_latest", pa.bool_()),
        ("source_url", pa.string()),
        ("final_url", pa.string()),
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
        ("first_seen", pa.string()),
        ("last_seen", pa.string()),
        ("http_status", pa.int32()),
        ("http_content_type", pa.string()),
        ("etag", pa.string()),
        ("last_modified", pa.string()),
        ("fetched_at", pa.string()),
        ("loaded_at", pa.timestamp("us", tz="UTC")),
    ]
)

VERSION_COLUMNS = [("version", pa.int32()), ("is_latest", pa.bool_())]
"""Every table derived from a capture says which version of the document it comes from: the marts
read the latest, the audit compares it with the earlier ones."""

PARSED_SCHEMA = pa.schema(
    [
        ("document_id", pa.string()),
        *VERSION_COLUMNS,
        ("sha256", pa.string()),
        ("parser_version", pa.string()),
        ("detected_title", pa.string()),
        ("text", pa.string()),
        ("n_chars", pa.int64()),
        ("n_pages", pa.int32()),
        ("tables_error", pa.string()),
    ]
)

PAGE_SCHEMA = pa.schema(
    [
        ("document_id", pa.string()),
        *VERSION_COLUMNS,
        ("page_number", pa.int32()),
        ("char_start", pa.int64()),
        ("char_end", pa.int64()),
    ]
)

TABLE_SCHEMA = pa.schema(
    [
        ("document_id", pa.string()),
        *VERSION_COLUMNS,
        ("table_index", pa.int32()),
        ("page_first", pa.int32()),
        ("page_last", pa.int32()),
        ("n_rows", pa.int32()),
        ("n_columns", pa.int32()),
        ("caption", pa.string()),
        ("column_roles", pa.list_(pa.string())),
        ("column_unit_multipliers", pa.list_(pa.float64())),
    ]
)
"""One row per table of a document (ingestion/tables): its pages (none for HTML), its size, its caption or the
heading above it, and each column's role and unit multiplier (null where unknown), in column order."""

TABLE_CELL_SCHEMA = pa.schema(
    [
        ("document_id", pa.string()),
        *VERSION_COLUMNS,
        ("table_index", pa.int32()),
        ("row_index", pa.int32()),
        ("column_index", pa.int32()),
        ("row_kind", pa.string()),
        ("column_role", pa.string()),
        ("text", pa.string()),
        ("is_span_copy", pa.bool_()),
        ("page", pa.int32()),
        ("x0", pa.float64()),
        ("top", pa.float64()),
        ("x1", pa.float64()),
        ("bottom", pa.float64()),
    ]
)
"""One row per slot of a table's grid: its row's kind (header, body, total), its column's role, its text on one
line, and for PDFs its page and box in points from the page's top-left corner."""

FIGURE_SCHEMA = pa.schema(
    [
        ("document_id", pa.string()),
        *VERSION_COLUMNS,
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
        *VERSION_COLUMNS,
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
        *VERSION_COLUMNS,
        ("enumeration_index", pa.int32()),
        ("item_index", pa.int32()),
        ("item", pa.string()),
        ("char_start", pa.int64()),
        ("char_end", pa.int64()),
    ]
)


EXTRACTION_SCHEMA = pa.schema(
    [
        ("document_id", pa.string()),
        *VERSION_COLUMNS,
        ("sha256", pa.string()),
        ("parser_version", pa.string()),
        ("extractor_version", pa.string()),
        ("n_figures", pa.int32()),
    ]
)
"""One row per text whose extraction succeeded: what the next run needs to know to reuse it."""


def batches(rows: Iterable, size: int) -> Iterator[list]:
    """Lists of `size` rows (the last shorter), read lazily from any iterable."""
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def rows_by_capture(rows) -> dict[tuple[str, int], list[dict]]:
    grouped: dict[tuple[str, int], list[dict]] = {}
    for row in rows:
        grouped.setdefault((row["document_id"], row["version"]), []).append(row)
    return grouped


def load_captures(archive: RawArchive) -> tuple[list[dict], list[StageError]]:
    rows, errors, _ = load_captures_since(archive, None)
    return rows, errors


def load_captures_since(
    archive: RawArchive, since: ManifestSnapshot | None
) -> tuple[list[dict], list[StageError], ManifestSnapshot | None]:
    """Check every capture against its manifest entry (file present, sha256 right), mark the latest
    version of each document, and bring in the crawl failures not resolved since. `since` is the
    manifest as the last load read it, so that only the entries appended after it are parsed."""
    rows, errors = [], []
    loaded_at = datetime.now(UTC)
    try:
        snapshot = archive.manifest_snapshot(since)
    except (ArchiveError, OSError) as exception:
        error = StageError.from_exception(
            exception, stage="capture", document_id=None, source=str(archive.manifest_path)
        )
        return [], [error, *crawl_failures(archive)], None
    first_entry_of: dict[tuple[str, int], int] = {}
    for index, entry in enumerate(snapshot.entries):
        document_id = entry.get("document_id") if isinstance(entry, dict) else None
        try:
            capture = capture_from_entry(entry, index)
            key = (capture.document_id, capture.version)
            if key in first_entry_of:
                raise duplicate_entry(archive, first_entry_of[key], index, capture)
            first_entry_of[key] = index
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
    mark_latest_versions(rows)
    return rows, [*errors, *crawl_failures(archive)], snapshot


class DuplicateManifestEntry(ArchiveError):
    """Two manifest entries are the same capture (document and version): the later one is not loaded."""


def duplicate_entry(
    archive: RawArchive, first: int, repeated: int, capture: Capture
) -> DuplicateManifestEntry:
    """The error naming both entries by their line in the manifest, so that a person can remove one."""
    lines = manifest_entry_lines(archive)
    return DuplicateManifestEntry(
        f"{archive.manifest_path} line {lines[repeated]} repeats line {lines[first]} "
        f"({capture.document_id} version {capture.version}): remove one of the two entries"
    )


def manifest_entry_lines(archive: RawArchive) -> list[int]:
    """The line where each entry of the manifest's documents list starts (1-based), in order."""
    root = yaml.compose(archive.manifest_path.read_text(encoding="utf-8"))
    documents = next(value for key, value in root.value if key.value == "documents")
    return [node.start_mark.line + 1 for node in documents.value]


def keep_first_load_times(rows: list[dict], loaded_before: list[dict]) -> None:
    """A capture already in the warehouse keeps the time it was first loaded: a rerun on the same
    archive then writes the same rows, and dbt sees nothing new to build (orchestration/build_state.py)."""
    first_loaded = {(r["document_id"], r["version"], r["sha256"]): r["loaded_at"] for r in loaded_before}
    for row in rows:
        row["loaded_at"] = first_loaded.get(
            (row["document_id"], row["version"], row["sha256"]), row["loaded_at"]
        )


def mark_latest_versions(rows: list[dict]) -> None:
    """The latest loaded version of each document is the one the marts read."""
    latest: dict[str, int] = {}
    for row in rows:
        latest[row["document_id"]] = max(latest.get(row["document_id"], 0), row["version"])
    for row in rows:
        row["is_latest"] = row["version"] == latest[row["document_id"]]


def crawl_failures(archive: RawArchive) -> list[StageError]:
    """The URLs crawls could not capture and that no later crawl captured, as errors of their stage."""
    log = FailureLog(archive.root)
    try:
        failures = log.unresolved()
    except (ArchiveError, OSError) as exception:
        return [StageError.from_exception(exception, stage="capture", document_id=None, source=str(log.path))]
    return [
        StageError(
            document_id=None,
            source=failure["url"],
            stage=failure.get("stage", "fetch"),
            error_class=failure["error_class"],
            message=failure_message(failure),
            recorded_at=datetime.fromisoformat(str(failure["last_seen"])),
        )
        for failure in failures
    ]


def failure_message(failure: dict) -> str:
    seen = f"seen {failure.get('times', 1)} time(s) since {failure.get('first_seen')}"
    found_on = f", linked from {failure['found_on']}" if failure.get("found_on") else ""
    return f"{failure.get('message', '')} ({seen}{found_on}; crawl source {failure.get('crawl_source')})"


def document_row(capture: Capture, size: int, loaded_at: datetime) -> dict:
    return {
        "document_id": capture.document_id,
        "version": capture.version,
        "is_latest": True,
        "source_url": capture.source_url,
        "final_url": capture.final_url,
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
        "captured_at": text_or_none(capture.captured_at),
        "first_seen": text_or_none(capture.first_seen or capture.captured_at),
        "last_seen": text_or_none(capture.last_seen or capture.captured_at),
        "http_status": capture.http_status,
        "http_content_type": capture.http_content_type,
        "etag": capture.etag,
        "last_modified": capture.last_modified,
        "fetched_at": text_or_none(capture.fetched_at),
        "loaded_at": loaded_at,
    }


def text_or_none(value) -> str | None:
    """YAML reads an unquoted timestamp as a datetime: the warehouse keeps the text the manifest holds."""
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def version_of(row: dict) -> dict:
    return {"document_id": row["document_id"], "version": row["version"], "is_latest": row["is_latest"]}


class ParsedBatch(NamedTuple):
    """What a batch of captures gave: their texts, PDF pages, tables and table cells, and the errors."""

    parsed: list[dict]
    pages: list[dict]
    tables: list[dict]
    cells: list[dict]
    errors: list[StageError]


def parse_documents(
    archive: RawArchive, documents: Iterable[dict], batch_size: int, bounds: Bounds | None = None
) -> Iterator[ParsedBatch]:
    """Parse each loaded capture into its main text and its tables in a bounded worker, and yield what each
    `batch_size` documents gave; a document that fails or goes past its bounds is recorded and skipped."""
    outcomes = run_bounded(parse_capture, documents, bounds, arguments_of=partial(parse_arguments, archive))
    for batch in batches(outcomes, batch_size):
        yield parse_rows(batch)


def parse_arguments(archive: RawArchive, document: dict) -> tuple[str, str]:
    return str(archive.root / document["capture_path"]), document["content_type"]


def parse_rows(outcomes: list[tuple[dict, Any]]) -> ParsedBatch:
    parsed_rows, page_rows, table_rows, cell_rows, errors = [], [], [], [], []
    for document, outcome in outcomes:
        if isinstance(outcome, BaseException):
            errors.append(stage_error(outcome, "parse", document["document_id"], document["capture_path"]))
            continue
        summary, pages = outcome
        parsed_rows.append(
            {
                **version_of(document),
                "sha256": document["sha256"],
                "parser_version": PARSER_VERSION,
                "detected_title": summary["title"],
                "text": summary["text"],
                "n_chars": len(summary["text"]),
                "n_pages": len(pages) or None,
                "tables_error": summary["tables_error"],
            }
        )
        page_rows.extend({**version_of(document), **page} for page in pages)
        for index, table in enumerate(summary["tables"]):
            table_rows.append({**version_of(document), **table_row(index, table)})
            cell_rows.extend({**version_of(document), **cell} for cell in cell_rows_of(index, table))
    return ParsedBatch(parsed_rows, page_rows, table_rows, cell_rows, errors)


def table_row(index: int, table: dict) -> dict:
    """A table's row of raw.tables, from the table as the worker gave it (ingestion/tables/model.py as dicts)."""
    pages = [cell["page"] for row in table["rows"] for cell in row if cell["page"] is not None]
    return {
        "table_index": index,
        "page_first": min(pages, default=None),
        "page_last": max(pages, default=None),
        "n_rows": len(table["rows"]),
        "n_columns": len(table["columns"]),
        "caption": table["caption"],
        "column_roles": [column["role"] for column in table["columns"]],
        "column_unit_multipliers": [column["unit_multiplier"] for column in table["columns"]],
    }


def cell_rows_of(index: int, table: dict) -> Iterator[dict]:
    """A table's rows of raw.table_cells, one per slot of its grid."""
    for row_index, (row, kind) in enumerate(zip(table["rows"], table["kinds"], strict=True)):
        for column_index, (cell, column) in enumerate(zip(row, table["columns"], strict=True)):
            x0, top, x1, bottom = cell["bbox"] or (None, None, None, None)
            yield {
                "table_index": index,
                "row_index": row_index,
                "column_index": column_index,
                "row_kind": kind,
                "column_role": column["role"],
                "text": cell["text"],
                "is_span_copy": cell["is_span_copy"],
                "page": cell["page"],
                "x0": x0,
                "top": top,
                "x1": x1,
                "bottom": bottom,
            }


def stage_error(outcome: BaseException, stage: str, document_id: str, source: str) -> StageError:
    """Errors a stage expects become rows; anything else is a bug in tdi and is raised, not recorded."""
    if isinstance(outcome, RECORDED_ERRORS):
        return StageError.from_exception(outcome, stage=stage, document_id=document_id, source=source)
    raise outcome


class ExtractedBatch(NamedTuple):
    """What a batch of texts gave, with the texts themselves: raw.extractions records which were extracted."""

    texts: list[dict]
    figures: list[dict]
    enumerations: list[dict]
    items: list[dict]
    errors: list[StageError]


def extract_from_documents(
    texts_with_pages: Iterable[tuple[dict, list[dict]]], batch_size: int, bounds: Bounds | None = None
) -> Iterator[ExtractedBatch]:
    """Extract figures and enumerations from each parsed text (with its PDF pages) in a bounded worker,
    keeping the page of each figure, and yield what each `batch_size` texts gave."""
    outcomes = run_bounded(extract_text, texts_with_pages, bounds, arguments_of=text_argument)
    for batch in batches(outcomes, batch_size):
        yield extracted_batch(batch)


def text_argument(text_with_pages: tuple[dict, list[dict]]) -> tuple[str]:
    return (text_with_pages[0]["text"],)


def with_their_pages(texts: Iterable[dict], pages: list[dict]) -> Iterator[tuple[dict, list[dict]]]:
    """Each parsed text with the rows of its PDF pages (none for HTML)."""
    pages_by_capture = rows_by_capture(pages)
    for text in texts:
        yield text, pages_by_capture.get((text["document_id"], text["version"]), [])


def extracted_batch(outcomes: list[tuple[tuple[dict, list[dict]], Any]]) -> ExtractedBatch:
    figures, enumerations, items, errors = [], [], [], []
    for (document, pages), outcome in outcomes:
        document_id = document["document_id"]
        if isinstance(outcome, BaseException):
            errors.append(extraction_error(outcome, document_id))
            continue
        found_figures, found_enumerations = outcome
        version = version_of(document)
        page_of = page_finder(pages)
        for index, figure in enumerate(found_figures):
            figures.append(
                {
                    **figure,
                    **version,
                    "figure_index": index,
                    "page": page_of(figure["char_start"]),
                    "extractor_version": EXTRACTOR_VERSION,
                }
            )
        for index, enumeration in enumerate(found_enumerations):
            enumerations.append(
                {
                    **version,
                    "enumeration_index": index,
                    "stated_value": enumeration["stated_value"],
                    "metric": enumeration["metric"],
                    "intro": enumeration["intro"],
                    "intro_start": enumeration["intro_start"],
                    "intro_end": enumeration["intro_end"],
                    "stated_start": enumeration["stated_start"],
                    "stated_end": enumeration["stated_end"],
                    "item_count": len(enumeration["items"]),
                    "page": page_of(enumeration["intro_start"]),
                }
            )
            items.extend(
                {
                    **version,
                    "enumeration_index": index,
                    "item_index": item_index,
                    "item": item,
                    "char_start": start,
                    "char_end": end,
                }
                for item_index, (item, (start, end)) in enumerate(
                    zip(enumeration["items"], enumeration["item_spans"], strict=True)
                )
            )
    return ExtractedBatch([document for (document, _), _ in outcomes], figures, enumerations, items, errors)


def extraction_rows(parsed: list[dict], figures: list[dict], errors: list[StageError]) -> list[dict]:
    """The texts whose extraction succeeded, with what the extraction depended on."""
    failed = {error.document_id for error in errors}
    counts: dict[tuple[str, int], int] = {}
    for figure in figures:
        key = (figure["document_id"], figure["version"])
        counts[key] = counts.get(key, 0) + 1
    return [
        {
            **version_of(document),
            "sha256": document["sha256"],
            "parser_version": document["parser_version"],
            "extractor_version": EXTRACTOR_VERSION,
            "n_figures": counts.get((document["document_id"], document["version"]), 0),
        }
        for document in parsed
        if document["document_id"] not in failed
    ]


def extraction_error(outcome: BaseException, document_id: str) -> StageError:
    """Extraction has no expected failures on a parsed text: any error is recorded against the
    document (the run goes on), with its class naming what broke."""
    return StageError.from_exception(outcome, stage="extract", document_id=document_id, source=document_id)


def page_finder(pages: list[dict]):
    """Return a lookup from a character offset to its PDF page number (None for HTML)."""

    def page_of(offset: int) -> int | None:
        for page in pages:
            if page["char_start"] <= offset < page["char_end"]:
                return page["page_number"]
        return None

    return page_of
