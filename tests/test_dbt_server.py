"""The dbt that `tdi run` starts early: `tdi-dbt` is plain dbt without it, and it dies with its run."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from orchestration.dbt_parse import build_vars
from orchestration.dbt_server import CLIENT_EXECUTABLE, SERVER_ENV, build_is_likely, start_server_for
from orchestration.project import DBT_PROJECT_DIR, DEFAULT_RAW_DIR
from orchestration.publishing import working_copy_path

STARTS_A_SERVER_AND_WAITS = """
import sys, time
from pathlib import Path
from orchestration.dbt_server import start_server_for
server = start_server_for(Path(sys.argv[1]), Path(sys.argv[2]))
print(server.process.pid, flush=True)
time.sleep(600)
"""


def test_tdi_dbt_is_dbt_when_no_server_is_there():
    """`dagster dev`, a schedule: no run started a server (or it has gone), and dagster-dbt still gets dbt."""
    environment = {key: value for key, value in os.environ.items() if key != SERVER_ENV}
    for server in (None, "tdi-dbt-no-such-server"):
        if server:
            environment[SERVER_ENV] = server
        shown = subprocess.run(
            [CLIENT_EXECUTABLE, "--version"], env=environment, capture_output=True, text=True, check=True
        )
        assert "installed: 1.11." in shown.stdout


def test_the_server_dies_with_the_run_that_started_it(tmp_path):
    """kill -9 of `tdi run` alone (not its process group) leaves no dbt behind to write a working copy."""
    run = subprocess.Popen(
        [sys.executable, "-c", STARTS_A_SERVER_AND_WAITS, str(tmp_path / "w.duckdb"), str(DEFAULT_RAW_DIR)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[1],
    )
    server = int(run.stdout.readline())
    time.sleep(1)  # the server has started: it is importing dbt or parsing
    assert is_alive(server)
    run.send_signal(signal.SIGKILL)
    run.wait()
    deadline = time.monotonic() + 30
    while is_alive(server) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not is_alive(server)


def is_alive(pid: int) -> bool:
    """Running, not a zombie waiting for whoever adopted it to reap it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


def test_a_server_is_started_only_for_a_run_that_may_build(tmp_path):
    """Nothing newer than the published warehouse (a no-op rerun): no server, which would take the other core
    from the run. A new capture, a changed reference file, an edited model: something dbt reads may have changed."""
    raw = tmp_path / "raw"
    shutil.copytree(DEFAULT_RAW_DIR / "reference", raw / "reference")
    shutil.copyfile(DEFAULT_RAW_DIR / "manifest.yml", raw / "manifest.yml")
    warehouse = tmp_path / "tdi.duckdb"
    assert build_is_likely(warehouse, raw), "nothing is published yet"
    warehouse.write_bytes(b"published")
    later = time.time() + 60
    os.utime(warehouse, (later, later))
    assert not build_is_likely(warehouse, raw)
    for changed in (raw / "manifest.yml", next((raw / "reference").glob("*.csv"))):
        os.utime(changed, (later + 1, later + 1))
        assert build_is_likely(warehouse, raw), changed
        os.utime(changed, (later - 1, later - 1))
    assert not build_is_likely(warehouse, raw)


def test_the_build_output_ends_with_the_working_copy_closed(tmp_path):
    """The server ends without Python's teardown (0.7 s of a build), and what that teardown did for the next
    step is done before: when dbt's output ends, the database it wrote is checkpointed (no write-ahead log
    left to replay) and unlocked."""
    warehouse = tmp_path / "tdi.duckdb"
    working = working_copy_path(warehouse)
    working.parent.mkdir()
    target = str(tmp_path / "target")
    command = [
        CLIENT_EXECUTABLE,
        "seed",
        "--vars",
        build_vars(working),
        "--project-dir",
        str(DBT_PROJECT_DIR),
    ]
    command += ["--target-path", target, "--log-path", target]
    with start_server_for(warehouse, DEFAULT_RAW_DIR) as server:
        wait_until_listening(server.address)
        seeded = subprocess.run(command, capture_output=True, text=True, cwd=DBT_PROJECT_DIR)
        assert server.process.wait(timeout=10) == 0
    assert seeded.returncode == 0, seeded.stdout[-2000:] + seeded.stderr[-2000:]
    assert "Completed successfully" in seeded.stdout
    assert not Path(f"{working}.wal").exists()
    with duckdb.connect(str(working)) as connection:
        lexicon = connection.execute("select count(*) from curated.measure_lexicon").fetchone()[0]
    assert lexicon == len((DBT_PROJECT_DIR / "seeds" / "measure_lexicon.csv").read_text().splitlines()) - 1


def wait_until_listening(address: str) -> None:
    """A client that finds no server runs plain dbt; in a run, the server has been listening for seconds."""
    deadline = time.monotonic() + 60
    while f"@{address}" not in Path("/proc/net/unix").read_text():
        assert time.monotonic() < deadline, "the server never listened"
        time.sleep(0.05)
