"""Who publishes about the programme, where, and the real territories they name.

Territory names, their communes and départements come from the committed reference list of the
Territoires d'industrie (raw/reference/ti_territoires_2023.csv), so that lists and portraits name real
territories of the right region. People and news outlets are invented.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

TERRITORIES_FILE = "ti_territoires_2023.csv"


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    in_region: str  # "en Occitanie"
    city: str  # where the regional prefecture is

    @property
    def prefecture(self) -> str:
        return (
            f"Préfecture de la région {self.name}" if int(self.code) > 10 else f"Préfecture {self.of_region}"
        )

    @property
    def of_region(self) -> str:
        """ "de la Guadeloupe", "de La Réunion", "de Mayotte": overseas regions take their own article."""
        return {
            "Guadeloupe": "de la Guadeloupe",
            "Martinique": "de la Martinique",
            "Guyane": "de la Guyane",
        }.get(self.name, f"de {self.name}")


REGIONS = (
    Region("01", "Guadeloupe", "en Guadeloupe", "Basse-Terre"),
    Region("02", "Martinique", "en Martinique", "Fort-de-France"),
    Region("03", "Guyane", "en Guyane", "Cayenne"),
    Region("04", "La Réunion", "à La Réunion", "Saint-Denis"),
    Region("06", "Mayotte", "à Mayotte", "Mamoudzou"),
    Region("11", "Île-de-France", "en Île-de-France", "Paris"),
    Region("24", "Centre-Val de Loire", "en Centre-Val de Loire", "Orléans"),
    Region("27", "Bourgogne-Franche-Comté", "en Bourgogne-Franche-Comté", "Dijon"),
    Region("28", "Normandie", "en Normandie", "Rouen"),
    Region("32", "Hauts-de-France", "dans les Hauts-de-France", "Lille"),
    Region("44", "Grand Est", "dans le Grand Est", "Strasbourg"),
    Region("52", "Pays de la Loire", "dans les Pays de la Loire", "Nantes"),
    Region("53", "Bretagne", "en Bretagne", "Rennes"),
    Region("75", "Nouvelle-Aquitaine", "en Nouvelle-Aquitaine", "Bordeaux"),
    Region("76", "Occitanie", "en Occitanie", "Toulouse"),
    Region("84", "Auvergne-Rhône-Alpes", "en Auvergne-Rhône-Alpes", "Lyon"),
    Region("93", "Provence-Alpes-Côte d’Azur", "en Provence-Alpes-Côte d’Azur", "Marseille"),
    Region("94", "Corse", "en Corse", "Ajaccio"),
)


@dataclass(frozen=True)
class Territory:
    name: str
    communes: int
    departements: int


def territories_by_region(reference_dir: Path) -> dict[str, list[Territory]]:
    """The territories of each region code; a territory across two regions is listed in both."""
    by_region: dict[str, list[Territory]] = {region.code: [] for region in REGIONS}
    with (reference_dir / TERRITORIES_FILE).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            territory = Territory(row["lib_ti"], int(row["n_communes"]), len(row["departements"].split(";")))
            for code in row["region_codes"].split(";"):
                by_region.setdefault(code, []).append(territory)
    return by_region


MINISTRIES = (
    "Ministère de l’Économie, des Finances et de la Souveraineté industrielle et numérique",
    "Ministère chargé de l’Industrie",
    "Ministère de la Transition écologique et de la Cohésion des territoires",
)
AGENCY = "Agence nationale de la cohésion des territoires (ANCT)"
NEWS_OUTLETS = (
    "Le Courrier des territoires",
    "L’Écho de l’industrie",
    "La Gazette des ateliers",
    "Le Journal de l’usine",
)

FIRST_NAMES = {
    "f": ("Claire", "Sophie", "Nadia", "Hélène", "Anne", "Camille"),
    "m": ("Julien", "Marc", "Thomas", "Karim", "Olivier", "Laurent"),
}
LAST_NAMES = ("Moreau", "Lefèvre", "Garnier", "Rousseau", "Benali", "Faure", "Mercier", "Chevalier", "Perrin")
ROLES = {
    "f": (
        "préfète de la région {region}",
        "présidente du Conseil régional",
        "vice-présidente chargée du développement économique",
        "directrice régionale de l’économie, de l’emploi, du travail et des solidarités",
    ),
    "m": (
        "préfet de la région {region}",
        "président du Conseil régional",
        "vice-président chargé du développement économique",
        "directeur régional de l’économie, de l’emploi, du travail et des solidarités",
    ),
}

AXES = (
    "Accélérer la transition écologique et énergétique",
    "Faire des territoires des écosystèmes d’innovation",
    "Lever les freins au recrutement et au développement des compétences",
    "Mobiliser le foncier industriel",
    "Renforcer l’attractivité des métiers de l’industrie",
    "Simplifier l’accès des entreprises aux aides publiques",
)
THEMES = (
    "la décarbonation des procédés",
    "la reconversion des friches",
    "la formation aux métiers de l’industrie",
    "l’écologie industrielle et territoriale",
    "la modernisation des outils de production",
    "l’accueil de nouvelles entreprises",
)
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")  # fmt: skip
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def long_date(day: date, weekday: bool = False) -> str:
    """ "13 février 2024", "1er mars 2025", "jeudi 13 février 2024": dates as French prose writes them."""
    text = f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text
