"""A rerun costs what changed: parsing is keyed by the capture's sha256 and the parser version,
extraction by the text it reads and the extractor version; a new version redoes everything."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from ingestion import pipeline
from ingestion.capture.archive import RawArchive
from ingestion.pipeline import (
    DOCUMENT_SCHEMA,
    ENUMERATION_ITEM_SCHEMA,
    ENUMERATION_SCHEMA,
    EXTRACTION_SCHEMA,
    FIGURE_SCHEMA,
    PAGE_SCHEMA,
    PARSED_SCHEMA,
    extract_from_documents,
    extraction_rows,
    load_captures,
    parse_documents,
    with_their_pages,
)
from ingestion.reuse import carry_over_extractions, carry_over_parses, documents_to_parse, texts_to_extract
from ingestion.warehouse import replace_table, rows_to_table
from orchestration.assets.ingestion import MANIFEST_SNAPSHOT_TABLE, manifest_as_last_read
from orchestration.project import DEFAULT_RAW_DIR

PARSE_SCHEMAS = {"raw.parsed_documents": PARSED_SCHEMA, "raw.document_pages": PAGE_SCHEMA}
EXTRACTION_SCHEMAS = {
    "raw.extractions": EXTRACTION_SCHEMA,
    "raw.figures": FIGURE_SCHEMA,
    "raw.enumerations": ENUMERATION_SCHEMA,
    "raw.enumeration_items": ENUMERATION_ITEM_SCHEMA,
}
DERIVED_TABLES = [*PARSE_SCHEMAS, *EXTRACTION_SCHEMAS]


@pytest.fixture(scope="module")
def first_run_file(tmp_path_factory):
    """A warehouse with what a first run wrote: the committed captures loaded, parsed and extracted."""
    archive = RawArchive(DEFAULT_RAW_DIR)
    documents, _ = load_captures(archive)
    [(parsed, pages, parse_errors)] = parse_documents(archive, documents, batch_size=len(documents))
    [(_, figures, enumerations, items, errors)] = extract_from_documents(
        with_their_pages(parsed, pages), batch_size=len(parsed)
    )
    assert not parse_errors and not errors
    path = tmp_path_factory.mktemp("first") / "first.duckdb"
    with duckdb.connect(str(path)) as connection:
        for table, rows, schema in [
            ("raw.documents", documents, DOCUMENT_SCHEMA),
            ("raw.parsed_documents", parsed, PARSED_SCHEMA),
            ("raw.document_pages", pages, PAGE_SCHEMA),
            ("raw.figures", figures, FIGURE_SCHEMA),
            ("raw.enumerations", enumerations, ENUMERATION_SCHEMA),
            ("raw.enumeration_items", items, ENUMERATION_ITEM_SCHEMA),
            ("raw.extractions", extraction_rows(parsed, figures, errors), EXTRACTION_SCHEMA),
        ]:
            replace_table(connection, table, rows_to_table(rows, schema))
    return path


@pytest.fixture
def rerun(first_run_file, tmp_path):
    """A copy of the first run's warehouse, as the next run's working copy starts."""
    path = tmp_path / "rerun.duckdb"
    shutil.copyfile(first_run_file, path)
    with duckdb.connect(str(path)) as connection:
        yield connection


def table_rows(connection, table: str) -> list[tuple]:
    return connection.sql(f"select * from {table} order by all").fetchall()


def carry_over(
    connection, parser_version=pipeline.PARSER_VERSION, extractor_version=pipeline.EXTRACTOR_VERSION
):
    parsed_reused = carry_over_parses(connection, parser_version, PARSE_SCHEMAS)
    extracted_reused = carry_over_extractions(connection, extractor_version, EXTRACTION_SCHEMAS)
    return parsed_reused, extracted_reused


def test_a_rerun_on_the_same_captures_parses_and_extracts_nothing_and_keeps_the_same_rows(rerun):
    before = {table: table_rows(rerun, table) for table in DERIVED_TABLES}
    n_documents = len(table_rows(rerun, "raw.documents"))
    assert carry_over(rerun) == (n_documents, n_documents)
    assert documents_to_parse(rerun) == [] and texts_to_extract(rerun) == []
    assert {table: table_rows(rerun, table) for table in DERIVED_TABLES} == before
    assert before["raw.figures"], "the committed captures state figures"


def rows_of_document(connection, table: str, document_id: str) -> int:
    return connection.execute(
        f"select count(*) from {table} where document_id = ?", [document_id]
    ).fetchall()[0][0]


def test_only_a_capture_with_new_bytes_is_parsed_and_extracted_again(rerun):
    ((changed,),) = rerun.execute(
        "select document_id from raw.documents order by document_id limit 1"
    ).fetchall()
    rerun.execute("update raw.documents set sha256 = repeat('0', 64) where document_id = ?", [changed])
    n_documents = len(table_rows(rerun, "raw.documents"))
    assert carry_over(rerun) == (n_documents - 1, n_documents - 1)
    assert [row["document_id"] for row in documents_to_parse(rerun)] == [changed]
    assert rows_of_document(rerun, "raw.figures", changed) == 0


def test_the_same_bytes_under_another_document_id_take_the_new_identity_without_a_parse(rerun):
    ((kept, n_figures),) = rerun.execute(
        "select document_id, count(*) from raw.figures group by all order by 2 desc limit 1"
    ).fetchall()
    rerun.execute("update raw.documents set document_id = 'renamed' where document_id = ?", [kept])
    carry_over(rerun)
    assert documents_to_parse(rerun) == [] and texts_to_extract(rerun) == []
    for table in DERIVED_TABLES:
        assert rows_of_document(rerun, table, kept) == 0
    assert rows_of_document(rerun, "raw.figures", "renamed") == n_figures


def test_a_new_parser_version_parses_and_extracts_everything_again(rerun):
    n_documents = len(table_rows(rerun, "raw.documents"))
    assert carry_over(rerun, parser_version="next") == (0, 0)
    assert len(documents_to_parse(rerun)) == n_documents
    assert all(not table_rows(rerun, table) for table in DERIVED_TABLES)


def test_a_new_extractor_version_extracts_everything_again_but_parses_nothing(rerun):
    n_documents = len(table_rows(rerun, "raw.documents"))
    assert carry_over(rerun, extractor_version="next") == (n_documents, 0)
    assert documents_to_parse(rerun) == [] and len(texts_to_extract(rerun)) == n_documents
    assert not table_rows(rerun, "raw.figures") and table_rows(rerun, "raw.parsed_documents")


def test_a_first_run_on_a_new_warehouse_finds_everything_to_do(tmp_path, first_run_file):
    with duckdb.connect(str(tmp_path / "new.duckdb")) as connection:
        connection.execute(f"attach '{first_run_file}' as first (read_only)")
        connection.execute("create schema raw")
        connection.execute("create table raw.documents as select * from first.raw.documents")
        n_documents = len(table_rows(connection, "raw.documents"))
        assert carry_over(connection) == (0, 0)
        assert len(documents_to_parse(connection)) == n_documents


def test_the_assets_rerun_on_an_unchanged_archive_reuse_every_parse_and_extraction(
    tmp_path, monkeypatch, first_run_file
):
    import dagster as dg

    from ingestion import settings
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

    def derived_rows() -> dict[str, list[tuple]]:
        with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as connection:
            return {table: table_rows(connection, table) for table in DERIVED_TABLES}

    # Batches of two documents, the workers three documents ahead: the rows written batch by batch, while the
    # workers go on with the next batch's documents, are those of one pass over all documents.
    monkeypatch.setattr(settings, "DOCUMENTS_PER_BATCH", 2)
    monkeypatch.setattr(settings, "TASKS_AHEAD", 3)
    first = dg.materialize(assets, resources=resources)
    after_first = derived_rows()
    with duckdb.connect(str(first_run_file), read_only=True) as connection:
        assert after_first == {table: table_rows(connection, table) for table in DERIVED_TABLES}
    second = dg.materialize(assets, resources=resources)
    assert derived_rows() == after_first

    n_documents = len(load_captures(RawArchive(DEFAULT_RAW_DIR))[0])
    assert reuse_counts(first, "parsed_documents", ["raw", "parsed_documents"]) == (n_documents, 0)
    assert reuse_counts(second, "parsed_documents", ["raw", "parsed_documents"]) == (0, n_documents)
    assert reuse_counts(second, "extracted_figures", ["raw", "figures"]) == (0, n_documents)


SCANS = ["intermediate.int_document_lines_split", "intermediate.int_measure_mentions_found"]
SCANS += [
    "intermediate.int_territory_mentions_found",
    "intermediate.int_figures_scoped",
    "marts.dim_territory",
    "marts.dim_measure",
    "marts.dim_document",
    "marts.fct_funding",
    "marts.fct_figures",
]


def scan_rows(warehouse) -> dict[str, list[tuple]]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return {
            table: connection.sql(f"select * exclude (split_at) from {table} order by all").fetchall()
            if table.endswith("lines_split")
            else table_rows(connection, table)
            for table in SCANS
        }


def test_dbt_scans_only_new_documents_and_versions_and_gives_what_a_whole_rebuild_gives(
    committed_corpus_run, isolated_environment, workspace
):
    from tests.conftest import FIXTURES, add_anct_communique, common, tdi

    shutil.copyfile(isolated_environment["warehouse"], workspace["warehouse"])
    assert add_anct_communique(workspace).exit_code == 0

    incremental = tdi("run", *common(workspace))
    assert incremental.exit_code == 0 and "warehouse (published)" in incremental.output, incremental.output
    with duckdb.connect(str(workspace["warehouse"]), read_only=True) as connection:
        split_builds = connection.sql(
            "select count(distinct split_at), count(distinct document_id) filter (where split_at = "
            "(select max(split_at) from intermediate.int_document_lines_split)) "
            "from intermediate.int_document_lines_split"
        ).fetchall()
    assert split_builds == [(2, 1)], "the earlier documents kept their lines; only the new one was split"

    # A new version of the page with another figure: its figures are written again in place of the old ones. It
    # also lists two territories that the official list does not know, named in committed documents read by an
    # earlier build: a line ("au grand Palais") and an amount's sentence ("108 millions d'euros pour financer ces
    # projets locaux"). Names chosen for what they are found in: that line now names a territory, and the amount
    # funds one.
    page = (FIXTURES / "documents" / "anct-temps-2-communique.html").read_text(encoding="utf-8")
    new_version = workspace["root"] / "communique-185.html"
    listing = (
        "<p>En Île-de-France, 2 territoires sont lauréats de cette seconde phase du programme :</p>"
        "<ul><li>Grand Palais</li><li>Projets locaux</li></ul></article>"
    )
    new_version.write_text(
        page.replace("183 territoires", "185 territoires").replace("</article>", listing, 1),
        encoding="utf-8",
    )
    add_version_and_run(new_version, workspace)
    with duckdb.connect(str(workspace["warehouse"]), read_only=True) as connection:
        territories = connection.sql(
            "select value, count(*) from marts.fct_figures where metric = 'territories' and document_id = "
            "(select document_id from marts.dim_document where source_url like '%communique-temps-2') group by value"
        ).fetchall()
    assert 185.0 in dict(territories) and 183.0 not in dict(territories), territories
    named_before, funded = grand_palais_lines_and_the_cget_amount(workspace["warehouse"])
    assert ("alliancy-2018-11-23-124-territoires-industrie",) in named_before, named_before
    assert funded == [("Projets locaux", "territory")]
    after_increment = scan_rows(workspace["warehouse"])

    rebuilt = tdi("run", "--rebuild", *common(workspace))
    assert rebuilt.exit_code == 0 and "warehouse (published)" in rebuilt.output, rebuilt.output
    assert scan_rows(workspace["warehouse"]) == after_increment

    # The next version lists no territory: no line names Grand Palais any more, and the amount funds no territory.
    unlisted = workspace["root"] / "communique-186.html"
    unlisted.write_text(page.replace("183 territoires", "186 territoires"), encoding="utf-8")
    add_version_and_run(unlisted, workspace)
    named, funded = grand_palais_lines_and_the_cget_amount(workspace["warehouse"])
    assert named == []
    assert funded == [(None, "national")]


def grand_palais_lines_and_the_cget_amount(warehouse) -> tuple[list[tuple], list[tuple]]:
    """The documents of the lines that name Grand Palais; the territory and scope of CGET's 108 M€."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        named = connection.sql(
            "select document_id from intermediate.int_territory_mentions_found where territory_key = 'grand palais'"
        ).fetchall()
        funded = connection.sql(
            "select territory_name, scope from marts.fct_funding where document_id like 'cget-%' and amount_eur = 108e6"
        ).fetchall()
    return named, funded


def test_an_amount_whose_fund_alone_was_read_otherwise_is_written_again(
    committed_corpus_run, isolated_environment, workspace
):
    """As a new extractor version would: the same sentence, the same amount, another fund. fct_funding keeps the
    fund only through `funds` (the fund, else the measure named, else the programme), which it compares apart."""
    from tests.conftest import common, tdi

    shutil.copyfile(isolated_environment["warehouse"], workspace["warehouse"])
    amount = "document_id like 'cget-%' and value = 108e6"
    with duckdb.connect(str(workspace["warehouse"])) as connection:
        connection.execute(f"update raw.figures set fund = 'Fonds vert' where {amount}")
    rerun = tdi("run", *common(workspace))
    assert rerun.exit_code == 0 and "warehouse (published)" in rerun.output, rerun.output
    with duckdb.connect(str(workspace["warehouse"]), read_only=True) as connection:
        funds = connection.sql(
            f"select funds from marts.fct_funding where {amount.replace('value', 'amount_eur')}"
        ).fetchall()
    assert funds == [("Fonds vert",)]


def test_a_build_of_some_models_makes_the_next_build_of_every_model_whole(
    committed_corpus_run, isolated_environment, workspace
):
    """The Dagster UI materialises a model alone: int_document_lines_split, built alone, splits the new document's
    lines, and the next build's scans read only the lines split in that build. The next build is whole: it gives
    what a rebuild gives."""
    import dagster as dg

    from orchestration.definitions import defs
    from tests.conftest import add_anct_communique, common, tdi

    shutil.copyfile(isolated_environment["warehouse"], workspace["warehouse"])
    assert add_anct_communique(workspace).exit_code == 0
    # The documents' stages, then the model alone: in one run Dagster would not order them, the model's sources
    # being read through staging views that the run does not select.
    for alone in (
        [["raw", "documents"], ["raw", "parsed_documents"], ["raw", "figures"]],
        [["intermediate", "int_document_lines_split"]],
    ):
        selection = dg.AssetSelection.assets(
            *alone, ["warehouse", "published"]
        ).required_multi_asset_neighbors()
        some = defs.resolve_job_def("tdi_everything").execute_in_process(
            asset_selection=list(selection.resolve(defs.resolve_asset_graph())),
            instance=dg.DagsterInstance.ephemeral(),
        )
        assert some.success
    with duckdb.connect(str(workspace["warehouse"]), read_only=True) as connection:
        split = connection.sql(
            "select count(*) from intermediate.int_document_lines_split where document_id in "
            "(select document_id from raw.documents where source_url like '%communique-temps-2')"
        ).fetchall()
    assert split != [(0,)], "the model built alone split the new document"

    every = tdi("run", *common(workspace))
    assert every.exit_code == 0 and "warehouse (published)" in every.output, every.output
    after_every = scan_rows(workspace["warehouse"])
    rebuilt = tdi("run", "--rebuild", *common(workspace))
    assert rebuilt.exit_code == 0 and "warehouse (published)" in rebuilt.output, rebuilt.output
    assert scan_rows(workspace["warehouse"]) == after_every


def add_version_and_run(page: Path, workspace) -> None:
    """`tdi add` of a new version of the ANCT communiqué, then `tdi run`: it publishes."""
    from tests.conftest import common, tdi

    added = tdi(
        "add", str(page), "--url", "https://agence-cohesion-territoires.gouv.fr/communique-temps-2",
        "--publisher", "ANCT", "--published-on", "2023-11-20", "--title", "Territoires d'industrie", *common(workspace),
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    changed = tdi("run", *common(workspace))
    assert changed.exit_code == 0 and "warehouse (published)" in changed.output, changed.output


def test_the_manifest_as_last_read_is_kept_compressed_and_an_earlier_text_one_is_still_read(
    committed_corpus_run, isolated_environment, tmp_path
):
    """The next load parses only the entries appended since; the snapshot it starts from is stored compressed
    (1 MB instead of 10 MB at 10,000 entries), and the text one of an earlier version is read as before."""
    archive = RawArchive(DEFAULT_RAW_DIR)
    with duckdb.connect(str(isolated_environment["warehouse"]), read_only=True) as connection:
        (stored,) = connection.execute(f"select snapshot from {MANIFEST_SNAPSHOT_TABLE}").fetchone()
        kept = manifest_as_last_read(connection)
    assert isinstance(stored, bytes) and len(stored) < len(kept.to_json())
    assert kept.entries == archive.manifest_entries() and kept.sha256 == archive.manifest_snapshot().sha256
    with duckdb.connect(str(tmp_path / "earlier.duckdb")) as connection:
        connection.execute("create schema ops")
        connection.execute(
            f"create table {MANIFEST_SNAPSHOT_TABLE} as select ? as snapshot", [kept.to_json()]
        )
        assert manifest_as_last_read(connection) == kept
