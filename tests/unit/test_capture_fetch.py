"""Fetching one URL against a real HTTP server on 127.0.0.1: redirects checked hop by hop, hostile
URLs refused before any connection, retries, Retry-After, timeouts and the deadline, TLS, size cap,
conditional requests, and a named error for every failure."""

from __future__ import annotations

import socket
import threading
import time
from contextlib import suppress
from dataclasses import replace
from urllib.parse import quote

import certifi
import pytest
import urllib3.util.connection

from ingestion import settings
from ingestion.capture.errors import (
    AmbiguousURL,
    ConnectionFailed,
    DisallowedScheme,
    EmptyBody,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    OffHostURL,
    PrivateAddress,
    RedirectLoop,
    ResponseTooLarge,
    TooManyRedirects,
    URLRefused,
)
from ingestion.capture.fetch import FetchPolicy, fetch
from ingestion.capture.guard import URLGuard, is_public
from tests.fixtures.site.server import FixtureSite, serve

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


@pytest.fixture
def site():
    with serve(FixtureSite()) as site:
        yield site


@pytest.fixture
def target():
    """A second server, standing for what a hostile URL aims at: it records every connection."""
    with serve(FixtureSite()) as target:
        yield target


def get(site: FixtureSite, path: str, policy: FetchPolicy = QUICK, **options):
    """Fetch from the fixture site, whose address the guard is told to allow (it is loopback)."""
    return fetch(f"{site.base_url}{path}", policy=policy, admit=URLGuard({"127.0.0.1"}).check, **options)


def test_a_page_comes_with_what_the_server_said_about_it(site):
    response = get(site, ARTICLE)
    assert response.status == 200
    assert response.final_url == response.url == f"{site.base_url}{ARTICLE}"
    assert response.content.startswith(b"<!DOCTYPE html>")
    assert response.etag and response.last_modified == "Tue, 13 Feb 2024 09:00:00 GMT"
    assert response.content_length == len(response.content)
    assert response.fetched_at
    assert site.user_agents == {QUICK.user_agent} and QUICK.user_agent == settings.USER_AGENT


def test_a_redirect_is_followed_and_the_final_url_kept(site):
    response = get(site, "/redirection")
    assert response.final_url == f"{site.base_url}{ARTICLE}"
    assert response.redirects == (f"{site.base_url}{ARTICLE}",)
    assert response.url == f"{site.base_url}/redirection"


def test_a_redirect_loop_is_named(site):
    with pytest.raises(RedirectLoop, match=r"boucle-a → .*boucle-b → .*boucle-a"):
        get(site, "/boucle-a")


def test_redirects_stop_at_the_hop_limit(site):
    assert get(site, "/sauts/3").status == 200
    with pytest.raises(TooManyRedirects, match="more than 3 redirects"):
        get(site, "/sauts/10")


def test_a_redirect_to_another_host_is_refused_before_it_is_requested(site):
    with pytest.raises(OffHostURL, match=r"redirects to a refused URL: http://localhost:.*not among"):
        get(site, "/vers-localhost")
    assert "/secret" not in site.requests


def test_a_redirect_into_a_private_network_is_refused_without_connecting(site, monkeypatch):
    connected_to = []
    open_connection = urllib3.util.connection.create_connection

    def recording(address, *args, **kwargs):
        connected_to.append(address[0])
        return open_connection(address, *args, **kwargs)

    monkeypatch.setattr(urllib3.util.connection, "create_connection", recording)
    with pytest.raises(OffHostURL, match=r"10.0.0.1"):
        get(site, "/vers-reseau-prive")
    assert connected_to == ["127.0.0.1"]


def test_by_default_only_public_addresses_are_fetched(site):
    """`tdi add URL` has no allowed hosts: any public host, never loopback or a private network."""
    with pytest.raises(PrivateAddress, match=r"127.0.0.1 is 127.0.0.1, outside the public internet"):
        fetch(f"{site.base_url}/actualites", policy=QUICK)
    assert site.requests == []
    assert not any(
        is_public(a) for a in ("127.0.0.1", "10.1.2.3", "169.254.169.254", "::1", "::ffff:127.0.0.1")
    )
    assert is_public("193.51.24.1")


@pytest.mark.parametrize("url", ["ftp://example.org/cp.pdf", "file:///etc/passwd", "data:text/html,<p>x"])
def test_only_http_and_https_are_fetched(url):
    with pytest.raises(DisallowedScheme):
        fetch(url, policy=QUICK)


def test_a_server_error_is_retried_and_the_retry_can_succeed(site):
    assert get(site, "/instable").status == 200
    assert site.requests.count("/instable") == 2


def test_a_lasting_server_error_is_reported_after_the_retries(site):
    with pytest.raises(HTTPStatusError, match="HTTP 500") as raised:
        get(site, "/toujours-500")
    assert raised.value.status == 500
    assert site.requests.count("/toujours-500") == QUICK.retries + 1


def test_a_missing_page_is_not_retried(site):
    with pytest.raises(HTTPStatusError, match="HTTP 404 Not Found"):
        get(site, "/absent")
    assert site.requests.count("/absent") == 1


def test_retry_after_is_honoured(site):
    started = time.monotonic()
    assert get(site, "/occupe").status == 200
    assert time.monotonic() - started >= 0.9, "the server asked for 1 s"


def test_retry_after_is_capped(site):
    started = time.monotonic()
    capped = replace(QUICK, retry_after_max_seconds=0.2)
    assert get(site, "/tres-occupe", policy=capped).status == 200
    assert time.monotonic() - started < 1.5, "the server asked for an hour; the cap is 0.2 s"


def test_a_slow_server_times_out(site):
    started = time.monotonic()
    impatient = replace(QUICK, timeout_seconds=0.3, retries=0)
    with pytest.raises(FetchTimeout, match=r"no answer within 0.3 s"):
        get(site, "/lent", policy=impatient)
    assert time.monotonic() - started < 0.9


def test_a_refused_connection_is_named():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    no_retry = replace(QUICK, retries=0)
    with pytest.raises(ConnectionFailed, match="Connection refused"):
        fetch(f"http://127.0.0.1:{port}/", policy=no_retry, admit=URLGuard({"127.0.0.1"}).check)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/enorme", "Content-Length 200012 is over the 100000-byte cap"),
        ("/enorme-sans-longueur", "larger than"),
    ],
)
def test_a_body_over_the_size_cap_is_refused(site, path, message):
    with pytest.raises(ResponseTooLarge, match=message):
        get(site, path)


def test_an_empty_body_is_refused(site):
    with pytest.raises(EmptyBody, match="empty body"):
        get(site, "/vide")


def test_a_conditional_request_for_an_unchanged_page_gets_no_body(site):
    first = get(site, ARTICLE)
    by_etag = get(site, ARTICLE, headers={"If-None-Match": first.etag})
    by_date = get(
        site,
        "/medias/dossier-de-presse-territoires-industrie",
        headers={"If-Modified-Since": first.last_modified},
    )
    assert by_etag.not_modified and by_etag.content == b""
    assert by_date.not_modified and by_date.content == b""
    assert site.full_responses[ARTICLE] == 1


def test_every_failure_is_a_fetch_error():
    for error in (ConnectionFailed, EmptyBody, FetchTimeout, HTTPStatusError, OffHostURL, PrivateAddress):
        assert issubclass(error, FetchError)
    assert issubclass(AmbiguousURL, URLRefused)


HOSTILE_URLS = {
    # what the URL is: (URL aimed at the target server, hosts the source names, refusal when fetched)
    "backslash": ("http://127.0.0.1:{port}\\@example.org/", {"example.org", "127.0.0.1"}, AmbiguousURL),
    "userinfo": ("http://example.org@127.0.0.1:{port}/", {"example.org", "127.0.0.1"}, AmbiguousURL),
    "decimal": ("http://2130706433:{port}/", {"2130706433"}, AmbiguousURL),
    "octal": ("http://0177.0.0.1:{port}/", {"0177.0.0.1"}, AmbiguousURL),
    "ipv6-mapped": ("http://[::ffff:127.0.0.1]:{port}/", None, PrivateAddress),
    "named-loopback": ("http://localhost:{port}/", {"localhost"}, PrivateAddress),
}


@pytest.mark.parametrize(("url", "allowed", "refusal"), HOSTILE_URLS.values(), ids=HOSTILE_URLS)
def test_a_hostile_url_is_refused_without_connecting(target, url, allowed, refusal):
    """Even when the source names every host the URL could be read to mean."""
    with pytest.raises(refusal):
        fetch(url.format(port=target.port), policy=QUICK, admit=URLGuard(allowed).check)
    assert target.connections == 0


@pytest.mark.parametrize(("url", "allowed", "refusal"), HOSTILE_URLS.values(), ids=HOSTILE_URLS)
def test_a_redirect_to_a_hostile_url_is_refused_without_connecting(site, target, url, allowed, refusal):
    location = quote(url.format(port=target.port), safe="")
    with pytest.raises(URLRefused, match="redirects to a refused URL"):
        fetch(
            f"{site.base_url}/rebond?vers={location}",
            policy=QUICK,
            admit=URLGuard({"127.0.0.1", *(allowed or ())}).check,
        )
    assert site.connections == 1
    assert target.connections == 0


def test_an_address_named_in_the_allowed_hosts_is_fetched(target):
    response = fetch(f"{target.base_url}{ARTICLE}", policy=QUICK, admit=URLGuard({"127.0.0.1"}).check)
    assert response.status == 200
    assert target.connections == 1


def test_the_host_header_is_the_urls_host_and_the_name_is_resolved_once(site, monkeypatch):
    """The request connects to the address the guard checked, not to a second lookup (DNS rebinding)."""
    lookups = []
    resolve = socket.getaddrinfo

    def rebinding(host, *args, **kwargs):
        if host != "tdi.test":
            return resolve(host, *args, **kwargs)
        lookups.append(host)
        return resolve("127.0.0.1" if len(lookups) == 1 else "192.0.2.1", *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    guard = URLGuard({"tdi.test"}, allow_private=True)
    response = fetch(f"http://tdi.test:{site.port}{ARTICLE}", policy=QUICK, admit=guard.check)
    assert response.status == 200
    assert lookups == ["tdi.test"]
    assert site.hosts == [f"tdi.test:{site.port}"]


@pytest.mark.parametrize("path", ["/goutte-a-goutte", "/en-tetes-goutte-a-goutte"], ids=["body", "headers"])
def test_a_drip_is_cut_at_the_deadline(site, path):
    """Each byte comes well within the read timeout; the deadline cuts the whole, and is not retried."""
    with pytest.raises(FetchTimeout, match="1 s deadline"):
        get(site, path, policy=replace(QUICK, deadline_seconds=1))
    assert path not in site.finished
    assert site.connections == 1


@pytest.fixture
def tls_server_context():
    return pytest.importorskip("tests.fixtures.site.tls").server_context


def test_over_tls_the_url_host_is_the_server_name_and_the_certificate_matches_it(
    tmp_path, monkeypatch, tls_server_context
):
    context, authority = tls_server_context(tmp_path, ["localhost"])
    server_names = []
    context.sni_callback = lambda connection, name, context: server_names.append(name)
    monkeypatch.setattr(certifi, "where", lambda: str(authority))
    guard = URLGuard({"localhost"}, allow_private=True)
    with serve(FixtureSite(), tls=context) as site:
        response = fetch(f"https://localhost:{site.port}{ARTICLE}", policy=QUICK, admit=guard.check)
    assert response.status == 200 and response.content.startswith(b"<!DOCTYPE html>")
    assert server_names == ["localhost"]
    assert site.hosts == [f"localhost:{site.port}"]


def test_over_tls_a_certificate_for_another_name_is_refused(tmp_path, monkeypatch, tls_server_context):
    context, authority = tls_server_context(tmp_path, ["example.org"])
    monkeypatch.setattr(certifi, "where", lambda: str(authority))
    guard = URLGuard({"localhost"}, allow_private=True)
    with serve(FixtureSite(), tls=context) as site, pytest.raises(ConnectionFailed, match="certificate"):
        fetch(f"https://localhost:{site.port}{ARTICLE}", policy=QUICK, admit=guard.check)
    assert site.requests == []


@pytest.fixture
def silent_server():
    """Accepts connections, records them, and never sends a byte."""
    accepted = []
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()

        def accept():
            with suppress(OSError):
                while True:
                    accepted.append(listener.accept()[0])

        threading.Thread(target=accept, daemon=True).start()
        yield listener.getsockname()[1], accepted
    for connection in accepted:
        connection.close()


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_the_deadline_cuts_a_server_that_says_nothing_before_the_read_timeout(silent_server, scheme):
    """Over TLS the handshake is what waits, over plain HTTP the status line: the deadline cuts both."""
    port, accepted = silent_server
    patient = replace(QUICK, timeout_seconds=30, deadline_seconds=1)
    with pytest.raises(FetchTimeout, match="1 s deadline"):
        fetch(f"{scheme}://127.0.0.1:{port}/", policy=patient, admit=URLGuard({"127.0.0.1"}).check)
    assert len(accepted) == 1


def test_the_next_checked_address_is_tried_when_one_refuses(site, monkeypatch):
    """A host may list first an address this network cannot reach; every address tried was checked."""
    resolve = socket.getaddrinfo

    def two_addresses(host, port, *args, **kwargs):
        if host != "tdi.test":
            return resolve(host, port, *args, **kwargs)
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))
            for address in ("127.0.0.2", "127.0.0.1")
        ]

    monkeypatch.setattr(socket, "getaddrinfo", two_addresses)
    guard = URLGuard({"tdi.test"}, allow_private=True)
    assert fetch(f"http://tdi.test:{site.port}{ARTICLE}", policy=QUICK, admit=guard.check).status == 200
    assert site.connections == 1
