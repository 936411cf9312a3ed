"""Crawling the fixture prefecture site on 127.0.0.1: the matching articles and their PDFs, each
stored once; the rest skipped with a reason; every failure recorded; an unchanged site downloads
no document the second time; a changed page becomes version 2. Crawls are bounded (articles per
source and per crawl, the limit reached reported and recorded), the manifest is read whole once per
crawl, two crawls and `tdi add` at once lose nothing, a failures file that cannot be read stops a
crawl before its first request, and `tdi crawl` shows each URL's outcome as it goes."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from bs4 import BeautifulSoup

import ingestion.capture.failures
from ingestion.capture.archive import RawArchive
from ingestion.capture.crawl import LIMIT_REACHED, NOT_MODIFIED, SAME_BYTES, CapturedItem, crawl
from ingestion.capture.errors import EmptyBody, HTTPStatusError, RobotsDisallowed
from ingestion.capture.failures import FailureLog, FailureLogError
from ingestion.capture.fetch import FetchPolicy
from ingestion.capture.page import article_facts, listing_entries, pagination_links
from ingestion.capture.politeness import HostThrottle, RobotsRules
from ingestion.capture.runs import SourceCrawl, crawl_source, crawl_sources, render
from ingestion.capture.sources import SourceConfig, SourceConfigError, load_sources
from tests.conftest import tdi
from tests.fixtures.site import server
from tests.fixtures.site.server import HTML, NEVER_FETCHED, FixtureSite, Resource, article_html, serve

MATCH = "territoires? d.industrie"
QUICK = FetchPolicy(
    timeout_seconds=0.5,
    deadline_seconds=5,
    retries=1,
    backoff_seconds=0,
    retry_after_max_seconds=2,
    max_response_bytes=100_000,
    max_redirects=3,
)
ARTICLE = "/actualites/territoires-d-industrie-12-millions-pour-le-loiret"
VIERZON = "/actualites/le-territoire-d-industrie-de-vierzon-signe-son-protocole"
COMMUNIQUE = "/content/download/cp-territoires-industrie-13-02-2024.pdf"
DOSSIER = "/medias/dossier-de-presse-territoires-industrie"
VIERZON_PDF = "/content/download/cp-vierzon-protocole.pdf"
LISTING_PAGES = ("/actualites", "/actualites?page=2")


@pytest.fixture
def site():
    with serve(FixtureSite()) as site:
        yield site


def source_for(site: FixtureSite, listing: str = "/actualites", **options) -> SourceConfig:
    return SourceConfig(
        name="prefecture-test",
        listing_url=f"{site.base_url}{listing}",
        match=MATCH,
        allowed_hosts=frozenset({"127.0.0.1"}),
        delay_seconds=0,
        **options,
    )


def crawl_site(site: FixtureSite, archive: RawArchive, listing: str = "/actualites", policy=QUICK, **options):
    source = source_for(site, listing)
    return crawl(source.listing_url, source.match, archive, source=source, policy=policy, **options)


def paths(site: FixtureSite, urls) -> set[str]:
    return {url.removeprefix(site.base_url) for url in urls}


def test_a_crawl_captures_the_matching_articles_and_their_pdfs_once_each(site, tmp_path):
    archive = RawArchive(tmp_path)
    report = crawl_site(site, archive)

    assert paths(site, report.listing_pages) == set(LISTING_PAGES)
    assert report.failed == []
    assert paths(site, (item.url for item in report.captured)) == {
        ARTICLE,
        COMMUNIQUE,
        DOSSIER,
        VIERZON,
        VIERZON_PDF,
    }
    captures = {capture.source_url.removeprefix(site.base_url): capture for capture in archive.captures()}
    assert len(archive.captures()) == len(captures) == 5
    assert len(list((tmp_path / "documents").iterdir())) == 5
    assert captures[COMMUNIQUE].attached_to == captures[DOSSIER].attached_to == captures[ARTICLE].document_id
    assert captures[VIERZON_PDF].attached_to == captures[VIERZON].document_id
    assert not any(path in site.requests for path in NEVER_FETCHED)
    assert not any(path.startswith("/interne/") for path in site.requests)


def test_a_capture_records_what_the_page_and_the_server_said(site, tmp_path):
    archive = RawArchive(tmp_path)
    crawl_site(site, archive)
    captures = {capture.source_url.removeprefix(site.base_url): capture for capture in archive.captures()}

    article = captures[ARTICLE]
    assert article.title == "Territoires d’industrie : 12 millions d’euros pour le Loiret"
    assert article.publisher == "Préfecture de la région Centre-Val de Loire"
    assert (article.published_on, article.published_on_estimated) == (date(2024, 2, 13), False)
    assert article.published_on_note == "read from meta article:published_time"
    assert (article.http_status, article.final_url) == (200, f"{site.base_url}{ARTICLE}")
    assert article.etag and article.last_modified == "Tue, 13 Feb 2024 09:00:00 GMT"
    assert article.content_length == len(archive.read(article)) and article.fetched_at
    assert (article.version, article.first_seen) == (1, article.fetched_at)

    dossier = captures[DOSSIER]
    assert (dossier.content_type, dossier.http_content_type) == (
        "application/pdf",
        "application/octet-stream",
    )
    assert dossier.etag is None and dossier.last_modified
    assert dossier.extra == {"crawl_source": "prefecture-test", "link_text": "Dossier de presse"}

    vierzon = captures[VIERZON]
    assert vierzon.title == "Le territoire d'industrie de Vierzon signe son protocole"
    assert (vierzon.published_on, vierzon.published_on_note) == (
        date(2019, 9, 25),
        "read from a “Publié le …” line",
    )
    assert vierzon.publisher == "127.0.0.1", "no og:site_name and no publisher in the source: the host"


def test_what_is_not_captured_is_skipped_with_its_reason(site, tmp_path):
    report = crawl_site(site, RawArchive(tmp_path))
    reasons = {item.url.removeprefix(site.base_url): item.reason for item in report.skipped}

    assert "does not match" in reasons["/actualites/campagne-de-vaccination-antigrippale-2024"]
    assert "does not match" in reasons["/actualites/secheresse-mesures-de-restriction-des-usages-de-l-eau"]
    assert "disallowed by" in reasons["/interne/territoires-d-industrie-reunion-preparatoire"]
    assert "robots.txt" in reasons["/interne/compte-rendu-comite-de-pilotage.pdf"]
    off_host = "https://www.entreprises.gouv.fr/fr/industrie/politique-industrielle/territoires-d-industrie"
    assert "not among the source's allowed hosts" in reasons[off_host]
    assert len(reasons) == len(report.skipped) == 5


def test_a_second_crawl_of_an_unchanged_site_downloads_no_document(site, tmp_path):
    """Articles and PDFs are asked for conditionally and answered 304; only robots.txt and the
    listing pages, which are how new articles are found, come in full."""
    archive = RawArchive(tmp_path)
    crawl_site(site, archive)
    manifest = archive.manifest_path.read_text(encoding="utf-8")
    site.full_responses.clear()

    report = crawl_site(site, archive)

    assert report.captured == [] and report.failed == []
    assert {item.confirmed_by for item in report.unchanged} == {NOT_MODIFIED}
    assert len(report.unchanged) == 5
    assert set(site.full_responses) == {"/robots.txt", *LISTING_PAGES}
    assert len(archive.captures()) == 5
    assert manifest.count("document_id:") == archive.manifest_path.read_text(encoding="utf-8").count(
        "document_id:"
    )


def test_a_page_changed_between_two_crawls_is_kept_as_version_2_beside_version_1(site, tmp_path):
    archive = RawArchive(tmp_path)
    crawl_site(site, archive)
    site.change(ARTICLE, "12 millions d’euros accompagneront", "14 millions d’euros accompagneront")

    report = crawl_site(site, archive)

    [changed] = report.captured
    versions = [c for c in archive.captures() if c.source_url == f"{site.base_url}{ARTICLE}"]
    assert [c.version for c in versions] == [1, 2] and changed.version == 2
    assert versions[0].document_id == versions[1].document_id == changed.document_id
    assert versions[0].sha256 != versions[1].sha256
    assert all((tmp_path / c.path).exists() for c in versions)
    assert b"14 millions" in archive.read(versions[1]) and b"12 millions" in archive.read(versions[0])
    assert len(report.unchanged) == 4


def test_a_page_served_again_in_full_with_the_same_bytes_is_unchanged(site, tmp_path):
    """A server that ignores the validators costs a download, but adds no version; the new
    Last-Modified it gave is kept for the next conditional request."""
    archive = RawArchive(tmp_path)
    crawl_site(site, archive)
    vierzon = site.resources[VIERZON]
    vierzon.with_etag, vierzon.last_modified = False, datetime(2024, 3, 1, 9, 0, tzinfo=UTC)

    report = crawl_site(site, archive)

    [same] = [item for item in report.unchanged if item.url.endswith(VIERZON)]
    assert (same.confirmed_by, same.version) == (SAME_BYTES, 1)
    assert report.captured == []
    assert (
        archive.latest_capture_for(f"{site.base_url}{VIERZON}").last_modified
        == "Fri, 01 Mar 2024 09:00:00 GMT"
    )


def test_since_skips_articles_published_before_it(site, tmp_path):
    report = crawl_site(site, RawArchive(tmp_path), since=date(2020, 1, 1))
    reasons = {item.url.removeprefix(site.base_url): item.reason for item in report.skipped}
    assert reasons[VIERZON] == "published on 2019-09-25, before 2020-01-01"
    assert VIERZON_PDF not in site.requests
    assert paths(site, (item.url for item in report.captured)) == {ARTICLE, COMMUNIQUE, DOSSIER}


def test_listing_pages_beyond_max_pages_are_not_read(site, tmp_path):
    report = crawl_site(site, RawArchive(tmp_path), max_pages=1)
    assert paths(site, report.listing_pages) == {"/actualites"}
    assert any(item.reason == "listing page beyond max_pages (1)" for item in report.skipped)
    assert "/actualites?page=2" not in site.requests


def test_a_site_whose_robots_txt_excludes_us_is_not_crawled(site, tmp_path):
    excluded = replace(QUICK, user_agent="MauvaisRobot/1.0")
    report = crawl_site(site, RawArchive(tmp_path), policy=excluded)
    assert report.listing_pages == [] and report.captured == []
    assert "disallowed by" in report.skipped[0].reason
    assert site.requests == ["/robots.txt"]


@pytest.mark.parametrize(
    ("answer", "allowed"),
    [
        (HTTPStatusError("HTTP 404", 404), True),
        (EmptyBody("empty"), True),
        (HTTPStatusError("HTTP 503", 503), False),
    ],
)
def test_robots_txt_missing_allows_everything_and_unreachable_nothing(answer, allowed):
    """RFC 9309: a 4xx (or an empty file) means no rules; a 5xx means the site is unreachable."""

    def fetch_robots(url):
        raise answer

    rules = RobotsRules(fetch_robots, QUICK.user_agent)
    if allowed:
        rules.check("https://www.example.gouv.fr/actualites")
    else:
        with pytest.raises(RobotsDisallowed, match="unreachable"):
            rules.check("https://www.example.gouv.fr/actualites")


def test_every_failure_is_recorded_and_the_crawl_goes_on(site, tmp_path):
    report = crawl_site(site, RawArchive(tmp_path), listing="/pannes")
    failures = {
        item.url.removeprefix(site.base_url): (item.stage, item.error_class) for item in report.failed
    }

    assert failures == {
        "/absent": ("fetch", "HTTPStatusError"),
        "/toujours-500": ("fetch", "HTTPStatusError"),
        "/lent": ("fetch", "FetchTimeout"),
        "/boucle-a": ("fetch", "RedirectLoop"),
        "/vers-localhost": ("fetch", "OffHostURL"),
        "/vers-reseau-prive": ("fetch", "OffHostURL"),
        "/faux.pdf": ("capture", "ContentTypeMismatch"),
        "/pdf-servi-en-html": ("capture", "ContentTypeMismatch"),
        "/vide": ("fetch", "EmptyBody"),
        "/enorme": ("fetch", "ResponseTooLarge"),
    }
    assert all(item.message and item.found_on == f"{site.base_url}/pannes" for item in report.failed)
    captured = {item.url.removeprefix(site.base_url): item for item in report.captured}
    assert {"/instable", "/redirection"} <= set(captured), "a retried 500 and a redirect are captured"
    assert "/secret" not in site.requests


def test_requests_to_one_host_are_spaced_by_the_delay():
    throttle = HostThrottle(0.1)
    started = time.monotonic()
    for url in ("http://a.example/1", "http://b.example/1", "http://a.example/2", "http://a.example/3"):
        throttle.wait(url)
    assert 0.2 <= time.monotonic() - started < 0.5


@pytest.mark.parametrize(
    ("markup", "expected", "source"),
    [
        (
            '<meta property="article:published_time" content="2024-02-13T10:30:00+01:00">',
            date(2024, 2, 13),
            "meta",
        ),
        ('<main><time datetime="2023-11-10">10 nov.</time></main>', date(2023, 11, 10), "<time datetime>"),
        ("<main><p>Publié le 25/09/2019</p></main>", date(2019, 9, 25), "a “Publié le …” line"),
        ("<main><p>Mis en ligne le 1er mars 2024</p></main>", date(2024, 3, 1), "a “Publié le …” line"),
        (
            "<main><p>Orléans, le 13 février 2024</p></main>",
            date(2024, 2, 13),
            "the first date in the page's text",
        ),
        (
            "<main><p>Le 31/02/2024 n'existe pas ; le 13 fevrier 2024 si.</p></main>",
            date(2024, 2, 13),
            "the first",
        ),
        ("<main><p>Sans date</p></main>", None, None),
    ],
)
def test_the_publication_date_is_read_in_the_forms_french_sites_write_it(markup, expected, source):
    facts = article_facts(BeautifulSoup(f"<html><head></head><body>{markup}</body></html>", "lxml"))
    assert facts.published_on == expected
    assert (facts.published_on_source or "").startswith(source or "")
    assert facts.published_on_estimated == (source or "").startswith("the first")


def test_listing_pages_are_found_by_rel_next_words_and_page_numbers():
    soup = BeautifulSoup(
        """<html><head><link rel="next" href="/actu?page=1"></head><body><main>
        <div class="carousel"><a href="/diaporama/2">Diapositive suivante</a></div>
        <ul><li><a href="/actu/territoires-d-industrie">Territoires d'industrie</a> Publié le 2 mai 2024</li></ul>
        <div class="pager"><a href="/actu?page=2">3</a> <a href="/archives/suite">Suivant ›</a></div>
        </main></body></html>""",
        "lxml",
    )
    page = "https://www.example.gouv.fr/actu"
    assert pagination_links(soup, page) == [
        "https://www.example.gouv.fr/actu?page=1",
        "https://www.example.gouv.fr/actu?page=2",
        "https://www.example.gouv.fr/archives/suite",
    ]
    entry = next(e for e in listing_entries(soup, page) if e.url.endswith("territoires-d-industrie"))
    assert entry.published_on == date(2024, 5, 2)


def test_sources_are_loaded_with_their_defaults(tmp_path):
    path = tmp_path / "sources.yml"
    path.write_text(
        """sources:
  - name: prefecture-cvl
    listing_url: https://www.prefectures-regions.gouv.fr/centre-val-de-loire/Actualites
    match: "territoires? d.industrie"
    publisher: Préfecture de la région Centre-Val de Loire
    since: 2018-11-22
  - name: anct
    listing_url: https://agence-cohesion-territoires.gouv.fr/actualites
    match: industrie
    allowed_hosts: [agence-cohesion-territoires.gouv.fr, medias.anct.gouv.fr]
    max_pages: 3
    delay_seconds: 5
""",
        encoding="utf-8",
    )
    cvl, anct = load_sources(path)
    assert cvl.allowed_hosts == {"www.prefectures-regions.gouv.fr"}
    assert cvl.since == date(2018, 11, 22) and cvl.max_pages == 20 and cvl.delay_seconds == 2.0
    assert anct.allowed_hosts == {"agence-cohesion-territoires.gouv.fr", "medias.anct.gouv.fr"}
    assert (anct.max_pages, anct.delay_seconds, anct.publisher) == (3, 5, None)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "{name: a, listing_url: 'https://x.fr/', match: x, alowed_hosts: [x.fr]}",
            "unknown keys alowed_hosts",
        ),
        ("{name: a, listing_url: 'https://x.fr/'}", "missing match"),
        ("{name: a, listing_url: 'https://x.fr/', match: '(unclosed'}", "not a valid regex"),
        ("{name: a, listing_url: 'ftp://x.fr/', match: x}", "not an http"),
        ("{name: a, listing_url: 'https://x.fr/', match: x, allowed_hosts: [y.fr]}", "listing's host x.fr"),
        ("{name: a, listing_url: 'https://x.fr/', match: x, since: 'hier'}", "not a date"),
        ("{name: a, listing_url: 'https://x.fr/', match: x, max_pages: 0}", "max_pages must be"),
    ],
)
def test_a_wrong_source_is_refused_with_the_key_to_fix(tmp_path, entry, message):
    path = tmp_path / "sources.yml"
    path.write_text(f"sources:\n  - {entry}\n", encoding="utf-8")
    with pytest.raises(SourceConfigError, match=message):
        load_sources(path)


def add_listing(site: FixtureSite, prefix: str, articles: int, *, more=(), next_page: str | None = None):
    """A listing at `prefix`: `articles` matching entries, each linking to an article page of its own, then
    matching entries linking to the paths `more`, then a link to `next_page`. Returns the article paths."""
    paths = [f"{prefix}/article-{number}" for number in range(articles)]
    entries = "".join(
        f"<li><a href='{path}'>Territoires d'industrie : {path}</a></li>" for path in [*paths, *more]
    )
    pager = f"<a href='{next_page}'>Page suivante</a>" if next_page else ""
    listing = f"<html><body><main><ul>{entries}</ul>{pager}</main></body></html>"
    site.resources[prefix] = Resource(listing.encode(), HTML)
    for path in paths:
        site.resources[path] = Resource(article_html(f"Territoires d'industrie {path}"), HTML)
    return paths


def test_a_crawl_requests_no_more_articles_than_its_limit_and_says_so(site, tmp_path):
    articles = add_listing(site, "/liste", 12, next_page="/liste?page=2")
    later = add_listing(site, "/liste?page=2", 3)
    archive = RawArchive(tmp_path)

    report = crawl_source(source_for(site, "/liste", max_articles=5), archive, policy=QUICK).report

    assert paths(site, (item.url for item in report.captured)) == set(articles[:5])
    assert len(archive.captures()) == 5
    assert not set(site.requests) & {*articles[5:], *later, "/liste?page=2"}
    reached = report.limit_reached
    assert (reached.scope, reached.maximum, reached.articles_left, reached.pages_left) == (
        "per source",
        5,
        7,
        1,
    )
    left = [
        item for item in report.skipped if "the limit of 5 articles per source was reached" in item.reason
    ]
    assert paths(site, (item.url for item in left)) == {*articles[5:], "/liste?page=2"}
    [summary_line, limit_line] = render(
        [SourceCrawl(source_for(site, "/liste"), report)], show_urls=False
    ).splitlines()
    assert summary_line.endswith("5 captured, 0 unchanged, 8 skipped, 0 failed")
    assert limit_line == (
        "  limit reached: the limit of 5 articles per source was reached: 7 more matching article(s) not "
        "requested, 1 more listing page(s) not read"
    )
    [recorded] = FailureLog(tmp_path).unresolved()
    assert (recorded["url"], recorded["error_class"], recorded["stage"]) == (
        f"{site.base_url}/liste",
        LIMIT_REACHED,
        "fetch",
    )

    crawl_source(source_for(site, "/liste", max_articles=20), archive, policy=QUICK)
    assert FailureLog(tmp_path).unresolved() == [], "a crawl within its limits resolves the limit reached"
    assert len(archive.captures()) == 15


def test_the_sources_of_one_crawl_share_its_limit_and_a_source_may_set_its_own(site, tmp_path):
    for prefix in ("/a", "/b"):
        add_listing(site, prefix, 4)
    sources_file = tmp_path / "sources.yml"
    sources_file.write_text(
        "sources:\n"
        + "".join(
            f"  - {{name: {name}, listing_url: '{site.base_url}/{name}', match: '{MATCH}', "
            f"allowed_hosts: [127.0.0.1], delay_seconds: 0{extra}}}\n"
            for name, extra in (("a", ", max_articles: 3"), ("b", ""))
        ),
        encoding="utf-8",
    )
    sources = load_sources(sources_file)
    assert [source.max_articles for source in sources] == [3, 200]

    first, second = crawl_sources(sources, RawArchive(tmp_path / "raw"), policy=QUICK, max_articles_total=5)

    assert (len(first.report.captured), len(second.report.captured)) == (3, 2)
    assert (first.report.limit_reached.scope, first.report.limit_reached.maximum) == ("per source", 3)
    assert (second.report.limit_reached.scope, second.report.limit_reached.maximum) == ("per crawl", 5)
    assert second.report.limit_reached.articles_left == 2


def test_each_outcome_is_handed_over_as_the_crawl_goes(site, tmp_path):
    seen = []

    def on_outcome(item):
        seen.append((item, len(site.requests)))

    source = source_for(site)
    report = crawl(
        source.listing_url, MATCH, RawArchive(tmp_path), source=source, policy=QUICK, on_outcome=on_outcome
    )

    handed = [item for item, _ in seen]
    reported = [*report.captured, *report.unchanged, *report.skipped, *report.failed]
    assert sorted(map(id, handed)) == sorted(map(id, reported)) and len(reported) == 10
    assert [item for item in handed if isinstance(item, CapturedItem)] == report.captured
    assert seen[0][1] < len(site.requests), "the first outcome came before the crawl's last request"


def test_tdi_crawl_prints_a_line_per_url_as_it_goes_then_the_summary(site, tmp_path):
    options = ["--allow-host", "127.0.0.1", "--delay", "0", "--timeout", "2", "--raw-dir", str(tmp_path)]
    result = tdi("crawl", f"{site.base_url}/actualites", "--match", MATCH, "--max-articles", "1", *options)

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    captured = [line for line in lines if line.startswith("captured  ")]
    assert paths(site, (line.split()[1] for line in captured)) == {ARTICLE, COMMUNIQUE, DOSSIER}
    assert (
        f"skipped   {site.base_url}{VIERZON}: not requested: the limit of 1 articles per source was reached"
        in lines
    )
    summary = lines.index("127.0.0.1: 2 listing page(s), 3 captured, 0 unchanged, 6 skipped, 0 failed")
    assert summary > max(lines.index(line) for line in captured)
    assert lines[summary + 1].startswith("  limit reached: the limit of 1 articles per source was reached")
    assert "2 listing pages, 3 captured, 0 unchanged, 6 skipped, 0 failed, 1 limits reached" in lines

    quiet = tdi("crawl", f"{site.base_url}/actualites", "--match", MATCH, "--quiet", *options)
    assert quiet.exit_code == 0, quiet.output
    assert not [
        line for line in quiet.output.splitlines() if line.startswith(("captured", "unchanged", "skipped"))
    ]
    assert "2 listing pages, 2 captured, 3 unchanged, 5 skipped, 0 failed, 0 limits reached" in quiet.output
    assert f"  + {site.base_url}{VIERZON} → " in quiet.output, (
        "with --quiet, the summary lists what was captured"
    )


@pytest.mark.parametrize(
    "text",
    [
        "failures:\n- url: [unclosed\n",
        "failures: 3\n",
        "failures:\n- {url: 'http://x.fr/', error_class: HTTPStatusError}\n",
    ],
)
def test_a_failures_file_that_cannot_be_read_stops_the_crawl_before_its_first_request(site, tmp_path, text):
    (tmp_path / "fetch_failures.yml").write_text(text, encoding="utf-8")

    with pytest.raises(FailureLogError, match="the crawl stopped before its first request"):
        crawl_source(source_for(site), RawArchive(tmp_path), policy=QUICK)
    result = tdi(
        "crawl",
        f"{site.base_url}/actualites",
        "--match",
        MATCH,
        "--allow-host",
        "127.0.0.1",
        "--raw-dir",
        str(tmp_path),
    )

    assert result.exit_code == 1
    [line] = result.output.splitlines()
    assert line.startswith(f"Error: {tmp_path / 'fetch_failures.yml'} cannot be read (")
    assert site.requests == [], "nothing was fetched"
    assert (tmp_path / "fetch_failures.yml").read_text(encoding="utf-8") == text
    assert not (tmp_path / "manifest.yml").exists()


def test_the_manifest_is_read_whole_once_per_crawl_whatever_the_number_of_articles(
    site, tmp_path, monkeypatch
):
    whole_reads = []
    entries_of = RawArchive.entries_of

    def counted(archive, data):
        whole_reads.append(archive.root.name)
        return entries_of(archive, data)

    monkeypatch.setattr(RawArchive, "entries_of", counted)
    for articles in (3, 12):
        add_listing(site, f"/liste-{articles}", articles)
        for crawl_number in (1, 2):
            archive = RawArchive(tmp_path / f"{articles}-articles")
            report = crawl_site(site, archive, listing=f"/liste-{articles}")
            assert len(report.captured if crawl_number == 1 else report.unchanged) == articles

    reads = {name: whole_reads.count(name) for name in whole_reads}
    assert reads["3-articles"] == reads["12-articles"] <= 4, reads


def test_two_crawls_and_an_add_at_once_lose_no_capture_and_no_failure(site, tmp_path, monkeypatch):
    """Both crawls end on a URL the server answers only once both asked for it, so they record their
    failures at the same moment; each write of the failures file is slowed, so that two writers not taking
    turns would each drop what the other wrote."""
    both = threading.Barrier(2)

    def meeting_point(handler):
        try:
            both.wait(timeout=10)
        finally:
            handler.send_body(404, article_html("Page introuvable"), HTML)

    monkeypatch.setitem(server.ENDPOINTS, "/rendez-vous", meeting_point)
    write_atomically = ingestion.capture.failures.write_atomically

    def slow_write(path, content):
        time.sleep(0.3)
        write_atomically(path, content)

    monkeypatch.setattr(ingestion.capture.failures, "write_atomically", slow_write)
    for prefix in ("/a", "/b"):
        add_listing(
            site, prefix, 6, more=[f"{prefix}/absent-{number}" for number in range(3)] + ["/rendez-vous"]
        )
    patient = replace(QUICK, timeout_seconds=10, retries=0)
    reports = {}

    def crawl_listing(prefix):
        reports[prefix] = crawl_source(source_for(site, prefix), RawArchive(tmp_path), policy=patient).report

    def add_files():
        archive = RawArchive(tmp_path)
        for number in range(20):
            content = f"<html><body><p>Ajout {number} : 3 territoires</p></body></html>".encode()
            archive.add(
                content,
                source_url=f"https://x.fr/ajout-{number}",
                publisher="P",
                published_on=date(2024, 1, 1),
                title=f"Ajout {number}",
            )

    threads = [threading.Thread(target=crawl_listing, args=(prefix,)) for prefix in ("/a", "/b")]
    threads.append(threading.Thread(target=add_files))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    recorded = {(entry["url"], entry["error_class"]): entry for entry in FailureLog(tmp_path).entries()}
    failed = {(item.url, item.error_class) for report in reports.values() for item in report.failed}
    assert len(failed) == 7 and set(recorded) == failed
    assert recorded[(f"{site.base_url}/rendez-vous", "HTTPStatusError")]["times"] == 2
    captures = RawArchive(tmp_path).captures()
    kept = {(capture.source_url, capture.sha256) for capture in captures}
    crawled = {(item.url, item.sha256) for report in reports.values() for item in report.captured}
    assert len(crawled) == 12 and crawled <= kept
    assert len(captures) == 32
    assert len({(capture.document_id, capture.version) for capture in captures}) == 32
