"""The one place the dbt project is described to Dagster."""

from dagster_dbt import DbtProject

from orchestration.project import DBT_PROJECT_DIR

tdi_dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def ensure_manifest() -> None:
    """Parse the dbt project when its manifest is missing or older than the project's files.

    `dagster dev` does this through prepare_if_dev; `tdi` and the tests call it before loading the
    definitions, which read the manifest when they are imported.
    """
    manifest = tdi_dbt_project.manifest_path
    newest_source = max(
        path.stat().st_mtime
        for pattern in ("*.sql", "*.yml", "*.csv")
        for path in DBT_PROJECT_DIR.rglob(pattern)
        if "target" not in path.parts
    )
    if not manifest.exists() or manifest.stat().st_mtime < newest_source:
        tdi_dbt_project.preparer.prepare(tdi_dbt_project)


tdi_dbt_project.prepare_if_dev()
