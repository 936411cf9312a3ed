"""Politeness: what a site's robots.txt lets us fetch, and a pause between two requests to one host.

robots.txt is read once per origin and crawl, as RFC 9309 says: a 4xx answer (no robots.txt) allows
everything; a 5xx answer, no answer or an unreadable one means the site is unreachable, and then
everything is disallowed. Protego reads the rules as Google and the RFC do (the longest matching rule
wins; * and $ are wildcards), which the standard library's robotparser does not.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlsplit

from protego import Protego

from ingestion.capture.errors import EmptyBody, FetchError, HTTPStatusError, RobotsDisallowed
from ingestion.capture.fetch import FetchResponse
from ingestion.capture.guard import host_of


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class RobotsRules:
    """Each origin's robots.txt, fetched on first use with `fetch_robots` and kept for the crawl."""

    def __init__(self, fetch_robots: Callable[[str], FetchResponse], user_agent: str):
        self.fetch_robots = fetch_robots
        self.user_agent = user_agent
        self.by_origin: dict[str, Protego | str] = {}

    def check(self, url: str) -> None:
        """Raise RobotsDisallowed when the URL's robots.txt disallows it or could not be read."""
        origin = origin_of(url)
        if origin not in self.by_origin:
            self.by_origin[origin] = self.read(f"{origin}/robots.txt")
        rules = self.by_origin[origin]
        if isinstance(rules, str):
            raise RobotsDisallowed(f"{url}: {rules}")
        if not rules.can_fetch(url, self.user_agent):
            raise RobotsDisallowed(f"{url}: disallowed by {origin}/robots.txt")

    def read(self, robots_url: str) -> Protego | str:
        """The parsed rules, or why the whole origin is disallowed (RFC 9309 §2.3.1)."""
        try:
            response = self.fetch_robots(robots_url)
        except EmptyBody:
            return Protego.parse("")
        except HTTPStatusError as error:
            if 400 <= error.status < 500:
                return Protego.parse("")
            return f"{robots_url} is unreachable ({error}), so everything is disallowed (RFC 9309)"
        except FetchError as error:
            return f"{robots_url} could not be read ({type(error).__name__}: {error}), so everything is disallowed (RFC 9309)"
        return Protego.parse(response.content.decode("utf-8", errors="replace"))


class HostThrottle:
    """Spaces two requests to the same host by at least `delay_seconds`."""

    def __init__(self, delay_seconds: float):
        self.delay_seconds = delay_seconds
        self.last_request: dict[str, float] = {}

    def wait(self, url: str) -> None:
        host = host_of(url)
        if host in self.last_request:
            remaining = self.last_request[host] + self.delay_seconds - time.monotonic()
            if remaining > 0:
                time.sleep(remaining)
        self.last_request[host] = time.monotonic()
