"""The dbt that `tdi run` starts early: `tdi-dbt` is plain dbt without it, and it dies with its run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from orchestration.dbt_server import CLIENT_EXECUTABLE, SERVER_ENV

STARTS_A_SERVER_AND_WAITS = """
import sys, time
from pathlib import Path
from orchestration.dbt_server import start_server_for
server = start_server_for(Path(sys.argv[1]))
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
        [sys.executable, "-c", STARTS_A_SERVER_AND_WAITS, str(tmp_path / "w.duckdb")],
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
