"""The crawl: every source of raw/sources.yml read, new and changed pages captured into raw/.

It writes to the raw archive, not to the warehouse, so it is outside `tdi run` (which works offline on
what raw/ holds) and runs only in the `tdi_crawl_then_everything` job that the daily schedule starts.
A URL that fails is recorded in raw/fetch_failures.yml and the crawl goes on; only a sources file that
cannot be read fails the asset, because then nothing would be crawled.
"""

import dagster as dg

from ingestion.capture.archive import ArchiveError
from ingestion.capture.runs import crawl_sources, render, summary_counts
from ingestion.capture.sources import SourceConfigError, load_sources
from orchestration.resources import RawArchiveResource

SOURCES_FILE = "sources.yml"


@dg.asset(
    key=["capture", "crawled_pages"],
    group_name="capture",
    kinds={"python"},
    description=(
        "Pages and PDFs of the news listings in raw/sources.yml, captured into raw/ (append-only: a "
        "changed page becomes a new version, an unchanged one costs a conditional request)."
    ),
)
def crawled_pages(context: dg.AssetExecutionContext, raw_archive: RawArchiveResource) -> dg.MaterializeResult:
    sources_path = raw_archive.archive.root / SOURCES_FILE
    try:
        sources = load_sources(sources_path)
    except SourceConfigError as error:
        raise dg.Failure(description=str(error)) from error
    context.log.info(f"crawling {len(sources)} sources: " + ", ".join(source.name for source in sources))
    try:
        crawls = crawl_sources(sources, raw_archive.archive)
    except ArchiveError as error:
        raise dg.Failure(description=str(error)) from error
    report = render(crawls)
    context.log.info(report)
    totals = summary_counts(crawls)
    return dg.MaterializeResult(
        metadata={
            **{name: dg.MetadataValue.int(count) for name, count in totals.items()},
            "sources": dg.MetadataValue.int(len(sources)),
            "sources_file": dg.MetadataValue.path(str(sources_path)),
            "failures_file": dg.MetadataValue.path(str(raw_archive.archive.root / "fetch_failures.yml")),
            "report": dg.MetadataValue.md(f"```\n{report}\n```" if report else "(no source)"),
        }
    )
