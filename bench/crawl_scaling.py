"""`python -m bench.crawl_scaling ARTICLES`: what one article costs a crawl, whatever the listing's size.

A listing of ARTICLES matching links, each to a small article page, is served on 127.0.0.1 by the tests'
fixture server (in a thread) with no delay between requests. It is crawled as `tdi crawl` does
(runs.crawl_sources, limits raised to ARTICLES) into a new archive, then crawled again, when every article
answers 304 Not Modified. A crawl of a small listing into a throwaway archive goes first, so that neither
measure pays for the first parse or connection. Prints one line of JSON: the seconds of each crawl and its
milliseconds per article, timed inside the process (imports and the making of the pages excluded).
"""

import json
import sys
import tempfile
import time
from pathlib import Path

from ingestion.capture.archive import RawArchive
from ingestion.capture.runs import crawl_sources
from ingestion.capture.sources import SourceConfig
from tests.fixtures.site.server import HTML, FixtureSite, Resource, article_html, serve

MATCH = "territoires? d.industrie"
WARM_UP_ARTICLES = 5


def listing_page(articles: int, prefix: str) -> bytes:
    entries = "".join(
        f'<li><a href="{prefix}/article-{number}">Territoires d’industrie : article {number}</a> '
        "Publié le 13/02/2024</li>"
        for number in range(articles)
    )
    return f"<html><head><title>Actualités</title></head><body><main><ul>{entries}</ul></main></body></html>".encode()


def add_listing(site: FixtureSite, articles: int, prefix: str) -> None:
    """A listing at `prefix` linking to `articles` article pages of about 2 KB."""
    site.resources[prefix] = Resource(listing_page(articles, prefix), HTML)
    body = "Le territoire d’industrie a signé son contrat. " * 40
    for number in range(articles):
        title = f"Territoires d’industrie : article {number}"
        site.resources[f"{prefix}/article-{number}"] = Resource(article_html(title, body), HTML)


def timed_crawl(site: FixtureSite, prefix: str, articles: int, archive: RawArchive) -> float:
    source = SourceConfig(
        name="bench",
        listing_url=f"{site.base_url}{prefix}",
        match=MATCH,
        allowed_hosts=frozenset({"127.0.0.1"}),
        delay_seconds=0,
        max_articles=articles,
    )
    started = time.perf_counter()
    [done] = crawl_sources([source], archive, max_articles_total=articles)
    seconds = time.perf_counter() - started
    report = done.report
    handled = len(report.captured) + len(report.unchanged)
    if handled != articles or report.failed:
        raise SystemExit(f"the crawl of {articles} articles handled {handled}, failed {len(report.failed)}")
    return seconds


def crawl_scaling(articles: int) -> dict:
    site = FixtureSite()
    site.resources = {}
    add_listing(site, WARM_UP_ARTICLES, "/echauffement")
    add_listing(site, articles, "/actualites")
    with serve(site), tempfile.TemporaryDirectory(prefix="tdi-bench-crawl-") as scratch:
        timed_crawl(site, "/echauffement", WARM_UP_ARTICLES, RawArchive(Path(scratch) / "warm-up"))
        archive = RawArchive(Path(scratch) / "raw")
        first = timed_crawl(site, "/actualites", articles, archive)
        again = timed_crawl(site, "/actualites", articles, RawArchive(archive.root))
    return {
        "articles": articles,
        "first_crawl_seconds": first,
        "recrawl_seconds": again,
        "first_crawl_ms_per_article": 1000 * first / articles,
        "recrawl_ms_per_article": 1000 * again / articles,
    }


if __name__ == "__main__":
    print(json.dumps(crawl_scaling(int(sys.argv[1]))))
