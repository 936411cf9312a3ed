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

Bounds: besides `max_pages`, a crawl requests at most `max_articles` articles (the source's, default
CRAWL_MAX_ARTICLES_PER_SOURCE) and, when it is one of several sharing an ArticleLimit, no more than that
limit leaves (CRAWL_MAX_ARTICLES for one `tdi crawl`). Past a limit, the matching entries left are skipped
without a request, the listing pages left are not read, and the report says which limit was reached
(`limit_reached`). PDFs attached to an article are not counted.

Nothing else stops a crawl: a URL that fails is recorded in the report with its stage and error
class (a FetchError or ArchiveError subclass), and the crawl goes on. Each URL's outcome (captured,
unchanged, skipped, failed) is handed to `on_outcome` as soon as it is known, so that a caller can show
the crawl as it goes. The archive's index is read before the first request (a manifest that cannot be
read stops the crawl there), and the unchanged URLs' `last_seen` is written once, at the end.
"""

from __future__ import annotations

import heapq
import itertools
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from bs4 import BeautifulSoup

from ingestion.capture.archive import (
    ArchiveError,
    Capture,
    RawArchive,
    Sighting,
    UnknownURL,
    check_media_type,
    sha256_of,
)
from ingestion.capture.errors import FetchError, UnexpectedMediaType, URLRefused
from ingestion.capture.fetch import FetchPolicy, FetchResponse, Session, build_session, fetch
from ingestion.capture.guard import CheckedURL, URLGuard, host_of
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
LIMIT_REACHED = "CrawlLimitReached"
"""The error class fetch_failures.yml records a limit reached under, as a fetch error of the listing."""


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


Outcome = CapturedItem | UnchangedItem | SkippedItem | FailedItem


@dataclass
class ArticleLimit:
    """At most `maximum` article requests, counted across every crawl that shares the limit."""

    scope: str
    """What the limit bounds, as reports say it: "per source" or "per crawl"."""
    maximum: int
    requested: int = 0


@dataclass
class LimitReached:
    """A crawl requested as many articles as a limit allows: the matching entries found after it were
    skipped without a request, and the listing pages after it were not read."""

    listing_url: str
    scope: str
    maximum: int
    found_on: str
    """The listing page where the first article over the limit was found."""
    articles_left: int = 0
    pages_left: int = 0

    @property
    def limit(self) -> str:
        return f"the limit of {self.maximum} articles {self.scope}"

    @property
    def message(self) -> str:
        return (
            f"{self.limit} was reached: {self.articles_left} more matching article(s) not requested, "
            f"{self.pages_left} more listing page(s) not read"
        )

    def as_failure(self) -> FailedItem:
        """How fetch_failures.yml records it: a fetch error of the listing, resolved by a later crawl of
        the source that stays within its limits."""
        return FailedItem(self.listing_url, "fetch", LIMIT_REACHED, self.message, self.found_on)


@dataclass
class CrawlReport:
    listing_url: str
    listing_pages: list[str] = field(default_factory=list)
    captured: list[CapturedItem] = field(default_factory=list)
    unchanged: list[UnchangedItem] = field(default_factory=list)
    skipped: list[SkippedItem] = field(default_factory=list)
    failed: list[FailedItem] = field(default_factory=list)
    limit_reached: LimitReached | None = None


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
    max_articles: int | None = None,
    since: date | None = None,
    source: SourceConfig | None = None,
    policy: FetchPolicy | None = None,
    session: Session | None = None,
    crawl_limit: ArticleLimit | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> CrawlReport:
    """Crawl one listing. `source` brings allowed hosts, publisher, delay and limits (default: the
    listing's host only, the settings' delay and limits); `max_pages`, `max_articles` and `since`, when
    given, outrank the source's. `crawl_limit` is shared with the other crawls of one `tdi crawl`.
    A manifest that cannot be read raises ArchiveError before the first request."""
    source = source or SourceConfig(name=host_of(listing_url), listing_url=listing_url, match=match)
    archive.index()  # read now, before the first request, and kept up to date by the archive
    per_source = ArticleLimit("per source", max_articles or source.max_articles)
    crawler = Crawler(
        listing_url,
        archive,
        source,
        pattern=re.compile(match, re.IGNORECASE),
        since=since if since is not None else source.since,
        policy=policy or FetchPolicy(),
        session=session,
        limits=[per_source, *([crawl_limit] if crawl_limit else [])],
        on_outcome=on_outcome,
    )
    return crawler.run(max_pages or source.max_pages)


class Crawler:
    """One crawl's state: the politeness rules learnt so far, the URLs seen, the limits, the report,
    and the sightings of unchanged URLs to write at the end."""

    def __init__(
        self,
        listing_url: str,
        archive: RawArchive,
        source: SourceConfig,
        *,
        pattern: re.Pattern,
        since: date | None,
        policy: FetchPolicy,
        session: Session | None,
        limits: list[ArticleLimit],
        on_outcome: Callable[[Outcome], None] | None,
    ):
        self.archive = archive
        self.limits = limits
        self.on_outcome = on_outcome
        self.sightings: list[Sighting] = []
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
        """Read the listing's pages, then write what the unchanged URLs' answers said in one rewrite of
        the manifest (a crawl stopped midway leaves their `last_seen` as it was)."""
        self.read_pages(max_pages)
        if self.sightings:
            self.archive.record_sightings(self.sightings)
        return self.report

    def read_pages(self, max_pages: int) -> None:
        """Read listing pages in page order (?page=N, or the page after the current one for a
        "next" link), at most max_pages and none once a limit is reached; the pages left unread are
        reported as skipped."""
        first = self.report.listing_url
        order = itertools.count()
        pending = [(page_number(first) or 0, next(order), first)]
        queued = {first}
        read = 0
        while pending:
            number, _, page_url = heapq.heappop(pending)
            reached = self.report.limit_reached
            if reached:
                reached.pages_left += 1
                self.skip(page_url, f"listing page not read: {reached.limit} was reached")
                continue
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
        if not self.admissible(entry.url, found_on) or not self.within_limits(entry.url, found_on):
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
            return self.confirm(entry.url, latest, response, NOT_MODIFIED), self.archive.read(latest)
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
            self.confirm(link.url, latest, response, NOT_MODIFIED)
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
            return self.confirm(url, latest, response, SAME_BYTES)
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
        self.outcome(
            self.report.captured,
            CapturedItem(
                url, capture.document_id, capture.version, capture.sha256, capture.path, attached_to
            ),
        )
        return capture

    def confirm(
        self, url: str, latest: Capture | None, response: FetchResponse, confirmed_by: str
    ) -> Capture:
        """The latest capture as the server's answer confirms it; the sighting is written at the end."""
        if latest is None:
            raise UnknownURL(f"{url}: answered 304 Not Modified, but the archive holds no capture of it")
        sighting = Sighting(url, latest.version, response.fetched_at, response.etag, response.last_modified)
        self.sightings.append(sighting)
        self.outcome(
            self.report.unchanged, UnchangedItem(url, latest.document_id, latest.version, confirmed_by)
        )
        return replace(latest, **sighting.changes())

    def within_limits(self, url: str, found_on: str) -> bool:
        """Count one more article request against every limit. Once one is used up, the article is skipped
        without a request and counted as left, and the report says which limit was reached."""
        if self.report.limit_reached is None:
            spent = next((limit for limit in self.limits if limit.requested >= limit.maximum), None)
            if spent is None:
                for limit in self.limits:
                    limit.requested += 1
                return True
            self.report.limit_reached = LimitReached(
                self.report.listing_url, spent.scope, spent.maximum, found_on
            )
        reached = self.report.limit_reached
        reached.articles_left += 1
        self.skip(url, f"not requested: {reached.limit} was reached", found_on)
        return False

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

    def admit(self, url: str) -> CheckedURL:
        """Run before every request, redirect hops included: allowed host and address, robots.txt, delay.
        Returns the guard's CheckedURL: the request connects to the address checked here."""
        checked = self.guard.check(url)
        self.robots.check(url)
        self.throttle.wait(url)
        return checked

    def fetch_robots_txt(self, url: str) -> FetchResponse:
        return fetch(url, self.session, policy=self.policy, admit=self.admit_robots_txt)

    def admit_robots_txt(self, url: str) -> CheckedURL:
        checked = self.guard.check(url)
        self.throttle.wait(url)
        return checked

    def skip(self, url: str, reason: str, found_on: str | None = None) -> None:
        self.outcome(self.report.skipped, SkippedItem(url, reason, found_on))

    def fail(self, url: str, error: FetchError | ArchiveError, found_on: str | None) -> None:
        stage = "fetch" if isinstance(error, FetchError) else "capture"
        self.outcome(self.report.failed, FailedItem(url, stage, type(error).__name__, str(error), found_on))

    def outcome(self, items: list, item: Outcome) -> None:
        """Add the item to the report, and hand it to on_outcome at once."""
        items.append(item)
        if self.on_outcome:
            self.on_outcome(item)


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
