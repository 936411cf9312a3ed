"""Fetching one URL politely and safely, for `tdi add URL` and for every request of a crawl.

Every request goes through one session with an identifying User-Agent, timeouts, bounded retries
with backoff on 429, 5xx and connection errors (urllib3's Retry; a server's Retry-After is honoured
up to a cap), and a size cap. Redirects are followed here rather than by requests, so that each
hop's Location goes through `admit` (scheme, host, address, robots, politeness delay) before it is
requested, and a loop is named as one. A conditional request (If-None-Match, If-Modified-Since)
answered 304 comes back as a response with `not_modified` set and no body.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urldefrag, urljoin

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from urllib3.exceptions import MaxRetryError, NewConnectionError
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
from ingestion.capture.guard import URLGuard

__all__ = ["FetchError", "FetchPolicy", "FetchResponse", "build_session", "fetch"]

RETRIED_STATUSES = (429, 500, 502, 503, 504)
CONDITIONAL_HEADERS = ("If-None-Match", "If-Modified-Since")
CHUNK_BYTES = 64 * 1024

Admit = Callable[[str], None]
"""Called with each URL (the first and every redirect hop) before it is requested; raises to refuse."""


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


def build_session(policy: FetchPolicy | None = None) -> requests.Session:
    policy = policy or FetchPolicy()
    retry = CappedRetry(
        total=policy.retries,
        backoff_factor=policy.backoff_seconds,
        status_forcelist=RETRIED_STATUSES,
        allowed_methods=("GET", "HEAD"),
        respect_retry_after_header=True,
        raise_on_status=False,
        retry_after_cap_seconds=policy.retry_after_max_seconds,
    )
    session = requests.Session()
    session.headers["User-Agent"] = policy.user_agent
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    return session


def fetch(
    url: str,
    session: requests.Session | None = None,
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
        admit_hop(admit, chain)
        try:
            with session.get(
                chain[-1],
                headers=dict(headers or {}),
                timeout=policy.timeout_seconds,
                stream=True,
                allow_redirects=False,
            ) as response:
                target = redirect_target(response, chain[-1])
                if target is None:
                    return response_of(response, chain, policy, conditional)
        except requests.RequestException as error:
            raise request_error(chain[-1], error, policy) from error
        chain.append(next_hop(chain, target, policy))


def admit_hop(admit: Admit, chain: list[str]) -> None:
    """Admit the chain's last URL; a refused redirect says where it came from, keeping the refusal's class."""
    try:
        admit(chain[-1])
    except URLRefused as refusal:
        if len(chain) == 1:
            raise
        raise type(refusal)(f"{chain[0]} redirects to a refused URL: {refusal}") from refusal


def redirect_target(response: requests.Response, url: str) -> str | None:
    """The absolute URL a 3xx answer points to (fragment dropped), or None when it is not a redirect."""
    if not 300 <= response.status_code < 400 or response.status_code == 304:
        return None
    location = response.headers.get("Location")
    if not location:
        raise RedirectError(f"{url}: HTTP {response.status_code} redirect without a Location header")
    return urldefrag(urljoin(url, location)).url


def next_hop(chain: list[str], target: str, policy: FetchPolicy) -> str:
    if target in chain:
        loop = " → ".join([*chain[chain.index(target) :], target])
        raise RedirectLoop(f"{chain[0]}: redirect loop ({loop})")
    if len(chain) > policy.max_redirects:
        raise TooManyRedirects(f"{chain[0]}: more than {policy.max_redirects} redirects (last to {target})")
    return target


def response_of(
    response: requests.Response, chain: list[str], policy: FetchPolicy, conditional: bool
) -> FetchResponse:
    fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
    described = chain[0] if len(chain) == 1 else f"{chain[0]} (redirected to {chain[-1]})"
    if response.status_code == 304 and not conditional:
        raise NotModifiedUnasked(f"{described}: HTTP 304 to a request that was not conditional")
    if response.status_code >= 400:
        raise HTTPStatusError(
            f"{described}: HTTP {response.status_code} {response.reason}", response.status_code
        )
    content = b"" if response.status_code == 304 else read_capped(response, described, policy)
    return FetchResponse(
        url=chain[0],
        final_url=chain[-1],
        status=response.status_code,
        content_type=response.headers.get("Content-Type"),
        content=content,
        headers=CaseInsensitiveDict(response.headers),
        fetched_at=fetched_at,
        redirects=tuple(chain[1:]),
    )


def read_capped(response: requests.Response, url: str, policy: FetchPolicy) -> bytes:
    """Read the body up to the size cap and the deadline; a declared Content-Length over the cap is
    refused before any byte is read."""
    cap = policy.max_response_bytes
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > cap:
        raise ResponseTooLarge(f"{url}: Content-Length {declared} is over the {cap}-byte cap, not captured")
    chunks, size, started = [], 0, time.monotonic()
    for chunk in response.iter_content(chunk_size=CHUNK_BYTES):
        size += len(chunk)
        if size > cap:
            raise ResponseTooLarge(f"{url}: response larger than {cap} bytes, not captured")
        if time.monotonic() - started > policy.deadline_seconds:
            raise FetchTimeout(f"{url}: the body took longer than {policy.deadline_seconds} s to arrive")
        chunks.append(chunk)
    content = b"".join(chunks)
    if not content:
        raise EmptyBody(f"{url}: empty body (HTTP {response.status_code})")
    return content


def request_error(url: str, error: requests.RequestException, policy: FetchPolicy) -> FetchError:
    """Name what went wrong. requests reports an exhausted read timeout as a ConnectionError, and
    urllib3 files a refused connection under its timeouts: the wrapped causes tell them apart."""
    found = causes(error)
    refused = next((cause for cause in found if isinstance(cause, NewConnectionError)), None)
    if refused is not None:
        return ConnectionFailed(f"{url}: connection failed: {refused}")
    if any(isinstance(cause, (requests.Timeout, Urllib3Timeout, socket.timeout)) for cause in found):
        return FetchTimeout(f"{url}: no answer within {policy.timeout_seconds} s")
    if isinstance(error, requests.ConnectionError):
        return ConnectionFailed(f"{url}: connection failed: {error}")
    return BrokenResponse(f"{url}: {type(error).__name__}: {error}")


def causes(error: BaseException) -> list[BaseException]:
    """The error and what it wraps: exception chaining, a first argument that is an exception, and
    urllib3's MaxRetryError.reason."""
    found: list[BaseException] = []
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or any(current is seen for seen in found):
            continue
        found.append(current)
        wrapped = current.args[0] if current.args and isinstance(current.args[0], BaseException) else None
        reason = current.reason if isinstance(current, MaxRetryError) else None
        pending.extend((current.__cause__, current.__context__, wrapped, reason))
    return found
