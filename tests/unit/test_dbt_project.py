"""The dbt manifest the definitions read is parsed again when the project changed, renames included."""

from __future__ import annotations

import os
import shutil
import time

from dagster_dbt import DbtProject

from orchestration.dbt_project import manifest_is_current
from orchestration.project import DBT_PROJECT_DIR


def test_a_renamed_or_removed_model_makes_the_manifest_stale(tmp_path):
    copy = tmp_path / "checkout" / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, copy, ignore=shutil.ignore_patterns("target", "logs"))
    project = DbtProject(project_dir=copy, profiles_dir=copy)
    assert not manifest_is_current(project), "no manifest yet"
    project.manifest_path.parent.mkdir()
    project.manifest_path.write_text("{}")
    later = time.time() + 60  # the manifest is newer than every file, as after a parse
    os.utime(project.manifest_path, (later, later))
    assert manifest_is_current(project)

    model = copy / "models" / "marts" / "dim_measure.sql"
    os.rename(model, model.with_name("dim_measures.sql"))  # a rename keeps the file's own time
    os.utime(model.parent, (later + 1, later + 1))  # what the rename did to the folder, a minute later
    assert not manifest_is_current(project)
