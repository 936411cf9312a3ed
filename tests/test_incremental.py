"""A rerun costs what changed: parsing is keyed by the capture's sha256 and the parser version,
extraction by the text it reads and the extractor version; a new version redoes everything."""

from __future__ import annotations

import pytest

from ingestion import pipeline
from ingestion.capture.archive import RawArchive
from ingestion.pipeline import (
    ExtractedBefore,
    ParsedBefore,
    extract_from_documents,
    extraction_rows,
    load_captures,
    parse_documents,
)
from orchestration.project import DEFAULT_RAW_DIR


@pytest.fixture(scope="module")
def first_run():
    archive = RawArchive(DEFAULT_RAW_DIR)
    documents, _ = load_captures(archive)
    parsed, pages, parse_errors = parse_documents(archive, documents)
    figures, enumerations, items, errors = extract_from_documents(parsed, pages)
    assert not parse_errors and not errors
    return {
        "archive": archive,
        "documents": documents,
        "parsed": parsed,
        "pages": pages,
        "extracted": (figures, enumerations, items),
        "extractions": extraction_rows(parsed, figures, errors),
    }


def rerun(first_run, documents):
    parsed_before = ParsedBefore(first_run["parsed"], first_run["pages"])
    parsed, pages, _ = parse_documents(first_run["archive"], documents, before=parsed_before)
    extracted_before = ExtractedBefore(first_run["extractions"], *first_run["extracted"])
    figures, enumerations, items, _ = extract_from_documents(parsed, pages, before=extracted_before)
    return parsed_before.reused, extracted_before.reused, parsed, pages, (figures, enumerations, items)


def test_a_rerun_on_the_same_captures_parses_and_extracts_nothing_and_gives_the_same_rows(first_run):
    parsed_reused, extracted_reused, parsed, pages, extracted = rerun(first_run, first_run["documents"])
    assert parsed_reused == extracted_reused == len(first_run["documents"])
    assert parsed == first_run["parsed"] and pages == first_run["pages"]
    assert extracted == first_run["extracted"]
    assert sum(row["n_figures"] for row in first_run["extractions"]) == len(first_run["extracted"][0])


def test_only_a_capture_with_new_bytes_is_parsed_and_extracted_again(first_run):
    documents = [dict(document) for document in first_run["documents"]]
    documents[0]["sha256"] = "0" * 64  # as a new version of the page would have
    parsed_reused, extracted_reused, parsed, _, extracted = rerun(first_run, documents)
    assert parsed_reused == extracted_reused == len(documents) - 1
    reparsed = next(row for row in parsed if row["sha256"] == "0" * 64)
    original = next(row for row in first_run["parsed"] if row["document_id"] == documents[0]["document_id"])
    assert reparsed["text"] == original["text"], "the same file parsed again gives the same text"
    assert sorted(map(str, extracted[0])) == sorted(map(str, first_run["extracted"][0]))


def test_a_new_parser_version_parses_and_extracts_everything_again(first_run, monkeypatch):
    monkeypatch.setattr(pipeline, "PARSER_VERSION", "next")
    parsed_reused, extracted_reused, parsed, _, _ = rerun(first_run, first_run["documents"])
    assert parsed_reused == 0 and extracted_reused == 0
    assert {row["parser_version"] for row in parsed} == {"next"}


def test_a_new_extractor_version_extracts_everything_again_but_parses_nothing(first_run, monkeypatch):
    monkeypatch.setattr(pipeline, "EXTRACTOR_VERSION", "next")
    parsed_reused, extracted_reused, _, _, extracted = rerun(first_run, first_run["documents"])
    assert parsed_reused == len(first_run["documents"]) and extracted_reused == 0
    assert {figure["extractor_version"] for figure in extracted[0]} == {"next"}


def test_the_assets_rerun_on_an_unchanged_archive_reuse_every_parse_and_extraction(tmp_path):
    import dagster as dg

    from orchestration.assets.ingestion import extracted_figures, parsed_documents, raw_documents
    from orchestration.assets.publish import published_warehouse
    from orchestration.resources import RawArchiveResource, WarehouseResource

    resources = {
        "warehouse": WarehouseResource(path=str(tmp_path / "w.duckdb")),
        "raw_archive": RawArchiveResource(path=str(DEFAULT_RAW_DIR)),
    }
    # The publish step ends the run as it ends every job: the second run starts from what the first published.
    assets = [raw_documents, parsed_documents, extracted_figures, published_warehouse]

    def reuse_counts(result, node: str, key: list[str]) -> tuple[int, int]:
        (materialisation,) = [
            m for m in result.asset_materializations_for_node(node) if m.asset_key == dg.AssetKey(key)
        ]
        return materialisation.metadata["done_now"].value, materialisation.metadata["reused"].value

    first = dg.materialize(assets, resources=resources)
    second = dg.materialize(assets, resources=resources)

    n_documents = len(load_captures(RawArchive(DEFAULT_RAW_DIR))[0])
    assert reuse_counts(first, "parsed_documents", ["raw", "parsed_documents"]) == (n_documents, 0)
    assert reuse_counts(second, "parsed_documents", ["raw", "parsed_documents"]) == (0, n_documents)
    assert reuse_counts(second, "extracted_figures", ["raw", "figures"]) == (0, n_documents)
