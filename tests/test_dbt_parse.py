"""The dbt parse a first run makes before Dagster loads: redone when the project changed, a clear error when dbt
cannot parse it, and nothing left behind."""

from __future__ import annotations

import os
import shutil
import time

import pytest

import orchestration.dbt_parse as dbt_parse
from orchestration.project import DBT_PROJECT_DIR
from tests.conftest import common, tdi

NO_SUCH_PROCESS = 4_194_305  # above Linux's largest pid (pid_max is at most 2**22)


@pytest.fixture
def project_copy(tmp_path, monkeypatch):
    """A copy of the dbt project without its manifest, which the parse module is pointed at."""
    project = tmp_path / "checkout" / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    monkeypatch.setattr(dbt_parse, "DBT_PROJECT_DIR", project)
    monkeypatch.setattr(dbt_parse, "MANIFEST_PATH", project / "target" / "manifest.json")
    monkeypatch.setattr(dbt_parse, "PARSE_STATE_DIR", project / "target")
    return project


def test_a_renamed_or_removed_model_makes_the_manifest_stale(project_copy):
    dbt_parse.MANIFEST_PATH.parent.mkdir()
    dbt_parse.MANIFEST_PATH.write_text("{}")
    later = time.time() + 60  # the manifest is newer than every file, as after a parse
    os.utime(dbt_parse.MANIFEST_PATH, (later, later))
    assert dbt_parse.manifest_is_current()

    model = project_copy / "models" / "marts" / "dim_measure.sql"
    os.rename(model, model.with_name("dim_measures.sql"))  # a rename keeps the file's own time
    os.utime(model.parent, (later + 1, later + 1))  # what the rename did to the folder, a minute later
    assert not dbt_parse.manifest_is_current()


def test_a_project_dbt_cannot_parse_stops_the_run_with_dbts_message_and_leaves_nothing(
    project_copy, workspace
):
    model = project_copy / "models" / "marts" / "dim_measure.sql"
    model.write_text("select * from {{ ref('no_such_model') }}\n", encoding="utf-8")
    abandoned = dbt_parse.PARSE_STATE_DIR / f"{dbt_parse.SCRATCH_PREFIX}{NO_SUCH_PROCESS}"
    abandoned.mkdir(parents=True)  # the scratch folder of a run killed during its parse

    result = tdi("run", *common(workspace))

    assert result.exit_code == 1
    assert "dbt could not parse the project" in result.output and "no_such_model" in result.output
    assert not workspace["warehouse"].exists(), "nothing was built, nothing published"
    assert list(dbt_parse.PARSE_STATE_DIR.iterdir()) == [], (
        "no scratch folder is left, this one's or the abandoned one"
    )
    assert not dbt_parse.MANIFEST_PATH.exists()
