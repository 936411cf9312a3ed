"""The record of URLs a crawl could not capture, kept beside the manifest in `fetch_failures.yml`.

The warehouse is rebuilt from raw/ on every run, so a crawl's failures must live in raw/ too, or
they would be lost with the run that saw them. One entry per URL and error class: the same failure
seen again moves its `last_seen` and counts one more time, so that a rerun adds no rows; a URL
captured later gets `resolved_at` and leaves `audit.ingestion_errors`, but stays in the file as
history. Written whole through an atomic rename, like the manifest.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import yaml

from ingestion.capture.archive import YAML_LOADER, ArchiveError, write_atomically
from ingestion.capture.crawl import CrawlReport

FAILURES_NAME = "fetch_failures.yml"
HEADER = (
    "# URLs a crawl could not capture, written by ingestion/capture/failures.py.\n"
    "# One entry per URL and error class; `resolved_at` is set when the URL is captured later.\n"
)


class FailureLog:
    def __init__(self, root: Path | str):
        self.path = Path(root) / FAILURES_NAME

    def entries(self) -> list[dict]:
        if not self.path.exists():
            return []
        try:
            data = yaml.load(self.path.read_text(encoding="utf-8"), Loader=YAML_LOADER) or {}
        except yaml.YAMLError as error:
            raise ArchiveError(f"{self.path} is not valid YAML: {error}") from error
        failures = data.get("failures") if isinstance(data, dict) else None
        if not isinstance(failures, list) or not all(isinstance(entry, dict) for entry in failures):
            raise ArchiveError(f"{self.path}: expected a list of mappings under 'failures'")
        return failures

    def unresolved(self) -> list[dict]:
        return [entry for entry in self.entries() if not entry.get("resolved_at")]

    def record(self, report: CrawlReport, source_name: str, seen_at: str | None = None) -> None:
        """Add the report's failures (or count them again) and resolve those of the URLs it captured."""
        seen_at = seen_at or datetime.now(UTC).isoformat(timespec="seconds")
        entries = self.entries()
        open_by_key = {
            (entry["url"], entry["error_class"]): entry for entry in entries if not entry.get("resolved_at")
        }
        for item in report.failed:
            entry = open_by_key.get((item.url, item.error_class))
            if entry is None:
                entry = {"url": item.url, "error_class": item.error_class, "first_seen": seen_at, "times": 0}
                entries.append(entry)
                open_by_key[(item.url, item.error_class)] = entry
            entry.update(
                stage=item.stage,
                message=item.message,
                found_on=item.found_on,
                crawl_source=source_name,
                last_seen=seen_at,
                times=entry["times"] + 1,
            )
        succeeded = {
            *report.listing_pages,
            *(item.url for item in report.captured),
            *(item.url for item in report.unchanged),
        }
        for entry in entries:
            if entry["url"] in succeeded and not entry.get("resolved_at"):
                entry["resolved_at"] = seen_at
        if entries:
            self.write(entries)

    def write(self, entries: list[dict]) -> None:
        text = HEADER + yaml.safe_dump({"failures": entries}, allow_unicode=True, sort_keys=False)
        write_atomically(self.path, text.encode("utf-8"))
