"""Finding the quantities a French text states, and reading each one's value and unit.

A quantity is written in digits ("44 700", "2.400", "1,36"), in words ("dix-huit", "trois"), as an
approximation ("une cinquantaine") or as a share ("la moitié"), and may carry a scale and a unit
("milliard d’euros", "M€", "%"). What only looks like a quantity is left out here: dates and years,
ordinals, list numbering, identifiers, phone numbers, durations, labels ("phase 2"), prices per month.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal

from text_to_num import text2num

from ingestion.extract.lexicon import (
    APPROXIMATE_NOUNS,
    FRACTIONS,
    MONTHS,
    NAMES_WITH_NUMBERS,
    NUMBER_WORDS,
    SHARES_ALONE,
    SHORT_MONTHS,
    metric_noun_pattern,
)


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    value: float
    unit: str  # EUR, count or percent
    approximate: bool = False  # "une cinquantaine": the wording itself says "about"
    scale: float = 1.0  # what the written number was multiplied by ("1,36 milliard": 1e9)


DIGITS = re.compile(
    r"(?<![\w.,/@#°%€-])"  # a digit right after % or € is a footnote's call: "19 %1"
    r"(?P<integer>\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?!\d)|\d{1,3}(?:\.\d{3})+(?![\d,])|\d+)"
    r"(?:,(?P<decimals>\d+)|\.(?P<point_decimals>\d{1,2})(?![\d.]))?"
)
"""A decimal point ("1.36 milliard d’euros") is read as a decimal comma only where a unit or a scale
follows: without one, "4.0" or "2.1" is a version ("industrie 4.0"), not a quantity."""
WORDS = re.compile(
    rf"(?<![\w-])(?P<words>(?:{NUMBER_WORDS})(?:(?:-|\s+et\s+(?=un|une|onze)|\s+)(?:{NUMBER_WORDS}))*)(?![\w-])",
    re.IGNORECASE,
)
APPROXIMATE = re.compile(
    rf"(?<![\w])(?:une?|la)\s+(?P<noun>{'|'.join(APPROXIMATE_NOUNS)})(?![\w])", re.IGNORECASE
)
FRACTION = re.compile(
    rf"(?<![\w])(?:(?P<fraction>{'|'.join(FRACTIONS)})\s+(?=de\b|des\b|du\b|d['’])"
    rf"|(?P<share>{'|'.join(SHARES_ALONE)})\b)",
    re.IGNORECASE,
)

SCALE_AND_UNIT = re.compile(
    r"(?P<gap>[ \u00a0\u202f]?)(?:"
    r"(?P<scale>milliards?|millions?|mds?|md|mrds?|mille)"
    r"(?:[ \u00a0\u202f]?(?P<euros>€|euros?\b|eur\b|d['’][ \u00a0]?euros?\b))?"
    r"|(?P<short>md|mds|mrds?|m|k)[ \u00a0\u202f]?(?:€|eur\b|(?-i:(?<=M)|(?<=Md)|(?<=Mds))[ \u00a0]?d['’][ \u00a0]?(?:euros?\b|€))"
    r"|(?P<euro>€|euros?\b|eur\b)"
    r"|(?P<percent>%|pour[ \u00a0]cent\b)"
    r")",
    re.IGNORECASE,
)
"""Units as the genre writes them: "1,36 milliard d’euros", "3,9M€", "1,3 Md€", "500 k€", "2 MEUR",
"100 M d’euros", "85 %"."""
SCALES = {
    "milliard": 1e9,
    "milliards": 1e9,
    "md": 1e9,
    "mds": 1e9,
    "mrd": 1e9,
    "mrds": 1e9,
    "million": 1e6,
    "millions": 1e6,
    "mille": 1e3,
}
SHORT_SCALES = {"md": 1e9, "mds": 1e9, "mrd": 1e9, "mrds": 1e9, "m": 1e6, "k": 1e3}

MONEY_COMPLEMENT = re.compile(
    r"^[ \u00a0]+(?:de|d['’])[ \u00a0]?(?:crédits?|aides?|subventions?|financements?|dotations?|fonds|prêts?|"
    r"avances?|dépenses?|recettes?|chiffre d['’]affaires)\b",
    re.IGNORECASE,
)
COMPLEMENT = re.compile(r"^[ \u00a0]+(?:de|d['’])[ \u00a0]?\w", re.IGNORECASE)
MONEY_WORDS = re.compile(
    r"\b(?:enveloppes?|budgets?|montants?|dotations?|dotée?s?|aides?|subventions?|financements?|financée?s?|"
    r"crédits?|argent|dépens\w*|investi\w*|coûts?|euros?|fonds)\b|€",
    re.IGNORECASE,
)
MONEY_CONTEXT_CHARS = 150
SCALE_WORD_AFTER = re.compile(r"[ \u00a0]+(?:milliards?|millions?)\b", re.IGNORECASE)
ORDINAL_SUFFIX = re.compile(
    r"^[ \u00a0]?(?:er|ère|re|e|ème|eme|è|nd|nde|nds|ndes|ième)\b(?!\.\w)", re.IGNORECASE
)
"""Joined ("2e") or, where a PDF or a page set the suffix as a superscript, split from it ("3 e"); not
the initial of a dotted acronym ("6 E.P.C.I.")."""
LOST_ORDINAL_SUFFIX = re.compile(r"(?:^|[^\w’'])(?:la|le)[ \u00a0]+$", re.IGNORECASE)
SINGULAR_NOUN_AFTER = re.compile(r"^[ \u00a0]+[a-zà-ÿ]+(?<![sx])\b")
"""A superscript lost in conversion leaves "la 3 assemblée générale": an article and a singular noun
around a number are an ordinal's ("la 3e assemblée"); a count would take a plural noun."""
DEPARTMENT_CODE = re.compile(r"^(?:[ \u00a0]*[-–/,][ \u00a0]*(?:\d{2}|2[AB]|97[1-6]))*[ \u00a0]*\)")
"""Alone in brackets after a place, two digits are its département: "Dijon (21)", "(11-31-81)"."""
DAY_OF_MONTH = re.compile(
    rf"^(?:[ \u00a0]*(?:,|et|au|à|-|–)[ \u00a0]*\d{{1,2}}(?:er)?)*[ \u00a0]+(?:{MONTHS}|{SHORT_MONTHS})\b",
    re.IGNORECASE,
)
"""A day, alone or the first of several: "le 18 mars", "du 18 au 24 mars", "les 4, 5 et 6 juin"."""
AFTER_MONTH = re.compile(rf"(?:{MONTHS})[ \u00a0]+$", re.IGNORECASE)
DURATION = re.compile(
    r"^[ \u00a0]+(?:ans?|années?|mois|jours?|semaines?|heures?|minutes?|min|siècles?|trimestres?)\b",
    re.IGNORECASE,
)
LABEL_BEFORE = re.compile(
    r"(?:phase|temps|étape|acte|tome|article|n°|no\.?|numéro|chapitre|page|saison|version|niveau|génération|"
    r"alinéa|vague|session|édition|lot)[ \u00a0]*$",
    re.IGNORECASE,
)
PRICE_AFTER = re.compile(
    r"^[ \u00a0]*(?:/|par)[ \u00a0]*(?:mois|an|année|jour|semaine)\b|^[ \u00a0]*(?:TTC|HT)\b"
)
READING_AID_AFTER = re.compile(
    r"^[ \u00a0]*(?:(?:reste|restant)s?[ \u00a0]+à[ \u00a0]+lire|(?:min(?:utes?)?[ \u00a0]+)?de[ \u00a0]+lecture|mots[ \u00a0]*(?:\n|$))",
    re.IGNORECASE,
)
PLURAL_COUNTED_NOUN_AFTER = re.compile(
    rf"^[ \u00a0]+(?:créations[ \u00a0]+d['’])?(?=[\w’'-]*[sx]\b)(?:{metric_noun_pattern().pattern})",
    re.IGNORECASE,
)
DETERMINERS_BEFORE_A_NUMBER = frozenset(
    [
        "les",
        "des",
        "ces",
        "ses",
        "nos",
        "vos",
        "leurs",
        "aux",
        "à",
        "de",
        "et",
        "ou",
        "sur",
        "pour",
        "avec",
        "par",
        "entre",
        "dont",
        "soit",
        "sont",
        "ont",
        "compte",
        "comptent",
        "environ",
        "plus",
        "moins",
        "que",
        "sur",
    ]
)
PHRASE_ENDS_AFTER = re.compile(r"[ \u00a0]*(?:[.,;:!?)»]|$|(?:et|ou|à|au|en|dans|pour|sur|avec|qui|que)\b)")
SUBSCRIPTION_PRICE_LIMIT = 1000
TIME_AFTER = re.compile(r"^[ \u00a0]?h(?:\d{2})?\b")
SLASH_AFTER = re.compile(r"^[ \u00a0]*/[ \u00a0]*\d")
LIST_NUMBERING = re.compile(r"^[ \u00a0]*[-.)][ \u00a0]")

UNREADABLE_SPANS = re.compile(
    # addresses; an e-mail's user part starts where a run of its characters starts, and is not given
    # back (possessive): otherwise a long run without "@" is rescanned from each of its characters
    # a domain ends with letters: "…@departement77.fr06 67 87 53 61" leaves the phone number glued to it
    r"https?://\S+|www\.\S+|(?<![\w.+-])[\w.+-]++@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}(?![a-zA-Z])"
    r"|(?<!\d)(?:\+33[ .\u00a0]?|0)\d(?:[ .\u00a0]?\d{2}){4}(?!\d)"  # phone numbers
    r"|\b\d{1,2}([/.-])\d{1,2}\1\d{2,4}\b"  # dates written 10/11/2023, 22-11-2024, 13.11.2023
    r"|(?<=\w)[ \u00a0]?\[\d{1,2}\]|(?<=[^\W\d])\(\d\)"  # footnote calls: "Touraine [1]", "actifs(1)"
    r"|\b\d{1,2}[ \u00a0]\d{1,2}[ \u00a0](?:19|20)\d\d\b"  # and 13 11 2023
    r"|\b\d{1,2}[ \u00a0]?h(?:[ \u00a0]?\d{2})?\b|\b\d{1,2}:\d{2}(?::\d{2})?\b"  # times: 11h30, 16 h 30, 11:23
    # a street address up to its postal code and town: "28 rue de la Gare - 54000 Nancy"
    r"|\b\d{1,4}(?:[ \u00a0]?(?:bis|ter))?,?[ \u00a0]+(?:rue|avenue|av\.|boulevard|bd|place|chemin|allée|"
    r"impasse|quai|square|esplanade|parvis)\b[^\n\d]{0,80}(?:\d{5}[ \u00a0]+\w[\w’'-]*)?"
    # a postal code and its town ending a line: "45000 Orléans Cedex"
    r"|(?-i:\b(?:0[1-9]|[1-8]\d|9[0-5]|97[1-6])\d{3}[ \u00a0]+[A-ZÀ-Ö][\w’'-]*(?:[ \u00a0]+[A-ZÀ-Ö][\w’'-]*)*"
    r"(?:[ \u00a0]+\d{1,2})?[ \u00a0]*(?=\n|$))",
    re.IGNORECASE,
)


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in the text, in order, none overlapping: each finder's quantities are kept
    where no earlier finder's quantity or unreadable span (address, phone number, date) lies."""
    taken = TakenSpans(
        match.span() for pattern in (UNREADABLE_SPANS, NAMES_WITH_NUMBERS) for match in pattern.finditer(text)
    )
    found: list[Quantity] = []
    for finder in (approximate_quantities, fraction_quantities, digit_quantities, word_quantities):
        for quantity in finder(text):
            if taken.is_free(quantity.start, quantity.end):
                taken.add(quantity.start, quantity.end)
                found.append(quantity)
    return sorted(found, key=lambda quantity: quantity.start)


class TakenSpans:
    """Disjoint spans of the text, sorted, so that an overlap is found by bisection, not by a scan of
    every span (which made a text with thousands of figures quadratic)."""

    def __init__(self, spans=()):
        self.starts: list[int] = []
        self.ends: list[int] = []
        for start, end in spans:
            if self.is_free(start, end):
                self.add(start, end)

    def is_free(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self.ends, start + 1)
        return index == len(self.starts) or self.starts[index] >= end

    def add(self, start: int, end: int) -> None:
        index = bisect.bisect_left(self.starts, start)
        self.starts.insert(index, start)
        self.ends.insert(index, end)


def digit_quantities(text: str):
    for match in DIGITS.finditer(text):
        integer = re.sub(r"[ \u00a0\u202f\u2009.]", "", match.group("integer"))
        decimals = match.group("decimals") or match.group("point_decimals")
        value = float(f"{integer}.{decimals}") if decimals else float(integer)
        if is_not_a_figure(text, match.start(), match.end(), match.group("integer"), decimals):
            continue
        quantity = with_scale_and_unit(text, match.start(), match.end(), value)
        if match.group("point_decimals") and quantity.unit == "count" and quantity.scale == 1:
            continue  # a version, "industrie 4.0"
        if not is_furniture_after(text[quantity.end : quantity.end + 30], quantity.value):
            yield quantity


def word_quantities(text: str):
    for match in WORDS.finditer(text):
        words = match.group("words")
        if words.lower() in ("un", "une") and not SCALE_WORD_AFTER.match(text, match.end()):
            continue  # an article ("un chef de projet"), unless a scale follows ("plus d’un milliard")
        if words.lower().startswith(("un ", "une ")):
            continue
        try:
            value = float(text2num(words.lower().replace(" et ", "-et-"), "fr"))
        except ValueError:
            continue
        if (
            is_not_a_figure(text, match.start(), match.end(), words, None)
            or is_inside_a_name(text, match.start(), words)
            or is_the_adjective_neuf(text, match.start(), match.end(), words)
        ):
            continue
        yield with_scale_and_unit(text, match.start(), match.end(), value)


def approximate_quantities(text: str):
    for match in APPROXIMATE.finditer(text):
        value = float(APPROXIMATE_NOUNS[match.group("noun").lower()])
        yield Quantity(match.start(), match.end(), value, "count", approximate=True)


def fraction_quantities(text: str):
    for match in FRACTION.finditer(text):
        fraction = match.group("fraction") or match.group("share")
        value = FRACTIONS[fraction.lower()]
        yield Quantity(match.start(), match.start() + len(fraction), round(value, 2), "percent")


def is_not_a_figure(text: str, start: int, end: int, integer: str, decimals: str | None) -> bool:
    after, before = text[end : end + 40], text[max(0, start - 30) : start]
    if text[end : end + 1].isalpha() and not SCALE_AND_UNIT.match(after):
        return True  # an ordinal ("2e", "4ème") or an identifier ("a4b")
    if ORDINAL_SUFFIX.match(after) and not SCALE_AND_UNIT.match(after):
        return True
    if (
        DAY_OF_MONTH.match(after)
        or DURATION.match(after)
        or PRICE_AFTER.match(after)
        or TIME_AFTER.match(after)
    ):
        return True
    if SLASH_AFTER.match(after) or before.endswith("/"):
        return True
    if LABEL_BEFORE.search(before) or AFTER_MONTH.search(before):
        return True
    if is_list_numbering(text, start, end):
        return True
    if is_a_department_code(before, after, integer) or has_lost_its_ordinal_suffix(before, after, integer):
        return True
    return looks_like_a_year(integer, decimals, after)


def is_a_department_code(before: str, after: str, integer: str) -> bool:
    return (
        before.rstrip(" \u00a0").endswith("(")
        and len(integer) in (2, 3)
        and bool(DEPARTMENT_CODE.match(after))
    )


def has_lost_its_ordinal_suffix(before: str, after: str, integer: str) -> bool:
    return (
        integer.isdigit()
        and len(integer) <= 2
        and bool(LOST_ORDINAL_SUFFIX.search(before) and SINGULAR_NOUN_AFTER.match(after))
    )


def is_furniture_after(after: str, value: float) -> bool:
    """A price ("4,90 € / mois", below SUBSCRIPTION_PRICE_LIMIT: "100 M€/an" is a budget) or a reading
    aid ("1 min de lecture", "[90% reste à lire]", "1190 mots")."""
    return bool(
        (PRICE_AFTER.match(after) and value < SUBSCRIPTION_PRICE_LIMIT) or READING_AID_AFTER.match(after)
    )


def is_inside_a_name(text: str, start: int, words: str) -> bool:
    """A capitalised number word inside a sentence starts a name ("Trois vallées de Bruyères", "les Quatre
    Chemins"); at the start of a sentence, a line or a title it is a count ("Quinze lauréats")."""
    if not words[0].isupper():
        return False
    before = text[max(0, start - 3) : start].rstrip(" \u00a0")
    return bool(before) and (before[-1].isalnum() or before[-1] in ",’'")


def is_the_adjective_neuf(text: str, start: int, end: int, words: str) -> bool:
    """ "un bâtiment neuf", "du matériel neuf et performant": "neuf" after a noun and before the end of the
    phrase is "new"; the number stands before what it counts ("neuf territoires") or after a determiner."""
    if words.lower() != "neuf":
        return False
    before = text[max(0, start - 30) : start].split()
    return (
        bool(before)
        and before[-1].isalpha()
        and before[-1].lower() not in DETERMINERS_BEFORE_A_NUMBER
        and bool(PHRASE_ENDS_AFTER.match(text, end))
    )


def is_list_numbering(text: str, start: int, end: int) -> bool:
    return starts_its_line(text, start) and bool(LIST_NUMBERING.match(text[end : end + 3]))


def starts_its_line(text: str, position: int) -> bool:
    """Only blanks between the line's start and the position: walking back over the blanks only
    keeps this constant-time on a text that is one long line."""
    while position > 0 and text[position - 1] in " \t\u00a0\u202f":
        position -= 1
    return position == 0 or text[position - 1] == "\n"


def looks_like_a_year(integer: str, decimals: str | None, after: str) -> bool:
    """1900–2099 written without a thousands separator is a year, unless a scale or a unit follows, or
    the plural of a counted noun ("plus de 2007 créations d’emplois"): a year names no plural after it."""
    if decimals or not re.fullmatch(r"(?:19|20)\d\d", integer):
        return False
    return not (SCALE_AND_UNIT.match(after) or PLURAL_COUNTED_NOUN_AFTER.match(after))


def with_scale_and_unit(text: str, start: int, end: int, value: float) -> Quantity:
    match = SCALE_AND_UNIT.match(text, end)
    if not match or not (match.group(0).endswith(("%", "€")) or is_word_end(text, match.end())):
        return Quantity(start, end, value, "count")
    if match.group("percent"):
        return Quantity(start, match.end(), value, "percent")
    if match.group("euro"):
        return Quantity(start, match.end(), value, "EUR")
    if match.group("short"):
        scale = SHORT_SCALES[match.group("short").lower()]
        return Quantity(start, match.end(), scaled(value, scale), "EUR", scale=scale)
    scale = SCALES[match.group("scale").lower()]
    unit = "EUR" if match.group("euros") or is_money_left_unsaid(text, start, match.end(), scale) else "count"
    return Quantity(start, match.end(), scaled(value, scale), unit, scale=scale)


def is_money_left_unsaid(text: str, start: int, end: int, scale: float) -> bool:
    """ "30 millions de crédits", "une enveloppe globale de 1,36 milliard", "nous avons dépensé près de
    2 milliards": millions and milliards are euros when what follows is money, or when nothing follows
    and the sentence speaks of money; "1,75 million d’emplois" counts what follows."""
    if scale < 1e6:
        return False
    after = text[end : end + 40]
    if MONEY_COMPLEMENT.match(after):
        return True
    if COMPLEMENT.match(after):
        return False
    before = text[max(0, start - MONEY_CONTEXT_CHARS) : start]
    sentence_before = re.split(r"[.!?\n]", before)[-1]
    return bool(MONEY_WORDS.search(sentence_before))


def scaled(value: float, scale: float) -> float:
    """8,2 × 10⁹ is 8 200 000 000, not 8 199 999 999.999999: multiply in decimal, not in binary."""
    return float(Decimal(str(value)) * Decimal(str(scale)))


def is_word_end(text: str, position: int) -> bool:
    return position >= len(text) or not text[position].isalnum()
