"""The dbt project as Dagster sees it, and the resource that runs dbt's command line."""

import json
import sys
from pathlib import Path

from dagster_dbt import DagsterDbtCliRuntimeError, DbtCliResource, DbtProject

from orchestration.project import DBT_PROJECT_DIR, DEFAULT_WAREHOUSE
from orchestration.publishing import working_copy_path


def dbt_vars(writing_path: Path | str, project_dir: Path = DBT_PROJECT_DIR) -> str:
    """The `--vars` of a build that writes `writing_path`. The project's folder is among them so that dbt does not
    reuse a parse made from another checkout, whose paths (the seeds') it would keep."""
    return json.dumps({"warehouse_path": str(writing_path), "project_dir": str(project_dir)})


# The parse is made with the vars of a build of the default warehouse: dagster-dbt hands it to that build, which
# then parses only what changed.
tdi_dbt_project = DbtProject(
    project_dir=DBT_PROJECT_DIR,
    profiles_dir=DBT_PROJECT_DIR,
    prepare_project_cli_args=["parse", "--quiet", "--vars", dbt_vars(working_copy_path(DEFAULT_WAREHOUSE))],
)
tdi_dbt_project.prepare_if_dev()

DBT_EXECUTABLE = str(Path(sys.executable).with_name("dbt"))
"""The dbt installed beside the Python that runs Dagster, whatever PATH says."""

PROJECT_FOLDERS = ("models", "seeds", "macros", "tests")
PROJECT_FILES = ("dbt_project.yml", "profiles.yml")


def project_files(project_dir: Path = DBT_PROJECT_DIR) -> list[Path]:
    """Every file dbt reads from the project, in a stable order."""
    files = [project_dir / name for name in PROJECT_FILES]
    for folder in PROJECT_FOLDERS:
        files += sorted(path for path in (project_dir / folder).rglob("*") if path.is_file())
    return files


def manifest_is_current(project: DbtProject = tdi_dbt_project) -> bool:
    """The manifest exists and is newer than every file of the project and every folder that holds one (a
    folder's time changes when a file in it is added, removed or renamed)."""
    if not project.manifest_path.exists():
        return False
    files = project_files(project.project_dir)
    newest = max(path.stat().st_mtime for path in [*files, *{path.parent for path in files}])
    return project.manifest_path.stat().st_mtime >= newest


class DbtParseError(Exception):
    """dbt could not parse the project; the message is dbt's."""


def prepare_dbt_project() -> bool:
    """Parse the project (`dbt parse`, as `dagster-dbt project prepare-and-package`) unless the manifest is
    current; whether it parsed."""
    if manifest_is_current():
        return False
    try:
        tdi_dbt_project.preparer.prepare(tdi_dbt_project)
    except DagsterDbtCliRuntimeError as error:
        raise DbtParseError(f"dbt could not parse the project {DBT_PROJECT_DIR}: {error}") from error
    return True


def build_dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=tdi_dbt_project, dbt_executable=DBT_EXECUTABLE)
