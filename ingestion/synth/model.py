"""The generator's document model: text with its true figures marked, blocks, and documents.

A figure is marked where it is written, by its span in the text, so that its surface is whatever the
text ends up saying there (capitalised at a sentence start, for instance) and its place in the document
gives the order of the truth.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date


@dataclass(frozen=True)
class Mark:
    """One true figure, as the extractor's golden files state it, at [start, end) of its passage."""

    start: int
    end: int
    value: float
    unit: str  # EUR, count or percent
    metric: str
    qualifier: str = "exact"
    range_bound: str | None = None


@dataclass(frozen=True)
class Passage:
    """A piece of text and the true figures it states, in order."""

    text: str
    marks: tuple[Mark, ...] = ()

    def truth(self) -> list[dict]:
        return [truth_row(self.text, mark) for mark in self.marks]


def truth_row(text: str, mark: Mark) -> dict:
    row = {
        "surface": text[mark.start : mark.end],
        "value": mark.value,
        "unit": mark.unit,
        "metric": mark.metric,
        "qualifier": mark.qualifier,
    }
    if mark.range_bound:
        row["range_bound"] = mark.range_bound
    return row


def join(*parts: str | Passage) -> Passage:
    """Concatenate text and passages, moving each mark to its place in the whole."""
    text, marks = [], []
    offset = 0
    for part in parts:
        if isinstance(part, str):
            part = Passage(part)
        marks.extend(replace(mark, start=mark.start + offset, end=mark.end + offset) for mark in part.marks)
        text.append(part.text)
        offset += len(part.text)
    return Passage("".join(text), tuple(marks))


def capitalised(passage: Passage) -> Passage:
    """The passage as a sentence starts it: "Douze territoires…", the mark still on "Douze"."""
    return Passage(passage.text[:1].upper() + passage.text[1:], passage.marks)


def qualified(passage: Passage, qualifier: str) -> Passage:
    return Passage(passage.text, tuple(replace(mark, qualifier=qualifier) for mark in passage.marks))


@dataclass(frozen=True)
class Heading:
    passage: Passage


@dataclass(frozen=True)
class Paragraph:
    passage: Passage


@dataclass(frozen=True)
class Items:
    """A bulleted (or numbered) list; its introduction is the paragraph before it."""

    items: tuple[Passage, ...]
    numbered: bool = False


@dataclass(frozen=True)
class Table:
    """A table of two columns (a territory and its amount, say), read row by row."""

    header: tuple[str, str]
    rows: tuple[tuple[Passage, Passage], ...]


Block = Heading | Paragraph | Items | Table


def passages_of(block: Block) -> list[Passage]:
    """The block's passages in reading order: the order in which a parser gives back their text."""
    if isinstance(block, Heading | Paragraph):
        return [block.passage]
    if isinstance(block, Items):
        return list(block.items)
    return [cell for row in block.rows for cell in row]


@dataclass(frozen=True)
class Setting:
    """Who publishes a document, where and when: what the page furniture and the letterhead say."""

    kind: str  # prefecture, ministry, agency or news
    publisher: str
    region: str
    in_region: str  # "en Occitanie", "à La Réunion"
    city: str
    published_on: date
    phase: str  # "Temps I" or "Temps II"


@dataclass(frozen=True)
class SyntheticDocument:
    """A composed document: the body every rendering shows, then sections a PDF takes as long as it
    has pages to fill (a press kit's portraits of the territories), then a closing without figures."""

    index: int
    document_id: str
    setting: Setting
    title: Passage
    body: tuple[Block, ...]
    sections: tuple[tuple[Block, ...], ...] = ()
    closing: tuple[Block, ...] = ()


def truth_of(title: Passage, blocks: list[Block]) -> list[dict]:
    """The true figures in the order a parser gives back the text: the title, then each block's."""
    rows = title.truth()
    for block in blocks:
        for passage in passages_of(block):
            rows.extend(passage.truth())
    return rows
