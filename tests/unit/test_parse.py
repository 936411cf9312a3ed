"""Parsers against the committed captures (golden main texts) and against bad input (a clear error each)."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
import yaml
from fpdf import FPDF

from ingestion import settings
from ingestion.parse import (
    DocumentTooLarge,
    EmptyDocument,
    EncryptedPdf,
    GarbledText,
    NoTextLayer,
    TruncatedPdf,
    UnsupportedContent,
    parse_document,
)
from ingestion.parse.pdf import readable
from orchestration.project import DEFAULT_RAW_DIR

GOLDEN = Path(__file__).parent.parent / "golden" / "text"
MANIFEST = yaml.safe_load((DEFAULT_RAW_DIR / "manifest.yml").read_text(encoding="utf-8"))["documents"]


def capture_bytes(entry: dict) -> bytes:
    return (DEFAULT_RAW_DIR / entry["path"]).read_bytes()


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["document_id"] for e in MANIFEST])
def test_main_text_of_each_capture_equals_its_golden_file(entry):
    parsed = parse_document(capture_bytes(entry), entry["content_type"])
    expected = (GOLDEN / f"{entry['document_id']}.txt").read_text(encoding="utf-8").rstrip("\n")
    assert parsed.text == expected


def test_page_furniture_is_gone():
    texts = [parse_document(capture_bytes(e), e["content_type"]).text for e in MANIFEST]
    for furniture in (
        "Abonnement 4,90 €",
        "Partager sur",
        "Mentions légales",
        "cookies",
        "Page 1/3",
        "Contact presse",
    ):
        assert not any(furniture in text for text in texts), furniture


def test_pdf_pages_cover_the_text_in_order():
    entry = next(e for e in MANIFEST if e["content_type"] == "application/pdf")
    parsed = parse_document(capture_bytes(entry), entry["content_type"])
    assert [page.page_number for page in parsed.pages] == [1, 2, 3]
    assert parsed.pages[0].char_start == 0 and parsed.pages[-1].char_end == len(parsed.text)
    second = parsed.text[parsed.pages[1].char_start : parsed.pages[1].char_end]
    assert second.startswith("Depuis son lancement en 2018")


def test_windows_1252_page_is_decoded_from_its_declaration():
    entry = next(e for e in MANIFEST if "windows-1252" in e["content_type"])
    assert "’".encode() not in capture_bytes(entry)
    assert (
        "Territoires d’industrie compte désormais 144"
        in parse_document(capture_bytes(entry), "text/html").text
    )


def simple_page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body><nav>Accueil</nav><article><p>{body}</p></article></body></html>"


def test_undeclared_windows_1252_page_is_detected():
    content = simple_page(
        "L’État a retenu 12 territoires lauréats, avec 3,9 M€ d’aides régionalisées."
    ).encode("cp1252")
    assert parse_document(content, "text/html").text == (
        "L’État a retenu 12 territoires lauréats, avec 3,9 M€ d’aides régionalisées."
    )


def test_latin_1_declaration_is_read_as_browsers_do():
    content = simple_page("Les 183 territoires d’industrie", '<meta charset="iso-8859-1">').encode("cp1252")
    assert parse_document(content, "text/html").text == "Les 183 territoires d’industrie"


TERRITOIRES = "Les 183 Territoires d’industrie reçoivent 100 M€ : 12 lauréats en Région Centre-Val de Loire."


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32", "utf-32-be"])
@pytest.mark.parametrize("declared", [None, "windows-1252"])
def test_a_byte_order_mark_says_the_encoding_whatever_the_page_declares(codec, declared):
    content = simple_page(TERRITOIRES, '<meta charset="iso-8859-1">').encode(codec)
    if codec.endswith("-be"):
        content = {"utf-16-be": codecs.BOM_UTF16_BE, "utf-32-be": codecs.BOM_UTF32_BE}[codec] + content
    content_type = f"text/html; charset={declared}" if declared else "text/html"
    assert parse_document(content, content_type).text == TERRITOIRES


def test_a_meta_charset_is_honoured_and_a_utf_16_label_in_it_read_as_utf_8():
    assert (
        parse_document(
            simple_page(TERRITOIRES, '<meta charset="windows-1252">').encode("cp1252"), "text/html"
        ).text
        == TERRITOIRES
    )
    assert (
        parse_document(simple_page(TERRITOIRES, '<meta charset="utf-16">').encode("utf-8"), "text/html").text
        == TERRITOIRES
    )


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-32-le"])
def test_text_that_decodes_to_garbage_is_a_parse_error_not_figures(codec):
    """UTF-16 or UTF-32 without its byte-order mark, served without a charset: whatever a decoder makes of it,
    no text, and so no figure, comes out."""
    content = simple_page(TERRITOIRES).encode(codec)
    with pytest.raises(GarbledText, match="control or replacement characters"):
        parse_document(content, "text/html")


def test_a_few_broken_bytes_in_a_long_page_are_not_garbage():
    content = simple_page(TERRITOIRES * 20 + " \ufffd ").encode("utf-8")
    assert "\ufffd" in parse_document(content, "text/html").text


def test_lists_keep_their_markers():
    content = b"<html><body><main><p>4 axes :</p><ul><li>Un</li><li>Deux</li></ul><ol><li>A</li><li>B</li></ol></main></body></html>"
    assert parse_document(content, "text/html").text == "4 axes :\n- Un\n- Deux\n1. A\n2. B"


def test_deeply_nested_page_parses_without_overflowing():
    nested = "<div>" * 100_000 + "<p>Au fond : 12 territoires.</p>" + "</div>" * 100_000
    assert parse_document(f"<html><body>{nested}</body></html>".encode(), "text/html").text.endswith(
        "12 territoires."
    )


def test_page_over_the_size_bound_is_refused(monkeypatch):
    monkeypatch.setattr(settings, "MAX_HTML_BYTES", 1000)
    with pytest.raises(DocumentTooLarge, match="exceeds the 1000-byte bound"):
        parse_document(simple_page("x" * 2000).encode(), "text/html")


def one_page_pdf(text: str | None = None, password: str | None = None) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    if text:
        pdf.cell(0, 10, text)
    else:
        pdf.rect(20, 20, 80, 40, style="F")
    return bytes(pdf.output())


@pytest.mark.parametrize(
    ("content", "content_type", "error", "message"),
    [
        (b"", "text/html", EmptyDocument, "empty"),
        (b"%PDF-1.7\n" + b"0" * 100, "text/html", UnsupportedContent, "bytes are a PDF"),
        (b"<html><body><p>x</p></body></html>", "application/pdf", UnsupportedContent, "no %PDF- header"),
        (b"<html><body><nav>menu</nav></body></html>", "text/html", EmptyDocument, "no main text"),
        (one_page_pdf(), "application/pdf", NoTextLayer, "no text layer"),
        (one_page_pdf("12 territoires", password="secret"), "application/pdf", EncryptedPdf, "encrypted"),
    ],
    ids=[
        "empty",
        "pdf-declared-html",
        "html-declared-pdf",
        "only-furniture",
        "image-only-pdf",
        "encrypted-pdf",
    ],
)
def test_bad_input_raises_a_clear_error(content, content_type, error, message):
    with pytest.raises(error, match=message):
        parse_document(content, content_type)


def test_truncated_pdf_is_reported_as_damaged():
    entry = next(e for e in MANIFEST if e["content_type"] == "application/pdf")
    content = capture_bytes(entry)
    with pytest.raises(TruncatedPdf, match="damaged or truncated"):
        parse_document(content[: len(content) // 3], "application/pdf")


class Communique(FPDF):
    """A communiqué as prefectures print them: the same letterhead on every page, "Page N/M" below."""

    def header(self):
        self.set_font("helvetica", size=9)
        self.cell(0, 6, "Préfecture de la région Centre-Val de Loire", align="C")
        self.ln(16)

    def footer(self):
        self.set_y(-15)
        self.set_font("helvetica", size=9)
        self.cell(0, 5, f"Page {self.page_no()}/{{nb}}", align="C")


INTRODUCTION = (
    "En Centre-Val de Loire, 12 territoires sont lauréats de la seconde phase du programme Territoires "
    "d'industrie, qui s'étend jusqu'à 2027 et que l'État et le Conseil régional copilotent ensemble."
)
AXES = (
    "Accélérer la transition écologique et énergétique des entreprises industrielles de la région",
    "Mobiliser le foncier industriel",
)
RELANCE = (
    "Dans le cadre du plan de relance, plus de 100 projets industriels ont été soutenus par l'État et le "
    "Conseil régional dans les territoires d'industrie, pour un montant d'aide de plus de 36 millions "
    "d'euros. "
)


def three_page_communique() -> bytes:
    """Paragraphs that wrap, a list whose long item wraps under its text, and a paragraph long enough
    to run from page 1 onto page 2."""
    pdf = Communique()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(0, 8, "Communiqué de presse", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, INTRODUCTION, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.multi_cell(0, 6, "Le programme se concentre sur 2 axes :", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for axis in AXES:
        pdf.cell(5, 6, "-")
        pdf.multi_cell(60, 6, axis, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.multi_cell(0, 6, RELANCE * 20, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.multi_cell(0, 6, "Le prochain comité se réunira en mars.", new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    pdf.multi_cell(0, 6, "Les 12 territoires se réuniront à Orléans.", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def test_a_communique_reads_as_its_paragraphs_without_letterhead_or_page_numbers():
    parsed = parse_document(three_page_communique(), "application/pdf")
    assert parsed.text.split("\n") == [
        "Communiqué de presse",
        INTRODUCTION,
        "Le programme se concentre sur 2 axes :",
        *(f"- {axis}" for axis in AXES),
        (RELANCE * 20).strip(),
        "Le prochain comité se réunira en mars.",
        "Les 12 territoires se réuniront à Orléans.",
    ]
    assert [page.page_number for page in parsed.pages] == [1, 2, 3]
    second_page = parsed.text[parsed.pages[1].char_start : parsed.pages[1].char_end]
    assert second_page == "Le prochain comité se réunira en mars."


def test_pdf_lines_come_in_reading_order_with_their_hyphens_and_plain_spaces():
    """PDFium gives lines in the order they were drawn (here a table cell, then the footer), joins a
    line ending in a hyphen to the next and keeps no-break spaces: the reader puts lines top to
    bottom, the cells of a row on one line, and gives back the hyphen's line break and a plain space,
    as pdfplumber did."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.set_xy(150, 52)
    pdf.cell(40, 6, "12 projets")
    pdf.set_xy(10, 270)
    pdf.cell(0, 6, "Contact presse : prefecture")
    pdf.set_xy(10, 40)
    pdf.cell(0, 6, "Les territoires de Montargis, Gien et Sully-", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, "sur-Loire reçoivent 6\u00a0359 euros.", new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(20, 52)
    pdf.cell(40, 6, "Vierzon")
    parsed = parse_document(bytes(pdf.output()), "application/pdf")
    assert parsed.text == (
        "Les territoires de Montargis, Gien et Sully- sur-Loire reçoivent 6 359 euros.\n"
        "Vierzon 12 projets\n"
        "Contact presse : prefecture"
    )


def test_pdf_ligatures_are_spelt_out():
    assert readable("con\ufb01rmé  pour l’a\ufb00ectation") == "confirmé pour l’affectation"
