"""What a figure is about, when the text says it: the fund, the phase, the region, the date.

Read in the figure's sentence first; a list item also inherits from the line that introduces its
list, and a phase or a date stated in a heading ("Temps I : quelques chiffres", "2019-2020")
holds for what follows it, until another heading says otherwise.
"""

from __future__ import annotations

import re

from ingestion.extract.lexicon import FUND_PATTERNS, MONTHS, PHASE_PATTERNS, REGION_PATTERNS
from ingestion.extract.sentences import Sentence

AS_OF = re.compile(
    rf"(?<![\w'’/])(?:(?:fin|début|mi|courant|à partir de|depuis|en|au|dès)[ \u00a0-]+)?(?:(?:{MONTHS})[ \u00a0]+)?"
    r"(?:19|20)\d\d(?:[ \u00a0]*[-–][ \u00a0]*(?:19|20)\d\d)?(?![\d])",
    re.IGNORECASE,
)
NOT_AS_OF = re.compile(
    r"(?:jusqu['’]en|jusqu['’]à|d['’]ici|lancement en|lancé en|france)[ \u00a0]*$", re.IGNORECASE
)
# A heading dates what follows only when it is a date and nothing else ("2019-2020", "À partir de septembre 2020").
DATE_HEADING_SLACK = 5
HEADING_END = re.compile(r"[.!?;,:…]$")
# "(récupéré sur des enveloppes du PIC, du PIA…)": where money comes from, said in passing, not what it is for.
PARENTHESES = re.compile(r"\([^()]*\)")


class DocumentContext:
    """Context of each sentence, computed once per document."""

    def __init__(self, text: str, sentences: list[Sentence]):
        self.text = text
        self.document_region = first_match(REGION_PATTERNS, text.split("\n", 1)[0])
        self.heading_phase: dict[int, str | None] = {}
        self.heading_date: dict[int, str | None] = {}
        self.intro_of_line: dict[int, Sentence | None] = {}
        self.about_sentence: dict[int, dict[str, str | None]] = {}
        self.read_headings_and_intros(sentences)

    def read_headings_and_intros(self, sentences: list[Sentence]) -> None:
        phase = date = None
        intro: Sentence | None = None
        for sentence in sentences:
            line_end = self.text.find("\n", sentence.line_start)
            line = self.text[sentence.line_start : line_end if line_end >= 0 else len(self.text)]
            if is_heading(line):
                phase = first_match(PHASE_PATTERNS, line) or phase
                date = heading_date(line) or (date if not first_match(PHASE_PATTERNS, line) else None)
            if not sentence.is_list_item:
                intro = sentence
            self.heading_phase[sentence.start] = phase
            self.heading_date[sentence.start] = date
            self.intro_of_line[sentence.start] = intro if sentence.is_list_item else None

    def about(self, sentence: Sentence) -> dict[str, str | None]:
        """Read once per sentence: a sentence with many figures (a table row, a list without full stops)
        would otherwise be searched again for each of them."""
        if sentence.start not in self.about_sentence:
            self.about_sentence[sentence.start] = self.read_about(sentence)
        return self.about_sentence[sentence.start]

    def read_about(self, sentence: Sentence) -> dict[str, str | None]:
        intro = self.intro_of_line.get(sentence.start)
        scopes = [sentence.text] + ([intro.text] if intro else [])
        return {
            "fund": first_in(FUND_PATTERNS, [without_parentheses(scope) for scope in scopes]),
            "phase": first_in(PHASE_PATTERNS, scopes) or self.heading_phase.get(sentence.start),
            "region": first_in(REGION_PATTERNS, scopes) or self.document_region,
            "as_of": next((found for found in map(as_of_in, scopes) if found), None)
            or self.heading_date.get(sentence.start),
        }


def without_parentheses(text: str) -> str:
    """Remove parenthesised asides, nested ones included ("(… du PIC, du PIA (programme …))")."""
    while True:
        stripped = PARENTHESES.sub("", text)
        if stripped == text:
            return text
        text = stripped


def is_heading(line: str) -> bool:
    stripped = line.strip()
    return (
        0 < len(stripped) < 100 and not HEADING_END.search(stripped) and not stripped.startswith(("-", "•"))
    )


def first_match(patterns, text: str) -> str | None:
    return next((name for name, pattern in patterns if pattern.search(text)), None)


def first_in(patterns, scopes: list[str]) -> str | None:
    return next((found for found in (first_match(patterns, scope) for scope in scopes) if found), None)


def heading_date(line: str) -> str | None:
    found = as_of_in(line)
    if found and len(line.strip()) - len(found) <= DATE_HEADING_SLACK:
        return found
    return None


def as_of_in(text: str) -> str | None:
    for match in AS_OF.finditer(text):
        if not NOT_AS_OF.search(text[max(0, match.start() - 20) : match.start()]):
            return match.group(0).strip()
    return None
