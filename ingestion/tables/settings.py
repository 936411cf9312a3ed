"""Table finding settings, in one place, each with the reason for its value (as ingestion/settings.py).

Lengths are in PDF points (1/72 inch, 2.83 points a millimetre), measured from the page's top-left corner as
pdfplumber measures them.
"""

RULED_TABLE_SETTINGS = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
}
"""A ruled table's cells are the rectangles its rules draw (pdfplumber's "lines" strategy, on lines and on the
edges of rectangles). Rules drawn as separate strokes meet within a point or two; 3 points, pdfplumber's default,
snaps and joins them without merging two rules of a row 5 mm high."""

ALIGNED_TABLE_SETTINGS = {
    "vertical_strategy": "explicit",
    "horizontal_strategy": "text",
    "min_words_horizontal": 1,
    "text_x_tolerance": 3,
    "text_y_tolerance": 3,
}
"""A table aligned without rules: each line of text is a row (pdfplumber's "text" strategy across, a row edge
from a single word, as a one-cell line is still a row), and the column edges are the gutters found in the page's
words (ingestion/tables/aligned.py), given to pdfplumber as explicit lines. pdfplumber's vertical "text" strategy
is not used: it puts a column edge wherever three words start or end at the same x, which cuts right-aligned
amounts ("450 00" | "0 €", as the same digits of each amount line up) and justified prose alike. The word
tolerances are pdfplumber's defaults (3 points, a narrow space at 10 pt)."""

GUTTER_MIN_POINTS = 12.0
"""Narrowest gap between two columns of an aligned table, kept free of text on each of its lines. A justified
line's spaces at 10 pt are 3 to 6 points, 12 on the loosest lines, and such gaps do not line up down three lines;
a gutter a reader sees as one is about a centimetre (28 points), and 12 points, two or three spaces, is the least
a layout leaves between columns."""

GATE_SPACE_ALLOWANCE_POINTS = 4.0
"""PDFium's text rectangles, which the page gate reads, take in the space after a cell's last word (a third of
the font size, 3 to 4 points at 10-12 pt): the gate looks for gutters that much narrower than GUTTER_MIN_POINTS,
so that it lets through every page the word-level finder would find a table on."""

ALIGNED_ROWS_MIN = 3
"""Lines with text on both sides of a gutter that make an aligned table: a header and two rows. Two lines of
prose can share a gap by chance; three that also keep it clear of every word are a table."""

ALIGNED_LINE_GAP_RATIO = 2.5
"""Blank between two lines of one aligned table, in heights of a line: rows are set a line apart or spaced out by
up to a blank line (1 to 1.5 heights between records); two and a half is more than any spacing of rows, and what
lies that far below a table (a footnote, another table) is not one of its rows."""

RULES_MIN_PATHS = 3
"""Vector paths (lines, rectangles) a page must draw for its ruled tables to be looked for: a table with rules has
at least one above, one below and one between its header and its body. Pages without them (prose, a
letterhead's single rule) are not read by pdfplumber at all, whose layout of a page costs tens of times PDFium's
text (docs/performance.md)."""

CONTINUATION_X_TOLERANCE_POINTS = 3.0
"""A table continued on the next page is drawn by the same program with the same column edges, to a fraction of
a point; 3 points (pdfplumber's snap tolerance) allows for rounding and no more, as two different tables'
columns are seldom within a millimetre of each other all across."""

CAPTION_MAX_GAP_POINTS = 18.0
"""A caption or heading set right above a table is at most a blank line of 12 pt text away (about 18 points); a
line further up belongs to the text before the table."""

CONTENT_ROLE_SHARE = 0.8
"""Share of a column's non-empty body cells that must read as one kind (SIREN, INSEE code, amount, year, commune
with its département) for the column to take that role from its content: a table's cells hold notes and dashes
("–", "n.c.") a fifth of the time at most, while a column of names holds a 9-digit number or a year by chance
far less often than that."""

HTML_MAX_COLUMNS = 100
"""Columns of an HTML table's grid, beyond which slots are dropped: press tables have 2 to 12 columns, and a CMS
spanning a cell "across everything" writes colspan="100" at most. A colspan of a thousand (what the HTML
standard allows) on every row of a hostile page would otherwise make a grid of millions of slots."""
