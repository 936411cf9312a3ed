"""The crawl as the daily schedule runs it: the Dagster asset reads raw/sources.yml, captures into
raw/, records failures, and a sources file that cannot be used fails the asset with its reason."""

from __future__ import annotations

import dagster as dg
import pytest
import yaml

from ingestion.capture.archive import RawArchive
from orchestration.assets.capture import crawled_pages
from orchestration.resources import RawArchiveResource
from tests.fixtures.site.server import FixtureSite, serve


@pytest.fixture
def site():
    with serve(FixtureSite()) as site:
        yield site


def write_sources(raw_dir, site: FixtureSite) -> None:
    raw_dir.mkdir(exist_ok=True)
    sources = [
        {
            "name": listing.strip("/"),
            "listing_url": f"{site.base_url}{listing}",
            "match": "territoires? d.industrie",
            "allowed_hosts": ["127.0.0.1"],
            "delay_seconds": 0,
        }
        for listing in ("/actualites", "/fichiers")
    ]
    (raw_dir / "sources.yml").write_text(yaml.safe_dump({"sources": sources}), encoding="utf-8")


def materialise(raw_dir) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [crawled_pages],
        resources={"raw_archive": RawArchiveResource(path=str(raw_dir))},
        raise_on_error=False,
    )


def test_the_crawl_asset_captures_every_source_and_reports_counts(site, tmp_path):
    raw_dir = tmp_path / "raw"
    write_sources(raw_dir, site)

    result = materialise(raw_dir)

    assert result.success
    (materialisation,) = result.asset_materializations_for_node("capture__crawled_pages")
    metadata = {key: value.value for key, value in materialisation.metadata.items()}
    captures = RawArchive(raw_dir).captures()
    assert metadata["sources"] == 2
    assert metadata["captured"] == len(captures) == 5 + 7
    assert "fichiers/cp-tronque.pdf" in metadata["report"]

    again = materialise(raw_dir)
    (second,) = again.asset_materializations_for_node("capture__crawled_pages")
    assert second.metadata["captured"].value == 0
    assert second.metadata["unchanged"].value == len(captures)


def test_a_sources_file_that_cannot_be_used_fails_the_asset_with_its_reason(tmp_path):
    raw_dir = tmp_path / "raw"
    raw_dir.mkdir()
    (raw_dir / "sources.yml").write_text("sources:\n  - name: sans-adresse\n    match: x\n", encoding="utf-8")

    result = materialise(raw_dir)

    assert not result.success
    failure = result.get_step_failure_events()[0].step_failure_data.user_failure_data
    assert "listing_url" in failure.description
