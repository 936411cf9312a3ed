"""From a crawl of the fixture site to the warehouse, through the `tdi` command as a user runs it:
every failure of the crawl and of the files it brought ends as one row of audit.ingestion_errors,
every good document is loaded, a second crawl of an unchanged site adds nothing, and a page changed
between two crawls has two versions of which the marts show the newer."""

from __future__ import annotations

import duckdb
import pytest
import yaml

from tests.conftest import common, tdi
from tests.fixtures.site.server import FixtureSite, serve

MATCH = "territoires? d.industrie"
ARTICLE = "/actualites/territoires-d-industrie-12-millions-pour-le-loiret"
LISTING_PAGES = ("/actualites", "/actualites?page=2")


@pytest.fixture
def site():
    with serve(FixtureSite()) as site:
        yield site


def crawl(site: FixtureSite, listing: str, workspace, *options: str):
    result = tdi(
        "crawl",
        f"{site.base_url}{listing}",
        "--match",
        MATCH,
        "--allow-host",
        "127.0.0.1",
        "--delay",
        "0",
        "--timeout",
        "0.5",
        "--retries",
        "1",
        *options,
        "--raw-dir",
        str(workspace["raw"]),
    )
    assert result.exit_code == 0, result.output
    return result.output


def run(workspace) -> str:
    result = tdi("run", *common(workspace))
    assert result.exit_code == 0 and "succeeded" in result.output, result.output
    return result.output


def query(workspace, sql: str, parameters=()):
    with duckdb.connect(str(workspace["warehouse"]), read_only=True) as connection:
        return connection.execute(sql, list(parameters)).fetchall()


def committed_document_ids(workspace) -> set[str]:
    manifest = yaml.safe_load((workspace["raw"] / "manifest.yml").read_text(encoding="utf-8"))
    return {entry["document_id"] for entry in manifest["documents"]}


def document_downloads(site: FixtureSite) -> int:
    """Full answers sent for articles and PDFs (listing pages and robots.txt are read at every crawl)."""
    return sum(
        count
        for path, count in site.full_responses.items()
        if path not in LISTING_PAGES and path != "/robots.txt"
    )


def test_every_bad_file_and_bad_answer_is_one_error_row_and_every_good_document_loads(site, workspace):
    committed = committed_document_ids(workspace)
    crawl(site, "/pannes", workspace, "--max-bytes", "100000")
    crawl(site, "/fichiers", workspace)
    run(workspace)

    errors = query(
        workspace, "select source_url, stage, error_class, error_message from audit.ingestion_errors"
    )
    by_path = {url.removeprefix(site.base_url): (stage, error_class) for url, stage, error_class, _ in errors}
    assert len(errors) == len(by_path), "one row per failed URL"
    assert by_path == {
        "/absent": ("fetch", "HTTPStatusError"),
        "/toujours-500": ("fetch", "HTTPStatusError"),
        "/lent": ("fetch", "FetchTimeout"),
        "/boucle-a": ("fetch", "RedirectLoop"),
        "/vers-localhost": ("fetch", "OffHostURL"),
        "/vers-reseau-prive": ("fetch", "OffHostURL"),
        "/faux.pdf": ("capture", "ContentTypeMismatch"),
        "/pdf-servi-en-html": ("capture", "ContentTypeMismatch"),
        "/vide": ("fetch", "EmptyBody"),
        "/enorme": ("fetch", "ResponseTooLarge"),
        "/fichiers/cp-tronque.pdf": ("parse", "TruncatedPdf"),
        "/fichiers/cp-chiffre.pdf": ("parse", "EncryptedPdf"),
        "/fichiers/cp-scanne.pdf": ("parse", "NoTextLayer"),
        "/fichiers/page-sans-texte": ("parse", "EmptyDocument"),
    }
    messages = {url.removeprefix(site.base_url): message for url, _, _, message in errors}
    assert "no text layer" in messages["/fichiers/cp-scanne.pdf"]
    assert "encrypted" in messages["/fichiers/cp-chiffre.pdf"]
    assert "404" in messages["/absent"]

    parsed = dict(query(workspace, "select source_url, document_id from marts.dim_document where is_parsed"))
    good = {"/fichiers/page-windows-1252", "/fichiers/page-latin-1", "/fichiers/page-imbriquee", "/instable"}
    assert {f"{site.base_url}{path}" for path in good} <= set(parsed)
    assert committed <= set(parsed.values()), "the committed corpus still loads beside the bad files"

    windows_1252 = parsed[f"{site.base_url}/fichiers/page-windows-1252"]
    figures = query(
        workspace,
        "select surface, value, metric from marts.fct_figures where document_id = ? order by char_start",
        [windows_1252],
    )
    assert figures == [("3 millions d\u2019euros", 3_000_000.0, "funding"), ("14", 14.0, "projects")]
    latin_1 = parsed[f"{site.base_url}/fichiers/page-latin-1"]
    (text,) = query(workspace, "select text from raw.parsed_documents where document_id = ?", [latin_1])[0]
    assert "lauréats de la région sont désignés à Orléans" in text


def test_unchanged_site_adds_nothing_and_a_changed_page_becomes_version_2_in_the_marts(site, workspace):
    crawl(site, "/actualites", workspace)
    run(workspace)
    files = sorted((workspace["raw"] / "documents").iterdir())
    documents_before = query(workspace, "select document_id, version, sha256 from raw.documents order by all")
    downloads_before = document_downloads(site)

    second = crawl(site, "/actualites", workspace)
    assert "0 captured" in second and "0 failed" in second
    assert document_downloads(site) == downloads_before, "conditional requests: no document re-sent"
    assert sorted((workspace["raw"] / "documents").iterdir()) == files
    run(workspace)
    assert query(workspace, "select document_id, version, sha256 from raw.documents order by all") == (
        documents_before
    )
    assert query(workspace, "select count(*) from audit.ingestion_errors") == [(0,)]

    site.change(ARTICLE, "12 millions", "15 millions")
    third = crawl(site, "/actualites", workspace)
    assert "1 captured" in third and "v2" in third
    run(workspace)
    versions = query(
        workspace,
        "select version, is_latest, first_seen is not null from raw.documents where source_url = ? order by version",
        [f"{site.base_url}{ARTICLE}"],
    )
    assert versions == [(1, False, True), (2, True, True)]
    (document_id,) = query(
        workspace,
        "select document_id from marts.dim_document where source_url = ?",
        [f"{site.base_url}{ARTICLE}"],
    )[0]
    amounts = {
        value
        for (value,) in query(
            workspace, "select amount_eur from marts.fct_funding where document_id = ?", [document_id]
        )
    }
    assert 15_000_000.0 in amounts and 12_000_000.0 not in amounts
    (gained, lost) = query(
        workspace,
        "select figures_gained, figures_lost from audit.audit_document_versions "
        "where document_id = ? and document_version = 2",
        [document_id],
    )[0]
    assert any("15 millions" in figure for figure in gained)
    assert any("12 millions" in figure for figure in lost)


def test_add_url_captures_one_page_with_what_the_server_said(site, workspace):
    options = [
        "--publisher",
        "Préfecture",
        "--published-on",
        "2024-02-13",
        "--title",
        "Loiret",
        "--allow-host",
    ]
    added = tdi(
        "add", f"{site.base_url}/redirection", *options, "127.0.0.1", "--raw-dir", str(workspace["raw"])
    )
    assert added.exit_code == 0, added.output

    manifest = yaml.safe_load((workspace["raw"] / "manifest.yml").read_text(encoding="utf-8"))["documents"]
    entry = next(e for e in manifest if e["source_url"] == f"{site.base_url}/redirection")
    assert entry["final_url"] == f"{site.base_url}{ARTICLE}"
    assert entry["http_status"] == 200 and entry["etag"] and entry["version"] == 1
    stored = workspace["raw"] / entry["path"]
    assert stored.name == f"{entry['sha256']}.html" and stored.read_bytes() == site.resources[ARTICLE].body

    refused = tdi(
        "add", f"{site.base_url}/vers-reseau-prive", *options, "127.0.0.1", "--raw-dir", str(workspace["raw"])
    )
    assert refused.exit_code == 1 and "10.0.0.1" in refused.output
