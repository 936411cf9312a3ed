"""The French words the extractor reads figures by: kept in one place so that a reviewer can see them all."""

from __future__ import annotations

import re

MONTHS = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
# Dates in page headers: "publié le 28 JAN 2020", "12 déc. 2023".
SHORT_MONTHS = r"(?:janv?|févr?|fevr?|avr|juil|sept?|oct|nov|déc|dec)\.?(?=[ \u00a0]+(?:19|20)\d\d\b)"

# What a figure counts, from the noun that follows it (or, failing that, the last one before it).
# Order matters: the first pattern that matches the noun phrase wins.
METRIC_NOUNS: tuple[tuple[str, str], ...] = (
    ("project_managers", r"(?:postes? de )?chefs? de projets?"),
    (
        "epci",
        r"epci|e\.p\.c\.i\.?|établissements? publics? de coopération intercommunale|intercommunalités?|"
        r"communautés? (?:de communes|d['’]agglomération|urbaines?)",
    ),
    ("jobs", r"(?:créations? d['’])?emplois?|postes?|recrutements?|salariés?"),
    ("investment", r"(?:d['’])?investissements?"),
    # "13 zones labellisées", "7 zones d’emploi": the programme's territories are zones of employment;
    # zones of activity are sites.
    ("territories", r"territoires?|bassins?|zones?(?! d['’]activités?| industrielles?| d['’]activité)"),
    # "13 nouvelles lauréates", "les 30 premières entreprises régionales lauréates"
    ("laureates", r"lauréat(?:e)?s?|(?:entreprises?|sociétés?)(?:\s+[\w’'-]+)?\s+lauréat(?:e)?s?"),
    ("projects", r"projets?|dossiers?"),
    ("regions", r"régions?"),
    ("communes", r"communes?"),
    ("sites", r"sites?|friches?|zones? d['’]activités?|zones? d['’]activité|zones? industrielles?"),
    # "un plan d’actions" is one document, not a count of actions.
    ("measures", r"mesures?|dispositifs?|fiches?[- ]actions?|(?<!plan d['’])(?<!plans d['’])actions?"),
    ("challenges", r"enjeux|enjeu|axes?|besoins?|problématiques?|défis?|priorités?|thématiques?"),
    ("missions", r"missions?"),
    ("contracts", r"contrats?|contractualisations?|protocoles?|conventions?|pactes?"),
)


# A lower-case word ending as French plurals do; the words below end so without being nouns a figure counts.
PLURAL_WORD = re.compile(r"[a-zàâçéèêëîïôûùüÿœ][a-zàâçéèêëîïôûùüÿœ’'-]*[sx]")
NOT_COUNTED_PLURALS = frozenset(
    [
        "dans",
        "sous",
        "vers",
        "plus",
        "moins",
        "puis",
        "depuis",
        "alors",
        "dès",
        "très",
        "après",
        "près",
        "tous",
        "toutes",
        "sans",
        "mais",
        "jamais",
        "pas",
        "les",
        "des",
        "ses",
        "ces",
        "mes",
        "tes",
        "nos",
        "vos",
        "leurs",
        "aux",
        "avons",
        "avez",
        "sommes",
        "êtes",
        "fois",
        "parmis",
        "voix",
        "lors",
        "ailleurs",
        "toujours",
        "ensuite",
        "désormais",
        "néanmoins",
        "certes",
    ]
)

PARTICIPLE_OR_ADJECTIVE = re.compile(r"(?:és|ées|us|ues|is|ies|ifs|ives|(?<!e)aux)$")
# The filler words that are verbs or pronouns: past them, a word says something of what is counted.
VERB_FILLERS = re.compile(r"^(?:sont|ont|été|y|en)$", re.IGNORECASE)

# Nouns the genre counts that are none of the metrics: a figure followed by one counts it ("300 élus",
# "18 filières", "20 000 habitants"), so its metric is "other", not one borrowed from an earlier figure.
OTHER_NOUNS = re.compile(
    r"(?:d|l)?['’]?(?:habitants?|élus?|acteurs?|participants?|entreprises?|sociétés?|pme|eti|start-?ups?|"
    r"industriels?|partenaires?|filières?|secteurs?|principes?|leviers?|piliers?|relocalisations?|"
    r"départements?|villes?|membres?|personnalités?|signataires?|exposants?|visiteurs?|étudiants?|"
    r"apprentis?|jeunes|demandeurs? d['’]emploi|fonds|candidats?|candidatures?|petr|personnes)\b",
    re.IGNORECASE,
)


def metric_noun_pattern(excluded: frozenset[str] = frozenset()) -> re.Pattern:
    """All metric nouns in one pattern, one group per noun in METRIC_NOUNS order, so that a single
    `match(text, position)` says which noun starts there, as trying each pattern in turn would."""
    alternatives = "|".join(
        f"(?P<noun{index}>{pattern})"
        for index, (metric, pattern) in enumerate(METRIC_NOUNS)
        if metric not in excluded
    )
    return re.compile(rf"(?:(?:d|l)['’])?(?:{alternatives})\b", re.IGNORECASE)


def metric_of_match(match: re.Match) -> str:
    return METRIC_NOUNS[int(match.lastgroup.removeprefix("noun"))][0]


# Words that may stand between a number and the noun it counts ("474 projets", "66 nouveaux sites",
# "les 124 « Territoires d'industrie »", "5 grands projets industriels").
FILLER_WORDS = re.compile(
    r"^(?:de|d['’]|des|du|nouveaux|nouvelles?|nouvel|grands?|grandes?|petits?|premiers?|premières?|"
    r"autres?|principaux|principales|concrets?|majeurs?|industriels?|«|“|\"|sont|ont|été|y|en|ces|ses|leurs?)$",
    re.IGNORECASE,
)

# Qualifiers, read in the words just before the figure.
ABOUT = re.compile(
    r"(?:environ|près\s+d[eu'’]|presque|quelques?|approximativement|autour\s+d[e'’]|de\s+l['’]ordre\s+d[e'’]|"
    r"plus\s+ou\s+moins|grosso\s+modo|~)\s*$",
    re.IGNORECASE,
)
MORE_THAN = re.compile(
    r"(?:plus\s+d[e'’]|pas\s+moins\s+d[e'’]|au\s+moins|a\s+minima(?:\s+d[e'’])?|au\s+minimum(?:\s+d[e'’])?|au-delà\s+d[e'’]|supérieure?s?\s+à|dépassant|davantage\s+d[e'’]|>)\s*$",
    re.IGNORECASE,
)
# "autour de" is "about" before an amount ("autour de 200 emplois"), not before the themes a programme
# is built around ("s’articule autour de 4 axes", "autour de 18 filières").
AROUND = re.compile(r"autour\s+d[e'’]\s*$", re.IGNORECASE)
BUILT_AROUND = re.compile(
    r"(?:articul|organis|structur|constru|décli|bâti|fond|centr|axé|orient)\w*\s+autour\s+d[e'’]\s*$",
    re.IGNORECASE,
)
THEMES_AFTER = re.compile(
    r"[ \u00a0]*(?:grands?\s+|principaux\s+|principales\s+|nouveaux\s+|nouvelles\s+)?"
    r"(?:axes?|enjeux|priorités?|problématiques?|thèmes?|thématiques?|leviers?|piliers?|filières?|objectifs?|"
    r"principes?|défis?|orientations?|volets?|besoins?)\b",
    re.IGNORECASE,
)
LESS_THAN = re.compile(
    r"(?:(?<!pas )moins\s+d[e'’]|jusqu['’]à|au\s+plus|inférieure?s?\s+à|<)\s*$", re.IGNORECASE
)

# "une cinquantaine de projets": an approximate count.
APPROXIMATE_NOUNS = {
    "dizaine": 10,
    "douzaine": 12,
    "quinzaine": 15,
    "vingtaine": 20,
    "trentaine": 30,
    "quarantaine": 40,
    "cinquantaine": 50,
    "soixantaine": 60,
    "centaine": 100,
    "millier": 1000,
}
# "près de la moitié des communes": a share.
FRACTIONS = {
    "la moitié": 50.0,
    "un tiers": 100 / 3,
    "deux tiers": 200 / 3,
    "un quart": 25.0,
    "le quart": 25.0,
    "le tiers": 100 / 3,
    "trois quarts": 75.0,
}

# Shares that are shares wherever they stand ("à peine la moitié a obtenu des fonds"); "un tiers" and
# "un quart" are shares only before "de" ("un tiers de confiance" is a third party).
SHARES_ALONE = ("la moitié", "deux tiers", "trois quarts")

# Number words text2num reads; "un"/"une" alone are articles, not figures.
NUMBER_WORDS = (
    "zéro|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|"
    "vingts?|trente|quarante|cinquante|soixante|cents?|mille"
)

# Funds and programmes a figure can be about, as they are named in press releases.
FUNDS: tuple[tuple[str, str], ...] = (
    ("Fonds vert", r"fonds?\s+vert"),
    (
        "Fonds d’accélération des investissements industriels",
        r"fonds\s+d['’]accélération\s+des\s+investissements",
    ),
    ("Plan de relance", r"plan\s+de\s+relance|france\s+relance|relance\s+rapide\s+et\s+durable"),
    ("France 2030", r"france\s+2030"),
    ("Territoires d’innovation", r"territoires?\s+d['’]innovation"),
    ("Programme d’investissements d’avenir", r"\bpia\b|programme\s+d['’]investissements?\s+d['’]avenir"),
    (
        "Plan d’investissement dans les compétences",
        r"\bpic\b|plan\s+d['’]investissement\s+dans\s+les\s+compétences",
    ),
    ("Pack Rebond", r"pack\s+rebond"),
    ("Territoires d’industrie en transition écologique", r"territoires\s+d['’]industrie\s+en\s+transition"),
)
FUND_PATTERNS = tuple((name, re.compile(pattern, re.IGNORECASE)) for name, pattern in FUNDS)

PHASES: tuple[tuple[str, str], ...] = (
    (
        "Temps II",
        r"temps\s+(?:ii|2)\b|phase\s+2\b|seconde\s+phase|deuxième\s+phase|2023\s*[-–]\s*2027|2024\s*[-–]\s*2027",
    ),
    ("Temps I", r"temps\s+(?:i|1)\b|phase\s+1\b|première\s+phase|2018\s*[-–]\s*2023|2019\s*[-–]\s*2020"),
)
PHASE_PATTERNS = tuple((name, re.compile(pattern, re.IGNORECASE)) for name, pattern in PHASES)

REGIONS = (
    "Auvergne-Rhône-Alpes", "Bourgogne-Franche-Comté", "Bretagne", "Centre-Val de Loire", "Corse", "Grand Est",
    "Hauts-de-France", "Île-de-France", "Normandie", "Nouvelle-Aquitaine", "Occitanie", "Pays de la Loire",
    "Provence-Alpes-Côte d’Azur", "Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte",
)  # fmt: skip
REGION_ALIASES = {
    "CVL": "Centre-Val de Loire",
    "PACA": "Provence-Alpes-Côte d’Azur",
    "AURA": "Auvergne-Rhône-Alpes",
}


def region_pattern(name: str) -> str:
    return re.escape(name).replace("’", "['’]").replace(r"\-", r"[-\s]").replace(r"\ ", r"[-\s]")


REGION_PATTERNS = tuple(
    (name, re.compile(rf"(?<![\w-]){region_pattern(name)}(?![\w-])", re.IGNORECASE)) for name in REGIONS
) + tuple((name, re.compile(rf"\b{alias}\b")) for alias, name in REGION_ALIASES.items())

# Money that is invested, not granted: "d’investissements" after the amount, "ont été investis" after it,
# or an investment named just before it ("un volume d’investissement prévisionnel de 113 M€", "elle
# investit chaque année près de 100 M€"); "fonds d’accélération des investissements" names a fund.
INVESTMENT_AFTER = re.compile(
    r"[ \u00a0]*(?:d['’]investissements?|(?:ont|sont|seront|a|auront)\s+(?:déjà\s+)?(?:été\s+)?investis?\b)",
    re.IGNORECASE,
)
INVESTMENT_BEFORE = re.compile(
    r"(?<!accélération des )\binvesti(?:ssements?|t|ra|ront|ssent|ssant)\b(?:[ \u00a0]+[\w’'-]+){0,3}"
    r"[ \u00a0]+(?:d['’]|de[ \u00a0]+)?$",
    re.IGNORECASE,
)

# "d’en générer plus de 665": the clitic "en" stands for the noun of the figure before.
PRONOUN_EN_BEFORE = re.compile(
    r"\ben[ \u00a0]+[a-zàâçéèêëîïôûù]+[ \u00a0]+(?:(?:plus|moins|près)[ \u00a0]+d[e'’][ \u00a0]*|environ[ \u00a0]+)?$"
)

# "l’embauche d’environ 50 personnes", "1 800 projets employant 1,75 million de personnes": people hired
# or employed are jobs; people otherwise are something else counted.
PEOPLE = re.compile(r"personnes\b", re.IGNORECASE)
HIRING_BEFORE = re.compile(r"(?:employ|embauch|recrut|salari)\w*\W+(?:\w+\W+){0,4}$", re.IGNORECASE)

# Names that hold a number, which is no figure: the territories of the official list whose names do
# (raw/reference/ti_territoires_2023.csv: "Trois Rivières", "Trois vallées de Bruyères, Gérardmer,
# Saint-Dié-des-Vosges", "Nord Est 77 – Meaux") and the way press releases name the territory across
# Gers and Tarn-et-Garonne ("Interdépartemental 32/82").
NAMES_WITH_NUMBERS = re.compile(
    r"(?-i:Trois)[ \u00a0-]+(?:Rivières|vallées)\b|(?-i:Nord)[ \u00a0-]+Est[ \u00a0]+77\b"
    r"|Interdépartemental[ \u00a0]+\d\d[ \u00a0]*/[ \u00a0]*\d\d\b"
    r"|(?:industrie|usine)[ \u00a0]+\d\.0\b",  # "l’industrie 4.0" names an era, not a count
    re.IGNORECASE,
)
