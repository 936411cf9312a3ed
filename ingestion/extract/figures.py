"""Figures: each quantity with what it measures, how it is qualified, its sentence and its context."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from ingestion.extract.context import DocumentContext
from ingestion.extract.lexicon import (
    ABOUT,
    AROUND,
    BUILT_AROUND,
    FILLER_WORDS,
    HIRING_BEFORE,
    INVESTMENT_AFTER,
    INVESTMENT_BEFORE,
    LESS_THAN,
    MORE_THAN,
    NOT_COUNTED_PLURALS,
    OTHER_NOUNS,
    PARTICIPLE_OR_ADJECTIVE,
    PEOPLE,
    PLURAL_WORD,
    PRONOUN_EN_BEFORE,
    THEMES_AFTER,
    VERB_FILLERS,
    metric_noun_pattern,
    metric_of_match,
)
from ingestion.extract.numbers import Quantity, find_quantities
from ingestion.extract.sentences import Sentence, sentence_at, split_sentences


@dataclass(frozen=True)
class Figure:
    value: float
    unit: str
    metric: str
    qualifier: str
    char_start: int
    char_end: int
    surface: str
    quote: str
    quote_start: int
    quote_end: int
    range_bound: str | None = None
    fund: str | None = None
    phase: str | None = None
    region: str | None = None
    as_of: str | None = None


WORD = re.compile(r"[«“\"]|[\w’'-]+", re.UNICODE)
BETWEEN_WORDS = re.compile(r"[\s\u00a0\u202f’'«»“”\"]*")
PART_OF = re.compile(r"^[ \u00a0]*(?:%[ \u00a0]*)?d['’]entre[ \u00a0]+(?:eux|elles)", re.IGNORECASE)
METRIC_NOUN = metric_noun_pattern()
METRIC_NOUN_BEFORE = metric_noun_pattern(excluded=frozenset({"investment", "jobs"}))
"""Before a figure, "emplois" and "investissements" name what an earlier figure counted, not this one."""
RANGE_JOIN = re.compile(r"^[ \u00a0]*(?:à|-|–|et)[ \u00a0]*$", re.IGNORECASE)
RANGE_START = re.compile(r"(?:entre|de)[ \u00a0]*$", re.IGNORECASE)
METRIC_WINDOW_CHARS = 300
"""How far from a figure its metric noun is looked for: a French noun phrase ends well within 300
characters, and bounding the look keeps a sentence with hundreds of figures (a table, a list without
full stops) linear instead of quadratic."""


def extract_figures(text: str) -> list[Figure]:
    sentences = split_sentences(text)
    context = DocumentContext(text, sentences)
    figures: list[Figure] = []
    for quantity, bound, partner in pair_ranges(text, find_quantities(text)):
        sentence = sentence_at(sentences, quantity.start)
        low, high = (quantity, partner) if bound == "low" else (partner or quantity, quantity)
        figures.append(
            Figure(
                value=quantity.value,
                unit=quantity.unit,
                metric=metric_of(text, high, sentence, figures),
                qualifier=qualifier_of(text, quantity, low.start, high.end),
                char_start=quantity.start,
                char_end=quantity.end,
                surface=text[quantity.start : quantity.end],
                quote=sentence.text,
                quote_start=sentence.start,
                quote_end=sentence.end,
                range_bound=bound,
                **context.about(sentence),
            )
        )
    return figures


def pair_ranges(text: str, quantities: list[Quantity]) -> list[tuple[Quantity, str | None, Quantity | None]]:
    """ "1200 à 1300 projets", "entre 10 et 15 M€": two figures, the low end taking the high end's unit, scale
    and noun, both read with the qualifier written before the low end. Returns (quantity, bound, other end)."""
    paired: list[tuple[Quantity, str | None, Quantity | None]] = [(q, None, None) for q in quantities]
    for index, (low, high) in enumerate(itertools.pairwise(quantities)):
        between = text[low.end : high.start]
        if not RANGE_JOIN.match(between):
            continue
        if "et" in between and not RANGE_START.search(text[max(0, low.start - 12) : low.start]):
            continue
        if low.scale == 1 and (high.scale != 1 or (low.unit == "count" and high.unit != "count")):
            low = Quantity(low.start, low.end, low.value * high.scale, high.unit, low.approximate, high.scale)
        if low.unit != high.unit or low.value >= high.value:
            continue
        paired[index] = (low, "low", high)
        paired[index + 1] = (high, "high", low)
    return paired


def qualifier_of(text: str, quantity: Quantity, qualifier_start: int, figure_end: int) -> str:
    before = text[max(0, qualifier_start - 40) : qualifier_start]
    if quantity.approximate or (
        ABOUT.search(before) and not is_a_theme_it_turns_around(before, text, figure_end)
    ):
        return "about"
    if MORE_THAN.search(before):
        return "more_than"
    if LESS_THAN.search(before):
        return "less_than"
    return "exact"


def is_a_theme_it_turns_around(before: str, text: str, figure_end: int) -> bool:
    """ "s’articule autour de 4 axes" names the themes a programme is built around, not an approximation
    ("autour de 200 emplois")."""
    return bool(
        BUILT_AROUND.search(before) or (AROUND.search(before) and THEMES_AFTER.match(text, figure_end))
    )


def metric_of(text: str, quantity: Quantity, sentence: Sentence, earlier: list[Figure]) -> str:
    after = text[quantity.end : min(sentence.end, quantity.end + METRIC_WINDOW_CHARS)]
    before = text[max(sentence.start, quantity.start - METRIC_WINDOW_CHARS) : quantity.start]
    if quantity.unit == "EUR":
        return "investment" if is_invested(before, after) else "funding"
    if not PART_OF.match(after):
        noun_metric = metric_of_following_noun(after, before)
        if noun_metric:
            return noun_metric
    previous = next((figure for figure in reversed(earlier) if figure.unit != "EUR"), None)
    if previous and PRONOUN_EN_BEFORE.search(before):
        return previous.metric  # "maintenir 7 313 emplois et d’en créer 665": "en" stands for the noun before
    noun_metric, noun_end = last_metric_before(before)
    if previous and previous.quote_start == sentence.start:
        # "à 13 sur 15", "(747, 31%), des zones industrielles (429, 19%)": with no noun of its own, a figure
        # counts what the nearer of the sentence's figure before it and the last noun before it counted,
        # and a bracket that repeats the shape of the bracket before counts what that one counted
        nearer = previous.char_end > quantity.start - len(before) + noun_end
        if nearer or (
            opens_a_bracket(text, quantity.start)
            and is_in_brackets(text, previous.char_start, sentence.start)
        ):
            return previous.metric
    return noun_metric or (previous.metric if previous else "other")


def opens_a_bracket(text: str, position: int) -> bool:
    return text[max(0, position - 2) : position].rstrip(" \u00a0").endswith("(")


def is_in_brackets(text: str, position: int, sentence_start: int) -> bool:
    return text.rfind("(", sentence_start, position) > text.rfind(")", sentence_start, position)


def is_invested(before: str, after: str) -> bool:
    """ "8,2 Md€ d’investissements", "2 Md€ ont été investis", "un volume d’investissement de 113 M€"."""
    return bool(INVESTMENT_AFTER.match(after) or INVESTMENT_BEFORE.search(before))


def metric_of_following_noun(after: str, before: str) -> str | None:
    """The noun right after the figure is what it counts: "other" when it is none of the metrics ("300
    élus"), rather than a metric borrowed from the words before."""
    position, past_a_verb = 0, False
    for word in itertools.islice(WORD.finditer(after), 6):
        if not BETWEEN_WORDS.fullmatch(after, position, word.start()):
            return None  # "(747, 31%), des zones": past a bracket or a comma, the noun is another's
        position = word.end()
        if FILLER_WORDS.match(word.group(0)):
            past_a_verb = past_a_verb or bool(VERB_FILLERS.match(word.group(0)))
            continue
        noun = METRIC_NOUN.match(after, word.start())
        if noun:
            return metric_of_match(noun)
        if PEOPLE.match(after, word.start()) and HIRING_BEFORE.search(before):
            return "jobs"
        if OTHER_NOUNS.match(after, word.start()) or (not past_a_verb and is_a_counted_plural(word.group(0))):
            return "other"
        return None
    return None


def is_a_counted_plural(word: str) -> bool:
    """A lower-case plural right after a figure is what it counts ("3 niveaux", "deux pôles"), even unknown to
    the lexicon; not after a verb ("56 % sont réalisées"), nor a participle or an adjective ("183 retenus",
    "trois interrégionaux"), which say something of what an earlier noun counted."""
    return (
        bool(PLURAL_WORD.fullmatch(word))
        and not PARTICIPLE_OR_ADJECTIVE.search(word)
        and word.lower() not in NOT_COUNTED_PLURALS
    )


def last_metric_before(before: str) -> tuple[str | None, int]:
    """The metric named by the word nearest before the figure (investment and jobs excepted), and where that
    noun ends in `before` (-1 when there is none). Nouns of other things are not looked for here: before a
    figure they are often a complement ("dix-huit contrats de filière (dont 5 …)")."""
    for word in reversed(list(WORD.finditer(before))):
        noun = METRIC_NOUN_BEFORE.match(before, word.start())
        if noun:
            return metric_of_match(noun), noun.end()
    return None, -1
