"""Shared fixtures: a private copy of the raw archive and warehouse per test session or test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from orchestration.project import DEFAULT_RAW_DIR, RAW_DIR_ENV, WAREHOUSE_ENV

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
    (root / "dagster_home").mkdir()
    (root / "dagster_home" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    yield {"root": root, "raw_dir": raw_dir, "warehouse": warehouse}
    patcher.undo()


@pytest.fixture(scope="session")
def committed_corpus_run(isolated_environment):
    """Materialise every asset once on the committed corpus; tests then read the warehouse."""
    from orchestration.runner import run_everything

    summary = run_everything()
    return summary
