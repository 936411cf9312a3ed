"""What each column of a table holds, from its header and, failing that, from its cells.

The vocabulary is here and nowhere else, each pattern with an example a test reads back. A header names its
subject first: of the header patterns that match, the one that starts earliest wins ("Objet de l'aide" is a
project, "Montant de l'aide" an amount), and of two starting at the same place, the longer ("Montant de
l'investissement" is an investment, not an amount). A column whose header names nothing known takes the role its
body cells share, if they share one; otherwise its role is None and the column is kept as it is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ingestion.tables import settings
from ingestion.tables.model import Column, Table

ROLES = (
    "commune", "departement", "beneficiary", "siren", "project", "amount", "investment", "territory", "measure",
    "year",
)  # fmt: skip
"""'investment' is a project's cost (coût, investissement, dépenses): an amount of money, but not the aid."""
MONEY_ROLES = ("amount", "investment")


@dataclass(frozen=True)
class Pattern:
    """A regular expression that says `meaning`, and a text it matches."""

    meaning: str | float
    expression: str
    example: str


HEADER_PATTERNS = (
    Pattern("commune", r"\bcommunes?\b", "Commune (département)"),
    Pattern("commune", r"\b(?:villes?|localites?|lieux?|localisation|implantation)\b", "Lieu d'implantation"),
    Pattern("commune", r"\b(?:code (?:insee|commune)|insee)\b", "Code INSEE"),
    Pattern("departement", r"\b(?:departements?|dept|dpt)\b", "Département"),
    Pattern("beneficiary", r"\b(?:entreprises?|societes?|raison sociale)\b", "Nom de l'entreprise"),
    Pattern("beneficiary", r"\b(?:beneficiaires?|porteurs?|laureat(?:e|s|es)?)\b", "Porteur du projet"),
    Pattern("beneficiary", r"\b(?:maitres? d'ouvrage|structures?)\b", "Maître d'ouvrage"),
    Pattern("siren", r"\b(?:siren|siret)\b", "N° SIREN"),
    Pattern(
        "project", r"\b(?:projets?|intitules?|objets?|operations?|descriptions?)\b", "Intitulé du projet"
    ),
    Pattern("amount", r"\b(?:montants?|aides?|subventions?|financements?|dotations?)\b", "Montant de l'aide"),
    Pattern(
        "investment", r"\b(?:couts?|investissements?|depenses?|budgets?|assiette)\b", "Coût total du projet"
    ),
    Pattern(
        "investment",
        r"\bmontants? (?:total |global )?(?:de l'|des |d'|du )(?:investissements?|projets?)\b",
        "Montant de l'investissement",
    ),
    Pattern("territory", r"\b(?:territoires?|ti)\b", "Territoire d'industrie"),
    Pattern("measure", r"\b(?:dispositifs?|mesures?|fonds|volets?)\b", "Dispositif"),
    Pattern("measure", r"\b(?:appels? a projets?|aap)\b", "Appel à projets"),
    Pattern("year", r"\b(?:annees?|exercices?|millesimes?)\b", "Année"),
)
"""Matched on the header folded to lower case without accents, typographic apostrophes made straight."""

CONTENT_PATTERNS = (
    Pattern("siren", r"^\d{3} ?\d{3} ?\d{3}(?: ?\d{5})?$", "552 100 554"),
    Pattern("commune", r"^(?:\d{5}|2[AB]\d{3})$", "45155"),
    Pattern("commune", r"^[^\W\d_][\w'’ -]*? ?\((?:\d{2}|2[AB]|97\d)\)$", "Gien (45)"),
    Pattern("amount", r"\d.*(?:€|\b(?:euros?|EUR)\b)", "1,2 M€"),
    Pattern("year", r"^(?:19|20)\d{2}$", "2024"),
)
"""Matched on body cells as they are; tried in this order, the first a column's cells share wins. A SIREN is
nine digits, a SIRET fourteen (the SIREN and the establishment's number); an INSEE code five characters (2A and
2B for Corsica); a commune is often written with its département's number in brackets."""

UNIT_PATTERNS = (
    Pattern(1e9, r"(?<![^\W\d_])(?:md|mds|mrds?|milliards?)\s?(?:€|d['’]\s?euros?|euros?\b|eur\b)", "Md€"),
    Pattern(1e6, r"(?<![^\W\d_])(?:m|millions?)\s?(?:€|d['’]\s?euros?|euros?\b|eur\b)", "en M€"),
    Pattern(1e3, r"(?<![^\W\d_])(?:k|milliers?)\s?(?:€|d['’]\s?euros?|euros?\b|eur\b)", "Montant (k€)"),
    Pattern(1e3, r"\ben milliers\b", "en milliers"),
    Pattern(1.0, r"€|(?<![^\W\d_])(?:euros?|eur)\b", "450 000 €"),
)
"""Matched without regard to case ("K€" is "k€"), the largest first: "M€" also holds "€"."""

HEADER_EXPRESSIONS = [(p.meaning, re.compile(p.expression)) for p in HEADER_PATTERNS]
CONTENT_EXPRESSIONS = [(p.meaning, re.compile(p.expression)) for p in CONTENT_PATTERNS]
UNIT_EXPRESSIONS = [(p.meaning, re.compile(p.expression, re.IGNORECASE)) for p in UNIT_PATTERNS]


def column_roles(table: Table) -> list[Column]:
    """Each column's role and, for money, its unit multiplier, from its header rows and its body cells."""
    columns = []
    for index in range(len(table.rows[0])):
        header = " ".join(dict.fromkeys(text_of(table, "header", index)))
        cells = text_of(table, "body", index)
        role = header_role(header) or content_role(cells)
        multiplier = (unit_multiplier(header) or common_multiplier(cells)) if role in MONEY_ROLES else None
        columns.append(Column(role, multiplier))
    return columns


def text_of(table: Table, kind: str, index: int) -> list[str]:
    """The filled cells of one column in the rows of one kind."""
    return [
        row[index].text
        for row, k in zip(table.rows, table.kinds, strict=True)
        if k == kind and row[index].text
    ]


def folded(text: str) -> str:
    """Lower case, without accents, straight apostrophes: "Intitulé de l’opération" → "intitule de l'operation"."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def header_role(header: str) -> str | None:
    """The role named first in the header (the longer name where two start together), or, for a header that
    names only a unit ("en k€"), amount; None when it names none."""
    text = folded(header)
    found = [
        (match.start(), -len(match.group()), role)
        for role, expression in HEADER_EXPRESSIONS
        if (match := expression.search(text))
    ]
    if found:
        return min(found)[2]
    return "amount" if header and unit_multiplier(header) else None


def content_role(cells: list[str]) -> str | None:
    """The first role whose content pattern CONTENT_ROLE_SHARE of the cells match; None for no cells."""
    for role, expression in CONTENT_EXPRESSIONS:
        matching = sum(1 for cell in cells if expression.search(cell))
        if cells and matching >= settings.CONTENT_ROLE_SHARE * len(cells):
            return role
    return None


def unit_multiplier(text: str) -> float | None:
    """What a figure under this header, or in this cell, is multiplied by to be in euros; None if no unit."""
    return next((multiplier for multiplier, expression in UNIT_EXPRESSIONS if expression.search(text)), None)


def common_multiplier(cells: list[str]) -> float | None:
    """The unit every cell that states one states, if they agree; None if none does or they differ."""
    units = {unit for cell in cells if (unit := unit_multiplier(cell)) is not None}
    return units.pop() if len(units) == 1 else None
