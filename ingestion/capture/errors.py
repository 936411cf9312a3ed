"""Why a URL could not be fetched, one class per cause, so that a crawl report can be read and counted.

Every class is a FetchError: callers that only need "it failed" catch that, the crawl report keeps the
class name. The message always names the URL and says what was seen (status, size, address, rule).
"""

from __future__ import annotations


class FetchError(Exception):
    """A URL could not be captured; the message says why (status, timeout, size, scheme)."""


class HTTPStatusError(FetchError):
    """The server answered with an error status (after the retries a 429 or 5xx is given)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


class FetchTimeout(FetchError):
    """The server did not answer in time: no bytes for longer than the read timeout, or an answer
    (connection, headers and body) still unfinished at the deadline."""


class ConnectionFailed(FetchError):
    """No connection could be made (refused, reset, name not resolved, a TLS certificate not valid for
    the host)."""


class BrokenResponse(FetchError):
    """The answer could not be read: broken chunking or compression, an invalid header or URL."""


class RedirectError(FetchError):
    """A redirect that is not followed: a loop, too many hops, or one without a Location."""


class RedirectLoop(RedirectError):
    """A redirect leads back to a URL already visited in the same chain."""


class TooManyRedirects(RedirectError):
    """More hops than the policy allows: a site that redirects this much is misconfigured or hostile."""


class ResponseTooLarge(FetchError):
    """The body is (or declares itself) larger than the size cap."""


class EmptyBody(FetchError):
    """A 200 answer with no bytes: nothing to capture."""


class UnexpectedMediaType(FetchError):
    """The bytes are not what the crawl expected at that URL (a listing that is not HTML, an attachment
    that is not a PDF)."""


class NotModifiedUnasked(FetchError):
    """A 304 answer to a request that was not conditional: there is no earlier copy to stand in for it."""


class URLRefused(FetchError):
    """A URL the crawl will not request; refused before any connection is made."""


class DisallowedScheme(URLRefused):
    """Only http and https are fetched (no file:, ftp:, data:…)."""


class OffHostURL(URLRefused):
    """The host is not one the source allows."""


class AmbiguousURL(URLRefused):
    """A URL that readers could take to different hosts (a backslash, a user name before the host, a
    control character, a number for a host), or that names no host or a bad port."""


class PrivateAddress(URLRefused):
    """The host is, or resolves to, an address outside the public internet (loopback, private,
    link-local…), and the source does not name that address itself."""


class RobotsDisallowed(URLRefused):
    """The site's robots.txt disallows the URL for our User-Agent, or could not be read (RFC 9309)."""
