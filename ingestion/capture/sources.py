"""The sites to crawl, read from `raw/sources.yml`.

Format: a mapping with one key, `sources`, holding a list of sources::

    sources:
      - name: prefecture-centre-val-de-loire        # required, unique: names the source in reports
        listing_url: https://www.prefectures-regions.gouv.fr/centre-val-de-loire/Actualites
                                                    # required: the news listing's first page (http/https)
        match: "territoires? d.industrie"           # required: regex, case-insensitive, searched in each
                                                    # listing entry (link text, title and teaser)
        allowed_hosts:                              # optional: hosts the crawl may request; default: the
          - www.prefectures-regions.gouv.fr         # listing's host. Exact names, no wildcards. An address
                                                    # outside the public internet (127.0.0.1, 10.x…) is
                                                    # reached only when listed here as that address.
        publisher: Préfecture de la région Centre-Val de Loire
                                                    # optional: else the page's og:site_name, else the host
        max_pages: 10                               # optional: listing pages read (default CRAWL_MAX_PAGES)
        max_articles: 300                           # optional: articles requested at most (default
                                                    # CRAWL_MAX_ARTICLES_PER_SOURCE)
        since: 2018-11-22                           # optional: articles published earlier are skipped
        delay_seconds: 2                            # optional: pause between two requests to one host
                                                    # (default CRAWL_DELAY_SECONDS)

Unknown keys are refused, so that a misspelt `alowed_hosts` is an error rather than a silent default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import yaml

from ingestion import settings
from ingestion.capture.guard import FETCHED_SCHEMES, host_of

REQUIRED_KEYS = ("name", "listing_url", "match")
OPTIONAL_KEYS = ("allowed_hosts", "publisher", "max_pages", "max_articles", "since", "delay_seconds")


class SourceConfigError(Exception):
    """raw/sources.yml is not what the crawler needs; the message names the source and the key."""


@dataclass(frozen=True)
class SourceConfig:
    name: str
    listing_url: str
    match: str
    allowed_hosts: frozenset[str] = frozenset()
    publisher: str | None = None
    max_pages: int = field(default_factory=lambda: settings.CRAWL_MAX_PAGES)
    max_articles: int = field(default_factory=lambda: settings.CRAWL_MAX_ARTICLES_PER_SOURCE)
    since: date | None = None
    delay_seconds: float = field(default_factory=lambda: settings.CRAWL_DELAY_SECONDS)

    def __post_init__(self):
        if not self.allowed_hosts:
            object.__setattr__(self, "allowed_hosts", frozenset({host_of(self.listing_url)}))

    @property
    def pattern(self) -> re.Pattern:
        return re.compile(self.match, re.IGNORECASE)


def load_sources(path: Path | str) -> list[SourceConfig]:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise SourceConfigError(f"{path}: cannot be read as YAML: {error}") from error
    entries = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise SourceConfigError(f"{path}: expected a list under 'sources'")
    sources = [source_from_entry(entry, index) for index, entry in enumerate(entries)]
    names = [source.name for source in sources]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise SourceConfigError(f"{path}: source names must be unique: {', '.join(duplicates)}")
    return sources


def source_from_entry(entry: object, index: int) -> SourceConfig:
    if not isinstance(entry, dict):
        raise SourceConfigError(f"source #{index + 1} is not a mapping of keys")
    label = entry.get("name") or f"source #{index + 1}"
    unknown = sorted(set(entry) - set(REQUIRED_KEYS) - set(OPTIONAL_KEYS))
    if unknown:
        raise SourceConfigError(f"{label}: unknown keys {', '.join(unknown)}")
    missing = [key for key in REQUIRED_KEYS if not entry.get(key)]
    if missing:
        raise SourceConfigError(f"{label}: missing {', '.join(missing)}")
    values = {key: entry[key] for key in (*REQUIRED_KEYS, *OPTIONAL_KEYS) if entry.get(key) is not None}
    check_listing_url(label, values["listing_url"])
    check_pattern(label, values["match"])
    if "allowed_hosts" in values:
        values["allowed_hosts"] = allowed_hosts(label, values["allowed_hosts"], values["listing_url"])
    if "since" in values:
        values["since"] = since_date(label, values["since"])
    check_number(label, values, "max_pages", minimum=1, kind=int)
    check_number(label, values, "max_articles", minimum=1, kind=int)
    check_number(label, values, "delay_seconds", minimum=0, kind=(int, float))
    return SourceConfig(**values)


def check_listing_url(label: str, url: object) -> None:
    if not isinstance(url, str) or not url.startswith(tuple(f"{scheme}://" for scheme in FETCHED_SCHEMES)):
        raise SourceConfigError(f"{label}: listing_url {url!r} is not an http(s) URL")


def check_pattern(label: str, match: object) -> None:
    try:
        re.compile(str(match), re.IGNORECASE)
    except re.error as error:
        raise SourceConfigError(f"{label}: match {match!r} is not a valid regex: {error}") from error


def allowed_hosts(label: str, hosts: object, listing_url: str) -> frozenset[str]:
    if not isinstance(hosts, list) or not all(isinstance(host, str) and host for host in hosts):
        raise SourceConfigError(f"{label}: allowed_hosts must be a list of host names")
    names = frozenset(host.lower().rstrip(".") for host in hosts)
    if host_of(listing_url) not in names:
        raise SourceConfigError(
            f"{label}: allowed_hosts does not include the listing's host {host_of(listing_url)}"
        )
    return names


def since_date(label: str, value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise SourceConfigError(f"{label}: since {value!r} is not a date (YYYY-MM-DD)") from error


def check_number(label: str, values: dict, key: str, *, minimum: float, kind) -> None:
    if key not in values:
        return
    value = values[key]
    if isinstance(value, bool) or not isinstance(value, kind) or value < minimum:
        raise SourceConfigError(f"{label}: {key} must be a number of at least {minimum}, not {value!r}")
