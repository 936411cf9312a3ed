"""Fetching one URL politely and safely, for `tdi add URL`.

The crawler builds on this: every request goes through one session with an identifying
User-Agent, timeouts, bounded retries with backoff, and a size cap.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from ingestion import settings


class FetchError(Exception):
    """A URL could not be captured; the message says why (status, timeout, size, scheme)."""


@dataclass(frozen=True)
class FetchResponse:
    url: str
    final_url: str
    status: int
    content_type: str | None
    content: bytes
    headers: dict[str, str]


def build_session() -> requests.Session:
    retry = Retry(
        total=settings.FETCH_RETRIES,
        backoff_factor=settings.FETCH_BACKOFF_SECONDS,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=("GET", "HEAD"),
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    session = requests.Session()
    session.headers["User-Agent"] = settings.USER_AGENT
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    return session


def fetch(url: str, session: requests.Session | None = None) -> FetchResponse:
    if urlsplit(url).scheme not in ("http", "https"):
        raise FetchError(f"{url}: only http and https URLs are fetched")
    session = session or build_session()
    try:
        with session.get(url, timeout=settings.FETCH_TIMEOUT_SECONDS, stream=True) as response:
            if response.status_code >= 400:
                raise FetchError(f"{url}: HTTP {response.status_code} {response.reason}")
            content = read_capped(response, url)
            return FetchResponse(
                url=url,
                final_url=response.url,
                status=response.status_code,
                content_type=response.headers.get("Content-Type"),
                content=content,
                headers=dict(response.headers),
            )
    except requests.TooManyRedirects as error:
        raise FetchError(f"{url}: too many redirects (a redirect loop?)") from error
    except requests.Timeout as error:
        raise FetchError(f"{url}: no answer within {settings.FETCH_TIMEOUT_SECONDS} s") from error
    except requests.RequestException as error:
        raise FetchError(f"{url}: {type(error).__name__}: {error}") from error


def read_capped(response: requests.Response, url: str) -> bytes:
    chunks, size = [], 0
    for chunk in response.iter_content(chunk_size=64 * 1024):
        size += len(chunk)
        if size > settings.MAX_RESPONSE_BYTES:
            raise FetchError(f"{url}: response larger than {settings.MAX_RESPONSE_BYTES} bytes, not captured")
        chunks.append(chunk)
    content = b"".join(chunks)
    if not content:
        raise FetchError(f"{url}: empty body")
    return content
