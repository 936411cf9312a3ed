"""A crawl as `tdi crawl` and the Dagster schedule run it: each source crawled in turn, all of them
within one limit of articles, its failures and any limit reached recorded in the archive (so that the
next `tdi run` shows them in audit.ingestion_errors), each URL's outcome handed to the caller as it
goes, and a report a person can read. A fetch_failures.yml that cannot be read stops a source's crawl
before its first request (FailureLogError).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ingestion import settings
from ingestion.capture.archive import RawArchive
from ingestion.capture.crawl import (
    ArticleLimit,
    CapturedItem,
    CrawlReport,
    FailedItem,
    Outcome,
    SkippedItem,
    UnchangedItem,
    crawl,
)
from ingestion.capture.failures import FailureLog
from ingestion.capture.fetch import FetchPolicy
from ingestion.capture.sources import SourceConfig


@dataclass(frozen=True)
class SourceCrawl:
    source: SourceConfig
    report: CrawlReport


def crawl_sources(
    sources: list[SourceConfig],
    archive: RawArchive,
    *,
    policy: FetchPolicy | None = None,
    max_pages: int | None = None,
    max_articles: int | None = None,
    max_articles_total: int | None = None,
    since: date | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> list[SourceCrawl]:
    """Crawl each source in turn: together they request at most `max_articles_total` articles (default
    CRAWL_MAX_ARTICLES), each at most `max_articles` (default: the source's own limit)."""
    total = ArticleLimit("per crawl", max_articles_total or settings.CRAWL_MAX_ARTICLES)
    return [
        crawl_source(
            source,
            archive,
            policy=policy,
            max_pages=max_pages,
            max_articles=max_articles,
            since=since,
            crawl_limit=total,
            on_outcome=on_outcome,
        )
        for source in sources
    ]


def crawl_source(
    source: SourceConfig,
    archive: RawArchive,
    *,
    policy: FetchPolicy | None = None,
    max_pages: int | None = None,
    max_articles: int | None = None,
    since: date | None = None,
    crawl_limit: ArticleLimit | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> SourceCrawl:
    """Crawl one source and record its failures: a failure of one URL never stops the others, and a
    fetch_failures.yml that cannot be read stops the crawl before its first request."""
    failures = FailureLog(archive.root)
    failures.check()
    report = crawl(
        source.listing_url,
        source.match,
        archive,
        source=source,
        policy=policy,
        max_pages=max_pages,
        max_articles=max_articles,
        since=since,
        crawl_limit=crawl_limit,
        on_outcome=on_outcome,
    )
    failures.record(report, source.name)
    return SourceCrawl(source, report)


def outcome_line(item: Outcome) -> str:
    """One line for a URL as the crawl goes: what happened to it and, when it was not captured, why."""
    match item:
        case CapturedItem():
            attached = f" (attached to {item.attached_to})" if item.attached_to else ""
            return f"captured  {item.url} → {item.document_id} v{item.version}{attached}"
        case UnchangedItem():
            return f"unchanged {item.url} ({item.confirmed_by})"
        case SkippedItem():
            return f"skipped   {item.url}: {item.reason}"
        case FailedItem():
            return f"failed    {item.url} [{item.stage}] {item.error_class}: {item.message}"


def summary_counts(crawls: list[SourceCrawl]) -> dict[str, int]:
    totals: Counter[str] = Counter()
    for item in crawls:
        report = item.report
        totals["listing pages"] += len(report.listing_pages)
        totals["captured"] += len(report.captured)
        totals["unchanged"] += len(report.unchanged)
        totals["skipped"] += len(report.skipped)
        totals["failed"] += len(report.failed)
        totals["limits reached"] += report.limit_reached is not None
    return dict(totals)


def render(crawls: list[SourceCrawl], *, show_urls: bool = True, show_skipped: bool = False) -> str:
    """What each source's crawl did and the limit it reached, if any; with `show_urls`, URL by URL for what
    changed or failed (and with `show_skipped`, what was skipped and why)."""
    lines = []
    for item in crawls:
        report = item.report
        lines.append(
            f"{item.source.name}: {len(report.listing_pages)} listing page(s), {len(report.captured)} captured, "
            f"{len(report.unchanged)} unchanged, {len(report.skipped)} skipped, {len(report.failed)} failed"
        )
        if report.limit_reached:
            lines.append(f"  limit reached: {report.limit_reached.message}")
        if not show_urls:
            continue
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
