"""Capture and parsing settings, in one place, each with the reason for its value."""

# Identifies the crawler to site owners, with a page explaining what it does, as robots etiquette asks.
USER_AGENT = (
    "tdi-capture/0.1 (+https://github.com/tdi-project/tdi; open data research on Territoires d'industrie)"
)

# Press-release pages answer in well under a second; 20 s leaves room for a slow prefecture site
# without letting one dead server hold a run for minutes.
FETCH_TIMEOUT_SECONDS = 20

# Three tries with exponential backoff (1 s, 2 s, 4 s) ride out a restarting server or a short 503.
FETCH_RETRIES = 3
FETCH_BACKOFF_SECONDS = 1.0

# The largest press-release PDFs (dossiers de presse with maps) are around 10 MB; 25 MB refuses
# videos and archives served by mistake without refusing any real document.
MAX_RESPONSE_BYTES = 25 * 1024 * 1024

# A press-release page is 10–200 KB of HTML; 5 MB is far above any real one and keeps a broken or
# hostile page from taking the parser's memory.
MAX_HTML_BYTES = 5 * 1024 * 1024

# A press-release PDF has 1–20 pages; 300 pages bounds the work of a mis-captured report or book.
MAX_PDF_PAGES = 300
