"""dbt's parse of the project: written before Dagster's definitions read it, and shared by the builds.

Dagster's definitions read dbt's manifest when they are imported, so on a fresh checkout, or after an
edit of the project, dbt must parse the project first: 8 s here (3 s of dbt's imports, 5 s of parsing).
`tdi prepare` (which `make install` runs) does it ahead of the first run; after an edit, `tdi run` parses
while the main process imports Dagster, and gives the definitions that parse's manifest.

dbt reuses an earlier parse (its partial-parse state) only when the vars and the connection are the same,
and the build's connection is the warehouse's working copy: each new warehouse was parsed whole (5 s). So
the parse the builds use (orchestration/dbt_server.py) is made with `parse_vars`, whose path is not the
working copy's but a name in the project's target folder: every warehouse of that file name shares one
parse state per checkout. What dbt takes from the path when it parses is the database's name, the file's
stem, which is the same; the build itself connects to the working copy (its own vars). This module imports
neither Dagster nor dbt, so that the parse starts before either is imported.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from orchestration.dbt_server import DBT_EXECUTABLE
from orchestration.project import DBT_PROJECT_DIR

MANIFEST_PATH = DBT_PROJECT_DIR / "target" / "manifest.json"
"""The manifest the Dagster definitions read (DbtProject's target folder; tests/test_definitions.py checks)."""
PARSE_STATE_DIR = MANIFEST_PATH.parent
PARTIAL_PARSE_FILE = "partial_parse.msgpack"
SCRATCH_PREFIX = ".parse-"

PROJECT_SOURCE_FOLDERS = ("models", "seeds", "macros", "tests")
"""The folders dbt_project.yml names; target/ and logs/ are dbt's output and are never looked at."""
PROJECT_FILES = ("dbt_project.yml", "profiles.yml")


def project_source_files(project_dir: Path | None = None) -> Iterator[Path]:
    project_dir = project_dir or DBT_PROJECT_DIR
    yield from (project_dir / name for name in PROJECT_FILES)
    for folder in PROJECT_SOURCE_FOLDERS:
        yield from (path for path in (project_dir / folder).rglob("*") if path.is_file())


def project_source_folders(project_dir: Path | None = None) -> Iterator[Path]:
    project_dir = project_dir or DBT_PROJECT_DIR
    for folder in PROJECT_SOURCE_FOLDERS:
        yield project_dir / folder
        yield from (path for path in (project_dir / folder).rglob("*") if path.is_dir())


def manifest_is_current() -> bool:
    """The manifest is newer than every file and folder of the project."""
    if not MANIFEST_PATH.exists():
        return False
    return MANIFEST_PATH.stat().st_mtime >= newest_project_change()


def newest_project_change(project_dir: Path | None = None) -> float:
    """When a file of the project last changed: a folder's time changes when a file in it is added, removed or
    renamed, which leaves the files' own times as they were."""
    paths = (*project_source_files(project_dir), *project_source_folders(project_dir))
    return max(path.stat().st_mtime for path in paths)


def parse_vars(warehouse: Path, project_dir: Path = DBT_PROJECT_DIR) -> str:
    """The vars of the parse that the builds of `warehouse` use, the same for every warehouse of its name."""
    return build_vars(PARSE_STATE_DIR / warehouse.name, project_dir)


def shared_parse_state(warehouse: Path) -> Path:
    """dbt's partial-parse state for `parse_vars(warehouse)`, replaced whole (a rename) by each new parse."""
    return PARSE_STATE_DIR / f"{Path(PARTIAL_PARSE_FILE).stem}.{warehouse.name}.msgpack"


def build_vars(writing_path: str | Path | None, project_dir: Path = DBT_PROJECT_DIR) -> str:
    """The `--vars` of `dbt build` on a warehouse whose run writes `writing_path`; the early parse uses the
    same, or the build would not reuse it. Without a warehouse (a parse for the definitions alone), the
    profile's default path stands.

    The project's folder is among them for dbt's partial parsing, which does not notice that the project
    moved (a renamed folder, another checkout building the same warehouse): it kept the first checkout's
    paths, and read the seeds from a folder that was gone. A var that changes makes dbt parse again.
    """
    dbt_vars = {"project_dir": str(project_dir)}
    if writing_path is not None:
        dbt_vars["warehouse_path"] = str(writing_path)
    return json.dumps(dbt_vars)


class DbtParseError(Exception):
    """dbt could not parse the project (an error in a model, a macro, a .yml); the message is dbt's."""


class ProjectParse:
    """`dbt parse` running in a subprocess, in a scratch folder of its own beside the parse state it is for.

    Its own folder, because two runs may parse at once before either holds the run lock; `finish` moves its
    results into place with renames, which a reader (another run's parse or build included) sees whole or not
    at all. A run killed during the parse leaves its scratch folder: the next parse removes those whose process
    is gone.
    """

    def __init__(self, parse_state: Path, dbt_vars: str) -> None:
        self.parse_state = parse_state
        self.started_at = time.time()
        self.scratch = start_scratch_folder(parse_state.parent)
        command = [DBT_EXECUTABLE, "parse", "--quiet", "--target-path", str(self.scratch)]
        command += ["--log-path", str(self.scratch), "--project-dir", str(DBT_PROJECT_DIR)]
        command += ["--profiles-dir", str(DBT_PROJECT_DIR), "--vars", dbt_vars]
        environment = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
        self.process = subprocess.Popen(
            command,
            cwd=DBT_PROJECT_DIR,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def __enter__(self) -> ProjectParse:
        return self

    def __exit__(self, *exception) -> None:
        """Whatever stopped the run before `finish` (an import that failed, Ctrl-C) stops dbt too."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.scratch, ignore_errors=True)

    def finish(self) -> None:
        """Wait for the parse; put its partial-parse state in place and its manifest where the definitions
        read it, dated from the parse's start: a file edited during the parse is newer, and the next run
        parses again."""
        output, _ = self.process.communicate()
        try:
            if self.process.returncode != 0:
                raise DbtParseError(f"dbt could not parse the project {DBT_PROJECT_DIR}:\n{output.strip()}")
            os.replace(self.scratch / PARTIAL_PARSE_FILE, self.parse_state)
            os.utime(self.scratch / "manifest.json", (self.started_at, self.started_at))
            os.replace(self.scratch / "manifest.json", MANIFEST_PATH)
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)


def start_scratch_folder(parent: Path) -> Path:
    """A folder of this process's own in `parent`, for a parse that starts before the run holds its lock."""
    parent.mkdir(parents=True, exist_ok=True)
    remove_abandoned_scratch_folders(parent)
    scratch = parent / f"{SCRATCH_PREFIX}{os.getpid()}"
    scratch.mkdir(exist_ok=True)
    return scratch


def remove_abandoned_scratch_folders(target: Path) -> None:
    for folder in target.glob(f"{SCRATCH_PREFIX}*"):
        pid = folder.name.removeprefix(SCRATCH_PREFIX)
        if pid.isdigit() and not process_exists(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def parse_for_builds_of(warehouse: Path) -> ProjectParse:
    """A parse whose state the builds of `warehouse` start from: its state file and its vars go together."""
    return ProjectParse(shared_parse_state(warehouse), parse_vars(warehouse))


def start_parse_for(warehouse: Path) -> ProjectParse | None:
    """Start parsing the project for a run on `warehouse` when the definitions' manifest is missing or
    older than the project; None when it is current (the run's dbt server then parses what changed)."""
    if manifest_is_current():
        return None
    return parse_for_builds_of(warehouse)


def prepare_for(warehouse: Path) -> bool:
    """Parse the project now, for the definitions and for the builds of `warehouse`, unless both parses are
    current; whether it parsed. Ahead of the first run (`tdi prepare`, which `make install` runs), as
    dagster-dbt's `project prepare-and-package` parses when a project is deployed: that run then parses only
    what changed since, while Dagster loads, as every later run does."""
    if manifest_is_current() and shared_parse_state(warehouse).exists():
        return False
    with parse_for_builds_of(warehouse) as parse:
        parse.finish()
    return True


def ensure_manifest() -> None:
    """Parse the project when the definitions' manifest is missing or older than the project's files.

    For the entry points that load the definitions without a run (the tests); `tdi run` calls
    start_parse_for, and `dagster dev` prepares the project through DbtProject.prepare_if_dev.
    """
    if not manifest_is_current():
        with ProjectParse(PARSE_STATE_DIR / PARTIAL_PARSE_FILE, build_vars(None)) as parse:
            parse.finish()
