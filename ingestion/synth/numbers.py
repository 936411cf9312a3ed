"""How French press releases write numbers, each written form marked with the figure a reader takes from it.

Digits with the thousands separators French typography uses (narrow no-break space, no-break space, a
plain space; none in "1200"), a decimal comma, number words ("dix-huit", "cent vingt-quatre"),
approximations ("une cinquantaine"), shares ("la moitié", "85 %"), amounts in every usual form ("1,36
milliard d’euros", "3,9 M€", "250 000 €", "500 k€", "un million d’euros"), qualifiers ("plus de",
"près de", "jusqu’à") and ranges ("entre 1 200 et 1 300", "de 10 à 15 M€").
"""

from __future__ import annotations

import random
from decimal import Decimal

from ingestion.synth.model import Mark, Passage, join, qualified

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"
THOUSANDS_SEPARATORS = (NARROW_NBSP, NARROW_NBSP, NBSP, " ")
UNIT_GAPS = (NARROW_NBSP, NBSP, NBSP, " ")

UNITS = ("", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze",
         "treize", "quatorze", "quinze", "seize")  # fmt: skip
TENS = {20: "vingt", 30: "trente", 40: "quarante", 50: "cinquante", 60: "soixante"}
APPROXIMATIONS = {10: "dizaine", 12: "douzaine", 15: "quinzaine", 20: "vingtaine", 30: "trentaine",
                  40: "quarantaine", 50: "cinquantaine", 60: "soixantaine", 100: "centaine"}  # fmt: skip
FRACTIONS = {
    "la moitié": 50.0,
    "un tiers": 33.33,
    "deux tiers": 66.67,
    "un quart": 25.0,
    "trois quarts": 75.0,
}

QUALIFIER_WORDS = {
    "more_than": ("plus de", "plus de", "au moins"),
    "about": ("près de", "environ", "quelque", "près de"),
    "less_than": ("moins de", "jusqu’à"),
}


def grouped(value: int, separator: str) -> str:
    """1200 → "1 200" with the given separator."""
    text = str(value)
    groups = []
    while len(text) > 3:
        groups.insert(0, text[-3:])
        text = text[:-3]
    return separator.join([text, *groups])


def digits(rng: random.Random, value: int) -> str:
    """A whole number in digits: grouped by thousands, a four-digit one now and then written solid."""
    if 1000 <= value < 10000 and rng.random() < 0.12:
        return str(value)
    return grouped(value, rng.choice(THOUSANDS_SEPARATORS))


def decimal_comma(value: Decimal, separator: str = NARROW_NBSP) -> str:
    """1.36 → "1,36"; 12.0 → "12"; the integer part grouped by thousands."""
    integer, _, decimals = f"{value.normalize():f}".partition(".")
    return grouped(int(integer), separator) + (f",{decimals}" if decimals else "")


def words(value: int) -> str:
    """French number words for 2 to 999, in the traditional spelling text2num reads ("vingt et un",
    "quatre-vingts", "deux cent trois")."""
    hundreds, rest = divmod(value, 100)
    parts = []
    if hundreds:
        head = "cent" if hundreds == 1 else f"{UNITS[hundreds]} cent"
        parts.append(head + ("s" if hundreds > 1 and rest == 0 else ""))
    if rest:
        parts.append(below_hundred(rest))
    return " ".join(parts)


def below_hundred(value: int) -> str:
    if value <= 16:
        return UNITS[value]
    if value < 20:
        return f"dix-{UNITS[value - 10]}"
    if value >= 80:
        return "quatre-vingts" if value == 80 else f"quatre-vingt-{below_hundred(value - 80)}"
    tens, unit = divmod(value, 10)
    if tens == 7:
        return f"soixante-{below_hundred(value - 60)}" if value != 71 else "soixante et onze"
    if unit == 0:
        return TENS[tens * 10]
    if unit == 1:
        return f"{TENS[tens * 10]} et un"
    return f"{TENS[tens * 10]}-{UNITS[unit]}"


def figure(text: str, value: float, unit: str, metric: str) -> Passage:
    return Passage(text, (Mark(0, len(text), value, unit, metric),))


def count(rng: random.Random, value: int, metric: str, *, spelled: float = 0.2) -> Passage:
    """A count in digits, or in words (with probability `spelled`) when it is small enough to be spelled."""
    if 2 <= value < 1000 and rng.random() < spelled:
        return figure(words(value), value, "count", metric)
    return figure(digits(rng, value), value, "count", metric)


def approximately(rng: random.Random, metric: str) -> tuple[Passage, int]:
    """ "une cinquantaine", "un millier": a count the wording itself says is approximate."""
    if rng.random() < 0.1:
        passage = figure("un millier", 1000, "count", metric)
    else:
        value, noun = rng.choice(list(APPROXIMATIONS.items()))
        passage = figure(f"une {noun}", value, "count", metric)
    return qualified(passage, "about"), int(passage.marks[0].value)


def share(rng: random.Random, metric: str) -> Passage:
    """A share of something: "85 %", "12,5 %", "la moitié"."""
    if rng.random() < 0.25:
        text, value = rng.choice(list(FRACTIONS.items()))
        return figure(text, value, "percent", metric)
    value = Decimal(rng.randint(5, 95)) if rng.random() < 0.85 else Decimal(rng.randint(51, 199)) / 10
    gap = rng.choice((*UNIT_GAPS, ""))
    return figure(f"{decimal_comma(value)}{gap}%", float(value), "percent", metric)


def amount(rng: random.Random, euros: Decimal, metric: str = "funding") -> Passage:
    """An amount of euros in one of the forms its size allows."""
    if euros >= 1_000_000_000:
        return figure(billions(rng, euros / 1_000_000_000), float(euros), "EUR", metric)
    if euros >= 1_000_000 and euros % 10_000 == 0:
        return figure(millions(rng, euros / 1_000_000), float(euros), "EUR", metric)
    return figure(units_of_euros(rng, euros), float(euros), "EUR", metric)


def billions(rng: random.Random, mantissa: Decimal) -> str:
    number = decimal_comma(mantissa)
    noun = "milliards" if mantissa >= 2 else "milliard"
    return rng.choice(
        (f"{number} {noun} d’euros", f"{number}{rng.choice(UNIT_GAPS)}{noun} d’euros", f"{number} Md€")
    )


def millions(rng: random.Random, mantissa: Decimal) -> str:
    number = decimal_comma(mantissa)
    noun = "millions" if mantissa >= 2 else "million"
    forms = [
        f"{number}{rng.choice(UNIT_GAPS)}M€",
        f"{number}M€",
        f"{number} {noun} d’euros",
        f"{number} {noun} d'euros",
    ]
    if mantissa == 1:
        forms.append("un million d’euros")
    elif mantissa == int(mantissa) and mantissa <= 20:
        forms.append(f"{words(int(mantissa))} millions d’euros")
    if mantissa == int(mantissa):
        forms.append(f"{grouped(int(mantissa * 1_000_000), rng.choice(THOUSANDS_SEPARATORS))}{NBSP}€")
    return rng.choice(forms)


def units_of_euros(rng: random.Random, euros: Decimal) -> str:
    number = grouped(int(euros), rng.choice(THOUSANDS_SEPARATORS))
    forms = [f"{number}{rng.choice(UNIT_GAPS)}€", f"{number} euros"]
    if euros % 1000 == 0 and euros < 1_000_000:
        forms.append(f"{int(euros) // 1000}{rng.choice(UNIT_GAPS)}k€")
    return rng.choice(forms)


def with_qualifier(rng: random.Random, passage: Passage, qualifier: str, words: str | None = None) -> Passage:
    """ "plus de 400", "près d’un million d’euros", "jusqu’à 500 000 €": the words (chosen among the
    qualifier's, or given), then the figure."""
    if qualifier == "exact":
        return passage
    words_before = words or rng.choice(QUALIFIER_WORDS[qualifier])
    if words_before.endswith(" de") and passage.text.startswith(("un ", "une ")):
        words_before = words_before[:-3] + " d’"
    else:
        words_before += " "
    return join(words_before, qualified(passage, qualifier))


def some_qualifier(rng: random.Random) -> str:
    return rng.choices(("exact", "more_than", "about", "less_than"), weights=(6, 3, 2, 1))[0]


def count_range(rng: random.Random, low: int, high: int, metric: str) -> Passage:
    """ "entre 1 200 et 1 300" or "1 200 à 1 300": two figures, the ends of the range."""
    low_text, high_text = digits(rng, low), digits(rng, high)
    low_figure = Passage(low_text, (Mark(0, len(low_text), low, "count", metric, range_bound="low"),))
    high_figure = Passage(high_text, (Mark(0, len(high_text), high, "count", metric, range_bound="high"),))
    if rng.random() < 0.5:
        return join("entre ", low_figure, " et ", high_figure)
    return join(low_figure, " à ", high_figure)


def amount_range(rng: random.Random, low: Decimal, high: Decimal, scale: int, form: str) -> Passage:
    """ "entre 10 et 15 M€" (form "entre"), "de 50 000 à 200 000 €" (form "de"): the low end is written
    without its unit."""
    unit = {1_000_000: f"{rng.choice(UNIT_GAPS)}M€", 1: f"{rng.choice(UNIT_GAPS)}€"}[scale]
    separator = rng.choice(THOUSANDS_SEPARATORS)
    low_text, high_text = decimal_comma(low / scale, separator), decimal_comma(high / scale, separator) + unit
    low_figure = Passage(low_text, (Mark(0, len(low_text), float(low), "EUR", "funding", range_bound="low"),))
    high_figure = Passage(
        high_text, (Mark(0, len(high_text), float(high), "EUR", "funding", range_bound="high"),)
    )
    if form == "entre":
        return join("entre ", low_figure, " et ", high_figure)
    return join("de ", low_figure, " à ", high_figure)
