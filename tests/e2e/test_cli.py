"""The `tdi` command as a user runs it: add a document, run, query; bad input recorded, not fatal."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from fpdf import FPDF

from orchestration.project import PROJECT_ROOT, RAW_DIR_ENV, WAREHOUSE_ENV
from tests.conftest import add_anct_communique, common, copy_raw_archive, tdi


def one_page_pdf(text: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


LOIRET_PAGE = """<html><head><meta charset="utf-8"><title>Aides à l'industrie dans le Loiret</title></head>
<body><main><article><h1>Aides à l'industrie dans le Loiret</h1>
<p>À Gien, sur le territoire d'industrie Est du Loiret, un atelier reçoit 450 000 € d'aide.</p>
<p>À Briare, une fonderie reçoit 320 000 € d'aide à l'investissement.</p>
<p>La communauté de communes Giennoises reçoit 150 000 € pour reconvertir une friche.</p>
<p>Un laboratoire reçoit 100 000 € au titre du fonds vert.</p>
</article></main></body></html>"""
"""Amounts for one territory, named in three ways (its name, one of its communes, one of its EPCI), and one for
no territory: sentences of our own."""


@pytest.fixture(scope="module")
def added_and_run(committed_corpus_run, isolated_environment, tmp_path_factory):
    """The published committed corpus, then `tdi add` of an HTML page, a PDF and a truncated PDF, and one run."""
    root = tmp_path_factory.mktemp("added")
    workspace = {"root": root, "raw": copy_raw_archive(root / "raw"), "warehouse": root / "w.duckdb"}
    shutil.copyfile(isolated_environment["warehouse"], workspace["warehouse"])
    added = add_anct_communique(workspace)
    assert added.exit_code == 0, added.output
    pdf_path = root / "communique.pdf"
    pdf_path.write_bytes(
        one_page_pdf("La Région Bretagne a retenu 7 territoires, avec une enveloppe de 2,5 millions d'euros.")
    )
    truncated = root / "truncated.pdf"
    good_pdf = next((workspace["raw"] / "documents").glob("*.pdf")).read_bytes()
    truncated.write_bytes(good_pdf[: len(good_pdf) // 3])
    loiret = root / "loiret.html"
    loiret.write_text(LOIRET_PAGE, encoding="utf-8")
    for path, publisher, published_on, title in (
        (pdf_path, "Région Bretagne", "2024-01-15", "Communique PDF"),
        (truncated, "Test", "2024-02-13", "Communiqué tronqué"),
        (loiret, "Préfecture du Loiret", "2024-06-03", "Aides à l'industrie dans le Loiret"),
    ):
        added = tdi(
            "add", str(path), "--publisher", publisher, "--published-on", published_on, "--title", title,
            *common(workspace),
        )  # fmt: skip
        assert added.exit_code == 0, added.output
    with pytest.MonkeyPatch.context() as monkeypatch:
        for name, value in ((WAREHOUSE_ENV, workspace["warehouse"]), (RAW_DIR_ENV, workspace["raw"])):
            monkeypatch.setenv(name, str(value))  # restored after, whatever the command sets
        monkeypatch.setenv("DAGSTER_HOME", str(root / "dh"))
        ran = tdi("run", *common(workspace))
    return workspace, ran


def test_added_html_and_pdf_appear_in_the_marts_after_a_run(added_and_run):
    workspace, ran = added_and_run
    assert ran.exit_code == 0, ran.output
    assert str(workspace["warehouse"]) in ran.output

    with duckdb.connect(str(workspace["warehouse"]), read_only=True) as connection:
        documents = dict(connection.execute("select title, document_id from marts.dim_document").fetchall())
        assert "Communique PDF" in documents
        anct = documents["Territoires d'industrie : 183 territoires laureats"]
        figures = connection.execute(
            "select value, unit, metric from marts.fct_figures where document_id = ? order by char_start",
            [anct],
        ).fetchall()
        pdf_figures = connection.execute(
            "select value, unit from marts.fct_figures where document_id = ? order by char_start",
            [documents["Communique PDF"]],
        ).fetchall()
    assert (183.0, "count", "territories") in figures
    assert (100_000_000.0, "EUR", "funding") in figures
    assert pdf_figures == [(7.0, "count"), (2_500_000.0, "EUR")]

    queried = tdi(
        "query", "select count(*) as n from marts.dim_document", "--warehouse", str(workspace["warehouse"])
    )
    assert queried.exit_code == 0 and "10" in queried.output


def test_a_broken_document_is_recorded_and_the_others_still_load(added_and_run):
    workspace, ran = added_and_run
    assert ran.exit_code == 0, ran.output
    assert "ingestion errors 1" in ran.output and "[parse]" in ran.output

    with duckdb.connect(str(workspace["warehouse"]), read_only=True) as connection:
        errors = connection.execute("select stage, error_message from audit.ingestion_errors").fetchall()
        parsed = connection.execute("select count(*) from marts.dim_document where is_parsed").fetchone()[0]
    assert len(errors) == 1 and errors[0][0] == "parse" and errors[0][1]
    assert parsed == 9


def test_an_amount_is_given_the_territory_its_sentence_names_by_name_commune_or_epci(added_and_run):
    workspace, ran = added_and_run
    assert ran.exit_code == 0, ran.output
    with duckdb.connect(str(workspace["warehouse"]), read_only=True) as connection:
        rows = connection.execute(
            "select amount_eur, territory_id, territory_located_by, territory_named_as, scope"
            " from marts.fct_funding where document_id in"
            " (select document_id from marts.dim_document where publisher = 'Préfecture du Loiret')"
            " order by char_start"
        ).fetchall()
    assert rows == [
        (450_000.0, "est-du-loiret", "territory", "Est du Loiret", "territory"),
        (320_000.0, "est-du-loiret", "commune", "Briare", "territory"),
        (150_000.0, "est-du-loiret", "epci", "CC Giennoises", "territory"),
        (100_000.0, None, None, None, "national"),
    ]


def test_add_refuses_content_that_is_not_what_it_claims(workspace):
    fake = workspace["root"] / "fake.pdf"
    fake.write_bytes(b"<html><body><p>pas un PDF</p></body></html>")
    refused = tdi(
        "add",
        str(fake),
        "--content-type",
        "application/pdf",
        "--publisher",
        "Test",
        "--published-on",
        "2024-01-01",
        "--title",
        "Faux PDF",
        *common(workspace),
    )
    assert refused.exit_code != 0
    assert "declared as application/pdf" in refused.output


def fresh_checkout(tmp_path: Path) -> Path:
    """The project's code, dbt project and raw archive as a fresh clone has them: no dbt_project/target."""
    checkout = tmp_path / "checkout"
    for folder in ("ingestion", "orchestration", "dbt_project", "raw"):
        shutil.copytree(
            PROJECT_ROOT / folder,
            checkout / folder,
            ignore=shutil.ignore_patterns("target", "logs", "__pycache__"),
        )
    return checkout


def tdi_in(checkout: Path, *args: str) -> subprocess.CompletedProcess:
    """`tdi` in a process of its own, running the checkout's code."""
    return subprocess.run(
        [sys.executable, "-c", "import sys; from orchestration.cli import main; main(sys.argv[1:])", *args],
        cwd=checkout,
        env={**os.environ, "PYTHONPATH": str(checkout), "DAGSTER_HOME": str(checkout.parent / "dh")},
        capture_output=True,
        text=True,
    )


@pytest.mark.slow
def test_a_fresh_checkout_runs_parses_once_and_records_the_run_in_its_dagster_instance(tmp_path):
    """`make run` on a fresh clone: the run parses the project first (there is no dbt_project/target), builds,
    publishes, and the run, its materialisations and its checks are in the Dagster instance the UI reads."""
    from dagster import DagsterEventType, DagsterInstance, DagsterRunStatus

    checkout = fresh_checkout(tmp_path)
    assert not (checkout / "dbt_project" / "target").exists()
    ran = tdi_in(
        checkout, "run", "--warehouse", str(tmp_path / "w.duckdb"), "--raw-dir", str(checkout / "raw")
    )
    assert ran.returncode == 0, ran.stdout[-2000:] + ran.stderr[-2000:]
    assert "warehouse (published)" in ran.stdout
    assert "Traceback" not in ran.stderr and "leaked" not in ran.stderr
    prepared = tdi_in(checkout, "prepare")
    assert prepared.stdout.startswith("already parsed"), prepared.stdout + prepared.stderr

    with DagsterInstance.from_config(str(checkout.parent / "dh")) as instance:
        (run,) = instance.get_runs()
        assert run.status == DagsterRunStatus.SUCCESS and run.job_name == "tdi_everything"
        materialised = {
            entry.dagster_event.asset_key.to_user_string()
            for entry in instance.all_logs(run.run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION)
        }
        checks = [
            entry.dagster_event.event_specific_data
            for entry in instance.all_logs(run.run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION)
        ]
    assert {
        "raw/figures",
        "marts/fct_funding",
        "audit/audit_check_results",
        "warehouse/published",
    } <= materialised
    assert len(checks) > 50 and sum(check.passed for check in checks) >= len(checks) - 1


def test_a_project_dbt_cannot_parse_stops_the_run_with_dbts_message_and_builds_nothing(tmp_path):
    checkout = fresh_checkout(tmp_path)
    model = checkout / "dbt_project" / "models" / "marts" / "dim_measure.sql"
    model.write_text("select * from {{ ref('no_such_model') }}\n", encoding="utf-8")
    warehouse = tmp_path / "w.duckdb"

    ran = tdi_in(checkout, "run", "--warehouse", str(warehouse), "--raw-dir", str(checkout / "raw"))

    assert ran.returncode == 1, ran.stdout[-2000:] + ran.stderr[-2000:]
    assert "dbt could not parse the project" in ran.stderr and "no_such_model" in ran.stderr, ran.stderr[
        -2000:
    ]
    assert not warehouse.exists(), "nothing was built, nothing published"


def test_every_id_of_the_marts_is_readable_and_the_same_in_a_second_run(added_and_run, isolated_environment):
    """The warehouse of the session's first run and the one built again, with three documents added: the rows of
    the committed documents keep their ids."""
    workspace, ran = added_and_run
    assert ran.exit_code == 0, ran.output
    ids = {
        "dim_document": "document_id",
        "dim_publication": "publication_id",
        "fct_figures": "figure_id || ' ' || claim_id",
        "fct_funding": "funding_id || ' ' || claim_id || ' ' || coalesce(measure_id, '')",
        "dim_measure": "measure_id",
        "dim_territory": "territory_id || ' ' || coalesce(succeeded_by_territory_id, '')",
        "fct_territory_mentions": "mention_id",
    }

    def read(warehouse) -> dict[str, set[str]]:
        with duckdb.connect(str(warehouse), read_only=True) as connection:
            return {table: {row[0] for row in connection.execute(f"select {ids} from marts.{table}").fetchall()}
                    for table, ids in ids.items()}  # fmt: skip

    first, second = read(isolated_environment["warehouse"]), read(workspace["warehouse"])
    for table in ids:
        assert first[table], table
        assert first[table] <= second[table], f"{table}: ids changed between two runs"
        for value in first[table]:
            assert "md5" not in value and not re.fullmatch(r".*\b[0-9a-f]{32}\b.*", value), (table, value)
