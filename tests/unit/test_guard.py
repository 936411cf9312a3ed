"""The URL guard on its own: one reading of each URL (urllib3's), the forms other readers take
elsewhere refused, every address of a host checked, and what the request is to connect to."""

from __future__ import annotations

import socket

import pytest

from ingestion.capture.errors import AmbiguousURL, DisallowedScheme, OffHostURL, PrivateAddress
from ingestion.capture.guard import CheckedURL, URLGuard, host_of


@pytest.fixture
def dns(monkeypatch):
    """Names ending in .test resolve to the addresses a test gives; every lookup is recorded."""
    records: dict[str, list[str]] = {}
    lookups: list[str] = []
    resolve = socket.getaddrinfo

    def fake(host, port, *args, **kwargs):
        if not host.endswith(".test"):
            return resolve(host, port, *args, **kwargs)
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in records[host]]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return records, lookups


def test_the_checked_url_is_what_urllib3_reads_and_what_to_connect_to():
    checked = URLGuard({"127.0.0.1"}).check("HTTP://127.0.0.1:8080/a/../b c?x=1#fragment")
    assert checked == CheckedURL(
        url="HTTP://127.0.0.1:8080/a/../b c?x=1#fragment",
        scheme="http",
        host="127.0.0.1",
        port=8080,
        addresses=("127.0.0.1",),
        target="/b%20c?x=1",
    )
    assert checked.host_header == "127.0.0.1:8080"
    ipv6 = URLGuard({"::1"}).check("https://[::1]/")
    assert (ipv6.host, ipv6.port, ipv6.addresses, ipv6.host_header) == ("[::1]", 443, ("::1",), "[::1]")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080\\@example.org/",
        "http://example.org\\.127.0.0.1/",
        "http://example.org/\\\\127.0.0.1/",
        "http://example.org@127.0.0.1/",
        "http://user:password@example.org/",
        "http://2130706433/",
        "http://0177.0.0.1/",
        "http://0x7f000001/",
        "http://127.1/",
        "http://1.2.3.4.5/",
        "http://exam\tple.org/",
        "http://example.org/\n",
        "http://example.org\u202e/",
        "http://ex ample.org/",
        "http:///no-host",
        "http://example.org:0/",
        "http://example.org:99999/",
        "http://example.org:80a/",
    ],
)
def test_a_url_other_readers_could_take_elsewhere_is_refused_even_on_a_named_host(url):
    named = {"example.org", "127.0.0.1", "2130706433", "0177.0.0.1", "0x7f000001", "127.1", "1.2.3.4.5"}
    with pytest.raises(AmbiguousURL):
        URLGuard(named).check(url)


def test_only_http_and_https_are_checked_through():
    for url in ("ftp://example.org/cp.pdf", "file:///etc/passwd", "//example.org/x"):
        with pytest.raises(DisallowedScheme):
            URLGuard().check(url)


def test_a_name_is_resolved_once_and_every_address_is_kept_in_order(dns):
    records, lookups = dns
    records["www.prefecture.test"] = ["193.51.24.1", "2a01:e0a::1", "193.51.24.1"]
    guard = URLGuard({"www.prefecture.test"})
    first = guard.check("https://www.prefecture.test/actualites")
    again = guard.check("https://WWW.Prefecture.test./autre")
    assert first.addresses == again.addresses == ("193.51.24.1", "2a01:e0a::1")
    assert lookups == ["www.prefecture.test"]
    assert (first.host, again.host) == ("www.prefecture.test", "www.prefecture.test.")


@pytest.mark.parametrize(
    "addresses",
    [["127.0.0.1"], ["169.254.169.254"], ["10.1.2.3"], ["193.51.24.1", "192.168.1.1"], ["::1"]],
)
def test_a_name_with_any_private_address_is_refused_though_the_source_names_it(dns, addresses):
    records, _ = dns
    records["intranet.test"] = addresses
    with pytest.raises(PrivateAddress, match="outside the public internet"):
        URLGuard({"intranet.test"}).check("http://intranet.test/")
    assert URLGuard({"intranet.test"}, allow_private=True).check("http://intranet.test/").addresses == tuple(
        addresses
    )


def test_a_private_address_is_opened_only_by_naming_that_address_itself():
    with pytest.raises(PrivateAddress):
        URLGuard().check("http://169.254.169.254/latest/meta-data/")
    assert URLGuard({"169.254.169.254"}).check("http://169.254.169.254/latest/").addresses == (
        "169.254.169.254",
    )
    with pytest.raises(OffHostURL):
        URLGuard({"127.0.0.1"}).check("http://[::ffff:127.0.0.1]/")
    with pytest.raises(PrivateAddress, match=r"::ffff:127.0.0.1 is ::ffff:127.0.0.1"):
        URLGuard().check("http://[::ffff:127.0.0.1]/")
    with pytest.raises(PrivateAddress):
        URLGuard({"localhost", "127.0.0.1"}).check("http://localhost/")


def test_host_of_reads_the_host_as_the_guard_does():
    assert host_of("HTTP://WWW.Example.ORG./x") == "www.example.org"
    assert host_of("http://[::1]:8080/") == "::1"
    assert host_of("http://127.0.0.1:8080\\@example.org/") == "127.0.0.1"
    assert host_of("http://example.org:99999/") == ""
