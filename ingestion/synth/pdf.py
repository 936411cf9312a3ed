"""PDF press kits: A4 pages with a letterhead, justified paragraphs whose lines wrap mid-sentence (and
mid-figure, at an ordinary space: "plus de 36" / "M€"), lists, a table of amounts, a running header and
a footer with a contact line and "Page 2/5", built with fpdf2 and DejaVu Sans as raw/reconstruction does.

fpdf2's own line breaking measures every character again at each one, and loading the full DejaVu
fonts is slow too; so lines are broken here with word widths measured once, and the fonts are cut once
per process down to the characters French text needs.
"""

from __future__ import annotations

import importlib.util
import random
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path

from fontTools import subset as font_subset
from fontTools.ttLib import TTFont
from fpdf import FPDF

from ingestion.synth.model import Block, Heading, Items, Paragraph, SyntheticDocument, Table
from ingestion.synth.vocabulary import long_date

# matplotlib (a dependency, for the audit report's charts) ships DejaVu Sans: no system font package needed.
FONTS = Path(importlib.util.find_spec("matplotlib").origin).parent / "mpl-data" / "fonts" / "ttf"
FONT = FONTS / "DejaVuSans.ttf"
FONT_BOLD = FONTS / "DejaVuSans-Bold.ttf"
# Latin-1 (no-break space, « », accented letters), œ and Œ, ’ ‘ “ ” – — …, the narrow no-break space, € and •.
CHARACTERS = [*range(0x20, 0x7F), *range(0xA0, 0x100), 0x152, 0x153, *range(0x2013, 0x2015), *range(0x2018, 0x201F),
              0x2022, 0x2026, 0x202F, 0x20AC]  # fmt: skip

PAGE_HEIGHT = 297.0
LEFT = RIGHT = 22.0
BODY_TOP = 30.0
BODY_BOTTOM = 268.0
"""Body text stays clear of the top and bottom 8 % of the page, where the parser looks for running lines."""
TEXT_SIZE = 10.5
"""At 10.5 pt a space is 3.3 pt wide, above the 3 pt gap pdfplumber needs to see a space between words."""
LEADING = 5.2
PARAGRAPH_GAP = 3.2
ITEM_INDENT = 6.0
TABLE_COLUMNS = (105.0, 35.0)
"""The table ends at 162 mm, short of 85 % of the text width: its rows are not read as wrapped lines."""
TABLE_ROW = 8.0


def subset_font(source: Path, target: Path) -> Path:
    """The font cut to CHARACTERS; its timestamp kept, or each run's PDFs would embed a different font."""
    font = TTFont(source, recalcTimestamp=False)
    options = font_subset.Options()
    options.notdef_outline = True
    options.recommended_glyphs = True
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "FFTM", "hdmx"]
    subsetter = font_subset.Subsetter(options)
    subsetter.populate(unicodes=CHARACTERS)
    subsetter.subset(font)
    font.save(target)
    return target


@dataclass(frozen=True)
class Fonts:
    regular: Path
    bold: Path


def prepare_fonts(directory: Path) -> Fonts:
    """DejaVu Sans and its bold, cut to CHARACTERS, in `directory`: a small font loads and embeds fast."""
    return Fonts(
        subset_font(FONT, directory / "DejaVuSans-synth.ttf"),
        subset_font(FONT_BOLD, directory / "DejaVuSans-Bold-synth.ttf"),
    )


class PressKit(FPDF):
    """A press kit's pages: a running header, and a footer with the press contact and the page number."""

    running_header = ""
    contact = ""

    def header(self) -> None:
        self.set_font("dejavu", size=7.5)
        self.text(LEFT, 13, self.running_header)

    def footer(self) -> None:
        self.set_font("dejavu", size=7.5)
        self.text(LEFT, PAGE_HEIGHT - 17, self.contact)
        self.text(LEFT, PAGE_HEIGHT - 12.5, f"Page {self.page_no()}/{{nb}}")


class PdfRenderer:
    """Renders documents one after the other with the same fonts, and word widths measured once."""

    def __init__(self, fonts: Fonts):
        self.fonts = fonts
        self.widths: dict[tuple[str, float, str], float] = {}

    def render(
        self, document: SyntheticDocument, rng: random.Random, pages: int
    ) -> tuple[bytes, list[Block]]:
        """The PDF, and the blocks it shows: the body, portraits while pages remain, the closing if it fits."""
        pdf = self.new_pdf(document)
        page = Page(pdf, self)
        page.letterhead(document)
        shown = []
        for block in document.body:
            page.block(block, rng)
            shown.append(block)
        for section in document.sections:
            if pdf.page_no() >= pages:
                break
            for block in section:
                page.block(block, rng)
                shown.append(block)
        for block in document.closing:
            if page.fits(LEADING * 2):
                page.block(block, rng)
                shown.append(block)
        return bytes(pdf.output()), shown

    def new_pdf(self, document: SyntheticDocument) -> PressKit:
        setting = document.setting
        pdf = PressKit(format="A4", unit="mm")
        pdf.running_header = f"{setting.publisher} – Dossier de presse du {long_date(setting.published_on)}"
        pdf.contact = "Contact presse : presse@synth.tdi.invalid – 01 23 45 67 89 – 12 rue de la République"
        pdf.set_creation_date(datetime.combine(setting.published_on, time(9), tzinfo=UTC))
        pdf.set_creator(setting.publisher)
        pdf.set_producer("tdi synth")
        pdf.set_title(document.title.text)
        pdf.add_font("dejavu", fname=str(self.fonts.regular))
        pdf.add_font("dejavu", style="B", fname=str(self.fonts.bold))
        pdf.set_auto_page_break(False)
        pdf.add_page()
        return pdf

    def width(self, pdf: FPDF, word: str) -> float:
        key = (pdf.font_style, pdf.font_size_pt, word)
        if key not in self.widths:
            self.widths[key] = pdf.get_string_width(word)
        return self.widths[key]


class Page:
    """The writing position on the current page, and the ways a block is set there."""

    def __init__(self, pdf: PressKit, renderer: PdfRenderer):
        self.pdf = pdf
        self.renderer = renderer
        self.y = BODY_TOP

    def fits(self, height: float) -> bool:
        return self.y + height <= BODY_BOTTOM

    def room_for(self, height: float) -> None:
        if not self.fits(height):
            self.pdf.add_page()
            self.y = BODY_TOP

    def letterhead(self, document: SyntheticDocument) -> None:
        setting = document.setting
        self.pdf.set_font("dejavu", style="B", size=10)
        for line in letterhead_lines(setting):
            self.pdf.text(LEFT, self.y, line)
            self.y += 4.5
        self.pdf.set_font("dejavu", size=7.5)
        self.pdf.text(LEFT, self.y + 1, "Liberté Égalité Fraternité")
        self.y += 10
        self.right_aligned("Dossier de presse", "B", 13)
        self.y += 7
        self.right_aligned(f"{setting.city}, le {long_date(setting.published_on)}", "", 9.5)
        self.y += 12
        self.lines(document.title.text, "B", 13, 6.5, justify=False)
        self.y += 6

    def right_aligned(self, text: str, style: str, size: float) -> None:
        self.pdf.set_font("dejavu", style=style, size=size)
        self.pdf.text(self.pdf.w - RIGHT - self.pdf.get_string_width(text), self.y, text)

    def block(self, block: Block, rng: random.Random) -> None:
        if isinstance(block, Heading):
            self.room_for(LEADING * 4)
            self.y += 2
            self.lines(block.passage.text, "B", 11, LEADING, justify=False)
            self.y += 3
        elif isinstance(block, Paragraph):
            self.lines(block.passage.text, "", TEXT_SIZE, LEADING, justify=True)
            self.y += PARAGRAPH_GAP
        elif isinstance(block, Items):
            self.items(block, rng)
        elif isinstance(block, Table):
            self.table(block)
        else:
            raise TypeError(f"no PDF for {block!r}")

    def lines(
        self, text: str, style: str, size: float, leading: float, *, justify: bool, indent: float = 0.0
    ):
        """Break the text into lines of the column (after `indent`), each on a new page when the page is full."""
        self.pdf.set_font("dejavu", style=style, size=size)
        left = LEFT + indent
        width = self.pdf.w - RIGHT - left
        broken = self.break_lines(text.split(" "), width)
        for number, words in enumerate(broken):
            self.room_for(leading)
            last = number == len(broken) - 1
            self.write_line(words, left, width, justify and not last and len(words) > 1)
            self.y += leading

    def break_lines(self, words: list[str], width: float) -> list[list[str]]:
        space = self.renderer.width(self.pdf, " ")
        lines: list[list[str]] = [[]]
        used = 0.0
        for word in words:
            word_width = self.renderer.width(self.pdf, word)
            if lines[-1] and used + space + word_width > width:
                lines.append([])
                used = 0.0
            used += word_width + (space if lines[-1] else 0.0)
            lines[-1].append(word)
        return lines

    def write_line(self, words: list[str], left: float, width: float, justify: bool) -> None:
        widths = [self.renderer.width(self.pdf, word) for word in words]
        space = self.renderer.width(self.pdf, " ")
        if justify:
            space = (width - sum(widths)) / (len(words) - 1)
        x = left
        for word, word_width in zip(words, widths, strict=True):
            self.pdf.text(x, self.y, word)
            x += word_width + space

    def items(self, block: Items, rng: random.Random) -> None:
        bullet = rng.choice(("•", "-", "–"))
        for number, item in enumerate(block.items, start=1):
            self.room_for(LEADING)
            self.pdf.set_font("dejavu", size=TEXT_SIZE)
            self.pdf.text(LEFT, self.y, f"{number}." if block.numbered else bullet)
            self.lines(item.text, "", TEXT_SIZE, LEADING, justify=True, indent=ITEM_INDENT)
            self.y += 0.8
        self.y += PARAGRAPH_GAP

    def table(self, block: Table) -> None:
        self.room_for(TABLE_ROW * 3)
        self.row(block.header, "B")
        for name, amount in block.rows:
            self.row((name.text, amount.text), "B" if name.text == "Total" else "")
        self.y += PARAGRAPH_GAP

    def row(self, cells: tuple[str, str], style: str) -> None:
        """One row: the first cell wrapped in its column, the second right-aligned, a rule below."""
        self.pdf.set_font("dejavu", style=style, size=10)
        name_lines = self.break_lines(cells[0].split(" "), TABLE_COLUMNS[0] - 4)
        height = TABLE_ROW + LEADING * (len(name_lines) - 1)
        self.room_for(height)
        top = self.y
        for line in name_lines:
            self.write_line(line, LEFT + 2, TABLE_COLUMNS[0], justify=False)
            self.y += LEADING
        right = LEFT + sum(TABLE_COLUMNS) - 2
        self.pdf.text(right - self.renderer.width(self.pdf, cells[1]), top, cells[1])
        self.y = top + height
        self.pdf.line(LEFT, self.y - TABLE_ROW + 2.5, LEFT + sum(TABLE_COLUMNS), self.y - TABLE_ROW + 2.5)


def letterhead_lines(setting) -> list[str]:
    if setting.kind == "prefecture":
        return ["PRÉFET", "DE LA RÉGION", setting.region.upper()]
    if setting.kind == "agency":
        return ["AGENCE NATIONALE", "DE LA COHÉSION", "DES TERRITOIRES"]
    return ["GOUVERNEMENT"]
