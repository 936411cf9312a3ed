"""Parsers against the committed captures (golden main texts) and against bad input (a clear error each)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from fpdf import FPDF

from ingestion import settings
from ingestion.parse import (
    DocumentTooLarge,
    EmptyDocument,
    EncryptedPdf,
    NoTextLayer,
    TruncatedPdf,
    UnsupportedContent,
    parse_document,
)
from orchestration.project import DEFAULT_RAW_DIR

GOLDEN = Path(__file__).parent / "golden" / "text"
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
