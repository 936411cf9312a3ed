"""Tables out of documents we make ourselves: HTML tables (thead, tfoot, colspan, rowspan), PDF tables drawn with
fpdf2 (ruled over two pages with a repeated header, wrapped cells and a total row; aligned without rules), the
press kits of `tdi synth` that broke the first finder, and the roles of columns; golden files of the tables found
in one made-up document of each kind."""

from __future__ import annotations

import json
import random
from dataclasses import asdict
from datetime import date
from pathlib import Path

import pytest
import yaml
from fpdf import FPDF
from fpdf.enums import TableHeadingsDisplay

from ingestion.synth.model import Heading, Items, Paragraph, Passage, Setting, SyntheticDocument
from ingestion.synth.model import Table as SynthTable
from ingestion.synth.pdf import FONT, FONT_BOLD, PdfRenderer, prepare_fonts
from ingestion.tables import ROLES, ROW_KINDS, find_tables
from ingestion.tables.aligned import Box, aligned_regions, text_lines
from ingestion.tables.pages import pages_with_tables
from ingestion.tables.roles import (
    CONTENT_PATTERNS,
    HEADER_PATTERNS,
    UNIT_PATTERNS,
    content_role,
    header_role,
    unit_multiplier,
)
from orchestration.project import DBT_PROJECT_DIR

GOLDEN = Path(__file__).parent.parent / "golden" / "tables"

GRANTS = [
    ("Gien (45)", "Fonderie du Giennois", "Modernisation de la ligne de coulée et réduction des consommations d'énergie du four", "450 000 €"),
    ("Briare (45)", "Émaux de Briare", "Nouvelle presse à émailler", "320 000 €"),
    ("Saint-Jean-de-Braye (45)", "Laboratoires Servier Industrie", "Extension de l'unité de production de comprimés et création de 40 emplois", "1 200 000 €"),
    ("Pithiviers (45)", "Sucrerie de Pithiviers", "Chaudière biomasse", "85 000 €"),
    ("Vierzon (18)", "Ateliers mécaniques du Cher", "Robotisation de l'atelier d'usinage", "210 000 €"),
    ("Bourges (18)", "Berry Composites", "Ligne pilote de pièces en composite recyclé pour l'aéronautique", "640 000 €"),
    ("Châteauroux (36)", "Textiles de l'Indre", "Reconversion d'une friche industrielle en atelier de confection", "375 000 €"),
    ("Issoudun (36)", "Aérocuir", "Formation de 12 salariés aux métiers du cuir", "60 000 €"),
    ("Dreux (28)", "Pharmadreux", "Décarbonation de la production de vapeur", "900 000 €"),
    ("Châteaudun (28)", "Beauce Métal", "Nouvelle cabine de peinture à faibles émissions", "150 000 €"),
    ("Nogent-le-Rotrou (28)", "Perche Plasturgie", "Recyclage des chutes de production et réemploi des emballages", "275 000 €"),
    ("Amboise (37)", "Touraine Électronique", "Salle blanche pour l'assemblage de cartes électroniques", "530 000 €"),
    ("Romorantin-Lanthenay (41)", "Sologne Mobilités", "Atelier de rétrofit de véhicules utilitaires", "410 000 €"),
    ("Montargis (45)", "Hutchinson Montargis", "Recyclage des élastomères", "700 000 €"),
]  # fmt: skip
"""Grants of a made-up prefecture press kit: communes with their département, companies, projects (some long
enough to wrap over two or three lines of their cell) and amounts."""
GRANTS_TOTAL = "6 305 000 €"
HEADER = ["Commune", "Entreprise", "Projet", "Aide accordée (€)"]
INTRODUCTION = (
    "Le préfet de la région Centre-Val de Loire et la présidente du conseil régional annoncent les lauréats de "
    "l'appel à projets Territoires d'industrie. Quatorze entreprises industrielles reçoivent une aide pour "
    "moderniser leurs sites, décarboner leur production et former leurs salariés. "
)


class PressKit(FPDF):
    """A4 pages in DejaVu Sans (French and €) with a running header and a numbered footer, as press kits have."""

    def header(self) -> None:
        self.set_font("dejavu", size=8)
        self.text(20, 12, "Préfecture de la région Centre-Val de Loire – Dossier de presse")

    def footer(self) -> None:
        self.set_font("dejavu", size=8)
        self.text(20, 287, f"Page {self.page_no()}")


def press_kit() -> PressKit:
    """A press kit whose first page starts with a paragraph, the body set 25 mm from the top of each page."""
    pdf = PressKit(format="A4")
    pdf.add_font("dejavu", fname=str(FONT))
    pdf.add_font("dejavu", style="B", fname=str(FONT_BOLD))
    pdf.set_top_margin(25)
    pdf.add_page()
    pdf.set_font("dejavu", size=10)
    pdf.multi_cell(0, 5, INTRODUCTION * 4, align="J", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    return pdf


def ruled_grants_pdf(repeat_headings: bool = True) -> bytes:
    """The grants as a ruled table (fpdf2's table) that runs onto a second page, its header repeated there (or
    not), wrapped cells, and a total row whose first cell spans three columns; paragraphs before and after."""
    pdf = press_kit()
    pdf.multi_cell(0, 5, INTRODUCTION * 3, align="J", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    display = TableHeadingsDisplay.ON_TOP_OF_EVERY_PAGE if repeat_headings else TableHeadingsDisplay.NONE
    with pdf.table(
        col_widths=(46, 42, 68, 34), text_align=("LEFT", "LEFT", "LEFT", "RIGHT"), repeat_headings=display
    ) as table:
        for row_cells in [HEADER, *GRANTS]:
            row = table.row()
            for text in row_cells:
                row.cell(text)
        total = table.row()
        total.cell("Total", colspan=3)
        total.cell(GRANTS_TOTAL)
    pdf.ln(6)
    pdf.multi_cell(0, 5, "Ces projets seront suivis par les sous-préfets d'arrondissement.", align="J")
    return bytes(pdf.output())


ALIGNED = [
    (["Gien (45)"], ["Fonderie du Giennois"], ["Modernisation de la ligne", "de coulée"], "450"),
    (["Briare (45)"], ["Émaux de Briare"], ["Nouvelle presse"], "320"),
    (["Saint-Jean-de-", "Braye (45)"], ["Laboratoires", "Servier Industrie"], ["Extension de l'unité", "de production"], "1 200"),
    (["Pithiviers (45)"], ["Sucrerie"], ["Chaudière biomasse"], "85"),
]  # fmt: skip
"""Grants set out in columns without a rule, each cell's lines as they wrap: the commune of one row wraps after
a hyphen, the company of another wraps too."""
ALIGNED_TOTAL = "2 055"


def aligned_grants_pdf() -> bytes:
    """The grants in columns without rules: a bold header, left-aligned text columns, amounts in k€ aligned
    right on each record's first line, records a little apart, a "Montant total" row; prose before and after."""
    pdf = press_kit()
    left, right = (20, 62, 112), 190
    y = pdf.get_y() + 8
    pdf.set_font("dejavu", style="B", size=10)
    for x, text in zip(left, ("Commune", "Entreprise", "Projet"), strict=True):
        pdf.text(x, y, text)
    pdf.text(right - pdf.get_string_width("Aide (k€)"), y, "Aide (k€)")
    pdf.set_font("dejavu", size=10)
    y += 7
    for communes, companies, projects, amount in ALIGNED:
        pdf.text(right - pdf.get_string_width(amount), y, amount)
        for x, lines in zip(left, (communes, companies, projects), strict=True):
            for number, line in enumerate(lines):
                pdf.text(x, y + 5 * number, line)
        y += 5 * max(len(communes), len(companies), len(projects)) + 2
    pdf.set_font("dejavu", style="B", size=10)
    pdf.text(left[0], y, "Montant total")
    pdf.text(right - pdf.get_string_width(ALIGNED_TOTAL), y, ALIGNED_TOTAL)
    pdf.set_font("dejavu", size=10)
    pdf.set_y(y + 12)
    pdf.multi_cell(
        0, 5, "Les aides sont versées en deux fois, à la signature et à la fin des travaux. " * 3, align="J"
    )
    return bytes(pdf.output())


def pages(table) -> list[int]:
    return sorted({cell.page for row in table.rows for cell in row})


def texts(table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.rows]


def body(table) -> list[list[str]]:
    return [
        [cell.text for cell in row]
        for row, kind in zip(table.rows, table.kinds, strict=True)
        if kind == "body"
    ]


def roles(table) -> list[str | None]:
    return [column.role for column in table.columns]


# PDF: a ruled table over two pages


@pytest.fixture(scope="module")
def ruled_table():
    (table,) = find_tables(ruled_grants_pdf(), "application/pdf")
    return table


def test_a_ruled_table_over_two_pages_is_one_table_with_one_row_per_grant(ruled_table):
    assert pages(ruled_table) == [1, 2]
    assert ruled_table.kinds == ["header", *["body"] * len(GRANTS), "total"]
    assert texts(ruled_table)[0] == HEADER
    assert body(ruled_table) == [list(grant) for grant in GRANTS]


def test_a_ruled_cell_wrapped_over_lines_is_one_cell_and_the_total_row_is_marked(ruled_table):
    wrapped = ruled_table.rows[1][2]
    assert wrapped.bbox[3] - wrapped.bbox[1] > 12  # three lines of 10 pt in one cell
    assert wrapped.text == GRANTS[0][2]
    total = ruled_table.rows[-1]
    assert [cell.text for cell in total] == ["Total", "Total", "Total", GRANTS_TOTAL]
    assert [cell.is_span_copy for cell in total] == [False, True, True, False]


def test_each_ruled_cell_has_its_page_and_a_box_within_it(ruled_table):
    for row in ruled_table.rows:
        assert len({cell.page for cell in row}) == 1
        x0s = [cell.bbox[0] for cell in row if not cell.is_span_copy]
        assert x0s == sorted(x0s)
        for x0, top, x1, bottom in (cell.bbox for cell in row):
            assert 0 <= x0 < x1 <= 596 and 0 <= top < bottom <= 842


def test_the_columns_of_the_grants_take_their_roles(ruled_table):
    assert roles(ruled_table) == ["commune", "beneficiary", "project", "amount"]
    assert ruled_table.columns[3].unit_multiplier == 1.0


def test_a_ruled_table_continued_without_its_header_is_joined_by_its_columns():
    (table,) = find_tables(ruled_grants_pdf(repeat_headings=False), "application/pdf")
    assert pages(table) == [1, 2]
    assert body(table) == [list(grant) for grant in GRANTS]


def tables_under_headings(headings: tuple[str, str]) -> bytes:
    """Two ruled tables with the same header, each under its heading, the first ending its page."""
    pdf = press_kit()
    for heading, grants in zip(headings, (GRANTS[:4], GRANTS[4:6]), strict=True):
        pdf.set_font("dejavu", style="B", size=12)
        pdf.cell(0, 8, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("dejavu", size=10)
        with pdf.table(col_widths=(46, 42, 68, 34)) as table:
            for row_cells in [HEADER, *grants]:
                row = table.row()
                for text in row_cells:
                    row.cell(text)
        pdf.add_page()
    return bytes(pdf.output())


def test_two_tables_with_the_same_header_on_two_pages_with_a_heading_between_stay_two():
    first, second = find_tables(tables_under_headings(("Loiret", "Cher")), "application/pdf")
    assert (pages(first), pages(second)) == ([1], [2])
    assert (first.caption, second.caption) == ("Loiret", "Cher")
    assert body(second) == [list(grant) for grant in GRANTS[4:6]]


def test_a_table_whose_next_page_says_suite_above_its_repeated_header_is_one_table():
    (table,) = find_tables(tables_under_headings(("Lauréats", "Lauréats (suite)")), "application/pdf")
    assert pages(table) == [1, 2]
    assert table.caption == "Lauréats"
    assert body(table) == [list(grant) for grant in GRANTS[:6]]


# PDF: a table aligned without rules


@pytest.fixture(scope="module")
def aligned_table():
    (table,) = find_tables(aligned_grants_pdf(), "application/pdf")
    return table


def test_an_aligned_table_has_its_rows_without_the_prose_around_it(aligned_table):
    assert aligned_table.kinds == ["header", "body", "body", "body", "body", "total"]
    assert texts(aligned_table)[0] == ["Commune", "Entreprise", "Projet", "Aide (k€)"]
    assert texts(aligned_table)[-1] == ["Montant total", "", "", ALIGNED_TOTAL]


def test_an_aligned_record_over_several_lines_is_one_row_its_amount_whole(aligned_table):
    assert body(aligned_table) == [
        [" ".join(communes).replace("- ", "-"), " ".join(companies), " ".join(projects), amount]
        for communes, companies, projects, amount in ALIGNED
    ]
    assert body(aligned_table)[2][0] == "Saint-Jean-de-Braye (45)"


def test_an_aligned_table_in_k_euros_has_its_roles_and_multiplier(aligned_table):
    assert roles(aligned_table) == ["commune", "beneficiary", "project", "amount"]
    assert aligned_table.columns[3].unit_multiplier == 1000.0


def line_of(top: float, *spans: tuple[float, float]) -> list[Box]:
    return [Box(x0, x1, top, top + 10) for x0, x1 in spans]


def test_a_note_set_under_an_aligned_table_is_not_one_of_its_rows():
    rows = [line_of(100 + 15 * number, (50, 120), (300, 360)) for number in range(4)]
    note = line_of(160, (50, 140))
    (region,) = aligned_regions(text_lines([box for line in [*rows, note] for box in line]), 12)
    assert len(region.lines) == 4
    assert region.gutters == ((120, 300),)


def test_a_page_of_justified_prose_is_not_read_for_tables():
    pdf = press_kit()
    pdf.multi_cell(0, 5, INTRODUCTION * 12, align="J")
    content = bytes(pdf.output())
    assert pages_with_tables(content) == []
    assert find_tables(content, "application/pdf") == []


# PDF: the press kits of `tdi synth` that the first finder misread


@pytest.fixture(scope="module")
def synth_renderer(tmp_path_factory):
    return PdfRenderer(prepare_fonts(tmp_path_factory.mktemp("fonts")))


def synth_press_kit(renderer: PdfRenderer, body: tuple) -> bytes:
    setting = Setting(
        "prefecture", "Préfecture de la région Centre-Val de Loire", "Centre-Val de Loire",
        "en Centre-Val de Loire", "Orléans", date(2024, 2, 13), "Temps II",
    )  # fmt: skip
    document = SyntheticDocument(0, "synth-0", setting, Passage("Territoires d'industrie : le point"), body)
    content, _ = renderer.render(document, random.Random(0), pages=5)
    return content


def territory_rows(names_and_amounts: list[tuple[str, str]]) -> tuple:
    return tuple((Passage(name), Passage(amount)) for name, amount in names_and_amounts)


TERRITORIES = [
    ("Nevers Val de Loire", "1,02 million d’euros"),
    ("Sologne Val de Cher", "320 000 €"),
    ("Pays de Bernay, de Conches, du Neubourg et du Sud de l’Eure", "1,58 M€"),
    ("Chartres Métropole", "1,89M€"),
    ("Issoudun", "490 k€"),
]
"""A territory whose name wraps over two lines of its cell, amid amounts of every width."""


def test_a_bulleted_list_indented_from_its_bullets_is_not_a_table(synth_renderer):
    items = Items(
        tuple(Passage(text) for text in ("Renforcer l’attractivité des métiers", "Mobiliser le foncier"))
    )
    content = synth_press_kit(
        synth_renderer, (Paragraph(Passage("Le programme se concentre sur trois axes prioritaires :")), items)
    )
    assert find_tables(content, "application/pdf") == []


def test_a_wrapped_first_cell_past_the_gutter_of_the_rows_above_stays_in_one_table(synth_renderer):
    table_block = SynthTable(("Territoire", "Montant de l’aide"), territory_rows(TERRITORIES))
    content = synth_press_kit(
        synth_renderer, (Paragraph(Passage("Répartition de l’enveloppe :")), table_block)
    )
    (table,) = find_tables(content, "application/pdf")
    assert table.caption == "Répartition de l’enveloppe :"
    assert body(table) == [list(row) for row in TERRITORIES]
    assert roles(table) == ["territory", "amount"]


def test_a_table_continued_on_the_next_page_by_an_amount_in_words_is_joined(synth_renderer):
    filler = tuple(Paragraph(Passage(INTRODUCTION * 2)) for _ in range(3))
    rows = [(f"Territoire numéro {number}", "1,42 million d'euros") for number in range(1, 13)]
    content = synth_press_kit(
        synth_renderer,
        (
            *filler,
            Heading(Passage("Répartition")),
            SynthTable(("Territoire", "Montant"), territory_rows(rows)),
        ),
    )
    (table,) = find_tables(content, "application/pdf")
    assert pages(table) == [1, 2]
    assert table.kinds == ["header", *["body"] * len(rows)]


# HTML


def html_page(table: str) -> bytes:
    return f"""<html><head><meta charset="utf-8"></head><body><nav><table><tr><td>Accueil</td><td>Presse</td></tr>
<tr><td>Contact</td><td>Plan</td></tr></table></nav><main><article><h2>Les lauréats</h2>{table}
<p>Les aides sont versées en deux fois.</p></article></main></body></html>""".encode()


def test_an_html_table_has_its_header_body_and_footer_rows_in_order():
    (table,) = find_tables(
        html_page(
            "<table><tfoot><tr><td>Total</td><td>770 €</td></tr></tfoot>"
            "<thead><tr><th>Commune</th><th>Aide</th></tr></thead>"
            "<tbody><tr><td>Gien (45)</td><td>450 €</td></tr><tr><td>Briare (45)</td><td>320 €</td></tr></tbody></table>"
        ),
        "text/html; charset=utf-8",
    )
    assert table.kinds == ["header", "body", "body", "total"]
    assert texts(table) == [
        ["Commune", "Aide"],
        ["Gien (45)", "450 €"],
        ["Briare (45)", "320 €"],
        ["Total", "770 €"],
    ]
    assert table.caption == "Les lauréats"
    assert all(cell.page is None and cell.bbox is None for row in table.rows for cell in row)


def test_html_colspan_and_rowspan_fill_a_grid_and_flag_the_copies():
    (table,) = find_tables(
        html_page(
            "<table><tr><th rowspan='2'>Commune</th><th colspan='2'>Aide (k€)</th></tr>"
            "<tr><th>État</th><th>Région</th></tr>"
            "<tr><td rowspan='0'>Gien (45)</td><td>450</td><td>50</td></tr>"
            "<tr><td>300</td><td>20</td></tr>"
            "<tr><td colspan='1000'>Total général</td></tr></table>"
        ),
        "text/html",
    )
    assert texts(table) == [
        ["Commune", "Aide (k€)", "Aide (k€)"],
        ["Commune", "État", "Région"],
        ["Gien (45)", "450", "50"],
        ["Gien (45)", "300", "20"],
        ["Gien (45)", "Total général", "Total général"],
    ]
    assert table.kinds == ["header", "header", "body", "body", "body"]
    assert [cell.is_span_copy for cell in table.rows[3]] == [True, False, False]
    assert [(column.role, column.unit_multiplier) for column in table.columns] == [
        ("commune", None), ("amount", 1000.0), ("amount", 1000.0)
    ]  # fmt: skip


def test_a_total_row_is_known_by_its_first_filled_cell():
    (table,) = find_tables(
        html_page(
            "<table><tr><th>Territoire</th><th>Montant</th></tr><tr><td>Issoudun</td><td>490 k€</td></tr>"
            "<tr><td>Gien</td><td>1,2 M€</td></tr><tr><td>TOTAL GÉNÉRAL</td><td>1,69 M€</td></tr>"
            "<tr><td></td><td>Montant total : 1,69 M€</td></tr><tr><td>Totalement financé</td><td>oui</td></tr></table>"
        ),
        "text/html",
    )
    assert table.kinds == ["header", "body", "body", "total", "total", "body"]
    assert table.columns[1].unit_multiplier is None  # k€ and M€ in one column: each cell says its own


def test_layout_tables_and_tables_of_the_page_furniture_are_not_data_tables():
    layout = (
        "<table><tr><td><table><tr><th>Commune</th><th>Aide</th></tr><tr><td>Gien</td><td>450 €</td></tr></table>"
        "</td><td>Photo</td></tr></table><table role='presentation'><tr><td>a</td><td>b</td></tr>"
        "<tr><td>c</td><td>d</td></tr></table>"
    )
    (table,) = find_tables(html_page(layout), "text/html")
    assert texts(table) == [["Commune", "Aide"], ["Gien", "450 €"]]


def test_the_grants_as_an_html_table_give_the_cells_of_the_ruled_pdf(ruled_table):
    no_break = [
        [text.replace(" ", "\u00a0") if text.endswith("€") else text for text in grant] for grant in GRANTS
    ]
    body_rows = "".join(
        "<tr>" + "".join(f"<td>{text}</td>" for text in grant) + "</tr>" for grant in no_break
    )
    header_row = "".join(f"<th>{text}</th>" for text in HEADER)
    (table,) = find_tables(
        html_page(
            f"<table><thead><tr>{header_row}</tr></thead><tbody>{body_rows}</tbody>"
            f"<tfoot><tr><td colspan='3'>Total</td><td>{GRANTS_TOTAL}</td></tr></tfoot></table>"
        ),
        "text/html",
    )
    assert texts(table) == texts(ruled_table)
    assert table.kinds == ruled_table.kinds and table.columns == ruled_table.columns


def test_a_page_without_a_table_has_none():
    assert find_tables(html_page("<p>Quatorze entreprises sont lauréates.</p>"), "text/html") == []


# Roles


@pytest.mark.parametrize("pattern", HEADER_PATTERNS, ids=lambda pattern: pattern.example)
def test_each_header_pattern_recognises_its_example(pattern):
    assert header_role(pattern.example) == pattern.meaning


@pytest.mark.parametrize("pattern", CONTENT_PATTERNS, ids=lambda pattern: pattern.example)
def test_each_content_pattern_recognises_its_example(pattern):
    assert content_role([pattern.example]) == pattern.meaning


@pytest.mark.parametrize("pattern", UNIT_PATTERNS, ids=lambda pattern: pattern.example)
def test_each_unit_pattern_recognises_its_example(pattern):
    assert unit_multiplier(pattern.example) == pattern.meaning


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("Objet de l’aide", "project"),
        ("Montant de l'aide", "amount"),
        ("Montant total de l'investissement", "investment"),
        ("Porteur du projet", "beneficiary"),
        ("Appel à projets", "measure"),
        ("Localisation du projet", "commune"),
        ("en milliers d'euros", "amount"),
        ("Porteur", "beneficiary"),
        ("Observations", None),
    ],
)
def test_a_header_takes_the_role_it_names_first(header, role):
    assert header_role(header) == role


@pytest.mark.parametrize(
    ("cells", "role"),
    [
        (["552 100 554", "732829320", "n.c.", "443 061 841", "383 474 814"], "siren"),
        (["45155", "2A004", "18033"], "commune"),
        (["Gien (45)", "Ajaccio (2A)", "Saint-Denis (974)"], "commune"),
        (["2023", "2024", "2024"], "year"),
        (["Fonderie du Giennois", "Émaux de Briare"], None),
    ],
)
def test_a_column_without_a_known_header_takes_the_role_its_cells_share(cells, role):
    assert content_role(cells) == role


def test_the_staging_models_accept_exactly_the_roles_and_row_kinds_the_finder_gives():
    path = DBT_PROJECT_DIR / "models" / "staging" / "raw" / "stg_raw__table_cells.yml"
    (model,) = yaml.safe_load(path.read_text(encoding="utf-8"))["models"]
    accepted = {
        column["name"]: test["accepted_values"]["arguments"]["values"]
        for column in model["columns"]
        for test in column.get("data_tests", [])
        if isinstance(test, dict) and "accepted_values" in test
    }
    assert accepted == {"row_kind": list(ROW_KINDS), "column_role": list(ROLES)}


# Golden files: the tables of one made-up document of each kind


def found(content: bytes, content_type: str) -> list[dict]:
    """The tables as the golden files hold them: caption, columns, and each row's kind, page, cell texts and span
    copies; the boxes left out (fpdf2 and pdfplumber place them to a fraction of a point)."""
    return [
        {
            "caption": table.caption,
            "columns": [asdict(column) for column in table.columns],
            "rows": [
                {
                    "kind": kind,
                    "page": row[0].page,
                    "cells": [cell.text for cell in row],
                    "span_copies": [index for index, cell in enumerate(row) if cell.is_span_copy],
                }
                for row, kind in zip(table.rows, table.kinds, strict=True)
            ],
        }
        for table in find_tables(content, content_type)
    ]


GOLDEN_DOCUMENTS = {
    "grants_html": lambda: ((GOLDEN / "grants.html").read_bytes(), "text/html; charset=utf-8"),
    "grants_ruled_pdf": lambda: (ruled_grants_pdf(), "application/pdf"),
    "grants_aligned_pdf": lambda: (aligned_grants_pdf(), "application/pdf"),
}


@pytest.mark.parametrize("name", GOLDEN_DOCUMENTS)
def test_the_tables_found_equal_the_golden_file(name):
    expected = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    assert found(*GOLDEN_DOCUMENTS[name]()) == expected


def test_tables_that_cannot_be_read_leave_the_text_and_say_why(tmp_path, monkeypatch):
    """pdfplumber failing on a page PDFium read loses the tables only: the text is kept, with the reason."""
    from ingestion import worker_tasks
    from ingestion.tables import UnreadableTables

    def unreadable(content, content_type):
        raise UnreadableTables("pdfplumber could not read the PDF's tables: broken xref")

    page = tmp_path / "page.html"
    page.write_text("<html><body><main><p>Le Loiret compte 3 territoires.</p></main></body></html>", "utf-8")
    monkeypatch.setattr(worker_tasks, "find_tables", unreadable)
    summary, _pages = worker_tasks.parse_capture(str(page), "text/html")
    assert summary["text"] == "Le Loiret compte 3 territoires."
    assert summary["tables"] == [] and "broken xref" in summary["tables_error"]
