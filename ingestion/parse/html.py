"""The main text of an HTML page: decoded right, page furniture dropped, one block per line.

Built for the genre (press releases and news on ministry, prefecture and magazine sites), not for
one site: furniture is recognised by element, role and class names that sites share (nav, footer,
breadcrumb, share, cookie, newsletter, sidebar…), and the article by <article>/<main> or, failing
those, by where the paragraphs are (as readability and trafilatura do).
"""

from __future__ import annotations

import codecs
import re

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from charset_normalizer import from_bytes

from ingestion import settings
from ingestion.lists import LIST_MARKER
from ingestion.parse.document import (
    DocumentTooLarge,
    EmptyDocument,
    GarbledText,
    ParsedDocument,
    UnsupportedContent,
)

FURNITURE_TAGS = (
    "script", "style", "noscript", "template", "svg", "form", "nav", "header", "footer", "aside",
    "iframe", "button", "select", "input", "textarea", "img", "picture", "video", "audio", "canvas", "map",
)  # fmt: skip
FURNITURE_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary", "dialog", "alertdialog"}
FURNITURE_NAMES = re.compile(
    r"(?:^|[-_\s])(?:menu|nav|navigation|breadcrumbs?|share|sharing|sharedaddy|social|partage|cookies?|consent|"
    r"tarteaucitron\w*|cn-notice\w*|newsletter|related|footer|header|sidebar|sidemenu|comments?|subscribe|"
    r"abonnement|skip|skiplinks|skip-link|download|widget|post-navigation|top-bar|banner|breadcrumb|print|"
    r"tags-links|entry-footer|advert|ads|pub)(?:$|[-_\s])",
    re.IGNORECASE,
)
BLOCK_TAGS = {
    "address", "article", "blockquote", "body", "dd", "details", "dialog", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "html", "li", "main", "ol", "p", "pre",
    "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "caption",
}  # fmt: skip
CONTENT_SELECTORS = (
    '[itemprop="articleBody"]',
    "article",
    '[role="main"]',
    "main",
    ".entry-content",
    ".article-content",
    ".field--name-body",
    ".node__content",
)
COLLAPSIBLE_SPACE = re.compile(r"[ \t\r\n\f\v]+")
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
"""A byte-order mark says the encoding, whatever the page declares; UTF-32's LE mark begins with UTF-16's."""
# Browsers read latin-1 labels as windows-1252 (WHATWG Encoding): so must we, or "’" and "€" are lost.
BROWSER_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252"}


def parse_html(content: bytes, declared_charset: str | None = None) -> ParsedDocument:
    if len(content) > settings.MAX_HTML_BYTES:
        raise DocumentTooLarge(
            f"HTML page of {len(content)} bytes exceeds the {settings.MAX_HTML_BYTES}-byte bound"
        )
    markup = decode_html(content, declared_charset)
    if "<" not in markup[:2048]:
        raise UnsupportedContent("declared as HTML but the content has no markup")
    soup = BeautifulSoup(markup, "lxml")
    title = page_title(soup)
    remove_furniture(soup)
    container = main_container(soup)
    lines = block_lines(container) if container else []
    if not lines:
        raise EmptyDocument("no main text left once page furniture was removed")
    return ParsedDocument(text="\n".join(lines), title=title)


def decode_html(content: bytes, declared_charset: str | None) -> str:
    """Decode as a browser would (a BOM, then the declared charset, then <meta charset>, then detection), and
    refuse with GarbledText a result that is not text: never mojibake, never figures read from it."""
    markup = decoded(content, declared_charset)
    refuse_garbled(markup)
    return markup


def decoded(content: bytes, declared_charset: str | None) -> str:
    for bom, codec in BOMS:
        if content.startswith(bom):
            return content[len(bom) :].decode(codec, errors="replace")
    for label in (declared_charset, meta_charset(content)):
        if label:
            codec = BROWSER_ALIASES.get(label.lower(), label)
            try:
                return content.decode(codec)
            except (LookupError, UnicodeDecodeError):
                continue
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(content, cp_isolation=["cp1252", "iso-8859-15", "utf-8"]).best()
        return str(best) if best else content.decode("cp1252", errors="replace")


def meta_charset(content: bytes) -> str | None:
    """The <meta> charset of an ASCII-compatible page; a UTF-16 or UTF-32 label there is read as UTF-8,
    as browsers do (the meta could not have been read in those encodings)."""
    match = META_CHARSET.search(content[:4096])
    if not match:
        return None
    label = match.group(1).decode("ascii", errors="ignore")
    return "utf-8" if label.lower().startswith(("utf-16", "utf-32")) else label


def refuse_garbled(markup: str) -> None:
    """Raise GarbledText when control or replacement characters are more than the share settings allow."""
    garbled = sum(1 for char in markup if char == "\ufffd" or (char < " " and char not in "\t\n\r\f"))
    if markup and garbled / len(markup) > settings.GARBLED_CHARACTERS_MAX_SHARE:
        raise GarbledText(
            f"{garbled} of {len(markup)} characters are control or replacement characters once decoded: "
            "the page's encoding is not what it declares or what could be detected"
        )


def page_title(soup: BeautifulSoup) -> str | None:
    heading = soup.find("h1")
    if heading and heading.get_text(strip=True):
        return clean_line(heading.get_text(" "))
    og_title = soup.find("meta", attrs={"property": "og:title"})
    if og_title and og_title.get("content"):
        return clean_line(og_title["content"])
    return clean_line(soup.title.get_text()) if soup.title else None


def is_furniture(tag: Tag) -> bool:
    if tag.name in FURNITURE_TAGS:
        return True
    if (tag.get("role") or "").lower() in FURNITURE_ROLES:
        return True
    if tag.get("aria-hidden") == "true" or tag.has_attr("hidden"):
        return True
    names = " ".join(tag.get("class") or []) + " " + (tag.get("id") or "")
    return bool(FURNITURE_NAMES.search(names))


def remove_furniture(soup: BeautifulSoup) -> None:
    for comment in soup.find_all(string=lambda node: isinstance(node, Comment)):
        comment.extract()
    for tag in [tag for tag in soup.find_all(True) if tag.name not in ("html", "body") and is_furniture(tag)]:
        if not tag.decomposed:
            tag.decompose()


def main_container(soup: BeautifulSoup) -> Tag | None:
    for selector in CONTENT_SELECTORS:
        candidates = soup.select(selector)
        if candidates:
            return max(candidates, key=lambda tag: len(tag.get_text(strip=True)))
    return densest_block(soup) or soup.body or soup


def densest_block(soup: BeautifulSoup) -> Tag | None:
    """The element whose paragraphs hold the most text: each paragraph scores for its parent."""
    scores: dict[int, tuple[float, Tag]] = {}
    for paragraph in soup.find_all(["p", "h2", "h3", "li"]):
        parent = paragraph.parent
        if parent is None:
            continue
        length = len(paragraph.get_text(strip=True))
        score, _ = scores.get(id(parent), (0.0, parent))
        scores[id(parent)] = (score + length, parent)
    if not scores:
        return None
    return max(scores.values(), key=lambda item: item[0])[1]


def clean_line(text: str) -> str:
    return COLLAPSIBLE_SPACE.sub(" ", text).strip()


class LineWriter:
    """Accumulates inline text into lines; block boundaries and <br> end a line."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.buffer: list[str] = []
        self.prefix = ""

    def text(self, value: str) -> None:
        self.buffer.append(value)

    def end_line(self) -> None:
        line = clean_line("".join(self.buffer))
        self.buffer = []
        if line:
            if self.prefix and not LIST_MARKER.match(line):
                line = self.prefix + line
            self.prefix = ""
            self.lines.append(line)


def block_lines(container: Tag) -> list[str]:
    """Walk the tree without recursion (deeply nested pages must not overflow the stack)."""
    writer = LineWriter()
    stack: list[tuple[object, bool]] = [(container, True)]
    while stack:
        node, entering = stack.pop()
        if isinstance(node, NavigableString):
            writer.text(str(node))
            continue
        if not isinstance(node, Tag):
            continue
        if not entering:
            if node.name in BLOCK_TAGS:
                writer.end_line()
            continue
        if node.name == "br":
            writer.end_line()
            continue
        if node.name in BLOCK_TAGS:
            writer.end_line()
        if node.name == "li":
            writer.prefix = list_prefix(node)
        stack.append((node, False))
        stack.extend((child, True) for child in reversed(node.contents))
    writer.end_line()
    return writer.lines


def list_prefix(item: Tag) -> str:
    parent = item.parent
    if parent is not None and parent.name == "ol":
        position = sum(1 for sibling in item.find_previous_siblings("li")) + 1
        return f"{position}. "
    return "- "
