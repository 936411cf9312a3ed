"""The `tdi` command: run the pipeline, register a document, query the warehouse."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import click

from orchestration.project import (
    DEFAULT_DAGSTER_HOME,
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
    dagster_home = Path(os.environ.setdefault("DAGSTER_HOME", str(DEFAULT_DAGSTER_HOME)))
    ensure_dagster_home(dagster_home)


def ensure_dagster_home(dagster_home: Path) -> None:
    dagster_home.mkdir(parents=True, exist_ok=True)
    config = dagster_home / "dagster.yaml"
    if not config.exists():
        config.write_text("telemetry:\n  enabled: false\n", encoding="utf-8")


@main.command()
@warehouse_option
@raw_dir_option
@click.option("--verbose", is_flag=True, help="Show every step's log (Dagster and dbt), not only warnings.")
def run(warehouse: Path, raw_dir: Path, verbose: bool) -> None:
    """Materialise every asset in-process and print a summary."""
    configure_environment(warehouse, raw_dir)
    from orchestration.runner import run_everything

    summary = run_everything(log_level="DEBUG" if verbose else "WARNING")
    click.echo(summary.render())
    sys.exit(0 if summary.succeeded else 1)


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
@warehouse_option
@raw_dir_option
def add(
    file_or_url: str,
    source_url: str | None,
    publisher: str,
    published_on,
    title: str,
    content_type: str | None,
    warehouse: Path,
    raw_dir: Path,
) -> None:
    """Register an HTML page or a PDF in the raw archive, for the next `tdi run`."""
    from ingestion.capture.archive import ArchiveError, RawArchive
    from ingestion.capture.fetch import FetchError, fetch

    try:
        if file_or_url.startswith(("http://", "https://")):
            response = fetch(file_or_url)
            content, content_type = response.content, content_type or response.content_type
            source_url = source_url or response.final_url
        else:
            content = Path(file_or_url).read_bytes()
        capture = RawArchive(raw_dir).add(
            content,
            source_url=source_url,
            publisher=publisher,
            published_on=date(published_on.year, published_on.month, published_on.day),
            title=title,
            content_type=content_type,
        )
    except (ArchiveError, FetchError, OSError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"added {capture.document_id}: {raw_dir / capture.path} (sha256 {capture.sha256[:12]}…)")
    click.echo("run `tdi run` to load it")


@main.command()
@click.argument("sql")
@warehouse_option
@click.option("--max-rows", default=100, show_default=True, help="Rows to print at most.")
def query(sql: str, warehouse: Path, max_rows: int) -> None:
    """Run a read-only SQL query against the warehouse and print the result as a table."""
    import duckdb
    import pandas as pd

    if not warehouse.exists():
        raise click.ClickException(f"no warehouse at {warehouse}: run `tdi run` first")
    try:
        with duckdb.connect(str(warehouse), read_only=True) as connection:
            frame = connection.execute(sql).df()
    except duckdb.Error as error:
        raise click.ClickException(str(error)) from error
    with pd.option_context("display.max_colwidth", 80, "display.width", 200):
        click.echo(frame.head(max_rows).to_string(index=False))
    if len(frame) > max_rows:
        click.echo(f"… {len(frame) - max_rows} more rows (--max-rows)")
    click.echo(f"({len(frame)} rows)")


@main.command()
@click.option(
    "--format", "output_format", type=click.Choice(["html", "json", "md"]), default="html", show_default=True
)
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: standard output)."
)
@warehouse_option
@raw_dir_option
def audit(output_format: str, out: Path | None, warehouse: Path, raw_dir: Path) -> None:
    """Write the reconciliation report; exit 1 when an error-severity check fails, so CI can gate on it."""
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
@warehouse_option
@raw_dir_option
def dev(warehouse: Path, raw_dir: Path) -> None:
    """Open the Dagster UI on this project (dagster dev)."""
    configure_environment(warehouse, raw_dir)
    os.execvp(
        sys.executable,
        [sys.executable, "-m", "dagster", "dev", "-m", "orchestration.definitions"],
    )
