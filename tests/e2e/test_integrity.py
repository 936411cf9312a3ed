"""A capture altered or lost after a published run: the next run fails warehouse_integrity, naming the file, and
publishes nothing; `tdi audit` of the warehouse still published verifies the archive and exits 1, naming it."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from tests.conftest import common, copy_raw_archive, tdi


@pytest.fixture(scope="module")
def altered(committed_corpus_run, isolated_environment, tmp_path_factory):
    """The published committed corpus, with one capture's bytes changed and another capture removed."""
    root = tmp_path_factory.mktemp("altered")
    workspace = {"root": root, "raw": copy_raw_archive(root / "raw"), "warehouse": root / "w.duckdb"}
    shutil.copyfile(isolated_environment["warehouse"], workspace["warehouse"])
    pdf = next((workspace["raw"] / "documents").glob("*.pdf"))
    pdf.write_bytes(pdf.read_bytes() + b"%")
    html = sorted((workspace["raw"] / "documents").glob("*.html"))[0]
    html.unlink()
    return workspace, pdf, html


def test_a_run_on_an_altered_archive_fails_integrity_naming_the_files_and_publishes_nothing(
    altered, monkeypatch
):
    workspace, pdf, html = altered
    monkeypatch.setenv("DAGSTER_HOME", str(workspace["root"] / "dagster_home"))
    published = workspace["warehouse"].read_bytes()

    ran = tdi("run", *common(workspace))

    assert ran.exit_code == 1, ran.output
    assert (
        "failure: dbt build: " in ran.output
        and "has_no_failed_checks_audit_warehouse_integrity" in ran.output
    )
    assert f"documents/{pdf.name}" in ran.output and f"documents/{html.name}" in ran.output
    assert workspace["warehouse"].read_bytes() == published, "nothing is published"
    building = workspace["root"] / ".building" / "w.duckdb"
    with duckdb.connect(str(building), read_only=True) as connection:
        (explanation,) = connection.execute(
            "select explanation from audit.audit_warehouse_integrity where status = 'fail'"
        ).fetchone()
    assert f"documents/{pdf.name} (octets modifiés)" in explanation
    assert f"documents/{html.name} (absent)" in explanation


def test_audit_verifies_the_archive_of_the_published_warehouse(altered):
    workspace, pdf, html = altered
    audited = tdi(
        "audit", "--format", "json", "--out", str(workspace["root"] / "audit.json"), *common(workspace)
    )
    assert audited.exit_code == 1, audited.output
    report = json.loads((workspace["root"] / "audit.json").read_text(encoding="utf-8"))
    failing = [
        c for c in report["checks"] if c["check_name"] == "warehouse_integrity" and c["status"] == "fail"
    ]
    named = " ".join(c["explanation"] for c in failing)
    assert pdf.name in named and html.name in named and "tdi show" in named
