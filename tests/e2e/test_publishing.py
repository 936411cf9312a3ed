"""One writer at a time, and a published warehouse that a crash never touches.

A run builds in a working copy and renames it over the published file only at the end; the run
lock makes a second run exit with a clear message; a reader can query while a run writes; and a
run killed with SIGKILL leaves the published warehouse byte for byte as it was, after which the
next run completes."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.publishing import dbt_target_path
from tests.conftest import add_anct_communique, common, tdi

TDI = [str(Path(sys.executable).parent / "tdi")]


def sha256_of(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def start_run(workspace) -> subprocess.Popen:
    environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [*TDI, "run", *common(workspace)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=environment,
        start_new_session=True,
    )


def wait_for_dbt_to_build(workspace, run: subprocess.Popen) -> None:
    """Until dbt has built its first models in this run (the SQL it ran, which it writes in the warehouse's
    dbt target folder as it goes), then a little more: a kill then lands inside `dbt build`, however fast
    the machine."""
    ran = dbt_target_path(workspace["warehouse"]) / "run"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and run.poll() is None:
        if ran.exists() and any(ran.rglob("*.sql")):
            time.sleep(1)
            return
        time.sleep(0.2)
    raise AssertionError("dbt did not start building within 120 s")


def kill_run(process: subprocess.Popen) -> None:
    """SIGKILL the run and everything it started (dbt runs in a child process)."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def count_figures(workspace) -> int:
    with duckdb.connect(str(workspace["warehouse"]), read_only=True) as connection:
        return connection.execute("select count(*) from marts.fct_figures").fetchone()[0]


def add_a_new_document(workspace) -> None:
    """Something new for the runs to build, so that a run is not a no-op that ends before the kill."""
    added = add_anct_communique(workspace)
    assert added.exit_code == 0, added.output


@pytest.mark.slow
def test_a_killed_run_leaves_the_published_warehouse_as_it_was_and_the_next_run_completes(
    committed_corpus_run, isolated_environment, workspace
):
    shutil.copyfile(isolated_environment["warehouse"], workspace["warehouse"])
    published = sha256_of(workspace["warehouse"])
    n_figures = count_figures(workspace)
    add_a_new_document(workspace)

    for stage in ("python", "dbt"):
        run = start_run(workspace)
        if stage == "python":
            time.sleep(4)
        else:
            wait_for_dbt_to_build(workspace, run)
        assert run.poll() is None, "the run ended before it could be killed"
        queried = tdi("query", "select count(*) as n from marts.fct_figures", *common(workspace)[2:])
        assert queried.exit_code == 0 and str(n_figures) in queried.output, (
            "a reader is answered during a run"
        )
        kill_run(run)
        assert sha256_of(workspace["warehouse"]) == published
        assert count_figures(workspace) == n_figures

    completed = tdi("run", *common(workspace))
    assert completed.exit_code == 0 and "warehouse (published)" in completed.output, completed.output
    assert sha256_of(workspace["warehouse"]) != published
    assert count_figures(workspace) > n_figures, "the new document's figures were published"
    with duckdb.connect(str(workspace["warehouse"]), read_only=True) as connection:
        history_runs = connection.execute(
            "select count(distinct run_id) from audit.audit_check_history"
        ).fetchone()[0]
    assert history_runs == 2, "the history kept the first run's results and added this one's"


def test_a_rerun_with_nothing_new_builds_and_publishes_nothing_and_rebuild_forces_a_build(
    committed_corpus_run, isolated_environment, workspace
):
    shutil.copyfile(isolated_environment["warehouse"], workspace["warehouse"])
    published = sha256_of(workspace["warehouse"])

    rerun = tdi("run", *common(workspace))
    assert rerun.exit_code == 0, rerun.output
    assert "nothing new since run" in rerun.output and "nothing rebuilt, nothing published" in rerun.output
    assert sha256_of(workspace["warehouse"]) == published, "a no-op run leaves the published file alone"

    forced = tdi("run", "--rebuild", *common(workspace))
    assert forced.exit_code == 0 and "warehouse (published)" in forced.output, forced.output
    dbt_log = (dbt_target_path(workspace["warehouse"]) / "dbt.log").read_text(encoding="utf-8")
    assert f"dbt log: {dbt_target_path(workspace['warehouse']) / 'dbt.log'}" in forced.output
    assert "OK created sql table model marts.dim_territory" in dbt_log, (
        "dbt's log is kept beside the warehouse"
    )
    with duckdb.connect(str(workspace["warehouse"]), read_only=True) as connection:
        builds = connection.execute("select count(*) from ops.dbt_builds").fetchall()[0][0]
        history_runs = connection.execute(
            "select count(distinct run_id) from audit.audit_check_history"
        ).fetchall()[0][0]
    assert (builds, history_runs) == (2, 1), (
        "the forced build is recorded; its results, unchanged, add no history"
    )
