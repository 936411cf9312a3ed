"""`make crash`: kill `tdi run` with SIGKILL at random points, again and again, and check each time
that the published warehouse opens and is byte for byte what it was, that a query during the run
is answered, and that the next run completes and publishes.

Not a test (it takes minutes); it writes bench/crash_results.json for people to read.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.project import DEFAULT_RAW_DIR, PROJECT_ROOT

BENCH_DIR = Path(__file__).parent
TDI = str(Path(sys.executable).parent / "tdi")


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tdi(*args: str, **options) -> subprocess.CompletedProcess:
    return subprocess.run([TDI, *args], capture_output=True, text=True, **options)


def timed_run(raw_dir: Path, warehouse: Path) -> float:
    """A whole build (`--rebuild`): with nothing new a run skips dbt, and a kill would find little to stop."""
    started = time.perf_counter()
    finished = tdi("run", "--rebuild", "--raw-dir", str(raw_dir), "--warehouse", str(warehouse))
    if finished.returncode != 0:
        raise SystemExit(f"a complete run failed:\n{finished.stdout[-3000:]}")
    return time.perf_counter() - started


def query_answers(warehouse: Path) -> bool:
    answered = tdi("query", "select count(*) as n from marts.fct_figures", "--warehouse", str(warehouse))
    return answered.returncode == 0 and "n" in answered.stdout


def builds_recorded(warehouse: Path) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute("select count(*) from ops.dbt_builds").fetchall()[0][0]


def kill_once(raw_dir: Path, warehouse: Path, seconds: float) -> dict | None:
    """Kill a run after `seconds`; None when the run had already ended (then it published, rightly).

    A kill that lands after the run's publish (the rename), while it prints its summary, finds the run's whole
    warehouse published, with its build recorded: that is the other state a reader may see, never a third."""
    before, builds_before = sha256_of(warehouse), builds_recorded(warehouse)
    run = subprocess.Popen(
        [TDI, "run", "--rebuild", "--raw-dir", str(raw_dir), "--warehouse", str(warehouse)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    time.sleep(seconds / 2)
    answered = query_answers(warehouse)
    time.sleep(seconds / 2)
    if run.poll() is not None:
        return None
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        opens = connection.execute("select count(*) from marts.dim_document").fetchall()[0][0] > 0
    unchanged = sha256_of(warehouse) == before
    return {
        "killed_after_seconds": round(seconds, 2),
        "query_answered_during_run": answered,
        "published_opens": opens,
        "published_unchanged": unchanged,
        "published_by_the_killed_run": not unchanged and builds_recorded(warehouse) == builds_before + 1,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=10)
    parser.add_argument("--seed", type=int, default=20261123)
    arguments = parser.parse_args()
    rng = random.Random(arguments.seed)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        raw_dir = root / "raw"
        shutil.copytree(DEFAULT_RAW_DIR, raw_dir)
        warehouse = root / "warehouse" / "tdi.duckdb"
        os.environ["DAGSTER_HOME"] = str(root / "dagster_home")
        first_run = timed_run(raw_dir, warehouse)
        rerun = timed_run(raw_dir, warehouse)
        kills, ended_before_the_kill = [], 0
        while len(kills) < arguments.times:
            kill = kill_once(raw_dir, warehouse, rng.uniform(1, rerun))
            if kill is None:
                ended_before_the_kill += 1
            else:
                kills.append(kill)
        next_run = timed_run(raw_dir, warehouse)
    results = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "project": str(PROJECT_ROOT),
        "cold_run_seconds": round(first_run, 1),
        "rerun_seconds": round(rerun, 1),
        "kills": kills,
        "runs_that_ended_before_their_kill": ended_before_the_kill,
        "all_held": all(
            (k["published_unchanged"] or k["published_by_the_killed_run"])
            and k["published_opens"]
            and k["query_answered_during_run"]
            for k in kills
        ),
        "next_run_completed_seconds": round(next_run, 1),
    }
    (BENCH_DIR / "crash_results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
