"""`python -m bench.pdf_read`: milliseconds per page to read a PDF's text lines, before and after
the reader moved from pdfplumber's layout analysis to PDFium's text.

Not a test: it prints, for people to compare. The PDF is built here with fpdf2 (five pages of a
communiqué: a running header, "Page N/M" footers, wrapped paragraphs and a list), so the figures do
not depend on the corpus. "before" is what the reader did until then (pdfplumber's extract_text_lines
on each page); "PDFium text alone" is the floor, the cost of
opening each page and taking its text, with no boxes and no lines.
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable

import pdfplumber
import pypdfium2 as pdfium
from fpdf import FPDF

from ingestion.parse.pdf import parse_pdf, read_lines

PAGES = 5
REPEATS = 20
PARAGRAPH = (
    "Dans le cadre du plan de relance, plus de 100 projets industriels ont ete soutenus par l'Etat et le "
    "Conseil regional dans les territoires d'industrie pour un montant d'aide de plus de 36 millions "
    "d'euros. Deux missions de rebond industriel ont eu lieu en 2022 sur les territoires de Montargis-Gien "
    "et de Chateauroux-Issoudun."
)


class Communique(FPDF):
    def header(self) -> None:
        self.set_font("helvetica", size=9)
        self.cell(
            0, 6, "Prefecture de la region Centre-Val de Loire", align="C", new_x="LMARGIN", new_y="NEXT"
        )
        self.ln(10)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("helvetica", size=9)
        self.cell(0, 5, f"Page {self.page_no()}/{{nb}}", align="C")


def five_page_pdf() -> bytes:
    pdf = Communique()
    for number in range(1, PAGES + 1):
        pdf.add_page()
        pdf.set_font("helvetica", size=14)
        pdf.multi_cell(0, 8, f"Partie {number} : le point sur le programme", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        pdf.set_font("helvetica", size=11)
        for _ in range(4):
            pdf.multi_cell(0, 6, PARAGRAPH, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
        for item in ("Accelerer la transition ecologique", "Mobiliser le foncier industriel"):
            pdf.cell(6, 6, "-")
            pdf.multi_cell(0, 6, item, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def ms_per_page(read: Callable[[bytes], object], content: bytes, repeats: int) -> float:
    read(content)
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        read(content)
        timings.append(time.perf_counter() - started)
    return 1000 * statistics.median(timings) / PAGES


def pdfplumber_lines(content: bytes) -> None:
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        for page in pdf.pages:
            page.extract_text_lines(strip=True, return_chars=False)
            page.close()


def pdfium_text_alone(content: bytes) -> None:
    document = pdfium.PdfDocument(content)
    for index in range(len(document)):
        page = document[index]
        textpage = page.get_textpage()
        textpage.get_text_range()
        textpage.close()
        page.close()
    document.close()


def main() -> None:
    content = five_page_pdf()
    rows = [
        ("before: pdfplumber extract_text_lines", ms_per_page(pdfplumber_lines, content, 3)),
        ("after: read_lines (PDFium)", ms_per_page(read_lines, content, REPEATS)),
        ("after: parse_pdf, lines to text", ms_per_page(parse_pdf, content, REPEATS)),
        ("PDFium text alone (floor)", ms_per_page(pdfium_text_alone, content, REPEATS)),
    ]
    print(f"{PAGES}-page generated PDF, median of repeated reads:")
    for name, milliseconds in rows:
        print(f"  {name:<40} {milliseconds:7.2f} ms/page")


if __name__ == "__main__":
    main()
