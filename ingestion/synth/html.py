"""HTML pages: the article inside the furniture of a government site (DSFR) or of a news site.

Numbers in the furniture (a subscription price, related links, an address, a reading time, a comment
count) sit in the elements a real scraper must ignore (header, nav, aside, footer, cookie banner, share
buttons): they are not figures of the document, and the truth leaves them out.
"""

from __future__ import annotations

import html
import random

from ingestion.synth.model import Block, Heading, Items, Paragraph, SyntheticDocument, Table
from ingestion.synth.vocabulary import long_date


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def render_html(document: SyntheticDocument, rng: random.Random) -> bytes:
    article = "\n".join(
        [f"<h1>{esc(document.title.text)}</h1>", *article_meta(document, rng)]
        + [render_block(block, rng) for block in (*document.body, *document.closing)]
    )
    shell = NEWS_PAGE if document.setting.kind == "news" else GOVERNMENT_PAGE
    return fill(shell, document, article).encode("utf-8")


def article_meta(document: SyntheticDocument, rng: random.Random) -> list[str]:
    """What a government page says under its title: the date, in a line the main text keeps (a date is
    not a figure); a news page says it in its furniture instead."""
    day = document.setting.published_on
    if document.setting.kind == "news":
        return [
            f'<header class="entry-meta">Par {esc(rng.choice(("la rédaction", "notre correspondant")))} · '
            f"Publié le {day.day:02d}/{day.month:02d}/{day.year} à {rng.randint(6, 20)}h{rng.choice(('00', '15', '30'))} · "
            f"Lecture : {rng.randint(2, 7)} min · {rng.randint(0, 40)} commentaires</header>"
        ]
    return [
        f'<p class="fr-text--sm">Publié le {long_date(day)}</p>',
        '<figure class="fr-content-media"><img src="/images/usine.jpg" alt="">'
        "<figcaption>Photo d’illustration © synth.tdi.invalid</figcaption></figure>",
    ]


def render_block(block: Block, rng: random.Random) -> str:
    if isinstance(block, Heading):
        return f"<h2>{esc(block.passage.text)}</h2>"
    if isinstance(block, Paragraph):
        return f"<p>{esc(block.passage.text)}</p>"
    if isinstance(block, Items):
        return render_items(block, rng)
    if isinstance(block, Table):
        return render_table(block)
    raise TypeError(f"no HTML for {block!r}")


def render_items(block: Items, rng: random.Random) -> str:
    """A list as <ul>/<ol>, or as lines of a paragraph that start with a bullet, as some editors write them."""
    if not block.numbered and rng.random() < 0.2:
        return "<p>" + "<br>\n".join(f"• {esc(item.text)}" for item in block.items) + "</p>"
    tag = "ol" if block.numbered else "ul"
    items = "\n".join(f"  <li>{esc(item.text)}</li>" for item in block.items)
    return f"<{tag}>\n{items}\n</{tag}>"


def render_table(block: Table) -> str:
    head = "".join(f"<th>{esc(name)}</th>" for name in block.header)
    rows = "\n".join(
        "<tr>" + "".join(f"<td>{esc(cell.text)}</td>" for cell in row) + "</tr>" for row in block.rows
    )
    return f'<table class="fr-table">\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>'


def fill(shell: str, document: SyntheticDocument, article: str) -> str:
    setting = document.setting
    return (
        shell.replace("{title}", esc(document.title.text))
        .replace("{publisher}", esc(setting.publisher))
        .replace("{region}", esc(setting.region))
        .replace("{city}", esc(setting.city))
        .replace("{year}", str(setting.published_on.year))
        .replace("{published}", setting.published_on.isoformat())
        .replace("{article}", article)
    )


GOVERNMENT_PAGE = """<!DOCTYPE html>
<html lang="fr" data-fr-scheme="system">
<head>
<meta charset="utf-8">
<title>{title} | {publisher}</title>
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{published}T10:30:00+01:00">
<meta name="description" content="Document synthétique produit par tdi synth : aucune page de ce nom n’existe.">
</head>
<body>
<div class="fr-skiplinks"><nav role="navigation" aria-label="Accès rapide"><ul>
<li><a href="#contenu">Contenu</a></li><li><a href="#footer">Pied de page</a></li></ul></nav></div>
<div class="fr-consent-banner" id="cookie-banner"><h2>À propos des cookies</h2>
<p>Nous utilisons 3 cookies de mesure d’audience, conservés 13 mois au plus.</p>
<button class="fr-btn">Tout accepter</button><button class="fr-btn">Tout refuser</button></div>
<header role="banner" class="fr-header"><p class="fr-logo">République<br>Française</p>
<p class="fr-header__service-title">{publisher}</p>
<nav class="fr-nav" role="navigation" aria-label="Menu principal"><ul>
<li><a href="/actualites">Actualités</a></li><li><a href="/france-2030">France 2030 : 54 milliards d’euros</a></li>
<li><a href="/salle-de-presse">Salle de presse</a></li><li><a href="/contact">Nous contacter</a></li></ul></nav>
</header>
<main role="main" id="contenu">
<nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :"><ol>
<li><a href="/">Accueil</a></li><li><a href="/actualites">Actualités</a></li><li><a aria-current="page">{title}</a></li></ol></nav>
<div class="fr-grid-row">
<div class="fr-col-12 fr-col-md-8">
<article class="article">
{article}
</article>
<div class="fr-share"><p>Partager la page</p><ul>
<li><a href="https://www.facebook.com/sharer.php">Partager sur Facebook</a></li>
<li><a href="https://www.linkedin.com/shareArticle">Partager sur LinkedIn</a></li>
<li><a href="mailto:">Partager par e-mail</a></li></ul></div>
</div>
<aside class="fr-col-12 fr-col-md-4 fr-sidemenu" aria-label="Dans la même rubrique">
<h2>Dans la même rubrique</h2><ul>
<li><a href="/actualites/france-2030">France 2030 : 14 lauréats {region}</a></li>
<li><a href="/actualites/fonds-vert">Fonds vert : 52 millions d’euros pour 120 projets</a></li></ul>
<div class="newsletter"><h3>Lettre d’information</h3><p>Recevez 2 fois par mois l’actualité des services de l’État.</p></div>
</aside>
</div>
</main>
<footer class="fr-footer" role="contentinfo" id="footer">
<p>{publisher} – 12 rue de la République – 99000 {city} – Tél. : 01 23 45 67 89</p>
<ul><li><a href="/accessibilite">Accessibilité : partiellement conforme (78 %)</a></li>
<li><a href="/mentions-legales">Mentions légales</a></li><li>© {year}</li></ul>
</footer>
</body>
</html>
"""

NEWS_PAGE = """<!DOCTYPE html>
<html lang="fr-FR">
<head>
<meta charset="UTF-8">
<title>{title} – {publisher}</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{publisher}">
<meta name="description" content="Document synthétique produit par tdi synth : aucune page de ce nom n’existe.">
</head>
<body class="single single-post">
<header class="site-header"><p class="site-title"><a href="/">{publisher}</a></p>
<div class="top-bar"><a href="/abonnement">Abonnement 4,90 € / mois</a> · <a href="/offre">1 € le premier mois</a></div>
<nav class="main-navigation" aria-label="Menu"><ul><li><a href="/">À la une</a></li><li><a href="/economie">Économie</a></li>
<li><a href="/territoires">Territoires</a></li><li><a href="/industrie">Industrie 4.0</a></li></ul></nav></header>
<div class="site-content">
<article class="post type-post">
{article}
<aside class="related"><h2>Lire aussi</h2><ul>
<li><a href="/usines-2024">Les 10 usines qui ont ouvert {region} en {year}</a></li>
<li><a href="/fonds-vert">Fonds vert : 2 milliards d’euros en 2024</a></li></ul></aside>
<footer class="entry-footer"><div class="share-buttons"><a href="#">Partager sur Facebook</a> <a href="#">Partager sur X</a></div></footer>
</article>
<section class="comments" id="comments"><h2>3 commentaires</h2><p>Très bonne nouvelle pour les 250 salariés du site !</p></section>
<aside class="widget-area"><section class="widget"><h2>Les plus lus</h2><ul>
<li><a href="/emploi">Emploi industriel : +4,2 % en un an</a></li><li><a href="/gigafactory">Une gigafactory de 2 000 emplois</a></li></ul></section></aside>
</div>
<footer class="site-footer"><p>© {year} {publisher} – Tous droits réservés · Publicité : 01 43 12 56 70</p></footer>
<div class="cookie-notice-container" id="cookie-notice">En poursuivant votre navigation, vous acceptez nos 4 cookies.</div>
</body>
</html>
"""
