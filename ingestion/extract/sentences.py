"""Sentences with their offsets: the quote a figure comes from, and the unit its context is read in."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ingestion.lists import LIST_MARKER

# A sentence ends at . ! ? … followed by a space and a capital, a quote or a digit; not after an abbreviation.
BOUNDARY = re.compile(
    r"(?:(?<=[.!?…])|(?<=[.!?…][»”\"])|(?<=[.!?…][ \u00a0][»”]))[ \u00a0]+(?=[«\"“A-ZÀ-ÖØ-Þ0-9])"
)
ABBREVIATION = re.compile(r"(?:\b(?:M|Mme|MM|Dr|St|Ste|etc|cf|p|pp|art|av|bd|n°|vol|env|hab)|\b[A-Z])\.$")
ABBREVIATION_REACH = 8
"""Characters before a boundary that ABBREVIATION needs to see (its longest word and the dot, with
room): searching only there keeps splitting linear in a line's length, where searching the whole
line up to each boundary was quadratic on a text written as one long line."""


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    line_start: int
    is_list_item: bool


def split_sentences(text: str) -> list[Sentence]:
    """Every sentence of every line, in order; a line without end punctuation is one sentence."""
    sentences = []
    offset = 0
    for line in text.split("\n"):
        is_item = bool(LIST_MARKER.match(line))
        start = 0
        for boundary in BOUNDARY.finditer(line):
            if ABBREVIATION.search(line, max(0, boundary.start() - ABBREVIATION_REACH), boundary.start()):
                continue
            sentences.append(make_sentence(text, offset + start, offset + boundary.start(), offset, is_item))
            start = boundary.end()
        if line[start:].strip():
            sentences.append(make_sentence(text, offset + start, offset + len(line), offset, is_item))
        offset += len(line) + 1
    return sentences


def make_sentence(text: str, start: int, end: int, line_start: int, is_item: bool) -> Sentence:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Sentence(start, end, text[start:end], line_start, is_item)


def sentence_at(sentences: list[Sentence], position: int) -> Sentence:
    """The sentence holding the offset, found by bisection: sentences are in text order and disjoint."""
    index = bisect.bisect_right(sentences, position, key=lambda sentence: sentence.start) - 1
    if index >= 0 and sentences[index].start <= position < sentences[index].end:
        return sentences[index]
    raise ValueError(f"no sentence holds offset {position}")
