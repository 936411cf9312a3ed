"""The `tdi` command: run the pipeline, register a document, query the warehouse."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import click

from orchestration.instance import ensure_dagster_home
from orchestration.project import (
    COMMITTED_REFERENCE_DIR,
    DEFAULT_RAW_DIR,
    DEFAULT_WAREHOUSE,
    RAW_DIR_ENV,
    WAREHOUSE_ENV,
)

warehouse_option = click.option(
    "--warehouse",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar=WAREHOUSE_ENV,
    default=DEFAULT_WAREHOUSE,
    show_default=True,
    help=f"DuckDB warehouse file (env {WAREHOUSE_ENV}).",
)
raw_dir_option = click.option(
    "--raw-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar=RAW_DIR_ENV,
    default=DEFAULT_RAW_DIR,
    show_default=True,
    help=f"Raw archive folder: manifest.yml, documents/, reference/ (env {RAW_DIR_ENV}).",
)


@click.group()
@click.version_option(package_name="tdi", message="tdi %(version)s")
def main() -> None:
    """tdi: captures, figures, marts and reconciliation for Territoires d'industrie."""


def configure_environment(warehouse: Path, raw_dir: Path) -> None:
    """Hand the chosen paths to the Dagster resources (EnvVar) and to dbt, and keep Dagster local and quiet."""
    os.environ[WAREHOUSE_ENV] = str(warehouse.resolve())
    os.environ[RAW_DIR_ENV] = str(raw_dir.resolve())
    os.environ["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    # `dagster dev` prepares the dbt project with the `dbt` found on PATH: make it this environment's.
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    ensure_dagster_home()


@main.command()
@warehouse_option
@raw_dir_option
@click.option(
    "--verbose", is_flag=True, help="Show every step's log (Dagster and dbt), stack traces included."
)
@click.option("--quiet", is_flag=True, help="Show no progress, only the summary at the end.")
@click.option(
    "--rebuild",
    is_flag=True,
    help="Build every dbt model even when nothing they read changed since the last build.",
)
def run(warehouse: Path, raw_dir: Path, verbose: bool, quiet: bool, rebuild: bool) -> None:
    """Materialise every asset in-process, recorded in the Dagster instance, and print a summary.

    Captures are parsed and extracted once; dbt builds only when the project or what it reads changed.
    The run's whole log, stack traces included, is kept in the file the summary names.
    """
    check_run_can_start(warehouse, raw_dir)
    configure_environment(warehouse, raw_dir)
    from orchestration.dbt_project import DbtParseError
    from orchestration.runner import run_everything

    try:
        summary = run_everything(
            log_level="DEBUG" if verbose else "CRITICAL", rebuild=rebuild, progress=not (verbose or quiet)
        )
    except DbtParseError as error:
        raise click.ClickException(str(error)) from error
    click.echo(summary.render())
    sys.exit(0 if summary.succeeded else 1)


def check_run_can_start(warehouse: Path, raw_dir: Path) -> None:
    """Refuse in one line, before any work, a run that cannot start: another run writing the warehouse, a
    warehouse folder that cannot be made, a raw archive that is not one."""
    from orchestration.publishing import RunLock, WarehouseBusy

    try:
        warehouse.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        in_the_way = next((path for path in warehouse.parents if path.exists() and not path.is_dir()), None)
        reason = f"{in_the_way} is a file" if in_the_way else (error.strerror or str(error)).lower()
        raise click.ClickException(
            f"cannot create the warehouse's folder {warehouse.parent}: {reason}"
        ) from None
    try:
        RunLock(warehouse).ensure_free()
    except WarehouseBusy as error:
        raise click.ClickException(str(error)) from None
    if not (raw_dir / "manifest.yml").is_file():
        raise click.ClickException(
            f"{raw_dir} is not a raw archive (no manifest.yml): `tdi init {raw_dir}` makes an empty one, "
            "`tdi add` or `tdi crawl --raw-dir` fills one"
        )


@main.command()
def prepare() -> None:
    """Parse the dbt project (`dbt parse`), writing the manifest Dagster's definitions read (`make install` does)."""
    configure_environment(DEFAULT_WAREHOUSE, DEFAULT_RAW_DIR)
    from orchestration.dbt_project import DbtParseError, prepare_dbt_project, tdi_dbt_project

    try:
        parsed = prepare_dbt_project()
    except DbtParseError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"{'parsed' if parsed else 'already parsed, nothing changed since'}: {tdi_dbt_project.manifest_path}"
    )


@main.command()
@click.argument("file_or_url")
@click.option(
    "--url", "source_url", help="The document's public URL (defaults to FILE_OR_URL when it is a URL)."
)
@click.option(
    "--publisher", required=True, help="Who published it (e.g. 'Préfecture de la région Bretagne')."
)
@click.option(
    "--published-on",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Publication date, YYYY-MM-DD.",
)
@click.option("--title", required=True, help="The document's title.")
@click.option("--content-type", help="Override the content type (default: sniffed from the bytes).")
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    help="For a URL: a host or address outside the public internet it may reach (e.g. 127.0.0.1).",
)
@warehouse_option
@raw_dir_option
def add(
    file_or_url: str,
    source_url: str | None,
    publisher: str,
    published_on,
    title: str,
    content_type: str | None,
    allow_hosts: tuple[str, ...],
    warehouse: Path,
    raw_dir: Path,
) -> None:
    """Register an HTML page or a PDF in the raw archive, for the next `tdi run`."""
    from ingestion.capture.archive import ArchiveError, RawArchive
    from ingestion.capture.fetch import FetchError, fetch
    from ingestion.capture.guard import URLGuard

    details = {}
    if "://" in file_or_url and not file_or_url.lower().startswith(("http://", "https://")):
        raise click.ClickException(f"tdi add takes a local file or an http(s) URL: {file_or_url} is neither")
    try:
        if file_or_url.lower().startswith(("http://", "https://")):
            guard = URLGuard(set(allow_hosts) | {host_of(file_or_url)} if allow_hosts else None)
            response = fetch(file_or_url, admit=guard.check)
            content, content_type = response.content, content_type or response.content_type
            source_url = source_url or file_or_url
            details = http_details(response)
        else:
            content = read_local_file(Path(file_or_url))
        capture = RawArchive(raw_dir).add(
            content,
            source_url=source_url,
            publisher=publisher,
            published_on=date(published_on.year, published_on.month, published_on.day),
            title=title,
            content_type=content_type,
            **details,
        )
    except (ArchiveError, FetchError, OSError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"added {capture.document_id} version {capture.version}: {raw_dir / capture.path} "
        f"(sha256 {capture.sha256[:12]}…)"
    )
    click.echo("run `tdi run` to load it")


def read_local_file(path: Path) -> bytes:
    """The file's bytes; a missing file, a folder or an unreadable file is one ClickException saying which."""
    if not path.exists():
        raise click.ClickException(f"no file at {path}")
    if path.is_dir():
        raise click.ClickException(f"{path} is a folder: tdi add takes one file (an HTML page or a PDF)")
    try:
        return path.read_bytes()
    except OSError as error:
        raise click.ClickException(f"cannot read {path}: {(error.strerror or str(error)).lower()}") from None


@main.command()
@click.argument("raw_dir", type=click.Path(file_okay=False, path_type=Path))
def init(raw_dir: Path) -> None:
    """Create an empty raw archive in RAW_DIR (a manifest with no document) for `tdi add` and `tdi crawl`."""
    from ingestion.capture.archive import RawArchive

    archive = RawArchive(raw_dir)
    if archive.manifest_path.exists():
        raise click.ClickException(f"{raw_dir} is already a raw archive ({archive.manifest_path} exists)")
    try:
        archive.write_manifest([])
        (raw_dir / "documents").mkdir(exist_ok=True)
    except OSError as error:
        raise click.ClickException(
            f"cannot create {raw_dir}: {(error.strerror or str(error)).lower()}"
        ) from None
    click.echo(f"empty raw archive: {raw_dir}")
    click.echo(
        f"reference data: the committed snapshot ({COMMITTED_REFERENCE_DIR}) until {raw_dir / 'reference'} exists"
    )


def host_of(url: str) -> str:
    from ingestion.capture.guard import host_of as guard_host_of

    return guard_host_of(url)


def http_details(response) -> dict:
    """What the HTTP answer said, kept with the capture (and used by the next conditional request)."""
    return {
        "final_url": response.final_url,
        "http_status": response.status,
        "http_content_type": response.content_type,
        "content_length": response.content_length,
        "etag": response.etag,
        "last_modified": response.last_modified,
        "fetched_at": response.fetched_at,
    }


@main.command()
@click.argument("listing_url", required=False)
@click.option(
    "--match", help="Regex (case-insensitive) an entry's title or teaser must match to be captured."
)
@click.option("--max-pages", type=click.IntRange(min=1), help="Listing pages to read at most.")
@click.option(
    "--max-articles",
    type=click.IntRange(min=1),
    help="Articles to request at most per listing (default: the source's max_articles, else "
    "CRAWL_MAX_ARTICLES_PER_SOURCE of ingestion/settings.py).",
)
@click.option(
    "--max-articles-total",
    type=click.IntRange(min=1),
    help="Articles to request at most in the whole crawl, every listing together (default: "
    "CRAWL_MAX_ARTICLES of ingestion/settings.py).",
)
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Skip articles published before this date (YYYY-MM-DD).",
)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    help="A further host the crawl may reach (the listing's host always is); repeat for several.",
)
@click.option("--publisher", help="Who publishes the listing (default: the site's name, else its host).")
@click.option("--delay", type=click.FloatRange(min=0), help="Seconds between two requests to one host.")
@click.option("--timeout", type=click.FloatRange(min=0.1), help="Seconds to wait for an answer.")
@click.option("--retries", type=click.IntRange(min=0), help="Tries after a 429, a 5xx or a lost connection.")
@click.option("--max-bytes", type=click.IntRange(min=1), help="Refuse a response larger than this.")
@click.option(
    "--sources",
    "sources_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Crawl every source of this file (default: sources.yml of the raw archive) when no URL is given.",
)
@click.option("--quiet", is_flag=True, help="Print only the summary, not a line per URL as the crawl goes.")
@click.option(
    "--show-skipped", is_flag=True, help="With --quiet: list each skipped URL with its reason in the summary."
)
@raw_dir_option
def crawl(
    listing_url: str | None,
    match: str | None,
    max_pages: int | None,
    max_articles: int | None,
    max_articles_total: int | None,
    since,
    allow_hosts: tuple[str, ...],
    publisher: str | None,
    delay: float | None,
    timeout: float | None,
    retries: int | None,
    max_bytes: int | None,
    sources_file: Path | None,
    quiet: bool,
    show_skipped: bool,
    raw_dir: Path,
) -> None:
    """Capture the articles of a news listing that match, and the PDFs they offer, into the raw archive.

    With LISTING_URL and --match, crawl that listing; without, every source of sources.yml. Each URL's
    outcome is printed as the crawl goes, then a summary. Failures, and a limit of articles reached, are
    recorded in the archive and shown by the next `tdi run` in audit.ingestion_errors.
    """
    from dataclasses import replace

    from ingestion.capture.archive import ArchiveError, RawArchive
    from ingestion.capture.fetch import FetchPolicy
    from ingestion.capture.runs import crawl_sources, outcome_line, render, summary_counts
    from ingestion.capture.sources import SourceConfigError, load_sources, source_from_entry

    asked = {"timeout_seconds": timeout, "retries": retries, "max_response_bytes": max_bytes}
    policy = replace(FetchPolicy(), **{name: value for name, value in asked.items() if value is not None})
    try:
        if listing_url:
            if not match:
                raise click.UsageError("--match is needed with a LISTING_URL")
            entry = {"name": host_of(listing_url) or "listing", "listing_url": listing_url, "match": match}
            if allow_hosts:
                entry["allowed_hosts"] = [host_of(listing_url), *allow_hosts]
            sources = [source_from_entry(entry, 0)]
        else:
            sources = load_sources(sources_file or raw_dir / "sources.yml")
    except SourceConfigError as error:
        raise click.ClickException(str(error)) from error
    overrides = {"publisher": publisher, "delay_seconds": delay}
    sources = [replace(source, **{k: v for k, v in overrides.items() if v is not None}) for source in sources]
    try:
        crawls = crawl_sources(
            sources,
            RawArchive(raw_dir),
            policy=policy,
            max_pages=max_pages,
            max_articles=max_articles,
            max_articles_total=max_articles_total,
            since=date(since.year, since.month, since.day) if since else None,
            on_outcome=None if quiet else lambda item: click.echo(outcome_line(item)),
        )
    except ArchiveError as error:
        raise click.ClickException(str(error)) from error
    click.echo(render(crawls, show_urls=quiet, show_skipped=show_skipped))
    totals = summary_counts(crawls)
    click.echo(", ".join(f"{count} {name}" for name, count in totals.items()))
    if totals.get("failed"):
        click.echo(
            f"failures recorded in {raw_dir / 'fetch_failures.yml'}; `tdi run` shows them in audit.ingestion_errors"
        )
    click.echo("run `tdi run` to load what was captured")


@main.command()
@click.argument("sql")
@warehouse_option
@click.option("--max-rows", default=100, show_default=True, help="Rows to print at most, as a table.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="A table for a person; CSV or JSON lines (every row) for a program.",
)
def query(sql: str, warehouse: Path, max_rows: int, output_format: str) -> None:
    """Run a SQL query on the warehouse: read-only, and nothing outside it (no file, URL, database or extension)."""
    from orchestration.query import QueryError, query_warehouse, render

    try:
        frame = query_warehouse(warehouse, sql)
    except QueryError as error:
        raise click.ClickException(str(error)) from error
    click.echo(render(frame, output_format, max_rows))


@main.command()
@click.option(
    "--format", "output_format", type=click.Choice(["html", "json", "md"]), default="html", show_default=True
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: audit.html or audit.json beside the warehouse; md goes to the terminal).",
)
@warehouse_option
@raw_dir_option
def audit(output_format: str, out: Path | None, warehouse: Path, raw_dir: Path) -> None:
    """Write the reconciliation report to a file and print its path (`--format md`: to the terminal); exit 1
    when an error-severity check fails, or a capture of the warehouse is missing from RAW_DIR or altered there."""
    import duckdb

    from orchestration.report.data import load_audit
    from orchestration.report.render import RENDERERS

    if not warehouse.exists():
        raise click.ClickException(f"no warehouse at {warehouse}: run `tdi run` first")
    try:
        data = load_audit(warehouse, raw_dir)
    except duckdb.Error as error:
        raise click.ClickException(
            f"the warehouse has no audit results ({error}): run `tdi run` first"
        ) from error
    report = RENDERERS[output_format](data)
    if out is None and output_format != "md":
        out = warehouse.parent / f"audit.{output_format}"
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(report, encoding="utf-8")
        click.echo(f"{output_format} report written to {out}", err=True)
    else:
        click.echo(report)
    summary = data.summary
    click.echo(
        f"{summary['checks']} checks, {summary['passed']} passed, {summary['findings']} findings, "
        f"{summary['error_failures']} error-severity failures",
        err=True,
    )
    sys.exit(1 if data.error_failures else 0)


@main.command()
@click.argument("sha256")
@click.option("--content", is_flag=True, help="Write the captured bytes to standard output instead.")
@raw_dir_option
def show(sha256: str, content: bool, raw_dir: Path) -> None:
    """Show the capture whose sha256 starts with SHA256 (as the audit report names it): its manifest entry,
    the path of the captured file, and whether its bytes still have that sha256."""
    from ingestion.capture.archive import ArchiveError, RawArchive, sha256_of

    prefix = sha256.strip().lower()
    if len(prefix) < 8 or any(char not in "0123456789abcdef" for char in prefix):
        raise click.ClickException(f"{sha256!r} is not a sha256 (or its first 8 hexadecimal digits at least)")
    archive = RawArchive(raw_dir)
    try:
        captures = [c for c in archive.captures() if c.sha256.startswith(prefix)]
        if len(captures) != 1:
            found = "no capture" if not captures else f"{len(captures)} captures"
            raise click.ClickException(f"{found} in {raw_dir} has a sha256 starting with {prefix}")
        capture = captures[0]
        inside = archive.path_inside(capture.path, capture.document_id)
    except ArchiveError as error:
        raise click.ClickException(str(error)) from None
    path = raw_dir / capture.path
    data = inside.read_bytes() if inside.is_file() else None
    if content:
        if data is None:
            raise click.ClickException(f"{path} is missing from the archive")
        click.get_binary_stream("stdout").write(data)
        return
    for name, value in (
        ("document", f"{capture.document_id} version {capture.version}"),
        ("title", capture.title),
        ("publisher", capture.publisher),
        ("published on", capture.published_on.isoformat()),
        ("url", capture.source_url or "unknown"),
        ("captured", capture.captured_at or capture.fetched_at or "unknown"),
        ("sha256", capture.sha256),
        ("file", str(path)),
    ):
        click.echo(f"{name:<13}{value}")
    if data is None:
        raise click.ClickException(f"{path} is missing from the archive: restore it from a copy of raw/")
    if sha256_of(data) != capture.sha256:
        raise click.ClickException(
            f"{path} no longer has this sha256 (it has {sha256_of(data)}): restore it from a copy of raw/"
        )
    click.echo(f"{'check':<13}the file's bytes have this sha256")


@main.command("refresh-reference")
@click.option("--timeout", type=click.FloatRange(min=0.1), help="Seconds to wait for an answer.")
@raw_dir_option
def refresh_reference(timeout: float | None, raw_dir: Path) -> None:
    """Download the current official reference files into RAW_DIR/reference, all or nothing.

    Sources: RAW_DIR/reference/sources.yml. When a download or a check fails, the committed
    snapshot is kept as it is and the command says why (exit code 1).
    """
    from dataclasses import replace

    from ingestion.capture.fetch import FetchPolicy
    from ingestion.capture.reference import ReferenceRefreshError
    from ingestion.capture.reference import refresh_reference as refresh

    policy = FetchPolicy() if timeout is None else replace(FetchPolicy(), timeout_seconds=timeout)
    try:
        report = refresh(
            raw_dir / "reference", policy=policy, progress=lambda message: click.echo(f"  {message}")
        )
    except ReferenceRefreshError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"reference refreshed: {report.package_version} geography, {report.territories} territories, "
        + ", ".join(f"{name} {count}" for name, count in report.row_counts.items())
    )
    click.echo(
        f"provenance appended to {raw_dir / 'reference' / 'PROVENANCE.md'}; `tdi run` loads the new files"
    )


@main.command()
@click.option("--documents", type=click.IntRange(min=1), required=True, help="How many documents to write.")
@click.option(
    "--pdf-share",
    type=click.FloatRange(0, 1),
    default=0.1,
    show_default=True,
    help="Share of the documents written as PDF press kits (0 to 1); the others are HTML pages.",
)
@click.option(
    "--pdf-pages", type=click.IntRange(min=2), default=5, show_default=True, help="Pages of each PDF."
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the corpus into: new or empty.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="The same seed writes the same bytes.")
def synth(documents: int, pdf_share: float, pdf_pages: int, out: Path, seed: int) -> None:
    """Write a synthetic corpus: a raw archive for `tdi run --raw-dir OUT`, and the true figures of
    every document in OUT/truth.jsonl, so that a run at scale can check its extraction."""
    from ingestion.synth import generate_corpus
    from ingestion.synth.corpus import SynthError

    try:
        summary = generate_corpus(
            out,
            documents=documents,
            pdf_share=pdf_share,
            pdf_pages=pdf_pages,
            seed=seed,
            reference_dir=DEFAULT_RAW_DIR / "reference",
        )
    except SynthError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"wrote {summary.documents} documents ({summary.documents - summary.pdfs} HTML pages, {summary.pdfs} PDFs "
        f"of {summary.pdf_pages} pages) with {summary.figures} true figures to {out} in {summary.seconds:.1f} s"
    )
    click.echo(f"truth: {out / 'truth.jsonl'}; load with `tdi run --raw-dir {out} --warehouse PATH`")


@main.command()
@warehouse_option
@raw_dir_option
def dev(warehouse: Path, raw_dir: Path) -> None:
    """Open the Dagster UI on this project (dagster dev)."""
    configure_environment(warehouse, raw_dir)
    os.execvp(
        sys.executable,
        [sys.executable, "-m", "dagster", "dev", "-m", "orchestration.definitions"],
    )
