"""Crawling a news listing into the raw archive: the articles whose entry matches, and their PDFs.

A crawl reads a listing page and the pages after it (at most `max_pages`, in page order), follows
the entries whose text matches the source's regex, captures each article and the PDFs it offers,
and registers them with what the HTTP answer said (final URL, status, ETag, Last-Modified,
Content-Type, Content-Length, fetch time) and what the page says (title, publication date,
publisher).

Politeness and safety: every request, redirect hops included, is admitted first. Its host must be
one the source allows, with a public address unless the source names that address (URLGuard); the
site's robots.txt must allow it; and the host's delay must have passed since the last request.
Documents already in the archive are asked for conditionally (If-None-Match, If-Modified-Since from
their latest capture), so an unchanged article or PDF is not downloaded again. Listing pages are
read in full every time: they are how new articles are found, and the archive keeps documents, not
navigation.

Nothing but the end of the listing stops a crawl: a URL that fails is recorded in the report with
its stage and error class (a FetchError or ArchiveError subclass), and the crawl goes on.
"""

from __future__ import annotations

import heapq
import itertools
import re
import textwrap
from dataclasses import dataclass, field
from datetime import date

import requests
from bs4 import BeautifulSoup

from ingestion.capture.archive import ArchiveError, Capture, RawArchive, check_media_type, sha256_of
from ingestion.capture.errors import FetchError, UnexpectedMediaType, URLRefused
from ingestion.capture.fetch import FetchPolicy, FetchResponse, build_session, fetch
from ingestion.capture.guard import URLGuard, host_of
from ingestion.capture.page import (
    ArticleFacts,
    Link,
    article_facts,
    attachment_links,
    listing_entries,
    normalised,
    page_number,
    pagination_links,
    soup_of,
)
from ingestion.capture.politeness import HostThrottle, RobotsRules
from ingestion.capture.sources import SourceConfig
from ingestion.media import HTML, PDF

GENERIC_CONTENT_TYPES = {
    "",
    "application/octet-stream",
    "binary/octet-stream",
    "application/force-download",
    "application/x-download",
    "application/download",
}
"""Served for files a server does not know how to name (PDFs often): they declare nothing, so the bytes say."""

NOT_MODIFIED = "304 Not Modified"
SAME_BYTES = "same sha256"


@dataclass(frozen=True)
class CapturedItem:
    """A new capture: a URL never captured before (version 1) or one whose bytes changed (version n)."""

    url: str
    document_id: str
    version: int
    sha256: str
    path: str
    attached_to: str | None = None


@dataclass(frozen=True)
class UnchangedItem:
    """A URL whose latest capture is still what the server serves; only its last_seen moved."""

    url: str
    document_id: str
    version: int
    confirmed_by: str
    """NOT_MODIFIED (the server said so, no body sent) or SAME_BYTES (downloaded, same sha256)."""


@dataclass(frozen=True)
class SkippedItem:
    """A URL the crawl chose not to capture: not matching, published before `since`, off-host, robots…"""

    url: str
    reason: str
    found_on: str | None = None


@dataclass(frozen=True)
class FailedItem:
    """A URL the crawl tried and could not capture."""

    url: str
    stage: str
    """"fetch" (a FetchError: HTTP status, timeout, redirect, size…) or "capture" (an ArchiveError:
    content type lie, unsupported type, archive problem)."""
    error_class: str
    message: str
    found_on: str | None = None


@dataclass
class CrawlReport:
    listing_url: str
    listing_pages: list[str] = field(default_factory=list)
    captured: list[CapturedItem] = field(default_factory=list)
    unchanged: list[UnchangedItem] = field(default_factory=list)
    skipped: list[SkippedItem] = field(default_factory=list)
    failed: list[FailedItem] = field(default_factory=list)


@dataclass(frozen=True)
class Description:
    """What the archive records about a document besides its bytes and the HTTP answer."""

    title: str
    publisher: str
    published_on: date
    published_on_estimated: bool
    published_on_note: str


def crawl(
    listing_url: str,
    match: str,
    archive: RawArchive,
    *,
    max_pages: int | None = None,
    since: date | None = None,
    source: SourceConfig | None = None,
    policy: FetchPolicy | None = None,
    session: requests.Session | None = None,
) -> CrawlReport:
    """Crawl one listing. `source` brings allowed hosts, publisher and delay (default: the listing's
    host only, the settings' delay); `max_pages` and `since`, when given, outrank the source's."""
    source = source or SourceConfig(name=host_of(listing_url), listing_url=listing_url, match=match)
    crawler = Crawler(
        listing_url,
        archive,
        source,
        pattern=re.compile(match, re.IGNORECASE),
        since=since if since is not None else source.since,
        policy=policy or FetchPolicy(),
        session=session,
    )
    return crawler.run(max_pages or source.max_pages)


class Crawler:
    """One crawl's state: the politeness rules learnt so far, the URLs seen, the report."""

    def __init__(
        self,
        listing_url: str,
        archive: RawArchive,
        source: SourceConfig,
        *,
        pattern: re.Pattern,
        since: date | None,
        policy: FetchPolicy,
        session: requests.Session | None,
    ):
        self.archive = archive
        self.source = source
        self.pattern = pattern
        self.since = since
        self.policy = policy
        self.session = session or build_session(policy)
        self.guard = URLGuard(source.allowed_hosts)
        self.throttle = HostThrottle(source.delay_seconds)
        self.robots = RobotsRules(self.fetch_robots_txt, policy.user_agent)
        self.seen: set[str] = set()
        self.report = CrawlReport(normalised(listing_url))

    def run(self, max_pages: int) -> CrawlReport:
        """Read listing pages in page order (?page=N, or the page after the current one for a
        "next" link), at most max_pages; the pages left unread are reported as skipped."""
        first = self.report.listing_url
        order = itertools.count()
        pending = [(page_number(first) or 0, next(order), first)]
        queued = {first}
        read = 0
        while pending:
            number, _, page_url = heapq.heappop(pending)
            if read >= max_pages:
                self.skip(page_url, f"listing page beyond max_pages ({max_pages})")
                continue
            read += 1
            listing = self.read_listing(page_url)
            if listing is None:
                continue
            soup, base = listing
            pages = [url for url in pagination_links(soup, base) if url not in queued]
            for entry in listing_entries(soup, base):
                if entry.url not in queued and entry.url not in pages:
                    self.consider_article(entry, page_url)
            for url in pages:
                if self.admissible(url, page_url):
                    queued.add(url)
                    stated = page_number(url)
                    heapq.heappush(pending, (number + 1 if stated is None else stated, next(order), url))
        return self.report

    def read_listing(self, url: str) -> tuple[BeautifulSoup, str] | None:
        """The listing page parsed, and the URL its links are relative to (where redirects led)."""
        if not self.admissible(url, None):
            return None
        try:
            response = self.get(url)
            if check_media_type(response.content, declared_type(response), response.url) != HTML:
                raise UnexpectedMediaType(f"{url}: a listing page should be HTML, this one is not")
        except (FetchError, ArchiveError) as error:
            self.fail(url, error, None)
            return None
        self.report.listing_pages.append(url)
        return soup_of(response.content, response.content_type), response.final_url

    def consider_article(self, entry: Link, found_on: str) -> None:
        if entry.url in self.seen:
            return
        self.seen.add(entry.url)
        if not self.pattern.search(entry.context or entry.text):
            words = textwrap.shorten(entry.text or entry.context, 80) or "(no text)"
            self.skip(entry.url, f"entry “{words}” does not match {self.pattern.pattern!r}", found_on)
            return
        if self.before_since(entry.published_on):
            self.skip(
                entry.url, f"published on {entry.published_on} (listing), before {self.since}", found_on
            )
            return
        if not self.admissible(entry.url, found_on):
            return
        try:
            article = self.capture_article(entry, found_on)
        except (FetchError, ArchiveError) as error:
            self.fail(entry.url, error, found_on)
            return
        if article is None:
            return
        capture, content = article
        if capture.media_type == HTML:
            for link in attachment_links(
                soup_of(content, capture.content_type), capture.final_url or entry.url
            ):
                self.consider_attachment(link, capture)

    def capture_article(self, entry: Link, found_on: str) -> tuple[Capture, bytes] | None:
        """The article's capture (new, or confirmed unchanged) and its bytes; None when it was
        published before `since`."""
        latest = self.archive.latest_capture_for(entry.url)
        response = self.get(entry.url, latest)
        if response.not_modified:
            if self.before_since(latest.published_on):
                self.skip(entry.url, f"published on {latest.published_on}, before {self.since}", found_on)
                return None
            return self.confirm(entry.url, response, NOT_MODIFIED), self.archive.read(latest)
        media_type = check_media_type(response.content, declared_type(response), response.url)
        facts = (
            article_facts(soup_of(response.content, response.content_type)) if media_type == HTML else None
        )
        description = self.describe_article(entry, response, facts)
        if self.before_since(description.published_on):
            self.skip(entry.url, f"published on {description.published_on}, before {self.since}", found_on)
            return None
        return self.keep(entry.url, response, description, latest), response.content

    def describe_article(
        self, entry: Link, response: FetchResponse, facts: ArticleFacts | None
    ) -> Description:
        """Title, publisher and date from the page, else from the listing entry, else stand-ins that
        say so (the host; a date guessed from the text or the capture date, marked as estimated)."""
        if facts and facts.published_on and not facts.published_on_estimated:
            published_on, estimated = facts.published_on, False
            note = f"read from {facts.published_on_source}"
        elif entry.published_on:
            published_on, estimated, note = entry.published_on, False, "stated by the listing entry"
        elif facts and facts.published_on:
            published_on, estimated = facts.published_on, True
            note = f"no stated publication date: {facts.published_on_source}"
        else:
            published_on, estimated = date.fromisoformat(response.fetched_at[:10]), True
            note = "no date on the page or in its listing entry: the capture date stands in"
        return Description(
            title=(facts and facts.title) or entry.text or response.final_url,
            publisher=self.source.publisher or (facts and facts.site_name) or host_of(response.final_url),
            published_on=published_on,
            published_on_estimated=estimated,
            published_on_note=note,
        )

    def consider_attachment(self, link: Link, article: Capture) -> None:
        if link.url in self.seen:
            return
        self.seen.add(link.url)
        if not self.admissible(link.url, article.source_url):
            return
        try:
            self.capture_attachment(link, article)
        except (FetchError, ArchiveError) as error:
            self.fail(link.url, error, article.source_url)

    def capture_attachment(self, link: Link, article: Capture) -> None:
        latest = self.archive.latest_capture_for(link.url)
        response = self.get(link.url, latest)
        if response.not_modified:
            self.confirm(link.url, response, NOT_MODIFIED)
            return
        media_type = check_media_type(response.content, declared_type(response), response.url)
        if media_type != PDF:
            raise UnexpectedMediaType(
                f"{link.url}: offered as a document (“{link.text}”) but served {media_type}, not a PDF"
            )
        description = Description(
            title=article.title,
            publisher=article.publisher,
            published_on=article.published_on,
            published_on_estimated=article.published_on_estimated,
            published_on_note=f"the date of the page it is attached to ({article.document_id})",
        )
        self.keep(
            link.url, response, description, latest, attached_to=article.document_id, link_text=link.text
        )

    def keep(
        self,
        url: str,
        response: FetchResponse,
        description: Description,
        latest: Capture | None,
        *,
        attached_to: str | None = None,
        link_text: str | None = None,
    ) -> Capture:
        """Add the downloaded bytes as a new capture, or confirm the latest one when they are the same."""
        if latest is not None and latest.sha256 == sha256_of(response.content):
            return self.confirm(url, response, SAME_BYTES)
        extra = {"crawl_source": self.source.name}
        if link_text:
            extra["link_text"] = link_text
        capture = self.archive.add(
            response.content,
            source_url=url,
            publisher=description.publisher,
            published_on=description.published_on,
            title=description.title,
            content_type=declared_type(response),
            published_on_estimated=description.published_on_estimated,
            published_on_note=description.published_on_note,
            attached_to=attached_to,
            final_url=response.final_url,
            http_status=response.status,
            http_content_type=response.content_type,
            content_length=response.content_length,
            etag=response.etag,
            last_modified=response.last_modified,
            fetched_at=response.fetched_at,
            extra=extra,
        )
        self.report.captured.append(
            CapturedItem(url, capture.document_id, capture.version, capture.sha256, capture.path, attached_to)
        )
        return capture

    def confirm(self, url: str, response: FetchResponse, confirmed_by: str) -> Capture:
        capture = self.archive.confirm_unchanged(
            url, seen_at=response.fetched_at, etag=response.etag, last_modified=response.last_modified
        )
        self.report.unchanged.append(UnchangedItem(url, capture.document_id, capture.version, confirmed_by))
        return capture

    def before_since(self, published_on: date | None) -> bool:
        return self.since is not None and published_on is not None and published_on < self.since

    def admissible(self, url: str, found_on: str | None) -> bool:
        """Whether the crawl may request the URL; a refusal is reported as skipped with its reason,
        a failure to decide (the host's name does not resolve) as failed."""
        try:
            self.guard.check(url)
            self.robots.check(url)
        except URLRefused as refusal:
            self.skip(url, str(refusal), found_on)
            return False
        except FetchError as error:
            self.fail(url, error, found_on)
            return False
        return True

    def get(self, url: str, latest: Capture | None = None) -> FetchResponse:
        return fetch(
            url, self.session, policy=self.policy, admit=self.admit, headers=conditional_headers(latest)
        )

    def admit(self, url: str) -> None:
        """Run before every request, redirect hops included: allowed host and address, robots.txt, delay."""
        self.guard.check(url)
        self.robots.check(url)
        self.throttle.wait(url)

    def fetch_robots_txt(self, url: str) -> FetchResponse:
        return fetch(url, self.session, policy=self.policy, admit=self.admit_robots_txt)

    def admit_robots_txt(self, url: str) -> None:
        self.guard.check(url)
        self.throttle.wait(url)

    def skip(self, url: str, reason: str, found_on: str | None = None) -> None:
        self.report.skipped.append(SkippedItem(url, reason, found_on))

    def fail(self, url: str, error: FetchError | ArchiveError, found_on: str | None) -> None:
        stage = "fetch" if isinstance(error, FetchError) else "capture"
        self.report.failed.append(FailedItem(url, stage, type(error).__name__, str(error), found_on))


def conditional_headers(latest: Capture | None) -> dict[str, str]:
    """Validators of the latest capture, so that the server can answer 304 instead of the bytes."""
    if latest is None:
        return {}
    headers = {"If-None-Match": latest.etag, "If-Modified-Since": latest.last_modified}
    return {name: value for name, value in headers.items() if value}


def declared_type(response: FetchResponse) -> str | None:
    """The Content-Type to store, or None when it is generic and the bytes must say what they are."""
    media_type = (response.content_type or "").split(";")[0].strip().lower()
    return None if media_type in GENERIC_CONTENT_TYPES else response.content_type
