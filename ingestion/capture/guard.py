"""Which URLs a fetch may reach, and where exactly: http(s) only, on the hosts a source allows, never
into a private network.

A crawl follows links and redirects written by others. Without this check a page, or one redirect,
could send the crawler to a host the source never named, or into the network the crawler runs in
(loopback, private ranges, link-local: the cloud metadata service at 169.254.169.254 is one). Every
URL is checked before its request, hop by hop, so a refused URL is never connected to; and the check
says what the request connects to (CheckedURL), so that what is checked is what is reached:

- one reading of the URL, urllib3's (`parse_url`), serves the check and the request. A URL that
  another reader could take elsewhere is refused: a backslash, a user name before the host, a
  control character, a number for a host that is not a dotted IPv4 address (2130706433, 0177.0.0.1);
  so is one that names no host or a bad port;
- a host name is resolved once, here, and the request connects to one of the addresses checked,
  never to a second lookup that DNS could answer differently;
- an address outside the public internet is refused whatever the name, allowed or not: naming a host
  does not vouch for where its DNS points. It is reached only when the allowed hosts name that
  address itself (e.g. "127.0.0.1" for a test server), or with `allow_private`.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass

from urllib3.exceptions import LocationParseError
from urllib3.util import Url, parse_url

from ingestion.capture.errors import (
    AmbiguousURL,
    ConnectionFailed,
    DisallowedScheme,
    OffHostURL,
    PrivateAddress,
)

FETCHED_SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
NUMBER = re.compile(r"[0-9]+|0x[0-9a-f]*")
"""A last label that browsers and resolvers read as a number, making the host an IPv4 address in one of
its many spellings (decimal, octal, hexadecimal, with fewer than four parts)."""


@dataclass(frozen=True)
class CheckedURL:
    """A URL the guard let through, as urllib3 reads it: where the request connects and what it sends."""

    url: str
    scheme: str
    host: str
    """Lowercase, IPv6 in brackets: sent in the Host header and, over TLS, as the server name."""
    port: int
    addresses: tuple[str, ...]
    """Every address the host had when checked, all allowed: the request connects to one of them only."""
    target: str
    """Path and query, as urllib3 encodes them."""

    @property
    def host_header(self) -> str:
        """The Host header: the URL's host, with its port when it is not the scheme's."""
        return self.host if self.port == DEFAULT_PORTS[self.scheme] else f"{self.host}:{self.port}"


def host_of(url: str) -> str:
    """The URL's host as urllib3 reads it, made bare (see `bare`); "" when the URL names none or cannot
    be read."""
    try:
        return bare(parse_url(url).host or "")
    except LocationParseError:
        return ""


def bare(host: str) -> str:
    """The host as compared with allowed hosts: lowercase, without IPv6 brackets or a trailing dot."""
    return host.lower().strip("[]").rstrip(".")


class URLGuard:
    """Refuses, before any connection, a URL outside the allowed hosts or the public internet.

    `allowed_hosts=None` allows any host with public addresses (`tdi add URL`); a crawl passes its
    source's hosts. `allow_private` opens every address, for a crawl of a site on one's own network.
    Resolved addresses are cached for the guard's life (one crawl).
    """

    def __init__(
        self, allowed_hosts: frozenset[str] | set[str] | None = None, *, allow_private: bool = False
    ):
        self.allowed_hosts = None if allowed_hosts is None else frozenset(map(bare, allowed_hosts))
        self.allow_private = allow_private
        self.resolved: dict[str, tuple[str, ...]] = {}

    def check(self, url: str) -> CheckedURL:
        """The URL with the addresses to connect to; raises a URLRefused (or ConnectionFailed when the
        name does not resolve) unless its scheme, form, host and every address of the host are allowed."""
        parts = read_url(url)
        host = bare(parts.host)
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            allowed = ", ".join(sorted(self.allowed_hosts))
            raise OffHostURL(f"{url}: host {host} is not among the source's allowed hosts ({allowed})")
        port = parts.port or DEFAULT_PORTS[parts.scheme]
        addresses = self.addresses(host, port)
        for address in addresses:
            if not (is_public(address) or self.allow_private or self.names_address(host)):
                raise PrivateAddress(
                    f"{url}: {host} is {address}, outside the public internet; only that address "
                    "named itself in allowed_hosts opens it"
                )
        return CheckedURL(url, parts.scheme, parts.host, port, addresses, parts.request_uri)

    def names_address(self, host: str) -> bool:
        """True when the host is an address that the allowed hosts name itself."""
        return is_ip_literal(host) and self.allowed_hosts is not None and host in self.allowed_hosts

    def addresses(self, host: str, port: int) -> tuple[str, ...]:
        """The host itself when it is an address, else its addresses in the resolver's order."""
        if is_ip_literal(host):
            return (host,)
        if host not in self.resolved:
            try:
                infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except (socket.gaierror, UnicodeError) as error:
                raise ConnectionFailed(f"{host}: the name does not resolve ({error})") from error
            self.resolved[host] = tuple(dict.fromkeys(str(info[4][0]) for info in infos))
        return self.resolved[host]


def read_url(url: str) -> Url:
    """urllib3's reading of an http(s) URL that names a host; raises AmbiguousURL for a URL that
    another reader could take elsewhere, or that names no host or a bad port."""
    if "\\" in url or not url.isprintable():
        raise AmbiguousURL(f"{url!r}: a backslash or a control character, read differently by browsers")
    try:
        parts = parse_url(url)
    except LocationParseError as error:
        raise AmbiguousURL(f"{url!r}: not a URL with a valid host and port ({error})") from error
    if parts.scheme not in FETCHED_SCHEMES:
        raise DisallowedScheme(f"{url}: only http and https URLs are fetched")
    if not parts.host:
        raise AmbiguousURL(f"{url}: the URL names no host")
    if parts.auth is not None:
        raise AmbiguousURL(f"{url}: a user name before the host, which some readers take for the host")
    if parts.port == 0:
        raise AmbiguousURL(f"{url}: port 0 is no port")
    if is_number_host(bare(parts.host)):
        raise AmbiguousURL(f"{url}: the host is a number not written as a dotted IPv4 address")
    return parts


def is_number_host(host: str) -> bool:
    """A host ending in a number (2130706433, 0177.0.0.1, 127.1, 0x7f.1) that is not a dotted-quad
    IPv4 address: resolvers and browsers read it as an address, each in its own way."""
    return bool(NUMBER.fullmatch(host.rsplit(".", 1)[-1])) and not is_ip_literal(host)


def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def is_public(address: str) -> bool:
    """Global unicast only: loopback, private, link-local, shared, reserved and multicast are not.
    An IPv4-mapped IPv6 address (::ffff:127.0.0.1) is judged by the IPv4 address it carries."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast
