"""What a crawl reads in an HTML page: a listing's entries and next pages, an article's title, date
and publisher, and the PDFs it offers for download.

Built for the genre (news listings and press releases of prefectures, ministries and agencies), not
for one site: entries are found by the markup such listings share (<article>, <li>, "card", "item",
"teaser" blocks), pages by rel=next, "page suivante" and ?page=N links, dates by the forms French
sites write (article:published_time, <time datetime>, "Publié le 25/09/2019", "13 février 2024").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qs, urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from ingestion.capture.guard import FETCHED_SCHEMES
from ingestion.parse.document import declared_charset
from ingestion.parse.html import decode_html

FURNITURE_TAGS = ("nav", "header", "footer", "aside")
ENTRY_TAGS = ("article", "li", "tr")
ENTRY_CLASS_WORDS = {"card", "item", "teaser", "result", "vignette", "entry", "post", "article"}
"""Words of class names that mark one entry ("fr-card", "news-item", "views-row-teaser"); a plural
("cards", "items") marks the list of entries, and a BEM element ("fr-card__title") a part of one."""
ENTRY_MAX_DEPTH = 4
NEXT_PAGE_WORDS = re.compile(r"(?:page )?suivant|next\b")
"""At the start of a link's text, title or aria-label: "Page suivante", "Suivant »", but not
"Diapositive suivante" (a carousel)."""
ATTACHMENT_WORDS = re.compile(r"telecharg|dossier de presse|\bpdf\b")
PUBLICATION_META = (
    "article:published_time",
    "og:article:published_time",
    "dcterms.issued",
    "dc.date.issued",
    "dc.date",
    "date",
)
MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}  # fmt: skip
NUMERIC_DATE = r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"
LONG_DATE = rf"(\d{{1,2}})(?:er)?\s+({'|'.join(MONTHS)})\s+(\d{{4}})"
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
ANY_DATE = re.compile(rf"{NUMERIC_DATE}|{LONG_DATE}")
STATED_DATE = re.compile(
    rf"(?:publie|mis en ligne|mise en ligne|date de publication)\s*(?:le|:)?\s*(?:{NUMERIC_DATE}|{LONG_DATE})"
)
SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Link:
    url: str
    text: str
    """The link's own words: its text, else its title attribute, else an image's alt text."""
    context: str = ""
    """The listing entry around the link (title, teaser, date): where a source's `match` is searched."""
    published_on: date | None = None
    """A date the entry states (<time datetime>, "Publié le …"), which lets `since` skip it unread."""


@dataclass(frozen=True)
class ArticleFacts:
    title: str | None
    published_on: date | None
    published_on_source: str | None
    """Where the date was read; "the first date in the text" is a guess, and marked estimated."""
    site_name: str | None

    @property
    def published_on_estimated(self) -> bool:
        return self.published_on_source == FIRST_DATE_IN_TEXT


FIRST_DATE_IN_TEXT = "the first date in the page's text"


def soup_of(content: bytes, content_type: str | None) -> BeautifulSoup:
    """Parse with the same decoding as the parser (HTTP charset, <meta>, detection)."""
    return BeautifulSoup(decode_html(content, declared_charset(content_type or "")), "lxml")


def listing_entries(soup: BeautifulSoup, page_url: str) -> list[Link]:
    """The links a listing page offers as entries, once each, in page order, with the entry's text.
    Navigation, header, footer and asides are not entries; nor is a link back to the page itself."""
    base = base_url(soup, page_url)
    entries: dict[str, Link] = {}
    for anchor in content_root(soup).find_all("a", href=True):
        url = absolute_url(base, anchor["href"])
        if url is None or url == normalised(page_url) or in_furniture(anchor):
            continue
        container = entry_container(anchor)
        text = link_text(anchor)
        context = clean(container.get_text(" ")) if container else text
        stated = stated_date(container) if container else None
        previous = entries.get(url)
        if previous is None:
            entries[url] = Link(url, text, context, stated)
        elif context not in previous.context:
            entries[url] = Link(
                url, previous.text or text, f"{previous.context} {context}", previous.published_on
            )
    return list(entries.values())


def pagination_links(soup: BeautifulSoup, page_url: str) -> list[str]:
    """The listing's other pages this page links to: rel=next, "page suivante" or "suivant" links,
    and links to the same path with a ?page=N query."""
    base = base_url(soup, page_url)
    found: list[str] = []
    for element in soup.find_all(["a", "link"], href=True):
        url = absolute_url(base, element["href"])
        if url is None or url == normalised(page_url) or url in found:
            continue
        if is_next_link(element) or (element.name == "a" and is_numbered_page_of(url, page_url)):
            found.append(url)
    return found


def page_number(url: str) -> int | None:
    """N of a ?page=N query, which orders a listing's pages."""
    values = parse_qs(urlsplit(url).query).get("page", [])
    return int(values[0]) if values and values[0].isdigit() else None


def attachment_links(soup: BeautifulSoup, page_url: str) -> list[Link]:
    """Documents the article offers: any .pdf link in its body, and links announced as downloads
    ("communiqué en téléchargement", "dossier de presse", "(PDF)")."""
    base = base_url(soup, page_url)
    found: dict[str, Link] = {}
    for anchor in content_root(soup).find_all("a", href=True):
        url = absolute_url(base, anchor["href"])
        if url is None or url in found or in_furniture(anchor):
            continue
        words = plain(f"{link_text(anchor)} {anchor.get('title', '')}")
        if (
            urlsplit(url).path.lower().endswith(".pdf")
            or ATTACHMENT_WORDS.search(words)
            or anchor.has_attr("download")
        ):
            found[url] = Link(url, link_text(anchor))
    return list(found.values())


def article_facts(soup: BeautifulSoup) -> ArticleFacts:
    published_on, source = publication_date(soup)
    return ArticleFacts(
        title=article_title(soup),
        published_on=published_on,
        published_on_source=source,
        site_name=meta_content(soup, "og:site_name"),
    )


def article_title(soup: BeautifulSoup) -> str | None:
    heading = content_root(soup).find("h1") or soup.find("h1")
    for candidate in (
        heading.get_text(" ") if heading else None,
        meta_content(soup, "og:title"),
        soup.title.get_text(" ") if soup.title else None,
    ):
        if candidate and clean(candidate):
            return clean(candidate)
    return None


def publication_date(soup: BeautifulSoup) -> tuple[date | None, str | None]:
    """The date the page says it was published, and where that was read, in order of trust."""
    for name in PUBLICATION_META:
        value = meta_content(soup, name)
        found = first_date(value) if value else None
        if found:
            return found, f"meta {name}"
    root = content_root(soup)
    for time_tag in root.find_all("time", datetime=True):
        found = first_date(time_tag["datetime"])
        if found:
            return found, "<time datetime>"
    text = plain(root.get_text(" "))
    found = date_in(STATED_DATE, text)
    if found:
        return found, "a “Publié le …” line"
    found = date_in(ANY_DATE, text)
    return (found, FIRST_DATE_IN_TEXT) if found else (None, None)


def stated_date(container: Tag) -> date | None:
    """A listing entry's own date: <time datetime> or "Publié le …", never a date in its teaser."""
    time_tag = container.find("time", datetime=True)
    found = first_date(time_tag["datetime"]) if time_tag else None
    return found or date_in(STATED_DATE, plain(container.get_text(" ")))


def first_date(value: str) -> date | None:
    """The date at the start of an ISO timestamp, or the first French date in the text."""
    iso = ISO_DATE.match(value.strip())
    if iso:
        return valid_date(*(int(part) for part in iso.groups()))
    return date_in(ANY_DATE, plain(value))


def date_in(pattern: re.Pattern, text: str) -> date | None:
    """The first real date the pattern finds (31/02/2024 is skipped), numeric or with a month name."""
    for match in pattern.finditer(text):
        day, month, year, long_day, month_name, long_year = match.groups()
        if day:
            found = valid_date(int(year), int(month), int(day))
        else:
            found = valid_date(int(long_year), MONTHS[month_name], int(long_day))
        if found:
            return found
    return None


def valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def content_root(soup: BeautifulSoup) -> Tag:
    for selector in ("main", '[role="main"]', "article", "body"):
        found = soup.select_one(selector)
        if found:
            return found
    return soup


def in_furniture(tag: Tag) -> bool:
    return any(parent.name in FURNITURE_TAGS or parent.get("role") == "navigation" for parent in tag.parents)


def entry_container(anchor: Tag) -> Tag | None:
    """The listing entry holding the link: the nearest <article>, <li>, <tr> or card-like block."""
    for depth, parent in enumerate(anchor.parents):
        if depth >= ENTRY_MAX_DEPTH or parent.name in ("main", "body"):
            return None
        if parent.name in ENTRY_TAGS or any(is_entry_class(name) for name in parent.get("class", [])):
            return parent
    return None


def is_entry_class(name: str) -> bool:
    return "__" not in name and bool(ENTRY_CLASS_WORDS & set(re.split(r"[-_]+", name.lower())))


def is_next_link(element: Tag) -> bool:
    if "next" in [value.lower() for value in element.get("rel", [])]:
        return True
    if element.name != "a":
        return False
    labels = (element.get_text(" "), element.get("title", ""), element.get("aria-label", ""))
    return any(NEXT_PAGE_WORDS.match(plain(label)) for label in labels)


def is_numbered_page_of(url: str, page_url: str) -> bool:
    candidate, page = urlsplit(url), urlsplit(page_url)
    return (candidate.netloc, candidate.path) == (page.netloc, page.path) and page_number(url) is not None


def link_text(anchor: Tag) -> str:
    image = anchor.find("img", alt=True)
    for candidate in (anchor.get_text(" "), anchor.get("title", ""), image["alt"] if image else ""):
        if clean(candidate):
            return clean(candidate)
    return ""


def meta_content(soup: BeautifulSoup, name: str) -> str | None:
    for tag in soup.find_all("meta", content=True):
        if name in (str(tag.get("property", "")).lower(), str(tag.get("name", "")).lower()):
            return clean(tag["content"]) or None
    return None


def base_url(soup: BeautifulSoup, page_url: str) -> str:
    base = soup.find("base", href=True)
    return urljoin(page_url, base["href"]) if base else page_url


def absolute_url(base: str, href: str) -> str | None:
    """The link's absolute URL without its fragment, or None when it is not an http(s) link."""
    url = normalised(urljoin(base, href.strip()))
    return url if urlsplit(url).scheme in FETCHED_SCHEMES else None


def normalised(url: str) -> str:
    """Without the fragment, scheme and host in lowercase: one spelling per resource."""
    parts = urlsplit(urldefrag(url).url)
    return parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower()).geturl()


def clean(text: str) -> str:
    return SPACES.sub(" ", text).strip()


def plain(text: str) -> str:
    """Lowercase without accents, for matching French words however they are typed ("fevrier")."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return clean("".join(char for char in decomposed if not unicodedata.combining(char)))
