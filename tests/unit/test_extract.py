"""Extraction against hand-written golden figures, the hard cases of French numbers, and enumerations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingestion.extract import extract_enumerations, extract_figures

GOLDEN = Path(__file__).parent.parent / "golden"
DOCUMENTS = sorted(path.stem for path in (GOLDEN / "figures").glob("*.json"))


def text_of(document_id: str) -> str:
    return (GOLDEN / "text" / f"{document_id}.txt").read_text(encoding="utf-8").rstrip("\n")


def normalised(surface: str) -> str:
    return " ".join(surface.replace("\u00a0", " ").replace("\u202f", " ").split())


@pytest.mark.parametrize("document_id", DOCUMENTS)
def test_figures_equal_the_golden_file(document_id):
    expected = json.loads((GOLDEN / "figures" / f"{document_id}.json").read_text(encoding="utf-8"))
    found = [
        {
            "surface": normalised(f.surface),
            "value": f.value,
            "unit": f.unit,
            "metric": f.metric,
            "qualifier": f.qualifier,
        }
        for f in extract_figures(text_of(document_id))
    ]
    assert found == [
        {**row, "surface": normalised(row["surface"]), "value": float(row["value"])} for row in expected
    ]


@pytest.mark.parametrize("document_id", DOCUMENTS)
def test_offsets_and_quotes_point_into_the_text(document_id):
    text = text_of(document_id)
    for figure in extract_figures(text):
        assert text[figure.char_start : figure.char_end] == figure.surface
        assert text[figure.quote_start : figure.quote_end] == figure.quote
        assert figure.quote_start <= figure.char_start < figure.char_end <= figure.quote_end


def test_pdf_and_html_of_the_same_communique_give_the_same_figures():
    def key(figure):
        return (
            figure.value,
            figure.unit,
            figure.metric,
            figure.qualifier,
            figure.fund,
            figure.phase,
            figure.region,
        )

    html = extract_figures(text_of("prefecture-cvl-2024-02-13-point-territoires-industrie"))
    pdf = extract_figures(text_of("prefecture-cvl-2024-02-13-communique-pdf"))
    assert [key(f) for f in html] == [key(f) for f in pdf]


def only(text: str):
    figures = extract_figures(text)
    assert len(figures) == 1, figures
    figure = figures[0]
    return figure.value, figure.unit, figure.metric, figure.qualifier


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ils reçoivent 1,36 milliard d’euros.", (1.36e9, "EUR", "funding", "exact")),
        ("Une enveloppe de 3,9M€ est prévue.", (3.9e6, "EUR", "funding", "exact")),
        ("Un montant d’aide de plus de 36 M€.", (36e6, "EUR", "funding", "more_than")),
        ("On prévoit 44 700 créations d’emplois.", (44700, "count", "jobs", "exact")),
        ("On prévoit 44\u202f700 créations d’emplois.", (44700, "count", "jobs", "exact")),
        ("On compte 2.400 lauréats.", (2400, "count", "laureates", "exact")),
        ("Soit 85 % des territoires.", (85, "percent", "territories", "exact")),
        ("Il signe les dix-huit contrats de filière.", (18, "count", "contracts", "exact")),
        ("Elle aide une cinquantaine de projets.", (50, "count", "projects", "about")),
        ("Il bénéficie de plus d’1 milliard d’euros.", (1e9, "EUR", "funding", "more_than")),
        ("Près de 150 territoires sont concernés.", (150, "count", "territories", "about")),
        ("Soit 1,75 million d’emplois industriels.", (1.75e6, "count", "jobs", "exact")),
        ("Un budget de 1,3 Md€ est annoncé.", (1.3e9, "EUR", "funding", "exact")),
        ("Chaque territoire reçoit 500 k€.", (5e5, "EUR", "funding", "exact")),
        (
            "Soit 8,2 milliards d’euros d’investissements industriels soutenus.",
            (8.2e9, "EUR", "investment", "exact"),
        ),
        ("Moins de 10 % des communes sont couvertes.", (10, "percent", "communes", "less_than")),
        ("Il y a 551 établissements publics de coopération intercommunale.", (551, "count", "epci", "exact")),
        ("Deux missions ont eu lieu.", (2, "count", "missions", "exact")),
    ],
)
def test_hard_cases_of_french_numbers(text, expected):
    assert only(text) == expected


def test_a_range_gives_both_ends():
    figures = extract_figures("On recense environ 1200 à 1300 projets.")
    assert [(f.value, f.unit, f.metric, f.qualifier, f.range_bound) for f in figures] == [
        (1200, "count", "projects", "about", "low"),
        (1300, "count", "projects", "about", "high"),
    ]
    euros = extract_figures("Une aide comprise entre 10 et 15 M€ par projet.")
    assert [(f.value, f.unit, f.range_bound) for f in euros] == [(10e6, "EUR", "low"), (15e6, "EUR", "high")]


@pytest.mark.parametrize(
    "text",
    [
        "Le programme a été lancé le 22 novembre 2018.",
        "Le 2e comité de pilotage s’est réuni.",
        "Des batteries de 4ème génération.",
        "1- Renforcer l’attractivité de ces territoires",
        "ti_a4_825_v20190920.jpg, par flavictoire",
        "Contact : 02 38 81 40 00",
        "Abonnement 4,90 € / mois",
        "Elle intégrera l’agence au 1er janvier 2020.",
        "Les aides seront versées en 2024.",
        "Mis à jour le 10/11/2023",
        "La phase 2 du programme commence.",
        "Un chef de projet à chaque territoire, pendant deux ans.",
        "Page 1/3",
        "Pour la période 2019-2020.",
    ],
)
def test_what_only_looks_like_a_figure_is_not_reported(text):
    assert extract_figures(text) == []


def test_a_regional_press_release_of_the_genre():
    text = (
        "La Région Occitanie et l’État ont retenu 18 territoires, qui représentent 1 200 communes et plus de "
        "40 000 emplois industriels ; une enveloppe de 2,5 M€ accompagnera leurs projets."
    )
    found = [(f.value, f.unit, f.metric, f.qualifier, f.region) for f in extract_figures(text)]
    assert found == [
        (18, "count", "territories", "exact", "Occitanie"),
        (1200, "count", "communes", "exact", "Occitanie"),
        (40000, "count", "jobs", "more_than", "Occitanie"),
        (2.5e6, "EUR", "funding", "exact", "Occitanie"),
    ]


def test_context_names_fund_phase_and_date():
    text = text_of("anct-2023-11-10-territoires-industrie-temps-2")
    figures = {normalised(f.surface): f for f in extract_figures(text)}
    assert figures["8,2 milliards d’euros"].fund == "Fonds d’accélération des investissements industriels"
    assert figures["149"].phase == "Temps I" and figures["149"].as_of == "2019-2020"
    assert figures["2 000"].phase == "Temps II"


def enumerations_of(document_id):
    return [
        (e.stated_value, e.metric, len(e.items), e.items[0])
        for e in extract_enumerations(text_of(document_id))
    ]


def test_enumerations_of_the_centre_val_de_loire_release():
    found = enumerations_of("prefecture-cvl-2024-02-13-point-territoires-industrie")
    assert (4.0, "challenges", 4, "Accélérer la transition écologique et énergétique") in found
    assert (
        12.0,
        "territories",
        12,
        "Est du Loiret, qui inclut notamment Montargis, Gien et Sully-sur-Loire",
    ) in found
    assert any(
        stated is None and count == 4 and first.startswith("Le dispositif")
        for stated, _, count, first in found
    )
    assert found == enumerations_of("prefecture-cvl-2024-02-13-communique-pdf")


def test_enumerations_numbered_bulleted_and_inline():
    explainer = enumerations_of("explainer-2019-territoires-industrie")
    assert (4.0, "challenges", 4, "Renforcer l’attractivité de ces territoires") in explainer
    assert (4.0, "challenges", 4, "recruter") in explainer
    assert any(
        stated is None and count == 4 and first.startswith("141") for stated, _, count, first in explainer
    )
    alliancy = enumerations_of("alliancy-2018-11-23-124-territoires-industrie")
    assert alliancy == [(4.0, "challenges", 4, "recruter")]


def test_a_count_the_list_does_not_enumerate_is_not_its_stated_value():
    found = enumerations_of("anct-2023-11-10-territoires-industrie-temps-2")
    assert all(stated is None for stated, *_ in found)


def test_money_named_in_a_parenthesised_aside_is_not_what_the_amount_is_for():
    text = text_of("alliancy-2018-11-23-124-territoires-industrie")
    about = next(f for f in extract_figures(text) if normalised(f.surface) == "1,3 milliard d’euros")
    assert about.fund is None


# Regression: a 200 KB page made of one long line took four minutes (searches that rescanned the line
# up to each figure, an e-mail pattern that backtracked over a long token). The same shapes, larger.
def test_a_text_that_is_one_long_line_gives_every_figure_with_its_own_sentence():
    sentence = "Le territoire de Vierzon reçoit 3 millions d’euros pour 14 projets et 120 emplois."
    figures = extract_figures(" ".join([sentence] * 3_000))
    assert len(figures) == 9_000
    assert {(f.value, f.metric) for f in figures} == {
        (3_000_000.0, "funding"),
        (14.0, "projects"),
        (120.0, "jobs"),
    }
    assert {f.quote for f in figures} == {sentence}
    assert figures[-1].quote_end == len(sentence) * 3_000 + 2_999


def test_a_very_long_token_before_a_figure_does_not_hide_it():
    figures = extract_figures("x" * 200_000 + "@ Les 12 territoires lauréats sont connus.")
    assert [(f.value, f.metric) for f in figures] == [(12.0, "territories")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Dans les territoires, la rencontre a réuni plus de 300 élus.",
            (300, "count", "other", "more_than"),
        ),
        ("Le territoire de Vierzon compte 4 500 habitants.", (4500, "count", "other", "exact")),
        ("Le jury a distingué 8 nouvelles lauréates.", (8, "count", "laureates", "exact")),
        ("Voici les 25 premières entreprises régionales lauréates.", (25, "count", "laureates", "exact")),
        ("Neuf zones labellisées rejoignent le programme.", (9, "count", "territories", "exact")),
        ("Soit 62 % des salariés du bassin.", (62, "percent", "jobs", "exact")),
        ("L’usine ouvrira 35 nouveaux postes.", (35, "count", "jobs", "exact")),
        ("L’État cofinance 6 postes de chefs de projet.", (6, "count", "project_managers", "exact")),
        (
            "Depuis deux ans, plus de 3 milliards d’euros ont été investis dans la vallée.",
            (3e9, "EUR", "investment", "more_than"),
        ),
        (
            "Un volume d’investissement prévisionnel de 45 M€ est attendu.",
            (45e6, "EUR", "investment", "exact"),
        ),
        ("Le programme s’organise autour de 3 axes.", (3, "count", "challenges", "exact")),
        ("Le chantier créera autour de 200 emplois.", (200, "count", "jobs", "about")),
    ],
)
def test_the_noun_a_figure_counts_in_the_genre(text, expected):
    assert only(text) == expected


def test_a_plan_of_actions_is_not_a_count_of_actions():
    figures = extract_figures("Parmi les territoires, ceux qui ont adopté un plan d’actions sont 14.")
    assert [(f.value, f.metric) for f in figures] == [(14, "territories")]


def test_the_clitic_en_takes_the_noun_of_the_figure_before():
    figures = extract_figures("Les projets retenus maintiendront 420 emplois et devraient en créer 80.")
    assert [(f.value, f.metric) for f in figures] == [(420, "jobs"), (80, "jobs")]


@pytest.mark.parametrize(
    "text",
    [
        "Publié le 14/03/2024 - 09:45",
        "Mis à jour le 05-06-2023 à 17:02:11",
        "Source : La Voix du Centre - 14 03 2024",
        "3 min de lecture",
        "[75% reste à lire]",
        "Le forum se tiendra du 12 au 14 octobre.",
        "Les 4, 5 et 6 juin, le salon ouvre ses portes.",
        "Les usines de Besançon (25) et de Vesoul (70) sont retenues.",
        "Le territoire Castres Revel (11-31-81) est reconduit.",
        "Adresse : 12 rue des Forges - 21000 Dijon",
        "Préfecture du Loiret\n45000 Orléans Cedex 1",
        "Le salon Industrie 4.0 ouvre à Lyon.",
        "Il s’agit d’Albi, Trois Rivières et Castres.",
        "Lors de la 3 assemblée générale, les élus ont voté.",
        "Lors de la 4 e rencontre nationale, les élus ont voté.",
    ],
)
def test_page_furniture_dates_codes_and_names_of_the_genre_are_not_figures(text):
    assert extract_figures(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("L’enveloppe globale atteint 2,4 milliards.", (2.4e9, "EUR", "funding", "exact")),
        ("Elle mobilise 25 millions de crédits.", (25e6, "EUR", "funding", "exact")),
        ("Nous en avons dépensé beaucoup, près de 3 milliards.", (3e9, "EUR", "funding", "about")),
        ("La région compte 3 millions d’habitants.", (3e6, "count", "other", "exact")),
        ("Le pays en compte 3 millions.", (3e6, "count", "other", "exact")),
        ("Le fonds dispose de 12 M d’euros.", (12e6, "EUR", "funding", "exact")),
        ("Un budget de 4 MEUR est voté.", (4e6, "EUR", "funding", "exact")),
        ("L’État a engagé 1.5 milliard d’euros.", (1.5e9, "EUR", "funding", "exact")),
        ("On prévoit 12\u2009500 emplois.", (12500, "count", "jobs", "exact")),
        ("À peine la moitié des projets a été financée.", (50, "percent", "projects", "exact")),
    ],
)
def test_amounts_written_as_the_genre_writes_them(text, expected):
    assert only(text) == expected


def test_half_without_a_complement_is_a_share_of_what_was_counted_before():
    figures = extract_figures("On recense 120 projets. À peine la moitié a obtenu une aide.")
    assert [(f.value, f.unit, f.metric) for f in figures] == [
        (120, "count", "projects"),
        (50, "percent", "projects"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le périmètre réunit 7 communautés de communes.", (7, "count", "epci", "exact")),
        ("Le contrat compte 21 fiches actions.", (21, "count", "measures", "exact")),
        ("La feuille de route s’articule autour de 21 fiches actions.", (21, "count", "measures", "exact")),
        ("L’extension prévoit l’embauche d’une trentaine de personnes.", (30, "count", "jobs", "about")),
        ("Le forum a accueilli 120 personnes.", (120, "count", "other", "exact")),
        ("Les territoires se partagent les deux fonds.", (2, "count", "other", "exact")),
        ("Ce chiffre atteint 18 %2 dans la vallée.", (18, "percent", "other", "exact")),
        ("Une enveloppe de 50M d’€/an est prévue.", (50e6, "EUR", "funding", "exact")),
    ],
)
def test_nouns_and_amounts_met_on_unseen_releases(text, expected):
    assert only(text) == expected


def test_a_figure_without_a_noun_counts_what_the_nearer_figure_or_noun_before_counted():
    text = "Les 9 signatures portent le nombre de territoires dotés d’une feuille de route à 11 sur 14."
    assert [(f.value, f.metric) for f in extract_figures(text)] == [
        (9, "other"),
        (11, "territories"),
        (14, "territories"),
    ]
    breakdown = "Au total, 900 actions sont lancées, dans le foncier (300, 33%) et les zones industrielles (250, 28%)."
    assert {f.metric for f in extract_figures(breakdown)} == {"measures"}


def test_the_noun_after_a_figure_stops_at_a_bracket_or_a_comma():
    figures = extract_figures("Les aides (40, 12 %), des sites industriels en tête, sont versées.")
    assert [f.metric for f in figures] == ["other", "other"]


def test_two_number_words_joined_by_et_are_a_range_not_one_number():
    figures = extract_figures("La région espère entre trois et cinq nouveaux territoires labellisés.")
    assert [(f.value, f.metric, f.range_bound) for f in figures] == [
        (3, "territories", "low"),
        (5, "territories", "high"),
    ]
    assert only("Il compte vingt et un territoires.") == (21, "count", "territories", "exact")


@pytest.mark.parametrize("text", ["|  | 850 mots\nLecture 4 min.", "Abonnement 49 € / an"])
def test_reading_aids_and_subscription_prices_are_not_figures(text):
    assert extract_figures(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Le comité se réunira le 12 juillet 2024 à 16 h 30 à Nantes.",
        "Rendez-vous à 9 h 30 en préfecture.",
        "- Trois vallées de Bruyères, Gérardmer, Saint-Dié-des-Vosges",
        "Trois Rivières",
        "Nord Est 77 – Meaux",
        "Le territoire Interdépartemental 32/82 est renouvelé.",
    ],
)
def test_times_and_names_holding_a_number_are_not_figures(text):
    """Found by the synthetic corpus (tdi synth): a time written "16 h 30" gave 30, and the territories
    whose official names hold a number gave that number."""
    assert extract_figures(text) == []


def test_a_count_word_opening_a_sentence_is_still_a_figure():
    assert [f.value for f in extract_figures("Trois territoires sont lauréats.")] == [3.0]


def test_a_year_like_count_before_a_plural_counted_noun_is_a_figure():
    """Found by the synthetic corpus: "2007" followed by "créations d’emplois" was taken for a year."""
    figures = extract_figures("À la clé, plus de 2007 créations d’emplois sont attendues d’ici 2027.")
    assert [(f.value, f.metric, f.qualifier) for f in figures] == [(2007.0, "jobs", "more_than")]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("Ils ont construit un bâtiment neuf.", []),
        ("Un bâtiment neuf et moderne accueillera 40 salariés.", [40.0]),
        ("Les neuf territoires sont lauréats.", [9.0]),
        ("Neuf territoires, dont neuf en Bretagne.", [9.0, 9.0]),
    ],
)
def test_neuf_is_new_after_a_noun_and_nine_before_what_it_counts(text, values):
    assert [f.value for f in extract_figures(text)] == values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a plural the lexicon does not know counts something else, not the territories named before
        ("Les 12 territoires sont pilotés à 3 niveaux.", [(12.0, "territories"), (3.0, "other")]),
        ("Le territoire compte deux pôles de compétitivité.", [(2.0, "other")]),
        # past a verb, or a participle: what an earlier noun counted
        ("Sur 20 territoires, 15 sont engagés.", [(20.0, "territories"), (15.0, "territories")]),
        ("Il fait partie des 183 retenus au niveau national.", [(183.0, "other")]),
        ("La région a reçu 23 dossiers.", [(23.0, "projects")]),
        ("La communauté regroupe 6 E.P.C.I. du département.", [(6.0, "epci")]),
        ("Entre 10 et 30 contractualisations seront signées.", [(10.0, "contracts"), (30.0, "contracts")]),
    ],
)
def test_metric_from_the_noun_right_after_the_figure(text, expected):
    """From a third evaluation on real texts: nouns the lexicon does not know, participles, acronyms."""
    assert [(f.value, f.metric) for f in extract_figures(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Écrire à marie.durand@region42.fr06 12 34 56 78 pour tout renseignement.",
        "Le territoire du Haut-Val [2] a signé le premier.",
        "Publié le 14 FÉV 2021 à 10:15",
    ],
)
def test_phone_glued_to_an_email_footnote_calls_and_short_dates_are_not_figures(text):
    assert extract_figures(text) == []


def test_pas_moins_de_is_at_least():
    assert [f.qualifier for f in extract_figures("Pas moins de 9 territoires ont été labellisés.")] == [
        "more_than"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cela concerne quelques 150 territoires.", [(150.0, "count", "about")]),
        ("Les projets devront être a minima d’1 million d’euros.", [(1e6, "EUR", "more_than")]),
        ("Ils sont engagés dans la trentaine de territoires pilotes.", [(30.0, "count", "about")]),
        ("Le quart des communes du territoire est rural.", [(25.0, "percent", "exact")]),
        (
            "Le pays compte 3 millions d’actifs(1) dans 12 régions.",
            [(3e6, "count", "exact"), (12.0, "count", "exact")],
        ),
        ("Le programme soutient l’industrie 4.0.", []),
    ],
)
def test_forms_from_a_fourth_evaluation(text, expected):
    """Qualifiers, shares and non-figures a fourth set of real texts showed (sentences written here)."""
    assert [(f.value, f.unit, f.qualifier) for f in extract_figures(text)] == expected
