"""Capture and parsing settings, in one place, each with the reason for its value.

Each constant carries its docstring (the string right below it), which says why the value is what it is:
change a value only together with its reason.
"""

USER_AGENT = (
    "tdi-capture/0.1 (+https://github.com/tdi-project/tdi; open data research on Territoires d'industrie)"
)
"""Identifies the crawler to site owners, with a page explaining what it does, as robots etiquette asks."""

FETCH_TIMEOUT_SECONDS = 20
"""Longest wait for a connection or for the next bytes of an answer (each read). Press-release pages
answer in well under a second; 20 s leaves room for a slow prefecture site without letting a dead
server hold a run for minutes. A server that keeps sending, however slowly, is stopped by
FETCH_DEADLINE_SECONDS instead."""

FETCH_RETRIES = 3
"""Three tries ride out a restarting server or a short 503 without hammering a site that is down."""

FETCH_BACKOFF_SECONDS = 1.0
"""First wait of the exponential backoff between tries (1 s, 2 s, 4 s): polite to a struggling server."""

MAX_RESPONSE_BYTES = 25 * 1024 * 1024
"""The largest press-release PDFs (dossiers de presse with maps) are around 10 MB; 25 MB refuses
videos and archives served by mistake without refusing any real document."""

MAX_HTML_BYTES = 5 * 1024 * 1024
"""A press-release page is 10–200 KB of HTML; 5 MB is far above any real one and keeps a broken or
hostile page from taking the parser's memory (a parsed tree weighs about ten times its bytes)."""

MAX_PDF_PAGES = 300
"""A press-release PDF has 1–20 pages; 300 pages bounds the work of a mis-captured report or book."""

GARBLED_CHARACTERS_MAX_SHARE = 0.01
"""A page decoded right has no control character and a replacement character only where its own bytes were
broken, a handful in thousands; a UTF-16 page read as a one-byte encoding has a NUL for every letter (half of
its characters). Over 1 %, the text is not what the page says, and no figure is read from it."""

FETCH_DEADLINE_SECONDS = 60
"""Longest one try may take, from connecting to the body's last byte, TLS and headers included: the
per-read timeout alone lets a server dripping one byte every few seconds hold a fetch for days. 60 s
lets the largest real document (about 10 MB, see MAX_RESPONSE_BYTES) arrive at 170 KB/s, slower than
any working site, and cuts a drip at one minute; a try cut by the deadline is not retried."""

RETRY_AFTER_MAX_SECONDS = 30
"""A 429 or 503 may ask us to wait (Retry-After): we honour that up to 30 s, longer than any rate-limit
window of a press site, so that a server asking for an hour cannot stall a whole crawl."""

MAX_REDIRECTS = 5
"""Press sites redirect once or twice (http → https, old path → new path); RFC 9110 notes that browsers
stop around 5–20 hops. Past 5, the site is misconfigured or leading the crawler somewhere."""

CRAWL_DELAY_SECONDS = 2.0
"""Pause between two requests to the same host: one request every 2 s is a reader's pace, negligible load
for a prefecture's web server, and 100 pages still crawl in a few minutes."""

CRAWL_MAX_PAGES = 20
"""Listing pages read per source and crawl: at 10–20 items a page, 20 pages reach back one to two years
of a prefecture's news, enough for a periodic crawl; a first crawl of an older source sets its own
max_pages in raw/sources.yml."""

TASK_TIMEOUT_SECONDS = 120
"""Time one document may take to parse, or to have its figures extracted, in its worker process: far
longer than the largest document allowed (MAX_PDF_PAGES) needs, so a task still running at 120 s is a
file that will never finish, and its worker is killed so the run goes on."""

TASK_MEMORY_BYTES = 2 * 1024**3
"""Address space of one worker. A worker maps its loaded parsers before it reads a file, and PDFium adds
little to that on a long PDF, as each page is closed once read; 2 GiB leaves room for any real document
and stops a runaway one long before the machine swaps (the cap is per worker: WORKERS times 2 GiB)."""

WORKERS = None
"""Worker processes per stage; None is one per core, so the parse of a large corpus uses them all."""

DOCUMENTS_PER_BATCH = 500
"""Documents parsed, or texts extracted, before their rows are written to the warehouse and let go: the
main process then holds one batch of texts and figures, never the whole corpus's, and a batch is large
enough that writing it is a small share of the stage."""

TASKS_AHEAD = 200
"""Documents handed to a stage's workers ahead of the one whose result the stage waits for: enough work
to keep the workers busy while the main process writes a batch's rows, and few enough that the results
waiting meanwhile stay small (a parsed text is 10-50 KB)."""

CRAWL_MAX_ARTICLES_PER_SOURCE = 200
"""Articles one source's crawl requests at most. CRAWL_MAX_PAGES pages of 10-20 entries hold 200-400 entries, of
which the programme's news are a few dozen: 200 leaves room for a whole first crawl of a listing, and bounds a
listing gone wrong (a site map, a search page, thousands of links) to about 15 minutes at CRAWL_DELAY_SECONDS,
an article and its PDF each. A source that needs more sets its own max_articles in raw/sources.yml."""

CRAWL_MAX_ARTICLES = 1000
"""Articles one crawl of every source (`tdi crawl`, the daily schedule) requests at most: five sources at their
own limit. At CRAWL_DELAY_SECONDS, an article and its PDF each, that is a little over an hour, so the crawl the
schedule starts at 06:00 ends before analysts start."""
