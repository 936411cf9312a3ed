"""Rebuild the seed captures in raw/ from the seed texts in ../shared/seeds/.

The five original pages (and the PDF of the Centre-Val de Loire communiqué) cannot be fetched from
here, so each capture is a reconstruction: the seed text, word for word, laid out the way its
publisher's site lays out an article, inside the page furniture (header, menus, breadcrumbs, cookie
banner, share buttons, related links, footer) that a real scraper has to ignore. The output is
deterministic: rerunning the script gives the same bytes, hence the same sha256 file names.

    python raw/reconstruction/build_seed_captures.py [SEEDS_DIR]
"""

from __future__ import annotations

import hashlib
import html
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import yaml
from fpdf import FPDF

HERE = Path(__file__).resolve().parent
RAW = HERE.parent
REPO = RAW.parent
DEFAULT_SEEDS = REPO.parent / "shared" / "seeds"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
BUILT_AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CVL_PDF_NAME = "CP-Territoires-d-industrie-CVL-13-02-2024.pdf"


@dataclass
class Block:
    """One element of an article body: a heading, paragraph, list, figure or line group."""

    kind: str
    lines: list[str]
    css: str = ""


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def seed_lines(seeds: Path, name: str) -> list[str]:
    return (seeds / name).read_text(encoding="utf-8").split("\n")


def render_blocks(blocks: list[Block]) -> str:
    out = []
    for block in blocks:
        css = f' class="{block.css}"' if block.css else ""
        if block.kind == "ul":
            items = "\n".join(f"  <li>{esc(line)}</li>" for line in block.lines)
            out.append(f"<ul{css}>\n{items}\n</ul>")
        elif block.kind == "lines":
            out.append(f"<p{css}>" + "<br>\n".join(esc(line) for line in block.lines) + "</p>")
        elif block.kind == "raw":
            out.append(block.lines[0])
        else:
            out.append(f"<{block.kind}{css}>{esc(block.lines[0])}</{block.kind}>")
    return "\n".join(out)


def group_lines(lines: list[str], heading_lines: set[str], list_prefix: str = "- ") -> list[Block]:
    """Paragraph per line, consecutive "- " lines as one <ul> (the marker is the list's, not the text's)."""
    blocks: list[Block] = []
    for line in lines:
        if not line.strip():
            continue
        if line.startswith(list_prefix):
            item = line[len(list_prefix) :]
            if blocks and blocks[-1].kind == "ul":
                blocks[-1].lines.append(item)
            else:
                blocks.append(Block("ul", [item]))
        elif line in heading_lines:
            blocks.append(Block("h2", [line]))
        else:
            blocks.append(Block("p", [line]))
    return blocks


# --- 000: Préfecture de la région Centre-Val de Loire (prefectures-regions.gouv.fr, DSFR) -----------------


def cvl_article(lines: list[str], pdf_href: str) -> str:
    title, image, caption, *body = lines
    image_src = image[image.index("](") + 2 : -1]
    alt = image[image.index("[[") + 2 : image.index("]]")]
    blocks = [
        Block("h1", [title], "fr-h1"),
        Block(
            "raw",
            [
                f'<figure class="fr-content-media" role="group"><img class="fr-responsive-img" src="{esc(image_src)}"'
                f' alt="{esc(alt)}"><figcaption class="fr-content-media__caption">{esc(caption)}</figcaption></figure>'
            ],
        ),
        *group_lines(body, set()),
        Block(
            "raw",
            [
                f'<div class="fr-download"><p><a class="fr-download__link" href="{pdf_href}" download>'
                "Télécharger le communiqué de presse"
                '<span class="fr-download__detail">PDF – 167,25 Ko</span></a></p></div>'
            ],
        ),
    ]
    return render_blocks(blocks)


CVL_PAGE = """<!DOCTYPE html>
<html lang="fr" data-fr-scheme="system">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} | Les services de l'État en région Centre-Val de Loire</title>
<meta property="og:site_name" content="Préfecture de la région Centre-Val de Loire">
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="2024-02-13T10:30:00+01:00">
<link rel="stylesheet" href="/var/ire_site/dsfr/dsfr.min.css">
</head>
<body>
<div class="fr-skiplinks"><nav role="navigation" aria-label="Accès rapide"><ul class="fr-skiplinks__list">
<li><a class="fr-link" href="#contenu">Contenu</a></li><li><a class="fr-link" href="#header-navigation">Menu</a></li>
<li><a class="fr-link" href="#footer">Pied de page</a></li></ul></nav></div>
<div class="fr-consent-banner" id="cookie-banner"><h2 class="fr-h6">À propos des cookies sur prefectures-regions.gouv.fr</h2>
<p>Bienvenue ! Nous utilisons des cookies pour améliorer votre expérience et les services disponibles sur ce site.</p>
<ul class="fr-btns-group"><li><button class="fr-btn">Tout accepter</button></li><li><button class="fr-btn">Tout refuser</button></li></ul></div>
<header role="banner" class="fr-header">
<div class="fr-header__body"><div class="fr-header__brand"><p class="fr-logo">Préfet<br>de la région<br>Centre-Val de Loire</p>
<p class="fr-header__service-title">Les services de l'État en région Centre-Val de Loire</p></div>
<div class="fr-header__tools"><a class="fr-link" href="/centre-val-de-loire/Contact">Nous contacter</a>
<form class="fr-search-bar" role="search"><input class="fr-input" type="search" placeholder="Rechercher"></form></div></div>
<nav class="fr-nav" id="header-navigation" role="navigation" aria-label="Menu principal"><ul class="fr-nav__list">
<li><a class="fr-nav__link" href="/centre-val-de-loire/Region-et-institutions">Région et institutions</a></li>
<li><a class="fr-nav__link" href="/centre-val-de-loire/Actualites" aria-current="page">Actualités</a></li>
<li><a class="fr-nav__link" href="/centre-val-de-loire/Grands-dossiers">Grands dossiers</a></li>
<li><a class="fr-nav__link" href="/centre-val-de-loire/Documents-publications">Documents et publications</a></li>
<li><a class="fr-nav__link" href="/centre-val-de-loire/Salle-de-presse">Salle de presse</a></li></ul></nav>
</header>
<main role="main" id="contenu">
<div class="fr-container">
<nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :"><ol class="fr-breadcrumb__list">
<li><a class="fr-breadcrumb__link" href="/centre-val-de-loire">Accueil</a></li>
<li><a class="fr-breadcrumb__link" href="/centre-val-de-loire/Actualites">Actualités</a></li>
<li><a class="fr-breadcrumb__link" aria-current="page">Le point sur le programme Territoires d'industrie en région CVL</a></li></ol></nav>
<div class="fr-grid-row fr-grid-row--gutters">
<div class="fr-col-12 fr-col-md-8">
<article class="article">
{article}
</article>
<div class="fr-share"><p class="fr-share__title">Partager la page</p><ul class="fr-btns-group">
<li><a class="fr-btn--facebook fr-btn" href="https://www.facebook.com/sharer.php">Partager sur Facebook</a></li>
<li><a class="fr-btn--twitter-x fr-btn" href="https://twitter.com/intent/tweet">Partager sur X</a></li>
<li><a class="fr-btn--linkedin fr-btn" href="https://www.linkedin.com/shareArticle">Partager sur LinkedIn</a></li>
<li><button class="fr-btn--mail fr-btn">Partager par email</button></li></ul></div>
</div>
<aside class="fr-col-12 fr-col-md-4 fr-sidemenu" aria-label="Dans la même rubrique">
<h2 class="fr-sidemenu__title">Dans la même rubrique</h2><ul class="fr-sidemenu__list">
<li><a href="/centre-val-de-loire/Actualites/Principales/France-2030-14-laureats">France 2030 : 14 lauréats en région Centre-Val de Loire</a></li>
<li><a href="/centre-val-de-loire/Actualites/Principales/Fonds-vert-2024">Fonds vert 2024 : 52 millions d'euros pour la région</a></li>
<li><a href="/centre-val-de-loire/Actualites/Principales/Plan-Eau">Plan eau : 3 appels à projets</a></li></ul>
<div class="newsletter"><h3>Lettre d'information</h3><p>Recevez chaque mois l'actualité des services de l'État.</p>
<form><input type="email" placeholder="Votre adresse électronique"><button>S'abonner</button></form></div>
</aside>
</div></div>
</main>
<footer class="fr-footer" role="contentinfo" id="footer">
<div class="fr-footer__body"><p class="fr-footer__content-desc">Préfecture de la région Centre-Val de Loire – 181 rue de Bourgogne – 45042 Orléans Cedex 1 – Tél. : 02 38 81 40 00</p>
<ul class="fr-footer__content-list"><li><a href="https://www.info.gouv.fr">info.gouv.fr</a></li><li><a href="https://www.service-public.fr">service-public.fr</a></li>
<li><a href="https://www.legifrance.gouv.fr">legifrance.gouv.fr</a></li><li><a href="https://www.data.gouv.fr">data.gouv.fr</a></li></ul></div>
<div class="fr-footer__bottom"><ul class="fr-footer__bottom-list"><li><a href="/centre-val-de-loire/Plan-du-site">Plan du site</a></li>
<li><a href="/centre-val-de-loire/Accessibilite">Accessibilité : partiellement conforme</a></li>
<li><a href="/centre-val-de-loire/Mentions-legales">Mentions légales</a></li><li><a href="/centre-val-de-loire/Donnees-personnelles">Données personnelles</a></li></ul>
<p>Sauf mention explicite de propriété intellectuelle détenue par des tiers, les contenus de ce site sont proposés sous licence etalab-2.0</p></div>
</footer>
</body>
</html>
"""


# --- 001: ANCT programme page (agence-cohesion-territoires.gouv.fr, Drupal) --------------------------------

ANCT_HEADINGS = {
    "Territoires d’industrie Temps II",
    "Une nouvelle offre de services à disposition des territoires",
    "Renforcement de l’animation territoriale",
    "L’ingénierie au service de la structuration des projets industriels territoriaux",
    "100 millions d’euros pour la transition écologique",
    "Territoires d’industrie : une collaboration pour la reconquête industrielle",
    "Le bilan du temps I de Territoires d’industrie",
    "Territoires d’industrie – Temps I : quelques chiffres",
}
ANCT_SUBHEADINGS = {"2019-2020", "À partir de septembre 2020"}


def anct_article(lines: list[str]) -> str:
    body = [line for line in lines if line.strip()]
    blocks: list[Block] = []
    for block in group_lines(body[:-2], ANCT_HEADINGS):
        if block.kind == "p" and block.lines[0] in ANCT_SUBHEADINGS:
            block = Block("h3", block.lines)
        blocks.append(block)
    updated, source_link = body[-2:]
    blocks.append(Block("p", [updated], "date-maj"))
    blocks.append(
        Block(
            "raw",
            [
                f'<p class="source"><a href="https://www.ecologie.gouv.fr/loi-industrie-verte">{esc(source_link)}</a></p>'
            ],
        )
    )
    return render_blocks(blocks)


ANCT_PAGE = """<!DOCTYPE html>
<html lang="fr" dir="ltr">
<head>
<meta charset="utf-8">
<title>Territoires d'industrie | Agence nationale de la cohésion des territoires</title>
<meta property="og:site_name" content="Agence nationale de la cohésion des territoires">
<meta name="Generator" content="Drupal 9 (https://www.drupal.org)">
</head>
<body class="path-node page-node-type-programme">
<a href="#main-content" class="visually-hidden focusable skip-link">Aller au contenu principal</a>
<div id="tarteaucitronRoot" class="cookie-consent"><div id="tarteaucitronAlertBig"><span>Ce site utilise des cookies et vous donne le contrôle sur ceux que vous souhaitez activer</span>
<button id="tarteaucitronPersonalize2">Tout accepter</button><button id="tarteaucitronAllDenied2">Tout refuser</button></div></div>
<header role="banner" class="header">
<div class="header__brand"><a href="/" rel="home"><img src="/themes/custom/anct/logo.svg" alt="Agence nationale de la cohésion des territoires"></a></div>
<nav role="navigation" aria-label="Menu principal" class="menu--main"><ul class="menu">
<li class="menu-item"><a href="/qui-sommes-nous">Qui sommes-nous ?</a></li>
<li class="menu-item menu-item--active-trail"><a href="/nos-programmes">Nos programmes</a></li>
<li class="menu-item"><a href="/nos-offres">Nos offres</a></li><li class="menu-item"><a href="/ressources">Ressources</a></li>
<li class="menu-item"><a href="/actualites">Actualités</a></li><li class="menu-item"><a href="/agenda">Agenda</a></li></ul></nav>
<div class="header__search"><form action="/recherche"><input type="search" name="keys" placeholder="Rechercher sur le site"></form></div>
</header>
<div class="banner-programme"><nav class="breadcrumb" aria-labelledby="system-breadcrumb"><ol>
<li><a href="/">Accueil</a></li><li><a href="/nos-programmes">Nos programmes</a></li><li>Territoires d'industrie</li></ol></nav>
<h1 class="page-title"><span>Territoires d'industrie</span></h1>
<p class="programme-chiffres">183 territoires · 2024-2027</p></div>
<main role="main" id="main-content">
<div class="layout-content">
<article role="article" class="node node--type-programme node--view-mode-full">
<div class="node__content clearfix"><div class="field field--name-body field--type-text-with-summary">
{article}
</div></div>
</article>
</div>
<aside class="layout-sidebar-second" role="complementary">
<div class="block-related"><h2>Contacts</h2><p>Direction de programme Territoires d'industrie</p><p>Tél. : 01 85 58 60 00</p>
<h2>Documents à télécharger</h2><ul><li><a href="/sites/default/files/2023-11/ti-dossier-presse.pdf">Dossier de presse (PDF, 2,4 Mo)</a></li>
<li><a href="/sites/default/files/2023-11/ti-carte-183.pdf">Carte des 183 territoires (PDF, 1,1 Mo)</a></li></ul></div>
<div class="block-newsletter"><h2>Restez informé</h2><p>Abonnez-vous à la lettre de l'ANCT : 2 numéros par mois.</p></div>
</aside>
</main>
<footer role="contentinfo" class="footer">
<div class="footer__top"><p>Agence nationale de la cohésion des territoires – 20 avenue de Ségur – TSA 10717 – 75334 Paris Cedex 07</p>
<ul class="social"><li><a href="https://twitter.com/ANCT_Territoires">Twitter</a></li><li><a href="https://www.linkedin.com/company/anct">LinkedIn</a></li></ul></div>
<nav class="footer__menu" aria-label="Pied de page"><ul><li><a href="/mentions-legales">Mentions légales</a></li><li><a href="/accessibilite">Accessibilité : non conforme</a></li>
<li><a href="/plan-du-site">Plan du site</a></li><li><a href="/donnees-personnelles">Données personnelles et cookies</a></li></ul></nav>
<p class="copyright">© 2023 ANCT</p>
</footer>
</body>
</html>
"""


# --- 002: CGET news item (cget.gouv.fr, Drupal 7, 2019; served as windows-1252) ---------------------------


def cget_article(lines: list[str]) -> str:
    body = [line for line in lines if line.strip()]
    (
        kicker,
        title,
        published,
        p1,
        p2,
        p3,
        p4,
        p5,
        p6,
        read_release,
        see_dossier,
        where,
        image_name,
        image_caption,
        know,
        know_text,
    ) = body
    blocks = [
        Block("p", [kicker], "rubrique"),
        Block("h1", [title]),
        Block("p", [published], "date"),
        *(Block("p", [p]) for p in (p1, p2, p3, p4, p5, p6)),
        Block(
            "raw",
            [
                f'<p><a href="/sites/cget.gouv.fr/files/atoms/files/cp-ti-25092019.pdf">{esc(read_release)}</a></p>'
            ],
        ),
        Block("raw", [f'<p><a href="/dossiers/territoires-industrie">{esc(see_dossier)}</a></p>']),
        Block("h2", [where]),
        Block(
            "raw",
            [
                f'<p class="file"><a href="/sites/cget.gouv.fr/files/{esc(image_name)}">{esc(image_name)}</a></p>'
            ],
        ),
        Block("raw", [f'<p class="legende">{esc(image_caption)}</p>\n<p>&nbsp;</p>']),
        Block("h3", [know], "a-savoir"),
        Block("p", [know_text]),
    ]
    return render_blocks(blocks)


CGET_PAGE = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML+RDFa 1.0//EN" "http://www.w3.org/MarkUp/DTD/xhtml-rdfa-1.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="fr" lang="fr">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1252" />
<title>Un effort en ingénierie pour les Territoires d’industrie les plus fragiles | CGET</title>
<meta property="og:site_name" content="Commissariat général à l'égalité des territoires" />
<meta property="article:published_time" content="2019-09-25T16:12:00+02:00" />
</head>
<body class="html not-front page-node node-type-actualite">
<div id="skip-link"><a href="#main-content" class="element-invisible element-focusable">Aller au contenu principal</a></div>
<div id="header"><div class="logo"><a href="/" title="Accueil"><img src="/sites/all/themes/cget/logo.png" alt="Commissariat général à l'égalité des territoires" /></a></div>
<div id="menu-principal"><ul class="menu"><li><a href="/le-cget">Le CGET</a></li><li><a href="/politiques-publiques">Politiques publiques</a></li>
<li class="active-trail"><a href="/actualites">Actualités</a></li><li><a href="/ressources">Ressources</a></li><li><a href="/presse">Espace presse</a></li></ul></div>
<div class="recherche"><form action="/recherche" method="get"><input type="text" name="search_api_views_fulltext" /></form></div></div>
<div id="breadcrumb"><a href="/">Accueil</a> › <a href="/actualites">Actualités</a> › Un effort en ingénierie pour les Territoires d’industrie les plus fragiles</div>
<div id="main"><a id="main-content"></a>
<div class="node node-actualite clearfix"><div class="content">
{article}
</div>
<div class="partage"><span>Partager :</span> <a href="https://twitter.com/share">Twitter</a> <a href="https://www.facebook.com/sharer">Facebook</a> <a href="mailto:">Courriel</a> <a href="javascript:window.print()">Imprimer</a></div>
</div>
<div id="sidebar" class="region-sidebar"><div class="block block-views"><h2>Actualités liées</h2><ul>
<li><a href="/actualites/territoires-d-industrie-136-territoires">Territoires d’industrie : 136 territoires identifiés</a> (19/03/2019)</li>
<li><a href="/actualites/agenda-rural">Agenda rural : 200 mesures</a> (20/09/2019)</li></ul></div>
<div class="block block-abonnement"><h2>Abonnez-vous</h2><p>La lettre du CGET, chaque mois dans votre boîte.</p></div></div>
</div>
<div id="footer"><ul class="menu"><li><a href="/contact">Contact</a></li><li><a href="/mentions-legales">Mentions légales</a></li>
<li><a href="/plan-du-site">Plan du site</a></li><li><a href="/flux-rss">Flux RSS</a></li></ul>
<p>CGET – 5, rue Pleyel – 93283 Saint-Denis Cedex – Tél. : 01 85 58 60 00</p></div>
</body>
</html>
"""


# --- 003: Alliancy magazine article (alliancy.fr, WordPress) ------------------------------------------------


def alliancy_article(lines: list[str]) -> str:
    body = [line for line in lines if line.strip()]
    (
        in_dossier,
        dossier_title,
        discover,
        dossier_articles,
        title,
        chapo,
        caption_alt,
        caption,
        p1,
        p2,
        promo,
        p3,
        image_alt,
        image_caption,
        *rest,
    ) = body
    read_also, *paywall = rest[-5:]
    paragraphs = rest[:-5]
    login_text, login_button = paywall[-1].split("mail.")
    blocks = [
        Block(
            "raw",
            [
                f'<div class="dossier-box"><p class="dossier-label">{esc(in_dossier)}</p>'
                f'<p class="dossier-title"><a href="/dossier/territoires-intelligents">{esc(dossier_title)}</a></p>'
                f'<p class="dossier-link"><a href="/dossier/territoires-intelligents">{esc(discover)}</a></p>'
                f'<p class="dossier-articles">{esc(dossier_articles)}</p></div>'
            ],
        ),
        Block("h1", [title], "entry-title"),
        Block("p", [chapo], "chapo"),
        Block(
            "raw",
            [
                f'<div class="wp-caption"><img src="/wp-content/uploads/2018/11/edouard-philippe-cni.jpg" alt="{esc(caption_alt)}">'
                f'<p class="wp-caption-text">{esc(caption_alt)}</p></div>'
                f'<figure><img src="/wp-content/uploads/2018/11/edouard-philippe-cni-2.jpg" alt=""><figcaption>{esc(caption)}</figcaption></figure>'
            ],
        ),
        Block("p", [p1]),
        Block("p", [p2]),
        Block("p", [promo], "encart"),
        Block("p", [p3]),
        Block(
            "raw",
            [
                f'<figure class="wp-caption"><p class="image-title">{esc(image_alt)}</p>'
                f'<img src="/wp-content/uploads/2018/11/carte-territoires-industrie.jpg" alt="">'
                f"<figcaption>{esc(image_caption)}</figcaption></figure>"
            ],
        ),
        *(Block("p", [p]) for p in paragraphs),
        Block("p", [read_also], "lire-aussi"),
        Block(
            "raw",
            [
                '<div class="paywall"><p>&nbsp;</p>'
                f"<p>{esc(paywall[0])}</p><p>{esc(paywall[1])}</p><p>{esc(paywall[2])}</p>"
                f'<p>{esc(login_text)}mail.<a class="btn-login" href="/mon-compte">{esc(login_button)}</a></p></div>'
            ],
        ),
    ]
    return render_blocks(blocks)


ALLIANCY_PAGE = """<!DOCTYPE html>
<html lang="fr-FR">
<head>
<meta charset="UTF-8">
<title>124 territoires d’industrie créés en France - Alliancy</title>
<meta property="og:site_name" content="Alliancy">
<meta property="article:published_time" content="2018-11-23T08:45:12+00:00">
<meta name="generator" content="WordPress 4.9.8">
</head>
<body class="post-template-default single single-post">
<div class="top-bar"><span class="date-du-jour">Vendredi 23 novembre 2018</span>
<a href="/abonnement">Abonnez-vous</a> <a href="/mon-compte">Se connecter</a></div>
<header id="masthead" class="site-header"><p class="site-title"><a href="/">Alliancy, le mag</a></p>
<p class="site-description">Le média de la transformation numérique des entreprises et des territoires</p>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">
<li><a href="/category/strategie">Stratégie</a></li><li><a href="/category/transformation">Transformation</a></li>
<li><a href="/category/territoires">Territoires</a></li><li><a href="/category/cybersecurite">Cybersécurité</a></li>
<li class="menu-abonnement"><a href="/abonnement">Abonnement 4,90 € / mois</a><ul class="sub-menu">
<li><a href="/abonnement/numerique">Numérique : 1 an : 49 €</a></li><li><a href="/abonnement/papier">Papier + numérique : 1 an : 89 € TTC</a></li>
<li><a href="/abonnement/entreprise">Offre entreprise : 10 licences, à partir de 390 €</a></li></ul></li>
<li><a href="/contact">Contact : 01 43 12 56 70</a></li></ul></nav>
</header>
<div class="breadcrumbs"><a href="/">Accueil</a> » <a href="/category/territoires">Territoires</a> » 124 territoires d’industrie créés en France</div>
<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" class="site-main">
<article id="post-41268" class="post-41268 post type-post status-publish">
<div class="entry-content">
{article}
</div>
<footer class="entry-footer"><span class="tags-links">Étiquettes : <a href="/tag/industrie">industrie</a>, <a href="/tag/territoires">territoires</a></span></footer>
</article>
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Partager :</h3><ul><li><a class="share-twitter" href="/?share=twitter">Twitter</a></li>
<li><a class="share-linkedin" href="/?share=linkedin">LinkedIn</a></li><li><a class="share-facebook" href="/?share=facebook">Facebook</a></li></ul></div>
<nav class="navigation post-navigation"><div class="nav-previous"><a href="/usine-extraordinaire">Article précédent : L’Usine Extraordinaire : 3 jours au Grand Palais</a></div>
<div class="nav-next"><a href="/club-partenaires-numerique">Article suivant : Club des Partenaires du Numérique, 5 décembre</a></div></nav>
</main></div>
<aside id="secondary" class="widget-area"><section class="widget widget_recent_entries"><h2 class="widget-title">Les plus lus</h2><ul>
<li><a href="/smart-city-10-projets">Smart city : 10 projets à suivre</a></li><li><a href="/5g-territoires">5G : 3 territoires pilotes</a></li></ul></section>
<section class="widget widget_newsletter"><h2 class="widget-title">Newsletter</h2><p>Chaque semaine, l’essentiel de la transformation numérique.</p>
<form><input type="email" placeholder="Votre email"><button>Je m’inscris</button></form></section></aside>
</div>
<footer id="colophon" class="site-footer"><div class="site-info"><p>© 2018 Alliancy – Tous droits réservés</p>
<ul><li><a href="/mentions-legales">Mentions légales</a></li><li><a href="/cgv">CGV</a></li><li><a href="/publicite">Publicité : 01 43 12 56 70</a></li></ul></div></footer>
<div class="cookie-notice-container" id="cookie-notice"><span id="cn-notice-text">En poursuivant votre navigation, vous acceptez l’utilisation de cookies.</span><a class="cn-button">OK</a></div>
</body>
</html>
"""


# --- 004: explainer page, publisher unknown (WordPress) ----------------------------------------------------

EXPLAINER_HEADINGS = {
    "Qu’est-ce qu’un Territoire d’industrie ?",
    "Quels sont les défis à relever pour ces territoires ?",
    "De quoi peuvent bénéficier les Territoires d’industrie ?",
}


def explainer_article(lines: list[str]) -> str:
    body = [line for line in lines if line.strip()]
    blocks: list[Block] = []
    index = 0
    while index < len(body):
        line = body[index]
        if line in EXPLAINER_HEADINGS:
            blocks.append(Block("h2", [line]))
        elif line.startswith("carte des "):
            blocks.append(
                Block(
                    "raw",
                    [
                        f'<figure class="wp-block-image"><img src="/wp-content/uploads/2019/carte-ti.png" alt=""><figcaption>{esc(line)}</figcaption></figure>'
                    ],
                )
            )
        elif line[:2] in {"1-", "2-", "3-", "4-"} or line.lstrip().startswith("•"):
            group = []
            marker = "•" if line.lstrip().startswith("•") else "-"
            while index < len(body) and (
                (marker == "•" and body[index].lstrip().startswith("•"))
                or (marker == "-" and body[index][1:2] == "-")
            ):
                group.append(body[index].strip() if marker == "•" else body[index])
                index += 1
            blocks.append(Block("lines", group))
            continue
        else:
            blocks.append(Block("p", [line]))
        index += 1
    return render_blocks(blocks)


EXPLAINER_PAGE = """<!DOCTYPE html>
<html lang="fr-FR">
<head>
<meta charset="UTF-8">
<title>Territoires d'industrie : tout comprendre au programme</title>
<meta property="og:site_name" content="Le blog de l'industrie">
</head>
<body class="single single-post">
<header class="site-header"><div class="site-branding"><p class="site-title"><a href="/">Le blog de l'industrie</a></p></div>
<nav class="main-navigation" aria-label="Menu"><ul><li><a href="/">Accueil</a></li><li><a href="/dossiers">Dossiers</a></li>
<li><a href="/guides">Guides</a></li><li><a href="/contact">Contact</a></li></ul></nav></header>
<div class="site-content">
<article class="post type-post">
<header class="entry-header"><h1 class="entry-title">Territoires d’industrie : tout comprendre au programme</h1>
<div class="entry-meta"><span class="byline">Par la rédaction</span> · <span class="reading-time">Lecture : 3 min</span></div></header>
<div class="entry-content">
{article}
</div>
<footer class="entry-footer"><div class="share-buttons"><a href="#">Partager sur Facebook</a> <a href="#">Partager sur LinkedIn</a></div></footer>
</article>
<aside class="widget-area"><section class="widget"><h2 class="widget-title">Articles récents</h2><ul>
<li><a href="/industrie-4-0">Industrie 4.0 : 5 étapes pour se lancer</a></li><li><a href="/vte">Le VTE en 3 questions</a></li></ul></section></aside>
</div>
<footer class="site-footer"><p>© 2019 – Tous droits réservés · <a href="/mentions-legales">Mentions légales</a> · <a href="/politique-de-confidentialite">Politique de confidentialité</a></p></footer>
</body>
</html>
"""


# --- the PDF of the Centre-Val de Loire communiqué ------------------------------------------------------------


class CommuniquePdf(FPDF):
    """A prefecture communiqué: letterhead on the first page, a contact line and page numbers on every page."""

    def footer(self) -> None:
        self.set_y(-18)
        self.set_font("dejavu", size=7.5)
        self.cell(
            0,
            4,
            "Contact presse : pref-communication@centre-val-de-loire.gouv.fr – 02 38 81 40 00",
            align="C",
        )
        self.ln(4)
        self.cell(0, 4, f"Page {self.page_no()}/{{nb}}", align="C")


def build_cvl_pdf(lines: list[str]) -> bytes:
    title, _image, _caption, *body = lines
    body = [
        line
        for line in body
        if line.strip() and not line.startswith("Le communiqué de presse en téléchargement")
    ]
    pdf = CommuniquePdf(format="A4")
    pdf.set_creation_date(BUILT_AT)
    pdf.set_creator("Préfecture de la région Centre-Val de Loire")
    pdf.set_producer("tdi reconstruction")
    pdf.set_title(title)
    pdf.add_font("dejavu", fname=str(FONT))
    pdf.add_font("dejavu", style="B", fname=str(FONT_BOLD))
    pdf.set_margins(22, 20, 22)
    pdf.set_auto_page_break(auto=True, margin=24)
    pdf.add_page()
    pdf.set_font("dejavu", style="B", size=10)
    pdf.multi_cell(70, 4.5, "PRÉFET\nDE LA RÉGION\nCENTRE-VAL DE LOIRE")
    pdf.set_font("dejavu", size=7.5)
    pdf.multi_cell(70, 4, "Liberté\nÉgalité\nFraternité")
    pdf.ln(4)
    pdf.set_font("dejavu", style="B", size=13)
    pdf.cell(0, 7, "Communiqué de presse", align="R")
    pdf.ln(7)
    pdf.set_font("dejavu", size=9.5)
    pdf.cell(0, 6, "Orléans, le 13 février 2024", align="R")
    pdf.ln(12)
    pdf.set_font("dejavu", style="B", size=12)
    pdf.multi_cell(0, 6.5, title)
    pdf.ln(4)
    pdf.set_font("dejavu", size=10)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for line in body:
        if line.startswith("- "):
            pdf.set_x(pdf.l_margin)
            pdf.cell(5, 5.2, "-")
            pdf.multi_cell(width - 5, 5.2, line[2:])
            pdf.ln(0.6)
        else:
            pdf.multi_cell(width, 5.2, line)
            pdf.ln(3.2)
    return bytes(pdf.output())


# --- assembling the archive ----------------------------------------------------------------------------------


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def store(content: bytes, extension: str) -> tuple[str, str]:
    digest = sha256_of(content)
    relative = f"documents/{digest}{extension}"
    (RAW / relative).parent.mkdir(parents=True, exist_ok=True)
    (RAW / relative).write_bytes(content)
    return relative, digest


def reconstruction_note(seed: str) -> str:
    return (
        f"Built from ../shared/seeds/{seed} by raw/reconstruction/build_seed_captures.py: the seed text, words "
        "unchanged, laid out in the publisher's page structure with invented page furniture."
    )


def build(seeds: Path) -> list[dict]:
    pdf_bytes = build_cvl_pdf(seed_lines(seeds, "000_a4a221ff72913230.txt"))
    pdf_path, pdf_sha = store(pdf_bytes, ".pdf")
    cvl_url = (
        "https://www.prefectures-regions.gouv.fr/centre-val-de-loire/Actualites/Principales/"
        "Le-point-sur-le-programme-Territoires-d-industrie-en-region-CVL-communique-de-presse"
    )
    pdf_url = f"https://www.prefectures-regions.gouv.fr/centre-val-de-loire/content/download/{CVL_PDF_NAME}"
    pages = [
        (
            "prefecture-cvl-2024-02-13-point-territoires-industrie",
            "000_a4a221ff72913230.txt",
            CVL_PAGE,
            lambda lines: cvl_article(lines, pdf_url),
            "utf-8",
            {
                "source_url": cvl_url,
                "source_url_note": "Reconstructed from the article image path (section centre-val-de-loire/actualites/"
                "principales) on prefectures-regions.gouv.fr, the site of the regional prefectures.",
                "publisher": "Préfecture de la région Centre-Val de Loire",
                "published_on": "2024-02-13",
                "published_on_estimated": True,
                "published_on_note": "The page says phase 2 was launched in February 2024 and lists actions "
                "'depuis un an'; a copy of this release was seen dated 13 February 2024.",
                "title": "Le point sur le programme “Territoires d’industrie” en région CVL (communiqué de presse)",
            },
        ),
        (
            "anct-2023-11-10-territoires-industrie-temps-2",
            "001_444d8a8a5a7f5082.txt",
            ANCT_PAGE,
            anct_article,
            "utf-8",
            {
                "source_url": "https://agence-cohesion-territoires.gouv.fr/territoires-dindustrie-44",
                "source_url_note": "The ANCT programme page of Territoires d'industrie.",
                "publisher": "Agence nationale de la cohésion des territoires (ANCT)",
                "published_on": "2023-11-10",
                "published_on_estimated": True,
                "published_on_note": "'Mis à jour le 10/11/2023' is the date of the last update, not of first "
                "publication.",
                "title": "Territoires d'industrie",
            },
        ),
        (
            "cget-2019-09-25-effort-ingenierie-territoires-fragiles",
            "002_1bda34bc536d9753.txt",
            CGET_PAGE,
            cget_article,
            "windows-1252",
            {
                "source_url": "https://www.cget.gouv.fr/actualites/un-effort-en-ingenierie-pour-les-territoires-d-industrie-les-plus-fragiles",
                "source_url_note": "Reconstructed from the title in the CGET site's URL scheme (cget.gouv.fr/actualites/"
                "<slug>); the CGET site closed when the ANCT replaced it in 2020.",
                "publisher": "Commissariat général à l’égalité des territoires (CGET)",
                "published_on": "2019-09-25",
                "published_on_estimated": False,
                "published_on_note": "'Publié le 25/09/2019' on the page.",
                "title": "Un effort en ingénierie pour les Territoires d’industrie les plus fragiles",
            },
        ),
        (
            "alliancy-2018-11-23-124-territoires-industrie",
            "003_3c0552a169f85e0f.txt",
            ALLIANCY_PAGE,
            alliancy_article,
            "utf-8",
            {
                "source_url": "https://www.alliancy.fr/124-territoires-dindustrie-crees-en-france",
                "source_url_note": "Reconstructed from the title in Alliancy's URL scheme (alliancy.fr/<slug>).",
                "publisher": "Alliancy",
                "published_on": "2018-11-23",
                "published_on_estimated": True,
                "published_on_note": "Written after the Conseil national de l'industrie of 22 November 2018 "
                "('qui s'est tenu le 22 novembre dernier'), with the Club des Partenaires evening of 5 December "
                "still ahead: between 22 November and 5 December 2018.",
                "title": "124 territoires d’industrie créés en France",
            },
        ),
        (
            "explainer-2019-territoires-industrie",
            "004_7e8962ca15407657.txt",
            EXPLAINER_PAGE,
            explainer_article,
            "utf-8",
            {
                "source_url": None,
                "source_url_note": "Unknown: the seed is an explainer page whose site is not known.",
                "publisher": "unknown (explainer page)",
                "published_on": "2019-06-30",
                "published_on_estimated": True,
                "published_on_note": "'Depuis novembre dernier' dates it to 2019; it counts 141 territories, "
                "fewer than the 144 of 25/09/2019: mid-2019 is the best estimate.",
                "title": "Territoires d’industrie : tout comprendre au programme",
            },
        ),
    ]
    entries = []
    for document_id, seed, page, article, encoding, details in pages:
        markup = page.replace("{article}", article(seed_lines(seeds, seed)))
        relative, digest = store(markup.encode(encoding), ".html")
        entries.append(
            {
                "document_id": document_id,
                "path": relative,
                "content_type": f"text/html; charset={encoding}",
                "sha256": digest,
                **details,
                "reconstruction": True,
                "reconstruction_note": reconstruction_note(seed),
                "seed": seed,
                "captured_at": BUILT_AT.isoformat(),
            }
        )
    entries.insert(
        1,
        {
            "document_id": "prefecture-cvl-2024-02-13-communique-pdf",
            "path": pdf_path,
            "content_type": "application/pdf",
            "sha256": pdf_sha,
            "source_url": pdf_url,
            "source_url_note": "The communiqué the page offers for download; the file name is a reconstruction.",
            "publisher": "Préfecture de la région Centre-Val de Loire",
            "published_on": "2024-02-13",
            "published_on_estimated": False,
            "published_on_note": "The communiqué is dated 'Orléans, le 13 février 2024'.",
            "title": "Le point sur le programme “Territoires d’industrie” en région CVL (communiqué de presse)",
            "reconstruction": True,
            "reconstruction_note": "Built from ../shared/seeds/000_a4a221ff72913230.txt (title and body, words "
            "unchanged) as an A4 prefecture communiqué with fpdf2 and the DejaVu Sans font.",
            "seed": "000_a4a221ff72913230.txt",
            "attached_to": "prefecture-cvl-2024-02-13-point-territoires-industrie",
            "captured_at": BUILT_AT.isoformat(),
        },
    )
    return entries


def main() -> None:
    seeds = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SEEDS
    entries = build(seeds)
    manifest = {"documents": entries}
    (RAW / "manifest.yml").write_text(
        "# The raw archive: one entry per capture. Append-only: entries are added, never rewritten.\n"
        + yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False, width=110),
        encoding="utf-8",
    )
    for entry in entries:
        print(f"{entry['document_id']}: {entry['path']}")


if __name__ == "__main__":
    main()
