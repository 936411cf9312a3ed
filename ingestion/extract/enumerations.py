"""Enumerations: a sentence that introduces a list, the count it states, and the items that follow.

A list is consecutive lines with a marker ("- ", "• ", "1- ", "1. "), whatever the source (<ul>,
bullet characters, <br> lines, a PDF's lines); its introduction is the line before it. A short list
written inline after a stated count and a colon ("4 besoins : recruter, innover, attirer et
simplifier") is an enumeration too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingestion.extract.figures import Figure, extract_figures
from ingestion.extract.lexicon import metric_noun_pattern, metric_of_match
from ingestion.extract.sentences import Sentence, split_sentences
from ingestion.lists import LIST_MARKER

INLINE_ITEMS = re.compile(r":[ \u00a0]*(?P<items>[^:;.]{3,160})(?:[;.]|$)")
ITEM_SEPARATOR = re.compile(r",[ \u00a0]+|[ \u00a0]+et[ \u00a0]+")
MAX_INLINE_ITEM_WORDS = 4
GERUND = re.compile(r"\ben[ \u00a0]+\w+ant\b", re.IGNORECASE)


@dataclass(frozen=True)
class Enumeration:
    stated_value: float | None
    metric: str
    intro: str
    intro_start: int
    intro_end: int
    stated_start: int | None
    stated_end: int | None
    items: tuple[str, ...]
    item_spans: tuple[tuple[int, int], ...]


def extract_enumerations(text: str, figures: list[Figure] | None = None) -> list[Enumeration]:
    figures = extract_figures(text) if figures is None else figures
    sentences = split_sentences(text)
    found = listed_enumerations(text, sentences, figures) + inline_enumerations(text, sentences, figures)
    return sorted(found, key=lambda enumeration: enumeration.intro_start)


def listed_enumerations(text: str, sentences: list[Sentence], figures: list[Figure]) -> list[Enumeration]:
    enumerations = []
    lines = line_spans(text)
    index = 0
    while index < len(lines):
        start, end = lines[index]
        if not LIST_MARKER.match(text[start:end]) or index == 0:
            index += 1
            continue
        items = []
        while index < len(lines) and LIST_MARKER.match(text[lines[index][0] : lines[index][1]]):
            item_start, item_end = lines[index]
            marker = LIST_MARKER.match(text[item_start:item_end])
            items.append((item_start + marker.end(), item_end))
            index += 1
        intro = last_sentence_before(sentences, items[0][0])
        if intro is not None:
            enumerations.append(make_enumeration(text, intro, items, figures))
    return enumerations


def inline_enumerations(text: str, sentences: list[Sentence], figures: list[Figure]) -> list[Enumeration]:
    enumerations = []
    for sentence in sentences:
        for match in INLINE_ITEMS.finditer(sentence.text):
            colon = sentence.start + match.start()
            stated = stated_figure(figures, sentence.start, colon, max_gap=60, text=text)
            if stated is None:
                continue
            items = split_items(
                text, sentence.start + match.start("items"), sentence.start + match.end("items")
            )
            if len(items) >= 2 and all(len(text[s:e].split()) <= MAX_INLINE_ITEM_WORDS for s, e in items):
                enumerations.append(make_enumeration(text, sentence, items, figures, stated))
    return enumerations


def make_enumeration(text, intro: Sentence, items, figures, stated: Figure | None = None) -> Enumeration:
    stated = stated or stated_figure(figures, intro.start, intro.end, text=text)
    return Enumeration(
        stated_value=stated.value if stated else None,
        metric=stated.metric if stated else metric_in(intro.text),
        intro=intro.text,
        intro_start=intro.start,
        intro_end=intro.end,
        stated_start=stated.char_start if stated else None,
        stated_end=stated.char_end if stated else None,
        items=tuple(clean_item(text[start:end]) for start, end in items),
        item_spans=tuple(items),
    )


def stated_figure(
    figures: list[Figure], start: int, end: int, max_gap: int | None = None, text: str | None = None
) -> Figure | None:
    """The last count stated before the list (or the colon) in the introducing sentence, unless a gerund
    stands between them: in "66 nouveaux sites … en favorisant :" the list is not the 66 sites."""
    counts = [
        f for f in figures if f.unit == "count" and start <= f.char_start < end and f.range_bound is None
    ]
    if max_gap is not None:
        counts = [f for f in counts if end - f.char_end <= max_gap]
    if not counts:
        return None
    last = counts[-1]
    between = text[last.char_end : end] if text is not None else ""
    return None if GERUND.search(between) else last


METRIC_NOUN = metric_noun_pattern()


def metric_in(sentence: str) -> str:
    for word in re.finditer(r"[\w’'-]+", sentence):
        noun = METRIC_NOUN.match(sentence, word.start())
        if noun:
            return metric_of_match(noun)
    return "other"


def split_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    items, cursor = [], start
    for separator in ITEM_SEPARATOR.finditer(text, start, end):
        items.append((cursor, separator.start()))
        cursor = separator.end()
    items.append((cursor, end))
    return [(s, e) for s, e in items if text[s:e].strip()]


def clean_item(item: str) -> str:
    return item.strip()


def line_spans(text: str) -> list[tuple[int, int]]:
    spans, offset = [], 0
    for line in text.split("\n"):
        spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return spans


def last_sentence_before(sentences: list[Sentence], position: int) -> Sentence | None:
    before = [s for s in sentences if s.end <= position and not s.is_list_item]
    return before[-1] if before else None
