"""Fetching one URL politely and safely, for `tdi add URL` and for every request of a crawl.

Every URL, the first and each redirect hop, goes through `admit` (by default URLGuard.check: scheme,
form, host, address; a crawl adds robots.txt and its politeness delay) before it is requested.
`admit` returns the URL as urllib3 reads it with the addresses it checked, and the request connects
to one of those addresses and to nothing else: no second DNS lookup. It sends the URL's host in the
Host header and, over TLS, as the server name the certificate must be valid for (certifi's CAs).

Each try has a connection of its own and two time limits: every wait for bytes (connecting, each
read) lasts at most `timeout_seconds`, and the whole try (connection, TLS, headers, body) at most
`deadline_seconds`, when a watchdog shuts its socket whatever it is waiting for, so a server that
drips bytes cannot hold a fetch. Tries are bounded by urllib3's Retry: backoff on 429, 5xx and
failed tries, a server's Retry-After honoured up to a cap; an answer that is retried is closed
unread, and a try cut by the deadline is not retried. The body is read as its bytes arrive, up to a
size cap. Redirects are followed here, hop by hop through `admit`, and a loop is named as one. A
conditional request (If-None-Match, If-Modified-Since) answered 304 comes back as a response with
`not_modified` set and no body.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.client import HTTPException
from urllib.parse import urldefrag, urljoin

import certifi
from urllib3 import HTTPResponse
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import TimeoutError as Urllib3Timeout
from urllib3.util.retry import Retry

from ingestion import settings
from ingestion.capture.errors import (
    BrokenResponse,
    ConnectionFailed,
    EmptyBody,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    NotModifiedUnasked,
    RedirectError,
    RedirectLoop,
    ResponseTooLarge,
    TooManyRedirects,
    URLRefused,
)
from ingestion.capture.guard import CheckedURL, URLGuard

__all__ = ["FetchError", "FetchPolicy", "FetchResponse", "Session", "build_session", "fetch"]

RETRIED_STATUSES = (429, 500, 502, 503, 504)
CONDITIONAL_HEADERS = ("If-None-Match", "If-Modified-Since")
CHUNK_BYTES = 64 * 1024
NETWORK_ERRORS = (OSError, HTTPException, Urllib3Error)
"""What connecting, sending and reading can raise: socket and TLS errors, http.client's, urllib3's."""

Admit = Callable[[str], CheckedURL]
"""Called with each URL (the first and every redirect hop) before it is requested; raises to refuse,
else returns the URL as checked, which is what the request connects to."""


@dataclass(frozen=True)
class FetchPolicy:
    """How patient and how strict a fetch is. The defaults are the settings; tests pass small values."""

    user_agent: str = field(default_factory=lambda: settings.USER_AGENT)
    timeout_seconds: float = field(default_factory=lambda: settings.FETCH_TIMEOUT_SECONDS)
    deadline_seconds: float = field(default_factory=lambda: settings.FETCH_DEADLINE_SECONDS)
    retries: int = field(default_factory=lambda: settings.FETCH_RETRIES)
    backoff_seconds: float = field(default_factory=lambda: settings.FETCH_BACKOFF_SECONDS)
    retry_after_max_seconds: float = field(default_factory=lambda: settings.RETRY_AFTER_MAX_SECONDS)
    max_response_bytes: int = field(default_factory=lambda: settings.MAX_RESPONSE_BYTES)
    max_redirects: int = field(default_factory=lambda: settings.MAX_REDIRECTS)


@dataclass(frozen=True)
class FetchResponse:
    url: str
    final_url: str
    status: int
    content_type: str | None
    content: bytes
    headers: Mapping[str, str]
    fetched_at: str | None = None
    redirects: tuple[str, ...] = ()

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("ETag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("Last-Modified")

    @property
    def content_length(self) -> int | None:
        value = self.headers.get("Content-Length", "")
        return int(value) if value.isdigit() else None


class CappedRetry(Retry):
    """urllib3's Retry, with a server's Retry-After honoured only up to a cap: a server asking for an
    hour would otherwise hold the whole crawl. urllib3 builds a new Retry per attempt, hence `new`."""

    def __init__(self, *args, retry_after_cap_seconds: float, **kwargs):
        super().__init__(*args, **kwargs)
        self.retry_after_cap_seconds = retry_after_cap_seconds

    def new(self, **kwargs) -> CappedRetry:
        kwargs.setdefault("retry_after_cap_seconds", self.retry_after_cap_seconds)
        return super().new(**kwargs)

    def get_retry_after(self, response) -> float | None:
        seconds = super().get_retry_after(response)
        return None if seconds is None else min(seconds, self.retry_after_cap_seconds)


class Session:
    """What the requests of a run share: the User-Agent, the retries, and the TLS context (certifi's
    CAs, read once). It keeps no connection: each try opens its own, to an address just checked."""

    def __init__(self, policy: FetchPolicy):
        self.user_agent = policy.user_agent
        self.retry = CappedRetry(
            total=policy.retries,
            backoff_factor=policy.backoff_seconds,
            status_forcelist=RETRIED_STATUSES,
            allowed_methods=("GET",),
            respect_retry_after_header=True,
            retry_after_cap_seconds=policy.retry_after_max_seconds,
        )
        self.tls = ssl.create_default_context(cafile=certifi.where())


def build_session(policy: FetchPolicy | None = None) -> Session:
    return Session(policy or FetchPolicy())


def fetch(
    url: str,
    session: Session | None = None,
    *,
    policy: FetchPolicy | None = None,
    admit: Admit | None = None,
    headers: Mapping[str, str] | None = None,
) -> FetchResponse:
    """GET one URL, following redirects hop by hop through `admit` (by default: http(s) to public
    addresses only). `headers` may make the request conditional; a 304 then returns no body."""
    policy = policy or FetchPolicy()
    admit = admit or URLGuard().check
    session = session or build_session(policy)
    conditional = any(name in (headers or {}) for name in CONDITIONAL_HEADERS)
    chain = [url]
    while True:
        checked = admit_hop(admit, chain)
        with final_try(session, checked, headers or {}, policy) as exchange:
            target = redirect_target(exchange.response, chain[-1])
            if target is None:
                return response_of(exchange, chain, policy, conditional)
        chain.append(next_hop(chain, target, policy))


def admit_hop(admit: Admit, chain: list[str]) -> CheckedURL:
    """Admit the chain's last URL; a refused redirect says where it came from, keeping the refusal's class."""
    try:
        return admit(chain[-1])
    except URLRefused as refusal:
        if len(chain) == 1:
            raise
        raise type(refusal)(f"{chain[0]} redirects to a refused URL: {refusal}") from refusal


DEADLINE_SLACK_SECONDS = 0.05
"""A socket timeout set to the time left ends at the deadline, give or take the clock's rounding."""


class Exchange:
    """One try: a connection of its own to one of the checked addresses, the GET, and its answer.
    At the deadline a watchdog shuts the socket, whatever the try is waiting for (TLS, headers,
    body), and the try fails with FetchTimeout."""

    def __init__(self, checked: CheckedURL, session: Session, policy: FetchPolicy):
        self.checked = checked
        self.session = session
        self.policy = policy
        self.deadline = time.monotonic() + policy.deadline_seconds
        self.connection: HTTPConnection | None = None
        self.response: HTTPResponse | None = None
        self.expired = False
        self.watchdog = threading.Timer(policy.deadline_seconds, self.expire)
        self.watchdog.daemon = True
        self.watchdog.start()

    def __enter__(self) -> Exchange:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def expire(self) -> None:
        """The watchdog's work at the deadline: a read blocked on the socket returns at once."""
        self.expired = True
        connection = self.connection
        sock = connection.sock if connection is not None else None
        if sock is not None:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.watchdog.cancel()
        if self.connection is not None:
            self.connection.close()

    def send(self, headers: Mapping[str, str]) -> HTTPResponse:
        """Connect, send the GET, and read the answer's status line and headers."""
        try:
            self.connect()
            if self.expired:
                raise self.timed_out()
            self.connection.request("GET", self.checked.target, headers=headers, preload_content=False)
            self.response = self.connection.getresponse()
        except NETWORK_ERRORS as error:
            raise self.failure(error) from error
        if self.expired:
            raise self.timed_out()
        return self.response

    def connect(self) -> None:
        """Connect to the first checked address that takes a connection: a host may list first an
        address this network cannot reach (IPv6 often)."""
        *others, last = self.checked.addresses
        for address in others:
            with suppress(ConnectTimeoutError):  # NewConnectionError included
                self.connect_to(address)
                return
        self.connect_to(last)

    def connect_to(self, address: str) -> None:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise self.timed_out()
        timeout = min(self.policy.timeout_seconds, left)
        if self.checked.scheme == "https":
            self.connection = HTTPSConnection(
                address,
                self.checked.port,
                timeout=timeout,
                server_hostname=self.checked.host,
                ssl_context=self.session.tls,
            )
        else:
            self.connection = HTTPConnection(address, self.checked.port, timeout=timeout)
        self.connection.connect()

    def read(self) -> bytes:
        """The body's next bytes, as soon as some arrive; b"" at its end."""
        try:
            chunk = self.response.read1(CHUNK_BYTES)
        except NETWORK_ERRORS as error:
            raise self.failure(error) from error
        if self.expired:
            raise self.timed_out()
        return chunk

    def failure(self, error: Exception) -> FetchError:
        """Name what went wrong; once the deadline has passed, whatever broke, the deadline did (the
        socket's own timeout, never longer than the time left, may fire just before the watchdog)."""
        url = self.checked.url
        if self.expired or time.monotonic() >= self.deadline - DEADLINE_SLACK_SECONDS:
            self.expired = True
            return self.timed_out()
        if isinstance(error, NewConnectionError):
            return ConnectionFailed(f"{url}: connection failed: {error}")
        if isinstance(error, (TimeoutError, Urllib3Timeout)):
            return FetchTimeout(f"{url}: no answer within {self.policy.timeout_seconds} s")
        if isinstance(error, OSError):
            return ConnectionFailed(f"{url}: connection failed: {error}")
        return BrokenResponse(f"{url}: {type(error).__name__}: {error}")

    def timed_out(self) -> FetchTimeout:
        deadline = self.policy.deadline_seconds
        return FetchTimeout(f"{self.checked.url}: the answer was not over within the {deadline} s deadline")


def final_try(
    session: Session, checked: CheckedURL, headers: Mapping[str, str], policy: FetchPolicy
) -> Exchange:
    """The try whose answer is final, its body unread. A 429 or 5xx answer, or a failed try, is
    retried as the session's Retry allows, on a new connection; a try cut by the deadline is not."""
    headers = {"Host": checked.host_header, "User-Agent": session.user_agent, **headers}
    retry = session.retry
    while True:
        exchange = Exchange(checked, session, policy)
        try:
            response = exchange.send(headers)
        except FetchError as failure:
            exchange.close()
            if exchange.expired:
                raise
            try:
                retry = retry.increment("GET", checked.url, error=failure)
            except MaxRetryError:
                raise failure from failure.__cause__
            retry.sleep()
            continue
        if not retry.is_retry("GET", response.status, "Retry-After" in response.headers):
            return exchange
        try:
            retry = retry.increment("GET", checked.url, response=response)
        except MaxRetryError:
            return exchange
        exchange.close()
        retry.sleep(response)


def redirect_target(response: HTTPResponse, url: str) -> str | None:
    """The absolute URL a 3xx answer points to (fragment dropped), or None when it is not a redirect."""
    if not 300 <= response.status < 400 or response.status == 304:
        return None
    location = response.headers.get("Location")
    if not location:
        raise RedirectError(f"{url}: HTTP {response.status} redirect without a Location header")
    return urldefrag(urljoin(url, location)).url


def next_hop(chain: list[str], target: str, policy: FetchPolicy) -> str:
    if target in chain:
        loop = " → ".join([*chain[chain.index(target) :], target])
        raise RedirectLoop(f"{chain[0]}: redirect loop ({loop})")
    if len(chain) > policy.max_redirects:
        raise TooManyRedirects(f"{chain[0]}: more than {policy.max_redirects} redirects (last to {target})")
    return target


def response_of(
    exchange: Exchange, chain: list[str], policy: FetchPolicy, conditional: bool
) -> FetchResponse:
    response = exchange.response
    fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
    described = chain[0] if len(chain) == 1 else f"{chain[0]} (redirected to {chain[-1]})"
    if response.status == 304 and not conditional:
        raise NotModifiedUnasked(f"{described}: HTTP 304 to a request that was not conditional")
    if response.status >= 400:
        raise HTTPStatusError(f"{described}: HTTP {response.status} {response.reason}", response.status)
    content = b"" if response.status == 304 else read_capped(exchange, described, policy)
    return FetchResponse(
        url=chain[0],
        final_url=chain[-1],
        status=response.status,
        content_type=response.headers.get("Content-Type"),
        content=content,
        headers=response.headers,
        fetched_at=fetched_at,
        redirects=tuple(chain[1:]),
    )


def read_capped(exchange: Exchange, url: str, policy: FetchPolicy) -> bytes:
    """Read the body up to the size cap (within the try's deadline); a declared Content-Length over
    the cap is refused before any byte is read."""
    cap = policy.max_response_bytes
    declared = exchange.response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > cap:
        raise ResponseTooLarge(f"{url}: Content-Length {declared} is over the {cap}-byte cap, not captured")
    chunks, size = [], 0
    while chunk := exchange.read():
        size += len(chunk)
        if size > cap:
            raise ResponseTooLarge(f"{url}: response larger than {cap} bytes, not captured")
        chunks.append(chunk)
    content = b"".join(chunks)
    if not content:
        raise EmptyBody(f"{url}: empty body (HTTP {exchange.response.status})")
    return content
