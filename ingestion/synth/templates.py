"""What the documents say: the genre's sentences, each figure marked with what a careful reader takes from it.

A document is a communiqué (prefecture, ministry, agency) or a regional news article about one region's
Territoires d'industrie: a lead, the list of laureates introduced by their count, paragraphs on funding,
investment, jobs, projects, communes…, sentences whose dates, years, phases and phone numbers are not
figures, and sometimes a table of amounts. A PDF is a press kit: the same, then a portrait of each
territory until its pages are full.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ingestion.synth import numbers as n
from ingestion.synth.model import (
    Block,
    Heading,
    Items,
    Paragraph,
    Passage,
    Setting,
    SyntheticDocument,
    Table,
    capitalised,
    join,
)
from ingestion.synth.vocabulary import (
    AGENCY,
    AXES,
    FIRST_NAMES,
    LAST_NAMES,
    MINISTRIES,
    NEWS_OUTLETS,
    REGIONS,
    ROLES,
    THEMES,
    Region,
    Territory,
    long_date,
)

KIND_WEIGHTS = {"prefecture": 5, "news": 3, "ministry": 1.5, "agency": 1}
"""Who publishes: prefectures most, then the regional press; press kits (PDFs) come from the State only."""
TEMPS_I = (date(2018, 11, 22), date(2023, 6, 30))
TEMPS_II = (date(2023, 11, 10), date(2025, 12, 15))
PDF_SECTIONS = 40
"""Portraits composed for a PDF: more than its pages can hold, so that pages, not text, end it."""


@dataclass(frozen=True)
class Facts:
    """What one document is about: its setting and the laureates it names."""

    setting: Setting
    region: Region
    laureates: tuple[Territory, ...]


def compose_document(
    index: int, rng: random.Random, territories: dict[str, list[Territory]], pdf: bool
) -> SyntheticDocument:
    facts = choose_facts(rng, territories, pdf)
    title = title_of(rng, facts)
    body: list[Block] = [Paragraph(lead(rng, facts))]
    if rng.random() < 0.85:
        body.extend(laureate_list(rng, facts))
    topics = rng.sample(TOPICS, k=rng.randint(4, 7))
    for topic in topics:
        body.extend(topic(rng, facts))
    if pdf or rng.random() < 0.3:
        body.extend(amounts_table(rng, facts))
    sections = tuple(portrait(rng, facts, number) for number in range(PDF_SECTIONS)) if pdf else ()
    kind = facts.setting.kind
    document_id = f"synth-{index:06d}-{kind}-{facts.setting.published_on.isoformat()}"
    return SyntheticDocument(
        index=index,
        document_id=document_id,
        setting=facts.setting,
        title=title,
        body=tuple(body),
        sections=sections,
        closing=(Paragraph(Passage(closing_sentence(rng, facts))),),
    )


def choose_facts(rng: random.Random, territories: dict[str, list[Territory]], pdf: bool) -> Facts:
    region = rng.choice([region for region in REGIONS if len(territories.get(region.code, ())) >= 2])
    kinds = {kind: weight for kind, weight in KIND_WEIGHTS.items() if not (pdf and kind == "news")}
    kind = rng.choices(list(kinds), weights=list(kinds.values()))[0]
    phase = "Temps II" if rng.random() < 0.7 else "Temps I"
    first, last = TEMPS_II if phase == "Temps II" else TEMPS_I
    published_on = first + timedelta(days=rng.randrange((last - first).days))
    publisher = {
        "prefecture": region.prefecture,
        "news": rng.choice(NEWS_OUTLETS),
        "ministry": rng.choice(MINISTRIES),
        "agency": AGENCY,
    }[kind]
    candidates = territories[region.code]
    laureates = rng.sample(candidates, k=rng.randint(2, min(len(candidates), 15)))
    setting = Setting(kind, publisher, region.name, region.in_region, region.city, published_on, phase)
    return Facts(setting, region, tuple(laureates))


# --- phrases without figures ------------------------------------------------------------------------------


def person(rng: random.Random, facts: Facts) -> str:
    gender = rng.choice(("f", "m"))
    role = rng.choice(ROLES[gender]).format(region=facts.region.name)
    return f"{rng.choice(FIRST_NAMES[gender])} {rng.choice(LAST_NAMES)}, {role}"


def phase_phrase(rng: random.Random, facts: Facts) -> str:
    if facts.setting.phase == "Temps II":
        return rng.choice(
            (
                "la seconde phase du programme Territoires d’industrie (2024-2027)",
                "Temps II du programme Territoires d’industrie",
                "la phase 2 du programme Territoires d’industrie",
            )
        )
    return rng.choice(
        (
            "la première phase du programme Territoires d’industrie",
            "le programme Territoires d’industrie, lancé le 22 novembre 2018",
        )
    )


def closing_sentence(rng: random.Random, facts: Facts) -> str:
    region = facts.region
    return rng.choice(
        (
            f"Contact presse : communication@synth.tdi.invalid – 01 {rng.randint(40, 79)} 45 67 89",
            f"Pour en savoir plus : https://synth.tdi.invalid/{facts.setting.kind}/territoires-d-industrie",
            f"Le programme Territoires d’industrie est piloté {region.in_region} par l’État et le Conseil "
            "régional, avec l’appui de l’ANCT et de la Banque des Territoires.",
        )
    )


# --- titles and leads ---------------------------------------------------------------------------------------


def laureate_count(rng: random.Random, facts: Facts) -> Passage:
    return n.count(rng, len(facts.laureates), "territories", spelled=0.3)


def title_of(rng: random.Random, facts: Facts) -> Passage:
    region = facts.region
    choice = rng.randrange(5)
    if choice == 0:
        return join(
            "Territoires d’industrie : ",
            laureate_count(rng, facts),
            f" territoires lauréats {region.in_region}",
        )
    if choice == 1:
        return Passage(f"Le point sur le programme Territoires d’industrie {region.in_region}")
    if choice == 2:
        money = n.amount(rng, Decimal(rng.randint(8, 120)) * 100_000)
        return join("Territoires d’industrie : l’État et la Région engagent ", money, f" {region.in_region}")
    if choice == 3:
        return join(
            "Industrie : ",
            laureate_count(rng, facts),
            f" territoires retenus {region.in_region} pour le programme",
        )
    return Passage(
        f"Réindustrialisation : ce que change le programme Territoires d’industrie {region.in_region}"
    )


def lead(rng: random.Random, facts: Facts) -> Passage:
    region, day = facts.region, facts.setting.published_on - timedelta(days=rng.randint(0, 6))
    if rng.random() < 0.5:
        return join(
            f"{person(rng, facts)}, a annoncé le {long_date(day)} la liste des ",
            laureate_count(rng, facts),
            f" territoires retenus {region.in_region} pour {phase_phrase(rng, facts)}.",
        )
    return join(
        capitalised(Passage(region.in_region)),
        ", ",
        laureate_count(rng, facts),
        f" Territoires d’industrie sont engagés dans {phase_phrase(rng, facts)}, a rappelé "
        f"{person(rng, facts)}, {long_date(day, weekday=True)} à {region.city}.",
    )


def laureate_list(rng: random.Random, facts: Facts) -> list[Block]:
    intro = rng.choice(
        (
            ("Les ", " territoires lauréats sont :"),
            ("Voici les ", " territoires retenus :"),
            ("", " territoires ont été labellisés :"),
        )
    )
    stated = laureate_count(rng, facts)
    first = capitalised(stated) if not intro[0] else stated
    items = tuple(laureate_item(rng, territory) for territory in facts.laureates)
    return [Paragraph(join(intro[0], first, intro[1])), Items(items)]


def laureate_item(rng: random.Random, territory: Territory) -> Passage:
    if rng.random() < 0.25:
        return join(
            f"{territory.name} (", n.count(rng, territory.communes, "communes", spelled=0), " communes)"
        )
    return Passage(territory.name)


# --- topics: one paragraph (or a list) each ---------------------------------------------------------------


def funding(rng: random.Random, facts: Facts) -> list[Block]:
    envelope = n.amount(rng, Decimal(rng.randint(10, 900)) * 100_000)
    choice = rng.randrange(4)
    if choice == 0:
        passage = join(
            "Ces territoires bénéficieront d’une enveloppe de ", envelope, " sur la période 2024-2027."
        )
    elif choice == 1:
        part = n.amount(rng, Decimal(rng.randint(2, 9)) * 100_000)
        passage = join(
            "L’État mobilise ",
            n.with_qualifier(rng, envelope, rng.choice(("exact", "more_than"))),
            " pour accompagner leurs projets, dont ",
            part,
            " au titre du Fonds vert.",
        )
    elif choice == 2:
        ceiling = n.amount(rng, Decimal(rng.randint(1, 20)) * 50_000)
        passage = join(
            "Chaque projet peut recevoir ", n.with_qualifier(rng, ceiling, "less_than"), " d’aide."
        )
    else:
        scale = rng.choice((1, 1_000_000))  # "de 50 000 à 250 000 €" or "entre 0,5 et 3,5 M€"
        step = Decimal(50_000 if scale == 1 else 500_000)
        low = rng.randint(1, 4) * step
        high = low + rng.randint(2, 12) * step
        if rng.random() < 0.5:
            passage = join("Les aides seront comprises ", n.amount_range(rng, low, high, scale, "entre"), ".")
        else:
            passage = join("Les aides iront ", n.amount_range(rng, low, high, scale, "de"), " par projet.")
    return [Paragraph(passage)]


def investment(rng: random.Random, facts: Facts) -> list[Block]:
    total = n.amount(rng, Decimal(rng.randint(5, 400)) * 1_000_000, metric="investment")
    if rng.random() < 0.8:
        passage = join(
            "Ces projets devraient générer ",
            n.with_qualifier(rng, total, n.some_qualifier(rng)),
            rng.choice(
                (" d’investissements industriels.", " d’investissement privé.", " d’investissements.")
            ),
        )
    else:
        passage = join("Ensemble, ces projets représentent un investissement total de ", total, ".")
    return [Paragraph(passage)]


def jobs(rng: random.Random, facts: Facts) -> list[Block]:
    value = rng.choice((rng.randint(40, 900), rng.randint(1000, 9000)))
    figure = n.with_qualifier(rng, n.count(rng, value, "jobs"), n.some_qualifier(rng))
    ending = rng.choice(
        (
            " emplois industriels sont concernés.",
            " créations d’emplois sont attendues d’ici 2027.",
            " recrutements sont prévus.",
        )
    )
    return [Paragraph(join("À la clé, ", figure, ending))]


def projects(rng: random.Random, facts: Facts) -> list[Block]:
    choice = rng.randrange(3)
    if choice == 0:
        figure = n.with_qualifier(rng, n.count(rng, rng.randint(20, 600), "projects"), n.some_qualifier(rng))
        passage = join("Depuis 2018, ", figure, f" projets ont été accompagnés {facts.region.in_region}.")
    elif choice == 1:
        figure, _ = n.approximately(rng, "projects")
        passage = join(capitalised(figure), " de projets sont déjà identifiés dans ces territoires.")
    else:
        low = rng.randint(10, 1200)
        passage = join(
            "Au total, ",
            n.count_range(rng, low, low + rng.choice((10, 50, 100)), "projects"),
            " projets devraient être soutenus d’ici la fin de l’année 2027.",
        )
    return [Paragraph(passage)]


def communes_and_epci(rng: random.Random, facts: Facts) -> list[Block]:
    communes = sum(territory.communes for territory in facts.laureates)
    if rng.random() < 0.6:
        passage = join(
            "Ensemble, ces territoires regroupent ",
            n.count(rng, communes, "communes", spelled=0),
            " communes et ",
            n.count(rng, rng.randint(len(facts.laureates), 3 * len(facts.laureates)), "epci"),
            rng.choice((" intercommunalités.", " EPCI.")),
        )
    else:
        passage = join(
            "Ces Territoires d’industrie rassemblent ",
            n.with_qualifier(rng, n.share(rng, "communes"), rng.choice(("exact", "about")), words="près de"),
            " des communes de la région.",
        )
    return [Paragraph(passage)]


def shares(rng: random.Random, facts: Facts) -> list[Block]:
    metric, noun = rng.choice(
        (("projects", "projets soutenus"), ("jobs", "emplois industriels"), ("territories", "territoires"))
    )
    return [
        Paragraph(join(capitalised(n.share(rng, metric)), f" des {noun} concernent {rng.choice(THEMES)}."))
    ]


def project_managers(rng: random.Random, facts: Facts) -> list[Block]:
    managers = n.count(rng, rng.randint(2, 40), "project_managers", spelled=0.4)
    return [
        Paragraph(
            join(
                "Un chef de projet anime chaque territoire : ",
                managers,
                " chefs de projet sont cofinancés par l’ANCT, pendant trois ans.",
            )
        )
    ]


def offer(rng: random.Random, facts: Facts) -> list[Block]:
    metric, noun = rng.choice(
        (("measures", "mesures"), ("measures", "dispositifs"), ("contracts", "conventions"))
    )
    figure = n.count(rng, rng.randint(3, 30), metric, spelled=0.5)
    return [
        Paragraph(join("L’offre de services de l’État et de ses partenaires compte ", figure, f" {noun}."))
    ]


def contracts(rng: random.Random, facts: Facts) -> list[Block]:
    figure = n.count(rng, rng.randint(2, 25), "contracts", spelled=0.5)
    return [
        Paragraph(
            join(
                capitalised(figure),
                f" contrats de territoire ont été signés le {long_date(facts.setting.published_on)}.",
            )
        )
    ]


def sites(rng: random.Random, facts: Facts) -> list[Block]:
    noun = rng.choice((" sites clés en main seront proposés", " friches industrielles seront réhabilitées"))
    figure = n.with_qualifier(
        rng, n.count(rng, rng.randint(3, 80), "sites"), rng.choice(("exact", "more_than"))
    )
    return [
        Paragraph(join("Le foncier n’est pas oublié : ", figure, noun, " pour accueillir des industriels."))
    ]


def missions(rng: random.Random, facts: Facts) -> list[Block]:
    figure = n.count(rng, rng.randint(2, 6), "missions", spelled=0.9)
    return [
        Paragraph(
            join(
                capitalised(figure),
                " missions « rebond industriel » se sont déroulées en 2023, ",
                "chacune pendant six mois.",
            )
        )
    ]


def laureates_of_a_call(rng: random.Random, facts: Facts) -> list[Block]:
    figure = n.count(rng, rng.randint(5, 60), "laureates")
    return [
        Paragraph(
            join(
                "L’appel à projets « Industrie verte » a désigné ",
                figure,
                f" lauréats {facts.region.in_region}, annoncés lors du comité du {long_date(facts.setting.published_on)}.",
            )
        )
    ]


def national_context(rng: random.Random, facts: Facts) -> list[Block]:
    if facts.setting.phase == "Temps II":
        territories = n.count(rng, 183, "territories", spelled=0.2)
        money = n.amount(rng, Decimal(100_000_000))
        passage = join(
            "Au niveau national, ",
            territories,
            " territoires sont engagés jusqu’en 2027, avec une enveloppe de ",
            money,
            " de l’ANCT et de la Banque des Territoires.",
        )
    else:
        territories = n.count(rng, rng.choice((124, 141, 144, 149)), "territories", spelled=0.2)
        money = n.amount(rng, Decimal("1.36") * 1_000_000_000)
        passage = join(
            "Lancé le 22 novembre 2018, le programme compte ",
            territories,
            " territoires, soutenus par ",
            n.with_qualifier(rng, money, rng.choice(("exact", "about", "more_than"))),
            ".",
        )
    return [Paragraph(passage)]


def regions(rng: random.Random, facts: Facts) -> list[Block]:
    return [
        Paragraph(
            join(
                "Le programme est déployé dans les ",
                n.count(rng, 18, "regions", spelled=0.5),
                " régions françaises, dont ",
                n.count(rng, 5, "regions", spelled=0.5),
                " régions d’outre-mer.",
            )
        )
    ]


def axes(rng: random.Random, facts: Facts) -> list[Block]:
    chosen = rng.sample(AXES, k=rng.randint(3, 5))
    figure = n.count(rng, len(chosen), "challenges", spelled=0.5)
    return [
        Paragraph(join("Le programme se concentre sur ", figure, " axes prioritaires :")),
        Items(tuple(Passage(axis) for axis in chosen), numbered=rng.random() < 0.3),
    ]


def companies(rng: random.Random, facts: Facts) -> list[Block]:
    """Companies are not among the extractor's metrics: a reader files them under "other"."""
    figure = n.count(rng, rng.randint(20, 400), "other")
    return [Paragraph(join("Au total, ", figure, " entreprises ont déjà bénéficié d’un accompagnement."))]


def timetable(rng: random.Random, facts: Facts) -> list[Block]:
    """Dates, times, years and durations: none of them is a figure."""
    day = facts.setting.published_on + timedelta(days=rng.randint(20, 90))
    hour = rng.choice(("10h30", "14h", "9 h 30", "16 h 30"))
    return [
        Paragraph(
            Passage(
                f"Le prochain comité de pilotage se réunira le {long_date(day, weekday=rng.random() < 0.5)} à {hour} "
                f"à {facts.region.city}. Les dossiers sont à déposer avant le {day.day:02d}/{day.month:02d}/{day.year}, "
                f"pour des aides versées en {day.year + 1}."
            )
        )
    ]


def quote(rng: random.Random, facts: Facts) -> list[Block]:
    return [
        Paragraph(
            Passage(
                f"« L’industrie est au cœur de la vie de nos territoires {facts.region.in_region} », a déclaré "
                f"{person(rng, facts)}."
            )
        )
    ]


TOPICS = (
    funding,
    investment,
    jobs,
    projects,
    communes_and_epci,
    shares,
    project_managers,
    offer,
    contracts,
    sites,
    missions,
    laureates_of_a_call,
    national_context,
    regions,
    axes,
    companies,
    timetable,
    quote,
)


# --- the table and the portraits of a press kit -----------------------------------------------------------


def amounts_table(rng: random.Random, facts: Facts) -> list[Block]:
    amounts = [Decimal(rng.randint(5, 200)) * 10_000 for _ in facts.laureates]
    rows = [
        (Passage(t.name), n.amount(rng, euros)) for t, euros in zip(facts.laureates, amounts, strict=True)
    ]
    if rng.random() < 0.6:
        rows.append((Passage("Total"), n.amount(rng, sum(amounts))))
    return [
        Paragraph(Passage("Répartition de l’enveloppe par territoire :")),
        Table(("Territoire", "Montant de l’aide"), tuple(rows)),
    ]


def portrait(rng: random.Random, facts: Facts, number: int) -> tuple[Block, ...]:
    territory = facts.laureates[number % len(facts.laureates)]
    heading = Heading(
        Passage(territory.name if number < len(facts.laureates) else f"{territory.name} : les projets")
    )
    return (heading, Paragraph(portrait_text(rng, territory, number >= len(facts.laureates))))


def portrait_text(rng: random.Random, territory: Territory, projects_only: bool) -> Passage:
    projects_found = n.count(rng, rng.randint(2, 40), "projects", spelled=0.4)
    money = n.amount(rng, Decimal(rng.randint(5, 300)) * 10_000)
    projects_sentence = join(
        " ",
        capitalised(projects_found),
        " projets y ont été identifiés, pour un montant d’aides de ",
        money,
        ".",
    )
    if projects_only:
        company_investment = n.amount(rng, Decimal(rng.randint(2, 90)) * 1_000_000, metric="investment")
        return join(
            f"Sur le territoire {territory.name}, les industriels prévoient ",
            company_investment,
            " d’investissements et ",
            n.count(rng, rng.randint(10, 400), "jobs"),
            " recrutements. Ils portent notamment sur {} et {}.".format(*rng.sample(THEMES, 2)),
            projects_sentence,
        )
    communes = n.count(rng, territory.communes, "communes", spelled=0)
    spread = ""
    if territory.departements > 1 and rng.random() < 0.3:
        spread = join(
            " réparties sur ", n.count(rng, territory.departements, "other", spelled=1), " départements"
        )
    return join(
        f"Le territoire {territory.name} regroupe ",
        communes,
        " communes",
        spread,
        ". L’industrie y représente ",
        n.with_qualifier(rng, n.count(rng, rng.randint(800, 30000), "jobs"), n.some_qualifier(rng)),
        " emplois.",
        projects_sentence,
    )
