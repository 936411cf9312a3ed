"""A crawl as `tdi crawl` and the Dagster schedule run it: each source crawled in turn, its failures
recorded in the archive (so that the next `tdi run` shows them in audit.ingestion_errors), and a
report a person can read.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from ingestion.capture.archive import RawArchive
from ingestion.capture.crawl import CrawlReport, crawl
from ingestion.capture.failures import FailureLog
from ingestion.capture.fetch import FetchPolicy
from ingestion.capture.sources import SourceConfig


@dataclass(frozen=True)
class SourceCrawl:
    source: SourceConfig
    report: CrawlReport


def crawl_source(
    source: SourceConfig,
    archive: RawArchive,
    *,
    policy: FetchPolicy | None = None,
    max_pages: int | None = None,
    since: date | None = None,
) -> SourceCrawl:
    """Crawl one source and record its failures; a failure of one URL never stops the others."""
    report = crawl(
        source.listing_url,
        source.match,
        archive,
        source=source,
        policy=policy,
        max_pages=max_pages,
        since=since,
    )
    FailureLog(archive.root).record(report, source.name)
    return SourceCrawl(source, report)


def summary_counts(crawls: list[SourceCrawl]) -> dict[str, int]:
    totals: Counter[str] = Counter()
    for item in crawls:
        report = item.report
        totals["listing pages"] += len(report.listing_pages)
        totals["captured"] += len(report.captured)
        totals["unchanged"] += len(report.unchanged)
        totals["skipped"] += len(report.skipped)
        totals["failed"] += len(report.failed)
    return dict(totals)


def render(crawls: list[SourceCrawl], *, show_skipped: bool = False) -> str:
    """What each source's crawl did, URL by URL for what changed or failed."""
    lines = []
    for item in crawls:
        report = item.report
        lines.append(
            f"{item.source.name}: {len(report.listing_pages)} listing page(s), {len(report.captured)} captured, "
            f"{len(report.unchanged)} unchanged, {len(report.skipped)} skipped, {len(report.failed)} failed"
        )
        lines.extend(
            f"  + {captured.url} → {captured.document_id} v{captured.version}"
            + (f" (attached to {captured.attached_to})" if captured.attached_to else "")
            for captured in report.captured
        )
        lines.extend(
            f"  ! {failed.url} [{failed.stage}] {failed.error_class}: {failed.message}"
            for failed in report.failed
        )
        if show_skipped:
            lines.extend(f"  - {skipped.url}: {skipped.reason}" for skipped in report.skipped)
    return "\n".join(lines)
