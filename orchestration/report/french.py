"""The report's French, in one place: the labels of statuses, checks, sources and the terms of the checks'
subjects, and numbers, dates and times as a French reader writes them (babel, locale fr_FR)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

LOCALE = "fr_FR"
NO_BREAK = "\u00a0"

STATUS_COUNTS = {
    "fail": ("écart", "écarts"),
    "warn": ("à vérifier", "à vérifier"),
    "not_enough_data": ("données insuffisantes", "données insuffisantes"),
    "pass": ("conforme", "conformes"),
}
"""A number of results of a status: « 1 écart », « 51 conformes »."""
STATUS_LABELS = {**{status: one for status, (one, _) in STATUS_COUNTS.items()}, "gone": "disparu"}
STATUS_HEADINGS = {
    "fail": "Écarts",
    "warn": "À vérifier",
    "not_enough_data": "Données insuffisantes",
    "pass": "Vérifications conformes",
}
CHECK_LABELS = {
    "stated_vs_listed": "Nombre annoncé / liste qui suit",
    "same_figure_across_sources": "Même chiffre selon les sources",
    "counts_over_time": "Évolution dans le temps",
    "part_vs_whole": "Partie / tout",
    "regions_vs_national": "Somme des régions / national",
    "against_reference": "Référentiel officiel",
    "plausibility": "Vraisemblance",
    "warehouse_integrity": "Intégrité de l’entrepôt",
}
VALUE_LABELS = {
    "stated_vs_listed": ("annoncé", "éléments listés"),
    "same_figure_across_sources": ("un document", "l’autre"),
    "counts_over_time": ("avant", "après"),
    "part_vs_whole": ("le tout", "la partie"),
    "regions_vs_national": ("national", "somme des régions"),
    "against_reference": ("référence", "cité"),
    "plausibility": ("borne", "cité"),
    "warehouse_integrity": ("attendu", "constaté"),
}
"""What each check's expected and observed values are, in words."""

REFERENCE_SOURCES = {
    "reference:ti_territoires_2023": "liste ANCT des territoires 2023–2027",
    "reference:ti_territoires_2019_2022": "liste ANCT des territoires 2019–2022",
    "reference:ti_communes_2023": "liste ANCT des communes des territoires 2023–2027 et code officiel "
    "géographique 2026 (INSEE)",
}
BOUND_SOURCES = {
    "jobs_created": "série INSEE de l’emploi salarié industriel (environ 3,1 millions d’emplois)",
    "percent_over_100": "définition d’une part (au plus 100 %)",
    "regions": "code officiel géographique 2026 (INSEE) : 18 régions",
    "epci": "intercommunalités au 1er janvier 2026 (DGCL) : 1 255 EPCI",
    "communes": "code officiel géographique 2026 (INSEE) : 34 969 communes",
    "territories": "intercommunalités au 1er janvier 2026 (DGCL) : 1 255 EPCI",
}
"""The source of each plausibility bound (dbt_project/seeds/plausibility_bounds.csv), named for a reader."""

SUBJECT_TERMS = {
    "measures": "mesures",
    "territories": "territoires",
    "envelope": "enveloppe",
    "funding": "financements",
    "projects": "projets",
    "project_managers": "chefs de projet",
    "laureates": "lauréats",
    "epci": "EPCI",
    "communes": "communes",
    "communes (number)": "communes (nombre)",
    "jobs": "emplois",
    "investment": "investissements",
    "regions": "régions",
    "sites": "sites",
    "challenges": "enjeux",
    "missions": "missions",
    "contracts": "contrats",
    "national": "national",
    "programme": "programme",
    "jobs_created": "emplois créés",
    "percent_over_100": "parts (au plus 100 %)",
    "national count vs ANCT list": "nombre national / liste ANCT",
    "listed laureates vs ANCT list": "lauréats listés / liste ANCT",
    "covered by a territory vs ANCT list": "couvertes par un territoire / liste ANCT",
    "regional within national": "chiffre régional / chiffre national",
    "part of the figure before it": "partie / chiffre qui la précède",
    "sum of regions vs national": "somme des régions / national",
    # The integrity checks' subjects before they were written in French (2026-12-08): histories keep them.
    "every figure quote lies at its offsets in its document": "chaque citation est à sa place dans son document",
    "every loaded capture is parsed or has a recorded error": "chaque capture est lue ou son erreur enregistrée",
}
"""The English words of the checks' subjects (identifiers, kept from build to build) as the report writes them;
region names, phases, dates and figures are French already and pass through."""


def status_count(status: str, count: int) -> str:
    """« 1 écart », « 12 737 écarts », « 51 conformes »."""
    singular, plural = STATUS_COUNTS[status]
    return f"{french_number(count)} {singular if count < 2 else plural}"


def subject_term(part: str) -> str:
    """A part of a check's subject in French: its translation, or the part itself (a region, a phase, a figure)."""
    return SUBJECT_TERMS.get(part, part)


def french_number(value: float | None, unit: str | None = None) -> str:
    """A value as a French text writes it: « 310 000 », « 1,75 million », « 100 millions d’euros », « 47,1 % »;
    never a raw float."""
    if value is None:
        return "—"
    if unit == "percent":
        return f"{format_decimal(value, format='#,##0.#', locale=LOCALE)}{NO_BREAK}%"
    for size, word in ((1e9, "milliard"), (1e6, "million")):
        if abs(value) >= size:
            amount = value / size
            plural = "s" if abs(amount) >= 2 else ""
            words = f"{format_decimal(amount, format='#,##0.##', locale=LOCALE)} {word}{plural}"
            return f"{words} d’euros" if unit == "EUR" else words
    number = format_decimal(value, format="#,##0.##", locale=LOCALE)
    return f"{number}{NO_BREAK}€" if unit == "EUR" else number


def french_date(day: date | None, estimated: bool = False) -> str:
    """« 1er janvier 2024 », « 10 novembre 2023 (date estimée) », or « date inconnue »."""
    if day is None:
        return "date inconnue"
    text = format_date(day, "d MMMM y", locale=LOCALE)
    if day.day == 1:
        text = "1er" + text[1:]
    return f"{text} (date estimée)" if estimated else text


def french_moment(moment: datetime) -> str:
    """A time to the minute, in UTC: « 8 décembre 2026 à 02:56 UTC »."""
    moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return format_datetime(moment, "d MMMM y 'à' HH:mm 'UTC'", tzinfo=UTC, locale=LOCALE)


def publisher_label(publisher: str | None) -> str:
    """The publisher as the document names it; an unknown one says so plainly."""
    if not publisher or publisher.lower().startswith("unknown"):
        return "éditeur inconnu"
    return publisher


def reference_label(document_id: str, subject: str) -> str:
    """The reference data a side of a check comes from, named for a reader (never its internal key)."""
    if document_id == "reference:plausibility_bounds":
        return BOUND_SOURCES.get(subject.split(" · ")[0], "bornes de vraisemblance du projet")
    return REFERENCE_SOURCES.get(document_id, "données de référence officielles")
