"""The record of URLs a crawl could not capture, kept beside the manifest in `fetch_failures.yml`.

The warehouse is rebuilt from raw/ on every run, so a crawl's failures must live in raw/ too, or
they would be lost with the run that saw them. One entry per URL and error class: the same failure
seen again moves its `last_seen` and counts one more time, so that a rerun adds no rows; a URL
captured later gets `resolved_at` and leaves `audit.ingestion_errors`, but stays in the file as
history. A crawl that reached one of its limits is recorded the same way, as a `CrawlLimitReached`
error of its listing, resolved by a later crawl of the listing that stays within its limits.

The file is read, changed and written whole (through an atomic rename) under the archive's lock, so
that two crawls and `tdi add` at once lose nothing. A file that cannot be read raises FailureLogError:
a crawl checks it before its first request, rather than find out once its failures are due.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import yaml

from ingestion.capture.archive import YAML_LOADER, ArchiveError, RawArchive, write_atomically, yaml_problem
from ingestion.capture.crawl import CrawlReport, FailedItem

FAILURES_NAME = "fetch_failures.yml"
HEADER = (
    "# URLs a crawl could not capture, written by ingestion/capture/failures.py.\n"
    "# One entry per URL and error class; `resolved_at` is set when the URL is captured later.\n"
)


class FailureLogError(ArchiveError):
    """fetch_failures.yml cannot be read; the message says where and how to go on."""


class FailureLog:
    def __init__(self, root: Path | str):
        self.archive = RawArchive(root)
        self.path = Path(root) / FAILURES_NAME

    def entries(self) -> list[dict]:
        """Every entry; FailureLogError when the file is not a list of failures under 'failures'."""
        if not self.path.exists():
            return []
        try:
            data = yaml.load(self.path.read_text(encoding="utf-8"), Loader=YAML_LOADER) or {}
        except yaml.YAMLError as error:
            raise self.unreadable(f"not valid YAML ({yaml_problem(error)})") from error
        except (OSError, UnicodeDecodeError) as error:
            raise self.unreadable(str(error)) from error
        failures = data.get("failures") if isinstance(data, dict) else None
        if not isinstance(failures, list):
            raise self.unreadable("no list under 'failures'")
        for number, entry in enumerate(failures, start=1):
            if not well_formed(entry):
                raise self.unreadable(f"failure #{number} needs a url, an error_class, times and last_seen")
        return failures

    def unreadable(self, reason: str) -> FailureLogError:
        return FailureLogError(f"{self.path} cannot be read ({reason})")

    def check(self) -> None:
        """Raise FailureLogError now when the file cannot be read, so that a crawl stops before its first
        request rather than lose its failures at the end."""
        try:
            self.entries()
        except FailureLogError as error:
            raise FailureLogError(
                f"{error}: the crawl stopped before its first request; repair the file, or move it away to "
                "start a new one, and crawl again"
            ) from error

    def unresolved(self) -> list[dict]:
        return [entry for entry in self.entries() if not entry.get("resolved_at")]

    def record(self, report: CrawlReport, source_name: str, seen_at: str | None = None) -> None:
        """Add the report's failures and limit reached (or count them again), and resolve the earlier
        failures of the URLs it read, all under the archive's lock: a concurrent crawl's are kept."""
        seen_at = seen_at or datetime.now(UTC).isoformat(timespec="seconds")
        failed = [*report.failed, *([report.limit_reached.as_failure()] if report.limit_reached else [])]
        with self.archive.lock():
            entries = self.entries()
            count_failures(entries, failed, source_name, seen_at)
            resolve(
                entries, succeeded_urls(report), {(item.url, item.error_class) for item in failed}, seen_at
            )
            if entries:
                self.write(entries)

    def write(self, entries: list[dict]) -> None:
        text = HEADER + yaml.safe_dump({"failures": entries}, allow_unicode=True, sort_keys=False)
        write_atomically(self.path, text.encode("utf-8"))


def well_formed(entry: object) -> bool:
    """An entry a crawl can count again and a run can report: a url, an error_class, an integer of times
    and a last_seen."""
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("url"), str)
        and isinstance(entry.get("error_class"), str)
        and isinstance(entry.get("times"), int)
        and entry.get("last_seen") is not None
    )


def count_failures(entries: list[dict], failed: list[FailedItem], source_name: str, seen_at: str) -> None:
    """A new entry for each failure not yet open, one more time for each failure already open."""
    open_by_key = {
        (entry["url"], entry["error_class"]): entry for entry in entries if not entry.get("resolved_at")
    }
    for item in failed:
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


def succeeded_urls(report: CrawlReport) -> set[str]:
    """The URLs the crawl read: its listing pages, and what it captured or found unchanged."""
    return {
        *report.listing_pages,
        *(item.url for item in report.captured),
        *(item.url for item in report.unchanged),
    }


def resolve(
    entries: list[dict], succeeded: set[str], failing_now: set[tuple[str, str]], seen_at: str
) -> None:
    """Resolve the open failures of the URLs read, but not one the same crawl saw again (a listing read,
    whose limit was reached again)."""
    for entry in entries:
        key = (entry["url"], entry["error_class"])
        if entry["url"] in succeeded and key not in failing_now and not entry.get("resolved_at"):
            entry["resolved_at"] = seen_at
