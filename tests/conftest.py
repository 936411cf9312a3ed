"""Shared helpers and fixtures: a private copy of the raw archive, warehouse and Dagster home per session or test."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from orchestration.cli import main
from orchestration.project import DBT_PROJECT_DIR, DEFAULT_RAW_DIR, RAW_DIR_ENV, WAREHOUSE_ENV

# dagster-dbt prepares the project with the `dbt` on PATH, as `tdi` makes sure it is this environment's.
os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")

FIXTURES = Path(__file__).parent / "fixtures"


def copy_raw_archive(target: Path) -> Path:
    """Copy the committed raw/ so that a test can add to it without touching the repository."""
    shutil.copytree(DEFAULT_RAW_DIR, target)
    return target


@pytest.fixture(scope="session")
def isolated_environment(tmp_path_factory):
    """Point the pipeline at a temporary raw archive, warehouse and Dagster home for the whole session."""
    root = tmp_path_factory.mktemp("tdi")
    raw_dir = copy_raw_archive(root / "raw")
    warehouse = root / "warehouse" / "tdi.duckdb"
    patcher = pytest.MonkeyPatch()
    patcher.setenv(WAREHOUSE_ENV, str(warehouse))
    patcher.setenv(RAW_DIR_ENV, str(raw_dir))
    patcher.setenv("DAGSTER_HOME", str(root / "dagster_home"))
    yield {"root": root, "raw_dir": raw_dir, "warehouse": warehouse}
    patcher.undo()


@pytest.fixture(scope="session")
def committed_corpus_run(isolated_environment):
    """Materialise every asset once on the committed corpus; tests then read the warehouse."""
    from orchestration.runner import run_everything

    summary = run_everything()
    return summary


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    """A private raw archive and warehouse; the environment the CLI sets is restored after the test."""
    raw_dir = copy_raw_archive(tmp_path / "raw")
    warehouse = tmp_path / "w.duckdb"
    for name, value in (
        (WAREHOUSE_ENV, warehouse),
        (RAW_DIR_ENV, raw_dir),
        ("DAGSTER_HOME", tmp_path / "dh"),
    ):
        monkeypatch.setenv(name, str(value))
    return {"raw": raw_dir, "warehouse": warehouse, "root": tmp_path}


def tdi(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result


def common(workspace) -> list[str]:
    return ["--raw-dir", str(workspace["raw"]), "--warehouse", str(workspace["warehouse"])]


def add_anct_communique(workspace):
    """`tdi add` of the ANCT communiqué fixture page: a new document for a run to build."""
    return tdi(
        "add",
        str(FIXTURES / "documents" / "anct-temps-2-communique.html"),
        "--url",
        "https://agence-cohesion-territoires.gouv.fr/communique-temps-2",
        "--publisher",
        "ANCT",
        "--published-on",
        "2023-11-20",
        "--title",
        "Territoires d'industrie : 183 territoires laureats",
        *common(workspace),
    )


def dbt_on(command: str, selection: str, warehouse: Path, target: Path, *options: str):
    """dbt itself (`build`, `test`) on the selected models of a warehouse, as they are, in a process of its own."""
    dbt = Path(sys.executable).parent / "dbt"
    arguments = [
        command,
        "--select",
        selection,
        "--vars",
        json.dumps({"warehouse_path": str(warehouse)}),
        *options,
    ]
    arguments += ["--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
    return subprocess.run(
        [str(dbt), *arguments, "--target-path", str(target)], capture_output=True, text=True
    )
