"""How the bench measures: a command's wall time and the peak memory of its whole process tree, a run's
own step timings, and the bare stages (the floor) in a process of their own.

Linux only: the memory of a process tree is read from /proc (the parse workers and dbt are children of
`tdi run`, and their peaks are not in the parent's rusage).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.1
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Measured:
    seconds: float
    peak_mb: float
    returncode: int
    stdout: str


def tree_rss_bytes(root_pid: int) -> int:
    """Resident memory of a process and all its descendants, now."""
    children: dict[int, list[int]] = {}
    resident: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        children.setdefault(int(fields[1]), []).append(pid)
        resident[pid] = int(fields[21]) * PAGE_BYTES
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += resident.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def measured(command: list[str], environment: dict | None = None) -> Measured:
    """Run a command, sampling its process tree's memory every SAMPLE_SECONDS."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=environment
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_bytes(process.pid))
            done.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, _ = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    return Measured(seconds, peak / 1024**2, process.returncode, stdout)


def python_module(module: str, *arguments: str) -> list[str]:
    return [sys.executable, "-m", module, *arguments]


def run_json(raw_dir: Path, warehouse: Path, dagster_home: Path, *options: str) -> tuple[Measured, dict]:
    """`tdi run`'s work through bench.one_run, which prints the run summary as JSON."""
    environment = {**os.environ, "DAGSTER_HOME": str(dagster_home)}
    result = measured(python_module("bench.one_run", str(raw_dir), str(warehouse), *options), environment)
    if result.returncode != 0:
        raise SystemExit(f"the run on {raw_dir} failed:\n{result.stdout[-3000:]}")
    return result, json.loads(result.stdout.strip().splitlines()[-1])
