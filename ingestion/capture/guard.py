"""Which URLs a fetch may reach: http(s) only, on the hosts a source allows, never into a private network.

A crawl follows links and redirects written by others. Without this check a page, or one redirect,
could send the crawler to a host the source never named, or into the network the crawler runs in
(loopback, private ranges, link-local: the cloud metadata service at 169.254.169.254 is one). Every
URL is checked before its request, hop by hop, so a refused URL is never connected to.

An address outside the public internet is reached only when the allowed hosts name that address
itself (e.g. "127.0.0.1" for a test server): naming a host does not vouch for where its DNS points.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from ingestion.capture.errors import ConnectionFailed, DisallowedScheme, OffHostURL, PrivateAddress

FETCHED_SCHEMES = ("http", "https")


def host_of(url: str) -> str:
    """The URL's host as compared with allowed hosts: lowercase, without the DNS root's trailing dot."""
    return (urlsplit(url).hostname or "").rstrip(".")


class URLGuard:
    """Refuses, before any connection, a URL outside the allowed hosts or the public internet.

    `allowed_hosts=None` allows any host with public addresses (`tdi add URL`); a crawl passes its
    source's hosts. Resolved addresses are cached for the guard's life (one crawl).
    """

    def __init__(self, allowed_hosts: frozenset[str] | set[str] | None = None):
        self.allowed_hosts = (
            None if allowed_hosts is None else frozenset(host.lower().rstrip(".") for host in allowed_hosts)
        )
        self.resolved: dict[tuple[str, int], list[str]] = {}

    def check(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in FETCHED_SCHEMES:
            raise DisallowedScheme(f"{url}: only http and https URLs are fetched")
        host = host_of(url)
        if not host:
            raise OffHostURL(f"{url}: the URL names no host")
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            allowed = ", ".join(sorted(self.allowed_hosts))
            raise OffHostURL(f"{url}: host {host} is not among the source's allowed hosts ({allowed})")
        if self.names(host):
            return
        for address in self.addresses(host, port_of(url)):
            if not is_public(address) and not self.names(address):
                raise PrivateAddress(
                    f"{url}: {host} is {address}, outside the public internet; "
                    "name that address in allowed_hosts to crawl it"
                )

    def names(self, host: str) -> bool:
        """True when the allowed hosts name this host or address explicitly."""
        return self.allowed_hosts is not None and host in self.allowed_hosts

    def addresses(self, host: str, port: int) -> list[str]:
        if is_ip_literal(host):
            return [host]
        key = (host, port)
        if key not in self.resolved:
            try:
                infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except socket.gaierror as error:
                raise ConnectionFailed(f"{host}: the name does not resolve ({error})") from error
            self.resolved[key] = sorted({str(info[4][0]) for info in infos})
        return self.resolved[key]


def port_of(url: str) -> int:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError as error:
        raise OffHostURL(f"{url}: the port is not a number between 0 and 65535") from error
    return port or (443 if parts.scheme == "https" else 80)


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
